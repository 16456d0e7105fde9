r"""Lesson 07 (dropout): the numbers the lesson quotes and the runs its figures draw.

* What a mask does (:func:`mask_is_removing_weights`), the expected value of a unit in training and
  at test time (:func:`unit_means`), with and without inverted scaling.
* The two conventions: the paper's (keep with probability :math:`p`, scale the outgoing weights by
  :math:`p` at test time) and inverted dropout (divide by :math:`p` in training), which are the same
  network reparametrized (:func:`conventions_agree`).
* Dropout as an ensemble: every mask of a small model enumerated (:func:`exact_ensemble`); Monte
  Carlo averaging against the weight-scaling rule (:func:`mc_curve`).
* The running example where dropout matters: two noisy half-moons plus 50 nuisance features,
  200 training points (:func:`nuisance_split`), a 52-32-32-2 ReLU network (:func:`make_net`) trained
  with Adam (:func:`train`), swept over the drop probabilities of the input and hidden layers
  (:func:`sweep`).
* Linear regression, where dropout is a data-dependent L2 penalty (:func:`linear_dropout_penalty`),
  and gradient checking with a fresh and a frozen mask (:func:`gradient_check_demo`).

Every network is nnlib's; ``p_drop`` is nnlib's drop probability, the paper's :math:`p` is the keep
probability :math:`1 - p_\text{drop}`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np

import nnlib as nn

N_TRAIN, N_VAL, N_TEST = 200, 500, 1000
N_NUISANCE = 50
NOISE = 0.35
HIDDEN = 32
STEPS, LR = 300, 5e-3
CURVE_EVERY = 10
LOSS = nn.SoftmaxCrossEntropy()
P_INPUT = (0.0, 0.2, 0.5)
P_HIDDEN = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9)


# --- 1. what a mask does ---------------------------------------------------------------------------


def mask_is_removing_weights(seed=0):
    """Dropping hidden unit j of one example gives the same next-layer input as deleting row j of the
    next weight matrix (its outgoing weights). Returns the largest difference over every unit."""
    rng = nn.make_rng(seed)
    h, W, b = rng.normal(size=6), rng.normal(size=(6, 3)), rng.normal(size=3)
    diffs = []
    for j in range(6):
        m = np.ones(6)
        m[j] = 0.0
        dropped = (h * m) @ W + b
        removed = np.delete(h, j) @ np.delete(W, j, axis=0) + b
        diffs.append(np.max(np.abs(dropped - removed)))
    return max(diffs)


def unit_means(p_drop=0.5, n_masks=20_000, inverted=True, seed=0):
    """For one input x through a random 4-6-6 ReLU layer pair with dropout on the first hidden layer:
    each second-layer unit's mean over ``n_masks`` training passes and its test-time value.

    ``inverted=True``: kept units are divided by 1 - p_drop in training and test time uses every unit
    as it is (nnlib). ``inverted=False``: no scaling anywhere (the mistake of forgetting the paper's
    test-time scaling). Returns dict ``pre_train``, ``pre_test`` (the linear pre-activations z) and
    ``post_train``, ``post_test`` (after ReLU), each of shape (6,), and the masks of the first 20 passes.
    """
    rng = nn.make_rng(seed)
    x = rng.normal(size=4)
    W1, W2 = rng.normal(size=(4, 6)) / 2, rng.normal(size=(6, 6)) / np.sqrt(3)
    b2 = rng.normal(size=6) * 0.1
    h = np.maximum(x @ W1 + 0.3, 0.0)
    q = 1.0 - p_drop
    masks = (rng.random((n_masks, 6)) < q).astype(float)
    scale = 1.0 / q if inverted and q > 0 else 1.0
    z_train = (h * masks * scale) @ W2 + b2
    z_test = h @ W2 + b2
    return {
        "h": h,
        "pre_train": z_train.mean(0),
        "pre_test": z_test,
        "post_train": np.maximum(z_train, 0).mean(0),
        "post_test": np.maximum(z_test, 0),
        "masks": masks[:20],
        "se": z_train.std(0) / np.sqrt(n_masks),
    }


def conventions_agree(p=0.8, seed=0):
    """The paper's dropout (keep with probability p, test weights p W) and inverted dropout (keep
    with probability p, divide by p in training) with W' = p W: the same outputs with the same mask
    in training, and the same test-time outputs. Returns the two largest differences."""
    rng = nn.make_rng(seed)
    x, W, b = rng.normal(size=(5, 8)), rng.normal(size=(8, 3)), rng.normal(size=3)
    r = (rng.random((5, 8)) < p).astype(float)
    W_inv = p * W
    train_gap = np.max(np.abs((r * x) @ W + b - (r * x / p) @ W_inv - b))
    test_gap = np.max(np.abs(x @ (p * W) + b - (x @ W_inv + b)))
    return train_gap, test_gap


# --- 2. the running example: nuisance features -----------------------------------------------------


@dataclass(frozen=True)
class Split:
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def __repr__(self):
        return (
            f"Split(train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)}, "
            f"features={self.X_train.shape[1]})"
        )


@lru_cache(maxsize=2)
def nuisance_split(seed=0):
    """Two noisy half-moons (noise 0.35) with 50 N(0, 1) nuisance columns appended: 200 training,
    500 validation and 1000 test points, from one seeded pool, no point in two sets."""
    rng = nn.make_rng(seed)
    n = N_TRAIN + N_VAL + N_TEST
    X, y = nn.datasets.make_moons(n, noise=NOISE, rng=rng)
    X = np.hstack([X, rng.standard_normal((n, N_NUISANCE))])
    cuts = np.cumsum([N_TRAIN, N_VAL])
    parts = []
    for a, b in zip((0, *cuts), (*cuts, n)):
        parts += [X[a:b], y[a:b]]
    for a in parts:
        a.setflags(write=False)
    return Split(*parts)


def make_net(p_input=0.0, p_hidden=0.0, seed=0, hidden=HIDDEN):
    """52-H-H-2 ReLU network, He-normal weights; a Dropout layer before the first Dense layer
    (``p_input``) and after each hidden ReLU (``p_hidden``), when those are above 0."""
    rng = nn.make_rng(seed)
    sizes = [2 + N_NUISANCE, hidden, hidden, 2]
    layers = [nn.Dropout(p_input, rng=rng)] if p_input else []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Dense(a, b, init=nn.init.he_normal, rng=rng))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
            if p_hidden:
                layers.append(nn.Dropout(p_hidden, rng=rng))
    return nn.Sequential(layers)


@dataclass
class Run:
    """One training run: the model after training, the losses every ``CURVE_EVERY`` steps (the
    training loss in evaluation mode, i.e. without dropout), the test accuracy at the same steps, and
    the final accuracies."""

    model: nn.Sequential
    steps: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    test_loss: np.ndarray
    test_acc_curve: np.ndarray
    train_acc: float
    val_acc: float
    test_acc: float


@lru_cache(maxsize=64)
def train(p_input=0.0, p_hidden=0.0, l2=0.0, steps=STEPS, seed=0):
    """Train :func:`make_net` on :func:`nuisance_split` with full-batch Adam (lr 5e-3) for ``steps``
    steps; ``l2`` adds the L2 penalty on the weights. Cached: the same arguments return the same run."""
    split = nuisance_split()
    model = make_net(p_input, p_hidden, seed)
    curve = {"train": [], "val": [], "test": [], "test_acc": []}

    def record(epoch, history, net):
        if epoch % CURVE_EVERY == 0:
            for name, X, y in (
                ("train", split.X_train, split.y_train),
                ("val", split.X_val, split.y_val),
                ("test", split.X_test, split.y_test),
            ):
                loss, acc = nn.evaluate(net, LOSS, X, y)
                curve[name].append(loss)
            curve["test_acc"].append(acc)

    nn.fit(
        model,
        LOSS,
        nn.optim.Adam(lr=LR),
        split.X_train,
        split.y_train,
        epochs=steps,
        batch_size=None,
        l2=l2,
        eval_train=False,
        callback=record,
    )
    acc = [
        nn.evaluate(model, LOSS, X, y)[1]
        for X, y in ((split.X_train, split.y_train), (split.X_val, split.y_val), (split.X_test, split.y_test))
    ]
    return Run(model, np.arange(CURVE_EVERY, steps + 1, CURVE_EVERY), *map(np.array, curve.values()), *acc)


def sweep(p_inputs=P_INPUT, p_hiddens=P_HIDDEN):
    """:func:`train` at every pair of drop probabilities; dict (p_input, p_hidden) -> Run."""
    return {(a, b): train(a, b) for a, b in product(p_inputs, p_hiddens)}


def choose(runs):
    """The setting with the highest validation accuracy (the smaller drop probabilities on a tie),
    chosen without looking at the test set."""
    return max(sorted(runs), key=lambda key: runs[key].val_acc)


def step_times(p_drop=0.5, repeats=30, seed=0):
    """Median seconds of one full-batch training step (forward, backward, Adam) of the running
    network without and with dropout on both hidden layers (for a ratio; timings vary by machine)."""
    split = nuisance_split()
    out = {}
    for p in (0.0, p_drop):
        model, opt = make_net(0.0, p, seed), nn.optim.Adam(lr=LR)
        opt_times = []
        for _ in range(repeats):
            start = time.perf_counter()
            nn.fit(
                model, LOSS, opt, split.X_train, split.y_train, epochs=1, batch_size=None, eval_train=False
            )
            opt_times.append(time.perf_counter() - start)
        out[p] = float(np.median(opt_times))
    return out


# --- 3. dropout as an ensemble ---------------------------------------------------------------------


def _all_masks(n):
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(float)


def exact_ensemble(hidden=False, n_units=10, p=0.5, seed=0):
    """Every one of the 2^n masks of a small classifier with n dropout units, enumerated.

    ``hidden=False``: softmax regression on 10 inputs with dropout on the inputs (Goodfellow et al.
    eqs. 7.56-7.66). ``hidden=True``: the dropped inputs go through a hidden ReLU layer of 10 units
    first, so a nonlinearity sits between the masks and the softmax.
    Returns, for 200 inputs and 3 classes, the arithmetic mean of the masks' probabilities, their
    renormalized geometric mean (both weighted by each mask's probability under keep probability p)
    and the weight-scaling prediction."""
    rng = nn.make_rng(seed)
    X = rng.normal(size=(200, n_units))
    masks = _all_masks(n_units)
    weight = np.prod(np.where(masks == 1, p, 1 - p), axis=1)  # P(mask)
    W, b = rng.normal(size=(n_units, 3)), rng.normal(size=3)
    if hidden:
        W1, b1 = rng.normal(size=(n_units, n_units)), rng.normal(size=n_units)
        logits = np.maximum((masks[:, None, :] * X[None]) @ W1 + b1, 0) @ W + b  # (masks, N, 3)
        scaled = nn.softmax(np.maximum(X @ (p * W1) + b1, 0) @ W + b)
    else:
        logits = (masks[:, None, :] * X[None]) @ W + b
        scaled = nn.softmax(X @ (p * W) + b)
    log_p = logits - np.logaddexp.reduce(logits, axis=2, keepdims=True)
    arithmetic = np.tensordot(weight, np.exp(log_p), axes=1)
    log_geo = np.tensordot(weight, log_p, axes=1)
    geometric = np.exp(log_geo - np.logaddexp.reduce(log_geo, axis=1, keepdims=True))
    return {"arithmetic": arithmetic, "geometric": geometric, "scaled": scaled, "n_masks": len(masks)}


@lru_cache(maxsize=4)
def mc_curve(p_hidden=0.5, max_k=200, seed=3):
    """Monte Carlo dropout on the trained running network (hidden drop probability ``p_hidden``):
    the test loss and accuracy of the average of the first k sampled predictions, k = 1..max_k, and
    those of the weight-scaling rule (one pass with every unit, ``nn.predict``).

    The masks come from a copy of the network whose Dropout layers draw from ``seed``."""
    split = nuisance_split()
    model = train(0.0, p_hidden).model
    rng = nn.make_rng(seed)
    for layer in model.layers:
        if isinstance(layer, nn.Dropout):
            layer.rng = rng
    samples = np.stack([nn.mc_dropout_predict(model, split.X_test, 1) for _ in range(max_k)])
    running = np.cumsum(samples, axis=0) / np.arange(1, max_k + 1)[:, None, None]
    picked = running[np.arange(max_k)[:, None], np.arange(len(split.y_test)), split.y_test]
    loss = -np.mean(np.log(np.maximum(picked, 1e-300)), axis=1)
    acc = np.mean(np.argmax(running, axis=2) == split.y_test, axis=1)
    scaled = nn.softmax(nn.predict(model, split.X_test))
    return {
        "k": np.arange(1, max_k + 1),
        "loss": loss,
        "acc": acc,
        "running": running,
        "scaled": scaled,
        "scaled_loss": LOSS.forward(nn.predict(model, split.X_test), split.y_test),
        "scaled_acc": float(np.mean(np.argmax(scaled, 1) == split.y_test)),
    }


# --- 4. linear regression and gradient checking ----------------------------------------------------


def linear_dropout_penalty(p=0.8, n_masks=200_000, seed=0):
    r"""Srivastava et al. §9.1: with input dropout (keep probability p, no rescaling), the expected
    squared error of linear regression is :math:`\lVert y - pXw\rVert^2 + p(1-p)\lVert\Gamma w\rVert^2`,
    :math:`\Gamma = \mathrm{diag}(X^\top X)^{1/2}`. Returns the Monte Carlo mean over masks and the
    formula, for a random X (20 x 5), w and y."""
    rng = nn.make_rng(seed)
    X, w, y = rng.normal(size=(20, 5)), rng.normal(size=5), rng.normal(size=20)
    total = 0.0
    for _ in range(n_masks // 1000):
        R = (rng.random((1000, 20, 5)) < p).astype(float)
        total += np.sum(np.sum((y - (R * X) @ w) ** 2, axis=1))
    mc = total / (n_masks // 1000 * 1000)
    Gamma = np.sqrt(np.diag(X.T @ X))
    formula = np.sum((y - p * X @ w) ** 2) + p * (1 - p) * np.sum((Gamma * w) ** 2)
    return mc, formula


def gradient_check_demo(seed=0):
    """The gradient check of a small network with dropout: numerical against analytic gradients of
    the first weight matrix, with a fresh mask at every forward pass and with ``freeze_mask()``.
    Returns the two relative errors (nnlib's ``rel_error``)."""
    rng = nn.make_rng(seed)
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, size=8)
    out = {}
    for frozen in (False, True):
        model = nn.Sequential(
            [
                nn.Dense(4, 6, rng=nn.make_rng(1)),
                nn.ReLU(),
                nn.Dropout(0.5, rng=nn.make_rng(2)),
                nn.Dense(6, 3, rng=nn.make_rng(3)),
            ]
        )
        drop = model.layers[2]
        model.zero_grad()
        LOSS.forward(model.forward(X), y)
        model.backward(LOSS.backward())
        analytic = model.layers[0].grads["W"].copy()
        drop.freeze_mask(frozen)
        W = model.layers[0].params["W"]

        def loss_at(model=model):
            return LOSS.forward(model.forward(X), y)

        numeric = nn.gradcheck.numerical_gradient(loss_at, W)
        out["frozen" if frozen else "fresh"] = nn.gradcheck.rel_error(numeric, analytic)
    return out
