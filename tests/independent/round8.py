"""Independent wrong answers (round 8), written from the exercise statements only."""
import numpy as np


def _sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def _dsigmoid(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _bn_stats(X, eps):
    X = np.asarray(X, dtype=np.float64)
    mu = X.mean(axis=0)
    var = ((X - mu) ** 2).mean(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    return X, mu, var, inv, (X - mu) * inv


# =====================================================================================
# lesson 08
# =====================================================================================

# ---- 8.1 backprop_deltas -------------------------------------------------------------

def backprop_deltas_ok(Ws, zs, delta_out):
    n_hidden = len(Ws) - 1
    out = []
    delta = np.asarray(delta_out, dtype=np.float64)
    for l in reversed(range(n_hidden)):              # zs[l] is z_{l+1}, Ws[l + 1] is W_{l+2}
        delta = _dsigmoid(zs[l]) * (delta @ np.asarray(Ws[l + 1], dtype=np.float64).T)
        out.append(delta)
    return out[::-1]


def bd_sigma_instead_of_derivative(Ws, zs, delta_out):
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        d = _sigmoid(zs[l]) * (d @ Ws[l + 1].T)
        deltas[l] = d
    return deltas


def bd_no_sigma_prime(Ws, zs, delta_out):
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        d = d @ Ws[l + 1].T
        deltas[l] = d
    return deltas


def bd_W_not_transposed(Ws, zs, delta_out):
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        d = _dsigmoid(zs[l]) * (d @ Ws[l + 1])     # raises unless W_{l+1} is square
        deltas[l] = d
    return deltas


def bd_sigma_prime_of_layer_above(Ws, zs, delta_out):
    # delta_l = (delta_{l+1} * sigma'(z_{l+1})) W_{l+1}^T, with sigma' = 1 for the linear output
    deltas = [None] * len(zs)
    d = delta_out
    prime_above = 1.0
    for l in range(len(zs) - 1, -1, -1):
        d = (d * prime_above) @ Ws[l + 1].T
        deltas[l] = d
        prime_above = _dsigmoid(zs[l])
    return deltas


def bd_reversed_order(Ws, zs, delta_out):
    deltas = []
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        d = _dsigmoid(zs[l]) * (d @ Ws[l + 1].T)
        deltas.append(d)
    return deltas                                   # last hidden layer first


def bd_includes_delta_out(Ws, zs, delta_out):
    deltas = [delta_out.copy()]
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        d = _dsigmoid(zs[l]) * (d @ Ws[l + 1].T)
        deltas.insert(0, d)
    return deltas                                   # [delta_1, ..., delta_{L-1}, delta_L]


def bd_loop_stops_before_first(Ws, zs, delta_out):
    deltas = []
    d = delta_out
    for l in range(len(zs) - 1, 0, -1):             # off by one: l = 0 never reached
        d = _dsigmoid(zs[l]) * (d @ Ws[l + 1].T)
        deltas.insert(0, d)
    return deltas


def bd_derivative_on_z_not_sigma(Ws, zs, delta_out):
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        z = zs[l]
        d = z * (1 - z) * (d @ Ws[l + 1].T)         # z(1 - z) instead of sigma(z)(1 - sigma(z))
        deltas[l] = d
    return deltas


def bd_tanh_derivative(Ws, zs, delta_out):
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        d = (1 - np.tanh(zs[l]) ** 2) * (d @ Ws[l + 1].T)
        deltas[l] = d
    return deltas


def bd_relu_derivative(Ws, zs, delta_out):
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        d = (zs[l] > 0) * (d @ Ws[l + 1].T)
        deltas[l] = d
    return deltas


def bd_chain_carries_dJ_da(Ws, zs, delta_out):
    # the recursion propagates g = dJ/da_l (sigma' not carried down), sigma' only applied when storing
    deltas = [None] * len(zs)
    g = delta_out
    for l in range(len(zs) - 1, -1, -1):
        g = g @ Ws[l + 1].T
        deltas[l] = _dsigmoid(zs[l]) * g
    return deltas


def bd_sigmoid_in_place(Ws, zs, delta_out):
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        s = zs[l]
        s[...] = 1.0 / (1.0 + np.exp(-s))           # overwrites the caller's z_l with sigma(z_l)
        d = s * (1 - s) * (d @ Ws[l + 1].T)
        deltas[l] = d
    return deltas


def bd_divided_by_batch(Ws, zs, delta_out):
    N = delta_out.shape[0]
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        d = _dsigmoid(zs[l]) * (d @ Ws[l + 1].T)
        deltas[l] = d / N                           # "averages over the batch"
    return deltas


def bd_column_convention(Ws, zs, delta_out):
    # textbook column vectors: delta_l^T = sigma'(z_l)^T * (W_{l+1} delta_{l+1}^T), returned as (n_l, N)
    deltas = [None] * len(zs)
    d = delta_out.T
    for l in range(len(zs) - 1, -1, -1):
        d = _dsigmoid(zs[l]).T * (Ws[l + 1] @ d)
        deltas[l] = d
    return deltas


def bd_sigma_prime_applied_twice(Ws, zs, delta_out):
    # multiplies by sigma'(z_l) before the matrix product and again after (on the layer below)
    deltas = [None] * len(zs)
    d = delta_out
    for l in range(len(zs) - 1, -1, -1):
        sp = _dsigmoid(zs[l])
        d = sp * (d @ Ws[l + 1].T)
        deltas[l] = d * sp
    return deltas


# ---- 8.2 clip_by_global_norm ---------------------------------------------------------

def clip_by_global_norm_ok(grads, max_norm):
    arrays = [np.array(g, dtype=np.float64) for g in grads]     # np.array copies
    sq = 0.0
    for a in arrays:
        sq += float(np.vdot(a.ravel(), a.ravel()))
    total_norm = float(np.sqrt(sq))
    if total_norm >= max_norm and total_norm > 0:
        factor = max_norm / total_norm
        arrays = [a * factor for a in arrays]
    return arrays, total_norm


def _global_norm(grads):
    return float(np.sqrt(sum(np.sum(np.asarray(g, dtype=float) ** 2) for g in grads)))


def cg_per_tensor(grads, max_norm):
    out = []
    for g in grads:
        n = np.sqrt(np.sum(g ** 2))
        out.append(g * (max_norm / n) if n >= max_norm and n > 0 else g.copy())
    return out, _global_norm(grads)


def cg_squared_norm(grads, max_norm):
    total = float(sum(np.sum(g ** 2) for g in grads))      # no square root
    if total >= max_norm and total > 0:
        return [g * (max_norm / total) for g in grads], total
    return [g.copy() for g in grads], total


def cg_always_rescale(grads, max_norm):
    total = _global_norm(grads)
    if total == 0:
        return [g.copy() for g in grads], total
    return [g * (max_norm / total) for g in grads], total


def cg_elementwise_clip(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in grads], _global_norm(grads)


def cg_returns_norm_after(grads, max_norm):
    total = _global_norm(grads)
    if total >= max_norm and total > 0:
        clipped = [g * (max_norm / total) for g in grads]
    else:
        clipped = [g.copy() for g in grads]
    return clipped, _global_norm(clipped)


def cg_scales_in_place(grads, max_norm):
    total = _global_norm(grads)
    if total >= max_norm and total > 0:
        for g in grads:
            g *= max_norm / total                  # the caller's arrays are scaled
    return grads, total


def cg_threshold_reversed(grads, max_norm):
    total = _global_norm(grads)
    if total <= max_norm and total > 0:
        return [g * (max_norm / total) for g in grads], total
    return [g.copy() for g in grads], total


def cg_factor_inverted(grads, max_norm):
    total = _global_norm(grads)
    if total >= max_norm and max_norm > 0:
        return [g * (total / max_norm) for g in grads], total
    return [g.copy() for g in grads], total


def cg_no_copy_when_unchanged(grads, max_norm):
    total = _global_norm(grads)
    if total >= max_norm and total > 0:
        return [g * (max_norm / total) for g in grads], total
    return grads, total                             # the caller's list and arrays themselves


def cg_sum_of_tensor_norms(grads, max_norm):
    total = float(sum(np.linalg.norm(g.ravel()) for g in grads))   # adds the norms, not the squares
    if total >= max_norm and total > 0:
        return [g * (max_norm / total) for g in grads], total
    return [g.copy() for g in grads], total


def cg_mean_of_squares(grads, max_norm):
    total = float(np.sqrt(sum(np.mean(g ** 2) for g in grads)))    # mean instead of sum of entries
    if total >= max_norm and total > 0:
        return [g * (max_norm / total) for g in grads], total
    return [g.copy() for g in grads], total


def cg_returns_norm_first(grads, max_norm):
    clipped, total = clip_by_global_norm_ok(grads, max_norm)
    return total, clipped


def cg_unit_norm(grads, max_norm):
    total = _global_norm(grads)
    if total >= max_norm and total > 0:
        return [g / total for g in grads], total    # divides by the norm, forgets max_norm
    return [g.copy() for g in grads], total


def cg_last_tensor_norm(grads, max_norm):
    norm = 0.0
    for g in grads:
        norm = float(np.sqrt(np.sum(g ** 2)))       # overwritten each iteration
    if norm >= max_norm and norm > 0:
        return [g * (max_norm / norm) for g in grads], norm
    return [g.copy() for g in grads], norm


# ---- 8.3 batchnorm_forward -----------------------------------------------------------

def batchnorm_forward_ok(X, gamma, beta, eps=1e-5):
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    mu = X.sum(axis=0) / n
    centred = X - mu
    var = (centred * centred).sum(axis=0) / n
    return np.asarray(gamma) * (centred / np.sqrt(var + eps)) + np.asarray(beta)


def bf_stats_over_rows(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=1, keepdims=True)
    var = X.var(axis=1, keepdims=True)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta


def bf_unbiased_variance(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    var = X.var(axis=0, ddof=1)
    return gamma * (X - mu) / np.sqrt(var + eps) + beta


def bf_eps_outside_sqrt(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    return gamma * (X - mu) / (np.sqrt(X.var(axis=0)) + eps) + beta


def bf_no_gamma(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    return (X - mu) / np.sqrt(X.var(axis=0) + eps) + beta


def bf_no_beta(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    return gamma * (X - mu) / np.sqrt(X.var(axis=0) + eps)


def bf_std_without_eps(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return gamma * (X - mu) / X.std(axis=0) + beta


def bf_divides_by_variance(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    return gamma * (X - mu) / (X.var(axis=0) + eps) + beta


def bf_global_statistics(X, gamma, beta, eps=1e-5):
    mu = X.mean()
    var = X.var()
    return gamma * (X - mu) / np.sqrt(var + eps) + beta


def bf_gamma_beta_swapped(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    return beta * (X - mu) / np.sqrt(X.var(axis=0) + eps) + gamma


def bf_uncentred_second_moment(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    var = (X ** 2).mean(axis=0)                     # E[x^2] instead of E[(x - mu)^2]
    return gamma * (X - mu) / np.sqrt(var + eps) + beta


def bf_gamma_before_normalising(X, gamma, beta, eps=1e-5):
    S = gamma * X
    mu = S.mean(axis=0)
    return (S - mu) / np.sqrt(S.var(axis=0) + eps) + beta


def bf_mean_not_subtracted(X, gamma, beta, eps=1e-5):
    var = X.var(axis=0)
    return gamma * X / np.sqrt(var + eps) + beta


def bf_centres_in_place(X, gamma, beta, eps=1e-5):
    X -= X.mean(axis=0)                             # the caller's X is centred
    var = (X ** 2).mean(axis=0)
    return gamma * X / np.sqrt(var + eps) + beta


def bf_subtracts_beta(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    return gamma * (X - mu) / np.sqrt(X.var(axis=0) + eps) - beta


def bf_ignores_eps_argument(X, gamma, beta, eps=1e-5):
    mu = X.mean(axis=0)
    return gamma * (X - mu) / np.sqrt(X.var(axis=0) + 1e-8) + beta


# ---- 8.4 batchnorm_backward ----------------------------------------------------------

def batchnorm_backward_ok(dY, X, gamma, eps=1e-5):
    # step by step through the graph x -> (mu, var) -> xhat -> y
    dY = np.asarray(dY, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    gamma = np.asarray(gamma, dtype=np.float64)
    N = X.shape[0]
    mu = X.mean(axis=0)
    xc = X - mu
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    xhat = xc / std
    dbeta = dY.sum(axis=0)
    dgamma = (dY * xhat).sum(axis=0)
    dxhat = dY * gamma
    dvar = (dxhat * xc).sum(axis=0) * (-0.5) * std ** -3
    dmu = -(dxhat / std).sum(axis=0) + dvar * (-2.0 * xc).sum(axis=0) / N
    dX = dxhat / std + dvar * 2.0 * xc / N + dmu / N
    return dX, dgamma, dbeta


def bb_stats_treated_as_constants(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    return dY * gamma * inv, (dY * xhat).sum(0), dY.sum(0)


def bb_dgamma_with_raw_X(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dxh = dY * gamma
    dX = inv * (dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0))
    return dX, (dY * X).sum(0), dY.sum(0)


def bb_sums_over_features(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dxh = dY * gamma
    dX = inv * (dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0))
    return dX, (dY * xhat).sum(axis=1), dY.sum(axis=1)


def bb_plus_on_variance_term(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    N = X.shape[0]
    dxh = dY * gamma
    dX = inv / N * (N * dxh - dxh.sum(0) + xhat * (dxh * xhat).sum(0))
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_plus_on_mean_term(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    N = X.shape[0]
    dxh = dY * gamma
    dX = inv / N * (N * dxh + dxh.sum(0) - xhat * (dxh * xhat).sum(0))
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_mean_term_missing(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dxh = dY * gamma
    dX = inv * (dxh - xhat * (dxh * xhat).mean(0))  # mu treated as a constant
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_variance_term_missing(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dxh = dY * gamma
    dX = inv * (dxh - dxh.mean(0))                  # var treated as a constant
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_gamma_missing_in_dX(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dxh = dY                                        # forgets dY/dxhat = gamma
    dX = inv * (dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0))
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_unbiased_variance(dY, X, gamma, eps=1e-5):
    X = np.asarray(X, dtype=float)
    mu = X.mean(0)
    var = X.var(0, ddof=1)
    inv = 1 / np.sqrt(var + eps)
    xhat = (X - mu) * inv
    dxh = dY * gamma
    dX = inv * (dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0))
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_dbeta_mean(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dxh = dY * gamma
    dX = inv * (dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0))
    return dX, (dY * xhat).sum(0), dY.mean(0)


def bb_dvar_wrong_exponent(dY, X, gamma, eps=1e-5):
    X = np.asarray(X, dtype=float)
    N = X.shape[0]
    mu = X.mean(0)
    xc = X - mu
    var = (xc ** 2).mean(0)
    xhat = xc / np.sqrt(var + eps)
    dxh = dY * gamma
    dvar = (dxh * xc).sum(0) * (-0.5) * (var + eps) ** -0.5    # exponent -1/2 instead of -3/2
    dmu = -(dxh / np.sqrt(var + eps)).sum(0)
    dX = dxh / np.sqrt(var + eps) + dvar * 2 * xc / N + dmu / N
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_eps_outside_sqrt(dY, X, gamma, eps=1e-5):
    X = np.asarray(X, dtype=float)
    mu = X.mean(0)
    inv = 1 / (X.std(0) + eps)
    xhat = (X - mu) * inv
    dxh = dY * gamma
    dX = inv * (dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0))
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_dgamma_dbeta_swapped(dY, X, gamma, eps=1e-5):
    dX, dgamma, dbeta = batchnorm_backward_ok(dY, X, gamma, eps)
    return dX, dbeta, dgamma


def bb_dX_without_inverse_std(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dxh = dY * gamma
    dX = dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0)
    return dX, (dY * xhat).sum(0), dY.sum(0)


def bb_dgamma_not_summed(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dxh = dY * gamma
    dX = inv * (dxh - dxh.mean(0) - xhat * (dxh * xhat).mean(0))
    return dX, dY * xhat, dY.sum(0)


def bb_scales_dY_in_place(dY, X, gamma, eps=1e-5):
    X, mu, var, inv, xhat = _bn_stats(X, eps)
    dbeta = dY.sum(0)
    dgamma = (dY * xhat).sum(0)
    dY *= gamma                                     # the caller's dY becomes dxhat
    dX = inv * (dY - dY.mean(0) - xhat * (dY * xhat).mean(0))
    return dX, dgamma, dbeta


# ---- 8.5 residual_backward -----------------------------------------------------------

def residual_backward_ok(dY, X, W, b):
    dY = np.asarray(dY, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    Z = X @ W + np.asarray(b, dtype=np.float64)
    dZ = np.where(Z > 0, dY, 0.0)
    dW = np.einsum("ni,nj->ij", X, dZ)
    db = dZ.sum(axis=0)
    dX = dY + np.einsum("nj,ij->ni", dZ, W)
    return dX, dW, db


def rb_skip_gradient_dropped(dY, X, W, b):
    dz = dY * (X @ W + b > 0)
    return dz @ W.T, X.T @ dz, dz.sum(0)


def rb_mask_on_output(dY, X, W, b):
    Y = X + np.maximum(X @ W + b, 0)
    dz = dY * (Y > 0)
    return dY + dz @ W.T, X.T @ dz, dz.sum(0)


def rb_mask_on_input(dY, X, W, b):
    dz = dY * (X > 0)
    return dY + dz @ W.T, X.T @ dz, dz.sum(0)


def rb_dW_transposed(dY, X, W, b):
    dz = dY * (X @ W + b > 0)
    return dY + dz @ W.T, dz.T @ X, dz.sum(0)


def rb_db_mean(dY, X, W, b):
    dz = dY * (X @ W + b > 0)
    return dY + dz @ W.T, X.T @ dz, dz.mean(0)


def rb_dX_missing_W(dY, X, W, b):
    dz = dY * (X @ W + b > 0)
    return dY + dz, X.T @ dz, dz.sum(0)


def rb_dX_W_not_transposed(dY, X, W, b):
    dz = dY * (X @ W + b > 0)
    return dY + dz @ W, X.T @ dz, dz.sum(0)


def rb_no_relu_derivative(dY, X, W, b):
    dz = dY
    return dY + dz @ W.T, X.T @ dz, dz.sum(0)


def rb_relu_prime_one_at_zero(dY, X, W, b):
    dz = dY * (X @ W + b >= 0)
    return dY + dz @ W.T, X.T @ dz, dz.sum(0)


def rb_dW_unmasked(dY, X, W, b):
    dz = dY * (X @ W + b > 0)
    return dY + dz @ W.T, X.T @ dY, dz.sum(0)


def rb_db_unmasked(dY, X, W, b):
    dz = dY * (X @ W + b > 0)
    return dY + dz @ W.T, X.T @ dz, dY.sum(0)


def rb_mask_on_whole_dX(dY, X, W, b):
    m = X @ W + b > 0
    dz = dY * m
    return (dY + dY @ W.T) * m, X.T @ dz, dz.sum(0)


def rb_masks_dY_in_place(dY, X, W, b):
    dz = dY
    dz[X @ W + b <= 0] = 0.0                        # zeroes the caller's dY; the skip term sees it too
    return dY + dz @ W.T, X.T @ dz, dz.sum(0)


def rb_bias_left_out_of_z(dY, X, W, b):
    dz = dY * (X @ W > 0)
    return dY + dz @ W.T, X.T @ dz, dz.sum(0)


def rb_db_over_features(dY, X, W, b):
    dz = dY * (X @ W + b > 0)
    return dY + dz @ W.T, X.T @ dz, dz.sum(axis=1)


WRONG = {
    "lesson08": {
        "backprop_deltas": [
            ("sigma(z_l) instead of sigma'(z_l)", bd_sigma_instead_of_derivative),
            ("sigma' forgotten: delta_l = delta_{l+1} W_{l+1}^T", bd_no_sigma_prime),
            ("W_{l+1} not transposed: delta_{l+1} W_{l+1} (raises unless W is square)",
             bd_W_not_transposed),
            ("sigma' of the layer above: delta_l = (delta_{l+1} * sigma'(z_{l+1})) W_{l+1}^T, "
             "none for delta_{L-1}", bd_sigma_prime_of_layer_above),
            ("list in reverse order: [delta_{L-1}, ..., delta_1]", bd_reversed_order),
            ("delta_L appended: [delta_1, ..., delta_{L-1}, delta_L]", bd_includes_delta_out),
            ("loop off by one: delta_1 missing, list [delta_2, ..., delta_{L-1}]",
             bd_loop_stops_before_first),
            ("sigma'(z) computed as z(1 - z) on the pre-activation", bd_derivative_on_z_not_sigma),
            ("tanh derivative 1 - tanh(z)^2 instead of sigma'", bd_tanh_derivative),
            ("relu derivative (z > 0) instead of sigma'", bd_relu_derivative),
            ("recursion carries dJ/da (no sigma') downwards; sigma'(z_l) only applied to the stored delta",
             bd_chain_carries_dJ_da),
            ("right values, but overwrites the caller's zs[l] with sigmoid(zs[l])", bd_sigmoid_in_place),
            ("every stored delta divided by the batch size N", bd_divided_by_batch),
            ("column convention: returns delta_l transposed, shape (n_l, N)", bd_column_convention),
            ("stored delta_l multiplied by sigma'(z_l) a second time (recursion itself right)",
             bd_sigma_prime_applied_twice),
        ],
        "clip_by_global_norm": [
            ("clips each tensor separately by its own norm", cg_per_tensor),
            ("squared norm (no sqrt) used for the test, the factor and the returned norm", cg_squared_norm),
            ("always rescales to max_norm, even when the norm is smaller", cg_always_rescale),
            ("element-wise np.clip(g, -max_norm, max_norm) of the values", cg_elementwise_clip),
            ("returns the norm after clipping instead of before", cg_returns_norm_after),
            ("scales the caller's arrays in place and returns them", cg_scales_in_place),
            ("threshold test reversed: rescales when total_norm <= max_norm, else unchanged",
             cg_threshold_reversed),
            ("factor inverted: multiplies by total_norm / max_norm", cg_factor_inverted),
            ("returns the caller's list and arrays themselves (no copies) when not clipping",
             cg_no_copy_when_unchanged),
            ("global norm = sum of the tensors' norms instead of sqrt of the sum of squares",
             cg_sum_of_tensor_norms),
            ("global norm from the mean (not the sum) of each tensor's squared entries", cg_mean_of_squares),
            ("returns (total_norm, clipped) instead of (clipped, total_norm)", cg_returns_norm_first),
            ("divides by total_norm without multiplying by max_norm: clipped to norm 1", cg_unit_norm),
            ("loop bug: uses the norm of the last tensor only", cg_last_tensor_norm),
        ],
        "batchnorm_forward": [
            ("statistics over each row (axis 1) instead of each column", bf_stats_over_rows),
            ("unbiased variance (ddof=1, 1/(N-1))", bf_unbiased_variance),
            ("eps added outside the square root: (x - mu) / (sqrt(var) + eps)", bf_eps_outside_sqrt),
            ("gamma forgotten: Y = xhat + beta", bf_no_gamma),
            ("beta forgotten: Y = gamma * xhat", bf_no_beta),
            ("divides by the std without eps (nan/inf for a constant column)", bf_std_without_eps),
            ("divides by var + eps instead of its square root", bf_divides_by_variance),
            ("one mean and variance over the whole matrix", bf_global_statistics),
            ("gamma and beta swapped: beta * xhat + gamma", bf_gamma_beta_swapped),
            ("variance as E[x^2] (not centred)", bf_uncentred_second_moment),
            ("multiplies X by gamma before normalising: gamma cancels (only its sign remains)",
             bf_gamma_before_normalising),
            ("mean not subtracted in xhat: X / sqrt(var + eps)", bf_mean_not_subtracted),
            ("centres the caller's X in place (X -= mu)", bf_centres_in_place),
            ("subtracts beta: gamma * xhat - beta", bf_subtracts_beta),
            ("ignores the eps argument, always uses 1e-8", bf_ignores_eps_argument),
        ],
        "batchnorm_backward": [
            ("mu and var treated as constants: dX = dY * gamma / sqrt(var + eps)",
             bb_stats_treated_as_constants),
            ("dgamma = sum(dY * X) instead of sum(dY * xhat)", bb_dgamma_with_raw_X),
            ("dgamma and dbeta summed over the features (axis 1): shape (N,)", bb_sums_over_features),
            ("sign slip: + xhat * sum(dxhat * xhat) in dX", bb_plus_on_variance_term),
            ("sign slip: + sum(dxhat) in dX", bb_plus_on_mean_term),
            ("mean term missing in dX (mu treated as a constant)", bb_mean_term_missing),
            ("variance term missing in dX (var treated as a constant)", bb_variance_term_missing),
            ("gamma missing in dX: dxhat = dY", bb_gamma_missing_in_dX),
            ("unbiased variance (ddof=1) in the backward pass", bb_unbiased_variance),
            ("dbeta = mean of dY over the batch instead of the sum", bb_dbeta_mean),
            ("dvar with (var + eps)^(-1/2) instead of ^(-3/2)", bb_dvar_wrong_exponent),
            ("eps outside the square root: 1 / (std + eps)", bb_eps_outside_sqrt),
            ("returns (dX, dbeta, dgamma): dgamma and dbeta swapped", bb_dgamma_dbeta_swapped),
            ("dX without the factor 1 / sqrt(var + eps)", bb_dX_without_inverse_std),
            ("dgamma not summed over the batch: (N, H) array dY * xhat", bb_dgamma_not_summed),
            ("multiplies the caller's dY by gamma in place (dY *= gamma)", bb_scales_dY_in_place),
        ],
        "residual_backward": [
            ("skip connection's gradient dropped: dX = dZ W^T", rb_skip_gradient_dropped),
            ("relu' taken on the output y instead of z", rb_mask_on_output),
            ("relu' taken on the input x instead of z", rb_mask_on_input),
            ("dW = dZ^T X (transposed)", rb_dW_transposed),
            ("db = mean of dZ over the batch instead of the sum", rb_db_mean),
            ("W missing in dX: dX = dY + dZ", rb_dX_missing_W),
            ("W not transposed in dX: dX = dY + dZ W", rb_dX_W_not_transposed),
            ("relu' forgotten: dZ = dY", rb_no_relu_derivative),
            ("relu'(0) = 1 (mask z >= 0)", rb_relu_prime_one_at_zero),
            ("dW = X^T dY: the relu mask not applied in dW", rb_dW_unmasked),
            ("db = sum of dY: the relu mask not applied in db", rb_db_unmasked),
            ("mask applied to the whole dX: (dY + dY W^T) * relu'(z)", rb_mask_on_whole_dX),
            ("zeroes the caller's dY in place where z <= 0; the skip term uses the masked dY",
             rb_masks_dY_in_place),
            ("b left out of z when computing relu'(z): mask X W > 0", rb_bias_left_out_of_z),
            ("db summed over the features (axis 1): shape (N,)", rb_db_over_features),
        ],
    },
}

CORRECT = {
    "lesson08": {
        "backprop_deltas": backprop_deltas_ok,
        "clip_by_global_norm": clip_by_global_norm_ok,
        "batchnorm_forward": batchnorm_forward_ok,
        "batchnorm_backward": batchnorm_backward_ok,
        "residual_backward": residual_backward_ok,
    },
}
