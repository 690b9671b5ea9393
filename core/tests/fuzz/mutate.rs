//! Mutations: byte-level edits of seed texts, and structured edits of seed documents.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Fragments that steer a mutated YAML or placeholder text towards interesting corners.
pub const TOKENS: &[&str] = &[
    "${",
    "}",
    "$${",
    "$$",
    "${resources.",
    "${metadata.name}",
    "${resources.db.host}",
    "['a.b']",
    "[\"x\"]",
    "\\.",
    "---\n",
    "...\n",
    "- ",
    ": ",
    "? ",
    "&a ",
    "*a",
    "!!str ",
    "!custom ",
    "|\n  ",
    ">-\n  ",
    "{",
    "[",
    "]",
    "'",
    "\"",
    "#",
    "\t",
    "\n",
    "\r\n",
    "\u{0}",
    "\u{1b}[2J",
    "\u{feff}",
    "é",
    "\u{10ffff}",
    "~",
    "null",
    "true",
    "0x1F",
    "1e400",
    "-1",
    "65536",
    "0",
    ".",
    "<<: *a\n",
    "apiVersion: score.dev/v1b1\n",
    "apiVersion: goldpath.dev/v1alpha1\n",
    "metadata: {name: x}\n",
    "{{ ",
    " }}",
    "{% for x in y %}",
    "{% endfor %}",
    "{{ secrets.x }}",
    "::",
    "@sha256:",
    "/../",
    "..",
];

/// One edit of a byte string; positions are taken modulo the length at the time.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Sets one byte.
    Set(usize, u8),
    /// Inserts one of [`TOKENS`].
    Token(usize, usize),
    /// Removes up to `n` bytes.
    Remove(usize, usize),
    /// Copies up to `n` bytes from one place to another.
    Duplicate(usize, usize, usize),
    /// Truncates.
    Truncate(usize),
}

/// A random edit.
pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Set(p, b)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(p, t)| Edit::Token(p, t)),
        (any::<usize>(), 1usize..64).prop_map(|(p, n)| Edit::Remove(p, n)),
        (any::<usize>(), any::<usize>(), 1usize..256)
            .prop_map(|(a, b, n)| Edit::Duplicate(a, b, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// Applies `edits` to `bytes`.
pub fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
    for edit in edits {
        let len = bytes.len();
        let at = |p: usize| if len == 0 { 0 } else { p % (len + 1) };
        match *edit {
            Edit::Set(p, b) if len > 0 => bytes[p % len] = b,
            Edit::Set(..) => bytes.push(0),
            Edit::Token(p, t) => {
                let p = at(p);
                bytes.splice(p..p, TOKENS[t].bytes());
            }
            Edit::Remove(p, n) => {
                let p = at(p);
                bytes.drain(p..(p + n).min(len));
            }
            Edit::Duplicate(from, to, n) => {
                let from = at(from);
                let piece = bytes[from..(from + n).min(len)].to_vec();
                let to = at(to);
                bytes.splice(to..to, piece);
            }
            Edit::Truncate(p) => bytes.truncate(at(p)),
        }
    }
}

/// Strings near the rules goldpath checks: names, images, placeholders, control characters.
pub const STRINGS: &[&str] = &[
    "",
    "web",
    "db",
    "main",
    "a",
    "A",
    "-a",
    "a-",
    "a.b",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "nginx",
    "nginx:1.27",
    ".",
    "ghcr.io/acme/web:1.0",
    "ghcr.io/Acme/Web:1.0",
    " nginx",
    "nginx\n",
    "img\u{1b}[2J",
    "registry:5000/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "${metadata.name}",
    "${resources.db.host}",
    "${resources.db}",
    "${resources.missing.x}",
    "${resources.db.password}",
    "$${literal}",
    "${",
    "${}",
    "${a.}",
    "${['a']}",
    "8080",
    "0",
    "-1",
    "99999999999999999999",
    "1.5",
    "250m",
    "1Gi",
    "0644",
    "0999",
    "/etc/x",
    "../x",
    "/",
    "a/../../b",
    "postgres",
    "redis",
    "route",
    "dns",
    "volume",
    "k8s-namespace",
    "mysql",
    "s3",
    "unknown-type",
    "development",
    "qa-light",
    "staging",
    "production",
    "{{ context.app.id }}",
    "{{ secrets.password }}",
    "{% if %}",
    "\t",
    "\u{0}",
    "é",
    "TCP",
    "UDP",
    "SCTP",
    "x\ny",
    "true",
];

/// A random JSON value, small, made of [`STRINGS`], numbers, booleans, lists and maps.
pub fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-70000i64..70000).prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        (0..STRINGS.len()).prop_map(|i| json!(STRINGS[i])),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A mapping key: one of [`STRINGS`], a Score field name, or anything short.
pub fn key() -> impl Strategy<Value = String> {
    const FIELDS: &[&str] = &[
        "apiVersion",
        "metadata",
        "name",
        "annotations",
        "containers",
        "image",
        "command",
        "args",
        "variables",
        "files",
        "content",
        "source",
        "mode",
        "noExpand",
        "volumes",
        "path",
        "readOnly",
        "resources",
        "requests",
        "limits",
        "cpu",
        "memory",
        "service",
        "ports",
        "port",
        "targetPort",
        "protocol",
        "type",
        "class",
        "id",
        "params",
        "spec",
        "kind",
        "driver",
        "outputs",
        "manifests",
        "criteria",
        "envType",
        "namespace",
        "before",
        "livenessProbe",
        "readinessProbe",
        "httpGet",
        "exec",
        "secrets",
        "inputs",
        "template",
    ];
    prop_oneof![
        (0..FIELDS.len()).prop_map(|i| FIELDS[i].to_owned()),
        (0..STRINGS.len()).prop_map(|i| STRINGS[i].to_owned()),
        ".{0,8}",
    ]
}

