//! The identity of a Kubernetes object (group, version, kind, namespace, name) and the order
//! objects are applied and pruned in.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// Which object: the identity the API server knows it by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ObjectId {
    /// `apiVersion` (`apps/v1`, `v1`).
    pub api_version: String,
    /// `kind` (`Deployment`).
    pub kind: String,
    /// The namespace; `None` for cluster-scoped objects and for namespaced objects that take
    /// the client's default namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
}

impl ObjectId {
    /// The identity of a manifest, or `None` when `apiVersion`, `kind` or `metadata.name` is
    /// missing.
    #[must_use]
    pub fn of(object: &Value) -> Option<Self> {
        let text = |pointer: &str| object.pointer(pointer).and_then(Value::as_str);
        Some(Self {
            api_version: text("/apiVersion")?.to_owned(),
            kind: text("/kind")?.to_owned(),
            namespace: text("/metadata/namespace").map(str::to_owned),
            name: text("/metadata/name")?.to_owned(),
        })
    }

    /// The identity of a manifest as far as it has one, `?` standing for what is missing: for
    /// reporting a manifest [`ObjectId::of`] refuses.
    #[must_use]
    pub(crate) fn partial(object: &Value) -> Self {
        let text = |pointer: &str| {
            object
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned()
        };
        Self {
            api_version: text("/apiVersion"),
            kind: text("/kind"),
            namespace: None,
            name: text("/metadata/name"),
        }
    }

    /// The API group (`apps`; empty for the core group).
    #[must_use]
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// The group-kind as ApplySets write it: `Deployment.apps`, or `Service` in the core group.
    #[must_use]
    pub fn group_kind(&self) -> String {
        group_kind(&self.kind, self.group())
    }

    /// Whether another object is the same one, whatever the version it is read through.
    #[must_use]
    pub fn same_object(&self, other: &Self) -> bool {
        self.group() == other.group()
            && self.kind == other.kind
            && self.namespace == other.namespace
            && self.name == other.name
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.group_kind())?;
        match &self.namespace {
            Some(ns) => write!(f, " {ns}/{}", self.name),
            None => write!(f, " {}", self.name),
        }
    }
}

/// `Kind.group`, or `Kind` alone in the core group.
#[must_use]
pub(crate) fn group_kind(kind: &str, group: &str) -> String {
    if group.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}.{group}")
    }
}

/// The phase of a kind: what must exist before what. Namespaces and CRDs come first, so that
/// the objects living in them can be applied; workloads last, once their configuration exists.
fn phase(kind: &str) -> u8 {
    match kind {
        "Namespace" => 0,
        "CustomResourceDefinition" => 1,
        "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob" => 3,
        _ => 2,
    }
}

/// The apply order: Namespaces, then CRDs, then everything else in the plan's order (resources
/// in topological order, then workloads). The sort is stable, so the plan's order holds within
/// a phase. Returns indexes into `objects`.
#[must_use]
pub(crate) fn apply_order(objects: &[Value]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..objects.len()).collect();
    order.sort_by_key(|&i| match objects[i]["kind"].as_str().map(phase) {
        Some(0) => 0,
        Some(1) => 1,
        _ => 2,
    });
    order
}

/// Sorts objects to prune into reverse apply order: workloads first, then the objects they use,
/// then CRDs and Namespaces; by name (descending) within a phase, so the order is stable.
pub(crate) fn sort_for_pruning(objects: &mut [ObjectId]) {
    objects.sort_by(|a, b| {
        (phase(&b.kind), b.group_kind(), &b.namespace, &b.name).cmp(&(
            phase(&a.kind),
            a.group_kind(),
            &a.namespace,
            &a.name,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id(kind: &str, name: &str) -> ObjectId {
        ObjectId {
            api_version: "v1".into(),
            kind: kind.into(),
            namespace: None,
            name: name.into(),
        }
    }

    #[test]
    fn namespaces_and_crds_come_first_and_the_rest_keeps_the_plan_order() {
        let objects = [
            json!({"kind": "Secret"}),
            json!({"kind": "Deployment"}),
            json!({"kind": "CustomResourceDefinition"}),
            json!({"kind": "Service"}),
            json!({"kind": "Namespace"}),
        ];
        assert_eq!(apply_order(&objects), [4, 2, 0, 1, 3]);
    }

    #[test]
    fn pruning_removes_workloads_before_what_they_use_and_namespaces_last() {
        let mut objects = vec![
            id("Namespace", "shop"),
            id("Secret", "a"),
            id("Deployment", "web"),
            id("Secret", "b"),
        ];
        sort_for_pruning(&mut objects);
        let names: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["web", "b", "a", "shop"]);
    }

    #[test]
    fn group_kinds_follow_the_applyset_spelling() {
        let deployment = ObjectId::of(
            &json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}),
        )
        .unwrap();
        assert_eq!(deployment.group_kind(), "Deployment.apps");
        assert_eq!(id("Service", "web").group_kind(), "Service");
        assert_eq!(deployment.to_string(), "Deployment.apps web");
    }
}
