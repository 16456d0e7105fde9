"""Checks for lesson 00 (getting started: forward, backward, gradient checking).

Use in a notebook: ``from course.checks import lesson00 as check`` then
``check.numerical_gradient(numerical_gradient)``.

Mistakes are named by their effect on the output (a ratio to the reference, an error that follows
the curvature, which denominator the value implies, what the learner's model holds afterwards), so
that every way of writing one mistake gets its name; each entry lists more than one way in ``witnesses``.
"""
from __future__ import annotations

import copy
import itertools

import numpy as np

import nnlib as nn

from ._framework import Case, Exercise, Failure, Mistake, compare_array

LESSON = "00-getting-started"


def _array_like(got, expected):
    """``got`` as a float array of ``expected``'s shape, or None (a string, a wrong shape, ...)."""
    if got is None or isinstance(got, (str, bytes)):
        return None
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr if arr.shape == np.shape(expected) and np.all(np.isfinite(arr)) else None


# --- 0.1 numerical_gradient(f, x, h) -------------------------------------------------

def _centred(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


def _forward_difference(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    f0, grad = f(x), np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - f0) / h
        x[i] = old
    return grad


def _backward_difference_basis(f, x, h=1e-5):
    """(f(x) - f(x - h e_i)) / h with a basis array e_i, no in-place change of x."""
    x = np.asarray(x, dtype=float)
    grad = np.empty(x.shape)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        grad.flat[i] = (f(x) - f(x - e.reshape(x.shape))) / h
    return grad


def _divide_by_h(f, x, h=1e-5):
    return 2 * _centred(f, x, h)


def _divide_by_h_basis(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros(x.size)
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = h
        grad[i] = (f(x + e.reshape(x.shape)) - f(x - e.reshape(x.shape))) / h
    return grad.reshape(x.shape)


def _precedence(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / 2 * h
    return grad


def _precedence_flat(f, x, h=1e-5):
    flat = np.array(x, dtype=float).ravel()
    grad = []
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += h
        minus[i] -= h
        grad.append((f(plus.reshape(np.shape(x))) - f(minus.reshape(np.shape(x)))) / 2 * h)
    return np.array(grad).reshape(np.shape(x))


def _all_at_once(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


def _all_at_once_loop(f, x, h=1e-5):
    grad = np.zeros(np.shape(x))
    for i in np.ndindex(grad.shape):
        grad[i] = (f(x + h * np.ones_like(x)) - f(x - h * np.ones_like(x))) / (2 * h)
    return grad


def _not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        grad[i] = (fp - f(x)) / (2 * h)
    return grad


def _not_restored_flat(f, x, h=1e-5):
    flat, grad = x.reshape(-1), np.zeros(x.size)     # a view: changes reach the caller's x
    for i in range(flat.size):
        flat[i] += h
        fp = f(x)
        flat[i] -= 2 * h
        grad[i] = (fp - f(x)) / (2 * h)
        flat[i] += h / 2                             # put back, but not to the old value
    return grad.reshape(x.shape)


def _second_differences(f, x, h):
    """(f(x + h e_i) - 2 f(x) + f(x - h e_i)) / h^2 for every entry: the curvature along e_i."""
    x = np.array(x, dtype=float)
    f0, d2 = f(x.copy()), np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x.copy())
        x[i] = old - h
        fm = f(x.copy())
        x[i] = old
        d2[i] = (fp - 2 * f0 + fm) / h ** 2
    return d2


def _one_sided_effect(got, expected, case):
    """A one-sided difference with step h differs from the centred one with step h by exactly h/2 times
    the second difference, forwards or backwards: |got - centred| = h/2 |f''| entry by entry. The step
    is the case's h or the default 1e-5 (h ignored); the reference's O(h^2) error is far below that."""
    g = _array_like(got, expected)
    if g is None:
        return False
    f, x = case.args
    error, scale = np.abs(g - expected), 1e-9 * (1 + np.max(np.abs(expected)))
    for h in {case.kwargs.get("h", 1e-5), 1e-5}:
        curvature = h / 2 * np.abs(_second_differences(f, x, h))
        if np.max(error) > scale and np.allclose(error, curvature, rtol=1e-3, atol=scale):
            return True
    return False


def _times(factor):
    """detect: the learner's gradient is ``factor(h)`` times the right one, entry by entry."""
    def detect(got, expected, case):
        g = _array_like(got, expected)
        k = factor(case.kwargs.get("h", 1e-5))
        return g is not None and bool(np.allclose(g, k * expected, rtol=1e-6, atol=1e-12 * k)
                                      and not np.allclose(g, expected, rtol=1e-6))
    return detect


def _all_at_once_effect(got, expected, case):
    """Perturbing several entries at once gives, in each of them, the slope along the direction that
    moved them all: the partial derivatives summed over what was perturbed. All of x: sum(grad) in
    every entry; a whole row x[i] of a matrix (or a column): the sum over that row (or column)."""
    g = _array_like(got, expected)
    if g is None or g.size < 2 or np.allclose(g, expected, rtol=1e-6):
        return False
    dims = range(np.ndim(expected))
    together = [tuple(dims)] + [tuple(k for k in dims if k != axis) for axis in dims if len(dims) > 1]
    return any(np.allclose(g, np.broadcast_to(np.sum(expected, axis=axes, keepdims=True), g.shape),
                           rtol=1e-4, atol=1e-9) for axes in together)


def _rows_at_once(f, x, h=1e-5):
    """range(len(x)) and a step array e with e[i] = h: for a matrix e[i] is a whole row."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros(x.shape)
    for i in range(len(x)):
        e = np.zeros(x.shape)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def _columns_at_once(f, x, h=1e-5):
    """One column x[..., j] at a time, in place and put back: for a matrix, whole columns move."""
    x = np.array(x, dtype=float)
    grad = np.empty_like(x)
    for j in range(x.shape[-1]):
        old = x[..., j].copy()
        x[..., j] = old + h
        fp = f(x)
        x[..., j] = old - h
        fm = f(x)
        x[..., j] = old
        grad[..., j] = (fp - fm) / (2 * h)
    return grad


def _flat_effect(got, expected, case):
    """The right values, flattened: shape (x.size,) for an x with more than one axis."""
    if np.ndim(expected) < 2 or got is None or isinstance(got, (str, bytes)):
        return False
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return g.shape == (expected.size,) and bool(np.allclose(g, np.ravel(expected), rtol=1e-6, atol=1e-9))


def _flat_list(f, x, h=1e-5):
    return np.array([(f(x + h * e.reshape(x.shape)) - f(x - h * e.reshape(x.shape))) / (2 * h)
                     for e in np.eye(x.size)])


def _flat_ravel(f, x, h=1e-5):
    return _centred(f, x, h).ravel()


def _same_point_effect(got, expected, case):
    """x_plus and x_minus are x itself: f is evaluated at one point twice (every entry 0), or the
    minus step only takes x back to where it was, (f(x + h e_i) - f(x)) / (2h): half a one-sided
    difference (whose error from expected / 2 is h/4 times the curvature)."""
    g = _array_like(got, expected)
    if g is None or not np.any(expected) or np.allclose(g, expected, rtol=1e-6):
        return False
    if not np.any(g):
        return True
    f, x = case.args
    return any(np.allclose(g, _forward_difference(f, x, h) / 2, rtol=1e-6, atol=1e-9)
               for h in {case.kwargs.get("h", 1e-5), 1e-5})


def _same_array_back(f, x, h=1e-5):
    """x_plus = x: the + h and the - h land on the one array, which is back at x for f(x_minus)."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x_plus = x
        x_plus[i] = old + h
        fp = f(x_plus)
        x_minus = x
        x_minus[i] = x_minus[i] - h
        fm = f(x_minus)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


def _same_array_twice(f, x, h=1e-5):
    """Both points set on views of x before either evaluation: f sees x - h e_i twice."""
    grad = np.zeros(x.shape)
    flat = x.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        plus, minus = flat, flat                     # names for one array, not copies
        plus[i] = old + h
        minus[i] = old - h
        grad.flat[i] = (f(plus.reshape(x.shape)) - f(minus.reshape(x.shape))) / (2 * h)
        flat[i] = old
    return grad


def _gradient_cases(rng):
    A = rng.standard_normal((3, 3))
    A = A @ A.T + 3 * np.eye(3)
    return [
        Case((lambda x: float(np.sum(np.exp(x))), rng.standard_normal(4)), {"h": 1e-4}, "f(x) = sum(exp(x))"),
        Case((lambda x: float(0.5 * x @ A @ x), rng.standard_normal(3)), {"h": 1e-4}, "f(x) = x^T A x / 2"),
        Case((lambda X: float(np.sum(np.sin(X) * X)), rng.standard_normal((2, 3))), {"h": 1e-4},
             "a 2x3 matrix input"),
        # a large step: the centred error, h^2 / 6 times the third derivative, is then about 2e-5
        # relative, so a function that ignores h and takes a small step of its own is caught
        Case((lambda x: float(np.sum(np.exp(x))), 1 + rng.standard_normal(3)), {"h": 1e-2},
             "a large step, h = 0.01"),
    ]


def _centred_own_step(f, x, h=1e-5):
    """The step h it is given is ignored: the centred difference always uses 1e-5."""
    return _centred(f, x)


def _centred_own_step_small(f, x, h=1e-5):
    return _centred(f, x, 1e-6)


def _small_step_instead_of_h(got, expected, case):
    """The result is the derivative as a small step gives it (within 1e-8), on a case whose large h
    makes the right answer differ from it by about 2e-5: the h argument was not used."""
    f, x = case.args
    try:
        got = np.asarray(got, dtype=float)
        small = _centred(f, x, 1e-5)
    except (TypeError, ValueError):
        return False
    return bool(got.shape == small.shape and np.allclose(got, small, rtol=1e-8, atol=1e-10)
                and not np.allclose(expected, small, rtol=1e-8, atol=1e-10))


numerical_gradient = Exercise(
    LESSON, "0.1", "numerical_gradient", _centred, _gradient_cases, rtol=1e-7, atol=1e-9,
    mistakes=[
        Mistake("forward_difference", "a one-sided difference ((f(x + h) - f(x)) / h, or "
                "(f(x) - f(x - h)) / h): your values are off by h/2 times the curvature",
                "use the centred difference (f(x + h e_i) - f(x - h e_i)) / (2h): its error is O(h^2), "
                "not O(h)",
                impl=_forward_difference, witnesses=(_backward_difference_basis,), detect=_one_sided_effect),
        Mistake("divide_by_h", "dividing the centred difference by h instead of 2h (every value is twice "
                "the right one)",
                "the two points are 2h apart, so divide by 2 * h", impl=_divide_by_h,
                witnesses=(_divide_by_h_basis,), detect=_times(lambda h: 2.0)),
        Mistake("precedence", "/ 2 * h divides by 2 and then multiplies by h (every value is h^2 times "
                "the right one)",
                "put the denominator in parentheses: / (2 * h)", impl=_precedence,
                witnesses=(_precedence_flat,), detect=_times(lambda h: h * h)),
        Mistake("all_at_once", "perturbing several entries of x at the same time (all of x, or a whole "
                "row x[i] of a matrix): each entry of your result is the sum of the partial derivatives "
                "over everything that moved with it",
                "change one entry at a time and leave the rest alone: loop over every index with "
                "np.ndindex(x.shape) (for a matrix, range(len(x)) only gives the rows)",
                impl=_all_at_once, witnesses=(_all_at_once_loop, _rows_at_once, _columns_at_once),
                detect=_all_at_once_effect),
        Mistake("same_array", "x_plus and x_minus are not copies but x itself (x_plus = x copies nothing), "
                "so f never sees x + h and x - h side by side: your values are 0, or half a one-sided "
                "difference",
                "make real copies (x_plus = x.copy(), x_minus = x.copy()), or change x[i] in place, "
                "evaluate, and put it back between the two evaluations",
                impl=_same_array_back, witnesses=(_same_array_twice,), detect=_same_point_effect),
        Mistake("flat_result", "your values are right but flattened: shape (x.size,) instead of x's shape",
                "give the gradient x's shape: start from np.zeros_like(x) (or reshape the result with "
                ".reshape(x.shape))",
                impl=_flat_ravel, witnesses=(_flat_list,), detect=_flat_effect),
        Mistake("not_restored", "x was left perturbed (x[i] not put back after the two evaluations)",
                "save old = x[i] before perturbing and set x[i] = old afterwards", impl=_not_restored,
                witnesses=(_not_restored_flat,), mutation=True),
        Mistake("ignores_h", "the step h you are given is not used: your function takes a step of its own",
                "use the h argument in both perturbations and in the division by 2h",
                impl=_centred_own_step, witnesses=(_centred_own_step_small,),
                detect=_small_step_instead_of_h),
    ])


# --- 0.2 rel_error(a, b) ----------------------------------------------------------------

_rel_error = nn.gradcheck.rel_error      # the reference is the library's own (same contract)


_TINY = "two arrays of size about 1e-9"


def _rel_cases(rng):
    a = rng.standard_normal((3, 4))
    small, large = rng.standard_normal(5), 100 * rng.standard_normal(4)
    return [
        # ||b|| about 3 ||a||: ||a||, ||b|| = max, ||a|| + ||b|| and 1 all differ, so the ratio
        # ||a - b|| / value tells which denominator was used
        Case((small, 3 * small[::-1] + rng.standard_normal(5)), label="b larger than a"),
        Case((a, a + 1e-6 * rng.standard_normal((3, 4))), label="nearly equal matrices"),
        Case((large, 0.4 * large + 10 * rng.standard_normal(4)), label="large vectors, a larger than b"),
        Case((a[:, 0], -a[:, 0]), label="opposite vectors"),
        Case((np.array([1e-9, -2e-9]), np.array([2e-9, 1e-9])), label=_TINY),
        Case((np.zeros(3), np.zeros(3)), label="two zero vectors"),
    ]


def _rel_error_eps(a, b, eps=1e-8):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + eps))


def _rel_error_max_eps(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-7))


