"""Every exercise's check: the reference passes, the stub is "not attempted", and each
catalogued mistake fails with that mistake's diagnosis."""
import copy
import importlib

import numpy as np
import pytest

from course.checks import LESSON_MODULES, CheckResult
from check_helpers import cases
from course.checks._framework import Case, Exercise, Mistake, stub

# lesson 09's challenges judge configurations, not functions: tests/test_checks_lesson09.py
EXERCISES = [ex for mod in LESSON_MODULES for ex in importlib.import_module(f"course.checks.{mod}").EXERCISES
             if isinstance(ex, Exercise)]
IDS = [f"{ex.number}-{ex.name}" for ex in EXERCISES]
MISTAKES = [(ex, m) for ex in EXERCISES for m in ex.mistakes]


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_reference_passes(ex):
    result = ex(ex.reference)
    assert isinstance(result, CheckResult)
    assert result.status == "passed", result
    assert repr(result).startswith("✅ Exercise")


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_stub_is_not_attempted(ex):
    result = ex(stub)
    assert result.status == "not_attempted" and result.mistake is None
    assert repr(result).startswith("⏳") and "not attempted" in result.message


@pytest.mark.parametrize("ex, mistake", MISTAKES, ids=[f"{ex.number}-{m.key}" for ex, m in MISTAKES])
def test_each_catalogued_mistake_is_diagnosed(ex, mistake):
    result = ex(mistake.impl)
    assert result.status == "failed", result
    assert result.mistake == mistake.key, result
    assert mistake.fix in result.message and repr(result).startswith("❌")


WITNESSES = [(ex, m, k, w) for ex, m in MISTAKES for k, w in enumerate(m.witnesses, 1)]


@pytest.mark.parametrize("ex, mistake", MISTAKES, ids=[f"{ex.number}-{m.key}" for ex, m in MISTAKES])
def test_each_mistake_has_at_least_two_implementations(ex, mistake):
    """One implementation of a mistake proves little: a detector that matches one way of writing
    it exactly would pass. Every catalogue entry carries at least one more, written differently."""
    implementations = [mistake.impl, *mistake.witnesses]
    assert len([f for f in implementations if f is not None]) >= 2, \
        f"{ex.number} {mistake.key}: add a second implementation to witnesses="


@pytest.mark.parametrize("ex, mistake, k, witness", WITNESSES,
                         ids=[f"{ex.number}-{m.key}-{k}" for ex, m, k, _ in WITNESSES])
def test_every_way_of_writing_a_mistake_gets_its_name(ex, mistake, k, witness):
    result = ex(witness)
    assert result.status == "failed", result
    assert result.mistake == mistake.key, result


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_none_raising_exit_nan_and_wrong_shape_get_the_right_verdict(ex):
    import sys

    def leaves(*args, **kwargs):
        sys.exit(3)

    def nan_like(*args, **kwargs):
        got = ex.reference(*args, **kwargs)
        return np.full(got.shape, np.nan) if isinstance(got, np.ndarray) and got.dtype.kind == "f" else got

    def as_list(*args, **kwargs):
        got = ex.reference(*args, **kwargs)
        return got.tolist() if isinstance(got, np.ndarray) else got

    def one_more(*args, **kwargs):
        got = ex.reference(*args, **kwargs)
        return np.append(got, 0.0) if isinstance(got, np.ndarray) else got

    verdicts = {"none": ex(lambda *a, **k: None), "exit": ex(leaves), "nan": ex(nan_like),
                "list": ex(as_list), "shape": ex(one_more)}
    assert verdicts["none"].status == "failed"
    assert "None" in verdicts["none"].message, verdicts["none"]
    assert verdicts["exit"].status == "failed" and "SystemExit" in verdicts["exit"].message
    first = ex.reference(*ex.make_cases(np.random.default_rng(ex.seed))[0].args)
    if isinstance(first, np.ndarray):
        for kind in ("list", "shape"):
            assert verdicts[kind].status == "failed" and kind in verdicts[kind].message, verdicts[kind]
    if isinstance(first, np.ndarray) and first.dtype.kind == "f":
        nan = verdicts["nan"]
        assert nan.status == "failed" and "nan" in nan.message.lower(), nan


# 1.5's detectors read what the learner's call did during the check (the fit calls it made), which a
# bare call outside a check does not record; tests/test_checks_lesson01.py covers them.
DETECTING = [ex for ex in EXERCISES if any(m.detect for m in ex.mistakes) and ex.number != "1.5"]


