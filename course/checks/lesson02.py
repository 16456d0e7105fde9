"""Checks for lesson 02 (activation functions: why a nonlinearity, sigmoid, tanh, ReLU, leaky ReLU).

Use in a notebook: ``from course.checks import lesson02 as check`` then
``check.sigmoid(sigmoid)``.

The sigmoid checks also watch for overflow: a function that computes ``np.exp`` of a
large positive number gets ``inf`` (and NumPy warns "overflow encountered in exp") even
when the final value happens to come out right, so it fails with that diagnosis.
"""
from __future__ import annotations

import math
import statistics

import numpy as np

from ._framework import Case, Exercise, Failure, Mistake, _same, compare_array

LESSON = "02-activations"


# --- shared helpers --------------------------------------------------------------------

class _Overflowed:
    """What the learner's function returned, marked: NumPy overflowed while computing it."""

    def __init__(self, value):
        self.value = value


def _watch_overflow(learner):
    """Wrap ``learner`` so that a floating-point overflow inside it marks its result."""
    def watched(*args, **kwargs):
        events = []
        with np.errstate(over="call", call=lambda kind, flag: events.append(kind)):
            value = learner(*args, **kwargs)
        return _Overflowed(value) if events else value
    return watched


class _OverflowExercise(Exercise):
    """An exercise whose answer must be computed without overflowing (see module docstring)."""

    def __call__(self, learner):
        return super().__call__(_watch_overflow(learner) if callable(learner) else learner)


def _compare_no_overflow(got, expected, case):
    if isinstance(got, _Overflowed):
        compare_array(got.value, expected, "your result")  # wrong values (nan, inf) are named first
        raise Failure("your values are right, but computing them overflowed (NumPy reported \"overflow "
                      "encountered\"; in a notebook you would see a RuntimeWarning)")
    compare_array(got, expected, "your result")


def _unwrap(got):
    return got.value if isinstance(got, _Overflowed) else got


def _like(impl):
    """Detect ``impl``'s output in an answer, whether or not computing the answer overflowed, when some
    value is wrong (on a case where the mistake happens to give the right values, it is not named)."""
    return lambda got, expected, case: (_same(_unwrap(got), impl(*case.args), 1e-9, 1e-12)
                                        and not _same(_unwrap(got), expected, 1e-9, 1e-12))


def _value_mistake(key, title, fix, impl, witnesses=()):
    """A mistake recognised by its values, also when the learner's version overflowed on the way."""
    return Mistake(key, title, fix, impl=impl, detect=_like(impl), witnesses=witnesses)


def _values(got):
    return np.asarray(_unwrap(got), dtype=float)


def _close(a, b, rtol=1e-9, atol=1e-12):
    """Entry by entry, at the sigmoid exercises' tolerance; nan and inf are equal to themselves."""
    return np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


def _non_finite_where_exp_overflows(got, expected, case):
    """The answer overflowed and is inf/nan exactly where |x| is beyond exp's range (about 709),
    and right everywhere else."""
    if not isinstance(got, _Overflowed):
        return False
    value = _values(got)
    bad = ~np.isfinite(value)
    x = np.asarray(case.args[0], dtype=float)
    return (bad.shape == x.shape and bool(bad.any()) and bool(np.all(np.abs(x[bad]) > 709))
            and bool(np.all(_close(value[~bad], np.asarray(expected)[~bad]))))


def _computed_in_float32(got, expected, case):
    """Every value is a float32 number (even if returned as float64), right to float32's 7 digits only:
    the result is float32, or some value is off at float64's tolerance."""
    value = _values(got)
    low = getattr(_unwrap(got), "dtype", None) in (np.float32, np.float16)
    return (value.shape == np.shape(expected) and (low or not bool(np.all(_close(value, expected))))
            and bool(np.all(value.astype(np.float32).astype(float) == value))
            and bool(np.all(_close(value, expected, rtol=1e-6))))


def _float32_mistake(impl, witnesses):
    return Mistake("computed_in_float32", "the values were computed in float32 (about 7 significant "
                   "digits) instead of float64",
                   "leave x as it comes (no .astype(np.float32), no np.float32(...)): NumPy computes in "
                   "float64, about 16 digits",
                   impl=impl, witnesses=witnesses, detect=_computed_in_float32)


def _overflow_mistakes(formula, nan_impls, warn_impls, math_impls):
    """The overflow mistakes, in the order that diagnoses each as itself. Each ``*_impls`` is a tuple:
    the catalogued implementation first, then other ways of writing the same thing."""
    return [
        Mistake("overflow_nan", "np.exp of a large positive number gave inf, which made the result "
                "inf or nan",
                "never exponentiate a large positive number: use e = np.exp(-np.abs(x)), which is at most 1, "
                f"and write {formula} in terms of e, separately for x >= 0 and x < 0",
                impl=nan_impls[0], witnesses=nan_impls[1:], detect=_non_finite_where_exp_overflows),
        Mistake("exp_overflow", "np.exp overflowed to inf for large |x| (the result only came out right "
                "by luck, with a RuntimeWarning)",
                "exponentiate only -|x|: e = np.exp(-np.abs(x)). Note that np.where(cond, a, b) computes "
                "both a and b for every entry, so a formula that overflows in the unused branch still "
                "overflows",
                impl=warn_impls[0], witnesses=warn_impls[1:],
                detect=lambda got, exp, case: (isinstance(got, _Overflowed)
                                               and _same(got.value, exp, 1e-9, 1e-12))),
        Mistake("math_exp_overflow", "math.exp of a large number raised OverflowError (math.exp cannot "
                "return inf)",
                "exponentiate only -|x|, which is at most 0: e = np.exp(-np.abs(x)), with NumPy on the "
                "whole array (no loop over the entries needed)",
                impl=math_impls[0], witnesses=math_impls[1:]),
    ]


def _flattened_mistake(impl, witnesses, rtol=1e-9, atol=1e-12):
    """The right values, but in a 1-D array where x has two or more axes (a loop over x.ravel(),
    x.flat or np.nditer that collected the values into a list and never put the shape back)."""
    def detect(got, expected, case):
        value, exp = np.asarray(_unwrap(got), dtype=float), np.asarray(expected, dtype=float)
        return (exp.ndim > 1 and value.shape == (exp.size,)
                and any(bool(np.all(_close(value, exp.ravel(order), rtol, atol))) for order in "CF"))
    return Mistake("flattened", "the values are right but come back flattened into a 1-D array: the "
                   "shape of the input was lost",
                   "the result has the input's shape: work on the whole array with NumPy operations "
                   "(or, after a loop, reshape the values to the input's .shape)",
                   impl=impl, witnesses=witnesses, detect=detect)


def _in_place_mistake(name, example, impl, witnesses):
    """The argument ``name`` was written into: the caller's array changed (values not looked at)."""
    return Mistake(f"{name}_modified_in_place", f"the argument {name} was written into (e.g. {example}), "
                   f"so the caller's array is no longer what it was",
                   f"compute into a new array (np.exp(...), np.where(...) and arithmetic already make one) "
                   f"and leave {name} as it came",
                   impl=impl, witnesses=witnesses, mutation=True)


def _sigmoid_cases(rng):
    return [
        Case((np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0]),), label="x includes -1000 and 1000"),
        Case((3 * rng.standard_normal((3, 4)),), label="a 3x4 matrix"),
        Case((np.linspace(-800.0, 800.0, 9),), label="large |x| everywhere"),
        Case((np.array([-3, -1, 0, 2, 5]),), label="integers (an int array such as np.arange gives)"),
    ]


def _integer_buffer(f):
    """``f`` stored entry by entry into np.zeros_like(x): an integer x gives an integer buffer."""
    def filled(x):
        out = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            out[i] = f(float(x[i]))
        return out
    return filled


def _integer_empty(f):
    def filled(x):
        out = np.empty_like(x)
        out[...] = f(np.asarray(x, dtype=float))
        return out
    return filled


