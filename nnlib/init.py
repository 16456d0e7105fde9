r"""Weight initializers: each is ``f(n_in, n_out, rng, dtype=np.float64) -> W`` of shape (n_in, n_out).

Variance-preserving schemes, with :math:`n_\text{in}` the fan-in and :math:`n_\text{out}` the fan-out:

* ``glorot_uniform``: :math:`U(-a, a)` with :math:`a = \sqrt{6 / (n_\text{in} + n_\text{out})}`;
  variance :math:`2 / (n_\text{in} + n_\text{out})`.
* ``glorot_normal``: :math:`N(0, \sigma^2)` with :math:`\sigma^2 = 2 / (n_\text{in} + n_\text{out})`.
* ``he_uniform``: :math:`U(-a, a)` with :math:`a = \sqrt{6 / n_\text{in}}`; variance :math:`2 / n_\text{in}`.
* ``he_normal``: :math:`N(0, \sigma^2)` with :math:`\sigma^2 = 2 / n_\text{in}`.

Glorot & Bengio (2010), eq. 16, "normalized initialization"; He et al. (2015), eq. 10
(forward case, for ReLU). A uniform :math:`U(-a, a)` has variance :math:`a^2/3`, which is
where the 6 comes from. ``glorot_normal`` here is an untruncated normal (Keras truncates it).
"""
from __future__ import annotations

import numpy as np

from ._validate import check_dtype, check_int, check_positive, check_real, check_rng


def _shape(n_in, n_out, name, dtype=np.float64):
    """Check the arguments every initializer shares: two counts and a floating dtype."""
    check_dtype(dtype, "dtype", name)
    return check_int(n_in, "n_in", name), check_int(n_out, "n_out", name)


def uniform(n_in, n_out, rng, dtype=np.float64, low=-1.0, high=1.0):
    """Uniform on (low, high), default (-1, 1): the naive scheme the lessons start from."""
    n_in, n_out = _shape(n_in, n_out, "init.uniform", dtype)
    check_real(low, "low", "init.uniform", -1.0)
    check_real(high, "high", "init.uniform", 1.0)
    if not low < high:
        raise ValueError(f"init.uniform expected low < high, got low={low}, high={high}.")
    return check_rng(rng, "init.uniform").uniform(low, high, (n_in, n_out)).astype(dtype)


def normal(n_in, n_out, rng, dtype=np.float64, std=0.01):
    """Normal with mean 0 and standard deviation ``std`` (default 0.01: "small random numbers")."""
    n_in, n_out = _shape(n_in, n_out, "init.normal", dtype)
    check_positive(std, "std", "init.normal", allow_zero=True)
    return (std * check_rng(rng, "init.normal").standard_normal((n_in, n_out))).astype(dtype)


def glorot_uniform(n_in, n_out, rng, dtype=np.float64):
    """Glorot/Xavier normalized initialization: U(-a, a), a = sqrt(6 / (n_in + n_out))."""
    n_in, n_out = _shape(n_in, n_out, "init.glorot_uniform", dtype)
    a = np.sqrt(6.0 / (n_in + n_out))
    return check_rng(rng, "init.glorot_uniform").uniform(-a, a, (n_in, n_out)).astype(dtype)


def glorot_normal(n_in, n_out, rng, dtype=np.float64):
    """Glorot/Xavier normal: N(0, 2 / (n_in + n_out))."""
    n_in, n_out = _shape(n_in, n_out, "init.glorot_normal", dtype)
    std = np.sqrt(2.0 / (n_in + n_out))
    return (std * check_rng(rng, "init.glorot_normal").standard_normal((n_in, n_out))).astype(dtype)


def he_uniform(n_in, n_out, rng, dtype=np.float64):
    """He/Kaiming uniform for ReLU: U(-a, a), a = sqrt(6 / n_in)."""
    n_in, n_out = _shape(n_in, n_out, "init.he_uniform", dtype)
    a = np.sqrt(6.0 / n_in)
    return check_rng(rng, "init.he_uniform").uniform(-a, a, (n_in, n_out)).astype(dtype)


def he_normal(n_in, n_out, rng, dtype=np.float64):
    """He/Kaiming normal for ReLU: N(0, 2 / n_in)."""
    n_in, n_out = _shape(n_in, n_out, "init.he_normal", dtype)
    std = np.sqrt(2.0 / n_in)
    return (std * check_rng(rng, "init.he_normal").standard_normal((n_in, n_out))).astype(dtype)


def zeros(n_in, n_out, rng=None, dtype=np.float64):
    """All zeros: every unit of the layer starts identical (the symmetry problem)."""
    n_in, n_out = _shape(n_in, n_out, "init.zeros", dtype)
    return np.zeros((n_in, n_out), dtype=dtype)


def constant(n_in, n_out, rng=None, dtype=np.float64, value=0.5):
    """Every weight equal to ``value``: also symmetric, for the lessons' demonstrations."""
    n_in, n_out = _shape(n_in, n_out, "init.constant", dtype)
    check_real(value, "value", "init.constant", 0.5)
    return np.full((n_in, n_out), value, dtype=dtype)


SCHEMES = {"uniform": uniform, "normal": normal, "glorot_uniform": glorot_uniform,
           "glorot_normal": glorot_normal, "he_uniform": he_uniform, "he_normal": he_normal,
           "zeros": zeros, "constant": constant}
