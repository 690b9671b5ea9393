//! A table of invalid platform documents, one per rule, each with the path it must fail at.

use goldpath::validate::platform::{validate_document, validate_set};

use super::{fixture_documents, parse_yaml, schema_error_paths, to_document};

/// Where an invalid document must fail.
enum Expect {
    /// The schema rejects it at this path.
    Schema(&'static str),
    /// The schema accepts it; `validate_document` reports this path.
    Document(&'static str),
    /// Added to the fixture platform, `validate_set` reports this path for it.
    Set(&'static str),
}

fn envelope(kind: &str, name: &str, spec: &str) -> String {
    let api_version = "apiVersion: goldpath.dev/v1alpha1";
    format!("{api_version}\nkind: {kind}\nmetadata: {{name: {name}}}\nspec: {spec}\n")
}

fn invalid_documents() -> Vec<(&'static str, String, Expect)> {
    use Expect::{Document, Schema, Set};
    let et = |spec: &str| envelope("EnvironmentType", "broken", spec);
    let rd = |spec: &str| envelope("ResourceDefinition", "broken", spec);
    let policy = |rules: &str| {
        envelope(
            "Policy",
            "broken",
            &format!("{{envTypes: [production], rules: {rules}}}"),
        )
    };
    let rb = |spec: &str| envelope("RoleBinding", "broken", spec);
    let ada = |rest: &str| {
        rb(&format!(
            "{{subjects: [{{kind: User, name: ada}}], {rest}}}"
        ))
    };
    let env = |spec: &str| envelope("Environment", "broken", spec);
    let pg = "type: postgres, driver: static, inputs: {values: {host: h}}";
    vec![
        (
            "wrong apiVersion",
            env("{app: shop, type: qa-light}").replace("v1alpha1", "v1"),
            Schema("apiVersion"),
        ),
        (
            "unknown kind",
            envelope("Cluster", "x", "{}"),
            Schema("kind"),
        ),
        (
            "name not a label",
            envelope("Environment", "Qa_42", "{app: shop, type: qa-light}"),
            Schema("metadata.name"),
        ),
        (
            "name with a newline",
            envelope("Environment", "'qa\n'", "{app: shop, type: qa-light}"),
            Schema("metadata.name"),
        ),
        (
            "unknown envelope key",
            envelope("Environment", "x", "{app: shop, type: qa-light}") + "status: {}\n",
            Schema(""),
        ),
        (
            "missing spec",
            "apiVersion: goldpath.dev/v1alpha1\nkind: Policy\nmetadata: {name: x}\n".into(),
            Schema(""),
        ),
        (
            "replicas not a number",
            et("{replicas: two}"),
            Schema("spec.replicas"),
        ),
        ("unknown spec key", et("{replica: 2}"), Schema("spec")),
        (
            "unknown security preset",
            et("{securityContext: strict}"),
            Schema("spec.securityContext"),
        ),
        (
            "unknown pod security field",
            et("{securityContext: {pod: {runAsNonroot: true}}}"),
            Schema("spec.securityContext"),
        ),
        (
            "unknown pod security level",
            et("{podSecurity: high}"),
            Schema("spec.podSecurity"),
        ),
        (
            "unknown locked field",
            et("{locked: [image]}"),
            Schema("spec.locked[0]"),
        ),
        (
            "budget with both bounds",
            et("{podDisruptionBudget: {minAvailable: 1, maxUnavailable: 1}}"),
            Schema("spec.podDisruptionBudget"),
        ),
        (
            "bad memory quantity",
            et("{defaults: {resources: {requests: {memory: 128MB}}}}"),
            Schema("spec.defaults.resources.requests.memory"),
        ),
        (
            "otlp endpoint without scheme",
            et("{observability: {otlpEndpoint: 'otel:4317'}}"),
            Schema("spec.observability.otlpEndpoint"),
        ),
        (
            "bad label value",
            et("{labels: {team: '-x'}}"),
            Schema("spec.labels.team"),
        ),
        (
            "definition without driver",
            rd("{type: postgres}"),
            Schema("spec"),
        ),
        (
            "type not a label",
            rd("{type: Postgres, driver: static}"),
            Schema("spec.type"),
        ),
        (
            "bad driver name",
            rd("{type: dns, driver: Template}"),
            Schema("spec.driver"),
        ),
        (
            "unknown criterion key",
            rd("{type: dns, driver: acme, criteria: [{environment: prod}]}"),
            Schema("spec.criteria[0]"),
        ),
        (
            "class not a label",
            rd("{type: dns, driver: acme, criteria: [{class: Large}]}"),
            Schema("spec.criteria[0].class"),
        ),
        (
            "secret input not a string",
            rd("{type: dns, driver: acme, inputs: {secrets: {password: 42}}}"),
            Schema("spec.inputs.secrets.password"),
        ),
        (
            "secretKeyRef without key",
            rd("{type: dns, driver: a, inputs: {secrets: {password: {secretKeyRef: {name: x}}}}}"),
            Schema("spec.inputs.secrets.password"),
        ),
        (
            "unknown template",
            rd("{type: dns, driver: template, templates: {init: x}}"),
            Schema("spec.templates"),
        ),
        (
            "snake_case provision flag",
            rd("{type: s3, driver: acme, provision: {aws-policy: {is_dependent: true}}}"),
            Schema("spec.provision.aws-policy"),
        ),
        (
            "output name with a dot",
            rd("{type: dns, driver: acme, expectedOutputs: [host.name]}"),
            Schema("spec.expectedOutputs[0]"),
        ),
        (
            "policy without env types",
            envelope(
                "Policy",
                "p",
                "{envTypes: [], rules: [{rule: require-digest}]}",
            ),
            Schema("spec.envTypes"),
        ),
        (
            "unknown rule",
            policy("[{rule: require-tests}]"),
            Schema("spec.rules[0].rule"),
        ),
        (
            "rule without its param",
            policy("[{rule: min-replicas}]"),
            Schema("spec.rules[0]"),
        ),
        (
            "rule param out of range",
            policy("[{rule: min-replicas, min: 0}]"),
            Schema("spec.rules[0].min"),
        ),
        (
            "param of another rule",
            policy("[{rule: require-digest, registries: [ghcr.io]}]"),
            Schema("spec.rules[0]"),
        ),
        (
            "registry with a scheme",
            policy("[{rule: allowed-registries, registries: ['https://ghcr.io']}]"),
            Schema("spec.rules[0].registries[0]"),
        ),
        (
            "both allowed-resources forms",
            policy("[{rule: allowed-resources, types: [dns], resources: [{type: dns}]}]"),
            Schema("spec.rules[0]"),
        ),
        (
            "unknown severity",
            policy("[{rule: forbid-privileged, severity: fatal}]"),
            Schema("spec.rules[0].severity"),
        ),
        ("unknown role", ada("role: admin"), Schema("spec.role")),
        (
            "unknown subject kind",
            rb("{subjects: [{kind: Robot, name: ci}], role: platform-admin}"),
            Schema("spec.subjects[0].kind"),
        ),
        (
            "unknown scope key",
            ada("role: viewer, scope: {application: shop}"),
            Schema("spec.scope"),
        ),
        (
            "environment without app",
            env("{type: qa-light}"),
            Schema("spec"),
        ),
        (
            "environment type not a label",
            env("{app: shop, type: QA}"),
            Schema("spec.type"),
        ),
        (
            "unknown namespace placeholder",
            et("{namespace: '${metadata.name}-${context.env.id}'}"),
            Document("spec.namespace"),
        ),
        (
            "unclosed namespace placeholder",
            et("{namespace: 'shop-${context.env.id'}"),
            Document("spec.namespace"),
        ),
        (
            "namespace not a label",
            et("{namespace: 'Shop-${context.env.id}'}"),
            Document("spec.namespace"),
        ),
        (
            "pod security rejects the pods",
            et("{podSecurity: restricted, securityContext: baseline}"),
            Document("spec.securityContext"),
        ),
        (
            "budget blocks drains",
            et("{replicas: 2, podDisruptionBudget: {minAvailable: 2}}"),
            Document("spec.podDisruptionBudget.minAvailable"),
        ),
        (
            "bad provision key",
            rd("{type: s3, driver: acme, provision: {'S3.x': {}}}"),
            Document(r#"spec.provision["S3.x"]"#),
        ),
        (
            "provisions itself",
            rd("{type: s3, driver: acme, provision: {s3: {}}}"),
            Document("spec.provision.s3"),
        ),
        (
            "template without templates",
            rd("{type: dns, driver: template}"),
            Document("spec.templates"),
        ),
        (
            "static with templates",
            rd("{type: dns, driver: static, inputs: {values: {a: b}}, templates: {outputs: x}}"),
            Document("spec.templates"),
        ),
        (
            "static without inputs",
            rd("{type: dns, driver: static}"),
            Document("spec.inputs"),
        ),
        (
            "static output not in inputs",
            rd(&format!("{{{pg}, expectedOutputs: [port]}}")),
            Document("spec.expectedOutputs[0]"),
        ),
        (
            "output and secret at once",
            rd("{type: dns, driver: acme, expectedOutputs: [host], expectedSecrets: [host]}"),
            Document("spec.expectedSecrets[0]"),
        ),
        (
            "criterion repeated",
            rd(&format!(
                "{{{pg}, criteria: [{{app: shop}}, {{app: shop, class: default}}]}}"
            )),
            Document("spec.criteria[1]"),
        ),
        (
            "min above max",
            policy("[{rule: min-replicas, min: 5}, {rule: max-replicas, max: 3}]"),
            Document("spec.rules[0].min"),
        ),
        (
            "rule repeated",
            policy("[{rule: forbid-privileged}, {rule: forbid-privileged}]"),
            Document("spec.rules[1].rule"),
        ),
        (
            "app role without app",
            ada("role: developer"),
            Document("spec.scope"),
        ),
        (
            "deployer scoped by app",
            ada("role: deployer, scope: {app: shop, envType: production}"),
            Document("spec.scope.app"),
        ),
        (
            "admin with a scope",
            ada("role: platform-admin, scope: {envType: production}"),
            Document("spec.scope.envType"),
        ),
        (
            "environment from itself",
            env("{app: shop, type: qa-light, from: broken}"),
            Document("spec.from"),
        ),
        (
            "duplicate name",
            envelope("EnvironmentType", "production", "{}"),
            Set("metadata.name"),
        ),
        (
            "duplicate environment of one app",
            envelope("Environment", "qa-42", "{app: shop, type: qa-light}"),
            Set("metadata.name"),
        ),
        (
            "identical criterion",
            rd(&format!("{{{pg}, criteria: [{{envType: production}}]}}")),
            Set("spec.criteria[0]"),
        ),
        (
            "environment of unknown type",
            env("{app: shop, type: qa-heavy}"),
            Set("spec.type"),
        ),
        (
            "policy for unknown type",
            policy("[{rule: require-digest}]").replace("[production]", "[prod]"),
            Set("spec.envTypes[0]"),
        ),
        (
            "criterion for unknown type",
            rd("{type: dns, driver: acme, criteria: [{envType: prod}]}"),
            Set("spec.criteria[0].envType"),
        ),
        (
            "deployer on unknown type",
            ada("role: deployer, scope: {envType: prod}"),
            Set("spec.scope.envType"),
        ),
    ]
}

#[test]
fn invalid_documents_fail_where_expected() {
    let platform = fixture_documents();
    for (what, text, expect) in invalid_documents() {
        let docs = parse_yaml(&text);
        assert_eq!(docs.len(), 1, "{what}");
        let value = &docs[0];
        let schema_paths = schema_error_paths(value);
        let (expected, found) = match expect {
            Expect::Schema(path) => (path, schema_paths),
            Expect::Document(path) => {
                assert!(
                    schema_paths.is_empty(),
                    "{what}: the schema rejects it: {schema_paths:?}"
                );
                let findings = validate_document(&to_document(value));
                (
                    path,
                    findings
                        .into_vec()
                        .into_iter()
                        .map(|f| f.path.to_string())
                        .collect(),
                )
            }
            Expect::Set(path) => {
                assert!(
                    schema_paths.is_empty(),
                    "{what}: the schema rejects it: {schema_paths:?}"
                );
                let doc = to_document(value);
                assert!(
                    validate_document(&doc).is_empty(),
                    "{what}: a document finding"
                );
                let mut docs = platform.clone();
                docs.push(doc);
                let findings = validate_set(&docs).into_iter();
                let own = findings.filter(|(i, _)| *i == docs.len() - 1);
                (path, own.map(|(_, f)| f.path.to_string()).collect())
            }
        };
        assert_eq!(found, [expected], "{what}");
    }
}
