"""Every live figure's stored output carries its first frame as a PNG (what a reader sees before the
notebook runs, and on sites that render notebooks without a kernel); tests/test_browser.py checks
the same in JupyterLab."""
import base64
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
WIDGET_CALL = re.compile(r"(?<![.\w])widgets\.(?!lesson)\w+\(")
VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_live_figure_is_stored_with_a_png_of_its_first_frame(lesson):
    cells = nbformat.read(lesson, as_version=4).cells
    live = [(i, c) for i, c in enumerate(cells) if c.cell_type == "code" and WIDGET_CALL.search(c.source)]
    assert live, f"{lesson.stem} has no live figure"
    for i, cell in live:
        views = [o for o in cell.outputs if VIEW in o.get("data", {})]
        assert views, f"{lesson.stem} cell {i}: no stored widget output (re-execute the lesson)"
        for out in views:
            png = base64.b64decode(out["data"].get("image/png", ""))
            assert png.startswith(b"\x89PNG") and len(png) > 2000, (
                f"{lesson.stem} cell {i}: the live figure is stored without a PNG of its first frame")
            assert "VBox(" not in out["data"]["text/plain"]
