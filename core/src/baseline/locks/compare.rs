//! The comparisons of each lockable field with the final objects, and where in an object
//! pods, containers and fields are.

use serde_json::{Map, Value};

use super::{Mismatch, Origin, Want, text};
use crate::baseline::overrides::same_quantity;
use crate::render::k8s::{DEFAULT_DENY, budget_bounds, level_name, metrics_port, security};
use crate::render::scope::is_cluster_scoped;
use crate::spec::platform::{EnvironmentTypeSpec, LockableField};
use crate::spec::score::Workload;
use crate::validate::names::quoted;

/// The one table: what the lock of `field` compares on `object`.
pub(super) fn compare(
    field: LockableField,
    want: &Want<'_>,
    object: &Value,
    origin: Origin<'_>,
) -> Vec<Mismatch> {
    let workload = match origin {
        Origin::Workload(workload) => Some(workload),
        _ => None,
    };
    let ours = !matches!(origin, Origin::Manifest);
    match field {
        LockableField::Namespace => want
            .namespace
            .as_deref()
            .map_or_else(Vec::new, |ns| namespace(ns, object)),
        LockableField::Replicas => {
            workload.map_or_else(Vec::new, |_| replicas(want.env_type, object))
        }
        LockableField::Defaults => {
            workload.map_or_else(Vec::new, |_| defaults(want.env_type, object))
        }
        LockableField::SecurityContext => security_context(want.env_type, object),
        LockableField::ReadOnlyRootFilesystem => read_only_root(want.env_type, object),
        LockableField::PodSecurity => pod_security(want.env_type, object),
        LockableField::NetworkPolicy => network_policy(want.env_type, object, origin),
        LockableField::PodDisruptionBudget => {
            workload.map_or_else(Vec::new, |_| disruption_budget(want.env_type, object))
        }
        LockableField::Observability => {
            workload.map_or_else(Vec::new, |w| observability(want, w, object))
        }
        LockableField::Labels => entries(&want.env_type.labels, "labels", object, ours),
        LockableField::Annotations => {
            entries(&want.env_type.annotations, "annotations", object, ours)
        }
        LockableField::Jobs => workload.map_or_else(Vec::new, |_| jobs(want.env_type, object)),
    }
}

/// The type's `jobs` defaults on a workload's Job (`spec`) or CronJob
/// (`spec.jobTemplate.spec`, and its `spec.concurrencyPolicy`).
fn jobs(env_type: &EnvironmentTypeSpec, object: &Value) -> Vec<Mismatch> {
    let defaults = &env_type.jobs;
    let (at, spec) = match text(&object["kind"]) {
        "Job" => ("spec", &object["spec"]),
        "CronJob" => (
            "spec.jobTemplate.spec",
            &object["spec"]["jobTemplate"]["spec"],
        ),
        _ => return Vec::new(),
    };
    let mut want = Map::new();
    let wanted = [
        ("backoffLimit", defaults.backoff_limit.map(u64::from)),
        ("activeDeadlineSeconds", defaults.active_deadline_seconds),
        (
            "ttlSecondsAfterFinished",
            defaults.ttl_seconds_after_finished.map(u64::from),
        ),
    ];
    for (field, value) in wanted {
        if let Some(value) = value {
            want.insert(field.to_owned(), value.into());
        }
    }
    let mut out = fields(at, spec, &want);
    if let (Some(policy), "CronJob") = (defaults.concurrency_policy, text(&object["kind"])) {
        out.extend(differs(
            "spec.concurrencyPolicy",
            &object["spec"]["concurrencyPolicy"],
            &policy.as_str().into(),
        ));
    }
    out
}

fn namespace(expected: &str, object: &Value) -> Vec<Mismatch> {
    let kind = text(&object["kind"]);
    let (at, value) = if kind == "Namespace" {
        ("metadata.name", &object["metadata"]["name"])
    } else if is_cluster_scoped(kind) {
        return Vec::new();
    } else {
        ("metadata.namespace", &object["metadata"]["namespace"])
    };
    differs(at, value, &Value::from(expected))
}

fn replicas(env_type: &EnvironmentTypeSpec, object: &Value) -> Vec<Mismatch> {
    if !matches!(text(&object["kind"]), "Deployment" | "StatefulSet") || env_type.replicas == 0 {
        return Vec::new();
    }
    differs(
        "spec.replicas",
        &object["spec"]["replicas"],
        &env_type.replicas.into(),
    )
}

