//! JSON values as the template sees them: minijinja values with every `$` of their strings and
//! keys doubled ([`escape`]), made in one pass over the borrowed JSON. They are the values
//! minijinja's serde conversion makes of the escaped JSON (`Serde(escaped(value))`: maps as
//! sorted maps, arrays as lists, unsigned, signed and floating-point numbers kept apart),
//! without copying the JSON and walking it twice first.

use std::collections::BTreeMap;

use minijinja::Value as Jinja;
use serde_json::{Number, Value};

use crate::placeholder::escape;

/// `value`, escaped, as a minijinja value.
pub(super) fn escaped(value: &Value) -> Jinja {
    match value {
        Value::Null => Jinja::from(()),
        Value::Bool(b) => Jinja::from(*b),
        Value::Number(n) => number(n),
        Value::String(s) => text(s),
        Value::Array(items) => Jinja::from_object(items.iter().map(escaped).collect::<Vec<_>>()),
        Value::Object(entries) => map(entries.iter().map(|(k, v)| (k.as_str(), escaped(v)))),
    }
}

/// `s`, escaped.
pub(super) fn text(s: &str) -> Jinja {
    if s.contains('$') {
        Jinja::from(escape(s).as_str())
    } else {
        Jinja::from(s)
    }
}

/// A map of `entries`, their keys escaped (the values are escaped already).
pub(super) fn map<'k>(entries: impl IntoIterator<Item = (&'k str, Jinja)>) -> Jinja {
    let entries: BTreeMap<Jinja, Jinja> = entries.into_iter().map(|(k, v)| (text(k), v)).collect();
    Jinja::from_object(entries)
}

/// A number as serde gives it to minijinja: unsigned, else signed, else floating-point.
fn number(n: &Number) -> Jinja {
    if let Some(u) = n.as_u64() {
        Jinja::from(u)
    } else if let Some(i) = n.as_i64() {
        Jinja::from(i)
    } else {
        Jinja::from(n.as_f64().unwrap_or_default())
    }
}

/// The value's structure and scalars, written out (keys in iteration order).
#[cfg(test)]
pub(super) fn dump(value: &Jinja) -> String {
    match value.kind() {
        minijinja::value::ValueKind::Map => {
            let keys: Vec<Jinja> = value.try_iter().unwrap().collect();
            let entries: Vec<String> = keys
                .iter()
                .map(|k| format!("{}: {}", dump(k), dump(&value.get_item(k).unwrap())))
                .collect();
            format!("map{{{}}}", entries.join(", "))
        }
        minijinja::value::ValueKind::Seq => {
            let items: Vec<String> = value.try_iter().unwrap().map(|v| dump(&v)).collect();
            format!("seq[{}]", items.join(", "))
        }
        kind => format!("{kind:?}({value:?}, integer: {})", value.is_integer()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::value::Serde;
    use proptest::prelude::*;

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z$]{0,6}|\\PC{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-z$]{0,5}|\\PC{0,4}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Every `$` of `value`'s strings and keys doubled, as a JSON value.
    fn escaped_json(value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(escape(s)),
            Value::Array(items) => Value::Array(items.iter().map(escaped_json).collect()),
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (escape(k), escaped_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    proptest! {
        #[test]
        fn escaped_values_are_what_serde_makes_of_the_escaped_json(value in json()) {
            let direct = escaped(&value);
            let serde = Jinja::from(Serde(escaped_json(&value)));
            prop_assert_eq!(dump(&direct), dump(&serde));
            prop_assert_eq!(&direct, &serde);
        }
    }

    #[test]
    fn numbers_keep_their_kind() {
        for value in [
            serde_json::json!(1),
            serde_json::json!(-1),
            serde_json::json!(1.0),
            serde_json::json!(u64::MAX),
        ] {
            assert_eq!(
                dump(&escaped(&value)),
                dump(&Jinja::from(Serde(value.clone())))
            );
        }
        assert_eq!(
            dump(&escaped(&serde_json::json!("a$b"))),
            dump(&Jinja::from("a$$b"))
        );
    }
}
