r"""Widgets for lesson 05: optimizers on 2-D surfaces, batch sizes on the digits, momentum's rate.

* :func:`optimizer_race`: SGD, momentum, Nesterov, AdaGrad, RMSProp and Adam (nnlib's) on one of four
  surfaces: their paths on the contour plot and their loss per step.
* :func:`batch_size_explorer`: the same small MLP trained on the digits with B = 1 ... full batch,
  against steps, examples seen or seconds; and the spread of the mini-batch gradient against B.
* :func:`momentum_explorer`: heavy-ball momentum on the quadratic with condition number kappa, with
  the rate Goh (2017) predicts.

and the lesson's static figures (pyplot, so that ``%matplotlib inline`` shows them):
:func:`plot_surface_paths`, :func:`plot_losses`, :func:`plot_lr_quadratic`, :func:`plot_gradient_noise`
and :func:`plot_batch_size_runs`. Every number comes from ``course.computations.lesson05``.
"""
from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import numpy as np

import nnlib as nn

from ..computations.lesson05 import (OPTIMIZERS, SURFACES, batch_size_runs, digits_split, gd_on_parabola,
                                     gradient_noise, make_optimizer, momentum_rate, optimal_alpha,
                                     optimal_momentum, quadratic, run_optimizer)
from ._live import LiveFigure, slider

#: One colour per optimizer, the same in every widget and static figure of the lesson.
COLOURS = {"SGD": "tab:blue", "momentum": "tab:orange", "Nesterov": "tab:green", "AdaGrad": "tab:red",
           "RMSProp": "tab:purple", "Adam": "tab:brown"}
LOSS_FLOOR, LOSS_CEIL = 1e-10, 1e3        # the log loss axes of the surfaces


def _colour(label, k):
    return COLOURS.get(label, f"C{k % 10}")


def _grid(surface, n=160):
    x0, x1, y0, y1 = surface.extent
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return X, Y, surface.f(np.stack([X, Y], axis=-1))


def _contours(ax, surface):
    """Contour lines of ``surface`` on its extent (log-spaced above the minimum; linear for the saddle)."""
    X, Y, Z = _grid(surface)
    if np.isfinite(surface.f_min):
        levels = surface.f_min + np.geomspace(1e-2, max(Z.max() - surface.f_min, 1.0), 16)
    else:
        levels = np.linspace(-2.25, 2.25, 19)
    cs = ax.contour(X, Y, Z, levels=levels, cmap="Greys_r", vmin=levels[0] - 0.3 * np.ptp(levels),
                    vmax=levels[-1], linewidths=0.7)
    marks = [ax.plot(*surface.start, "o", color="k", ms=6, zorder=5)[0]]
    if np.isfinite(surface.f_min):       # the global minimum gold, a local one silver
        best = surface.f(surface.minima) <= surface.f_min + 1e-12
        for where, colour in ((best, "gold"), (~best, "silver")):
            marks += ax.plot(surface.minima[where, 0], surface.minima[where, 1], "*", color=colour, mec="k",
                             ms=12, zorder=5)
    else:                                # the saddle: its critical point is no minimum
        marks += ax.plot(surface.minima[:, 0], surface.minima[:, 1], "X", color="w", mec="k", ms=9, zorder=5)
    ax.set(xlim=surface.extent[:2], ylim=surface.extent[2:], xlabel="x", ylabel="y")
    return cs, marks


def _loss_axis(ax, surface, steps):
    """Log axis of f - f_min where f is bounded below, linear f for the saddle."""
    if np.isfinite(surface.f_min):
        label = "f - f_min (log scale)" if surface.f_min != 0 else "f (log scale)"
        ax.set(yscale="log", ylim=(LOSS_FLOOR, LOSS_CEIL), ylabel=label)
    else:
        ax.set(yscale="linear", ylim=(-3.0, 1.5), ylabel="f (unbounded below: linear scale)")
    ax.set(xlim=(0, steps), xlabel="step")


def _loss_values(surface, losses):
    if np.isfinite(surface.f_min):
        return np.clip(losses - surface.f_min, LOSS_FLOOR * 0.1, 1e30)
    return losses


# --- static figures ----------------------------------------------------------------------------

