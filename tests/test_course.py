"""The course machinery: exercise generation, learner-work protection, notebook conventions."""
import os
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import build as B

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*-solutions.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*-exercises.ipynb"))
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
ALL = LESSONS + SOLUTIONS + EXERCISES


def _sources(nb):
    return [(c.cell_type, c.source, c.get("metadata", {}).get("tags", [])) for c in nb.cells]


def _texts(nb):
    """The stored text/plain results of every code cell, in order."""
    out = []
    for c in nb.cells:
        if c.cell_type == "code":
            for o in c.outputs:
                if o.get("output_type") == "execute_result":
                    out.append(o["data"].get("text/plain", ""))
    return out


def test_every_solution_has_an_exercise_notebook():
    assert SOLUTIONS, "no solution notebooks found"
    assert [B.exercise_name(s) for s in SOLUTIONS] == [e.name for e in EXERCISES]


def test_exercises_are_up_to_date(tmp_path):
    B.build(ROOT / "solutions", tmp_path, execute=False, log=lambda *_: None)
    for committed in EXERCISES:
        fresh = nbformat.read(tmp_path / committed.name, as_version=4)
        assert _sources(nbformat.read(committed, as_version=4)) == _sources(fresh), (
            f"{committed.name} is out of date: run `python -m course build` (an exercise notebook in "
            f"the repository is generated, so `--force` may replace it; a .bak copy is kept)")


def test_no_solution_leaks_into_exercises():
    for ex in EXERCISES:
        text = ex.read_text()
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text


def _is_verdict(text):
    return "Exercise" in text or "Challenge" in text       # lesson 09's checks are challenges


def test_solutions_pass_and_exercises_are_not_attempted():
    for sol in SOLUTIONS:
        verdicts = [t for t in _texts(nbformat.read(sol, as_version=4)) if _is_verdict(t)]
        assert verdicts and all(v.startswith("✅") for v in verdicts), sol.name
    for ex in EXERCISES:
        verdicts = [t for t in _texts(nbformat.read(ex, as_version=4)) if _is_verdict(t)]
        assert verdicts and all(v.startswith("⏳") for v in verdicts), ex.name


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_notebook_conventions(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].source.startswith("%matplotlib inline"), \
        "first code cell must start with %matplotlib inline"
    assert all(c.execution_count is not None for c in code), "commit notebooks executed"
    for c in code:
        assert not any(o.get("output_type") == "error" for o in c.outputs), c.source[:60]
        shows_widget = any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.outputs)
        if shows_widget:
            assert "nbval-ignore-output" in c.metadata.get("tags", []), c.source[:60]
    assert "widgets" not in nb.metadata, "saved widget state would render before the kernel runs"


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lessons_have_two_widgets_and_link_their_exercises(path):
    nb = nbformat.read(path, as_version=4)
    builder_call = re.compile(r"(?<![.\w])widgets\.(?!lesson)\w+\(")    # widgets.name(...)
    widgets = [c for c in nb.cells if c.cell_type == "code" and builder_call.search(c.source)]
    assert len(widgets) >= 2
    stem = path.stem
    assert f"../exercises/{stem}-exercises.ipynb" in "".join(c.source for c in nb.cells)


def _solution_nb(tmp_path, code):
    answer = "# t\n<!-- BEGIN SOLUTION -->x<!-- END SOLUTION -->"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(answer),
                                         nbformat.v4.new_code_cell(code)])
    d = tmp_path / "sol"
    d.mkdir(exist_ok=True)
    nbformat.write(nb, d / "99-test-solutions.ipynb")
    return d


def test_stub_generation(tmp_path):
    d = _solution_nb(tmp_path, "def f(x):\n    ### BEGIN SOLUTION (Exercise 9.1) hint: double it\n"
                               "    return 2 * x\n    ### END SOLUTION\n\nprint(f)")
    nb = B.generate(d / "99-test-solutions.ipynb")
    assert nb.cells[1].source == ('def f(x):\n    raise NotImplementedError("Exercise 9.1: double it")\n'
                                  '\nprint(f)')
    assert nb.cells[0].source == "# t\n" + B.ANSWER_PLACEHOLDER


@pytest.mark.parametrize("code, msg", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "END SOLUTION without a BEGIN"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
])
def test_malformed_markers_are_reported(tmp_path, code, msg):
    d = _solution_nb(tmp_path, code)
    with pytest.raises(B.BuildError, match=msg):
        B.generate(d / "99-test-solutions.ipynb")


