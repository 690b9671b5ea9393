//! Paths into a JSON document, and their Score-aware "shape" used to mutate each kind of
//! location once instead of once per container, port or file.

use serde_json::Value;

/// One step of a path: an object key or an array index.
#[derive(Clone, Debug)]
pub enum Step {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A path from the document root to one node.
pub type DocPath = Vec<Step>;

/// Every node of `doc`, the root first, in document order.
pub fn all_paths(doc: &Value) -> Vec<DocPath> {
    let mut out = Vec::new();
    collect(doc, &mut Vec::new(), &mut out);
    out
}

fn collect(node: &Value, prefix: &mut DocPath, out: &mut Vec<DocPath>) {
    out.push(prefix.clone());
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                collect(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                prefix.push(Step::Index(index));
                collect(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

/// The node at `path`, for changing it.
pub fn node_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.get_mut(key.as_str()),
        Step::Index(index) => node.get_mut(*index),
    })
}

/// The node at `path`.
pub fn node<'a>(root: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.get(key.as_str()),
        Step::Index(index) => node.get(*index),
    })
}

/// `path` written as a JSON pointer (`/containers/web/image`), for messages.
pub fn pointer(path: &[Step]) -> String {
    if path.is_empty() {
        return "(root)".to_owned();
    }
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => format!("/{index}"),
        })
        .collect()
}

/// The key `path` ends with, if it ends with one.
pub fn last_key(path: &[Step]) -> Option<&str> {
    match path.last() {
        Some(Step::Key(key)) => Some(key),
        _ => None,
    }
}

/// The shape of `path`: user-chosen names become `*`, list indices `#`, and everything below
/// a free-form key collapses into `...`. Two paths with the same shape reach the same kind of
/// Score field, so mutating one of them is enough.
pub fn shape(path: &[Step]) -> String {
    shape_parts(path).join("/")
}

/// [`shape`] as its parts.
pub fn shape_parts(path: &[Step]) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for step in path {
        if parts.last() == Some(&"...") {
            break;
        }
        let part = match step {
            Step::Index(_) => "#",
            Step::Key(_) if is_name_map(&parts) => "*",
            Step::Key(key) if is_free_form_key(&parts, key) => "...",
            Step::Key(key) => key.as_str(),
        };
        parts.push(part);
    }
    parts
}

/// Whether the object at this shape is keyed by user-chosen names rather than fields.
pub fn is_name_map(shape: &[&str]) -> bool {
    matches!(
        shape,
        ["containers" | "resources"]
            | ["service", "ports"]
            | ["metadata", "annotations"]
            | ["resources", "*", "metadata", "annotations"]
            | [
                "containers",
                "*",
                "files" | "volumes" | "variables" | "before"
            ]
    )
}

/// Whether `key` of the object at this shape is a free-form entry rather than a Score field.
fn is_free_form_key(shape: &[&str], key: &str) -> bool {
    match shape {
        ["metadata"] => !matches!(key, "name" | "annotations"),
        ["resources", "*", "metadata"] => key != "annotations",
        ["resources", "*", "params"] => true,
        _ => false,
    }
}
