//! Drafts: records before they join a history (the store sets their parent and id).

use serde_json::Value;

use super::platform::PlatformDigest;
use super::redact::redact_secrets;
use super::timestamp::check_timestamp;
use super::types::{
    Deployment, Operation, RECORD_FORMAT, RecordInputs, RecordedResource, RecordedWorkload,
};
use crate::deploy::store::Environment;
use crate::plan::{Plan, PlanOptions};
use crate::platform::Context;
use crate::{Error, ErrorKind, Location, Result};

/// A record before it joins a history: everything but its parent and id, which the store sets
/// under the environment's lock.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    environment: Environment,
    inputs: RecordInputs,
    manifests: Vec<Value>,
    order: Vec<String>,
    resources: Vec<RecordedResource>,
    warnings: Vec<String>,
}

impl Draft {
    /// The draft of a record of `plan`, made by `operation` at `at` (RFC 3339).
    /// `plan` must be made for `meta.environment` (same application, name and type).
    ///
    /// The inputs (the workloads as given, file sources inlined) pass the plan's secret check
    /// ([`Plan::secret_guard`]): a workload that holds a secret of the plan in a field that
    /// renders nothing is not recorded. The manifests passed it when the plan was made.
    ///
    /// # Errors
    /// `at` is not an RFC 3339 timestamp, the plan is for another environment, a workload's
    /// file `source` cannot be read, or the inputs hold a secret of the plan.
    pub fn new(plan: &Plan, operation: Operation, at: &str, meta: DraftMeta) -> Result<Self> {
        check_timestamp(at)?;
        let Context { app, env, env_type } = plan.context().clone();
        let target = &meta.environment;
        if (&target.app, &target.name, &target.env_type) != (&app, &env, &env_type) {
            return Err(Error::new(
                ErrorKind::Invalid,
                Location::default(),
                format!(
                    "the plan is for environment `{env}` (type `{env_type}`) of app `{app}`, not for environment `{}` (type `{}`) of app `{}`: plan it for that environment",
                    target.name, target.env_type, target.app
                ),
            ));
        }
        let workloads = plan
            .workloads()
            .iter()
            .map(RecordedWorkload::from_input)
            .collect::<Result<_>>()?;
        let inputs = RecordInputs {
            app,
            env,
            env_type,
            parent: None,
            at: at.to_owned(),
            principal: meta.principal,
            operation,
            workloads,
            options: meta.options,
            platform: meta.platform,
        };
        let recorded = serde_json::to_value(&inputs).unwrap_or(Value::Null);
        plan.secret_guard()
            .check_object(&recorded, "the inputs of the deployment record")?;
        for resource in plan.resources() {
            if let Some(driver) = &resource.driver {
                let kept = serde_json::to_value(driver).unwrap_or(Value::Null);
                let what = format!("the recorded driver result of resource `{}`", resource.key);
                plan.secret_guard().check_object(&kept, &what)?;
            }
        }
        Ok(Self {
            environment: meta.environment,
            inputs,
            manifests: plan.manifests().iter().map(redact_secrets).collect(),
            order: plan
                .graph()
                .ordered()
                .map(|n| n.name().to_string())
                .collect(),
            resources: plan
                .resources()
                .iter()
                .map(|r| RecordedResource {
                    key: r.key.clone(),
                    definition: r.definition.clone(),
                    driver: r.driver.clone(),
                })
                .collect(),
            warnings: plan.warnings().to_vec(),
        })
    }

    /// The application.
    #[must_use]
    pub fn app(&self) -> &str {
        &self.inputs.app
    }

    /// The environment.
    #[must_use]
    pub fn env(&self) -> &str {
        &self.inputs.env
    }

    /// The environment the draft was made and authorized for, as the store held it then:
    /// [`Store::append`](super::Store::append) refuses the draft unless the store still holds
    /// this very environment.
    #[must_use]
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The draft that seals into `record` again when it follows `record`'s parent: how a
    /// history is copied into another store ([`super::migrate_store`]).
    pub(crate) fn from_record(environment: &Environment, record: &Deployment) -> Self {
        Self {
            environment: environment.clone(),
            inputs: record.inputs.clone(),
            manifests: record.manifests.clone(),
            order: record.order.clone(),
            resources: record.resources.clone(),
            warnings: record.warnings.clone(),
        }
    }

    /// The record, following `parent`.
    #[must_use]
    pub fn seal(self, parent: Option<String>) -> Deployment {
        let mut inputs = self.inputs;
        inputs.parent = parent;
        Deployment {
            format: RECORD_FORMAT.to_owned(),
            id: inputs.digest(),
            inputs,
            manifests: self.manifests,
            order: self.order,
            resources: self.resources,
            warnings: self.warnings,
        }
    }
}

/// The parts of a draft that do not come from the plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftMeta {
    /// Who deploys.
    pub principal: Option<String>,
    /// The plan options used.
    pub options: PlanOptions,
    /// The platform used.
    pub platform: PlatformDigest,
    /// The environment the record is for, as read from the store when the write was
    /// authorized.
    pub environment: Environment,
}
