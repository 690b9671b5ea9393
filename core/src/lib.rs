//! goldpath: the engine of an Internal Developer Platform, as a library.
//!
//! Platform teams describe *how* resources are made in each kind of environment
//! (`EnvironmentType`, `ResourceDefinition`, ... documents); application developers describe
//! *what* their workloads need in Score files. goldpath loads both strictly ([`load`]), checks
//! them beyond their schemas ([`validate`]), and joins them.
//!
//! Data flows one way: [`load`] turns text into the typed documents of [`spec`];
//! [`validate`] checks them; [`placeholder`] parses and substitutes `${...}` references;
//! [`matching`] picks a definition per resource, [`graph`] orders the resources, [`resolve`]
//! runs the [`drivers`], and [`render`] makes the Kubernetes objects of a [`plan::Plan`].
//! [`policy`] and [`rbac`] decide what a plan and a principal may do; [`deploy`] keeps the
//! records of deployments (diff, rollback, promotion, environments); `apply` (feature `kube`)
//! puts a plan into a cluster.

#[cfg(feature = "kube")]
pub mod apply;
pub mod baseline;
pub mod builtins;
pub mod catalog;
pub mod deploy;
pub mod drivers;
mod encoding;
pub mod error;
pub mod graph;
pub mod load;
pub mod matching;
pub mod patches;
pub mod placeholder;
pub mod plan;
pub mod policy;
pub mod rbac;

pub mod platform;
pub mod render;
pub mod resolve;
mod resource_key;
pub mod secrets;
pub mod sensitive;
pub mod session;
pub mod spec;
pub mod validate;

pub use error::{Diagnostic, DocPath, Error, ErrorKind, Location, PathSegment, Result};
pub use resource_key::ResourceKey;
