use serde_json::{Value, json};

use super::*;

fn doc(kind: &str, spec: Value) -> Value {
    json!({
        "apiVersion": PLATFORM_API_VERSION,
        "kind": kind,
        "metadata": {"name": "sample"},
        "spec": spec,
    })
}

fn minimal_specs() -> Vec<(PlatformKind, Value)> {
    vec![
        (PlatformKind::EnvironmentType, json!({})),
        (
            PlatformKind::ResourceDefinition,
            json!({"type": "dns", "driver": "template"}),
        ),
        (
            PlatformKind::Policy,
            json!({"envTypes": ["production"], "rules": [{"rule": "require-digest"}]}),
        ),
        (
            PlatformKind::RoleBinding,
            json!({"subjects": [{"kind": "User", "name": "ada"}], "role": "platform-admin"}),
        ),
        (
            PlatformKind::Environment,
            json!({"app": "shop", "type": "development"}),
        ),
    ]
}

#[test]
fn every_kind_deserializes_from_the_whole_document_and_reports_its_kind_and_name() {
    for (kind, spec) in minimal_specs() {
        let parsed: PlatformDocument = serde_json::from_value(doc(kind.as_str(), spec)).unwrap();
        assert_eq!(parsed.kind(), kind);
        assert_eq!(parsed.name(), "sample");
    }
}

#[test]
fn serializing_writes_the_envelope_back_with_kind_and_api_version() {
    for (kind, spec) in minimal_specs() {
        let value = doc(kind.as_str(), spec);
        let parsed: PlatformDocument = serde_json::from_value(value).unwrap();
        let written = serde_json::to_value(&parsed).unwrap();
        assert_eq!(written["kind"], kind.as_str());
        assert_eq!(written["apiVersion"], PLATFORM_API_VERSION);
        let again: PlatformDocument = serde_json::from_value(written).unwrap();
        assert_eq!(again, parsed);
    }
}

#[test]
fn unknown_api_version_and_kind_are_rejected() {
    let mut value = doc("Environment", json!({"app": "shop", "type": "dev"}));
    value["apiVersion"] = json!("goldpath.dev/v1");
    assert!(serde_json::from_value::<PlatformDocument>(value).is_err());
    let value = doc("Cluster", json!({}));
    assert!(serde_json::from_value::<PlatformDocument>(value).is_err());
}

#[test]
fn unknown_fields_are_rejected_in_the_envelope_metadata_and_spec() {
    let mut extra_top = doc("EnvironmentType", json!({}));
    extra_top["status"] = json!({});
    let mut extra_meta = doc("EnvironmentType", json!({}));
    extra_meta["metadata"]["namespace"] = json!("x");
    let extra_spec = doc("EnvironmentType", json!({"replica": 2}));
    let extra_nested = doc(
        "EnvironmentType",
        json!({"observability": {"prometheus": true, "x": 1}}),
    );
    let extra_rule = doc(
        "Policy",
        json!({"envTypes": ["prod"], "rules": [{"rule": "min-replicas", "min": 1, "max": 2}]}),
    );
    for value in [extra_top, extra_meta, extra_spec, extra_nested, extra_rule] {
        assert!(
            serde_json::from_value::<PlatformDocument>(value.clone()).is_err(),
            "{value}"
        );
    }
}

#[test]
fn environment_type_defaults_are_the_documented_ones() {
    let spec: EnvironmentTypeSpec = serde_json::from_value(json!({})).unwrap();
    assert_eq!(spec.namespace, DEFAULT_NAMESPACE_PATTERN);
    assert_eq!(spec.replicas, 1);
    assert!(spec.create_namespace);
    assert_eq!(
        spec.security_context,
        SecurityContext::Preset(SecurityPreset::None)
    );
    assert_eq!(
        spec.pod_disruption_budget,
        PodDisruptionBudget::Enabled(false)
    );
    assert!(!spec.network_policy && !spec.read_only_root_filesystem);
    assert_eq!(spec.pod_security, None);
    assert!(spec.observability.is_off());
}

