import pytest

import nnlib as nn


@pytest.fixture
def rng():
    return nn.make_rng(1234)


def pytest_terminal_summary(terminalreporter):
    import sys
    browser = sys.modules.get("test_browser")
    if browser is not None and browser.LATENCIES:
        terminalreporter.section("widget latency")
        for line in browser.latency_table():
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"screenshots in {browser.SHOTS}")
    playground = sys.modules.get("test_browser_playground")
    if playground is not None and playground.FPS:
        terminalreporter.section("playground speed")
        for line in playground.summary_lines():
            terminalreporter.write_line(line)
