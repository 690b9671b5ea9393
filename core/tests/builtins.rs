//! The built-in default platform, through the public API: every built-in definition provisions
//! a realistic request with the outputs score-k8s documents, valid and self-consistent
//! Kubernetes objects, secret outputs that refer to Secrets it creates, the same result every
//! time, and no generated value outside a Secret's data.

use goldpath::builtins;
use goldpath::drivers::{
    DriverRegistry, ProvisionRequest, Provisioned, SecretSeed, TemplateDriver,
};
use goldpath::load::Loader;
use goldpath::matching::{self, Request};
use goldpath::placeholder::{Reference, lookup};
use goldpath::platform::{Context, Definition, Platform};
use goldpath::sensitive::SecretValue;
use goldpath::validate::names;
use goldpath::{ResourceKey, Result};
use serde_json::{Map, Value, json};

const GUID: &str = "0123456789abcdef";

/// Every name the built-ins pass to `generated(...)`.
const GENERATED_NAMES: [&str; 3] = ["password", "root-password", "secret-key"];

/// A request for a resource of type `kind`, requested by `frontend`.
struct Fixture {
    key: ResourceKey,
    context: Context,
    params: Map<String, Value>,
    seed: SecretSeed,
    workloads: goldpath::drivers::Services,
    tree: Value,
}

impl Fixture {
    fn new(key: &str, params: Value) -> Self {
        let context = Context::new("shop", "dev", "development");
        Self {
            key: key.parse().unwrap(),
            params: params.as_object().cloned().unwrap_or_default(),
            seed: SecretSeed::development(),
            workloads: goldpath::drivers::Services::from(json!({
                "frontend": {"service": {"name": "frontend", "ports": {
                    "http": {"port": 80, "targetPort": 8080, "protocol": "TCP"},
                }}},
                "backend": {"service": {"name": "backend", "ports": {
                    "api": {"port": 8080, "targetPort": 8080, "protocol": "TCP"},
                }}},
                "worker": {"service": null},
            })),
            tree: json!({
                "context": {"app": {"id": context.app}, "env": {"id": context.env, "type": context.env_type}},
                "params": params,
            }),
            context,
        }
    }

    /// The built-in definition of this resource's type.
    fn definition(&self) -> &'static Definition {
        let kind = self.key.resource_type();
        builtins::definitions()
            .iter()
            .find(|d| d.spec.resource_type == kind)
            .unwrap_or_else(|| panic!("no built-in for `{kind}`"))
    }

    fn run<T>(&self, f: impl FnOnce(&ProvisionRequest<'_>) -> T) -> T {
        let tree = &self.tree;
        let resolver = |r: &Reference| lookup(tree, r.segments()).cloned();
        f(&ProvisionRequest {
            key: &self.key,
            guid: GUID,
            context: &self.context,
            definition: self.definition(),
            params: &self.params,
            seed: &self.seed,
            resolver: &resolver,
            workloads: &self.workloads,
            source: Some("frontend"),
            workload: None,
            state: None,
            folder: None,
        })
    }

    fn provision(&self) -> Result<Provisioned> {
        self.run(|req| DriverRegistry::with_builtins().provision(req))
    }

    /// Every value `generated(...)` gives this resource.
    fn generated(&self) -> Vec<String> {
        GENERATED_NAMES
            .iter()
            .map(|name| {
                self.seed
                    .generate(&self.context, &self.key, name)
                    .expose()
                    .clone()
            })
            .collect()
    }
}

fn provision(key: &str, params: Value) -> Provisioned {
    Fixture::new(key, params).provision().unwrap()
}

fn names_of(map: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    let mut names: Vec<String> = map.into_iter().map(|s| s.as_ref().to_owned()).collect();
    names.sort_unstable();
    names
}

fn sorted(names: &[&str]) -> Vec<String> {
    names_of(names)
}

fn manifest<'a>(p: &'a Provisioned, kind: &str, name: &str) -> &'a Value {
    p.manifests
        .iter()
        .find(|m| m["kind"] == kind && m["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind}/{name} in {p}"))
}

/// Whether `p` creates a Secret `name` with the key `key`.
fn creates_secret_key(p: &Provisioned, name: &str, key: &str) -> bool {
    p.manifests.iter().any(|m| {
        m["kind"] == "Secret"
            && m["metadata"]["name"] == name
            && ["stringData", "data"]
                .iter()
                .any(|f| m[f].get(key).is_some())
    })
}

