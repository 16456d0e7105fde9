"""Workshops (workshop/): the link learners click, the Binder files, a two-learner workshop on one
machine, and a lesson as a Voila app.

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
when the test fails. The hub and the learners' side of it are in workshop_harness.py, which
benchmarks/bench_workshop.py shares.

The Voila test (marker `workshop` too) starts `python -m course app 00`, opens it in headless Chromium,
waits for a live figure, moves a slider with the keyboard and waits for the image to change; it stops
Voila and its kernels by pid, also on failure.

JupyterHub, the proxy and Voila are not among the learners' requirements: .ci/run installs them beside
the environment, into .workshop/, with workshop/install-beside.sh (the tests look there, or in
$NNLIB_WORKSHOP); without them (or without Chromium, for the Voila test) the tests are skipped with
that instruction, unless NNLIB_REQUIRE_WORKSHOP=1 (set by .ci/run). Run them alone with:
NNLIB_WORKSHOP=.workshop .venv/bin/python -m pytest -m workshop
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from workshop_harness import (Kernel, MissingTools, frames, login, running_hub, start_servers, tools_env,
                              wait_ready, widget_models)

from course.workshop import BINDER_BADGE, FOLDER, LinkError, binder_badge, binder_link, workshop_link

ROOT = Path(__file__).resolve().parents[1]
LEARNERS = ("learner1", "learner2")
EXERCISE = "exercises/05-optimizers-exercises.ipynb"


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


LINKS = {"workshop": (workshop_link, {"hub": "https://hub.example.org",
                                      "repo": "https://git.example.org/t/course.git"}),
         "binder": (binder_link, {"repo": "https://github.com/you/nnlib-course"})}


@pytest.mark.parametrize("link, kwargs, words", [
    ("workshop", {"hub": "hub.example.org"}, ["--hub", "'hub.example.org'", "https://"]),
    ("workshop", {"hub": "https://hub.example.org/?x=1"}, ["--hub", "no query"]),
    ("workshop", {"hub": "https://hub.example.org/user/ada/lab"}, ["--hub", "https://hub.example.org."]),
    ("workshop", {"repo": "git@git.example.org:t/course.git"},
     ["--repo", "'git@git.example.org:t/course.git'", "https://"]),
    ("workshop", {"repo": "https://git.example.org/"}, ["--repo", "a host and a path"]),
    ("workshop", {"repo": "https://git.example.org/t/course/tree/main"}, ["--repo", "/tree/", "--branch"]),
    ("workshop", {"repo": "file://srv/course.git"}, ["--repo", "absolute path"]),
    ("workshop", {"branch": "two words"}, ["--branch", "'two words'", "like main"]),
    ("workshop", {"lesson": "12"}, ["--lesson", "'12'", "00, 01", "05"]),
    ("workshop", {"lesson": "optimizers"}, ["--lesson", "'optimizers'", "two digits"]),
    ("binder", {"repo": "file:///srv/nnlib-course.git"}, ["--repo", "public https", "https://github.com/"]),
    ("binder", {"repo": "http://git.example.org/t/course.git"}, ["--repo", "public https"]),
    ("binder", {"repo": "https://github.com/you"}, ["--repo", "GitHub", "OWNER/NAME"]),
    ("binder", {"repo": "https://github.com/you/course/tree/main"}, ["--repo", "/tree/", "--branch"]),
    ("binder", {"ref": "two words"}, ["--branch", "'two words'"]),
    ("binder", {"lesson": "10"}, ["--lesson", "'10'", "09"]),
])
def test_a_bad_argument_gets_one_sentence_naming_it(link, kwargs, words):
    make, defaults = LINKS[link]
    with pytest.raises(LinkError) as e:
        make(**{**defaults, **kwargs})
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
    assert lines[0] == "-r ../requirements.txt" and len(lines) == 2, lines
    # The image's own Notebook 7 must be replaced by the one made for our JupyterLab (7.N <-> 4.N), or
    # pip leaves it with a JupyterLab it does not support (seen with repo2docker 2026.4.0's image).
    pins = dict(ln.split("==") for ln in (ROOT / "requirements.txt").read_text().splitlines() + lines[1:]
                if "==" in ln)
    lab, notebook = (pins[name].split(".") for name in ("jupyterlab", "notebook"))
    assert (lab[0], notebook[0], notebook[1]) == ("4", "7", lab[1]), \
        f"binder/requirements.txt pins notebook {pins['notebook']} beside jupyterlab {pins['jupyterlab']}"
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime.startswith("python-3.") and int(runtime.split(".")[1]) >= 11, runtime
    start = ROOT / "binder" / "start"
    assert os.access(start, os.X_OK), "binder/start must be executable"
    show = "import os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    done = subprocess.run([str(start), sys.executable, "-c", show], capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"})
    assert (done.returncode, done.stdout) == (0, "1\n"), done.stderr


def test_the_binder_link_builds_the_repository_and_opens_the_lesson():
    parts, q = _query(binder_link("https://github.com/you/nnlib-course.git", lesson="5"))
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "mybinder.org",
                                                        "/v2/gh/you/nnlib-course/HEAD")
    assert q == {"urlpath": "lab/tree/lessons/05-optimizers.ipynb"}
    # any other public host: Binder's general form, the clone URL percent-encoded as one path segment
    from urllib.parse import unquote
    parts, q = _query(binder_link("https://git.example.org/t/course.git", ref="v1.0"))
    kind, url, ref = parts.path.removeprefix("/v2/").split("/")
    assert (kind, unquote(url), ref) == ("git", "https://git.example.org/t/course.git", "v1.0")
    assert q["urlpath"] == "lab/tree/lessons/00-getting-started.ipynb"
    # a branch with a slash stays one ref: Binder splits the spec at its first two slashes (gh/)
    parts, _ = _query(binder_link("https://github.com/you/nnlib-course", ref="workshop/2026-12"))
    assert parts.path == "/v2/gh/you/nnlib-course/workshop/2026-12"


def test_the_binder_command_prints_the_link_or_the_badge():
    run = [sys.executable, "-m", "course", "binder-link", "--repo", "https://github.com/you/nnlib-course"]
    link = subprocess.run(run, cwd=ROOT, capture_output=True, text=True)
    badge = subprocess.run(run + ["--badge"], cwd=ROOT, capture_output=True, text=True)
    expected = binder_link("https://github.com/you/nnlib-course")
    assert (link.returncode, link.stdout, link.stderr) == (0, expected + "\n", "")
    assert (badge.returncode, badge.stdout) == (0, binder_badge(expected) + "\n")
    assert badge.stdout == f"[![Launch on Binder]({BINDER_BADGE})]({expected})\n"
    done = subprocess.run(run[:-1] + ["file:///srv/nnlib-course.git"], cwd=ROOT, capture_output=True,
                          text=True)
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.startswith("error: --repo")
    assert done.stderr.count("\n") == 1


# --- the workshop ----------------------------------------------------------------------------------

def _tools():
    """The environment for the hub process, or skip/fail with the install instruction."""
    try:
        return tools_env()
    except MissingTools as missing:
        if os.environ.get("NNLIB_REQUIRE_WORKSHOP") == "1":
            pytest.fail(str(missing))
        pytest.skip(str(missing))


@pytest.fixture
def hub(tmp_path):
    with running_hub(tmp_path, LEARNERS, env=_tools()) as the_hub:
        yield the_hub


def _bare_clone(tmp_path):
    """This repository's HEAD as a bare repository on branch main, as a course host would serve it."""
    bare = tmp_path / "course.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    subprocess.run(["git", "push", "-q", bare.as_uri(), "HEAD:refs/heads/main"], cwd=ROOT, check=True)
    return bare


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


