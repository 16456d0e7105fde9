"""Lesson 02 (activations): how much gradient an activation passes, and the networks of the lesson.

``saturation_stats`` integrates over a Gaussian of pre-activations (no sampling noise);
``network`` is the lesson's small classifier, built with ``nn.mlp``.
"""
from __future__ import annotations

import numpy as np

import nnlib as nn

SATURATED = 0.05  # |f'(z)| below this: the unit passes back less than 5% of its upstream gradient
LEAK = 0.01       # leaky ReLU slope for z <= 0 (Maas et al. 2013; nnlib's default)

#: name -> (f, f', nnlib layer class).
ACTIVATIONS = {
    "sigmoid": (nn.sigmoid, nn.sigmoid_grad, nn.Sigmoid),
    "tanh": (nn.tanh, nn.tanh_grad, nn.Tanh),
    "ReLU": (nn.relu, nn.relu_grad, nn.ReLU),
    "leaky ReLU": (lambda z: nn.leaky_relu(z, LEAK), lambda z: nn.leaky_relu_grad(z, LEAK), nn.LeakyReLU),
}
COLORS = {"sigmoid": "tab:blue", "tanh": "tab:orange", "ReLU": "tab:green", "leaky ReLU": "tab:purple",
          "none": "0.45"}

_U = np.linspace(-6.0, 6.0, 2401)            # standard-normal quantiles for the integrals
_PDF = np.exp(-0.5 * _U ** 2)
_PDF /= _PDF.sum()


def saturation_stats(activation, mean, spread):
    """Gradient statistics of ``activation`` for pre-activations z ~ N(mean, spread^2).

    Returns a dict with ``saturated`` = P(|f'(z)| < SATURATED), ``zero`` = P(f'(z) = 0) and
    ``mean_grad`` = E[f'(z)], integrated on a grid of +-6 standard deviations.
    """
    df = ACTIVATIONS[activation][1]
    d = np.abs(df(mean + spread * _U))
    return {"saturated": float(_PDF @ (d < SATURATED)), "zero": float(_PDF @ (d == 0)),
            "mean_grad": float(_PDF @ d)}


def network(activation, hidden_layers, width, rng, n_in=2, n_out=2):
    """``hidden_layers`` Dense layers of ``width`` units with ``activation`` (a name of ACTIVATIONS,
    or "none": no activation, a linear network) between them; the same ``rng`` seed gives the
    same initial weights for every activation."""
    layer = nn.Identity if activation == "none" else ACTIVATIONS[activation][2]
    return nn.mlp([n_in] + [width] * hidden_layers + [n_out], activation=layer, rng=rng)