def _small_constant_in_denominator(got, expected, case):
    """Right for ordinary arrays, too small for arrays of size 1e-9: the denominator was padded."""
    got = _number(got)
    if case.label != _TINY or got is None or not 0 < got < expected:
        return False
    a, b = case.args
    padding = np.linalg.norm(np.subtract(a, b)) / got - (np.linalg.norm(a) + np.linalg.norm(b))
    return 0 < padding < 1e-3


def _number(value):
    """``value`` as a float, or None when it is not one number (a string, an array of several, ...)."""
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr) if arr.size == 1 else None


def _norms(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.linalg.norm(a - b), np.linalg.norm(a), np.linalg.norm(b)


def _every_case(formula):
    """detect: the learner's value is ``formula(a, b)`` on the failing case and on every other case
    where a or b is not zero (two zero arrays are judged by their own entry). One case cannot tell
    ||b|| from max(||a||, ||b||) when ||b|| > ||a||; the cases together can."""
    def detect(got, expected, failing):
        for case in rel_error.running_cases:
            if not (np.any(case.args[0]) or np.any(case.args[1])):
                continue
            if case is failing:
                value = got
            else:
                value, error = rel_error.call_learner(*case.args, **case.kwargs)
                if error is not None:
                    continue
            value, want = _number(value), formula(*case.args)
            if want is None:                         # the formula has no value here (0 / 0): any goes
                continue
            if isinstance(want, _Floor) and value is not None and 0 < value <= want * (1 + 1e-6):
                continue
            if value is None or not np.isclose(value, want, rtol=1e-6, atol=1e-300):
                return False
        return True
    return detect


def _denominator(which):
    """detect: ||a - b|| / got, the denominator the learner used, is ``which(||a||, ||b||)``."""
    def formula(a, b):
        diff, na, nb = _norms(a, b)
        return diff / which(na, nb)
    return _every_case(formula)


def _elementwise(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(all="ignore"):
        return float(np.nanmax(np.abs(a - b) / (np.abs(a) + np.abs(b))))


def _elementwise_mean(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(all="ignore"):
        return float(np.nanmean(np.abs(a - b) / (np.abs(a) + np.abs(b))))


def _floored(formula):
    """``formula``, except on the arrays of size 1e-9, where a floor under the element-wise
    denominators (max(|a_i| + |b_i|, eps), or + eps) may act: there any value in (0, formula] is one
    the floor gives for some eps (the ratios fall steadily from formula towards 0 as eps grows)."""
    def floored(a, b):
        value = formula(a, b)
        return _Floor(value) if np.max(np.abs(a)) + np.max(np.abs(b)) < 1e-6 else value
    return floored


class _Floor(float):
    """A value from :func:`_floored`: any number in (0, itself] matches it."""


def _elementwise_effect(got, expected, case):
    """One formula on every case: the largest, or the mean, of the element-wise ratios (with or without
    a small floor under each ratio's denominator, which acts on the tiny arrays only)."""
    return any(_every_case(_floored(formula))(got, expected, case)
               for formula in (_elementwise, _elementwise_mean))


def _elementwise_mean_loop(a, b):
    ratios = [abs(x - y) / (abs(x) + abs(y)) for x, y in zip(np.ravel(a), np.ravel(b)) if x or y]
    return sum(ratios) / len(ratios) if ratios else 0.0


def _elementwise_padded(a, b):
    """The mean element-wise ratio with 1e-12 added to every denominator (no 0 / 0 on zero arrays)."""
    d, s = np.abs(np.subtract(a, b)), np.abs(a) + np.abs(b)
    return float(np.mean(d / (s + 1e-12)))


def _norm_of_sum(a, b):
    """||a - b|| / ||a + b||, or None where a + b = 0 (opposite vectors), where it has no value."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    s = np.linalg.norm(a + b)
    return None if s == 0 else float(np.linalg.norm(a - b) / s)


def _norm_of_sum_by_hand(a, b):
    total = np.ravel(a) + np.ravel(b)
    d = np.ravel(a) - np.ravel(b)
    return float(np.sqrt(d @ d) / np.sqrt(total @ total)) if total.any() else 0.0


def _l1(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.sum(np.abs(a - b)) / (np.sum(np.abs(a)) + np.sum(np.abs(b))))


def _l1_ord(a, b):
    a, b = np.ravel(a), np.ravel(b)
    total = np.linalg.norm(a, 1) + np.linalg.norm(b, 1)
    return 0.0 if total == 0 else float(np.linalg.norm(a - b, 1) / total)


def _spectral(v):
    v = np.asarray(v, dtype=float)
    return np.linalg.norm(v, 2) if v.ndim == 2 else np.linalg.norm(v)


def _spectral_rel(a, b):
    return float(_spectral(np.subtract(a, b)) / (_spectral(a) + _spectral(b)))


def _largest_singular_value(a, b):
    def size(v):
        v = np.asarray(v, dtype=float)
        return np.linalg.svd(v, compute_uv=False)[0] if v.ndim == 2 else np.sqrt(np.sum(v * v))
    total = size(a) + size(b)
    return 0.0 if total == 0 else float(size(np.subtract(a, b)) / total)


def _precedence_effect(got, expected, case):
    """||a - b|| / ||a|| + ||b||: the division binds first, whichever norm comes first."""
    def a_first(a, b):
        diff, na, nb = _norms(a, b)
        return diff / na + nb

    def b_first(a, b):
        diff, na, nb = _norms(a, b)
        return diff / nb + na

    return any(_every_case(formula)(got, expected, case) for formula in (a_first, b_first))


def _precedence_b_first(a, b):
    na, nb = np.sqrt(np.sum(np.square(a))), np.sqrt(np.sum(np.square(b)))
    if na + nb == 0:
        return 0.0
    return float(np.sqrt(np.sum(np.square(np.subtract(a, b)))) / nb + na)


def _squared(a, b):
    diff, na, nb = _norms(a, b)
    return diff ** 2 / (na ** 2 + nb ** 2)


def _zero_not_handled(got, expected, case):
    value = _number(got)
    return not (np.any(case.args[0]) or np.any(case.args[1])) and value is not None and value != 0


def _zero_division_floats(a, b):
    """Python floats: 0.0 / 0.0 raises ZeroDivisionError (NumPy's float64 gives nan)."""
    return float(np.linalg.norm(np.subtract(a, b))) / (float(np.linalg.norm(a)) + float(np.linalg.norm(b)))


def _zero_nan_by_hand(a, b):
    a, b = np.ravel(a), np.ravel(b)
    return np.sqrt(np.sum((a - b) ** 2)) / (np.sqrt(np.dot(a, a)) + np.sqrt(np.dot(b, b)))


def _absolute_loop(a, b):
    return float(sum((x - y) ** 2 for x, y in zip(np.ravel(a), np.ravel(b))) ** 0.5)


def _elementwise_loop(a, b):
    worst = 0.0
    for x, y in zip(np.ravel(a), np.ravel(b)):
        worst = max(worst, abs(x - y) / (abs(x) + abs(y)))   # 0 / 0 on two zero arrays
    return worst


def _by_a_guarded(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not a.any():
        return 0.0
    return float(np.sqrt(np.sum((a - b) ** 2)) / np.sqrt(np.sum(a ** 2)))


def _by_b_loop(a, b):
    num = sum((x - y) ** 2 for x, y in zip(np.ravel(a), np.ravel(b)))
    return float(np.sqrt(num) / np.sqrt(sum(y * y for y in np.ravel(b))))


def _by_max_guarded(a, b):
    biggest = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if biggest == 0 else float(np.linalg.norm(np.subtract(a, b)) / biggest)


def _squared_dot(a, b):
    d, a, b = np.ravel(np.subtract(a, b)), np.ravel(a), np.ravel(b)
    total = a @ a + b @ b
    return 0.0 if total == 0 else float(d @ d / total)


rel_error = Exercise(
    LESSON, "0.2", "rel_error", _rel_error, _rel_cases, rtol=1e-7, atol=1e-12,
    mistakes=[
        Mistake("epsilon_denominator", "a small constant added to the denominator (or a floor under it): "
                "right for ordinary arrays, far too small for tiny ones",
                "divide by ||a|| + ||b|| itself, and treat the one case where it is 0 separately "
                "(return 0.0)",
                impl=_rel_error_eps, witnesses=(_rel_error_max_eps,), detect=_small_constant_in_denominator),
        Mistake("absolute_error", "the absolute error ||a - b|| without dividing by the sizes",
                "divide by ||a|| + ||b|| so that the error does not depend on the gradients' scale",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b))), witnesses=(_absolute_loop,),
                detect=_denominator(lambda na, nb: 1.0)),
        Mistake("zero_case", "0 / 0 when both arrays are zero (the case where ||a|| + ||b|| = 0 is not "
                "handled)",
                "return 0.0 when ||a|| + ||b|| == 0 (two zero gradients agree perfectly)",
                impl=_zero_division_floats, witnesses=(_zero_nan_by_hand,), detect=_zero_not_handled),
        Mistake("elementwise", "element-wise ratios |a_i - b_i| / (|a_i| + |b_i|), combined (their largest "
                "or their mean) instead of the norms of the whole arrays",
                "this course uses norms of the whole arrays: ||a - b|| / (||a|| + ||b||)",
                impl=lambda a, b: float(np.max(np.abs(np.subtract(a, b)) /
                                               np.maximum(np.abs(a) + np.abs(b), 1e-300))),
                witnesses=(_elementwise_loop, _elementwise_mean_loop, _elementwise_padded),
                detect=_elementwise_effect),
        Mistake("norm_of_sum", "dividing by ||a + b||, the norm of the sum, instead of ||a|| + ||b||, the "
                "sum of the norms",
                "take the two norms separately and add them (||a + b|| is 0 for opposite vectors)",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b)) / np.linalg.norm(np.add(a, b))),
                witnesses=(_norm_of_sum_by_hand,), detect=_every_case(_norm_of_sum)),
        Mistake("precedence", "a precedence slip: ||a - b|| / ||a|| + ||b|| divides by one norm, then adds "
                "the other",
                "put the denominator in parentheses: / (||a|| + ||b||)",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b)) / np.linalg.norm(a) +
                                        np.linalg.norm(b)),
                witnesses=(_precedence_b_first,), detect=_precedence_effect),
        Mistake("l1_norms", "L1 norms (sums of absolute values) instead of Euclidean norms",
                "use the Euclidean norm, the square root of the sum of squares (np.linalg.norm's default)",
                impl=_l1, witnesses=(_l1_ord,), detect=_every_case(_l1)),
        Mistake("spectral_norm", "np.linalg.norm(M, 2) on a matrix is the spectral norm (its largest "
                "singular value), not the Euclidean norm of all its entries",
                "call np.linalg.norm without ord (the Frobenius norm of a matrix, the Euclidean norm of "
                "its entries), or flatten the arrays first",
                impl=_spectral_rel, witnesses=(_largest_singular_value,), detect=_every_case(_spectral_rel)),
        Mistake("one_sided_denominator", "dividing by ||a|| only",
                "divide by ||a|| + ||b||: symmetric in a and b, and finite when one of them is zero",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b)) / np.linalg.norm(a)),
                witnesses=(_by_a_guarded,), detect=_denominator(lambda na, nb: na)),
        Mistake("b_only_denominator", "dividing by ||b|| only",
                "divide by ||a|| + ||b||: symmetric in a and b, and finite when one of them is zero",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b)) / np.linalg.norm(b)),
                witnesses=(_by_b_loop,), detect=_denominator(lambda na, nb: nb)),
        Mistake("max_denominator", "dividing by max(||a||, ||b||) instead of ||a|| + ||b||",
                "divide by the sum ||a|| + ||b||, the convention of this course (opposite vectors give 1)",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b)) /
                                        np.maximum(np.linalg.norm(a), np.linalg.norm(b))),
                witnesses=(_by_max_guarded,), detect=_denominator(max)),
        Mistake("squared_norms", "squared norms (sums of squares without the square roots)",
                "take the square root of each sum of squares, or use np.linalg.norm",
                impl=lambda a, b: float(np.sum(np.subtract(a, b) ** 2) / (np.sum(np.square(a)) +
                                                                          np.sum(np.square(b)))),
                witnesses=(_squared_dot,), detect=_every_case(_squared)),
    ])


