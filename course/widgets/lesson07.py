r"""Widgets for lesson 07 (dropout): what a mask does to a small network, dropout as a regularizer on the
running example, and Monte Carlo averaging against the weight-scaling rule.

* :func:`dropout_explorer`: a 4-6-6 network drawn unit by unit with one example's mask (dropped units
  hollow, their outgoing weights gone), the masks of 20 examples, and each second-layer unit's mean
  activation over 20,000 training passes against its test-time value, with or without inverted scaling.
* :func:`regularization_explorer`: the 52-32-32-2 network of the lesson trained with drop probabilities
  for its inputs and its hidden layers: loss and test-accuracy curves against the no-dropout run, and the
  final accuracies against the hidden drop probability.
* :func:`mc_explorer`: the test loss and accuracy of the mean of k sampled thinned networks against the
  weight-scaling rule, and each test point's probability both ways.

and the lesson's static figures (pyplot, so that ``%matplotlib inline`` shows them): :func:`plot_mask`,
:func:`plot_unit_means`, :func:`plot_curves`, :func:`plot_sweep` and :func:`plot_mc`. Every number comes
from ``course.computations.lesson07``.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import numpy as np

from ..computations.lesson07 import P_HIDDEN, P_INPUT, mc_curve, sweep, unit_means
from ._live import LiveFigure, new_figure

TRAIN, TEST = "tab:blue", "tab:green"
BASE = "0.55"  # the no-dropout run, in every figure
KEPT, DROPPED = "tab:blue", "0.75"
LAYERS = (4, 6, 6)  # the explorer's network: inputs, dropout layer, next layer
P_GRID = np.round(np.arange(0.0, 0.91, 0.05), 2)


# --- drawing helpers ------------------------------------------------------------------------------


def _positions():
    """(x, y) of every unit, layer by layer, centred vertically."""
    return [
        np.column_stack([np.full(n, i), np.linspace((n - 1) / 2, -(n - 1) / 2, n)])
        for i, n in enumerate(LAYERS)
    ]


def _network_axes(ax):
    """Draw the static part of the 4-6-6 network; return the artists a mask changes: the hidden units
    of layer 1 (a scatter) and their outgoing weight lines (one LineCollection)."""
    from matplotlib.collections import LineCollection

    pos = _positions()
    ax.add_collection(LineCollection([[a, b] for a in pos[0] for b in pos[1]], colors="0.8", lw=0.8))
    outgoing = LineCollection([[a, b] for a in pos[1] for b in pos[2]], colors=KEPT, lw=1.0, alpha=0.6)
    ax.add_collection(outgoing)
    ax.scatter(*pos[0].T, s=260, c="0.9", edgecolors="k", zorder=3)
    ax.scatter(*pos[2].T, s=260, c="0.9", edgecolors="k", zorder=3)
    units = ax.scatter(*pos[1].T, s=260, c=[KEPT] * LAYERS[1], edgecolors="k", zorder=3)
    for i, name in enumerate(("inputs x", "hidden h\n(dropout here)", "next layer z")):
        ax.text(i, pos[i][:, 1].max() + 0.9, name, ha="center", va="bottom", fontsize=9)
    ax.set(xlim=(-0.4, 2.4), ylim=(-3.3, 4.0))
    ax.axis("off")
    return units, outgoing


def _show_mask(units, outgoing, keep):
    """Kept units filled, dropped ones hollow grey; a dropped unit's outgoing weights vanish."""
    colours = np.where(keep[:, None] == 1, np.array([[0.12, 0.47, 0.71, 1.0]]), np.array([[1, 1, 1, 1.0]]))
    units.set_facecolors(colours)
    units.set_edgecolors(np.where(keep[:, None] == 1, [[0, 0, 0, 1.0]], [[0.6, 0.6, 0.6, 1.0]]))
    widths = np.repeat(keep, LAYERS[2]) * 1.2
    outgoing.set_linewidths(widths)


def _means_axes(ax):
    """Bars of the six next-layer units: training mean (blue) and test-time value (green)."""
    x = np.arange(LAYERS[2])
    train_bars = ax.bar(
        x - 0.2, np.zeros(len(x)), 0.38, color=TRAIN, label="training: mean over 20,000 masks"
    )
    test_bars = ax.bar(x + 0.2, np.zeros(len(x)), 0.38, color=TEST, label="test time: every unit kept")
    ax.set(
        xticks=x,
        xticklabels=[f"z{j + 1}" for j in x],
        xlabel="unit of the next layer",
        ylabel="activation relu(z) for one input x",
        ylim=(0, 2.1),
    )
    ax.legend(fontsize=8, loc="upper right")
    return train_bars, test_bars


def _set_bars(bars, values):
    for bar, v in zip(bars, values):
        bar.set_height(v)


