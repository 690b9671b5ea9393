"""Every public name of goldpath in one script: `mypy --strict` checks it against the stubs, and
the test suite runs it (`python examples/whole_api.py` from bindings/python)."""

import datetime
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Tuple, Type

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
    goldpath.ClusterError,
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


def describe(record: goldpath.Deployment) -> str:
    """One line of a record: every field the class exposes."""
    operation: Dict[str, str] = record.operation
    resources: List[Dict[str, str]] = record.resources
    return (
        f"{record!r} {record.app}/{record.env} ({record.env_type}) parent={record.parent} at={record.at} "
        f"by={record.principal} {operation['kind']} {len(record.manifests)} manifests {len(record.order)} nodes "
        f"{len(resources)} resources {len(record.workloads)} workloads options={record.options} "
        f"platform={str(record.platform['digest'])[:12]} warnings={record.warnings} "
        f"{len(record.to_json())} bytes {sorted(record.to_dict())}"
    )


def deployments(platform: goldpath.Platform, store: goldpath.Store) -> None:
    """Deploy, diff, roll back, promote and manage environments; authorize and guardrails."""
    ada = goldpath.Principal("ada", groups=["shop-team", "release-managers"])
    print(ada, ada.user, ada.groups)
    shop = REPO / "fixtures" / "shop"
    first = platform.deploy(store, shop, app="shop", env="qa-42", at="2026-11-23T10:00:00Z", principal=ada)
    at = datetime.datetime(2026, 11, 23, 11, tzinfo=datetime.timezone.utc)
    second = platform.deploy(store, [shop], app="shop", env="qa-42", at=at, principal=ada, namespace=None, create_namespace=False, image=None)
    print(describe(first))
    diff: goldpath.Diff = goldpath.diff(first, second)
    inputs: goldpath.InputChanges = diff.inputs
    print(diff.from_[:12], diff.to[:12], diff.is_empty(), bool(diff), len(diff.to_json()), sorted(diff.to_dict()))
    for change in inputs.context:
        print(change.pointer, change.before, change.after, change.secret)
    for workload_diff in inputs.workloads:
        print(workload_diff.workload, workload_diff.change, [c.pointer for c in workload_diff.changes])
    for document in inputs.platform:
        print(document.document, document.change)
    objects: List[goldpath.ObjectDiff] = diff.objects
    for obj in objects:
        print(obj.api_version, obj.kind, obj.namespace, obj.name, obj.change, len(obj.changes))
    print(str(diff))
    rollback: goldpath.Rollback = platform.rollback(store, app="shop", env="qa-42", to=store.resolve_id(first.id[:8]), at="2026-11-23T12:00:00Z", principal=ada)
    print(rollback, rollback.record.operation, rollback.platform_changed, rollback.platform_changes, rollback.manifest_changes)
    promoted = platform.promote(store, app="shop", from_env="qa-42", to_env="production", at="2026-11-23T13:00:00Z", principal=ada)
    environment, clone = platform.create_environment(
        store, app="shop", env="pr-7", env_type="qa-light", at="2026-11-23T14:00:00Z", clone_from="qa-42", ephemeral=True, principal=ada
    )
    env: goldpath.Environment = environment
    print(env, env.app, env.name, env.env_type, env.ephemeral, env.cloned_from, env.created_at, env.to_dict(), clone)
    print([e.name for e in store.environments("shop")], store.environment("shop", "nowhere"))
    platform.delete_environment(store, app="shop", env="pr-7", principal="ada")
    platform.mark_failed(store, id=promoted.id, principal=ada)
    history: goldpath.History = store.history("shop", "qa-42")
    entries: List[goldpath.HistoryEntry] = history.entries
    print(len(history), history.ids == [e.id for e in history], history.head, history.current, len(store.record_ids()))
    for entry in entries:
        error: "goldpath.Error | None" = entry.error
        print(entry.id[:12], entry.record, error, entry.failed)
    print(store.record(promoted.id).env, store.history("shop", "production").current)
    decision: goldpath.Decision = goldpath.authorize(platform, ada, "promote", app="shop", env="production", env_type="production")
    print(decision.allowed, decision.binding, decision.bindings, decision.reason, decision.to_dict(), bool(decision))
    preview = platform.plan(shop, app="shop", env="production", env_type="production")
    entities: List[Dict[str, Any]] = preview.catalog(namespace="default", owner="team-shop", lifecycle="production")
    print([e["kind"] for e in entities], len(preview.catalog_yaml(owner="team-shop")))
    for violation in preview.violations:
        print(violation, violation.rule, violation.severity, violation.blocking, violation.policy, violation.workload,
              violation.file, violation.path, violation.message, violation.to_dict())


def main() -> int:
    platform = goldpath.Platform.load(REPO / "fixtures" / "platform", secret_seed="an-example-seed-of-32-bytes-or-more")
    print(platform, platform.environment_types, len(platform.definitions), goldpath.__version__)
    plan = platform.plan(REPO / "fixtures" / "shop", app="shop", env="qa-42", env_type="qa-light")
    print("\n".join(summarize(plan)))
    session: goldpath.Session = platform.session(REPO / "fixtures" / "shop", app="shop", env="qa-42", env_type="qa-light")
    edited: goldpath.Plan = session.update((REPO / "fixtures" / "shop" / "backend.score.yaml").read_text().replace("2.0.1", "2.0.2"))
    print(session, session.workloads, len(edited.manifests), session.remove("nightly-report").to_yaml() == session.plan.to_yaml())
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
        shared: Dict[str, Any] = first.to_dict()  # the form of Node's diagnostics
        print(err.code, first.code, first.path, shared["kind"])
    warnings: List[str] = platform.warnings
    kinds: List[Tuple[str, str, str]] = goldpath.ERROR_KINDS
    print(warnings, [name for _, _, name in kinds])
    deployments(platform, goldpath.MemoryStore())
    with tempfile.TemporaryDirectory() as folder:
        on_disk = goldpath.DirStore(folder)
        print(on_disk, on_disk.path)
    for cls in ERROR_CLASSES:
        assert issubclass(cls, goldpath.Error), cls
    return 0


if __name__ == "__main__":
    sys.exit(main())