# --- 0.3 dense_backward(dout, X, W) -----------------------------------------------------

def _dense_backward(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)


def _dense_cases(rng):
    # First a square W (D = H): dout @ W and dout.T @ X then have the right shapes, so those
    # mistakes show in the values instead of raising, however they are written.
    cases = []
    for N, D, H in [(5, 3, 3), (5, 3, 4), (2, 6, 3), (7, 4, 5)]:
        cases.append(Case((rng.standard_normal((N, H)), rng.standard_normal((N, D)),
                           rng.standard_normal((D, H))), label=f"N={N}, D={D}, H={H}"))
    return cases


def _compare_triple(got, expected, case):
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise Failure(f"your function should return three arrays (dX, dW, db), got "
                      f"{type(got).__name__}"
                      f"{'' if not isinstance(got, (tuple, list)) else f' of length {len(got)}'}")
    for name, g, e in zip(("dX", "dW", "db"), got, expected):
        compare_array(g, e, name)


def _dense_effect(part, wrong):
    """detect: dX, dW, db before ``part`` are right (so ``part`` is the first wrong one, the one the
    verdict names) and ``part`` is ``wrong(dout, X, W)``, whatever its shape."""
    def detect(got, expected, case):
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            return False
        for k in range(part):
            if _array_like(got[k], expected[k]) is None or not np.allclose(got[k], expected[k]):
                return False
        try:
            want = wrong(*case.args)
        except ValueError:                           # dout @ W has no meaning when D != H
            return False
        g = _array_like(got[part], want)
        return g is not None and bool(np.allclose(g, want, rtol=1e-6, atol=1e-9))
    return detect


