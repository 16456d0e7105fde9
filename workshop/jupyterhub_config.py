# JupyterHub for a workshop of this course on one machine (JupyterHub 6.1, nbgitpuller 1.3, the proxy
# configurable-http-proxy 5.3). workshop/README.md is the instructor's guide; in short, as root:
#
#   cd /opt/nnlib-course                     # a checkout of the course
#   /usr/bin/python3 -m venv .venv            # a Python every learner can run (not one under /root)
#   .venv/bin/pip install -r requirements.txt -r requirements-workshop.txt
#   npm install --prefix /opt/nnlib-course/proxy configurable-http-proxy@5.3.0
#   groupadd nnlib-learners; useradd -m -G nnlib-learners ada; passwd ada    # one Unix user per learner
#   mkdir -p /srv/nnlib-workshop && cd /srv/nnlib-workshop
#   /opt/nnlib-course/.venv/bin/jupyterhub -f /opt/nnlib-course/workshop/jupyterhub_config.py
#
# Learners log in with their Unix name and password (PAM); each learner's server and kernels run as
# that user, in their home, with the course pulled into ~/nnlib-course by the link that
# `python -m course workshop-link` prints. Everything the hub writes (its database, cookie secret, the
# proxy's pid file) goes to the folder it is started in.
#
# The settings read a few environment variables, so the same file serves other machines (and the
# test, tests/test_workshop.py, through workshop/jupyterhub_test_config.py):
#   NNLIB_WORKSHOP_URL     where learners reach the hub (default http://:8000, every address, port 8000;
#                          put TLS in front of it, see README, or set c.JupyterHub.ssl_cert/ssl_key)
#   NNLIB_WORKSHOP_PROXY   the configurable-http-proxy program (default: the one npm put beside the
#                          checkout, else configurable-http-proxy on PATH)
#   NNLIB_WORKSHOP_GROUP   the Unix group whose members may log in (default nnlib-learners)
#   NNLIB_WORKSHOP_ADMINS  comma-separated Unix users who administer the hub (default: none)
import os
import shutil
import sys
from pathlib import Path

from course.workshop import FOLDER

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

CHECKOUT = Path(__file__).resolve().parents[1]
_npm_proxy = CHECKOUT / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"

# --- where the hub listens ---------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("NNLIB_WORKSHOP_URL", "http://:8000")
c.ConfigurableHTTPProxy.command = [os.environ.get("NNLIB_WORKSHOP_PROXY") or
                                   (str(_npm_proxy) if _npm_proxy.exists() else
                                    shutil.which("configurable-http-proxy") or "configurable-http-proxy")]

# --- who may log in: Unix users in one group, through PAM -----------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {os.environ.get("NNLIB_WORKSHOP_GROUP", "nnlib-learners")}
c.Authenticator.admin_users = {u for u in os.environ.get("NNLIB_WORKSHOP_ADMINS", "").split(",") if u}

# --- one server per learner, run as that learner (real isolation: the hub runs as root and each
# server is started with the learner's uid; _prepare_learner below closes each home to the others) --
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
# The single-user server and the kernels run in the hub's own environment: the one that has
# requirements.txt (the course, its pinned JupyterLab and ipywidgets) and requirements-workshop.txt.
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
# Thirty learners clicking the link at the same minute: start servers a few at a time, and give a busy
# machine time (two servers starting together took 7.5 s on the project's 2-core test machine).
c.JupyterHub.concurrent_spawn_limit = 10
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
# LocalProcessSpawner does not enforce mem_limit / cpu_limit: for per-learner limits use
# SystemdSpawner or a container spawner (README, "More than one machine").


def _course_copy(spawner):
    """~/nnlib-course of the learner this server is for (where nbgitpuller puts the course)."""
    home = getattr(spawner, "home_dir", None) or os.path.expanduser(f"~{spawner.user.name}")
    return os.path.join(home, FOLDER)


c.Spawner.environment = {
    # The course's matrices are small: one BLAS thread per kernel is as fast on an idle machine and
    # far faster on a busy one (README, "Workshops on a shared server"; benchmarks/bench_blas_threads.py).
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # A learner's kernels import nnlib and course from the learner's own copy (so their edits to
    # nnlib/ count, as with README's editable install), falling back to the installed checkout before
    # the first pull.
    "PYTHONPATH": _course_copy,
    # nbgitpuller: a link without urlpath opens JupyterLab too.
    "NBGITPULLER_APP": "lab",
    "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
}


def _prepare_learner(spawner):
    """Before a learner's server starts (as that Unix user): close their home to other users, and
    refuse, with one sentence, an environment the learner's uid cannot run.

    Debian's useradd makes homes readable by everyone (mode 755), so without the first step every
    learner could read every other learner's notebooks. A venv made from a Python under /root (pyenv,
    conda) is a symlink into a folder only root may enter: the server would die with a bare
    'Permission denied'."""
    import pwd
    import stat
    try:
        account = pwd.getpwnam(spawner.user.name)
    except KeyError:                      # not a Unix user (the test's spawner): nothing to do
        return
    if account.pw_uid == os.geteuid():
        return
    home = Path(account.pw_dir)
    mode = stat.S_IMODE(home.stat().st_mode)
    if mode & 0o077:
        home.chmod(mode & 0o700)
        spawner.log.info("closed %s to other users (mode %o -> %o)", home, mode, mode & 0o700)
    python = Path(os.path.realpath(sys.executable))
    for path in [*reversed(python.parents), python]:
        if not path.stat().st_mode & stat.S_IXOTH:
            raise RuntimeError(f"{spawner.user.name} cannot run {sys.executable} (it is {python}, and "
                               f"{path} is closed to other users); make the course environment from a "
                               f"Python every user can run, such as /usr/bin/python3.")


c.Spawner.pre_spawn_hook = _prepare_learner

# --- nbgitpuller: `pip install` enables it (it ships etc/jupyter/jupyter_server_config.d/nbgitpuller.json
# into the environment); check here that the hub's environment has it, since without it every link
# answers 404.
try:
    import nbgitpuller  # noqa: F401
except ImportError:
    sys.exit("nbgitpuller is not installed in the hub's environment: "
             "pip install -r requirements-workshop.txt")
