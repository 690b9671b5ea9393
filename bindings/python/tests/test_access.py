"""Access control and guardrails from Python: authorize, Principal, Decision, Plan.violations."""

import pytest

import goldpath
from conftest import PLATFORM, SEED, SHOP, workload


@pytest.fixture(scope="module")
def platform() -> goldpath.Platform:
    return goldpath.Platform.load(PLATFORM, secret_seed=SEED)


def test_authorize_allows_with_the_bindings_that_grant(platform: goldpath.Platform) -> None:
    rita = goldpath.Principal("rita", groups=["shop-team", "release-managers"])
    decision = goldpath.authorize(platform, rita, "promote", app="shop", env="production", env_type="production")
    assert decision.allowed and bool(decision)
    assert decision.binding == "release-managers"
    assert decision.bindings == ["release-managers", "shop-developers"]
    assert "deployer" in decision.reason
    assert decision.to_dict() == {
        "allowed": True,
        "binding": "release-managers",
        "bindings": ["release-managers", "shop-developers"],
        "reason": decision.reason,
    }


def test_authorize_denies_and_says_what_is_missing(platform: goldpath.Platform) -> None:
    sam = goldpath.Principal("sam", ["shop-team"])
    decision = goldpath.authorize(platform, sam, "promote", app="shop", env="production", env_type="production")
    assert not decision.allowed and not decision
    assert decision.binding is None and decision.bindings == []
    assert "deployer on `production`" in decision.reason and "`sam`" in decision.reason
    assert "denied" in repr(decision)


def test_a_str_principal_is_a_user_without_groups(platform: goldpath.Platform) -> None:
    assert goldpath.authorize(platform, "ada", "delete-environment", app="shop").allowed
    assert not goldpath.authorize(platform, "eve", "view", app="shop").allowed
    assert not goldpath.authorize(platform, "ada", "manage-platform")
    assert goldpath.authorize(platform, goldpath.Principal("root", ["platform-team"]), "manage-platform")


def test_an_unknown_action_is_an_invalid_value(platform: goldpath.Platform) -> None:
    with pytest.raises(goldpath.InvalidValueError, match="unknown action `fly`"):
        goldpath.authorize(platform, "ada", "fly", app="shop")


def test_principal_keeps_user_and_groups() -> None:
    ada = goldpath.Principal("ada", groups=["shop-team"])
    assert (ada.user, ada.groups) == ("ada", ["shop-team"])
    assert goldpath.Principal("bob").groups == []
    assert repr(ada) == "goldpath.Principal('ada', groups=['shop-team'])".replace("'", '"')


def test_violations_name_rule_policy_workload_file_and_path(platform: goldpath.Platform) -> None:
    bad = workload("api", image="postgres:latest")
    plan = platform.plan([bad], app="shop", env="production", env_type="production")
    by_rule = {v.rule: v for v in plan.violations}
    latest = by_rule["forbid-latest-tag"]
    assert (latest.severity, latest.blocking, latest.policy, latest.workload) == ("error", True, "production-guardrails", "api")
    assert latest.path == "/containers/main/image" and latest.file == "workloads[0]"
    assert "`latest` tag" in latest.message
    assert str(latest).startswith("error: forbid-latest-tag (production-guardrails): workload `api` /containers/main/image: ")
    assert latest.to_dict()["severity"] == "error"
    digest = by_rule["require-digest"]
    assert digest.severity == "warning" and not digest.blocking


def test_violations_of_a_clean_plan_are_warnings_with_their_file(platform: goldpath.Platform) -> None:
    plan = platform.plan(SHOP, app="shop", env="production", env_type="production")
    assert [v.rule for v in plan.violations] == ["require-digest"] * 5
    assert all(not v.blocking and v.file and v.file.endswith(".score.yaml") for v in plan.violations)
    assert goldpath.Platform.default().plan([workload("web")], app="a", env="d", env_type="development").violations == []
