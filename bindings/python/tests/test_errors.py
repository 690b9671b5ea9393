"""Every error class, raised by a real bad input, with its attributes."""

from pathlib import Path
from typing import Any, Dict, List, Type

import pytest

import goldpath
from conftest import definition, workload

KINDS = {
    goldpath.YamlError: "yaml",
    goldpath.SchemaError: "schema",
    goldpath.InvalidNameError: "name",
    goldpath.InvalidValueError: "invalid",
    goldpath.PlaceholderError: "placeholder",
    goldpath.LimitError: "limit",
    goldpath.IoError: "io",
    goldpath.NoMatchError: "no-match",
    goldpath.CycleError: "cycle",
    goldpath.ConflictError: "conflict",
    goldpath.DriverError: "driver",
    goldpath.PolicyError: "policy",
    goldpath.PermissionDenied: "permission",
    goldpath.StoreError: "store",
    # Raised by applying to a cluster (feature `kube` of the core), which the package does not
    # bind yet: only its place in the hierarchy is checked here.
    goldpath.ClusterError: "cluster",
}


def plan(workloads: Any, platform: "goldpath.Platform | None" = None) -> goldpath.Plan:
    return (platform or goldpath.Platform.default()).plan(workloads, app="a", env="dev", env_type="development")


@pytest.mark.parametrize("cls,kind", list(KINDS.items()))
def test_every_kind_has_its_class_under_error(cls: Type[goldpath.Error], kind: str) -> None:
    assert issubclass(cls, goldpath.Error) and issubclass(cls, Exception)
    assert cls.kind == kind
    assert cls.__module__ == "goldpath"
    assert cls.__doc__


def test_yaml_error_has_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "score.yaml"
    bad.write_text("apiVersion: score.dev/v1b1\nmetadata: {name: web}\nmetadata: {name: again}\n")
    with pytest.raises(goldpath.YamlError) as caught:
        plan(bad)
    err = caught.value
    assert err.kind == "yaml"
    assert err.location.file == str(bad)
    assert err.location.line == 3 and err.location.column is not None
    assert str(err).startswith(f"{bad}:3:")
    assert err.diagnostics[0].kind == "yaml" and str(err.diagnostics[0]) == str(err)


def test_schema_error_in_a_dict_names_the_path_without_a_line() -> None:
    with pytest.raises(goldpath.SchemaError) as caught:
        plan(workload("web", variables={"PORT": 8080}))
    err = caught.value
    assert err.path == "containers.main.variables.PORT"
    assert (err.location.line, err.location.column) == (None, None)
    assert err.location.path == err.path
    assert "quote it" in err.message


def test_a_python_value_without_a_yaml_form_is_a_schema_error() -> None:
    with pytest.raises(goldpath.SchemaError, match="`set` has no YAML/JSON form") as caught:
        plan(workload("web", variables={"A": {1, 2}}))
    assert caught.value.path == "containers.main.variables.A"


def test_every_problem_of_an_input_is_reported() -> None:
    with pytest.raises(goldpath.SchemaError) as caught:
        plan([workload("Web", variables={"PORT": 8080}), workload("second", image=7)])
    paths = {(d.location.file, d.location.path) for d in caught.value.diagnostics}
    assert {
        ("workloads[0]", "metadata.name"),
        ("workloads[0]", "containers.main.variables.PORT"),
        ("workloads[1]", "containers.main.image"),
    } <= paths


def test_invalid_name_error() -> None:
    doc = workload("1web")
    doc["service"] = {"ports": {"web": {"port": 80}}}  # its Service takes its name: a DNS-1035 label
    with pytest.raises(goldpath.InvalidNameError, match="DNS-1035") as caught:
        plan(doc)
    assert caught.value.path == "metadata.name"


def test_invalid_value_error_for_an_unknown_environment_type(sample_platform: goldpath.Platform) -> None:
    with pytest.raises(goldpath.InvalidValueError, match="unknown environment type `nope`") as caught:
        sample_platform.plan(workload("web"), app="a", env="x", env_type="nope")
    assert caught.value.path is None


def test_invalid_value_error_for_a_key_that_is_not_in_the_plan(shop_plan: goldpath.Plan) -> None:
    with pytest.raises(goldpath.InvalidValueError, match="not a resource of this plan"):
        shop_plan.explain("redis#nowhere")