#[test]
fn security_context_and_disruption_budget_take_both_of_their_forms() {
    let spec: EnvironmentTypeSpec = serde_json::from_value(json!({
        "securityContext": {"pod": {"runAsNonRoot": true}, "container": {"privileged": false}},
        "podDisruptionBudget": {"minAvailable": "50%"},
    }))
    .unwrap();
    let SecurityContext::Explicit(explicit) = &spec.security_context else {
        panic!(
            "expected an explicit security context, got {:?}",
            spec.security_context
        );
    };
    assert_eq!(explicit.pod["runAsNonRoot"], json!(true));
    let PodDisruptionBudget::Custom(budget) = &spec.pod_disruption_budget else {
        panic!("expected a custom budget");
    };
    assert_eq!(
        budget.min_available,
        Some(IntOrPercent::Percent("50%".into()))
    );
    let spec: EnvironmentTypeSpec =
        serde_json::from_value(json!({"podDisruptionBudget": true})).unwrap();
    assert_eq!(
        spec.pod_disruption_budget,
        PodDisruptionBudget::Enabled(true)
    );
}

#[test]
fn secret_inputs_are_references_or_literal_strings() {
    let inputs: DriverInputs = serde_json::from_value(json!({
        "secrets": {
            "password": {"secretKeyRef": {"name": "db", "key": "password"}},
            "token": "dev-only",
        }
    }))
    .unwrap();
    assert_eq!(
        inputs.secrets["password"],
        SecretInput::Ref(SecretRef {
            secret_key_ref: SecretKeySelector {
                name: "db".into(),
                key: "password".into()
            }
        })
    );
    assert_eq!(
        inputs.secrets["token"],
        SecretInput::Value("dev-only".into())
    );
    let bad = json!({"secrets": {"password": {"secretKeyRef": {"name": "db"}}}});
    assert!(serde_json::from_value::<DriverInputs>(bad).is_err());
}

#[test]
fn policy_rules_carry_their_own_params_and_default_to_error_severity() {
    let spec: PolicySpec = serde_json::from_value(json!({
        "envTypes": ["production"],
        "rules": [
            {"rule": "require-limits"},
            {"rule": "allowed-registries", "registries": ["ghcr.io/acme"], "severity": "warning"},
            {"rule": "allowed-resources", "resources": [{"type": "postgres"}]},
        ],
    }))
    .unwrap();
    let ids: Vec<_> = spec.rules.iter().map(PolicyRule::id).collect();
    assert_eq!(
        ids,
        ["require-limits", "allowed-registries", "allowed-resources"]
    );
    let PolicyRule::RequireLimits(limits) = &spec.rules[0] else {
        panic!()
    };
    assert_eq!(
        limits.resources,
        [LimitedResource::Cpu, LimitedResource::Memory]
    );
    let PolicyRule::AllowedRegistries(registries) = &spec.rules[1] else {
        panic!()
    };
    assert_eq!(registries.severity, Severity::Warning);
    let missing = json!({"envTypes": ["p"], "rules": [{"rule": "max-replicas"}]});
    assert!(serde_json::from_value::<PolicySpec>(missing).is_err());
}

#[test]
fn rule_ids_round_trip_through_serde() {
    let spec: PolicySpec = serde_json::from_value(json!({
        "envTypes": ["p"],
        "rules": [
            {"rule": "forbid-latest-tag"}, {"rule": "require-digest"},
            {"rule": "min-replicas", "min": 1}, {"rule": "max-replicas", "max": 3},
            {"rule": "require-readiness-probe"}, {"rule": "forbid-privileged"},
            {"rule": "forbid-host-path"},
        ],
    }))
    .unwrap();
    for rule in &spec.rules {
        assert_eq!(serde_json::to_value(rule).unwrap()["rule"], rule.id());
    }
}

#[test]
fn criterion_class_defaults_to_default() {
    let criterion: Criterion = serde_json::from_value(json!({"app": "shop"})).unwrap();
    assert_eq!(criterion.class, DEFAULT_CLASS);
    let explicit: Criterion =
        serde_json::from_value(json!({"app": "shop", "class": "default"})).unwrap();
    assert_eq!(criterion, explicit);
}

#[test]
fn kind_and_role_names_match_what_serde_writes() {
    for kind in PlatformKind::ALL {
        assert_eq!(kind.to_string(), kind.as_str());
    }
    for role in [
        Role::Viewer,
        Role::Developer,
        Role::Owner,
        Role::Deployer,
        Role::PlatformAdmin,
    ] {
        assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
    }
    assert_eq!(
        serde_json::to_value(ApiVersion::V1alpha1).unwrap(),
        PLATFORM_API_VERSION
    );
}