fn defaults(env_type: &EnvironmentTypeSpec, object: &Value) -> Vec<Mismatch> {
    let Some(resources) = &env_type.defaults.resources else {
        return Vec::new();
    };
    let sections = [
        ("requests", &resources.requests),
        ("limits", &resources.limits),
    ];
    let mut out = Vec::new();
    for (pod_at, pod) in pods(object) {
        for (at, container) in containers(&pod_at, pod) {
            for (section, quantities) in sections {
                let Some(quantities) = quantities else {
                    continue;
                };
                let wanted = [("cpu", &quantities.cpu), ("memory", &quantities.memory)];
                for (kind, want) in wanted {
                    let Some(want) = want else { continue };
                    let have = &container["resources"][section][kind];
                    if !same_quantity(text(have), want) {
                        let at = format!("{at}.resources.{section}.{kind}");
                        out.push(mismatch(at, have, &Value::from(want.as_str())));
                    }
                }
            }
        }
    }
    out
}

fn security_context(env_type: &EnvironmentTypeSpec, object: &Value) -> Vec<Mismatch> {
    let without_root = EnvironmentTypeSpec {
        read_only_root_filesystem: false,
        ..env_type.clone()
    };
    let wanted = security(Some(&without_root));
    let mut out = Vec::new();
    for (pod_at, pod) in pods(object) {
        if let Some(want) = wanted.pod.as_ref().and_then(Value::as_object) {
            out.extend(fields(
                &format!("{pod_at}.securityContext"),
                &pod["securityContext"],
                want,
            ));
        }
        let Some(want) = wanted.container.as_ref().and_then(Value::as_object) else {
            continue;
        };
        for (at, container) in containers(&pod_at, pod) {
            let context = &container["securityContext"];
            out.extend(fields(&format!("{at}.securityContext"), context, want));
        }
    }
    out
}

fn read_only_root(env_type: &EnvironmentTypeSpec, object: &Value) -> Vec<Mismatch> {
    if !env_type.read_only_root_filesystem {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (pod_at, pod) in pods(object) {
        for (at, container) in containers(&pod_at, pod) {
            let value = &container["securityContext"]["readOnlyRootFilesystem"];
            let at = format!("{at}.securityContext.readOnlyRootFilesystem");
            out.extend(differs(&at, value, &Value::Bool(true)));
        }
    }
    out
}

fn pod_security(env_type: &EnvironmentTypeSpec, object: &Value) -> Vec<Mismatch> {
    let Some(level) = env_type.pod_security else {
        return Vec::new();
    };
    if text(&object["kind"]) != "Namespace" {
        return Vec::new();
    }
    let label = "pod-security.kubernetes.io/enforce";
    let value = &object["metadata"]["labels"][label];
    differs(
        &format!("metadata.labels.{label}"),
        value,
        &level_name(level).into(),
    )
}

fn network_policy(
    env_type: &EnvironmentTypeSpec,
    object: &Value,
    origin: Origin<'_>,
) -> Vec<Mismatch> {
    if !env_type.network_policy || text(&object["kind"]) != "NetworkPolicy" {
        return Vec::new();
    }
    let spec = &object["spec"];
    if text(&object["metadata"]["name"]) == DEFAULT_DENY {
        let deny = serde_json::json!({"podSelector": {}, "policyTypes": ["Ingress"]});
        return differs("spec", spec, &deny);
    }
    if !matches!(origin, Origin::Manifest) {
        return Vec::new();
    }
    let rules = spec["ingress"].as_array().map_or(&[][..], Vec::as_slice);
    rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| rule["from"].as_array().is_none_or(Vec::is_empty))
        .map(|(i, rule)| Mismatch {
            at: format!("spec.ingress[{i}]"),
            found: format!("a rule without `from` ({})", shown(rule)),
            expected: "ingress only from the sources a rule names".into(),
        })
        .collect()
}

fn disruption_budget(env_type: &EnvironmentTypeSpec, object: &Value) -> Vec<Mismatch> {
    if text(&object["kind"]) != "PodDisruptionBudget" {
        return Vec::new();
    }
    let Some(bounds) = budget_bounds(&env_type.pod_disruption_budget) else {
        return vec![mismatch(
            "kind".into(),
            &object["kind"],
            &Value::from("no PodDisruptionBudget"),
        )];
    };
    ["minAvailable", "maxUnavailable"]
        .into_iter()
        .flat_map(|bound| {
            let want = bounds.get(bound).cloned().unwrap_or(Value::Null);
            differs(&format!("spec.{bound}"), &object["spec"][bound], &want)
        })
        .collect()
}

