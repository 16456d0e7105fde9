"""README's commands are the ones CI runs."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_readmes_test_command():
    blocks = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)
    assert len(blocks) >= 2, "README must show the setup command and the test command"
    test_cmd = blocks[1].strip()
    ci_lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()
                if ln.strip() and not ln.lstrip().startswith("#")]
    assert ci_lines[-1] == test_cmd


def test_setup_command_installs_requirements_and_opens_lesson_00():
    blocks = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)
    setup = blocks[0]
    assert "pip install -r requirements.txt" in setup
    target = re.search(r"jupyter lab .*?(\S+\.ipynb)", setup).group(1)
    assert (ROOT / target).exists(), f"README opens {target}, which does not exist"
    # Given a notebook, JupyterLab serves only that notebook's folder unless told otherwise; the
    # lessons link to ../exercises and ../solutions, which must stay inside the served tree.
    assert "--ServerApp.root_dir=." in setup, "serve the repository root, not only lessons/"
    # Small matrices: one BLAS thread is as fast idle and far faster on a busy machine
    # (benchmarks/bench_blas_threads.py).
    assert "OPENBLAS_NUM_THREADS=1 .venv/bin/jupyter lab" in setup


LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)\)")


def _link_lines():
    """(file, line, target) for every relative notebook link in README.md and in every notebook."""
    import nbformat
    docs = [(ROOT / "README.md", (ROOT / "README.md").read_text())]
    for folder in ("lessons", "solutions", "exercises"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            docs.append((path, "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")))
    for path, text in docs:
        for line in text.splitlines():
            for target in LINK.findall(line):
                yield path, line, target


def test_every_notebook_link_resolves_or_says_it_is_not_written_yet():
    broken = [f"{path.relative_to(ROOT)}: {target}" for path, line, target in _link_lines()
              if not (path.parent / target).resolve().exists() and "not written yet" not in line]
    assert not broken, "links to notebooks that do not exist: " + "; ".join(broken)


def test_no_link_calls_an_existing_notebook_unwritten():
    stale = [f"{path.relative_to(ROOT)}: {target}" for path, line, target in _link_lines()
             if (path.parent / target).resolve().exists() and "not written yet" in line]
    assert not stale, "these notebooks exist now; drop 'not written yet': " + "; ".join(stale)


def test_course_map_lists_every_lesson():
    readme = (ROOT / "README.md").read_text()
    for path in sorted((ROOT / "lessons").glob("*.ipynb")):
        for link in (f"lessons/{path.name}", f"exercises/{path.stem}-exercises.ipynb",
                     f"solutions/{path.stem}-solutions.ipynb"):
            assert f"]({link})" in readme, f"README's course map does not link {link}"


def test_setup_command_starts_jupyterlab_as_the_current_user(tmp_path):
    """The last part of README's setup command, run as it is (as root in CI and containers), serves
    the course: JupyterLab refuses root without --allow-root."""
    import os
    import shlex
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    setup = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)[0]
    words = shlex.split(setup.split("&&")[-1])
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path))
    while "=" in words[0]:                                       # VAR=value prefixes
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    assert words[0] == ".venv/bin/jupyter"
    words[0] = str(Path(sys.executable).with_name("jupyter"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    words += ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
              "--ServerApp.token=", "--LabApp.news_url=", "--ServerApp.open_browser=False"]
    proc = subprocess.Popen(words, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"JupyterLab exited with {proc.returncode}: {proc.stdout.read()[-500:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/lessons", timeout=2) as r:
                    listing = r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("JupyterLab did not answer within 60 s")
        assert "00-getting-started.ipynb" in listing
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _setup_parts():
    setup = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)[0]
    return [part.strip() for part in setup.split("&&")]


def test_setup_command_checks_the_machine_before_installing():
    import subprocess
    import sys
    parts = _setup_parts()
    assert parts[0] == "python3 course/preflight.py", "the preflight must run before anything is installed"
    done = subprocess.run([sys.executable, "course/preflight.py"], cwd=ROOT, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), done.stderr


def test_preflight_says_in_one_sentence_what_stops_the_setup():
    from course.preflight import problems
    assert problems(version=(3, 11, 7), has_ensurepip=True, free_mb=5000) == []
    old, = problems(version=(3, 10, 12), has_ensurepip=True, free_mb=5000)
    assert "3.10.12" in old and "3.11 or newer" in old and "python3.11" in old
    no_venv, = problems(version=(3, 12, 3), has_ensurepip=False, free_mb=5000)
    assert "python3.12-venv" in no_venv
    full, = problems(version=(3, 12, 3), has_ensurepip=True, free_mb=120)
    assert "120 MB" in full
    assert len(problems(version=(3, 9, 1), has_ensurepip=False, free_mb=10)) == 3
    for sentence in problems(version=(3, 9, 1), has_ensurepip=False, free_mb=10):
        assert sentence.count(". ") == 0 and sentence.endswith("."), sentence
