//! `goldpath.Platform`: the platform documents, goldpath's built-in definitions, the drivers
//! and the secret seed; it plans applications.

use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use goldpath::drivers::HostDriver;
use goldpath::load::{Loader, Source};
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::Context;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::deploy::{actor, run};
use crate::driver::PythonFunction;
use crate::errors::{guard, to_py};
use crate::inputs;
use crate::plan::Plan;
use crate::record::{Deployment, Rollback};
use crate::store::{Environment, Store};

/// A platform: environment types, resource definitions (with goldpath's built-in definitions
/// beneath them unless `builtins=False`), drivers and the seed of generated secrets.
///
/// Make one with `Platform.load(path)`, `Platform.from_documents(docs)` or
/// `Platform.default()`, then call `plan(...)`. A platform may be shared by threads: planning
/// releases the GIL.
#[pyclass(module = "goldpath", frozen)]
pub struct Platform {
    engine: RwLock<Engine>,
    loader: Loader,
}

/// The secret seed argument: `str` or `bytes`, at least 32 bytes.
fn seed(secret_seed: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<u8>>> {
    let Some(value) = secret_seed.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Some(text.to_cow()?.as_bytes().to_vec()));
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(Some(bytes.as_bytes().to_vec()));
    }
    Err(PyTypeError::new_err("secret_seed must be str or bytes"))
}

/// The keyword arguments `plan` and `session` share.
struct Preview<'py, 'a> {
    app: String,
    env: Option<String>,
    env_type: &'a str,
    namespace: Option<String>,
    create_namespace: bool,
    image: Option<String>,
    store: Option<PyRef<'py, Store>>,
    provision: bool,
}

impl Platform {
    /// The engine, context and options of a preview (`plan` and `session`): `env` defaults to
    /// the environment type's name; drivers that act on the world are called only with
    /// `provision`, otherwise their results come from `store`.
    fn preview(
        &self,
        py: Python<'_>,
        preview: Preview<'_, '_>,
    ) -> PyResult<(Engine, Context, PlanOptions)> {
        let env = preview.env.unwrap_or_else(|| preview.env_type.to_owned());
        let store = preview.store.map(|s| s.core());
        let engine = self.engine();
        let (app, provision) = (&preview.app, preview.provision);
        let engine = py.detach(|| {
            guard(|| {
                goldpath::deploy::preview_engine(&engine, store.as_deref(), app, &env, provision)
            })
        });
        let context = Context::new(preview.app, env, preview.env_type);
        let options = PlanOptions {
            namespace: preview.namespace,
            create_namespace: preview.create_namespace,
            image: preview.image,
        };
        Ok((to_py(py, engine)?, context, options))
    }

    fn build(
        py: Python<'_>,
        sources: Vec<Source>,
        builtins: bool,
        seed: Option<Vec<u8>>,
    ) -> PyResult<Self> {
        let loader = Loader::default();
        let mut builder = Engine::builder().sources(sources).builtins(builtins);
        if let Some(seed) = seed {
            builder = builder.seed(seed);
        }
        let engine = py.detach(|| guard(|| builder.build()));
        Ok(Self {
            engine: RwLock::new(to_py(py, engine)?),
            loader,
        })
    }