def _axes(ax, figsize):
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_surface_paths(surface, paths, ax=None, title=None):
    """Contour plot of ``surface`` (a name or a Surface) with one path per entry of ``paths``
    (label -> positions of shape (steps + 1, 2), or the ``(positions, losses)`` of ``run_optimizer``);
    the start is a black dot, the minima gold stars. Returns the axes."""
    surface = SURFACES[surface] if isinstance(surface, str) else surface
    ax = _axes(ax, (5.6, 4.2))
    _contours(ax, surface)
    for k, (label, pos) in enumerate(paths.items()):
        pos = pos[0] if isinstance(pos, tuple) else pos
        ax.plot(pos[:, 0], pos[:, 1], ".-", color=_colour(label, k), ms=3, lw=1.2, label=label)
    ax.set_title(title or surface.name, fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    return ax


def plot_losses(losses, log=True, ax=None, f_min=0.0, ylabel=None):
    """One curve per entry of ``losses`` (label -> losses per step, or ``(positions, losses)``);
    ``log`` plots ``f - f_min`` on a log axis. Returns the axes."""
    ax = _axes(ax, (5.0, 3.6))
    for k, (label, f) in enumerate(losses.items()):
        f = f[1] if isinstance(f, tuple) else f
        y = np.clip(f - f_min, 1e-16, None) if log else f
        ax.plot(np.arange(len(f)), y, color=_colour(label, k), lw=1.4, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="step", ylabel=ylabel or ("f - f_min" if f_min else "f") + (" (log scale)" if log else ""))
    ax.legend(fontsize=8)
    return ax


def plot_lr_quadratic(alpha_lambdas=(0.1, 1.0, 1.7, 2.1), steps=30, ax=None):
    r"""Gradient descent on :math:`f = \lambda x^2/2`: :math:`|x_k|` per step (log axis) for several
    :math:`\alpha\lambda`: a crawl below 1, one step at 1, oscillating convergence below 2, divergence
    above. Open markers are steps where :math:`x_k < 0` (the iterate has jumped across the minimum)."""
    ax = _axes(ax, (6.0, 3.6))
    words = {0.1: "crawls", 1.0: "one step", 1.7: "oscillates, converges", 2.1: "oscillates, diverges"}
    k = np.arange(steps + 1)
    for i, (al, x) in enumerate(gd_on_parabola(alpha_lambdas, steps).items()):
        y, c = np.maximum(np.abs(x), 1e-17), f"C{i}"
        label = f"αλ = {al:g}" + (f": {words[al]}" if al in words else "")
        ax.semilogy(k, y, "-", color=c, lw=1.2, label=label)
        ax.semilogy(k[x >= 0], y[x >= 0], "o", color=c, ms=4)
        ax.semilogy(k[x < 0], y[x < 0], "o", mfc="white", mec=c, ms=4)
    ax.axhline(1.0, color="0.6", lw=0.8)
    ax.set(xlabel="step k", ylabel="|x_k| (log scale; open markers: x_k < 0)", ylim=(1e-17, 1e3),
           title=r"gradient descent on $f = \lambda x^2/2$: $x_{k+1} = (1 - \alpha\lambda)\,x_k$")
    ax.legend(fontsize=8, loc="lower left")
    return ax


def plot_gradient_noise(result, ax=None):
    """The measured spread E||g_B - g||^2 against B (log-log) with sigma^2/B and the
    without-replacement prediction; ``result`` from ``gradient_noise``. B = N (spread 0) is left out."""
    ax = _axes(ax, (5.4, 3.8))
    B, N, s2 = result["batch_sizes"], result["N"], result["sigma2"]
    b = np.geomspace(1, N - 1, 200)
    ax.loglog(b, s2 / b, "--", color="0.4", lw=1.2, label="σ²/B (independent draws)")
    ax.loglog(b, s2 / b * (N - b) / (N - 1), "-", color="tab:green", lw=1.4,
              label="σ²/B · (N - B)/(N - 1) (without replacement)")
    keep = B < N
    ax.loglog(B[keep], result["spread"][keep], "o", color="k", ms=6, label="measured")
    ax.set(xlabel="batch size B", ylabel="E‖g_B - g‖² (log scale)",
           title=f"mini-batch gradient spread (N = {N}, σ² = {s2:.1f})")
    ax.legend(fontsize=8, loc="lower left")
    return ax


X_AXES = {"steps": ("eval_step", "steps (log scale)"), "examples": ("eval_examples", "examples seen"),
          "seconds": ("eval_seconds", "training time, s (log scale)")}


def _batch_label(B, N):
    return "full batch" if B == N else f"B = {B}"


def plot_batch_size_runs(runs, x="steps", ax=None, N=None):
    """The training loss (whole training split) of every run of ``batch_size_runs`` against
    ``x`` = "steps", "examples" or "seconds". Returns the axes."""
    ax = _axes(ax, (6.0, 3.8))
    key, label = X_AXES[x]
    N = N or max(runs)
    colours = _batch_colours(list(runs))
    for B, run in runs.items():
        first = 0 if x == "examples" else 1               # step 0 / time 0 has no place on a log axis
        ax.plot(run[key][first:], run["eval_loss"][first:], "-", color=colours[B], lw=1.6,
                label=_batch_label(B, N))
    if x != "examples":
        ax.set_xscale("log")
    ax.set(xlabel=label, ylabel="training loss (cross-entropy)", yscale="log")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    return ax


def _batch_colours(sizes):
    import matplotlib as mpl
    cmap = mpl.colormaps["viridis"]
    return {B: cmap(0.85 * k / max(len(sizes) - 1, 1)) for k, B in enumerate(sizes)}


# --- (a) the optimizer race -------------------------------------------------------------------

def _race_figure():
    from matplotlib.figure import Figure
    fig = Figure(figsize=(12.2, 4.3), layout="constrained")
    ax_p, ax_l, ax_t = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.15, 1.15, 0.55]})
    ax_t.axis("off")
    return fig, ax_p, ax_l, ax_t


