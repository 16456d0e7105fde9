"""Figures for lesson 01: the static figures' drawing code, the hand-built approximation
explorer and the width-and-depth explorer."""
from __future__ import annotations

import ipywidgets as W
import numpy as np

import nnlib as nn

from ..computations.lesson01 import (DEPTHS, JUMPS, TARGETS, UNIT_COUNTS, VAL_EVERY, WIDTHS, X_RANGE,
                                     WidthDepthCache, approximation_errors, hand_built)
from ._live import LiveFigure, new_figure, slider


# --- static figures ------------------------------------------------------------------------

def panels(x, curves, titles, ylabel="output", reference=None, width=4.5, height=3.2, legend="upper left"):
    """One panel per dict in ``curves`` (label -> y values at ``x``), side by side with a shared
    y-axis; ``reference = (label, y)`` is drawn dashed in black in every panel. ``legend`` is a
    matplotlib location, "outside" (right of the last panel) or None."""
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(curves), figsize=(width * len(curves), height), sharey=True,
                             squeeze=False, layout="constrained")
    for ax, panel, title in zip(axes[0], curves, titles):
        if reference is not None:
            ax.plot(x, np.ravel(reference[1]), "k--", lw=1.2, label=reference[0])
        for label, y in panel.items():
            ax.plot(x, np.ravel(y), label=label)
        ax.set(xlabel="x", title=title)
        if legend == "outside":
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
        elif legend:
            ax.legend(fontsize=8, loc=legend)
    axes[0, 0].set_ylabel(ylabel)
    plt.show()


def error_against_units(Hs, errors, jumps=None, grid_points=601):
    """Log-log plot of the largest and the mean error against the unit count.

    ``errors[(target, construction)] = (max_errors, mean_errors)``, one panel per target;
    ``jumps[target]`` is the size of that target's jump, drawn as a dotted line at half of it."""
    import matplotlib.pyplot as plt
    targets = list(dict.fromkeys(t for t, _ in errors))
    fig, axes = plt.subplots(1, len(targets), figsize=(4.6 * len(targets), 3.5), sharey=True,
                             layout="constrained")
    colours = {"steps": "tab:blue", "ReLU": "tab:red"}
    for ax, target in zip(axes, targets):
        for (t, construction), (e_max, e_mean) in errors.items():
            if t == target:
                c = colours.get(construction)
                ax.loglog(Hs, e_max, "o-", color=c, label=f"{construction}: largest |error|")
                ax.loglog(Hs, e_mean, "s--", color=c, label=f"{construction}: mean |error|")
        if target in (jumps or {}):
            ax.axhline(jumps[target] / 2, color="0.4", lw=1, ls=":",
                       label=f"{jumps[target] / 2:g} (half the jump)")
        ax.set(xlabel="hidden units H", title=f"target: {target}")
    axes[0].set_ylabel(f"error on {grid_points} grid points")
    axes[-1].legend(fontsize=8, loc="lower left")
    plt.show()


def overfitting(results, task):
    """Training and validation MSE against the parameter count (``results`` from
    ``overfitting_sweep``), with the errors of sin x itself as dashed lines."""
    import matplotlib.pyplot as plt
    X, y, X_val, y_val = task
    P, train, val = np.array(list(results.values())).T
    fig, ax = plt.subplots(figsize=(8.5, 3.6), layout="constrained")
    ax.semilogx(P, train, "o-", color="tab:blue", label="training MSE")
    ax.semilogx(P, val, "s-", color="tab:orange", label="validation MSE")
    for X_, y_, colour, where in [(X, y, "tab:blue", "training"), (X_val, y_val, "tab:orange", "validation")]:
        ax.axhline(float(np.mean((np.sin(X_) - y_) ** 2)), color=colour, lw=0.8, ls="--",
                   label=f"sin x itself, {where} points")
    widths = list(results)
    ax.set(xlabel=f"parameters (widths {widths[0]} to {widths[-1]}, 2 hidden layers)",
           ylabel="mean squared error", title=f"{len(X)} training points: error against network size")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    plt.show()


# --- live figures --------------------------------------------------------------------------

