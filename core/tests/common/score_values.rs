//! Values and keys to put into Score documents: values of the wrong JSON type, and for each
//! field and each kind of name a mix of values just inside and just outside its rules.

use serde_json::{Value, json};

/// Values standing in for a node of another JSON type, each with a short name.
pub fn wrong_types() -> Vec<(&'static str, Value)> {
    vec![
        ("null", Value::Null),
        ("bool", json!(true)),
        ("zero", json!(0)),
        ("negative int", json!(-1)),
        ("float", json!(1.5)),
        ("empty string", json!("")),
        ("string", json!("text")),
        ("empty list", json!([])),
        ("list of string", json!(["text"])),
        ("list of int", json!([1])),
        ("empty object", json!({})),
        ("object", json!({ "k": "v" })),
    ]
}

/// Label-like names: workload, container, port and resource names, and header names.
fn names() -> Vec<String> {
    let mut values: Vec<String> = [
        "Web",
        "-web",
        "web-",
        "a",
        "web\n",
        "\nweb",
        "",
        "web_1",
        "we.b",
        "wéb",
        "1web",
        "ab",
        "a-b",
        "a--b",
        "X-Probe_1",
        "X Probe",
        "web ",
    ]
    .map(str::to_owned)
    .to_vec();
    values.push("a".repeat(63));
    values.push("a".repeat(64));
    values
}

/// Annotation keys around every rule: prefix labels, name characters, lengths.
fn annotation_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "-bad",
        "bad-",
        "a",
        "ab",
        "a.example.com/key",
        "Example.com/key",
        "example.com/",
        "/key",
        "example.com/k",
        "example.com/key/more",
        "ex ample",
        "example.com/Key_N.2",
        "example..com/key",
        "example.com/-key",
        "example.com/key.",
        "key\n",
        "12.34/key",
        "1.2.3.4/key",
        "x_y",
        "ab-/key",
    ]
    .map(str::to_owned)
    .to_vec();
    let label = "p".repeat(62);
    let prefix = [label.as_str(); 5].join(".");
    keys.push(format!("{prefix}/ab"));
    keys.push(format!("{prefix}/a"));
    keys.push(format!("{}/ab", &prefix[..313]));
    keys.push("k".repeat(63));
    keys.push("k".repeat(64));
    keys
}

/// Environment variable names.
fn variable_names() -> Vec<String> {
    ["", "A=B", "=", "A B", "a.b", "PORT\n", "Ä"]
        .map(str::to_owned)
        .to_vec()
}

/// Keys for a map keyed by user-chosen names, chosen by the map's field name.
pub fn keys_for_map(map_field: &str) -> Vec<String> {
    match map_field {
        "annotations" => annotation_keys(),
        "variables" => variable_names(),
        "files" | "volumes" => ["", "relative", "/a/b", "C:\\x"]
            .map(str::to_owned)
            .to_vec(),
        _ => names(),
    }
}

/// Values for the Score field called `field`, valid and invalid, or none for fields whose
/// type alone matters (wrong types are covered by [`wrong_types`]).
pub fn values_for_field(field: &str) -> Vec<Value> {
    let strings: Vec<String> = match field {
        "name" => names(),
        "apiVersion" => strs(&[
            "score.dev/v1b2",
            "score.dev/v1b1\n",
            " score.dev/v1b1",
            "SCORE.DEV/V1B1",
            "score.dev/v1b1 ",
            "score.dev/v1b1",
        ]),
        "protocol" => strs(&["SCTP", "tcp", "udp", "TCP ", "UDP", "TCP\n"]),
        "scheme" => strs(&["http", "HTTPS", "FTP", "HTTP\n"]),
        "ready" => strs(&["ready", "Started", "started", "healthy", "complete", ""]),
        "cpu" => strs(&[
            "1.5.5",
            "100mi",
            ".5",
            "1e3",
            "250m",
            "0.5",
            "2",
            "-1",
            "1m5",
            "1.",
            "0",
            "\u{661}\u{660}\u{660}m",
            "100M",
            " 1",
            "1\n",
            "1.5m",
            "m",
        ]),
        "memory" => strs(&[
            "1.5.5", "100mi", ".5", "1e3", "128Mi", "1.5Gi", "0", "0.5Gi", "01", "128MB", "1Ki",
            "1k", "512m", "1E", "1.5", "00.5", "0.", "1\n", "1ki", "-1", "1Zi",
        ]),
        "mode" => strs(&[
            "0800", "644", "0644", "00644", "0o644", "rwx", "64", "06440", "0644\n",
        ]),
        "image" | "host" | "value" | "source" | "target" | "path" | "content" | "binaryContent" => {
            strs(&["", ".", " ", "x\n"])
        }
        "type" | "class" => strs(&[
            "a",
            "Post_gres",
            "postgres\n",
            "Postgres",
            "-pg",
            "pg-",
            "pg.sql",
            "p g",
            "P-9",
            &"a".repeat(63),
            &"a".repeat(64),
        ]),
        "id" => strs(&[
            "a",
            "shared.db",
            "Shared",
            "a..b",
            "-a",
            "a-",
            "a--b",
            "a.b-c.d",
            ".a",
            "a.",
            "ab\n",
            "a_b",
            &"a".repeat(63),
            &"a".repeat(64),
        ]),
        _ => Vec::new(),
    };
    let mut values: Vec<Value> = strings.into_iter().map(Value::String).collect();
    values.extend(numbers_for_field(field));
    values
}

