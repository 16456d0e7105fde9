import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib as nn
from nnlib.gradcheck import check_layer, check_model, numerical_gradient, rel_error


ACTIVATIONS = [nn.Sigmoid, nn.Tanh, nn.ReLU, lambda: nn.LeakyReLU(0.1), nn.Identity]


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**31))
def test_dense_gradcheck_random_shapes(N, D, H, seed):
    rng = nn.make_rng(seed)
    report = check_layer(nn.Dense(D, H, rng=rng), rng.standard_normal((N, D)), rng)
    assert report.passed, report


@pytest.mark.parametrize("make", ACTIVATIONS)
def test_activation_gradcheck(make, rng):
    X = rng.standard_normal((7, 5))
    X[np.abs(X) < 1e-3] = 0.5  # stay off the ReLU kink
    report = check_layer(make(), X, rng)
    assert report.passed, report


def test_dropout_gradcheck_with_fixed_mask(rng):
    layer = nn.Dropout(p_drop=0.3, rng=nn.make_rng(5))
    X = rng.standard_normal((6, 4))
    R = rng.standard_normal((6, 4))

    def f():
        layer.rng = nn.make_rng(5)  # the same mask at every call
        return float(np.sum(layer.forward(X) * R))

    f()
    dX = layer.backward(R)
    assert rel_error(dX, numerical_gradient(f, X)) < 1e-7


def test_model_gradcheck_all_losses(rng):
    model = nn.mlp([4, 6, 5, 3], activation=nn.Sigmoid, rng=rng)
    X = rng.standard_normal((8, 4))
    assert check_model(model, nn.SoftmaxCrossEntropy(), X, rng.integers(0, 3, 8)).passed
    assert check_model(model, nn.MSELoss(), X, rng.standard_normal((8, 3))).passed


def test_gradcheck_detects_a_wrong_backward(rng):
    class BadTanh(nn.Tanh):
        def _df(self, X, out):
            return 1 - out  # forgot the square

    report = check_layer(BadTanh(), rng.standard_normal((4, 3)), rng)
    assert not report.passed and report.errors["X"] > 1e-2
    assert "WRONG" in repr(report)


def test_check_model_refuses_active_dropout_unless_its_mask_is_frozen(rng):
    model = nn.Sequential([nn.Dense(2, 3, rng=rng), nn.Dropout(0.5, rng=rng), nn.Dense(3, 2, rng=rng)])
    with pytest.raises(ValueError, match=r"training mode.*freeze_mask\(\)"):
        check_model(model, nn.SoftmaxCrossEntropy(), np.ones((2, 2)), [0, 1])
    assert check_model(model.eval(), nn.SoftmaxCrossEntropy(), np.ones((2, 2)), [0, 1]).passed
    model.train()
    model[1].freeze_mask()                           # the training pass, one thinned network
    X = rng.standard_normal((5, 2))
    report = check_model(model, nn.SoftmaxCrossEntropy(), X, rng.integers(0, 2, 5))
    assert report.passed, report


def test_a_frozen_mask_is_reused_and_unfrozen_draws_again(rng):
    layer = nn.Dropout(0.5, rng=nn.make_rng(3))
    X = np.ones((20, 10))
    with pytest.raises(ValueError, match="freeze_mask"):
        check_layer(layer, X, rng)
    layer.freeze_mask()
    first = layer.forward(X)                         # no mask yet: one is drawn and kept
    assert np.array_equal(layer.forward(X), first) and "frozen mask" in repr(layer)
    assert check_layer(layer, X, rng).passed
    assert layer.forward(np.ones((4, 10))).shape == (4, 10)   # another shape: a new mask
    layer.freeze_mask(False)
    a, b = layer.forward(X), layer.forward(X)
    assert not np.array_equal(a, b)
    with pytest.raises(TypeError, match="frozen"):
        layer.freeze_mask("yes")


def test_a_wrong_dropout_backward_fails_the_frozen_check(rng):
    class ForgetsTheScale(nn.Dropout):               # a classic slip: mask, but no 1 / (1 - p)
        def _backward(self, dout, input_grad=True):
            return dout * (self._cache != 0)

    layer = ForgetsTheScale(0.4, rng=nn.make_rng(1)).freeze_mask()
    report = check_layer(layer, rng.standard_normal((8, 5)), rng)
    assert not report.passed and report.errors["X"] > 1e-2


