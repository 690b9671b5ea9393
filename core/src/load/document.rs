//! Parsed YAML documents to typed, validated documents with their origin.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::schema::{self, Schema};
use super::upgrade::upgrade_score;
use super::yaml::ParsedDocument;
use crate::spec::platform::{PLATFORM_API_VERSION, PlatformDocument};
use crate::spec::score::{SCORE_API_VERSION, Workload};
use crate::validate::score::{WorkloadContext, validate_workload};
use crate::validate::{Finding, Findings, platform, text};
use crate::{Diagnostic, DocPath, Error, ErrorKind, Location, Result};

/// Where a document was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file (as given) or source name; `None` for unnamed text.
    pub file: Option<String>,
    /// The folder of the file, against which Score file `source`s resolve.
    pub folder: Option<PathBuf>,
    /// The line where the document starts in its file (1-based; 0 for a document given as a
    /// value rather than text).
    pub line: u32,
}

impl Origin {
    pub(crate) fn new(file: Option<String>, folder: Option<PathBuf>) -> Self {
        Self {
            file,
            folder,
            line: 1,
        }
    }

    /// The same error with this origin's file on diagnostics that name none.
    pub(crate) fn locate(&self, error: Error) -> Error {
        match &self.file {
            Some(file) => error.in_file(file),
            None => error,
        }
    }

    /// The location at `line` and `column`; line 0 means unknown (a document given as a value).
    fn location(&self, line: u32, column: u32, path: DocPath) -> Location {
        let known = line > 0;
        Location {
            file: self.file.clone(),
            line: known.then_some(line),
            column: known.then_some(column),
            path,
        }
    }
}

/// A typed document and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<T> {
    /// The document.
    pub document: T,
    /// Where it came from.
    pub origin: Origin,
}

/// The documents of a set of inputs, by family, in input order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Documents {
    /// Score workloads.
    pub workloads: Vec<Loaded<Workload>>,
    /// Platform documents.
    pub platform: Vec<Loaded<PlatformDocument>>,
}

impl Documents {
    /// Appends the documents of another set.
    pub fn extend(&mut self, other: Self) {
        self.workloads.extend(other.workloads);
        self.platform.extend(other.platform);
    }

    /// Checks the rules that span documents: workload names unique in the set, and the
    /// platform rules of [`platform::validate_set`] (duplicate names, duplicate criteria, ...).
    ///
    /// # Errors
    /// One diagnostic per problem, located in the document it belongs to.
    pub fn check_set(&self) -> Result<()> {
        let mut diagnostics = Vec::new();
        let mut names: BTreeMap<&str, &Origin> = BTreeMap::new();
        for loaded in &self.workloads {
            let name = loaded.document.metadata.name.as_str();
            if let Some(first) = names.insert(name, &loaded.origin) {
                let message = format!(
                    "a workload named `{name}` is also defined in {}: workload names must be unique in an application",
                    first.file.as_deref().unwrap_or("<input>")
                );
                let path = DocPath::root().key("metadata").key("name");
                diagnostics.push(set_diagnostic(
                    &loaded.origin,
                    ErrorKind::Invalid,
                    path,
                    message,
                ));
            }
        }
        let documents: Vec<PlatformDocument> =
            self.platform.iter().map(|l| l.document.clone()).collect();
        for (index, finding) in platform::validate_set(&documents) {
            let origin = &self.platform[index].origin;
            diagnostics.push(set_diagnostic(
                origin,
                finding.kind,
                finding.path,
                finding.message,
            ));
        }
        Error::from_diagnostics(diagnostics).map_or(Ok(()), Err)
    }

    /// The one workload of a single-document Score input.
    pub(crate) fn into_single_workload(mut self, origin: &Origin) -> Result<Loaded<Workload>> {
        match (self.workloads.len(), self.platform.len()) {
            (1, 0) => Ok(self.workloads.remove(0)),
            (0, 0) => Err(origin.locate(Error::new(ErrorKind::Yaml, Location::default(), "the input holds no document: expected one Score workload"))),
            _ => Err(origin.locate(Error::new(
                ErrorKind::Yaml,
                Location::default(),
                "expected exactly one Score workload (`apiVersion: score.dev/v1b1`), found other or more documents",
            ))),
        }
    }

    /// A file that holds a Score workload holds nothing else.
    pub(crate) fn check_single_workload_file(&self, origin: &Origin) -> Result<()> {
        let count = self.workloads.len() + self.platform.len();
        if self.workloads.is_empty() || count == 1 {
            return Ok(());
        }
        // The second document: another workload, else the first platform document.
        let second = self
            .workloads
            .get(1)
            .map(|w| &w.origin)
            .or_else(|| self.platform.first().map(|p| &p.origin));
        let line = second.map_or(origin.line, |o| o.line);
        Err(origin.locate(Error::new(
            ErrorKind::Yaml,
            Location::default().at(line, 1),
            "a Score file holds exactly one workload and nothing else: put each document in a file of its own",
        )))
    }
}

