"""Lesson 04's checker: wrong answers written in other styles get the right name, the effect detectors
fire neither on a correct answer nor on another catalogued mistake, and the cases separate the
mistakes on the case where each is first caught."""
import copy

import numpy as np
import pytest

from course.checks import lesson04 as check
from check_helpers import cases as _cases
from check_helpers import fails as _fails


@pytest.fixture(autouse=True)
def _no_progress_file(monkeypatch):
    monkeypatch.setenv("NNLIB_PROGRESS", "off")


def _softmax(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _onehot(y, C):
    return (np.asarray(y)[:, None] == np.arange(C)).astype(float)


def _oh_while_short(y, C):
    Y, n = np.zeros((len(y), C)), 0
    while n < len(y) - 1:
        Y[n][y[n]] = 1
        n += 1
    return Y


def _oh_classes_loop(y, C):
    Y = np.zeros((len(y), C))
    for i in range(min(C, len(y))):
        Y[i, y[i]] = 1
    return Y


def _sm_capped_loop(Z):
    out = np.zeros_like(Z, dtype=float)
    for n, row in enumerate(Z):
        e = np.array([np.exp(min(z, 709.0)) for z in row])
        out[n] = e / e.sum()
    return out


def _ce_no_max_in_logp(Z, y):
    m = Z.max(axis=1, keepdims=True)
    logp = Z - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


REVIEWED = [
    # 4.1: rows left out by a short loop, however the loop is written
    (check.one_hot, _oh_while_short, "examples_left_out"),
    (check.one_hot, _oh_classes_loop, "examples_left_out"),
    # 4.1: any column count other than C, one-hot rows otherwise right
    (check.one_hot, lambda y, C: _onehot(y, len(y)), "wrong_class_count"),
    (check.one_hot, lambda y, C: _onehot(y, C + 1), "wrong_class_count"),
    (check.one_hot, lambda y, C: _onehot(y, max(y) + 1), "wrong_class_count"),
    # 4.2: one shift per column, then each row normalised
    (check.softmax, lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(1, keepdims=True),
     "column_shift"),
    (check.softmax, lambda Z: np.exp(Z - np.median(Z, axis=0)) / np.exp(Z - np.median(Z, axis=0)).sum(
        1, keepdims=True), "column_shift"),
    # 4.2: a cap on the exponent instead of the shift (0s when the sum overflows, or equal entries)
    (check.softmax, _sm_capped_loop, "no_max_subtraction"),
    (check.softmax, lambda Z: np.exp(np.minimum(Z, 500)) / np.exp(np.minimum(Z, 500)).sum(1, keepdims=True),
     "no_max_subtraction"),
    # 4.3: the row maximum left out of log p
    (check.cross_entropy_loss, _ce_no_max_in_logp, "max_dropped"),
    # 4.4: the 1/N on one term only
    (check.cross_entropy_grad, lambda Z, y: _softmax(Z) - _onehot(y, Z.shape[1]) / Z.shape[0],
     "one_term_divided"),
    (check.cross_entropy_grad, lambda Z, y: _softmax(Z) / Z.shape[0] - _onehot(y, Z.shape[1]),
     "one_term_divided"),
    # 4.6: means along one axis (or a 1-element array) instead of one float
    (check.mse_loss, lambda y_hat, y: np.mean((y_hat - y) ** 2, axis=0), "not_one_number"),
    (check.mse_loss, lambda y_hat, y: np.array([np.mean((y_hat - y) ** 2)]), "not_one_number"),
    # 4.2: the log-softmax returned
    (check.softmax, lambda Z: Z - Z.max(1, keepdims=True) - np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(
        1, keepdims=True)), "log_probabilities"),
    # 4.3: one class's column for every row (the source's slip in lesson 04), and the log-sum-exp term missing
    (check.cross_entropy_loss, lambda Z, y: float(-np.mean(np.log(_softmax(Z))[:, 1])), "one_column"),
    (check.cross_entropy_loss, lambda Z, y: float(-np.mean([np.log(_softmax(Z))[n, y[-1]]
                                                             for n in range(len(y))])), "one_column"),
    (check.cross_entropy_loss, lambda Z, y: float(-np.mean(Z[np.arange(len(y)), y])), "no_log_sum_exp"),
    # uncatalogued: not named
    (check.one_hot, lambda y, C: _onehot(y, C)[::-1], None),
    (check.softmax, lambda Z: _softmax(Z) ** 1.01, None),
    (check.cross_entropy_loss, lambda Z, y: float(np.mean(np.log(np.exp(Z).sum(1)) - Z[np.arange(len(y)), y]))
     + 0.1, None),
    (check.cross_entropy_grad, lambda Z, y: (_softmax(Z) - _onehot(y, Z.shape[1])) / (Z.shape[0] + 1), None),
    (check.mse_loss, lambda y_hat, y: np.sum((y_hat - y) ** 2, axis=0), None),
]


