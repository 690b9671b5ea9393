"""Deployments from Python: records, history, diff, rollback, promotion, environments, stores."""

import base64
import datetime
import json
import shutil
from pathlib import Path
from typing import List

import pytest

import goldpath
from conftest import PLATFORM, SEED, SHOP

AT = "2026-11-23T10:00:00Z"
LATER = "2026-11-23T11:00:00Z"
ADA = goldpath.Principal("ada", groups=["shop-team", "release-managers"])


@pytest.fixture
def platform() -> goldpath.Platform:
    """The sample platform: role bindings, environments, policies."""
    return goldpath.Platform.load(PLATFORM, secret_seed=SEED)


@pytest.fixture
def shop_next(tmp_path: Path) -> Path:
    """The shop with the backend's image moved to 2.1.0."""
    folder = tmp_path / "shop-next"
    shutil.copytree(SHOP, folder)
    backend = folder / "backend.score.yaml"
    backend.write_text(backend.read_text().replace("backend:2.0.1", "backend:2.1.0"))
    return folder


def secret_values(plan: goldpath.Plan) -> List[str]:
    """Every secret value of a plan's Secrets, as stored and decoded."""
    values: List[str] = []
    for manifest in plan.manifests:
        if manifest["kind"] != "Secret":
            continue
        for value in manifest.get("data", {}).values():
            values += [value, base64.b64decode(value).decode()]
        values += list(manifest.get("stringData", {}).values())
    return [v for v in values if len(v) >= 8]


def test_deploy_diff_rollback_round_trip(platform: goldpath.Platform, shop_next: Path) -> None:
    store = goldpath.MemoryStore()
    first = platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=ADA)
    second = platform.deploy(store, shop_next, app="shop", env="qa-42", at=LATER, principal=ADA)
    assert (first.app, first.env, first.env_type, first.principal) == ("shop", "qa-42", "qa-light", "ada")
    assert first.parent is None and second.parent == first.id
    assert first.operation == {"kind": "deploy"} and first.at == AT
    assert len(first.id) == 64 and first.id != second.id

    diff = goldpath.diff(first, second)
    assert (diff.from_, diff.to) == (first.id, second.id) and bool(diff) and not diff.is_empty()
    [workload] = diff.inputs.workloads
    assert (workload.workload, workload.change) == ("backend", "changed")
    [image] = workload.changes
    assert image.pointer == "/containers/api/image"
    assert (image.before, image.after) == ("registry.example.com/shop/backend:2.0.1", "registry.example.com/shop/backend:2.1.0")
    [deployment] = [o for o in diff.objects if o.kind == "Deployment"]
    assert (deployment.name, deployment.change, deployment.api_version) == ("backend", "changed", "apps/v1")
    assert "~ workload backend" in str(diff) and "+ \"registry.example.com/shop/backend:2.1.0\"" in str(diff)
    assert json.loads(diff.to_json()) == diff.to_dict()
    assert diff.to_dict()["inputs"]["workloads"][0]["workload"] == "backend"

    rollback = platform.rollback(store, app="shop", env="qa-42", to=first.id, at="2026-11-23T12:00:00Z", principal=ADA)
    assert not rollback.platform_changed and rollback.platform_changes == [] and rollback.manifest_changes == []
    record = rollback.record
    assert record.operation == {"kind": "rollback", "to": first.id} and record.parent == second.id
    assert record.manifests == first.manifests
    back = goldpath.diff(first, record)
    assert back.is_empty() and not back and back.objects == []
    assert str(back).endswith("no changes\n")

    history = store.history("shop", "qa-42")
    assert history.ids == [first.id, second.id, record.id] and len(history) == 3
    assert [e.record.id for e in history if e.record] == history.ids
    assert all(e.error is None and not e.failed for e in history.entries)
    assert history.head is not None and history.current is not None and history.current.id == record.id


