//! The objects of an environment: its Namespace and its NetworkPolicies.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::meta::{Meta, NAME_LABEL};
use super::observability::metrics_port;
use super::problems::error;
use crate::render::input::{ResolvedWorkload, Target};
use crate::spec::platform::PodSecurityLevel;
use crate::validate::names::{quoted, shorten_name};
use crate::{DocPath, ErrorKind};

/// The namespace the ingress controller runs in (the ingress-nginx default); routed workloads
/// allow ingress from every pod of it.
pub const INGRESS_CONTROLLER_NAMESPACE: &str = "ingress-nginx";

/// The namespace Prometheus runs in; scraped workloads allow their metrics port from it.
pub const MONITORING_NAMESPACE: &str = "monitoring";

/// The name of the policy that denies all ingress not allowed by another policy.
pub(crate) const DEFAULT_DENY: &str = "default-deny-ingress";
const SUBDOMAIN_MAX: usize = 253;

/// The Namespace and NetworkPolicies of the environment, as the environment type asks.
pub(super) fn render(
    workloads: &[ResolvedWorkload],
    target: &Target<'_>,
) -> crate::Result<Vec<Value>> {
    let by_name = by_name(workloads)?;
    let Some(env_type) = target.env_type else {
        return Ok(Vec::new());
    };
    let meta = Meta::environment(target);
    let mut objects = Vec::new();
    if let (true, Some(namespace)) = (env_type.create_namespace, target.namespace) {
        objects.push(namespace_object(namespace, &meta, env_type.pod_security));
    }
    if env_type.network_policy {
        objects.push(network_policy(&meta, DEFAULT_DENY, json!({}), Vec::new()));
        for workload in by_name.values() {
            objects.extend(allow_policy(workload, target)?);
        }
    }
    Ok(objects)
}

/// The workloads by name; two of one name are an error.
fn by_name(workloads: &[ResolvedWorkload]) -> crate::Result<BTreeMap<&str, &ResolvedWorkload>> {
    let mut out = BTreeMap::new();
    for workload in workloads {
        let name = workload.workload.metadata.name.as_str();
        if out.insert(name, workload).is_some() {
            let message = format!(
                "two workloads are named {}: every workload of an environment needs its own name",
                quoted(name)
            );
            let at = DocPath::root().key("metadata").key("name");
            return Err(error(ErrorKind::Invalid, at, message));
        }
    }
    Ok(out)
}

fn namespace_object(name: &str, meta: &Meta<'_>, level: Option<PodSecurityLevel>) -> Value {
    let mut metadata = meta.cluster_metadata(name);
    if let Some(level) = level.map(level_name) {
        for mode in ["enforce", "audit", "warn"] {
            metadata["labels"][format!("pod-security.kubernetes.io/{mode}")] = level.into();
        }
    }
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": metadata})
}

/// A Pod Security Standard level as the `pod-security.kubernetes.io/*` labels write it.
pub(crate) fn level_name(level: PodSecurityLevel) -> &'static str {
    match level {
        PodSecurityLevel::Privileged => "privileged",
        PodSecurityLevel::Baseline => "baseline",
        PodSecurityLevel::Restricted => "restricted",
    }
}

/// A NetworkPolicy for ingress to the pods `pod_selector` selects, with the given rules.
fn network_policy(meta: &Meta<'_>, name: &str, pod_selector: Value, ingress: Vec<Value>) -> Value {
    let mut spec = json!({"podSelector": pod_selector, "policyTypes": ["Ingress"]});
    if !ingress.is_empty() {
        spec["ingress"] = ingress.into();
    }
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": meta.metadata(name, &BTreeMap::new()),
        "spec": spec,
    })
}

/// `allow-<workload>`: its target ports from the workloads that link to it and, when routed,
/// from the ingress controller; its metrics port from the monitoring namespace when the type
/// has Prometheus scraping. `None` when nothing may reach it (an empty `from` would allow
/// every source).
fn allow_policy(resolved: &ResolvedWorkload, target: &Target<'_>) -> crate::Result<Option<Value>> {
    let workload = &resolved.workload;
    let mut rules: Vec<Value> = service_rule(resolved).into_iter().collect();
    if scraped(resolved, target)?
        && let Some(port) = metrics_port(workload)?
    {
        let namespace = json!({"kubernetes.io/metadata.name": MONITORING_NAMESPACE});
        rules.push(json!({
            "from": [{"namespaceSelector": {"matchLabels": namespace}}],
            "ports": [{"port": port, "protocol": "TCP"}],
        }));
    }
    if rules.is_empty() {
        return Ok(None);
    }
    let name = workload.metadata.name.as_str();
    let meta = Meta::workload(name, target);
    let policy_name = shorten_name(&format!("allow-{name}"), SUBDOMAIN_MAX);
    Ok(Some(network_policy(
        &meta,
        &policy_name,
        meta.label_selector(),
        rules,
    )))
}

/// Whether Prometheus scrapes the workload in this environment (its overrides applied).
fn scraped(resolved: &ResolvedWorkload, target: &Target<'_>) -> crate::Result<bool> {
    let Some(env_type) = target.env_type else {
        return Ok(false);
    };
    let (effective, _) = crate::baseline::for_workload(env_type, &resolved.workload)?;
    Ok(effective.observability.prometheus)
}

/// The service ports, from the linking workloads and the ingress controller.
fn service_rule(resolved: &ResolvedWorkload) -> Option<Value> {
    let service = resolved
        .workload
        .service
        .as_ref()
        .filter(|s| !s.ports.is_empty())?;
    let mut from: Vec<Value> = resolved
        .linked_from
        .iter()
        .map(|linker| json!({"podSelector": {"matchLabels": {NAME_LABEL: linker}}}))
        .collect();
    if resolved.routed {
        let namespace = json!({"kubernetes.io/metadata.name": INGRESS_CONTROLLER_NAMESPACE});
        from.push(json!({"namespaceSelector": {"matchLabels": namespace}}));
    }
    if from.is_empty() {
        return None;
    }
    let ports: BTreeSet<(u16, &str)> = service
        .ports
        .values()
        .map(|p| (p.target(), p.protocol().as_str()))
        .collect();
    let ports: Vec<Value> = ports
        .into_iter()
        .map(|(port, protocol)| json!({"port": port, "protocol": protocol}))
        .collect();
    Some(json!({"from": from, "ports": ports}))
}
