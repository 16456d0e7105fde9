"""Workshops (workshop/): the link learners click, the Binder files, a two-learner workshop on one machine.

The first tests check `python -m course workshop-link` and binder/. The workshop test (marker
`workshop`) starts JupyterHub and configurable-http-proxy on loopback ports with
workshop/jupyterhub_test_config.py (the production settings of workshop/jupyterhub_config.py, with a
test spawner and a shared password), and then, as a room would:
- two learners log in; the course is pulled into each learner's home by the link that
  `python -m course workshop-link` prints, from a bare clone of this repository (file://);
- in each learner's kernel (REST API + the kernel's websocket, as JupyterLab does) a lesson 05 live
  figure is built and one of its sliders is moved with a comm message; the new frame must come back;
- learner 1 edits an exercise notebook; the instructor pushes an update (a changed hint in that same
  cell, a new cell at the end, a new file); both pull again: learner 1 keeps the edit and gets the new
  cell and file, learner 2 gets the whole update.
Every process it started (the hub, the proxy, the servers, the kernels) is stopped by its pid, also
when the test fails.

JupyterHub and the proxy are not among the learners' requirements: .ci/run installs them beside the
environment, into .workshop/, with workshop/install-beside.sh (the test looks there, or in
$NNLIB_WORKSHOP); without them the test is skipped with that instruction, unless
NNLIB_REQUIRE_WORKSHOP=1 (set by .ci/run). Run it alone with: .venv/bin/python -m pytest -m workshop
"""
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
from pathlib import Path

import nbformat
import pytest

from course.workshop import FOLDER, LinkError, workshop_link

ROOT = Path(__file__).resolve().parents[1]
LEARNERS = ("learner1", "learner2")
EXERCISE = "exercises/05-optimizers-exercises.ipynb"
INSTALL = ("bash workshop/install-beside.sh (JupyterHub and nbgitpuller with pip --target, "
           "configurable-http-proxy with npm, into .workshop/, where the test finds them; elsewhere: "
           "NNLIB_WORKSHOP=FOLDER)")


# --- the link ------------------------------------------------------------------------------------

def _query(link):
    from urllib.parse import parse_qs, urlsplit
    parts = urlsplit(link)
    return parts, {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_the_link_pulls_the_course_and_opens_the_lesson_in_jupyterlab():
    parts, q = _query(workshop_link("https://hub.example.org/", "https://git.example.org/t/course.git",
                                    lesson="5"))
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org",
                                                        "/hub/user-redirect/git-pull")
    assert q == {"repo": "https://git.example.org/t/course.git", "branch": "main", "targetpath": FOLDER,
                 "urlpath": f"lab/tree/{FOLDER}/lessons/05-optimizers.ipynb"}
    assert "/" not in parts.query, "every value is percent-encoded, as nbgitpuller's own link generator does"


def test_the_link_defaults_to_lesson_00_and_keeps_a_hub_prefix():
    parts, q = _query(workshop_link("http://10.0.0.5:8000/jhub/hub/", "file:///srv/nnlib-course.git",
                                    branch="workshop-2026"))
    assert parts.path == "/jhub/hub/user-redirect/git-pull"
    assert q["urlpath"].endswith("/lessons/00-getting-started.ipynb") and q["branch"] == "workshop-2026"


@pytest.mark.parametrize("kwargs, words", [
    ({"hub": "hub.example.org"}, ["--hub", "'hub.example.org'", "https://"]),
    ({"hub": "https://hub.example.org/?x=1"}, ["--hub", "no query"]),
    ({"hub": "https://hub.example.org/user/ada/lab"}, ["--hub", "https://hub.example.org."]),
    ({"repo": "git@git.example.org:t/course.git"}, ["--repo", "'git@git.example.org:t/course.git'",
                                                    "https://"]),
    ({"repo": "https://git.example.org/"}, ["--repo", "a host and a path"]),
    ({"repo": "https://git.example.org/t/course/tree/main"}, ["--repo", "/tree/", "--branch"]),
    ({"repo": "file://srv/course.git"}, ["--repo", "absolute path"]),
    ({"branch": "two words"}, ["--branch", "'two words'", "like main"]),
    ({"lesson": "12"}, ["--lesson", "'12'", "00, 01", "05"]),
    ({"lesson": "optimizers"}, ["--lesson", "'optimizers'", "two digits"]),
])
def test_a_bad_argument_gets_one_sentence_naming_it(kwargs, words):
    args = {"hub": "https://hub.example.org", "repo": "https://git.example.org/t/course.git", **kwargs}
    with pytest.raises(LinkError) as e:
        workshop_link(**args)
    message = str(e.value)
    assert all(w in message for w in words), message
    assert message.endswith(".") and message.count(". ") == 0, message


