//! RFC 6902 JSON Patch on a `serde_json::Value`: `add`, `remove`, `replace`, `move`, `copy`
//! and `test`, with RFC 6901 JSON pointers. A patch applies whole or not at all.
//!
//! Our own small module rather than the `json-patch` crate: every error must name the
//! operation (its index, `op` and `path`) so the caller can name the definition too, values are
//! never quoted (they may come from a definition's outputs), and the whole of it is a hundred
//! lines over `serde_json`, which the project already has.

use serde_json::{Map, Value};

/// Why an operation of a patch failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError {
    /// The index of the operation in the patch; `None` when the patch is not a list.
    pub index: Option<usize>,
    /// Its `op`, as written (`""` when missing).
    pub op: String,
    /// Its `path`, as written (`""` when missing).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(index) => write!(
                f,
                "operation {index} (`{}` at `{}`): {}",
                self.op, self.path, self.message
            ),
            None => f.write_str(&self.message),
        }
    }
}

/// Applies `operations` (a JSON array of operation objects) to `target`, whole or not at all.
///
/// # Errors
/// The first operation that is malformed, whose path does not exist, or whose `test` fails.
pub fn apply(target: &mut Value, operations: &Value) -> Result<(), PatchError> {
    let Some(list) = operations.as_array() else {
        return Err(PatchError {
            index: None,
            op: String::new(),
            path: String::new(),
            message: "a patch is a list of operations `{op, path, ...}`".to_owned(),
        });
    };
    let mut patched = target.clone();
    for (index, operation) in list.iter().enumerate() {
        let text = |field: &str| operation.get(field).and_then(Value::as_str);
        let fail = |message: String| PatchError {
            index: Some(index),
            op: text("op").unwrap_or_default().to_owned(),
            path: text("path").unwrap_or_default().to_owned(),
            message,
        };
        one(&mut patched, operation).map_err(fail)?;
    }
    *target = patched;
    Ok(())
}

/// One operation.
fn one(doc: &mut Value, operation: &Value) -> Result<(), String> {
    let Some(fields) = operation.as_object() else {
        return Err("an operation is a mapping `{op, path, ...}`".to_owned());
    };
    let text = |field: &str| match fields.get(field) {
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(format!("`{field}` must be a string")),
        None => Err(format!("`{field}` is missing")),
    };
    let value = || {
        fields
            .get("value")
            .cloned()
            .ok_or_else(|| "`value` is missing".to_owned())
    };
    let path = parse(text("path")?)?;
    match text("op")? {
        "add" => add(doc, &path, value()?),
        "remove" => remove(doc, &path).map(drop),
        "replace" => {
            let value = value()?;
            *get_mut(doc, &path)? = value;
            Ok(())
        }
        "move" => {
            let from = parse(text("from")?)?;
            if path.len() > from.len() && path[..from.len()] == from[..] {
                return Err("`from` cannot be moved into one of its own children".to_owned());
            }
            let moved = remove(doc, &from)?;
            add(doc, &path, moved)
        }
        "copy" => {
            let from = parse(text("from")?)?;
            let copied = get_mut(doc, &from)
                .map_err(|e| format!("`from`: {e}"))?
                .clone();
            add(doc, &path, copied)
        }
        "test" => {
            let expected = value()?;
            if equal(get_mut(doc, &path)?, &expected) {
                Ok(())
            } else {
                Err("the test failed: the value at `path` differs from `value`".to_owned())
            }
        }
        other => Err(format!(
            "unknown op `{other}`: use add, remove, replace, move, copy or test"
        )),
    }
}

/// RFC 6901: `""` is the whole document, else `/` before each token; `~1` is `/`, `~0` is `~`.
fn parse(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!(
            "`{pointer}` is not a JSON pointer: a pointer starts with `/`; write `/{pointer}`"
        ));
    };
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

/// The value at `path`; an error names the first token that does not exist.
fn get_mut<'v>(doc: &'v mut Value, path: &[String]) -> Result<&'v mut Value, String> {
    let mut at = doc;
    for (depth, token) in path.iter().enumerate() {
        let missing = || format!("the path does not exist (no `{}`)", shown(&path[..=depth]));
        at = match at {
            Value::Object(map) => map.get_mut(token).ok_or_else(missing)?,
            Value::Array(items) => {
                let i = index(token, items.len()).filter(|i| *i < items.len());
                items.get_mut(i.ok_or_else(missing)?).ok_or_else(missing)?
            }
            _ => return Err(missing()),
        };
    }
    Ok(at)
}

fn add(doc: &mut Value, path: &[String], value: Value) -> Result<(), String> {
    let Some((last, parent)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    match get_mut(doc, parent)? {
        Value::Object(map) => {
            map.insert(last.clone(), value);
            Ok(())
        }
        Value::Array(items) => {
            let at = if last == "-" {
                items.len()
            } else {
                index(last, items.len() + 1).ok_or_else(|| out_of_range(path))?
            };
            items.insert(at, value);
            Ok(())
        }
        _ => Err(format!("`{}` is not an object or a list", shown(parent))),
    }
}

fn remove(doc: &mut Value, path: &[String]) -> Result<Value, String> {
    let Some((last, parent)) = path.split_last() else {
        return Err("the whole document cannot be removed".to_owned());
    };
    let missing = || format!("the path does not exist (no `{}`)", shown(path));
    match get_mut(doc, parent)? {
        Value::Object(map) => map.remove(last).ok_or_else(missing),
        Value::Array(items) => {
            let at = index(last, items.len()).ok_or_else(missing)?;
            Ok(items.remove(at))
        }
        _ => Err(missing()),
    }
}

/// An array index below `bound`: digits without a leading zero.
fn index(token: &str, bound: usize) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok().filter(|i| *i < bound)
}

