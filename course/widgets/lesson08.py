r"""Widgets for lesson 08 (unstable gradients): how the backpropagated gradient changes from layer to
layer, and the cliff of a recurrent net with gradient clipping.

* :func:`gradient_flow_explorer`: a deep net on the digits (2 to 50 hidden layers of 32 units) with a
  chosen activation, initialization, batch norm and residual blocks: ||dL/da_l|| for every hidden layer
  (log scale) at initialization and after 10 training steps, and the activations of three layers.
* :func:`clipping_explorer`: Pascanu et al.'s one-unit recurrent net: its loss over (w, b) with the
  cliff, gradient descent from one start without clipping and with clipping at a chosen threshold.

and the lesson's static figures (pyplot): :func:`plot_depth`, :func:`plot_profiles`, :func:`plot_cliff`
and :func:`plot_clipping`. Every number comes from ``course.computations.lesson08``.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import numpy as np

import nnlib as nn

from ..computations.lesson08 import LOSS, deep_net, digits_split, flow, rnn_loss_and_grad
from ._live import LiveFigure, new_figure

DEPTHS = (2, 5, 10, 20, 30, 50)
START = (6.0, -2.5)  # a start from which plain descent falls off the cliff
THRESHOLDS = (0.1, 0.3, 1.0, 3.0, 10.0)
W_RANGE, B_RANGE = (2.0, 9.0), (-4.0, -1.0)


# --- static figures ----------------------------------------------------------------------------


def plot_depth(runs):
    """Test accuracy against depth (left) and ||dL/da_l|| per hidden layer at initialization (right,
    log scale) for the runs of ``course.computations.lesson08.depth_run``, keyed by depth."""
    import matplotlib.pyplot as plt

    fig, (ax_a, ax_g) = plt.subplots(1, 2, figsize=(10.0, 3.7), layout="constrained")
    depths = sorted(runs)
    ax_a.plot(depths, [runs[d].test_acc for d in depths], "o-", color="tab:blue", label="test")
    ax_a.plot(depths, [runs[d].train_acc for d in depths], "s--", color="tab:blue", ms=4, label="training")
    ax_a.axhline(0.1, color="0.6", ls=":", lw=1)
    ax_a.text(depths[-1], 0.12, "chance", ha="right", fontsize=8, color="0.4")
    ax_a.set(
        xlabel="hidden layers (sigmoid, Glorot init)",
        ylabel="accuracy after 10 epochs",
        ylim=(0, 1.05),
        xticks=depths,
    )
    ax_a.legend(fontsize=8, loc="center right")
    colours = __import__("matplotlib").colormaps["viridis"](np.linspace(0, 0.9, len(depths)))
    for d, colour in zip(depths, colours):
        g = runs[d].norms_init
        ax_g.plot(np.arange(1, d + 1), g, "o-", ms=3, color=colour, label=f"{d} layer{'s' if d > 1 else ''}")
    ax_g.set(
        yscale="log", xlabel="hidden layer l (1 = next to the input)", ylabel="||dL/da_l|| at initialization"
    )
    ax_g.legend(fontsize=8, loc="lower right")
    return fig


def plot_profiles(profiles):
    """||dL/da_l|| against the layer l for several networks at initialization; ``profiles`` maps a
    label to an array (first layer first)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.4, 4.0), layout="constrained")
    for label, g in profiles.items():
        ax.plot(np.arange(1, len(g) + 1), g / g[-1], lw=1.6, label=label)
    ax.set(
        yscale="log",
        xlabel="hidden layer l (1 = next to the input)",
        ylabel="||dL/da_l|| / ||dL/da_last||",
        ylim=(1e-50, 1e5),
    )
    ax.legend(fontsize=8, loc="lower right")
    return fig


def _cliff_data():
    w = np.linspace(-10, 10, 2001)
    E, dw, db = rnn_loss_and_grad(w, -2.5)
    return w, E, np.hypot(dw, db)


def plot_cliff():
    """The loss E and the gradient norm along w at b = -2.5 (Pascanu et al. 2013, §2.3)."""
    import matplotlib.pyplot as plt

    w, E, g = _cliff_data()
    fig, (ax_e, ax_g) = plt.subplots(1, 2, figsize=(10.0, 3.4), layout="constrained")
    ax_e.plot(w, E, color="tab:purple")
    ax_e.set(xlabel="w (b = -2.5)", ylabel="loss E = (σ(x_50) - 0.7)²")
    ax_g.plot(w, g, color="tab:red")
    ax_g.set(yscale="log", xlabel="w (b = -2.5)", ylabel="||∇E||")
    ax_e.set_title("the loss along w: flat, then a cliff", fontsize=10)
    ax_g.set_title("its gradient norm", fontsize=10)
    return fig


@lru_cache(maxsize=1)
def _landscape(res=140):
    ws = np.linspace(*W_RANGE, res)
    bs = np.linspace(*B_RANGE, res)
    E = rnn_loss_and_grad(ws[None, :], bs[:, None])[0]
    return ws, bs, E


