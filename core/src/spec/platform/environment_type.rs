//! `EnvironmentType`: the baseline every environment of one kind shares (namespace pattern,
//! replicas, default resources, security, network policy, observability, locked fields).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The namespace pattern used when an environment type sets none: one namespace per
/// application and environment.
pub const DEFAULT_NAMESPACE_PATTERN: &str = "${context.app.id}-${context.env.id}";

/// The `spec` of an `EnvironmentType` document.
///
/// ```
/// use goldpath::spec::platform::{EnvironmentTypeSpec, SecurityContext, SecurityPreset};
///
/// let spec: EnvironmentTypeSpec = serde_json::from_value(serde_json::json!({
///     "replicas": 2,
///     "securityContext": "restricted",
/// })).unwrap();
/// assert_eq!(spec.namespace, "${context.app.id}-${context.env.id}");
/// assert_eq!(spec.security_context, SecurityContext::Preset(SecurityPreset::Restricted));
/// assert!(spec.create_namespace);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvironmentTypeSpec {
    /// The pattern of each environment's namespace. Placeholders: `${context.app.id}`,
    /// `${context.env.id}`, `${context.env.type}`; the result must be a DNS-1123 label.
    #[serde(default = "default_namespace_pattern")]
    pub namespace: String,
    /// Whether goldpath renders the `Namespace` object itself (with the Pod Security labels of
    /// [`Self::pod_security`]). Turn it off when something else creates the namespace (a
    /// `k8s-namespace` resource definition, or the cluster's own tooling).
    #[serde(default = "default_true")]
    pub create_namespace: bool,
    /// The replica count of every workload, unless a workload sets its own and `replicas` is
    /// not locked.
    #[serde(default = "default_replicas")]
    pub replicas: u32,
    /// Values merged under each container: what a container sets wins, unless locked.
    #[serde(default, skip_serializing_if = "ContainerDefaults::is_empty")]
    pub defaults: ContainerDefaults,
    /// The pod and container security context of every workload.
    #[serde(default)]
    pub security_context: SecurityContext,
    /// Whether every container's root filesystem is mounted read-only.
    #[serde(default)]
    pub read_only_root_filesystem: bool,
    /// The Pod Security Standard level enforced on the namespace (`enforce`, `audit` and
    /// `warn` labels); unset leaves the namespace unlabelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_security: Option<PodSecurityLevel>,
    /// Whether NetworkPolicies are rendered: deny all ingress, then allow from workloads that
    /// link to a workload and from the ingress controller.
    #[serde(default)]
    pub network_policy: bool,
    /// The PodDisruptionBudget of every workload that runs more than one replica.
    #[serde(default)]
    pub pod_disruption_budget: PodDisruptionBudget,
    /// Telemetry wiring added to every workload.
    #[serde(default, skip_serializing_if = "Observability::is_off")]
    pub observability: Observability,
    /// Defaults of every Job and CronJob (a workload's `goldpath.dev/` annotation wins unless
    /// `jobs` is locked).
    #[serde(default, skip_serializing_if = "JobDefaults::is_empty")]
    pub jobs: JobDefaults,
    /// Labels added to every object rendered in environments of this type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations added to every object rendered in environments of this type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// The baseline fields a workload may not override.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locked: Vec<LockableField>,
}

fn default_namespace_pattern() -> String {
    DEFAULT_NAMESPACE_PATTERN.to_owned()
}

fn default_true() -> bool {
    true
}

fn default_replicas() -> u32 {
    1
}

/// Container values merged under each container of every workload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ContainerDefaults {
    /// Default resource requests and limits; a container's own values win per quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}

impl ContainerDefaults {
    /// Whether no default is set (used to keep serialized documents short).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.resources.is_none()
    }
}

/// Resource requests and limits, in Score's shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceRequirements {
    /// What the scheduler reserves for the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<ResourceQuantities>,
    /// The most the container may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceQuantities>,
}

/// CPU and memory quantities, written as in Score (`250m`, `0.5`, `128Mi`, `1Gi`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceQuantities {
    /// CPU: whole or decimal cores (`2`, `0.5`) or millicores (`250m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Memory: bytes with an optional SI or binary suffix (`128Mi`, `1G`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
}

/// The security context applied to every pod and container: a named preset or explicit parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SecurityContext {
    /// A named preset.
    Preset(SecurityPreset),
    /// Explicit Kubernetes security context fields.
    Explicit(ExplicitSecurityContext),
}

impl Default for SecurityContext {
    fn default() -> Self {
        Self::Preset(SecurityPreset::None)
    }
}

