"""Widgets for lesson 04: softmax with a temperature, and cross-entropy against squared error; and the
lesson's static figures (loss against accuracy, the two losses and their gradients, the descent)."""
from __future__ import annotations

import ipywidgets as W
import numpy as np

import nnlib as nn

from ..computations.lesson04 import true_class_loss_and_grad
from ._live import LiveFigure, new_figure, slider

CLASSES = ("cat", "dog", "bird", "fish")
SURPRISAL_MAX = 8.0  # nats shown on the surprisal axis; taller bars are clipped and labelled


def softmax_explorer(logits=(2.0, 1.0, 0.1, -1.0), temperature=1.0, true_class="cat"):
    r"""Four logits and a temperature T: the probabilities q = softmax(z / T), each class's
    surprisal -ln q_k, the entropy H(q) (their q-weighted mean) and the cross-entropy loss
    -ln q_y for the chosen true class y. Everything in nats (natural log)."""
    C = len(CLASSES)
    fig, (ax_p, ax_s) = new_figure(ncols=2, width=4.4, height=3.4)
    x = np.arange(C)
    bars_p = ax_p.bar(x, np.zeros(C), color="0.6", width=0.6)
    target = ax_p.bar(x, np.zeros(C), width=0.6, fill=False, edgecolor="tab:red", lw=1.5, ls="--",
                      label="one-hot target")
    texts_p = [ax_p.text(k, 0, "", ha="center", va="bottom", fontsize=9) for k in range(C)]
    ax_p.set(xticks=x, xticklabels=CLASSES, ylim=(0, 1.12),
             ylabel=r"probability $q_k = \mathrm{softmax}(z / T)_k$")
    ax_p.legend(loc="upper center", fontsize=8)

    bars_s = ax_s.bar(x, np.zeros(C), color="0.6", width=0.6)
    texts_s = [ax_s.text(k, 0, "", ha="center", va="bottom", fontsize=9) for k in range(C)]
    h_line = ax_s.axhline(0, color="tab:blue", lw=1.5)
    h_text = ax_s.text(-0.45, 0, "H(q)", ha="left", va="bottom", color="tab:blue", fontsize=9)
    ax_s.set(xticks=x, xticklabels=CLASSES, xlim=(-0.5, C - 0.5), ylim=(0, SURPRISAL_MAX),
             ylabel=r"surprisal $-\ln q_k$ (nats)")

    def draw(temperature, true_class, **z):
        logits = np.array([z[f"z{k}"] for k in range(C)])
        q = nn.softmax(logits / temperature)
        surprisal = -nn.log_softmax(logits / temperature)
        t = CLASSES.index(true_class)
        H, loss = float(nn.entropy(q)), float(surprisal[t])
        for k in range(C):
            colour = "tab:red" if k == t else "0.6"
            bars_p[k].set_height(q[k])
            bars_p[k].set_color(colour)
            texts_p[k].set_position((k, q[k] + 0.01))
            texts_p[k].set_text(f"{q[k]:.2f}")
            target[k].set_height(1.0)
            target[k].set_visible(k == t)
            bars_s[k].set_height(surprisal[k])
            bars_s[k].set_color(colour)
            clipped = surprisal[k] > SURPRISAL_MAX  # label only the bars that leave the axes
            texts_s[k].set_visible(clipped)
            texts_s[k].set_position((k, SURPRISAL_MAX - 0.6))
            texts_s[k].set_text(f"{surprisal[k]:.1f} ↑")
        h_line.set_ydata([H, H])
        h_text.set_position((-0.45, H + 0.05))
        ax_p.set_title(f"T = {temperature:.2f}", fontsize=10)
        ax_s.set_title(f"H(q) = {H:.2f} nats ({H / np.log(2):.2f} bits), loss = {loss:.2f}", fontsize=10)

    controls = {f"z{k}": slider(v, -5.0, 5.0, 0.1, f"logit z{k} ({name})")
                for k, (name, v) in enumerate(zip(CLASSES, logits))}
    controls["temperature"] = slider(temperature, -1.0, 1.0, 0.05, "temperature T", log=True)
    controls["temperature"].readout_format = ".2f"
    controls["true_class"] = W.Dropdown(options=list(CLASSES), value=true_class, description="true class",
                                        layout=W.Layout(width="300px"))
    animated = [*bars_p, *target, *texts_p, *bars_s, *texts_s, h_line, h_text, ax_p.title, ax_s.title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Softmax, entropy and the cross-entropy loss")


def ce_vs_squared_error(p=0.05):
    r"""Cross-entropy against squared error on the probabilities, as functions of the true class's
    probability p: the loss, its gradient with respect to p, and its gradient with respect to the
    true class's logit z (the chain rule multiplies by :math:`\partial p / \partial z = p(1 - p)`).
    A slider marks p on every curve."""
    fig, (ax_l, ax_p, ax_z) = new_figure(ncols=3, width=3.3, height=3.3)
    ps = np.linspace(0.001, 0.999, 500)
    styles = {"cross-entropy": "tab:blue", "squared error": "tab:orange"}
    points = {}
    for name, colour in styles.items():
        L, dL_dp = true_class_loss_and_grad(ps, name, "probability")
        _, dL_dz = true_class_loss_and_grad(ps, name, "logit")
        ax_l.plot(ps, L, color=colour, label=name)
        ax_p.semilogy(ps, np.abs(dL_dp), color=colour, label=name)
        ax_z.plot(ps, np.abs(dL_dz), color=colour, label=name)
        points[name] = [ax.plot([p], [1], "o", color=colour)[0] for ax in (ax_l, ax_p, ax_z)]
    v_lines = [ax.axvline(p, color="0.4", ls=":", lw=1) for ax in (ax_l, ax_p, ax_z)]
    ax_l.set(ylabel="loss L", ylim=(0, 4))
    ax_p.set(ylabel="|∂L/∂p|", ylim=(0.01, 1000))
    ax_z.set(ylabel="|∂L/∂z|  (z: the true class's logit)", ylim=(0, 1.05))
    for ax in (ax_l, ax_p, ax_z):
        ax.set(xlabel="probability of the true class p", xlim=(0, 1))
    ax_l.legend(loc="upper right", fontsize=8)

    def draw(p):
        for name in styles:
            L, dL_dp = true_class_loss_and_grad(p, name, "probability")
            _, dL_dz = true_class_loss_and_grad(p, name, "logit")
            values[name] = (float(L), abs(float(dL_dp)), abs(float(dL_dz)))
            for point, value in zip(points[name], (min(values[name][0], 3.95), *values[name][1:])):
                point.set_data([p], [value])
        for v in v_lines:
            v.set_xdata([p, p])
        ce, se = values["cross-entropy"], values["squared error"]
        for ax, k, fmt in [(ax_l, 0, ".2f"), (ax_p, 1, ".3g"), (ax_z, 2, ".3f")]:
            ax.set_title(f"CE {ce[k]:{fmt}}, SE {se[k]:{fmt}}", fontsize=10)

    values = {}
    controls = {"p": slider(p, 0.001, 0.999, 0.001, "probability of the true class p", readout_format=".3f")}
    animated = [*(pt for pts in points.values() for pt in pts), *v_lines, ax_l.title, ax_p.title, ax_z.title]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Cross-entropy against squared error: how hard does a wrong answer push?")


def plot_loss_and_error(situations):
    """One two-class example: cross-entropy -ln p and the classification error against the true
    class's probability p, with the true-class probabilities of each situation marked on both.
    ``situations`` maps a name to ``(Q, y)``: probabilities (N, 2) and integer labels (N,)."""
    import matplotlib.pyplot as plt

    p_true = np.linspace(0.005, 0.995, 400)
    fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
    ax.plot(p_true, -np.log(p_true), color="tab:blue", label="cross-entropy -ln p")
    ax.step(p_true, (p_true <= 0.5).astype(float), where="post", color="0.3",
            label="classification error (1 - accuracy)")
    for (name, (Q, y)), colour in zip(situations.items(), ["tab:green", "tab:red", "tab:purple"]):
        pts = Q[np.arange(len(y)), y]
        ax.plot(pts, -np.log(pts), "o", color=colour, label=f"situation {name}")
        ax.plot(pts, (pts <= 0.5).astype(float), "o", color=colour)
    ax.set(xlabel="probability of the true class p", ylabel="loss of one example", ylim=(-0.05, 3))
    ax.legend(loc="upper right", fontsize=9)
    plt.show()


def plot_ce_vs_se():
    """Left: cross-entropy and squared error of a two-class softmax against the true class's
    probability p. Right: the size of their gradients with respect to the true class's logit."""
    import matplotlib.pyplot as plt

    p = np.linspace(0.001, 0.999, 500)
    fig, (ax_loss, ax_grad) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    for name, label in [("cross-entropy", "-ln p"), ("squared error", "(1 - p)²")]:
        L, dL_dz = true_class_loss_and_grad(p, name, "logit")
        ax_loss.plot(p, L, label=f"{name} {label}")
        ax_grad.plot(p, np.abs(dL_dz), label=name)
    ax_loss.set(xlabel="probability of the true class p", ylabel="loss", ylim=(0, 4))
    ax_grad.set(xlabel="probability of the true class p", ylabel="|dL/dz| for the true logit",
                ylim=(0, 1.05))
    ax_grad.annotate("SE peaks at p = 1/3", (1 / 3, 8 / 27), (0.45, 0.55),
                     arrowprops={"arrowstyle": "->", "color": "0.4"}, fontsize=9)
    ax_loss.legend()
    ax_grad.legend(loc="upper right")
    plt.show()


def plot_descent(history, threshold=0.5):
    """The probability of the true class against the number of gradient steps (log axis), one
    curve per loss; ``history`` maps a loss name to the probabilities after 0, 1, 2, ... steps.
    Each curve is labelled with the step at which it first passes ``threshold``."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
    ax.axhline(threshold, color="0.6", ls=":", lw=1)
    for name, p_hist in history.items():
        steps = np.arange(1, len(p_hist))
        crossed = int(np.argmax(p_hist > threshold))
        ax.semilogx(steps, p_hist[1:], lw=2, label=f"{name}: p > {threshold:g} after {crossed} steps")
        ax.plot([crossed], [p_hist[crossed]], "o", color=ax.lines[-1].get_color())
    ax.set(xlabel="gradient steps taken", ylabel="probability of the true class", ylim=(-0.05, 1.05))
    ax.legend(loc="center", fontsize=9, framealpha=0.95)
    plt.show()
