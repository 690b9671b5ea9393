//! The overrides a workload asks for, read from its annotations and container resources.

use super::{Refusal, field_name};
use crate::spec::platform::{
    ConcurrencyPolicy, EnvironmentTypeSpec, JobDefaults, LockableField, PodDisruptionBudget,
    ResourceQuantities, SecurityContext, SecurityPreset,
};
use crate::spec::score::{ResourceAmounts, Workload};
use crate::validate::names::quoted;
use crate::validate::quantity::Quantity;
use crate::{DocPath, Error, ErrorKind, Location, Result};

const REPLICAS: &str = "goldpath.dev/replicas";
const SECURITY_CONTEXT: &str = "goldpath.dev/security-context";
const READ_ONLY_ROOT: &str = "goldpath.dev/read-only-root-filesystem";
const DISRUPTION_BUDGET: &str = "goldpath.dev/pod-disruption-budget";
const OBSERVABILITY: &str = "goldpath.dev/observability";
const BACKOFF_LIMIT: &str = "goldpath.dev/backoff-limit";
const ACTIVE_DEADLINE: &str = "goldpath.dev/active-deadline-seconds";
const TTL_AFTER_FINISHED: &str = "goldpath.dev/ttl-seconds-after-finished";
const CONCURRENCY_POLICY: &str = "goldpath.dev/concurrency-policy";

/// The workload annotations that override baselines (kept off the pod template).
pub const OVERRIDE_ANNOTATIONS: [&str; 9] = [
    REPLICAS,
    SECURITY_CONTEXT,
    READ_ONLY_ROOT,
    DISRUPTION_BUDGET,
    OBSERVABILITY,
    BACKOFF_LIMIT,
    ACTIVE_DEADLINE,
    TTL_AFTER_FINISHED,
    CONCURRENCY_POLICY,
];

/// The annotations that override the environment type's `jobs` defaults.
pub(super) const JOB_ANNOTATIONS: [&str; 4] = [
    BACKOFF_LIMIT,
    ACTIVE_DEADLINE,
    TTL_AFTER_FINISHED,
    CONCURRENCY_POLICY,
];

/// The largest value of a Kubernetes `int32` field.
const INT32_MAX: u64 = 2_147_483_647;

/// One override a workload asks for.
pub(super) enum Change {
    Replicas(u32),
    Security(SecurityPreset),
    ReadOnlyRoot(bool),
    DisruptionBudget(bool),
    ObservabilityOff,
    Job(JobChange),
}

/// One override of the environment type's `jobs` defaults.
pub(super) enum JobChange {
    BackoffLimit(u32),
    ActiveDeadline(u64),
    TtlAfterFinished(u32),
    Concurrency(ConcurrencyPolicy),
}

impl JobChange {
    pub(super) fn apply(&self, jobs: &mut JobDefaults) {
        match self {
            Self::BackoffLimit(n) => jobs.backoff_limit = Some(*n),
            Self::ActiveDeadline(n) => jobs.active_deadline_seconds = Some(*n),
            Self::TtlAfterFinished(n) => jobs.ttl_seconds_after_finished = Some(*n),
            Self::Concurrency(p) => jobs.concurrency_policy = Some(*p),
        }
    }

    fn annotation(&self) -> &'static str {
        match self {
            Self::BackoffLimit(_) => BACKOFF_LIMIT,
            Self::ActiveDeadline(_) => ACTIVE_DEADLINE,
            Self::TtlAfterFinished(_) => TTL_AFTER_FINISHED,
            Self::Concurrency(_) => CONCURRENCY_POLICY,
        }
    }

    fn parse(key: &str, value: &str) -> Option<Self> {
        let count = || {
            value
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= INT32_MAX && (value == "0" || !value.starts_with('0')))
        };
        match key {
            BACKOFF_LIMIT => count().map(|n| Self::BackoffLimit(n as u32)),
            TTL_AFTER_FINISHED => count().map(|n| Self::TtlAfterFinished(n as u32)),
            ACTIVE_DEADLINE => value
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0 && !value.starts_with('0') && *n <= i64::MAX as u64)
                .map(Self::ActiveDeadline),
            CONCURRENCY_POLICY => match value {
                "Allow" => Some(Self::Concurrency(ConcurrencyPolicy::Allow)),
                "Forbid" => Some(Self::Concurrency(ConcurrencyPolicy::Forbid)),
                "Replace" => Some(Self::Concurrency(ConcurrencyPolicy::Replace)),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Change {
    pub(super) fn field(&self) -> LockableField {
        match self {
            Self::Replicas(_) => LockableField::Replicas,
            Self::Security(_) => LockableField::SecurityContext,
            Self::ReadOnlyRoot(_) => LockableField::ReadOnlyRootFilesystem,
            Self::DisruptionBudget(_) => LockableField::PodDisruptionBudget,
            Self::ObservabilityOff => LockableField::Observability,
            Self::Job(_) => LockableField::Jobs,
        }
    }

    fn annotation(&self) -> &'static str {
        match self {
            Self::Replicas(_) => REPLICAS,
            Self::Security(_) => SECURITY_CONTEXT,
            Self::ReadOnlyRoot(_) => READ_ONLY_ROOT,
            Self::DisruptionBudget(_) => DISRUPTION_BUDGET,
            Self::ObservabilityOff => OBSERVABILITY,
            Self::Job(change) => change.annotation(),
        }
    }

    pub(super) fn apply(&self, spec: &mut EnvironmentTypeSpec) {
        match self {
            Self::Replicas(n) => spec.replicas = *n,
            Self::Security(preset) => spec.security_context = SecurityContext::Preset(*preset),
            Self::ReadOnlyRoot(on) => spec.read_only_root_filesystem = *on,
            Self::DisruptionBudget(on) => {
                if !*on {
                    spec.pod_disruption_budget = PodDisruptionBudget::Enabled(false);
                } else if spec.pod_disruption_budget == PodDisruptionBudget::Enabled(false) {
                    spec.pod_disruption_budget = PodDisruptionBudget::Enabled(true);
                }
            }
            Self::ObservabilityOff => spec.observability = Default::default(),
            Self::Job(change) => change.apply(&mut spec.jobs),
        }
    }

    pub(super) fn refusal(&self, env_type: &EnvironmentTypeSpec) -> Refusal {
        let field = self.field();
        let applies = match field {
            LockableField::Replicas => env_type.replicas.to_string(),
            LockableField::ReadOnlyRootFilesystem => env_type.read_only_root_filesystem.to_string(),
            _ => format!("the environment type's `{}`", field_name(field)),
        };
        Refusal {
            field,
            path: annotation_path(self.annotation()),
            message: format!(
                "the environment type locks `{}`: the override {} is ignored and {applies} applies; remove the annotation",
                field_name(field),
                quoted(self.annotation()),
            ),
        }
    }
}

