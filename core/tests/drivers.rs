//! The built-in drivers, the registry, generated secrets and the leak check, through the public
//! API.

use std::sync::{Arc, Mutex};

use goldpath::drivers::{
    Driver, DriverRegistry, ProvisionRequest, Provisioned, SecretSeed, TemplateDriver,
    check_no_leak,
};
use goldpath::placeholder::{Reference, lookup};
use goldpath::platform::{Context, Definition};
use goldpath::sensitive::SecretValue;
use goldpath::{ErrorKind, ResourceKey, Result};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Everything a request borrows, owned.
struct Fixture {
    key: ResourceKey,
    context: Context,
    definition: Definition,
    params: Map<String, Value>,
    seed: SecretSeed,
    /// What the resolver answers: `context`, `params` and `resources`.
    tree: Value,
}

impl Fixture {
    fn new(spec: Value) -> Self {
        let params = json!({"port": 6543, "db": "orders"});
        Self {
            key: "postgres#shop.db".parse().unwrap(),
            context: Context::new("shop", "qa-42", "qa-light"),
            definition: Definition {
                name: "pg-test".into(),
                spec: serde_json::from_value(spec).unwrap(),
                builtin: false,
            },
            params: params.as_object().unwrap().clone(),
            seed: SecretSeed::development(),
            tree: json!({
                "context": {"app": {"id": "shop"}, "env": {"id": "qa-42", "type": "qa-light"}},
                "params": params,
                "resources": {"dns": {"outputs": {"host": "shop.example.com", "raw": "${x}"}}},
            }),
        }
    }

    fn template(templates: Value) -> Self {
        Self::new(json!({"type": "postgres", "driver": "template", "templates": templates}))
    }

    fn with_params(mut self, params: Value) -> Self {
        self.params = params.as_object().unwrap().clone();
        self.tree["params"] = params;
        self
    }

    fn run<T>(&self, f: impl FnOnce(&ProvisionRequest<'_>) -> T) -> T {
        let tree = &self.tree;
        let resolver = |r: &Reference| lookup(tree, r.segments()).cloned();
        let request = ProvisionRequest {
            key: &self.key,
            guid: "g-1234",
            context: &self.context,
            definition: &self.definition,
            params: &self.params,
            seed: &self.seed,
            resolver: &resolver,
            workloads: &serde_json::Value::Null.into(),
            source: None,
            workload: None,
            state: None,
            folder: None,
        };
        f(&request)
    }

    fn provision(&self) -> Result<Provisioned> {
        self.run(|req| DriverRegistry::with_builtins().provision(req))
    }
}

fn secret_text(provisioned: &Provisioned, name: &str) -> String {
    match &provisioned.secrets[name] {
        SecretValue::Value(value) => value.expose().clone(),
        other => panic!("`{name}` is {other}, not a value"),
    }
}

#[test]
fn static_driver_substitutes_inputs_keeping_types() {
    let fixture = Fixture::new(json!({
        "type": "postgres",
        "driver": "static",
        "inputs": {
            "values": {
                "host": "db.${context.env.id}.internal",
                "port": "${params.port}",
                "tls": true,
                "list": ["${params.port}", "$${literal}"],
                "name": "${context.app.id}",
            },
            "secrets": {
                "password": {"secretKeyRef": {"name": "${context.app.id}-db", "key": "pw-${params.db}"}},
                "token": "tok-${context.env.id}",
            },
        },
    }));
    let provisioned = fixture.provision().unwrap();
    assert_eq!(
        Value::Object(provisioned.outputs.clone()),
        json!({
            "host": "db.qa-42.internal",
            "port": 6543,
            "tls": true,
            "list": [6543, "${literal}"],
            "name": "shop",
        })
    );
    assert_eq!(
        provisioned.secrets["password"],
        SecretValue::Ref {
            name: "shop-db".into(),
            key: "pw-orders".into()
        }
    );
    assert_eq!(secret_text(&provisioned, "token"), "tok-qa-42");
    assert!(provisioned.manifests.is_empty());
}

#[test]
fn static_driver_errors_name_the_definition_and_the_input() {
    let fixture = Fixture::new(json!({
        "type": "postgres", "driver": "static",
        "inputs": {"values": {"host": "${context.app.name}"}},
    }));
    let err = fixture.provision().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Placeholder);
    assert_eq!(err.location().path.to_string(), "spec.inputs.values.host");
    assert!(err.message().starts_with("definition `pg-test`: "), "{err}");
    assert!(err.message().contains("known keys: id"), "{err}");
}

