r"""Checks for lesson 03 (weight initialization).

Use in a notebook: ``from course.checks import lesson03 as check`` then
``check.glorot_uniform(glorot_uniform)``.

The initializers return random matrices, so their checks are statistical: each case hands
the learner a seeded generator, and the sample's shape, range, mean, variance, symmetry and
shape of distribution are compared with what the scheme promises. Every tolerance is a
multiple (5 to 7) of the standard error of that statistic for the sample size, so a correct
initializer fails with a probability below one in a million, while the catalogued mistakes
(which change a bound or a variance by 20 % or more on the first case, or the distribution's
kurtosis from 1.8 to 3 or back) are far outside it. A mistake is named by those same statistics:
its variance as a ratio to the right one, and its shape.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from ._framework import Case, Exercise, Failure, Mistake, compare_array

LESSON = "03-initialization"

_SIZES = [(300, 200), (64, 784), (1000, 50)]   # 60 000, 50 176 and 50 000 weights
_SMALL = (3, 5)                               # too few weights for statistics: shape and range only


def _scalar(got, what="your result"):
    try:
        value = float(np.asarray(got, dtype=float))
    except (TypeError, ValueError):
        raise Failure(f"{what} should be one number (a float), got {type(got).__name__}") from None
    if not np.isfinite(value):
        raise Failure(f"{what} is {value}; expected a finite number")
    return value


# --- 3.1 glorot_bound(n_in, n_out) ------------------------------------------------------
# A scalar mistake is named when one formula for it gives the learner's value on EVERY case (the
# framework checks that), so every way of writing the same formula gets the same name.

def _glorot_bound(n_in, n_out):
    return float(np.sqrt(6.0 / (n_in + n_out)))


def _fan_cases(rng):
    return [Case((300, 200), label="n_in=300, n_out=200"), Case((784, 10), label="n_in=784, n_out=10"),
            Case((5, 3), label="n_in=5, n_out=3")]


def _compare_scalar(got, expected, case):
    compare_array(_scalar(got), expected, "your result", rtol=1e-9, atol=0)


_INTEGER_DIVISION = (   # title and fix, shared by 3.1 and 3.2: every case's right value is below 1
    "a result of 0 on every case: an integer division // (or an int()) truncated a fraction below 1 to 0",
    "divide with /, which gives a float in Python 3, and keep the result a float (no int(), no //)")


def _three_variances(n_in, n_out):
    var = 2 / (n_in + n_out)     # the variance, then a**2 = 3 Var(w) without taking the root
    return 3 * var


glorot_bound = Exercise(
    LESSON, "3.1", "glorot_bound", _glorot_bound, _fan_cases, compare=_compare_scalar,
    mistakes=[
        Mistake("missing_sqrt", "the square root is missing: 6 / (n_in + n_out)",
                "the bound is a = sqrt(6 / (n_in + n_out)); "
                "U(-a, a) has variance a**2 / 3 = 2 / (n_in + n_out)",
                impl=lambda n_in, n_out: 6.0 / (n_in + n_out), witnesses=(_three_variances,)),
        Mistake("std_not_bound", "the standard deviation sqrt(2 / (n_in + n_out)) returned as the bound",
                "a uniform U(-a, a) has standard deviation a / sqrt(3), so the bound is sqrt(3) times the "
                "std: a = sqrt(6 / (n_in + n_out))",
                impl=lambda n_in, n_out: float(np.sqrt(2.0 / (n_in + n_out))),
                witnesses=(lambda n_in, n_out: math.sqrt(2) / math.sqrt(n_in + n_out),)),
        Mistake("six_outside_sqrt", "6 / sqrt(n_in + n_out): the 6 left outside the square root",
                "take the square root of the whole fraction (Glorot & Bengio 2010, eq. 16): "
                "sqrt(6) / sqrt(n_in + n_out)",
                impl=lambda n_in, n_out: 6.0 / float(np.sqrt(n_in + n_out)),
                witnesses=(lambda n_in, n_out: 6 * (n_in + n_out) ** -0.5,)),
        Mistake("sqrt_of_numerator_only", "sqrt(6) / (n_in + n_out): the root taken of the numerator only",
                "take the root of the whole fraction: "
                "sqrt(6 / (n_in + n_out)) = sqrt(6) / sqrt(n_in + n_out)",
                impl=lambda n_in, n_out: float(np.sqrt(6.0)) / (n_in + n_out),
                witnesses=(lambda n_in, n_out: 6 ** 0.5 * (n_in + n_out) ** -1,)),
        Mistake("fan_in_only", "only the fan-in used: sqrt(6 / n_in) (that is He's uniform bound)",
                "Glorot averages the forward and backward conditions: use n_in + n_out in the denominator",
                impl=lambda n_in, n_out: float(np.sqrt(6.0 / n_in)),
                witnesses=(lambda n_in, n_out: (6 / n_in) ** 0.5,)),
        Mistake("fans_multiplied", "sqrt(6 / (n_in * n_out)): the fans multiplied instead of added",
                "the denominator is the SUM of the fans, n_in + n_out (twice their average): "
                "a = sqrt(6 / (n_in + n_out))",
                impl=lambda n_in, n_out: float(np.sqrt(6.0 / (n_in * n_out))),
                witnesses=(lambda n_in, n_out: math.sqrt(6) / math.sqrt(n_in) / math.sqrt(n_out),)),
        Mistake("precedence", "sqrt(6 / n_in + n_out): the parentheses around n_in + n_out are missing, so "
                "6 is divided by n_in alone and n_out added to the quotient",
                "division binds tighter than addition: put the sum in parentheses, 6 / (n_in + n_out)",
                impl=lambda n_in, n_out: float(np.sqrt(6.0 / n_in + n_out)),
                witnesses=(lambda n_in, n_out: (n_out + 6 * n_in ** -1) ** 0.5,)),
        Mistake("three_not_six", "sqrt(3 / (n_in + n_out)): the bound of the variance 1 / (n_in + n_out), "
                "half of Glorot's 2 / (n_in + n_out)",
                "Glorot's variance is 2 / (n_in + n_out), one over the fans' average; U(-a, a) has variance "
                "a**2 / 3, so a = sqrt(3 * 2 / (n_in + n_out))",
                impl=lambda n_in, n_out: float(np.sqrt(3.0 / (n_in + n_out))),
                witnesses=(lambda n_in, n_out: math.sqrt(3 * (1 / (n_in + n_out))),)),
        Mistake("integer_division", *_INTEGER_DIVISION,
                impl=lambda n_in, n_out: math.sqrt(6 // (n_in + n_out)),
                witnesses=(lambda n_in, n_out: int(np.sqrt(6 / (n_in + n_out))),)),
        Mistake("inverted", "sqrt((n_in + n_out) / 6): the fraction upside down (the reciprocal of the "
                "bound)",
                "6 is the numerator: a = sqrt(6 / (n_in + n_out)), which shrinks as the layers grow",
                impl=lambda n_in, n_out: float(np.sqrt((n_in + n_out) / 6.0)),
                witnesses=(lambda n_in, n_out: 1 / math.sqrt(6 / (n_in + n_out)),)),
    ])


# --- 3.2 he_std(n_in) -------------------------------------------------------------------

def _he_std(n_in):
    return float(np.sqrt(2.0 / n_in))


def _he_std_cases(rng):
    return [Case((300,), label="n_in=300"), Case((64,), label="n_in=64"), Case((10,), label="n_in=10")]


he_std = Exercise(
    LESSON, "3.2", "he_std", _he_std, _he_std_cases, compare=_compare_scalar,
    mistakes=[
        Mistake("missing_sqrt", "the variance 2 / n_in returned instead of the standard deviation",
                "He's condition fixes the variance, Var(w) = 2 / n_in; the standard deviation is its square "
                "root, sqrt(2 / n_in)",
                impl=lambda n_in: 2.0 / n_in, witnesses=(lambda n_in: 2 * (1 / n_in),)),
        Mistake("one_over_n", "sqrt(1 / n_in): the factor 2 for ReLU is missing",
                "ReLU zeroes half of its inputs, which halves E[x**2]; He et al. (2015, eq. 10) "
                "compensate with Var(w) = 2 / n_in, so the std is sqrt(2 / n_in)",
                impl=lambda n_in: float(np.sqrt(1.0 / n_in)), witnesses=(lambda n_in: 1 / math.sqrt(n_in),)),
        Mistake("sqrt_of_numerator_only", "sqrt(2) / n_in: the root taken of the numerator only",
                "take the root of the whole fraction: sqrt(2 / n_in) = sqrt(2) / sqrt(n_in)",
                impl=lambda n_in: float(np.sqrt(2.0)) / n_in, witnesses=(lambda n_in: 2 ** 0.5 / n_in,)),
        Mistake("uniform_bound", "sqrt(6 / n_in), the bound of He's *uniform* variant, not the std",
                "the normal variant needs the standard deviation sqrt(2 / n_in); sqrt(6 / n_in) is the "
                "bound a of U(-a, a) with the same variance",
                impl=lambda n_in: float(np.sqrt(6.0 / n_in)),
                witnesses=(lambda n_in: math.sqrt(3) * math.sqrt(2 / n_in),)),
        Mistake("two_outside_sqrt", "2 / sqrt(n_in): the 2 left outside the square root (your value is "
                "sqrt(2) = 1.41 times the right one)",
                "take the root of the whole fraction: sqrt(2 / n_in) = sqrt(2) / sqrt(n_in)",
                impl=lambda n_in: 2.0 / float(np.sqrt(n_in)), witnesses=(lambda n_in: 2 * n_in ** -0.5,)),
        Mistake("integer_division", *_INTEGER_DIVISION,
                impl=lambda n_in: math.sqrt(2 // n_in), witnesses=(lambda n_in: int(np.sqrt(2 / n_in)),)),
        Mistake("inverted", "sqrt(n_in / 2): the fraction upside down (the reciprocal of the std)",
                "n_in is the denominator: std = sqrt(2 / n_in), which shrinks as the fan-in grows",
                impl=lambda n_in: float(np.sqrt(n_in / 2.0)),
                witnesses=(lambda n_in: 1 / math.sqrt(2 / n_in),)),
    ])


# --- shared statistics for the random initializers -----------------------------------------

def _as_weights(got, n_in, n_out):
    """The learner's W as a float array of shape (n_in, n_out), or a Failure saying what is wrong."""
    if not isinstance(got, np.ndarray):
        raise Failure(f"your function should return a NumPy array W of shape (n_in, n_out) = "
                      f"({n_in}, {n_out}), got {type(got).__name__}")
    if got.shape != (n_in, n_out):
        hint = (" (rows and columns swapped: nnlib's W has one row per input and one column per unit)"
                if got.shape == (n_out, n_in) else "")
        raise Failure(f"your W has shape {got.shape}, expected (n_in, n_out) = ({n_in}, {n_out}){hint}")
    try:
        W = got.astype(float)
    except (TypeError, ValueError):
        raise Failure(f"your W should hold numbers, got dtype {got.dtype}") from None
    if not np.all(np.isfinite(W)):
        raise Failure("your W contains NaN or infinite values")
    if W.size > 1 and np.ptp(W) == 0:
        raise Failure(f"every weight of your W equals {W.flat[0]:.4g}: all units start identical; draw each "
                      f"weight independently with rng")
    return W


