//! Host drivers: a function of the host language (a Python or JavaScript callable) provisions
//! resources. The request goes to it as plain data and its answer comes back as plain data, so
//! a binding only converts values between its language and JSON.
//!
//! The request is a JSON object:
//!
//! ```json
//! {"key": "postgres.default#shop.db", "type": "postgres", "class": "default", "id": "shop.db",
//!  "guid": "...", "definition": "postgres-cloud", "driver": "cloud-sql",
//!  "context": {"app": "shop", "env": "prod", "env_type": "production"},
//!  "params": {...}, "inputs": {...}, "secrets": {...}, "workloads": {...}, "source": "backend"}
//! ```
//!
//! `inputs` and `secrets` are the definition's `inputs.values` and `inputs.secrets` with their
//! placeholders substituted (a secret input is its text, or `{"secretKeyRef": {"name", "key"}}`).
//! The answer is an object with any of `outputs` (object), `secrets` (object of texts or
//! `secretKeyRef`s) and `manifests` (array of objects); nothing else.
//!
//! ```
//! use goldpath::drivers::provisioned_from;
//! use serde_json::json;
//!
//! let answer = json!({"outputs": {"host": "db"}, "secrets": {"password": "s3cret-value"}});
//! let provisioned = provisioned_from(answer).unwrap();
//! assert_eq!(provisioned.to_string(), "outputs: host; secrets: password; manifests: none");
//!
//! let err = provisioned_from(json!({"secrets": {"password": 42}})).unwrap_err();
//! assert!(err.message().contains("`secrets.password`"));
//! assert!(!err.message().contains("42"));
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::static_driver::resolve_inputs;
use super::substitution::in_definition;
use super::{Driver, ProvisionRequest, Provisioned};
use crate::sensitive::SecretValue;
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// A function of the host that provisions a resource: it takes the request as JSON and
/// answers JSON, or fails with a message (the host's exception, as text).
pub trait HostFunction: Send + Sync {
    /// Provisions the resource described by `request`.
    ///
    /// # Errors
    /// A message saying why the host failed; it becomes a [`ErrorKind::Driver`] error.
    fn call(&self, request: Value) -> std::result::Result<Value, String>;
}

/// A [`Driver`] that hands the request to a [`HostFunction`] registered under `name`.
pub struct HostDriver<F> {
    name: String,
    function: F,
}

impl<F: HostFunction> HostDriver<F> {
    /// The driver `name`, served by `function`.
    pub fn new(name: impl Into<String>, function: F) -> Self {
        Self {
            name: name.into(),
            function,
        }
    }
}

impl<F: HostFunction> Driver for HostDriver<F> {
    fn provision(&self, req: &ProvisionRequest<'_>) -> Result<Provisioned> {
        let request = request_data(req, &self.name)?;
        let answer = self.function.call(request).map_err(|message| {
            driver_error(format!("host driver `{}` failed: {message}", self.name))
        })?;
        provisioned_from(answer).map_err(|e| in_definition(req.definition, e))
    }
}

fn driver_error(message: String) -> Error {
    Error::new(ErrorKind::Driver, Location::default(), message)
}

/// The request as the plain data a host function receives (see the module documentation).
///
/// # Errors
/// A placeholder of the definition's inputs that does not resolve.
pub fn request_data(req: &ProvisionRequest<'_>, driver: &str) -> Result<Value> {
    let inputs = resolve_inputs(req).map_err(|e| in_definition(req.definition, e))?;
    let secrets: Map<String, Value> = inputs
        .secrets
        .into_iter()
        .map(|(name, secret)| (name, secret_data(secret)))
        .collect();
    let mut context = json!({
        "app": req.context.app,
        "env": req.context.env,
        "env_type": req.context.env_type,
    });
    if let Some(workload) = req.workload {
        context["workload"] = workload.clone();
    }
    Ok(json!({
        "key": req.key.to_string(),
        "type": req.key.resource_type(),
        "class": req.key.class(),
        "id": req.key.id(),
        "guid": req.guid,
        "definition": req.definition.name,
        "driver": driver,
        "context": context,
        "params": req.params,
        "inputs": inputs.values,
        "secrets": secrets,
        "workloads": req.workloads.value(),
        "source": req.source,
    }))
}

pub(crate) fn secret_data(secret: SecretValue) -> Value {
    match secret {
        SecretValue::Value(text) => Value::String(text.into_exposed()),
        SecretValue::Ref { name, key } => json!({"secretKeyRef": {"name": name, "key": key}}),
    }
}

