//! `goldpath.diff` and the structured diff of two records: `Diff`, `InputChanges`,
//! `ObjectDiff`, `WorkloadDiff`, `DocumentChange`, `Change`.

use goldpath::deploy::{self, ChangeKind};
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::to_python;
use crate::record::Deployment;

fn kind(change: ChangeKind) -> &'static str {
    match change {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

fn refs<T>(py: Python<'_>, items: &[Py<T>]) -> Vec<Py<T>> {
    items.iter().map(|i| i.clone_ref(py)).collect()
}

/// One changed value: a JSON `pointer` (RFC 6901) with the value `before` and `after` (None
/// when absent on that side). Under a Secret's `data` and `stringData`, `secret` is True and
/// both values are None: only the fact of a change is shown.
#[pyclass(module = "goldpath", frozen)]
pub struct Change {
    inner: deploy::Change,
}

impl Change {
    fn list(py: Python<'_>, changes: &[deploy::Change]) -> PyResult<Vec<Py<Self>>> {
        changes
            .iter()
            .map(|c| Py::new(py, Self { inner: c.clone() }))
            .collect()
    }
}

fn optional<'py>(py: Python<'py>, value: Option<&Value>) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Some(value) => to_python(py, value),
        None => Ok(py.None().into_bound(py)),
    }
}

#[pymethods]
impl Change {
    /// Where, as a JSON pointer.
    #[getter]
    fn pointer(&self) -> String {
        self.inner.pointer.clone()
    }

    /// The value before (None when added or secret).
    #[getter]
    fn before<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        optional(py, self.inner.before.as_ref())
    }

    /// The value after (None when removed or secret).
    #[getter]
    fn after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        optional(py, self.inner.after.as_ref())
    }

    /// Whether the value is secret (and so not shown).
    #[getter]
    fn secret(&self) -> bool {
        self.inner.secret
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.Change {}>", self.inner.pointer)
    }
}

/// A Kubernetes object that differs: its identity (`api_version`, `kind`, `namespace`,
/// `name`), how (`change`: `added`, `removed` or `changed`) and, when changed, each `changes`.
#[pyclass(module = "goldpath", frozen, get_all)]
pub struct ObjectDiff {
    /// `apiVersion`.
    api_version: String,
    /// `kind`.
    kind: String,
    /// `metadata.namespace`, or None.
    namespace: Option<String>,
    /// `metadata.name`.
    name: String,
    /// `added`, `removed` or `changed`.
    change: &'static str,
    /// Each change of a changed object.
    changes: Vec<Py<Change>>,
}

impl ObjectDiff {
    /// The object diffs as Python objects.
    pub fn list(py: Python<'_>, diffs: &[deploy::ObjectDiff]) -> PyResult<Vec<Py<Self>>> {
        diffs
            .iter()
            .map(|d| {
                let object = ObjectDiff {
                    api_version: d.object.api_version.clone(),
                    kind: d.object.kind.clone(),
                    namespace: d.object.namespace.clone(),
                    name: d.object.name.clone(),
                    change: kind(d.change),
                    changes: Change::list(py, &d.changes)?,
                };
                Py::new(py, object)
            })
            .collect()
    }
}

#[pymethods]
impl ObjectDiff {
    fn __repr__(&self) -> String {
        format!(
            "<goldpath.ObjectDiff {} {} {}/{}>",
            self.change,
            self.kind,
            self.namespace.as_deref().unwrap_or(""),
            self.name
        )
    }
}

/// A workload that differs: its name, how (`change`) and each change in its Score document.
#[pyclass(module = "goldpath", frozen, get_all)]
pub struct WorkloadDiff {
    /// The workload's name.
    workload: String,
    /// `added`, `removed` or `changed`.
    change: &'static str,
    /// Each change of a changed workload (`/containers/main/image`, ...).
    changes: Vec<Py<Change>>,
}

/// A platform document that differs: `document` (`Kind/name`) and `change`.
#[pyclass(module = "goldpath", frozen, get_all)]
pub struct DocumentChange {
    /// `Kind/name`.
    document: String,
    /// `added`, `removed` or `changed`.
    change: &'static str,
}

