"""Checks for lesson 04 (softmax, entropy and cross-entropy; MSE for regression).

Use in a notebook: ``from course.checks import lesson04 as check`` then ``check.softmax(softmax)``.

Conventions checked here (the lesson's): logits ``Z`` of shape (N, C) with one row per
example, integer labels ``y`` of shape (N,), losses averaged over the batch, natural
logarithms for losses (nats) and base-2 logarithms for :func:`entropy` (bits).

Each catalogue lists its mistakes in the order they are tried: a mistake whose wrong
output could coincide with another's on the failing test case comes first only when
its own test case fails earlier, so that every catalogued mistake is named as itself.
"""
from __future__ import annotations

import numpy as np

import nnlib as nn

from ._framework import Case, Exercise, Mistake

LESSON = "04-softmax-cross-entropy"


def _rows(Z):
    return np.arange(len(Z))


# The references are nnlib's own functions (one home for each formula); the checks call them on
# the cases' finite logits only.
def _stable_softmax(Z):
    return nn.softmax(np.asarray(Z, dtype=float), axis=1)


def _log_softmax(Z):
    return nn.log_softmax(np.asarray(Z, dtype=float), axis=1)


def _naive_softmax(Z):
    e = np.exp(np.asarray(Z, dtype=float))
    return e / e.sum(axis=1, keepdims=True)


_EXTREME = np.array([[0.0, 2000.0], [2000.0, 0.0], [-2000.0, 0.0]])
_EXTREME_LABEL = "rows two thousand apart: [0, 2000], [2000, 0], [-2000, 0]"


def _nonfinite_rows(got):
    """Indexes of the rows of ``got`` (N, C) that hold a nan or an inf."""
    got = np.asarray(got, dtype=float)
    return np.flatnonzero(~np.all(np.isfinite(got.reshape(len(got), -1)), axis=1)) if got.ndim else []


def _overflowed(got, expected, case):
    """The effect of exponentiating large logits (no shift, or a shift other than the row maximum):
    non-finite output on a case whose logits reach far above 709, where exp overflows."""
    Z = np.asarray(case.args[0], dtype=float)
    return np.all(np.isfinite(expected)) and not np.all(np.isfinite(np.asarray(got, dtype=float))) \
        and Z.max() > 709


def _underflowed_rows(got, expected, case):
    """The effect of one shift for the whole matrix: every row far below the global maximum
    underflows to 0 / 0 = nan, and the other rows stay right."""
    Z = np.asarray(case.args[0], dtype=float)
    bad = _nonfinite_rows(got)
    return len(bad) > 0 and bool(np.all(Z[bad].max(axis=1) < Z.max() - 700))


def _sums_to_one(got, axis):
    got = np.asarray(got, dtype=float)
    return got.ndim == 2 and bool(np.allclose(got.sum(axis=axis), 1.0, atol=1e-9))


# --- 4.1 one_hot(y, C) -------------------------------------------------------------------

def _one_hot(y, C):
    Y = np.zeros((len(y), C))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _columns_only(y, C):
    Y = np.zeros((len(y), C))
    Y[:, y] = 1.0
    return Y


def _one_hot_columns_loop(y, C):
    Y = np.zeros((C, len(y)))
    for i, label in enumerate(y):
        Y[label, i] = 1.0
    return Y


def _columns_loop(y, C):
    Y = np.zeros((len(y), C))
    for label in y:
        Y[:, label] = 1
    return Y


def _skips_last_example(y, C):
    Y = np.zeros((len(y), C))
    for n in range(len(y) - 1):
        Y[n, y[n]] = 1.0
    return Y


def _first_C_examples_only(y, C):
    return np.array([np.eye(C)[label] if n < C else np.zeros(C) for n, label in enumerate(y)])


def _one_hot_n_columns(y, C):
    Y = np.zeros((len(y), len(y)))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _rows_left_out(got, expected, case):
    """Some rows are all zeros where the one-hot has its 1, and every other row is right: the effect of
    a loop that does not run over all N examples."""
    got = np.asarray(got, dtype=float)
    if got.shape != expected.shape or got.ndim != 2:
        return False
    empty = ~np.any(got != 0, axis=1)
    return bool(np.any(empty) and np.array_equal(got[~empty], expected[~empty]))


def _wrong_column_count(got, expected, case):
    """One row per example with its 1 at the right column, but a number of columns other than C."""
    got = np.asarray(got, dtype=float)
    if got.ndim != 2 or got.shape[0] != expected.shape[0] or got.shape[1] == expected.shape[1]:
        return False
    width = max(got.shape[1], expected.shape[1])
    pad = lambda a: np.pad(a, ((0, 0), (0, width - a.shape[1])))  # noqa: E731
    return bool(np.array_equal(pad(got), pad(expected)))


def _one_hot_cases(rng):
    return [
        Case((np.array([0, 2, 1, 2, 0]), 3), label="5 labels, 3 classes"),
        Case((rng.integers(0, 4, 8), 6), label="8 labels, 6 classes, the last two unused"),
        Case((np.array([3]), 4), label="a single label"),
    ]


