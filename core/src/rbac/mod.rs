//! Role-based access: who may do what, where (DESIGN.md §10).
//!
//! A [`Principal`] (a user and the groups the identity provider puts them in) asks to perform
//! an [`Action`] on a [`Target`]. `RoleBinding` documents of the platform grant roles; nothing
//! is allowed unless a binding grants it.

use serde::{Deserialize, Serialize};

/// Who is asking: a user id and the ids of the user's groups, as the caller's identity
/// provider gives them. goldpath does not authenticate; it trusts the caller for these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Principal {
    /// The user's id.
    pub user: String,
    /// The ids of the user's groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

impl Principal {
    /// A principal without groups.
    #[must_use]
    pub fn user(user: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            groups: Vec::new(),
        }
    }

    /// The same principal, also a member of `group`.
    #[must_use]
    pub fn in_group(mut self, group: impl Into<String>) -> Self {
        self.groups.push(group.into());
        self
    }
}

/// What a principal asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Read plans, records, history and diffs of an app.
    View,
    /// Plan (preview) an app in an environment.
    Plan,
    /// Deploy an app to an environment.
    Deploy,
    /// Roll an environment of an app back to an earlier record.
    Rollback,
    /// Promote an app into an environment (checked against the target environment).
    Promote,
    /// Create an environment of an app.
    CreateEnvironment,
    /// Delete an environment of an app.
    DeleteEnvironment,
    /// Add or remove the members (role bindings) of an app.
    ManageMembers,
    /// Change platform documents (definitions, environment types, policies, bindings).
    ManagePlatform,
    /// Read the secret outputs of an app's resources.
    ReadSecrets,
}

impl Action {
    /// Every action, in declaration order.
    pub const ALL: [Self; 10] = [
        Self::View,
        Self::Plan,
        Self::Deploy,
        Self::Rollback,
        Self::Promote,
        Self::CreateEnvironment,
        Self::DeleteEnvironment,
        Self::ManageMembers,
        Self::ManagePlatform,
        Self::ReadSecrets,
    ];

    /// The action as written on the command line and in JSON (`create-environment`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Plan => "plan",
            Self::Deploy => "deploy",
            Self::Rollback => "rollback",
            Self::Promote => "promote",
            Self::CreateEnvironment => "create-environment",
            Self::DeleteEnvironment => "delete-environment",
            Self::ManageMembers => "manage-members",
            Self::ManagePlatform => "manage-platform",
            Self::ReadSecrets => "read-secrets",
        }
    }
}

impl std::str::FromStr for Action {
    type Err = crate::Error;

    /// The action named `text`; an [`crate::ErrorKind::Invalid`] error lists the actions.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == text)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|a| a.as_str()).collect();
                crate::Error::new(
                    crate::ErrorKind::Invalid,
                    crate::Location::default(),
                    format!("unknown action `{text}`; actions: {}", known.join(", ")),
                )
            })
    }
}

/// Where the action applies. Fields that do not matter for an action are `None`
/// (`ManagePlatform` has no app; `View` has no environment type).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// The application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// The environment's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_type: Option<String>,
}

mod authorize;
mod decision;

pub use authorize::{authorize, bindings_configured};
pub use decision::Decision;
