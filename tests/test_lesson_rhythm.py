"""The lesson contract's rhythm targets (../shared/COURSE.md, measured as in the style comparison):
per lesson, code cells median <= 5 non-blank lines and 90th percentile <= 12, markdown cells median
<= 70 words, no code line over 100 characters, and most code cells introduced by a lead-in ending ":"."""
import math
import statistics
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))


def rhythm(path):
    """The measurements of one notebook, as a dict."""
    cells = nbformat.read(path, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    lines = sorted(sum(1 for ln in c.source.splitlines() if ln.strip()) for c in code)
    words = [len(c.source.split()) for c in cells if c.cell_type == "markdown"]
    lead_ins = sum(1 for before, c in zip(cells, cells[1:])
                   if c.cell_type == "code" and before.cell_type == "markdown"
                   and before.source.strip().endswith(":"))
    long_lines = [(i, ln) for i, c in enumerate(cells) if c.cell_type == "code"
                  for ln in c.source.splitlines() if len(ln) > 100]
    return {"code_median": statistics.median(lines),
            "code_p90": lines[math.ceil(0.9 * len(lines)) - 1],
            "md_median": statistics.median(words),
            "lead_in_share": lead_ins / len(code),
            "long_lines": long_lines}


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_meets_the_rhythm_targets(path):
    r = rhythm(path)
    problems = []
    if r["code_median"] > 5:
        problems.append(f"code cells have a median of {r['code_median']} lines (target <= 5)")
    if r["code_p90"] > 12:
        problems.append(f"code cells have a 90th percentile of {r['code_p90']} lines (target <= 12)")
    if r["md_median"] > 70:
        problems.append(f"markdown cells have a median of {r['md_median']} words (target <= 70)")
    if r["lead_in_share"] < 0.7:
        problems.append(f"only {r['lead_in_share']:.0%} of code cells follow a lead-in ending ':' "
                        "(target >= 70%)")
    if r["long_lines"]:
        cell, line = r["long_lines"][0]
        problems.append(f"{len(r['long_lines'])} code lines over 100 characters, e.g. cell {cell}: "
                        f"{line[:60]}...")
    assert not problems, f"{path.name}: " + "; ".join(problems)
