import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnlib as nn
from nnlib.gradcheck import numerical_gradient, rel_error

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 7)), elements=finite))
def test_softmax_rows_sum_to_one_and_are_positive(z):
    p = nn.softmax(z)
    assert p.shape == z.shape
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.all(p >= 0)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 6)), elements=finite),
       st.floats(-1e4, 1e4))
def test_softmax_is_shift_invariant(z, c):
    assert np.allclose(nn.softmax(z), nn.softmax(z + c), atol=1e-12)


def test_softmax_axis0_normalizes_columns():
    z = np.arange(6.0).reshape(2, 3)
    assert np.allclose(nn.softmax(z, axis=0).sum(axis=0), 1)


def test_large_logits_exact_and_warning_free():
    z = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            p = nn.softmax(z)
            lp = nn.log_softmax(z)
            loss = nn.SoftmaxCrossEntropy()(z, np.array([2, 0]))
    assert np.allclose(p[0], [1, 0, 0]) and np.allclose(p[1], 1 / 3)
    assert lp[0, 2] == pytest.approx(-2e4) and lp[0, 0] == pytest.approx(0.0)
    assert loss == pytest.approx((2e4 + np.log(3)) / 2)


def test_sigmoid_no_overflow_and_symmetry():
    x = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = nn.sigmoid(x)
    assert s[3] == 0.5 and s[0] == 0.0 and s[-1] == 1.0
    assert np.allclose(s + s[::-1], 1.0)
    assert np.allclose(nn.sigmoid(np.array([2.0])), 1 / (1 + np.exp(-2.0)))


@pytest.mark.parametrize("f, df", [(nn.sigmoid, nn.sigmoid_grad), (nn.tanh, nn.tanh_grad),
                                   (nn.relu, nn.relu_grad), (nn.leaky_relu, nn.leaky_relu_grad)])
def test_derivatives_match_finite_differences(f, df, rng):
    x = rng.standard_normal(50) * 3
    x = x[np.abs(x) > 1e-3]  # keep away from the kink of (leaky) ReLU
    num = np.array([(f(xi + 1e-6) - f(xi - 1e-6)) / 2e-6 for xi in x])
    assert rel_error(df(x), num) < 1e-8


def test_activation_facts():
    x = np.linspace(-10, 10, 2001)
    assert nn.sigmoid_grad(x).max() == pytest.approx(0.25)
    assert nn.tanh_grad(x).max() == pytest.approx(1.0)
    assert set(np.unique(nn.relu_grad(x))) == {0.0, 1.0}
    assert nn.relu_grad(np.array(0.0)) == 0.0
    assert np.allclose(nn.leaky_relu_grad(np.array([-1.0, 1.0]), alpha=0.1), [0.1, 1.0])


def test_entropy_and_cross_entropy():
    assert nn.entropy(np.array([0.5, 0.5]), base=2) == pytest.approx(1.0)
    assert nn.entropy(np.array([1.0, 0.0])) == 0.0
    assert not np.signbit(nn.entropy(np.array([1.0, 0.0])))  # prints as 0, not -0
    p = np.array([0.2, 0.3, 0.5])
    q = np.array([0.1, 0.6, 0.3])
    assert nn.cross_entropy(p, p) == pytest.approx(nn.entropy(p))
    assert nn.cross_entropy(p, q) > nn.entropy(p)  # Gibbs' inequality
    assert nn.cross_entropy(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == np.inf
    with pytest.raises(ValueError, match="same shape"):
        nn.cross_entropy(p, q[:2])


def test_one_hot_and_label_errors():
    Y = nn.one_hot([0, 2, 1], 3)
    assert np.array_equal(Y, np.eye(3)[[0, 2, 1]])
    with pytest.raises(ValueError, match=r"labels in 0\.\.2 .*got label 3"):
        nn.one_hot([0, 3], 3)


def test_float32_kept():
    z = np.ones((2, 3), dtype=np.float32)
    for f in (nn.softmax, nn.log_softmax, nn.sigmoid, nn.tanh, nn.relu, nn.leaky_relu,
              nn.sigmoid_grad, nn.tanh_grad, nn.relu_grad, nn.leaky_relu_grad):
        assert f(z).dtype == np.float32, f.__name__


def test_numerical_gradient_of_quadratic():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    x = np.array([0.5, -1.0])
    g = numerical_gradient(lambda: 0.5 * x @ A @ x, x)
    assert rel_error(g, A @ x) < 1e-9
    assert np.array_equal(x, [0.5, -1.0])  # restored


def test_numerical_gradient_errors():
    with pytest.raises(TypeError, match="floating numpy array"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="h > 0"):
        numerical_gradient(lambda: 0.0, np.zeros(2), h=0)
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.zeros(2), np.zeros(3))
