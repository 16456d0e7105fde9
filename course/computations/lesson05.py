r"""Lesson 05 (optimizers): 2-D test surfaces, optimizer paths, momentum's rates, and the digits runs.

Every path is made by nnlib's own optimizers (``nn.optim.SGD``, ``AdaGrad``, ``RMSProp``, ``Adam``):
a 2-D surface is handed to them as a tiny "model", :class:`Point`, whose one parameter is the
position ``xy``, so the formulas of the update rules live in one place, ``nnlib/optim.py``.

* :data:`SURFACES`: four surfaces (an ill-conditioned quadratic, a curved valley, a saddle, two minima);
  :func:`run_optimizer` runs an optimizer on one of them.
* :func:`quadratic_iterations`, :func:`momentum_rate`, :func:`optimal_alpha`: gradient descent and heavy-ball
  momentum on the diagonal quadratic with eigenvalues 1 and kappa (Goh 2017, "Why Momentum Really Works").
* :func:`gradient_noise` and :func:`batch_size_runs`: mini-batches on the shipped 8x8 digits.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

import nnlib as nn

BOX = 1e6          # a position with a coordinate beyond this has left the picture for good (divergence)


# --- surfaces -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface: ``f(xy)`` for xy of shape (..., 2) (vectorised for contour grids),
    ``grad(xy)`` of shape (2,), a ``start``, the ``extent`` (xmin, xmax, ymin, ymax) to draw,
    ``minima`` (k, 2) to mark and ``f_min``, the lowest value of f (``-inf`` if unbounded below)."""
    name: str
    f: Callable
    grad: Callable
    start: np.ndarray
    extent: tuple
    minima: np.ndarray
    f_min: float
    note: str = ""
    params: dict = field(default_factory=dict)

    def __repr__(self):
        return f"Surface({self.name!r}, start={tuple(self.start)}, f_min={self.f_min:.4g})"


def quadratic(kappa=25.0, start=(-4.0, 1.0), extent=(-5.0, 5.0, -2.0, 2.0)):
    r"""The diagonal quadratic :math:`f = (x^2 + \kappa y^2)/2`: curvatures 1 and kappa, minimum 0 at 0."""
    kappa = float(kappa)

    def f(xy):
        xy = np.asarray(xy)
        return 0.5 * (xy[..., 0] ** 2 + kappa * xy[..., 1] ** 2)

    def grad(xy):
        return np.array([xy[0], kappa * xy[1]])

    return Surface(f"quadratic, kappa = {kappa:g}", f, grad, np.array(start, float), extent,
                   np.zeros((1, 2)), 0.0, note=f"curvatures 1 and {kappa:g}", params={"kappa": kappa})


ROSENBROCK_B = 10.0


def rosenbrock(b=ROSENBROCK_B):
    r"""The curved valley :math:`f = (1 - x)^2 + b (y - x^2)^2` (Rosenbrock 1960 has b = 100;
    b = 10 keeps the valley curved but lets sensible learning rates reach (1, 1) in about 200 steps)."""
    def f(xy):
        xy = np.asarray(xy)
        x, y = xy[..., 0], xy[..., 1]
        return (1 - x) ** 2 + b * (y - x ** 2) ** 2

    def grad(xy):
        x, y = xy
        r = y - x * x
        return np.array([-2 * (1 - x) - 4 * b * x * r, 2 * b * r])

    return Surface("curved valley (Rosenbrock)", f, grad, np.array([-1.5, 2.0]), (-2.0, 2.0, -1.0, 3.0),
                   np.array([[1.0, 1.0]]), 0.0, note=f"(1 - x)^2 + {b:g} (y - x^2)^2", params={"b": b})


def saddle():
    r"""The saddle :math:`f = x^2 - y^2`: a minimum along x, a maximum along y, unbounded below."""
    def f(xy):
        xy = np.asarray(xy)
        return xy[..., 0] ** 2 - xy[..., 1] ** 2

    def grad(xy):
        return np.array([2 * xy[0], -2 * xy[1]])

    return Surface("saddle", f, grad, np.array([1.0, 1e-3]), (-1.5, 1.5, -1.5, 1.5),
                   np.zeros((1, 2)), -np.inf,
                   note="x^2 - y^2, unbounded below")


