//! Semantic validation: the rules a document must follow beyond its JSON Schema.
//!
//! Rule functions return [`Finding`]s with a path inside the document; the loader turns them
//! into [`crate::Diagnostic`]s with file, line and column.

pub(crate) mod before;
pub mod image;
pub mod names;
pub mod paths;
pub mod platform;
pub mod quantity;
pub mod score;
pub mod text;

use crate::{DocPath, ErrorKind};

/// One problem found by a validation rule, located by its path in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The kind of problem ([`ErrorKind::Name`], [`ErrorKind::Invalid`], ...).
    pub kind: ErrorKind,
    /// Where in the document the offending value is.
    pub path: DocPath,
    /// What is wrong and what to change; never a secret value.
    pub message: String,
}

/// The findings of a validation pass, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings(Vec<Finding>);

impl Findings {
    /// No findings yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem of `kind` at `path`.
    pub fn push(&mut self, kind: ErrorKind, path: DocPath, message: impl Into<String>) {
        self.0.push(Finding {
            kind,
            path,
            message: message.into(),
        });
    }

    /// Records `Err(reason)` of a rule check as a problem at `path`; `Ok` records nothing.
    pub fn check(&mut self, kind: ErrorKind, path: &DocPath, result: Result<(), String>) {
        if let Err(message) = result {
            self.push(kind, path.clone(), message);
        }
    }

    /// Checks `rule` on the optional field `field` under `parent`, when it is set.
    pub fn check_field(
        &mut self,
        kind: ErrorKind,
        parent: &DocPath,
        field: &str,
        value: Option<&str>,
        rule: fn(&str) -> Result<(), String>,
    ) {
        if let Some(value) = value {
            self.check(kind, &parent.clone().key(field), rule(value));
        }
    }

    /// Whether nothing was found.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The findings, in order.
    #[must_use]
    pub fn as_slice(&self) -> &[Finding] {
        &self.0
    }

    /// Consumes the collection, returning its findings.
    #[must_use]
    pub fn into_vec(self) -> Vec<Finding> {
        self.0
    }
}
