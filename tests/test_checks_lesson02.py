"""Lesson 02's checker: detectors fire only on their own mistake, cases separate every pair of
mistakes, float32 answers and in-place changes are caught, other correct ways of writing pass."""
import copy
import math
import time

import numpy as np
import pytest

from course.checks import lesson02 as check
from course.checks._framework import _same

EXERCISES = check.EXERCISES
IDS = [f"{ex.number}-{ex.name}" for ex in EXERCISES]


@pytest.fixture(autouse=True)
def _no_progress(monkeypatch):
    monkeypatch.setenv("NNLIB_PROGRESS", "off")


def _cases(ex):
    return ex.make_cases(np.random.default_rng(ex.seed))


def _run(ex, f, case):
    """What the checker sees from ``f`` on ``case`` (wrapped when it overflowed), or None if it raised."""
    f = check._watch_overflow(f) if isinstance(ex, check._OverflowExercise) else f
    try:
        with np.errstate(all="ignore"):
            return f(*copy.deepcopy(case.args), **case.kwargs)
    except Exception:  # noqa: BLE001
        return None


def _implementations(m):
    return [f for f in (m.impl, *m.witnesses) if f is not None]


def _value(got):
    return check._unwrap(got)


DETECTORS = [(ex, m) for ex in EXERCISES for m in ex.mistakes if m.detect is not None]


def _fires(mistake, got, expected, case):
    try:
        return bool(mistake.detect(got, expected, case))
    except Exception:  # noqa: BLE001 - the framework counts a crash as no match
        return False


def _fails(ex, got, expected):
    """The checker would reject ``got``: wrong values, an overflow, or float32."""
    value = _value(got)
    return (isinstance(got, check._Overflowed) or getattr(value, "dtype", None) in (np.float32, np.float16)
            or not _same(value, expected, ex.rtol, ex.atol))


@pytest.mark.parametrize("ex, mistake", DETECTORS, ids=[f"{ex.number}-{m.key}" for ex, m in DETECTORS])
def test_a_detector_does_not_fire_on_the_answer_nor_on_another_mistake(ex, mistake):
    """On every case where another catalogued mistake's output would fail, not only the deciding one."""
    for case in _cases(ex):
        expected = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
        assert not _fires(mistake, ex.reference(*copy.deepcopy(case.args), **case.kwargs), expected, case)
        for other in ex.mistakes:
            if other is mistake or other.mutation:
                continue
            for f in _implementations(other):
                got = _run(ex, f, case)
                if got is not None and _fails(ex, got, expected):
                    assert not _fires(mistake, got, expected, case), \
                        f"{mistake.key} fires on {other.key} ({f}) in case {case.label}"


PAIRS = [(ex, a, b) for ex in EXERCISES for i, a in enumerate(ex.mistakes) for b in ex.mistakes[i + 1:]
         if not a.mutation and not b.mutation]


def _outcome(ex, f, case):
    """("raised", type, text) or ("returned", overflowed, value): what the checker sees from ``f``."""
    g = check._watch_overflow(f) if isinstance(ex, check._OverflowExercise) else f
    try:
        with np.errstate(all="ignore"):
            got = g(*copy.deepcopy(case.args), **case.kwargs)
    except Exception as e:  # noqa: BLE001
        return ("raised", type(e), str(e))
    return ("returned", isinstance(got, check._Overflowed), got)


def _same_outcome(ex, u, v):
    if u[0] != v[0] or u[1] != v[1]:
        return False
    return u[2] == v[2] if u[0] == "raised" else _same(_value(u[2]), _value(v[2]), ex.rtol, ex.atol)


@pytest.mark.parametrize("ex, a, b", PAIRS, ids=[f"{ex.number}-{a.key}-{b.key}" for ex, a, b in PAIRS])
def test_the_deciding_case_separates_every_pair_of_mistakes(ex, a, b):
    """Where a mistake first fails, no other catalogued mistake gives the same outcome."""
    for first, second in ((a, b), (b, a)):
        for case in _cases(ex):
            expected = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
            mine = _outcome(ex, first.impl, case)
            if mine[0] == "returned" and not _fails(ex, mine[2], expected):
                continue                                     # not the deciding case yet
            assert not _same_outcome(ex, mine, _outcome(ex, second.impl, case)), \
                f"{first.key} and {second.key} agree on {case.label}, where {first.key} first fails"
            break
        else:
            pytest.fail(f"{first.key} passes every case")


@pytest.mark.parametrize("f", [
    lambda x: check._sigmoid(x).astype(np.float32),
    lambda x: check._sigmoid(np.asarray(x, dtype=np.float32)).astype(np.float32),
    lambda x: 1 / (1 + np.exp(-np.asarray(x, dtype=np.float32))),
    check._sigmoid_float32,
    lambda x: check._sigmoid_float32(x).astype(float),
    check._sigmoid_tanh_float32,
])
def test_a_sigmoid_in_float32_fails(f):
    result = check.sigmoid(f)
    assert result.status == "failed", result
    assert result.mistake == "computed_in_float32", result


