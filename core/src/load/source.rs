//! What a caller hands the loader: a [`Source`] is a path (file or folder), named text, or a
//! named value; [`Loader::load`](super::Loader::load) reads a list of them as one set.
//!
//! Every front door (the command line, Python, Node) converts its native inputs into sources
//! and calls the loader, so the rules below hold the same everywhere:
//!
//! - each source is read and checked alone (its schema, its own documents);
//! - the rules across documents run once, on the whole set, at the end: unique names,
//!   identical criteria, environment types that criteria name, one workload per name;
//! - every problem of every source is reported, each naming its source.
//!
//! ```
//! use goldpath::load::{Loader, Source};
//! use serde_json::json;
//!
//! let env_type = json!({"apiVersion": "goldpath.dev/v1alpha1", "kind": "EnvironmentType",
//!                       "metadata": {"name": "qa"}, "spec": {}});
//! let definition = json!({"apiVersion": "goldpath.dev/v1alpha1", "kind": "ResourceDefinition",
//!     "metadata": {"name": "redis-qa"},
//!     "spec": {"type": "redis", "driver": "static", "inputs": {"values": {"host": "r"}},
//!              "criteria": [{"envType": "qa"}]}});
//! // The definition names an environment type another source defines: fine as one set.
//! let docs = Loader::default()
//!     .load(vec![Source::value("type", env_type), Source::value("definition", definition)])
//!     .unwrap();
//! assert_eq!(docs.platform.len(), 2);
//! ```

use std::path::PathBuf;

use serde_json::Value;

/// One input of the loader.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A file, or a folder read recursively (`*.yaml`, `*.yml`, `*.json` in name order).
    Path(PathBuf),
    /// YAML or JSON text (one or more documents), reported under `name`.
    Text {
        /// The name diagnostics give the source (`workloads[0]`, `score.yaml`, ...).
        name: String,
        /// The text.
        text: String,
    },
    /// One document given as a value (a Python dict, a JavaScript object), reported under
    /// `name`.
    Value {
        /// The name diagnostics give the source.
        name: String,
        /// The document.
        value: Value,
    },
}

impl Source {
    /// A file or folder.
    #[must_use]
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Self::Path(path.into())
    }

    /// Named text.
    #[must_use]
    pub fn text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::Text {
            name: name.into(),
            text: text.into(),
        }
    }

    /// A named document value.
    #[must_use]
    pub fn value(name: impl Into<String>, value: Value) -> Self {
        Self::Value {
            name: name.into(),
            value,
        }
    }

    /// A string a caller passed where a path or text may stand (a Python `str`, a JavaScript
    /// string): text when it holds a line break or starts with `{` or `[` (JSON), else a path.
    /// Every front door decides with this one rule.
    ///
    /// ```
    /// use goldpath::load::Source;
    ///
    /// assert!(matches!(Source::from_string("w", "score.yaml"), Source::Path(_)));
    /// assert!(matches!(Source::from_string("w", "{\"apiVersion\": \"score.dev/v1b1\"}"), Source::Text { .. }));
    /// assert!(matches!(Source::from_string("w", "apiVersion: score.dev/v1b1\nmetadata: {}\n"), Source::Text { .. }));
    /// ```
    #[must_use]
    pub fn from_string(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if text.contains('\n') || trimmed.starts_with('{') || trimmed.starts_with('[') {
            Self::text(name, text)
        } else {
            Self::Path(PathBuf::from(text))
        }
    }

    /// The name diagnostics give the source.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Path(path) => path.display().to_string(),
            Self::Text { name, .. } | Self::Value { name, .. } => name.clone(),
        }
    }
}

impl From<PathBuf> for Source {
    fn from(path: PathBuf) -> Self {
        Self::Path(path)
    }
}

impl From<&std::path::Path> for Source {
    fn from(path: &std::path::Path) -> Self {
        Self::Path(path.to_path_buf())
    }
}
