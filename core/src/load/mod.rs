//! From text to typed documents: YAML parsing under [`Limits`], the deprecated-form upgrade,
//! JSON Schema validation, semantic validation, and source locations on every problem.
//!
//! A [`Loader`] reads a string, a file, a folder (recursively, `*.yaml`, `*.yml`, `*.json` in
//! name order) or several of them. Each document is recognised by its `apiVersion`: Score
//! workloads (`score.dev/v1b1`, exactly one per file) or goldpath platform documents
//! (`goldpath.dev/v1alpha1`, many per file). Every problem of every input is reported, each
//! with its file, line, column and path, not only the first.
//!
//! ```
//! use goldpath::load::Loader;
//!
//! let text = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main: {image: nginx, variables: {PORT: 8080}}\n";
//! let err = Loader::default().score_str(text, Some("score.yaml")).unwrap_err();
//! assert_eq!(err.location().line, Some(4));
//! assert!(err.to_string().starts_with("score.yaml:4:"));
//! assert!(err.message().contains("quote it"));
//! ```

mod budget;
mod document;
mod events;
mod fast;
mod input;
mod overrides;
mod parse;
mod schema;
mod set;
mod source;
mod sources;
mod upgrade;
mod yaml;

pub use budget::{ValueBudget, check_containers, check_value, scalar_bytes};
pub use document::{Documents, Loaded, Origin};
pub use input::WorkloadInput;
pub use overrides::Overrides;
pub use schema::{DEPLOYMENT_SCHEMA, PLATFORM_SCHEMA, SCORE_SCHEMA};
pub use source::Source;
pub use upgrade::upgrade_score;

use std::path::{Path, PathBuf};

use crate::Result;
use crate::spec::score::Workload;

/// Safety limits for untrusted input and for what a plan produces from it. The defaults suit
/// Score files and platform folders; the README's limits section lists each one and where it
/// is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes one document may have; checked before parsing (for a document given as
    /// a value, on the text of its keys and scalars). Default 4 MiB.
    pub max_document_bytes: usize,
    /// The deepest nesting of mappings and sequences. Default 64.
    pub max_depth: usize,
    /// The most nodes that aliases (`*name`) may expand to in one input. Default 100,000.
    pub max_alias_expansion: usize,
    /// The most documents in one file. Default 1,000.
    pub max_documents: usize,
    /// The most bytes one file may have; checked before reading it whole. Default 64 MiB.
    pub max_file_bytes: usize,
    /// The most nodes (mappings, sequences, keys and scalars) of one input: a YAML or JSON
    /// stream, or one document given as a value. Default 250,000.
    pub max_nodes: usize,
    /// The most bytes one string may have after placeholder substitution (checked while the
    /// string grows), one output value of a driver (a string's text, another value as compact
    /// JSON) and one file `source` (checked before it is read). Default 1 MiB.
    pub max_value_bytes: usize,
    /// The most bytes one rendered object may have as compact JSON (the Kubernetes API refuses
    /// requests over 3 MiB). Default 3 MiB.
    pub max_object_bytes: usize,
    /// The most bytes a whole plan may produce: its objects and its resources' outputs, as
    /// compact JSON. Default 64 MiB. It is the budget of a plan of up to 4,096 workloads; a
    /// larger plan gets `max_plan_bytes / 4096` per workload.
    pub max_plan_bytes: usize,
    /// The most containers one workload may have. Default 64.
    pub max_containers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: 4 * 1024 * 1024,
            max_depth: 64,
            max_alias_expansion: 100_000,
            max_documents: 1_000,
            max_file_bytes: 64 * 1024 * 1024,
            max_nodes: 250_000,
            max_value_bytes: 1024 * 1024,
            max_object_bytes: 3 * 1024 * 1024,
            max_plan_bytes: 64 * 1024 * 1024,
            max_containers: 64,
        }
    }
}

/// Reads documents under a set of [`Limits`].
#[derive(Debug, Clone, Default)]
pub struct Loader {
    limits: Limits,
}

impl Loader {
    /// A loader with the given limits.
    #[must_use]
    pub fn new(limits: Limits) -> Self {
        Self { limits }
    }

    /// The limits in force.
    #[must_use]
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Loads one Score workload from text; `name` names the source in diagnostics.
    ///
    /// # Errors
    /// Every problem of the text, or one saying the text holds no workload or several
    /// documents.
    pub fn score_str(&self, text: &str, name: Option<&str>) -> Result<Workload> {
        let origin = Origin::new(name.map(str::to_owned), None);
        let docs = self.documents_from_text(text, &origin)?;
        docs.into_single_workload(&origin).map(|l| l.document)
    }

    /// Loads every document of a text stream (Score workloads and platform documents).
    ///
    /// # Errors
    /// Every problem found.
    pub fn str(&self, text: &str, name: Option<&str>) -> Result<Documents> {
        let origin = Origin::new(name.map(str::to_owned), None);
        let docs = self.documents_from_text(text, &origin)?;
        docs.check_set()?;
        Ok(docs)
    }