#[test]
fn template_renders_every_variable() {
    let fixture = Fixture::new(json!({
        "type": "postgres",
        "driver": "template",
        "inputs": {
            "values": {"version": "16", "host": "pg.${context.env.id}"},
            "secrets": {
                "admin": "root-pass-${context.app.id}",
                "existing": {"secretKeyRef": {"name": "${context.app.id}-x", "key": "k"}},
            },
        },
        "templates": {
            "outputs": "app: {{ context.app.id }}\nenv: {{ context.env.id }}\nenvType: {{ context.env.type }}\n\
                        resId: {{ context.res.id }}\nresType: {{ context.res.type }}\nresClass: {{ context.res.class }}\n\
                        resKey: \"{{ context.res.key }}\"\nguid: {{ context.res.guid }}\nversion: \"{{ inputs.values.version }}\"\n\
                        host: {{ inputs.values.host }}\nport: {{ params.port }}\ndb: {{ params.db }}\n\
                        existing: {{ inputs.secrets.existing.secretKeyRef.name }}\n\
                        dns: ${resources.dns.outputs.host}\n",
            "secrets": "password: \"{{ generated('password') }}\"\nadmin: \"{{ inputs.secrets.admin }}\"\n\
                        ref: {secretKeyRef: {name: \"{{ context.res.guid }}\", key: password}}\n\
                        passthrough: {{ inputs.secrets.existing | tojson }}\n",
            "manifests": "- apiVersion: v1\n  kind: Secret\n  metadata: {name: \"{{ context.res.guid }}\"}\n  \
                          stringData:\n    password: \"{{ generated('password') }}\"\n\
                          {% for n in ['a', 'b'] %}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: \"cm-{{ n }}\"}\n{% endfor %}\n",
        },
    }));
    let provisioned = fixture.provision().unwrap();
    assert_eq!(
        Value::Object(provisioned.outputs.clone()),
        json!({
            "app": "shop", "env": "qa-42", "envType": "qa-light",
            "resId": "shop.db", "resType": "postgres", "resClass": "default",
            "resKey": "postgres.default#shop.db", "guid": "g-1234",
            "version": "16", "host": "pg.qa-42", "port": 6543, "db": "orders",
            "existing": "shop-x", "dns": "shop.example.com",
        })
    );
    let password = fixture
        .seed
        .generate(&fixture.context, &fixture.key, "password");
    assert_eq!(secret_text(&provisioned, "password"), *password.expose());
    assert_eq!(secret_text(&provisioned, "admin"), "root-pass-shop");
    assert_eq!(
        provisioned.secrets["ref"],
        SecretValue::Ref {
            name: "g-1234".into(),
            key: "password".into()
        }
    );
    assert_eq!(
        provisioned.secrets["passthrough"],
        SecretValue::Ref {
            name: "shop-x".into(),
            key: "k".into()
        }
    );
    assert_eq!(provisioned.manifests.len(), 3);
    assert_eq!(
        provisioned.manifests[0]["stringData"]["password"],
        json!(password.expose())
    );
    assert_eq!(provisioned.manifests[2]["metadata"]["name"], "cm-b");
}

