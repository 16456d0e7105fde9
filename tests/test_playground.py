"""Lesson 09's playground against TensorFlow Playground, row by row: the engine
(``course.computations.lesson09``), the picture (``course.widgets.playground_view``) and the widget
(``course.widgets.lesson09``). Claims about the picture are checked on the decoded PNG's pixels."""

import asyncio
import io
import math
import re

import numpy as np
import pytest
from PIL import Image

import nnlib as nn
from course.computations import lesson09 as L
from course.computations.lesson09 import Config, Playground, features, grid_points, make_data
from course.widgets import playground_view as V
from course.widgets.lesson09 import playground

ORANGE, GREY, BLUE = (tuple(int(v) for v in V.LUT[i]) for i in (0, 128, 255))
WHITE, BLACK = (255, 255, 255), (0, 0, 0)


# ---- helpers -------------------------------------------------------------------------------------

def pixels(app):
    """The app's picture as an (H, W, 3) uint8 array, decoded from its PNG."""
    return np.asarray(Image.open(io.BytesIO(app.image.value)).convert("RGB"))


def heat(arr):
    return arr[V.HEAT_Y:V.HEAT_Y + V.HEAT, V.HEAT_X:V.HEAT_X + V.HEAT]


def chart(arr):
    y0 = V.HEAT_Y + V.HEAT + 58
    return arr[y0:y0 + 81, V.HEAT_X:V.HEAT_X + V.HEAT + 1]


def thumb(arr, c, slot):
    x, y = V.column_x(c), V.unit_y(slot)
    return arr[y:y + V.THUMB, x:x + V.THUMB]


def count(region, colour):
    return int(np.all(region == np.array(colour, dtype=np.uint8), axis=-1).sum())


def point_mask(P):
    """True on heat-map pixels within 4.5 px of any of the points P (where dots may be drawn)."""
    xs = (P[:, 0] + L.EXTENT) / (2 * L.EXTENT) * V.HEAT
    ys = (L.EXTENT - P[:, 1]) / (2 * L.EXTENT) * V.HEAT
    yy, xx = np.mgrid[0:V.HEAT, 0:V.HEAT] + 0.5
    near = np.zeros((V.HEAT, V.HEAT), bool)
    for x, y in zip(xs, ys):
        near |= (xx - x) ** 2 + (yy - y) ** 2 <= 4.5 ** 2
    return near


def expected_heat(values):
    """The heat map the view should draw for grid values (10000,): colour scale, then bilinear."""
    small = Image.fromarray(V.colours(np.asarray(values).reshape(100, 100)))
    return np.asarray(small.resize((V.HEAT, V.HEAT), Image.BILINEAR))


def expected_thumb(outs, c, k):
    vals = outs[c]
    t = vals.reshape(100, 100, -1)[V._THUMB_IDX][:, V._THUMB_IDX][..., k]
    if c == 0:
        t = t / max(float(np.abs(vals[:, k]).max()), 1e-12)
    return V.colours(t)


def thumb_compare_mask(c):
    """Pixels of a thumbnail that nothing is drawn over (the bias square sits on the bottom-left)."""
    m = np.ones((V.THUMB, V.THUMB), bool)
    if c > 0:
        m[V.THUMB - 5:, :2] = False
    return m


def status_numbers(app):
    s = app.status.value
    epoch = int(re.search(r"epoch <b class='pg-epoch'>(\d+)</b>", s).group(1))
    train = float(re.search(r"training loss <b>([-\d.]+)</b>", s).group(1))
    test = float(re.search(r"test loss <b>([-\d.]+)</b>", s).group(1))
    acc = re.search(r"test accuracy <b>([-\d.]+)</b>", s)
    return epoch, train, test, (float(acc.group(1)) if acc else None)


def flat_weights(pg):
    return np.concatenate([np.concatenate([W.ravel(), b.ravel()]) for W, b in pg.weights()])


def snapshot(pg):
    return [(W.copy(), b.copy()) for W, b in pg.weights()]


# ---- 1. data ---------------------------------------------------------------------------------------

def test_circle_labels_inside_radius_2_5_and_ring_outside_at_no_noise():
    """Circle at noise 0: +1 exactly for radius < 2.5, the others on the ring 3.5-5, half and half."""
    P, t = make_data("circle", 2000, 0.0, np.random.default_rng(1))
    r = np.hypot(P[:, 0], P[:, 1])
    assert np.array_equal(t == 1, r < 2.5)
    assert r[t == 1].max() < 2.5 and r[t == -1].min() >= 3.5 and r.max() <= 5
    assert (t == 1).sum() == 1000
    Pn, tn = make_data("circle", 2000, 0.5, np.random.default_rng(1))
    rn = np.hypot(Pn[:, 0], Pn[:, 1])
    assert 0.05 < np.mean((tn == 1) != (rn < 2.5)) < 0.5          # noise flips some labels


def test_xor_labels_are_sign_of_product_and_points_avoid_the_axes():
    """XOR: label sign(x1 x2) at noise 0, no point within 0.3 of an axis, noise moves labels only."""
    P, t = make_data("xor", 2000, 0.0, np.random.default_rng(2))
    assert np.array_equal(t, np.where(P[:, 0] * P[:, 1] >= 0, 1.0, -1.0))
    assert np.abs(P).min() >= 0.3 and np.abs(P).max() <= 5.3
    Pn, tn = make_data("xor", 2000, 0.5, np.random.default_rng(2))
    assert np.abs(Pn).min() >= 0.3
    assert np.mean(tn != np.sign(Pn[:, 0] * Pn[:, 1])) > 0.05


def test_two_gaussians_centres_and_variance_grow_with_noise():
    """Two Gaussians: +1 around (2, 2), -1 around (-2, -2), variance 0.5 at noise 0 and 4 at 50%."""
    for noise, var in ((0.0, 0.5), (0.5, 4.0)):
        P, t = make_data("gauss", 20000, noise, np.random.default_rng(3))
        assert (t == 1).sum() == (t == -1).sum() == 10000
        assert np.allclose(P[t == 1].mean(axis=0), [2, 2], atol=0.1)
        assert np.allclose(P[t == -1].mean(axis=0), [-2, -2], atol=0.1)
        assert np.allclose(P[t == 1].var(axis=0), var, rtol=0.08)