def test_the_command_prints_the_link_or_one_error_line():
    run = [sys.executable, "-m", "course", "workshop-link", "--hub", "https://hub.example.org",
           "--repo", "https://git.example.org/t/course.git"]
    done = subprocess.run(run + ["--lesson", "03"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.strip() == workshop_link("https://hub.example.org",
                                                "https://git.example.org/t/course.git", lesson="03")
    done = subprocess.run(run + ["--lesson", "99"], cwd=ROOT, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("error: --lesson '99'") and done.stderr.count("\n") == 1


# --- Binder --------------------------------------------------------------------------------------

def test_binder_installs_the_course_requirements_with_one_blas_thread():
    # repo2docker reads only binder/ when it exists: its requirements.txt must pull in the course's.
    lines = [ln.strip() for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines == ["-r ../requirements.txt"]
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime.startswith("python-3.") and int(runtime.split(".")[1]) >= 11, runtime
    start = ROOT / "binder" / "start"
    assert os.access(start, os.X_OK), "binder/start must be executable"
    show = "import os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    done = subprocess.run([str(start), sys.executable, "-c", show], capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"})
    assert (done.returncode, done.stdout) == (0, "1\n"), done.stderr


# --- the workshop ----------------------------------------------------------------------------------

def _tools():
    """(environment for the hub process, proxy program), or skip/fail with the install instruction."""
    # without the test run's own thread settings (conftest.py): the kernels must get them from the config
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    beside = os.environ.get("NNLIB_WORKSHOP") or ((ROOT / ".workshop").is_dir() and ROOT / ".workshop")
    if beside:
        beside = Path(beside).resolve()
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(beside / "python"), env.get("PYTHONPATH")]))
        env["NNLIB_WORKSHOP_BESIDE"] = str(beside / "python")
        proxy = beside / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
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
        msg = f"the workshop test needs {', '.join(missing)}: {INSTALL}"
        if os.environ.get("NNLIB_REQUIRE_WORKSHOP") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    env["NNLIB_WORKSHOP_PROXY"] = proxy
    return env


def _free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Processes:
    """Every process the hub started on our behalf, by pid (with its start time, so that a reused pid
    is never signalled), found as descendants of the hub through /proc."""

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
    def __init__(self, url, token, password, homes, log):
        self.url, self.token, self.password, self.homes, self.log = url, token, password, homes, log

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


@pytest.fixture
def hub(tmp_path):
    import requests
    env = _tools()
    public, proxy_api, hub_port = _free_ports(3)
    state = tmp_path / "hub"
    state.mkdir()
    token, password = secrets.token_hex(24), secrets.token_urlsafe(16)
    env.update(NNLIB_WORKSHOP_TEST_DIR=str(tmp_path), NNLIB_WORKSHOP_PORTS=f"{public},{proxy_api},{hub_port}",
               NNLIB_WORKSHOP_LEARNERS=",".join(LEARNERS), NNLIB_WORKSHOP_PASSWORD=password,
               NNLIB_WORKSHOP_TOKEN=token)
    log = tmp_path / "jupyterhub.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f",
                                 str(ROOT / "workshop" / "jupyterhub_test_config.py")],
                                cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    procs = Processes(proc.pid)
    the_hub = Hub(f"http://127.0.0.1:{public}", token, password, tmp_path / "homes", log)
    the_hub.processes = procs
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
        for learner in LEARNERS:                 # stop the servers the way an admin would, first
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
        assert not left, f"processes still running after the workshop test: {left}"


def _bare_clone(tmp_path):
    """This repository's HEAD as a bare repository on branch main, as a course host would serve it."""
    bare = tmp_path / "course.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    subprocess.run(["git", "push", "-q", bare.as_uri(), "HEAD:refs/heads/main"], cwd=ROOT, check=True)
    return bare


def _login(hub, learner):
    import requests
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30).raise_for_status()
    form = {"username": learner, "_xsrf": session.cookies.get("_xsrf")}
    wrong = session.post(f"{hub.url}/hub/login", data={**form, "password": "not-the-password"},
                         allow_redirects=False, timeout=30)
    assert wrong.status_code == 403, f"a wrong password was not refused: {wrong.status_code}"
    right = session.post(f"{hub.url}/hub/login", data={**form, "password": hub.password},
                         allow_redirects=False, timeout=30)
    assert right.status_code == 302, f"{learner} could not log in: {right.status_code}\n{hub.log_tail()}"
    return session


def _wait_ready(hub, learners, timeout=90):
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


