"""Lesson 03's checker: the wrong answers reviewers found get the right verdict, the effect detectors
fire neither on a correct answer nor on another catalogued mistake, the cases separate every pair of
mistakes, and the statistical checks pass a correct initializer whatever the seed."""
import copy
import time

import numpy as np
import pytest

from course.checks import lesson03 as check
from check_helpers import cases as _cases
from check_helpers import fails as _fails


@pytest.fixture(autouse=True)
def _no_progress_file(monkeypatch):
    monkeypatch.setenv("NNLIB_PROGRESS", "off")


def _glorot(bound):
    return lambda n_in, n_out, rng: rng.uniform(-bound(n_in, n_out), bound(n_in, n_out), (n_in, n_out))


def _gaps(W):
    W = np.asarray(W, dtype=float)
    return np.abs(W[:, :, None] - W[:, None, :])


REVIEWED = [
    # 3.6: a sum of |differences| and np.isclose (its default rtol) used to pass
    (check.identical_units, lambda W, tol=1e-8: _gaps(W).sum(axis=0) <= tol, "summed_gaps"),
    (check.identical_units, lambda W, tol=1e-8: np.linalg.norm(_gaps(W), axis=0) <= tol, "summed_gaps"),
    (check.identical_units, lambda W, tol=1e-8: np.isclose(W[:, :, None], W[:, None, :], atol=tol).all(0),
     "relative_tolerance"),
    (check.identical_units, lambda W, tol=1e-8: _gaps(W).mean(axis=0) <= tol, "mean_gap"),
    # 3.5: a formula that agrees with a catalogued one only where n_in Var(w) Var(x) = 1 is not named
    (check.output_variance, lambda n, vw, vx: vw + vx, None),
    (check.output_variance, lambda n, vw, vx: n * vw * vx / 3, None),
    (check.output_variance, lambda n, vw, vx: vw * vx, "no_fan_in"),
    # 3.5: the cases vary one factor at a time, so each formula is named by how it scales
    (check.output_variance, lambda n, vw, vx: n * (vw * vx) ** 2, "variances_squared"),
    (check.output_variance, lambda n, vw, vx: (n * vw * vx) ** 0.5, "std_not_variance"),
    (check.output_variance, lambda n, vw, vx: n * vw * vx * 0.5, "halved"),
    # 3.5: a factor left out is named by the case that changes only that factor
    (check.output_variance, lambda n, vw, vx: n * vw, "no_var_x"),
    (check.output_variance, lambda n, vw, vx: float(n) * vx, "no_var_w"),
    (check.output_variance, lambda n, vw, vx: float(np.sum(np.full(n - 1, vw * vx))), "one_term_short"),
    (check.output_variance, lambda n, vw, vx: float(np.mean(np.full(n, vw * vx))) / n, "divided_by_fan_in"),
    # 3.1 / 3.2: a formula named only when it gives the learner's value on every case
    (check.glorot_bound, lambda n_in, n_out: float(np.sqrt(6 / n_in) + n_out), None),
    (check.glorot_bound, lambda n_in, n_out: (6 / (n_in + n_out)) // 1, "integer_division"),
    (check.he_std, lambda n_in: float(np.floor(np.sqrt(2 / n_in))), "integer_division"),
    (check.he_std, lambda n_in: (n_in / 2) ** 0.5, "inverted"),
    (check.he_std, lambda n_in: np.sqrt(2) * np.sqrt(2 / n_in), "two_outside_sqrt"),
    (check.he_std, lambda n_in: float(np.sqrt(3 / n_in)), None),
    # 3.3: the bound with the 6 outside the root, named as in 3.1
    (check.glorot_uniform, _glorot(lambda n_in, n_out: 6 / np.sqrt(n_in + n_out)), "six_outside_sqrt"),
    # 3.3 / 3.4: a generator of the function's own, seeded, unseeded or global
    (check.glorot_uniform, lambda n_in, n_out, rng: _glorot(check._glorot_bound)(
        n_in, n_out, np.random.default_rng(0)), "ignores_rng"),
    (check.glorot_uniform, lambda n_in, n_out, rng: _glorot(check._glorot_bound)(
        n_in, n_out, np.random.default_rng()), "ignores_rng"),
    (check.he_normal, lambda n_in, n_out, rng: np.random.normal(0, np.sqrt(2 / n_in), (n_in, n_out)),
     "ignores_rng"),
    # uncatalogued shapes and spreads get the first wrong statistic, no name
    (check.glorot_uniform, _glorot(lambda n_in, n_out: np.sqrt(6 / n_out)), None),
    (check.glorot_uniform, lambda n_in, n_out, rng: rng.normal(0, np.sqrt(6 / n_out), (n_in, n_out)), None),
    (check.glorot_uniform, lambda n_in, n_out, rng: rng.uniform(-1, 1, (n_in, n_out)), None),
    (check.he_normal, lambda n_in, n_out, rng: rng.laplace(0, np.sqrt(1 / n_in), (n_in, n_out)), None),
    (check.he_normal, _glorot(lambda n_in, n_out: 2 * np.sqrt(2 / n_in)), None),
    # 3.3 / 3.4: the wrong family of distribution with the bound as the std or the std as the bound
    (check.glorot_uniform, lambda n_in, n_out, rng: rng.normal(0, check._glorot_bound(n_in, n_out),
                                                               (n_in, n_out)), "normal_not_uniform"),
    (check.he_normal, _glorot(lambda n_in, n_out: np.sqrt(2 / n_in)), "uniform_not_normal"),
    # 3.3: a missing parenthesis in the scale-and-shift, however the interval comes out
    (check.glorot_uniform, lambda n_in, n_out, rng: 2 * check._glorot_bound(n_in, n_out)
     * rng.random((n_in, n_out)) - 1, "precedence"),
    (check.glorot_uniform, lambda n_in, n_out, rng: rng.random((n_in, n_out)) * 2 - 1 * check._glorot_bound(
        n_in, n_out), "precedence"),
    # 3.4: the right number of weights in another shape (the transposed one has its own name)
    (check.he_normal, lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / n_in), (1, n_in * n_out)),
     "reshaped"),
    (check.he_normal, lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / n_in), (n_out, n_in)),
     "shape_swapped"),
    # 3.6: the inputs' axis kept; the right pattern as numbers
    (check.identical_units, lambda W, tol=1e-8: _gaps(W).max(axis=2) <= tol, "wrong_axis"),
    (check.identical_units, lambda W, tol=1e-8: (_gaps(W).max(axis=0) <= tol) * 1, "numbers_for_booleans"),
    # numbers with a wrong pattern: the dtype is reported, the pattern's mistake named
    (check.identical_units, lambda W, tol=1e-8: (_gaps(W)[0] <= tol).astype(int), "first_input_only"),
    # 3.6: one agreeing input is enough, told from the first input only on case 1
    (check.identical_units, lambda W, tol=1e-8: (_gaps(W) <= tol).any(axis=0), "any_input"),
    (check.identical_units, lambda W, tol=1e-8: (_gaps(W) <= tol)[0], "first_input_only"),
    # 3.6: np.isclose's own tolerances, tol unused
    (check.identical_units, lambda W, tol=1e-8: np.isclose(W[:, :, None], W[:, None, :]).all(axis=0),
     "ignores_tol"),
]


