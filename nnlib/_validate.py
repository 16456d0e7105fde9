"""Input validation shared by nnlib's public entry points.

Every message says which argument was wrong, what was expected, what came, and how
to fix it, in the style of scikit-learn's errors. Nothing here uses ``assert``.
"""
from __future__ import annotations

import numbers

import numpy as np


def make_rng(seed=None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` seeded with ``seed``.

    Every random choice in nnlib takes such a generator; there is no global random
    state. ``make_rng(0)`` twice gives two generators that draw the same numbers.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and not isinstance(seed, numbers.Integral):
        raise TypeError(f"make_rng(seed) expected an int or None, got {type(seed).__name__}; "
                        f"pass an integer such as make_rng(0).")
    return np.random.default_rng(seed)


def check_rng(rng, where: str) -> np.random.Generator:
    """Raise a TypeError unless ``rng`` is a ``numpy.random.Generator``."""
    if not isinstance(rng, np.random.Generator):
        got = "nothing (rng=None)" if rng is None else type(rng).__name__
        raise TypeError(f"{where} expected rng to be a numpy.random.Generator, got {got}; "
                        f"pass rng=nn.make_rng(0) (any seed) so that results are reproducible.")
    return rng


def check_positive(value, name: str, where: str, allow_zero: bool = False) -> float:
    """Raise unless ``value`` is a finite real number > 0 (or >= 0 with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where} expected {name} to be a number, got {type(value).__name__} "
                        f"({value!r}); pass a float such as {name}=0.1.")
    bad = value < 0 if allow_zero else value <= 0
    if bad or not np.isfinite(value):
        want = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{where} expected {name} {want}, got {value!r}; "
                         f"use a {'non-negative' if allow_zero else 'positive'} finite value.")
    return float(value)


def check_probability(value, name: str, where: str, low_closed=True, high_closed=False) -> float:
    """Raise unless ``value`` lies in the interval [0, 1) (bounds configurable)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where} expected {name} to be a number in "
                        f"{'[' if low_closed else '('}0, 1{']' if high_closed else ')'}, "
                        f"got {type(value).__name__} ({value!r}).")
    ok_low = value >= 0 if low_closed else value > 0
    ok_high = value <= 1 if high_closed else value < 1
    if not (ok_low and ok_high):
        interval = f"{'[' if low_closed else '('}0, 1{']' if high_closed else ')'}"
        raise ValueError(f"{where} expected {name} in {interval}, got {value!r}; "
                         f"{name} is a probability, e.g. {name}=0.5.")
    return float(value)


def check_int(value, name: str, where: str, minimum: int = 1) -> int:
    """Raise unless ``value`` is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where} expected {name} to be an int >= {minimum}, got "
                        f"{type(value).__name__} ({value!r}).")
    if value < minimum:
        raise ValueError(f"{where} expected {name} >= {minimum}, got {value}; pass a whole number "
                         f"of at least {minimum} (a count of samples, features or units).")
    return int(value)


def as_2d_float(X, name: str, where: str, dtype=None) -> np.ndarray:
    """Return ``X`` as a 2-D floating array; reject 1-D input, wrong dtypes and NaN/inf."""
    X = np.asarray(X)
    if X.dtype == object or not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
        raise TypeError(f"{where} expected {name} to be a numeric array, got dtype {X.dtype}.")
    if X.ndim != 2:
        if X.ndim == 1:
            hint = (f"reshape it: {name}.reshape(-1, 1) for one feature per sample, "
                    f"or {name}.reshape(1, -1) for a single sample")
        else:
            hint = f"flatten the trailing axes: {name}.reshape(len({name}), -1)"
        raise ValueError(f"{where} expected {name} as a 2-D array of shape (N, D), got "
                         f"{X.ndim}-D with shape {X.shape}; {hint}.")
    if dtype is not None:
        X = X.astype(dtype, copy=False)
    elif not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    if not np.all(np.isfinite(X)):
        n_bad = int(np.size(X) - np.count_nonzero(np.isfinite(X)))
        raise ValueError(f"{where} found {n_bad} NaN or infinite value(s) in {name}; "
                         f"clean or impute the data before training (np.isfinite({name}) shows where).")
    return X


def as_labels(y, n_classes: int | None, name: str, where: str, n_samples: int | None = None) -> np.ndarray:
    """Return integer class labels of shape (N,), checked against ``n_classes``."""
    y = np.asarray(y)
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
            raise TypeError(f"{where} expected {name} to hold integer class labels 0..C-1, got dtype "
                            f"{y.dtype}; for regression targets use nn.MSELoss instead.")
    if n_samples is not None and len(y) != n_samples:
        raise ValueError(f"{where} expected {name} to have one label per sample ({n_samples}), got "
                         f"{len(y)}; check that X and {name} come from the same split.")
    if n_classes is not None and len(y) and (y.min() < 0 or y.max() >= n_classes):
        bad = y[(y < 0) | (y >= n_classes)][0]
        raise ValueError(f"{where} expected labels in 0..{n_classes - 1} (the model has {n_classes} "
                         f"outputs), got label {bad}; check the labels or the last layer's n_out.")
    return y