def test_a_record_reads_back_whole(platform: goldpath.Platform, tmp_path: Path) -> None:
    store = goldpath.DirStore(tmp_path / "store")
    assert store.path == tmp_path / "store"
    at = datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.timezone.utc)
    record = platform.deploy(store, SHOP, app="shop", env="qa-42", at=at, principal=ADA, image="unused:1")
    assert record.at == "2026-11-23T10:00:00+00:00"
    again = goldpath.DirStore(tmp_path / "store").record(record.id)
    assert again.to_dict() == record.to_dict() and again.to_json() == record.to_json()
    document = json.loads(record.to_json())
    assert document["format"] == "goldpath.dev/deployment/v1" and document["id"] == record.id
    assert record.options == {"image": "unused:1"}
    assert [w["score"]["metadata"]["name"] for w in record.workloads] == ["backend", "frontend", "migrate", "nightly-report"]
    assert record.platform["documents"]["RoleBinding/shop-owner"] == document["inputs"]["platform"]["documents"]["RoleBinding/shop-owner"]
    assert {r["key"]: r["definition"] for r in record.resources}["postgres.default#backend.db"] == "postgres-in-cluster"
    assert record.order[-1] == "nightly-report" and "backend" in record.order
    kinds = [m["kind"] for m in record.manifests]
    assert (kinds.count("Deployment"), kinds.count("Job"), kinds.count("CronJob")) == (2, 1, 1)
    assert isinstance(record.warnings, list)
    assert store.record_ids() == [record.id]
    assert store.resolve_id(record.id[:6]) == record.id


def test_no_secret_value_reaches_a_record_or_a_diff(tmp_path: Path) -> None:
    store = goldpath.MemoryStore()
    one = goldpath.Platform.load(PLATFORM, secret_seed=SEED)
    other = goldpath.Platform.load(PLATFORM, secret_seed="another-seed-of-at-least-32-bytes-long")
    secrets = secret_values(one.plan(SHOP, app="shop", env="qa-42", env_type="qa-light"))
    secrets += secret_values(other.plan(SHOP, app="shop", env="qa-42", env_type="qa-light"))
    assert secrets, "the shop's database has a generated password"
    a = one.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=ADA)
    b = other.deploy(store, SHOP, app="shop", env="qa-42", at=LATER, principal=ADA)
    diff = goldpath.diff(a, b)
    [secret] = [o for o in diff.objects if o.kind == "Secret"]
    assert secret.changes and all(c.secret and c.before is None and c.after is None for c in secret.changes)
    texts = [a.to_json(), b.to_json(), str(diff), diff.to_json(), repr(a.to_dict()), repr(b.manifests)]
    for text in texts:
        for value in secrets:
            assert value not in text


def test_a_denied_deploy_raises_permission_denied(platform: goldpath.Platform) -> None:
    store = goldpath.MemoryStore()
    with pytest.raises(goldpath.PermissionDenied) as denied:
        platform.deploy(store, SHOP, app="shop", env="production", at=AT, principal=goldpath.Principal("sam", ["shop-team"]))
    assert denied.value.kind == "permission" and "deployer" in denied.value.message
    with pytest.raises(goldpath.PermissionDenied, match="needs to know who acts"):
        platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT)
    with pytest.raises(goldpath.PermissionDenied, match="`bob`"):
        platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal="bob")
    assert store.record_ids() == []


def test_a_latest_image_promoted_to_production_raises_policy_error(platform: goldpath.Platform, tmp_path: Path) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(SHOP, shop)
    backend = shop / "backend.score.yaml"
    backend.write_text(backend.read_text().replace("backend:2.0.1", "backend:latest"))
    store = goldpath.MemoryStore()
    preview = platform.deploy(store, shop, app="shop", env="qa-42", at=AT, principal=ADA)
    with pytest.raises(goldpath.PolicyError) as blocked:
        platform.promote(store, app="shop", from_env="qa-42", to_env="production", at=LATER, principal=ADA)
    assert blocked.value.kind == "policy" and "forbid-latest-tag" in str(blocked.value)
    assert blocked.value.path == "containers.api.image"
    assert store.history("shop", "production").ids == []
    assert store.history("shop", "qa-42").ids == [preview.id]


def test_promote_plans_in_the_target_context(platform: goldpath.Platform) -> None:
    store = goldpath.MemoryStore()
    preview = platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=ADA)
    promoted = platform.promote(store, app="shop", from_env="qa-42", to_env="production", at=LATER, principal=ADA)
    assert promoted.operation == {"kind": "promote", "from": "qa-42", "record": preview.id}
    assert (promoted.env, promoted.env_type) == ("production", "production")
    assert "NetworkPolicy" in [m["kind"] for m in promoted.manifests]


