"""Lesson 08's live figures and the numbers its prose quotes: every widget builds, shows a PNG and
changes it when a control moves, and the effects its "try this" lines name are there. Timing is not
asserted: ``python tests/test_lesson08_widgets.py`` prints the median update of each widget."""

import statistics
import sys

import numpy as np
import pytest

from check_helpers import frame as _frame
from course import widgets
from course.computations import lesson08 as L
from course.widgets import lesson08 as w08





@pytest.fixture(scope="module")
def flow_widget():
    return widgets.gradient_flow_explorer()


@pytest.fixture(scope="module")
def clip_widget():
    return widgets.clipping_explorer()


def test_gradient_flow_explorer_redraws_for_every_control(flow_widget):
    frames = {_frame(flow_widget)}
    for values in (
        {"batchnorm": True},
        {"residual": True},
        {"activation": "tanh"},
        {"init": "He"},
        {"depth": 5},
    ):
        flow_widget.set(**values)
        frames.add(_frame(flow_widget))
    assert len(frames) == 6
    flow_widget.set(depth=20, activation="sigmoid", init="Glorot", batchnorm=False, residual=False)


def test_the_try_this_settings_show_what_the_lesson_says():
    g0 = w08._flow_run(20, "sigmoid", "Glorot", False, False)[0]
    assert g0[0] / g0[-1] < 1e-10  # "falls by 12 orders of magnitude"
    for bn, res in ((True, False), (False, True)):
        g = w08._flow_run(20, "sigmoid", "Glorot", bn, res)[0]
        assert 0.1 < g[0] / g[-1] < 100  # flat
    with np.errstate(all="ignore"):
        assert w08._flow_run(50, "tanh", "N(0, 0.01)", False, False)[0][0] < 1e-35  # below the plot
        assert w08._flow_run(50, "relu", "N(0, 1)", False, False)[0][0] > 1e3  # above it


def test_clipping_explorer_redraws_and_clipping_rescues_the_start(clip_widget):
    frames = {_frame(clip_widget)}
    for values in ({"clip": 0.1}, {"clip": 10.0}, {"show_plain": False}):
        clip_widget.set(**values)
        frames.add(_frame(clip_widget))
    assert len(frames) == 4
    plain, clipped = w08._path(None), w08._path(1.0)
    assert plain[1][-1] > 0.05 and clipped[1][-1] < 1e-3
    assert np.max(np.linalg.norm(np.diff(clipped[0], axis=0), axis=1)) <= 0.5 + 1e-12
    np.testing.assert_allclose(clipped[0], L.rnn_descent(*w08.START, clip=1.0)[0])


def test_rnn_gradient_matches_finite_differences():
    w, b = 5.3, -2.2
    _, dw, db = L.rnn_loss_and_grad(w, b)
    h = 1e-6
    num_w = (L.rnn_loss_and_grad(w + h, b)[0] - L.rnn_loss_and_grad(w - h, b)[0]) / (2 * h)
    num_b = (L.rnn_loss_and_grad(w, b + h)[0] - L.rnn_loss_and_grad(w, b - h)[0]) / (2 * h)
    assert abs(dw - num_w) < 1e-6 * max(1, abs(num_w)) and abs(db - num_b) < 1e-6 * max(1, abs(num_b))


def test_flow_norms_are_the_backpropagated_gradients():
    import nnlib as nn

    model = L.deep_net(3, "tanh", "Glorot")
    acts, norms = L.flow(model, n=16)
    split = L.digits_split()
    X, y = split.X_train[:16], split.y_train[:16]
    a = [np.array(x) for x in nn.collect_activations_and_grads(model, L.LOSS, X, y)[1]]
    np.testing.assert_allclose(norms, [np.linalg.norm(g) for g in a])


def test_depth_and_cures_numbers():
    assert L.depth_run(1).test_acc > 0.9 and L.depth_run(5).test_acc < 0.15
    assert L.depth_run(20, batchnorm=True).test_acc > 0.85 and L.depth_run(20, residual=True).test_acc > 0.85
    assert L.clipping_success()["clipped"] > L.clipping_success()["plain"] + 0.3
    assert 0.44 < L.sigmoid_window(np.array([6.89]))[0] < 0.45


@pytest.mark.parametrize(
    "call",
    [
        lambda: w08.plot_depth({d: L.depth_run(d) for d in (1, 2)}),
        lambda: w08.plot_profiles({"a": np.array([1e-3, 1e-2, 1.0])}),
        w08.plot_cliff,
        lambda: w08.plot_clipping(1.0),
    ],
)
def test_static_figures_draw(call):
    import matplotlib.pyplot as plt

    fig = call()
    assert all(ax.has_data() for ax in fig.axes)
    plt.close(fig)


def _timings():
    out = {}
    live = widgets.gradient_flow_explorer()
    for values in [{"depth": d} for d in (2, 5, 10, 30, 50, 2, 5, 10)]:
        live.set(**values)
    out["gradient_flow_explorer"] = statistics.median(live.timings[1:]) * 1e3
    live = widgets.clipping_explorer()
    for c in (0.1, 0.3, 3.0, 10.0, 1.0) * 2:
        live.set(clip=c)
    out["clipping_explorer"] = statistics.median(live.timings[1:]) * 1e3
    return out


if __name__ == "__main__":
    for name, ms in _timings().items():
        print(f"{name}: median update {ms:.0f} ms")
    sys.exit(0)
