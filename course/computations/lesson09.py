r"""Lesson 09 (the capstone playground): the engine behind :func:`course.widgets.playground`.

TensorFlow Playground (Smilkov, Carter et al. 2016; tensorflow/playground, ``src/``) rebuilt on nnlib,
without the widgets, so that tests, checks and the lesson can drive it from code:

* :class:`Config`: every control's value, written and read back as one line of text
  (``dataset=spiral&layers=8,8&...``, Playground's URL state), each value validated.
* :func:`make_data`: Playground's six data sets (circle, XOR, two Gaussians, spiral; plane and
  multi-Gaussian for regression), its noise and its train:test ratio, from a seeded generator.
* :func:`features`: the seven input features x1, x2, x1², x2², x1·x2, sin x1, sin x2.
* :class:`Playground`: the network (nnlib layers), one epoch of training per :meth:`Playground.step`,
  the losses per epoch, and every unit's output over the input plane in one batched pass
  (:meth:`Playground.unit_outputs`).

Playground's own choices are the defaults (squared error on a tanh output with labels ±1, weights
U(-0.5, 0.5) and biases 0.1, plain SGD, one fixed order of the training points); the course's
additions are options: optimizers, initializations, the cross-entropy loss, dropout, batch
normalization, reshuffling, early stopping.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

import nnlib as nn
from nnlib.regularization import add_penalty_grads

#: Playground's menus (``src/state.ts``, ``index.html``); the values are its own.
PROBLEMS = ("classification", "regression")
DATASETS = {"classification": ("circle", "xor", "gauss", "spiral"), "regression": ("plane", "gaussians")}
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2")
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1x2": "x₁x₂",
                  "sin_x1": "sin x₁", "sin_x2": "sin x₂"}
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "linear": nn.Identity}
REGULARIZATIONS = ("none", "L1", "L2")
# The course's additions.
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
INITS = ("playground", "glorot", "he", "zeros")
LOSSES = ("squared", "cross_entropy")
DROPOUTS = (0.0, 0.1, 0.2, 0.3, 0.5)
#: The controls of the widget, by the names ``hide`` takes (Playground's ``<control>_hide`` flags).
CONTROLS = ("play", "step", "reset", "regenerate", "problem", "dataset", "noise", "train_ratio",
            "batch_size", "features", "layers", "activation", "lr", "regularization", "reg_rate",
            "optimizer", "init", "loss", "dropout", "batchnorm", "reshuffle", "early_stopping",
            "show_test", "discretize", "view", "config")
MAX_LAYERS, MAX_UNITS = 6, 8
N_SAMPLES = {"classification": 500, "regression": 1200}   # Playground's NUM_SAMPLES_CLASSIFY / _REGRESS
PATIENCE = 30                                            # early stopping: epochs without improvement
VAL_FRACTION = 0.2                                       # of the training points, when early stopping
EXTENT = 6.0                                             # the input plane is [-6, 6]^2
GRID = 100                                               # Playground's DENSITY: 100 x 100 cells


@dataclass
class Config:
    """Every control of the playground. The defaults are TensorFlow Playground's."""
    problem: str = "classification"
    dataset: str = "circle"
    noise: int = 0                # percent, 0-50 in steps of 5
    train_ratio: int = 50         # percent of the points used for training, 10-90 in steps of 10
    batch_size: int = 10          # 1-30
    seed: int = 0
    features: tuple = ("x1", "x2")
    layers: tuple = (4, 2)        # units per hidden layer: 0-6 layers of 1-8 units
    activation: str = "tanh"
    lr: float = 0.03
    regularization: str = "none"
    reg_rate: float = 0.0
    optimizer: str = "sgd"
    init: str = "playground"
    loss: str = "squared"
    dropout: float = 0.0
    batchnorm: bool = False
    reshuffle: bool = False
    early_stopping: bool = False
    show_test: bool = False
    discretize: bool = False
    hide: tuple = ()

    def __post_init__(self):
        self.validate()

    def replace(self, **changes):
        """A new Config with ``changes`` applied (validated)."""
        return dataclasses.replace(self, **changes)

    def validate(self):
        """Raise ValueError naming the first value out of range, what is allowed and how to fix it."""
        _choice(self.problem, PROBLEMS, "problem")
        _choice(self.dataset, DATASETS[self.problem], "dataset",
                f" for problem={self.problem} (switch problem for the others)")
        _int_in(self.noise, "noise", 0, 50, 5)
        _int_in(self.train_ratio, "train_ratio", 10, 90, 10)
        _int_in(self.batch_size, "batch_size", 1, 30, 1)
        _int_in(self.seed, "seed", 0, 2**31 - 1, 1)
        self.features = tuple(self.features)
        for f in self.features:
            _choice(f, FEATURES, "features")
        if not self.features:
            raise ValueError("Config expected at least one input feature in features, got none; "
                             "turn on x1 or x2, e.g. features=x1,x2.")
        if len(set(self.features)) != len(self.features):
            raise ValueError(f"Config expected each feature once in features, got {list(self.features)}; "
                             f"list each at most once.")
        self.features = tuple(f for f in FEATURES if f in self.features)    # canonical order
        self.layers = tuple(self.layers)
        if len(self.layers) > MAX_LAYERS:
            raise ValueError(f"Config expected at most {MAX_LAYERS} hidden layers, got {len(self.layers)} "
                             f"({list(self.layers)}); remove layers.")
        for i, n in enumerate(self.layers):
            _int_in(n, f"layers[{i}]", 1, MAX_UNITS, 1)
        _choice(self.activation, tuple(ACTIVATIONS), "activation")
        self.lr = _number_in(self.lr, LEARNING_RATES, "lr")
        _choice(self.regularization, REGULARIZATIONS, "regularization")
        self.reg_rate = _number_in(self.reg_rate, REG_RATES, "reg_rate")
        _choice(self.optimizer, OPTIMIZERS, "optimizer")
        _choice(self.init, INITS, "init")
        _choice(self.loss, LOSSES, "loss")
        if self.loss == "cross_entropy" and self.problem == "regression":
            raise ValueError("Config: loss=cross_entropy needs problem=classification (it compares "
                             "probabilities with labels); use loss=squared for regression.")
        self.dropout = _number_in(self.dropout, DROPOUTS, "dropout")
        for name in ("batchnorm", "reshuffle", "early_stopping", "show_test", "discretize"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"Config expected {name} True or False, got {getattr(self, name)!r}.")
        if self.batchnorm and self.batch_size < 2:
            raise ValueError("Config: batch normalization needs batch_size >= 2 (the statistics of one "
                             "example are the example itself), got batch_size=1; raise batch_size or turn "
                             "batchnorm off.")
        self.hide = tuple(self.hide)
        for h in self.hide:
            _choice(h, CONTROLS, "each name in hide")
        return self

    def to_text(self):
        """One line of ``key=value`` pairs joined by ``&`` (Playground's URL state), every key written."""
        parts = []
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, tuple):
                v = ",".join(str(x) for x in v)
            elif isinstance(v, (bool, np.bool_)):
                v = "true" if v else "false"
            elif isinstance(v, float):
                v = f"{v:g}"
            parts.append(f"{f.name}={v}")
        return "&".join(parts)

    @classmethod
    def from_text(cls, text):
        """Read :meth:`to_text`'s format back; keys left out keep their defaults, a leading ``#`` or
        ``?`` is ignored. Unknown keys and bad values raise ValueError saying which and why."""
        if not isinstance(text, str):
            raise TypeError(f"Config.from_text expected the configuration as text (str), got "
                            f"{type(text).__name__}; copy it from the playground's configuration box.")
        text = text.strip().lstrip("#?").strip()
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values = {}
        for part in filter(None, (p.strip() for p in text.split("&"))):
            if "=" not in part:
                raise ValueError(f"Config.from_text expected key=value pairs joined by '&', got {part!r}; "
                                 f"e.g. dataset=spiral&layers=8,8.")
            key, raw = (s.strip() for s in part.split("=", 1))
            if key not in fields:
                close = [k for k in fields if k.startswith(key[:3])]
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise ValueError(f"Config.from_text: unknown key {key!r}{hint}; the keys are "
                                 f"{', '.join(fields)}.")
            values[key] = _parse(key, raw, type(getattr(cls(), key)))
        return cls(**values)

    @property
    def n_hidden_units(self):
        return int(sum(self.layers))


