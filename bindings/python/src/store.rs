//! The stores of deployment records: `goldpath.Store` and its kinds `MemoryStore`,
//! `DirStore` and `PgStore`, and what they return: `Environment`, `History`, `HistoryEntry`.

use std::path::PathBuf;
use std::sync::Arc;

use goldpath::deploy;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::to_python;
use crate::errors::{engine_error, guard, to_py};
use crate::record::Deployment;

/// Where environments and deployment records are kept: a `MemoryStore`, a `DirStore` or a
/// `PgStore`.
/// Pass it to the deployment methods of `Platform`; read it with `environments`, `history`,
/// `record` and `resolve_id`. Stores are safe to share between threads.
#[pyclass(module = "goldpath", frozen, subclass)]
pub struct Store {
    inner: Arc<dyn deploy::Store>,
}

impl Store {
    /// The store of the core.
    pub fn core(&self) -> Arc<dyn deploy::Store> {
        Arc::clone(&self.inner)
    }
}

#[pymethods]
impl Store {
    /// The environments of `app`, by name.
    fn environments(&self, py: Python<'_>, app: &str) -> PyResult<Vec<Environment>> {
        let found = py.detach(|| guard(|| self.inner.environments(app)));
        Ok(to_py(py, found)?
            .into_iter()
            .map(Environment::new)
            .collect())
    }

    /// The environment `env` of `app`, or None.
    fn environment(&self, py: Python<'_>, app: &str, env: &str) -> PyResult<Option<Environment>> {
        let found = py.detach(|| guard(|| self.inner.environment(app, env)));
        Ok(to_py(py, found)?.map(Environment::new))
    }

    /// The history of an environment, oldest first. An unreadable record is an entry with its
    /// `error`, in its place; raises `goldpath.StoreError` when the environment does not
    /// exist.
    fn history(&self, py: Python<'_>, app: &str, env: &str) -> PyResult<History> {
        let found = py.detach(|| guard(|| self.inner.history(app, env)));
        History::new(py, to_py(py, found)?)
    }

    /// The record of that (full) id; raises `goldpath.StoreError` when there is none or it
    /// is corrupt (naming its file).
    fn record(&self, py: Python<'_>, id: &str) -> PyResult<Deployment> {
        let found = py.detach(|| guard(|| self.inner.record(id)));
        to_py(py, found).map(Deployment::new)
    }

    /// The full id of the one record whose id starts with `prefix` (at least 4 characters);
    /// raises `goldpath.StoreError` when none or several match.
    fn resolve_id(&self, py: Python<'_>, prefix: &str) -> PyResult<String> {
        let found = py.detach(|| guard(|| self.inner.resolve_id(prefix)));
        to_py(py, found)
    }

    /// The ids of every record in the store, sorted.
    fn record_ids(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let found = py.detach(|| guard(|| self.inner.record_ids()));
        to_py(py, found)
    }
}

/// A store in memory, for tests and short-lived automation.
#[pyclass(module = "goldpath", frozen, extends = Store)]
pub struct MemoryStore;

#[pymethods]
impl MemoryStore {
    #[new]
    fn new() -> PyClassInitializer<Self> {
        let inner: Arc<dyn deploy::Store> = Arc::new(deploy::MemoryStore::new());
        PyClassInitializer::from(Store { inner }).add_subclass(Self)
    }

    fn __repr__(&self) -> &'static str {
        "<goldpath.MemoryStore>"
    }
}

/// A store in a folder (created if missing): one JSON file per record, written atomically,
/// and a lock per environment, so threads and processes may deploy at once.
#[pyclass(module = "goldpath", frozen, extends = Store)]
pub struct DirStore {
    path: PathBuf,
}

#[pymethods]
impl DirStore {
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<PyClassInitializer<Self>> {
        let root = path.clone();
        let opened = py.detach(|| guard(|| deploy::DirStore::open(root)));
        let inner: Arc<dyn deploy::Store> = Arc::new(to_py(py, opened)?);
        Ok(PyClassInitializer::from(Store { inner }).add_subclass(Self { path }))
    }

    /// The store's folder.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.DirStore {}>", self.path.display())
    }
}

/// A store in a PostgreSQL database (`postgres://USER@HOST:PORT/DATABASE`), its schema
/// created on first use: for deployers on several hosts. The password comes from the URL,
/// `PGPASSWORD` or `~/.pgpass`, and never shows; `sslmode=require` or `verify-full` turns
/// on TLS.
#[pyclass(module = "goldpath", frozen, extends = Store)]
pub struct PgStore {
    url: String,
}

#[pymethods]
impl PgStore {
    #[new]
    fn new(py: Python<'_>, url: &str) -> PyResult<PyClassInitializer<Self>> {
        let spec = to_py(py, guard(|| deploy::StoreSpec::postgres(url)))?;
        let shown = spec.to_string();
        let opened = py.detach(|| guard(|| spec.open()));
        let inner: Arc<dyn deploy::Store> = Arc::from(to_py(py, opened)?);
        Ok(PyClassInitializer::from(Store { inner }).add_subclass(Self { url: shown }))
    }

    /// The store's URL, without its password.
    #[getter]
    fn url(&self) -> String {
        self.url.clone()
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.PgStore {}>", self.url)
    }
}