def test_a_sigmoid_grad_in_float32_fails():
    for f in (lambda x: check._sigmoid_grad(x).astype(np.float32), check._grad_float32,
              lambda x: check._grad_float32(x).astype(float)):
        result = check.sigmoid_grad(f)
        assert result.status == "failed" and result.mistake == "computed_in_float32", result


def test_wrapped_results_still_get_the_framework_checks():
    """An answer that overflowed is wrapped; its value is still checked for None, lists and float32."""
    def overflowing(make):
        def f(x):
            np.exp(np.asarray(x, dtype=float) * 1000.0)     # overflows, result unused
            return make(x)
        return f
    assert "None" in check.sigmoid(overflowing(lambda x: None)).message
    assert "Python list" in check.sigmoid(overflowing(lambda x: list(check._sigmoid(x)))).message
    result = check.sigmoid(overflowing(lambda x: check._sigmoid(x).astype(np.float32)))
    assert "float32" in result.message and result.status == "failed"


@pytest.mark.parametrize("ex, f", [
    (check.collapse_linear, lambda W1, b1, W2, b2: (np.dot(W1, W2), np.dot(b1, W2) + b2)),
    (check.collapse_linear, lambda W1, b1, W2, b2: (np.einsum("dh,hc->dc", W1, W2), W2.T @ b1 + b2)),
    (check.sigmoid, lambda x: 0.5 * (1 + np.tanh(np.asarray(x) / 2))),
    (check.sigmoid, lambda x: np.exp(-np.logaddexp(0, -np.asarray(x)))),
    (check.sigmoid, check._entrywise(lambda v: 1 / (1 + math.exp(-v)) if v >= 0
                                     else math.exp(v) / (1 + math.exp(v)))),
    (check.sigmoid_grad, lambda x: check._sigmoid(x) * check._sigmoid(-np.asarray(x))),
    (check.tanh_grad_from_output, lambda t: (1 - t) * (1 + t)),
    (check.tanh_grad_from_output, lambda t: 1 - t ** 2),
    (check.relu_backward, lambda dout, x: dout * (x > 0)),
    (check.relu_backward, lambda dout, x: np.where(x <= 0, 0, dout)),
    (check.leaky_relu_backward, lambda dout, x, alpha: np.where(x > 0, dout, alpha * dout)),
    (check.leaky_relu_backward, lambda dout, x, alpha=0.01: dout * ((x > 0) + alpha * (x <= 0))),
    (check.leaky_relu_mean_grad, lambda mean, spread, alpha: alpha + (1 - alpha) * 0.5
     * (1 + math.erf(mean / (spread * math.sqrt(2))))),
    (check.leaky_relu_mean_grad, check._leaky_mean_grad_loop),
    (check.leaky_relu_mean_grad, lambda mean, spread, alpha: 1 - (1 - alpha) * 0.5
     * math.erfc(mean / (spread * math.sqrt(2)))),
    (check.leaky_relu_mean_grad, lambda mean, spread, alpha: np.float64(alpha) + (1 - alpha)
     * (1 - check._normal(mean, spread).cdf(0.0))),
])
def test_other_correct_answers_pass(ex, f):
    result = ex(f)
    assert result.status == "passed", result


def test_changing_x_in_place_is_named_but_not_blamed_on_dout():
    def clips_x(dout, x, alpha):
        x[x <= 0] = 0
        return np.where(x > 0, dout, alpha * dout)
    result = check.leaky_relu_backward(clips_x)
    assert result.mistake == "dout_modified_in_place" and "argument number 2" in result.message
    assert "dout or x" in result.message


def test_verdicts_with_their_messages():
    result = check.sigmoid(lambda x: np.exp(-x) / (1 + np.exp(-x)))
    assert result.mistake == "wrong_sign", result
    result = check.collapse_linear(lambda W1, b1, W2, b2: (np.dot(W2, W1), b1 + b2))
    assert result.mistake == "W_order", result
    result = check.tanh_grad_from_output(lambda t: 1 - t ^ 2)
    assert result.mistake == "caret_for_power" and "TypeError" in result.message, result
    # an unknown wrong answer names the first wrong quantity and no mistake
    result = check.leaky_relu_backward(lambda dout, x, alpha: dout * np.where(x > 0, 2.0, alpha))
    assert result.status == "failed" and result.mistake is None and "expected" in result.message


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_checks_are_fast(ex):
    start = time.perf_counter()
    for m in ex.mistakes:
        ex(m.impl)
    ex(ex.reference)
    assert (time.perf_counter() - start) / (len(ex.mistakes) + 1) < 0.5


def test_a_clip_wide_enough_to_change_nothing_passes_and_a_narrow_one_is_named():
    assert check.sigmoid(lambda x: check._sigmoid(np.clip(x, -50.0, 50.0))).passed
    result = check.sigmoid(lambda x: check._sigmoid(np.clip(x, -6.0, 20.0)))    # asymmetric bounds too
    assert result.mistake == "clipped_input", result
    # a flat tail that is not sigma(bound) on the same side is not a clip
    result = check.sigmoid(lambda x: np.where(np.abs(x) > 30, 0.5, check._sigmoid(x)))
    assert result.status == "failed" and result.mistake is None, result


