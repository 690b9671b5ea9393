use serde_json::{Value, json};

use super::*;

fn doc(kind: &str, name: &str, spec: Value) -> PlatformDocument {
    serde_json::from_value(json!({
        "apiVersion": "goldpath.dev/v1alpha1",
        "kind": kind,
        "metadata": {"name": name},
        "spec": spec,
    }))
    .unwrap_or_else(|e| panic!("test document does not deserialize: {e}"))
}

/// The paths of the findings of one document, as strings.
fn paths(doc: &PlatformDocument) -> Vec<String> {
    validate_document(doc)
        .as_slice()
        .iter()
        .map(|f| f.path.to_string())
        .collect()
}

/// The (document index, path) of the findings of a set.
fn set_paths(docs: &[PlatformDocument]) -> Vec<(usize, String)> {
    validate_set(docs)
        .into_iter()
        .map(|(i, f)| (i, f.path.to_string()))
        .collect()
}

fn env_type(name: &str, spec: Value) -> PlatformDocument {
    doc("EnvironmentType", name, spec)
}

fn definition(name: &str, spec: Value) -> PlatformDocument {
    doc("ResourceDefinition", name, spec)
}

#[test]
fn document_names_must_be_labels() {
    let d = doc(
        "Environment",
        "QA_42",
        json!({"app": "shop", "type": "qa-light"}),
    );
    let findings = validate_document(&d);
    assert_eq!(findings.as_slice()[0].kind, ErrorKind::Name);
    assert_eq!(paths(&d), ["metadata.name"]);
}

#[test]
fn namespace_patterns_only_use_context_placeholders_and_give_labels() {
    let ok = env_type(
        "p",
        json!({"namespace": "${context.app.id}-${context.env.type}"}),
    );
    assert!(validate_document(&ok).is_empty());
    let escaped = env_type("p", json!({"namespace": "a-$${context.app.id}"}));
    assert_eq!(paths(&escaped), ["spec.namespace"]);
    let unknown = env_type(
        "p",
        json!({"namespace": "${metadata.name}-${context.res.id}"}),
    );
    let findings = validate_document(&unknown);
    assert_eq!(findings.as_slice().len(), 2);
    assert!(
        findings
            .as_slice()
            .iter()
            .all(|f| f.kind == ErrorKind::Placeholder)
    );
    assert!(findings.as_slice()[0].message.contains("${metadata.name}"));
    let open = env_type("p", json!({"namespace": "ns-${context.app.id"}));
    assert_eq!(
        validate_document(&open).as_slice()[0].kind,
        ErrorKind::Placeholder
    );
    let upper = env_type("p", json!({"namespace": "Shop-${context.env.id}"}));
    assert_eq!(
        validate_document(&upper).as_slice()[0].kind,
        ErrorKind::Name
    );
}

#[test]
fn restricted_pod_security_needs_a_restricted_security_context() {
    let weak = env_type(
        "p",
        json!({"podSecurity": "restricted", "securityContext": "baseline"}),
    );
    assert_eq!(paths(&weak), ["spec.securityContext"]);
    let unset = env_type("p", json!({"podSecurity": "restricted"}));
    assert_eq!(paths(&unset), ["spec.securityContext"]);
    let good = env_type(
        "p",
        json!({"podSecurity": "restricted", "securityContext": "restricted"}),
    );
    assert!(validate_document(&good).is_empty());
    let privileged = env_type(
        "p",
        json!({"podSecurity": "baseline", "securityContext": {"container": {"privileged": true}}}),
    );
    assert_eq!(
        paths(&privileged),
        ["spec.securityContext.container.privileged"]
    );
    let allowed = env_type(
        "p",
        json!({"podSecurity": "privileged",
               "securityContext": {"container": {"privileged": true}}}),
    );
    assert!(validate_document(&allowed).is_empty());
}

#[test]
fn disruption_budgets_must_allow_evictions() {
    let cases = [
        (
            json!({"replicas": 2, "podDisruptionBudget": {"minAvailable": 1}}),
            None,
        ),
        (
            json!({"replicas": 2, "podDisruptionBudget": {"minAvailable": 2}}),
            Some("minAvailable"),
        ),
        (
            json!({"replicas": 2, "podDisruptionBudget": {"maxUnavailable": 0}}),
            Some("maxUnavailable"),
        ),
        (
            json!({"podDisruptionBudget": {"minAvailable": "100%"}}),
            Some("minAvailable"),
        ),
        (
            json!({"podDisruptionBudget": {"maxUnavailable": "0%"}}),
            Some("maxUnavailable"),
        ),
        (
            json!({"podDisruptionBudget": {"maxUnavailable": "150%"}}),
            Some("maxUnavailable"),
        ),
        (
            json!({"podDisruptionBudget": {"minAvailable": "50%"}}),
            None,
        ),
        (json!({"podDisruptionBudget": {}}), Some("")),
        (json!({"podDisruptionBudget": true}), None),
    ];
    for (spec, failing) in cases {
        let expected: Vec<String> = failing
            .map(|k| {
                format!(
                    "spec.podDisruptionBudget{}",
                    if k.is_empty() { "" } else { "." }
                ) + k
            })
            .into_iter()
            .collect();
        assert_eq!(paths(&env_type("p", spec.clone())), expected, "{spec}");
    }
}

