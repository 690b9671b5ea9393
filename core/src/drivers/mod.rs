//! Drivers: what turns a matched resource definition into outputs, secrets and manifests
//! (DESIGN.md §7).
//!
//! A [`Driver`] receives a [`ProvisionRequest`] (the resource's key, a stable guid, the
//! context, the matched definition, the request's params, the [`SecretSeed`] and a resolver for
//! `${...}` placeholders) and returns [`Provisioned`]. Two drivers are built in:
//!
//! - [`StaticDriver`] (`static`): the outputs are the definition's `inputs.values`, the secret
//!   outputs its `inputs.secrets`, after placeholder substitution;
//! - [`TemplateDriver`] (`template`): minijinja templates rendered to YAML, under a fuel limit.
//!
//! Hosts (the Python and Node bindings, or Rust callers) add their own with
//! [`DriverRegistry::register`]; a [`HostDriver`] serves a host function that speaks plain data.
//!
//! Placeholders are substituted once: a value that comes out of the resolver is never expanded
//! again, and neither is text that comes from params or inputs (the template driver hands them
//! to minijinja escaped, see [`TemplateDriver`]).
//!
//! ```
//! use goldpath::drivers::{DriverRegistry, ProvisionRequest, SecretSeed};
//! use goldpath::placeholder::{lookup, Reference};
//! use goldpath::platform::{Context, Definition};
//! use goldpath::ResourceKey;
//! use serde_json::json;
//!
//! let spec = serde_json::from_value(json!({
//!     "type": "postgres",
//!     "driver": "static",
//!     "inputs": {
//!         "values": {"host": "db.internal", "name": "${context.app.id}"},
//!         "secrets": {"password": {"secretKeyRef": {"name": "${context.app.id}-db", "key": "password"}}},
//!     },
//! })).unwrap();
//! let definition = Definition { name: "postgres-managed".into(), spec, builtin: false };
//! let key: ResourceKey = "postgres#shop.db".parse().unwrap();
//! let context = Context::new("shop", "prod", "production");
//! let tree = json!({"context": {"app": {"id": "shop"}}});
//! let resolver = |r: &Reference| lookup(&tree, r.segments()).cloned();
//! let request = ProvisionRequest {
//!     key: &key,
//!     guid: "4f1c2a",
//!     context: &context,
//!     definition: &definition,
//!     params: &serde_json::Map::new(),
//!     seed: &SecretSeed::development(),
//!     resolver: &resolver,
//!     workloads: &serde_json::Value::Null.into(),
//!     source: None,
//!     workload: None,
//!     state: None,
//!     folder: None,
//! };
//! let provisioned = DriverRegistry::with_builtins().provision(&request).unwrap();
//! assert_eq!(provisioned.outputs["name"], json!("shop"));
//! assert_eq!(provisioned.secrets["password"].to_string(), "secretKeyRef shop-db/password");
//! ```

pub mod cmd;
mod host;
#[cfg(feature = "http-driver")]
pub mod http;
mod leak;
mod provisioned;
mod registry;
mod seed;
mod services;
mod state;
mod static_driver;
mod substitution;
mod template;
mod workload_link;
pub mod world;

pub(crate) use template::resolve_common;

use serde_json::{Map, Value};

use crate::ResourceKey;
use crate::placeholder::Resolver;
use crate::platform::{Context, Definition};

pub(crate) use host::secret_data;
pub use host::{HostDriver, HostFunction, provisioned_from, request_data};
pub use leak::{MIN_LEAK_CHARS, check_no_leak};
pub use provisioned::Provisioned;
pub use registry::DriverRegistry;
pub use seed::{GENERATED_ALPHABET, GENERATED_LENGTH, MIN_SEED_BYTES, SecretSeed};
pub use services::Services;
pub use state::{
    Deprovision, DriverRecord, DriverRecords, Effects, NOT_PROVISIONED, SecretKey, deprovision,
};
pub use static_driver::StaticDriver;
pub(crate) use static_driver::resolve_inputs;
pub(crate) use substitution::{in_definition, substitute_map};
pub use template::{DEFAULT_FUEL, Rendered, TemplateDriver};
pub use workload_link::{WORKLOAD_LINK_DRIVER, WorkloadLinkDriver};

