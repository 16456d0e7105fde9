"""Lesson 03 (initialization): the deep network seen at initialization, and the symmetry runs.

Everything here builds its networks with ``nn.mlp`` and the initializers of ``nn.init``, and
looks inside them with ``nn.collect_activations_and_grads``: the lesson's tables, its static
figures and its live figures all come from the library's own layers and formulas.
"""
from __future__ import annotations

from functools import partial

import numpy as np

import nnlib as nn

#: The five starting points of the lesson, as nnlib initializers ``init(n_in, n_out, rng, dtype)``.
INITS = {
    "uniform U(-1, 1)": nn.init.uniform,
    "small normal N(0, 0.01²)": partial(nn.init.normal, std=0.01),
    "large normal N(0, 1)": partial(nn.init.normal, std=1.0),
    "Glorot uniform": nn.init.glorot_uniform,
    "He normal": nn.init.he_normal,
}
ACTIVATIONS = {"tanh": nn.Tanh, "ReLU": nn.ReLU, "sigmoid": nn.Sigmoid}
WIDTH, BATCH, CLASSES = 100, 200, 10     # the deep network: 100 units per hidden layer, 10 classes


def scaled(init, gain):
    """``init`` with every weight multiplied by ``gain`` (1 is the scheme itself)."""
    if gain == 1:
        return init

    def init_times_gain(n_in, n_out, rng, dtype=np.float64):
        W = init(n_in, n_out, rng, dtype=dtype)
        return W * W.dtype.type(gain)
    return init_times_gain


def weight_variance(init, n_in, n_out, draws=400, seed=0):
    """Var(w) of an initializer, measured on ``draws`` matrices of shape (n_in, n_out) that it drew.

    A sample estimate (4 million weights by default: within about 0.1 % of the formula), taken
    from ``nn.init`` itself rather than from a second copy of its formulas.
    """
    rng = nn.make_rng(seed)
    return float(np.var([init(n_in, n_out, rng) for _ in range(draws)]))


def deep_network(scheme, activation, depth, gain=1.0, seed=0):
    """``depth`` hidden layers of ``WIDTH`` units and ``CLASSES`` outputs, initialized by ``scheme``.

    Biases are 0, as ``nn.Dense`` starts them. The same ``seed`` gives the same random draws
    to every scheme of one family: the normal schemes scale the same normal numbers and the
    uniform ones the same uniform numbers, so two schemes differ in scale, not in luck.
    """
    init = scaled(INITS[scheme], gain)
    return nn.mlp([WIDTH] * (depth + 1) + [CLASSES], activation=ACTIVATIONS[activation], init=init,
                  rng=nn.make_rng(seed))


def probe_batch(seed=0):
    """``(X, y)``: ``BATCH`` standard-normal inputs of ``WIDTH`` features and random labels."""
    rng = nn.make_rng(seed)
    return rng.standard_normal((BATCH, WIDTH)), rng.integers(0, CLASSES, BATCH)


def probe(scheme, activation, depth, gain=1.0, batch=None):
    """``(activations, grads)`` of :func:`deep_network` at initialization, one array per hidden layer:
    its outputs a_l (BATCH, WIDTH) and dL/da_l (the gradient of the mean cross-entropy)."""
    X, y = probe_batch() if batch is None else batch
    model = deep_network(scheme, activation, depth, gain)
    with np.errstate(all="ignore"):          # the too-large schemes overflow on purpose with ReLU
        return nn.collect_activations_and_grads(model, nn.SoftmaxCrossEntropy(), X, y)


# --- symmetry: identical units stay identical -------------------------------------------------

HIDDEN, STEPS, EVERY, LR = 8, 500, 10, 1.0
STARTS = {
    "identical: every weight 0.5": partial(nn.init.constant, value=0.5),
    "identical: every weight 0": nn.init.zeros,
    "random: Glorot uniform": nn.init.glorot_uniform,
}


def circles_data(seed=0):
    """The 200-point two-circles task of the symmetry demonstration."""
    return nn.datasets.make_circles(200, noise=0.1, rng=nn.make_rng(seed))


def symmetry_run(start, X, y, steps=STEPS, every=EVERY, lr=LR, hidden=HIDDEN, seed=1):
    """Train a 2-``hidden``-2 tanh network from ``start`` by full-batch gradient descent.

    Returns the model (at the last step), the snapshots ``model.get_weights()`` taken every
    ``every`` steps (the first before any step) and the loss before each step.
    """
    model = nn.mlp([2, hidden, 2], activation=nn.Tanh, init=STARTS[start], rng=nn.make_rng(seed))
    loss_fn, opt = nn.SoftmaxCrossEntropy(), nn.optim.SGD(lr=lr)
    snapshots, losses = [], []
    for step in range(steps + 1):
        if step % every == 0:
            snapshots.append(model.get_weights())
        if step == steps:
            break
        model.zero_grad()
        losses.append(loss_fn(model(X), y))
        model.backward(loss_fn.backward())
        opt.step(model)
    losses.append(loss_fn(model(X), y))
    return model, snapshots, np.array(losses)


def distinct_units(W, b, tol=1e-9):
    """Number of groups of hidden units whose incoming weights and bias agree within ``tol``."""
    M = np.vstack([W, b])
    same = np.abs(M[:, :, None] - M[:, None, :]).max(axis=0) <= tol
    seen, groups = np.zeros(M.shape[1], dtype=bool), 0
    for j in range(M.shape[1]):
        if not seen[j]:
            seen |= same[j]
            groups += 1
    return groups


# --- training from each start -----------------------------------------------------------------


def train_from_every_start(activation, lr, data, epochs=12, depth=8, H=64, batch_size=32, seed=1):
    """Train the same deep MLP from every scheme of :data:`INITS`; ``{scheme: nn.History}``.

    ``data`` is ``(X_train, y_train, X_val, y_val)``. The model is ``nn.mlp`` with ``depth``
    hidden layers of ``H`` units of ``activation``; plain ``nn.optim.SGD(lr)`` on mini-batches of
    ``batch_size``. Every run starts from a generator seeded with ``seed`` (the same for every
    scheme, for the weights and then the batch order), so the runs differ in their start only. A
    run whose loss becomes NaN or inf stops there (``History.diverged`` says where).
    """
    X_train, y_train, X_val, y_val = data
    sizes = [X_train.shape[1]] + [H] * depth + [int(y_train.max()) + 1]
    histories = {}
    for scheme, init in INITS.items():
        rng = nn.make_rng(seed)
        model = nn.mlp(sizes, activation=activation, init=init, rng=rng)
        histories[scheme] = nn.fit(model, nn.SoftmaxCrossEntropy(), nn.optim.SGD(lr=lr), X_train, y_train,
                                   epochs=epochs, batch_size=batch_size, rng=rng, X_val=X_val, y_val=y_val,
                                   on_divergence="stop")
    return histories


def training_table(histories, epochs=(1, 2, 5, 12)):
    """The training loss after the given epochs and the last validation accuracy, one row per run."""
    rows = [f"{'':26s} training loss after epoch " + ", ".join(map(str, epochs)) + " | validation accuracy"]
    for scheme, h in histories.items():
        if h.diverged:
            rows.append(f"{scheme:26s} diverged: {h.diverged.split(';')[0]}")
        else:
            rows.append(f"{scheme:26s} " + " ".join(f"{h.train_loss[e - 1]:6.3f}" for e in epochs)
                        + f"  | {h.val_acc[-1]:.2f}")
    return "\n".join(rows)