/// The answer of a host function as [`Provisioned`].
///
/// # Errors
/// An [`ErrorKind::Driver`] error naming the first part of the answer that has the wrong
/// shape; secret values are never quoted.
pub fn provisioned_from(answer: Value) -> Result<Provisioned> {
    let Value::Object(mut answer) = answer else {
        return Err(shape_error(
            &DocPath::root(),
            "the answer must be a mapping with `outputs`, `secrets` and `manifests`",
            &answer,
        ));
    };
    if let Some(unknown) = answer
        .keys()
        .find(|k| !["outputs", "secrets", "manifests"].contains(&k.as_str()))
    {
        return Err(driver_error(format!(
            "the host driver's answer has an unknown key `{unknown}`: use `outputs`, `secrets` and `manifests`"
        )));
    }
    Ok(Provisioned {
        outputs: outputs(answer.remove("outputs"))?,
        secrets: secrets(answer.remove("secrets"))?,
        manifests: manifests(answer.remove("manifests"))?,
        sensitive: Vec::new(),
    })
}

fn outputs(value: Option<Value>) -> Result<Map<String, Value>> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(other) => Err(shape_error(
            &DocPath::root().key("outputs"),
            "must be a mapping",
            &other,
        )),
    }
}

fn secrets(value: Option<Value>) -> Result<BTreeMap<String, SecretValue>> {
    let entries = match value {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map,
        Some(other) => {
            let path = DocPath::root().key("secrets");
            return Err(shape_error(&path, "must be a mapping", &other));
        }
    };
    entries
        .into_iter()
        .map(|(name, value)| {
            let secret = secret_value(&name, value)?;
            Ok((name, secret))
        })
        .collect()
}

fn secret_value(name: &str, value: Value) -> Result<SecretValue> {
    let path = DocPath::root().key("secrets").key(name);
    let found = value_type(&value);
    match value {
        Value::String(text) => Ok(SecretValue::value(text)),
        Value::Object(map) => secret_ref(&map).ok_or_else(|| {
            shape_error(
                &path,
                "must be text or `{secretKeyRef: {name, key}}` with text name and key",
                &Value::Object(Map::new()),
            )
        }),
        _ => Err(driver_error(format!(
            "the host driver's answer: `{path}` must be text or `{{secretKeyRef: {{name, key}}}}`, found {found}"
        ))),
    }
}

/// The reference a `{"secretKeyRef": {"name", "key"}}` mapping stands for.
pub(super) fn secret_ref(map: &Map<String, Value>) -> Option<SecretValue> {
    let selector = map.get("secretKeyRef")?.as_object()?;
    if map.len() != 1 {
        return None;
    }
    Some(SecretValue::Ref {
        name: selector.get("name")?.as_str()?.to_owned(),
        key: selector.get("key")?.as_str()?.to_owned(),
    })
}

fn manifests(value: Option<Value>) -> Result<Vec<Value>> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            let path = DocPath::root().key("manifests");
            return Err(shape_error(&path, "must be a list of objects", &other));
        }
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            let path = DocPath::root().key("manifests").index(i);
            return Err(shape_error(
                &path,
                "must be a Kubernetes object (a mapping)",
                item,
            ));
        }
    }
    Ok(items)
}

/// An error about the shape of the answer: the path, what it must be, and the type found
/// (never the value, which may be secret).
fn shape_error(path: &DocPath, rule: &str, found: &Value) -> Error {
    let place = if path.is_root() {
        String::new()
    } else {
        format!("`{path}` ")
    };
    driver_error(format!(
        "the host driver's answer: {place}{rule}, found {}",
        value_type(found)
    ))
}

fn value_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_answer_provisions_nothing() {
        let provisioned = provisioned_from(json!({})).unwrap();
        assert_eq!(provisioned, Provisioned::default());
    }

    #[test]
    fn secret_refs_and_manifests_are_read() {
        let answer = json!({
            "secrets": {"password": {"secretKeyRef": {"name": "db", "key": "pw"}}},
            "manifests": [{"kind": "ConfigMap", "metadata": {"name": "x"}}],
        });
        let provisioned = provisioned_from(answer).unwrap();
        assert_eq!(
            provisioned.secrets["password"].to_string(),
            "secretKeyRef db/pw"
        );
        assert_eq!(provisioned.manifests.len(), 1);
    }

    #[test]
    fn wrong_shapes_name_the_place() {
        let cases = [
            (json!([]), "must be a mapping"),
            (json!({"output": {}}), "unknown key `output`"),
            (
                json!({"outputs": [1]}),
                "`outputs` must be a mapping, found a list",
            ),
            (
                json!({"manifests": [1]}),
                "`manifests[0]` must be a Kubernetes object",
            ),
            (
                json!({"secrets": {"pw": {"secretKeyRef": {"name": 1}}}}),
                "`secrets.pw`",
            ),
        ];
        for (answer, expected) in cases {
            let err = provisioned_from(answer).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Driver);
            assert!(err.message().contains(expected), "{}", err.message());
        }
    }
}
