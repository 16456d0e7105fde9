r"""Widgets for lesson 03: how the initial weights shape a deep network, and why they must differ.

* :func:`init_explorer`: per-layer histograms of the activations and of the gradients of a
  deep MLP at initialization, for a chosen scheme, activation function and depth.
* :func:`symmetry_explorer`: a small network trained step by step from identical or random
  weights; the hidden units' incoming weights, the decision surface and the loss.

Both precompute what the controls cannot change (the inputs, the random draws, the training
runs), so a control change only recomputes one forward/backward pass or looks up a snapshot.
"""
from __future__ import annotations

from functools import partial

import ipywidgets as W
import numpy as np

import nnlib as nn

from ._live import LiveFigure, new_figure, slider

# --- (a) scale: activations and gradients of a deep MLP at initialization ----------------------

WIDTH, BATCH, CLASSES, MAX_DEPTH, BLOCK = 100, 200, 10, 10, 25
SCHEMES = {  # name -> (distribution, scale(n_in, n_out)): the bound a of U(-a, a), or the std
    "uniform U(-1, 1)": ("uniform", lambda n_in, n_out: 1.0),
    "small normal N(0, 0.01²)": ("normal", lambda n_in, n_out: 0.01),
    "large normal N(0, 1)": ("normal", lambda n_in, n_out: 1.0),
    "Glorot uniform": ("uniform", lambda n_in, n_out: np.sqrt(6.0 / (n_in + n_out))),
    "He normal": ("normal", lambda n_in, n_out: np.sqrt(2.0 / n_in)),
}
ACTIVATIONS = {"tanh": (nn.Tanh, (-1.0, 1.0)), "ReLU": (nn.ReLU, (0.0, 3.0)), "sigmoid": (nn.Sigmoid, (0.0, 1.0))}
LOG_RANGE = (-16.0, 4.0)   # decades of |dL/da| shown; values outside land in the end bins


def weight_variance(scheme, n_in, n_out, gain=1.0):
    """Var(w) of ``scheme`` with every weight multiplied by ``gain``: a**2 / 3 for U(-a, a), std**2 for a normal."""
    kind, scale = SCHEMES[scheme]
    s = gain * scale(n_in, n_out)
    return s * s / 3 if kind == "uniform" else s * s


