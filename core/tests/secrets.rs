//! The secret boundary (issue 12, findings 6-9): a secret registered by any driver — a
//! generated value, a static secret, a host driver's secret output or secret input — never
//! reaches a non-Secret object, an error, a record, a diff or a graph export, however a
//! template or a driver transforms it.

use std::sync::Arc;

use goldpath::deploy::{Draft, DraftMeta, Environment, Operation, diff};
use goldpath::drivers::{Driver, ProvisionRequest, Provisioned, SecretSeed};
use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use goldpath::secrets::{SecretGuard, is_secret_object};
use goldpath::sensitive::{SecretValue, Sensitive};
use goldpath::{ErrorKind, ResourceKey};
use proptest::prelude::*;
use serde_json::{Value, json};

const KEY: &str = "postgres.default#web.db";

fn context() -> Context {
    Context::new("shop", "dev", "development")
}

fn platform(definitions: &[Value]) -> Platform {
    let text: Vec<String> = definitions.iter().map(Value::to_string).collect();
    let docs = Loader::default().str(&text.join("\n---\n"), None).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}

fn definition(name: &str, kind: &str, driver: &str, spec: Value) -> Value {
    let mut full = json!({"type": kind, "driver": driver, "criteria": [{}]});
    full.as_object_mut()
        .unwrap()
        .extend(spec.as_object().unwrap().clone());
    json!({"apiVersion": "goldpath.dev/v1alpha1", "kind": "ResourceDefinition",
           "metadata": {"name": name}, "spec": full})
}

/// The workload `web` with the resource `db` (postgres); `variables` as given.
fn workload(variables: Value, files: Value) -> Vec<WorkloadInput> {
    let score = json!({
        "apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
        "containers": {"main": {"image": "nginx:1.27", "variables": variables, "files": files}},
        "resources": {"db": {"type": "postgres"}},
    });
    let workload = Loader::default()
        .score_str(&score.to_string(), None)
        .unwrap();
    vec![WorkloadInput::new(workload)]
}

/// A Rust host driver: answers what the test built, with `{{input}}` in its text replaced by
/// the request's secret input `token` transformed.
struct Host {
    answer: Value,
    transform: Transform,
}

impl Driver for Host {
    fn provision(&self, req: &ProvisionRequest<'_>) -> goldpath::Result<Provisioned> {
        let request = goldpath::drivers::request_data(req, "host")?;
        let input = request["secrets"]["token"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let text = self
            .answer
            .to_string()
            .replace("{{input}}", &json_inner(&self.transform.apply(&input)));
        goldpath::drivers::provisioned_from(serde_json::from_str(&text).unwrap())
    }
}

/// `text` as it appears between the quotes of a JSON string.
fn json_inner(text: &str) -> String {
    let quoted = Value::from(text).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// What a careless definition does to a secret before showing it.
#[derive(Debug, Clone, Copy)]
enum Transform {
    Same,
    Upper,
    Lower,
    Reverse,
    /// Two slices, split at this character, joined by `-`.
    Split(usize),
    /// Base64 of the secret after this many bytes of other text.
    Base64(usize),
    /// Inside a connection string.
    Embedded,
}

impl Transform {
    fn apply(self, secret: &str) -> String {
        match self {
            Self::Same => secret.to_owned(),
            Self::Upper => secret.to_uppercase(),
            Self::Lower => secret.to_lowercase(),
            Self::Reverse => secret.chars().rev().collect(),
            Self::Split(at) => {
                let at = at.min(secret.len());
                format!("{}-{}", &secret[..at], &secret[at..])
            }
            Self::Base64(pad) => base64(format!("{}{secret}", "x".repeat(pad)).as_bytes()),
            Self::Embedded => format!("postgres://app:{secret}@db:5432/app"),
        }
    }

    /// The same transformation as a minijinja expression of `value` (base64 has no filter:
    /// it is embedded instead).
    fn jinja(self, value: &str) -> String {
        match self {
            Self::Same => format!("{{{{ {value} }}}}"),
            Self::Upper => format!("{{{{ {value} | upper }}}}"),
            Self::Lower => format!("{{{{ {value} | lower }}}}"),
            Self::Reverse => format!("{{{{ {value} | reverse }}}}"),
            Self::Split(at) => format!("{{{{ {value}[:{at}] }}}}-{{{{ {value}[{at}:] }}}}"),
            Self::Base64(_) | Self::Embedded => format!("postgres://app:{{{{ {value} }}}}@db"),
        }
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Where the transformed secret is put.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// A non-secret output, which the workload puts in an env value.
    Output,
    /// The data of a ConfigMap.
    ConfigMap,
    /// An annotation of a ConfigMap.
    Annotation,
}

/// Which driver shows the secret, and which secret.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// The template driver's `generated('pw')`.
    Generated,
    /// The template driver's literal secret input.
    TemplateInput,
    /// A static definition's literal secret input (shown in `inputs.values`).
    Static,
    /// A host driver's own secret output.
    HostSecret,
    /// A host driver's secret input.
    HostInput,
}

/// A manifest list (as JSON text for the host, as a template for the template driver) that
/// shows `shown` at `place`; `None` for an output.
fn manifest_with(place: Place, shown: &str) -> Option<Value> {
    let config = match place {
        Place::Output => return None,
        Place::ConfigMap => json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "db-config"}, "data": {"url": shown}}),
        Place::Annotation => json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "db-config", "annotations": {"example.com/url": shown}},
            "data": {"a": "b"}}),
    };
    Some(json!([config]))
}

