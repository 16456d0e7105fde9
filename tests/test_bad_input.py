"""nnlib under bad input: every public entry point, fed each kind of wrong argument that applies.

Each case in ``CASES`` must raise ValueError or TypeError (exactly, not a NumPy subclass) from a
``raise`` statement in nnlib, with a message that names the argument (and says "None" for None,
"class" for a class passed instead of an instance). A raw NumPy/Python error from deep inside, a
warning, or a silent result fails the case. ``ACCEPTED`` lists what the library documents as
valid although it may look odd (see ``nnlib/_validate.py``), and the last test checks that the
sweep reaches every public entry point.
"""
from __future__ import annotations

import inspect
import re
import traceback
import warnings
from pathlib import Path

import numpy as np
import pytest

import nnlib as nn
from nnlib import datasets as ds
from nnlib import gradcheck as gc
from nnlib import init, optim
from nnlib import regularization as reg

NNLIB = Path(nn.__file__).resolve().parent


# --- inputs ---------------------------------------------------------------------------------

def rng(seed=0):
    return nn.make_rng(seed)


def net(sizes=(3, 4, 2), **kwargs):
    return nn.mlp(list(sizes), rng=rng(), **kwargs)


def data(n=6, d=3):
    return rng(1).standard_normal((n, d))


def spoiled(value, n=6, d=3):
    X = data(n, d)
    X[1, min(2, d - 1)] = value
    return X


LABELS = np.array([0, 1] * 3)
STRINGS = np.full((6, 3), "a")
OBJECTS = np.array([[object()] * 3] * 6, dtype=object)
RAGGED = [[1.0, 2.0, 3.0], [1.0, 2.0]]


def complex_data(n=6, d=3):
    return data(n, d) + 1j


def targets(n=6, k=1, value=None):
    y = rng(2).standard_normal((n, k))
    if value is not None:
        y[1, 0] = value
    return y


def stepped(model, opt, X=None, y=None):
    """One training step of ``model`` with ``opt`` (so that ``opt`` holds state for ``model``)."""
    loss_fn = nn.SoftmaxCrossEntropy()
    model.zero_grad()
    loss_fn(model(data() if X is None else X), LABELS if y is None else y)
    model.backward(loss_fn.backward())
    opt.step(model)
    return model


def reuse(opt, second):
    """Step ``opt`` on one model, then on ``second`` (the first model stays alive)."""
    first = stepped(net(), opt)
    opt.step(second)
    return first


def after_forward(layer, X):
    layer.forward(X)
    return layer


def fit(**kwargs):
    args = dict(model=net(), loss_fn=nn.SoftmaxCrossEntropy(), opt=optim.SGD(0.1), X=data(), y=LABELS,
                epochs=1, batch_size=None)
    args.update(kwargs)
    return nn.fit(**args)


def fit_regression(**kwargs):
    args = dict(model=net((3, 4, 1)), loss_fn=nn.MSELoss(), y=targets())
    args.update(kwargs)
    return fit(**args)


DEFAULT = object()         # "use the usual argument" (so that None can be passed on purpose)


def pick(value, default):
    return default() if value is DEFAULT else value


def bagging(make_model=DEFAULT, make_optimizer=DEFAULT, loss_fn=DEFAULT, n_models=2):
    return nn.BaggingEnsemble(pick(make_model, lambda: lambda r: nn.mlp([3, 4, 2], rng=r)),
                              pick(make_optimizer, lambda: lambda: optim.SGD(0.1)),
                              pick(loss_fn, nn.SoftmaxCrossEntropy), n_models=n_models)


def without(weights, key):
    return {k: v for k, v in weights.items() if k != key}


# --- the sweep ----------------------------------------------------------------------------------

CASES = []


def bad(entry, what, call, *words, exc=(ValueError, TypeError), forbid=()):
    """Register one case: ``call()`` must raise ``exc`` from nnlib with every word of ``words``."""
    CASES.append(pytest.param(entry, call, words, exc, forbid, id=f"{entry}-{what}"))


def bad_array(entry, call, name, *, none=True, strings=True, objects=True, complex_=True, nan=True, inf=True,
              ragged=True, cls=True, shape=(6, 3)):
    """The array families for one argument: ``call(value)`` receives each bad value."""
    n, d = shape
    if none:
        bad(entry, f"{name}=None", lambda: call(None), name, "None")
    if strings:
        bad(entry, f"{name}=strings", lambda: call(np.full(shape, "a")), name)
    if objects:
        bad(entry, f"{name}=objects", lambda: call(np.array([[object()] * d] * n, dtype=object)), name)
    if complex_:
        bad(entry, f"{name}=complex", lambda: call(complex_data(n, d)), name)
    if nan:
        bad(entry, f"{name}=NaN", lambda: call(spoiled(np.nan, n, d)), name, "NaN")
    if inf:
        bad(entry, f"{name}=inf", lambda: call(spoiled(np.inf, n, d)), name)
    if ragged:
        ragged_rows = [[1.0] * d, [1.0] * (d - 1)] if d > 1 else [[1.0], []]
        bad(entry, f"{name}=ragged-list", lambda: call(ragged_rows), name)
    if cls:
        bad(entry, f"{name}=class", lambda: call(np.ndarray), name, "class")


def bad_number(entry, call, name, values):
    """Hyperparameter families: ``values`` maps a label to a bad value."""
    for label, value in values.items():
        words = (name, "None") if value is None else (name, "class") if isinstance(value, type) else (name,)
        bad(entry, f"{name}={label}", lambda value=value: call(value), *words)


POSITIVE = {"negative": -1.0, "zero": 0.0, "NaN": np.nan, "inf": np.inf, "None": None, "str": "0.1",
            "bool": True}
NON_NEGATIVE = {"negative": -0.5, "NaN": np.nan, "inf": np.inf, "None": None, "str": "0"}
UNIT = {"negative": -0.1, "one": 1.0, "NaN": np.nan, "inf": np.inf, "None": None}
COUNT = {"zero": 0, "negative": -1, "float": 2.5, "NaN": np.nan, "None": None, "str": "3"}


def bad_rng(entry, call):
    bad(entry, "rng=None", lambda: call(None), "rng", "None")
    bad(entry, "rng=class", lambda: call(np.random.Generator), "rng", "class")
    bad(entry, "rng=int", lambda: call(0), "rng", "make_rng")


# make_rng
bad_number("make_rng", nn.make_rng, "seed", {"negative": -1, "float": 1.5, "str": "zero", "bool": True,
                                             "class": np.random.Generator})

# Dense
bad_number("Dense", lambda v: nn.Dense(v, 2, rng=rng()), "n_in", COUNT)
bad_number("Dense", lambda v: nn.Dense(3, v, rng=rng()), "n_out", COUNT)
bad_rng("Dense", lambda r: nn.Dense(3, 2, rng=r))
bad("Dense", "dtype=int", lambda: nn.Dense(3, 2, rng=rng(), dtype=np.int64), "dtype")
bad("Dense", "dtype=complex", lambda: nn.Dense(3, 2, rng=rng(), dtype=complex), "dtype")
bad("Dense", "dtype=unknown-name", lambda: nn.Dense(3, 2, rng=rng(), dtype="float65"), "dtype")
bad("Dense", "dtype=None", lambda: nn.Dense(3, 2, rng=rng(), dtype=None), "dtype", "None")
bad("Dense", "init=str", lambda: nn.Dense(3, 2, init="he", rng=rng()), "init")
bad("Dense", "init=module", lambda: nn.Dense(3, 2, init=nn.init, rng=rng()), "init")
bad("Dense", "init=wrong-signature", lambda: nn.Dense(3, 2, init=lambda n_in, n_out: np.zeros((3, 2)),
                                                      rng=rng()), "init")
bad("Dense", "init=wrong-shape", lambda: nn.Dense(3, 2, init=lambda a, b, r, dtype: np.zeros((2, 3)),
                                                  rng=rng()), "init")
bad("Dense", "init=returns-NaN", lambda: nn.Dense(3, 2, init=lambda a, b, r, dtype: np.full((3, 2), np.nan),
                                                  rng=rng()), "init", "NaN")


def dense_forward(X):
    return nn.Dense(3, 2, rng=rng()).forward(X)


bad_array("Dense.forward", dense_forward, "X")
bad("Dense.forward", "X=1-D", lambda: dense_forward(np.zeros(3)), "X", "reshape")
bad("Dense.forward", "X=3-D", lambda: dense_forward(np.zeros((2, 3, 1))), "X")
bad("Dense.forward", "X=wrong-width", lambda: dense_forward(np.zeros((10, 5))), "X", "n_in")
bad("Dense.forward", "X=float32-NaN", lambda: dense_forward(spoiled(np.nan).astype(np.float32)), "X", "NaN")
bad("Dense.__call__", "X=NaN", lambda: nn.Dense(3, 2, rng=rng())(spoiled(np.nan)), "X", "NaN")


def dense_backward(dout):
    return after_forward(nn.Dense(3, 2, rng=rng()), data()).backward(dout)


bad("Dense.backward", "before-forward", lambda: nn.Dense(3, 2, rng=rng()).backward(np.zeros((6, 2))),
    "forward", exc=(RuntimeError,))
bad("Dense.backward", "dout=None", lambda: dense_backward(None), "dout", "None")
bad("Dense.backward", "dout=strings", lambda: dense_backward(np.full((6, 2), "a")), "dout")
bad("Dense.backward", "dout=complex", lambda: dense_backward(np.zeros((6, 2)) + 1j), "dout")
bad("Dense.backward", "dout=wrong-shape", lambda: dense_backward(np.zeros((6, 3))), "dout")
bad("Dense.backward", "dout=class", lambda: dense_backward(np.ndarray), "dout", "class")

