"""One submission, graded in a process of its own (started by course/grade.py; not for learners).

Protocol: the grader starts
``python -I -m course._grade_worker LESSON NOTEBOOK RESULT_FD CELL_LIMIT MEMORY_MB FORBIDDEN...`` in a fresh
empty working directory and writes a secret line on stdin. The worker reads and closes stdin, loads
the lesson's checks, records what the checks depend on, runs the notebook's code cells (not its
check cells, not its stored outputs), puts back anything the learner's code replaced, calls every
exercise's check on the learner's function, and writes one JSON line ``{"secret": ..., ...}`` to
RESULT_FD. A result without the secret, or two results, is treated as forged by the grader.

What it defends against: stored outputs and printed verdicts (ignored: the checks run here),
a rebound ``check``, replaced functions or classes of the checker, nnlib, NumPy or builtins
(detected, restored before checking, named in the feedback; replaced during a check: that
exercise scores nothing), reading the solutions or writing and deleting outside the working
directory (refused by an audit hook). It is not a sandbox against code that attacks this process
itself: for untrusted submissions from strangers, run the grader inside a container.
"""
from __future__ import annotations

import ast
import importlib
import io
import json
import os
import resource
import signal
import sys
import time
import types
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

CELL_LIMIT = 60.0        # seconds of one learner cell before it is interrupted (set by the grader)


class CellTimeout(BaseException):
    """A learner cell ran past CELL_LIMIT (BaseException: a bare except in the cell cannot hide it)."""


# --- what the learner may touch ---------------------------------------------------------------

def _install_guard(workdir: Path, forbidden: list[Path]):
    """An audit hook (it cannot be removed) that refuses reading the forbidden folders and writing,
    renaming or deleting anything outside the working directory and the system's temporary files."""
    workdir = str(workdir.resolve())
    forbidden = [str(p.resolve()) for p in forbidden]
    writable = (workdir, "/dev/null", str(Path(os.environ.get("TMPDIR", "/tmp")).resolve()))
    refused = []

    def inside(path, roots):
        try:
            p = os.path.realpath(os.fspath(path))
        except (TypeError, ValueError):
            return False
        return any(p == r or p.startswith(r.rstrip("/") + "/") for r in roots)

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path, mode = args[0], args[1] if len(args) > 1 else "r"
            if inside(path, forbidden):
                refused.append(f"read {os.fspath(path)!s}")
                raise PermissionError(f"grading: {path} may not be opened by a submission")
            writing = isinstance(mode, str) and any(m in mode for m in "wax+")
            if isinstance(mode, int):
                writing = bool(mode & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))
            if writing and not inside(path, writable):
                refused.append(f"write {os.fspath(path)!s}")
                raise PermissionError(f"grading: a submission may write only in its working directory, "
                                      f"not {path}")
        elif event in ("os.remove", "os.rmdir", "os.rename", "shutil.rmtree", "os.truncate"):
            paths = [a for a in args if isinstance(a, (str, bytes, os.PathLike))]
            if any(not inside(p, writable) for p in paths):
                refused.append(f"{event} {os.fspath(paths[0])!s}")
                raise PermissionError(f"grading: {event} outside the working directory is refused")
        elif event in ("os.listdir", "os.scandir") and args and args[0] is not None:
            if inside(args[0], forbidden):
                refused.append(f"list {os.fspath(args[0])!s}")
                raise PermissionError(f"grading: {args[0]} may not be listed by a submission")

    sys.addaudithook(hook)
    return refused


def _watched(check_module):
    """The modules and classes whose contents the checks rely on."""
    import builtins

    import numpy as np

    import course.checks._framework as framework
    import course.progress
    import nnlib
    mods = [builtins, np, np.linalg, np.random, framework, course.progress, check_module]
    mods += [m for name, m in sorted(sys.modules.items())
             if isinstance(m, types.ModuleType) and (name == "nnlib" or name.startswith("nnlib."))]
    classes = []
    for m in mods:
        if m in (builtins, np, np.linalg, np.random):
            continue
        for v in vars(m).values():
            if isinstance(v, type) and v.__module__ == m.__name__ and v not in classes:
                classes.append(v)
    del nnlib
    return mods, classes


def _snapshot(mods, classes):
    return ([(m, dict(vars(m))) for m in mods], [(c, dict(vars(c))) for c in classes])


def _restore(snapshot):
    """Put back every replaced or deleted entry; name each one. Classes also lose what was added."""
    changed = []
    mods, classes = snapshot
    for m, saved in mods:
        now = vars(m)
        for k, v in saved.items():
            if k not in now or now[k] is not v:
                changed.append(f"{m.__name__}.{k}")
                setattr(m, k, v)
    for c, saved in classes:
        now = dict(vars(c))
        for k in now.keys() - saved.keys():
            changed.append(f"{c.__module__}.{c.__qualname__}.{k} (added)")
            delattr(c, k)
        for k, v in saved.items():
            if k not in now or now[k] is not v:
                if k in ("__dict__", "__weakref__", "__doc__"):
                    continue
                changed.append(f"{c.__module__}.{c.__qualname__}.{k}")
                setattr(c, k, v)
    return changed


# --- running the notebook ----------------------------------------------------------------------

