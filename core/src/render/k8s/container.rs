//! One container of the pod: image, command, environment, resources, probes, ports, security
//! context and mounts.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::env::env_vars;
use super::mounts::{Mounts, Owner, container_mounts};
use super::resources::container_resources;
use super::security::Security;
use crate::render::input::{Resolved, ResolvedContainer};
use crate::spec::platform::ResourceRequirements;
use crate::spec::score::{Container, Probe, Service};
use crate::validate::names::iana_svc_name;

/// What every container of a workload shares.
pub(super) struct Shared<'a> {
    /// The container ports, from the Service's target ports.
    pub(super) ports: Vec<Value>,
    /// The security contexts.
    pub(super) security: &'a Security,
    /// The environment type's default requests and limits.
    pub(super) defaults: Option<&'a ResourceRequirements>,
    /// Whether the defaults win over the container's own values (`defaults` is locked).
    pub(super) defaults_win: bool,
    /// The OpenTelemetry variables every container gets (a container's own win).
    pub(super) otel: &'a BTreeMap<String, Resolved>,
}

/// The container and what its files and volumes add to the workload.
pub(super) fn container(
    owner: &Owner<'_>,
    spec: &Container,
    resolved: &ResolvedContainer,
    shared: &Shared<'_>,
) -> crate::Result<(Value, Mounts)> {
    let mut out = Map::new();
    out.insert("name".into(), owner.container.into());
    out.insert("image".into(), spec.image.clone().into());
    if let Some(command) = &spec.command {
        out.insert("command".into(), json!(command));
    }
    if let Some(args) = &spec.args {
        out.insert("args".into(), json!(args));
    }
    let env = if shared.otel.is_empty() {
        env_vars(&resolved.variables, &owner.path)?
    } else {
        let mut variables = shared.otel.clone();
        variables.extend(resolved.variables.clone());
        env_vars(&variables, &owner.path)?
    };
    insert_list(&mut out, "env", env);
    insert_list(&mut out, "ports", shared.ports.clone());
    let resources = container_resources(
        spec.resources.as_ref(),
        shared.defaults,
        shared.defaults_win,
        &owner.path,
    )?;
    if let Some(resources) = resources {
        out.insert("resources".into(), resources);
    }
    let probes = [
        ("livenessProbe", &spec.liveness_probe),
        ("readinessProbe", &spec.readiness_probe),
    ];
    for (field, spec) in probes {
        if let Some(value) = spec.as_ref().and_then(probe) {
            out.insert(field.into(), value);
        }
    }
    if let Some(security) = &shared.security.container {
        out.insert("securityContext".into(), security.clone());
    }
    let mounts = container_mounts(owner, resolved)?;
    insert_list(&mut out, "volumeMounts", mounts.mounts.clone());
    Ok((Value::Object(out), mounts))
}

fn insert_list(out: &mut Map<String, Value>, field: &str, items: Vec<Value>) {
    if !items.is_empty() {
        out.insert(field.into(), Value::Array(items));
    }
}

/// A probe: `httpGet` when set (score-k8s ignores `exec` then), else `exec`; `None` for a
/// probe with neither. The Score fields already carry the Kubernetes names.
fn probe(probe: &Probe) -> Option<Value> {
    if let Some(http) = &probe.http_get {
        return Some(json!({ "httpGet": http }));
    }
    let exec = probe.exec.as_ref()?;
    Some(json!({ "exec": exec }))
}

/// The container ports: one per target port and protocol (the first Score port by name wins),
/// named with the Score port name when it is a valid IANA service name.
pub(super) fn container_ports(service: Option<&Service>) -> Vec<Value> {
    let Some(service) = service else {
        return Vec::new();
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (name, port) in &service.ports {
        let protocol = port.protocol().as_str();
        if !seen.insert((port.target(), protocol)) {
            continue;
        }
        let mut entry = json!({"containerPort": port.target(), "protocol": protocol});
        if iana_svc_name(name).is_ok() {
            entry["name"] = name.clone().into();
        }
        out.push(entry);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_get_wins_over_exec() {
        let both: Probe = serde_json::from_value(json!({
            "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTPS",
                        "httpHeaders": [{"name": "X", "value": "y"}]},
            "exec": {"command": ["true"]},
        }))
        .unwrap();
        assert_eq!(
            probe(&both),
            Some(
                json!({"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTPS",
                                    "httpHeaders": [{"name": "X", "value": "y"}]}})
            )
        );
        let exec: Probe = serde_json::from_value(json!({"exec": {"command": ["true"]}})).unwrap();
        assert_eq!(probe(&exec), Some(json!({"exec": {"command": ["true"]}})));
        let neither: Probe = serde_json::from_value(json!({})).unwrap();
        assert_eq!(probe(&neither), None);
    }

    #[test]
    fn ports_are_unique_by_target_and_named_when_iana() {
        let service: Service = serde_json::from_value(json!({"ports": {
            "a-very-long-port-name": {"port": 80, "targetPort": 8080},
            "http": {"port": 8080},
            "dns": {"port": 53, "protocol": "UDP"},
        }}))
        .unwrap();
        assert_eq!(
            container_ports(Some(&service)),
            [
                json!({"containerPort": 8080, "protocol": "TCP"}),
                json!({"containerPort": 53, "protocol": "UDP", "name": "dns"}),
            ]
        );
    }
}
