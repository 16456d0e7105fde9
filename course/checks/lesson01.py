"""Checks for lesson 01 (universal approximation; the power of layers and units).

Use in a notebook: ``from course.checks import lesson01 as check`` then
``check.sigmoid_bump(sigmoid_bump)``.

Conventions checked here (the lesson's):

* a layer list ``sizes = [n_0, n_1, ..., n_L]`` gives the input size n_0 and the output
  sizes of the L dense layers (so ``[1, 16, 1]`` is one hidden layer of 16 units); the
  counts are whole numbers (ints), and ``sizes`` is read, never changed;
* FLOPs per example: a dense layer n_in -> n_out costs 2 * n_in * n_out (each output
  needs n_in multiplications, n_in - 1 additions to sum them and 1 addition for the
  bias); activations are not counted;
* the ReLU interpolant stays flat outside its knots, like ``np.interp``, which the exercise
  forbids: it is switched off (it raises) while the check of 1.2 runs;
* 1.5's model is trained on samples of the whole interval, with layers drawn from the rng
  it is given; the check records the inputs and the return value of every ``nn.fit`` call the
  learner makes.

Mistakes are named by their effect on the result (a sign, a ratio, which layer is missing,
what the fit's inputs were), so that every way of writing one gets its name. Each catalogue
lists its mistakes in the order they are tried.
"""
from __future__ import annotations

import copy
import functools
from contextlib import contextmanager

import numpy as np
from numpy import interp as _imported_interp  # as a learner's `from numpy import interp` (a witness)

import nnlib as nn

from ._framework import Case, Exercise, Failure, Mistake, compare_array

LESSON = "01-universal-approximation"


def _close(got, value, rtol=1e-6, atol=1e-9):
    got, value = np.asarray(got, dtype=float), np.asarray(value, dtype=float)
    return got.shape == value.shape and bool(np.allclose(got, value, rtol=rtol, atol=atol))


# --- 1.1 sigmoid_bump(x, left, right, steepness) -------------------------------------------