def test_spiral_two_arms_of_equal_size_on_playgrounds_curve():
    """Spiral at noise 0: labels ±1 in equal numbers, each point on r(sin a, cos a), a = 1.75·2π r/5 (+π)."""
    P, t = make_data("spiral", 500, 0.0, np.random.default_rng(4))
    assert (t == 1).sum() == (t == -1).sum() == 250
    r = np.hypot(P[:, 0], P[:, 1])
    a = 1.75 * 2 * np.pi * r / 5 + np.where(t == 1, 0, np.pi)
    assert np.allclose(P, np.column_stack([r * np.sin(a), r * np.cos(a)]), atol=1e-9)
    Pn, _ = make_data("spiral", 500, 0.5, np.random.default_rng(4))
    moved = np.abs(Pn - P)
    assert moved.max() <= 0.5 + 1e-12 and moved.mean() > 0.1          # noise moves the points by ≤ noise


def test_plane_target_is_sum_over_ten_and_noise_changes_it():
    """Plane: points in [-6, 6]², target (x1 + x2) / 10 at noise 0, not at noise 50%."""
    P, t = make_data("plane", 1200, 0.0, np.random.default_rng(5))
    assert np.abs(P).max() <= 6
    assert np.allclose(t, (P[:, 0] + P[:, 1]) / 10)
    Pn, tn = make_data("plane", 1200, 0.5, np.random.default_rng(5))
    assert np.abs(tn - (Pn[:, 0] + Pn[:, 1]) / 10).mean() > 0.05


def test_multi_gaussian_targets_are_the_largest_cone_in_minus_one_to_one():
    """Multi-Gaussian: targets in [-1, 1] from the six ±1 cones of radius 2 (largest in magnitude)."""
    P, t = make_data("gaussians", 3000, 0.0, np.random.default_rng(6))
    assert t.min() >= -1 and t.max() <= 1 and t.min() < -0.8 and t.max() > 0.8
    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    for p, v in zip(P[:200], t[:200]):
        cones = [s * max(0.0, 1 - math.hypot(p[0] - cx, p[1] - cy) / 2) for cx, cy, s in centres]
        assert v == pytest.approx(max(cones, key=abs))


def test_noise_slider_changes_the_data_and_out_of_range_noise_is_refused_naming_noise():
    """noise 0-50 in steps of 5 changes the labels; 55, -5, 7 are refused with a message naming noise."""
    clean, noisy = Playground(Config(noise=0)), Playground(Config(noise=50))
    r = np.hypot(*noisy.P_train.T)
    assert np.array_equal(clean.t_train == 1, np.hypot(*clean.P_train.T) < 2.5)
    assert np.any((noisy.t_train == 1) != (r < 2.5))
    for bad in (55, -5, 7):
        with pytest.raises(ValueError, match="noise"):
            Config(noise=bad)
    app = playground()
    before = app.config.to_text()
    assert app.restore("noise=60") is False
    assert "noise" in app.message.value and app.config.to_text() == before


@pytest.mark.parametrize("problem,dataset,n",
                         [("classification", "circle", 500), ("regression", "plane", 1200)])
def test_train_test_ratio_splits_the_points_as_the_slider_says(problem, dataset, n):
    """train_ratio r% puts round(n r/100) points in training and the rest in test, from the same data."""
    everything = None
    for r in range(10, 100, 10):
        pg = Playground(Config(problem=problem, dataset=dataset, train_ratio=r))
        assert len(pg.P_train) == n * r // 100 and len(pg.P_test) == n - n * r // 100
        rows = np.vstack([pg.P_train, pg.P_test])
        everything = rows if everything is None else everything
        assert np.array_equal(rows, everything)
    with pytest.raises(ValueError, match="train_ratio"):
        Config(train_ratio=95)


def test_regenerate_draws_new_data_with_the_next_seed():
    """Regenerate: seed + 1, other points, the same as a fresh Playground with that seed; the box shows it."""
    app = playground(Config(seed=4))
    old = app.engine.P_train.copy()
    app.controls["regenerate"].click()
    assert app.config.seed == 5 and "seed=5" in app.config_text.value
    assert not np.array_equal(app.engine.P_train, old)
    assert np.array_equal(app.engine.P_train, Playground(Config(seed=5)).P_train)
    assert app.engine.epoch == 0


# ---- 2. features -----------------------------------------------------------------------------------

def test_features_function_gives_playgrounds_seven_formulas():
    """features() columns: x1, x2, x1², x2², x1·x2, sin x1, sin x2, in the order asked."""
    P = np.array([[1.5, -2.0], [0.3, 4.0]])
    X = features(P, L.FEATURES)
    x1, x2 = P.T
    expected = np.column_stack([x1, x2, x1 ** 2, x2 ** 2, x1 * x2, np.sin(x1), np.sin(x2)])
    assert np.allclose(X, expected)
    assert np.allclose(features(P, ("sin_x2", "x1")), expected[:, [6, 0]])


@pytest.mark.parametrize("name", ["x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"])
def test_each_feature_toggle_changes_input_width_and_columns(name):
    """Turning a feature on widens the first layer by one and adds its column; off restores width 2."""
    app = playground()
    app.feature_buttons[name].value = True
    cfg, eng = app.config, app.engine
    assert name in cfg.features and eng.model.layers[0].params["W"].shape[0] == 3
    k = cfg.features.index(name)
    assert np.allclose(eng.X_fit[:, k], features(eng.P_fit, (name,))[:, 0])
    assert np.allclose(eng.X_grid[:, k], features(grid_points(), (name,))[:, 0])
    app.feature_buttons["x1"].value = False
    assert app.config.features == tuple(f for f in L.FEATURES if f in ("x2", name))
    assert app.engine.model.layers[0].params["W"].shape[0] == 2
    app.feature_buttons["x1"].value = True
    app.feature_buttons[name].value = False
    assert app.config.features == ("x1", "x2") and app.engine.X_fit.shape[1] == 2


def test_turning_every_feature_off_is_refused_with_a_message():
    """The last feature cannot be turned off: a message, the running features unchanged."""
    app = playground(Config(features=("x1",)))
    app.feature_buttons["x1"].value = False
    assert app.config.features == ("x1",) and app.feature_buttons["x1"].value is True
    assert "feature" in app.message.value


# ---- 3. network ------------------------------------------------------------------------------------

