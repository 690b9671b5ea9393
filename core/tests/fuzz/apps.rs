//! Random small applications: one to three Score workloads whose containers, files, service
//! ports and resources reference each other through placeholders, as JSON values.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::mutate::STRINGS;

const NAMES: &[&str] = &["web", "api", "worker", "db", "web"];
/// Resource types that plan with the fixture platform in every environment type, with their
/// outputs.
const TYPES: &[(&str, &[&str])] = &[
    (
        "postgres",
        &["host", "port", "name", "database", "username", "password"],
    ),
    ("redis", &["host", "port", "username", "password"]),
    ("dns", &["host"]),
    ("volume", &["source"]),
    ("mysql", &["host", "port", "name", "database", "username"]),
    ("mongodb", &["host", "port", "username"]),
    ("amqp", &["host", "port", "vhost", "username"]),
    ("mssql", &["server", "port", "database", "username"]),
    ("s3", &["bucket", "endpoint", "region", "access_key_id"]),
    ("kafka-topic", &["host", "port", "name", "num_partitions"]),
];
/// Resource types that need params or a context to plan, or do not exist.
const RARE_TYPES: &[&str] = &[
    "route",
    "service-port",
    "k8s-namespace",
    "service",
    "unknown-type",
];
/// The output `#k` of a resource of type `kind` stands for (`#8` for one that does not exist).
fn output_of(kind: &str, k: usize) -> &'static str {
    let outputs = TYPES
        .iter()
        .find(|(t, _)| *t == kind)
        .map_or(&["host"][..], |(_, o)| o);
    if k >= 8 {
        "missing"
    } else {
        outputs[k % outputs.len()]
    }
}
const RESOURCES: &[&str] = &["db", "cache", "dns", "route", "data", "topic", "other"];

/// A placeholder or a literal, as a value of a variable, a file content or a param.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (0..9usize, 0..9usize).prop_map(|(r, o)| format!("${{resources.@{r}.#{o}}}")),
        2 => (0..9usize, 0..9usize, 0..9usize, 0..8usize).prop_map(|(r, o, s, p)| format!(
            "x-${{resources.@{r}.#{o}}}:${{resources.@{s}.#{p}}}/${{metadata.name}}"
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
        prop::option::weighted(0.1, (0..9usize, "/data/[a-z]{1,3}")),
        prop::option::of(("[1-9][0-9]{0,3}m", "[1-9][0-9]{0,1}Mi")),
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
        prop_oneof![
            30 => (0..TYPES.len()).prop_map(|i| TYPES[i].0),
            1 => (0..RARE_TYPES.len()).prop_map(|i| RARE_TYPES[i]),
        ],
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
            let mut resource = json!({"type": kind});
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
            let declared: Vec<(String, String)> = resources
                .iter()
                .map(|(name, r)| {
                    (
                        name.clone(),
                        r["type"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect();
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

/// Replaces each `@n.#k` in the strings of `value` by the name of declared resource `n` and
/// its output `k` (modulo their numbers), and each other `@n` by the name, so placeholders
/// name resources the workload has.
fn name_resources(value: &mut Value, declared: &[(String, String)]) {
    match value {
        Value::String(s) if s.contains('@') => {
            for n in 0..9 {
                let (name, kind) = &declared[n % declared.len()];
                for k in 0..9 {
                    *s = s.replace(
                        &format!("@{n}.#{k}"),
                        &format!("{name}.{}", output_of(kind, k)),
                    );
                }
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
    (
        prop::collection::vec(workload(), 1..4),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(mut workloads, distinct)| {
            // Mostly distinct names (a duplicate name is one refusal among many to reach).
            if distinct {
                for (doc, name) in workloads.iter_mut().zip(["web", "api", "worker"]) {
                    doc["metadata"]["name"] = json!(name);
                }
            }
            workloads
        })
}