def _sigmoid_bump(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return nn.sigmoid(steepness * (x - left)) - nn.sigmoid(steepness * (x - right))


def _bump_cases(rng):
    return [
        Case((np.linspace(-3, 3, 13), -1.0, 1.0, 10.0), label="x in [-3, 3], bump on [-1, 1], steepness 10"),
        Case((rng.uniform(-1, 4, (3, 4)), 0.5, 2.0, 4.0), label="a 3x4 array, bump on [0.5, 2], steepness 4"),
        Case((np.array([0.0, 0.25, 0.5, 0.75, 1.0]), 0.2, 0.6, 50.0),
             label="a narrow bump on [0.2, 0.6], steepness 50"),
    ]


def _exp_sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


def _upside_down(got, expected, case):
    return _close(got, -np.asarray(expected))


def _hard_steps(got, expected, case):
    """0 or 1 exactly wherever x is not on an edge: steps without a slope (whatever the edge values)."""
    x, left, right = np.asarray(case.args[0], dtype=float), case.args[1], case.args[2]
    got = np.broadcast_to(np.asarray(got, dtype=float), x.shape)
    away = (np.abs(x - left) > 1e-12) & (np.abs(x - right) > 1e-12)
    return bool(away.any()) and bool(np.all(got[away] == ((x > left) & (x < right))[away]))


def _tanh_steps(got, expected, case):
    """The bump with twice the steepness, twice as tall or at its height: what tanh gives in place of
    the sigmoid, since tanh(t) = 2 sigmoid(2t) - 1 (and (1 + tanh(t)) / 2 = sigmoid(2t))."""
    x, left, right, steepness = case.args
    twice_as_steep = _sigmoid_bump(x, left, right, 2.0 * steepness)
    return any(_close(got, height * twice_as_steep) for height in (2.0, 1.0))


def _bump_tanh(x, left, right, steepness):
    x = np.asarray(x, dtype=float)
    return np.tanh(steepness * (x - left)) - np.tanh(steepness * (x - right))


def _bump_mutating(x, left, right, steepness):
    x -= left                                     # overwrites the caller's x
    up = nn.sigmoid(steepness * x)
    x -= right - left
    return up - nn.sigmoid(steepness * x)


def _bump_scaling_in_place(x, left, right, steepness):
    np.multiply(x, steepness, out=x)
    return _exp_sigmoid(x - steepness * left) - _exp_sigmoid(x - steepness * right)


def _bump_sign_slip(x, left, right, steepness):
    """The sigmoid written 1 / (1 + e^t): each step is mirrored, so the bump is too."""
    x = np.asarray(x, dtype=float)
    return 1 / (1 + np.exp(steepness * (x - left))) - 1 / (1 + np.exp(steepness * (x - right)))


def _bump_loop(step):
    """A loop over the entries, as a learner writes it without broadcasting."""
    def bump(x, left, right, steepness):
        x = np.asarray(x, dtype=float)
        out = np.empty_like(x)
        for i, v in np.ndenumerate(x):
            out[i] = step(v, left, right, steepness)
        return out
    return bump


sigmoid_bump = Exercise(
    LESSON, "1.1", "sigmoid_bump", _sigmoid_bump, _bump_cases, rtol=1e-6, atol=1e-9,
    mistakes=[
        Mistake("changed_x", "x was changed in place (e.g. x -= left), which the exercise forbids",
                "compute new arrays (x - left makes one; x -= left overwrites the caller's data)",
                impl=_bump_mutating, witnesses=(_bump_scaling_in_place,), mutation=True),
        Mistake("swapped", "the bump comes out upside down (-1 between the edges): the step at `right` minus "
                "the step at `left`, or a sigmoid written 1 / (1 + e^t) without the minus sign",
                "the step at `left` switches on first: sigmoid(s * (x - left)) - sigmoid(s * (x - right)) "
                "is +1 between the edges, with sigmoid(t) = 1 / (1 + e^(-t))",
                impl=lambda x, l, r, s: -_sigmoid_bump(x, l, r, s), detect=_upside_down,
                witnesses=(_bump_sign_slip, _bump_loop(lambda v, l, r, s: _exp_sigmoid(s * (v - r))
                                                       - _exp_sigmoid(s * (v - l))))),
        Mistake("added", "the two steps were added instead of subtracted",
                "a bump is the step up at `left` MINUS the step at `right`, which cancels it beyond `right`",
                impl=lambda x, l, r, s: nn.sigmoid(s * (np.asarray(x, float) - l))
                + nn.sigmoid(s * (np.asarray(x, float) - r)),
                witnesses=(_bump_loop(lambda v, l, r, s: _exp_sigmoid(s * (v - l))
                                      + _exp_sigmoid(s * (v - r))),)),
        Mistake("tanh_steps", "tanh used as the step instead of the sigmoid: tanh(t) = 2 sigmoid(2t) - 1 "
                "rises twice as fast, from -1 to 1, so the bump comes out twice as steep (and twice as "
                "tall, unless rescaled to (1 + tanh) / 2)",
                "use the logistic sigmoid 1 / (1 + e^(-t)) (nn.sigmoid), which goes from 0 to 1; written "
                "with tanh it is (1 + tanh(t / 2)) / 2, with half the argument",
                impl=_bump_tanh, detect=_tanh_steps,
                witnesses=(_bump_loop(lambda v, l, r, s: float(np.tanh(s * (v - l)) - np.tanh(s * (v - r)))),
                           lambda x, l, r, s: (np.tanh(s * (np.asarray(x) - l)) + 1) / 2
                           - (np.tanh(s * (np.asarray(x) - r)) + 1) / 2)),
        Mistake("product", "the steps were multiplied (sigmoid_left * (1 - sigmoid_right)) instead of "
                "subtracted",
                "the exercise's bump is a difference of the two steps: sigmoid(s * (x - left)) - "
                "sigmoid(s * (x - right)); the product differs where the edges are close",
                impl=lambda x, l, r, s: nn.sigmoid(s * (np.asarray(x, float) - l))
                * (1 - nn.sigmoid(s * (np.asarray(x, float) - r))),
                witnesses=(_bump_loop(lambda v, l, r, s: _exp_sigmoid(s * (v - l))
                                      * _exp_sigmoid(s * (r - v))),)),
        Mistake("steepness_outside", "the steepness multiplies the sigmoid's output (s * sigmoid(x - left)) "
                "instead of its input",
                "put s inside: sigmoid(s * (x - left)); scaling the input sharpens the step, scaling the "
                "output only makes it taller",
                impl=lambda x, l, r, s: s * nn.sigmoid(np.asarray(x, float) - l)
                - s * nn.sigmoid(np.asarray(x, float) - r),
                witnesses=(_bump_loop(lambda v, l, r, s: s * (_exp_sigmoid(v - l) - _exp_sigmoid(v - r))),)),
        Mistake("shift_not_scaled", "the steepness multiplies x but not the shift (sigmoid(s * x - left))",
                "scale the whole difference: sigmoid(s * (x - left)); otherwise the edge moves to left / s",
                impl=lambda x, l, r, s: nn.sigmoid(s * np.asarray(x, float) - l)
                - nn.sigmoid(s * np.asarray(x, float) - r),
                witnesses=(lambda x, l, r, s: _sigmoid_bump(x, l / s, r / s, s),)),
        Mistake("divided_by_steepness", "the input divided by the steepness (sigmoid((x - left) / s)), which "
                "makes the steps flatter as s grows",
                "multiply: sigmoid(s * (x - left)); a larger steepness must make the step sharper",
                impl=lambda x, l, r, s: _sigmoid_bump(x, l, r, 1.0 / s),
                witnesses=(_bump_loop(lambda v, l, r, s: _exp_sigmoid((v - l) / s)
                                      - _exp_sigmoid((v - r) / s)),)),
        Mistake("no_steepness", "the steepness was left out (sigmoid(x - left) - sigmoid(x - right))",
                "multiply the input by s: sigmoid(s * (x - left)) - sigmoid(s * (x - right))",
                impl=lambda x, l, r, s: _sigmoid_bump(x, l, r, 1.0),
                witnesses=(_bump_loop(lambda v, l, r, s: _exp_sigmoid(v - l) - _exp_sigmoid(v - r)),)),
        Mistake("hard_steps", "hard 0/1 steps instead of sigmoids (the steepness has no effect)",
                "use the smooth step sigmoid(s * (x - left)): the bump only tends to a box as s grows",
                impl=lambda x, l, r, s: np.heaviside(np.asarray(x, float) - l, 0.5)
                - np.heaviside(np.asarray(x, float) - r, 0.5),
                detect=_hard_steps,
                witnesses=(lambda x, l, r, s: ((np.asarray(x) > l) & (np.asarray(x) < r)).astype(float),
                           lambda x, l, r, s: np.where(np.asarray(x) >= l, 1.0, 0.0)
                           - np.where(np.asarray(x) >= r, 1.0, 0.0))),
    ])


# --- 1.2 relu_interpolant(x, knots, values) -------------------------------------------------

class ForbiddenFunction(RuntimeError):
    """Raised by a function the exercise forbids, switched off while its check runs."""


_INTERP = np.interp
_INTERP_NAMESPACE = getattr(getattr(np.interp, "__wrapped__", None), "__globals__", {})


@contextmanager
def _interp_switched_off(learner):
    """np.interp raises while the check runs, also when it was imported under another name
    (``from numpy import interp``): its compiled core is switched off too."""
    def switched_off(*args, **kwargs):
        raise ForbiddenFunction("np.interp is switched off in this check: Exercise 1.2 asks you to build "
                                "the interpolant from ReLU units")

    saved = np.interp, _INTERP_NAMESPACE.get("compiled_interp")
    np.interp = switched_off
    if saved[1] is not None:
        _INTERP_NAMESPACE["compiled_interp"] = switched_off
    try:
        yield learner
    finally:
        np.interp = saved[0]
        if saved[1] is not None:
            _INTERP_NAMESPACE["compiled_interp"] = saved[1]


def _slopes(knots, values):
    knots, values = np.asarray(knots, dtype=float), np.asarray(values, dtype=float)
    return np.diff(values) / np.diff(knots)


def _relu_sum(x, knots, coef, offset):
    x = np.asarray(x, dtype=float)
    knots = np.asarray(knots, dtype=float)[:len(coef)]
    return offset + nn.relu(x[..., None] - knots) @ coef


def _relu_interpolant(x, knots, values):
    slopes = _slopes(knots, values)
    coef = np.diff(np.concatenate([[0.0], slopes, [0.0]]))  # slope changes, one per knot
    return _relu_sum(x, knots, coef, float(values[0]))


def _interp_cases(rng):
    k = np.linspace(-2, 2, 5)
    uneven = np.array([0.0, 0.5, 2.0, 3.0])
    return [
        Case((np.linspace(-3, 3, 25), k, np.sin(k)), label="5 knots of sin on [-2, 2], x from -3 to 3"),
        Case((rng.uniform(-1, 4, (2, 6)), uneven, np.array([1.0, -1.0, 0.5, 2.0])),
             label="4 uneven knots, a 2x6 array of x"),
        Case((np.array([-1.0, 0.0, 0.3, 1.0, 2.0]), np.array([0.0, 1.0]), np.array([2.0, -1.0])),
             label="2 knots (a single segment)"),
    ]


def _relu_loop(gamma_of, unit=lambda x, k: np.maximum(0.0, x - k), offset=True):
    """A learner's loop: y_0 plus one unit per knot, weighted by gamma_of(slopes, K)[i]."""
    def interpolant(x, knots, values):
        x, k, v = np.asarray(x, float), np.asarray(knots, float), np.asarray(values, float)
        m = [(v[i + 1] - v[i]) / (k[i + 1] - k[i]) for i in range(len(k) - 1)]
        out = np.full(x.shape, v[0] if offset else 0.0)
        for i, g in enumerate(gamma_of(m, len(k))):
            out = out + g * unit(x, k[i])
        return out
    return interpolant


def _changes(m, K):
    """The right weights, gamma_i = m_i - m_(i-1) with m_(-1) = m_(K-1) = 0."""
    padded = [0.0] + list(m) + [0.0]
    return [padded[i + 1] - padded[i] for i in range(K)]


def _absolute_slopes(x, knots, values):
    return _relu_sum(x, knots, _slopes(knots, values), float(values[0]))


def _reversed_difference(x, knots, values):
    coef = -np.diff(np.concatenate([[0.0], _slopes(knots, values), [0.0]]))
    return _relu_sum(x, knots, coef, float(values[0]))


def _flipped_units(x, knots, values):
    x, k = np.asarray(x, dtype=float), np.asarray(knots, dtype=float)
    coef = np.diff(np.concatenate([[0.0], _slopes(knots, values), [0.0]]))
    return float(values[0]) + nn.relu(k - x[..., None]) @ coef


def _next_changes(x, knots, values):
    coef = np.diff(np.concatenate([_slopes(knots, values), [0.0]]))  # m_(i+1) - m_i, at k_0 .. k_(K-2)
    return _relu_sum(x, knots, coef, float(values[0]))


def _evenly_spaced_as(step):
    """The interpolant with the slopes computed for knots `step(knots)` apart (the right positions)."""
    def interpolant(x, knots, values):
        m = np.diff(np.asarray(values, dtype=float)) / step(np.asarray(knots, dtype=float))
        return _relu_sum(x, knots, np.diff(np.concatenate([[0.0], m, [0.0]])), float(values[0]))
    return interpolant


_FIRST_GAP = _evenly_spaced_as(lambda k: k[1] - k[0])
_MEAN_GAP = _evenly_spaced_as(lambda k: (k[-1] - k[0]) / (len(k) - 1))


def _as_if_evenly_spaced(got, expected, case):
    """The knots are where they should be, but every segment got the slope of an even spacing."""
    x, knots, values = case.args
    if np.allclose(np.diff(knots), np.diff(knots)[0]):
        return False
    return _close(got, _FIRST_GAP(x, knots, values)) or _close(got, _MEAN_GAP(x, knots, values))


def _no_last_unit(x, knots, values):
    coef = np.diff(np.concatenate([[0.0], _slopes(knots, values)]))
    return _relu_sum(x, knots, coef, float(values[0]))


def _keeps_last_slope(got, expected, case):
    """Right up to the last knot, then the last segment's line continued instead of flat."""
    x, knots, values = case.args
    tail = _slopes(knots, values)[-1] * nn.relu(np.asarray(x, float) - knots[-1])
    return bool(np.any(tail != 0)) and _close(got, np.asarray(expected) + tail)


def _no_offset(x, knots, values):
    return _relu_interpolant(x, knots, values) - float(values[0])


def _lacks_offset(got, expected, case):
    return _close(got, np.asarray(expected) - float(case.args[2][0]))


def _flattened(got, expected, case):
    """The right values, one per entry of x, in another shape (flat, or a column): x was flattened
    and the result never given x's shape back."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return (got.shape != expected.shape and got.size == expected.size > 1
            and _close(got.ravel(), expected.ravel()))


def _interp_flat_loop(x, knots, values):
    out = []
    for t in np.asarray(x, dtype=float).flat:              # one value per entry, in a flat list
        out.append(_relu_interpolant(np.array([t]), knots, values)[0])
    return np.array(out)


def _interp_column(x, knots, values):
    k = np.asarray(knots, dtype=float)
    coef = np.diff(np.concatenate([[0.0], _slopes(knots, values), [0.0]]))
    units = np.maximum(0.0, np.reshape(x, (-1, 1)) - k)    # (x.size, K)
    return float(values[0]) + units @ coef[:, None]        # a column (x.size, 1)


def _one_d_only(checker, error, case):
    """Matcher: x has two or more axes, the call raised, and the same call with x flattened gives the
    right values: the code only handles a 1-D x (e.g. x[:, None] - knots, which puts the knots' axis
    second instead of last)."""
    x = np.asarray(case.args[0])
    if x.ndim < 2 or not isinstance(error, Exception):
        return False
    flat = (x.ravel(), *copy.deepcopy(case.args[1:]))
    got, again = checker.call_learner(*flat, **case.kwargs)
    return again is None and _close(got, np.ravel(checker.reference(*copy.deepcopy(case.args))))


def _units_second_axis(x, knots, values):
    """The units made with x[:, None]: right for a 1-D x, a broadcasting error for a matrix of x."""
    x, k = np.asarray(x, dtype=float), np.asarray(knots, dtype=float)
    coef = np.diff(np.concatenate([[0.0], _slopes(knots, values), [0.0]]))
    return float(values[0]) + np.maximum(0.0, x[:, None] - k) @ coef


def _units_stacked_as_columns(x, knots, values):
    """One column per knot, np.stack(..., axis=1): for a matrix of x the knots' axis lands in the middle."""
    coef = np.diff(np.concatenate([[0.0], _slopes(knots, values), [0.0]]))
    units = np.stack([nn.relu(np.asarray(x, dtype=float) - k) for k in knots], axis=1)
    return values[0] + units @ coef


relu_interpolant = Exercise(
    LESSON, "1.2", "relu_interpolant", _relu_interpolant, _interp_cases, rtol=1e-6, atol=1e-9,
    guard=_interp_switched_off,
    named_errors=[(ForbiddenFunction, "forbidden_interp"), (_one_d_only, "one_d_only")],
    mistakes=[
        Mistake("forbidden_interp", "np.interp used instead of the ReLU network the exercise asks for",
                "np.interp is not allowed here (the check switches it off): add to y_0 one unit per knot, "
                "gamma_i * relu(x - k_i), with nn.relu or np.maximum(0, ...)",
                impl=lambda x, knots, values: np.interp(x, knots, values),
                witnesses=(lambda x, knots, values: np.vectorize(
                    lambda t: _imported_interp(t, knots, values))(np.asarray(x, float)),)),
        Mistake("absolute_slopes", "each unit weighted by its segment's slope instead of the change of slope",
                "a ReLU unit at knot k_i keeps adding its slope to everything on its right, so weight it by "
                "the change c_i = slope_i - slope_(i-1)",
                impl=_absolute_slopes, witnesses=(_relu_loop(lambda m, K: list(m) + [0.0]),)),
        Mistake("reversed_difference", "the slope changes taken the wrong way round (slope_(i-1) - slope_i)",
                "c_i = slope_i - slope_(i-1): the new slope minus the old one",
                impl=_reversed_difference,
                detect=lambda got, expected, case: _close(got, 2 * case.args[2][0] - np.asarray(expected)),
                witnesses=(_relu_loop(lambda m, K: [-g for g in _changes(m, K)]),)),
        Mistake("flipped_units", "the units point the wrong way: relu(k_i - x) instead of relu(x - k_i)",
                "a unit at k_i must be 0 left of its knot and grow to the right: relu(x - k_i)",
                impl=_flipped_units,
                witnesses=(_relu_loop(_changes, unit=lambda x, k: np.maximum(k - x, 0.0)),)),
        Mistake("next_changes", "each unit weighted by the change of slope at the next knot "
                "(gamma_i = m_(i+1) - m_i)",
                "the unit at k_i turns the slope from m_(i-1) to m_i: gamma_i = m_i - m_(i-1), with "
                "m_(-1) = 0 (flat left of the first knot)",
                impl=_next_changes,
                witnesses=(_relu_loop(lambda m, K: [(m[i + 1] if i + 1 < K - 1 else 0.0) - m[i]
                                                    for i in range(K - 1)]),)),
        Mistake("evenly_spaced", "the slopes computed as if the knots were evenly spaced (every segment "
                "divided by the same spacing)",
                "divide each rise by its own segment's width: m_i = (y_(i+1) - y_i) / (k_(i+1) - k_i); the "
                "knots need not be evenly spaced",
                impl=_FIRST_GAP, detect=_as_if_evenly_spaced, witnesses=(_MEAN_GAP,)),
        Mistake("not_flat_outside", "no unit at the last knot, so the line keeps rising or falling after it",
                "add a unit at the last knot with weight -slope_last (the change from the last slope to 0), "
                "so the function stays flat beyond the knots like np.interp",
                impl=_no_last_unit, detect=_keeps_last_slope,
                witnesses=(_relu_loop(lambda m, K: _changes(list(m) + [m[-1]], K + 1)[:K]),)),
        Mistake("no_offset", "the output bias values[0] is missing",
                "every ReLU is 0 left of the first knot, so the output bias must be values[0]",
                impl=_no_offset, detect=_lacks_offset, witnesses=(_relu_loop(_changes, offset=False),)),
        Mistake("flattened", "the values are right but not in x's shape: x was flattened (np.ravel, "
                "reshape(-1, 1), a loop over x.flat) and the result never given x's shape back",
                "return one value per entry of x in x's own shape: subtract the knots from x[..., None] "
                "(broadcasting keeps x's axes), or reshape the result with .reshape(np.shape(x))",
                impl=_interp_flat_loop, detect=_flattened, witnesses=(_interp_column,)),
        Mistake("one_d_only", "your code only handles a 1-D x: with x flattened it gives the right values, "
                "but for a matrix of x the axis of the knots is not the last one (x[:, None] puts it second)",
                "add the knots' axis after all of x's axes, x[..., None] - knots (or np.expand_dims(x, -1)), "
                "so that the units have shape x.shape + (K,) and the result x's shape",
                impl=_units_second_axis, witnesses=(_units_stacked_as_columns,)),
    ])


# --- 1.3 mlp_param_count(sizes) and 1.4 mlp_flops(sizes) -------------------------------------

def _pairs(sizes):
    sizes = [int(s) for s in sizes]
    return list(zip(sizes[:-1], sizes[1:]))


def _param_count(sizes):
    return sum(a * b + b for a, b in _pairs(sizes))


def _flops(sizes):
    return sum(2 * a * b for a, b in _pairs(sizes))


def _wraparound(term):
    """The loop `for i in range(len(sizes))` with sizes[i - 1]: i = 0 wraps to the last size."""
    def wrong(sizes):
        sizes = [int(s) for s in sizes]
        return sum(term(sizes[i - 1], sizes[i]) for i in range(len(sizes)))
    return wrong


def _loop_from(first, term):
    """A loop over every entry of sizes with prev = first before it: the input counted as a layer
    fed by `first` values (1: one layer too many; 0: only its n_0 biases too many)."""
    def wrong(sizes):
        total, prev = 0, first
        for n in sizes:
            total += term(prev, int(n))
            prev = int(n)
        return total
    return wrong


def _size_cases(rng):
    return [
        Case(([3, 10, 4],), label="sizes [3, 10, 4]"),
        Case(([784, 128, 64, 10],), label="sizes [784, 128, 64, 10]"),
        Case(([2, 3, 3, 3, 1],), label="sizes [2, 3, 3, 3, 1]"),
        Case(((5, 4),), label="a single layer, sizes (5, 4)"),
    ]


def _compare_count(what):
    def compare(got, expected, case):
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
            raise Failure(f"your function should return {what} as a number, got {type(got).__name__}")
        compare_array(got, expected, "your count", rtol=0, atol=0.5)
        if list(case.seen_args[0]) != list(case.args[0]):
            raise Failure(f"your function changed the list `sizes` it was given (to {case.seen_args[0]}); "
                          f"read the sizes without changing them (sizes may also be a tuple)")
        if isinstance(got, (float, np.floating)):
            raise Failure(f"your count is a float ({float(got)!r}) where the exercise asks for an int")
    return compare


def _count_of(count, part):
    """Detector: the count of the network with only `part(sizes)` of its layer sizes."""
    def detect(got, expected, case):
        return abs(float(got) - count(list(case.args[0])[part])) < 0.5
    return detect


def _extra_layer_into_input(term):
    """Detector: the right count plus a layer that ends at the input size n_0, fed by 1 value or by
    the last size (the two ways a loop over every entry of sizes adds one)."""
    def detect(got, expected, case):
        sizes = [int(s) for s in case.args[0]]
        return any(abs(float(got) - expected - term(a, sizes[0])) < 0.5 for a in (1, sizes[-1]))
    return detect


def _float_count(got, expected, case):
    return isinstance(got, (float, np.floating)) and abs(float(got) - expected) < 0.5


def _sizes_changed(got, expected, case):
    return list(case.seen_args[0]) != list(case.args[0])


def _list_only(checker, error, case):
    """Matcher: sizes is a tuple, the call raised a TypeError or AttributeError, and the same sizes
    as a list give the right count: the code uses something only a list has."""
    sizes = case.args[0]
    if not isinstance(sizes, tuple) or not isinstance(error, (TypeError, AttributeError)):
        return False
    got, again = checker.call_learner(list(sizes), **case.kwargs)
    return again is None and abs(float(got) - checker.reference(list(sizes))) < 0.5


def _copy_with_method(term):
    def wrong(sizes):
        rest = sizes.copy()                           # a tuple has no .copy()
        return sum(term(a, b) for a, b in zip(rest[:-1], rest[1:]))
    return wrong


def _pops_a_slice(term):
    def wrong(sizes):
        left, total = sizes[:], 0                     # a slice of a tuple is a tuple: no .pop()
        while len(left) > 1:
            n_in = left.pop(0)
            total += term(n_in, left[0])
        return total
    return wrong


def _pads_with_a_list(term):
    def wrong(sizes):
        outs = sizes[1:] + [0]                        # tuple + list raises TypeError
        return sum(term(a, b) for a, b in zip(sizes[:-1], outs[:-1]))
    return wrong


def _layer_mistakes(count, term, what):
    """The slips 1.3 and 1.4 share: a layer too many or too few, a float, a list changed in place."""
    return [
        Mistake("input_as_layer", "the input size treated as a layer of its own (a loop over every entry of "
                "sizes: sizes[i - 1] wraps around to the last size for i = 0, or the loop starts from "
                "prev = 1)",
                "sizes has one more entry than there are dense layers: loop over the consecutive pairs, "
                "zip(sizes[:-1], sizes[1:])",
                impl=_wraparound(term), detect=_extra_layer_into_input(term),
                witnesses=(_loop_from(1, term),)),
        Mistake("missing_last_layer", "the output layer was left out (one layer too few)",
                f"count every consecutive pair of sizes, including the last hidden layer -> output, in the "
                f"{what}",
                impl=lambda sizes: count(list(sizes)[:-1]), detect=_count_of(count, slice(None, -1)),
                witnesses=(lambda sizes: sum(term(sizes[i - 1], sizes[i])
                                             for i in range(1, len(sizes) - 1)),)),
        Mistake("missing_first_layer", "the first layer (input -> first hidden layer) was left out",
                f"start with the pair (sizes[0], sizes[1]): the first dense layer counts in the {what} too",
                impl=lambda sizes: count(list(sizes)[1:]), detect=_count_of(count, slice(1, None)),
                witnesses=(lambda sizes: sum(term(sizes[i], sizes[i + 1])
                                             for i in range(1, len(sizes) - 1)),)),
        Mistake("float_count", "the count is returned as a float",
                "return an int: compute with Python ints (or int(...) at the end), not with float arrays",
                impl=lambda sizes: float(count(sizes)), detect=_float_count,
                witnesses=(lambda sizes: np.sum([term(a, b) for a, b in _pairs(sizes)], dtype=float),)),
        Mistake("changed_sizes", "the list `sizes` was changed in place (e.g. sizes.pop(0))",
                "read the sizes without changing them: take pairs with zip(sizes[:-1], sizes[1:]) or index "
                "them; sizes may also be a tuple",
                impl=lambda sizes: term(sizes.pop(0), sizes[0]) + count([int(sizes[0])] + list(sizes[1:])),
                detect=_sizes_changed, witnesses=(lambda sizes: count(sizes.reverse() or sizes[::-1]),)),
        Mistake("list_only", "sizes treated as a list (a list method such as .copy() or .pop(), or + with "
                "a list): the count is right for a list, but a tuple of the same sizes raises",
                "read sizes in a way every sequence allows: indexing, slicing, zip(sizes[:-1], sizes[1:]), "
                "or make your own list first with list(sizes)",
                impl=_copy_with_method(term), witnesses=(_pops_a_slice(term), _pads_with_a_list(term))),
    ]


def _param_term(a, b):
    return a * b + b


def _flop_term(a, b):
    return 2 * a * b


def _summed_weights(sizes):
    """n_in + n_out weights per layer (a sum where the product belongs), plus the n_out biases."""
    return sum(a + b + b for a, b in _pairs(sizes))


def _output_layer_without_bias(sizes):
    total = 0
    for i in range(1, len(sizes)):
        total += sizes[i - 1] * sizes[i]
        if i < len(sizes) - 1:                        # "the output layer has no bias"
            total += sizes[i]
    return total


mlp_param_count = Exercise(
    LESSON, "1.3", "mlp_param_count", _param_count, _size_cases,
    compare=_compare_count("the parameter count"), named_errors=[(_list_only, "list_only")],
    mistakes=[
        Mistake("no_biases", "the biases were not counted (only the weights n_in * n_out)",
                "each dense layer also has one bias per output unit: n_in * n_out + n_out",
                impl=lambda sizes: sum(a * b for a, b in _pairs(sizes)),
                witnesses=(lambda sizes: int(np.dot(sizes[:-1], sizes[1:])),)),
        Mistake("input_biases", "a bias counted for every input unit too",
                "the input layer is just the data: it has no weights and no biases; count n_out biases "
                "per dense layer only",
                impl=lambda sizes: _param_count(sizes) + int(sizes[0]),
                witnesses=(lambda sizes: sum(a * b for a, b in _pairs(sizes)) + sum(sizes),
                           _loop_from(0, _param_term))),
        Mistake("bias_per_input", "one bias per input of each layer (n_in) instead of one per output (n_out)",
                "a bias belongs to an output unit: a layer n_in -> n_out has n_out biases",
                impl=lambda sizes: sum(a * b + a for a, b in _pairs(sizes)),
                witnesses=(lambda sizes: sum(sizes[i] * (sizes[i + 1] + 1) for i in range(len(sizes) - 1)),)),
        Mistake("summed_weights", "the weights of a layer counted as n_in + n_out (a sum) instead of "
                "n_in * n_out (a product)",
                "a dense layer n_in -> n_out has a weight for every (input, output) pair: an n_in x n_out "
                "matrix, so n_in * n_out weights, plus n_out biases",
                impl=_summed_weights,
                witnesses=(lambda sizes: sum(sizes[:-1]) + 2 * sum(sizes[1:]),)),
        Mistake("no_output_biases", "the output layer's biases were not counted (biases for the hidden "
                "layers only: your count is n_L short)",
                "every dense layer has one bias per output unit, the output layer too: n_in * n_out + n_out "
                "for each consecutive pair of sizes, the last one included",
                impl=lambda sizes: _param_count(sizes) - int(sizes[-1]),
                witnesses=(_output_layer_without_bias,)),
        *_layer_mistakes(_param_count, _param_term, "parameter count"),
    ])


def _product_of_all(sizes):
    total = 2
    for n in sizes:                                   # every size multiplied in, not layer by layer
        total *= int(n)
    return total


mlp_flops = Exercise(
    LESSON, "1.4", "mlp_flops", _flops, _size_cases, compare=_compare_count("the FLOP count"),
    named_errors=[(_list_only, "list_only")],
    mistakes=[
        Mistake("multiplies_only", "only the multiplications were counted (n_in * n_out per layer: "
                "the number of multiply-adds, not of FLOPs)",
                "count the additions too: n_in multiplications and n_in additions (n_in - 1 to sum, "
                "1 for the bias) per output, so 2 * n_in * n_out per layer",
                impl=lambda sizes: sum(a * b for a, b in _pairs(sizes)),
                witnesses=(lambda sizes: int(np.dot(sizes[:-1], sizes[1:])),)),
        Mistake("forgot_bias_add", "the bias addition was left out ((2 n_in - 1) per output)",
                "adding the bias is one more addition per output unit: 2 * n_in * n_out in total",
                impl=lambda sizes: sum((2 * a - 1) * b for a, b in _pairs(sizes)),
                witnesses=(lambda sizes: sum(a * b + (a - 1) * b for a, b in _pairs(sizes)),)),
        Mistake("bias_counted_twice", "one FLOP per output unit too many: the bias addition counted on top "
                "of 2 * n_in * n_out",
                "summing n_in products takes n_in - 1 additions; with the bias that is n_in, so 2 * n_in "
                "FLOPs per output and 2 * n_in * n_out per layer",
                impl=lambda sizes: sum(2 * a * b + b for a, b in _pairs(sizes)),
                witnesses=(lambda sizes: sum(b * (a + a + 1) for a, b in _pairs(sizes)),)),
        Mistake("two_per_parameter", "two FLOPs counted per parameter, biases included (2 x the parameter "
                "count, the bias treated as one more weight)",
                "a bias costs one addition, not a multiplication and an addition: per output n_in "
                "multiplications and n_in additions, 2 * n_in * n_out per layer",
                impl=lambda sizes: 2 * _param_count(sizes),
                witnesses=(lambda sizes: sum(2 * (a + 1) * b for a, b in _pairs(sizes)),)),
        Mistake("counted_activations", "the activations counted too (one FLOP per hidden unit)",
                "the lesson's convention leaves activations out: count the dense layers only",
                impl=lambda sizes: _flops(sizes) + sum(int(n) for n in list(sizes)[1:-1]),
                detect=lambda got, expected, case: abs(float(got) - expected - sum(list(case.args[0])[1:-1]))
                < 0.5 < sum(list(case.args[0])[1:-1]),
                witnesses=(lambda sizes: sum(2 * a * b + (b if i < len(sizes) - 2 else 0)
                                             for i, (a, b) in enumerate(_pairs(sizes))),)),
        Mistake("counted_parameters", "the parameter count was returned instead of the FLOPs",
                "parameters are what is stored; FLOPs are what one forward pass computes: 2 * n_in * n_out "
                "per dense layer",
                impl=_param_count,
                witnesses=(lambda sizes: nn.mlp(list(sizes), rng=nn.make_rng(0)).num_parameters(),)),
        Mistake("summed_weights", "each layer's cost computed from n_in + n_out (a sum) instead of "
                "n_in * n_out (a product)",
                "every one of the n_out outputs needs n_in multiplications and n_in additions: "
                "2 * n_in * n_out per layer",
                impl=lambda sizes: sum(2 * (a + b) for a, b in _pairs(sizes)),
                witnesses=(lambda sizes: 2 * (sum(sizes[:-1]) + sum(sizes[1:])),)),
        Mistake("product_of_all", "all the sizes multiplied together (2 * n_0 * n_1 * ... * n_L) instead of "
                "adding up the layers' costs",
                "the layers run one after the other, so their costs add: the sum over consecutive pairs of "
                "2 * n_in * n_out",
                impl=lambda sizes: 2 * int(np.prod([int(n) for n in sizes])),
                witnesses=(_product_of_all,)),
        *_layer_mistakes(_flops, _flop_term, "FLOP count"),
    ])


# --- 1.5 fit_to_target(f, x_range, rng) -------------------------------------------------------

MSE_THRESHOLD = 0.01
GRID = 301
_FITS = []             # the inputs X of every nn.fit call while a check of 1.5 runs
_RETURNS = []          # what those calls returned (their History)
_LEARNER_FITS = []     # the inputs of the learner's last call
_LEARNER_RETURNS = []  # and what nn.fit returned to it


@contextmanager
def _fits_recorded(learner):
    """While the check runs, nn.fit records its inputs X and what it returns; each call of the
    learner's function keeps the ones it made (the detectors read them: were the samples taken from
    the interval, laid out as a column, and is the returned object the model?)."""
    fit = nn.fit

    @functools.wraps(fit)
    def recording_fit(model, loss_fn, opt, X, *args, **kwargs):
        try:
            _FITS.append(np.array(X, dtype=float))
        except (TypeError, ValueError):
            pass
        result = fit(model, loss_fn, opt, X, *args, **kwargs)
        _RETURNS.append(result)
        return result

    @functools.wraps(learner)
    def watched(*args, **kwargs):
        _FITS.clear()
        _RETURNS.clear()
        try:
            return learner(*args, **kwargs)
        finally:
            _LEARNER_FITS[:] = _FITS
            _LEARNER_RETURNS[:] = _RETURNS

    nn.fit = recording_fit
    try:
        yield watched
    finally:
        nn.fit = fit
        _FITS.clear()
        _RETURNS.clear()


def _training_data(f, x_range, n=64):
    x = np.linspace(x_range[0], x_range[1], n)[:, None]
    return x, f(x)


def _tanh_net(hidden, rng, output=None):
    model = nn.mlp([1, hidden, 1], activation=nn.Tanh, rng=rng)
    return model if output is None else nn.Sequential(model.layers + [output])


def _fit_to_target(f, x_range, rng):
    X, y = _training_data(f, x_range)
    model = _tanh_net(16, rng)
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.03), X, y, epochs=400, batch_size=None, eval_train=False)
    return model


