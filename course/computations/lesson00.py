"""Lesson 00 (getting started): one neuron's forward and backward values, through nnlib's layers."""
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
