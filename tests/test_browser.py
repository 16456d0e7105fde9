"""Every lesson's widgets, met the way a learner meets them: JupyterLab in headless Chromium.

nbval cannot see widgets (it skips widget views and images). This test starts its own
JupyterLab on 127.0.0.1 and opens a copy of each lesson as shipped (stored outputs, no
saved widget state): before anything runs, every live figure must show its first frame
as an image. Then, in the same page, it clears all outputs, runs all cells, and asserts:
no error or stderr output, every live figure rendered, and for every live figure, moving
its first slider with the keyboard changes the image within a second. It records the
round trip (key press -> new image in the page) and prints a latency table;
screenshots go to screenshots/ (git-ignored).

Needs Debian's chromium at /usr/bin/chromium (or $CHROMIUM) and the playwright
package; never `playwright install`. Skipped when Chromium is missing, unless
NNLIB_REQUIRE_BROWSER=1 (set by .ci/run), which turns the skip into a failure.
Run it alone with: python -m pytest -m browser
"""
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True, "windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}
PRESSES = 5          # slider moves per live figure (latency samples)
LATENCY_TARGET = 0.3  # seconds, median round trip
LATENCIES = []

pytestmark = pytest.mark.browser


def _require_browser():
    missing = []
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -r requirements.txt)")
    if missing:
        msg = "browser test needs " + " and ".join(missing)
        if os.environ.get("NNLIB_REQUIRE_BROWSER") == "1":
            pytest.fail(msg)
        pytest.skip(msg)