def _fit_cases(rng):
    return [
        Case((np.sin, (-3.0, 3.0), nn.make_rng(1)), label="f = sin on [-3, 3]"),
        Case((np.abs, (-2.0, 2.0), nn.make_rng(2)), label="f = |x| on [-2, 2]"),
    ]


def _held_out(case):
    """301 evenly spaced points of the interval and the target's values there."""
    lo, hi = case.args[1]
    x = np.linspace(lo, hi, GRID)[:, None]
    return x, case.args[0](x)


def _predictions(model, case):
    x, _ = _held_out(case)
    return np.asarray(nn.predict(model, x), dtype=float)


def _mse(model, case):
    x, y = _held_out(case)
    return float(np.mean((_predictions(model, case) - y) ** 2))


def _rng_untouched(case):
    return case.seen_args[2].bit_generator.state == case.args[2].bit_generator.state


def _compare_fit(got, expected, case):
    if not isinstance(got, nn.Sequential):
        raise Failure(f"your function should return the trained nnlib model (an nn.Sequential), got "
                      f"{type(got).__name__}; end with `return model`")
    if got.n_in != 1 or got.n_out != 1:
        raise Failure(f"the model should map 1 input to 1 output (first layer nn.Dense(1, ...), last "
                      f"nn.Dense(..., 1)), got {got.n_in} input(s) and {got.n_out} output(s)")
    try:
        y_hat = _predictions(got, case)
    except Exception as e:  # noqa: BLE001 - reported, never raised
        raise Failure(f"the returned model could not predict on a ({GRID}, 1) input: "
                      f"{type(e).__name__}: {e}") from None
    if y_hat.shape != (GRID, 1):
        raise Failure(f"the model's predictions have shape {y_hat.shape}, expected ({GRID}, 1)")
    if not np.all(np.isfinite(y_hat)):
        raise Failure("the model's predictions contain NaN or infinity")
    mse = _mse(got, case)
    if mse >= MSE_THRESHOLD:
        lo, hi = case.args[1]
        raise Failure(f"the model's mean squared error on {GRID} held-out points in [{lo:g}, {hi:g}] is "
                      f"{mse:.3g}; it must be below {MSE_THRESHOLD}")
    if _rng_untouched(case):
        raise Failure("the model fits, but your function did not draw from the rng it was given: create "
                      "every layer with rng=rng, so that the same rng gives the same model")


