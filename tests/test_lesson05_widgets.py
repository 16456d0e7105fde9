"""Lesson 05's computations and live figures: the numbers the lesson quotes (EX1, EX2, EX14 of the sources),
the optimizer paths made by nnlib's own optimizers, safe divergence, and every widget control redrawing
within the speed budget of COURSE.md (median update <= 60 ms in the kernel)."""
import dataclasses
import statistics

import numpy as np
import pytest

import nnlib as nn
from course import widgets
from course.computations import lesson05 as L
from course.widgets import lesson05 as w05



# --- computations ----------------------------------------------------------------------------

def test_goh_iteration_counts():
    assert L.quadratic_iterations(100, "gd") == 691                    # EX1
    assert L.quadratic_iterations(100, "momentum") == 93               # EX2
    assert L.quadratic_iterations(10, "gd") == 69
    assert L.quadratic_iterations(1000, "momentum") == 315
    alpha, beta, rate = L.optimal_momentum(100)
    assert (alpha, beta, rate) == pytest.approx((0.0331, 0.669, 0.818), abs=5e-4)
    assert L.momentum_rate(alpha, beta, 100) == pytest.approx(rate, abs=1e-6)
    assert L.momentum_rate(2 / 101, 0.0, 100) == pytest.approx(99 / 101)       # gradient descent
    assert L.quadratic_iterations(100, "gd", lr=0.021, max_iter=5000) == 5000  # alpha * 100 > 2: diverges


def test_optimal_alpha_minimizes_the_rate():
    for kappa in (10.0, 100.0):
        for beta in (0.0, 0.3, 0.8):
            grid = np.geomspace(1e-4, 1.0, 4000)
            best = min(L.momentum_rate(a, beta, kappa) for a in grid)
            assert L.momentum_rate(L.optimal_alpha(beta, kappa), beta, kappa) <= best + 1e-6


def test_run_optimizer_is_nnlib_on_a_model():
    """The path on a surface is the path nnlib's optimizer takes on a real model whose parameter is xy."""
    s = L.SURFACES["curved valley (Rosenbrock)"]
    for name in L.OPTIMIZERS:
        opt = L.make_optimizer(name, 0.01, momentum=0.8, beta1=0.85, beta2=0.95)
        positions, losses = L.run_optimizer(opt, s, 25)
        model = nn.Sequential([nn.Dense(1, 2, rng=nn.make_rng(0))])
        b = model[0].params["b"]
        b[:] = s.start
        reference = L.make_optimizer(name, 0.01, momentum=0.8, beta1=0.85, beta2=0.95)
        path = [b.copy()]
        for _ in range(25):
            model.zero_grad()
            model[0].grads["b"][:] = s.grad(b)
            reference.step(model)
            path.append(b.copy())
        np.testing.assert_array_equal(positions, np.array(path), err_msg=name)
        np.testing.assert_allclose(losses, s.f(np.array(path)))


def test_run_optimizer_resets_and_handles_divergence():
    s = L.SURFACES["ill-conditioned quadratic"]
    opt = nn.optim.SGD(lr=0.1)                                           # 0.1 * 25 > 2: diverges
    with np.errstate(all="raise"):                                        # no overflow warning escapes
        positions, losses = L.run_optimizer(opt, s, 400)
    assert positions.shape == (401, 2) and losses.shape == (401,)
    bad = ~np.isfinite(losses)
    first = int(np.argmax(bad))
    assert 0 < first < 400 and bad[first:].all() and np.isfinite(losses[:first]).all()
    assert np.abs(positions[:first]).max() <= L.BOX
    again, _ = L.run_optimizer(opt, s, 400)                              # reset: the same run again
    np.testing.assert_array_equal(again, positions)
    adam = nn.optim.Adam(lr=0.05)
    first_run = L.run_optimizer(adam, s, 50)[0]
    np.testing.assert_array_equal(L.run_optimizer(adam, s, 50)[0], first_run)