pub(super) fn annotation_path(key: &str) -> DocPath {
    DocPath::root().key("metadata").key("annotations").key(key)
}

/// The overrides the workload's annotations ask for, in annotation order.
pub(super) fn requested(workload: &Workload) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for (key, value) in &workload.metadata.annotations {
        let change = match key.as_str() {
            REPLICAS => value.parse().map(Change::Replicas).ok(),
            SECURITY_CONTEXT => match value.as_str() {
                "restricted" => Some(Change::Security(SecurityPreset::Restricted)),
                "baseline" => Some(Change::Security(SecurityPreset::Baseline)),
                "none" => Some(Change::Security(SecurityPreset::None)),
                _ => None,
            },
            READ_ONLY_ROOT => boolean(value).map(Change::ReadOnlyRoot),
            DISRUPTION_BUDGET => boolean(value).map(Change::DisruptionBudget),
            OBSERVABILITY => (value == "false").then_some(Change::ObservabilityOff),
            key if JOB_ANNOTATIONS.contains(&key) => JobChange::parse(key, value).map(Change::Job),
            _ => continue,
        };
        match change {
            Some(change) => changes.push(change),
            None => return Err(bad_value(key, value)),
        }
    }
    Ok(changes)
}

fn boolean(value: &str) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn bad_value(key: &str, value: &str) -> Error {
    let takes = match key {
        REPLICAS => "a whole number such as \"3\"",
        SECURITY_CONTEXT => "`restricted`, `baseline` or `none`",
        OBSERVABILITY => "`false`",
        BACKOFF_LIMIT | TTL_AFTER_FINISHED => "a whole number from 0 to 2147483647 such as \"3\"",
        ACTIVE_DEADLINE => "a whole number of seconds above zero such as \"600\"",
        CONCURRENCY_POLICY => "`Allow`, `Forbid` or `Replace`",
        _ => "`true` or `false`",
    };
    Error::new(
        ErrorKind::Invalid,
        Location::default().with_path(annotation_path(key)),
        format!(
            "{} is not a value of the annotation {}: it takes {takes}",
            quoted(value),
            quoted(key)
        ),
    )
}

/// Each container quantity that differs from a locked default.
pub(super) fn refused_resources(
    env_type: &EnvironmentTypeSpec,
    workload: &Workload,
) -> Vec<Refusal> {
    let Some(defaults) = &env_type.defaults.resources else {
        return Vec::new();
    };
    let mut refusals = Vec::new();
    for (name, container) in &workload.containers {
        let Some(own) = &container.resources else {
            continue;
        };
        let sections = [
            (
                "requests",
                own.requests.as_ref(),
                defaults.requests.as_ref(),
            ),
            ("limits", own.limits.as_ref(), defaults.limits.as_ref()),
        ];
        for (section, own, default) in sections {
            for (kind, own, default) in pairs(own, default) {
                if let (Some(own), Some(default)) = (own, default)
                    && !same_quantity(own, default)
                {
                    let path = DocPath::root()
                        .key("containers")
                        .key(name.clone())
                        .key("resources")
                        .key(section)
                        .key(kind);
                    let message = format!(
                        "the environment type locks `defaults`: {section}.{kind} {own} is ignored and {default} applies; remove it or use the type's value",
                    );
                    refusals.push(Refusal {
                        field: LockableField::Defaults,
                        path,
                        message,
                    });
                }
            }
        }
    }
    refusals
}

/// Whether two quantities are equal (`0.5` and `500m` are); text that does not parse is
/// compared as written (rendering reports it).
pub(super) fn same_quantity(a: &str, b: &str) -> bool {
    match (Quantity::parse(a), Quantity::parse(b)) {
        (Ok(a), Ok(b)) => a.canonical() == b.canonical(),
        _ => a == b,
    }
}

/// `(kind, own, default)` for cpu and memory.
fn pairs<'a>(
    own: Option<&'a ResourceAmounts>,
    default: Option<&'a ResourceQuantities>,
) -> [(&'static str, Option<&'a str>, Option<&'a str>); 2] {
    [
        (
            "cpu",
            own.and_then(|o| o.cpu.as_deref()),
            default.and_then(|d| d.cpu.as_deref()),
        ),
        (
            "memory",
            own.and_then(|o| o.memory.as_deref()),
            default.and_then(|d| d.memory.as_deref()),
        ),
    ]
}
