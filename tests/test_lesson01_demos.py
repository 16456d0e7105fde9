"""Lesson 01's demonstrations show what the lesson says they show: the helpers in
course/computations/lesson01.py and the bound line of the approximation explorer."""
import numpy as np
import pytest

import nnlib as nn
from course import widgets
from course.computations import lesson01


def test_every_jump_target_is_listed_with_its_jump():
    x = np.linspace(-3, 3, 601)
    for name, jump in lesson01.JUMPS.items():
        y = lesson01.TARGETS[name](x)
        assert np.abs(np.diff(y)).max() == pytest.approx(jump, abs=0.02), name
    for name in set(lesson01.TARGETS) - set(lesson01.JUMPS):           # the continuous targets
        assert np.abs(np.diff(lesson01.TARGETS[name](x))).max() < 0.05, name


@pytest.mark.parametrize("name", list(lesson01.JUMPS))
def test_hand_built_networks_never_beat_half_the_jump(name):
    x = np.linspace(-3, 3, 601)
    f = lesson01.TARGETS[name]
    for activation in ("sigmoid", "relu"):
        e_max, _ = lesson01.approximation_errors(f, x, units=[4, 16, 64, 128], activation=activation)
        assert e_max.min() >= lesson01.JUMPS[name] / 2 - 1e-9


def test_the_explorer_draws_half_the_jump_of_the_chosen_target_and_hides_it_otherwise():
    live = widgets.approximation_explorer()
    bound = next(line for line in live.fig.axes[1].lines if line.get_linestyle() == ":")
    assert not bound.get_visible()                                       # sin(x): no jump
    for name, jump in lesson01.JUMPS.items():
        live.set(target=name)
        assert bound.get_visible() and bound.get_ydata()[0] == jump / 2


def test_gradient_norms_vanish_for_deep_sigmoid_networks_and_not_for_relu_with_he_init():
    X = np.linspace(-3, 3, 201)[:, None]
    sig = lesson01.gradient_norms(10, nn.Sigmoid, nn.init.glorot_uniform, X, np.sin(X))
    relu = lesson01.gradient_norms(10, nn.ReLU, nn.init.he_normal, X, np.sin(X))
    assert len(sig) == 11 and sig[0] < 1e-4 * sig[-2]
    assert 0.1 < relu[0] / relu[-2] < 10


def test_step_time_ratios_are_relative_to_the_first_network():
    ratios = lesson01.step_time_ratios([[8, 4, 2], [8, 64, 64, 2]], repeats=2)
    assert ratios[0] == 1.0 and ratios[1] > 1.0


def test_overfitting_sweep_returns_parameters_and_both_errors_per_width():
    results = lesson01.overfitting_sweep(widths=(2, 16), seeds=(0,), epochs=50)
    assert list(results) == [2, 16]
    assert results[16][0] == nn.mlp([1, 16, 16, 1], rng=nn.make_rng(0)).num_parameters()
    assert all(train > 0 and val > 0 for _, train, val in results.values())