def _truncated_to_integers(got, expected, case):
    """An integer input and an integer result: the values were cut to whole numbers on the way."""
    x = np.asarray(case.args[0])
    return (x.dtype.kind in "iu" and isinstance(got, np.ndarray) and got.dtype.kind in "iub"
            and got.shape == np.shape(expected) and np.array_equal(got, np.trunc(expected)))


def _integer_mistake(f):
    return Mistake("integer_buffer", "the result was stored in an array made like the input "
                   "(np.zeros_like(x), np.empty_like(x)): for an integer x it holds integers, and every "
                   "value between 0 and 1 is cut to 0",
                   "make the result a float array: np.zeros(x.shape) or np.zeros_like(x, dtype=float), "
                   "or compute it in one expression without a buffer",
                   impl=_integer_buffer(f), witnesses=(_integer_empty(f),), detect=_truncated_to_integers)


def _entrywise(f):
    """``f`` applied to every entry of x in a Python loop, as a learner might write it."""
    def looped(x):
        x = np.asarray(x, dtype=float)
        return np.array([f(v) for v in x.ravel()]).reshape(x.shape)
    return looped


def _naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))          # exp(1000) = inf, then 1 / inf = 0: right value, with a warning


def _naive_ratio(x):
    return np.exp(x) / (1 + np.exp(x))   # inf / inf = nan at x = 1000


def _where_sigmoid(x):
    """Both branches of np.where are computed everywhere: exp(1000) overflows in the unused one."""
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def _sigmoid_float32(x):
    x = np.asarray(x, dtype=np.float32)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _sigmoid_tanh_float32(x):
    return np.asarray(0.5 * (1 + np.tanh(np.float32(0.5) * np.asarray(x, dtype=np.float32))), dtype=float)


def _naive_grad(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


def _naive_grad_ratio(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2   # inf / inf = nan at x = -1000


# --- 2.1 collapse_linear(W1, b1, W2, b2) ----------------------------------------------------

def _collapse_linear(W1, b1, W2, b2):
    W = W1 @ W2
    return W, b1 @ W2 + b2


def _collapse_cases(rng):
    # the square case comes first: there W2 @ W1, b1 + b2 and W2 @ b1 can all be computed (elsewhere they
    # raise, each NumPy function with its own message), so each of those mistakes is named by its values
    cases = []
    for D, H, C in [(3, 3, 3), (3, 4, 2), (2, 5, 3)]:
        cases.append(Case((rng.standard_normal((D, H)), rng.standard_normal(H),
                           rng.standard_normal((H, C)), rng.standard_normal(C)),
                          label=f"D={D}, H={H}, C={C}"))
    return cases


def _compare_pair(got, expected, case):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        length = f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""
        raise Failure(f"your function should return two arrays (W, b), got {type(got).__name__}{length}")
    compare_array(got[0], expected[0], "W")
    compare_array(got[1], expected[1], "b")


def _W_is(formula):
    """The returned W is ``formula(W1, b1, W2, b2)``, however b came out."""
    return lambda got, expected, case: _same(got[0], formula(*case.args), 1e-6, 1e-9)


def _b_is(formula):
    """W is right and the returned b is ``formula(W1, b1, W2, b2)``."""
    return lambda got, expected, case: (_same(got[0], expected[0], 1e-6, 1e-9)
                                        and _same(got[1], formula(*case.args), 1e-6, 1e-9))


def _W_order_einsum(W1, b1, W2, b2):
    return np.einsum("ik,kj->ij", W2, W1), np.dot(b1, W2) + b2


def _W_transposed_factors(W1, b1, W2, b2):
    return W2.T @ W1.T, W2.T @ b1 + b2


def _bias_sum_loop(W1, b1, W2, b2):
    return np.dot(W1, W2), np.array([b1[j] + b2[j] for j in range(len(b2))])


def _pair_swapped(got, expected, case):
    """The first array returned is the right b and the second the right W: the pair came back as (b, W)."""
    return _same(got[0], expected[1], 1e-6, 1e-9) and _same(got[1], expected[0], 1e-6, 1e-9)


def _b_extra_axis(got, expected, case):
    """W is right and b holds b's values, but with one or more extra axes of length 1 (e.g. (1, C))."""
    b, exp = np.asarray(got[1], dtype=float), np.asarray(expected[1], dtype=float)
    return (_same(got[0], expected[0], 1e-6, 1e-9) and b.shape != exp.shape and b.ndim > exp.ndim
            and b.size == exp.size and _same(b.reshape(exp.shape), exp, 1e-6, 1e-9))


def _b_as_column(W1, b1, W2, b2):
    return np.matmul(W1, W2), (W2.T @ b1[:, None] + b2[:, None]).T    # (C, 1) made (1, C): a row again


def _b_kept_2d(W1, b1, W2, b2):
    return W1 @ W2, np.atleast_2d(b1) @ W2 + b2


def _collapse_adds_into_b2(W1, b1, W2, b2):
    np.add(b2, np.dot(b1, W2), out=b2)
    return np.dot(W1, W2), b2


def _collapse_loop_into_b2(W1, b1, W2, b2):
    for j in range(b2.shape[0]):
        b2[j] = b2[j] + b1 @ W2[:, j]
    return W1 @ W2, b2


collapse_linear = Exercise(
    LESSON, "2.1", "collapse_linear", _collapse_linear, _collapse_cases, compare=_compare_pair,
    mistakes=[
        Mistake("W_order", "the product taken as W2 @ W1",
                "rows are examples in nnlib (X @ W1 first, then @ W2), so the single matrix is W1 times W2, "
                "in that order; its shape is (D, C)",
                impl=lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2), witnesses=(_W_order_einsum,),
                detect=_W_is(lambda W1, b1, W2, b2: W2 @ W1)),
        Mistake("W_transposed", "W returned transposed: (W1 @ W2).T, of shape (C, D) instead of (D, C)",
                "nnlib computes X @ W with X of shape (N, D), so W must have shape (D, C): W1 @ W2, "
                "not its transpose",
                impl=lambda W1, b1, W2, b2: ((W1 @ W2).T, b1 @ W2 + b2), witnesses=(_W_transposed_factors,),
                detect=_W_is(lambda W1, b1, W2, b2: (W1 @ W2).T)),
        Mistake("bias_not_through_W2", "b1 added to b2 directly, without passing through W2",
                "the first layer's bias goes through the second layer's weights like everything else: "
                "(X W1 + b1) W2 + b2, so the combined bias is b1 @ W2, plus b2",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2), witnesses=(_bias_sum_loop,),
                detect=_b_is(lambda W1, b1, W2, b2: b1 + b2)),
        Mistake("bias_order", "b1 multiplied from the wrong side: W2 @ b1 instead of b1 @ W2",
                "b1 is added to every row X W1, so it goes through W2 the way a row does: b1 @ W2, of shape "
                "(C,), plus b2",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2),
                witnesses=(lambda W1, b1, W2, b2: (np.dot(W1, W2), np.dot(W2, b1) + b2),),
                detect=_b_is(lambda W1, b1, W2, b2: W2 @ b1 + b2)),
        Mistake("bias_missing_b2", "the second layer's bias b2 was left out",
                "expand (X W1 + b1) W2 + b2: the constant part is b1 @ W2 plus b2",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2),
                witnesses=(lambda W1, b1, W2, b2: (np.matmul(W1, W2), W2.T @ b1),),
                detect=_b_is(lambda W1, b1, W2, b2: b1 @ W2)),
        Mistake("bias_only_b2", "the first layer's bias b1 was dropped (b = b2)",
                "b1 still reaches the output, scaled by W2: the combined bias is b1 @ W2 plus b2",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, b2),
                witnesses=(lambda W1, b1, W2, b2: (np.dot(W1, W2), np.array(b2, copy=True)),),
                detect=_b_is(lambda W1, b1, W2, b2: b2)),
        Mistake("pair_swapped", "the two results returned in the wrong order, (b, W) instead of (W, b)",
                "return the matrix first and the bias second: W, then b",
                impl=lambda W1, b1, W2, b2: (b1 @ W2 + b2, W1 @ W2),
                witnesses=(lambda W1, b1, W2, b2: tuple(reversed(_collapse_linear(W1, b1, W2, b2))),),
                detect=_pair_swapped),
        Mistake("b_extra_axis", "b has the right values but an extra axis of length 1 (e.g. shape (1, C), "
                "from b1 made into a row)",
                "keep b one-dimensional, of shape (C,): b1 has shape (H,), and b1 @ W2 is already a vector "
                "of shape (C,); no reshape is needed",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, b1.reshape(1, -1) @ W2 + b2),
                witnesses=(_b_as_column, _b_kept_2d), detect=_b_extra_axis),
        Mistake("argument_modified_in_place", "an argument was written into (e.g. b2 += b1 @ W2), so the "
                "caller's W1, b1, W2 or b2 is no longer what it was",
                "build new arrays for W and b (b1 @ W2 + b2 is a new array; b2 += ... changes b2 itself) "
                "and leave the four arguments as they came",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, b2.__iadd__(b1 @ W2)), mutation=True,
                witnesses=(_collapse_adds_into_b2, _collapse_loop_into_b2)),
    ])