def test_placeholder_error() -> None:
    with pytest.raises(goldpath.PlaceholderError, match="nope"):
        plan(workload("web", variables={"X": "${resources.nope.host}"}))


def nested(levels: int) -> Dict[str, Any]:
    value: Dict[str, Any] = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def test_limit_error_for_deep_and_self_containing_dicts() -> None:
    with pytest.raises(goldpath.LimitError):
        plan(workload("web", variables={"X": "1"}, args=[nested(200)]))
    loop: List[Any] = []
    loop.append(loop)
    with pytest.raises(goldpath.LimitError):
        plan(workload("web", args=loop))


def test_io_error_names_the_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(goldpath.IoError) as caught:
        plan(missing)
    assert caught.value.location.file == str(missing)
    with pytest.raises(goldpath.IoError):
        goldpath.Platform.load(tmp_path / "no-platform")


def test_no_match_error_lists_the_definitions() -> None:
    platform = goldpath.Platform.from_documents(
        [definition("pg-prod", type="postgres", criteria=[{"app": "billing"}], inputs={"values": {"host": "db"}})], builtins=False
    )
    with pytest.raises(goldpath.NoMatchError, match="pg-prod"):
        plan(workload("web", {"db": {"type": "postgres"}}), platform)


def test_cycle_error_prints_the_cycle() -> None:
    platform = goldpath.Platform.from_documents(
        [
            definition("a", type="aa", inputs={"values": {"x": "${resources.bb.outputs.x}"}}),
            definition("b", type="bb", inputs={"values": {"x": "${resources.aa.outputs.x}"}}),
        ],
        builtins=False,
    )
    with pytest.raises(goldpath.CycleError, match="→"):
        plan(workload("web", {"res": {"type": "aa"}}), platform)


def test_conflict_error_for_a_shared_resource_with_different_params() -> None:
    shared = {"type": "redis", "id": "shared-cache"}
    a = workload("aa", {"cache": dict(shared, params={"size": "small"})})
    b = workload("bb", {"cache": dict(shared, params={"size": "large"})})
    with pytest.raises(goldpath.ConflictError, match="different params"):
        plan([a, b])


def test_driver_error_for_an_unknown_driver() -> None:
    platform = goldpath.Platform.from_documents([definition("xx", type="thing", driver="terraform")], builtins=False)
    with pytest.raises(goldpath.DriverError, match="no driver named `terraform`"):
        plan(workload("web", {"th": {"type": "thing"}}), platform)


def test_workloads_and_platform_documents_are_not_mixed_up() -> None:
    env_type = {"apiVersion": "goldpath.dev/v1alpha1", "kind": "EnvironmentType", "metadata": {"name": "x"}, "spec": {}}
    with pytest.raises(goldpath.InvalidValueError, match="give platform documents to the platform"):
        plan([env_type])
    with pytest.raises(goldpath.InvalidValueError, match="no Score workload"):
        plan([])
    with pytest.raises(TypeError):
        plan([42])


def test_a_rust_panic_becomes_goldpath_error() -> None:
    with pytest.raises(goldpath.Error) as caught:
        goldpath._goldpath._check_panic_guard()
    assert type(caught.value) is goldpath.Error
    assert caught.value.kind == "internal"
    assert "the panic guard works" in str(caught.value)


def test_every_error_kind_has_its_class_and_code() -> None:
    kinds = goldpath.ERROR_KINDS
    assert len(kinds) == len({k for k, _, _ in kinds}) >= 15
    for kind, code, name in kinds:
        cls = getattr(goldpath, name)
        assert issubclass(cls, goldpath.Error) and cls is not goldpath.Error
        assert (cls.kind, cls.code) == (kind, code)
        assert code == "GOLDPATH_" + kind.upper().replace("-", "_")
        assert name in goldpath.__all__


def test_message_lists_every_problem_and_diagnostics_each() -> None:
    with pytest.raises(goldpath.Error) as caught:
        plan([workload("Bad"), workload("web", image="")])
    err = caught.value
    assert len(err.diagnostics) >= 2
    assert err.message == str(err)
    assert all(d.message in err.message for d in err.diagnostics)
    assert err.code == err.diagnostics[0].code