@pytest.mark.parametrize("ex, learner, key", REVIEWED, ids=[f"{ex.number}-{k}-{i}" for i, (ex, _, k)
                                                           in enumerate(REVIEWED)])
def test_reviewed_wrong_answers_get_their_verdict(ex, learner, key):
    result = ex(learner)
    assert result.status == "failed", result
    assert result.mistake == key, result


DETECTING = [ex for ex in check.EXERCISES if any(m.detect for m in ex.mistakes)]


def _implementations(ex):
    return [(m, f) for m in ex.mistakes if not m.irreproducible for f in (m.impl, *m.witnesses)]


@pytest.mark.parametrize("ex", DETECTING, ids=[ex.number for ex in DETECTING])
def test_a_detector_does_not_fire_on_another_mistake_where_that_one_is_decided(ex):
    for m2, f in _implementations(ex):
        for case in _cases(ex):
            got = f(*copy.deepcopy(case.args), **case.kwargs)
            if not _fails(ex, got, case):
                continue
            expected = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
            for m1 in ex.mistakes:
                if m1 is not m2 and m1.detect is not None:
                    try:
                        hit = m1.detect(got, expected, case)
                    except Exception:  # noqa: BLE001
                        hit = False
                    assert not hit, f"{ex.number}: {m1.key} fires on {m2.key} ({case.label})"
            break                                   # the first failing case decides


