# Voila's configuration for `python -m course app` (course/app.py passes this folder as Voila's only
# config path, so a voila.py elsewhere does not change it). To serve a lesson with plain voila and the
# same settings (Voila installed, see requirements-workshop.txt):
#   cd lessons && OPENBLAS_NUM_THREADS=1 voila --Voila.config_file_paths=../workshop 06-regularization.ipynb
import os
import sys

c = get_config()  # noqa: F821 (defined by Voila when it loads this file)

# The course's own modules (course.app), also when voila runs from another folder.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from course.app import slice_voila_polls  # noqa: E402

# The stall fix: Voila executes the notebook with nbclient, which can wait for a widget cell's reply
# for its whole timeout (nbclient#312); its executor then waits for shell replies in 0.2 s slices.
slice_voila_polls()

c.Voila.ip = "127.0.0.1"                        # this machine only: see workshop/README.md, "Voila"
c.Voila.port_retries = 0                        # the port asked for, or a clear failure
c.VoilaConfiguration.strip_sources = True       # code-free: the outputs and the text, no code cells
c.VoilaConfiguration.show_tracebacks = False    # a failing cell shows that it failed, not its code
# The page arrives at once and fills in cell by cell while the lesson runs (without it, nothing shows
# until every cell has run: 10 s or more for a lesson).
c.VoilaConfiguration.progressive_rendering = True
c.VoilaExecutor.timeout = 120                   # seconds per cell, as the course's own tests allow
# Every page that opens the app gets its own kernel (about 85 MB with a live figure). A page that was
# closed leaves it behind; stop such kernels after 10 idle minutes (an open page keeps its kernel).
c.MappingKernelManager.cull_idle_timeout = 600
c.MappingKernelManager.cull_interval = 60
