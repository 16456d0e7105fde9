"""Figures for the lessons: decision surfaces, loss curves, per-layer histograms, loss surfaces, fits.

Each function draws into ``ax`` (or ``axes``), else into a new figure (5 x 4 inches per panel),
and returns a dataclass with the axes and artists it made; its ``update`` method changes their
data in place, so a widget re-renders one kept figure. No rcParams are changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np

from ._validate import as_2d_float, as_labels
from .functional import _softmax
from .inspect import collect_activations_and_grads
from .training import predict

__all__ = ["decision_boundary", "loss_curves", "layer_histograms", "loss_surface", "regression_fit",
           "collect_activations_and_grads", "BoundaryPlot", "CurvePlot", "HistogramPlot",
           "SurfacePlot", "FitPlot"]

PANEL = (5, 4)
TITLE, LABEL, TICK, NOTE = 12, 11, 10, 9


def _new_axes(ax):
    """``(ax, False)``, or ``(Axes of a new figure, True)``; no layout engine (it reruns at every draw)."""
    return (plt.subplots(figsize=PANEL)[1], True) if ax is None else (ax, False)


def _style(ax, xlabel, ylabel, title, tight=False):
    ax.set_xlabel(xlabel, fontsize=LABEL)
    ax.set_ylabel(ylabel, fontsize=LABEL)
    ax.set_title(title, fontsize=TITLE)
    ax.tick_params(labelsize=TICK)
    if tight:
        ax.figure.tight_layout()  # once, for a figure we made, instead of at every redraw


def _class_colors(n_classes):
    cmap = plt.get_cmap("tab10" if n_classes <= 10 else "tab20")
    return np.array([cmap(c % cmap.N) for c in range(n_classes)])


@dataclass
class BoundaryPlot:
    """What :func:`decision_boundary` drew; ``update(model)`` recomputes the surface in place."""
    ax: object
    image: object          # AxesImage from imshow
    scatter: object        # PathCollection of the data points
    grid: np.ndarray       # (resolution**2, 2) cell centres where the model is evaluated, row-major
    extent: tuple          # (x_min, x_max, y_min, y_max) of the image
    resolution: int
    n_classes: int

    def surface(self, model):
        """The image array for ``model``: P(class 1), (R, R), for C = 2; RGBA (R, R, 4) for C > 2."""
        probs = _softmax(predict(model, self.grid))   # unchecked: a diverged model shows NaN
        if probs.shape[1] != self.n_classes:
            raise ValueError(f"BoundaryPlot.update expected a model with {self.n_classes} outputs (as "
                             f"when the plot was made), got {probs.shape[1]}; draw a new plot.")
        R, C = self.resolution, self.n_classes
        if C == 2:
            return probs[:, 1].reshape(R, R)
        rgba = _class_colors(C)[probs.argmax(axis=1)]
        confidence = (probs.max(axis=1) - 1 / C) / (1 - 1 / C)   # 0 at chance level, 1 when certain
        rgba[:, 3] = 0.15 + 0.7 * confidence
        return rgba.reshape(R, R, 4)

    def update(self, model):
        """Show the surface of ``model`` (e.g. after more training); returns the image."""
        self.image.set_data(self.surface(model))
        return self.image

    def set_points(self, X, y):
        """Show other data points ``X`` (N, 2) with labels ``y`` (N,), coloured as the first ones."""
        X = as_2d_float(X, "X", "BoundaryPlot.set_points")
        y = as_labels(y, self.n_classes, "y", "BoundaryPlot.set_points", n_samples=len(X))
        self.scatter.set_offsets(X)
        self.scatter.set_facecolors(_point_colors(y, self.n_classes))
        return self.scatter


def _point_colors(y, n_classes):
    """Colours of labelled points: for two classes the ends of the surface's map (class 1 red)."""
    return plt.get_cmap("RdBu_r")([0.1, 0.9])[y] if n_classes == 2 else _class_colors(n_classes)[y]


