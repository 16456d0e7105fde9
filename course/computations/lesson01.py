"""Lesson 01 (universal approximation): hand-built approximations, and width against depth.

``hand_built`` sets a one-hidden-layer network's weights by hand (a staircase of sigmoids or
a ReLU interpolant); ``gradient_norms`` measures the gradient of each layer at the initial
weights; ``step_time_ratios`` times one training step per network, relative to the first;
``overfitting_sweep`` trains networks of growing width on a small noisy task, and
``WidthDepthCache`` trains ``nn.mlp`` networks of every width and depth of the lesson's
explorer once, on the same task.
"""
from __future__ import annotations

import time

import numpy as np

import nnlib as nn
from nnlib.datasets import REGRESSION_TARGETS

X_RANGE = (-3.0, 3.0)
TARGETS = {  # label -> f; the last two jump (discontinuous)
    "sin(x)": REGRESSION_TARGETS["sine"],
    "|x|": REGRESSION_TARGETS["abs"],
    "x²/3": lambda x: REGRESSION_TARGETS["quadratic"](x) / 3,   # scaled: every target fits one y-range
    "step (jumps at 0)": REGRESSION_TARGETS["step"],
    "ramps (jump by 2 at ±1)": REGRESSION_TARGETS["sawtooth"],  # x - 2 floor((x + 1) / 2)
}
JUMPS = {"step (jumps at 0)": 1.0, "ramps (jump by 2 at ±1)": 2.0}   # size of each target's largest jump
UNIT_COUNTS = np.unique(np.geomspace(1, 256, 33).round().astype(int))


def hand_built(f, x, n_units, activation="sigmoid", steepness=30.0, x_range=X_RANGE):
    r"""A one-hidden-layer network with hand-set weights that approximates ``f`` on ``x_range``.

    ``activation="sigmoid"``: a staircase. The interval is cut into H + 1 equal pieces with
    edges :math:`e_1 < \dots < e_H`; piece j takes the value of f at its centre :math:`c_j`, and
    each unit is a steep step at one edge:
    :math:`\hat y(x) = f(c_0) + \sum_{j=1}^{H} (f(c_j) - f(c_{j-1}))\,\sigma(s(x - e_j))`.

    ``activation="relu"``: the piecewise-linear interpolant of f at H + 1 equally spaced knots
    :math:`k_0 < \dots < k_H`, :math:`\hat y(x) = f(k_0) + \sum_{i=0}^{H-1} c_i\,\mathrm{relu}(x - k_i)`
    with :math:`c_i` the change of slope at knot i.

    Returns the outputs at ``x`` (same shape as ``x``).
    """
    x = np.asarray(x, dtype=float)
    a, b = x_range
    H = int(n_units)
    if activation == "sigmoid":
        h = (b - a) / (H + 1)
        edges = a + h * np.arange(1, H + 1)
        heights = f(a + h * (np.arange(H + 1) + 0.5))
        return heights[0] + nn.sigmoid(steepness * (x[..., None] - edges)) @ np.diff(heights)
    if activation == "relu":
        knots = np.linspace(a, b, H + 1)
        slopes = np.diff(f(knots)) / np.diff(knots)
        coef = np.diff(np.concatenate([[0.0], slopes]))
        return f(knots[0]) + nn.relu(x[..., None] - knots[:-1]) @ coef
    raise ValueError(f"activation must be 'sigmoid' or 'relu', got {activation!r}")


def approximation_errors(f, x, units=UNIT_COUNTS, activation="sigmoid", steepness=30.0, x_range=X_RANGE):
    """Max and mean absolute error of :func:`hand_built` on ``x`` for each unit count; two arrays."""
    fx = f(x)
    errs = np.array([np.abs(hand_built(f, x, H, activation, steepness, x_range) - fx) for H in units])
    return errs.max(axis=1), errs.mean(axis=1)


def gradient_norms(depth, activation, init, X, y, width=16, seed=0):
    """The Frobenius norm of dLoss/dW for every Dense layer of a fresh ``nn.mlp`` (MSE loss on
    ``X``, ``y``), from the first layer to the output layer, at the initial weights."""
    net = nn.mlp([X.shape[1]] + [width] * depth + [y.shape[1]], activation=activation, init=init,
                 rng=nn.make_rng(seed))
    loss_fn = nn.MSELoss()
    net.zero_grad()
    loss_fn(net(X), y)
    net.backward(loss_fn.backward())
    return [float(np.linalg.norm(layer.grads["W"])) for layer in net.layers if isinstance(layer, nn.Dense)]


