//! `goldpath.Session`: one application's workloads in one context and their plan, kept up to
//! date as workloads are updated and removed (the core crate's `goldpath::session`).

use std::sync::{Mutex, MutexGuard, PoisonError};

use goldpath::load::Loader;
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::Context;
use goldpath::resolve::WorkloadInput;
use pyo3::prelude::*;

use crate::errors::{guard, to_py};
use crate::inputs;
use crate::plan::Plan;

/// A live plan: made by `Platform.session(workloads, app=..., env=..., env_type=...)`.
/// `update(workload)` adds a workload or replaces the one of the same name, `remove(name)`
/// removes one; each returns the new plan, equal to what `Platform.plan` makes of the same
/// workloads. An update that fails raises and leaves the session at its last good plan. An
/// edit of a workload's containers alone (image, variable values, ...) replans that workload
/// alone; adding, removing or replacing one recomputes what it touches. The plans returned
/// share what did not change with the session (nothing is copied). Sessions may be shared by
/// threads: edits are made one at a time, without the GIL.
#[pyclass(module = "goldpath", frozen)]
pub struct Session {
    inner: Mutex<goldpath::session::Session>,
    loader: Loader,
}

/// Opens a session over `workloads` (anything `Platform.plan` accepts).
pub fn open(
    py: Python<'_>,
    engine: Engine,
    loader: &Loader,
    workloads: &Bound<'_, PyAny>,
    context: Context,
    options: PlanOptions,
) -> PyResult<Session> {
    let sources = inputs::sources(workloads, loader, "workload")?;
    let opened = py.detach(|| {
        let opened = guard(|| engine.session(loader.workloads(sources)?, &context, &options));
        crate::memory::give_back();
        opened
    });
    Ok(Session {
        inner: Mutex::new(to_py(py, opened)?),
        loader: loader.clone(),
    })
}

impl Session {
    fn lock(&self) -> MutexGuard<'_, goldpath::session::Session> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl Session {
    /// Adds `workload` (a path, YAML text or a dict holding one Score workload), or replaces
    /// the workload of the same name, and returns the new plan. Raises a `goldpath.Error`
    /// subclass when it cannot be planned; the session then keeps its last good plan.
    fn update(&self, py: Python<'_>, workload: &Bound<'_, PyAny>) -> PyResult<Plan> {
        let sources = inputs::sources(workload, &self.loader, "workload")?;
        let planned = py.detach(|| {
            guard(|| {
                let workload = one(self.loader.workloads(sources)?)?;
                let mut session = self.lock();
                session.set_workload(workload)?;
                Ok(session.shared_plan())
            })
        });
        to_py(py, planned).map(Plan::shared)
    }

    /// Removes the workload named `name` and returns the new plan. Raises
    /// `goldpath.InvalidValueError` for a name the session does not have.
    fn remove(&self, py: Python<'_>, name: &str) -> PyResult<Plan> {
        let planned = py.detach(|| {
            guard(|| {
                let mut session = self.lock();
                session.remove_workload(name)?;
                Ok(session.shared_plan())
            })
        });
        to_py(py, planned).map(Plan::shared)
    }

    /// The plan of the current workloads.
    #[getter]
    fn plan(&self) -> Plan {
        Plan::shared(self.lock().shared_plan())
    }

    /// The names of the current workloads, in the order they are planned.
    #[getter]
    fn workloads(&self) -> Vec<String> {
        let session = self.lock();
        session
            .workload_names()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    fn __repr__(&self) -> String {
        let session = self.lock();
        let context = session.context();
        format!(
            "<goldpath.Session: {} workloads of {} in {} ({})>",
            session.workload_count(),
            context.app,
            context.env,
            context.env_type
        )
    }
}

/// The one workload of an update.
fn one(mut workloads: Vec<WorkloadInput>) -> goldpath::Result<WorkloadInput> {
    match workloads.len() {
        1 => Ok(workloads.remove(0)),
        n => Err(goldpath::Error::new(
            goldpath::ErrorKind::Invalid,
            goldpath::Location::default(),
            format!(
                "Session.update takes one Score workload; {n} were given: update them one at a time"
            ),
        )),
    }
}
