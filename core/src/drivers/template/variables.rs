//! The variables a template sees, and `generated(name)`.

use std::sync::{Arc, Mutex, PoisonError};

use minijinja::value::Serde;
#[cfg(test)]
use serde_json::json;
use serde_json::{Map, Value};

use super::super::static_driver::ResolvedInputs;
use super::super::{ProvisionRequest, SecretSeed, Services};
use super::jinja;
use crate::ResourceKey;
#[cfg(test)]
use crate::placeholder::escape;
use crate::platform::Context;
use crate::sensitive::{SecretValue, Sensitive};

/// The sensitive values a render produced, shared with the `generated` function.
#[derive(Clone, Default)]
pub(super) struct Recorder(Arc<Mutex<Recorded>>);

#[derive(Default)]
struct Recorded {
    /// Every value recorded and not yet taken.
    values: Vec<Sensitive<String>>,
    /// The values `generated(name)` gave, by name: the same name gives the same value within
    /// one resource's render (its templates often ask for one several times).
    generated: Vec<(String, Sensitive<String>)>,
}

impl Recorder {
    /// The value generated as `name`, recorded again, or `make`'s value, recorded.
    fn generated(&self, name: &str, make: impl FnOnce() -> Sensitive<String>) -> String {
        let mut recorded = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let known = recorded.generated.iter().find(|(known, _)| known == name);
        let value = match known {
            Some((_, value)) => value.clone(),
            None => {
                let value = make();
                recorded.generated.push((name.to_owned(), value.clone()));
                value
            }
        };
        let text = value.expose().clone();
        recorded.values.push(value);
        text
    }

    /// Everything recorded so far.
    pub(super) fn take(&self) -> Vec<Sensitive<String>> {
        let mut recorded = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::take(&mut recorded.values)
    }
}

/// The render context: `context`, `inputs`, `params` (every key and string escaped so that the
/// substitution after rendering gives their text back instead of expanding it), `state` (the
/// resource's recorded driver state, or none) and `generated(name)`.
pub(super) fn variables(
    req: &ProvisionRequest<'_>,
    inputs: &ResolvedInputs,
    recorder: &Recorder,
) -> minijinja::Value {
    let generated = generated_function(
        req.seed.clone(),
        req.context.clone(),
        req.key.clone(),
        recorder.clone(),
    );
    minijinja::context! {
        generated => generated,
        workloads => minijinja::Value::from_object(WorkloadMap(req.workloads.clone())),
        ..tree(req, inputs)
    }
}

/// `context`, `inputs`, `params`, `source` and `state`, escaped, made straight from the
/// request (what `Serde(escaped(tree_json(..)))` makes, in one pass).
fn tree(req: &ProvisionRequest<'_>, inputs: &ResolvedInputs) -> minijinja::Value {
    let entries = |map: &'_ Map<String, Value>| {
        jinja::map(map.iter().map(|(k, v)| (k.as_str(), jinja::escaped(v))))
    };
    let secrets = inputs.secrets.iter().map(|(name, secret)| {
        let value = match secret {
            SecretValue::Value(value) => jinja::text(value.expose()),
            SecretValue::Ref { name, key } => {
                let reference =
                    jinja::map([("name", jinja::text(name)), ("key", jinja::text(key))]);
                jinja::map([("secretKeyRef", reference)])
            }
        };
        (name.as_str(), value)
    });
    let none = || minijinja::Value::from(());
    jinja::map([
        ("context", context_value(req)),
        (
            "inputs",
            jinja::map([
                ("values", entries(&inputs.values)),
                ("secrets", jinja::map(secrets)),
            ]),
        ),
        ("params", entries(req.params)),
        ("source", req.source.map_or_else(none, jinja::text)),
        ("state", req.state.map_or_else(none, jinja::escaped)),
    ])
}

/// `context.app.id`, `context.env.id|type`, `context.res.id|type|class|key|guid`, and
/// `context.workload` for a `workload` resource; the id of a key without one is `""`.
fn context_value(req: &ProvisionRequest<'_>) -> minijinja::Value {
    let key = req.key;
    let context = req.context;
    let res = jinja::map([
        ("id", jinja::text(key.id().unwrap_or(""))),
        ("type", jinja::text(key.resource_type())),
        ("class", jinja::text(key.class())),
        ("key", jinja::text(&key.to_string())),
        ("guid", jinja::text(req.guid)),
    ]);
    let mut entries = vec![
        ("app", jinja::map([("id", jinja::text(&context.app))])),
        (
            "env",
            jinja::map([
                ("id", jinja::text(&context.env)),
                ("type", jinja::text(&context.env_type)),
            ]),
        ),
        ("res", res),
    ];
    if let Some(workload) = req.workload {
        entries.push(("workload", jinja::escaped(workload)));
    }
    jinja::map(entries)
}