def test_shape_mistakes_are_named_only_when_the_values_are_right():
    result = check.sigmoid(lambda x: (check._sigmoid(x) + 0.1 * (np.ndim(x) > 1)).ravel())
    assert result.mistake is None and "shape (12,)" in result.message, result
    result = check.relu_backward(lambda dout, x: np.where(x > 0, dout, 0.0).ravel(order="F"))
    assert result.mistake == "flattened", result
    result = check.collapse_linear(lambda W1, b1, W2, b2: (W1 @ W2, (b1 + b2)[None, :]))
    assert result.mistake is None and "shape (1, 3)" in result.message, result
    result = check.collapse_linear(lambda W1, b1, W2, b2: (W1 @ W2, (b1 @ W2 + b2)[:, None]))
    assert result.mistake == "b_extra_axis", result          # (C, 1): the same extra axis, on the other side
    result = check.tanh_grad_from_output(lambda t: 1 - np.dot(t, t))
    assert result.mistake == "squares_summed" and "shape ()" in result.message, result
    result = check.tanh_grad_from_output(lambda t: 1 - np.sum(np.abs(t)))   # one number, not 1 - sum(t^2)
    assert result.mistake is None and "shape ()" in result.message, result


def test_the_pair_in_the_wrong_order_is_named_only_when_both_values_are_right():
    result = check.collapse_linear(lambda W1, b1, W2, b2: [b1 @ W2 + b2, np.dot(W1, W2)])
    assert result.mistake == "pair_swapped", result
    result = check.collapse_linear(lambda W1, b1, W2, b2: (b1 + b2, W1 @ W2))
    assert result.mistake is None, result


@pytest.mark.parametrize("ex, f, key, argument", [
    (check.collapse_linear, lambda W1, b1, W2, b2: (W1 @ W2, b1.__imul__(0) @ W2 + b2),
     "argument_modified_in_place", 2),
    (check.sigmoid, lambda x: check._sigmoid(np.clip(x, -700, 700, out=x)), "x_modified_in_place", 1),
    (check.sigmoid_grad, lambda x: check._sigmoid_grad(np.abs(x, out=x)), "x_modified_in_place", 1),
    (check.tanh_grad_from_output, lambda t: 1 - t.__imul__(t), "t_modified_in_place", 1),
])
def test_an_argument_written_into_is_named_whichever_it_is(ex, f, key, argument):
    result = ex(f)
    assert result.mistake == key and f"argument number {argument} in place" in result.message, result


def test_both_routes_to_the_mirrored_sigmoid_share_one_name():
    def branches_swapped(x):
        out = np.empty_like(x)
        e = np.exp(-np.abs(x))
        out[x >= 0] = (e / (1 + e))[x >= 0]
        out[x < 0] = (1 / (1 + e))[x < 0]
        return out
    for f in (branches_swapped, lambda x: 1 / (1 + np.exp(np.clip(x, -700, 700)))):
        result = check.sigmoid(f)
        assert result.mistake == "wrong_sign", result
        assert "branches" in result.message and "sign slip" in result.message


def test_sign_slips_and_swapped_slopes_in_the_backward_passes():
    result = check.relu_backward(lambda dout, x: np.abs(x) / np.where(x == 0, 1, x) * dout)
    assert result.mistake == "sign_of_x", result
    result = check.leaky_relu_backward(lambda dout, x, alpha: dout * np.where(x > 0, alpha, 1.0))
    assert result.mistake == "slopes_swapped", result
    result = check.leaky_relu_backward(lambda dout, x, alpha: np.where(x > 0, dout, np.full_like(x, alpha)))
    assert result.mistake == "negative_side_without_dout", result
    # slope 2 on the positive side is no known mistake: not named
    result = check.leaky_relu_backward(lambda dout, x, alpha: np.where(x > 0, 2 * dout, alpha))
    assert result.mistake is None, result


def test_the_mean_factor_agrees_with_the_widgets_integral_and_unknown_slips_are_not_named():
    """2.8's reference is the closed form of what the activation explorer integrates numerically."""
    from course.computations.lesson02 import saturation_stats
    for mean, spread in [(-2.0, 3.0), (0.7, 0.4), (1.5, 2.0)]:
        integral = saturation_stats("leaky ReLU", mean, spread)["mean_grad"]
        assert math.isclose(check._leaky_relu_mean_grad(mean, spread, 0.01), integral, rel_tol=5e-3)
    result = check.leaky_relu_mean_grad(lambda mean, spread, alpha: 0.5 + alpha)
    assert result.status == "failed" and result.mistake is None, result
    far = check.leaky_relu_mean_grad(lambda m, s, a: check._leaky_relu_mean_grad(m, s, a) + 0.05)
    assert far.mistake is None, far                      # too far off for a sampling error