def two_minima(tilt=0.3):
    r""":math:`f = (x^2 - 1)^2 + 2 y^2 + 0.3 x`: a shallow local minimum near x = 0.96 and the deeper
    global one near x = -1.04 (both at y = 0)."""
    def f(xy):
        xy = np.asarray(xy)
        x, y = xy[..., 0], xy[..., 1]
        return (x ** 2 - 1) ** 2 + 2 * y ** 2 + tilt * x

    def grad(xy):
        x, y = xy
        return np.array([4 * x * (x * x - 1) + tilt, 4 * y])

    roots = np.roots([4.0, 0.0, -4.0, tilt])                     # f'(x) = 4x^3 - 4x + tilt
    roots = np.sort(roots[np.abs(roots.imag) < 1e-12].real)
    minima = np.array([[roots[0], 0.0], [roots[-1], 0.0]])       # the middle root is the barrier's top
    return Surface("two minima", f, grad, np.array([1.7, 1.2]), (-2.0, 2.0, -1.5, 1.5), minima,
                   float(f(minima).min()), note=f"(x^2 - 1)^2 + 2 y^2 + {tilt:g} x: global minimum at x < 0",
                   params={"tilt": tilt})


SURFACES = {
    "ill-conditioned quadratic": quadratic(25.0),
    "curved valley (Rosenbrock)": rosenbrock(),
    "saddle": saddle(),
    "two minima": two_minima(),
}


# --- optimizers on a surface --------------------------------------------------------------------

class Point:
    """A one-parameter "model" for nnlib's optimizers: the position ``xy`` (2,) and its gradient ``g``."""

    def __init__(self, xy):
        self.xy = np.array(xy, dtype=np.float64).reshape(2)
        self.g = np.zeros(2)

    def named_parameters(self):
        """Yield the one ``(name, param, grad)`` triple, as ``nn.Sequential.named_parameters`` does."""
        yield "xy", self.xy, self.g

    def __repr__(self):
        return f"Point(xy={self.xy.tolist()})"


OPTIMIZERS = ("SGD", "momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam")


def make_optimizer(name, lr, momentum=0.9, beta1=0.9, beta2=0.999, rho=None):
    """One of :data:`OPTIMIZERS` as an nnlib optimizer. RMSProp's decay is ``rho`` (default: ``beta2``)."""
    if name == "SGD":
        return nn.optim.SGD(lr=lr)
    if name == "momentum":
        return nn.optim.SGD(lr=lr, momentum=momentum)
    if name == "Nesterov":
        return nn.optim.SGD(lr=lr, momentum=momentum, nesterov=True)
    if name == "AdaGrad":
        return nn.optim.AdaGrad(lr=lr)
    if name == "RMSProp":
        return nn.optim.RMSProp(lr=lr, rho=beta2 if rho is None else rho)
    if name == "Adam":
        return nn.optim.Adam(lr=lr, beta1=beta1, beta2=beta2)
    raise ValueError(f"make_optimizer expected one of {OPTIMIZERS}, got {name!r}.")


def run_optimizer(opt, surface, steps, start=None):
    """Run ``opt`` (an nnlib optimizer, reset first) for ``steps`` steps on ``surface``.

    Returns ``(positions, losses)`` of shapes (steps + 1, 2) and (steps + 1,), the start included.
    A run whose position leaves the box ``|x|, |y| <= BOX`` (or becomes NaN) stops there: the
    remaining rows are NaN, so a diverging learning rate is safe to try and easy to detect.
    """
    if isinstance(surface, str):
        surface = SURFACES[surface]
    steps = int(steps)
    opt.reset()
    point = Point(surface.start if start is None else start)
    positions = np.full((steps + 1, 2), np.nan)
    positions[0] = point.xy
    grad, xy, g = surface.grad, point.xy, point.g
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            g[:] = grad(xy)
            opt.step(point)
            if not (abs(xy[0]) <= BOX and abs(xy[1]) <= BOX):   # False for NaN too
                break
            positions[k] = xy
        losses = surface.f(positions)
    return positions, losses


def paths(surface, names=OPTIMIZERS, lr=0.05, steps=200, **params):
    """``{name: (positions, losses)}`` for each optimizer name, all with the same ``lr`` and ``params``
    (``momentum``, ``beta1``, ``beta2``: see :func:`make_optimizer`)."""
    return {name: run_optimizer(make_optimizer(name, lr, **params), surface, steps) for name in names}


