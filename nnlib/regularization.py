r"""L1 and L2 weight penalties and their gradients (weights only; biases are not penalized).

.. math:: \Omega_{L2}(W) = \frac{\lambda}{2} \sum W^2, \quad \nabla = \lambda W; \qquad
          \Omega_{L1}(W) = \lambda \sum |W|, \quad \nabla = \lambda\, \mathrm{sign}(W)

The 1/2 in the L2 term follows Goodfellow et al. (2016, eq. 7.2) so that the gradient
is :math:`\lambda W`; for plain SGD, L2 then equals "weight decay" by :math:`\alpha\lambda` per step.
(With Adam the two differ: Loshchilov & Hutter 2019.) The penalty is added to the
*mean* data loss, so ``lam`` does not need rescaling when the batch size changes.
"""
from __future__ import annotations

import numpy as np

from ._validate import check_positive

#: Parameter keys that are penalized. Biases ("b") are left alone: they do not
#: multiply inputs, so shrinking them does not reduce the model's sensitivity.
PENALIZED = ("W",)


def _weights(model):
    for name, p, g in model.named_parameters():
        if name.rsplit(".", 1)[-1] in PENALIZED:
            yield p, g


def l2_penalty(model, lam):
    """:math:`(\\lambda/2) \\sum W^2` over every weight matrix of ``model``."""
    lam = check_positive(lam, "lam", "l2_penalty", allow_zero=True)
    return 0.5 * lam * sum(float(np.sum(p * p)) for p, _ in _weights(model))


def l1_penalty(model, lam):
    """:math:`\\lambda \\sum |W|` over every weight matrix of ``model``."""
    lam = check_positive(lam, "lam", "l1_penalty", allow_zero=True)
    return lam * sum(float(np.sum(np.abs(p))) for p, _ in _weights(model))


def add_penalty_grads(model, l2=0.0, l1=0.0):
    """Add the penalties' gradients (:math:`\\lambda_2 W + \\lambda_1 \\mathrm{sign}(W)`) into the weight grads."""
    for p, g in _weights(model):
        if l2:
            g += l2 * p
        if l1:
            g += l1 * np.sign(p)
