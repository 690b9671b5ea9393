//! The environment type's baselines as they apply to one workload: what the workload may
//! override, what the type locks, and which lock refused which override.
//!
//! A workload overrides a baseline with a Score annotation:
//!
//! | annotation | baseline field | values |
//! | --- | --- | --- |
//! | `goldpath.dev/replicas` | `replicas` | a whole number |
//! | `goldpath.dev/security-context` | `securityContext` | `restricted`, `baseline`, `none` |
//! | `goldpath.dev/read-only-root-filesystem` | `readOnlyRootFilesystem` | `true`, `false` |
//! | `goldpath.dev/pod-disruption-budget` | `podDisruptionBudget` | `true`, `false` |
//! | `goldpath.dev/observability` | `observability` | `false` (switch the wiring off) |
//! | `goldpath.dev/backoff-limit` | `jobs.backoffLimit` | a whole number (0 to 2147483647) |
//! | `goldpath.dev/ttl-seconds-after-finished` | `jobs.ttlSecondsAfterFinished` | a whole number (0 to 2147483647) |
//! | `goldpath.dev/active-deadline-seconds` | `jobs.activeDeadlineSeconds` | a whole number above zero |
//! | `goldpath.dev/concurrency-policy` | `jobs.concurrencyPolicy` | `Allow`, `Forbid`, `Replace` |
//!
//! and a container's own `resources` override `defaults` quantity by quantity. When the
//! environment type lists the field under `locked`, the override is ignored, the type's value
//! applies, and [`for_workload`] reports a [`Refusal`] naming the lock; the plan turns each
//! into a `locked-baseline` warning (see [`crate::policy`]). The other baselines (namespace,
//! Pod Security level, NetworkPolicies, labels, annotations) belong to the environment and
//! have no workload override.
//!
//! Whatever else could change a locked field (a plan option, a definition's manifest, a
//! container's own variable, a future patch) is refused by [`Locks`]: the one check that
//! compares every final object of a plan with the type's locked values (see `docs/locks.md`).
//!
//! ```
//! use goldpath::baseline::for_workload;
//! use goldpath::spec::platform::{EnvironmentTypeSpec, LockableField};
//!
//! let env_type: EnvironmentTypeSpec =
//!     serde_json::from_value(serde_json::json!({"replicas": 2, "locked": ["replicas"]})).unwrap();
//! let workload = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "score.dev/v1b1",
//!     "metadata": {"name": "web", "annotations": {"goldpath.dev/replicas": "5"}},
//!     "containers": {"main": {"image": "nginx:1.27"}},
//! })).unwrap();
//! let (effective, refusals) = for_workload(&env_type, &workload).unwrap();
//! assert_eq!(effective.replicas, 2);
//! assert_eq!(refusals[0].field, LockableField::Replicas);
//! ```

mod locks;
mod overrides;

use serde::Serialize;

use crate::platform::Context;
use crate::spec::platform::{EnvironmentTypeSpec, JobDefaults, LockableField};
use crate::spec::score::Workload;
use crate::{DocPath, Error, ErrorKind, Location, Result};

pub use locks::{Locks, Origin};
pub use overrides::OVERRIDE_ANNOTATIONS;

/// A workload override that a lock of the environment type refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The locked field.
    pub field: LockableField,
    /// Where the workload tried to override it.
    pub path: DocPath,
    /// What was refused, what applies instead, and what to change.
    pub message: String,
}

/// The environment type as it applies to `workload`: its overrides applied where the type
/// does not lock the field, and a [`Refusal`] for each override a lock refused.
///
/// # Errors
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) for an override annotation whose value
/// does not parse, naming the annotation and the values it takes.
pub fn for_workload(
    env_type: &EnvironmentTypeSpec,
    workload: &Workload,
) -> Result<(EnvironmentTypeSpec, Vec<Refusal>)> {
    let mut effective = env_type.clone();
    let mut refusals = Vec::new();
    for change in overrides::requested(workload)? {
        let field = change.field();
        if env_type.locked.contains(&field) {
            refusals.push(change.refusal(env_type));
        } else {
            change.apply(&mut effective);
        }
    }
    if env_type.locked.contains(&LockableField::Defaults) {
        refusals.extend(overrides::refused_resources(env_type, workload));
    }
    Ok((effective, refusals))
}

/// The Job settings of `workload`: the environment type's `jobs` defaults (none without a
/// type) with the workload's annotations applied, unless the type locks `jobs`.
///
/// # Errors
/// [`ErrorKind::Invalid`] for an override annotation whose value does not parse.
pub fn job_defaults(
    env_type: Option<&EnvironmentTypeSpec>,
    workload: &Workload,
) -> Result<JobDefaults> {
    let mut jobs = env_type.map(|t| t.jobs.clone()).unwrap_or_default();
    let locked = env_type.is_some_and(|t| t.locked.contains(&LockableField::Jobs));
    for change in overrides::requested(workload)? {
        if let overrides::Change::Job(change) = change
            && !locked
        {
            change.apply(&mut jobs);
        }
    }
    Ok(jobs)
}

/// Whether the environment type's default requests and limits win over a container's own.
#[must_use]
pub fn defaults_locked(env_type: &EnvironmentTypeSpec) -> bool {
    env_type.locked.contains(&LockableField::Defaults)
}

/// The name of a lockable field as documents write it (`securityContext`).
#[must_use]
pub fn field_name(field: LockableField) -> String {
    serde_json::to_value(field)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The namespace the environment type's pattern gives in `context`: what a `namespace` lock
/// holds every object to, and the plan's namespace unless an option sets another.
///
/// # Errors
/// [`ErrorKind::Invalid`] for a pattern that does not parse or names an unknown placeholder.
pub fn namespace(context: &Context, env_type: &EnvironmentTypeSpec) -> Result<String> {
    use crate::placeholder::{self, lookup};
    let invalid = |message: String| Error::new(ErrorKind::Invalid, Location::default(), message);
    let tree = serde_json::json!({"context": {"app": {"id": context.app}, "env": {"id": context.env, "type": context.env_type}}});
    let template = placeholder::parse(&env_type.namespace)
        .map_err(|e| invalid(format!("namespace pattern: {}", e.message)))?;
    let resolver = |r: &placeholder::Reference| lookup(&tree, r.segments()).cloned();
    let value = placeholder::substitute(&template, &resolver).map_err(|e| {
        invalid(format!(
            "namespace pattern `{}`: {}",
            env_type.namespace, e.reason
        ))
    })?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}
