"""The live figures without a browser: every control of every explorer redraws without error and
changes the picture, and the numbers the lessons quote from the widget helpers are right.

(tests/test_browser.py checks the same figures in JupyterLab, one slider each; here every control
is moved, which a browser test would take minutes to do.)
"""
import ipywidgets as W
import numpy as np
import pytest

import nnlib as nn
from course import widgets
from course.computations import lesson01, lesson02, lesson03

EXPLORERS = [name for name in widgets.__all__ if name.endswith("_explorer")
             or name in ("ce_vs_squared_error", "optimizer_race")]


def _settings(control):
    """A few values of a control, other than its current one."""
    if isinstance(control, W.Checkbox):
        return [not control.value]
    if isinstance(control, (W.Dropdown, W.ToggleButtons, W.SelectionSlider)):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]   # (label, value) or value
    elif isinstance(control, W.FloatLogSlider):
        values = [control.base ** control.min, control.base ** control.max]
    else:
        values = [control.min, control.max]
    return [v for v in values if v != control.value]


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_control_redraws_the_figure(name):
    """Each control on its own, from the defaults: it is moved, then put back before the next one moves.
    (One explorer per builder: building one costs up to 2.5 s, a redraw about 0.03 s. The picture after
    putting a control back need not be the first one: some explorers keep what was tried, e.g. lesson
    02's loss curves of the other activations.)"""
    live = getattr(widgets, name)()
    defaults = {key: control.value for key, control in live.controls.items()}
    for key, control in live.controls.items():
        changed = False
        for value in _settings(control):
            before = live.image.value
            n = len(live.timings)
            live.set(**{key: value})
            assert len(live.timings) == n + 1, f"{name}: moving {key} to {value!r} did not redraw"
            changed |= live.image.value != before
        assert changed, f"{name}: no setting of {key} changed the image"
        live.set(**{key: defaults[key]})
        assert {k: c.value for k, c in live.controls.items()} == defaults, \
            f"{name}: putting {key} back to {defaults[key]!r} left other controls moved"


def test_explorers_are_all_listed():
    assert len(EXPLORERS) >= 10 and "init_explorer" in EXPLORERS and "approximation_explorer" in EXPLORERS


# --- lesson 01 ---------------------------------------------------------------------------

def test_relu_construction_interpolates_and_meets_its_error_bound():
    x = np.linspace(-3, 3, 601)
    for H in (4, 16, 64):
        y = lesson01.hand_built(np.sin, x, H, "relu")
        knots = np.linspace(-3, 3, H + 1)
        np.testing.assert_allclose(y, np.interp(x, knots, np.sin(knots)), atol=1e-12)
        assert np.abs(y - np.sin(x)).max() <= (6 / H) ** 2 / 8          # max|f''| h^2 / 8


def test_sigmoid_staircase_error_falls_with_units_but_not_for_a_jump():
    x = np.linspace(-3, 3, 601)
    e_max, _ = lesson01.approximation_errors(np.sin, x, units=[4, 64], steepness=200.0)
    assert e_max[1] < e_max[0] / 8
    step = lesson01.TARGETS["step (jumps at 0)"]
    e_max, e_mean = lesson01.approximation_errors(step, x, units=[4, 64])
    assert e_max.min() >= 0.5 and e_mean[1] < e_mean[0]


def test_width_depth_cache_trains_once_per_setting():
    cache = lesson01.WidthDepthCache(epochs=20)
    first = cache.get(4, 2)
    assert cache.get(4, 2) is first and len(first[1]) == 20
    assert first[1][-1] < first[1][0]                                   # the training loss fell


# --- lesson 02 ---------------------------------------------------------------------------

def test_saturation_stats_match_the_lesson():
    relu = lesson02.saturation_stats("ReLU", 0.0, 2.0)
    assert relu["zero"] == pytest.approx(0.5, abs=1e-3) and relu["mean_grad"] == pytest.approx(0.5, abs=1e-3)
    sig = lesson02.saturation_stats("sigmoid", 0.0, 0.01)
    assert sig["mean_grad"] == pytest.approx(0.25, abs=1e-4) and sig["saturated"] == 0.0
    leaky = lesson02.saturation_stats("leaky ReLU", -3.0, 0.5)
    assert leaky["zero"] == 0.0 and leaky["saturated"] > 0.99            # off, but never exactly zero


# --- lesson 03 ---------------------------------------------------------------------------

def test_deep_network_uses_nnlib_initializers_and_shares_draws_within_a_family():
    glorot = lesson03.deep_network("Glorot uniform", "tanh", depth=3)
    assert len(glorot) == 7 and glorot.n_in == lesson03.WIDTH and glorot.n_out == lesson03.CLASSES
    W = nn.init.glorot_uniform(lesson03.WIDTH, lesson03.WIDTH, nn.make_rng(0))
    np.testing.assert_array_equal(glorot[0].params["W"], W)
    wide = lesson03.deep_network("uniform U(-1, 1)", "tanh", depth=3)   # same draws, another scale
    np.testing.assert_allclose(wide[0].params["W"] * np.sqrt(6 / 200), W, rtol=1e-12)
    doubled = lesson03.deep_network("He normal", "ReLU", depth=3, gain=2.0)
    single = lesson03.deep_network("He normal", "ReLU", depth=3)
    np.testing.assert_allclose(doubled[2].params["W"], 2 * single[2].params["W"])


@pytest.mark.parametrize("activation", ["tanh", "ReLU"])
def test_probe_shows_the_lessons_contrast(activation):
    """Too small a start shrinks the signal tenfold per layer; Glorot (tanh) and He (ReLU) keep it."""
    keeps = {"tanh": "Glorot uniform", "ReLU": "He normal"}[activation]
    small, _ = lesson03.probe("small normal N(0, 0.01²)", activation, depth=6)
    good, grads = lesson03.probe(keeps, activation, depth=6)
    assert len(small) == len(good) == len(grads) == 6
    assert small[-1].std() < 1e-5 * small[0].std()
    assert 0.3 < good[-1].std() / good[0].std() <= 1.5
    assert 0.4 < grads[0].std() / grads[-1].std() < 2.5


def test_weight_variance_is_measured_from_nnlib_init():
    assert lesson03.weight_variance(nn.init.glorot_uniform, 100, 100) == pytest.approx(0.01, rel=0.01)
    assert lesson03.weight_variance(nn.init.he_normal, 100, 50) == pytest.approx(0.02, rel=0.01)
    doubled = lesson03.scaled(nn.init.uniform, 2.0)
    assert lesson03.weight_variance(doubled, 100, 100) == pytest.approx(4 / 3, rel=0.01)


def test_identical_starts_stay_one_unit_and_random_ones_do_not():
    X, y = lesson03.circles_data()
    for start in lesson03.STARTS:
        _, snapshots, losses = lesson03.symmetry_run(start, X, y, steps=60, every=20)
        units = [lesson03.distinct_units(s["0.W"], s["0.b"]) for s in snapshots]
        if start.startswith("identical"):
            assert units == [1] * len(units)
            assert losses[-1] == pytest.approx(np.log(2), abs=1e-3)
        else:
            assert min(units) == lesson03.HIDDEN and losses[-1] < losses[0]


def test_distinct_units_groups_equal_columns():
    W = np.array([[1.0, 1.0, 2.0], [0.5, 0.5, 0.5]])
    assert lesson03.distinct_units(W, np.zeros(3)) == 2
    assert lesson03.distinct_units(W, np.array([0.0, 1.0, 0.0])) == 3
