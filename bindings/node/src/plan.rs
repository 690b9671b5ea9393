//! `Plan`: the graph, resources and manifests of one application in one context.

use goldpath::catalog;
use napi::{Env, JsString};
use napi_derive::napi;
use serde_json::Value;

use crate::failure::{Failure, guarded};
use crate::inputs::{CatalogOptions, catalog_options};

/// A plan, as `Platform.plan` returns it.
#[napi]
pub struct Plan {
    inner: std::sync::Arc<goldpath::plan::Plan>,
}

impl From<goldpath::plan::Plan> for Plan {
    fn from(inner: goldpath::plan::Plan) -> Self {
        Self::from(std::sync::Arc::new(inner))
    }
}

/// A plan shared with a session (nothing is copied).
impl From<std::sync::Arc<goldpath::plan::Plan>> for Plan {
    fn from(inner: std::sync::Arc<goldpath::plan::Plan>) -> Self {
        Self { inner }
    }
}

fn to_value(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[napi]
impl Plan {
    /// The manifests in apply order, as plain objects.
    #[napi(getter, ts_return_type = "Array<KubeObject>")]
    pub fn manifests(&self) -> Vec<Value> {
        self.inner.manifests().to_vec()
    }

    /// The manifests as a stream of YAML documents.
    #[napi]
    pub fn to_yaml<'env>(&self, env: &'env Env) -> napi::Result<JsString<'env>> {
        let text = self.inner.to_yaml();
        let yaml = env.create_string(&text);
        drop(text);
        // The Rust copy goes back to the system before the caller makes more of its size
        // (`fs.writeFileSync` encodes the string again).
        crate::memory::give_back();
        yaml
    }

    /// The manifests as a JSON array (text).
    #[napi]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The graph: `{nodes, edges}`, nodes in resolution order, `from` needs `to`.
    #[napi(getter, ts_return_type = "PlanGraph")]
    pub fn graph(&self) -> Value {
        self.inner.graph_json()
    }

    /// The resources in resolution order: key, definition, outputs, names of secret outputs.
    #[napi(getter, ts_return_type = "Array<PlannedResource>")]
    pub fn resources(&self) -> Value {
        to_value(self.inner.resources())
    }

    /// Warnings about the plan.
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.inner.warnings().to_vec()
    }

    /// The namespace of the objects, if any.
    #[napi(getter)]
    pub fn namespace(&self) -> Option<String> {
        self.inner.namespace().map(str::to_owned)
    }

    /// The application planned.
    #[napi(getter)]
    pub fn app(&self) -> String {
        self.inner.context().app.clone()
    }

    /// The environment planned for.
    #[napi(getter)]
    pub fn env(&self) -> String {
        self.inner.context().env.clone()
    }

    /// The environment type planned for.
    #[napi(getter)]
    pub fn env_type(&self) -> String {
        self.inner.context().env_type.clone()
    }

    /// The violations of the environment type's policies and locks, as plain objects
    /// (`rule`, `severity`, `policy`, `workload`, `file`, `path`, `message`): `error`
    /// violations block a deploy (`GOLDPATH_POLICY`), `warning`s are reported.
    #[napi(getter, ts_return_type = "Array<Violation>")]
    pub fn violations(&self) -> Value {
        to_value(self.inner.violations())
    }

    /// Why the resource `key` got its definition.
    #[napi(ts_return_type = "Explanation")]
    pub fn explain(&self, env: Env, key: String) -> napi::Result<Value> {
        guarded(|| Ok(to_value(self.inner.explain(&key)?))).map_err(|f| f.into_js(&env))
    }

    /// The graph in Graphviz DOT.
    #[napi]
    pub fn to_dot(&self) -> String {
        self.inner.to_dot()
    }

    /// The graph as a Mermaid flowchart.
    #[napi]
    pub fn to_mermaid(&self) -> String {
        self.inner.to_mermaid()
    }

    /// The Backstage catalog entities that describe the plan.
    #[napi(ts_return_type = "Array<KubeObject>")]
    pub fn catalog(&self, env: Env, options: Option<CatalogOptions>) -> napi::Result<Vec<Value>> {
        self.entities(options).map_err(|f| f.into_js(&env))
    }

    /// The catalog entities as a stream of YAML documents (a `catalog-info.yaml`).
    #[napi]
    pub fn catalog_yaml(&self, env: Env, options: Option<CatalogOptions>) -> napi::Result<String> {
        self.entities(options)
            .map(|e| catalog::to_yaml(&e))
            .map_err(|f| f.into_js(&env))
    }
}

impl Plan {
    fn entities(&self, options: Option<CatalogOptions>) -> Result<Vec<Value>, Failure> {
        let options = catalog_options(options);
        guarded(|| Ok(catalog::entities(&self.inner, &options)?))
    }
}
