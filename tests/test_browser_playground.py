"""Lesson 09's playground met the way a learner meets it: JupyterLab in headless Chromium.

Reuses tests/test_browser.py's JupyterLab (loopback, temporary root and settings), its Chromium
(Debian's /usr/bin/chromium through the playwright package) and its Run All. Writes its own small
notebook into the lab's temporary root through the server's contents API (never into the
repository), runs it, and asserts in the page:

* playing draws at least 10 frames per second with the default network (Config(): hidden layers of
  4 and 2 units) and at least 5 with 6 hidden layers of 8 units, restored by typing the configuration
  text and pressing "restore" (paste-back: a new picture, epoch 0); after a pause no frame comes, and
  the epoch counter advanced by one per frame;
* every kind of control reaches the kernel (the configuration box or the epoch shows it) and changes
  the picture within 1 s; the median from the input event in the page to the new picture is at most
  150 ms (the table also shows the time from playwright's call, which adds the driver's overhead);
* ``playground(hide=["noise", "features"])`` hides exactly those controls.

Frame rates and latencies are printed (run with -s); screenshots go to screenshots/ (git-ignored).
Skipped when Chromium is missing, unless NNLIB_REQUIRE_BROWSER=1. Run it alone with:
NNLIB_REQUIRE_BROWSER=1 python -m pytest -p no:nbval -o addopts="" tests/test_browser_playground.py -s
"""
import json
import re
import statistics
import time
import urllib.request
import warnings

import nbformat
import pytest

try:                                     # tests/ is on sys.path under pytest's default import mode
    import test_browser as tb
except ImportError:                      # pragma: no cover
    from tests import test_browser as tb

lab, browser = tb.lab, tb.browser        # its module-scoped fixtures: one JupyterLab, one Chromium here

pytestmark = pytest.mark.browser

NAME = "zz-playground.ipynb"             # into lessons/ of the lab's temporary root (where the tests open it)
SHOTS = tb.SHOTS
PLAY_SECONDS = 3.0
FPS_DEFAULT, FPS_BIG = 10, 5             # frames per second at least, while playing
BIG = "layers=8,8,8,8,8,8&features=x1,x2"
DEFAULT = "layers=4,2&features=x1,x2"   # Config()'s network, written out
CHANGE_TIMEOUT = 1_000                   # ms: a control must change the picture within this
MEDIAN_TARGET = 0.150                    # s: median input event -> new picture over the controls
QUIET_MS = 500                           # no frame may arrive this long after a pause is acknowledged
SETTLE_MS = 200                          # ... which is once no picture has come for this long
IN_FLIGHT = 2                            # frames sent before the kernel read the pause, shown after it
LATENCIES = []                           # (control, page s, driver s, note): printed by the controls test
FPS = []                                 # (network, frames per second): printed at the end by conftest.py


def _notebook():
    cells = [nbformat.v4.new_code_cell("%matplotlib inline\nfrom course import widgets"),   # as the lessons
             nbformat.v4.new_code_cell("app = widgets.playground()\napp"),
             nbformat.v4.new_code_cell('hidden = widgets.playground(hide=["noise", "features"])\nhidden')]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})


