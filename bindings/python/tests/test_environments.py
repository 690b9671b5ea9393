"""Environment identity and access from Python (docs/environments.md): every write method ×
(the environment's stored type, a type the platform declares otherwise, a type the platform
does not define, a namespace option), and the regressions of issue 12 findings 1 to 3."""

import shutil
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

import goldpath
from conftest import PLATFORM, SEED, SHOP

T0 = "2026-11-23T09:00:00Z"
T1 = "2026-11-23T10:00:00Z"
PAT = goldpath.Principal("pat", ["platform-team"])
ADA = goldpath.Principal("ada", ["shop-team", "release-managers"])
DAN = goldpath.Principal("dan", ["shop-team"])
SAM = goldpath.Principal("sam")
RETIRED = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: retired}\nspec: {}\n"


@pytest.fixture(scope="module")
def platform() -> goldpath.Platform:
    """The sample platform: it declares production as production and has no type `retired`."""
    return goldpath.Platform.load(PLATFORM, secret_seed=SEED)


@pytest.fixture(scope="module")
def setup_platform(tmp_path_factory: pytest.TempPathFactory) -> goldpath.Platform:
    """The platform the store was set up with: no declarations, and a type `retired`."""
    folder = tmp_path_factory.mktemp("setup-platform")
    for path in PLATFORM.iterdir():
        if path.name != "environments.yaml":
            shutil.copy(path, folder / path.name)
    (folder / "retired.yaml").write_text(RETIRED)
    return goldpath.Platform.load(folder, secret_seed=SEED)


@pytest.fixture
def store(setup_platform: goldpath.Platform) -> goldpath.Store:
    """`development`, `preview` (qa-light), `production` as qa-light and `old` (retired), each
    deployed once."""
    store = goldpath.MemoryStore()
    for env, env_type in [("development", "development"), ("preview", "qa-light"), ("production", "qa-light"), ("old", "retired")]:
        setup_platform.create_environment(store, app="shop", env=env, env_type=env_type, at=T0, principal=PAT)
        setup_platform.deploy(store, SHOP, app="shop", env=env, at=T0, principal=PAT)
    return store


Write = Callable[[goldpath.Platform, goldpath.Store, str, Any, Optional[str]], Any]


def deploy(p: goldpath.Platform, s: goldpath.Store, env: str, who: Any, ns: Optional[str]) -> Any:
    return p.deploy(s, SHOP, app="shop", env=env, at=T1, principal=who, namespace=ns)


def rollback(p: goldpath.Platform, s: goldpath.Store, env: str, who: Any, ns: Optional[str]) -> Any:
    return p.rollback(s, app="shop", env=env, to=s.history("shop", env).ids[0], at=T1, principal=who)


def promote(p: goldpath.Platform, s: goldpath.Store, env: str, who: Any, ns: Optional[str]) -> Any:
    return p.promote(s, app="shop", from_env="development", to_env=env, at=T1, principal=who)


def mark_failed(p: goldpath.Platform, s: goldpath.Store, env: str, who: Any, ns: Optional[str]) -> Any:
    return p.mark_failed(s, id=s.history("shop", env).ids[0], principal=who)


def delete(p: goldpath.Platform, s: goldpath.Store, env: str, who: Any, ns: Optional[str]) -> Any:
    return p.delete_environment(s, app="shop", env=env, principal=who)


def create(env_type: str, clone: bool = False) -> Write:
    def write(p: goldpath.Platform, s: goldpath.Store, env: str, who: Any, ns: Optional[str]) -> Any:
        return p.create_environment(
            s, app="shop", env=env, env_type=env_type, at=T1, principal=who, clone_from="development" if clone else None
        )

    return write


