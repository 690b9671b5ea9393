//! The variables a template sees, and `generated(name)`.

use std::sync::{Arc, Mutex, PoisonError};

use minijinja::value::Serde;
use serde_json::{Map, Value, json};

use super::super::static_driver::ResolvedInputs;
use super::super::{ProvisionRequest, SecretSeed};
use crate::ResourceKey;
use crate::placeholder::escape;
use crate::platform::Context;
use crate::sensitive::{SecretValue, Sensitive};

/// The sensitive values a render produced, shared with the `generated` function.
#[derive(Clone, Default)]
pub(super) struct Recorder(Arc<Mutex<Vec<Sensitive<String>>>>);

impl Recorder {
    fn push(&self, value: Sensitive<String>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(value);
    }

    /// Everything recorded so far.
    pub(super) fn take(&self) -> Vec<Sensitive<String>> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
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
    let tree = json!({
        "context": context_tree(req),
        "inputs": {
            "values": inputs.values,
            "secrets": secrets_tree(inputs),
        },
        "params": req.params,
        "source": req.source,
        "state": req.state,
    });
    let generated = generated_function(
        req.seed.clone(),
        req.context.clone(),
        req.key.clone(),
        recorder.clone(),
    );
    minijinja::context! {
        generated => generated,
        workloads => minijinja::Value::from_object(WorkloadMap(Arc::clone(req.workloads))),
        ..minijinja::Value::from(Serde(escaped(tree)))
    }
}

/// `context.app.id`, `context.env.id|type`, `context.res.id|type|class|key|guid`, and
/// `context.workload` for a `workload` resource; the id of a key without one is `""`.
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
struct WorkloadMap(Arc<Value>);

impl minijinja::value::Object for WorkloadMap {
    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let child = self.0.get(key.as_str()?)?;
        Some(minijinja::Value::from(Serde(child.clone())))
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        let keys: Vec<minijinja::Value> = self
            .0
            .as_object()
            .map(|m| {
                m.keys()
                    .map(|k| minijinja::Value::from(k.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        minijinja::value::Enumerator::Iter(Box::new(keys.into_iter()))
    }
}

/// `value` with every `$` of its strings and keys doubled ([`escape`]): in place, only what
/// holds a `$` is copied.
fn escaped(mut value: Value) -> Value {
    escape_in_place(&mut value);
    value
}

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
        let value = seed.generate(&context, &key, name);
        let text = value.expose().clone();
        recorder.push(value);
        Ok(text)
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
