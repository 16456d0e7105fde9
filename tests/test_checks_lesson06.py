"""Lesson 06's checker: correct answers in other styles pass, wrong answers written in other styles than the
catalogue's get the right name, the random functions are judged by their properties (not by one draw), the
detectors fire neither on a correct answer nor on another catalogued mistake, and the verdicts say what is
wrong."""
import copy
import math

import numpy as np
import pytest

import nnlib as nn
from course.checks import lesson06 as check
from check_helpers import cases as _cases
from check_helpers import fails as _fails
from check_helpers import run as _run


@pytest.fixture(autouse=True)
def _no_progress_file(monkeypatch):
    monkeypatch.setenv("NNLIB_PROGRESS", "off")




# --- correct answers in other styles -----------------------------------------------------------------

def _l2_loop(params, alpha):
    omega, grads = 0.0, {}
    for name, p in params.items():
        if name.split(".")[-1] == "W":
            omega = omega + np.linalg.norm(p) ** 2
            grads[name] = p * alpha
        else:
            grads[name] = 0 * p
    return alpha / 2 * omega, grads


def _l2_flat(params, alpha):
    weights = [k for k in params if k.endswith("W")]
    w = np.concatenate([params[k].ravel() for k in weights])
    grads = {k: np.zeros(p.shape) for k, p in params.items()}
    grads.update({k: alpha * params[k] for k in weights})
    return np.float64(0.5 * alpha * (w @ w)), grads


def _l1_where(params, alpha):
    grads = {}
    for k, p in params.items():
        grads[k] = np.where(p > 0, alpha, np.where(p < 0, -alpha, 0.0)) if k[-1] == "W" else np.zeros_like(p)
    return alpha * sum(np.abs(params[k]).sum() for k in params if k[-1] == "W"), grads


def _l1_copy(params, alpha):
    grads = {k: np.zeros_like(p) for k, p in params.items()}
    omega = 0.0
    for k in params:
        if k.endswith(".W"):
            W = params[k].copy()
            omega += alpha * np.sum(np.abs(W))
            np.sign(W, out=W)                         # in place on a copy: allowed
            W *= alpha
            grads[k] = W
    return omega, grads


def _split_shuffled_list(n, val_frac, test_frac, rng):
    idx = np.arange(n)
    rng.shuffle(idx)
    n_val, n_test = int(round(val_frac * n)), int(round(test_frac * n))
    n_train = n - n_val - n_test
    return idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:]


def _split_np_split(n, val_frac, test_frac, rng):
    n_val, n_test = round(val_frac * n), round(test_frac * n)
    val, test, train = np.split(rng.permutation(n), [n_val, n_val + n_test])
    return np.sort(train), np.sort(val), np.sort(test)


def _split_argsort(n, val_frac, test_frac, rng):
    order = np.argsort(rng.random(n))
    n_test = int(np.round(test_frac * n))
    n_val = int(np.round(val_frac * n))
    return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]


def _es_running_min(val_losses, patience):
    losses = np.asarray(val_losses, dtype=float)
    wait = 0
    for i in range(1, len(losses)):
        wait = 0 if losses[i] < losses[:i].min() else wait + 1
        if wait == patience:
            return int(np.argmin(losses[:i + 1])) + 1, i + 1
    return int(np.argmin(losses)) + 1, len(losses)


def _es_while(val_losses, patience):
    best_epoch, epoch, since = 1, 1, 0
    while epoch < len(val_losses):
        epoch += 1
        if val_losses[epoch - 1] < val_losses[best_epoch - 1]:
            best_epoch, since = epoch, 0
        else:
            since += 1
            if since >= patience:
                break
    return best_epoch, epoch


def _ens_loop(logits):
    k, N, C = logits.shape
    out = np.zeros((N, C))
    for member in logits:
        for i, row in enumerate(member):
            e = np.exp(row - np.max(row))
            out[i] += e / np.sum(e)
    return out / k


def _ens_logsumexp(logits):
    m = logits.max(axis=2, keepdims=True)
    log_p = logits - m - np.log(np.exp(logits - m).sum(axis=2, keepdims=True))
    return np.exp(log_p).sum(axis=0) / logits.shape[0]


