"""Look inside a network: the output of every activation layer and the loss gradient there.

Used by the lessons on activations, initialization and unstable gradients, together with
:func:`nnlib.plot.layer_histograms`. NumPy only; nnlib's layers are called as they are.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_2d_float, check_loss, kind
from .layers import Identity, LeakyReLU, ReLU, Sequential, Sigmoid, Tanh

ACTIVATION_TYPES = (Sigmoid, Tanh, ReLU, LeakyReLU, Identity)


def collect_activations_and_grads(model, loss_fn, X, y):
    r"""Run one forward and one backward pass; keep what each activation layer outputs and receives.

    Parameters
    ----------
    model : Sequential
        The network. Its layers are walked one by one (``layer.forward`` then, in reverse,
        ``layer.backward``); the activation layers are the instances of Sigmoid, Tanh, ReLU,
        LeakyReLU and Identity.
    loss_fn : SoftmaxCrossEntropy or MSELoss
        The loss, averaged over the batch as everywhere in nnlib.
    X : array (N, D)
        Inputs.
    y : array (N,) of integer labels, or (N, K) regression targets.

    Returns
    -------
    activations : list of arrays (N, H_l), one per activation layer, in forward order.
    grads : list of arrays (N, H_l): :math:`\partial L / \partial a_l`, the gradient of the mean
        loss with respect to the output :math:`a_l` of the same activation layer.

    Raises
    ------
    TypeError
        If ``model`` is not an ``nnlib.Sequential``.

    Notes
    -----
    The pass runs in evaluation mode (dropout off, so the Dropout generators are not consumed)
    and the model's mode is restored afterwards. Parameter gradients are restored too: the
    call does not disturb a training step in progress. Because the loss is a mean over the
    batch, each row of ``grads`` carries a factor 1/N.

    Examples
    --------
    >>> acts, grads = collect_activations_and_grads(model, nn.SoftmaxCrossEntropy(), X, y)
    >>> [a.std() for a in acts]  # doctest: +SKIP
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"collect_activations_and_grads expected an nnlib Sequential model, got "
                        f"{kind(model)} as model; wrap the layers: nn.Sequential([...]).")
    check_loss(loss_fn, "collect_activations_and_grads")
    X = as_2d_float(X, "X", "collect_activations_and_grads", dtype=model.dtype)
    saved = [g.copy() for _, _, g in model.named_parameters()]
    was_training = model.training
    model.eval()
    try:
        positions, activations, out = [], [], X
        for i, (layer, forward) in enumerate(zip(model.layers, model._forwards)):
            out = forward(out)                       # X was checked: the layers pass it on unchecked
            if isinstance(layer, ACTIVATION_TYPES):
                positions.append(i)
                activations.append(np.array(out, copy=True))
        loss_fn.forward(out, y)
        dout = loss_fn.backward()
        grads = [None] * len(positions)
        where = {i: k for k, i in enumerate(positions)}
        for i in reversed(range(len(model.layers))):
            if i in where:  # dout is dL/d(output of layer i) before layer i's backward runs
                grads[where[i]] = np.array(dout, copy=True)
            dout = model._backwards[i](dout)
    finally:
        for (_, _, g), old in zip(model.named_parameters(), saved):
            g[...] = old
        if was_training:
            model.train()
    return activations, grads