WIDGET_CELL = f"""%matplotlib inline
import os
import nnlib
from course.widgets import lesson05
explorer = lesson05.momentum_explorer()
display(explorer)
mine = os.path.expanduser("~/{FOLDER}")
print(os.environ["OPENBLAS_NUM_THREADS"], os.path.relpath(nnlib.__file__, mine))"""


def _run_widget(hub, learner):
    """Build lesson 05's momentum explorer in the learner's kernel and move its β slider the way the
    browser does; returns the round trip in seconds (comm message out, new PNG frame back)."""
    kernel = Kernel(hub, learner, f"{FOLDER}/lessons")
    try:
        hub.processes.record()
        stdout, got = kernel.execute(WIDGET_CELL)
        # one BLAS thread (jupyterhub_config.py), and the learner's own copy of nnlib (PYTHONPATH)
        assert stdout == "1 nnlib/__init__.py\n", stdout
        models = widget_models(got)
        beta, = [cid for cid, (s, _) in models.items()
                 if s["_model_name"] == "FloatSliderModel" and s["description"] == "momentum β"]
        image, = [cid for cid, (s, _) in models.items() if s["_model_name"] == "ImageModel"]
        first_frame = frames(got, image)[-1]              # the image is opened empty, then drawn
        assert first_frame.startswith(b"\x89PNG")
        t0 = time.perf_counter()
        got = kernel.request("shell", "comm_msg", {"comm_id": beta, "data": {
            "method": "update", "state": {"value": 0.5}, "buffer_paths": []}})
        round_trip = time.perf_counter() - t0
        new = frames(got, image)
        assert len(new) == 1 and new[0].startswith(b"\x89PNG") and new[0] != first_frame, (
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

    sessions = {learner: login(hub, learner) for learner in LEARNERS}
    start_servers(hub, LEARNERS)                  # the instructor starts the servers before the session
    wait_ready(hub, LEARNERS)

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


# --- a lesson as a Voila app -----------------------------------------------------------------------

APP_LESSON = "00"               # the smallest lesson: its first live figure is drawn about 3 s after opening
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
APP_INSTALL = ("bash workshop/install-beside.sh (Voila with pip --target into .workshop/, where "
               "python -m course app finds it; elsewhere: NNLIB_WORKSHOP=FOLDER)")


def test_the_app_command_names_a_wrong_lesson_in_one_line():
    done = subprocess.run([sys.executable, "-m", "course", "app", "12"], cwd=ROOT, capture_output=True,
                          text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("error: '12' is not a lesson") and done.stderr.count("\n") == 1, done.stderr
    assert "00, 01" in done.stderr


def test_the_app_command_says_how_to_install_voila(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["NNLIB_WORKSHOP"] = str(tmp_path)                      # an empty folder: nothing installed beside
    if subprocess.run([sys.executable, "-c", "import voila"], env=env, capture_output=True).returncode == 0:
        pytest.skip("Voila is installed in this environment itself (a workshop host): nothing is missing")
    done = subprocess.run([sys.executable, "-m", "course", "app", APP_LESSON], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("error: Voila is not installed; install it with bash "
                                  "workshop/install-beside.sh")
    assert "pip install -r requirements-workshop.txt" in done.stderr and done.stderr.count("\n") == 1


def _live_figures(nb):
    """How many live figures a lesson builds (calls like widgets.name(...) or lessonNN.name(...))."""
    import re
    calls = re.compile(r"(?<![.\w])(?:widgets|lesson\d\d)\.(?!lesson)\w+\(")
    return sum(len(calls.findall(c.source)) for c in nb.cells if c.cell_type == "code")


def _app_tools():
    """Skip (or, with NNLIB_REQUIRE_WORKSHOP=1, fail) naming what the Voila test lacks."""
    from course.app import AppError, voila_environment
    missing = []
    try:
        voila_environment()
    except AppError:
        missing.append(f"Voila ({APP_INSTALL})")
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -r requirements.txt)")
    if missing:
        msg = "the Voila app test needs " + " and ".join(missing)
        if os.environ.get("NNLIB_REQUIRE_WORKSHOP") == "1":
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture
def app(request, tmp_path):
    """`python -m course app 00` (or the lesson given by indirect parametrization) on a free loopback
    port: yields (url, processes, log, timings), then stops Voila (SIGTERM: it shuts its kernels down
    first) and whatever is left of it, by pid."""
    import socket

    from workshop_harness import Processes, free_ports
    _app_tools()
    lesson = getattr(request, "param", APP_LESSON)
    port, = free_ports(1)
    home = tmp_path / "home"
    # Voila's notebook-signing key, Jupyter's runtime files and Voila's connection files go to tmp_path
    env = dict(os.environ, JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTER_CONFIG_DIR=str(home / "config"), IPYTHONDIR=str(home / "ipython"),
               TMPDIR=str(tmp_path), NNLIB_PROGRESS="off")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(var, None)                                 # the command must set them itself
    log = tmp_path / "voila.log"
    t_start = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "course", "app", lesson, "--port", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    procs = Processes(proc.pid)
    try:
        deadline = time.time() + 60
        while True:                       # wait for the port (a page request would start a kernel)
            if proc.poll() is not None:
                raise AssertionError(f"the app exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.time() < deadline, f"the app did not listen within 60 s:\n{log.read_text()[-3000:]}"
            time.sleep(0.2)
        timings = {"listening": time.perf_counter() - t_start}
        yield f"http://127.0.0.1:{port}/", procs, log, timings
        print("Voila app:", {k: f"{v:.2f} s" for k, v in timings.items()})
    finally:
        procs.record()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        left = procs.stop()
        assert not left, f"processes still running after the app test: {left}"


@pytest.fixture
def chromium_page(tmp_path):
    """A page of headless Chromium that may load only from 127.0.0.1 (the page's template also names
    a web font on a CDN: icons only)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium"), executable_path=CHROMIUM, headless=True,
            viewport={"width": 1300, "height": 900},
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"])
        try:
            page = context.new_page()
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:"))
                       else route.abort())
            yield page
        finally:
            context.close()


def _assert_code_free_with_one_kernel(page, lesson, procs):
    """The page shows the lesson's title but none of its code, no widget failed to display, and one
    kernel (with one BLAS thread) serves it."""
    body = page.locator("body").inner_text()
    title = lesson.cells[0].source.splitlines()[0].lstrip("# ")
    assert title in body, f"the lesson's title {title!r} is not in the page"
    first_code = next(c.source for c in lesson.cells if c.cell_type == "code")
    assert first_code.startswith("%matplotlib inline") and "%matplotlib inline" not in body, \
        "the app shows the lesson's code"
    assert page.locator(".jp-InputArea-editor, .CodeMirror, .cm-editor").count() == 0
    assert "Error displaying widget" not in body

    kernels = [pid for pid in procs.record().alive()
               if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(kernels) == 1, f"one kernel for the one page expected, found {len(kernels)}"
    environ = Path(f"/proc/{kernels[0]}/environ").read_bytes().split(b"\0")
    assert b"OPENBLAS_NUM_THREADS=1" in environ, "the app's kernel does not have one BLAS thread"


@pytest.mark.workshop
def test_a_lesson_as_a_voila_app_shows_no_code_and_its_slider_redraws_the_figure(app, chromium_page):
    """`python -m course app 00` in headless Chromium: the page shows the lesson's text and live
    figures but no code, its kernel has one BLAS thread, and moving a slider with the keyboard changes
    the figure's image."""
    url, procs, log, timings = app
    page = chromium_page
    lesson = nbformat.read(ROOT / "lessons" / "00-getting-started.ipynb", as_version=4)
    t_open = time.perf_counter()
    page.goto(url)
    figure = page.locator("img.live-figure").first
    page.wait_for_function("() => { const i = document.querySelector('img.live-figure');"
                           "        return i && i.src; }", timeout=90_000)
    timings["first figure"] = time.perf_counter() - t_open

    _assert_code_free_with_one_kernel(page, lesson, procs)

    handle = figure.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]").locator(
        ".noUi-handle").first
    handle.scroll_into_view_if_needed()
    before = figure.get_attribute("src")
    handle.focus()
    t0 = time.perf_counter()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, old]) => el.src && el.src !== old",
                           arg=[figure.element_handle(), before], timeout=5_000, polling="raf")
    timings["slider -> new image"] = time.perf_counter() - t0

    page.wait_for_function("(n) => document.querySelectorAll('img.live-figure').length >= n",
                           arg=_live_figures(lesson), timeout=60_000)
    timings["every live figure"] = time.perf_counter() - t_open
    text = log.read_text(errors="replace")        # now: closing the page before the end logs a traceback
    assert "Traceback" not in text, f"the app logged an error:\n{text[-3000:]}"


