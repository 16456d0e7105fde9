import sys

import numpy as np
import pytest

import nnlib as nn



def test_import_is_numpy_only():
    import subprocess
    code = ("import sys, nnlib; bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython') "
            "if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_iterate_minibatches_covers_every_row_once():
    X, y = np.arange(10).reshape(10, 1), np.arange(10)
    batches = list(nn.iterate_minibatches(X, y, 4, rng=nn.make_rng(0)))
    assert [len(b) for b, _ in batches] == [4, 4, 2]
    assert sorted(np.concatenate([yb for _, yb in batches])) == list(range(10))
    again = list(nn.iterate_minibatches(X, y, 4, rng=nn.make_rng(0)))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(batches, again))
    ordered = list(nn.iterate_minibatches(X, y, 4, shuffle=False))
    assert list(ordered[0][1]) == [0, 1, 2, 3]


def test_digits_mlp_reaches_95_percent():
    X, y = nn.datasets.load_digits()
    rng = nn.make_rng(0)
    Xtr, ytr, Xva, yva, Xte, yte = nn.datasets.train_val_test_split(X, y, rng=rng)
    model = nn.mlp([64, 64, 10], activation=nn.ReLU, rng=rng, init=nn.init.he_normal)
    hist = nn.fit(model, nn.SoftmaxCrossEntropy(), nn.optim.Adam(lr=0.003), Xtr, ytr, epochs=30,
                  batch_size=32, rng=rng, X_val=Xva, y_val=yva,
                  early_stopping=nn.EarlyStopping(patience=5))
    test_acc = nn.accuracy(nn.predict(model, Xte), yte)
    assert test_acc >= 0.95, (test_acc, hist)


def test_modes_full_batch_and_online_take_the_right_number_of_steps():
    rng = nn.make_rng(0)
    X, y = nn.datasets.make_moons(40, rng=rng)
    for batch_size, steps in [(None, 1), (1, 40), (16, 3)]:
        model = nn.mlp([2, 4, 2], activation=nn.Tanh, rng=rng)
        h = nn.fit(model, nn.SoftmaxCrossEntropy(), nn.optim.SGD(0.1), X, y, epochs=2,
                   batch_size=batch_size, rng=rng, record_steps=True)
        assert len(h.step_loss) == 2 * steps


def test_fit_learns_moons_and_is_reproducible():
    def run():
        rng = nn.make_rng(7)
        X, y = nn.datasets.make_moons(200, noise=0.1, rng=rng)
        model = nn.mlp([2, 16, 16, 2], activation=nn.Tanh, rng=rng)
        h = nn.fit(model, nn.SoftmaxCrossEntropy(), nn.optim.SGD(0.3, momentum=0.9), X, y,
                   epochs=60, batch_size=32, rng=rng)
        return h, model
    h1, m1 = run()
    h2, m2 = run()
    assert h1.train_loss == h2.train_loss
    assert h1.train_acc[-1] > 0.97
    assert h1.train_loss[-1] < h1.train_loss[0] / 3


def test_early_stopping_restores_best_weights():
    rng = nn.make_rng(1)
    X, y = nn.datasets.make_moons(60, noise=0.35, rng=rng)
    Xv, yv = nn.datasets.make_moons(200, noise=0.35, rng=rng)
    model = nn.mlp([2, 64, 64, 2], activation=nn.ReLU, rng=rng, init=nn.init.he_normal)
    es = nn.EarlyStopping(patience=5)
    h = nn.fit(model, nn.SoftmaxCrossEntropy(), nn.optim.Adam(0.02), X, y, epochs=500, batch_size=None,
               X_val=Xv, y_val=yv, early_stopping=es)
    assert h.stopped_epoch is not None and h.stopped_epoch < 500
    assert h.best_epoch == int(np.argmin(h.val_loss)) + 1
    val_now, _ = nn.evaluate(model, nn.SoftmaxCrossEntropy(), Xv, yv)
    assert val_now == pytest.approx(min(h.val_loss))


def test_l2_shrinks_weights_but_not_biases():
    rng = nn.make_rng(2)
    X, y = nn.datasets.make_moons(100, rng=rng)
    norms = {}
    for lam in (0.0, 0.1):
        r = nn.make_rng(3)
        model = nn.mlp([2, 16, 2], activation=nn.Tanh, rng=r)
        nn.fit(model, nn.SoftmaxCrossEntropy(), nn.optim.SGD(0.2), X, y, epochs=100, batch_size=None, l2=lam)
        norms[lam] = sum(np.sum(p ** 2) for n, p, _ in model.named_parameters() if n.endswith("W"))
    assert norms[0.1] < 0.5 * norms[0.0]


def test_penalty_gradients_match_finite_differences():
    rng = nn.make_rng(4)
    model = nn.mlp([3, 4, 2], activation=nn.Tanh, rng=rng)
    W = model[0].params["W"]
    for name, pen, kw in [("l2", nn.regularization.l2_penalty, "l2"),
                          ("l1", nn.regularization.l1_penalty, "l1")]:
        model.zero_grad()
        nn.regularization.add_penalty_grads(model, **{kw: 0.3})
        num = nn.gradcheck.numerical_gradient(lambda: pen(model, 0.3), W)  # noqa: B023 - called at once
        assert nn.gradcheck.rel_error(model[0].grads["W"], num) < 1e-7, name
        assert not model[0].grads["b"].any(), "biases must not be penalized"


