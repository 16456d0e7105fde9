"""Lesson 06's live figures and static figures: every widget builds, shows its first frame as a PNG, and
changes that frame (and the thing it should) when a control moves; the static figures draw what the
lesson says. Timing is not asserted here: ``python tests/test_lesson06_widgets.py`` prints the median
update of each widget (COURSE.md, "Speed": <= 60 ms, a callback that retrains <= 100 ms)."""
import base64
import statistics
import sys

import numpy as np
import pytest

import nnlib as nn
from check_helpers import PNG
from check_helpers import frame as _frame
from course import widgets
from course.computations import lesson06 as L
from course.widgets import lesson06 as w06

BUILDERS = ["overfitting_explorer", "early_stopping_explorer", "bagging_explorer"]




@pytest.fixture(scope="module")
def overfitting():
    return widgets.overfitting_explorer()


@pytest.fixture(scope="module")
def early():
    return widgets.early_stopping_explorer()


@pytest.fixture(scope="module")
def bagging():
    return widgets.bagging_explorer()


@pytest.mark.parametrize("name", BUILDERS)
def test_exported_with_no_required_arguments_and_a_png_first_frame(name, request):
    assert name in widgets.__all__ and callable(getattr(widgets, name))
    live = request.getfixturevalue({"overfitting_explorer": "overfitting", "early_stopping_explorer": "early",
                                    "bagging_explorer": "bagging"}[name])
    assert isinstance(live, widgets.LiveFigure)
    bundle = live._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG)
    assert "VBox" not in bundle["text/plain"]


# --- (a) the overfitting explorer -----------------------------------------------------------------

def test_overfitting_opens_on_weak_l2_so_the_first_slider_move_shows():
    live = widgets.overfitting_explorer()
    assert live.values == {"penalty": "L2", "strength": pytest.approx(1e-4)}
    before = _frame(live)
    live.set(strength=1e-2)
    assert _frame(live) != before and "unused" not in live.fig.get_suptitle()


def _near_zero(live):
    return int(live.fig.axes[2].get_title().split(" of ")[0])   # "k of N weights within 0.01 of zero"


def test_overfitting_none_shows_the_unpenalized_run(overfitting):
    overfitting.set(penalty="none", strength=1e-2)
    model, _ = L.train()
    split = L.moons_split()
    title = overfitting.fig.get_suptitle()
    assert f"{L.data_loss(model, split.X_train, split.y_train):.3f}" in title
    assert f"{L.data_loss(model, split.X_val, split.y_val):.3f}" in title
    assert _near_zero(overfitting) == int(np.sum(np.abs(L.weights(model)) < 0.01))


def test_overfitting_penalty_changes_the_frame_and_l1_zeroes_weights(overfitting):
    overfitting.set(penalty="none", strength=1e-2)
    before, none = _frame(overfitting), _near_zero(overfitting)
    overfitting.set(penalty="L1")
    assert _frame(overfitting) != before
    assert _near_zero(overfitting) > 10 * none                         # 1138 against 28 of 1152
    overfitting.set(penalty="L2")
    assert none < _near_zero(overfitting) < 1152


def test_overfitting_strength_changes_the_frame(overfitting):
    overfitting.set(penalty="none", strength=1e-2)
    before = _frame(overfitting)
    overfitting.set(strength=1e-3)                                      # unused: only the title says so
    assert _frame(overfitting) != before and "unused" in overfitting.fig.get_suptitle()
    overfitting.set(penalty="L2", strength=1e-2)
    weak = _frame(overfitting)
    overfitting.set(strength=1e-1)
    assert _frame(overfitting) != weak


def test_overfitting_runs_are_cached_and_the_training_curve_has_no_penalty_term():
    run = w06._run("l2", 1e-2)
    assert w06._run("l2", 0.01) is run
    np.testing.assert_allclose(run["train"][-1], run["final_train"], rtol=1e-10)   # objective - penalty
    assert run["objective"][-1] > run["train"][-1]
    assert np.all(np.diff(w06.EDGES) > 0) and run["counts"].sum() == run["n"] == 1152


# --- (b) the early-stopping explorer --------------------------------------------------------------

def test_larger_patience_never_stops_earlier():
    val = L.early_stopping_run()[1].val_loss
    replays = [L.replay_early_stopping(val, p) for p in range(1, 101)]
    best, stop = np.array(replays).T
    assert np.all(np.diff(stop) >= 0) and np.all(np.diff(best) >= 0)
    stopped = stop < len(val)
    assert stopped.all()                                                # within 400 epochs for every patience
    np.testing.assert_array_equal((stop - best)[stopped], np.arange(1, 101)[stopped])


def test_replay_is_what_nnlib_early_stopping_does():
    model, h = L.train(minibatches=True, early_stopping=nn.EarlyStopping(patience=10))
    assert (h.best_epoch, h.stopped_epoch) == L.replay_early_stopping(L.early_stopping_run()[1].val_loss, 10)


