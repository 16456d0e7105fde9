"""The exercise-checking framework shared by every lesson's checker module.

An :class:`Exercise` knows its reference, how to build seeded test cases, how to
compare an answer with the reference, and a catalogue of known mistakes. Calling it
with the learner's function runs every case safely and returns a :class:`CheckResult`
whose display is the one-line verdict. It never raises and never shows the reference.

The rules every exercise gets, whatever its own comparison:

* anything the learner's code raises is reported, ``SystemExit`` and ``KeyboardInterrupt``
  included, and a call that runs past the time limit is stopped (or, if the code swallowed
  the stop, reported as too slow all the same);
* ``None`` is named as a missing ``return``; a list, tuple or string where the reference
  returns an array or a number is named as such; a float32 result where float64 is asked too;
* every comparison uses the tolerances the exercise declares (``rtol``, ``atol``), also in
  comparison helpers that do not pass them;
* a function that takes a generator must draw from it: equal states give equal results,
  different seeds different results, and the generator's state must advance.
* a catalogued mistake is named only when its ``detect`` (a property of the output) or its
  ``impl`` (one implementation of it) matches; ``witnesses`` are further implementations,
  used by the tests to prove that the mistake is named however it is written.
"""
from __future__ import annotations

import contextvars
import copy
import os
import signal
import threading
import time
import traceback
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .. import progress

ICONS = {"passed": "✅", "failed": "❌", "not_attempted": "⏳"}
TIME_LIMIT = 10.0  # seconds per call of the learner's function
_TOLERANCE = contextvars.ContextVar("tolerance", default=(1e-6, 1e-9))   # the running exercise's


@dataclass
class CheckResult:
    """The verdict of one check: ``status`` is "passed", "failed" or "not_attempted"."""
    name: str
    status: str
    message: str
    mistake: str | None = None

    @property
    def passed(self):
        return self.status == "passed"

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"{ICONS[self.status]} {self.name}: {self.message}"

    def _repr_pretty_(self, p, cycle):  # IPython shows exactly the verdict line
        p.text(repr(self))


@dataclass
class Mistake:
    """A known wrong answer: ``impl`` reproduces it (for matching and for tests)."""
    key: str
    title: str
    fix: str
    impl: Callable | None = None
    detect: Callable | None = None  # detect(got, expected, case) -> bool: the mistake's effect
    witnesses: tuple = ()  # more implementations of the same mistake, for the tests
    mutation: bool = False  # diagnosed when the learner's function changed an argument in place
    irreproducible: bool = False  # diagnosed when equal inputs (same seeded rng) gave different results


@dataclass
class Case:
    args: tuple
    kwargs: dict = field(default_factory=dict)
    label: str = ""
    draws: bool = True  # False: a correct answer need not draw from its rng here (e.g. p_drop = 0)


class Failure(Exception):
    """Raised by comparison helpers with the learner-facing description of what is wrong."""


class _Timeout(BaseException):
    pass


_NOT_THE_LEARNERS = (os.path.dirname(np.__file__), os.path.dirname(os.path.dirname(__file__)),
                     os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "nnlib"))


def _raised(error, where):
    """The words for an error, pointing at the learner's own line rather than at the line of NumPy,
    nnlib or a checker where it was raised."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith(_NOT_THE_LEARNERS)]
    frame = frames[-1] if frames else None
    line = f" (line {frame.lineno}: `{frame.line}`)" if frame is not None and frame.line else ""
    return f"your function raised {type(error).__name__}: {error}{line} {where}"


@contextmanager
def _time_limit(seconds):
    """SIGALRM-based limit in the main thread (the kernel's); no limit elsewhere."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def handler(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _fmt(v):
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.6g}"
    return repr(v)


