//! `goldpath.Plan` and what it exposes: manifests, resources, the graph and explanations.

use std::sync::Arc;

use goldpath::ResourceKey;
use goldpath::catalog::CatalogOptions;
use goldpath::matching::Explanation as CoreExplanation;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::Value;

use crate::convert::{list_to_python, to_python};
use crate::errors::{guard, to_py};

/// A plan: the manifests, resources and graph of one application in one context. Every
/// property builds fresh Python objects from the plan, which never changes (a session's plan
/// is shared with the session, which makes a new one on its next edit).
#[pyclass(module = "goldpath", frozen)]
pub struct Plan {
    plan: Arc<goldpath::plan::Plan>,
}

impl Plan {
    /// Wraps a plan of the engine.
    pub fn new(plan: goldpath::plan::Plan) -> Self {
        Self::shared(Arc::new(plan))
    }

    /// Wraps a plan shared with a session (nothing is copied).
    pub fn shared(plan: Arc<goldpath::plan::Plan>) -> Self {
        Self { plan }
    }
}

#[pymethods]
impl Plan {
    /// The Kubernetes objects in apply order, as plain dicts.
    #[getter]
    fn manifests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_to_python(py, self.plan.manifests())
    }

    /// The manifests as a stream of YAML documents (deterministic: sorted keys, quoted
    /// ambiguous strings).
    fn to_yaml<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        let text = py.detach(|| self.plan.to_yaml());
        let yaml = PyString::new(py, &text);
        drop(text);
        // The Rust copy goes back to the system before the caller makes more of its size
        // (writing the `str` to a file encodes it again).
        py.detach(crate::memory::give_back);
        yaml
    }

    /// The manifests as a JSON array.
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| self.plan.to_json())
    }

    /// The resource graph: nodes in resolution order, edges (`from_` needs `to`), and `order`.
    #[getter]
    fn graph(&self, py: Python<'_>) -> Graph {
        Graph::from_json(py, &self.plan.graph_json())
    }

    /// The resources in resolution order, with their definitions and non-secret outputs.
    #[getter]
    fn resources(&self) -> Vec<Resource> {
        self.plan
            .resources()
            .iter()
            .map(Resource::from_core)
            .collect()
    }

    /// Why the resource `key` (`type[.class][#id]`) got its definition. Raises
    /// `goldpath.InvalidValueError` for a key that is not a resource of the plan.
    fn explain(&self, py: Python<'_>, key: &str) -> PyResult<Explanation> {
        let explained = guard(|| self.plan.explain(key));
        to_py(py, explained).map(|explanation| Explanation { explanation })
    }

    /// The graph in Graphviz DOT.
    fn to_dot(&self) -> String {
        self.plan.to_dot()
    }

    /// The graph as a Mermaid flowchart.
    fn to_mermaid(&self) -> String {
        self.plan.to_mermaid()
    }

    /// The violations of the environment type's policies and locks, as rendered: `error`
    /// violations block a deploy (`PolicyError`), `warning`s are reported.
    #[getter]
    fn violations(&self) -> Vec<Violation> {
        self.plan
            .violations()
            .iter()
            .map(|v| Violation { inner: v.clone() })
            .collect()
    }

    /// The Backstage catalog entities that describe the plan, as dicts: a `System` for the
    /// application, a `Component` per workload, an `API` per workload with service ports and a
    /// `Resource` per resource. `namespace` is the Backstage namespace of every entity, `owner`
    /// the owner of the System and of workloads without a `goldpath.dev/owner` (or
    /// `goldpath.dev/team`) annotation, `lifecycle` the `spec.lifecycle` of Components and APIs.
    /// A name Backstage refuses raises `goldpath.InvalidValueError`.
    #[pyo3(signature = (*, namespace = None, owner = None, lifecycle = None))]
    fn catalog<'py>(
        &self,
        py: Python<'py>,
        namespace: Option<String>,
        owner: Option<String>,
        lifecycle: Option<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let options = catalog_options(namespace, owner, lifecycle);
        let entities = py.detach(|| guard(|| goldpath::catalog::entities(&self.plan, &options)));
        list_to_python(py, &to_py(py, entities)?)
    }

    /// The catalog entities as a stream of YAML documents (a `catalog-info.yaml`, what
    /// `goldpath catalog` writes); the options are those of `catalog`.
    #[pyo3(signature = (*, namespace = None, owner = None, lifecycle = None))]
    fn catalog_yaml(
        &self,
        py: Python<'_>,
        namespace: Option<String>,
        owner: Option<String>,
        lifecycle: Option<String>,
    ) -> PyResult<String> {
        let options = catalog_options(namespace, owner, lifecycle);
        let yaml = py.detach(|| {
            guard(|| {
                goldpath::catalog::entities(&self.plan, &options)
                    .map(|e| goldpath::catalog::to_yaml(&e))
            })
        });
        to_py(py, yaml)
    }

    /// Warnings about the plan (the development secret seed, ...).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.plan.warnings().to_vec()
    }

    /// The namespace of the namespaced objects, or None.
    #[getter]
    fn namespace(&self) -> Option<String> {
        self.plan.namespace().map(str::to_owned)
    }

    /// The application id planned for.
    #[getter]
    fn app(&self) -> String {
        self.plan.context().app.clone()
    }

    /// The environment id planned for.
    #[getter]
    fn env(&self) -> String {
        self.plan.context().env.clone()
    }

    /// The environment type planned for.
    #[getter]
    fn env_type(&self) -> String {
        self.plan.context().env_type.clone()
    }

    fn __repr__(&self) -> String {
        let c = self.plan.context();
        format!(
            "<goldpath.Plan app={} env={} env_type={}: {} resources, {} manifests>",
            c.app,
            c.env,
            c.env_type,
            self.plan.resources().len(),
            self.plan.manifest_count()
        )
    }
}

