"""Self-study progress: every check records its verdict in a small local JSON file.

The file lives outside the course folder (never among its tracked files):
``$NNLIB_PROGRESS`` if set (``off`` disables recording), else
``$XDG_STATE_HOME/nnlib-course/progress.json`` (default ``~/.local/state/...``).
Writes are atomic: a temporary file in the same folder, then ``os.replace``.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path


def progress_path() -> Path | None:
    env = os.environ.get("NNLIB_PROGRESS")
    if env:
        return None if env.lower() == "off" else Path(env).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state) / "nnlib-course" / "progress.json"


def load(path: Path | None = None) -> dict:
    path = path or progress_path()
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}  # a damaged file is treated as empty and rewritten on the next check
    return data if isinstance(data, dict) else {}


def record(lesson: str, number: str, name: str, status: str, path: Path | None = None) -> None:
    """Store the latest verdict of exercise ``number``; never raises (progress is a convenience)."""
    path = path or progress_path()
    if path is None:
        return
    try:
        data = load(path)
        entry = data.setdefault(lesson, {}).setdefault(number, {"name": name})
        entry.update(name=name, status=status, time=time.strftime("%Y-%m-%d %H:%M:%S"))
        if status == "passed":
            entry["ever_passed"] = True
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".progress-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        pass


def table(lessons: dict[str, list[tuple[str, str]]], path: Path | None = None) -> str:
    """A per-lesson progress table. ``lessons`` maps lesson -> [(number, name), ...]."""
    data = load(path)
    rows = [("lesson", "passed", "exercises")]
    for lesson, exercises in lessons.items():
        done = data.get(lesson, {})
        marks = []
        for number, _ in exercises:
            status = done.get(number, {}).get("status", "not_attempted")
            marks.append(f"{number} {'✅' if status == 'passed' else '❌' if status == 'failed' else '⏳'}")
        n_pass = sum(done.get(n, {}).get("status") == "passed" for n, _ in exercises)
        rows.append((lesson, f"{n_pass}/{len(exercises)}", "  ".join(marks)))
    w0, w1 = (max(len(r[i]) for r in rows) for i in (0, 1))
    return "\n".join(f"{r[0]:<{w0}}  {r[1]:>{w1}}  {r[2]}" for r in rows)