def _layers(model):
    for layer in model.layers:
        yield from _layers(layer) if isinstance(layer, nn.Sequential) else (layer,)


def _dense(model):
    return [layer for layer in _layers(model) if isinstance(layer, nn.Dense)]


def _returned_fit_result(got, expected, case):
    """The returned object is what nn.fit gave back to the learner (its History), or one of its lists
    of losses, where the model (which nn.fit trains in place) belongs."""
    if isinstance(got, nn.Sequential):
        return False
    for result in _LEARNER_RETURNS:
        if got is result or any(got is v for v in vars(result).values() if isinstance(v, list)):
            return True
    return False


def _samples_as_row(X):
    """N > 1 samples laid out as a flat vector (N,) or as one row (1, N), not as a column (N, 1)."""
    return X.ndim == 1 and X.size > 1 or X.ndim == 2 and X.shape[0] == 1 < X.shape[1]


def _inputs_not_a_column(got, expected, case):
    inputs = [X for X in _LEARNER_FITS if X.size]
    return bool(inputs) and all(_samples_as_row(X) for X in inputs)


def _fit_refused_the_row(checker, error, case):
    """Matcher: nn.fit refused the inputs (a ValueError) and every input the learner gave it was a row."""
    return isinstance(error, ValueError) and _inputs_not_a_column(None, None, case)


