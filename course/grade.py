"""Grade a folder of submitted exercise notebooks with the course's own checks.

``python -m course grade SUBMISSIONS --lesson 04`` finds one notebook per learner (``SUBMISSIONS/NAME.ipynb``,
or ``SUBMISSIONS/NAME/04-...ipynb``), runs each in a fresh process (course/_grade_worker.py) in an empty
working directory with a wall-time and a memory limit, and writes:

- a gradebook CSV: learner, lesson, score, total, the status and mistake key of every exercise, and what
  went wrong with the notebook itself (cell errors, time-outs, tampering);
- a feedback file per learner (markdown): each exercise's verdict line with its diagnosis.

Stored outputs are never trusted: the checks run again, loaded from the course's files. A notebook that
loops forever, exits, crashes its process or is not a notebook gets a row saying so, and grading goes on.
"""
from __future__ import annotations

import csv
import importlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = {"passed": "✅", "failed": "❌", "not_attempted": "⏳", "missing": "⏳", "tampered": "⛔"}


@dataclass
class Graded:
    """The outcome of one submission."""
    learner: str
    notebook: Path | None
    exercises: list = field(default_factory=list)     # dicts: number, name, status, mistake, message
    problems: list = field(default_factory=list)      # sentences about the notebook itself
    tampering: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self):
        return sum(e["status"] == "passed" for e in self.exercises)