def test_layer_buttons_add_and_remove_hidden_layers_between_zero_and_six():
    """+ adds a layer of 2 units up to 6 layers (a 7th is not added); − removes down to 0 layers."""
    app = playground()
    for _ in range(6):
        app.layer_plus.click()
    assert app.config.layers == (4, 2, 2, 2, 2, 2)
    assert sum(isinstance(m, nn.Dense) for m in app.engine.model.layers) == 7
    assert all(b.layout.display == "" for b in app.unit_boxes)
    for _ in range(8):
        app.layer_minus.click()
    assert app.config.layers == ()
    assert [type(m) for m in app.engine.model.layers] == [nn.Dense, nn.Tanh]
    assert all(b.layout.display == "none" for b in app.unit_boxes)
    assert app.config_text.value == app.config.to_text()


def test_unit_buttons_keep_each_layer_between_one_and_eight_units():
    """Layer 1's + stops at 8 units (no 9th), its − stops at 1 (0 units impossible); the net follows."""
    app = playground()
    plus, minus = app.unit_buttons[0][1], app.unit_buttons[0][0]
    for _ in range(6):
        plus.click()
    assert app.config.layers == (8, 2) and app.message.value == ""     # the 9th + is ignored silently
    assert app.engine.model.layers[0].params["W"].shape == (2, 8)
    for _ in range(10):
        minus.click()
    assert app.config.layers == (1, 2)
    assert app.engine.model.layers[0].params["W"].shape == (2, 1)
    app.unit_buttons[4][1].click()                     # a layer that does not exist: nothing happens
    assert app.config.layers == (1, 2)
    with pytest.raises(ValueError, match="layers"):
        Config(layers=(9,))
    with pytest.raises(ValueError, match="layers"):
        Config(layers=(0, 2))
    with pytest.raises(ValueError, match="hidden layers"):
        Config(layers=(1,) * 7)


@pytest.mark.parametrize("name,f", [("relu", lambda a: np.maximum(a, 0)), ("tanh", np.tanh),
                                    ("sigmoid", lambda a: 1 / (1 + np.exp(-a))), ("linear", lambda a: a)])
def test_activation_menu_sets_every_hidden_units_function(name, f):
    """Hidden unit outputs equal act(X W + b) for the chosen activation; the output stays tanh."""
    app = playground(Config(layers=(3, 2), seed=2))
    app.controls["activation"].value = name
    eng = app.engine
    assert eng.config.activation == name
    eng.step(2)
    outs = eng.unit_outputs()
    (W1, b1), (W2, b2), (W3, b3) = eng.weights()
    h1 = f(outs[0] @ W1 + b1)
    h2 = f(h1 @ W2 + b2)
    assert np.allclose(outs[1], h1) and np.allclose(outs[2], h2)
    assert np.allclose(outs[3], np.tanh(h2 @ W3 + b3))


def test_learning_rate_menu_is_playgrounds_and_scales_the_steps():
    """The menu holds 1e-5 … 10; 10x the rate moves the weights ~10x; a rate off the menu is refused."""
    app = playground()
    assert [v for _, v in app.controls["lr"].options] == [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03,
                                                           0.1, 0.3, 1.0, 3.0, 10.0]
    moves = []
    for lr in (0.00001, 0.0001):
        pg = Playground(Config(lr=lr))
        w0 = flat_weights(pg)
        pg.step()
        moves.append(np.linalg.norm(flat_weights(pg) - w0))
    assert 9 < moves[1] / moves[0] < 11
    with pytest.raises(ValueError, match="lr"):
        Config(lr=0.05)


def test_changing_the_learning_rate_keeps_training_going():
    """The learning rate changes on the fly: same epoch, same weights, the optimizer's rate updated."""
    app = playground()
    app.step(3)
    w = flat_weights(app.engine)
    app.controls["lr"].value = 0.3
    assert app.engine.epoch == 3 and np.array_equal(flat_weights(app.engine), w)
    assert app.engine.opt.lr == 0.3 and app.config.lr == 0.3


def test_menus_and_sliders_hold_playgrounds_values():
    """Activation, regularization, rate, noise, ratio and batch-size controls offer Playground's range."""
    c = playground().controls
    assert [v for _, v in c["activation"].options] == ["relu", "tanh", "sigmoid", "linear"]
    assert list(c["regularization"].options) == ["none", "L1", "L2"]
    assert [v for _, v in c["reg_rate"].options] == [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]
    for name, lo, hi, step in (("noise", 0, 50, 5), ("train_ratio", 10, 90, 10), ("batch_size", 1, 30, 1)):
        assert (c[name].min, c[name].max, c[name].step) == (lo, hi, step)
    assert [v for _, v in c["optimizer"].options] == list(L.OPTIMIZERS)
    assert [v for _, v in c["init"].options] == ["playground", "glorot", "he", "zeros"]


def test_l2_shrinks_weights_and_l1_drives_more_weights_to_zero():
    """After the same 30 epochs, L2 gives a smaller ‖W‖² than none and L1 more weights near zero."""
    base = dict(dataset="spiral", layers=(8, 8), features=("x1", "x2", "sin_x1", "sin_x2"), lr=0.1)
    W = {}
    for reg, rate in (("none", 0.0), ("L1", 0.01), ("L2", 0.01)):
        pg = Playground(Config(regularization=reg, reg_rate=rate, **base))
        pg.step(30)
        W[reg] = np.concatenate([w.ravel() for w, _ in pg.weights()])
    assert np.sum(W["L2"] ** 2) < 0.5 * np.sum(W["none"] ** 2)
    assert np.mean(np.abs(W["L1"]) < 0.02) > np.mean(np.abs(W["none"]) < 0.02) + 0.3


def test_regularization_changes_on_the_fly_without_reset():
    """Setting L2 with its rate mid-run keeps the epoch and the weights (Playground changes it live)."""
    app = playground()
    app.step(2)
    w = flat_weights(app.engine)
    assert app.set(regularization="L2", reg_rate=0.3)
    assert app.engine.epoch == 2 and np.array_equal(flat_weights(app.engine), w)
    app.step()
    plain = playground()
    plain.step(3)
    assert np.sum(app.engine.weights()[0][0] ** 2) < np.sum(plain.engine.weights()[0][0] ** 2)


def test_problem_switch_to_regression_uses_a_linear_output():
    """Regression: the plane data (1200 points), no tanh at the output, so outputs beyond [-1, 1]."""
    app = playground()
    app.controls["problem"].value = "regression"
    eng = app.engine
    assert app.config.problem == "regression" and app.config.dataset == "plane"
    assert [v for _, v in app.controls["dataset"].options] == ["plane", "gaussians"]
    assert len(eng.P_train) + len(eng.P_test) == 1200
    assert isinstance(eng.model.layers[-1], nn.Dense)
    eng.weights()[-1][1][...] = 3.0
    assert eng.predict(np.array([[0.0, 0.0], [5.0, 5.0]])).min() > 1.0
    cls = Playground(Config())
    cls.weights()[-1][1][...] = 3.0
    assert np.abs(cls.predict(np.array([[0.0, 0.0], [5.0, 5.0]]))).max() <= 1.0
    assert "accuracy" not in app.status.value


