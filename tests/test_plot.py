import matplotlib

matplotlib.use("Agg")

import subprocess  # noqa: E402
import sys  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib as nn  # noqa: E402
from nnlib import plot  # noqa: E402
from nnlib.gradcheck import numerical_gradient, rel_error  # noqa: E402
from nnlib.inspect import collect_activations_and_grads  # noqa: E402



@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _image(bp):
    return np.array(bp.image.get_array(), copy=True)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_decision_boundary_image_shape_and_update(n_classes, rng):
    X, y = nn.datasets.make_blobs(60, n_classes=n_classes, rng=rng)
    model = nn.mlp([2, 8, n_classes], activation=nn.Tanh, rng=rng)
    bp = plot.decision_boundary(model, X, y, resolution=30)
    expected = (30, 30) if n_classes == 2 else (30, 30, 4)
    assert _image(bp).shape == expected
    assert bp.grid.shape == (900, 2)
    assert len(bp.scatter.get_offsets()) == len(X)
    before = _image(bp)
    for layer in model.layers:
        for p in layer.params.values():
            p[...] = rng.standard_normal(p.shape) * 3
    assert bp.update(model) is bp.image
    assert not np.allclose(_image(bp), before)
    assert np.allclose(_image(bp), bp.surface(model))


def test_decision_boundary_two_classes_shows_p_class_1(rng):
    X, y = nn.datasets.make_moons(40, rng=rng)
    model = nn.mlp([2, 6, 2], activation=nn.Tanh, rng=rng)
    bp = plot.decision_boundary(model, X, y, resolution=12)
    probs = nn.softmax(nn.predict(model, bp.grid))[:, 1].reshape(12, 12)
    assert np.allclose(_image(bp), probs)
    # row-major grid with origin="lower": row 0 is the bottom, column 0 the left edge
    assert bp.grid[0, 0] < bp.grid[1, 0] and bp.grid[0, 1] < bp.grid[12, 1]


def test_decision_boundary_extent_covers_data_plus_padding(rng):
    X, y = nn.datasets.make_moons(50, rng=rng)
    model = nn.mlp([2, 4, 2], activation=nn.Tanh, rng=rng)
    bp = plot.decision_boundary(model, X, y, resolution=20, padding=0.7)
    x0, x1, y0, y1 = bp.image.get_extent()
    assert np.allclose([x0, y0], X.min(axis=0) - 0.7)
    assert np.allclose([x1, y1], X.max(axis=0) + 0.7)
    # the grid points are the cell centres of that extent
    assert np.isclose(bp.grid[:, 0].min(), x0 + (x1 - x0) / 40)
    assert bp.ax.get_title() and bp.ax.get_xlabel() and bp.ax.get_ylabel()


def test_decision_boundary_rejects_bad_input(rng):
    X, y = nn.datasets.make_moons(20, rng=rng)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        plot.decision_boundary(nn.mlp([3, 4, 2], activation=nn.Tanh, rng=rng), np.c_[X, X[:, :1]], y)
    bp = plot.decision_boundary(nn.mlp([2, 4, 2], activation=nn.Tanh, rng=rng), X, y, resolution=5)
    with pytest.raises(ValueError, match="3 outputs|2 outputs"):
        bp.update(nn.mlp([2, 4, 3], activation=nn.Tanh, rng=rng))


def _history(epochs=7, best=4):
    h = nn.History()
    h.train_loss = list(np.linspace(1.0, 0.2, epochs))
    h.val_loss = list(np.linspace(1.1, 0.5, epochs))
    h.train_acc = list(np.linspace(0.5, 0.9, epochs))
    h.val_acc = list(np.linspace(0.4, 0.8, epochs))
    h.best_epoch = best
    return h


def test_loss_curves_points_and_best_epoch():
    h = _history()
    cp = plot.loss_curves(h)
    x, y = cp.train.get_data()
    assert len(x) == len(h.train_loss) == 7
    assert list(x) == list(range(1, 8))
    assert np.allclose(y, h.train_loss)
    assert np.allclose(cp.val.get_ydata(), h.val_loss)
    assert np.allclose(cp.best.get_xdata(), [4, 4])
    assert cp.best.get_linestyle() == "--"
    assert cp.ax.get_xlabel() == "epoch" and cp.ax.get_title()


def test_loss_curves_accuracy_without_best_epoch_and_update():
    h = _history(best=None)
    cp = plot.loss_curves(h, metric="acc")
    assert cp.best is None
    assert np.allclose(cp.val.get_ydata(), h.val_acc)
    h.train_acc.append(0.95)
    cp.update(h)
    assert len(cp.train.get_xdata()) == 8
    with pytest.raises(ValueError, match="metric"):
        plot.loss_curves(h, metric="accuracy")


def test_loss_curves_from_fit(rng):
    X, y = nn.datasets.make_moons(60, rng=rng)
    h = nn.fit(nn.mlp([2, 4, 2], activation=nn.Tanh, rng=rng), nn.SoftmaxCrossEntropy(),
               nn.optim.SGD(lr=0.1), X, y, epochs=5,
               rng=rng, X_val=X, y_val=y)
    cp = plot.loss_curves(h)
    assert len(cp.train.get_xdata()) == h.epochs == 5


