"""Lesson 01's checker: the cases separate the catalogued mistakes, the detectors fire on their
mistake only, np.interp is switched off during 1.2's check (and only then), and 1.5 names its
mistakes by their effect on the returned model."""
import copy

import numpy as np
import pytest

import nnlib as nn
from course.checks import lesson01 as check
from course.checks._framework import Case

VALUED = [check.sigmoid_bump, check.relu_interpolant, check.mlp_param_count, check.mlp_flops]
# entries recognised from something other than the returned value (an error, a mutation, a type)
NOT_BY_VALUE = {"forbidden_interp", "changed_x", "float_count", "changed_sizes", "list_only", "one_d_only"}


def _run(f, case):
    args = copy.deepcopy(case.args)
    with np.errstate(all="ignore"):
        got = f(*args, **case.kwargs)
    seen = Case(case.args, case.kwargs, case.label)
    seen.seen_args = args
    return got, seen


def _same(a, b, ex):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=ex.rtol, atol=max(ex.atol, 1e-9)))


def _wrong(ex, got, expected):
    if ex in (check.mlp_param_count, check.mlp_flops):
        return abs(got - expected) >= 0.5
    return not _same(got, expected, ex)


def _deciding(ex, m):
    """The first case on which the mistake's impl gives a wrong answer, and that answer."""
    for case in ex.make_cases(np.random.default_rng(ex.seed)):
        got, seen = _run(m.impl, case)
        expected = ex.reference(*copy.deepcopy(case.args))
        if _wrong(ex, got, expected):
            return seen, got, expected
    raise AssertionError(f"{ex.number} {m.key}: its impl passes every case")


BY_VALUE = [(ex, m) for ex in VALUED for m in ex.mistakes if m.key not in NOT_BY_VALUE]


@pytest.mark.parametrize("ex, m", BY_VALUE, ids=[f"{ex.number}-{m.key}" for ex, m in BY_VALUE])
def test_the_deciding_case_tells_the_mistake_from_every_other(ex, m):
    case, got, expected = _deciding(ex, m)
    for other in ex.mistakes:
        if other is m or other.key in NOT_BY_VALUE:
            continue
        theirs, _ = _run(other.impl, case)
        assert not _same(got, theirs, ex), f"{m.key} and {other.key} agree on {case.label}"
        if other.detect is not None:
            assert not other.detect(got, expected, case), f"{other.key}'s detector fires on {m.key}"


@pytest.mark.parametrize("ex", VALUED, ids=[ex.name for ex in VALUED])
def test_no_detector_fires_on_the_right_answer(ex):
    for case in ex.make_cases(np.random.default_rng(ex.seed)):
        got, seen = _run(ex.reference, case)
        for m in ex.mistakes:
            if m.detect is not None:
                assert not m.detect(got, got, seen), f"{m.key} fires on the reference ({case.label})"


def test_fit_detectors_do_not_fire_on_the_right_model():
    ex = check.fit_to_target
    for case in ex.make_cases(np.random.default_rng(ex.seed)):
        with check._fits_recorded(ex.reference) as watched:
            got, seen = _run(watched, case)
            for m in ex.mistakes:
                assert not m.detect(got, None, seen), f"{m.key} fires on the reference ({case.label})"


def test_np_interp_is_switched_off_during_the_check_only():
    original = np.interp

    def with_interp(x, knots, values):
        return np.interp(x, knots, values)

    result = check.relu_interpolant(with_interp)
    assert result.status == "failed" and result.mistake == "forbidden_interp"
    assert "ReLU units" in result.message and "`return np.interp(x, knots, values)`" in result.message
    assert np.interp is original and np.interp([0.5], [0.0, 1.0], [0.0, 2.0])[0] == 1.0
    assert check.relu_interpolant(check._relu_interpolant).passed


def test_an_interp_imported_by_name_is_switched_off_too():
    from numpy import interp
    result = check.relu_interpolant(lambda x, knots, values: interp(x, knots, values))
    assert result.mistake == "forbidden_interp"
    assert interp([0.5], [0.0, 1.0], [0.0, 2.0])[0] == 1.0


def test_np_interp_comes_back_when_the_learner_swallows_the_error():
    def falls_back(x, knots, values):
        try:
            return np.interp(x, knots, values)
        except Exception:  # noqa: BLE001 - what a learner might write
            return check._relu_interpolant(x, knots, values)

    assert check.relu_interpolant(falls_back).passed
    assert np.interp([2.0], [0.0, 1.0], [0.0, 2.0])[0] == 2.0


def test_a_count_that_is_a_numpy_int_passes_and_a_tuple_works():
    assert check.mlp_param_count(lambda sizes: np.int64(check._param_count(sizes))).passed
    assert check.mlp_flops(lambda sizes: np.sum([2 * a * b for a, b in zip(sizes[:-1], sizes[1:])])).passed


