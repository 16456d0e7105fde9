"""Export a lesson's solution notebook as an nbgrader source assignment.

The course's solution markers are nbgrader's own (nbgrader replaces every line region from one
containing ``BEGIN SOLUTION`` to one containing ``END SOLUTION``), so the export only adds nbgrader's
cell metadata and turns each check into an autograded test:

- a code cell with a solution region becomes an answer cell ("solution"); its hint moves to a
  comment above the region, because nbgrader's stub replaces the whole region;
- a markdown cell with a solution region becomes a manually graded answer (``--manual-points``);
- a check cell ``check.name(name)`` becomes a locked, autograded test cell worth ``--points``
  that imports the checks afresh (a learner's own ``check`` does not count), prints the verdict
  and asserts it, so a failing test shows the checker's diagnosis as its message (printed, not
  returned: nbgrader would read a returned value as partial credit);
- the setup cell is locked; cells tagged ``solution-only`` are dropped; outputs are cleared.

The result goes to ``COURSE_DIR/source/lessonNN/NN-topic.ipynb`` (nbgrader's layout); then
``nbgrader generate_assignment lessonNN``, ``autograde`` and ``generate_feedback`` work as usual.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .build import BEGIN, END, BuildError

CHECK_CELL = re.compile(r"^\s*check\.(?P<name>\w+)\((?P=name)\)\s*$")
MD_BEGIN = "<!-- BEGIN SOLUTION -->"


def _meta(grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _move_hints(source, where):
    """Our BEGIN line carries the exercise and a hint; nbgrader's stub replaces the whole region, so
    the hint becomes a comment just above it (same indentation)."""
    out, inside, number = [], False, None
    for lineno, line in enumerate(source.splitlines(), 1):
        m = BEGIN.match(line)
        if m:
            if inside:
                raise BuildError(f"{where}, line {lineno}: BEGIN SOLUTION inside another solution block.")
            inside, number = True, m.group("number") or number
            indent = m.group("indent")
            if m.group("hint"):
                out.append(f"{indent}# Exercise {m.group('number') or '?'} hint: {m.group('hint')}")
            out.append(f"{indent}### BEGIN SOLUTION")
        elif END.match(line):
            if not inside:
                raise BuildError(f"{where}, line {lineno}: END SOLUTION without a BEGIN SOLUTION.")
            inside = False
            out.append(line)
        else:
            out.append(line)
    if inside:
        raise BuildError(f"{where}: a BEGIN SOLUTION block is never closed with ### END SOLUTION.")
    return "\n".join(out), number


def export(solution: Path, course_dir: Path, points: float = 1, manual_points: float = 1) -> Path:
    """Write the nbgrader source notebook for ``solution``; return its path."""
    import nbformat
    nb = nbformat.read(solution, as_version=4)
    lesson = solution.name[:2]
    cells, seen_code, n_answers, n_checks = [], False, 0, 0
    for i, cell in enumerate(nb.cells):
        if "solution-only" in cell.get("metadata", {}).get("tags", []):
            continue
        cell = nbformat.from_dict(json.loads(json.dumps(cell)))
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            check = CHECK_CELL.match(cell.source)
            if check:
                name = check.group("name")
                n_checks += 1
                cell.source = (f"from course.checks import lesson{lesson} as check   # the course's own\n"
                               f"result = check.{name}({name})\n"
                               f"print(result)\n"
                               f"assert result.passed, result.message")
                cell.metadata["nbgrader"] = _meta(f"check_{name}", grade=True, locked=True, points=points)
            elif "BEGIN SOLUTION" in cell.source:
                cell.source, number = _move_hints(cell.source, f"{solution.name}, cell {i + 1}")
                slug = (number or str(i)).replace(".", "_")
                cell.metadata["nbgrader"] = _meta(f"answer_{slug}_{i}", solution=True)
            elif not seen_code:                              # the setup cell
                cell.metadata["nbgrader"] = _meta("setup", locked=True)
            seen_code = True
        elif cell.cell_type == "markdown" and MD_BEGIN in cell.source:
            n_answers += 1
            cell.metadata["nbgrader"] = _meta(f"written_answer_{i}", solution=True, grade=True,
                                              points=manual_points)
        cells.append(cell)
    if not n_checks:
        raise BuildError(f"{solution.name} has no check cells (check.name(name)) to turn into tests.")
    nb.cells = cells
    nb.metadata.pop("nnlib_build", None)
    out = course_dir / "source" / f"lesson{lesson}" / solution.name.replace("-solutions", "")
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return out
