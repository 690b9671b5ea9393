use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use super::names::{is_entity_name, is_kind, is_namespace};
use super::{CatalogOptions, to_yaml};
use crate::load::Loader;
use crate::plan::{Engine, Plan, PlanOptions};
use crate::platform::{Context, Platform};
use crate::resolve::WorkloadInput;
use crate::{ErrorKind, Result};

/// `plan.catalog(options)` reads as the tests were written; the catalog depends on the plan,
/// not the other way round.
trait Catalog {
    fn catalog(&self, options: &CatalogOptions) -> Result<Vec<Value>>;
}

impl Catalog for Plan {
    fn catalog(&self, options: &CatalogOptions) -> Result<Vec<Value>> {
        super::entities(self, options)
    }
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn shop_plan(edit: impl Fn(&mut Vec<WorkloadInput>)) -> Result<Plan> {
    let loader = Loader::default();
    let platform = loader.path(&fixtures().join("platform"))?;
    let engine = Engine::new(Platform::from_documents(
        platform.platform.into_iter().map(|l| l.document),
    ));
    let mut workloads: Vec<WorkloadInput> = loader
        .path(&fixtures().join("shop"))?
        .workloads
        .into_iter()
        .map(WorkloadInput::from_loaded)
        .collect();
    edit(&mut workloads);
    let context = Context::new("shop", "dev", "development");
    engine.plan(&workloads, &context, &PlanOptions::default())
}

fn find<'a>(entities: &'a [Value], kind: &str, name: &str) -> &'a Value {
    entities
        .iter()
        .find(|e| e["kind"] == kind && e["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in {entities:#?}"))
}

fn refs(entity: &Value, field: &str) -> Vec<String> {
    entity["spec"][field]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_shop_becomes_a_system_components_an_api_and_resources() {
    let entities = shop_plan(|_| {})
        .unwrap()
        .catalog(&CatalogOptions::default())
        .unwrap();
    let kinds: Vec<(&str, &str)> = entities
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["metadata"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
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
    );
    let frontend = find(&entities, "Component", "frontend");
    assert_eq!(frontend["spec"]["type"], "service");
    assert_eq!(frontend["spec"]["owner"], "group:default/shop-team");
    assert_eq!(frontend["spec"]["system"], "system:default/shop");
    assert_eq!(
        refs(frontend, "dependsOn"),
        [
            "component:default/backend",
            "resource:default/dns-default-frontend.dns",
            "resource:default/route-default-frontend.route",
        ]
    );
    assert_eq!(refs(frontend, "consumesApis"), ["api:default/backend-api"]);
    assert_eq!(refs(frontend, "providesApis"), ["api:default/frontend-api"]);
    for batch in ["migrate", "nightly-report"] {
        let component = find(&entities, "Component", batch);
        assert_eq!(component["spec"]["type"], "job", "{batch}");
        assert!(component["spec"].get("providesApis").is_none(), "{batch}");
    }
    let report = find(&entities, "Component", "nightly-report");
    assert_eq!(refs(report, "consumesApis"), ["api:default/backend-api"]);
    let migrate = find(&entities, "Component", "migrate");
    assert_eq!(
        refs(migrate, "dependsOn"),
        ["resource:default/postgres-default-backend.db"],
        "the migration uses the backend's database"
    );
    let backend = find(&entities, "Component", "backend");
    assert_eq!(refs(backend, "providesApis"), ["api:default/backend-api"]);
    let route = find(&entities, "Resource", "route-default-frontend.route");
    assert_eq!(route["spec"]["type"], "route");
    assert_eq!(route["spec"]["class"], "default");
    assert_eq!(
        refs(route, "dependsOn"),
        ["resource:default/dns-default-frontend.dns"]
    );
    let api = find(&entities, "API", "backend-api");
    assert!(
        api["spec"]["definition"]
            .as_str()
            .unwrap()
            .contains("port: 8080")
    );
}

#[test]
fn every_name_is_valid_and_every_reference_resolves() {
    let options = CatalogOptions {
        namespace: "shop-ns".into(),
        ..CatalogOptions::default()
    };
    let entities = shop_plan(|_| {}).unwrap().catalog(&options).unwrap();
    let mut known = BTreeSet::new();
    for e in &entities {
        let kind = e["kind"].as_str().unwrap();
        let name = e["metadata"]["name"].as_str().unwrap();
        let namespace = e["metadata"]["namespace"].as_str().unwrap();
        assert!(
            is_kind(kind) && is_entity_name(name) && is_namespace(namespace),
            "{e}"
        );
        known.insert(format!("{}:{namespace}/{name}", kind.to_ascii_lowercase()));
    }
    for e in &entities {
        for field in ["dependsOn", "providesApis", "consumesApis"] {
            for r in refs(e, field) {
                assert!(known.contains(&r), "{r} of {field} does not resolve");
            }
        }
        if let Some(system) = e["spec"]["system"].as_str() {
            assert!(known.contains(system), "{system}");
        }
    }
}

#[test]
fn the_yaml_is_the_same_for_the_same_plan() {
    let a = to_yaml(
        &shop_plan(|_| {})
            .unwrap()
            .catalog(&CatalogOptions::default())
            .unwrap(),
    );
    let b = to_yaml(
        &shop_plan(|_| {})
            .unwrap()
            .catalog(&CatalogOptions::default())
            .unwrap(),
    );
    assert_eq!(a, b);
    assert!(a.starts_with("---\napiVersion: backstage.io/v1alpha1\nkind: System\n"));
}

#[test]
fn an_owner_annotation_wins_and_a_bad_one_names_its_place() {
    let owned = |owner: &'static str| {
        move |w: &mut Vec<WorkloadInput>| {
            w[0].workload
                .metadata
                .annotations
                .insert("goldpath.dev/owner".into(), owner.into());
        }
    };
    let entities = shop_plan(owned("user:jane"))
        .unwrap()
        .catalog(&CatalogOptions::default())
        .unwrap();
    let backend = find(&entities, "Component", "backend");
    assert_eq!(backend["spec"]["owner"], "user:default/jane");
    let db = find(&entities, "Resource", "postgres-default-backend.db");
    assert_eq!(db["spec"]["owner"], "user:default/jane");
    let err = shop_plan(owned("jane doe"))
        .unwrap()
        .catalog(&CatalogOptions::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(
        err.location().path.to_string(),
        r#"metadata.annotations["goldpath.dev/owner"]"#
    );
    assert!(
        err.location()
            .file
            .as_deref()
            .unwrap()
            .ends_with("backend.score.yaml")
    );
}

#[test]
fn a_bad_namespace_or_default_owner_is_refused() {
    let plan = shop_plan(|_| {}).unwrap();
    for options in [
        CatalogOptions {
            namespace: "Shop_NS".into(),
            ..CatalogOptions::default()
        },
        CatalogOptions {
            owner: "group:".into(),
            ..CatalogOptions::default()
        },
    ] {
        let err = plan.catalog(&options).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    }
}
