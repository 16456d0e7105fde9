"""Checks for lesson 02 (activation functions: why a nonlinearity, sigmoid, tanh, ReLU, leaky ReLU).

Use in a notebook: ``from course.checks import lesson02 as check`` then
``check.sigmoid(sigmoid)``.

The sigmoid checks also watch for overflow: a function that computes ``np.exp`` of a
large positive number gets ``inf`` (and NumPy warns "overflow encountered in exp") even
when the final value happens to come out right, so it fails with that diagnosis.
"""
from __future__ import annotations

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


def _value_mistake(key, title, fix, impl):
    """A mistake recognised by its values, also when the learner's version overflowed on the way."""
    return Mistake(key, title, fix, impl=impl, detect=_like(impl))


def _non_finite_where_exp_overflows(got, expected, case):
    """The answer overflowed and is inf/nan exactly where |x| is beyond exp's range (about 709)."""
    if not isinstance(got, _Overflowed):
        return False
    bad = ~np.isfinite(np.asarray(got.value, dtype=float))
    x = np.asarray(case.args[0], dtype=float)
    return bad.shape == x.shape and bool(bad.any()) and bool(np.all(np.abs(x[bad]) > 709))


def _overflow_mistakes(formula, nan_impl, warn_impl):
    """The two overflow mistakes, in the order that diagnoses each as itself; the impls reproduce them."""
    return [
        Mistake("overflow_nan", "np.exp of a large positive number gave inf, which made the result "
                "inf or nan",
                "never exponentiate a large positive number: use e = np.exp(-np.abs(x)), which is at most 1, "
                f"and write {formula} in terms of e, separately for x >= 0 and x < 0",
                impl=nan_impl, detect=_non_finite_where_exp_overflows),
        Mistake("exp_overflow", "np.exp overflowed to inf for large |x| (the result only came out right "
                "by luck, with a RuntimeWarning)",
                "exponentiate only -|x|: e = np.exp(-np.abs(x)). Note that np.where(cond, a, b) computes "
                "both a and b for every entry, so a formula that overflows in the unused branch still "
                "overflows",
                impl=warn_impl,
                detect=lambda got, exp, case: (isinstance(got, _Overflowed)
                                               and _same(got.value, exp, 1e-9, 1e-12))),
    ]


def _sigmoid_cases(rng):
    return [
        Case((np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0]),), label="x includes -1000 and 1000"),
        Case((3 * rng.standard_normal((3, 4)),), label="a 3x4 matrix"),
        Case((np.linspace(-800.0, 800.0, 9),), label="large |x| everywhere"),
    ]


def _naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))          # exp(1000) = inf, then 1 / inf = 0: right value, with a warning


def _naive_ratio(x):
    return np.exp(x) / (1 + np.exp(x))   # inf / inf = nan at x = 1000


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
    cases = []
    for D, H, C in [(3, 4, 2), (2, 5, 3), (3, 3, 3)]:
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


collapse_linear = Exercise(
    LESSON, "2.1", "collapse_linear", _collapse_linear, _collapse_cases, compare=_compare_pair,
    mistakes=[
        Mistake("W_order", "the product taken as W2 @ W1",
                "rows are examples in nnlib (X @ W1 first, then @ W2), so the single matrix is W1 times W2, "
                "in that order; its shape is (D, C)",
                impl=lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2)),
        Mistake("bias_not_through_W2", "b1 added to b2 directly, without passing through W2",
                "the first layer's bias goes through the second layer's weights like everything else: "
                "(X W1 + b1) W2 + b2, so the combined bias is b1 @ W2, plus b2",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2)),
        Mistake("bias_missing_b2", "the second layer's bias b2 was left out",
                "expand (X W1 + b1) W2 + b2: the constant part is b1 @ W2 plus b2",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2)),
        Mistake("bias_only_b2", "the first layer's bias b1 was dropped (b = b2)",
                "b1 still reaches the output, scaled by W2: the combined bias is b1 @ W2 plus b2",
                impl=lambda W1, b1, W2, b2: (W1 @ W2, b2)),
        Mistake("W_transposed", "W returned transposed, shape (C, D)",
                "nnlib computes X @ W with X of shape (N, D), so W must have shape (D, C): W1 @ W2, "
                "not its transpose",
                impl=lambda W1, b1, W2, b2: ((W1 @ W2).T, b1 @ W2 + b2)),
    ])