def test_layer_histograms_one_axis_per_layer(rng):
    values = [rng.standard_normal((20, 5)), 3 * rng.standard_normal((20, 5)), rng.random(40)]
    hp = plot.layer_histograms(values, title="gradients", bins=10)
    assert len(hp.axes) == 3
    assert [ax.get_title() for ax in hp.axes] == ["layer 1", "layer 2", "layer 3"]
    assert all(ax.get_xlim() == hp.axes[0].get_xlim() for ax in hp.axes)  # shared x range
    lo = min(v.min() for v in values)
    assert np.isclose(hp.edges[0], lo) and len(hp.edges) == 11
    assert "std" in hp.texts[1].get_text() and f"{np.std(values[1]):.3g}" in hp.texts[1].get_text()
    counts = hp.patches[0].get_data().values
    assert counts.sum() == values[0].size


def test_layer_histograms_into_given_axes_and_update(rng):
    fig, axes = plt.subplots(1, 2)
    hp = plot.layer_histograms([rng.random(10), rng.random(10)], axes=axes, range=(0, 1), bins=4)
    assert hp.axes == list(axes)
    hp.update([np.full(10, 0.1), np.full(10, 0.9)])
    assert list(hp.patches[0].get_data().values) == [10, 0, 0, 0]
    with pytest.raises(ValueError, match="one axes per layer"):
        plot.layer_histograms([rng.random(3)] * 3, axes=axes)


def _net(rng):
    return nn.Sequential([nn.Dense(3, 5, rng=rng), nn.Tanh(), nn.Dense(5, 4, rng=rng), nn.Sigmoid(),
                          nn.Dropout(p_drop=0.5, rng=rng), nn.Dense(4, 4, rng=rng), nn.LeakyReLU(0.1),
                          nn.Dense(4, 3, rng=rng), nn.Identity()])


def test_collect_one_entry_per_activation_layer(rng):
    model = _net(rng)
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 3, 6)
    acts, grads = collect_activations_and_grads(model, nn.SoftmaxCrossEntropy(), X, y)
    assert len(acts) == len(grads) == 4
    assert [a.shape for a in acts] == [(6, 5), (6, 4), (6, 4), (6, 3)]
    assert [g.shape for g in grads] == [a.shape for a in acts]
    assert np.allclose(acts[0], np.tanh(X @ model[0].params["W"] + model[0].params["b"]))
    # the last activation is the Identity on the logits: dL/dlogits = (softmax - onehot) / N
    expected = (nn.softmax(acts[-1]) - np.eye(3)[y]) / 6
    assert np.allclose(grads[-1], expected)


def test_collect_grads_match_finite_differences(rng):
    model = _net(rng)
    loss_fn = nn.SoftmaxCrossEntropy()
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 3, 5)
    acts, grads = collect_activations_and_grads(model, loss_fn, X, y)
    A = acts[0].copy()  # output of the Tanh at position 1; the rest of the network follows it
    rest = model.layers[2:]
    model.eval()

    def f():
        out = A
        for layer in rest:
            out = layer.forward(out)
        return loss_fn.forward(out, y)

    assert rel_error(grads[0], numerical_gradient(f, A)) < 1e-7


def test_collect_leaves_model_untouched(rng):
    model = _net(rng).train()
    X, y = rng.standard_normal((4, 3)), rng.integers(0, 3, 4)
    for _, _, g in model.named_parameters():
        g[...] = 1.5
    weights = model.get_weights()
    collect_activations_and_grads(model, nn.SoftmaxCrossEntropy(), X, y)
    assert model.training and all(layer.training for layer in model.layers)
    assert all(np.all(g == 1.5) for _, _, g in model.named_parameters())
    assert all(np.array_equal(weights[k], v) for k, v in model.get_weights().items())
    assert plot.collect_activations_and_grads is collect_activations_and_grads
    with pytest.raises(TypeError, match="Sequential"):
        collect_activations_and_grads(model[0], nn.SoftmaxCrossEntropy(), X, y)


def test_collect_for_regression(rng):
    model = nn.mlp([1, 6, 6, 1], activation=nn.ReLU, rng=rng)
    X, y = nn.datasets.make_regression_1d(10, rng=rng)
    acts, grads = collect_activations_and_grads(model, nn.MSELoss(), X, y)
    assert [a.shape for a in acts] == [(10, 6), (10, 6)] and all(np.all(a >= 0) for a in acts)


