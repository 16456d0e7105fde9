"""Widgets for lesson 02: where pre-activations saturate, and how the activation changes training.

``activation_explorer`` draws an activation, its derivative and a Gaussian of pre-activations,
and reports how much of that Gaussian lands where the unit is *saturated*, i.e. where
:math:`|f'(z)| <` ``SATURATED`` (0.05: the unit passes back less than 5% of the gradient it
receives), and the mean factor :math:`E[f'(z)]` by which the gradient is multiplied.
The numbers are integrals over the Gaussian, computed on a fixed grid: no sampling noise.

``network_explorer`` trains a small network (hidden width 8) on a 2-D data set with the
chosen activation and depth (full-batch SGD with momentum), and shows its decision surface
and loss curve. Every setting is trained once, incrementally, and cached (weights every 25
steps, surfaces when first shown): moving the step slider back costs nothing.

The numbers come from ``course.computations.lesson02``; the decision surface is
``nn.plot.decision_boundary`` (the same colours in every lesson: class 1 red).

The lesson's static figures are drawn here too, so that its cells stay short: ``plot_activations``
(f and f'), ``plot_surfaces`` (decision surfaces side by side), ``plot_training_comparison`` (loss
curves and surfaces of one network per activation) and ``plot_weight_paths`` (the zig-zag demo).
They only draw what the lesson computed.
"""
from __future__ import annotations

import numpy as np
import ipywidgets as W

import nnlib as nn

from ..computations.lesson02 import ACTIVATIONS, COLORS, SATURATED, network, saturation_stats
from ._live import LiveFigure, new_figure, slider


