"""Widgets for lesson 00: finite differences and a one-neuron forward/backward explorer."""
from __future__ import annotations

import numpy as np
import ipywidgets as W

import nnlib as nn

from nnlib.gradcheck import finite_difference_errors as difference_errors
from ..computations.lesson00 import neuron_forward_backward
from ._live import LiveFigure, new_figure, slider

FUNCTIONS = {  # name -> (f, f')
    "sin(x)": (np.sin, np.cos),
    "exp(x)": (np.exp, np.exp),
    "x**3": (lambda x: x ** 3, lambda x: 3 * x ** 2),
}
def finite_difference_explorer(function="sin(x)", x0=1.0, h=1e-5, precision="float64"):
    """Error of forward and centred differences against the step h: truncation vs round-off."""
    fig, (ax_err, ax_f) = new_figure(ncols=2, width=4.6, height=3.4)
    hs = np.logspace(-15, 0, 300)
    l_fwd, = ax_err.loglog(hs, hs, color="tab:orange", label="forward (f(x+h)-f(x))/h")
    l_ctr, = ax_err.loglog(hs, hs, color="tab:blue", label="centred (f(x+h)-f(x-h))/2h")
    p_fwd, = ax_err.loglog([h], [h], "o", color="tab:orange")
    p_ctr, = ax_err.loglog([h], [h], "o", color="tab:blue")
    v_line = ax_err.axvline(h, color="0.4", ls=":", lw=1)
    ax_err.set(xlabel="step h", ylabel="relative error of f'(x)", ylim=(1e-17, 10), xlim=(hs[0], hs[-1]),
               title="error against the step")
    ax_err.legend(loc="lower left", fontsize=8)
    ax_err.set_xticks([1e-15, 1e-12, 1e-9, 1e-6, 1e-3])
    ax_err.set_yticks([1e-16, 1e-12, 1e-8, 1e-4, 1])
    ax_err.minorticks_off()
    ax_err.grid(True, which="major", alpha=0.3)

    xs = np.linspace(-3, 3, 400)
    l_f, = ax_f.plot(xs, xs, color="k", lw=1.5, label="f")
    l_fsec, = ax_f.plot(xs, xs, color="tab:orange", lw=1.2, label="forward secant")
    l_sec, = ax_f.plot(xs, xs, color="tab:blue", lw=1.2, label="centred secant")
    l_tan, = ax_f.plot(xs, xs, color="tab:green", lw=1.5, ls="--", label="true tangent")
    pts, = ax_f.plot([0, 0, 0], [0, 0, 0], "o", color="0.3", ms=4)
    ax_f.set(xlabel="x", ylabel="f(x)", xlim=(-3, 3))
    ax_f.legend(loc="upper left", fontsize=8)

    def draw(function, x0, h, precision):
        f, df = FUNCTIONS[function]
        dtype = np.float32 if precision == "float32" else np.float64
        e_fwd, e_ctr = difference_errors(f, df, x0, hs, dtype)
        l_fwd.set_ydata(e_fwd)
        l_ctr.set_ydata(e_ctr)
        ef, ec = difference_errors(f, df, x0, [h], dtype)
        p_fwd.set_data([h], ef)
        p_ctr.set_data([h], ec)
        v_line.set_xdata([h, h])
        ax_err.set_title(f"{precision}: forward {ef[0]:.1e}, centred {ec[0]:.1e}", fontsize=10)
        # right panel: f on a fixed range, the tangent and both secants at x0 with the chosen h
        # (below h of about 0.05 the secants lie on the tangent, which is the point of a small h)
        full = function != state.get("function")
        if full:
            state["function"] = function
            fx = f(xs)
            l_f.set_ydata(fx)
            lo, hi = fx.min(), fx.max()
            ax_f.set_ylim(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))
            ax_f.set_title(f"f(x) = {function}, secants with step h", fontsize=10)
        l_tan.set_ydata(f(x0) + df(x0) * (xs - x0))
        forward = (f(x0 + h) - f(x0)) / h
        centred = (f(x0 + h) - f(x0 - h)) / (2 * h)
        l_fsec.set_ydata(f(x0) + forward * (xs - x0))
        l_sec.set_ydata(f(x0) + centred * (xs - x0))
        pts.set_data([x0 - h, x0, x0 + h], [f(x0 - h), f(x0), f(x0 + h)])
        return full

    state = {}
    controls = {
        "function": W.Dropdown(options=list(FUNCTIONS), value=function, description="f"),
        "x0": slider(x0, -2.0, 2.0, 0.05, "point x"),
        "h": slider(h, -14, 0, 0.25, "step h", log=True),
        "precision": W.ToggleButtons(options=["float64", "float32"], value=precision,
                                     style={"button_width": "auto"}),
    }
    animated = [l_fwd, l_ctr, p_fwd, p_ctr, v_line, ax_err.title, l_fsec, l_sec, l_tan, pts]
    return LiveFigure(fig, controls, draw, animated=animated,
                      title="Finite differences: truncation against round-off")


