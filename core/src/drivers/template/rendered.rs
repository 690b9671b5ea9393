//! From rendered template text to outputs, secrets and manifests: YAML parsing, shapes, and
//! the errors of each step.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::sensitive::SecretValue;
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// The longest failing expression an error message quotes.
const MAX_SHOWN_EXPRESSION: usize = 80;

/// One of the three templates of a definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Which {
    Outputs,
    Secrets,
    Manifests,
}

impl Which {
    /// The field name under `templates`.
    pub(super) fn field(self) -> &'static str {
        match self {
            Self::Outputs => "outputs",
            Self::Secrets => "secrets",
            Self::Manifests => "manifests",
        }
    }

    /// The template's name in messages and in minijinja: `templates.outputs`.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Outputs => "templates.outputs",
            Self::Secrets => "templates.secrets",
            Self::Manifests => "templates.manifests",
        }
    }

    /// `spec.templates.<field>`.
    pub(super) fn path(self) -> DocPath {
        super::super::substitution::spec_path()
            .key("templates")
            .key(self.field())
    }

    fn error(self, message: impl std::fmt::Display) -> Error {
        Error::new(
            ErrorKind::Driver,
            Location::default().with_path(self.path()),
            format!("{}: {message}", self.name()),
        )
    }
}

/// A minijinja error as a goldpath error naming the template, the line and, when minijinja
/// knows it, the failing expression of `source` (template text, never a rendered value).
pub(super) fn template_error(
    which: Which,
    source: &str,
    err: &minijinja::Error,
    fuel: u64,
) -> Error {
    use minijinja::ErrorKind as K;
    let line = err
        .line()
        .map(|l| format!("line {l}: "))
        .unwrap_or_default();
    let expression = err
        .range()
        .and_then(|range| source.get(range))
        .filter(|text| !text.is_empty() && text.len() <= MAX_SHOWN_EXPRESSION);
    let detail = match (err.detail(), expression) {
        (Some(detail), _) => format!(": {detail}"),
        (None, Some(expression)) => format!(" in `{expression}`"),
        (None, None) => String::new(),
    };
    let what = match (err.kind(), expression) {
        (K::OutOfFuel, _) => format!(
            "the template ran out of fuel (its budget is {fuel} units of work and memory): look \
             for a loop that does not end, or make the template simpler"
        ),
        (K::SyntaxError, _) => format!("syntax error{detail}: fix the template"),
        (K::UndefinedError, found) => format!(
            "{} is undefined: the variables are `context`, `inputs`, `params` and the function \
             `generated(name)`; check the name, or test it with `is defined`",
            found.map_or_else(|| "a value".to_owned(), |e| format!("`{e}`"))
        ),
        (kind, _) => format!("{kind}{detail}"),
    };
    which.error(format!("{line}{what}"))
}

/// The rendered text as YAML; blank text is `null`.
pub(super) fn parse_yaml(which: Which, text: &str) -> Result<Value> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    yaml_value(text).map_err(|err| yaml_error(which, &err))
}

/// `text` parsed as YAML with the options of every rendered template (YAML 1.2 booleans,
/// numbers with leading zeros kept as strings, duplicate keys refused).
pub(super) fn yaml_value(text: &str) -> std::result::Result<Value, serde_saphyr::Error> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(text, options)
}

fn yaml_error(which: Which, err: &serde_saphyr::Error) -> Error {
    let at = err.location().map_or_else(String::new, |l| {
        format!(
            " (line {}, column {} of the rendered text)",
            l.line(),
            l.column()
        )
    });
    let text = err.without_snippet().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let reason = match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest,
        _ => text,
    };
    let reason = reason.lines().next().unwrap_or(reason);
    let reason = match reason.rsplit_once(" at line ") {
        Some((head, tail)) if tail.starts_with(|c: char| c.is_ascii_digit()) => head,
        _ => reason,
    };
    // The key is rendered text, which may be a secret: it is never quoted.
    let reason = if reason.to_ascii_lowercase().contains("duplicate") {
        "a mapping has the same key twice (the key is not shown: it may be a secret)"
    } else {
        reason
    };
    which.error(format!(
        "the rendered text is not valid YAML{at}: {reason}; quote values that hold `: `, `#` \
         or start with a YAML indicator, e.g. with `{{{{ value | tojson }}}}`"
    ))
}