def approximation_explorer(target="sin(x)", activation="sigmoid", units=8, steepness=30.0):
    """Pick a target, an activation, the number of hidden units and the steepness; see the
    hand-built one-hidden-layer approximation, its error, and the error against the unit count."""
    fig, (ax_f, ax_e) = new_figure(ncols=2, width=4.6, height=3.4)
    x = np.linspace(*X_RANGE, 601)   # includes x = 0, where the step jumps
    target_line, = ax_f.plot(x, x, "--", color="k", lw=1.5, label="target f")
    approx, = ax_f.plot(x, x, color="tab:red", lw=1.6, label="network")
    ax_f.set(xlabel="x", ylabel="y", xlim=X_RANGE, ylim=(-1.6, 3.6))  # all targets lie in [-1, 3]
    ax_f.legend(loc="upper left", fontsize=8)

    line_max, = ax_e.loglog(UNIT_COUNTS, UNIT_COUNTS, color="tab:purple", label="max |error|")
    line_mean, = ax_e.loglog(UNIT_COUNTS, UNIT_COUNTS, color="tab:green", label="mean |error|")
    dot_max, = ax_e.loglog([1], [1], "o", color="tab:purple")
    dot_mean, = ax_e.loglog([1], [1], "o", color="tab:green")
    bound = ax_e.axhline(0.5, color="0.4", lw=1, ls=":", label="half the jump (step, ramps)")
    ax_e.set(xlabel="hidden units H", ylabel="error on 601 grid points", xlim=(1, 256), ylim=(1e-5, 5))
    ax_e.set_title("error against the number of units", fontsize=10)
    ax_e.legend(loc="lower left", fontsize=8)
    cache = {}

    def draw(target, activation, units, steepness):
        f = TARGETS[target]
        bound.set_visible(target in JUMPS)
        bound.set_ydata([JUMPS.get(target, 1.0) / 2] * 2)
        target_line.set_ydata(f(x))                  # animated: one fixed y-range serves every target
        key = (target, activation, None if activation == "relu" else steepness)
        if key not in cache:
            cache[key] = approximation_errors(f, x, UNIT_COUNTS, activation, steepness)
        e_max, e_mean = cache[key]
        line_max.set_ydata(np.maximum(e_max, 1e-6))
        line_mean.set_ydata(np.maximum(e_mean, 1e-6))
        y_hat = hand_built(f, x, units, activation, steepness)
        approx.set_ydata(y_hat)
        err = np.abs(y_hat - f(x))
        dot_max.set_data([units], [max(err.max(), 1e-5)])
        dot_mean.set_data([units], [max(err.mean(), 1e-5)])
        what = f"{units} {activation} units" + (f", s = {steepness:.0f}" if activation == "sigmoid" else "")
        ax_f.set_title(f"{what}: max |error| {err.max():.3f}, mean {err.mean():.3f}", fontsize=10)
        return False

    controls = {
        "target": W.Dropdown(options=list(TARGETS), value=target, description="target",
                             layout=W.Layout(width="300px")),
        "activation": W.ToggleButtons(options=["sigmoid", "relu"], value=activation,
                                      style={"button_width": "auto"}),
        "units": W.IntSlider(value=units, min=1, max=128, step=1, description="hidden units H",
                             style={"description_width": "initial"}, layout=W.Layout(width="300px")),
        "steepness": slider(steepness, 0.0, 3.0, 0.1, "steepness s (sigmoid)", log=True),
    }
    controls["steepness"].readout_format = ".0f"
    animated = [target_line, approx, ax_f.title, line_max, line_mean, dot_max, dot_mean, bound]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Hand-built networks: one hidden layer of steps or ramps")


# --- width and depth -----------------------------------------------------------------------

def width_depth_explorer(width=8, depth=1, epochs=150):
    """Width and depth sliders: a tanh network trained (full batch, Adam) on 20 noisy points of
    sin x, its fit, and its training and validation error during training. All 24 settings are
    trained when the widget is built (about 1.5 s), so that every slider move only redraws."""
    cache = WidthDepthCache(epochs=epochs)
    for w in WIDTHS:
        for d in DEPTHS:
            cache.get(w, d)
    X, y, X_val, y_val = cache.task
    fig, (ax_f, ax_c) = new_figure(ncols=2, width=4.6, height=3.4)
    x = np.linspace(*X_RANGE, 300)
    ax_f.scatter(X_val[:, 0], y_val[:, 0], s=8, color="0.75", label=f"validation data ({len(X_val)})")
    ax_f.scatter(X[:, 0], y[:, 0], s=22, color="k", label=f"training data ({len(X)})")
    ax_f.plot(x, np.sin(x), "--", color="0.4", lw=1, label="sin x")
    fit_line, = ax_f.plot(x, x, color="tab:red", lw=1.8, label="network")
    ax_f.set(xlabel="x", ylabel="y", xlim=X_RANGE, ylim=(-2.2, 2.2))
    ax_f.legend(loc="lower right", fontsize=7, ncols=2)
    train_line, = ax_c.semilogy(np.arange(1, epochs + 1), np.ones(epochs), color="tab:blue",
                                label="training MSE")
    val_x = np.arange(VAL_EVERY, epochs + 1, VAL_EVERY)
    val_line, = ax_c.semilogy(val_x, np.ones(len(val_x)), color="tab:orange", label="validation MSE")
    for X_, y_, colour, where in [(X, y, "tab:blue", "training"), (X_val, y_val, "tab:orange", "validation")]:
        ax_c.axhline(float(np.mean((y_ - np.sin(X_)) ** 2)), color=colour, ls="--", lw=0.8,
                     label=f"sin x itself ({where})")
    ax_c.set(xlabel="epoch", ylabel="mean squared error", xlim=(1, epochs), ylim=(0.02, 3))
    ax_c.legend(loc="lower left", fontsize=7)

    def draw(width, depth):
        model, train_mse, val_epochs, val_mse = cache.get(width, depth)
        fit_line.set_ydata(nn.predict(model, x[:, None])[:, 0])
        train_line.set_ydata(np.clip(train_mse, 1e-4, 1e3))
        val_line.set_data(val_epochs, np.clip(val_mse, 1e-4, 1e3))
        P = model.num_parameters()
        ax_f.set_title(f"width {width}, depth {depth}: {P:,} parameters", fontsize=10)
        ax_c.set_title(f"after {len(train_mse)} epochs: training MSE {train_mse[-1]:.3f}, "
                       f"validation {val_mse[-1]:.3f}", fontsize=10)

    controls = {
        "width": W.SelectionSlider(options=list(WIDTHS), value=width, description="width (units per layer)",
                                   style={"description_width": "initial"}, layout=W.Layout(width="300px")),
        "depth": W.IntSlider(value=depth, min=DEPTHS[0], max=DEPTHS[-1], description="depth (hidden layers)",
                             style={"description_width": "initial"}, layout=W.Layout(width="300px")),
    }
    live = LiveFigure(fig, controls, draw, animated=[fit_line, train_line, val_line, ax_f.title, ax_c.title],
                      title="Width and depth on a small noisy task")
    live.cache = cache
    return live
