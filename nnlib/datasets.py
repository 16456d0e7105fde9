"""Small data sets for the lessons: 2-D toy problems, 1-D regression curves, a split and the digits.

The generators share three parameters:

n_samples : int >= 1
    Exact number of rows. Class c gets ``n_samples // C`` rows, plus one for the first
    ``n_samples % C`` classes.
noise : float >= 0
    Standard deviation of the Gaussian noise (on the coordinates unless said otherwise).
rng : numpy.random.Generator
    Required; the same seed gives the same data. Rows come out shuffled.

and return ``X`` float64 of shape (N, 2) and ``y`` int64 class labels of shape (N,).

>>> X, y = make_moons(100, noise=0.1, rng=np.random.default_rng(0))
>>> X.shape, y.dtype, np.bincount(y).tolist()
((100, 2), dtype('int64'), [50, 50])
"""
from __future__ import annotations

import numbers
from importlib import resources

import numpy as np

from ._validate import (as_2d_float, as_real_array, check_dtype, check_int, check_positive, check_probability,
                        check_rng, describe)

__all__ = ["make_moons", "make_circles", "make_spirals", "make_xor", "make_blobs", "make_regression_1d",
           "REGRESSION_TARGETS", "train_val_test_split", "load_digits", "standardize"]


def _check_common(where, rng, n_samples, noise, noise_name="noise"):
    """Validate the three shared parameters; return them as (Generator, int, float)."""
    rng = check_rng(rng, where)
    n_samples = check_int(n_samples, "n_samples", where)
    return rng, n_samples, check_positive(noise, noise_name, where, allow_zero=True)


def _class_sizes(n_samples, n_classes):
    """Split ``n_samples`` into ``n_classes`` counts that differ by at most one, earlier classes first."""
    sizes = np.full(n_classes, n_samples // n_classes)
    sizes[: n_samples % n_classes] += 1
    return sizes


def _finish(parts, rng, noise=0.0):
    """Stack one ``(X_c, c)`` pair per class, shuffle the rows, add N(0, noise^2) to every entry of X."""
    X = np.concatenate([Xc for Xc, _ in parts]).astype(np.float64)
    y = np.concatenate([np.full(len(Xc), c, dtype=np.int64) for Xc, c in parts])
    order = rng.permutation(len(y))
    return X[order] + noise * rng.standard_normal(X.shape), y[order]


def make_moons(n_samples=200, noise=0.1, *, rng=None):
    """Two interleaving half circles, classes 0 and 1, balanced.

    Class 0 is the upper half of the unit circle; class 1 is the lower half, centred at (1, 0.5).
    Parameters and returns are described in the module docstring.
    """
    rng, n_samples, noise = _check_common("make_moons", rng, n_samples, noise)
    n0, n1 = _class_sizes(n_samples, 2)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    return _finish([(upper, 0), (lower, 1)], rng, noise)


def make_circles(n_samples=200, noise=0.05, factor=0.5, *, rng=None):
    """Two concentric circles, balanced: class 0 on radius 1, class 1 on radius ``factor``.

    Parameters
    ----------
    factor : float in (0, 1)
        Inner radius divided by outer radius. See the module docstring for the others.
    """
    rng, n_samples, noise = _check_common("make_circles", rng, n_samples, noise)
    factor = check_probability(factor, "factor", "make_circles", low_closed=False)
    parts = []
    for c, (radius, n_c) in enumerate(zip([1.0, factor], _class_sizes(n_samples, 2))):
        t = np.linspace(0, 2 * np.pi, n_c, endpoint=False)
        parts.append((radius * np.column_stack([np.cos(t), np.sin(t)]), c))
    return _finish(parts, rng, noise)


def make_spirals(n_samples=300, n_classes=3, noise=0.2, *, rng=None):
    r"""Interleaved spiral arms, one per class, in the style of the CS231n case study.

    Along arm :math:`c` the radius :math:`r` grows evenly from 0 to 1 and the angle is

    .. math:: \theta = 2\pi c / C + 4 r + \epsilon, \qquad \epsilon \sim N(0, \text{noise}^2),

    so here ``noise`` jitters the angle (radians) and every point stays in the unit disc.

    Parameters
    ----------
    n_classes : int >= 1
        Number of arms C. See the module docstring for the others.
    """
    rng, n_samples, noise = _check_common("make_spirals", rng, n_samples, noise)
    n_classes = check_int(n_classes, "n_classes", "make_spirals")
    parts = []
    for c, n_c in enumerate(_class_sizes(n_samples, n_classes)):
        r = np.linspace(0.0, 1.0, n_c)
        theta = 2 * np.pi * c / n_classes + 4 * r + noise * rng.standard_normal(n_c)
        parts.append((r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)]), c))
    return _finish(parts, rng)


