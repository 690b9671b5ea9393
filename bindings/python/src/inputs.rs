//! What Python passes as documents: paths, YAML text and dicts, loaded by goldpath's loader.

use std::path::PathBuf;

use goldpath::load::{Documents, Loader};
use goldpath::{Error, ErrorKind, Location};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::Value;

use crate::convert::to_value;

/// One input, converted from Python while holding the GIL and loaded without it.
pub enum Source {
    /// A file or folder.
    Path(PathBuf),
    /// YAML (or JSON) text, with the name it is reported under.
    Text(String, String),
    /// A document given as a dict, with the name it is reported under.
    Value(Value, String),
}

/// The inputs of `items`: a list or tuple of them, or a single one. A dict is a document, an
/// `os.PathLike` a file or folder, and a `str` YAML text when it holds a line break, else a path.
pub fn sources(items: &Bound<'_, PyAny>, loader: &Loader, what: &str) -> PyResult<Vec<Source>> {
    let list: Vec<Bound<'_, PyAny>> =
        if items.is_instance_of::<PyList>() || items.is_instance_of::<PyTuple>() {
            items.try_iter()?.collect::<PyResult<_>>()?
        } else {
            vec![items.clone()]
        };
    list.iter()
        .enumerate()
        .map(|(i, item)| source(item, loader, &format!("<{what} #{i}>")))
        .collect()
}

fn source(item: &Bound<'_, PyAny>, loader: &Loader, name: &str) -> PyResult<Source> {
    if item.is_instance_of::<PyDict>() {
        let value = to_value(item, loader.limits(), Some(name))
            .map_err(|e| crate::errors::engine_error(item.py(), &e))?;
        return Ok(Source::Value(value, name.to_owned()));
    }
    if let Ok(text) = item.cast::<PyString>() {
        let text = text.to_cow()?;
        return Ok(if text.contains('\n') {
            Source::Text(text.into_owned(), name.to_owned())
        } else {
            Source::Path(PathBuf::from(text.as_ref()))
        });
    }
    let path: PathBuf = item.extract().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "{name}: expected a path, YAML text or a dict, got `{}`",
            item.get_type()
                .name()
                .map_or_else(|_| "?".to_owned(), |n| n.to_string())
        ))
    })?;
    Ok(Source::Path(path))
}

/// Loads every source as one set: paths together (so folders load in parallel), then texts and
/// dicts; rules across documents (unique names, ...) see them all.
pub fn load(loader: &Loader, sources: Vec<Source>) -> goldpath::Result<Documents> {
    let mut paths = Vec::new();
    let mut all = Documents::default();
    let mut errors = Vec::new();
    for source in sources {
        let loaded = match source {
            Source::Path(path) => {
                paths.push(path);
                continue;
            }
            Source::Text(text, name) => loader.str(&text, Some(&name)),
            Source::Value(value, name) => loader.value(value, Some(&name)),
        };
        match loaded {
            Ok(docs) => all.extend(docs),
            Err(e) => errors.push(e),
        }
    }
    if !paths.is_empty() {
        match loader.paths(&paths) {
            Ok(docs) => all.extend(docs),
            Err(e) => errors.push(e),
        }
    }
    errors.extend(all.check_set().err());
    Error::join(errors).map_or(Ok(all), Err)
}

/// An error for documents of the wrong family (platform documents among workloads, ...).
pub fn misplaced(found: &str, name: &str, origin: Option<&str>, instead: &str) -> Error {
    let location = Location {
        file: origin.map(str::to_owned),
        ..Location::default()
    };
    Error::new(
        ErrorKind::Invalid,
        location,
        format!("{found} `{name}` is not accepted here: {instead}"),
    )
}