@pytest.mark.parametrize("batch", [1, 7, 30])
def test_batch_size_sets_the_updates_per_epoch(batch):
    """batch_size B gives ceil(250 / B) updates per epoch of 250 training points."""
    pg = Playground(Config(batch_size=batch))
    calls = []
    step = pg.opt.step
    pg.opt.step = lambda model: (calls.append(1), step(model))
    pg.step()
    assert len(calls) == math.ceil(250 / batch)


def test_batch_size_out_of_range_is_refused():
    """Batch sizes 0 and 31 are refused naming batch_size."""
    for bad in (0, 31):
        with pytest.raises(ValueError, match="batch_size"):
            Config(batch_size=bad)


# ---- 4. running ------------------------------------------------------------------------------------

def test_frame_trains_one_epoch_and_changes_the_picture():
    """frame() (what play calls each tick) advances the epoch by one and redraws a different picture."""
    app = playground()
    before = pixels(app)
    assert app.frame() is True
    assert app.engine.epoch == 1 and status_numbers(app)[0] == 1
    after = pixels(app)
    assert not np.array_equal(heat(before), heat(after))
    assert not np.array_equal(before[:30, :140], after[:30, :140])          # the epoch counter


def test_play_toggle_trains_on_the_event_loop_and_pause_stops():
    """play on an event loop runs frames until paused; without a loop the toggle trains nothing."""
    app = playground()
    app.controls["play"].value = True                  # no running loop here: nothing is scheduled
    assert app.engine.epoch == 0 and app.controls["play"].description == "pause"
    app.controls["play"].value = False

    async def run():
        app.controls["play"].value = True
        while app.engine.epoch < 3:
            await asyncio.sleep(0.005)
        app.controls["play"].value = False
        await app._task

    asyncio.run(asyncio.wait_for(run(), 30))
    reached = app.engine.epoch
    assert reached >= 3 and app.controls["play"].description == "play"
    assert status_numbers(app)[0] == reached


def test_step_button_trains_exactly_one_epoch():
    """The step button: one epoch, one more entry in the record, the status says so."""
    app = playground()
    app.controls["step"].click()
    app.controls["step"].click()
    assert app.engine.epoch == 2 and len(app.engine.history["train"]) == 3
    assert status_numbers(app)[0] == 2


def test_reset_returns_to_epoch_zero_with_the_initial_weights_and_same_data():
    """reset: epoch 0, the same data, and weights and picture equal to a fresh playground's."""
    cfg = Config(dataset="xor", layers=(5, 3), seed=7)
    app = playground(cfg)
    data = app.engine.P_train.copy()
    fresh_image = app.image.value
    app.step(5)
    app.controls["reset"].click()
    fresh = Playground(cfg)
    assert app.engine.epoch == 0 and len(app.engine.history["train"]) == 1
    assert np.array_equal(app.engine.P_train, data)
    for (W, b), (W0, b0) in zip(app.engine.weights(), fresh.weights()):
        assert np.array_equal(W, W0) and np.array_equal(b, b0)
    assert np.array_equal(pixels(app), np.asarray(Image.open(io.BytesIO(fresh_image)).convert("RGB")))


def test_status_shows_the_recorded_losses_and_accuracy():
    """The status line's epoch, losses and accuracy are the record's last entries (3 decimals)."""
    app = playground(Config(dataset="gauss"))
    app.step(4)
    h = app.engine.history
    epoch, train, test, acc = status_numbers(app)
    assert epoch == 4
    assert train == pytest.approx(round(h["train"][-1], 3), abs=1e-9)
    assert test == pytest.approx(round(h["test"][-1], 3), abs=1e-9)
    assert acc == pytest.approx(round(h["test_acc"][-1], 3), abs=1e-9)
    assert h["train"][-1] < h["train"][0]


def test_loss_chart_draws_the_test_curve_where_the_record_puts_it():
    """The chart is empty at epoch 0, then the black test curve sits at the recorded test loss."""
    app = playground(Config(dataset="gauss", lr=0.1))
    c0 = chart(pixels(app))
    assert count(c0, BLACK) == 0 and count(c0, (119, 119, 119)) == 0
    app.step(10)
    c10 = chart(pixels(app))
    assert count(c10, BLACK) > 50 and count(c10, (119, 119, 119)) > 0
    h = app.engine.history
    top = max(h["train"] + h["test"])
    for epoch in (2, 5, 9):
        x = round(V.HEAT * epoch / 10)
        rows = np.nonzero(np.all(c10[:, x] == 0, axis=-1))[0]
        assert rows.size and abs(rows.mean() - (80 - 80 * h["test"][epoch] / top)) < 2.5
    app.step(10)
    assert not np.array_equal(chart(pixels(app)), c10)


def test_divergence_stops_training_and_says_so():
    """A rate too large for the data: the loss turns infinite, play stops, a message and a red box say why."""
    app = playground(Config(problem="regression", dataset="plane", lr=10.0, activation="relu", layers=(8, 8)))
    results = [app.frame() for _ in range(6)]
    eng = app.engine
    assert results[-1] is False and eng.diverged and "learning rate" in app.message.value
    stuck = eng.epoch
    app.step(3)
    assert eng.epoch == stuck < 6
    assert count(heat(pixels(app)), (200, 40, 40)) > 50
    app.controls["reset"].click()
    assert eng.diverged is None and eng.epoch == 0 and math.isfinite(eng.train_loss)


# ---- 5. views --------------------------------------------------------------------------------------

def test_heat_map_is_the_output_with_the_training_points_on_it():
    """Away from the dots the heat map is the output in the colour scale; dots take their label's colour."""
    app = playground(Config(train_ratio=10, seed=1))
    app.step(5)
    eng, arr = app.engine, heat(pixels(app))
    free = ~point_mask(eng.P_train)
    want = expected_heat(eng.unit_outputs()[-1][:, 0])
    assert np.abs(arr[free].astype(int) - want[free]).max() <= 1
    xs = ((eng.P_train[:, 0] + 6) / 12 * V.HEAT).astype(int)
    ys = ((6 - eng.P_train[:, 1]) / 12 * V.HEAT).astype(int)
    centre_ok = [tuple(arr[y, x]) == (BLUE if t > 0 else ORANGE) for x, y, t in zip(xs, ys, eng.t_train)]
    assert np.mean(centre_ok) > 0.8
    assert count(arr, WHITE) > 100 and count(arr, BLACK) == 0


