//! goldpath's errors as Python exceptions: `goldpath.Error` and one subclass per kind of
//! [`ErrorKind::ALL`] (made from that list), with `kind`, `code`, `message` (every problem,
//! one a line, as `str(err)`), `path`, `location` and `diagnostics`; panics become
//! `goldpath.Error`.

use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};

use goldpath::ErrorKind;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

create_exception!(
    goldpath,
    Error,
    PyException,
    "Every failure of goldpath. `kind` names the category (`schema`, `yaml`, ...) and `code` its code (`GOLDPATH_SCHEMA`), `message` lists every problem (one a line, as `str(err)`), `path` is the place inside the document (None at its root), `location` the file, line and column, and `diagnostics` every problem found (`kind`, `path` and `location` describe the first)."
);

/// The kind a panic is reported as.
const INTERNAL_KIND: &str = "internal";

/// The exception class of each kind, in the order of [`ErrorKind::ALL`]; made when the module
/// is added.
static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();

/// The subclasses of `Error`, one per [`ErrorKind::ALL`], named by [`ErrorKind::class_name`]
/// with [`ErrorKind::summary`] as docstring.
fn classes(py: Python<'_>) -> PyResult<&Vec<Py<PyType>>> {
    CLASSES.get_or_try_init(py, || {
        let base = py.get_type::<Error>();
        ErrorKind::ALL
            .into_iter()
            .map(|kind| {
                let name = CString::new(format!("goldpath.{}", kind.class_name()))?;
                let doc = CString::new(kind.summary())?;
                let class = PyErr::new_type(py, &name, Some(&doc), Some(&base), None)?;
                class.bind(py).setattr("kind", kind.as_str())?;
                class.bind(py).setattr("code", kind.code())?;
                Ok(class)
            })
            .collect()
    })
}

/// A new exception of the class of `kind`, holding `message`.
fn exception_of(py: Python<'_>, kind: ErrorKind, message: String) -> PyErr {
    let index = ErrorKind::ALL.iter().position(|k| *k == kind);
    match (classes(py), index) {
        (Ok(classes), Some(i)) => PyErr::from_type(classes[i].bind(py).clone(), message),
        _ => PyErr::new::<Error, _>(message),
    }
}

/// Adds `Error` and one subclass per error kind to `module`, each with its `kind` and `code`
/// as class attributes, and `_error_kinds()`'s data as `ERROR_KINDS`: `(kind, code, class)`.
pub fn add_to(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    let base = py.get_type::<Error>();
    base.setattr("kind", INTERNAL_KIND)?;
    base.setattr("code", "GOLDPATH_INTERNAL")?;
    module.add("Error", base)?;
    let mut kinds = Vec::new();
    for (kind, class) in ErrorKind::ALL.into_iter().zip(classes(py)?) {
        module.add(kind.class_name(), class.bind(py))?;
        kinds.push((kind.as_str(), kind.code(), kind.class_name()));
    }
    module.add("ERROR_KINDS", kinds)?;
    Ok(())
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

/// One problem: its `kind`, `code`, `message`, `path` and `location` (the serialized form
/// both bindings share, [`goldpath::Diagnostic::to_json`]).
#[pyclass(module = "goldpath", frozen)]
pub struct Diagnostic {
    /// The category (`schema`, `yaml`, ...).
    #[pyo3(get)]
    pub kind: String,
    /// The error code (`GOLDPATH_SCHEMA`, ...).
    #[pyo3(get)]
    pub code: String,
    /// The path inside the document; None at its root.
    #[pyo3(get)]
    pub path: Option<String>,
    /// Where it is.
    #[pyo3(get)]
    pub location: Location,
    /// What is wrong and what to change.
    #[pyo3(get)]
    pub message: String,
    text: String,
    json: serde_json::Value,
}

#[pymethods]
impl Diagnostic {
    fn __str__(&self) -> String {
        self.text.clone()
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.Diagnostic {}>", self.text)
    }

    /// The diagnostic as a dict: `kind`, `code`, `message`, `path`, `location` (what Node's
    /// diagnostics are).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_python(py, &self.json)
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
                let _ = set_fields(py, &err, None, &text, &location, Vec::new());
                err
            }
        }
    }
}

/// The exception of `error`: the class of its first problem's kind, with every problem.
pub fn engine_error(py: Python<'_>, error: &goldpath::Error) -> PyErr {
    let message = error.to_string();
    let err = exception_of(py, error.kind(), message.clone());
    let diagnostics = error
        .diagnostics()
        .iter()
        .map(|d| Diagnostic {
            kind: d.kind.as_str().to_owned(),
            code: d.kind.code(),
            path: (!d.location.path.is_root()).then(|| d.location.path.to_string()),
            location: Location::from_core(&d.location),
            message: d.message.clone(),
            text: d.to_string(),
            json: d.to_json(),
        })
        .collect();
    let kind = Some(error.kind());
    let _ = set_fields(py, &err, kind, &message, error.location(), diagnostics);
    err
}

fn set_fields(
    py: Python<'_>,
    err: &PyErr,
    kind: Option<ErrorKind>,
    message: &str,
    location: &goldpath::Location,
    diagnostics: Vec<Diagnostic>,
) -> PyResult<()> {
    let value = err.value(py);
    value.setattr("kind", kind.map_or(INTERNAL_KIND, ErrorKind::as_str))?;
    value.setattr(
        "code",
        kind.map_or_else(|| "GOLDPATH_INTERNAL".to_owned(), ErrorKind::code),
    )?;
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
