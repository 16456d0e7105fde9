"""Print one of README.md's two commands: `setup` (without its last part, which starts JupyterLab
and waits; tests/test_readme.py runs that part) or `test`."""
import re
import sys
from pathlib import Path

blocks = re.findall(r"```bash\n(.*?)\n```", (Path(__file__).parents[1] / "README.md").read_text(), re.S)
if sys.argv[1:] == ["setup"]:
    print(" && ".join(part.strip() for part in blocks[0].split("&&")[:-1]))
elif sys.argv[1:] == ["test"]:
    print(blocks[1].strip())
else:
    sys.exit("usage: python3 .ci/readme_command.py setup|test")
