//! `planAsync`: loading and planning on a worker thread of libuv's pool.

use goldpath::plan::Engine;
use napi::Env;
use napi::bindgen_prelude::Task;
use serde_json::Value;

use crate::failure::{Failure, guarded};
use crate::inputs::{self, PlanOptions};
use crate::plan::Plan;

/// One plan to make off the JavaScript thread.
pub struct PlanTask {
    engine: Engine,
    workloads: Vec<Value>,
    options: PlanOptions,
    store: Option<std::sync::Arc<dyn goldpath::deploy::Store>>,
}

impl PlanTask {
    /// A task planning `workloads` with `engine` (and `options.store`, held past the call).
    pub fn new(engine: Engine, workloads: Vec<Value>, mut options: PlanOptions) -> Self {
        let store = options.store.take().map(|s| s.inner.clone());
        Self {
            engine,
            workloads,
            options,
            store,
        }
    }
}

/// Loads and plans (the work of `plan` and `planAsync`): a preview, whose
/// `cmd` and `http` results come from `store`'s record unless `options.provision` is set.
pub fn plan(
    engine: &Engine,
    workloads: Vec<Value>,
    options: &PlanOptions,
    store: Option<&dyn goldpath::deploy::Store>,
) -> Result<goldpath::plan::Plan, Failure> {
    let planned = guarded(|| {
        let (engine, workloads, context, options) = preview(engine, workloads, options, store)?;
        Ok(engine.plan_owned(workloads, &context, &options)?)
    });
    crate::memory::give_back();
    planned
}

/// The engine, workloads, context and options of a preview (`plan` and `session`): drivers
/// that act on the world are called only with `provision`, otherwise their results come from
/// `store`.
pub fn preview(
    engine: &Engine,
    workloads: Vec<Value>,
    options: &PlanOptions,
    store: Option<&dyn goldpath::deploy::Store>,
) -> Result<
    (
        Engine,
        Vec<goldpath::WorkloadInput>,
        goldpath::platform::Context,
        goldpath::plan::PlanOptions,
    ),
    Failure,
> {
    let workloads = inputs::workloads(workloads)?;
    let provision = options.provision.unwrap_or(false);
    let (context, options) = options.split();
    let engine =
        goldpath::deploy::preview_engine(engine, store, &context.app, &context.env, provision)?;
    Ok((engine, workloads, context, options))
}

impl Task for PlanTask {
    type Output = Result<goldpath::plan::Plan, Failure>;
    type JsValue = Plan;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let workloads = std::mem::take(&mut self.workloads);
        Ok(plan(
            &self.engine,
            workloads,
            &self.options,
            self.store.as_deref(),
        ))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map(Plan::from).map_err(|f| f.into_js(&env))
    }
}
