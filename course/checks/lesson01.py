"""Checks for lesson 01 (universal approximation; the power of layers and units).

Use in a notebook: ``from course.checks import lesson01 as check`` then
``check.sigmoid_bump(sigmoid_bump)``.

Conventions checked here (the lesson's):

* a layer list ``sizes = [n_0, n_1, ..., n_L]`` gives the input size n_0 and the output
  sizes of the L dense layers (so ``[1, 16, 1]`` is one hidden layer of 16 units);
* FLOPs per example: a dense layer n_in -> n_out costs 2 * n_in * n_out (each output
  needs n_in multiplications, n_in - 1 additions to sum them and 1 addition for the
  bias); activations are not counted;
* the ReLU interpolant stays flat outside its knots, like ``np.interp``.

Each catalogue lists its mistakes in the order they are tried; every catalogued
mistake is named as itself on the first test case it fails.
"""
from __future__ import annotations

import numpy as np

import nnlib as nn

from ._framework import Case, Exercise, Failure, Mistake, compare_array

LESSON = "01-universal-approximation"


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


sigmoid_bump = Exercise(
    LESSON, "1.1", "sigmoid_bump", _sigmoid_bump, _bump_cases, rtol=1e-6, atol=1e-9,
    mistakes=[
        Mistake("swapped", "the two steps subtracted in the wrong order (right step minus left step)",
                "the step at `left` switches on first: sigmoid(s * (x - left)) - sigmoid(s * (x - right)) "
                "is +1 between the edges, the other order gives -1",
                impl=lambda x, l, r, s: -_sigmoid_bump(x, l, r, s)),
        Mistake("steepness_outside", "the steepness multiplies the sigmoid's output (s * sigmoid(x - left)) "
                "instead of its input",
                "put s inside: sigmoid(s * (x - left)); scaling the input sharpens the step, scaling the "
                "output only makes it taller",
                impl=lambda x, l, r, s: s * nn.sigmoid(np.asarray(x, float) - l)
                - s * nn.sigmoid(np.asarray(x, float) - r)),
        Mistake("shift_not_scaled", "the steepness multiplies x but not the shift (sigmoid(s * x - left))",
                "scale the whole difference: sigmoid(s * (x - left)); otherwise the edge moves to left / s",
                impl=lambda x, l, r, s: nn.sigmoid(s * np.asarray(x, float) - l)
                - nn.sigmoid(s * np.asarray(x, float) - r)),
        Mistake("no_steepness", "the steepness was left out (sigmoid(x - left) - sigmoid(x - right))",
                "multiply the input by s: sigmoid(s * (x - left)) - sigmoid(s * (x - right))",
                impl=lambda x, l, r, s: _sigmoid_bump(x, l, r, 1.0)),
    ])


# --- 1.2 relu_interpolant(x, knots, values) -------------------------------------------------

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


def _absolute_slopes(x, knots, values):
    return _relu_sum(x, knots, _slopes(knots, values), float(values[0]))


def _reversed_difference(x, knots, values):
    coef = -np.diff(np.concatenate([[0.0], _slopes(knots, values), [0.0]]))
    return _relu_sum(x, knots, coef, float(values[0]))


def _no_last_unit(x, knots, values):
    coef = np.diff(np.concatenate([[0.0], _slopes(knots, values)]))
    return _relu_sum(x, knots, coef, float(values[0]))


def _no_offset(x, knots, values):
    return _relu_interpolant(x, knots, values) - float(values[0])


