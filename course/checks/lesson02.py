"""Checks for lesson 02 (activation functions: why a nonlinearity, sigmoid, tanh, ReLU, leaky ReLU).

Use in a notebook: ``from course.checks import lesson02 as check`` then
``check.sigmoid(sigmoid)``.

The sigmoid checks also watch for overflow: a function that computes ``np.exp`` of a
large positive number gets ``inf`` (and NumPy warns "overflow encountered in exp") even
when the final value happens to come out right, so it fails with that diagnosis.
"""
from __future__ import annotations

import math

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
    """Detect ``impl``'s output in an answer, whether or not computing the answer overflowed."""
    return lambda got, expected, case: _same(_unwrap(got), impl(*case.args), 1e-9, 1e-12)


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


def _sigmoid_cases(rng):
    return [
        Case((np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0]),), label="x includes -1000 and 1000"),
        Case((3 * rng.standard_normal((3, 4)),), label="a 3x4 matrix"),
        Case((np.linspace(-800.0, 800.0, 9),), label="large |x| everywhere"),
    ]


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


sigmoid = _OverflowExercise(
    LESSON, "2.2", "sigmoid", _sigmoid, _sigmoid_cases, compare=_compare_no_overflow, rtol=1e-9, atol=1e-12,
    mistakes=[
        Mistake("missing_parentheses", "1 / 1 + e^(-x): the division is done before the addition",
                "put the whole denominator in parentheses: 1 / (1 + e^(-x))",
                impl=lambda x: 1 / 1 + np.exp(-x), witnesses=(_missing_parentheses_stable,),
                detect=_division_first),
        Mistake("wrong_sign", "1 / (1 + e^x) (or e^(-x) / (1 + e^(-x))), which is sigma(-x): "
                "the sigmoid mirrored",
                "the sigmoid rises from 0 to 1: sigma(x) = 1 / (1 + e^(-x)), with a minus sign "
                "in the exponent",
                impl=lambda x: _sigmoid(-np.asarray(x, dtype=float)),
                witnesses=(lambda x: 1 / (1 + np.exp(x)), lambda x: np.exp(-x) / (1 + np.exp(-x)),
                           _mirrored_stable),
                detect=_mirrored),
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


sigmoid_grad = _OverflowExercise(
    LESSON, "2.3", "sigmoid_grad", _sigmoid_grad, _sigmoid_cases, compare=_compare_no_overflow,
    rtol=1e-9, atol=1e-12,
    mistakes=[
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
        Mistake("dout_modified_in_place", _IN_PLACE_TITLE.format(example="dout[x <= 0] *= alpha"),
                _IN_PLACE_FIX, impl=_leaky_in_place, mutation=True,
                witnesses=(_leaky_in_place_out, _leaky_in_place_loop)),
    ])


EXERCISES = [collapse_linear, sigmoid, sigmoid_grad, tanh_grad_from_output, relu_backward,
             leaky_relu_backward]
