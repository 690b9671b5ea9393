//! `Session`: one application's workloads in one context and their plan, kept up to date as
//! workloads are updated and removed (the core crate's `goldpath::session`).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use goldpath::plan::Engine;
use napi::Env;
use napi::bindgen_prelude::{AsyncTask, Task};
use napi_derive::napi;
use serde_json::Value;

use crate::failure::{Failure, guarded};
use crate::inputs::{self, PlanOptions};
use crate::plan::Plan;

type Shared = Arc<Mutex<goldpath::session::Session>>;

/// A live plan, as `Platform.session` returns it: `update(workload)` adds a workload or
/// replaces the one of the same name, `remove(name)` removes one; each returns the new plan,
/// equal to what `plan` makes of the same workloads. An update that fails throws and leaves
/// the session at its last good plan. An edit of a workload's containers alone (image,
/// variable values, ...) replans that workload alone; adding, removing or replacing one
/// recomputes what it touches. The plans returned share what did not change with the session
/// (nothing is copied).
#[napi]
pub struct Session {
    inner: Shared,
}

/// Opens a session over `workloads` (Score YAML text or objects).
pub fn open(
    engine: &Engine,
    workloads: Vec<Value>,
    options: &PlanOptions,
    store: Option<&dyn goldpath::deploy::Store>,
) -> Result<Session, Failure> {
    let opened = guarded(|| {
        let (engine, workloads, context, options) =
            crate::task::preview(engine, workloads, options, store)?;
        let session = engine.session(workloads, &context, &options)?;
        Ok(Session {
            inner: Arc::new(Mutex::new(session)),
        })
    });
    crate::memory::give_back();
    opened
}

fn lock(shared: &Shared) -> MutexGuard<'_, goldpath::session::Session> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sets one workload (the work of `update` and `updateAsync`).
fn update(shared: &Shared, workload: Value) -> Result<Arc<goldpath::plan::Plan>, Failure> {
    guarded(|| {
        let workload = inputs::workloads(vec![workload])?.remove(0);
        let mut session = lock(shared);
        session.set_workload(workload)?;
        Ok(session.shared_plan())
    })
}

#[napi]
impl Session {
    /// Adds the workload (Score YAML text or an object), or replaces the workload of the same
    /// name, and returns the new plan.
    #[napi(ts_args_type = "workload: string | Record<string, unknown>")]
    pub fn update(&self, env: Env, workload: Value) -> napi::Result<Plan> {
        update(&self.inner, workload)
            .map(Plan::from)
            .map_err(|f| f.into_js(&env))
    }

    /// `update` on a worker thread; the promise resolves to the plan or rejects with a
    /// `GoldpathError`. Updates run one at a time, in the order they were made.
    #[napi(
        ts_args_type = "workload: string | Record<string, unknown>",
        ts_return_type = "Promise<Plan>"
    )]
    pub fn update_async(&self, workload: Value) -> AsyncTask<UpdateTask> {
        AsyncTask::new(UpdateTask {
            session: Arc::clone(&self.inner),
            workload: Some(workload),
        })
    }

    /// Removes the workload named `name` and returns the new plan.
    #[napi]
    pub fn remove(&self, env: Env, name: String) -> napi::Result<Plan> {
        guarded(|| {
            let mut session = lock(&self.inner);
            session.remove_workload(&name)?;
            Ok(session.shared_plan())
        })
        .map(Plan::from)
        .map_err(|f| f.into_js(&env))
    }

    /// The plan of the current workloads.
    #[napi(getter)]
    pub fn plan(&self) -> Plan {
        Plan::from(lock(&self.inner).shared_plan())
    }

    /// The names of the current workloads, in the order they are planned.
    #[napi(getter)]
    pub fn workloads(&self) -> Vec<String> {
        lock(&self.inner)
            .workload_names()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}

/// One update made off the JavaScript thread.
pub struct UpdateTask {
    session: Shared,
    workload: Option<Value>,
}

impl Task for UpdateTask {
    type Output = Result<Arc<goldpath::plan::Plan>, Failure>;
    type JsValue = Plan;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let workload = self.workload.take().unwrap_or(Value::Null);
        Ok(update(&self.session, workload))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map(Plan::from).map_err(|f| f.into_js(&env))
    }
}
