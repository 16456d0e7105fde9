"""Loss functions. Every loss is the *mean* over the batch; ``backward()`` returns its gradient."""
from __future__ import annotations

import numpy as np

from . import functional as F
from ._validate import as_labels


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


class SoftmaxCrossEntropy:
    r"""Softmax followed by categorical cross-entropy, averaged over the batch.

    .. math:: L = -\frac{1}{N} \sum_{n} \log \mathrm{softmax}(z_n)_{y_n}, \qquad
              \frac{\partial L}{\partial z_n} = \frac{1}{N}\,(\mathrm{softmax}(z_n) - \mathrm{onehot}(y_n))

    ``forward(logits, y)`` takes raw scores (N, C) and integer labels (N,) and uses
    log-sum-exp inside, so it is exact and warning-free even for logits of 1e4.
    """

    def __init__(self):
        self._cache = None

    def __call__(self, logits, y):
        return self.forward(logits, y)

    def forward(self, logits, y):
        logits = np.asarray(logits)
        if logits.ndim != 2:
            raise ValueError(f"SoftmaxCrossEntropy expected logits of shape (N, C), got shape "
                             f"{logits.shape}; pass the last layer's raw outputs (no softmax applied).")
        N, C = logits.shape
        # Fast path for what a training loop passes: N integer labels in 0..C-1, checked with one
        # max() (viewed as unsigned, a negative label is huge). Anything else goes to as_labels,
        # which converts what it can and raises the informative errors.
        if not (type(y) is np.ndarray and y.ndim == 1 and y.dtype.kind in "iu" and y.dtype.isnative
                and len(y) == N > 0
                and np.maximum.reduce(y.view(_UNSIGNED[y.itemsize])) < C):
            y = as_labels(y, C, "y", "SoftmaxCrossEntropy", n_samples=N)
        logp = F.log_softmax(logits)
        rows = np.arange(N)
        self._cache = (logp, y, rows)
        return float(-logp[rows, y].sum() / N)      # the mean; .sum() / N skips mean()'s overhead

    def backward(self):
        if self._cache is None:
            raise RuntimeError("SoftmaxCrossEntropy.backward was called before forward; "
                               "compute the loss first: loss = loss_fn(logits, y).")
        logp, y, rows = self._cache
        dlogits = np.exp(logp)
        dlogits[rows, y] -= 1
        dlogits /= len(y)
        return dlogits

    def __repr__(self):
        return "SoftmaxCrossEntropy()"


class MSELoss:
    r"""Mean squared error over all entries: :math:`L = \frac{1}{NK}\sum_{n,k} (\hat y_{nk} - y_{nk})^2`.

    Gradient :math:`\partial L / \partial \hat y = \frac{2}{NK} (\hat y - y)`. Same convention as
    PyTorch's ``MSELoss()`` (reduction="mean"); some texts use a factor 1/2 instead.
    """

    def __init__(self):
        self._cache = None

    def __call__(self, y_hat, y):
        return self.forward(y_hat, y)

    def forward(self, y_hat, y):
        y_hat = np.asarray(y_hat)
        y = np.asarray(y, dtype=y_hat.dtype)
        if y.shape != y_hat.shape:
            if y.ndim == 1 and y_hat.ndim == 2 and y_hat.shape == (len(y), 1):
                y = y.reshape(-1, 1)
            else:
                raise ValueError(f"MSELoss expected targets y of the same shape as the predictions "
                                 f"{y_hat.shape}, got {y.shape}; reshape y (e.g. y.reshape(-1, 1)) "
                                 f"or check the last layer's n_out.")
        diff = y_hat - y
        self._cache = diff
        return float(np.mean(diff * diff))

    def backward(self):
        if self._cache is None:
            raise RuntimeError("MSELoss.backward was called before forward; compute the loss first.")
        diff = self._cache
        return (2.0 / diff.size) * diff

    def __repr__(self):
        return "MSELoss()"