# --- gradient descent and momentum on the quadratic (Goh 2017) ----------------------------------

def optimal_momentum(kappa):
    r"""Goh's optimal heavy ball on eigenvalues 1 and kappa: ``(alpha, beta, rate)`` with
    :math:`\alpha^* = (2/(1 + \sqrt\kappa))^2`, :math:`\beta^* = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2`,
    rate :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`."""
    s = np.sqrt(kappa)
    return (2 / (1 + s)) ** 2, ((s - 1) / (s + 1)) ** 2, (s - 1) / (s + 1)


def optimal_alpha(beta, kappa):
    r"""The learning rate that minimizes the heavy ball's asymptotic rate for a given beta.

    Below :math:`\beta^*` the two extreme eigen-directions are balanced,
    :math:`\alpha = 2(1+\beta)/(1+\kappa)` (beta = 0: gradient descent's :math:`2/(1+\kappa)`); from
    :math:`\beta^*` on every
    :math:`\alpha \in [(1-\sqrt\beta)^2, (1+\sqrt\beta)^2/\kappa]` gives the rate :math:`\sqrt\beta`,
    and we take the geometric middle of that interval, :math:`(1-\beta)/\sqrt\kappa`.
    """
    beta_star = optimal_momentum(kappa)[1]
    return 2 * (1 + beta) / (1 + kappa) if beta < beta_star else (1 - beta) / np.sqrt(kappa)


def momentum_rate(alpha, beta, kappa):
    r"""The asymptotic rate of heavy-ball momentum on eigenvalues 1 and kappa: the largest
    :math:`|\text{eigenvalue}|` of the iteration matrices :math:`\begin{pmatrix}\beta & -\alpha\lambda\\
    \beta & 1 - \alpha\lambda\end{pmatrix}` acting on (v, x), for :math:`\lambda \in \{1, \kappa\}`
    (nnlib's form :math:`v \leftarrow \beta v - \alpha\lambda x,\ x \leftarrow x + v`).
    Above 1: divergence."""
    lam = np.array([1.0, float(kappa)])
    b = 1 + beta - alpha * lam                                   # roots of z^2 - b z + beta = 0
    disc = np.sqrt((b * b - 4 * beta).astype(complex))
    return float(np.max(np.maximum(np.abs((b + disc) / 2), np.abs((b - disc) / 2))))


def quadratic_iterations(kappa, method="gd", tol=1e-6, lr=None, momentum=None, max_iter=1_000_000):
    r"""Iterations needed to shrink :math:`\|x\|` below ``tol`` :math:`\|x_0\|` on the diagonal quadratic
    with eigenvalues 1 and kappa, from :math:`x_0 = (1, 1)`, with nnlib's ``SGD``.

    ``method="gd"``: gradient descent at ``lr`` (default the optimal :math:`2/(1+\kappa)`, EX1: 691 at
    kappa = 100). ``method="momentum"``: heavy ball at ``lr`` and ``momentum`` (default Goh's optimum,
    EX2: 93 at kappa = 100). nnlib's :math:`v \leftarrow \mu v - \alpha g,\ \theta \leftarrow \theta + v`
    is Goh's :math:`z \leftarrow \beta z + g,\ w \leftarrow w - \alpha z` with :math:`v = -\alpha z`: the
    same path. Returns ``max_iter`` if the tolerance is not reached (a diverging run, say).
    """
    s = quadratic(kappa)
    if method == "gd":
        opt = nn.optim.SGD(lr=2 / (1 + kappa) if lr is None else lr)
    elif method == "momentum":
        a_star, b_star, _ = optimal_momentum(kappa)
        opt = nn.optim.SGD(lr=a_star if lr is None else lr, momentum=b_star if momentum is None else momentum)
    else:
        raise ValueError(f"quadratic_iterations expected method 'gd' or 'momentum', got {method!r}.")
    point = Point((1.0, 1.0))
    target = tol * np.linalg.norm(point.xy)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, max_iter + 1):
            point.g[:] = s.grad(point.xy)
            opt.step(point)
            norm = np.hypot(*point.xy)
            if norm <= target:
                return k
            if not norm < BOX:
                break
    return max_iter