fn set_diagnostic(origin: &Origin, kind: ErrorKind, path: DocPath, message: String) -> Diagnostic {
    Diagnostic {
        kind,
        location: origin.location(origin.line, 1, path),
        message,
    }
}

/// Types and validates each parsed document of one input; reports the problems of all of them.
pub(crate) fn build(text: &str, parsed: Vec<ParsedDocument>, origin: &Origin) -> Result<Documents> {
    let mut documents = Documents::default();
    let mut errors = Vec::new();
    for mut doc in parsed {
        // The value is typed in place; the positions stay for messages.
        let value = std::mem::take(&mut doc.value);
        let (line, _) = doc.position(&DocPath::root(), false);
        let origin = Origin {
            line,
            ..origin.clone()
        };
        let context = DocumentContext {
            text,
            doc: &doc,
            origin: &origin,
        };
        let result = match value.get("apiVersion").and_then(Value::as_str) {
            Some(SCORE_API_VERSION) => context.workload(value).map(|w| documents.workloads.push(w)),
            Some(PLATFORM_API_VERSION) => {
                context.platform(value).map(|p| documents.platform.push(p))
            }
            other => Err(context.unknown_api_version(other)),
        };
        errors.extend(result.err());
    }
    Error::join(errors).map_or(Ok(documents), Err)
}

/// One parsed document being typed: its text, its positions and its origin.
struct DocumentContext<'a> {
    text: &'a str,
    doc: &'a ParsedDocument,
    origin: &'a Origin,
}

impl DocumentContext<'_> {
    fn workload(&self, mut value: Value) -> Result<Loaded<Workload>> {
        self.fail_on(upgrade_score(&mut value))?;
        let workload: Workload = self.typed(schema::score(), value)?;
        let context = WorkloadContext {
            folder: self.origin.folder.as_deref(),
        };
        self.fail_on(validate_workload(&workload, context))?;
        Ok(Loaded {
            document: workload,
            origin: self.origin.clone(),
        })
    }

    fn platform(&self, value: Value) -> Result<Loaded<PlatformDocument>> {
        let document: PlatformDocument = self.typed(schema::platform(), value)?;
        self.fail_on(platform::validate_document(&document))?;
        Ok(Loaded {
            document,
            origin: self.origin.clone(),
        })
    }

    /// Control characters and schema validation, then deserialization into the typed document.
    fn typed<T: serde::de::DeserializeOwned>(&self, schema: &Schema, value: Value) -> Result<T> {
        let raw = |path: &DocPath| self.doc.raw_text(self.text, path).map(str::to_owned);
        // Control characters and schema problems are reported together.
        let mut findings = text::control_characters(&value);
        for finding in schema.findings(&value, &raw).into_vec() {
            findings.push(finding.kind, finding.path, finding.message);
        }
        self.fail_on(findings)?;
        serde_json::from_value(value).map_err(|e| {
            let message = format!(
                "{e}: the document passed the schema but not goldpath's types; please report this"
            );
            self.error(Finding {
                kind: ErrorKind::Schema,
                path: DocPath::root(),
                message,
            })
        })
    }

    fn unknown_api_version(&self, found: Option<&str>) -> Error {
        let message = match found {
            Some(v) => format!("unknown apiVersion `{v}`"),
            None => "no `apiVersion`".to_owned(),
        };
        let message = format!(
            "{message}: a document is either a Score workload (`{SCORE_API_VERSION}`) or a goldpath platform document (`{PLATFORM_API_VERSION}`)"
        );
        self.error(Finding {
            kind: ErrorKind::Schema,
            path: DocPath::root().key("apiVersion"),
            message,
        })
    }

    /// The findings as one error, in the order of their place in the file.
    fn fail_on(&self, findings: Findings) -> Result<()> {
        let mut errors: Vec<Error> = findings
            .into_vec()
            .into_iter()
            .map(|f| self.error(f))
            .collect();
        errors.sort_by_key(|e| (e.location().line, e.location().column));
        Error::join(errors).map_or(Ok(()), Err)
    }

    fn error(&self, finding: Finding) -> Error {
        let on_key =
            finding.kind == ErrorKind::Name || finding.message.starts_with("unknown field");
        let (line, column) = self.doc.position(&finding.path, on_key);
        Error::new(
            finding.kind,
            self.origin.location(line, column, finding.path),
            finding.message,
        )
    }
}