DETERMINISTIC = [check.glorot_bound, check.he_std, check.output_variance, check.identical_units]


@pytest.mark.parametrize("ex", DETERMINISTIC, ids=[ex.number for ex in DETERMINISTIC])
def test_every_pair_of_mistakes_differs_on_their_deciding_cases(ex):
    """On the case where a mistake is first caught, no other catalogued mistake gives the same output."""
    cases = _cases(ex)
    outputs = {m.key: [m.impl(*copy.deepcopy(c.args), **c.kwargs) for c in cases] for m in ex.mistakes}
    for m in ex.mistakes:
        first = next(i for i, c in enumerate(cases) if _fails(ex, outputs[m.key][i], c))
        for other in ex.mistakes:
            if other is not m:
                a, b = np.asarray(outputs[m.key][first]), np.asarray(outputs[other.key][first])
                differ = (a.shape != b.shape or (a.dtype == bool) != (b.dtype == bool)   # 0/1 vs True/False
                          or not np.allclose(a, b, rtol=1e-6, atol=0))
                assert differ, (m.key, other.key)


def test_output_variance_cases_have_no_coincidence_and_vary_one_factor_at_a_time():
    cases = [c.args for c in _cases(check.output_variance)]
    n, vw, vx = cases[0]
    for value in (n, vw, vx, n * vw, n * vx, vw * vx, n * vw * vx):
        assert not np.isclose(value, 1.0, rtol=0.05)
    assert not np.isclose(n * vw, vx) and not np.isclose(vw, vx)
    for args in cases[1:]:
        assert sum(a != b for a, b in zip(args, cases[0])) == 1
        assert not np.isclose(args[0] * args[1] * args[2], 1.0, rtol=0.05)


@pytest.mark.parametrize("ex", [check.glorot_uniform, check.he_normal], ids=["3.3", "3.4"])
def test_a_correct_initializer_passes_whatever_the_seed(ex):
    for seed in range(1, 16):
        other = copy.copy(ex)
        other.seed = seed
        assert other(ex.reference).passed, (seed, other(ex.reference))


RANDOM_MISTAKES = [(ex, m, f) for ex in (check.glorot_uniform, check.he_normal)
                   for m in ex.mistakes for f in (m.impl, *m.witnesses)]


@pytest.mark.parametrize("ex, mistake, learner", RANDOM_MISTAKES,
                         ids=[f"{ex.number}-{m.key}-{i}" for i, (ex, m, _) in enumerate(RANDOM_MISTAKES)])
def test_random_mistakes_are_named_whatever_the_seed(ex, mistake, learner):
    for seed in (3, 4):
        other = copy.copy(ex)
        other.seed = seed
        result = other(learner)
        assert result.mistake == mistake.key, (seed, result)


@pytest.mark.parametrize("ex", check.EXERCISES, ids=[ex.number for ex in check.EXERCISES])
def test_a_check_is_fast(ex):
    start = time.perf_counter()
    ex(ex.reference)
    assert time.perf_counter() - start < 1.0
