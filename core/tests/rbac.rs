//! Access decisions: a table of (principal, action, target) cases against the sample
//! platform's role bindings plus a few more, with the decision and the binding expected.

#[path = "common/fixtures.rs"]
mod fixtures;

use goldpath::ErrorKind;
use goldpath::load::Loader;
use goldpath::platform::Platform;
use goldpath::rbac::{Action, Principal, Target, authorize, bindings_configured};
use goldpath::spec::platform::PlatformKind;

/// Bindings added to `fixtures/platform` for the table.
fn extra() -> String {
    [
        ("shop-support", "vic", "viewer", "{app: shop}"),
        (
            "dora-deploys-production",
            "dora",
            "deployer",
            "{envType: production}",
        ),
        ("billing-developers", "bob", "developer", "{app: billing}"),
        (
            "bob-deploys-previews",
            "bob",
            "deployer",
            "{envType: qa-light}",
        ),
    ]
    .map(|(name, user, role, scope)| fixtures::role_binding(name, user, role, scope))
    .join("---\n")
}

fn platform() -> Platform {
    let dir = fixtures::repo().join("fixtures/platform");
    let mut docs = Loader::default().path(&dir).unwrap().platform;
    // the extra bindings name environment types, which are checked within one input
    let types = std::fs::read_to_string(dir.join("environment-types.yaml")).unwrap();
    let extra = Loader::default().str(&format!("{types}\n---\n{}", extra()), None);
    let extra = extra.unwrap().platform.into_iter();
    docs.extend(extra.filter(|l| l.document.kind() == PlatformKind::RoleBinding));
    Platform::from_documents(docs.into_iter().map(|l| l.document))
}

fn principal(spec: &str) -> Principal {
    let mut parts = spec.split('+');
    let mut principal = Principal::user(parts.next().unwrap());
    for group in parts {
        principal = principal.in_group(group);
    }
    principal
}

fn target(app: &str, env_type: &str) -> Target {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Target {
        app: some(app),
        env: some(env_type),
        env_type: some(env_type),
    }
}

use Action::{
    CreateEnvironment, DeleteEnvironment, Deploy, ManageMembers, ManagePlatform, Plan, Promote,
    ReadSecrets, Rollback, View,
};

/// `user+group+group`, action, app, env type, the binding expected to grant (None: denied).
#[rustfmt::skip]
const CASES: &[(&str, Action, &str, &str, Option<&str>)] = &[
    // a developer of shop (through the group shop-team)
    ("sam+shop-team", View, "shop", "", Some("shop-developers")),
    ("sam+shop-team", Plan, "shop", "production", Some("shop-developers")),
    ("sam+shop-team", Deploy, "shop", "qa-light", Some("shop-team-deploys-previews")),
    ("sam+shop-team", Deploy, "shop", "development", Some("shop-team-deploys-development")),
    ("sam+shop-team", Rollback, "shop", "qa-light", Some("shop-team-deploys-previews")),
    ("sam+shop-team", Promote, "shop", "qa-light", Some("shop-team-deploys-previews")),
    ("sam+shop-team", CreateEnvironment, "shop", "qa-light", Some("shop-developers")),
    ("sam+shop-team", ReadSecrets, "shop", "qa-light", Some("shop-developers")),
    // ... without deployer on production or staging, cannot promote or deploy into them
    ("sam+shop-team", Promote, "shop", "production", None),
    ("sam+shop-team", Deploy, "shop", "production", None),
    ("sam+shop-team", Rollback, "shop", "staging", None),
    ("sam+shop-team", DeleteEnvironment, "shop", "qa-light", None),
    ("sam+shop-team", ManageMembers, "shop", "", None),
    ("sam+shop-team", ManagePlatform, "", "", None),
    // ... and nothing at all on another app
    ("sam+shop-team", View, "billing", "", None),
    ("sam+shop-team", Deploy, "billing", "qa-light", None),
    // the developer of billing cannot deploy shop, even with deployer on qa-light
    ("bob", Deploy, "shop", "qa-light", None),
    ("bob", View, "shop", "", None),
    ("bob", Deploy, "billing", "qa-light", Some("bob-deploys-previews")),
    ("bob", Deploy, "billing", "production", None),
    // the owner of shop manages it but deploys nowhere without deployer
    ("ada", ManageMembers, "shop", "", Some("shop-owner")),
    ("ada", DeleteEnvironment, "shop", "qa-light", Some("shop-owner")),
    ("ada", ReadSecrets, "shop", "production", Some("shop-owner")),
    ("ada", Deploy, "shop", "qa-light", None),
    ("ada", ManagePlatform, "", "", None),
    // owner plus a group with deployer on production
    ("ada+release-managers", Promote, "shop", "production", Some("release-managers")),
    // a release manager who is a developer of shop promotes into production
    ("rita+shop-team+release-managers", Promote, "shop", "production", Some("release-managers")),
    ("rita+shop-team+release-managers", Deploy, "shop", "production", Some("release-managers")),
    ("rita+shop-team+release-managers", Deploy, "shop", "staging", None),
    // deployer on a type without an app role cannot deploy
    ("dora", Deploy, "shop", "production", None),
    ("dora", Promote, "shop", "production", None),
    ("dora", View, "shop", "", None),
    ("carl+release-managers", Rollback, "shop", "production", None),
    // a viewer views and nothing more: no secrets
    ("vic", View, "shop", "production", Some("shop-support")),
    ("vic", ReadSecrets, "shop", "production", None),
    ("vic", Plan, "shop", "qa-light", None),
    ("vic", CreateEnvironment, "shop", "qa-light", None),
    // a viewer who also deploys to production still may not deploy
    ("vic+release-managers", Deploy, "shop", "production", None),
    // platform-admin can do everything, on any app
    ("pat+platform-team", ManagePlatform, "", "", Some("platform-admins")),
    ("pat+platform-team", Deploy, "billing", "production", Some("platform-admins")),
    ("pat+platform-team", Promote, "shop", "production", Some("platform-admins")),
    ("pat+platform-team", ReadSecrets, "shop", "production", Some("platform-admins")),
    ("pat+platform-team", DeleteEnvironment, "shop", "qa-42", Some("platform-admins")),
    ("pat+platform-team", ManageMembers, "anything", "", Some("platform-admins")),
    // groups bind by group id only: a user named like a group gets nothing
    ("shop-team", View, "shop", "", None),
    ("platform-team", ManagePlatform, "", "", None),
    // nobody gets anything; a target without an app is denied for app actions
    ("nobody", View, "shop", "", None),
    ("nobody", ManagePlatform, "", "", None),
    ("sam+shop-team", View, "", "", None),
    ("sam+shop-team", Deploy, "shop", "", None),
];