def _dW_outer_sum(dout, X, W):
    dW = sum(np.outer(dout[n], X[n]) for n in range(len(X)))      # (H, D): the factors swapped
    return np.dot(dout, W.T), dW, np.sum(dout, axis=0)


def _dX_rows(dout, X, W):
    return np.array([row @ W for row in dout]), np.einsum("nd,nh->dh", X, dout), dout.sum(0)


def _db_copy(dout, X, W):
    return np.einsum("nh,dh->nd", dout, W), np.dot(X.T, dout), dout.copy()


def _db_mean_loop(dout, X, W):
    db = np.zeros(dout.shape[1])
    for row in dout:
        db += row / len(dout)
    return dout @ W.T, X.T @ dout, db


def _dW_mean_outer(dout, X, W):
    return dout @ W.T, np.mean([np.outer(x, d) for x, d in zip(X, dout)], axis=0), dout.sum(axis=0)


def _db_rows_loop(dout, X, W):
    return dout @ W.T, X.T @ dout, np.array([row.sum() for row in dout])


def _db_total_loop(dout, X, W):
    total = 0.0
    for value in dout.ravel():
        total += value
    return dout @ W.T, X.T @ dout, total


def _dX_einsum_transposed(dout, X, W):
    return np.einsum("dh,nh->dn", W, dout), X.T @ dout, dout.sum(axis=0)