one_hot = Exercise(
    LESSON, "4.1", "one_hot", _one_hot, _one_hot_cases,
    mistakes=[
        Mistake("transposed", "a (C, N) matrix: one column per example instead of one row",
                "put examples in rows: Y has shape (N, C) and Y[i, y[i]] = 1",
                impl=lambda y, C: _one_hot(y, C).T, witnesses=(_one_hot_columns_loop,)),
        Mistake("labels_as_columns", "the labels used as column indexes for every row (Y[:, y] = 1)",
                "pair each row with its own label: Y[np.arange(N), y] = 1",
                impl=_columns_only, witnesses=(_columns_loop,)),
        Mistake("one_based", "labels treated as 1..C (column y - 1)",
                "labels run from 0 to C - 1, so class y goes in column y",
                impl=lambda y, C: _one_hot(np.asarray(y) - 1, C),
                witnesses=(lambda y, C: np.eye(C)[np.asarray(y) - 1],)),
        Mistake("wrong_class_count", "a number of columns other than the C you are given (taken from the "
                "labels, y.max() + 1, or from the number of examples, len(y))",
                "give Y exactly C columns, the C you are given: a batch need not contain every class, and "
                "the number of examples N has nothing to do with the number of classes",
                impl=lambda y, C: _one_hot(y, int(np.max(y)) + 1), detect=_wrong_column_count,
                witnesses=(lambda y, C: np.eye(int(np.max(y)) + 1)[y], _one_hot_n_columns)),
        Mistake("examples_left_out", "some examples left out: their rows are all zeros (a loop that does not "
                "run over all N examples, e.g. range(N - 1) or range(C))",
                "set a 1 in every one of the N rows: loop over range(len(y)), or index all rows at once",
                impl=_skips_last_example, detect=_rows_left_out, witnesses=(_first_C_examples_only,)),
    ])


# --- 4.2 softmax(Z) ----------------------------------------------------------------------

