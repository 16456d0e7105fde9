"""nnlib: a small NumPy neural-network library for the course "Neural Networks in Practice".

Layers have hand-written backward passes; every random choice takes a seeded
``numpy.random.Generator`` (``make_rng(seed)``). ``import nnlib`` imports NumPy only;
``nnlib.plot`` loads matplotlib when it is first used. The course's checkers and live
figures live beside the library, in the ``course`` package. What the entry points accept
(lists, dtypes, NaN and inf, empty arrays, one optimizer per model) and where they check it
is written down in ``nnlib/_validate.py``.

>>> import nnlib as nn
>>> rng = nn.make_rng(0)
>>> model = nn.Sequential([nn.Dense(2, 8, rng=rng), nn.ReLU(), nn.Dense(8, 2, rng=rng)])
>>> same_shape = nn.mlp([2, 8, 2], activation=nn.ReLU, rng=rng)
"""
from . import datasets, gradcheck, init, optim, regularization
from ._validate import make_rng
from .inspect import collect_activations_and_grads, gradient_norms, mc_dropout_predict
from .functional import (cross_entropy, entropy, leaky_relu, leaky_relu_grad, log_softmax, one_hot,
                         relu, relu_grad, sigmoid, sigmoid_grad, softmax, tanh, tanh_grad)
from .layers import Dense, Dropout, Identity, Layer, LeakyReLU, ReLU, Sequential, Sigmoid, Tanh, mlp
from .blocks import BatchNorm, Residual
from .losses import Loss, MSELoss, SoftmaxCrossEntropy
from .training import (BaggingEnsemble, EarlyStopping, History, TrainingDiverged, accuracy, evaluate,
                       fit, iterate_minibatches, predict)

__version__ = "0.1.0"

def __getattr__(name):  # PEP 562: nnlib.plot (matplotlib) loads on first use
    if name == "plot":
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")


__all__ = [
    "make_rng", "Layer", "Dense", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity", "Dropout",
    "Sequential", "BatchNorm", "Residual", "mlp", "Loss", "SoftmaxCrossEntropy", "MSELoss",
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad",
    "relu", "relu_grad", "leaky_relu", "leaky_relu_grad", "softmax", "log_softmax", "entropy",
    "cross_entropy", "one_hot", "fit", "History", "EarlyStopping", "TrainingDiverged",
    "iterate_minibatches", "predict", "mc_dropout_predict", "evaluate", "accuracy", "BaggingEnsemble",
    "init", "optim", "gradcheck", "datasets", "regularization", "collect_activations_and_grads",
    "gradient_norms",
]