/// Checks names, labels, selectors and references of every manifest.
fn assert_valid_manifests(p: &Provisioned) {
    for m in &p.manifests {
        let (kind, name) = (
            m["kind"].as_str().unwrap(),
            m["metadata"]["name"].as_str().unwrap(),
        );
        assert!(m["apiVersion"].is_string(), "{kind}/{name}");
        let valid = match kind {
            "Service" => names::dns1035_label(name),
            "Ingress" | "Secret" => names::dns1123_subdomain(name),
            _ => names::dns1123_label(name),
        };
        assert_eq!(valid, Ok(()), "{kind}/{name}");
        assert_labels(&m["metadata"]["labels"], name);
        assert_eq!(
            m["metadata"]["labels"]["app.kubernetes.io/managed-by"],
            "goldpath"
        );
        assert_eq!(m["metadata"]["labels"]["app.kubernetes.io/part-of"], "shop");
        if let Some(pod) = m.pointer("/spec/template/spec") {
            assert_restricted(pod, name);
            assert_labels(&m["spec"]["template"]["metadata"]["labels"], name);
        }
        if kind == "Service" {
            assert_service_selects_a_pod(p, m);
        }
    }
    assert_secret_refs_exist(p);
}

fn assert_labels(labels: &Value, name: &str) {
    let labels = labels
        .as_object()
        .unwrap_or_else(|| panic!("{name} has no labels"));
    for (key, value) in labels {
        assert_eq!(names::label_key(key), Ok(()), "{name}");
        assert_eq!(
            names::label_value(value.as_str().unwrap()),
            Ok(()),
            "{name}"
        );
    }
}

/// The restricted Pod Security profile: non-root, seccomp, no escalation, no capabilities.
fn assert_restricted(pod: &Value, name: &str) {
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true, "{name}");
    assert_eq!(
        pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault",
        "{name}"
    );
    for container in pod["containers"].as_array().unwrap() {
        let security = &container["securityContext"];
        assert_eq!(security["allowPrivilegeEscalation"], false, "{name}");
        assert_eq!(security["capabilities"]["drop"], json!(["ALL"]), "{name}");
    }
}

/// The Service selects the pods of a StatefulSet of the same name, whose `serviceName` it is,
/// on container ports that exist; no other pod template carries the selected labels.
fn assert_service_selects_a_pod(p: &Provisioned, service: &Value) {
    let name = service["metadata"]["name"].as_str().unwrap();
    let set = manifest(p, "StatefulSet", name);
    assert_eq!(set["spec"]["serviceName"], name);
    let selector = service["spec"]["selector"].as_object().unwrap();
    assert_eq!(
        &set["spec"]["selector"]["matchLabels"],
        &Value::Object(selector.clone())
    );
    let selects = |m: &Value| {
        let labels = &m["spec"]["template"]["metadata"]["labels"];
        selector.iter().all(|(k, v)| labels.get(k) == Some(v))
    };
    let selected: Vec<&Value> = p.manifests.iter().filter(|m| selects(m)).collect();
    assert_eq!(
        selected,
        [set],
        "the Service {name} selects only its StatefulSet's pods"
    );
    let containers = set["spec"]["template"]["spec"]["containers"]
        .as_array()
        .unwrap();
    for port in service["spec"]["ports"].as_array().unwrap() {
        let found = containers
            .iter()
            .flat_map(|c| c["ports"].as_array().unwrap())
            .any(|cp| cp["name"] == port["targetPort"]);
        assert!(found, "{name}: no container port {}", port["targetPort"]);
        assert_eq!(names::iana_svc_name(port["name"].as_str().unwrap()), Ok(()));
    }
}

/// Every `secretKeyRef` and Secret volume of a non-Secret manifest names a Secret of `p`.
fn assert_secret_refs_exist(p: &Provisioned) {
    fn walk(value: &Value, p: &Provisioned) {
        match value {
            Value::Object(map) => {
                if let Some(selector) = map.get("secretKeyRef") {
                    let (name, key) = (selector["name"].as_str(), selector["key"].as_str());
                    assert!(
                        creates_secret_key(p, name.unwrap(), key.unwrap()),
                        "{selector}"
                    );
                }
                if let Some(name) = map.get("secretName").and_then(Value::as_str) {
                    for item in map["items"].as_array().unwrap() {
                        assert!(creates_secret_key(p, name, item["key"].as_str().unwrap()));
                    }
                }
                map.values().for_each(|v| walk(v, p));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, p)),
            _ => {}
        }
    }
    p.manifests
        .iter()
        .filter(|m| m["kind"] != "Secret")
        .for_each(|m| walk(m, p));
}