def optimizer_race(surface="ill-conditioned quadratic", optimizers=("SGD", "momentum", "Adam"), lr=0.075,
                   steps=100, mu=0.5, beta1=0.9, beta2=0.99):
    """nnlib's optimizers racing on a 2-D surface: the paths on the contour plot (left) and the loss per
    step (middle), one colour per optimizer, all with the same ``lr``; each one's final loss on the right.

    ``mu`` is the momentum of "momentum" and "Nesterov"; ``beta1`` is Adam's; ``beta2`` is Adam's beta2 and
    RMSProp's rho. A run that leaves the box ``|x|, |y| <= 1e6`` stops (its curve ends).
    """
    fig, ax_p, ax_l, ax_t = _race_figure()
    contours = {name: _contours(ax_p, s) for name, s in SURFACES.items()}
    lines = {n: ax_p.plot([], [], ".-", color=COLOURS[n], ms=2.5, lw=1.2)[0] for n in OPTIMIZERS}
    curves = {n: ax_l.plot([], [], color=COLOURS[n], lw=1.5)[0] for n in OPTIMIZERS}
    texts = {n: ax_t.text(0.0, 0.9, "", color=COLOURS[n], fontsize=9, va="top", transform=ax_t.transAxes)
             for n in OPTIMIZERS}
    header = ax_t.text(0.0, 1.0, "", fontsize=9, va="top", transform=ax_t.transAxes)
    ax_t.text(0.0, 0.02, "lr = α for all; μ for momentum and Nesterov;\nβ2 is RMSProp's ρ too.\n"
              "● start, ★ minimum (gold: the global one),\n✕ saddle point", fontsize=8, color="0.3",
              va="bottom", transform=ax_t.transAxes)
    cache, state = {}, {}

    def draw(surface, lr, steps, mu, beta1, beta2, **selected):
        s = SURFACES[surface]
        full = state.get("surface") != surface
        if full:
            state["surface"] = surface
            for name, (cs, marks) in contours.items():
                for artist in [cs, *marks]:
                    artist.set_visible(name == surface)
            ax_p.set(xlim=s.extent[:2], ylim=s.extent[2:])
            _loss_axis(ax_l, s, steps)
            header.set_text("f - f_min after the last step:" if np.isfinite(s.f_min) else
                            "the path leaves the frame at:")
            ax_p.set_title(f"{surface}: {s.note}", fontsize=9)
        ax_l.set_xlim(0, steps)                 # the x axis is animated: a new range needs no full redraw
        x0, x1, y0, y1 = s.extent
        row = 0
        for name in OPTIMIZERS:
            on = selected[name]
            for artist in (lines[name], curves[name], texts[name]):
                artist.set_visible(on)
            if not on:
                continue
            key = (surface, name, lr, steps, mu if name in ("momentum", "Nesterov") else None,
                   beta1 if name == "Adam" else None, beta2 if name in ("Adam", "RMSProp") else None)
            if key not in cache:
                if len(cache) > 256:
                    cache.clear()
                opt = make_optimizer(name, lr, momentum=mu, beta1=beta1, beta2=beta2)
                cache[key] = run_optimizer(opt, s, steps)
            pos, f = cache[key]
            lines[name].set_data(pos[:, 0], pos[:, 1])
            curves[name].set_data(np.arange(steps + 1), _loss_values(s, f))
            last = int(np.flatnonzero(np.isfinite(f))[-1])
            inside = (pos[:, 0] >= x0) & (pos[:, 0] <= x1) & (pos[:, 1] >= y0) & (pos[:, 1] <= y1)
            if np.isfinite(s.f_min):
                msg = f"diverged at step {last + 1}" if last < steps else f"{max(f[-1] - s.f_min, 0.0):.1e}"
            else:                               # the saddle: when does the path leave the frame?
                msg = f"step {np.argmin(inside)}" if not inside.all() else f"never (f = {f[-1]:.3g})"
            texts[name].set_text(f"{name}: {msg}")
            texts[name].set_position((0.0, 0.92 - 0.08 * row))
            row += 1
        ax_l.set_title(f"loss per step, lr = {lr:.3g}", fontsize=10)
        return full

    controls = {
        "surface": W.Dropdown(options=list(SURFACES), value=surface, description="surface",
                              layout=W.Layout(width="300px")),
        "lr": slider(lr, -4, 0, 0.05, "learning rate α", log=True),
        "steps": W.IntSlider(value=steps, min=10, max=500, step=10, description="steps",
                             style={"description_width": "initial"}, layout=W.Layout(width="300px")),
        "mu": slider(mu, 0.0, 0.99, 0.01, "μ (momentum, Nesterov)"),
        "beta1": slider(beta1, 0.0, 0.99, 0.01, "β1 (Adam)"),
        "beta2": slider(beta2, 0.5, 0.999, 0.001, "β2 (Adam) = ρ (RMSProp)"),
    }
    controls["lr"].readout_format = ".3g"
    controls["beta2"].readout_format = ".3f"
    for name in OPTIMIZERS:
        controls[name] = W.Checkbox(value=name in optimizers, description=name, indent=False,
                                    layout=W.Layout(width="110px"))
    animated = [*lines.values(), *curves.values(), *texts.values(), ax_l.title, ax_l.xaxis]
    live = LiveFigure(fig, controls, draw, animated=animated, title="Optimizer race on a 2-D surface")
    c = live.controls
    sliders = [W.HBox([c["surface"], c["lr"], c["steps"]]), W.HBox([c["mu"], c["beta1"], c["beta2"]]),
               W.HBox([W.HTML("optimizers:&nbsp;")] + [c[n] for n in OPTIMIZERS])]
    live.box.children = [live.box.children[0], *sliders, live.image]
    return live


