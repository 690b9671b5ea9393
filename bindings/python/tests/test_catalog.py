"""The Backstage catalog of a plan from Python: entities as dicts, catalog-info.yaml text."""

import pytest

import goldpath


def test_catalog_lists_system_components_apis_and_resources(shop_plan: goldpath.Plan) -> None:
    entities = shop_plan.catalog()
    kinds = [(e["kind"], e["metadata"]["name"]) for e in entities]
    assert kinds == [
        ("System", "shop"),
        ("Component", "backend"),
        ("Component", "frontend"),
        ("Component", "migrate"),
        ("Component", "nightly-report"),
        ("API", "backend-api"),
        ("API", "frontend-api"),
        ("Resource", "dns-default-frontend.dns"),
        ("Resource", "postgres-default-backend.db"),
        ("Resource", "route-default-frontend.route"),
    ]
    backend = entities[1]
    assert backend["apiVersion"] == "backstage.io/v1alpha1"
    assert backend["spec"]["dependsOn"] == ["resource:default/postgres-default-backend.db"]
    assert backend["spec"]["providesApis"] == ["api:default/backend-api"]
    assert entities[0]["spec"]["owner"] == "group:default/guests"
    assert [entities[i]["spec"]["type"] for i in (1, 3, 4)] == ["service", "job", "job"]


def test_catalog_options_name_and_own_the_entities(shop_plan: goldpath.Plan) -> None:
    entities = shop_plan.catalog(namespace="shop-ns", owner="team-shop", lifecycle="experimental")
    assert {e["metadata"]["namespace"] for e in entities} == {"shop-ns"}
    assert entities[0]["spec"]["owner"] == "group:shop-ns/team-shop"
    assert {e["spec"]["lifecycle"] for e in entities if e["kind"] in ("Component", "API")} == {"experimental"}


def test_catalog_yaml_is_one_document_per_entity(shop_plan: goldpath.Plan) -> None:
    entities = shop_plan.catalog(owner="team-shop")
    text = shop_plan.catalog_yaml(owner="team-shop")
    assert text.startswith("---\n") and text.count("---\n") == len(entities)
    assert [line[len("kind: "):] for line in text.splitlines() if line.startswith("kind: ")] == [e["kind"] for e in entities]
    assert text == shop_plan.catalog_yaml(owner="team-shop")


def test_a_name_backstage_refuses_is_an_invalid_value(shop_plan: goldpath.Plan) -> None:
    with pytest.raises(goldpath.InvalidValueError, match="catalog owner"):
        shop_plan.catalog(owner="Not An Owner!")
    with pytest.raises(goldpath.InvalidValueError, match="catalog namespace"):
        shop_plan.catalog_yaml(namespace="Bad_NS")
