//! `goldpath.Deployment` (a deployment record) and `goldpath.Rollback`.

use goldpath::deploy;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::{list_to_python, to_python};
use crate::diff::{DocumentChange, ObjectDiff};

/// An immutable deployment record: what was deployed where, from which inputs, by whom and
/// when. Its `id` is the SHA-256 of its inputs; its manifests hold secret values only as
/// `sha256:` digests. `to_dict()` / `to_json()` give the versioned record format
/// (`schemas/deployment.schema.json`).
#[pyclass(module = "goldpath", frozen)]
pub struct Deployment {
    inner: deploy::Deployment,
}

impl Deployment {
    /// Wraps a record of the core.
    pub fn new(inner: deploy::Deployment) -> Self {
        Self { inner }
    }

    /// The record of the core.
    pub fn core(&self) -> &deploy::Deployment {
        &self.inner
    }
}

/// A part of the record as JSON (record types always serialize).
macro_rules! json {
    ($value:expr) => {
        serde_json::to_value($value).unwrap_or_default()
    };
}

#[pymethods]
impl Deployment {
    /// The record id (64 hex digits).
    #[getter]
    fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// The application.
    #[getter]
    fn app(&self) -> String {
        self.inner.inputs.app.clone()
    }

    /// The environment.
    #[getter]
    fn env(&self) -> String {
        self.inner.inputs.env.clone()
    }

    /// The environment's type.
    #[getter]
    fn env_type(&self) -> String {
        self.inner.inputs.env_type.clone()
    }

    /// The id of the record this one follows in its environment's history, or None.
    #[getter]
    fn parent(&self) -> Option<String> {
        self.inner.inputs.parent.clone()
    }

    /// When (RFC 3339), as the caller said.
    #[getter]
    fn at(&self) -> String {
        self.inner.inputs.at.clone()
    }

    /// Who deployed (the user id), when a principal was given.
    #[getter]
    fn principal(&self) -> Option<String> {
        self.inner.inputs.principal.clone()
    }

    /// The operation that made the record: `{"kind": "deploy"}`, `{"kind": "rollback", "to":
    /// ID}`, `{"kind": "promote" | "clone", "from": ENV, "record": ID}`.
    #[getter]
    fn operation<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &json!(&self.inner.inputs.operation))
    }

    /// The workloads as given: dicts with `score` (the Score document, file sources inlined)
    /// and `file` when read from one.
    #[getter]
    fn workloads<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &json!(&self.inner.inputs.workloads))
    }

    /// The plan options (`namespace`, `createNamespace`, `image`, when set).
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &json!(&self.inner.inputs.options))
    }

    /// The digest of the platform used: `digest` and `documents` (`Kind/name` → digest).
    #[getter]
    fn platform<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &json!(&self.inner.inputs.platform))
    }

    /// The rendered manifests as dicts, every secret value replaced by its digest.
    #[getter]
    fn manifests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_to_python(py, &self.inner.manifests)
    }

    /// The plan's order of nodes (resource keys and workload names).
    #[getter]
    fn order(&self) -> Vec<String> {
        self.inner.order.clone()
    }

    /// Which definition served each resource: dicts with `key` and `definition`.
    #[getter]
    fn resources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &json!(&self.inner.resources))
    }

    /// The plan's warnings.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    /// The whole record as a dict (the versioned record format).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &json!(&self.inner))
    }

    /// The whole record as JSON text (the versioned record format, indented).
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| serde_json::to_string_pretty(&self.inner).unwrap_or_default())
    }

    fn __repr__(&self) -> String {
        let inputs = &self.inner.inputs;
        format!(
            "<goldpath.Deployment {} app={} env={} at={}>",
            &self.inner.id[..12.min(self.inner.id.len())],
            inputs.app,
            inputs.env,
            inputs.at
        )
    }
}

/// What a rollback did: the new `record`, the platform documents changed since the record
/// rolled back to (`platform_changes`; empty when unchanged, and then the manifests are the
/// target's byte for byte) and how today's manifests differ from the target's
/// (`manifest_changes`).
#[pyclass(module = "goldpath", frozen)]
pub struct Rollback {
    record: Py<Deployment>,
    platform_changes: Vec<Py<DocumentChange>>,
    manifest_changes: Vec<Py<ObjectDiff>>,
}

impl Rollback {
    /// The rollback of the core, as Python objects.
    pub fn new(py: Python<'_>, rollback: deploy::Rollback) -> PyResult<Self> {
        Ok(Self {
            platform_changes: DocumentChange::list(py, &rollback.platform_changes)?,
            manifest_changes: ObjectDiff::list(py, &rollback.manifest_changes)?,
            record: Py::new(py, Deployment::new(rollback.record))?,
        })
    }
}

#[pymethods]
impl Rollback {
    /// The new record.
    #[getter]
    fn record(&self, py: Python<'_>) -> Py<Deployment> {
        self.record.clone_ref(py)
    }

    /// The platform documents added, removed and changed since the target was deployed.
    #[getter]
    fn platform_changes(&self, py: Python<'_>) -> Vec<Py<DocumentChange>> {
        self.platform_changes
            .iter()
            .map(|c| c.clone_ref(py))
            .collect()
    }

    /// How today's manifests differ from the target's.
    #[getter]
    fn manifest_changes(&self, py: Python<'_>) -> Vec<Py<ObjectDiff>> {
        self.manifest_changes
            .iter()
            .map(|c| c.clone_ref(py))
            .collect()
    }

    /// Whether the platform changed since the record rolled back to.
    #[getter]
    fn platform_changed(&self) -> bool {
        !self.platform_changes.is_empty()
    }

    fn __repr__(&self) -> String {
        format!(
            "<goldpath.Rollback {} platform changes, {} objects render differently>",
            self.platform_changes.len(),
            self.manifest_changes.len()
        )
    }
}