def _pull(session, hub, learner, link):
    """What the learner's browser does with the link: follow it to nbgitpuller's page (log-in to the
    learner's server included), then the page's event stream that runs the pull. Returns its log."""
    from urllib.parse import urlsplit
    page = session.get(link, timeout=60)
    assert page.status_code == 200 and urlsplit(page.url).path == f"/user/{learner}/git-pull", (
        f"the link did not lead to nbgitpuller: {page.status_code} {page.url}")
    _, query = _query(link)
    assert query["urlpath"] in page.text, "nbgitpuller's page does not send the learner to the lesson"
    params = {k: query[k] for k in ("repo", "branch", "targetpath")}
    lines = []
    with session.get(f"{hub.url}/user/{learner}/git-pull/api", params=params, stream=True, timeout=120) as r:
        r.raise_for_status()
        for raw in r.iter_lines(decode_unicode=True):
            if not raw or not raw.startswith("data:"):
                continue
            event = json.loads(raw[5:])
            lines.append(event.get("output") or event.get("message") or "")
            if event.get("phase") in ("finished", "error"):
                assert event["phase"] == "finished", f"nbgitpuller failed for {learner}:\n" + "".join(lines)
                return "".join(lines)
    raise AssertionError(f"nbgitpuller's stream ended without finishing for {learner}:\n" + "".join(lines))


class Kernel:
    """A kernel of a learner's server, spoken to over its websocket as JupyterLab does (the legacy
    JSON protocol: text frames, and binary frames for messages that carry buffers)."""

    def __init__(self, hub, learner, path):
        import websocket
        r = hub.server(learner, "POST", "api/kernels", json={"name": "python3", "path": path})
        assert r.status_code == 201, f"no kernel for {learner}: {r.status_code} {r.text[:300]}"
        self.id = r.json()["id"]
        self.session = uuid.uuid4().hex
        url = hub.url.replace("http://", "ws://") + f"/user/{learner}/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {hub.token}"], timeout=120)

    def send(self, channel, msg_type, content):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session, "username": "test",
                       "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel}))
        return msg_id

    def recv(self):
        frame = self.ws.recv()
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

    def close(self):
        self.ws.close()


WIDGET_CELL = f"""%matplotlib inline
import os
import nnlib
from course.widgets import lesson05
explorer = lesson05.momentum_explorer()
display(explorer)
mine = os.path.expanduser("~/{FOLDER}")
print(os.environ["OPENBLAS_NUM_THREADS"], os.path.relpath(nnlib.__file__, mine))"""


def _frames(messages, image):
    """The PNG frames that the kernel sent to the image widget ``image`` (state updates with a buffer)."""
    return [buffers[m["content"]["data"]["buffer_paths"].index(["value"])] for m, buffers in messages
            if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == image
            and m["content"]["data"].get("method") == "update"
            and ["value"] in m["content"]["data"].get("buffer_paths", [])]


def _run_widget(hub, learner):
    """Build lesson 05's momentum explorer in the learner's kernel and move its β slider the way the
    browser does; returns the round trip in seconds (comm message out, new PNG frame back)."""
    kernel = Kernel(hub, learner, f"{FOLDER}/lessons")
    try:
        hub.processes.record()
        stdout, got = kernel.execute(WIDGET_CELL)
        # one BLAS thread (jupyterhub_config.py), and the learner's own copy of nnlib (PYTHONPATH)
        assert stdout == "1 nnlib/__init__.py\n", stdout
        models = {m["content"]["comm_id"]: (m["content"]["data"]["state"], b) for m, b in got
                  if m["msg_type"] == "comm_open"}
        beta, = [cid for cid, (s, _) in models.items()
                 if s["_model_name"] == "FloatSliderModel" and s["description"] == "momentum β"]
        image, = [cid for cid, (s, _) in models.items() if s["_model_name"] == "ImageModel"]
        first_frame = _frames(got, image)[-1]              # the image is opened empty, then drawn
        assert first_frame.startswith(b"\x89PNG")
        t0 = time.perf_counter()
        got = kernel.request("shell", "comm_msg", {"comm_id": beta, "data": {
            "method": "update", "state": {"value": 0.5}, "buffer_paths": []}})
        round_trip = time.perf_counter() - t0
        frames = _frames(got, image)
        assert len(frames) == 1 and frames[0].startswith(b"\x89PNG") and frames[0] != first_frame, (
            f"moving the slider did not send one new frame: {[m['msg_type'] for m, _ in got]}")
        stdout, _ = kernel.execute("print(explorer.values['beta'], len(explorer.timings))")
        assert stdout == "0.5 2\n", stdout
        return round_trip
    finally:
        kernel.close()
        hub.server(learner, "DELETE", f"api/kernels/{kernel.id}")


