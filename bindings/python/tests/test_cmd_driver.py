"""The `cmd` driver from Python: deploy provisions and records its state; a plan with a store
uses the recorded result and makes no call; `provision=True` calls the driver."""

import json
import shutil
from pathlib import Path
from typing import Any, Dict

import pytest

import goldpath
from conftest import REPO

EXAMPLE = REPO / "fixtures" / "platform-drivers"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of fixtures/platform-drivers whose script keeps its databases in tmp_path."""
    for sub in ["platform", "scripts", "app"]:
        shutil.copytree(EXAMPLE / sub, tmp_path / sub)
    definition = tmp_path / "platform" / "postgres-cmd.yaml"
    definition.write_text(
        definition.read_text().replace("/tmp/goldpath-example-databases", str(tmp_path / "databases"))
    )
    return tmp_path


def databases(folder: Path) -> Dict[str, Any]:
    path = folder / "databases" / "databases.json"
    return json.loads(path.read_text()) if path.exists() else {}


def test_deploy_provisions_and_a_plan_with_the_store_uses_the_recorded_state(example: Path) -> None:
    platform = goldpath.Platform.load(example / "platform")
    store = goldpath.MemoryStore()
    platform.create_environment(store, app="shop", env="dev", env_type="development", at="2026-12-01T10:00:00Z")
    app = example / "app" / "score.yaml"

    with pytest.raises(goldpath.DriverError, match="deploy to the environment first"):
        platform.plan(app, app="shop", env="dev", env_type="development")
    assert databases(example) == {}

    record = platform.deploy(store, app, app="shop", env="dev", at="2026-12-01T10:01:00Z")
    (created,) = databases(example).values()
    assert created["applies"] == 1
    (driver,) = [r["driver"] for r in record.resources if "driver" in r]
    assert driver["state"]["applies"] == 1
    assert driver["secrets"]["password"]["key"] == "password"

    plan = platform.plan(app, app="shop", env="dev", env_type="development", store=store)
    assert "db.example.internal" in plan.to_yaml()
    assert next(iter(databases(example).values()))["applies"] == 1, "the plan made no call"

    platform.plan(app, app="shop", env="dev", env_type="development", provision=True)
    assert next(iter(databases(example).values()))["applies"] == 2

    again = platform.deploy(store, app, app="shop", env="dev", at="2026-12-01T10:02:00Z")
    (driver,) = [r["driver"] for r in again.resources if "driver" in r]
    assert driver["state"]["applies"] == 2, "the recorded state came back"

    platform.delete_environment(store, app="shop", env="dev")
    assert databases(example) == {}