#[test]
fn render_reports_every_sensitive_value() {
    let fixture = Fixture::new(json!({
        "type": "postgres", "driver": "template",
        "inputs": {"secrets": {"admin": "root-pass"}},
        "templates": {"secrets": "a: \"{{ generated('a') }}\"\nb: \"{{ generated('a') }}\"\nc: composed-{{ generated('c') }}\n"},
    }));
    let rendered = fixture
        .run(|req| TemplateDriver::new().render(req))
        .unwrap();
    let mut expected = vec![
        fixture.seed.generate(&fixture.context, &fixture.key, "a"),
        fixture.seed.generate(&fixture.context, &fixture.key, "c"),
        goldpath::sensitive::Sensitive::new("root-pass".to_string()),
        goldpath::sensitive::Sensitive::new(format!(
            "composed-{}",
            fixture
                .seed
                .generate(&fixture.context, &fixture.key, "c")
                .expose()
        )),
    ];
    expected.sort();
    assert_eq!(rendered.sensitive, expected);
}

#[test]
fn generated_values_are_stable_and_differ_per_key_name_and_seed() {
    let templates =
        json!({"secrets": "p: \"{{ generated('password') }}\"\nq: \"{{ generated('other') }}\"\n"});
    let first = Fixture::template(templates.clone()).provision().unwrap();
    let again = Fixture::template(templates.clone()).provision().unwrap();
    assert_eq!(secret_text(&first, "p"), secret_text(&again, "p"));
    assert_ne!(secret_text(&first, "p"), secret_text(&first, "q"));

    let mut other_key = Fixture::template(templates.clone());
    other_key.key = "postgres#shop.other-db".parse().unwrap();
    let other_key = other_key.provision().unwrap();
    assert_ne!(secret_text(&first, "p"), secret_text(&other_key, "p"));

    let mut other_seed = Fixture::template(templates);
    other_seed.seed = SecretSeed::new(*b"a production seed of 32 bytes...").unwrap();
    assert!(!other_seed.seed.is_development());
    let other_seed = other_seed.provision().unwrap();
    assert_ne!(secret_text(&first, "p"), secret_text(&other_seed, "p"));

    assert!(SecretSeed::development().is_development());
    let text = secret_text(&first, "p");
    assert_eq!(text.len(), 32);
    assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "{text}");
}

#[test]
fn a_runaway_template_runs_out_of_fuel() {
    // Ten billion iterations: without the fuel limit this would not end within any test run.
    let fixture = Fixture::template(json!({
        "outputs": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    }));
    let err = fixture.provision().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Driver);
    assert!(err.message().contains("ran out of fuel"), "{err}");
    assert!(
        err.message()
            .starts_with("definition `pg-test`: templates.outputs"),
        "{err}"
    );

    let huge =
        Fixture::template(json!({"outputs": "{% for i in range(100000000) %}x{% endfor %}"}));
    assert_eq!(huge.provision().unwrap_err().kind(), ErrorKind::Driver);
}

#[test]
fn a_small_fuel_budget_is_enforced_and_a_large_one_is_enough() {
    let fixture = Fixture::template(json!({
        "outputs": "{% for i in range(1000) %}k{{ i }}: {{ i }}\n{% endfor %}",
    }));
    let err = fixture
        .run(|req| TemplateDriver::with_fuel(100).provision(req))
        .unwrap_err();
    assert!(err.message().contains("budget is 100"), "{err}");
    let provisioned = fixture.provision().unwrap();
    assert_eq!(provisioned.outputs["k999"], json!(999));
}

#[test]
fn a_syntax_error_names_definition_template_and_line() {
    let fixture = Fixture::template(json!({
        "outputs": "a: 1\n",
        "manifests": "- apiVersion: v1\n  kind: ConfigMap\n  data: {{ params.db \n",
    }));
    let err = fixture.provision().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Driver);
    assert!(
        err.message()
            .starts_with("definition `pg-test`: templates.manifests: line 3: syntax error"),
        "{err}"
    );
    assert_eq!(err.location().path.to_string(), "spec.templates.manifests");
}