def test_a_diverging_fit_is_named_at_the_learners_line():
    def too_fast(f, x_range, rng):
        X = np.linspace(*x_range, 64)[:, None]
        model = nn.mlp([1, 16, 1], activation=nn.Tanh, rng=rng)
        nn.fit(model, nn.MSELoss(), nn.optim.SGD(lr=3.0), X, f(X), epochs=300, batch_size=None)
        return model

    result = check.fit_to_target(too_fast)
    assert result.mistake == "diverged", result
    assert "TrainingDiverged" in result.message and "nn.fit(model, nn.MSELoss()" in result.message
    assert nn.fit is nn.training.fit


def test_samples_outside_the_interval_are_seen_in_the_fit_inputs():
    def right_half(f, x_range, rng):
        X = np.linspace(0.0, x_range[1], 64)[:, None]
        model = nn.Sequential([nn.Dense(1, 16, rng=rng), nn.Tanh(), nn.Dense(16, 1, rng=rng)])
        nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.03), X, f(X), epochs=400, batch_size=None)
        return model

    assert check.fit_to_target(right_half).mistake == "samples_outside"
    assert check._FITS == [] and nn.fit is nn.training.fit


def test_tanh_steps_are_named_whether_or_not_rescaled():
    def tanh_bump(x, left, right, steepness):
        up, down = np.tanh(steepness * (x - left)), np.tanh(steepness * (x - right))
        return up - down

    def half_argument(x, left, right, steepness):           # right: sigmoid(t) = (1 + tanh(t / 2)) / 2
        return 0.5 * (np.tanh(steepness * (x - left) / 2) - np.tanh(steepness * (x - right) / 2))

    assert check.sigmoid_bump(tanh_bump).mistake == "tanh_steps"
    assert check.sigmoid_bump(half_argument).passed


def test_a_flattened_result_is_named_only_when_its_values_are_right():
    def raveled(x, knots, values):
        return check._relu_interpolant(np.ravel(x), knots, values)

    def raveled_and_wrong(x, knots, values):
        return check._relu_interpolant(np.ravel(x), knots, values) + 1.0

    assert check.relu_interpolant(raveled).mistake == "flattened"
    result = check.relu_interpolant(raveled_and_wrong)
    assert result.status == "failed" and result.mistake is None


def test_code_for_a_1d_x_only_is_named_when_it_is_right_on_the_flattened_x():
    def units_on_second_axis(changes):
        def interpolant(x, knots, values):
            units = nn.relu(np.asarray(x, float)[:, np.newaxis] - np.asarray(knots)[np.newaxis, :])
            return values[0] + units @ changes(check._slopes(knots, values))
        return interpolant

    right = units_on_second_axis(lambda m: np.diff(np.concatenate([[0.0], m, [0.0]])))
    result = check.relu_interpolant(right)
    assert result.mistake == "one_d_only" and "ValueError" in result.message, result
    wrong = units_on_second_axis(lambda m: np.concatenate([m, [0.0]]))    # raises too, but wrong anyway
    result = check.relu_interpolant(wrong)
    assert result.status == "failed" and result.mistake != "one_d_only", result


@pytest.mark.parametrize("ex", [check.mlp_param_count, check.mlp_flops], ids=["params", "flops"])
def test_list_only_code_is_named_when_a_list_of_the_same_sizes_works(ex):
    def via_list_methods(sizes):
        inner = sizes.copy()
        return ex.reference(inner)

    def raises_on_every_input(sizes):
        if isinstance(sizes, tuple):
            return sizes.copy()
        return ex.reference(sizes) + 1                       # wrong on lists too: not this mistake

    assert ex(via_list_methods).mistake == "list_only"
    assert ex(raises_on_every_input).mistake != "list_only"
    assert ex(lambda sizes: ex.reference(list(sizes))).passed


def test_returning_what_nn_fit_returned_is_named():
    def returns_history(f, x_range, rng):
        X = np.linspace(*x_range, 64)[:, None]
        model = nn.mlp([1, 16, 1], activation=nn.Tanh, rng=rng)
        history = nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.03), X, f(X), epochs=5, batch_size=None)
        return history

    def returns_predictions(f, x_range, rng):               # another wrong object: not nn.fit's
        X = np.linspace(*x_range, 64)[:, None]
        model = nn.mlp([1, 16, 1], activation=nn.Tanh, rng=rng)
        nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.03), X, f(X), epochs=5, batch_size=None)
        return nn.predict(model, X)

    assert check.fit_to_target(returns_history).mistake == "returned_history"
    result = check.fit_to_target(returns_predictions)
    assert result.status == "failed" and result.mistake is None
    assert check._RETURNS == [] and nn.fit is nn.training.fit


def test_row_samples_are_named_from_the_inputs_nn_fit_was_given():
    def column_but_wrong_targets(f, x_range, rng):          # X is a column: the error is elsewhere
        X = np.linspace(*x_range, 64)[:, None]
        model = nn.mlp([1, 16, 1], activation=nn.Tanh, rng=rng)
        nn.fit(model, nn.MSELoss(), nn.optim.Adam(lr=0.03), X, f(X).T, epochs=5, batch_size=None)
        return model

    result = check.fit_to_target(column_but_wrong_targets)
    assert result.status == "failed" and result.mistake != "samples_as_row"
    assert check.fit_to_target(check._impl_row_samples).mistake == "samples_as_row"