# --- static figures ----------------------------------------------------------------------------


def plot_mask(p_drop=0.5, sample=0):
    """The 4-6-6 network with mask number ``sample`` of the explorer's 20 at drop probability ``p_drop``,
    and all 20 masks as rows of an image (dark = kept)."""
    import matplotlib.pyplot as plt

    fig, (ax_n, ax_m) = plt.subplots(
        1, 2, figsize=(9.0, 3.6), layout="constrained", gridspec_kw={"width_ratios": [1.3, 1]}
    )
    u = unit_means(p_drop)
    units, outgoing = _network_axes(ax_n)
    _show_mask(units, outgoing, u["masks"][sample])
    ax_n.set_title(f"one example's thinned network (p_drop = {p_drop:g})", fontsize=10)
    _mask_image(ax_m, u["masks"])
    return fig


def _mask_image(ax, masks):
    image = ax.imshow(masks.T, cmap="Blues", vmin=-0.3, vmax=1.1, aspect="auto", interpolation="nearest")
    ax.set(
        xlabel="example (one mask each)",
        ylabel="hidden unit",
        yticks=range(LAYERS[1]),
        yticklabels=[f"h{j + 1}" for j in range(LAYERS[1])],
        xticks=range(0, len(masks), 5),
    )
    ax.set_title("masks of 20 examples (dark: kept, pale: dropped)", fontsize=10)
    return image


def plot_unit_means(p_drop=0.5, inverted=True):
    """Each next-layer unit's mean activation over 20,000 training masks against its test-time value."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
    u = unit_means(p_drop, inverted=inverted)
    train_bars, test_bars = _means_axes(ax)
    _set_bars(train_bars, u["post_train"])
    _set_bars(test_bars, u["post_test"])
    ax.set_title(
        f"p_drop = {p_drop:g}, {'inverted dropout' if inverted else 'no scaling anywhere'}", fontsize=10
    )
    return fig


def _curve_axes(ax_loss, ax_acc, base):
    ax_loss.plot(base.steps, base.train_loss, color=BASE, lw=1.2, ls="--")
    ax_loss.plot(base.steps, base.test_loss, color=BASE, lw=1.6, label="no dropout (dashed: training)")
    ax_acc.plot(base.steps, base.test_acc_curve, color=BASE, lw=1.6, label="no dropout")
    ax_loss.set(
        yscale="log", ylim=(3e-4, 60), xlabel="training step (full batch)", ylabel="loss (cross-entropy)"
    )
    ax_acc.set(ylim=(0.45, 0.85), xlabel="training step (full batch)", ylabel="test accuracy")
    ax_loss.set_title("training (dashed) and test loss", fontsize=10)
    ax_acc.set_title("test accuracy", fontsize=10)


def plot_curves(runs):
    """Loss curves (training dashed, test solid) and test-accuracy curves of several runs, by label."""
    import matplotlib.pyplot as plt

    fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(10.0, 3.7), layout="constrained")
    colours = ["0.45", "tab:purple", "tab:red", "tab:orange"]
    for (label, run), colour in zip(runs.items(), colours):
        ax_l.plot(run.steps, run.train_loss, color=colour, lw=1.2, ls="--")
        ax_l.plot(run.steps, run.test_loss, color=colour, lw=1.6, label=label)
        ax_a.plot(run.steps, run.test_acc_curve, color=colour, lw=1.6, label=label)
    ax_l.set(
        yscale="log", ylim=(3e-4, 60), xlabel="training step (full batch)", ylabel="loss (cross-entropy)"
    )
    ax_l.set_title("training loss (dashed) and test loss (solid)", fontsize=10)
    ax_a.set(ylim=(0.45, 0.85), xlabel="training step (full batch)", ylabel="test accuracy")
    ax_a.set_title("test accuracy", fontsize=10)
    ax_l.legend(fontsize=8, loc="upper right", ncol=2)
    ax_a.legend(fontsize=8, loc="lower right")
    return fig


def plot_sweep(runs):
    """Final training and test accuracy against the hidden drop probability, one line per input drop
    probability (training dashed)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.6, 3.8), layout="constrained")
    _sweep_lines(ax, runs)
    ax.legend(fontsize=8, loc="lower left")
    return fig


def _sweep_lines(ax, runs, short=False):
    colours = dict(zip(P_INPUT, ("tab:blue", "tab:orange", "tab:red")))
    for p_in in P_INPUT:
        ph = [p for p in P_HIDDEN if (p_in, p) in runs]
        ax.plot(ph, [runs[p_in, p].train_acc for p in ph], ls="--", marker=".", color=colours[p_in], lw=1)
        ax.plot(
            ph,
            [runs[p_in, p].test_acc for p in ph],
            marker="o",
            ms=4,
            color=colours[p_in],
            label=f"{p_in:g}" if short else f"inputs p_drop = {p_in:g}: test (dashed: training)",
        )
    ax.axhline(0.5, color="0.6", lw=0.8, ls=":")
    ax.text(0.56, 0.51, "chance", fontsize=8, color="0.4")
    ax.set(
        xlabel="hidden layers' p_drop", ylabel="accuracy after 300 steps", ylim=(0.25, 1.03), xticks=P_HIDDEN
    )


