import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib as nn

fans = st.integers(1, 300)


@settings(max_examples=25, deadline=None)
@given(fans, fans, st.integers(0, 2**31))
def test_glorot_uniform_bound_is_the_papers(n_in, n_out, seed):
    W = nn.init.glorot_uniform(n_in, n_out, nn.make_rng(seed))
    a = np.sqrt(6 / (n_in + n_out))  # Glorot & Bengio (2010), eq. 16
    assert W.shape == (n_in, n_out)
    assert np.all(np.abs(W) <= a)


@settings(max_examples=25, deadline=None)
@given(fans, fans, st.integers(0, 2**31))
def test_he_uniform_bound(n_in, n_out, seed):
    W = nn.init.he_uniform(n_in, n_out, nn.make_rng(seed))
    assert np.all(np.abs(W) <= np.sqrt(6 / n_in))


@pytest.mark.parametrize("init, var", [
    (nn.init.glorot_uniform, lambda i, o: 2 / (i + o)),
    (nn.init.glorot_normal, lambda i, o: 2 / (i + o)),
    (nn.init.he_uniform, lambda i, o: 2 / i),
    (nn.init.he_normal, lambda i, o: 2 / i),
    (nn.init.uniform, lambda i, o: 1 / 3),
])
@pytest.mark.parametrize("n_in, n_out", [(400, 100), (100, 700)])
def test_variances(init, var, n_in, n_out):
    W = init(n_in, n_out, nn.make_rng(0))
    # relative standard error of a sample variance with 40k+ draws is below 1%
    assert W.var() == pytest.approx(var(n_in, n_out), rel=0.03)
    assert abs(W.mean()) < 0.01 * np.sqrt(var(n_in, n_out)) * 10


def test_uniform_default_range_and_symmetric_inits():
    W = nn.init.uniform(50, 50, nn.make_rng(1))
    assert -1 <= W.min() < -0.95 and 0.95 < W.max() <= 1
    assert not nn.init.zeros(3, 2).any()
    assert np.all(nn.init.constant(3, 2, value=0.7) == 0.7)


def test_same_seed_same_weights():
    a = nn.Dense(5, 4, init=nn.init.he_normal, rng=nn.make_rng(3)).params["W"]
    b = nn.Dense(5, 4, init=nn.init.he_normal, rng=nn.make_rng(3)).params["W"]
    c = nn.Dense(5, 4, init=nn.init.he_normal, rng=nn.make_rng(4)).params["W"]
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_init_errors():
    with pytest.raises(TypeError, match="rng to be a numpy.random.Generator.*make_rng"):
        nn.init.he_normal(3, 2, None)
    with pytest.raises(ValueError, match="n_in >= 1, got 0"):
        nn.init.glorot_uniform(0, 2, nn.make_rng(0))
    with pytest.raises(ValueError, match="low < high"):
        nn.init.uniform(2, 2, nn.make_rng(0), low=1, high=1)
