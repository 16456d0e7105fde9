"""Lesson 00's checker: each mistake is named by its effect, the detectors never fire on a correct
answer nor on another catalogued mistake, and the cases separate the formulas they must tell apart."""
import copy

import numpy as np
import pytest

import nnlib as nn
from course.checks import lesson00 as check
from course.checks._framework import Failure, _copy_args, check_type


@pytest.fixture(autouse=True)
def _no_progress(monkeypatch):
    monkeypatch.setenv("NNLIB_PROGRESS", "off")


def _run(ex, learner):
    """Run ``learner`` on every case as the framework does; yield (case, got, expected, failed)."""
    ex(learner)                                      # sets the cases and learner the 0.2 detectors read
    for case in ex._cases:
        args = _copy_args(case.args)
        with np.errstate(all="ignore"):
            try:
                got = learner(*args, **case.kwargs)
            except Exception:                        # noqa: BLE001 - named through its impl instead
                return
            case.seen_args = args
            expected = ex.reference(*_copy_args(case.args), **case.kwargs)
            try:
                check_type(got, expected)
                ex.compare(got, expected, case)
                failed = False
            except Failure:
                failed = True
            yield case, got, expected, failed


DETECTED = [(ex, m) for ex in check.EXERCISES for m in ex.mistakes if m.detect is not None]


@pytest.mark.parametrize("ex", check.EXERCISES, ids=[ex.number for ex in check.EXERCISES])
def test_no_detector_fires_on_the_right_answer(ex):
    for case, got, expected, failed in _run(ex, ex.reference):
        assert not failed
        for m in ex.mistakes:
            if m.detect is not None:
                assert not m.detect(got, expected, case), (m.key, case.label)


IMPLEMENTATIONS = [(ex, m, w) for ex in check.EXERCISES for m in ex.mistakes if not m.mutation
                   for w in (m.impl, *m.witnesses)]


@pytest.mark.parametrize("ex, mistake, learner", IMPLEMENTATIONS,
                         ids=[f"{ex.number}-{m.key}-{w.__name__}" for ex, m, w in IMPLEMENTATIONS])
def test_on_the_deciding_case_only_its_own_detector_fires(ex, mistake, learner):
    for case, got, expected, failed in _run(ex, learner):
        if failed:
            fired = [m.key for m in ex.mistakes if m.detect is not None and m.detect(got, expected, case)]
            assert fired == [mistake.key], (case.label, fired)
            return


def test_zero_case_raising_is_named_through_its_implementation():
    result = check.rel_error(check._zero_division_floats)
    assert result.mistake == "zero_case" and "ZeroDivisionError" in result.message


# --- 0.1 ---------------------------------------------------------------------------------

def test_a_centred_difference_with_a_larger_h_is_not_called_one_sided():
    result = check.numerical_gradient(lambda f, x, h=1e-5: check._centred(f, x, 30 * h))
    assert result.status == "failed" and result.mistake is None, result


def test_a_one_sided_difference_that_ignores_h_is_named():
    result = check.numerical_gradient(lambda f, x, h=1e-5: check._forward_difference(f, x))
    assert result.mistake == "forward_difference", result


def test_a_one_sided_difference_taken_in_either_direction_per_entry_is_named():
    def mixed(f, x, h=1e-5):
        forward, backward = check._forward_difference(f, x, h), check._backward_difference_basis(f, x, h)
        return np.where(np.arange(np.size(x)).reshape(np.shape(x)) % 2 == 0, forward, backward)

    assert check.numerical_gradient(mixed).mistake == "forward_difference"


def test_a_whole_row_perturbed_at_once_is_named_on_the_matrix_case():
    result = check.numerical_gradient(check._rows_at_once)
    assert result.mistake == "all_at_once" and "matrix" in result.message, result


def test_a_flat_gradient_with_wrong_values_is_only_a_shape_verdict():
    result = check.numerical_gradient(lambda f, x, h=1e-5: check._forward_difference(f, x, h).ravel())
    assert result.mistake == "forward_difference"     # 1-D cases first: the values are what is wrong
    result = check.numerical_gradient(lambda f, x, h=1e-5: 1.5 * check._centred(f, x, h).ravel())
    assert result.status == "failed" and result.mistake is None, result


def test_half_the_centred_difference_is_not_called_the_same_array():
    result = check.numerical_gradient(lambda f, x, h=1e-5: check._centred(f, x, h) / 2)
    assert result.status == "failed" and result.mistake is None, result


# --- 0.2 ---------------------------------------------------------------------------------

