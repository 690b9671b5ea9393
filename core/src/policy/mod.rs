//! Guardrails: the rules of the `Policy` documents attached to the plan's environment type,
//! evaluated on the plan's objects, and the locks of the environment type (DESIGN.md §10).
//!
//! An [`Evaluator`] sees each object of a plan as it is rendered (so the streaming
//! [`Engine::write_yaml`](crate::plan::Engine::write_yaml) reports the same violations as
//! [`Engine::plan`](crate::plan::Engine::plan)), then the workloads' resource requests. What
//! each rule checks:
//!
//! | rule | checks, on each workload's Deployment, StatefulSet, Job or CronJob |
//! | --- | --- |
//! | `require-limits` | every container has a limit for each listed resource (cpu, memory by default), its own or the type's default |
//! | `forbid-latest-tag` | no image is untagged or tagged `latest`, unless pinned by digest |
//! | `allowed-registries` | every image's registry (and path) is one of the list; an image without a registry is `docker.io/library/...` |
//! | `require-digest` | every image is pinned `@sha256:...` |
//! | `min-replicas`, `max-replicas` | the replica count (1 when unset) is within bounds |
//! | `require-readiness-probe` | every container has a readiness probe |
//! | `forbid-privileged` | no container sets `privileged: true` or `allowPrivilegeEscalation: true` |
//! | `forbid-host-path` | no volume of the pod is a `hostPath` |
//! | `allowed-resources` | every resource the workload requests has an allowed type and class |
//!
//! `min-replicas`, `max-replicas` and `require-readiness-probe` skip Jobs and CronJobs: a
//! batch workload has no replicas, serves no traffic and runs to completion.
//! Objects that belong to no workload (resource manifests) are not checked. Each
//! [`Violation`] names the rule, the policy, the workload and its file, a JSON pointer into
//! the Score workload (`/containers/web/image`) and what to change. A workload override that
//! a lock of the environment type refused is the violation `locked-baseline` with severity
//! `warning` and no policy: the type's value applies, and the plan says so.

mod evaluate;
mod image;
mod rules;

use serde::Serialize;

use crate::spec::platform::Severity;
use crate::{Diagnostic, DocPath, Error, ErrorKind, Location, Result};

pub use evaluate::Evaluator;
pub use image::ImageRef;

/// The rule id of a refused workload override.
pub const LOCKED_BASELINE: &str = "locked-baseline";

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule id (`require-limits`, ..., or [`LOCKED_BASELINE`]).
    pub rule: String,
    /// `error` blocks deploy; `warning` is reported.
    pub severity: Severity,
    /// The `Policy` document the rule comes from (`None` for [`LOCKED_BASELINE`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The workload at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    /// The workload's Score file, when it was read from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// A JSON pointer into the Score workload: where to change it.
    pub path: String,
    /// What is wrong and what to change.
    pub message: String,
}

impl Violation {
    /// Whether the violation blocks deploy.
    #[must_use]
    pub fn is_blocking(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}", self.rule)?;
        if let Some(policy) = &self.policy {
            write!(f, " ({policy})")?;
        }
        if let Some(workload) = &self.workload {
            write!(f, ": workload `{workload}`")?;
        }
        write!(f, " {}: {}", self.path, self.message)
    }
}

/// `Ok(())` when no violation is an error, else an [`ErrorKind::Policy`] error with one
/// diagnostic per blocking violation (file and path of the workload). Deploy calls it to
/// refuse a plan.
///
/// # Errors
/// The blocking violations.
pub fn refuse(violations: &[Violation]) -> Result<()> {
    let diagnostics: Vec<Diagnostic> = violations
        .iter()
        .filter(|v| v.is_blocking())
        .map(|v| {
            let mut location = match &v.file {
                Some(file) => Location::in_file(file.clone()),
                None => Location::default(),
            };
            location = location.with_path(DocPath::from_json_pointer(&v.path, None));
            let policy = v.policy.as_deref().unwrap_or("the environment type");
            Diagnostic {
                kind: ErrorKind::Policy,
                location,
                message: format!("{} (rule `{}` of `{policy}`)", v.message, v.rule),
            }
        })
        .collect();
    match Error::from_diagnostics(diagnostics) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}
