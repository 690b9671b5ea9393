"""Sessions: a plan kept up to date by update and remove, equal to a full plan each time."""

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

import goldpath
from conftest import PLATFORM, REPO, SEED, SHOP, workload


def _app() -> List[Dict[str, Any]]:
    cache = {"cache": {"type": "redis"}}
    return [workload(f"w{i}", cache, variables={"CACHE": "${resources.cache.host}"}) for i in range(3)]


def _same(got: goldpath.Plan, want: goldpath.Plan) -> None:
    assert got.to_yaml() == want.to_yaml()
    assert got.warnings == want.warnings
    assert [r.key for r in got.resources] == [r.key for r in want.resources]
    assert [v.message for v in got.violations] == [v.message for v in want.violations]


def test_update_and_remove_return_the_plan_a_full_plan_makes() -> None:
    platform = goldpath.Platform.default(secret_seed=SEED)
    app = _app()
    session = platform.session(app, app="shop", env="dev", env_type="development")

    def full(workloads: List[Dict[str, Any]]) -> goldpath.Plan:
        return platform.plan(workloads, app="shop", env="dev", env_type="development")

    _same(session.plan, full(app))

    app[1] = workload("w1", {"cache": {"type": "redis"}}, image="nginx:1.28", variables={"CACHE": "${resources.cache.host}"})
    plan = session.update(app[1])
    assert "nginx:1.28" in plan.to_yaml()
    _same(plan, full(app))
    _same(session.plan, plan)

    app.append(workload("w3"))
    _same(session.update(app[3]), full(app))
    assert session.workloads == ["w0", "w1", "w2", "w3"]

    _same(session.remove("w0"), full(app[1:]))
    assert session.workloads == ["w1", "w2", "w3"]
    assert "3 workloads of shop in dev (development)" in repr(session)


def test_an_update_takes_yaml_text_and_paths_as_plan_does() -> None:
    platform = goldpath.Platform.load(PLATFORM)
    session = platform.session(SHOP, app="shop", env="qa-42", env_type="qa-light")
    text = (SHOP / "backend.score.yaml").read_text().replace("backend:2.0.1", "backend:2.0.2")
    plan = session.update(text)
    assert "registry.example.com/shop/backend:2.0.2" in plan.to_yaml()
    plan = session.update(SHOP / "backend.score.yaml")
    _same(plan, platform.plan(SHOP, app="shop", env="qa-42", env_type="qa-light"))


def test_a_failed_update_raises_and_keeps_the_last_good_plan() -> None:
    platform = goldpath.Platform.default(secret_seed=SEED)
    session = platform.session(_app(), app="shop", env="dev", env_type="development")
    before = session.plan.to_yaml()
    broken = workload("w1", {"cache": {"type": "redis"}}, variables={"CACHE": "${resources.cache.nothere}"})
    with pytest.raises(goldpath.PlaceholderError) as raised:
        session.update(broken)
    assert "nothere" in str(raised.value)
    assert session.plan.to_yaml() == before
    with pytest.raises(goldpath.InvalidValueError, match="no workload `nope`"):
        session.remove("nope")
    assert session.plan.to_yaml() == before
    with pytest.raises(goldpath.InvalidValueError, match="one Score workload; 4 were given"):
        session.update(SHOP)
    assert session.workloads == ["w0", "w1", "w2"]


def test_the_readme_session_example_runs_as_written(tmp_path: Path) -> None:
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Sessions", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    shutil.copytree(REPO / "fixtures", tmp_path / "fixtures")
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "True ['backend', 'frontend', 'migrate', 'nightly-report']",
        "refused: workload `backend`: `${resources.db.noth",
        "True",
        "['backend', 'frontend', 'migrate']",
    ]


def _generated(i: int) -> Dict[str, Any]:
    """Workload `i` of `benches/gen_app.py`: a postgres shared by ten, its own redis, a route, a link."""
    resources: Dict[str, Any] = {
        "db": {"type": "postgres", "id": f"db-{i // 10}"},
        "cache": {"type": "redis"},
        "web": {"type": "route", "params": {"host": f"svc-{i}.example.com", "path": "/", "port": "http"}},
    }
    variables = {"DB": "${resources.db.host}", "CACHE": "${resources.cache.host}"}
    if i > 0:
        resources["prev"] = {"type": "service", "params": {"workload": f"svc-{i - 1}", "port": "http"}}
        variables["PREVIOUS"] = "http://${resources.prev.host}:${resources.prev.port}"
    spec = workload(f"svc-{i}", resources, variables=variables)
    spec["service"] = {"ports": {"http": {"port": 80, "targetPort": 8080}}}
    return spec


def test_adding_and_removing_linked_workloads_gives_the_full_plan_and_held_plans_stay() -> None:
    platform = goldpath.Platform.default(secret_seed=SEED)
    app = [_generated(i) for i in range(15)]
    session = platform.session(app, app="shop", env="dev", env_type="development")

    def full(workloads: List[Dict[str, Any]]) -> str:
        return platform.plan(workloads, app="shop", env="dev", env_type="development").to_yaml()

    held = session.plan
    held_yaml = held.to_yaml()
    app.append(_generated(15))
    added = session.update(app[-1])
    assert added.to_yaml() == full(app)
    assert session.plan.to_yaml() == full(app)
    assert held.to_yaml() == held_yaml
    app.append(_generated(16))
    session.update(app[-1])
    assert session.remove("svc-16").to_yaml() == full(app[:-1])
    assert session.remove("svc-15").to_yaml() == full(app[:-2])
    assert session.plan.to_yaml() == held_yaml
    assert added.to_yaml() == full(app[:-1])
