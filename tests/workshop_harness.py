"""A workshop hub on this machine, and learners that use it the way JupyterLab does.

Shared by tests/test_workshop.py and benchmarks/bench_workshop.py. It starts JupyterHub and
configurable-http-proxy on loopback ports with workshop/jupyterhub_test_config.py (the production
settings of workshop/jupyterhub_config.py, with a test spawner and a shared password), talks to the
hub's REST API as a service (an instructor's script would), and to learners' kernels over their
websockets, through the proxy, as JupyterLab does. Every process it started (the hub, the proxy, the
servers, the kernels) is stopped by its pid when the hub's ``with`` block ends, also on failure.

JupyterHub and the proxy are not among the learners' requirements: workshop/install-beside.sh
installs them beside the environment, into .workshop/ (or $NNLIB_WORKSHOP), where this looks.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALL = ("bash workshop/install-beside.sh (JupyterHub and nbgitpuller with pip --target, "
           "configurable-http-proxy with npm, into .workshop/, where the test finds them; elsewhere: "
           "NNLIB_WORKSHOP=FOLDER)")
THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class MissingTools(RuntimeError):
    """What is not installed, and how to install it (a test skips or fails with it)."""


def beside():
    """The folder install-beside.sh filled (``.workshop`` or $NNLIB_WORKSHOP), or None."""
    folder = os.environ.get("NNLIB_WORKSHOP") or ((ROOT / ".workshop").is_dir() and ROOT / ".workshop")
    return Path(folder).resolve() if folder else None


def tools_env():
    """The environment for the hub process, or :class:`MissingTools` with the install instruction."""
    # without the test run's own thread settings (conftest.py): the kernels must get them from the config
    env = {k: v for k, v in os.environ.items() if k not in THREADS}
    folder = beside()
    if folder:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder / "python"), env.get("PYTHONPATH")]))
        env["NNLIB_WORKSHOP_BESIDE"] = str(folder / "python")
        proxy = folder / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
        proxy = str(proxy) if proxy.exists() else None
    else:
        proxy = shutil.which("configurable-http-proxy")
    missing = []
    found = subprocess.run([sys.executable, "-c", "import jupyterhub, nbgitpuller"], env=env,
                           capture_output=True)
    if found.returncode != 0:
        missing.append("JupyterHub with nbgitpuller")
    if proxy is None:
        missing.append("configurable-http-proxy")
    for program in ("node", "git"):
        if shutil.which(program) is None:
            missing.append(f"{program} on PATH")
    if missing:
        raise MissingTools(f"the workshop test needs {', '.join(missing)}: {INSTALL}")
    env["NNLIB_WORKSHOP_PROXY"] = proxy
    return env


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Processes:
    """Every process started on our behalf under ``root_pid``, by pid (with its start time, so that a
    reused pid is never signalled), found as descendants through /proc."""

    def __init__(self, root_pid):
        self.root = root_pid
        self.known = {}

    @staticmethod
    def _stat(pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return int(fields[1]), fields[19], fields[0]          # ppid, start time, state

    def record(self):
        children = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (stat := self._stat(entry.name)):
                children.setdefault(stat[0], []).append(int(entry.name))
        todo = [self.root]
        while todo:
            for pid in children.get(todo.pop(), []):
                stat = self._stat(pid)
                if stat:
                    self.known.setdefault(pid, stat[1])
                    todo.append(pid)
        return self

    def alive(self):
        return [pid for pid, started in self.known.items()
                if (stat := self._stat(pid)) and stat[1] == started and stat[2] != "Z"]

    def stop(self, grace=10):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in self.alive():
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.time() + grace
            while self.alive() and time.time() < deadline:
                time.sleep(0.1)
        return self.alive()


class Hub:
    def __init__(self, url, token, password, homes, log, processes):
        self.url, self.token, self.password, self.homes, self.log = url, token, password, homes, log
        self.processes = processes

    def log_tail(self, n=4000):
        return self.log.read_text(errors="replace")[-n:]

    def api(self, method, path, **kw):
        """The hub's REST API, as the test's service (an instructor's script)."""
        import requests
        return requests.request(method, f"{self.url}/hub/api/{path}", timeout=30,
                                headers={"Authorization": f"token {self.token}"}, **kw)

    def server(self, learner, method, path, **kw):
        """A learner's single-user server, through the proxy, with the service's token."""
        import requests
        return requests.request(method, f"{self.url}/user/{learner}/{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"}, **kw)