def test_surfaces():
    for name, s in L.SURFACES.items():
        X, Y = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 4))
        assert s.f(np.stack([X, Y], -1)).shape == (4, 5), name
        h, p = 1e-6, np.array([0.3, -0.7])
        numeric = [(s.f(p + h * e) - s.f(p - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(s.grad(p), numeric, rtol=1e-6, atol=1e-6, err_msg=name)
        for m in s.minima:
            assert np.abs(s.grad(m)).max() < 1e-9, name
    two = L.SURFACES["two minima"]
    f_global, f_local = two.f(two.minima)
    assert two.minima[0, 0] < 0 < two.minima[1, 0] and f_global < f_local and two.f_min == f_global
    assert L.SURFACES["saddle"].f_min == -np.inf


def test_demonstrations_show_what_the_lesson_says():
    q = L.SURFACES["ill-conditioned quadratic"]
    sgd, _ = L.run_optimizer(nn.optim.SGD(lr=0.075), q, 60)
    assert (np.diff(np.sign(sgd[:20, 1])) != 0).all()                    # SGD zig-zags across the valley
    _, f_sgd = L.run_optimizer(nn.optim.SGD(lr=0.075), q, 60)
    _, f_mom = L.run_optimizer(nn.optim.SGD(lr=0.075, momentum=0.5), q, 60)
    assert f_mom[-1] < 1e-6 * f_sgd[-1]
    adam, _ = L.run_optimizer(nn.optim.Adam(lr=0.075), q, 30)
    assert np.abs(np.diff(adam, axis=0)).max() <= 1.1 * 0.075             # steps of about lr ...
    steep = dataclasses.replace(q, f=lambda xy: 100 * q.f(xy), grad=lambda xy: 100 * q.grad(xy))
    np.testing.assert_allclose(L.run_optimizer(nn.optim.Adam(lr=0.075), steep, 30)[0], adam, atol=1e-6)
    r = L.SURFACES["curved valley (Rosenbrock)"]
    _, f_ada = L.run_optimizer(nn.optim.AdaGrad(lr=0.05), r, 300)
    _, f_adam = L.run_optimizer(nn.optim.Adam(lr=0.05, beta2=0.99), r, 300)   # the race's default β2
    assert f_ada[-1] > 1.0 and f_adam[-1] < 1e-6                         # AdaGrad stalls in the valley
    two = L.SURFACES["two minima"]
    for opt, side in ((nn.optim.SGD(lr=0.05), 1), (nn.optim.SGD(lr=0.05, momentum=0.7), -1)):
        pos, _ = L.run_optimizer(opt, two, 200)
        assert np.sign(pos[-1, 0]) == side
    s = L.SURFACES["saddle"]
    pos, f = L.run_optimizer(nn.optim.SGD(lr=0.1), s, 100)
    flat = np.abs(f[:41]) < 0.05
    assert flat.sum() > 15 and f[45] < -10                               # lingers near f = 0, then escapes


def test_gradient_noise_follows_sigma2_over_b():
    r = L.gradient_noise([1, 16, 256], 100, nn.make_rng(0))
    assert r["N"] == 1079 and r["sigma2"] > 0
    np.testing.assert_allclose(r["spread"], r["without_replacement"], rtol=0.35)
    assert r["spread"][0] > 30 * r["spread"][2]
    again = L.gradient_noise([16], 20, nn.make_rng(5))["spread"]
    assert again == L.gradient_noise([16], 20, nn.make_rng(5))["spread"]
    assert again != L.gradient_noise([16], 20, nn.make_rng(6))["spread"]


def test_batch_size_runs():
    runs = L.batch_size_runs([8, 1079], epochs=2, lr=0.02, rng=nn.make_rng(0))
    small, full = runs[8], runs[1079]
    assert small["steps_per_epoch"] == 135 and full["steps_per_epoch"] == 1
    assert len(small["loss"]) == 270 and small["examples"][-1] == 2 * 1079
    assert small["eval_loss"][0] == pytest.approx(full["eval_loss"][0])      # the same start
    assert small["eval_loss"][-1] < full["eval_loss"][-1]                     # more steps per epoch
    assert np.all(np.diff(small["seconds"]) >= 0) and small["epoch_seconds"].shape == (2,)
    with pytest.raises(TypeError, match="rng"):
        L.batch_size_runs([8], epochs=1)


# --- widgets ---------------------------------------------------------------------------------

BUILDERS = ["optimizer_race", "batch_size_explorer", "momentum_explorer"]


def test_builders_are_exported():
    for name in BUILDERS:
        assert name in widgets.__all__ and callable(getattr(widgets, name))


# Every control of every builder moved, each changing the image: tests/test_widgets.py.


def _median_update(live, moves):
    """Make every move; each must redraw once. Returns the median update in seconds (printed by
    ``python tests/test_lesson05_widgets.py``, never asserted: timings belong to benchmarks)."""
    n = len(live.timings)
    for values in moves:
        live.set(**values)
    assert len(live.timings) == n + len(moves), "a move did not redraw the figure"
    return statistics.median(live.timings[n:])


def test_race_redraws_on_every_move():
    live = widgets.optimizer_race()
    live.set(**{name: True for name in L.OPTIMIZERS})                       # the worst case: all six
    moves = ([{"lr": v} for v in np.geomspace(0.01, 0.09, 8)] + [{"mu": v} for v in np.linspace(0.2, 0.95, 6)]
             + [{"beta2": v} for v in np.linspace(0.9, 0.999, 6)] + [{"steps": v} for v in (60, 120, 200)])
    _median_update(live, moves)


def test_batch_size_explorer_redraws_on_every_move():
    live = widgets.batch_size_explorer()
    sizes = [v for _, v in live.controls["batch_size"].options]
    moves = [{"batch_size": b} for b in sizes * 2] + [{"x": x} for x in ("examples", "seconds", "steps")]
    _median_update(live, moves)


def test_momentum_explorer_redraws_on_every_move_and_titles_the_rate():
    live = widgets.momentum_explorer()
    moves = ([{"beta": b} for b in np.linspace(0, 0.99, 8)] + [{"kappa": k} for k in (2, 10, 300, 1000)]
             + [{"alpha_scale": a} for a in (0.5, 1.5, 2.5)])
    _median_update(live, moves)
    live.set(kappa=100.0, alpha_scale=1.0, beta=0.0)
    assert "0.9802" in live.fig.axes[1].get_title()                         # GD's rate (kappa-1)/(kappa+1)
    live.set(alpha_scale=1.05)
    assert "diverges" in live.fig.axes[1].get_title()


def test_static_helpers_draw():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    s = "ill-conditioned quadratic"
    runs = L.paths(s, ("SGD", "Adam"), lr=0.05, steps=20)
    ax = w05.plot_surface_paths(s, runs)
    assert len(ax.get_legend().get_texts()) == 2
    w05.plot_losses(runs)
    ax = w05.plot_lr_quadratic()
    assert len(ax.get_legend().get_texts()) == 4
    x = L.gd_on_parabola((0.1, 1.0, 1.7, 2.1), steps=10)
    assert x[1.0][1] == 0 and x[1.7][1] < 0 < x[1.7][2] and abs(x[2.1][-1]) > 1 > abs(x[0.1][-1])
    w05.plot_gradient_noise(L.gradient_noise([1, 4, 1079], 10, nn.make_rng(0)))
    N, runs, _ = w05.batch_size_data()
    for x in ("steps", "examples", "seconds"):
        w05.plot_batch_size_runs(runs, x=x, N=N)
    plt.close("all")
