//! The Deployment, StatefulSet, Job or CronJob of a workload, with its Services and ConfigMaps.

use serde_json::{Value, json};

use super::batch::{self, BATCH_ANNOTATIONS, BatchKind};
use super::container::{Shared, container, container_ports};
use super::disruption::disruption_budget;
use super::init;
use super::meta::{Meta, Strings};
use super::mounts::{Mounts, Owner};
use super::object;
use super::observability;
use super::problems::{Problems, error};
use super::security::{Security, security};
use super::service::{headless_name, headless_service, service};
use crate::baseline::{self, OVERRIDE_ANNOTATIONS};
use crate::render::input::{ResolvedContainer, ResolvedWorkload, Target};
use crate::spec::score::Workload;
use crate::validate::names::quoted;
use crate::{DocPath, ErrorKind};

/// The workload annotation that picks the kind of the workload object.
pub(super) const KIND_ANNOTATION: &str = "k8s.score.dev/kind";
/// Workload annotations under this prefix steer rendering and stay off the pod template.
const SCORE_ANNOTATION_PREFIX: &str = "k8s.score.dev/";

/// The kind of a workload object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Deployment,
    StatefulSet,
    Batch(BatchKind),
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Deployment => "Deployment",
            Self::StatefulSet => "StatefulSet",
            Self::Batch(BatchKind::Job) => "Job",
            Self::Batch(BatchKind::CronJob) => "CronJob",
        }
    }

    fn batch(self) -> Option<BatchKind> {
        match self {
            Self::Batch(kind) => Some(kind),
            _ => None,
        }
    }
}

/// The objects of one workload: the workload object, its Services, its ConfigMaps by name.
pub(super) fn render(
    resolved: &ResolvedWorkload,
    target: &Target<'_>,
) -> crate::Result<Vec<Value>> {
    let workload = &resolved.workload;
    let name = workload.metadata.name.as_str();
    let kind = kind(workload)?;
    check_containers_known(resolved)?;
    let effective = match target.env_type {
        Some(env_type) => Some(baseline::for_workload(env_type, workload)?.0),
        None => None,
    };
    let target = &Target {
        env_type: effective.as_ref(),
        ..*target
    };
    let meta = Meta::workload(name, target);
    let security = security(target.env_type);
    let otel = observability::otel_variables(name, target);
    let shared = Shared {
        ports: container_ports(workload.service.as_ref()),
        security: &security,
        defaults: target.env_type.and_then(|t| t.defaults.resources.as_ref()),
        defaults_win: target.env_type.is_some_and(baseline::defaults_locked),
        otel: &otel,
    };
    let mut problems = Problems::default();
    let batch = batch::settings(workload, kind.batch(), kind.as_str(), &mut problems);
    let jobs = kind
        .batch()
        .and_then(|_| problems.take(baseline::job_defaults(target.env_type, workload)));
    let (containers, mounts) = containers(resolved, &meta, kind, &shared, &mut problems);
    let mut services: Vec<Value> = Vec::new();
    if kind.batch().is_some() {
        check_no_ports(workload, kind, &mut problems);
    } else {
        services.extend(problems.take(service(workload, &meta)).flatten());
    }
    if kind == Kind::StatefulSet {
        services.extend(problems.take(headless_service(name, &meta)));
    }
    problems.finish(())?;
    let (init_containers, containers) = init::split(workload, containers)?;
    let template = pod_template(workload, &meta, containers, mounts.volumes, &security);
    let mut template = template;
    init::insert(&mut template, init_containers);
    observability::decorate_pod(&mut template, workload, target)?;
    let object = match kind.batch() {
        Some(batch_kind) => {
            let jobs = jobs.unwrap_or_default();
            batch::object(batch_kind, name, &meta, template, &jobs, &batch)
        }
        None => {
            let object =
                workload_object(kind, name, &meta, template, mounts.claim_templates, target);
            services.extend(disruption_budget(name, &meta, target));
            object
        }
    };
    let mut config_maps = mounts.config_maps;
    config_maps.sort_by(|a, b| {
        a["metadata"]["name"]
            .as_str()
            .cmp(&b["metadata"]["name"].as_str())
    });
    // Moved, not copied: the objects are put out as they are.
    let mut objects = Vec::with_capacity(1 + services.len() + config_maps.len());
    objects.push(object);
    objects.extend(services);
    objects.extend(config_maps);
    Ok(objects)
}

/// The Deployment or StatefulSet around the pod template.
fn workload_object(
    kind: Kind,
    name: &str,
    meta: &Meta<'_>,
    template: Value,
    claim_templates: Vec<Value>,
    target: &Target<'_>,
) -> Value {
    let mut spec = object([("selector", meta.label_selector()), ("template", template)]);
    if let Some(replicas) = target.env_type.map(|t| t.replicas).filter(|r| *r > 0) {
        spec["replicas"] = replicas.into();
    }
    if kind == Kind::StatefulSet {
        spec["serviceName"] = headless_name(name).into();
        if !claim_templates.is_empty() {
            spec["volumeClaimTemplates"] = claim_templates.into();
        }
    }
    object([
        ("apiVersion", "apps/v1".into()),
        ("kind", kind.as_str().into()),
        ("metadata", meta.owned_metadata(name, name)),
        ("spec", spec),
    ])
}

