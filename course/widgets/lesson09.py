r"""Lesson 09: the capstone playground, TensorFlow Playground in a notebook with the course's additions.

``playground()`` returns a :class:`PlaygroundApp`: Playground's controls (data, noise, ratio, batch
size, features, layers and units, activation, learning rate, regularization), the course's (optimizer,
initialization, loss, dropout, batch norm, reshuffling, early stopping), play / step / reset, and one
picture (``course.widgets.playground_view``). Playing trains one epoch per frame in an asyncio task on
the kernel's event loop, so the controls keep working while it runs (pause, change the learning rate).

The configuration box holds every control as one line of text (Playground's URL state): copy it, paste
it back and press "restore". ``playground(hide=[...])`` (or ``hide=`` in the text) hides controls for a
class, as Playground's ``<control>_hide`` flags do.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import time
import weakref

import ipywidgets as W

from ..computations.lesson09 import (ACTIVATIONS, DATASETS, DROPOUTS, FEATURE_LABELS, FEATURES, INITS,
                                     LEARNING_RATES, LOSSES, MAX_LAYERS, MAX_UNITS, OPTIMIZERS, PATIENCE,
                                     REG_RATES, REGULARIZATIONS, Config, Playground)
from .playground_view import png, render

FPS_CAP = 20                # frames per second at most while playing (the browser must keep up)
LABELS = {"circle": "circle", "xor": "XOR", "gauss": "two Gaussians", "spiral": "spiral", "plane": "plane",
          "gaussians": "multi-Gaussian"}
OPT_LABELS = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
              "rmsprop": "RMSProp", "adam": "Adam"}
INIT_LABELS = {"playground": "U(-0.5, 0.5), b = 0.1", "glorot": "Glorot", "he": "He", "zeros": "zeros"}
LOSS_LABELS = {"squared": "squared error", "cross_entropy": "cross-entropy"}


#: The controls whose value is one field of the Config, under the same name.
VALUE_CONTROLS = ("noise", "train_ratio", "batch_size", "activation", "lr", "regularization", "reg_rate",
                  "optimizer", "init", "loss", "dropout", "batchnorm", "reshuffle", "early_stopping",
                  "show_test", "discretize")


def _dd(options, value, description, width="190px"):
    return W.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, layout=W.Layout(width=width))


class PlaygroundApp:
    """The widget. ``engine`` is the :class:`~course.computations.lesson09.Playground` it draws;
    ``controls`` maps each name of :data:`CONTROLS` to its widget; ``frame_times`` records when every
    frame was sent while playing.

    One playground plays at a time: pressing play pauses every other one, and a new playground (a cell
    run again) pauses the old ones, whose pictures are no longer on the page.
    """

    _instances: "weakref.WeakSet[PlaygroundApp]" = weakref.WeakSet()

    def __init__(self, config=None, hide=()):
        cfg = Config() if config is None else config
        cfg = Config.from_text(cfg) if isinstance(cfg, str) else cfg
        if not isinstance(cfg, Config):
            raise TypeError(f"playground expected config as the configuration text or a Config, got "
                            f"{type(config).__name__}; e.g. playground('dataset=spiral&layers=8,8').")
        if isinstance(hide, str) or not isinstance(hide, (list, tuple, set, frozenset)) or not all(
                isinstance(h, str) for h in hide):
            raise TypeError(f"playground expected hide as a list of control names such as "
                            f"['noise', 'features'], got {hide!r}.")
        cfg = cfg.replace(hide=tuple(dict.fromkeys(tuple(cfg.hide) + tuple(hide))))
        # (Config.validate names an unknown control)
        self.engine = Playground(cfg)
        self.timings, self.frame_times, self._task, self._syncing = [], [], None, False
        self.view = "output"
        self._build_controls(cfg)
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%"))
        self.image.add_class("playground-frame")
        self.image.add_class("live-figure")           # the lessons' browser test finds every live figure
        self.status = W.HTML()
        self.status.add_class("playground-status")
        self.message = W.HTML()
        self.message.add_class("playground-message")
        self._sync_from(cfg)
        self.box = self._layout()
        self.box.add_class("playground")
        self.redraw()
        self._pause_others()
        PlaygroundApp._instances.add(self)

    def _pause_others(self):
        for other in list(PlaygroundApp._instances):
            if other is not self:
                other.controls["play"].value = False

    # ---- controls -----------------------------------------------------------------------------------
    def _build_controls(self, cfg):
        c = {}
        c["play"] = W.ToggleButton(False, description="play", icon="play", tooltip="play / pause",
                                   layout=W.Layout(width="90px"))
        c["step"] = W.Button(description="step", icon="step-forward", tooltip="train one epoch",
                             layout=W.Layout(width="80px"))
        c["reset"] = W.Button(description="reset", icon="undo", tooltip="a new network, epoch 0",
                              layout=W.Layout(width="80px"))
        c["regenerate"] = W.Button(description="new data", icon="refresh", tooltip="regenerate the data",
                                   layout=W.Layout(width="100px"))
        c["problem"] = _dd([("classification", "classification"), ("regression", "regression")],
                           cfg.problem, "problem")
        c["dataset"] = W.ToggleButtons(options=[(LABELS[d], d) for d in DATASETS[cfg.problem]],
                                       value=cfg.dataset, style={"button_width": "118px"})
        c["noise"] = W.IntSlider(cfg.noise, 0, 50, 5, description="noise %", continuous_update=False,
                                 style={"description_width": "initial"}, layout=W.Layout(width="230px"))
        c["train_ratio"] = W.IntSlider(cfg.train_ratio, 10, 90, 10, description="training %",
                                       continuous_update=False, style={"description_width": "initial"},
                                       layout=W.Layout(width="230px"))
        c["batch_size"] = W.IntSlider(cfg.batch_size, 1, 30, 1, description="batch size",
                                      continuous_update=False, style={"description_width": "initial"},
                                      layout=W.Layout(width="230px"))
        self.feature_buttons = {f: W.ToggleButton(f in cfg.features, description=FEATURE_LABELS[f],
                                                  layout=W.Layout(width="64px")) for f in FEATURES}
        c["features"] = W.HBox([W.HTML("features&nbsp;")] + list(self.feature_buttons.values()))
        self._layers = list(cfg.layers)
        self.layer_minus = W.Button(description="−", tooltip="remove a hidden layer",
                                    layout=W.Layout(width="34px"))
        self.layer_plus = W.Button(description="+", tooltip="add a hidden layer",
                                   layout=W.Layout(width="34px"))
        self.layer_label = W.HTML()
        self.unit_buttons = [(W.Button(description="−", tooltip=f"remove a unit from layer {i + 1}",
                                       layout=W.Layout(width="34px", padding="0")),
                              W.Button(description="+", tooltip=f"add a unit to layer {i + 1}",
                                       layout=W.Layout(width="34px", padding="0")))
                             for i in range(MAX_LAYERS)]
        self.unit_boxes = [W.HBox([W.HTML(f"&nbsp;L{i + 1}"), m, p])
                           for i, (m, p) in enumerate(self.unit_buttons)]
        c["layers"] = W.HBox([self.layer_minus, self.layer_label, self.layer_plus] + self.unit_boxes)
        c["activation"] = _dd([(a if a != "relu" else "ReLU", a) for a in ACTIVATIONS], cfg.activation,
                              "activation")
        c["lr"] = _dd([(f"{v:g}", v) for v in LEARNING_RATES], cfg.lr, "learning rate", "170px")
        c["regularization"] = _dd(REGULARIZATIONS, cfg.regularization, "regularization", "190px")
        c["reg_rate"] = _dd([(f"{v:g}", v) for v in REG_RATES], cfg.reg_rate, "rate", "120px")
        c["optimizer"] = _dd([(OPT_LABELS[o], o) for o in OPTIMIZERS], cfg.optimizer, "optimizer")
        c["init"] = _dd([(INIT_LABELS[i], i) for i in INITS], cfg.init, "init", "230px")
        c["loss"] = _dd([(LOSS_LABELS[v], v) for v in LOSSES], cfg.loss, "loss", "200px")
        c["dropout"] = _dd([(f"{v:g}", v) for v in DROPOUTS], cfg.dropout, "dropout", "130px")
        c["batchnorm"] = W.Checkbox(cfg.batchnorm, description="batch norm", indent=False,
                                    layout=W.Layout(width="110px"))
        c["reshuffle"] = W.Checkbox(cfg.reshuffle, description="reshuffle every epoch", indent=False,
                                    layout=W.Layout(width="170px"))
        c["early_stopping"] = W.Checkbox(cfg.early_stopping, description="early stopping",
                                         tooltip=f"hold out a fifth of the training points; stop after "
                                                 f"{PATIENCE} epochs without a better validation loss",
                                         indent=False, layout=W.Layout(width="130px"))
        c["show_test"] = W.Checkbox(cfg.show_test, description="show test data", indent=False,
                                    layout=W.Layout(width="130px"))
        c["discretize"] = W.Checkbox(cfg.discretize, description="discretize output", indent=False,
                                     layout=W.Layout(width="140px"))
        c["view"] = _dd([("output", "output")], "output", "big view", "200px")
        self.config_text = W.Textarea(layout=W.Layout(width="640px", height="54px"))
        self.config_text.add_class("playground-config")
        self.restore_button = W.Button(description="restore", tooltip="apply the text above",
                                       layout=W.Layout(width="90px"))
        c["config"] = W.HBox([self.config_text, self.restore_button])
        self.controls = c

        c["play"].observe(self._on_play, names="value")
        c["step"].on_click(lambda _: self.step())
        c["reset"].on_click(lambda _: self.reset())
        c["regenerate"].on_click(lambda _: self.regenerate())
        self.restore_button.on_click(lambda _: self.restore(self.config_text.value))
        self.layer_minus.on_click(lambda _: self._change_layers(-1))
        self.layer_plus.on_click(lambda _: self._change_layers(+1))
        for i, (m, p) in enumerate(self.unit_buttons):
            m.on_click(lambda _, i=i: self._change_units(i, -1))
            p.on_click(lambda _, i=i: self._change_units(i, +1))
        for b in self.feature_buttons.values():
            b.observe(self._on_control, names="value")
        for name in ("problem", "dataset", *VALUE_CONTROLS):
            c[name].observe(self._on_control, names="value")
        c["view"].observe(self._on_view, names="value")

    def _layout(self):
        c = self.controls
        rows = [W.HBox([c["play"], c["step"], c["reset"], c["regenerate"], self.status]),
                W.HBox([c["problem"], c["dataset"]]),
                W.HBox([c["noise"], c["train_ratio"], c["batch_size"]]),
                c["features"], c["layers"],
                W.HBox([c["activation"], c["lr"], c["regularization"], c["reg_rate"]]),
                W.HBox([c["optimizer"], c["init"], c["loss"], c["dropout"]]),
                W.HBox([c["batchnorm"], c["reshuffle"], c["early_stopping"], c["show_test"], c["discretize"],
                        c["view"]]),
                self.image, c["config"], self.message]
        return W.VBox(rows)

    def _sync_from(self, cfg):
        """Set every control to ``cfg`` without triggering a rebuild."""
        self._syncing = True
        try:
            c = self.controls
            c["problem"].value = cfg.problem
            c["dataset"].options = [(LABELS[d], d) for d in DATASETS[cfg.problem]]
            c["dataset"].value = cfg.dataset
            for name in VALUE_CONTROLS:
                c[name].value = getattr(cfg, name)
            for f, b in self.feature_buttons.items():
                b.value = f in cfg.features
                b.button_style = "info" if b.value else ""
            self._layers = list(cfg.layers)
            self.layer_label.value = (f"&nbsp;<b>{len(self._layers)}</b> hidden layer"
                                      f"{'' if len(self._layers) == 1 else 's'}&nbsp;")
            for i, box in enumerate(self.unit_boxes):
                box.layout.display = "" if i < len(self._layers) else "none"
            views = [("output", "output")] + [(f"feature {FEATURE_LABELS[f]}", f"0:{k}")
                                              for k, f in enumerate(cfg.features)]
            views += [(f"layer {li + 1}, unit {k + 1}", f"{li + 1}:{k}")
                      for li, n in enumerate(cfg.layers) for k in range(n)]
            c["view"].options = views
            if self.view not in [v for _, v in views]:
                self.view = "output"
            c["view"].value = self.view
            for name, widget in c.items():
                widget.layout.display = "none" if name in cfg.hide else ""
            self.config_text.value = cfg.to_text()
        finally:
            self._syncing = False

    def _config_from_controls(self):
        c, old = self.controls, self.engine.config
        problem = c["problem"].value
        dataset = c["dataset"].value if c["dataset"].value in DATASETS[problem] else DATASETS[problem][0]
        feats = tuple(f for f, b in self.feature_buttons.items() if b.value)
        values = {name: c[name].value for name in VALUE_CONTROLS}
        if problem == "regression" and values["loss"] == "cross_entropy":
            values["loss"] = "squared"
        return dataclasses.replace(old, problem=problem, dataset=dataset, features=feats,
                                   layers=tuple(self._layers), **values)

    def _on_control(self, change):
        if self._syncing:
            return
        self._apply(lambda: self._config_from_controls())

    def _apply(self, make):
        try:
            cfg = make()
            cfg.validate()
        except (ValueError, TypeError) as e:
            self.message.value = f"<span style='color:#c0392b'>{_html(str(e))}</span>"
            self._sync_from(self.engine.config)                  # the controls show what runs
            return False
        self.message.value = ""
        self.engine.apply(cfg)
        self._sync_from(self.engine.config)
        self.redraw()
        return True

    def _change_layers(self, delta):
        layers = list(self.engine.config.layers)
        if delta > 0 and len(layers) < MAX_LAYERS:
            layers.append(2)
        elif delta < 0 and layers:
            layers.pop()
        else:
            return
        self._apply(lambda: self.engine.config.replace(layers=tuple(layers)))

    def _change_units(self, i, delta):
        layers = list(self.engine.config.layers)
        if i >= len(layers) or not 1 <= layers[i] + delta <= MAX_UNITS:
            return
        layers[i] += delta
        self._apply(lambda: self.engine.config.replace(layers=tuple(layers)))

    def _on_view(self, change):
        if self._syncing:
            return
        self.view = change["new"]
        self.redraw()

    # ---- actions (the buttons call these; so can code) ------------------------------------------------
    def step(self, epochs=1):
        """Train ``epochs`` epochs and redraw (the "step" button: one)."""
        self.engine.step(epochs)
        self.redraw()

    def reset(self):
        """A new network on the same data, epoch 0."""
        self.engine.reset()
        self.redraw()

    def regenerate(self):
        """New data (the next seed) and a new network."""
        self.engine.regenerate()
        self._sync_from(self.engine.config)
        self.redraw()

    def restore(self, text):
        """Apply a configuration text (from the box or from code); returns True when it was valid."""
        return self._apply(lambda: Config.from_text(text))

    def set(self, **values):
        """Move controls from code, e.g. ``app.set(dataset="spiral", layers=(8, 8))``."""
        return self._apply(lambda: self.engine.config.replace(**values))

    @property
    def config(self):
        return self.engine.config

    # ---- drawing and playing ------------------------------------------------------------------------
    def redraw(self):
        t0 = time.perf_counter()
        e = self.engine
        note = "diverged" if e.diverged else ("stopped early" if e.stopped else "")
        self.image.value = png(render(e, self.view, note))
        acc = ""
        if e.config.problem == "classification":
            acc = f" · test accuracy <b>{e.history['test_acc'][-1]:.3f}</b>"
        self.status.value = (f"&nbsp;epoch <b class='pg-epoch'>{e.epoch}</b> · training loss "
                             f"<b>{e.train_loss:.3f}</b> · test loss <b>{e.test_loss:.3f}</b>{acc}")
        if e.diverged:
            self.message.value = f"<span style='color:#c0392b'>{_html(e.diverged)}</span>"
        self.timings.append(time.perf_counter() - t0)

    def frame(self):
        """One frame of play: train one epoch, redraw. Returns False when training cannot go on."""
        self.engine.step(1)
        self.redraw()
        self.frame_times.append(time.perf_counter())
        return not (self.engine.diverged or self.engine.stopped)

    def _on_play(self, change):
        b = self.controls["play"]
        b.description, b.icon = ("pause", "pause") if change["new"] else ("play", "play")
        if change["new"]:
            self._pause_others()
        if change["new"] and (self._task is None or self._task.done()):
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:                         # no event loop (a script): use frame()
                return
            self._task = loop.create_task(self._play())

    async def _play(self):
        play = self.controls["play"]
        while play.value:
            t0 = time.perf_counter()
            if not self.frame():
                play.value = False
                break
            await asyncio.sleep(max(0.001, 1 / FPS_CAP - (time.perf_counter() - t0)))

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_()
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = "Playground (run the notebook to use its controls)"
        return bundle

    def __repr__(self):
        return f"PlaygroundApp({self.engine.config.to_text()!r})"


def _html(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def playground(config=None, hide=()):
    """The capstone playground (see the module's docstring). ``config``: a Config or its text;
    ``hide``: names of controls to hide (see :data:`CONTROLS`)."""
    return PlaygroundApp(config, hide=hide)
