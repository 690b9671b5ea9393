//! One walk over an object for the two checks of the output step that read every key and
//! string: the secret check ([`SecretGuard::check_object`]) and the control-character rule
//! ([`crate::validate::text::control_characters`]). The walk only says whether either would
//! find something; when one would, the output step runs that check itself for its error, so
//! errors, paths and their order are the checks' own.

use std::fmt::Write as _;

use serde_json::Value;

use crate::secrets::{SecretGuard, secret_data_exempt};
use crate::validate::text::{key_breaks_rule, value_breaks_rule};

/// What the walk found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Scan {
    /// `guard.check_object(object, ..)` refuses the object.
    pub secret: bool,
    /// `control_characters(object)` finds something.
    pub control: bool,
}

/// Walks `object` once (iteratively: no nesting exhausts the stack) and says what
/// [`SecretGuard::check_object`] and the control-character rule would find. The secret check
/// reads every key and string and every number's text, except the top-level entries that
/// [`secret_data_exempt`] exempts (the check's own rule); the rule reads every key and string
/// value.
pub(super) fn scan(guard: &SecretGuard, object: &Value) -> Scan {
    let mut found = Scan::default();
    let look = !guard.is_empty();
    let exempt = secret_data_exempt(object);
    // Each value with whether the secret check reads it.
    let mut pending: Vec<(&Value, bool)> = Vec::with_capacity(16);
    let mut number = String::new();
    match object {
        Value::Object(map) => {
            for (key, child) in map {
                let read = look && !exempt(key);
                found.secret |= read && guard.found_in(key).is_some();
                found.control |= key_breaks_rule(key);
                pending.push((child, read));
            }
        }
        other => pending.push((other, look)),
    }
    while let Some((value, read)) = pending.pop() {
        if found.secret && found.control {
            break;
        }
        match value {
            Value::String(text) => {
                found.secret |= read && !found.secret && guard.found_in(text).is_some();
                found.control |= !found.control && value_breaks_rule(text);
            }
            Value::Number(n) if read && !found.secret => {
                number.clear();
                let _ = write!(number, "{n}");
                found.secret |= guard.found_in(&number).is_some();
            }
            Value::Array(items) => pending.extend(items.iter().map(|item| (item, read))),
            Value::Object(map) => {
                for (key, child) in map {
                    found.secret |= read && !found.secret && guard.found_in(key).is_some();
                    found.control |= !found.control && key_breaks_rule(key);
                    pending.push((child, read));
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::{Scan, scan};
    use crate::secrets::{SecretGuard, secret_data_exempt};

    /// What the two checks themselves say.
    fn separately(guard: &SecretGuard, object: &Value) -> Scan {
        Scan {
            secret: guard.check_object(object, "x").is_err(),
            control: !crate::validate::text::control_characters(object).is_empty(),
        }
    }

    fn guard() -> SecretGuard {
        SecretGuard::new([
            ("resource `a`", "hunter2-long-secret"),
            ("resource `b`", "short"),
            ("resource `c`", "12345"),
        ])
        .unwrap()
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z ]{0,12}",
            Just("x HUNTER2-LONG y".to_owned()),
            Just("terces-gnol-2retnuh".to_owned()),
            Just("short".to_owned()),
            Just("a\u{1b}b".to_owned()),
            Just("tab\tline\n".to_owned()),
            Just("c1\u{85}".to_owned()),
            Just("data".to_owned()),
            Just("stringData".to_owned()),
            Just("kind".to_owned()),
            Just("Secret".to_owned()),
            Just("v1".to_owned()),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            text().prop_map(Value::from),
            Just(json!(12345)),
            Just(json!(7)),
            Just(json!(true)),
            Just(Value::Null),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(text(), inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The walk finds what the two checks find, in Secrets (whose data may hold secrets),
        /// objects that look like one but are not (another kind or version) and any other
        /// object, with `data` at the top and deeper down, with and without secrets to look
        /// for.
        #[test]
        fn the_walk_finds_what_the_checks_find(
            object in value(),
            data in value(),
            shape in 0..4_usize,
        ) {
            let mut object = object;
            let kind = [("v1", "Secret"), ("apps/v1", "Secret"), ("v1", "ConfigMap")];
            if let Some((version, kind)) = kind.get(shape) {
                object = json!({"apiVersion": version, "kind": kind, "data": data.clone(),
                    "spec": {"data": data}, "x": object});
            }
            for guard in [guard(), SecretGuard::new([]).unwrap()] {
                prop_assert_eq!(scan(&guard, &object), separately(&guard, &object));
            }
        }
    }

    /// What [`secret_data_exempt`] exempts is exactly what both walks leave unread: the
    /// top-level `data` and `stringData` of a `v1` `Secret`, nothing deeper and nothing of
    /// another kind or version.
    #[test]
    fn the_rule_is_what_both_walks_leave_unread() {
        let guard = guard();
        for (version, kind) in [("v1", "Secret"), ("apps/v1", "Secret"), ("v1", "secret")] {
            for key in ["data", "stringData", "metadata", "x"] {
                for nested in [false, true] {
                    let leak = json!({"p": "hunter2-long-secret"});
                    let mut object = json!({"apiVersion": version, "kind": kind});
                    // The leak under `key`, at the top or under `spec`.
                    let top = if nested { "spec" } else { key };
                    if nested {
                        object[top] = json!({key: leak});
                    } else {
                        object[top] = leak;
                    }
                    let exempt = secret_data_exempt(&object)(top);
                    let expected = version == "v1"
                        && kind == "Secret"
                        && ["data", "stringData"].contains(&key)
                        && !nested;
                    assert_eq!(exempt, expected, "{object}");
                    assert_eq!(scan(&guard, &object).secret, !exempt, "{object}");
                    assert_eq!(
                        guard.check_object(&object, "x").is_err(),
                        !exempt,
                        "{object}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_secret_outside_a_secret_data_and_a_control_character_are_both_found() {
        let object = json!({"apiVersion": "v1", "kind": "Secret",
            "data": {"p": "hunter2-long-secret"}, "metadata": {"name": "a\u{7}"}});
        assert_eq!(
            scan(&guard(), &object),
            Scan {
                secret: false,
                control: true
            }
        );
        let object = json!({"kind": "ConfigMap", "data": {"short": 12345}});
        assert_eq!(
            scan(&guard(), &object),
            Scan {
                secret: true,
                control: false
            }
        );
    }
}
