r"""Checks for lesson 03 (weight initialization).

Use in a notebook: ``from course.checks import lesson03 as check`` then
``check.glorot_uniform(glorot_uniform)``.

The initializers return random matrices, so their checks are statistical: each case hands
the learner a seeded generator, and the sample's shape, range, mean, variance, symmetry and
shape of distribution are compared with what the scheme promises. Every tolerance is a
multiple (5 to 6) of the standard error of that statistic for the sample size, so a correct
initializer fails with a probability below one in a million, while the catalogued mistakes
(which change a bound or a variance by 20 % or more) are far outside it.
"""
from __future__ import annotations

import itertools

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

def _glorot_bound(n_in, n_out):
    return float(np.sqrt(6.0 / (n_in + n_out)))


def _fan_cases(rng):
    return [Case((300, 200), label="n_in=300, n_out=200"), Case((784, 10), label="n_in=784, n_out=10"),
            Case((5, 3), label="n_in=5, n_out=3")]


def _compare_scalar(got, expected, case):
    compare_array(_scalar(got), expected, "your result", rtol=1e-9, atol=0)


glorot_bound = Exercise(
    LESSON, "3.1", "glorot_bound", _glorot_bound, _fan_cases, compare=_compare_scalar,
    mistakes=[
        Mistake("missing_sqrt", "the square root is missing: 6 / (n_in + n_out)",
                "the bound is a = sqrt(6 / (n_in + n_out)); "
                "U(-a, a) has variance a**2 / 3 = 2 / (n_in + n_out)",
                impl=lambda n_in, n_out: 6.0 / (n_in + n_out)),
        Mistake("std_not_bound", "the standard deviation sqrt(2 / (n_in + n_out)) returned as the bound",
                "a uniform U(-a, a) has standard deviation a / sqrt(3), so the bound is sqrt(3) times the "
                "std: a = sqrt(6 / (n_in + n_out))",
                impl=lambda n_in, n_out: float(np.sqrt(2.0 / (n_in + n_out)))),
        Mistake("six_outside_sqrt", "6 / sqrt(n_in + n_out): the 6 left outside the square root",
                "take the square root of the whole fraction (Glorot & Bengio 2010, eq. 16): "
                "sqrt(6) / sqrt(n_in + n_out)",
                impl=lambda n_in, n_out: 6.0 / float(np.sqrt(n_in + n_out))),
        Mistake("fan_in_only", "only the fan-in used: sqrt(6 / n_in) (that is He's uniform bound)",
                "Glorot averages the forward and backward conditions: use n_in + n_out in the denominator",
                impl=lambda n_in, n_out: float(np.sqrt(6.0 / n_in))),
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
                impl=lambda n_in: 2.0 / n_in),
        Mistake("one_over_n", "sqrt(1 / n_in): the factor 2 for ReLU is missing",
                "ReLU zeroes half of its inputs, which halves E[x**2]; He et al. (2015, eq. 10) "
                "compensate with Var(w) = 2 / n_in, so the std is sqrt(2 / n_in)",
                impl=lambda n_in: float(np.sqrt(1.0 / n_in))),
        Mistake("sqrt_of_numerator_only", "sqrt(2) / n_in: the root taken of the numerator only",
                "take the root of the whole fraction: sqrt(2 / n_in) = sqrt(2) / sqrt(n_in)",
                impl=lambda n_in: float(np.sqrt(2.0)) / n_in),
        Mistake("uniform_bound", "sqrt(6 / n_in), the bound of He's *uniform* variant, not the std",
                "the normal variant needs the standard deviation sqrt(2 / n_in); sqrt(6 / n_in) is the "
                "bound a of U(-a, a) with the same variance",
                impl=lambda n_in: float(np.sqrt(6.0 / n_in))),
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


def _check_distinct_units(W):
    if W.shape[1] > 1 and np.unique(W, axis=1).shape[1] < W.shape[1]:
        raise Failure("some columns of W are equal: those units get identical incoming weights, and "
                      "gradient descent will keep them identical")


def _weights(got):
    W = np.asarray(got, dtype=float)
    if W.ndim != 2 or not np.all(np.isfinite(W)):
        raise ValueError("not a finite matrix")
    return W


def _uniform_on(lo, hi):
    """detect(): the sample fills (lo(n_in, n_out), hi(n_in, n_out)) and nothing outside it."""
    def detect(got, expected, case):
        W = _weights(got)
        a, b = lo(*case.args[:2]), hi(*case.args[:2])
        tol = 0.02 * (b - a)
        return W.shape == expected.shape and abs(W.min() - a) < tol and abs(W.max() - b) < tol
    return detect


def _normal_with(std):
    """detect(): a sample with standard deviation std(n_in, n_out) (±5 %) and normal tails."""
    def detect(got, expected, case):
        W = _weights(got)
        s = std(*case.args[:2])
        return (W.shape == expected.shape and abs(W.std() / s - 1) < 0.05
                and np.abs(W).max() > 3 * s and abs(W.mean()) < 0.1 * s)
    return detect


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


def _sampling_mistakes(draw, call):
    """Two mistakes any random initializer can make, for the reference sampler ``draw``."""
    return [
        Mistake("same_column", "one column of weights drawn and repeated: every unit starts identical",
                "draw the whole matrix at once, size=(n_in, n_out), so every unit gets its own weights",
                impl=lambda n_in, n_out, rng: np.repeat(draw(n_in, n_out, rng)[:, :1], n_out, axis=1),
                detect=_same_columns),
        Mistake("ignores_rng", "the weights come from another generator (np.random or a new default_rng()), "
                "not from the rng argument",
                f"draw with the generator you were given, {call}: the caller seeds it so that every run "
                f"starts from the same weights",
                impl=lambda n_in, n_out, rng: draw(n_in, n_out, _another_generator()),
                irreproducible=True),
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


glorot_uniform = Exercise(
    LESSON, "3.3", "glorot_uniform", _glorot_uniform, _random_cases, compare=_compare_glorot,
    check_mutation=False, reproducible=True,
    mistakes=[
        Mistake("shape_swapped", "fan-in and fan-out swapped: W has shape (n_out, n_in)",
                "nnlib computes X @ W, so W needs one row per input: size=(n_in, n_out)",
                impl=lambda n_in, n_out, rng: _glorot_uniform(n_out, n_in, rng), detect=_transposed),
        Mistake("asymmetric_bounds", "asymmetric bounds: U(0, a) instead of U(-a, a)",
                "draw from the symmetric interval: rng.uniform(-a, a, size=...), so the weights have mean 0",
                impl=lambda n_in, n_out, rng: rng.uniform(0, _glorot_bound(n_in, n_out), (n_in, n_out)),
                detect=_uniform_on(lambda n_in, n_out: 0.0, _glorot_bound)),
        Mistake("seed_formula", "the interval (-6 / sqrt(n_in + n_out), 6 / (n_in + n_out)) printed in "
                "one of this course's sources",
                "that formula is a typo for Glorot & Bengio's eq. 16: "
                "both bounds are ±sqrt(6 / (n_in + n_out))",
                impl=lambda n_in, n_out, rng: rng.uniform(-6 / np.sqrt(n_in + n_out), 6 / (n_in + n_out),
                                                          (n_in, n_out)),
                detect=_uniform_on(lambda n_in, n_out: -6 / np.sqrt(n_in + n_out),
                                   lambda n_in, n_out: 6 / (n_in + n_out))),
        Mistake("missing_sqrt", "a missing square root: the bound 6 / (n_in + n_out)",
                "a = sqrt(6 / (n_in + n_out)); without the root the weights are far too small",
                impl=lambda n_in, n_out, rng: rng.uniform(-6 / (n_in + n_out), 6 / (n_in + n_out),
                                                          (n_in, n_out)),
                detect=_uniform_on(lambda n_in, n_out: -6 / (n_in + n_out),
                                   lambda n_in, n_out: 6 / (n_in + n_out))),
        Mistake("std_as_bound", "the standard deviation sqrt(2 / (n_in + n_out)) used as the uniform bound",
                "Var(w) = 2 / (n_in + n_out) is the target variance; U(-a, a) has variance a**2 / 3, so "
                "a = sqrt(6 / (n_in + n_out)), sqrt(3) times larger",
                impl=lambda n_in, n_out, rng: rng.uniform(-np.sqrt(2 / (n_in + n_out)),
                                                          np.sqrt(2 / (n_in + n_out)), (n_in, n_out)),
                detect=_uniform_on(lambda n_in, n_out: -np.sqrt(2 / (n_in + n_out)),
                                   lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)))),
        Mistake("fan_in_only", "only the fan-in used: U(±sqrt(6 / n_in)), He's uniform scheme",
                "Glorot's compromise uses both fans: a = sqrt(6 / (n_in + n_out))",
                impl=lambda n_in, n_out, rng: rng.uniform(-np.sqrt(6 / n_in), np.sqrt(6 / n_in),
                                                          (n_in, n_out)),
                detect=_uniform_on(lambda n_in, n_out: -np.sqrt(6 / n_in),
                                   lambda n_in, n_out: np.sqrt(6 / n_in))),
        Mistake("normal_not_uniform", "a normal distribution N(0, 2 / (n_in + n_out)) where the uniform one "
                "was asked",
                "that is Glorot's normal variant; this exercise wants rng.uniform(-a, a, size=(n_in, n_out))",
                impl=lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in, n_out)),
                detect=_normal_with(lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)))),
        *_sampling_mistakes(_glorot_uniform, "rng.uniform(-a, a, size=(n_in, n_out))"),
    ])


