//! The one error type of goldpath.
//!
//! Every failure is an [`Error`]: one or more [`Diagnostic`]s, each with an [`ErrorKind`], a
//! [`Location`] (file, line, column and the path inside the document) and a message that says
//! what is wrong and what to change. A loader that finds several problems in one file reports
//! them all in one `Error`; [`Error::kind`] and [`Error::location`] describe the first.
//!
//! Messages never carry secret values: code that builds a diagnostic about a sensitive value
//! names its path and its type, not its text.
//!
//! ```
//! use goldpath::{Error, ErrorKind, Location, DocPath};
//!
//! let location = Location::in_file("score.yaml").at(4, 7).with_path(DocPath::root().key("metadata").key("name"));
//! let err = Error::new(ErrorKind::Name, location, "`Web` is not a DNS-1123 label: use lower case");
//! assert_eq!(err.kind(), ErrorKind::Name);
//! assert_eq!(err.to_string(), "score.yaml:4:7: name: metadata.name: `Web` is not a DNS-1123 label: use lower case");
//! ```

use std::fmt;

use serde::Serialize;

/// The category of a problem: what went wrong, independent of where.
///
/// The bindings map each kind to an exception class (Python) or an error code (Node), so kinds
/// are stable: new ones may be added, existing ones keep their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not well-formed YAML or JSON, or uses a YAML feature goldpath refuses
    /// (duplicate keys, application tags, several documents where one is expected).
    Yaml,
    /// The document does not match its JSON Schema (missing field, wrong type, unknown field).
    Schema,
    /// A name breaks the rules of the object it names (DNS-1123 labels, port names, env names).
    Name,
    /// A value is well-typed but invalid (a port out of range, a bad quantity, an unsafe path,
    /// conflicting entries).
    Invalid,
    /// A `${...}` placeholder does not parse, or names something that does not exist.
    Placeholder,
    /// An input exceeds a safety limit (size, nesting depth, alias expansion).
    Limit,
    /// A file or folder could not be read or written.
    Io,
    /// No resource definition matches a resource request in its context.
    NoMatch,
    /// Resources depend on each other in a cycle.
    Cycle,
    /// Two requests for one shared resource disagree (different params, ...).
    Conflict,
    /// A driver failed to provision a resource (template error, fuel exhausted, host driver
    /// error, unknown driver).
    Driver,
    /// A policy of the environment type refuses the plan (a violation of severity `error`).
    Policy,
    /// The principal may not perform the action on the target (role-based access).
    Permission,
    /// A deployment record, an environment or a store's content is missing, corrupt or was
    /// changed by someone else at the same time.
    Store,
    /// The Kubernetes API server refused or failed a request, or no cluster could be reached
    /// (feature `kube`).
    Cluster,
}

impl ErrorKind {
    /// Every kind, in declaration order: the one list the bindings generate their exception
    /// classes (Python) and error codes (Node) from.
    pub const ALL: [Self; 15] = [
        Self::Yaml,
        Self::Schema,
        Self::Name,
        Self::Invalid,
        Self::Placeholder,
        Self::Limit,
        Self::Io,
        Self::NoMatch,
        Self::Cycle,
        Self::Conflict,
        Self::Driver,
        Self::Policy,
        Self::Permission,
        Self::Store,
        Self::Cluster,
    ];

    /// The error code of the kind: `GOLDPATH_` and the name in upper snake case
    /// (`GOLDPATH_NO_MATCH`); Node's `code`, and Python's `code` attribute.
    #[must_use]
    pub fn code(self) -> String {
        format!(
            "GOLDPATH_{}",
            self.as_str().replace('-', "_").to_ascii_uppercase()
        )
    }

