//! Workload patches: how a platform changes what goldpath renders for a workload without
//! forking the renderer (issue 15; `docs/patches.md`).
//!
//! Every workload `NAME` requests one resource of the built-in type `workload`, with the key
//! `workload.default#NAME` ([`crate::graph::workload_key`], written `workload#NAME`). It is
//! matched like any other resource (`resId: NAME` picks one workload; `app`, `env`, `envType`
//! pick groups). The built-in definition `builtin-workload` does nothing. A platform definition
//! of type `workload`, with any driver, may return:
//!
//! - `outputs.update`: a list of RFC 6902 JSON Patch operations ([`json_patch`]), applied to the
//!   workload's primary object (its Deployment, StatefulSet, ...) after rendering and baselines;
//! - manifests: extra objects (a ServiceAccount, an HPA, ...), which land in the workload's
//!   namespace (another namespace, or a cluster-scoped object, is refused).
//!
//! Its templates and placeholders see `context.workload` ([`workload_context`]): `name`, `kind`,
//! `podSpecPath` ([`pod_spec_path`]), the Score `metadata` and its `annotations`.
//!
//! The patched object then goes out through the plan's one output step like every other object
//! (secret guard, control characters, names, locks, budgets): a patch cannot bypass a lock or
//! inline a secret, and a lock it breaks is reported as the patching definition's.
//!
//! ```
//! use goldpath::patches::pod_spec_path;
//!
//! assert_eq!(pod_spec_path("Deployment"), "/spec/template/spec");
//! assert_eq!(pod_spec_path("CronJob"), "/spec/jobTemplate/spec/template/spec");
//! ```

pub mod json_patch;

use serde_json::{Value, json};

use crate::graph::{ResourceGraph, WORKLOAD_TYPE, workload_key};
use crate::platform::Platform;
use crate::resolve::WorkloadInput;
use crate::spec::score::Workload;
use crate::{Error, ErrorKind, Location, ResourceKey, Result};

pub use crate::render::k8s::pod_spec_path;

/// The output of a `workload` definition that holds its JSON Patch operations.
pub const UPDATE_OUTPUT: &str = "update";

/// Whether `definition` is the built-in `builtin-workload`, which does nothing: the plan
/// records it as provisioned with nothing, without running a driver (so a host that replaces
/// the `template` driver never sees it, and thousands of workloads cost no template renders).
#[must_use]
pub fn does_nothing(definition: &crate::platform::Definition) -> bool {
    definition.builtin && definition.name == crate::builtins::WORKLOAD_BUILTIN
}

/// `context.workload` for the resource `key` when it is a workload's own (`workload#NAME`):
/// `{name, kind, podSpecPath, metadata, annotations}`; `None` for every other resource.
///
/// # Errors
/// A workload whose `k8s.score.dev/kind` goldpath does not render.
pub(crate) fn workload_context(
    workloads: &std::collections::HashMap<&str, &WorkloadInput>,
    key: &ResourceKey,
) -> Result<Option<Value>> {
    if key.resource_type() != WORKLOAD_TYPE {
        return Ok(None);
    }
    let Some(input) = key.id().and_then(|id| workloads.get(id)) else {
        return Ok(None);
    };
    let workload = &input.workload;
    let kind = crate::render::k8s::kind_name(workload).map_err(|e| match &input.file {
        Some(file) => e.in_file(file),
        None => e,
    })?;
    Ok(Some(json!({
        "name": workload.metadata.name,
        "kind": kind,
        "podSpecPath": pod_spec_path(kind),
        "metadata": workload.metadata,
        "annotations": workload.metadata.annotations,
    })))
}

/// The patch a platform definition gives one workload.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WorkloadPatch {
    /// The definition that matched `workload#NAME`.
    pub definition: String,
    /// Its `outputs.update`.
    pub operations: Value,
}

/// The patch of `workload`: the `update` output of the definition that matched its
/// `workload#NAME` resource, when it has one.
pub(crate) fn patch_of(
    graph: &ResourceGraph,
    platform: &Platform,
    outputs: impl Fn(&ResourceKey) -> Option<Value>,
    workload: &Workload,
) -> Option<WorkloadPatch> {
    let key = workload_key(&workload.metadata.name);
    let node = graph.resource(&key)?;
    let operations = outputs(&key)?;
    let definition = platform.definitions().get(node.definition)?.name.clone();
    Some(WorkloadPatch {
        definition,
        operations,
    })
}

impl WorkloadPatch {
    /// Applies the patch to the primary object of `objects` (the workload's object, first of
    /// what rendering gives), whole or not at all.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] naming the definition, the workload and the operation (index,
    /// `op`, `path`): an operation that is malformed, a path that does not exist, a failing
    /// `test`, or a patch that changes the object's kind or name.
    pub(crate) fn apply(&self, workload: &Workload, objects: &mut [Value]) -> Result<()> {
        let name = &workload.metadata.name;
        let Some(primary) = objects.first_mut() else {
            return Ok(());
        };
        let identity = |o: &Value| {
            (
                o["apiVersion"].clone(),
                o["kind"].clone(),
                o["metadata"]["name"].clone(),
            )
        };
        let before = identity(primary);
        let fail = |message: String| {
            Error::new(
                ErrorKind::Invalid,
                Location::default(),
                format!(
                    "resource definition `{}` patches workload `{name}`: {message}; fix the definition's `outputs.{UPDATE_OUTPUT}`",
                    self.definition
                ),
            )
        };
        json_patch::apply(primary, &self.operations).map_err(|e| fail(e.to_string()))?;
        if identity(primary) != before {
            return Err(fail(
                "a patch may not change the object's apiVersion, kind or name".to_owned(),
            ));
        }
        Ok(())
    }
}

/// Refuses a manifest of a workload's own resource that does not land in the workload's
/// namespace: one that names another namespace, or a cluster-scoped object.
///
/// # Errors
/// [`ErrorKind::Invalid`] saying where it would land.
pub(crate) fn check_manifest_namespace(
    key: &ResourceKey,
    object: &Value,
    namespace: Option<&str>,
) -> Result<()> {
    if key.resource_type() != WORKLOAD_TYPE {
        return Ok(());
    }
    let kind = object["kind"].as_str().unwrap_or_default();
    let problem = if crate::render::scope::is_cluster_scoped(kind) {
        Some(format!(
            "a {kind} is cluster-scoped: a `workload` definition's manifests land in the workload's namespace; render it from another resource's definition"
        ))
    } else {
        match object
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
        {
            Some(own) if Some(own) != namespace => Some(format!(
                "it names the namespace `{own}`: a `workload` definition's manifests land in the workload's namespace{}; remove `metadata.namespace`",
                namespace.map(|ns| format!(" `{ns}`")).unwrap_or_default()
            )),
            _ => None,
        }
    };
    problem.map_or(Ok(()), |p| {
        Err(Error::new(ErrorKind::Invalid, Location::default(), p))
    })
}
