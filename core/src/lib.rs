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
//!
//! The main types are at the crate root: an [`Engine`] (built with [`Engine::builder`] from
//! platform documents) plans [`WorkloadInput`]s (which a [`Loader`] reads from [`Source`]s) in
//! a [`Context`] into a [`Plan`]; a [`Deployer`] records deployments in a store. Runnable
//! programs are in `core/examples/` (`cargo run -p goldpath --example plan_shop`).
//!
//! ```
//! use goldpath::deploy::{Actor, MemoryStore, NewEnvironment};
//! use goldpath::{Context, Deployer, Engine, Loader, PlanOptions, Source};
//!
//! // A platform: one environment type (documents may come from files, text or values).
//! let engine = Engine::builder()
//!     .source(Source::text("platform.yaml", "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: development}\nspec: {}\n"))
//!     .build()?;
//! // An application: one Score workload that needs a database.
//! let score = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx:1.27\n    variables: {DB: '${resources.db.host}'}\nresources:\n  db: {type: postgres}\n";
//! let workloads = Loader::default().workloads(vec![Source::text("score.yaml", score)])?;
//!
//! // Plan it: the built-in postgres definition provisions the database in the cluster.
//! let context = Context::new("shop", "dev", "development");
//! let plan = engine.plan(&workloads, &context, &PlanOptions::default())?;
//! assert!(plan.to_yaml().contains("kind: StatefulSet"));
//!
//! // Deploy it: a record in a store, diffable against the next one.
//! let store = MemoryStore::new();
//! let deployer = Deployer::new(&engine, &store);
//! deployer.create_environment(&NewEnvironment::new("shop", "dev", "development"), &Actor::at("2026-11-23T10:00:00Z"))?;
//! let record = deployer.deploy("shop", "dev", &workloads, &Actor::at("2026-11-23T10:05:00Z"))?;
//! assert_eq!(deployer.history("shop", "dev")?.ids(), vec![record.id.as_str()]);
//! # Ok::<(), goldpath::Error>(())
//! ```

#[cfg(feature = "kube")]
pub mod apply;
pub mod baseline;
pub mod builtins;
pub mod canonical_json;
pub mod catalog;
pub mod deploy;
pub mod drivers;
mod encoding;
pub mod error;
pub mod graph;
mod hash;
pub mod load;
pub mod matching;
pub mod object_id;
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

pub use deploy::Deployer;
pub use load::{Loader, Source, WorkloadInput};
pub use plan::{Engine, EngineBuilder, Plan, PlanOptions};
pub use platform::{Context, Platform};