def test_early_stopping_moves_only_artists(early, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("the early-stopping explorer retrained")
    monkeypatch.setattr(w06, "train", no_training)
    monkeypatch.setattr(nn, "fit", no_training)
    early.set(patience=10)
    ten = _frame(early)
    assert "stops after epoch 42, restores epoch 32" in early.fig.get_suptitle()
    early.set(patience=100)
    assert _frame(early) != ten
    assert "stops after epoch 180, restores epoch 80" in early.fig.get_suptitle()
    _, h = L.early_stopping_run()
    net = L.make_net()
    net.set_weights(h.snapshots[80 - 1])
    image = early.fig.axes[1].images[0]
    np.testing.assert_allclose(image.get_array(), w06._surface(net))   # the restored weights' surface


# --- (c) the bagging explorer ---------------------------------------------------------------------

def _heat(live):
    return np.array(live.fig.axes[0].images[0].get_array())


def test_bagging_k_and_mode_change_the_heat_map(bagging):
    bagging.set(k=1, mode=True)
    one, png = _heat(bagging), _frame(bagging)
    bagging.set(k=15)
    assert _frame(bagging) != png and np.abs(_heat(bagging) - one).max() > 0.3
    members = [line for line in bagging.fig.axes[0].lines if line.get_visible() and line.get_linewidth() < 1]
    assert len(members) == 15
    boot = _heat(bagging)
    bagging.set(mode=False)
    assert np.abs(_heat(bagging) - boot).max() > 0.1
    data = w06._bagging_data()[False]
    np.testing.assert_allclose(_heat(bagging), data["grids"].mean(axis=0))
    assert f"{data['curve']['ensemble_loss'][-1]:.3f}" in bagging.fig.get_suptitle()


def test_member_losses_agree_with_ensemble_curve():
    split = L.moons_split()
    for mode in (True, False):
        ens = L.ensemble(mode)
        curve = L.ensemble_curve(ens, split.X_test, split.y_test)
        loss, err = w06.member_losses(ens, split.X_test, split.y_test)
        np.testing.assert_allclose(err, curve["members"])
        assert loss[0] == pytest.approx(curve["ensemble_loss"][0])
        assert curve["ensemble_loss"][-1] < np.mean(loss)                 # averaging lowers the test loss


def test_contour_helper_finds_the_half_level():
    R = w06.RES
    P = np.tile(np.linspace(0, 1, R), (R, 1))                            # P = 0.5 on a vertical line
    x, y = w06._contour_xy(P)
    x0, x1 = w06.EXTENT[:2]
    assert np.nanmax(np.abs(x - (x0 + x1) / 2)) < (x1 - x0) / R
    assert np.isnan(w06._contour_xy(np.zeros((R, R)))[0]).all()


# --- static figures -------------------------------------------------------------------------------

def test_static_figures_draw():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    split = L.moons_split()
    model, history = L.train(epochs=60, test_curve=True)
    ax = w06.plot_curves(history, best=True)                            # 3 curves, the best dot and line
    assert len(ax.get_lines()) == 5 and ax.get_yscale() == "log" and "log scale" in ax.get_ylabel()
    rows = L.strength_sweep("l2", [1e-3, 1e-2])
    ax = w06.plot_sweep(rows, "L2")
    assert ax.get_xscale() == "log" and "1e-02" in ax.get_legend().get_texts()[-1].get_text()
    axes = w06.plot_boundaries({"none": model, "L2": rows[1]["model"]}, split)
    assert "validation loss" in axes[1].get_title()
    ax = w06.plot_weight_histograms({"no penalty": model, "L1": L.train("l1", 1e-2, epochs=60)[0]})
    assert ax.get_yscale() == "log" and len(ax.get_legend().get_texts()) == 2
    axes = w06.plot_lasso_vs_ridge(L.lasso_vs_ridge("sparse"))
    assert axes[0].get_title(loc="left").startswith("true weights: 95 of 100 exactly 0")
    ax = w06.plot_filters(L.early_stopping_filters(np.geomspace(1e-3, 10, 50)))
    assert ax.get_xscale() == "log"
    ax = w06.plot_averaged_error(L.averaged_error(v=1.0, c=0.3, samples=2000))
    assert "c = 0.3" in ax.get_title()
    curves = [L.ensemble_curve(L.ensemble(b), split.X_test, split.y_test) for b in (True, False)]
    ax_l, ax_e = w06.plot_ensemble_curves(*curves)
    assert len(ax_l.get_lines()) == 4                 # 2 modes x (ensemble, mean member)
    assert len(ax_e.get_lines()) == 6                 # ... and the points every member gets wrong
    assert ax_e.get_ylim()[0] == 0
    plt.close("all")


# --- the timing report (benchmark-like: printed, never asserted) -----------------------------------

def timing_report(moves=10):
    """Median and max update time of each widget over about ``moves`` control moves, as lines of text."""
    strengths = list(10 ** np.arange(-4, -0.9, 0.5))
    new = ([{"penalty": "L2"}] + [{"strength": s} for s in strengths if not np.isclose(s, 1e-2)]
           + [{"penalty": "L1"}] + [{"strength": s} for s in strengths[-2::-1]])  # every move a new setting
    plans = {
        "overfitting_explorer (new settings: retrains)": ("overfitting_explorer", new[:moves]),
        "overfitting_explorer (cached settings)":
            ("overfitting_explorer", [{"penalty": p, "strength": s} for p in ("L1", "L2", "none")
                                      for s in strengths[:3]][:moves]),
        "early_stopping_explorer": ("early_stopping_explorer",
                                    [{"patience": int(p)} for p in np.linspace(1, 100, moves)]),
        "bagging_explorer": ("bagging_explorer",
                             [{"k": k} for k in range(2, moves)] + [{"mode": False}, {"k": 15}]),
    }
    w06._RUNS.clear()
    lines = [f"{'widget':<48} {'moves':>5} {'median ms':>10} {'max ms':>8}"]
    for label, (name, plan) in plans.items():
        if "cached" in label:                                          # trained before the clock starts
            for penalty in ("l1", "l2"):
                for strength in strengths:
                    w06._run(penalty, strength)
        live = getattr(widgets, name)()
        n = len(live.timings)
        for values in plan:
            live.set(**values)
        t = live.timings[n:]
        lines.append(f"{label:<48} {len(t):>5} {1e3 * statistics.median(t):>10.0f} {1e3 * max(t):>8.0f}")
    return lines


if __name__ == "__main__":
    print("\n".join(timing_report(int(sys.argv[1]) if len(sys.argv) > 1 else 10)))