/// The named security context presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecurityPreset {
    /// Meets the Pod Security Standard `restricted`: non-root, `RuntimeDefault` seccomp, no
    /// privilege escalation, every capability dropped.
    Restricted,
    /// Meets the Pod Security Standard `baseline`: `RuntimeDefault` seccomp and no privilege
    /// escalation; root images still run.
    Baseline,
    /// Sets no security context.
    None,
}

/// Explicit security context parts, copied verbatim into every pod and container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExplicitSecurityContext {
    /// Fields of a Kubernetes `PodSecurityContext` (`runAsNonRoot`, `fsGroup`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod: BTreeMap<String, serde_json::Value>,
    /// Fields of a Kubernetes container `SecurityContext` (`allowPrivilegeEscalation`,
    /// `capabilities`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub container: BTreeMap<String, serde_json::Value>,
}

/// A Pod Security Standard level, as the `pod-security.kubernetes.io/*` namespace labels take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PodSecurityLevel {
    /// No restriction.
    Privileged,
    /// Prevents known privilege escalations.
    Baseline,
    /// Current pod hardening best practice.
    Restricted,
}

/// Whether and how a PodDisruptionBudget is rendered for each workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PodDisruptionBudget {
    /// `false`: none; `true`: one with `maxUnavailable: 1`.
    Enabled(bool),
    /// A budget with explicit bounds.
    Custom(DisruptionBudget),
}

impl Default for PodDisruptionBudget {
    fn default() -> Self {
        Self::Enabled(false)
    }
}

/// The bounds of a PodDisruptionBudget; exactly one is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DisruptionBudget {
    /// How many pods must stay available during voluntary disruptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_available: Option<IntOrPercent>,
    /// How many pods may be unavailable during voluntary disruptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrPercent>,
}

/// A pod count or a percentage of the replicas (`"50%"`), as PodDisruptionBudgets take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrPercent {
    /// A number of pods.
    Count(u32),
    /// A percentage of the replicas, written `"NN%"`.
    Percent(String),
}

/// Telemetry wiring for every workload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Observability {
    /// The OpenTelemetry collector endpoint: sets `OTEL_EXPORTER_OTLP_ENDPOINT`,
    /// `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` in every container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otlp_endpoint: Option<String>,
    /// Whether pods carry the `prometheus.io/scrape` and `prometheus.io/port` annotations.
    #[serde(default)]
    pub prometheus: bool,
    /// Whether pods carry the `goldpath.dev/app`, `goldpath.dev/env` and
    /// `goldpath.dev/workload` labels log pipelines index by.
    #[serde(default)]
    pub log_labels: bool,
}

impl Observability {
    /// Whether nothing is switched on (used to keep serialized documents short).
    #[must_use]
    pub fn is_off(&self) -> bool {
        *self == Self::default()
    }
}

/// Defaults of the Jobs and CronJobs of an environment type; unset fields are left to
/// Kubernetes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JobDefaults {
    /// How many times a failed pod is retried (`spec.backoffLimit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit: Option<u32>,
    /// How long a finished Job is kept before it is deleted (`spec.ttlSecondsAfterFinished`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds_after_finished: Option<u32>,
    /// How long a Job may run before it is failed (`spec.activeDeadlineSeconds`, above zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<u64>,
    /// What a CronJob does when a run is due while the last one still runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency_policy: Option<ConcurrencyPolicy>,
}

impl JobDefaults {
    /// Whether no default is set (used to keep serialized documents short).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A CronJob's `concurrencyPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConcurrencyPolicy {
    /// Runs may overlap.
    Allow,
    /// A run due while the last one still runs is skipped.
    Forbid,
    /// A run due while the last one still runs replaces it.
    Replace,
}

impl ConcurrencyPolicy {
    /// The policy as Kubernetes writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::Forbid => "Forbid",
            Self::Replace => "Replace",
        }
    }
}

/// A baseline field an environment type can lock against workload overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LockableField {
    /// The namespace pattern.
    Namespace,
    /// The replica count.
    Replicas,
    /// The container defaults (requests and limits): the platform's values win.
    Defaults,
    /// The security context.
    SecurityContext,
    /// The read-only root filesystem switch.
    ReadOnlyRootFilesystem,
    /// The Pod Security Standard level.
    PodSecurity,
    /// The NetworkPolicy switch.
    NetworkPolicy,
    /// The PodDisruptionBudget.
    PodDisruptionBudget,
    /// The telemetry wiring.
    Observability,
    /// The labels: a workload may add labels but not change these.
    Labels,
    /// The annotations: a workload may add annotations but not change these.
    Annotations,
    /// The Job and CronJob defaults (`jobs`).
    Jobs,
}
