//! The Backstage catalog of a plan: the entities that describe the application to a
//! developer portal.
//!
//! - a `System` for the application;
//! - a `Component` (`spec.type: service`, or `job` for a Job or CronJob) per workload, owned by the workload's
//!   owner annotation ([`OWNER_ANNOTATIONS`]) or the default owner, depending on the workloads it links to and the
//!   resources it requests (graph edges);
//! - an `API` per workload with service ports (`providesApis` of its Component, `consumesApis`
//!   of the Components that link to it), whose definition lists the ports;
//! - a `Resource` per resource node (`spec.type` and `spec.class` from its key), depending on
//!   the resources it references. `service` and `service-port` links are not resources: they
//!   appear as the dependency between the two Components.
//!
//! Every name and reference follows Backstage's rules ([`names`]); the order is fixed (System,
//! Components, APIs, Resources, each by name), so the same plan gives the same YAML.
//!
//! ```
//! use goldpath::catalog::CatalogOptions;
//! use goldpath::load::Loader;
//! use goldpath::plan::{Engine, PlanOptions};
//! use goldpath::platform::{Context, Platform};
//! use goldpath::resolve::WorkloadInput;
//!
//! let text = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers: {main: {image: nginx}}\nresources: {cache: {type: redis}}\n";
//! let workload = Loader::default().score_str(text, None).unwrap();
//! let plan = Engine::new(Platform::default())
//!     .plan(&[WorkloadInput::new(workload)], &Context::new("shop", "dev", "development"), &PlanOptions::default())
//!     .unwrap();
//! let entities = goldpath::catalog::entities(&plan, &CatalogOptions::default()).unwrap();
//! let yaml = goldpath::catalog::to_yaml(&entities);
//! assert!(yaml.contains("kind: Component"));
//! assert!(yaml.contains("- resource:default/redis-default-web.cache"));
//! ```

mod entities;
pub mod names;

use serde_json::Value;

pub use entities::entities;

/// The Score `metadata.annotations` keys that name a workload's owner (`team-a`,
/// `group:default/team-a`, `user:jane`), the first present wins.
pub const OWNER_ANNOTATIONS: [&str; 2] = ["goldpath.dev/owner", "goldpath.dev/team"];

/// The `apiVersion` of the entities.
pub const API_VERSION: &str = "backstage.io/v1alpha1";

/// How the entities are named and owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogOptions {
    /// The Backstage namespace of every entity. Default `default`.
    pub namespace: String,
    /// The owner of the System and of workloads without an owner annotation ([`OWNER_ANNOTATIONS`]) (an entity
    /// reference; the kind defaults to `group`, the namespace to [`CatalogOptions::namespace`]).
    pub owner: String,
    /// The `spec.lifecycle` of Components and APIs. Default `production`.
    pub lifecycle: String,
}

impl Default for CatalogOptions {
    /// Namespace `default`, owner `guests` (the group of Backstage's guest user), lifecycle
    /// `production`.
    fn default() -> Self {
        Self {
            namespace: "default".to_owned(),
            owner: "guests".to_owned(),
            lifecycle: "production".to_owned(),
        }
    }
}

/// The entities as a stream of YAML documents.
#[must_use]
pub fn to_yaml(entities: &[Value]) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = crate::render::yaml::write_documents(&mut out, entities);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests;