def activation_explorer(activation="sigmoid", mean=0.0, spread=3.0):
    """An activation f, its derivative f' and a Gaussian of pre-activations: how much lands
    where f saturates (|f'| < 0.05), and how much gradient passes on average."""
    fig, (ax, ax_bar) = new_figure(ncols=2, width=4.6, height=3.4)
    z = np.linspace(-6, 6, 601)
    l_f, = ax.plot(z, z, color="k", lw=1.8, label="f(z)")
    l_df, = ax.plot(z, z, color="tab:red", lw=1.5, label="f'(z)")
    l_pdf, = ax.plot(z, z, color="0.5", lw=1, ls="--", label="pre-activations (scaled)")
    sat = ax.fill_between(z, 0 * z, 0 * z, color="tab:orange", alpha=0.45, lw=0, label="saturated share")
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.set(xlabel="pre-activation z", xlim=(-6, 6))
    ax.legend(loc="upper left", fontsize=8)

    names = ["saturated\n|f'(z)| < 0.05", "zero gradient\nf'(z) = 0", "mean factor\nE[f'(z)]"]
    bars = ax_bar.barh([2, 1, 0], [0, 0, 0], color=["tab:orange", "0.4", "tab:red"], height=0.6)
    values = [ax_bar.text(0.02, y, "", va="center", ha="left", fontsize=10) for y in (2, 1, 0)]
    ax_bar.set(xlim=(0, 1), ylim=(-0.6, 2.6), xlabel="share of pre-activations / mean factor")
    ax_bar.set_yticks([2, 1, 0], names, fontsize=9)
    state = {}

    def draw(activation, mean, spread):
        f, df, _ = ACTIVATIONS[activation]
        full = activation != state.get("activation")
        if full:
            state["activation"] = activation
            fz, dfz = f(z), df(z)
            l_f.set_ydata(fz)
            l_df.set_ydata(dfz)
            top = {"sigmoid": 1.25, "tanh": 1.25}.get(activation, 3.0)
            bottom = -1.25 if activation == "tanh" else -0.35
            ax.set_ylim(bottom, top)
            ax.set_title(f"{activation}: saturated where |f'(z)| < {SATURATED}", fontsize=10)
            state["saturated"] = np.abs(dfz) < SATURATED
        pdf = np.exp(-0.5 * ((z - mean) / spread) ** 2)          # scaled to peak 1
        l_pdf.set_ydata(pdf)
        shade = np.where(state["saturated"], pdf, 0.0)
        verts = np.concatenate([np.column_stack([z, shade]), [[z[-1], 0.0], [z[0], 0.0]]])
        sat.set_verts([verts])
        stats = saturation_stats(activation, mean, spread)
        for bar, text, v in zip(bars, values, (stats["saturated"], stats["zero"], stats["mean_grad"])):
            bar.set_width(v)
            text.set_text(f"{v:.2f}")
            text.set_x(min(v + 0.02, 0.85))
        ax_bar.set_title(f"z ~ N({mean:.1f}, {spread:.1f}²)", fontsize=10)
        return full

    controls = {
        "activation": W.ToggleButtons(options=list(ACTIVATIONS), value=activation,
                                      style={"button_width": "auto"}),
        "mean": slider(mean, -5.0, 5.0, 0.1, "mean of z"),
        "spread": slider(spread, 0.1, 5.0, 0.1, "spread (std) of z"),
    }
    animated = [l_pdf, sat, *bars, *values, ax_bar.title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Where do the pre-activations land? Saturation and gradient flow")


# --- a small network on a 2-D data set ---------------------------------------------------------

DATASETS = {
    "moons": lambda rng: nn.datasets.make_moons(100, noise=0.15, rng=rng),
    "circles": lambda rng: nn.datasets.make_circles(100, noise=0.08, rng=rng),
    "xor": lambda rng: nn.datasets.make_xor(100, noise=0.35, rng=rng),
}
WIDTH, STEP_BLOCK, LR, MOMENTUM, GRID = 8, 25, 0.2, 0.9, 60


class _Run:
    """One (data set, activation, depth) setting, trained full-batch (SGD with momentum) as far as asked.

    Plain SGD shows the activation's effect on the gradient directly; Adam would rescale each
    weight's step and hide part of it (lesson 05).
    """

    def __init__(self, X, y, activation, hidden_layers):
        self.X, self.y = X, y
        self.model = network(activation, hidden_layers, WIDTH, nn.make_rng(0))
        self.opt = nn.optim.SGD(lr=LR, momentum=MOMENTUM)
        self.loss_fn = nn.SoftmaxCrossEntropy()
        self.trained = 0
        self.losses = []                      # losses[k]: loss of the weights after k steps
        self.snapshots = {0: self.model.get_weights()}
        self.surfaces, self.accuracies = {}, {}

    def train_to(self, steps):
        """Take steps until ``steps`` have been taken in total, recording the loss before each."""
        with np.errstate(all="ignore"):
            while True:
                self.model.zero_grad()
                loss = self.loss_fn.forward(self.model.forward(self.X), self.y)
                if len(self.losses) == self.trained:
                    self.losses.append(loss)
                if self.trained >= steps:
                    return
                self.model.backward(self.loss_fn.backward())
                self.opt.step(self.model)
                self.trained += 1
                if self.trained % STEP_BLOCK == 0:
                    self.snapshots[self.trained] = self.model.get_weights()

    def surface(self, steps, plot):
        """The image of ``plot`` (a BoundaryPlot) and the training accuracy, for the weights after
        ``steps`` steps (a multiple of STEP_BLOCK that has been trained)."""
        if steps not in self.surfaces:
            current = self.model.get_weights()
            self.model.set_weights(self.snapshots[steps])
            self.surfaces[steps] = plot.surface(self.model)
            self.accuracies[steps] = nn.accuracy(nn.predict(self.model, self.X), self.y)
            self.model.set_weights(current)
        return self.surfaces[steps], self.accuracies[steps]


def network_explorer(activation="tanh", hidden_layers=2, dataset="moons", steps=100, max_steps=200):
    """Train a small network (width 8) with the chosen activation and depth; watch its decision
    surface and its loss. Loss curves of the other activations you tried (same data and depth,
    same initial weights) stay on the right panel for comparison."""
    fig, (ax, ax_loss) = new_figure(ncols=2, width=4.4, height=3.6)
    data = {name: make(nn.make_rng(1)) for name, make in DATASETS.items()}
    runs = {}
    lines = {name: ax_loss.semilogy([], [], color=COLORS[name], lw=1, alpha=0.45, label=name)[0]
             for name in [*ACTIVATIONS, "none"]}
    marker, = ax_loss.semilogy([], [], "o", color="k", ms=4)
    value = ax_loss.text(0, 0, "", fontsize=9, ha="left", va="bottom")   # the loss at the marker
    ax_loss.set(xlim=(0, max_steps), ylim=(1e-3, 10), xlabel="training step (full batch, SGD + momentum)",
                ylabel="training loss (clipped at 0.001)", title="cross-entropy on the training set")
    ax_loss.legend(loc="upper right", fontsize=8, ncol=3, title="activations tried (same depth and data)",
                   title_fontsize=8)
    ax_loss.grid(True, which="major", alpha=0.3)
    # One frame for all three data sets, so that switching data set redraws only the animated artists.
    every = np.concatenate([X for X, _ in data.values()])
    lo, hi = every.min(axis=0) - 0.3, every.max(axis=0) + 0.3
    X0, y0 = data[dataset]
    plot = nn.plot.decision_boundary(network(activation, hidden_layers, WIDTH, nn.make_rng(0)), X0, y0, ax=ax,
                                     resolution=GRID, colorbar=False, extent=(lo[0], hi[0], lo[1], hi[1]))
    image, scatter = plot.image, plot.scatter
    state = {"dataset": dataset}

    def draw(activation, hidden_layers, dataset, steps):
        steps = int(steps) // STEP_BLOCK * STEP_BLOCK   # snapshots exist every STEP_BLOCK steps
        X, y = data[dataset]
        if dataset != state.get("dataset"):          # points are animated: no full redraw needed
            state["dataset"] = dataset
            plot.set_points(X, y)
        key = (dataset, activation, hidden_layers)
        if key not in runs:
            runs[key] = _Run(X, y, activation, hidden_layers)
        run = runs[key]
        run.train_to(steps)
        surface, acc = run.surface(steps, plot)
        image.set_data(surface)
        for name, line in lines.items():
            other = runs.get((dataset, name, hidden_layers))
            if other is None:
                line.set_data([], [])
                continue
            shown = other.losses[:steps + 1] if name == activation else other.losses
            line.set_data(np.arange(len(shown)), np.maximum(shown, 1e-3))
            line.set_linewidth(2.2 if name == activation else 1.0)
            line.set_alpha(1.0 if name == activation else 0.45)
        loss = max(run.losses[steps], 1e-3)
        marker.set_data([steps], [loss])
        right = steps > 0.75 * max_steps              # near the right edge: label on the marker's left
        value.set_horizontalalignment("right" if right else "left")
        value.set_position((steps - 4 if right else steps + 4, loss * 1.3))
        value.set_text(f"{run.losses[steps]:.3g}")
        ax.set_title(f"{activation}, {hidden_layers} hidden: accuracy {acc:.2f}", fontsize=10)
        return False

    controls = {
        "activation": W.Dropdown(options=[*ACTIVATIONS, "none"], value=activation, description="activation"),
        "hidden_layers": W.IntSlider(value=hidden_layers, min=1, max=4, description="hidden layers",
                                     continuous_update=False, style={"description_width": "initial"}),
        "dataset": W.ToggleButtons(options=list(DATASETS), value=dataset, style={"button_width": "auto"}),
        "steps": W.IntSlider(value=steps, min=0, max=max_steps, step=STEP_BLOCK, description="steps",
                             continuous_update=False, style={"description_width": "initial"}),
    }
    # few characters in animated text: every glyph is rendered again on every update
    animated = [image, scatter, *lines.values(), marker, value, ax.title]  # points over the surface
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="A small network: activation, depth and the decision surface")