def _check_centred(W, std):
    """Mean near 0 and as many positive as negative weights, within 5 standard errors."""
    n = W.size
    if abs(W.mean()) > 5 * std / np.sqrt(n):
        raise Failure(f"the weights' mean is {W.mean():.3g}, but a distribution centred on 0 gives a mean "
                      f"within ±{5 * std / np.sqrt(n):.2g} for {n} weights")
    positive = np.mean(W > 0)
    if abs(positive - 0.5) > 5 * 0.5 / np.sqrt(n):
        raise Failure(f"{100 * positive:.1f} % of the weights are positive; a distribution symmetric "
                      f"about 0 gives 50 %")


def _check_variance(W, var, rel_sd, formula):
    """Sample variance within 6 standard errors of ``var``; ``rel_sd`` = sd(s^2) / var for this n."""
    s2 = W.var()
    if abs(s2 / var - 1) > 6 * rel_sd:
        raise Failure(f"the weights' variance is {s2:.4g}, expected {formula} = {var:.4g} "
                      f"(±{100 * 6 * rel_sd:.1f} % for {W.size} weights)")


def _kurtosis(W):
    """E[(w - mean)^4] / Var(w)^2: 1.8 for a uniform distribution, 3 for a normal one."""
    d = W - W.mean()
    return float(np.mean(d ** 4) / np.mean(d ** 2) ** 2)


_KURTOSIS = {"uniform": 1.8, "normal": 3.0}
# n * Var(sample kurtosis) for large n (delta method): 1.317 for a uniform, 24 for a normal distribution
_KURTOSIS_NVAR = {"uniform": 1.317, "normal": 24.0}


def _check_shape_of_distribution(W, kind, n_sd):
    k, sd = _kurtosis(W), np.sqrt(_KURTOSIS_NVAR[kind] / W.size)
    if abs(k - _KURTOSIS[kind]) > n_sd * sd:
        raise Failure(f"the weights' kurtosis E[(w - mean)^4] / Var(w)^2 is {k:.3f}; a {kind} distribution "
                      f"has {_KURTOSIS[kind]:g} (±{n_sd * sd:.3f} for {W.size} weights)")


def _check_distinct_units(W):
    if W.shape[1] > 1 and np.unique(W, axis=1).shape[1] < W.shape[1]:
        raise Failure("some columns of W are equal: those units get identical incoming weights, and "
                      "gradient descent will keep them identical")


def _weights(got):
    W = np.asarray(got, dtype=float)
    if W.ndim != 2 or not np.all(np.isfinite(W)):
        raise ValueError("not a finite matrix")
    return W


# The detectors below judge a large sample by its statistics, with margins (2 % of the range, 5 % of
# the variance, 0.2 of the kurtosis) far wider than the sampling noise of 50 000 weights and far
# narrower than the gaps between the catalogued mistakes on the first case.

def _uniform_on(lo, hi):
    """detect(): the sample fills (lo(n_in, n_out), hi(n_in, n_out)) evenly and nothing outside it."""
    def detect(got, expected, case):
        W = _weights(got)
        a, b = lo(*case.args[:2]), hi(*case.args[:2])
        tol = 0.02 * (b - a)
        return (W.shape == expected.shape and W.size >= 1000 and abs(W.min() - a) < tol
                and abs(W.max() - b) < tol and abs(W.var() / ((b - a) ** 2 / 12) - 1) < 0.05
                and abs(_kurtosis(W) - _KURTOSIS["uniform"]) < 0.2)
    return detect


