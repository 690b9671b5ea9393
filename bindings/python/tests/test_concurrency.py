"""Planning from several Python threads at once: the GIL is released, the results identical
(Node: __test__/concurrency.test.mjs, planAsync)."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import goldpath
from conftest import PLATFORM, SEED, SHOP


def test_four_threads_plan_the_same_application_identically() -> None:
    platform = goldpath.Platform.load(PLATFORM, secret_seed=SEED)
    env_types = ["development", "qa-light", "staging", "production"] * 4

    def render(env_type: str) -> str:
        return platform.plan(SHOP, app="shop", env=env_type, env_type=env_type).to_yaml()

    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(render, env_types))
    sequential = [render(e) for e in env_types]
    assert parallel == sequential
    assert len(set(parallel)) == 4  # one distinct plan per environment type


def test_python_drivers_work_from_several_threads() -> None:
    platform = goldpath.Platform.default()
    platform.register_driver(
        "template", lambda request: {"outputs": {"host": request["id"], "port": 6379}}
    )
    doc = {
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "containers": {"main": {"image": "nginx", "variables": {"R": "${resources.cache.host}"}}},
        "resources": {"cache": {"type": "redis"}},
    }

    def render(_: int) -> str:
        return platform.plan(doc, app="a", env="dev", env_type="development").to_yaml()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(render, range(16)))
    assert len(set(results)) == 1 and "web.cache" in results[0]


def test_four_threads_deploying_at_once_make_one_line_of_history(tmp_path: Path) -> None:
    platform = goldpath.Platform.load(PLATFORM, secret_seed=SEED)
    store = goldpath.DirStore(tmp_path)
    ada = goldpath.Principal("ada", groups=["shop-team"])

    def deploy(minute: int) -> str:
        at = f"2026-11-23T10:{minute:02d}:00Z"
        return platform.deploy(store, SHOP, app="shop", env="qa-42", at=at, principal=ada).id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(deploy, range(12)))
    history = store.history("shop", "qa-42")
    assert sorted(history.ids) == sorted(ids) and len(set(ids)) == 12
    records = [e.record for e in history]
    parents = [r.parent if r else "unreadable" for r in records]
    assert parents == [None] + history.ids[:-1]