@pytest.mark.parametrize("ex, learner, key", REVIEWED, ids=[f"{ex.number}-{k}-{i}" for i, (ex, _, k)
                                                           in enumerate(REVIEWED)])
def test_reviewed_wrong_answers_get_their_verdict(ex, learner, key):
    result = ex(learner)
    assert result.status == "failed", result
    assert result.mistake == key, result


DETECTING = [ex for ex in check.EXERCISES if any(m.detect for m in ex.mistakes)]


def _implementations(ex):
    return [(m, f) for m in ex.mistakes if not m.mutation for f in (m.impl, *m.witnesses)]


def _run(f, case):
    try:
        with np.errstate(all="ignore"):
            return f(*copy.deepcopy(case.args), **case.kwargs), None
    except Exception as e:  # noqa: BLE001
        return None, e


@pytest.mark.parametrize("ex", DETECTING, ids=[ex.number for ex in DETECTING])
def test_a_detector_does_not_fire_on_another_mistake_where_that_one_is_decided(ex):
    """A detector tried before a mistake's own entry does not take it (the catalogue is tried in order)."""
    for m2, f in _implementations(ex):
        earlier = ex.mistakes[:ex.mistakes.index(m2)]
        for case in _cases(ex):
            got, error = _run(f, case)
            if error is not None:
                break                               # decided by the error it raises
            if not _fails(ex, got, case):
                continue
            expected = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
            for m1 in earlier:
                if m1.detect is not None:
                    try:
                        with np.errstate(all="ignore"):
                            hit = m1.detect(got, expected, case)
                    except Exception:  # noqa: BLE001
                        hit = False
                    assert not hit, f"{ex.number}: {m1.key} fires on {m2.key} ({case.label})"
            break                                   # the first failing case decides


NEW = {check.one_hot: ["wrong_class_count", "examples_left_out"],
       check.softmax: ["column_shift", "log_probabilities"],
       check.cross_entropy_loss: ["max_dropped", "one_column", "no_log_sum_exp"],
       check.cross_entropy_grad: ["one_term_divided"],
       check.mse_loss: ["not_one_number"]}
PAIRS = [(ex, key) for ex, keys in NEW.items() for key in keys]


@pytest.mark.parametrize("ex, key", PAIRS, ids=[f"{ex.number}-{k}" for ex, k in PAIRS])
def test_a_new_mistake_differs_from_every_other_on_its_deciding_case(ex, key):
    """On the case where the new mistake is first caught, no other catalogued mistake gives its output."""
    mistakes = {m.key: m for m in ex.mistakes}
    cases = _cases(ex)
    mine = [_run(mistakes[key].impl, c)[0] for c in cases]
    first = next(i for i, c in enumerate(cases) if _fails(ex, mine[i], c))
    for other in ex.mistakes:
        if other.key == key:
            continue
        theirs, error = _run(other.impl, cases[first])
        if error is None:
            a, b = np.asarray(mine[first], dtype=float), np.asarray(theirs, dtype=float)
            assert a.shape != b.shape or not np.allclose(a, b, rtol=1e-6, atol=0), (key, other.key)


def test_the_capped_exponent_is_named_only_for_rows_beyond_709():
    """A softmax wrong in a row of small logits is not put down to overflow."""
    case = _cases(check.softmax)[3]                 # one row around 1000, one around 0
    Z = case.args[0]
    expected = check._stable_softmax(Z)
    wrong_low_row = expected.copy()
    wrong_low_row[1] = wrong_low_row[1][::-1]
    assert not check._wrong_only_where_exp_overflows(wrong_low_row, expected, case)
    wrong_high_row = expected.copy()
    wrong_high_row[0] = 1 / 3
    assert check._wrong_only_where_exp_overflows(wrong_high_row, expected, case)