    /// The name of the kind's exception class in the bindings (`SchemaError`,
    /// `PermissionDenied`, ...).
    #[must_use]
    pub fn class_name(self) -> &'static str {
        match self {
            Self::Yaml => "YamlError",
            Self::Schema => "SchemaError",
            Self::Name => "InvalidNameError",
            Self::Invalid => "InvalidValueError",
            Self::Placeholder => "PlaceholderError",
            Self::Limit => "LimitError",
            Self::Io => "IoError",
            Self::NoMatch => "NoMatchError",
            Self::Cycle => "CycleError",
            Self::Conflict => "ConflictError",
            Self::Driver => "DriverError",
            Self::Policy => "PolicyError",
            Self::Permission => "PermissionDenied",
            Self::Store => "StoreError",
            Self::Cluster => "ClusterError",
        }
    }

    /// One sentence on what the kind means (the docstring of its Python class).
    #[must_use]
    pub fn summary(self) -> &'static str {
        match self {
            Self::Yaml => {
                "The text is not well-formed YAML or JSON, or uses a YAML feature goldpath refuses."
            }
            Self::Schema => {
                "A document does not match its JSON Schema, or a value has no YAML/JSON form."
            }
            Self::Name => {
                "A name breaks the rules of the object it names (DNS-1123 labels, port names, variable names)."
            }
            Self::Invalid => {
                "A value is well-typed but invalid (a port out of range, an unknown environment type, a bad resource key)."
            }
            Self::Placeholder => {
                "A ${...} placeholder does not parse, or names something that does not exist."
            }
            Self::Limit => {
                "An input exceeds a safety limit (size, nesting depth, alias expansion)."
            }
            Self::Io => "A file or folder could not be read or written.",
            Self::NoMatch => "No resource definition matches a resource request in its context.",
            Self::Cycle => "Resources depend on each other in a cycle.",
            Self::Conflict => "Two requests for one shared resource disagree.",
            Self::Driver => {
                "A driver failed to provision a resource (template error, a host driver that failed, an unknown driver)."
            }
            Self::Policy => "A policy of the environment type refuses the plan.",
            Self::Permission => "The principal may not perform the action on the target.",
            Self::Store => {
                "A deployment record, an environment or a store's content is missing, corrupt or changed concurrently."
            }
            Self::Cluster => {
                "The Kubernetes API server refused or failed a request, or no cluster could be reached."
            }
        }
    }

    /// The short lower-case name used in diagnostics (`schema`, `yaml`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yaml => "yaml",
            Self::Schema => "schema",
            Self::Name => "name",
            Self::Invalid => "invalid",
            Self::Placeholder => "placeholder",
            Self::Limit => "limit",
            Self::Io => "io",
            Self::NoMatch => "no-match",
            Self::Cycle => "cycle",
            Self::Conflict => "conflict",
            Self::Driver => "driver",
            Self::Policy => "policy",
            Self::Permission => "permission",
            Self::Store => "store",
            Self::Cluster => "cluster",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a [`DocPath`]: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    /// A key of a mapping.
    Key(String),
    /// An index into a sequence.
    Index(usize),
}

/// A path inside a document, written `containers.web.variables.PORT`.
///
/// Keys that are not plain words (they hold dots, slashes, spaces, ...) are written in brackets
/// and quotes: `containers.web.files["/etc/app.conf"].mode`; indexes as `[0]`.
///
/// ```
/// use goldpath::DocPath;
/// let p = DocPath::root().key("containers").key("web").key("files").key("/etc/app.conf");
/// assert_eq!(p.to_string(), r#"containers.web.files["/etc/app.conf"]"#);
/// assert_eq!(p.to_json_pointer(), "/containers/web/files/~1etc~1app.conf");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocPath(Vec<PathSegment>);

