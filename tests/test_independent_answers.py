"""Wrong answers written by someone who never saw the checkers (tests/independent/): none may pass,
and the correct answers written in other styles must all pass."""
import importlib
from pathlib import Path

import pytest

ROUNDS = sorted(p.stem for p in (Path(__file__).parent / "independent").glob("round*.py"))


def _answers(kind):
    out = []
    for round_name in ROUNDS:
        module = importlib.import_module(f"tests.independent.{round_name}")
        table = getattr(module, kind)
        for lesson, exercises in table.items():
            for name, entry in exercises.items():
                pairs = entry if kind == "WRONG" else [("correct", entry)]
                out += [(round_name, lesson, name, desc, fn) for desc, fn in pairs]
    return out


WRONG, CORRECT = _answers("WRONG"), _answers("CORRECT")


@pytest.mark.parametrize("round_name, lesson, name, description, fn", WRONG,
                         ids=[f"{r}-{n}-{i}" for i, (r, _, n, _, _) in enumerate(WRONG)])
def test_no_independent_wrong_answer_passes(round_name, lesson, name, description, fn):
    result = getattr(importlib.import_module(f"course.checks.{lesson}"), name)(fn)
    assert result.status == "failed", f"{description}: {result}"


@pytest.mark.parametrize("round_name, lesson, name, description, fn", CORRECT,
                         ids=[f"{r}-{n}" for r, _, n, _, _ in CORRECT])
def test_independent_correct_answers_pass(round_name, lesson, name, description, fn):
    result = getattr(importlib.import_module(f"course.checks.{lesson}"), name)(fn)
    assert result.passed, result
