"""Activation functions, their derivatives, softmax and information measures.

These are plain functions on arrays; the layer classes in :mod:`nnlib.layers` wrap
them. All of them keep the input's floating dtype (float32 stays float32) and are
free of overflow warnings for inputs of any magnitude.

Each public function checks its input (see ``nnlib/_validate.py``): lists and integer arrays
are converted to float64; None, strings, complex numbers and NaN are rejected; +-inf is
accepted where the function has a limit there. The layers call the unchecked ``_`` versions.
"""
from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_real_array, as_labels, check_dtype, check_int, check_positive, describe


def _as_float(x, name="x", where="", inf=True):
    x = as_real_array(x, name, where, inf=inf)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def _float(x):
    """``x`` itself if it is a float array, else a float64 copy (for the layers' unchecked path)."""
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _check_alpha(alpha, where):
    check_positive(alpha, "alpha", where, allow_zero=True)
    return alpha


def _check_axis(x, axis, where):
    """``axis`` must be None or name an axis of ``x`` (a 0-d array has axes 0 and -1, as in NumPy)."""
    if axis is None:
        return axis
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{where} expected axis to be an int, got {describe(axis)}; e.g. axis=-1 (the last).")
    n = max(x.ndim, 1)
    if not -n <= axis < n:
        raise ValueError(f"{where} expected axis in {-n}..{n - 1} for an array of shape {x.shape}, got "
                         f"axis={axis}; the classes usually lie along axis=-1.")
    return axis


def _n_along(x, axis):
    return x.size if axis is None else x.shape[axis] if x.ndim else 1


def _sigmoid(x):
    e = np.exp(-np.abs(x))                           # <= 1: no overflow on either side
    d = 1.0 + e
    return np.where(x >= 0, 1.0 / d, e / d).astype(x.dtype, copy=False)


def _leaky_relu(x, alpha):
    return np.where(x > 0, x, alpha * x).astype(x.dtype, copy=False)


def _leaky_relu_grad(x, alpha):
    return np.where(x > 0, 1.0, alpha).astype(x.dtype)


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(z, axis=-1):
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _shifted(z, axis, where):
    """``z - max(z)`` along ``axis``; the maximum must be finite (no NaN, no +inf, not all -inf)."""
    if _n_along(z, _check_axis(z, axis, where)) == 0:
        raise ValueError(f"{where} expected z with at least one class along axis={axis}, got shape "
                         f"{z.shape}; check the last layer's n_out.")
    if z.size == 0:                                  # no rows: nothing to normalize
        return z
    m = z.max(axis=axis, keepdims=True)
    if not np.isfinite(m).all():
        raise ValueError(f"{where} expected each slice of z along axis={axis} to have a finite maximum, "
                         f"got {m[~np.isfinite(m)].flat[0]} (NaN or +inf in z); remove the NaN and +inf "
                         f"entries (-inf is fine: it means probability 0).")
    return z - m


def sigmoid(x):
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, without overflow.

    Uses :math:`e^{-|x|}`, which never exceeds 1: for :math:`x \ge 0` it returns
    :math:`1/(1+e^{-x})`, otherwise :math:`e^{x}/(1+e^{x})`.

    >>> float(sigmoid(0.0))
    0.5
    """
    return _sigmoid(_as_float(x, "x", "sigmoid"))


def sigmoid_grad(x):
    r"""Derivative :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`; at most 1/4 (at x = 0)."""
    s = _sigmoid(_as_float(x, "x", "sigmoid_grad"))
    return s * (1 - s)


def tanh(x):
    r"""Hyperbolic tangent :math:`\tanh(x) = 2\sigma(2x) - 1`, zero-centred, range (-1, 1)."""
    return np.tanh(_as_float(x, "x", "tanh"))


def tanh_grad(x):
    r"""Derivative :math:`\tanh'(x) = 1 - \tanh^2(x)`; at most 1 (at x = 0)."""
    t = np.tanh(_as_float(x, "x", "tanh_grad"))
    return 1 - t * t


def relu(x):
    r"""Rectified linear unit :math:`\max(0, x)`."""
    x = _as_float(x, "x", "relu")
    return np.maximum(x, 0)


def relu_grad(x):
    r"""Derivative of ReLU: 1 where :math:`x > 0`, else 0 (we take 0 at x = 0, as PyTorch does)."""
    x = _as_float(x, "x", "relu_grad")
    return (x > 0).astype(x.dtype)


