//! `Policy`: guardrails attached to environment types, checked on every plan.

use serde::{Deserialize, Serialize};

/// The `spec` of a `Policy` document.
///
/// ```
/// use goldpath::spec::platform::{PolicyRule, PolicySpec, Severity};
///
/// let spec: PolicySpec = serde_json::from_value(serde_json::json!({
///     "envTypes": ["production"],
///     "rules": [{"rule": "min-replicas", "min": 2}],
/// })).unwrap();
/// let PolicyRule::MinReplicas(rule) = &spec.rules[0] else { panic!() };
/// assert_eq!((rule.min, rule.severity), (2, Severity::Error));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicySpec {
    /// The environment types whose plans these rules check.
    pub env_types: Vec<String>,
    /// The rules.
    pub rules: Vec<PolicyRule>,
}

/// How a violation counts: an `error` blocks deploy, a `warning` is reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks deploy.
    #[default]
    Error,
    /// Reported, does not block.
    Warning,
}

/// One rule, selected by its `rule` id, with that rule's own parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum PolicyRule {
    /// Every container sets limits for the listed resources.
    RequireLimits(RequireLimits),
    /// No image uses the `latest` tag or no tag at all.
    ForbidLatestTag(PlainRule),
    /// Every image comes from one of the listed registries.
    AllowedRegistries(AllowedRegistries),
    /// Every image is pinned by digest (`@sha256:...`).
    RequireDigest(PlainRule),
    /// Every workload runs at least `min` replicas.
    MinReplicas(MinReplicas),
    /// No workload runs more than `max` replicas.
    MaxReplicas(MaxReplicas),
    /// Every container has a readiness probe.
    RequireReadinessProbe(PlainRule),
    /// No container runs privileged or may escalate privileges.
    ForbidPrivileged(PlainRule),
    /// No volume mounts a host path.
    ForbidHostPath(PlainRule),
    /// Workloads may only request the listed resource types and classes.
    AllowedResources(AllowedResources),
}

impl PolicyRule {
    /// The rule id as written in documents (`require-limits`, ...).
    #[must_use]
    pub fn id(&self) -> &'static str {
        match self {
            Self::RequireLimits(_) => "require-limits",
            Self::ForbidLatestTag(_) => "forbid-latest-tag",
            Self::AllowedRegistries(_) => "allowed-registries",
            Self::RequireDigest(_) => "require-digest",
            Self::MinReplicas(_) => "min-replicas",
            Self::MaxReplicas(_) => "max-replicas",
            Self::RequireReadinessProbe(_) => "require-readiness-probe",
            Self::ForbidPrivileged(_) => "forbid-privileged",
            Self::ForbidHostPath(_) => "forbid-host-path",
            Self::AllowedResources(_) => "allowed-resources",
        }
    }

    /// How a violation of this rule counts.
    #[must_use]
    pub fn severity(&self) -> Severity {
        match self {
            Self::RequireLimits(r) => r.severity,
            Self::AllowedRegistries(r) => r.severity,
            Self::MinReplicas(r) => r.severity,
            Self::MaxReplicas(r) => r.severity,
            Self::AllowedResources(r) => r.severity,
            Self::ForbidLatestTag(r)
            | Self::RequireDigest(r)
            | Self::RequireReadinessProbe(r)
            | Self::ForbidPrivileged(r)
            | Self::ForbidHostPath(r) => r.severity,
        }
    }
}

/// A rule without parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PlainRule {
    /// How a violation counts.
    #[serde(default)]
    pub severity: Severity,
}

/// `require-limits`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequireLimits {
    /// How a violation counts.
    #[serde(default)]
    pub severity: Severity,
    /// The resources that need a limit; both by default.
    #[serde(default = "both_limits")]
    pub resources: Vec<LimitedResource>,
}

fn both_limits() -> Vec<LimitedResource> {
    vec![LimitedResource::Cpu, LimitedResource::Memory]
}

/// A container resource that can be limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LimitedResource {
    /// CPU.
    Cpu,
    /// Memory.
    Memory,
}

/// `allowed-registries`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AllowedRegistries {
    /// How a violation counts.
    #[serde(default)]
    pub severity: Severity,
    /// Registry hosts, optionally with a port and a path prefix (`ghcr.io/acme`).
    pub registries: Vec<String>,
}

/// `min-replicas`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MinReplicas {
    /// How a violation counts.
    #[serde(default)]
    pub severity: Severity,
    /// The fewest replicas allowed.
    pub min: u32,
}

/// `max-replicas`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MaxReplicas {
    /// How a violation counts.
    #[serde(default)]
    pub severity: Severity,
    /// The most replicas allowed.
    pub max: u32,
}

/// `allowed-resources`: either `types` and/or `classes` (a request passes when each list
/// that is set contains its type, resp. class), or `resources` (a request passes when one
/// entry matches it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AllowedResources {
    /// How a violation counts.
    #[serde(default)]
    pub severity: Severity,
    /// The allowed resource types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    /// The allowed resource classes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// The allowed type and class pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceSelector>,
}

/// A resource type, optionally narrowed to one class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceSelector {
    /// The resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The class; unset allows every class of the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}
