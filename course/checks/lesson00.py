"""Checks for lesson 00 (getting started: forward, backward, gradient checking).

Use in a notebook: ``from course.checks import lesson00 as check`` then
``check.numerical_gradient(numerical_gradient)``.
"""
from __future__ import annotations

import numpy as np

import nnlib as nn

from ._framework import Case, Exercise, Failure, Mistake, compare_array

LESSON = "00-getting-started"


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


def _divide_by_h(f, x, h=1e-5):
    return 2 * _centred(f, x, h)


def _all_at_once(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


def _not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        grad[i] = (fp - f(x)) / (2 * h)
    return grad


def _gradient_cases(rng):
    A = rng.standard_normal((3, 3))
    A = A @ A.T + 3 * np.eye(3)
    return [
        Case((lambda x: float(np.sum(np.exp(x))), rng.standard_normal(4)), {"h": 1e-4}, "f(x) = sum(exp(x))"),
        Case((lambda x: float(0.5 * x @ A @ x), rng.standard_normal(3)), {"h": 1e-4}, "f(x) = x^T A x / 2"),
        Case((lambda X: float(np.sum(np.sin(X) * X)), rng.standard_normal((2, 3))), {"h": 1e-4},
             "a 2x3 matrix input"),
    ]


numerical_gradient = Exercise(
    LESSON, "0.1", "numerical_gradient", _centred, _gradient_cases, rtol=1e-7, atol=1e-9,
    mistakes=[
        Mistake("forward_difference", "a one-sided difference (f(x + h) - f(x)) / h",
                "use the centred difference (f(x + h e_i) - f(x - h e_i)) / (2h): its error is O(h^2), "
                "not O(h)",
                impl=_forward_difference),
        Mistake("divide_by_h", "dividing the centred difference by h instead of 2h",
                "the two points are 2h apart, so divide by 2 * h", impl=_divide_by_h),
        Mistake("all_at_once", "perturbing every entry of x at the same time",
                "change one entry x[i] at a time (loop with np.ndindex(x.shape)) and leave the rest alone",
                impl=_all_at_once),
        Mistake("not_restored", "x was left perturbed (x[i] not put back after the two evaluations)",
                "save old = x[i] before perturbing and set x[i] = old afterwards", impl=_not_restored,
                mutation=True),
    ])


# --- 0.2 rel_error(a, b) ----------------------------------------------------------------

def _rel_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def _rel_cases(rng):
    a = rng.standard_normal((3, 4))
    return [
        Case((a, a + 1e-6 * rng.standard_normal((3, 4))), label="nearly equal matrices"),
        Case((100 * a[0], 100 * a[0] + rng.standard_normal(4)), label="large vectors"),
        Case((a[:, 0], -a[:, 0]), label="opposite vectors"),
        Case((np.zeros(3), np.zeros(3)), label="two zero vectors"),
    ]


rel_error = Exercise(
    LESSON, "0.2", "rel_error", _rel_error, _rel_cases, rtol=1e-7, atol=1e-12,
    mistakes=[
        Mistake("absolute_error", "the absolute error ||a - b|| without dividing by the sizes",
                "divide by ||a|| + ||b|| so that the error does not depend on the gradients' scale",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b)))),
        Mistake("zero_case", "0 / 0 when both arrays are zero",
                "return 0.0 when ||a|| + ||b|| == 0 (two zero gradients agree perfectly)",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b)) /
                                        (np.linalg.norm(a) + np.linalg.norm(b)))),
        Mistake("elementwise_max", "the largest element-wise ratio |a_i - b_i| / (|a_i| + |b_i|)",
                "this course uses norms of the whole arrays: ||a - b|| / (||a|| + ||b||)",
                impl=lambda a, b: float(np.max(np.abs(np.subtract(a, b)) /
                                               np.maximum(np.abs(a) + np.abs(b), 1e-300)))),
        Mistake("one_sided_denominator", "dividing by ||a|| only",
                "divide by ||a|| + ||b||: symmetric in a and b, and finite when one of them is zero",
                impl=lambda a, b: float(np.linalg.norm(np.subtract(a, b)) / np.linalg.norm(a))),
    ])


# --- 0.3 dense_backward(dout, X, W) -----------------------------------------------------

def _dense_backward(dout, X, W):
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)


def _dense_cases(rng):
    cases = []
    for N, D, H in [(5, 3, 4), (2, 6, 3), (7, 4, 5)]:
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