# --- 2.2 sigmoid(x) ---------------------------------------------------------------------------

def _sigmoid(x):
    x = np.asarray(x, dtype=float)
    small = np.exp(-np.abs(x))                       # in (0, 1]: cannot overflow
    return np.where(x >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def _division_first(got, expected, case):
    """Some entries are 1 / 1 + e^(-x) = 1 + e^(-x) (in the x < 0 branch of the stable form also
    e^x / 1 + e^x = 2 e^x), and every other entry is right: the division came before the addition."""
    value, x = _values(got), np.asarray(case.args[0], dtype=float)
    slipped = _close(value, 1 + np.exp(-x)) | ((x < 0) & _close(value, 2 * np.exp(np.minimum(x, 0))))
    right = _close(value, expected)
    return value.shape == x.shape and bool(np.all(slipped | right)) and bool(np.any(slipped & ~right))


def _mirrored(got, expected, case):
    """Every entry is sigma(-x), except inf/nan where exp of |x| > 709 overflowed on the way."""
    value, x = _values(got), np.asarray(case.args[0], dtype=float)
    finite = np.isfinite(value)
    mirror = _close(value, _sigmoid(-x))
    return (value.shape == x.shape and bool(np.all(mirror | (~finite & (np.abs(x) > 709))))
            and bool(np.any(mirror & finite & ~_close(value, expected))))


def _missing_parentheses_stable(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / 1 + e, e / 1 + e)


def _mirrored_stable(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, e / (1 + e), 1 / (1 + e))    # the two branches swapped


def _sigmoid_math_loop(v):
    return 1 / (1 + math.exp(-v))


def _stable_scalar(v):
    """sigma(v) for one Python float, without overflow."""
    e = math.exp(-abs(v))
    return 1 / (1 + e) if v >= 0 else e / (1 + e)


def _logit(v):
    return np.log(v) - np.log1p(-v)


def _saturates_early(got, expected, case):
    """Right near 0, but beyond some bound every entry on that side holds one value sigma(lo) (x < lo)
    or sigma(hi) (x > hi) instead of going on to 0 or 1: x was clipped to [lo, hi] before the formula."""
    value, x = _values(got), np.asarray(case.args[0], dtype=float)
    if value.shape != x.shape:
        return False
    wrong = ~_close(value, expected)
    bounds = []
    for side, default in ((x < 0, -np.inf), (x > 0, np.inf)):
        level = value[wrong & side]
        if level.size == 0:
            bounds.append(default)
            continue
        if not (np.all(_close(level, level[0])) and 0 < level[0] < 1):
            return False
        bounds.append(float(_logit(level[0])))
    lo, hi = bounds
    return (bool(wrong.any()) and lo < hi
            and bool(np.all(_close(value, _sigmoid(np.clip(x, lo, hi)), rtol=1e-7, atol=1e-12))))


def _one_branch_everywhere(got, expected, case):
    """Every entry is sigma(|x|), or every entry sigma(-|x|): one branch of the stable form, written with
    e = exp(-|x|), was used for every x, so one half of the axis comes out as 1 - sigma(x)."""
    value, x = _values(got), np.asarray(case.args[0], dtype=float)
    return (value.shape == x.shape and not bool(np.all(_close(value, expected)))
            and any(bool(np.all(_close(value, _sigmoid(s * np.abs(x))))) for s in (1, -1)))


def _only_positive_branch(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for i in np.ndindex(x.shape):
        e = math.exp(-abs(x[i]))
        out[i] = 1 / (1 + e)                          # the x >= 0 formula, also for x < 0
    return out


def _only_negative_branch(x):
    e = np.exp(-np.abs(x))
    return e / (1 + e)                                  # the x < 0 formula, also for x >= 0


def _clipped_stable(x):
    return _sigmoid(np.minimum(np.maximum(x, -15.0), 15.0))


def _clipped_loop(v):
    v = max(-8.0, min(v, 8.0))
    return 1 / (1 + math.exp(-v))


def _sigmoid_in_place(x):
    e = np.exp(-np.abs(x))
    np.divide(np.where(x >= 0, 1.0, e), 1 + e, out=x)   # the right values, written over the caller's x
    return x


def _sigmoid_in_place_loop(x):
    for i in np.ndindex(x.shape):
        x[i] = 1 / (1 + math.exp(-x[i])) if x[i] >= 0 else math.exp(x[i]) / (1 + math.exp(x[i]))
    return x


sigmoid = _OverflowExercise(
    LESSON, "2.2", "sigmoid", _sigmoid, _sigmoid_cases, compare=_compare_no_overflow, rtol=1e-9, atol=1e-12,
    mistakes=[
        _integer_mistake(_sigmoid),
        Mistake("missing_parentheses", "1 / 1 + e^(-x): the division is done before the addition",
                "put the whole denominator in parentheses: 1 / (1 + e^(-x))",
                impl=lambda x: 1 / 1 + np.exp(-x), witnesses=(_missing_parentheses_stable,),
                detect=_division_first),
        Mistake("wrong_sign", "sigma(-x), the sigmoid mirrored: a sign slip in the exponent (1 / (1 + e^x), "
                "e^(-x) / (1 + e^(-x))) or the two branches of the stable form swapped",
                "the sigmoid rises from 0 to 1: sigma(x) = 1 / (1 + e^(-x)), with a minus sign in the "
                "exponent; in the stable form, with e = e^(-|x|), the branch for x >= 0 is the one with 1 "
                "in the numerator (there sigma is near 1)",
                impl=lambda x: _sigmoid(-np.asarray(x, dtype=float)),
                witnesses=(lambda x: 1 / (1 + np.exp(x)), lambda x: np.exp(-x) / (1 + np.exp(-x)),
                           _mirrored_stable),
                detect=_mirrored),
        Mistake("one_branch_everywhere", "one branch of the stable form used for every x: sigma(|x|) "
                "(or sigma(-|x|)), wrong on the other half of the axis",
                "with e = e^(-|x|), 1 / (1 + e) is sigma(x) only for x >= 0 and e / (1 + e) only for "
                "x < 0: pick the formula by the sign of x (np.where, or a mask)",
                impl=lambda x: _sigmoid(np.abs(np.asarray(x, dtype=float))),
                witnesses=(_only_positive_branch, _only_negative_branch), detect=_one_branch_everywhere),
        _value_mistake("doubled_input", "sigma(2x) instead of sigma(x): the identity "
                       "sigma(x) = (1 + tanh(x / 2)) / 2 used without halving x",
                       "halve x inside the tanh: the sigmoid is tanh stretched horizontally by a factor 2 "
                       "(and moved to the range 0 to 1); sigma(2x) rises twice as steeply",
                       impl=lambda x: 0.5 * (1 + np.tanh(np.asarray(x, dtype=float))),
                       witnesses=(lambda x: np.exp(-np.logaddexp(0.0, -2.0 * x)),
                                  _entrywise(lambda v: (math.tanh(v) + 1) / 2))),
        Mistake("clipped_input", "x clipped to a bounded range before the formula (e.g. np.clip(x, -10, "
                "10)), so far from 0 the result stops at sigma(lo) or sigma(hi) instead of reaching 0 and 1",
                "do not clip x: exponentiate only -|x| (e = np.exp(-np.abs(x)), at most 1), which avoids the "
                "overflow and keeps the exact tails",
                impl=lambda x: 1 / (1 + np.exp(-np.clip(x, -10, 10))),
                witnesses=(_clipped_stable, _entrywise(_clipped_loop)), detect=_saturates_early),
        _flattened_mistake(lambda x: _sigmoid(x).ravel(),
                           (lambda x: np.array([_stable_scalar(v) for v in np.asarray(x).flat]),
                            lambda x: np.fromiter((float(_sigmoid(v)) for v in np.nditer(x)), float))),
        _in_place_mistake("x", "x[...] = ... or np.exp(x, out=x)", _sigmoid_in_place,
                          (_sigmoid_in_place_loop,)),
        _float32_mistake(_sigmoid_float32, (_sigmoid_tanh_float32,)),
        *_overflow_mistakes("1 / (1 + e^(-x))",
                            (_naive_ratio, _entrywise(lambda v: np.exp(v) / (1 + np.exp(v)))),
                            (_naive_sigmoid, _where_sigmoid, lambda x: 1 - 1 / (1 + np.exp(x))),
                            (_entrywise(_sigmoid_math_loop),
                             np.vectorize(lambda v: math.exp(v) / (1 + math.exp(v))))),
    ])


# --- 2.3 sigmoid_grad(x) ----------------------------------------------------------------------

def _sigmoid_grad(x):
    s = _sigmoid(x)
    return s * (1.0 - s)


def _grad_of_output_naive(x):
    s = 1 / (1 + np.exp(-x))
    t = 1 / (1 + np.exp(-s))             # the sigmoid applied to its own output
    return t * (1 - t)


def _grad_of_output_ratio(x):
    s = _sigmoid(x)
    return np.exp(-s) / (1 + np.exp(-s)) ** 2


def _grad_where(x):
    s = _where_sigmoid(x)
    return s * (1 - s)


def _grad_nan_from_ratio(x):
    s = np.exp(x) / (1 + np.exp(x))      # nan at x = 1000
    return s * (1 - s)


def _grad_float32(x):
    s = _sigmoid_float32(x)
    return s * (1 - s)


def _grad_float32_back(x):
    s = _sigmoid_tanh_float32(x).astype(np.float32)
    return (s - s * s).astype(float)


def _grad_math_loop(v):
    s = 1 / (1 + math.exp(-v))
    return s * (1 - s)


def _square_of_fraction(got, expected, case):
    """Every entry is (e / (1 + e))^2 for e = exp(-|x|), i.e. sigma(-|x|)^2, or for e = exp(-x), i.e.
    sigma(-x)^2 (inf/nan allowed where exp of |x| > 709 overflowed): the square went on the whole fraction."""
    value, x = _values(got), np.asarray(case.args[0], dtype=float)
    if value.shape != x.shape or not bool(np.any(np.isfinite(value) & ~_close(value, expected))):
        return False
    overflowed = ~np.isfinite(value) & (np.abs(x) > 709)
    return any(bool(np.all(_close(value, _sigmoid(z) ** 2) | overflowed)) for z in (-np.abs(x), -x))


def _grad_tanh_rule_loop(v):
    s = _stable_scalar(v)
    return (1 - s) * (1 + s)


def _grad_square_naive(x):
    e = np.exp(-x)
    return np.power(e / (1 + e), 2)          # nan at x = -1000 (inf / inf)


def _grad_in_place(x):
    x[...] = _sigmoid(x)
    x *= 1 - x
    return x


def _grad_in_place_out(x):
    s = np.divide(1.0, 1.0 + np.exp(-np.abs(x)))
    np.copyto(x, np.where(x >= 0, s, 1 - s))
    return x - x * x


sigmoid_grad = _OverflowExercise(
    LESSON, "2.3", "sigmoid_grad", _sigmoid_grad, _sigmoid_cases, compare=_compare_no_overflow,
    rtol=1e-9, atol=1e-12,
    mistakes=[
        _integer_mistake(_sigmoid_grad),
        _float32_mistake(_grad_float32, (_grad_float32_back,)),
        *_overflow_mistakes("sigma(x) (1 - sigma(x))",
                            (_naive_grad_ratio, lambda x: np.exp(x) / (1 + np.exp(x)) ** 2,
                             _grad_nan_from_ratio),
                            (_naive_grad, _grad_where,
                             lambda x: 1 / (1 + np.exp(-x)) - 1 / (1 + np.exp(-x)) ** 2),
                            (_entrywise(_grad_math_loop),
                             _entrywise(lambda v: math.exp(-v) / (1 + math.exp(-v)) ** 2))),
        _value_mistake("grad_of_output", "the derivative evaluated at sigma(x) instead of at x "
                       "(sigmoid_grad applied to the sigmoid's output again)",
                       "sigma'(x) = s (1 - s) with s = sigma(x): compute s once from x and use it; "
                       "do not feed s back into a function that applies the sigmoid again",
                       impl=lambda x: _sigmoid_grad(_sigmoid(x)),
                       witnesses=(_grad_of_output_naive, _grad_of_output_ratio)),
        _value_mistake("formula_on_input", "a (1 - a) computed with the input x in place of a = sigma(x)",
                       "the formula a (1 - a) needs the sigmoid's output: first s = sigma(x), "
                       "then s * (1 - s)",
                       impl=lambda x: np.asarray(x, dtype=float) * (1 - np.asarray(x, dtype=float)),
                       witnesses=(lambda x: x - x ** 2, _entrywise(lambda v: v * (1 - v)))),
        _value_mistake("not_differentiated", "sigma(x) itself, not its derivative",
                       "differentiate: sigma'(x) = sigma(x) (1 - sigma(x)), at most 1/4",
                       impl=_sigmoid, witnesses=(_naive_sigmoid, lambda x: 0.5 * (1 + np.tanh(x / 2)))),
        _value_mistake("tanh_rule", "1 - sigma(x)^2: the derivative rule of tanh (1 - tanh^2) used for the "
                       "sigmoid",
                       "each function has its own rule: for the sigmoid it is s (1 - s) with s = sigma(x); "
                       "1 - t^2 belongs to tanh",
                       impl=lambda x: 1 - _sigmoid(x) ** 2,
                       witnesses=(_entrywise(_grad_tanh_rule_loop),
                                  lambda x: 1 - np.square(0.5 * (1 + np.tanh(0.5 * x))))),
        _value_mistake("sigmoid_of_one_minus_x", "sigma(1 - x) written for 1 - sigma(x): the \"1 -\" went "
                       "inside the sigmoid",
                       "the second factor is one minus the sigmoid's value: compute s = sigma(x) once, then "
                       "multiply s by (1 - s)",
                       impl=lambda x: _sigmoid(x) * _sigmoid(1 - np.asarray(x, dtype=float)),
                       witnesses=(_entrywise(lambda v: _stable_scalar(v) * _stable_scalar(1 - v)),
                                  lambda x: np.exp(-np.logaddexp(0, -x) - np.logaddexp(0, x - 1)))),
        Mistake("square_of_fraction", "(e / (1 + e))^2: the square taken of the whole fraction instead of "
                "only the denominator, e / (1 + e)^2",
                "only the denominator is squared: close the parentheses so that the ** 2 applies to (1 + e) "
                "alone",
                impl=lambda x: _sigmoid(-np.abs(x)) ** 2,
                witnesses=(_entrywise(lambda v: (math.exp(-abs(v)) / (1 + math.exp(-abs(v)))) ** 2),
                           _grad_square_naive),
                detect=_square_of_fraction),
        _flattened_mistake(lambda x: _sigmoid_grad(x).flatten(),
                           (lambda x: np.array([_stable_scalar(v) * _stable_scalar(-v)
                                                for v in np.ravel(x)]),)),
        _in_place_mistake("x", "x[...] = sigma(x)", _grad_in_place, (_grad_in_place_out,)),
    ])


# --- 2.4 tanh_grad_from_output(t) -------------------------------------------------------------

def _tanh_grad_from_output(t):
    t = np.asarray(t, dtype=float)
    return 1.0 - t * t


def _tanh_cases(rng):
    return [
        Case((np.tanh(2 * rng.standard_normal(6)),), label="t = tanh(x) for random x"),
        Case((np.tanh(rng.standard_normal((3, 4))),), label="a 3x4 matrix of outputs"),
        Case((np.array([-0.999, -0.5, 0.0, 0.5, 0.999]),), label="outputs near -1, 0 and 1"),
    ]


def _t_loop(f):
    """``f`` applied entry by entry in a Python loop."""
    def looped(t):
        t = np.asarray(t, dtype=float)
        return np.array([f(v) for v in t.ravel()]).reshape(t.shape)
    return looped


def _tanh_in_place(t):
    np.subtract(1.0, t * t, out=t)
    return t


def _tanh_in_place_loop(t):
    for i in np.ndindex(t.shape):
        t[i] = (1 - t[i]) * (1 + t[i])
    return t


def _summed_squares(got, expected, case):
    """One number where t has several entries, and it is 1 minus the sum of t's squares."""
    t = np.asarray(case.args[0], dtype=float)
    try:
        value = np.asarray(_unwrap(got), dtype=float)
    except (TypeError, ValueError):
        return False
    return (t.size > 1 and value.size == 1
            and bool(np.isclose(float(value.ravel()[0]), 1 - float(np.sum(t * t)), rtol=1e-9, atol=1e-12)))


tanh_grad_from_output = Exercise(
    LESSON, "2.4", "tanh_grad_from_output", _tanh_grad_from_output, _tanh_cases, rtol=1e-9, atol=1e-12,
    mistakes=[
        Mistake("tanh_of_output", "1 - tanh(t)^2: tanh applied again to a value that already is tanh(x)",
                "t is the output tanh(x), not the input x: the derivative is 1 - t^2, with no further tanh",
                impl=lambda t: 1 - np.tanh(t) ** 2,
                witnesses=(lambda t: 1 / np.cosh(t) ** 2, lambda t: (1 - np.tanh(t)) * (1 + np.tanh(t)))),
        Mistake("missing_square", "1 - t instead of 1 - t^2",
                "tanh'(x) = 1 - tanh(x)^2: square the output",
                impl=lambda t: 1 - np.asarray(t, dtype=float),
                witnesses=(lambda t: np.subtract(1.0, t), _t_loop(lambda v: 1 - v))),
        Mistake("sigmoid_formula", "t (1 - t), the sigmoid's formula",
                "that formula belongs to the sigmoid; for tanh the derivative is 1 - t^2",
                impl=lambda t: np.asarray(t, dtype=float) * (1 - np.asarray(t, dtype=float)),
                witnesses=(lambda t: t - t ** 2, _t_loop(lambda v: v * (1 - v)))),
        Mistake("square_of_difference", "(1 - t)^2 instead of 1 - t^2",
                "square t first, then subtract from 1: 1 - t**2 (mind the operator precedence)",
                impl=lambda t: (1 - np.asarray(t, dtype=float)) ** 2,
                witnesses=(lambda t: (1 - t) * (1 - t), lambda t: 1 - 2 * t + t * t)),
        Mistake("caret_for_power", "t^2 written for the square: in Python ^ is the bitwise XOR, which "
                "floats do not have (TypeError)",
                "the power operator in Python is **: t ** 2 (or t * t)",
                impl=lambda t: 1 - t ^ 2,
                witnesses=(lambda t: 1 - (t ^ 2), lambda t: np.ones_like(t) - np.bitwise_xor(t, 2))),
        Mistake("sign_slip", "a sign slip: 1 + t^2 (or t^2 - 1) instead of 1 - t^2",
                "tanh'(x) = 1 - tanh(x)^2: t^2 is subtracted from 1, so the derivative lies between 0 and 1",
                impl=lambda t: 1 + np.asarray(t, dtype=float) ** 2,
                witnesses=(_t_loop(lambda v: v * v + 1), lambda t: np.square(t) - 1),
                detect=lambda got, exp, case: any(_same(got, f(np.asarray(case.args[0], dtype=float)),
                                                        1e-9, 1e-12)
                                                  for f in (lambda t: 1 + t * t, lambda t: t * t - 1))),
        Mistake("doubled_not_squared", "1 - 2t: t doubled instead of squared (t * 2 written for t ** 2)",
                "square t, t ** 2 (two stars) or t * t: the derivative is 1 - t^2",
                impl=lambda t: 1 - np.asarray(t, dtype=float) * 2,
                witnesses=(_t_loop(lambda v: 1 - (v + v)), lambda t: np.subtract(1, np.multiply(2, t)))),
        Mistake("squares_summed", "the squares of all entries summed into one number (t @ t, np.dot(t, t), "
                "np.sum(t ** 2)): 1 minus that sum instead of 1 - t^2 entry by entry",
                "square each entry on its own, element-wise: t ** 2 or t * t (not a dot or matrix product, "
                "and no sum), so that the result has t's shape",
                impl=lambda t: 1 - np.dot(np.asarray(t, dtype=float), np.asarray(t, dtype=float)),
                witnesses=(lambda t: 1.0 - float(np.sum(np.square(t))),
                           lambda t: 1 - np.linalg.norm(t) ** 2),
                detect=_summed_squares),
        _value_mistake("formula_on_input", "1 - x^2 with the input x = arctanh(t) instead of the output t: "
                       "the rule 1 - tanh(x)^2 lost its tanh",
                       "t already is tanh(x), the output: the derivative is 1 - t^2, with no arctanh and "
                       "no tanh",
                       impl=lambda t: 1 - np.arctanh(t) ** 2,
                       witnesses=(_t_loop(lambda v: 1 - (0.5 * math.log((1 + v) / (1 - v))) ** 2),)),
        _flattened_mistake(lambda t: _tanh_grad_from_output(t).reshape(-1),
                           (lambda t: np.array([1 - v * v for row in np.atleast_2d(t) for v in row]),)),
        _in_place_mistake("t", "t **= 2, or np.subtract(1, t * t, out=t)", _tanh_in_place,
                          (_tanh_in_place_loop,)),
    ])


# --- 2.5 relu_backward(dout, x) -------------------------------------------------------------

def _relu_backward(dout, x):
    return np.where(x > 0, dout, 0.0)


def _relu_cases(rng):
    x_zeros = rng.standard_normal((4, 5))
    x_zeros[rng.random((4, 5)) < 0.3] = 0.0
    return [
        Case((rng.standard_normal((5, 4)), rng.standard_normal((5, 4))), label="random x and dout"),
        Case((rng.standard_normal((4, 5)), x_zeros), label="x contains exact zeros"),
        Case((rng.standard_normal((2, 6)), rng.standard_normal((2, 6))), label="a 2x6 batch"),
    ]


def _backward_parts(got, case):
    """(answer, dout, x) as float arrays; raises (so that no mistake matches) when the shapes differ."""
    value = np.asarray(got, dtype=float)
    dout, x = np.asarray(case.args[0], dtype=float), np.asarray(case.args[1], dtype=float)
    if value.shape != x.shape:
        raise ValueError("shape")
    return value, dout, x


def _isclose(a, b):
    return np.isclose(a, b, rtol=1e-6, atol=1e-9)


def _slope_alone(slope):
    """The answer is the local slope itself where x != 0 (whatever it is at 0): dout never entered."""
    def detect(got, expected, case):
        value, dout, x = _backward_parts(got, case)
        off = x != 0
        return bool(off.any()) and bool(np.all(_isclose(value[off], slope(x, case)[off])))
    return detect


def _by_side(positive, *negatives):
    """Where x > 0 the answer is ``positive(dout, x, alpha)``, where x < 0 it is one of ``negatives`` on
    every such entry (x == 0 not looked at), and it is wrong somewhere with x != 0."""
    def detect(got, expected, case):
        value, dout, x = _backward_parts(got, case)
        a = _alpha(case)
        pos, neg, off = x > 0, x < 0, x != 0
        return (bool(neg.any()) and not bool(np.all(_isclose(value[off], np.asarray(expected)[off])))
                and bool(np.all(_isclose(value[pos], positive(dout, x, a)[pos])))
                and any(bool(np.all(_isclose(value[neg], f(dout, x, a)[neg]))) for f in negatives))
    return detect


def _passes_dout_at_zero(got, expected, case):
    """Right wherever x != 0; where x == 0 it passes dout unchanged (slope 1 at the kink)."""
    value, dout, x = _backward_parts(got, case)
    zero = x == 0
    return (bool(zero.any()) and bool(np.all(_isclose(value[~zero], np.asarray(expected)[~zero])))
            and bool(np.all(_isclose(value[zero], dout[zero]))))


def _relu_in_place(dout, x):
    dout[x <= 0] = 0.0
    return dout


def _relu_in_place_multiply(dout, x):
    dout *= x > 0
    return dout


def _relu_clips_x(dout, x):
    np.maximum(x, 0, out=x)              # x changed in place, although the result is right
    return dout * (x > 0)


def _relu_sign_loop(dout, x):
    out = np.zeros_like(dout)
    for i in np.ndindex(x.shape):
        if x[i] > 0:
            out[i] = dout[i]
        elif x[i] < 0:
            out[i] = -dout[i]
    return out


def _relu_flat_loop(dout, x):
    return np.array([d if v > 0 else 0.0 for d, v in zip(dout.ravel(), x.ravel())])


def _relu_one_at_zero_loop(dout, x):
    out = np.zeros_like(dout)
    for i in np.ndindex(x.shape):
        if not x[i] < 0:
            out[i] = dout[i]
    return out


_IN_PLACE_TITLE = ("an argument was written into (e.g. {example}), so the caller's dout or x is no longer "
                   "what it was")
_IN_PLACE_FIX = ("build a new array, e.g. with np.where(...) or dout * slope, and leave dout and x "
                 "as they came")

relu_backward = Exercise(
    LESSON, "2.5", "relu_backward", _relu_backward, _relu_cases,
    mistakes=[
        Mistake("dout_not_multiplied", "the local derivative 1[x > 0] alone, without the upstream gradient",
                "the chain rule multiplies: dx = dout * relu'(x), element by element",
                impl=lambda dout, x: (x > 0).astype(float),
                witnesses=(lambda dout, x: x > 0, lambda dout, x: np.heaviside(x, 1.0)),
                detect=_slope_alone(lambda x, case: (x > 0).astype(float))),
        Mistake("grad_one_at_zero", "ReLU'(0) taken as 1 (x >= 0 instead of x > 0)",
                "ReLU has no derivative at 0; nnlib, like PyTorch, uses 0 there, so pass dout only "
                "where x > 0",
                impl=lambda dout, x: dout * (x >= 0),
                witnesses=(lambda dout, x: np.where(x < 0, 0.0, dout), _relu_one_at_zero_loop),
                detect=_passes_dout_at_zero),
        Mistake("mask_from_dout", "the mask taken from dout instead of from x",
                "whether the unit was active depends on its input x (x > 0), not on the sign of the gradient",
                impl=lambda dout, x: dout * (dout > 0),
                witnesses=(lambda dout, x: np.maximum(dout, 0),
                           lambda dout, x: np.where(dout > 0, dout, 0.0))),
        Mistake("times_relu_output", "dout multiplied by relu(x) instead of by relu'(x)",
                "the backward pass needs the derivative, which is 1 where x > 0 and 0 elsewhere, "
                "not max(0, x)",
                impl=lambda dout, x: dout * np.maximum(x, 0),
                witnesses=(lambda dout, x: dout * np.where(x > 0, x, 0.0),
                           lambda dout, x: dout * x.clip(min=0))),
        Mistake("sign_of_x", "dout multiplied by sign(x): -dout where x < 0 instead of 0 (slope -1 there)",
                "ReLU is flat for x < 0, so its slope there is 0, not -1: pass dout only where x > 0 and "
                "0 elsewhere",
                impl=lambda dout, x: dout * np.sign(x),
                witnesses=(lambda dout, x: np.where(x > 0, dout, np.where(x < 0, -dout, 0.0)),
                           _relu_sign_loop),
                detect=_by_side(lambda dout, x, a: dout, lambda dout, x, a: -dout)),
        _flattened_mistake(lambda dout, x: np.where(x > 0, dout, 0.0).ravel(), (_relu_flat_loop,),
                           rtol=1e-6, atol=1e-9),
        Mistake("dout_modified_in_place", _IN_PLACE_TITLE.format(example="dout[x <= 0] = 0"), _IN_PLACE_FIX,
                impl=_relu_in_place, mutation=True, witnesses=(_relu_in_place_multiply, _relu_clips_x)),
    ])


# --- 2.6 leaky_relu_backward(dout, x, alpha) ------------------------------------------------

def _leaky_relu_backward(dout, x, alpha=0.01):
    slope = np.where(x > 0, 1.0, alpha)
    return dout * slope


def _leaky_cases(rng):
    x_zeros = rng.standard_normal((4, 5))
    x_zeros[rng.random((4, 5)) < 0.3] = 0.0
    return [
        Case((rng.standard_normal((5, 4)), rng.standard_normal((5, 4)), 0.01), label="alpha = 0.01"),
        Case((rng.standard_normal((4, 5)), x_zeros, 0.1), label="alpha = 0.1, x contains exact zeros"),
        Case((rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), 0.2), label="alpha = 0.2"),
    ]


def _alpha(case):
    return case.args[2] if len(case.args) > 2 else case.kwargs.get("alpha", 0.01)


def _negative_slope(slope):
    """Right for x > 0 (dout passes); for x < 0 the slope is ``slope(alpha, x)`` (x == 0 not looked at,
    so the mistake is named whichever side the learner put the kink on)."""
    def detect(got, expected, case):
        value, dout, x = _backward_parts(got, case)
        pos, neg = x > 0, x < 0
        return (bool(neg.any()) and bool(np.all(_isclose(value[pos], dout[pos])))
                and bool(np.all(_isclose(value[neg], dout[neg] * slope(_alpha(case), x[neg])))))
    return detect


def _leaky_loop(negative_slope, at_zero="alpha"):
    """A learner's loop: slope 1 for x > 0, ``negative_slope(alpha, x)`` below (and at 0 unless told)."""
    def looped(dout, x, alpha):
        out = np.empty_like(dout)
        for i in np.ndindex(x.shape):
            positive = x[i] > 0 or (at_zero == "one" and x[i] == 0)
            out[i] = dout[i] if positive else dout[i] * negative_slope(alpha, x[i])
        return out
    return looped


def _leaky_in_place(dout, x, alpha):
    dout[x <= 0] *= alpha
    return dout


def _leaky_in_place_out(dout, x, alpha):
    return np.multiply(dout, np.where(x > 0, 1.0, alpha), out=dout)


def _leaky_in_place_loop(dout, x, alpha):
    for i in np.ndindex(x.shape):
        if x[i] <= 0:
            dout[i] = alpha * dout[i]
    return dout


def _leaky_negative_alpha_loop(dout, x, alpha):
    out = np.array(dout, dtype=float)
    for i in np.ndindex(x.shape):
        if not x[i] > 0:
            out[i] = alpha                   # the slope, where the gradient alpha * dout belongs
    return out


def _leaky_swapped_loop(dout, x, alpha):
    out = np.empty_like(dout)
    for i in np.ndindex(x.shape):
        out[i] = alpha * dout[i] if x[i] > 0 else dout[i]
    return out


def _leaky_of_dout_where_active(dout, x, alpha):
    active = (x > 0) & (dout > 0)
    return dout * active + alpha * dout * ~active


def _leaky_flat_loop(dout, x, alpha):
    out = []
    for d, v in zip(dout.flat, x.flat):
        out.append(d if v > 0 else alpha * d)
    return np.array(out)


def _times_leaky_loop(dout, x, alpha):
    out = np.empty_like(dout)
    for i in np.ndindex(x.shape):
        forward = x[i] if x[i] > 0 else alpha * x[i]     # the leaky ReLU's value, not its slope
        out[i] = forward * dout[i]
    return out


def _slope_from_dout(got, expected, case):
    """Where x > 0 the answer is a leaky ReLU of dout (dout if dout > 0, alpha * dout if dout < 0), and
    there are such entries with dout < 0; where x < 0 it is alpha * dout throughout, or the leaky ReLU
    of dout throughout: the sign of dout took part in choosing the slope."""
    value, dout, x = _backward_parts(got, case)
    a = _alpha(case)
    leaky = np.where(dout > 0, dout, a * dout)
    pos, neg = x > 0, x < 0
    return (bool(np.any(pos & (dout < 0))) and bool(np.all(_isclose(value[pos], leaky[pos])))
            and any(bool(np.all(_isclose(value[neg], f[neg]))) for f in (a * dout, leaky)))


def _leaky_slope_default(dout, x, alpha):
    slope = np.ones_like(x)
    slope[x <= 0] = 0.01                 # the default, whatever alpha was passed
    return dout * slope


leaky_relu_backward = Exercise(
    LESSON, "2.6", "leaky_relu_backward", _leaky_relu_backward, _leaky_cases,
    mistakes=[
        Mistake("zero_slope_negative", "slope 0 for negative x (the plain ReLU's backward pass)",
                "a leaky ReLU is alpha * x for x <= 0, so its slope there is alpha, not 0",
                impl=lambda dout, x, alpha: dout * (x > 0),
                witnesses=(lambda dout, x, alpha: np.where(x >= 0, dout, 0.0),
                           _leaky_loop(lambda alpha, v: 0.0)),
                detect=_negative_slope(lambda alpha, x: 0.0)),
        Mistake("negative_alpha", "slope -alpha for negative x",
                "the function is alpha * x for x <= 0; its derivative is +alpha",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, 1.0, -alpha),
                witnesses=(_leaky_loop(lambda alpha, v: -alpha, at_zero="one"),),
                detect=_negative_slope(lambda alpha, x: -alpha)),
        Mistake("one_minus_alpha", "slope 1 - alpha for negative x",
                "the negative part is alpha * x, so its slope is alpha itself",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, 1.0, 1 - alpha),
                witnesses=(_leaky_loop(lambda alpha, v: 1 - alpha),),
                detect=_negative_slope(lambda alpha, x: 1 - alpha)),
        Mistake("alpha_times_x", "alpha * x (the forward value) used as the slope",
                "the slope of alpha * x is the constant alpha; the value x does not enter the derivative",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, 1.0, alpha * x),
                witnesses=(lambda dout, x, alpha: np.where(x > 0, dout, dout * alpha * x),
                           _leaky_loop(lambda alpha, v: alpha * v, at_zero="one")),
                detect=_negative_slope(lambda alpha, x: alpha * x)),
        Mistake("times_activation", "dout multiplied by the activation's output leaky(x) (x where x > 0, "
                "alpha * x elsewhere) instead of by its slope",
                "the backward pass needs the derivative of the leaky ReLU, 1 where x > 0 and alpha "
                "elsewhere, not its value: dx = dout * slope",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, x, alpha * x),
                witnesses=(lambda dout, x, alpha: dout * np.maximum(x, alpha * x), _times_leaky_loop),
                detect=_by_side(lambda dout, x, a: dout * x, lambda dout, x, a: a * x * dout)),
        Mistake("alpha_ignored", "the slope for x <= 0 is always 0.01, whatever alpha is passed",
                "use the argument alpha (0.01 is only its default): the slope for x <= 0 is alpha",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, 1.0, 0.01),
                witnesses=(_leaky_slope_default,),
                detect=lambda got, exp, case: (not np.isclose(_alpha(case), 0.01)
                                               and _negative_slope(lambda alpha, x: 0.01)(got, exp, case))),
        Mistake("dout_not_multiplied", "the local slope alone, without the upstream gradient",
                "multiply by dout: dx = dout * slope, element by element",
                impl=lambda dout, x, alpha: np.where(x > 0, 1.0, alpha),
                witnesses=(lambda dout, x, alpha: np.where(x >= 0, 1.0, alpha),
                           lambda dout, x, alpha: (x > 0) + alpha * (x <= 0)),
                detect=_slope_alone(lambda x, case: np.where(x > 0, 1.0, _alpha(case)))),
        Mistake("slope_one_at_zero", "slope 1 at x == 0 (x >= 0 instead of x > 0)",
                "at x == 0 nnlib, like PyTorch, uses the negative side's slope alpha: slope 1 only "
                "where x > 0",
                impl=lambda dout, x, alpha: dout * np.where(x >= 0, 1.0, alpha),
                witnesses=(lambda dout, x, alpha: np.where(x < 0, alpha * dout, dout),
                           _leaky_loop(lambda alpha, v: alpha, at_zero="one")),
                detect=_passes_dout_at_zero),
        Mistake("negative_side_without_dout", "dout left out on the x <= 0 side: there the result is alpha "
                "(the slope alone) or alpha * x (the forward value) instead of alpha * dout",
                "the chain rule holds on both sides: dx = dout * slope, with slope alpha where x <= 0, so "
                "the x <= 0 entries are alpha times dout",
                impl=lambda dout, x, alpha: np.where(x > 0, dout, alpha),
                witnesses=(_leaky_negative_alpha_loop,
                           lambda dout, x, alpha: dout * (x > 0) + alpha * x * (x <= 0)),
                detect=_by_side(lambda dout, x, a: dout, lambda dout, x, a: np.full_like(x, a),
                                lambda dout, x, a: a * x)),
        Mistake("slopes_swapped", "the two slopes swapped: alpha where x > 0 and 1 where x <= 0",
                "where the unit is active (x > 0) the leaky ReLU is x itself, slope 1; alpha is the slope "
                "of the x <= 0 side",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, alpha, 1.0),
                witnesses=(lambda dout, x, alpha: np.where(x <= 0, dout, alpha * dout), _leaky_swapped_loop),
                detect=_by_side(lambda dout, x, a: a * dout, lambda dout, x, a: dout)),
        Mistake("slope_from_dout", "the sign of dout took part in choosing the slope: where x > 0 but "
                "dout < 0 the gradient was scaled by alpha (a leaky ReLU applied to dout)",
                "the slope depends on the input x only: 1 where x > 0 and alpha elsewhere, whatever the "
                "sign of dout; then multiply dout by it",
                impl=lambda dout, x, alpha: dout * np.where((x > 0) & (dout >= 0), 1.0, alpha),
                witnesses=(_leaky_of_dout_where_active,
                           lambda dout, x, alpha: np.where(dout > 0, dout, alpha * dout)),
                detect=_slope_from_dout),
        _flattened_mistake(lambda dout, x, alpha: (dout * np.where(x > 0, 1.0, alpha)).flatten(),
                           (_leaky_flat_loop,), rtol=1e-6, atol=1e-9),
        Mistake("dout_modified_in_place", _IN_PLACE_TITLE.format(example="dout[x <= 0] *= alpha"),
                _IN_PLACE_FIX, impl=_leaky_in_place, mutation=True,
                witnesses=(_leaky_in_place_out, _leaky_in_place_loop)),
    ])