@contextmanager
def running_hub(folder, learners, env=None):
    """JupyterHub + proxy on loopback for ``learners`` (names), its state and the learners' homes in
    ``folder``. On leaving: the servers are stopped through the API, the hub by SIGTERM (it stops
    the proxy), then whatever is left of what it started, by pid; AssertionError names any survivor."""
    import requests
    env = dict(tools_env() if env is None else env)
    folder = Path(folder)
    public, proxy_api, hub_port = free_ports(3)
    state = folder / "hub"
    state.mkdir(parents=True)
    token, password = secrets.token_hex(24), secrets.token_urlsafe(16)
    env.update(NNLIB_WORKSHOP_TEST_DIR=str(folder), NNLIB_WORKSHOP_PORTS=f"{public},{proxy_api},{hub_port}",
               NNLIB_WORKSHOP_LEARNERS=",".join(learners), NNLIB_WORKSHOP_PASSWORD=password,
               NNLIB_WORKSHOP_TOKEN=token)
    log = folder / "jupyterhub.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f",
                                 str(ROOT / "workshop" / "jupyterhub_test_config.py")],
                                cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    procs = Processes(proc.pid)
    the_hub = Hub(f"http://127.0.0.1:{public}", token, password, folder / "homes", log, procs)
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"JupyterHub exited with {proc.returncode}:\n{the_hub.log_tail()}")
            try:
                if the_hub.api("GET", "").ok:
                    break
            except requests.ConnectionError:
                pass
            if time.time() > deadline:
                raise AssertionError(f"JupyterHub did not answer within 60 s:\n{the_hub.log_tail()}")
            time.sleep(0.3)
        procs.record()
        yield the_hub
    finally:
        procs.record()
        for learner in learners:                 # stop the servers the way an admin would, first
            try:
                the_hub.api("DELETE", f"users/{learner}/server")
            except requests.RequestException:
                pass
        proc.send_signal(signal.SIGTERM)         # the hub then stops the proxy
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        left = procs.stop()
        assert not left, f"processes still running after the workshop: {left}"


def login(hub, learner, try_wrong_password=True):
    """A learner's browser session on the hub (the log-in form, as a browser posts it)."""
    import requests
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30).raise_for_status()
    form = {"username": learner, "_xsrf": session.cookies.get("_xsrf")}
    if try_wrong_password:
        wrong = session.post(f"{hub.url}/hub/login", data={**form, "password": "not-the-password"},
                             allow_redirects=False, timeout=30)
        assert wrong.status_code == 403, f"a wrong password was not refused: {wrong.status_code}"
    right = session.post(f"{hub.url}/hub/login", data={**form, "password": hub.password},
                         allow_redirects=False, timeout=30)
    assert right.status_code == 302, f"{learner} could not log in: {right.status_code}\n{hub.log_tail()}"
    return session


def start_servers(hub, learners):
    """Ask the hub to start each learner's server, as an instructor does before the session."""
    for learner in learners:
        r = hub.api("POST", f"users/{learner}/server")
        assert r.status_code in (201, 202), f"{learner}'s server did not start: {r.status_code} {r.text}"


def wait_ready(hub, learners, timeout=90):
    deadline = time.time() + timeout
    waiting = set(learners)
    while waiting:
        for learner in sorted(waiting):
            servers = hub.api("GET", f"users/{learner}").json().get("servers", {})
            if servers.get("", {}).get("ready"):
                waiting.discard(learner)
        if waiting and time.time() > deadline:
            raise AssertionError(f"servers of {sorted(waiting)} not ready in {timeout} s:\n{hub.log_tail()}")
        time.sleep(0.3)
    hub.processes.record()