def step_time_ratios(shapes, batch=64, repeats=7, seed=0):
    """Time one training step (forward, backward, Adam update; softmax cross-entropy on random
    inputs) of ``nn.mlp(sizes)`` for each entry of ``shapes``, and return each time divided by
    the first network's. Each time is the fastest of ``repeats`` rounds of several steps: the
    fastest round is the one least disturbed by whatever else the machine is doing."""
    rng = nn.make_rng(seed)
    loss_fn = nn.SoftmaxCrossEntropy()
    times = []
    for sizes in shapes:
        X, y = rng.standard_normal((batch, sizes[0])), rng.integers(0, sizes[-1], batch)
        model, opt = nn.mlp(sizes, rng=rng), nn.optim.Adam(lr=1e-3)
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(5):
                model.zero_grad()
                loss_fn(model(X), y)
                model.backward(loss_fn.backward())
                opt.step(model)
            best = min(best, (time.perf_counter() - start) / 5)
        times.append(best)
    return [t / times[0] for t in times]


WIDTHS = (1, 2, 4, 8, 16, 32)
DEPTHS = (1, 2, 3, 4)
VAL_EVERY = 5  # epochs between validation measurements (each costs a forward pass)


def noisy_sine_task(n_train=20, n_val=100, noise=0.3, seed=1):
    """A small regression task: ``(X_train, y_train, X_val, y_val)`` of noisy sin x on [-3, 3]."""
    rng = nn.make_rng(seed)
    X_train, y_train = nn.datasets.make_regression_1d(n_train, "sine", noise=noise, rng=rng)
    X_val, y_val = nn.datasets.make_regression_1d(n_val, "sine", noise=noise, rng=rng)
    return X_train, y_train, X_val, y_val


def overfitting_sweep(widths=WIDTHS, seeds=(0, 1), epochs=400, lr=0.02, task=None):
    """Train tanh networks with 2 hidden layers of each width (full-batch Adam) on the noisy task.

    Returns ``{width: (parameters, train_mse, val_mse)}``, the errors averaged over ``seeds``.
    """
    X, y, X_val, y_val = task or noisy_sine_task()
    mse, results = nn.MSELoss(), {}
    for width in widths:
        runs = []
        for seed in seeds:
            model = nn.mlp([1, width, width, 1], activation=nn.Tanh, rng=nn.make_rng(seed))
            nn.fit(model, mse, nn.optim.Adam(lr=lr), X, y, epochs=epochs, batch_size=None,
                   eval_train=False)
            runs.append((mse(nn.predict(model, X), y), mse(nn.predict(model, X_val), y_val)))
        results[width] = (model.num_parameters(), *np.mean(runs, axis=0))
    return results


class WidthDepthCache:
    """Trains a model per (width, depth) on its first request and keeps it.

    ``get`` returns ``(model, train_mse, val_epochs, val_mse)``: the training MSE of every
    epoch and the validation MSE every ``VAL_EVERY`` epochs (full-batch Adam, seeded).
    """

    def __init__(self, task=None, epochs=150, lr=0.03, seed=0):
        self.task = task or noisy_sine_task()
        self.epochs, self.lr, self.seed = epochs, lr, seed
        self.models = {}

    def get(self, width, depth):
        key = (int(width), int(depth))
        if key not in self.models:
            X, y, X_val, y_val = self.task
            width, depth = key
            model = nn.mlp([1] + [width] * depth + [1], activation=nn.Tanh, rng=nn.make_rng(self.seed))
            val_epochs, val_mse = [], []

            def record(epoch, history, model):
                if epoch % VAL_EVERY == 0:
                    val_epochs.append(epoch)
                    val_mse.append(float(np.mean((nn.predict(model, X_val) - y_val) ** 2)))

            history = nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=self.lr), X, y, epochs=self.epochs,
                             batch_size=None, eval_train=False, callback=record)
            self.models[key] = (model, np.array(history.train_loss), np.array(val_epochs), np.array(val_mse))
        return self.models[key]