/// An engine whose `postgres` definition shows `secret` (or the generated value) transformed
/// at `place`, and the secret as the test knows it.
fn leaking_engine(
    source: Source,
    transform: Transform,
    place: Place,
    secret: &str,
) -> (Engine, String) {
    let generated = SecretSeed::development()
        .generate(&context(), &KEY.parse::<ResourceKey>().unwrap(), "pw")
        .expose()
        .clone();
    let (definition, shown_secret) = match source {
        Source::Generated | Source::TemplateInput => {
            let (value, known) = match source {
                Source::Generated => ("generated('pw')", generated),
                _ => ("inputs.secrets.admin", secret.to_owned()),
            };
            let shown = transform.jinja(value);
            let mut templates = json!({"secrets": "password: \"{{ generated('pw') }}\"\n"});
            match manifest_with(place, "SHOWN") {
                None => templates["outputs"] = json!(format!("url: \"{shown}\"\n")),
                Some(list) => {
                    let text = list.to_string().replace("SHOWN", &shown);
                    templates["manifests"] = json!(text);
                }
            }
            let spec = json!({"inputs": {"secrets": {"admin": secret}}, "templates": templates});
            (definition("pg", "postgres", "template", spec), known)
        }
        Source::Static => {
            let spec = json!({"inputs": {
                "values": {"url": transform.apply(secret)},
                "secrets": {"password": secret},
            }});
            (
                definition("pg", "postgres", "static", spec),
                secret.to_owned(),
            )
        }
        Source::HostSecret | Source::HostInput => {
            let spec = json!({"inputs": {"secrets": {"token": secret}}});
            (
                definition("pg", "postgres", "host", spec),
                secret.to_owned(),
            )
        }
    };
    let mut engine = Engine::new(platform(&[definition]));
    if let Source::HostSecret | Source::HostInput = source {
        let shown = match source {
            Source::HostSecret => transform.apply(secret),
            _ => "{{input}}".to_owned(),
        };
        let mut answer = json!({"secrets": {"password": secret}});
        match manifest_with(place, &shown) {
            None => answer["outputs"] = json!({"url": shown}),
            Some(list) => answer["manifests"] = list,
        }
        engine.register_driver("host", Arc::new(Host { answer, transform }));
    }
    (engine, shown_secret)
}

/// Whether `text` shows `secret` in any form the boundary promises to find.
fn shows(text: &str, secret: &str) -> bool {
    let guard = SecretGuard::new([("s", secret)]).unwrap();
    text.contains(secret) || guard.found_in(text).is_some() || guard.redact(text) != text
}