def test_heat_map_is_oriented_like_the_plane():
    """x1 grows to the right and x2 upwards: a pixel shows the output at the point it stands for."""
    app = playground(Config(layers=(), train_ratio=10, seed=3))
    eng = app.engine
    W, b = eng.weights()[0]
    W[:, 0], b[...] = (0.6, -0.3), 0.0                 # output tanh(0.6 x1 - 0.3 x2): not symmetric
    app.redraw()
    arr = heat(pixels(app)).astype(int)
    free = ~point_mask(eng.P_train)
    checked = 0
    for p in ((-4.5, 4.5), (4.5, 4.5), (-4.5, -4.5), (4.5, -4.5), (2.0, 0.5), (-1.0, -3.0)):
        x, y = int((p[0] + 6) / 12 * V.HEAT), int((6 - p[1]) / 12 * V.HEAT)
        if not free[y, x]:
            continue
        want = V.colours(eng.predict(np.array([p]))[0]).astype(int)
        assert np.abs(arr[y, x] - want).max() <= 6, p
        checked += 1
    assert checked >= 4
    assert np.allclose(grid_points()[0], [-5.94, 5.94]) and np.allclose(grid_points()[99], [5.94, 5.94])


def test_show_test_adds_black_outlined_test_points():
    """Test dots (black outline) appear only with show_test, and more of them for more test points."""
    app = playground(Config(train_ratio=90))
    assert count(heat(pixels(app)), BLACK) == 0
    app.controls["show_test"].value = True
    few = count(heat(pixels(app)), BLACK)
    app.controls["train_ratio"].value = 50
    many = count(heat(pixels(app)), BLACK)
    assert 0 < few < many
    assert app.config.show_test and app.engine.epoch == 0


def test_discretize_leaves_only_the_two_end_colours_and_the_dots():
    """Discretized: no pixel of the scale's middle; all but a thin boundary exactly orange or blue."""
    app = playground(Config(seed=3))
    app.step(20)
    plain = heat(pixels(app)).reshape(-1, 3).astype(int)
    app.controls["discretize"].value = True
    arr = heat(pixels(app)).reshape(-1, 3).astype(int)
    dots = np.all(arr == WHITE, axis=1)
    ends = np.all(arr == ORANGE, axis=1) | np.all(arr == BLUE, axis=1)
    assert np.mean(ends | dots) > 0.98
    a = (arr[:, 0] - BLUE[0]) / (ORANGE[0] - BLUE[0])                    # position between blue and orange
    mix = a[:, None] * np.array(ORANGE) + (1 - a[:, None]) * np.array(BLUE)
    assert np.abs(arr - mix)[~dots].max() <= 2                          # boundary: blends of the two only
    near_grey = np.abs(plain - np.array(GREY)).sum(axis=1) < 30
    assert near_grey.sum() > 100                                        # the undiscretized map had them
    eng = app.engine
    free = ~point_mask(eng.P_train).ravel()
    sign = expected_heat(np.where(eng.unit_outputs()[-1][:, 0] >= 0, 1.0, -1.0)).reshape(-1, 3)
    assert np.array_equal(arr[free], sign[free])                        # orange/blue by the output's sign


def test_every_unit_has_a_thumbnail_of_its_output():
    """Each feature, hidden unit thumbnail in the picture equals colours(unit_outputs) at its slot."""
    app = playground(Config(features=("x1", "x2", "x1x2", "sin_x2"), layers=(3, 2), seed=5))
    app.step(3)
    arr, eng = pixels(app), app.engine
    lay, outs = V.Layout(eng.config.features, eng.config.layers), eng.unit_outputs()
    n = 0
    for c in range(len(eng.config.layers) + 1):
        m = thumb_compare_mask(c)
        for k in range(outs[c].shape[1]):
            got = thumb(arr, c, lay.slots[c][k])
            assert np.array_equal(got[m], expected_thumb(outs, c, k)[m]), (c, k)
            if c > 0:                                   # the bias as a small square at the bottom-left
                x, y = V.column_x(c), V.unit_y(lay.slots[c][k])
                bias = eng.weights()[c - 1][1][k]
                assert np.array_equal(arr[y + V.THUMB - 2, x - 2], V.colours(bias)), (c, k)
            n += 1
    assert n == 4 + 3 + 2
    assert lay.slots[0] == [0, 1, 4, 6]                 # features keep Playground's rows


def test_view_menu_shows_the_chosen_unit_large():
    """Choosing layer 1 unit 2 in the big view draws that unit's output (its thumbnail's pattern) large."""
    app = playground(Config(train_ratio=10, layers=(3, 2), seed=2))
    app.step(3)
    assert "1:1" in [v for _, v in app.controls["view"].options]
    out_view = heat(pixels(app))
    app.controls["view"].value = "1:1"
    arr, eng = pixels(app), app.engine
    free = ~point_mask(eng.P_train)
    vals = eng.unit_outputs()[1][:, 1]
    assert np.abs(heat(arr)[free].astype(int) - expected_heat(vals)[free]).max() <= 1
    assert not np.array_equal(heat(arr)[free], out_view[free])
    small = np.asarray(Image.fromarray(heat(arr)).resize((V.THUMB, V.THUMB), Image.BOX)).astype(int)
    other = thumb(arr, 1, 0).astype(int)
    own = thumb(arr, 1, 1).astype(int)
    assert np.abs(small - own).mean() < np.abs(small - other).mean()
    assert tuple(arr[V.unit_y(1), V.column_x(1) - 1]) == (30, 30, 30)     # the chosen unit is outlined
    app.controls["lr"].value = 0.1                                        # other controls keep the view
    assert app.view == "1:1" and app.controls["view"].value == "1:1"
    app.layer_minus.click()
    app.layer_minus.click()                                               # the unit is gone: back to output
    assert app.view == "output"