def _adamw_decay_first(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    decayed = theta * (1 - lr * weight_decay)         # nnlib's order: shrink, then the Adam step
    t = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * np.square(g)
    return decayed - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v, t


def _adamw_named(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    t_new = t + 1
    m_new = beta1 * m + (1.0 - beta1) * g
    v_new = beta2 * v + (1.0 - beta2) * g * g
    m_hat, v_hat = m_new / (1.0 - beta1 ** t_new), v_new / (1.0 - beta2 ** t_new)
    return theta - lr * (m_hat / (v_hat ** 0.5 + eps) + weight_decay * theta), m_new, v_new, t_new


CORRECT = [
    (check.l2_penalty_and_grad, _l2_loop),
    (check.l2_penalty_and_grad, _l2_flat),
    (check.l1_penalty_and_grad, _l1_where),
    (check.l1_penalty_and_grad, _l1_copy),
    (check.split_indices, _split_shuffled_list),
    (check.split_indices, _split_np_split),
    (check.split_indices, _split_argsort),
    (check.early_stopping, _es_running_min),
    (check.early_stopping, _es_while),
    (check.bootstrap_indices, lambda n, rng: rng.choice(n, size=n)),
    (check.bootstrap_indices, lambda n, rng: (rng.random(n) * n).astype(int)),
    (check.bootstrap_indices, lambda n, rng: np.array([rng.integers(n) for _ in range(n)])),
    (check.ensemble_proba, _ens_loop),
    (check.ensemble_proba, _ens_logsumexp),
    (check.ensemble_proba, lambda logits: nn.softmax(logits, axis=-1).mean(axis=0)),
    (check.adamw_step, _adamw_decay_first),
    (check.adamw_step, _adamw_named),
]


@pytest.mark.parametrize("ex, learner", CORRECT,
                         ids=[f"{ex.number}-{i}" for i, (ex, _) in enumerate(CORRECT)])
def test_correct_answers_in_other_styles_pass(ex, learner):
    result = ex(learner)
    assert result.passed, result


# --- wrong answers written in other styles -----------------------------------------------------------

def _weights(params):
    return {k: p for k, p in params.items() if k.endswith(".W")}


def _l2_parts(omega_of, grad_of, bias_grad=lambda b, alpha: np.zeros_like(b)):
    """An L2 penalty written as a dict comprehension over the parameters (not the catalogue's loop)."""
    def penalty(params, alpha):
        omega = sum(omega_of(W, alpha) for W in _weights(params).values())
        grads = {k: grad_of(p, alpha) if k.endswith(".W") else bias_grad(p, alpha) for k, p in params.items()}
        return omega, grads
    return penalty


def _l1_parts(omega_of, grad_of, bias_grad=lambda b, alpha: np.zeros_like(b)):
    return _l2_parts(omega_of, grad_of, bias_grad)


_L2_OMEGA = lambda W, a: 0.5 * a * np.vdot(W, W)                   # noqa: E731
_L2_GRAD = lambda W, a: np.multiply(a, W)                          # noqa: E731
_L1_OMEGA = lambda W, a: a * np.linalg.norm(W.ravel(), 1)          # noqa: E731
_L1_GRAD = lambda W, a: a * (W > 0) - a * (W < 0)                  # noqa: E731


def _l2_bias_in_omega_only(params, alpha):
    omega = 0.5 * alpha * sum(np.vdot(p, p) for p in params.values())
    return omega, {k: (alpha * p if k.endswith(".W") else np.zeros_like(p)) for k, p in params.items()}


def _l2_grads_only_weights(params, alpha):
    grads = {k: alpha * p for k, p in params.items() if "W" in k}
    return 0.5 * alpha * sum(np.sum(np.square(p)) for p in grads.values()) / alpha, grads


def _l2_in_place_scale(params, alpha):
    omega = 0.0
    for k in params:
        if k.endswith(".W"):
            omega += 0.5 * alpha * np.sum(params[k] ** 2)
            params[k] *= alpha
        else:
            params[k] = np.zeros_like(params[k])
    return omega, params


def _split_no_shuffle(n, val_frac, test_frac, rng):
    n_val, n_test = round(val_frac * n), round(test_frac * n)
    rows = list(range(n))
    n_train = n - n_val - n_test
    return np.array(rows[:n_train]), np.array(rows[n_train:n - n_test]), np.array(rows[n - n_test:])


def _split_three_perms(n, val_frac, test_frac, rng):
    n_val, n_test = round(val_frac * n), round(test_frac * n)
    test = rng.permutation(n)[:n_test]
    val = rng.permutation(n)[:n_val]
    rest = np.setdiff1d(np.arange(n), np.union1d(test, val))
    return rest, val, test


def _split_choice(n, val_frac, test_frac, rng):
    rows = rng.choice(n, n)                                   # replace=True by default
    n_test = round(test_frac * n)
    n_train = n - round(val_frac * n) - n_test
    return rows[:n_train], rows[n_train:n - n_test], rows[n - n_test:]


def _split_floor(n, val_frac, test_frac, rng):
    idx = rng.permutation(n)
    n_val, n_test = int(np.floor(val_frac * n)), int(np.floor(test_frac * n))
    return idx[n_val + n_test:], idx[:n_val], idx[n_val:n_val + n_test]


def _split_val_of_rest(n, val_frac, test_frac, rng):
    idx = rng.permutation(n)
    n_test = round(test_frac * n)
    test, rest = idx[:n_test], idx[n_test:]
    n_val = round(val_frac * len(rest))
    return rest[n_val:], rest[:n_val], test


def _split_train_fraction(n, val_frac, test_frac, rng):
    idx = rng.permutation(n)
    n_val, n_test = round(val_frac * n), round(test_frac * n)
    n_train = int((1 - val_frac - test_frac) * n)             # may lose a row to rounding
    return idx[:n_train], idx[n_train:n_train + n_val], idx[n - n_test:]


def _es_lte(val_losses, patience):
    best, best_i, bad = float("inf"), -1, 0
    for i, loss in enumerate(val_losses):
        if not loss > best:                                    # ties count as improvements
            best, best_i, bad = loss, i, 0
        else:
            bad += 1
        if bad == patience:
            return best_i + 1, i + 1
    return best_i + 1, len(val_losses)


def _es_previous_epoch(val_losses, patience):
    bad = 0
    for i in range(1, len(val_losses)):
        bad = bad + 1 if val_losses[i] >= val_losses[i - 1] else 0
        if bad == patience:
            return int(np.argmin(val_losses[:i + 1])) + 1, i + 1
    return int(np.argmin(val_losses)) + 1, len(val_losses)


def _es_no_restore(val_losses, patience):
    best, bad = np.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        best, bad = (loss, 0) if loss < best else (best, bad + 1)
        if bad >= patience:
            return epoch, epoch
    return len(val_losses), len(val_losses)


def _es_looks_ahead(val_losses, patience):
    stop = _es_running_min(val_losses, patience)[1]
    return int(np.argmin(np.array(val_losses))) + 1, stop


def _es_early_by_one(val_losses, patience):
    best, best_epoch, bad = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses, 1):
        if loss < best:
            best, best_epoch, bad = loss, epoch, 0
        else:
            bad += 1
            if bad >= patience - 1 and patience > 1:
                return best_epoch, epoch
            if patience == 1:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _es_index_based(val_losses, patience):
    best_i, bad = 0, 0
    for i in range(1, len(val_losses)):
        if val_losses[i] < val_losses[best_i]:
            best_i, bad = i, 0
        else:
            bad += 1
            if bad == patience:
                return best_i, i
    return best_i, len(val_losses) - 1


def _es_none_when_running(val_losses, patience):
    best_epoch, stop = _es_running_min(val_losses, patience)
    ran_out = stop < len(val_losses) or check._stops(val_losses, patience)
    return best_epoch, (stop if ran_out else None)


def _ens_probs(logits):
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _split_train_first(n, val_frac, test_frac, rng):
    rows = rng.permutation(n)
    n_train = int(round((1 - val_frac - test_frac) * n))    # rounded on its own
    n_val = int(np.round(val_frac * n))
    train, val, test = rows[:n_train], rows[n_train:n_train + n_val], rows[n_train + n_val:]
    return np.sort(train), val, test


def _es_last_of_the_lowest(val_losses, patience):
    stop = _es_running_min(val_losses, patience)[1]
    seen = np.array(val_losses[:stop])
    return int(np.flatnonzero(seen == seen.min())[-1]) + 1, stop


def _es_total_count(val_losses, patience):
    best, epoch, misses = float("inf"), 0, 0
    while epoch < len(val_losses):
        loss = val_losses[epoch]
        epoch += 1
        if loss >= best:
            misses += 1                                        # never set back to 0
            if misses >= patience:
                break
        best = min(best, loss)
    return int(np.argmin(val_losses[:epoch])) + 1, epoch


def _es_relative_margin(val_losses, patience):
    best, best_epoch, bad = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best * (1 - 1e-3):                           # a relative min_delta
            best, best_epoch, bad = loss, epoch, 0
        else:
            bad += 1
            if bad >= patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _adamw_fixed_decay(theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    lam = 1e-2                                                 # written into the function
    return _adamw_named(theta, m, v, t, g, lr, lam, beta1, beta2, eps)


REVIEWED = [
    # 6.1
    (check.l2_penalty_and_grad, _l2_parts(_L2_OMEGA, _L2_GRAD, lambda b, a: a * b), "biases_penalized"),
    (check.l2_penalty_and_grad, _l2_bias_in_omega_only, "biases_penalized"),
    (check.l2_penalty_and_grad, _l2_parts(lambda W, a: a * np.vdot(W, W), _L2_GRAD), "missing_half"),
    (check.l2_penalty_and_grad, _l2_parts(_L2_OMEGA, lambda W, a: W * (a / 2)), "half_in_gradient"),
    (check.l2_penalty_and_grad, _l2_parts(_L2_OMEGA, lambda W, a: np.negative(a * W)), "gradient_sign"),
    (check.l2_penalty_and_grad, _l2_parts(lambda W, a: 0.5 * a * np.sqrt(np.vdot(W, W)), _L2_GRAD),
     "norm_not_squared"),
    (check.l2_penalty_and_grad, _l2_parts(lambda W, a: a * np.linalg.norm(W, "fro") / 2, _L2_GRAD),
     "norm_not_squared"),
    (check.l2_penalty_and_grad, _l2_parts(lambda W, a: 0.5 * a * np.vdot(W, W) / W.size, _L2_GRAD),
     "mean_not_sum"),
    (check.l2_penalty_and_grad, _l2_parts(_L2_OMEGA, lambda W, a: a * W / W.size), "mean_not_sum"),
    (check.l2_penalty_and_grad, _l2_parts(lambda W, a: a ** 2 / 2 * np.vdot(W, W), _L2_GRAD),
     "alpha_squared"),
    (check.l2_penalty_and_grad, _l2_parts(lambda W, a: np.vdot(W, W) / 2, lambda W, a: 1.0 * W),
     "alpha_missing"),
    (check.l2_penalty_and_grad, _l2_grads_only_weights, "bias_grads_missing"),
    (check.l2_penalty_and_grad, _l2_in_place_scale, "params_changed"),
    # 6.2
    (check.l1_penalty_and_grad, _l1_parts(lambda W, a: a / 2 * np.linalg.norm(W.ravel(), 1), _L1_GRAD),
     "half_omega"),
    (check.l1_penalty_and_grad, _l1_parts(_L1_OMEGA, lambda W, a: np.multiply(W, a)), "l2_gradient"),
    (check.l1_penalty_and_grad, _l1_parts(lambda W, a: a / 2 * np.vdot(W, W), lambda W, a: a * W),
     "l2_gradient"),
    (check.l1_penalty_and_grad, _l1_parts(_L1_OMEGA, lambda W, a: a * np.where(W < 0, -1.0, 1.0)),
     "sign_at_zero"),
    (check.l1_penalty_and_grad, _l1_parts(_L1_OMEGA, lambda W, a: a * (2.0 * (W > 0) - 1)), "sign_at_zero"),
    (check.l1_penalty_and_grad, _l1_parts(_L1_OMEGA, lambda W, a: a * np.divide(W, np.abs(W))),
     "sign_at_zero"),
    (check.l1_penalty_and_grad, _l1_parts(_L1_OMEGA, _L1_GRAD, lambda b, a: a * np.sign(b)),
     "biases_penalized"),
    (check.l1_penalty_and_grad, _l1_parts(lambda W, a: a * np.sum(W.ravel()), _L1_GRAD), "no_abs"),
    (check.l1_penalty_and_grad, _l1_parts(lambda W, a: np.abs(W).sum(), lambda W, a: np.sign(W)),
     "alpha_missing"),
    # 6.3
    (check.split_indices, _split_three_perms, "overlapping"),
    (check.split_indices, _split_no_shuffle, "not_shuffled"),
    (check.split_indices, _split_choice, "with_replacement"),
    (check.split_indices, _split_val_of_rest, "fraction_of_rest"),
    (check.split_indices, lambda n, vf, tf, rng: _split_shuffled_list(n, tf, vf, rng), "sizes_swapped"),
    (check.split_indices, _split_train_fraction, "rows_dropped"),
    (check.split_indices, _split_floor, "not_rounded"),
    (check.split_indices, lambda n, vf, tf, rng: _split_argsort(n, vf, tf, np.random.default_rng(0)),
     "ignores_rng"),
    # 6.4
    (check.early_stopping, _es_no_restore, "no_restore"),
    (check.early_stopping, _es_looks_ahead, "looks_ahead"),
    (check.early_stopping, _es_early_by_one, "patience_off_by_one"),
    (check.early_stopping, lambda losses, patience: _es_running_min(losses, patience + 1),
     "patience_off_by_one"),
    (check.early_stopping, _es_index_based, "zero_based"),
    (check.early_stopping, _es_lte, "ties_improve"),
    (check.early_stopping, _es_previous_epoch, "against_previous"),
    (check.early_stopping, _es_none_when_running, "past_the_end"),
    # 6.5
    (check.bootstrap_indices, lambda n, rng: np.argsort(rng.random(n)), "without_replacement"),
    (check.bootstrap_indices, lambda n, rng: rng.choice(np.arange(1, n + 1), size=n), "one_based"),
    (check.bootstrap_indices, lambda n, rng: rng.choice(n - 1, size=n) if n > 1 else np.zeros(1, int),
     "never_last"),
    (check.bootstrap_indices, lambda n, rng: rng.integers(0, n, size=n + 1), "wrong_size"),
    (check.bootstrap_indices, lambda n, rng: np.random.choice(n, n), "ignores_rng"),
    # 6.6
    (check.ensemble_proba, lambda logits: _ens_probs(np.mean(logits, axis=0)), "softmax_of_mean"),
    (check.ensemble_proba, lambda logits: np.mean(logits, axis=0), "mean_logits"),
    (check.ensemble_proba, lambda logits: np.add.reduce(_ens_probs(logits)), "sum_not_mean"),
    (check.ensemble_proba, lambda logits: nn.softmax(logits, axis=1).mean(axis=0), "softmax_wrong_axis"),
    (check.ensemble_proba, lambda logits: np.eye(logits.shape[2])[logits.mean(axis=0).argmax(axis=1)],
     "hard_votes"),
    (check.ensemble_proba, lambda logits: np.mean(np.exp(logits) / np.exp(logits).sum(-1, keepdims=True), 0),
     "not_stable"),
    # 6.7
    (check.adamw_step, lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
     eps=1e-8: _adamw_named(theta, m, v, t, g + weight_decay * theta, lr, 0.0, beta1, beta2, eps),
     "l2_in_adam"),
    (check.adamw_step, lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
     eps=1e-8: (lambda out: (out[0] - weight_decay * theta * (1 - lr), *out[1:]))(
        _adamw_named(theta, m, v, t, g, lr, weight_decay, beta1, beta2, eps)), "decay_without_lr"),
    (check.adamw_step, lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
     eps=1e-8: (lambda out: (out[0] + 2 * lr * weight_decay * theta, *out[1:]))(
        _adamw_named(theta, m, v, t, g, lr, weight_decay, beta1, beta2, eps)), "decay_sign"),
    (check.adamw_step, lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
     eps=1e-8: (lambda out: (out[0] * (1 - lr * weight_decay), *out[1:]))(
        _adamw_named(theta, m, v, t, g, lr, 0.0, beta1, beta2, eps)), "decay_after_step"),
    (check.adamw_step, lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
     eps=1e-8: (
        lambda t1, m1, v1: (theta - lr * (m1 / (1 - beta1 ** t1) + weight_decay * theta)
                            / (np.sqrt(v1 / (1 - beta2 ** t1)) + eps), m1, v1, t1))(
        t + 1, beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g), "decay_rescaled"),
    (check.adamw_step, lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
     eps=1e-8: (
        lambda m1, v1: (theta - lr * (m1 / (np.sqrt(v1) + eps) + weight_decay * theta), m1, v1, t + 1))(
        beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g), "no_bias_correction"),
    (check.adamw_step, lambda theta, m, v, t, g, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999,
     eps=1e-8: (
        lambda m1, v1: (theta - lr * (m1 / (1 - beta1 ** t) / (np.sqrt(v1 / (1 - beta2 ** t)) + eps)
                                      + weight_decay * theta), m1, v1, t + 1))(
        beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g), "t_not_incremented_first"),
    # the mistakes named after the independent round 6
    (check.l2_penalty_and_grad, _l2_parts(lambda W, a: a / 2 * np.square(np.sum(W)), _L2_GRAD),
     "square_of_sum"),
    (check.l2_penalty_and_grad, lambda params, alpha: (lambda o, g: (g, o))(*_l2_flat(params, alpha)),
     "wrong_order"),
    (check.l2_penalty_and_grad, lambda params, alpha: (
        tuple(0.5 * alpha * np.vdot(W, W) for W in _weights(params).values()), _l2_flat(params, alpha)[1]),
     "omega_not_summed"),
    (check.l1_penalty_and_grad, _l1_parts(
        lambda W, a: a * max(np.abs(W[:, j]).sum() for j in range(W.shape[1])), _L1_GRAD), "matrix_norm"),
    (check.l1_penalty_and_grad, _l1_parts(lambda W, a: a * np.sum(np.square(W)), _L1_GRAD), "l2_omega"),
    (check.l1_penalty_and_grad, lambda params, alpha: tuple(reversed(_l1_where(params, alpha))),
     "wrong_order"),
    (check.l1_penalty_and_grad, lambda params, alpha: (
        [alpha * np.abs(W).sum() for W in _weights(params).values()], _l1_where(params, alpha)[1]),
     "omega_not_summed"),
    (check.split_indices, _split_train_first, "train_rounded"),
    (check.split_indices, lambda *a: tuple([int(i) for i in x] for x in _split_argsort(*a)), "python_lists"),
    (check.early_stopping, _es_last_of_the_lowest, "latest_tie"),
    (check.early_stopping, _es_total_count, "count_not_reset"),
    (check.early_stopping, _es_relative_margin, "min_delta"),
    (check.bootstrap_indices, lambda n, rng: list(rng.choice(n, size=n)), "python_list"),
    (check.bootstrap_indices, lambda n, rng: rng.choice(n, size=n).reshape(1, -1), "not_1d"),
    (check.bootstrap_indices, lambda n, rng: np.around(rng.random(n) * (n - 1)).astype(int),
     "rounded_uniform"),
    (check.bootstrap_indices, lambda n, rng: (lambda d: np.array([np.sum(d == i) for i in range(n)]))(
        rng.integers(0, n, size=n)), "counts_not_indices"),
    (check.bootstrap_indices, lambda n, rng: np.array(list(set(rng.integers(0, n, size=n).tolist()))),
     "duplicates_removed"),
    (check.ensemble_proba, lambda logits: np.exp(np.mean(np.log(_ens_probs(logits)), axis=0)),
     "geometric_mean"),
    (check.ensemble_proba, lambda logits: np.mean(
        np.exp(logits) / np.exp(logits - logits.max(axis=2, keepdims=True)).sum(axis=2, keepdims=True),
        axis=0), "max_subtracted_once"),
    (check.ensemble_proba, lambda logits: np.sort(_ens_probs(logits), axis=0)[len(logits) // 2],
     "median_not_mean"),
    (check.ensemble_proba, lambda logits: np.mean(1 / (1 + np.exp(-logits)), axis=0), "not_softmax"),
    (check.adamw_step, _adamw_fixed_decay, "weight_decay_ignored"),
    # uncatalogued: rejected, not named
    (check.l2_penalty_and_grad, _l2_parts(_L2_OMEGA, lambda W, a: 1.01 * a * W), None),
    (check.early_stopping, lambda losses, patience: (1, len(losses)), None),
    # val rounded up and test rounded: on every case the sizes of "train truncated, the rest to val" too
    (check.split_indices, lambda n, vf, tf, rng: (lambda idx, a, b: (idx[a + b:], idx[:a], idx[a:a + b]))(
        rng.permutation(n), math.ceil(vf * n), round(tf * n)), None),
    (check.ensemble_proba, lambda logits: 1.001 * _ens_probs(logits).mean(axis=0), None),
    (check.adamw_step, lambda *a, **k: tuple(x * 1.001 if isinstance(x, np.ndarray) else x
                                             for x in check._adamw(*a, **k)), None),
]


@pytest.mark.parametrize("ex, learner, key", REVIEWED, ids=[f"{ex.number}-{k}-{i}" for i, (ex, _, k)
                                                           in enumerate(REVIEWED)])
def test_reviewed_wrong_answers_get_their_verdict(ex, learner, key):
    result = ex(learner)
    assert result.status == "failed", result
    assert result.mistake == key, result


# --- detectors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("ex", check.EXERCISES, ids=[ex.number for ex in check.EXERCISES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_detector_fires_on_a_correct_run(ex, seed):
    """What the check sees for the reference (through its guard) never matches a mistake."""
    ex(ex.reference)                                # the probes call the learner of the running check
    for case in _cases(ex, seed):
        got, error = _run(ex, ex.reference, case)
        assert error is None
        case.seen_args = copy.deepcopy(case.args)
        expected = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
        for m in ex.mistakes:
            if m.detect is not None:
                with np.errstate(all="ignore"):
                    assert not m.detect(got, expected, case), f"{ex.number} {m.key} fires on {case.label}"


def _implementations(ex):
    return [(m, f) for m in ex.mistakes if not m.mutation and not m.irreproducible
            for f in (m.impl, *m.witnesses)]


@pytest.mark.parametrize("ex", check.EXERCISES, ids=[ex.number for ex in check.EXERCISES])
def test_a_detector_does_not_fire_on_another_mistake_where_that_one_is_decided(ex):
    """A detector tried before a mistake's own entry does not take it (the catalogue is tried in order)."""
    for m2, f in _implementations(ex):
        ex(f)                                       # the probes call the learner of the running check
        earlier = [m for m in ex.mistakes[:ex.mistakes.index(m2)] if m.detect is not None]
        for case in _cases(ex):
            got, error = _run(ex, f, case)
            if error is not None:
                break                               # decided by the error it raises
            case.seen_args = copy.deepcopy(case.args)
            expected = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
            if not _fails(ex, got, case):
                continue
            for m1 in earlier:
                with np.errstate(all="ignore"):
                    assert not m1.detect(got, expected, case), f"{ex.number}: {m1.key} fires on {m2.key}"
            break                                   # the first failing case decides


# --- the cases themselves ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_penalty_cases_separate_the_alpha_mistakes(seed):
    """alpha / 2, alpha ** 2, 2 alpha and 1 are four different numbers for every case's alpha, and every
    weight matrix of the L1 cases holds exact zeros (where np.sign's 0 matters)."""
    for case in _cases(check.l2_penalty_and_grad, seed):
        alpha = case.args[1]
        assert len({round(x, 9) for x in (alpha / 2, alpha ** 2, 2 * alpha, 1.0, alpha)}) == 5
    for case in _cases(check.l1_penalty_and_grad, seed):
        weights = [p for k, p in case.args[0].items() if k.endswith(".W")]
        assert all(np.any(W == 0) for W in weights)
        assert not np.isclose(sum(W.sum() for W in weights), sum(np.abs(W).sum() for W in weights))


def test_split_cases_make_rounding_and_the_order_of_the_fractions_matter():
    specs = [c.args[:3] for c in _cases(check.split_indices)]
    fractional = lambda x: x - math.floor(x)     # noqa: E731
    for n, vf, tf in specs:
        assert vf != tf
        assert all(abs(fractional(f * n) - 0.5) > 0.05 for f in (vf, tf))     # never on .5
    assert any(fractional(vf * n) > 0.5 for n, vf, tf in specs)              # round is not floor there
    assert any(0 < fractional(tf * n) < 0.5 for n, vf, tf in specs)          # nor ceil
    assert specs[0][0] >= 1000                     # where overlaps and repeats cannot be missed


def test_a_split_case_whose_three_roundings_do_not_add_up():
    """A train size rounded on its own, round((1 - val_frac - test_frac) n), leaves a set a row off there."""
    assert any(round(vf * n) + round(tf * n) + round((1 - vf - tf) * n) != n
               for n, vf, tf in (c.args[:3] for c in _cases(check.split_indices)))
    result = check.split_indices(_split_train_first)
    assert result.mistake == "train_rounded" and "n = 20" in result.message, result


def test_a_split_is_judged_by_its_properties_not_by_one_draw():
    """Any random cut of one permutation passes: the sets in another order of the permutation, sorted
    inside, drawn with another method."""
    def from_the_end(n, vf, tf, rng):
        perm = rng.permutation(n)[::-1]
        nv, nt = round(vf * n), round(tf * n)
        return np.sort(perm[nv + nt:]), perm[nt:nt + nv][::-1], perm[:nt]
    assert check.split_indices(from_the_end).passed


def test_the_early_stopping_cases_have_ties_plateaus_and_a_curve_that_never_stops():
    cs = _cases(check.early_stopping)
    assert any(not check._stops(*c.args) for c in cs)
    assert any(len(set(c.args[0])) < len(c.args[0]) for c in cs)
    assert {c.args[1] for c in cs} >= {1, 2, 3, 4}
    assert all(isinstance(c.args[0], list) for c in cs)     # like nnlib's history.val_loss


def test_an_early_stopping_case_whose_improvements_are_smaller_than_a_min_delta():
    """Every improvement of one curve is below 1e-5 (two of them together too), where any usual margin such
    as Keras's min_delta changes the stop."""
    def improvements(losses):
        drops = -np.diff(np.minimum.accumulate(losses))
        return drops[drops > 0]
    curves = [c.args[0] for c in _cases(check.early_stopping)]
    assert any(len(d) >= 3 and d[:2].sum() < 1e-5 for d in map(improvements, curves))
    for delta in (1e-5, 1e-4, 3e-4, 1e-3, 1e-2):
        margin = check.early_stopping(lambda losses, patience, d=delta: check._es_margin(losses, patience, d))
        assert margin.mistake == "min_delta" and "improvements of 2e-6" in margin.message, margin


def test_the_bootstrap_is_judged_on_many_draws():
    result = check.bootstrap_indices(lambda n, rng: rng.integers(0, max(n - 1, 1), size=n))
    assert "never drawn in 400 calls" in result.message and result.mistake == "never_last", result
    skewed = check.bootstrap_indices(lambda n, rng: np.minimum(rng.integers(0, n, size=n),
                                                               rng.integers(0, n, size=n)))
    assert skewed.status == "failed" and "uniform" in skewed.message + skewed.message.replace(
        "equally likely", "uniform"), skewed
    distinct = check.bootstrap_indices(lambda n, rng: np.sort(rng.integers(0, n, size=n)))
    assert distinct.passed, distinct                          # any order of the draws is fine


def test_adamw_decay_after_the_step_is_caught_on_the_case_built_for_it():
    """The decay applied to the new theta differs by lr^2 weight_decay |step|: invisible at lr = 1e-3,
    and it must be decided on the case with a large lr and weight_decay."""
    impl = next(m.impl for m in check.adamw_step.mistakes if m.key == "decay_after_step")
    cs = _cases(check.adamw_step)
    failing = [c for c in cs if _fails(check.adamw_step, _run(check.adamw_step, impl, c)[0], c)]
    assert failing and failing[0] is cs[0] and cs[0].kwargs["weight_decay"] * cs[0].args[5] >= 0.01
    result = check.adamw_step(impl)
    assert result.mistake == "decay_after_step" and "step 1 of 4" in result.message, result


def test_a_zero_division_at_t_zero_is_named():
    result = check.adamw_step(check._adamw_raises_at_zero)
    assert "ZeroDivisionError" in result.message and result.mistake == "t_not_incremented_first", result


# --- messages ---------------------------------------------------------------------------------------

def test_penalty_messages_name_the_key_and_the_form():
    bias_scalar = check.l2_penalty_and_grad(lambda params, alpha: (
        check._l2(params, alpha)[0], {k: (alpha * p if k.endswith(".W") else 0) for k, p in params.items()}))
    assert "grads['0.b'] has shape ()" in bias_scalar.message and bias_scalar.mistake == "bias_grads_missing"
    only_grads = check.l2_penalty_and_grad(lambda params, alpha: check._l2(params, alpha)[1])
    assert "only a dict" in only_grads.message and "(omega, grads)" in only_grads.message
    swapped = check.l1_penalty_and_grad(lambda params, alpha: tuple(reversed(check._l1(params, alpha))))
    assert "(grads, omega)" in swapped.message, swapped
    array_omega = check.l2_penalty_and_grad(lambda params, alpha: (
        np.array([check._l2(params, alpha)[0]]), check._l2(params, alpha)[1]))
    assert "omega is an array of shape (1,)" in array_omega.message, array_omega
    wrong = check.l1_penalty_and_grad(check._l1_with(grad_of=lambda W, a: a * np.sign(W) + (W == 0) * a))
    assert wrong.message.startswith("grads['0.W'] is 0.3 at index"), wrong


def test_split_messages_say_what_is_wrong():
    floats = check.split_indices(lambda *a: tuple(x.astype(float) for x in check._split(*a)))
    assert "dtype float64" in floats.message, floats
    lists = check.split_indices(lambda *a: tuple(list(x) for x in check._split(*a)))
    assert "Python list" in lists.message, lists
    one = check.split_indices(lambda n, vf, tf, rng: rng.permutation(n))
    assert "one array" in one.message, one
    swapped = check.split_indices(lambda n, vf, tf, rng: check._split(n, tf, vf, rng))
    assert swapped.message.startswith("val holds 250 indices, expected 120"), swapped


def test_early_stopping_messages():
    floats = check.early_stopping(lambda *a: tuple(float(x) for x in check._early_stopping(*a)))
    assert "(float), expected the int" in floats.message, floats
    changed = check.early_stopping(lambda losses, patience: (losses.sort(), (1, 1))[1])
    assert "changed val_losses in place" in changed.message, changed
    none = check.early_stopping(lambda losses, patience: (check._early_stopping(losses, patience)[0], None))
    assert "stop_epoch is None" in none.message, none


def test_bootstrap_and_ensemble_messages():
    perm = check.bootstrap_indices(lambda n, rng: rng.permutation(n))
    assert "without replacement" in perm.message, perm
    big = check.ensemble_proba(lambda logits: np.mean(np.exp(logits) / np.exp(logits).sum(-1, keepdims=True),
                                                      0))
    assert "nan" in big.message and "logits around 1000" in big.message and big.mistake == "not_stable", big
    def shared_max(logits):
        e = np.exp(logits - logits.max())           # one shift for every member and example
        return (e / e.sum(axis=-1, keepdims=True)).mean(axis=0)
    shared = check.ensemble_proba(shared_max)
    assert shared.mistake == "not_stable" and "a thousand apart" in shared.message, shared
