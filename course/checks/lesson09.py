"""Checks for lesson 09 (the capstone playground): five challenges, each judged on a configuration.

Use in a notebook: ``from course.checks import lesson09 as check`` then
``check.small_spiral(small_spiral)``, where ``small_spiral()`` returns the configuration text copied
from the playground's box (or the playground itself: ``check.small_spiral(app)`` reads its
configuration).

A challenge never trusts the numbers on the screen: it rebuilds the network from the configuration
(the seed is part of it, so the run is the same as the learner's) and trains it for the challenge's
budget of epochs, then judges the result. The verdict names the first requirement that is not met
and, when the run shows why (a loss that became NaN, a training loss as high as the test loss, a
first layer whose gradient is a millionth of the last one's), says so.
"""

from __future__ import annotations

import math

import numpy as np

from ..computations.lesson09 import FEATURE_LABELS, LEARNING_RATES, Config, Playground
from ._framework import TIME_LIMIT, CheckResult, _time_limit, _Timeout, recorded

LESSON = "09-playground"


class Challenge:
    """One challenge: ``check(answer)`` returns a :class:`CheckResult`.

    ``answer`` is the learner's function returning a configuration (text, a Config, the playground
    app or its engine), or such a value itself. ``judge(config) -> (status, message, mistake)``.
    """

    def __init__(self, number, name, goal, epochs, judge):
        self.lesson, self.number, self.name, self.goal = LESSON, number, name, goal
        self.epochs, self.judge = epochs, judge
        self.mistakes = []

    @property
    def label(self):
        return f"Challenge {self.number} ({self.name})"

    def __call__(self, answer) -> CheckResult:
        return recorded(self, answer)

    def _verdict(self, status, message, mistake=None):
        return CheckResult(self.label, status, message, mistake)

    def _run(self, answer):
        cfg, problem = _config_of(answer, self.name)
        if problem == "not_attempted":
            return self._verdict("not_attempted", "not attempted yet: return your configuration text "
                                                  "from the function (copy it from the playground's box).")
        if problem:
            return self._verdict("failed", problem, "not_a_configuration")
        try:
            status, message, mistake = self.judge(cfg)
        except _Timeout:
            return self._verdict("failed", "training this configuration took too long to judge; use "
                                           "fewer units or a larger batch size.", "too_slow")
        return self._verdict(status, message, mistake)


def _config_of(answer, name):
    """``(Config, None)``, or ``(None, reason)``; ``reason == "not_attempted"`` for the stub."""
    value = answer
    if callable(answer) and not hasattr(answer, "engine") and not hasattr(answer, "config"):
        try:
            with _time_limit(TIME_LIMIT):
                value = answer()
        except NotImplementedError:
            return None, "not_attempted"
        except (Exception, SystemExit, KeyboardInterrupt, _Timeout) as e:  # noqa: BLE001
            return None, f"your function {name}() raised {type(e).__name__}: {e}"
    if value is None:
        return None, (f"{name}() returned None: is the `return` missing? Return the configuration text "
                      f"from the playground's box, in quotes.")
    if hasattr(value, "engine"):                    # the app
        value = value.engine
    if hasattr(value, "config") and isinstance(value.config, Config):
        value = value.config
    if isinstance(value, Config):
        return value, None
    if not isinstance(value, str):
        return None, (f"expected the configuration as text (a str, from the playground's box), got "
                      f"{type(value).__name__}.")
    try:
        return Config.from_text(value), None
    except (ValueError, TypeError) as e:
        return None, f"the configuration is not valid: {e}"


_RUNS = {}          # (repr of a Config, epochs) -> its trained Playground, the newest last
_RUNS_KEPT = 32     # a run holds about 1 MB (6 layers of 8 units, all seven features: 1.06 MB)


def _train(cfg, epochs):
    """The configuration trained for ``epochs`` (a seeded, deterministic run). Runs are kept: a check
    run again on the same answer, and the counterfactual runs that many answers share, are not
    trained twice. Judges only read a run, never step it further."""
    key = (repr(cfg), epochs)
    if key in _RUNS:
        _RUNS[key] = _RUNS.pop(key)                      # the newest last
        return _RUNS[key]
    pg = Playground(cfg)
    with _time_limit(4 * TIME_LIMIT):
        pg.step(epochs)
    _RUNS[key] = pg
    while len(_RUNS) > _RUNS_KEPT:
        del _RUNS[next(iter(_RUNS))]
    return pg