def _db_extra_axis(got, expected, case):
    """dX and dW are right and db holds db's values, but with an extra axis of length 1 ((1, H) from
    keepdims=True, or a column (H, 1))."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return False
    for k in range(2):
        if _array_like(got[k], expected[k]) is None or not np.allclose(got[k], expected[k]):
            return False
    try:
        db = np.asarray(got[2], dtype=float)
    except (TypeError, ValueError):
        return False
    want = np.asarray(expected[2], dtype=float)
    return (db.ndim > want.ndim and db.size == want.size and 1 in db.shape
            and bool(np.allclose(db.reshape(want.shape), want, rtol=1e-6, atol=1e-9)))


def _db_ones_row(dout, X, W):
    return dout @ W.T, X.T @ dout, np.ones((1, len(dout))) @ dout      # (1, N) @ (N, H): a row (1, H)


def _order_effect(got, expected, case):
    """The three right arrays, in another order: each returned array is one of dX, dW, db."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return False

    def same(g, e):
        a = _array_like(g, e)
        return a is not None and bool(np.allclose(a, e, rtol=1e-6, atol=1e-9))

    return any(all(same(got[k], expected[j]) for k, j in enumerate(order))
               for order in itertools.permutations(range(3)) if order != (0, 1, 2))


def _order_from_dict(dout, X, W):
    grads = {"dW": X.T @ dout, "db": dout.sum(axis=0), "dX": dout @ W.T}
    return tuple(grads.values())


dense_backward = Exercise(
    LESSON, "0.3", "dense_backward", _dense_backward, _dense_cases, compare=_compare_triple,
    mistakes=[
        Mistake("dX_no_transpose", "dX computed with W instead of W.T",
                "dX must have X's shape (N, D): use dout @ W.T",
                impl=lambda dout, X, W: (dout @ W, X.T @ dout, dout.sum(axis=0)), witnesses=(_dX_rows,),
                detect=_dense_effect(0, lambda dout, X, W: dout @ W)),
        Mistake("dX_transposed", "dX is the transpose of the right answer (shape (D, N), e.g. W @ dout.T)",
                "dX must have X's shape (N, D): one row per example, dout @ W.T",
                impl=lambda dout, X, W: (W @ dout.T, X.T @ dout, dout.sum(axis=0)),
                witnesses=(_dX_einsum_transposed,),
                detect=_dense_effect(0, lambda dout, X, W: (dout @ W.T).T)),
        Mistake("dW_transposed", "dW computed as dout.T @ X, the transpose of the right answer",
                "dW must have W's shape (D, H): use X.T @ dout",
                impl=lambda dout, X, W: (dout @ W.T, dout.T @ X, dout.sum(axis=0)),
                witnesses=(_dW_outer_sum,), detect=_dense_effect(1, lambda dout, X, W: dout.T @ X)),
        Mistake("dW_mean", "dW divided by the batch size",
                "dout already carries the 1/N of the mean loss; dW is X.T @ dout with no extra division",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout / len(X), dout.sum(axis=0)),
                witnesses=(_dW_mean_outer,), detect=_dense_effect(1, lambda dout, X, W: X.T @ dout / len(X))),
        Mistake("db_not_summed", "db left as the per-example gradients (N, H)",
                "b is shared by all N examples, so add their contributions: dout.sum(axis=0)",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout, dout), witnesses=(_db_copy,),
                detect=_dense_effect(2, lambda dout, X, W: dout)),
        Mistake("db_mean", "db averaged over the batch instead of summed",
                "the loss already averages over the batch (dout carries the 1/N); sum here: dout.sum(axis=0)",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout, dout.mean(axis=0)),
                witnesses=(_db_mean_loop,),
                detect=_dense_effect(2, lambda dout, X, W: dout.mean(axis=0))),
        Mistake("db_wrong_axis", "db summed over the units (axis=1, one value per example) instead of over "
                "the batch",
                "db has b's shape (H,): sum over the examples, axis=0",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout, np.sum(dout, axis=1)),
                witnesses=(_db_rows_loop,), detect=_dense_effect(2, lambda dout, X, W: dout.sum(axis=1))),
        Mistake("db_total", "db summed over every entry of dout (one number) instead of over the batch only",
                "keep one value per unit, shape (H,): sum over the examples only, axis=0",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout, np.sum(dout)),
                witnesses=(_db_total_loop,), detect=_dense_effect(2, lambda dout, X, W: np.sum(dout))),
        Mistake("db_extra_axis", "db has the right values but an extra axis of length 1 (shape (1, H), e.g. "
                "from keepdims=True, or a column (H, 1))",
                "db must have b's shape (H,): sum dout over the batch, axis=0, without keeping that axis "
                "(no keepdims=True, no reshape)",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout, dout.sum(axis=0, keepdims=True)),
                witnesses=(_db_ones_row, lambda dout, X, W: (dout @ W.T, X.T @ dout, dout.sum(0)[:, None])),
                detect=_db_extra_axis),
        Mistake("wrong_order", "the three gradients are right but returned in the wrong order",
                "return them in the order the exercise asks for: dX, dW, db",
                impl=lambda dout, X, W: (X.T @ dout, dout @ W.T, dout.sum(axis=0)),
                witnesses=(_order_from_dict,), detect=_order_effect),
    ])


# --- 0.4 gradient_check(model, loss_fn, X, y) -------------------------------------------

class _WrongTanh(nn.Tanh):
    """A Tanh whose backward forgets the square: 1 - tanh instead of 1 - tanh^2."""

    def _df(self, X, out):
        return 1 - out


def _loss(model, loss_fn, X, y):
    return lambda: loss_fn.forward(model.forward(X), y)


def _backward(model, loss_fn, X, y):
    loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())


def _errors(model, loss_fn, X, y, h, numerical=nn.gradcheck.numerical_gradient):
    """{name: relative error} between each .grads array and ``numerical`` of that parameter."""
    loss = _loss(model, loss_fn, X, y)
    return {name: _rel_error(g, numerical(loss, p, h)) for name, p, g in model.named_parameters()}