def check_type(got, expected, what="your result"):
    """Raise :class:`Failure` when ``got`` is not the kind of value ``expected`` is.

    None is named as a missing return; a list, tuple or string where an array or a number is
    expected is named as such; a float32 (or float16) result where float64 is expected too.
    """
    if got is None and expected is not None:
        raise Failure(f"{what} is None: is the `return` missing?")
    if isinstance(got, (str, bytes)) and not isinstance(expected, (str, bytes)):
        raise Failure(f"{what} is a string ({got!r}), expected a number or an array: return the value "
                      f"itself, not its text")
    if isinstance(expected, np.ndarray) and isinstance(got, (list, tuple)):
        raise Failure(f"{what} is a Python {type(got).__name__}, expected a NumPy array of shape "
                      f"{expected.shape}: build it with NumPy operations (or np.array(...))")
    exp_dtype = getattr(expected, "dtype", np.dtype(float) if isinstance(expected, float) else None)
    got_dtype = getattr(got, "dtype", None)
    if (exp_dtype is not None and got_dtype is not None and exp_dtype == np.float64
            and got_dtype in (np.float32, np.float16)):
        raise Failure(f"{what} is {got_dtype} (about {7 if got_dtype == np.float32 else 3} significant "
                      f"digits), expected float64: compute in float64, NumPy's default")


def compare_array(got, expected, what="the result", rtol=None, atol=None):
    """Raise :class:`Failure` naming the first difference between ``got`` and ``expected``.

    ``rtol`` and ``atol`` default to the tolerances the running exercise declares.
    """
    default_rtol, default_atol = _TOLERANCE.get()
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    check_type(got, expected, what)
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise Failure(f"{what} should be a number or a numeric array, got {type(got).__name__}") from None
    exp = np.asarray(expected, dtype=float)
    if arr.shape != exp.shape:
        raise Failure(f"{what} has shape {arr.shape}, expected {exp.shape}")
    if not np.all(np.isfinite(arr)) and np.all(np.isfinite(exp)):
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise Failure(f"{what} contains {arr[idx]} at index {idx}; expected finite values")
    close = np.isclose(arr, exp, rtol=rtol, atol=atol) | (arr == exp)
    if not np.all(close):
        idx = tuple(int(i) for i in np.argwhere(~close)[0])
        where = f" at index {idx}" if idx else ""
        raise Failure(f"{what} is {_fmt(arr[idx])}{where}, expected {_fmt(exp[idx])}")


def _raises_like(impl, case, error):
    """True when the catalogued mistake raises the same kind of error as the learner's code."""
    try:
        with np.errstate(all="ignore"):
            impl(*_copy_args(case.args), **case.kwargs)
    except Exception as e:  # noqa: BLE001
        return type(e) is type(error) and str(e) == str(error)
    return False


def _call(learner, args, kwargs):
    """``(result, error, seconds)``: the learner's call under the time limit, every exception caught.

    ``error`` is the exception (any BaseException, SystemExit and KeyboardInterrupt included) or
    ``_Timeout()`` when the call was stopped, or ran past the limit because it caught the stop.
    """
    start = time.perf_counter()
    try:
        with _time_limit(TIME_LIMIT):
            got = learner(*args, **kwargs)
    except BaseException as e:  # noqa: BLE001 - the learner's bug is reported, never raised
        return None, e, time.perf_counter() - start
    elapsed = time.perf_counter() - start
    if elapsed > TIME_LIMIT:
        return None, _Timeout(), elapsed
    return got, None, elapsed


def _rng_args(args):
    return [a for a in args if isinstance(a, np.random.Generator)]


def _copy_args(args):
    return tuple(copy.deepcopy(a) for a in args)


def _same(a, b, rtol, atol):
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k], rtol, atol) for k in a)
    try:
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return x.shape == y.shape and bool(np.all(np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)))