@lru_cache(maxsize=1)
def _paths(steps=400, lr=0.5):
    """Gradient descent from START without clipping and with each threshold of THRESHOLDS, all runs
    stepped together as one array (Pascanu et al. Alg. 1 for the clipped ones)."""
    clips = np.array([np.inf, *THRESHOLDS])
    w, b = np.full(len(clips), START[0]), np.full(len(clips), START[1])
    path, losses = [np.column_stack([w, b])], []
    for _ in range(steps):
        E, dw, db = rnn_loss_and_grad(w, b)
        losses.append(E)
        norm = np.hypot(dw, db)
        scale = np.where(norm >= clips, clips / np.maximum(norm, 1e-300), 1.0)
        w, b = w - lr * scale * dw, b - lr * scale * db
        path.append(np.column_stack([w, b]))
    losses.append(rnn_loss_and_grad(w, b)[0])
    path, losses = np.stack(path, axis=1), np.stack(losses, axis=1)
    return {c: (path[i], losses[i]) for i, c in enumerate([None, *THRESHOLDS])}


def _path(clip):
    return _paths()[clip]


def _landscape_axes(ax):
    ws, bs, E = _landscape()
    ax.imshow(np.log10(E + 1e-6), origin="lower", extent=(*W_RANGE, *B_RANGE), aspect="auto", cmap="Greys_r")
    ax.set(xlabel="w", ylabel="b", xlim=W_RANGE, ylim=B_RANGE)
    ax.set_title("log loss over (w, b); dark = low", fontsize=10)


def plot_clipping(clip=1.0):
    """Gradient descent (400 steps, lr 0.5) from one start on the loss surface, without clipping and with
    clipping at ``clip``; right: the loss per step."""
    import matplotlib.pyplot as plt

    fig, (ax_s, ax_l) = plt.subplots(1, 2, figsize=(10.0, 3.8), layout="constrained")
    _landscape_axes(ax_s)
    for c, colour, label in ((None, "tab:red", "no clipping"), (clip, "tab:blue", f"clipped at {clip:g}")):
        path, losses = _path(c)
        ax_s.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=0.8, color=colour, label=label)
        ax_l.plot(losses, color=colour, label=label)
    ax_s.plot(*START, "o", color="k", ms=6)
    ax_s.legend(fontsize=8, loc="upper right")
    ax_l.set(yscale="log", xlabel="step", ylabel="loss E", ylim=(1e-6, 1))
    ax_l.legend(fontsize=8, loc="lower left")
    return fig


# --- widgets -------------------------------------------------------------------------------------

STEPS = 10