fn out_of_range(path: &[String]) -> String {
    format!(
        "`{}` is not an index of the list (0 to its length, or `-` to append)",
        shown(path)
    )
}

/// The pointer of `path`, written back.
fn shown(path: &[String]) -> String {
    path.iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// JSON equality, numbers compared by value (`1` equals `1.0`).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => same_entries(x, y),
        _ => a == b,
    }
}

fn same_entries(x: &Map<String, Value>, y: &Map<String, Value>) -> bool {
    x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn patched(doc: Value, ops: Value) -> Result<Value, PatchError> {
        let mut doc = doc;
        apply(&mut doc, &ops).map(|()| doc)
    }

    #[test]
    fn the_examples_of_rfc_6902_appendix_a() {
        let doc = json!({"foo": "bar"});
        let ops = json!([{"op": "add", "path": "/baz", "value": "qux"}]);
        assert_eq!(
            patched(doc, ops).unwrap(),
            json!({"foo": "bar", "baz": "qux"})
        );
        let doc = json!({"foo": ["bar", "baz"]});
        let ops = json!([{"op": "add", "path": "/foo/1", "value": "qux"}]);
        assert_eq!(
            patched(doc, ops).unwrap(),
            json!({"foo": ["bar", "qux", "baz"]})
        );
        let doc = json!({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}});
        let ops = json!([{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}]);
        assert_eq!(
            patched(doc, ops).unwrap(),
            json!({"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}})
        );
        let doc = json!({"foo": ["all", "grass", "cows", "eat"]});
        let ops = json!([{"op": "move", "from": "/foo/1", "path": "/foo/3"}]);
        assert_eq!(
            patched(doc, ops).unwrap(),
            json!({"foo": ["all", "cows", "eat", "grass"]})
        );
        let doc = json!({"/": 9, "~1": 10});
        let ops = json!([{"op": "test", "path": "/~01", "value": 10}, {"op": "copy", "from": "/~1", "path": "/c"}]);
        assert_eq!(
            patched(doc, ops).unwrap(),
            json!({"/": 9, "~1": 10, "c": 9})
        );
        let doc = json!({"foo": "bar"});
        let ops = json!([{"op": "add", "path": "/child", "value": {"grandchild": {}}}]);
        assert_eq!(
            patched(doc, ops).unwrap(),
            json!({"foo": "bar", "child": {"grandchild": {}}})
        );
        let doc = json!({"foo": ["bar"]});
        let ops = json!([{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}]);
        assert_eq!(
            patched(doc, ops).unwrap(),
            json!({"foo": ["bar", ["abc", "def"]]})
        );
    }

    #[test]
    fn errors_name_the_operation_and_leave_the_document_alone() {
        let doc = json!({"a": [1, 2]});
        let ops = json!([
            {"op": "remove", "path": "/a/0"},
            {"op": "test", "path": "/a/0", "value": 5},
        ]);
        let mut target = doc.clone();
        let err = apply(&mut target, &ops).unwrap_err();
        assert_eq!(
            (err.index, err.op.as_str(), err.path.as_str()),
            (Some(1), "test", "/a/0")
        );
        assert!(err.message.contains("test failed"), "{err}");
        assert_eq!(target, doc, "nothing of a failed patch is applied");
        for (ops, part) in [
            (
                json!([{"op": "replace", "path": "/b", "value": 1}]),
                "no `/b`",
            ),
            (json!([{"op": "remove", "path": "/a/2"}]), "no `/a/2`"),
            (
                json!([{"op": "add", "path": "/a/01", "value": 1}]),
                "not an index",
            ),
            (
                json!([{"op": "add", "path": "/x/y", "value": 1}]),
                "no `/x`",
            ),
            (
                json!([{"op": "move", "from": "/a", "path": "/a/0"}]),
                "own children",
            ),
            (
                json!([{"op": "copy", "from": "/z", "path": "/y"}]),
                "`from`",
            ),
            (json!([{"op": "merge", "path": "/a"}]), "unknown op"),
            (
                json!([{"op": "add", "path": "a", "value": 1}]),
                "starts with `/`",
            ),
            (json!([{"op": "add", "path": "/a"}]), "`value` is missing"),
            (json!([{"path": "/a"}]), "`op` is missing"),
            (json!({"op": "add"}), "a list of operations"),
        ] {
            let err = patched(doc.clone(), ops).unwrap_err();
            assert!(err.to_string().contains(part), "{err}");
        }
    }

    #[test]
    fn test_compares_numbers_by_value_and_replace_of_the_root() {
        let ops = json!([{"op": "test", "path": "/n", "value": 1.0}, {"op": "replace", "path": "", "value": [1]}]);
        assert_eq!(patched(json!({"n": 1}), ops).unwrap(), json!([1]));
    }

    proptest! {
        /// Adding a key and removing it again gives the document back; a `test` of what was
        /// added passes.
        #[test]
        fn add_then_remove_is_the_identity(
            doc in proptest::collection::btree_map("[a-z]{1,5}", 0i64..100, 0..6),
            key in "[a-z~/]{1,6}",
            value in 0i64..100,
        ) {
            let doc = serde_json::to_value(&doc).unwrap();
            prop_assume!(doc.get(&key).is_none());
            let path = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
            let ops = json!([
                {"op": "add", "path": path, "value": value},
                {"op": "test", "path": path, "value": value},
                {"op": "remove", "path": path},
            ]);
            prop_assert_eq!(patched(doc.clone(), ops).unwrap(), doc);
        }
    }
}