def _squared_test_loss(pg):
    """Playground's test loss, 1/2 mean (o - t)^2 of the output shown, whatever loss trained it."""
    o = pg.predict(pg.P_test)
    return float(0.5 * np.mean((o - pg.t_test) ** 2))


def _squared_train_loss(pg):
    o = pg.predict(pg.P_fit)
    return float(0.5 * np.mean((o - pg.t_fit) ** 2))


def _require(cfg, **fixed):
    """The first fixed setting the config changed, as a sentence, or None."""
    for key, want in fixed.items():
        got = getattr(cfg, key)
        if got != want:
            show = (lambda v: ",".join(map(str, v)) or "none") if isinstance(want, tuple) else str
            return (f"the challenge fixes {key}={show(want)}, your configuration has {key}={show(got)}; "
                    f"set it back (only the other controls are yours to choose).")
    return None


def _diverged(pg):
    if pg.diverged:
        return "failed", f"the training diverged: {pg.diverged}.", "diverged"
    return None


def _fmt(v):
    return f"{v:.3g}" if math.isfinite(v) else str(v)


def _symmetric(pg):
    """True when every hidden layer with two or more units has identical units over the plane."""
    layers = [h for h in pg.unit_outputs()[1:-1] if h.shape[1] > 1]
    return bool(layers) and all(float(np.max(np.ptp(h, axis=1))) <= 1e-9 for h in layers)


def _regularizers(cfg):
    return [s for s, on in (("L1", cfg.regularization == "L1" and cfg.reg_rate > 0),
                            ("L2", cfg.regularization == "L2" and cfg.reg_rate > 0),
                            (f"dropout {cfg.dropout:g}", cfg.dropout > 0),
                            ("early stopping", cfg.early_stopping)) if on]


def _passes_with(cfg, epochs, passes, **changes):
    """Whether the configuration with ``changes`` meets the goal: a counterfactual run, to tell which
    setting is at fault by its effect."""
    try:
        other = cfg.replace(**changes)
    except (ValueError, TypeError):
        return False
    run = _train(other, epochs)
    return not run.diverged and bool(passes(run))


def _why_not(cfg, pg, epochs, passes, symmetry_is_a_fault=True):
    """``(mistake, sentence)``: why a run fell short, read from its effect, or None when nothing stands
    out. ``passes(run)`` says whether a run meets the goal; the same configuration with one setting
    changed (cross-entropy, a larger learning rate, no regularization) decides between causes."""
    h = np.array(pg.history["train"], dtype=float)
    if symmetry_is_a_fault and _symmetric(pg):
        return "symmetric_units", (f"the units of each hidden layer are identical after {epochs} epochs "
                                   f"(init={cfg.init} starts them alike and nothing tells them apart, lesson "
                                   f"03), so each layer computes what one unit could")
    if h[-1] > max(1.5 * h.min(), h.min() + 0.02) or h[-1] > 1.02 * h[0]:
        return "steps_too_large", (f"the training loss came down to {h.min():.3f} and ended at {h[-1]:.3f}: "
                                   f"the steps overshoot (learning rate {cfg.lr:g} with {cfg.optimizer}); "
                                   f"lower the learning rate")
    lower = next((r for r in [r for r in LEARNING_RATES if r < cfg.lr][-2:][::-1]
                  if _passes_with(cfg, epochs, passes, lr=r)), None)
    if lower is not None:
        return "steps_too_large", (f"the training loss went from {h[0]:.3f} to {h[-1]:.3f}, and the same "
                                   f"network with learning rate {lower:g} instead of "
                                   f"{cfg.lr:g} meets the goal: "
                                   f"the steps are too large")
    if cfg.problem == "classification" and cfg.loss == "squared":
        o = pg.predict(pg.P_fit)
        stuck = float(np.mean((np.abs(o) > 0.99) & (np.sign(o) != pg.t_fit)))
        if stuck > 0.1 and _passes_with(cfg, epochs, passes, loss="cross_entropy"):
            return "saturated_output", (f"{stuck:.0%} of the training points sit at |o| > 0.99 on the wrong "
                                        "side, where the squared error's gradient carries the "
                                        "factor 1 − o² ≈ 0 "
                                        "(lesson 09, section 2); the same network trained "
                                        "with cross-entropy "
                                        f"meets the goal")
    higher = next((r for r in [r for r in LEARNING_RATES if r > cfg.lr][:2]
                   if _passes_with(cfg, epochs, passes, lr=r)), None)
    if higher is not None:
        return "too_slow_to_learn", (f"the training loss went from {h[0]:.3f} to {h[-1]:.3f}, and the same "
                                     f"network with learning rate {higher:g} instead of {cfg.lr:g} meets the "
                                     f"goal: the steps are too small for {epochs} epochs")
    return _without_regularization(cfg, epochs, passes)