# activation layers
ACTIVATION_LAYERS = {"Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh, "ReLU": nn.ReLU, "LeakyReLU": nn.LeakyReLU,
                     "Identity": nn.Identity}
for _name, _cls in ACTIVATION_LAYERS.items():
    bad_array(f"{_name}.forward", lambda X, cls=_cls: cls().forward(X), "X")
    bad(f"{_name}.backward", "before-forward", lambda cls=_cls: cls().backward(np.zeros((6, 3))), "forward",
        exc=(RuntimeError,))
    bad(f"{_name}.backward", "dout=None", lambda cls=_cls: after_forward(cls(), data()).backward(None),
        "dout", "None")
    bad(f"{_name}.backward", "dout=strings",
        lambda cls=_cls: after_forward(cls(), data()).backward(np.full((6, 3), "a")), "dout")
    bad(f"{_name}.backward", "dout=wrong-shape",
        lambda cls=_cls: after_forward(cls(), data()).backward(np.zeros((3, 6))), "dout")
bad_number("LeakyReLU", lambda v: nn.LeakyReLU(alpha=v), "alpha",
           {"negative": -0.1, "NaN": np.nan, "inf": np.inf, "None": None, "str": "0.1"})

# Dropout
bad_number("Dropout", lambda v: nn.Dropout(v, rng=rng()), "p_drop", UNIT | {"str": "0.5"})
bad_rng("Dropout", lambda r: nn.Dropout(0.5, rng=r))
bad_array("Dropout.forward", lambda X: nn.Dropout(0.5, rng=rng()).forward(X), "X")
bad("Dropout.backward", "before-forward", lambda: nn.Dropout(0.5, rng=rng()).backward(np.zeros((6, 3))),
    "forward", exc=(RuntimeError,))
bad("Dropout.backward", "dout=None", lambda: after_forward(nn.Dropout(0.5, rng=rng()), data()).backward(None),
    "dout", "None")
bad("Dropout.backward", "dout=wrong-shape",
    lambda: after_forward(nn.Dropout(0.5, rng=rng()), data()).backward(np.zeros((3, 6))), "dout")
bad("Dropout.backward", "eval-dout=wrong-shape",
    lambda: after_forward(nn.Dropout(0.5, rng=rng()).eval(), data()).backward(np.zeros((3, 6))), "dout")

# BatchNorm
bad_number("BatchNorm", lambda v: nn.BatchNorm(v), "n_features", COUNT)
bad_number("BatchNorm", lambda v: nn.BatchNorm(3, momentum=v), "momentum",
           {"zero": 0.0, "negative": -0.1, "above-one": 1.5, "NaN": np.nan, "None": None, "str": "0.1"})
bad_number("BatchNorm", lambda v: nn.BatchNorm(3, eps=v), "eps", POSITIVE)
bad("BatchNorm", "dtype=int", lambda: nn.BatchNorm(3, dtype=np.int64), "dtype")
bad_array("BatchNorm.forward", lambda X: nn.BatchNorm(3).forward(X), "X")
bad("BatchNorm.forward", "X=wrong-width", lambda: nn.BatchNorm(3).forward(data(6, 5)), "X", "n_features")
bad("BatchNorm.forward", "X=one-example", lambda: nn.BatchNorm(3).forward(data(1, 3)), "batch", "eval")
bad("BatchNorm.backward", "before-forward", lambda: nn.BatchNorm(3).backward(np.zeros((6, 3))), "forward",
    exc=(RuntimeError,))
bad("BatchNorm.backward", "dout=None", lambda: after_forward(nn.BatchNorm(3), data()).backward(None), "dout",
    "None")
bad("BatchNorm.backward", "dout=wrong-shape",
    lambda: after_forward(nn.BatchNorm(3), data()).backward(np.zeros((3, 6))), "dout")

# Residual
bad("Residual", "block=None", lambda: nn.Residual(None), "block", "None")
bad("Residual", "block=class", lambda: nn.Residual(nn.Dense), "block", "class")
bad("Residual", "block=list", lambda: nn.Residual([nn.Dense(3, 3, rng=rng())]), "block")
bad("Residual", "block=widens", lambda: nn.Residual(nn.Dense(3, 4, rng=rng())), "block", "width")
bad_array("Residual.forward", lambda X: nn.Residual(nn.Dense(3, 3, rng=rng())).forward(X), "X")
bad("Residual.forward", "X=wrong-width", lambda: nn.Residual(nn.Dense(3, 3, rng=rng())).forward(data(6, 5)),
    "X")
bad("Residual.backward", "before-forward",
    lambda: nn.Residual(nn.Dense(3, 3, rng=rng())).backward(np.zeros((6, 3))), "forward", exc=(RuntimeError,))
bad("Residual.backward", "dout=None",
    lambda: after_forward(nn.Residual(nn.Dense(3, 3, rng=rng())), data()).backward(None), "dout", "None")
bad("Residual.backward", "dout=wrong-shape",
    lambda: after_forward(nn.Residual(nn.Dense(3, 3, rng=rng())), data()).backward(np.zeros((3, 6))), "dout")

# Sequential
bad("Sequential", "layers=None", lambda: nn.Sequential(None), "layers", "None")
bad("Sequential", "layers=one-layer", lambda: nn.Sequential(nn.Dense(3, 2, rng=rng())), "layers", "list")
bad("Sequential", "layers=empty", lambda: nn.Sequential([]), "layers")
bad("Sequential", "layers=class", lambda: nn.Sequential([nn.Dense(3, 2, rng=rng()), nn.ReLU]), "class")
bad("Sequential", "layers=str", lambda: nn.Sequential([nn.Dense(3, 2, rng=rng()), "relu"]), "layers")
bad("Sequential", "layers=None-item", lambda: nn.Sequential([nn.Dense(3, 2, rng=rng()), None]), "None")
bad("Sequential", "layers=mismatched-widths",
    lambda: nn.Sequential([nn.Dense(3, 4, rng=rng()), nn.Dense(5, 2, rng=rng())]), "n_in")
bad("Sequential", "layers=mismatched-nested",
    lambda: nn.Sequential([nn.Dense(3, 4, rng=rng()), nn.Sequential([nn.Dense(5, 2, rng=rng())])]), "n_in")


def model_forward(X):
    return net().forward(X)


bad_array("Sequential.forward", model_forward, "X")
bad("Sequential.forward", "X=1-D", lambda: model_forward(np.zeros(3)), "X", "reshape")
bad("Sequential.forward", "X=wrong-width", lambda: model_forward(np.zeros((10, 5))), "X", "n_in")
bad("Sequential.forward", "X=NaN-float32-model", lambda: net(dtype=np.float32).forward(spoiled(np.nan)),
    "X", "NaN")
bad("Sequential.forward", "X=NaN-activation-first",
    lambda: nn.Sequential([nn.Tanh(), nn.Dense(3, 2, rng=rng())]).forward(spoiled(np.nan)), "X", "NaN")
bad("Sequential.forward", "X=wrong-width-activation-first",
    lambda: nn.Sequential([nn.Tanh(), nn.Dense(3, 2, rng=rng())]).forward(np.zeros((4, 5))), "X", "n_in")
bad("Sequential.forward", "X=NaN-nested",
    lambda: nn.Sequential([nn.Sequential([nn.Dense(3, 2, rng=rng())]), nn.ReLU()]).forward(spoiled(np.nan)),
    "X", "NaN")
bad("Sequential.__call__", "X=NaN", lambda: net()(spoiled(np.nan)), "X", "NaN")


class Broken(nn.Layer):
    """A layer of one's own whose forward returns nothing: the nnlib layer after it must say so."""

    def forward(self, X):
        return None

    def backward(self, dout, input_grad=True):
        return None


def with_broken():
    return nn.Sequential([nn.Dense(3, 4, rng=rng()), Broken(), nn.Dense(4, 2, rng=rng())])


bad("Sequential.forward", "own-layer-returns-None", lambda: with_broken().forward(data()), "X", "None")
bad("Sequential.backward", "own-layer-returns-None", lambda: model_backward_through(with_broken()), "dout",
    "None")
bad("Sequential.__call__", "X=inf", lambda: net()(spoiled(-np.inf)), "X")
bad("Sequential.__call__", "X=complex", lambda: net()(complex_data()), "X", "complex")
bad("Sequential.__call__", "X=None", lambda: net()(None), "X", "None")


def model_backward_through(model):
    model[0].forward(data())
    model[2].forward(data(6, 4))
    return model.backward(np.zeros((6, 2)))


def model_backward(dout, **kwargs):
    return after_forward(net(), data()).backward(dout, **kwargs)


bad("Sequential.backward", "before-forward", lambda: net().backward(np.zeros((6, 2))), "forward",
    exc=(RuntimeError,))
bad("Sequential.backward", "dout=None", lambda: model_backward(None), "dout", "None")
bad("Sequential.backward", "dout=strings", lambda: model_backward(np.full((6, 2), "a")), "dout")
bad("Sequential.backward", "dout=complex", lambda: model_backward(np.zeros((6, 2)) + 1j), "dout")
bad("Sequential.backward", "dout=wrong-shape", lambda: model_backward(np.zeros((6, 3))), "dout")
bad("Sequential.backward", "dout=wrong-shape-no-input-grad",
    lambda: model_backward(np.zeros((5, 2)), input_grad=False), "dout")
bad("Sequential.backward", "dout=class", lambda: model_backward(np.ndarray), "dout", "class")

bad("Sequential.set_weights", "weights=None", lambda: net().set_weights(None), "weights", "None")
bad("Sequential.set_weights", "weights=list", lambda: net().set_weights(list(net().get_weights().values())),
    "weights")