def _drawn_like(kind, right_var, ratio):
    """detect(): a centred sample of the right shape and distinct columns, uniform or normal (told
    apart by the kurtosis), whose variance is ratio(n_in, n_out) times the right one, right_var(n_in,
    n_out), within 5 % and nearer to it than to the right one (the two are close for n_in=1000,
    n_out=50)."""
    def detect(got, expected, case):
        W = _weights(got)
        n_in, n_out = case.args[:2]
        right = right_var(n_in, n_out)
        var, s2 = ratio(n_in, n_out) * right, W.var()
        nearer = var == right or abs(np.log(s2 / var)) < abs(np.log(s2 / right))
        return (W.shape == expected.shape and W.size >= 1000 and abs(s2 / var - 1) < 0.05 and nearer
                and not _same_columns(W, expected, case)
                and abs(W.mean()) < 0.05 * np.sqrt(var) and abs(_kurtosis(W) - _KURTOSIS[kind]) < 0.2)
    return detect


def _any_of(*detectors):
    """detect(): one of several detectors fires (variants of one slip with different statistics)."""
    return lambda got, expected, case: any(d(got, expected, case) for d in detectors)


def _reshaped(got, expected, case):
    """detect(): the right number of weights, n_in * n_out, in another shape than (n_in, n_out) and
    (n_out, n_in) (size= given the count, a flat vector, or a wrong reshape)."""
    shape = np.shape(got)
    return (isinstance(got, np.ndarray) and got.size == expected.size and shape != expected.shape
            and shape != expected.shape[::-1])


def _reshaped_mistake(draw, flat):
    """The weights of ``draw`` returned as a flat vector; ``flat(n_in, n_out, rng)`` draws n_in * n_out
    of them with size= the count."""
    return Mistake("reshaped", "the right number of weights, n_in * n_out, but not in the shape "
                   "(n_in, n_out): size= given the count (a flat vector) or a wrong reshape",
                   "pass the shape as a tuple, size=(n_in, n_out): one row per input, one column per unit",
                   impl=lambda n_in, n_out, rng: draw(n_in, n_out, rng).ravel(), detect=_reshaped,
                   witnesses=(flat, lambda n_in, n_out, rng: draw(n_in, n_out, rng).reshape(-1, 1)))


def _same_columns(got, expected, case):
    W = _weights(got)
    return W.shape == expected.shape and np.ptp(W) > 0 and np.unique(W, axis=1).shape[1] < W.shape[1]


def _transposed(got, expected, case):
    return np.shape(got) == expected.shape[::-1] and expected.shape[0] != expected.shape[1]


_OTHER_SEEDS = itertools.count(1)


def _another_generator():
    """A different generator on every call: how a function that ignores its ``rng`` behaves
    (deterministic here, so that the catalogue's own tests are reproducible)."""
    return np.random.default_rng(next(_OTHER_SEEDS))


def _one_column(column):
    """One column, column(n_in, n_out, rng) of shape (n_in,), copied to every unit, in two ways."""
    def tiled(n_in, n_out, rng):
        return np.tile(column(n_in, n_out, rng)[:, None], (1, n_out))

    def stacked(n_in, n_out, rng):
        w = column(n_in, n_out, rng)
        return np.column_stack([w for _ in range(n_out)])
    return tiled, stacked


def _sampling_mistakes(draw, call, column, own_seed, global_draw):
    """Two mistakes any random initializer can make, for the reference sampler ``draw``;
    ``column(n_in, n_out, rng)`` draws one unit's weights, ``own_seed(n_in, n_out)`` and
    ``global_draw(n_in, n_out)`` the right matrix from a generator of their own and from
    np.random's global one."""
    return [
        Mistake("same_column", "one column of weights drawn and repeated: every unit starts identical",
                "draw the whole matrix at once, size=(n_in, n_out), so every unit gets its own weights",
                impl=lambda n_in, n_out, rng: np.repeat(draw(n_in, n_out, rng)[:, :1], n_out, axis=1),
                detect=_same_columns, witnesses=_one_column(column)),
        Mistake("ignores_rng", "the weights come from another generator (np.random, or a default_rng() of "
                "the function's own, seeded or not), not from the rng argument",
                f"draw with the generator you were given, {call}: the caller seeds it so that every run "
                f"starts from the same weights",
                impl=lambda n_in, n_out, rng: draw(n_in, n_out, _another_generator()),
                irreproducible=True,
                witnesses=(lambda n_in, n_out, rng: own_seed(n_in, n_out),
                           lambda n_in, n_out, rng: global_draw(n_in, n_out))),
    ]


def _random_cases(rng):
    seeds = rng.integers(0, 2**31, len(_SIZES) + 1)
    sizes = _SIZES + [_SMALL]
    return [Case((n_in, n_out, np.random.default_rng(int(s))), label=f"n_in={n_in}, n_out={n_out}")
            for (n_in, n_out), s in zip(sizes, seeds)]


# --- 3.3 glorot_uniform(n_in, n_out, rng) -------------------------------------------------

def _glorot_uniform(n_in, n_out, rng):
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


def _glorot_var(n_in, n_out):
    return 2.0 / (n_in + n_out)


def _compare_glorot(got, expected, case):
    n_in, n_out = case.args[:2]
    W = _as_weights(got, n_in, n_out)
    a = _glorot_bound(n_in, n_out)
    if np.abs(W).max() > a * (1 + 1e-9):
        raise Failure(f"some weights lie outside (-a, a): the largest |w| is {np.abs(W).max():.4g}, but "
                      f"a = sqrt(6 / (n_in + n_out)) = {a:.4g}")
    _check_distinct_units(W)
    if W.size < 1000:
        return
    if W.max() < 0.99 * a or W.min() > -0.99 * a:
        raise Failure(f"the weights only span ({W.min():.4g}, {W.max():.4g}); U(-a, a) with "
                      f"a = {a:.4g} reaches both ends of the interval")
    _check_centred(W, a / np.sqrt(3))
    # uniform: Var(s^2) = (mu4 - sigma^4) / n = (a^4/5 - a^4/9) / n, relative sd sqrt(0.8 / n)
    _check_variance(W, a * a / 3, np.sqrt(0.8 / W.size), "2 / (n_in + n_out)")
    _check_shape_of_distribution(W, "uniform", 6)


def _glorot_uniform_drawn_per_unit(n_in, n_out, rng):   # one unit (a row) after the other
    a = np.sqrt(6 / (n_in + n_out))
    return np.array([rng.uniform(-a, a, n_in) for _ in range(n_out)])


def _glorot_on(lo, hi):
    """A uniform draw on (lo(n_in, n_out), hi(n_in, n_out)) written as lo + (hi - lo) * U(0, 1)."""
    def draw(n_in, n_out, rng):
        a, b = lo(n_in, n_out), hi(n_in, n_out)
        return a + (b - a) * rng.random((n_in, n_out))
    return draw


def _scaled_glorot(bound):
    """A uniform draw on (-bound, bound) written as bound * U(-1, 1)."""
    return lambda n_in, n_out, rng: bound(n_in, n_out) * (2 * rng.random((n_in, n_out)) - 1)


def _symmetric(bound):
    return lambda n_in, n_out, rng: rng.uniform(-bound(n_in, n_out), bound(n_in, n_out), (n_in, n_out))


def _ratio_to_glorot(bound):
    """Var(U(-b, b)) / Var(U(-a, a)) = (b / a)**2 for the bound b = bound(n_in, n_out)."""
    return lambda n_in, n_out: (bound(n_in, n_out) / _glorot_bound(n_in, n_out)) ** 2


def _seed_lo(n_in, n_out):
    return -6 / np.sqrt(n_in + n_out)


def _seed_hi(n_in, n_out):
    return 6 / (n_in + n_out)


