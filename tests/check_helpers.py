"""Helpers shared by the per-lesson checker tests (tests/test_checks_lessonNN.py)."""
import copy

import numpy as np

from course.checks._framework import Failure


def cases(ex, seed=None):
    """The exercise's test cases, drawn with its own seed or with ``seed``."""
    return ex.make_cases(np.random.default_rng(ex.seed if seed is None else seed))


def fails(ex, got, case):
    """True when the exercise's comparison rejects ``got`` on ``case``."""
    try:
        ex.compare(got, ex.reference(*copy.deepcopy(case.args), **case.kwargs), case)
    except Failure:
        return True
    return False


def run(ex, f, case):
    """What the check sees for ``f`` on ``case``: ``(result, error)``, through the exercise's guard
    when it has one (e.g. a k-step run for a step function)."""
    args = copy.deepcopy(case.args)
    try:
        with np.errstate(all="ignore"):
            if ex.guard is None:
                return f(*args, **case.kwargs), None
            with ex.guard(f) as guarded:
                return guarded(*args, **case.kwargs), None
    except Exception as e:  # noqa: BLE001
        return None, e


PNG = b"\x89PNG\r\n\x1a\n"


def frame(live):
    """The current frame of a live figure, asserted to be a PNG image."""
    png = bytes(live.image.value)
    assert png.startswith(PNG)
    return png
