"""Lesson 02: the static figure helpers draw what the lesson says, and the zig-zag demo's claims
hold (at the same spread, centring matters through the largest usable step, not at a small one)."""
import matplotlib.pyplot as plt          # the root conftest.py selects the Agg backend
import numpy as np
import pytest

import nnlib as nn
from course.computations.lesson02 import ACTIVATIONS
from course.widgets import lesson02 as figures

W_STAR = np.array([2.0, -2.0])


@pytest.fixture(autouse=True)
def _keep_figures(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda: None)
    yield
    plt.close("all")


def _trained(activation, rng):
    X, y = nn.datasets.make_moons(60, noise=0.2, rng=nn.make_rng(1))
    net = nn.mlp([2, 4, 2], activation=activation, rng=rng)
    history = nn.fit(net, nn.SoftmaxCrossEntropy(), nn.optim.SGD(lr=0.1), X, y, epochs=2,
                     batch_size=20, rng=rng)
    return net, history, X, y


def test_plot_activations_draws_f_and_its_derivative_per_activation():
    figures.plot_activations(ACTIVATIONS)
    axes = plt.gcf().axes
    assert [ax.get_title() for ax in axes] == list(ACTIVATIONS)
    assert all(len(ax.lines) == 3 for ax in axes)          # f, f' and the zero line


def test_surfaces_share_one_colour_bar_for_class_1(rng):
    net, _, X, y = _trained(nn.ReLU, rng)
    figures.plot_surfaces({"a": net, "b": net}, X, y)
    axes = plt.gcf().axes
    assert len(axes) == 3
    assert axes[-1].get_ylabel() == "P(class 1)"
    assert [ax.get_xlabel() for ax in axes[:2]] == ["x1", "x1"]


def test_training_comparison_has_a_loss_panel_four_surfaces_and_a_colour_bar(rng):
    nets, histories = {}, {}
    for name, (_, _, layer) in ACTIVATIONS.items():
        nets[name], histories[name], X, y = _trained(layer, nn.make_rng(2))
    figures.plot_training_comparison(nets, histories, X, y)
    axes = plt.gcf().axes
    assert len(axes) == 6
    loss = axes[0]
    assert [line.get_label() for line in loss.lines] == list(ACTIVATIONS)
    assert loss.lines[-1].get_linestyle() == "--"          # leaky ReLU, drawn over ReLU
    assert axes[-1].get_ylabel() == "P(class 1)"


def _distance(H, eta):
    """What the lesson's weight_path leaves after one pass over H: ||w - w*||."""
    w = np.zeros(2)
    with np.errstate(all="ignore"):
        for h in H:
            w = w - eta * (w @ h - W_STAR @ h) * h
    return np.linalg.norm(w - W_STAR)


def test_zig_zag_claims_at_matched_spread():
    Z = 1.5 * nn.make_rng(0).standard_normal((60, 2))
    pairs = [(nn.sigmoid(Z), nn.sigmoid(Z) - 0.5), (nn.tanh(Z) + 1, nn.tanh(Z))]
    etas = np.geomspace(0.05, 10, 200)
    for positive, centred in pairs:
        assert np.isclose(positive.std(), centred.std())     # the same spread: only the mean differs
        best = {k: min(_distance(H, eta) for eta in etas) for k, H in [("+", positive), ("0", centred)]}
        assert best["0"] < 1e-3 * best["+"]                 # each at its best step: centring wins
    # at one small step the shift hardly matters (sigmoid pair): what differs there is the spread
    assert abs(_distance(pairs[0][0], 0.5) - _distance(pairs[0][1], 0.5)) < 0.05
    assert _distance(nn.tanh(Z), 0.5) < 1e-3 < _distance(pairs[0][1], 0.5)


def test_weight_paths_stop_drawing_a_path_that_leaves_the_frame():
    path = np.array([[0.0, 0.0], [1.0, -1.0], [50.0, 50.0], [2.0, -2.0]])
    figures.plot_weight_paths({"p": path}, W_STAR)
    drawn = plt.gcf().axes[0].lines[0].get_xdata()
    assert list(drawn) == [0.0, 1.0]