def test_links_show_weight_sign_by_colour_and_size_by_width():
    """A positive weight's link is blue, a negative one orange, and |w| = 4 draws wider than |w| = 1."""
    app = playground(Config(features=("x1",), layers=(1,)))
    eng = app.engine
    y = V.unit_y(0) + V.THUMB // 2
    xm = (V.column_x(0) + V.THUMB + V.column_x(1)) // 2           # middle of the x1 -> unit link

    def link_column():
        return pixels(app)[y - 12:y + 13, xm]

    widths = {}
    for w in (4.0, 1.0, -1.0, -4.0):
        eng.weights()[0][0][...] = w
        app.redraw()
        col = link_column()
        target = np.array(V.colours(w))
        on = np.all(col == target, axis=1)
        widths[w] = int(on.sum())
        if w > 0:
            assert target[2] > target[0]                           # blue
        else:
            assert target[0] > target[2]                           # orange
        assert on[12]
    assert widths[4.0] > widths[1.0] >= 1 and widths[-4.0] > widths[-1.0]
    assert widths[4.0] == widths[-4.0] == 7


def test_output_link_colour_follows_its_weight_sign():
    """The hidden-to-output link is drawn blue for w > 0 and orange for w < 0 along its path."""
    app = playground(Config(features=("x1",), layers=(1,)))
    eng = app.engine
    x0, y0 = V.column_x(1) + V.THUMB, V.unit_y(0) + V.THUMB // 2
    x1, y1 = V.HEAT_X, V.HEAT_Y + V.HEAT // 2
    x = (x0 + x1) // 2
    y = round(y0 + (x - x0) / (x1 - x0) * (y1 - y0))
    for w, colour in ((3.0, BLUE), (-3.0, ORANGE)):
        eng.weights()[1][0][...] = w
        app.redraw()
        assert tuple(pixels(app)[y, x]) == colour


# ---- 6. configuration as text ----------------------------------------------------------------------

def test_config_text_always_mirrors_the_running_config():
    """After moving controls, buttons, regenerate and restore, the box holds config.to_text()."""
    app = playground()
    assert app.config_text.value == app.config.to_text()
    actions = [lambda: app.set(dataset="spiral"), lambda: app.layer_plus.click(),
               lambda: app.unit_buttons[0][1].click(), lambda: setattr(app.controls["noise"], "value", 20),
               lambda: setattr(app.feature_buttons["sin_x1"], "value", True),
               lambda: app.controls["regenerate"].click(), lambda: app.restore("dataset=xor&lr=0.1"),
               lambda: setattr(app.controls["optimizer"], "value", "adam")]
    for act in actions:
        act()
        assert app.config_text.value == app.config.to_text()
    assert Config.from_text(app.config_text.value) == app.config
    odd = Config(problem="regression", dataset="gaussians", noise=35, train_ratio=70, batch_size=17, seed=123,
                 features=("sin_x2", "x1^2"), layers=(1, 8, 3), activation="linear", lr=0.00001,
                 regularization="L1", reg_rate=0.003, optimizer="rmsprop", init="he", dropout=0.2,
                 batchnorm=True, reshuffle=True, early_stopping=True, show_test=True, discretize=True,
                 hide=("lr", "view"))
    assert Config.from_text(odd.to_text()) == odd and Config.from_text("#" + odd.to_text()) == odd


def test_restore_into_a_new_app_reproduces_the_same_run():
    """Pasting the text into a new app gives the same picture after the same steps."""
    src = playground(Config(dataset="spiral", layers=(6, 3), features=("x1", "x2", "sin_x1"),
                            activation="relu", lr=0.01, optimizer="momentum", noise=10, seed=9,
                            show_test=True))
    text = src.config_text.value
    src.step(5)
    dst = playground()
    assert dst.restore(text) is True and dst.config == src.config
    dst.step(5)
    assert np.array_equal(pixels(dst), pixels(src))
    assert dst.status.value == src.status.value


@pytest.mark.parametrize("text,named", [("dataset=moon", "moon"), ("noize=5", "noize"),
                                        ("noise=abc", "noise"), ("layers=4,9", "layers"),
                                        ("batchnorm=maybe", "batchnorm")])
def test_bad_text_gives_a_message_and_keeps_the_running_config(text, named):
    """A bad text names the bad key or value and changes nothing: config, epoch, weights, box."""
    app = playground(Config(dataset="xor"))
    app.step(2)
    before, w = app.config, flat_weights(app.engine)
    assert app.restore(text) is False
    assert named in app.message.value
    assert app.config == before and app.engine.epoch == 2
    assert np.array_equal(flat_weights(app.engine), w)
    assert app.config_text.value == before.to_text()
    assert app.restore(before.to_text()) is True and app.message.value == ""


def test_restore_of_a_rate_within_rounding_of_the_menu_keeps_controls_in_sync():
    """lr=0.1000000000001 (passes validation as 0.1): restore must not raise and the box must match."""
    app = playground()
    app.restore("lr=0.1000000000001")
    assert app.config_text.value == app.config.to_text()
    assert app.controls["lr"].value == pytest.approx(app.config.lr)


# ---- 7. hiding controls ----------------------------------------------------------------------------

def _hidden(app):
    return {name for name, w in app.controls.items() if w.layout.display == "none"}


def test_hide_argument_hides_exactly_those_controls():
    """playground(hide=["noise", "features"]) hides those two controls and no other."""
    app = playground(hide=["noise", "features"])
    assert _hidden(app) == {"noise", "features"}
    assert "hide=noise,features" in app.config_text.value
    both = playground(Config(hide=("lr",)), hide=["noise"])
    assert _hidden(both) == {"lr", "noise"}


def test_hide_in_the_text_hides_exactly_those_controls():
    """hide=noise,features in the text (at start or by restore) hides those two, and restore can unhide."""
    app = playground("dataset=xor&hide=noise,features")
    assert _hidden(app) == {"noise", "features"}
    other = playground()
    assert other.restore("hide=lr,play") and _hidden(other) == {"lr", "play"}
    assert other.restore("hide=") and _hidden(other) == set()


def test_unknown_control_names_raise_naming_the_name():
    """An unknown name in hide (argument or text) raises ValueError naming it."""
    with pytest.raises(ValueError, match="nosie"):
        playground(hide=["nosie"])
    with pytest.raises(ValueError, match="learnrate"):
        playground("hide=noise,learnrate")


def test_hide_given_as_a_bare_string_is_a_type_error():
    """hide="noise" (a string, not a list) raises the TypeError PlaygroundApp means to raise."""
    with pytest.raises(TypeError, match="list of control names"):
        playground(hide="noise")