def _without_regularization(cfg, epochs, passes):
    """``("regularized_too_much", sentence)`` when the same network without its regularization meets
    the goal, else None."""
    used = _regularizers(cfg)
    if used and _passes_with(cfg, epochs, passes, regularization="none", reg_rate=0.0, dropout=0.0,
                             early_stopping=False):
        return "regularized_too_much", (f"the same network without {', '.join(used)} meets the goal: here "
                                        "the regularization keeps it from fitting; weaken it "
                                        "or leave it out")
    return None


# --------------------------------------------------------------------------------------------------
# 9.1 A circle without hidden layers

def _judge_circle(cfg):
    why = _require(cfg, problem="classification", dataset="circle", noise=0, train_ratio=50)
    if why:
        return "failed", why, "changed_fixed_setting"
    if cfg.layers:
        return "failed", (f"your network has {len(cfg.layers)} hidden layer(s) ({cfg.n_hidden_units} units); "
                          f"the challenge allows none: remove them with the layers − button."), \
            "hidden_layers"
    pg = _train(cfg, 100)
    if (r := _diverged(pg)):
        return r
    acc = pg.history["test_acc"][-1]
    if acc >= 0.99:
        return "passed", (f"test accuracy {acc:.3f} after 100 epochs with no hidden layer, on "
                          f"{', '.join(FEATURE_LABELS[f] for f in cfg.features)}."), None
    if not {"x1^2", "x2^2"} <= set(cfg.features):
        used = ", ".join(FEATURE_LABELS[f] for f in cfg.features)
        return "failed", (f"test accuracy {acc:.3f} (needs 0.99). Without hidden layers the output is "
                          f"tanh(w · features + b), so the boundary is where w · features + b = 0: on "
                          f"{used} that cannot be the circle x₁² + x₂² = 2.5². Which features make the "
                          f"circle's equation linear?"), "features_cannot_draw_a_circle"
    why = _why_not(cfg, pg, 100, lambda run: run.history["test_acc"][-1] >= 0.99, symmetry_is_a_fault=False)
    if why:
        return "failed", f"test accuracy {acc:.3f} after 100 epochs (needs 0.99): {why[1]}.", why[0]
    return "failed", (f"test accuracy {acc:.3f} after 100 epochs (needs 0.99), with the features the circle "
                      f"needs: the training loss went from {pg.history['train'][0]:.3f} to "
                      f"{pg.history['train'][-1]:.3f}; try another learning rate."), "does_not_learn"


# --------------------------------------------------------------------------------------------------
# 9.2 The spiral with at most 20 hidden units, on x1 and x2 only

