"""Independent wrong answers, written from the exercise statements only (not from the checkers)."""
import math

import numpy as np
import nnlib as nn


# ----------------------------------------------------------------------------------------------
# small self-contained helpers (what a learner would reuse from earlier exercises)
# ----------------------------------------------------------------------------------------------
def _sig(t):
    t = np.asarray(t, dtype=float)
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(Z):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _one_hot(y, C):
    y = np.asarray(y)
    Y = np.zeros((y.shape[0], C))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def _rel(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    d = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if d == 0 else float(np.linalg.norm(a - b) / d)


def _loss_closure(model, loss_fn, X, y):
    return lambda: loss_fn.forward(model.forward(X), y)


# ==============================================================================================
# lesson 00
# ==============================================================================================
# ---- 0.1 numerical_gradient -------------------------------------------------------------------
def ng_correct(f, x, h=1e-5):
    xw = np.array(x, dtype=np.float64)          # a private copy: the caller's x is never touched
    g = np.empty_like(xw)
    for idx in np.ndindex(*xw.shape):
        keep = xw[idx]
        xw[idx] = keep + h
        up = f(xw)
        xw[idx] = keep - h
        down = f(xw)
        xw[idx] = keep
        g[idx] = (up - down) / (2.0 * h)
    return g


def ng_forward_difference(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    f0 = f(x)
    for i in range(x.size):
        xp = x.copy()
        xp.flat[i] += h
        g.flat[i] = (f(xp) - f0) / h
    return g


def ng_divides_by_h(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (f(xp) - f(xm)) / h
    return g


def ng_no_restore(f, x, h=1e-5):
    g = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        g[i] = (fp - fm) / (2 * h)          # forgot x[i] += h: x ends shifted by -h everywhere
    return g


def ng_all_at_once(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


def ng_loops_first_axis(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(len(x)):                  # for a matrix, x[i] is a whole row
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


def ng_flat_result(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    flat = x.ravel()
    g = []
    for i in range(flat.size):
        e = np.zeros_like(flat)
        e[i] = h
        g.append((f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))) / (2 * h))
    return np.array(g)                       # shape (x.size,), not x.shape


def ng_aliasing(f, x, h=1e-5):
    g = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        x_plus = x                           # not a copy
        x_plus[idx] += h
        fp = f(x_plus)
        x_minus = x                          # still the same array: back at x, not x - h
        x_minus[idx] -= h
        fm = f(x_minus)
        g[idx] = (fp - fm) / (2 * h)
    return g


def ng_float32(f, x, h=1e-5):
    x32 = np.array(x, dtype=np.float32)
    g = np.zeros_like(x32)
    for idx in np.ndindex(x32.shape):
        old = x32[idx]
        x32[idx] = old + h
        fp = f(x32)
        x32[idx] = old - h
        fm = f(x32)
        x32[idx] = old
        g[idx] = (fp - fm) / (2 * h)
    return g


# ---- 0.2 rel_error ----------------------------------------------------------------------------
def re_correct(a, b):
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    den = math.sqrt(a @ a) + math.sqrt(b @ b)
    if den == 0.0:
        return 0.0
    d = a - b
    return float(math.sqrt(d @ d) / den)


def re_no_zero_guard(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    with np.errstate(invalid="ignore", divide="ignore"):
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
    num, den = np.abs(a - b), np.abs(a) + np.abs(b)
    r = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return float(r.mean())


def re_spectral_norm(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    n = lambda v: np.linalg.norm(v, 2) if v.ndim == 2 else np.linalg.norm(v)   # ord=2 on a matrix
    den = n(a) + n(b)
    return 0.0 if den == 0 else float(n(a - b) / den)


def re_squared_norms(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.sum(a ** 2) + np.sum(b ** 2)
    return 0.0 if den == 0 else float(np.sum((a - b) ** 2) / den)


def re_epsilon(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-8))


def re_l1_norms(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.abs(a).sum() + np.abs(b).sum()
    return 0.0 if den == 0 else float(np.abs(a - b).sum() / den)


# ---- 0.3 dense_backward -----------------------------------------------------------------------
def db_correct(dout, X, W):
    dX = np.einsum("nh,dh->nd", dout, W)
    dW = np.einsum("nd,nh->dh", X, dout)
    db = np.einsum("nh->h", dout)
    return dX, dW, db


def db_bias_axis1(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.sum(axis=1)


def db_bias_mean(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.mean(axis=0)


def db_dW_transposed(dout, X, W):
    return dout @ W.T, dout.T @ X, np.sum(dout, axis=0)


def db_dX_transposed(dout, X, W):
    return W @ dout.T, X.T @ dout, np.sum(dout, axis=0)


def db_dW_averaged(dout, X, W):
    N = X.shape[0]
    return dout @ W.T, X.T @ dout / N, dout.sum(0) / N


def db_wrong_order(dout, X, W):
    dX, dW, db = dout @ W.T, X.T @ dout, dout.sum(axis=0)
    return dW, dX, db


def db_bias_scalar(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.sum()


def db_loop_outer(dout, X, W):
    N, D = X.shape
    H = W.shape[1]
    dX = np.zeros((N, D))
    dW = np.zeros((H, D))
    db = np.zeros(H)
    for n in range(N):
        dX[n] = W @ dout[n]
        dW += np.outer(dout[n], X[n])       # (H, D): the transpose of dW
        db += dout[n]
    return dX, dW, db


# ---- 0.4 gradient_check -----------------------------------------------------------------------
def gc_correct(model, loss_fn, X, y, h=1e-5):
    for _, _, g in model.named_parameters():
        g[...] = 0.0
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    analytic = {name: g.copy() for name, _, g in model.named_parameters()}
    f = _loss_closure(model, loss_fn, X, y)
    errors = {}
    for name, p, _ in model.named_parameters():
        errors[name] = _rel(analytic[name], nn.gradcheck.numerical_gradient(f, p, h))
    return errors


def gc_no_zero_grad(model, loss_fn, X, y, h=1e-5):
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = _loss_closure(model, loss_fn, X, y)
    return {name: nn.gradcheck.rel_error(g, nn.gradcheck.numerical_gradient(f, p, h))
            for name, p, g in model.named_parameters()}


def gc_backward_per_parameter(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    f = _loss_closure(model, loss_fn, X, y)
    out = {}
    for name, p, g in model.named_parameters():
        loss_fn.forward(model.forward(X), y)   # a new forward/backward for every parameter,
        model.backward(loss_fn.backward())     # so the gradients pile up
        out[name] = nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(f, p, h))
    return out


def gc_key_collision(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = _loss_closure(model, loss_fn, X, y)
    errs = {}
    for layer in model.layers:
        for k in layer.params:               # "W", "b": the second layer overwrites the first
            errs[k] = nn.gradcheck.rel_error(layer.grads[k].copy(),
                                             nn.gradcheck.numerical_gradient(f, layer.params[k], h))
    return errs


def gc_forward_difference(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    f = _loss_closure(model, loss_fn, X, y)
    f()
    model.backward(loss_fn.backward())
    errs = {}
    for name, p, g in model.named_parameters():
        analytic = g.copy()
        num = np.zeros_like(p)
        f0 = f()
        for i in range(p.size):
            old = p.flat[i]
            p.flat[i] = old + h
            num.flat[i] = (f() - f0) / h
            p.flat[i] = old
        errs[name] = nn.gradcheck.rel_error(analytic, num)
    return errs


def gc_divides_by_batch(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = _loss_closure(model, loss_fn, X, y)
    N = len(X)
    return {name: nn.gradcheck.rel_error(g / N, nn.gradcheck.numerical_gradient(f, p, h))
            for name, p, g in model.named_parameters()}


def gc_ignores_h(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = _loss_closure(model, loss_fn, X, y)
    return {name: nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(f, p))
            for name, p, g in model.named_parameters()}


def gc_backward_after_numerical(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    f = _loss_closure(model, loss_fn, X, y)
    numeric = {name: nn.gradcheck.numerical_gradient(f, p, h) for name, p, _ in model.named_parameters()}
    model.backward(loss_fn.backward())       # caches are from the last, perturbed forward pass
    return {name: nn.gradcheck.rel_error(g, numeric[name]) for name, _, g in model.named_parameters()}


def gc_returns_max(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    f = _loss_closure(model, loss_fn, X, y)
    return max(nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(f, p, h))
               for _, p, g in model.named_parameters())


# ==============================================================================================
# lesson 01
# ==============================================================================================
# ---- 1.1 sigmoid_bump -------------------------------------------------------------------------
def sb_correct(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return _sig(steepness * (x - left)) - _sig(steepness * (x - right))


def sb_shift_not_scaled(x, left, right, steepness):
    return nn.sigmoid(steepness * x - left) - nn.sigmoid(steepness * x - right)


def sb_reversed(x, left, right, steepness):
    return nn.sigmoid(steepness * (x - right)) - nn.sigmoid(steepness * (x - left))


def sb_sum(x, left, right, steepness):
    return nn.sigmoid(steepness * (x - left)) + nn.sigmoid(steepness * (x - right))


def sb_mutates_x(x, left, right, steepness):
    x -= left
    up = nn.sigmoid(steepness * x)
    x -= right - left
    return up - nn.sigmoid(steepness * x)


def sb_product(x, left, right, steepness):
    return nn.sigmoid(steepness * (x - left)) * (1 - nn.sigmoid(steepness * (x - right)))


def sb_divides_by_steepness(x, left, right, steepness):
    return nn.sigmoid((x - left) / steepness) - nn.sigmoid((x - right) / steepness)


def sb_hard_steps(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return np.heaviside(x - left, 0.5) - np.heaviside(x - right, 0.5)


# ---- 1.2 relu_interpolant ---------------------------------------------------------------------
def ri_correct(x, knots, values):
    x = np.asarray(x, dtype=float)
    k = np.asarray(knots, dtype=float)
    v = np.asarray(values, dtype=float)
    m = np.concatenate([[0.0], np.diff(v) / np.diff(k), [0.0]])
    gamma = m[1:] - m[:-1]
    out = np.full(x.shape, v[0])
    for g, ki in zip(gamma, k):
        out = out + g * np.maximum(0.0, x - ki)
    return out


def _slopes(knots, values):
    k, v = np.asarray(knots, float), np.asarray(values, float)
    return k, v, np.diff(v) / np.diff(k)


def ri_no_last_unit(x, knots, values):
    k, v, m = _slopes(knots, values)
    gamma = np.diff(np.concatenate([[0.0], m]))          # K-1 units: never turns flat at the end
    x = np.asarray(x, float)
    return v[0] + np.sum(gamma * nn.relu(x[..., None] - k[:-1]), axis=-1)


def ri_no_offset(x, knots, values):
    k, v, m = _slopes(knots, values)
    gamma = np.diff(np.concatenate([[0.0], m, [0.0]]))
    x = np.asarray(x, float)
    return np.sum(gamma * nn.relu(x[..., None] - k), axis=-1)


def ri_slopes_as_weights(x, knots, values):
    k, v, m = _slopes(knots, values)
    gamma = np.concatenate([m, [0.0]])                   # m_i instead of m_i - m_{i-1}
    x = np.asarray(x, float)
    return v[0] + np.sum(gamma * nn.relu(x[..., None] - k), axis=-1)


def ri_even_spacing(x, knots, values):
    k, v = np.asarray(knots, float), np.asarray(values, float)
    step = k[1] - k[0]
    m = np.diff(v) / step                                # assumes evenly spaced knots
    gamma = np.diff(np.concatenate([[0.0], m, [0.0]]))
    x = np.asarray(x, float)
    return v[0] + np.sum(gamma * nn.relu(x[..., None] - k), axis=-1)


def ri_flipped_relu(x, knots, values):
    k, v, m = _slopes(knots, values)
    gamma = np.diff(np.concatenate([[0.0], m, [0.0]]))
    x = np.asarray(x, float)
    return v[0] + np.sum(gamma * nn.relu(k - x[..., None]), axis=-1)


def ri_shifted_gamma(x, knots, values):
    k, v, m = _slopes(knots, values)
    mm = np.concatenate([[0.0], m, [0.0]])
    K = len(k)
    gamma = np.array([mm[min(i + 2, K)] - mm[i + 1] for i in range(K)])   # gamma_i = m_{i+1} - m_i
    x = np.asarray(x, float)
    out = np.full(x.shape, v[0])
    for i in range(K):
        out += gamma[i] * nn.relu(x - k[i])
    return out


def ri_flattens(x, knots, values):
    k, v, m = _slopes(knots, values)
    gamma = np.diff(np.concatenate([[0.0], m, [0.0]]))
    H = nn.relu(np.ravel(x)[:, None] - k[None, :])
    return v[0] + H @ gamma                              # shape (x.size,), not x.shape


def ri_uses_interp(x, knots, values):
    return np.interp(x, knots, values)


# ---- 1.3 mlp_param_count ----------------------------------------------------------------------
def pc_correct(sizes):
    total = 0
    prev = None
    for n in sizes:
        if prev is not None:
            total += (prev + 1) * n
        prev = n
    return int(total)


def pc_no_biases(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def pc_input_biases(sizes):
    return sum(a * b for a, b in zip(sizes, sizes[1:])) + sum(sizes)


def pc_skips_last_layer(sizes):
    total = 0
    for l in range(1, len(sizes) - 1):
        total += sizes[l - 1] * sizes[l] + sizes[l]
    return total


def pc_bias_per_input(sizes):
    return sum(sizes[l - 1] * sizes[l] + sizes[l - 1] for l in range(1, len(sizes)))


def pc_returns_float(sizes):
    s = np.asarray(sizes, dtype=float)
    return float(np.dot(s[:-1], s[1:]) + s[1:].sum())


def pc_pops_input(sizes):
    n_in = sizes.pop(0)                      # mutates the list; fails on a tuple
    total = 0
    for n in sizes:
        total += n_in * n + n
        n_in = n
    return total


# ---- 1.4 mlp_flops ----------------------------------------------------------------------------
def fl_correct(sizes):
    s = [int(n) for n in sizes]
    return 2 * sum(s[i] * s[i + 1] for i in range(len(s) - 1))


def fl_macs(sizes):
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


def fl_extra_bias_add(sizes):
    return sum(2 * a * b + b for a, b in zip(sizes, sizes[1:]))


def fl_forgot_bias_add(sizes):
    return sum((2 * a - 1) * b for a, b in zip(sizes, sizes[1:]))


def fl_counts_activations(sizes):
    flops = sum(2 * a * b for a, b in zip(sizes, sizes[1:]))
    return flops + sum(sizes[1:-1])


def fl_skips_first_layer(sizes):
    return sum(2 * sizes[l] * sizes[l + 1] for l in range(1, len(sizes) - 1))


def fl_returns_float(sizes):
    s = np.array(sizes, dtype=np.float64)
    return 2.0 * float(s[:-1] @ s[1:])


def fl_bias_as_weight(sizes):
    return sum(2 * (a + 1) * b for a, b in zip(sizes, sizes[1:]))


# ---- 1.5 fit_to_target ------------------------------------------------------------------------
def _samples(f, x_range, n=128):
    lo, hi = x_range
    X = np.linspace(lo, hi, n).reshape(-1, 1)
    return X, f(X)


def ft_correct(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def ft_no_nonlinearity(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def ft_ignores_rng(f, x_range, rng):
    X, y = _samples(f, x_range)
    own = nn.make_rng(0)
    model = nn.Sequential([nn.Dense(1, 32, rng=own), nn.Tanh(), nn.Dense(32, 1, rng=own)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def ft_too_few_epochs(f, x_range, rng):
    X, y = _samples(f, x_range, 64)
    model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.Tanh(), nn.Dense(16, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.SGD(lr=0.01), X, y, epochs=10, batch_size=None,
           eval_train=False)
    return model


def ft_unit_interval_samples(f, x_range, rng):
    X = rng.random((64, 1))                  # samples in [0, 1) instead of [low, high]
    y = f(X)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def ft_returns_history(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    return nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=1500,
                  batch_size=None, eval_train=False)


def ft_relu_on_output(f, x_range, rng):
    X, y = _samples(f, x_range)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng), nn.ReLU()])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


def ft_row_samples(f, x_range, rng):
    lo, hi = x_range
    X = np.linspace(lo, hi, 64).reshape(1, -1)          # (1, N): one example with N features
    y = f(X)
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.01), X, y, epochs=1500, batch_size=None,
           eval_train=False)
    return model


# ==============================================================================================
# lesson 02
# ==============================================================================================
# ---- 2.1 collapse_linear ----------------------------------------------------------------------
def cl_correct(W1, b1, W2, b2):
    W = np.einsum("dh,hc->dc", W1, W2)
    b = np.einsum("h,hc->c", b1, W2) + b2
    return W, b


def cl_add_biases(W1, b1, W2, b2):
    return W1 @ W2, b1 + b2


def cl_forgets_b1(W1, b1, W2, b2):
    return W1 @ W2, b2.copy()


def cl_forgets_b2(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2


def cl_transposed_W(W1, b1, W2, b2):
    return W2.T @ W1.T, b1 @ W2 + b2


def cl_row_bias(W1, b1, W2, b2):
    return np.dot(W1, W2), np.dot(b1.reshape(1, -1), W2) + b2     # b of shape (1, C)


def cl_swapped_order(W1, b1, W2, b2):
    return b1 @ W2 + b2, W1 @ W2


# ---- 2.2 sigmoid ------------------------------------------------------------------------------
def sg_correct(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def sg_naive(x):
    return 1 / (1 + np.exp(-x))


def sg_naive_other_form(x):
    return np.exp(x) / (1 + np.exp(x))


def sg_where_both_branches(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def sg_clip(x):
    x = np.clip(x, -10, 10)
    return 1 / (1 + np.exp(-x))


def sg_in_place(x):
    e = np.exp(-np.abs(x))
    x[...] = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return x


def sg_swapped_branches(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, e / (1 + e), 1 / (1 + e))


def sg_flat_loop(x):
    out = []
    for v in np.ravel(x):
        if v >= 0:
            out.append(1 / (1 + math.exp(-v)))
        else:
            out.append(math.exp(v) / (1 + math.exp(v)))
    return np.array(out)


def sg_tanh_no_half(x):
    return 0.5 * (1 + np.tanh(x))


# ---- 2.3 sigmoid_grad -------------------------------------------------------------------------
def sgg_correct(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2               # symmetric in x: sigma(|x|) * sigma(-|x|)


def sgg_input_not_output(x):
    return x * (1 - x)


def sgg_naive_sigmoid(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


def sgg_exact_unstable(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2


def sgg_tanh_formula(x):
    s = _sig(x)
    return 1 - s ** 2


def sgg_naive_other_form(x):
    s = np.exp(x) / (1 + np.exp(x))
    return s * (1 - s)


def sgg_mutates_x(x):
    e = np.exp(-np.abs(x))
    x[...] = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return x * (1 - x)


# ---- 2.4 tanh_grad_from_output ----------------------------------------------------------------
def tg_correct(t):
    t = np.asarray(t, dtype=float)
    return (1.0 - t) * (1.0 + t)


def tg_tanh_again(t):
    return 1 - np.tanh(t) ** 2


def tg_not_squared(t):
    return 1 - t


def tg_sigmoid_formula(t):
    return t * (1 - t)


def tg_square_of_difference(t):
    return (1 - t) ** 2


def tg_sech_of_t(t):
    return 1 / np.cosh(t) ** 2


def tg_in_place(t):
    t **= 2
    t *= -1
    t += 1
    return t


# ---- 2.5 relu_backward ------------------------------------------------------------------------
def rb_correct(dout, x):
    return np.where(np.asarray(x) > 0, dout, 0.0).astype(float)


def rb_ge_zero(dout, x):
    return dout * (x >= 0)


def rb_times_output(dout, x):
    return dout * np.maximum(x, 0)


def rb_mask_from_dout(dout, x):
    return dout * (dout > 0)


def rb_in_place_dout(dout, x):
    dout[x <= 0] = 0
    return dout


def rb_mask_only(dout, x):
    return (x > 0).astype(float)


def rb_relu_of_dout(dout, x):
    return np.maximum(dout, 0)


def rb_sign(dout, x):
    return np.sign(x) * dout


def rb_in_place_x(dout, x):
    x[x <= 0] = 0
    x[x > 0] = 1
    return dout * x


# ---- 2.6 leaky_relu_backward ------------------------------------------------------------------
def lr_correct(dout, x, alpha=0.01):
    slope = np.ones_like(np.asarray(x, dtype=float))
    slope[np.asarray(x) <= 0] = alpha
    return dout * slope


def lr_ge_zero(dout, x, alpha=0.01):
    return dout * np.where(x >= 0, 1.0, alpha)


def lr_plain_relu(dout, x, alpha=0.01):
    return dout * (x > 0)


def lr_function_value(dout, x, alpha=0.01):
    return np.where(x > 0, dout, alpha * x)


def lr_forgets_dout(dout, x, alpha=0.01):
    return np.where(x > 0, dout, alpha)


def lr_hardcoded_alpha(dout, x, alpha=0.01):
    return dout * np.where(x > 0, 1.0, 0.01)


def lr_in_place(dout, x, alpha=0.01):
    dout[x <= 0] *= alpha
    return dout


def lr_swapped_slopes(dout, x, alpha=0.01):
    return dout * np.where(x > 0, alpha, 1.0)


# ==============================================================================================
# lesson 03
# ==============================================================================================
# ---- 3.1 glorot_bound -------------------------------------------------------------------------
def gb_correct(n_in, n_out):
    return float((6.0 / (n_in + n_out)) ** 0.5)


def gb_std(n_in, n_out):
    return float(np.sqrt(2 / (n_in + n_out)))


def gb_no_sqrt(n_in, n_out):
    return 6 / (n_in + n_out)


def gb_fan_in(n_in, n_out):
    return math.sqrt(6 / n_in)


def gb_precedence(n_in, n_out):
    return math.sqrt(6 / n_in + n_out)


def gb_product(n_in, n_out):
    return math.sqrt(6 / (n_in * n_out))


def gb_variance_one_over_sum(n_in, n_out):
    return math.sqrt(3 / (n_in + n_out))


def gb_int_division(n_in, n_out):
    return math.sqrt(6 // (n_in + n_out))


# ---- 3.2 he_std -------------------------------------------------------------------------------
def hs_correct(n_in):
    return math.sqrt(2.0) / math.sqrt(n_in)


def hs_variance(n_in):
    return 2 / n_in


def hs_lecun(n_in):
    return float(np.sqrt(1 / n_in))


def hs_uniform_bound(n_in):
    return math.sqrt(6 / n_in)


def hs_precedence(n_in):
    return math.sqrt(2) / n_in


def hs_two_over_sqrt(n_in):
    return 2 / math.sqrt(n_in)


def hs_int_division(n_in):
    return math.sqrt(2 // n_in)


# ---- 3.3 glorot_uniform -----------------------------------------------------------------------
def gu_correct(n_in, n_out, rng):
    a = math.sqrt(6.0 / (n_in + n_out))
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


def gu_std_as_bound(n_in, n_out, rng):
    s = np.sqrt(2 / (n_in + n_out))
    return rng.uniform(-s, s, size=(n_in, n_out))


def gu_normal(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.normal(0, a, size=(n_in, n_out))


def gu_identical_units(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    column = rng.uniform(-a, a, size=(n_in, 1))
    return np.tile(column, (1, n_out))


def gu_precedence(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.random((n_in, n_out)) * 2 * a - 1          # U(-1, 2a - 1)


def gu_fixed_seed(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return np.random.default_rng(0).uniform(-a, a, (n_in, n_out))


# ---- 3.4 he_normal ----------------------------------------------------------------------------
def hn_correct(n_in, n_out, rng):
    return rng.standard_normal((n_in, n_out)) * math.sqrt(2.0 / n_in)


def hn_variance_as_scale(n_in, n_out, rng):
    return rng.normal(0, 2 / n_in, size=(n_in, n_out))


def hn_np_random(n_in, n_out, rng):
    return np.random.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))


def hn_fan_out(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_out), size=(n_in, n_out))


def hn_transposed(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in))


def hn_precedence(n_in, n_out, rng):
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2) / n_in


def hn_uniform(n_in, n_out, rng):
    s = np.sqrt(2 / n_in)
    return rng.uniform(-s, s, size=(n_in, n_out))


def hn_flat(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), size=n_in * n_out)


def hn_lecun(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(1 / n_in), size=(n_in, n_out))


# ---- 3.5 output_variance ----------------------------------------------------------------------
def ov_correct(n_in, var_w, var_x):
    return float(n_in) * float(var_w) * float(var_x)


def ov_no_n_in(n_in, var_w, var_x):
    return var_w * var_x


def ov_sum_of_variances(n_in, var_w, var_x):
    return n_in * (var_w + var_x)


def ov_n_in_squared(n_in, var_w, var_x):
    return n_in ** 2 * var_w * var_x


def ov_std(n_in, var_w, var_x):
    return math.sqrt(n_in * var_w * var_x)


def ov_relu_half(n_in, var_w, var_x):
    return n_in * var_w * var_x / 2


def ov_off_by_one(n_in, var_w, var_x):
    return (n_in - 1) * var_w * var_x


# ---- 3.6 identical_units ----------------------------------------------------------------------
def iu_correct(W, tol=1e-8):
    W = np.asarray(W, dtype=float)
    H = W.shape[1]
    S = np.zeros((H, H), dtype=bool)
    for j in range(H):
        S[j] = np.max(np.abs(W - W[:, [j]]), axis=0) <= tol
    return S


def iu_rows(W, tol=1e-8):
    return np.abs(W[:, None, :] - W[None, :, :]).max(axis=2) <= tol     # compares rows (inputs)


def iu_wrong_axis(W, tol=1e-8):
    return np.abs(W[:, :, None] - W[:, None, :]).max(axis=1) <= tol


def iu_strict(W, tol=1e-8):
    return np.abs(W[:, :, None] - W[:, None, :]).max(axis=0) < tol


def iu_any(W, tol=1e-8):
    return (np.abs(W[:, :, None] - W[:, None, :]) <= tol).any(axis=0)


def iu_mean(W, tol=1e-8):
    return np.abs(W[:, :, None] - W[:, None, :]).mean(axis=0) <= tol


def iu_no_abs(W, tol=1e-8):
    return (W[:, :, None] - W[:, None, :]).max(axis=0) <= tol


def iu_allclose(W, tol=1e-8):
    H = W.shape[1]
    S = np.zeros((H, H), dtype=bool)
    for j in range(H):
        for k in range(H):
            S[j, k] = np.allclose(W[:, j], W[:, k], atol=tol)          # rtol=1e-5 still applies
    return S


def iu_int_result(W, tol=1e-8):
    return (np.abs(W[:, :, None] - W[:, None, :]).max(axis=0) <= tol).astype(int)


def iu_exact_equality(W, tol=1e-8):
    return (W[:, :, None] == W[:, None, :]).all(axis=0)


# ==============================================================================================
# lesson 04
# ==============================================================================================
# ---- 4.1 one_hot ------------------------------------------------------------------------------
def oh_correct(y, C):
    y = np.asarray(y).astype(int)
    return (y[:, None] == np.arange(C)[None, :]).astype(np.float64)


def oh_classes_from_data(y, C):
    Y = np.zeros((len(y), y.max() + 1))
    Y[np.arange(len(y)), y] = 1
    return Y


def oh_eye_columns(y, C):
    return np.eye(C)[:, y]                  # (C, N)


def oh_sets_columns(y, C):
    Y = np.zeros((len(y), C))
    Y[:, y] = 1
    return Y


def oh_one_based(y, C):
    Y = np.zeros((len(y), C))
    Y[np.arange(len(y)), y - 1] = 1
    return Y


def oh_loops_over_classes(y, C):
    Y = np.zeros((len(y), C))
    for i in range(min(C, len(y))):
        Y[i, y[i]] = 1
    return Y


def oh_transposed(y, C):
    Y = np.zeros((C, len(y)))
    Y[y, np.arange(len(y))] = 1
    return Y


# ---- 4.2 softmax ------------------------------------------------------------------------------
def sm_correct(Z):
    Z = np.asarray(Z, dtype=float)
    shifted = Z - np.max(Z, axis=-1)[:, None]
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1)[:, None]


def sm_no_max(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def sm_columns(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def sm_global_max(Z):
    e = np.exp(Z - Z.max())
    return e / e.sum(axis=1, keepdims=True)


def sm_no_keepdims(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)                # (N,) broadcasts along the columns, not the rows


def sm_mutates(Z):
    Z -= Z.max(axis=1, keepdims=True)
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def sm_loop_no_max(Z):
    out = np.zeros_like(Z, dtype=float)
    for n in range(Z.shape[0]):
        ex = np.array([math.exp(min(z, 709.0)) for z in Z[n]])   # "avoid overflow" by capping
        out[n] = ex / ex.sum()
    return out


def sm_column_max(Z):
    e = np.exp(Z - Z.max(axis=0))           # the max of each column, not of each row
    return e / e.sum(axis=1, keepdims=True)


def sm_mean_shift(Z):
    e = np.exp(Z - Z.mean(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---- 4.3 cross_entropy_loss -------------------------------------------------------------------
def ce_correct(Z, y):
    Z = np.asarray(Z, dtype=float)
    y = np.asarray(y).astype(int)
    N = Z.shape[0]
    total = 0.0
    for n in range(N):
        m = Z[n].max()
        lse = m + math.log(np.exp(Z[n] - m).sum())
        total += lse - Z[n, y[n]]
    return float(total / N)


def _logq(Z):
    m = Z.max(axis=1, keepdims=True)
    return Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))


def ce_log_of_softmax(Z, y):
    P = _softmax(Z)
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(P[np.arange(len(y)), y])))


def ce_sum(Z, y):
    return float(-_logq(Z)[np.arange(len(y)), y].sum())


def ce_bits(Z, y):
    return float(-np.mean(_logq(Z)[np.arange(len(y)), y]) / np.log(2))


def ce_all_columns(Z, y):
    return float(-_logq(Z)[:, y].mean())


def ce_lse_no_max(Z, y):
    lse = np.log(np.sum(np.exp(Z), axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


def ce_no_minus(Z, y):
    return float(np.mean(_logq(Z)[np.arange(len(y)), y]))


def ce_mean_over_entries(Z, y):
    Y = _one_hot(y, Z.shape[1])
    return float(-(Y * _logq(Z)).mean())


def ce_global_max(Z, y):
    m = Z.max()
    with np.errstate(divide="ignore"):
        logq = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return float(-logq[np.arange(len(y)), y].mean())


# ---- 4.4 cross_entropy_grad -------------------------------------------------------------------
def cg_correct(Z, y):
    Z = np.asarray(Z, dtype=float)
    y = np.asarray(y).astype(int)
    G = _softmax(Z)
    G[np.arange(len(y)), y] -= 1.0
    return G / len(y)


def cg_no_mean(Z, y):
    return _softmax(Z) - _one_hot(y, Z.shape[1])


def cg_sign(Z, y):
    return (_one_hot(y, Z.shape[1]) - _softmax(Z)) / len(y)


def cg_unstable_softmax(Z, y):
    e = np.exp(Z)
    return (e / e.sum(axis=1, keepdims=True) - _one_hot(y, Z.shape[1])) / len(y)


def cg_softmax_columns(Z, y):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    P = e / e.sum(axis=0, keepdims=True)
    return (P - _one_hot(y, Z.shape[1])) / Z.shape[0]


def cg_wrong_indexing(Z, y):
    P = _softmax(Z)
    P[:, y] -= 1
    return P / len(y)


def cg_divides_by_size(Z, y):
    return (_softmax(Z) - _one_hot(y, Z.shape[1])) / Z.size


def cg_precedence(Z, y):
    return _softmax(Z) - _one_hot(y, Z.shape[1]) / len(y)


def cg_mutates_Z(Z, y):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    Z[np.arange(len(y)), y] -= 1
    Z /= len(y)
    return Z


# ---- 4.5 entropy ------------------------------------------------------------------------------
def en_correct(P):
    P = np.asarray(P, dtype=float)
    safe = np.where(P > 0, P, 1.0)
    return -np.sum(P * np.log(safe), axis=1) / np.log(2.0)


def _plogp(P, log):
    safe = np.where(P > 0, P, 1.0)
    return np.where(P > 0, P * log(safe), 0.0)


def en_nats(P):
    return -_plogp(P, np.log).sum(axis=1)


def en_log10(P):
    return -_plogp(P, np.log10).sum(axis=1)


def en_no_zero_handling(P):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(P * np.log2(P), axis=1)


def en_columns(P):
    return -_plogp(P, np.log2).sum(axis=0)


def en_no_minus(P):
    return np.sum(_plogp(P, np.log2), axis=1)


def en_total(P):
    return float(-_plogp(P, np.log2).sum())


def en_mean_over_row(P):
    return -np.mean(_plogp(P, np.log2), axis=1)


def en_mutates(P):
    P[P == 0] = 1.0                          # "0 log 0 = 0": overwrites the learner's P
    return -np.sum(P * np.log2(P), axis=1)


# ---- 4.6 mse_loss -----------------------------------------------------------------------------
def ms_correct(y_hat, y):
    d = (np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)).ravel()
    return float(d @ d / d.size)


def ms_mean_over_rows(y_hat, y):
    return float(np.mean(np.sum((y_hat - y) ** 2, axis=1)))


def ms_half(y_hat, y):
    return float(0.5 * np.mean((y_hat - y) ** 2))


def ms_rmse(y_hat, y):
    return float(np.sqrt(np.mean((y_hat - y) ** 2)))


def ms_mae(y_hat, y):
    return float(np.mean(np.abs(y_hat - y)))


def ms_divides_by_N(y_hat, y):
    return float(np.sum((y_hat - y) ** 2) / len(y))


def ms_square_of_mean(y_hat, y):
    return float(np.mean(y_hat - y) ** 2)


def ms_per_column(y_hat, y):
    return np.mean((y_hat - y) ** 2, axis=0)


def ms_sum(y_hat, y):
    return float(np.sum((y_hat - y) ** 2))


# ==============================================================================================
WRONG = {
    "lesson00": {
        "numerical_gradient": [
            ("one-sided forward difference (f(x+h)-f(x))/h instead of centred", ng_forward_difference),
            ("divides the centred difference by h instead of 2h", ng_divides_by_h),
            ("does not restore x after perturbing (x left shifted by -h, input mutated)", ng_no_restore),
            ("perturbs all entries at once (every entry gets the directional derivative)", ng_all_at_once),
            ("loops over the first axis only: for a matrix perturbs whole rows", ng_loops_first_axis),
            ("returns a flat gradient of shape (x.size,) instead of x.shape", ng_flat_result),
            ("x_plus = x / x_minus = x aliasing: f(x-h) is really f(x), gradient halved", ng_aliasing),
            ("works in float32 (round-off dominates with h=1e-5)", ng_float32),
        ],
        "rel_error": [
            ("no 0/0 guard: returns nan when both arrays are zero", re_no_zero_guard),
            ("denominator max(||a||, ||b||) instead of ||a|| + ||b||", re_max_denominator),
            ("denominator ||a + b|| instead of ||a|| + ||b||", re_norm_of_sum),
            ("mean of element-wise relative errors instead of norms of whole arrays", re_elementwise_mean),
            ("np.linalg.norm(., 2) on matrices: spectral norm instead of Euclidean (Frobenius)", re_spectral_norm),
            ("squared norms ||a-b||^2 / (||a||^2 + ||b||^2)", re_squared_norms),
            ("adds 1e-8 to the denominator instead of special-casing 0/0 (wrong for tiny arrays)", re_epsilon),
            ("L1 norms (sums of absolute values) instead of Euclidean norms", re_l1_norms),
        ],
        "dense_backward": [
            ("db sums over axis=1 (per example) instead of over the batch", db_bias_axis1),
            ("db is the mean over the batch instead of the sum", db_bias_mean),
            ("dW = dout.T @ X: transposed, shape (H, D)", db_dW_transposed),
            ("dX = W @ dout.T: transposed, shape (D, N)", db_dX_transposed),
            ("divides dW and db by the batch size N", db_dW_averaged),
            ("returns (dW, dX, db) in the wrong order", db_wrong_order),
            ("db = dout.sum(): a scalar instead of shape (H,)", db_bias_scalar),
            ("loop with np.outer(dout[n], X[n]): dW transposed (H, D)", db_loop_outer),
        ],
        "gradient_check": [
            ("forgets zero_grad: stale gradients already in .grads are added in", gc_no_zero_grad),
            ("a forward+backward per parameter without zeroing: gradients accumulate", gc_backward_per_parameter),
            ("keys 'W'/'b' per layer instead of model names: later layers overwrite earlier ones", gc_key_collision),
            ("one-sided forward difference for the numerical gradient", gc_forward_difference),
            ("divides the analytic gradient by the batch size (loss is already a mean)", gc_divides_by_batch),
            ("ignores the h argument (always the default step)", gc_ignores_h),
            ("backward called after the numerical gradients: caches from a perturbed forward", gc_backward_after_numerical),
            ("returns the largest relative error (a float) instead of a dict", gc_returns_max),
        ],
    },
    "lesson01": {
        "sigmoid_bump": [
            ("steepness multiplies x only: sigma(s*x - l) instead of sigma(s*(x - l))", sb_shift_not_scaled),
            ("edges reversed: sigma(s(x-r)) - sigma(s(x-l)), a negative bump", sb_reversed),
            ("adds the two sigmoids instead of subtracting", sb_sum),
            ("modifies x in place (x -= left)", sb_mutates_x),
            ("multiplies step up by (1 - step down) instead of subtracting", sb_product),
            ("divides by the steepness instead of multiplying", sb_divides_by_steepness),
            ("hard Heaviside steps instead of sigmoids (ignores steepness)", sb_hard_steps),
        ],
        "relu_interpolant": [
            ("no unit at the last knot (m_{K-1}=0 forgotten): keeps rising after the last knot", ri_no_last_unit),
            ("forgets the offset y_0", ri_no_offset),
            ("uses the slopes m_i as weights instead of the changes of slope", ri_slopes_as_weights),
            ("slopes computed with the first spacing only (assumes evenly spaced knots)", ri_even_spacing),
            ("relu(k_i - x) instead of relu(x - k_i)", ri_flipped_relu),
            ("off-by-one: gamma_i = m_{i+1} - m_i", ri_shifted_gamma),
            ("flattens x: returns shape (x.size,) for a matrix x", ri_flattens),
            ("uses np.interp (forbidden: the network must be built)", ri_uses_interp),
        ],
        "mlp_param_count": [
            ("forgets the biases", pc_no_biases),
            ("counts biases for the input too (sum of all sizes)", pc_input_biases),
            ("loop range off by one: skips the last layer", pc_skips_last_layer),
            ("one bias per input n_{l-1} instead of per output n_l", pc_bias_per_input),
            ("returns a float instead of an int", pc_returns_float),
            ("sizes.pop(0): mutates the list and fails on a tuple", pc_pops_input),
        ],
        "mlp_flops": [
            ("counts multiply-adds (MACs): factor 2 missing", fl_macs),
            ("2 n_{l-1} n_l + n_l: adds a separate bias addition", fl_extra_bias_add),
            ("(2 n_{l-1} - 1) n_l: forgets the bias addition", fl_forgot_bias_add),
            ("counts one FLOP per hidden activation", fl_counts_activations),
            ("skips the first layer (off by one)", fl_skips_first_layer),
            ("returns a float instead of an int", fl_returns_float),
            ("2 (n_{l-1} + 1) n_l: treats the bias as an extra weight", fl_bias_as_weight),
        ],
        "fit_to_target": [
            ("no nonlinearity between the Dense layers (a linear model)", ft_no_nonlinearity),
            ("ignores the given rng (uses nn.make_rng(0))", ft_ignores_rng),
            ("far too little training (10 epochs of plain SGD)", ft_too_few_epochs),
            ("samples x in [0, 1) instead of the interval x_range", ft_unit_interval_samples),
            ("returns the History from nn.fit instead of the model", ft_returns_history),
            ("ReLU after the output layer (cannot output negative values)", ft_relu_on_output),
            ("samples shaped (1, N) instead of (N, 1)", ft_row_samples),
        ],
    },
    "lesson02": {
        "collapse_linear": [
            ("b = b1 + b2 (forgets that b1 passes through W2)", cl_add_biases),
            ("b = b2 (forgets b1 W2)", cl_forgets_b1),
            ("b = b1 W2 (forgets b2)", cl_forgets_b2),
            ("W = W2.T W1.T: returns the transpose of W", cl_transposed_W),
            ("b of shape (1, C) instead of (C,)", cl_row_bias),
            ("returns (b, W) instead of (W, b)", cl_swapped_order),
        ],
        "sigmoid": [
            ("naive 1/(1+exp(-x)): overflow warning at x = -1000", sg_naive),
            ("naive exp(x)/(1+exp(x)): nan at x = +1000", sg_naive_other_form),
            ("np.where with both naive branches: both are evaluated everywhere, overflow", sg_where_both_branches),
            ("clips x to [-10, 10] before the naive formula (wrong tails)", sg_clip),
            ("writes the result into x (mutates the input)", sg_in_place),
            ("stable form with the two branches swapped (gives sigma(-x))", sg_swapped_branches),
            ("loops over x.ravel(): returns a flat array, loses the shape", sg_flat_loop),
            ("0.5 (1 + tanh(x)) without the x/2", sg_tanh_no_half),
        ],
        "sigmoid_grad": [
            ("applies x(1-x) to the input instead of to sigma(x)", sgg_input_not_output),
            ("naive sigmoid inside: overflow warning at x = -1000", sgg_naive_sigmoid),
            ("exact formula e^{-x}/(1+e^{-x})^2 unstabilised: inf/inf = nan at -1000", sgg_exact_unstable),
            ("tanh's rule 1 - sigma^2 instead of sigma(1 - sigma)", sgg_tanh_formula),
            ("naive exp(x)/(1+exp(x)) sigmoid: nan at +1000", sgg_naive_other_form),
            ("stores sigma(x) into x (mutates the input)", sgg_mutates_x),
        ],
        "tanh_grad_from_output": [
            ("1 - tanh(t)^2: applies tanh again to the output", tg_tanh_again),
            ("1 - t (forgets the square)", tg_not_squared),
            ("t (1 - t): the sigmoid's rule", tg_sigmoid_formula),
            ("(1 - t)^2 instead of 1 - t^2", tg_square_of_difference),
            ("sech^2(t): treats t as the input x", tg_sech_of_t),
            ("computes 1 - t^2 in place (overwrites t)", tg_in_place),
        ],
        "relu_backward": [
            ("mask x >= 0: relu'(0) = 1 instead of 0", rb_ge_zero),
            ("multiplies dout by relu(x) instead of relu'(x)", rb_times_output),
            ("mask from dout > 0 instead of x > 0", rb_mask_from_dout),
            ("dout[x <= 0] = 0 in place (mutates dout)", rb_in_place_dout),
            ("returns the mask only, forgets dout", rb_mask_only),
            ("np.maximum(dout, 0): relu of dout", rb_relu_of_dout),
            ("np.sign(x) * dout: gradient -dout for negative x", rb_sign),
            ("turns x into the mask in place (mutates x)", rb_in_place_x),
        ],
        "leaky_relu_backward": [
            ("slope 1 at x = 0 (x >= 0) instead of alpha", lr_ge_zero),
            ("slope 0 for x <= 0 (plain ReLU backward)", lr_plain_relu),
            ("alpha * x on the negative side instead of alpha * dout", lr_function_value),
            ("returns alpha (not alpha * dout) on the negative side", lr_forgets_dout),
            ("hard-codes alpha = 0.01, ignores the argument", lr_hardcoded_alpha),
            ("dout[x <= 0] *= alpha in place (mutates dout)", lr_in_place),
            ("slopes swapped: alpha for x > 0, 1 elsewhere", lr_swapped_slopes),
        ],
    },
    "lesson03": {
        "glorot_bound": [
            ("returns the std sqrt(2/(n_in+n_out)) instead of the bound", gb_std),
            ("forgets the square root", gb_no_sqrt),
            ("uses the fan-in only: sqrt(6/n_in)", gb_fan_in),
            ("precedence slip: sqrt(6/n_in + n_out)", gb_precedence),
            ("product n_in*n_out instead of the sum", gb_product),
            ("sqrt(3/(n_in+n_out)): variance 1/(n_in+n_out)", gb_variance_one_over_sum),
            ("integer division 6 // (n_in+n_out)", gb_int_division),
        ],
        "he_std": [
            ("returns the variance 2/n_in instead of the std", hs_variance),
            ("LeCun's sqrt(1/n_in) (factor 2 missing)", hs_lecun),
            ("the uniform bound sqrt(6/n_in)", hs_uniform_bound),
            ("precedence slip: sqrt(2)/n_in", hs_precedence),
            ("2/sqrt(n_in)", hs_two_over_sqrt),
            ("integer division sqrt(2 // n_in)", hs_int_division),
        ],
        "glorot_uniform": [
            ("draws with np.random instead of the given rng", gu_np_random),
            ("shape (n_out, n_in) instead of (n_in, n_out)", gu_transposed),
            ("U(0, a): only positive weights", gu_positive_only),
            ("uses the std sqrt(2/(n_in+n_out)) as the bound", gu_std_as_bound),
            ("normal with std a instead of uniform on (-a, a)", gu_normal),
            ("one column tiled: every unit gets the same weights", gu_identical_units),
            ("precedence slip rng.random()*2*a - 1: U(-1, 2a-1)", gu_precedence),
            ("ignores rng: np.random.default_rng(0) inside (same W every call)", gu_fixed_seed),
        ],
        "he_normal": [
            ("passes the variance 2/n_in as scale instead of the std", hn_variance_as_scale),
            ("draws with np.random instead of the given rng", hn_np_random),
            ("uses the fan-out n_out instead of n_in", hn_fan_out),
            ("shape (n_out, n_in) instead of (n_in, n_out)", hn_transposed),
            ("precedence slip: std sqrt(2)/n_in", hn_precedence),
            ("uniform on (-std, std) instead of normal", hn_uniform),
            ("returns a flat vector of n_in*n_out weights", hn_flat),
            ("LeCun's std sqrt(1/n_in) (factor 2 missing)", hn_lecun),
        ],
        "output_variance": [
            ("forgets the factor n_in", ov_no_n_in),
            ("n_in (Var w + Var x): adds the variances", ov_sum_of_variances),
            ("n_in^2 Var w Var x", ov_n_in_squared),
            ("returns the std (square root) instead of the variance", ov_std),
            ("halves it (ReLU factor that does not belong here)", ov_relu_half),
            ("(n_in - 1) Var w Var x: off by one", ov_off_by_one),
        ],
        "identical_units": [
            ("compares rows (inputs) instead of columns (units): shape (n_in, n_in)", iu_rows),
            ("max over axis=1 instead of axis=0: shape (n_in, H)", iu_wrong_axis),
            ("strict < tol instead of <= tol", iu_strict),
            ("any weight within tol instead of all", iu_any),
            ("mean absolute difference instead of max", iu_mean),
            ("forgets the absolute value (signed max difference)", iu_no_abs),
            ("np.allclose per pair: its rtol=1e-5 also applies", iu_allclose),
            ("returns an int 0/1 matrix instead of booleans", iu_int_result),
            ("exact equality, ignores tol", iu_exact_equality),
        ],
    },
    "lesson04": {
        "one_hot": [
            ("number of columns from y.max()+1 instead of C", oh_classes_from_data),
            ("np.eye(C)[:, y]: shape (C, N)", oh_eye_columns),
            ("Y[:, y] = 1: sets whole columns for every row", oh_sets_columns),
            ("labels taken as 1-based: Y[n, y_n - 1] = 1", oh_one_based),
            ("loops over range(C) instead of range(N)", oh_loops_over_classes),
            ("builds the transpose Y[y, n] (C, N)", oh_transposed),
        ],
        "softmax": [
            ("no max subtraction: overflow / nan for logits around 1000", sm_no_max),
            ("normalises over columns (axis=0) instead of rows", sm_columns),
            ("subtracts the global max of Z instead of each row's max", sm_global_max),
            ("sum without keepdims: divides by the wrong rows' sums", sm_no_keepdims),
            ("Z -= max in place (mutates Z)", sm_mutates),
            ("loop without max subtraction, exponent capped at 709", sm_loop_no_max),
            ("subtracts each column's max instead of each row's", sm_column_max),
            ("subtracts the row mean instead of the row max (overflows for wide rows)", sm_mean_shift),
        ],
        "cross_entropy_loss": [
            ("np.log(softmax(Z)): inf when the true class has probability e^-800", ce_log_of_softmax),
            ("sum over the batch instead of the mean", ce_sum),
            ("in bits (log base 2) instead of nats", ce_bits),
            ("logq[:, y]: averages every row at every label (N x N)", ce_all_columns),
            ("log-sum-exp without the max: overflow for logits around 1000", ce_lse_no_max),
            ("forgets the minus sign", ce_no_minus),
            ("mean of Y * log q over all N*C entries (divides by C too)", ce_mean_over_entries),
            ("subtracts the global max instead of each row's max", ce_global_max),
        ],
        "cross_entropy_grad": [
            ("forgets the 1/N", cg_no_mean),
            ("sign flipped: (Y - softmax) / N", cg_sign),
            ("unstable softmax inside: nan for logits around 1000", cg_unstable_softmax),
            ("softmax over columns (axis=0)", cg_softmax_columns),
            ("P[:, y] -= 1: subtracts 1 in whole columns", cg_wrong_indexing),
            ("divides by N*C (Z.size) instead of N", cg_divides_by_size),
            ("precedence slip: softmax - Y / N", cg_precedence),
            ("computes in place in Z (mutates Z)", cg_mutates_Z),
        ],
        "entropy": [
            ("natural log: nats instead of bits", en_nats),
            ("log base 10 instead of 2", en_log10),
            ("no 0 log 0 handling: nan for rows with a zero", en_no_zero_handling),
            ("sums over axis=0 (columns) instead of each row", en_columns),
            ("forgets the minus sign", en_no_minus),
            ("sums over all rows: returns one float", en_total),
            ("mean over each row instead of the sum", en_mean_over_row),
            ("P[P == 0] = 1 in place (mutates P)", en_mutates),
        ],
        "mse_loss": [
            ("sums over K and averages over N only", ms_mean_over_rows),
            ("extra factor 1/2", ms_half),
            ("square root: RMSE", ms_rmse),
            ("mean absolute error instead of squared", ms_mae),
            ("sum divided by N instead of N*K", ms_divides_by_N),
            ("square of the mean error instead of mean of squares", ms_square_of_mean),
            ("returns the per-column means (array) instead of one float", ms_per_column),
            ("sum instead of mean", ms_sum),
        ],
    },
}

CORRECT = {
    "lesson00": {"numerical_gradient": ng_correct, "rel_error": re_correct,
                 "dense_backward": db_correct, "gradient_check": gc_correct},
    "lesson01": {"sigmoid_bump": sb_correct, "relu_interpolant": ri_correct,
                 "mlp_param_count": pc_correct, "mlp_flops": fl_correct, "fit_to_target": ft_correct},
    "lesson02": {"collapse_linear": cl_correct, "sigmoid": sg_correct, "sigmoid_grad": sgg_correct,
                 "tanh_grad_from_output": tg_correct, "relu_backward": rb_correct,
                 "leaky_relu_backward": lr_correct},
    "lesson03": {"glorot_bound": gb_correct, "he_std": hs_correct, "glorot_uniform": gu_correct,
                 "he_normal": hn_correct, "output_variance": ov_correct, "identical_units": iu_correct},
    "lesson04": {"one_hot": oh_correct, "softmax": sm_correct, "cross_entropy_loss": ce_correct,
                 "cross_entropy_grad": cg_correct, "entropy": en_correct, "mse_loss": ms_correct},
}