fn numbers_for_field(field: &str) -> Vec<Value> {
    match field {
        "port" | "targetPort" => vec![
            json!(0),
            json!(1),
            json!(65535),
            json!(65536),
            json!(-1),
            json!("80"),
            json!(80.5),
            json!(80.0),
            json!(1e10),
        ],
        "mode" => vec![json!(644), json!(420)],
        _ => Vec::new(),
    }
}

fn strs(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// Optional fields of the Score object at `shape` (see `score_doc_paths::shape`), each with a
/// valid value, to add where they are absent. List-form files and volumes get `target` here
/// too, and so do map-form ones, where it is not allowed.
pub fn optional_fields(shape: &[&str]) -> Vec<(&'static str, Value)> {
    match shape {
        [] => vec![
            ("service", json!({ "ports": {} })),
            ("resources", json!({})),
        ],
        ["metadata"] => vec![("annotations", json!({ "ab.cd/ef": "g" }))],
        ["containers", "*"] => container_fields(),
        ["containers", "*", "files", _] => vec![
            ("content", json!("x")),
            ("binaryContent", json!("AA==")),
            ("source", json!("f.txt")),
            ("target", json!("/t")),
            ("mode", json!("0644")),
            ("noExpand", json!(true)),
        ],
        ["containers", "*", "volumes", _] => vec![
            ("source", json!("s")),
            ("target", json!("/t")),
            ("path", json!("p")),
            ("readOnly", json!(true)),
        ],
        ["containers", "*", "livenessProbe" | "readinessProbe"] => vec![
            ("httpGet", json!({ "path": "/", "port": 80 })),
            ("exec", json!({ "command": ["true"] })),
        ],
        [.., "httpGet"] => vec![
            ("host", json!("h")),
            ("scheme", json!("HTTP")),
            ("httpHeaders", json!([{ "name": "A", "value": "b" }])),
        ],
        ["containers", "*", "resources"] => vec![("limits", json!({})), ("requests", json!({}))],
        ["containers", "*", "resources", _] => vec![("cpu", json!("1")), ("memory", json!("1Gi"))],
        ["service"] => vec![("ports", json!({}))],
        ["service", "ports", "*"] => vec![("targetPort", json!(81)), ("protocol", json!("UDP"))],
        ["resources", "*"] => vec![
            ("class", json!("c1")),
            ("id", json!("i1")),
            ("metadata", json!({})),
            ("params", json!({})),
        ],
        _ => Vec::new(),
    }
}

fn container_fields() -> Vec<(&'static str, Value)> {
    vec![
        ("command", json!(["a"])),
        ("args", json!(["b"])),
        ("variables", json!({ "A": "b" })),
        ("files", json!({ "/f": { "content": "x" } })),
        ("volumes", json!({ "/v": { "source": "s" } })),
        ("resources", json!({ "limits": { "cpu": "1" } })),
        ("livenessProbe", json!({ "exec": { "command": ["true"] } })),
        (
            "readinessProbe",
            json!({ "httpGet": { "path": "/", "port": 80 } }),
        ),
        ("before", json!({ "other": { "ready": "started" } })),
    ]
}