/// Whether `workload` renders as a Job or CronJob: a batch workload that runs to completion.
pub(crate) fn runs_to_completion(workload: &Workload) -> bool {
    kind(workload).is_ok_and(|kind| kind.batch().is_some())
}

/// Refuses `service.ports` on a Job or CronJob: it serves no traffic.
fn check_no_ports(workload: &Workload, kind: Kind, problems: &mut Problems) {
    if workload
        .service
        .as_ref()
        .is_some_and(|s| !s.ports.is_empty())
    {
        let at = DocPath::root().key("service").key("ports");
        let message = format!(
            "a {} serves no traffic, so it takes no `service.ports`: remove them, or render the workload as a Deployment",
            kind.as_str()
        );
        problems.push(ErrorKind::Invalid, at, message);
    }
}

/// The Kubernetes kind of the workload's object (`Deployment`, `StatefulSet`, ...).
///
/// # Errors
/// An unknown `k8s.score.dev/kind`, as rendering reports it.
pub(crate) fn kind_name(workload: &Workload) -> crate::Result<&'static str> {
    kind(workload).map(Kind::as_str)
}

/// The kind the annotation `k8s.score.dev/kind` asks for (a Deployment without it).
fn kind(workload: &Workload) -> crate::Result<Kind> {
    match workload
        .metadata
        .annotations
        .get(KIND_ANNOTATION)
        .map(String::as_str)
    {
        None | Some("Deployment") => Ok(Kind::Deployment),
        Some("StatefulSet") => Ok(Kind::StatefulSet),
        Some("Job") => Ok(Kind::Batch(BatchKind::Job)),
        Some("CronJob") => Ok(Kind::Batch(BatchKind::CronJob)),
        Some(other) => {
            let at = DocPath::root()
                .key("metadata")
                .key("annotations")
                .key(KIND_ANNOTATION);
            let message = format!(
                "{} is not a kind goldpath renders: write `Deployment`, `StatefulSet`, `Job` or `CronJob`, or remove the annotation for a Deployment",
                quoted(other)
            );
            Err(error(ErrorKind::Invalid, at, message))
        }
    }
}

/// Refuses resolved parts of a container the workload does not have.
fn check_containers_known(resolved: &ResolvedWorkload) -> crate::Result<()> {
    let known = &resolved.workload.containers;
    match resolved
        .containers
        .keys()
        .find(|name| !known.contains_key(*name))
    {
        None => Ok(()),
        Some(name) => {
            let at = DocPath::root().key("containers").key(name.clone());
            let message = format!(
                "there are resolved variables, files or volumes for the container {}, which the workload does not have: resolve the workload again",
                quoted(name)
            );
            Err(error(ErrorKind::Invalid, at, message))
        }
    }
}

/// The containers, sorted by name, and what their mounts add; problems go to `problems`.
fn containers(
    resolved: &ResolvedWorkload,
    meta: &Meta<'_>,
    kind: Kind,
    shared: &Shared<'_>,
    problems: &mut Problems,
) -> (Vec<Value>, Mounts) {
    let empty = ResolvedContainer::default();
    let mut all = Mounts::default();
    let mut containers = Vec::new();
    for (name, spec) in &resolved.workload.containers {
        let owner = Owner {
            meta,
            workload: &resolved.workload.metadata.name,
            container: name,
            path: DocPath::root().key("containers").key(name.clone()),
            stateful: kind == Kind::StatefulSet,
        };
        let parts = resolved.containers.get(name).unwrap_or(&empty);
        match container(&owner, spec, parts, shared) {
            Ok((container, mounts)) => {
                containers.push(container);
                all.volumes.extend(mounts.volumes);
                all.config_maps.extend(mounts.config_maps);
                all.claim_templates.extend(mounts.claim_templates);
            }
            Err(e) => problems.push_error(e),
        }
    }
    (containers, all)
}

/// The pod template: the workload's labels, its annotations (except `k8s.score.dev/` ones)
/// under the environment type's, the containers, volumes and pod security context.
fn pod_template(
    workload: &Workload,
    meta: &Meta<'_>,
    containers: Vec<Value>,
    volumes: Vec<Value>,
    security: &Security,
) -> Value {
    let mut annotations: Strings = workload
        .metadata
        .annotations
        .iter()
        .filter(|(key, _)| {
            !key.starts_with(SCORE_ANNOTATION_PREFIX)
                && !OVERRIDE_ANNOTATIONS.contains(&key.as_str())
                && !BATCH_ANNOTATIONS.contains(&key.as_str())
        })
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    annotations.extend(meta.annotations.clone());
    let mut metadata = json!({"labels": meta.labels});
    if !annotations.is_empty() {
        metadata["annotations"] = json!(annotations);
    }
    let mut spec = object([("containers", containers.into())]);
    if !volumes.is_empty() {
        spec["volumes"] = volumes.into();
    }
    if let Some(pod) = &security.pod {
        spec["securityContext"] = pod.clone();
    }
    object([("metadata", metadata), ("spec", spec)])
}