impl DocPath {
    /// The path of the whole document.
    #[must_use]
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path extended by a mapping key.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.0.push(PathSegment::Key(key.into()));
        self
    }

    /// This path extended by a sequence index.
    #[must_use]
    pub fn index(mut self, index: usize) -> Self {
        self.0.push(PathSegment::Index(index));
        self
    }

    /// The segments of the path, outermost first.
    #[must_use]
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// Whether this is the path of the whole document.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The path one step up, or `None` at the root.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        let (_, rest) = self.0.split_last()?;
        Some(Self(rest.to_vec()))
    }

    /// The RFC 6901 JSON pointer of this path (`/containers/web`), as JSON Schema tools use.
    #[must_use]
    pub fn to_json_pointer(&self) -> String {
        let mut out = String::new();
        for segment in &self.0 {
            out.push('/');
            match segment {
                PathSegment::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
                PathSegment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    /// Parses an RFC 6901 JSON pointer. Segments made only of digits become indexes when
    /// `document` has a sequence at that place, keys otherwise; without a document they are
    /// indexes.
    #[must_use]
    pub fn from_json_pointer(pointer: &str, document: Option<&serde_json::Value>) -> Self {
        let mut path = Self::root();
        let mut node = document;
        for raw in pointer.split('/').skip(1) {
            let key = raw.replace("~1", "/").replace("~0", "~");
            let as_index = key.parse::<usize>().ok();
            match (node, as_index) {
                (Some(serde_json::Value::Array(items)), Some(i)) => {
                    node = items.get(i);
                    path = path.index(i);
                }
                (None, Some(i)) => path = path.index(i),
                (Some(serde_json::Value::Object(map)), _) => {
                    node = map.get(&key);
                    path = path.key(key);
                }
                _ => {
                    node = None;
                    path = path.key(key);
                }
            }
        }
        path
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(k) if is_plain_key(k) => {
                    if n > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                PathSegment::Key(k) => write!(f, "[{}]", serde_json::Value::from(k.as_str()))?,
                PathSegment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

impl Serialize for DocPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a problem is: the source (a file path, or a name such as `<input>`), the 1-based line
/// and column when known, and the path inside the document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file or source name; `None` for text given without a name.
    pub file: Option<String>,
    /// The 1-based line, when known.
    pub line: Option<u32>,
    /// The 1-based column, when known.
    pub column: Option<u32>,
    /// The path of the offending value inside the document (root when it is the document).
    pub path: DocPath,
}

impl Location {
    /// A location in a named source, without line or path yet.
    #[must_use]
    pub fn in_file(file: impl Into<String>) -> Self {
        Self {
            file: Some(file.into()),
            ..Self::default()
        }
    }

    /// The same location at a line and column (both 1-based).
    #[must_use]
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The same location with a path inside the document.
    #[must_use]
    pub fn with_path(mut self, path: DocPath) -> Self {
        self.path = path;
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file.as_deref().unwrap_or("<input>"))?;
        if let Some(line) = self.line {
            write!(f, ":{line}:{}", self.column.unwrap_or(1))?;
        }
        Ok(())
    }
}

/// One problem: its kind, where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub kind: ErrorKind,
    /// Where it is.
    pub location: Location,
    /// What is wrong and what to change; never a secret value.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: ", self.location, self.kind)?;
        if !self.location.path.is_root() {
            write!(f, "{}: ", self.location.path)?;
        }
        f.write_str(&self.message)
    }
}

impl Diagnostic {
    /// The one serialized form of a diagnostic both bindings hand out: `kind` (`schema`),
    /// `code` (`GOLDPATH_SCHEMA`), `message`, `path` (inside the document; `null` at its root)
    /// and `location` (`file`, `line`, `column`, `path`).
    ///
    /// ```
    /// use goldpath::{Diagnostic, DocPath, ErrorKind, Location};
    /// let d = Diagnostic { kind: ErrorKind::NoMatch, location: Location::in_file("s.yaml"), message: "m".into() };
    /// assert_eq!(d.to_json(), serde_json::json!({"kind": "no-match", "code": "GOLDPATH_NO_MATCH",
    ///     "message": "m", "path": null,
    ///     "location": {"file": "s.yaml", "line": null, "column": null, "path": ""}}));
    /// ```
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        let location = &self.location;
        let path = (!location.path.is_root()).then(|| location.path.to_string());
        serde_json::json!({
            "kind": self.kind.as_str(),
            "code": self.kind.code(),
            "message": self.message,
            "path": path,
            "location": {
                "file": location.file,
                "line": location.line,
                "column": location.column,
                "path": location.path.to_string(),
            },
        })
    }
}

