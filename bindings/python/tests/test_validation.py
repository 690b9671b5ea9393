"""Issue 12's validation gaps through the Python binding: images, control characters, a Score
file with two workloads. The binding converts and calls the core; these check that dicts and
files reach the same rules as the CLI."""

from pathlib import Path
from typing import Any

import pytest

import goldpath
from conftest import workload


def plan(workloads: Any) -> goldpath.Plan:
    return goldpath.Platform.default().plan(workloads, app="a", env="dev", env_type="development")


@pytest.mark.parametrize(
    "image,words",
    [
        ("ghcr.io/Acme/Web:1.0", "lower-case"),
        (" nginx", "white space"),
        ("nginx\x1b[2J", "control character"),
        ("${resources.img.name}", "placeholders are not expanded"),
    ],
)
def test_an_image_the_kubelet_refuses_is_an_invalid_value_naming_the_path(image: str, words: str) -> None:
    with pytest.raises(goldpath.InvalidValueError) as caught:
        plan(workload("web", image=image))
    err = caught.value
    assert err.location.path == "containers.main.image"
    assert words in str(err)
    assert "\x1b" not in str(err)


def test_control_characters_in_a_dict_value_or_key_are_refused() -> None:
    with pytest.raises(goldpath.InvalidValueError, match="U\\+0000") as caught:
        plan(workload("web", args=["ok", "\x00"]))
    assert caught.value.location.path == "containers.main.args[1]"
    with pytest.raises(goldpath.InvalidValueError, match="rename it"):
        plan(workload("web", variables={"A\nB": "x"}))
    pem = "-----BEGIN-----\nabc\r\n-----END-----\n"
    assert plan(workload("web", variables={"PEM": pem}, files={"/etc/a": {"content": "a\tb\n"}}))


def test_a_score_file_with_two_workloads_is_a_yaml_error(tmp_path: Path) -> None:
    doc = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers: {main: {image: nginx}}\n"
    score = tmp_path / "score.yaml"
    score.write_text(doc + "---\n" + doc)
    with pytest.raises(goldpath.YamlError, match="a file of its own") as caught:
        plan(score)
    assert caught.value.location.line == 5