/// The core's catalog options: those given, the defaults for the rest.
fn catalog_options(
    namespace: Option<String>,
    owner: Option<String>,
    lifecycle: Option<String>,
) -> CatalogOptions {
    let defaults = CatalogOptions::default();
    CatalogOptions {
        namespace: namespace.unwrap_or(defaults.namespace),
        owner: owner.unwrap_or(defaults.owner),
        lifecycle: lifecycle.unwrap_or(defaults.lifecycle),
    }
}

/// A resource of a plan: its key and parts, the definition chosen, its non-secret outputs and
/// the names (never the values) of its secret outputs.
#[pyclass(module = "goldpath", frozen)]
pub struct Resource {
    /// The canonical key, `type.class#id`.
    #[pyo3(get)]
    key: String,
    /// The resource type.
    #[pyo3(get, name = "type")]
    resource_type: String,
    /// The class (`default` unless requested otherwise).
    #[pyo3(get, name = "class_")]
    class: String,
    /// The id, or None.
    #[pyo3(get)]
    id: Option<String>,
    /// The name of the definition that matched.
    #[pyo3(get)]
    definition: String,
    outputs: serde_json::Map<String, Value>,
    /// The names of the secret outputs.
    #[pyo3(get)]
    secrets: Vec<String>,
}

impl Resource {
    fn from_core(resource: &goldpath::plan::PlannedResource) -> Self {
        let key: Option<ResourceKey> = resource.key.parse().ok();
        Self {
            key: resource.key.clone(),
            resource_type: key
                .as_ref()
                .map(|k| k.resource_type().to_owned())
                .unwrap_or_default(),
            class: key
                .as_ref()
                .map(|k| k.class().to_owned())
                .unwrap_or_default(),
            id: key.as_ref().and_then(|k| k.id().map(str::to_owned)),
            definition: resource.definition.clone(),
            outputs: resource.outputs.clone(),
            secrets: resource.secrets.clone(),
        }
    }
}

#[pymethods]
impl Resource {
    /// The non-secret outputs, as a dict.
    #[getter]
    fn outputs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &Value::Object(self.outputs.clone()))
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.Resource {} ({})>", self.key, self.definition)
    }
}

/// A node of the graph: a workload or a resource.
#[pyclass(module = "goldpath", frozen, get_all)]
pub struct GraphNode {
    /// The workload name, or the resource key.
    name: String,
    /// `workload` or `resource`.
    kind: String,
    /// The resource type (None for workloads).
    #[pyo3(name = "type")]
    resource_type: Option<String>,
    /// The resource class (None for workloads).
    #[pyo3(name = "class_")]
    class: Option<String>,
    /// The resource id (None for workloads and resources without one).
    id: Option<String>,
    /// The definition that matched (None for workloads).
    definition: Option<String>,
}

/// An edge of the graph: `from_` needs `to` first, because of `kind` (`requests`, ...).
#[pyclass(module = "goldpath", frozen, get_all)]
pub struct GraphEdge {
    /// The dependent node.
    #[pyo3(name = "from_")]
    from: String,
    /// The node it needs.
    to: String,
    /// Why.
    kind: String,
}

/// The resource graph of a plan.
#[pyclass(module = "goldpath", frozen)]
pub struct Graph {
    nodes: Vec<Py<GraphNode>>,
    edges: Vec<Py<GraphEdge>>,
}

fn text(value: &Value, field: &str) -> Option<String> {
    value.get(field).and_then(Value::as_str).map(str::to_owned)
}

