//! Side effects and driver state: whether a plan may call the drivers that act on the world
//! (`cmd`, `http`), and what the environment's last record kept of them.
//!
//! [`Effects`] is the one place where this is decided: every plan resolves its resources
//! through [`Effects::provision`]. A plan that records (deploy, rollback, promote, a cloned
//! environment, apply) gets [`Effects::recording`]: it calls those drivers, with the state
//! they returned last time. A preview (render, check, graph, explain, catalog, sessions) gets
//! [`Effects::preview`]: unless asked to provision, it calls none of them and takes their
//! outputs, secret references and state from the environment's current record, and fails when
//! there is none ([`NOT_PROVISIONED`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::world::{Action, Answer, Call, provision_call, resolved_inputs};
use super::{DriverRegistry, ProvisionRequest, Provisioned};
use crate::sensitive::SecretValue;
use crate::{Error, ErrorKind, Location, ResourceKey, Result};

/// What the message of a preview that would need to call a driver says: callers that can
/// offer to provision (the CLI's `--provision`) look for it.
pub const NOT_PROVISIONED: &str = "is provisioned by a command or a service";

/// What a record keeps of a resource provisioned by a driver that acts on the world: what a
/// preview shows instead of calling the driver, the state handed back to it, and what
/// deprovisioning needs. Nothing here is secret (secret outputs are kept as references to
/// their Secret keys); the record's secret check covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DriverRecord {
    /// The driver (`cmd`, `http`).
    pub driver: String,
    /// The resource's guid, as the driver saw it.
    pub guid: String,
    /// The request's params, resolved.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub params: Map<String, Value>,
    /// The definition's `inputs.values`, resolved.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub values: Map<String, Value>,
    /// The non-secret outputs.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub outputs: Map<String, Value>,
    /// The secret outputs, as references to Secret keys.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, SecretKey>,
    /// The state the driver returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Value>,
}

/// A key of a Kubernetes Secret.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretKey {
    /// The Secret's name.
    pub name: String,
    /// The key in it.
    pub key: String,
}

/// The driver records of a deployment, by resource key (its canonical text).
pub type DriverRecords = BTreeMap<String, (String, DriverRecord)>;

/// Whether a plan may call the drivers that act on the world, and what the environment's
/// current record kept of them (see the module documentation). The default is a preview of
/// an environment without a record: no calls, nothing recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    call: bool,
    /// Resource key → (definition, record).
    recorded: Arc<DriverRecords>,
}

impl Effects {
    /// For a plan that records: drivers are called, with the states of `recorded` (the
    /// environment's current record's, see
    /// [`Deployment::driver_records`](crate::deploy::Deployment::driver_records)).
    #[must_use]
    pub fn recording(recorded: DriverRecords) -> Self {
        Self {
            call: true,
            recorded: Arc::new(recorded),
        }
    }

    /// For a preview: drivers are called only when `provision` is set (with the recorded
    /// states); otherwise their outputs come from `recorded`.
    #[must_use]
    pub fn preview(recorded: DriverRecords, provision: bool) -> Self {
        Self {
            call: provision,
            recorded: Arc::new(recorded),
        }
    }

    /// Whether drivers that act on the world are called.
    #[must_use]
    pub fn calls_drivers(&self) -> bool {
        self.call
    }

    /// The state recorded for `key`, if any.
    #[must_use]
    pub fn state_of(&self, key: &ResourceKey) -> Option<&Value> {
        // Every resource of every plan asks: without a record, no key text is made.
        if self.recorded.is_empty() {
            return None;
        }
        self.recorded
            .get(&key.to_string())
            .and_then(|(_, r)| r.state.as_ref())
    }

    /// Provisions `req`: through its driver, unless the driver acts on the world and this plan
    /// may not call it, in which case the recorded result is used. Returns what the driver
    /// (or the record) gave, and for a driver that acts on the world the record to keep
    /// (its outputs and secrets are filled in by the caller once secrets are references).
    ///
    /// # Errors
    /// The driver's error; [`NOT_PROVISIONED`] when the plan may not call the driver and the
    /// environment has no record of the resource by this definition.
    pub fn provision(
        &self,
        drivers: &DriverRegistry,
        req: &ProvisionRequest<'_>,
    ) -> Result<(Provisioned, Option<DriverRecord>)> {
        let name = &req.definition.spec.driver;
        let driver = drivers
            .get(name)
            .map_err(|e| super::substitution::in_definition(req.definition, e))?;
        let Some(world) = driver.world() else {
            return driver.provision(req).map(|p| (p, None));
        };
        if !self.call {
            return self.recorded_result(req);
        }
        let (values, secrets) = resolved_inputs(req)?;
        let answer = world.call(&provision_call(req, &values, secrets))?;
        let record = DriverRecord {
            driver: name.clone(),
            guid: req.guid.to_owned(),
            params: req.params.clone(),
            values,
            outputs: Map::new(),
            secrets: BTreeMap::new(),
            state: answer.state,
        };
        Ok((answer.provisioned, Some(record)))
    }

    fn recorded_result(
        &self,
        req: &ProvisionRequest<'_>,
    ) -> Result<(Provisioned, Option<DriverRecord>)> {
        let found = self
            .recorded
            .get(&req.key.to_string())
            .filter(|(definition, _)| *definition == req.definition.name);
        let Some((_, record)) = found else {
            return Err(Error::new(
                ErrorKind::Driver,
                Location::default(),
                format!(
                    "resource `{}` (definition `{}`) {NOT_PROVISIONED} (driver `{}`), which a preview does not call, and the environment's current deployment has no result of it: deploy to the environment first, or let the preview provision it",
                    req.key, req.definition.name, req.definition.spec.driver
                ),
            ));
        };
        let provisioned = Provisioned {
            outputs: record.outputs.clone(),
            secrets: record
                .secrets
                .iter()
                .map(|(n, s)| {
                    let secret = SecretValue::Ref {
                        name: s.name.clone(),
                        key: s.key.clone(),
                    };
                    (n.clone(), secret)
                })
                .collect(),
            ..Provisioned::default()
        };
        Ok((provisioned, Some(record.clone())))
    }
}

/// Deprovisions the resource `key` that `record` describes, through its driver.
///
/// # Errors
/// No such driver, or the driver's error.
pub fn deprovision(drivers: &DriverRegistry, target: &Deprovision<'_>) -> Result<Answer> {
    let driver = drivers.get(&target.record.driver)?;
    let Some(world) = driver.world() else {
        return Ok(Answer::default());
    };
    let call = Call {
        action: Action::Deprovision,
        key: target.key,
        guid: &target.record.guid,
        definition: target.definition,
        context: target.context,
        params: &target.record.params,
        values: &target.record.values,
        secrets: target.secrets.clone(),
        state: target.record.state.as_ref(),
        folder: target.folder,
        workloads: &Value::Null,
        source: None,
    };
    world.call(&call)
}

/// What deprovisioning one resource needs.
pub struct Deprovision<'a> {
    /// The resource.
    pub key: &'a ResourceKey,
    /// The definition that provisioned it.
    pub definition: &'a str,
    /// Its record.
    pub record: &'a DriverRecord,
    /// The environment's context.
    pub context: &'a crate::platform::Context,
    /// The definition's secret inputs, resolved (empty when the definition is gone).
    pub secrets: Map<String, Value>,
    /// The folder of the definition's platform document.
    pub folder: Option<&'a std::path::Path>,
}