/// The error of every fallible goldpath operation: one or more [`Diagnostic`]s.
///
/// Displayed, it prints one diagnostic a line as `file:line:col: kind: path: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(&self.diagnostics))]
pub struct Error {
    // Never empty (`new` makes one, `from_diagnostics` and `join` refuse none), so the
    // accessors below may read the first.
    diagnostics: Vec<Diagnostic>,
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// An error with a single diagnostic.
    #[must_use]
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        Self {
            diagnostics: vec![Diagnostic {
                kind,
                location,
                message: message.into(),
            }],
        }
    }

    /// An error holding several diagnostics, or `None` when there are none.
    #[must_use]
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Option<Self> {
        (!diagnostics.is_empty()).then_some(Self { diagnostics })
    }

    /// Joins the diagnostics of several errors into one error (`None` when given none).
    #[must_use]
    pub fn join(errors: impl IntoIterator<Item = Self>) -> Option<Self> {
        Self::from_diagnostics(errors.into_iter().flat_map(|e| e.diagnostics).collect())
    }

    /// This error's problems followed by `other`'s.
    #[must_use]
    pub fn and(mut self, other: Self) -> Self {
        self.diagnostics.extend(other.diagnostics);
        self
    }

    /// The kind of the first problem.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.diagnostics[0].kind
    }

    /// The location of the first problem.
    #[must_use]
    pub fn location(&self) -> &Location {
        &self.diagnostics[0].location
    }

    /// The message of the first problem.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.diagnostics[0].message
    }

    /// Every problem, in the order found.
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Consumes the error, returning its problems.
    #[must_use]
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// The same error with every diagnostic placed at `path` in its document.
    #[must_use]
    pub fn at_path(mut self, path: &DocPath) -> Self {
        for d in &mut self.diagnostics {
            d.location.path = path.clone();
        }
        self
    }

    /// The same error with `about` (what it concerns, such as ``resource `x` ``) before every
    /// message.
    ///
    /// ```
    /// use goldpath::{Error, ErrorKind, Location};
    /// let err = Error::new(ErrorKind::Invalid, Location::default(), "bad").about("resource `db`");
    /// assert_eq!(err.message(), "resource `db`: bad");
    /// ```
    #[must_use]
    pub fn about(mut self, about: &str) -> Self {
        for d in &mut self.diagnostics {
            d.message = format!("{about}: {}", d.message);
        }
        self
    }

    /// The same error with `file` set on every diagnostic that has no file yet.
    #[must_use]
    pub fn in_file(mut self, file: &str) -> Self {
        for d in &mut self.diagnostics {
            d.location.file.get_or_insert_with(|| file.to_owned());
        }
        self
    }
}

/// The result type of goldpath.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_display_quotes_keys_that_are_not_words() {
        let p = DocPath::root()
            .key("containers")
            .key("web")
            .key("files")
            .key("/etc/x y")
            .index(2);
        assert_eq!(p.to_string(), r#"containers.web.files["/etc/x y"][2]"#);
        assert_eq!(DocPath::root().to_string(), "");
    }

    #[test]
    fn json_pointer_round_trip_uses_the_document_to_tell_keys_from_indexes() {
        let doc = serde_json::json!({"a": {"0": [1, {"b/c~": 2}]}});
        let p = DocPath::root().key("a").key("0").index(1).key("b/c~");
        let ptr = p.to_json_pointer();
        assert_eq!(ptr, "/a/0/1/b~1c~0");
        assert_eq!(DocPath::from_json_pointer(&ptr, Some(&doc)), p);
    }

    #[test]
    fn all_lists_every_kind_once_with_a_distinct_name_code_and_class() {
        // An exhaustive match: a new kind does not compile until it has a place in `ALL`.
        let position = |kind: ErrorKind| match kind {
            ErrorKind::Yaml => 0,
            ErrorKind::Schema => 1,
            ErrorKind::Name => 2,
            ErrorKind::Invalid => 3,
            ErrorKind::Placeholder => 4,
            ErrorKind::Limit => 5,
            ErrorKind::Io => 6,
            ErrorKind::NoMatch => 7,
            ErrorKind::Cycle => 8,
            ErrorKind::Conflict => 9,
            ErrorKind::Driver => 10,
            ErrorKind::Policy => 11,
            ErrorKind::Permission => 12,
            ErrorKind::Store => 13,
            ErrorKind::Cluster => 14,
        };
        for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), i);
        }
        let distinct = |f: &dyn Fn(ErrorKind) -> String| {
            let set: std::collections::BTreeSet<String> =
                ErrorKind::ALL.into_iter().map(f).collect();
            set.len() == ErrorKind::ALL.len()
        };
        assert!(distinct(&|k| k.as_str().to_owned()));
        assert!(distinct(&|k| k.code()));
        assert!(distinct(&|k| k.class_name().to_owned()));
        assert_eq!(ErrorKind::NoMatch.code(), "GOLDPATH_NO_MATCH");
    }

    #[test]
    fn display_lists_every_diagnostic() {
        let loc = Location::in_file("f.yaml")
            .at(2, 3)
            .with_path(DocPath::root().key("x"));
        let a = Error::new(ErrorKind::Schema, loc.clone(), "first");
        let b = Error::new(ErrorKind::Name, Location::default(), "second");
        let both = Error::join([a, b]).unwrap().in_file("g.yaml");
        assert_eq!(
            both.to_string(),
            "f.yaml:2:3: schema: x: first\ng.yaml: name: second"
        );
        assert_eq!(both.kind(), ErrorKind::Schema);
        assert_eq!(both.diagnostics().len(), 2);
        assert!(Error::join([]).is_none());
    }
}