_GLOROT_BOUNDS = {   # the symmetric bound each formula mistake uses
    "missing_sqrt": lambda n_in, n_out: 6 / (n_in + n_out),
    "std_as_bound": lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)),
    "six_outside_sqrt": lambda n_in, n_out: 6 / np.sqrt(n_in + n_out),
    "fan_in_only": lambda n_in, n_out: np.sqrt(6 / n_in),
}


# The ways a missing parenthesis turns a * (2 U - 1), U = rng.random(), into another interval:
# 2 a U - 1 on (-1, 2a - 1), 2 U - a on (-a, 2 - a), U - 0.5 * 2 a = U - a on (-a, 1 - a).
_PRECEDENCE_INTERVALS = [
    (lambda n_in, n_out: -1.0, lambda n_in, n_out: 2 * _glorot_bound(n_in, n_out) - 1),
    (lambda n_in, n_out: -_glorot_bound(n_in, n_out), lambda n_in, n_out: 2 - _glorot_bound(n_in, n_out)),
    (lambda n_in, n_out: -_glorot_bound(n_in, n_out), lambda n_in, n_out: 1 - _glorot_bound(n_in, n_out)),
]


def _shift_first(n_in, n_out, rng):          # scaled, then 1 subtracted: on (-1, 2a - 1)
    return -1 + 2 * _glorot_bound(n_in, n_out) * rng.random((n_in, n_out))


def _glorot_spread(key):
    """impl, witness and detector of a symmetric uniform with the wrong bound: named by the ratio of
    the sample's variance to the right one, 2 / (n_in + n_out), and its uniform shape."""
    bound = _GLOROT_BOUNDS[key]
    return dict(impl=_symmetric(bound), witnesses=(_scaled_glorot(bound),),
                detect=_drawn_like("uniform", _glorot_var, _ratio_to_glorot(bound)))


glorot_uniform = Exercise(
    LESSON, "3.3", "glorot_uniform", _glorot_uniform, _random_cases, compare=_compare_glorot,
    check_mutation=False, reproducible=True,
    mistakes=[
        Mistake("shape_swapped", "fan-in and fan-out swapped: W has shape (n_out, n_in)",
                "nnlib computes X @ W, so W needs one row per input: size=(n_in, n_out)",
                impl=lambda n_in, n_out, rng: _glorot_uniform(n_out, n_in, rng), detect=_transposed,
                witnesses=(_glorot_uniform_drawn_per_unit,
                           lambda n_in, n_out, rng: _glorot_uniform(n_in, n_out, rng).T)),
        Mistake("asymmetric_bounds", "asymmetric bounds: U(0, a) instead of U(-a, a), no negative weights",
                "draw from the symmetric interval: rng.uniform(-a, a, size=...), so the weights have mean 0",
                impl=lambda n_in, n_out, rng: rng.uniform(0, _glorot_bound(n_in, n_out), (n_in, n_out)),
                detect=_uniform_on(lambda n_in, n_out: 0.0, _glorot_bound),
                witnesses=(lambda n_in, n_out, rng: _glorot_bound(n_in, n_out) * rng.random((n_in, n_out)),
                           lambda n_in, n_out, rng: np.abs(_glorot_uniform(n_in, n_out, rng)))),
        Mistake("seed_formula", "the interval (-6 / sqrt(n_in + n_out), 6 / (n_in + n_out)) printed in "
                "one of this course's sources",
                "that formula is a typo for Glorot & Bengio's eq. 16: "
                "both bounds are ±sqrt(6 / (n_in + n_out))",
                impl=lambda n_in, n_out, rng: rng.uniform(_seed_lo(n_in, n_out), _seed_hi(n_in, n_out),
                                                          (n_in, n_out)),
                detect=_uniform_on(_seed_lo, _seed_hi), witnesses=(_glorot_on(_seed_lo, _seed_hi),)),
        Mistake("missing_sqrt", "a missing square root: the bound 6 / (n_in + n_out) (far too small weights)",
                "a = sqrt(6 / (n_in + n_out)); without the root the weights are far too small",
                **_glorot_spread("missing_sqrt")),
        Mistake("std_as_bound", "the standard deviation sqrt(2 / (n_in + n_out)) used as the uniform bound "
                "(a third of the right variance)",
                "Var(w) = 2 / (n_in + n_out) is the target variance; U(-a, a) has variance a**2 / 3, so "
                "a = sqrt(6 / (n_in + n_out)), sqrt(3) times larger",
                **_glorot_spread("std_as_bound")),
        Mistake("six_outside_sqrt", "the bound 6 / sqrt(n_in + n_out): the 6 left outside the square root "
                "(weights sqrt(6) = 2.45 times too wide, 6 times the right variance)",
                "take the square root of the whole fraction: a = sqrt(6 / (n_in + n_out)) "
                "= sqrt(6) / sqrt(n_in + n_out)",
                **_glorot_spread("six_outside_sqrt")),
        Mistake("fan_in_only", "only the fan-in used: U(±sqrt(6 / n_in)), He's uniform scheme",
                "Glorot's compromise uses both fans: a = sqrt(6 / (n_in + n_out))",
                **_glorot_spread("fan_in_only")),
        Mistake("precedence", "a missing parenthesis in the scale-and-shift of rng.random(): 2 * a * U - 1 "
                "draws on (-1, 2a - 1), 2 * U - a on (-a, 2 - a), not on (-a, a)",
                "scale and shift the whole of U: a * (2 * rng.random(size) - 1), or simply "
                "rng.uniform(-a, a, size=(n_in, n_out))",
                impl=_shift_first, detect=_any_of(*(_uniform_on(lo, hi) for lo, hi in _PRECEDENCE_INTERVALS)),
                witnesses=(lambda n_in, n_out, rng: 2 * rng.random((n_in, n_out))
                           - _glorot_bound(n_in, n_out),
                           lambda n_in, n_out, rng: rng.random((n_in, n_out))
                           - 0.5 * 2 * _glorot_bound(n_in, n_out))),
        Mistake("normal_not_uniform", "a normal distribution where the uniform U(-a, a) was asked (Glorot's "
                "normal variant, or rng.normal with the bound a as its standard deviation)",
                "a is the end of the interval, not a standard deviation: draw "
                "rng.uniform(-a, a, size=(n_in, n_out))",
                impl=lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in, n_out)),
                detect=_any_of(_drawn_like("normal", _glorot_var, lambda n_in, n_out: 1.0),
                               _drawn_like("normal", _glorot_var, lambda n_in, n_out: 3.0)),
                witnesses=(lambda n_in, n_out, rng: np.sqrt(_glorot_var(n_in, n_out))
                           * rng.standard_normal((n_in, n_out)),
                           lambda n_in, n_out, rng: _glorot_bound(n_in, n_out)
                           * rng.standard_normal((n_in, n_out)))),
        _reshaped_mistake(_glorot_uniform, lambda n_in, n_out, rng: rng.uniform(
            -_glorot_bound(n_in, n_out), _glorot_bound(n_in, n_out), n_in * n_out)),
        *_sampling_mistakes(_glorot_uniform, "rng.uniform(-a, a, size=(n_in, n_out))",
                            lambda n_in, n_out, rng: rng.uniform(-_glorot_bound(n_in, n_out),
                                                                 _glorot_bound(n_in, n_out), n_in),
                            lambda n_in, n_out: _glorot_uniform(n_in, n_out, np.random.default_rng(0)),
                            lambda n_in, n_out: np.random.uniform(-_glorot_bound(n_in, n_out),
                                                                  _glorot_bound(n_in, n_out), (n_in, n_out))),
    ])


# --- 3.4 he_normal(n_in, n_out, rng) --------------------------------------------------------

