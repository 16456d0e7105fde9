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