relu_interpolant = Exercise(
    LESSON, "1.2", "relu_interpolant", _relu_interpolant, _interp_cases, rtol=1e-6, atol=1e-9,
    mistakes=[
        Mistake("absolute_slopes", "each unit weighted by its segment's slope instead of the change of slope",
                "a ReLU unit at knot k_i keeps adding its slope to everything on its right, so weight it by "
                "the change c_i = slope_i - slope_(i-1)",
                impl=_absolute_slopes),
        Mistake("reversed_difference", "the slope changes taken the wrong way round (slope_(i-1) - slope_i)",
                "c_i = slope_i - slope_(i-1): the new slope minus the old one",
                impl=_reversed_difference),
        Mistake("not_flat_outside", "no unit at the last knot, so the line keeps rising or falling after it",
                "add a unit at the last knot with weight -slope_last (the change from the last slope to 0), "
                "so the function stays flat beyond the knots like np.interp",
                impl=_no_last_unit),
        Mistake("no_offset", "the output bias values[0] is missing",
                "every ReLU is 0 left of the first knot, so the output bias must be values[0]",
                impl=_no_offset),
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
    return compare


mlp_param_count = Exercise(
    LESSON, "1.3", "mlp_param_count", _param_count, _size_cases,
    compare=_compare_count("the parameter count"),
    mistakes=[
        Mistake("no_biases", "the biases were not counted (only the weights n_in * n_out)",
                "each dense layer also has one bias per output unit: n_in * n_out + n_out",
                impl=lambda sizes: sum(a * b for a, b in _pairs(sizes))),
        Mistake("input_biases", "a bias counted for every input unit too",
                "the input layer is just the data: it has no weights and no biases; count n_out biases "
                "per dense layer only",
                impl=lambda sizes: _param_count(sizes) + int(sizes[0])),
        Mistake("input_as_layer", "the input size treated as a layer of its own (a loop over every entry of "
                "sizes, so sizes[i - 1] wraps around to the last size for i = 0)",
                "sizes has one more entry than there are dense layers: loop over the consecutive pairs, "
                "zip(sizes[:-1], sizes[1:])",
                impl=_wraparound(lambda a, b: a * b + b)),
        Mistake("missing_last_layer", "the output layer was left out (one layer too few)",
                "count every consecutive pair of sizes, including the last hidden layer -> output",
                impl=lambda sizes: _param_count(list(sizes)[:-1])),
    ])


mlp_flops = Exercise(
    LESSON, "1.4", "mlp_flops", _flops, _size_cases, compare=_compare_count("the FLOP count"),
    mistakes=[
        Mistake("multiplies_only", "only the multiplications were counted (n_in * n_out per layer: "
                "the number of multiply-adds, not of FLOPs)",
                "count the additions too: n_in multiplications and n_in additions (n_in - 1 to sum, "
                "1 for the bias) per output, so 2 * n_in * n_out per layer",
                impl=lambda sizes: sum(a * b for a, b in _pairs(sizes))),
        Mistake("forgot_bias_add", "the bias addition was left out ((2 n_in - 1) per output)",
                "adding the bias is one more addition per output unit: 2 * n_in * n_out in total",
                impl=lambda sizes: sum((2 * a - 1) * b for a, b in _pairs(sizes))),
        Mistake("bias_counted_twice", "the bias addition counted on top of 2 * n_in * n_out",
                "summing n_in products takes n_in - 1 additions; with the bias that is n_in, so 2 * n_in "
                "FLOPs per output and 2 * n_in * n_out per layer",
                impl=lambda sizes: sum(2 * a * b + b for a, b in _pairs(sizes))),
        Mistake("input_as_layer", "the input size treated as a layer of its own (a loop over every entry of "
                "sizes, so sizes[i - 1] wraps around to the last size for i = 0)",
                "loop over the consecutive pairs zip(sizes[:-1], sizes[1:]): one pair per dense layer",
                impl=_wraparound(lambda a, b: 2 * a * b)),
        Mistake("counted_parameters", "the parameter count was returned instead of the FLOPs",
                "parameters are what is stored; FLOPs are what one forward pass computes: 2 * n_in * n_out "
                "per dense layer",
                impl=_param_count),
    ])


# --- 1.5 fit_to_target(f, x_range, rng) -------------------------------------------------------

MSE_THRESHOLD = 0.01
GRID = 301


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


def _diverged(got, expected, case):
    params_bad = any(not np.all(np.isfinite(p)) for _, p, _ in got.named_parameters())
    if params_bad:
        return True
    y_hat = _predictions(got, case)
    return not np.all(np.isfinite(y_hat)) or _mse(got, case) > 1e3


def _untrained(got, expected, case):
    dense = [layer for layer in got.layers if isinstance(layer, nn.Dense)]
    return bool(dense) and all(np.all(layer.params["b"] == 0) for layer in dense)


_NONLINEAR = (nn.Tanh, nn.Sigmoid, nn.ReLU, nn.LeakyReLU)


def _no_activation(got, expected, case):
    return not any(isinstance(layer, _NONLINEAR) for layer in got.layers)


def _output_activation(got, expected, case):
    return isinstance(got.layers[-1], _NONLINEAR)


def _too_few_units(got, expected, case):
    dense = [layer for layer in got.layers if isinstance(layer, nn.Dense)]
    return len(dense) >= 2 and max(layer.n_out for layer in dense[:-1]) <= 2


def _trained(model, f, x_range, **fit_kwargs):
    X, y = _training_data(f, x_range)
    kwargs = dict(epochs=400, batch_size=None, eval_train=False)
    kwargs.update(fit_kwargs)
    opt = kwargs.pop("opt", None) or nn.optim.Adam(lr=0.03)
    nn.fit(model, nn.MSELoss(), opt, X, y, **kwargs)
    return model


def _impl_diverged(f, x_range, rng):
    return _trained(_tanh_net(16, rng), f, x_range, opt=nn.optim.SGD(lr=50.0), on_divergence="stop")


def _impl_untrained(f, x_range, rng):
    return _tanh_net(16, rng)


def _impl_no_activation(f, x_range, rng):
    model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.Dense(16, 1, rng=rng)])
    return _trained(model, f, x_range, epochs=100)