bad("Sequential.set_weights", "weights=other-shapes", lambda: net().set_weights(net((3, 5, 2)).get_weights()),
    "weights")
bad("Sequential.set_weights", "weights=other-model-deeper",
    lambda: net().set_weights(net((3, 4, 4, 2)).get_weights()), "weights")
bad("Sequential.set_weights", "weights=missing-key",
    lambda: net().set_weights(without(net().get_weights(), "2.b")), "weights", "2.b")
bad("Sequential.set_weights", "weights=broadcastable-row",
    lambda: net().set_weights({**net().get_weights(), "0.W": np.zeros((1, 4))}), "0.W")
bad("Sequential.set_weights", "weights=scalar",
    lambda: net().set_weights({**net().get_weights(), "0.b": 0.0}), "0.b")
bad("Sequential.set_weights", "weights=strings",
    lambda: net().set_weights({**net().get_weights(), "0.b": np.full(4, "a")}), "0.b")
bad("Sequential.set_weights", "weights=None-value",
    lambda: net().set_weights({**net().get_weights(), "0.b": None}), "0.b", "None")

# mlp
bad("mlp", "sizes=None", lambda: nn.mlp(None, rng=rng()), "sizes", "None")
bad("mlp", "sizes=NaN", lambda: nn.mlp([3, np.nan, 2], rng=rng()), "sizes[1]")
bad("mlp", "sizes=zero", lambda: nn.mlp([3, 0, 2], rng=rng()), "sizes[1]")
bad("mlp", "sizes=one", lambda: nn.mlp([3], rng=rng()), "sizes")
bad("mlp", "activation=instance", lambda: nn.mlp([3, 4, 2], activation=nn.ReLU(), rng=rng()), "activation")
bad("mlp", "activation=function", lambda: nn.mlp([3, 4, 2], activation=nn.relu, rng=rng()), "activation")
bad_rng("mlp", lambda r: nn.mlp([3, 4, 2], rng=r))
bad("mlp", "dtype=int", lambda: nn.mlp([3, 4, 2], rng=rng(), dtype=np.int32), "dtype")


# losses
def ce(logits, y=LABELS):
    return nn.SoftmaxCrossEntropy()(logits, y)


bad("SoftmaxCrossEntropy.forward", "logits=None", lambda: ce(None), "logits", "None")
bad("SoftmaxCrossEntropy.forward", "logits=strings", lambda: ce(np.full((6, 2), "a")), "logits")
bad("SoftmaxCrossEntropy.forward", "logits=objects", lambda: ce(np.array([[object()] * 2] * 6)), "logits")
bad("SoftmaxCrossEntropy.forward", "logits=complex", lambda: ce(np.zeros((6, 2)) + 1j), "logits")
bad("SoftmaxCrossEntropy.forward", "logits=class", lambda: ce(np.ndarray), "logits", "class")
bad("SoftmaxCrossEntropy.forward", "logits=1-D", lambda: ce(np.zeros(6)), "logits")
bad("SoftmaxCrossEntropy.forward", "logits=empty", lambda: ce(np.zeros((0, 2)), np.zeros(0, int)), "logits")
bad("SoftmaxCrossEntropy.forward", "logits=no-classes", lambda: ce(np.zeros((6, 0))), "logits")
bad("SoftmaxCrossEntropy.forward", "logits=ragged", lambda: ce([[0.0, 1.0], [0.0]], [0, 1]), "logits")
bad("SoftmaxCrossEntropy.forward", "y=None", lambda: ce(np.zeros((6, 2)), None), "y", "None")
bad("SoftmaxCrossEntropy.forward", "y=strings", lambda: ce(np.zeros((6, 2)), np.full(6, "a")), "y")
bad("SoftmaxCrossEntropy.forward", "y=fractional", lambda: ce(np.zeros((6, 2)), np.full(6, 0.5)), "y")
bad("SoftmaxCrossEntropy.forward", "y=NaN", lambda: ce(np.zeros((6, 2)), np.array([0, 1, np.nan, 0, 1, 0])),
    "y")
bad("SoftmaxCrossEntropy.forward", "y=out-of-range", lambda: ce(np.zeros((6, 2)), np.arange(6)), "labels",
    "y")
bad("SoftmaxCrossEntropy.forward", "y=negative", lambda: ce(np.zeros((6, 2)), -LABELS), "labels", "y")
bad("SoftmaxCrossEntropy.forward", "y=too-few", lambda: ce(np.zeros((6, 2)), LABELS[:4]), "y")
bad("SoftmaxCrossEntropy.forward", "y=one-hot", lambda: ce(np.zeros((6, 2)), np.eye(2)[LABELS]), "y")
bad("SoftmaxCrossEntropy.forward", "y=class", lambda: ce(np.zeros((6, 2)), np.ndarray), "y", "class")
bad("SoftmaxCrossEntropy.backward", "before-forward", lambda: nn.SoftmaxCrossEntropy().backward(), "forward",
    exc=(RuntimeError,))


def mse(y_hat, y=DEFAULT):
    return nn.MSELoss()(y_hat, pick(y, targets))


bad("MSELoss.forward", "y_hat=None", lambda: mse(None), "y_hat", "None")
bad("MSELoss.forward", "y_hat=strings", lambda: mse(np.full((6, 1), "a")), "y_hat")
bad("MSELoss.forward", "y_hat=complex", lambda: mse(np.zeros((6, 1)) + 1j), "y_hat")
bad("MSELoss.forward", "y_hat=class", lambda: mse(np.ndarray), "y_hat", "class")
bad("MSELoss.forward", "y_hat=empty", lambda: mse(np.zeros((0, 1)), np.zeros((0, 1))), "y_hat")
bad("MSELoss.forward", "y=None", lambda: mse(np.zeros((6, 1)), None), "y", "None")
bad("MSELoss.forward", "y=strings", lambda: mse(np.zeros((6, 1)), np.full((6, 1), "a")), "y")
bad("MSELoss.forward", "y=complex", lambda: mse(np.zeros((6, 1)), targets() + 1j), "y")
bad("MSELoss.forward", "y=NaN", lambda: mse(np.zeros((6, 1)), targets(value=np.nan)), "y", "NaN")
bad("MSELoss.forward", "y=inf", lambda: mse(np.zeros((6, 1)), targets(value=np.inf)), "y")
bad("MSELoss.forward", "y=wrong-shape", lambda: mse(np.zeros((6, 2)), targets(6, 3)), "y")
bad("MSELoss.forward", "y=class", lambda: mse(np.zeros((6, 1)), np.ndarray), "y", "class")
bad("MSELoss.backward", "before-forward", lambda: nn.MSELoss().backward(), "forward", exc=(RuntimeError,))

# plain functions
ELEMENTWISE = {"sigmoid": nn.sigmoid, "sigmoid_grad": nn.sigmoid_grad, "tanh": nn.tanh,
               "tanh_grad": nn.tanh_grad, "relu": nn.relu, "relu_grad": nn.relu_grad,
               "leaky_relu": nn.leaky_relu, "leaky_relu_grad": nn.leaky_relu_grad}
for _name, _f in ELEMENTWISE.items():
    bad_array(_name, _f, "x", inf=False, ragged=True)
for _name, _f in [("leaky_relu", nn.leaky_relu), ("leaky_relu_grad", nn.leaky_relu_grad)]:
    bad_number(_name, lambda v, f=_f: f(data(), alpha=v), "alpha",
               {"negative": -0.1, "NaN": np.nan, "inf": np.inf, "None": None, "str": "0.1"})
for _name, _f in [("softmax", nn.softmax), ("log_softmax", nn.log_softmax)]:
    bad_array(_name, _f, "z")
    bad(_name, "z=no-classes", lambda f=_f: f(np.zeros((3, 0))), "z")
    bad(_name, "axis=out-of-range", lambda f=_f: f(data(), axis=2), "axis")
    bad(_name, "axis=str", lambda f=_f: f(data(), axis="1"), "axis")
    bad(_name, "axis=float", lambda f=_f: f(data(), axis=1.0), "axis")

P = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
bad_array("entropy", nn.entropy, "p", shape=(2, 3))
bad("entropy", "p=negative", lambda: nn.entropy(np.array([1.5, -0.5])), "p")
bad("entropy", "p=above-one", lambda: nn.entropy(np.array([2.0, 0.0])), "p")
bad("entropy", "p=empty", lambda: nn.entropy(np.zeros(0)), "p")
bad("entropy", "axis=out-of-range", lambda: nn.entropy(P, axis=3), "axis")
bad_number("entropy", lambda v: nn.entropy(P, base=v), "base",
           {"zero": 0, "one": 1, "negative": -2.0, "NaN": np.nan, "inf": np.inf, "str": "2"})
bad_array("cross_entropy", lambda p: nn.cross_entropy(p, P), "p", shape=(2, 3))
bad_array("cross_entropy", lambda q: nn.cross_entropy(P, q), "q", shape=(2, 3))
bad("cross_entropy", "q=negative", lambda: nn.cross_entropy(P, -P), "q")
bad("cross_entropy", "p=above-one", lambda: nn.cross_entropy(2 * P, P), "p")
bad("cross_entropy", "q=other-shape", lambda: nn.cross_entropy(P, P[:, :2]), "q")
bad("cross_entropy", "p=empty", lambda: nn.cross_entropy(np.zeros(0), np.zeros(0)), "p")
bad("cross_entropy", "base=one", lambda: nn.cross_entropy(P, P, base=1), "base")

