"""Look inside a network: the output of every activation layer and the loss gradient there.

Used by the lessons on activations, initialization, dropout and unstable gradients, together with
:func:`nnlib.plot.layer_histograms`: activations and gradients layer by layer, the gradient norm of
every weight matrix, and the spread of Monte Carlo dropout predictions. NumPy only; nnlib's layers
are called as they are.
"""
from __future__ import annotations

import numpy as np

from . import functional as F
from ._validate import as_2d_float, check_int, check_loss, kind
from .blocks import _walk
from .layers import Dropout, Identity, LeakyReLU, ReLU, Sequential, Sigmoid, Tanh, _is_nnlib
from .training import _check_predictor, _inputs

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


def gradient_norms(model, loss_fn, X, y):
    r"""The norm of the loss gradient of every weight matrix, from one forward and backward pass.

    Parameters
    ----------
    model : Sequential
    loss_fn : SoftmaxCrossEntropy or MSELoss
    X : array (N, D); y : labels (N,) or targets (N, K).

    Returns
    -------
    dict ``{name: float}``: :math:`\lVert \partial L/\partial W \rVert_F` for every parameter whose name
    ends in ``W`` (``"0.W"``, ``"2.W"``, ... from the input side to the output), in order. The ratio of
    the first to the last is how much weaker the gradient of the first layer is (lesson 08).

    Notes
    -----
    The pass runs in the mode the model is in (a new model trains: batch normalization uses the
    batch's statistics and dropout draws masks), as a training step would see it. The parameter
    gradients are restored afterwards, so the call does not disturb a step in progress.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"gradient_norms expected an nnlib Sequential model, got {kind(model)} as model; "
                        f"wrap the layers: nn.Sequential([...]).")
    check_loss(loss_fn, "gradient_norms")
    X = as_2d_float(X, "X", "gradient_norms", dtype=model.dtype, min_samples=1)
    if model.n_in is not None and X.shape[1] != model.n_in:
        raise ValueError(f"gradient_norms: the model's first layer expects {model.n_in} features, got X of "
                         f"shape {X.shape}; check the columns of X.")
    named = list(model.named_parameters())
    saved = [g.copy() for _, _, g in named]
    try:
        for _, _, g in named:
            g.fill(0)
        loss_fn.forward(model._forward(X), y)
        model._backward(loss_fn.backward(), input_grad=False)
        return {name: float(np.linalg.norm(g)) for name, _, g in named if name.endswith("W")}
    finally:
        for (_, _, g), old in zip(named, saved):
            g[...] = old


def _dropout_layers(model):
    """Every Dropout layer of ``model``, nested Sequentials and residual blocks included, in order."""
    return [layer for layer in _walk(model) if isinstance(layer, Dropout)]


def mc_dropout_predict(model, X, n_samples, batch_size=1024):
    r"""Monte Carlo dropout: the mean of ``n_samples`` softmax predictions, each with fresh masks.

    Every ``Dropout`` layer draws a new mask per pass (from its own ``rng``) while every other
    layer runs in evaluation mode; the probabilities are averaged,
    :math:`\frac1k\sum_{j=1}^k \mathrm{softmax}(f(x; m_j))`, the arithmetic mean over sampled
    thinned networks (Srivastava et al. 2014, §7.5). ``predict`` is instead the weight-scaling
    rule: one pass with every unit kept. Modes are restored afterwards.

    Parameters
    ----------
    model : Sequential with at least one Dropout layer whose mask is not frozen.
    X : array (N, D), finite.
    n_samples : int >= 1, the number k of sampled masks per example.
    batch_size : int >= 1, rows per forward pass.

    Returns
    -------
    ndarray (N, C): class probabilities; each row sums to 1.
    """
    _check_predictor(model, "mc_dropout_predict")
    n_samples = check_int(n_samples, "n_samples", "mc_dropout_predict")
    batch_size = check_int(batch_size, "batch_size", "mc_dropout_predict")
    drops = _dropout_layers(model)
    if not drops:
        raise ValueError("mc_dropout_predict expected a model with at least one nn.Dropout layer, got "
                         f"{model!r}; without dropout every sample is the same: use nn.predict.")
    if any(d.frozen for d in drops):
        raise ValueError("mc_dropout_predict: a Dropout layer of the model has a frozen mask "
                         "(freeze_mask()), so every sample would use the same mask; call "
                         "layer.freeze_mask(False) on it first.")
    X = _inputs(model, X, "X", "mc_dropout_predict")
    was_training = getattr(model, "training", False)
    forward = model._forward if _is_nnlib(model, "forward") else model.forward
    model.eval()
    for d in drops:
        d.train()
    try:
        total = None
        for _ in range(n_samples):
            outs = [forward(X[i:i + batch_size]) for i in range(0, len(X), batch_size)]
            if not outs:
                return np.zeros((0, getattr(model, "n_out", 0) or 0), dtype=X.dtype)
            proba = F._softmax(np.concatenate(outs))
            total = proba if total is None else total + proba
    finally:
        model.train(was_training)
    return total / n_samples
