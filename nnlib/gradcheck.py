r"""Gradient checking: compare a backward pass with centred finite differences.

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

The centred difference has truncation error :math:`O(h^2)` (the one-sided one, :math:`O(h)`);
round-off grows like :math:`\epsilon_\text{mach}/h`, so :math:`h \approx 10^{-5}` in float64 is a good
compromise. The comparison uses the relative error
:math:`\lVert a - b \rVert / \max(\lVert a \rVert + \lVert b \rVert, \text{tiny})`: around 1e-10 for
a correct float64 backward, 1e-2 or more for a wrong one.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from . import _validate as V
from .blocks import _walk
from ._validate import (as_2d_float, as_real_array, check_dtype, check_function, check_loss, check_positive,
                        check_real, check_rng, describe)


def _check_value(value, where):
    """What ``f()`` returns must be one real number (NaN is allowed: it shows in the gradient)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) or (
        isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf")
    if not ok:
        raise TypeError(f"{where} expected f() to return one real number (the loss), got {describe(value)}; "
                        f"return e.g. float(loss).")


def numerical_gradient(f, x, h=1e-5):
    """Centred-difference gradient of the scalar function ``f()`` with respect to array ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored; ``f`` takes no
    arguments and reads ``x`` (e.g. a closure over a layer's weights). ``x`` must be finite;
    a NaN returned by ``f`` is passed on into the gradient.
    """
    where = "numerical_gradient"
    check_function(f, "f", where, takes=" of no arguments that reads x (f = lambda: loss(x))")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        got = describe(x) if x is None or isinstance(x, type) else type(x).__name__
        if isinstance(x, np.ndarray):
            got = f"an array of dtype {x.dtype}"
        raise TypeError(f"{where} expected x to be a floating numpy array (perturbed in "
                        f"place), got {got}; use np.asarray(x, dtype=float).")
    as_real_array(x, "x", where)                     # no NaN or inf to perturb
    if isinstance(h, bool) or not isinstance(h, numbers.Real):
        raise TypeError(f"{where} expected a step h > 0, got {describe(h)}; 1e-5 suits float64.")
    if not (h > 0 and np.isfinite(h)):
        raise ValueError(f"{where} expected a step h > 0, got {h}; 1e-5 suits float64.")
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("numerical_gradient needs a contiguous x to perturb in place; pass "
                         "np.ascontiguousarray(x) and close f over that array.")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f()
        if i == 0:
            _check_value(f_plus, where)
        flat[i] = old - h
        f_minus = f()
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def finite_difference_errors(f, df, x0, hs, dtype=np.float64, floor=1e-17):
    """Relative errors of the forward and centred differences of ``f`` at ``x0``, one per step h.

    ``df`` is the exact derivative. Arithmetic happens in ``dtype`` (float32 shows how
    soon round-off takes over). Errors of exactly 0 are reported as ``floor`` so that
    they can be drawn on a log axis. Returns ``(forward_errors, centred_errors)``.
    ``hs`` holds one or more finite steps > 0; ``x0`` is a finite real number.
    """
    where = "finite_difference_errors"
    check_function(f, "f", where, (x0,), takes=" of one number, such as np.sin")
    check_function(df, "df", where, (x0,), takes=" of one number, such as np.cos")
    check_real(x0, "x0", where, 1.0)
    dtype = check_dtype(dtype, "dtype", where).type
    check_positive(floor, "floor", where, example=1e-17)
    hs_checked = as_real_array(hs, "hs", where)
    if hs_checked.ndim > 1 or not hs_checked.size or (hs_checked <= 0).any():
        got = (f"shape {hs_checked.shape}" if hs_checked.ndim > 1 or not hs_checked.size
               else f"the step {hs_checked[hs_checked <= 0][0]}")
        raise ValueError(f"{where} expected hs as a 1-D list of steps h > 0, got {got}; "
                         f"e.g. hs=np.logspace(-1, -12, 12).")
    x = dtype(x0)
    hs = np.asarray(hs, dtype=dtype)
    true = float(df(np.float64(x0)))
    forward = (f(x + hs) - f(x)) / hs
    centred = (f(x + hs) - f(x - hs)) / (2 * hs)
    scale = max(abs(true), 1e-300)
    return (np.maximum(np.abs(forward.astype(np.float64) - true) / scale, floor),
            np.maximum(np.abs(centred.astype(np.float64) - true) / scale, floor))


def rel_error(a, b):
    """Relative error ``||a - b|| / (||a|| + ||b||)`` (0 when both are zero).

    NaN or inf in ``a`` or ``b`` gives NaN, which fails every tolerance (the answer is wrong).
    """
    a = as_real_array(a, "a", "rel_error", nan=True, inf=True).astype(np.float64, copy=False)
    b = as_real_array(b, "b", "rel_error", nan=True, inf=True).astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise ValueError(f"rel_error expected arrays of the same shape, got {a.shape} and {b.shape}.")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    if not np.isfinite(denom):
        return float("nan")
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


@dataclass
class GradCheckReport:
    """Relative error per checked quantity; ``passed`` when all are below ``tol``."""
    errors: dict = field(default_factory=dict)
    tol: float = 1e-7

    @property
    def passed(self):
        return all(e < self.tol for e in self.errors.values())

    @property
    def max_error(self):
        return max(self.errors.values(), default=0.0)

    def __repr__(self):
        w = max([len(k) for k in self.errors] + [8])
        lines = [f"{'quantity':<{w}}  rel. error  verdict"]
        for k, e in self.errors.items():
            lines.append(f"{k:<{w}}  {e:10.2e}  {'ok' if e < self.tol else 'WRONG'}")
        return "\n".join(lines)


def _finite_parameters(named, where):
    for name, p, _ in named:
        if not np.isfinite(p).all():
            raise ValueError(f"{where} found NaN or inf in the parameter {name}; finite differences need "
                             f"finite weights: re-initialize the model (a diverged model cannot be checked).")


def check_layer(layer, X, rng, h=1e-5, tol=1e-7):
    """Gradient-check ``layer``'s input and parameter gradients at input ``X``.

    Uses the scalar :math:`f = \\sum (\\text{layer}(X) \\odot R)` with a fixed random ``R``, so
    :math:`\\partial f/\\partial\\,\\text{out} = R`. Returns a :class:`GradCheckReport`.
    """
    where = "check_layer"
    if isinstance(layer, type) or not (callable(getattr(layer, "forward", None))
                                       and callable(getattr(layer, "backward", None))):
        raise TypeError(f"{where} expected layer to be an nnlib layer instance such as nn.Tanh(), got "
                        f"{describe(layer)}.")
    X = np.array(as_real_array(X, "X", where), dtype=np.float64)
    check_rng(rng, where)
    check_positive(h, "h", where, example=1e-5)
    check_positive(tol, "tol", where, example=1e-7)
    _finite_parameters(((k, p, None) for k, p in layer.params.items()), where)
    if getattr(layer, "p_drop", 0) and layer.training and not getattr(layer, "frozen", False):
        raise ValueError(f"check_layer: {layer!r} is in training mode, so every forward pass draws a new "
                         f"mask; call layer.freeze_mask() first to check the training pass with one "
                         f"fixed mask.")
    out = layer.forward(X)
    R = rng.standard_normal(out.shape)

    def f():
        return float(np.sum(layer.forward(X) * R))

    layer.zero_grad()
    layer.forward(X)
    dX = layer.backward(R)
    report = GradCheckReport(tol=tol)
    report.errors["X"] = rel_error(dX, numerical_gradient(f, X, h))
    for k, p in layer.params.items():
        report.errors[k] = rel_error(layer.grads[k], numerical_gradient(f, p, h))
    return report


def check_model(model, loss_fn, X, y, h=1e-5, tol=1e-7):
    """Gradient-check every parameter of ``model`` under ``loss_fn`` (one call, one report)."""
    where = "check_model"
    V.check_model(model, where)
    check_loss(loss_fn, where)
    X = np.array(as_2d_float(X, "X", where), dtype=np.float64)
    check_positive(h, "h", where, example=1e-5)
    check_positive(tol, "tol", where, example=1e-7)
    for layer in _walk(model):
        if getattr(layer, "p_drop", 0) and layer.training and not getattr(layer, "frozen", False):
            raise ValueError(f"check_model: {layer!r} is in training mode, so every forward pass draws "
                             f"a new mask and finite differences are meaningless; call "
                             f"layer.freeze_mask() on each Dropout layer first, which checks the training "
                             f"pass with one fixed mask (model.eval() would check only the test pass, "
                             f"where dropout does nothing).")
    _finite_parameters(model.named_parameters(), where)

    def f():
        return loss_fn.forward(model.forward(X), y)

    model.zero_grad()
    f()
    model.backward(loss_fn.backward())
    report = GradCheckReport(tol=tol)
    for name, p, g in model.named_parameters():
        analytic = g.copy()
        report.errors[name] = rel_error(analytic, numerical_gradient(f, p, h))
    return report