def _he_normal(n_in, n_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def _he_var(n_in, n_out):
    return 2.0 / n_in


_TAIL = 0.04550026389635842   # P(|z| > 2) for a standard normal


def _compare_he(got, expected, case):
    n_in, n_out = case.args[:2]
    W = _as_weights(got, n_in, n_out)
    std = _he_std(n_in)
    _check_distinct_units(W)
    if W.size < 1000:
        if np.abs(W).max() > 8 * std:
            raise Failure(f"the largest |w| is {np.abs(W).max():.4g}, more than 8 standard deviations "
                          f"(std = sqrt(2 / n_in) = {std:.4g})")
        return
    _check_centred(W, std)
    # normal: Var(s^2) = 2 sigma^4 / n, relative sd sqrt(2 / n)
    _check_variance(W, std * std, np.sqrt(2.0 / W.size), "2 / n_in")
    tail = np.mean(np.abs(W) > 2 * std)
    if abs(tail - _TAIL) > 6 * np.sqrt(_TAIL * (1 - _TAIL) / W.size):
        raise Failure(f"{100 * tail:.2f} % of the weights lie beyond 2 standard deviations; a normal "
                      f"distribution puts {100 * _TAIL:.2f} % there")
    _check_shape_of_distribution(W, "normal", 7)   # 7: the sample kurtosis has a long right tail


_HE_STDS = {   # the standard deviation each formula mistake draws with
    "missing_sqrt": lambda n_in, n_out: 2 / n_in,
    "fan_out": lambda n_in, n_out: np.sqrt(2 / n_out),
    "one_over_n": lambda n_in, n_out: np.sqrt(1 / n_in),
    "glorot_variance": lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)),
    "sqrt_of_numerator_only": lambda n_in, n_out: np.sqrt(2) / n_in,
}


def _he_spread(key):
    """impl, witness and detector of a normal with the wrong std: named by the ratio of the sample's
    variance to the right one, 2 / n_in, and its normal shape."""
    std = _HE_STDS[key]
    return dict(impl=lambda n_in, n_out, rng: rng.normal(0, std(n_in, n_out), (n_in, n_out)),
                witnesses=(lambda n_in, n_out, rng: rng.standard_normal((n_in, n_out)) * std(n_in, n_out),),
                detect=_drawn_like("normal", _he_var,
                                   lambda n_in, n_out: std(n_in, n_out) ** 2 / _he_var(n_in, n_out)))


he_normal = Exercise(
    LESSON, "3.4", "he_normal", _he_normal, _random_cases, compare=_compare_he, check_mutation=False,
    reproducible=True,
    mistakes=[
        Mistake("shape_swapped", "fan-in and fan-out swapped: W has shape (n_out, n_in)",
                "nnlib computes X @ W, so W needs one row per input: size=(n_in, n_out)",
                impl=lambda n_in, n_out, rng: _he_normal(n_out, n_in, rng), detect=_transposed,
                witnesses=(lambda n_in, n_out, rng: _he_normal(n_in, n_out, rng).T,
                           lambda n_in, n_out, rng: np.array([rng.normal(0, np.sqrt(2 / n_in), n_in)
                                                              for _ in range(n_out)]))),
        Mistake("missing_sqrt", "the variance 2 / n_in passed as the standard deviation",
                "rng.normal(loc, scale) takes the standard deviation: scale = sqrt(2 / n_in)",
                **_he_spread("missing_sqrt")),
        Mistake("fan_out", "the fan-out used instead of the fan-in: std sqrt(2 / n_out)",
                "the forward condition (He et al. 2015, eq. 10) counts the inputs of a unit: "
                "std = sqrt(2 / n_in)",
                **_he_spread("fan_out")),
        Mistake("one_over_n", "std sqrt(1 / n_in): the factor 2 for ReLU is missing (half the variance)",
                "ReLU zeroes half of its inputs; He et al. compensate with Var(w) = 2 / n_in, "
                "std sqrt(2 / n_in)",
                **_he_spread("one_over_n")),
        Mistake("glorot_variance", "Glorot's variance 2 / (n_in + n_out) used for He",
                "He's scheme depends on the fan-in only: std = sqrt(2 / n_in)",
                **_he_spread("glorot_variance")),
        Mistake("sqrt_of_numerator_only", "the std sqrt(2) / n_in: the root taken of the numerator only "
                "(a variance n_in times too small)",
                "take the root of the whole fraction: std = sqrt(2 / n_in) = sqrt(2) / sqrt(n_in)",
                **_he_spread("sqrt_of_numerator_only")),
        Mistake("uniform_not_normal", "a uniform distribution where the normal one was asked (He's uniform "
                "variant, or U(-std, std) with the std sqrt(2 / n_in) as the bound)",
                "draw with rng.normal(0, sqrt(2 / n_in), size=...): the std is the spread of a normal "
                "distribution, not the end of an interval",
                impl=lambda n_in, n_out, rng: rng.uniform(-np.sqrt(6 / n_in), np.sqrt(6 / n_in),
                                                          (n_in, n_out)),
                detect=_any_of(_drawn_like("uniform", _he_var, lambda n_in, n_out: 1.0),
                               _drawn_like("uniform", _he_var, lambda n_in, n_out: 1 / 3)),
                witnesses=(_scaled_glorot(lambda n_in, n_out: np.sqrt(3 * _he_var(n_in, n_out))),
                           _scaled_glorot(lambda n_in, n_out: np.sqrt(_he_var(n_in, n_out))))),
        _reshaped_mistake(_he_normal,
                          lambda n_in, n_out, rng: _he_std(n_in) * rng.standard_normal(n_in * n_out)),
        *_sampling_mistakes(_he_normal, "rng.normal(0.0, std, size=(n_in, n_out))",
                            lambda n_in, n_out, rng: rng.normal(0, _he_std(n_in), n_in),
                            lambda n_in, n_out: np.random.default_rng(42).normal(0, _he_std(n_in),
                                                                                 (n_in, n_out)),
                            lambda n_in, n_out: _he_std(n_in) * np.random.randn(n_in, n_out)),
    ])


# --- 3.5 output_variance(n_in, var_w, var_x) ------------------------------------------------
# Case 1 has no coincidence (n_in Var(w) = 0.48, Var(x) = 0.7: no factor or product is 1), and each
# further case changes ONE factor of case 1, so a formula that gives the learner's value on every
# case (how the framework names a scalar mistake) scales with n_in, Var(w) and Var(x) as theirs does.

def _output_variance(n_in, var_w, var_x):
    return float(n_in * var_w * var_x)


def _variance_cases(rng):
    return [Case((120, 0.004, 0.7), label="n_in=120, Var(w)=0.004, Var(x)=0.7"),
            Case((480, 0.004, 0.7), label="n_in=480 (4 times case 1), Var(w)=0.004, Var(x)=0.7"),
            Case((120, 0.01, 0.7), label="n_in=120, Var(w)=0.01 (2.5 times case 1), Var(x)=0.7"),
            Case((120, 0.004, 3.5), label="n_in=120, Var(w)=0.004, Var(x)=3.5 (5 times case 1)")]


def _mean_of_terms(n_in, var_w, var_x):          # the n_in terms averaged instead of added
    return float(np.mean([var_w * var_x for _ in range(n_in)]))


def _sum_of_term_variances(n_in, var_w, var_x):  # each term's variance added up, Var(w) + Var(x) each
    return sum(var_w + var_x for _ in range(n_in))


def _sum_of_term_stds(n_in, var_w, var_x):       # each term's std sqrt(Var(w)) sqrt(Var(x)) added up
    return sum(math.sqrt(var_w) * math.sqrt(var_x) for _ in range(n_in))


