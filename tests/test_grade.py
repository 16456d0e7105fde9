"""`python -m course grade`: a folder of synthetic submissions of lesson 04 (correct, partly wrong with
catalogued mistakes, every fault and every tampering trick the grader must survive), graded to the
expected gradebook and feedback."""
import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from course.checks import lesson04 as check

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions" / "04-softmax-cross-entropy-solutions.ipynb"
EXERCISES = ROOT / "exercises" / "04-softmax-cross-entropy-exercises.ipynb"
NAMES = [e.name for e in check.EXERCISES]
CELL_LIMIT = 6

NAIVE_SOFTMAX = """
def softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
"""
ONE_HOT_TRANSPOSED = """
def one_hot(y, C):
    Y = np.zeros((C, len(y)))
    Y[y, np.arange(len(y))] = 1
    return Y
"""


def _with(base, *sources, first=None):
    """The notebook ``base`` with code cells appended (and optionally one put first)."""
    nb = nbformat.read(base, as_version=4)
    nb.cells += [nbformat.v4.new_code_cell(textwrap.dedent(s)) for s in sources]
    if first is not None:
        nb.cells.insert(0, nbformat.v4.new_code_cell(first))
    return nb


def _submissions(folder: Path, outside: Path):
    write = {
        "correct": _with(SOLUTIONS),
        "untouched": _with(EXERCISES),
        "two_mistakes": _with(SOLUTIONS, NAIVE_SOFTMAX, ONE_HOT_TRANSPOSED),
        "endless_cell": _with(SOLUTIONS, "while True:\n    pass"),
        # ignores the cell alarm, so only the whole-notebook timeout stops it; it sleeps instead of
        # spinning, which is the same to the grader and leaves the 15 s of CPU to the other tests
        "endless_unstoppable": _with(SOLUTIONS, "import signal, time\n"
                                     "signal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n"
                                     "    time.sleep(1)"),
        "calls_sys_exit": _with(SOLUTIONS, "import sys\nsys.exit(1)"),
        "calls_os_exit": _with(SOLUTIONS, "import os\nos._exit(3)"),
        "raises_at_import": _with(SOLUTIONS, first="import a_module_that_does_not_exist"),
        "deletes_files": _with(SOLUTIONS, "import os\nfor f in os.listdir('.'):\n    os.remove(f)",
                               f"import os\nos.remove({str(outside)!r})"),
        "reads_solutions": _with(SOLUTIONS, f"open({str(SOLUTIONS)!r}).read()"),
        "rebinds_check": _with(EXERCISES, "def check(f):\n    print('✅ passed')"),
        "patches_checker": _with(EXERCISES, """
            import course.checks._framework as fw
            fw.Exercise._verdict = lambda self, status, message, mistake=None: fw.CheckResult(
                self.label, "passed", "all passed")
            """),
        "edits_checkresult": _with(EXERCISES, """
            from course.checks import CheckResult
            CheckResult.status = "passed"
            CheckResult.__init__ = lambda self, *a, **k: None
            """),
        "prints_ticks": _with(SOLUTIONS, NAIVE_SOFTMAX,
                              "print('✅ Exercise 4.2 (softmax): all 5 test cases passed.')"),
        "patches_numpy_while_checked": _with(SOLUTIONS, """
            def one_hot(y, C):
                import numpy
                numpy.allclose = lambda *a, **k: True
                numpy.array_equal = lambda *a, **k: True
                return numpy.zeros((len(y), C))
            """),
        "forges_a_result": _with(SOLUTIONS, """
            import os, sys, json
            fake = {"exercises": [{"number": "4.1", "name": "one_hot", "status": "passed",
                                   "mistake": None, "message": "ok"}],
                    "cell_errors": [], "tampering": [], "refused": [], "secret": "guess"}
            os.write(int(sys.argv[3]), (json.dumps(fake) + "\\n").encode())
            os._exit(0)
            """),
    }
    for name, nb in write.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    (folder / "not_json.ipynb").write_text("{this is not a notebook")
    per_learner = folder / "dana"                       # one folder per learner
    per_learner.mkdir()
    nbformat.write(_with(SOLUTIONS, NAIVE_SOFTMAX), per_learner / SOLUTIONS.name.replace("-solutions", ""))
    (folder / "erin").mkdir()                           # a learner folder without the lesson's notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grade")
    subs, outside = tmp / "submissions", tmp / "precious.txt"
    subs.mkdir()
    outside.write_text("the instructor's file")
    _submissions(subs, outside)
    out, feedback = tmp / "gradebook.csv", tmp / "feedback"
    from course.grade import grade
    lines = []
    # cell_limit: a stuck cell is stopped after CELL_LIMIT s; 3 s once stopped the import cell itself
    # while the whole suite ran on two loaded cores
    grade(subs, "04", out, feedback, jobs=2, timeout=15, memory_mb=2048, cell_limit=CELL_LIMIT,
          log=lines.append)
    with open(out, newline="", encoding="utf-8") as f:
        rows = {r["learner"]: r for r in csv.DictReader(f)}
    return rows, feedback, lines, outside


def _statuses(row):
    return [row[f"{e.number} {e.name}"] for e in check.EXERCISES]


def test_every_submission_gets_a_row_and_a_progress_line(graded):
    rows, feedback, lines, _ = graded
    assert len(rows) == 19 and len(lines) == 19
    assert all(line.startswith("[") and "/19] " in line for line in lines)
    assert sorted(p.name for p in feedback.iterdir()) == sorted(f"{k}-lesson04.md" for k in rows)