dense_backward = Exercise(
    LESSON, "0.3", "dense_backward", _dense_backward, _dense_cases, compare=_compare_triple,
    mistakes=[
        Mistake("dW_transposed", "dW computed as dout.T @ X, the transpose of the right answer",
                "dW must have W's shape (D, H): use X.T @ dout",
                impl=lambda dout, X, W: (dout @ W.T, dout.T @ X, dout.sum(axis=0))),
        Mistake("dX_no_transpose", "dX computed with W instead of W.T",
                "dX must have X's shape (N, D): use dout @ W.T",
                impl=lambda dout, X, W: (dout @ W, X.T @ dout, dout.sum(axis=0))),
        Mistake("db_not_summed", "db left as the per-example gradients (N, H)",
                "b is shared by all N examples, so add their contributions: dout.sum(axis=0)",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout, dout)),
        Mistake("db_mean", "db averaged over the batch instead of summed",
                "the loss already averages over the batch (dout carries the 1/N); sum here: dout.sum(axis=0)",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout, dout.mean(axis=0))),
        Mistake("dW_mean", "dW divided by the batch size",
                "dout already carries the 1/N of the mean loss; dW is X.T @ dout with no extra division",
                impl=lambda dout, X, W: (dout @ W.T, X.T @ dout / len(X), dout.sum(axis=0))),
    ])


# --- 0.4 gradient_check(model, loss_fn, X, y) -------------------------------------------

class _WrongTanh(nn.Tanh):
    """A Tanh whose backward forgets the square: 1 - tanh instead of 1 - tanh^2."""

    def _df(self, X, out):
        return 1 - out


def _one_sided_gradient(loss, p, h):
    """Forward differences (f(p + h) - f(p)) / h: the one-sided variant of numerical_gradient."""
    num, f0 = np.zeros_like(p), loss()
    for i in np.ndindex(p.shape):
        old = p[i]
        p[i] = old + h
        num[i] = (loss() - f0) / h
        p[i] = old
    return num


def _gradient_check(model, loss_fn, X, y, h=1e-5, zero_grad=True, backward=True,
                    numerical=nn.gradcheck.numerical_gradient):
    """The reference answer of 0.4 and, with one step left out or changed, its catalogued mistakes."""
    def loss():
        return loss_fn.forward(model.forward(X), y)

    if zero_grad:
        model.zero_grad()
    if backward:
        loss()
        model.backward(loss_fn.backward())
    return {name: _rel_error(g, numerical(loss, p, h)) for name, p, g in model.named_parameters()}


def _reference_gradient_check(model, loss_fn, X, y, h=1e-5):
    return _gradient_check(model, loss_fn, X, y, h)


def _no_backward(model, loss_fn, X, y, h=1e-5):
    return _gradient_check(model, loss_fn, X, y, h, zero_grad=False, backward=False)


def _no_zero_grad(model, loss_fn, X, y, h=1e-5):
    return _gradient_check(model, loss_fn, X, y, h, zero_grad=False)


def _one_sided(model, loss_fn, X, y, h=1e-5):
    return _gradient_check(model, loss_fn, X, y, h, numerical=_one_sided_gradient)


def _gc_cases(rng):
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 2, 6)
    fresh = nn.mlp([3, 4, 2], activation=nn.Tanh, rng=rng)
    stale = nn.mlp([3, 4, 2], activation=nn.Sigmoid, rng=rng)
    loss_fn = nn.SoftmaxCrossEntropy()
    loss_fn.forward(stale.forward(X), y)
    stale.backward(loss_fn.backward())  # leftover gradients from an earlier backward pass
    return [Case((fresh, nn.SoftmaxCrossEntropy(), X, y), label="a correct model"),
            Case((stale, nn.SoftmaxCrossEntropy(), X, y), label="a correct model with leftover gradients"),
            Case((nn.mlp([3, 4, 2], activation=_WrongTanh, rng=rng), nn.SoftmaxCrossEntropy(), X, y),
                 label="a model whose Tanh backward is wrong")]


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


def _about(value):
    return lambda got, expected, case: isinstance(got, dict) and any(
        expected.get(k, 1) < 1e-7 and np.isclose(float(v), value, rtol=1e-3) for k, v in got.items())


gradient_check = Exercise(
    LESSON, "0.4", "gradient_check", _reference_gradient_check, _gc_cases, compare=_compare_report,
    check_mutation=False,
    mistakes=[
        Mistake("no_backward", "the analytic gradients were read before any backward pass",
                "run loss_fn.forward(model.forward(X), y) and model.backward(loss_fn.backward()) first",
                impl=_no_backward, detect=_about(1.0)),
        Mistake("no_zero_grad", "gradients accumulated on top of leftover ones (no model.zero_grad())",
                "call model.zero_grad() before the backward pass: nnlib adds into .grads",
                impl=_no_zero_grad, detect=_about(1 / 3)),
        Mistake("imprecise_numerical_gradient", "a numerical gradient that is only roughly right "
                "(one-sided difference, or a large h)",
                "use the centred difference with h around 1e-5 in float64",
                impl=_one_sided, detect=lambda got, exp, case: isinstance(got, dict) and any(
                    exp.get(k, 1) < 1e-7 and 1e-7 <= float(v) < 1e-3 for k, v in got.items())),
    ])


EXERCISES = [numerical_gradient, rel_error, dense_backward, gradient_check]