def gd_on_parabola(alpha_lambdas=(0.1, 1.0, 1.7, 2.1), steps=30, lam=1.0, x0=1.0):
    r"""``{alpha*lambda: x_k}`` (steps + 1 values, signed) for gradient descent (nnlib's SGD) on
    :math:`f = \lambda x^2/2` from x0:
    :math:`x_{k+1} = (1 - \alpha\lambda) x_k` crawls (0.1), lands in one step (1), oscillates while
    converging (1.7: the sign flips every step) or diverges (2.1)."""
    out = {}
    for al in alpha_lambdas:
        opt, point = nn.optim.SGD(lr=al / lam), Point((x0, 0.0))
        xs = [x0]
        for _ in range(steps):
            point.g[:] = (lam * point.xy[0], 0.0)
            opt.step(point)
            xs.append(point.xy[0])
        out[al] = np.array(xs)
    return out


# --- mini-batches on the digits -----------------------------------------------------------------

def digits_split(seed=0):
    """The shipped digits, split 60/20/20 (stratified, seeded) and standardized with the training
    statistics: ``(X_train, y_train, X_val, y_val)``."""
    X, y = nn.datasets.load_digits()
    X_tr, y_tr, X_val, y_val, _, _ = nn.datasets.train_val_test_split(X, y, 0.2, 0.2, rng=nn.make_rng(seed),
                                                                      stratify=True)
    X_tr, X_val = nn.datasets.standardize(X_tr, X_val)
    return X_tr, y_tr, X_val, y_val


def small_mlp(seed=0, sizes=(64, 32, 10)):
    """The lesson's small digits network: ReLU, He-normal weights from ``nn.make_rng(seed)``."""
    return nn.mlp(list(sizes), activation=nn.ReLU, init=nn.init.he_normal, rng=nn.make_rng(seed))


def _flat_grad(model):
    return np.concatenate([g.ravel() for _, _, g in model.named_parameters()])


def _gradient(model, loss_fn, X, y):
    model.zero_grad()
    loss_fn(model(X), y)
    model.backward(loss_fn.backward())
    return _flat_grad(model)


def gradient_noise(batch_sizes, repeats, rng, data=None, seed=0):
    r"""How far a mini-batch gradient lies from the full-batch one, for a fixed small network.

    The network is :func:`small_mlp` (at its initialization) on the training digits. For each B,
    ``repeats`` mini-batches of B examples are drawn without replacement from ``rng``, and the
    gradient of the mean cross-entropy on each is measured with the model's own backward pass.

    Returns a dict: ``batch_sizes`` (array), ``spread`` :math:`E\|g_B - g\|^2` (one per B), ``sigma2``
    :math:`\sigma^2 = \frac1N \sum_i \|g_i - g\|^2` from the N per-example gradients, ``N``, and the
    predictions ``iid`` :math:`\sigma^2/B` and ``without_replacement``
    :math:`\frac{\sigma^2}{B}\frac{N - B}{N - 1}` (Goodfellow et al. 2016, sec. 8.1.3; exact for a
    sample drawn without replacement).
    """
    X, y = (digits_split()[:2] if data is None else data)
    N = len(X)
    model, loss_fn = small_mlp(seed), nn.SoftmaxCrossEntropy()
    g_full = _gradient(model, loss_fn, X, y)
    G = np.stack([_gradient(model, loss_fn, X[i:i + 1], y[i:i + 1]) for i in range(N)])
    sigma2 = float(np.mean(np.sum((G - g_full) ** 2, axis=1)))
    B = np.array([int(b) for b in batch_sizes])
    spread = []
    for b in B:
        d = [_gradient(model, loss_fn, X[idx], y[idx]) - g_full
             for idx in (rng.choice(N, size=b, replace=False) for _ in range(repeats))]
        spread.append(float(np.mean(np.sum(np.square(d), axis=1))))
    return {"batch_sizes": B, "spread": np.array(spread), "sigma2": sigma2, "N": N,
            "iid": sigma2 / B, "without_replacement": sigma2 / B * (N - B) / (N - 1)}