output_variance = Exercise(
    LESSON, "3.5", "output_variance", _output_variance, _variance_cases, compare=_compare_scalar,
    mistakes=[
        Mistake("no_fan_in", "Var(w) Var(x) without the factor n_in (your value does not grow with n_in)",
                "y = sum of n_in independent terms w_i x_i, and variances of independent terms add: "
                "multiply by n_in",
                impl=lambda n_in, var_w, var_x: var_w * var_x, witnesses=(_mean_of_terms,)),
        Mistake("no_var_x", "n_in Var(w) without the factor Var(x) (your value does not change with Var(x))",
                "each term w_i x_i has variance Var(w) Var(x): the inputs' variance is a factor too",
                impl=lambda n_in, var_w, var_x: n_in * var_w,
                witnesses=(lambda n_in, var_w, var_x: sum(var_w for _ in range(n_in)),)),
        Mistake("no_var_w", "n_in Var(x) without the factor Var(w) (your value does not change with Var(w))",
                "each term w_i x_i has variance Var(w) Var(x): the weights' variance is a factor too",
                impl=lambda n_in, var_w, var_x: n_in * var_x,
                witnesses=(lambda n_in, var_w, var_x: sum(var_x for _ in range(n_in)),)),
        Mistake("fan_in_squared", "n_in**2 Var(w) Var(x): the sum treated as n_in times one term "
                "(your value grows like n_in**2)",
                "Var(c z) = c**2 Var(z) holds for ONE variable scaled by c; here n_in independent terms are "
                "added, so their variances add: n_in Var(w) Var(x)",
                impl=lambda n_in, var_w, var_x: n_in ** 2 * var_w * var_x,
                witnesses=(lambda n_in, var_w, var_x: (n_in * var_w) * (n_in * var_x),)),
        Mistake("sum_of_variances", "n_in (Var(w) + Var(x)): the variances of a product added",
                "for independent zero-mean w and x, Var(w x) = Var(w) Var(x): multiply, do not add",
                impl=lambda n_in, var_w, var_x: n_in * (var_w + var_x), witnesses=(_sum_of_term_variances,)),
        Mistake("std_product", "n_in sqrt(Var(w) Var(x)): standard deviations multiplied instead of "
                "variances (your value grows like the square root of Var(w) and of Var(x))",
                "Var(w x) = Var(w) Var(x) for independent zero-mean factors; no square roots",
                impl=lambda n_in, var_w, var_x: n_in * float(np.sqrt(var_w * var_x)),
                witnesses=(_sum_of_term_stds,)),
        Mistake("std_not_variance", "the standard deviation sqrt(n_in Var(w) Var(x)) returned instead of the "
                "variance (your value grows like the square root of n_in)",
                "the exercise asks for Var(y) = n_in Var(w) Var(x) itself: no square root",
                impl=lambda n_in, var_w, var_x: float(np.sqrt(n_in * var_w * var_x)),
                witnesses=(lambda n_in, var_w, var_x: math.sqrt(n_in) * math.sqrt(var_w)
                           * math.sqrt(var_x),)),
        Mistake("sqrt_fan_in", "sqrt(n_in) Var(w) Var(x): the square root of n_in, a standard deviation's "
                "factor, in a variance (your value grows like the square root of n_in, and like Var(w) "
                "and Var(x) themselves)",
                "the variances of the n_in independent terms add up, so Var(y) grows like n_in itself: "
                "n_in Var(w) Var(x); only the standard deviation of y grows like sqrt(n_in)",
                impl=lambda n_in, var_w, var_x: float(np.sqrt(n_in)) * var_w * var_x,
                witnesses=(lambda n_in, var_w, var_x: var_w * var_x * n_in ** 0.5,)),
        Mistake("variances_squared", "n_in Var(w)**2 Var(x)**2: the variances squared as if they were "
                "standard deviations (your value grows like Var(w)**2 and Var(x)**2)",
                "var_w and var_x are already variances: Var(w x) = Var(w) Var(x), no squares",
                impl=lambda n_in, var_w, var_x: n_in * var_w ** 2 * var_x ** 2,
                witnesses=(lambda n_in, var_w, var_x: sum((var_w * var_x) ** 2 for _ in range(n_in)),)),
        Mistake("halved", "n_in Var(w) Var(x) / 2: a factor 1/2 that does not belong here (your value is "
                "half the right one on every case)",
                "the 1/2 of He's derivation comes from a ReLU zeroing half of its inputs; here the x_i have "
                "mean 0 and nothing is zeroed: Var(z) = n_in Var(w) Var(x)",
                impl=lambda n_in, var_w, var_x: n_in * var_w * var_x / 2,
                witnesses=(lambda n_in, var_w, var_x: 0.5 * sum(var_w * var_x for _ in range(n_in)),)),
        Mistake("one_term_short", "(n_in - 1) Var(w) Var(x): one term too few (an off-by-one, or the n - 1 "
                "of a sample variance, which has no place here)",
                "y adds exactly n_in terms w_i x_i, each of variance Var(w) Var(x): multiply by n_in",
                impl=lambda n_in, var_w, var_x: (n_in - 1) * var_w * var_x,
                witnesses=(lambda n_in, var_w, var_x: sum(var_w * var_x for _ in range(1, n_in)),)),
        Mistake("divided_by_fan_in", "Var(w) Var(x) / n_in: divided by n_in instead of multiplied (your "
                "value shrinks as n_in grows)",
                "the variances of the n_in independent terms add up, so multiply by n_in; dividing by n_in "
                "gives the variance of their MEAN",
                impl=lambda n_in, var_w, var_x: var_w * var_x / n_in,
                witnesses=(lambda n_in, var_w, var_x: var_w / n_in * var_x,)),
    ])


# --- 3.6 identical_units(W, tol) -------------------------------------------------------------
# Only the incoming weights (the columns of W) are compared, as the statement asks.

def _identical_units(W, tol=1e-8):
    W = np.asarray(W, dtype=float)
    diff = np.abs(W[:, :, None] - W[:, None, :]).max(axis=0)
    return diff <= tol


def _pairs(rule):
    """An (H, H) matrix from rule(W, j, k, tol) for every pair of columns."""
    def impl(W, tol=1e-8):
        W = np.asarray(W, dtype=float)
        H = W.shape[1]
        return np.array([[rule(W, j, k, tol) for k in range(H)] for j in range(H)])
    return impl


def _identical_cases(rng):
    W = rng.standard_normal((4, 6))
    W[:, 1] = W[:, 0]                          # units 0 and 1 exactly equal
    W[:, 2] = W[:, 0] + 1e-10                  # unit 2 equal to them within tol
    W[:, 4] = W[[1, 2, 3, 0], 3]               # same column sum as unit 3, other weights
    W[0, 5] = W[0, 3]                          # same first weight as unit 3, the others differ
    W[2, 5] = W[2, 4]                          # same third weight as unit 4: one input, not the first
    near = rng.standard_normal((3, 4))
    near[:, 3] = near[:, 0] + 1e-3             # equal within the loose tolerance of that case
    spread = rng.standard_normal((4, 5))
    spread[:, 1] = spread[:, 0] + 0.006 * np.array([1, -1, 1, -1])   # each gap <= tol, their sum > tol
    spread[:, 3] = spread[:, 2] + 0.001 * np.array([1, 1, -1, 1])    # every measure of the gap <= tol
    spread[:, 4] = spread[:, 0] + np.array([0.03, 0, 0, 0])          # one gap > tol, their mean < tol
    large = 100 + 100 * rng.random((3, 4))
    large[:, 2] = large[:, 0] + 1e-4           # differ by 1e-4 > tol, within 1e-5 of their size
    return [
        Case((W,), {"tol": 1e-8}, "4 inputs, 6 units, some identical"),
        Case((rng.standard_normal((5, 3)),), {"tol": 1e-8}, "5 inputs, 3 different units"),
        Case((np.full((3, 4), 0.5),), {"tol": 0.0}, "every weight 0.5, tol=0"),
        Case((near,), {"tol": 1e-2}, "tol=1e-2"),
        Case((spread,), {"tol": 1e-2}, "tol=1e-2, units 0 and 1 within 0.006 at every input"),
        Case((large,), {"tol": 1e-8}, "weights between 100 and 200, units 0 and 2 apart by 1e-4"),
    ]