def _stub_cell(nb):
    """Index of the first exercise stub (the cell a learner answers)."""
    return next(i for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and "NotImplementedError" in c.source)


ANSWER = "def minibatches(X, y, batch_size, rng):\n    # learner1's answer, typed in Lab\n    return []"
NEW_CELL = "## Added during the workshop\nA new cell at the end: how an instructor ships new material."


def _instructor_update(tmp_path, bare):
    """Push a course update: a changed line in the first stub, a new last cell, a new file."""
    work = tmp_path / "instructor"
    git = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org"]
    subprocess.run(["git", "clone", "-q", bare.as_uri(), str(work)], check=True)
    nb = nbformat.read(work / EXERCISE, as_version=4)
    stub = _stub_cell(nb)
    lines = nb.cells[stub].source.split("\n")
    hint = next(i for i, line in enumerate(lines) if "NotImplementedError" in line)
    lines[hint] += "  # (v2) a clearer hint"
    nb.cells[stub].source = "\n".join(lines)
    nb.cells.append(nbformat.v4.new_markdown_cell(NEW_CELL))
    nbformat.write(nb, work / EXERCISE)
    (work / "lessons" / "workshop-notes.md").write_text("# Notes for day 2\n")
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "Workshop update"], cwd=work, check=True)
    subprocess.run(["git", "push", "-q"], cwd=work, check=True)
    return nbformat.read(work / EXERCISE, as_version=4), (work / EXERCISE).read_bytes()


@pytest.mark.workshop
def test_a_workshop_of_two_learners(hub, tmp_path):
    bare = _bare_clone(tmp_path)
    done = subprocess.run([sys.executable, "-m", "course", "workshop-link", "--hub", hub.url,
                           "--repo", bare.as_uri(), "--branch", "main", "--lesson", "05"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip()

    sessions = {learner: _login(hub, learner) for learner in LEARNERS}
    for learner in LEARNERS:                      # the instructor starts the servers before the session
        r = hub.api("POST", f"users/{learner}/server")
        assert r.status_code in (201, 202), f"{learner}'s server did not start: {r.status_code} {r.text}"
    _wait_ready(hub, LEARNERS)

    for learner in LEARNERS:
        _pull(sessions[learner], hub, learner, link)
        assert (hub.homes / learner / FOLDER / "lessons" / "05-optimizers.ipynb").is_file()

    timings = {learner: _run_widget(hub, learner) for learner in LEARNERS}
    print("slider -> new frame through the hub:", {k: f"{v * 1000:.0f} ms" for k, v in timings.items()})

    # learner 1 answers the first exercise and saves (the contents API, as JupyterLab's save does)
    path = f"api/contents/{FOLDER}/{EXERCISE}"
    model = hub.server("learner1", "GET", path).json()
    nb = nbformat.from_dict(model["content"])
    stub = _stub_cell(nb)
    nb.cells[stub].source = ANSWER
    r = hub.server("learner1", "PUT", path, json={"type": "notebook", "format": "json", "content": nb})
    assert r.status_code == 200, r.text

    updated, updated_bytes = _instructor_update(tmp_path, bare)
    for learner in LEARNERS:
        _pull(sessions[learner], hub, learner, link)

    copy1 = hub.homes / "learner1" / FOLDER
    mine = nbformat.read(copy1 / EXERCISE, as_version=4)
    assert mine.cells[stub].source == ANSWER, "nbgitpuller lost learner 1's answer"
    assert mine.cells[-1].source == NEW_CELL, "the new cell did not reach learner 1"
    assert len(mine.cells) == len(updated.cells)
    assert [c.source for i, c in enumerate(mine.cells) if i != stub] == \
        [c.source for i, c in enumerate(updated.cells) if i != stub]
    assert (copy1 / "lessons" / "workshop-notes.md").is_file()
    # where both changed the same lines, the learner's side won (merge -Xours): the changed hint of
    # that cell did not arrive; hence README's rule, new material in new cells or new files.
    assert "(v2)" not in mine.cells[stub].source
    log = subprocess.run(["git", "log", "--format=%an %s", "-3"], cwd=copy1, capture_output=True,
                         text=True).stdout
    assert "nbgitpuller Automatic commit by nbgitpuller" in log, log

    copy2 = hub.homes / "learner2" / FOLDER
    assert (copy2 / EXERCISE).read_bytes() == updated_bytes, "learner 2 did not get the whole update"
    assert (copy2 / "lessons" / "workshop-notes.md").is_file()