def _choice(value, allowed, name, extra=""):
    if value not in allowed:
        raise ValueError(f"Config expected {name} to be one of {', '.join(map(str, allowed))}{extra}, "
                         f"got {value!r}.")


def _int_in(value, name, low, high, step):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"Config expected {name} as a whole number from {low} to {high}, got {value!r}.")
    if not low <= value <= high or (value - low) % step:
        every = f" in steps of {step}" if step > 1 else ""
        raise ValueError(f"Config expected {name} from {low} to {high}{every}, got {value}; "
                         f"pick a value in that range.")


def _number_in(value, allowed, name):
    """The menu value ``value`` stands for (within rounding), or ValueError."""
    if not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, float, np.number)):
        for a in allowed:
            if math.isclose(value, a, rel_tol=1e-9, abs_tol=1e-12):
                return a
    raise ValueError(f"Config expected {name} to be one of {', '.join(f'{a:g}' for a in allowed)}, "
                     f"got {value!r}; pick one of these (the menu's values).")


def _parse(key, raw, kind):
    try:
        if kind is tuple:
            items = [s.strip() for s in raw.split(",") if s.strip()]
            return tuple(int(s) for s in items) if key == "layers" else tuple(items)
        if kind is bool:
            if raw.lower() not in ("true", "false", "1", "0"):
                raise ValueError
            return raw.lower() in ("true", "1")
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        return raw
    except ValueError:
        want = {tuple: "a comma-separated list", bool: "true or false", int: "a whole number",
                float: "a number"}.get(kind, "text")
        raise ValueError(f"Config.from_text expected {key} as {want}, got {raw!r}.") from None