# --- 2.8 leaky_relu_mean_grad(mean, spread, alpha) -------------------------------------------

def _Phi(x):
    """The standard normal distribution function."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _leaky_relu_mean_grad(mean, spread, alpha=0.01):
    p_on = _Phi(mean / spread)                       # P(z > 0) for z ~ N(mean, spread^2)
    return alpha + (1.0 - alpha) * p_on              # 1 * P(z > 0) + alpha * P(z <= 0)


def _mean_grad_cases(rng):
    # Fixed values, chosen so that every catalogued mistake is at least 0.015 from the answer and
    # 5e-4 from every other mistake on every case (spread 2 would make erf-without-sqrt(2) and
    # spread-as-variance coincide; alpha 0 would merge the alpha mistakes).
    return [Case((0.5, 2.5, 0.1), label="mean 0.5, spread 2.5, alpha 0.1"),
            Case((-0.6, 1.5, 0.2), label="mean -0.6, spread 1.5, alpha 0.2"),
            Case((1.2, 3.0, 0.05), label="mean 1.2, spread 3.0, alpha 0.05")]


def _with_p_on(p_on):
    """The right combination of the two slopes, with P(z > 0) computed by ``p_on(mean, spread)``."""
    return lambda mean, spread, alpha: alpha + (1 - alpha) * p_on(mean, spread)


def _normal(mean, sd):
    return statistics.NormalDist(mean, sd)


def _sampled(n, seed):
    def estimate(mean, spread, alpha):
        z = mean + spread * np.random.default_rng(seed).standard_normal(n)
        return float(np.mean(np.where(z > 0, 1.0, alpha)))
    return estimate


def _leaky_mean_grad_loop(mean, spread, alpha):
    total = 0.0
    for slope, p in ((1.0, 1 - _normal(mean, spread).cdf(0.0)), (alpha, _normal(mean, spread).cdf(0.0))):
        total += slope * p
    return total


_STANDARDIZE_FIX = ("spread is the standard deviation s: standardize with (z - mean) / spread, so that "
                    "P(z > 0) = Φ(mean / spread)")

_MEAN_GRAD_MISTAKES = [
    _value_mistake("probabilities_swapped", "the slope 1 weighted by P(z <= 0) and alpha by P(z > 0): the "
                   "two probabilities swapped",
                   "the unit passes the whole gradient (slope 1) where z > 0, which has probability "
                   "Φ(mean / spread); alpha is the slope where z <= 0",
                   _with_p_on(lambda m, s: _Phi(-m / s)),
                   witnesses=(lambda m, s, a: a * _Phi(m / s) + (1 - _Phi(m / s)),
                              _with_p_on(lambda m, s: _normal(m, s).cdf(0.0)))),
    _value_mistake("alpha_ignored", "the plain ReLU's mean factor P(z > 0): the leak alpha is missing",
                   "add the leak: where z <= 0, which has probability 1 - Φ(mean / spread), the slope is "
                   "alpha, not 0",
                   lambda m, s, a: _Phi(m / s),
                   witnesses=(lambda m, s, a: 1 - _normal(m, s).cdf(0.0),
                              lambda m, s, a: 0.5 * math.erfc(-m / (s * math.sqrt(2))))),
    _value_mistake("leak_in_full", "alpha added in full, as if every unit had the slope alpha on top",
                   "alpha is the slope only where z <= 0: weight it by P(z <= 0) = 1 - Φ(mean / spread)",
                   lambda m, s, a: a + _Phi(m / s),
                   witnesses=(lambda m, s, a: (1 - _normal(m, s).cdf(0.0)) + a,)),
    _value_mistake("leak_weighted_by_on", "alpha weighted by P(z > 0), the probability that the unit is on",
                   "the slope alpha applies where the unit is off, z <= 0: weight it by "
                   "1 - Φ(mean / spread)",
                   lambda m, s, a: (1 + a) * _Phi(m / s),
                   witnesses=(lambda m, s, a: _Phi(m / s) + a * (1 - _normal(m, s).cdf(0.0)),)),
    _value_mistake("erf_without_sqrt2", "Φ(x) computed as (1 + erf(x)) / 2, without the √2",
                   "the standard normal distribution function is Φ(x) = (1 + erf(x / √2)) / 2",
                   _with_p_on(lambda m, s: 0.5 * (1 + math.erf(m / s))),
                   witnesses=(_with_p_on(lambda m, s: 0.5 * math.erfc(-m / s)),)),
    _value_mistake("spread_as_variance", "spread used as the variance: the mean divided by √spread",
                   _STANDARDIZE_FIX,
                   _with_p_on(lambda m, s: _Phi(m / math.sqrt(s))),
                   witnesses=(_with_p_on(lambda m, s: 1 - _normal(m, math.sqrt(s)).cdf(0.0)),)),
    _value_mistake("divided_by_variance", "the mean divided by spread², the variance, instead of by the "
                   "standard deviation", _STANDARDIZE_FIX,
                   _with_p_on(lambda m, s: _Phi(m / s ** 2)),
                   witnesses=(_with_p_on(lambda m, s: 1 - _normal(m, s * s).cdf(0.0)),)),
    _value_mistake("spread_ignored", "the spread left out: P(z > 0) computed as if spread were 1",
                   "P(z > 0) = Φ(mean / spread): the spread decides how much of the Gaussian lies above 0",
                   _with_p_on(lambda m, s: _Phi(m)),
                   witnesses=(_with_p_on(lambda m, s: 1 - _normal(m, 1.0).cdf(0.0)),)),
    _value_mistake("density_for_probability", "the density φ used where the probability Φ belongs",
                   "P(z > 0) is a probability: the standard normal distribution function Φ(mean / spread), "
                   "not its density φ",
                   _with_p_on(lambda m, s: math.exp(-0.5 * (m / s) ** 2) / math.sqrt(2 * math.pi)),
                   witnesses=(_with_p_on(lambda m, s: statistics.NormalDist().pdf(m / s)),)),
]


def _close_but_not_exact(got, expected, case):
    """Within 0.012 of the answer (a sampling error of a few 1/sqrt(n)), but not equal to it nor to any
    catalogued mistake: an estimate, e.g. from random samples. The catalogued mistakes are all at least
    0.015 from the answer on every case."""
    try:
        value = float(np.asarray(got, dtype=float))
    except (TypeError, ValueError):
        return False
    others = [m.impl(*case.args) for m in _MEAN_GRAD_MISTAKES]
    return (0 < abs(value - expected) <= 0.012 and not np.isclose(value, expected, rtol=1e-7, atol=1e-12)
            and not any(np.isclose(value, v, rtol=1e-9, atol=1e-12) for v in others))


leaky_relu_mean_grad = Exercise(
    LESSON, "2.8", "leaky_relu_mean_grad", _leaky_relu_mean_grad, _mean_grad_cases, rtol=1e-7, atol=1e-12,
    mistakes=[
        *_MEAN_GRAD_MISTAKES,
        Mistake("sampled", "an estimate from random samples: close, but not the exact value",
                "compute it exactly with the normal distribution function Φ (math.erf); an average over n "
                "samples is off by about 1/√n",
                impl=_sampled(100_000, 0), witnesses=(_sampled(20_000, 1), _sampled(10_000, 2)),
                detect=_close_but_not_exact),
    ])


EXERCISES = [collapse_linear, sigmoid, sigmoid_grad, tanh_grad_from_output, relu_backward,
             leaky_relu_backward, leaky_relu_mean_grad]
