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
            refuse_awaitable(&answer)?;
            // An answer is held to the limits of any input document (depth, nodes, size).
            to_value(&answer, &goldpath::load::Limits::default(), None)
                .map_err(|e| format!("its answer cannot be read: {e}"))
        })
    }
}

/// Whether `function` is a coroutine function (`async def`), which a driver may not be:
/// planning is synchronous and releases the GIL, so there is no event loop to await it on.
pub fn is_coroutine_function(function: &Bound<'_, PyAny>) -> PyResult<bool> {
    let inspect = function.py().import("inspect")?;
    inspect
        .call_method1("iscoroutinefunction", (function,))?
        .is_truthy()
}

/// An answer that is a coroutine (a plain function that returned one) is closed unawaited
/// and refused.
fn refuse_awaitable(answer: &Bound<'_, PyAny>) -> Result<(), String> {
    let inspect = answer
        .py()
        .import("inspect")
        .map_err(|e| describe(answer.py(), &e))?;
    let awaitable = inspect
        .call_method1("isawaitable", (answer,))
        .and_then(|a| a.is_truthy())
        .unwrap_or(false);
    if !awaitable {
        return Ok(());
    }
    if answer.hasattr("close").unwrap_or(false) {
        let _ = answer.call_method0("close");
    }
    Err("it returned an awaitable: a driver is a plain function that returns its answer (run async work with asyncio.run inside it)".to_owned())
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
