//! What Python passes as documents (paths, YAML or JSON text, dicts), converted into the
//! loader's [`Source`]s.

use std::path::PathBuf;

use goldpath::load::{Loader, Source};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::convert::to_value;

/// The inputs of `items` (`what` names them in diagnostics: `workloads[0]`, ...): a list or tuple of them, or a single one. A dict is a document, an
/// `os.PathLike` a file or folder, and a `str` text or a path as [`Source::from_string`] decides.
pub fn sources(items: &Bound<'_, PyAny>, loader: &Loader, what: &str) -> PyResult<Vec<Source>> {
    let list: Vec<Bound<'_, PyAny>> =
        if items.is_instance_of::<PyList>() || items.is_instance_of::<PyTuple>() {
            items.try_iter()?.collect::<PyResult<_>>()?
        } else {
            vec![items.clone()]
        };
    list.iter()
        .enumerate()
        .map(|(i, item)| source(item, loader, &format!("{what}[{i}]")))
        .collect()
}

fn source(item: &Bound<'_, PyAny>, loader: &Loader, name: &str) -> PyResult<Source> {
    if item.is_instance_of::<PyDict>() {
        let value = to_value(item, loader.limits(), Some(name))
            .map_err(|e| crate::errors::engine_error(item.py(), &e))?;
        return Ok(Source::value(name, value));
    }
    if let Ok(text) = item.cast::<PyString>() {
        return Ok(Source::from_string(name, text.to_cow()?.into_owned()));
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