def _untrained(got, expected, case):
    """nnlib starts every bias at 0 and any training step moves them: all still 0, never trained."""
    dense = _dense(got)
    return bool(dense) and all(np.all(layer.params["b"] == 0) for layer in dense)


def _samples_miss_interval(got, expected, case):
    """Every nn.fit call of the learner had inputs that leave a tenth of the interval (or more) out."""
    lo, hi = case.args[1]
    margin = 0.1 * (hi - lo)
    inputs = [X for X in _LEARNER_FITS if X.size]
    return bool(inputs) and all(X.min() > lo + margin or X.max() < hi - margin for X in inputs)


def _blew_up(got, expected, case):
    """NaN or infinite weights or predictions, or an error above twice that of predicting 0 everywhere
    (where a small network starts): training went the wrong way."""
    if any(not np.all(np.isfinite(p)) for _, p, _ in got.named_parameters()):
        return True
    y_hat = _predictions(got, case)
    _, y = _held_out(case)
    return not np.all(np.isfinite(y_hat)) or _mse(got, case) > 2 * float(np.mean(y ** 2))


_NONLINEAR = (nn.Tanh, nn.Sigmoid, nn.ReLU, nn.LeakyReLU)


def _straight_line(got, expected, case):
    """The predictions lie on a straight line in x: the model is linear, whatever its layers."""
    x, _ = _held_out(case)
    y_hat = _predictions(got, case)[:, 0]
    A = np.column_stack([x[:, 0], np.ones(len(x))])
    residual = y_hat - A @ np.linalg.lstsq(A, y_hat, rcond=None)[0]
    return bool(np.max(np.abs(residual)) <= 1e-6 * (1.0 + np.max(np.abs(y_hat))))