def make_xor(n_samples=200, noise=0.1, *, rng=None):
    """Four Gaussian clusters at (+-1, +-1); the label is 1 where the two signs differ (XOR).

    A point's label is that of its cluster centre, so with a large ``noise`` some points cross
    an axis. The classes are balanced to within one sample.
    """
    rng, n_samples, noise = _check_common("make_xor", rng, n_samples, noise)
    centres = [((1, 1), 0), ((1, -1), 1), ((-1, -1), 0), ((-1, 1), 1)]  # alternate labels: balanced
    parts = [(np.tile(np.asarray(mu, dtype=np.float64), (n_c, 1)), label)
             for (mu, label), n_c in zip(centres, _class_sizes(n_samples, 4))]
    return _finish(parts, rng, noise)


def make_blobs(n_samples=200, n_classes=3, std=1.0, centers=None, *, rng=None):
    """Isotropic Gaussian blobs, one per class, balanced.

    Parameters
    ----------
    n_classes : int >= 1
        Number of blobs C.
    std : float >= 0
        Standard deviation of every blob (plays the role of ``noise``).
    centers : array of shape (C, D), optional
        Blob centres. Default: C points evenly spaced on the circle of radius 3 (D = 2).

    Returns
    -------
    X : ndarray of shape (N, D), float64
    y : ndarray of shape (N,), int64 in 0..C-1
    """
    where = "make_blobs"
    rng, n_samples, std = _check_common(where, rng, n_samples, std, "std")
    n_classes = check_int(n_classes, "n_classes", where)
    if centers is None:
        angle = 2 * np.pi * np.arange(n_classes) / n_classes
        centers = 3.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    centers = as_2d_float(centers, "centers", where, dtype=np.float64)
    if len(centers) != n_classes:
        raise ValueError(f"{where} expected centers of shape (n_classes, D) = ({n_classes}, D), got "
                         f"shape {centers.shape}; pass n_classes=len(centers), or leave out centers.")
    sizes = _class_sizes(n_samples, n_classes)
    parts = [(np.tile(mu, (n_c, 1)), c) for c, (mu, n_c) in enumerate(zip(centers, sizes))]
    return _finish(parts, rng, std)


def _sawtooth(x):
    """Period 2, rising from -1 to 1 within each period."""
    return x - 2 * np.floor((x + 1) / 2)


#: Named curves for ``make_regression_1d``: sin x, |x|, 1[x > 0], a period-2 sawtooth, x**2.
REGRESSION_TARGETS = {
    "sine": np.sin,
    "abs": np.abs,
    "step": lambda x: (x > 0).astype(np.float64),
    "sawtooth": _sawtooth,
    "quadratic": np.square,
}