# ---- 8. optimizers ---------------------------------------------------------------------------------

def test_each_optimizer_follows_its_own_trajectory():
    """SGD, momentum, Nesterov, AdaGrad, RMSProp and Adam reach six different weights after 3 epochs."""
    finals = {}
    for opt in L.OPTIMIZERS:
        pg = Playground(Config(optimizer=opt, dataset="xor"))
        pg.step(3)
        finals[opt] = flat_weights(pg)
    names = list(finals)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert np.abs(finals[a] - finals[b]).max() > 1e-4, (a, b)


def test_adam_beats_sgd_on_the_spiral_in_100_epochs():
    """On the spiral with the default network and rate, Adam's training loss ends below SGD's."""
    loss = {}
    for opt in ("sgd", "adam"):
        pg = Playground(Config(dataset="spiral", optimizer=opt))
        pg.step(100)
        loss[opt] = pg.train_loss
    assert loss["adam"] < loss["sgd"] - 0.03


# ---- 9. initialization -----------------------------------------------------------------------------

@pytest.mark.parametrize("init", ["playground", "glorot", "he"])
def test_initialization_draws_from_the_chosen_scheme(init):
    """Weights are the chosen initializer's draws from the seed; biases 0.1 for Playground's, else 0."""
    cfg = Config(init=init, layers=(8, 8, 8, 8, 8, 8), seed=3)
    pg = Playground(cfg)
    rng = np.random.default_rng([3, 1])
    widths = [2, 8, 8, 8, 8, 8, 8, 1]
    for (W, b), n_in, n_out in zip(pg.weights(), widths[:-1], widths[1:]):
        if init == "playground":
            want = rng.uniform(-0.5, 0.5, (n_in, n_out))
        elif init == "glorot":
            want = nn.init.glorot_uniform(n_in, n_out, rng)
        else:
            want = nn.init.he_normal(n_in, n_out, rng)
        assert np.allclose(W, want)
        assert np.all(b == (0.1 if init == "playground" else 0.0))
    allW = np.concatenate([W.ravel() for W, _ in pg.weights()])
    if init == "playground":
        assert np.abs(allW).max() <= 0.5


def test_zero_init_with_tanh_moves_only_the_output_bias():
    """zeros + tanh: after training every weight and hidden bias is still 0, the output bias is not."""
    pg = Playground(Config(init="zeros", activation="tanh", dataset="gauss"))
    pg.step(3)
    ws = pg.weights()
    assert all(np.all(W == 0) for W, _ in ws)
    assert all(np.all(b == 0) for _, b in ws[:-1])
    assert ws[-1][1][0] != 0


def test_zero_init_with_sigmoid_keeps_the_units_of_a_layer_identical():
    """zeros + sigmoid: weights move, but every unit of a layer keeps the same weights and bias."""
    pg = Playground(Config(init="zeros", activation="sigmoid", layers=(4, 3), dataset="gauss"))
    pg.step(3)
    ws = pg.weights()
    assert np.abs(flat_weights(pg)).max() > 1e-3
    for W, b in ws[:-1]:
        assert np.allclose(W, W[:, :1]) and np.allclose(b, b[0])
        assert np.abs(W).max() > 0
    W_out = ws[-1][0]
    assert np.allclose(W_out, W_out[0]) and W_out[0, 0] != 0
    outs = pg.unit_outputs()
    assert np.allclose(outs[1], outs[1][:, :1]) and np.allclose(outs[2], outs[2][:, :1])


# ---- 10. loss --------------------------------------------------------------------------------------

def test_squared_error_and_cross_entropy_are_the_losses_recorded():
    """Squared: ½ mean (tanh out − t)²; cross-entropy: mean log(1 + e^(−t z)) on a linear logit."""
    sq = Playground(Config(loss="squared", seed=1))
    ce = Playground(Config(loss="cross_entropy", seed=1))
    assert isinstance(sq.model.layers[-1], nn.Tanh) and isinstance(ce.model.layers[-1], nn.Dense)
    o = sq.model.forward(sq.X_fit).ravel()
    assert sq.history["train"][0] == pytest.approx(0.5 * np.mean((o - sq.t_fit) ** 2))
    z = ce.model.forward(ce.X_fit).ravel()
    assert ce.history["train"][0] == pytest.approx(np.mean(np.log1p(np.exp(-ce.t_fit * z))))
    assert np.allclose(ce.predict(ce.P_fit[:5]), 2 / (1 + np.exp(-z[:5])) - 1)
    sq.step(3)
    ce.step(3)
    assert not np.allclose(flat_weights(sq), flat_weights(ce))
    with pytest.raises(ValueError, match="cross_entropy"):
        Config(problem="regression", dataset="plane", loss="cross_entropy")


# ---- 11. dropout -----------------------------------------------------------------------------------

def test_dropout_crosses_the_dropped_units_and_the_mask_changes():
    """With dropout the picture crosses exactly the masked-out units, and the mask differs between epochs."""
    app = playground(Config(dropout=0.5, layers=(8, 8), seed=1))
    assert app.engine.mask is None
    masks, dark = [], (60, 60, 60)
    for _ in range(3):
        app.step()
        mask = [m.copy() for m in app.engine.mask]
        masks.append(np.concatenate(mask))
        arr = pixels(app)
        for c, m in enumerate(mask, start=1):
            for k, kept in enumerate(m):
                t = thumb(arr, c, k)
                diag = [tuple(t[i, i]) == dark for i in range(4, V.THUMB - 4)]
                assert all(diag) != bool(kept), (c, k, kept)
    assert sum(not m for m in masks[0]) > 0
    outs = app.engine.unit_outputs()                   # the pictures show the whole network, no dropout
    assert np.array_equal(outs[-1], app.engine.unit_outputs()[-1])
    assert np.allclose(outs[-1][:, 0], app.engine.predict(grid_points()))
    assert not (np.array_equal(masks[0], masks[1]) and np.array_equal(masks[1], masks[2]))
    plain = Playground(Config(layers=(8, 8)))
    plain.step()
    assert plain.mask is None


# ---- 12. batch norm --------------------------------------------------------------------------------

def test_batchnorm_adds_a_layer_per_hidden_layer_and_trains():
    """batchnorm puts one BatchNorm after each hidden Dense and training still lowers the loss."""
    pg = Playground(Config(batchnorm=True, layers=(4, 3, 2), dataset="gauss"))
    kinds = [type(m) for m in pg.model.layers]
    assert kinds.count(nn.BatchNorm) == 3
    for i, k in enumerate(kinds):
        if k is nn.BatchNorm:
            assert kinds[i - 1] is nn.Dense
    pg.step(5)
    assert pg.history["train"][-1] < pg.history["train"][0]


