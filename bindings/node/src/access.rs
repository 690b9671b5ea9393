//! Access control: `authorize(platform, principal, action, target)`.

use goldpath::rbac::{self, Action, Target};
use napi::Env;
use napi::bindgen_prelude::Either;
use napi_derive::napi;
use serde_json::{Value, json};

use crate::failure::{Failure, guarded};
use crate::platform::Platform;

/// Who acts: a user id and the user's groups, as the caller's identity provider gives them.
#[napi(object)]
#[derive(Clone)]
pub struct Principal {
    /// The user's id.
    pub user: String,
    /// The ids of the user's groups.
    pub groups: Option<Vec<String>>,
}

/// A principal given as `{user, groups}` or as a user id without groups.
pub type PrincipalArg = Either<String, Principal>;

/// The principal of a `{user, groups}` object or a user id.
pub fn principal_of(value: PrincipalArg) -> rbac::Principal {
    match value {
        Either::A(user) => rbac::Principal::user(user),
        Either::B(p) => rbac::Principal {
            user: p.user,
            groups: p.groups.unwrap_or_default(),
        },
    }
}

/// What an action is done to: the application, the environment and its type.
#[napi(object)]
#[derive(Clone, Default)]
pub struct AccessTarget {
    /// The application.
    pub app: Option<String>,
    /// The environment.
    pub env: Option<String>,
    /// The environment's type.
    pub env_type: Option<String>,
}

/// Decides whether `principal` may perform `action` (`view`, `plan`, `deploy`, `rollback`,
/// `promote`, `create-environment`, `delete-environment`, `manage-members`,
/// `manage-platform`, `read-secrets`) on `target` under the platform's `RoleBinding`
/// documents: `{allowed, binding, bindings, reason}`. An unknown action throws
/// `GOLDPATH_INVALID`.
#[napi(ts_return_type = "Decision")]
pub fn authorize(
    env: Env,
    platform: &Platform,
    #[napi(ts_arg_type = "string | Principal")] principal: PrincipalArg,
    action: String,
    target: Option<AccessTarget>,
) -> napi::Result<Value> {
    let principal = principal_of(principal);
    let target = target.unwrap_or_default();
    let target = Target {
        app: target.app,
        env: target.env,
        env_type: target.env_type,
    };
    guarded(|| {
        let action: Action = action.parse()?;
        let decision = rbac::authorize(platform.engine().platform(), &principal, action, &target);
        Ok(json!({
            "allowed": decision.allowed,
            "binding": decision.binding,
            "bindings": decision.bindings,
            "reason": decision.reason,
        }))
    })
    .map_err(|f: Failure| f.into_js(&env))
}