# --- (b) batch size on the digits ---------------------------------------------------------------

BATCH_SIZES = (1, 4, 16, 64, 256)          # and the full training split
BATCH_EPOCHS, BATCH_LR = 4, 0.02


@lru_cache(maxsize=1)
def batch_size_data(seed=0):
    """``(N, runs, noise)``: ``batch_size_runs`` and ``gradient_noise`` for B = 1 ... full batch on the
    training digits, computed once per kernel (about 1 s)."""
    data = digits_split()[:2]
    N = len(data[0])
    sizes = [*BATCH_SIZES, N]
    runs = batch_size_runs(sizes, epochs=BATCH_EPOCHS, lr=BATCH_LR, rng=nn.make_rng(seed), data=data)
    noise = gradient_noise(sizes, 200, nn.make_rng(seed + 1), data=data)
    return N, runs, noise


def batch_size_explorer(batch_size=16, x="steps"):
    """The same 64-32-10 MLP trained with plain SGD (lr 0.02, 4 epochs) with B = 1, 4, 16, 64, 256 and the
    full training split: its training loss against steps, examples seen or seconds (left; all runs faded,
    the chosen one highlighted, with its noisy mini-batch loss), and the spread of the mini-batch
    gradient against B (right)."""
    N, runs, noise = batch_size_data()
    sizes = list(runs)
    colours = _batch_colours(sizes)
    from matplotlib.figure import Figure
    fig = Figure(figsize=(11.5, 4.0), layout="constrained")
    ax_l, ax_n = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
    faded = {B: ax_l.plot([], [], color=colours[B], lw=1.3, alpha=0.55, label=_batch_label(B, N))[0]
             for B in sizes}
    batch_line, = ax_l.plot([], [], color="0.65", lw=0.4, alpha=0.45, label="its mini-batch loss")
    chosen, = ax_l.plot([], [], color="k", lw=2.4)
    ax_l.set(ylabel="training loss (cross-entropy, log scale)", yscale="log", ylim=(5e-3, 10))
    ax_l.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)

    plot_gradient_noise(noise, ax=ax_n)
    dot, = ax_n.plot([], [], "o", ms=13, mfc="none", mec="tab:red", mew=2)
    state = {}

    def draw(batch_size, x):
        key, label = X_AXES[x]
        run = runs[batch_size]
        if state.get("x") != x:                  # the x axis is animated: no full redraw needed
            state["x"] = x
            ax_l.set_xscale("linear" if x == "examples" else "log")
            every = [run_[key][1:] for run_ in runs.values()]
            lo = min(e.min() for e in every)
            hi = max(e.max() for e in every)
            ax_l.set(xlabel=label, xlim=(0, hi * 1.02) if x == "examples" else (lo * 0.8, hi * 1.25))
        first = 0 if x == "examples" else 1               # step 0 / time 0 has no place on a log axis
        for B, line in faded.items():
            line.set_data(runs[B][key][first:], runs[B]["eval_loss"][first:])
        step_x = {"eval_step": np.arange(1, len(run["loss"]) + 1), "eval_examples": run["examples"],
                  "eval_seconds": run["seconds"]}[key]
        batch_line.set_data(step_x, run["loss"])
        chosen.set_data(run[key][first:], run["eval_loss"][first:])
        chosen.set_color(colours[batch_size])
        i = sizes.index(batch_size)
        if batch_size < N:
            dot.set_data([batch_size], [noise["spread"][i]])
            spread = f"E‖g_B - g‖² = {noise['spread'][i]:.3g}"
        else:
            dot.set_data([], [])
            spread = "the exact gradient: spread 0"
        ms = 1e3 * np.median(run["epoch_seconds"])
        steps = f"{run['steps_per_epoch']} step{'s' * (batch_size < N)}/epoch"
        ax_l.set_title(f"{_batch_label(batch_size, N)}: {steps}, "
                       f"{ms:.1f} ms/epoch, final loss {run['eval_loss'][-1]:.3f}", fontsize=10)
        ax_n.set_title(f"{_batch_label(batch_size, N)}: {spread}", fontsize=10)

    options = [(str(B) if B < N else f"full ({N})", B) for B in sizes]
    controls = {
        "batch_size": W.SelectionSlider(options=options, value=batch_size, description="batch size B",
                                        style={"description_width": "initial"},
                                        layout=W.Layout(width="340px")),
        "x": W.ToggleButtons(options=[("steps", "steps"), ("examples seen", "examples"),
                                      ("seconds", "seconds")], value=x, style={"button_width": "auto"}),
    }
    animated = [*faded.values(), batch_line, chosen, dot, ax_l.title, ax_n.title, ax_l.xaxis]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title=f"Batch size on the digits ({N} training images, plain SGD, lr {BATCH_LR})")


