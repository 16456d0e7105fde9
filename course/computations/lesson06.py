r"""Lesson 06 (regularization): the numbers the lesson quotes and the runs its figures draw.

* The running example: two noisy half-moons, 100 training, 200 validation and 700 test points
  (:func:`moons_split`), a 2-32-32-2 ReLU network that can memorise 100 points (:func:`train`),
  full-batch gradient descent with momentum (so that a penalty acts as written: no per-weight
  rescaling as in Adam).
* Linear models, where the theory is exact: the bias penalty (:func:`bias_penalty_demo`), the shrinking
  along the Hessian's eigenvectors (:func:`ridge_eigen_shrinkage`), more features than observations
  (:func:`underdetermined`), lasso against ridge (:func:`lasso_vs_ridge`).
* Weight decay against L2 (:func:`sgd_l2_vs_decay`, :func:`adam_l2_vs_adamw`), early stopping
  (:func:`early_stopping_run`, :func:`replay_early_stopping`, :func:`early_stopping_filters`) and
  bagging (:func:`bootstrap_coverage`, :func:`averaged_error`, :func:`ensemble`).

Every network is nnlib's (``nn.mlp``, ``nn.fit``, ``nn.EarlyStopping``, ``nn.BaggingEnsemble``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

import nnlib as nn

SIZES = [2, 32, 32, 2]
EPOCHS = 400
LR, MOMENTUM = 0.1, 0.9
NOISE = 0.35
LOSS = nn.SoftmaxCrossEntropy()


@dataclass(frozen=True)
class Split:
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def __repr__(self):
        return f"Split(train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)})"


@lru_cache(maxsize=4)
def moons_split(seed=0, noise=NOISE):
    """1000 noisy moons cut into 100 training, 200 validation and 700 test points (seeded).

    The training set is small on purpose (a 2-32-32-2 network can memorise it); the validation and
    test sets are large so that their losses are precise estimates."""
    X, y = nn.datasets.make_moons(1000, noise=noise, rng=nn.make_rng(seed))
    parts = nn.datasets.train_val_test_split(X, y, val_frac=0.2, test_frac=0.7, rng=nn.make_rng(seed + 1))
    for a in parts:
        a.setflags(write=False)
    return Split(*parts)


def make_net(seed=2):
    return nn.mlp(SIZES, init=nn.init.he_normal, rng=nn.make_rng(seed))


def make_opt(weight_decay=0.0, lr=LR, momentum=MOMENTUM):
    return nn.optim.SGD(lr=lr, momentum=momentum, weight_decay=weight_decay)


#: Early stopping is shown with mini-batches: their validation curve is noisy, so patience matters.
ES_BATCH, ES_LR, ES_SEED = 10, 0.05, 5


def train(penalty=None, strength=0.0, epochs=EPOCHS, seed=2, split=None, test_curve=False, snapshots=False,
          minibatches=False, early_stopping=None):
    """Train the running network with an L2 or L1 penalty (``penalty`` "l2", "l1" or None).

    Full-batch gradient descent with momentum, or, with ``minibatches``, plain SGD on batches of
    ``ES_BATCH`` (the early-stopping setting). Returns ``(model, history)``; ``history.test_loss``
    holds the test loss per epoch when ``test_curve`` (for the one figure that shows it),
    ``history.snapshots`` the weights after every epoch when ``snapshots``."""
    split = moons_split() if split is None else split
    if penalty not in (None, "l2", "l1"):
        raise ValueError(f"train expected penalty None, 'l2' or 'l1', got {penalty!r}.")
    model = make_net(seed)
    test_loss, snaps = [], []

    def record(epoch, history, model):
        if test_curve:
            test_loss.append(LOSS(nn.predict(model, split.X_test), split.y_test))
        if snapshots:
            snaps.append(model.get_weights())
        return False

    kw = {penalty: strength} if penalty else {}
    if minibatches:
        opt, batches = make_opt(lr=ES_LR, momentum=0.0), {"batch_size": ES_BATCH, "rng": nn.make_rng(ES_SEED)}
    else:
        opt, batches = make_opt(), {"batch_size": None}
    h = nn.fit(model, LOSS, opt, split.X_train, split.y_train, epochs=epochs, X_val=split.X_val,
               y_val=split.y_val, callback=record, early_stopping=early_stopping, **batches, **kw)
    h.test_loss, h.snapshots = test_loss, snaps
    return model, h


def weights(model):
    """Every weight (not bias) of ``model``, flattened into one array."""
    return np.concatenate([p.ravel() for name, p, _ in model.named_parameters() if name.endswith("W")])


def data_loss(model, X, y):
    """The cross-entropy of ``model`` on (X, y), without any penalty."""
    return float(LOSS(nn.predict(model, X), y))


def strength_sweep(penalty, strengths, split=None):
    """Final training and validation losses (no penalty term) for each strength: the curve one tunes on."""
    split = moons_split() if split is None else split
    rows = []
    for s in strengths:
        model, _ = train(penalty, s, split=split)
        rows.append({"strength": float(s), "train": data_loss(model, split.X_train, split.y_train),
                     "val": data_loss(model, split.X_val, split.y_val), "model": model})
    return rows


# --- linear models ------------------------------------------------------------------------------

def bias_penalty_demo(alpha=10.0, n=40, seed=0):
    r"""Ridge regression of :math:`y = 10 + 2x + \text{noise}` with the penalty on the slope only, and
    on slope and intercept: returns their (intercept, slope) and training mean squared errors."""
    rng = nn.make_rng(seed)
    x = rng.uniform(-1, 1, n)
    y = 10 + 2 * x + rng.normal(0, 0.5, n)
    A = np.column_stack([np.ones(n), x])                # columns: intercept b, slope w
    out = {}
    for name, P in (("slope only", np.diag([0.0, 1.0])), ("slope and intercept", np.eye(2))):
        b, w = np.linalg.solve(A.T @ A + alpha * P, A.T @ y)
        out[name] = {"b": float(b), "w": float(w), "mse": float(np.mean((A @ [b, w] - y) ** 2))}
    return out


def ridge_eigen_shrinkage(alpha=1.0, seed=0):
    r"""Goodfellow eq. 7.13 checked: the ridge solution's coordinates along the Hessian's eigenvectors
    are :math:`\lambda_i / (\lambda_i + \alpha)` times the unregularized ones. Returns the eigenvalues,
    the predicted factors and the measured ratios."""
    rng = nn.make_rng(seed)
    n = 200
    X = rng.normal(size=(n, 3)) * np.array([3.0, 1.0, 0.1])   # one stiff, one medium, one flat direction
    y = X @ np.array([1.0, -2.0, 3.0]) + rng.normal(0, 0.1, n)
    H = X.T @ X / n                                      # the Hessian of J = ||Xw - y||^2 / (2n)
    w_star = np.linalg.solve(H, X.T @ y / n)
    w_tilde = np.linalg.solve(H + alpha * np.eye(3), X.T @ y / n)
    lam, Q = np.linalg.eigh(H)
    return {"lambda": lam, "predicted": lam / (lam + alpha), "measured": (Q.T @ w_tilde) / (Q.T @ w_star)}


def underdetermined(n=20, d=50, alpha=1e-2, seed=0):
    """More features than observations: the rank of XᵀX, and its condition number with and without αI."""
    X = nn.make_rng(seed).normal(size=(n, d))
    G = X.T @ X
    return {"n": n, "d": d, "rank": int(np.linalg.matrix_rank(G)), "cond": float(np.linalg.cond(G)),
            "cond_ridge": float(np.linalg.cond(G + alpha * np.eye(d)))}


def ista(X, y, lam, iters=5000):
    r"""Lasso by proximal gradient (ISTA): minimise :math:`\frac12\|Xw - y\|^2 + \lambda\|w\|_1`.
    A gradient step on the squared error, then the soft threshold, which sets small weights to exactly 0."""
    L = np.linalg.eigvalsh(X.T @ X)[-1]                  # the gradient's Lipschitz constant
    w = np.zeros(X.shape[1])
    for _ in range(iters):
        z = w - X.T @ (X @ w - y) / L
        w = np.sign(z) * np.maximum(np.abs(z) - lam / L, 0.0)
    return w


def ridge(X, y, lam):
    r"""Ridge in closed form: minimise :math:`\frac12\|Xw - y\|^2 + \frac\lambda2\|w\|^2`."""
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def lasso_vs_ridge(truth="sparse", lam=2.0, n=50, d=100, n_test=1000, seed=0):
    """n = 50 < d = 100 with 5 nonzero true weights ("sparse") or 100 small ones ("dense"): exact zeros,
    the true weights recovered, and the test mean squared error of lasso and of ridge."""
    rng = nn.make_rng(seed)
    w_true = np.zeros(d)
    if truth == "sparse":
        support = rng.choice(d, 5, replace=False)
        w_true[support] = rng.normal(0, 3, 5)
    else:
        w_true = rng.normal(0, 3 / np.sqrt(20), d)       # the same total signal, spread over all 100
    X, X_test = rng.normal(size=(n, d)), rng.normal(size=(n_test, d))
    y = X @ w_true + rng.normal(0, 0.1, n)
    y_test = X_test @ w_true + rng.normal(0, 0.1, n_test)
    out = {}
    for name, w in (("lasso", ista(X, y, lam)), ("ridge", ridge(X, y, lam))):
        out[name] = {"w": w, "zeros": int(np.sum(w == 0)),
                     "found": int(np.sum((w != 0) & (w_true != 0))),
                     "test_mse": float(np.mean((X_test @ w - y_test) ** 2))}
    out["w_true"] = w_true
    return out


# --- weight decay against L2 --------------------------------------------------------------------

def sgd_l2_vs_decay(l2=1e-2, epochs=50):
    """The running network trained twice by plain SGD: with ``fit(l2=...)`` and with
    ``SGD(weight_decay=...)``; returns the largest difference between their weights."""
    split = moons_split()
    models = []
    for kw_fit, kw_opt in (({"l2": l2}, {}), ({}, {"weight_decay": l2})):
        model = make_net()
        nn.fit(model, LOSS, nn.optim.SGD(lr=LR, **kw_opt), split.X_train, split.y_train, epochs=epochs,
               batch_size=None, **kw_fit)
        models.append(model)
    return max(float(np.max(np.abs(p - q))) for (_, p, _), (_, q, _) in
               zip(models[0].named_parameters(), models[1].named_parameters()))


class _Scalar:
    """A one-weight "model" for nnlib's optimizers: its parameter is called W, so that it is decayed."""

    def __init__(self, theta):
        self.p, self.g = np.array([float(theta)]), np.zeros(1)

    def named_parameters(self):
        yield "W", self.p, self.g


