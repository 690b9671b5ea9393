//! The sample platform of `fixtures/platform/` and the shop of `fixtures/shop/` against
//! `schemas/platform.schema.json`, the spec types and the platform rules; a table of invalid
//! documents, one per rule; and the agreement of the schema with the Rust types.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use goldpath::DocPath;
use goldpath::spec::platform::{PlatformDocument, PlatformKind};
use goldpath::validate::platform::{validate_document, validate_set};
use serde_json::Value;

const SCHEMA: &str = include_str!("../../schemas/platform.schema.json");

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema_value() -> &'static Value {
    static SCHEMA_VALUE: OnceLock<Value> = OnceLock::new();
    SCHEMA_VALUE.get_or_init(|| serde_json::from_str(SCHEMA).expect("the schema is JSON"))
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| jsonschema::validator_for(schema_value()).expect("the schema compiles"))
}

/// Parses YAML text with the strict options goldpath loads documents with.
fn parse_yaml(text: &str) -> Vec<Value> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
    };
    serde_saphyr::from_str_multiple_with_options::<Value, Vec<Value>>(text, options)
        .unwrap_or_else(|e| panic!("YAML does not parse: {e}\n{text}"))
}

/// The document paths of the schema errors of `value`.
fn schema_error_paths(value: &Value) -> Vec<String> {
    let paths = validator()
        .iter_errors(value)
        .map(|e| DocPath::from_json_pointer(e.instance_path().as_str(), Some(value)).to_string());
    paths.collect()
}

fn schema_errors(value: &Value) -> Vec<String> {
    validator()
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every document of `fixtures/platform/`, with its file name.
fn fixture_values() -> Vec<(String, Value)> {
    let dir = manifest_dir().join("../fixtures/platform");
    let mut out = Vec::new();
    for file in yaml_files(&dir) {
        let text = std::fs::read_to_string(&file).expect("readable fixture");
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.extend(parse_yaml(&text).into_iter().map(|v| (name.clone(), v)));
    }
    out
}

fn to_document(value: &Value) -> PlatformDocument {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("does not deserialize into PlatformDocument: {e}\n{value}"))
}

fn fixture_documents() -> Vec<PlatformDocument> {
    fixture_values()
        .iter()
        .map(|(_, v)| to_document(v))
        .collect()
}

#[test]
fn the_fixture_platform_has_every_kind() {
    let kinds: BTreeSet<PlatformKind> = fixture_documents().iter().map(|d| d.kind()).collect();
    assert_eq!(kinds, PlatformKind::ALL.into_iter().collect());
}

#[test]
fn every_fixture_document_matches_the_schema() {
    for (file, value) in fixture_values() {
        let errors = schema_errors(&value);
        assert!(
            errors.is_empty(),
            "{file} `{}`: {errors:#?}",
            value["metadata"]["name"]
        );
    }
}

#[test]
fn every_fixture_document_passes_the_document_rules() {
    for doc in fixture_documents() {
        let findings = validate_document(&doc);
        assert!(
            findings.is_empty(),
            "{} `{}`: {findings:#?}",
            doc.kind(),
            doc.name()
        );
    }
}

#[test]
fn the_fixture_platform_passes_the_set_rules() {
    let findings = validate_set(&fixture_documents());
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn serialized_documents_still_match_the_schema_and_read_back_the_same() {
    for doc in fixture_documents() {
        let written = serde_json::to_value(&doc).expect("serializes");
        let errors = schema_errors(&written);
        assert!(
            errors.is_empty(),
            "{} `{}` written back: {errors:#?}",
            doc.kind(),
            doc.name()
        );
        assert_eq!(to_document(&written), doc);
    }
}

/// `../shared` beside the project, when present.
fn shared_dir() -> Option<PathBuf> {
    let dir = manifest_dir().join("../../shared");
    dir.is_dir().then_some(dir)
}

#[test]
fn the_shop_workloads_are_valid_score_files() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared is absent, so the upstream Score schema is not available");
        return;
    };
    let upstream = std::fs::read_to_string(shared.join("upstream/score/score-v1b1.json"))
        .expect("the upstream Score schema is readable");
    let upstream: Value = serde_json::from_str(&upstream).expect("the Score schema is JSON");
    let score = jsonschema::validator_for(&upstream).expect("the Score schema compiles");
    let files = yaml_files(&manifest_dir().join("../fixtures/shop"));
    assert_eq!(files.len(), 4, "{files:?}");
    for file in files {
        let docs = parse_yaml(&std::fs::read_to_string(&file).expect("readable Score file"));
        assert_eq!(docs.len(), 1, "{}", file.display());
        let errors: Vec<String> = score.iter_errors(&docs[0]).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[path = "platform_fixtures/invalid_documents.rs"]
mod invalid_documents;
#[path = "platform_fixtures/schema_agreement.rs"]
mod schema_agreement;
