"""Input validation shared by nnlib's public entry points.

Every message says which argument was wrong, what was expected, what came, and how
to fix it, in the style of scikit-learn's errors. Nothing here uses ``assert``.

What nnlib accepts
------------------
Checks run where a user hands data to nnlib: constructors, ``model(X)`` / ``forward`` /
``backward`` called from outside, ``fit`` (once, before its loop), ``predict``, ``evaluate``,
``accuracy``, the losses, the plain functions of ``nnlib.functional``, ``set_weights`` and
``opt.step``. Inside a model and inside ``fit``'s loop, layers pass their arrays on unchecked.

* Arrays: anything ``np.asarray`` turns into a rectangular real array (NumPy arrays, Python
  lists and tuples, and scalars for element-wise functions). Boolean and integer input is
  converted to float64 (to a Dense layer's or model's dtype) where a float is needed; the one
  exception is ``numerical_gradient``'s ``x``, a float array it perturbs in place. ``None``,
  strings, objects, complex numbers and ragged lists are rejected with a TypeError.
* Data must be finite: inputs X of layers, models, ``fit``, ``predict`` and ``standardize``,
  and the targets of ``fit`` and of ``MSELoss``. NaN or inf there is a ValueError.
* Outputs of a model may be NaN or inf: a diverging model produces them, so the losses take
  such predictions and return a NaN/inf loss (``fit`` reports that as ``TrainingDiverged``),
  ``accuracy`` scores them, ``backward`` takes NaN gradients, and ``set_weights`` restores
  NaN snapshots.
* The plain functions reject NaN and accept +-inf where the function has a limit
  (``sigmoid(inf) == 1``, ``softmax([-inf, 0]) == [0, 1]``); ``softmax`` needs a finite
  maximum along ``axis``; ``entropy`` and ``cross_entropy`` need probabilities in [0, 1].
* Empty arrays: an empty batch (N = 0) passes through ``forward``, ``predict`` and the
  element-wise functions (empty in, empty out). A mean over no samples is undefined, so the
  losses, ``accuracy``, ``evaluate``, ``fit`` and ``standardize`` reject N = 0.
* Hyperparameters are real numbers (not bool), finite and in the documented range; counts
  are ints >= 1. Objects are instances, not classes; ``None`` only where it is the default.
* One optimizer belongs to one model: its state is kept per parameter name, so stepping it on
  a second model raises (make one optimizer per model, or call ``opt.reset()``).
"""
from __future__ import annotations

import inspect
import numbers

import numpy as np


def describe(value) -> str:
    """How a wrong value is shown in a message: "None", "the class X", or "type (repr)"."""
    if value is None:
        return "None"
    if isinstance(value, type):
        return f"the class {value.__name__} (not an instance)"
    text = repr(value)
    return f"{type(value).__name__} ({text if len(text) <= 40 else text[:37] + '...'})"


def kind(value) -> str:
    """Like ``describe``, but only the type name for an instance (for objects with long reprs)."""
    return describe(value) if value is None or isinstance(value, type) else type(value).__name__