def decision_boundary(model, X, y, ax=None, resolution=100, padding=0.5, colorbar=True, extent=None):
    """Draw a classifier's probability surface over the plane, with the data points on top.

    Parameters
    ----------
    model : Sequential classifier with 2 inputs and C >= 2 outputs (logits).
    X, y : arrays (N, 2) of points and (N,) of labels in 0..C-1; X also sets the region drawn.
    ax : matplotlib Axes, optional
    resolution : int, the surface is evaluated on a ``resolution`` x ``resolution`` grid.
    padding : float, margin around the data on every side, in data units.
    colorbar : bool, add a colour bar for P(class 1) (C = 2 only).
    extent : (x_min, x_max, y_min, y_max), optional
        The region drawn, instead of the data's box plus ``padding`` (e.g. one frame for several
        data sets, whose points ``BoundaryPlot.set_points`` then swaps).

    Returns
    -------
    BoundaryPlot with ``image`` (imshow), ``scatter``, ``grid``, ``extent``, ``update(model)``,
    ``set_points(X, y)``.

    Notes
    -----
    C = 2: P(class 1) = softmax(logits)[:, 1], blue 0, white 0.5 (the boundary), red 1. C > 2: the
    predicted class, more opaque where the model is more confident. An imshow, not a contourf:
    updating it is about twice as fast.

    Examples
    --------
    >>> bp = nn.plot.decision_boundary(model, X, y); bp.update(model)  # doctest: +SKIP
    """
    X = as_2d_float(X, "X", "decision_boundary")
    if X.shape[1] != 2:
        raise ValueError(f"decision_boundary expected X of shape (N, 2) (a plane to draw on), got "
                         f"{X.shape}; pick two features, e.g. X[:, :2].")
    C = model.n_out
    if C is None or C < 2:
        raise ValueError(f"decision_boundary expected a classifier with C >= 2 outputs, got n_out={C}; "
                         f"for regression use nn.plot.regression_fit.")
    y = as_labels(y, C, "y", "decision_boundary", n_samples=len(X))
    R = int(resolution)
    if extent is None:
        lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    else:
        if len(extent) != 4 or not (extent[0] < extent[1] and extent[2] < extent[3]):
            raise ValueError(f"decision_boundary expected extent (x_min, x_max, y_min, y_max) with "
                             f"x_min < x_max and y_min < y_max, got {extent!r}.")
        lo, hi = np.array(extent[::2], dtype=float), np.array(extent[1::2], dtype=float)
    xx, yy = np.meshgrid(*[lo[d] + (np.arange(R) + 0.5) * (hi[d] - lo[d]) / R for d in range(2)])
    extent = (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))
    ax, new = _new_axes(ax)
    bp = BoundaryPlot(ax, None, None, np.column_stack([xx.ravel(), yy.ravel()]), extent, R, C)
    shown = dict(origin="lower", extent=extent, aspect="auto", interpolation="bilinear")
    if C == 2:
        bp.image = ax.imshow(bp.surface(model), cmap="RdBu_r", vmin=0, vmax=1, alpha=0.6, **shown)
        if colorbar:
            cbar = ax.figure.colorbar(bp.image, ax=ax, fraction=0.05, ticks=[0, 0.5, 1])
            cbar.set_label("P(class 1)", fontsize=LABEL)
            cbar.ax.tick_params(labelsize=TICK)
        title = "P(class 1): blue 0, red 1"
    else:
        bp.image = ax.imshow(bp.surface(model), **shown)
        title = f"predicted class ({C} classes)"
    colors = _point_colors(y, C)
    bp.scatter = ax.scatter(X[:, 0], X[:, 1], c=colors, s=18, edgecolors="k", linewidths=0.5)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    _style(ax, "x1", "x2", title, new)
    return bp


def _metric_values(history, metric):
    if metric not in ("loss", "acc"):
        raise ValueError(f"loss_curves expected metric 'loss' or 'acc', got {metric!r}.")
    return [np.array([np.nan if v is None else v for v in getattr(history, f"{part}_{metric}")],
                     dtype=np.float64) for part in ("train", "val")]


