//! goldpath's errors as Python exceptions: `goldpath.Error` and one subclass per error kind,
//! with `kind`, `message`, `path`, `location` and `diagnostics`; panics become `goldpath.Error`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use goldpath::ErrorKind;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    goldpath,
    Error,
    PyException,
    "Every failure of goldpath. `kind` names the category (`schema`, `yaml`, ...), `message` says what to change, `path` is the place inside the document (None at its root), `location` the file, line and column, and `diagnostics` every problem found (the attributes describe the first)."
);

/// The kind a panic is reported as.
const INTERNAL_KIND: &str = "internal";

/// Declares one exception class per error kind, the mapping from kinds to classes, and the
/// function that adds them to the module.
macro_rules! kind_exceptions {
    ($($kind:ident => $name:ident: $doc:literal,)*) => {
        $( create_exception!(goldpath, $name, Error, $doc); )*

        /// A new exception of the class of `kind`, holding `message`.
        fn exception_of(kind: ErrorKind, message: String) -> PyErr {
            match kind {
                $( ErrorKind::$kind => PyErr::new::<$name, _>(message), )*
                _ => PyErr::new::<Error, _>(message),
            }
        }

        /// Adds `Error` and every subclass to `module`, each with its `kind` as a class attribute.
        pub fn add_to(module: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = module.py();
            let base = py.get_type::<Error>();
            base.setattr("kind", INTERNAL_KIND)?;
            module.add("Error", base)?;
            $(
                let class = py.get_type::<$name>();
                class.setattr("kind", ErrorKind::$kind.as_str())?;
                module.add(stringify!($name), class)?;
            )*
            Ok(())
        }
    };
}

kind_exceptions! {
    Yaml => YamlError: "The text is not well-formed YAML or JSON, or uses a YAML feature goldpath refuses (duplicate keys, tags, several documents where one is expected).",
    Schema => SchemaError: "A document does not match its JSON Schema, or a Python value has no YAML/JSON form.",
    Name => InvalidNameError: "A name breaks the rules of the object it names (DNS-1123 labels, port names, variable names).",
    Invalid => InvalidValueError: "A value is well-typed but invalid (a port out of range, an unknown environment type, a bad resource key).",
    Placeholder => PlaceholderError: "A ${...} placeholder does not parse, or names something that does not exist.",
    Limit => LimitError: "An input exceeds a safety limit (size, nesting depth, alias expansion).",
    Io => IoError: "A file or folder could not be read or written.",
    NoMatch => NoMatchError: "No resource definition matches a resource request in its context.",
    Cycle => CycleError: "Resources depend on each other in a cycle.",
    Conflict => ConflictError: "Two requests for one shared resource disagree.",
    Driver => DriverError: "A driver failed to provision a resource (template error, a host driver that raised, an unknown driver).",
    Policy => PolicyError: "A policy of the environment type refuses the plan.",
    Permission => PermissionDenied: "The principal may not perform the action on the target.",
    Store => StoreError: "A deployment record, an environment or a store's content is missing, corrupt or changed concurrently.",
    Cluster => ClusterError: "The Kubernetes API server refused or failed a request, or no cluster could be reached.",
}

/// Where a problem is: `file` (None for text or values given without a name), `line` and
/// `column` (1-based, None when unknown, as for dicts) and `path` inside the document.
#[pyclass(module = "goldpath", frozen)]
#[derive(Clone)]
pub struct Location {
    /// The file or source name.
    #[pyo3(get)]
    pub file: Option<String>,
    /// The 1-based line.
    #[pyo3(get)]
    pub line: Option<u32>,
    /// The 1-based column.
    #[pyo3(get)]
    pub column: Option<u32>,
    /// The path inside the document (`containers.web.image`); empty at its root.
    #[pyo3(get)]
    pub path: String,
    text: String,
}

#[pymethods]
impl Location {
    fn __str__(&self) -> String {
        self.text.clone()
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.Location {}>", self.text)
    }
}

impl Location {
    fn from_core(location: &goldpath::Location) -> Self {
        Self {
            file: location.file.clone(),
            line: location.line,
            column: location.column,
            path: location.path.to_string(),
            text: location.to_string(),
        }
    }
}

/// One problem: its `kind`, its `location` and its `message`.
#[pyclass(module = "goldpath", frozen)]
pub struct Diagnostic {
    /// The category (`schema`, `yaml`, ...).
    #[pyo3(get)]
    pub kind: String,
    /// Where it is.
    #[pyo3(get)]
    pub location: Location,
    /// What is wrong and what to change.
    #[pyo3(get)]
    pub message: String,
    text: String,
}

#[pymethods]
impl Diagnostic {
    fn __str__(&self) -> String {
        self.text.clone()
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.Diagnostic {}>", self.text)
    }
}

/// A failure inside the engine: its error, or a panic's message.
pub enum Failure {
    /// goldpath's error.
    Engine(goldpath::Error),
    /// A Rust panic, caught before it reached Python.
    Panic(String),
}

impl From<goldpath::Error> for Failure {
    fn from(error: goldpath::Error) -> Self {
        Self::Engine(error)
    }
}

/// Runs `work`, turning a panic into [`Failure::Panic`].
pub fn guard<T>(work: impl FnOnce() -> goldpath::Result<T>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(result) => result.map_err(Failure::Engine),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned());
            Err(Failure::Panic(message))
        }
    }
}

impl Failure {
    /// The Python exception of this failure.
    pub fn into_py_err(self, py: Python<'_>) -> PyErr {
        match self {
            Self::Engine(error) => engine_error(py, &error),
            Self::Panic(message) => {
                let text =
                    format!("internal error (a bug in goldpath, please report it): {message}");
                let err = PyErr::new::<Error, _>(text.clone());
                let location = goldpath::Location::default();
                let _ = set_fields(py, &err, INTERNAL_KIND, &text, &location, Vec::new());
                err
            }
        }
    }
}

/// The exception of `error`: the class of its first problem's kind, with every problem.
pub fn engine_error(py: Python<'_>, error: &goldpath::Error) -> PyErr {
    let err = exception_of(error.kind(), error.to_string());
    let diagnostics = error
        .diagnostics()
        .iter()
        .map(|d| Diagnostic {
            kind: d.kind.as_str().to_owned(),
            location: Location::from_core(&d.location),
            message: d.message.clone(),
            text: d.to_string(),
        })
        .collect();
    let kind = error.kind().as_str();
    let _ = set_fields(
        py,
        &err,
        kind,
        error.message(),
        error.location(),
        diagnostics,
    );
    err
}

fn set_fields(
    py: Python<'_>,
    err: &PyErr,
    kind: &str,
    message: &str,
    location: &goldpath::Location,
    diagnostics: Vec<Diagnostic>,
) -> PyResult<()> {
    let value = err.value(py);
    value.setattr("kind", kind)?;
    value.setattr("message", message)?;
    let path = (!location.path.is_root()).then(|| location.path.to_string());
    value.setattr("path", path)?;
    value.setattr("location", Location::from_core(location))?;
    value.setattr("diagnostics", diagnostics)?;
    Ok(())
}

/// Converts the result of engine work to a Python result.
pub fn to_py<T>(py: Python<'_>, result: Result<T, Failure>) -> PyResult<T> {
    result.map_err(|failure| failure.into_py_err(py))
}
