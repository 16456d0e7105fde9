"""Root conftest: keep the test run from touching a learner's real progress file.

nbval starts kernels that inherit this environment, so checks executed inside the
notebooks record into a throwaway file as well.
"""
import os
import tempfile

os.environ["NNLIB_PROGRESS"] = os.path.join(tempfile.mkdtemp(prefix="nnlib-progress-"), "progress.json")
os.environ.setdefault("MPLBACKEND", "Agg")