#[test]
fn an_undefined_variable_is_an_error() {
    for (source, expression) in [
        ("a: {{ nope }}", "nope"),
        ("a: {{ params.nope }}", "params.nope"),
        ("a: {{ context.app.name }}", "context.app.name"),
    ] {
        let err = Fixture::template(json!({"outputs": source}))
            .provision()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Driver, "{source}");
        let expected = format!("templates.outputs: line 1: `{expression}` is undefined");
        assert!(err.message().contains(&expected), "{source}: {err}");
    }
    let guarded = Fixture::template(
        json!({"outputs": "a: {{ params.nope if params.nope is defined else 'x' }}"}),
    );
    assert_eq!(guarded.provision().unwrap().outputs["a"], "x");
}

#[test]
fn rendered_text_of_the_wrong_shape_is_an_error() {
    let cases = [
        (
            json!({"outputs": "- a\n- b\n"}),
            "templates.outputs: must render to a mapping",
        ),
        (
            json!({"outputs": "a: [1\n"}),
            "templates.outputs: the rendered text is not valid YAML (line",
        ),
        (
            json!({"secrets": "p: 1234\n"}),
            "templates.secrets: `p` must be a string",
        ),
        (
            json!({"secrets": "just text"}),
            "templates.secrets: must render to a mapping",
        ),
        (
            json!({"manifests": "kind: ConfigMap\n"}),
            "templates.manifests: must render to a list",
        ),
        (
            json!({"manifests": "- kind: ConfigMap\n"}),
            "templates.manifests: item 0 must be a Kubernetes object",
        ),
        (
            json!({"manifests": "- just text\n"}),
            "templates.manifests: item 0 must be a Kubernetes object",
        ),
    ];
    for (templates, expected) in cases {
        let err = Fixture::template(templates.clone())
            .provision()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Driver, "{templates}");
        assert!(
            err.message()
                .starts_with(&format!("definition `pg-test`: {expected}")),
            "{templates}: {err}"
        );
    }
}

#[test]
fn substitution_after_rendering_is_one_pass() {
    let fixture = Fixture::template(json!({
        "outputs": "raw: ${resources.dns.outputs.raw}\nembedded: \"x-${resources.dns.outputs.raw}\"\n\
                    escaped: \"{{ params.escaped }}\"\ninjected: \"{{ params.injected }}\"\n\
                    lone: \"{{ params.lone }}\"\nliteral: \"$${context.app.id}\"\n\
                    keys: {% for k, v in params.keyed | items %}{ \"{{ k }}\": \"{{ v }}\" }{% endfor %}\n",
    }))
    .with_params(json!({
        "escaped": "$${y}",
        "injected": "${resources.dns.outputs.host}",
        "lone": "price: $5",
        "keyed": {"${context.app.id}": "${context.env.id}"},
    }));
    let provisioned = fixture.provision().unwrap();
    assert_eq!(
        Value::Object(provisioned.outputs.clone()),
        json!({
            "raw": "${x}",
            "embedded": "x-${x}",
            "escaped": "$${y}",
            "injected": "${resources.dns.outputs.host}",
            "lone": "price: $5",
            "literal": "${context.app.id}",
            "keys": {"${context.app.id}": "${context.env.id}"},
        })
    );
}

#[test]
fn a_placeholder_in_a_template_that_does_not_resolve_names_the_place() {
    let err = Fixture::template(json!({"manifests": "- apiVersion: v1\n  kind: ConfigMap\n  data: {a: \"${resources.dns.outputs.port}\"}\n"}))
        .provision()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Placeholder);
    assert_eq!(
        err.location().path.to_string(),
        "spec.templates.manifests[0].data.a"
    );
    assert!(err.message().starts_with("definition `pg-test`: "), "{err}");
}

