//! The check that secret values stay in Secrets and secret outputs.

use serde_json::Value;

use super::Provisioned;
use super::provisioned::{SECRET_DATA_FIELDS, describe_manifest, kind_of};
use crate::sensitive::{REDACTED, SecretValue, Sensitive};
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// Shorter sensitive values are not looked for: they would match ordinary text by chance.
pub const MIN_LEAK_CHARS: usize = 4;

const WHAT: &str = "a secret value (a generated value, a secret input or a secret output)";

/// Refuses a provisioned resource that shows a sensitive value where it is not secret.
///
/// The values looked for are `sensitive` and the [`SecretValue::Value`]s of
/// `provisioned.secrets`, those of at least [`MIN_LEAK_CHARS`] characters. They may appear only
/// in the `data` and `stringData` of manifests of kind `Secret` (and in the secret outputs);
/// found inside any output, any other manifest, or the metadata of a Secret (keys included),
/// they are an error. A key that holds one is shown as `***` in paths.
///
/// ```
/// use goldpath::drivers::{check_no_leak, Provisioned};
/// use goldpath::sensitive::Sensitive;
/// use serde_json::json;
///
/// let password = Sensitive::new("Zx81dTq0Lm2P".to_string());
/// let mut provisioned = Provisioned::default();
/// provisioned.manifests.push(json!({
///     "kind": "ConfigMap", "metadata": {"name": "db"}, "data": {"url": "pg://u:Zx81dTq0Lm2P@db"},
/// }));
/// let err = check_no_leak(&provisioned, &[password]).unwrap_err();
/// assert!(err.message().contains("ConfigMap/db at `manifests[0].data.url`"));
/// assert!(!err.to_string().contains("Zx81dTq0Lm2P"));
/// ```
///
/// # Errors
///
/// An [`ErrorKind::Driver`] error with one diagnostic per place a value was found; messages
/// name the output or the manifest and the path, never the value.
pub fn check_no_leak(provisioned: &Provisioned, sensitive: &[Sensitive<String>]) -> Result<()> {
    let needles = needles(provisioned, sensitive);
    if needles.is_empty() || !any_leak(provisioned, &needles) {
        return Ok(());
    }
    let mut errors = Vec::new();
    for (name, value) in &provisioned.outputs {
        let mut found = Vec::new();
        find_entry(
            name,
            value,
            &DocPath::root().key("outputs"),
            &needles,
            &mut found,
        );
        let name = shown_key(name, &needles);
        errors.extend(found.into_iter().map(|path| output_leak(name, path)));
    }
    for (index, manifest) in provisioned.manifests.iter().enumerate() {
        let mut found = Vec::new();
        find_in_manifest(manifest, index, &needles, &mut found);
        errors.extend(found.into_iter().map(|path| manifest_leak(manifest, path)));
    }
    Error::join(errors).map_or(Ok(()), Err)
}

/// The texts to look for, longest first so that a value containing another is named once.
/// A quick pass that builds no paths: whether any needle appears where it may not. The
/// detailed pass, which names every place, runs only when this finds something.
fn any_leak(provisioned: &Provisioned, needles: &[&str]) -> bool {
    let outputs = provisioned
        .outputs
        .iter()
        .any(|(k, v)| contains_any(k, needles) || value_leaks(v, needles));
    outputs
        || provisioned.manifests.iter().any(|manifest| match manifest {
            Value::Object(fields) if kind_of(manifest) == "Secret" => fields
                .iter()
                .filter(|(field, _)| !SECRET_DATA_FIELDS.contains(&field.as_str()))
                .any(|(k, v)| contains_any(k, needles) || value_leaks(v, needles)),
            other => value_leaks(other, needles),
        })
}

fn value_leaks(value: &Value, needles: &[&str]) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        let hit = match value {
            Value::String(text) => contains_any(text, needles),
            Value::Number(number) => contains_any(&number.to_string(), needles),
            Value::Array(items) => {
                stack.extend(items);
                false
            }
            Value::Object(map) => {
                stack.extend(map.values());
                map.keys().any(|k| contains_any(k, needles))
            }
            _ => false,
        };
        if hit {
            return true;
        }
    }
    false
}

fn needles<'a>(provisioned: &'a Provisioned, sensitive: &'a [Sensitive<String>]) -> Vec<&'a str> {
    let secret_outputs = provisioned
        .secrets
        .values()
        .filter_map(|secret| match secret {
            SecretValue::Value(value) => Some(value),
            SecretValue::Ref { .. } => None,
        });
    let mut needles: Vec<&str> = sensitive
        .iter()
        .chain(secret_outputs)
        .map(|s| s.expose().as_str())
        .filter(|s| s.chars().count() >= MIN_LEAK_CHARS)
        .collect();
    needles.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    needles.dedup();
    needles
}

fn find_in_manifest(manifest: &Value, index: usize, needles: &[&str], found: &mut Vec<DocPath>) {
    let path = DocPath::root().key("manifests").index(index);
    let (Value::Object(fields), true) = (manifest, kind_of(manifest) == "Secret") else {
        find(manifest, path, needles, found);
        return;
    };
    for (field, value) in fields {
        if SECRET_DATA_FIELDS.contains(&field.as_str()) {
            continue;
        }
        find_entry(field, value, &path, needles, found);
    }
}