def adam_l2_vs_adamw(lams=(1e-4, 1e-2, 1.0), steps=500, lr=1e-3):
    r"""One weight, no data gradient, only the penalty (Loshchilov & Hutter's Prop. 2, a degenerate case):
    Adam on the L2 gradient :math:`\lambda\theta` against Adam with decoupled decay :math:`\lambda`.
    Returns ``{lam: (theta after Adam + L2, theta after AdamW)}``."""
    out = {}
    for lam in lams:
        a, opt_a = _Scalar(1.0), nn.optim.Adam(lr=lr)
        b, opt_b = _Scalar(1.0), nn.optim.Adam(lr=lr, weight_decay=lam)
        for _ in range(steps):
            a.g[:] = lam * a.p                          # the gradient of (lam / 2) theta^2
            opt_a.step(a)
            b.g[:] = 0.0                                # no data gradient: only the decay acts
            opt_b.step(b)
        out[lam] = (float(a.p[0]), float(b.p[0]))
    return out


# --- early stopping -----------------------------------------------------------------------------

@lru_cache(maxsize=2)
def early_stopping_run(epochs=EPOCHS):
    """The unregularized network trained by mini-batch SGD for ``epochs``, the weights of every epoch kept."""
    return train(None, 0.0, epochs=epochs, snapshots=True, minibatches=True)


