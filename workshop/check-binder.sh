#!/usr/bin/env bash
# Replays what Binder does with this repository, on a machine without Docker: the steps of the
# Dockerfile that repo2docker writes for binder/ (`repo2docker --no-build --debug .` prints it), in a
# virtual environment instead of an image. Then the server starts the way the image starts it (through
# binder/start), and a kernel started through the server's API (with tests/workshop_harness.py's client)
# runs lesson 00's first live figure and moves its first slider.
#
#   bash workshop/check-binder.sh                 # from the course folder; ~1 minute; needs the package index
#   bash workshop/check-binder.sh --nbgitpuller   # the Zero to JupyterHub image: repo2docker's build plus the
#                                                 # guide's --appendix (nbgitpuller), whose extension must load
#
# It fails (exit status 1, with the reason) when pip reports a conflict, when the server does not answer,
# or when the kernel lacks OPENBLAS_NUM_THREADS=1, imports another nnlib than the checkout's, raises, or
# does not redraw the figure when its slider moves.
# Everything it makes lives in one temporary folder, removed at the end; the server is stopped by its pid.
set -euo pipefail
appendix=""
case "${1:-}" in
  "") ;;
  --nbgitpuller) appendix="nbgitpuller==1.3.0" ;;   # the version workshop/README.md's --appendix installs
  *) echo "usage: bash workshop/check-binder.sh [--nbgitpuller] (got: $*)"; exit 2 ;;
esac
cd "$(dirname "$0")/.."
course=$PWD
work=$(mktemp -d /tmp/nnlib-binder.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# 1. The image's own Jupyter packages before the repository's requirements go in: the versions in
#    repo2docker 2026.4.0's environment for Python 3.11 (repo2docker/buildpacks/conda/
#    environment.py-3.11-linux-64.lock). Conda installs them there; pip installs the same releases here.
python3 -m venv "$work/env"
"$work/env/bin/pip" install --quiet notebook==7.4.7 jupyterlab==4.4.9 jupyter_server==2.17.0 \
  ipykernel==7.0.1 ipywidgets==8.1.7 jupyterhub==5.4.0 jupyter-resource-usage==1.2.0
# 2. The repository as repo2docker copies it (the committed files), then binder/requirements.txt,
#    installed from the repository's root (the image's working directory).
git clone --quiet "$course" "$work/repo"
cd "$work/repo"
install() {   # pip install "$@", failing on the conflicts pip reports but does not fail on
  "$work/env/bin/pip" install --quiet "$@" 2>"$work/pip.err" || { cat "$work/pip.err"; exit 1; }
  if grep -q "dependency conflicts" "$work/pip.err"; then
    echo "pip install $* leaves the image's packages in conflict:"; grep -A5 "conflicts" "$work/pip.err"
    exit 1
  fi
}
install -r binder/requirements.txt
[ -z "$appendix" ] || install "$appendix"
"$work/env/bin/pip" check
# 3. The server, started through binder/start as the image's entrypoint starts it.
port=$("$work/env/bin/python" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
token=$("$work/env/bin/python" -c "import secrets; print(secrets.token_hex(16))")
env -u OPENBLAS_NUM_THREADS PATH="$work/env/bin:$PATH" binder/start jupyter notebook --no-browser \
  --ip 127.0.0.1 --port "$port" --IdentityProvider.token="$token" >"$work/server.log" 2>&1 &
server=$!
# 4. A kernel through the server's API and its websocket, the way JupyterLab talks to one.
"$work/env/bin/python" - "http://127.0.0.1:$port" "$token" "$work/repo" "$appendix" "$work/server.log" <<'PY' || { tail -20 "$work/server.log"; exit 1; }
import sys, time, urllib.request
import nbformat

base, token, repo, appendix, log = sys.argv[1:6]
sys.path.insert(0, f"{repo}/tests")
from workshop_harness import Kernel, frames, widget_models   # the workshop test's kernel client

headers = {"Authorization": f"token {token}"}
for _ in range(60):
    try:
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/status", headers=headers)).close()
        break
    except OSError:
        time.sleep(1)
else:
    sys.exit("the server did not answer within 60 s")
lab = urllib.request.urlopen(urllib.request.Request(f"{base}/lab/tree/lessons/00-getting-started.ipynb",
                                                    headers=headers))
assert lab.status == 200, f"JupyterLab answered {lab.status} for lesson 00"
cells = [c.source for c in nbformat.read(f"{repo}/lessons/00-getting-started.ipynb", 4).cells
         if c.cell_type == "code"]
figure = next(s for s in cells if "widgets." in s and "explorer(" in s)
kernel = Kernel.on_server(base, token, "lessons")
try:
    # Kernel.execute fails on an error or anything on stderr
    show = "import os, nnlib\nprint(os.environ.get('OPENBLAS_NUM_THREADS'), nnlib.__file__)\n"
    stdout, got = kernel.execute(f"{show}{cells[0]}\n{figure}")
    threads, path = stdout.split()[:2]
    assert threads == "1", f"the kernel has OPENBLAS_NUM_THREADS={threads}, expected 1 (binder/start)"
    assert path == f"{repo}/nnlib/__init__.py", f"the kernel imports nnlib from {path}, not the repository"
    models = widget_models(got)
    image, = [cid for cid, (s, _) in models.items() if s["_model_name"] == "ImageModel"]
    slider, state = next((cid, s) for cid, (s, _) in models.items()
                         if s["_model_name"].endswith("SliderModel"))
    drawn = frames(got, image)                          # the image is opened empty, then drawn
    assert drawn and drawn[-1].startswith(b"\x89PNG"), "lesson 00's live figure drew no PNG"
    first = drawn[-1]
    value = state["max"] if state["value"] != state["max"] else state["min"]
    got = kernel.request("shell", "comm_msg", {"comm_id": slider, "data": {
        "method": "update", "state": {"value": value}, "buffer_paths": []}})
    new = frames(got, image)
    assert len(new) == 1 and new[0].startswith(b"\x89PNG") and new[0] != first, \
        f"moving the slider {state['description']!r} did not redraw lesson 00's live figure"
finally:
    kernel.close()
if appendix:
    assert "nbgitpuller | extension was successfully loaded" in open(log).read(), \
        "the server did not load nbgitpuller"
extra = " with nbgitpuller (its extension loaded)" if appendix else ""
print(f"Binder replay{extra}: no conflicts; the server answered; the kernel has one BLAS thread and the "
      f"repository's nnlib; lesson 00's live figure drew its image and redrew when {state['description']!r} "
      f"moved.")
PY