def test_batchnorm_with_batch_size_one_is_refused_with_a_message():
    """Batch norm at batch size 1 is refused (message names batch_size); the running config stays."""
    app = playground(Config(batchnorm=True, batch_size=4))
    app.controls["batch_size"].value = 1
    assert app.config.batch_size == 4 and app.controls["batch_size"].value == 4
    assert "batch_size" in app.message.value
    other = playground(Config(batch_size=1))
    assert other.set(batchnorm=True) is False and other.config.batchnorm is False
    assert "batch_size" in other.message.value


# ---- 13. early stopping ----------------------------------------------------------------------------

def test_early_stopping_restores_the_best_epochs_weights_and_marks_the_curve():
    """Early stopping stops 30 epochs after the best validation loss, with that epoch's weights, marked."""
    app = playground(Config(early_stopping=True, dataset="circle", noise=30, train_ratio=20, layers=(6,),
                            lr=0.3))
    eng = app.engine
    saved = {0: snapshot(eng)}
    keep_going = True
    while keep_going and eng.epoch < 200:
        keep_going = app.frame()
        saved[eng.epoch] = snapshot(eng)
    assert eng.stopped and not keep_going
    best = eng.best_epoch
    assert eng.epoch - best == L.PATIENCE
    assert best == int(np.argmin(eng.history["val"]))
    for (W, b), (Wb, bb) in zip(eng.weights(), saved[best]):
        assert np.array_equal(W, Wb) and np.array_equal(b, bb)
    assert len(eng.P_val) == 20 and len(eng.P_fit) == 80
    h = eng.history
    assert h["train"][-1] == pytest.approx(h["train"][best])
    assert h["test"][-1] == pytest.approx(h["test"][best])
    app.step(5)
    assert eng.epoch == best + L.PATIENCE                                   # no more training
    c = chart(pixels(app))
    x = round(V.HEAT * best / eng.epoch)
    assert count(c[:, max(x - 1, 0):x + 2], (40, 160, 80)) > 60             # the green best-epoch line
    assert count(c, (60, 110, 200)) > 0                                     # the validation curve


def test_early_stopping_with_batchnorm_restores_the_best_epochs_network():
    """With batch norm, the restored network scores the best epoch's validation loss (running stats too)."""
    pg = Playground(Config(early_stopping=True, batchnorm=True, dataset="circle", noise=30, train_ratio=20,
                           layers=(6,), lr=0.3))
    pg.step(300)
    assert pg.stopped
    restored_val = 0.5 * np.mean((pg.predict(pg.P_val) - pg.t_val) ** 2)
    assert restored_val == pytest.approx(pg.history["val"][pg.best_epoch], rel=1e-9)


# ---- 14. accuracy ----------------------------------------------------------------------------------

def test_accuracy_is_the_fraction_of_points_on_the_right_side():
    """test_acc = mean(sign(output) == label) on the test points, and it rises on two Gaussians."""
    pg = Playground(Config(dataset="gauss", seed=2))
    pg.step(5)
    pred = np.where(pg.predict(pg.P_test) >= 0, 1.0, -1.0)
    assert pg.history["test_acc"][-1] == pytest.approx(np.mean(pred == pg.t_test))
    train_pred = np.where(pg.predict(pg.P_fit) >= 0, 1.0, -1.0)
    assert pg.history["train_acc"][-1] == pytest.approx(np.mean(train_pred == pg.t_fit))
    assert pg.history["test_acc"][-1] > 0.9
    flat = Playground(Config(dataset="gauss", seed=2, lr=0.00001))
    flat.weights()[-1][0][...] = 0.0
    flat.weights()[-1][1][...] = 0.05                  # output tanh(0.05) > 0 everywhere: all say +1
    flat.step()
    assert flat.history["test_acc"][-1] == pytest.approx(np.mean(flat.t_test == 1))
    assert flat.history["train_acc"][-1] == pytest.approx(np.mean(flat.t_fit == 1))
    reg = Playground(Config(problem="regression", dataset="plane"))
    assert reg.history["test_acc"] == [None]


# ---- 15. gradient-norm strip ----------------------------------------------------------------------

def test_gradient_strip_shows_each_weight_matrix_norm_on_a_log_scale():
    """grad_norms are ‖∂L/∂W‖ of the last update per Dense layer; bars fill as log10 over 1e-6..10."""
    app = playground(Config(layers=(4, 2), seed=1))
    assert app.engine.grad_norms == [0.0, 0.0, 0.0]
    app.step()
    eng = app.engine
    dense = [m for m in eng.model.layers if isinstance(m, nn.Dense)]
    assert eng.grad_norms == pytest.approx([np.linalg.norm(m.grads["W"]) for m in dense])
    assert all(g > 0 for g in eng.grad_norms)
    arr = pixels(app)
    y = V.STRIP_Y + 7
    for c, g in enumerate(eng.grad_norms):
        x = V.column_x(c) + V.THUMB // 2 + V.COL // 2 - 14 if c < 2 else V.HEAT_X - 34
        filled = np.all(arr[y, x - 2:x + 31] == (90, 90, 150), axis=-1)
        frac = min(max((math.log10(g) + 6) / 7, 0), 1)
        n = round(28 * frac)
        assert np.array_equal(np.nonzero(filled)[0], np.arange(2, n + 3)), (c, g)   # x .. x + n


# ---- 16. reshuffling -------------------------------------------------------------------------------

@pytest.mark.parametrize("reshuffle", [False, True])
def test_reshuffle_changes_the_batches_between_epochs(reshuffle):
    """From the same weights, two epochs see the same batches without reshuffling, other ones with it."""
    pg = Playground(Config(reshuffle=reshuffle, seed=2))
    start = pg.model.get_weights()
    batches = []
    forward = pg.model._forward

    def spy(X):
        batches.append(X.copy())
        return forward(X)

    pg.model._forward = spy
    pg.step()
    first, after_first = batches[:25], flat_weights(pg)
    batches.clear()
    pg.model.set_weights(start)
    pg.step()
    second = batches[:25]
    same = all(np.array_equal(a, b) for a, b in zip(first, second))
    assert same is (not reshuffle)
    assert np.array_equal(flat_weights(pg), after_first) is (not reshuffle)