bad("one_hot", "y=None", lambda: nn.one_hot(None, 3), "y", "None")
bad("one_hot", "y=strings", lambda: nn.one_hot(np.array(["a", "b"]), 3), "y")
bad("one_hot", "y=fractional", lambda: nn.one_hot([0.5, 1.0], 3), "y")
bad("one_hot", "y=NaN", lambda: nn.one_hot([0.0, np.nan], 3), "y")
bad("one_hot", "y=complex", lambda: nn.one_hot(np.array([0, 1]) + 1j, 3), "y")
bad("one_hot", "y=out-of-range", lambda: nn.one_hot([0, 3], 3), "labels", "y", "n_classes")
bad("one_hot", "y=class", lambda: nn.one_hot(np.ndarray, 3), "y", "class")
bad_number("one_hot", lambda v: nn.one_hot([0, 1], v), "n_classes", COUNT)
bad("one_hot", "dtype=unknown-name", lambda: nn.one_hot([0, 1], 2, dtype="float65"), "dtype")

# fit
bad("fit", "model=None", lambda: fit(model=None), "model", "None")
bad("fit", "model=class", lambda: fit(model=nn.Sequential), "model", "class")
bad("fit", "model=layer", lambda: fit(model=nn.Dense(3, 2, rng=rng())), "model", "Sequential")
bad("fit", "model=list", lambda: fit(model=[nn.Dense(3, 2, rng=rng())]), "model")
bad("fit", "model=loss", lambda: fit(model=nn.SoftmaxCrossEntropy()), "model")
bad("fit", "loss_fn=None", lambda: fit(loss_fn=None), "loss_fn", "None")
bad("fit", "loss_fn=class", lambda: fit(loss_fn=nn.SoftmaxCrossEntropy), "loss_fn", "class")
bad("fit", "loss_fn=optimizer", lambda: fit(loss_fn=optim.SGD(0.1)), "loss_fn")
bad("fit", "loss_fn=function", lambda: fit(loss_fn=nn.cross_entropy), "loss_fn")
bad("fit", "opt=None", lambda: fit(opt=None), "opt", "None")
bad("fit", "opt=class", lambda: fit(opt=optim.SGD), "opt", "class")
bad("fit", "opt=loss", lambda: fit(opt=nn.MSELoss()), "opt")
bad("fit", "opt=used-on-another-model", lambda: fit(opt=_used()),
    "opt", "reset()")


def _used(opt=None):
    opt = opt or optim.SGD(0.1, momentum=0.9)
    _used.keep = stepped(net(), opt)           # the first model stays alive
    return opt


bad("fit", "opt=used-by-fit-before", lambda: fit(opt=_fitted_opt()), "opt", "reset()")


def _fitted_opt():
    opt = optim.Adam(0.01)
    _fitted_opt.keep = net()
    fit(model=_fitted_opt.keep, opt=opt)
    return opt


bad_array("fit", lambda X: fit(X=X), "X")
bad("fit", "X=empty", lambda: fit(X=np.zeros((0, 3)), y=np.zeros(0, int)), "X", forbid=("diverged",))
bad("fit", "X=1-D", lambda: fit(X=np.zeros(6)), "X")
bad("fit", "X=wrong-width", lambda: fit(X=data(6, 2)), "X")
bad("fit", "y=None", lambda: fit(y=None), "y", "None")
bad("fit", "y=too-few", lambda: fit(y=LABELS[:4]), "y")
bad("fit", "y=too-many", lambda: fit(y=np.r_[LABELS, 0]), "y")
bad("fit", "y=strings", lambda: fit(y=np.full(6, "a")), "y")
bad("fit", "y=out-of-range", lambda: fit(y=np.arange(6)), "labels", "y")
bad("fit", "y=class", lambda: fit(y=np.ndarray), "y", "class")
bad("fit", "regression-y=NaN", lambda: fit_regression(y=targets(value=np.nan)), "y", "NaN",
    forbid=("diverged",))
bad("fit", "regression-y=inf", lambda: fit_regression(y=targets(value=np.inf)), "y", forbid=("diverged",))
bad("fit", "regression-y=None", lambda: fit_regression(y=None), "y", "None")
bad("fit", "regression-y=strings", lambda: fit_regression(y=np.full((6, 1), "a")), "y")
bad("fit", "regression-y=complex", lambda: fit_regression(y=targets() + 1j), "y")
bad("fit", "regression-y=too-few", lambda: fit_regression(y=targets(4)), "y")
bad("fit", "regression-y=wrong-columns", lambda: fit_regression(y=targets(6, 3)), "y")
bad("fit", "regression-y=3-D", lambda: fit_regression(y=np.zeros((6, 1, 1))), "y")
bad("fit", "regression-empty", lambda: fit_regression(X=np.zeros((0, 3)), y=np.zeros((0, 1))), "X",
    forbid=("diverged",))
bad("fit", "X_val=wrong-width", lambda: fit(X_val=data(4, 5), y_val=LABELS[:4]), "X_val")
bad("fit", "X_val=NaN", lambda: fit(X_val=spoiled(np.nan), y_val=LABELS), "X_val", "NaN")
bad("fit", "X_val=empty", lambda: fit(X_val=np.zeros((0, 3)), y_val=np.zeros(0, int)), "X_val")
bad("fit", "X_val=complex", lambda: fit(X_val=complex_data(), y_val=LABELS), "X_val")
bad("fit", "X_val-without-y_val", lambda: fit(X_val=data()), "y_val", "None")
bad("fit", "y_val-without-X_val", lambda: fit(y_val=LABELS), "X_val")
bad("fit", "y_val=too-few", lambda: fit(X_val=data(), y_val=LABELS[:4]), "y_val")
bad("fit", "y_val=out-of-range", lambda: fit(X_val=data(), y_val=np.arange(6)), "labels", "y_val")
bad("fit", "regression-y_val=NaN", lambda: fit_regression(X_val=data(), y_val=targets(value=np.nan)), "y_val")
bad_number("fit", lambda v: fit(epochs=v), "epochs", COUNT)
bad_number("fit", lambda v: fit(batch_size=v, rng=rng()), "batch_size",
           {k: v for k, v in COUNT.items() if v is not None})      # None means full batch
bad_rng("fit", lambda r: fit(batch_size=2, rng=r))
bad_number("fit", lambda v: fit(l2=v), "l2", NON_NEGATIVE)
bad_number("fit", lambda v: fit(l1=v), "l1", NON_NEGATIVE)
bad("fit", "early_stopping-without-validation", lambda: fit(early_stopping=nn.EarlyStopping()),
    "early_stopping")
bad("fit", "early_stopping=class", lambda: fit(X_val=data(), y_val=LABELS, early_stopping=nn.EarlyStopping),
    "early_stopping", "class")
bad("fit", "early_stopping=int", lambda: fit(X_val=data(), y_val=LABELS, early_stopping=5), "early_stopping")
bad("fit", "on_divergence=unknown", lambda: fit(on_divergence="ignore"), "on_divergence")
bad("fit", "progress=negative", lambda: fit(progress=-1), "progress")
bad("fit", "progress=str", lambda: fit(progress="yes"), "progress")
bad("fit", "callback=int", lambda: fit(callback=5), "callback")
bad("fit", "callback=class", lambda: fit(callback=nn.History), "callback", "class")


# predict, evaluate, accuracy
def predict(model=DEFAULT, X=DEFAULT, **kwargs):
    return nn.predict(pick(model, net), pick(X, data), **kwargs)


bad("predict", "model=None", lambda: nn.predict(None, data()), "model", "None")
bad("predict", "model=class", lambda: nn.predict(nn.Sequential, data()), "model", "class")
bad("predict", "model=loss", lambda: nn.predict(nn.MSELoss(), data()), "model")
bad_array("predict", lambda X: nn.predict(net(), X), "X")
bad("predict", "X=wrong-width", lambda: predict(X=data(6, 5)), "X", "n_in")
bad("predict", "X=1-D", lambda: predict(X=np.zeros(3)), "X")
bad_number("predict", lambda v: predict(batch_size=v), "batch_size", COUNT)


def dropout_net():
    r = rng()
    return nn.Sequential([nn.Dense(3, 4, rng=r), nn.ReLU(), nn.Dropout(0.5, rng=r), nn.Dense(4, 2, rng=r)])


def frozen_net():
    model = dropout_net()
    model.forward(data())
    model.layers[2].freeze_mask()
    return model


def mc(model=DEFAULT, X=DEFAULT, n_samples=3, **kwargs):
    return nn.mc_dropout_predict(pick(model, dropout_net), pick(X, data), n_samples, **kwargs)


bad("mc_dropout_predict", "model=None", lambda: nn.mc_dropout_predict(None, data(), 3), "model", "None")
bad("mc_dropout_predict", "model=class", lambda: nn.mc_dropout_predict(nn.Sequential, data(), 3), "model",
    "class")
bad("mc_dropout_predict", "model=no-dropout", lambda: mc(model=net()), "Dropout", "nn.predict")
bad("mc_dropout_predict", "model=frozen", lambda: mc(model=frozen_net()), "frozen", "freeze_mask(False)")
bad_array("mc_dropout_predict", lambda X: mc(X=X), "X")
bad("mc_dropout_predict", "X=wrong-width", lambda: mc(X=data(6, 5)), "X", "n_in")
bad_number("mc_dropout_predict", lambda v: mc(n_samples=v), "n_samples", COUNT)
bad_number("mc_dropout_predict", lambda v: mc(batch_size=v), "batch_size", COUNT)


def evaluate(model=DEFAULT, loss_fn=DEFAULT, X=DEFAULT, y=DEFAULT):
    return nn.evaluate(pick(model, net), pick(loss_fn, nn.SoftmaxCrossEntropy), pick(X, data),
                       pick(y, lambda: LABELS))


bad("evaluate", "model=None", lambda: nn.evaluate(None, nn.SoftmaxCrossEntropy(), data(), LABELS), "model",
    "None")