def replay_early_stopping(val_loss, patience):
    """``(best_epoch, stop_epoch)`` that ``nn.EarlyStopping(patience)`` gives on a recorded validation curve
    (``stop_epoch`` is the last epoch when it never stops)."""
    es = nn.EarlyStopping(patience=patience, restore_best=False)
    for epoch, v in enumerate(val_loss, start=1):
        if es.update(epoch, v, None):
            return es.best_epoch, epoch
    return es.best_epoch, len(val_loss)


def early_stopping_filters(lambdas, eps=0.1, tau=100):
    r"""Goodfellow eqs. 7.40-7.45: per eigen-direction, the fraction of :math:`w^*` that gradient descent
    reaches after :math:`\tau` steps from 0, :math:`1 - (1 - \epsilon\lambda)^\tau`, and that L2 keeps,
    :math:`\lambda / (\lambda + \alpha)` with :math:`\alpha = 1/(\tau\epsilon)`."""
    lam = np.asarray(lambdas, dtype=float)
    alpha = 1.0 / (tau * eps)
    return {"lambda": lam, "early": 1 - (1 - eps * lam) ** tau, "l2": lam / (lam + alpha), "alpha": alpha}


# --- bagging ------------------------------------------------------------------------------------

def bootstrap_coverage(ns=(10, 100, 10_000), repeats=200, seed=0):
    """The mean fraction of distinct rows in a bootstrap sample of n rows, against 1 - (1 - 1/n)^n."""
    rng = nn.make_rng(seed)
    return {n: (float(np.mean([len(np.unique(rng.integers(0, n, n))) / n for _ in range(repeats)])),
                1 - (1 - 1 / n) ** n) for n in ns}