impl Graph {
    fn from_json(py: Python<'_>, json: &Value) -> Self {
        {
            let items = |field: &str| {
                json.get(field)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            let nodes = items("nodes")
                .iter()
                .filter_map(|n| {
                    let node = GraphNode {
                        name: text(n, "name").unwrap_or_default(),
                        kind: text(n, "kind").unwrap_or_default(),
                        resource_type: text(n, "type"),
                        class: text(n, "class"),
                        id: text(n, "id"),
                        definition: text(n, "definition"),
                    };
                    Py::new(py, node).ok()
                })
                .collect();
            let edges = items("edges")
                .iter()
                .filter_map(|e| {
                    let edge = GraphEdge {
                        from: text(e, "from").unwrap_or_default(),
                        to: text(e, "to").unwrap_or_default(),
                        kind: text(e, "kind").unwrap_or_default(),
                    };
                    Py::new(py, edge).ok()
                })
                .collect();
            Self { nodes, edges }
        }
    }
}

#[pymethods]
impl Graph {
    /// The nodes, in resolution order.
    #[getter]
    fn nodes(&self, py: Python<'_>) -> Vec<Py<GraphNode>> {
        self.nodes.iter().map(|n| n.clone_ref(py)).collect()
    }

    /// The edges, sorted.
    #[getter]
    fn edges(&self, py: Python<'_>) -> Vec<Py<GraphEdge>> {
        self.edges.iter().map(|e| e.clone_ref(py)).collect()
    }

    /// The node names in resolution (and apply) order.
    #[getter]
    fn order(&self) -> Vec<String> {
        self.nodes.iter().map(|n| n.get().name.clone()).collect()
    }
}

/// Why a resource got its definition: `winner`, the `criterion` that fired, and every
/// candidate of its type with its outcome; `str()` gives the text `goldpath explain` prints.
#[pyclass(module = "goldpath", frozen)]
pub struct Explanation {
    explanation: CoreExplanation,
}

#[pymethods]
impl Explanation {
    /// The name of the winning definition.
    #[getter]
    fn winner(&self) -> String {
        self.explanation.winner.name.clone()
    }

    /// The index of the winner's criterion that fired.
    #[getter]
    fn criterion(&self) -> usize {
        self.explanation.winner.criterion
    }

    /// Whether the winner is one of goldpath's built-ins.
    #[getter]
    fn builtin(&self) -> bool {
        self.explanation.winner.builtin
    }

    /// Every definition of the type: `name`, `builtin` and `verdict` (`outcome`: `won`,
    /// `outranked` or `no-match`, with `reason`).
    #[getter]
    fn candidates<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(&self.explanation.candidates).unwrap_or_default();
        to_python(py, &value)
    }

    /// The whole explanation as a dict (what `goldpath explain --json` prints).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let value = serde_json::to_value(&self.explanation).unwrap_or_default();
        Ok(to_python(py, &value)?.cast_into::<PyDict>()?)
    }

    fn __str__(&self) -> String {
        self.explanation.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<goldpath.Explanation winner={}>",
            self.explanation.winner.name
        )
    }
}

/// A broken rule: `rule` (`forbid-latest-tag`, ..., or `locked-baseline`), `severity`
/// (`error` blocks a deploy, `warning` is reported), the `policy` document (None for a lock),
/// the `workload` and its Score `file`, a JSON pointer `path` into the workload and the
/// `message` saying what to change. `str()` is the line `goldpath check` prints.
#[pyclass(module = "goldpath", frozen)]
pub struct Violation {
    inner: goldpath::policy::Violation,
}

#[pymethods]
impl Violation {
    /// The rule id.
    #[getter]
    fn rule(&self) -> String {
        self.inner.rule.clone()
    }

    /// `error` or `warning`.
    #[getter]
    fn severity(&self) -> &'static str {
        if self.inner.is_blocking() {
            "error"
        } else {
            "warning"
        }
    }

    /// Whether the violation blocks a deploy (severity `error`).
    #[getter]
    fn blocking(&self) -> bool {
        self.inner.is_blocking()
    }

    /// The `Policy` document the rule comes from (None for `locked-baseline`).
    #[getter]
    fn policy(&self) -> Option<String> {
        self.inner.policy.clone()
    }

    /// The workload at fault.
    #[getter]
    fn workload(&self) -> Option<String> {
        self.inner.workload.clone()
    }

    /// The workload's Score file, when it was read from one.
    #[getter]
    fn file(&self) -> Option<String> {
        self.inner.file.clone()
    }

    /// A JSON pointer into the Score workload: where to change it.
    #[getter]
    fn path(&self) -> String {
        self.inner.path.clone()
    }

    /// What is wrong and what to change.
    #[getter]
    fn message(&self) -> String {
        self.inner.message.clone()
    }

    /// The violation as a dict (what `goldpath check --format json` lists).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &serde_json::to_value(&self.inner).unwrap_or_default())
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<goldpath.Violation {}>", self.inner)
    }
}
