//! JavaScript inputs: workloads and documents (paths, YAML or JSON text, objects) as the
//! loader's sources, plan and catalog options.

use goldpath::catalog::CatalogOptions as CoreCatalogOptions;
use goldpath::load::{Loader, Source};
use goldpath::plan::PlanOptions as CorePlanOptions;
use goldpath::platform::Context;
use goldpath::resolve::WorkloadInput;
use napi_derive::napi;
use serde_json::Value;

use crate::failure::Failure;

/// Where and how to plan.
#[napi(object, object_to_js = false)]
#[derive(Clone, Default)]
pub struct PlanOptions {
    /// The application id.
    pub app: String,
    /// The environment id; defaults to the environment type.
    pub env: Option<String>,
    /// The environment type; defaults to `development`.
    pub env_type: Option<String>,
    /// The namespace of every namespaced object (overrides the environment type's pattern).
    pub namespace: Option<String>,
    /// Also emit the Namespace object.
    pub create_namespace: Option<bool>,
    /// The image of containers whose image is `.`.
    pub image: Option<String>,
    /// The store whose current record of environment `env` gives the results and states of
    /// the `cmd` and `http` resources of a plan (no call); `plan` and `planAsync` only.
    #[napi(ts_type = "Store")]
    pub store: Option<&'static crate::deploy::Store>,
    /// Call the `cmd` and `http` drivers (they act on real infrastructure); otherwise their
    /// results come from `store`'s current record.
    pub provision: Option<bool>,
}

impl PlanOptions {
    /// The context and the core options.
    pub fn split(&self) -> (Context, CorePlanOptions) {
        let env_type = self
            .env_type
            .clone()
            .unwrap_or_else(|| "development".to_owned());
        let env = self.env.clone().unwrap_or_else(|| env_type.clone());
        let options = CorePlanOptions {
            namespace: self.namespace.clone(),
            create_namespace: self.create_namespace.unwrap_or(false),
            image: self.image.clone(),
        };
        (Context::new(&self.app, env, env_type), options)
    }
}

/// How catalog entities are named and owned.
#[napi(object)]
#[derive(Clone, Default)]
pub struct CatalogOptions {
    /// The Backstage namespace of the entities; default `default`.
    pub namespace: Option<String>,
    /// The default owner (an entity reference); default `guests`.
    pub owner: Option<String>,
    /// The lifecycle of Components and APIs; default `production`.
    pub lifecycle: Option<String>,
}

/// The core's catalog options: what is given, the defaults for the rest.
pub fn catalog_options(options: Option<CatalogOptions>) -> CoreCatalogOptions {
    let options = options.unwrap_or_default();
    let defaults = CoreCatalogOptions::default();
    CoreCatalogOptions {
        namespace: options.namespace.unwrap_or(defaults.namespace),
        owner: options.owner.unwrap_or(defaults.owner),
        lifecycle: options.lifecycle.unwrap_or(defaults.lifecycle),
    }
}

/// The sources of a list of JavaScript inputs, each named `{what}[N]` in errors: a string is
/// a path or text as [`Source::from_string`] decides, an object a document.
pub fn sources(values: Vec<Value>, what: &str) -> Vec<Source> {
    values
        .into_iter()
        .enumerate()
        .map(|(n, value)| {
            let name = format!("{what}[{n}]");
            match value {
                Value::String(text) => Source::from_string(name, text),
                other => Source::value(name, other),
            }
        })
        .collect()
}

/// Loads the workloads of one application (see [`sources`]).
pub fn workloads(values: Vec<Value>) -> Result<Vec<WorkloadInput>, Failure> {
    Ok(Loader::default().workloads(sources(values, "workloads"))?)
}