# --------------------------------------------------------------------------------------------------
# Data: Playground's generators (src/dataset.ts), on a seeded numpy Generator

def make_data(dataset, n, noise, rng):
    """``(P, t)``: ``n`` points P (n, 2) in the plane and their targets t (n,) (labels ±1, or values in
    [-1, 1] for regression); ``noise`` is a fraction (Playground's slider / 100)."""
    u = rng.uniform
    if dataset == "circle":                        # inside radius 2.5 vs a ring 3.5-5; noise moves the label
        r = np.concatenate([u(0, 2.5, n // 2), u(3.5, 5, n - n // 2)])
        a = u(0, 2 * np.pi, n)
        P = np.column_stack([r * np.sin(a), r * np.cos(a)])
        shifted = P + u(-5, 5, (n, 2)) * noise
        t = np.where(np.hypot(*shifted.T) < 2.5, 1.0, -1.0)
    elif dataset == "xor":                         # quadrants, kept 0.3 away from the axes
        P = u(-5, 5, (n, 2))
        P += np.where(P > 0, 0.3, -0.3)
        shifted = P + u(-5, 5, (n, 2)) * noise
        t = np.where(shifted[:, 0] * shifted[:, 1] >= 0, 1.0, -1.0)
    elif dataset == "gauss":                       # variance 0.5 at no noise, 4 at noise 0.5
        sd = math.sqrt(0.5 + 7 * noise)
        h = n // 2
        P = np.concatenate([rng.normal(2, sd, (h, 2)), rng.normal(-2, sd, (n - h, 2))])
        t = np.concatenate([np.ones(h), -np.ones(n - h)])
    elif dataset == "spiral":                      # two arms of 1.75 turns; noise moves the points
        h = n // 2
        i = np.concatenate([np.arange(h), np.arange(n - h)]) / h
        delta = np.concatenate([np.zeros(h), np.full(n - h, np.pi)])
        r, a = 5 * i, 1.75 * 2 * np.pi * i + delta
        P = np.column_stack([r * np.sin(a), r * np.cos(a)]) + u(-1, 1, (n, 2)) * noise
        t = np.concatenate([np.ones(h), -np.ones(n - h)])
    elif dataset in ("plane", "gaussians"):
        P = u(-6, 6, (n, 2))
        shifted = P + u(-6, 6, (n, 2)) * noise
        t = _plane(shifted) if dataset == "plane" else _bumps(shifted)
    else:
        raise ValueError(f"make_data: unknown dataset {dataset!r}; one of "
                         f"{', '.join(DATASETS['classification'] + DATASETS['regression'])}.")
    return P, t


def _plane(P):
    return (P[:, 0] + P[:, 1]) / 10                # x + y mapped from [-10, 10] to [-1, 1]


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _bumps(P):
    """Six cones of height ±1 and radius 2; each point takes the one largest in magnitude."""
    d = np.hypot(P[:, None, 0] - _BUMPS[:, 0], P[:, None, 1] - _BUMPS[:, 1])
    v = _BUMPS[:, 2] * np.clip(1 - d / 2, 0, 1)
    return v[np.arange(len(P)), np.abs(v).argmax(axis=1)]


def features(P, names):
    """The input matrix (N, len(names)) of the chosen features of the points P (N, 2)."""
    x1, x2 = P[:, 0], P[:, 1]
    table = {"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1x2": x1 * x2,
             "sin_x1": np.sin(x1), "sin_x2": np.sin(x2)}
    return np.column_stack([table[f] for f in names])


def grid_points(n=GRID):
    """The centres of an n x n grid over [-6, 6]^2, row 0 at the top (x2 = +6), as (n*n, 2)."""
    c = (np.arange(n) + 0.5) / n * 2 * EXTENT - EXTENT
    x1, x2 = np.meshgrid(c, c[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


# --------------------------------------------------------------------------------------------------
# Losses on one output unit

class HalfSquaredError:
    r"""Playground's loss: :math:`\frac{1}{N}\sum_n \tfrac12 (o_n - t_n)^2` (its ``Errors.SQUARE``)."""

    def forward(self, o, t):
        self._d = o - t
        return float(0.5 * np.mean(self._d * self._d))

    def backward(self):
        return self._d / self._d.size


class LogisticLoss:
    r"""Cross-entropy for labels :math:`t = \pm 1` on one logit z:
    :math:`\frac1N\sum_n \log(1 + e^{-t_n z_n})`, the binary form of lesson 04's loss
    (:math:`p(t = 1) = \sigma(z)`)."""

    def forward(self, z, t):
        m = -t * z
        self._z, self._t = z, t
        return float(np.mean(np.logaddexp(0, m)))

    def backward(self):
        z, t = self._z, self._t
        return -t * _sigmoid(-t * z) / z.size


def _sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


# --------------------------------------------------------------------------------------------------

def _init(name):
    if name == "playground":                        # U(-0.5, 0.5), whatever the fan-in
        return lambda n_in, n_out, rng, dtype=np.float64: nn.init.uniform(n_in, n_out, rng, dtype, -0.5, 0.5)
    return {"glorot": nn.init.glorot_uniform, "he": nn.init.he_normal, "zeros": nn.init.zeros}[name]


def _optimizer(cfg):
    lr = cfg.lr
    return {"sgd": lambda: nn.optim.SGD(lr),
            "momentum": lambda: nn.optim.SGD(lr, momentum=0.9),
            "nesterov": lambda: nn.optim.SGD(lr, momentum=0.9, nesterov=True),
            "adagrad": lambda: nn.optim.AdaGrad(lr),
            "rmsprop": lambda: nn.optim.RMSProp(lr),
            "adam": lambda: nn.optim.Adam(lr)}[cfg.optimizer]()


class Playground:
    """The playground's state: data, network, optimizer and the record of every epoch.

    ``Playground(config)`` builds everything from the config's seed, so the same config always gives the
    same data, the same initial weights and the same training run. :meth:`step` trains one epoch
    (Playground's "step"); :meth:`reset` starts the network again on the same data; :meth:`regenerate`
    draws new data (the next seed).
    """

    def __init__(self, config=None):
        if config is None:
            config = Config()
        elif isinstance(config, str):
            config = Config.from_text(config)
        elif not isinstance(config, Config):
            raise TypeError(f"Playground expected a Config or its text, got {type(config).__name__}.")
        self.config = config.validate()
        self._grid = grid_points()
        self.rebuild_data()

    # ---- building ----------------------------------------------------------------------------------
    def rebuild_data(self):
        cfg = self.config
        data_rng, self._init_seed = np.random.default_rng([cfg.seed, 0]), [cfg.seed, 1]
        n = N_SAMPLES[cfg.problem]
        P, t = make_data(cfg.dataset, n, cfg.noise / 100, data_rng)
        order = data_rng.permutation(n)                 # shuffled once, as Playground does
        P, t = P[order], t[order]
        n_train = int(round(n * cfg.train_ratio / 100))
        self.P_train, self.t_train = P[:n_train], t[:n_train]
        self.P_test, self.t_test = P[n_train:], t[n_train:]
        if cfg.early_stopping:
            n_val = max(1, int(round(VAL_FRACTION * n_train)))
            self.P_val, self.t_val = self.P_train[-n_val:], self.t_train[-n_val:]
            self.P_fit, self.t_fit = self.P_train[:-n_val], self.t_train[:-n_val]
        else:
            self.P_val = self.t_val = None
            self.P_fit, self.t_fit = self.P_train, self.t_train
        self._refeature()
        self.reset()

    def _refeature(self):
        f = self.config.features
        self.X_fit = features(self.P_fit, f)
        self.X_test = features(self.P_test, f)
        self.X_val = None if self.P_val is None else features(self.P_val, f)
        self.X_grid = features(self._grid, f)

    def reset(self):
        """A new network (the config's seed), epoch 0, the record cleared; the data stay."""
        cfg = self.config
        rng = np.random.default_rng(self._init_seed)
        self._order_rng = np.random.default_rng([cfg.seed, 2])
        init = _init(cfg.init)
        widths = [len(cfg.features), *cfg.layers]
        layers, self.hidden_index = [], []
        for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
            layers.append(nn.Dense(n_in, n_out, init=init, rng=rng))
            if cfg.batchnorm:
                layers.append(nn.BatchNorm(n_out))
            layers.append(ACTIVATIONS[cfg.activation]())
            self.hidden_index.append(len(layers) - 1)
            if cfg.dropout:
                layers.append(nn.Dropout(cfg.dropout, rng=np.random.default_rng([cfg.seed, 3, i])))
        layers.append(nn.Dense(widths[-1], 1, init=init, rng=rng))
        if cfg.problem == "classification" and cfg.loss == "squared":
            layers.append(nn.Tanh())
        self.model = nn.Sequential(layers)
        if cfg.init == "playground":
            for layer in layers:
                if isinstance(layer, nn.Dense):
                    layer.params["b"][...] = 0.1
        self.loss_fn = LogisticLoss() if cfg.loss == "cross_entropy" else HalfSquaredError()
        self.opt = _optimizer(cfg)
        self.epoch = 0
        self.history = {"train": [], "test": [], "val": [], "train_acc": [], "test_acc": []}
        self.grad_norms = [0.0] * (len(cfg.layers) + 1)
        self.mask = None
        self.diverged = None
        self.best_epoch, self.stopped, self._best = None, False, None
        self._record()

    def regenerate(self):
        """New data: the next seed (Playground's "Regenerate"), and a new network."""
        self.config = self.config.replace(seed=(self.config.seed + 1) % 2**31)
        self.rebuild_data()

    def apply(self, config):
        """Move to ``config``; rebuild only what the change needs. Returns what was rebuilt:
        "data", "network" or "" (learning rate, regularization and views change on the fly)."""
        if isinstance(config, str):
            config = Config.from_text(config)
        config = config.validate()
        old, self.config = self.config, config
        data_keys = ("problem", "dataset", "noise", "train_ratio", "seed", "early_stopping")
        net_keys = ("features", "layers", "activation", "optimizer", "init", "loss", "dropout", "batchnorm")
        if any(getattr(old, k) != getattr(config, k) for k in data_keys):
            self.rebuild_data()
            return "data"
        if old.features != config.features:
            self._refeature()
        if any(getattr(old, k) != getattr(config, k) for k in net_keys):
            self.reset()
            return "network"
        if old.lr != config.lr:
            self.opt.lr = config.lr
        return ""

    # ---- training ----------------------------------------------------------------------------------
    def _output(self, z):
        """The value shown in [-1, 1]: the tanh output, or 2 p - 1 = tanh(z / 2) for cross-entropy."""
        return np.tanh(0.5 * z) if self.config.loss == "cross_entropy" else z

    def step(self, epochs=1):
        """Train ``epochs`` epochs (Playground's step is one); returns the epoch reached. Stops early
        (and sets ``stopped``) when early stopping ends the run, and sets ``diverged`` on NaN/inf."""
        for _ in range(int(epochs)):
            if self.stopped or self.diverged:
                break
            with np.errstate(all="ignore"):
                self._epoch()
        return self.epoch

    def _epoch(self):
        cfg, model = self.config, self.model
        X, t = self.X_fit, self.t_fit.reshape(-1, 1)
        N, B = len(X), cfg.batch_size
        idx = self._order_rng.permutation(N) if cfg.reshuffle else np.arange(N)
        l1 = cfg.reg_rate if cfg.regularization == "L1" else 0.0
        l2 = cfg.reg_rate if cfg.regularization == "L2" else 0.0
        model.train()
        for start in range(0, N, B):
            sel = idx[start:start + B]
            if cfg.batchnorm and len(sel) < 2:         # batch statistics need two examples
                continue
            model.zero_grad()
            z = model._forward(X[sel])
            self.loss_fn.forward(z, t[sel])
            model._backward(self.loss_fn.backward(), input_grad=False)
            if l1 or l2:
                add_penalty_grads(model, l2=l2, l1=l1)
            self.opt.step(model)
        self.grad_norms = [float(np.linalg.norm(g)) for name, _, g in model.named_parameters()
                           if name.endswith("W")]
        drops = [layer for layer in model.layers if isinstance(layer, nn.Dropout)]
        self.mask = [np.asarray(d._cache)[-1] > 0 for d in drops] if drops else None
        self.epoch += 1
        self._record()

    def _loss(self, X, t):
        self.model.eval()
        z = self.model._forward(X)
        self.model.train()
        loss = self.loss_fn.forward(z, t.reshape(-1, 1))
        acc = None
        if self.config.problem == "classification":
            acc = float(np.mean(np.where(self._output(z).ravel() >= 0, 1.0, -1.0) == t))
        return loss, acc

    def _record(self):
        with np.errstate(all="ignore"):
            train, train_acc = self._loss(self.X_fit, self.t_fit)
            test, test_acc = self._loss(self.X_test, self.t_test)
            val = self._loss(self.X_val, self.t_val)[0] if self.X_val is not None else None
        h = self.history
        h["train"].append(train)
        h["test"].append(test)
        h["train_acc"].append(train_acc)
        h["test_acc"].append(test_acc)
        if not (math.isfinite(train) and math.isfinite(test)):
            self.diverged = (f"the loss became {'NaN' if math.isnan(train) else 'infinite'} at epoch "
                             f"{self.epoch}: the steps are too large; lower the learning rate "
                             f"(or the regularization rate) and press reset")
            return
        if val is not None:
            h["val"].append(val)
            if self._best is None or val < self._best:
                self._best, self.best_epoch = val, self.epoch
                self._best_weights = self._snapshot()
            elif self.epoch - self.best_epoch >= PATIENCE:
                self._restore(self._best_weights)           # the best epoch's network
                self.stopped = True
                self.history["train"][-1], self.history["train_acc"][-1] = self._loss(self.X_fit, self.t_fit)
                self.history["test"][-1], self.history["test_acc"][-1] = self._loss(self.X_test, self.t_test)

    def _snapshot(self):
        """The network's state: its parameters and batch norm's running statistics."""
        stats = [(layer.running_mean.copy(), layer.running_var.copy()) for layer in self.model.layers
                 if isinstance(layer, nn.BatchNorm)]
        return self.model.get_weights(), stats

    def _restore(self, snapshot):
        weights, stats = snapshot
        self.model.set_weights(weights)
        norms = [layer for layer in self.model.layers if isinstance(layer, nn.BatchNorm)]
        for layer, (mean, var) in zip(norms, stats):
            layer.running_mean[...] = mean
            layer.running_var[...] = var

    # ---- what the views draw -----------------------------------------------------------------------
    @property
    def train_loss(self):
        return self.history["train"][-1]

    @property
    def test_loss(self):
        return self.history["test"][-1]

    def unit_outputs(self, X=None):
        """Every unit's output over the points X (default: the 100 x 100 grid), in one evaluation pass:
        a list with one (N, width) array per column of the network (the features first, the network's
        output last, shown in [-1, 1])."""
        X = self.X_grid if X is None else X
        model = self.model
        model.eval()
        out, h, hidden = [X], X, set(self.hidden_index)
        with np.errstate(all="ignore"):
            for i, layer in enumerate(model.layers):
                h = layer._forward(h)
                if i in hidden:
                    out.append(h)
            out.append(self._output(h))
        model.train()
        return out

    def weights(self):
        """``[(W, b), ...]`` of every Dense layer, from the features to the output."""
        return [(layer.params["W"], layer.params["b"]) for layer in self.model.layers
                if isinstance(layer, nn.Dense)]

    def predict(self, P):
        """The network's output in [-1, 1] (regression: its value) at the points P (N, 2)."""
        return self.unit_outputs(features(np.asarray(P, dtype=float), self.config.features))[-1].ravel()


# --------------------------------------------------------------------------------------------------
# Numbers the lesson quotes

#: Playground's choices against the course's, one change at a time (lesson 09, section 2).
VARIANTS = {
    "Playground (squared error, U(-0.5, 0.5), fixed order)": "",
    "+ cross-entropy (lesson 04)": "loss=cross_entropy",
    "+ Glorot initialization (lesson 03)": "loss=cross_entropy&init=glorot",
    "+ reshuffling every epoch (lesson 05)": "loss=cross_entropy&init=glorot&reshuffle=true",
    "+ Adam (lesson 05)": "loss=cross_entropy&init=glorot&reshuffle=true&optimizer=adam&lr=0.01",
}


def compare_variants(base="dataset=spiral&layers=8,8,4", epochs=300):
    """``{name: Playground}`` for each of :data:`VARIANTS` on top of ``base``, trained ``epochs`` epochs."""
    runs = {}
    for name, extra in VARIANTS.items():
        pg = Playground("&".join(p for p in (base, extra) if p))
        pg.step(epochs)
        runs[name] = pg
    return runs


def squared_test_loss(pg):
    """Playground's test loss, 1/2 mean (o - t)^2 of the output shown, whatever loss trained it."""
    o = pg.predict(pg.P_test)
    return float(0.5 * np.mean((o - pg.t_test) ** 2))


def l2_step_factor(lr, rate):
    r"""With plain SGD, the L2 part of a step multiplies every weight by :math:`1 - \alpha\lambda`."""
    return 1.0 - lr * rate


def saturation_runs(seeds=range(10), base="layers=&features=x1,x2,x1^2,x2^2", epochs=100):
    """For each seed: the share of training points whose output starts saturated on the wrong side
    (|o| > 0.99, sign opposite to the label), and the test accuracy after ``epochs`` epochs with
    squared error and with cross-entropy, from the same data and the same initial weights."""
    rows = []
    for seed in seeds:
        accs = {}
        for loss in ("squared", "cross_entropy"):
            pg = Playground(f"{base}&seed={seed}&loss={loss}")
            if loss == "squared":
                o = pg.predict(pg.P_fit)
                wrong = float(np.mean((np.abs(o) > 0.99) & (np.sign(o) != pg.t_fit)))
            pg.step(epochs)
            accs[loss] = pg.history["test_acc"][-1]
        rows.append((seed, wrong, accs["squared"], accs["cross_entropy"]))
    return rows
