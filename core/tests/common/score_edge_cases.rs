//! Hand-written Score workloads at the edges of the specification. The valid ones:
//! the smallest document, one with every field set, the deprecated list forms, boundary
//! lengths and numbers; they are checked directly and used as bases for mutation. The invalid
//! ones each break one rule of the specification.

use serde_json::{Value, json};

/// A named Score workload.
pub struct EdgeCase {
    /// What the case exercises.
    pub name: &'static str,
    /// The workload.
    pub doc: Value,
}

/// Every hand-written valid edge case.
pub fn valid_edge_cases() -> Vec<EdgeCase> {
    vec![
        EdgeCase {
            name: "minimal",
            doc: minimal(),
        },
        EdgeCase {
            name: "every field set",
            doc: every_field_set(),
        },
        EdgeCase {
            name: "deprecated list forms",
            doc: deprecated_list_forms(),
        },
        EdgeCase {
            name: "empty optional maps",
            doc: empty_optional_maps(),
        },
        EdgeCase {
            name: "boundary values",
            doc: boundary_values(),
        },
    ]
}

fn minimal() -> Value {
    json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": { "name": "ab" },
        "containers": { "ab": { "image": "." } }
    })
}

fn every_field_set() -> Value {
    json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {
            "name": "shop-api",
            "team": { "owner": "payments", "tier": 1 },
            "annotations": { "example.com/owner": "payments", "plain": "yes" }
        },
        "service": {
            "ports": {
                "http": { "port": 80, "targetPort": 8080, "protocol": "TCP" },
                "dns": { "port": 53, "protocol": "UDP" }
            }
        },
        "containers": {
            "api": {
                "image": "ghcr.io/acme/api:1.2.3",
                "command": ["/bin/api"],
                "args": ["--listen", ":8080"],
                "variables": { "DB_HOST": "${resources.db.host}", "EMPTY": "" },
                "files": {
                    "/etc/api/config.yaml": { "content": "port: 8080\n", "mode": "0644" },
                    "/etc/api/logo.png": { "binaryContent": "iVBORw0KGgo=", "mode": "600" },
                    "/etc/api/raw.txt": { "source": "raw.txt", "noExpand": true }
                },
                "volumes": {
                    "/data": { "source": "${resources.data}", "path": "sub", "readOnly": true }
                },
                "resources": {
                    "requests": { "cpu": "250m", "memory": "128Mi" },
                    "limits": { "cpu": "1.5", "memory": "1.5Gi" }
                },
                "livenessProbe": {
                    "httpGet": {
                        "path": "/healthz", "port": 8080, "host": "localhost",
                        "scheme": "HTTPS",
                        "httpHeaders": [{ "name": "X-Probe_1", "value": "yes" }]
                    },
                    "exec": { "command": ["/bin/check", "--live"] }
                },
                "readinessProbe": { "exec": { "command": ["/bin/check"] } },
                "before": { "migrate": { "ready": "complete" } }
            },
            "migrate": { "image": "ghcr.io/acme/migrate:1.2.3" }
        },
        "resources": {
            "db": {
                "type": "postgres", "class": "large", "id": "shop.main-db",
                "metadata": { "annotations": { "example.com/backup": "daily" }, "note": [1, 2] },
                "params": { "version": 16, "extensions": ["pgcrypto"], "nested": { "a": null } }
            },
            "data": { "type": "volume" }
        }
    })
}

fn deprecated_list_forms() -> Value {
    json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": { "name": "legacy" },
        "containers": {
            "main": {
                "image": "busybox",
                "files": [
                    { "target": "/etc/a.txt", "content": "a", "mode": "0400" },
                    { "target": "/etc/b.bin", "binaryContent": "AA==" },
                    { "source": "c.txt", "noExpand": false }
                ],
                "volumes": [
                    { "target": "/mnt/a", "source": "vol-a", "readOnly": false },
                    { "source": "vol-b", "path": "x" }
                ]
            }
        }
    })
}

fn empty_optional_maps() -> Value {
    json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": { "name": "empty-maps", "annotations": {} },
        "service": {},
        "containers": {
            "main": {
                "image": "busybox",
                "command": [], "args": [],
                "variables": {}, "files": {}, "volumes": {}, "before": {},
                "resources": { "requests": {}, "limits": {} }
            }
        },
        "resources": { "thing": { "type": "ab", "metadata": {}, "params": {} } }
    })
}

