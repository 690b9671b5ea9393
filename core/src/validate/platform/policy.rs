//! Rules for `Policy` documents.

use super::{check_label, spec_path};
use crate::spec::platform::{AllowedResources, PolicyRule, PolicySpec};
use crate::validate::Findings;
use crate::{DocPath, ErrorKind};

pub(super) fn check(spec: &PolicySpec, findings: &mut Findings) {
    if spec.env_types.is_empty() {
        findings.push(
            ErrorKind::Invalid,
            spec_path("envTypes"),
            "a policy without environment types checks nothing: name at least one",
        );
    }
    for (i, env_type) in spec.env_types.iter().enumerate() {
        check_label(
            findings,
            spec_path("envTypes").index(i),
            "the environment type",
            env_type,
        );
    }
    if spec.rules.is_empty() {
        findings.push(
            ErrorKind::Invalid,
            spec_path("rules"),
            "add at least one rule",
        );
    }
    for (i, rule) in spec.rules.iter().enumerate() {
        let path = spec_path("rules").index(i);
        if let Some(first) = spec.rules[..i].iter().position(|r| r.id() == rule.id()) {
            findings.push(
                ErrorKind::Invalid,
                path.clone().key("rule"),
                format!(
                    "`{}` is already rule [{first}] of this policy: merge the two",
                    rule.id()
                ),
            );
        }
        check_params(rule, &path, findings);
        check_min_below_max(rule, max_replicas(spec), &path, findings);
    }
}

fn check_params(rule: &PolicyRule, path: &DocPath, findings: &mut Findings) {
    match rule {
        PolicyRule::RequireLimits(r) if r.resources.is_empty() => findings.push(
            ErrorKind::Invalid,
            path.clone().key("resources"),
            "name the resources that need a limit (`cpu`, `memory`), or remove `resources`",
        ),
        PolicyRule::AllowedRegistries(r) if r.registries.is_empty() => findings.push(
            ErrorKind::Invalid,
            path.clone().key("registries"),
            "an empty list forbids every image: name at least one registry",
        ),
        PolicyRule::AllowedResources(r) => check_allowed_resources(r, path, findings),
        _ => {}
    }
}

fn check_allowed_resources(rule: &AllowedResources, path: &DocPath, findings: &mut Findings) {
    let by_lists = !rule.types.is_empty() || !rule.classes.is_empty();
    if by_lists != rule.resources.is_empty() {
        findings.push(
            ErrorKind::Invalid,
            path.clone(),
            "set either `types` and/or `classes`, or `resources`, not both and not neither",
        );
    }
    for (key, names) in [("types", &rule.types), ("classes", &rule.classes)] {
        for (i, name) in names.iter().enumerate() {
            check_label(findings, path.clone().key(key).index(i), "the name", name);
        }
    }
    for (i, selector) in rule.resources.iter().enumerate() {
        let at = path.clone().key("resources").index(i);
        check_label(
            findings,
            at.clone().key("type"),
            "the type",
            &selector.resource_type,
        );
        if let Some(class) = &selector.class {
            check_label(findings, at.key("class"), "the class", class);
        }
    }
}

/// The `max` of the policy's `max-replicas` rule, if it has one.
fn max_replicas(spec: &PolicySpec) -> Option<u32> {
    spec.rules.iter().find_map(|r| match r {
        PolicyRule::MaxReplicas(r) => Some(r.max),
        _ => None,
    })
}

/// A `min-replicas` above a `max-replicas` of the same policy can never be satisfied.
fn check_min_below_max(
    rule: &PolicyRule,
    max: Option<u32>,
    path: &DocPath,
    findings: &mut Findings,
) {
    let (PolicyRule::MinReplicas(rule), Some(max)) = (rule, max) else {
        return;
    };
    if rule.min > max {
        findings.push(
            ErrorKind::Invalid,
            path.clone().key("min"),
            format!(
                "`min: {}` is above the `max: {max}` of this policy's max-replicas rule, so no \
                 workload can pass: lower `min` or raise `max`",
                rule.min
            ),
        );
    }
}
