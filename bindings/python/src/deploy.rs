//! The arguments of the deployment methods of `goldpath.Platform`, converted for
//! `goldpath::deploy::Deployer`, and the call into it without the GIL.

use std::sync::Arc;

use goldpath::deploy::{self, Actor, Deployer};
use goldpath::plan::{Engine, PlanOptions};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::access::principal_of;
use crate::errors::{guard, to_py};

/// The `at` argument: RFC 3339 text, or a `datetime.datetime` (give it a time zone).
fn timestamp(at: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = at.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    let datetime = at.py().import("datetime")?.getattr("datetime")?;
    if at.is_instance(&datetime)? {
        return at.call_method0("isoformat")?.extract();
    }
    Err(PyTypeError::new_err(
        "at must be an RFC 3339 str (2026-11-23T10:00:00Z) or a datetime.datetime",
    ))
}

/// Who acts and when.
pub fn actor(at: &Bound<'_, PyAny>, principal: Option<&Bound<'_, PyAny>>) -> PyResult<Actor> {
    Ok(Actor {
        at: timestamp(at)?,
        principal: principal_of(principal)?,
    })
}

/// Runs `work` on a deployer of `engine` into `store` (planning with `options`), without the GIL, a panic becoming
/// `goldpath.Error`.
pub fn run<T: Send>(
    py: Python<'_>,
    engine: Engine,
    store: Arc<dyn deploy::Store>,
    options: PlanOptions,
    work: impl FnOnce(&Deployer<'_>) -> goldpath::Result<T> + Send,
) -> PyResult<T> {
    let done = py.detach(|| {
        guard(|| {
            let deployer = Deployer::new(&engine, store.as_ref()).with_options(options);
            work(&deployer)
        })
    });
    to_py(py, done)
}
