//! The containers others wait for (Score's `before`, see [`crate::validate::before`]) as init
//! containers of the pod, in start order.
//!
//! Each container is rendered like every other (image, environment, resources, security
//! context, mounts); this module only moves it and adds what its state needs:
//!
//! - `complete`: an ordinary init container, which runs to completion before the next starts.
//!   It lists no ports (it serves nothing while the pod runs).
//! - `started`: a native sidecar, `restartPolicy: Always`: it starts, the next one follows, and
//!   it keeps running beside the pod's containers (Kubernetes 1.29+).
//! - `healthy`: a native sidecar whose readiness probe (or, without one, its liveness probe) is
//!   also its `startupProbe`, so the kubelet starts the next container once it passes.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::spec::score::{ReadyCondition, Workload};
use crate::validate::before::start_order;

/// The init containers, in start order, and the ordinary containers, by name, from the
/// rendered containers of `workload` (a container that failed to render is left out).
///
/// # Errors
/// [`crate::ErrorKind::Invalid`] for a workload whose `before` entries break a rule of
/// [`crate::validate::before`].
pub(super) fn split(
    workload: &Workload,
    containers: Vec<Value>,
) -> crate::Result<(Vec<Value>, Vec<Value>)> {
    let order = start_order(workload)?;
    let mut by_name: BTreeMap<String, Value> = containers
        .into_iter()
        .map(|c| (c["name"].as_str().unwrap_or_default().to_owned(), c))
        .collect();
    let mut init = Vec::with_capacity(order.len());
    for starter in order {
        if let Some(container) = by_name.remove(&starter.name) {
            init.push(for_state(container, starter.ready));
        }
    }
    Ok((init, by_name.into_values().collect()))
}

/// The container as an init container that reaches `ready`.
fn for_state(mut container: Value, ready: ReadyCondition) -> Value {
    let Some(fields) = container.as_object_mut() else {
        return container;
    };
    if ready == ReadyCondition::Complete {
        fields.remove("ports");
        return container;
    }
    fields.insert("restartPolicy".into(), "Always".into());
    if ready == ReadyCondition::Healthy {
        let probe = fields
            .get("readinessProbe")
            .or_else(|| fields.get("livenessProbe"))
            .cloned();
        if let Some(probe) = probe {
            fields.insert("startupProbe".into(), probe);
        }
    }
    container
}

/// Adds the init containers to the pod spec of a pod template (none: no field).
pub(super) fn insert(template: &mut Value, init: Vec<Value>) {
    if !init.is_empty() {
        template["spec"]["initContainers"] = Value::Array(init);
    }
}
