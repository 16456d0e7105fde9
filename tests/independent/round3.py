"""Independent wrong answers (round 3), written from the exercise statements only."""
import numpy as np
import nnlib as nn


# ======================================================================================
# lesson 00
# ======================================================================================

# ---- 0.1 numerical_gradient ---------------------------------------------------------

def numerical_gradient_ok(f, x, h=1e-5):
    grad = np.zeros(np.shape(x), dtype=np.float64)
    xp = np.array(x, dtype=np.float64)          # private copy: x itself is never touched
    it = np.nditer(xp, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = xp[i]
        xp[i] = old + h
        f_plus = f(xp)
        xp[i] = old - h
        f_minus = f(xp)
        xp[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def numgrad_divide_by_h(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / h                  # missing the 2 of 2h
    return grad


def numgrad_no_restore(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)                                # never puts x[i] back: x ends shifted by -h
        grad[i] = (fp - fm) / (2 * h)
    return grad


def numgrad_all_at_once(f, x, h=1e-5):
    # nudges every entry together: the directional derivative along (1, ..., 1) in every slot
    return np.full(np.shape(x), (f(x + h) - f(x - h)) / (2 * h))


def numgrad_loop_first_axis(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(len(x)):                      # for a matrix, x[i] is a whole row
        old = x[i].copy()
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


def numgrad_aliased_copies(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x_plus = x                               # not a copy: same array as x_minus
        x_minus = x
        x_plus[i] += h
        x_minus[i] -= h
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)   # always 0
    return grad


# ---- 0.2 rel_error --------------------------------------------------------------------

def rel_error_ok(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    den = np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b))
    if den == 0:
        return 0.0
    return float(np.sqrt(np.sum((a - b) ** 2)) / den)


def rel_error_no_zero_case(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def rel_error_max_denominator(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def rel_error_eps_denominator(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-8))


def rel_error_elementwise_max(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def rel_error_l1_norms(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.sum(np.abs(a)) + np.sum(np.abs(b))
    return 0.0 if den == 0 else float(np.sum(np.abs(a - b)) / den)


# ---- 0.3 dense_backward ---------------------------------------------------------------

def dense_backward_ok(dout, X, W):
    dX = np.einsum("nh,dh->nd", dout, W)
    dW = np.einsum("nd,nh->dh", X, dout)
    db = np.einsum("nh->h", dout)
    return dX, dW, db


def dense_backward_dW_transposed(dout, X, W):
    return dout @ W.T, dout.T @ X, dout.sum(axis=0)


def dense_backward_db_mean(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.mean(axis=0)


def dense_backward_db_wrong_axis(dout, X, W):
    return dout @ W.T, X.T @ dout, np.sum(dout, axis=1)


def dense_backward_db_keepdims(dout, X, W):
    return dout @ W.T, X.T @ dout, np.sum(dout, axis=0, keepdims=True)


def dense_backward_dX_no_transpose(dout, X, W):
    return np.dot(dout, W), np.dot(X.T, dout), dout.sum(0)


# ---- 0.4 gradient_check ---------------------------------------------------------------

def gradient_check_ok(model, loss_fn, X, y, h=1e-5):
    def f():
        return loss_fn.forward(model.forward(X), y)

    model.zero_grad()
    f()
    model.backward(loss_fn.backward())
    out = {}
    for name, p, g in model.named_parameters():
        analytic = np.array(g, dtype=np.float64)
        out[name] = rel_error_ok(analytic, nn.gradcheck.numerical_gradient(f, p, h))
    return out


def gradient_check_no_zero_grad(model, loss_fn, X, y, h=1e-5):
    f = lambda: loss_fn.forward(model.forward(X), y)
    f()
    model.backward(loss_fn.backward())          # adds onto whatever was already in .grads
    return {name: nn.gradcheck.rel_error(g, nn.gradcheck.numerical_gradient(f, p, h))
            for name, p, g in model.named_parameters()}


def gradient_check_backward_per_parameter(model, loss_fn, X, y, h=1e-5):
    f = lambda: loss_fn.forward(model.forward(X), y)
    model.zero_grad()
    errors = {}
    for name, p, g in model.named_parameters():
        loss_fn.forward(model.forward(X), y)
        model.backward(loss_fn.backward())      # one more backward per parameter: grads pile up
        errors[name] = nn.gradcheck.rel_error(g, nn.gradcheck.numerical_gradient(f, p, h))
    return errors


def gradient_check_frozen_loss(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss = loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = lambda: loss                            # the loss is computed once: f never changes
    return {name: nn.gradcheck.rel_error(g, nn.gradcheck.numerical_gradient(f, p, h))
            for name, p, g in model.named_parameters()}


def gradient_check_perturbs_copy(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    errors = {}
    for name, p, g in model.named_parameters():
        q = p.copy()                            # perturbs a copy the model never sees
        num = np.zeros_like(q)
        for i in np.ndindex(q.shape):
            old = q[i]
            q[i] = old + h
            lp = loss_fn.forward(model.forward(X), y)
            q[i] = old - h
            lm = loss_fn.forward(model.forward(X), y)
            q[i] = old
            num[i] = (lp - lm) / (2 * h)
        errors[name] = rel_error_ok(g, num)
    return errors


def gradient_check_backward_ones(model, loss_fn, X, y, h=1e-5):
    f = lambda: loss_fn.forward(model.forward(X), y)
    model.zero_grad()
    out = model.forward(X)
    model.backward(np.ones_like(out))           # gradient of sum(outputs), not of the loss
    return {name: nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(f, p, h))
            for name, p, g in model.named_parameters()}


# ======================================================================================
# lesson 01
# ======================================================================================

# ---- 1.1 sigmoid_bump -------------------------------------------------------------------

def sigmoid_bump_ok(x, left, right, steepness):
    x = np.asarray(x, dtype=np.float64)
    return nn.sigmoid(steepness * (x - left)) - nn.sigmoid(steepness * (x - right))


def sigmoid_bump_steepness_on_x_only(x, left, right, steepness):
    return nn.sigmoid(steepness * x - left) - nn.sigmoid(steepness * x - right)


def sigmoid_bump_reversed(x, left, right, steepness):
    return nn.sigmoid(steepness * (x - right)) - nn.sigmoid(steepness * (x - left))


def sigmoid_bump_mutates_x(x, left, right, steepness):
    x -= left                                   # in place: the caller's x is shifted
    up = nn.sigmoid(steepness * x)
    x -= right - left
    down = nn.sigmoid(steepness * x)
    return up - down


def sigmoid_bump_divides_by_steepness(x, left, right, steepness):
    return nn.sigmoid((x - left) / steepness) - nn.sigmoid((x - right) / steepness)


def sigmoid_bump_hard_steps(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return (x > left).astype(float) - (x > right).astype(float)   # the s -> infinity limit


# ---- 1.2 relu_interpolant ---------------------------------------------------------------

def relu_interpolant_ok(x, knots, values):
    x = np.asarray(x, dtype=np.float64)
    k = np.asarray(knots, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    slopes = np.concatenate([[0.0], (v[1:] - v[:-1]) / (k[1:] - k[:-1]), [0.0]])
    gamma = slopes[1:] - slopes[:-1]
    out = np.full(x.shape, v[0])
    for g, ki in zip(gamma, k):
        out = out + g * np.maximum(0.0, x - ki)
    return out


def relu_interp_slopes_as_weights(x, knots, values):
    x, k, v = np.asarray(x, float), np.asarray(knots, float), np.asarray(values, float)
    m = np.diff(v) / np.diff(k)
    H = nn.relu(x[..., None] - k[:-1])
    return v[0] + H @ m                          # weights m_i instead of m_i - m_{i-1}


def relu_interp_no_right_flat(x, knots, values):
    x, k, v = np.asarray(x, float), np.asarray(knots, float), np.asarray(values, float)
    m = np.diff(v) / np.diff(k)
    gamma = np.diff(np.concatenate([[0.0], m]))   # forgets m_{K-1} = 0: no unit at the last knot
    return v[0] + nn.relu(x[..., None] - k[:-1]) @ gamma


def relu_interp_no_offset(x, knots, values):
    x, k, v = np.asarray(x, float), np.asarray(knots, float), np.asarray(values, float)
    m = np.concatenate([[0.0], np.diff(v) / np.diff(k), [0.0]])
    return nn.relu(x[..., None] - k) @ np.diff(m)   # y_0 left out


def relu_interp_even_spacing(x, knots, values):
    x, k, v = np.asarray(x, float), np.asarray(knots, float), np.asarray(values, float)
    dx = k[1] - k[0]                             # assumes evenly spaced knots
    m = np.concatenate([[0.0], np.diff(v) / dx, [0.0]])
    return v[0] + nn.relu(x[..., None] - k) @ np.diff(m)


def relu_interp_1d_only(x, knots, values):
    x, k, v = np.asarray(x, float), np.asarray(knots, float), np.asarray(values, float)
    m = np.concatenate([[0.0], np.diff(v) / np.diff(k), [0.0]])
    gamma = np.diff(m)
    hidden = np.maximum(0, x[:, None] - k[None, :])   # only right for a 1-D x
    return v[0] + hidden.dot(gamma)


# ---- 1.3 mlp_param_count ----------------------------------------------------------------

def mlp_param_count_ok(sizes):
    sizes = [int(s) for s in sizes]
    return int(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])))


def param_count_no_biases(sizes):
    return sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))


def param_count_input_bias_too(sizes):
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return weights + sum(sizes)                  # a bias for every layer, input included


def param_count_bias_per_input(sizes):
    return sum(n_in * (n_out + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def param_count_skips_last_layer(sizes):
    total = 0
    for l in range(1, len(sizes) - 1):           # off by one: the output layer is never counted
        total += sizes[l - 1] * sizes[l] + sizes[l]
    return total


def param_count_no_output_bias(sizes):
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return weights + sum(sizes[1:-1])            # biases of the hidden layers only


# ---- 1.4 mlp_flops ------------------------------------------------------------------------

def mlp_flops_ok(sizes):
    s = [int(n) for n in sizes]
    return int(sum(2 * a * b for a, b in zip(s, s[1:])))


def flops_macs_only(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))   # one per multiply-add


def flops_extra_bias_add(sizes):
    return sum(2 * a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def flops_wraparound_loop(sizes):
    total = 0
    for l in range(len(sizes)):                  # l = 0 pairs sizes[-1] with sizes[0]
        total += 2 * sizes[l - 1] * sizes[l]
    return total


def flops_counts_activations(sizes):
    dense = sum(2 * a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return dense + sum(sizes[1:-1])              # one FLOP per hidden activation


def flops_forgets_bias_addition(sizes):
    return sum((2 * a - 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


# ---- 1.5 fit_to_target ----------------------------------------------------------------------

def _samples(f, x_range, n=64):
    low, high = x_range
    X = np.linspace(low, high, n).reshape(-1, 1)
    return X, np.asarray(f(X), dtype=float).reshape(-1, 1)


def fit_to_target_ok(f, x_range, rng):
    X, y = _samples(f, x_range, 80)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def fit_linear_model(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Dense(32, 1, rng=rng)])   # no activation
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def fit_ignores_rng(f, x_range, rng):
    X, y = _samples(f, x_range)
    r = nn.make_rng(0)                            # its own seed instead of the rng passed in
    model = nn.Sequential([nn.Dense(1, 32, rng=r), nn.Tanh(), nn.Dense(32, 1, rng=r)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def fit_relu_on_output(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng),
                           nn.ReLU()])            # the output cannot go below 0
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def fit_too_little_training(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.Sigmoid(), nn.Dense(16, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.SGD(lr=0.01), X, y, epochs=50, batch_size=None,
           eval_train=False)                      # plain SGD, tiny lr, few epochs: underfits
    return model


def fit_returns_history(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    return nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, y, epochs=1500,
                  batch_size=None, eval_train=False)   # the History, not the model


# ======================================================================================
# lesson 02
# ======================================================================================

# ---- 2.1 collapse_linear ----------------------------------------------------------------

def collapse_linear_ok(W1, b1, W2, b2):
    W1, b1, W2, b2 = (np.asarray(a, dtype=np.float64) for a in (W1, b1, W2, b2))
    return np.dot(W1, W2), np.dot(b1, W2) + b2


def collapse_add_biases(W1, b1, W2, b2):
    return W1 @ W2, b1 + b2                      # b1 does not pass through W2


def collapse_product_order(W1, b1, W2, b2):
    return W2 @ W1, b1 @ W2 + b2


def collapse_bias_b2_only(W1, b1, W2, b2):
    return W1 @ W2, b2


def collapse_forgets_b2(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2


def collapse_W_transposed(W1, b1, W2, b2):
    return (W1 @ W2).T, b1 @ W2 + b2              # (C, D) instead of (D, C)


# ---- 2.2 sigmoid --------------------------------------------------------------------------

def sigmoid_ok(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def sigmoid_naive(x):
    return 1 / (1 + np.exp(-x))                  # exp(1000) overflows for x = -1000


def sigmoid_where_both_branches(x):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))   # both computed


def sigmoid_exp_over_one_plus_exp(x):
    e = np.exp(x)
    return e / (1 + e)                           # inf / inf = nan for x = 1000


def sigmoid_abs_everywhere(x):
    return 1 / (1 + np.exp(-np.abs(x)))          # sigma(|x|): wrong for x < 0


def sigmoid_precedence(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / 1 + e, e / 1 + e)   # 1 / 1 + e is 1 + e


# ---- 2.3 sigmoid_grad ---------------------------------------------------------------------

def sigmoid_grad_ok(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


def sigmoid_grad_on_input(x):
    return x * (1 - x)                           # the formula applied to x, not to sigma(x)


def sigmoid_grad_naive_sigmoid(x):
    s = 1 / (1 + np.exp(-x))                     # overflows for x = -1000
    return s * (1 - s)


def sigmoid_grad_exp_formula(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2                      # inf / inf = nan for x = -1000


def sigmoid_grad_tanh_form(x):
    s = nn.sigmoid(x)
    return 1 - s ** 2                            # tanh's derivative written with sigma


def sigmoid_grad_int_buffer(x):
    x = np.asarray(x)
    s = np.zeros_like(x)                         # integer buffer for integer input
    pos = x >= 0
    s[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    s[~pos] = e / (1 + e)
    return s * (1 - s)


# ---- 2.4 tanh_grad_from_output ----------------------------------------------------------

def tanh_grad_from_output_ok(t):
    t = np.asarray(t, dtype=np.float64)
    return (1.0 - t) * (1.0 + t)


def tanh_grad_recomputes_tanh(t):
    return 1 - np.tanh(t) ** 2                   # treats the output t as the input x


def tanh_grad_sigmoid_form(t):
    return t * (1 - t)


def tanh_grad_no_square(t):
    return 1 - t


def tanh_grad_typo_times_two(t):
    return 1 - t * 2                             # t*2 instead of t**2


def tanh_grad_dot_product(t):
    t = np.asarray(t, dtype=float)
    return 1 - np.dot(t, t)                      # matrix/dot product instead of element-wise


# ---- 2.5 relu_backward ----------------------------------------------------------------------

def relu_backward_ok(dout, x):
    dout = np.asarray(dout, dtype=np.float64)
    return np.where(np.asarray(x) > 0, dout, 0.0)


def relu_backward_ge_zero(dout, x):
    return dout * (x >= 0)                       # lets the gradient through at x = 0


def relu_backward_in_place(dout, x):
    dout[x <= 0] = 0                             # overwrites the caller's dout and returns it
    return dout


def relu_backward_mask_only(dout, x):
    return (x > 0).astype(float)                 # relu'(x), never multiplied by dout


def relu_backward_mask_from_dout(dout, x):
    return dout * (dout > 0)                     # masks on the sign of dout instead of x


def relu_backward_times_activation(dout, x):
    return dout * np.maximum(x, 0)               # multiplies by relu(x), not relu'(x)


# ---- 2.6 leaky_relu_backward --------------------------------------------------------------

def leaky_relu_backward_ok(dout, x, alpha=0.01):
    dout = np.asarray(dout, dtype=np.float64)
    slope = np.full(np.shape(x), float(alpha))
    slope[np.asarray(x) > 0] = 1.0
    return dout * slope


def leaky_backward_ge_zero(dout, x, alpha=0.01):
    return dout * np.where(x >= 0, 1.0, alpha)   # slope 1 at x = 0


def leaky_backward_plain_relu(dout, x, alpha=0.01):
    return dout * (x > 0)                        # slope 0 on the left: alpha forgotten


def leaky_backward_alpha_not_times_dout(dout, x, alpha=0.01):
    return np.where(x > 0, dout, alpha)          # alpha instead of alpha * dout


def leaky_backward_times_activation(dout, x, alpha=0.01):
    return dout * np.where(x > 0, x, alpha * x)  # multiplies by leaky(x), not its slope


def leaky_backward_hardcoded_alpha(dout, x, alpha=0.01):
    return dout * np.where(x > 0, 1.0, 0.01)     # ignores the alpha argument


# ======================================================================================
# lesson 03
# ======================================================================================

# ---- 3.1 glorot_bound -------------------------------------------------------------------

def glorot_bound_ok(n_in, n_out):
    return float((6.0 / (n_in + n_out)) ** 0.5)


def glorot_bound_std(n_in, n_out):
    return float(np.sqrt(2 / (n_in + n_out)))    # the std, not the bound


def glorot_bound_fan_in(n_in, n_out):
    return float(np.sqrt(6 / n_in))


def glorot_bound_no_sqrt(n_in, n_out):
    return 6 / (n_in + n_out)


def glorot_bound_precedence(n_in, n_out):
    return float(np.sqrt(6 / n_in + n_out))


def glorot_bound_sqrt_numerator(n_in, n_out):
    return float(np.sqrt(6) / (n_in + n_out))


# ---- 3.2 he_std ----------------------------------------------------------------------------

def he_std_ok(n_in):
    return float(np.sqrt(2.0 / n_in))


def he_std_variance(n_in):
    return 2 / n_in                              # the variance, not its square root


def he_std_lecun(n_in):
    return float(np.sqrt(1 / n_in))


def he_std_sqrt_numerator(n_in):
    return float(np.sqrt(2) / n_in)


def he_std_inverted(n_in):
    return float(np.sqrt(n_in / 2))


def he_std_uniform_bound(n_in):
    return float(np.sqrt(6 / n_in))              # He's uniform bound


# ---- 3.3 glorot_uniform ---------------------------------------------------------------------

def glorot_uniform_ok(n_in, n_out, rng):
    a = np.sqrt(6.0 / (n_in + n_out))
    return a * (2.0 * rng.random((n_in, n_out)) - 1.0)


def glorot_uniform_np_random(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return np.random.uniform(-a, a, size=(n_in, n_out))   # global state, not rng


def glorot_uniform_transposed(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_out, n_in))


def glorot_uniform_std_as_bound(n_in, n_out, rng):
    a = np.sqrt(2 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


def glorot_uniform_positive_only(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(0, a, size=(n_in, n_out))


def glorot_uniform_one_draw_per_row(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    col = rng.uniform(-a, a, size=(n_in, 1))
    return np.repeat(col, n_out, axis=1)         # every unit gets the same column


# ---- 3.4 he_normal ----------------------------------------------------------------------------

def he_normal_ok(n_in, n_out, rng):
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)


def he_normal_variance_as_scale(n_in, n_out, rng):
    return rng.normal(0, 2 / n_in, size=(n_in, n_out))


def he_normal_fan_out(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_out), size=(n_in, n_out))


def he_normal_np_random(n_in, n_out, rng):
    return np.random.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))


def he_normal_transposed(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in))


def he_normal_glorot_variance(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))


# ---- 3.5 output_variance -------------------------------------------------------------------

def output_variance_ok(n_in, var_w, var_x):
    return float(n_in) * float(var_w) * float(var_x)


def output_variance_no_n(n_in, var_w, var_x):
    return float(var_w * var_x)


def output_variance_adds(n_in, var_w, var_x):
    return float(n_in * (var_w + var_x))


def output_variance_n_squared(n_in, var_w, var_x):
    return float(n_in ** 2 * var_w * var_x)


def output_variance_sqrt_n(n_in, var_w, var_x):
    return float(np.sqrt(n_in) * var_w * var_x)


def output_variance_relu_half(n_in, var_w, var_x):
    return float(n_in * var_w * var_x / 2)       # ReLU's 1/2 where there is no ReLU


# ---- 3.6 identical_units ----------------------------------------------------------------------

def identical_units_ok(W, tol=1e-8):
    W = np.asarray(W, dtype=np.float64)
    H = W.shape[1]
    S = np.zeros((H, H), dtype=bool)
    for j in range(H):
        for k in range(H):
            S[j, k] = np.max(np.abs(W[:, j] - W[:, k])) <= tol
    return S


def identical_units_rows(W, tol=1e-8):
    D = np.abs(W[:, None, :] - W[None, :, :])    # compares rows (inputs), not columns
    return D.max(axis=2) <= tol


def identical_units_strict(W, tol=1e-8):
    D = np.abs(W[:, :, None] - W[:, None, :])
    return D.max(axis=0) < tol                   # < instead of <=


def identical_units_no_abs(W, tol=1e-8):
    D = W[:, :, None] - W[:, None, :]
    return D.max(axis=0) <= tol                  # signed difference


def identical_units_any(W, tol=1e-8):
    D = np.abs(W[:, :, None] - W[:, None, :])
    return np.any(D <= tol, axis=0)              # one matching weight is enough


def identical_units_isclose(W, tol=1e-8):
    return np.isclose(W[:, :, None], W[:, None, :]).all(axis=0)   # default tolerances, tol ignored


# ======================================================================================
# lesson 04
# ======================================================================================

# ---- 4.1 one_hot ---------------------------------------------------------------------------

def one_hot_ok(y, C):
    y = np.asarray(y).astype(np.int64).ravel()
    return (y[:, None] == np.arange(C)[None, :]).astype(np.float64)


def one_hot_columns_from_max(y, C):
    return np.eye(np.max(y) + 1)[y]              # a batch without class C-1 gets too few columns


def one_hot_transposed(y, C):
    return np.eye(C)[:, y]                       # (C, N)


def one_hot_fills_columns(y, C):
    Y = np.zeros((len(y), C))
    Y[:, y] = 1                                  # every row gets a 1 for every label present
    return Y


def one_hot_one_based(y, C):
    Y = np.zeros((len(y), C))
    for n, label in enumerate(y):
        Y[n, label - 1] = 1                      # labels treated as 1..C
    return Y


def one_hot_loop_from_one(y, C):
    Y = np.zeros((len(y), C))
    for n in range(1, len(y)):                   # the first example is skipped
        Y[n, y[n]] = 1
    return Y


# ---- 4.2 softmax -----------------------------------------------------------------------------

def softmax_ok(Z):
    Z = np.asarray(Z, dtype=np.float64)
    e = np.exp(Z - Z.max(axis=1)[:, None])
    return e / e.sum(axis=1)[:, None]


def softmax_no_shift(Z):
    e = np.exp(Z)                                # overflows for logits around 1000
    return e / e.sum(axis=1, keepdims=True)


def softmax_over_columns(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_global_max(Z):
    e = np.exp(Z - np.max(Z))                    # one max for the whole batch
    return e / e.sum(axis=1, keepdims=True)


def softmax_no_keepdims(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)                     # broadcasts along the wrong axis


def softmax_mutates_Z(Z):
    Z -= Z.max(axis=1, keepdims=True)            # changes the caller's logits
    np.exp(Z, out=Z)
    return Z / Z.sum(axis=1, keepdims=True)


# ---- 4.3 cross_entropy_loss -------------------------------------------------------------------

def cross_entropy_loss_ok(Z, y):
    Z = np.asarray(Z, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    m = Z.max(axis=1)
    lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


def ce_log_of_softmax(Z, y):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    q = e / e.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(q[np.arange(len(y)), y])))   # log(0) = -inf


def ce_sum_not_mean(Z, y):
    m = Z.max(axis=1, keepdims=True)
    logq = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return float(-np.sum(logq[np.arange(len(y)), y]))


def ce_lse_without_shift(Z, y):
    logq = Z - np.log(np.sum(np.exp(Z), axis=1, keepdims=True))   # overflows at 1000
    return float(-np.mean(logq[np.arange(len(y)), y]))


def ce_wrong_indexing(Z, y):
    m = Z.max(axis=1, keepdims=True)
    logq = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return float(-np.mean(logq[:, y]))           # (N, N) block, not one entry per row


def ce_forgets_max_in_lse(Z, y):
    m = Z.max(axis=1, keepdims=True)
    logq = Z - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))   # m not subtracted from Z
    return float(-np.mean(logq[np.arange(len(y)), y]))


# ---- 4.4 cross_entropy_grad ---------------------------------------------------------------------

def cross_entropy_grad_ok(Z, y):
    P = softmax_ok(Z)
    N = P.shape[0]
    P[np.arange(N), np.asarray(y).astype(np.int64)] -= 1.0
    return P / N


def ce_grad_no_mean(Z, y):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return P - np.eye(Z.shape[1])[y]


def ce_grad_sign(Z, y):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return (np.eye(Z.shape[1])[y] - P) / len(y)


def ce_grad_unstable_softmax(Z, y):
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)   # nan for large logits
    return (P - np.eye(Z.shape[1])[y]) / len(y)


def ce_grad_column_subtract(Z, y):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    P[:, y] -= 1                                 # subtracts 1 in whole columns
    return P / len(y)


def ce_grad_divides_by_NC(Z, y):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    return (P - np.eye(Z.shape[1])[y]) / Z.size  # 1/(N C) instead of 1/N


# ---- 4.5 entropy --------------------------------------------------------------------------------

def entropy_ok(P):
    P = np.asarray(P, dtype=np.float64)
    terms = np.zeros_like(P)
    nz = P > 0
    terms[nz] = P[nz] * np.log(P[nz]) / np.log(2.0)
    return -terms.sum(axis=1)


def entropy_nats(P):
    P = np.asarray(P, float)
    logs = np.log(P, out=np.zeros_like(P), where=P > 0)
    return -np.sum(P * logs, axis=1)             # natural log: nats, not bits


def entropy_nan_at_zero(P):
    return -np.sum(P * np.log2(P), axis=1)       # 0 * log2(0) = nan


def entropy_wrong_axis(P):
    P = np.asarray(P, float)
    logs = np.log2(np.where(P > 0, P, 1.0))
    return -np.sum(P * logs, axis=0)             # one value per class, not per row


def entropy_total_scalar(P):
    P = np.asarray(P, float)
    p = P[P > 0]                                 # the mask flattens the rows together
    return -np.sum(p * np.log2(p))


def entropy_missing_minus(P):
    P = np.asarray(P, float)
    logs = np.log2(np.where(P > 0, P, 1.0))
    return np.sum(P * logs, axis=1)


# ---- 4.6 mse_loss ------------------------------------------------------------------------------

def mse_loss_ok(y_hat, y):
    d = (np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)).ravel()
    return float(d @ d / d.size)


def mse_mean_over_rows(y_hat, y):
    return float(np.sum((y_hat - y) ** 2) / len(y))   # divides by N, not N K


def mse_half_factor(y_hat, y):
    return float(0.5 * np.mean((y_hat - y) ** 2))


def mse_absolute(y_hat, y):
    return float(np.mean(np.abs(y_hat - y)))


def mse_root(y_hat, y):
    return float(np.sqrt(np.mean((y_hat - y) ** 2)))


def mse_square_of_mean(y_hat, y):
    return float(np.mean(y_hat - y) ** 2)        # mean first, then squared


# ======================================================================================

WRONG = {
    "lesson00": {
        "numerical_gradient": [
            ("divides the centred difference by h instead of 2h (gradient twice too large)", numgrad_divide_by_h),
            ("never restores the perturbed entry: x is left shifted by -h and later entries are "
             "evaluated at a wrong point", numgrad_no_restore),
            ("perturbs all entries at once (f(x+h)-f(x-h))/2h, giving the same directional "
             "derivative in every slot", numgrad_all_at_once),
            ("loops over range(len(x)): for a matrix it perturbs whole rows instead of single entries",
             numgrad_loop_first_axis),
            ("x_plus and x_minus are aliases of the same array (no copy): +h and -h cancel, "
             "gradient is always 0", numgrad_aliased_copies),
        ],
        "rel_error": [
            ("no special case for two zero arrays: returns nan (0/0)", rel_error_no_zero_case),
            ("denominator max(||a||, ||b||) instead of ||a|| + ||b||", rel_error_max_denominator),
            ("adds 1e-8 to the denominator instead of handling 0/0: wrong for small arrays",
             rel_error_eps_denominator),
            ("element-wise relative error max|a-b|/(|a|+|b|) instead of norms of the whole arrays",
             rel_error_elementwise_max),
            ("L1 norms (sums of absolute values) instead of Euclidean norms", rel_error_l1_norms),
        ],
        "dense_backward": [
            ("dW = dout.T @ X: transposed, shape (H, D) instead of (D, H)", dense_backward_dW_transposed),
            ("db is the mean of dout over the batch instead of the sum", dense_backward_db_mean),
            ("db sums dout over axis 1 (per example, shape (N,)) instead of over the batch",
             dense_backward_db_wrong_axis),
            ("db keeps a leading axis: shape (1, H) instead of (H,)", dense_backward_db_keepdims),
            ("dX = dout @ W without transposing W (shape error or wrong values)",
             dense_backward_dX_no_transpose),
        ],
        "gradient_check": [
            ("no model.zero_grad() before backward: gradients already in .grads are added to the "
             "analytic gradient", gradient_check_no_zero_grad),
            ("runs a forward+backward for every parameter without zeroing: grads accumulate, the "
             "k-th parameter's analytic gradient is k times too large", gradient_check_backward_per_parameter),
            ("f returns a loss computed once before the loop, so the numerical gradient is 0",
             gradient_check_frozen_loss),
            ("perturbs a copy of each parameter the model never sees: numerical gradient is 0",
             gradient_check_perturbs_copy),
            ("backpropagates a gradient of ones (d sum(outputs)) instead of loss_fn.backward()",
             gradient_check_backward_ones),
        ],
    },
    "lesson01": {
        "sigmoid_bump": [
            ("steepness multiplies x only: sigma(s*x - l) - sigma(s*x - r), edges move to l/s and r/s",
             sigmoid_bump_steepness_on_x_only),
            ("subtracts in the wrong order: sigma(s(x-r)) - sigma(s(x-l)), a negative bump",
             sigmoid_bump_reversed),
            ("shifts x in place (x -= left), changing the caller's array", sigmoid_bump_mutates_x),
            ("divides by the steepness: sigma((x-l)/s) instead of sigma(s(x-l))",
             sigmoid_bump_divides_by_steepness),
            ("hard Heaviside steps (x > l) - (x > r), ignoring the steepness", sigmoid_bump_hard_steps),
        ],
        "relu_interpolant": [
            ("weights the units by the slopes m_i themselves instead of the slope changes m_i - m_{i-1}",
             relu_interp_slopes_as_weights),
            ("forgets m_{K-1} = 0: no unit at the last knot, so the line keeps rising/falling right "
             "of the last knot", relu_interp_no_right_flat),
            ("leaves out the offset y_0", relu_interp_no_offset),
            ("assumes evenly spaced knots: every slope divided by k_1 - k_0", relu_interp_even_spacing),
            ("x[:, None] - knots: only right for 1-D x (fails or wrong for other shapes)",
             relu_interp_1d_only),
        ],
        "mlp_param_count": [
            ("forgets the biases: counts weights only", param_count_no_biases),
            ("adds a bias for every entry of sizes, the input layer included", param_count_input_bias_too),
            ("one bias per input instead of per output: n_{l-1} (n_l + 1)", param_count_bias_per_input),
            ("off-by-one loop that never counts the last (output) layer", param_count_skips_last_layer),
            ("counts biases of the hidden layers only, none for the output layer",
             param_count_no_output_bias),
        ],
        "mlp_flops": [
            ("counts multiply-adds (MACs): n_{l-1} n_l, missing the factor 2", flops_macs_only),
            ("adds an extra FLOP per output for the bias: 2 n_{l-1} n_l + n_l", flops_extra_bias_add),
            ("loops over range(len(sizes)) with sizes[l-1]: l = 0 adds the bogus pair (n_L, n_0)",
             flops_wraparound_loop),
            ("counts one FLOP per hidden activation although activations are not counted",
             flops_counts_activations),
            ("(2 n_{l-1} - 1) n_l: n_{l-1} - 1 additions, forgetting the bias addition",
             flops_forgets_bias_addition),
        ],
        "fit_to_target": [
            ("no nonlinearity between the Dense layers: the model is linear", fit_linear_model),
            ("ignores the given rng and builds the layers with nn.make_rng(0)", fit_ignores_rng),
            ("a ReLU after the output layer: predictions cannot be negative", fit_relu_on_output),
            ("too little training (plain SGD, lr=0.01, 50 epochs): underfits", fit_too_little_training),
            ("returns the History from nn.fit instead of the trained model", fit_returns_history),
        ],
    },
    "lesson02": {
        "collapse_linear": [
            ("b = b1 + b2: the first bias is not passed through W2", collapse_add_biases),
            ("W = W2 @ W1: product in the wrong order", collapse_product_order),
            ("b = b2 only: forgets the b1 W2 term", collapse_bias_b2_only),
            ("b = b1 @ W2: forgets to add b2", collapse_forgets_b2),
            ("returns W transposed, shape (C, D) instead of (D, C)", collapse_W_transposed),
        ],
        "sigmoid": [
            ("naive 1/(1+exp(-x)): overflow warning for x = -1000", sigmoid_naive),
            ("np.where with both formulas: both branches are evaluated on all x, so exp overflows "
             "(warnings, inf/inf) even though the selected values are right", sigmoid_where_both_branches),
            ("exp(x)/(1+exp(x)) everywhere: nan (inf/inf) and overflow for x = 1000",
             sigmoid_exp_over_one_plus_exp),
            ("1/(1+exp(-|x|)) for every x: that is sigma(|x|), wrong for negative x",
             sigmoid_abs_everywhere),
            ("precedence slip 1 / 1 + e (= 1 + e) instead of 1 / (1 + e)", sigmoid_precedence),
        ],
        "sigmoid_grad": [
            ("applies s(1-s) to the input: x (1 - x) instead of sigma(x)(1 - sigma(x))",
             sigmoid_grad_on_input),
            ("uses a naive sigmoid 1/(1+exp(-x)): overflow warning for x = -1000",
             sigmoid_grad_naive_sigmoid),
            ("exp(-x)/(1+exp(-x))^2: inf/inf = nan and overflow for x = -1000", sigmoid_grad_exp_formula),
            ("1 - sigma(x)^2: tanh's derivative formula written with sigma", sigmoid_grad_tanh_form),
            ("fills np.zeros_like(x): an integer input gives an integer buffer, sigma truncated to "
             "0/1 and the gradient 0", sigmoid_grad_int_buffer),
        ],
        "tanh_grad_from_output": [
            ("1 - tanh(t)^2: applies tanh again to the output t", tanh_grad_recomputes_tanh),
            ("t (1 - t): the sigmoid's derivative formula", tanh_grad_sigmoid_form),
            ("1 - t: the square is missing", tanh_grad_no_square),
            ("typo 1 - t*2 instead of 1 - t**2", tanh_grad_typo_times_two),
            ("1 - np.dot(t, t): dot/matrix product instead of the element-wise square",
             tanh_grad_dot_product),
        ],
        "relu_backward": [
            ("mask x >= 0: passes the gradient at x = 0 (relu'(0) should be 0)", relu_backward_ge_zero),
            ("zeroes dout in place and returns it: the caller's dout is modified", relu_backward_in_place),
            ("returns relu'(x) (the 0/1 mask) without multiplying by dout", relu_backward_mask_only),
            ("masks on the sign of dout instead of x", relu_backward_mask_from_dout),
            ("multiplies dout by relu(x) instead of relu'(x)", relu_backward_times_activation),
        ],
        "leaky_relu_backward": [
            ("slope 1 at x = 0 (x >= 0) instead of alpha", leaky_backward_ge_zero),
            ("slope 0 for x <= 0: plain ReLU backward, alpha ignored", leaky_backward_plain_relu),
            ("returns alpha instead of alpha * dout where x <= 0", leaky_backward_alpha_not_times_dout),
            ("multiplies dout by leaky(x) (the activation) instead of its slope",
             leaky_backward_times_activation),
            ("hard-codes alpha = 0.01 and ignores the alpha argument", leaky_backward_hardcoded_alpha),
        ],
    },
    "lesson03": {
        "glorot_bound": [
            ("returns the std sqrt(2/(n_in+n_out)) instead of the bound sqrt(6/(n_in+n_out))",
             glorot_bound_std),
            ("uses the fan-in only: sqrt(6/n_in)", glorot_bound_fan_in),
            ("forgets the square root: 6/(n_in+n_out)", glorot_bound_no_sqrt),
            ("precedence slip sqrt(6/n_in + n_out)", glorot_bound_precedence),
            ("square root of the numerator only: sqrt(6)/(n_in+n_out)", glorot_bound_sqrt_numerator),
        ],
        "he_std": [
            ("returns the variance 2/n_in instead of its square root", he_std_variance),
            ("LeCun's sqrt(1/n_in): the factor 2 is missing", he_std_lecun),
            ("square root of the numerator only: sqrt(2)/n_in", he_std_sqrt_numerator),
            ("inverted ratio sqrt(n_in/2)", he_std_inverted),
            ("He's uniform bound sqrt(6/n_in) instead of the std", he_std_uniform_bound),
        ],
        "glorot_uniform": [
            ("draws with np.random.uniform instead of the given rng", glorot_uniform_np_random),
            ("shape (n_out, n_in) instead of (n_in, n_out)", glorot_uniform_transposed),
            ("uses the std sqrt(2/(n_in+n_out)) as the bound: variance 3 times too small",
             glorot_uniform_std_as_bound),
            ("draws from U(0, a): only positive weights", glorot_uniform_positive_only),
            ("one draw per row repeated over the columns: all units identical", glorot_uniform_one_draw_per_row),
        ],
        "he_normal": [
            ("passes the variance 2/n_in as scale instead of the std", he_normal_variance_as_scale),
            ("uses the fan-out: std sqrt(2/n_out)", he_normal_fan_out),
            ("draws with np.random.normal instead of the given rng", he_normal_np_random),
            ("shape (n_out, n_in) instead of (n_in, n_out)", he_normal_transposed),
            ("Glorot's variance 2/(n_in+n_out) instead of He's 2/n_in", he_normal_glorot_variance),
        ],
        "output_variance": [
            ("forgets the factor n_in: var_w * var_x", output_variance_no_n),
            ("adds the variances: n_in (var_w + var_x)", output_variance_adds),
            ("n_in squared: n_in^2 var_w var_x", output_variance_n_squared),
            ("sqrt(n_in) var_w var_x (mixes std and variance)", output_variance_sqrt_n),
            ("halves the result (ReLU's factor 1/2 applied where there is no ReLU)", output_variance_relu_half),
        ],
        "identical_units": [
            ("compares rows of W (inputs) instead of columns (units): shape (n_in, n_in)",
             identical_units_rows),
            ("strict < tol instead of <= tol (diagonal False when tol = 0)", identical_units_strict),
            ("signed difference without abs: max_i (W_ij - W_ik) <= tol", identical_units_no_abs),
            ("any instead of all over the inputs: one matching weight is enough", identical_units_any),
            ("np.isclose with its default rtol/atol: ignores tol", identical_units_isclose),
        ],
    },
    "lesson04": {
        "one_hot": [
            ("number of columns from y.max()+1 instead of C", one_hot_columns_from_max),
            ("transposed: shape (C, N) via np.eye(C)[:, y]", one_hot_transposed),
            ("Y[:, y] = 1: fills whole columns, every row gets a 1 for each label in the batch",
             one_hot_fills_columns),
            ("treats labels as 1-based: puts the 1 in column y-1 (label 0 wraps to the last column)",
             one_hot_one_based),
            ("loop starts at 1: the first example's row stays all zero", one_hot_loop_from_one),
        ],
        "softmax": [
            ("no max shift: exp overflows, nan for logits around 1000", softmax_no_shift),
            ("normalises over axis 0 (columns) instead of rows", softmax_over_columns),
            ("subtracts one global max for the whole batch instead of each row's max: rows far "
             "below it underflow to 0/0", softmax_global_max),
            ("divides by e.sum(axis=1) without keepdims: broadcast along the wrong axis",
             softmax_no_keepdims),
            ("shifts and exponentiates Z in place, changing the caller's logits", softmax_mutates_Z),
        ],
        "cross_entropy_loss": [
            ("np.log(softmax(Z)): log(0) = -inf gives an infinite loss when q = e^-800",
             ce_log_of_softmax),
            ("sum over the batch instead of the mean", ce_sum_not_mean),
            ("log-sum-exp without subtracting the max: overflow for large logits", ce_lse_without_shift),
            ("indexes logq[:, y] (an N x N block) instead of logq[arange(N), y]", ce_wrong_indexing),
            ("log q = Z - log sum exp(Z - m): forgets to subtract m from Z", ce_forgets_max_in_lse),
        ],
        "cross_entropy_grad": [
            ("forgets the 1/N: softmax(Z) - Y", ce_grad_no_mean),
            ("wrong sign: (Y - softmax(Z))/N", ce_grad_sign),
            ("softmax without the max shift: nan for large logits", ce_grad_unstable_softmax),
            ("P[:, y] -= 1 subtracts 1 in whole columns instead of one entry per row",
             ce_grad_column_subtract),
            ("divides by N*C (Z.size) instead of N", ce_grad_divides_by_NC),
        ],
        "entropy": [
            ("natural log: entropy in nats instead of bits", entropy_nats),
            ("no 0 log 0 = 0 rule: nan for rows with a zero probability", entropy_nan_at_zero),
            ("sums over axis 0: one value per class instead of per row", entropy_wrong_axis),
            ("masks P[P > 0], which flattens the rows: returns one total over the batch",
             entropy_total_scalar),
            ("missing minus sign: returns negative entropy", entropy_missing_minus),
        ],
        "mse_loss": [
            ("divides the sum of squares by N only (mean over rows of the per-row sum)", mse_mean_over_rows),
            ("extra factor 1/2", mse_half_factor),
            ("mean absolute error instead of squared", mse_absolute),
            ("square root of the mean (RMSE)", mse_root),
            ("squares the mean difference instead of averaging the squares", mse_square_of_mean),
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
