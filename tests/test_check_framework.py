"""The rules every checker gets from the framework (COURSE.md, "Exercises and checkers"):
anything the learner's code does is caught and named, the declared tolerance is applied
everywhere, generators must be drawn from, and the progress file survives what happens to it."""
import json
import sys
import threading

import numpy as np
import pytest

import course.checks._framework as fw
from course import progress
from course.checks._framework import Case, Exercise, Mistake, compare_array


def _double():
    return Exercise("t", "9.1", "double", lambda x: 2 * x, lambda rng: [Case((np.arange(4.0),))])


@pytest.mark.parametrize("learner, words", [
    (lambda x: sys.exit(1), "called sys.exit() or exit() (SystemExit: 1)"),
    (lambda x: exec("raise SystemExit"), "SystemExit"),
    (lambda x: exec("raise KeyboardInterrupt"), "interrupted (KeyboardInterrupt)"),
    (lambda x: None, "is None: is the `return` missing?"),
    (lambda x: list(2 * x), "is a Python list, expected a NumPy array of shape (4,)"),
    (lambda x: tuple(2 * x), "is a Python tuple"),
    (lambda x: str(2 * x), "is a string"),
    (lambda x: (2 * x).astype(np.float32), "is float32 (about 7 significant digits), expected float64"),
    (lambda x: 2 * x + np.array([0, np.nan, 0, 0]), "contains nan at index (1,)"),
    (lambda x: np.zeros((2, 2)), "has shape (2, 2), expected (4,)"),
    (lambda x: {}[x[0]], "raised KeyError"),
])
def test_every_kind_of_wrong_answer_gets_a_named_verdict(learner, words):
    result = _double()(learner)
    assert result.status == "failed", result
    assert words in result.message, result.message


def test_a_number_given_as_text_does_not_pass():
    ex = Exercise("t", "9.2", "half", lambda a: 0.5 * float(a), lambda rng: [Case((3.0,))])
    assert ex(lambda a: 0.5 * a).passed
    result = ex(lambda a: str(0.5 * a))
    assert result.status == "failed" and "is a string ('1.5')" in result.message


def test_a_swallowed_time_limit_is_still_reported(monkeypatch):
    monkeypatch.setattr(fw, "TIME_LIMIT", 0.2)

    def stubborn(x):
        try:
            while True:
                pass
        except BaseException:  # noqa: BLE001 - what the learner wrote
            return 2 * x

    result = _double()(stubborn)
    assert result.status == "failed" and "ran longer than" in result.message


def test_the_declared_tolerance_reaches_comparison_helpers():
    def helper_compare(got, expected, case):
        compare_array(got, expected, "your result")          # passes no tolerance itself

    tight = Exercise("t", "9.3", "f", lambda x: np.sin(x), lambda rng: [Case((np.linspace(0, 1, 5),))],
                     compare=helper_compare, rtol=1e-12, atol=1e-15)
    close = lambda x: np.sin(x) * (1 + 1e-9)                  # noqa: E731 - right to 9 digits only
    assert tight(close).status == "failed"
    loose = Exercise("t", "9.3", "f", lambda x: np.sin(x), lambda rng: [Case((np.linspace(0, 1, 5),))],
                     compare=helper_compare, rtol=1e-6)
    assert loose(close).passed


def _noise_exercise(mistakes=()):
    return Exercise("t", "9.4", "noise", lambda n, rng: rng.normal(size=n),
                    lambda rng: [Case((5, np.random.default_rng(1)))],
                    compare=lambda got, exp, case: None, reproducible=True, mistakes=mistakes)


def test_a_generator_must_be_drawn_from():
    assert _noise_exercise()(lambda n, rng: rng.normal(size=n)).passed
    own = _noise_exercise()(lambda n, rng: np.random.default_rng(0).normal(size=n))
    assert own.status == "failed" and "did not draw from the generator it was given" in own.message
    glob = _noise_exercise()(lambda n, rng: np.random.normal(size=n))
    assert glob.status == "failed" and "somewhere other than the rng" in glob.message
    spent = _noise_exercise()(lambda n, rng: (rng.normal(), np.random.default_rng(0).normal(size=n))[1])
    assert spent.status == "failed" and "another seed gave the same result" in spent.message
    own_rng = Mistake("ignores_rng", "a generator of its own", "use rng", irreproducible=True)
    named = _noise_exercise([own_rng])
    assert named(lambda n, rng: np.random.default_rng(7).normal(size=n)).mistake == "ignores_rng"


def test_a_function_of_an_earlier_exercise_that_is_not_written_yet_is_named():
    def uses_softmax(x):
        raise NotImplementedError("Exercise 4.2: a hint")

    result = _double()(uses_softmax)
    assert result.status == "failed" and "the function of Exercise 4.2, which is not written yet" \
        in result.message
    assert _double()(lambda x: (_ for _ in ()).throw(NotImplementedError("Exercise 9.1: x"))).status \
        == "not_attempted"


# --- the progress file ---------------------------------------------------------------------

@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "state" / "progress.json"
    monkeypatch.setenv("NNLIB_PROGRESS", str(path))
    return path


def test_a_wrong_shaped_file_keeps_what_is_well_formed(progress_file):
    progress_file.parent.mkdir()
    progress_file.write_text(json.dumps({"00-getting-started": "passed",
                                         "01": {"1.1": {"status": "passed"}, "1.2": 3}}))
    assert progress.load() == {"01": {"1.1": {"status": "passed"}}}
    result = _double()(lambda x: 2 * x)
    assert result.passed and "Note" not in result.message
    data = progress.load()
    assert data["t"]["9.1"]["status"] == "passed" and data["01"]["1.1"]["status"] == "passed"
    assert "1/1" in progress.table({"t": [("9.1", "double")]})


def test_a_damaged_file_is_kept_aside_and_the_learner_is_told(progress_file):
    progress_file.parent.mkdir()
    progress_file.write_text('{"01": {"1.1": ')
    result = _double()(lambda x: 2 * x)
    assert result.passed and "progress file was damaged" in result.message
    backups = list(progress_file.parent.glob("progress.json.damaged-*"))
    assert len(backups) == 1 and backups[0].read_text() == '{"01": {"1.1": '
    assert progress.load()["t"]["9.1"]["status"] == "passed"


def test_two_writers_at_once_lose_no_verdict(progress_file):
    def write(k):
        for i in range(15):
            progress.record("l", f"{k}.{i}", "f", "passed")

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(progress.load()["l"]) == 60


def test_a_failed_write_leaves_no_temporary_file(progress_file, monkeypatch):
    progress.record("l", "1.1", "f", "passed")

    def broken_dump(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress.json, "dump", broken_dump)
    note = progress.record("l", "1.2", "f", "passed")
    assert "could not be saved" in note and "No space left" in note
    assert not list(progress_file.parent.glob(".progress-*"))
    monkeypatch.setattr(progress.json, "dump", json.dump)
    assert set(progress.load()["l"]) == {"1.1"}       # the earlier verdict is intact
