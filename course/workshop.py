"""The link a workshop's learners click: it opens one lesson of the course on a JupyterHub.

The link goes to the hub's ``user-redirect``, so it is the same for every learner: the hub logs the
learner in, starts their server, and nbgitpuller (a server extension, workshop/README.md) clones the
course into ``~/nnlib-course`` on the first click and merges the instructor's updates into that copy on
every later click; then JupyterLab opens the lesson. ``python -m course workshop-link`` prints it.

The Binder link (``python -m course binder-link``) opens a lesson for a learner working alone: Binder
builds the public repository as binder/ says and starts a temporary server with the lesson open.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]

#: The folder that nbgitpuller fills in each learner's home. workshop/jupyterhub_config.py puts it
#: first on the kernels' PYTHONPATH, so that a learner imports their own copy of nnlib and course.
FOLDER = "nnlib-course"

REPO_SCHEMES = ("https", "http", "ssh", "git", "file")
_BRANCH = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._/-]*")


class LinkError(ValueError):
    """A bad argument, said in one sentence that names it, what came and what is expected."""


def lesson_notebook(lesson: str, lessons_dir: Path = ROOT / "lessons") -> str:
    """``"05"`` (or ``"5"``, ``"05-optimizers"``) -> ``"lessons/05-optimizers.ipynb"``."""
    numbers = sorted(p.name[:2] for p in lessons_dir.glob("[0-9][0-9]-*.ipynb"))
    head = str(lesson).strip().removesuffix(".ipynb").split("-")[0]
    found = sorted(lessons_dir.glob(f"{head.zfill(2)}-*.ipynb")) if head.isdigit() else []
    if not found:
        raise LinkError(f"--lesson {lesson!r} is not a lesson of this course; expected the two digits of "
                        f"one of lessons/NN-*.ipynb: {', '.join(numbers) or 'none found'}.")
    return f"{lessons_dir.name}/{found[0].name}"


def hub_url(url: str) -> str:
    """The hub's address without a trailing ``/`` or ``/hub``: ``https://host[:port][/prefix]``."""
    parts = urlsplit(str(url).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise LinkError(f"--hub {url!r} is not a hub address; expected the address learners open, "
                        f"like https://hub.example.org (http:// or https://, no query).")
    path = parts.path.rstrip("/").removesuffix("/hub")
    segments = path.split("/")
    if "hub" in segments or "user" in segments:
        cut = min(segments.index(s) for s in ("hub", "user") if s in segments)
        base = f"{parts.scheme}://{parts.netloc}{'/'.join(segments[:cut])}"
        raise LinkError(f"--hub {url!r} is a page inside the hub, not its address; expected the part "
                        f"before /hub or /user, here {base}.")
    return f"{parts.scheme}://{parts.netloc}{path}"


def repo_url(url: str) -> str:
    """A URL that ``git clone`` on the hub's machine understands (checked for shape, not reached)."""
    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme not in REPO_SCHEMES or " " in text:
        raise LinkError(f"--repo {url!r} is not a repository URL; expected the address git clones it "
                        f"from, like https://git.example.org/you/nnlib-course.git "
                        f"({', '.join(REPO_SCHEMES)}).")
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/") or parts.path == "/":
            raise LinkError(f"--repo {url!r} is not a local repository URL; expected file:// and an "
                            f"absolute path, like file:///srv/nnlib-course.git.")
    elif not parts.netloc or parts.path.strip("/") == "":
        raise LinkError(f"--repo {url!r} names no repository; expected a host and a path, like "
                        f"https://git.example.org/you/nnlib-course.git.")
    elif re.search(r"/(tree|blob)/", parts.path):
        raise LinkError(f"--repo {url!r} is a web page of the repository, not its clone address; expected "
                        f"the URL before /tree/ or /blob/ (pass the branch with --branch).")
    return text


def branch_name(branch: str) -> str:
    """A plausible git branch name (git itself has the last word when nbgitpuller fetches)."""
    text = str(branch).strip()
    if not _BRANCH.fullmatch(text) or ".." in text or text.endswith(("/", ".lock")):
        raise LinkError(f"--branch {branch!r} is not a branch name; expected letters, digits, dots, "
                        f"dashes, underscores and slashes, like main.")
    return text


def workshop_link(hub: str, repo: str, branch: str = "main", lesson: str = "00",
                  lessons_dir: Path = ROOT / "lessons") -> str:
    """The nbgitpuller link that pulls ``repo`` at ``branch`` into ~/nnlib-course and opens ``lesson``
    in JupyterLab. Raises :class:`LinkError` for a bad argument."""
    base, repo, branch = hub_url(hub), repo_url(repo), branch_name(branch)
    notebook = lesson_notebook(lesson, lessons_dir)
    query = urlencode({"repo": repo, "branch": branch, "targetpath": FOLDER,
                       "urlpath": f"lab/tree/{FOLDER}/{notebook}"}, quote_via=quote, safe="")
    return f"{base}/hub/user-redirect/git-pull?{query}"


#: Where Binder launches, and the badge image its own documentation gives for READMEs.
BINDER = "https://mybinder.org"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"


def binder_link(repo: str, ref: str = "HEAD", lesson: str = "00",
                lessons_dir: Path = ROOT / "lessons") -> str:
    """The Binder link that builds ``repo`` at ``ref`` (a branch, tag or commit; ``HEAD``, the default
    branch, unless given; binder/ says how to build) and opens ``lesson`` in JupyterLab. GitHub
    repositories get Binder's short form (``/v2/gh/OWNER/NAME/REF``), any other public https
    repository the general one (``/v2/git/URL/REF``, the URL percent-encoded). Raises
    :class:`LinkError` for a bad argument."""
    text = repo_url(repo)
    parts = urlsplit(text)
    if parts.scheme != "https":
        raise LinkError(f"--repo {repo!r} is not a public https address; Binder clones the repository from "
                        f"the internet, so expected one like https://github.com/you/nnlib-course.")
    ref = branch_name(ref)
    notebook = lesson_notebook(lesson, lessons_dir)
    if parts.netloc.lower() in ("github.com", "www.github.com"):
        path = parts.path.strip("/").removesuffix(".git").split("/")
        if len(path) != 2 or not all(path):
            raise LinkError(f"--repo {repo!r} is not a GitHub repository's address; expected "
                            f"https://github.com/OWNER/NAME.")
        spec = f"gh/{path[0]}/{path[1]}/{quote(ref, safe='/')}"     # Binder splits at the first two /
    else:
        spec = f"git/{quote(text, safe='')}/{quote(ref, safe='/')}"  # ... here at the first
    return f"{BINDER}/v2/{spec}?{urlencode({'urlpath': f'lab/tree/{notebook}'}, quote_via=quote, safe='/')}"


def binder_badge(link: str) -> str:
    """The Markdown of a README badge that opens ``link``."""
    return f"[![Launch on Binder]({BINDER_BADGE})]({link})"
