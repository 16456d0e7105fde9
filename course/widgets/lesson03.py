r"""Widgets for lesson 03: how the initial weights shape a deep network, and why they must differ.

* :func:`init_explorer`: per-layer histograms of the activations and of the gradients of a
  deep MLP at initialization, for a chosen scheme, activation function and depth.
* :func:`symmetry_explorer`: a small network trained step by step from identical or random
  weights; the hidden units' incoming weights, the decision surface and the loss.

and the lesson's static figures (drawn with pyplot, so that ``%matplotlib inline`` shows them):
:func:`weight_paths`, :func:`histogram_grid`, :func:`std_per_layer`, :func:`loss_curve_panels` and
:func:`training_losses`.

Both draw what ``course.computations.lesson03`` computes with nnlib: the network is built by
``nn.mlp`` with ``nn.init``'s schemes and looked into with ``nn.collect_activations_and_grads``
(about 10 ms for 8 layers of 100 units). The inputs and the symmetry runs are computed once.
"""
from __future__ import annotations

import ipywidgets as W
import numpy as np

import nnlib as nn

from ..computations.lesson03 import (EVERY, HIDDEN, INITS, STARTS, STEPS, WIDTH, circles_data, deep_network,
                                     distinct_units, probe_batch, symmetry_run)
from ._live import LiveFigure, new_figure, slider

# --- (a) scale: activations and gradients of a deep MLP at initialization ----------------------

MAX_DEPTH = 10
ACTIVATION_RANGES = {"tanh": (-1.0, 1.0), "ReLU": (0.0, 3.0), "sigmoid": (0.0, 1.0)}   # left panel's x range
LOG_RANGE = (-16.0, 4.0)   # decades of |dL/da| shown; values outside land in the end bins


def _counts(values, lo, hi, bins):
    """Histogram of ``values`` on ``bins`` equal bins of (lo, hi); values beyond an end go to the end bin."""
    v = values[np.isfinite(values)]
    idx = np.clip(((v - lo) * (bins / (hi - lo))).astype(np.int64), 0, bins - 1)
    return np.bincount(idx, minlength=bins)


STD_RANGE = (1e-16, 1e8)   # the standard deviations panel; values beyond are drawn at its edges


