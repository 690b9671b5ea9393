//! The live diff: what the cluster holds against what the plan would apply, in the deployment
//! diff's format, with the fields the API server fills in left out.

use serde_json::Value;

use super::live_objects;
use crate::Result;
use crate::deploy::{Diff, diff_objects};
use crate::plan::Plan;

/// Metadata fields the API server sets on every object: never drift.
const SERVER_METADATA: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
];

/// Annotations kubectl adds: not part of the desired state.
const KUBECTL_ANNOTATIONS: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
];

/// Labels the Job controller puts on a Job and its pod template, with the `spec.selector` it
/// generates from them.
const JOB_LABELS: &[&str] = &[
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name",
    "controller-uid",
    "job-name",
];

/// The diff from the live objects (`from: "live"`) to the planned ones (`to: "planned"`).
/// Objects the cluster lacks are added; live objects lose the server-populated fields
/// ([`strip_server_fields`]) first. Secret values under `data`/`stringData` are masked, as in
/// every deployment diff.
///
/// # Errors
/// As [`live_objects`].
pub async fn live_diff(client: &kube::Client, plan: &Plan) -> Result<Diff> {
    let objects = live_objects(client, plan).await?;
    let live: Vec<Value> = objects
        .iter()
        .filter_map(|o| o.live.clone())
        .map(|mut v| {
            strip_server_fields(&mut v);
            v
        })
        .collect();
    let planned: Vec<Value> = objects.into_iter().map(|o| o.planned).collect();
    Ok(Diff {
        from: "live".into(),
        to: "planned".into(),
        objects: diff_objects(&live, &planned),
        ..Diff::default()
    })
}

/// Removes what the API server fills in: `status`, `metadata.managedFields`,
/// `resourceVersion`, `uid`, `creationTimestamp`, `generation`, `selfLink`, and the
/// annotations kubectl and the Deployment controller add (an emptied `annotations` goes too);
/// of a Job, the selector and labels the Job controller generates.
pub fn strip_server_fields(object: &mut Value) {
    if object["kind"] == "Job" {
        strip_job_fields(object);
    }
    let Some(map) = object.as_object_mut() else {
        return;
    };
    map.remove("status");
    let Some(metadata) = map.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    for field in SERVER_METADATA {
        metadata.remove(*field);
    }
    if let Some(annotations) = metadata
        .get_mut("annotations")
        .and_then(Value::as_object_mut)
    {
        for key in KUBECTL_ANNOTATIONS {
            annotations.remove(*key);
        }
        if annotations.is_empty() {
            metadata.remove("annotations");
        }
    }
}

/// Removes a Job's generated `spec.selector` and the controller's labels.
fn strip_job_fields(job: &mut Value) {
    if let Some(spec) = job.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("selector");
    }
    for pointer in ["/metadata/labels", "/spec/template/metadata/labels"] {
        if let Some(labels) = job.pointer_mut(pointer).and_then(Value::as_object_mut) {
            for key in JOB_LABELS {
                labels.remove(*key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_live_job_loses_the_selector_and_labels_its_controller_generated() {
        let generated = json!({
            "batch.kubernetes.io/controller-uid": "u1", "batch.kubernetes.io/job-name": "migrate",
            "controller-uid": "u1", "job-name": "migrate", "app.kubernetes.io/name": "migrate",
        });
        let mut live = json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "migrate", "uid": "u1", "labels": generated},
            "spec": {
                "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u1"}},
                "template": {"metadata": {"labels": generated}, "spec": {}},
            },
            "status": {"succeeded": 1},
        });
        strip_server_fields(&mut live);
        let own = json!({"app.kubernetes.io/name": "migrate"});
        assert_eq!(
            live,
            json!({
                "apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": "migrate", "labels": own},
                "spec": {"template": {"metadata": {"labels": own}, "spec": {}}},
            })
        );
    }
}
