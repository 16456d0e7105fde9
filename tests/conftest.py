import sys

import pytest

import nnlib as nn

_WORKER_LINES = pytest.StashKey[list]()     # the tables the xdist workers measured


@pytest.fixture
def rng():
    return nn.make_rng(1234)


def _speed_summary():
    """The browser tests' latency and frame-rate tables, from the modules that measured them."""
    lines = []
    browser = sys.modules.get("test_browser")
    if browser is not None and browser.LATENCIES:
        lines += [("section", "widget latency"), *[("line", s) for s in browser.latency_table()],
                  ("line", f"screenshots in {browser.SHOTS}")]
    playground = sys.modules.get("test_browser_playground")
    if playground is not None and playground.FPS:
        lines += [("section", "playground speed"), *[("line", s) for s in playground.summary_lines()]]
    return lines


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)    # set in a pytest-xdist worker
    if workeroutput is not None:
        workeroutput["nnlib_speed_summary"] = _speed_summary()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist: a worker finished; keep the tables it measured for the summary."""
    node.config.stash.setdefault(_WORKER_LINES, []).extend(node.workeroutput.get("nnlib_speed_summary", []))


def pytest_terminal_summary(terminalreporter, config):
    for kind, text in config.stash.get(_WORKER_LINES, []) + _speed_summary():
        if kind == "section":
            terminalreporter.section(text)
        else:
            terminalreporter.write_line(text)