#[test]
fn resource_definitions_check_type_criteria_and_duplicate_criteria() {
    let d = definition(
        "pg",
        json!({
            "type": "Postgres", "driver": "template", "templates": {"outputs": "host: x"},
            "criteria": [
                {"envType": "dev"}, {"env": "QA"}, {"resId": "a..b"}, {"class": "Large"},
                {"envType": "dev", "class": "default"},
            ],
        }),
    );
    assert_eq!(
        paths(&d),
        [
            "spec.type",
            "spec.criteria[1].env",
            "spec.criteria[2].resId",
            "spec.criteria[3].class",
            "spec.criteria[4]",
        ]
    );
    let repeat = &validate_document(&d).into_vec()[4];
    assert!(repeat.message.contains("{envType: dev}") && repeat.message.contains("[0]"));
}

#[test]
fn definitions_without_criteria_are_not_a_finding() {
    let d = definition(
        "dns",
        json!({"type": "dns", "driver": "template", "templates": {"outputs": "host: x"}}),
    );
    assert!(validate_document(&d).is_empty());
}

#[test]
fn provision_keys_must_parse_and_must_not_name_the_resource_itself() {
    let d = definition(
        "s3",
        json!({
            "type": "s3", "driver": "template", "templates": {"outputs": "arn: x"},
            "provision": {"aws-policy": {}, "s3#base": {}, "s3": {}, "Bad.key": {}, "dns#": {}},
        }),
    );
    assert_eq!(
        paths(&d),
        [
            r#"spec.provision["Bad.key"]"#,
            r#"spec.provision["dns#"]"#,
            "spec.provision.s3"
        ]
    );
}

#[test]
fn template_and_static_drivers_need_their_inputs() {
    let bare_template = definition("a", json!({"type": "dns", "driver": "template"}));
    assert_eq!(paths(&bare_template), ["spec.templates"]);
    let empty_templates = definition(
        "a",
        json!({"type": "dns", "driver": "template", "templates": {}}),
    );
    assert_eq!(paths(&empty_templates), ["spec.templates"]);
    let bare_static = definition("a", json!({"type": "dns", "driver": "static"}));
    assert_eq!(paths(&bare_static), ["spec.inputs"]);
    let static_with_templates = definition(
        "a",
        json!({"type": "dns", "driver": "static", "inputs": {"values": {"host": "h"}},
               "templates": {"outputs": "host: x"}}),
    );
    assert_eq!(paths(&static_with_templates), ["spec.templates"]);
    let host_driver = definition("a", json!({"type": "dns", "driver": "acme/dns"}));
    assert!(validate_document(&host_driver).is_empty());
}

#[test]
fn static_definitions_keep_their_promises_and_separate_values_from_secrets() {
    let d = definition(
        "a",
        json!({
            "type": "postgres", "driver": "static",
            "inputs": {"values": {"host": "h", "password": "x"}, "secrets": {"password": "p"}},
            "expectedOutputs": ["host", "port"], "expectedSecrets": ["password", "host"],
        }),
    );
    assert_eq!(
        paths(&d),
        [
            "spec.inputs.secrets.password",
            "spec.expectedOutputs[1]",
            "spec.expectedSecrets[1]",
            "spec.expectedSecrets[1]",
        ]
    );
}

#[test]
fn policy_rules_are_unique_and_their_bounds_consistent() {
    let d = doc(
        "Policy",
        "p",
        json!({
            "envTypes": ["production"],
            "rules": [
                {"rule": "max-replicas", "max": 3},
                {"rule": "min-replicas", "min": 4},
                {"rule": "max-replicas", "max": 5},
            ],
        }),
    );
    assert_eq!(paths(&d), ["spec.rules[1].min", "spec.rules[2].rule"]);
    let ok = doc(
        "Policy",
        "p",
        json!({"envTypes": ["production"], "rules": [
            {"rule": "min-replicas", "min": 3}, {"rule": "max-replicas", "max": 3}]}),
    );
    assert!(validate_document(&ok).is_empty());
}

#[test]
fn policy_params_that_the_schema_also_checks_are_checked_for_typed_documents() {
    let d = doc(
        "Policy",
        "p",
        json!({
            "envTypes": [],
            "rules": [
                {"rule": "allowed-registries", "registries": []},
                {"rule": "allowed-resources", "types": ["postgres"], "resources": [{"type": "S3"}]},
                {"rule": "allowed-resources", "severity": "warning"},
                {"rule": "require-limits", "resources": []},
            ],
        }),
    );
    assert_eq!(
        paths(&d),
        [
            "spec.envTypes",
            "spec.rules[0].registries",
            "spec.rules[1]",
            "spec.rules[1].resources[0].type",
            "spec.rules[2].rule",
            "spec.rules[2]",
            "spec.rules[3].resources",
        ]
    );
}

