"""python -m course: build exercises, execute notebooks, grade submissions, show your progress."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "app": ("serve a lesson as a code-free web app (Voila) on this machine",
            "Serve the lesson's notebook with Voila on http://127.0.0.1:PORT/: each page that opens it "
            "runs the lesson in a fresh kernel and shows its text, outputs and live figures without the "
            "code. Needs Voila (requirements-workshop.txt; workshop/README.md, \"Voila\"). Ctrl-C stops it."),
    "binder-link": ("print the Binder link (or README badge) that opens a lesson",
                    "Print the link that builds the course on mybinder.org from its public repository "
                    "(binder/ says how) and opens the lesson in JupyterLab; with --badge, the Markdown of "
                    "a README badge for it. A Binder session suits one learner: it is temporary and small "
                    "(workshop/README.md, \"Binder\")."),
    "build": ("generate exercises/ from solutions/ and run them",
              "Write one exercise notebook per solution notebook (answers replaced by stubs) and run it, "
              "so that it shows the not-attempted verdicts. A notebook that someone edited after it was "
              "generated is never overwritten: it is skipped and named, and the command exits with 1. "
              "--force replaces such notebooks too, after saving each one as NAME.ipynb.bak."),
    "execute": ("run notebooks in place and store their outputs",
                "Run every cell of each notebook and save the notebook with its outputs (widget-safe: "
                "plain nbconvert can stall for minutes on widget cells)."),
    "grade": ("grade a folder of submitted exercise notebooks",
              "Run every submitted notebook of one lesson in a fresh process (its stored outputs are "
              "ignored), check each exercise with the course's own checks, and write a gradebook (CSV) "
              "and one feedback file per learner with each verdict and its diagnosis. SUBMISSIONS holds "
              "NAME.ipynb files, or one folder per learner with an NN-*.ipynb inside."),
    "nbgrader-export": ("write a lesson as an nbgrader source assignment",
                        "Write solutions/NN-*-solutions.ipynb as COURSE_DIR/source/lessonNN/NN-*.ipynb with "
                        "nbgrader's cell metadata: answer cells, manually graded written answers, and every "
                        "check turned into a locked autograded test whose failure message is the checker's "
                        "diagnosis. Then run nbgrader generate_assignment lessonNN in COURSE_DIR."),
    "progress": ("print your exercise verdicts per lesson",
                 "Print the latest verdict of every exercise, lesson by lesson."),
    "workshop-link": ("print the link that opens a lesson on a workshop's JupyterHub",
                      "Print the nbgitpuller link for learners on a JupyterHub set up as in workshop/: "
                      "the first click clones the course (REPO at BRANCH) into ~/nnlib-course, later clicks "
                      "merge the instructor's updates into that copy (keeping the learner's edits), and "
                      "JupyterLab opens the lesson."),
}


def _lessons():
    from course.checks import LESSON_MODULES
    table = {}
    for mod in LESSON_MODULES:
        m = importlib.import_module(f"course.checks.{mod}")
        table[m.LESSON] = [(ex.number, ex.name) for ex in m.EXERCISES]
    return table


def _parser():
    ap = argparse.ArgumentParser(prog="python -m course", description=__doc__.split(": ", 1)[1])
    sub = ap.add_subparsers(dest="cmd", metavar="{" + ",".join(COMMANDS) + "}")
    parsers = {name: sub.add_parser(name, help=short, description=long)
               for name, (short, long) in COMMANDS.items()}
    a = parsers["app"]
    a.add_argument("lesson", help="the lesson's two digits, e.g. 06, or the path of a notebook")
    a.add_argument("--port", type=int, default=8866, help="the port on 127.0.0.1 (default: 8866)")
    bl = parsers["binder-link"]
    bl.add_argument("--repo", required=True,
                    help="the public repository's https address, e.g. https://github.com/you/nnlib-course")
    bl.add_argument("--branch", default="HEAD",
                    help="the branch, tag or commit to build (default: HEAD, the default branch)")
    bl.add_argument("--lesson", default="00", help="the lesson to open, its two digits (default: 00)")
    bl.add_argument("--badge", action="store_true", help="print a README badge's Markdown instead")
    b = parsers["build"]
    b.add_argument("--solutions", type=Path, default=ROOT / "solutions",
                   help="folder of NN-topic-solutions.ipynb notebooks (default: solutions/)")
    b.add_argument("--out", type=Path, default=ROOT / "exercises",
                   help="where to write (default: exercises/)")
    b.add_argument("--force", action="store_true",
                   help="also replace exercise notebooks that were edited (each is saved as .bak first)")
    b.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    e = parsers["execute"]
    e.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files to run")
    e.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default: 120)")
    g = parsers["grade"]
    g.add_argument("submissions", type=Path, help="folder of submitted notebooks")
    g.add_argument("--lesson", required=True, help="the lesson's two digits, e.g. 04")
    g.add_argument("--out", type=Path, default=Path("gradebook.csv"),
                   help="the gradebook to write (default: gradebook.csv)")
    g.add_argument("--feedback", type=Path, default=Path("feedback"),
                   help="folder for one feedback file per learner (default: feedback/)")
    g.add_argument("--timeout", type=float, default=300, help="seconds per notebook (default: 300)")
    g.add_argument("--cell-timeout", type=float, default=60,
                   help="seconds per cell before it is stopped and grading goes on (default: 60)")
    g.add_argument("--memory", type=int, default=2048, help="MB of memory per notebook (default: 2048)")
    g.add_argument("--jobs", type=int, default=None, help="notebooks graded at once (default: one per core)")
    x = parsers["nbgrader-export"]
    x.add_argument("--lesson", required=True, help="the lesson's two digits, e.g. 04")
    x.add_argument("--course-dir", type=Path, required=True, help="nbgrader's course directory")
    x.add_argument("--points", type=float, default=1, help="points per checked exercise (default: 1)")
    x.add_argument("--manual-points", type=float, default=1,
                   help="points per written answer, graded by hand (default: 1)")
    w = parsers["workshop-link"]
    w.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.org")
    w.add_argument("--repo", required=True, help="the course repository's clone URL (https:// or file://)")
    w.add_argument("--branch", default="main", help="the branch to pull (default: main)")
    w.add_argument("--lesson", default="00", help="the lesson to open, its two digits (default: 00)")
    return ap


def _nbgrader_export(args):
    number = args.lesson.split("-")[0].zfill(2)
    found = sorted((ROOT / "solutions").glob(f"{number}-*-solutions.ipynb"))
    if not found:
        print(f"error: no solutions/{number}-*-solutions.ipynb; --lesson takes the two digits of a lesson "
              f"with exercises.", file=sys.stderr)
        return 2
    from .build import BuildError
    from .nbgrader_export import export
    try:
        out = export(found[0], args.course_dir, args.points, args.manual_points)
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {out}; next, in {args.course_dir}: nbgrader generate_assignment lesson{number}")
    return 0


def _grade(args):
    numbers = sorted(name[:2] for name in _lessons())
    number = args.lesson.split("-")[0].zfill(2)
    if number not in numbers:
        print(f"error: --lesson {args.lesson!r} is not a lesson with exercises; choose one of "
              f"{', '.join(numbers)}.", file=sys.stderr)
        return 2
    args.lesson = number
    if not args.submissions.is_dir():
        print(f"error: no such folder: {args.submissions}; pass the folder that holds the submitted "
              f"notebooks.", file=sys.stderr)
        return 2
    from .grade import find_submissions, grade
    if not find_submissions(args.submissions, args.lesson):
        print(f"error: {args.submissions} holds no notebooks (NAME.ipynb) and no learner folders.",
              file=sys.stderr)
        return 2
    results = grade(args.submissions, args.lesson, args.out, args.feedback, jobs=args.jobs,
                    timeout=args.timeout, memory_mb=args.memory, cell_limit=args.cell_timeout,
                    log=lambda line: print(line, file=sys.stderr, flush=True))
    print(f"graded {len(results)} submissions of lesson {args.lesson}: gradebook {args.out}, "
          f"feedback in {args.feedback}/")
    return 0


def main(argv=None):
    ap = _parser()
    args = ap.parse_args(argv)
    if args.cmd is None:
        ap.print_help()
        print("\nchoose a command, e.g. `python -m course progress`.", file=sys.stderr)
        return 2
    if args.cmd == "grade":
        return _grade(args)
    if args.cmd == "nbgrader-export":
        return _nbgrader_export(args)
    if args.cmd == "app":
        from .app import AppError, serve
        try:
            serve(args.lesson, port=args.port)          # becomes Voila: returns only by raising
        except AppError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        return 0
    if args.cmd == "workshop-link":
        from .workshop import LinkError, workshop_link
        try:
            print(workshop_link(args.hub, args.repo, branch=args.branch, lesson=args.lesson))
        except LinkError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        return 0
    if args.cmd == "binder-link":
        from .workshop import LinkError, binder_badge, binder_link
        try:
            link = binder_link(args.repo, ref=args.branch, lesson=args.lesson)
        except LinkError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(binder_badge(link) if args.badge else link)
        return 0
    if args.cmd == "build":
        from .build import build
        if not args.solutions.is_dir() or not list(args.solutions.glob("*-solutions.ipynb")):
            print(f"error: no solution notebooks (*-solutions.ipynb) in {args.solutions}; "
                  f"pass the folder with --solutions DIR.", file=sys.stderr)
            return 2
        outcomes = build(args.solutions, args.out, force=args.force, execute=not args.no_execute)
        return 1 if any(o.action == "refused" for o in outcomes) else 0
    if args.cmd == "execute":
        missing = [str(nb) for nb in args.notebooks if not nb.is_file()]
        if missing:
            print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
            return 2
        from .execute import NotebookFailed, execute_notebook
        for nb in args.notebooks:
            try:
                print(f"executed {nb} in {execute_notebook(nb, timeout=args.timeout):.1f} s")
            except NotebookFailed as failure:
                print(f"error: {failure}", file=sys.stderr)
                return 1
        return 0
    from .progress import load, progress_path, table
    print(table(_lessons()))
    path = progress_path()
    if path is None:
        print("\n(recording is switched off: NNLIB_PROGRESS=off)")
    elif not load(path):
        print(f"\n(no verdicts recorded yet; the check cells will keep them in {path})")
    else:
        print(f"\n(recorded in {path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
