"""Exercise checkers: one module per lesson, one check per exercise.

>>> from course.checks import lesson00 as check      # doctest: +SKIP
>>> check.rel_error(rel_error)                      # doctest: +SKIP
✅ Exercise 0.2 (rel_error): all 4 test cases passed.
"""
from ._framework import CheckResult, Exercise, Mistake

LESSON_MODULES = ["lesson00", "lesson01", "lesson02", "lesson03", "lesson04", "lesson05", "lesson06",
                  "lesson07",
                  "lesson08", "lesson09"]

__all__ = ["CheckResult", "Exercise", "Mistake", "LESSON_MODULES"]
