"""Check this machine before README's setup command installs anything (standard library only).

Run as ``python3 course/preflight.py``: it prints one sentence per problem it finds and exits 1,
or prints nothing and exits 0. It exists so that an old Python or a missing ``venv`` module gives
a sentence saying what to do, not pip's list of versions it cannot install.
"""
from __future__ import annotations

import importlib.util
import shutil
import sys

MIN_PYTHON = (3, 11)
MIN_FREE_MB = 700      # the environment takes about 600 MB (measured: du -sm .venv)


def problems(version=None, has_ensurepip=None, free_mb=None, folder="."):
    """The sentences describing what stops the setup on this machine (empty when nothing does)."""
    version = tuple(sys.version_info[:3]) if version is None else tuple(version)
    if has_ensurepip is None:
        has_ensurepip = importlib.util.find_spec("ensurepip") is not None
    if free_mb is None:
        free_mb = shutil.disk_usage(folder).free // 2**20
    found = []
    here = ".".join(map(str, version))
    if version[:2] < MIN_PYTHON:
        need = ".".join(map(str, MIN_PYTHON))
        found.append(f"The course needs Python {need} or newer, and python3 here is {here}: install a "
                     f"newer Python (on Debian and Ubuntu: sudo apt install python{need} python{need}-venv) "
                     f"and run the setup command with python{need} in place of python3.")
    if not has_ensurepip:
        short = ".".join(map(str, version[:2]))
        found.append(f"Python {here} has no venv support (its ensurepip module is missing): on Debian and "
                     f"Ubuntu install it with sudo apt install python{short}-venv, then run the setup "
                     "command again.")
    if free_mb < MIN_FREE_MB:
        found.append(f"The setup needs about {MIN_FREE_MB} MB of free disk in this folder and only "
                     f"{free_mb} MB are free: free some space, or set up the course on another disk.")
    return found


def main():
    found = problems()
    for sentence in found:
        print(sentence, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
