"""Workload patches through the Python binding (docs/patches.md): the production render of the
sample application carries the platform's `production-workload` patch and is byte for byte the
golden file that `goldpath render` writes (cli/tests/render.rs checks the CLI against it)."""

import pytest

import goldpath
from conftest import PLATFORM, SHOP, workload

GOLDEN = SHOP.parent / "golden" / "shop-production.yaml"

PRODUCTION = {
    "apiVersion": "goldpath.dev/v1alpha1",
    "kind": "EnvironmentType",
    "metadata": {"name": "production"},
    "spec": {"namespace": "shop-prod", "replicas": 2, "locked": ["replicas"]},
}


def patching(name: str, update: str) -> dict:
    """A `workload` definition whose `outputs.update` is the YAML `update`."""
    return {
        "apiVersion": "goldpath.dev/v1alpha1",
        "kind": "ResourceDefinition",
        "metadata": {"name": name},
        "spec": {
            "type": "workload",
            "driver": "template",
            "criteria": [{"app": "shop"}],
            "templates": {"outputs": f"update: {update}"},
        },
    }


def test_the_patched_production_render_is_the_clis_bytes() -> None:
    plan = goldpath.Platform.load(PLATFORM).plan(SHOP, app="shop", env="production", env_type="production")
    assert plan.to_yaml() == GOLDEN.read_text()
    backend = next(m for m in plan.manifests if m["kind"] == "Deployment" and m["metadata"]["name"] == "backend")
    pod = backend["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "backend"
    assert [c["topologyKey"] for c in pod["topologySpreadConstraints"]] == [
        "topology.kubernetes.io/zone",
        "kubernetes.io/hostname",
    ]
    assert plan.explain("workload#backend").winner == "production-workload"


def test_a_patch_uses_context_workload_and_a_locked_field_is_refused() -> None:
    sa = "[{op: add, path: '{{ context.workload.podSpecPath }}/serviceAccountName', value: '{{ context.workload.name }}-sa'}]"
    platform = goldpath.Platform.from_documents([PRODUCTION, patching("sa", sa)])
    plan = platform.plan(workload("web"), app="shop", env="prod", env_type="production")
    deployment = next(m for m in plan.manifests if m["kind"] == "Deployment")
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "web-sa"
    again = platform.plan(workload("web"), app="shop", env="prod", env_type="production")
    assert plan.to_yaml() == again.to_yaml()
    scale = goldpath.Platform.from_documents([PRODUCTION, patching("scale-up", "[{op: replace, path: /spec/replicas, value: 5}]")])
    with pytest.raises(goldpath.PolicyError) as refused:
        scale.plan(workload("web"), app="shop", env="prod", env_type="production")
    assert "resource definition `scale-up`" in str(refused.value)
    assert "locks `replicas`" in str(refused.value)


def test_a_failing_test_names_the_definition_and_the_operation() -> None:
    check = goldpath.Platform.from_documents([PRODUCTION, patching("checker", "[{op: test, path: /kind, value: CronJob}]")])
    with pytest.raises(goldpath.InvalidValueError) as refused:
        check.plan(workload("web"), app="shop", env="prod", env_type="production")
    assert "resource definition `checker`" in str(refused.value)
    assert "operation 0 (`test` at `/kind`)" in str(refused.value)
