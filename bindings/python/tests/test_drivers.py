"""Python drivers: the request they receive, the answers they give, the errors they raise."""

import threading
from typing import Any, Dict, List

import pytest

import goldpath
from conftest import definition, workload

SECRET = "py-driver-password-0123456789"


def cloud_platform() -> goldpath.Platform:
    return goldpath.Platform.from_documents(
        [
            definition(
                "cloud-db",
                type="postgres",
                driver="cloud-sql",
                inputs={"values": {"tier": "small", "app": "${context.app.id}"}, "secrets": {"admin": "root-pass-1234567"}},
            )
        ]
    )


def request_db() -> Dict[str, Any]:
    return workload(
        "backend",
        {"db": {"type": "postgres", "params": {"version": "16"}}},
        variables={"DB_HOST": "${resources.db.host}", "DB_PASSWORD": "${resources.db.password}"},
    )


def test_a_python_driver_receives_the_request_and_provisions() -> None:
    seen: List[Dict[str, Any]] = []

    def cloud_sql(request: Dict[str, Any]) -> Dict[str, Any]:
        seen.append(request)
        return {
            "outputs": {"host": f"{request['id']}.sql.example.com", "port": 5432},
            "secrets": {"password": SECRET, "ca": {"secretKeyRef": {"name": "cloud-ca", "key": "ca.crt"}}},
            "manifests": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "db-info"}, "data": {"tier": request["inputs"]["tier"]}}],
        }

    platform = cloud_platform()
    platform.register_driver("cloud-sql", cloud_sql)
    plan = platform.plan([request_db()], app="shop", env="prod", env_type="production")

    (request,) = seen
    assert request["key"] == "postgres.default#backend.db"
    assert (request["type"], request["class"], request["id"]) == ("postgres", "default", "backend.db")
    assert (request["definition"], request["driver"], request["source"]) == ("cloud-db", "cloud-sql", "backend")
    assert request["context"] == {"app": "shop", "env": "prod", "env_type": "production"}
    assert request["params"] == {"version": "16"}
    assert request["inputs"] == {"tier": "small", "app": "shop"}  # placeholders substituted
    assert request["secrets"] == {"admin": "root-pass-1234567"}
    assert request["guid"]

    (resource,) = [r for r in plan.resources if r.type != "workload"]  # each workload has one
    assert resource.outputs == {"host": "backend.db.sql.example.com", "port": 5432}
    assert resource.secrets == ["ca", "password"]
    kinds = [m["kind"] for m in plan.manifests]
    assert "ConfigMap" in kinds and "Secret" in kinds
    deployment = next(m for m in plan.manifests if m["kind"] == "Deployment")
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DB_HOST"]["value"] == "backend.db.sql.example.com"
    assert "secretKeyRef" in env["DB_PASSWORD"]["valueFrom"]
    # the secret value lives only in the Secret's data, base64-encoded
    assert SECRET not in plan.to_yaml()


def test_an_exception_in_a_driver_is_a_driver_error_naming_the_resource() -> None:
    def broken(request: Dict[str, Any]) -> Dict[str, Any]:
        raise RuntimeError("quota exceeded in europe-west1")

    platform = cloud_platform()
    platform.register_driver("cloud-sql", broken)
    with pytest.raises(goldpath.DriverError) as caught:
        platform.plan([request_db()], app="shop", env="prod", env_type="production")
    message = str(caught.value)
    assert "postgres.default#backend.db" in message and "cloud-db" in message
    assert "RuntimeError: quota exceeded in europe-west1" in message
    assert "host driver `cloud-sql` failed" in message


@pytest.mark.parametrize(
    "answer,expected",
    [
        ([], "must be a mapping"),
        ({"outputs": [1]}, "`outputs` must be a mapping, found a list"),
        ({"secrets": {"password": 12345678}}, "`secrets.password` must be text"),
        ({"manifests": ["x"]}, "`manifests[0]` must be a Kubernetes object"),
        ({"output": {}}, "unknown key `output`"),
        ({"outputs": {"when": object()}}, "`object` has no YAML/JSON form"),
    ],
)
def test_a_wrong_answer_is_a_driver_error_saying_what_is_wrong(answer: Any, expected: str) -> None:
    platform = cloud_platform()
    platform.register_driver("cloud-sql", lambda request: answer)
    with pytest.raises(goldpath.DriverError, match="postgres.default#backend.db") as caught:
        platform.plan([request_db()], app="shop", env="prod", env_type="production")
    assert expected in str(caught.value)
    assert "12345678" not in str(caught.value)


def test_a_driver_may_replace_a_builtin_one_and_runs_on_the_planning_thread() -> None:
    threads: List[str] = []

    def template(request: Dict[str, Any]) -> Dict[str, Any]:
        threads.append(threading.current_thread().name)
        return {"outputs": {"host": "fake-redis", "port": 1}, "secrets": {"password": "Xq7-fake-pw-99310"}}

    platform = goldpath.Platform.default()
    platform.register_driver("template", template)
    plan = platform.plan(
        [workload("web", {"cache": {"type": "redis"}}, variables={"R": "${resources.cache.host}"})],
        app="a", env="dev", env_type="development",
    )
    assert threads == [threading.current_thread().name]
    assert plan.resources[0].outputs == {"host": "fake-redis", "port": 1}


def test_a_coroutine_function_driver_is_refused_when_registered() -> None:
    async def provision(request: Dict[str, Any]) -> Dict[str, Any]:
        return {"outputs": {"host": "h"}}

    with pytest.raises(TypeError, match="coroutine function"):
        goldpath.Platform.default().register_driver("async-cache", provision)


def test_an_awaitable_answer_is_a_driver_error() -> None:
    async def later() -> Dict[str, Any]:
        return {"outputs": {"host": "h"}}

    platform = goldpath.Platform.from_documents([definition("cache", type="redis", driver="sneaky")])
    platform.register_driver("sneaky", lambda request: later())
    with pytest.raises(goldpath.DriverError, match="awaitable"):
        platform.plan(
            [workload("web", {"cache": {"type": "redis"}}, variables={"R": "${resources.cache.host}"})],
            app="a",
            env="e",
            env_type="development",
        )