def test_loss_surface_one_line_per_path(rng):
    paths = {"SGD": rng.standard_normal((20, 2)), "Adam": rng.standard_normal((8, 2)),
             "RMSProp": rng.standard_normal((1, 2))}
    sp = plot.loss_surface(lambda w1, w2: w1**2 + 10 * w2**2, (-2, 2), (-1, 1), resolution=25,
                           paths=paths, levels=10)
    labelled = [ln for ln in sp.ax.get_lines() if not ln.get_label().startswith("_")]
    assert sorted(ln.get_label() for ln in labelled) == sorted(paths)
    assert len(sp.lines["SGD"].get_xdata()) == 20
    assert np.allclose(sp.starts["Adam"].get_xydata(), paths["Adam"][:1])
    assert np.allclose(sp.ends["Adam"].get_xydata(), paths["Adam"][-1:])
    assert sorted(t.get_text() for t in sp.ax.get_legend().get_texts()) == sorted(paths)
    assert sp.ax.get_xlim() == (-2, 2) and sp.ax.get_ylim() == (-1, 1)
    new = np.zeros((3, 2))
    sp.set_path("SGD", new)
    assert np.allclose(sp.lines["SGD"].get_xydata(), new)


def test_loss_surface_checks_f_is_vectorized():
    with pytest.raises(ValueError, match="np.vectorize"):
        plot.loss_surface(lambda w1, w2: float(np.sum(w1)), (-1, 1), (-1, 1), resolution=5)
    with pytest.raises(ValueError, match=r"\(T, 2\)"):
        plot.loss_surface(lambda w1, w2: w1 * w2, (-1, 1), (-1, 1), paths={"bad": np.zeros(4)})


def test_regression_fit_line_follows_model(rng):
    X, y = nn.datasets.make_regression_1d(30, rng=rng)
    model = nn.mlp([1, 8, 1], activation=nn.Tanh, rng=rng)
    fp = plot.regression_fit(X, y, model, target=np.sin)
    x = fp.line.get_xdata()
    assert len(x) == 200 and np.isclose(x[0], X.min()) and np.isclose(x[-1], X.max())
    assert np.allclose(fp.line.get_ydata(), nn.predict(model, x[:, None])[:, 0])
    assert np.allclose(fp.target.get_ydata(), np.sin(x))
    model[0].params["b"] += 1.0
    fp.update(model)
    assert np.allclose(fp.line.get_ydata(), nn.predict(model, x[:, None])[:, 0])
    assert len(fp.points.get_offsets()) == 30


def test_regression_fit_with_y_hat_or_nothing(rng):
    X, y = nn.datasets.make_regression_1d(12, rng=rng)
    order = rng.permutation(12)
    fp = plot.regression_fit(X[order], y[order], y_hat=2 * X[order, 0])
    assert np.allclose(fp.line.get_ydata(), 2 * fp.line.get_xdata())  # drawn sorted by x
    empty = plot.regression_fit(X, y)
    assert np.all(np.isnan(empty.line.get_ydata())) and empty.target is None
    with pytest.raises(ValueError, match="not both"):
        plot.regression_fit(X, y, model=nn.mlp([1, 2, 1], activation=nn.Tanh, rng=rng), y_hat=y)


def test_every_plot_draws(rng):
    X, y = nn.datasets.make_spirals(60, n_classes=3, rng=rng)
    fig, axes = plt.subplots(1, 2)
    plot.decision_boundary(nn.mlp([2, 8, 3], activation=nn.Tanh, rng=rng), X, y, ax=axes[0], resolution=10)
    plot.loss_curves(_history(), ax=axes[1])
    fig.canvas.draw()
    for colorbar, n_axes in [(True, 2), (False, 1)]:
        model = nn.mlp([2, 8, 2], activation=nn.Tanh, rng=rng)
        bp = plot.decision_boundary(model, X, y % 2, resolution=10, colorbar=colorbar)
        bp.ax.figure.canvas.draw()
        assert len(bp.ax.figure.axes) == n_axes


def test_import_nnlib_does_not_import_matplotlib():
    code = ("import sys, nnlib, nnlib.inspect; assert 'matplotlib' not in sys.modules, 'matplotlib'\n"
            "import matplotlib; before = dict(matplotlib.rcParams)\n"
            "import nnlib.plot; assert dict(matplotlib.rcParams) == before, 'rcParams changed'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_decision_boundary_with_a_fixed_extent_and_new_points(rng):
    X, y = nn.datasets.make_moons(40, rng=rng)
    model = nn.mlp([2, 4, 2], activation=nn.Tanh, rng=rng)
    bp = plot.decision_boundary(model, X, y, resolution=12, colorbar=False, extent=(-3, 3, -2, 2))
    assert bp.extent == (-3.0, 3.0, -2.0, 2.0) and bp.ax.get_xlim() == (-3.0, 3.0)
    X2, y2 = nn.datasets.make_circles(30, rng=rng)
    bp.set_points(X2, y2)
    np.testing.assert_allclose(bp.scatter.get_offsets(), X2)
    red = plt.get_cmap("RdBu_r")(0.9)
    np.testing.assert_allclose(bp.scatter.get_facecolors()[y2 == 1][0], red)
    with pytest.raises(ValueError, match="extent"):
        plot.decision_boundary(model, X, y, extent=(1, 0, 0, 1))
    plt.close("all")
