//! `Platform`: a platform's documents, goldpath's built-ins beneath them, and the drivers.

use std::path::Path;
use std::sync::Arc;

use goldpath::drivers::{HostDriver, SecretSeed};
use goldpath::load::Loader;
use goldpath::plan::Engine;
use goldpath::spec::platform::PlatformDocument;
use napi::Env;
use napi::bindgen_prelude::AsyncTask;
use napi_derive::napi;
use serde_json::Value;

use crate::driver::{DriverFunction, JsDriver};
use crate::failure::{Failure, guarded};
use crate::inputs::PlanOptions;
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

fn engine(
    documents: Vec<PlatformDocument>,
    options: Option<PlatformOptions>,
) -> Result<Engine, Failure> {
    let options = options.unwrap_or_default();
    let platform = goldpath::platform::Platform::from_documents(documents);
    let engine = if options.builtins.unwrap_or(true) {
        Engine::new(platform)
    } else {
        Engine::without_builtins(platform)
    };
    Ok(match options.secret_seed {
        Some(seed) => engine.with_seed(SecretSeed::new(seed.into_bytes())?),
        None => engine,
    })
}

fn documents(loaded: goldpath::load::Documents) -> Vec<PlatformDocument> {
    loaded.platform.into_iter().map(|l| l.document).collect()
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
        guarded(|| {
            let loaded = Loader::default().path(Path::new(&path))?;
            engine(documents(loaded), options)
        })
        .map(|engine| Self { engine })
        .map_err(|f| f.into_js(&env))
    }

    /// A platform of documents given as YAML text (a stream of documents) or objects.
    #[napi(
        factory,
        ts_args_type = "documents: Array<string | Record<string, unknown>>, options?: PlatformOptions"
    )]
    pub fn from_documents(
        env: Env,
        documents: Vec<Value>,
        options: Option<PlatformOptions>,
    ) -> napi::Result<Self> {
        guarded(|| {
            let loader = Loader::default();
            let mut all = Vec::new();
            for (n, document) in documents.into_iter().enumerate() {
                let name = format!("documents[{n}]");
                let loaded = match document {
                    Value::String(text) => loader.str(&text, Some(&name))?,
                    other => loader.value(other, Some(&name))?,
                };
                all.extend(self::documents(loaded));
            }
            engine(all, options)
        })
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
    /// It runs in `planAsync` (the JavaScript thread must be free to call it); a `plan` that
    /// needs it fails with `GOLDPATH_DRIVER`.
    #[napi(ts_args_type = "name: string, driver: (request: DriverRequest) => DriverAnswer")]
    pub fn register_driver(&mut self, name: String, driver: DriverFunction) {
        let host = HostDriver::new(name.clone(), JsDriver::new(driver));
        self.engine.register_driver(name, Arc::new(host));
    }

    /// Plans the workloads (Score YAML text or objects) on the calling thread.
    #[napi(
        ts_args_type = "workloads: Array<string | Record<string, unknown>>, options: PlanOptions"
    )]
    pub fn plan(
        &self,
        env: Env,
        workloads: Vec<Value>,
        options: PlanOptions,
    ) -> napi::Result<Plan> {
        task::plan(&self.engine, workloads, &options)
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
        crate::session::open(&self.engine, workloads, &options).map_err(|f| f.into_js(&env))
    }

    /// Warnings every plan of this platform carries (the development seed, ...).
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.engine.warnings()
    }
}
