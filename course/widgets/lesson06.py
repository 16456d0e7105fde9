r"""Widgets for lesson 06 (regularization): a penalty's effect on the running network, early stopping's
patience, and bagged ensembles.

* :func:`overfitting_explorer`: the 2-32-32-2 network retrained with no penalty, L2 or L1 at strength
  alpha: its decision surface, its loss curves and the histogram of its 1152 weights.
* :func:`early_stopping_explorer`: one recorded mini-batch run; the patience decides where
  ``nn.EarlyStopping`` stops and which epoch it restores.
* :func:`bagging_explorer`: the first k of 15 members trained on bootstrap samples or on all the data:
  the ensemble's probability map with every member's boundary, and its test loss and error against k.

and the lesson's static figures (pyplot, so that ``%matplotlib inline`` shows them): :func:`plot_curves`,
:func:`plot_boundaries`, :func:`plot_sweep`, :func:`plot_weight_histograms`, :func:`plot_lasso_vs_ridge`,
:func:`plot_filters`, :func:`plot_averaged_error` and :func:`plot_ensemble_curves`. Every run and number
comes from ``course.computations.lesson06``; the helpers here only evaluate those runs (per-epoch
penalty terms, members' own test losses, the 0.5 contour of a probability grid).
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import numpy as np

import nnlib as nn

from ..computations.lesson06 import (data_loss, early_stopping_run, ensemble, ensemble_curve, make_net,
                                     moons_split, replay_early_stopping, train, weights)
from ._live import LiveFigure, new_figure, slider

#: The same colour for a data set in every figure of the lesson.
TRAIN, VAL, TEST = "tab:blue", "tab:orange", "tab:green"
#: The two ways of training an ensemble's members (``bootstrap`` True / False).
MODES = {True: ("bootstrap samples", "tab:purple"), False: ("all data (different inits)", "tab:brown")}
#: Histogram colours of the weight figures, by penalty.
PENALTY_COLOURS = {"none": "0.35", "L2": "tab:purple", "L1": "tab:red"}
PENALTIES = {"none": None, "L2": "l2", "L1": "l1"}

EXTENT = (-2.0, 3.2, -1.9, 2.2)          # one frame for every decision surface of the lesson
RES = 100                                 # grid points per axis of a surface
EDGES = np.linspace(-3.025, 3.025, 122)   # weight bins 0.05 wide, one centred on 0
NEAR_ZERO = 0.01
LOSS_LIM = (0.015, 4.0)                   # the log loss axis of the overfitting explorer


# --- helpers: evaluating the computations' runs ------------------------------------------------

def _class_colours(y):
    """The colours nn.plot.decision_boundary gives the two classes (class 1 red)."""
    import matplotlib as mpl
    return mpl.colormaps["RdBu_r"]([0.1, 0.9])[np.asarray(y)]


def _contour_xy(P, extent=EXTENT, level=0.5):
    """The ``level`` contour of an (R, R) grid of cell values (row = y): x, y arrays, pieces split by NaN."""
    import contourpy
    R = P.shape[0]
    xs = extent[0] + (np.arange(R) + 0.5) * (extent[1] - extent[0]) / R
    ys = extent[2] + (np.arange(R) + 0.5) * (extent[3] - extent[2]) / R
    pieces = contourpy.contour_generator(xs, ys, np.asarray(P, dtype=float),
                                         line_type=contourpy.LineType.Separate).lines(level)
    if not pieces:
        return np.array([np.nan]), np.array([np.nan])
    joined = np.concatenate([np.vstack([p, [[np.nan, np.nan]]]) for p in pieces])
    return joined[:, 0], joined[:, 1]


@lru_cache(maxsize=1)
def _grid():
    """The cell centres of every surface (row-major, as ``nn.plot.decision_boundary`` with EXTENT)."""
    lo, hi = np.array(EXTENT[::2]), np.array(EXTENT[1::2])
    xx, yy = np.meshgrid(*[lo[d] + (np.arange(RES) + 0.5) * (hi[d] - lo[d]) / RES for d in range(2)])
    return np.column_stack([xx.ravel(), yy.ravel()])


def _surface(model):
    """P(class 1) of ``model`` on the grid, (RES, RES)."""
    return nn.softmax(nn.predict(model, _grid()))[:, 1].reshape(RES, RES)


def _penalty_terms(snapshots, penalty, strength):
    """The penalty term of nnlib's fit (weights only: (alpha/2) sum W^2 or alpha sum |W|) per snapshot."""
    if penalty is None:
        return np.zeros(len(snapshots))
    f = (lambda w: 0.5 * strength * np.sum(w * w)) if penalty == "l2" else \
        (lambda w: strength * np.sum(np.abs(w)))
    return np.array([sum(f(p) for name, p in s.items() if name.rsplit(".", 1)[-1] == "W") for s in snapshots])


