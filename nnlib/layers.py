"""Layers with hand-written backward passes, and the ``Sequential`` container.

A layer's ``forward(X)`` keeps what its backward pass needs; ``backward(dout, input_grad=True)``
takes the gradient of the loss with respect to the layer's output and returns the
gradient with respect to its input (or ``None`` when ``input_grad=False``: a network's
first layer does not need it), adding parameter gradients into ``grads`` (same keys and
shapes as ``params``). Gradients accumulate with ``+=``; the caller clears them with
``zero_grad()`` before each step, as in PyTorch. ``mlp(sizes)`` builds the usual stack.

Checks happen once, where data comes in: the public ``forward`` / ``backward`` of a layer or
of the outer model (``model(X)``) validate their argument, then call the unchecked
``_forward`` / ``_backward``. Inside a ``Sequential`` (and in ``fit``'s loop) each nnlib layer
hands its output straight to the next one's ``_forward``; a layer of your own is called
through its ``forward``, and the nnlib layer after it checks what it returns.
"""
from __future__ import annotations

from collections.abc import Mapping
from inspect import signature as _signature

import numpy as np

from . import functional as F
from . import init as initializers
from ._validate import (as_2d_float, as_real_array, check_bool, check_dtype, check_function, check_int,
                        check_positive, check_probability, check_rng, describe)


class Layer:
    """Base class: no parameters, train mode on, ``__call__`` is ``forward``."""

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training = True
        self._cache = None

    def __call__(self, X):
        return self.forward(X)

    def _check_input(self, X):
        """What ``forward`` checks: a real array without NaN or inf (Dense: also its shape)."""
        return as_real_array(X, "X", f"{type(self).__name__}.forward")

    def _as_dout(self, dout):
        """What ``backward`` checks: a real array (NaN is allowed: a diverging run has NaN gradients)."""
        if type(dout) is not np.ndarray or dout.dtype.kind != "f":
            dout = as_real_array(dout, "dout", f"{type(self).__name__}.backward", nan=True, inf=True)
        return dout

    def forward(self, X):  # pragma: no cover - abstract
        """Compute the layer's output for a batch ``X`` (N, D) and keep what backward needs."""
        raise NotImplementedError

    def backward(self, dout, input_grad=True):  # pragma: no cover - abstract
        """Add parameter gradients into ``grads``; return dL/dX, or ``None`` if ``input_grad=False``."""
        raise NotImplementedError

    def train(self, mode=True):
        """Switch to training mode (``mode=True``: dropout active) or evaluation mode; returns self."""
        self.training = bool(mode)
        return self

    def eval(self):
        """Switch to evaluation mode (dropout is the identity); same as ``train(False)``."""
        return self.train(False)

    def zero_grad(self):
        """Set every parameter gradient to zero (in place)."""
        for g in self.grads.values():
            g.fill(0)

    def _need_cache(self):
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward was called before forward; call "
                               f"forward(X) (or model(X)) first, then backward(dout) once per forward.")
        return self._cache

    def _check_dout(self, dout, shape):
        if dout.shape != shape:
            raise ValueError(f"{type(self).__name__}.backward expected dout of shape {shape} (the shape "
                             f"of its last output), got {dout.shape}; pass the gradient of the loss "
                             f"with respect to this layer's output.")

    def __repr__(self):
        return f"{type(self).__name__}()"


