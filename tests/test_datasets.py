"""Tests for nnlib.datasets: shapes, exact sizes, determinism, geometry, splits, digits, errors."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib as nn
from nnlib import datasets as ds

GENERATORS = {
    "make_moons": (ds.make_moons, 2),
    "make_circles": (ds.make_circles, 2),
    "make_spirals": (ds.make_spirals, 3),
    "make_xor": (ds.make_xor, 2),
    "make_blobs": (ds.make_blobs, 3),
}
# Data facts of the bundled digits (UCI optdigits test set), computed once from scikit-learn 1.9.1.
DIGITS_CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
DIGITS_SHA256 = "8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3"
DIGITS_PIXEL_SUM = 561718
DIGITS_FIRST_IMAGE_TOP_ROW = [0, 0, 5, 13, 9, 1, 0, 0]


# ---------------------------------------------------------------- 2-D generators

@pytest.mark.parametrize("name", GENERATORS)
@pytest.mark.parametrize("n", [1, 2, 7, 99, 200, 301])
def test_generator_shapes_dtypes_and_exact_size(name, n):
    make, n_classes = GENERATORS[name]
    X, y = make(n, rng=nn.make_rng(0))
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))
    assert set(np.unique(y)) <= set(range(n_classes))


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_classes_balanced(name):
    make, n_classes = GENERATORS[name]
    for n in [30, 31, 101]:
        counts = np.bincount(make(n, rng=nn.make_rng(1))[1], minlength=n_classes)
        assert counts.sum() == n and len(counts) == n_classes
        assert counts.max() - counts.min() <= 1, counts


@pytest.mark.parametrize("make, kwargs, n, expected", [
    (ds.make_moons, {}, 7, [4, 3]),
    (ds.make_circles, {}, 9, [5, 4]),
    (ds.make_spirals, {"n_classes": 3}, 10, [4, 3, 3]),
    (ds.make_spirals, {"n_classes": 4}, 11, [3, 3, 3, 2]),
    (ds.make_xor, {}, 7, [4, 3]),
    (ds.make_blobs, {"n_classes": 4}, 11, [3, 3, 3, 2]),
])
def test_remainder_goes_to_first_classes(make, kwargs, n, expected):
    _, y = make(n, rng=nn.make_rng(2), **kwargs)
    assert np.bincount(y).tolist() == expected


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(name):
    make, _ = GENERATORS[name]
    X1, y1 = make(50, rng=nn.make_rng(7))
    X2, y2 = make(50, rng=nn.make_rng(7))
    X3, _ = make(50, rng=nn.make_rng(8))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)


@pytest.mark.parametrize("name", GENERATORS)
def test_rows_are_shuffled(name):
    _, y = GENERATORS[name][0](100, rng=nn.make_rng(3))
    assert np.any(np.diff(y) < 0), "labels come out sorted; rows should be shuffled"


def test_moons_noise_free_geometry():
    X, y = ds.make_moons(101, noise=0.0, rng=nn.make_rng(0))
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0, atol=1e-12)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0, atol=1e-12)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


@pytest.mark.parametrize("factor", [0.3, 0.5, 0.8])
def test_circles_radii_ratio_is_factor(factor):
    X, y = ds.make_circles(400, noise=0.0, factor=factor, rng=nn.make_rng(0))
    r = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(r[y == 0], 1.0, atol=1e-12)
    np.testing.assert_allclose(r[y == 1], factor, atol=1e-12)
    Xn, yn = ds.make_circles(2000, noise=0.02, factor=factor, rng=nn.make_rng(1))
    rn = np.linalg.norm(Xn, axis=1)
    assert rn[yn == 1].mean() / rn[yn == 0].mean() == pytest.approx(factor, abs=0.01)


def test_spirals_stay_in_unit_disc_with_evenly_spaced_radii():
    X, y = ds.make_spirals(301, n_classes=3, noise=0.5, rng=nn.make_rng(0))
    r = np.linalg.norm(X, axis=1)
    assert r.max() <= 1.0 + 1e-12
    for c in range(3):
        r_c = np.sort(r[y == c])
        np.testing.assert_allclose(r_c, np.linspace(0, 1, len(r_c)), atol=1e-12)


def test_spirals_noise_free_angle_grows_with_radius():
    X, y = ds.make_spirals(200, n_classes=4, noise=0.0, rng=nn.make_rng(0))
    r = np.linalg.norm(X, axis=1)
    theta = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * y / 4 + 4 * r
    keep = r > 1e-9  # the centre point of each arm has no angle
    np.testing.assert_allclose(np.cos(theta[keep] - expected[keep]), 1.0, atol=1e-12)


@pytest.mark.parametrize("noise", [0.0, 0.1])
def test_xor_labels_follow_sign_rule(noise):
    X, y = ds.make_xor(203, noise=noise, rng=nn.make_rng(0))
    np.testing.assert_array_equal(y, ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64))
    if noise == 0.0:
        assert set(map(tuple, X)) == {(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (-1.0, 1.0)}


def test_blobs_default_centres_on_circle_of_radius_3():
    X, y = ds.make_blobs(3000, n_classes=5, std=0.1, rng=nn.make_rng(0))
    means = np.array([X[y == c].mean(axis=0) for c in range(5)])
    np.testing.assert_allclose(np.linalg.norm(means, axis=1), 3.0, atol=0.02)
    angles = np.sort(np.mod(np.arctan2(means[:, 1], means[:, 0]), 2 * np.pi))
    np.testing.assert_allclose(np.diff(angles), 2 * np.pi / 5, atol=0.02)


def test_blobs_custom_centres_any_dimension():
    centers = np.array([[0.0, 0.0, 10.0], [5.0, -5.0, 0.0]])
    X, y = ds.make_blobs(1001, n_classes=2, std=0.05, centers=centers, rng=nn.make_rng(0))
    assert X.shape == (1001, 3) and X.dtype == np.float64
    for c in range(2):
        np.testing.assert_allclose(X[y == c].mean(axis=0), centers[c], atol=0.01)
        assert X[y == c].std(axis=0) == pytest.approx([0.05] * 3, rel=0.15)


# ---------------------------------------------------------------- 1-D regression

def test_regression_targets_are_exposed():
    assert set(ds.REGRESSION_TARGETS) == {"sine", "abs", "step", "sawtooth", "quadratic"}
    x = np.array([-1.5, -0.5, 0.5, 1.5, 2.0])
    f = ds.REGRESSION_TARGETS
    np.testing.assert_allclose(f["sawtooth"](x), [0.5, -0.5, 0.5, -0.5, 0.0])
    np.testing.assert_allclose(f["step"](x), [0, 0, 1, 1, 1])
    np.testing.assert_allclose(f["quadratic"](x), x ** 2)


@pytest.mark.parametrize("name", ["sine", "abs", "step", "sawtooth", "quadratic"])
def test_regression_noise_free_matches_target(name):
    X, y = ds.make_regression_1d(57, target=name, noise=0.0, x_range=(-2, 4), rng=nn.make_rng(0))
    assert X.shape == (57, 1) and y.shape == (57, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert np.all(np.diff(X[:, 0]) >= 0), "X should be sorted"
    assert X.min() >= -2 and X.max() < 4
    np.testing.assert_allclose(y[:, 0], ds.REGRESSION_TARGETS[name](X[:, 0]))


def test_regression_callable_target_and_noise_level():
    X, y = ds.make_regression_1d(5000, target=lambda x: 2 * x + 1, noise=0.3, rng=nn.make_rng(0))
    residual = y[:, 0] - (2 * X[:, 0] + 1)
    assert residual.std() == pytest.approx(0.3, rel=0.05)
    assert abs(residual.mean()) < 0.03


def test_regression_is_deterministic():
    a = ds.make_regression_1d(20, rng=nn.make_rng(5))
    b = ds.make_regression_1d(20, rng=nn.make_rng(5))
    c = ds.make_regression_1d(20, rng=nn.make_rng(6))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.allclose(a[0], c[0])


# ---------------------------------------------------------------- splitting

def _ids(X):
    return X[:, 0].astype(int).tolist()


def test_split_sizes_and_partition():
    N = 103
    X = np.column_stack([np.arange(N), np.arange(N) * 10.0])
    y = np.arange(N) % 4
    X_tr, y_tr, X_va, y_va, X_te, y_te = ds.train_val_test_split(X, y, 0.2, 0.1, rng=nn.make_rng(0))
    assert (len(X_tr), len(X_va), len(X_te)) == (72, 21, 10)
    assert sorted(_ids(X_tr) + _ids(X_va) + _ids(X_te)) == list(range(N))
    for Xs, ys in [(X_tr, y_tr), (X_va, y_va), (X_te, y_te)]:
        np.testing.assert_array_equal(ys, Xs[:, 0].astype(int) % 4)  # rows stay paired
    assert _ids(X_te) != sorted(_ids(X_te)), "test rows should be shuffled"


@pytest.mark.parametrize("N, val_frac, test_frac, sizes", [
    (10, 0.25, 0.05, (6, 3, 1)),  # 2.5 and 0.5 round half up
    (10, 0.2, 0.2, (6, 2, 2)),
    (7, 0.3, 0.1, (4, 2, 1)),
])
def test_split_sizes_round_half_up(N, val_frac, test_frac, sizes):
    X, y = np.arange(N * 1.0)[:, None], np.arange(N)
    X_tr, _, X_va, _, X_te, _ = ds.train_val_test_split(X, y, val_frac, test_frac, rng=nn.make_rng(0))
    assert (len(X_tr), len(X_va), len(X_te)) == sizes


def test_split_is_deterministic_and_seed_dependent():
    X, y = np.arange(50.0)[:, None], np.arange(50) % 2
    a = ds.train_val_test_split(X, y, rng=nn.make_rng(1))
    b = ds.train_val_test_split(X, y, rng=nn.make_rng(1))
    c = ds.train_val_test_split(X, y, rng=nn.make_rng(2))
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert _ids(a[0]) != _ids(c[0])


def test_split_zero_fractions_keep_everything_for_training():
    X, y = np.arange(10.0)[:, None], np.arange(10)
    X_tr, _, X_va, _, X_te, _ = ds.train_val_test_split(X, y, 0.0, 0.0, rng=nn.make_rng(0))
    assert (len(X_tr), len(X_va), len(X_te)) == (10, 0, 0)
    assert X_va.shape == (0, 1)


def test_stratified_split_keeps_proportions():
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X = np.arange(100.0)[:, None]
    _, y_tr, _, y_va, _, y_te = ds.train_val_test_split(X, y, 0.2, 0.2, rng=nn.make_rng(0), stratify=True)
    assert np.bincount(y_va).tolist() == [12, 6, 2]
    assert np.bincount(y_te).tolist() == [12, 6, 2]
    assert np.bincount(y_tr).tolist() == [36, 18, 6]


def test_stratified_split_rare_class_reaches_every_set():
    y = np.repeat([0, 1], [95, 5])
    X = np.arange(100.0)[:, None]
    hits = 0
    for seed in range(20):
        _, y_tr, _, y_va, _, y_te = ds.train_val_test_split(X, y, 0.2, 0.2, rng=nn.make_rng(seed),
                                                            stratify=True)
        hits += int((y_va == 1).sum() == 1 and (y_te == 1).sum() == 1 and (y_tr == 1).sum() == 3)
    assert hits == 20


@settings(max_examples=200, deadline=None)
@given(N=st.integers(1, 300), val_frac=st.floats(0, 0.6), test_frac=st.floats(0, 0.6),
       n_classes=st.integers(1, 6), stratify=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_split_property_sizes_sum_to_n(N, val_frac, test_frac, n_classes, stratify, seed):
    if val_frac + test_frac >= 1:
        return
    X = np.arange(N)[:, None]
    y = nn.make_rng(seed).integers(0, n_classes, N)
    n_val, n_test = (int(np.floor(f * N + 0.5)) for f in (val_frac, test_frac))
    if n_val + n_test >= N:
        with pytest.raises(ValueError, match="none is left for training"):
            ds.train_val_test_split(X, y, val_frac, test_frac, rng=nn.make_rng(seed), stratify=stratify)
        return
    X_tr, y_tr, X_va, y_va, X_te, y_te = ds.train_val_test_split(
        X, y, val_frac, test_frac, rng=nn.make_rng(seed), stratify=stratify)
    assert (len(X_va), len(X_te), len(X_tr)) == (n_val, n_test, N - n_val - n_test)
    assert len(y_tr) + len(y_va) + len(y_te) == N
    assert sorted(_ids(X_tr) + _ids(X_va) + _ids(X_te)) == list(range(N))
    if stratify:
        for ys, frac in [(y_va, val_frac), (y_te, test_frac), (y_tr, 1 - val_frac - test_frac)]:
            for c in np.unique(y):
                assert abs((ys == c).sum() - frac * (y == c).sum()) < 2


# ---------------------------------------------------------------- digits

def test_load_digits_shape_range_and_class_counts():
    X, y = ds.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == DIGITS_CLASS_COUNTS


def test_load_digits_raw_values_match_known_data():
    X, y = ds.load_digits(dtype=np.uint8, normalize=False)
    assert X.dtype == np.uint8 and X.max() == 16
    assert int(X.sum(dtype=np.int64)) == DIGITS_PIXEL_SUM
    assert hashlib.sha256(X.tobytes()).hexdigest() == DIGITS_SHA256
    assert X[0, :8].tolist() == DIGITS_FIRST_IMAGE_TOP_ROW and y[:10].tolist() == list(range(10))
    Xf, _ = ds.load_digits()
    np.testing.assert_array_equal(Xf * 16, X)


def test_load_digits_float32_and_is_repeatable():
    X, _ = ds.load_digits(dtype=np.float32)
    assert X.dtype == np.float32 and X.max() == 1.0
    np.testing.assert_array_equal(ds.load_digits()[0], ds.load_digits()[0])


def test_digits_file_is_small_and_documented():
    data_dir = Path(ds.__file__).parent / "data"
    assert (data_dir / "digits.npz").stat().st_size < 100_000
    readme = (data_dir / "README.md").read_text()
    assert "CC BY 4.0" in readme and "10.24432/C50P49" in readme


def test_load_digits_needs_no_network_and_no_sklearn():
    code = (
        "import socket, sys\n"
        "def boom(*a, **k): raise RuntimeError('network access attempted')\n"
        "socket.socket = boom; socket.create_connection = boom; socket.getaddrinfo = boom\n"
        "sys.modules['sklearn'] = None  # any 'import sklearn' now fails\n"
        "import nnlib\n"
        "X, y = nnlib.datasets.load_digits()\n"
        "assert X.shape == (1797, 64), X.shape\n"
        "assert sys.modules['sklearn'] is None\n"
    )
    root = str(Path(nn.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root)
    assert result.returncode == 0, result.stderr
    ds.load_digits()
    assert "sklearn" not in sys.modules


# ---------------------------------------------------------------- standardize

def test_standardize_uses_training_statistics():
    rng = nn.make_rng(0)
    X_tr = rng.normal(5.0, 3.0, (200, 4))
    X_te = rng.normal(5.0, 3.0, (50, 4))
    Z_tr, Z_te = ds.standardize(X_tr, X_te)
    np.testing.assert_allclose(Z_tr.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z_tr.std(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(Z_te, (X_te - X_tr.mean(axis=0)) / X_tr.std(axis=0))


def test_standardize_constant_column_and_dtype():
    X = np.array([[1.0, 7.0], [3.0, 7.0]], dtype=np.float32)
    Z = ds.standardize(X)
    assert isinstance(Z, np.ndarray) and Z.dtype == np.float32
    np.testing.assert_array_equal(Z, [[-1.0, 0.0], [1.0, 0.0]])
    Z_tr, Z_other = ds.standardize(X, np.array([[2.0, 8.0]], dtype=np.float32))
    assert Z_other.dtype == np.float32
    np.testing.assert_array_equal(Z_other, [[0.0, 1.0]])


def test_standardize_digits_has_no_nan():
    X, _ = ds.load_digits()
    assert np.all(np.isfinite(ds.standardize(X)))


# ---------------------------------------------------------------- validation errors

@pytest.mark.parametrize("name", GENERATORS)
def test_generators_require_rng(name):
    make, _ = GENERATORS[name]
    with pytest.raises(TypeError, match=rf"{name} expected rng to be a numpy.random.Generator, got nothing"):
        make(10)
    with pytest.raises(TypeError, match=r"got int; pass rng=nn.make_rng\(0\)"):
        make(10, rng=0)


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_reject_bad_n_samples_and_noise(name):
    make, _ = GENERATORS[name]
    with pytest.raises(ValueError, match=rf"{name} expected n_samples >= 1, got 0"):
        make(0, rng=nn.make_rng(0))
    with pytest.raises(TypeError, match=r"expected n_samples to be an int >= 1, got float \(2.5\)"):
        make(2.5, rng=nn.make_rng(0))
    noise_name = "std" if name == "make_blobs" else "noise"
    with pytest.raises(ValueError, match=rf"{name} expected {noise_name} >= 0, got -0.1"):
        make(10, **{noise_name: -0.1}, rng=nn.make_rng(0))


def test_other_generator_argument_errors():
    rng = nn.make_rng(0)
    with pytest.raises(ValueError, match=r"make_circles expected factor in \(0, 1\), got 1"):
        ds.make_circles(10, factor=1, rng=rng)
    with pytest.raises(ValueError, match=r"make_spirals expected n_classes >= 1, got 0"):
        ds.make_spirals(10, n_classes=0, rng=rng)
    with pytest.raises(ValueError, match=r"centers of shape \(n_classes, D\) = \(3, D\), got shape \(2, 2\); "
                                         r"pass n_classes=len\(centers\)"):
        ds.make_blobs(10, centers=[[0, 0], [1, 1]], rng=rng)
    with pytest.raises(ValueError, match=r"make_blobs expected centers as a 2-D array"):
        ds.make_blobs(10, n_classes=2, centers=[0.0, 1.0], rng=rng)


def test_regression_errors():
    rng = nn.make_rng(0)
    with pytest.raises(TypeError, match="make_regression_1d expected rng"):
        ds.make_regression_1d(10)
    with pytest.raises(ValueError, match=r"unknown target 'cosine'; use one of \['abs', 'quadratic', "
                                         r"'sawtooth', 'sine', 'step'\]"):
        ds.make_regression_1d(10, target="cosine", rng=rng)
    with pytest.raises(TypeError, match="expected target to be a name or a callable, got int"):
        ds.make_regression_1d(10, target=3, rng=rng)
    with pytest.raises(ValueError, match=r"expected x_range as \(low, high\) with finite low < high, "
                                         r"got \(3, -3\)"):
        ds.make_regression_1d(10, x_range=(3, -3), rng=rng)
    with pytest.raises(ValueError, match=r"expected target\(x\) to return 10 values .* got shape \(\)"):
        ds.make_regression_1d(10, target=lambda x: 1.0, rng=rng)
    with pytest.raises(ValueError, match=r"make_regression_1d expected n_samples >= 1, got 0"):
        ds.make_regression_1d(0, rng=rng)


def test_split_errors():
    X, y = np.zeros((10, 2)), np.zeros(10, dtype=int)
    rng = nn.make_rng(0)
    with pytest.raises(TypeError, match="train_val_test_split expected rng to be a numpy.random.Generator"):
        ds.train_val_test_split(X, y)
    with pytest.raises(ValueError, match=r"expected val_frac in \[0, 1\), got 1.0"):
        ds.train_val_test_split(X, y, val_frac=1.0, rng=rng)
    with pytest.raises(ValueError, match=r"expected test_frac in \[0, 1\), got -0.1"):
        ds.train_val_test_split(X, y, test_frac=-0.1, rng=rng)
    with pytest.raises(ValueError, match=r"expected val_frac \+ test_frac < 1, got 0.6 \+ 0.5"):
        ds.train_val_test_split(X, y, 0.6, 0.5, rng=rng)
    with pytest.raises(ValueError, match=r"same number of rows, got len\(X\)=10 and len\(y\)=9"):
        ds.train_val_test_split(X, y[:9], rng=rng)
    with pytest.raises(ValueError, match="got only 2 samples.*none is left for training"):
        ds.train_val_test_split(X[:2], y[:2], 0.3, 0.3, rng=rng)
    with pytest.raises(TypeError, match=r"stratify=True\) expected y as integer class labels "
                                        r".* got dtype float64"):
        ds.train_val_test_split(X, np.linspace(0, 1, 10), rng=rng, stratify=True)


def test_digits_and_standardize_errors():
    with pytest.raises(ValueError, match=r"load_digits\(normalize=True\) expected a floating dtype, "
                                         r"got int64"):
        ds.load_digits(dtype=np.int64)
    with pytest.raises(ValueError, match=r"standardize expected others\[0\] with 2 columns like X_train, "
                                         r"got shape \(3, 3\)"):
        ds.standardize(np.zeros((4, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"standardize expected X_train as a 2-D array"):
        ds.standardize(np.zeros(4))
