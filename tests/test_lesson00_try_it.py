"""Lesson 00's numbers and "try it" claims: the one-neuron explorer at the settings the lesson names,
and the typical best step of a finite difference."""
import numpy as np

import nnlib as nn
from course.computations.lesson00 import error_floor, neuron_forward_backward


def test_saturated_neuron_has_a_large_loss_and_a_vanishing_gradient():
    v = neuron_forward_backward(x=3.0, w=-5.0, b=0.0, t=1.0)      # the lesson's "try it" setting
    assert abs(v["z"] + 15) < 1e-12 and 2e-7 < v["a"] < 4e-7
    assert v["L"] > 0.999
    assert -2e-6 < v["dL/dw"] < -1.7e-6


def test_with_target_zero_the_same_point_has_no_loss_and_no_gradient():
    v = neuron_forward_backward(x=3.0, w=-5.0, b=0.0, t=0.0)
    assert v["L"] < 1e-12 and abs(v["dL/dw"]) < 1e-11


def test_error_floor_ignores_a_lucky_dip():
    hs = np.logspace(-15, -1, 300)
    e_forward, e_centred = nn.gradcheck.finite_difference_errors(np.sin, np.cos, 1.0, hs)
    h_f, floor_f = error_floor(hs, e_forward)
    h_c, floor_c = error_floor(hs, e_centred)
    assert 1e-9 < h_f < 1e-7 and 3e-9 < floor_f < 3e-8          # about sqrt(eps) and 1e-8
    assert 1e-6 < h_c < 1e-5 and 3e-12 < floor_c < 3e-11         # about eps**(1/3) and 1e-11
    assert floor_c > e_centred.min() and 300 < floor_f / floor_c < 3000   # "about a thousand times"