def make_regression_1d(n_samples=100, target="sine", noise=0.1, x_range=(-3, 3), *, rng=None):
    """Noisy samples ``y = f(x) + noise`` of a 1-D function, for curve-fitting lessons.

    Parameters
    ----------
    target : str or callable, default "sine"
        A key of ``REGRESSION_TARGETS`` or any ``f`` that maps an (N,) array to N values.
    x_range : (float, float), default (-3, 3)
        Inputs are drawn uniformly from [low, high). See the module docstring for the others.

    Returns
    -------
    X : ndarray of shape (N, 1), float64, sorted ascending (handy for line plots)
    y : ndarray of shape (N, 1), float64 regression targets

    Raises
    ------
    ValueError
        Unknown target name, a bad ``x_range``, or an ``f`` that returns the wrong number of values.
    """
    where = "make_regression_1d"
    rng, n_samples, noise = _check_common(where, rng, n_samples, noise)
    if isinstance(target, str):
        if target not in REGRESSION_TARGETS:
            raise ValueError(f"{where} got unknown target {target!r}; use one of "
                             f"{sorted(REGRESSION_TARGETS)} or pass a function f(x) -> array.")
        f = REGRESSION_TARGETS[target]
    elif callable(target):
        f = target
    else:
        raise TypeError(f"{where} expected target to be a name or a callable, got "
                        f"{describe(target) if target is None else type(target).__name__}; use e.g. "
                        f"target='sine' or target=np.cos.")
    ok = (isinstance(x_range, (tuple, list)) and len(x_range) == 2 and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) and np.isfinite(v) for v in x_range))
    if not ok or not x_range[0] < x_range[1]:
        raise ValueError(f"{where} expected x_range as (low, high) with finite low < high, got "
                         f"{x_range!r}; use e.g. x_range=(-3, 3).")
    x = np.sort(rng.uniform(float(x_range[0]), float(x_range[1]), n_samples))
    fx = as_real_array(f(x), "target(x)", where, nan=True, inf=True).astype(np.float64)
    if fx.size == n_samples and not np.isfinite(fx).all():
        raise ValueError(f"{where} got NaN or infinite values from target(x) for x in {tuple(x_range)}; "
                         f"choose an x_range where the target is defined.")
    if fx.size != n_samples:
        raise ValueError(f"{where} expected target(x) to return {n_samples} values for x of shape "
                         f"({n_samples},), got shape {fx.shape}; make f act elementwise, like np.sin.")
    return x[:, None], fx.reshape(n_samples, 1) + noise * rng.standard_normal((n_samples, 1))


def _share(total, capacity):
    """Split ``total`` over groups in proportion to ``capacity`` (largest remainders), never above it."""
    quota = total * capacity / capacity.sum()
    counts = np.floor(quota).astype(int)
    counts[np.argsort(counts - quota, kind="stable")[: total - counts.sum()]] += 1
    return counts


def train_val_test_split(X, y, val_frac=0.2, test_frac=0.2, *, rng=None, stratify=False):
    """Shuffle the rows and cut them into training, validation and test sets.

    The validation and test sets get ``val_frac * N`` and ``test_frac * N`` rows, rounded half
    up, and training keeps the rest. With ``stratify=True`` the sizes are the same and every set
    keeps the class proportions of ``y``: it holds ``frac * n_c`` samples of class c, give or
    take fewer than two.

    Parameters
    ----------
    X, y : arrays with N rows; ``y`` holds integer class labels of shape (N,) when ``stratify``
    val_frac, test_frac : float in [0, 1), with ``val_frac + test_frac < 1``
    rng : numpy.random.Generator
    stratify : bool, default False

    Returns
    -------
    X_train, y_train, X_val, y_val, X_test, y_test : new arrays whose rows partition the input

    Raises
    ------
    ValueError
        Fractions out of range, ``len(X) != len(y)``, or no row left for training.
    TypeError
        ``rng`` missing, or ``stratify=True`` with non-integer labels.
    """
    where = "train_val_test_split"
    rng = check_rng(rng, where)
    for name, a in (("X", X), ("y", y)):
        if a is None or isinstance(a, type) or np.ndim(a) == 0:
            raise TypeError(f"{where} expected {name} as an array with one row per sample, got "
                            f"{describe(a)}.")
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"{where} expected X and y with the same number of rows, got len(X)={len(X)} "
                         f"and len(y)={len(y)}; check that they come from the same data set.")
    val_frac = check_probability(val_frac, "val_frac", where)
    test_frac = check_probability(test_frac, "test_frac", where)
    if val_frac + test_frac >= 1:
        raise ValueError(f"{where} expected val_frac + test_frac < 1, got {val_frac} + {test_frac} = "
                         f"{val_frac + test_frac}; leave a share of the data for training.")
    N = len(X)
    n_val, n_test = (int(np.floor(frac * N + 0.5)) for frac in (val_frac, test_frac))  # half up
    if n_val + n_test >= N:
        raise ValueError(f"{where} got only {N} samples: with val_frac={val_frac} and test_frac="
                         f"{test_frac} none is left for training; use smaller fractions or more data.")
    if not stratify:
        order = rng.permutation(N)
        val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
        return X[train], y[train], X[val], y[val], X[test], y[test]
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{where}(stratify=True) expected y as integer class labels of shape (N,), got "
                        f"dtype {y.dtype} and shape {y.shape}; use stratify=False for regression targets.")
    groups = [rng.permutation(np.flatnonzero(y == c)) for c in np.unique(y)]
    sizes = np.array([len(g) for g in groups])
    val_sizes = _share(n_val, sizes)
    test_sizes = _share(n_test, sizes - val_sizes)
    cuts = [(g[:v], g[v:v + t], g[v + t:]) for g, v, t in zip(groups, val_sizes, test_sizes)]
    val, test, train = (rng.permutation(np.concatenate([cut[k] for cut in cuts])) for k in range(3))
    return X[train], y[train], X[val], y[val], X[test], y[test]


