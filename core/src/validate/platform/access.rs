//! Rules for `RoleBinding` and `Environment` documents.

use super::{check_label, spec_path};
use crate::ErrorKind;
use crate::spec::platform::{EnvironmentSpec, Role, RoleBindingSpec};
use crate::validate::Findings;

pub(super) fn check_role_binding(spec: &RoleBindingSpec, findings: &mut Findings) {
    if spec.subjects.is_empty() {
        findings.push(
            ErrorKind::Invalid,
            spec_path("subjects"),
            "name at least one subject",
        );
    }
    for (i, subject) in spec.subjects.iter().enumerate() {
        if subject.name.trim().is_empty() {
            findings.push(
                ErrorKind::Name,
                spec_path("subjects").index(i).key("name"),
                "the subject's name is empty: use the id your identity provider gives it",
            );
        }
    }
    check_scope(spec, findings);
}

/// App roles take `{app}`, `deployer` takes `{envType}`, `platform-admin` takes nothing.
fn check_scope(spec: &RoleBindingSpec, findings: &mut Findings) {
    let role = spec.role.as_str();
    let scope = spec_path("scope");
    let (needed, forbidden): (Option<&str>, &[&str]) = match spec.role {
        Role::Viewer | Role::Developer | Role::Owner => (Some("app"), &["envType"]),
        Role::Deployer => (Some("envType"), &["app"]),
        Role::PlatformAdmin => (None, &["app", "envType"]),
    };
    let value = |key: &str| match key {
        "app" => spec.scope.app.as_deref(),
        _ => spec.scope.env_type.as_deref(),
    };
    if let Some(key) = needed {
        match value(key) {
            Some(name) => check_label(findings, scope.clone().key(key), "the scope", name),
            None => findings.push(
                ErrorKind::Invalid,
                scope.clone(),
                format!(
                    "the role `{role}` needs `scope.{key}`: name the {}",
                    noun(key)
                ),
            ),
        }
    }
    for key in forbidden.iter().copied().filter(|k| value(k).is_some()) {
        let hint = match needed {
            Some(needed) => format!("`{role}` is scoped by `{needed}` only"),
            None => format!("`{role}` applies everywhere"),
        };
        findings.push(
            ErrorKind::Invalid,
            scope.clone().key(key),
            format!("{hint}: remove `scope.{key}`"),
        );
    }
}

fn noun(key: &str) -> &'static str {
    if key == "app" {
        "application"
    } else {
        "environment type"
    }
}

pub(super) fn check_environment(name: &str, spec: &EnvironmentSpec, findings: &mut Findings) {
    check_label(findings, spec_path("app"), "the application", &spec.app);
    check_label(
        findings,
        spec_path("type"),
        "the environment type",
        &spec.env_type,
    );
    if let Some(from) = &spec.from {
        check_label(findings, spec_path("from"), "the environment", from);
        if from == name {
            findings.push(
                ErrorKind::Invalid,
                spec_path("from"),
                format!("the environment `{name}` cannot start from itself: name another one"),
            );
        }
    }
}