@dataclass
class CurvePlot:
    """What :func:`loss_curves` drew; ``update(history)`` refreshes the lines in place."""
    ax: object
    train: object          # Line2D
    val: object            # Line2D (empty without validation data)
    best: object | None    # vertical Line2D at history.best_epoch, or None
    metric: str

    def update(self, history):
        """Show ``history``'s curves (and best epoch), then rescale the axes."""
        for line, values in zip((self.train, self.val), _metric_values(history, self.metric)):
            line.set_data(np.arange(1, len(values) + 1), values)
        if self.best is not None:
            self.best.set_xdata([np.nan if history.best_epoch is None else history.best_epoch] * 2)
        self.ax.relim()
        self.ax.autoscale_view()
        return self


def loss_curves(history, ax=None, metric="loss"):
    """Plot the training and validation curves per epoch of a :class:`nnlib.History`.

    Parameters
    ----------
    history : nnlib.History from ``nn.fit`` (``train_loss``, ``val_loss``, ``train_acc``,
        ``val_acc``, and ``best_epoch``, 1-based, set by early stopping).
    ax : matplotlib Axes, optional
    metric : {"loss", "acc"}, the mean loss over the set, or the accuracy (None entries are gaps).

    Returns
    -------
    CurvePlot with lines ``train``, ``val`` (x = epoch, from 1), ``best`` (dashed, at
    ``best_epoch``; None if unset) and ``update(history)``.

    Examples
    --------
    >>> cp = nn.plot.loss_curves(history, metric="acc")  # doctest: +SKIP
    """
    train, val = _metric_values(history, metric)
    ax, new = _new_axes(ax)
    name = "loss" if metric == "loss" else "accuracy"
    t_line, = ax.plot(np.arange(1, len(train) + 1), train, color="C0", lw=2, label=f"train {name}")
    v_line, = ax.plot(np.arange(1, len(val) + 1), val, color="C1", lw=2, label=f"validation {name}")
    best = None
    if history.best_epoch is not None:
        best = ax.axvline(history.best_epoch, color="0.3", ls="--", lw=1.2,
                          label=f"best epoch ({history.best_epoch})")
    ax.legend(fontsize=NOTE)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))   # epochs are whole numbers
    _style(ax, "epoch", name, f"{name} per epoch", new)
    return CurvePlot(ax, t_line, v_line, best, metric)


@dataclass
class HistogramPlot:
    """What :func:`layer_histograms` drew; ``update(values)`` refills the bars in place."""
    axes: list
    patches: list          # one StepPatch per layer
    texts: list            # the "mean / std" note of each layer
    edges: np.ndarray      # bin edges, shared by every layer

    def update(self, values):
        """Count ``values`` (one array per layer) into the same bins and rescale each y axis."""
        if len(values) != len(self.axes):
            raise ValueError(f"HistogramPlot.update expected {len(self.axes)} arrays (one per layer), "
                             f"got {len(values)}.")
        for ax, patch, text, v in zip(self.axes, self.patches, self.texts, values):
            v = np.asarray(v, dtype=np.float64).ravel()
            counts, _ = np.histogram(v[np.isfinite(v)], bins=self.edges)
            patch.set_data(counts, self.edges)
            text.set_text(f"mean {np.mean(v):.3g}\nstd {np.std(v):.3g}" if v.size else "empty")
            ax.set_ylim(0, 1.6 * max(1, counts.max(initial=0)))   # headroom: the note sits above the bars
        return self


