"""The secret boundary through Python (issue 12, finding 6): a secret a Python driver returns,
or a secret input it receives, shown outside a Secret refuses the plan, and no error shows it."""

from typing import Any, Callable, Dict

import pytest

import goldpath
from conftest import definition, workload

HOST_SECRET = "Py-host-secret-0123456789"
INPUT_SECRET = "Py-secret-input-9876543210"


def platform_with(driver: Callable[[Dict[str, Any]], Dict[str, Any]]) -> goldpath.Platform:
    platform = goldpath.Platform.from_documents(
        [
            definition(
                "cloud-db",
                type="postgres",
                driver="cloud-sql",
                inputs={"values": {"tier": "small"}, "secrets": {"admin": INPUT_SECRET}},
            )
        ]
    )
    platform.register_driver("cloud-sql", driver)
    return platform


def plan_error(driver: Callable[[Dict[str, Any]], Dict[str, Any]]) -> str:
    uses_url = workload(
        "backend",
        {"db": {"type": "postgres"}},
        variables={"DB_URL": "${resources.db.url}", "DB_PASSWORD": "${resources.db.password}"},
    )
    with pytest.raises(goldpath.Error) as caught:
        platform_with(driver).plan([uses_url], app="shop", env="prod", env_type="production")
    return f"{caught.value}\n{caught.value!r}"


def test_a_host_secret_inside_a_longer_output_refuses_the_plan() -> None:
    def leaky(request: Dict[str, Any]) -> Dict[str, Any]:
        return {"outputs": {"url": f"postgres://app:{HOST_SECRET}@db"}, "secrets": {"password": HOST_SECRET}}

    message = plan_error(leaky)
    assert "postgres.default#backend.db" in message and "outputs.url" in message
    assert HOST_SECRET not in message


def test_a_secret_input_embedded_in_a_config_map_refuses_the_plan() -> None:
    def copies_input(request: Dict[str, Any]) -> Dict[str, Any]:
        admin = request["secrets"]["admin"]
        config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "db-info"}, "data": {"dsn": f"postgres://root:{admin.upper()}@db"}}
        return {"outputs": {"url": "postgres://db"}, "secrets": {"password": HOST_SECRET}, "manifests": [config]}

    message = plan_error(copies_input)
    assert "ConfigMap `db-info`" in message and "data.dsn" in message
    assert INPUT_SECRET.upper() not in message and INPUT_SECRET not in message


def test_an_exception_quoting_a_secret_input_is_scrubbed() -> None:
    def fails(request: Dict[str, Any]) -> Dict[str, Any]:
        raise RuntimeError(f"login with {request['secrets']['admin']} refused")

    message = plan_error(fails)
    assert "login with *** refused" in message
    assert INPUT_SECRET not in message
