//! Random small applications: one to three Score workloads whose containers, files, service
//! ports and resources reference each other through placeholders, as JSON values.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::mutate::STRINGS;

const NAMES: &[&str] = &["web", "api", "worker", "db", "web"];
/// Resource types, the common ones several times so most applications plan.
const TYPES: &[&str] = &[
    "postgres",
    "redis",
    "dns",
    "volume",
    "postgres",
    "redis",
    "dns",
    "volume",
    "postgres",
    "redis",
    "dns",
    "volume",
    "mysql",
    "mongodb",
    "amqp",
    "mssql",
    "s3",
    "kafka-topic",
    "postgres",
    "redis",
    "route",
    "service-port",
    "k8s-namespace",
    "unknown-type",
];
/// Output names, the common ones several times.
const OUTPUTS: &[&str] = &[
    "host", "port", "host", "port", "host", "name", "username", "password", "url", "uri",
    "missing", "path",
];
const RESOURCES: &[&str] = &["db", "cache", "dns", "route", "data", "topic", "other"];

/// A placeholder or a literal, as a value of a variable, a file content or a param.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (0..9usize, 0..OUTPUTS.len())
            .prop_map(|(r, o)| format!("${{resources.@{r}.{}}}", OUTPUTS[o])),
        2 => (0..9usize, 0..OUTPUTS.len(), 0..9usize).prop_map(|(r, o, s)| format!(
            "x-${{resources.@{r}.{}}}:${{resources.@{s}.host}}/${{metadata.name}}",
            OUTPUTS[o]
        )),
        1 => (0..STRINGS.len()).prop_map(|i| STRINGS[i].to_owned()),
        1 => Just("${metadata.name}".to_owned()),
        1 => "[a-z0-9 =:/]{0,12}",
    ]
}

/// A resource param: mostly literal (a reference to another resource may form a cycle).
fn param() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop_oneof![Just("example.com".to_owned()), Just("/".to_owned()), Just("80".to_owned()), Just("${metadata.name}".to_owned())],
        1 => text(),
    ]
}

fn container() -> impl Strategy<Value = Value> {
    (
        (0..STRINGS.len()),
        prop::collection::btree_map("[A-Z_]{1,6}", text(), 0..4),
        prop::collection::btree_map("/etc/[a-z]{1,4}", text(), 0..2),
        prop::option::of((0..9usize, "/data/[a-z]{1,3}")),
        prop::option::of(("[1-9][0-9]{0,3}m", "[1-9][0-9]{0,3}Mi")),
    )
        .prop_map(|(image, variables, files, volume, amounts)| {
            let image = if image % 4 == 0 {
                STRINGS[image]
            } else {
                "nginx:1.27"
            };
            let files: Map<String, Value> = files
                .into_iter()
                .map(|(target, content)| (target, json!({"content": content})))
                .collect();
            let mut container = json!({"image": image, "variables": variables, "files": files});
            if let Some((resource, target)) = volume {
                container["volumes"] =
                    json!({target: {"source": format!("${{resources.@{resource}}}")}});
            }
            if let Some((cpu, memory)) = amounts {
                container["resources"] = json!({"requests": {"cpu": cpu, "memory": memory}});
            }
            container
        })
}

fn resource() -> impl Strategy<Value = Value> {
    (
        0..TYPES.len(),
        prop::option::weighted(
            0.05,
            prop_oneof![Just("default"), Just("large"), Just("x1")],
        ),
        prop::option::weighted(0.2, prop_oneof![Just("shared"), Just("api.db")]),
        prop::collection::btree_map(
            prop_oneof![Just("host"), Just("path"), Just("port"), Just("x")],
            param(),
            0..3,
        ),
    )
        .prop_map(|(kind, class, id, params)| {
            let mut resource = json!({"type": TYPES[kind]});
            if let Some(class) = class {
                resource["class"] = json!(class);
            }
            if let Some(id) = id {
                resource["id"] = json!(id);
            }
            if !params.is_empty() {
                resource["params"] = json!(params);
            }
            resource
        })
}

/// One Score workload as a value.
pub fn workload() -> impl Strategy<Value = Value> {
    (
        0..NAMES.len(),
        prop::collection::btree_map(prop_oneof![Just("main"), Just("side")], container(), 1..3),
        prop::option::of(prop::collection::btree_map(
            prop_oneof![Just("www"), Just("api")],
            (1u32..65536, prop::option::of(1u32..65536)),
            1..3,
        )),
        prop::collection::btree_map(0..RESOURCES.len(), resource(), 1..4),
    )
        .prop_map(|(name, containers, ports, resources)| {
            let resources: Map<String, Value> = resources
                .into_iter()
                .map(|(i, r)| (RESOURCES[i].to_owned(), r))
                .collect();
            let declared: Vec<String> = resources.keys().cloned().collect();
            let mut containers = json!(containers);
            name_resources(&mut containers, &declared);
            let mut resources = json!(resources);
            name_resources(&mut resources, &declared);
            let mut doc = json!({
                "apiVersion": "score.dev/v1b1",
                "metadata": {"name": NAMES[name]},
                "containers": containers,
                "resources": resources,
            });
            if let Some(ports) = ports {
                let ports: Map<String, Value> = ports
                    .into_iter()
                    .map(|(n, (port, target))| {
                        let mut p = json!({"port": port});
                        if let Some(t) = target {
                            p["targetPort"] = json!(t);
                        }
                        (n.to_owned(), p)
                    })
                    .collect();
                doc["service"] = json!({"ports": ports});
            }
            doc
        })
}

/// Replaces each `@n` in the strings of `value` by the name of declared resource `n`
/// (modulo their number), so placeholders name resources the workload has.
fn name_resources(value: &mut Value, declared: &[String]) {
    match value {
        Value::String(s) => {
            for n in (0..9).rev() {
                let name = &declared[n % declared.len()];
                *s = s.replace(&format!("@{n}"), name);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| name_resources(v, declared)),
        Value::Object(map) => map.values_mut().for_each(|v| name_resources(v, declared)),
        _ => {}
    }
}

/// An application: one to three workloads.
pub fn application() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(workload(), 1..4)
}
