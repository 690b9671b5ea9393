//! Deployments: `Store` (`MemoryStore`, `DirStore`), `Platform.deploy`, `Platform.rollback`
//! and `diff`. Records are plain objects: the record JSON.

use std::collections::BTreeMap;
use std::sync::Arc;

use goldpath::deploy::{self, Actor, Deployer, Deployment};
use goldpath::plan::Engine;
use napi::Env;
use napi::bindgen_prelude::{AsyncTask, Either, Task};
use napi_derive::napi;
use serde_json::{Value, json};

use crate::access::{Principal, principal_of};
use crate::failure::{Failure, guarded};
use crate::inputs::{self, PlanOptions};
use crate::platform::Platform;

/// Where environments and deployment records are kept.
#[napi]
pub struct Store {
    pub(crate) inner: Arc<dyn deploy::Store>,
}

pub fn to_value(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn entry(entry: &deploy::HistoryEntry) -> Value {
    match &entry.record {
        Ok(record) => json!({"id": entry.id, "failed": entry.failed, "record": record}),
        Err(error) => json!({"id": entry.id, "failed": entry.failed, "error": error.to_string()}),
    }
}

#[napi]
impl Store {
    /// A store in memory.
    #[napi(factory)]
    pub fn memory() -> Self {
        Self {
            inner: Arc::new(deploy::MemoryStore::new()),
        }
    }

    /// A store in the directory `path` (created when missing).
    #[napi(factory)]
    pub fn dir(env: Env, path: String) -> napi::Result<Self> {
        guarded(|| Ok(deploy::DirStore::open(path)?))
            .map(|store| Self {
                inner: Arc::new(store),
            })
            .map_err(|f| f.into_js(&env))
    }

    /// A store in the PostgreSQL database of `url` (`postgres://USER@HOST:PORT/DATABASE`), its
    /// schema created on first use. The password comes from the URL, `PGPASSWORD` or
    /// `~/.pgpass` and never shows; `sslmode=require` or `verify-full` turns on TLS.
    #[napi(factory)]
    pub fn postgres(env: Env, url: String) -> napi::Result<Self> {
        guarded(|| Ok(deploy::StoreSpec::postgres(&url)?.open()?))
            .map(|store| Self {
                inner: Arc::from(store),
            })
            .map_err(|f| f.into_js(&env))
    }

    /// The environments of `app`.
    #[napi(ts_return_type = "Array<EnvironmentRecord>")]
    pub fn environments(&self, env: Env, app: String) -> napi::Result<Value> {
        guarded(|| Ok(to_value(self.inner.environments(&app)?))).map_err(|f| f.into_js(&env))
    }

    /// The history of an environment, oldest first: `{id, failed, record}` or, for an
    /// unreadable record, `{id, failed, error}`.
    #[napi(ts_return_type = "Array<HistoryEntry>")]
    pub fn history(&self, env: Env, app: String, name: String) -> napi::Result<Value> {
        guarded(|| {
            let history = self.inner.history(&app, &name)?;
            Ok(Value::Array(history.entries.iter().map(entry).collect()))
        })
        .map_err(|f| f.into_js(&env))
    }

    /// The record of that full id; `GOLDPATH_STORE` when there is none or it is corrupt.
    #[napi(ts_return_type = "DeploymentRecord")]
    pub fn record(&self, env: Env, id: String) -> napi::Result<Value> {
        guarded(|| Ok(to_value(self.inner.record(&id)?))).map_err(|f| f.into_js(&env))
    }

    /// The full id of the one record whose id starts with `prefix`.
    #[napi]
    pub fn resolve_id(&self, env: Env, prefix: String) -> napi::Result<String> {
        guarded(|| Ok(self.inner.resolve_id(&prefix)?)).map_err(|f| f.into_js(&env))
    }
}

/// How a deploy is made: the plan options, when (`at`, RFC 3339) and by whom.
#[napi(object)]
pub struct DeployOptions {
    /// The application.
    pub app: String,
    /// The environment.
    pub env: String,
    /// The environment type, for an environment that does not exist yet.
    pub env_type: Option<String>,
    /// The Kubernetes namespace.
    pub namespace: Option<String>,
    /// Whether to render the Namespace object.
    pub create_namespace: Option<bool>,
    /// The image of workloads whose image is `.`.
    pub image: Option<String>,
    /// When, in RFC 3339.
    pub at: String,
    /// Who: `{user, groups}` or a user id.
    #[napi(ts_type = "string | Principal")]
    pub principal: Option<Either<String, Principal>>,
}

/// A rollback of `app`'s environment `env` to the record `to`.
#[napi(object)]
pub struct RollbackOptions {
    /// The application.
    pub app: String,
    /// The environment.
    pub env: String,
    /// The id of the record to go back to.
    pub to: String,
    /// When, in RFC 3339.
    pub at: String,
    /// Who: `{user, groups}` or a user id.
    #[napi(ts_type = "string | Principal")]
    pub principal: Option<Either<String, Principal>>,
}

pub fn actor(at: String, principal: Option<Either<String, Principal>>) -> Actor {
    Actor {
        at,
        principal: principal.map(principal_of),
    }
}

/// Runs `work` on a deployer of the platform into `store`, planning with `options`.
pub fn with_deployer<T>(
    engine: &Engine,
    store: &dyn deploy::Store,
    options: &PlanOptions,
    work: impl FnOnce(&Deployer<'_>) -> goldpath::Result<T>,
) -> Result<T, Failure> {
    guarded(|| {
        let (_, core_options) = options.split();
        let deployer = Deployer::new(engine, store).with_options(core_options);
        Ok(work(&deployer)?)
    })
}

/// A deploy converted from its JavaScript arguments, ready to run on any thread.
pub struct DeployRequest {
    workloads: Vec<Value>,
    plan: PlanOptions,
    actor: Actor,
}

impl DeployRequest {
    fn new(workloads: Vec<Value>, options: DeployOptions) -> Self {
        let plan = PlanOptions {
            app: options.app,
            env: Some(options.env),
            env_type: options.env_type,
            namespace: options.namespace,
            create_namespace: options.create_namespace,
            image: options.image,
            store: None,
            provision: None,
        };
        Self {
            workloads,
            plan,
            actor: actor(options.at, options.principal),
        }
    }

    /// Loads the workloads and records their deployment in `store`.
    fn run(self, engine: &Engine, store: &dyn deploy::Store) -> Result<Deployment, Failure> {
        let (app, name) = (&self.plan.app, self.plan.env.as_deref().unwrap_or_default());
        let workloads = inputs::workloads(self.workloads)?;
        with_deployer(engine, store, &self.plan, |d| {
            d.deploy(app, name, &workloads, &self.actor)
        })
    }
}

/// A deploy on a worker thread of libuv's pool.
pub struct DeployTask {
    engine: Engine,
    store: Arc<dyn deploy::Store>,
    request: Option<DeployRequest>,
}

impl Task for DeployTask {
    type Output = Result<Deployment, Failure>;
    /// The record JSON as an object (napi's tasks need a typed value, not a `Value`).
    type JsValue = BTreeMap<String, Value>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.request.take() {
            Some(request) => guarded(|| request.run(&self.engine, self.store.as_ref())),
            None => Err(Failure::Panic("deploy task computed twice".to_owned())),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        let fields = |record| match to_value(record) {
            Value::Object(fields) => fields.into_iter().collect(),
            _ => BTreeMap::new(),
        };
        output.map(fields).map_err(|f| f.into_js(&env))
    }
}

#[napi]
impl Platform {
    /// Plans the workloads and records the deployment in `store`; returns the record.
    #[napi(
        ts_args_type = "store: Store, workloads: Array<string | Record<string, unknown>>, options: DeployOptions",
        ts_return_type = "DeploymentRecord"
    )]
    pub fn deploy(
        &self,
        env: Env,
        store: &Store,
        workloads: Vec<Value>,
        options: DeployOptions,
    ) -> napi::Result<Value> {
        DeployRequest::new(workloads, options)
            .run(self.engine(), store.inner.as_ref())
            .map(to_value)
            .map_err(|f| f.into_js(&env))
    }

    /// `deploy` on a worker thread; the promise resolves to the record or rejects with a
    /// `GoldpathError`.
    #[napi(
        ts_args_type = "store: Store, workloads: Array<string | Record<string, unknown>>, options: DeployOptions",
        ts_return_type = "Promise<DeploymentRecord>"
    )]
    pub fn deploy_async(
        &self,
        store: &Store,
        workloads: Vec<Value>,
        options: DeployOptions,
    ) -> AsyncTask<DeployTask> {
        AsyncTask::new(DeployTask {
            engine: self.engine().clone(),
            store: Arc::clone(&store.inner),
            request: Some(DeployRequest::new(workloads, options)),
        })
    }

    /// Records a new deployment of the workloads and options of record `to`; returns
    /// `{record, platformChanged, platformChanges, manifestChanges}` (Python's `Rollback`).
    #[napi(ts_return_type = "RollbackResult")]
    pub fn rollback(
        &self,
        env: Env,
        store: &Store,
        options: RollbackOptions,
    ) -> napi::Result<Value> {
        let plan_options = PlanOptions {
            app: options.app.clone(),
            env: Some(options.env.clone()),
            env_type: None,
            namespace: None,
            create_namespace: None,
            image: None,
            store: None,
            provision: None,
        };
        let actor = actor(options.at, options.principal);
        with_deployer(self.engine(), store.inner.as_ref(), &plan_options, |d| {
            d.rollback(&options.app, &options.env, &options.to, &actor)
        })
        .map(|r| {
            json!({
                "record": r.record,
                "platformChanged": r.platform_changed(),
                "platformChanges": r.platform_changes,
                "manifestChanges": r.manifest_changes,
            })
        })
        .map_err(|f| f.into_js(&env))
    }
}

fn record_of(value: Value) -> Result<Deployment, Failure> {
    serde_json::from_value(value).map_err(|e| {
        Failure::Goldpath(goldpath::Error::new(
            goldpath::ErrorKind::Invalid,
            goldpath::Location::default(),
            format!("not a deployment record: {e}"),
        ))
    })
}

/// What changed from record `a` to record `b`: the structured diff plus `text` (as the CLI
/// prints it).
#[napi(
    ts_args_type = "a: DeploymentRecord, b: DeploymentRecord",
    ts_return_type = "RecordDiff"
)]
pub fn diff(env: Env, a: Value, b: Value) -> napi::Result<Value> {
    guarded(|| {
        let d = deploy::diff(&record_of(a)?, &record_of(b)?);
        let mut value = to_value(&d);
        if let Value::Object(map) = &mut value {
            map.insert("text".into(), Value::String(d.to_string()));
        }
        Ok(value)
    })
    .map_err(|f| f.into_js(&env))
}