fn transforms(len: usize) -> impl Strategy<Value = Transform> {
    prop_oneof![
        Just(Transform::Same),
        Just(Transform::Upper),
        Just(Transform::Lower),
        Just(Transform::Reverse),
        (1..len).prop_map(Transform::Split),
        (0usize..3).prop_map(Transform::Base64),
        Just(Transform::Embedded),
    ]
}

fn sources() -> impl Strategy<Value = Source> {
    prop_oneof![
        Just(Source::Generated),
        Just(Source::TemplateInput),
        Just(Source::Static),
        Just(Source::HostSecret),
        Just(Source::HostInput),
    ]
}

fn places() -> impl Strategy<Value = Place> {
    prop_oneof![
        Just(Place::Output),
        Just(Place::ConfigMap),
        Just(Place::Annotation)
    ]
}

fn cases() -> impl Strategy<Value = (String, Transform, Source, Place)> {
    "[A-Za-z0-9]{16,40}".prop_flat_map(|secret| {
        let len = secret.len();
        (Just(secret), transforms(len), sources(), places())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// However a driver shows a registered secret outside a Secret, the plan is refused, the
    /// error names the resource and a path and not the secret, and nothing written before
    /// the refusal shows it.
    #[test]
    fn a_transformed_secret_outside_a_secret_is_refused((secret, transform, source, place) in cases()) {
        let (engine, known) = leaking_engine(source, transform, place, &secret);
        let variables = json!({"URL": "${resources.db.url}"});
        let variables = if matches!(place, Place::Output) { variables } else { json!({"A": "b"}) };
        let workloads = workload(variables, json!({}));
        let mut written = Vec::new();
        let result = engine.write_yaml(&workloads, &context(), &PlanOptions::default(), &mut written);
        let err = result.expect_err("the plan must be refused");
        let text = format!("{err}\n{err:?}");
        prop_assert!(err.diagnostics().iter().any(|d| d.message.contains(KEY)), "{}", text);
        prop_assert!(!err.location().path.is_root(), "{}", text);
        prop_assert!(!shows(&text, &known), "{}", text);
        prop_assert!(!text.contains(&transform.apply(&known)), "{}", text);
        let written = String::from_utf8(written).unwrap();
        prop_assert!(!shows(&written, &known), "{}", written);
        let plan = engine.plan(&workloads, &context(), &PlanOptions::default());
        prop_assert_eq!(plan.err().map(|e| e.to_string()), Some(err.to_string()));
    }
}

/// Every text of a plan that must not show a secret: non-Secret objects, the graph exports,
/// the resource summary and the record.
fn public_texts(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = plan
        .manifests()
        .iter()
        .filter(|m| !is_secret_object(m))
        .map(Value::to_string)
        .collect();
    out.push(plan.to_dot());
    out.push(plan.to_mermaid());
    out.push(plan.graph_json().to_string());
    out.push(serde_json::to_string(plan.resources()).unwrap());
    out
}

/// The record metadata of a deploy of `plan` to the environment it was made for.
fn meta_for(plan: &Plan) -> DraftMeta {
    let context = plan.context();
    DraftMeta {
        environment: Environment {
            app: context.app.clone(),
            name: context.env.clone(),
            env_type: context.env_type.clone(),
            ephemeral: false,
            cloned_from: None,
            created_at: "2026-12-01T00:00:00Z".to_owned(),
            namespace: None,
            uid: None,
        },
        ..DraftMeta::default()
    }
}

fn record(plan: &Plan) -> goldpath::deploy::Deployment {
    Draft::new(
        plan,
        Operation::Deploy,
        "2026-12-01T00:00:00Z",
        meta_for(plan),
    )
    .unwrap()
    .seal(None)
}

/// An engine on the platform of `definitions` whose `host` driver answers `answer` as it is.
fn host_engine(definitions: &[Value], answer: Value) -> Engine {
    let mut engine = Engine::new(platform(definitions));
    let transform = Transform::Same;
    engine.register_driver("host", Arc::new(Host { answer, transform }));
    engine
}

/// The error of the plan of `workloads`, which must be refused.
fn plan_refused(engine: &Engine, workloads: &[WorkloadInput]) -> goldpath::Error {
    engine
        .plan(workloads, &context(), &PlanOptions::default())
        .err()
        .expect("the plan must be refused")
}

/// The `env` of the first container of the Deployment of `plan`.
fn container_env(plan: &Plan) -> &Value {
    let deployment = plan
        .manifests()
        .iter()
        .find(|m| m["kind"] == "Deployment")
        .unwrap();
    &deployment["spec"]["template"]["spec"]["containers"][0]["env"]
}

/// An engine whose `postgres` definition passes `secret` on properly, by `source`.
fn proper_engine(source: Source, secret: &str) -> Engine {
    let spec = match source {
        Source::Generated => json!({"templates": {
            "secrets": "password: \"{{ generated('pw') }}\"\n",
            "manifests": "- apiVersion: v1\n  kind: Secret\n  metadata: {name: db-admin}\n  stringData: {pw: \"{{ generated('pw') }}\"}\n",
        }}),
        Source::TemplateInput => json!({
            "inputs": {"secrets": {"admin": secret}},
            "templates": {"secrets": "password: {{ inputs.secrets.admin | tojson }}\n"},
        }),
        Source::Static => json!({"inputs": {"secrets": {"password": secret}}}),
        Source::HostSecret | Source::HostInput => json!({"inputs": {"secrets": {"token": secret}}}),
    };
    let driver = match source {
        Source::Generated | Source::TemplateInput => "template",
        Source::Static => "static",
        Source::HostSecret | Source::HostInput => "host",
    };
    let answer = json!({"outputs": {"host": "db"}, "secrets": {"password": "{{input}}"}});
    host_engine(&[definition("pg", "postgres", driver, spec)], answer)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A secret used as the design says (a variable, a variable that embeds it, a file that
    /// embeds it) plans, and shows in no object but Secrets, in no export, record or diff.
    #[test]
    fn a_secret_passed_on_properly_shows_nowhere_else(
        secret in "[A-Za-z0-9!#%&*+,.:;=?@^_~-]{12,40}",
        other in "[A-Za-z0-9]{12,40}",
        source in sources(),
    ) {
        let variables = json!({
            "PW": "${resources.db.password}",
            "URL": "postgres://app:${resources.db.password}@db",
        });
        let files = json!({"/etc/app/db.conf": {"content": "password=${resources.db.password}\n"}});
        let workloads = workload(variables, files);
        let plan = proper_engine(source, &secret)
            .plan(&workloads, &context(), &PlanOptions::default())
            .unwrap();
        let generated = SecretSeed::development()
            .generate(&context(), &KEY.parse::<ResourceKey>().unwrap(), "pw");
        let known = match source {
            Source::Generated => generated.expose().clone(),
            _ => secret.clone(),
        };
        let first = record(&plan);
        let second_plan = proper_engine(source, &other)
            .plan(&workloads, &context(), &PlanOptions::default())
            .unwrap();
        let second = record(&second_plan);
        let changes = diff(&first, &second);
        let mut texts = public_texts(&plan);
        texts.push(serde_json::to_string(&first).unwrap());
        texts.push(serde_json::to_string(&changes).unwrap());
        texts.push(changes.to_string());
        for text in &texts {
            prop_assert!(!shows(text, &known), "{}", text);
            prop_assert!(!text.contains(&base64(known.as_bytes())), "{}", text);
        }
    }
}

#[test]
fn finding_6_a_static_secret_inside_a_longer_output_is_refused() {
    let password = "Sup3rS3cretPassw0rd";
    let spec = json!({"inputs": {
        "values": {"url": format!("postgres://app:{password}@db")},
        "secrets": {"password": password},
    }});
    let engine = Engine::new(platform(&[definition("pg", "postgres", "static", spec)]));
    let workloads = workload(json!({"URL": "${resources.db.url}"}), json!({}));
    let err = plan_refused(&engine, &workloads);
    assert_eq!(err.kind(), ErrorKind::Driver);
    assert_eq!(err.location().path.to_string(), "outputs.url");
    assert!(
        err.message().contains(&format!("resource `{KEY}`")),
        "{err}"
    );
    assert!(!err.to_string().contains(password), "{err}");
}

#[test]
fn finding_6_a_host_secret_and_a_host_secret_input_in_longer_strings_are_refused() {
    let input = "Tok3n-given-to-the-host";
    let spec = json!({"inputs": {"secrets": {"token": input}}});
    let definitions = [definition("pg", "postgres", "host", spec)];
    // The host's own secret, embedded in an output that reaches a Deployment env value.
    let answer = json!({"outputs": {"url": "postgres://app:H0st-made-secret@db"},
                        "secrets": {"password": "H0st-made-secret"}});
    let engine = host_engine(&definitions, answer);
    let workloads = workload(json!({"URL": "${resources.db.url}"}), json!({}));
    let err = plan_refused(&engine, &workloads);
    assert_eq!(err.location().path.to_string(), "outputs.url");
    assert!(!err.to_string().contains("H0st-made-secret"), "{err}");
    // The secret input, copied into a ConfigMap by the host function.
    let answer = json!({"manifests": [{"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "db-config"}, "data": {"url": "postgres://app:{{input}}@db"}}]});
    let engine = host_engine(&definitions, answer);
    let workloads = workload(json!({"A": "b"}), json!({}));
    let err = plan_refused(&engine, &workloads);
    assert_eq!(err.location().path.to_string(), "data.url");
    assert!(err.message().contains("ConfigMap `db-config`"), "{err}");
    assert!(!err.to_string().contains(input), "{err}");
}

#[test]
fn finding_6_a_secret_embedded_in_a_variable_is_composed_for_every_driver() {
    for source in [Source::Generated, Source::Static, Source::HostSecret] {
        let variables = json!({"URL": "postgres://app:${resources.db.password}@db"});
        let plan = proper_engine(source, "An0ther-secret-value")
            .plan(
                &workload(variables, json!({})),
                &context(),
                &PlanOptions::default(),
            )
            .unwrap();
        let env = container_env(&plan);
        let url = env
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == "URL")
            .unwrap();
        let value = url["value"].as_str().unwrap();
        assert!(
            value.starts_with("postgres://app:$(__ref_"),
            "{source:?}: {value}"
        );
        assert!(
            env[0]["valueFrom"]["secretKeyRef"].is_object(),
            "{source:?}: {env}"
        );
    }
}

#[test]
fn finding_7_template_filters_do_not_hide_a_generated_secret() {
    for filter in [
        "| upper",
        "| reverse",
        "| lower | reverse",
        "[0:10] ~ generated('pw')[10:32]",
    ] {
        let shown = format!("{{{{ generated('pw') {filter} }}}}");
        let manifests = format!(
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: cfg}}\n  data: {{v: \"{shown}\"}}\n"
        );
        let spec = json!({"templates": {"manifests": manifests}});
        let engine = Engine::new(platform(&[definition("pg", "postgres", "template", spec)]));
        let err = plan_refused(&engine, &workload(json!({"A": "b"}), json!({})));
        assert_eq!(err.location().path.to_string(), "data.v", "{filter}: {err}");
        assert!(err.message().contains("ConfigMap `cfg`"), "{err}");
    }
}

#[test]
fn finding_8_a_leak_error_hides_a_name_made_from_the_secret_and_a_duplicate_key() {
    let generated =
        SecretSeed::development().generate(&context(), &KEY.parse::<ResourceKey>().unwrap(), "pw");
    let lower = generated.expose().to_lowercase();
    let manifests = "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: \"cm-{{ generated('pw') | lower }}\"}\n  data: {a: b}\n";
    let spec = json!({"templates": {"manifests": manifests}});
    let engine = Engine::new(platform(&[definition("pg", "postgres", "template", spec)]));
    let workloads = workload(json!({"A": "b"}), json!({}));
    let err = plan_refused(&engine, &workloads);
    assert!(!err.to_string().contains(&lower), "{err}");
    assert!(err.message().contains("name not shown"), "{err}");
    assert_eq!(err.location().path.to_string(), "metadata.name");

    let outputs = "\"{{ generated('k') }}\": 1\n\"{{ generated('k') }}\": 2\n";
    let spec = json!({"templates": {"outputs": outputs}});
    let engine = Engine::new(platform(&[definition("pg", "postgres", "template", spec)]));
    let key =
        SecretSeed::development().generate(&context(), &KEY.parse::<ResourceKey>().unwrap(), "k");
    let err = plan_refused(&engine, &workloads);
    assert!(err.message().contains("same key twice"), "{err}");
    assert!(!err.to_string().contains(key.expose().as_str()), "{err}");
}

/// Definitions where `postgres` takes its password from another resource's secret output.
fn passed_on(password_input: &str) -> Engine {
    let source = definition(
        "pw",
        "dbpassword",
        "static",
        json!({"inputs": {"secrets": {"password": "Th3-real-password-value"}}}),
    );
    let user = definition(
        "pg",
        "postgres",
        "static",
        json!({"inputs": {
            "values": {"host": "db"},
            "secrets": {"password": password_input},
        }}),
    );
    Engine::new(platform(&[source, user]))
}

#[test]
fn finding_9_a_secret_output_passed_on_through_inputs_secrets_stays_a_reference() {
    let engine = passed_on("${resources.dbpassword#shared.pw.outputs.password}");
    let workloads = workload(json!({"PW": "${resources.db.password}"}), json!({}));
    let plan = engine
        .plan(&workloads, &context(), &PlanOptions::default())
        .unwrap();
    let env = &container_env(&plan)[0];
    let reference = &env["valueFrom"]["secretKeyRef"];
    assert_eq!(reference["key"], "password", "{env}");
    assert!(
        reference["name"]
            .as_str()
            .unwrap()
            .starts_with("dbpassword-"),
        "{env}"
    );
    for secret in plan.manifests().iter().filter(|m| m["kind"] == "Secret") {
        let text = secret.to_string();
        assert!(
            !text.contains(&base64(b"{\"secretKeyRef\"")[..12]),
            "{text}"
        );
        assert!(!text.contains("secretKeyRef"), "{text}");
    }
    let engine = passed_on("x-${resources.dbpassword#shared.pw.outputs.password}");
    let err = plan_refused(&engine, &workloads);
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(
        err.location().path.to_string(),
        "spec.inputs.secrets.password"
    );
    assert!(err.message().contains("passed on only whole"), "{err}");
}

#[test]
fn a_short_secret_is_matched_whole_and_shorter_ones_not_at_all() {
    let guard = SecretGuard::new([("resource `x`", "abc12"), ("resource `y`", "ab")]).unwrap();
    assert_eq!(guard.found_in("abc12"), Some("resource `x`"));
    assert_eq!(guard.found_in("xabc12"), None);
    assert_eq!(guard.found_in("ab"), None);
    let registry = goldpath::secrets::SecretRegistry::default();
    registry.register_inputs(
        &KEY.parse().unwrap(),
        [&SecretValue::Value(Sensitive::new(
            "Zz-secret-99".to_owned(),
        ))],
    );
    let guard = registry.guard().unwrap();
    assert_eq!(guard.redact("a ZZ-SECRET-99 b"), "a *** b");
    assert_eq!(guard.redact("99-terces-zZ"), "***");
}

#[test]
fn a_secret_in_a_workload_field_that_renders_nothing_is_not_recorded() {
    let spec = json!({"inputs": {"secrets": {"password": "Pl4tform-secret-value"}}});
    let engine = Engine::new(platform(&[definition("pg", "postgres", "static", spec)]));
    let score = json!({
        "apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
        "containers": {"main": {"image": "nginx:1.27"}},
        "resources": {"db": {"type": "postgres", "params": {"note": "x-Pl4tform-secret-value"}}},
    });
    let workload = Loader::default()
        .score_str(&score.to_string(), None)
        .unwrap();
    let plan = engine
        .plan(
            &[WorkloadInput::new(workload)],
            &context(),
            &PlanOptions::default(),
        )
        .unwrap();
    let err = Draft::new(
        &plan,
        Operation::Deploy,
        "2026-12-01T00:00:00Z",
        meta_for(&plan),
    )
    .unwrap_err();
    assert!(
        err.message()
            .contains("the inputs of the deployment record"),
        "{err}"
    );
    assert!(!err.to_string().contains("Pl4tform-secret-value"), "{err}");
    assert!(
        err.location().path.to_string().contains("params.note"),
        "{err}"
    );
}