/// Paths of every string or key in `value` that contains one of `needles`.
fn find_needles(value: &Value, path: &str, needles: &[String], found: &mut Vec<String>) {
    let hit = |text: &str| needles.iter().any(|n| text.contains(n.as_str()));
    match value {
        Value::String(text) if hit(text) => found.push(path.to_owned()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_needles(item, &format!("{path}[{i}]"), needles, found);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if hit(key) {
                    found.push(format!("{path}.<key>"));
                }
                find_needles(item, &format!("{path}.{key}"), needles, found);
            }
        }
        _ => {}
    }
}

/// Where a generated value of `f` appears outside the data of a Secret; also asserts that the
/// driver records no generated value this test does not know of.
fn leaks(f: &Fixture, p: &Provisioned) -> Vec<String> {
    let generated = f.generated();
    let rendered = f.run(|req| TemplateDriver::new().render(req)).unwrap();
    for value in &rendered.sensitive {
        let known = generated.contains(value.expose());
        assert!(known, "a generated name missing from GENERATED_NAMES");
    }
    let mut found = Vec::new();
    find_needles(
        &Value::Object(p.outputs.clone()),
        "outputs",
        &generated,
        &mut found,
    );
    for (name, secret) in &p.secrets {
        if let SecretValue::Value(_) = secret {
            found.push(format!("secrets.{name} is a value, not a reference"));
        }
    }
    for (i, m) in p.manifests.iter().enumerate() {
        let mut copy = m.clone();
        if m["kind"] == "Secret" {
            let fields = copy.as_object_mut().unwrap();
            fields.remove("stringData");
            fields.remove("data");
        }
        find_needles(&copy, &format!("manifests[{i}]"), &generated, &mut found);
    }
    found
}

/// score-k8s's outputs of each type that runs a server: (type, plain outputs, secret outputs).
const SERVERS: [(&str, &[&str], &[&str]); 8] = [
    (
        "postgres",
        &["host", "port", "name", "database", "username"],
        &["password"],
    ),
    (
        "mysql",
        &["host", "port", "name", "database", "username"],
        &["password"],
    ),
    ("redis", &["host", "port", "username"], &["password"]),
    (
        "mongodb",
        &["host", "port", "username"],
        &["password", "connection"],
    ),
    (
        "amqp",
        &["host", "port", "vhost", "username"],
        &["password"],
    ),
    (
        "mssql",
        &["server", "port", "database", "username"],
        &["password", "connection"],
    ),
    (
        "s3",
        &[
            "bucket",
            "endpoint",
            "region",
            "access_key_id",
            "aws_access_key_id",
        ],
        &["secret_key", "aws_secret_key"],
    ),
    (
        "kafka-topic",
        &["host", "port", "name", "num_partitions"],
        &[],
    ),
];

#[test]
fn every_builtin_loads_once_per_type_with_its_expected_outputs() {
    let mut types = names_of(
        builtins::definitions()
            .iter()
            .map(|d| &d.spec.resource_type),
    );
    types.dedup();
    assert_eq!(types.len(), builtins::definitions().len());
    let mut wanted: Vec<&str> = SERVERS.iter().map(|(kind, ..)| *kind).collect();
    wanted.extend([
        "volume",
        "dns",
        "route",
        "service",
        "service-port",
        "workload",
    ]);
    assert_eq!(types, sorted(&wanted));
    for (kind, outputs, secrets) in SERVERS {
        let definition = Fixture::new(&format!("{kind}#frontend.x"), json!({})).definition();
        assert_eq!(
            names_of(&definition.spec.expected_outputs),
            sorted(outputs),
            "{kind}"
        );
        assert_eq!(
            names_of(&definition.spec.expected_secrets),
            sorted(secrets),
            "{kind}"
        );
    }
}

