"""Print the verdict of every answer of an independent round: python -m tests.independent.report round1"""
import collections
import importlib
import os
import sys

os.environ["NNLIB_PROGRESS"] = "off"


def verdicts(round_name):
    answers = importlib.import_module(f"tests.independent.{round_name}")
    for kind, table in (("WRONG", answers.WRONG), ("CORRECT", {m: {n: [("correct", f)] for n, f in ex.items()}
                                                              for m, ex in answers.CORRECT.items()})):
        for lesson, exercises in table.items():
            check = importlib.import_module(f"course.checks.{lesson}")
            for name, pairs in exercises.items():
                for description, fn in pairs:
                    yield kind, lesson, name, description, getattr(check, name)(fn)


def main(round_name="round1"):
    counts = collections.defaultdict(collections.Counter)
    for kind, lesson, name, description, r in verdicts(round_name):
        message = " ".join(r.message.split())
        print(f"{kind} {lesson} {name} | {description} -> {r.status} {r.mistake} | {message}")
        if kind == "WRONG":
            counts[lesson]["passed" if r.passed else "named" if r.mistake else "unnamed"] += 1
    for lesson, c in sorted(counts.items()):
        print(f"# {lesson}: {sum(c.values())} wrong answers, {c['passed']} passed, {c['named']} named, "
              f"{c['unnamed']} unnamed")


if __name__ == "__main__":
    main(*sys.argv[1:])