@pytest.mark.parametrize("ex", DETECTING, ids=[ex.number for ex in DETECTING])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_detector_fires_on_a_correct_answer(ex, seed, monkeypatch):
    """A detector is tried only after a failure, but it must still describe a mistake: the
    reference's own output, on cases drawn with several seeds, never matches one. Detectors that
    read the running check (its other cases, the learner's function on them) see the reference's
    check, not whatever check ran last in this process."""
    drawn = cases(ex, seed)
    monkeypatch.setattr(ex, "_learner", ex.reference, raising=False)
    monkeypatch.setattr(ex, "_cases", drawn, raising=False)
    for case in drawn:
        expected = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
        got = ex.reference(*copy.deepcopy(case.args), **case.kwargs)
        case.seen_args = copy.deepcopy(case.args)
        for m in ex.mistakes:
            if m.detect is not None:
                try:
                    fired = m.detect(got, expected, case)
                except Exception:  # noqa: BLE001 - a detector that cannot run does not fire
                    fired = False
                assert not fired, f"{ex.number} {m.key} fires on {case.label}"


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_checks_never_raise_and_never_show_the_reference(ex):
    import inspect
    ref_src = inspect.getsource(ex.reference)
    body = [ln.strip() for ln in ref_src.splitlines()[1:] if len(ln.strip()) > 12]

    def crashes(*args, **kwargs):
        raise KeyError("boom")

    for learner in (crashes, lambda *a, **k: None, lambda *a, **k: "text", 42):
        result = ex(learner)
        assert result.status == "failed"
        assert not any(line in result.message for line in body)
    assert "KeyError: 'boom'" in ex(crashes).message


def test_a_hang_is_stopped(monkeypatch):
    import course.checks._framework as fw
    monkeypatch.setattr(fw, "TIME_LIMIT", 0.3)
    ex = Exercise("t", "9.9", "f", lambda x: x, lambda rng: [Case((np.ones(2),))])

    def hang(x):
        while True:
            pass

    result = ex(hang)
    assert result.status == "failed" and "longer than" in result.message


def test_first_mismatch_is_named():
    ex = Exercise("t", "9.1", "double", lambda x: 2 * x, lambda rng: [Case((np.arange(4.0),))])
    result = ex(lambda x: np.array([0.0, 2.0, 5.0, 6.0]))
    assert result.message.startswith("your result is 5 at index (2,), expected 4")
    result = ex(lambda x: np.zeros(3))
    assert "shape (3,), expected (4,)" in result.message
    result = ex(lambda x: np.array([0.0, np.nan, 4.0, 6.0]))
    assert "contains nan at index (1,)" in result.message


def test_argument_changed_in_place_is_reported():
    ex = Exercise("t", "9.2", "neg", lambda x: -x, lambda rng: [Case((np.ones(3),))])

    def neg_in_place(x):
        x *= -1
        return x

    result = ex(neg_in_place)
    assert result.status == "failed" and "changed its argument number 1 in place" in result.message


def test_mistake_that_raises_is_diagnosed():
    ex = Exercise("t", "9.3", "mm", lambda A, B: A @ B,
                  lambda rng: [Case((np.ones((2, 3)), np.ones((3, 4))))],
                  mistakes=[Mistake("swap", "the factors in the wrong order", "write A @ B",
                                    impl=lambda A, B: B @ A)])
    result = ex(lambda A, B: B @ A)
    assert result.mistake == "swap" and "ValueError" in result.message


def test_progress_is_recorded(tmp_path, monkeypatch):
    from course import progress
    path = tmp_path / "p.json"
    monkeypatch.setenv("NNLIB_PROGRESS", str(path))
    ex = EXERCISES[0]
    ex(stub)
    assert progress.load()[ex.lesson][ex.number]["status"] == "not_attempted"
    ex(ex.reference)
    assert progress.load()[ex.lesson][ex.number]["status"] == "passed"
    table = progress.table({ex.lesson: [(ex.number, ex.name)]})
    assert "1/1" in table and "✅" in table
    assert not list(tmp_path.glob(".progress-*"))  # no temporary file left behind
    path.write_text("{not json")
    ex(stub)  # a damaged file is replaced, not fatal
    assert progress.load()[ex.lesson][ex.number]["status"] == "not_attempted"


def test_progress_can_be_switched_off(monkeypatch, tmp_path):
    from course import progress
    monkeypatch.setenv("NNLIB_PROGRESS", "off")
    assert progress.progress_path() is None
    EXERCISES[0](stub)
    assert progress.load() == {}


def test_a_function_that_ignores_its_rng_is_caught():
    ex = Exercise("t", "9.3", "noise", lambda n, rng: rng.normal(size=n),
                  lambda rng: [Case((5, np.random.default_rng(1)))],
                  compare=lambda got, exp, case: None, reproducible=True)
    assert ex(lambda n, rng: rng.normal(size=n)).status == "passed"
    calls = iter(range(10))
    result = ex(lambda n, rng: np.random.default_rng(next(calls)).normal(size=n))
    assert result.status == "failed" and "somewhere other than the rng" in result.message
