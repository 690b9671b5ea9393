//! The identity of a Kubernetes object (group, version, kind, namespace, name) and the order
//! objects are applied and pruned in.

use serde_json::Value;

pub use crate::object_id::ObjectId;

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