/// One structured edit: the node at a position of a depth-first walk is replaced, removed, or
/// gets a new key.
#[derive(Debug, Clone)]
pub enum Change {
    /// Replaces the node.
    Replace(usize, Value),
    /// Removes the node from its parent.
    Remove(usize),
    /// Adds a key to a mapping node (or an item to a list).
    Add(usize, String, Value),
}

/// A random structured edit.
pub fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<usize>(), value()).prop_map(|(i, v)| Change::Replace(i, v)),
        any::<usize>().prop_map(Change::Remove),
        (any::<usize>(), key(), value()).prop_map(|(i, k, v)| Change::Add(i, k, v)),
    ]
}

/// Applies `changes` to `doc`.
pub fn apply_changes(doc: &mut Value, changes: &[Change]) {
    for change in changes {
        let count = count_nodes(doc);
        let (index, action) = match change {
            Change::Replace(i, _) | Change::Remove(i) | Change::Add(i, ..) => (i % count, change),
        };
        edit_node(doc, index, action);
    }
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Applies `change` to the `index`-th node of a depth-first walk (0 is the root).
fn edit_node(v: &mut Value, index: usize, change: &Change) {
    let mut remaining = index;
    walk(v, &mut remaining, change);
}

fn walk(v: &mut Value, remaining: &mut usize, change: &Change) -> bool {
    if *remaining == 0 {
        match change {
            Change::Replace(_, new) => *v = new.clone(),
            Change::Add(_, key, new) => match v {
                Value::Object(map) => {
                    map.insert(key.clone(), new.clone());
                }
                Value::Array(items) => items.push(new.clone()),
                _ => *v = new.clone(),
            },
            Change::Remove(_) => *v = Value::Null,
        }
        return true;
    }
    *remaining -= 1;
    match v {
        Value::Array(items) => {
            for i in 0..items.len() {
                if *remaining == 0 && matches!(change, Change::Remove(_)) {
                    items.remove(i);
                    return true;
                }
                if walk(&mut items[i], remaining, change) {
                    return true;
                }
            }
        }
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                if *remaining == 0 && matches!(change, Change::Remove(_)) {
                    map.remove(&key);
                    return true;
                }
                if map
                    .get_mut(&key)
                    .is_some_and(|child| walk(child, remaining, change))
                {
                    return true;
                }
            }
        }
        _ => {}
    }
    false
}