#[test]
fn the_leak_check_catches_a_generated_password_in_a_config_map() {
    let fixture = Fixture::template(json!({
        "manifests": "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: pg-config}\n  \
                      data:\n    url: \"postgres://app:{{ generated('password') }}@pg:5432/app\"\n",
    }));
    let password = fixture
        .seed
        .generate(&fixture.context, &fixture.key, "password");
    // The driver returns the generated value for the plan to register; the check refuses it.
    let provisioned = fixture.provision().unwrap();
    assert_eq!(provisioned.sensitive, std::slice::from_ref(&password));
    let err = check_no_leak(&provisioned, &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Driver);
    assert!(err.message().starts_with("a secret value"), "{err}");
    assert!(err.message().contains("ConfigMap `pg-config`"), "{err}");
    assert_eq!(err.location().path.to_string(), "manifests[0].data.url");
    assert!(
        !err.to_string().contains(password.expose().as_str()),
        "{err}"
    );
    assert!(!format!("{err:?}").contains(password.expose().as_str()));

    let rendered = fixture
        .run(|req| TemplateDriver::new().render(req))
        .unwrap();
    assert!(rendered.sensitive.contains(&password));
    assert!(check_no_leak(&rendered.provisioned, &rendered.sensitive).is_err());
}

#[test]
fn the_leak_check_catches_a_secret_input_in_the_outputs() {
    let fixture = Fixture::new(json!({
        "type": "postgres", "driver": "template",
        "inputs": {"secrets": {"admin": "root-pass-123"}},
        "templates": {"outputs": "url: \"pg://root:{{ inputs.secrets.admin | upper }}@pg\"\n"},
    }));
    let rendered = fixture
        .run(|req| TemplateDriver::new().render(req))
        .unwrap();
    let err = check_no_leak(&rendered.provisioned, &rendered.sensitive).unwrap_err();
    assert_eq!(err.location().path.to_string(), "outputs.url");
    assert!(!err.to_string().contains("ROOT-PASS-123"), "{err}");
}

#[test]
fn an_unknown_driver_lists_the_registered_names() {
    let fixture = Fixture::new(json!({"type": "postgres", "driver": "terraform"}));
    let err = fixture.provision().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Driver);
    assert!(err.message().contains("`terraform`"), "{err}");
    assert!(err.message().contains("static, template"), "{err}");
    assert!(err.message().starts_with("definition `pg-test`: "), "{err}");
    assert!(DriverRegistry::new().get("static").is_err());
}

/// A host driver: echoes the guid and params, and counts its calls.
struct EchoDriver {
    calls: Mutex<Vec<String>>,
}

impl Driver for EchoDriver {
    fn provision(&self, req: &ProvisionRequest<'_>) -> Result<Provisioned> {
        self.calls.lock().unwrap().push(req.key.to_string());
        let mut provisioned = Provisioned::default();
        provisioned.outputs.insert("guid".into(), json!(req.guid));
        provisioned
            .outputs
            .insert("params".into(), Value::Object(req.params.clone()));
        provisioned
            .secrets
            .insert("token".into(), SecretValue::value("host-made-token"));
        Ok(provisioned)
    }
}