def _softmax_in_place(Z):
    Z -= Z.max(axis=1, keepdims=True)
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_wrong_axis(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_global_max(Z):
    e = np.exp(Z - Z.max())
    return e / e.sum(axis=1, keepdims=True)


def _softmax_whole_matrix(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum()


def _softmax_whole_matrix_global_shift(Z):
    e = np.exp(Z - np.max(Z))
    return e / np.sum(e)


def _softmax_mean_shift(Z):
    e = np.exp(Z - Z.mean(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_first_logit_shift(Z):
    e = np.exp(Z - Z[:, :1])
    return e / e.sum(axis=1, keepdims=True)


def _softmax_loop_no_shift(Z):
    out = np.empty_like(np.asarray(Z, dtype=float))
    for n, row in enumerate(Z):
        e = [np.exp(z) for z in row]
        out[n] = np.array(e) / sum(e)
    return out


def _softmax_columns_loop(Z):
    Z = np.asarray(Z, dtype=float)
    out = np.empty_like(Z)
    for c in range(Z.shape[1]):
        e = np.exp(Z[:, c] - Z[:, c].max())
        out[:, c] = e / e.sum()
    return out


def _softmax_in_place_exp(Z):
    Z -= np.max(Z, axis=1, keepdims=True)
    np.exp(Z, out=Z)
    return Z / Z.sum(axis=1, keepdims=True)


def _softmax_no_keepdims(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


def _softmax_no_keepdims_max(Z):
    e = np.exp(Z - Z.max(axis=1))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_global_max_loop(Z):
    m = np.max(Z)
    return np.array([np.exp(row - m) / np.exp(row - m).sum() for row in Z])


def _softmax_column_max_loop(Z):
    Z = np.asarray(Z, dtype=float)
    shifted = np.empty_like(Z)
    for c in range(Z.shape[1]):
        shifted[:, c] = Z[:, c] - Z[:, c].max()
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_column_mean_shift(Z):
    e = np.exp(Z - np.mean(Z, axis=0))
    return e / np.sum(e, axis=1, keepdims=True)


def _softmax_capped_exponent(Z):
    e = np.exp(np.clip(Z, None, 709.0))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_clipped_logits(Z):
    e = np.exp(np.minimum(Z, 700.0))
    return e / e.sum(axis=1, keepdims=True)


def _per_column_shift(got, expected, case):
    """Rows sum to 1, but log(got) - log(expected) is a row constant plus one offset per column, the same
    in every row: the exponents were shifted by a different amount in each column."""
    got = np.asarray(got, dtype=float)
    if got.shape != expected.shape or got.ndim != 2 or not _sums_to_one(got, 1) \
            or not (np.all(got > 0) and np.all(expected > 0)):
        return False
    D = np.log(got) - np.log(expected)
    D = D - D.mean(axis=1, keepdims=True)
    return bool(np.allclose(D, D[0], rtol=0, atol=1e-7) and np.max(np.abs(D[0])) > 1e-6)


def _wrong_only_where_exp_overflows(got, expected, case):
    """Finite output that is wrong only in rows whose logits exceed 709, where exp overflows (a cap on
    the exponent gives 0s once the sum overflows, or equal entries), and right in every other row."""
    Z = np.asarray(case.args[0], dtype=float)
    got = np.asarray(got, dtype=float)
    if got.shape != expected.shape or got.ndim != 2 or not np.all(np.isfinite(got)):
        return False
    bad = ~np.all(np.isclose(got, expected, rtol=1e-6, atol=1e-9), axis=1)
    return bool(np.any(bad) and np.all(Z[bad].max(axis=1) > 709))


def _softmax_cases(rng):
    return [
        Case((rng.standard_normal((4, 3)),), label="4 examples, 3 classes"),
        Case((3 * rng.standard_normal((2, 5)),), label="2 examples, 5 classes"),
        Case((1000 + rng.standard_normal((3, 4)),), label="logits around 1000"),
        Case((np.array([[1000.0, 1001.0, 999.0], [-5.0, 0.0, 2.0]]),),
             label="one row around 1000, one around 0"),
        Case((_EXTREME.copy(),), label=_EXTREME_LABEL),
    ]


softmax = Exercise(
    LESSON, "4.2", "softmax", _stable_softmax, _softmax_cases,
    mistakes=[
        Mistake("shifted_in_place", "Z shifted in place (Z -= ...), which changes the caller's logits",
                "compute a new array: shifted = Z - Z.max(axis=1, keepdims=True)",
                impl=_softmax_in_place, mutation=True, witnesses=(_softmax_in_place_exp,)),
        Mistake("wrong_axis", "softmax over the wrong axis (each column sums to 1, not each row)",
                "each row is one example: use axis=1 (with keepdims=True) for the max and the sum",
                impl=_softmax_wrong_axis, witnesses=(_softmax_columns_loop,),
                detect=lambda got, exp, case: _sums_to_one(got, 0) and not _sums_to_one(got, 1)),
        Mistake("column_shift", "the exponents shifted by a statistic of each column (e.g. Z.max(axis=0)) "
                "instead of each row's maximum: a different shift in each column changes the ratios "
                "within a row",
                "the shift must be one constant per row: subtract each row's maximum, "
                "Z.max(axis=1, keepdims=True)",
                impl=_softmax_column_max_loop, detect=_per_column_shift,
                witnesses=(_softmax_column_mean_shift, lambda Z: _naive_softmax(Z - Z[0]))),
        Mistake("whole_matrix", "normalised by the sum over the whole matrix (all entries sum to 1, not "
                "each row)",
                "divide each row by its own sum: e.sum(axis=1, keepdims=True)",
                impl=_softmax_whole_matrix, witnesses=(_softmax_whole_matrix_global_shift,),
                detect=lambda got, exp, case: np.isclose(np.sum(np.asarray(got, dtype=float)), 1.0)
                and not _sums_to_one(got, 1)),
        Mistake("no_keepdims", "a row statistic (max or sum) of shape (N,) combined with Z of shape (N, C): "
                "without keepdims=True it lines up with the columns, not the rows",
                "keep the reduced axis: Z.max(axis=1, keepdims=True) and e.sum(axis=1, keepdims=True) "
                "have shape (N, 1)",
                impl=_softmax_no_keepdims, witnesses=(_softmax_no_keepdims_max,)),
        Mistake("log_probabilities", "log-probabilities returned (the log-softmax) instead of the "
                "probabilities: the entries are <= 0 and their exponentials sum to 1",
                "return the probabilities themselves: e = np.exp(Z - m) divided by its row sum",
                impl=_log_softmax,
                witnesses=(lambda Z: (Z - Z.max(axis=1, keepdims=True))
                           - np.log(np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)),)),
        Mistake("global_max", "one shift for the whole matrix (its overall maximum) instead of each row's: "
                "a row far below it underflows to 0 / 0",
                "subtract each row's own maximum: Z.max(axis=1, keepdims=True)",
                impl=_softmax_global_max, witnesses=(_softmax_global_max_loop,), detect=_underflowed_rows),
        Mistake("no_max_subtraction", "the exponents were not all kept <= 0 (no shift, a shift by the "
                "mean or by one logit, or a cap on the exponent, instead of the row maximum): exp of a "
                "large logit overflows to inf, and inf / inf is nan (a capped exponent gives 0s or equal "
                "entries instead)",
                "subtract each row's maximum first: exp(Z - Z.max(axis=1, keepdims=True)); "
                "the result is the same, and every exponent is <= 0",
                impl=_naive_softmax,
                detect=lambda got, exp, case: _overflowed(got, exp, case)
                or _wrong_only_where_exp_overflows(got, exp, case),
                witnesses=(_softmax_loop_no_shift, _softmax_mean_shift, _softmax_first_logit_shift,
                           _softmax_capped_exponent, _softmax_clipped_logits)),
    ])


# --- 4.3 cross_entropy_loss(Z, y) ----------------------------------------------------------

def _cross_entropy_loss(Z, y):
    logp = _log_softmax(Z)
    return float(-logp[_rows(Z), y].mean())


_CONFIDENTLY_WRONG = "a confidently wrong example: the true class has probability e^-800"


def _non_finite_when_confidently_wrong(got, expected, case):
    """log(0) shows up as inf, or as nan when 0 * log(0) is formed (one-hot times log P)."""
    return case.label == _CONFIDENTLY_WRONG and not np.all(np.isfinite(np.asarray(got, dtype=float)))


def _capped_when_confidently_wrong(got, expected, case):
    """An epsilon in the log turns a loss of about 400 into a few tens at most."""
    got = np.asarray(got, dtype=float)
    return (case.label == _CONFIDENTLY_WRONG and bool(np.all(np.isfinite(got)))
            and 1.0 < float(got) < 0.8 * expected)


def _ce_cases(rng):
    return [
        Case((rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])), label="5 examples, 3 classes"),
        Case((2 * rng.standard_normal((3, 4)), np.array([3, 0, 1])), label="3 examples, 4 classes"),
        Case((1000 + rng.standard_normal((4, 3)), np.array([1, 0, 2, 2])), label="logits around 1000"),
        Case((np.array([[1000.0, 1001.0, 999.0], [-5.0, 0.0, 2.0]]), np.array([1, 2])), label=_FAR_APART),
        Case((np.array([[0.0, 800.0, 0.0], [1.0, 2.0, 3.0]]), np.array([0, 2])),
             label=_CONFIDENTLY_WRONG),
        Case((_EXTREME.copy(), np.array([1, 1, 0])), label=_EXTREME_LABEL),
    ]


def _mean_log_probs(P, y):
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(P[np.arange(len(y)), y])))


