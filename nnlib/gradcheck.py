r"""Gradient checking: compare a backward pass with centred finite differences.

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

The centred difference has truncation error :math:`O(h^2)` (the one-sided one, :math:`O(h)`);
round-off grows like :math:`\epsilon_\text{mach}/h`, so :math:`h \approx 10^{-5}` in float64 is a good
compromise. The comparison uses the relative error
:math:`\lVert a - b \rVert / \max(\lVert a \rVert + \lVert b \rVert, \text{tiny})`: around 1e-10 for
a correct float64 backward, 1e-2 or more for a wrong one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Centred-difference gradient of the scalar function ``f()`` with respect to array ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored; ``f`` takes no
    arguments and reads ``x`` (e.g. a closure over a layer's weights).
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"numerical_gradient expected x to be a floating numpy array (perturbed in "
                        f"place), got {type(x).__name__}; use np.asarray(x, dtype=float).")
    if not h > 0:
        raise ValueError(f"numerical_gradient expected a step h > 0, got {h}; 1e-5 suits float64.")
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("numerical_gradient needs a contiguous x to perturb in place; pass "
                         "np.ascontiguousarray(x) and close f over that array.")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f()
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
    """
    x = dtype(x0)
    hs = np.asarray(hs, dtype=dtype)
    true = float(df(np.float64(x0)))
    forward = (f(x + hs) - f(x)) / hs
    centred = (f(x + hs) - f(x - hs)) / (2 * hs)
    scale = max(abs(true), 1e-300)
    return (np.maximum(np.abs(forward.astype(np.float64) - true) / scale, floor),
            np.maximum(np.abs(centred.astype(np.float64) - true) / scale, floor))


def rel_error(a, b):
    """Relative error ``||a - b|| / (||a|| + ||b||)`` (0 when both are zero)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error expected arrays of the same shape, got {a.shape} and {b.shape}.")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
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


def check_layer(layer, X, rng, h=1e-5, tol=1e-7):
    """Gradient-check ``layer``'s input and parameter gradients at input ``X``.

    Uses the scalar :math:`f = \\sum (\\text{layer}(X) \\odot R)` with a fixed random ``R``, so
    :math:`\\partial f/\\partial\\,\\text{out} = R`. Returns a :class:`GradCheckReport`.
    """
    X = np.array(X, dtype=np.float64)
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
    X = np.array(X, dtype=np.float64)
    for layer in getattr(model, "layers", [model]):
        if getattr(layer, "p_drop", 0) and layer.training:
            raise ValueError(f"check_model: {layer!r} is in training mode, so every forward pass draws "
                             f"a new mask and finite differences are meaningless; call model.eval() "
                             f"first (or check the Dropout layer alone with a fixed mask).")

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