@lru_cache(maxsize=256)
def _flow_run(depth, activation, init, batchnorm, residual, steps=STEPS):
    """||dL/da_l|| and three layers' activations at initialization and after ``steps`` SGD steps
    (mini-batches of 32 digits)."""
    split = digits_split()
    model = deep_net(depth, activation, init, batchnorm, residual)
    with np.errstate(all="ignore"):
        acts0, g0 = flow(model, n=32)
        nn.fit(
            model,
            LOSS,
            nn.optim.SGD(lr=0.03, momentum=0.9),
            split.X_train[: 32 * steps],
            split.y_train[: 32 * steps],
            epochs=1,
            batch_size=32,
            rng=nn.make_rng(1),
            eval_train=False,
            on_divergence="stop",
        )
        acts1, g1 = flow(model, n=32)
    picks = sorted({0, (depth - 1) // 2, depth - 1})
    return g0, g1, [(l + 1, acts0[l].ravel(), acts1[l].ravel()) for l in picks]


def gradient_flow_explorer(depth=20, activation="sigmoid", init="Glorot", batchnorm=False, residual=False):
    """Per-layer ||dL/da_l|| of a deep net on the digits, at initialization and after 10 steps, and the
    activations of its first, middle and last hidden layers at initialization (solid) and after the
    steps (dashed)."""
    fig, (ax_g, ax_h) = new_figure(2, 5.2, 3.9)
    (init_line,) = ax_g.plot([], [], "o-", ms=3, color="tab:purple", label="at initialization")
    (trained_line,) = ax_g.plot([], [], "s--", ms=3, color="tab:orange", label=f"after {STEPS} SGD steps")
    ax_g.set(
        yscale="log",
        xlim=(0.5, max(DEPTHS) + 0.5),
        ylim=(1e-35, 1e3),
        xlabel="hidden layer l (1 = next to the input)",
        ylabel="||dL/da_l||",
    )
    ax_g.legend(fontsize=8, loc="lower right")
    edges = np.linspace(-4, 4, 61)
    colours = ("tab:blue", "tab:green", "tab:red")
    hists = [ax_h.stairs(np.zeros(60), edges, color=c, lw=1.5, label=" ") for c in colours]
    after = [ax_h.stairs(np.zeros(60), edges, color=c, lw=1.0, ls="--") for c in colours]
    ax_h.set(
        xlim=(-4, 4),
        ylim=(0, 1.02),
        xlabel=f"activation a_l (clipped to ±4); solid: at initialization, dashed: after {STEPS} steps",
        ylabel="fraction of the largest bin",
    )
    legend = ax_h.legend(fontsize=8, loc="upper right")
    title = fig.suptitle("", fontsize=11)

    def draw(depth, activation, init, batchnorm, residual):
        g0, g1, acts = _flow_run(depth, activation, init, batchnorm, residual)
        layers = np.arange(1, depth + 1)
        init_line.set_data(layers, np.maximum(g0, 1e-300))
        trained_line.set_data(layers, np.maximum(g1, 1e-300))
        shown = acts + [acts[-1]] * (3 - len(acts))
        for h, h1, (l, a, a1), text in zip(hists, after, shown, legend.get_texts()):
            for stairs, values in ((h, a), (h1, a1)):
                counts, _ = np.histogram(np.clip(np.nan_to_num(values), -4, 3.999), edges)
                stairs.set_data(counts / max(counts.max(), 1))
            text.set_text(f"layer {l}")
        ratio = g0[0] / g0[-1]
        title.set_text(
            f"{depth} layers, {activation}, {init} init{', batch norm' if batchnorm else ''}"
            f"{', residual' if residual else ''}: ||dL/da_1|| / ||dL/da_{depth}|| = {ratio:.1e} at "
            f"initialization"
        )

    style = {"description_width": "initial"}
    controls = {
        "depth": W.SelectionSlider(
            options=list(DEPTHS),
            value=depth,
            description="hidden layers",
            style=style,
            layout=W.Layout(width="300px"),
        ),
        "activation": W.Dropdown(
            options=["sigmoid", "tanh", "relu"],
            value=activation,
            description="activation",
            style=style,
            layout=W.Layout(width="200px"),
        ),
        "init": W.Dropdown(
            options=["N(0, 0.01)", "N(0, 1)", "Glorot", "He"],
            value=init,
            description="init",
            style=style,
            layout=W.Layout(width="200px"),
        ),
        "batchnorm": W.Checkbox(value=batchnorm, description="batch norm"),
        "residual": W.Checkbox(value=residual, description="residual blocks"),
    }
    animated = [init_line, trained_line, *hists, *after, legend, title]
    return LiveFigure(fig, controls, draw, animated=animated, title="Gradient flow through a deep network")


def clipping_explorer(clip=1.0, show_plain=True):
    """Gradient descent on the one-unit recurrent net from one start: the path over the loss surface and
    the loss per step, clipped at a chosen threshold, with the unclipped run for comparison."""
    fig, (ax_s, ax_l) = new_figure(2, 5.0, 3.9)
    _landscape_axes(ax_s)
    ax_s.plot(*START, "o", color="k", ms=6)
    plain_path, plain_losses = _path(None)
    (plain_line,) = ax_s.plot(
        plain_path[:, 0], plain_path[:, 1], ".-", ms=2, lw=0.8, color="tab:red", label="no clipping"
    )
    (clip_line,) = ax_s.plot([], [], ".-", ms=2, lw=0.8, color="tab:blue", label="clipped")
    ax_s.legend(fontsize=8, loc="upper right")
    (plain_curve,) = ax_l.plot(plain_losses, color="tab:red", label="no clipping")
    (clip_curve,) = ax_l.plot([], [], color="tab:blue", label="clipped")
    ax_l.set(
        yscale="log", xlabel="step (lr 0.5)", ylabel="loss E", ylim=(1e-6, 1), xlim=(0, len(plain_losses))
    )
    ax_l.legend(fontsize=8, loc="lower left")
    title = fig.suptitle("", fontsize=11)

    def draw(clip, show_plain):
        path, losses = _path(clip)
        clip_line.set_data(path[:, 0], path[:, 1])
        clip_curve.set_data(np.arange(len(losses)), losses)
        for a in (plain_line, plain_curve):
            a.set_visible(show_plain)
        title.set_text(
            f"clipped at {clip:g}: final loss {losses[-1]:.1e}, longest step "
            f"{np.max(np.linalg.norm(np.diff(path, axis=0), axis=1)):.2f}; no clipping: final loss "
            f"{plain_losses[-1]:.1e}, longest step "
            f"{np.max(np.linalg.norm(np.diff(plain_path, axis=0), axis=1)):.2f}"
        )

    controls = {
        "clip": W.SelectionSlider(
            options=list(THRESHOLDS),
            value=clip,
            description="clip threshold",
            style={"description_width": "initial"},
            layout=W.Layout(width="300px"),
        ),
        "show_plain": W.Checkbox(value=show_plain, description="show the run without clipping"),
    }
    return LiveFigure(
        fig,
        controls,
        draw,
        animated=[clip_line, clip_curve, plain_line, plain_curve, title],
        title="Exploding gradients and clipping",
    )


__all__ = [
    "gradient_flow_explorer",
    "clipping_explorer",
    "plot_depth",
    "plot_profiles",
    "plot_cliff",
    "plot_clipping",
]