def _judge_spiral(cfg):
    why = _require(cfg, problem="classification", dataset="spiral", noise=0, train_ratio=50, seed=0)
    if why:
        return "failed", why, "changed_fixed_setting"
    if cfg.features != ("x1", "x2"):
        extra = ", ".join(FEATURE_LABELS[f] for f in cfg.features if f not in ("x1", "x2"))
        return "failed", ("the challenge allows the features x₁ and x₂ only; yours also use "
                          f"{extra or 'fewer'}:"
                          f" the network must build the spiral's shape itself."), "other_features"
    if cfg.n_hidden_units > 20:
        return "failed", (f"your hidden layers have {cfg.n_hidden_units} units in all "
                          f"({', '.join(map(str, cfg.layers))}); the challenge allows at most 20."), \
            "too_many_units"
    if not cfg.layers:
        return "failed", "a network without hidden layers draws one straight boundary: add hidden layers.", \
            "hidden_layers"
    pg = _train(cfg, 300)
    if (r := _diverged(pg)):
        return r
    test, train = _squared_test_loss(pg), _squared_train_loss(pg)
    if test < 0.1:
        return "passed", (f"test loss {test:.3f} after 300 epochs with {cfg.n_hidden_units} hidden units "
                          f"({', '.join(map(str, cfg.layers))})."), None
    if train < 0.5 * test:
        return "failed", (f"test loss {test:.3f} (needs < 0.1) against a training loss of {train:.3f}: the "
                          f"network fits the training points and not the points between them; a smaller "
                          "learning rate or fewer units in the last layer give a smoother "
                          "boundary."), "overfits"
    passes = lambda run: _squared_test_loss(run) < 0.1                 # noqa: E731
    why = _why_not(cfg, pg, 300, passes)
    if why:
        return "failed", f"test loss {test:.3f} after 300 epochs (needs < 0.1): {why[1]}.", why[0]
    if cfg.layers != (8, 8, 4) and _passes_with(cfg, 300, passes, layers=(8, 8, 4)):
        return "failed", (f"test loss {test:.3f} after 300 epochs (needs < 0.1): with these settings, hidden "
                          f"layers of 8, 8 and 4 units (also 20 in all) meet the goal where "
                          f"{', '.join(map(str, cfg.layers))} does not: the spiral's turns are pieces that "
                          f"later layers combine, so depth helps more than width (lesson 01)."), \
            "too_small_network"
    h = pg.history["train"]
    if len(h) > 21 and all(b < a for a, b in zip(h[-21:-1], h[-20:])):
        return "failed", (f"test loss {test:.3f} after 300 epochs (needs < 0.1); the training loss is still "
                          f"falling steadily ({h[0]:.3f} to {h[-1]:.3f}) when the 300 epochs end: larger "
                          "steps (the learning rate, an adaptive optimizer: lesson 05) or more capacity "
                          "where the spiral turns (depth, lesson 01) get there within the budget."), \
            "learns_too_slowly"
    faster = "" if cfg.optimizer == "adam" else (" Lesson 05's adaptive optimizers reach further in the same "
                                                  "epochs than " + cfg.optimizer + ".")
    return "failed", (f"test loss {test:.3f} after 300 epochs (needs < 0.1), training loss {train:.3f}: the "
                      f"network fits the training points too loosely as well.{faster} A spiral's turns are "
                      f"pieces that later layers combine: depth helps more than width (lesson 01)."), \
        "underfits"


# --------------------------------------------------------------------------------------------------
# 9.3 Six sigmoid layers that learn, with plain SGD