# --- 2.2 sigmoid(x) ---------------------------------------------------------------------------

def _sigmoid(x):
    x = np.asarray(x, dtype=float)
    small = np.exp(-np.abs(x))                       # in (0, 1]: cannot overflow
    return np.where(x >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


sigmoid = _OverflowExercise(
    LESSON, "2.2", "sigmoid", _sigmoid, _sigmoid_cases, compare=_compare_no_overflow, rtol=1e-9, atol=1e-12,
    mistakes=[
        _value_mistake("missing_parentheses", "1 / 1 + e^(-x): the division is done before the addition",
                       "put the whole denominator in parentheses: 1 / (1 + e^(-x))",
                       impl=lambda x: 1 / 1 + np.exp(-x)),
        *_overflow_mistakes("1 / (1 + e^(-x))", _naive_ratio, _naive_sigmoid),
        _value_mistake("wrong_sign", "1 / (1 + e^x) (or e^(-x) / (1 + e^(-x))), which is sigma(-x): "
                       "the sigmoid mirrored",
                       "the sigmoid rises from 0 to 1: sigma(x) = 1 / (1 + e^(-x)), with a minus sign "
                       "in the exponent",
                       impl=lambda x: _sigmoid(-np.asarray(x, dtype=float))),
    ])


# --- 2.3 sigmoid_grad(x) ----------------------------------------------------------------------

def _sigmoid_grad(x):
    s = _sigmoid(x)
    return s * (1.0 - s)


sigmoid_grad = _OverflowExercise(
    LESSON, "2.3", "sigmoid_grad", _sigmoid_grad, _sigmoid_cases, compare=_compare_no_overflow,
    rtol=1e-9, atol=1e-12,
    mistakes=[
        *_overflow_mistakes("sigma(x) (1 - sigma(x))", _naive_grad_ratio, _naive_grad),
        _value_mistake("grad_of_output", "the derivative evaluated at sigma(x) instead of at x "
                       "(sigmoid_grad applied to the sigmoid's output again)",
                       "sigma'(x) = s (1 - s) with s = sigma(x): compute s once from x and use it; "
                       "do not feed s back into a function that applies the sigmoid again",
                       impl=lambda x: _sigmoid_grad(_sigmoid(x))),
        _value_mistake("formula_on_input", "a (1 - a) computed with the input x in place of a = sigma(x)",
                       "the formula a (1 - a) needs the sigmoid's output: first s = sigma(x), "
                       "then s * (1 - s)",
                       impl=lambda x: np.asarray(x, dtype=float) * (1 - np.asarray(x, dtype=float))),
        _value_mistake("not_differentiated", "sigma(x) itself, not its derivative",
                       "differentiate: sigma'(x) = sigma(x) (1 - sigma(x)), at most 1/4",
                       impl=_sigmoid),
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


tanh_grad_from_output = Exercise(
    LESSON, "2.4", "tanh_grad_from_output", _tanh_grad_from_output, _tanh_cases, rtol=1e-9, atol=1e-12,
    mistakes=[
        Mistake("tanh_of_output", "1 - tanh(t)^2: tanh applied again to a value that already is tanh(x)",
                "t is the output tanh(x), not the input x: the derivative is 1 - t^2, with no further tanh",
                impl=lambda t: 1 - np.tanh(t) ** 2),
        Mistake("missing_square", "1 - t instead of 1 - t^2",
                "tanh'(x) = 1 - tanh(x)^2: square the output",
                impl=lambda t: 1 - np.asarray(t, dtype=float)),
        Mistake("sigmoid_formula", "t (1 - t), the sigmoid's formula",
                "that formula belongs to the sigmoid; for tanh the derivative is 1 - t^2",
                impl=lambda t: np.asarray(t, dtype=float) * (1 - np.asarray(t, dtype=float))),
        Mistake("square_of_difference", "(1 - t)^2 instead of 1 - t^2",
                "square t first, then subtract from 1: 1 - t**2 (mind the operator precedence)",
                impl=lambda t: (1 - np.asarray(t, dtype=float)) ** 2),
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


def _relu_in_place(dout, x):
    dout[x <= 0] = 0.0
    return dout


relu_backward = Exercise(
    LESSON, "2.5", "relu_backward", _relu_backward, _relu_cases,
    mistakes=[
        Mistake("dout_not_multiplied", "the local derivative 1[x > 0] alone, without the upstream gradient",
                "the chain rule multiplies: dx = dout * relu'(x), element by element",
                impl=lambda dout, x: (x > 0).astype(float)),
        Mistake("grad_one_at_zero", "ReLU'(0) taken as 1 (x >= 0 instead of x > 0)",
                "ReLU has no derivative at 0; nnlib, like PyTorch, uses 0 there, so pass dout only "
                "where x > 0",
                impl=lambda dout, x: dout * (x >= 0)),
        Mistake("mask_from_dout", "the mask taken from dout instead of from x",
                "whether the unit was active depends on its input x (x > 0), not on the sign of the gradient",
                impl=lambda dout, x: dout * (dout > 0)),
        Mistake("times_relu_output", "dout multiplied by relu(x) instead of by relu'(x)",
                "the backward pass needs the derivative, which is 1 where x > 0 and 0 elsewhere, "
                "not max(0, x)",
                impl=lambda dout, x: dout * np.maximum(x, 0)),
        Mistake("dout_modified_in_place", "dout was changed in place (dout[x <= 0] = 0)",
                "build a new array, e.g. with np.where(...) or dout * mask, and leave dout as it came",
                impl=_relu_in_place, mutation=True),
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


leaky_relu_backward = Exercise(
    LESSON, "2.6", "leaky_relu_backward", _leaky_relu_backward, _leaky_cases,
    mistakes=[
        Mistake("zero_slope_negative", "slope 0 for negative x (the plain ReLU's backward pass)",
                "a leaky ReLU is alpha * x for x <= 0, so its slope there is alpha, not 0",
                impl=lambda dout, x, alpha: dout * (x > 0)),
        Mistake("negative_alpha", "slope -alpha for negative x",
                "the function is alpha * x for x <= 0; its derivative is +alpha",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, 1.0, -alpha)),
        Mistake("one_minus_alpha", "slope 1 - alpha for negative x",
                "the negative part is alpha * x, so its slope is alpha itself",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, 1.0, 1 - alpha)),
        Mistake("alpha_times_x", "alpha * x (the forward value) used as the slope",
                "the slope of alpha * x is the constant alpha; the value x does not enter the derivative",
                impl=lambda dout, x, alpha: dout * np.where(x > 0, 1.0, alpha * x)),
        Mistake("dout_not_multiplied", "the local slope alone, without the upstream gradient",
                "multiply by dout: dx = dout * slope, element by element",
                impl=lambda dout, x, alpha: np.where(x > 0, 1.0, alpha)),
        Mistake("slope_one_at_zero", "slope 1 at x == 0 (x >= 0 instead of x > 0)",
                "at x == 0 nnlib, like PyTorch, uses the negative side's slope alpha: slope 1 only "
                "where x > 0",
                impl=lambda dout, x, alpha: dout * np.where(x >= 0, 1.0, alpha)),
    ])


EXERCISES = [collapse_linear, sigmoid, sigmoid_grad, tanh_grad_from_output, relu_backward,
             leaky_relu_backward]
