"""Layers that wrap or normalize others: batch normalization and residual blocks (lesson 08).

They follow the conventions of :mod:`nnlib.layers` (checked ``forward`` / ``backward``, unchecked
``_forward`` / ``_backward``, gradients accumulated with ``+=``) and work inside ``Sequential``.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_real_array, check_dtype, check_int, check_positive, check_probability, describe
from .layers import _NNLIB_METHODS, Layer, Sequential, _is_nnlib


class BatchNorm(Layer):
    r"""Batch normalization of each feature over the batch (Ioffe & Szegedy 2015, Algorithms 1–2).

    Training: with the batch mean :math:`\mu_B` and the (biased) batch variance :math:`\sigma_B^2` of
    each column of ``X`` (N, H),

    .. math:: \hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \qquad y = \gamma \hat x + \beta,

    and the running statistics move toward the batch's:
    ``running_mean = (1 - momentum) * running_mean + momentum * mu_B`` (the same for the variance,
    with the unbiased batch variance :math:`\frac{N}{N-1}\sigma_B^2`, as PyTorch does).
    Evaluation: the running statistics replace the batch's, so the output of an example no longer
    depends on the rest of its batch.

    Parameters
    ----------
    n_features : int, the width H of the input.
    momentum : float in (0, 1], default 0.1 (PyTorch's convention: the weight of the new batch).
    eps : float > 0, default 1e-5, added to the variance inside the square root.
    dtype : float64 (default) or float32.

    Notes
    -----
    Backward in training mode, for :math:`\delta = \partial L/\partial y` and :math:`g = \gamma\delta`:
    :math:`\partial L/\partial x = \frac{1}{N\sqrt{\sigma_B^2+\epsilon}}\big(N g - \sum_n g_n
    - \hat x \sum_n g_n \hat x_n\big)`, :math:`\partial L/\partial\gamma = \sum_n \delta_n \hat x_n`,
    :math:`\partial L/\partial\beta = \sum_n \delta_n`. The parameters are named ``gamma`` and ``beta``
    (not ``W``), so L2 and weight decay leave them alone.
    """

    def __init__(self, n_features, momentum=0.1, eps=1e-5, dtype=np.float64):
        super().__init__()
        self.n_features = check_int(n_features, "n_features", "BatchNorm")
        self.momentum = check_probability(
            momentum, "momentum", "BatchNorm", low_closed=False, high_closed=True
        )
        self.eps = check_positive(eps, "eps", "BatchNorm", example=1e-5)
        self.dtype = check_dtype(dtype, "dtype", "BatchNorm", kinds=None, want="float32 or float64")
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(
                f"BatchNorm expected dtype float32 or float64, got {self.dtype}; "
                f"use dtype=np.float64 (default) or np.float32."
            )
        self.params = {
            "gamma": np.ones(self.n_features, dtype=self.dtype),
            "beta": np.zeros(self.n_features, dtype=self.dtype),
        }
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.running_mean = np.zeros(self.n_features, dtype=self.dtype)
        self.running_var = np.ones(self.n_features, dtype=self.dtype)

    @property
    def n_in(self):
        return self.n_features

    @property
    def n_out(self):
        return self.n_features

    def _check_input(self, X):
        X = as_real_array(X, "X", "BatchNorm.forward")
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(
                f"BatchNorm.forward expected X of shape (N, {self.n_features}) (n_features "
                f"columns), got shape {X.shape}; pass the output of a layer with "
                f"{self.n_features} units."
            )
        return X

    def forward(self, X):
        """Normalize ``X`` (N, n_features) with the batch's statistics (training, N >= 2) or the
        running ones (evaluation), then scale by gamma and shift by beta."""
        return self._forward(self._check_input(X))

    def _forward(self, X):
        if X.dtype != self.dtype:
            X = X.astype(self.dtype)
        if self.training:
            N = X.shape[0]
            if N < 2:
                raise ValueError(
                    f"BatchNorm.forward in training mode expected a batch of at least 2 "
                    f"examples, got X of shape {X.shape}: one example has no variance; use "
                    f"batches of 2 or more, or model.eval() to predict one example."
                )
            # mean and variance as X.mean and X.var compute them (the same sums, the same bits),
            # with X - mu computed once: var's own pass would subtract the mean again
            mu = np.add.reduce(X, axis=0) / N
            d = X - mu
            var = np.add.reduce(d * d, axis=0) / N
            m = self.momentum
            self.running_mean *= 1 - m
            self.running_mean += m * mu
            self.running_var *= 1 - m
            self.running_var += m * var * (N / (N - 1))
        else:
            mu, var = self.running_mean, self.running_var
            d = X - mu
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xhat = d * inv_std
        self._cache = (xhat, inv_std, self.training)
        return xhat * self.params["gamma"] + self.params["beta"]

    def backward(self, dout, input_grad=True):
        """Add dL/dgamma and dL/dbeta into ``grads``; return dL/dX (N, n_features), through the batch
        statistics in training mode, or ``None`` if ``input_grad=False``."""
        self._need_cache()
        return self._backward(self._as_dout(dout), input_grad)

    def _backward(self, dout, input_grad=True):
        xhat, inv_std, training = self._need_cache()
        if dout.shape != xhat.shape:
            self._check_dout(dout, xhat.shape)
        add = np.add.reduce                          # what .sum does, without its Python wrapper
        self.grads["gamma"] += add(dout * xhat, axis=0)
        self.grads["beta"] += add(dout, axis=0)
        if not input_grad:
            return None
        g = dout * self.params["gamma"]
        if not training:
            return g * inv_std
        N = g.shape[0]
        return inv_std / N * (N * g - add(g, axis=0) - xhat * add(g * xhat, axis=0))

    def __repr__(self):
        return f"BatchNorm({self.n_features}, momentum={self.momentum}, eps={self.eps})"


class Residual(Layer):
    r"""A residual block: :math:`y = x + F(x)`, with :math:`F` a layer or a ``Sequential`` whose output
    has the width of its input (He et al. 2016).

    Backward: :math:`\partial L/\partial x = \delta + \big(\partial F/\partial x\big)^\top \delta`,
    the identity path plus the block's own. The block's parameters are this layer's parameters
    (the same arrays), named as inside the block: ``"0.W"``, ``"0.b"``, ... for a Sequential,
    ``"W"``, ``"b"`` for one Dense layer.

    >>> block = nn.Sequential([nn.Dense(8, 8, rng=rng), nn.ReLU(), nn.Dense(8, 8, rng=rng)])
    >>> layer = nn.Residual(block)                                   # doctest: +SKIP
    """

    def __init__(self, block):
        super().__init__()
        if isinstance(block, type) or not isinstance(block, Layer):
            raise TypeError(
                f"Residual expected block to be an nnlib layer or Sequential instance, got "
                f"{describe(block)}; e.g. nn.Residual(nn.Sequential([nn.Dense(8, 8, rng=rng), "
                f"nn.ReLU()]))."
            )
        n_in, n_out = getattr(block, "n_in", None), getattr(block, "n_out", None)
        if n_in is not None and n_out is not None and n_in != n_out:
            raise ValueError(
                f"Residual expected a block whose output has the width of its input, got "
                f"{n_in} inputs and {n_out} outputs; x + F(x) needs the same shape: make the "
                f"block's last layer output {n_in} units."
            )
        self.block = block
        if isinstance(block, Sequential):
            named = [(name, p, g) for name, p, g in block.named_parameters()]
        else:
            named = [(k, block.params[k], block.grads[k]) for k in block.params]
        self.params = {name: p for name, p, _ in named}
        self.grads = {name: g for name, _, g in named}
        self._block_forward = block._forward if _is_nnlib(block, "forward") else block.forward
        self._block_backward = block._backward if _is_nnlib(block, "backward") else block.backward

    @property
    def n_in(self):
        return getattr(self.block, "n_in", None)

    @property
    def n_out(self):
        return getattr(self.block, "n_out", None)

    @property
    def dtype(self):
        return getattr(self.block, "dtype", np.dtype(np.float64))

    def _check_input(self, X):
        return self.block._check_input(X)

    def forward(self, X):
        """Return ``X + block(X)`` (N, H)."""
        return self._forward(self._check_input(X))

    def _forward(self, X):
        out = self._block_forward(X)
        if out.shape != X.shape:
            raise ValueError(
                f"Residual: the block returned shape {out.shape} for an input of shape {X.shape}; "
                f"x + F(x) needs F(x) of the shape of x."
            )
        self._cache = X.shape
        return X + out

    def backward(self, dout, input_grad=True):
        """Add the block's parameter gradients; return ``dout + dF/dx^T dout``, or ``None`` if
        ``input_grad=False``."""
        self._need_cache()
        return self._backward(self._as_dout(dout), input_grad)

    def _backward(self, dout, input_grad=True):
        shape = self._need_cache()
        if dout.shape != shape:
            self._check_dout(dout, shape)
        through = self._block_backward(dout, input_grad=input_grad)
        return dout + through if input_grad else None

    def train(self, mode=True):
        """Switch the block to training (``mode=True``) or evaluation mode; returns self."""
        self.block.train(mode)
        return super().train(mode)

    def __repr__(self):
        inner = repr(self.block).replace("\n", "\n  ")
        return f"Residual({inner})"


def _walk(layer):
    """``layer`` and every layer inside it (Sequential's layers, a Residual's block), depth first."""
    yield layer
    inner = getattr(layer, "layers", None) or ([layer.block] if isinstance(layer, Residual) else [])
    for sub in inner:
        yield from _walk(sub)


_NNLIB_METHODS["forward"].update({BatchNorm.forward, Residual.forward})
_NNLIB_METHODS["backward"].update({BatchNorm.backward, Residual.backward})
