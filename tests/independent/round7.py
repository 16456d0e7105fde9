"""Independent wrong answers (round 7), written from the exercise statements only."""
import numpy as np


def _softmax_rows(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def _hidden(params, X):
    return np.maximum(X @ params["W1"] + params["b1"], 0.0)


# =====================================================================================
# lesson 07
# =====================================================================================

# ---- 7.1 dropout_forward -------------------------------------------------------------

def dropout_forward_ok(X, p_drop, rng, training=True):
    X = np.asarray(X, dtype=np.float64)
    if not training:
        return X.copy(), np.ones(X.shape)
    keep = rng.random(X.shape) >= p_drop            # P(keep) = 1 - p_drop
    Y = X * (keep / (1.0 - p_drop))
    return Y, keep


def df_keep_with_p_drop(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = (rng.random(X.shape) < p_drop).astype(float)   # keeps with probability p_drop
    return X * keep / (1 - p_drop), keep


def df_multiplies_by_keep_prob(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = (rng.random(X.shape) >= p_drop).astype(float)
    return X * keep * (1 - p_drop), keep


def df_no_rescaling(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = (rng.random(X.shape) >= p_drop).astype(float)
    return X * keep, keep


def df_divides_by_p_drop(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = (rng.random(X.shape) >= p_drop).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return X * keep / p_drop, keep


def df_one_mask_for_batch(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    row = (rng.random(X.shape[1]) >= p_drop).astype(float)
    keep = np.tile(row, (X.shape[0], 1))
    return X * keep / (1 - p_drop), keep


def df_drops_whole_examples(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    col = (rng.random((X.shape[0], 1)) >= p_drop).astype(float)
    keep = np.repeat(col, X.shape[1], axis=1)
    return X * keep / (1 - p_drop), keep


def df_global_numpy_random(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = np.random.binomial(1, 1 - p_drop, size=X.shape).astype(float)
    return X * keep / (1 - p_drop), keep


def df_fresh_seeded_generator(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    gen = np.random.default_rng(0)
    keep = gen.random(X.shape) >= p_drop
    return X * keep / (1 - p_drop), keep


def df_eval_weight_scaled(X, p_drop, rng, training=True):
    if not training:
        return X * (1 - p_drop), np.ones_like(X)
    keep = (rng.random(X.shape) >= p_drop).astype(float)
    return X * keep / (1 - p_drop), keep


def df_ignores_training_flag(X, p_drop, rng, training=True):
    keep = (rng.random(X.shape) >= p_drop).astype(float)
    return X * keep / (1 - p_drop), keep


def df_returns_only_Y(X, p_drop, rng, training=True):
    if not training:
        return X.copy()
    keep = rng.random(X.shape) >= p_drop
    return X * keep / (1 - p_drop)


def df_returns_keep_first(X, p_drop, rng, training=True):
    if not training:
        return np.ones_like(X), X.copy()
    keep = (rng.random(X.shape) >= p_drop).astype(float)
    return keep, X * keep / (1 - p_drop)


def df_in_place(X, p_drop, rng, training=True):
    X = np.asarray(X, dtype=float)       # the caller's array itself when X is already float64
    if not training:
        return X, np.ones_like(X)
    keep = (rng.random(X.shape) >= p_drop).astype(float)
    X *= keep
    X /= 1 - p_drop
    return X, keep


def df_returns_drop_mask(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.zeros_like(X)
    dropped = rng.random(X.shape) < p_drop
    Y = np.where(dropped, 0.0, X / (1 - p_drop))
    return Y, dropped.astype(float)


def df_fixed_count_per_row(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    N, H = X.shape
    n_drop = int(round(p_drop * H))
    keep = np.ones((N, H))
    for i in range(N):
        keep[i, rng.permutation(H)[:n_drop]] = 0.0
    return X * keep / (1 - p_drop), keep


def df_zeros_like_integer_input(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones(X.shape)
    keep = rng.random(X.shape) >= p_drop
    Y = np.zeros_like(X)                 # inherits X's dtype: int for an integer X
    Y[keep] = X[keep] / (1 - p_drop)
    return Y, keep


def df_eval_mask_one_row(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones(X.shape[1])
    keep = rng.random(X.shape) >= p_drop
    return X * keep / (1 - p_drop), keep


def df_integer_grid_strict(X, p_drop, rng, training=True):
    if not training:
        return X.copy(), np.ones_like(X)
    keep = (rng.integers(0, 10, size=X.shape) > 10 * p_drop).astype(float)
    return X * keep / (1 - p_drop), keep


# ---- 7.2 dropout_backward ------------------------------------------------------------

def dropout_backward_ok(dY, keep, p_drop):
    factor = np.asarray(keep, dtype=np.float64) / (1.0 - p_drop)
    return np.asarray(dY, dtype=np.float64) * factor


def db_mask_not_applied(dY, keep, p_drop):
    return dY / (1 - p_drop)


def db_not_rescaled(dY, keep, p_drop):
    return dY * keep


def db_multiplies_by_keep_prob(dY, keep, p_drop):
    return dY * keep * (1 - p_drop)


def db_fresh_mask(dY, keep, p_drop):
    gen = np.random.default_rng()
    new_keep = gen.random(dY.shape) >= p_drop
    return dY * new_keep / (1 - p_drop)


def db_uses_dropped_positions(dY, keep, p_drop):
    keep = np.asarray(keep, dtype=float)
    return dY * (1 - keep) / (1 - p_drop)


def db_divides_by_p_drop(dY, keep, p_drop):
    with np.errstate(divide="ignore", invalid="ignore"):
        return dY * keep / p_drop


def db_in_place(dY, keep, p_drop):
    dY *= keep
    dY /= 1 - p_drop
    return dY


def db_bool_mask_indexing(dY, keep, p_drop):
    dX = dY.copy()
    dX[~keep] = 0.0                      # assumes a boolean mask: TypeError for a float 0/1 mask
    return dX / (1 - p_drop)


def db_zeros_like_mask(dY, keep, p_drop):
    dX = np.zeros_like(keep)             # boolean array when keep is boolean
    idx = keep != 0
    dX[idx] = dY[idx] / (1 - p_drop)
    return dX


def db_sums_over_batch(dY, keep, p_drop):
    return np.sum(dY * keep / (1 - p_drop), axis=0)


def db_divides_by_batch_size(dY, keep, p_drop):
    return dY * keep / (1 - p_drop) / dY.shape[0]


def db_returns_tuple(dY, keep, p_drop):
    return dY * keep / (1 - p_drop), keep


def db_squared_scale(dY, keep, p_drop):
    return dY * keep / (1 - p_drop) ** 2


def db_local_derivative_only(dY, keep, p_drop):
    return np.asarray(keep, dtype=float) / (1 - p_drop)


def db_alias_when_no_dropout(dY, keep, p_drop):
    if p_drop == 0:
        return dY                       # the caller's array itself
    return dY * keep / (1 - p_drop)


def db_sqrt_scale(dY, keep, p_drop):
    return dY * keep / np.sqrt(1 - p_drop)


# ---- 7.3 test_time_logits ------------------------------------------------------------

def test_time_logits_ok(params, X, p_drop_input, p_drop_hidden):
    q_in, q_hid = 1.0 - p_drop_input, 1.0 - p_drop_hidden
    W1 = q_in * np.asarray(params["W1"], dtype=np.float64)
    W2 = q_hid * np.asarray(params["W2"], dtype=np.float64)
    pre = np.asarray(X, dtype=np.float64) @ W1 + params["b1"]
    return np.clip(pre, 0.0, None) @ W2 + params["b2"]


def tt_scales_by_p_drop(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ (params["W1"] * p_drop_input) + params["b1"], 0)
    return h @ (params["W2"] * p_drop_hidden) + params["b2"]


def tt_no_scaling(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ params["W1"] + params["b1"], 0)
    return h @ params["W2"] + params["b2"]


def tt_divides_by_keep_prob(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ (params["W1"] / (1 - p_drop_input)) + params["b1"], 0)
    return h @ (params["W2"] / (1 - p_drop_hidden)) + params["b2"]


def tt_factors_swapped(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ (params["W1"] * (1 - p_drop_hidden)) + params["b1"], 0)
    return h @ (params["W2"] * (1 - p_drop_input)) + params["b2"]


def tt_scales_biases(params, X, p_drop_input, p_drop_hidden):
    q1, q2 = 1 - p_drop_input, 1 - p_drop_hidden
    h = np.maximum(X @ (q1 * params["W1"]) + q1 * params["b1"], 0)
    return h @ (q2 * params["W2"]) + q2 * params["b2"]


def tt_hidden_only(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ params["W1"] + params["b1"], 0)
    return h @ (params["W2"] * (1 - p_drop_hidden)) + params["b2"]


def tt_input_only(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ (params["W1"] * (1 - p_drop_input)) + params["b1"], 0)
    return h @ params["W2"] + params["b2"]


def tt_scales_logits(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ params["W1"] + params["b1"], 0)
    return (h @ params["W2"] + params["b2"]) * (1 - p_drop_input) * (1 - p_drop_hidden)


def tt_scales_hidden_after_relu(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ params["W1"] + params["b1"], 0) * (1 - p_drop_input)   # b1 scaled with it
    return h @ (params["W2"] * (1 - p_drop_hidden)) + params["b2"]


def tt_in_place(params, X, p_drop_input, p_drop_hidden):
    W1, W2 = params["W1"], params["W2"]
    W1 *= 1 - p_drop_input
    W2 *= 1 - p_drop_hidden
    h = np.maximum(X @ W1 + params["b1"], 0)
    return h @ W2 + params["b2"]


def tt_dropout_left_on(params, X, p_drop_input, p_drop_hidden):
    Xd = X * (np.random.random(X.shape) >= p_drop_input)
    h = np.maximum(Xd @ params["W1"] + params["b1"], 0)
    h = h * (np.random.random(h.shape) >= p_drop_hidden)
    return h @ params["W2"] + params["b2"]


def tt_compound_factor_on_W2(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ params["W1"] + params["b1"], 0)
    return h @ (params["W2"] * (1 - p_drop_input) * (1 - p_drop_hidden)) + params["b2"]


def tt_returns_probabilities(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ (params["W1"] * (1 - p_drop_input)) + params["b1"], 0)
    return _softmax_rows(h @ (params["W2"] * (1 - p_drop_hidden)) + params["b2"])


def tt_scales_X_and_W1(params, X, p_drop_input, p_drop_hidden):
    q1 = 1 - p_drop_input
    h = np.maximum((q1 * X) @ (q1 * params["W1"]) + params["b1"], 0)
    return h @ (params["W2"] * (1 - p_drop_hidden)) + params["b2"]


def tt_returns_hidden_too(params, X, p_drop_input, p_drop_hidden):
    h = np.maximum(X @ (params["W1"] * (1 - p_drop_input)) + params["b1"], 0)
    return h, h @ (params["W2"] * (1 - p_drop_hidden)) + params["b2"]


# ---- 7.4 mc_predict -----------------------------------------------------------------

def mc_predict_ok(params, X, p_drop, k, rng):
    X = np.asarray(X, dtype=np.float64)
    A = np.maximum(X @ params["W1"] + params["b1"], 0.0)     # no input dropout: same for all passes
    acc = np.zeros((X.shape[0], np.shape(params["W2"])[1]))
    for _ in range(k):
        keep = rng.random(A.shape) >= p_drop
        Z = (A * keep / (1.0 - p_drop)) @ params["W2"] + params["b2"]
        Z = Z - Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        acc += E / E.sum(axis=1, keepdims=True)
    return acc / k


def mc_averages_logits(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    Z = np.zeros((X.shape[0], params["W2"].shape[1]))
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        Z += (h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]
    return _softmax_rows(Z / k)


def mc_softmax_over_examples(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        Z = (h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        out.append(E / E.sum(axis=0, keepdims=True))
    return np.mean(out, axis=0)


def mc_one_mask_all_passes(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    keep = rng.random(h.shape) >= p_drop
    out = []
    for _ in range(k):
        out.append(_softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_one_mask_per_pass_for_batch(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = rng.random((1, h.shape[1])) >= p_drop
        out.append(_softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_no_dropout(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = [_softmax_rows(h @ params["W2"] + params["b2"]) for _ in range(k)]
    return np.mean(out, axis=0)


def mc_no_rescaling(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        out.append(_softmax_rows((h * keep) @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_multiplies_by_keep_prob(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        out.append(_softmax_rows((h * keep * (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_drops_inputs_too(params, X, p_drop, k, rng):
    out = []
    for _ in range(k):
        Xd = X * (rng.random(X.shape) >= p_drop) / (1 - p_drop)
        h = _hidden(params, Xd)
        keep = rng.random(h.shape) >= p_drop
        out.append(_softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_global_numpy_random(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = np.random.rand(*h.shape) >= p_drop
        out.append(_softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_seeded_generator_per_pass(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for i in range(k):
        gen = np.random.default_rng(i)
        keep = gen.random(h.shape) >= p_drop
        out.append(_softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_one_pass_short(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    total = np.zeros((X.shape[0], params["W2"].shape[1]))
    for _ in range(1, k):
        keep = rng.random(h.shape) >= p_drop
        total += _softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"])
    return total / k


def mc_keep_with_p_drop(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = rng.random(h.shape) < p_drop
        out.append(_softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_majority_vote(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    C = params["W2"].shape[1]
    votes = np.zeros((X.shape[0], C))
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        Z = (h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]
        votes[np.arange(X.shape[0]), Z.argmax(axis=1)] += 1
    return votes / k


def mc_naive_softmax(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        E = np.exp((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"])
        out.append(E / E.sum(axis=1, keepdims=True))
    return np.mean(out, axis=0)


def mc_returns_all_passes(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        out.append(_softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.stack(out)


def mc_rescales_W2_in_place(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    W2 = params["W2"]
    out = []
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        W2 /= 1 - p_drop                  # compounds over the passes and changes the caller's W2
        out.append(_softmax_rows((h * keep) @ W2 + params["b2"]))
    return np.mean(out, axis=0)


def mc_mask_before_bias(params, X, p_drop, k, rng):
    pre = X @ params["W1"]
    out = []
    for _ in range(k):
        keep = rng.random(pre.shape) >= p_drop
        h = np.maximum(pre * keep / (1 - p_drop) + params["b1"], 0)
        out.append(_softmax_rows(h @ params["W2"] + params["b2"]))
    return np.mean(out, axis=0)


def mc_squeezed(params, X, p_drop, k, rng):
    h = _hidden(params, X)
    out = []
    for _ in range(k):
        keep = rng.random(h.shape) >= p_drop
        out.append(_softmax_rows((h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]))
    return np.squeeze(np.mean(out, axis=0))


# ---- 7.5 choose_p_drop ---------------------------------------------------------------

def choose_p_drop_ok(results):
    best_key, best_val = None, -np.inf
    for p in sorted(results):                  # increasing p: strict > keeps the smallest on a tie
        v = results[p]["val_acc"]
        if v > best_val:
            best_key, best_val = p, v
    return best_key


def cp_by_train_acc(results):
    best = max(r["train_acc"] for r in results.values())
    return min(p for p, r in results.items() if r["train_acc"] == best)


def cp_by_test_acc(results):
    best = max(r["test_acc"] for r in results.values())
    return min(p for p, r in results.items() if r["test_acc"] == best)


def cp_largest_on_tie(results):
    best = max(r["val_acc"] for r in results.values())
    return max(p for p, r in results.items() if r["val_acc"] == best)


def cp_first_in_dict_order(results):
    return max(results, key=lambda p: results[p]["val_acc"])


def cp_returns_accuracy(results):
    return max(r["val_acc"] for r in results.values())


def cp_returns_inner_dict(results):
    best = max(r["val_acc"] for r in results.values())
    p = min(p for p, r in results.items() if r["val_acc"] == best)
    return results[p]


def cp_returns_pair(results):
    best = max(r["val_acc"] for r in results.values())
    p = min(p for p, r in results.items() if r["val_acc"] == best)
    return p, best


def cp_lowest_val(results):
    worst = min(r["val_acc"] for r in results.values())
    return min(p for p, r in results.items() if r["val_acc"] == worst)


def cp_smallest_gap(results):
    return min(sorted(results), key=lambda p: abs(results[p]["train_acc"] - results[p]["val_acc"]))


def cp_train_plus_val(results):
    return max(sorted(results), key=lambda p: results[p]["train_acc"] + results[p]["val_acc"])


def cp_returns_index(results):
    keys = sorted(results)
    vals = np.array([results[p]["val_acc"] for p in keys])
    return int(np.argmax(vals))


def cp_rounded_key(results):
    best = max(r["val_acc"] for r in results.values())
    p = min(p for p, r in results.items() if r["val_acc"] == best)
    return float(f"{p:.2f}")


def cp_tolerance_tie(results):
    best = max(r["val_acc"] for r in results.values())
    return min(p for p, r in results.items() if r["val_acc"] >= best - 0.01)


def cp_mean_of_tied(results):
    best = max(r["val_acc"] for r in results.values())
    tied = [p for p, r in results.items() if r["val_acc"] == best]
    return float(np.mean(tied))


def cp_tie_by_test_acc(results):
    return max(sorted(results), key=lambda p: (results[p]["val_acc"], results[p]["test_acc"]))


def cp_writes_into_results(results):
    rows = []
    for p, r in results.items():
        r["p_drop"] = p                     # adds a key to the caller's inner dicts
        rows.append(r)
    rows.sort(key=lambda r: (-r["val_acc"], r["p_drop"]))
    return rows[0]["p_drop"]


def cp_string_key(results):
    best = max(r["val_acc"] for r in results.values())
    return str(min(p for p, r in results.items() if r["val_acc"] == best))


WRONG = {
    "lesson07": {
        "dropout_forward": [
            ("mask keeps each unit with probability p_drop (keep and drop probabilities swapped)",
             df_keep_with_p_drop),
            ("multiplies the kept units by 1 - p_drop instead of dividing", df_multiplies_by_keep_prob),
            ("original dropout in training: kept units not divided by 1 - p_drop", df_no_rescaling),
            ("divides the kept units by p_drop instead of 1 - p_drop (inf/nan for p_drop = 0)",
             df_divides_by_p_drop),
            ("one mask row of shape (H,) shared by every example of the batch", df_one_mask_for_batch),
            ("one draw per example (N, 1): drops or keeps all H units of an example together",
             df_drops_whole_examples),
            ("draws the mask from np.random.binomial (global state), ignores rng", df_global_numpy_random),
            ("draws the mask from a new default_rng(0): the same mask whatever rng", df_fresh_seeded_generator),
            ("evaluation returns X * (1 - p_drop) (weight-scaling rule) instead of X", df_eval_weight_scaled),
            ("ignores training: drops and rescales in evaluation mode too", df_ignores_training_flag),
            ("returns only Y, not (Y, keep)", df_returns_only_Y),
            ("returns (keep, Y): the tuple in the wrong order", df_returns_keep_first),
            ("multiplies and divides X in place (and returns X itself at evaluation)", df_in_place),
            ("returns the drop mask (1 = dropped) as keep; all zeros at evaluation", df_returns_drop_mask),
            ("drops exactly round(p_drop H) units in every row instead of independent draws",
             df_fixed_count_per_row),
            ("Y = np.zeros_like(X) filled in: for an integer X, Y is integer and the scaled values truncated",
             df_zeros_like_integer_input),
            ("evaluation keep has shape (H,) instead of the shape of X", df_eval_mask_one_row),
            ("mask rng.integers(0, 10) > 10 p_drop (strict): keep probability 0.1 too small when 10 p_drop "
             "is an integer, e.g. 0.9 for p_drop = 0 and 0.4 for p_drop = 0.5", df_integer_grid_strict),
        ],
        "dropout_backward": [
            ("gradient not masked: dY / (1 - p_drop) everywhere", db_mask_not_applied),
            ("forgets the 1 / (1 - p_drop) factor: dY * keep", db_not_rescaled),
            ("multiplies by 1 - p_drop instead of dividing", db_multiplies_by_keep_prob),
            ("draws a fresh mask (new default_rng) instead of using keep", db_fresh_mask),
            ("masks with 1 - keep: the gradient flows through the dropped units", db_uses_dropped_positions),
            ("divides by p_drop instead of 1 - p_drop (inf/nan for p_drop = 0)", db_divides_by_p_drop),
            ("multiplies and divides dY in place and returns it", db_in_place),
            ("zeroes dX[~keep]: assumes a boolean mask, TypeError for a float 0/1 mask", db_bool_mask_indexing),
            ("dX = np.zeros_like(keep): correct for a float mask, a boolean array for a boolean mask",
             db_zeros_like_mask),
            ("sums over the batch: returns shape (H,) like a bias gradient", db_sums_over_batch),
            ("divides by the batch size N as well", db_divides_by_batch_size),
            ("returns (dX, keep) instead of dX", db_returns_tuple),
            ("divides by (1 - p_drop) squared", db_squared_scale),
            ("returns the local derivative keep / (1 - p_drop), not multiplied by dY", db_local_derivative_only),
            ("for p_drop = 0 returns dY itself (not a new array)", db_alias_when_no_dropout),
            ("divides by sqrt(1 - p_drop) instead of 1 - p_drop", db_sqrt_scale),
        ],
        "test_time_logits": [
            ("scales W1 by p_drop_input and W2 by p_drop_hidden (drop probabilities, not keep)",
             tt_scales_by_p_drop),
            ("no weight scaling at all: the plain forward pass", tt_no_scaling),
            ("divides the weights by the keep probabilities (inverted-dropout habit)", tt_divides_by_keep_prob),
            ("factors swapped: W1 * (1 - p_drop_hidden), W2 * (1 - p_drop_input)", tt_factors_swapped),
            ("scales the biases b1 and b2 along with W1 and W2", tt_scales_biases),
            ("scales only W2 by 1 - p_drop_hidden: the input dropout is forgotten", tt_hidden_only),
            ("scales only W1 by 1 - p_drop_input: the hidden dropout is forgotten", tt_input_only),
            ("plain forward, then multiplies the logits (b2 included) by (1 - p_in)(1 - p_hid)",
             tt_scales_logits),
            ("scales the hidden activations relu(X W1 + b1) by 1 - p_drop_input: b1 scaled too",
             tt_scales_hidden_after_relu),
            ("scales params['W1'] and params['W2'] in place: the caller's weights change", tt_in_place),
            ("dropout left on at test time: random np.random masks, no scaling", tt_dropout_left_on),
            ("both factors (1 - p_in)(1 - p_hid) applied to W2, W1 unscaled", tt_compound_factor_on_W2),
            ("returns the softmax probabilities instead of the logits", tt_returns_probabilities),
            ("scales both X and W1 by 1 - p_drop_input: the input factor applied twice",
             tt_scales_X_and_W1),
            ("returns (hidden, logits) instead of the logits", tt_returns_hidden_too),
        ],
        "mc_predict": [
            ("averages the logits over the k passes, then one softmax", mc_averages_logits),
            ("softmax over the examples (axis 0) instead of the classes", mc_softmax_over_examples),
            ("one mask drawn once and reused by all k passes", mc_one_mask_all_passes),
            ("one mask row (1, H) per pass shared by every example", mc_one_mask_per_pass_for_batch),
            ("no dropout in the passes (evaluation mode): k identical softmaxes", mc_no_dropout),
            ("kept hidden units not divided by 1 - p_drop", mc_no_rescaling),
            ("kept hidden units multiplied by 1 - p_drop instead of divided", mc_multiplies_by_keep_prob),
            ("also applies inverted dropout to the inputs X", mc_drops_inputs_too),
            ("masks drawn from np.random.rand (global state), ignores rng", mc_global_numpy_random),
            ("masks drawn from a new default_rng(i) in pass i: the same result whatever rng",
             mc_seeded_generator_per_pass),
            ("runs k - 1 passes (range(1, k)) but divides by k: rows sum to (k - 1) / k", mc_one_pass_short),
            ("mask keeps each hidden unit with probability p_drop (keep and drop swapped)", mc_keep_with_p_drop),
            ("majority vote: fraction of passes whose argmax is each class", mc_majority_vote),
            ("unstable softmax exp(z) / sum exp(z): overflow, nan for large logits", mc_naive_softmax),
            ("returns the (k, N, C) stack of all passes instead of their mean", mc_returns_all_passes),
            ("divides params['W2'] by 1 - p_drop in place each pass: scale compounds, caller's W2 changed",
             mc_rescales_W2_in_place),
            ("drops (and rescales) X W1 before adding b1: the bias is not dropped with its unit",
             mc_mask_before_bias),
            ("np.squeeze of the result: shape (C,) instead of (1, C) when N = 1", mc_squeezed),
        ],
        "choose_p_drop": [
            ("selects on train_acc instead of val_acc", cp_by_train_acc),
            ("selects on test_acc instead of val_acc", cp_by_test_acc),
            ("on a tie returns the largest drop probability", cp_largest_on_tie),
            ("max(results, key=val_acc): on a tie the first key in dict order, not the smallest",
             cp_first_in_dict_order),
            ("returns the best validation accuracy instead of the key", cp_returns_accuracy),
            ("returns the inner dict of the best key instead of the key", cp_returns_inner_dict),
            ("returns (p_drop, val_acc) instead of p_drop", cp_returns_pair),
            ("selects the lowest validation accuracy (min instead of max)", cp_lowest_val),
            ("selects the smallest |train_acc - val_acc| gap", cp_smallest_gap),
            ("selects the highest train_acc + val_acc", cp_train_plus_val),
            ("returns the position of the best key in sorted order, not the key", cp_returns_index),
            ("rounds the key to 2 decimals: not the key itself for keys like 0.125 or 0.30000000000000004",
             cp_rounded_key),
            ("treats val accuracies within 0.01 of the best as ties, returns the smallest of those p",
             cp_tolerance_tie),
            ("on a tie returns the mean of the tied drop probabilities", cp_mean_of_tied),
            ("breaks val_acc ties by the higher test_acc instead of the smaller p", cp_tie_by_test_acc),
            ("adds a 'p_drop' key to the caller's inner dicts", cp_writes_into_results),
            ("returns str(p_drop) instead of the float key", cp_string_key),
        ],
    },
}

CORRECT = {
    "lesson07": {
        "dropout_forward": dropout_forward_ok,
        "dropout_backward": dropout_backward_ok,
        "test_time_logits": test_time_logits_ok,
        "mc_predict": mc_predict_ok,
        "choose_p_drop": choose_p_drop_ok,
    },
}