def _output_activation(got, expected, case):
    return isinstance(list(_layers(got))[-1], _NONLINEAR)


def _too_few_units(got, expected, case):
    dense = _dense(got)
    return len(dense) >= 2 and max(layer.n_out for layer in dense[:-1]) <= 2


def _hardly_trained(got, expected, case):
    """The model fails, but the same network trained further (a copy, from its weights) fits: it
    was able to, it just had too little training."""
    if _mse(got, case) < MSE_THRESHOLD or got.num_parameters() > 100_000:   # (a huge one: not tried)
        return False
    more = _trained(copy.deepcopy(got), case.args[0], case.args[1])
    return _mse(more, case) < MSE_THRESHOLD


def _rng_not_drawn(got, expected, case):
    return _rng_untouched(case) and _mse(got, case) < MSE_THRESHOLD


def _trained(model, f, x_range, X=None, **fit_kwargs):
    X, y = _training_data(f, x_range) if X is None else (X, f(X))
    kwargs = dict(epochs=400, batch_size=None, eval_train=False)
    kwargs.update(fit_kwargs)
    opt = kwargs.pop("opt", None) or nn.optim.Adam(lr=0.03)
    nn.fit(model, nn.MSELoss(), opt, X, y, **kwargs)
    return model


def _impl_returns_history(f, x_range, rng):
    X, y = _training_data(f, x_range)
    return nn.fit(_tanh_net(16, rng), nn.MSELoss(), nn.optim.Adam(lr=0.03), X, y, epochs=400,
                  batch_size=None, eval_train=False)