def test_learner_work_is_never_overwritten(tmp_path):
    d = _solution_nb(tmp_path, "def f(x):\n    ### BEGIN SOLUTION (Exercise 9.1) hint: h\n    return x\n"
                               "    ### END SOLUTION")
    out = tmp_path / "ex"
    logs = []
    assert [o.action for o in B.build(d, out, execute=False, log=logs.append)] == ["written"]
    target = out / "99-test-exercises.ipynb"
    # rebuilding an untouched notebook is allowed (it is not executed, so it has no outputs yet)
    assert B.build(d, out, execute=False, log=logs.append)[0].action == "written"
    # a learner edits it: the next build refuses and says how to proceed
    nb = nbformat.read(target, as_version=4)
    nb.cells[1].source = "def f(x):\n    return x  # my answer"
    nbformat.write(nb, target)
    before = target.read_text()
    outcome = B.build(d, out, execute=False, log=logs.append)[0]
    assert outcome.action == "refused" and target.read_text() == before
    assert "--out" in logs[-1] and "--force" in logs[-1] and str(target) in logs[-1]
    # the command line exits non-zero and keeps the file
    r = subprocess.run([sys.executable, "-m", "course", "build", "--solutions", str(d), "--out", str(out),
                        "--no-execute"], capture_output=True, text=True)
    assert r.returncode == 1 and "refused" in r.stdout and target.read_text() == before
    # writing elsewhere works; --force replaces
    assert B.build(d, tmp_path / "other", execute=False, log=logs.append)[0].action == "written"
    assert B.build(d, out, force=True, execute=False, log=logs.append)[0].action == "written"
    assert "my answer" not in target.read_text()
    assert "my answer" in (out / "99-test-exercises.ipynb.bak").read_text()    # nothing is lost
    # --force replaces only what differs
    assert B.build(d, out, force=True, execute=False, log=logs.append)[0].action == "written"


def test_a_hand_made_notebook_is_not_replaced(tmp_path):
    d = _solution_nb(tmp_path, "x = 1")
    out = tmp_path / "ex"
    out.mkdir()
    (out / "99-test-exercises.ipynb").write_text(json.dumps(nbformat.v4.new_notebook()))
    assert B.build(d, out, execute=False, log=lambda *_: None)[0].reason.startswith("it was not generated")


def _nbval(path):
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
                           "--rootdir", str(path.parent),
                           "-c", str(ROOT / "pyproject.toml"),
                           str(path)], capture_output=True, text=True, cwd=ROOT)


def test_nbval_fails_when_a_stored_verdict_no_longer_matches(tmp_path):
    src = EXERCISES[0]
    good = tmp_path / src.name
    shutil.copy(src, good)
    assert _nbval(good).returncode == 0
    nb = nbformat.read(good, as_version=4)
    for c in nb.cells:
        for o in c.get("outputs", []):
            text = o.get("data", {}).get("text/plain", "")
            if text.startswith("⏳"):
                o["data"]["text/plain"] = "✅" + text[1:]
                break
        else:
            continue
        break
    bad = tmp_path / ("stale-" + src.name)
    nbformat.write(nb, bad)
    result = _nbval(bad)
    assert result.returncode != 0, "nbval accepted a stale verdict"
    assert "⏳" in result.stdout


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, cwd=ROOT)


def test_the_command_line_says_what_is_wrong_in_one_sentence(tmp_path):
    r = _cli()
    assert r.returncode == 2 and "choose a command" in r.stderr and "build" in r.stdout
    assert "``" not in _cli("--help").stdout and "generate exercises/" in _cli("--help").stdout
    r = _cli("execute", str(tmp_path / "missing.ipynb"))
    assert r.returncode == 2 and r.stderr.strip() == f"error: no such notebook: {tmp_path / 'missing.ipynb'}"
    r = _cli("build", "--solutions", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "no solution notebooks" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), bad)
    r = _cli("execute", str(bad))
    assert r.returncode == 1 and "ZeroDivisionError" in r.stderr and "Traceback" not in r.stderr
    assert "\x1b[" not in r.stderr and "TCP" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "course", "progress"], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "NNLIB_PROGRESS": str(tmp_path / "none.json")})
    assert r.returncode == 0 and "no verdicts recorded yet" in r.stdout