def init_explorer(scheme="Glorot uniform", activation="tanh", depth=8, gain=1.0):
    r"""Per-layer histograms of a deep MLP's activations (left) and of the gradients
    :math:`|\partial L/\partial a_l|` on a log scale (middle), right after initialization,
    and each layer's standard deviation of both (right, log scale).

    The network has ``depth`` hidden layers of 100 units and 10 softmax outputs, zero biases;
    the batch is 200 standard-normal inputs with random labels. Every weight of the chosen
    scheme is multiplied by ``gain`` (a free scale: 1 is the scheme itself). Each histogram is
    scaled to its own peak.
    """
    batch = probe_batch()
    loss_fn = nn.SoftmaxCrossEntropy()
    from matplotlib.figure import Figure
    fig = Figure(figsize=(12, 4.4), layout="constrained")   # like new_figure, with unequal panels
    ax_a, ax_g, ax_s = fig.subplots(1, 3, sharey=True, gridspec_kw={"width_ratios": [1.25, 1.25, 1]})
    nb_a, nb_g = 40, 60
    patches_a = [ax_a.stairs(np.zeros(nb_a), np.linspace(-1, 1, nb_a + 1), fill=True, color="tab:blue",
                             alpha=0.75) for _ in range(MAX_DEPTH)]
    patches_g = [ax_g.stairs(np.zeros(nb_g), np.linspace(*LOG_RANGE, nb_g + 1), fill=True,
                             color="tab:orange", alpha=0.75) for _ in range(MAX_DEPTH)]
    labels = [ax_a.text(-0.015, 0, str(i + 1), transform=ax_a.get_yaxis_transform(), ha="right", va="center",
                        fontsize=9) for i in range(MAX_DEPTH)]
    ax_a.set(ylim=(1, 0), yticks=[])              # rows are laid out in (0, 1), layer 1 at the top
    ax_a.set_ylabel("hidden layer", labelpad=16)
    std_a, = ax_s.plot([], [], "o-", color="tab:blue", label="activations")
    std_g, = ax_s.plot([], [], "s-", color="tab:orange", label="gradients")
    ax_s.set(xscale="log", xlim=STD_RANGE, xlabel="standard deviation (log scale)")
    ax_s.set_xticks([1e-16, 1e-12, 1e-8, 1e-4, 1, 1e4, 1e8],
                    ["1e-16", "1e-12", "1e-8", "1e-4", "1", "1e4", "1e8"])
    ax_s.minorticks_off()
    ax_s.grid(True, axis="x", alpha=0.3)
    ax_s.axvline(1.0, color="0.6", lw=0.8)
    ax_s.legend(fontsize=8, loc="lower left")
    ax_s.set_title(" ", fontsize=10)
    ax_g.set(xlim=LOG_RANGE, xlabel="|dL/da| of each unit and example (log scale)")
    ticks = np.arange(-15, 4, 3)
    ax_g.set_xticks(ticks, [f"1e{t}" for t in ticks])
    ax_g.set_title("gradients reaching each layer", fontsize=10)
    state = {}

    def draw(scheme, activation, gain, depth):
        full = activation != state.get("activation")   # only the x range of the left panel is static
        lo, hi = ACTIVATION_RANGES[activation]
        if full:
            state["activation"] = activation
            ax_a.set_xlim(lo, hi)
            ax_a.set_xlabel(f"output a = {activation}(z) of each unit and example" +
                            (" (> 3: last bin)" if activation == "ReLU" else ""))
            ax_a.set_title("what each layer outputs" + (" (zeros left out)" if activation == "ReLU" else ""),
                           fontsize=10)
        model = deep_network(scheme, activation, depth, gain)
        with np.errstate(all="ignore"):          # the large schemes overflow with ReLU, on purpose
            acts, grads = nn.collect_activations_and_grads(model, loss_fn, *batch)
        var_w = float(model[0].params["W"].var())   # measured on the first layer's 100 x 100 weights
        edges_a = np.linspace(lo, hi, nb_a + 1)
        edges_g = np.linspace(*LOG_RANGE, nb_g + 1)
        row = 1.0 / depth
        for i in range(MAX_DEPTH):
            for artist in (patches_a[i], patches_g[i], labels[i]):
                artist.set_visible(i < depth)
            if i >= depth:
                continue
            base = (i + 0.95) * row               # the bottom of layer i + 1's row (the y axis points down)
            labels[i].set_y((i + 0.5) * row)
            a = acts[i].ravel()
            if activation == "ReLU":
                a = a[a > 0]
            g = np.abs(grads[i].ravel())
            g = np.log10(g[g > 0])
            for patch, counts, edges in ((patches_a[i], _counts(a, lo, hi, nb_a), edges_a),
                                         (patches_g[i], _counts(g, *LOG_RANGE, nb_g), edges_g)):
                height = 0.85 * row * counts / max(counts.max(initial=0), 1)
                patch.set_data(base - height, edges, baseline=base)
        rows = (np.arange(depth) + 0.5) * row
        std_a.set_data(np.clip([x.std() for x in acts], *STD_RANGE), rows)
        std_g.set_data(np.clip([x.std() for x in grads], *STD_RANGE), rows)
        ax_s.set_title(f"std per layer;  n_in·Var(w) = {WIDTH * var_w:.2g}",
                       fontsize=10)
        return full

    controls = {
        "scheme": W.Dropdown(options=list(INITS), value=scheme, description="scheme",
                             layout=W.Layout(width="330px")),
        "activation": W.ToggleButtons(options=list(ACTIVATION_RANGES), value=activation,
                                      style={"button_width": "auto"}),
        "gain": slider(gain, -2, 2, 0.05, "scale: weights ×", log=True),
        "depth": W.IntSlider(value=depth, min=2, max=MAX_DEPTH, step=1, description="hidden layers",
                             style={"description_width": "initial"}, layout=W.Layout(width="300px")),
    }
    controls["gain"].readout_format = ".2f"
    animated = patches_a + patches_g + labels + [std_a, std_g, ax_s.title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Initialization schemes: activations and gradients in a deep network")


# --- (b) symmetry: identical units stay identical ---------------------------------------------


def symmetry_explorer(start="identical: every weight 0.5", steps=0):
    """Gradient descent from identical or random weights: each hidden unit's incoming weights
    (left), the network's decision surface (middle) and the training loss (right)."""
    X, y = circles_data()
    runs = {name: symmetry_run(name, X, y) for name in STARTS}
    model = runs[start][0]
    fig, (ax_w, ax_s, ax_l) = new_figure(ncols=3, width=3.5, height=3.4)

    M0 = np.zeros((3, HIDDEN))
    heat = ax_w.imshow(M0, cmap="RdBu_r", vmin=-4, vmax=4, aspect="auto")
    ax_w.set_yticks([0, 1, 2], ["from x1", "from x2", "bias"])
    ax_w.set_xticks(range(HIDDEN), [str(j + 1) for j in range(HIDDEN)])
    ax_w.set_xlabel("hidden unit")
    cbar = fig.colorbar(heat, ax=ax_w, fraction=0.08, pad=0.03)
    cbar.ax.tick_params(labelsize=8)
    ax_w.set_title(" ", fontsize=10)

    bp = nn.plot.decision_boundary(model, X, y, ax=ax_s, resolution=60, padding=0.3, colorbar=False)
    ax_s.set_title("P(class 1): blue 0, red 1", fontsize=10)
    ax_s.set_aspect("equal")

    for k, (name, (_, _, losses)) in enumerate(runs.items()):
        ax_l.plot(np.arange(len(losses)), losses, color=f"C{k}", lw=1.5, ls=("-", "--", "-")[k],
                  label=name.replace(": every weight", ""))
    ax_l.set(xlabel="gradient-descent steps", ylabel="training loss (cross-entropy)", xlim=(-10, STEPS + 10),
             ylim=(0, 0.9))
    ax_l.legend(fontsize=7, loc="lower left")
    marker, = ax_l.plot([0], [0], "o", color="k", ms=7)
    ax_l.set_title(" ", fontsize=10)

    def draw(start, steps):
        model, snapshots, losses = runs[start]
        weights = snapshots[steps // EVERY]
        model.set_weights(weights)
        M = np.vstack([weights["0.W"], weights["0.b"]])
        heat.set_data(M)
        n = distinct_units(weights["0.W"], weights["0.b"])
        ax_w.set_title(f"incoming weights: {HIDDEN} units, {n} distinct", fontsize=10)
        bp.update(model)
        marker.set_data([steps], [losses[steps]])
        marker.set_color(f"C{list(STARTS).index(start)}")
        ax_l.set_title(f"step {steps}: loss {losses[steps]:.3f}", fontsize=10)

    controls = {
        "steps": W.IntSlider(value=steps, min=0, max=STEPS, step=EVERY, description="gradient steps",
                             style={"description_width": "initial"}, layout=W.Layout(width="320px")),
        "start": W.ToggleButtons(options=list(STARTS), value=start, style={"button_width": "190px"}),
    }
    animated = [heat, ax_w.title, bp.image, bp.scatter, marker, ax_l.title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Symmetry: do units that start identical ever differ?")


# --- (c) the lesson's static figures ----------------------------------------------------------
# Drawn with pyplot (imported on first use) so that ``%matplotlib inline`` shows them in the lesson.


def weight_paths(runs, starts):
    """One panel per start: the weight from input x1 into each hidden unit, step by step.

    ``runs`` maps a start to what :func:`~course.computations.lesson03.symmetry_run` returned.
    """
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(starts), figsize=(5 * len(starts), 3.4), sharey=True,
                             layout="constrained")
    for ax, start in zip(axes, starts):
        _, snapshots, _ = runs[start]
        steps = EVERY * np.arange(len(snapshots))
        ax.plot(steps, [s["0.W"][0] for s in snapshots], lw=1.5)     # (snapshots, units): one line per unit
        n = distinct_units(snapshots[-1]["0.W"], snapshots[-1]["0.b"])
        ax.set(title=f"{start}: {n} distinct unit{'s' if n > 1 else ''}", xlabel="gradient-descent steps")
    axes[0].set_ylabel("weight from $x_1$ into each hidden unit")
    return fig


def histogram_grid(values_by_scheme, xlabel, x_range, x_ticks):
    """Per-layer histograms (``nn.plot.layer_histograms``), one row per scheme, layer 1 on the left.

    ``values_by_scheme`` maps a scheme to one array per layer; values outside ``x_range`` are not
    counted (choose it to hold them all). Each panel is scaled to its own peak.
    """
    import matplotlib.pyplot as plt
    depth = len(next(iter(values_by_scheme.values())))
    fig, axes = plt.subplots(len(values_by_scheme), depth, figsize=(15, 8.5), sharex=True,
                             gridspec_kw=dict(left=0.05, right=0.99, bottom=0.07, top=0.96, wspace=0.08,
                                              hspace=0.1))
    for row, (scheme, values) in zip(axes, values_by_scheme.items()):
        nn.plot.layer_histograms(values, axes=row, title=xlabel, bins=40, range=x_range)
        for i, ax in enumerate(row):
            ax.set(xlabel="", ylabel="", yticks=[], xticks=x_ticks)
            if ax is not axes[0, i]:
                ax.set_title("")
            for text in ax.texts:                 # the mean/std note: let the panel's frame show through
                if text.get_bbox_patch() is not None:
                    text.get_bbox_patch().set_alpha(0.6)
        row[0].set_ylabel(scheme.replace(" N(", "\nN(").replace(" U(", "\nU("), fontsize=10)
    for ax in axes[-1]:
        ax.set_xlabel(xlabel)
    return fig


def std_per_layer(probes, title):
    """The standard deviation of each hidden layer's outputs (left) and of dL/da_l (right), log scale.

    ``probes`` maps a scheme to the ``(activations, grads)`` of
    :func:`~course.computations.lesson03.probe`.
    """
    import matplotlib.pyplot as plt
    fig, (ax_a, ax_g) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    for scheme, (acts, grads) in probes.items():
        layers = np.arange(1, len(acts) + 1)
        ax_a.semilogy(layers, [a.std() for a in acts], "o-", label=scheme)
        ax_g.semilogy(layers, [g.std() for g in grads], "o-", label=scheme)
    ax_a.set(xlabel="hidden layer", ylabel="std of the outputs a_l", title=f"{title}: forward")
    ax_g.set(xlabel="hidden layer", ylabel="std of dL/da_l", title=f"{title}: backward")
    ax_a.legend(fontsize=8)
    return fig


def loss_curve_panels(histories, ylim):
    """One panel of training and validation loss per start (``nn.plot.loss_curves``), shared y axis."""
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(histories), figsize=(16, 3.4), sharey=True, layout="constrained")
    for ax, (scheme, h) in zip(axes, histories.items()):
        nn.plot.loss_curves(h, ax=ax)
        ax.set_title(scheme, fontsize=11)
        ax.set_ylabel("")
    axes[0].set(ylabel="loss (cross-entropy)", ylim=ylim)
    return fig


def training_losses(histories, schemes, title):
    """The training loss per epoch of the chosen runs, on one axis."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.5, 3.6), layout="constrained")
    for scheme in schemes:
        h = histories[scheme]
        ax.plot(np.arange(1, h.epochs + 1), h.train_loss, "o-", ms=3, label=scheme)
    ax.set(xlabel="epoch", ylabel="training loss (cross-entropy)", title=title)
    ax.legend()
    return fig