#[test]
fn servers_output_what_score_k8s_documents_with_secrets_as_references_to_their_secret() {
    for (kind, outputs, secrets) in SERVERS {
        let fixture = Fixture::new(&format!("{kind}.default#backend.db"), json!({}));
        let p = fixture
            .provision()
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        let name = format!("{kind}-{GUID}");
        assert_eq!(names_of(p.outputs.keys()), sorted(outputs), "{kind}");
        assert_eq!(names_of(p.secrets.keys()), sorted(secrets), "{kind}");
        for (output, secret) in &p.secrets {
            let SecretValue::Ref {
                name: secret_name,
                key,
            } = secret
            else {
                panic!("{kind}: secret output `{output}` is not a reference");
            };
            assert_eq!(secret_name, &name, "{kind}");
            assert!(creates_secret_key(&p, secret_name, key), "{kind}: {output}");
        }
        let service = &manifest(&p, "Service", &name)["spec"]["ports"][0]["port"];
        let address = match kind {
            "s3" => (
                &p.outputs["endpoint"],
                json!(format!("http://{name}:{service}")),
            ),
            "mssql" => (&p.outputs["server"], json!(name)),
            _ => (&p.outputs["host"], json!(name)),
        };
        assert_eq!(
            address.0, &address.1,
            "{kind}: the address is the Service's"
        );
        if let Some(port) = p.outputs.get("port") {
            assert_eq!(service, port, "{kind}");
        }
        assert_valid_manifests(&p);
        assert_eq!(
            p,
            fixture.provision().unwrap(),
            "{kind}: provisioning is deterministic"
        );
        assert_eq!(leaks(&fixture, &p), Vec::<String>::new(), "{kind}");
    }
}

#[test]
fn generated_passwords_reach_the_secrets_and_nothing_else() {
    for (kind, ..) in SERVERS.iter().filter(|(kind, ..)| *kind != "kafka-topic") {
        let fixture = Fixture::new(&format!("{kind}#backend.db"), json!({}));
        let p = fixture.provision().unwrap();
        let generated = fixture.generated();
        let secret = p.manifests.iter().find(|m| m["kind"] == "Secret").unwrap();
        let mut found = Vec::new();
        find_needles(&secret["stringData"], "stringData", &generated, &mut found);
        assert!(
            !found.is_empty(),
            "{kind}: the Secret holds a generated value"
        );
        assert_eq!(leaks(&fixture, &p), Vec::<String>::new(), "{kind}");
    }
    let p = provision("mssql#backend.db", json!({}));
    let secret = manifest(&p, "Secret", &format!("mssql-{GUID}"));
    let password = secret["stringData"]["password"].as_str().unwrap();
    assert!(password.ends_with("-Aa1"), "SQL Server's password rules");
    assert!(
        secret["stringData"]["connection"]
            .as_str()
            .unwrap()
            .contains(password)
    );
}

#[test]
fn kafka_topic_outputs_the_broker_and_topic() {
    let p = provision("kafka-topic#backend.events", json!({}));
    assert_eq!(
        Value::Object(p.outputs.clone()),
        json!({
            "host": format!("kafka-topic-{GUID}"),
            "port": 9092,
            "name": format!("topic-{GUID}"),
            "num_partitions": 3,
        })
    );
    let job = manifest(&p, "Job", &format!("kafka-topic-{GUID}-create"));
    let script = job["spec"]["template"]["spec"]["containers"][0]["args"][0]
        .as_str()
        .unwrap();
    assert!(
        script.contains(&format!("--topic topic-{GUID}")),
        "{script}"
    );
    assert!(script.contains("--partitions 3"), "{script}");
}

#[test]
fn s3_outputs_the_bucket_and_the_aws_names() {
    let p = provision("s3#backend.files", json!({}));
    assert_eq!(p.outputs["endpoint"], format!("http://s3-{GUID}:9000"));
    assert_eq!(p.outputs["region"], "us-east-1");
    assert_eq!(p.outputs["access_key_id"], p.outputs["aws_access_key_id"]);
    assert_eq!(p.secrets["secret_key"], p.secrets["aws_secret_key"]);
    let job = manifest(&p, "Job", &format!("s3-{GUID}-bucket"));
    let script = job["spec"]["template"]["spec"]["containers"][0]["args"][0]
        .as_str()
        .unwrap();
    assert!(script.contains(&format!("local/bucket-{GUID}")), "{script}");
}

#[test]
fn volume_is_an_empty_dir() {
    let p = provision("volume#frontend.cache", json!({}));
    assert_eq!(
        Value::Object(p.outputs),
        json!({"source": {"emptyDir": {}}})
    );
    assert!(p.secrets.is_empty() && p.manifests.is_empty());
}

#[test]
fn dns_host_is_a_stable_localhost_subdomain_derived_from_the_guid() {
    let fixture = Fixture::new("dns#frontend.dns", json!({}));
    let p = fixture.provision().unwrap();
    let host = p.outputs["host"].as_str().unwrap();
    assert_eq!(host, format!("dns{GUID}.localhost"));
    assert_eq!(names::dns1123_subdomain(host), Ok(()));
    assert_eq!(p, fixture.provision().unwrap());
    assert!(p.manifests.is_empty());
}