#[test]
fn a_host_driver_is_registered_and_called() {
    let echo = Arc::new(EchoDriver {
        calls: Mutex::new(Vec::new()),
    });
    let mut registry = DriverRegistry::with_builtins();
    registry.register("echo", echo.clone());
    assert_eq!(
        registry.names().collect::<Vec<_>>(),
        ["cmd", "echo", "http", "static", "template", "workload-link"]
    );
    let fixture = Fixture::new(json!({"type": "postgres", "driver": "echo"}));
    let provisioned = fixture.run(|req| registry.provision(req)).unwrap();
    assert_eq!(provisioned.outputs["guid"], "g-1234");
    assert_eq!(provisioned.outputs["params"]["db"], "orders");
    assert_eq!(secret_text(&provisioned, "token"), "host-made-token");
    assert_eq!(*echo.calls.lock().unwrap(), ["postgres.default#shop.db"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn formatting_a_provisioned_resource_never_shows_its_secrets(secret in "[a-zA-Z0-9 !#%&()*+,./:;<=>?@^_~-]{8,32}") {
        let fixture = Fixture::new(json!({
            "type": "postgres", "driver": "template",
            "inputs": {"secrets": {"admin": secret}},
            "templates": {
                "secrets": "admin: {{ inputs.secrets.admin | tojson }}\np: \"{{ generated('p') }}\"\n",
                "manifests": "- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n  \
                              stringData: {admin: {{ inputs.secrets.admin | tojson }}, p: \"{{ generated('p') }}\"}\n",
            },
        }));
        let provisioned = fixture.provision().unwrap();
        prop_assert_eq!(secret_text(&provisioned, "admin"), secret.clone());
        let generated = secret_text(&provisioned, "p");
        for shown in [
            format!("{provisioned:?}"),
            format!("{provisioned:#?}"),
            provisioned.to_string(),
            format!("{:?}", provisioned.secrets["admin"]),
            provisioned.secrets["admin"].to_string(),
        ] {
            prop_assert!(!shown.contains(&secret), "{}", shown);
            prop_assert!(!shown.contains(&generated), "{}", shown);
        }
    }
}

/// A host driver that keeps the `workloads` of each request it gets, as host drivers
/// (Python, JavaScript) receive them ([`goldpath::drivers::request_data`]).
struct KeepsWorkloads {
    seen: Mutex<Vec<Value>>,
}

impl Driver for KeepsWorkloads {
    fn provision(&self, req: &ProvisionRequest<'_>) -> Result<Provisioned> {
        let request = goldpath::drivers::request_data(req, "keeper")?;
        self.seen.lock().unwrap().push(request["workloads"].clone());
        Ok(Provisioned::default())
    }
}

/// In a plan, a host driver receives every workload's Service as JSON, as always: name ->
/// `{service: {name, ports: {NAME: {port, targetPort, protocol}}}}`, `service` null without
/// ports; the same value for every resource.
#[test]
fn a_host_driver_in_a_plan_receives_the_workloads_services_as_json() {
    use goldpath::load::{Loader, Source};
    use goldpath::plan::{Engine, PlanOptions};
    let definition = json!({"apiVersion": "goldpath.dev/v1alpha1", "kind": "ResourceDefinition",
        "metadata": {"name": "kept"}, "spec": {"type": "queue", "driver": "keeper", "criteria": [{}]}});
    let docs = Loader::default()
        .str(&definition.to_string(), None)
        .unwrap();
    let platform = goldpath::platform::Platform::from_documents(
        docs.platform.into_iter().map(|loaded| loaded.document),
    );
    let mut engine = Engine::new(platform);
    let keeper = Arc::new(KeepsWorkloads {
        seen: Mutex::new(Vec::new()),
    });
    engine.register_driver("keeper", keeper.clone());
    let scores = [
        "metadata: {name: web, annotations: {k8s.score.dev/service-name: front}}\nservice:\n  ports:\n    http: {port: 80, targetPort: 8080}\n    dns: {port: 53, protocol: UDP}\nresources:\n  jobs: {type: queue}\n",
        "metadata: {name: batch}\nresources:\n  jobs: {type: queue}\n",
    ];
    let sources = scores
        .iter()
        .enumerate()
        .map(|(i, score)| {
            let text = format!(
                "apiVersion: score.dev/v1b1\n{score}containers:\n  main: {{image: nginx}}\n"
            );
            Source::text(format!("w{i}.score.yaml"), text)
        })
        .collect();
    let workloads = Loader::default().workloads(sources).unwrap();
    let context = Context::new("shop", "dev", "development");
    engine
        .plan(&workloads, &context, &PlanOptions::default())
        .unwrap();
    let expected = json!({
        "batch": {"service": null},
        "web": {"service": {"name": "front", "ports": {
            "dns": {"port": 53, "targetPort": 53, "protocol": "UDP"},
            "http": {"port": 80, "targetPort": 8080, "protocol": "TCP"},
        }}},
    });
    let seen = keeper.seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "one request per queue");
    assert!(seen.iter().all(|w| *w == expected), "{seen:?}");
}