def member_losses(ens, X, y):
    """Each member's own (test) cross-entropy and error rate: ``ensemble_curve`` gives only the errors."""
    probs = np.stack([nn.softmax(nn.predict(m, X)) for m in ens.models])
    p_true = probs[:, np.arange(len(y)), y]
    return np.mean(-np.log(p_true + 1e-300), axis=1), 1 - np.mean(probs.argmax(axis=2) == y, axis=1)


def _surface_axes(ax, model, split, colorbar=True, val=True, legend=True):
    """The decision surface of ``model`` with the training points (filled) and the validation points
    (hollow, fainter) on EXTENT. Returns ``(BoundaryPlot, validation scatter or None, legend or None)``."""
    from matplotlib.lines import Line2D
    bp = nn.plot.decision_boundary(model, split.X_train, split.y_train, ax=ax, resolution=RES, extent=EXTENT,
                                   colorbar=colorbar)
    scatter, handles = None, [Line2D([], [], marker="o", ls="", mfc="0.55", mec="k", mew=0.5, ms=5,
                                     label=f"training ({len(split.y_train)})")]
    if val:
        scatter = ax.scatter(split.X_val[:, 0], split.X_val[:, 1], s=13, facecolors="none",
                             edgecolors=_class_colours(split.y_val), linewidths=0.8, alpha=0.55)
        handles.append(Line2D([], [], marker="o", ls="", mfc="none", mec="0.4", ms=5,
                              label=f"validation ({len(split.y_val)})"))
    leg = ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.85) if legend else None
    ax.set(xlabel="x1", ylabel="x2")
    return bp, scatter, leg


# --- static figures ----------------------------------------------------------------------------