#[test]
fn the_decision_table_holds() {
    let platform = platform();
    assert!(CASES.len() >= 40);
    for (who, action, app, env_type, expected) in CASES {
        let decision = authorize(&platform, &principal(who), *action, &target(app, env_type));
        let case = format!(
            "{who} {} app={app} type={env_type}: {decision:?}",
            action.as_str()
        );
        assert_eq!(decision.allowed, expected.is_some(), "{case}");
        assert_eq!(decision.binding.as_deref(), *expected, "{case}");
        assert!(!decision.reason.is_empty(), "{case}");
    }
}

#[test]
fn a_deploy_names_both_bindings_it_needed() {
    let decision = authorize(
        &platform(),
        &principal("sam+shop-team"),
        Deploy,
        &target("shop", "qa-light"),
    );
    assert_eq!(
        decision.bindings,
        ["shop-team-deploys-previews", "shop-developers"]
    );
}

#[test]
fn a_denied_promotion_says_what_is_missing() {
    let decision = authorize(
        &platform(),
        &principal("sam+shop-team"),
        Promote,
        &target("shop", "production"),
    );
    assert!(
        decision.reason.contains("deployer on `production`"),
        "{}",
        decision.reason
    );
    let error = decision.into_result().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Permission);
    let denied = authorize(
        &platform(),
        &principal("dora"),
        Deploy,
        &target("shop", "production"),
    );
    assert!(
        denied.reason.contains("needs the role developer"),
        "{}",
        denied.reason
    );
}

#[test]
fn an_allowed_decision_is_ok_and_serializes() {
    let decision = authorize(&platform(), &principal("vic"), View, &target("shop", ""));
    let json = serde_json::to_value(&decision).unwrap();
    assert_eq!(json["allowed"], true);
    assert_eq!(json["binding"], "shop-support");
    assert!(decision.into_result().is_ok());
}

#[test]
fn access_is_checked_only_when_bindings_exist() {
    assert!(bindings_configured(&platform()));
    assert!(!bindings_configured(&Platform::default()));
    let nothing = authorize(
        &Platform::default(),
        &principal("pat"),
        View,
        &target("shop", ""),
    );
    assert!(!nothing.allowed);
}

#[test]
fn actions_read_back_from_their_names() {
    for action in Action::ALL {
        assert_eq!(action.as_str().parse::<Action>(), Ok(action));
    }
    assert!(
        "destroy"
            .parse::<Action>()
            .unwrap_err()
            .message()
            .contains("read-secrets")
    );
}

mod laws {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    /// Loaded once: the laws run hundreds of cases.
    static PLATFORM: LazyLock<Platform> = LazyLock::new(platform);

    const USERS: [&str; 6] = ["sam", "ada", "vic", "dora", "bob", "pat"];
    const GROUPS: [&str; 4] = ["shop-team", "release-managers", "platform-team", "support"];
    const APPS: [&str; 3] = ["shop", "billing", ""];
    const TYPES: [&str; 5] = ["development", "qa-light", "staging", "production", ""];

    fn case() -> impl Strategy<Value = (Principal, Action, Target, usize)> {
        (
            0..USERS.len(),
            proptest::collection::vec(0..GROUPS.len(), 0..3),
            0..Action::ALL.len(),
            0..APPS.len(),
            0..TYPES.len(),
            0..GROUPS.len(),
        )
            .prop_map(|(user, groups, action, app, env_type, extra)| {
                let mut principal = Principal::user(USERS[user]);
                for g in groups {
                    principal = principal.in_group(GROUPS[g]);
                }
                (
                    principal,
                    Action::ALL[action],
                    target(APPS[app], TYPES[env_type]),
                    extra,
                )
            })
    }

    proptest! {
        /// Joining a group never takes a permission away.
        #[test]
        fn more_groups_never_deny_what_was_allowed((principal, action, target, extra) in case()) {
            let platform = &*PLATFORM;
            let before = authorize(platform, &principal, action, &target);
            let after = authorize(platform, &principal.clone().in_group(GROUPS[extra]), action, &target);
            prop_assert!(!before.allowed || after.allowed);
        }

        /// A platform admin may do anything; an allow always names the binding behind it.
        #[test]
        fn admins_may_do_anything((principal, action, target, _) in case()) {
            let platform = &*PLATFORM;
            let admin = principal.clone().in_group("platform-team");
            prop_assert!(authorize(platform, &admin, action, &target).allowed);
            let decision = authorize(platform, &principal, action, &target);
            prop_assert_eq!(decision.allowed, decision.binding.is_some());
        }
    }
}