/// Pushes the path of the entry `key: value` of the mapping at `path` when its key holds a
/// needle, then searches its value.
fn find_entry(
    key: &str,
    value: &Value,
    path: &DocPath,
    needles: &[&str],
    found: &mut Vec<DocPath>,
) {
    let item_path = path.clone().key(shown_key(key, needles));
    if contains_any(key, needles) {
        found.push(item_path.clone());
    }
    find(value, item_path, needles, found);
}

/// The key as paths show it: [`REDACTED`] when it holds a needle.
fn shown_key<'a>(key: &'a str, needles: &[&str]) -> &'a str {
    if contains_any(key, needles) {
        REDACTED
    } else {
        key
    }
}

/// Pushes the path of every string, number or key inside `value` that contains a needle.
fn find(value: &Value, path: DocPath, needles: &[&str], found: &mut Vec<DocPath>) {
    match value {
        Value::String(text) if contains_any(text, needles) => found.push(path),
        Value::Number(number) if contains_any(&number.to_string(), needles) => found.push(path),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find(item, path.clone().index(i), needles, found);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                find_entry(key, item, &path, needles, found);
            }
        }
        _ => {}
    }
}

fn contains_any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| text.contains(needle))
}

fn output_leak(name: &str, path: DocPath) -> Error {
    let message = format!(
        "{WHAT} appears in the output `{name}` at `{path}`: outputs are not secret; return it as \
         a secret output (`templates.secrets`) and use that instead"
    );
    Error::new(
        ErrorKind::Driver,
        Location::default().with_path(path),
        message,
    )
}

fn manifest_leak(manifest: &Value, path: DocPath) -> Error {
    let message = format!(
        "{WHAT} appears in {} at `{path}`: secret values may only be in the `data` or \
         `stringData` of a Secret; put it in a Secret and refer to it with `secretKeyRef`",
        describe_manifest(manifest)
    );
    Error::new(
        ErrorKind::Driver,
        Location::default().with_path(path),
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PASSWORD: &str = "Zx81dTq0Lm2PaaQ";

    fn sensitive() -> Vec<Sensitive<String>> {
        vec![
            Sensitive::new(PASSWORD.to_owned()),
            Sensitive::new("abc".to_owned()),
        ]
    }

    fn with_manifest(manifest: Value) -> Provisioned {
        Provisioned {
            manifests: vec![manifest],
            ..Provisioned::default()
        }
    }

    #[test]
    fn secret_data_may_hold_the_value_but_secret_metadata_may_not() {
        let ok = with_manifest(json!({
            "kind": "Secret", "metadata": {"name": "db"},
            "stringData": {"password": PASSWORD}, "data": {"x": PASSWORD},
        }));
        assert_eq!(check_no_leak(&ok, &sensitive()), Ok(()));
        let bad = with_manifest(json!({
            "kind": "Secret", "metadata": {"name": "db", "annotations": {"p": PASSWORD}},
        }));
        let err = check_no_leak(&bad, &sensitive()).unwrap_err();
        assert_eq!(
            err.location().path.to_string(),
            "manifests[0].metadata.annotations.p"
        );
        assert!(err.message().contains("Secret/db"), "{err}");
    }

    #[test]
    fn outputs_keys_and_numbers_are_searched_and_every_leak_reported() {
        let mut provisioned =
            with_manifest(json!({"kind": "Deployment", "spec": {"x": [{PASSWORD: 1}]}}));
        provisioned
            .outputs
            .insert("url".into(), json!(format!("pg://u:{PASSWORD}@h")));
        provisioned.outputs.insert("pin".into(), json!(48151623));
        let err = check_no_leak(&provisioned, &[Sensitive::new("15162".to_owned())]).unwrap_err();
        assert_eq!(err.diagnostics().len(), 1);
        assert!(err.message().contains("output `pin`"), "{err}");
        let err = check_no_leak(&provisioned, &sensitive()).unwrap_err();
        assert_eq!(err.diagnostics().len(), 2);
        assert_eq!(err.kind(), ErrorKind::Driver);
        assert!(err.to_string().contains("Deployment/(unnamed)"), "{err}");
        assert!(!err.to_string().contains(PASSWORD), "{err}");
        assert!(err.to_string().contains(r#"x[0]["***"]"#), "{err}");
    }

    #[test]
    fn an_output_named_by_the_value_is_not_named() {
        let mut provisioned = Provisioned::default();
        provisioned
            .outputs
            .insert(format!("k{PASSWORD}"), json!({"inner": 1}));
        let err = check_no_leak(&provisioned, &sensitive()).unwrap_err();
        assert!(!err.to_string().contains(PASSWORD), "{err}");
        assert!(err.message().contains("output `***`"), "{err}");
    }

    #[test]
    fn short_values_are_not_looked_for_and_secret_outputs_are() {
        let mut provisioned = Provisioned::default();
        provisioned.outputs.insert("word".into(), json!("abcdef"));
        assert_eq!(check_no_leak(&provisioned, &sensitive()), Ok(()));
        provisioned
            .secrets
            .insert("key".into(), SecretValue::value("bcde"));
        let err = check_no_leak(&provisioned, &[]).unwrap_err();
        assert_eq!(err.location().path.to_string(), "outputs.word");
    }
}
