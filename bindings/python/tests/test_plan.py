"""Planning and everything a Plan exposes."""

import json
from pathlib import Path

import goldpath
from conftest import PLATFORM, SHOP, workload


def test_manifests_are_plain_dicts_in_apply_order(shop_plan: goldpath.Plan) -> None:
    kinds = [m["kind"] for m in shop_plan.manifests]
    # workloads come last, by name: backend, frontend, migrate, nightly-report
    assert kinds[-6:] == ["Deployment", "Service", "Deployment", "Service", "Job", "CronJob"]
    assert all(isinstance(m, dict) for m in shop_plan.manifests)
    assert shop_plan.manifests == shop_plan.manifests  # rebuilt on every access, equal
    assert shop_plan.manifests is not shop_plan.manifests


def test_yaml_and_json_carry_the_same_objects(shop_plan: goldpath.Plan) -> None:
    assert json.loads(shop_plan.to_json()) == shop_plan.manifests
    documents = shop_plan.to_yaml().split("---\n")[1:]
    assert len(documents) == len(shop_plan.manifests)
    assert [d.split("\nkind: ")[1].split("\n")[0] for d in documents] == [m["kind"] for m in shop_plan.manifests]


def test_the_yaml_is_the_golden_file_the_rust_tests_check() -> None:
    platform = goldpath.Platform.load(PLATFORM)
    for env_type in ("development", "qa-light", "staging", "production"):
        plan = platform.plan(SHOP, app="shop", env=env_type, env_type=env_type)
        golden = SHOP.parent / "golden" / f"shop-{env_type}.yaml"
        assert plan.to_yaml() == golden.read_text(), env_type


def test_context_namespace_and_repr(shop_plan: goldpath.Plan) -> None:
    assert (shop_plan.app, shop_plan.env, shop_plan.env_type) == ("shop", "qa-42", "qa-light")
    assert shop_plan.namespace == "shop-qa-42"
    assert all(m["metadata"].get("namespace") in (None, "shop-qa-42") for m in shop_plan.manifests)
    assert "app=shop" in repr(shop_plan)
    assert shop_plan.warnings == []  # the fixture passes a seed


def test_resources_have_keys_parts_definitions_and_no_secret_values(shop_plan: goldpath.Plan) -> None:
    by_key = {r.key: r for r in shop_plan.resources}
    db = by_key["postgres.default#backend.db"]
    assert (db.type, db.class_, db.id, db.definition) == ("postgres", "default", "backend.db", "postgres-in-cluster")
    assert "password" in db.secrets
    assert "password" not in db.outputs
    assert isinstance(db.outputs["host"], str)
    assert "postgres-in-cluster" in repr(db)


def test_graph_nodes_edges_and_order(shop_plan: goldpath.Plan) -> None:
    graph = shop_plan.graph
    order = graph.order
    assert order == [n.name for n in graph.nodes]
    assert {"backend", "frontend", "postgres.default#backend.db"} <= set(order)
    for edge in graph.edges:
        assert order.index(edge.to) < order.index(edge.from_), f"{edge.from_} needs {edge.to}"
    assert {e.kind for e in graph.edges} >= {"request"}
    workload_node = next(n for n in graph.nodes if n.name == "backend")
    assert (workload_node.kind, workload_node.type, workload_node.definition) == ("workload", None, None)
    db = next(n for n in graph.nodes if n.name == "postgres.default#backend.db")
    assert (db.kind, db.type, db.class_, db.id) == ("resource", "postgres", "default", "backend.db")


def test_dot_and_mermaid_name_every_node(shop_plan: goldpath.Plan) -> None:
    dot, mermaid = shop_plan.to_dot(), shop_plan.to_mermaid()
    assert dot.startswith("digraph goldpath {")
    assert mermaid.startswith("flowchart LR")
    for name in shop_plan.graph.order:
        assert f'"{name}"' in dot
        assert name in mermaid


def test_explain_names_the_winner_and_every_candidate(shop_plan: goldpath.Plan) -> None:
    explanation = shop_plan.explain("postgres#backend.db")
    assert (explanation.winner, explanation.criterion, explanation.builtin) == ("postgres-in-cluster", 1, False)
    outcomes = {c["name"]: c["verdict"]["outcome"] for c in explanation.candidates}
    assert outcomes == {"postgres-in-cluster": "won", "postgres-managed": "no-match", "builtin-postgres": "outranked"}
    assert str(explanation).splitlines()[0].endswith("`postgres-in-cluster` (criterion [1])")
    assert explanation.to_dict()["winner"]["name"] == "postgres-in-cluster"
    assert "postgres-in-cluster" in repr(explanation)


def test_paths_text_and_dicts_give_the_same_plan(tmp_path: Path) -> None:
    doc = workload("web", {"cache": {"type": "redis"}}, variables={"REDIS": "${resources.cache.host}"})
    text = json.dumps(doc, indent=1)  # JSON is YAML too, and it holds line breaks
    file = tmp_path / "score.yaml"
    file.write_text(text)
    platform = goldpath.Platform.default()
    plans = [
        platform.plan(given, app="a", env="dev", env_type="development")
        for given in (doc, [doc], text, (text,), str(file), file, [tmp_path])
    ]
    assert len({p.to_yaml() for p in plans}) == 1


def test_namespace_create_namespace_and_image_options() -> None:
    doc = workload("web")
    doc["containers"]["main"]["image"] = "."
    plan = goldpath.Platform.default().plan(
        doc, app="a", env="dev", env_type="development", namespace="team-a", create_namespace=True, image="ghcr.io/a/web:1"
    )
    assert plan.manifests[0]["kind"] == "Namespace"
    assert plan.manifests[0]["metadata"]["name"] == "team-a"
    deployment = next(m for m in plan.manifests if m["kind"] == "Deployment")
    assert deployment["metadata"]["namespace"] == "team-a"
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "ghcr.io/a/web:1"


def test_the_package_has_a_version_and_docstrings() -> None:
    assert goldpath.__version__.count(".") == 2
    for name in goldpath.__all__:
        obj = getattr(goldpath, name)
        if name != "__version__":
            assert obj.__doc__, f"{name} has no docstring"
    assert goldpath.Platform.plan.__doc__ and "workloads" in goldpath.Platform.plan.__doc__