def layer_histograms(values, axes=None, title="activations", bins=50, range=None):
    """One histogram per layer, side by side on a shared x range (small multiples).

    Parameters
    ----------
    values : list of arrays, one per layer (any shape, flattened), e.g. the activations or the
        gradients returned by :func:`collect_activations_and_grads`.
    axes : sequence of matplotlib Axes, one per layer, optional (default: a new row of panels).
    title : str, what the values are: the x label, and the title of a new figure.
    bins : int, number of bins, the same for every layer.
    range : (float, float), optional, the shared x range; default: the smallest and largest
        finite value over all layers. Values outside are not counted (mean and std use all).

    Returns
    -------
    HistogramPlot with ``axes`` (titled "layer 1", "layer 2", ...), ``patches`` (StepPatch),
    ``texts``, ``edges`` and ``update(values)``.

    Examples
    --------
    >>> hp = nn.plot.layer_histograms(grads, title="dL/da")  # doctest: +SKIP
    """
    values = [np.asarray(v, dtype=np.float64).ravel() for v in values]
    if not values:
        raise ValueError("layer_histograms expected a non-empty list of arrays, one per layer.")
    if range is None:
        finite = np.concatenate([v[np.isfinite(v)] for v in values])
        lo, hi = (finite.min(), finite.max()) if finite.size else (-1.0, 1.0)
        range = (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)
    new = axes is None
    if new:
        L = len(values)
        fig, axes = plt.subplots(1, L, figsize=(min(16, max(5, 3 * L)), 3.2), squeeze=False)
        fig.suptitle(title, fontsize=TITLE)
    axes = list(np.ravel(axes))
    if len(axes) != len(values):
        raise ValueError(f"layer_histograms expected one axes per layer ({len(values)}), got "
                         f"{len(axes)}; pass axes=None to make them.")
    edges = np.linspace(float(range[0]), float(range[1]), int(bins) + 1)
    patches, texts = [], []
    for i, ax in enumerate(axes):
        patches.append(ax.stairs(np.zeros(len(edges) - 1), edges, fill=True, color="C0", alpha=0.8))
        texts.append(ax.text(0.97, 0.95, "", transform=ax.transAxes, ha="right", va="top",
                             fontsize=NOTE, bbox=dict(fc="white", ec="none", alpha=0.7)))
        ax.set_xlim(edges[0], edges[-1])
        _style(ax, title, "count" if i == 0 else "", f"layer {i + 1}", new and i == len(axes) - 1)
    return HistogramPlot(axes, patches, texts, edges).update(values)


def _as_path(path, name):
    path = np.asarray(path, dtype=np.float64)
    if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
        raise ValueError(f"loss_surface expected path {name!r} of shape (T, 2) (one (w1, w2) row per "
                         f"step), got shape {path.shape}.")
    return path


@dataclass
class SurfacePlot:
    """What :func:`loss_surface` drew; ``set_path(name, path)`` moves one optimizer path."""
    ax: object
    contour: object                              # ContourSet
    lines: dict = field(default_factory=dict)    # name -> Line2D through the whole path
    starts: dict = field(default_factory=dict)   # name -> Line2D, a circle at the first point
    ends: dict = field(default_factory=dict)     # name -> Line2D, a star at the last point

    def set_path(self, name, path):
        """Replace the points of the path called ``name`` by ``path`` (T, 2); returns its line."""
        path = _as_path(path, name)
        self.lines[name].set_data(path[:, 0], path[:, 1])
        self.starts[name].set_data(path[:1, 0], path[:1, 1])
        self.ends[name].set_data(path[-1:, 0], path[-1:, 1])
        return self.lines[name]


def loss_surface(f, xlim, ylim, ax=None, resolution=100, paths=None, levels=30):
    """Contour plot of a loss of two weights, with optimizer paths on top.

    Parameters
    ----------
    f : callable, vectorized: ``f(W1, W2)`` takes two (R, R) arrays of weights and returns the
        (R, R) array of losses.
    xlim, ylim : (float, float), ranges of the first and the second weight.
    ax : matplotlib Axes, optional
    resolution : int, grid points per axis (R).
    paths : dict of name -> array (T, 2), optional, the weights after each step of an optimizer;
        drawn as a line from a circle (start) to a star (end), named in the legend.
    levels : int or array, contour levels for ``Axes.contour`` (log-spaced suit steep valleys).

    Returns
    -------
    SurfacePlot with ``contour``, dicts ``lines``, ``starts``, ``ends`` by path name, ``set_path``.

    Examples
    --------
    >>> sp = nn.plot.loss_surface(lambda w1, w2: w1**2 + 10 * w2**2, (-2, 2), (-1, 1),
    ...                           paths={"SGD": np.array([[-1.5, 0.8], [0.3, -0.5], [0, 0]])})
    """
    W1, W2 = np.meshgrid(np.linspace(*xlim, int(resolution)), np.linspace(*ylim, int(resolution)))
    Z = np.asarray(f(W1, W2), dtype=np.float64)
    if Z.shape != W1.shape:
        raise ValueError(f"loss_surface expected f(W1, W2) to return shape {W1.shape} (one loss per "
                         f"grid point), got {Z.shape}; write f with elementwise NumPy operations "
                         f"(or wrap it in np.vectorize).")
    ax, new = _new_axes(ax)
    contour = ax.contour(W1, W2, np.ma.masked_invalid(Z), levels=levels, cmap="viridis",
                         linewidths=0.8)
    sp = SurfacePlot(ax, contour)
    for i, (name, path) in enumerate((paths or {}).items()):
        color = f"C{i % 10}"
        sp.lines[name], = ax.plot([], [], color=color, lw=1.8, label=name)
        sp.starts[name], = ax.plot([], [], "o", color=color, mec="k", ms=7)
        sp.ends[name], = ax.plot([], [], "*", color=color, mec="k", ms=12)
        sp.set_path(name, path)
    if paths:
        ax.legend(fontsize=NOTE, loc="upper right")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    _style(ax, "w1", "w2", "loss surface" + (" and optimizer paths" if paths else ""), new)
    return sp