def _compare_identical(got, expected, case):
    W, tol = case.args[0], case.kwargs["tol"]
    if got is None or isinstance(got, (str, bytes, dict)):
        raise Failure(f"your function should return an (H, H) array of booleans, got {type(got).__name__}")
    try:
        S = np.asarray(got)
    except Exception:  # noqa: BLE001
        raise Failure(f"your function should return an (H, H) array of booleans, got "
                      f"{type(got).__name__}") from None
    if S.shape != expected.shape:
        hint = " (one row and column per input: compare the COLUMNS of W, one per unit)" if (
            S.shape == (W.shape[0], W.shape[0])) else ""
        raise Failure(f"your result has shape {S.shape}, expected (H, H) = {expected.shape}{hint}")
    if S.dtype != bool:
        if np.issubdtype(S.dtype, np.number) and np.all(np.isin(S, (0, 1))):
            raise Failure(f"your result holds the numbers 0 and 1 (dtype {S.dtype}), expected booleans "
                          f"(True/False): a comparison such as gap <= tol gives them directly")
        raise Failure(f"your result should hold booleans (True/False), got dtype {S.dtype}")
    S = S.astype(bool)
    wrong = np.argwhere(S != expected)
    if len(wrong):
        j, k = (int(i) for i in wrong[0])
        gap = float(np.abs(W[:, j] - W[:, k]).max())
        said = "identical" if S[j, k] else "different"
        raise Failure(f"your result says units {j} and {k} are {said}, but their incoming weights (columns "
                      f"{j} and {k} of W) differ by at most {gap:.3g} and tol = {tol:g}")


def _gaps(case):
    """(n_in, H, H): |W[i, j] - W[i, k]| for every input i and every pair of units (j, k)."""
    W = np.asarray(case.args[0], dtype=float)
    return np.abs(W[:, :, None] - W[:, None, :])


def _errors(got, expected):
    """The pairs the learner wrongly calls identical, and those wrongly called different."""
    S = np.asarray(got)
    if S.shape != expected.shape:
        raise ValueError("not an (H, H) result")
    S = S.astype(bool)
    return S & ~expected, ~S & expected


def _only_wrongly_identical(where):
    """detect(): every error calls two different units identical, and where(case, tol) is True for
    all of those pairs: what the learner's test looked at instead of every weight."""
    def detect(got, expected, case):
        identical, different = _errors(got, expected)
        return identical.any() and not different.any() and bool(np.all(where(case)[identical]))
    return detect


def _sums_agree(case):         # equal column sums (and so equal column means)
    W, tol = np.asarray(case.args[0], dtype=float), case.kwargs["tol"]
    s = W.sum(axis=0)
    return np.abs(s[:, None] - s[None, :]) <= tol


def _mean_gap_within_tol(case):
    return _gaps(case).mean(axis=0) <= case.kwargs["tol"]


def _first_weights_agree(case):
    return _gaps(case)[0] <= case.kwargs["tol"]


def _some_weight_agrees(got, expected, case):
    """detect(): the learner's S is True exactly for the pairs of units whose weights agree within tol
    at one input at least (on case 1 that is not the first input for every such pair)."""
    identical, different = _errors(got, expected)
    some = np.any(_gaps(case) <= case.kwargs["tol"], axis=0)
    return identical.any() and np.array_equal(np.asarray(got).astype(bool), some)


def _within_relative_tol(case):   # np.isclose's test, |a - b| <= atol + 1e-5 |b|, at every input
    W, tol = np.asarray(case.args[0], dtype=float), case.kwargs["tol"]
    size = np.maximum(np.abs(W[:, :, None]), np.abs(W[:, None, :]))
    return np.all(_gaps(case) <= tol + 1e-5 * size, axis=0)


def _exact_equality(got, expected, case):
    """detect(): the learner's S is True exactly for the columns that are bit-for-bit equal."""
    S = np.asarray(got)
    if S.shape != expected.shape or np.array_equal(S.astype(bool), expected):
        return False
    return np.array_equal(S.astype(bool), _gaps(case).max(axis=0) == 0)


def _signed_gaps_within_tol(case):   # W[i, j] - W[i, k] <= tol at every input, without the abs
    W, tol = np.asarray(case.args[0], dtype=float), case.kwargs["tol"]
    return (W[:, :, None] - W[:, None, :]).max(axis=0) <= tol


def _gap_equals_tol(got, expected, case):
    """detect(): only units whose largest gap is exactly tol (0 for a unit and itself when tol=0)
    called different: the test was max_i |W[i, j] - W[i, k]| < tol."""
    identical, different = _errors(got, expected)
    exact = _gaps(case).max(axis=0) == case.kwargs["tol"]
    return different.any() and not identical.any() and bool(np.all(exact[different]))


def _summed_gaps(got, expected, case):
    """detect(): only units within tol at every input called different, all of them with a summed
    gap above tol: the gaps added up (a sum or a norm) instead of their maximum."""
    identical, different = _errors(got, expected)
    summed = _gaps(case).sum(axis=0) > case.kwargs["tol"]
    return different.any() and not identical.any() and bool(np.all(summed[different]))


def _diagonal_only(got, expected, case):
    identical, different = _errors(got, expected)
    off = ~np.eye(expected.shape[0], dtype=bool)
    return different.any() and not identical.any() and not different[off].any()


def _rows_shape(got, expected, case):
    n_in = np.shape(case.args[0])[0]
    return np.shape(got) == (n_in, n_in) and expected.shape != (n_in, n_in)


def _units_reduced(got, expected, case):
    """detect(): one row per input and one column per unit, shape (n_in, H) with n_in != H: the gaps
    were reduced over the units instead of over the inputs (or not over the inputs at all)."""
    n_in = np.shape(case.args[0])[0]
    return np.shape(got) == (n_in, expected.shape[0]) and n_in != expected.shape[0]


def _per_input_loop(W, tol=1e-8):   # for each input i and unit j: W[i, j] within tol of every W[i, k]
    W = np.asarray(W, dtype=float)
    return np.array([[all(abs(W[i, j] - v) <= tol for v in W[i]) for j in range(W.shape[1])]
                     for i in range(W.shape[0])])


def _numbers_for_booleans(got, expected, case):
    """detect(): the right pattern, written with the numbers 1 and 0 instead of True and False."""
    S = np.asarray(got)
    return (S.shape == expected.shape and S.dtype != bool and np.issubdtype(S.dtype, np.number)
            and bool(np.all(np.isin(S, (0, 1)))) and np.array_equal(S.astype(bool), expected))


def _rows_loop(W, tol=1e-8):
    W = np.asarray(W, dtype=float)
    return np.array([[bool(np.all(np.abs(a - b) <= tol)) for b in W] for a in W])