# --- 3.4 he_normal(n_in, n_out, rng) --------------------------------------------------------

def _he_normal(n_in, n_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


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


he_normal = Exercise(
    LESSON, "3.4", "he_normal", _he_normal, _random_cases, compare=_compare_he, check_mutation=False,
    reproducible=True,
    mistakes=[
        Mistake("shape_swapped", "fan-in and fan-out swapped: W has shape (n_out, n_in)",
                "nnlib computes X @ W, so W needs one row per input: size=(n_in, n_out)",
                impl=lambda n_in, n_out, rng: _he_normal(n_out, n_in, rng), detect=_transposed),
        Mistake("missing_sqrt", "the variance 2 / n_in passed as the standard deviation",
                "rng.normal(loc, scale) takes the standard deviation: scale = sqrt(2 / n_in)",
                impl=lambda n_in, n_out, rng: rng.normal(0, 2 / n_in, (n_in, n_out)),
                detect=_normal_with(lambda n_in, n_out: 2 / n_in)),
        Mistake("fan_out", "the fan-out used instead of the fan-in: std sqrt(2 / n_out)",
                "the forward condition (He et al. 2015, eq. 10) counts the inputs of a unit: "
                "std = sqrt(2 / n_in)",
                impl=lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / n_out), (n_in, n_out)),
                detect=_normal_with(lambda n_in, n_out: np.sqrt(2 / n_out))),
        Mistake("one_over_n", "std sqrt(1 / n_in): the factor 2 for ReLU is missing",
                "ReLU zeroes half of its inputs; He et al. compensate with Var(w) = 2 / n_in, "
                "std sqrt(2 / n_in)",
                impl=lambda n_in, n_out, rng: rng.normal(0, np.sqrt(1 / n_in), (n_in, n_out)),
                detect=_normal_with(lambda n_in, n_out: np.sqrt(1 / n_in))),
        Mistake("glorot_variance", "Glorot's variance 2 / (n_in + n_out) used for He",
                "He's scheme depends on the fan-in only: std = sqrt(2 / n_in)",
                impl=lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in, n_out)),
                detect=_normal_with(lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)))),
        Mistake("uniform_not_normal", "a uniform distribution (He's uniform variant) where the normal one "
                "was asked",
                "the variance is right but the shape is not: draw with "
                "rng.normal(0, sqrt(2 / n_in), size=...)",
                impl=lambda n_in, n_out, rng: rng.uniform(-np.sqrt(6 / n_in), np.sqrt(6 / n_in),
                                                          (n_in, n_out)),
                detect=_uniform_on(lambda n_in, n_out: -np.sqrt(6 / n_in),
                                   lambda n_in, n_out: np.sqrt(6 / n_in))),
        *_sampling_mistakes(_he_normal, "rng.normal(0.0, std, size=(n_in, n_out))"),
    ])


