import numpy as np
import pytest

import nnlib as nn


@pytest.fixture
def rng():
    return nn.make_rng(1234)


def mlp(sizes, rng, act=nn.Tanh, dtype=np.float64, init=None):
    """A small MLP: Dense layers of ``sizes`` with ``act`` between them."""
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Dense(a, b, init=init, rng=rng, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(act())
    return nn.Sequential(layers)


def pytest_terminal_summary(terminalreporter):
    import sys
    browser = sys.modules.get("test_browser")
    if browser is not None and browser.LATENCIES:
        terminalreporter.section("widget latency")
        for line in browser.latency_table():
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"screenshots in {browser.SHOTS}")