def test_environments_are_created_cloned_listed_and_deleted(platform: goldpath.Platform) -> None:
    store = goldpath.MemoryStore()
    source = platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=ADA)
    env, record = platform.create_environment(
        store, app="shop", env="pr-7", env_type="qa-light", clone_from="qa-42", ephemeral=True, at=LATER, principal=ADA
    )
    assert (env.app, env.name, env.env_type, env.ephemeral, env.cloned_from, env.created_at) == ("shop", "pr-7", "qa-light", True, "qa-42", LATER)
    assert env.to_dict()["envType"] == "qa-light"
    assert record is not None and record.operation == {"kind": "clone", "from": "qa-42", "record": source.id}
    empty, none = platform.create_environment(store, app="shop", env="pr-8", env_type="development", at=LATER, principal=ADA)
    assert none is None and empty.cloned_from is None and not empty.ephemeral
    assert [e.name for e in store.environments("shop")] == ["pr-7", "pr-8", "qa-42"]
    found = store.environment("shop", "pr-7")
    assert found is not None and found.ephemeral
    with pytest.raises(goldpath.StoreError, match="exists already"):
        platform.create_environment(store, app="shop", env="pr-7", env_type="qa-light", at=LATER, principal=ADA)
    with pytest.raises(goldpath.InvalidValueError, match="nightly"):
        platform.create_environment(store, app="shop", env="pr-9", env_type="nightly", at=LATER, principal=ADA)
    platform.delete_environment(store, app="shop", env="pr-7", principal=ADA)
    assert store.environment("shop", "pr-7") is None
    assert store.record(record.id).id == record.id
    with pytest.raises(goldpath.PermissionDenied):
        platform.delete_environment(store, app="shop", env="pr-8", principal=goldpath.Principal("sam", ["shop-team"]))


def test_a_failed_record_is_not_current(platform: goldpath.Platform) -> None:
    store = goldpath.MemoryStore()
    first = platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=ADA)
    second = platform.deploy(store, SHOP, app="shop", env="qa-42", at=LATER, principal=ADA)
    with pytest.raises(goldpath.PermissionDenied):
        platform.mark_failed(store, id=second.id, principal="sam")
    platform.mark_failed(store, id=second.id, principal=ADA)
    history = store.history("shop", "qa-42")
    assert [e.failed for e in history] == [False, True]
    assert history.head is not None and history.head.id == second.id
    assert history.current is not None and history.current.id == first.id


def test_a_corrupt_record_is_a_store_error(platform: goldpath.Platform, tmp_path: Path) -> None:
    store = goldpath.DirStore(tmp_path)
    first = platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=ADA)
    second = platform.deploy(store, SHOP, app="shop", env="qa-42", at=LATER, principal=ADA)
    (tmp_path / "records" / f"{first.id}.json").write_text('{"format": "goldpath.dev/deployment/v1", "id": ')
    with pytest.raises(goldpath.StoreError) as corrupt:
        store.record(first.id)
    assert corrupt.value.kind == "store" and first.id in str(corrupt.value.location.file)
    history = store.history("shop", "qa-42")
    broken, fine = history.entries
    assert broken.record is None and isinstance(broken.error, goldpath.StoreError) and broken.id == first.id
    assert fine.record is not None and fine.record.id == second.id and fine.error is None
    with pytest.raises(goldpath.StoreError, match="no deployment record"):
        store.record("0" * 64)
    with pytest.raises(goldpath.StoreError, match="too short"):
        store.resolve_id("abc")
    with pytest.raises(goldpath.StoreError, match="does not exist"):
        store.history("shop", "nowhere")


def test_rollback_refuses_a_record_of_another_environment(platform: goldpath.Platform) -> None:
    store = goldpath.MemoryStore()
    preview = platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=ADA)
    platform.deploy(store, SHOP, app="shop", env="development", at=AT, principal=ADA)
    with pytest.raises(goldpath.InvalidValueError, match="promote"):
        platform.rollback(store, app="shop", env="development", to=preview.id, at=LATER, principal=ADA)


def test_bad_arguments_are_type_and_value_errors(platform: goldpath.Platform) -> None:
    store = goldpath.MemoryStore()
    with pytest.raises(TypeError, match="RFC 3339"):
        platform.deploy(store, SHOP, app="shop", env="qa-42", at=1234, principal=ADA)  # type: ignore[arg-type]
    with pytest.raises(goldpath.InvalidValueError, match="RFC 3339"):
        platform.deploy(store, SHOP, app="shop", env="qa-42", at="yesterday", principal=ADA)
    with pytest.raises(TypeError, match="principal"):
        platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        goldpath.Store()  # type: ignore[call-arg]
