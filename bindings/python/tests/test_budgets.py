"""Budgets through the Python binding: dicts are held to the same depth, node and size limits
as YAML (counted while they are converted, so a dict that shares itself cannot blow up), and
amplification is refused with a LimitError naming the resource (issue 12, findings 10, 13, 19)."""

from typing import Any, Dict

import pytest

import goldpath
from conftest import PLATFORM, workload


def plan(*workloads: Any) -> goldpath.Plan:
    return goldpath.Platform.load(PLATFORM).plan(list(workloads), app="shop", env="dev", env_type="development")


def test_finding_13_a_dict_with_150000_resources_is_refused_by_the_node_limit() -> None:
    resources = {f"r{i}": {"type": "volume"} for i in range(150_000)}
    with pytest.raises(goldpath.LimitError) as caught:
        plan(workload("wide", resources=resources))
    assert "250000 nodes" in str(caught.value)


def test_a_wide_list_is_refused_like_a_wide_mapping() -> None:
    with pytest.raises(goldpath.LimitError) as caught:
        plan(workload("wide", args=["x"] * 300_000))
    assert "nodes" in str(caught.value)


def test_deep_lists_and_tuples_are_refused_like_deep_yaml() -> None:
    deep: Any = "x"
    for _ in range(100):
        deep = [deep]
    with pytest.raises(goldpath.LimitError) as caught:
        plan(workload("deep", args=deep))
    assert "deeper than 64" in str(caught.value)
    nested: Any = "x"
    for _ in range(100):
        nested = (nested,)
    with pytest.raises(goldpath.LimitError):
        plan(workload("deep", args=nested))


def test_a_dict_that_shares_itself_is_refused_while_it_is_converted() -> None:
    # 40 levels of a dict referenced twice: 2^40 nodes if it were copied out.
    shared: Dict[str, Any] = {"leaf": "x"}
    for _ in range(40):
        shared = {"a": shared, "b": shared}
    with pytest.raises(goldpath.LimitError):
        plan(workload("bomb", resources={"db": {"type": "volume", "params": {"p": shared}}}))


def test_a_dict_over_the_size_limit_is_refused() -> None:
    with pytest.raises(goldpath.LimitError) as caught:
        plan(workload("big", variables={"BIG": "z" * (5 * 1024 * 1024)}))
    assert caught.value.path == "containers.main.variables.BIG"


def test_finding_10_a_doubling_chain_is_a_limit_error_naming_the_resource() -> None:
    resources: Dict[str, Any] = {"r0": {"type": "route", "params": {"host": "a" * 16, "port": 80}}}
    for i in range(1, 40):
        host = f"${{resources.r{i - 1}.host}}${{resources.r{i - 1}.host}}"
        resources[f"r{i}"] = {"type": "route", "params": {"host": host, "port": 80}}
    with pytest.raises(goldpath.LimitError) as caught:
        plan(workload("amp", resources=resources))
    assert "route.default#amp.r17" in str(caught.value)
    assert caught.value.path == "resources.r17.params.host"


def test_finding_19_sixty_five_containers_are_refused() -> None:
    doc = workload("many")
    doc["containers"] = {f"c{i}": {"image": "nginx:1.27"} for i in range(65)}
    with pytest.raises(goldpath.LimitError) as caught:
        plan(doc)
    assert "65 containers" in str(caught.value)
