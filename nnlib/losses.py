"""Loss functions. Every loss is the *mean* over the batch; ``backward()`` returns its gradient.

Targets are checked (labels in range, finite regression targets); predictions may be NaN or inf,
which gives a NaN or inf loss: that is how a diverging model shows, and how ``fit`` detects it.
"""
from __future__ import annotations

import math

import numpy as np

from . import functional as F
from ._validate import as_labels, as_real_array


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


class Loss:
    """Base class: ``loss_fn(prediction, target)`` calls ``forward``, which returns the mean loss
    (a float) and keeps what ``backward()`` needs; ``backward()`` returns the gradient of that
    mean with respect to the prediction."""

    def __init__(self):
        self._cache = None

    def __call__(self, prediction, target):
        return self.forward(prediction, target)

    def forward(self, prediction, target):  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _need_cache(self):
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward was called before forward; compute the "
                               f"loss first (loss = loss_fn(prediction, target)), then call backward().")
        return self._cache

    def __repr__(self):
        return f"{type(self).__name__}()"


class SoftmaxCrossEntropy(Loss):
    r"""Softmax followed by categorical cross-entropy, averaged over the batch.

    .. math:: L = -\frac{1}{N} \sum_{n} \log \mathrm{softmax}(z_n)_{y_n}, \qquad
              \frac{\partial L}{\partial z_n} = \frac{1}{N}\,(\mathrm{softmax}(z_n) - \mathrm{onehot}(y_n))

    ``forward(logits, y)`` takes raw scores (N, C) and integer labels (N,) and uses
    log-sum-exp inside, so it is exact and warning-free even for logits of 1e4.
    """

    def forward(self, logits, y):
        """Return the mean cross-entropy (a float).

        Parameters
        ----------
        logits : array (N, C)
            Raw scores, before any softmax.
        y : array (N,)
            Integer labels in 0..C-1.
        """
        if type(logits) is not np.ndarray or logits.dtype.kind != "f":
            logits = F._float(as_real_array(logits, "logits", "SoftmaxCrossEntropy", nan=True, inf=True))
        if logits.ndim != 2:
            raise ValueError(f"SoftmaxCrossEntropy expected logits of shape (N, C), got shape "
                             f"{logits.shape}; pass the last layer's raw outputs (no softmax applied).")
        N, C = logits.shape
        if not N or not C:
            raise ValueError(f"SoftmaxCrossEntropy expected logits of shape (N, C) with N >= 1 samples and "
                             f"C >= 1 classes, got {logits.shape}; a mean over no samples is undefined.")
        # Fast path for what a training loop passes: N integer labels in 0..C-1, checked with one
        # max() (viewed as unsigned, a negative label is huge). Anything else goes to as_labels,
        # which converts what it can and raises the informative errors.
        if not (type(y) is np.ndarray and y.ndim == 1 and y.dtype.kind in "iu" and y.dtype.isnative
                and len(y) == N > 0
                and np.maximum.reduce(y.view(_UNSIGNED[y.itemsize])) < C):
            y = as_labels(y, C, "y", "SoftmaxCrossEntropy", n_samples=N)
        logp = F._log_softmax(logits)
        rows = np.arange(N)
        self._cache = (logp, y, rows)
        return float(-logp[rows, y].sum() / N)      # the mean; .sum() / N skips mean()'s overhead

    def backward(self):
        r"""Return :math:`\partial L/\partial z = (\mathrm{softmax}(z) - \mathrm{onehot}(y)) / N`, (N, C)."""
        logp, y, rows = self._need_cache()
        dlogits = np.exp(logp)
        dlogits[rows, y] -= 1
        dlogits /= len(y)
        return dlogits


class MSELoss(Loss):
    r"""Mean squared error over all entries: :math:`L = \frac{1}{NK}\sum_{n,k} (\hat y_{nk} - y_{nk})^2`.

    Gradient :math:`\partial L / \partial \hat y = \frac{2}{NK} (\hat y - y)`. Same convention as
    PyTorch's ``MSELoss()`` (reduction="mean"); some texts use a factor 1/2 instead.
    """

    def forward(self, y_hat, y):
        """Return the mean squared error (a float).

        Parameters
        ----------
        y_hat : array (N, K)
            Predictions.
        y : array (N, K), or (N,) when K = 1
            Targets, finite.
        """
        if type(y_hat) is not np.ndarray or y_hat.dtype.kind != "f":
            y_hat = F._float(as_real_array(y_hat, "y_hat", "MSELoss", nan=True, inf=True))
        if not y_hat.size:
            raise ValueError(f"MSELoss expected y_hat with at least one entry, got shape {y_hat.shape}; "
                             f"a mean over no samples is undefined.")
        if type(y) is not np.ndarray or y.dtype != y_hat.dtype:
            y = as_real_array(y, "y", "MSELoss", nan=True, inf=True).astype(y_hat.dtype, copy=False)
        if y.shape != y_hat.shape:
            if y.ndim == 1 and y_hat.ndim == 2 and y_hat.shape == (len(y), 1):
                y = y.reshape(-1, 1)
            else:
                raise ValueError(f"MSELoss expected targets y of the same shape as the predictions "
                                 f"{y_hat.shape}, got {y.shape}; reshape y (e.g. y.reshape(-1, 1)) "
                                 f"or check the last layer's n_out.")
        diff = y_hat - y
        self._cache = diff
        loss = float(np.mean(diff * diff))
        if not math.isfinite(loss) and not np.isfinite(y).all():   # checked only when it matters
            raise ValueError(f"MSELoss found {int(y.size - np.isfinite(y).sum())} NaN or infinite value(s) "
                             f"in the targets y; regression targets must be finite (np.isfinite(y) shows "
                             f"where).")
        return loss

    def backward(self):
        r"""Return :math:`\partial L/\partial \hat y = 2(\hat y - y) / (NK)`, the shape of ``y_hat``."""
        diff = self._need_cache()
        return (2.0 / diff.size) * diff