def load_digits(dtype=np.float64, normalize=True):
    """The 1,797 handwritten digits (8x8 pixels) shipped with nnlib: no download, no randomness.

    Parameters
    ----------
    dtype : numpy dtype, default float64
        dtype of ``X``.
    normalize : bool, default True
        Divide the pixel values, counts from 0 to 16, by 16 so that they lie in [0, 1].

    Returns
    -------
    X : ndarray of shape (1797, 64), one flattened image per row (row-major, 8 pixels per image row)
    y : ndarray of shape (1797,), int64 digit labels 0..9

    Source (UCI optdigits, Alpaydin and Kaynak, 1998) and licence (CC BY 4.0): ``nnlib/data/README.md``.
    """
    dtype = check_dtype(dtype, "dtype", "load_digits", kinds="biuf", want="a real dtype")
    if normalize and not np.issubdtype(dtype, np.floating):
        raise ValueError(f"load_digits(normalize=True) expected a floating dtype, got {dtype}; pass "
                         f"dtype=np.float32 or np.float64, or normalize=False for the raw counts 0..16.")
    path = resources.files(__package__) / "data" / "digits.npz"
    if not path.is_file():
        raise FileNotFoundError(f"load_digits could not find {path}; nnlib was installed without its data "
                                f"files: reinstall it with package data (*.npz) included.")
    with path.open("rb") as fh, np.load(fh) as data:
        images, target = data["images"], data["target"]
    X = images.reshape(len(images), -1).astype(dtype)
    if normalize:
        X = X / dtype.type(16)
    return X, target.astype(np.int64)


def standardize(X_train, *others):
    """Shift and scale each column to mean 0 and std 1, with the statistics of ``X_train`` only.

    Columns whose std is 0 in ``X_train`` (a pixel that is always blank, say) are only shifted.
    Each result keeps the floating dtype of its input.

    Parameters
    ----------
    X_train : array of shape (N, D)
    *others : arrays of shape (M, D)
        Validation or test inputs, transformed with the training mean and std.

    Returns
    -------
    The standardized ``X_train`` alone, or the tuple ``(X_train, *others)`` if others were given.

    >>> X_tr, X_te = standardize(np.array([[0.0], [2.0]]), np.array([[4.0]]))
    >>> X_tr.ravel().tolist(), X_te.ravel().tolist()
    ([-1.0, 1.0], [3.0])
    """
    X_train = as_2d_float(X_train, "X_train", "standardize", min_samples=1)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std == 0, 1, std).astype(X_train.dtype)
    out = [(X_train - mean) / std]
    for i, X in enumerate(others):
        X = as_2d_float(X, f"others[{i}]", "standardize")
        if X.shape[1] != X_train.shape[1]:
            raise ValueError(f"standardize expected others[{i}] with {X_train.shape[1]} columns like "
                             f"X_train, got shape {X.shape}; pass arrays with the same features.")
        out.append(((X - mean) / std).astype(X.dtype, copy=False))
    return tuple(out) if others else out[0]
