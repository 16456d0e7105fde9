"""Root conftest: keep the test run from touching a learner's real progress file.

nbval starts kernels that inherit this environment, so checks executed inside the
notebooks record into a throwaway file as well.
"""
import os
import tempfile

os.environ["NNLIB_PROGRESS"] = os.path.join(tempfile.mkdtemp(prefix="nnlib-progress-"), "progress.json")
os.environ.setdefault("MPLBACKEND", "Agg")

# One BLAS thread for the kernels that nbval and the browser test start, as README's setup command
# does for learners: the course's matrices are small, and on a loaded machine a multi-threaded BLAS
# waits for busy cores (benchmarks/bench_blas_threads.py --load: 17-41x slower steps on 2 cores).
# Results are the same (checked: every stored notebook output matches with one thread and with the
# default).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
