"""The shared cases of bindings/cases/inputs.json: the Node tests run the same file."""

import json
from typing import Any, Dict, List, Optional

import pytest

import goldpath
from conftest import REPO

CASES: List[Dict[str, Any]] = json.loads((REPO / "bindings" / "cases" / "inputs.json").read_text())["cases"]


def _input(item: Dict[str, Any]) -> Any:
    if "path" in item:
        return str(REPO / item["path"])
    if "text" in item:
        return item["text"]
    if "json" in item:
        return json.dumps(item["json"])
    return item["value"]


def _run(case: Dict[str, Any]) -> Dict[str, Any]:
    try:
        documents: Optional[List[Dict[str, Any]]] = case["platform"]
        platform = (
            goldpath.Platform.default()
            if documents is None
            else goldpath.Platform.from_documents([_input(d) for d in documents])
        )
        context = case["context"]
        plan = platform.plan(
            [_input(w) for w in case["workloads"]],
            app=context["app"],
            env=context["env"],
            env_type=context["env_type"],
            store=goldpath.MemoryStore() if context.get("store") == "memory" else None,
            provision=context.get("provision", False),
        )
        return {"deployments": sorted(m["metadata"]["name"] for m in plan.manifests if m["kind"] == "Deployment")}
    except goldpath.Error as err:
        # One serialized form of a diagnostic in both bindings.
        first = err.diagnostics[0].to_dict()
        assert sorted(first) == ["code", "kind", "location", "message", "path"]
        assert first["code"] == err.code == "GOLDPATH_" + err.kind.upper().replace("-", "_")
        assert sorted(first["location"]) == ["column", "file", "line", "path"]
        return {"error": err.kind}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_shared_case(case: Dict[str, Any]) -> None:
    assert _run(case) == case["expect"]