    /// A copy of the engine (cheap: its parts are shared).
    pub fn engine(&self) -> Engine {
        self.engine
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[pymethods]
impl Platform {
    /// The platform of the documents in a file or folder (`*.yaml`, `*.yml`, `*.json`,
    /// recursively). Raises a subclass of `goldpath.Error` naming every problem found.
    #[staticmethod]
    #[pyo3(signature = (path, *, builtins = true, secret_seed = None))]
    fn load(
        py: Python<'_>,
        path: PathBuf,
        builtins: bool,
        secret_seed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let seed = seed(secret_seed)?;
        Self::build(py, vec![Source::Path(path)], builtins, seed)
    }

    /// The platform of the given documents, loaded as one set: each a dict, YAML or JSON text
    /// holding one or more documents, or a path of a file or folder.
    #[staticmethod]
    #[pyo3(signature = (documents, *, builtins = true, secret_seed = None))]
    fn from_documents(
        py: Python<'_>,
        documents: &Bound<'_, PyAny>,
        builtins: bool,
        secret_seed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let seed = seed(secret_seed)?;
        let loader = Loader::default();
        let sources = inputs::sources(documents, &loader, "documents")?;
        Self::build(py, sources, builtins, seed)
    }

    /// goldpath's built-in default platform alone: in-cluster development services for
    /// `postgres`, `redis`, `mysql`, `route`, `dns`, ... (what `goldpath render` uses without
    /// `--platform`).
    #[staticmethod]
    #[pyo3(signature = (*, secret_seed = None))]
    fn default(py: Python<'_>, secret_seed: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let seed = seed(secret_seed)?;
        Self::build(py, Vec::new(), true, seed)
    }

    /// Registers a Python driver under `name` (replacing any driver of that name). Definitions
    /// whose `driver` is `name` call `function(request)` with the request as a dict (`key`,
    /// `type`, `class`, `id`, `guid`, `definition`, `driver`, `context`, `params`, `inputs`,
    /// `secrets`, `workloads`, `source`); it returns a dict with any of `outputs`, `secrets`
    /// (text, or `{"secretKeyRef": {"name", "key"}}`) and `manifests`. An exception it raises
    /// becomes a `goldpath.DriverError` naming the resource. A coroutine function (`async def`)
    /// is refused with a `TypeError`, and an answer that is awaitable with a `DriverError`.
    fn register_driver(&self, name: String, function: Bound<'_, PyAny>) -> PyResult<()> {
        if !function.is_callable() {
            return Err(PyTypeError::new_err("register_driver needs a callable"));
        }
        if crate::driver::is_coroutine_function(&function)? {
            return Err(PyTypeError::new_err(format!(
                "register_driver takes a plain function, and `{name}`'s is a coroutine function (async def): planning is synchronous, so run async work with asyncio.run inside a plain function"
            )));
        }
        let driver = HostDriver::new(name.clone(), PythonFunction::new(function.unbind()));
        let mut engine = self.engine.write().unwrap_or_else(PoisonError::into_inner);
        engine.register_driver(name, Arc::new(driver));
        Ok(())
    }

    /// Plans an application: `workloads` is a list of Score workloads (paths of files or
    /// folders, YAML or JSON text, or dicts), planned for application `app` in environment
    /// `env` (default: the environment type's name) of type `env_type` (default
    /// `development`, as in Node). `namespace` overrides the environment type's namespace,
    /// `create_namespace` emits the Namespace object, `image` replaces the image `.`.
    /// `cmd` and `http` drivers (which act on real infrastructure) are called only with
    /// `provision=True`; otherwise their outputs and states come from the environment's
    /// current record in `store`.
    #[pyo3(signature = (workloads, *, app, env = None, env_type = "development", namespace = None, create_namespace = false, image = None, store = None, provision = false))]
    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        py: Python<'_>,
        workloads: &Bound<'_, PyAny>,
        app: String,
        env: Option<String>,
        env_type: &str,
        namespace: Option<String>,
        create_namespace: bool,
        image: Option<String>,
        store: Option<PyRef<'_, Store>>,
        provision: bool,
    ) -> PyResult<Plan> {
        let sources = inputs::sources(workloads, &self.loader, "workloads")?;
        let (engine, context, options) = self.preview(
            py,
            Preview {
                app,
                env,
                env_type,
                namespace,
                create_namespace,
                image,
                store,
                provision,
            },
        )?;
        let loader = &self.loader;
        let planned = py.detach(|| {
            let planned = guard(|| {
                let workloads = loader.workloads(sources)?;
                engine.plan_owned(workloads, &context, &options)
            });
            crate::memory::give_back();
            planned
        });
        to_py(py, planned).map(Plan::new)
    }

    /// A `Session` over `workloads` (as for `plan`, with the same keyword arguments): a plan
    /// kept up to date with `session.update(workload)` and `session.remove(name)`.
    #[pyo3(signature = (workloads, *, app, env = None, env_type = "development", namespace = None, create_namespace = false, image = None, store = None, provision = false))]
    #[allow(clippy::too_many_arguments)]
    fn session(
        &self,
        py: Python<'_>,
        workloads: &Bound<'_, PyAny>,
        app: String,
        env: Option<String>,
        env_type: &str,
        namespace: Option<String>,
        create_namespace: bool,
        image: Option<String>,
        store: Option<PyRef<'_, Store>>,
        provision: bool,
    ) -> PyResult<crate::session::Session> {
        let (engine, context, options) = self.preview(
            py,
            Preview {
                app,
                env,
                env_type,
                namespace,
                create_namespace,
                image,
                store,
                provision,
            },
        )?;
        crate::session::open(py, engine, &self.loader, workloads, context, options)
    }

    /// Plans `workloads` (as for `plan`) in environment `env` of `app` and records the
    /// deployment in `store`; returns the new `Deployment`. `at` is when (RFC 3339 text or an
    /// aware `datetime`; goldpath never reads the clock), `principal` who (a `Principal` or a
    /// user id; required when the platform has role bindings). The environment must exist in
    /// the store or be declared by an `Environment` document. Raises `PermissionDenied`,
    /// `PolicyError` (error violations), `StoreError`, or the plan's errors.
    #[pyo3(signature = (store, workloads, *, app, env, at, principal = None, namespace = None, create_namespace = false, image = None))]
    #[allow(clippy::too_many_arguments)]
    fn deploy(
        &self,
        py: Python<'_>,
        store: PyRef<'_, Store>,
        workloads: &Bound<'_, PyAny>,
        app: String,
        env: String,
        at: &Bound<'_, PyAny>,
        principal: Option<&Bound<'_, PyAny>>,
        namespace: Option<String>,
        create_namespace: bool,
        image: Option<String>,
    ) -> PyResult<Deployment> {
        let sources = inputs::sources(workloads, &self.loader, "workloads")?;
        let actor = actor(at, principal)?;
        let options = PlanOptions {
            namespace,
            create_namespace,
            image,
        };
        let loader = &self.loader;
        run(py, self.engine(), store.core(), options, |deployer| {
            let workloads = loader.workloads(sources)?;
            deployer.deploy(&app, &env, &workloads, &actor)
        })
        .map(Deployment::new)
    }

    /// Deploys the inputs of record `to` (a full id; `store.resolve_id` expands a prefix)
    /// again in environment `env`, planned under today's platform, as a new record. Returns a
    /// `Rollback`: the record and what the platform changed since.
    #[pyo3(signature = (store, *, app, env, to, at, principal = None))]
    #[allow(clippy::too_many_arguments)]
    fn rollback(
        &self,
        py: Python<'_>,
        store: PyRef<'_, Store>,
        app: String,
        env: String,
        to: String,
        at: &Bound<'_, PyAny>,
        principal: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Rollback> {
        let actor = actor(at, principal)?;
        let options = PlanOptions::default();
        let done = run(py, self.engine(), store.core(), options, |deployer| {
            deployer.rollback(&app, &env, &to, &actor)
        })?;
        Rollback::new(py, done)
    }

    /// Deploys the workloads of `from_env`'s latest record to `to_env`, planned in `to_env`'s
    /// context (its type, resources and policies); returns the new record.
    #[pyo3(signature = (store, *, app, from_env, to_env, at, principal = None))]
    #[allow(clippy::too_many_arguments)]
    fn promote(
        &self,
        py: Python<'_>,
        store: PyRef<'_, Store>,
        app: String,
        from_env: String,
        to_env: String,
        at: &Bound<'_, PyAny>,
        principal: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Deployment> {
        let actor = actor(at, principal)?;
        let options = PlanOptions::default();
        run(py, self.engine(), store.core(), options, |deployer| {
            deployer.promote(&app, &from_env, &to_env, &actor)
        })
        .map(Deployment::new)
    }

    /// Creates environment `env` of type `env_type` for `app`. With `clone_from`, the
    /// workloads of that environment's latest record are deployed into it as its first record
    /// (its resources are its own). Returns the environment and that record (or None).
    #[pyo3(signature = (store, *, app, env, env_type, at, clone_from = None, ephemeral = false, principal = None))]
    #[allow(clippy::too_many_arguments)]
    fn create_environment(
        &self,
        py: Python<'_>,
        store: PyRef<'_, Store>,
        app: String,
        env: String,
        env_type: String,
        at: &Bound<'_, PyAny>,
        clone_from: Option<String>,
        ephemeral: bool,
        principal: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(Environment, Option<Deployment>)> {
        let actor = actor(at, principal)?;
        let new = goldpath::deploy::NewEnvironment {
            app,
            name: env,
            env_type,
            clone_from,
            ephemeral,
        };
        let options = PlanOptions::default();
        let (environment, record) = run(py, self.engine(), store.core(), options, |deployer| {
            deployer.create_environment(&new, &actor)
        })?;
        Ok((Environment::new(environment), record.map(Deployment::new)))
    }

    /// Marks record `id` (a full id; `store.resolve_id` expands a prefix) as failed to apply:
    /// it stays in its environment's history but is no longer current. Needs the right to
    /// deploy to that environment.
    #[pyo3(signature = (store, *, id, principal = None))]
    fn mark_failed(
        &self,
        py: Python<'_>,
        store: PyRef<'_, Store>,
        id: String,
        principal: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        // Marking records nothing new, so no time is asked for.
        let actor = goldpath::deploy::Actor {
            at: String::new(),
            principal: crate::access::principal_of(principal)?,
        };
        let records = store.core();
        run(
            py,
            self.engine(),
            store.core(),
            PlanOptions::default(),
            |deployer| deployer.mark_failed(&records.record(&id)?, &actor),
        )
    }

    /// Deletes environment `env` of `app` and its history (its records stay readable by id).
    #[pyo3(signature = (store, *, app, env, principal = None))]
    fn delete_environment(
        &self,
        py: Python<'_>,
        store: PyRef<'_, Store>,
        app: String,
        env: String,
        principal: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        // Deleting records nothing, so no time is asked for.
        let actor = goldpath::deploy::Actor {
            at: String::new(),
            principal: crate::access::principal_of(principal)?,
        };
        let options = PlanOptions::default();
        run(py, self.engine(), store.core(), options, |deployer| {
            deployer.delete_environment(&app, &env, &actor)
        })
    }

    /// The names of the environment types.
    #[getter]
    fn environment_types(&self) -> Vec<String> {
        self.engine().platform().environment_type_names()
    }

    /// Warnings every plan of this platform carries (the development seed, ...).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.engine().warnings()
    }

    /// The names of the resource definitions, the built-ins (if any) last.
    #[getter]
    fn definitions(&self) -> Vec<String> {
        self.engine().platform().definition_names()
    }

    fn __repr__(&self) -> String {
        let engine = self.engine();
        let platform = engine.platform();
        format!(
            "<goldpath.Platform: {} environment types, {} definitions>",
            platform.environment_types().len(),
            platform.definitions().len()
        )
    }
}