def _impl_output_activation(f, x_range, rng):
    return _trained(_tanh_net(16, rng, output=nn.ReLU()), f, x_range)


def _impl_too_few_units(f, x_range, rng):
    return _trained(_tanh_net(1, rng), f, x_range)


fit_to_target = Exercise(
    LESSON, "1.5", "fit_to_target", _fit_to_target, _fit_cases, compare=_compare_fit, check_mutation=False,
    mistakes=[
        Mistake("diverged", "training diverged (the weights or predictions blew up): the learning rate is "
                "too large", "lower the learning rate (Adam with lr around 0.01-0.03 works here) and check "
                "that the loss falls during training", impl=_impl_diverged, detect=_diverged),
        Mistake("untrained", "the model was returned untrained (every bias is still exactly 0)",
                "call nn.fit(model, nn.MSELoss(), optimizer, X, y, epochs=...) on samples of f before "
                "returning the model", impl=_impl_untrained, detect=_untrained),
        Mistake("no_activation", "no activation between the dense layers, so the network is a straight line",
                "put a nonlinearity (nn.Tanh() or nn.ReLU()) after each hidden nn.Dense: a stack of "
                "linear layers is one linear map", impl=_impl_no_activation, detect=_no_activation),
        Mistake("output_activation", "an activation after the output layer, which limits the outputs' range "
                "(a ReLU cannot output negative values, a sigmoid leaves (0, 1))",
                "end a regression network with a plain nn.Dense(H, 1): a linear output",
                impl=_impl_output_activation, detect=_output_activation),
        Mistake("too_few_units", "too few hidden units to follow the curve",
                "use more hidden units (16 or 32); the theorem needs 'enough' units, and one or two are "
                "not enough for a curve that turns twice", impl=_impl_too_few_units, detect=_too_few_units),
    ])


EXERCISES = [sigmoid_bump, relu_interpolant, mlp_param_count, mlp_flops, fit_to_target]
