"""Lesson 00 (getting started): one neuron's forward and backward values through nnlib's layers, the
typical best step of a finite difference, and the time of a forward and a backward pass."""
from __future__ import annotations

import numpy as np

import nnlib as nn


def neuron_forward_backward(x, w, b, t):
    """Forward and backward values of a = sigmoid(w x + b), L = (a - t)^2, via nnlib layers."""
    dense = nn.Dense(1, 1, init=nn.init.zeros, rng=nn.make_rng(0))
    dense.params["W"][0, 0], dense.params["b"][0] = w, b
    act, loss_fn = nn.Sigmoid(), nn.MSELoss()
    z = dense.forward(np.array([[x]]))
    a = act.forward(z)
    L = loss_fn.forward(a, np.array([[t]]))
    dL_da = loss_fn.backward()
    dL_dz = act.backward(dL_da)
    dense.backward(dL_dz)
    return {"z": z.item(), "a": a.item(), "L": L, "dL/da": dL_da.item(), "da/dz": (a * (1 - a)).item(),
            "dL/dz": dL_dz.item(), "dL/dw": dense.grads["W"].item(), "dL/db": dense.grads["b"].item()}


def error_floor(hs, errors, decades=1.0):
    """The typical best step of a finite difference and the typical error there.

    ``errors`` (one per step in ``hs``) is ragged left of its minimum, where round-off rules, so
    its single smallest value is a lucky dip. This takes the median of the errors within
    ``decades / 2`` decades of each step and returns ``(h, median)`` where that median is smallest.
    """
    hs, errors = np.asarray(hs, dtype=float), np.asarray(errors, dtype=float)
    log_h = np.log10(hs)
    medians = np.array([np.median(errors[np.abs(log_h - c) <= decades / 2]) for c in log_h])
    best = int(medians.argmin())
    return float(hs[best]), float(medians[best])


def time_passes(net, loss_fn, X, y, repeats=100):
    """Mean seconds of one forward pass (with the loss) and of one forward + backward pass."""
    import time

    start = time.perf_counter()
    for _ in range(repeats):
        loss_fn(net(X), y)
    forward = (time.perf_counter() - start) / repeats
    start = time.perf_counter()
    for _ in range(repeats):
        net.zero_grad()
        loss_fn(net(X), y)
        net.backward(loss_fn.backward())
    return forward, (time.perf_counter() - start) / repeats