def _returns_the_losses(f, x_range, rng):
    X = np.linspace(*x_range, 50).reshape(-1, 1)
    model = nn.Sequential([nn.Dense(1, 24, rng=rng), nn.Tanh(), nn.Dense(24, 1, rng=rng)])
    history = nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X=X, y=f(X), epochs=300, batch_size=None)
    return history.train_loss


def _impl_row_samples(f, x_range, rng):
    X = np.linspace(x_range[0], x_range[1], 64)[None, :]          # (1, 64): one sample of 64 features
    return _trained(_tanh_net(16, rng), f, x_range, X=X)


def _flat_samples(f, x_range, rng):
    lo, hi = x_range
    X = lo + (hi - lo) * np.arange(40) / 39                        # (40,): no feature axis
    model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.ReLU(), nn.Dense(16, 1, rng=rng)])
    nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.02), X, f(X), epochs=300, batch_size=None)
    return model


def _impl_untrained(f, x_range, rng):
    return _tanh_net(16, rng)


def _loop_without_step(f, x_range, rng):
    X, y = _training_data(f, x_range)
    model, loss_fn = _tanh_net(16, rng), nn.MSELoss()
    for _ in range(50):
        model.zero_grad()
        loss_fn.forward(model.forward(X), y)
        model.backward(loss_fn.backward())    # gradients computed, but no optimizer step
    return model


