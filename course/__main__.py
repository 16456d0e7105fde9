"""``python -m course``: build exercises, execute notebooks, show progress."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lessons():
    from course.checks import LESSON_MODULES
    table = {}
    for mod in LESSON_MODULES:
        m = importlib.import_module(f"course.checks.{mod}")
        table[m.LESSON] = [(ex.number, ex.name) for ex in m.EXERCISES]
    return table


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m course", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build",
                       help="generate exercises/ from solutions/ (never overwrites a learner's edits)")
    b.add_argument("--solutions", type=Path, default=ROOT / "solutions")
    b.add_argument("--out", type=Path, default=ROOT / "exercises", help="where to write (default exercises/)")
    b.add_argument("--force", action="store_true", help="replace exercise notebooks even if they were edited")
    b.add_argument("--no-execute", action="store_true", help="do not run the generated notebooks")
    e = sub.add_parser("execute", help="run notebooks in place and store their outputs (widget-safe)")
    e.add_argument("notebooks", nargs="+", type=Path)
    e.add_argument("--timeout", type=int, default=120)
    sub.add_parser("progress", help="print your per-lesson exercise progress")
    args = ap.parse_args(argv)

    if args.cmd == "build":
        from .build import build
        outcomes = build(args.solutions, args.out, force=args.force, execute=not args.no_execute)
        return 1 if any(o.action == "refused" for o in outcomes) else 0
    if args.cmd == "execute":
        from .execute import execute_notebook
        for nb in args.notebooks:
            print(f"executed {nb} in {execute_notebook(nb, timeout=args.timeout):.1f} s")
        return 0
    if args.cmd == "progress":
        from .progress import progress_path, table
        print(table(_lessons()))
        print(f"\n(recorded in {progress_path()})")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
