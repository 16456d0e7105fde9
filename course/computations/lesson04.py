"""Lesson 04 (softmax and cross-entropy): the two losses of a two-class softmax, and their gradients."""
from __future__ import annotations

import numpy as np


def true_class_loss_and_grad(p, loss="cross-entropy", wrt="logit"):
    r"""Loss and gradient of a two-class softmax as functions of the true class's probability p.

    ``loss="cross-entropy"``: :math:`L = -\ln p`. ``loss="squared error"``: the mean over the two
    entries of :math:`(q - \mathrm{onehot})^2`, which is :math:`(1 - p)^2` (``nn.MSELoss``'s convention).
    ``wrt="logit"`` differentiates with respect to the true class's logit :math:`z` (the other
    logit fixed), using :math:`\partial p/\partial z = p(1 - p)`; ``wrt="probability"`` with respect to p.
    Returns ``(L, dL)``.
    """
    p = np.asarray(p, dtype=float)
    if loss == "cross-entropy":
        L, dL_dp = -np.log(p), -1.0 / p
    elif loss == "squared error":
        L, dL_dp = (1 - p) ** 2, -2.0 * (1 - p)
    else:
        raise ValueError(f"loss must be 'cross-entropy' or 'squared error', got {loss!r}")
    if wrt == "probability":
        return L, dL_dp
    if wrt != "logit":
        raise ValueError(f"wrt must be 'logit' or 'probability', got {wrt!r}")
    return L, dL_dp * p * (1 - p)