def recorded(check, answer) -> CheckResult:
    """``check._run(answer)`` with warnings silenced, its verdict stored in the learner's progress."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = check._run(answer)
    note = progress.record(check.lesson, check.number, check.name, result.status)
    if note:                                         # the progress file was damaged or not writable
        result.message += f" (Note: {note}.)"
    return result


class Exercise:
    """One auto-checked exercise. Call it with the learner's function to get a verdict."""

    def __init__(self, lesson, number, name, reference, make_cases, compare=None, mistakes=(),
                 rtol=1e-6, atol=1e-9, check_mutation=True, seed=0, reproducible=False, guard=None,
                 named_errors=()):
        # guard(learner): a context manager active while the check runs that yields the function to
        # run (e.g. with a function the statement forbids switched off). named_errors: pairs of a
        # matcher and the key of the mistake an error shows; the matcher is an exception class
        # (whatever the message) or matcher(exercise, error, case), deciding from the error's effect.
        self.guard, self.named_errors = guard, tuple(named_errors)
        self.lesson, self.number, self.name = lesson, number, name
        self.reference, self.make_cases = reference, make_cases
        # reproducible=True: the function takes a numpy Generator; called twice with copies of the
        # same seeded generator it must return the same result (it draws from that rng only).
        self.reproducible = reproducible
        self.compare = compare or (lambda got, exp, case: compare_array(got, exp, "your result",
                                                                         self.rtol, self.atol))
        self.mistakes = list(mistakes)
        self.rtol, self.atol, self.check_mutation, self.seed = rtol, atol, check_mutation, seed

    @property
    def label(self):
        return f"Exercise {self.number} ({self.name})"

    def __call__(self, learner) -> CheckResult:
        return recorded(self, learner)

    def _verdict(self, status, message, mistake=None):
        return CheckResult(self.label, status, message, mistake)

    def _run(self, learner):
        if not callable(learner):
            return self._verdict("failed", f"expected your function, got {type(learner).__name__}; "
                                 f"pass the function itself, e.g. check.{self.name}({self.name}) "
                                 f"(no parentheses after the name you pass).")
        token = _TOLERANCE.set((self.rtol, self.atol))
        try:
            if self.guard is None:
                return self._run_cases(learner)
            with self.guard(learner) as guarded:
                return self._run_cases(guarded)
        finally:
            _TOLERANCE.reset(token)

    @property
    def running_cases(self):
        """For detectors: the cases of the check that is running."""
        return self._cases

    def call_learner(self, *args, **kwargs):
        """For detectors: ``(result, error)`` of the learner's function (of the check that is running)
        on other arguments, e.g. the same case flattened, or another case."""
        got, error, _ = _call(self._learner, _copy_args(args), kwargs)
        return got, error

    def _named_error(self, error, case):
        for matcher, key in self.named_errors:
            try:
                hit = (isinstance(error, matcher) if isinstance(matcher, type)
                       else bool(matcher(self, error, case)))
            except Exception:  # noqa: BLE001 - a matcher that cannot run does not match
                hit = False
            if hit:
                return next(m for m in self.mistakes if m.key == key)
        return None

    def _error_verdict(self, error, case, where):
        if isinstance(error, NotImplementedError):
            text = str(error)
            if text.startswith("Exercise ") and not text.startswith(f"Exercise {self.number}:"):
                other = text.split(":")[0]
                return self._verdict("failed", f"your function calls the function of {other}, which is not "
                                     f"written yet (it still raises NotImplementedError); do {other} first, "
                                     f"run its cell, then run this check again.")
            return self._verdict("not_attempted", "not attempted yet: replace the "
                                 "`raise NotImplementedError(...)` line with your code, "
                                 "then run this cell again.")
        if isinstance(error, _Timeout):
            return self._verdict("failed", f"your function ran longer than {TIME_LIMIT:.0f} s {where}; "
                                 f"look for an endless loop (or a loop over far more items than needed).")
        if isinstance(error, SystemExit):
            return self._verdict("failed", f"your function called sys.exit() or exit() (SystemExit: "
                                 f"{error.code}) {where}; return a value instead of leaving.")
        if isinstance(error, KeyboardInterrupt):
            return self._verdict("failed", f"your function was interrupted (KeyboardInterrupt) {where}; "
                                 f"run the check again and let it finish.")
        message = _raised(error, where)
        named = self._named_error(error, case) if isinstance(error, Exception) else None
        if named is not None:
            return self._verdict("failed", f"{message}. Likely mistake: {named.title}. Fix: {named.fix}",
                                 named.key)
        if isinstance(error, Exception):
            for m in self.mistakes:
                if m.impl is not None and _raises_like(m.impl, case, error):
                    return self._verdict("failed", f"{message}. Likely mistake: {m.title}. Fix: {m.fix}",
                                         m.key)
        return self._verdict("failed", message + ".")

    def _run_cases(self, learner):
        cases = self.make_cases(np.random.default_rng(self.seed))
        self._learner, self._cases = learner, cases
        for i, case in enumerate(cases):
            where = f"on test case {i + 1} of {len(cases)}" + (f" ({case.label})" if case.label else "")
            args = _copy_args(case.args)
            states = [g.bit_generator.state for g in _rng_args(args)]
            got, error, _ = _call(learner, args, case.kwargs)
            case.seen_args = args                    # after the call: what the learner's code left there
            if error is not None:
                return self._error_verdict(error, case, where)
            expected = self.reference(*_copy_args(case.args), **case.kwargs)
            if self.check_mutation:
                for k, (a, orig) in enumerate(zip(args, case.args)):
                    if isinstance(orig, np.ndarray) and (not isinstance(a, np.ndarray)
                                                         or a.shape != orig.shape
                                                         or not np.array_equal(a, orig, equal_nan=True)):
                        return self._diagnose(got, expected, case, f"your function changed its argument "
                                              f"number {k + 1} in place {where}", mutated=True)
            try:
                check_type(got, expected)
                self.compare(got, expected, case)
            except Failure as f:
                return self._diagnose(got, expected, case, f"{f} {where}")
            if self.reproducible and case.draws:
                verdict = self._check_reproducible(learner, got, case, where, args, states)
                if verdict is not None:
                    return verdict
        return self._verdict("passed", f"all {len(cases)} test cases passed.")

    def _check_reproducible(self, learner, got, case, where, args, states):
        """A function given a generator must draw from it, and only from it: its state advances,
        a generator in the same state gives the same result, one with another seed a different one."""
        used = [g for g, before in zip(_rng_args(args), states) if g.bit_generator.state != before]
        again, error, _ = _call(learner, _copy_args(case.args), case.kwargs)
        reseeded = tuple(np.random.default_rng(12345 + k) if isinstance(a, np.random.Generator) else
                         copy.deepcopy(a) for k, a in enumerate(case.args))
        other, other_error, _ = _call(learner, reseeded, case.kwargs)
        if error is None and other_error is None and not used and _same(got, again, 0.0, 0.0) \
                and _same(got, other, 0.0, 0.0):
            message = (f"your function did not draw from the generator it was given {where}: its state "
                       f"did not change, and a generator with another seed gave the same weights")
        elif error is None and _same(got, again, 0.0, 0.0) and other_error is None \
                and not _same(got, other, 0.0, 0.0):
            return None
        elif error is None and _same(got, again, 0.0, 0.0):
            message = (f"a generator with another seed gave the same result {where}: your function "
                       f"draws from a generator of its own")
        else:
            message = (f"two calls with generators in the same state gave different results {where}: "
                       f"your function draws its random numbers from somewhere other than the rng "
                       f"it was given")
        for m in self.mistakes:
            if m.irreproducible:
                return self._verdict("failed", f"{message}. Likely mistake: {m.title}. Fix: {m.fix}", m.key)
        return self._verdict("failed", message + "; draw with the rng you are given, e.g. rng.uniform(...) "
                             "or rng.normal(...).")

    def _agrees_everywhere(self, impl, failing):
        """True when ``impl`` gives what the learner's function gives on every other case too, so that
        a formula that agrees with the learner by coincidence on one case is not named."""
        for case in self._cases:
            if case is failing:
                continue
            got, error, _ = _call(self._learner, _copy_args(case.args), case.kwargs)
            if error is not None:
                continue
            try:
                theirs = impl(*_copy_args(case.args), **case.kwargs)
            except Exception:  # noqa: BLE001
                return False
            if not _same(got, theirs, self.rtol, self.atol):
                return False
        return True

    def _diagnose(self, got, expected, case, message, mutated=False):
        for m in self.mistakes:
            hit = False
            try:
                if m.mutation or mutated:
                    hit = m.mutation and mutated
                elif m.detect is not None:
                    hit = bool(m.detect(got, expected, case))
                elif m.impl is not None:
                    hit = (_same(got, m.impl(*_copy_args(case.args), **case.kwargs), self.rtol, self.atol)
                           and self._agrees_everywhere(m.impl, case))
            except Exception:  # noqa: BLE001 - a catalogue entry that cannot run does not match
                hit = False
            if hit:
                return self._verdict("failed", f"{message}. Likely mistake: {m.title}. Fix: {m.fix}", m.key)
        if mutated:
            message += "; work on a copy (x = x.copy()) or put every value back"
        return self._verdict("failed", message + ".")


def stub(*args, **kwargs):
    """What a generated exercise contains before the learner writes code."""
    raise NotImplementedError("not attempted")