def neuron_explorer(x=1.0, w=0.5, b=0.0, t=1.0):
    """One neuron a = sigmoid(w x + b) with loss (a - t)^2: the forward values, the backward
    pass by the chain rule, and the slope dL/dw drawn as the tangent of L(w)."""
    fig, (ax, ax_txt) = new_figure(ncols=2, width=4.4, height=3.4)
    ws = np.linspace(-6, 6, 300)
    curve, = ax.plot(ws, ws, color="k", lw=1.5, label="L(w), others fixed")
    tangent, = ax.plot(ws, ws, color="tab:red", lw=1.2, label="slope dL/dw (backward)")
    point, = ax.plot([0], [0], "o", color="tab:red")
    ax.set(xlabel="weight w", ylabel="loss L = (a - t)²", xlim=(-6, 6), ylim=(-0.05, 1.05))
    ax.legend(loc="upper right", fontsize=8)
    ax_txt.axis("off")
    rows = ["forward", "  z = w·x + b", "  a = σ(z)", "  L = (a - t)²", "", "backward (chain rule)",
            "  dL/da = 2(a - t)", "  da/dz = a(1 - a)", "  dL/dz = product", "  dL/dw = dL/dz · x",
            "  dL/db = dL/dz", "", "gradient check of dL/dw", "  centred difference", "  relative error"]
    numbers = {}
    for i, label in enumerate(rows):
        y = 1.0 - i / len(rows)
        ax_txt.text(0.0, y, label, va="top", ha="left", family="monospace", fontsize=10,
                    transform=ax_txt.transAxes)
        if label.startswith("  "):
            numbers[label] = ax_txt.text(1.0, y, "", va="top", ha="right", family="monospace",
                                         fontsize=10, transform=ax_txt.transAxes)

    def draw(x, w, b, t):
        a_curve = nn.sigmoid(ws * x + b)
        curve.set_ydata((a_curve - t) ** 2)
        v = neuron_forward_backward(x, w, b, t)
        num = (neuron_forward_backward(x, w + 1e-5, b, t)["L"] -
               neuron_forward_backward(x, w - 1e-5, b, t)["L"]) / 2e-5
        err = nn.gradcheck.rel_error(v["dL/dw"], num)
        tangent.set_ydata(v["L"] + v["dL/dw"] * (ws - w))
        point.set_data([w], [v["L"]])
        ax.set_title(f"at w = {w:.2f}: L = {v['L']:.3f}, dL/dw = {v['dL/dw']:.2g}", fontsize=10)
        values = [v["z"], v["a"], v["L"], v["dL/da"], v["da/dz"], v["dL/dz"], v["dL/dw"], v["dL/db"], num]
        for artist, value in zip(numbers.values(), values):
            artist.set_text(f"{value:9.3g}")
        numbers["  relative error"].set_text(f"{err:9.1e}")

    controls = {"x": slider(x, -3.0, 3.0, 0.1, "input x"), "w": slider(w, -5.0, 5.0, 0.1, "weight w"),
                "b": slider(b, -3.0, 3.0, 0.1, "bias b"), "t": slider(t, 0.0, 1.0, 0.05, "target t")}
    return LiveFigure(fig, controls, draw, animated=[curve, tangent, point, ax.title, *numbers.values()],
                      title="One neuron: forward and backward")


def plot_difference_errors(hs, e_forward, e_centred, x0=1.0):
    """The static figure of lesson 00: the errors of both differences of sin at x0 against h."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.loglog(hs, e_forward, color="tab:orange", label="forward difference")
    ax.loglog(hs, e_centred, color="tab:blue", label="centred difference")
    ax.set(xlabel="step h", ylabel=f"|estimate - f'({x0:g})| / |f'({x0:g})|",
           title=f"sin'({x0:g}) estimated from differences")
    ax.legend(loc="lower left")
    plt.show()
