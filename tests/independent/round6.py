"""Independent wrong answers (round 6), written from the exercise statements only."""
import random

import numpy as np


# =====================================================================================
# lesson 06
# =====================================================================================

# ---- 6.1 l2_penalty_and_grad ---------------------------------------------------------

def l2_penalty_and_grad_ok(params, alpha):
    omega = 0.0
    grads = {}
    for name, value in params.items():
        is_weight = name.endswith(".W")
        omega += is_weight * float(np.tensordot(value, value, axes=value.ndim))
        grads[name] = value * (alpha * is_weight)      # alpha W, or an array of zeros
    return 0.5 * alpha * omega, grads


def l2_biases_too(params, alpha):
    omega = sum(alpha / 2 * np.sum(p ** 2) for p in params.values())
    grads = {k: alpha * p for k, p in params.items()}
    return omega, grads


def l2_no_half(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha * np.sum(p * p)
            grads[k] = alpha * p
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l2_grad_twice(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha / 2 * np.sum(p ** 2)
            grads[k] = 2 * alpha * p
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l2_norm_not_squared(params, alpha):
    weights = [p for k, p in params.items() if k.endswith(".W")]
    omega = alpha / 2 * sum(np.linalg.norm(W) for W in weights)
    grads = {k: alpha * p if k.endswith(".W") else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


def l2_square_of_sum(params, alpha):
    omega = 0.0
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha / 2 * np.sum(p) ** 2
    grads = {k: alpha * p if k.endswith(".W") else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


def l2_grads_only_weights(params, alpha):
    weights = {k: p for k, p in params.items() if k.endswith(".W")}
    omega = alpha / 2 * sum(np.sum(W ** 2) for W in weights.values())
    grads = {k: alpha * W for k, W in weights.items()}
    return omega, grads


def l2_bias_grad_scalar(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha / 2 * np.sum(p ** 2)
            grads[k] = alpha * p
        else:
            grads[k] = 0.0
    return omega, grads


def l2_grad_in_place(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha / 2 * np.sum(p ** 2)
            g = p
            g *= alpha
            grads[k] = g
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l2_mean_not_sum(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha / 2 * np.mean(p ** 2)
            grads[k] = alpha * p / p.size
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l2_descent_direction(params, alpha):
    omega = alpha / 2 * sum(np.sum(p ** 2) for k, p in params.items() if k.endswith(".W"))
    grads = {k: np.where(k.endswith(".W"), -alpha * p, 0.0) for k, p in params.items()}
    return omega, grads


def l2_returns_swapped(params, alpha):
    omega = alpha / 2 * sum(np.sum(p ** 2) for k, p in params.items() if k.endswith(".W"))
    grads = {k: alpha * p if k.endswith(".W") else np.zeros_like(p) for k, p in params.items()}
    return grads, omega


def l2_per_layer_list(params, alpha):
    omega = [alpha / 2 * float(np.sum(p ** 2)) for k, p in params.items() if k.endswith(".W")]
    grads = {k: alpha * p if k.endswith(".W") else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


# ---- 6.2 l1_penalty_and_grad ---------------------------------------------------------

def l1_penalty_and_grad_ok(params, alpha):
    omega = 0.0
    grads = {}
    for name in sorted(params):
        value = np.asarray(params[name], dtype=float)
        if name[-2:] == ".W":
            omega += np.linalg.norm(value.ravel(), ord=1)
            grads[name] = alpha * ((value > 0).astype(float) - (value < 0))
        else:
            grads[name] = np.zeros(value.shape)
    return alpha * omega, grads


def l1_with_half(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha / 2 * np.abs(p).sum()
            grads[k] = alpha * np.sign(p)
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l1_no_abs(params, alpha):
    omega = alpha * sum(p.sum() for k, p in params.items() if k.endswith(".W"))
    grads = {k: alpha * np.sign(p) if k.endswith(".W") else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


def l1_l2_gradient(params, alpha):
    omega = alpha * sum(np.abs(p).sum() for k, p in params.items() if k.endswith(".W"))
    grads = {k: alpha * p if k.endswith(".W") else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


def l1_sign_zero_positive(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha * np.abs(p).sum()
            grads[k] = alpha * np.where(p >= 0, 1.0, -1.0)
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l1_divide_by_abs(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha * np.abs(p).sum()
            with np.errstate(invalid="ignore", divide="ignore"):
                grads[k] = alpha * p / np.abs(p)
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l1_biases_too(params, alpha):
    omega = alpha * sum(np.sum(np.abs(p)) for p in params.values())
    grads = {k: alpha * np.sign(p) for k, p in params.items()}
    return omega, grads


def l1_matrix_norm(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha * np.linalg.norm(p, 1)       # max column sum for a 2-D array
            grads[k] = alpha * np.sign(p)
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l1_forgets_alpha_in_grad(params, alpha):
    omega = alpha * sum(np.abs(p).sum() for k, p in params.items() if k.endswith(".W"))
    grads = {k: np.sign(p) if k.endswith(".W") else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


def l1_sign_in_place(params, alpha):
    omega = 0.0
    grads = {}
    for k, p in params.items():
        if k.endswith(".W"):
            omega += alpha * np.abs(p).sum()
            np.sign(p, out=p)
            p *= alpha
            grads[k] = p
        else:
            grads[k] = np.zeros_like(p)
    return omega, grads


def l1_negative_grad(params, alpha):
    omega = alpha * sum(np.abs(p).sum() for k, p in params.items() if k.endswith(".W"))
    grads = {}
    for k, p in params.items():
        grads[k] = -alpha * np.sign(p) if k.endswith(".W") else np.zeros_like(p)
    return omega, grads


def l1_squared_penalty(params, alpha):
    omega = alpha * sum(np.sum(p ** 2) for k, p in params.items() if k.endswith(".W"))
    grads = {k: alpha * np.sign(p) if k.endswith(".W") else np.zeros_like(p) for k, p in params.items()}
    return omega, grads


# ---- 6.3 split_indices ---------------------------------------------------------------

def split_indices_ok(n, val_frac, test_frac, rng):
    perm = rng.permutation(n)
    n_test = int(round(test_frac * n))
    n_val = int(round(val_frac * n))
    test, val, train = np.split(perm, [n_test, n_test + n_val])
    return train, val, test


def sp_truncates(n, val_frac, test_frac, rng):
    perm = rng.permutation(n)
    n_test = int(test_frac * n)
    n_val = int(val_frac * n)
    return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]


def sp_val_of_remainder(n, val_frac, test_frac, rng):
    perm = rng.permutation(n)
    n_test = round(test_frac * n)
    n_val = round(val_frac * (n - n_test))
    return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]


def sp_global_random(n, val_frac, test_frac, rng):
    perm = np.random.permutation(n)
    n_test, n_val = round(test_frac * n), round(val_frac * n)
    return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]


def sp_no_shuffle(n, val_frac, test_frac, rng):
    idx = np.arange(n)
    n_test, n_val = round(test_frac * n), round(val_frac * n)
    n_train = n - n_test - n_val
    return idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:]


def sp_with_replacement(n, val_frac, test_frac, rng):
    idx = rng.choice(n, size=n)
    n_test, n_val = round(test_frac * n), round(val_frac * n)
    return idx[n_test + n_val:], idx[n_test:n_test + n_val], idx[:n_test]


def sp_independent_draws(n, val_frac, test_frac, rng):
    test = rng.choice(n, size=round(test_frac * n), replace=False)
    val = rng.choice(n, size=round(val_frac * n), replace=False)
    train = np.setdiff1d(np.arange(n), np.concatenate([test, val]))
    return train, val, test


def sp_swapped_val_test(n, val_frac, test_frac, rng):
    perm = rng.permutation(n)
    n_test, n_val = round(test_frac * n), round(val_frac * n)
    test = perm[:n_test]
    val = perm[n_test:n_test + n_val]
    train = perm[n_test + n_val:]
    return train, test, val


def sp_skips_one(n, val_frac, test_frac, rng):
    perm = rng.permutation(n)
    n_test, n_val = round(test_frac * n), round(val_frac * n)
    test = perm[:n_test]
    val = perm[n_test + 1:n_test + 1 + n_val]
    train = perm[n_test + 1 + n_val:]
    return train, val, test


def sp_python_lists(n, val_frac, test_frac, rng):
    perm = list(rng.permutation(n))
    n_test, n_val = round(test_frac * n), round(val_frac * n)
    return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]


def sp_ceil(n, val_frac, test_frac, rng):
    perm = rng.permutation(n)
    n_test = int(np.ceil(test_frac * n))
    n_val = int(np.ceil(val_frac * n))
    return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]


def sp_test_gets_remainder(n, val_frac, test_frac, rng):
    perm = rng.permutation(n)
    n_train = round((1 - val_frac - test_frac) * n)
    n_val = round(val_frac * n)
    return perm[:n_train], perm[n_train:n_train + n_val], perm[n_train + n_val:]


def sp_python_random(n, val_frac, test_frac, rng):
    order = list(range(n))
    random.shuffle(order)
    perm = np.array(order)
    n_test, n_val = round(test_frac * n), round(val_frac * n)
    return perm[n_test + n_val:], perm[n_test:n_test + n_val], perm[:n_test]


# ---- 6.4 early_stopping --------------------------------------------------------------

def early_stopping_ok(val_losses, patience):
    v = np.asarray(val_losses, dtype=float)
    epochs = np.arange(len(v))
    earlier_min = np.minimum.accumulate(np.concatenate([[np.inf], v]))[:-1]
    improves = v < earlier_min
    last_improvement = np.maximum.accumulate(np.where(improves, epochs, 0))
    stale = np.flatnonzero(epochs - last_improvement >= patience)
    stop = int(stale[0]) + 1 if stale.size else len(v)
    best = int(np.argmin(v[:stop])) + 1
    return best, stop


def es_zero_based(val_losses, patience):
    best, best_i, wait = np.inf, 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_i, wait = loss, i, 0
        else:
            wait += 1
            if wait == patience:
                return best_i, i
    return best_i, len(val_losses) - 1


def es_ties_improve(val_losses, patience):
    best, best_ep, wait = np.inf, 0, 0
    for ep, loss in enumerate(val_losses, start=1):
        if loss <= best:
            best, best_ep, wait = loss, ep, 0
        else:
            wait += 1
            if wait >= patience:
                return best_ep, ep
    return best_ep, len(val_losses)


def es_one_epoch_late(val_losses, patience):
    best, best_ep, wait = np.inf, 0, 0
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_ep, wait = loss, ep, 0
        else:
            wait += 1
            if wait > patience:
                return best_ep, ep
    return best_ep, len(val_losses)


def es_best_plus_patience(val_losses, patience):
    best_ep, best, wait = 0, np.inf, 0
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_ep, wait = loss, ep, 0
        else:
            wait += 1
            if wait == patience:
                break
    return best_ep, best_ep + patience


def es_compares_previous(val_losses, patience):
    wait = 0
    stop = len(val_losses)
    for i in range(1, len(val_losses)):
        if val_losses[i] < val_losses[i - 1]:
            wait = 0
        else:
            wait += 1
            if wait == patience:
                stop = i + 1
                break
    best = min(range(stop), key=lambda j: val_losses[j]) + 1
    return best, stop


def es_global_argmin(val_losses, patience):
    best, wait = np.inf, 0
    stop = len(val_losses)
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                stop = ep
                break
    return int(np.argmin(val_losses)) + 1, stop


def es_latest_on_tie(val_losses, patience):
    best, wait = np.inf, 0
    stop = len(val_losses)
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                stop = ep
                break
    seen = list(val_losses[:stop])
    best_ep = max(j for j in range(stop) if seen[j] == min(seen)) + 1
    return best_ep, stop


def es_never_stops_none(val_losses, patience):
    best, best_ep, wait = np.inf, 0, 0
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_ep, wait = loss, ep, 0
        else:
            wait += 1
            if wait == patience:
                return best_ep, ep
    return best_ep, None


def es_returns_swapped(val_losses, patience):
    best, best_ep, wait = np.inf, 0, 0
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_ep, wait = loss, ep, 0
        else:
            wait += 1
            if wait == patience:
                return ep, best_ep
    return len(val_losses), best_ep


def es_counts_best_epoch(val_losses, patience):
    best, best_ep, wait = np.inf, 0, 0
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_ep, wait = loss, ep, 1          # counts the improving epoch itself
        else:
            wait += 1
        if wait == patience and ep > best_ep:
            return best_ep, ep
    return best_ep, len(val_losses)


def es_counter_never_reset(val_losses, patience):
    best, best_ep, bad = np.inf, 0, 0
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_ep = loss, ep
        else:
            bad += 1
            if bad == patience:
                return best_ep, ep
    return best_ep, len(val_losses)


def es_min_delta(val_losses, patience):
    min_delta = 1e-3
    best, best_ep, wait = np.inf, 0, 0
    for ep, loss in enumerate(val_losses, start=1):
        if loss < best - min_delta:
            best, best_ep, wait = loss, ep, 0
        else:
            wait += 1
            if wait == patience:
                return best_ep, ep
    return best_ep, len(val_losses)


# ---- 6.5 bootstrap_indices -----------------------------------------------------------

def bootstrap_indices_ok(n, rng):
    rows = np.arange(n)
    return rng.choice(rows, size=n, replace=True)


def bs_permutation(n, rng):
    return rng.permutation(n)


def bs_excludes_last(n, rng):
    return rng.integers(0, n - 1, size=n)


def bs_one_based(n, rng):
    return rng.integers(1, n + 1, size=n)


def bs_global_random(n, rng):
    return np.random.randint(0, n, size=n)


def bs_one_short(n, rng):
    return rng.integers(0, n, size=n - 1)


def bs_float_indices(n, rng):
    return np.floor(rng.random(n) * n)


def bs_python_list(n, rng):
    return [int(rng.integers(n)) for _ in range(n)]


def bs_fixed_generator(n, rng):
    return np.random.default_rng(0).integers(0, n, size=n)


def bs_unique(n, rng):
    return np.unique(rng.integers(0, n, size=n))


def bs_column(n, rng):
    return rng.integers(0, n, size=(n, 1))


def bs_rounded_uniform(n, rng):
    return np.round(rng.uniform(0, n - 1, size=n)).astype(int)


def bs_multinomial_counts(n, rng):
    return rng.multinomial(n, np.full(n, 1.0 / n))


# ---- 6.6 ensemble_proba --------------------------------------------------------------

def ensemble_proba_ok(logits):
    z = np.asarray(logits, dtype=float)
    log_norm = np.logaddexp.reduce(z, axis=-1, keepdims=True)
    return np.einsum("knc->nc", np.exp(z - log_norm)) / z.shape[0]


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def en_average_logits(logits):
    return _softmax(np.mean(logits, axis=0))


def en_softmax_over_examples(logits):
    return _softmax(logits, axis=1).mean(axis=0)


def en_naive_softmax(logits):
    e = np.exp(logits)
    return (e / e.sum(axis=2, keepdims=True)).mean(axis=0)


def en_global_max(logits):
    e = np.exp(logits - np.max(logits))
    return (e / e.sum(axis=-1, keepdims=True)).mean(axis=0)


def en_mean_over_examples(logits):
    return _softmax(logits).mean(axis=1)


def en_sum_members(logits):
    return _softmax(logits).sum(axis=0)


def en_mean_log_probs(logits):
    z = logits - logits.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return np.exp(log_p.mean(axis=0))


def en_majority_vote(logits):
    k, N, C = logits.shape
    votes = np.zeros((N, C))
    for member in logits:
        votes[np.arange(N), member.argmax(axis=1)] += 1
    return votes / k


def en_shifts_in_place(logits):
    logits -= logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return (e / e.sum(axis=-1, keepdims=True)).mean(axis=0)


def en_sigmoid(logits):
    z = np.clip(logits, -500, 500)
    return (1 / (1 + np.exp(-z))).mean(axis=0)


def en_denominator_not_shifted(logits):
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    with np.errstate(over="ignore"):
        return (shifted / np.exp(logits).sum(axis=-1, keepdims=True)).mean(axis=0)


def en_median(logits):
    return np.median(_softmax(logits), axis=0)


# ---- 6.7 adamw_step ------------------------------------------------------------------

def adamw_step_ok(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    t_new = t + 1
    decayed = theta * (1.0 - lr * weight_decay)        # PyTorch: decay the weights first
    m_new = beta1 * m + (1.0 - beta1) * g
    v_new = beta2 * v + (1.0 - beta2) * g * g
    bias1 = 1.0 - beta1 ** t_new
    bias2 = 1.0 - beta2 ** t_new
    denom = np.sqrt(v_new) / np.sqrt(bias2) + eps
    theta_new = decayed - (lr / bias1) * m_new / denom
    return theta_new, m_new, v_new, t_new


def aw_l2_in_gradient(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    g = g + weight_decay * theta
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v, t


def aw_decay_without_lr(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps) - weight_decay * theta, m, v, t


def aw_decay_after_step(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    stepped = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return stepped - lr * weight_decay * stepped, m, v, t


def aw_decay_sign(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * (m_hat / (np.sqrt(v_hat) + eps) - weight_decay * theta), m, v, t


def aw_decay_inside_adaptive(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
                             eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * (m_hat + weight_decay * theta) / (np.sqrt(v_hat) + eps), m, v, t


def aw_no_bias_correction(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    return theta - lr * (m / (np.sqrt(v) + eps) + weight_decay * theta), m, v, t + 1


def aw_correction_with_old_t(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
                             eps=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        theta_new = theta - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * theta)
    return theta_new, m, v, t + 1


def aw_eps_inside_sqrt(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * (m_hat / np.sqrt(v_hat + eps) + weight_decay * theta), m, v, t


def aw_in_place(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    theta -= lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * theta)
    return theta, m, v, t


def aw_old_t_returned(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    step = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** step), v / (1 - beta2 ** step)
    return theta - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * theta), m, v, t


def aw_m_v_swapped(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * theta), v, m, t


def aw_hardcoded_decay(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    wd = 0.01
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * (m_hat / (np.sqrt(v_hat) + eps) + wd * theta), m, v, t


# =====================================================================================

WRONG = {
    "lesson06": {
        "l2_penalty_and_grad": [
            ("penalizes the biases too: omega and grads include every parameter", l2_biases_too),
            ("no 1/2 in omega: alpha * sum W^2 (gradient alpha W is right)", l2_no_half),
            ("gradient 2 alpha W: differentiates alpha W^2 although omega has the 1/2", l2_grad_twice),
            ("omega uses the Frobenius norm ||W||, not its square", l2_norm_not_squared),
            ("omega squares the sum of the entries, (sum W)^2, instead of summing the squares",
             l2_square_of_sum),
            ("grads has no entries for the biases (only the weight keys)", l2_grads_only_weights),
            ("bias gradients are the scalar 0.0, not arrays of zeros of the bias's shape", l2_bias_grad_scalar),
            ("builds alpha W by scaling the caller's weight array in place (params changed)", l2_grad_in_place),
            ("mean of W^2 instead of the sum (and gradient divided by W.size)", l2_mean_not_sum),
            ("gradient has the wrong sign: -alpha W (the descent direction)", l2_descent_direction),
            ("returns (grads, omega): the tuple in the wrong order", l2_returns_swapped),
            ("omega is a list of per-layer penalties, not their sum", l2_per_layer_list),
        ],
        "l1_penalty_and_grad": [
            ("omega has a 1/2: alpha/2 * sum |W|", l1_with_half),
            ("forgets the absolute value: alpha * sum W", l1_no_abs),
            ("gradient alpha W (the L2 gradient) instead of alpha sign(W)", l1_l2_gradient),
            ("subgradient +alpha where a weight is exactly 0 (np.where(W >= 0, 1, -1))", l1_sign_zero_positive),
            ("sign computed as W / |W|: nan where a weight is exactly 0", l1_divide_by_abs),
            ("penalizes the biases too (omega and grads)", l1_biases_too),
            ("np.linalg.norm(W, 1) on a matrix: the max column sum, not the sum of all |W|", l1_matrix_norm),
            ("gradient sign(W) without the factor alpha", l1_forgets_alpha_in_grad),
            ("np.sign(W, out=W): overwrites the caller's weights with alpha sign(W)", l1_sign_in_place),
            ("gradient has the wrong sign: -alpha sign(W)", l1_negative_grad),
            ("omega is alpha * sum W^2 (the L2 penalty without 1/2), gradient alpha sign(W)", l1_squared_penalty),
        ],
        "split_indices": [
            ("int() truncates the set sizes instead of round()", sp_truncates),
            ("val size is a fraction of what remains after the test set: round(val_frac (n - n_test))",
             sp_val_of_remainder),
            ("shuffles with np.random.permutation (global state), ignores rng", sp_global_random),
            ("no shuffle: consecutive blocks of 0..n-1", sp_no_shuffle),
            ("draws the indices with replacement (rng.choice(n, n)): repeats and missing rows",
             sp_with_replacement),
            ("draws test and val independently with rng.choice: the two sets can overlap",
             sp_independent_draws),
            ("returns (train, test, val): val and test swapped", sp_swapped_val_test),
            ("off-by-one cut: skips one index between test and val, so one row is in no set", sp_skips_one),
            ("returns Python lists, not NumPy arrays", sp_python_lists),
            ("np.ceil rounds the set sizes up instead of round()", sp_ceil),
            ("sizes train as round((1 - val - test) n) and gives test the remainder: len(test) can be off",
             sp_test_gets_remainder),
            ("shuffles with Python's random.shuffle, ignores rng", sp_python_random),
        ],
        "early_stopping": [
            ("epochs counted from 0: both returned epochs one too small", es_zero_based),
            ("a tie (<=) counts as an improvement and resets the patience counter", es_ties_improve),
            ("stops one epoch late: waits for patience + 1 non-improving epochs (wait > patience)",
             es_one_epoch_late),
            ("stop_epoch = best_epoch + patience always: past the end when training runs to the end",
             es_best_plus_patience),
            ("improvement means lower than the previous epoch, not than every earlier one", es_compares_previous),
            ("best_epoch is the argmin over the whole curve, including epochs after the stop", es_global_argmin),
            ("best_epoch is the latest epoch on a tie, not the earliest", es_latest_on_tie),
            ("returns None as stop_epoch when training runs to the end", es_never_stops_none),
            ("returns (stop_epoch, best_epoch): the tuple in the wrong order", es_returns_swapped),
            ("counts the improving epoch itself towards patience: stops one epoch early (never for patience = 1)",
             es_counts_best_epoch),
            ("never resets the counter: stops after patience non-improving epochs in total, not in a row",
             es_counter_never_reset),
            ("requires an improvement larger than a hard-coded min_delta = 1e-3 (Keras habit)", es_min_delta),
        ],
        "bootstrap_indices": [
            ("rng.permutation(n): draws without replacement, every row exactly once", bs_permutation),
            ("rng.integers(0, n - 1): the high end is exclusive, row n-1 never drawn", bs_excludes_last),
            ("indices 1..n (1-based): n out of range, row 0 never drawn", bs_one_based),
            ("draws from np.random.randint (global state), ignores rng", bs_global_random),
            ("draws n - 1 indices instead of n", bs_one_short),
            ("float array floor(U n), not an integer array", bs_float_indices),
            ("returns a Python list, not a NumPy array", bs_python_list),
            ("draws from a new default_rng(0): the same sample whatever rng", bs_fixed_generator),
            ("np.unique of the draws: duplicates removed, fewer than n indices", bs_unique),
            ("shape (n, 1) instead of a 1-D array", bs_column),
            ("round(U(0, n-1)): rows 0 and n-1 drawn half as often as the others", bs_rounded_uniform),
            ("returns the multinomial counts per row (how often each row is drawn), not the indices",
             bs_multinomial_counts),
        ],
        "ensemble_proba": [
            ("averages the logits over the members, then one softmax", en_average_logits),
            ("softmax over the examples axis (axis 1) instead of the classes", en_softmax_over_examples),
            ("unstable softmax exp(z) / sum exp(z): overflow, nan for logits ~1000", en_naive_softmax),
            ("subtracts the global max of the whole array: rows far below it underflow to 0/0",
             en_global_max),
            ("averages over the examples (axis 1): returns shape (k, C)", en_mean_over_examples),
            ("sums the members' probabilities instead of averaging: rows sum to k", en_sum_members),
            ("averages log-probabilities and exponentiates: an unnormalized geometric mean",
             en_mean_log_probs),
            ("majority vote: the fraction of members whose argmax is each class", en_majority_vote),
            ("subtracts the max from the caller's logits in place", en_shifts_in_place),
            ("sigmoid per class instead of a softmax: rows do not sum to 1", en_sigmoid),
            ("shifts the numerator by the max but not the denominator: exp(z - max) / sum exp(z)",
             en_denominator_not_shifted),
            ("median over the members instead of the mean", en_median),
        ],
        "adamw_step": [
            ("L2 inside Adam: adds weight_decay theta to g before the moments (not decoupled)",
             aw_l2_in_gradient),
            ("decay not scaled by lr: theta - lr adam_step - weight_decay theta", aw_decay_without_lr),
            ("decays the already-updated theta instead of the old one", aw_decay_after_step),
            ("decay sign flipped: + lr weight_decay theta (weights grow)", aw_decay_sign),
            ("decay term divided by sqrt(v_hat) + eps: inside the adaptive step", aw_decay_inside_adaptive),
            ("no bias correction of m and v", aw_no_bias_correction),
            ("bias correction with the old t: division by zero on the first step", aw_correction_with_old_t),
            ("eps inside the square root: sqrt(v_hat + eps)", aw_eps_inside_sqrt),
            ("updates theta, m and v in place", aw_in_place),
            ("bias-corrects with t + 1 but returns the old t", aw_old_t_returned),
            ("returns (theta, v, m, t): m and v swapped", aw_m_v_swapped),
            ("ignores the weight_decay argument: hard-codes 0.01", aw_hardcoded_decay),
        ],
    },
}

CORRECT = {
    "lesson06": {
        "l2_penalty_and_grad": l2_penalty_and_grad_ok,
        "l1_penalty_and_grad": l1_penalty_and_grad_ok,
        "split_indices": split_indices_ok,
        "early_stopping": early_stopping_ok,
        "bootstrap_indices": bootstrap_indices_ok,
        "ensemble_proba": ensemble_proba_ok,
        "adamw_step": adamw_step_ok,
    },
}