bad("evaluate", "model=class", lambda: evaluate(model=nn.Sequential), "model", "class")
bad("evaluate", "loss_fn=None", lambda: nn.evaluate(net(), None, data(), LABELS), "loss_fn", "None")
bad("evaluate", "loss_fn=class", lambda: evaluate(loss_fn=nn.SoftmaxCrossEntropy), "loss_fn", "class")
bad("evaluate", "loss_fn=optimizer", lambda: evaluate(loss_fn=optim.SGD(0.1)), "loss_fn")
bad_array("evaluate", lambda X: evaluate(X=X), "X")
bad("evaluate", "X=empty", lambda: evaluate(X=np.zeros((0, 3)), y=np.zeros(0, int)), "X")
bad("evaluate", "X=wrong-width", lambda: evaluate(X=data(6, 5)), "X")
bad("evaluate", "y=None", lambda: nn.evaluate(net(), nn.SoftmaxCrossEntropy(), data(), None), "y", "None")
bad("evaluate", "y=too-few", lambda: evaluate(y=LABELS[:4]), "y")
bad("evaluate", "y=out-of-range", lambda: evaluate(y=np.arange(6)), "labels", "y")
bad("evaluate", "regression-y=NaN", lambda: evaluate(model=net((3, 4, 1)), loss_fn=nn.MSELoss(),
                                                     y=targets(value=np.nan)), "y", "NaN")

LOGITS = rng(3).standard_normal((6, 2))
bad("accuracy", "predictions=None", lambda: nn.accuracy(None, LABELS), "logits_or_labels", "None")
bad("accuracy", "predictions=strings", lambda: nn.accuracy(np.full((6, 2), "a"), LABELS), "logits_or_labels")
bad("accuracy", "predictions=complex", lambda: nn.accuracy(LOGITS + 1j, LABELS), "logits_or_labels")
bad("accuracy", "predictions=class", lambda: nn.accuracy(np.ndarray, LABELS), "logits_or_labels", "class")
bad("accuracy", "predictions=3-D", lambda: nn.accuracy(np.zeros((6, 2, 1)), LABELS), "logits_or_labels")
bad("accuracy", "y=None", lambda: nn.accuracy(LOGITS, None), "y", "None")
bad("accuracy", "y=strings", lambda: nn.accuracy(LOGITS, np.full(6, "a")), "y")
bad("accuracy", "y=fractional", lambda: nn.accuracy(LOGITS, np.full(6, 0.5)), "y")
bad("accuracy", "y=too-few", lambda: nn.accuracy(LOGITS, LABELS[:4]), "y")
bad("accuracy", "empty", lambda: nn.accuracy(np.zeros((0, 2)), np.zeros(0, int)), "y")

# iterate_minibatches
bad("iterate_minibatches", "X=None", lambda: nn.iterate_minibatches(None, LABELS, 2, rng=rng()), "X", "None")
bad("iterate_minibatches", "y=None", lambda: nn.iterate_minibatches(data(), None, 2, rng=rng()), "y", "None")
bad("iterate_minibatches", "X=scalar", lambda: nn.iterate_minibatches(3.0, LABELS, 2, rng=rng()), "X")
bad("iterate_minibatches", "y=too-few", lambda: nn.iterate_minibatches(data(), LABELS[:4], 2, rng=rng()), "y")
bad_number("iterate_minibatches", lambda v: nn.iterate_minibatches(data(), LABELS, v, rng=rng()),
           "batch_size", COUNT)
bad_rng("iterate_minibatches", lambda r: nn.iterate_minibatches(data(), LABELS, 2, rng=r))

# EarlyStopping
bad_number("EarlyStopping", lambda v: nn.EarlyStopping(patience=v), "patience", COUNT)
bad_number("EarlyStopping", lambda v: nn.EarlyStopping(min_delta=v), "min_delta", NON_NEGATIVE)
bad("EarlyStopping", "restore_best=str", lambda: nn.EarlyStopping(restore_best="no"), "restore_best")

# BaggingEnsemble
bad("BaggingEnsemble", "make_model=None", lambda: bagging(make_model=None), "make_model", "None")
bad("BaggingEnsemble", "make_model=instance", lambda: bagging(make_model=net()), "make_model")
bad("BaggingEnsemble", "make_optimizer=instance", lambda: bagging(make_optimizer=optim.SGD(0.1)),
    "make_optimizer")
bad("BaggingEnsemble", "make_optimizer=None", lambda: bagging(make_optimizer=None), "make_optimizer", "None")
bad("BaggingEnsemble", "loss_fn=class", lambda: bagging(loss_fn=nn.MSELoss), "loss_fn", "class")
bad("BaggingEnsemble", "loss_fn=None", lambda: bagging(loss_fn=None), "loss_fn", "None")
bad_number("BaggingEnsemble", lambda v: bagging(n_models=v), "n_models", COUNT)


SHARED_OPT = optim.Adam(0.01)


def bag_fit(X=DEFAULT, y=DEFAULT, r=DEFAULT, ens=DEFAULT, **kwargs):
    return pick(ens, bagging).fit(pick(X, data), pick(y, lambda: LABELS), pick(r, rng), epochs=1, **kwargs)


bad("BaggingEnsemble.fit", "y=too-few", lambda: bag_fit(y=LABELS[:4]), "y")
bad("BaggingEnsemble.fit", "y=too-many", lambda: bag_fit(y=np.r_[LABELS, 1, 0]), "y")
bad("BaggingEnsemble.fit", "X=None", lambda: bag_fit(X=None), "X", "None")
bad("BaggingEnsemble.fit", "y=None", lambda: bag_fit(y=None), "y", "None")
bad("BaggingEnsemble.fit", "X=NaN", lambda: bag_fit(X=spoiled(np.nan)), "X", "NaN")
bad("BaggingEnsemble.fit", "X=empty", lambda: bag_fit(X=np.zeros((0, 3)), y=np.zeros(0, int)), "X")
bad("BaggingEnsemble.fit", "X=strings", lambda: bag_fit(X=STRINGS), "X")
bad_rng("BaggingEnsemble.fit", lambda r: bag_fit(r=r))
bad("BaggingEnsemble.fit", "make_model-returns-None", lambda: bag_fit(ens=bagging(make_model=lambda r: None)),
    "make_model", "None")
bad("BaggingEnsemble.fit", "make_optimizer-returns-class",
    lambda: bag_fit(ens=bagging(make_optimizer=lambda: optim.SGD)), "make_optimizer", "class")
bad("BaggingEnsemble.fit", "make_optimizer-returns-the-same-optimizer",
    lambda: bag_fit(ens=bagging(make_optimizer=lambda opt=SHARED_OPT: opt)), "make_optimizer")
bad("BaggingEnsemble.fit", "fit_kwargs=opt", lambda: bag_fit(opt=optim.SGD(0.1)), "opt")
bad("BaggingEnsemble.predict", "before-fit", lambda: bagging().predict(data()), "fit", exc=(RuntimeError,))
bad("BaggingEnsemble.predict", "X=wrong-width", lambda: bag_fit().predict(data(6, 5)), "X")
bad("BaggingEnsemble.predict", "X=None", lambda: bag_fit().predict(None), "X", "None")
bad("BaggingEnsemble.predict", "X=NaN", lambda: bag_fit().predict(spoiled(np.nan)), "X", "NaN")

# init
SCHEMES = {"uniform": init.uniform, "normal": init.normal, "glorot_uniform": init.glorot_uniform,
           "glorot_normal": init.glorot_normal, "he_uniform": init.he_uniform, "he_normal": init.he_normal,
           "zeros": init.zeros, "constant": init.constant}
for _name, _f in SCHEMES.items():
    bad_number(f"init.{_name}", lambda v, f=_f: f(v, 2, rng()), "n_in", COUNT)
    bad_number(f"init.{_name}", lambda v, f=_f: f(3, v, rng()), "n_out", {"zero": 0, "None": None})
    bad(f"init.{_name}", "dtype=int", lambda f=_f: f(3, 2, rng(), dtype=np.int64), "dtype")
    bad(f"init.{_name}", "dtype=unknown-name", lambda f=_f: f(3, 2, rng(), dtype="float65"), "dtype")
    if _name not in ("zeros", "constant"):
        bad_rng(f"init.{_name}", lambda r, f=_f: f(3, 2, r))
bad("init.uniform", "low=high", lambda: init.uniform(3, 2, rng(), low=1.0, high=1.0), "low")
bad_number("init.uniform", lambda v: init.uniform(3, 2, rng(), low=v), "low",
           {"NaN": np.nan, "-inf": -np.inf, "None": None, "str": "-1"})
bad_number("init.uniform", lambda v: init.uniform(3, 2, rng(), high=v), "high",
           {"NaN": np.nan, "inf": np.inf, "None": None})
bad_number("init.normal", lambda v: init.normal(3, 2, rng(), std=v), "std", NON_NEGATIVE)
bad_number("init.constant", lambda v: init.constant(3, 2, value=v), "value",
           {"NaN": np.nan, "inf": np.inf, "None": None, "str": "0.5"})

# optim
OPTIMIZERS = {"SGD": optim.SGD, "AdaGrad": optim.AdaGrad, "RMSProp": optim.RMSProp, "Adam": optim.Adam}
for _name, _cls in OPTIMIZERS.items():
    bad_number(f"optim.{_name}", lambda v, cls=_cls: cls(lr=v), "lr", POSITIVE)
    if _name != "SGD":
        bad_number(f"optim.{_name}", lambda v, cls=_cls: cls(eps=v), "eps", POSITIVE)
    step = f"optim.{_name}.step"
    bad(step, "model=None", lambda cls=_cls: cls(0.1).step(None), "model", "None")
    bad(step, "model=class", lambda cls=_cls: cls(0.1).step(nn.Sequential), "model", "class")
    bad(step, "model=layer", lambda cls=_cls: cls(0.1).step(nn.Dense(3, 2, rng=rng())), "model", "Sequential")
    bad(step, "model=list", lambda cls=_cls: cls(0.1).step([net()]), "model")
    bad(step, "model=another-of-the-same-shapes", lambda cls=_cls: reuse(cls(0.1), net()), "model", "reset()")
    bad(step, "model=another-of-other-shapes", lambda cls=_cls: reuse(cls(0.1), net((3, 5, 2))), "model",
        "reset()")