class Dense(Layer):
    r"""Fully connected layer: :math:`Z = XW + b`.

    Parameters
    ----------
    n_in, n_out : int
        Number of input features D and of output units H.
    init : callable, optional
        ``init(n_in, n_out, rng, dtype=...) -> W`` of shape (n_in, n_out); default
        ``nn.init.glorot_uniform``. Biases start at 0.
    rng : numpy.random.Generator
        The generator ``init`` draws from (``nn.make_rng(seed)``).
    dtype : numpy dtype, optional
        float64 (default) or float32; kept for W, b, outputs and gradients.

    Notes
    -----
    Backward, for the upstream gradient :math:`\delta = \partial L / \partial Z` (N, H):
    :math:`\partial L/\partial W = X^\top \delta`, :math:`\partial L/\partial b = \sum_n \delta_n`,
    :math:`\partial L/\partial X = \delta W^\top`.
    """

    def __init__(self, n_in, n_out, init=None, rng=None, dtype=np.float64):
        super().__init__()
        self.n_in = check_int(n_in, "n_in", "Dense")
        self.n_out = check_int(n_out, "n_out", "Dense")
        self.dtype = check_dtype(dtype, "dtype", "Dense", kinds=None, want="float32 or float64")
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"Dense expected dtype float32 or float64, got {self.dtype}; "
                            f"use dtype=np.float64 (default) or np.float32.")
        init = initializers.glorot_uniform if init is None else init
        if not callable(init) or isinstance(init, type):
            raise TypeError(f"Dense expected init to be a function (n_in, n_out, rng) -> W such as "
                            f"nn.init.he_normal, got {type(init).__name__}.")
        rng = check_rng(rng, "Dense")
        check_function(init, "init", "Dense", (self.n_in, self.n_out, rng), {"dtype": self.dtype},
                       " (n_in, n_out, rng, dtype=...) -> W such as nn.init.he_normal")
        W = as_real_array(init(self.n_in, self.n_out, rng, dtype=self.dtype), "the W that init returned",
                          "Dense", nan=True, inf=True)
        if W.shape != (self.n_in, self.n_out) or not np.isfinite(W).all():
            raise ValueError(f"Dense: init returned W of shape {W.shape} with "
                             f"{int(W.size - np.isfinite(W).sum())} NaN or infinite value(s), expected "
                             f"finite values of shape ({self.n_in}, {self.n_out}) (one row per input, one "
                             f"column per unit); make init return such an array (n_in, n_out).")
        self.params = {"W": W.astype(self.dtype, copy=False), "b": np.zeros(self.n_out, dtype=self.dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def forward(self, X):
        """Return :math:`Z = XW + b`.

        Parameters
        ----------
        X : array (N, n_in)
            A batch of inputs (converted to the layer's dtype).

        Returns
        -------
        Z : array (N, n_out)

        Raises
        ------
        TypeError, ValueError
            X is not a real 2-D array of width n_in, or holds NaN or inf.
        """
        return self._forward(self._check_input(X))

    def _check_input(self, X):
        # count_nonzero: the quickest complete NaN/inf test for small batches (half of .all()'s time)
        if not (isinstance(X, np.ndarray) and X.dtype == self.dtype and X.ndim == 2
                and np.count_nonzero(np.isfinite(X)) == X.size):
            X = as_2d_float(X, "X", f"Dense(n_in={self.n_in})", dtype=self.dtype)
        return X

    def _forward(self, X):
        if X.dtype != self.dtype:                    # from a layer of another dtype (or an int input)
            X = X.astype(self.dtype)
        if X.ndim != 2:
            as_2d_float(X, "X", f"Dense(n_in={self.n_in})")  # raises the message for a wrong ndim
        if X.shape[1] != self.n_in:
            raise ValueError(f"Dense(n_in={self.n_in}) expected X of shape (N, {self.n_in}), got "
                             f"{X.shape}; check n_in or the previous layer's n_out.")
        self._cache = X
        out = X @ self.params["W"]
        out += self.params["b"]                      # in place: one array fewer than XW + b
        return out

    def backward(self, dout, input_grad=True):
        r"""Add dL/dW and dL/db into ``grads``; return dL/dX.

        Parameters
        ----------
        dout : array (N, n_out)
            :math:`\partial L / \partial Z`, the gradient of the loss with respect to this layer's output.
        input_grad : bool
            If False, skip dL/dX and return ``None``: a network's first layer has no use for it
            (the data is not trained), and for a wide input it is the most expensive product of
            the backward pass, so training skips it.

        Returns
        -------
        dX : array (N, n_in), :math:`\delta W^\top`, or ``None``.
        """
        self._need_cache()
        return self._backward(self._as_dout(dout), input_grad)

    def _backward(self, dout, input_grad=True):
        X = self._cache
        if X is None:
            self._need_cache()                       # raises: backward before forward
        if dout.shape != (X.shape[0], self.n_out):
            self._check_dout(dout, (X.shape[0], self.n_out))
        grads = self.grads
        grads["W"] += X.T @ dout
        grads["b"] += dout.sum(axis=0)
        return dout @ self.params["W"].T if input_grad else None

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, dtype={self.dtype.name})"


class _Activation(Layer):
    """Element-wise activation :math:`a = f(z)`: caches z and a, which the derivative needs."""

    def forward(self, X):
        """Return :math:`f(X)`, same shape as ``X`` (N, H); ``X`` must be real and finite."""
        return self._forward(self._check_input(X))

    def _forward(self, X):
        out = self._f(X)
        self._cache = (X, out)
        return out

    def backward(self, dout, input_grad=True):
        r"""Return :math:`\partial L/\partial z = \delta \odot f'(z)` for ``dout`` :math:`\delta` (N, H)
        (``None`` if ``input_grad=False``; an activation has no parameters)."""
        self._need_cache()
        return self._backward(self._as_dout(dout), input_grad)

    def _backward(self, dout, input_grad=True):
        X, out = self._cache or self._need_cache()
        if dout.shape != out.shape:
            self._check_dout(dout, out.shape)
        return dout * self._df(X, out) if input_grad else None


class Sigmoid(_Activation):
    r""":math:`\sigma(x)`; backward uses :math:`\sigma' = \sigma(1-\sigma)` from the cached output."""
    def _f(self, X): return F._sigmoid(F._float(X))
    def _df(self, X, out): return out * (1 - out)


class Tanh(_Activation):
    r""":math:`\tanh(x)`; backward uses :math:`1 - \tanh^2` from the cached output."""
    def _f(self, X): return np.tanh(X)
    def _df(self, X, out): return 1 - out * out


class ReLU(_Activation):
    r""":math:`\max(0, x)`; gradient 1 where x > 0, else 0."""
    def _f(self, X): return np.maximum(X, 0)
    def _df(self, X, out): return (X > 0).astype(X.dtype)

    def _backward(self, dout, input_grad=True):
        """Return ``dout * (z > 0)`` (N, H): the gradient passes where the unit is on."""
        X, out = self._cache or self._need_cache()
        if dout.shape != out.shape:
            self._check_dout(dout, out.shape)
        return dout * (X > 0) if input_grad else None   # a boolean mask multiplies without a float copy


class LeakyReLU(_Activation):
    r""":math:`x` for x > 0, :math:`\alpha x` otherwise (default :math:`\alpha = 0.01`)."""

    def __init__(self, alpha=0.01):
        super().__init__()
        check_positive(alpha, "alpha", "LeakyReLU", allow_zero=True)
        self.alpha = alpha

    def _f(self, X): return F._leaky_relu(F._float(X), self.alpha)
    def _df(self, X, out): return F._leaky_relu_grad(F._float(X), self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class Identity(_Activation):
    """No activation: output equals input (a linear unit)."""
    def _f(self, X): return X
    def _df(self, X, out): return 1


class Dropout(Layer):
    r"""Inverted dropout: drop each unit with probability ``p_drop`` during training.

    Training: :math:`y = x \odot m / (1 - p_\text{drop})` with
    :math:`m_i \sim \text{Bernoulli}(1 - p_\text{drop})`,
    so :math:`E[y] = x`. Evaluation: :math:`y = x` (nothing to rescale at test time).
    Srivastava et al. (2014) instead scale the weights by the keep probability at test
    time; the two agree in expectation. ``p_drop`` is the probability of *dropping* a
    unit (PyTorch's ``p``); the paper's :math:`p` is the probability of *keeping* it.

    Gradient checking needs the same thinned network in every forward pass: after
    ``freeze_mask()`` the layer reuses the mask of its last training forward pass (drawing one
    first if it has none of the right shape) until ``freeze_mask(False)``.
    """

    def __init__(self, p_drop=0.5, rng=None):
        super().__init__()
        self.p_drop = check_probability(p_drop, "p_drop", "Dropout")
        self.rng = check_rng(rng, "Dropout")
        self.frozen = False

    def freeze_mask(self, frozen=True):
        """Reuse the current mask in every training forward pass (``frozen=True``), e.g. while
        finite differences evaluate the loss many times; ``frozen=False`` draws a fresh mask per
        pass again. Returns the layer."""
        self.frozen = check_bool(frozen, "frozen", "Dropout.freeze_mask")
        return self

    def forward(self, X):
        """Training: zero each entry of ``X`` (N, H) with probability ``p_drop`` and scale the rest
        by 1 / (1 - p_drop); evaluation: return ``X`` unchanged. Integer input becomes float64."""
        return self._forward(self._check_input(X))

    def _forward(self, X):
        if X.dtype.kind != "f":
            X = X.astype(np.float64)
        self._shape = X.shape
        if not self.training or self.p_drop == 0:
            self._cache = 1
            return X
        if self.frozen and isinstance(m := self._cache, np.ndarray) and m.shape == X.shape:
            return X * m.astype(X.dtype, copy=False)  # the frozen mask (see freeze_mask)
        keep = 1.0 - self.p_drop
        mask = (self.rng.random(X.shape) < keep).astype(X.dtype)
        mask /= X.dtype.type(keep)
        self._cache = mask
        return X * mask

    def backward(self, dout, input_grad=True):
        """Return ``dout * mask / (1 - p_drop)`` (N, H), with the mask of the last forward pass."""
        self._need_cache()
        return self._backward(self._as_dout(dout), input_grad)

    def _backward(self, dout, input_grad=True):
        mask = self._need_cache()
        if dout.shape != self._shape:
            self._check_dout(dout, self._shape)
        return dout * mask if input_grad else None

    def __repr__(self):
        return f"Dropout(p_drop={self.p_drop}{', frozen mask' if self.frozen else ''})"


class Sequential(Layer):
    """A stack of layers applied in order; backward runs them in reverse.

    The list of layers is fixed when the model is built (to change it, build a new Sequential).
    """

    def __init__(self, layers):
        super().__init__()
        if layers is None or isinstance(layers, (Layer, type, str)) or not hasattr(layers, "__iter__"):
            raise TypeError(f"Sequential expected layers as a list of nnlib layers, e.g. "
                            f"nn.Sequential([nn.Dense(2, 8, rng=rng), nn.ReLU()]), got {describe(layers)}; "
                            f"put the layers in a list.")
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential expected at least one layer in layers, got an empty list; "
                             "pass e.g. [nn.Dense(2, 8, rng=rng), nn.ReLU(), nn.Dense(8, 2, rng=rng)].")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                hint = ("did you pass a class instead of an instance, e.g. nn.ReLU instead of nn.ReLU()?"
                        if isinstance(layer, type) else "put only layers such as nn.ReLU() in the list.")
                raise TypeError(f"Sequential expected a list of nnlib layers, got {describe(layer)} "
                                f"at position {i}; {hint}")
        dense = [layer for layer in layers if isinstance(layer, Dense)
                 or not isinstance(layer, _Activation) and getattr(layer, "n_in", None) is not None]
        for a, b in zip(dense, dense[1:]):
            if a.n_out != b.n_in:
                raise ValueError(f"Sequential: {a!r} is followed by {b!r}; the second layer expected "
                                 f"n_in={a.n_out} (the previous layer's n_out), got n_in={b.n_in}.")
        for i, layer in enumerate(layers):
            if "input_grad" not in _signature(type(layer).backward).parameters:
                raise TypeError(f"Sequential: {type(layer).__name__}.backward (position {i}) must accept "
                                f"input_grad, like every nnlib layer; define it as "
                                f"backward(self, dout, input_grad=True) and return None when it is False.")
        self.layers = layers
        self._pairs = [(layer.params[k], layer.grads[k]) for layer in layers for k in layer.params]
        self._names = [(f"{i}.{k}", layer, k) for i, layer in enumerate(layers) for k in layer.params]
        # The first layer with parameters: with input_grad=False, backward stops there.
        self._first_trainable = next((i for i, layer in enumerate(layers)
                                      if layer.params or isinstance(layer, Sequential)), None)
        # What each layer is called with: an nnlib layer whose input comes from an nnlib layer (or
        # from this model's checked input) skips its checks; a layer of your own, and the layer
        # after it, are called through their checked forward/backward.
        own = [_is_nnlib(layer, "forward") for layer in layers]
        self._forwards = [layer._forward if own[i] and (i == 0 or _trusted_output(layers[i - 1]))
                          else layer.forward for i, layer in enumerate(layers)]
        back = [_is_nnlib(layer, "backward") for layer in layers] + [True]
        self._backwards = [layer._backward if back[i] and back[i + 1] else layer.backward
                           for i, layer in enumerate(layers)]
        self._tail = self._backwards[:self._first_trainable:-1] if self._first_trainable is not None else []
        self._check = layers[0]._check_input if own[0] else None   # a layer of your own checks itself

    def forward(self, X):
        """Apply every layer in order to ``X`` (N, D); return the last layer's output (N, C).

        ``X`` is checked once, against the first layer (for a Dense layer: a finite real array of
        shape (N, n_in)); the layers then pass their outputs on unchecked.
        """
        check = self._check
        if check is not None:
            X = check(X)
        for forward in self._forwards:
            X = forward(X)
        return X

    def _check_input(self, X):
        return X if self._check is None else self._check(X)

    def _forward(self, X):
        for forward in self._forwards:
            X = forward(X)
        return X

    def backward(self, dout, input_grad=True):
        """Backpropagate ``dout`` (N, C), the gradient of the loss with respect to the network's
        output, through every layer in reverse; return dL/dX (N, D).

        With ``input_grad=False`` (what ``fit`` uses) it stops at the first layer with
        parameters, which skips work no parameter gradient needs, and returns ``None``.
        ``dout`` must be a real array of the shape of the last output (NaN is allowed).
        """
        if type(dout) is not np.ndarray or dout.dtype.kind != "f":
            dout = self._as_dout(dout)
        return self._backward(dout, input_grad)

    def _backward(self, dout, input_grad=True):
        first, backwards = self._first_trainable, self._backwards
        if not input_grad and first is None:         # no parameters: nothing needs a gradient
            return None
        if input_grad:
            for backward in reversed(backwards):
                dout = backward(dout)
            return dout
        for backward in self._tail:                  # the layers after the first trainable one
            dout = backward(dout)
        return backwards[first](dout, input_grad=False)

    def train(self, mode=True):
        """Switch every layer to training (``mode=True``) or evaluation mode; returns self."""
        for layer in self.layers:
            layer.train(mode)
        return super().train(mode)

    def zero_grad(self):
        """Set every parameter gradient of every layer to zero (in place)."""
        for _, g in self._pairs:
            g.fill(0)

    def named_parameters(self):
        """Yield ``(name, param, grad)`` triples, names like ``"0.W"`` (layer index, key)."""
        for name, layer, k in self._names:           # names built once: an optimizer asks every step
            yield name, layer.params[k], layer.grads[k]

    def get_weights(self):
        """A copy of every parameter, keyed by name (for snapshots and early stopping)."""
        return {name: p.copy() for name, p, _ in self.named_parameters()}

    def set_weights(self, weights):
        """Copy ``weights`` (from ``get_weights``) back into the parameters, in place.

        ``weights`` must hold every parameter name of this model with an array of its shape
        (a snapshot of this model or of one with the same architecture); nothing is copied
        unless all of them fit. NaN values are copied like any other (a diverged snapshot).
        """
        where = "Sequential.set_weights"
        if not isinstance(weights, Mapping):
            raise TypeError(f"{where} expected weights as a dict {{name: array}} from model.get_weights(), "
                            f"got {describe(weights)}.")
        names = [name for name, _, _ in self._names]
        missing, extra = [n for n in names if n not in weights], [k for k in weights if k not in names]
        if missing or extra:
            raise ValueError(f"{where} expected weights with this model's names {names}, got "
                             f"{'missing ' + str(missing) if missing else ''}"
                             f"{' and ' if missing and extra else ''}"
                             f"{'unexpected ' + str(extra) if extra else ''}; the weights come from another "
                             f"architecture: pass a snapshot of this model (model.get_weights()).")
        new = []
        for name, p, _ in self.named_parameters():
            w = as_real_array(weights[name], f"weights[{name!r}]", where, nan=True, inf=True)
            if w.shape != p.shape:
                raise ValueError(f"{where} expected weights[{name!r}] of shape {p.shape}, got {w.shape}; "
                                 f"the weights come from a model with other layer sizes.")
            new.append((p, w))
        for p, w in new:
            p[...] = w

    @property
    def dtype(self):
        for layer in self.layers:
            if isinstance(layer, Dense):
                return layer.dtype
        return np.dtype(np.float64)

    @property
    def n_in(self):
        return next((n for layer in self.layers if (n := getattr(layer, "n_in", None)) is not None), None)

    @property
    def n_out(self):
        return next((n for x in reversed(self.layers) if (n := getattr(x, "n_out", None)) is not None), None)

    def num_parameters(self):
        """The number of trainable numbers (every entry of every W and b)."""
        return sum(p.size for _, p, _ in self.named_parameters())

    def summary(self):
        """A table of layers, output widths and parameter counts, as a string."""
        rows = [("#", "layer", "params")]
        for i, layer in enumerate(self.layers):
            rows.append((str(i), repr(layer), str(sum(p.size for p in layer.params.values()))))
        rows.append(("", "total", str(self.num_parameters())))
        w = [max(len(r[c]) for r in rows) for c in range(3)]
        lines = [f"{r[0]:>{w[0]}}  {r[1]:<{w[1]}}  {r[2]:>{w[2]}}" for r in rows]
        lines.insert(1, "-" * len(lines[0]))
        lines.insert(-1, "-" * len(lines[0]))
        return "\n".join(lines)

    def __repr__(self):
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential([\n{inner}\n])"

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]


