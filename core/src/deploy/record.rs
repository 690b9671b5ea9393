//! The deployment record: what was deployed where, from which inputs, by whom and when.
//!
//! A record is immutable. Its id is the SHA-256 of the canonical JSON of its [`RecordInputs`],
//! which include the parent record's id and the caller's timestamp, so redeploying unchanged
//! workloads makes a new record, and the id changes if and only if an input changes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::digest::{sha256_hex, value_digest};
use super::store::Environment;
use crate::plan::{Plan, PlanOptions};
use crate::platform::{Context, Platform};
use crate::resolve::WorkloadInput;
use crate::spec::score::Workload;
use crate::{Error, ErrorKind, Location, Result};

/// The `format` of records this version writes and reads.
pub const RECORD_FORMAT: &str = "goldpath.dev/deployment/v1";

/// What a secret value is replaced by in a record: `sha256:` and the hex digest of the value.
pub const SECRET_DIGEST_PREFIX: &str = "sha256:";

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
    /// The plan options.
    #[serde(default)]
    pub options: RecordedOptions,
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

/// The plan options of a record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecordedOptions {
    /// The namespace override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Whether a Namespace object was asked for.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub create_namespace: bool,
    /// The image of containers whose image is `.`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl From<&PlanOptions> for RecordedOptions {
    fn from(options: &PlanOptions) -> Self {
        Self {
            namespace: options.namespace.clone(),
            create_namespace: options.create_namespace,
            image: options.image.clone(),
        }
    }
}

impl From<&RecordedOptions> for PlanOptions {
    fn from(options: &RecordedOptions) -> Self {
        Self {
            namespace: options.namespace.clone(),
            create_namespace: options.create_namespace,
            image: options.image.clone(),
        }
    }
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

/// The digest of a platform: one per document, and one of them all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PlatformDigest {
    /// SHA-256 of the canonical JSON of `documents`.
    pub digest: String,
    /// `Kind/name` → SHA-256 of the document's canonical JSON. Built-in definitions are listed
    /// as `ResourceDefinition/builtin:NAME`; environments as `Environment/APP/NAME`.
    pub documents: BTreeMap<String, String>,
}

impl PlatformDigest {
    /// The digest of `platform` (built-in definitions included: they shape the output too).
    ///
    /// # Panics
    /// Never: spec types always serialize.
    #[must_use]
    pub fn of(platform: &Platform) -> Self {
        let mut documents = BTreeMap::new();
        let mut put = |key: String, value: Value| {
            documents.insert(key, value_digest(&value));
        };
        for d in platform.definitions() {
            let name = if d.builtin {
                format!("builtin:{}", d.name)
            } else {
                d.name.clone()
            };
            put(format!("ResourceDefinition/{name}"), json(&d.spec));
        }
        for (name, spec) in platform.environment_types() {
            put(format!("EnvironmentType/{name}"), json(spec));
        }
        for (name, spec) in platform.policies() {
            put(format!("Policy/{name}"), json(spec));
        }
        for (name, spec) in platform.role_bindings() {
            put(format!("RoleBinding/{name}"), json(spec));
        }
        for (name, spec) in platform.environments() {
            put(format!("Environment/{}/{name}", spec.app), json(spec));
        }
        let digest = value_digest(&serde_json::to_value(&documents).unwrap_or(Value::Null));
        Self { digest, documents }
    }

    /// The documents added, removed and changed from `self` to `now`.
    #[must_use]
    pub fn changes_to(&self, now: &Self) -> Vec<DocumentChange> {
        let mut out = Vec::new();
        for (name, digest) in &self.documents {
            match now.documents.get(name) {
                None => out.push(DocumentChange::removed(name)),
                Some(d) if d != digest => out.push(DocumentChange::changed(name)),
                Some(_) => {}
            }
        }
        for name in now.documents.keys() {
            if !self.documents.contains_key(name) {
                out.push(DocumentChange::added(name));
            }
        }
        out.sort();
        out
    }
}

fn json<T: Serialize>(spec: &T) -> Value {
    serde_json::to_value(spec).unwrap_or(Value::Null)
}

/// A platform document that differs between two platforms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentChange {
    /// `Kind/name`.
    pub document: String,
    /// How it differs.
    pub change: ChangeKind,
}