/// `templates.outputs`: a mapping of output names to values.
pub(super) fn outputs(value: Value) -> Result<Map<String, Value>> {
    match value {
        Value::Null => Ok(Map::new()),
        Value::Object(map) => Ok(map),
        other => Err(Which::Outputs.error(format!(
            "must render to a mapping of output names to values, not {}",
            type_name(&other)
        ))),
    }
}

/// `templates.secrets`: a mapping of names to strings or `{secretKeyRef: {name, key}}`.
pub(super) fn secrets(value: Value) -> Result<BTreeMap<String, SecretValue>> {
    let map = match value {
        Value::Null => return Ok(BTreeMap::new()),
        Value::Object(map) => map,
        other => {
            return Err(Which::Secrets.error(format!(
                "must render to a mapping of secret names to values, not {}",
                type_name(&other)
            )));
        }
    };
    map.into_iter()
        .map(|(name, value)| {
            let secret = secret(value).ok_or_else(|| {
                Which::Secrets.error(format!(
                    "`{name}` must be a string or `{{secretKeyRef: {{name, key}}}}` with two \
                     strings; quote values that YAML reads as numbers or booleans"
                ))
            })?;
            Ok((name, secret))
        })
        .collect()
}

fn secret(value: Value) -> Option<SecretValue> {
    let Value::Object(mut outer) = value else {
        return value.as_str().map(SecretValue::value);
    };
    let Some(Value::Object(mut selector)) = outer.remove("secretKeyRef") else {
        return None;
    };
    if !outer.is_empty() || selector.len() != 2 {
        return None;
    }
    match (selector.remove("name"), selector.remove("key")) {
        (Some(Value::String(name)), Some(Value::String(key))) => {
            Some(SecretValue::Ref { name, key })
        }
        _ => None,
    }
}

/// `templates.manifests`: a list of Kubernetes objects, each with `apiVersion` and `kind`.
pub(super) fn manifests(value: Value) -> Result<Vec<Value>> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => {
            return Err(Which::Manifests.error(format!(
                "must render to a list of Kubernetes objects, not {}; start each object with `- `",
                type_name(&other)
            )));
        }
    };
    for (index, item) in items.iter().enumerate() {
        let has = |field: &str| item.get(field).is_some_and(Value::is_string);
        if !item.is_object() || !has("apiVersion") || !has("kind") {
            return Err(Which::Manifests.error(format!(
                "item {index} must be a Kubernetes object with string `apiVersion` and `kind`, \
                 not {}",
                describe_item(item)
            )));
        }
    }
    Ok(items)
}

fn describe_item(item: &Value) -> String {
    if item.is_object() {
        "a mapping without them".to_owned()
    } else {
        type_name(item).to_owned()
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_accept_strings_and_references_only() {
        let ok =
            secrets(json!({"a": "x", "b": {"secretKeyRef": {"name": "n", "key": "k"}}})).unwrap();
        assert_eq!(
            ok["b"],
            SecretValue::Ref {
                name: "n".into(),
                key: "k".into()
            }
        );
        assert!(matches!(ok["a"], SecretValue::Value(_)));
        for bad in [
            json!({"a": 1}),
            json!({"a": {"secretKeyRef": {"name": "n"}}}),
            json!({"a": {"secretKeyRef": {"name": "n", "key": "k", "x": "y"}}}),
            json!({"a": {"secretKeyRef": {"name": "n", "key": 1}}}),
            json!({"a": {"secretKeyRef": {"name": "n", "key": "k"}, "x": 1}}),
            json!(["a"]),
        ] {
            let err = secrets(bad.clone()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Driver, "{bad}");
            assert!(err.message().starts_with("templates.secrets: "), "{err}");
        }
    }

    #[test]
    fn yaml_errors_give_the_line_of_the_rendered_text() {
        let err = parse_yaml(Which::Outputs, "a: 1\nb: [\n").unwrap_err();
        assert!(err.message().contains("line "), "{err}");
        let err = parse_yaml(
            Which::Outputs,
            "a: 1\nsecret-key-text: 1\nsecret-key-text: 2\n",
        )
        .unwrap_err();
        assert!(err.message().contains("same key twice"), "{err}");
        assert!(err.message().contains("line 3"), "{err}");
        assert!(!err.to_string().contains("secret-key-text"), "{err}");
        assert_eq!(parse_yaml(Which::Outputs, " \n"), Ok(Value::Null));
        assert_eq!(
            parse_yaml(Which::Outputs, "a: yes\nb: 0755\n"),
            Ok(json!({"a": "yes", "b": "0755"}))
        );
    }
}
