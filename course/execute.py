"""Execute notebooks in place, storing outputs and widget state.

Plain ``jupyter nbconvert --execute`` / nbclient can stall on cells that create
ipywidgets (jupyter/nbclient#312): while nbclient waits for a cell's reply on the
shell channel, widget comm traffic can swallow the wake-up, and the cell then waits
for its whole timeout. Polling the shell channel in short slices bounds that loss.
"""
from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from queue import Empty

SLICE = 0.2  # seconds


class NotebookFailed(Exception):
    """A cell raised, or ran past its time limit; the message names the notebook and the cell."""


def slice_shell_polls(kc):
    """Make the kernel client ``kc`` wait for shell replies in ``SLICE``-second polls, so that a lost
    wake-up costs at most one slice instead of the whole wait (the stall fix). Returns ``kc``.

    Used by ``python -m course execute`` (below) and by ``python -m course app`` (course/app.py, for
    Voila's executor, which has the same stall)."""
    channel = kc.shell_channel
    if getattr(channel, "_nnlib_sliced", False):
        return kc
    get_msg = channel.get_msg

    async def sliced_get_msg(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE if deadline is None else max(0.0, min(SLICE, deadline - time.monotonic()))
            try:
                return await get_msg(timeout=left)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    channel.get_msg = sliced_get_msg
    channel._nnlib_sliced = True
    return kc


def _client_class():
    from nbclient import NotebookClient

    class SlicedPollClient(NotebookClient):
        async def async_start_new_kernel_client(self):
            return slice_shell_polls(await super().async_start_new_kernel_client())

    return SlicedPollClient


def execute_notebook(path, timeout=120, kernel_name="python3"):
    """Run every cell of the notebook at ``path`` (cwd = its folder) and save it with outputs
    (without widget state). Returns the seconds taken."""
    import nbformat
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    os.environ.setdefault("NNLIB_PROGRESS", "off")  # building the course is not learner progress
    os.environ.setdefault("MPLBACKEND", "Agg")
    # store_widget_state=False: saved widget state would draw dead copies of the widgets
    # when a learner opens the notebook, before any kernel runs (and bloat the file).
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
    client = _client_class()(nb, timeout=timeout, kernel_name=kernel_name, store_widget_state=False,
                             resources={"metadata": {"path": str(path.parent.resolve())}})
    t0 = time.perf_counter()
    try:
        # The kernel process's own stderr holds only its start-up log ("running over TCP without
        # encryption" on every start); what the cells print reaches the notebook, not this stream.
        client.execute(stderr=subprocess.DEVNULL)
    except (CellExecutionError, CellTimeoutError) as e:
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(e)).strip()     # no terminal colour codes
        first = text.splitlines()[-1] if text else type(e).__name__
        raise NotebookFailed(f"{path}: a cell failed ({first}); the notebook was not saved. Open it, "
                             f"run the cells in order and fix the first error.") from None
    nbformat.write(nb, path)
    return time.perf_counter() - t0
