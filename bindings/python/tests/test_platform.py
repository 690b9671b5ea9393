"""Platform constructors and properties."""

import pytest

import goldpath
from conftest import PLATFORM, SEED, SHOP, definition, workload

ENV_TYPE = {
    "apiVersion": "goldpath.dev/v1alpha1",
    "kind": "EnvironmentType",
    "metadata": {"name": "development"},
    "spec": {},
}


def test_load_reads_a_platform_folder(sample_platform: goldpath.Platform) -> None:
    assert sample_platform.environment_types == ["development", "production", "qa-light", "staging"]
    assert "postgres-managed" in sample_platform.definitions
    # built-ins rank last, after every definition of the platform
    assert sample_platform.definitions[-1].startswith("builtin-")
    assert "4 environment types" in repr(sample_platform)


def test_load_without_builtins_keeps_only_the_platforms_definitions() -> None:
    platform = goldpath.Platform.load(str(PLATFORM), builtins=False)
    assert platform.definitions
    # `builtin-workload` stays: every workload requests a `workload` resource, and it does nothing
    assert [name for name in platform.definitions if name.startswith("builtin-")] == ["builtin-workload"]


def test_from_documents_takes_dicts_and_yaml_text() -> None:
    text = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: staging}\nspec: {}\n"
    platform = goldpath.Platform.from_documents([ENV_TYPE, text], builtins=False)
    assert platform.environment_types == ["development", "staging"]
    assert platform.definitions == ["builtin-workload"]


def test_from_documents_refuses_workloads_and_reads_paths() -> None:
    with pytest.raises(goldpath.InvalidValueError, match="a platform holds platform documents"):
        goldpath.Platform.from_documents([workload("web")])
    with pytest.raises(goldpath.InvalidValueError, match="a platform holds platform documents"):
        goldpath.Platform.from_documents([SHOP])
    from_path = goldpath.Platform.from_documents([str(PLATFORM)])
    assert from_path.environment_types == goldpath.Platform.load(PLATFORM).environment_types


def test_default_is_the_builtin_platform() -> None:
    platform = goldpath.Platform.default()
    assert platform.environment_types == []
    assert "builtin-postgres" in platform.definitions


def test_the_secret_seed_changes_generated_passwords_and_the_warning() -> None:
    request = workload("web", {"db": {"type": "postgres"}}, variables={"PW": "${resources.db.password}"})
    plans = [
        goldpath.Platform.default(secret_seed=seed).plan([request], app="a", env="e", env_type="development")
        for seed in (None, SEED, SEED.encode(), "another-seed-of-at-least-32-bytes!!")
    ]
    secrets = [[m for m in p.manifests if m["kind"] == "Secret"] for p in plans]
    assert secrets[1] == secrets[2]  # str and bytes of the same seed
    assert secrets[0] != secrets[1] != secrets[3]
    assert plans[0].warnings and "development seed" in plans[0].warnings[0]
    assert plans[1].warnings == []


def test_a_short_seed_is_refused() -> None:
    with pytest.raises(goldpath.InvalidValueError, match="secret seed"):
        goldpath.Platform.default(secret_seed="short")
    with pytest.raises(TypeError):
        goldpath.Platform.default(secret_seed=42)  # type: ignore[arg-type]


def test_register_driver_needs_a_callable() -> None:
    with pytest.raises(TypeError):
        goldpath.Platform.default().register_driver("x", 42)


def test_definitions_from_dicts_are_used() -> None:
    platform = goldpath.Platform.from_documents(
        [definition("cache", type="redis", inputs={"values": {"host": "redis.internal", "port": 6379}})]
    )
    plan = platform.plan(
        [workload("web", {"cache": {"type": "redis"}}, variables={"R": "${resources.cache.host}:${resources.cache.port}"})],
        app="a", env="e", env_type="development",
    )
    (resource,) = [r for r in plan.resources if r.type != "workload"]  # each workload has one
    assert (resource.definition, resource.outputs) == ("cache", {"host": "redis.internal", "port": 6379})


def test_plan_defaults_are_nodes() -> None:
    plan = goldpath.Platform.default().plan([workload("web")], app="a")
    assert (plan.app, plan.env, plan.env_type) == ("a", "development", "development")
    named = goldpath.Platform.default().plan([workload("web")], app="a", env_type="qa")
    assert (named.env, named.env_type) == ("qa", "qa")
