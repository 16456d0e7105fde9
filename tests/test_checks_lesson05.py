"""Lesson 05's checker: the step functions are checked over several steps with their state carried,
wrong answers written in other styles get the right name, correct answers in any reasonable style
pass, the effect detectors fire neither on a correct run nor on another catalogued mistake, and the
verdicts say which step of which case went wrong."""
import copy

import numpy as np
import pytest

from course.checks import lesson05 as check
from check_helpers import cases as _cases
from check_helpers import fails as _fails
from check_helpers import run as _run


@pytest.fixture(autouse=True)
def _no_progress_file(monkeypatch):
    monkeypatch.setenv("NNLIB_PROGRESS", "off")




# --- correct answers in other styles ------------------------------------------------------------------

def _mb_shuffle_loop(N, B, rng):
    idx = list(range(N))
    rng.shuffle(idx)
    idx = np.array(idx)
    batches = []
    for start in range(0, N, B):
        batches.append(idx[start:min(start + B, N)])
    return batches


def _momentum_loop(theta, v, g, lr, mu):
    theta_new, v_new = np.empty_like(theta), np.empty_like(v)
    for i in np.ndindex(theta.shape):
        v_new[i] = mu * v[i] - lr * g[i]
        theta_new[i] = theta[i] + v_new[i]
    return [theta_new, v_new]


def _nesterov_copy(theta, v, grad, lr, mu):
    look = theta.copy()
    look += mu * v                                  # in place on a copy: allowed
    v = mu * v - lr * grad(look)
    return theta + v, v


def _adagrad_power(theta, r, g, lr, eps=1e-7):
    r = np.add(r, np.square(g))
    return np.subtract(theta, lr * g / (r ** 0.5 + eps)), r


def _rmsprop_lerp(theta, r, g, lr, rho=0.9, eps=1e-8):
    r_new = r + (1 - rho) * (g ** 2 - r)            # the same average, written as an interpolation
    return theta - lr * g * (eps + np.sqrt(r_new)) ** -1, r_new