# --- 3.5 output_variance(n_in, var_w, var_x) ------------------------------------------------

def _output_variance(n_in, var_w, var_x):
    return float(n_in * var_w * var_x)


def _variance_cases(rng):
    return [Case((100, 0.01, 1.0), label="n_in=100, Var(w)=0.01, Var(x)=1"),
            Case((256, 2 / 256, 0.5), label="n_in=256, Var(w)=2/256, Var(x)=0.5"),
            Case((50, 0.02, 3.0), label="n_in=50, Var(w)=0.02, Var(x)=3")]


output_variance = Exercise(
    LESSON, "3.5", "output_variance", _output_variance, _variance_cases, compare=_compare_scalar,
    mistakes=[
        Mistake("no_fan_in", "Var(w) Var(x) without the factor n_in",
                "y = sum of n_in independent terms w_i x_i, and variances of independent terms add: "
                "multiply by n_in",
                impl=lambda n_in, var_w, var_x: var_w * var_x),
        Mistake("fan_in_squared", "n_in**2 Var(w) Var(x): the sum treated as n_in times one term",
                "Var(c z) = c**2 Var(z) holds for ONE variable scaled by c; here n_in independent terms are "
                "added, so their variances add: n_in Var(w) Var(x)",
                impl=lambda n_in, var_w, var_x: n_in ** 2 * var_w * var_x),
        Mistake("sum_of_variances", "n_in (Var(w) + Var(x)): the variances of a product added",
                "for independent zero-mean w and x, Var(w x) = Var(w) Var(x): multiply, do not add",
                impl=lambda n_in, var_w, var_x: n_in * (var_w + var_x)),
        Mistake("std_product", "n_in sqrt(Var(w) Var(x)): standard deviations multiplied instead of "
                "variances",
                "Var(w x) = Var(w) Var(x) for independent zero-mean factors; no square roots",
                impl=lambda n_in, var_w, var_x: n_in * float(np.sqrt(var_w * var_x))),
    ])


