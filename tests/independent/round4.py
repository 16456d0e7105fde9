"""Independent wrong answers (round 4), written from the exercise statements only."""
import numpy as np
import nnlib as nn


# =====================================================================================
# lesson 00
# =====================================================================================

# ---- 0.1 numerical_gradient ----------------------------------------------------------

def numerical_gradient_ok(f, x, h=1e-5):
    xp = np.array(x, dtype=np.float64)          # a private copy: x is never touched
    grad = np.zeros_like(xp)
    for idx in np.ndindex(xp.shape):
        old = xp[idx]
        xp[idx] = old + h
        f_plus = float(f(xp))
        xp[idx] = old - h
        f_minus = float(f(xp))
        xp[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def ng_forward_difference(f, x, h=1e-5):
    xp = np.array(x, dtype=float)
    f0 = f(xp)
    grad = np.zeros_like(xp)
    for idx in np.ndindex(xp.shape):
        old = xp[idx]
        xp[idx] = old + h
        grad[idx] = (f(xp) - f0) / h
        xp[idx] = old
    return grad


def ng_precedence(f, x, h=1e-5):
    xp = np.array(x, dtype=float)
    grad = np.zeros_like(xp)
    it = np.nditer(xp, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        e = np.zeros_like(xp)
        e[i] = h
        grad[i] = (f(xp + e) - f(xp - e)) / 2 * h
    return grad


def ng_no_restore(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        x[idx] += h
        f_plus = f(x)
        x[idx] -= 2 * h
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def ng_rows_only(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def ng_flat_result(f, x, h=1e-5):
    flat = np.array(x, dtype=float).ravel()
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus.reshape(np.shape(x))) - f(minus.reshape(np.shape(x)))) / (2 * h)
    return grad


# ---- 0.2 rel_error -------------------------------------------------------------------

def rel_error_ok(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denom)


def re_max_denominator(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    denom = max(np.linalg.norm(a), np.linalg.norm(b))
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denom)


def re_no_zero_case(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def re_precedence(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if not a.any() and not b.any():
        return 0.0
    return float(np.linalg.norm(a - b) / np.linalg.norm(a) + np.linalg.norm(b))


def re_elementwise_max(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def re_epsilon(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-8))


# ---- 0.3 dense_backward --------------------------------------------------------------

def dense_backward_ok(dout, X, W):
    dX = dout @ W.T
    dW = X.T @ dout
    db = dout.sum(axis=0)
    return dX, dW, db


def db_wrong_axis(dout, X, W):
    return dout @ W.T, X.T @ dout, np.sum(dout, axis=1)


def db_keepdims(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.sum(axis=0, keepdims=True)


def dw_transposed(dout, X, W):
    return np.dot(dout, W.T), np.dot(dout.T, X), dout.sum(0)


def dw_divided_by_n(dout, X, W):
    N = X.shape[0]
    return dout @ W.T, X.T @ dout / N, dout.sum(axis=0)


def dx_transposed(dout, X, W):
    dX = W @ dout.T
    dW = X.T @ dout
    db = dout.sum(axis=0)
    return dX, dW, db


# ---- 0.4 gradient_check --------------------------------------------------------------

def gradient_check_ok(model, loss_fn, X, y, h=1e-5):
    def f():
        return loss_fn.forward(model.forward(X), y)

    model.zero_grad()
    f()
    model.backward(loss_fn.backward())
    analytic = {name: g.copy() for name, _, g in model.named_parameters()}
    errors = {}
    for name, p, _ in model.named_parameters():
        numeric = nn.gradcheck.numerical_gradient(f, p, h)
        errors[name] = rel_error_ok(analytic[name], numeric)
    return errors


def gc_no_zero_grad(model, loss_fn, X, y, h=1e-5):
    def f():
        return loss_fn.forward(model.forward(X), y)

    f()
    model.backward(loss_fn.backward())
    errors = {}
    for name, p, g in model.named_parameters():
        errors[name] = nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(f, p, h))
    return errors


def gc_backward_per_parameter(model, loss_fn, X, y, h=1e-5):
    def f():
        return loss_fn.forward(model.forward(X), y)

    model.zero_grad()
    errors = {}
    for name, p, g in model.named_parameters():
        f()
        model.backward(loss_fn.backward())
        analytic = g.copy()
        errors[name] = nn.gradcheck.rel_error(analytic, nn.gradcheck.numerical_gradient(f, p, h))
    return errors


def gc_perturbs_a_copy(model, loss_fn, X, y, h=1e-5):
    def f():
        return loss_fn.forward(model.forward(X), y)

    model.zero_grad()
    f()
    model.backward(loss_fn.backward())
    errors = {}
    for name, p, g in model.named_parameters():
        numeric = nn.gradcheck.numerical_gradient(f, p.copy(), h)
        errors[name] = nn.gradcheck.rel_error(g, numeric)
    return errors


def gc_weights_only(model, loss_fn, X, y, h=1e-5):
    def f():
        return loss_fn.forward(model.forward(X), y)

    model.zero_grad()
    f()
    model.backward(loss_fn.backward())
    errors = {}
    for name, p, g in model.named_parameters():
        if name.endswith(".W"):
            errors[name] = nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(f, p, h))
    return errors


def gc_returns_report(model, loss_fn, X, y, h=1e-5):
    return nn.gradcheck.check_model(model, loss_fn, X, y, h=h)


# =====================================================================================
# lesson 01
# =====================================================================================

# ---- 1.1 sigmoid_bump ----------------------------------------------------------------

def sigmoid_bump_ok(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return nn.sigmoid(steepness * (x - left)) - nn.sigmoid(steepness * (x - right))


def sb_steepness_on_x_only(x, left, right, steepness):
    return nn.sigmoid(steepness * x - left) - nn.sigmoid(steepness * x - right)


def sb_reversed(x, left, right, steepness):
    return nn.sigmoid(steepness * (x - right)) - nn.sigmoid(steepness * (x - left))


def sb_in_place(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    x -= left
    up = nn.sigmoid(steepness * x)
    x -= right - left
    down = nn.sigmoid(steepness * x)
    return up - down


def sb_divides_by_steepness(x, left, right, steepness):
    return nn.sigmoid((x - left) / steepness) - nn.sigmoid((x - right) / steepness)


def sb_product(x, left, right, steepness):
    return nn.sigmoid(steepness * (x - left)) * (1 - nn.sigmoid(steepness * (x - right)))


# ---- 1.2 relu_interpolant ------------------------------------------------------------

def relu_interpolant_ok(x, knots, values):
    k = np.asarray(knots, dtype=float)
    v = np.asarray(values, dtype=float)
    m = np.diff(v) / np.diff(k)                          # m_0 .. m_{K-2}
    gamma = np.diff(np.concatenate(([0.0], m, [0.0])))   # K changes of slope
    x = np.asarray(x, dtype=float)
    return v[0] + np.maximum(0.0, x[..., None] - k) @ gamma


def ri_not_flat_right(x, knots, values):
    k, v = np.asarray(knots, float), np.asarray(values, float)
    m = np.diff(v) / np.diff(k)
    gamma = np.diff(m, prepend=0.0)
    x = np.asarray(x, float)
    out = np.full(x.shape, v[0])
    for i in range(len(k) - 1):
        out = out + gamma[i] * nn.relu(x - k[i])
    return out


def ri_slopes_as_weights(x, knots, values):
    k, v = np.asarray(knots, float), np.asarray(values, float)
    m = np.diff(v) / np.diff(k)
    x = np.asarray(x, float)
    return v[0] + np.maximum(0.0, x[..., None] - k[:-1]) @ m


def ri_even_spacing(x, knots, values):
    k, v = np.asarray(knots, float), np.asarray(values, float)
    step = k[1] - k[0]
    m = np.diff(v) / step
    gamma = np.diff(np.concatenate(([0.0], m, [0.0])))
    x = np.asarray(x, float)
    return v[0] + np.maximum(0.0, x[..., None] - k) @ gamma


def ri_no_offset(x, knots, values):
    k, v = np.asarray(knots, float), np.asarray(values, float)
    m = np.diff(v) / np.diff(k)
    gamma = np.diff(np.concatenate(([0.0], m, [0.0])))
    x = np.asarray(x, float)
    return np.maximum(0.0, x[..., None] - k) @ gamma


def ri_flattens(x, knots, values):
    k, v = np.asarray(knots, float), np.asarray(values, float)
    m = np.diff(v) / np.diff(k)
    gamma = np.diff(np.concatenate(([0.0], m, [0.0])))
    hidden = nn.relu(np.asarray(x, float).reshape(-1, 1) - k)
    return hidden @ gamma + v[0]


# ---- 1.3 mlp_param_count -------------------------------------------------------------

def mlp_param_count_ok(sizes):
    sizes = [int(n) for n in sizes]
    return int(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])))


def pc_no_biases(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def pc_bias_per_input(sizes):
    return sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:]))


