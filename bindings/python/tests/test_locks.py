"""Locked baselines through the Python binding: the namespace option cannot move the objects of
an environment type that locks `namespace`."""

import pytest

import goldpath
from conftest import workload

LOCKED = {
    "apiVersion": "goldpath.dev/v1alpha1",
    "kind": "EnvironmentType",
    "metadata": {"name": "locked"},
    "spec": {"locked": ["namespace"]},
}


def test_a_namespace_option_that_breaks_the_lock_is_a_policy_error() -> None:
    platform = goldpath.Platform.from_documents([LOCKED])
    with pytest.raises(goldpath.PolicyError) as refused:
        platform.plan(workload("web"), app="shop", env="prod", env_type="locked", namespace="kube-system")
    assert refused.value.kind == "policy"
    assert "locks `namespace`" in str(refused.value) and "`shop-prod`" in str(refused.value)


def test_the_types_own_namespace_passes_the_lock() -> None:
    platform = goldpath.Platform.from_documents([LOCKED])
    plan = platform.plan(
        workload("web"), app="shop", env="prod", env_type="locked", namespace="shop-prod", create_namespace=True
    )
    where = {m["metadata"].get("namespace", m["metadata"]["name"]) for m in plan.manifests}
    assert where == {"shop-prod"}