def _judge_deep_sigmoid(cfg):
    why = _require(cfg, problem="classification", dataset="circle", noise=0, train_ratio=50,
                   activation="sigmoid", optimizer="sgd")
    if why:
        return "failed", why, "changed_fixed_setting"
    if len(cfg.layers) != 6:
        return "failed", (f"your network has {len(cfg.layers)} hidden layers; the challenge is about 6 "
                          f"(add layers with the layers + button)."), "not_six_layers"
    pg = _train(cfg, 300)
    if (r := _diverged(pg)):
        return r
    acc = pg.history["test_acc"][-1]
    if acc >= 0.95:
        return "passed", (f"test accuracy {acc:.3f} after 300 epochs with six sigmoid layers "
                          "and plain SGD."), None
    passes = lambda run: run.history["test_acc"][-1] >= 0.95       # noqa: E731
    if _symmetric(pg):
        why = _why_not(cfg, pg, 300, passes)
        return "failed", f"test accuracy {acc:.3f} after 300 epochs (needs 0.95): {why[1]}.", why[0]
    if cfg.dropout:           # dropout's noise is the first suspect: one counterfactual run decides
        why = _without_regularization(cfg, 300, passes)
        if why:
            return "failed", f"test accuracy {acc:.3f} after 300 epochs (needs 0.95): {why[1]}.", why[0]
    fresh = Playground(cfg)
    fresh.step(1)
    g = fresh.grad_norms
    ratio = g[0] / g[-1] if g[-1] > 0 else float("nan")
    if ratio < 1e-2:
        return "failed", (f"test accuracy {acc:.3f} after 300 epochs (needs 0.95). In the first epoch the "
                          f"first layer's gradient was {_fmt(ratio)} of the output layer's: the gradient "
                          f"vanishes on its way down (lesson 08), so the first layers barely move. A "
                          f"larger learning rate scales every layer alike; lesson 08 showed what keeps "
                          f"the signal's scale from layer to layer."), "vanishing_gradient"
    why = _why_not(cfg, pg, 300, passes)
    if why:
        return "failed", f"test accuracy {acc:.3f} after 300 epochs (needs 0.95): {why[1]}.", why[0]
    h = pg.history["train"]
    if h[-1] < 0.5 * h[0]:
        return "failed", (f"test accuracy {acc:.3f} after 300 epochs (needs 0.95): the gradient reaches the "
                          f"first layer (ratio {_fmt(ratio)}) and the training loss fell from {h[0]:.3f} to "
                          f"{h[-1]:.3f}, not far enough: with {', '.join(map(str, cfg.layers))} units per "
                          f"layer, wider layers or a larger learning rate get further in 300 epochs."), \
            "learns_too_little"
    if h[-1] > 0.95 * h[0]:
        return "failed", (f"test accuracy {acc:.3f} after 300 epochs (needs 0.95); the gradient reaches the "
                          f"first layer (ratio {_fmt(ratio)}), but the training loss barely "
                          f"moved ({h[0]:.3f} "
                          f"to {h[-1]:.3f}): the steps are far too small; raise the learning rate."), \
            "too_slow_to_learn"
    return "failed", (f"test accuracy {acc:.3f} after 300 epochs (needs 0.95); the gradient reaches the "
                      f"first layer (ratio {_fmt(ratio)}), but the training loss only went from {h[0]:.3f} "
                      f"to {h[-1]:.3f}: try another learning rate."), "does_not_learn"


# --------------------------------------------------------------------------------------------------
# 9.4 Symmetry: units of a layer that stay identical while the network learns

def _judge_symmetry(cfg):
    if not any(n >= 2 for n in cfg.layers):
        return "failed", ("symmetry needs a hidden layer of at least two units (a single unit has nothing to "
                          "be identical to): add units."), "no_layer_to_be_symmetric"
    pg = _train(cfg, 100)
    if (r := _diverged(pg)):
        return r
    outs = pg.unit_outputs()
    for li, h in enumerate(outs[1:-1], start=1):
        if h.shape[1] < 2:
            continue
        spread = float(np.max(np.ptp(h, axis=1)))
        if spread > 1e-9:
            if cfg.dropout:
                return "failed", (f"after 100 epochs the units of layer {li} differ (by up to {spread:.2g} "
                                  f"over the plane): dropout gives each unit its own random mask, so their "
                                  f"gradients differ and the tie breaks."), "dropout_breaks_symmetry"
            if cfg.init in ("playground", "glorot", "he"):
                return "failed", (f"after 100 epochs the units of layer {li} differ (by up to {spread:.2g}): "
                                  f"init={cfg.init} draws different random weights for every unit, so they "
                                  f"start apart (lesson 03). Start them all alike."), "random_init"
            return "failed", f"after 100 epochs the units of layer {li} differ by up to {spread:.2g}.", \
                "units_differ"
    first, last = pg.history["train"][0], pg.history["train"][-1]
    if not last < 0.99 * first and _act0(cfg.activation) != "0.5":
        return "failed", (f"the units are identical, but nothing was learned: the training loss went from "
                          f"{first:.4f} to {last:.4f}. With weights 0 and activation={cfg.activation} "
                          f"every hidden unit outputs {_act0(cfg.activation)}, so the output weights get "
                          f"no gradient and none flows back to the hidden ones. Find an activation whose "
                          f"value at 0 is not 0 (lesson 03, the symmetry section)."), "stuck_at_zero"
    if not last < 0.99 * first:
        why = _why_not(cfg, pg, 100, lambda run: False, symmetry_is_a_fault=False)
        if cfg.regularization != "none" and cfg.reg_rate > 0 and (why is None or why[0] != "steps_too_large"):
            why = ("penalty_holds_weights", f"the {cfg.regularization} penalty (rate {cfg.reg_rate:g}) pulls "
                                            f"the weights back to the 0 they started from")
        reason = why[1] if why else "try a larger learning rate or another optimizer (lesson 05)"
        return "failed", (f"the units are identical, but the training loss only went from {first:.4f} to "
                          f"{last:.4f} in 100 epochs (it must fall by at least 1 %): {reason}."), \
            why[0] if why else "learns_too_little"
    return "passed", (f"after 100 epochs the units of every hidden layer are identical while the training "
                      f"loss fell from {first:.3f} to {last:.3f}: they learn, in lockstep."), None