def _axes(ax, figsize):
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _plain_log(axis):
    """Label a log axis 0.05, 0.1, 0.2, 0.5, 1, ... instead of powers of ten."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter
    ticks = [m * 10.0 ** e for e in range(-4, 3) for m in (1, 2, 5)]
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def plot_curves(history, test=True, ax=None, best=None):
    """Training, validation (and, with ``test``, ``history.test_loss``) loss per epoch on a log axis;
    ``best`` marks the lowest validation loss (its epoch and value). Returns the axes."""
    ax = _axes(ax, (6.4, 3.9))
    parts = [("training", history.train_loss, TRAIN), ("validation", history.val_loss, VAL)]
    if test and len(getattr(history, "test_loss", [])):
        parts.append(("test", history.test_loss, TEST))
    for label, values, colour in parts:
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, len(values) + 1), values, color=colour, lw=1.6, label=label)
    if best:
        v = np.asarray(history.val_loss, dtype=float)
        e = int(np.nanargmin(v)) + 1
        ax.plot([e], [v[e - 1]], "o", color=VAL, mec="k", ms=7, zorder=5,
                label=f"lowest validation loss: {v[e - 1]:.3f} at epoch {e}")
        ax.axvline(e, color="0.4", lw=0.8, ls=":")
    low = min(np.nanmin(np.asarray(v, dtype=float)) for _, v, _ in parts)
    high = max(np.nanmax(np.asarray(v, dtype=float)) for _, v, _ in parts)
    ax.set(yscale="log", xlabel="epoch", ylabel="loss (cross-entropy, log scale)",
           ylim=(low / 2.5, high * 1.3), xlim=(0, len(history.train_loss) + 1), title="loss per epoch")
    _plain_log(ax.yaxis)
    ax.legend(fontsize=8, loc="lower left")
    return ax


def plot_boundaries(models, split, titles=None):
    """One decision-surface panel per model (``models``: title -> model) with the training points on top,
    each titled with its title (or ``titles[i]``) and its validation loss. Returns the axes."""
    import matplotlib.pyplot as plt
    n = len(models)
    fig, axes = plt.subplots(1, n, figsize=(4.6 * n + 0.6, 4.0), layout="constrained", squeeze=False)
    axes = axes[0]
    for i, (ax, (name, model)) in enumerate(zip(axes, models.items())):
        _surface_axes(ax, model, split, colorbar=i == n - 1, val=False, legend=i == 0)
        x, y = _contour_xy(_surface(model))
        ax.plot(x, y, color="k", lw=1.0)
        title = titles[i] if titles is not None else name
        val = data_loss(model, split.X_val, split.y_val)
        ax.set_title(f"{title}\nvalidation loss {val:.3f}", fontsize=10)
        if i:
            ax.set_ylabel("")
    return axes


def plot_sweep(rows, penalty):
    """``strength_sweep`` rows: final training and validation loss (no penalty term) against the strength
    (log x), the strength with the lowest validation loss marked. Returns the axes."""
    ax = _axes(None, (6.0, 3.8))
    s = np.array([r["strength"] for r in rows])
    tr, va = np.array([r["train"] for r in rows]), np.array([r["val"] for r in rows])
    ax.plot(s, tr, "o-", color=TRAIN, label="training")
    ax.plot(s, va, "o-", color=VAL, label="validation")
    i = int(np.argmin(va))
    ax.plot([s[i]], [va[i]], "*", color=VAL, mec="k", ms=16, zorder=5,
            label=f"lowest validation loss: α = {s[i]:.0e} ({va[i]:.3f})")
    ax.axvline(s[i], color="0.4", lw=0.8, ls=":")
    ax.set(xscale="log", yscale="log", xlabel=f"{penalty} strength α (log scale)",
           ylabel="final loss, no penalty term (log scale)",
           title=f"{penalty}: choosing α on the validation set")
    _plain_log(ax.yaxis)
    ax.legend(fontsize=8, loc="best")
    return ax


def plot_weight_histograms(models, ax=None):
    """Overlaid step histograms of ``weights(model)`` (``models``: label -> model) in the same 0.05-wide
    bins, log count axis; the legend outside the axes, on the right. Returns the axes."""
    ax = _axes(ax, (7.4, 3.8))
    fallback = iter(["tab:blue", "tab:green", "tab:brown", "tab:pink"])
    for label, model in models.items():
        w = np.clip(weights(model), EDGES[0], EDGES[-1])
        counts, _ = np.histogram(w, bins=EDGES)
        colour = next((c for k, c in PENALTY_COLOURS.items() if k.lower() in label.lower()), None) or \
            (PENALTY_COLOURS["none"] if "no" in label.lower() else next(fallback))
        near = int(np.sum(np.abs(weights(model)) < NEAR_ZERO))
        ax.stairs(np.maximum(counts, 0.7), EDGES, baseline=0.7, color=colour, lw=1.6,
                  label=f"{label}: {near} within {NEAR_ZERO} of 0")
        centre = counts[len(counts) // 2]            # the bin around 0: a cap wider than the bin, so that
        ax.hlines(centre, -0.2, 0.2, color=colour, lw=2.5)   # each model's height there stays visible
    n = len(weights(next(iter(models.values()))))
    ax.set(yscale="log", ylim=(0.7, 2 * n), xlim=(EDGES[0], EDGES[-1]),
           xlabel="weight value (bins 0.05 wide; the outermost bins hold everything beyond ±3)",
           ylabel="count (log scale)", title=f"the {n} weights of the network")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0,
              title="wide caps: the bin at 0", title_fontsize=8)
    return ax


def plot_lasso_vs_ridge(result):
    """The 100 coefficients of ``lasso_vs_ridge``: true, lasso and ridge in three rows with the same axes;
    filled stems are nonzero weights, grey crosses on the axis are weights that are exactly 0.
    Returns the three axes."""
    import matplotlib.pyplot as plt
    rows = [("true weights", result["w_true"], "k"), ("lasso", result["lasso"]["w"], "tab:red"),
            ("ridge", result["ridge"]["w"], "tab:purple")]
    fig, axes = plt.subplots(3, 1, figsize=(8.5, 5.6), sharex=True, sharey=True, layout="constrained")
    lim = 1.15 * max(np.abs(w).max() for _, w, _ in rows)
    for ax, (name, w, colour) in zip(axes, rows):
        i = np.arange(len(w))
        zero = w == 0
        ax.vlines(i[~zero], 0, w[~zero], color=colour, lw=1.2)
        ax.plot(i[~zero], w[~zero], "o", color=colour, ms=4)
        ax.plot(i[zero], w[zero], "x", color="0.55", ms=4, mew=1)
        ax.axhline(0, color="0.7", lw=0.6)
        extra = ""
        if name != "true weights":
            r = result[name]
            found = f"; {r['found']} of {int(np.sum(rows[0][1] != 0))} true ones kept" if r["zeros"] else ""
            extra = f" (test MSE {r['test_mse']:.3g}{found})"
        key = " (crosses: exactly 0)" if name == "true weights" else ""
        ax.set_title(f"{name}: {int(zero.sum())} of {len(w)} exactly 0{extra}{key}", fontsize=10, loc="left")
        ax.set(ylim=(-lim, lim), ylabel="weight")
    axes[-1].set(xlabel="feature index", xlim=(-1, len(rows[0][1])))
    return axes


def plot_filters(f, ax=None):
    """``early_stopping_filters``: the fraction of w* kept along an eigenvector with eigenvalue lambda by
    early stopping and by L2, against lambda (log x); the gap between them shaded. Returns the axes."""
    ax = _axes(ax, (6.4, 3.9))
    lam, early, l2, alpha = f["lambda"], f["early"], f["l2"], f["alpha"]
    ax.fill_between(lam, early, l2, color="0.8", label="where they differ")
    ax.plot(lam, early, color="tab:blue", lw=1.8, label="early stopping: 1 - (1 - ελ)^τ")
    ax.plot(lam, l2, "--", color="tab:red", lw=1.8, label="L2: λ / (λ + α)")
    ax.axvline(alpha, color="0.4", lw=0.8, ls=":")
    ax.text(alpha * 1.08, 0.03, f"λ = α = 1/(τε) = {alpha:g}", fontsize=8, color="0.3")
    ax.set(xscale="log", ylim=(0, 1.05), xlim=(lam[0], lam[-1]),
           xlabel="eigenvalue λ of the Hessian (log scale)",
           ylabel="fraction of w* kept along its eigenvector", title="early stopping and L2 as filters")
    ax.legend(fontsize=8, loc="upper left")
    return ax


def plot_averaged_error(result, ax=None, v=None, c=None):
    """``averaged_error``: the measured mean squared error of the average of k errors against the formula
    v/k + (k-1)c/k, and the floor c (dashed). ``v`` and ``c`` default to those the formula values imply
    (``result`` holds only ``{k: (measured, formula)}``). Returns the axes."""
    ax = _axes(ax, (6.0, 3.8))
    ks = np.array(sorted(result))
    measured = np.array([result[k][0] for k in ks])
    formula = np.array([result[k][1] for k in ks])
    if v is None or c is None:            # formula = c + (v - c)/k: a line in 1/k
        slope, floor = np.polyfit(1 / ks, formula, 1)
        v, c = (floor + slope if v is None else v), (floor if c is None else c)
    k = np.geomspace(ks[0], ks[-1], 200)
    ax.plot(k, v / k + (k - 1) * c / k, color="k", lw=1.4, label="v/k + (k - 1)c/k  (eq. 7.50)")
    ax.plot(ks, measured, "o", color="tab:red", ms=7, label="measured")
    ax.axhline(c, color="0.4", ls="--", lw=1.2, label=f"floor c = {c:g}")
    ax.set(xscale="log", xlabel="number of models averaged k (log scale)", ylim=(0, 1.1 * v),
           ylabel="mean squared error of the average", title=f"averaging k errors (v = {v:g}, c = {c:g})")
    ax.set_xticks(ks, [str(int(k)) for k in ks])
    ax.minorticks_off()
    ax.legend(fontsize=8, loc="upper right")
    return ax


def _member_reference(curve, bootstrap):
    """The members' own test losses, if ``curve`` is ``ensemble_curve(ensemble(bootstrap))`` on the
    test split (checked against its member errors); else None."""
    split = moons_split()
    ens = ensemble(bootstrap)
    if len(ens.models) != len(curve["members"]):
        return None
    loss, err = member_losses(ens, split.X_test, split.y_test)
    if not (np.allclose(err, curve["members"]) and np.isclose(loss[0], curve["ensemble_loss"][0])):
        return None
    return loss


def plot_ensemble_curves(boot, init):
    """Two ``ensemble_curve`` dicts on the test set (bootstrap members, all-data members): the ensemble's
    test loss and test error against the number of members k, with the members' mean as a dotted line.
    Returns the two axes."""
    import matplotlib.pyplot as plt
    fig, (ax_l, ax_e) = plt.subplots(1, 2, figsize=(10.5, 3.9), layout="constrained")
    for mode, curve in ((True, boot), (False, init)):
        name, colour = MODES[mode]
        k = np.arange(1, len(curve["ensemble"]) + 1)
        ax_l.plot(k, curve["ensemble_loss"], "o-", color=colour, ms=4, label=f"ensemble, {name}")
        ax_e.plot(k, curve["ensemble"], "o-", color=colour, ms=4, label=f"ensemble, {name}")
        ax_e.axhline(np.mean(curve["members"]), color=colour, ls=":", lw=1.4,
                     label=f"mean member, {name}")
        if "all_wrong" in curve:                     # the errors no average can remove
            ax_e.axhline(curve["all_wrong"], color=colour, ls="--", lw=1.2,
                         label=f"wrong for every member, {name}")
        ref = _member_reference(curve, mode)
        if ref is not None:
            ax_l.axhline(np.mean(ref), color=colour, ls=":", lw=1.4, label=f"mean member, {name}")
    for ax in (ax_l, ax_e):
        ax.set_xticks(k)
        ax.set_xlabel("members averaged k")
    ax_l.set(ylabel="test loss (cross-entropy)", title="test loss of the average of k members",
             ylim=(0, None))
    ax_e.set(ylabel="test error (fraction wrong)", title="test error of the average of k members",
             ylim=(0, 0.2))
    fig.legend(*ax_e.get_legend_handles_labels(), loc="outside lower center", ncol=3, fontsize=8)
    return ax_l, ax_e


# --- (a) penalties on the running network ------------------------------------------------------

_RUNS: dict = {}


def _run(penalty, strength):
    """``train(penalty, strength)`` and what the explorer shows of it, cached by (penalty, strength)."""
    key = (penalty, 0.0 if penalty is None else float(f"{strength:.4g}"))
    if key not in _RUNS:
        if len(_RUNS) > 64:                          # strengths set from code, not by the slider's 7 steps
            _RUNS.clear()
        split = moons_split()
        model, h = train(penalty, key[1], snapshots=True)
        objective = np.array(h.train_loss)
        w = weights(model)
        counts, _ = np.histogram(np.clip(w, EDGES[0], EDGES[-1]), bins=EDGES)
        P = _surface(model)
        _RUNS[key] = {
            "model": model, "objective": objective, "val": np.array(h.val_loss),
            "train": objective - _penalty_terms(h.snapshots, penalty, key[1]),   # the data loss alone
            "final_train": data_loss(model, split.X_train, split.y_train),
            "final_val": data_loss(model, split.X_val, split.y_val),
            "counts": counts, "near": int(np.sum(np.abs(w) < NEAR_ZERO)), "n": len(w),
            "surface": P, "boundary": _contour_xy(P)}
    return _RUNS[key]


def overfitting_explorer(penalty="L2", strength=1e-4):
    """The running 2-32-32-2 network (400 epochs of full-batch gradient descent with momentum on 100
    points) trained with no penalty, L2 or L1 at strength alpha. The 15 settings the controls offer
    (none, and L2 and L1 at 7 strengths) are trained when the explorer is built (about 1.5 s), so that
    a move only redraws; a strength set from code is trained when asked (about 0.1 s).
    It opens on L2 at the weakest strength, so that the first move of the slider shows its effect.
    Left: P(class 1) with the training points (filled) and the validation
    points (hollow). Middle: training loss (without the penalty term; dashed: with it) and validation
    loss per epoch. Right: the histogram of the 1152 weights (grey outline: no penalty)."""
    from matplotlib.patches import Patch
    split = moons_split()
    for p in ("l2", "l1"):                           # every setting the slider offers, up front
        for exponent in np.arange(-4.0, -0.75, 0.5):
            _run(p, 10.0 ** exponent)
    fig, (ax_s, ax_l, ax_h) = new_figure(3, 4.4, 4.0)
    first = _run(PENALTIES[penalty], strength)
    bp, val_pts, _ = _surface_axes(ax_s, first["model"], split, legend=False)
    boundary, = ax_s.plot(*first["boundary"], color="k", lw=1.2)
    ax_s.set_title("P(class 1), black line P = 0.5; points: training\n"
                   "(100, filled), validation (200, hollow)", fontsize=9.5)

    epochs = np.arange(1, len(first["val"]) + 1)
    obj_line, = ax_l.plot(epochs, first["objective"], "--", color=TRAIN, lw=1.0,
                          label="training loss + penalty term")
    train_line, = ax_l.plot(epochs, first["train"], color=TRAIN, lw=1.6, label="training loss")
    val_line, = ax_l.plot(epochs, first["val"], color=VAL, lw=1.6, label="validation loss")
    ax_l.set(yscale="log", ylim=LOSS_LIM, xlim=(0, len(epochs)), xlabel="epoch",
             ylabel="cross-entropy (log scale)")
    ax_l.set_title("loss per epoch", fontsize=10)
    _plain_log(ax_l.yaxis)
    ax_l.legend(fontsize=8, loc="lower left")

    none = _run(None, 0.0)
    ref = ax_h.stairs(np.maximum(none["counts"], 0.7), EDGES, baseline=0.7, color="0.6", lw=1.0,
                      label="no penalty")
    patch = ax_h.stairs(np.maximum(first["counts"], 0.7), EDGES, baseline=0.7, fill=True,
                        color=PENALTY_COLOURS[penalty], alpha=0.6, lw=0,
                        label="this setting")
    n = first["n"]
    ax_h.set(yscale="log", ylim=(0.7, 4 * n), xlim=(EDGES[0], EDGES[-1]),
             xlabel="weight value (bins 0.05 wide)", ylabel="count (log scale)")
    ax_h.legend(handles=[ref, Patch(fc="0.75", ec="0.3", lw=0.8, label="this setting (filled)")],
                fontsize=8, loc="upper right")
    near = ax_h.set_title(" ", fontsize=10)        # "k of N weights within 0.01 of zero"
    title = fig.suptitle("", fontsize=11)

    def draw(penalty, strength):
        p = PENALTIES[penalty]
        run = _run(p, strength)
        bp.image.set_data(run["surface"])
        boundary.set_data(*run["boundary"])
        train_line.set_ydata(run["train"])
        val_line.set_ydata(run["val"])
        obj_line.set_ydata(run["objective"])
        obj_line.set_visible(p is not None)
        patch.set_data(np.maximum(run["counts"], 0.7), EDGES, baseline=0.7)
        patch.set_facecolor(PENALTY_COLOURS[penalty])
        near.set_text(f"{run['near']} of {run['n']} weights within {NEAR_ZERO} of zero")
        what = f"no penalty (α = {strength:.0e} is unused)" if p is None else f"{penalty}, α = {strength:.0e}"
        title.set_text(f"{what}: final training loss {run['final_train']:.3f}, "
                       f"validation loss {run['final_val']:.3f} (cross-entropy, no penalty term)")

    controls = {
        "penalty": W.ToggleButtons(options=list(PENALTIES), value=penalty, description="penalty",
                                   style={"button_width": "auto"}),
        "strength": slider(strength, -4, -1, 0.5, "strength α", log=True),
    }
    animated = [bp.image, boundary, bp.scatter, val_pts, obj_line, train_line, val_line, patch, near,
                title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="A penalty on the running network: surface, loss curves and weights")


# --- (b) early stopping -------------------------------------------------------------------------

def early_stopping_explorer(patience=10):
    """One recorded run (the unregularized network, mini-batch SGD, 400 epochs, the weights of every
    epoch kept); ``nn.EarlyStopping(patience)`` replayed on its validation curve. Left: the loss curves
    with the restored best epoch, the stop and the epochs waited between them (shaded). Right: the
    restored weights' P(class 1) and P = 0.5 line, with the P = 0.5 line of the last epoch (dashed).
    Nothing is retrained: moving the patience only moves artists."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    split = moons_split()
    model, h = early_stopping_run()
    tr, va = np.array(h.train_loss), np.array(h.val_loss)
    E = len(va)
    net = make_net()
    surfaces = {}

    def surface(epoch):
        if epoch not in surfaces:
            net.set_weights(h.snapshots[epoch - 1])
            P = _surface(net)
            surfaces[epoch] = (P, _contour_xy(P))
        return surfaces[epoch]

    fig, (ax_l, ax_s) = new_figure(2, 5.4, 4.0)
    epochs = np.arange(1, E + 1)
    curves = [ax_l.plot(epochs, tr, color=TRAIN, lw=1.3, label="training loss")[0],
              ax_l.plot(epochs, va, color=VAL, lw=1.3, label="validation loss")[0],
              ax_l.plot([E], [va[-1]], "s", color=VAL, mec="k", ms=6, label=f"epoch {E}: {va[-1]:.3f}")[0]]
    span = Rectangle((0, 0), 0, 1, transform=ax_l.get_xaxis_transform(), color="0.5", alpha=0.25, lw=0)
    ax_l.add_patch(span)
    stop_line = ax_l.axvline(1, color="k", lw=1.4)
    best_line = ax_l.axvline(1, color=VAL, lw=1.0, ls="--")
    best_dot, = ax_l.plot([], [], "o", color=VAL, mec="k", ms=8, zorder=5)
    handles = ax_l.get_legend_handles_labels()[0] + [
        Line2D([], [], color=VAL, ls="--", marker="o", mec="k", label="restored (best) epoch"),
        Rectangle((0, 0), 1, 1, color="0.5", alpha=0.25, label="patience waited"),
        Line2D([], [], color="k", lw=1.4, label="stop")]
    ax_l.set(yscale="log", xlim=(0, E + 6), ylim=(0.025, 1.0), xlabel="epoch (mini-batches of 10, plain SGD)",
             ylabel="cross-entropy (log scale)")
    ax_l.legend(handles=handles, fontsize=8, loc="lower left", ncol=2)
    _plain_log(ax_l.yaxis)

    P400, (x400, y400) = surface(E)
    model_best = make_net()
    bp, val_pts, _ = _surface_axes(ax_s, model_best, split, legend=False)
    bp.image.set_data(P400)
    best_boundary, = ax_s.plot([], [], color="k", lw=1.4)
    last_boundary, = ax_s.plot(x400, y400, "--", color="0.15", lw=1.0)
    ax_s.set_title(f"P(class 1) of the restored weights; P = 0.5: solid,\nand dashed at epoch {E}; "
                   f"points: training (filled), validation", fontsize=9.5)
    title = fig.suptitle("", fontsize=11)

    def draw(patience):
        best, stop = replay_early_stopping(va, patience)
        stopped = stop < E or stop - best >= patience
        span.set_x(best)
        span.set_width(stop - best)
        stop_line.set_xdata([stop, stop])
        best_line.set_xdata([best, best])
        best_dot.set_data([best], [va[best - 1]])
        P, (x, y) = surface(best)
        bp.image.set_data(P)
        best_boundary.set_data(x, y)
        when = f"stops after epoch {stop}" if stopped else f"never stops in {E} epochs"
        title.set_text(f"patience {patience}: {when}, restores epoch {best} "
                       f"(validation loss {va[best - 1]:.3f}; {va[-1]:.3f} at epoch {E})")

    controls = {"patience": W.IntSlider(value=patience, min=1, max=100, description="patience",
                                        style={"description_width": "initial"},
                                        layout=W.Layout(width="400px"))}
    animated = [span, *curves, stop_line, best_line, best_dot, bp.image, best_boundary, last_boundary,
                bp.scatter, val_pts, title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Early stopping: the patience, the stop and the restored epoch")


# --- (c) bagging ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _bagging_data():
    """Per mode: the members' P(class 1) grids and 0.5 lines, the running averages, the test curves."""
    split = moons_split()
    out = {}
    for mode in (True, False):
        ens = ensemble(mode)
        grids = np.stack([_surface(m) for m in ens.models])
        curve = ensemble_curve(ens, split.X_test, split.y_test)
        loss, err = member_losses(ens, split.X_test, split.y_test)
        mean = np.cumsum(grids, axis=0) / np.arange(1, len(grids) + 1)[:, None, None]   # of the first k
        out[mode] = {"grids": grids, "mean": mean,
                     "lines": [_contour_xy(g) for g in grids], "curve": curve,
                     "member_loss": loss, "member_err": err}
    return out


def bagging_explorer(k=1, mode=True):
    """The average of the first k of 15 members (2-32-32-2 networks, 400 full-batch epochs each) trained on
    bootstrap samples of the 100 training points, or on all of them with different initializations.
    Left: the ensemble's P(class 1), each member's P = 0.5 line (thin) and the ensemble's (bold).
    Middle and right: the ensemble's test loss and test error against k for both ways (dotted: the mean
    member), the current k marked."""
    split = moons_split()
    data = _bagging_data()
    K = len(data[True]["grids"])
    fig, (ax_s, ax_l, ax_e) = new_figure(3, 4.4, 4.0)
    bp, _, _ = _surface_axes(ax_s, make_net(), split, val=False, legend=False)
    members = {mode_: [ax_s.plot(x, y, color=MODES[mode_][1], lw=0.7, alpha=0.8, visible=False)[0]
                       for x, y in d["lines"]] for mode_, d in data.items()}
    bold, = ax_s.plot([], [], color="k", lw=2.2)
    ax_s.set_title("P(class 1) of the average of the first k members;\nP = 0.5: thin, each member; bold, "
                   "the ensemble", fontsize=9.5)
    ks = np.arange(1, K + 1)
    markers = {}
    for mode_, d in data.items():
        name, colour = MODES[mode_]
        c = d["curve"]
        ax_l.plot(ks, c["ensemble_loss"], "o-", color=colour, ms=3, lw=1.3, label=name)
        ax_e.plot(ks, c["ensemble"], "o-", color=colour, ms=3, lw=1.3, label=name)
        ax_l.axhline(np.mean(d["member_loss"]), color=colour, ls=":", lw=1.2)
        ax_e.axhline(np.mean(d["member_err"]), color=colour, ls=":", lw=1.2)
        markers[mode_] = (ax_l.plot([], [], "o", color=colour, mec="k", ms=9, zorder=5)[0],
                          ax_e.plot([], [], "o", color=colour, mec="k", ms=9, zorder=5)[0])
    ax_l.plot([], [], ":", color="0.4", label="mean member (15)")
    k_lines = [ax.axvline(1, color="0.3", lw=0.8) for ax in (ax_l, ax_e)]
    every_loss = np.concatenate([d["curve"]["ensemble_loss"] for d in data.values()])
    every_err = np.concatenate([np.r_[d["curve"]["ensemble"], d["member_err"]] for d in data.values()])
    ax_l.set(xlim=(0.4, K + 0.6), ylim=(0.9 * every_loss.min(), 1.25 * every_loss.max()), xticks=ks[::2],
             xlabel="members averaged k", ylabel="test loss (cross-entropy)")
    ax_l.set_title("ensemble's test loss", fontsize=10)
    ax_e.set(xlim=(0.4, K + 0.6), ylim=(0, max(0.2, 1.1 * every_err.max())), xticks=ks[::2],
             xlabel="members averaged k", ylabel="test error (fraction wrong)")
    ax_e.set_title("ensemble's test error", fontsize=10)
    k_legend = ax_l.legend(fontsize=8, loc="upper right")
    bolds = {}
    title = fig.suptitle("", fontsize=11)

    def draw(k, mode):
        d = data[mode]
        bp.image.set_data(d["mean"][k - 1])
        for mode_, lines in members.items():
            for i, line in enumerate(lines):
                line.set_visible(mode_ == mode and i < k)
        if (mode, k) not in bolds:
            bolds[mode, k] = _contour_xy(d["mean"][k - 1])
        bold.set_data(*bolds[mode, k])
        for mode_, pair in markers.items():
            curve = data[mode_]["curve"]
            for m, values in zip(pair, (curve["ensemble_loss"], curve["ensemble"])):
                m.set_data([k], [values[k - 1]])
                m.set_markersize(10 if mode_ == mode else 5)
        for line in k_lines:
            line.set_xdata([k, k])
        c = d["curve"]
        title.set_text(f"{MODES[mode][0]}, k = {k}: ensemble test loss {c['ensemble_loss'][k - 1]:.3f}, "
                       f"error {c['ensemble'][k - 1]:.3f}; mean of its {k} member{'s' * (k > 1)}: loss "
                       f"{np.mean(d['member_loss'][:k]):.3f}, error {np.mean(d['member_err'][:k]):.3f}")

    controls = {
        "k": W.IntSlider(value=k, min=1, max=K, description="members k",
                         style={"description_width": "initial"}, layout=W.Layout(width="300px")),
        "mode": W.ToggleButtons(options=[(MODES[True][0], True), (MODES[False][0], False)], value=mode,
                                description="members trained on", style={"button_width": "auto",
                                                                        "description_width": "initial"}),
    }
    animated = [bp.image, *members[True], *members[False], bold, bp.scatter, *markers[True],
                *markers[False], *k_lines, k_legend, title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Bagging: the average of k networks")