def leaky_relu(x, alpha=0.01):
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise (:math:`\alpha \ge 0`)."""
    return _leaky_relu(_as_float(x, "x", "leaky_relu"), _check_alpha(alpha, "leaky_relu"))


def leaky_relu_grad(x, alpha=0.01):
    r"""Derivative of leaky ReLU: 1 for :math:`x > 0`, :math:`\alpha` otherwise."""
    return _leaky_relu_grad(_as_float(x, "x", "leaky_relu_grad"), _check_alpha(alpha, "leaky_relu_grad"))


def softmax(z, axis=-1):
    r"""Softmax along ``axis``: :math:`\mathrm{softmax}(z)_k = e^{z_k - m} / \sum_j e^{z_j - m}`.

    Subtracting :math:`m = \max_j z_j` changes nothing mathematically (it cancels) but
    keeps every exponent :math:`\le 0`, so nothing overflows even for logits of 1e4.

    Parameters
    ----------
    z : array (N, C) of logits (any shape; the classes lie along ``axis``).
        ``-inf`` entries get probability 0; NaN and ``+inf`` are rejected.

    Returns
    -------
    probs : array of the same shape; each slice along ``axis`` sums to 1.
    """
    e = np.exp(_shifted(_as_float(z, "z", "softmax"), axis, "softmax"))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    r"""Log of the softmax, :math:`z_k - m - \log \sum_j e^{z_j - m}` (log-sum-exp trick).

    Exact where ``np.log(softmax(z))`` would give ``-inf`` (probabilities that round to 0,
    below the smallest positive float64, about 5e-324).
    """
    shifted = _shifted(_as_float(z, "z", "log_softmax"), axis, "log_softmax")
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _log(q, base):
    with np.errstate(divide="ignore"):
        out = np.log(q)
    return out if base is None else out / np.log(base)


def _probabilities(p, name, where, axis):
    """``p`` as a float array of probabilities in [0, 1] with at least one outcome along ``axis``."""
    p = _as_float(p, name, where, inf=False)
    if _n_along(p, _check_axis(p, axis, where)) == 0:
        raise ValueError(f"{where} expected {name} with at least one outcome along axis={axis}, got "
                         f"shape {p.shape}; pass a probability distribution such as [0.5, 0.5].")
    if p.size and (p.min() < 0 or p.max() > 1):
        bad = p[(p < 0) | (p > 1)].flat[0]
        raise ValueError(f"{where} expected {name} to hold probabilities in [0, 1], got {bad}; "
                         f"pass probabilities (e.g. nn.softmax(logits)), not logits or counts.")
    return p


def _check_base(base, where):
    if base is not None and (check_positive(base, "base", where) == 1):
        raise ValueError(f"{where} expected base > 0 and base != 1 (log base 1 is undefined), got {base}; "
                         f"use base=2 for bits or base=None for nats.")
    return base


def entropy(p, axis=-1, base=None):
    r"""Entropy :math:`H(p) = -\sum_k p_k \log p_k` along ``axis`` (with :math:`0 \log 0 = 0`).

    ``p`` holds probabilities in [0, 1]. ``base=None`` gives nats (natural log); ``base=2`` gives bits.
    """
    p = _probabilities(p, "p", "entropy", axis)
    base = _check_base(base, "entropy")
    terms = np.where(p > 0, p * _log(np.where(p > 0, p, 1), base), 0.0)
    return 0.0 - terms.sum(axis=axis)  # 0.0 - x, not -x: a certain outcome gives 0.0, not -0.0


def cross_entropy(p, q, axis=-1, base=None):
    r"""Cross-entropy :math:`H(p, q) = -\sum_k p_k \log q_k` of ``q`` relative to ``p``.

    ``p`` is the true distribution (e.g. one-hot labels), ``q`` the predicted one.
    Terms with :math:`p_k = 0` contribute 0; :math:`q_k = 0` where :math:`p_k > 0` gives
    ``inf`` (no warning): the model said "impossible" to something that happened.
    :math:`H(p, q) = H(p) + D_{KL}(p \| q) \ge H(p)`.
    """
    p, q = _probabilities(p, "p", "cross_entropy", axis), _probabilities(q, "q", "cross_entropy", axis)
    if p.shape != q.shape:
        raise ValueError(f"cross_entropy expected p and q of the same shape, got {p.shape} and "
                         f"{q.shape}; p holds the true distribution (one-hot for labels), q the "
                         f"predicted probabilities.")
    base = _check_base(base, "cross_entropy")
    terms = np.where(p > 0, p * _log(np.where(p > 0, q, 1), base), 0.0)
    return 0.0 - terms.sum(axis=axis)


def one_hot(y, n_classes, dtype=np.float64):
    """One-hot matrix ``Y`` of shape (N, C) with ``Y[i, y[i]] = 1``."""
    n_classes = check_int(n_classes, "n_classes", "one_hot")
    dtype = check_dtype(dtype, "dtype", "one_hot", kinds="biuf", want="a real dtype")
    y = as_labels(y, n_classes, "y", "one_hot", source="n_classes={C}")
    Y = np.zeros((len(y), n_classes), dtype=dtype)
    Y[np.arange(len(y)), y] = 1
    return Y