def _ce_loop_sum(Z, y):
    logp = _log_softmax(Z)
    return float(-sum(logp[n, label] for n, label in enumerate(y)))


def _ce_lse_no_shift(Z, y):
    Z = np.asarray(Z, dtype=float)
    lse = np.log(np.exp(Z).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


def _ce_mean_shift(Z, y):
    """log-sum-exp shifted by the row mean instead of the row maximum."""
    Z = np.asarray(Z, dtype=float)
    m = Z.mean(axis=1)
    lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


def _ce_one_hot_times_log(Z, y):
    P = _stable_softmax(Z)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.mean(np.sum(_one_hot(y, P.shape[1]) * np.log(P), axis=1)))


def _ce_global_max_softmax(Z, y):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max())
    return _mean_log_probs(e / e.sum(axis=1, keepdims=True), y)


def _ce_global_max_lse(Z, y):
    Z = np.asarray(Z, dtype=float)
    m = Z.max()
    with np.errstate(divide="ignore"):
        lse = m + np.log(np.exp(Z - m).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(y)), y]))


_FAR_APART = "one row around 1000, one around 0"


def _ce_max_dropped_loop(Z, y):
    total = 0.0
    for z, label in zip(np.asarray(Z, dtype=float), y):
        total += np.log(np.sum(np.exp(z - z.max()))) - z[label]
    return float(total / len(y))


def _ce_max_subtracted_twice(Z, y):
    Z = np.asarray(Z, dtype=float)
    m = Z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return float(-np.mean((Z - m - lse)[np.arange(len(y)), y]))


def _off_by_mean_row_max(got, expected, case):
    """The loss differs from the right one by plus or minus the mean of the row maxima: the shift m of
    log-sum-exp was left out of log p, or taken out twice."""
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False
    shift = float(np.mean(np.max(np.asarray(case.args[0], dtype=float), axis=1)))
    return bool(np.isfinite(got) and abs(shift) > 1e-3
                and np.isclose(abs(got - expected), abs(shift), rtol=1e-6, atol=1e-9))


def _global_shift_underflow(got, expected, case):
    """Non-finite on the case whose rows lie 1000 apart (the case before, all rows near 1000, passed):
    the effect of one shift for the whole matrix, under which the low row underflows to 0."""
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False
    return case.label == _FAR_APART and not np.isfinite(got)


def _one_column(got, expected, case):
    """The loss equals minus the mean log-probability of one fixed class over all the rows."""
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False
    Z, y = case.args
    columns = -_log_softmax(Z).mean(axis=0)
    # with a single example (or one label throughout) the true class's column is the right answer
    return bool(np.isfinite(got) and not np.isclose(got, expected, rtol=1e-6)
                and np.isclose(columns, got, rtol=1e-6).any())


def _ratio_is(value):
    """The learner's loss is ``value`` times the right one on the failing case (both finite, nonzero)."""
    def detect(got, expected, case):
        try:
            got = float(got)
        except (TypeError, ValueError):
            return False
        return bool(np.isfinite(got) and expected != 0 and np.isclose(got / expected, value, rtol=1e-6))
    return detect