BROKEN = "zz-broken-callback.ipynb"
NO_IMAGE = "zz-no-first-frame.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _broken_notebook():
    """A lesson-like notebook whose live figure draws once, then its callback raises."""
    cells = [nbformat.v4.new_code_cell("%matplotlib inline\nfrom course import widgets"),
             nbformat.v4.new_code_cell("fig = widgets.neuron_explorer()\n"
                                       "def broken(**values):\n    raise RuntimeError('broken callback')\n"
                                       "fig.draw = broken\nfig")]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    _require_browser()
    tmp = Path(tempfile.mkdtemp(prefix="nnlib-labtest-"))
    root, home = tmp / "root", tmp / "home"
    (root / "lessons").mkdir(parents=True)
    nbformat.write(_broken_notebook(), root / "lessons" / BROKEN)
    (root / "stored").mkdir()
    for nb in LESSONS:                 # as shipped: stored outputs, no saved widget state
        stored = nbformat.read(nb, as_version=4)
        stored.metadata.pop("widgets", None)
        nbformat.write(stored, root / "stored" / nb.name)
    without = nbformat.read(LESSONS[0], as_version=4)   # the same, with the first frames taken out
    for c in without.cells:
        for o in c.get("outputs", []):
            if WIDGET_VIEW in o.get("data", {}):
                del o["data"]["image/png"]
    without.metadata.pop("widgets", None)
    nbformat.write(without, root / "stored" / NO_IMAGE)
    for plugin, values in LAB_SETTINGS.items():
        f = home / "settings" / f"{plugin}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), NNLIB_PROGRESS="off")
    token = os.urandom(16).hex()
    port = _free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1", f"--port={port}",
           f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate"]
    log_path = tmp / "lab.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            if proc.poll() is not None:
                raise RuntimeError("JupyterLab exited:\n" + log_path.read_text())
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterLab did not start in 60 s:\n" + log_path.read_text())
        yield url, token
    finally:
        proc.terminate()  # our own process id only; the server shuts its kernels down
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright
    profile = tempfile.mkdtemp(prefix="nnlib-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True,
                                                       args=ARGS, viewport={"width": 1400, "height": 1000})
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def _run_all(page, name):
    """Run All Cells in the open notebook (its outputs cleared) and wait until every cell has run."""
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    try:  # a kernel picker may still appear: take the preselected kernel
        accept.wait_for(timeout=3_000)
        accept.click()
    except Exception:
        pass
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=60_000)
    started = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                       .some(e => /\\[[\\d*]+\\]/.test(e.textContent))"""
    for _ in range(3):
        # Run All from the menu. Seen once in a full run here: the click landed while the freshly
        # opened notebook was not ready, and nothing ran. Click again while no cell has started
        # (a prompt [*] or [n]); a notebook whose cells do start is never run twice.
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(started, timeout=20_000)
            break
        except Exception:
            page.keyboard.press("Escape")             # close a menu left open
    n_code = sum(c.cell_type == "code" for c in _source(name).cells)
    try:
        page.wait_for_function(
            """(n) => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                        return p.length === n && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }""",
            arg=n_code, timeout=180_000, polling=100)
    except Exception as exc:                          # say which cells never finished
        prompts = page.evaluate("""() => [...document.querySelectorAll('.jp-CodeCell')].map(c =>
            (c.querySelector('.jp-InputPrompt')?.textContent || '?') + ' ' +
            (c.querySelector('.jp-InputArea-editor')?.textContent || '').slice(0, 50))""")
        pending = [p for p in prompts if not re.match(r"\[\d+\]", p)]
        raise AssertionError(f"{name}: Run All did not finish within 180 s; {len(prompts)} of {n_code} code "
                             f"cells in the page, not run: {pending[:5]}") from exc
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=60_000)


def _source(name):
    return _broken_notebook() if name == BROKEN else nbformat.read(ROOT / "lessons" / name, as_version=4)


WIDGET_CALL = re.compile(r"(?<![.\w])widgets\.(?!lesson)\w+\(")   # widgets.name(...) builders


def _expected_widgets(name):
    return sum(len(WIDGET_CALL.findall(c.source)) for c in _source(name).cells if c.cell_type == "code")


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_a_lesson_shows_its_figures_when_opened_and_they_respond_once_run(lab, browser, lesson):
    """A learner opening a lesson for the first time sees its stored outputs before any cell runs (the
    notebook is not trusted yet, so no widget renders): each live figure must show its first frame, not
    the widget's text form. Then the learner clears the outputs and runs every cell: each live figure
    must render and redraw when its first slider moves."""
    _exercise_lesson(lab, browser, lesson)


def test_a_live_figure_stored_without_its_first_frame_is_caught(lab, browser):
    """The first-open check fails on lesson 00 with the PNGs taken out of its widget outputs."""
    url, token = lab
    page = browser.new_page()
    try:
        _open(page, url, token, f"stored/{NO_IMAGE}")
        with pytest.raises(pytest.fail.Exception, match="show no image"):
            _check_first_frames(page, LESSONS[0])
    finally:
        page.close()
        _shut_down_kernels(url, token)


def _open(page, url, token, path):
    page.goto(f"{url}/lab/tree/{path}?reset&token={token}")
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for()


def _check_first_frames(page, source):
    """In a notebook just opened from its stored outputs: every live figure shows an image."""
    cells = nbformat.read(source, as_version=4).cells
    stem = Path(source).stem
    live = [i for i, c in enumerate(cells) if c.cell_type == "code" and WIDGET_CALL.search(c.source)]
    assert live, f"{stem} has no live figure"
    page.locator(".jp-Notebook .jp-Cell").nth(len(cells) - 1).wait_for(state="attached")
    missing = []
    for i in live:
        out = page.locator(".jp-Notebook .jp-Cell").nth(i).locator(".jp-OutputArea-output")
        if out.locator("img").count() == 0 or "VBox(" in " ".join(out.all_inner_texts()):
            missing.append(i)
    if missing:
        SHOTS.mkdir(exist_ok=True)
        shot = SHOTS / f"{stem}-first-open-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        pytest.fail(f"{stem}: opened before running, the live figures of cells {missing} show no "
                    f"image; screenshot in {shot}")


def _clear_outputs(page):
    """Edit > Clear Outputs of All Cells, as a learner would before running a lesson afresh."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Edit").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Clear Outputs of All Cells").first.click()
    page.wait_for_function("""() => !document.querySelector('.jp-Notebook .jp-OutputArea-output') &&
        ![...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
            .some(e => /\\d/.test(e.textContent))""", timeout=10_000)