#[test]
fn role_binding_scope_matches_the_role() {
    let binding = |role: &str, scope: Value| {
        doc(
            "RoleBinding",
            "b",
            json!({"subjects": [{"kind": "Group", "name": "g"}], "role": role, "scope": scope}),
        )
    };
    assert!(validate_document(&binding("developer", json!({"app": "shop"}))).is_empty());
    assert!(validate_document(&binding("deployer", json!({"envType": "production"}))).is_empty());
    assert!(validate_document(&binding("platform-admin", json!({}))).is_empty());
    assert_eq!(paths(&binding("owner", json!({}))), ["spec.scope"]);
    assert_eq!(
        paths(&binding("viewer", json!({"app": "shop", "envType": "p"}))),
        ["spec.scope.envType"]
    );
    assert_eq!(
        paths(&binding("deployer", json!({"app": "shop"}))),
        ["spec.scope", "spec.scope.app"]
    );
    assert_eq!(
        paths(&binding("platform-admin", json!({"app": "shop"}))),
        ["spec.scope.app"]
    );
    assert_eq!(
        paths(&binding("developer", json!({"app": "Shop"}))),
        ["spec.scope.app"]
    );
    let nameless = doc(
        "RoleBinding",
        "b",
        json!({"subjects": [{"kind": "User", "name": " "}], "role": "platform-admin"}),
    );
    assert_eq!(paths(&nameless), ["spec.subjects[0].name"]);
}

#[test]
fn environments_name_labels_and_do_not_clone_themselves() {
    let d = doc(
        "Environment",
        "qa-42",
        json!({"app": "shop", "type": "qa-light", "from": "qa-42"}),
    );
    assert_eq!(paths(&d), ["spec.from"]);
    let bad = doc(
        "Environment",
        "qa-42",
        json!({"app": "Shop", "type": "qa light"}),
    );
    assert_eq!(paths(&bad), ["spec.app", "spec.type"]);
}

#[test]
fn set_rejects_two_documents_of_one_kind_and_name_but_allows_same_env_name_per_app() {
    let docs = [
        env_type("production", json!({})),
        doc(
            "Environment",
            "production",
            json!({"app": "shop", "type": "production"}),
        ),
        doc(
            "Environment",
            "production",
            json!({"app": "blog", "type": "production"}),
        ),
        env_type("production", json!({"replicas": 3})),
        doc(
            "Environment",
            "production",
            json!({"app": "shop", "type": "production"}),
        ),
    ];
    assert_eq!(
        set_paths(&docs),
        [(3, "metadata.name".into()), (4, "metadata.name".into())]
    );
    let findings = validate_set(&docs);
    assert!(findings[0].1.message.contains("documents 1 and 4"));
    assert!(findings[1].1.message.contains("application `shop`"));
}

#[test]
fn set_rejects_identical_criteria_across_definitions_of_one_type_naming_both() {
    let pg = |name: &str, criteria: Value| {
        definition(
            name,
            json!({"type": "postgres", "driver": "static", "inputs": {"values": {"host": "h"}},
                   "criteria": criteria}),
        )
    };
    let docs = [
        env_type("production", json!({})),
        pg("pg-a", json!([{"envType": "production"}, {"app": "shop"}])),
        pg(
            "pg-b",
            json!([{"envType": "production", "app": "shop"}, {"app": "shop", "class": "default"}]),
        ),
        definition(
            "dns",
            json!({"type": "dns", "driver": "static", "inputs": {"values": {"host": "h"}},
                                 "criteria": [{"app": "shop"}]}),
        ),
    ];
    let findings = validate_set(&docs);
    assert_eq!(set_paths(&docs), [(2, "spec.criteria[1]".into())]);
    let message = &findings[0].1.message;
    for part in ["pg-a", "pg-b", "{app: shop}", "[1]", "postgres"] {
        assert!(message.contains(part), "{message} lacks {part}");
    }
}

#[test]
fn set_rejects_references_to_unknown_environment_types() {
    let docs = [
        env_type("production", json!({})),
        doc(
            "Environment",
            "qa-42",
            json!({"app": "shop", "type": "qa-light"}),
        ),
        doc(
            "Policy",
            "p",
            json!({"envTypes": ["production", "prod"], "rules": [{"rule": "require-digest"}]}),
        ),
        definition(
            "d",
            json!({"type": "dns", "driver": "acme/dns", "criteria": [{}, {"envType": "stage"}]}),
        ),
        doc(
            "RoleBinding",
            "r",
            json!({"subjects": [{"kind": "User", "name": "u"}], "role": "deployer",
                                       "scope": {"envType": "staging"}}),
        ),
    ];
    assert_eq!(
        set_paths(&docs),
        [
            (1, "spec.type".into()),
            (2, "spec.envTypes[1]".into()),
            (3, "spec.criteria[1].envType".into()),
            (4, "spec.scope.envType".into()),
        ]
    );
    assert!(validate_set(&docs)[0].1.message.contains("`production`"));
    let lonely = [doc(
        "Environment",
        "qa-42",
        json!({"app": "shop", "type": "qa-light"}),
    )];
    assert!(
        validate_set(&lonely)[0]
            .1
            .message
            .contains("defines no EnvironmentType")
    );
}
