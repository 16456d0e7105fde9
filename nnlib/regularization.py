r"""L1 and L2 weight penalties and their gradients (weights only; biases are not penalized).

.. math:: \Omega_{L2}(W) = \frac{\lambda_2}{2} \sum W^2, \quad \nabla = \lambda_2 W; \qquad
          \Omega_{L1}(W) = \lambda_1 \sum |W|, \quad \nabla = \lambda_1\, \mathrm{sign}(W)

The strengths are called ``l2`` (:math:`\lambda_2`) and ``l1`` (:math:`\lambda_1`) everywhere: here,
in ``add_penalty_grads`` and in ``fit``. The 1/2 in the L2 term follows Goodfellow et al. (2016,
eq. 7.2) so that the gradient is :math:`\lambda_2 W`; for plain SGD, L2 then equals "weight decay"
by :math:`\alpha\lambda_2` per step. (With Adam the two differ: Loshchilov & Hutter 2019.) The
penalty is added to the *mean* data loss, so ``l2`` and ``l1`` need no rescaling when the batch
size changes.
"""
from __future__ import annotations

import numpy as np

from ._validate import check_model, check_positive

#: Parameter keys that are penalized. Biases ("b") are left alone: they do not
#: multiply inputs, so shrinking them does not reduce the model's sensitivity.
PENALIZED = ("W",)


def _weights(model, where):
    try:
        params = model.named_parameters()
    except (AttributeError, TypeError):             # None, a class, a single layer: say which
        check_model(model, where)
        raise
    for name, p, g in params:
        if name.rsplit(".", 1)[-1] in PENALIZED:
            yield p, g


def l2_penalty(model, l2):
    r""":math:`(\lambda_2/2) \sum W^2` over every weight matrix of ``model``, as a float."""
    l2 = check_positive(l2, "l2", "l2_penalty", allow_zero=True)
    return 0.5 * l2 * sum(float(np.sum(p * p)) for p, _ in _weights(model, "l2_penalty"))


def l1_penalty(model, l1):
    r""":math:`\lambda_1 \sum |W|` over every weight matrix of ``model``, as a float."""
    l1 = check_positive(l1, "l1", "l1_penalty", allow_zero=True)
    return l1 * sum(float(np.sum(np.abs(p))) for p, _ in _weights(model, "l1_penalty"))


def add_penalty_grads(model, l2=0.0, l1=0.0):
    r"""Add the penalty gradients :math:`\lambda_2 W + \lambda_1 \mathrm{sign}(W)` into the weight grads."""
    l2 = check_positive(l2, "l2", "add_penalty_grads", allow_zero=True)
    l1 = check_positive(l1, "l1", "add_penalty_grads", allow_zero=True)
    for p, g in _weights(model, "add_penalty_grads"):
        if l2:
            g += l2 * p
        if l1:
            g += l1 * np.sign(p)