@dataclass
class FitPlot:
    """What :func:`regression_fit` drew; ``update(model)`` moves the prediction line in place."""
    ax: object
    points: object         # PathCollection of the data
    line: object           # Line2D of the prediction; widgets may also call line.set_ydata
    target: object | None  # Line2D of the true function, or None
    x_grid: np.ndarray     # (G,) inputs of ``line``

    def update(self, model):
        """Predict on ``x_grid`` with ``model`` and show it; returns the line."""
        y_hat = predict(model, self.x_grid[:, None])
        if y_hat.shape[1] != 1:
            raise ValueError(f"regression_fit expected a model with one output, got {y_hat.shape[1]}.")
        self.line.set_ydata(y_hat[:, 0])
        return self.line


def regression_fit(X, y, model=None, ax=None, y_hat=None, target=None):
    """Plot 1-D regression data, the true function and a model's prediction.

    Parameters
    ----------
    X, y : arrays (N, 1) or (N,) of inputs and targets.
    model : Sequential with one input and one output, optional; predicted on 200 evenly
        spaced inputs spanning X.
    ax : matplotlib Axes, optional
    y_hat : array (N,) or (N, 1), optional, predictions at X to draw instead of a model's.
        With neither ``model`` nor ``y_hat`` the line starts empty (NaN) for ``update`` to fill.
    target : callable ``f(x)``, optional, the noise-free function, drawn dashed.

    Returns
    -------
    FitPlot with ``points``, ``line`` (the prediction), ``target``, ``x_grid``, ``update(model)``.

    Examples
    --------
    >>> fp = nn.plot.regression_fit(X, y, model, target=np.sin)  # doctest: +SKIP
    """
    x = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    y = np.asarray(y, dtype=np.float64).ravel()
    if x.shape[1] != 1 or len(y) != len(x):
        raise ValueError(f"regression_fit expected X of shape (N, 1) and y with N values, got X of "
                         f"shape {np.shape(X)} and y of shape {np.shape(y)}.")
    if model is not None and y_hat is not None:
        raise ValueError("regression_fit takes model or y_hat, not both; pass one of them.")
    x = x[:, 0]
    ax, new = _new_axes(ax)
    points = ax.scatter(x, y, s=16, color="0.35", alpha=0.7, label="data")
    x_grid = np.linspace(x.min(), x.max(), 200)
    target_line = None
    if target is not None:
        target_line, = ax.plot(x_grid, np.asarray(target(x_grid), dtype=np.float64), "--", color="k",
                               lw=1.5, label="target")
    pred = np.full_like(x_grid, np.nan)
    if y_hat is not None:
        order = np.argsort(x)
        x_grid, pred = x[order], np.asarray(y_hat, dtype=np.float64).ravel()[order]
    line, = ax.plot(x_grid, pred, color="C3", lw=2, label="model")
    fp = FitPlot(ax, points, line, target_line, x_grid)
    if model is not None:
        fp.update(model)
    ax.legend(fontsize=NOTE)
    _style(ax, "x", "y", "regression fit", new)
    return fp