cross_entropy_loss = Exercise(
    LESSON, "4.3", "cross_entropy_loss", _cross_entropy_loss, _ce_cases, rtol=1e-6, atol=1e-9,
    mistakes=[
        Mistake("sum_not_mean", "the losses summed over the batch instead of averaged",
                "divide by the number of examples N (use .mean()), so the loss does not grow with the batch",
                impl=lambda Z, y: _cross_entropy_loss(Z, y) * len(Z), witnesses=(_ce_loop_sum,)),
        Mistake("wrong_sign", "the wrong sign: log-probabilities are <= 0, so the loss is minus their mean",
                "return -mean(log p[n, y[n]]); a loss is >= 0 and 0 only for a perfect prediction",
                impl=lambda Z, y: -_cross_entropy_loss(Z, y),
                witnesses=(lambda Z, y: float(np.mean(_log_softmax(Z)[np.arange(len(y)), y])),)),
        Mistake("log_base", "a base-2 or base-10 logarithm: losses use the natural log (nats)",
                "use np.log (the natural logarithm), as nn.SoftmaxCrossEntropy and PyTorch do",
                impl=lambda Z, y: _cross_entropy_loss(Z, y) / np.log(2),
                witnesses=(lambda Z, y: _cross_entropy_loss(Z, y) / np.log(10),),
                detect=lambda got, exp, case: _ratio_is(1 / np.log(2))(got, exp, case)
                or _ratio_is(1 / np.log(10))(got, exp, case)),
        Mistake("mean_over_classes", "averaged over all N * C entries of Y * log P (divides by C too)",
                "sum over the classes (only the true class's term is nonzero), then average over the N "
                "examples",
                impl=lambda Z, y: _cross_entropy_loss(Z, y) / np.shape(Z)[1],
                witnesses=(lambda Z, y: float(-np.mean(_one_hot(y, np.shape(Z)[1]) * _log_softmax(Z))),)),
        Mistake("labels_as_columns", "the labels used as column indexes for every row (logp[:, y])",
                "pick one entry per row: logp[np.arange(N), y]",
                impl=lambda Z, y: float(-np.mean(_log_softmax(Z)[:, y])),
                witnesses=(lambda Z, y: float(-_log_softmax(Z)[:, y].sum() / len(y) ** 2),)),
        Mistake("predicted_class", "the probability of the predicted class (the largest) used instead of the "
                "true class's",
                "use the label: -log p[n, y[n]]; the largest probability is the prediction, not the truth",
                impl=lambda Z, y: _cross_entropy_loss(Z, np.argmax(Z, axis=1)),
                witnesses=(lambda Z, y: float(-np.mean(_log_softmax(Z).max(axis=1))),)),
        Mistake("one_column", "one class's column used for every example, as if all the labels were the "
                "same (the slip of situation B in lesson 04), instead of each row's own label",
                "pick one entry per row, each with its own label: logp[np.arange(N), y]",
                impl=lambda Z, y: float(-np.mean(_log_softmax(Z)[:, y[0]])), detect=_one_column,
                witnesses=(lambda Z, y: float(-np.mean(_log_softmax(Z)[:, -1])),)),
        Mistake("no_log_sum_exp", "only -z[n, y[n]] kept: the log-sum-exp term, the log of each row's sum "
                "of exponentials, is missing from log p",
                "log p[n, k] = z[n, k] - log(sum_j exp(z[n, j])); compute that term with the row maximum "
                "subtracted (log-sum-exp)",
                impl=lambda Z, y: float(-np.mean(np.asarray(Z, dtype=float)[np.arange(len(y)), y])),
                witnesses=(lambda Z, y: float(-np.sum(np.asarray(Z, dtype=float)[np.arange(len(y)), y])
                                              / len(y)),)),
        Mistake("max_dropped", "the row maximum m left out of log p (or subtracted twice): the loss is off "
                "by the mean of the row maxima",
                "subtract m from Z exactly once: log p = (Z - m) - log(sum(exp(Z - m))), or add m back to "
                "log(sum(exp(Z - m))) to get the log-sum-exp of Z",
                impl=_ce_max_dropped_loop, detect=_off_by_mean_row_max,
                witnesses=(_ce_max_subtracted_twice,)),
        Mistake("global_max", "one shift for the whole matrix (its overall maximum) instead of each row's: "
                "the exponentials of a row far below it underflow to 0",
                "subtract each row's own maximum: Z.max(axis=1, keepdims=True)",
                impl=_ce_global_max_softmax, witnesses=(_ce_global_max_lse,), detect=_global_shift_underflow),
        Mistake("log_of_zero", "log of a probability that underflowed to 0: log(0) = -inf, so the loss is "
                "inf "
                "(or nan, where a 0 of the one-hot multiplies it)",
                "compute log p without forming p: log p = Z - m - log(sum(exp(Z - m))) with m the row "
                "maximum",
                impl=lambda Z, y: _mean_log_probs(_stable_softmax(Z), y), witnesses=(_ce_one_hot_times_log,),
                detect=_non_finite_when_confidently_wrong),
        Mistake("clipped_log", "an epsilon added inside the log (log(p + eps) or clipping): it caps the loss "
                "of a confidently wrong example",
                "use log-sum-exp: log p = Z - m - log(sum(exp(Z - m))) is exact, so no epsilon is needed",
                detect=_capped_when_confidently_wrong,
                impl=lambda Z, y: float(-np.mean(np.log(np.clip(_stable_softmax(Z)[np.arange(len(y)), y],
                                                               1e-12, 1.0)))),
                witnesses=(lambda Z, y: float(-np.mean(np.log(_stable_softmax(Z)[np.arange(len(y)), y]
                                                              + 1e-9))),)),
        Mistake("no_max_subtraction", "the exponents were not kept <= 0 (no shift by the row maximum, in "
                "the softmax or in log-sum-exp): exp of a large logit overflows to inf",
                "subtract each row's maximum m before exp, or compute log p directly as "
                "Z - m - log(sum(exp(Z - m))) (log-sum-exp)",
                impl=lambda Z, y: _mean_log_probs(_naive_softmax(Z), y), detect=_overflowed,
                witnesses=(_ce_lse_no_shift, _ce_mean_shift)),
    ])


# --- 4.4 cross_entropy_grad(Z, y) --------------------------------------------------------

def _cross_entropy_grad(Z, y):
    N, C = np.shape(Z)
    return (_stable_softmax(Z) - _one_hot(y, C)) / N


def _grad_columns(Z, y):
    P = _stable_softmax(Z)
    P[:, y] -= 1
    return P / len(Z)


def _grad_columns_loop(Z, y):
    P = _stable_softmax(Z)
    for label in y:
        P[:, label] -= 1.0
    return P / len(Z)


