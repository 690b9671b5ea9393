"""The PostgreSQL store from Python: `goldpath.PgStore(url)` has the methods of the other stores,
hides the URL's password, and refuses a malformed URL or another scheme. The cases that need a
server run when GOLDPATH_TEST_PG_URL names one (`.ci/postgres.sh start DIR` prints it)."""

import os
import shutil
import subprocess
import uuid

import pytest

import goldpath
from conftest import PLATFORM, SEED, SHOP

AT = "2026-11-23T10:00:00Z"
LATER = "2026-11-23T11:00:00Z"
ADA = goldpath.Principal("ada", groups=["shop-team"])


def fresh_database() -> str:
    """The URL of a new schema of the test server; skips, saying why, without one."""
    url = os.environ.get("GOLDPATH_TEST_PG_URL")
    if not url:
        pytest.skip("GOLDPATH_TEST_PG_URL is not set: no PostgreSQL server to test against")
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed: cannot create a schema for the test")
    schema = f"py_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", url, "-qc", f"CREATE SCHEMA {schema}"], check=True)
    join = "&" if "?" in url else "?"
    return f"{url}{join}options=-csearch_path%3D{schema}"


def test_a_malformed_url_or_another_scheme_is_refused_without_the_password() -> None:
    with pytest.raises(goldpath.InvalidValueError) as caught:
        goldpath.PgStore("postgres://app:hunter2secret@db:notaport/goldpath")
    assert "malformed" in str(caught.value) and "hunter2secret" not in str(caught.value)
    with pytest.raises(goldpath.InvalidValueError, match="is not a store goldpath knows"):
        goldpath.PgStore("mysql://db/goldpath")
    with pytest.raises(goldpath.InvalidValueError, match="needs a postgres://"):
        goldpath.PgStore("some/folder")


def test_an_unreachable_server_is_an_io_error_without_the_password() -> None:
    with pytest.raises(goldpath.IoError) as caught:
        goldpath.PgStore("postgres://app:hunter2secret@127.0.0.1:1/goldpath")
    assert "hunter2secret" not in str(caught.value)


def test_deploy_history_and_records_through_a_database() -> None:
    url = fresh_database()
    store = goldpath.PgStore(url)
    password = url.split("://", 1)[1].split("@", 1)[0].partition(":")[2]
    assert store.url.startswith("postgres://goldpath") and password and password not in repr(store) + store.url
    platform = goldpath.Platform.load(PLATFORM, secret_seed=SEED)
    first = platform.deploy(store, SHOP, app="shop", env="qa-42", at=AT, principal=ADA)
    second = platform.deploy(goldpath.PgStore(url), SHOP, app="shop", env="qa-42", at=LATER, principal=ADA)
    assert second.parent == first.id
    history = store.history("shop", "qa-42")
    assert history.ids == [first.id, second.id]
    assert store.record(first.id).to_json() == first.to_json()
    assert store.resolve_id(second.id[:8]) == second.id
    assert store.record_ids() == sorted([first.id, second.id])
    environment = store.environment("shop", "qa-42")
    assert environment is not None and environment.env_type == "qa-light"
    assert [e.name for e in store.environments("shop")] == ["qa-42"]