def test_the_first_rel_error_case_tells_the_denominators_apart():
    cases = check.rel_error.make_cases(np.random.default_rng(check.rel_error.seed))
    a, b = cases[0].args
    diff, na, nb = np.linalg.norm(a - b), np.linalg.norm(a), np.linalg.norm(b)
    assert nb > 2 * na and abs(na - 1) > 0.3            # ||b|| clearly above ||a||, ||a|| not 1
    values = {"sum": diff / (na + nb), "a": diff / na, "max = b": diff / nb, "absolute": diff,
              "squared": diff ** 2 / (na ** 2 + nb ** 2), "elementwise": check._elementwise(a, b),
              "elementwise mean": check._elementwise_mean(a, b), "norm of sum": check._norm_of_sum(a, b),
              "L1": check._l1(a, b), "a, then + b": diff / na + nb, "b, then + a": diff / nb + na}
    v = sorted(values.values())
    assert all(y > 1.002 * x for x, y in zip(v, v[1:])), values   # far above the detectors' rtol 1e-6
    a3, b3 = cases[2].args
    assert np.linalg.norm(a3) > 2 * np.linalg.norm(b3)  # max = ||a|| there, so max is not ||b|| only


def test_a_number_as_text_gets_the_string_verdict_and_no_mistake():
    result = check.rel_error(lambda a, b: str(check._rel_error(a, b)))
    assert result.status == "failed" and result.mistake is None
    assert "is a string ('0.686" in result.message and "not its text" in result.message


def test_max_denominator_is_not_called_one_sided():
    result = check.rel_error(lambda a, b: np.linalg.norm(np.subtract(a, b)) /
                             max(np.linalg.norm(a), np.linalg.norm(b), 1e-300))
    assert result.mistake == "max_denominator", result


def test_the_spectral_norm_is_told_apart_on_the_matrix_case_only():
    cases = check.rel_error.make_cases(np.random.default_rng(check.rel_error.seed))
    a, b = cases[1].args
    assert a.ndim == 2 and not np.isclose(check._spectral_rel(a, b), check._rel_error(a, b), rtol=1e-3)
    result = check.rel_error(check._spectral_rel)
    assert result.mistake == "spectral_norm" and "test case 2 of" in result.message


def test_a_norm_of_the_sum_is_named_whatever_it_returns_for_opposite_vectors():
    for opposite in (0.0, np.inf, np.nan):
        def learner(a, b, opposite=opposite):
            s = np.linalg.norm(np.add(a, b))
            return opposite if s == 0 else float(np.linalg.norm(np.subtract(a, b)) / s)

        assert check.rel_error(learner).mistake == "norm_of_sum", opposite


def test_a_mix_of_element_wise_max_and_mean_is_not_named():
    def learner(a, b):
        f = check._elementwise if np.size(a) > 4 else check._elementwise_mean
        return f(a, b) if np.any(a) or np.any(b) else 0.0

    result = check.rel_error(learner)
    assert result.status == "failed" and result.mistake is None, result


def test_element_wise_ratios_with_a_floor_are_named_but_not_any_value_on_the_tiny_arrays():
    def floored(a, b):                               # the floor acts on the arrays of size 1e-9 only
        return float(np.max(np.abs(np.subtract(a, b)) / np.maximum(1e-8, np.abs(a) + np.abs(b))))

    def larger_on_tiny(a, b):                        # no floor makes a ratio larger
        value = check._elementwise(a, b) if (np.any(a) or np.any(b)) else 0.0
        return 2 * value if np.max(np.abs(a)) < 1e-6 else value

    assert check.rel_error(floored).mistake == "elementwise"
    result = check.rel_error(larger_on_tiny)
    assert result.status == "failed" and result.mistake is None, result


# --- 0.3 ---------------------------------------------------------------------------------

def test_the_first_of_two_mistakes_is_the_one_named():
    both = check.dense_backward(lambda dout, X, W: (dout @ W.T, dout.T @ X, dout.mean(axis=0)))
    assert both.mistake == "dW_transposed" and both.message.startswith("dW ")


def test_a_wrong_order_with_a_wrong_array_is_not_called_only_a_wrong_order():
    result = check.dense_backward(lambda dout, X, W: (X.T @ dout, dout @ W.T, dout.mean(axis=0)))
    assert result.status == "failed" and result.mistake is None, result


def test_a_mistake_after_an_uncatalogued_one_is_not_named():
    result = check.dense_backward(lambda dout, X, W: (2 * dout @ W.T, X.T @ dout, dout.mean(axis=0)))
    assert result.status == "failed" and result.mistake is None and result.message.startswith("dX ")


def test_db_with_an_extra_axis_is_named_only_when_its_values_are_right():
    result = check.dense_backward(lambda dout, X, W: (dout @ W.T, X.T @ dout, dout.sum(0).reshape(1, -1)))
    assert result.mistake == "db_extra_axis", result
    result = check.dense_backward(lambda dout, X, W: (dout @ W.T, X.T @ dout, dout.mean(0, keepdims=True)))
    assert result.status == "failed" and result.mistake is None, result


# --- 0.4 ---------------------------------------------------------------------------------

def test_which_side_is_zero_is_read_from_the_learners_model():
    assert check.gradient_check(check._no_backward).mistake == "no_backward"
    assert check.gradient_check(check._numerical_on_copy).mistake == "numerical_on_copy"



