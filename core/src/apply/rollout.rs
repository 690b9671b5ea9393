//! Waiting for Deployments and StatefulSets to roll out, with the checks `kubectl rollout
//! status` makes: the controller has seen the latest generation, every replica is updated and
//! available (ready), and no old replica is left; and for Jobs to complete (`kubectl wait
//! --for=condition=Complete`), a failed Job ending the wait with its latest condition. A
//! CronJob has nothing to wait for: its runs come later.

use std::time::Duration;

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use kube::{Api, Client};
use serde::Serialize;
use tokio::time::{Instant, sleep};

use super::object::ObjectId;

/// The latest condition of a workload that did not become ready.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// `Progressing`, `Available`, ...
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// The machine-readable reason (`ProgressDeadlineExceeded`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The controller's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Condition {
    fn new(
        type_: &Option<String>,
        status: &Option<String>,
        reason: &Option<String>,
        message: &Option<String>,
    ) -> Self {
        Self {
            type_: type_.clone().unwrap_or_default(),
            status: status.clone().unwrap_or_else(|| "Unknown".to_owned()),
            reason: reason.clone(),
            message: message.clone(),
        }
    }
}

/// Where a workload stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rollout {
    /// Rolled out.
    Ready,
    /// Still rolling out: why, and the latest condition.
    Waiting(String, Option<Condition>),
    /// Will not roll out without a change (the progress deadline passed).
    Stuck(String, Option<Condition>),
}

/// Whether `id` is a workload whose rollout can be waited for.
pub(crate) fn is_waitable(id: &ObjectId) -> bool {
    (id.api_version == "apps/v1" && matches!(id.kind.as_str(), "Deployment" | "StatefulSet"))
        || (id.api_version == "batch/v1" && id.kind == "Job")
}

/// Polls every workload in `workloads` (with their namespaces) until all are ready, or
/// `timeout` has passed, or one is stuck. Returns the first that is not ready, with why.
pub(crate) async fn wait(
    client: &Client,
    workloads: &[(ObjectId, String)],
    timeout: Duration,
    poll: Duration,
) -> Result<(), (ObjectId, Result<(String, Option<Condition>), kube::Error>)> {
    let deadline = Instant::now() + timeout;
    let mut pending: Vec<&(ObjectId, String)> = workloads.iter().collect();
    loop {
        let mut still = Vec::new();
        for entry in pending {
            match status(client, &entry.0, &entry.1).await {
                Ok(Rollout::Ready) => {}
                Ok(Rollout::Stuck(why, condition)) => {
                    return Err((entry.0.clone(), Ok((why, condition))));
                }
                Ok(Rollout::Waiting(why, condition)) => still.push((entry, why, condition)),
                Err(error) => return Err((entry.0.clone(), Err(error))),
            }
        }
        let Some(((first, _), why, condition)) = still.first().cloned() else {
            return Ok(());
        };
        if Instant::now() >= deadline {
            let why = format!("not ready after {}s: {why}", timeout.as_secs_f32());
            return Err((first.clone(), Ok((why, condition))));
        }
        pending = still.into_iter().map(|(entry, _, _)| entry).collect();
        sleep(poll.min(deadline.saturating_duration_since(Instant::now()))).await;
    }
}

async fn status(client: &Client, id: &ObjectId, namespace: &str) -> kube::Result<Rollout> {
    if id.kind == "Deployment" {
        let api: Api<Deployment> = Api::namespaced(client.clone(), namespace);
        Ok(deployment_rollout(&api.get(&id.name).await?))
    } else if id.kind == "Job" {
        let api: Api<Job> = Api::namespaced(client.clone(), namespace);
        Ok(job_rollout(&api.get(&id.name).await?))
    } else {
        let api: Api<StatefulSet> = Api::namespaced(client.clone(), namespace);
        Ok(statefulset_rollout(&api.get(&id.name).await?))
    }
}