def _grad_loop_no_mean(Z, y):
    G = _stable_softmax(Z)
    for n, label in enumerate(y):
        G[n, label] -= 1
    return G


def _ratio_to_reference(got, expected, value):
    got = np.asarray(got, dtype=float)
    return got.shape == expected.shape and np.all(np.isfinite(got)) and np.allclose(got, value * expected,
                                                                                    rtol=1e-6, atol=1e-12)


def _grad_in_place(Z, y):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    Z[np.arange(len(y)), y] -= 1
    Z /= len(y)
    return Z


def _grad_in_place_loop(Z, y):
    for n, row in enumerate(Z):
        row -= row.max()
        row[:] = np.exp(row) / np.exp(row).sum()
        row[y[n]] -= 1
    return Z / len(y)


def _whole_columns_subtracted(got, expected, case):
    """1 taken from whole columns: got * N - P is the same row repeated, and not the one-hot rows."""
    Z, y = case.args
    got = np.asarray(got, dtype=float)
    if got.shape != np.shape(Z) or len(got) < 2:
        return False
    D = got * len(got) - _stable_softmax(Z)
    return bool(np.allclose(D, D[0]) and np.any(np.abs(D) > 0.5)
                and not np.allclose(D, -_one_hot(y, np.shape(Z)[1])))


def _grad_only_labels_divided_loop(Z, y):
    G = _stable_softmax(Z)
    for n, label in enumerate(y):
        G[n, label] -= 1.0 / len(y)
    return G


def _one_term_divided_by_N(got, expected, case):
    """The result is P - Y / N or P / N - Y: the 1/N reached only one of the two terms."""
    Z, y = case.args
    got = np.asarray(got, dtype=float)
    if got.shape != np.shape(Z) or len(got) < 2:
        return False
    P, Y, N = _stable_softmax(Z), _one_hot(y, np.shape(Z)[1]), len(Z)
    return bool(np.allclose(got, P - Y / N, rtol=1e-6, atol=1e-12)
                or np.allclose(got, P / N - Y, rtol=1e-6, atol=1e-12))


def _grad_cases(rng):
    return [
        Case((rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])), label="5 examples, 3 classes"),
        Case((2 * rng.standard_normal((2, 4)), np.array([3, 3])), label="2 examples, 4 classes"),
        Case((1000 + rng.standard_normal((3, 4)), np.array([1, 0, 2])), label="logits around 1000"),
        Case((_EXTREME.copy(), np.array([1, 1, 0])), label=_EXTREME_LABEL),
    ]


cross_entropy_grad = Exercise(
    LESSON, "4.4", "cross_entropy_grad", _cross_entropy_grad, _grad_cases,
    mistakes=[
        Mistake("no_one_over_N", "the gradient of the summed loss: the 1/N of the mean is missing",
                "the loss is a mean over the N examples, so divide (P - Y) by N",
                impl=lambda Z, y: _cross_entropy_grad(Z, y) * len(Z), witnesses=(_grad_loop_no_mean,)),
        Mistake("logits_changed_in_place", "Z overwritten in place (Z -= ..., np.exp(Z, out=Z)), which "
                "changes the caller's logits",
                "compute new arrays (P = softmax of Z, then P - Y); never assign into Z",
                impl=_grad_in_place, mutation=True, witnesses=(_grad_in_place_loop,)),
        Mistake("divided_by_NC", "divided by N * C (the size of Z) instead of by the number of examples N",
                "the loss averages over the N examples only: divide (P - Y) by N = len(Z)",
                impl=lambda Z, y: _cross_entropy_grad(Z, y) / np.shape(Z)[1],
                witnesses=(lambda Z, y: (_stable_softmax(Z) - _one_hot(y, np.shape(Z)[1])) / np.size(Z),),
                detect=lambda got, exp, case: _ratio_to_reference(got, exp, 1 / np.shape(case.args[0])[1])),
        Mistake("one_term_divided", "the 1/N applied to only one of the two terms (P - Y / N, a precedence "
                "slip, or P / N - Y)",
                "divide the whole difference by N: put P - Y in parentheses before dividing",
                impl=lambda Z, y: _stable_softmax(Z) - _one_hot(y, np.shape(Z)[1]) / len(Z),
                detect=_one_term_divided_by_N,
                witnesses=(_grad_only_labels_divided_loop,
                           lambda Z, y: _stable_softmax(Z) / len(y) - np.eye(np.shape(Z)[1])[y])),
        Mistake("no_one_hot", "the one-hot labels were not subtracted (softmax / N alone)",
                "dL/dZ = (P - Y) / N: subtract 1 at each example's true class",
                impl=lambda Z, y: _stable_softmax(Z) / len(Z),
                witnesses=(lambda Z, y: np.array([np.exp(r - r.max()) / np.exp(r - r.max()).sum()
                                                  for r in np.asarray(Z, dtype=float)]) / len(y),)),
        Mistake("wrong_sign", "the wrong sign: (Y - P) / N points uphill",
                "dL/dZ = (P - Y) / N: raising the true class's logit must lower the loss, so its entry is "
                "negative",
                impl=lambda Z, y: -_cross_entropy_grad(Z, y),
                witnesses=(lambda Z, y: (_one_hot(y, np.shape(Z)[1]) - _stable_softmax(Z)) / len(y),)),
        Mistake("labels_as_columns", "1 subtracted from whole columns (P[:, y] -= 1) instead of one entry "
                "per row",
                "subtract at one entry per row: P[np.arange(N), y] -= 1 (or P - one_hot(y, C))",
                impl=_grad_columns, detect=_whole_columns_subtracted, witnesses=(_grad_columns_loop,)),
        Mistake("wrong_axis", "softmax over the wrong axis (each column sums to 1, not each row)",
                "each row is one example: the max and the sum of the softmax go along axis=1",
                impl=lambda Z, y: (_softmax_wrong_axis(np.asarray(Z, dtype=float))
                                   - _one_hot(y, np.shape(Z)[1])) / len(Z),
                witnesses=(lambda Z, y: (_softmax_columns_loop(Z) - np.eye(np.shape(Z)[1])[y]) / len(y),)),
        Mistake("no_max_subtraction", "the exponents were not kept <= 0 (no shift by the row maximum): "
                "exp of a large logit overflows, and inf / inf is nan",
                "subtract each row's maximum before exp: exp(Z - Z.max(axis=1, keepdims=True))",
                impl=lambda Z, y: (_naive_softmax(Z) - _one_hot(y, np.shape(Z)[1])) / len(Z),
                detect=_overflowed,
                witnesses=(lambda Z, y: (_softmax_mean_shift(np.asarray(Z, dtype=float))
                                         - _one_hot(y, np.shape(Z)[1])) / len(y),)),
    ])


