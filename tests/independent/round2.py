"""Independent wrong answers (round 2), written from the exercise statements only."""
import numpy as np
import nnlib as nn


# =====================================================================================
# lesson00
# =====================================================================================

# ---- numerical_gradient --------------------------------------------------------------
def ng_correct(f, x, h=1e-5):
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        fp = f(x)
        x[idx] = old - h
        fm = f(x)
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * h)
    return grad


def ng_forward_difference(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    f0 = f(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - f0) / h
        x[i] = old
    return grad


def ng_divide_by_h(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        fp = f(x)
        flat[i] = old - h
        fm = f(x)
        flat[i] = old
        g[i] = (fp - fm) / h
    return grad


def ng_not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        fp = f(x)
        x[idx] -= 2 * h
        fm = f(x)
        grad[idx] = (fp - fm) / (2 * h)
    return grad


def ng_rows_only(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in range(len(x)):
        old = np.copy(x[i])
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


def ng_aliasing(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        x_plus = x
        x_plus[idx] = x[idx] + h
        x_minus = x
        x_minus[idx] = x[idx] - h
        grad[idx] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad


def ng_flat_result(f, x, h=1e-5):
    xf = x.ravel()
    grad = []
    for i in range(xf.size):
        e = np.zeros(xf.size)
        e[i] = h
        fp = f((xf + e).reshape(x.shape))
        fm = f((xf - e).reshape(x.shape))
        grad.append((fp - fm) / (2 * h))
    return np.array(grad)


# ---- rel_error -----------------------------------------------------------------------
def re_correct(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    den = np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b))
    if den == 0:
        return 0.0
    return float(np.sqrt(np.sum((a - b) ** 2)) / den)


def re_no_zero_case(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def re_max_denominator(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def re_norm_of_sum(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.linalg.norm(a + b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def re_elementwise_mean(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.abs(a) + np.abs(b)
    r = np.where(den > 0, np.abs(a - b) / np.where(den > 0, den, 1), 0.0)
    return float(np.mean(r))


def re_l1_norms(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.sum(np.abs(a)) + np.sum(np.abs(b))
    return 0.0 if den == 0 else float(np.sum(np.abs(a - b)) / den)


def re_precedence(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if not a.any() and not b.any():
        return 0.0
    return float(np.linalg.norm(a - b) / np.linalg.norm(a) + np.linalg.norm(b))


# ---- dense_backward ------------------------------------------------------------------
def db_correct(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)


def db_bias_axis1(dout, X, W):
    return dout @ W.T, X.T @ dout, np.sum(dout, axis=1)


def db_bias_mean(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.mean(axis=0)


def db_dW_transposed(dout, X, W):
    return np.dot(dout, W.T), np.dot(dout.T, X), dout.sum(0)


def db_dW_divided_by_N(dout, X, W):
    N = X.shape[0]
    return dout @ W.T, X.T @ dout / N, dout.sum(axis=0)


def db_wrong_order(dout, X, W):
    dX = dout @ W.T
    dW = X.T @ dout
    db = dout.sum(axis=0)
    return dW, dX, db


def db_dX_transposed(dout, X, W):
    return W @ dout.T, X.T @ dout, dout.sum(axis=0)


# ---- gradient_check ------------------------------------------------------------------
def gc_correct(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())

    def f():
        return loss_fn.forward(model.forward(X), y)

    out = {}
    for name, p, g in model.named_parameters():
        analytic = g.copy()
        numeric = nn.gradcheck.numerical_gradient(f, p, h)
        out[name] = re_correct(analytic, numeric)
    return out


def gc_no_zero_grad(model, loss_fn, X, y, h=1e-5):
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = lambda: loss_fn.forward(model.forward(X), y)  # noqa: E731
    return {name: nn.gradcheck.rel_error(g, nn.gradcheck.numerical_gradient(f, p, h))
            for name, p, g in model.named_parameters()}


def gc_backward_per_param(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    f = lambda: loss_fn.forward(model.forward(X), y)  # noqa: E731
    errors = {}
    for name, p, g in model.named_parameters():
        loss_fn.forward(model.forward(X), y)          # fresh pass for every parameter...
        model.backward(loss_fn.backward())            # ...but grads keep accumulating
        errors[name] = nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(f, p, h))
    return errors


def gc_perturbs_copy(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = lambda: loss_fn.forward(model.forward(X), y)  # noqa: E731
    errors = {}
    for name, p, g in model.named_parameters():
        num = nn.gradcheck.numerical_gradient(f, p.copy(), h)
        errors[name] = nn.gradcheck.rel_error(g, num)
    return errors


def gc_layer_keys(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = lambda: loss_fn.forward(model.forward(X), y)  # noqa: E731
    errors = {}
    for layer in model.layers:
        for k, p in layer.params.items():
            num = nn.gradcheck.numerical_gradient(f, p, h)
            errors[k] = nn.gradcheck.rel_error(layer.grads[k], num)
    return errors


def gc_backward_ones(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    out = model.forward(X)
    loss_fn.forward(out, y)
    model.backward(np.ones_like(out))
    f = lambda: loss_fn.forward(model.forward(X), y)  # noqa: E731
    return {name: nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(f, p, h))
            for name, p, g in model.named_parameters()}


def gc_zero_grad_in_loop(model, loss_fn, X, y, h=1e-5):
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = lambda: loss_fn.forward(model.forward(X), y)  # noqa: E731
    errors = {}
    for name, p, g in model.named_parameters():
        model.zero_grad()                              # "mind what is already in .grads"
        num = nn.gradcheck.numerical_gradient(f, p, h)
        errors[name] = nn.gradcheck.rel_error(g, num)
    return errors


# =====================================================================================
# lesson01
# =====================================================================================

# ---- sigmoid_bump --------------------------------------------------------------------
def sb_correct(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return nn.sigmoid(steepness * (x - left)) - nn.sigmoid(steepness * (x - right))


def sb_precedence(x, left, right, steepness):
    return nn.sigmoid(steepness * x - left) - nn.sigmoid(steepness * x - right)


def sb_swapped(x, left, right, steepness):
    return nn.sigmoid(steepness * (x - right)) - nn.sigmoid(steepness * (x - left))


def sb_product(x, left, right, steepness):
    return nn.sigmoid(steepness * (x - left)) * (1 - nn.sigmoid(steepness * (x - right)))


def sb_mutates_x(x, left, right, steepness):
    x -= left
    up = nn.sigmoid(steepness * x)
    down = nn.sigmoid(steepness * (x - (right - left)))
    return up - down


def sb_tanh(x, left, right, steepness):
    return np.tanh(steepness * (x - left)) - np.tanh(steepness * (x - right))


def sb_divides_steepness(x, left, right, steepness):
    return nn.sigmoid((x - left) / steepness) - nn.sigmoid((x - right) / steepness)


# ---- relu_interpolant ----------------------------------------------------------------
def ri_correct(x, knots, values):
    x = np.asarray(x, dtype=float)
    k = np.asarray(knots, dtype=float)
    v = np.asarray(values, dtype=float)
    m = np.diff(v) / np.diff(k)
    gamma = np.diff(np.concatenate([[0.0], m, [0.0]]))
    return v[0] + np.sum(gamma * nn.relu(x[..., None] - k), axis=-1)


def _slopes(knots, values):
    k = np.asarray(knots, dtype=float)
    v = np.asarray(values, dtype=float)
    return k, v, (v[1:] - v[:-1]) / (k[1:] - k[:-1])


def ri_skip_last_unit(x, knots, values):
    k, v, m = _slopes(knots, values)
    out = np.full(np.shape(x), v[0], dtype=float)
    prev = 0.0
    for i in range(len(k) - 1):
        out = out + (m[i] - prev) * nn.relu(x - k[i])
        prev = m[i]
    return out


def ri_slopes_not_changes(x, knots, values):
    k, v, m = _slopes(knots, values)
    out = v[0] + 0 * np.asarray(x, dtype=float)
    for i in range(len(k) - 1):
        out = out + m[i] * nn.relu(x - k[i])
    return out


def ri_no_offset(x, knots, values):
    k, v, m = _slopes(knots, values)
    gamma = np.diff(np.concatenate([[0.0], m, [0.0]]))
    x = np.asarray(x, dtype=float)
    return np.sum(gamma * np.maximum(0, x[..., None] - k), axis=-1)


def ri_even_spacing(x, knots, values):
    k = np.asarray(knots, dtype=float)
    v = np.asarray(values, dtype=float)
    m = np.diff(v) / (k[1] - k[0])
    gamma = np.diff(np.concatenate([[0.0], m, [0.0]]))
    x = np.asarray(x, dtype=float)
    return v[0] + np.sum(gamma * nn.relu(x[..., None] - k), axis=-1)


def ri_sign_flipped_gamma(x, knots, values):
    k, v, m = _slopes(knots, values)
    ms = np.concatenate([[0.0], m, [0.0]])
    gamma = ms[:-1] - ms[1:]                      # m_{i-1} - m_i
    x = np.asarray(x, dtype=float)
    return v[0] + np.sum(gamma * nn.relu(x[..., None] - k), axis=-1)


def ri_flattened(x, knots, values):
    k, v, m = _slopes(knots, values)
    gamma = np.diff(np.concatenate([[0.0], m, [0.0]]))
    xc = np.asarray(x, dtype=float).reshape(-1, 1)
    H = nn.relu(xc - k[None, :])
    return v[0] + H @ gamma


# ---- mlp_param_count -----------------------------------------------------------------
def pc_correct(sizes):
    s = list(sizes)
    return int(sum(a * b + b for a, b in zip(s[:-1], s[1:])))


def pc_no_biases(sizes):
    return sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))


def pc_bias_per_input(sizes):
    return sum(n_in * n_out + n_in for n_in, n_out in zip(sizes, sizes[1:]))


def pc_bias_on_input_too(sizes):
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return weights + sum(sizes)


def pc_skips_last_layer(sizes):
    total = 0
    for l in range(1, len(sizes) - 1):
        total += sizes[l - 1] * sizes[l] + sizes[l]
    return total


def pc_sum_not_product(sizes):
    return sum((a + b) + b for a, b in zip(sizes[:-1], sizes[1:]))


def pc_list_only(sizes):
    s = sizes.copy()
    total = 0
    prev = s.pop(0)
    for n in s:
        total += (prev + 1) * n
        prev = n
    return total


# ---- mlp_flops -----------------------------------------------------------------------
def fl_correct(sizes):
    s = [int(n) for n in sizes]
    return sum(2 * a * b for a, b in zip(s, s[1:]))


def fl_macs(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def fl_plus_bias(sizes):
    return sum(2 * a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def fl_no_bias_add(sizes):
    return sum((2 * a - 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def fl_skips_first_layer(sizes):
    total = 0
    for l in range(2, len(sizes)):
        total += 2 * sizes[l - 1] * sizes[l]
    return total


def fl_float(sizes):
    n = np.asarray(sizes, dtype=float)
    return float(2.0 * np.dot(n[:-1], n[1:]))


def fl_prod_all(sizes):
    return int(2 * np.prod(sizes))


# ---- fit_to_target -------------------------------------------------------------------
def _samples(f, low, high, n=64):
    X = np.linspace(low, high, n).reshape(-1, 1)
    return X, np.asarray(f(X), dtype=float).reshape(-1, 1)


def ft_correct(f, x_range, rng):
    X, y = _samples(f, *x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=2000, batch_size=None,
           eval_train=False)
    return model


def ft_no_nonlinearity(f, x_range, rng):
    X, y = _samples(f, *x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=2000, batch_size=None,
           eval_train=False)
    return model


def ft_ignores_rng(f, x_range, rng):
    X, y = _samples(f, *x_range)
    my_rng = nn.make_rng(0)
    model = nn.Sequential([nn.Dense(1, 32, rng=my_rng), nn.Tanh(), nn.Dense(32, 1, rng=my_rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=2000, batch_size=None,
           eval_train=False)
    return model


def ft_fixed_interval(f, x_range, rng):
    X, y = _samples(f, -1.0, 1.0)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=2000, batch_size=None,
           eval_train=False)
    return model


def ft_returns_history(f, x_range, rng):
    X, y = _samples(f, *x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    return nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=2000,
                  batch_size=None, eval_train=False)


def ft_undertrained(f, x_range, rng):
    X, y = _samples(f, *x_range)
    model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.Sigmoid(), nn.Dense(16, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.SGD(lr=0.01), X, y, epochs=50, batch_size=None,
           eval_train=False)
    return model


def ft_activation_on_output(f, x_range, rng):
    X, y = _samples(f, *x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng),
                           nn.ReLU()])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=2000, batch_size=None,
           eval_train=False)
    return model


# =====================================================================================
# lesson02
# =====================================================================================

# ---- collapse_linear -----------------------------------------------------------------
def cl_correct(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2


def cl_add_biases(W1, b1, W2, b2):
    return W1 @ W2, b1 + b2


def cl_forgets_b2(W1, b1, W2, b2):
    return np.dot(W1, W2), np.dot(b1, W2)


def cl_only_b2(W1, b1, W2, b2):
    return W1 @ W2, b2.copy()


def cl_bias_row(W1, b1, W2, b2):
    return W1 @ W2, b1.reshape(1, -1) @ W2 + b2


def cl_W_transposed(W1, b1, W2, b2):
    return (W1 @ W2).T, W2.T @ b1 + b2


def cl_mutates_b2(W1, b1, W2, b2):
    b2 += b1 @ W2
    return W1 @ W2, b2


# ---- sigmoid -------------------------------------------------------------------------
def sg_correct(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sg_naive(x):
    return 1 / (1 + np.exp(-x))


def sg_where_both_branches(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def sg_abs_only(x):
    return 1.0 / (1.0 + np.exp(-np.abs(x)))


def sg_branches_swapped(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, e / (1 + e), 1 / (1 + e))


def sg_other_form(x):
    ex = np.exp(x)
    return ex / (1 + ex)


def sg_tanh_no_half(x):
    return 0.5 * (1 + np.tanh(x))


# ---- sigmoid_grad --------------------------------------------------------------------
def sgg_correct(x):
    s = sg_correct(x)
    return s * (1 - s)


def sgg_of_input(x):
    return x * (1 - x)


def sgg_naive_sigmoid(x):
    s = 1.0 / (1.0 + np.exp(-x))
    return s * (1 - s)


def sgg_tanh_formula(x):
    s = sg_correct(x)
    return 1 - s ** 2


def sgg_expanded(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


def sgg_sigma_of_one_minus_x(x):
    return sg_correct(x) * sg_correct(1 - x)


def sgg_parenthesis(x):
    e = np.exp(-np.abs(x))
    return (e / (1 + e)) ** 2


# ---- tanh_grad_from_output -----------------------------------------------------------
def tg_correct(t):
    t = np.asarray(t, dtype=float)
    return (1.0 - t) * (1.0 + t)


def tg_tanh_again(t):
    return 1 - np.tanh(t) ** 2


def tg_sigmoid_formula(t):
    return t * (1 - t)


def tg_no_square(t):
    return 1 - t


def tg_square_of_difference(t):
    return (1 - t) ** 2


def tg_plus_sign(t):
    return 1 + t * t


def tg_arctanh(t):
    x = np.arctanh(t)
    return 1 - x ** 2


# ---- relu_backward -------------------------------------------------------------------
def rb_correct(dout, x):
    return np.where(x > 0, dout, 0.0)


def rb_ge_zero(dout, x):
    return dout * (x >= 0)


def rb_mask_on_dout(dout, x):
    return dout * (dout > 0)


def rb_in_place(dout, x):
    dout[x <= 0] = 0
    return dout


def rb_forgets_dout(dout, x):
    return (x > 0).astype(float)


def rb_times_activation(dout, x):
    return dout * np.maximum(x, 0)


def rb_sign(dout, x):
    return dout * np.sign(x)


# ---- leaky_relu_backward -------------------------------------------------------------
def lr_correct(dout, x, alpha=0.01):
    slope = np.ones_like(x, dtype=float)
    slope[x <= 0] = alpha
    return dout * slope


def lr_slope_one_at_zero(dout, x, alpha=0.01):
    return dout * np.where(x >= 0, 1.0, alpha)


def lr_plain_relu(dout, x, alpha=0.01):
    return dout * (x > 0)


def lr_alpha_times_x(dout, x, alpha=0.01):
    return dout * np.where(x > 0, 1.0, alpha * x)


def lr_hardcoded_alpha(dout, x, alpha=0.01):
    return np.where(x > 0, dout, 0.01 * dout)


def lr_in_place(dout, x, alpha=0.01):
    dout[x <= 0] *= alpha
    return dout


def lr_leaky_of_dout(dout, x, alpha=0.01):
    return np.maximum(alpha * dout, dout) * (x > 0) + alpha * dout * (x <= 0)


# =====================================================================================
# lesson03
# =====================================================================================

# ---- glorot_bound --------------------------------------------------------------------
def gb_correct(n_in, n_out):
    return float((6.0 / (n_in + n_out)) ** 0.5)


def gb_std(n_in, n_out):
    return float(np.sqrt(2 / (n_in + n_out)))


def gb_fan_in(n_in, n_out):
    return float(np.sqrt(6 / n_in))


def gb_no_sqrt(n_in, n_out):
    return 6 / (n_in + n_out)


def gb_precedence(n_in, n_out):
    return float(np.sqrt(6 / n_in + n_out))


def gb_three(n_in, n_out):
    return float(np.sqrt(3 / (n_in + n_out)))


def gb_product(n_in, n_out):
    return float(np.sqrt(6 / (n_in * n_out)))


# ---- he_std --------------------------------------------------------------------------
def hs_correct(n_in):
    return float(np.sqrt(2.0 / n_in))


def hs_variance(n_in):
    return 2 / n_in


def hs_lecun(n_in):
    return float(np.sqrt(1 / n_in))


def hs_sqrt2_over_n(n_in):
    return float(np.sqrt(2) / n_in)


def hs_uniform_bound(n_in):
    return float(np.sqrt(6 / n_in))


def hs_two_over_sqrt(n_in):
    return 2 / np.sqrt(n_in)


def hs_inverted(n_in):
    return float(np.sqrt(n_in / 2))


# ---- glorot_uniform ------------------------------------------------------------------
def gu_correct(n_in, n_out, rng):
    a = np.sqrt(6.0 / (n_in + n_out))
    return a * (2.0 * rng.random((n_in, n_out)) - 1.0)


def gu_np_random(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return np.random.uniform(-a, a, size=(n_in, n_out))


def gu_transposed(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_out, n_in))


def gu_positive_only(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(0, a, size=(n_in, n_out))


def gu_one_column_repeated(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    col = rng.uniform(-a, a, size=(n_in, 1))
    return np.tile(col, (1, n_out))


def gu_normal(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.normal(0, a, size=(n_in, n_out))


def gu_std_as_bound(n_in, n_out, rng):
    a = np.sqrt(2 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


# ---- he_normal -----------------------------------------------------------------------
def hn_correct(n_in, n_out, rng):
    return np.sqrt(2.0 / n_in) * rng.standard_normal((n_in, n_out))


def hn_variance_as_scale(n_in, n_out, rng):
    return rng.normal(0, 2 / n_in, size=(n_in, n_out))


def hn_np_random(n_in, n_out, rng):
    return np.random.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))


def hn_fan_out(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_out), size=(n_in, n_out))


def hn_own_seeded_rng(n_in, n_out, rng):
    g = np.random.default_rng(0)
    return g.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))


def hn_uniform(n_in, n_out, rng):
    a = np.sqrt(6 / n_in)
    return rng.uniform(-a, a, size=(n_in, n_out))


def hn_transposed(n_in, n_out, rng):
    return rng.normal(0.0, np.sqrt(2 / n_in), size=(n_out, n_in))


# ---- output_variance -----------------------------------------------------------------
def ov_correct(n_in, var_w, var_x):
    return float(n_in) * float(var_w) * float(var_x)


def ov_no_n(n_in, var_w, var_x):
    return float(var_w * var_x)


def ov_adds_variances(n_in, var_w, var_x):
    return float(n_in * (var_w + var_x))


def ov_n_squared(n_in, var_w, var_x):
    return float(n_in ** 2 * var_w * var_x)


def ov_divides_by_n(n_in, var_w, var_x):
    return float(var_w * var_x / n_in)


def ov_squares_variances(n_in, var_w, var_x):
    return float(n_in * var_w ** 2 * var_x ** 2)


def ov_n_minus_one(n_in, var_w, var_x):
    return float((n_in - 1) * var_w * var_x)


# ---- identical_units -----------------------------------------------------------------
def iu_correct(W, tol=1e-8):
    W = np.asarray(W)
    H = W.shape[1]
    S = np.zeros((H, H), dtype=bool)
    for j in range(H):
        S[j] = np.max(np.abs(W - W[:, [j]]), axis=0) <= tol
    return S


def iu_max_axis1(W, tol=1e-8):
    D = np.abs(W[:, :, None] - W[:, None, :])
    return D.max(axis=1) <= tol


def iu_rows(W, tol=1e-8):
    D = np.abs(W[:, None, :] - W[None, :, :])
    return D.max(axis=2) <= tol


def iu_strict(W, tol=1e-8):
    D = np.abs(W[:, :, None] - W[:, None, :])
    return D.max(axis=0) < tol


def iu_sum(W, tol=1e-8):
    D = np.abs(W[:, :, None] - W[:, None, :])
    return D.sum(axis=0) <= tol


def iu_no_abs(W, tol=1e-8):
    D = W[:, :, None] - W[:, None, :]
    return D.max(axis=0) <= tol


def iu_allclose(W, tol=1e-8):
    H = W.shape[1]
    S = np.zeros((H, H), dtype=bool)
    for j in range(H):
        for k in range(H):
            S[j, k] = np.allclose(W[:, j], W[:, k], atol=tol)
    return S


# =====================================================================================
# lesson04
# =====================================================================================

# ---- one_hot -------------------------------------------------------------------------
def oh_correct(y, C):
    y = np.asarray(y).astype(int)
    return (y[:, None] == np.arange(C)[None, :]).astype(float)


def oh_C_from_labels(y, C):
    Y = np.zeros((len(y), y.max() + 1))
    Y[np.arange(len(y)), y] = 1
    return Y


def oh_whole_columns(y, C):
    Y = np.zeros((len(y), C))
    Y[:, y] = 1
    return Y


def oh_transposed(y, C):
    return np.eye(C)[:, y]


def oh_one_based(y, C):
    return np.eye(C)[y - 1]


def oh_skips_last(y, C):
    Y = np.zeros((len(y), C))
    for n in range(len(y) - 1):
        Y[n, y[n]] = 1
    return Y


def oh_N_for_C(y, C):
    N = len(y)
    return np.eye(N)[y]


# ---- softmax -------------------------------------------------------------------------
def sm_correct(Z):
    Z = np.asarray(Z, dtype=float)
    s = Z - Z.max(axis=1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def sm_no_shift(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def sm_axis0(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def sm_no_keepdims(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


def sm_global_max(Z):
    e = np.exp(Z - np.max(Z))
    return e / e.sum(axis=1, keepdims=True)


def sm_mutates(Z):
    Z -= Z.max(axis=1, keepdims=True)
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def sm_column_max_shift(Z):
    e = np.exp(Z - Z.max(axis=0))
    return e / e.sum(axis=1, keepdims=True)


# ---- cross_entropy_loss --------------------------------------------------------------
def ce_correct(Z, y):
    Z = np.asarray(Z, dtype=float)
    y = np.asarray(y).astype(int)
    m = Z.max(axis=1)
    lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


def _logq(Z):
    s = Z - Z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def ce_log_of_softmax(Z, y):
    P = sm_correct(Z)
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))


def ce_sum(Z, y):
    return float(-np.sum(_logq(Z)[np.arange(len(y)), y]))


def ce_log2(Z, y):
    return float(-np.mean(_logq(Z)[np.arange(len(y)), y] / np.log(2)))


def ce_column_indexing(Z, y):
    return float(-np.mean(_logq(Z)[:, y]))


def ce_drops_max(Z, y):
    m = Z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    logq = Z - lse
    return float(-np.mean(logq[np.arange(len(y)), y]))


def ce_mean_over_NC(Z, y):
    Y = np.zeros_like(Z, dtype=float)
    Y[np.arange(len(y)), y] = 1
    return float(-np.mean(Y * _logq(Z)))


# ---- cross_entropy_grad --------------------------------------------------------------
def cg_correct(Z, y):
    N = Z.shape[0]
    G = sm_correct(Z)
    G[np.arange(N), np.asarray(y).astype(int)] -= 1.0
    return G / N


def cg_no_mean(Z, y):
    return sm_correct(Z) - oh_correct(y, Z.shape[1])


def cg_sign(Z, y):
    return (oh_correct(y, Z.shape[1]) - sm_correct(Z)) / len(y)


def cg_divides_NC(Z, y):
    return (sm_correct(Z) - oh_correct(y, Z.shape[1])) / Z.size


def cg_unstable_softmax(Z, y):
    e = np.exp(Z)
    P = e / e.sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return P / len(y)


def cg_columns(Z, y):
    P = sm_correct(Z)
    P[:, y] -= 1
    return P / len(y)


def cg_mutates_Z(Z, y):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    Z[np.arange(len(y)), y] -= 1
    return Z / len(y)


# ---- entropy -------------------------------------------------------------------------
def en_correct(P):
    P = np.asarray(P, dtype=float)
    logs = np.zeros_like(P)
    np.log2(P, out=logs, where=P > 0)
    return 0.0 - np.sum(P * logs, axis=1)


def en_nats(P):
    logs = np.log(np.where(P > 0, P, 1.0))
    return -np.sum(P * logs, axis=1)


def en_nan_for_zeros(P):
    return -np.sum(P * np.log2(P), axis=1)


def en_axis0(P):
    logs = np.log2(np.where(P > 0, P, 1.0))
    return -np.sum(P * logs, axis=0)


def en_total(P):
    p = P[P > 0]
    return float(-np.sum(p * np.log2(p)))


def en_no_minus(P):
    logs = np.log2(np.where(P > 0, P, 1.0))
    return np.sum(P * logs, axis=1)


def en_mean_over_classes(P):
    logs = np.log2(np.where(P > 0, P, 1.0))
    return -np.mean(P * logs, axis=1)


# ---- mse_loss ------------------------------------------------------------------------
def ms_correct(y_hat, y):
    d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float(np.sum(d * d) / d.size)


def ms_rows_only(y_hat, y):
    return float(np.mean(np.sum((y_hat - y) ** 2, axis=1)))


def ms_half(y_hat, y):
    return float(0.5 * np.mean((y_hat - y) ** 2))


def ms_root(y_hat, y):
    return float(np.sqrt(np.mean((y_hat - y) ** 2)))


def ms_absolute(y_hat, y):
    return float(np.mean(np.abs(y_hat - y)))


def ms_square_of_mean(y_hat, y):
    return float(np.mean(y_hat - y) ** 2)


def ms_per_column(y_hat, y):
    return np.mean((y_hat - y) ** 2, axis=0)


# =====================================================================================
WRONG = {
    "lesson00": {
        "numerical_gradient": [
            ("forward difference (f(x+h) - f(x)) / h instead of the centred difference", ng_forward_difference),
            ("divides the centred difference by h instead of 2h (gradient twice too large)", ng_divide_by_h),
            ("never restores the entry: +h then -2h leaves x shifted by -h (x is modified)", ng_not_restored),
            ("loops over len(x) and perturbs whole rows x[i] at once (wrong for matrices)", ng_rows_only),
            ("aliasing: x_plus = x and x_minus = x are the same array, so both evaluations see the same point and the gradient is 0", ng_aliasing),
            ("returns a flat 1-D gradient (shape x.size) instead of the shape of x", ng_flat_result),
        ],
        "rel_error": [
            ("no special case for two zero arrays: returns nan (0/0) instead of 0.0", re_no_zero_case),
            ("denominator max(||a||, ||b||) instead of ||a|| + ||b||", re_max_denominator),
            ("denominator ||a + b|| instead of ||a|| + ||b||", re_norm_of_sum),
            ("mean of element-wise relative errors |a_i-b_i|/(|a_i|+|b_i|) instead of whole-array norms", re_elementwise_mean),
            ("uses L1 norms (sums of absolute values) instead of Euclidean norms", re_l1_norms),
            ("precedence slip: ||a-b|| / ||a|| + ||b|| (adds ||b|| after dividing)", re_precedence),
        ],
        "dense_backward": [
            ("db sums over the units (axis=1, shape (N,)) instead of over the examples (axis=0)", db_bias_axis1),
            ("db is the mean over the examples instead of the sum", db_bias_mean),
            ("dW = dout.T @ X, transposed (shape (H, D))", db_dW_transposed),
            ("dW divided by N (averaged over the batch)", db_dW_divided_by_N),
            ("returns (dW, dX, db) instead of (dX, dW, db)", db_wrong_order),
            ("dX = W @ dout.T, transposed (shape (D, N))", db_dX_transposed),
        ],
        "gradient_check": [
            ("no zero_grad before the backward pass: leftover gradients in .grads are added to the analytic gradient", gc_no_zero_grad),
            ("runs forward+backward once per parameter inside the loop without zeroing, so gradients accumulate (doubled, tripled...)", gc_backward_per_param),
            ("passes a copy p.copy() to numerical_gradient, so f never sees the perturbation (numerical gradient 0)", gc_perturbs_copy),
            ("keys the dict by the layer's param key ('W', 'b'), so layers overwrite each other instead of names like '0.W'", gc_layer_keys),
            ("backpropagates ones (dL/dout = 1) instead of loss_fn.backward()", gc_backward_ones),
            ("calls model.zero_grad() inside the loop after the backward pass, wiping the analytic gradients (compares 0 with the numerical one)", gc_zero_grad_in_loop),
        ],
    },
    "lesson01": {
        "sigmoid_bump": [
            ("precedence: sigma(s*x - l) instead of sigma(s*(x - l)), so the steepness does not multiply the shift and the edges move to l/s, r/s", sb_precedence),
            ("subtracts in the wrong order, sigma(s(x-r)) - sigma(s(x-l)): a negative bump", sb_swapped),
            ("multiplies sigma(s(x-l)) * (1 - sigma(s(x-r))) instead of taking the difference", sb_product),
            ("modifies x in place (x -= left)", sb_mutates_x),
            ("uses tanh instead of the sigmoid (bump of height 2, -1..1 steps)", sb_tanh),
            ("divides by the steepness instead of multiplying: sigma((x - l)/s)", sb_divides_steepness),
        ],
        "relu_interpolant": [
            ("loop stops at K-2: no unit at the last knot, so the line keeps its last slope right of k_{K-1} instead of going flat", ri_skip_last_unit),
            ("weights each unit by the slope m_i instead of the change of slope m_i - m_{i-1}", ri_slopes_not_changes),
            ("forgets the offset y_0", ri_no_offset),
            ("assumes evenly spaced knots: divides every slope by k_1 - k_0", ri_even_spacing),
            ("sign flipped: gamma_i = m_{i-1} - m_i", ri_sign_flipped_gamma),
            ("flattens x and returns shape (x.size,) instead of the shape of x", ri_flattened),
        ],
        "mlp_param_count": [
            ("forgets the biases (counts weights only)", pc_no_biases),
            ("counts n_{l-1} biases per layer (input side) instead of n_l", pc_bias_per_input),
            ("gives the input layer biases too: adds sum of all sizes including n_0", pc_bias_on_input_too),
            ("loop skips the last dense layer (off by one)", pc_skips_last_layer),
            ("counts n_{l-1} + n_l weights per layer (sum instead of product)", pc_sum_not_product),
            ("uses sizes.copy()/pop, which only works for lists: fails for a tuple", pc_list_only),
        ],
        "mlp_flops": [
            ("counts multiply-adds (MACs) once: n_{l-1} n_l, missing the factor 2", fl_macs),
            ("adds one more FLOP per output for the bias: 2 n_{l-1} n_l + n_l", fl_plus_bias),
            ("counts n_{l-1} - 1 additions and forgets the bias add: (2 n_{l-1} - 1) n_l", fl_no_bias_add),
            ("loop skips the first layer (off by one)", fl_skips_first_layer),
            ("returns a float instead of an int", fl_float),
            ("2 times the product of all sizes instead of the sum over layers", fl_prod_all),
        ],
        "fit_to_target": [
            ("no nonlinearity between the two Dense layers (a linear model)", ft_no_nonlinearity),
            ("ignores the given rng: builds the layers with its own nn.make_rng(0)", ft_ignores_rng),
            ("samples the training points on a fixed [-1, 1] instead of x_range", ft_fixed_interval),
            ("returns the History from nn.fit instead of the model", ft_returns_history),
            ("trains far too little (plain SGD lr 0.01, 50 epochs): underfits", ft_undertrained),
            ("puts a ReLU after the output layer (output cannot be negative)", ft_activation_on_output),
        ],
    },
    "lesson02": {
        "collapse_linear": [
            ("b = b1 + b2: adds the biases without passing b1 through W2", cl_add_biases),
            ("b = b1 @ W2: forgets b2", cl_forgets_b2),
            ("b = b2: forgets b1's contribution b1 @ W2", cl_only_b2),
            ("b has shape (1, C) (b1 reshaped to a row) instead of (C,)", cl_bias_row),
            ("W transposed: returns (W1 @ W2).T of shape (C, D)", cl_W_transposed),
            ("modifies b2 in place (b2 += b1 @ W2) and returns it", cl_mutates_b2),
        ],
        "sigmoid": [
            ("naive 1/(1+exp(-x)): overflow warning for x = -1000", sg_naive),
            ("np.where with both unstable branches evaluated everywhere: overflow warnings (and nan in the discarded branch)", sg_where_both_branches),
            ("1/(1+exp(-|x|)) for every x: wrong for negative x (gives sigma(|x|))", sg_abs_only),
            ("branches swapped: e/(1+e) for x >= 0 and 1/(1+e) for x < 0, i.e. sigma(-x)", sg_branches_swapped),
            ("exp(x)/(1+exp(x)) everywhere: inf/inf = nan for x = 1000", sg_other_form),
            ("tanh identity without halving x: (1 + tanh(x))/2 instead of (1 + tanh(x/2))/2", sg_tanh_no_half),
        ],
        "sigmoid_grad": [
            ("applies the formula to the input: x(1 - x) instead of sigma(x)(1 - sigma(x))", sgg_of_input),
            ("uses the naive sigmoid 1/(1+exp(-x)): overflow warning for x = -1000", sgg_naive_sigmoid),
            ("1 - sigma(x)^2 (tanh's derivative form)", sgg_tanh_formula),
            ("expanded form exp(-x)/(1+exp(-x))^2: inf/inf = nan (overflow) for x = -1000", sgg_expanded),
            ("sigma(x) * sigma(1 - x) instead of sigma(x) * (1 - sigma(x))", sgg_sigma_of_one_minus_x),
            ("parenthesis slip: (e/(1+e))^2 instead of e/(1+e)^2 with e = exp(-|x|)", sgg_parenthesis),
        ],
        "tanh_grad_from_output": [
            ("applies tanh again: 1 - tanh(t)^2 (treats the output t as the input x)", tg_tanh_again),
            ("sigmoid's formula t(1 - t)", tg_sigmoid_formula),
            ("forgets the square: 1 - t", tg_no_square),
            ("(1 - t)^2 instead of 1 - t^2", tg_square_of_difference),
            ("sign: 1 + t^2", tg_plus_sign),
            ("recovers x = arctanh(t) and returns 1 - x^2 (forgets tanh)", tg_arctanh),
        ],
        "relu_backward": [
            ("mask x >= 0: passes the gradient at x = 0 (relu'(0) = 1)", rb_ge_zero),
            ("masks on the sign of dout instead of x", rb_mask_on_dout),
            ("modifies dout in place (dout[x <= 0] = 0) and returns it", rb_in_place),
            ("returns relu'(x) only, forgets to multiply by dout", rb_forgets_dout),
            ("multiplies dout by relu(x) (the activation) instead of relu'(x)", rb_times_activation),
            ("multiplies by sign(x): -dout where x < 0 instead of 0", rb_sign),
        ],
        "leaky_relu_backward": [
            ("slope 1 at x = 0 (x >= 0) instead of alpha", lr_slope_one_at_zero),
            ("slope 0 for x <= 0 (plain ReLU), alpha ignored", lr_plain_relu),
            ("slope alpha * x for x <= 0 (the function value) instead of alpha", lr_alpha_times_x),
            ("hard-codes alpha = 0.01, ignores the alpha argument", lr_hardcoded_alpha),
            ("modifies dout in place (dout[x <= 0] *= alpha) and returns it", lr_in_place),
            ("applies leaky ReLU to dout where x > 0: max(alpha*dout, dout), so negative dout is scaled by alpha on the positive side", lr_leaky_of_dout),
        ],
    },
    "lesson03": {
        "glorot_bound": [
            ("returns the standard deviation sqrt(2/(n_in+n_out)) instead of the bound", gb_std),
            ("fan-in only: sqrt(6/n_in)", gb_fan_in),
            ("forgets the square root: 6/(n_in+n_out)", gb_no_sqrt),
            ("precedence: sqrt(6/n_in + n_out)", gb_precedence),
            ("uses 3 instead of 6: sqrt(3/(n_in+n_out))", gb_three),
            ("product instead of sum: sqrt(6/(n_in*n_out))", gb_product),
        ],
        "he_std": [
            ("returns the variance 2/n_in instead of its square root", hs_variance),
            ("LeCun's sqrt(1/n_in), forgets the factor 2", hs_lecun),
            ("sqrt(2)/n_in: square root of the numerator only", hs_sqrt2_over_n),
            ("He-uniform bound sqrt(6/n_in) instead of the std", hs_uniform_bound),
            ("2/sqrt(n_in): square root of the denominator only", hs_two_over_sqrt),
            ("inverted: sqrt(n_in/2)", hs_inverted),
        ],
        "glorot_uniform": [
            ("draws with the global np.random instead of the given rng", gu_np_random),
            ("shape transposed: (n_out, n_in)", gu_transposed),
            ("draws from U(0, a): positive weights only", gu_positive_only),
            ("draws one column and repeats it for every unit (all units identical)", gu_one_column_repeated),
            ("normal distribution with std a instead of uniform on (-a, a) (variance 3x too large)", gu_normal),
            ("uses the std sqrt(2/(n_in+n_out)) as the bound (variance 3x too small)", gu_std_as_bound),
        ],
        "he_normal": [
            ("passes the variance 2/n_in as scale instead of the std", hn_variance_as_scale),
            ("draws with the global np.random instead of the given rng", hn_np_random),
            ("uses the fan-out: std sqrt(2/n_out)", hn_fan_out),
            ("ignores rng and makes its own np.random.default_rng(0) (same weights every call)", hn_own_seeded_rng),
            ("uniform (He uniform, right variance) instead of normal", hn_uniform),
            ("shape transposed: (n_out, n_in)", hn_transposed),
        ],
        "output_variance": [
            ("forgets the factor n_in: Var(w) Var(x)", ov_no_n),
            ("adds the variances: n_in (Var(w) + Var(x))", ov_adds_variances),
            ("n_in^2 instead of n_in", ov_n_squared),
            ("divides by n_in instead of multiplying", ov_divides_by_n),
            ("squares the variances (treats them as standard deviations)", ov_squares_variances),
            ("(n_in - 1) instead of n_in (off by one)", ov_n_minus_one),
        ],
        "identical_units": [
            ("max over axis=1 instead of axis=0 (shape (n_in, H))", iu_max_axis1),
            ("compares rows (inputs) instead of columns (units): shape (n_in, n_in)", iu_rows),
            ("strict < tol instead of <= tol (tol = 0 gives a False diagonal)", iu_strict),
            ("sum of absolute differences instead of the max", iu_sum),
            ("forgets the absolute value: max of signed differences", iu_no_abs),
            ("np.allclose with its default rtol=1e-5 on top of atol=tol (too permissive)", iu_allclose),
        ],
    },
    "lesson04": {
        "one_hot": [
            ("takes the number of columns from y.max() + 1 instead of C", oh_C_from_labels),
            ("Y[:, y] = 1 sets whole columns instead of one entry per row", oh_whole_columns),
            ("transposed: shape (C, N)", oh_transposed),
            ("treats labels as 1-based: np.eye(C)[y - 1]", oh_one_based),
            ("loop skips the last example (range(N - 1))", oh_skips_last),
            ("uses N instead of C: np.eye(len(y))[y]", oh_N_for_C),
        ],
        "softmax": [
            ("no max shift: exp overflows for logits around 1000 (nan)", sm_no_shift),
            ("normalises each column (axis=0) instead of each row", sm_axis0),
            ("sum without keepdims: divides by a (N,) vector broadcast along the columns", sm_no_keepdims),
            ("shifts by the global max of Z instead of each row's max (rows far below it underflow to 0/0)", sm_global_max),
            ("modifies Z in place (Z -= max)", sm_mutates),
            ("shifts by each column's max (axis=0) instead of each row's max", sm_column_max_shift),
        ],
        "cross_entropy_loss": [
            ("np.log(softmax(Z)): -log(0) = inf when the true class has probability e^-800", ce_log_of_softmax),
            ("sum over examples instead of the mean", ce_sum),
            ("log base 2 (bits) instead of nats", ce_log2),
            ("Z[:, y] picks whole columns (N x N) instead of one entry per row", ce_column_indexing),
            ("drops the max: log q = Z - log sum exp(Z - m) instead of Z - m - log sum exp(Z - m)", ce_drops_max),
            ("mean over all N*C entries of -Y log q instead of over the N examples", ce_mean_over_NC),
        ],
        "cross_entropy_grad": [
            ("forgets the 1/N", cg_no_mean),
            ("sign flipped: (Y - softmax)/N", cg_sign),
            ("divides by N*C instead of N", cg_divides_NC),
            ("softmax without the max shift: nan for large logits", cg_unstable_softmax),
            ("P[:, y] -= 1 subtracts from whole columns instead of one entry per row", cg_columns),
            ("computes the softmax in place in Z (modifies the input)", cg_mutates_Z),
        ],
        "entropy": [
            ("natural log (nats) instead of log2 (bits)", en_nats),
            ("no 0 log 0 = 0 handling: 0 * log2(0) gives nan", en_nan_for_zeros),
            ("sums over axis=0 (columns) instead of each row", en_axis0),
            ("returns one total over the whole matrix (a scalar) instead of one entropy per row", en_total),
            ("forgets the minus sign (negative entropy)", en_no_minus),
            ("mean over the classes instead of the sum", en_mean_over_classes),
        ],
        "mse_loss": [
            ("mean over rows only: sums over the K outputs, divides by N", ms_rows_only),
            ("extra factor 1/2", ms_half),
            ("square root of the mean (RMSE)", ms_root),
            ("mean absolute error instead of squared", ms_absolute),
            ("square of the mean error instead of the mean of the squares", ms_square_of_mean),
            ("returns a per-column array (mean over axis=0) instead of one float", ms_per_column),
        ],
    },
}

CORRECT = {
    "lesson00": {"numerical_gradient": ng_correct, "rel_error": re_correct,
                 "dense_backward": db_correct, "gradient_check": gc_correct},
    "lesson01": {"sigmoid_bump": sb_correct, "relu_interpolant": ri_correct,
                 "mlp_param_count": pc_correct, "mlp_flops": fl_correct,
                 "fit_to_target": ft_correct},
    "lesson02": {"collapse_linear": cl_correct, "sigmoid": sg_correct, "sigmoid_grad": sgg_correct,
                 "tanh_grad_from_output": tg_correct, "relu_backward": rb_correct,
                 "leaky_relu_backward": lr_correct},
    "lesson03": {"glorot_bound": gb_correct, "he_std": hs_correct, "glorot_uniform": gu_correct,
                 "he_normal": hn_correct, "output_variance": ov_correct,
                 "identical_units": iu_correct},
    "lesson04": {"one_hot": oh_correct, "softmax": sm_correct, "cross_entropy_loss": ce_correct,
                 "cross_entropy_grad": cg_correct, "entropy": en_correct, "mse_loss": ms_correct},
}
