//! Deprovisioning: removing what drivers that act on the world (`cmd`, `http`) created, when a
//! deploy no longer has the resource and when the environment is deleted.
//!
//! It runs after the new record is stored (a failed call never loses a record), in reverse
//! topological order of the record that provisioned the resources. A deprovision that fails
//! is kept with the environment ([`Store::set_pending_deprovisions`]), reported, and retried
//! on the next deploy of the environment or its deletion; `history` lists them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::record::Deployment;
use super::store::{Environment, Store};
use crate::drivers::{Deprovision, DriverRecord, DriverRegistry, SecretSeed, deprovision};
use crate::placeholder::{Reference, lookup};
use crate::platform::{Context, Platform};
use crate::secrets::SecretRegistry;
use crate::{Error, ErrorKind, Location, ResourceKey, Result};

/// A deprovision that failed: kept with its environment and retried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PendingDeprovision {
    /// The resource key.
    pub key: String,
    /// The definition that provisioned it.
    pub definition: String,
    /// What the record that provisioned it kept (driver, guid, params, values, state).
    pub driver: DriverRecord,
    /// Why the last attempt failed (secret values scrubbed).
    pub error: String,
    /// When the last attempt failed (RFC 3339, from the caller).
    pub failed_at: String,
}

/// One resource to deprovision.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub key: String,
    pub definition: String,
    pub driver: DriverRecord,
}

/// The resources of drivers that act on the world in `previous` that `next` does not have (by
/// key and definition), in reverse topological order of `previous`.
pub(super) fn removed(previous: Option<&Deployment>, next: Option<&Deployment>) -> Vec<Target> {
    let Some(previous) = previous else {
        return Vec::new();
    };
    let kept = |key: &str, definition: &str| {
        next.is_some_and(|n| {
            n.resources
                .iter()
                .any(|r| r.key == key && r.definition == definition)
        })
    };
    let records = previous.driver_records();
    let mut targets: Vec<Target> = previous
        .order
        .iter()
        .rev()
        .filter_map(|name| {
            let (definition, driver) = records.get(name)?;
            (!kept(name, definition)).then(|| Target {
                key: name.clone(),
                definition: definition.clone(),
                driver: driver.clone(),
            })
        })
        .collect();
    // Resources missing from `order` (never, for records goldpath wrote) still go, last.
    for (key, (definition, driver)) in &records {
        if !previous.order.contains(key) && !kept(key, definition) {
            targets.push(Target {
                key: key.clone(),
                definition: definition.clone(),
                driver: driver.clone(),
            });
        }
    }
    targets
}

/// What deprovisioning needs from the engine: its drivers and platform.
pub(super) struct Deprovisioner<'a> {
    pub drivers: &'a DriverRegistry,
    pub platform: &'a Platform,
    pub store: &'a dyn Store,
}

impl Deprovisioner<'_> {
    /// Deprovisions the environment's pending deprovisions (except those whose resource
    /// `next` has again) and then `targets`, and records those that fail as its pending
    /// deprovisions (replacing the old list).
    ///
    /// # Errors
    /// Only the store's: the failures are returned, not raised.
    pub fn run(
        &self,
        environment: &Environment,
        targets: Vec<Target>,
        next: Option<&Deployment>,
        at: &str,
    ) -> Result<Vec<PendingDeprovision>> {
        let pending = self
            .store
            .pending_deprovisions(&environment.app, &environment.name)?;
        let in_next = |key: &str| next.is_some_and(|n| n.resources.iter().any(|r| r.key == key));
        let mut all: Vec<Target> = pending
            .iter()
            .filter(|p| !in_next(&p.key))
            .map(|p| Target {
                key: p.key.clone(),
                definition: p.definition.clone(),
                driver: p.driver.clone(),
            })
            .collect();
        for target in targets {
            if !all
                .iter()
                .any(|t| t.key == target.key && t.driver.guid == target.driver.guid)
            {
                all.push(target);
            }
        }
        let context = Context::new(&environment.app, &environment.name, &environment.env_type);
        let failed: Vec<PendingDeprovision> = all
            .into_iter()
            .filter_map(|target| {
                let error = self.one(&context, &target).err()?;
                Some(PendingDeprovision {
                    key: target.key,
                    definition: target.definition,
                    driver: target.driver,
                    error: error.message().to_owned(),
                    failed_at: at.to_owned(),
                })
            })
            .collect();
        if failed != pending {
            self.store.set_pending_deprovisions(environment, &failed)?;
        }
        Ok(failed)
    }

    /// Deprovisions one resource; its error is scrubbed of the definition's secret inputs.
    fn one(&self, context: &Context, target: &Target) -> Result<()> {
        let key: ResourceKey = target.key.parse()?;
        let registry = SecretRegistry::default();
        let definition = self
            .platform
            .definitions()
            .iter()
            .find(|d| d.name == target.definition);
        let secrets = match definition {
            Some(d) => secret_inputs(d, &key, context, &target.driver, &registry)?,
            None => Map::new(),
        };
        let call = Deprovision {
            key: &key,
            definition: &target.definition,
            record: &target.driver,
            context,
            secrets,
            folder: self.platform.definition_folder(&target.definition),
        };
        match deprovision(self.drivers, &call) {
            Ok(_) => Ok(()),
            Err(error) => Err(match registry.guard() {
                Ok(guard) => guard.scrub(error),
                Err(_) => Error::new(
                    ErrorKind::Driver,
                    Location::default(),
                    format!("resource `{key}`: deprovision failed"),
                ),
            }),
        }
    }
}

/// The definition's secret inputs, resolved with the context and the recorded params (a
/// reference to another resource does not resolve here), registered with `registry`.
fn secret_inputs(
    definition: &crate::platform::Definition,
    key: &ResourceKey,
    context: &Context,
    driver: &DriverRecord,
    registry: &SecretRegistry,
) -> Result<Map<String, Value>> {
    let tree = json!({
        "context": {
            "app": {"id": context.app},
            "env": {"id": context.env, "type": context.env_type},
            "res": {"id": key.id().unwrap_or_default(), "type": key.resource_type(), "class": key.class(),
                    "key": key.to_string(), "guid": driver.guid},
        },
        "params": driver.params,
    });
    let resolver = |r: &Reference| lookup(&tree, r.segments()).cloned();
    let request = crate::drivers::ProvisionRequest {
        key,
        guid: &driver.guid,
        context,
        definition,
        params: &driver.params,
        seed: &SecretSeed::development(),
        resolver: &resolver,
        workloads: &Value::Null.into(),
        source: None,
        workload: None,
        state: driver.state.as_ref(),
        folder: None,
    };
    let inputs = crate::drivers::resolve_inputs(&request)?;
    registry.register_inputs(key, inputs.secrets.values());
    Ok(inputs
        .secrets
        .into_iter()
        .map(|(n, s)| (n, crate::drivers::secret_data(s)))
        .collect())
}

/// The error of an environment deletion whose deprovisions failed.
pub(super) fn not_deleted(app: &str, env: &str, failed: &[PendingDeprovision]) -> Error {
    let list: Vec<String> = failed
        .iter()
        .map(|p| format!("`{}` ({})", p.key, p.error))
        .collect();
    Error::new(
        ErrorKind::Driver,
        Location::default(),
        format!(
            "environment `{env}` of app `{app}` was not deleted: {} resource(s) could not be deprovisioned: {}; they are kept as pending deprovisions: fix the cause and delete the environment again",
            failed.len(),
            list.join("; ")
        ),
    )
}