def _act0(name):
    return {"sigmoid": "0.5", "tanh": "tanh(0) = 0", "relu": "max(0, 0) = 0", "linear": "0"}[name]


# --------------------------------------------------------------------------------------------------
# 9.5 Regularize an overfitting network on noisy XOR

XOR_FIXED = dict(problem="classification", dataset="xor", noise=50, train_ratio=10, seed=0,
                 features=("x1", "x2"), layers=(8, 8, 8), activation="tanh", optimizer="adam", lr=0.03,
                 loss="squared", init="playground", batch_size=10, batchnorm=False)
XOR_TARGET = 0.33


def _judge_xor(cfg):
    why = _require(cfg, **XOR_FIXED)
    if why:
        return "failed", why, "changed_fixed_setting"
    pg = _train(cfg, 300)
    if (r := _diverged(pg)):
        return r
    test, train = _squared_test_loss(pg), _squared_train_loss(pg)
    used = _regularizers(cfg)
    if test < XOR_TARGET:
        return "passed", (f"test loss {test:.3f} after 300 epochs (without regularization it is 0.504), "
                          f"with {', '.join(used)}."), None
    if not used and cfg.reg_rate > 0:
        return "failed", (f"test loss {test:.3f} (needs < {XOR_TARGET}): you set a regularization rate "
                          f"({cfg.reg_rate:g}) but regularization is none, so no penalty is applied; choose "
                          f"L1 or L2 as well."), "rate_without_penalty"
    if not used:
        return "failed", (f"test loss {test:.3f} (needs < {XOR_TARGET}) and training loss {train:.3f}: "
                          f"nothing regularizes this network, so it fits the noise of its 50 training "
                          f"points. Lessons 06 and 07 have four ways to stop that."), "no_regularization"
    if train > 0.8 * test:
        return "failed", (f"test loss {test:.3f} (needs < {XOR_TARGET}) and training loss {train:.3f}: the "
                          f"network no longer fits even the training points; {', '.join(used)} is too "
                          f"strong. Weaken it."), "too_strong"
    return "failed", (f"test loss {test:.3f} (needs < {XOR_TARGET}), training loss {train:.3f}: still a wide "
                      f"gap, so {', '.join(used)} is too weak. Strengthen it, or combine."), "too_weak"


CHALLENGES = [
    Challenge("9.1", "circle_without_hidden_layers",
              "circle, noise 0: test accuracy >= 0.99 after 100 epochs with no hidden layer", 100,
              _judge_circle),
    Challenge("9.2", "small_spiral",
              "spiral on x1 and x2 only, at most 20 hidden units: test loss < 0.1 after 300 epochs", 300,
              _judge_spiral),
    Challenge("9.3", "deep_sigmoid",
              "six sigmoid layers and plain SGD on the circle: test accuracy >= 0.95 after 300 epochs", 300,
              _judge_deep_sigmoid),
    Challenge("9.4", "symmetric_units",
              "units of every hidden layer identical after 100 epochs while the training loss falls", 100,
              _judge_symmetry),
    Challenge("9.5", "regularized_xor",
              f"noisy XOR, 8-8-8 tanh with Adam: test loss < {XOR_TARGET} after 300 epochs by regularization",
              300, _judge_xor),
]
EXERCISES = CHALLENGES          # the name grading and progress look for
circle_without_hidden_layers, small_spiral, deep_sigmoid, symmetric_units, regularized_xor = CHALLENGES

__all__ = ["Challenge", "CHALLENGES", "EXERCISES", *[c.name for c in CHALLENGES]]
