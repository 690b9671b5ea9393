//! Python callables as goldpath drivers: the request goes in as a dict, the answer comes back
//! as a dict; the GIL is taken again for the call, so planning itself runs without it.

use goldpath::drivers::HostFunction;
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::{to_python, to_value};

/// A Python callable that provisions resources.
pub struct PythonFunction {
    callable: Py<PyAny>,
}

impl PythonFunction {
    /// Wraps `callable`.
    pub fn new(callable: Py<PyAny>) -> Self {
        Self { callable }
    }
}

impl HostFunction for PythonFunction {
    fn call(&self, request: Value) -> Result<Value, String> {
        Python::attach(|py| {
            let request = to_python(py, &request).map_err(|e| describe(py, &e))?;
            let answer = self
                .callable
                .bind(py)
                .call1((request,))
                .map_err(|e| describe(py, &e))?;
            // An answer is held to the limits of any input document (depth, nodes, size).
            to_value(&answer, &goldpath::load::Limits::default(), None)
                .map_err(|e| format!("its answer cannot be read: {e}"))
        })
    }
}

/// `TypeName: message` of a Python exception.
fn describe(py: Python<'_>, err: &PyErr) -> String {
    let name = err
        .get_type(py)
        .name()
        .map_or_else(|_| "Exception".to_owned(), |n| n.to_string());
    match err.value(py).str() {
        Ok(text) if !text.to_string().is_empty() => format!("{name}: {text}"),
        _ => name,
    }
}
