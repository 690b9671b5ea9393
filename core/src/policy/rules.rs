//! What each rule finds in one workload object, or in a workload's resource requests.

use serde_json::Value;

use super::image::ImageRef;
use crate::DocPath;
use crate::spec::platform::DEFAULT_CLASS;
use crate::spec::platform::{AllowedResources, LimitedResource, PolicyRule};
use crate::spec::score::Workload;
use crate::validate::names::quoted;

/// One place a rule is broken: where in the Score workload, and what to change.
pub(super) struct Finding {
    pub(super) path: DocPath,
    pub(super) message: String,
}

fn finding(path: DocPath, message: String) -> Finding {
    Finding { path, message }
}

fn container_path(container: &str) -> DocPath {
    DocPath::root().key("containers").key(container)
}

/// The pod spec of a workload object (a CronJob's is under its job template).
fn pod(object: &Value) -> Option<&Value> {
    let kind = object["kind"].as_str().unwrap_or_default();
    object.pointer(crate::render::k8s::pod_spec_path(kind))
}

/// Whether the object is a Job or CronJob, which runs to completion: it has no replicas and
/// serves no traffic, so `min-replicas`, `max-replicas` and `require-readiness-probe` skip it.
fn is_batch(object: &Value) -> bool {
    matches!(object["kind"].as_str(), Some("Job" | "CronJob"))
}

/// The containers of a workload object's pod template, init containers (Score's `before`)
/// first, with their names: a rule about images, privileges, limits or mounts holds for both.
fn containers(object: &Value) -> impl Iterator<Item = (&str, &Value)> {
    lists(object, &["initContainers", "containers"])
}

/// The containers of the pod template's lists `names`, with their names.
fn lists<'v>(object: &'v Value, names: &[&str]) -> impl Iterator<Item = (&'v str, &'v Value)> {
    let pod = pod(object);
    let lists: Vec<&'v Value> = names
        .iter()
        .filter_map(|list| pod.and_then(|p| p.get(*list)))
        .collect();
    lists
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .map(|c| (c["name"].as_str().unwrap_or_default(), c))
}

/// The findings of `rule` on a workload's Deployment, StatefulSet, Job or CronJob
/// (`allowed-resources` looks at the requests instead, see [`resources`]).
pub(super) fn object(rule: &PolicyRule, object: &Value) -> Vec<Finding> {
    match rule {
        PolicyRule::MinReplicas(_)
        | PolicyRule::MaxReplicas(_)
        | PolicyRule::RequireReadinessProbe(_)
            if is_batch(object) =>
        {
            Vec::new()
        }
        PolicyRule::RequireLimits(r) => {
            per_container(object, |name, c| limits(&r.resources, name, c))
        }
        PolicyRule::ForbidLatestTag(_) => per_container(object, latest_tag),
        PolicyRule::AllowedRegistries(r) => {
            per_container(object, |name, c| registry(&r.registries, name, c))
        }
        PolicyRule::RequireDigest(_) => per_container(object, digest),
        PolicyRule::MinReplicas(r) => {
            replicas(object, |n| n < r.min, &format!("at least {}", r.min))
        }
        PolicyRule::MaxReplicas(r) => {
            replicas(object, |n| n > r.max, &format!("at most {}", r.max))
        }
        // Traffic waits for the pod's ordinary containers; an init container that runs to
        // completion may have no probe at all.
        PolicyRule::RequireReadinessProbe(_) => lists(object, &["containers"])
            .flat_map(|(name, c)| readiness(name, c))
            .collect(),
        PolicyRule::ForbidPrivileged(_) => per_container(object, privileged),
        PolicyRule::ForbidHostPath(_) => host_paths(object),
        PolicyRule::AllowedResources(_) => Vec::new(),
    }
}

fn per_container(object: &Value, check: impl Fn(&str, &Value) -> Vec<Finding>) -> Vec<Finding> {
    containers(object)
        .flat_map(|(name, c)| check(name, c))
        .collect()
}

fn limits(wanted: &[LimitedResource], name: &str, container: &Value) -> Vec<Finding> {
    wanted
        .iter()
        .map(|r| match r {
            LimitedResource::Cpu => "cpu",
            LimitedResource::Memory => "memory",
        })
        .filter(|kind| container["resources"]["limits"][kind].is_null())
        .map(|kind| {
            let path = container_path(name).key("resources").key("limits").key(kind);
            finding(path, format!(
                "container {} has no {kind} limit: set resources.limits.{kind} (the environment type gives no default)",
                quoted(name)
            ))
        })
        .collect()
}

fn image(container: &Value) -> (&str, ImageRef) {
    let text = container["image"].as_str().unwrap_or_default();
    (text, ImageRef::parse(text))
}

fn image_path(name: &str) -> DocPath {
    container_path(name).key("image")
}

fn latest_tag(name: &str, container: &Value) -> Vec<Finding> {
    let (text, image) = image(container);
    let floating = image.digest.is_none() && image.tag.as_deref().is_none_or(|t| t == "latest");
    floating
        .then(|| {
            finding(
                image_path(name),
                format!(
                    "the image {} {}: pin a version tag such as `:1.4.2` (or a digest)",
                    quoted(text),
                    if image.tag.is_some() {
                        "uses the `latest` tag"
                    } else {
                        "has no tag, which means `latest`"
                    }
                ),
            )
        })
        .into_iter()
        .collect()
}