def averaged_error(v=1.0, c=0.3, ks=(1, 2, 4, 8, 16, 32), samples=20_000, seed=0):
    r"""Goodfellow eq. 7.50 measured: k errors of variance v and covariance c; the mean squared error of
    their average against :math:`v/k + (k - 1)c/k`. Returns ``{k: (measured, formula)}``."""
    rng = nn.make_rng(seed)
    out = {}
    for k in ks:
        cov = np.full((k, k), c) + np.eye(k) * (v - c)
        e = rng.multivariate_normal(np.zeros(k), cov, size=samples)
        out[k] = (float(np.mean(e.mean(axis=1) ** 2)), v / k + (k - 1) * c / k)
    return out


@lru_cache(maxsize=4)
def ensemble(bootstrap=True, k=15, seed=3):
    """k members of the running network, trained on bootstrap samples (or all of the training set, when
    ``bootstrap`` is False, differing only by initialization): the ``nn.BaggingEnsemble``."""
    split = moons_split()
    ens = nn.BaggingEnsemble(lambda rng: nn.mlp(SIZES, init=nn.init.he_normal, rng=rng), make_opt, LOSS,
                             n_models=k, bootstrap=bootstrap)
    return ens.fit(split.X_train, split.y_train, rng=nn.make_rng(seed), epochs=EPOCHS, batch_size=None)


def ensemble_curve(ens, X, y):
    """Test error and loss of the average of the first k members, for k = 1 .. len(ens.models), each
    member's own error, and the fraction of points that every member gets wrong."""
    probs = np.stack([nn.softmax(nn.predict(m, X)) for m in ens.models])
    running = np.cumsum(probs, axis=0) / np.arange(1, len(probs) + 1)[:, None, None]
    return {"ensemble": 1 - np.mean(running.argmax(axis=2) == y, axis=1),
            "members": 1 - np.mean(probs.argmax(axis=2) == y, axis=1),
            "all_wrong": float(np.mean(np.all(probs.argmax(axis=2) != y, axis=0))),
            "ensemble_loss": np.array([float(np.mean(-np.log(p[np.arange(len(y)), y] + 1e-300)))
                                       for p in running])}