    /// Loads every document of a byte stream, which must be UTF-8 text (an optional BOM is
    /// accepted).
    ///
    /// # Errors
    /// A [`crate::ErrorKind::Yaml`] error for bytes that are not UTF-8; otherwise as [`Loader::str`].
    pub fn bytes(&self, bytes: &[u8], name: Option<&str>) -> Result<Documents> {
        let text = sources::utf8(bytes.to_vec(), name)?;
        self.str(&text, name)
    }

    /// Loads one document given as a value rather than text (a Python dict, a JavaScript
    /// object): the same upgrade, schema and checks as text, with paths but no line numbers in
    /// diagnostics; `name` names the source. The depth, node and size limits apply as to text
    /// ([`check_value`]).
    ///
    /// ```
    /// use goldpath::load::Loader;
    /// use serde_json::json;
    ///
    /// let doc = json!({"apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
    ///                  "containers": {"main": {"image": "nginx", "variables": {"PORT": 8080}}}});
    /// let err = Loader::default().value(doc, Some("web")).unwrap_err();
    /// assert_eq!(err.location().line, None);
    /// assert_eq!(err.location().path.to_string(), "containers.main.variables.PORT");
    /// ```
    ///
    /// # Errors
    /// Every problem of the document, or a [`crate::ErrorKind::Limit`] error for nesting,
    /// nodes or size.
    pub fn value(&self, value: serde_json::Value, name: Option<&str>) -> Result<Documents> {
        let docs = self.value_unchecked(value, name)?;
        docs.check_set()?;
        Ok(docs)
    }

    /// Loads a file or a folder of documents.
    ///
    /// # Errors
    /// Every problem of every file.
    pub fn path(&self, path: &Path) -> Result<Documents> {
        self.paths(std::slice::from_ref(&path))
    }

    /// Loads several files and folders as one set: problems of all of them are reported
    /// together, and rules across documents (duplicate names, duplicate criteria) see them all.
    ///
    /// # Errors
    /// Every problem of every input.
    pub fn paths<P: AsRef<Path>>(&self, paths: &[P]) -> Result<Documents> {
        let sources = paths.iter().map(|p| Source::path(p.as_ref())).collect();
        self.load(sources)
    }

    /// Loads files and folders without the rules across documents.
    fn paths_unchecked<P: AsRef<Path>>(&self, paths: &[P]) -> Result<Documents> {
        let files = sources::collect_files(paths)?;
        let mut all = Documents::default();
        let mut errors = Vec::new();
        for result in self.load_files(&files) {
            match result {
                Ok(docs) => all.extend(docs),
                Err(e) => errors.push(e),
            }
        }
        crate::Error::join(errors).map_or(Ok(all), Err)
    }

    /// Loads files on up to one thread per core; results come back in file order, so output
    /// does not depend on scheduling.
    fn load_files(&self, files: &[PathBuf]) -> Vec<Result<Documents>> {
        let workers = std::thread::available_parallelism().map_or(1, usize::from);
        if workers < 2 || files.len() < 16 {
            return files.iter().map(|f| self.load_file(f, None)).collect();
        }
        let chunk = files.len().div_ceil(workers);
        std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|f| self.load_file(f, None))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    }

    /// Loads one Score file with overrides applied to its raw document before validation (as
    /// `score-k8s generate --overrides-file/--override-property` do).
    ///
    /// # Errors
    /// Every problem of the file, or of the overrides.
    pub fn score_file_with(&self, file: &Path, overrides: &Overrides) -> Result<Loaded<Workload>> {
        let origin = Origin::new(Some(file.display().to_string()), None);
        self.load_file(file, Some(overrides))?
            .into_single_workload(&origin)
    }

    /// Reads a file of one YAML (or JSON) document as a plain value, under the same limits and
    /// YAML rules as every other input (an overrides file, for instance).
    ///
    /// # Errors
    /// An unreadable file, a YAML problem, or not exactly one document.
    pub fn value_file(&self, file: &Path) -> Result<serde_json::Value> {
        let origin = Origin::new(Some(file.display().to_string()), None);
        let text = sources::read_text(file, &self.limits)?;
        parse::single_value(&text, &self.limits, &origin)
    }

    /// Loads one file; `overrides` apply to its raw documents before validation.
    fn load_file(&self, file: &Path, overrides: Option<&Overrides>) -> Result<Documents> {
        let origin = Origin::new(
            Some(file.display().to_string()),
            Some(sources::folder_of(file)),
        );
        let text = sources::read_text(file, &self.limits)?;
        let docs = parse::documents(&text, &self.limits, &origin, overrides)?;
        budget::check_workloads(&docs, &self.limits)?;
        docs.check_single_workload_file(&origin)?;
        Ok(docs)
    }

    fn documents_from_text(&self, text: &str, origin: &Origin) -> Result<Documents> {
        let docs = parse::documents(text, &self.limits, origin, None)?;
        budget::check_workloads(&docs, &self.limits)?;
        Ok(docs)
    }
}