def pc_skips_last_layer(sizes):
    total = 0
    for l in range(1, len(sizes) - 1):
        total += sizes[l - 1] * sizes[l] + sizes[l]
    return total


def pc_plus_typo(sizes):
    total = 0
    for l in range(1, len(sizes)):
        total += sizes[l - 1] + sizes[l] + sizes[l]
    return total


def pc_list_only(sizes):
    sizes = sizes.copy()
    n_prev = sizes.pop(0)
    total = 0
    for n in sizes:
        total += n_prev * n + n
        n_prev = n
    return total


# ---- 1.4 mlp_flops -------------------------------------------------------------------

def mlp_flops_ok(sizes):
    sizes = [int(n) for n in sizes]
    return int(sum(2 * a * b for a, b in zip(sizes[:-1], sizes[1:])))


def fl_macs(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def fl_one_addition_short(sizes):
    return sum((2 * a - 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def fl_twice_params(sizes):
    return 2 * sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def fl_float(sizes):
    s = np.asarray(sizes, dtype=float)
    return float(np.sum(2.0 * s[:-1] * s[1:]))


def fl_counts_activations(sizes):
    flops = 0
    for l in range(1, len(sizes)):
        flops += 2 * sizes[l - 1] * sizes[l]
        if l < len(sizes) - 1:
            flops += sizes[l]          # one op per hidden activation
    return flops


# ---- 1.5 fit_to_target ---------------------------------------------------------------

def _samples(f, x_range, n=64):
    low, high = x_range
    X = np.linspace(low, high, n).reshape(-1, 1)
    return X, f(X)


def fit_to_target_ok(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y,
           epochs=1500, batch_size=None, eval_train=False)
    return model


def ft_no_nonlinearity(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y,
           epochs=1500, batch_size=None, eval_train=False)
    return model


def ft_ignores_rng(f, x_range, rng):
    X, y = _samples(f, x_range)
    init_rng = nn.make_rng(0)
    model = nn.Sequential([nn.Dense(1, 32, rng=init_rng), nn.Tanh(), nn.Dense(32, 1, rng=init_rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y,
           epochs=1500, batch_size=None, eval_train=False)
    return model


def ft_undertrained(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.Sigmoid(), nn.Dense(16, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.SGD(lr=0.01), X, y,
           epochs=20, batch_size=None, eval_train=False)
    return model


def ft_relu_on_output(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng), nn.ReLU()])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y,
           epochs=1500, batch_size=None, eval_train=False)
    return model


def ft_returns_history(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    return nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y,
                  epochs=1500, batch_size=None, eval_train=False)


# =====================================================================================
# lesson 02
# =====================================================================================

# ---- 2.1 collapse_linear -------------------------------------------------------------

def collapse_linear_ok(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2


def cl_forgets_b2(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2


def cl_drops_b1(W1, b1, W2, b2):
    return W1 @ W2, b2.copy()


def cl_transposed_w(W1, b1, W2, b2):
    return W2.T @ W1.T, W2.T @ b1 + b2


def cl_in_place_b2(W1, b1, W2, b2):
    b2 += b1 @ W2
    return W1 @ W2, b2


def cl_row_bias(W1, b1, W2, b2):
    W = np.matmul(W1, W2)
    b = b1.reshape(1, -1) @ W2 + b2
    return W, b


# ---- 2.2 sigmoid ---------------------------------------------------------------------

def sigmoid_ok(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))                    # never larger than 1
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sg_naive(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def sg_where_both_branches(x):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def sg_negative_form_everywhere(x):
    e = np.exp(np.asarray(x, dtype=float))
    return e / (1 + e)


def sg_abs_only(x):
    return 1.0 / (1.0 + np.exp(-np.abs(x)))


def sg_loop_flat(x):
    out = []
    for v in np.asarray(x, dtype=float).ravel():
        if v >= 0:
            out.append(1 / (1 + np.exp(-v)))
        else:
            out.append(np.exp(v) / (1 + np.exp(v)))
    return np.array(out)


# ---- 2.3 sigmoid_grad ----------------------------------------------------------------

def sigmoid_grad_ok(x):
    s = sigmoid_ok(x)
    return s * (1.0 - s)


def sgg_input_not_output(x):
    x = np.asarray(x, dtype=float)
    return x * (1 - x)


def sgg_naive_sigmoid(x):
    s = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return s * (1 - s)


def sgg_tanh_formula(x):
    s = sigmoid_ok(x)
    return 1 - s ** 2


def sgg_exp_quotient(x):
    x = np.asarray(x, dtype=float)
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


def sgg_tanh_identity_slip(x):
    s = (1 + np.tanh(np.asarray(x, dtype=float))) / 2     # should be tanh(x / 2)
    return s * (1 - s)


# ---- 2.4 tanh_grad_from_output -------------------------------------------------------

def tanh_grad_from_output_ok(t):
    t = np.asarray(t, dtype=float)
    return 1.0 - t * t


def tg_tanh_again(t):
    return 1 - np.tanh(t) ** 2


def tg_one_minus_t(t):
    return 1 - np.asarray(t, dtype=float)


def tg_sigmoid_formula(t):
    t = np.asarray(t, dtype=float)
    return t * (1 - t)


def tg_times_two_typo(t):
    t = np.asarray(t, dtype=float)
    return 1 - t * 2


def tg_in_place_square(t):
    t = np.asarray(t)
    t *= t
    return 1 - t


# ---- 2.5 relu_backward ---------------------------------------------------------------

def relu_backward_ok(dout, x):
    return np.asarray(dout, dtype=float) * (np.asarray(x) > 0)


def rb_kink_one(dout, x):
    return dout * (x >= 0)


def rb_in_place(dout, x):
    dout[x <= 0] = 0
    return dout


def rb_forgets_dout(dout, x):
    return (np.asarray(x) > 0).astype(float)


def rb_relu_of_dout(dout, x):
    return np.maximum(0, dout)


def rb_times_relu(dout, x):
    return dout * np.maximum(0, x)


# ---- 2.6 leaky_relu_backward ---------------------------------------------------------

def leaky_relu_backward_ok(dout, x, alpha=0.01):
    return np.asarray(dout, dtype=float) * np.where(np.asarray(x) > 0, 1.0, alpha)


def lr_slope_one_at_zero(dout, x, alpha=0.01):
    return dout * np.where(x >= 0, 1.0, alpha)


def lr_forgets_alpha(dout, x, alpha=0.01):
    return dout * (x > 0)


def lr_alpha_not_times_dout(dout, x, alpha=0.01):
    return np.where(x > 0, dout, alpha)


def lr_hardcoded_alpha(dout, x, alpha=0.01):
    return dout * np.where(x > 0, 1.0, 0.01)


def lr_in_place(dout, x, alpha=0.01):
    grad = dout
    grad[x <= 0] *= alpha
    return grad


# =====================================================================================
# lesson 03
# =====================================================================================

# ---- 3.1 glorot_bound ----------------------------------------------------------------

def glorot_bound_ok(n_in, n_out):
    return float(np.sqrt(6.0 / (n_in + n_out)))


def gb_std_as_bound(n_in, n_out):
    return float(np.sqrt(2 / (n_in + n_out)))


def gb_misprint(n_in, n_out):
    return 6 / np.sqrt(n_in + n_out)


def gb_fan_in_only(n_in, n_out):
    return np.sqrt(6 / n_in)


def gb_parentheses(n_in, n_out):
    return float(np.sqrt(6 / n_in + n_out))


def gb_no_sqrt(n_in, n_out):
    return 6.0 / (n_in + n_out)


# ---- 3.2 he_std ----------------------------------------------------------------------

def he_std_ok(n_in):
    return float(np.sqrt(2.0 / n_in))


def hs_variance(n_in):
    return 2 / n_in


def hs_no_factor_two(n_in):
    return np.sqrt(1 / n_in)


def hs_uniform_bound(n_in):
    return np.sqrt(6 / n_in)


def hs_sqrt_denominator_only(n_in):
    return 2 / np.sqrt(n_in)


def hs_sqrt_numerator_only(n_in):
    return np.sqrt(2) / n_in


# ---- 3.3 glorot_uniform --------------------------------------------------------------

def glorot_uniform_ok(n_in, n_out, rng):
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


def gu_np_random(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return np.random.uniform(-a, a, size=(n_in, n_out))


def gu_positive_only(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(0, a, size=(n_in, n_out))


def gu_transposed(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_out, n_in))


def gu_std_as_bound(n_in, n_out, rng):
    a = np.sqrt(2 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


def gu_one_column_copied(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    column = rng.uniform(-a, a, size=(n_in, 1))
    return np.tile(column, (1, n_out))


# ---- 3.4 he_normal -------------------------------------------------------------------

def he_normal_ok(n_in, n_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def hn_variance_as_scale(n_in, n_out, rng):
    return rng.normal(0, 2 / n_in, size=(n_in, n_out))


def hn_fan_out(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_out), size=(n_in, n_out))


def hn_np_random(n_in, n_out, rng):
    return np.random.randn(n_in, n_out) * np.sqrt(2 / n_in)


def hn_glorot_std(n_in, n_out, rng):
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2 / (n_in + n_out))


def hn_loc_for_scale(n_in, n_out, rng):
    return rng.normal(np.sqrt(2 / n_in), size=(n_in, n_out))


# ---- 3.5 output_variance -------------------------------------------------------------

def output_variance_ok(n_in, var_w, var_x):
    return float(n_in * var_w * var_x)


def ov_forgets_n_in(n_in, var_w, var_x):
    return float(var_w * var_x)


def ov_adds(n_in, var_w, var_x):
    return float(n_in * var_w + var_x)


def ov_n_in_squared(n_in, var_w, var_x):
    return float(n_in ** 2 * var_w * var_x)


def ov_sqrt_n_in(n_in, var_w, var_x):
    return float(np.sqrt(n_in) * var_w * var_x)


def ov_relu_half(n_in, var_w, var_x):
    return 0.5 * n_in * var_w * var_x


# ---- 3.6 identical_units -------------------------------------------------------------

def identical_units_ok(W, tol=1e-8):
    W = np.asarray(W, dtype=float)
    gap = np.max(np.abs(W[:, :, None] - W[:, None, :]), axis=0, initial=0.0)
    return gap <= tol


def iu_rows(W, tol=1e-8):
    W = np.asarray(W, float)
    return np.max(np.abs(W[:, None, :] - W[None, :, :]), axis=2) <= tol


def iu_strict(W, tol=1e-8):
    W = np.asarray(W, float)
    return np.abs(W[:, :, None] - W[:, None, :]).max(axis=0) < tol


def iu_sum_of_differences(W, tol=1e-8):
    W = np.asarray(W, float)
    return np.sum(np.abs(W[:, :, None] - W[:, None, :]), axis=0) <= tol


def iu_no_abs(W, tol=1e-8):
    W = np.asarray(W, float)
    return np.max(W[:, :, None] - W[:, None, :], axis=0) <= tol


def iu_isclose(W, tol=1e-8):
    W = np.asarray(W, float)
    return np.all(np.isclose(W[:, :, None], W[:, None, :], atol=tol), axis=0)


# =====================================================================================
# lesson 04
# =====================================================================================

# ---- 4.1 one_hot ---------------------------------------------------------------------

def one_hot_ok(y, C):
    y = np.asarray(y).astype(int)
    Y = np.zeros((y.shape[0], int(C)))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def oh_classes_from_labels(y, C):
    y = np.asarray(y)
    return np.eye(y.max() + 1)[y]


def oh_whole_columns(y, C):
    y = np.asarray(y)
    Y = np.zeros((len(y), C))
    Y[:, y] = 1
    return Y


def oh_transposed(y, C):
    y = np.asarray(y)
    Y = np.zeros((C, len(y)))
    Y[y, np.arange(len(y))] = 1
    return Y


def oh_one_based(y, C):
    y = np.asarray(y)
    Y = np.zeros((len(y), C))
    Y[np.arange(len(y)), y - 1] = 1
    return Y


def oh_whole_rows(y, C):
    y = np.asarray(y)
    Y = np.zeros((len(y), C))
    Y[y] = 1
    return Y


# ---- 4.2 softmax ---------------------------------------------------------------------

def softmax_ok(Z):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sm_no_shift(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def sm_columns(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def sm_global_max(Z):
    e = np.exp(Z - np.max(Z))
    return e / e.sum(axis=1, keepdims=True)


def sm_in_place(Z):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    return Z / Z.sum(axis=1, keepdims=True)


def sm_sum_without_keepdims(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


# ---- 4.3 cross_entropy_loss ----------------------------------------------------------

def _log_softmax_ok(Z):
    Z = np.asarray(Z, dtype=float)
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def cross_entropy_loss_ok(Z, y):
    logq = _log_softmax_ok(Z)
    y = np.asarray(y).astype(int)
    return float(-np.mean(logq[np.arange(len(y)), y]))


def ce_log_of_softmax(Z, y):
    q = softmax_ok(Z)
    return float(-np.mean(np.log(q[np.arange(len(y)), y])))


def ce_argmax_class(Z, y):
    logq = _log_softmax_ok(Z)
    return float(-np.mean(logq[np.arange(len(Z)), np.argmax(Z, axis=1)]))


def ce_sum(Z, y):
    logq = _log_softmax_ok(Z)
    return float(-np.sum(logq[np.arange(len(y)), y]))


def ce_forgets_shift_in_z(Z, y):
    m = Z.max(axis=1, keepdims=True)
    logq = Z - np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True))
    return float(-logq[np.arange(len(y)), y].mean())


def ce_column_indexing(Z, y):
    logq = _log_softmax_ok(Z)
    return float(-np.mean(logq[:, y]))


# ---- 4.4 cross_entropy_grad ----------------------------------------------------------

def cross_entropy_grad_ok(Z, y):
    Z = np.asarray(Z, dtype=float)
    N, C = Z.shape
    return (softmax_ok(Z) - one_hot_ok(y, C)) / N


def cg_no_mean(Z, y):
    return softmax_ok(Z) - one_hot_ok(y, Z.shape[1])


def cg_sign(Z, y):
    return (one_hot_ok(y, Z.shape[1]) - softmax_ok(Z)) / len(Z)


def cg_unstable_softmax(Z, y):
    e = np.exp(Z)
    q = e / e.sum(axis=1, keepdims=True)
    q[np.arange(len(y)), y] -= 1
    return q / len(y)


def cg_divides_by_size(Z, y):
    return (softmax_ok(Z) - one_hot_ok(y, Z.shape[1])) / Z.size


def cg_argmax_one_hot(Z, y):
    q = softmax_ok(Z)
    return (q - one_hot_ok(np.argmax(Z, axis=1), Z.shape[1])) / len(Z)


# ---- 4.5 entropy ---------------------------------------------------------------------

def entropy_ok(P):
    P = np.asarray(P, dtype=float)
    logP = np.zeros_like(P)
    np.log2(P, out=logP, where=P > 0)
    return 0.0 - np.sum(P * logP, axis=1)


def en_nats(P):
    P = np.asarray(P, float)
    logP = np.zeros_like(P)
    np.log(P, out=logP, where=P > 0)
    return -np.sum(P * logP, axis=1)


def en_zero_gives_nan(P):
    P = np.asarray(P, float)
    return -np.sum(P * np.log2(P), axis=1)


def en_columns(P):
    P = np.asarray(P, float)
    terms = np.zeros_like(P)
    mask = P > 0
    terms[mask] = P[mask] * np.log2(P[mask])
    return -terms.sum(axis=0)


def en_no_minus(P):
    P = np.asarray(P, float)
    logP = np.zeros_like(P)
    np.log2(P, out=logP, where=P > 0)
    return np.sum(P * logP, axis=1)


def en_nansum_total(P):
    P = np.asarray(P, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.nansum(P * np.log2(P))


# ---- 4.6 mse_loss --------------------------------------------------------------------

def mse_loss_ok(y_hat, y):
    d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float(np.mean(d * d))


def ms_mean_over_rows(y_hat, y):
    return float(np.sum((y_hat - y) ** 2) / len(y_hat))


def ms_half(y_hat, y):
    return float(0.5 * np.mean((y_hat - y) ** 2))


def ms_sum(y_hat, y):
    return float(np.sum((y_hat - y) ** 2))


def ms_square_of_mean(y_hat, y):
    return float(np.mean(y_hat - y) ** 2)


def ms_per_row(y_hat, y):
    return np.mean((y_hat - y) ** 2, axis=1)


# =====================================================================================

WRONG = {
    "lesson00": {
        "numerical_gradient": [
            ("forward difference (f(x+h) - f(x)) / h instead of the centred difference", ng_forward_difference),
            ("operator precedence: divides by 2 and then multiplies by h ('/ 2 * h') instead of dividing by 2h",
             ng_precedence),
            ("perturbs x in place and never restores the entry, so x is left shifted by -h", ng_no_restore),
            ("loops over range(len(x)) and perturbs whole rows at once: wrong for matrices", ng_rows_only),
            ("returns a flat gradient of shape (x.size,) instead of the shape of x", ng_flat_result),
        ],
        "rel_error": [
            ("divides by max(||a||, ||b||) instead of ||a|| + ||b||", re_max_denominator),
            ("no special case for two zero arrays: returns nan (0/0)", re_no_zero_case),
            ("operator precedence: ||a - b|| / ||a|| + ||b|| (adds ||b|| after dividing)", re_precedence),
            ("elementwise relative error, maximum over entries (CS231n style), not norms of whole arrays",
             re_elementwise_max),
            ("adds an epsilon 1e-8 to the denominator: wrong for arrays with small norms", re_epsilon),
        ],
        "dense_backward": [
            ("db summed over axis 1 (per example) instead of axis 0: shape (N,)", db_wrong_axis),
            ("db keeps dims: shape (1, H) instead of (H,)", db_keepdims),
            ("dW = dout.T @ X: transposed, shape (H, D)", dw_transposed),
            ("divides dW by the batch size N", dw_divided_by_n),
            ("dX = W @ dout.T: transposed, shape (D, N)", dx_transposed),
        ],
        "gradient_check": [
            ("never calls zero_grad: leftover gradients in .grads are added to the analytic gradient",
             gc_no_zero_grad),
            ("zero_grad once, then a forward+backward inside the loop for every parameter: later "
             "parameters' gradients accumulate (2x, 3x, ...)", gc_backward_per_parameter),
            ("perturbs a copy of each parameter (p.copy()), so the loss never changes and the numerical "
             "gradient is zero", gc_perturbs_a_copy),
            ("checks only the weights W and leaves the biases b out of the dict", gc_weights_only),
            ("returns nn.gradcheck.check_model's GradCheckReport object instead of a dict", gc_returns_report),
        ],
    },
    "lesson01": {
        "sigmoid_bump": [
            ("steepness multiplies x only: sigma(s*x - l) instead of sigma(s*(x - l)), edges move with s",
             sb_steepness_on_x_only),
            ("subtracts in the wrong order: step at right minus step at left, a negative bump", sb_reversed),
            ("subtracts the edges from x in place (x -= left), changing the caller's array", sb_in_place),
            ("divides by the steepness: sigma((x - l) / s), treating s as a width", sb_divides_by_steepness),
            ("product sigma(s(x-l)) * (1 - sigma(s(x-r))) instead of the difference", sb_product),
        ],
        "relu_interpolant": [
            ("only K-1 units (no unit at the last knot, m_{K-1}=0 forgotten): keeps rising/falling right "
             "of the last knot", ri_not_flat_right),
            ("weights each unit by the slope m_i instead of the change of slope m_i - m_{i-1}",
             ri_slopes_as_weights),
            ("assumes evenly spaced knots: divides every rise by k_1 - k_0", ri_even_spacing),
            ("forgets the offset y_0", ri_no_offset),
            ("reshapes x to a column and returns a flat result: wrong shape for a matrix x", ri_flattens),
        ],
        "mlp_param_count": [
            ("forgets the biases: counts weights only", pc_no_biases),
            ("counts a bias per input n_{l-1} instead of per output n_l", pc_bias_per_input),
            ("loop stops one layer early: the output layer is not counted", pc_skips_last_layer),
            ("operator typo: n_{l-1} + n_l + n_l instead of n_{l-1} * n_l + n_l", pc_plus_typo),
            ("calls sizes.copy()/pop: crashes for a tuple", pc_list_only),
        ],
        "mlp_flops": [
            ("counts multiply-adds (MACs) once: sum n_{l-1} n_l, missing the factor 2", fl_macs),
            ("uses n_{l-1} - 1 additions per output (forgets the bias addition): (2n_{l-1} - 1) n_l",
             fl_one_addition_short),
            ("FLOPs = 2 x parameter count: adds 2 n_l for the biases", fl_twice_params),
            ("returns a float instead of an int", fl_float),
            ("counts one FLOP per hidden activation as well", fl_counts_activations),
        ],
        "fit_to_target": [
            ("no nonlinearity between the Dense layers: the model is linear", ft_no_nonlinearity),
            ("ignores the rng argument: builds the layers with nn.make_rng(0)", ft_ignores_rng),
            ("trains far too little (plain SGD lr 0.01, 20 full-batch epochs): MSE stays high", ft_undertrained),
            ("puts a ReLU after the output layer: cannot output negative values", ft_relu_on_output),
            ("returns the History from nn.fit instead of the model", ft_returns_history),
        ],
    },
    "lesson02": {
        "collapse_linear": [
            ("forgets b2: b = b1 W2", cl_forgets_b2),
            ("drops the b1 W2 term: b = b2", cl_drops_b1),
            ("returns W transposed, shape (C, D) (PyTorch's out x in convention)", cl_transposed_w),
            ("adds b1 W2 into b2 in place (b2 += ...), changing the caller's b2", cl_in_place_b2),
            ("b computed from a row vector: shape (1, C) instead of (C,)", cl_row_bias),
        ],
        "sigmoid": [
            ("naive 1 / (1 + exp(-x)): overflow warning for x = -1000", sg_naive),
            ("np.where with both formulas evaluated on all x: overflow/invalid warnings", sg_where_both_branches),
            ("uses exp(x) / (1 + exp(x)) for every x: nan for x = 1000", sg_negative_form_everywhere),
            ("uses exp(-|x|) but only the x >= 0 formula: returns sigma(|x|), wrong for negative x",
             sg_abs_only),
            ("loops entry by entry over x.ravel() and returns a flat array: wrong shape for matrices",
             sg_loop_flat),
        ],
        "sigmoid_grad": [
            ("applies the formula to the input: x (1 - x) instead of sigma(x)(1 - sigma(x))",
             sgg_input_not_output),
            ("computes sigma naively: overflow warning for x = -1000", sgg_naive_sigmoid),
            ("uses tanh's derivative formula 1 - sigma^2", sgg_tanh_formula),
            ("exp(-x) / (1 + exp(-x))^2: overflows to nan for x = -1000", sgg_exp_quotient),
            ("sigma written as (1 + tanh(x)) / 2, forgetting the x/2", sgg_tanh_identity_slip),
        ],
        "tanh_grad_from_output": [
            ("applies tanh again to the output: 1 - tanh(t)^2", tg_tanh_again),
            ("1 - t instead of 1 - t^2 (the lesson-00 buggy Tanh)", tg_one_minus_t),
            ("uses the sigmoid's formula t (1 - t)", tg_sigmoid_formula),
            ("typo 1 - t*2 instead of 1 - t**2", tg_times_two_typo),
            ("squares t in place (t *= t), changing the caller's array", tg_in_place_square),
        ],
        "relu_backward": [
            ("passes the gradient at x = 0 too (x >= 0): relu'(0) = 1", rb_kink_one),
            ("zeroes dout in place and returns it: changes the caller's dout", rb_in_place),
            ("returns relu'(x) without multiplying by dout", rb_forgets_dout),
            ("applies ReLU to dout (masks by the sign of dout, not of x)", rb_relu_of_dout),
            ("multiplies dout by relu(x) instead of relu'(x)", rb_times_relu),
        ],
        "leaky_relu_backward": [
            ("slope 1 at x = 0 (x >= 0) instead of alpha", lr_slope_one_at_zero),
            ("forgets the leak: gradient 0 for x <= 0 (plain ReLU backward)", lr_forgets_alpha),
            ("returns alpha itself (not alpha * dout) where x <= 0", lr_alpha_not_times_dout),
            ("ignores the alpha argument: hard-codes 0.01", lr_hardcoded_alpha),
            ("scales dout in place (grad = dout is not a copy): changes the caller's dout", lr_in_place),
        ],
    },
    "lesson03": {
        "glorot_bound": [
            ("returns the standard deviation sqrt(2 / (n_in + n_out)) as the bound", gb_std_as_bound),
            ("the source's misprint 6 / sqrt(n_in + n_out)", gb_misprint),
            ("uses the fan-in only: sqrt(6 / n_in) (He uniform)", gb_fan_in_only),
            ("parentheses slip: sqrt(6 / n_in + n_out)", gb_parentheses),
            ("forgets the square root: returns a^2 = 6 / (n_in + n_out)", gb_no_sqrt),
        ],
        "he_std": [
            ("returns the variance 2 / n_in instead of its square root", hs_variance),
            ("forgets the factor 2: sqrt(1 / n_in)", hs_no_factor_two),
            ("returns He's uniform bound sqrt(6 / n_in)", hs_uniform_bound),
            ("square root of the denominator only: 2 / sqrt(n_in)", hs_sqrt_denominator_only),
            ("square root of the numerator only: sqrt(2) / n_in", hs_sqrt_numerator_only),
        ],
        "glorot_uniform": [
            ("draws with np.random instead of the rng passed in", gu_np_random),
            ("draws from U(0, a): every weight positive", gu_positive_only),
            ("shape (n_out, n_in) instead of (n_in, n_out)", gu_transposed),
            ("uses the std sqrt(2 / (n_in + n_out)) as the bound: variance 3x too small", gu_std_as_bound),
            ("draws one column and copies it to every unit: all units identical", gu_one_column_copied),
        ],
        "he_normal": [
            ("passes the variance 2 / n_in as rng.normal's scale", hn_variance_as_scale),
            ("uses the fan-out: std sqrt(2 / n_out)", hn_fan_out),
            ("draws with np.random.randn instead of the rng passed in", hn_np_random),
            ("uses Glorot's std sqrt(2 / (n_in + n_out))", hn_glorot_std),
            ("passes the std positionally as loc: mean sqrt(2/n_in), std 1", hn_loc_for_scale),
        ],
        "output_variance": [
            ("forgets n_in: Var(w) Var(x)", ov_forgets_n_in),
            ("adds instead of multiplying: n_in Var(w) + Var(x)", ov_adds),
            ("n_in squared: n_in^2 Var(w) Var(x)", ov_n_in_squared),
            ("sqrt(n_in) instead of n_in (adds standard deviations)", ov_sqrt_n_in),
            ("applies ReLU's factor 1/2: n_in Var(w) Var(x) / 2", ov_relu_half),
        ],
        "identical_units": [
            ("compares rows (inputs) instead of columns (units): shape (n_in, n_in)", iu_rows),
            ("strict < tol instead of <= tol: with tol = 0 not even the diagonal is True", iu_strict),
            ("sum of absolute differences instead of their maximum", iu_sum_of_differences),
            ("forgets the absolute value: max(W_ij - W_ik) <= tol, not symmetric", iu_no_abs),
            ("np.isclose with its default rtol=1e-5 besides atol=tol: large weights match too easily",
             iu_isclose),
        ],
    },
    "lesson04": {
        "one_hot": [
            ("takes the number of classes from y.max() + 1 instead of C", oh_classes_from_labels),
            ("Y[:, y] = 1: sets whole columns, every row gets a 1 in each label present", oh_whole_columns),
            ("shape (C, N): transposed", oh_transposed),
            ("treats labels as 1-based: puts the 1 in column y - 1", oh_one_based),
            ("Y[y] = 1: sets whole rows indexed by the labels", oh_whole_rows),
        ],
        "softmax": [
            ("no max subtraction: nan for logits around 1000", sm_no_shift),
            ("normalises columns (axis 0) instead of rows", sm_columns),
            ("subtracts the global maximum of Z, not each row's: rows far below it underflow to 0/0",
             sm_global_max),
            ("shifts and exponentiates Z in place: changes the caller's Z", sm_in_place),
            ("row sums without keepdims: broadcasts along the wrong axis (wrong or crashes)",
             sm_sum_without_keepdims),
        ],
        "cross_entropy_loss": [
            ("np.log(softmax(Z)): inf when the true class's probability underflows (e^-800)", ce_log_of_softmax),
            ("takes the probability of the argmax class instead of the true class", ce_argmax_class),
            ("sums over the batch instead of taking the mean", ce_sum),
            ("log-sum-exp without subtracting m from Z itself: log q = Z - log sum exp(Z - m)",
             ce_forgets_shift_in_z),
            ("indexes logq[:, y] (an N x N block) instead of logq[arange(N), y]", ce_column_indexing),
        ],
        "cross_entropy_grad": [
            ("forgets the 1/N", cg_no_mean),
            ("wrong sign: (Y - softmax) / N", cg_sign),
            ("softmax without max subtraction: nan for large logits", cg_unstable_softmax),
            ("divides by N*C (Z.size) instead of N", cg_divides_by_size),
            ("one-hot of the argmax prediction instead of the true labels", cg_argmax_one_hot),
        ],
        "entropy": [
            ("natural log: entropy in nats, not bits", en_nats),
            ("no 0 log 0 = 0 handling: nan for rows with a zero probability", en_zero_gives_nan),
            ("sums over axis 0 (classes of all rows per column): shape (C,)", en_columns),
            ("forgets the minus sign: negative entropies", en_no_minus),
            ("np.nansum over the whole array: one number for the batch instead of one per row",
             en_nansum_total),
        ],
        "mse_loss": [
            ("averages over rows only: sum / N instead of sum / (N K)", ms_mean_over_rows),
            ("a factor 1/2 in front", ms_half),
            ("sum instead of mean", ms_sum),
            ("squares the mean error: mean(y_hat - y)^2", ms_square_of_mean),
            ("returns the per-row mean, an array of shape (N,), instead of a float", ms_per_row),
        ],
    },
}

CORRECT = {
    "lesson00": {
        "numerical_gradient": numerical_gradient_ok,
        "rel_error": rel_error_ok,
        "dense_backward": dense_backward_ok,
        "gradient_check": gradient_check_ok,
    },
    "lesson01": {
        "sigmoid_bump": sigmoid_bump_ok,
        "relu_interpolant": relu_interpolant_ok,
        "mlp_param_count": mlp_param_count_ok,
        "mlp_flops": mlp_flops_ok,
        "fit_to_target": fit_to_target_ok,
    },
    "lesson02": {
        "collapse_linear": collapse_linear_ok,
        "sigmoid": sigmoid_ok,
        "sigmoid_grad": sigmoid_grad_ok,
        "tanh_grad_from_output": tanh_grad_from_output_ok,
        "relu_backward": relu_backward_ok,
        "leaky_relu_backward": leaky_relu_backward_ok,
    },
    "lesson03": {
        "glorot_bound": glorot_bound_ok,
        "he_std": he_std_ok,
        "glorot_uniform": glorot_uniform_ok,
        "he_normal": he_normal_ok,
        "output_variance": output_variance_ok,
        "identical_units": identical_units_ok,
    },
    "lesson04": {
        "one_hot": one_hot_ok,
        "softmax": softmax_ok,
        "cross_entropy_loss": cross_entropy_loss_ok,
        "cross_entropy_grad": cross_entropy_grad_ok,
        "entropy": entropy_ok,
        "mse_loss": mse_loss_ok,
    },
}