def _is_check_cell(source: str) -> bool:
    """A cell made only of ``check.something(...)`` calls (the grader runs the checks itself)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
        and isinstance(s.value.func, ast.Attribute) and isinstance(s.value.func.value, ast.Name)
        and s.value.func.value.id == "check" for s in body)


def _alarm(signum, frame):
    raise CellTimeout()


def _run_cells(shell, cells, log):
    """Run the learner's code cells; return the errors as (cell index, its first line, the error)."""
    errors = []
    signal.signal(signal.SIGALRM, _alarm)
    for index, source in cells:
        out = io.StringIO()
        signal.setitimer(signal.ITIMER_REAL, CELL_LIMIT)
        try:
            with redirect_stdout(out), redirect_stderr(out):
                result = shell.run_cell(source, store_history=False, silent=False)
            error = result.error_in_exec or result.error_before_exec
        except CellTimeout:
            error = TimeoutError(f"the cell ran longer than {CELL_LIMIT:.0f} s and was stopped")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        log.append(out.getvalue())
        if isinstance(error, CellTimeout):          # raised inside the cell: IPython reports it
            error = TimeoutError(f"the cell ran longer than {CELL_LIMIT:.0f} s and was stopped")
        if error is not None:
            if isinstance(error, SystemExit):
                error = RuntimeError(f"the cell called sys.exit({error.code!r}); grading went on")
            first = next((ln for ln in source.splitlines() if ln.strip()), "")[:60]
            errors.append((index, f"`{first}`", f"{type(error).__name__}: {str(error)[:200]}"))
    return errors


def grade(lesson: str, notebook: Path, forbidden: list[Path]) -> dict:
    """The verdicts of one notebook, as a JSON-ready dict (without the secret)."""
    import numpy as np  # noqa: F401  (imported before the learner's code runs)
    check_module = importlib.import_module(f"course.checks.lesson{lesson}")
    exercises = list(check_module.EXERCISES)
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        cells = [(i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                 for i, c in enumerate(nb["cells"]) if c.get("cell_type") == "code"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        return {"fatal": f"not a readable notebook ({type(e).__name__}: {str(e)[:120]})"}

    from IPython.core.interactiveshell import InteractiveShell
    os.environ["MPLBACKEND"] = "Agg"
    shell = InteractiveShell.instance()
    shell.enable_gui = lambda gui=None: None               # `%matplotlib inline` needs no event loop here
    shell.run_cell("pass", store_history=False)          # IPython's own start-up changes happen here
    watched = _watched(check_module)
    before = _snapshot(*watched)
    refused = _install_guard(Path.cwd(), forbidden)

    log: list[str] = []
    t0 = time.perf_counter()
    errors = _run_cells(shell, [(i, s) for i, s in cells if not _is_check_cell(s)], log)
    run_s = time.perf_counter() - t0
    tampering = [f"replaced {name}" for name in _restore(before)]
    ns = shell.user_ns
    if "check" in ns and ns["check"] is not check_module:
        tampering.append("rebinds `check` (the grader uses the course's own checks)")
    if any("✅" in text for text in log):
        tampering.append("prints ✅ itself (ignored: only the grader's own checks count)")

    verdicts = []
    for ex in exercises:
        learner = ns.get(ex.name)
        entry = {"number": ex.number, "name": ex.name}
        if learner is None:
            entry.update(status="missing", mistake=None,
                         message=f"the notebook defines no `{ex.name}`")
        else:
            out = io.StringIO()
            try:
                with redirect_stdout(out), redirect_stderr(out):
                    result = ex(learner)
                entry.update(status=result.status, mistake=result.mistake, message=result.message)
            except BaseException as e:  # noqa: BLE001 - nothing a learner does may stop the grading
                entry.update(status="failed", mistake=None,
                             message=f"the check could not run ({type(e).__name__}: {str(e)[:150]})")
            during = _restore(before)
            if during:
                tampering += [f"replaced {name} while checked" for name in during]
                entry.update(status="tampered", mistake=None,
                             message="your function changed the checker or the libraries it relies on "
                                     f"({', '.join(during[:3])}); this exercise scores nothing")
        verdicts.append(entry)
    return {"exercises": verdicts, "cell_errors": errors, "tampering": tampering,
            "refused": list(dict.fromkeys(refused)), "run_seconds": round(run_s, 2)}


def main(argv):
    global CELL_LIMIT
    lesson, notebook, fd, CELL_LIMIT = argv[0], Path(argv[1]), int(argv[2]), float(argv[3])
    memory = int(argv[4]) * 2**20
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    forbidden = [Path(p) for p in argv[5:]]
    secret = sys.stdin.readline().strip()
    sys.stdin.close()
    channel = os.fdopen(fd, "w", encoding="utf-8")
    try:
        report = grade(lesson, notebook, forbidden)
    except BaseException as e:  # noqa: BLE001
        report = {"fatal": f"the grader could not run this notebook ({type(e).__name__}: {str(e)[:150]})"}
    report["secret"] = secret
    channel.write(json.dumps(report) + "\n")
    channel.flush()
    os._exit(0)   # no atexit handlers a submission may have registered


if __name__ == "__main__":
    main(sys.argv[1:])