# --- 4.5 entropy(P) in bits -----------------------------------------------------------------

def _entropy_bits(P):
    P = np.asarray(P, dtype=float)
    safe = np.where(P > 0, P, 1.0)
    return -(P * np.log2(safe)).sum(axis=1)


def _naive_entropy_bits(P):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(P * np.log2(P)).sum(axis=1)


def _entropy_zeros_replaced_in_place(P):
    P[P == 0] = 1.0          # right values (1 log 1 = 0), but the caller's P is changed
    return -(P * np.log2(P)).sum(axis=1)


def _entropy_clip_in_place(P):
    np.clip(P, 1e-300, 1.0, out=P)
    return -(P * np.log2(P)).sum(axis=1)


def _entropy_cases(rng):
    P = rng.dirichlet(np.ones(4), size=3)
    return [
        Case((P,), label="3 distributions over 4 outcomes"),
        Case((np.array([[0.5, 0.5], [0.9, 0.1], [0.25, 0.75], [0.99, 0.01], [0.6, 0.4]]),),
             label="5 coins"),
        Case((np.array([[0.25, 0.25, 0.25, 0.25], [1.0, 0.0, 0.0, 0.0], [0.5, 0.5, 0.0, 0.0]]),),
             label="rows with zero probabilities (0 log 0 counts as 0)"),
    ]


entropy = Exercise(
    LESSON, "4.5", "entropy", _entropy_bits, _entropy_cases,
    mistakes=[
        Mistake("wrong_axis", "summed over the wrong axis (one value per outcome instead of per row)",
                "each row is one distribution: sum over axis=1 to get shape (N,)",
                impl=lambda P: _entropy_bits(np.asarray(P).T),
                witnesses=(lambda P: -np.sum(P * np.log2(np.where(P > 0, P, 1)), axis=0),)),
        Mistake("whole_matrix", "summed over the whole matrix (one number for all rows)",
                "return one entropy per row: .sum(axis=1)",
                impl=lambda P: float(_entropy_bits(P).sum()),
                witnesses=(lambda P: float(-np.sum(P[P > 0] * np.log2(P[P > 0]))),)),
        Mistake("probabilities_changed_in_place", "P changed in place (e.g. P[P == 0] = 1), which changes "
                "the caller's distributions",
                "leave P alone: pick the safe values into a new array, e.g. np.where(P > 0, P, 1)",
                impl=_entropy_zeros_replaced_in_place, mutation=True, witnesses=(_entropy_clip_in_place,)),
        Mistake("nats_not_bits", "a logarithm other than base 2 (np.log gives nats, np.log10 decimal "
                "digits): entropy here is in bits",
                "use np.log2 (or divide the natural log by np.log(2)): a fair coin has 1 bit",
                impl=lambda P: _entropy_bits(P) * np.log(2),
                witnesses=(lambda P: -np.sum(P * np.log(np.where(P > 0, P, 1)), axis=1),
                           lambda P: -np.sum(P * np.log10(np.where(P > 0, P, 1)), axis=1)),
                detect=lambda got, exp, case: _ratio_to_reference(got, exp, np.log(2))
                or _ratio_to_reference(got, exp, np.log10(2))),
        Mistake("wrong_sign", "the minus sign is missing (log p <= 0, so the sum of p log p is <= 0)",
                "H = -sum_k p_k log2 p_k is >= 0",
                impl=lambda P: -_entropy_bits(P),
                witnesses=(lambda P: np.array([sum(p * np.log2(p) for p in row if p > 0) for row in P]),)),
        Mistake("not_weighted", "the surprisals -log2 p_k added without weighting them by p_k",
                "entropy is the *expected* surprisal: weight each -log2 p_k by its probability p_k",
                impl=lambda P: -np.log2(np.asarray(P, dtype=float)).sum(axis=1),
                witnesses=(lambda P: np.array([-sum(np.log2(p) for p in row) for row in P]),)),
        Mistake("mean_over_outcomes", "averaged over the outcomes (divided by C) instead of summed",
                "the weights p_k already average: sum p_k * (-log2 p_k) over k, do not divide by C",
                impl=lambda P: _entropy_bits(P) / np.shape(P)[1],
                witnesses=(lambda P: np.mean(-P * np.log2(np.where(P > 0, P, 1)), axis=1),)),
        Mistake("log_of_zero", "log2(0) = -inf, and 0 * -inf is nan",
                "outcomes with p_k = 0 contribute 0: compute the log only where p > 0, e.g. "
                "np.log2(np.where(P > 0, P, 1))",
                impl=_naive_entropy_bits,
                witnesses=(lambda P: np.array([-sum(p * np.log2(p) for p in row) for row in P]),)),
    ])


