//! `RoleBinding`: a role on a scope for users and groups.

use serde::{Deserialize, Serialize};

/// The `spec` of a `RoleBinding` document.
///
/// ```
/// use goldpath::spec::platform::{Role, RoleBindingSpec};
///
/// let spec: RoleBindingSpec = serde_json::from_value(serde_json::json!({
///     "subjects": [{"kind": "Group", "name": "platform-team"}],
///     "role": "platform-admin",
/// })).unwrap();
/// assert_eq!(spec.role, Role::PlatformAdmin);
/// assert_eq!(spec.scope.app, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RoleBindingSpec {
    /// Who gets the role.
    pub subjects: Vec<Subject>,
    /// The role granted.
    pub role: Role,
    /// Where the role applies: `{app}` for app roles, `{envType}` for `deployer`, empty for
    /// `platform-admin`.
    #[serde(default, skip_serializing_if = "RoleScope::is_empty")]
    pub scope: RoleScope,
}

/// A user or a group, by the stable id the caller's identity provider gives it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Subject {
    /// Whether `name` is a user or a group.
    pub kind: SubjectKind,
    /// The user's or group's id.
    pub name: String,
}

/// The kinds of subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SubjectKind {
    /// One person or service identity.
    User,
    /// A group of the identity provider.
    Group,
}

/// The roles goldpath knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Read an application's environments, plans and deployments.
    Viewer,
    /// Viewer, plus change workloads and create environments (deploying needs `deployer`).
    Developer,
    /// Developer, plus manage the application's bindings and delete it.
    Owner,
    /// Deploy, roll back and promote into environments of one environment type.
    Deployer,
    /// Everything, including platform documents.
    PlatformAdmin,
}

impl Role {
    /// The role as written in documents (`platform-admin`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Developer => "developer",
            Self::Owner => "owner",
            Self::Deployer => "deployer",
            Self::PlatformAdmin => "platform-admin",
        }
    }
}

/// Where a role applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RoleScope {
    /// The application, for `viewer`, `developer` and `owner`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The environment type, for `deployer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_type: Option<String>,
}

impl RoleScope {
    /// Whether the scope names nothing (the scope of `platform-admin`).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.app.is_none() && self.env_type.is_none()
    }
}