class Kernel:
    """A kernel of a learner's server, spoken to over its websocket as JupyterLab does (the legacy
    JSON protocol: text frames, and binary frames for messages that carry buffers)."""

    def __init__(self, hub, learner, path):
        self._start(f"{hub.url}/user/{learner}", hub.token, path, learner)

    @classmethod
    def on_server(cls, url, token, path=""):
        """A kernel of a Jupyter server without a hub in front (workshop/check-binder.sh's)."""
        kernel = cls.__new__(cls)
        kernel._start(url.rstrip("/"), token, path, url)
        return kernel

    def _start(self, server, token, path, who):
        import requests
        r = requests.post(f"{server}/api/kernels", json={"name": "python3", "path": path}, timeout=60,
                          headers={"Authorization": f"token {token}"})
        assert r.status_code == 201, f"no kernel for {who}: {r.status_code} {r.text[:300]}"
        self.id = r.json()["id"]
        self.url = server.replace("http://", "ws://", 1) + f"/api/kernels/{self.id}/channels"
        self.header = [f"Authorization: token {token}"]
        self.ws = None
        self.connect()

    def connect(self):
        """(Re)open the websocket, as JupyterLab does after a network hiccup: the kernel and its widgets
        stay as they were. (The server closes a websocket whose pings nobody answered for a while, and
        only reading answers them.)"""
        import websocket
        if self.ws is not None:
            self.ws.close()
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(self.url, header=self.header, timeout=120)

    def send(self, channel, msg_type, content):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session, "username": "test",
                       "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel}))
        return msg_id

    def recv(self):
        frame = self.ws.recv()
        if frame in ("", b""):
            raise ConnectionError(f"the server closed the websocket of kernel {self.id}")
        if isinstance(frame, str):
            return json.loads(frame), []
        n = struct.unpack("!I", frame[:4])[0]
        offsets = list(struct.unpack(f"!{n}I", frame[4:4 + 4 * n])) + [len(frame)]
        parts = [frame[offsets[i]:offsets[i + 1]] for i in range(n)]
        return json.loads(parts[0]), parts[1:]

    def request(self, channel, msg_type, content, timeout=120):
        """Send one request; return every message it caused (with buffers) up to its idle status."""
        msg_id = self.send(channel, msg_type, content)
        got, idle, replied = [], False, msg_type != "execute_request"
        deadline = time.time() + timeout
        while not (idle and replied):
            assert time.time() < deadline, f"no answer to {msg_type} within {timeout} s"
            msg, buffers = self.recv()
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            got.append((msg, buffers))
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            if msg["msg_type"] == "execute_reply":
                replied = True
        return got

    def execute(self, code):
        got = self.request("shell", "execute_request", {"code": code, "silent": False, "store_history": False,
                                                        "user_expressions": {}, "allow_stdin": False})
        errors = [m["content"] for m, _ in got if m["msg_type"] == "error"
                  or (m["msg_type"] == "stream" and m["content"]["name"] == "stderr")]
        assert not errors, f"the kernel reported: {errors}"
        stdout = "".join(m["content"]["text"] for m, _ in got if m["msg_type"] == "stream")
        return stdout, got

    def move(self, comm_id, value):
        """Move a slider (its comm ``comm_id``) to ``value``, as the browser's widget does."""
        return self.send("shell", "comm_msg", {"comm_id": comm_id, "data": {
            "method": "update", "state": {"value": value}, "buffer_paths": []}})

    def close(self):
        self.ws.close()


def widget_models(messages):
    """comm id -> (state, buffers) of every widget the messages opened."""
    return {m["content"]["comm_id"]: (m["content"]["data"]["state"], b) for m, b in messages
            if m["msg_type"] == "comm_open"}


def frames(messages, image):
    """The PNG frames that the kernel sent to the image widget ``image`` (state updates with a buffer)."""
    return [buffers[m["content"]["data"]["buffer_paths"].index(["value"])] for m, buffers in messages
            if is_frame(m, image)]


def is_frame(msg, image):
    data = msg["content"].get("data", {}) if msg["msg_type"] == "comm_msg" else {}
    return (msg["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == image
            and data.get("method") == "update" and ["value"] in data.get("buffer_paths", []))
