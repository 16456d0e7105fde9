"""Root conftest: keep the test run from touching a learner's real progress file.

nbval starts kernels that inherit this environment, so checks executed inside the
notebooks record into a throwaway file as well.
"""
import os
import tempfile

import pytest

os.environ["NNLIB_PROGRESS"] = os.path.join(tempfile.mkdtemp(prefix="nnlib-progress-"), "progress.json")
os.environ.setdefault("MPLBACKEND", "Agg")

# One BLAS thread for the kernels that nbval and the browser test start, as README's setup command
# does for learners: the course's matrices are small, and on a loaded machine a multi-threaded BLAS
# waits for busy cores (benchmarks/bench_blas_threads.py --load: 17-41x slower steps on 2 cores).
# Results are the same (checked: every stored notebook output matches with one thread and with the
# default).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# Files whose tests drive a browser or serve the course: under pytest-xdist they all run in one worker,
# one after another (two JupyterLabs, Chromiums or hubs at once would measure each other's load).
SERIAL = ("test_browser.py", "test_browser_playground.py", "test_workshop.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``-n 2 --dist loadfile`` (pyproject.toml) as pytest-xdist does it (every file one unit of work:
    a notebook's cells share one kernel, a test file its module fixtures), except that the SERIAL files
    are one unit together."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid):
            scope = super()._split_scope(nodeid)
            return "browser-and-servers" if scope.rsplit("/", 1)[-1] in SERIAL else scope

    return Scheduling(config, log)