fn route(params: Value) -> Result<Provisioned> {
    Fixture::new("route#frontend.route", params).provision()
}

#[test]
fn route_is_an_ingress_to_the_source_workload_service_port() {
    for port in [json!("http"), json!(80), json!("80")] {
        let p = route(json!({"host": "shop.localhost", "path": "/api", "port": port})).unwrap();
        assert_eq!(
            Value::Object(p.outputs.clone()),
            json!({"host": "shop.localhost", "path": "/api"})
        );
        let ingress = manifest(&p, "Ingress", &format!("route-{GUID}"));
        assert_eq!(ingress["apiVersion"], "networking.k8s.io/v1");
        let rule = &ingress["spec"]["rules"][0];
        assert_eq!(rule["host"], "shop.localhost");
        let path = &rule["http"]["paths"][0];
        assert_eq!(
            (&path["path"], &path["pathType"]),
            (&json!("/api"), &json!("Prefix"))
        );
        assert_eq!(
            path["backend"]["service"],
            json!({"name": "frontend", "port": {"number": 80}}),
            "port {port}"
        );
        assert_valid_manifests(&p);
        assert_eq!(
            p,
            route(json!({"host": "shop.localhost", "path": "/api", "port": port})).unwrap()
        );
    }
}

#[test]
fn route_path_defaults_to_the_root_and_gains_a_leading_slash() {
    let p = route(json!({"host": "a.localhost", "port": 80})).unwrap();
    assert_eq!(p.outputs["path"], "/");
    let p = route(json!({"host": "a.localhost", "path": "docs", "port": 80})).unwrap();
    assert_eq!(p.outputs["path"], "/docs");
    assert_eq!(
        p.manifests[0]["spec"]["rules"][0]["http"]["paths"][0]["path"],
        "/docs"
    );
}

#[test]
fn route_refuses_a_port_the_source_workload_does_not_serve() {
    for port in [json!("grpc"), json!(8080), json!("8080")] {
        let err = route(json!({"host": "a.localhost", "port": port})).unwrap_err();
        assert!(
            err.message().contains("definition `builtin-route`"),
            "{err}"
        );
        assert!(
            err.message().contains("params_port_is_not_a_service_port"),
            "{err}"
        );
    }
    let err = route(json!({"host": "a.localhost"})).unwrap_err();
    assert!(err.message().contains("params_port_is_required"), "{err}");
    let err = route(json!({"port": 80})).unwrap_err();
    assert!(err.message().contains("params_host_is_required"), "{err}");
}

#[test]
fn service_and_service_port_link_to_other_workloads() {
    let p = provision("service.default#frontend.backend", json!({}));
    assert_eq!(
        Value::Object(p.outputs),
        json!({"name": "backend", "host": "backend"})
    );
    let p = provision(
        "service#frontend.api",
        json!({"workload": "backend", "port": "api"}),
    );
    assert_eq!(
        Value::Object(p.outputs),
        json!({"name": "backend", "host": "backend", "port": 8080})
    );
    let p = provision(
        "service-port#backend.web",
        json!({"workload": "frontend", "port": "http"}),
    );
    assert_eq!(
        Value::Object(p.outputs),
        json!({"hostname": "frontend", "port": 80})
    );
    assert!(p.secrets.is_empty() && p.manifests.is_empty());
}

#[test]
fn a_platform_definition_wins_over_the_builtin_and_the_builtins_fill_the_gaps() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/platform");
    let docs = Loader::default().path(fixture.as_ref()).unwrap();
    let mut platform = Platform::from_documents(docs.platform.into_iter().map(|l| l.document));
    builtins::add_to(&mut platform);
    let context = Context::new("shop", "dev", "development");
    let find = |kind| {
        matching::find(
            &platform,
            &Request::new(kind, "default", "web.db", &context),
        )
    };
    let postgres = find("postgres").unwrap();
    assert_eq!(
        (postgres.name.as_str(), postgres.builtin),
        ("postgres-in-cluster", false)
    );
    let redis = find("redis").unwrap();
    assert_eq!(
        (redis.name.as_str(), redis.builtin),
        ("builtin-redis", true)
    );
    let large = Request::new("redis", "large", "web.db", &context);
    assert!(
        matching::find(&platform, &large).is_err(),
        "built-ins serve class `default` only"
    );
}