# --- the lesson's static figures (drawing only; the numbers are computed in the lesson) ---------

def plot_activations(activations, z_max=5.0):
    """One panel per activation: f(z) in black and f'(z) in red, for z in [-z_max, z_max]."""
    import matplotlib.pyplot as plt

    z = np.linspace(-z_max, z_max, 1001)
    fig, axes = plt.subplots(1, len(activations), figsize=(3.25 * len(activations), 3.2),
                             layout="constrained")
    for ax, (name, (f, df, _)) in zip(axes, activations.items()):
        ax.plot(z, f(z), color="k", label="f(z)")
        ax.plot(z, df(z), color="tab:red", label="f'(z)")
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.set(title=name, xlabel="z", ylim=(-1.2, 2.2))
    axes[0].legend(loc="upper left")
    plt.show()


def plot_surfaces(nets, X, y, titles=None):
    """Decision surfaces of several trained 2-input classifiers side by side, with one shared
    colour bar for P(class 1) (blue 0, white 0.5, red 1)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(nets), figsize=(3.9 * len(nets) + 0.8, 3.8), layout="constrained")
    for ax, (name, net) in zip(np.atleast_1d(axes), nets.items()):
        bp = nn.plot.decision_boundary(net, X, y, ax=ax, padding=0.4, colorbar=False)
        ax.set_title(titles[name] if titles else name, fontsize=10)
    fig.colorbar(bp.image, ax=axes, fraction=0.04, ticks=[0, 0.5, 1], label="P(class 1)")
    plt.show()


def plot_training_comparison(nets, histories, X, y):
    """Loss curves of the same network trained with each activation (left), and each network's
    decision surface after training (right, one shared colour bar for P(class 1))."""
    import matplotlib.pyplot as plt

    names = list(nets)
    fig, axd = plt.subplot_mosaic([["loss", "loss", names[0], names[1]],
                                   ["loss", "loss", names[2], names[3]]],
                                  figsize=(12.5, 5.6), layout="constrained")
    for name in names:
        h = histories[name]
        style = "--" if name == "leaky ReLU" else "-"   # dashed: it lies on the ReLU curve
        axd["loss"].plot(range(1, h.epochs + 1), h.train_loss, style, color=COLORS[name], label=name)
        bp = nn.plot.decision_boundary(nets[name], X, y, ax=axd[name], padding=0.4, colorbar=False)
        axd[name].set_title(f"{name}: accuracy {h.train_acc[-1]:.2f}", fontsize=10)
    axd["loss"].set(xlabel="epoch", ylabel="training loss (cross-entropy)",
                    title="the same network with four activations")
    axd["loss"].legend()
    fig.colorbar(bp.image, ax=[axd[n] for n in names], fraction=0.04, ticks=[0, 0.5, 1],
                 label="P(class 1)")
    plt.show()


def plot_weight_paths(paths, w_target, lim=((-1.0, 3.5), (-3.0, 1.5))):
    """Weight paths (dict title -> array (steps + 1, 2)) of a two-input unit, one panel each,
    with the target weights as a red star and the distance left in each title."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(paths), figsize=(4.6 * len(paths), 4.4), layout="constrained")
    for ax, (title, path) in zip(np.atleast_1d(axes), paths.items()):
        shown = path[np.all(np.abs(path) < 10, axis=1).cumprod().astype(bool)]   # until it leaves
        ax.plot(shown[:, 0], shown[:, 1], ".-", lw=1, ms=3, label="weights after each step")
        ax.plot(*w_target, "*", ms=15, color="tab:red", label="target weights")
        left = np.linalg.norm(path[-1] - w_target)
        ax.set_title(f"{title}\ndistance left after {len(path) - 1} steps: {left:.2g}", fontsize=10)
        ax.set(xlabel="w1", ylabel="w2", xlim=lim[0], ylim=lim[1], aspect="equal")
    np.atleast_1d(axes)[0].legend(loc="lower left", fontsize=9)
    plt.show()
