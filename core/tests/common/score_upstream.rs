//! Where the schemas and the upstream Score examples live, and how to read them.
//!
//! goldpath's own schema is part of the repository (`schemas/`). The upstream Score schema and
//! example files are an oracle kept outside it, in `../shared/upstream/score/`; a fresh clone
//! has no `../shared`, and the tests that need it skip.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The `apiVersion` of the Score workloads the schemas describe.
pub const SCORE_API_VERSION: &str = "score.dev/v1b1";

/// The repository root: the parent of the `core` crate.
fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// goldpath's own Score schema, parsed.
pub fn our_schema() -> Value {
    read_json(&repository_root().join("schemas/score-v1b1.schema.json"))
}

/// `../shared/upstream/score` next to the repository, or `None` (after printing why `test`
/// skips) when it is absent.
pub fn upstream_dir_or_skip(test: &str) -> Option<PathBuf> {
    let dir = repository_root().join("../shared/upstream/score");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "{test}: skipped, {} not found (upstream oracle is optional)",
            dir.display()
        );
        None
    }
}

/// The canonical upstream schema `score-v1b1.json`, parsed.
pub fn upstream_schema(upstream: &Path) -> Value {
    read_json(&upstream.join("score-v1b1.json"))
}

fn read_json(path: &Path) -> Value {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// One upstream example Score file, parsed into JSON.
pub struct Example {
    /// Path relative to the examples folder, e.g. `spec/samples/score-full.yaml`.
    pub name: String,
    /// The parsed workload.
    pub doc: Value,
}

/// What reading the examples folder found.
#[derive(Default)]
pub struct ExampleSet {
    /// Single-document Score workloads.
    pub workloads: Vec<Example>,
    /// Files left out, each with the reason.
    pub skipped: Vec<String>,
    /// Files that could not be read or parsed, each with the error.
    pub unreadable: Vec<String>,
}

/// Reads every `*.yaml`/`*.yml` under `<upstream>/examples`, in path order.
pub fn read_examples(upstream: &Path) -> ExampleSet {
    let root = upstream.join("examples");
    let mut files = Vec::new();
    collect_yaml_files(&root, &mut files);
    files.sort();
    let mut set = ExampleSet::default();
    for file in files {
        let name = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        match fs::read_to_string(&file) {
            Ok(text) => classify_example(name, &text, &mut set),
            Err(e) => set.unreadable.push(format!("{name}: {e}")),
        }
    }
    set
}

fn collect_yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

fn classify_example(name: String, text: &str, set: &mut ExampleSet) {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
    };
    match serde_saphyr::from_str_with_options::<Value>(text, options) {
        Ok(doc) if is_score_workload(&doc) => set.workloads.push(Example { name, doc }),
        Ok(_) => set
            .skipped
            .push(format!("{name}: not a {SCORE_API_VERSION} workload")),
        Err(e)
            if matches!(
                e.without_snippet(),
                serde_saphyr::Error::MultipleDocuments { .. }
            ) =>
        {
            set.skipped
                .push(format!("{name}: contains several YAML documents"));
        }
        Err(e) => set.unreadable.push(format!("{name}: {e}")),
    }
}

fn is_score_workload(doc: &Value) -> bool {
    doc.get("apiVersion").and_then(Value::as_str) == Some(SCORE_API_VERSION)
}
