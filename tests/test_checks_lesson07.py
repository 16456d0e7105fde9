"""Lesson 07's checker: correct answers in other styles pass (other ways of drawing the masks
included, since the random functions are judged by properties, not by one draw), the property
checks reject what they must, the detectors do not fire on correct answers drawn with other seeds,
and the verdicts say what is wrong."""

import numpy as np
import pytest

from course.checks import lesson07 as check
from check_helpers import cases as _cases
from check_helpers import fails as _fails


@pytest.fixture(autouse=True)
def _no_progress_file(monkeypatch):
    monkeypatch.setenv("NNLIB_PROGRESS", "off")


# --- 7.1 dropout_forward: correct in other styles -----------------------------------------------------


def _fwd_binomial(X, p_drop, rng, training=True):
    if not training:
        return np.array(X, dtype=float), np.ones(np.shape(X), dtype=bool)
    keep = rng.binomial(1, 1 - p_drop, size=X.shape)
    return keep * X / (1 - p_drop), keep


def _fwd_uniform_lt(X, p_drop, rng, training=True):
    if not training:
        return X + 0.0, np.ones_like(X, dtype=float)
    keep = rng.uniform(size=X.shape) < 1 - p_drop
    return np.where(keep, X / (1 - p_drop), 0.0), keep


def _fwd_draws_in_eval(X, p_drop, rng, training=True):
    keep = rng.random(X.shape) >= p_drop  # drawn in both modes, used in training only
    if not training:
        return X.copy(), np.ones(X.shape)
    return X * keep / (1 - p_drop), keep.astype(np.float64)


@pytest.mark.parametrize("f", [_fwd_binomial, _fwd_uniform_lt, _fwd_draws_in_eval])
def test_forward_correct_styles_pass(f):
    assert check.dropout_forward(f).passed


def test_forward_a_shared_mask_is_named_and_the_message_says_why():
    def shared(X, p_drop, rng, training=True):
        if not training:
            return X.copy(), np.ones_like(X)
        keep = rng.random(X.shape[1]) >= p_drop
        return X * keep / (1 - p_drop), np.tile(keep, (len(X), 1))

    r = check.dropout_forward(shared)
    assert r.mistake == "batch_mask" and "same mask" in r.message


def test_forward_inverted_scaling_in_eval_mode_is_named():
    def both(X, p_drop, rng, training=True):
        if not training:
            return X * (1 - p_drop), np.ones_like(X)
        keep = rng.random(X.shape) >= p_drop
        return X * keep / (1 - p_drop), keep

    r = check.dropout_forward(both)
    assert r.mistake == "eval_scaled" and "evaluation" in r.message


def test_forward_a_wrong_drop_rate_is_caught_by_its_effect():
    def rate_off(X, p_drop, rng, training=True):
        if not training:
            return X.copy(), np.ones_like(X)
        keep = rng.random(X.shape) >= p_drop + 0.05  # drops 5 points too many
        return X * keep / (1 - p_drop), keep

    r = check.dropout_forward(rate_off)
    assert r.status == "failed" and "of the units were dropped" in r.message


# --- 7.2 dropout_backward ------------------------------------------------------------------------------


def test_backward_other_styles_pass():
    assert check.dropout_backward(lambda dY, keep, p: np.where(keep, dY / (1 - p), 0.0)).passed
    assert check.dropout_backward(lambda dY, keep, p: np.multiply(dY, keep) * (1 / (1 - p))).passed


def test_backward_detectors_do_not_fire_on_the_reference_with_other_seeds():
    for seed in range(5):
        for case in _cases(check.dropout_backward, seed):
            got = check._dropout_backward(*case.args)
            assert check._backward_effect(got, case) is None


# --- 7.3 test_time_logits ------------------------------------------------------------------------------


def test_test_time_scaling_the_inputs_instead_of_w1_passes():
    def scale_inputs(params, X, pi, ph):
        h = np.maximum(((1 - pi) * X) @ params["W1"] + params["b1"], 0)
        return ((1 - ph) * h) @ params["W2"] + params["b2"]

    assert check.test_time_logits(scale_inputs).passed


def test_test_time_rules_are_named_whichever_way_they_are_written():
    def no_scale(params, X, pi, ph):  # the plain forward pass, written with np.dot
        return np.dot(np.clip(np.dot(X, params["W1"]) + params["b1"], 0, None), params["W2"]) + params["b2"]

    def swapped(params, X, pi, ph):  # keep and drop confused, on the activations
        h = np.maximum(pi * X @ params["W1"] + params["b1"], 0)
        return (ph * h) @ params["W2"] + params["b2"]

    assert check.test_time_logits(no_scale).mistake == "no_scaling"
    assert check.test_time_logits(swapped).mistake == "scaled_by_drop"


# --- 7.4 mc_predict -------------------------------------------------------------------------------------


def _mc_one_draw(params, X, p_drop, k, rng):
    h = np.maximum(X @ params["W1"] + params["b1"], 0)
    keep = rng.random((k, *h.shape)) >= p_drop  # all k masks in one draw
    z = (h * keep / (1 - p_drop)) @ params["W2"] + params["b2"]
    z = z - z.max(axis=2, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=2, keepdims=True)).mean(axis=0)


def _mc_binomial(params, X, p_drop, k, rng):
    h = np.maximum(X @ params["W1"] + params["b1"], 0)
    total = 0
    for _ in range(k):
        z = h * rng.binomial(1, 1 - p_drop, size=h.shape) / (1 - p_drop) @ params["W2"] + params["b2"]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        total = total + e / e.sum(axis=1, keepdims=True)
    return total / k


@pytest.mark.parametrize("f", [_mc_one_draw, _mc_binomial])
def test_mc_correct_styles_pass(f):
    assert check.mc_predict(f).passed


def test_mc_weight_scaling_is_not_accepted_as_monte_carlo():
    def weight_scaling(params, X, p_drop, k, rng):
        rng.random()
        z = np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    r = check.mc_predict(weight_scaling)
    assert r.mistake == "no_dropout"


def test_mc_detectors_do_not_fire_on_the_reference_with_other_seeds():
    for seed in range(3):
        for case in _cases(check.mc_predict, seed):
            got = check._mc_predict(*case.args[:4], np.random.default_rng(seed + 100))
            assert check._mc_effect(got, case) is None, case.label


def test_mc_a_small_bias_in_the_mean_is_caught():
    def biased(params, X, p_drop, k, rng):  # keeps 10 points too many units
        return (
            check._mc_predict(params, X, max(p_drop - 0.1, 0.0), k, rng)
            if p_drop
            else check._mc_predict(params, X, p_drop, k, rng)
        )

    r = check.mc_predict(biased)
    assert r.status == "failed"
    assert not _fails(
        check.mc_predict,
        check._mc_predict(*_cases(check.mc_predict)[2].args[:4], np.random.default_rng(9)),
        _cases(check.mc_predict)[2],
    )


# --- 7.5 choose_p_drop -----------------------------------------------------------------------------------


def test_choose_other_styles_pass():
    def loop(results):
        best_p, best = None, -1.0
        for p in sorted(results):
            if results[p]["val_acc"] > best:
                best_p, best = p, results[p]["val_acc"]
        return best_p

    assert check.choose_p_drop(loop).passed
    assert check.choose_p_drop(lambda res: min(res, key=lambda p: (-res[p]["val_acc"], p))).passed


def test_choose_names_selection_on_the_test_set():
    r = check.choose_p_drop(lambda res: max(sorted(res), key=lambda p: res[p]["test_acc"]))
    assert r.mistake == "on_test" and "test set" in r.message