def _upload(url, token, path, nb):
    """Write ``nb`` into the lab's root (its temporary directory) through the contents API."""
    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"token {token}"}
    req = urllib.request.Request(f"{url}/api/contents/{path}", data=body, method="PUT", headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status in (200, 201), f"could not write {path} into the lab's root: HTTP {r.status}"


@pytest.fixture(scope="module")
def playground_page(lab, browser):
    """The notebook, run once with Run All; the tests below share its two playgrounds, in order."""
    url, token = lab
    nb = _notebook()
    _upload(url, token, f"lessons/{NAME}", nb)
    page = browser.new_page()
    page.set_default_timeout(60_000)
    try:
        original = tb._source
        with pytest.MonkeyPatch.context() as mp:      # tb._run_all counts the code cells of its notebook
            mp.setattr(tb, "_source", lambda name: nb if name == NAME else original(name))
            tb._open(page, url, token, f"lessons/{NAME}")
            tb._run_all(page, NAME)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, "error or warning output:\n" + "\n".join(errors.all_inner_texts())
        try:
            page.wait_for_function("""() => {
                const i = document.querySelectorAll('.playground img.playground-frame');
                return i.length === 2 && [...i].every(e => e.src); }""", timeout=30_000)
        except Exception:
            SHOTS.mkdir(exist_ok=True)
            shot = SHOTS / "lesson09-playground-failure.png"
            page.screenshot(path=str(shot), full_page=True)
            body = page.locator(".jp-Notebook").first.inner_text()
            pytest.fail(f"the two playgrounds' pictures (.playground img.playground-frame) did not appear "
                        f"within 30 s ({page.locator('img.playground-frame').count()} in the page); the "
                        f"notebook ends with {body[-600:]!r}; screenshot in {shot}")
        yield page
    finally:
        page.close()


# ---- the page ---------------------------------------------------------------------------------------

def _root(page, i):
    return page.locator(".playground").nth(i)


def _frame(root):
    return root.locator("img.playground-frame")


def _status(root):
    return root.locator(".playground-status")


def _epoch(root):
    return int(_status(root).locator(".pg-epoch").inner_text())


def _button(root, title):
    return root.locator(f"button[title='{title}']")


def _config_text(root):
    return root.locator(".playground-config textarea")


def _watch(page, root):
    """In the page: count every change of the picture's src (a MutationObserver: window.__pgFrames),
    note when the last one happened (__pgFrameAt), and when the first input event since _arm() reached
    the playground (__pgActionAt: pointerdown, keydown, input or change, captured on its root). Keep the
    last changes of the picture, the status's epoch and the play button's label in order (__pgLog), to
    show in a failure."""
    page.evaluate("""([root, img, status, play]) => {
        for (const o of window.__pgObservers || []) o.disconnect();
        window.__pgFrames = 0; window.__pgFrameAt = null; window.__pgActionAt = null; window.__pgLog = [];
        const t0 = performance.now();
        const log = (what) => { window.__pgLog.push(`${(performance.now() - t0).toFixed(0)} ms ${what}`);
                                if (window.__pgLog.length > 16) window.__pgLog.shift(); };
        const frames = new MutationObserver(ms => { for (const m of ms) if (m.attributeName === 'src') {
            window.__pgFrames++; window.__pgFrameAt = performance.now(); log(`picture ${window.__pgFrames}`);
        } });
        frames.observe(img, {attributes: true, attributeFilter: ['src']});
        const epoch = new MutationObserver(() =>
            log(`status epoch ${status.querySelector('.pg-epoch')?.textContent}`));
        epoch.observe(status, {subtree: true, childList: true, characterData: true});
        const label = new MutationObserver(() => log(`button '${play.textContent.trim()}'`));
        label.observe(play, {subtree: true, childList: true, characterData: true});
        window.__pgObservers = [frames, epoch, label];
        if (!root.__pgListening) {
            root.__pgListening = true;
            for (const type of ['pointerdown', 'keydown', 'input', 'change'])
                root.addEventListener(type, () => {
                    if (window.__pgActionAt === null) window.__pgActionAt = performance.now(); }, true);
        } }""", [root.element_handle(), _frame(root).element_handle(), _status(root).element_handle(),
              _button(root, "play / pause").element_handle()])


def _log(page):
    return "; ".join(page.evaluate("() => window.__pgLog"))


def _arm(page):
    page.evaluate("() => { window.__pgActionAt = null; }")


def _page_latency(page):
    """Seconds from the first input event since _arm() to the last change of the picture, in the page."""
    action, frame = page.evaluate("() => [window.__pgActionAt, window.__pgFrameAt]")
    return None if action is None or frame is None or frame < action else (frame - action) / 1000


def _frames(page):
    return page.evaluate("() => window.__pgFrames")


def _counts(page, root):
    """(pictures seen since _watch(), the epoch in the status), read at one moment."""
    return tuple(page.evaluate("(el) => [window.__pgFrames, +el.querySelector('.pg-epoch').textContent]",
                               _status(root).element_handle()))


def _wait_epoch(page, root, want, timeout=CHANGE_TIMEOUT):
    page.wait_for_function("([el, want]) => el.querySelector('.pg-epoch')?.textContent.trim() === want",
                           arg=[_status(root).element_handle(), str(want)], timeout=timeout)


def _wait_config(page, root, pair, timeout=CHANGE_TIMEOUT):
    """Wait until the configuration box (the kernel writes it) holds ``pair``, e.g. "lr=0.1"."""
    page.wait_for_function("([el, s]) => el.value.split('&').includes(s)",
                           arg=[_config_text(root).element_handle(), pair], timeout=timeout)


def _wait_new_picture(page, img, before, timeout=CHANGE_TIMEOUT):
    page.wait_for_function("([el, old]) => el.src && el.src !== old", arg=[img.element_handle(), before],
                           timeout=timeout, polling="raf")


def _wait_label(page, button, text, timeout=5_000):
    page.wait_for_function("([el, t]) => el.textContent.trim() === t", arg=[button.element_handle(), text],
                           timeout=timeout)


def _pause(page, root):
    play = _button(root, "play / pause")
    if play.inner_text().strip() == "pause":
        play.click()
        _wait_label(page, play, "play")


def _play(page, root, label, minimum, shot=None):
    """Play for PLAY_SECONDS (the screenshot ``shot`` after that, still playing), pause, and assert:
    at least ``minimum`` frames per second, no frame after the pause, one epoch per frame."""
    play = _button(root, "play / pause")
    n0, epoch0 = _counts(page, root)
    play.click()
    try:
        _wait_label(page, play, "pause")
    except Exception:
        pytest.fail(f"{label}: the play button did not turn into 'pause' within 5 s of clicking it "
                    f"(the kernel did not acknowledge play)")
    n, ms = page.evaluate("""async (ms) => { const n = window.__pgFrames, t = performance.now();
                                             await new Promise(r => setTimeout(r, ms));
                                             return [window.__pgFrames - n, performance.now() - t]; }""",
                          PLAY_SECONDS * 1000)
    fps = n / (ms / 1000)
    if shot is not None:
        root.screenshot(path=str(shot))
        print(f"\nscreenshot: {shot}")
    play.click()
    try:
        _wait_label(page, play, "play")
    except Exception:
        pytest.fail(f"{label}: the pause button did not turn back into 'play' within 5 s of clicking it "
                    f"(the kernel did not acknowledge pause); {fps:.1f} fps while playing")
    # The page sometimes shows the button's 'play' before the last frames' pictures or statuses: each
    # widget's updates are applied in order, but one widget's may overtake another's (seen here: the
    # label, then one more frame the kernel had sent before it read the pause). So the pause counts as
    # acknowledged once the picture has caught up with the epoch in the status (one frame per epoch) and
    # no picture has come for SETTLE_MS (playing draws one every 50 ms); at most IN_FLIGHT frames may
    # come between the label and that moment, and none after it.
    seen_at_label, epoch_at_label = (c - c0 for c, c0 in zip(_counts(page, root), (n0, epoch0)))
    try:
        page.wait_for_function("""([el, e0, n0, settle]) => window.__pgFrames - n0 ===
                                      +el.querySelector('.pg-epoch').textContent - e0
                                      && performance.now() - window.__pgFrameAt >= settle""",
                               arg=[_status(root).element_handle(), epoch0, n0, SETTLE_MS],
                               timeout=CHANGE_TIMEOUT)
    except Exception:
        pytest.fail(f"{label}: {CHANGE_TIMEOUT} ms after the pause the page had applied {_frames(page) - n0} "
                    f"frames while the status counts {_epoch(root) - epoch0} epochs since play, or pictures "
                    f"kept coming; the page saw: {_log(page)}")
    n_ack, epoch_ack = _counts(page, root)
    try:                                               # no frame may come now: this wait must time out
        page.wait_for_function("(n) => window.__pgFrames > n", arg=n_ack, timeout=QUIET_MS)
    except Exception:
        pass
    n_end, epoch_end = _counts(page, root)
    late, late_epochs, total, epochs = n_end - n_ack, epoch_end - epoch_ack, n_end - n0, epoch_end - epoch0
    print(f"\n{label}: {n} frames in {ms / 1000:.2f} s = {fps:.1f} fps; {total} frames and {epochs} epochs "
          f"from play to pause ({seen_at_label} frames and {epoch_at_label} epochs in the page when the "
          f"button said 'play'); {late} frames and {late_epochs} epochs in the {QUIET_MS} ms after")
    FPS.append((label, fps))
    assert n > 0, f"{label}: playing drew no frame in {PLAY_SECONDS:g} s (the kernel's play loop did not run)"
    assert fps >= minimum, (f"{label}: {fps:.1f} fps while playing ({n} frames in {ms / 1000:.2f} s), "
                            f"{minimum} expected at least")
    in_flight = n_ack - n0 - seen_at_label
    assert in_flight <= IN_FLIGHT, (
        f"{label}: {in_flight} frames came after the button said 'play' (at most {IN_FLIGHT} the kernel "
        f"had sent before it read the pause); the page saw: {_log(page)}")
    assert late == 0 and late_epochs == 0, (
        f"{label}: {late} frames and {late_epochs} epochs came within {QUIET_MS} ms after the pause was "
        f"acknowledged (button 'play', picture caught up with the status, {SETTLE_MS} ms without a "
        f"picture); the page saw: {_log(page)}")
    assert epochs == total, f"{label}: the epoch counter advanced by {epochs} for {total} frames"
    return fps


# ---- the tests ----------------------------------------------------------------------------------------

def test_the_playground_plays_fast_enough_and_restores_a_pasted_configuration(playground_page):
    page = playground_page
    root = _root(page, 0)
    img = _frame(root)
    SHOTS.mkdir(exist_ok=True)
    shot = SHOTS / "lesson09-playground-default.png"
    root.screenshot(path=str(shot))
    print(f"\nscreenshot: {shot}")
    _watch(page, root)
    fps = _play(page, root, "default network (hidden layers 4, 2)", FPS_DEFAULT)

    assert _epoch(root) > 0
    before = img.get_attribute("src")
    _config_text(root).fill(BIG)                       # paste a configuration back: 6 layers of 8 units
    t0 = time.perf_counter()
    _button(root, "apply the text above").click()
    try:
        _wait_new_picture(page, img, before, timeout=5_000)
    except Exception:
        pytest.fail(f"restoring {BIG!r} (typed into the configuration box) did not change the picture "
                    f"in 5 s; message: {root.locator('.playground-message').inner_text()!r}")
    restore_s = time.perf_counter() - t0
    try:
        _wait_epoch(page, root, 0, timeout=2_000)
    except Exception:
        pytest.fail(f"after restoring {BIG!r} the status shows epoch {_epoch(root)}, 0 expected")
    _wait_config(page, root, "layers=8,8,8,8,8,8", timeout=2_000)
    print(f"\nrestore {BIG!r}: new picture after {restore_s * 1000:.0f} ms, epoch 0")

    shot = SHOTS / "lesson09-playground-6x8-playing.png"
    _play(page, root, f"6 hidden layers of 8 units (default network: {fps:.1f} fps)", FPS_BIG, shot=shot)


def test_every_kind_of_control_changes_the_picture(playground_page):
    page = playground_page
    root = _root(page, 0)
    img = _frame(root)
    _pause(page, root)                                 # from whatever the test before left
    _config_text(root).fill(DEFAULT)                   # back to the default network, epoch 0
    _button(root, "apply the text above").click()
    _wait_config(page, root, "layers=4,2", timeout=5_000)
    _button(root, "a new network, epoch 0").click()
    _wait_epoch(page, root, 0, timeout=5_000)

    def click(title):
        return lambda: _button(root, title).click()

    def key(label, k):
        def press():
            root.locator(".widget-hslider", has_text=label).locator(".noUi-handle").focus()
            page.keyboard.press(k)
        return press

    def choose(label, option):
        select = root.locator(".widget-dropdown", has=page.locator("label", has_text=label)).locator("select")
        return lambda: select.select_option(label=option)

    def check(label):
        box = root.locator(".widget-checkbox", has_text=label).locator("input[type='checkbox']")
        return lambda: box.check()

    def toggle(label, within="button"):
        return lambda: root.locator(within, has_text=re.compile(f"^{re.escape(label)}$")).click()

    # (control, action, what the kernel then shows: ("epoch", n) or a pair of the configuration box,
    #  whether the picture must change: every control does; the learning rate shows in its settings line)
    controls = [
        ("step (button)", click("train one epoch"), ("epoch", 1), True),
        ("learning rate 0.1 (dropdown, no reset)", choose("learning rate", "0.1"), ("config", "lr=0.1"),
         True),
        ("reset (button)", click("a new network, epoch 0"), ("epoch", 0), True),
        ("noise 5 % (slider, keyboard)", key("noise %", "ArrowRight"), ("config", "noise=5"), True),
        ("activation ReLU (dropdown)", choose("activation", "ReLU"), ("config", "activation=relu"), True),
        ("data set spiral (toggle buttons)", toggle("spiral", ".widget-toggle-buttons button"),
         ("config", "dataset=spiral"), True),
        ("feature x1² (toggle button)", toggle("x₁²"), ("config", "features=x1,x2,x1^2"), True),
        ("hidden layer + (button)", click("add a hidden layer"), ("config", "layers=4,2,2"), True),
        ("unit + in layer 1 (button)", click("add a unit to layer 1"), ("config", "layers=5,2,2"), True),
        ("discretize output (checkbox)", check("discretize output"), ("config", "discretize=true"), True),
        ("show test data (checkbox)", check("show test data"), ("config", "show_test=true"), True),
        ("step again (button)", click("train one epoch"), ("epoch", 1), True),
        ("new data (button)", click("regenerate the data"), ("config", "seed=1"), True),
    ]
    _watch(page, root)
    LATENCIES.clear()
    failures, unchanged = [], []
    for name, action, (kind, want), must_change in controls:
        epoch_before = _epoch(root)
        before = img.get_attribute("src")
        _arm(page)
        t0 = time.perf_counter()
        action()
        try:
            _wait_new_picture(page, img, before)
            driver, changed = time.perf_counter() - t0, True
        except Exception:
            driver, changed = None, False
        in_page = _page_latency(page) if changed else None
        try:                                           # what the kernel then shows (sent before the picture)
            (_wait_epoch if kind == "epoch" else _wait_config)(page, root, want)
            reached = f"{kind} {want}"
        except Exception:
            reached = None
            failures.append(f"{name}: the kernel's state did not show {kind} {want!r} (configuration box: "
                            f"{_config_text(root).input_value()!r}, epoch {_epoch(root)})")
        if not changed:
            (failures if must_change else unchanged).append(
                f"{name}: the picture did not change within {CHANGE_TIMEOUT} ms"
                + (f" (the kernel did receive it: {reached})" if reached else ""))
        elif in_page is None:
            failures.append(f"{name}: the picture changed but no input event reached the playground's root")
        if name.startswith("learning rate") and _epoch(root) != epoch_before:
            failures.append(f"{name}: the epoch went from {epoch_before} to {_epoch(root)}; changing the "
                            f"learning rate must not reset the network")
        note = "" if changed else "picture unchanged" + (f"; kernel shows {reached}" if reached else "")
        LATENCIES.append((name, in_page, driver, note))

    pages = [s for _, s, _, _ in LATENCIES if s is not None]
    drivers = [s for _, _, s, _ in LATENCIES if s is not None]
    median = statistics.median(pages) if pages else float("inf")
    median_driver = statistics.median(drivers) if drivers else float("inf")
    print(f"\ncontrol -> new picture in the browser (each within {CHANGE_TIMEOUT} ms; median of 'page' "
          f"<= {MEDIAN_TARGET * 1000:.0f} ms)\n'page': from the input event in the page to the new src; "
          f"'driver': from playwright's call to the new src seen by playwright")
    print(f"{'control':<42} {'page ms':>8} {'driver ms':>10}  note")
    for name, p, d, note in LATENCIES:
        print(f"{name:<42} {_ms(p):>8} {_ms(d):>10}  {note}")
    print(f"{f'median over {len(pages)} picture changes':<42} {_ms(median):>8} {_ms(median_driver):>10}  "
          f"{'met' if median <= MEDIAN_TARGET else 'MISSED'}")
    for u in unchanged:
        warnings.warn(UserWarning(f"playground: {u}"), stacklevel=1)
    assert not failures, "controls that did not work in the browser:\n" + "\n".join(failures)
    assert median <= MEDIAN_TARGET, (
        f"median input event -> new picture {median * 1000:.0f} ms, {MEDIAN_TARGET * 1000:.0f} ms expected "
        f"at most: " + ", ".join(f"{n} {_ms(p)}" for n, p, _, _ in LATENCIES if p is not None))


def summary_lines():
    """The frame rates and the control latencies, for the end of the run (tests/conftest.py)."""
    lines = [f"playground frames per second while playing (at least {FPS_DEFAULT} default, "
             f"{FPS_BIG} at 6 x 8):"]
    lines += [f"  {label}: {fps:.1f} fps" for label, fps in FPS]
    pages = [p for _, p, _, _ in LATENCIES if p is not None]
    if pages:
        lines.append(f"playground control -> new picture, median of {len(pages)} controls: "
                     f"{statistics.median(pages) * 1000:.0f} ms in the page "
                     f"(target <= {MEDIAN_TARGET * 1000:.0f})")
    return lines


def _ms(seconds):
    return "-" if seconds is None or seconds == float("inf") else f"{seconds * 1000:.0f}"


def test_an_instructor_hides_controls(playground_page):
    from course.computations.lesson09 import FEATURE_LABELS
    page = playground_page
    shown, hidden = _root(page, 0), _root(page, 1)

    def named(root):                                   # what hide=["noise", "features"] names
        buttons = {f"feature button {label}":
                   root.locator("button", has_text=re.compile(f"^{re.escape(label)}$"))
                   for label in FEATURE_LABELS.values()}
        return {"noise slider": root.locator(".widget-hslider", has_text="noise %"), **buttons}

    def others(root):
        return {"play": _button(root, "play / pause"), "step": _button(root, "train one epoch"),
                "training % slider": root.locator(".widget-hslider", has_text="training %"),
                "batch size slider": root.locator(".widget-hslider", has_text="batch size"),
                "data set buttons": root.locator(".widget-toggle-buttons"),
                "hidden layer +": _button(root, "add a hidden layer"),
                "activation": root.locator(".widget-dropdown", has_text="activation"),
                "configuration box": _config_text(root), "picture": _frame(root)}

    problems = []
    for what, loc in named(hidden).items():
        if loc.count() != 1:
            problems.append(f"hide=['noise', 'features']: {loc.count()} elements for the {what}, 1 expected")
        elif loc.is_visible():
            problems.append(f"hide=['noise', 'features']: the {what} is visible")
    must_show = {**{f"{k} (hiding playground)": v for k, v in others(hidden).items()},
                 **{f"{k} (first playground)": v for k, v in named(shown).items()}}
    for what, loc in must_show.items():
        if loc.count() != 1 or not loc.is_visible():
            problems.append(f"the {what} is not visible ({loc.count()} found)")
    text = _config_text(hidden).input_value()
    assert "hide=noise,features" in text.split("&"), f"the hiding playground's configuration box: {text!r}"
    assert not problems, "\n".join(problems)
    SHOTS.mkdir(exist_ok=True)
    shot = SHOTS / "lesson09-playground-hidden-controls.png"
    hidden.screenshot(path=str(shot))
    print(f"\nscreenshot: {shot}")