def plot_mc(curve):
    """Test loss and test accuracy of the mean of the first k sampled networks, against the
    weight-scaling rule (dashed)."""
    import matplotlib.pyplot as plt

    fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(10.0, 3.5), layout="constrained")
    _mc_axes(ax_l, ax_a, curve)
    return fig


def _mc_axes(ax_l, ax_a, c):
    ax_l.plot(c["k"], c["loss"], color="tab:purple", lw=1.6, label="mean of k sampled networks")
    ax_l.axhline(c["scaled_loss"], color="k", ls="--", lw=1.2, label="weight scaling (one pass)")
    ax_a.plot(c["k"], c["acc"], color="tab:purple", lw=1.6, label="mean of k sampled networks")
    ax_a.axhline(c["scaled_acc"], color="k", ls="--", lw=1.2, label="weight scaling (one pass)")
    ax_l.set(
        xscale="log",
        xlabel="masks sampled k",
        ylabel="test loss (cross-entropy)",
        ylim=(0, 1.1 * max(c["loss"].max(), c["scaled_loss"])),
    )
    ax_a.set(xscale="log", xlabel="masks sampled k", ylabel="test accuracy", ylim=(0.6, 0.8))
    from matplotlib.ticker import FuncFormatter

    for ax in (ax_l, ax_a):
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax_l.set_title("test loss", fontsize=10)
    ax_a.set_title("test accuracy", fontsize=10)
    ax_l.legend(fontsize=8, loc="upper right")
    ax_a.legend(fontsize=8, loc="lower right")


# --- widgets -------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _means(p_drop, inverted):
    return unit_means(float(p_drop), inverted=bool(inverted))


def dropout_explorer(p_drop=0.5, sample=0, inverted=True):
    """One example's mask on a 4-6-6 network, the masks of 20 examples, and each next-layer unit's mean
    activation in training (20,000 masks) against its value at test time."""
    fig, (ax_n, ax_m, ax_b) = new_figure(3, 4.0, 3.8)
    units, outgoing = _network_axes(ax_n)
    image = _mask_image(ax_m, _means(p_drop, inverted)["masks"])
    marker = ax_m.axvline(sample, color="tab:red", lw=2)
    train_bars, test_bars = _means_axes(ax_b)
    title = fig.suptitle("", fontsize=11)

    def draw(p_drop, sample, inverted):
        u = _means(p_drop, inverted)
        _show_mask(units, outgoing, u["masks"][sample])
        image.set_data(u["masks"].T)
        marker.set_xdata([sample, sample])
        _set_bars(train_bars, u["post_train"])
        _set_bars(test_bars, u["post_test"])
        kept = int(u["masks"][sample].sum())
        gap = np.max(np.abs(u["post_train"] - u["post_test"]))
        title.set_text(
            f"p_drop = {p_drop:.2f}: example {sample} keeps {kept} of 6 hidden units; "
            f"largest gap between training mean and test value: {gap:.2f}"
        )

    controls = {
        "p_drop": W.SelectionSlider(
            options=[(f"{p:.2f}", float(p)) for p in P_GRID],
            value=float(p_drop),
            description="p_drop",
            style={"description_width": "initial"},
            layout=W.Layout(width="300px"),
        ),
        "sample": W.IntSlider(
            value=sample,
            min=0,
            max=19,
            description="example",
            style={"description_width": "initial"},
            layout=W.Layout(width="300px"),
        ),
        "inverted": W.Checkbox(value=inverted, description="divide kept units by 1 - p_drop in training"),
    }
    animated = [units, outgoing, image, marker, *train_bars, *test_bars, title]
    return LiveFigure(fig, controls, draw, animated=animated, title="Dropout on one hidden layer")