class DeepProbe:
    """A deep MLP of ``WIDTH`` units per layer (zero biases) on fixed random inputs; ``run``
    returns what each hidden layer outputs and the loss gradient there, at initialization.

    The random numbers are drawn once (standard normal and uniform(-1, 1) per layer), so every
    scheme scales the same draws: switching schemes changes the scale, not the luck. The pass
    is written with NumPy and nnlib's functions so that it skips the weight gradients, which
    the figure does not show; ``model`` builds the same network from nnlib layers.
    """

    FUNCTIONS = {  # f(z), and f'(z) written with a = f(z) so that it costs no second exp
        "tanh": (nn.tanh, lambda z, a: 1 - a * a),
        "ReLU": (nn.relu, lambda z, a: z > 0),
        "sigmoid": (nn.sigmoid, lambda z, a: a * (1 - a)),
    }

    def __init__(self, seed=0):
        rng = nn.make_rng(seed)
        self.X = rng.standard_normal((BATCH, WIDTH))
        self.y = rng.integers(0, CLASSES, BATCH)
        self.Y = nn.one_hot(self.y, CLASSES)
        self.normal = rng.standard_normal((MAX_DEPTH + 1, WIDTH, WIDTH))
        self.uniform = rng.uniform(-1.0, 1.0, (MAX_DEPTH + 1, WIDTH, WIDTH))

    def weights(self, scheme, depth, gain=1.0):
        """The ``depth + 1`` weight matrices: (WIDTH, WIDTH) hidden layers, then (WIDTH, CLASSES)."""
        kind, scale = SCHEMES[scheme]
        draws = self.normal if kind == "normal" else self.uniform
        sizes = [WIDTH] * depth + [CLASSES]
        return [gain * scale(WIDTH, n_out) * draws[l][:, :n_out] for l, n_out in enumerate(sizes)]

    def model(self, scheme, activation, depth, gain=1.0):
        """The same network as an nnlib Sequential (for checking ``run`` against nnlib's layers)."""
        act = ACTIVATIONS[activation][0]
        layers = []
        for l, W0 in enumerate(self.weights(scheme, depth, gain)):
            layers.append(nn.Dense(*W0.shape, init=lambda n_in, n_out, rng, dtype, W0=W0: W0.copy(),
                                   rng=nn.make_rng(0)))
            if l < depth:
                layers.append(act())
        return nn.Sequential(layers)

    def run(self, scheme, activation, depth, gain=1.0):
        """``(activations, grads)``: per hidden layer, its output a_l (N, WIDTH) and dL/da_l.

        Examples are independent, so the batch is processed in blocks of ``BLOCK`` rows: products
        that small stay on one OpenBLAS thread, which keeps a redraw fast when other programs
        share the cores (a threaded 200 x 100 x 100 product was 5-9 times slower there).
        """
        Ws = self.weights(scheme, depth, gain)
        blocks = [self._pass(Ws, activation, self.X[i:i + BLOCK], self.Y[i:i + BLOCK])
                  for i in range(0, BATCH, BLOCK)]
        return ([np.concatenate([b[0][l] for b in blocks]) for l in range(depth)],
                [np.concatenate([b[1][l] for b in blocks]) for l in range(depth)])

    def _pass(self, Ws, activation, X, Y):
        f, df = self.FUNCTIONS[activation]
        depth = len(Ws) - 1
        with np.errstate(all="ignore"):
            a, zs, acts = X, [], []
            for W in Ws[:-1]:
                z = a @ W
                a = f(z)
                zs.append(z)
                acts.append(a)
            probs = nn.softmax(a @ Ws[-1])
            g = (probs - Y) / BATCH @ Ws[-1].T        # dL/da of the last hidden layer (mean loss over BATCH)
            grads = [None] * depth
            for l in reversed(range(depth)):
                grads[l] = g
                if l:
                    g = (g * df(zs[l], acts[l])) @ Ws[l].T
        return acts, grads


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
    probe = DeepProbe()
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
    ax_s.set_xticks([1e-16, 1e-12, 1e-8, 1e-4, 1, 1e4, 1e8], ["1e-16", "1e-12", "1e-8", "1e-4", "1", "1e4", "1e8"])
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
        lo, hi = ACTIVATIONS[activation][1]
        if full:
            state["activation"] = activation
            ax_a.set_xlim(lo, hi)
            ax_a.set_xlabel(f"output a = {activation}(z) of each unit and example" +
                            (" (> 3: last bin)" if activation == "ReLU" else ""))
            ax_a.set_title("what each layer outputs" + (" (zeros left out)" if activation == "ReLU" else ""),
                           fontsize=10)
        acts, grads = probe.run(scheme, activation, depth, gain)
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
                patch.set_data(base - 0.85 * row * counts / max(counts.max(initial=0), 1), edges, baseline=base)
        rows = (np.arange(depth) + 0.5) * row
        std_a.set_data(np.clip([x.std() for x in acts], *STD_RANGE), rows)
        std_g.set_data(np.clip([x.std() for x in grads], *STD_RANGE), rows)
        ax_s.set_title(f"std per layer;  n_in·Var(w) = {WIDTH * weight_variance(scheme, WIDTH, WIDTH, gain):.3g}",
                       fontsize=10)
        return full

    controls = {
        "scheme": W.Dropdown(options=list(SCHEMES), value=scheme, description="scheme",
                             layout=W.Layout(width="330px")),
        "activation": W.ToggleButtons(options=list(ACTIVATIONS), value=activation,
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

HIDDEN, STEPS, EVERY, LR = 8, 500, 10, 1.0
STARTS = {
    "identical: every weight 0.5": (partial(nn.init.constant, value=0.5),) * 2,
    "identical: every weight 0": (nn.init.zeros,) * 2,
    "random: Glorot uniform": (nn.init.glorot_uniform,) * 2,
}


def circles_data(seed=0):
    """The 200-point two-circles task of the symmetry demonstration."""
    return nn.datasets.make_circles(200, noise=0.1, rng=nn.make_rng(seed))


def symmetry_run(start, X, y, steps=STEPS, every=EVERY, lr=LR, hidden=HIDDEN, seed=1):
    """Train a 2-``hidden``-2 tanh network from ``start`` by full-batch gradient descent.

    Returns the model (at the last step), the snapshots ``model.get_weights()`` taken every
    ``every`` steps (the first before any step) and the loss before each step.
    """
    init1, init2 = STARTS[start]
    rng = nn.make_rng(seed)
    model = nn.Sequential([nn.Dense(2, hidden, init=init1, rng=rng), nn.Tanh(),
                           nn.Dense(hidden, 2, init=init2, rng=rng)])
    loss_fn, opt = nn.SoftmaxCrossEntropy(), nn.optim.SGD(lr=lr)
    snapshots, losses = [], []
    for step in range(steps + 1):
        if step % every == 0:
            snapshots.append(model.get_weights())
        if step == steps:
            break
        model.zero_grad()
        losses.append(loss_fn(model(X), y))
        model.backward(loss_fn.backward())
        opt.step(model)
    losses.append(loss_fn(model(X), y))
    return model, snapshots, np.array(losses)


def distinct_units(W, b, tol=1e-9):
    """Number of groups of hidden units whose incoming weights and bias agree within ``tol``."""
    M = np.vstack([W, b])
    same = np.abs(M[:, :, None] - M[:, None, :]).max(axis=0) <= tol
    seen, groups = np.zeros(M.shape[1], dtype=bool), 0
    for j in range(M.shape[1]):
        if not seen[j]:
            seen |= same[j]
            groups += 1
    return groups


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