def find_submissions(folder: Path, lesson: str) -> list[tuple[str, Path | None]]:
    """(learner, notebook) pairs: a notebook directly in ``folder`` is one learner (named by the file,
    without the lesson's prefix and suffix); a sub-folder is one learner (named by the folder) and
    must hold one notebook of the lesson (``LESSON-*.ipynb``). ``None`` when a folder has none."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_file() and path.suffix == ".ipynb":
            found.append((path.stem, path))
        elif path.is_dir():
            candidates = sorted(p for p in path.rglob(f"{lesson}-*.ipynb")
                                if ".ipynb_checkpoints" not in p.parts)
            found.append((path.name, candidates[-1] if candidates else None))
    return found


def grade_one(learner: str, notebook: Path | None, lesson: str, timeout: float = 300.0,
              memory_mb: int = 2048, forbidden=(), cell_limit: float = 60.0) -> Graded:
    """Run one notebook in its own process and collect the verdicts."""
    graded = Graded(learner, notebook)
    module = importlib.import_module(f"course.checks.lesson{lesson}")
    blank = [{"number": e.number, "name": e.name, "status": "not_attempted", "mistake": None,
              "message": "not graded"} for e in module.EXERCISES]
    if notebook is None:
        graded.exercises = blank
        graded.problems.append(f"no notebook of lesson {lesson} ({lesson}-*.ipynb) in the folder")
        return graded
    secret = secrets.token_hex(16)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nnlib-grade-") as tmp:
        work, home = Path(tmp) / "work", Path(tmp) / "home"     # the notebook's folder; caches beside it
        work.mkdir()
        home.mkdir()
        copy = work / notebook.name
        copy.write_bytes(notebook.read_bytes())
        read_end, write_end = os.pipe()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_"))}
        env.update(NNLIB_PROGRESS="off", MPLBACKEND="Agg", HOME=str(home), TMPDIR=str(home),
                   OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   PYTHONDONTWRITEBYTECODE="1", IPYTHONDIR=str(home / ".ipython"),
                   MPLCONFIGDIR=str(home / ".matplotlib"))
        cell_limit = min(cell_limit, timeout / 2)   # a stuck cell is stopped before the whole notebook
        cmd = [sys.executable, "-I", "-m", "course._grade_worker", lesson, str(copy), str(write_end),
               str(cell_limit), str(memory_mb), *[str(p) for p in forbidden]]
        proc = subprocess.Popen(cmd, cwd=work, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, pass_fds=(write_end,), start_new_session=True,
                                text=True)
        os.close(write_end)
        chunks = []
        reader = os.fdopen(read_end, "r", encoding="utf-8", errors="replace")
        t = threading.Thread(target=lambda: chunks.append(reader.read()), daemon=True)
        t.start()
        try:
            _, stderr = proc.communicate(secret + "\n", timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            _, stderr = proc.communicate()
            timed_out = True
        t.join(timeout=5)
        reader.close()
    graded.seconds = time.perf_counter() - t0
    lines = [ln for ln in "".join(chunks).splitlines() if ln.strip()]
    reports = []
    for ln in lines:
        try:
            reports.append(json.loads(ln))
        except ValueError:
            graded.tampering.append("wrote something else on the grader's result channel")
    genuine = [r for r in reports if isinstance(r, dict) and r.get("secret") == secret]
    if len(reports) != len(genuine):
        graded.tampering.append("sent a forged result (ignored)")
    if timed_out:
        graded.problems.append(f"stopped after {timeout:.0f} s: the notebook ran longer than the limit "
                               "(an endless loop?); nothing could be graded")
    elif not genuine:
        why = _death(proc.returncode, stderr, memory_mb)
        graded.problems.append(f"the notebook ended the grading process ({why}); nothing could be graded")
    elif "fatal" in genuine[-1]:
        graded.problems.append(genuine[-1]["fatal"])
    if not genuine or "fatal" in genuine[-1] or timed_out:
        graded.exercises = blank
        return graded
    report = genuine[-1]
    graded.exercises = report["exercises"]
    graded.tampering = list(dict.fromkeys(graded.tampering + report["tampering"]))
    graded.problems += [f"cell {i + 1} ({first}) raised {line}" for i, first, line in report["cell_errors"]]
    graded.problems += [f"refused: {what}" for what in report["refused"]]
    return graded


def _death(code, stderr, memory_mb):
    tail = (stderr or "").strip().splitlines()[-1:] or [""]
    if "MemoryError" in (stderr or ""):
        return f"it ran out of the {memory_mb} MB memory limit"
    if code is not None and code < 0:
        return f"killed by signal {-code}"
    return f"exit status {code}{': ' + tail[0][:150] if tail[0] else ''}"


def _feedback(g: Graded, lesson: str) -> str:
    total = len(g.exercises)
    lines = [f"# Lesson {lesson}: feedback for {g.learner}", "",
             f"Score: {g.score} of {total} exercises passed"
             f" (notebook: `{g.notebook.name if g.notebook else 'none'}`).", ""]
    for e in g.exercises:
        icon = ICONS.get(e["status"], "•")
        lines.append(f"- {icon} **Exercise {e['number']} ({e['name']})**: {e['message']}")
        if e.get("mistake"):
            lines.append(f"  - likely mistake: `{e['mistake']}`")
    if g.problems:
        lines += ["", "## About the notebook", ""] + [f"- {p}" for p in g.problems]
    if g.tampering:
        lines += ["", "## Changes to the grading that were undone", ""] + [f"- {t}" for t in g.tampering]
        lines.append("")
        lines.append("The grader ran its own checks on your functions; none of these changes counted.")
    return "\n".join(lines) + "\n"


def grade(folder: Path, lesson: str, out: Path, feedback: Path | None = None, jobs: int | None = None,
          timeout: float = 300.0, memory_mb: int = 2048, cell_limit: float = 60.0,
          log=print) -> list[Graded]:
    """Grade every submission in ``folder``; write the gradebook to ``out`` and the feedback files."""
    submissions = find_submissions(folder, lesson)
    forbidden = [ROOT / "solutions", folder.resolve()]      # the answers, and the other learners' work
    jobs = jobs or os.cpu_count() or 1
    results: list[Graded] = [None] * len(submissions)
    done = 0

    def work(i):
        learner, nb = submissions[i]
        return i, grade_one(learner, nb, lesson, timeout, memory_mb, forbidden, cell_limit)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for i, g in pool.map(work, range(len(submissions))):
            results[i] = g
            done += 1
            flag = f"; {len(g.problems) + len(g.tampering)} note(s)" if g.problems or g.tampering else ""
            log(f"[{done}/{len(submissions)}] {g.learner}: {g.score}/{len(g.exercises)} "
                f"in {g.seconds:.1f} s{flag}")
    _write_gradebook(results, lesson, out)
    if feedback is not None:
        feedback.mkdir(parents=True, exist_ok=True)
        for g in results:
            (feedback / f"{g.learner}-lesson{lesson}.md").write_text(_feedback(g, lesson), encoding="utf-8")
    return results


def _write_gradebook(results, lesson, out):
    numbers = [(e["number"], e["name"]) for e in results[0].exercises] if results else []
    header = ["learner", "lesson", "score", "total"]
    for number, name in numbers:
        header += [f"{number} {name}", f"{number} mistake"]
    header += ["tampering", "problems"]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for g in results:
            row = [g.learner, lesson, g.score, len(g.exercises)]
            for e in g.exercises:
                row += [e["status"], e.get("mistake") or ""]
            row += ["; ".join(g.tampering), "; ".join(g.problems)]
            w.writerow(row)
