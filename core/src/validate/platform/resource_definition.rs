//! Rules for `ResourceDefinition` documents.

use super::{check_label, check_resource_id, spec_path};
use crate::spec::platform::{Criterion, ResourceDefinitionSpec, STATIC_DRIVER, TEMPLATE_DRIVER};
use crate::validate::Findings;
use crate::{DocPath, ErrorKind, ResourceKey};

pub(super) fn check(spec: &ResourceDefinitionSpec, findings: &mut Findings) {
    check_label(
        findings,
        spec_path("type"),
        "the resource type",
        &spec.resource_type,
    );
    check_criteria(&spec.criteria, findings);
    check_provision(spec, findings);
    check_driver(spec, findings);
    check_expected(spec, findings);
}

/// The path of the criterion at `index`.
pub(super) fn criterion_path(index: usize) -> DocPath {
    spec_path("criteria").index(index)
}

fn check_criteria(criteria: &[Criterion], findings: &mut Findings) {
    for (i, criterion) in criteria.iter().enumerate() {
        let path = criterion_path(i);
        let labels = [
            (
                "envType",
                "the environment type",
                criterion.env_type.as_deref(),
            ),
            ("env", "the environment", criterion.env.as_deref()),
            ("app", "the application", criterion.app.as_deref()),
            ("class", "the class", Some(criterion.class.as_str())),
        ];
        for (key, what, value) in labels {
            if let Some(value) = value {
                check_label(findings, path.clone().key(key), what, value);
            }
        }
        if let Some(res_id) = &criterion.res_id {
            check_resource_id(findings, path.clone().key("resId"), res_id);
        }
        if let Some(first) = criteria[..i].iter().position(|c| c == criterion) {
            findings.push(
                ErrorKind::Invalid,
                path,
                format!(
                    "criterion {} repeats criterion [{first}] of this definition: remove one",
                    criterion
                ),
            );
        }
    }
}

/// Whether a co-provisioning key, inheriting class and id, names a resource of
/// `resource_type` itself.
fn names_itself(key: &ResourceKey, resource_type: &str) -> bool {
    key.resource_type() == resource_type && key.written_class().is_none() && key.id().is_none()
}

fn check_provision(spec: &ResourceDefinitionSpec, findings: &mut Findings) {
    for key in spec.provision.keys() {
        let path = spec_path("provision").key(key.as_str());
        match ResourceKey::parse_text(key) {
            Err(message) => findings.push(ErrorKind::Name, path, message),
            Ok(parsed) if names_itself(&parsed, &spec.resource_type) => findings.push(
                ErrorKind::Invalid,
                path,
                format!(
                    "`{key}` inherits this resource's class and id, so it names this very \
                     resource: give the co-provisioned one a class or an id (`{key}#other`)"
                ),
            ),
            Ok(_) => {}
        }
    }
}

fn check_driver(spec: &ResourceDefinitionSpec, findings: &mut Findings) {
    let has_templates = spec.templates.as_ref().is_some_and(|t| !t.is_empty());
    match spec.driver.as_str() {
        TEMPLATE_DRIVER if !has_templates => findings.push(
            ErrorKind::Invalid,
            spec_path("templates"),
            "the `template` driver needs at least one of `templates.outputs`, \
             `templates.secrets` and `templates.manifests`",
        ),
        STATIC_DRIVER => check_static(spec, findings),
        "cmd" | "http" => super::world_driver::check(spec, findings),
        _ => {}
    }
}

/// The `static` driver's outputs are its inputs, so it needs inputs and renders nothing.
fn check_static(spec: &ResourceDefinitionSpec, findings: &mut Findings) {
    if spec.templates.is_some() {
        findings.push(
            ErrorKind::Invalid,
            spec_path("templates"),
            "the `static` driver renders no templates: put the outputs in `inputs.values` and \
             `inputs.secrets`, or use `driver: template`",
        );
    }
    if spec.inputs.is_empty() {
        findings.push(
            ErrorKind::Invalid,
            spec_path("inputs"),
            "the `static` driver's outputs are its inputs: set `inputs.values` and/or \
             `inputs.secrets`",
        );
    }
    for name in spec
        .inputs
        .secrets
        .keys()
        .filter(|k| spec.inputs.values.contains_key(*k))
    {
        findings.push(
            ErrorKind::Invalid,
            spec_path("inputs").key("secrets").key(name.as_str()),
            format!("`{name}` is both a value and a secret: keep it in one of the two"),
        );
    }
    let values = |name: &str| spec.inputs.values.contains_key(name);
    let secrets = |name: &str| spec.inputs.secrets.contains_key(name);
    check_promised(
        findings,
        "expectedOutputs",
        &spec.expected_outputs,
        "values",
        values,
    );
    check_promised(
        findings,
        "expectedSecrets",
        &spec.expected_secrets,
        "secrets",
        secrets,
    );
}

/// Records every name of `spec.<key>` that `present` says the `inputs.<inputs>` lack.
fn check_promised(
    findings: &mut Findings,
    key: &str,
    names: &[String],
    inputs: &str,
    present: impl Fn(&str) -> bool,
) {
    for (i, name) in names.iter().enumerate().filter(|(_, name)| !present(name)) {
        findings.push(
            ErrorKind::Invalid,
            spec_path(key).index(i),
            format!(
                "`{name}` is promised but `inputs.{inputs}` has no `{name}`: add it there, or \
                 remove it from `{key}`"
            ),
        );
    }
}

fn check_expected(spec: &ResourceDefinitionSpec, findings: &mut Findings) {
    for (i, name) in spec.expected_secrets.iter().enumerate() {
        if spec.expected_outputs.contains(name) {
            findings.push(
                ErrorKind::Invalid,
                spec_path("expectedSecrets").index(i),
                format!(
                    "`{name}` is listed as an output and as a secret: an output is one or the \
                     other"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_names_itself_only_when_it_inherits_class_and_id() {
        let key = |k: &str| k.parse::<ResourceKey>().unwrap();
        assert!(names_itself(&key("route"), "route"));
        assert!(!names_itself(&key("route.default"), "route"));
        assert!(!names_itself(&key("route#other"), "route"));
        assert!(!names_itself(&key("dns"), "route"));
    }

    #[test]
    fn criteria_are_described_as_written() {
        let criterion = Criterion {
            env_type: Some("production".into()),
            env: None,
            app: Some("shop".into()),
            res_id: None,
            class: "default".into(),
        };
        assert_eq!(criterion.to_string(), "{envType: production, app: shop}");
        let large = Criterion {
            class: "large".into(),
            ..criterion
        };
        assert_eq!(
            large.to_string(),
            "{envType: production, app: shop, class: large}"
        );
    }
}
