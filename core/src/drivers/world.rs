//! Drivers that act on the world (`cmd`, `http`): what they are asked and what they answer.
//!
//! Unlike `template` and `static`, these drivers create things outside the plan (a database,
//! a DNS record), so goldpath calls them only when a plan is meant to have side effects
//! ([`Effects`](super::Effects)), hands them the state they returned last time, and asks them
//! to deprovision what an environment no longer needs
//! ([`crate::deploy::Deployer::deploy`]).

use std::path::Path;

use serde_json::{Map, Value, json};

use super::host::{provisioned_from, secret_data};
use super::static_driver::resolve_inputs;
use super::substitution::in_definition;
use super::{ProvisionRequest, Provisioned};
use crate::platform::Context;
use crate::{Error, ErrorKind, Location, ResourceKey, Result};

/// What a driver that acts on the world is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Create or update the resource.
    Provision,
    /// Remove the resource.
    Deprovision,
}

impl Action {
    /// `provision` or `deprovision`, as requests name it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provision => "provision",
            Self::Deprovision => "deprovision",
        }
    }
}

/// One call of a driver that acts on the world. `secrets` holds the definition's secret
/// inputs in clear text: never log or print a call.
pub struct Call<'a> {
    /// Provision or deprovision.
    pub action: Action,
    /// The resource.
    pub key: &'a ResourceKey,
    /// Its stable id.
    pub guid: &'a str,
    /// The definition's name.
    pub definition: &'a str,
    /// Application, environment, environment type.
    pub context: &'a Context,
    /// The request's params, resolved.
    pub params: &'a Map<String, Value>,
    /// The definition's `inputs.values`, resolved.
    pub values: &'a Map<String, Value>,
    /// The definition's `inputs.secrets`, resolved (text, or `{secretKeyRef: {name, key}}`).
    pub secrets: Map<String, Value>,
    /// The state the driver returned last time (`None` the first time).
    pub state: Option<&'a Value>,
    /// The folder of the platform document that defines the definition.
    pub folder: Option<&'a Path>,
    /// The workloads and their services (`workloads` of [`ProvisionRequest`]).
    pub workloads: &'a Value,
    /// The workload that requested the resource.
    pub source: Option<&'a str>,
}

impl Call<'_> {
    /// The request in goldpath's own protocol (README, "cmd and http drivers"): `{action, key,
    /// type, class, id, guid, definition, context: {app, env, envType}, params, values,
    /// secrets, state}`.
    #[must_use]
    pub fn request(&self) -> Value {
        json!({
            "action": self.action.as_str(),
            "key": self.key.to_string(),
            "type": self.key.resource_type(),
            "class": self.key.class(),
            "id": self.key.id(),
            "guid": self.guid,
            "definition": self.definition,
            "context": {"app": self.context.app, "env": self.context.env, "envType": self.context.env_type},
            "params": self.params,
            "values": self.values,
            "secrets": self.secrets,
            "state": self.state,
        })
    }

    /// `inputs.values.NAME` of the definition.
    #[must_use]
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// The timeout in `inputs.values.timeout` (seconds, default 60).
    ///
    /// # Errors
    /// A timeout that is not a positive number of seconds.
    pub fn timeout(&self) -> Result<std::time::Duration> {
        match self.value("timeout") {
            None => Ok(std::time::Duration::from_secs(60)),
            Some(v) => v
                .as_f64()
                .filter(|s| *s > 0.0 && *s <= 86_400.0)
                .map(std::time::Duration::from_secs_f64)
                .ok_or_else(|| {
                    self.error(
                        "`inputs.values.timeout` must be a number of seconds between 0 and 86400"
                            .to_owned(),
                    )
                }),
        }
    }

    /// A [`ErrorKind::Driver`] error naming the definition and the resource.
    #[must_use]
    pub fn error(&self, message: String) -> Error {
        Error::new(
            ErrorKind::Driver,
            Location::default(),
            format!(
                "resource `{}` (definition `{}`): {} of the resource failed: {message}",
                self.key,
                self.definition,
                self.action.as_str()
            ),
        )
    }
}

/// What a driver that acts on the world answers: the outputs, secrets and manifests of the
/// resource, and the state to hand back next time.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Answer {
    /// Outputs, secrets and manifests.
    pub provisioned: Provisioned,
    /// The state to keep (not secret: it passes the plan's secret check).
    pub state: Option<Value>,
}

impl Answer {
    /// An answer in goldpath's protocol: `{outputs, secrets, manifests, state}` (all
    /// optional).
    ///
    /// # Errors
    /// An answer of another shape, naming the place (never a secret value).
    pub fn from_json(answer: Value) -> Result<Self> {
        let Value::Object(mut map) = answer else {
            return Err(Error::new(
                ErrorKind::Driver,
                Location::default(),
                "the answer must be a JSON object with `outputs`, `secrets`, `manifests` and `state`",
            ));
        };
        let state = map.remove("state").filter(|s| !s.is_null());
        Ok(Self {
            provisioned: provisioned_from(Value::Object(map))?,
            state,
        })
    }
}

/// A driver that acts on the world: it is called by [`Effects`](super::Effects) only, to
/// provision and to deprovision.
pub trait WorldDriver: Send + Sync {
    /// Performs `call`.
    ///
    /// # Errors
    /// A [`ErrorKind::Driver`] error naming the definition and the resource
    /// ([`Call::error`]).
    fn call(&self, call: &Call<'_>) -> Result<Answer>;
}

/// The call of a provision `req`, with the definition's inputs resolved (`values`,
/// `secrets`: see [`resolved_inputs`]).
pub(crate) fn provision_call<'a>(
    req: &'a ProvisionRequest<'a>,
    values: &'a Map<String, Value>,
    secrets: Map<String, Value>,
) -> Call<'a> {
    Call {
        action: Action::Provision,
        key: req.key,
        guid: req.guid,
        definition: &req.definition.name,
        context: req.context,
        params: req.params,
        values,
        secrets,
        state: req.state,
        folder: req.folder,
        workloads: req.workloads.value(),
        source: req.source,
    }
}

/// The definition's inputs, resolved: values, and secrets as request data.
///
/// # Errors
/// A placeholder that does not resolve.
pub(crate) fn resolved_inputs(
    req: &ProvisionRequest<'_>,
) -> Result<(Map<String, Value>, Map<String, Value>)> {
    let inputs = resolve_inputs(req).map_err(|e| in_definition(req.definition, e))?;
    let secrets = inputs
        .secrets
        .into_iter()
        .map(|(name, secret)| (name, secret_data(secret)))
        .collect();
    Ok((inputs.values, secrets))
}

/// At most `max_lines` last lines of `text`, at most `max_chars` characters in all.
pub(crate) fn tail(text: &str, max_lines: usize, max_chars: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let start = lines.len().saturating_sub(max_lines);
    let joined = lines[start..].join("\n");
    let skip = joined.chars().count().saturating_sub(max_chars);
    joined.chars().skip(skip).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_keeps_state_apart() {
        let answer =
            Answer::from_json(json!({"outputs": {"host": "db"}, "state": {"n": 1}})).unwrap();
        assert_eq!(answer.state, Some(json!({"n": 1})));
        assert_eq!(answer.provisioned.outputs["host"], json!("db"));
        assert!(Answer::from_json(json!([1])).is_err());
        assert!(
            Answer::from_json(json!({"state": null}))
                .unwrap()
                .state
                .is_none()
        );
    }

    #[test]
    fn tails_keep_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2, 100), "b\nc");
        assert_eq!(tail("abcdef", 5, 3), "def");
    }
}