def _reference_gradient_check(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    return _errors(model, loss_fn, X, y, h)


def _no_backward(model, loss_fn, X, y, h=1e-5):
    return _errors(model, loss_fn, X, y, h)


def _forward_only(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss = _loss(model, loss_fn, X, y)
    loss()
    report = {}
    for name, p, g in model.named_parameters():
        report[name] = nn.gradcheck.rel_error(g.copy(), nn.gradcheck.numerical_gradient(loss, p, h))
    return report


def _zero_grad_after_backward(model, loss_fn, X, y, h=1e-5):
    _backward(model, loss_fn, X, y)
    model.zero_grad()                                # clears what the backward pass just computed
    return _errors(model, loss_fn, X, y, h)


def _numerical_on_copy(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    loss = _loss(model, loss_fn, X, y)
    return {name: _rel_error(g, nn.gradcheck.numerical_gradient(loss, p.copy(), h))
            for name, p, g in model.named_parameters()}


def _numerical_on_np_array(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    report = {}
    for name, p, g in model.named_parameters():
        q = np.array(p, dtype=float)                 # a new array: perturbing it never reaches the model
        num = np.zeros_like(q)
        for i in np.ndindex(q.shape):
            old = q[i]
            q[i] = old + h
            fp = loss_fn.forward(model.forward(X), y)
            q[i] = old - h
            fm = loss_fn.forward(model.forward(X), y)
            q[i] = old
            num[i] = (fp - fm) / (2 * h)
        report[name] = nn.gradcheck.rel_error(g, num)
    return report


def _numerical_on_model_copy(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    frozen = copy.deepcopy(model)                    # the loss reads this one; the original is perturbed
    loss = _loss(frozen, loss_fn, X, y)
    return {name: nn.gradcheck.rel_error(g, nn.gradcheck.numerical_gradient(loss, p, h))
            for name, p, g in model.named_parameters()}


def _numerical_of_stored_loss(model, loss_fn, X, y, h=1e-5):
    """The real parameters are perturbed, but the two "losses" are a value computed once, beforehand."""
    model.zero_grad()
    value = loss_fn.forward(model.forward(X), y)
    model.backward(loss_fn.backward())
    report = {}
    for name, p, g in model.named_parameters():
        num = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            plus = value                             # no new forward pass: the stored number again
            p[i] = old - h
            minus = value
            p[i] = old
            num[i] = (plus - minus) / (2 * h)
        report[name] = nn.gradcheck.rel_error(g, num)
    return report


def _no_zero_grad(model, loss_fn, X, y, h=1e-5):
    _backward(model, loss_fn, X, y)
    return _errors(model, loss_fn, X, y, h)


def _zeroed_by_rebinding(model, loss_fn, X, y, h=1e-5):
    for _, _, g in model.named_parameters():
        g = np.zeros_like(g)                         # noqa: F841 - rebinds the name; .grads keeps its values
    return _no_zero_grad(model, loss_fn, X, y, h)


def _forward_backward_twice(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    for _ in range(2):
        _backward(model, loss_fn, X, y)
    return _errors(model, loss_fn, X, y, h)


def _backward_twice(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss_fn.forward(model(X), y)
    dout = loss_fn.backward()
    model.backward(dout)
    model.backward(dout)
    loss = _loss(model, loss_fn, X, y)
    return {name: nn.gradcheck.rel_error(g, nn.gradcheck.numerical_gradient(loss, p, h))
            for name, p, g in model.named_parameters()}


def _backward_per_parameter(model, loss_fn, X, y, h=1e-5):
    """One forward pass, then model.backward(dout) again for every parameter: .grads pile up."""
    model.zero_grad()
    loss_fn.forward(model.forward(X), y)
    dout = loss_fn.backward()
    loss, report = _loss(model, loss_fn, X, y), {}
    for name, p, g in list(model.named_parameters()):
        model.backward(dout)
        report[name] = _rel_error(g, nn.gradcheck.numerical_gradient(loss, p, h))
        loss()                                       # the cache again at the true parameters
    return report


def _divided_by_batch(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    loss = _loss(model, loss_fn, X, y)
    return {name: _rel_error(g / len(X), nn.gradcheck.numerical_gradient(loss, p, h))
            for name, p, g in model.named_parameters()}


def _numerical_times_batch(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    analytic = {name: g.copy() for name, _, g in model.named_parameters()}
    loss = _loss(model, loss_fn, X, y)
    report = {}
    for name, p, _ in model.named_parameters():
        total = X.shape[0] * nn.gradcheck.numerical_gradient(loss, p, h)   # "the loss is a mean": undone
        report[name] = nn.gradcheck.rel_error(analytic[name], total)
    return report


def _keys_per_layer(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    loss, report = _loss(model, loss_fn, X, y), {}
    for layer in model.layers:
        for key in layer.params:
            numerical = nn.gradcheck.numerical_gradient(loss, layer.params[key], h)
            report[key] = _rel_error(layer.grads[key], numerical)
    return report


def _keys_split(model, loss_fn, X, y, h=1e-5):
    report = _reference_gradient_check(model, loss_fn, X, y, h)
    return {name.split(".")[-1]: error for name, error in report.items()}


def _backward_ones(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    out = model.forward(X)
    loss_fn.forward(out, y)
    model.backward(np.full(out.shape, 1.0))          # dL/dout taken as 1
    return _errors(model, loss_fn, X, y, h)


def _backward_probabilities(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    out = model.forward(X)
    loss_fn.forward(out, y)
    model.backward(nn.softmax(out))                  # softmax(z) without - onehot(y), without / N
    return _errors(model, loss_fn, X, y, h)


def _numerical_before_backward(model, loss_fn, X, y, h=1e-5):
    loss = _loss(model, loss_fn, X, y)
    numerical = {name: nn.gradcheck.numerical_gradient(loss, p, h) for name, p, _ in model.named_parameters()}
    model.zero_grad()
    model.backward(loss_fn.backward())               # the cache is the last perturbed forward pass
    return {name: _rel_error(g, numerical[name]) for name, _, g in model.named_parameters()}


def _forward_numerical_backward(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    loss = _loss(model, loss_fn, X, y)
    loss()
    numerical = {}
    for name, p, _ in reversed(list(model.named_parameters())):
        numerical[name] = nn.gradcheck.numerical_gradient(loss, p, h)
    model.backward(loss_fn.backward())               # after the numerical gradients' forward passes
    return {name: nn.gradcheck.rel_error(g, numerical[name]) for name, _, g in model.named_parameters()}


def _one_sided_gradient(loss, p, h):
    """Forward differences (f(p + h) - f(p)) / h: the one-sided variant of numerical_gradient."""
    num, f0 = np.zeros_like(p), loss()
    for i in np.ndindex(p.shape):
        old = p[i]
        p[i] = old + h
        num[i] = (loss() - f0) / h
        p[i] = old
    return num


def _one_sided(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    return _errors(model, loss_fn, X, y, h, numerical=_one_sided_gradient)


def _large_h(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    return _errors(model, loss_fn, X, y, 1e-2)


def _gc_cases(rng):
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 2, 6)
    fresh = nn.mlp([3, 4, 2], activation=nn.Tanh, rng=rng)
    stale = nn.mlp([3, 4, 2], activation=nn.Sigmoid, rng=rng)
    wrong = nn.mlp([3, 4, 2], activation=_WrongTanh, rng=rng)
    # The leftover gradients come from another batch, so that forgetting zero_grad() does not give
    # the 1/3 of a gradient added twice.
    X_old, y_old = rng.standard_normal((6, 3)), rng.integers(0, 2, 6)
    _backward(stale, nn.SoftmaxCrossEntropy(), X_old, y_old)
    return [Case((fresh, nn.SoftmaxCrossEntropy(), X, y), label="a correct model"),
            Case((stale, nn.SoftmaxCrossEntropy(), X, y), label="a correct model with leftover gradients"),
            Case((wrong, nn.SoftmaxCrossEntropy(), X, y), label="a model whose Tanh backward is wrong"),
            Case((copy.deepcopy(fresh), nn.SoftmaxCrossEntropy(), X, y), {"h": 0.3}, label=_LARGE_H)]


_LARGE_H = "a correct model checked with h = 0.3 (so large that the centred difference is off)"


def _ignores_h(model, loss_fn, X, y, h=1e-5):
    return _reference_gradient_check(model, loss_fn, X, y)


def _fixed_h(model, loss_fn, X, y, h=1e-5):
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    return _errors(model, loss_fn, X, y, 1e-6)


def _h_not_used(got, expected, case):
    """With h = 0.3 every error should be visible (about h^2); tiny errors mean another step was used."""
    if case.label != _LARGE_H or not isinstance(got, dict) or set(got) != set(expected):
        return False
    values = [_number(v) for v in got.values()]
    return all(v is not None and v < 1e-6 for v in values) and min(expected.values()) > 1e-5


def _compare_report(got, expected, case):
    if not isinstance(got, dict):
        raise Failure(f"your function should return a dict {{parameter name: relative error}}, "
                      f"got {type(got).__name__}")
    if set(got) != set(expected):
        raise Failure(f"the dict's keys should be the parameter names {sorted(expected)}, got "
                      f"{sorted(got)} (use the names from model.named_parameters())")
    for name in expected:
        try:
            g = float(got[name])
        except (TypeError, ValueError):
            raise Failure(f"the value for {name!r} should be a number, got "
                          f"{type(got[name]).__name__}") from None
        e = expected[name]
        if not np.isfinite(g):
            raise Failure(f"the relative error for {name!r} is {g}; expected a finite number")
        if (e < 1e-7) != (g < 1e-7) or (e >= 1e-7 and not np.isclose(g, e, rtol=1e-2)):
            verdict = "correct" if e < 1e-7 else "wrong"
            raise Failure(f"the relative error for {name!r} is {g:.3g}, but that gradient is {verdict} "
                          f"(expected about {e:.1g})")


# What the learner's call did is read from its effect: the report it returned, and the .grads of its
# copy of the model afterwards (case.seen_args[0]), set against what one backward pass gives.

def _evidence(got, expected, case):
    """(report, seen, right, leftover, numerical) as dicts by parameter name, or None when ``got`` is
    not a dict of numbers with the right keys. ``seen``: the learner's model's .grads after the call;
    ``right``: what zero_grad + one forward + one backward give; ``leftover``: .grads before the call."""
    if not isinstance(got, dict) or set(got) != set(expected):
        return None
    report = {k: _number(v) for k, v in got.items()}
    if any(v is None or not np.isfinite(v) for v in report.values()):
        return None
    model, loss_fn, X, y = copy.deepcopy(case.args)
    h = case.kwargs.get("h", 1e-5)
    leftover = {name: g.copy() for name, _, g in model.named_parameters()}
    model.zero_grad()
    _backward(model, loss_fn, X, y)
    right = {name: g.copy() for name, _, g in model.named_parameters()}
    loss = _loss(model, loss_fn, X, y)
    numerical = {name: nn.gradcheck.numerical_gradient(loss, p, h) for name, p, _ in model.named_parameters()}
    seen = {name: np.array(g, dtype=float) for name, _, g in case.seen_args[0].named_parameters()}
    return report, seen, right, leftover, numerical


def _equal(a, b):
    return all(np.shape(a[k]) == np.shape(b[k]) and _rel_error(a[k], b[k]) < 1e-9 for k in b)


def _scale(seen, right):
    """c when every seen gradient is c times the right one (one c for all), else None."""
    flat_seen = np.concatenate([np.ravel(seen[k]) for k in right])
    flat_right = np.concatenate([np.ravel(right[k]) for k in right])
    if not np.any(flat_right):
        return None
    c = flat_seen @ flat_right / (flat_right @ flat_right)
    return c if _equal(seen, {k: c * g for k, g in right.items()}) else None


def _analytic_side(seen, right, leftover):
    """What the learner's model holds: "zero", "right", "twice", "scaled" (c times right, c not 1 or 2),
    "leftover" (right + leftover) or "other" (e.g. a backward pass at other parameter values)."""
    if not any(np.any(g) for g in seen.values()):
        return "zero"
    if _equal(seen, right):
        return "right"
    if any(np.any(g) for g in leftover.values()) and _equal(seen, {k: right[k] + leftover[k] for k in right}):
        return "leftover"
    c = _scale(seen, right)
    if c is not None:
        return "twice" if np.isclose(c, 2.0, rtol=1e-9) else "scaled"
    return "other"


def _reports(report, analytic, numerical):
    """True when ``report`` is the relative error between ``analytic`` and ``numerical``, parameter by
    parameter (errors below 1e-9 all count as the same)."""
    return all(np.isclose(report[k], _rel_error(analytic[k], numerical[k]), rtol=1e-2, atol=1e-9)
               for k in numerical)


def _gc_effect(test):
    def detect(got, expected, case):
        evidence = _evidence(got, expected, case)
        return evidence is not None and bool(test(*evidence, expected))
    return detect


def _no_backward_effect(report, seen, right, leftover, numerical, expected):
    # the analytic side is zero: every report is rel_error(0, numerical) = 1
    return _analytic_side(seen, right, leftover) == "zero" and _reports(report, seen, numerical)


def _numerical_zero_effect(report, seen, right, leftover, numerical, expected):
    # a backward pass ran, yet every report is rel_error(g, 0) = 1: the numerical side is zero
    zeros = {k: np.zeros_like(g) for k, g in numerical.items()}
    return _analytic_side(seen, right, leftover) != "zero" and _reports(report, seen, zeros)


def _leftover_effect(report, seen, right, leftover, numerical, expected):
    return _analytic_side(seen, right, leftover) == "leftover" and _reports(report, seen, numerical)


def _repeated_effect(report, seen, right, leftover, numerical, expected):
    # each backward pass adds g into .grads: a gradient read after m passes is m g, and each report is
    # rel_error(m g, g) = (m - 1) / (m + 1) for a whole m, at least one m >= 2 (two passes: 1/3 on every
    # parameter; a pass per parameter: 0, 1/3, 1/2, ...). The model then holds c g for a whole c >= every
    # m (or zeros, when .grads were cleared at the end), not g / 2, which gives 1/3 too
    side = _analytic_side(seen, right, leftover)
    if side == "zero":
        top = len(right) + 1
    elif side in ("twice", "scaled"):
        c = _scale(seen, right)
        if c is None or c < 1.5 or not np.isclose(c, round(c), rtol=0, atol=1e-6):
            return False
        top = int(round(c))
    else:
        return False
    passes = []
    for k in numerical:
        fits = [m for m in range(1, top + 1)
                if np.isclose(report[k], _rel_error(m * right[k], numerical[k]), rtol=1e-2, atol=1e-9)]
        m = fits[0] if fits else None
        if m is None:
            return False
        passes.append(m)
    return max(passes) >= 2


def _batch_factor_effect(report, seen, right, leftover, numerical, expected, N):
    # the model's gradients are right, yet each report is rel_error(g / N, g) = (N - 1) / (N + 1), which is
    # also rel_error(g, N g): a factor N between the two sides
    return (_analytic_side(seen, right, leftover) == "right"
            and _reports(report, {k: g / N for k, g in seen.items()}, numerical))


def _batch_factor(got, expected, case):
    evidence = _evidence(got, expected, case)
    return evidence is not None and bool(_batch_factor_effect(*evidence, expected, len(case.args[2])))


def _layer_keys(got, expected, case):
    """The keys are the layers' own parameter names ('W', 'b'), the last part of the model's names."""
    if not isinstance(got, dict) or set(got) == set(expected):
        return False
    return set(got) == {name.split(".")[-1] for name in expected}


def _stale_not_upstream(got, expected, case):
    """Gradients from another forward pass: not one from the true forward pass with another dout."""
    return _gc_effect(_stale_effect)(got, expected, case) and not _wrong_upstream(got, expected, case)


def _backward_map(case):
    """The matrix that takes an upstream gradient dL/dout (flattened) to every parameter gradient
    (concatenated), for a forward pass at the case's true parameters and data: backward is linear."""
    model, loss_fn, X, y = copy.deepcopy(case.args)
    out = model.forward(X)
    columns = []
    for j in range(out.size):
        e = np.zeros(out.shape)
        e.flat[j] = 1.0
        model.zero_grad()
        model.backward(e)
        columns.append(np.concatenate([np.ravel(g) for _, _, g in model.named_parameters()]))
    return np.array(columns).T


def _wrong_upstream(got, expected, case):
    """The learner's .grads are exactly a backward pass from the true forward pass (parameters and data),
    but from an upstream gradient that is not a multiple of loss_fn.backward() and is far from it (a
    stale cache from a numerical step of size h is within O(h) of it), and the report compares them."""
    evidence = _evidence(got, expected, case)
    if evidence is None:
        return False
    report, seen, right, leftover, numerical = evidence
    if _analytic_side(seen, right, leftover) != "other" or not _reports(report, seen, numerical):
        return False
    flat_seen = np.concatenate([np.ravel(seen[k]) for k in right])
    flat_right = np.concatenate([np.ravel(right[k]) for k in right])
    if _rel_error(flat_seen, flat_right) < 1e-3:
        return False
    M = _backward_map(case)
    upstream = np.linalg.lstsq(M, flat_seen, rcond=None)[0]
    return bool(np.linalg.norm(M @ upstream - flat_seen) <= 1e-9 * np.linalg.norm(flat_seen))


def _stale_effect(report, seen, right, leftover, numerical, expected):
    # the model's gradients are neither zero, nor right, nor 2x, nor right + leftover, and the report
    # compares exactly those gradients with a correct numerical gradient
    return _analytic_side(seen, right, leftover) == "other" and _reports(report, seen, numerical)


def _imprecise_effect(report, seen, right, leftover, numerical, expected):
    # the analytic gradients are right; where they match, the report is small but above 1e-7
    close = [report[k] for k in expected if expected[k] < 1e-7]
    return (_analytic_side(seen, right, leftover) == "right" and bool(close)
            and max(close) < 1e-2 and max(close) >= 1e-7)


gradient_check = Exercise(
    LESSON, "0.4", "gradient_check", _reference_gradient_check, _gc_cases, compare=_compare_report,
    check_mutation=False,
    mistakes=[
        Mistake("ignores_h", "the step h you are given is not used: the numerical gradient takes a step of "
                "its own",
                "pass h on to the numerical gradient (nn.gradcheck.numerical_gradient(loss, p, h))",
                impl=_ignores_h, witnesses=(_fixed_h,), detect=_h_not_used),
        Mistake("no_backward", "the analytic gradients were all zero when you read them: no backward pass "
                "before reading .grads (or model.zero_grad() after it)",
                "run loss_fn.forward(model.forward(X), y) and model.backward(loss_fn.backward()) first, "
                "then read the gradients",
                impl=_no_backward, witnesses=(_forward_only, _zero_grad_after_backward),
                detect=_gc_effect(_no_backward_effect)),
        Mistake("numerical_on_copy", "every numerical gradient is 0: the loss you difference does not change "
                "when the parameter does (you perturbed a copy the model never computes with, such as "
                "p.copy(), np.array(p) or a copy of the model, or the loss was computed once, before the "
                "perturbations, and only its stored value is returned)",
                "perturb the parameter array p itself, from model.named_parameters(), and give the numerical "
                "gradient a function that runs the forward pass and the loss anew on every call, so that "
                "perturbing p changes what it returns",
                impl=_numerical_on_copy,
                witnesses=(_numerical_on_np_array, _numerical_on_model_copy, _numerical_of_stored_loss),
                detect=_gc_effect(_numerical_zero_effect)),
        Mistake("no_zero_grad", "gradients accumulated on top of leftover ones: the model's .grads were not "
                "cleared before the backward pass",
                "call model.zero_grad() before the backward pass: nnlib adds into .grads "
                "(g = np.zeros_like(g) only gives the name g a new array)",
                impl=_no_zero_grad, witnesses=(_zeroed_by_rebinding,), detect=_gc_effect(_leftover_effect)),
        Mistake("repeated_backward", "more than one backward pass was added into .grads: the analytic "
                "gradients are whole multiples (2, 3, ...) of the true ones (two passes, or a pass inside "
                "the loop over the parameters)",
                "after model.zero_grad(), run exactly one forward and one backward pass, before the loop "
                "over the parameters, then read the gradients",
                impl=_forward_backward_twice, witnesses=(_backward_twice, _backward_per_parameter),
                detect=_gc_effect(_repeated_effect)),
        Mistake("batch_factor", "a factor of the batch size N between the two sides (e.g. the analytic "
                "gradient divided by N): every relative error is (N - 1) / (N + 1)",
                "compare .grads as they are with the numerical gradient: the loss is already a mean over "
                "the batch, so both already carry its 1/N",
                impl=_divided_by_batch, witnesses=(_numerical_times_batch,), detect=_batch_factor),
        Mistake("layer_keys", "the dict is keyed by each layer's own parameter names ('W', 'b'), which "
                "repeat from layer to layer: later layers overwrote the earlier ones",
                "key the dict by the full names that model.named_parameters() gives (such as '0.W'), "
                "different for every layer",
                impl=_keys_per_layer, witnesses=(_keys_split,), detect=_layer_keys),
        Mistake("wrong_upstream", "model.backward was given the wrong upstream gradient: your gradients "
                "belong to the right forward pass, but not to dL/dout = loss_fn.backward() (e.g. ones, "
                "or the probabilities)",
                "pass exactly what loss_fn.backward() returns to model.backward, right after "
                "loss_fn.forward(model.forward(X), y)",
                impl=_backward_ones, witnesses=(_backward_probabilities,), detect=_wrong_upstream),
        Mistake("stale_forward", "model.backward ran on a stale forward pass: the analytic gradients belong "
                "to other parameter values or other data (e.g. the numerical gradients' forward passes "
                "ran between the forward and the backward)",
                "run loss_fn.forward(model.forward(X), y) right before model.backward(loss_fn.backward()), "
                "and take the analytic gradients before the numerical ones",
                impl=_numerical_before_backward, witnesses=(_forward_numerical_backward,),
                detect=_stale_not_upstream),
        Mistake("imprecise_numerical_gradient", "a numerical gradient that is only roughly right "
                "(one-sided difference, or a large h); your analytic gradients are right",
                "use the centred difference with h around 1e-5 in float64",
                impl=_one_sided, witnesses=(_large_h,), detect=_gc_effect(_imprecise_effect)),
    ])


EXERCISES = [numerical_gradient, rel_error, dense_backward, gradient_check]