def _no_self_loop(W, tol=1e-8):
    W = np.asarray(W, dtype=float)
    H = W.shape[1]
    S = np.zeros((H, H), dtype=bool)
    for j in range(H):
        for k in range(H):
            if j != k:
                S[j, k] = np.max(np.abs(W[:, j] - W[:, k])) <= tol
    return S


identical_units = Exercise(
    LESSON, "3.6", "identical_units", _identical_units, _identical_cases, compare=_compare_identical,
    mistakes=[
        Mistake("rows_not_columns", "the rows of W compared instead of its columns",
                "unit j's incoming weights are the column W[:, j] (W has shape (n_in, H)); compare columns",
                impl=lambda W, tol=1e-8: _identical_units(np.asarray(W).T, tol), detect=_rows_shape,
                witnesses=(_rows_loop,)),
        Mistake("wrong_axis", "the result has one row per input, shape (n_in, H): the gaps were reduced over "
                "the units (the wrong axis) instead of over the inputs",
                "reduce the (n_in, H, H) array of gaps over its first axis, the inputs (axis=0), so that one "
                "row and one column per unit remain",
                impl=lambda W, tol=1e-8: np.all(np.abs(W[:, :, None] - W[:, None, :]) <= tol, axis=2),
                detect=_units_reduced, witnesses=(_per_input_loop,)),
        Mistake("numbers_for_booleans", "the right answer written with the numbers 1 and 0 (an .astype(int) "
                "or np.where(..., 1, 0)) instead of True and False",
                "return the boolean array that the comparison gap <= tol gives, without converting it",
                impl=lambda W, tol=1e-8: _identical_units(W, tol).astype(int), detect=_numbers_for_booleans,
                witnesses=(lambda W, tol=1e-8: np.where(_identical_units(W, tol), 1.0, 0.0),)),
        Mistake("ignores_tol", "tol is not used: exact equality, or np.isclose / np.allclose with their own "
                "default tolerances instead of tol",
                "floating-point results that should be equal can differ in the last digits, and the caller "
                "decides how much: treat two units as identical when every |W[i, j] - W[i, k]| <= tol, "
                "with the tol you are given",
                impl=_pairs(lambda W, j, k, tol: bool(np.all(W[:, j] == W[:, k]))), detect=_exact_equality,
                witnesses=(lambda W, tol=1e-8: np.all(W[:, :, None] == W[:, None, :], axis=0),
                           _pairs(lambda W, j, k, tol: np.array_equal(W[:, j], W[:, k])),
                           _pairs(lambda W, j, k, tol: np.allclose(W[:, j], W[:, k])))),
        Mistake("summed_gaps", "the differences added up over the inputs (a sum or a norm of "
                "|W[:, j] - W[:, k]|) and compared with tol, instead of the largest one",
                "tol bounds each weight's difference: units are identical when max_i |W[i, j] - W[i, k]| "
                "<= tol, however many inputs there are",
                impl=lambda W, tol=1e-8: np.abs(W[:, :, None] - W[:, None, :]).sum(axis=0) <= tol,
                detect=_summed_gaps,
                witnesses=(_pairs(lambda W, j, k, tol: bool(np.linalg.norm(W[:, j] - W[:, k]) <= tol)),)),
        Mistake("mean_gap", "the differences averaged over the inputs (the mean of |W[:, j] - W[:, k]|) "
                "and compared with tol, instead of the largest one",
                "one input that differs by more than tol makes the units different, whatever the others do: "
                "max_i |W[i, j] - W[i, k]| <= tol",
                impl=lambda W, tol=1e-8: np.abs(W[:, :, None] - W[:, None, :]).mean(axis=0) <= tol,
                detect=_only_wrongly_identical(_mean_gap_within_tol),
                witnesses=(_pairs(lambda W, j, k, tol: bool(np.mean(np.abs(W[:, j] - W[:, k])) <= tol)),)),
        Mistake("column_sums", "only the sums of the columns compared",
                "two units with the same total weight can still differ; compare every weight: "
                "max_i |W[i, j] - W[i, k]| <= tol",
                impl=_pairs(lambda W, j, k, tol: bool(abs(W[:, j].sum() - W[:, k].sum()) <= tol)),
                detect=_only_wrongly_identical(_sums_agree),
                witnesses=(lambda W, tol=1e-8: np.abs(W.mean(axis=0)[:, None] - W.mean(axis=0)[None, :])
                           <= tol,)),
        Mistake("first_input_only", "only the first input's weights compared (W[0, j] vs W[0, k])",
                "compare the whole columns, every input i: max_i |W[i, j] - W[i, k]| <= tol",
                impl=_pairs(lambda W, j, k, tol: bool(abs(W[0, j] - W[0, k]) <= tol)),
                detect=_only_wrongly_identical(_first_weights_agree),
                witnesses=(lambda W, tol=1e-8: np.abs(W[0][:, None] - W[0][None, :]) <= tol,)),
        Mistake("any_input", "one input within tol is enough (any instead of all): units whose weights agree "
                "at a single input are called identical",
                "every input must agree: units are identical when ALL |W[i, j] - W[i, k]| <= tol, i.e. "
                "the largest gap is within tol",
                impl=lambda W, tol=1e-8: np.any(np.abs(W[:, :, None] - W[:, None, :]) <= tol, axis=0),
                detect=_some_weight_agrees,
                witnesses=(_pairs(lambda W, j, k, tol: any(abs(W[i, j] - W[i, k]) <= tol
                                                           for i in range(W.shape[0]))),)),
        Mistake("relative_tolerance", "np.isclose or np.allclose with atol=tol: their default rtol=1e-05 "
                "adds a tolerance relative to the weights' size, so large weights that differ by more than "
                "tol are called identical",
                "compare with tol alone: max_i |W[i, j] - W[i, k]| <= tol (or pass rtol=0)",
                impl=lambda W, tol=1e-8: np.isclose(W[:, :, None], W[:, None, :], atol=tol).all(axis=0),
                detect=_only_wrongly_identical(_within_relative_tol),
                witnesses=(_pairs(lambda W, j, k, tol: np.allclose(W[:, j], W[:, k], atol=tol)),)),
        Mistake("strict_inequality", "a strict < tol instead of <= tol: units that differ by exactly tol "
                "(with tol=0: every unit, even from itself) called different",
                "the statement's test is max_i |W[i, j] - W[i, k]| <= tol, equality included",
                impl=lambda W, tol=1e-8: np.abs(W[:, :, None] - W[:, None, :]).max(axis=0) < tol,
                detect=_gap_equals_tol,
                witnesses=(_pairs(lambda W, j, k, tol: bool(np.all(np.abs(W[:, j] - W[:, k]) < tol))),)),
        Mistake("no_abs", "the differences taken without abs(): W[:, j] - W[:, k] <= tol also holds "
                "when column j is far BELOW column k",
                "compare the size of each difference: max_i |W[i, j] - W[i, k]| <= tol",
                impl=lambda W, tol=1e-8: (W[:, :, None] - W[:, None, :]).max(axis=0) <= tol,
                detect=_only_wrongly_identical(_signed_gaps_within_tol),
                witnesses=(_pairs(lambda W, j, k, tol: max(W[:, j] - W[:, k]) <= tol),)),
        Mistake("diagonal_false", "a unit is reported as different from itself",
                "every unit is identical to itself: the diagonal of the result must be True",
                impl=lambda W, tol=1e-8: _identical_units(W, tol) & ~np.eye(np.shape(W)[1], dtype=bool),
                detect=_diagonal_only, witnesses=(_no_self_loop,)),
    ])


EXERCISES = [glorot_bound, he_std, glorot_uniform, he_normal, output_variance, identical_units]