# --- 3.6 identical_units(W, tol) -------------------------------------------------------------

def _identical_units(W, tol=1e-8):
    W = np.asarray(W, dtype=float)
    diff = np.abs(W[:, :, None] - W[:, None, :]).max(axis=0)
    return diff <= tol


def _pairs(rule):
    """An (H, H) matrix from rule(W, j, k) for every pair of columns."""
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
    near = rng.standard_normal((3, 4))
    near[:, 3] = near[:, 0] + 1e-3             # equal within the loose tolerance of that case
    return [
        Case((W,), {"tol": 1e-8}, "4 inputs, 6 units, some identical"),
        Case((rng.standard_normal((5, 3)),), {"tol": 1e-8}, "5 inputs, 3 different units"),
        Case((np.full((3, 4), 0.5),), {"tol": 1e-8}, "every weight 0.5"),
        Case((near,), {"tol": 1e-2}, "tol=1e-2"),
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
    if S.dtype != bool and not (np.issubdtype(S.dtype, np.number) and np.all(np.isin(S, (0, 1)))):
        raise Failure(f"your result should hold booleans (True/False), got dtype {S.dtype}")
    S = S.astype(bool)
    wrong = np.argwhere(S != expected)
    if len(wrong):
        j, k = (int(i) for i in wrong[0])
        gap = float(np.abs(W[:, j] - W[:, k]).max())
        said = "identical" if S[j, k] else "different"
        raise Failure(f"your result says units {j} and {k} are {said}, but their incoming weights (columns "
                      f"{j} and {k} of W) differ by at most {gap:.3g} and tol = {tol:g}")


identical_units = Exercise(
    LESSON, "3.6", "identical_units", _identical_units, _identical_cases, compare=_compare_identical,
    mistakes=[
        Mistake("rows_not_columns", "the rows of W compared instead of its columns",
                "unit j's incoming weights are the column W[:, j] (W has shape (n_in, H)); compare columns",
                impl=lambda W, tol=1e-8: _identical_units(np.asarray(W).T, tol)),
        Mistake("ignores_tol", "exact equality: tol is ignored",
                "floating-point results that should be equal can differ in the last digits: treat two units "
                "as identical when every |W[i, j] - W[i, k]| <= tol",
                impl=_pairs(lambda W, j, k, tol: bool(np.all(W[:, j] == W[:, k])))),
        Mistake("column_sums", "only the sums of the columns compared",
                "two units with the same total weight can still differ; compare every weight: "
                "max_i |W[i, j] - W[i, k]| <= tol",
                impl=_pairs(lambda W, j, k, tol: bool(abs(W[:, j].sum() - W[:, k].sum()) <= tol))),
        Mistake("first_input_only", "only the first input's weights compared (W[0, j] vs W[0, k])",
                "compare the whole columns, every input i: max_i |W[i, j] - W[i, k]| <= tol",
                impl=_pairs(lambda W, j, k, tol: bool(abs(W[0, j] - W[0, k]) <= tol))),
        Mistake("diagonal_false", "a unit is reported as different from itself",
                "every unit is identical to itself: the diagonal of the result must be True",
                impl=lambda W, tol=1e-8: _identical_units(W, tol) & ~np.eye(np.shape(W)[1], dtype=bool)),
    ])


EXERCISES = [glorot_bound, he_std, glorot_uniform, he_normal, output_variance, identical_units]
