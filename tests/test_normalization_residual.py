"""BatchNorm, Residual, gradient clipping and per-layer gradient norms: gradient-checked, and doing
what the papers say (Ioffe & Szegedy 2015 Alg. 1-2; He et al. 2016; Pascanu et al. 2013 Alg. 1)."""

import numpy as np
import pytest

import nnlib as nn
from nnlib.gradcheck import check_layer, check_model


@pytest.fixture
def rng():
    return nn.make_rng(0)


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradcheck(training, rng):
    layer = nn.BatchNorm(5)
    layer.params["gamma"][:] = rng.uniform(0.5, 2, 5)
    layer.params["beta"][:] = rng.normal(size=5)
    X = rng.normal(3, 2, size=(7, 5))
    layer.forward(X)  # some running statistics
    layer.train(training)
    report = check_layer(layer, X, rng)
    assert report.passed, report


def test_batchnorm_normalizes_each_feature_over_the_batch_and_tracks_running_statistics(rng):
    layer = nn.BatchNorm(3, momentum=0.5)
    X = rng.normal([1.0, -2.0, 5.0], [0.5, 2.0, 3.0], size=(200, 3))
    Y = layer.forward(X)
    np.testing.assert_allclose(Y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Y.std(axis=0), 1, atol=1e-4)
    np.testing.assert_allclose(layer.running_mean, 0.5 * X.mean(axis=0))
    np.testing.assert_allclose(layer.running_var, 0.5 + 0.5 * X.var(axis=0, ddof=1))
    for _ in range(60):
        layer.forward(X)
    layer.eval()
    one = layer.forward(X[:1])  # evaluation: one example, no batch statistics
    np.testing.assert_allclose(one, (X[:1] - X.mean(0)) / np.sqrt(X.var(0, ddof=1) + 1e-5), rtol=1e-6)


def test_batchnorm_training_output_depends_on_the_batch_evaluation_output_does_not(rng):
    layer = nn.BatchNorm(2)
    X = rng.normal(size=(10, 2))
    a = layer.forward(X)[:5]
    b = layer.forward(X[:5])
    assert not np.allclose(a, b)
    layer.eval()
    np.testing.assert_allclose(layer.forward(X)[:5], layer.forward(X[:5]))


def test_residual_gradcheck_and_identity_path(rng):
    block = nn.Sequential([nn.Dense(4, 4, rng=rng), nn.Tanh(), nn.Dense(4, 4, rng=rng)])
    layer = nn.Residual(block)
    X = rng.normal(size=(6, 4))
    assert check_layer(layer, X, rng).passed
    np.testing.assert_allclose(layer.forward(X), X + block.forward(X))
    for _, p, _ in block.named_parameters():  # a block that outputs 0: the layer is the identity
        p[...] = 0
    layer.forward(X)
    np.testing.assert_allclose(layer.backward(np.ones((6, 4))), np.ones((6, 4)))


def test_residual_parameters_are_the_blocks_and_the_optimizer_updates_them(rng):
    block = nn.Sequential([nn.Dense(3, 3, rng=rng), nn.ReLU()])
    model = nn.Sequential([nn.Dense(2, 3, rng=rng), nn.Residual(block), nn.Dense(3, 2, rng=rng)])
    names = [n for n, _, _ in model.named_parameters()]
    assert names == ["0.W", "0.b", "1.0.W", "1.0.b", "2.W", "2.b"]
    before = block.layers[0].params["W"].copy()
    X, y = rng.normal(size=(8, 2)), rng.integers(0, 2, 8)
    nn.fit(model, nn.SoftmaxCrossEntropy(), nn.optim.SGD(lr=0.5), X, y, epochs=3, batch_size=None)
    assert not np.allclose(block.layers[0].params["W"], before)
    assert check_model(model, nn.SoftmaxCrossEntropy(), X, y).passed


