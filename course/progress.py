"""Self-study progress: every check records its verdict in a small local JSON file.

The file lives outside the course folder (never among its tracked files):
``$NNLIB_PROGRESS`` if set (``off`` disables recording), else
``$XDG_STATE_HOME/nnlib-course/progress.json`` (default ``~/.local/state/...``).

Shape: ``{lesson: {exercise number: {"name", "status", "time", "ever_passed"?}}}``. Reading keeps
every well-formed entry and skips the rest; a file that is not JSON at all is moved aside to
``progress.json.damaged-<time>`` (never deleted) and the caller is told. Each read-modify-write
holds a lock (two kernels checking at once lose nothing), and a write goes to a temporary file
that replaces the old one atomically, or is removed if the write fails.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path

STATUSES = ("passed", "failed", "not_attempted")


def progress_path() -> Path | None:
    env = os.environ.get("NNLIB_PROGRESS")
    if env:
        return None if env.lower() == "off" else Path(env).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state) / "nnlib-course" / "progress.json"


def _well_formed(data) -> dict:
    """The entries of ``data`` that have the expected shape (anything else is skipped)."""
    if not isinstance(data, dict):
        return {}
    clean = {}
    for lesson, exercises in data.items():
        if not isinstance(exercises, dict):
            continue
        kept = {number: entry for number, entry in exercises.items()
                if isinstance(entry, dict) and entry.get("status") in STATUSES}
        if kept:
            clean[str(lesson)] = kept
    return clean


def _read(path: Path) -> tuple[dict, str | None]:
    """``(data, note)``: the well-formed entries, and a sentence for the learner if the file was damaged."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}, None
    except OSError as e:
        return {}, f"your progress file {path} could not be read ({e.strerror}); this verdict was not saved"
    try:
        return _well_formed(json.loads(text)), None
    except ValueError:
        backup = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, backup)
        except OSError:
            return {}, f"your progress file {path} is damaged and could not be moved aside"
        return {}, (f"your progress file was damaged (not valid JSON); it was kept as {backup} "
                    f"and a new one was started")


def load(path: Path | None = None) -> dict:
    """The recorded verdicts (well-formed entries only; never raises, never changes the file)."""
    path = path or progress_path()
    if path is None:
        return {}
    try:
        return _well_formed(json.loads(path.read_text()))
    except (OSError, ValueError):
        return {}


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on ``path.lock`` (POSIX flock; elsewhere no lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def record(lesson: str, number: str, name: str, status: str, path: Path | None = None) -> str | None:
    """Store the latest verdict of exercise ``number``; never raises (progress is a convenience).

    Returns None, or one sentence to show the learner when the file was damaged or not writable.
    """
    path = path or progress_path()
    if path is None:
        return None
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path):
            data, note = _read(path)
            entry = data.setdefault(lesson, {}).setdefault(number, {"name": name})
            entry.update(name=name, status=status, time=time.strftime("%Y-%m-%d %H:%M:%S"))
            if status == "passed":
                entry["ever_passed"] = True
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".progress-", suffix=".json")
            with os.fdopen(fd, "w") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            os.replace(tmp, path)
            tmp = None
        return note
    except OSError as e:
        return f"your verdict could not be saved in {path} ({e.strerror or e})"
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


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