def test_a_loss_computed_once_is_named_like_a_perturbed_copy():
    def stored_loss(model, loss_fn, X, y, h=1e-5):
        model.zero_grad()
        loss = loss_fn.forward(model.forward(X), y)
        model.backward(loss_fn.backward())
        return {name: check._rel_error(g, nn.gradcheck.numerical_gradient(lambda: loss, p, h))
                for name, p, g in model.named_parameters()}

    result = check.gradient_check(stored_loss)
    assert result.mistake == "numerical_on_copy" and "computed once" in result.message, result


def test_doubled_gradients_leftovers_and_a_stale_cache_are_told_apart():
    doubled = check.gradient_check(check._forward_backward_twice)
    assert doubled.mistake == "repeated_backward" and "test case 1 of" in doubled.message
    leftover = check.gradient_check(check._no_zero_grad)
    assert leftover.mistake == "no_zero_grad" and "test case 2 of" in leftover.message
    assert "0.333" not in leftover.message             # leftovers from another batch: not the 1/3 of 2g
    stale = check.gradient_check(check._numerical_before_backward)
    assert stale.mistake == "stale_forward"
    assert check.gradient_check(check._one_sided).mistake == "imprecise_numerical_gradient"


@pytest.mark.parametrize("variant", ["model copy", "zero_grad at the end", "check_model"])
def test_right_answers_written_otherwise_pass(variant):
    def learner(model, loss_fn, X, y, h=1e-5):
        if variant == "model copy":
            return check._reference_gradient_check(copy.deepcopy(model), loss_fn, X, y, h)
        if variant == "check_model":
            return dict(nn.gradcheck.check_model(model, loss_fn, X, y, h).errors)
        report = check._reference_gradient_check(model, loss_fn, X, y, h)
        model.zero_grad()
        return report

    assert check.gradient_check(learner).passed


def _then(step):
    """The reference gradient check followed by ``step(model)``, or with ``step`` before the report."""
    def learner(model, loss_fn, X, y, h=1e-5):
        model.zero_grad()
        check._backward(model, loss_fn, X, y)
        step(model)
        return check._errors(model, loss_fn, X, y, h)
    return learner


def test_a_halved_gradient_is_not_called_doubled():
    def halve(model):
        for _, _, g in model.named_parameters():
            g *= 0.5

    result = check.gradient_check(_then(halve))
    assert result.status == "failed" and result.mistake is None, result


def test_a_doubled_gradient_is_named_even_when_grads_are_cleared_afterwards():
    def learner(model, loss_fn, X, y, h=1e-5):
        report = check._forward_backward_twice(model, loss_fn, X, y, h)
        model.zero_grad()
        return report

    assert check.gradient_check(learner).mistake == "repeated_backward"


def test_a_pass_per_parameter_is_named_like_two_passes():
    result = check.gradient_check(check._backward_per_parameter)
    assert result.mistake == "repeated_backward" and "test case 1 of" in result.message, result


def test_a_factor_other_than_the_batch_size_is_not_called_one():
    def learner(model, loss_fn, X, y, h=1e-5):
        model.zero_grad()
        check._backward(model, loss_fn, X, y)
        loss = check._loss(model, loss_fn, X, y)
        return {name: check._rel_error(g / 3, nn.gradcheck.numerical_gradient(loss, p, h))
                for name, p, g in model.named_parameters()}

    result = check.gradient_check(learner)
    assert result.status == "failed" and result.mistake is None, result


def test_an_upstream_gradient_is_told_from_a_stale_cache():
    assert check.gradient_check(check._backward_ones).mistake == "wrong_upstream"
    assert check.gradient_check(check._numerical_before_backward).mistake == "stale_forward"

    def scaled_upstream(model, loss_fn, X, y, h=1e-5):   # c * dL/dout: the .grads are c g, not "other"
        model.zero_grad()
        loss_fn.forward(model.forward(X), y)
        model.backward(0.5 * loss_fn.backward())
        return check._errors(model, loss_fn, X, y, h)

    result = check.gradient_check(scaled_upstream)
    assert result.status == "failed" and result.mistake is None, result


def test_keys_that_are_neither_the_names_nor_their_last_part_are_not_named():
    def learner(model, loss_fn, X, y, h=1e-5):
        report = check._reference_gradient_check(model, loss_fn, X, y, h)
        return {name.replace(".", "_"): error for name, error in report.items()}

    result = check.gradient_check(learner)
    assert result.status == "failed" and result.mistake is None, result


def test_a_numerical_gradient_that_ignores_h_is_named():
    def own_step(f, x, h=1e-5):
        step = 1e-6                     # the h argument is never used
        g = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            e = np.zeros_like(x)
            e[i] = step
            g[i] = (f(x + e) - f(x - e)) / (2 * step)
        return g
    result = check.numerical_gradient(own_step)
    assert result.status == "failed" and result.mistake == "ignores_h", result
