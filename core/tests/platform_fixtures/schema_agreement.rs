//! The schema describes every field, and knows exactly the fields the Rust types write.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{parse_yaml, schema_errors, schema_value, to_document};

#[test]
fn every_schema_property_and_definition_is_described() {
    fn walk(node: &Value, at: &str, missing: &mut Vec<String>) {
        let Value::Object(map) = node else { return };
        for (key, child) in map {
            let here = format!("{at}/{key}");
            if key == "properties" || key == "$defs" {
                for (name, schema) in child.as_object().into_iter().flatten() {
                    if schema
                        .get("description")
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty)
                    {
                        missing.push(format!("{here}/{name}"));
                    }
                }
            }
            if let Value::Array(items) = child {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{here}/{i}"), missing);
                }
            }
            walk(child, &here, missing);
        }
    }
    let mut missing = Vec::new();
    walk(schema_value(), "#", &mut missing);
    // `if` conditions are not properties users write; they only select a branch.
    missing.retain(|p| !p.contains("/if/"));
    assert!(missing.is_empty(), "without a description: {missing:#?}");
}

/// Documents that set every field the types know, at least once per object.
const MAXIMAL: &str = r#"
apiVersion: goldpath.dev/v1alpha1
kind: EnvironmentType
metadata: {name: full, labels: {tier: gold}, annotations: {example.com/Note: any text}}
spec:
  namespace: "${context.app.id}-${context.env.id}"
  createNamespace: false
  replicas: 3
  defaults:
    resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: "1", memory: 1Gi}}
  securityContext: {pod: {runAsNonRoot: true}, container: {allowPrivilegeEscalation: false}}
  readOnlyRootFilesystem: true
  podSecurity: baseline
  networkPolicy: true
  podDisruptionBudget: {maxUnavailable: "25%"}
  observability: {otlpEndpoint: "http://otel:4317", prometheus: true, logLabels: true}
  jobs: {backoffLimit: 2, ttlSecondsAfterFinished: 600, activeDeadlineSeconds: 3600, concurrencyPolicy: Forbid}
  labels: {cost-center: platform}
  annotations: {goldpath.dev/owner: platform}
  locked: [namespace, replicas, defaults, securityContext, readOnlyRootFilesystem, podSecurity,
           networkPolicy, podDisruptionBudget, observability, labels, annotations, jobs]
---
apiVersion: goldpath.dev/v1alpha1
kind: EnvironmentType
metadata: {name: budget}
spec: {replicas: 3, podDisruptionBudget: {minAvailable: 2}}
---
apiVersion: goldpath.dev/v1alpha1
kind: ResourceDefinition
metadata: {name: full}
spec:
  type: s3
  driver: template
  description: everything
  criteria: [{envType: full, env: e, app: a, resId: a.b, class: large}]
  inputs:
    values: {region: eu}
    secrets: {token: dev, key: {secretKeyRef: {name: s, key: k}}}
  provision: {"aws-policy#x": {isDependent: true, matchDependents: true, params: {a: 1}}}
  templates: {outputs: "a: 1", secrets: "b: 2", manifests: "[]"}
  expectedOutputs: [arn]
  expectedSecrets: [secret]
---
apiVersion: goldpath.dev/v1alpha1
kind: Policy
metadata: {name: full}
spec:
  envTypes: [full]
  rules:
    - {rule: require-limits, severity: warning, resources: [memory]}
    - {rule: forbid-latest-tag, severity: warning}
    - {rule: allowed-registries, severity: warning, registries: ["ghcr.io/acme"]}
    - {rule: require-digest, severity: warning}
    - {rule: min-replicas, severity: warning, min: 2}
    - {rule: max-replicas, severity: warning, max: 9}
    - {rule: require-readiness-probe, severity: warning}
    - {rule: forbid-privileged, severity: warning}
    - {rule: forbid-host-path, severity: warning}
    - {rule: allowed-resources, severity: warning, types: [dns], classes: [default]}
    - {rule: allowed-resources, severity: warning, resources: [{type: dns, class: default}]}
---
apiVersion: goldpath.dev/v1alpha1
kind: RoleBinding
metadata: {name: app-scope}
spec: {subjects: [{kind: User, name: ada}], role: owner, scope: {app: shop}}
---
apiVersion: goldpath.dev/v1alpha1
kind: RoleBinding
metadata: {name: env-type-scope}
spec: {subjects: [{kind: Group, name: ops}], role: deployer, scope: {envType: full}}
---
apiVersion: goldpath.dev/v1alpha1
kind: Environment
metadata: {name: full}
spec: {app: shop, type: full, from: dev, ephemeral: true, labels: {pr: "1"}}
"#;

/// For every closed object of the schema: the properties it declares and the keys the Rust
/// types wrote for it.
#[derive(Default)]
struct Coverage(BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>);

impl Coverage {
    fn walk(&mut self, at: &str, node: &Value, instance: &Value) {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            let name = target.trim_start_matches("#/$defs/");
            return self.walk(target, &schema_value()["$defs"][name], instance);
        }
        if let (Value::Object(fields), Some(props)) = (instance, node.get("properties")) {
            if node.get("additionalProperties") == Some(&Value::Bool(false)) {
                let entry = self.0.entry(at.to_owned()).or_default();
                entry.0.extend(
                    props
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k.clone()),
                );
                entry.1.extend(fields.keys().cloned());
            }
            for (key, value) in fields {
                if let Some(sub) = props.get(key) {
                    self.walk(&format!("{at}/properties/{key}"), sub, value);
                }
            }
        }
        if let (Value::Object(fields), Some(sub @ Value::Object(_))) =
            (instance, node.get("additionalProperties"))
        {
            for value in fields.values() {
                self.walk(&format!("{at}/additionalProperties"), sub, value);
            }
        }
        if let (Value::Array(items), Some(sub)) = (instance, node.get("items")) {
            for item in items {
                self.walk(&format!("{at}/items"), sub, item);
            }
        }
        for (i, branch) in node
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.walk(&format!("{at}/oneOf/{i}"), branch, instance);
        }
        for (i, part) in node
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let selects = part["if"]["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .all(|(key, cond)| {
                    instance
                        .get(key)
                        .is_some_and(|v| Some(v) == cond.get("const"))
                });
            if selects {
                self.walk(&format!("{at}/allOf/{i}/then"), &part["then"], instance);
            }
        }
    }
}

#[test]
fn the_schema_and_the_types_know_the_same_fields() {
    let mut coverage = Coverage::default();
    for value in parse_yaml(MAXIMAL) {
        assert!(
            schema_errors(&value).is_empty(),
            "{:#?}",
            schema_errors(&value)
        );
        let written = serde_json::to_value(to_document(&value)).expect("serializes");
        assert!(
            schema_errors(&written).is_empty(),
            "{:#?}",
            schema_errors(&written)
        );
        coverage.walk("#", schema_value(), &written);
    }
    let mut problems = Vec::new();
    for (at, (declared, written)) in &coverage.0 {
        for key in written.difference(declared) {
            problems.push(format!(
                "{at}: the types write `{key}`, the schema rejects it"
            ));
        }
        for key in declared.difference(written) {
            problems.push(format!(
                "{at}: the schema declares `{key}`, the types never wrote it"
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    for def in [
        "EnvironmentType",
        "ResourceDefinition",
        "Policy",
        "RoleBinding",
        "Environment",
    ] {
        assert!(
            coverage.0.contains_key(&format!("#/$defs/{def}")),
            "{def} was not reached"
        );
    }
}