fn registry(allowed: &[String], name: &str, container: &Value) -> Vec<Finding> {
    let (text, image) = image(container);
    (!allowed.iter().any(|a| image.is_from(a)))
        .then(|| finding(image_path(name), format!(
            "the image {} comes from `{}`, which is not an allowed registry: push it to one of {}",
            quoted(text),
            image.registry,
            allowed.join(", ")
        )))
        .into_iter()
        .collect()
}

fn digest(name: &str, container: &Value) -> Vec<Finding> {
    let (text, image) = image(container);
    image.digest.is_none()
        .then(|| finding(image_path(name), format!(
            "the image {} is not pinned by digest: append `@sha256:<digest>` of the image you tested",
            quoted(text)
        )))
        .into_iter()
        .collect()
}

fn replicas(object: &Value, broken: impl Fn(u32) -> bool, bound: &str) -> Vec<Finding> {
    let count = object
        .pointer("/spec/replicas")
        .and_then(Value::as_u64)
        .map_or(1, |n| u32::try_from(n).unwrap_or(u32::MAX));
    if !broken(count) {
        return Vec::new();
    }
    let path = DocPath::root()
        .key("metadata")
        .key("annotations")
        .key("goldpath.dev/replicas");
    vec![finding(
        path,
        format!(
            "the workload runs {count} replica{}, the policy wants {bound}: set the annotation `goldpath.dev/replicas` (or the environment type's `replicas`)",
            if count == 1 { "" } else { "s" }
        ),
    )]
}

fn readiness(name: &str, container: &Value) -> Vec<Finding> {
    container["readinessProbe"]
        .is_null()
        .then(|| finding(container_path(name).key("readinessProbe"), format!(
            "container {} has no readiness probe: add readinessProbe (httpGet or exec) so traffic waits until it is ready",
            quoted(name)
        )))
        .into_iter()
        .collect()
}

fn privileged(name: &str, container: &Value) -> Vec<Finding> {
    let security = &container["securityContext"];
    let fields = [
        ("privileged", "runs privileged"),
        ("allowPrivilegeEscalation", "may escalate privileges"),
    ];
    fields
        .into_iter()
        .filter(|(field, _)| security[field] == Value::Bool(true))
        .map(|(field, what)| finding(container_path(name), format!(
            "container {} {what} (`{field}: true` from the environment type's securityContext): use the `restricted` or `baseline` security context",
            quoted(name)
        )))
        .collect()
}

fn host_paths(object: &Value) -> Vec<Finding> {
    let volumes = pod(object)
        .and_then(|pod| pod.get("volumes"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let host: Vec<&str> = volumes
        .iter()
        .filter(|v| !v["hostPath"].is_null())
        .filter_map(|v| v["name"].as_str())
        .collect();
    let mut out = Vec::new();
    for (name, container) in containers(object) {
        let mounts = container["volumeMounts"].as_array().into_iter().flatten();
        for mount in mounts.filter(|m| host.contains(&m["name"].as_str().unwrap_or_default())) {
            let target = mount["mountPath"].as_str().unwrap_or_default();
            let path = container_path(name).key("volumes").key(target);
            out.push(finding(path, format!(
                "the volume at {} mounts a path of the node (hostPath): use a volume resource such as `volume` or a persistent claim",
                quoted(target)
            )));
        }
    }
    out
}

/// The requests of `workload` that `allowed` does not allow.
pub(super) fn resources(allowed: &AllowedResources, workload: &Workload) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, request) in &workload.resources {
        let class = request.class.as_deref().unwrap_or(DEFAULT_CLASS);
        if is_allowed(allowed, &request.resource_type, class) {
            continue;
        }
        let path = DocPath::root()
            .key("resources")
            .key(name.clone())
            .key("type");
        out.push(finding(path, format!(
            "the resource {} asks for type `{}` class `{class}`, which this environment type does not allow: use one of {}",
            quoted(name),
            request.resource_type,
            describe(allowed)
        )));
    }
    out
}

fn is_allowed(allowed: &AllowedResources, kind: &str, class: &str) -> bool {
    let listed = |list: &[String], value: &str| list.iter().any(|v| v == value);
    let by_lists = (!allowed.types.is_empty() || !allowed.classes.is_empty())
        && (allowed.types.is_empty() || listed(&allowed.types, kind))
        && (allowed.classes.is_empty() || listed(&allowed.classes, class));
    let by_pairs = allowed
        .resources
        .iter()
        .any(|r| r.resource_type == kind && r.class.as_deref().is_none_or(|c| c == class));
    by_lists || by_pairs
}

fn describe(allowed: &AllowedResources) -> String {
    let mut parts = Vec::new();
    if !allowed.types.is_empty() {
        parts.push(format!("the types {}", allowed.types.join(", ")));
    }
    if !allowed.classes.is_empty() {
        parts.push(format!("the classes {}", allowed.classes.join(", ")));
    }
    for r in &allowed.resources {
        parts.push(match &r.class {
            Some(class) => format!("{}.{class}", r.resource_type),
            None => r.resource_type.clone(),
        });
    }
    parts.join("; ")
}