APP_FPS = 5                    # frames per second at least while playing (JupyterLab's test asks 10: the
                               # Voila page also runs this test's Chromium on the same 2 cores)


@pytest.mark.workshop
@pytest.mark.parametrize("app", ["09"], indirect=True)
def test_the_capstone_playground_as_a_voila_app_plays_and_pauses(app, chromium_page):
    """`python -m course app 09`: once the whole lesson has run (its last cell is the second
    playground), the first playground's play button animates training and pause stops it, judged as
    tests/test_browser_playground.py judges it in JupyterLab (its _play: at least APP_FPS pictures per
    second, one epoch per picture, none after the pause)."""
    try:                                   # tests/ is on sys.path under pytest's default import mode
        import test_browser_playground as tbp
    except ImportError:                    # pragma: no cover
        from tests import test_browser_playground as tbp
    url, procs, log, timings = app
    page = chromium_page
    lesson = nbformat.read(ROOT / "lessons" / "09-playground.ipynb", as_version=4)
    shown = sum(c.source.count("widgets.playground(") for c in lesson.cells if c.cell_type == "code")
    t_open = time.perf_counter()
    page.goto(url)
    page.wait_for_function("(n) => [...document.querySelectorAll('.playground img.playground-frame')]"
                           "          .filter(i => i.src).length >= n", arg=shown, timeout=180_000)
    timings["every playground"] = time.perf_counter() - t_open
    _assert_code_free_with_one_kernel(page, lesson, procs)

    root = tbp._root(page, 0)
    play = tbp._button(root, "play / pause")
    assert (play.inner_text().strip(), tbp._epoch(root)) == ("play", 0), \
        f"the playground opened as {play.inner_text()!r} at epoch {tbp._epoch(root)}; 'play' at 0 expected"
    tbp._watch(page, root)
    tbp._play(page, root, "Voila app 09, default network", APP_FPS)
    assert tbp._epoch(root) > 0, "the epoch counter stayed at 0 while playing"
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, f"the app logged an error:\n{text[-3000:]}"
