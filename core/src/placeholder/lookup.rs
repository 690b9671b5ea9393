//! Walking a JSON tree by the segments of a reference.

use serde_json::{Map, Value};

use super::reference::path_to_string;

/// How many known keys a miss lists before it says how many more there are.
const MAX_LISTED_KEYS: usize = 20;

/// The value at `segments` inside `root`: object keys by name, array items by number.
///
/// ```
/// use goldpath::placeholder::lookup;
/// use serde_json::json;
///
/// let root = json!({"resources": {"db": {"host": "db.internal", "port": 5432}}});
/// let path = ["resources".to_string(), "db".into(), "port".into()];
/// assert_eq!(lookup(&root, &path), Ok(&json!(5432)));
///
/// let path = ["resources".to_string(), "db".into(), "hostname".into()];
/// assert_eq!(
///     lookup(&root, &path).unwrap_err(),
///     "`resources.db.hostname`: no key `hostname`; known keys: host, port"
/// );
/// ```
///
/// # Errors
///
/// A message naming the full path and what went wrong at the point of failure: the keys that
/// do exist, the valid indexes of a list, or the type of a value that cannot be looked into.
/// Messages never contain the values found.
pub fn lookup<'a>(root: &'a Value, segments: &[String]) -> Result<&'a Value, String> {
    let mut node = root;
    for (depth, segment) in segments.iter().enumerate() {
        node = step(node, segment, &segments[..depth])
            .map_err(|why| format!("`{}`: {why}", path_to_string(segments)))?;
    }
    Ok(node)
}

/// One step down from `node` (found at `parent`) by `segment`.
fn step<'a>(node: &'a Value, segment: &str, parent: &[String]) -> Result<&'a Value, String> {
    match node {
        Value::Object(map) => map
            .get(segment)
            .ok_or_else(|| missing_key(segment, map, parent)),
        Value::Array(items) => item(items, segment, parent),
        scalar => Err(format!(
            "cannot look up `{segment}` inside {}: it is {}, not a map",
            place(parent),
            type_name(scalar)
        )),
    }
}

fn missing_key(segment: &str, map: &Map<String, Value>, parent: &[String]) -> String {
    if map.is_empty() {
        return format!("no key `{segment}`; {} is an empty map", place(parent));
    }
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut listed = keys
        .iter()
        .take(MAX_LISTED_KEYS)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > MAX_LISTED_KEYS {
        listed.push_str(&format!(" and {} more", keys.len() - MAX_LISTED_KEYS));
    }
    format!("no key `{segment}`; known keys: {listed}")
}

fn item<'a>(items: &'a [Value], segment: &str, parent: &[String]) -> Result<&'a Value, String> {
    let index = segment
        .parse::<usize>()
        .ok()
        .filter(|i| i.to_string() == segment);
    let Some(index) = index else {
        return Err(match items.len() {
            0 => format!(
                "`{segment}` is not an index, and {} is an empty list",
                place(parent)
            ),
            len => format!(
                "{} is a list: use an index from 0 to {}, not `{segment}`",
                place(parent),
                len - 1
            ),
        });
    };
    items.get(index).ok_or_else(|| {
        let count = match items.len() {
            1 => "1 item".to_string(),
            len => format!("{len} items"),
        };
        format!(
            "index {index} is out of range: {} has {count}",
            place(parent)
        )
    })
}

/// Names the place reached so far, for messages.
fn place(parent: &[String]) -> String {
    if parent.is_empty() {
        "the top level".to_string()
    } else {
        format!("`{}`", path_to_string(parent))
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn segments(path: &str) -> Vec<String> {
        path.split('.').map(ToString::to_string).collect()
    }

    fn miss(root: &Value, path: &str) -> String {
        lookup(root, &segments(path)).unwrap_err()
    }

    fn context() -> Value {
        json!({
            "metadata": {"name": "web", "replicas": 2},
            "resources": {"db": {"port": 5432, "host": "db.internal"}, "list": ["a", {"b": 1}], "none": []},
            "empty": {}
        })
    }

    #[test]
    fn walks_keys_and_indexes() {
        let root = context();
        assert_eq!(
            lookup(&root, &segments("resources.db.host")),
            Ok(&json!("db.internal"))
        );
        assert_eq!(
            lookup(&root, &segments("resources.list.1.b")),
            Ok(&json!(1))
        );
        assert_eq!(lookup(&root, &[]), Ok(&root));
    }

    #[test]
    fn a_missing_key_lists_the_known_keys_sorted() {
        let root = context();
        assert_eq!(
            miss(&root, "resources.db.hostname"),
            "`resources.db.hostname`: no key `hostname`; known keys: host, port"
        );
        assert_eq!(
            miss(&root, "resources.dbx.host"),
            "`resources.dbx.host`: no key `dbx`; known keys: db, list, none"
        );
        assert_eq!(
            miss(&root, "secrets.x"),
            "`secrets.x`: no key `secrets`; known keys: empty, metadata, resources"
        );
        assert_eq!(
            miss(&root, "empty.x"),
            "`empty.x`: no key `x`; `empty` is an empty map"
        );
    }

    #[test]
    fn a_long_key_list_is_cut_short() {
        let root: Value = (0..25).map(|i| (format!("k{i:02}"), json!(i))).collect();
        let message = miss(&root, "missing");
        assert!(message.contains("k00, k01,"), "{message}");
        assert!(message.ends_with("k19 and 5 more"), "{message}");
    }

    #[test]
    fn scalars_cannot_be_looked_into_and_their_values_are_not_shown() {
        let root = context();
        assert_eq!(
            miss(&root, "metadata.name.first"),
            "`metadata.name.first`: cannot look up `first` inside `metadata.name`: it is a string, not a map"
        );
        let message = miss(&root, "metadata.replicas.x");
        assert!(message.contains("it is a number"), "{message}");
        assert!(!miss(&root, "resources.db.host.x").contains("db.internal"));
        assert!(miss(&json!(null), "x").contains("inside the top level: it is null"));
    }

    #[test]
    fn lists_need_an_index_in_range() {
        let root = context();
        assert_eq!(
            miss(&root, "resources.list.2"),
            "`resources.list.2`: index 2 is out of range: `resources.list` has 2 items"
        );
        assert!(miss(&root, "resources.list.first").contains("use an index from 0 to 1"));
        assert!(miss(&root, "resources.list.01").contains("not `01`"));
        assert!(miss(&root, "resources.list.+1").contains("not `+1`"));
        assert!(miss(&root, "resources.none.0").contains("has 0 items"));
        assert!(miss(&root, "resources.none.x").contains("`resources.none` is an empty list"));
    }

    #[test]
    fn odd_keys_are_named_in_canonical_form() {
        let root = json!({"a.b": {}});
        let path = vec!["a.b".to_string(), "c d".to_string()];
        assert_eq!(
            lookup(&root, &path).unwrap_err(),
            "`['a.b']['c d']`: no key `c d`; `['a.b']` is an empty map"
        );
    }
}