def batch_size_runs(batch_sizes, epochs=4, lr=0.05, rng=None, data=None, evals_per_epoch=20):
    """Train the same small MLP (:func:`small_mlp`, plain ``nn.optim.SGD(lr)``) with each batch size.

    Every run starts from the same weights and shuffles with its own copy of one seed drawn from
    ``rng``, so the runs differ only in B. Each epoch is one permutation cut into consecutive
    batches (``nn.iterate_minibatches``; the last one may be smaller).

    Returns ``{B: run}``, each run a dict of arrays: ``loss`` (the mini-batch loss before each
    step), ``examples`` and ``seconds`` (examples seen and training wall time, by
    ``time.perf_counter``, after each step), ``eval_step``/``eval_examples``/``eval_seconds``/
    ``eval_loss`` (the loss on the whole training split at about ``evals_per_epoch`` points per
    epoch and 30 log-spaced steps, step 0 included; not counted in the time), ``epoch_seconds``
    (per epoch) and ``steps_per_epoch``.
    """
    if rng is None:
        raise TypeError("batch_size_runs needs rng=nn.make_rng(seed): it draws the shuffling seed from it.")
    X, y = (digits_split()[:2] if data is None else data)
    N = len(X)
    seed = int(rng.integers(2 ** 31))
    loss_fn = nn.SoftmaxCrossEntropy()
    runs = {}
    for B in batch_sizes:
        B = int(B)
        model, order_rng = small_mlp(), nn.make_rng(seed)
        opt = nn.optim.SGD(lr=lr)
        per_epoch = -(-N // B)
        every = max(1, per_epoch // evals_per_epoch)
        early = set(np.geomspace(1, per_epoch * epochs, 30).astype(int).tolist())   # for log step axes
        losses, examples, seconds, epoch_seconds = [], [], [], []
        ev = {"eval_step": [0], "eval_examples": [0], "eval_seconds": [0.0],
              "eval_loss": [loss_fn(model(X), y)]}
        seen, elapsed, step = 0, 0.0, 0
        for _ in range(epochs):
            epoch_start = elapsed
            for Xb, yb in nn.iterate_minibatches(X, y, B, rng=order_rng):
                t0 = time.perf_counter()
                model.zero_grad()
                loss = loss_fn(model(Xb), yb)
                model.backward(loss_fn.backward())
                opt.step(model)
                elapsed += time.perf_counter() - t0
                step += 1
                seen += len(yb)
                losses.append(loss)
                examples.append(seen)
                seconds.append(elapsed)
                if step % every == 0 or step % per_epoch == 0 or step in early:
                    for k, v in zip(ev, (step, seen, elapsed, loss_fn(model(X), y))):
                        ev[k].append(v)
            epoch_seconds.append(elapsed - epoch_start)
        runs[B] = {"loss": np.array(losses), "examples": np.array(examples), "seconds": np.array(seconds),
                   "epoch_seconds": np.array(epoch_seconds), "steps_per_epoch": per_epoch,
                   **{k: np.array(v) for k, v in ev.items()}}
    return runs


LEARNING_RATES = {"SGD": (0.03, 0.1, 0.3, 1.0), "momentum": (0.01, 0.03, 0.1, 0.3),
                  "Nesterov": (0.01, 0.03, 0.1, 0.3), "AdaGrad": (0.03, 0.1, 0.3, 1.0),
                  "RMSProp": (1e-3, 3e-3, 1e-2, 3e-2), "Adam": (1e-3, 3e-3, 1e-2, 3e-2)}


def compare_optimizers(X_train, y_train, X_val, y_val, epochs=20, rng=None, learning_rates=None, seed=1):
    """Train the same network (``small_mlp(seed)``, the same shuffles) with every optimizer at each
    of its learning rates (``LEARNING_RATES``: four per optimizer, momentum 0.9), mini-batches of
    32, and keep, per optimizer, the run with the lowest final training loss (runs that diverge are
    skipped): ``{name: {"lr", "train_loss" (per epoch), "val_acc"}}``. ``rng`` seeds the shuffles
    (the same stream for every run)."""
    shuffle_seed = int((nn.make_rng(0) if rng is None else rng).integers(2**31))
    best = {}
    for name, lrs in (learning_rates or LEARNING_RATES).items():
        for lr in lrs:
            model = small_mlp(seed)
            h = nn.fit(model, nn.SoftmaxCrossEntropy(), make_optimizer(name, lr), X_train, y_train,
                       epochs=epochs, batch_size=32, rng=nn.make_rng(shuffle_seed), on_divergence="stop")
            if h.diverged:
                continue
            if name not in best or h.train_loss[-1] < best[name]["train_loss"][-1]:
                best[name] = {"lr": lr, "train_loss": np.array(h.train_loss),
                              "val_acc": nn.accuracy(model(X_val), y_val)}
    return best