/// An environment of an application: `app`, `name`, `env_type`, `ephemeral`,
/// `cloned_from`, `created_at`, `namespace` and `uid`.
#[pyclass(module = "goldpath", frozen)]
pub struct Environment {
    inner: deploy::Environment,
}

impl Environment {
    /// Wraps an environment of the core.
    pub fn new(inner: deploy::Environment) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl Environment {
    /// The application.
    #[getter]
    fn app(&self) -> String {
        self.inner.app.clone()
    }

    /// The environment's id.
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// Its environment type.
    #[getter]
    fn env_type(&self) -> String {
        self.inner.env_type.clone()
    }

    /// Whether it is short-lived (a preview or pull-request environment).
    #[getter]
    fn ephemeral(&self) -> bool {
        self.inner.ephemeral
    }

    /// The environment it was cloned from, or None.
    #[getter]
    fn cloned_from(&self) -> Option<String> {
        self.inner.cloned_from.clone()
    }

    /// When it was created (RFC 3339).
    #[getter]
    fn created_at(&self) -> String {
        self.inner.created_at.clone()
    }

    /// The Kubernetes namespace fixed when it was created; None for environments of older
    /// stores (their namespace is then their type's pattern).
    #[getter]
    fn namespace(&self) -> Option<String> {
        self.inner.namespace.clone()
    }

    /// The id of this creation: an environment deleted and created again has another one.
    #[getter]
    fn uid(&self) -> Option<String> {
        self.inner.uid.clone()
    }

    /// The environment as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &serde_json::to_value(&self.inner).unwrap_or_default())
    }

    fn __repr__(&self) -> String {
        format!(
            "<goldpath.Environment {}/{} ({})>",
            self.inner.app, self.inner.name, self.inner.env_type
        )
    }
}

/// One entry of a history: the record's `id`, the `record` (None when unreadable), the
/// `error` saying why it is unreadable (a `goldpath.Error`, not raised) and whether applying
/// it `failed`.
#[pyclass(module = "goldpath", frozen, get_all)]
pub struct HistoryEntry {
    /// The record's id.
    id: String,
    /// The record, or None when it cannot be read.
    record: Option<Py<Deployment>>,
    /// Why the record cannot be read, or None.
    error: Option<Py<PyAny>>,
    /// Whether applying the record to a cluster failed.
    failed: bool,
}

#[pymethods]
impl HistoryEntry {
    fn __repr__(&self) -> String {
        let state = match (&self.record, self.failed) {
            (None, _) => " unreadable",
            (Some(_), true) => " failed",
            (Some(_), false) => "",
        };
        format!("<goldpath.HistoryEntry {}{state}>", self.id)
    }
}

/// The history of an environment, oldest first: iterate it for its `HistoryEntry`s, or read
/// `entries`, `ids`, `head` (the latest readable record) and `current` (the latest readable
/// record that did not fail to apply: what the environment runs).
#[pyclass(module = "goldpath", frozen)]
pub struct History {
    entries: Vec<Py<HistoryEntry>>,
    head: Option<Py<Deployment>>,
    current: Option<Py<Deployment>>,
}

impl History {
    fn new(py: Python<'_>, history: deploy::History) -> PyResult<Self> {
        let head_id = history.head().map(|d| d.id.clone());
        let current_id = history.current().map(|d| d.id.clone());
        let mut head = None;
        let mut current = None;
        let mut entries = Vec::with_capacity(history.entries.len());
        for entry in history.entries {
            let (record, error) = match entry.record {
                Ok(record) => (Some(Py::new(py, Deployment::new(record))?), None),
                Err(error) => (
                    None,
                    Some(engine_error(py, &error).into_value(py).into_any()),
                ),
            };
            if let Some(record) = &record {
                let id = Some(&record.get().core().id);
                if id == head_id.as_ref() {
                    head = Some(record.clone_ref(py));
                }
                if id == current_id.as_ref() {
                    current = Some(record.clone_ref(py));
                }
            }
            let entry = HistoryEntry {
                id: entry.id,
                record,
                error,
                failed: entry.failed,
            };
            entries.push(Py::new(py, entry)?);
        }
        Ok(Self {
            entries,
            head,
            current,
        })
    }
}

#[pymethods]
impl History {
    /// The entries, oldest first.
    #[getter]
    fn entries(&self, py: Python<'_>) -> Vec<Py<HistoryEntry>> {
        self.entries.iter().map(|e| e.clone_ref(py)).collect()
    }

    /// The ids, oldest first.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.get().id.clone()).collect()
    }

    /// The latest record, if readable.
    #[getter]
    fn head(&self, py: Python<'_>) -> Option<Py<Deployment>> {
        self.head.as_ref().map(|d| d.clone_ref(py))
    }

    /// What the environment runs: the latest readable record that did not fail to apply.
    #[getter]
    fn current(&self, py: Python<'_>) -> Option<Py<Deployment>> {
        self.current.as_ref().map(|d| d.clone_ref(py))
    }

    fn __len__(&self) -> usize {
        self.entries.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = PyList::new(py, self.entries.iter().map(|e| e.clone_ref(py)))?;
        Ok(list.try_iter()?.into_any())
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.History {} entries>", self.entries.len())
    }
}