/// What [`tree`] makes, as the JSON tree it was once made from (before escaping).
#[cfg(test)]
pub(super) fn tree_json(req: &ProvisionRequest<'_>, inputs: &ResolvedInputs) -> Value {
    json!({
        "context": context_tree(req),
        "inputs": {
            "values": inputs.values,
            "secrets": secrets_tree(inputs),
        },
        "params": req.params,
        "source": req.source,
        "state": req.state,
    })
}

/// [`tree`] of the request, and minijinja's serde conversion of [`tree_json`], escaped.
#[cfg(test)]
pub(super) fn both_trees(
    req: &ProvisionRequest<'_>,
    inputs: &ResolvedInputs,
) -> (minijinja::Value, minijinja::Value) {
    let json = minijinja::Value::from(minijinja::value::Serde(escaped(tree_json(req, inputs))));
    (tree(req, inputs), json)
}

/// `context` as JSON.
#[cfg(test)]
fn context_tree(req: &ProvisionRequest<'_>) -> Value {
    let key = req.key;
    let mut tree = json!({
        "app": {"id": req.context.app},
        "env": {"id": req.context.env, "type": req.context.env_type},
        "res": {
            "id": key.id().unwrap_or(""),
            "type": key.resource_type(),
            "class": key.class(),
            "key": key.to_string(),
            "guid": req.guid,
        },
    });
    if let Some(workload) = req.workload {
        tree["workload"] = workload.clone();
    }
    tree
}

/// Secret inputs as the template sees them: a literal as its text, a reference as
/// `{secretKeyRef: {name, key}}`.
#[cfg(test)]
fn secrets_tree(inputs: &ResolvedInputs) -> Map<String, Value> {
    inputs
        .secrets
        .iter()
        .map(|(name, secret)| {
            let value = match secret {
                SecretValue::Value(value) => Value::from(value.expose().as_str()),
                SecretValue::Ref { name, key } => {
                    json!({"secretKeyRef": {"name": name, "key": key}})
                }
            };
            (name.clone(), value)
        })
        .collect()
}

/// The application's workloads for templates, looked up lazily: a template that reads one
/// workload converts only that one (planning thousands of workloads stays linear). Workload
/// and Service names are DNS labels and ports numbers, so nothing here needs escaping.
#[derive(Debug)]
struct WorkloadMap(Services);

impl minijinja::value::Object for WorkloadMap {
    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let child = self.0.workload(key.as_str()?)?;
        Some(minijinja::Value::from(Serde(child.into_owned())))
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        let keys: Vec<minijinja::Value> = self
            .0
            .names()
            .into_iter()
            .map(minijinja::Value::from)
            .collect();
        minijinja::value::Enumerator::Iter(Box::new(keys.into_iter()))
    }
}

/// `value` with every `$` of its strings and keys doubled ([`escape`]): in place, only what
/// holds a `$` is copied.
#[cfg(test)]
fn escaped(mut value: Value) -> Value {
    escape_in_place(&mut value);
    value
}

#[cfg(test)]
fn escape_in_place(value: &mut Value) {
    match value {
        Value::String(text) if text.contains('$') => *text = escape(text),
        Value::Array(items) => items.iter_mut().for_each(escape_in_place),
        Value::Object(map) if map.keys().any(|key| key.contains('$')) => {
            *map = std::mem::take(map)
                .into_iter()
                .map(|(key, item)| (escape(&key), escaped(item)))
                .collect();
        }
        Value::Object(map) => map.values_mut().for_each(escape_in_place),
        _ => {}
    }
}

/// `generated(name)`: the value [`SecretSeed::generate`] derives for the resource, recorded as
/// sensitive. Its characters need no escaping (no `$`, quotes or `\`).
fn generated_function(
    seed: SecretSeed,
    context: Context,
    key: ResourceKey,
    recorder: Recorder,
) -> minijinja::Value {
    minijinja::Value::from_function(move |name: &str| {
        if name.is_empty() {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                "generated() needs a non-empty name, such as generated('password')",
            ));
        }
        Ok(recorder.generated(name, || seed.generate(&context, &key, name)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_doubles_every_dollar_of_keys_and_strings() {
        let value = json!({"a$": ["${x}", 1, {"$$": "$"}]});
        assert_eq!(escaped(value), json!({"a$$": ["$${x}", 1, {"$$$$": "$$"}]}));
    }
}
