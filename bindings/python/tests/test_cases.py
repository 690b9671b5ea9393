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


def _run(case: Dict[str, Any], operation: str) -> Dict[str, Any]:
    try:
        documents: Optional[List[Dict[str, Any]]] = case["platform"]
        platform = (
            goldpath.Platform.default()
            if documents is None
            else goldpath.Platform.from_documents([_input(d) for d in documents])
        )
        context = case["context"]
        workloads = [_input(w) for w in case["workloads"]]
        arguments: Dict[str, Any] = dict(
            app=context["app"],
            env=context["env"],
            env_type=context["env_type"],
            store=goldpath.MemoryStore() if context.get("store") == "memory" else None,
            provision=context.get("provision", False),
        )
        if operation == "plan":
            plan = platform.plan(workloads, **arguments)
        else:
            plan = platform.session(workloads, **arguments).plan
        return {"deployments": sorted(m["metadata"]["name"] for m in plan.manifests if m["kind"] == "Deployment")}
    except goldpath.Error as err:
        # One serialized form of a diagnostic in both bindings.
        first = err.diagnostics[0].to_dict()
        assert sorted(first) == ["code", "kind", "location", "message", "path"]
        assert first["code"] == err.code == "GOLDPATH_" + err.kind.upper().replace("-", "_")
        assert sorted(first["location"]) == ["column", "file", "line", "path"]
        return {"error": err.kind}


@pytest.mark.parametrize("operation", ["plan", "session"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_shared_case(case: Dict[str, Any], operation: str) -> None:
    """A session opens on the same inputs as a plan, with the same result."""
    assert _run(case, operation) == case["expect"]