fn boundary_values() -> Value {
    let long_label = format!("a{}", "b".repeat(62));
    let long_key = format!("ab.cd/{}", "k".repeat(63));
    json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": { "name": long_label, "annotations": { long_key: "", "12.34/x-y.z_9": "" } },
        "service": { "ports": { "lo": { "port": 1, "targetPort": 65535 } } },
        "containers": {
            "1st": {
                "image": "x",
                "variables": { "a.b c": "spaces and dots are fine", "1X": "" },
                "files": { "": { "content": "" }, "relative/path": { "source": "/abs" } },
                "volumes": { "/v": { "source": "" } },
                "resources": {
                    "requests": { "cpu": "0", "memory": "0.5" },
                    "limits": { "cpu": "1000000m", "memory": "1E" }
                },
                "readinessProbe": { "httpGet": { "path": "", "port": 65535 } }
            }
        },
        "resources": {
            "r1": { "type": "A-b", "class": "Z9", "id": "a--b.c-d.e" },
            "r2": { "type": "ab", "id": "ab" }
        }
    })
}

/// Small workloads the specification rejects, each the minimal workload with one change.
pub fn invalid_edge_cases() -> Vec<EdgeCase> {
    invalid_edits()
        .into_iter()
        .map(|(name, pointer, value)| EdgeCase {
            name,
            doc: with_edit(pointer, value),
        })
        .collect()
}

/// `(what is wrong, JSON pointer to set, value to set there)`.
fn invalid_edits() -> Vec<(&'static str, &'static str, Value)> {
    let resources = "/containers/web/resources";
    let files = "/containers/web/files";
    let port = |port: Value| json!({ "ports": { "http": { "port": port } } });
    let limits = |field: &str, value: &str| json!({ "limits": { field: value } });
    let file = |file: Value| json!({ "/etc/f": file });
    vec![
        (
            "name with trailing newline",
            "/metadata/name",
            json!("web\n"),
        ),
        ("one-character name", "/metadata/name", json!("w")),
        ("64-character name", "/metadata/name", json!("w".repeat(64))),
        ("upper-case name", "/metadata/name", json!("Web")),
        (
            "container name with newline",
            "/containers/web\n",
            json!({ "image": "x" }),
        ),
        (
            "apiVersion with newline",
            "/apiVersion",
            json!("score.dev/v1b1\n"),
        ),
        ("empty image", "/containers/web/image", json!("")),
        ("unknown container key", "/containers/web/ports", json!([])),
        ("unknown top-level key", "/kind", json!("Workload")),
        ("port 0", "/service", port(json!(0))),
        ("port 65536", "/service", port(json!(65536))),
        ("port as string", "/service", port(json!("80"))),
        ("cpu .5", resources, limits("cpu", ".5")),
        ("cpu 1e3", resources, limits("cpu", "1e3")),
        ("memory 100mi", resources, limits("memory", "100mi")),
        ("memory 1.5.5", resources, limits("memory", "1.5.5")),
        (
            "content and source",
            files,
            file(json!({ "content": "a", "source": "b" })),
        ),
        (
            "file without content",
            files,
            file(json!({ "mode": "0644" })),
        ),
        (
            "mode 0800",
            files,
            file(json!({ "content": "a", "mode": "0800" })),
        ),
        (
            "target in map form",
            files,
            file(json!({ "content": "a", "target": "/x" })),
        ),
        (
            "probe without handler",
            "/containers/web/livenessProbe",
            json!({}),
        ),
        (
            "one-letter annotation prefix",
            "/metadata/annotations",
            json!({ "a.b.cd/k": "v" }),
        ),
        (
            "number as variable",
            "/containers/web/variables",
            json!({ "PORT": 8080 }),
        ),
        (
            "upper-case resource id",
            "/resources",
            json!({ "db": { "type": "pg", "id": "Db" } }),
        ),
    ]
}

/// The minimal workload named `web` with `value` set at `pointer` (whose parent must exist).
fn with_edit(pointer: &str, value: Value) -> Value {
    let mut doc = json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": { "name": "web" },
        "containers": { "web": { "image": "nginx" } }
    });
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.insert(key.to_owned(), value),
        _ => panic!("edge case pointer {pointer} has no object parent"),
    };
    doc
}
