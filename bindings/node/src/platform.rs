//! `Platform`: a platform's documents, goldpath's built-ins beneath them, and the drivers.

use std::sync::Arc;

use goldpath::drivers::HostDriver;
use goldpath::load::Source;
use goldpath::plan::Engine;
use napi::Env;
use napi::bindgen_prelude::AsyncTask;
use napi_derive::napi;
use serde_json::Value;

use crate::driver::{DriverFunction, JsDriver};
use crate::failure::{Failure, guarded};
use crate::inputs::{self, PlanOptions};
use crate::plan::Plan;
use crate::task::{self, PlanTask};

/// How a platform is built.
#[napi(object)]
#[derive(Clone, Default)]
pub struct PlatformOptions {
    /// Keep goldpath's built-in resource definitions beneath the platform's; default true.
    pub builtins: Option<bool>,
    /// The seed of generated secrets (at least 32 bytes); without it a fixed development seed
    /// is used and plans carry a warning.
    pub secret_seed: Option<String>,
}

/// A platform ready to plan with.
#[napi]
pub struct Platform {
    engine: Engine,
}

fn engine(sources: Vec<Source>, options: Option<PlatformOptions>) -> Result<Engine, Failure> {
    let options = options.unwrap_or_default();
    let mut builder = Engine::builder()
        .sources(sources)
        .builtins(options.builtins.unwrap_or(true));
    if let Some(seed) = options.secret_seed {
        builder = builder.seed(seed.into_bytes());
    }
    Ok(builder.build()?)
}

impl Platform {
    /// The engine the platform plans with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

#[napi]
impl Platform {
    /// Loads the platform documents of a folder (or file).
    #[napi(factory)]
    pub fn load(env: Env, path: String, options: Option<PlatformOptions>) -> napi::Result<Self> {
        guarded(|| engine(vec![Source::path(path)], options))
            .map(|engine| Self { engine })
            .map_err(|f| f.into_js(&env))
    }

    /// A platform of documents loaded as one set: YAML or JSON text (a stream of documents),
    /// objects, or paths of files and folders.
    #[napi(
        factory,
        ts_args_type = "documents: Array<string | Record<string, unknown>>, options?: PlatformOptions"
    )]
    pub fn from_documents(
        env: Env,
        documents: Vec<Value>,
        options: Option<PlatformOptions>,
    ) -> napi::Result<Self> {
        guarded(|| engine(inputs::sources(documents, "documents"), options))
            .map(|engine| Self { engine })
            .map_err(|f| f.into_js(&env))
    }

    /// goldpath's built-in default platform alone (what `goldpath render score.yaml` uses).
    #[napi(factory, js_name = "default")]
    pub fn default_platform(env: Env, options: Option<PlatformOptions>) -> napi::Result<Self> {
        guarded(|| engine(Vec::new(), options))
            .map(|engine| Self { engine })
            .map_err(|f| f.into_js(&env))
    }

    /// Registers a JavaScript driver: `fn(request)` returns `{outputs, secrets, manifests}`.
    /// A synchronous `plan` calls it on the calling thread (it must answer with a value);
    /// `planAsync` calls it on the JavaScript thread while planning runs on a worker, and
    /// awaits a Promise it returns (a rejection becomes `GOLDPATH_DRIVER`).
    #[napi(
        ts_args_type = "name: string, driver: (request: DriverRequest) => DriverAnswer | Promise<DriverAnswer>"
    )]
    pub fn register_driver(
        &mut self,
        env: Env,
        name: String,
        driver: DriverFunction<'_>,
    ) -> napi::Result<()> {
        let function = JsDriver::new(&env, &driver)?;
        let host = HostDriver::new(name.clone(), function);
        self.engine.register_driver(name, Arc::new(host));
        Ok(())
    }

    /// Plans the workloads (Score YAML text or objects) on the calling thread: a preview,
    /// whose `cmd` and `http` resources take their results and states from the current record
    /// of environment `options.env` in `options.store` (no call), unless `options.provision`
    /// is set.
    #[napi(
        ts_args_type = "workloads: Array<string | Record<string, unknown>>, options: PlanOptions"
    )]
    pub fn plan(
        &self,
        env: Env,
        workloads: Vec<Value>,
        options: PlanOptions,
    ) -> napi::Result<Plan> {
        let store = options.store.map(|s| s.inner.as_ref());
        task::plan(&self.engine, workloads, &options, store)
            .map(Plan::from)
            .map_err(|f| f.into_js(&env))
    }

    /// Plans on a worker thread; the promise resolves to the plan or rejects with a
    /// `GoldpathError`.
    #[napi(
        ts_args_type = "workloads: Array<string | Record<string, unknown>>, options: PlanOptions",
        ts_return_type = "Promise<Plan>"
    )]
    pub fn plan_async(&self, workloads: Vec<Value>, options: PlanOptions) -> AsyncTask<PlanTask> {
        AsyncTask::new(PlanTask::new(self.engine.clone(), workloads, options))
    }

    /// A session over the workloads: their plan, kept up to date by `update` and `remove`.
    #[napi(
        ts_args_type = "workloads: Array<string | Record<string, unknown>>, options: PlanOptions"
    )]
    pub fn session(
        &self,
        env: Env,
        workloads: Vec<Value>,
        options: PlanOptions,
    ) -> napi::Result<crate::session::Session> {
        let store = options.store.map(|s| s.inner.as_ref());
        crate::session::open(&self.engine, workloads, &options, store).map_err(|f| f.into_js(&env))
    }

    /// Warnings every plan of this platform carries (the development seed, ...).
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.engine.warnings()
    }
}