# nnlib.blocks adds BatchNorm and Residual when it is imported (always, by ``import nnlib``).
_NNLIB_METHODS = {"forward": {Dense.forward, _Activation.forward, Dropout.forward, Sequential.forward},
                  "backward": {Dense.backward, _Activation.backward, Dropout.backward, Sequential.backward}}


def _is_nnlib(layer, method):
    """True if ``layer``'s ``forward`` (or ``backward``) is nnlib's own, so that its unchecked
    ``_forward`` (``_backward``) does the same work; False for a layer that overrides it."""
    return getattr(type(layer), method) in _NNLIB_METHODS[method]


def _trusted_output(layer):
    """True if ``layer`` returns a real NumPy array (an nnlib layer, or a model that ends in one)."""
    return _is_nnlib(layer, "forward") and (not isinstance(layer, Sequential)
                                             or _trusted_output(layer.layers[-1]))


def mlp(sizes, activation=None, init=None, rng=None, dtype=np.float64):
    """A multilayer perceptron: ``Dense`` layers of ``sizes`` with an activation between them.

    Parameters
    ----------
    sizes : sequence of int
        ``[D, H_1, ..., H_k, C]``: the input width, the hidden widths, the output width
        (at least two numbers). The last layer has no activation (it outputs logits).
    activation : layer class or callable returning a layer, default ``ReLU``
        Called once per hidden layer, e.g. ``nn.Tanh`` or ``lambda: nn.LeakyReLU(0.1)``.
    init : callable, optional
        The weight initializer of every Dense layer (default ``nn.init.glorot_uniform``).
    rng : numpy.random.Generator
        Drawn from by ``init``, layer by layer, in order.
    dtype : float64 (default) or float32.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> model = nn.mlp([2, 16, 16, 2], activation=nn.Tanh, rng=nn.make_rng(0))  # doctest: +SKIP
    """
    try:
        sizes = list(sizes)
    except TypeError:
        raise TypeError(f"mlp expected sizes as a list of layer widths such as [2, 16, 2], got "
                        f"{describe(sizes)}.") from None
    if len(sizes) < 2:
        raise ValueError(f"mlp expected at least two sizes (inputs and outputs), got {sizes}; "
                         f"e.g. nn.mlp([2, 16, 2]) for one hidden layer of 16 units.")
    sizes = [check_int(n, f"sizes[{i}]", "mlp") for i, n in enumerate(sizes)]
    activation = ReLU if activation is None else activation
    if not callable(activation):
        raise TypeError(f"mlp expected activation to be a layer class such as nn.Tanh, got "
                        f"{type(activation).__name__}; pass the class, not an instance or a name.")
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(Dense(n_in, n_out, init=init, rng=rng, dtype=dtype))
        if i < len(sizes) - 2:
            try:
                act = activation()
            except TypeError:
                act = None
            if not isinstance(act, Layer):
                raise TypeError(f"mlp expected activation to be an nnlib layer class (called with no "
                                f"arguments, it makes a layer), got {activation!r}; pass a class such as "
                                f"nn.ReLU or nn.Tanh, not a function such as nn.relu or np.tanh.")
            layers.append(act)
    return Sequential(layers)
