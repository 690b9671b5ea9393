//! goldpath platform documents (`goldpath.dev/v1alpha1`).
//!
//! Every platform document has the same envelope: `apiVersion`, `kind`, `metadata` and a
//! `spec` whose shape the kind decides. [`PlatformDocument`] holds any of the five kinds;
//! `schemas/platform.schema.json` describes the same documents field by field.
//!
//! ```
//! use goldpath::spec::platform::{PlatformDocument, PlatformKind};
//!
//! let doc: PlatformDocument = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "goldpath.dev/v1alpha1",
//!     "kind": "Environment",
//!     "metadata": {"name": "qa-42"},
//!     "spec": {"app": "shop", "type": "qa-light"},
//! })).unwrap();
//! assert_eq!(doc.kind(), PlatformKind::Environment);
//! assert_eq!(doc.name(), "qa-42");
//! ```

mod environment;
mod environment_type;
mod policy;
mod resource_definition;
mod role_binding;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use environment::EnvironmentSpec;
pub use environment_type::{
    ConcurrencyPolicy, ContainerDefaults, DEFAULT_NAMESPACE_PATTERN, DisruptionBudget,
    EnvironmentTypeSpec, ExplicitSecurityContext, IntOrPercent, JobDefaults, LockableField,
    Observability, PodDisruptionBudget, PodSecurityLevel, ResourceQuantities, ResourceRequirements,
    SecurityContext, SecurityPreset,
};
pub use policy::{
    AllowedRegistries, AllowedResources, LimitedResource, MaxReplicas, MinReplicas, PlainRule,
    PolicyRule, PolicySpec, RequireLimits, ResourceSelector, Severity,
};
pub use resource_definition::{
    Criterion, DEFAULT_CLASS, DriverInputs, Provision, ResourceDefinitionSpec, STATIC_DRIVER,
    SecretInput, SecretKeySelector, SecretRef, TEMPLATE_DRIVER, Templates,
};
pub use role_binding::{Role, RoleBindingSpec, RoleScope, Subject, SubjectKind};

/// The `apiVersion` of every platform document.
pub const PLATFORM_API_VERSION: &str = "goldpath.dev/v1alpha1";

/// The `apiVersion` field: only [`PLATFORM_API_VERSION`] is accepted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiVersion {
    /// `goldpath.dev/v1alpha1`.
    #[default]
    #[serde(rename = "goldpath.dev/v1alpha1")]
    V1alpha1,
}

impl ApiVersion {
    /// The version as written in documents.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1alpha1 => PLATFORM_API_VERSION,
        }
    }
}

/// The `metadata` of a platform document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// The document's name, a DNS-1123 label, unique per kind (per application for
    /// environments).
    pub name: String,
    /// Labels for organising platform documents; not copied to rendered objects.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations for tools and people; not copied to rendered objects.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A platform document of one kind: the envelope around a `spec` of type `S`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Document<S> {
    /// Always [`PLATFORM_API_VERSION`].
    pub api_version: ApiVersion,
    /// The document's name and labels.
    pub metadata: Metadata,
    /// What the document says.
    pub spec: S,
}

/// An `EnvironmentType` document.
pub type EnvironmentType = Document<EnvironmentTypeSpec>;
/// A `ResourceDefinition` document.
pub type ResourceDefinition = Document<ResourceDefinitionSpec>;
/// A `Policy` document.
pub type Policy = Document<PolicySpec>;
/// A `RoleBinding` document.
pub type RoleBinding = Document<RoleBindingSpec>;
/// An `Environment` document.
pub type Environment = Document<EnvironmentSpec>;

/// Any platform document, told apart by its `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum PlatformDocument {
    /// The baseline of a kind of environment.
    EnvironmentType(EnvironmentType),
    /// How a resource type is provisioned, and where.
    ResourceDefinition(ResourceDefinition),
    /// Guardrails for environment types.
    Policy(Policy),
    /// A role on a scope for users and groups.
    RoleBinding(RoleBinding),
    /// An environment of an application.
    Environment(Environment),
}

impl PlatformDocument {
    /// The document's kind.
    #[must_use]
    pub fn kind(&self) -> PlatformKind {
        match self {
            Self::EnvironmentType(_) => PlatformKind::EnvironmentType,
            Self::ResourceDefinition(_) => PlatformKind::ResourceDefinition,
            Self::Policy(_) => PlatformKind::Policy,
            Self::RoleBinding(_) => PlatformKind::RoleBinding,
            Self::Environment(_) => PlatformKind::Environment,
        }
    }

    /// The document's metadata.
    #[must_use]
    pub fn metadata(&self) -> &Metadata {
        match self {
            Self::EnvironmentType(d) => &d.metadata,
            Self::ResourceDefinition(d) => &d.metadata,
            Self::Policy(d) => &d.metadata,
            Self::RoleBinding(d) => &d.metadata,
            Self::Environment(d) => &d.metadata,
        }
    }

    /// The document's `metadata.name`.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.metadata().name
    }
}

/// The kinds of platform document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlatformKind {
    /// `EnvironmentType`.
    EnvironmentType,
    /// `ResourceDefinition`.
    ResourceDefinition,
    /// `Policy`.
    Policy,
    /// `RoleBinding`.
    RoleBinding,
    /// `Environment`.
    Environment,
}

impl PlatformKind {
    /// Every kind, in the order documents of a platform are usually read.
    pub const ALL: [Self; 5] = [
        Self::EnvironmentType,
        Self::ResourceDefinition,
        Self::Policy,
        Self::RoleBinding,
        Self::Environment,
    ];

    /// The kind as written in documents (`EnvironmentType`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EnvironmentType => "EnvironmentType",
            Self::ResourceDefinition => "ResourceDefinition",
            Self::Policy => "Policy",
            Self::RoleBinding => "RoleBinding",
            Self::Environment => "Environment",
        }
    }
}

impl fmt::Display for PlatformKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