/// A Deployment's rollout, as `kubectl rollout status` judges it.
pub(crate) fn deployment_rollout(deployment: &Deployment) -> Rollout {
    let status = deployment.status.clone().unwrap_or_default();
    let conditions: Vec<Condition> = status
        .conditions
        .iter()
        .flatten()
        .map(|c| Condition::new(&c.type_, &c.status, &c.reason, &c.message))
        .collect();
    let times = status.conditions.iter().flatten().map(|c| {
        c.last_update_time
            .as_ref()
            .or(c.last_transition_time.as_ref())
            .map(|t| t.0.to_string())
    });
    let latest = latest(&conditions, times);
    if deployment.metadata.generation > status.observed_generation {
        return Rollout::Waiting("the controller has not seen the latest spec".into(), latest);
    }
    if conditions.iter().any(|c| {
        c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
    }) {
        return Rollout::Stuck("its progress deadline was exceeded".into(), latest);
    }
    let wanted = deployment.spec.replicas.unwrap_or(1);
    let updated = status.updated_replicas.unwrap_or(0);
    let why = if updated < wanted {
        format!("{updated} of {wanted} replicas updated")
    } else if status.replicas.unwrap_or(0) > updated {
        format!(
            "{} old replicas pending termination",
            status.replicas.unwrap_or(0) - updated
        )
    } else if status.available_replicas.unwrap_or(0) < updated {
        format!(
            "{} of {updated} updated replicas available",
            status.available_replicas.unwrap_or(0)
        )
    } else {
        return Rollout::Ready;
    };
    Rollout::Waiting(why, latest)
}

/// A StatefulSet's rollout, as `kubectl rollout status` judges it (rolling updates).
pub(crate) fn statefulset_rollout(set: &StatefulSet) -> Rollout {
    let status = set.status.clone().unwrap_or_default();
    let conditions: Vec<Condition> = status
        .conditions
        .iter()
        .flatten()
        .map(|c| Condition::new(&c.type_, &c.status, &c.reason, &c.message))
        .collect();
    let times = status
        .conditions
        .iter()
        .flatten()
        .map(|c| c.last_transition_time.as_ref().map(|t| t.0.to_string()));
    let latest = latest(&conditions, times);
    if set.metadata.generation > status.observed_generation {
        return Rollout::Waiting("the controller has not seen the latest spec".into(), latest);
    }
    let wanted = set.spec.replicas.unwrap_or(1);
    let ready = status.ready_replicas.unwrap_or(0);
    if ready < wanted {
        return Rollout::Waiting(format!("{ready} of {wanted} replicas ready"), latest);
    }
    if status.update_revision.is_some() && status.update_revision != status.current_revision {
        return Rollout::Waiting(
            "pods are still being updated to the new revision".into(),
            latest,
        );
    }
    Rollout::Ready
}

/// A Job's progress: ready once its `Complete` condition is `True`; stuck once its `Failed`
/// condition is (the backoff limit or the deadline was reached).
pub(crate) fn job_rollout(job: &Job) -> Rollout {
    let status = job.status.clone().unwrap_or_default();
    let conditions: Vec<Condition> = status
        .conditions
        .iter()
        .flatten()
        .map(|c| {
            Condition::new(
                &Some(c.type_.clone()),
                &Some(c.status.clone()),
                &c.reason,
                &c.message,
            )
        })
        .collect();
    let times = status.conditions.iter().flatten().map(|c| {
        c.last_transition_time
            .as_ref()
            .or(c.last_probe_time.as_ref())
            .map(|t| t.0.to_string())
    });
    let latest = latest(&conditions, times);
    let holds = |kind: &str| {
        conditions
            .iter()
            .any(|c| c.type_ == kind && c.status == "True")
    };
    if let Some(failed) = conditions
        .iter()
        .find(|c| c.type_ == "Failed" && c.status == "True")
    {
        return Rollout::Stuck("the Job failed".into(), Some(failed.clone()));
    }
    if holds("Complete") {
        return Rollout::Ready;
    }
    let wanted = job.spec.as_ref().and_then(|s| s.completions).unwrap_or(1);
    let why = format!(
        "{} of {wanted} completions succeeded, {} pods active, {} failed",
        status.succeeded.unwrap_or(0),
        status.active.unwrap_or(0),
        status.failed.unwrap_or(0)
    );
    Rollout::Waiting(why, latest)
}

