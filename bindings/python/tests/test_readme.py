"""The README's Python example runs as written (from a copy of the repository's fixtures)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def readme_example() -> str:
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1
    return str(blocks[0])


def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(REPO / "fixtures", tmp_path / "fixtures")
    result = subprocess.run(
        [sys.executable, "-c", readme_example()], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "'Deployment'" in result.stdout
    assert "{'host': 'api.db.sql.internal', 'name': 'app', 'port': 5432, 'username': 'app'}" in result.stdout
    assert "invalid <input> unknown environment type `nightly`" in result.stdout
    assert (tmp_path / "manifests.yaml").read_text().startswith("---\n")
    assert "  + workload api\n  - workload backend\n" in result.stdout
    assert "\nTrue True\n" in result.stdout
    assert "user `sam` has no role on it" in result.stdout
    assert len(list((tmp_path / ".goldpath" / "records").glob("*.json"))) == 3