def test_a_network_with_batchnorm_and_residual_blocks_passes_the_model_check(rng):
    model = nn.Sequential(
        [
            nn.Dense(3, 5, rng=rng),
            nn.BatchNorm(5),
            nn.Tanh(),
            nn.Residual(nn.Sequential([nn.Dense(5, 5, rng=rng), nn.BatchNorm(5), nn.Tanh()])),
            nn.Dense(5, 2, rng=rng),
        ]
    )
    X, y = rng.normal(size=(9, 3)), rng.integers(0, 2, 9)
    report = check_model(model, nn.SoftmaxCrossEntropy(), X, y)
    # a bias right before batch norm has an exactly zero gradient (the batch mean removes it;
    # Ioffe & Szegedy §3.2): relative error is meaningless there, the absolute gradient is 0
    for name, _, g in model.named_parameters():
        if name in ("0.b", "3.0.b"):
            assert np.abs(g).max() < 1e-12
        else:
            assert report.errors[name] < 1e-6, (name, report)


def test_check_model_finds_dropout_inside_a_residual_block(rng):
    model = nn.Sequential(
        [
            nn.Dense(2, 3, rng=rng),
            nn.Residual(nn.Sequential([nn.Dense(3, 3, rng=rng), nn.Dropout(0.5, rng=rng)])),
            nn.Dense(3, 2, rng=rng),
        ]
    )
    with pytest.raises(ValueError, match="freeze_mask"):
        check_model(model, nn.SoftmaxCrossEntropy(), rng.normal(size=(4, 2)), np.array([0, 1, 0, 1]))
    probs = nn.mc_dropout_predict(model, rng.normal(size=(4, 2)), 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1)


def test_clip_grad_norm_rescales_the_global_norm_and_keeps_the_direction(rng):
    model = nn.mlp([3, 4, 2], rng=rng)
    for _, _, g in model.named_parameters():
        g[...] = rng.normal(size=g.shape)
    before = np.concatenate([g.ravel() for _, _, g in model.named_parameters()])
    norm = nn.optim.clip_grad_norm(model, 1.0)
    after = np.concatenate([g.ravel() for _, _, g in model.named_parameters()])
    assert norm == pytest.approx(np.linalg.norm(before))
    assert np.linalg.norm(after) == pytest.approx(1.0)
    np.testing.assert_allclose(after, before / np.linalg.norm(before))
    assert nn.optim.clip_grad_norm(model, 10.0) == pytest.approx(1.0)  # below the threshold: unchanged
    np.testing.assert_allclose(np.concatenate([g.ravel() for _, _, g in model.named_parameters()]), after)


def test_fit_with_clip_norm_never_steps_further_than_lr_times_the_threshold(rng):
    model = nn.mlp([2, 8, 2], rng=rng)
    X, y = 100 * rng.normal(size=(16, 2)), rng.integers(0, 2, 16)  # huge inputs, huge gradients
    steps = []

    def record(epoch, history, net):
        steps.append(net.get_weights())

    steps.append(model.get_weights())
    nn.fit(
        model,
        nn.SoftmaxCrossEntropy(),
        nn.optim.SGD(lr=0.1),
        X,
        y,
        epochs=5,
        batch_size=None,
        clip_norm=0.5,
        callback=record,
    )
    for a, b in zip(steps, steps[1:]):
        moved = np.sqrt(sum(np.sum((a[k] - b[k]) ** 2) for k in a))
        assert moved <= 0.1 * 0.5 + 1e-12


def test_gradient_norms_match_a_manual_backward_pass_and_leave_the_gradients_alone(rng):
    model = nn.mlp([3, 6, 6, 2], activation=nn.Sigmoid, rng=rng)
    X, y = rng.normal(size=(10, 3)), rng.integers(0, 2, 10)
    for _, _, g in model.named_parameters():
        g[...] = 7.0
    norms = nn.gradient_norms(model, nn.SoftmaxCrossEntropy(), X, y)
    assert all(np.all(g == 7.0) for _, _, g in model.named_parameters())
    model.zero_grad()
    loss = nn.SoftmaxCrossEntropy()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    assert list(norms) == ["0.W", "2.W", "4.W"]
    for name, _, g in model.named_parameters():
        if name in norms:
            assert norms[name] == pytest.approx(np.linalg.norm(g))
