"""The example that exercises the whole API (and that mypy --strict checks) runs."""

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "whole_api.py"


def test_the_whole_api_example_runs() -> None:
    result = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "postgres.default#api.db postgres/default/api.db cloud-db ['host'] ['password']" in result.stdout
    assert "from-a-vault" not in result.stdout