bad(
    "optim.SGD.step", "momentum-model=another", lambda: reuse(optim.SGD(0.1, momentum=0.9), net()), "reset()")
bad_number("optim.SGD", lambda v: optim.SGD(0.1, momentum=v), "momentum", UNIT)
bad("optim.SGD", "nesterov-without-momentum", lambda: optim.SGD(0.1, nesterov=True), "momentum")
bad("optim.SGD", "nesterov=str", lambda: optim.SGD(0.1, momentum=0.9, nesterov="yes"), "nesterov")
bad_number("optim.RMSProp", lambda v: optim.RMSProp(rho=v), "rho", UNIT)
bad_number("optim.Adam", lambda v: optim.Adam(beta1=v), "beta1", UNIT)
bad_number("optim.Adam", lambda v: optim.Adam(beta2=v), "beta2", UNIT)
bad("optim.LinearDecay", "opt=None", lambda: optim.LinearDecay(None, 0.001, 10), "opt", "optimizer")
bad("optim.LinearDecay", "opt=class", lambda: optim.LinearDecay(optim.SGD, 0.001, 10), "opt", "optimizer")
bad_number("optim.LinearDecay", lambda v: optim.LinearDecay(optim.SGD(0.1), v, 10), "lr_final", NON_NEGATIVE)
bad_number("optim.LinearDecay", lambda v: optim.LinearDecay(optim.SGD(0.1), 0.001, v), "tau", COUNT)
bad_number("optim.LinearDecay.lr", lambda v: optim.LinearDecay(optim.SGD(0.1), 0.001, 10).lr(v), "k",
           {"negative": -1, "float": 2.5, "None": None, "str": "3"})

# regularization
for _name, _f, _kw in [("l2_penalty", reg.l2_penalty, "l2"), ("l1_penalty", reg.l1_penalty, "l1")]:
    bad(f"regularization.{_name}", "model=None", lambda f=_f: f(None, 0.1), "model", "None")
    bad(f"regularization.{_name}", "model=class", lambda f=_f: f(nn.Sequential, 0.1), "model", "class")
    bad(f"regularization.{_name}", "model=layer", lambda f=_f: f(nn.Dense(3, 2, rng=rng()), 0.1), "model")
    bad_number(f"regularization.{_name}", lambda v, f=_f: f(net(), v), _kw, NON_NEGATIVE)
bad("regularization.add_penalty_grads", "model=None", lambda: reg.add_penalty_grads(None, l2=0.1), "model",
    "None")
bad("regularization.add_penalty_grads", "model=class", lambda: reg.add_penalty_grads(nn.Sequential, l2=0.1),
    "model", "class")
bad_number("regularization.add_penalty_grads", lambda v: reg.add_penalty_grads(net(), l2=v), "l2",
           NON_NEGATIVE)
bad_number("regularization.add_penalty_grads", lambda v: reg.add_penalty_grads(net(), l1=v), "l1",
           NON_NEGATIVE)

# datasets
GENERATORS = {"make_moons": ds.make_moons, "make_circles": ds.make_circles, "make_spirals": ds.make_spirals,
              "make_xor": ds.make_xor, "make_blobs": ds.make_blobs,
              "make_regression_1d": ds.make_regression_1d}
for _name, _f in GENERATORS.items():
    bad_number(f"datasets.{_name}", lambda v, f=_f: f(v, rng=rng()), "n_samples", COUNT)
    noise = "std" if _name == "make_blobs" else "noise"
    bad_number(f"datasets.{_name}", lambda v, f=_f, noise=noise: f(10, **{noise: v}, rng=rng()), noise,
               NON_NEGATIVE)
    bad_rng(f"datasets.{_name}", lambda r, f=_f: f(10, rng=r))
bad_number("datasets.make_circles", lambda v: ds.make_circles(10, factor=v, rng=rng()), "factor",
           UNIT | {"zero": 0.0})
bad_number("datasets.make_spirals", lambda v: ds.make_spirals(10, n_classes=v, rng=rng()), "n_classes", COUNT)
bad_number("datasets.make_blobs", lambda v: ds.make_blobs(10, n_classes=v, rng=rng()), "n_classes", COUNT)


def blobs(centers, n_classes=2):
    return ds.make_blobs(10, n_classes=n_classes, centers=centers, rng=rng())


bad("datasets.make_blobs", "centers=NaN", lambda: blobs([[0, 0], [np.nan, 1]]), "centers", "NaN")
bad("datasets.make_blobs", "centers=complex", lambda: blobs(np.eye(2) + 1j), "centers")
bad("datasets.make_blobs", "centers=strings", lambda: blobs(np.full((2, 2), "a")), "centers")
bad("datasets.make_blobs", "centers=wrong-count", lambda: ds.make_blobs(10, centers=np.eye(2), rng=rng()),
    "centers")
bad("datasets.make_regression_1d", "target=None", lambda: ds.make_regression_1d(10, target=None, rng=rng()),
    "target", "None")
bad("datasets.make_regression_1d", "target=unknown",
    lambda: ds.make_regression_1d(10, target="cos", rng=rng()), "target")
bad("datasets.make_regression_1d", "target-returns-NaN",
    lambda: ds.make_regression_1d(10, target=lambda x: np.full(len(x), np.nan), rng=rng()), "target", "NaN")
bad("datasets.make_regression_1d", "target-returns-strings",
    lambda: ds.make_regression_1d(10, target=lambda x: np.full(len(x), "a"), rng=rng()), "target")
bad("datasets.make_regression_1d", "target-returns-wrong-size",
    lambda: ds.make_regression_1d(10, target=lambda x: x[:3], rng=rng()), "target")
for _label, _range in {"reversed": (3, -3), "NaN": (np.nan, 1), "inf": (0, np.inf), "None": None,
                       "one-number": (1,)}.items():
    bad("datasets.make_regression_1d", f"x_range={_label}",
        lambda r=_range: ds.make_regression_1d(10, x_range=r, rng=rng()), "x_range")


def split(X=DEFAULT, y=DEFAULT, **kwargs):
    kwargs.setdefault("rng", rng())
    return ds.train_val_test_split(pick(X, lambda: np.zeros((10, 2))), pick(y, lambda: np.zeros(10, int)),
                                   **kwargs)


bad("datasets.train_val_test_split", "X=None", lambda: ds.train_val_test_split(None, np.zeros(10), rng=rng()),
    "X", "None")
bad("datasets.train_val_test_split", "y=None",
    lambda: ds.train_val_test_split(np.zeros((10, 2)), None, rng=rng()), "y", "None")
bad("datasets.train_val_test_split", "X=scalar", lambda: split(X=np.float64(3.0)), "X")
bad("datasets.train_val_test_split", "y=too-few", lambda: split(y=np.zeros(9)), "y")
bad("datasets.train_val_test_split", "X=empty", lambda: split(X=np.zeros((0, 2)), y=np.zeros(0)), "samples")
bad_number("datasets.train_val_test_split", lambda v: split(val_frac=v), "val_frac", UNIT)
bad_number("datasets.train_val_test_split", lambda v: split(test_frac=v), "test_frac", UNIT)
bad("datasets.train_val_test_split", "fractions-sum-to-one", lambda: split(val_frac=0.5, test_frac=0.5),
    "val_frac")
bad_rng("datasets.train_val_test_split", lambda r: split(rng=r))
bad("datasets.train_val_test_split", "stratify-float-labels",
    lambda: split(y=np.linspace(0, 1, 10), stratify=True), "y")
bad("datasets.load_digits", "dtype=int", lambda: ds.load_digits(dtype=np.int64), "dtype")
bad("datasets.load_digits", "dtype=unknown-name", lambda: ds.load_digits(dtype="float65"), "dtype")
bad("datasets.load_digits", "dtype=complex", lambda: ds.load_digits(dtype=complex, normalize=False), "dtype")
bad("datasets.load_digits", "dtype=None", lambda: ds.load_digits(dtype=None), "dtype", "None")
bad_array("datasets.standardize", ds.standardize, "X_train")
bad("datasets.standardize", "X_train=empty", lambda: ds.standardize(np.zeros((0, 3))), "X_train")
bad("datasets.standardize", "X_train=1-D", lambda: ds.standardize(np.zeros(4)), "X_train")
bad("datasets.standardize", "others=wrong-width", lambda: ds.standardize(data(), data(4, 2)), "others[0]")
bad("datasets.standardize", "others=None", lambda: ds.standardize(data(), None), "others[0]", "None")
bad("datasets.standardize", "others=NaN", lambda: ds.standardize(data(), spoiled(np.nan)), "others[0]", "NaN")
bad("datasets.standardize", "others=complex", lambda: ds.standardize(data(), complex_data()), "others[0]")

# gradcheck
bad("gradcheck.numerical_gradient", "f=None", lambda: gc.numerical_gradient(None, np.zeros(2)), "f", "None")
bad("gradcheck.numerical_gradient", "f=not-callable", lambda: gc.numerical_gradient(1.0, np.zeros(2)), "f")
bad("gradcheck.numerical_gradient", "f-returns-None",
    lambda: gc.numerical_gradient(lambda: None, np.zeros(2)), "f", "None")