# --- 4.6 mse_loss(y_hat, y) ----------------------------------------------------------------

def _mse(y_hat, y):
    d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float(np.mean(d * d))


def _mse_cases(rng):
    return [
        Case((rng.standard_normal((6, 1)), rng.standard_normal((6, 1))), label="6 examples, 1 output"),
        Case((rng.standard_normal((4, 3)), rng.standard_normal((4, 3))), label="4 examples, 3 outputs"),
        Case((np.array([[1.0, 2.0]]), np.array([[3.0, -2.0]])), label="1 example, 2 outputs"),
    ]


def _mse_per_column_loop(y_hat, y):
    y_hat, y = np.atleast_2d(y_hat), np.atleast_2d(y)
    return np.array([np.mean((y_hat[:, k] - y[:, k]) ** 2) for k in range(y.shape[1])])


def _array_of_means(got, expected, case):
    """An array (not one number) whose entries average to the right loss: means along one axis only."""
    return bool(np.ndim(got) >= 1 and np.size(got) >= 1
                and np.isclose(np.mean(np.asarray(got, dtype=float)), expected, rtol=1e-6, atol=1e-9))


mse_loss = Exercise(
    LESSON, "4.6", "mse_loss", _mse, _mse_cases,
    mistakes=[
        Mistake("half", "a factor 1/2 in front (the convention of some textbooks)",
                "this course (like nn.MSELoss and PyTorch) uses the plain mean of the squared errors",
                impl=lambda y_hat, y: _mse(y_hat, y) / 2,
                witnesses=(lambda y_hat, y: float(np.sum((y_hat - y) ** 2) / (2 * np.size(y))),)),
        Mistake("square_of_mean", "the mean error squared, (mean of y_hat - y)^2, instead of the mean of the "
                "squared errors",
                "square each difference first, then average: np.mean((y_hat - y) ** 2)",
                impl=lambda y_hat, y: float(np.mean(np.asarray(y_hat) - np.asarray(y)) ** 2),
                witnesses=(lambda y_hat, y: float((np.sum(y_hat - y) / np.size(y)) ** 2),)),
        Mistake("root", "the root of the mean squared error (RMSE)",
                "return the mean of the squared errors itself, without a square root",
                impl=lambda y_hat, y: float(np.sqrt(_mse(y_hat, y))),
                witnesses=(lambda y_hat, y: float(np.linalg.norm(y_hat - y) / np.sqrt(np.size(y))),)),
        Mistake("sum_not_mean", "the squared errors summed instead of averaged",
                "divide by the number of entries: np.mean((y_hat - y) ** 2)",
                impl=lambda y_hat, y: _mse(y_hat, y) * np.size(y),
                witnesses=(lambda y_hat, y: float(sum(d * d for d in np.ravel(y_hat - y))),)),
        Mistake("mean_over_examples_only", "summed over the outputs and averaged over the examples only",
                "average over all N * K entries (np.mean of the whole array), as nn.MSELoss does",
                impl=lambda y_hat, y: _mse(y_hat, y) * np.shape(y)[1],
                witnesses=(lambda y_hat, y: float(np.mean(np.sum((y_hat - y) ** 2, axis=1))),)),
        Mistake("not_squared", "the errors were not squared (positive and negative errors cancel)",
                "square each difference before averaging: (y_hat - y) ** 2",
                impl=lambda y_hat, y: float(np.mean(np.asarray(y_hat) - np.asarray(y))),
                witnesses=(lambda y_hat, y: float(np.sum(y_hat - y) / np.size(y)),)),
        Mistake("absolute", "the mean absolute error instead of the mean squared error",
                "square the differences: np.mean((y_hat - y) ** 2)",
                impl=lambda y_hat, y: float(np.mean(np.abs(np.asarray(y_hat) - np.asarray(y)))),
                witnesses=(lambda y_hat, y: float(np.mean(np.sqrt((y_hat - y) ** 2))),)),
        Mistake("not_one_number", "an array of means instead of one number (the mean taken along one axis "
                "only, e.g. one per output column)",
                "average over every entry, all N examples and all outputs at once (np.mean without an axis), "
                "and return that single float",
                impl=lambda y_hat, y: np.mean((y_hat - y) ** 2, axis=1), detect=_array_of_means,
                witnesses=(_mse_per_column_loop,
                           lambda y_hat, y: np.mean(np.square(y_hat - y), keepdims=True))),
    ])


EXERCISES = [one_hot, softmax, cross_entropy_loss, cross_entropy_grad, entropy, mse_loss]
