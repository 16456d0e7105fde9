"""The nbgrader path: `python -m course nbgrader-export` writes lesson 04 as a source assignment, and
nbgrader 0.9 generates the release, autogrades two fake learners, exports their scores and writes
feedback that carries the checker's diagnosis.

nbgrader is not among the learners' requirements: .ci/run installs it beside the environment
(requirements-nbgrader.txt, `pip install --no-deps --target .nbgrader`) and points NNLIB_NBGRADER at
it; elsewhere the test is skipped with that instruction, unless NNLIB_REQUIRE_NBGRADER=1."""
import copy
import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NAME = "04-softmax-cross-entropy.ipynb"
NAIVE_SOFTMAX = "def softmax(Z):\n    E = np.exp(Z)\n    return E / E.sum(axis=1, keepdims=True)"


def _nbgrader_env():
    env = dict(os.environ)
    target = os.environ.get("NNLIB_NBGRADER")
    if target:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [target, env.get("PYTHONPATH")]))
        env["PATH"] = os.pathsep.join([str(Path(target) / "bin"), env["PATH"]])
    found = subprocess.run([sys.executable, "-c", "import nbgrader"], env=env, capture_output=True)
    if found.returncode != 0:
        msg = ("nbgrader is not installed: .venv/bin/pip install --no-deps --target .nbgrader "
               "-r requirements-nbgrader.txt, then NNLIB_NBGRADER=.nbgrader")
        if os.environ.get("NNLIB_REQUIRE_NBGRADER") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return env


def _nbgrader(course, env, *args):
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"nbgrader {args[0]} failed:\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
    return done


def _submit(course, student, fill):
    """A learner's copy of the release: answer cells filled from the source where fill(grade_id) says."""
    release = nbformat.read(course / "release" / "lesson04" / NAME, as_version=4)
    source = nbformat.read(course / "source" / "lesson04" / NAME, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    nb = copy.deepcopy(release)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid in answers:
            c.source = fill(gid, answers[gid])
    out = course / "submitted" / student / "lesson04" / NAME
    out.parent.mkdir(parents=True)
    nbformat.write(nb, out)


def test_export_generate_autograde_export_and_feedback(tmp_path):
    env = _nbgrader_env()
    course = tmp_path / "course"
    done = subprocess.run([sys.executable, "-m", "course", "nbgrader-export", "--lesson", "04",
                           "--course-dir", str(course)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    source = nbformat.read(course / "source" / "lesson04" / NAME, as_version=4)
    meta = [c.metadata.get("nbgrader", {}) for c in source.cells]
    assert sum(m.get("grade", False) and m.get("locked", False) for m in meta) == 6      # the checks
    assert sum(m.get("grade", False) and m.get("solution", False) for m in meta) == 2    # written answers
    assert not any("solution-only" in c.metadata.get("tags", []) for c in source.cells)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'nnlib-test'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{tmp_path / 'gradebook.db'}'\n")
    _nbgrader(course, env, "generate_assignment", "lesson04", "--force")
    release = (course / "release" / "lesson04" / NAME).read_text()
    assert "BEGIN SOLUTION" not in release and "# Exercise 4.2 hint:" in release
    _submit(course, "alice", lambda gid, answer: answer)
    _submit(course, "bob", lambda gid, answer: NAIVE_SOFTMAX if gid.startswith("answer_4_2")
            else answer if gid.startswith(("answer_4_1", "answer_4_3")) else "")
    _nbgrader(course, env, "autograde", "lesson04")
    _nbgrader(course, env, "export", "--to", str(tmp_path / "grades.csv"))
    with open(tmp_path / "grades.csv", newline="") as f:
        scores = {r["student_id"]: (float(r["score"]), float(r["max_score"])) for r in csv.DictReader(f)}
    # alice: all six checks (the two written answers wait for a person); bob: 4.1 and 4.3 only
    assert scores == {"alice": (6.0, 8.0), "bob": (2.0, 8.0)}
    _nbgrader(course, env, "generate_feedback", "lesson04")
    feedback = (course / "feedback" / "bob" / "lesson04" / NAME.replace(".ipynb", ".html")).read_text()
    assert "Exercise 4.2 (softmax)" in feedback and "Likely mistake" in feedback