def make_rng(seed=None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` seeded with ``seed``.

    Every random choice in nnlib takes such a generator; there is no global random
    state. ``make_rng(0)`` twice gives two generators that draw the same numbers.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        got = describe(seed) if isinstance(seed, (type, bool)) else type(seed).__name__
        raise TypeError(f"make_rng(seed) expected an int or None, got {got}; "
                        f"pass an integer such as make_rng(0).")
    if seed is not None and seed < 0:
        raise ValueError(f"make_rng(seed) expected seed >= 0, got {seed}; pass a non-negative integer.")
    return np.random.default_rng(seed)


def check_rng(rng, where: str) -> np.random.Generator:
    """Raise a TypeError unless ``rng`` is a ``numpy.random.Generator``."""
    if not isinstance(rng, np.random.Generator):
        got = ("nothing (rng=None)" if rng is None else describe(rng) if isinstance(rng, type)
               else type(rng).__name__)
        raise TypeError(f"{where} expected rng to be a numpy.random.Generator, got {got}; "
                        f"pass rng=nn.make_rng(0) (any seed) so that results are reproducible.")
    return rng


def check_real(value, name: str, where: str, example=0.1) -> float:
    """Raise unless ``value`` is a finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where} expected {name} to be a number, got {describe(value)}; "
                        f"pass a float such as {name}={example}.")
    if not np.isfinite(value):
        raise ValueError(f"{where} expected a finite {name}, got {value!r}; pass a finite number.")
    return float(value)


def check_positive(value, name: str, where: str, allow_zero: bool = False, example=0.1) -> float:
    """Raise unless ``value`` is a finite real number > 0 (or >= 0 with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where} expected {name} to be a number, got {describe(value)}; "
                        f"pass a float such as {name}={example}.")
    bad = value < 0 if allow_zero else value <= 0
    if bad or not np.isfinite(value):
        want = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{where} expected {name} {want}, got {value!r}; "
                         f"use a {'non-negative' if allow_zero else 'positive'} finite value.")
    return float(value)


def check_probability(value, name: str, where: str, low_closed=True, high_closed=False) -> float:
    """Raise unless ``value`` lies in the interval [0, 1) (bounds configurable)."""
    interval = f"{'[' if low_closed else '('}0, 1{']' if high_closed else ')'}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where} expected {name} to be a number in {interval}, got {describe(value)}.")
    ok_low = value >= 0 if low_closed else value > 0
    ok_high = value <= 1 if high_closed else value < 1
    if not (ok_low and ok_high):
        raise ValueError(f"{where} expected {name} in {interval}, got {value!r}; "
                         f"{name} is a probability, e.g. {name}=0.5.")
    return float(value)


def check_int(value, name: str, where: str, minimum: int = 1) -> int:
    """Raise unless ``value`` is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where} expected {name} to be an int >= {minimum}, got {describe(value)}.")
    if value < minimum:
        raise ValueError(f"{where} expected {name} >= {minimum}, got {value}; pass a whole number "
                         f"of at least {minimum} (a count of samples, features or units).")
    return int(value)


def check_bool(value, name: str, where: str) -> bool:
    """Raise unless ``value`` is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{where} expected {name} to be True or False, got {describe(value)}.")
    return bool(value)


def check_dtype(dtype, name: str, where: str, kinds="f", default="np.float64",
                want="a floating dtype (float32 or float64)") -> np.dtype:
    """Return ``np.dtype(dtype)``; raise unless its kind is one of ``kinds`` ("f": floating; None: any)."""
    if dtype is None:
        raise TypeError(f"{where} expected {name} to be {want}, got None; pass {name}={default}.")
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{where} expected {name} to be {want}, got {describe(dtype)}; "
                        f"pass {name}={default}.") from None
    if kinds is not None and dt.kind not in kinds:
        raise TypeError(f"{where} expected {name} to be {want}, got {dt}; pass {name}={default}.")
    return dt


def check_function(f, name: str, where: str, args=(), kwargs=None, takes: str = ""):
    """Raise unless ``f`` is a function that accepts ``f(*args, **kwargs)`` (when its signature says)."""
    if not callable(f) or isinstance(f, type):
        raise TypeError(f"{where} expected {name} to be a function{takes}, got {describe(f)}.")
    try:
        inspect.signature(f).bind(*args, **(kwargs or {}))
    except TypeError:
        raise TypeError(f"{where} expected {name} to be a function{takes}, got {name}"
                        f"{inspect.signature(f)}; change its parameters.") from None
    except ValueError:                               # no signature to read (some builtins): trust it
        pass
    return f


def check_callable(value, name: str, where: str, example: str):
    """Raise unless ``value`` is a function (a class or an nnlib object is not accepted)."""
    if value is None or not callable(value) or hasattr(value, "named_parameters") or \
            hasattr(value, "backward"):
        raise TypeError(f"{where} expected {name} to be a function, got {describe(value)}; "
                        f"pass e.g. {name}={example}.")
    return value


def check_model(model, where: str, name: str = "model"):
    """Raise unless ``model`` is an nnlib model instance (something with ``named_parameters``)."""
    if isinstance(model, type) or not callable(getattr(model, "named_parameters", None)):
        instance = model is not None and not isinstance(model, type)
        hint = ("wrap a single layer as nn.Sequential([layer])" if instance and hasattr(model, "params")
                else "build one with nn.Sequential([...]) or nn.mlp([...], rng=rng)")
        raise TypeError(f"{where} expected an nnlib model (nn.Sequential), got {kind(model)} as {name}; "
                        f"{hint}.")
    return model


def check_loss(loss_fn, where: str):
    """Raise unless ``loss_fn`` is a loss instance (``forward(prediction, target)`` and ``backward()``)."""
    if isinstance(loss_fn, type) or not (callable(getattr(loss_fn, "forward", None))
                                         and callable(getattr(loss_fn, "backward", None))) \
            or hasattr(loss_fn, "named_parameters") or hasattr(loss_fn, "step"):
        raise TypeError(f"{where} expected loss_fn to be an nnlib loss such as nn.SoftmaxCrossEntropy() "
                        f"or nn.MSELoss(), got {describe(loss_fn)}; note the parentheses: pass an instance.")
    return loss_fn


def check_optimizer(opt, where: str, name: str = "opt"):
    """Raise unless ``opt`` is an optimizer instance (something with ``step(model)``)."""
    if isinstance(opt, type) or not callable(getattr(opt, "step", None)):
        raise TypeError(f"{where} expected an optimizer such as nn.optim.SGD(lr=0.1), got {describe(opt)} "
                        f"as {name}; note the parentheses: pass an instance.")
    return opt


def as_real_array(x, name: str, where: str, nan=False, inf=False) -> np.ndarray:
    """Return ``np.asarray(x)``; reject None, non-numeric and complex input, NaN and inf (unless allowed)."""
    if x is None or isinstance(x, type):
        raise TypeError(f"{where} expected {name} to be an array of numbers, got {describe(x)}.")
    try:
        x = np.asarray(x)
    except ValueError:
        raise ValueError(f"{where} expected {name} as a rectangular array (every row of the same "
                         f"length), got a ragged nested list; pad or trim the rows.") from None
    if x.dtype.kind not in "biuf":
        if x.dtype.kind == "c":
            what, fix = "complex numbers", f"take the real part or the magnitude: np.abs({name})"
        else:
            what, fix = f"dtype {x.dtype}", f"convert it: np.asarray({name}, dtype=float)"
        raise TypeError(f"{where} expected {name} to be an array of real numbers, got {what}; {fix}.")
    if x.dtype.kind == "f" and not (nan and inf):
        n_finite = np.count_nonzero(np.isfinite(x))
        if n_finite != x.size:
            n_nan = int(np.count_nonzero(np.isnan(x)))
            n_inf = int(x.size - n_finite) - n_nan
            if (n_nan and not nan) or (n_inf and not inf):
                count, kind = ((n_nan + n_inf, "NaN or infinite") if not (nan or inf) else
                               (n_nan, "NaN") if inf else (n_inf, "infinite"))
                raise ValueError(f"{where} found {count} {kind} value(s) in {name}; clean or impute the "
                                 f"data first (np.isfinite({name}) shows where).")
    return x


def as_2d_float(X, name: str, where: str, dtype=None, min_samples: int = 0) -> np.ndarray:
    """Return ``X`` as a 2-D floating array; reject 1-D input, wrong dtypes and NaN/inf.

    ``min_samples=1`` also rejects an empty X (N = 0), where a mean over the samples is needed.
    """
    X = as_real_array(X, name, where, nan=True, inf=True)
    if X.ndim != 2:
        if X.ndim == 1:
            hint = (f"reshape it: {name}.reshape(-1, 1) for one feature per sample, "
                    f"or {name}.reshape(1, -1) for a single sample")
        else:
            hint = f"flatten the trailing axes: {name}.reshape(len({name}), -1)"
        raise ValueError(f"{where} expected {name} as a 2-D array of shape (N, D), got "
                         f"{X.ndim}-D with shape {X.shape}; {hint}.")
    if len(X) < min_samples:
        raise ValueError(f"{where} expected {name} with at least {min_samples} sample(s), got an empty "
                         f"array of shape {X.shape}; check the data loading or the split.")
    if dtype is not None:
        X = X.astype(dtype, copy=False)
    elif not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    if not np.isfinite(X).all():
        n_bad = int(np.size(X) - np.count_nonzero(np.isfinite(X)))
        raise ValueError(f"{where} found {n_bad} NaN or infinite value(s) in {name}; "
                         f"clean or impute the data first (np.isfinite({name}) shows where).")
    return X


def as_labels(y, n_classes: int | None, name: str, where: str, n_samples: int | None = None,
              source: str = "the model has {C} outputs") -> np.ndarray:
    """Return integer class labels of shape (N,), checked against ``n_classes``."""
    y = as_real_array(y, name, where, nan=True, inf=True)
    if y.ndim == 2 and y.shape[1] > 1:
        raise ValueError(f"{where} expected {name} as integer class labels of shape (N,), got a 2-D "
                         f"array of shape {y.shape} (one-hot?); convert with {name}.argmax(axis=1).")
    if y.ndim == 2:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{where} expected {name} of shape (N,), got shape {y.shape}.")
    if not np.issubdtype(y.dtype, np.integer):
        if np.issubdtype(y.dtype, np.floating) and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.int64)
        else:
            what = "NaN or inf" if y.dtype.kind == "f" and not np.isfinite(y).all() else f"dtype {y.dtype}"
            raise TypeError(f"{where} expected {name} to hold integer class labels 0..C-1, got {what}; "
                            f"for regression targets use nn.MSELoss instead.")
    if n_samples is not None and len(y) != n_samples:
        raise ValueError(f"{where} expected {name} to have one label per sample ({n_samples}), got "
                         f"{len(y)}; check that X and {name} come from the same split.")
    if n_classes is not None and len(y) and (y.min() < 0 or y.max() >= n_classes):
        bad = y[(y < 0) | (y >= n_classes)][0]
        raise ValueError(f"{where} expected labels in 0..{n_classes - 1} in {name} "
                         f"({source.format(C=n_classes)}), got label {bad}; check the labels or the last "
                         f"layer's n_out.")
    return y
