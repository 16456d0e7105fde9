"""Activation functions, their derivatives, softmax and information measures.

These are plain functions on arrays; the layer classes in :mod:`nnlib.layers` wrap
them. All of them keep the input's floating dtype (float32 stays float32) and are
free of overflow warnings for inputs of any magnitude.
"""
from __future__ import annotations

import numpy as np


def _as_float(x):
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def sigmoid(x):
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, without overflow.

    Uses :math:`e^{-|x|}`, which never exceeds 1: for :math:`x \ge 0` it returns
    :math:`1/(1+e^{-x})`, otherwise :math:`e^{x}/(1+e^{x})`.

    >>> float(sigmoid(0.0))
    0.5
    """
    x = _as_float(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def sigmoid_grad(x):
    r"""Derivative :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`; at most 1/4 (at x = 0)."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    r"""Hyperbolic tangent :math:`\tanh(x) = 2\sigma(2x) - 1`, zero-centred, range (-1, 1)."""
    return np.tanh(_as_float(x))


def tanh_grad(x):
    r"""Derivative :math:`\tanh'(x) = 1 - \tanh^2(x)`; at most 1 (at x = 0)."""
    t = np.tanh(_as_float(x))
    return 1 - t * t


def relu(x):
    r"""Rectified linear unit :math:`\max(0, x)`."""
    x = _as_float(x)
    return np.maximum(x, 0)


def relu_grad(x):
    r"""Derivative of ReLU: 1 where :math:`x > 0`, else 0 (we take 0 at x = 0, as PyTorch does)."""
    x = _as_float(x)
    return (x > 0).astype(x.dtype)


def leaky_relu(x, alpha=0.01):
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise."""
    x = _as_float(x)
    return np.where(x > 0, x, alpha * x).astype(x.dtype, copy=False)


def leaky_relu_grad(x, alpha=0.01):
    r"""Derivative of leaky ReLU: 1 for :math:`x > 0`, :math:`\alpha` otherwise."""
    x = _as_float(x)
    return np.where(x > 0, 1.0, alpha).astype(x.dtype)


def softmax(z, axis=-1):
    r"""Softmax along ``axis``: :math:`\mathrm{softmax}(z)_k = e^{z_k - m} / \sum_j e^{z_j - m}`.

    Subtracting :math:`m = \max_j z_j` changes nothing mathematically (it cancels) but
    keeps every exponent :math:`\le 0`, so nothing overflows even for logits of 1e4.

    Parameters
    ----------
    z : array (N, C) of logits (any shape; the classes lie along ``axis``).

    Returns
    -------
    probs : array of the same shape; each slice along ``axis`` sums to 1.
    """
    z = _as_float(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    r"""Log of the softmax, :math:`z_k - m - \log \sum_j e^{z_j - m}` (log-sum-exp trick).

    Exact where ``np.log(softmax(z))`` would give ``-inf`` (probabilities that round to 0,
    below the smallest positive float64, about 5e-324).
    """
    z = _as_float(z)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _log(q, base):
    with np.errstate(divide="ignore"):
        out = np.log(q)
    return out if base is None else out / np.log(base)


def entropy(p, axis=-1, base=None):
    r"""Entropy :math:`H(p) = -\sum_k p_k \log p_k` along ``axis`` (with :math:`0 \log 0 = 0`).

    ``base=None`` gives nats (natural log); ``base=2`` gives bits.
    """
    p = _as_float(p)
    terms = np.where(p > 0, p * _log(np.where(p > 0, p, 1), base), 0.0)
    return 0.0 - terms.sum(axis=axis)  # 0.0 - x, not -x: a certain outcome gives 0.0, not -0.0


def cross_entropy(p, q, axis=-1, base=None):
    r"""Cross-entropy :math:`H(p, q) = -\sum_k p_k \log q_k` of ``q`` relative to ``p``.

    ``p`` is the true distribution (e.g. one-hot labels), ``q`` the predicted one.
    Terms with :math:`p_k = 0` contribute 0; :math:`q_k = 0` where :math:`p_k > 0` gives
    ``inf`` (no warning): the model said "impossible" to something that happened.
    :math:`H(p, q) = H(p) + D_{KL}(p \| q) \ge H(p)`.
    """
    p, q = _as_float(p), _as_float(q)
    if p.shape != q.shape:
        raise ValueError(f"cross_entropy expected p and q of the same shape, got {p.shape} and "
                         f"{q.shape}; p holds the true distribution (one-hot for labels), q the "
                         f"predicted probabilities.")
    terms = np.where(p > 0, p * _log(np.where(p > 0, q, 1), base), 0.0)
    return 0.0 - terms.sum(axis=axis)


def one_hot(y, n_classes, dtype=np.float64):
    """One-hot matrix ``Y`` of shape (N, C) with ``Y[i, y[i]] = 1``."""
    from ._validate import as_labels
    y = as_labels(y, n_classes, "y", "one_hot")
    Y = np.zeros((len(y), n_classes), dtype=dtype)
    Y[np.arange(len(y)), y] = 1
    return Y
