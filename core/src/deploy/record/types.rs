//! The record types: a deployment record, its inputs (whose digest is its id), the operation
//! that made it, its workloads, options and resources.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::platform::PlatformDigest;
use super::store_error;
use crate::deploy::digest::value_digest;
use crate::plan::PlanOptions;
use crate::resolve::WorkloadInput;
use crate::spec::score::Workload;
use crate::{Error, Location, Result};

/// The `format` of records this version writes and reads.
pub const RECORD_FORMAT: &str = "goldpath.dev/deployment/v1";

/// A deployment record (versioned JSON, `schemas/deployment.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Deployment {
    /// Always [`RECORD_FORMAT`].
    pub format: String,
    /// The SHA-256 (hex) of the canonical JSON of `inputs`.
    pub id: String,
    /// Everything the record was made from.
    pub inputs: RecordInputs,
    /// The rendered manifests, every secret value replaced by its digest.
    pub manifests: Vec<Value>,
    /// The plan's order of nodes (resource keys and workload names).
    pub order: Vec<String>,
    /// Which definition served each resource.
    pub resources: Vec<RecordedResource>,
    /// The plan's warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The inputs of a record; its id is their digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecordInputs {
    /// The application.
    pub app: String,
    /// The environment.
    pub env: String,
    /// The environment's type.
    pub env_type: String,
    /// The record this one follows in the environment's history (`None` for the first).
    pub parent: Option<String>,
    /// When, as the caller says (RFC 3339); goldpath never reads the clock itself.
    pub at: String,
    /// Who deployed, when access control is configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// Which operation made the record.
    pub operation: Operation,
    /// The workloads as given (file `source`s inlined as `content`, so the record stands
    /// alone).
    pub workloads: Vec<RecordedWorkload>,
    /// The plan options (their recorded form: [`super::options`]).
    #[serde(default)]
    pub options: PlanOptions,
    /// The digest of the platform documents used.
    pub platform: PlatformDigest,
}

/// The operation that made a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Operation {
    /// A deploy of workloads given by the caller.
    Deploy,
    /// A rollback to the inputs of an earlier record.
    Rollback {
        /// The record rolled back to.
        to: String,
    },
    /// A promotion of another environment's latest workloads.
    Promote {
        /// The source environment.
        from: String,
        /// The source record.
        record: String,
    },
    /// The first record of an environment cloned from another.
    Clone {
        /// The source environment.
        from: String,
        /// The source record.
        record: String,
    },
}

/// One workload of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecordedWorkload {
    /// The Score file it was read from, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The workload.
    pub score: Workload,
}

/// A resource of a record and the definition that served it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecordedResource {
    /// The resource key.
    pub key: String,
    /// The definition's name.
    pub definition: String,
    /// For a resource of a driver that acts on the world (`cmd`, `http`): its outputs, secret
    /// references and state, and what deprovisioning it needs. Like the manifests, this is a
    /// result of the deploy, not one of its inputs: it is not part of the record's id (two
    /// records of the same inputs may differ in what the world answered), and it passes the
    /// plan's secret check before the record is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<crate::drivers::DriverRecord>,
}

impl RecordInputs {
    /// SHA-256 (hex) of the canonical JSON of the inputs: the record id.
    #[must_use]
    pub fn digest(&self) -> String {
        value_digest(&serde_json::to_value(self).unwrap_or(Value::Null))
    }
}

impl RecordedWorkload {
    pub(super) fn from_input(input: &WorkloadInput) -> Result<Self> {
        let mut score = input.workload.clone();
        for (name, container) in &mut score.containers {
            for (target, file) in &mut container.files {
                let Some(source) = file.source.take() else {
                    continue;
                };
                let max_bytes = crate::load::Limits::default().max_value_bytes;
                let read = crate::resolve::read_source(input.folder.as_deref(), &source, max_bytes);
                let text = read.map_err(|(kind, message)| {
                    let path = crate::DocPath::root()
                        .key("containers")
                        .key(name.clone())
                        .key("files")
                        .key(target.clone())
                        .key("source");
                    let file = input.file.clone().unwrap_or_default();
                    Error::new(kind, Location::in_file(file).with_path(path), message)
                })?;
                file.content = Some(text);
            }
        }
        Ok(Self {
            file: input.file.clone(),
            score,
        })
    }

    /// The workload, ready to plan again.
    #[must_use]
    pub fn to_input(&self) -> WorkloadInput {
        WorkloadInput {
            workload: self.score.clone(),
            file: self.file.clone(),
            folder: None,
        }
    }
}

impl Deployment {
    /// What the record keeps of the resources of drivers that act on the world, by resource
    /// key: what [`Effects`](crate::drivers::Effects) hands to the next plan of the
    /// environment.
    #[must_use]
    pub fn driver_records(&self) -> crate::drivers::DriverRecords {
        self.resources
            .iter()
            .filter_map(|r| {
                let driver = r.driver.clone()?;
                Some((r.key.clone(), (r.definition.clone(), driver)))
            })
            .collect()
    }

    /// The workloads of the record, ready to plan again.
    #[must_use]
    pub fn workload_inputs(&self) -> Vec<WorkloadInput> {
        self.inputs
            .workloads
            .iter()
            .map(RecordedWorkload::to_input)
            .collect()
    }

    /// Checks that the record is one this version reads and that its id is its inputs' digest.
    ///
    /// # Errors
    /// A [`ErrorKind::Store`] error naming what is wrong.
    pub fn verify(&self) -> Result<()> {
        if self.format != RECORD_FORMAT {
            return Err(store_error(format!(
                "record format `{}` is not `{RECORD_FORMAT}`: this goldpath cannot read it",
                self.format
            )));
        }
        if self.inputs.digest() != self.id {
            return Err(store_error(format!(
                "record `{}` does not match its inputs (they were changed after it was written)",
                self.id
            )));
        }
        Ok(())
    }
}
