r"""Lesson 08 (unstable gradients): the numbers the lesson quotes and the runs its figures draw.

* Stacking layers on the shipped digits: accuracy and per-layer gradient norms against depth
  (:func:`digits_split`, :func:`deep_net`, :func:`depth_run`).
* The product of per-layer factors: gradient decay over many layers for each activation and
  initialization (:func:`gradient_profile`), the sigmoid's bound (:func:`sigmoid_window`).
* The cures on the same deep network: He initialization with ReLU, batch normalization, residual
  blocks (:func:`deep_net` options), measured by :func:`gradient_profile` and :func:`depth_run`.
* Exploding gradients: Pascanu et al.'s one-unit recurrent net, its cliff along w
  (:func:`rnn_loss_and_grad`) and gradient descent with and without norm clipping
  (:func:`rnn_descent`, :func:`clipping_success`).

Every network is nnlib's (``nn.Dense``, ``nn.BatchNorm``, ``nn.Residual``, ``nn.fit(clip_norm=)``,
``nn.gradient_norms``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

import nnlib as nn

LOSS = nn.SoftmaxCrossEntropy()
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}
INITS = {
    "N(0, 1)": lambda n_in, n_out, rng, dtype=np.float64: nn.init.normal(n_in, n_out, rng, dtype, std=1.0),
    "N(0, 0.01)": lambda n_in, n_out, rng, dtype=np.float64: nn.init.normal(
        n_in, n_out, rng, dtype, std=0.01
    ),
    "Glorot": nn.init.glorot_uniform,
    "He": nn.init.he_normal,
}


@dataclass(frozen=True)
class Split:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


@lru_cache(maxsize=1)
def digits_split(seed=0):
    """The shipped 8x8 digits (1797 images, pixels in [0, 1]), standardized, 1000 for training and
    797 for testing (seeded shuffle)."""
    X, y = nn.datasets.load_digits()
    idx = nn.make_rng(seed).permutation(len(X))
    X = X[idx]
    y = y[idx]
    X_train, X_test = nn.datasets.standardize(X[:1000], X[1000:])
    parts = (X_train, y[:1000], X_test, y[1000:])
    for a in parts:
        a.setflags(write=False)
    return Split(*parts)


def deep_net(
    depth,
    activation="sigmoid",
    init="Glorot",
    batchnorm=False,
    residual=False,
    width=32,
    n_in=64,
    n_out=10,
    seed=0,
):
    """``depth`` hidden layers of ``width`` units. A plain layer is Dense -> [BatchNorm] -> activation;
    with ``residual`` every hidden layer after the first is a residual block x + act([BN](x W + b)).
    The output layer is Dense (Glorot)."""
    rng = nn.make_rng(seed)
    act, w_init = ACTIVATIONS[activation], INITS[init]

    def unit(a, b):
        layers = [nn.Dense(a, b, init=w_init, rng=rng)]
        if batchnorm:
            layers.append(nn.BatchNorm(b))
        return layers + [act()]

    layers = unit(n_in, width)
    for _ in range(depth - 1):
        if residual:
            layers.append(nn.Residual(nn.Sequential(unit(width, width))))
        else:
            layers += unit(width, width)
    layers.append(nn.Dense(width, n_out, rng=rng))
    return nn.Sequential(layers)


def _hidden_positions(model):
    """Indices of the layers whose output is a hidden layer's output a_l: the activation layers at the
    top level, and every residual block."""
    kinds = (nn.Sigmoid, nn.Tanh, nn.ReLU, nn.Residual)
    return [i for i, layer in enumerate(model.layers) if isinstance(layer, kinds)]


def flow(model, n=64):
    """One forward and backward pass on ``n`` training digits in the model's current mode: the outputs
    a_l of the hidden layers (first first) and the norms ||dL/da_l|| of the loss gradient there, the
    backpropagated error of Nielsen ch. 5 and of Glorot & Bengio's Fig. 7. The parameter gradients
    are restored afterwards."""
    split = digits_split()
    X, y = split.X_train[:n], split.y_train[:n]
    named = list(model.named_parameters())
    saved = [g.copy() for _, _, g in named]
    positions = _hidden_positions(model)
    acts, out = {}, X
    for i, layer in enumerate(model.layers):
        out = layer._forward(out)
        if i in positions:
            acts[i] = out
    LOSS.forward(out, y)
    dout = LOSS.backward()
    norms = {}
    for i in reversed(range(len(model.layers))):
        if i in positions:
            norms[i] = float(np.linalg.norm(dout))
        dout = model.layers[i]._backward(dout)
    for (_, _, g), old in zip(named, saved):
        g[...] = old
    return [acts[i] for i in positions], np.array([norms[i] for i in positions])


def gradient_profile(model, n=64):
    """||dL/da_l|| for every hidden layer l (first first), from :func:`flow`."""
    return flow(model, n)[1]


@dataclass
class DepthRun:
    depth: int
    norms_init: np.ndarray
    norms_trained: np.ndarray
    train_acc: float
    test_acc: float


@lru_cache(maxsize=128)
def depth_run(
    depth, activation="sigmoid", init="Glorot", batchnorm=False, residual=False, epochs=10, lr=0.03, seed=0
):
    """Train :func:`deep_net` on the digits with mini-batch SGD (momentum 0.9, batch 64) for ``epochs``
    epochs; the per-layer gradient norms at initialization and after training, and the accuracies."""
    split = digits_split()
    model = deep_net(depth, activation, init, batchnorm, residual, seed=seed)
    before = gradient_profile(model)
    nn.fit(
        model,
        LOSS,
        nn.optim.SGD(lr=lr, momentum=0.9),
        split.X_train,
        split.y_train,
        epochs=epochs,
        batch_size=64,
        rng=nn.make_rng(seed + 1),
        eval_train=False,
        on_divergence="stop",
    )
    after = gradient_profile(model)
    acc = [
        nn.evaluate(model, LOSS, X, y)[1]
        for X, y in ((split.X_train, split.y_train), (split.X_test, split.y_test))
    ]
    return DepthRun(depth, before, after, *acc)


def decay_at_init(
    depth=50, activation="sigmoid", init="Glorot", batchnorm=False, residual=False, width=128, seed=0
):
    """||dL/da_1|| / ||dL/da_depth||: the backpropagated gradient at the first hidden layer over that at
    the last, at initialization (training mode, a batch of 64 digits)."""
    model = deep_net(depth, activation, init, batchnorm, residual, width=width, seed=seed)
    g = gradient_profile(model)
    return g[0] / g[-1]


def sigmoid_window(w):
    r"""For a weight w (|w| > 4), the width of the set of inputs a with |w σ'(w a + b)| >= 1 (for any b):
    :math:`\frac{2}{|w|}\ln\!\big(\frac{|w|}{2}(1 + \sqrt{1 - 4/|w|}) - 1\big)`; 0 for |w| <= 4."""
    w = np.abs(np.asarray(w, dtype=float))
    out = np.zeros_like(w)
    big = w > 4
    out[big] = 2 / w[big] * np.log(w[big] * (1 + np.sqrt(1 - 4 / w[big])) / 2 - 1)
    return out


# --- exploding gradients: Pascanu et al.'s one-unit recurrent network --------------------------

T, TARGET, X0 = 50, 0.7, 0.5


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def rnn_loss_and_grad(w, b, steps=T):
    r"""x_t = w σ(x_{t-1}) + b from x_0 = 0.5; E = (σ(x_T) − 0.7)². Returns E and (∂E/∂w, ∂E/∂b), by
    backpropagation through time; ``w`` and ``b`` may be arrays of the same shape (evaluated together)."""
    w, b = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
    xs = [np.full(w.shape, X0)]
    for _ in range(steps):
        xs.append(w * _sigmoid(xs[-1]) + b)
    s = _sigmoid(xs[-1])
    E = (s - TARGET) ** 2
    dx = 2 * (s - TARGET) * s * (1 - s)
    dw = np.zeros(w.shape)
    db = np.zeros(w.shape)
    for t in range(steps, 0, -1):
        st = _sigmoid(xs[t - 1])
        dw += dx * st
        db += dx
        dx = dx * w * st * (1 - st)
    return E, dw, db


def rnn_descent(w0, b0, lr=0.5, steps=400, clip=None):
    """Gradient descent on (w, b) from (w0, b0); with ``clip`` the gradient is rescaled to norm ``clip``
    whenever it is longer (Pascanu et al. Alg. 1). Returns the path (steps + 1, 2) and the losses."""
    path, losses = [(w0, b0)], []
    w, b = float(w0), float(b0)
    for _ in range(steps):
        E, dw, db = rnn_loss_and_grad(w, b)
        losses.append(float(E))
        g = np.array([float(dw), float(db)])
        norm = np.linalg.norm(g)
        if clip is not None and norm >= clip:
            g *= clip / norm
        w, b = w - lr * g[0], b - lr * g[1]
        path.append((w, b))
    losses.append(float(rnn_loss_and_grad(w, b)[0]))
    return np.array(path), np.array(losses)


@lru_cache(maxsize=4)
def clipping_success(n_starts=30, clip=1.0, seed=0):
    """From ``n_starts`` random starts w ~ U(3, 8), b ~ U(-4, -1): the fraction whose final loss after
    400 steps is below 1e-2, without and with clipping at ``clip``. All starts run as one array."""
    rng = nn.make_rng(seed)
    w = rng.uniform(3, 8, n_starts)
    b = rng.uniform(-4, -1, n_starts)
    out = {}
    for c in (None, clip):
        ww, bb = w.copy(), b.copy()
        for _ in range(400):
            _, dw, db = rnn_loss_and_grad(ww, bb)
            norm = np.hypot(dw, db)
            scale = np.where(
                (c is not None) & (norm >= (c or np.inf)), (c or 1.0) / np.maximum(norm, 1e-300), 1.0
            )
            ww, bb = ww - 0.5 * scale * dw, bb - 0.5 * scale * db
        out["clipped" if c else "plain"] = float(np.mean(rnn_loss_and_grad(ww, bb)[0] < 1e-2))
    return out