def test_grads_accumulate_until_zero_grad(rng):
    layer = nn.Dense(3, 2, rng=rng)
    X, d = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    layer.forward(X)
    layer.backward(d)
    once = layer.grads["W"].copy()
    layer.forward(X)
    layer.backward(d)
    assert np.allclose(layer.grads["W"], 2 * once)
    layer.zero_grad()
    assert not layer.grads["W"].any()


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 0.9), st.integers(0, 2**31))
def test_inverted_dropout_keeps_expected_value(p_drop, seed):
    layer = nn.Dropout(p_drop=p_drop, rng=nn.make_rng(seed))
    X = np.ones((400, 250))
    out = layer.forward(X)
    kept = out != 0
    assert np.allclose(out[kept], 1 / (1 - p_drop))
    # mean of 100k Bernoulli draws / keep: standard error sqrt(p/(1-p)/1e5) <= 0.01
    assert abs(out.mean() - 1) < 0.05
    assert abs((~kept).mean() - p_drop) < 0.02


def test_dropout_is_identity_in_eval_mode(rng):
    layer = nn.Dropout(p_drop=0.5, rng=rng).eval()
    X = rng.standard_normal((5, 5))
    assert np.array_equal(layer.forward(X), X)
    assert np.array_equal(layer.backward(X), X)


def test_train_eval_switch_whole_model(rng):
    model = nn.Sequential([nn.Dense(2, 3, rng=rng), nn.Dropout(0.5, rng=rng)])
    model.eval()
    assert not model.training and not model[1].training
    model.train()
    assert model[1].training


def test_summary_and_named_parameters(rng):
    model = nn.mlp([2, 16, 3], activation=nn.ReLU, rng=rng)
    names = [n for n, _, _ in model.named_parameters()]
    assert names == ["0.W", "0.b", "2.W", "2.b"]
    assert model.num_parameters() == 2 * 16 + 16 + 16 * 3 + 3
    s = model.summary()
    assert "Dense(2, 16" in s and s.strip().endswith(str(model.num_parameters()))


def test_get_set_weights_roundtrip(rng):
    model = nn.mlp([2, 4, 2], activation=nn.Tanh, rng=rng)
    snap = model.get_weights()
    for _, p, _ in model.named_parameters():
        p += 1
    model.set_weights(snap)
    assert all(np.array_equal(p, snap[n]) for n, p, _ in model.named_parameters())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_kept_end_to_end(dtype, rng):
    model = nn.mlp([3, 5, 4], activation=nn.Sigmoid, rng=rng, dtype=dtype)
    model.layers.insert(2, nn.Dropout(0.2, rng=rng))
    model = nn.Sequential(model.layers)
    X = rng.standard_normal((6, 3)).astype(dtype)
    out = model.forward(X)
    loss_fn = nn.SoftmaxCrossEntropy()
    loss_fn(out, rng.integers(0, 4, 6))
    dX = model.backward(loss_fn.backward())
    assert out.dtype == dtype and dX.dtype == dtype
    for layer in model.layers:
        cache = layer._cache
        arrays = cache if isinstance(cache, tuple) else (cache,)
        assert all(a.dtype == dtype for a in arrays if isinstance(a, np.ndarray))
    for name, p, g in model.named_parameters():
        assert p.dtype == dtype and g.dtype == dtype, name
    for opt in (nn.optim.SGD(0.1, momentum=0.9, nesterov=True), nn.optim.AdaGrad(0.1),
                nn.optim.RMSProp(0.1), nn.optim.Adam(0.1)):
        opt.step(model)
        assert all(p.dtype == dtype for _, p, _ in model.named_parameters())
    hist = nn.fit(model, loss_fn, nn.optim.Adam(0.01), X, rng.integers(0, 4, 6), epochs=2,
                  batch_size=3, rng=rng, l2=1e-3, l1=1e-3)
    assert all(p.dtype == dtype for _, p, _ in model.named_parameters())
    assert len(hist.train_loss) == 2


@pytest.mark.parametrize("init", [nn.init.uniform, nn.init.glorot_uniform, nn.init.glorot_normal,
                                  nn.init.he_uniform, nn.init.he_normal])
def test_inits_with_float32(init, rng):
    assert nn.Dense(4, 3, init=init, rng=rng, dtype=np.float32).params["W"].dtype == np.float32


@pytest.mark.parametrize("leading", [[], [nn.Identity()],
                                     [nn.Sequential([nn.Dense(3, 3, rng=nn.make_rng(2))])]])
def test_backward_without_input_grad_gives_the_same_parameter_grads(leading):
    rng = nn.make_rng(0)
    model = nn.Sequential(leading + [nn.Dense(3, 4, rng=rng), nn.Tanh(), nn.Dense(4, 2, rng=rng)])
    X, dout = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    model.forward(X)
    dX = model.backward(dout)
    full = {name: g.copy() for name, _, g in model.named_parameters()}
    model.zero_grad()
    model.forward(X)
    assert model.backward(dout, input_grad=False) is None
    assert dX.shape == X.shape
    for name, _, g in model.named_parameters():
        np.testing.assert_array_equal(g, full[name], err_msg=name)