fn observability(want: &Want<'_>, workload: &Workload, object: &Value) -> Vec<Mismatch> {
    let wiring = &want.env_type.observability;
    let mut out = Vec::new();
    for (pod_at, pod) in pods(object) {
        if let Some(endpoint) = &wiring.otlp_endpoint {
            for (at, container) in containers(&pod_at, pod) {
                let found = env_value(container, "OTEL_EXPORTER_OTLP_ENDPOINT");
                let at = format!("{at}.env.OTEL_EXPORTER_OTLP_ENDPOINT");
                out.extend(differs(&at, found, &Value::from(endpoint.as_str())));
            }
        }
        let Some(template) = pod_at.strip_suffix(".spec") else {
            continue;
        };
        let metadata = &object.pointer(&pointer(template)).unwrap_or(&Value::Null)["metadata"];
        let mut annotations = Map::new();
        if wiring.prometheus
            && let Ok(Some(port)) = metrics_port(workload)
        {
            annotations.insert("prometheus.io/scrape".into(), "true".into());
            annotations.insert("prometheus.io/port".into(), port.to_string().into());
        }
        out.extend(fields(
            &format!("{template}.metadata.annotations"),
            &metadata["annotations"],
            &annotations,
        ));
        if wiring.log_labels {
            let context = want.context;
            let labels: Map<String, Value> = [
                ("goldpath.dev/app", context.app.as_str()),
                ("goldpath.dev/env", context.env.as_str()),
                ("goldpath.dev/workload", workload.metadata.name.as_str()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect();
            out.extend(fields(
                &format!("{template}.metadata.labels"),
                &metadata["labels"],
                &labels,
            ));
        }
    }
    out
}

/// The type's labels or annotations on the object and its pod templates: each one the object
/// carries has the type's value; `all` (goldpath's own objects) means each must be there.
fn entries(
    wanted: &std::collections::BTreeMap<String, String>,
    section: &str,
    object: &Value,
    all: bool,
) -> Vec<Mismatch> {
    let wanted: Map<String, Value> = wanted
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    let mut places = vec![("metadata".to_owned(), &object["metadata"])];
    for (pod_at, _) in pods(object) {
        if let Some(template) = pod_at.strip_suffix(".spec")
            && let Some(value) = object.pointer(&pointer(template))
        {
            places.push((format!("{template}.metadata"), &value["metadata"]));
        }
    }
    let mut out = Vec::new();
    for (at, metadata) in places {
        let have = &metadata[section];
        let relevant: Map<String, Value> = wanted
            .iter()
            .filter(|(k, _)| all || have.get(k.as_str()).is_some())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        out.extend(fields(&format!("{at}.{section}"), have, &relevant));
    }
    out
}

/// The pods of an object with where they are (`spec.template.spec`, ...).
fn pods(object: &Value) -> Vec<(String, &Value)> {
    let candidates = ["spec.template.spec", "spec.jobTemplate.spec.template.spec"];
    let mut out: Vec<(String, &Value)> = candidates
        .into_iter()
        .filter_map(|at| {
            let pod = object.pointer(&pointer(at))?;
            pod.is_object().then(|| (at.to_owned(), pod))
        })
        .collect();
    if text(&object["kind"]) == "Pod" && object["spec"].is_object() {
        out.push(("spec".into(), &object["spec"]));
    }
    out
}

/// Every container of `pod`, its init containers (sidecars included) first, with where they
/// are: each lock that looks at containers looks at both lists.
fn containers<'v>(pod_at: &str, pod: &'v Value) -> Vec<(String, &'v Value)> {
    let mut out = Vec::new();
    for list in ["initContainers", "containers"] {
        for (i, container) in pod[list].as_array().into_iter().flatten().enumerate() {
            out.push((format!("{pod_at}.{list}[{i}]"), container));
        }
    }
    out
}

/// Each field of `want` that `have` (an object) does not hold with the same value.
fn fields(at: &str, have: &Value, want: &Map<String, Value>) -> Vec<Mismatch> {
    want.iter()
        .flat_map(|(key, value)| differs(&format!("{at}.{key}"), &have[key.as_str()], value))
        .collect()
}

fn differs(at: &str, have: &Value, want: &Value) -> Vec<Mismatch> {
    if have == want {
        Vec::new()
    } else {
        vec![mismatch(at.to_owned(), have, want)]
    }
}

fn mismatch(at: String, have: &Value, want: &Value) -> Mismatch {
    Mismatch {
        at,
        found: shown(have),
        expected: shown(want),
    }
}

/// A value as an error shows it: quoted, escaped and cut; `none` when absent.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::String(s) => quoted(s),
        other => quoted(&other.to_string()),
    }
}

/// The value of the environment variable `name` of a container (`null` when it has none or
/// takes it from elsewhere).
fn env_value<'v>(container: &'v Value, name: &str) -> &'v Value {
    container["env"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["name"] == name)
        .map_or(&Value::Null, |v| &v["value"])
}

/// A dotted path as a JSON pointer.
fn pointer(dotted: &str) -> String {
    format!("/{}", dotted.replace('.', "/"))
}