/// What a driver is asked to provision: one resource, in one context, by one definition.
#[derive(Clone, Copy)]
pub struct ProvisionRequest<'a> {
    /// The resource's key (type, class, id).
    pub key: &'a ResourceKey,
    /// A stable, unique id of the resource, given by the caller (used in names of the objects
    /// a driver creates, `context.res.guid`).
    pub guid: &'a str,
    /// The application, environment and environment type.
    pub context: &'a Context,
    /// The definition that matched the resource.
    pub definition: &'a Definition,
    /// The request's params, already resolved.
    pub params: &'a Map<String, Value>,
    /// The seed of generated secrets.
    pub seed: &'a SecretSeed,
    /// Resolves `${...}` in the definition: answers `context.*`, `params.*` and `resources.*`.
    pub resolver: &'a dyn Resolver,
    /// The workloads of the application and what they serve, as a JSON map: name →
    /// `{"service": {"name": ..., "ports": {NAME: {"port", "targetPort", "protocol"}}}}`
    /// (`service` is null for a workload without ports). Templates see it as `workloads`;
    /// a plan shares one compact [`Services`] between its requests.
    pub workloads: &'a Services,
    /// The workload whose request gave the params, or that first requested the resource;
    /// `None` for resources only referenced by definitions. Templates see it as `source`.
    pub source: Option<&'a str>,
    /// For a resource of the built-in type `workload` (`workload#NAME`), the workload it
    /// stands for: `{name, kind, podSpecPath, metadata, annotations}` (see
    /// [`crate::patches`]); `None` for every other resource. Templates and placeholders see
    /// it as `context.workload`, host drivers as `context.workload`.
    pub workload: Option<&'a Value>,
    /// The state the resource's driver returned at the environment's current deployment
    /// (`None` when there is none). Templates see it as `state`; `cmd` and `http` drivers get
    /// it in their request.
    pub state: Option<&'a Value>,
    /// The folder of the platform document that defines the definition, when it was read
    /// from a file: the `cmd` driver resolves relative programs against it.
    pub folder: Option<&'a std::path::Path>,
}

/// Provisions resources: the built-in `template` and `static` drivers, and drivers of hosts.
pub trait Driver: Send + Sync {
    /// Provisions the resource of `req`.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Driver`](crate::ErrorKind::Driver) error when the definition cannot be
    /// provisioned (template errors, wrong shapes, host failures), or an
    /// [`ErrorKind::Placeholder`](crate::ErrorKind::Placeholder) error when a `${...}` of the
    /// definition does not resolve; messages name the definition and never a secret value.
    fn provision(&self, req: &ProvisionRequest<'_>) -> crate::Result<Provisioned>;

    /// Whether the driver's result depends on the request alone, with no side effect and no
    /// rule about the thread that calls it: a plan may then call it on any of its threads,
    /// ahead of graph order ([`crate::plan`] provisions such resources in parallel). `false`
    /// (the default) keeps the driver on the plan's thread, called in graph order: host
    /// drivers (Python, JavaScript) and any driver not known to be pure.
    fn runs_anywhere(&self) -> bool {
        false
    }

    /// The driver as one that acts on the world (`cmd`, `http`), which only
    /// [`Effects`] calls; `None` (the default) for drivers that only compute.
    fn world(&self) -> Option<&dyn world::WorldDriver> {
        None
    }
}

/// Refuses to provision through a driver that acts on the world outside [`Effects`].
fn world_outside_effects(req: &ProvisionRequest<'_>) -> crate::Result<Provisioned> {
    Err(crate::Error::new(
        crate::ErrorKind::Driver,
        crate::Location::default(),
        format!(
            "definition `{}`: driver `{}` acts on the world and is called only by plans (an engine's plan, a deploy), which decide whether it may be",
            req.definition.name, req.definition.spec.driver
        ),
    ))
}

impl Driver for cmd::CmdDriver {
    fn provision(&self, req: &ProvisionRequest<'_>) -> crate::Result<Provisioned> {
        world_outside_effects(req)
    }

    fn world(&self) -> Option<&dyn world::WorldDriver> {
        Some(self)
    }
}

#[cfg(feature = "http-driver")]
impl Driver for http::HttpDriver {
    fn provision(&self, req: &ProvisionRequest<'_>) -> crate::Result<Provisioned> {
        world_outside_effects(req)
    }

    fn world(&self) -> Option<&dyn world::WorldDriver> {
        Some(self)
    }
}