# --- (c) momentum on the quadratic --------------------------------------------------------------

MOMENTUM_STEPS = 300
LEVELS = 1.5 * 0.55 ** np.arange(8)          # semi-axes along y of the drawn level sets


def _momentum_path(kappa, alpha, beta, steps=MOMENTUM_STEPS):
    s = quadratic(kappa, start=(1.0, 1.0))
    opt = make_optimizer("momentum", alpha, momentum=beta) if beta > 0 else make_optimizer("SGD", alpha)
    return run_optimizer(opt, s, steps)[0]


def momentum_explorer(kappa=100.0, beta=0.9, alpha_scale=1.0):
    r"""Heavy-ball momentum (nnlib's SGD with momentum beta) on :math:`f = (x^2 + \kappa y^2)/2` from (1, 1).

    The learning rate is ``alpha_scale`` times the best one for this beta (:func:`optimal_alpha`).
    Left: the path on the level sets. Middle: :math:`\|x_k\|` per step with the predicted rate,
    the largest :math:`|eigenvalue|` of the 2x2 iteration matrices. Right: that rate against beta
    (at the best alpha for each beta), the optimal :math:`\beta^*` marked.
    """
    from matplotlib.figure import Figure
    fig = Figure(figsize=(12.5, 4.0), layout="constrained")
    ax_p, ax_n, ax_r = fig.subplots(1, 3)
    t = np.linspace(0, 2 * np.pi, 120)
    ellipses = [ax_p.plot(t, t, color="0.75", lw=0.8)[0] for _ in LEVELS]
    path, = ax_p.plot([], [], ".-", color=COLOURS["momentum"], ms=2.5, lw=1.0)
    ax_p.plot([1.0], [1.0], "o", color="k", ms=6)
    ax_p.plot([0.0], [0.0], "*", color="gold", mec="k", ms=12)
    ax_p.set(xlim=(-1.6, 1.6), ylim=(-1.6, 1.6), xlabel="x (curvature 1)", ylabel="y (curvature κ)")
    k = np.arange(MOMENTUM_STEPS + 1)
    norm_line, = ax_n.semilogy(k, np.ones_like(k, dtype=float), color=COLOURS["momentum"], lw=1.5,
                               label="‖x_k‖")
    pred_line, = ax_n.semilogy(k, np.ones_like(k, dtype=float), "--", color="k", lw=1.0,
                               label="‖x_0‖ · rate^k")
    ax_n.set(xlim=(0, MOMENTUM_STEPS), ylim=(1e-12, 1e3), xlabel="step k", ylabel="‖x_k‖ (log scale)")
    ax_n.axhline(1e-6 * np.sqrt(2), color="0.6", lw=0.8, ls=":")
    ax_n.legend(fontsize=8, loc="lower left")
    betas = np.linspace(0, 0.995, 200)
    rate_curve, = ax_r.plot(betas, betas, color="0.3", lw=1.5, label="rate at the best α for β")
    star_line = ax_r.axvline(0.5, color="tab:green", lw=1.2, ls="--", label="β* (Goh)")
    gd_line = ax_r.axhline(0.5, color=COLOURS["SGD"], lw=1.0, ls=":", label="gradient descent, best α")
    rate_dot, = ax_r.plot([], [], "o", color=COLOURS["momentum"], ms=8, label="this setting")
    ax_r.set(xlim=(0, 1), ylim=(0.0, 1.05), xlabel="momentum β", ylabel="rate: max |eigenvalue|")
    ax_r.legend(fontsize=7, loc="lower left")

    def draw(kappa, beta, alpha_scale):
        alpha = alpha_scale * optimal_alpha(beta, kappa)
        rate = momentum_rate(alpha, beta, kappa)
        a_star, b_star, r_star = optimal_momentum(kappa)
        for e, b in zip(ellipses, LEVELS):
            e.set_data(b * np.sqrt(kappa) * np.cos(t), b * np.sin(t))
        pos = _momentum_path(kappa, alpha, beta)
        path.set_data(pos[:, 0], pos[:, 1])
        norm = np.hypot(pos[:, 0], pos[:, 1])
        norm_line.set_ydata(np.clip(np.where(np.isfinite(norm), norm, 1e30), 1e-30, 1e30))
        with np.errstate(over="ignore"):
            pred_line.set_ydata(np.clip(np.sqrt(2) * rate ** k, 1e-30, 1e30))
        rate_curve.set_ydata([momentum_rate(optimal_alpha(b, kappa), b, kappa) for b in betas])
        star_line.set_xdata([b_star, b_star])
        gd_line.set_ydata([(kappa - 1) / (kappa + 1)] * 2)
        rate_dot.set_data([beta], [min(rate, 1.04)])
        ax_p.set_title(f"κ = {kappa:.0f}, β = {beta:.2f}, α = {alpha:.3g} ({alpha_scale:.2f} × best for β)",
                       fontsize=9)
        fate = "diverges" if rate > 1 else f"{np.log(1e-6) / np.log(rate):.0f} steps to 1e-6" if rate > 0 \
            else "converges in a few steps"
        ax_n.set_title(f"predicted rate {rate:.4f} per step: {fate}", fontsize=9)
        ax_r.set_title(f"optimum: β* = {b_star:.3f}, α* = {a_star:.3g}, rate {r_star:.3f}", fontsize=9)

    controls = {
        "kappa": slider(kappa, 0, 3, 0.05, "condition number κ", log=True),
        "beta": slider(beta, 0.0, 0.99, 0.01, "momentum β"),
        "alpha_scale": slider(alpha_scale, -1, np.log10(4), 0.02, "α ÷ best α for β", log=True),
    }
    controls["kappa"].readout_format = ".0f"
    controls["alpha_scale"].readout_format = ".2f"
    animated = [*ellipses, path, norm_line, pred_line, rate_curve, star_line, gd_line, rate_dot,
                ax_p.title, ax_n.title, ax_r.title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Momentum on an ill-conditioned quadratic: the rate against κ and β")
