//! What a dry run would change: the fields where the server's dry-run answer differs from the
//! live object, ignoring what the server keeps for itself (status, resourceVersion,
//! managedFields, ...). Only paths are reported, never values.

use serde_json::Value;

use super::object::ObjectId;
use super::report::{Change, ChangeAction};

/// Metadata the server maintains; a change there is not a change of the object.
const SERVER_METADATA: &[&str] = &[
    "resourceVersion",
    "managedFields",
    "generation",
    "creationTimestamp",
    "uid",
];

/// The change from `live` (absent: the object does not exist) to `after`, the dry-run answer.
pub(crate) fn change(object: &ObjectId, live: Option<&Value>, after: &Value) -> Change {
    let Some(live) = live else {
        return Change {
            object: object.clone(),
            action: ChangeAction::Create,
            fields: Vec::new(),
        };
    };
    let mut fields = Vec::new();
    diff(&comparable(live), &comparable(after), "", &mut fields);
    fields.sort();
    Change {
        object: object.clone(),
        action: if fields.is_empty() {
            ChangeAction::Unchanged
        } else {
            ChangeAction::Update
        },
        fields,
    }
}

/// The object without status and server-kept metadata.
fn comparable(object: &Value) -> Value {
    let mut object = object.clone();
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            for key in SERVER_METADATA {
                meta.remove(*key);
            }
        }
    }
    object
}

/// Collects the leaf paths where `a` and `b` differ.
fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let sub = join(path, key);
                match (x.get(key), y.get(key)) {
                    (Some(u), Some(v)) => diff(u, v, &sub, out),
                    _ => out.push(sub),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                diff(u, v, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(if path.is_empty() {
            ".".into()
        } else {
            path.into()
        }),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    let plain = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{key:?}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id() -> ObjectId {
        ObjectId::of(&json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}}))
            .unwrap()
    }

    #[test]
    fn server_kept_fields_are_not_changes() {
        let live = json!({"metadata": {"name": "db", "resourceVersion": "1", "uid": "u"}, "data": {"a": "eA=="}, "status": {}});
        let after = json!({"metadata": {"name": "db", "resourceVersion": "2", "uid": "u"}, "data": {"a": "eA=="}});
        let change = change(&id(), Some(&live), &after);
        assert_eq!(change.action, ChangeAction::Unchanged);
    }

    #[test]
    fn changed_fields_are_named_by_path_without_values() {
        let live = json!({"metadata": {"name": "db", "labels": {"app.kubernetes.io/name": "x"}}, "data": {"password": "b2xk"}});
        let after = json!({"metadata": {"name": "db", "labels": {"app.kubernetes.io/name": "y"}}, "data": {"password": "bmV3", "user": "dQ=="}});
        let change = change(&id(), Some(&live), &after);
        assert_eq!(change.action, ChangeAction::Update);
        assert_eq!(
            change.fields,
            [
                "data.password",
                "data.user",
                "metadata.labels[\"app.kubernetes.io/name\"]"
            ]
        );
        let text = serde_json::to_string(&change).unwrap();
        assert!(!text.contains("bmV3") && !text.contains("b2xk"));
    }

    #[test]
    fn a_missing_object_would_be_created() {
        assert_eq!(change(&id(), None, &json!({})).action, ChangeAction::Create);
    }

    mod laws {
        use super::*;
        use proptest::prelude::*;

        /// Objects of nested maps with string leaves: keys from a small alphabet so that two
        /// generated objects share paths.
        fn object() -> impl Strategy<Value = Value> {
            let leaf = "[a-c]{0,3}".prop_map(Value::from);
            leaf.prop_recursive(3, 24, 4, |inner| {
                prop::collection::btree_map("[a-d]", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect()))
            })
        }

        proptest! {
            #[test]
            fn an_object_compared_with_itself_is_unchanged(x in object()) {
                let c = change(&id(), Some(&json!({"spec": x.clone()})), &json!({"spec": x}));
                prop_assert_eq!(c.action, ChangeAction::Unchanged);
            }

            #[test]
            fn changed_fields_are_named_and_values_never_are(x in object(), y in object()) {
                let before = json!({"spec": x});
                let after = json!({"spec": y, "data": {"k": "VALUE-NEVER-SHOWN"}});
                let c = change(&id(), Some(&before), &after);
                prop_assert_eq!(c.action, ChangeAction::Update);
                prop_assert!(c.fields.contains(&"data".to_owned()));
                let text = serde_json::to_string(&c).unwrap();
                prop_assert!(!text.contains("VALUE-NEVER-SHOWN"));
                let mut sorted = c.fields.clone();
                sorted.sort();
                prop_assert_eq!(sorted, c.fields);
            }
        }
    }
}