def test_correct_and_untouched(graded):
    rows = graded[0]
    assert rows["correct"]["score"] == "6" and _statuses(rows["correct"]) == ["passed"] * 6
    assert rows["correct"]["tampering"] == rows["correct"]["problems"] == ""
    assert rows["untouched"]["score"] == "0" and _statuses(rows["untouched"]) == ["not_attempted"] * 6


def test_catalogued_mistakes_are_named_as_the_checker_names_them(graded):
    rows = graded[0]
    ns = {}
    exec("import numpy as np\n" + NAIVE_SOFTMAX + ONE_HOT_TRANSPOSED, ns)
    softmax_key, one_hot_key = check.softmax(ns["softmax"]).mistake, check.one_hot(ns["one_hot"]).mistake
    assert softmax_key and one_hot_key
    row = rows["two_mistakes"]
    assert row["score"] == "3"          # 4.4 calls the learner's one_hot, and fails with it
    assert (row["4.1 one_hot"], row["4.1 mistake"]) == ("failed", one_hot_key)
    assert (row["4.2 softmax"], row["4.2 mistake"]) == ("failed", softmax_key)
    assert rows["dana"]["4.2 mistake"] == softmax_key and rows["dana"]["score"] == "4"  # 4.4 uses softmax
    text = (graded[1] / "two_mistakes-lesson04.md").read_text()
    assert "❌ **Exercise 4.2 (softmax)**" in text and f"likely mistake: `{softmax_key}`" in text


def test_faults_give_a_row_that_says_what_happened_and_grading_goes_on(graded):
    rows = graded[0]
    assert rows["endless_cell"]["score"] == "6"
    assert f"longer than {CELL_LIMIT} s" in rows["endless_cell"]["problems"]
    assert rows["endless_unstoppable"]["score"] == "0"
    assert "stopped after 15 s" in rows["endless_unstoppable"]["problems"]
    assert rows["calls_sys_exit"]["score"] == "6" and "sys.exit(1)" in rows["calls_sys_exit"]["problems"]
    assert rows["calls_os_exit"]["score"] == "0"
    assert "ended the grading process (exit status 3)" in rows["calls_os_exit"]["problems"]
    assert "ModuleNotFoundError" in rows["raises_at_import"]["problems"]
    assert rows["raises_at_import"]["score"] == "6"   # the rest of the notebook still ran
    assert rows["deletes_files"]["score"] == "6" and "refused: os.remove" in rows["deletes_files"]["problems"]
    assert graded[3].read_text() == "the instructor's file"
    assert rows["reads_solutions"]["score"] == "6" and "refused: read" in rows["reads_solutions"]["problems"]
    assert "not a readable notebook" in rows["not_json"]["problems"] and rows["not_json"]["score"] == "0"
    assert "no notebook of lesson 04" in rows["erin"]["problems"]


def test_tampering_gains_nothing_and_is_reported(graded):
    rows = graded[0]
    for name in ("rebinds_check", "patches_checker", "edits_checkresult"):
        assert rows[name]["score"] == "0", name
        assert _statuses(rows[name]) == ["not_attempted"] * 6, name
        assert rows[name]["tampering"], name
    assert "rebinds `check`" in rows["rebinds_check"]["tampering"]
    assert "_verdict" in rows["patches_checker"]["tampering"]
    assert "CheckResult" in rows["edits_checkresult"]["tampering"]
    assert rows["prints_ticks"]["score"] == "4" and "prints ✅" in rows["prints_ticks"]["tampering"]
    row = rows["patches_numpy_while_checked"]
    assert row["4.1 one_hot"] == "tampered" and "numpy.allclose" in row["tampering"], row
    assert row["4.4 cross_entropy_grad"] == "tampered", row       # it calls the learner's one_hot
    assert row["score"] == "4", row
    row = rows["forges_a_result"]
    assert row["score"] == "0" and "forged result" in row["tampering"]
    text = (graded[1] / "patches_checker-lesson04.md").read_text()
    assert "Changes to the grading that were undone" in text


def test_cli_says_what_is_wrong_in_one_sentence(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "course", "grade", *args], cwd=tmp_path,
                              capture_output=True, text=True)
    done = run(str(tmp_path / "nowhere"), "--lesson", "04")
    assert done.returncode == 2 and "no such folder" in done.stderr and "Traceback" not in done.stderr
    done = run(str(tmp_path), "--lesson", "17")
    assert done.returncode == 2 and "not a lesson with exercises" in done.stderr
    done = run(str(tmp_path), "--lesson", "04")
    assert done.returncode == 2 and "holds no notebooks" in done.stderr
    (tmp_path / "subs").mkdir()
    nbformat.write(_with(SOLUTIONS), tmp_path / "subs" / "ann.ipynb")
    done = run("subs", "--lesson", "4")
    assert done.returncode == 0, done.stderr
    assert "[1/1] ann: 6/6" in done.stderr
    assert json.dumps("ann") and (tmp_path / "gradebook.csv").exists()
    assert (tmp_path / "feedback" / "ann-lesson04.md").exists()


def test_a_notebook_that_takes_too_much_memory_is_stopped_and_the_rest_graded(tmp_path):
    from course.grade import grade_one
    nbformat.write(_with(SOLUTIONS, "hog = bytearray(3 * 2**30)"), tmp_path / "hog.ipynb")
    g = grade_one("hog", tmp_path / "hog.ipynb", "04", timeout=60, memory_mb=1024)
    assert g.score == 6 and any("MemoryError" in p for p in g.problems), g.problems
