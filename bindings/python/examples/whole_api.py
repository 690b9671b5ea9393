"""Every public name of goldpath in one script: `mypy --strict` checks it against the stubs, and
the test suite runs it (`python examples/whole_api.py` from bindings/python)."""

import sys
from pathlib import Path
from typing import Any, Dict, List, Type

import goldpath

REPO = Path(__file__).resolve().parents[3]
ERROR_CLASSES: List[Type[goldpath.Error]] = [
    goldpath.YamlError,
    goldpath.SchemaError,
    goldpath.InvalidNameError,
    goldpath.InvalidValueError,
    goldpath.PlaceholderError,
    goldpath.LimitError,
    goldpath.IoError,
    goldpath.NoMatchError,
    goldpath.CycleError,
    goldpath.ConflictError,
    goldpath.DriverError,
    goldpath.PolicyError,
    goldpath.PermissionDenied,
    goldpath.StoreError,
]


def cloud_sql(request: Dict[str, Any]) -> Dict[str, Any]:
    """A host driver: outputs, a secret and no manifests."""
    return {"outputs": {"host": f"{request['id']}.sql.internal"}, "secrets": {"password": "from-a-vault-0123456789"}}


def summarize(plan: goldpath.Plan) -> List[str]:
    lines = [repr(plan), f"namespace={plan.namespace} app={plan.app} env={plan.env} type={plan.env_type}"]
    lines += [f"warning: {w}" for w in plan.warnings]
    kinds: List[str] = [str(m["kind"]) for m in plan.manifests]
    lines.append(" ".join(kinds))
    for resource in plan.resources:
        outputs: Dict[str, Any] = resource.outputs
        lines.append(f"{resource.key} {resource.type}/{resource.class_}/{resource.id} {resource.definition} {sorted(outputs)} {resource.secrets}")
    graph: goldpath.Graph = plan.graph
    for node in graph.nodes:
        lines.append(f"node {node.name} {node.kind} {node.type} {node.class_} {node.id} {node.definition}")
    for edge in graph.edges:
        lines.append(f"edge {edge.from_} -> {edge.to} ({edge.kind})")
    lines.append(" > ".join(graph.order))
    lines.append(f"{len(plan.to_yaml())} bytes of YAML, {len(plan.to_json())} of JSON")
    lines.append(plan.to_dot().splitlines()[0] + " / " + plan.to_mermaid().splitlines()[0])
    return lines


def main() -> int:
    platform = goldpath.Platform.load(REPO / "fixtures" / "platform", secret_seed="an-example-seed-of-32-bytes-or-more")
    print(platform, platform.environment_types, len(platform.definitions), goldpath.__version__)
    plan = platform.plan(REPO / "fixtures" / "shop", app="shop", env="qa-42", env_type="qa-light")
    print("\n".join(summarize(plan)))
    explanation: goldpath.Explanation = plan.explain("postgres#backend.db")
    print(explanation, explanation.winner, explanation.criterion, explanation.builtin)
    print([c["name"] for c in explanation.candidates], sorted(explanation.to_dict()))

    cloud = goldpath.Platform.from_documents(
        [
            "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: production}\nspec: {}\n",
            {
                "apiVersion": "goldpath.dev/v1alpha1",
                "kind": "ResourceDefinition",
                "metadata": {"name": "cloud-db"},
                "spec": {"type": "postgres", "driver": "cloud-sql", "criteria": [{}]},
            },
        ],
        builtins=True,
    )
    cloud.register_driver("cloud-sql", cloud_sql)
    workload = {
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "api"},
        "containers": {"main": {"image": ".", "variables": {"DB": "postgres://${resources.db.host}"}}},
        "resources": {"db": {"type": "postgres"}},
    }
    plan = cloud.plan([workload], app="shop", env="prod", env_type="production", namespace="shop", create_namespace=True, image="api:1")
    print("\n".join(summarize(plan)))
    print(goldpath.Platform.default().definitions[:3])

    try:
        cloud.plan([workload], app="shop", env="prod", env_type="staging")
    except goldpath.InvalidValueError as err:
        location: goldpath.Location = err.location
        first: goldpath.Diagnostic = err.diagnostics[0]
        print(err.kind, err.path, location.file, location.line, location.column, location.path, first.kind, first.location, first.message)
    for cls in ERROR_CLASSES:
        assert issubclass(cls, goldpath.Error), cls
    return 0


if __name__ == "__main__":
    sys.exit(main())