def regularization_explorer(p_input=0.0, p_hidden=0.5):
    """The running network (52-32-32-2, 300 Adam steps on 200 points with 50 nuisance features) at each
    pair of drop probabilities, all trained when the explorer is built (or taken from the lesson's cache):
    loss and test-accuracy curves against no dropout, and final accuracies against p_hidden."""
    runs = sweep()
    base = runs[0.0, 0.0]
    fig, (ax_l, ax_a, ax_s) = new_figure(3, 4.3, 3.8)
    _curve_axes(ax_l, ax_a, base)
    (train_line,) = ax_l.plot([], [], color="tab:purple", lw=1.2, ls="--")
    (test_line,) = ax_l.plot([], [], color="tab:purple", lw=1.8, label="with dropout")
    (acc_line,) = ax_a.plot([], [], color="tab:purple", lw=1.8, label="with dropout")
    ax_l.legend(fontsize=8, loc="upper right", ncol=2)
    ax_a.legend(fontsize=8, loc="lower right")
    _sweep_lines(ax_s, runs, short=True)
    ax_s.legend(
        fontsize=7.5, loc="lower left", title="inputs p_drop (test; dashed: training)", title_fontsize=7.5
    )
    ax_s.set_title("final accuracy (current setting ringed)", fontsize=10)
    (ring_test,) = ax_s.plot([], [], "o", ms=12, mfc="none", mec="k", mew=1.5)
    (ring_train,) = ax_s.plot([], [], "s", ms=9, mfc="none", mec="k", mew=1.2)
    title = fig.suptitle("", fontsize=11)

    def draw(p_input, p_hidden):
        r = runs[p_input, p_hidden]
        train_line.set_data(r.steps, r.train_loss)
        test_line.set_data(r.steps, r.test_loss)
        acc_line.set_data(r.steps, r.test_acc_curve)
        ring_test.set_data([p_hidden], [r.test_acc])
        ring_train.set_data([p_hidden], [r.train_acc])
        title.set_text(
            f"inputs p_drop = {p_input:g}, hidden p_drop = {p_hidden:g}: training accuracy "
            f"{r.train_acc:.3f}, validation {r.val_acc:.3f}, test {r.test_acc:.3f} "
            f"(no dropout: test {base.test_acc:.3f})"
        )

    controls = {
        "p_input": W.ToggleButtons(
            options=[(f"{p:g}", p) for p in P_INPUT],
            value=p_input,
            description="inputs p_drop",
            style={"button_width": "48px", "description_width": "initial"},
        ),
        "p_hidden": W.SelectionSlider(
            options=[(f"{p:g}", p) for p in P_HIDDEN],
            value=p_hidden,
            description="hidden p_drop",
            style={"description_width": "initial"},
            layout=W.Layout(width="300px"),
        ),
    }
    animated = [train_line, test_line, acc_line, ring_test, ring_train, title]
    return LiveFigure(fig, controls, draw, animated=animated, title="Dropout as a regularizer")


def mc_explorer(k=1):
    """Monte Carlo dropout on the running network (hidden p_drop 0.5): the test loss and accuracy of the
    mean of k sampled networks (the current k marked), and every test point's P(class 1) from the mean
    of k against the weight-scaling rule's."""
    c = mc_curve()
    fig, (ax_l, ax_a, ax_p) = new_figure(3, 4.2, 3.8)
    _mc_axes(ax_l, ax_a, c)
    (mark_l,) = ax_l.plot([], [], "o", color="tab:purple", mec="k", ms=9)
    (mark_a,) = ax_a.plot([], [], "o", color="tab:purple", mec="k", ms=9)
    scaled = c["scaled"][:, 1]
    points = ax_p.scatter(scaled, c["running"][0][:, 1], s=6, alpha=0.5, color="tab:purple")
    ax_p.plot([0, 1], [0, 1], color="k", lw=0.8, ls="--")
    ax_p.set(
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.02),
        xlabel="P(class 1), weight scaling",
        ylabel="P(class 1), mean of k sampled networks",
    )
    ax_p.set_title("each of the 1000 test points", fontsize=10)
    title = fig.suptitle("", fontsize=11)

    def draw(k):
        mark_l.set_data([k], [c["loss"][k - 1]])
        mark_a.set_data([k], [c["acc"][k - 1]])
        points.set_offsets(np.column_stack([scaled, c["running"][k - 1][:, 1]]))
        title.set_text(
            f"k = {k}: test loss {c['loss'][k - 1]:.3f}, accuracy {c['acc'][k - 1]:.3f}; weight "
            f"scaling: loss {c['scaled_loss']:.3f}, accuracy {c['scaled_acc']:.3f}"
        )

    controls = {
        "k": W.IntSlider(
            value=k,
            min=1,
            max=len(c["k"]),
            description="masks sampled k",
            style={"description_width": "initial"},
            layout=W.Layout(width="300px"),
        )
    }
    return LiveFigure(
        fig,
        controls,
        draw,
        animated=[mark_l, mark_a, points, title],
        title="Monte Carlo dropout against the weight-scaling rule",
    )


__all__ = [
    "dropout_explorer",
    "regularization_explorer",
    "mc_explorer",
    "plot_mask",
    "plot_unit_means",
    "plot_curves",
    "plot_sweep",
    "plot_mc",
]
