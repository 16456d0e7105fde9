"""``python -m course app LESSON``: a lesson as a code-free web app, served by Voila on this machine.

Voila runs the lesson's notebook in a fresh kernel for each page that opens it and shows its text,
outputs and live figures without the code cells; the figures' sliders work as in JupyterLab. The
command runs Voila with workshop/voila.py (code-free, progressive rendering, 127.0.0.1 only) and the
stall fix (:func:`slice_voila_polls`), and gives every kernel one BLAS thread.

Voila is not among the learners' requirements: it is in requirements-workshop.txt, installed either
into the course's environment (a workshop host) or beside it, into .workshop/, by
workshop/install-beside.sh; the command looks in both (and in $NNLIB_WORKSHOP).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "workshop"           # holds voila.py, Voila's configuration for this command
DEFAULT_PORT = 8866                      # Voila's own default
THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
INSTALL = ("bash workshop/install-beside.sh (beside the course's environment, into .workshop/) or "
           ".venv/bin/pip install -r requirements-workshop.txt (into it)")


class AppError(ValueError):
    """Why the app cannot be served, in one sentence that says what to do."""


def lesson_notebook(lesson: str, lessons_dir: Path = ROOT / "lessons") -> Path:
    """``"06"`` (or ``"6"``, ``"06-regularization"``) -> lessons/06-*.ipynb; a path to an existing
    .ipynb file is taken as it is."""
    text = str(lesson).strip()
    path = Path(text).expanduser()
    if text.endswith(".ipynb") and path.is_file():
        return path.resolve()
    head = text.removesuffix(".ipynb").split("-")[0]
    found = sorted(lessons_dir.glob(f"{head.zfill(2)}-*.ipynb")) if head.isdigit() else []
    if found:
        return found[0]
    numbers = sorted(p.name[:2] for p in lessons_dir.glob("[0-9][0-9]-*.ipynb"))
    if text.endswith(".ipynb"):
        raise AppError(f"no such notebook: {text}; pass a lesson's two digits ({', '.join(numbers)}) or "
                       f"the path of an .ipynb file.")
    raise AppError(f"{lesson!r} is not a lesson of this course; pass the two digits of one of "
                   f"lessons/NN-*.ipynb ({', '.join(numbers) or 'none found'}) or the path of a notebook.")


def _beside():
    """The folder where install-beside.sh put requirements-workshop.txt (pip --target), if any."""
    folder = os.environ.get("NNLIB_WORKSHOP") or ROOT / ".workshop"
    python = Path(folder).resolve() / "python"
    return python if (python / "voila").is_dir() else None


def voila_environment(base=None) -> dict:
    """The environment for the Voila process: Voila importable (from this environment or from beside
    it), its templates found, one BLAS thread per kernel. Raises :class:`AppError` without Voila."""
    env = dict(os.environ if base is None else base)
    beside = _beside()
    if beside is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(beside), env.get("PYTHONPATH")]))
        # Voila's page templates are data files: pip --target put them under share/jupyter
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(beside / "share" / "jupyter"),
                                                            env.get("JUPYTER_PATH")]))
    found = subprocess.run([sys.executable, "-c", "import voila"], env=env, capture_output=True)
    if found.returncode != 0:
        raise AppError(f"Voila is not installed; install it with {INSTALL}.")
    for var in THREADS:
        env[var] = "1"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def voila_command(notebook: Path, port: int = DEFAULT_PORT) -> list[str]:
    """The Voila command line that serves ``notebook`` on http://127.0.0.1:PORT/ (run it in the
    notebook's folder, with :func:`voila_environment`)."""
    return [sys.executable, "-m", "voila", notebook.name, "--no-browser", f"--port={int(port)}",
            f"--Voila.config_file_paths={CONFIG_DIR}"]


def serve(lesson: str, port: int = DEFAULT_PORT):
    """Replace this process with Voila serving ``lesson`` (so that stopping this pid stops Voila,
    which then shuts its kernels down). Raises :class:`AppError` before that if it cannot."""
    if not 0 < int(port) < 65536:
        raise AppError(f"--port {port} is not a port; pass a number from 1 to 65535, like 8866.")
    notebook = lesson_notebook(lesson)
    env = voila_environment()
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as Voila's server: a port that a
        try:                                                       # just-stopped app held is free
            s.bind(("127.0.0.1", int(port)))
        except OSError:
            raise AppError(f"port {port} on 127.0.0.1 is in use (another app or server); pass another "
                           f"with --port, like --port {int(port) + 1}.") from None
    print(f"serving {notebook.relative_to(ROOT) if notebook.is_relative_to(ROOT) else notebook} as an app "
          f"on http://127.0.0.1:{port}/ (Ctrl-C stops it)", flush=True)
    os.chdir(notebook.parent)
    os.execve(sys.executable, voila_command(notebook, port), env)


def slice_voila_polls():
    """The stall fix for Voila (called by workshop/voila.py inside the Voila process): every kernel
    client that Voila's executor starts waits for shell replies in short slices, as
    ``python -m course execute`` does (course/execute.py, :func:`~course.execute.slice_shell_polls`).
    Without it, a page can wait for a widget cell's whole timeout, or forever (nbclient#312)."""
    from voila.execute import VoilaExecutor

    from .execute import slice_shell_polls
    if getattr(VoilaExecutor, "_nnlib_sliced", False):
        return
    start = VoilaExecutor.async_start_new_kernel_client

    async def async_start_new_kernel_client(self):
        return slice_shell_polls(await start(self))

    VoilaExecutor.async_start_new_kernel_client = async_start_new_kernel_client
    VoilaExecutor._nnlib_sliced = True