bad("gradcheck.numerical_gradient", "f-returns-array",
    lambda: gc.numerical_gradient(lambda: np.zeros(3), np.zeros(2)), "f")
bad("gradcheck.numerical_gradient", "f-returns-str", lambda: gc.numerical_gradient(lambda: "0", np.zeros(2)),
    "f")
bad("gradcheck.numerical_gradient", "f-takes-an-argument",
    lambda: gc.numerical_gradient(lambda x: float(x.sum()), np.zeros(2)), "f")
bad("gradcheck.numerical_gradient", "x=None", lambda: gc.numerical_gradient(lambda: 0.0, None), "x", "None")
bad("gradcheck.numerical_gradient", "x=int", lambda: gc.numerical_gradient(lambda: 0.0, np.arange(3)), "x")
bad("gradcheck.numerical_gradient", "x=list", lambda: gc.numerical_gradient(lambda: 0.0, [1.0, 2.0]), "x")
bad("gradcheck.numerical_gradient", "x=complex", lambda: gc.numerical_gradient(lambda: 0.0, np.zeros(2) + 1j),
    "x")
bad("gradcheck.numerical_gradient", "x=NaN",
    lambda: gc.numerical_gradient(lambda: 0.0, np.array([0.0, np.nan])), "x", "NaN")
bad("gradcheck.numerical_gradient", "x=class", lambda: gc.numerical_gradient(lambda: 0.0, np.ndarray), "x",
    "class")
bad_number("gradcheck.numerical_gradient", lambda v: gc.numerical_gradient(lambda: 0.0, np.zeros(2), h=v),
           "h", POSITIVE)


def fd(**kwargs):
    args = dict(f=np.sin, df=np.cos, x0=1.0, hs=[1e-1, 1e-3])
    args.update(kwargs)
    return gc.finite_difference_errors(**args)


bad("gradcheck.finite_difference_errors", "f=None", lambda: fd(f=None), "f", "None")
bad("gradcheck.finite_difference_errors", "df=None", lambda: fd(df=None), "df", "None")
bad("gradcheck.finite_difference_errors", "df=array", lambda: fd(df=np.zeros(2)), "df")
bad_number("gradcheck.finite_difference_errors", lambda v: fd(x0=v), "x0",
           {"NaN": np.nan, "inf": np.inf, "None": None, "str": "1", "complex": 1j})
bad("gradcheck.finite_difference_errors", "hs=negative", lambda: fd(hs=[1e-3, -1e-3]), "hs")
bad("gradcheck.finite_difference_errors", "hs=zero", lambda: fd(hs=[0.0]), "hs")
bad("gradcheck.finite_difference_errors", "hs=NaN", lambda: fd(hs=[np.nan]), "hs", "NaN")
bad("gradcheck.finite_difference_errors", "hs=empty", lambda: fd(hs=[]), "hs")
bad("gradcheck.finite_difference_errors", "hs=None", lambda: fd(hs=None), "hs", "None")
bad("gradcheck.finite_difference_errors", "hs=strings", lambda: fd(hs=["a"]), "hs")
bad("gradcheck.finite_difference_errors", "dtype=int", lambda: fd(dtype=np.int64), "dtype")
bad("gradcheck.finite_difference_errors", "dtype=None", lambda: fd(dtype=None), "dtype", "None")
bad_number("gradcheck.finite_difference_errors", lambda v: fd(floor=v), "floor", POSITIVE)

bad("gradcheck.rel_error", "a=None", lambda: gc.rel_error(None, np.zeros(2)), "a", "None")
bad("gradcheck.rel_error", "b=None", lambda: gc.rel_error(np.zeros(2), None), "b", "None")
bad("gradcheck.rel_error", "a=strings", lambda: gc.rel_error(np.full(2, "a"), np.zeros(2)), "a")
bad("gradcheck.rel_error", "b=complex", lambda: gc.rel_error(np.zeros(2), np.zeros(2) + 1j), "b")
bad("gradcheck.rel_error", "a=class", lambda: gc.rel_error(np.ndarray, np.zeros(2)), "a", "class")
bad("gradcheck.rel_error", "shapes-differ", lambda: gc.rel_error(np.zeros(2), np.zeros(3)), "shape")
bad("gradcheck.rel_error", "b=ragged", lambda: gc.rel_error(np.zeros(2), RAGGED), "b")


def check_layer(layer=DEFAULT, X=DEFAULT, r=DEFAULT, **kwargs):
    return gc.check_layer(pick(layer, nn.Tanh), pick(X, data), pick(r, rng), **kwargs)


bad("gradcheck.check_layer", "layer=None", lambda: check_layer(layer=None), "layer", "None")
bad("gradcheck.check_layer", "layer=class", lambda: check_layer(layer=nn.Tanh), "layer", "class")
bad("gradcheck.check_layer", "layer=function", lambda: check_layer(layer=np.tanh), "layer")
bad_array("gradcheck.check_layer", lambda X: check_layer(X=X), "X")
bad("gradcheck.check_layer", "X=wrong-width",
    lambda: check_layer(layer=nn.Dense(3, 2, rng=rng()), X=data(6, 4)), "X")
bad_rng("gradcheck.check_layer", lambda r: check_layer(r=r))
bad_number("gradcheck.check_layer", lambda v: check_layer(h=v), "h", POSITIVE)
bad_number("gradcheck.check_layer", lambda v: check_layer(tol=v), "tol", POSITIVE)


def check_model(model=DEFAULT, loss_fn=DEFAULT, X=DEFAULT, y=DEFAULT, **kwargs):
    return gc.check_model(pick(model, net), pick(loss_fn, nn.SoftmaxCrossEntropy), pick(X, data),
                          pick(y, lambda: LABELS), **kwargs)


bad("gradcheck.check_model", "model=None", lambda: gc.check_model(None, nn.SoftmaxCrossEntropy(), data(),
                                                                   LABELS), "model", "None")
bad("gradcheck.check_model", "model=class", lambda: check_model(model=nn.Sequential), "model", "class")
bad("gradcheck.check_model", "loss_fn=None", lambda: gc.check_model(net(), None, data(), LABELS), "loss_fn",
    "None")
bad("gradcheck.check_model", "loss_fn=class", lambda: check_model(loss_fn=nn.SoftmaxCrossEntropy), "loss_fn",
    "class")
bad_array("gradcheck.check_model", lambda X: check_model(X=X), "X")
bad("gradcheck.check_model", "X=wrong-width", lambda: check_model(X=data(6, 5)), "X")
bad("gradcheck.check_model", "y=None", lambda: gc.check_model(net(), nn.SoftmaxCrossEntropy(), data(), None),
    "y", "None")
bad("gradcheck.check_model", "y=too-few", lambda: check_model(y=LABELS[:4]), "y")
bad_number("gradcheck.check_model", lambda v: check_model(h=v), "h", POSITIVE)
bad("gradcheck.check_model", "model=NaN-weights", lambda: check_model(model=_nan_model()), "0.W", "NaN")
bad("gradcheck.check_layer", "layer=NaN-weights",
    lambda: check_layer(layer=_nan_dense(), X=data()), "W", "NaN")


def _nan_dense():
    layer = nn.Dense(3, 2, rng=rng())
    layer.params["W"][0, 0] = np.nan
    return layer


# inspect
def collect(model=DEFAULT, loss_fn=DEFAULT, X=DEFAULT, y=DEFAULT):
    return nn.collect_activations_and_grads(pick(model, net), pick(loss_fn, nn.SoftmaxCrossEntropy),
                                            pick(X, data), pick(y, lambda: LABELS))


bad("collect_activations_and_grads", "model=None",
    lambda: nn.collect_activations_and_grads(None, nn.SoftmaxCrossEntropy(), data(), LABELS), "model", "None")
bad("collect_activations_and_grads", "model=class", lambda: collect(model=nn.Sequential), "model",
    "class")
bad("collect_activations_and_grads", "loss_fn=None",
    lambda: nn.collect_activations_and_grads(net(), None, data(), LABELS), "loss_fn", "None")
bad("collect_activations_and_grads", "loss_fn=class", lambda: collect(loss_fn=nn.MSELoss), "loss_fn",
    "class")
bad_array("collect_activations_and_grads", lambda X: collect(X=X), "X")
bad("collect_activations_and_grads", "X=wrong-width", lambda: collect(X=data(6, 5)), "X")
bad("collect_activations_and_grads", "y=None",
    lambda: nn.collect_activations_and_grads(net(), nn.SoftmaxCrossEntropy(), data(), None), "y", "None")
bad("collect_activations_and_grads", "y=too-few", lambda: collect(y=LABELS[:4]), "y")



def grad_norms(model=DEFAULT, loss_fn=DEFAULT, X=DEFAULT, y=DEFAULT):
    return nn.gradient_norms(pick(model, net), pick(loss_fn, nn.SoftmaxCrossEntropy), pick(X, data),
                             pick(y, lambda: LABELS))


bad("gradient_norms", "model=None", lambda: nn.gradient_norms(None, nn.SoftmaxCrossEntropy(), data(), LABELS),
    "model", "None")
bad("gradient_norms", "model=class", lambda: grad_norms(model=nn.Sequential), "model", "class")
bad("gradient_norms", "loss_fn=None", lambda: nn.gradient_norms(net(), None, data(), LABELS), "loss_fn",
    "None")
bad("gradient_norms", "loss_fn=class", lambda: grad_norms(loss_fn=nn.MSELoss), "loss_fn", "class")
bad_array("gradient_norms", lambda X: grad_norms(X=X), "X")
bad("gradient_norms", "X=wrong-width", lambda: grad_norms(X=data(6, 5)), "X")
bad("gradient_norms", "y=None", lambda: nn.gradient_norms(net(), nn.SoftmaxCrossEntropy(), data(), None), "y",
    "None")