OK = None
TABLE: List[Tuple[str, Write, str, Any, Optional[str], Any]] = [
    # The stored type decides: preview is qa-light.
    ("deploy stored", deploy, "preview", DAN, None, OK),
    ("deploy stored, no right", deploy, "preview", SAM, None, goldpath.PermissionDenied),
    ("rollback stored", rollback, "preview", DAN, None, OK),
    ("rollback stored, no right", rollback, "preview", SAM, None, goldpath.PermissionDenied),
    ("promote stored", promote, "preview", DAN, None, OK),
    ("promote stored, no right", promote, "preview", SAM, None, goldpath.PermissionDenied),
    ("mark failed stored", mark_failed, "preview", DAN, None, OK),
    ("mark failed stored, no right", mark_failed, "preview", SAM, None, goldpath.PermissionDenied),
    ("delete, not owner", delete, "preview", DAN, None, goldpath.PermissionDenied),
    ("delete, owner", delete, "preview", "ada", None, OK),
    ("create", create("qa-light"), "fresh", DAN, None, OK),
    ("clone without deployer on staging", create("staging", clone=True), "fresh", DAN, None, goldpath.PermissionDenied),
    # Declared production, stored qa-light.
    ("deploy declared", deploy, "production", ADA, None, goldpath.InvalidValueError),
    ("rollback declared", rollback, "production", ADA, None, goldpath.InvalidValueError),
    ("promote declared", promote, "production", ADA, None, goldpath.InvalidValueError),
    ("create declared", create("qa-light"), "staging", PAT, None, goldpath.InvalidValueError),
    ("clone declared", create("qa-light", clone=True), "staging", PAT, None, goldpath.InvalidValueError),
    ("mark failed declared", mark_failed, "production", ADA, None, goldpath.InvalidValueError),
    ("delete declared", delete, "production", "ada", None, OK),
    # A type the platform does not define.
    ("deploy unknown type", deploy, "old", PAT, None, goldpath.InvalidValueError),
    ("rollback unknown type", rollback, "old", PAT, None, goldpath.InvalidValueError),
    ("promote unknown type", promote, "old", PAT, None, goldpath.InvalidValueError),
    ("create unknown type", create("nope"), "x", PAT, None, goldpath.InvalidValueError),
    ("mark failed unknown type", mark_failed, "old", PAT, None, goldpath.InvalidValueError),
    ("delete unknown type, owner", delete, "old", "ada", None, goldpath.InvalidValueError),
    ("delete unknown type, admin", delete, "old", PAT, None, OK),
    # The namespace option.
    ("deploy into kube-system", deploy, "preview", PAT, "kube-system", goldpath.InvalidValueError),
    ("deploy into another environment's namespace", deploy, "preview", DAN, "shop-development", goldpath.InvalidValueError),
    ("deploy into its own namespace", deploy, "preview", DAN, "shop-preview", OK),
    # A namespace belongs to one environment.
    ("create in a taken namespace", create("production"), "production-eu", PAT, None, goldpath.StoreError),
]


def snapshot(store: goldpath.Store) -> Dict[str, Any]:
    return {e.name: (e.to_dict(), [(h.id, h.failed) for h in store.history("shop", e.name)]) for e in store.environments("shop")}


@pytest.mark.parametrize("name,write,env,who,ns,want", TABLE, ids=[row[0] for row in TABLE])
def test_every_write_is_admitted(
    platform: goldpath.Platform, store: goldpath.Store, name: str, write: Write, env: str, who: Any, ns: Optional[str], want: Any
) -> None:
    before = snapshot(store)
    if want is OK:
        write(platform, store, env, who, ns)
        return
    with pytest.raises(want):
        write(platform, store, env, who, ns)
    assert snapshot(store) == before, "a refused write changed the store"


def test_finding_1_a_declared_environment_keeps_its_declared_type(platform: goldpath.Platform) -> None:
    store = goldpath.MemoryStore()
    for who in [DAN, PAT]:
        with pytest.raises(goldpath.InvalidValueError, match="declares environment `production` of app `shop` with type `production`"):
            platform.create_environment(store, app="shop", env="production", env_type="qa-light", at=T1, principal=who)
    assert store.environments("shop") == []
    platform.deploy(store, SHOP, app="shop", env="production", at=T1, principal=ADA)
    production = store.environment("shop", "production")
    assert production is not None
    assert (production.env_type, production.namespace) == ("production", "shop-production")
    assert production.uid and len(production.uid) == 32


def test_finding_2_nothing_lands_in_kube_system(platform: goldpath.Platform, store: goldpath.Store) -> None:
    with pytest.raises(goldpath.InvalidValueError, match="namespace option `kube-system` would move its objects elsewhere"):
        platform.deploy(store, SHOP, app="shop", env="preview", at=T1, principal=PAT, namespace="kube-system", create_namespace=True)
    assert len(store.history("shop", "preview")) == 1


def test_finding_3_a_platform_without_the_type_cannot_deploy(store: goldpath.Store) -> None:
    bare = goldpath.Platform.default(secret_seed=SEED)
    with pytest.raises(goldpath.InvalidValueError, match="type `qa-light`, which the platform in use does not define"):
        bare.deploy(store, SHOP, app="shop", env="preview", at=T1)
    assert len(store.history("shop", "preview")) == 1


def test_a_dir_store_clears_dead_writers_leftovers(platform: goldpath.Platform, tmp_path: Path) -> None:
    store = goldpath.DirStore(tmp_path / "store")
    record = platform.deploy(store, SHOP, app="shop", env="development", at=T1, principal=PAT)
    leftover = tmp_path / "store" / "records" / f"{record.id}.tmp.4194303.0"
    leftover.write_text("{\"format\": ")
    goldpath.DirStore(tmp_path / "store")
    assert not leftover.exists()