def test_divergence_is_reported_with_epoch_step_and_lr():
    rng = nn.make_rng(0)
    X = rng.standard_normal((50, 2)) * 100
    y = X @ np.array([3.0, -2.0])
    model = nn.Sequential([nn.Dense(2, 1, rng=rng)])
    with pytest.raises(nn.TrainingDiverged, match=r"epoch \d+, step \d+ \(learning rate 10\.0\)"):
        nn.fit(model, nn.MSELoss(), nn.optim.SGD(lr=10.0), X, y, epochs=50, batch_size=None)
    model = nn.Sequential([nn.Dense(2, 1, rng=rng)])
    h = nn.fit(model, nn.MSELoss(), nn.optim.SGD(lr=10.0), X, y, epochs=50, batch_size=None,
               on_divergence="stop")
    assert h.diverged and "learning rate 10.0" in h.diverged and h.epochs < 50


def test_progress_lines(capsys):
    rng = nn.make_rng(0)
    X, y = nn.datasets.make_xor(40, rng=rng)
    nn.fit(nn.mlp([2, 4, 2], activation=nn.Tanh, rng=rng), nn.SoftmaxCrossEntropy(), nn.optim.SGD(0.1), X, y,
           epochs=4, batch_size=None, X_val=X, y_val=y, progress=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("epoch 2/4 | loss") and "val_acc" in lines[0]


def test_bagging_averages_bootstrap_members():
    rng = nn.make_rng(5)
    X, y = nn.datasets.make_moons(120, noise=0.3, rng=rng)
    ens = nn.BaggingEnsemble(lambda r: nn.mlp([2, 16, 2], activation=nn.Tanh, rng=r),
                             lambda: nn.optim.Adam(0.01), nn.SoftmaxCrossEntropy(), n_models=3)
    ens.fit(X, y, rng=rng, epochs=30, batch_size=32)
    probs = ens.predict(X)
    members = [nn.softmax(nn.predict(m, X)) for m in ens.models]
    assert np.allclose(probs, np.mean(members, axis=0)) and np.allclose(probs.sum(1), 1)
    assert not np.allclose(members[0], members[1])  # different bootstrap samples
    assert nn.accuracy(probs, y) > 0.8


def test_regression_fit_sine():
    rng = nn.make_rng(6)
    X, y = nn.datasets.make_regression_1d(100, target="sine", noise=0.0, rng=rng)
    model = nn.mlp([1, 32, 1], activation=nn.Tanh, rng=rng)
    h = nn.fit(model, nn.MSELoss(), nn.optim.Adam(0.02), X, y, epochs=300, batch_size=None)
    assert h.train_loss[-1] < 0.01 and h.train_acc[-1] is None


def test_bagging_without_bootstrap_trains_members_on_all_rows():
    rng = nn.make_rng(5)
    X, y = nn.datasets.make_moons(60, noise=0.3, rng=rng)
    ens = nn.BaggingEnsemble(lambda r: nn.mlp([2, 8, 2], activation=nn.Tanh, rng=r),
                             lambda: nn.optim.Adam(0.01), nn.SoftmaxCrossEntropy(), n_models=2,
                             bootstrap=False)
    ens.fit(X, y, rng=rng, epochs=5, batch_size=None)
    assert all(np.array_equal(s, np.arange(60)) for s in ens.samples)
    assert not np.allclose(ens.models[0][0].params["W"], ens.models[1][0].params["W"])  # own inits
    assert "bootstrap=False" in repr(ens)
    bagged = nn.BaggingEnsemble(lambda r: nn.mlp([2, 8, 2], rng=r), lambda: nn.optim.Adam(0.01),
                                nn.SoftmaxCrossEntropy(), n_models=2).fit(X, y, rng=rng, epochs=1)
    distinct = [len(np.unique(s)) / 60 for s in bagged.samples]
    assert all(0.5 < d < 0.8 for d in distinct)                      # about 1 - 1/e, with repeats
    with pytest.raises(TypeError, match="bootstrap"):
        nn.BaggingEnsemble(lambda r: None, lambda: None, nn.SoftmaxCrossEntropy(), bootstrap="yes")


def test_mc_dropout_predict_averages_fresh_masks_and_restores_modes():
    r = nn.make_rng(0)
    model = nn.Sequential([nn.Dense(3, 16, rng=r), nn.ReLU(), nn.Dropout(0.5, rng=nn.make_rng(1)),
                           nn.Dense(16, 2, rng=r)])
    X = r.standard_normal((5, 3))
    model.train()
    one = nn.mc_dropout_predict(model, X, 1)
    many = nn.mc_dropout_predict(model, X, 4000)
    assert model.training and all(layer.training for layer in model.layers)
    np.testing.assert_allclose(many.sum(axis=1), 1.0)
    # one sample is one thinned network's softmax; many approach the mean over masks, not one mask
    assert not np.allclose(one, many, atol=1e-3)
    drop = model.layers[2]
    drop.rng = nn.make_rng(7)
    model.train()
    manual = []
    for _ in range(4000):
        manual.append(nn.softmax(model.forward(X)))
    np.testing.assert_allclose(many, np.mean(manual, axis=0), atol=0.02)
    model.eval()
    nn.mc_dropout_predict(model, X, 2)
    assert not model.training and not drop.training


def test_mc_dropout_predict_is_reproducible_from_the_layers_generators():
    def build():
        r = nn.make_rng(0)
        return nn.Sequential([nn.Dense(3, 8, rng=r), nn.ReLU(), nn.Dropout(0.3, rng=nn.make_rng(5)),
                              nn.Dense(8, 3, rng=r)])
    X = nn.make_rng(2).standard_normal((4, 3))
    first, second = nn.mc_dropout_predict(build(), X, 10), nn.mc_dropout_predict(build(), X, 10)
    np.testing.assert_array_equal(first, second)