def test_a_broken_callback_is_caught(lab, browser):
    """The same procedure fails on a figure whose callback raises: the test can fail."""
    with pytest.raises(pytest.fail.Exception, match="did not change within 1 s"):
        _exercise_lesson(lab, browser, Path(BROKEN), record=False)


def _exercise_lesson(lab, browser, lesson, record=True):
    url, token = lab
    page = browser.new_page()
    page.set_default_timeout(60_000)
    try:
        if lesson.name == BROKEN:                     # made without outputs: nothing to see before running
            _open(page, url, token, f"lessons/{BROKEN}")
        else:
            _open(page, url, token, f"stored/{lesson.name}")
            _check_first_frames(page, lesson)
            _clear_outputs(page)
        _run_all(page, lesson.name)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, "error or warning output:\n" + "\n".join(errors.all_inner_texts())
        body = page.locator(".jp-Notebook").first.inner_text()
        assert "Error displaying widget" not in body and "Loading widget..." not in body
        figures = page.locator("img.live-figure")
        expected = _expected_widgets(lesson.name)
        try:
            page.wait_for_function("(n) => document.querySelectorAll('img.live-figure').length >= n",
                                   arg=expected, timeout=30_000)
        except Exception:
            SHOTS.mkdir(exist_ok=True)
            shot = SHOTS / f"{lesson.stem}-failure.png"
            page.screenshot(path=str(shot), full_page=True)
            pytest.fail(f"{lesson.stem}: {figures.count()} of {expected} live figures appeared within 30 s "
                        f"({page.locator('.jupyter-widgets').count()} widget views in the page); "
                        f"screenshot in {shot}")
        assert figures.count() == expected, f"{figures.count()} live figures rendered, {expected} expected"
        SHOTS.mkdir(exist_ok=True)
        for i in range(expected):
            img = figures.nth(i)
            box = img.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
            handle = box.locator(".noUi-handle").first
            handle.scroll_into_view_if_needed()
            samples = []
            for k in range(PRESSES):
                before = img.get_attribute("src")
                handle.focus()
                t0 = time.perf_counter()
                page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
                try:
                    page.wait_for_function("([el, old]) => el.src && el.src !== old",
                                           arg=[img.element_handle(), before], timeout=1_000, polling="raf")
                except Exception:
                    pytest.fail(f"{lesson.stem}, live figure {i + 1}: the image did not change within 1 s "
                                f"of moving its first slider")
                samples.append(time.perf_counter() - t0)
            if record:
                LATENCIES.append((lesson.stem, i + 1, statistics.median(samples), max(samples)))
            shot = SHOTS / f"{lesson.stem}-widget{i + 1}.png"
            box.screenshot(path=str(shot))
            print(f"\nscreenshot: {shot}")
    finally:
        page.close()
        _shut_down_kernels(url, token)


def _shut_down_kernels(url, token):
    """Closing a page leaves its kernel running; shut every kernel down before the next lesson, as File >
    Close and Shut Down would (ten idle kernels would otherwise hold their memory until the end)."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels", headers=headers)) as r:
        kernels = json.load(r)
    for kernel in kernels:
        urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels/{kernel['id']}", headers=headers,
                                                      method="DELETE")).close()
    with urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels", headers=headers)) as r:
        assert json.load(r) == [], "a kernel was still running after it was shut down"


def latency_table():
    """The round-trip table (printed by tests/conftest.py at the end of the run)."""
    lines = [f"slider -> new image round trip in the browser (median of {PRESSES} moves; "
             f"target <= {LATENCY_TARGET * 1000:.0f} ms)",
             f"{'lesson':<28} {'figure':>6} {'median ms':>10} {'max ms':>8}  target"]
    for stem, i, med, mx in LATENCIES:
        lines.append(f"{stem:<28} {i:>6} {med * 1000:>10.0f} {mx * 1000:>8.0f}  "
                     f"{'met' if med <= LATENCY_TARGET else 'MISSED'}")
    return lines