def _trains_a_copy(f, x_range, rng):
    model = _tanh_net(16, rng)
    _trained(copy.deepcopy(model), f, x_range)
    return model


def _impl_unit_interval(f, x_range, rng):
    model = _tanh_net(16, rng)
    return _trained(model, f, x_range, X=rng.random((64, 1)))


def _half_interval(f, x_range, rng):
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    return _trained(model, f, x_range, X=np.linspace(0.0, x_range[1], 50).reshape(-1, 1))


def _impl_diverged(f, x_range, rng):
    return _trained(_tanh_net(16, rng), f, x_range, opt=nn.optim.SGD(lr=50.0), on_divergence="stop")


def _sgd_raises(f, x_range, rng):
    return _trained(_tanh_net(16, rng), f, x_range, opt=nn.optim.SGD(lr=1.0))


def _adam_far_too_fast(f, x_range, rng):
    return _trained(_tanh_net(16, rng), f, x_range, opt=nn.optim.Adam(lr=10.0), epochs=200)


def _impl_no_activation(f, x_range, rng):
    model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.Dense(16, 1, rng=rng)])
    return _trained(model, f, x_range, epochs=100)


def _identity_activation(f, x_range, rng):
    return _trained(nn.mlp([1, 32, 1], activation=nn.Identity, rng=rng), f, x_range, epochs=100)


def _impl_output_activation(f, x_range, rng):
    return _trained(_tanh_net(16, rng, output=nn.ReLU()), f, x_range)


def _sigmoid_output(f, x_range, rng):
    model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.ReLU(), nn.Dense(16, 1, rng=rng), nn.Sigmoid()])
    return _trained(model, f, x_range)


def _impl_too_few_units(f, x_range, rng):
    return _trained(_tanh_net(1, rng), f, x_range)


def _two_relu_units(f, x_range, rng):
    model = nn.Sequential([nn.Dense(1, 2, rng=rng), nn.ReLU(), nn.Dense(2, 1, rng=rng)])
    return _trained(model, f, x_range)


def _impl_undertrained(f, x_range, rng):
    return _trained(_tanh_net(16, rng), f, x_range, opt=nn.optim.SGD(lr=0.01), epochs=10)


def _tiny_learning_rate(f, x_range, rng):
    model = nn.Sequential([nn.Dense(1, 32, rng=rng), nn.Tanh(), nn.Dense(32, 1, rng=rng)])
    return _trained(model, f, x_range, opt=nn.optim.Adam(lr=1e-4), epochs=100)


def _impl_own_rng(f, x_range, rng):
    return _fit_to_target(f, x_range, nn.make_rng(0))


def _fresh_generator(f, x_range, rng):
    own = np.random.default_rng(123)
    model = nn.Sequential([nn.Dense(1, 16, rng=own), nn.Tanh(), nn.Dense(16, 1, rng=own)])
    return _trained(model, f, x_range)


fit_to_target = Exercise(
    LESSON, "1.5", "fit_to_target", _fit_to_target, _fit_cases, compare=_compare_fit, check_mutation=False,
    guard=_fits_recorded, named_errors=[(nn.TrainingDiverged, "diverged"),
                                        (_fit_refused_the_row, "samples_as_row")],
    mistakes=[
        Mistake("returned_history", "what nn.fit returns (its History, or one of its lists of losses) was "
                "returned instead of the model; nn.fit trains the model you pass it in place",
                "keep nn.fit's History in a variable of its own if you want it, and return the model you "
                "trained",
                impl=_impl_returns_history, detect=_returned_fit_result, witnesses=(_returns_the_losses,)),
        Mistake("samples_as_row", "the training inputs laid out as one row (shape (1, N)) or a flat vector "
                "(N,) instead of a column of N samples (N, 1)",
                "nnlib takes X of shape (N, D), one row per sample: with one input feature, make the N "
                "sample points a column with .reshape(-1, 1) or [:, None], and y = f(X) of shape (N, 1)",
                impl=_impl_row_samples, detect=_inputs_not_a_column, witnesses=(_flat_samples,)),
        Mistake("untrained", "the model was returned untrained (every bias is still exactly 0, where nnlib "
                "starts them): no optimizer step ever changed it",
                "train the model you return: nn.fit(model, nn.MSELoss(), optimizer, X, y, epochs=...) on "
                "samples of f (a loop of your own must call optimizer.step(model))",
                impl=_impl_untrained, detect=_untrained, witnesses=(_loop_without_step, _trains_a_copy)),
        Mistake("samples_outside", "the training inputs do not cover the interval x_range, so the network "
                "only learned f where it had samples",
                "sample X over the whole interval (low, high), e.g. 64 evenly spaced points as an (N, 1) "
                "array, and train on y = f(X)",
                impl=_impl_unit_interval, detect=_samples_miss_interval, witnesses=(_half_interval,)),
        Mistake("diverged", "training diverged (the weights, the predictions or the error blew up): the "
                "learning rate is too large",
                "lower the learning rate (Adam with lr around 0.01-0.03 works here) and check "
                "that the loss falls during training", impl=_impl_diverged, detect=_blew_up,
                witnesses=(_sgd_raises, _adam_far_too_fast)),
        Mistake("no_activation", "no activation between the dense layers, so the network is a straight line",
                "put a nonlinearity (nn.Tanh() or nn.ReLU()) after each hidden nn.Dense: a stack of "
                "linear layers is one linear map", impl=_impl_no_activation, detect=_straight_line,
                witnesses=(_identity_activation,)),
        Mistake("output_activation", "an activation after the output layer, which limits the outputs' range "
                "(a ReLU cannot output negative values, a sigmoid leaves (0, 1))",
                "end a regression network with a plain nn.Dense(H, 1): a linear output",
                impl=_impl_output_activation, detect=_output_activation, witnesses=(_sigmoid_output,)),
        Mistake("too_few_units", "too few hidden units to follow the curve",
                "use more hidden units (16 or 32); the theorem needs 'enough' units, and one or two are "
                "not enough for a curve that turns twice", impl=_impl_too_few_units, detect=_too_few_units,
                witnesses=(_two_relu_units,)),
        Mistake("undertrained", "too little training (too few epochs, or too small a learning rate): the "
                "same network, trained further, fits",
                "train longer or faster: several hundred full-batch epochs of Adam with lr around "
                "0.01-0.03 fit these targets in well under a second",
                impl=_impl_undertrained, detect=_hardly_trained, witnesses=(_tiny_learning_rate,)),
        Mistake("ignores_rng", "the layers drawn from a generator of your own, not from the rng argument",
                "create every layer with rng=rng (the argument), so that the check can reproduce your model",
                impl=_impl_own_rng, detect=_rng_not_drawn, witnesses=(_fresh_generator,)),
    ])


EXERCISES = [sigmoid_bump, relu_interpolant, mlp_param_count, mlp_flops, fit_to_target]
