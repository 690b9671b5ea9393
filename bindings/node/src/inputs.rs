//! JavaScript inputs: workloads (Score YAML text or objects), plan and catalog options.

use goldpath::catalog::CatalogOptions as CoreCatalogOptions;
use goldpath::load::Loader;
use goldpath::plan::PlanOptions as CorePlanOptions;
use goldpath::platform::Context;
use goldpath::resolve::WorkloadInput;
use napi_derive::napi;
use serde_json::Value;

use crate::failure::Failure;

/// Where and how to plan.
#[napi(object)]
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
    /// Call the `cmd` and `http` drivers (they act on real infrastructure); otherwise their
    /// results come from the environment's current record (`planWithStore`).
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

/// Loads the workloads: a string is the YAML (or JSON) text of one Score file, an object a
/// Score document. Each is named `workloads[N]` in errors.
pub fn workloads(values: Vec<Value>) -> Result<Vec<WorkloadInput>, Failure> {
    let loader = Loader::default();
    values
        .into_iter()
        .enumerate()
        .map(|(n, value)| {
            let name = format!("workloads[{n}]");
            let workload = match value {
                Value::String(text) => loader.score_str(&text, Some(&name))?,
                other => loader
                    .value(other, Some(&name))?
                    .workloads
                    .into_iter()
                    .next()
                    .map(|loaded| loaded.document)
                    .ok_or_else(|| not_a_workload(&name))?,
            };
            Ok(WorkloadInput::new(workload))
        })
        .collect()
}

fn not_a_workload(name: &str) -> goldpath::Error {
    goldpath::Error::new(
        goldpath::ErrorKind::Schema,
        goldpath::Location::in_file(name),
        "not a Score workload: give an object with `apiVersion: score.dev/v1b1`",
    )
}
