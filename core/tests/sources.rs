//! `load::Source` and `Loader::load`: every front door's inputs, loaded as one set, with the
//! rules across documents applied once at the end (issue 14's table, in core).

use std::path::PathBuf;

use goldpath::load::{Loader, Source};
use goldpath::{Engine, ErrorKind};
use serde_json::{Value, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn workload(name: &str) -> Value {
    json!({"apiVersion": "score.dev/v1b1", "metadata": {"name": name},
           "containers": {"main": {"image": "nginx"}}})
}

fn env_type(name: &str) -> Value {
    json!({"apiVersion": "goldpath.dev/v1alpha1", "kind": "EnvironmentType",
           "metadata": {"name": name}, "spec": {}})
}

fn redis_for(env_type: &str) -> Value {
    json!({"apiVersion": "goldpath.dev/v1alpha1", "kind": "ResourceDefinition",
           "metadata": {"name": format!("redis-{env_type}")},
           "spec": {"type": "redis", "driver": "static", "inputs": {"values": {"host": "r"}},
                    "criteria": [{"envType": env_type}]}})
}

#[test]
fn an_environment_type_and_a_definition_naming_it_load_from_separate_sources() {
    let sources = vec![
        Source::value("documents[0]", env_type("qa")),
        Source::value("documents[1]", redis_for("qa")),
    ];
    let engine = Engine::builder().sources(sources).build().unwrap();
    assert!(engine.platform().environment_type("qa").is_some());
}

#[test]
fn a_criterion_naming_an_environment_type_no_source_defines_is_reported_once_with_its_source() {
    let sources = vec![
        Source::value("documents[0]", env_type("qa")),
        Source::value("documents[1]", redis_for("prod")),
    ];
    let err = Loader::default().load(sources).unwrap_err();
    assert_eq!(err.diagnostics().len(), 1, "{err}");
    assert_eq!(err.location().file.as_deref(), Some("documents[1]"));
    assert!(err.message().contains("`prod` does not exist"), "{err}");
}

#[test]
fn the_same_workload_twice_is_refused() {
    let sources = vec![
        Source::value("workloads[0]", workload("web")),
        Source::value("workloads[1]", workload("web")),
    ];
    let err = Loader::default().workloads(sources).unwrap_err();
    assert_eq!(err.location().file.as_deref(), Some("workloads[1]"));
    assert!(
        err.message().contains("also defined in workloads[0]"),
        "{err}"
    );
}

#[test]
fn no_workload_is_refused() {
    let err = Loader::default().workloads(Vec::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.message().contains("no Score workload"), "{err}");
}

#[test]
fn strings_are_paths_or_text_by_one_rule() {
    let file = repo().join("fixtures/shop/backend.score.yaml");
    let json_text = serde_json::to_string(&workload("web")).unwrap();
    assert!(!json_text.contains('\n'));
    let sources = vec![
        Source::from_string("workloads[0]", file.display().to_string()),
        Source::from_string("workloads[1]", json_text),
        Source::from_string(
            "workloads[2]",
            "apiVersion: score.dev/v1b1\nmetadata: {name: api}\ncontainers: {main: {image: nginx}}\n",
        ),
    ];
    let names: Vec<String> = Loader::default()
        .workloads(sources)
        .unwrap()
        .into_iter()
        .map(|w| w.workload.metadata.name)
        .collect();
    assert_eq!(names, ["backend", "web", "api"]);
}

#[test]
fn a_folder_is_read_whole_and_every_source_reports_its_problems() {
    let sources = vec![
        Source::path(repo().join("fixtures/shop")),
        Source::text(
            "bad",
            "apiVersion: score.dev/v1b1\nmetadata: {name: Bad}\ncontainers: {main: {image: nginx}}\n",
        ),
        Source::value("worse", json!({"apiVersion": "nope"})),
    ];
    let err = Loader::default().workloads(sources).unwrap_err();
    let files: Vec<_> = err
        .diagnostics()
        .iter()
        .map(|d| d.location.file.clone().unwrap_or_default())
        .collect();
    assert_eq!(files, ["bad", "worse"], "{err}");
    let shop = Loader::default()
        .workloads(vec![Source::path(repo().join("fixtures/shop"))])
        .unwrap();
    assert_eq!(shop.len(), 4);
}

#[test]
fn documents_of_the_wrong_family_are_refused() {
    let err = Loader::default()
        .workloads(vec![Source::value("workloads[0]", env_type("qa"))])
        .unwrap_err();
    assert!(
        err.message()
            .contains("give platform documents to the platform"),
        "{err}"
    );
    let err = Engine::builder()
        .source(Source::value("documents[0]", workload("web")))
        .build()
        .err()
        .unwrap();
    assert!(
        err.message()
            .contains("a platform holds platform documents"),
        "{err}"
    );
}

#[test]
fn the_builder_reports_a_short_seed_with_the_documents_problems() {
    let err = Engine::builder()
        .source(Source::value("documents[0]", redis_for("nowhere")))
        .seed("short")
        .build()
        .err()
        .unwrap();
    assert_eq!(err.diagnostics().len(), 2, "{err}");
    assert!(err.diagnostics()[1].message.contains("seed"), "{err}");
}