impl DocumentChange {
    /// The document changes as Python objects.
    pub fn list(py: Python<'_>, changes: &[deploy::DocumentChange]) -> PyResult<Vec<Py<Self>>> {
        changes
            .iter()
            .map(|c| {
                let change = DocumentChange {
                    document: c.document.clone(),
                    change: kind(c.change),
                };
                Py::new(py, change)
            })
            .collect()
    }
}

#[pymethods]
impl DocumentChange {
    fn __repr__(&self) -> String {
        format!(
            "<goldpath.DocumentChange {} {}>",
            self.change, self.document
        )
    }
}

/// What changed in the inputs: `context` (changes of `/envType`, `/options/...`),
/// `workloads` and `platform` documents.
#[pyclass(module = "goldpath", frozen, get_all)]
pub struct InputChanges {
    /// Changes of the context and options.
    context: Vec<Py<Change>>,
    /// Workloads added, removed and changed.
    workloads: Vec<Py<WorkloadDiff>>,
    /// Platform documents added, removed and changed.
    platform: Vec<Py<DocumentChange>>,
}

/// The diff of two records: input changes (`inputs`) apart from manifest changes (`objects`).
/// `str()` is the text `goldpath diff` prints; `to_json()` what `goldpath diff --format json`
/// prints. Secret values never appear. `bool(diff)` is True when something differs.
#[pyclass(module = "goldpath", frozen)]
pub struct Diff {
    inner: deploy::Diff,
    inputs: Py<InputChanges>,
    objects: Vec<Py<ObjectDiff>>,
}

impl Diff {
    fn new(py: Python<'_>, inner: deploy::Diff) -> PyResult<Self> {
        let workloads = inner
            .inputs
            .workloads
            .iter()
            .map(|w| {
                let workload = WorkloadDiff {
                    workload: w.workload.clone(),
                    change: kind(w.change),
                    changes: Change::list(py, &w.changes)?,
                };
                Py::new(py, workload)
            })
            .collect::<PyResult<_>>()?;
        let inputs = InputChanges {
            context: Change::list(py, &inner.inputs.context)?,
            workloads,
            platform: DocumentChange::list(py, &inner.inputs.platform)?,
        };
        Ok(Self {
            inputs: Py::new(py, inputs)?,
            objects: ObjectDiff::list(py, &inner.objects)?,
            inner,
        })
    }
}

#[pymethods]
impl Diff {
    /// The first record's id.
    #[getter]
    fn from_(&self) -> String {
        self.inner.from.clone()
    }

    /// The second record's id.
    #[getter]
    fn to(&self) -> String {
        self.inner.to.clone()
    }

    /// What changed in the inputs.
    #[getter]
    fn inputs(&self, py: Python<'_>) -> Py<InputChanges> {
        self.inputs.clone_ref(py)
    }

    /// The objects added, removed and changed, in identity order.
    #[getter]
    fn objects(&self, py: Python<'_>) -> Vec<Py<ObjectDiff>> {
        refs(py, &self.objects)
    }

    /// Whether nothing differs (ids aside).
    fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The diff as a dict (the shape of `to_json()`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &serde_json::to_value(&self.inner).unwrap_or_default())
    }

    /// The diff as JSON text (what `goldpath diff --format json` prints).
    fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.inner).unwrap_or_default()
    }

    fn __bool__(&self) -> bool {
        !self.inner.is_empty()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<goldpath.Diff {} input changes, {} objects>",
            self.inner.inputs.context.len()
                + self.inner.inputs.workloads.len()
                + self.inner.inputs.platform.len(),
            self.inner.objects.len()
        )
    }
}

/// The diff of records `a` and `b`: inputs first (context, workloads, platform documents),
/// then manifests (objects matched by apiVersion, kind, namespace and name).
#[pyfunction]
pub fn diff(py: Python<'_>, a: PyRef<'_, Deployment>, b: PyRef<'_, Deployment>) -> PyResult<Diff> {
    let (a, b) = (a.core(), b.core());
    let inner = py.detach(|| deploy::diff(a, b));
    Diff::new(py, inner)
}
