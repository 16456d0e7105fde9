"""Lesson 07's live figures and static figures: every widget builds, shows its first frame as a PNG,
changes that frame when a control moves, and shows what its "try this" line promises; the numbers the
lesson quotes hold. Timing is not asserted here: ``python tests/test_lesson07_widgets.py`` prints the
median update of each widget (COURSE.md, "Speed": <= 60 ms)."""

import statistics
import sys

import numpy as np
import pytest

from check_helpers import frame as _frame
from course import widgets
from course.computations import lesson07 as L
from course.widgets import lesson07 as w07





@pytest.fixture(scope="module")
def explorer():
    return widgets.dropout_explorer()


@pytest.fixture(scope="module")
def regularization():
    return widgets.regularization_explorer()


@pytest.fixture(scope="module")
def mc():
    return widgets.mc_explorer()


def test_dropout_explorer_redraws_for_every_control(explorer):
    frames = {_frame(explorer)}
    for values in ({"p_drop": 0.8}, {"sample": 7}, {"inverted": False}, {"p_drop": 0.1}):
        explorer.set(**values)
        frames.add(_frame(explorer))
    assert len(frames) == 5
    explorer.set(p_drop=0.5, sample=0, inverted=True)


def test_the_drawn_mask_is_the_masks_row_and_dropped_units_lose_their_outgoing_weights(explorer):
    explorer.set(p_drop=0.5, sample=3)
    keep = L.unit_means(0.5)["masks"][3]
    units = explorer.animated[0]
    outgoing = explorer.animated[1]
    filled = units.get_facecolors()[:, 0] < 0.5  # kept units are blue, dropped ones white
    assert np.array_equal(filled, keep == 1)
    widths = np.asarray(outgoing.get_linewidths()).reshape(6, 6)
    assert np.all((widths > 0).all(axis=1) == (keep == 1))
    explorer.set(sample=0)


def test_masks_grow_monotonically_with_p_drop():
    """Moving the slider drops more units, never brings one back: the explorer's masks come from
    one set of uniform draws thresholded at p_drop."""
    masks = [L.unit_means(p)["masks"] for p in w07.P_GRID]
    for a, b in zip(masks, masks[1:]):
        assert np.all(b <= a)


def test_unit_means_say_what_the_lesson_says():
    u = L.unit_means(0.5)
    assert np.all(
        np.abs(u["pre_train"] - u["pre_test"]) < 5 * u["se"] + 1e-12
    )  # linear: exact in expectation
    assert u["post_test"][0] == 0 and u["post_train"][0] > 0.1  # the ReLU breaks it
    plain = L.unit_means(0.5, inverted=False)
    kept = L.unit_means(0.0, inverted=False)
    np.testing.assert_allclose(kept["post_train"], kept["post_test"])
    assert np.all(
        plain["post_train"][plain["post_test"] > 0.3] < 0.75 * plain["post_test"][plain["post_test"] > 0.3]
    )


def test_regularization_explorer_redraws_and_shows_the_collapse_at_09(regularization):
    frames = {_frame(regularization)}
    for values in ({"p_hidden": 0.9}, {"p_input": 0.2}, {"p_hidden": 0.25}):
        regularization.set(**values)
        frames.add(_frame(regularization))
    assert len(frames) == 4
    runs = L.sweep()
    assert all(runs[p, 0.9].train_acc < 0.6 for p in L.P_INPUT)  # cannot learn
    assert runs[0.0, 0.5].test_acc > runs[0.0, 0.0].test_acc + 0.04  # helps
    assert runs[0.5, 0.25].test_acc > runs[0.0, 0.25].test_acc  # inputs too
    regularization.set(p_input=0.0, p_hidden=0.5)


def test_choice_is_made_on_validation_accuracy():
    runs = L.sweep()
    best = L.choose(runs)
    assert runs[best].val_acc == max(r.val_acc for r in runs.values())


def test_mc_explorer_redraws_and_its_mean_approaches_weight_scaling_accuracy(mc):
    frames = {_frame(mc)}
    for k in (5, 50, 200):
        mc.set(k=k)
        frames.add(_frame(mc))
    assert len(frames) == 4
    c = L.mc_curve()
    assert abs(c["acc"][199] - c["scaled_acc"]) < 0.01 and c["loss"][199] < 0.5 * c["scaled_loss"]
    spread = [np.mean(np.abs(c["running"][k - 1][:, 1] - c["running"][-1][:, 1])) for k in (1, 10, 50)]
    assert spread[0] > spread[1] > spread[2]  # the points settle as k grows
    mc.set(k=1)


def test_exact_ensemble_geometric_mean_only_without_a_hidden_nonlinearity():
    linear, hidden = L.exact_ensemble(False), L.exact_ensemble(True)
    assert np.abs(linear["geometric"] - linear["scaled"]).max() < 1e-12
    assert np.abs(linear["arithmetic"] - linear["scaled"]).max() > 0.1
    assert np.abs(hidden["geometric"] - hidden["scaled"]).max() > 0.1


def test_gradient_check_needs_a_frozen_mask_and_linear_dropout_is_l2():
    e = L.gradient_check_demo()
    assert e["fresh"] > 0.1 and e["frozen"] < 1e-7
    mc_value, formula = L.linear_dropout_penalty(n_masks=50_000)
    assert abs(mc_value - formula) < 0.01 * formula


@pytest.mark.parametrize(
    "name, call",
    [
        ("plot_mask", lambda: w07.plot_mask(0.5, 0)),
        ("plot_unit_means", lambda: w07.plot_unit_means(0.5, inverted=False)),
        ("plot_curves", lambda: w07.plot_curves({"none": L.train(), "dropout": L.train(0.0, 0.5)})),
        ("plot_sweep", lambda: w07.plot_sweep(L.sweep())),
        ("plot_mc", lambda: w07.plot_mc(L.mc_curve())),
    ],
)
def test_static_figures_draw(name, call):
    import matplotlib.pyplot as plt

    fig = call()
    assert fig.axes and all(ax.has_data() or not ax.axison for ax in fig.axes)
    plt.close(fig)


def _timings():
    out = {}
    for name, moves in (
        ("dropout_explorer", [{"p_drop": p} for p in (0.2, 0.4, 0.6, 0.8)] * 3),
        ("regularization_explorer", [{"p_hidden": p} for p in L.P_HIDDEN] * 2),
        ("mc_explorer", [{"k": k} for k in range(2, 40, 3)]),
    ):
        live = getattr(widgets, name)()
        for values in moves:
            live.set(**values)
        out[name] = statistics.median(live.timings[1:]) * 1e3
    return out


if __name__ == "__main__":
    for name, ms in _timings().items():
        print(f"{name}: median update {ms:.0f} ms")
    sys.exit(0)