/// The condition with the latest timestamp (RFC 3339 text sorts by time); the last listed on a
/// tie or without timestamps.
fn latest(
    conditions: &[Condition],
    times: impl Iterator<Item = Option<String>>,
) -> Option<Condition> {
    let times: Vec<Option<String>> = times.collect();
    (0..conditions.len())
        .max_by(|&a, &b| times.get(a).cmp(&times.get(b)).then(a.cmp(&b)))
        .map(|i| conditions[i].clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(value: serde_json::Value) -> Deployment {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_deployment_is_ready_when_every_replica_is_updated_and_available() {
        let d = deployment(json!({
            "metadata": {"name": "web", "generation": 2},
            "spec": {"replicas": 2, "selector": {}, "template": {}},
            "status": {"observedGeneration": 2, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2},
        }));
        assert_eq!(deployment_rollout(&d), Rollout::Ready);
    }

    #[test]
    fn an_unseen_generation_or_missing_replicas_is_still_rolling_out() {
        let unseen = deployment(json!({
            "metadata": {"name": "web", "generation": 3},
            "spec": {"selector": {}, "template": {}},
            "status": {"observedGeneration": 2, "replicas": 1, "updatedReplicas": 1, "availableReplicas": 1},
        }));
        assert!(matches!(deployment_rollout(&unseen), Rollout::Waiting(..)));
        let unavailable = deployment(json!({
            "metadata": {"name": "web", "generation": 1},
            "spec": {"replicas": 2, "selector": {}, "template": {}},
            "status": {"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 1},
        }));
        let Rollout::Waiting(why, _) = deployment_rollout(&unavailable) else {
            panic!("should wait")
        };
        assert_eq!(why, "1 of 2 updated replicas available");
    }

    #[test]
    fn a_passed_progress_deadline_stops_the_wait_with_the_latest_condition() {
        let d = deployment(json!({
            "metadata": {"name": "web", "generation": 1},
            "spec": {"selector": {}, "template": {}},
            "status": {"observedGeneration": 1, "conditions": [
                {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                 "message": "ReplicaSet \"web-1\" has timed out progressing.",
                 "lastUpdateTime": "2026-01-01T10:05:00Z", "lastTransitionTime": "2026-01-01T10:05:00Z"},
                {"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable",
                 "lastUpdateTime": "2026-01-01T10:00:00Z", "lastTransitionTime": "2026-01-01T10:00:00Z"},
            ]},
        }));
        let Rollout::Stuck(_, Some(condition)) = deployment_rollout(&d) else {
            panic!("should be stuck")
        };
        assert_eq!(
            condition.reason.as_deref(),
            Some("ProgressDeadlineExceeded")
        );
    }

    fn job(status: serde_json::Value) -> Job {
        serde_json::from_value(json!({
            "metadata": {"name": "migrate"},
            "spec": {"template": {}},
            "status": status,
        }))
        .unwrap()
    }

    #[test]
    fn a_job_is_ready_once_complete_and_waits_while_running() {
        let done = job(json!({"succeeded": 1, "conditions": [
            {"type": "Complete", "status": "True", "lastTransitionTime": "2026-01-01T10:00:00Z"},
        ]}));
        assert_eq!(job_rollout(&done), Rollout::Ready);
        let running = job(json!({"active": 1}));
        let Rollout::Waiting(why, None) = job_rollout(&running) else {
            panic!("should wait")
        };
        assert_eq!(why, "0 of 1 completions succeeded, 1 pods active, 0 failed");
    }

    #[test]
    fn a_failed_job_stops_the_wait_with_its_failed_condition() {
        let failed = job(json!({"failed": 3, "conditions": [
            {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded",
             "lastTransitionTime": "2026-01-01T10:05:00Z"},
            {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
             "message": "Job has reached the specified backoff limit",
             "lastTransitionTime": "2026-01-01T10:05:00Z"},
        ]}));
        let Rollout::Stuck(why, Some(condition)) = job_rollout(&failed) else {
            panic!("should fail")
        };
        assert_eq!(why, "the Job failed");
        assert_eq!(condition.type_, "Failed");
        assert_eq!(condition.reason.as_deref(), Some("BackoffLimitExceeded"));
    }

    #[test]
    fn jobs_are_waited_for_and_cronjobs_are_not() {
        let id = |api_version: &str, kind: &str| ObjectId {
            api_version: api_version.into(),
            kind: kind.into(),
            name: "x".into(),
            namespace: None,
        };
        assert!(is_waitable(&id("batch/v1", "Job")));
        assert!(!is_waitable(&id("batch/v1", "CronJob")));
        assert!(is_waitable(&id("apps/v1", "StatefulSet")));
    }

    #[test]
    fn a_statefulset_waits_for_ready_replicas_and_the_new_revision() {
        let set = |status: serde_json::Value| -> StatefulSet {
            serde_json::from_value(json!({
                "metadata": {"name": "db", "generation": 1},
                "spec": {"replicas": 2, "selector": {}, "template": {}, "serviceName": "db"},
                "status": status,
            }))
            .unwrap()
        };
        let ready = set(
            json!({"observedGeneration": 1, "replicas": 2, "readyReplicas": 2, "currentRevision": "b", "updateRevision": "b"}),
        );
        assert_eq!(statefulset_rollout(&ready), Rollout::Ready);
        let old = set(
            json!({"observedGeneration": 1, "replicas": 2, "readyReplicas": 2, "currentRevision": "a", "updateRevision": "b"}),
        );
        assert!(matches!(statefulset_rollout(&old), Rollout::Waiting(..)));
    }
}