def _adam_named(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * np.square(g)
    step = lr * (m / (1.0 - beta1 ** t)) / (np.sqrt(v / (1.0 - beta2 ** t)) + eps)
    return (theta - step, m, v, t)


def _decay_branches(k, lr0, lr_tau, tau):
    if k >= tau:
        return lr_tau
    return lr0 + (lr_tau - lr0) * (k / tau)


CORRECT = [
    (check.minibatches, _mb_shuffle_loop),
    (check.minibatches, lambda N, B, rng: np.array_split(rng.permutation(N), range(B, N, B))),
    (check.minibatches, lambda N, B, rng: [p[i:i + B] for p in [np.argsort(rng.random(N))]
                                           for i in range(0, N, B)]),
    (check.momentum_step, _momentum_loop),
    (check.momentum_step, lambda theta, v, g, lr, mu: (theta + (mu * v - lr * g), mu * v - lr * g)),
    (check.nesterov_step, _nesterov_copy),
    (check.adagrad_step, _adagrad_power),
    (check.rmsprop_step, _rmsprop_lerp),
    (check.adam_step, _adam_named),
    (check.linear_decay, _decay_branches),
    (check.linear_decay, lambda k, lr0, lr_tau, tau: np.interp(k, [0, tau], [lr0, lr_tau])),
    (check.linear_decay, lambda k, lr0, lr_tau, tau: (1 - np.clip(k / tau, 0, 1)) * lr0
     + np.clip(k / tau, 0, 1) * lr_tau),
]


@pytest.mark.parametrize("ex, learner", CORRECT,
                         ids=[f"{ex.number}-{i}" for i, (ex, _) in enumerate(CORRECT)])
def test_correct_answers_in_other_styles_pass(ex, learner):
    result = ex(learner)
    assert result.passed, result


# --- wrong answers written in other styles -----------------------------------------------------------

def _mom_pytorch_named(theta, v, g, lr, mu):
    buf = v * mu + g
    return theta - lr * buf, buf


def _adam_old_t(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - lr * m_hat / (v_hat ** 0.5 + eps), m, v, t + 1


def _adam_kingma(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    lr_t = lr * (1 - beta2 ** t) ** 0.5 / (1 - beta1 ** t)
    return theta - lr_t * m / (v ** 0.5 + eps), m, v, t


def _adam_t_power(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
    return theta - lr * (m / (1 - t ** beta1)) / (np.sqrt(v / (1 - t ** beta2)) + eps), m, v, t


def _adam_constant_correction(theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
    return theta - lr * (m / (1 - beta1)) / (np.sqrt(v / (1 - beta2)) + eps), m, v, t + 1


REVIEWED = [
    # 5.1
    (check.minibatches, lambda N, B, rng: [p[i:i + B] for p in [rng.permutation(N)]
                                           for i in range(0, N - N % B, B)], "last_dropped"),
    (check.minibatches, lambda N, B, rng: [np.arange(N)[i:i + B] for i in range(0, N, B)], "not_shuffled"),
    (check.minibatches, lambda N, B, rng: [p[i:i + B] for p in [np.random.permutation(N)]
                                           for i in range(0, N, B)], "ignores_rng"),
    (check.minibatches, lambda N, B, rng: [rng.choice(N, size=min(B, N - i)) for i in range(0, N, B)],
     "with_replacement"),
    (check.minibatches, lambda N, B, rng: np.array_split(rng.permutation(N), max(N // B, 1)),
     "wrong_batch_size"),
    (check.minibatches, lambda N, B, rng: [rng.permutation(N)[:B] for _ in range(0, N, B)],
     "permutation_per_batch"),
    # 5.2
    (check.momentum_step, _mom_pytorch_named, "opposite_velocity"),
    (check.momentum_step, lambda theta, v, g, lr, mu: (theta - lr * (mu * v + (1 - mu) * g),
                                                       mu * v + (1 - mu) * g), "ema_form"),
    (check.momentum_step, lambda theta, v, g, lr, mu: (v + theta, -lr * g + mu * v), "old_velocity"),
    (check.momentum_step, lambda theta, v, g, lr, mu: (theta - lr * g, v * 0), "velocity_not_carried"),
    # 5.3
    (check.nesterov_step, lambda theta, v, grad, lr, mu: (theta + mu * v - lr * grad(theta),
                                                         mu * v - lr * grad(theta)), "gradient_at_theta"),
    (check.nesterov_step, lambda theta, v, grad, lr, mu: (
        theta - mu * v + (1 + mu) * (mu * v - lr * grad(theta)), mu * v - lr * grad(theta)),
     "reparametrized"),
    # 5.4
    (check.adagrad_step, lambda theta, r, g, lr, eps=1e-7: (theta - lr * g / (np.sqrt(g ** 2) + eps), g ** 2),
     "not_accumulated"),
    (check.adagrad_step, lambda theta, r, g, lr, eps=1e-7: (theta - lr * g / np.sqrt(r + g * g + eps),
                                                            r + g * g), "eps_inside_root"),
    # 5.5
    (check.rmsprop_step, lambda theta, r, g, lr, rho=0.9, eps=1e-8: (
        theta - lr * g / (np.sqrt(rho * r + g * g) + eps), rho * r + g * g), "no_one_minus_rho"),
    (check.rmsprop_step, lambda theta, r, g, lr, rho=0.9, eps=1e-8: (
        theta - lr * g / np.sqrt(eps + rho * r + (1 - rho) * g * g), rho * r + (1 - rho) * g * g),
     "eps_inside_root"),
    # 5.6
    (check.adam_step, _adam_old_t, "t_not_incremented_first"),
    (check.adam_step, _adam_kingma, "efficient_form"),
    (check.adam_step, lambda theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8: (
        theta - lr * (beta1 * m + (1 - beta1) * g) / (np.sqrt(beta2 * v + (1 - beta2) * g * g) + eps),
        beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g, t + 1), "no_bias_correction"),
    # 5.7
    (check.linear_decay, lambda k, lr0, lr_tau, tau: lr0 - (lr0 - lr_tau) * k / tau, "no_clamp"),
    (check.linear_decay, lambda k, lr0, lr_tau, tau: lr0 * (lr_tau / lr0) ** (k / tau), "exponential"),
    (check.linear_decay, lambda k, lr0, lr_tau, tau: lr0 + (lr_tau - lr0) * (min(k, tau) // tau),
     "integer_division"),
    (check.minibatches, lambda N, B, rng: check._minibatches(N, B, rng)[::-1], "wrong_batch_size"),
    # added after a review: the same effects written other ways
    (check.minibatches, lambda N, B, rng: [p[i:i + B] for p in [rng.permutation(N) + 1]
                                           for i in range(0, N, B)], "wrong_length"),
    (check.momentum_step, lambda theta, v, g, lr, mu: (theta + lr * (mu * v - g), mu * v - g),
     "opposite_velocity"),
    (check.adagrad_step, lambda theta, r, g, lr, eps=1e-8: (theta - lr * g / (np.sqrt(r + g * g) + eps),
                                                            r + g * g), "other_eps"),
    (check.adagrad_step, lambda theta, r, g, lr, eps=1e-7: (theta - lr * g / (np.sqrt(r + g * g) + 1e-7),
                                                            r + g * g), "other_eps"),
    (check.adam_step, lambda theta, m, v, t, g, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8: check._adam(
        theta, m, v, t, g, lr, beta1, beta2, 1e-6), "other_eps"),
    (check.linear_decay, lambda k, lr0, lr_tau, tau: max(lr_tau, lr0 * 0.5 ** k), "exponential"),
    # not the old count: 1 - t ** beta, and a constant 1 - beta, are not named as it
    (check.adam_step, _adam_t_power, None),
    (check.adam_step, _adam_constant_correction, None),
    (check.linear_decay, lambda k, lr0, lr_tau, tau: lr_tau, None),
    (check.linear_decay, lambda k, lr0, lr_tau, tau: check._linear_decay(k, lr0, lr_tau, tau + 1),
     "other_tau"),
    # uncatalogued: rejected, not named
    (check.momentum_step, lambda theta, v, g, lr, mu: (theta + 1.01 * (mu * v - lr * g), mu * v - lr * g),
     None),
    (check.adagrad_step, lambda theta, r, g, lr, eps=1e-7: (theta - 2 * lr * g / (eps + np.sqrt(r + g * g)),
                                                            r + g * g), None),
    (check.adam_step, lambda *a, **k: tuple(x * 1.001 if isinstance(x, np.ndarray) else x
                                            for x in check._adam(*a, **k)), None),
]


@pytest.mark.parametrize("ex, learner, key", REVIEWED, ids=[f"{ex.number}-{k}-{i}" for i, (ex, _, k)
                                                           in enumerate(REVIEWED)])
def test_reviewed_wrong_answers_get_their_verdict(ex, learner, key):
    result = ex(learner)
    assert result.status == "failed", result
    assert result.mistake == key, result


# --- detectors -------------------------------------------------------------------------------------------

STEPPING = [ex for ex in check.EXERCISES if ex.guard is not None and ex is not check.linear_decay]


@pytest.mark.parametrize("ex", check.EXERCISES, ids=[ex.number for ex in check.EXERCISES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_detector_fires_on_a_correct_run(ex, seed):
    """What the check sees for the reference (its k-step runs, its schedules) never matches a mistake."""
    ex(ex.reference)                                # a check of the reference is the running one
    for case in _cases(ex, seed):
        got, error = _run(ex, ex.reference, case)
        assert error is None
        for m in ex.mistakes:
            if m.detect is not None:
                assert not m.detect(got, got, case), f"{ex.number} {m.key} fires on {case.label}"


def _implementations(ex):
    return [(m, f) for m in ex.mistakes if not m.mutation for f in (m.impl, *m.witnesses)]


@pytest.mark.parametrize("ex", check.EXERCISES, ids=[ex.number for ex in check.EXERCISES])
def test_a_detector_does_not_fire_on_another_mistake_where_that_one_is_decided(ex):
    """A detector tried before a mistake's own entry does not take it (the catalogue is tried in order)."""
    for m2, f in _implementations(ex):
        ex(f)                                       # the probes of 5.1 call the learner of the running check
        earlier = [m for m in ex.mistakes[:ex.mistakes.index(m2)] if m.detect is not None]
        for case in _cases(ex):
            got, error = _run(ex, f, case)
            if error is not None:
                break                               # decided by the error it raises
            expected = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
            if not _fails(ex, got, case):
                continue
            for m1 in earlier:
                with np.errstate(all="ignore"):
                    assert not m1.detect(got, expected, case), f"{ex.number}: {m1.key} fires on {m2.key}"
            break                                   # the first failing case decides


# --- the run itself ---------------------------------------------------------------------------------

@pytest.mark.parametrize("ex", STEPPING, ids=[ex.number for ex in STEPPING])
def test_every_step_function_is_checked_over_several_steps_with_its_state_carried(ex):
    for case in _cases(ex):
        got, _ = _run(ex, ex.reference, case)
        assert got.k >= 3 and len(got.steps) == got.k
        for (_, out), (after, _) in zip(got.steps, got.steps[1:]):   # step j + 1 got step j's state
            for a, b in zip(out, after[:len(out)]):
                assert np.array_equal(a, b)
    assert any(np.any(np.asarray(c.args[1]) != 0) for c in _cases(ex))   # and one case starts mid-run


def test_a_mistake_that_shows_only_at_the_second_step_is_caught_there():
    result = check.momentum_step(lambda theta, v, g, lr, mu: (theta - lr * g, -lr * g))
    assert "after step 2 of 4" in result.message and result.mistake == "velocity_not_carried", result


@pytest.mark.parametrize("ex, key", [(check.adagrad_step, "eps_inside_root"), (check.rmsprop_step,
                                     "eps_inside_root"), (check.adam_step, "eps_inside_root"),
                                     (check.adam_step, "efficient_form")])
def test_an_eps_convention_is_decided_on_the_case_where_eps_matters(ex, key):
    impl = next(m.impl for m in ex.mistakes if m.key == key)
    cases = _cases(ex)
    first = next(c for c in cases if _fails(ex, _run(ex, impl, c)[0], c))
    assert "eps" in first.label and first is not cases[0]
    result = ex(impl)
    assert result.mistake == key and "eps" in result.message, result


def test_a_zero_division_at_t_zero_is_named():
    result = check.adam_step(check._adam_raises_at_zero)
    assert "ZeroDivisionError" in result.message and result.mistake == "t_not_incremented_first", result


def test_in_place_changes_are_reported_for_every_step_function():
    def sgd_in_place(theta, v, g, lr, mu):
        theta -= lr * g
        return theta, v
    result = check.momentum_step(sgd_in_place)
    assert "changed its argument number 1 in place" in result.message and result.mistake == "in_place"

    def g_scaled_in_place(theta, r, g, lr, eps=1e-7):
        g *= 1.0 + 0 * r.sum()
        r_new = r + g * g
        g *= lr
        return theta - g / (eps + np.sqrt(r_new)), r_new
    result = check.adagrad_step(g_scaled_in_place)
    assert "argument number 3" in result.message, result


def test_messages_name_the_step_the_case_and_the_fix():
    result = check.rmsprop_step(check._RMS_ADAGRAD)
    assert result.message.startswith("theta_new after step 1 of 4 is"), result
    assert "on test case 1 of 4" in result.message and "Likely mistake: the history does not decay" \
        in result.message and "Fix:" in result.message
    bare = check.momentum_step(lambda theta, v, g, lr, mu: theta + mu * v - lr * g)
    assert "returned one array" in bare.message and "theta_new, v_new" in bare.message
    t_float = check.adam_step(lambda *a, **k: (*check._adam(*a, **k)[:3], float(check._adam(*a, **k)[3])))
    assert "t_new" in t_float.message and "int" in t_float.message, t_float
    schedule = check.linear_decay(lambda *a: np.array([check._linear_decay(*a)]))
    assert "one number" in schedule.message, schedule


def test_minibatch_types_are_explained():
    gen = check.minibatches(lambda N, B, rng: (p for p in check._minibatches(N, B, rng)))
    assert gen.status == "failed" and "yield" in gen.message, gen
    floats = check.minibatches(lambda N, B, rng: [b.astype(float) for b in check._minibatches(N, B, rng)])
    assert "dtype float64" in floats.message, floats
    matrix = check.minibatches(lambda N, B, rng: rng.permutation(N))
    assert "one array" in matrix.message, matrix
