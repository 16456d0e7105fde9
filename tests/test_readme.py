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
    target = re.search(r"jupyter lab (\S+)", setup).group(1)
    assert (ROOT / target).exists(), f"README opens {target}, which does not exist"
