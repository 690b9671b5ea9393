//! The access decision: deny by default, allow when the principal's bindings grant the
//! action on the target.
//!
//! - `platform-admin` may do everything.
//! - App roles, on the application of the target: `viewer` may view; `developer` may also
//!   plan, create environments and read secret outputs; `owner` may also delete environments
//!   and manage the app's members.
//! - Deploy, rollback and promote need `developer` (or `owner`) on the app *and* `deployer` on
//!   the target's environment type (for promote: the type of the environment promoted into).
//!   `deployer` alone grants nothing.
//! - Managing platform documents needs `platform-admin`.

use super::{Action, Decision, Principal, Target};
use crate::platform::Platform;
use crate::spec::platform::{Role, RoleBindingSpec, SubjectKind};

/// A binding held by the principal: its name and spec.
type Held<'a> = (&'a str, &'a RoleBindingSpec);

/// Whether the platform has any `RoleBinding`: callers check access only then.
#[must_use]
pub fn bindings_configured(platform: &Platform) -> bool {
    !platform.role_bindings().is_empty()
}

/// Decides whether `principal` may perform `action` on `target` under the platform's
/// `RoleBinding` documents. Bindings are considered by name, so the binding reported is the
/// first, by name, of those that grant.
///
/// ```
/// use goldpath::load::Loader;
/// use goldpath::platform::Platform;
/// use goldpath::rbac::{Action, Principal, Target, authorize};
///
/// let text = "apiVersion: goldpath.dev/v1alpha1\nkind: RoleBinding\nmetadata: {name: shop-viewers}\nspec:\n  subjects: [{kind: Group, name: support}]\n  role: viewer\n  scope: {app: shop}\n";
/// let docs = Loader::default().str(text, None).unwrap();
/// let platform = Platform::from_documents(docs.platform.into_iter().map(|l| l.document));
/// let target = Target { app: Some("shop".into()), ..Target::default() };
/// let eve = Principal::user("eve").in_group("support");
/// assert!(authorize(&platform, &eve, Action::View, &target).allowed);
/// assert!(!authorize(&platform, &eve, Action::ReadSecrets, &target).allowed);
/// ```
#[must_use]
pub fn authorize(
    platform: &Platform,
    principal: &Principal,
    action: Action,
    target: &Target,
) -> Decision {
    let held: Vec<Held<'_>> = platform
        .role_bindings()
        .iter()
        .filter(|(_, spec)| binds(spec, principal))
        .map(|(name, spec)| (name.as_str(), spec))
        .collect();
    let who = describe(principal);
    if let Some((name, _)) = held.iter().find(|(_, s)| s.role == Role::PlatformAdmin) {
        return Decision::allow(
            vec![(*name).to_owned()],
            format!("{who} is platform-admin through `{name}`"),
        );
    }
    if action == Action::ManagePlatform {
        return Decision::deny(format!(
            "managing platform documents needs the role platform-admin, which {who} does not have"
        ));
    }
    let Some(app) = target.app.as_deref() else {
        return Decision::deny(format!(
            "`{}` applies to an application and the target names none",
            action.as_str()
        ));
    };
    let needed = app_role_needed(action);
    let Some((app_binding, app_role)) = app_grant(&held, app, needed) else {
        return Decision::deny(format!(
            "`{}` on app `{app}` needs the role {} (or above) on it; {who} has {}",
            action.as_str(),
            needed.as_str(),
            roles_on_app(&held, app)
        ));
    };
    if !needs_deployer(action) {
        return Decision::allow(
            vec![app_binding.to_owned()],
            format!(
                "{who} is {} of app `{app}` through `{app_binding}`",
                app_role.as_str()
            ),
        );
    }
    deployer_grant(&held, action, target, &who, (app, app_binding))
}

/// The decision for deploy, rollback and promote once the app role is there.
fn deployer_grant(
    held: &[Held<'_>],
    action: Action,
    target: &Target,
    who: &str,
    (app, app_binding): (&str, &str),
) -> Decision {
    let Some(env_type) = target.env_type.as_deref() else {
        return Decision::deny(format!(
            "`{}` needs the environment type of the target environment, and the target names none",
            action.as_str()
        ));
    };
    let deployer = held
        .iter()
        .find(|(_, s)| s.role == Role::Deployer && s.scope.env_type.as_deref() == Some(env_type));
    match deployer {
        Some((name, _)) => Decision::allow(
            vec![(*name).to_owned(), app_binding.to_owned()],
            format!(
                "{who} is deployer on environment type `{env_type}` through `{name}` and a member of app `{app}` through `{app_binding}`"
            ),
        ),
        None => Decision::deny(format!(
            "`{}` into an environment of type `{env_type}` needs the role deployer on `{env_type}`, which {who} does not have",
            action.as_str()
        )),
    }
}

/// Whether one of the binding's subjects is the principal or one of its groups.
fn binds(spec: &RoleBindingSpec, principal: &Principal) -> bool {
    spec.subjects.iter().any(|s| match s.kind {
        SubjectKind::User => s.name == principal.user,
        SubjectKind::Group => principal.groups.contains(&s.name),
    })
}

/// The least app role that allows `action` (deploy-like actions also need `deployer`).
fn app_role_needed(action: Action) -> Role {
    match action {
        Action::View => Role::Viewer,
        Action::DeleteEnvironment | Action::ManageMembers => Role::Owner,
        _ => Role::Developer,
    }
}

fn needs_deployer(action: Action) -> bool {
    matches!(action, Action::Deploy | Action::Rollback | Action::Promote)
}

/// The rank of an app role; other roles have none.
fn app_rank(role: Role) -> Option<u8> {
    match role {
        Role::Viewer => Some(1),
        Role::Developer => Some(2),
        Role::Owner => Some(3),
        Role::Deployer | Role::PlatformAdmin => None,
    }
}

/// The first held binding giving `needed` or a higher app role on `app`.
fn app_grant<'a>(held: &[Held<'a>], app: &str, needed: Role) -> Option<(&'a str, Role)> {
    let floor = app_rank(needed)?;
    held.iter()
        .filter(|(_, s)| s.scope.app.as_deref() == Some(app))
        .find(|(_, s)| app_rank(s.role).is_some_and(|rank| rank >= floor))
        .map(|(name, s)| (*name, s.role))
}

/// The principal's roles on `app`, for a denial's reason.
fn roles_on_app(held: &[Held<'_>], app: &str) -> String {
    let roles: Vec<String> = held
        .iter()
        .filter(|(_, s)| s.scope.app.as_deref() == Some(app))
        .map(|(name, s)| format!("{} through `{name}`", s.role.as_str()))
        .collect();
    if roles.is_empty() {
        "no role on it".to_owned()
    } else {
        roles.join(", ")
    }
}

/// `user `bob` (groups `a`, `b`)`.
fn describe(principal: &Principal) -> String {
    if principal.groups.is_empty() {
        return format!("user `{}`", principal.user);
    }
    let groups: Vec<String> = principal.groups.iter().map(|g| format!("`{g}`")).collect();
    format!("user `{}` (groups {})", principal.user, groups.join(", "))
}