bad("gradient_norms", "y=too-few", lambda: grad_norms(y=LABELS[:4]), "y")

bad("optim.clip_grad_norm", "model=None", lambda: nn.optim.clip_grad_norm(None, 1.0), "model", "None")
bad("optim.clip_grad_norm", "model=class", lambda: nn.optim.clip_grad_norm(nn.Sequential, 1.0), "model",
    "class")
bad_number("optim.clip_grad_norm", lambda v: nn.optim.clip_grad_norm(net(), v), "max_norm", POSITIVE)
bad_number("fit", lambda v: fit(clip_norm=v), "clip_norm",
           {k: v for k, v in POSITIVE.items() if v is not None})


def _mentions(message, word):
    """``word`` appears in ``message`` as a whole name (X does not match inside X_val)."""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", message) is not None


@pytest.mark.parametrize("entry, call, words, exc, forbid", CASES)
def test_bad_input_gets_a_clear_error(entry, call, words, exc, forbid):
    with warnings.catch_warnings():
        warnings.simplefilter("error")                    # a warning instead of an error fails the case
        try:
            result = call()
        except exc as err:
            error = err
        except Exception as err:                          # noqa: BLE001 - any other exception is the finding
            pytest.fail(f"{entry}: {type(err).__name__}: {err}")
        else:
            pytest.fail(f"{entry}: accepted silently, returned {type(result).__name__}")
    where = traceback.extract_tb(error.__traceback__)[-1]
    message = str(error)
    assert type(error) in exc, f"{type(error).__name__} (a NumPy subclass?) from {where.filename}: {message}"
    assert Path(where.filename).resolve().is_relative_to(NNLIB) and where.line.startswith("raise"), \
        f"raised from deep inside ({where.filename}:{where.lineno} {where.line!r}): {message}"
    missing = [w for w in words if not _mentions(message, w)]
    assert not missing, f"the message does not name {missing}: {message}"
    assert not [w for w in forbid if w in message], f"misleading message: {message}"


# --- what is accepted (documented in nnlib/_validate.py) ----------------------------------------

def _silent(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


ACCEPTED = [
    pytest.param(lambda: net()([[0.0, 1.0, 2.0]]), lambda out: out.shape == (1, 2), id="model(list)"),
    pytest.param(lambda: net()(np.arange(6).reshape(2, 3)), lambda out: out.dtype == np.float64,
                 id="model(int array) is converted to the model's dtype"),
    pytest.param(lambda: net(dtype=np.float32)(data()), lambda out: out.dtype == np.float32,
                 id="float32 model converts float64 X"),
    pytest.param(lambda: net()(np.zeros((0, 3))), lambda out: out.shape == (0, 2), id="model(empty batch)"),
    pytest.param(lambda: nn.predict(net(), np.zeros((0, 3))), lambda out: out.shape == (0, 2),
                 id="predict(empty X)"),
    pytest.param(lambda: nn.Dropout(0.5, rng=rng()).forward(np.ones((4, 3), dtype=int)),
                 lambda out: out.dtype == np.float64, id="Dropout(int array) is converted to float64"),
    pytest.param(lambda: nn.Tanh().forward(np.linspace(-1, 1, 5)), lambda out: out.shape == (5,),
                 id="activation layers take any shape"),
    pytest.param(lambda: nn.sigmoid(np.array([-np.inf, 0.0, np.inf])),
                 lambda out: list(out) == [0.0, 0.5, 1.0], id="sigmoid(+-inf) is its limit"),
    pytest.param(lambda: nn.relu([1, -2]), lambda out: list(out) == [1.0, 0.0], id="relu(list of int)"),
    pytest.param(lambda: nn.sigmoid(np.zeros(0)), lambda out: out.shape == (0,), id="sigmoid(empty)"),
    pytest.param(lambda: nn.softmax(np.array([-np.inf, 0.0])), lambda out: list(out) == [0.0, 1.0],
                 id="softmax(-inf) is probability 0"),
    pytest.param(lambda: nn.softmax(np.zeros((0, 3))), lambda out: out.shape == (0, 3),
                 id="softmax(no rows)"),
    pytest.param(lambda: nn.cross_entropy([1.0, 0.0], [0.0, 1.0]), lambda out: out == np.inf,
                 id="cross_entropy(q = 0 where p > 0) is inf"),
    pytest.param(lambda: nn.SoftmaxCrossEntropy()(np.full((2, 2), np.nan), [0, 1]), np.isnan,
                 id="NaN logits give a NaN loss (how fit detects divergence)"),
    pytest.param(lambda: nn.MSELoss()(np.full((2, 1), np.inf), [[0.0], [1.0]]), lambda out: out == np.inf,
                 id="inf predictions give an inf loss"),
    pytest.param(lambda: nn.accuracy(np.full((2, 2), np.nan), [0, 1]), lambda out: 0 <= out <= 1,
                 id="accuracy scores a diverged model's NaN outputs"),
    pytest.param(lambda: nn.accuracy([[0.1, 0.9], [0.8, 0.2]], [1, 0]), lambda out: out == 1.0,
                 id="accuracy(lists)"),
    pytest.param(lambda: nn.one_hot([0.0, 2.0], 3), lambda out: out.shape == (2, 3),
                 id="one_hot(integral floats)"),
    pytest.param(lambda: fit(X=data().tolist(), y=LABELS.tolist()), lambda h: h.epochs == 1, id="fit(lists)"),
    pytest.param(lambda: fit(y=LABELS.astype(float)), lambda h: h.epochs == 1,
                 id="fit(integral float labels)"),
    pytest.param(lambda: fit_regression(y=targets()[:, 0]), lambda h: h.epochs == 1,
                 id="fit(regression y of shape (N,))"),
    pytest.param(lambda: fit(opt=_reset_opt()), lambda h: h.epochs == 1, id="opt.reset() frees an optimizer"),
    pytest.param(lambda: stepped(net(), _same_model_opt()), lambda m: True, id="one optimizer, one model"),
    pytest.param(lambda: _restore_nan_snapshot(), lambda m: np.isnan(m[0].params["W"]).all(),
                 id="set_weights restores a diverged snapshot"),
    pytest.param(lambda: _backward_nan(), lambda dX: np.isnan(dX).all(), id="backward of a NaN gradient"),
    pytest.param(lambda: fit(model=_nan_model(), on_divergence="stop"), lambda h: "diverged" in h.diverged,
                 id="fit reports NaN weights as divergence"),
    pytest.param(lambda: gc.rel_error([np.nan], [1.0]), np.isnan, id="rel_error with NaN is NaN"),
    pytest.param(lambda: gc.rel_error([np.inf], [1.0]), np.isnan, id="rel_error with inf is NaN"),
    pytest.param(lambda: nn.iterate_minibatches(data().tolist(), LABELS.tolist(), 4, rng=rng()),
                 lambda it: [len(b) for b, _ in it] == [4, 2], id="iterate_minibatches(lists)"),
    pytest.param(lambda: nn.make_rng(None), lambda r: isinstance(r, np.random.Generator),
                 id="make_rng(None)"),
    pytest.param(lambda: nn.LeakyReLU(alpha=0.0).forward(np.array([-1.0, 1.0])),
                 lambda out: list(out) == [0, 1], id="LeakyReLU(alpha=0) is ReLU"),
]


def _reset_opt():
    opt = optim.Adam(0.01)
    _reset_opt.keep = stepped(net(), opt)
    opt.reset()
    return opt


def _same_model_opt():
    return optim.Adam(0.01)


def _restore_nan_snapshot():
    model = net()
    model.set_weights({k: np.full_like(v, np.nan) for k, v in model.get_weights().items()})
    return model


def _backward_nan():
    model = after_forward(net(), data())
    return model.backward(np.full((6, 2), np.nan))


def _nan_model():
    model = net()
    model[0].params["W"][:] = np.nan
    return model


@pytest.mark.parametrize("call, check", ACCEPTED)
def test_documented_inputs_are_accepted(call, check):
    assert check(_silent(call))


def test_one_optimizer_keeps_working_on_its_own_model():
    model, opt = net(), optim.SGD(0.1, momentum=0.9)
    for _ in range(3):
        stepped(model, opt)
    assert opt.t == 3


# --- the sweep reaches every public entry point ----------------------------------------------------

EXEMPT = {"Layer": "abstract base class", "Loss": "abstract base class",
          "optim.Optimizer": "abstract base class", "History": "a record that fit returns",
          "gradcheck.GradCheckReport": "a record that check_* return",
          "TrainingDiverged": "an exception class"}
METHODS = ("forward", "backward", "step", "set_weights", "predict", "fit")


def _entry_points():
    entries = set()

    def add_class(name, cls):
        if inspect.signature(cls).parameters:            # a constructor with arguments to get wrong
            entries.add(name)
        entries.update(f"{name}.{m}" for m in METHODS if callable(getattr(cls, m, None)))

    for name in nn.__all__:
        obj = getattr(nn, name)
        if inspect.ismodule(obj):
            for sub, member in vars(obj).items():
                if sub.startswith("_") or getattr(member, "__module__", None) != obj.__name__:
                    continue
                full = f"{name}.{sub}"
                if full in EXEMPT:
                    continue
                if inspect.isclass(member):
                    add_class(full, member)
                elif inspect.isfunction(member):
                    entries.add(full)
        elif name in EXEMPT:
            continue
        elif inspect.isclass(obj):
            add_class(name, obj)
        else:
            entries.add(name)
    return entries


def test_sweep_covers_every_public_entry_point():
    covered = {case.values[0] for case in CASES}
    missing = sorted(_entry_points() - covered)
    assert not missing, f"no bad-input case for {missing}"
    assert len(CASES) >= 500, len(CASES)