impl DocumentChange {
    fn added(name: &str) -> Self {
        Self {
            document: name.to_owned(),
            change: ChangeKind::Added,
        }
    }
    fn removed(name: &str) -> Self {
        Self {
            document: name.to_owned(),
            change: ChangeKind::Removed,
        }
    }
    fn changed(name: &str) -> Self {
        Self {
            document: name.to_owned(),
            change: ChangeKind::Changed,
        }
    }
}

/// How a thing differs between two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the second.
    Added,
    /// Only in the first.
    Removed,
    /// In both, different.
    Changed,
}

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
    pub options: RecordedOptions,
    /// The platform used.
    pub platform: PlatformDigest,
    /// The environment the record is for, as read from the store when the write was
    /// authorized.
    pub environment: Environment,
}

impl RecordInputs {
    /// SHA-256 (hex) of the canonical JSON of the inputs: the record id.
    #[must_use]
    pub fn digest(&self) -> String {
        value_digest(&serde_json::to_value(self).unwrap_or(Value::Null))
    }
}

impl RecordedWorkload {
    fn from_input(input: &WorkloadInput) -> Result<Self> {
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

/// The manifest with the value of every entry of a Secret's `data` and `stringData` replaced
/// by its digest ([`SECRET_DIGEST_PREFIX`]).
#[must_use]
pub fn redact_secrets(manifest: &Value) -> Value {
    let mut out = manifest.clone();
    if !is_secret(&out) {
        return out;
    }
    for field in ["data", "stringData"] {
        if let Some(Value::Object(entries)) = out.get_mut(field) {
            for value in entries.values_mut() {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                *value = Value::String(format!(
                    "{SECRET_DIGEST_PREFIX}{}",
                    sha256_hex(text.as_bytes())
                ));
            }
        }
    }
    out
}

/// Whether `manifest` is a Kubernetes Secret: the same test as the plan's secret check.
pub(crate) fn is_secret(manifest: &Value) -> bool {
    crate::secrets::is_secret_object(manifest)
}

/// A [`ErrorKind::Store`] error without a file.
pub(crate) fn store_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Store, Location::default(), message)
}

/// Checks `at` is an RFC 3339 timestamp (`2026-11-23T10:00:00Z`, with an optional fraction
/// and a `Z` or `±hh:mm` offset).
///
/// # Errors
/// An [`ErrorKind::Invalid`] error saying what form is expected.
pub fn check_timestamp(at: &str) -> Result<()> {
    if is_rfc3339(at) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Invalid,
            Location::default(),
            format!("`{at}` is not an RFC 3339 timestamp: write it as 2026-11-23T10:00:00Z"),
        ))
    }
}

fn is_rfc3339(at: &str) -> bool {
    let b = at.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return false;
    }
    let number = |range: std::ops::Range<usize>| at[range].parse::<u32>().unwrap_or(99);
    let ranges_ok = (1..=12).contains(&number(5..7))
        && (1..=31).contains(&number(8..10))
        && number(11..13) < 24
        && number(14..16) < 60
        && number(17..19) < 61;
    let mut rest = &at[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    let offset_ok = match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    ranges_ok && offset_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_follow_rfc_3339() {
        for good in [
            "2026-11-23T10:00:00Z",
            "2026-11-23t10:00:00.123z",
            "2026-11-23T10:00:00+01:00",
            "2026-02-28T23:59:60-05:30",
        ] {
            assert!(is_rfc3339(good), "{good}");
        }
        for bad in [
            "2026-11-23",
            "2026-11-23 10:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-23T10:00:00",
            "2026-11-23T10:00:00.Z",
            "2026-11-23T25:00:00Z",
            "yesterday",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn secrets_are_replaced_by_digests_and_nothing_else_is() {
        let secret = serde_json::json!({
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"password": "aHVudGVyMg=="}, "stringData": {"user": "admin"}
        });
        let redacted = redact_secrets(&secret);
        assert_eq!(
            redacted["data"]["password"],
            format!("sha256:{}", sha256_hex(b"aHVudGVyMg=="))
        );
        assert!(
            redacted["stringData"]["user"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
        assert_eq!(redacted["metadata"], secret["metadata"]);
        let config =
            serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}});
        assert_eq!(redact_secrets(&config), config);
    }
}
