#!/usr/bin/env bash
# Replays what Binder does with this repository, on a machine without Docker: the steps of the
# Dockerfile that repo2docker writes for binder/ (`repo2docker --no-build --debug .` prints it), in a
# virtual environment instead of an image. Then the server starts the way the image starts it (through
# binder/start), and a kernel started through the server's API runs lesson 00's first live figure.
#
#   bash workshop/check-binder.sh                 # from the course folder; ~1 minute; needs the package index
#   bash workshop/check-binder.sh --nbgitpuller   # the Zero to JupyterHub image: repo2docker's build plus the
#                                                 # guide's --appendix (nbgitpuller), whose extension must load
#
# It fails (exit status 1, with the reason) when pip reports a conflict, when the server does not answer,
# or when the kernel lacks OPENBLAS_NUM_THREADS=1, imports another nnlib than the checkout's, or raises.
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
# 4. A kernel through the server's API, the way JupyterLab starts one.
"$work/env/bin/python" - "http://127.0.0.1:$port" "$token" "$work/repo" "$appendix" "$work/server.log" <<'PY' || { tail -20 "$work/server.log"; exit 1; }
import json, sys, time, urllib.request, uuid
import nbformat
from tornado import httpclient, ioloop, websocket

base, token, repo = sys.argv[1:4]
headers = {"Authorization": f"token {token}"}

def api(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(base + path, data, headers, method=method)) as r:
        return json.loads(r.read() or b"null")

for _ in range(60):
    try:
        api("GET", "/api/status")
        break
    except OSError:
        time.sleep(1)
else:
    sys.exit("the server did not answer within 60 s")
lab = urllib.request.urlopen(urllib.request.Request(base + "/lab/tree/lessons/00-getting-started.ipynb",
                                                    headers=headers))
assert lab.status == 200, f"JupyterLab answered {lab.status} for lesson 00"
cells = [c.source for c in nbformat.read(f"{repo}/lessons/00-getting-started.ipynb", 4).cells
         if c.cell_type == "code"]
figure = next(s for s in cells if "widgets." in s and "explorer(" in s)
code = ("import os, nnlib\nprint(os.environ.get('OPENBLAS_NUM_THREADS'), nnlib.__file__)\n"
        f"{cells[0]}\n{figure}")
kernel = api("POST", "/api/kernels", {"name": "python3"})

async def run():
    url = f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel['id']}/channels"
    ws = await websocket.websocket_connect(httpclient.HTTPRequest(url, headers=headers))
    msg_id = uuid.uuid4().hex
    ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "", "version": "5.3",
                   "session": uuid.uuid4().hex},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False}}))
    seen = []
    while True:
        raw = await ws.read_message()
        if raw is None:
            sys.exit("the kernel's connection closed before the cell finished")
        if isinstance(raw, bytes):          # a message with binary buffers: the figure's image
            seen.append(("image", None))
            continue
        msg = json.loads(raw)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append((msg["msg_type"], msg["content"]))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return seen

seen = ioloop.IOLoop.current().run_sync(run, timeout=120)
api("DELETE", f"/api/kernels/{kernel['id']}")
errors = [c for t, c in seen if t == "error"]
assert not errors, f"lesson 00's cell raised {errors[0]['ename']}: {errors[0]['evalue']}"
threads, path = next(c["text"] for t, c in seen if t == "stream").split()[:2]
assert threads == "1", f"the kernel has OPENBLAS_NUM_THREADS={threads}, expected 1 (binder/start)"
assert path == f"{repo}/nnlib/__init__.py", f"the kernel imports nnlib from {path}, not the repository"
widgets = sum(t == "comm_open" for t, _ in seen)
assert widgets and ("image", None) in seen, f"lesson 00's live figure opened {widgets} widgets and no image"
if sys.argv[4]:
    log = open(sys.argv[5]).read()
    assert "nbgitpuller | extension was successfully loaded" in log, "the server did not load nbgitpuller"
extra = " with nbgitpuller (its extension loaded)" if sys.argv[4] else ""
print(f"Binder replay{extra}: no conflicts; the server answered; the kernel has one BLAS thread and the "
      f"repository's nnlib; lesson 00's live figure opened {widgets} widgets and drew its image.")
PY
