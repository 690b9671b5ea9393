//! Kubernetes objects for a resolved workload and for its environment, as `serde_json::Value`s
//! (the YAML writer [`crate::render::yaml`] sorts their keys).
//!
//! The rules follow score-k8s (research/score.md §4) unless a rule says otherwise; where
//! score-k8s drops a workload silently or emits an object Kubernetes rejects, goldpath reports
//! an error instead.
//!
//! # The workload object
//!
//! - A `Deployment`, or a `StatefulSet`, `Job` or `CronJob` when the workload annotation
//!   `k8s.score.dev/kind` says so. Any other value of that annotation is an
//!   [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) error naming the four kinds (score-k8s
//!   silently drops such a workload).
//! - A `Job` or `CronJob` (`batch/v1`) wraps the same pod template, with `restartPolicy:
//!   OnFailure` (`Never` with `goldpath.dev/restart-policy: Never`), the effective `jobs`
//!   defaults ([`crate::baseline::job_defaults`]) on the Job spec (a CronJob's
//!   `spec.jobTemplate.spec`) and, for a CronJob, `goldpath.dev/schedule` (required, five cron
//!   fields or a macro), `goldpath.dev/time-zone`, `goldpath.dev/concurrency-policy` and
//!   `goldpath.dev/suspend`. Each value is checked; an annotation on a kind it does not apply
//!   to, and `service.ports` on a Job or CronJob, are errors. Batch workloads get no
//!   `replicas`, no Service and no PodDisruptionBudget.
//! - A StatefulSet also gets a headless Service `<workload>-headless-svc` (`clusterIP: None`,
//!   the one placeholder port `default` 99 → 99 of score-k8s), `serviceName` pointing at it,
//!   and `volumeClaimTemplates` from the claim-template volumes. A claim-template volume on a
//!   Deployment is an error that says to use a StatefulSet. A StatefulSet name longer than 52
//!   characters is refused: the controller's `controller-revision-hash` label would not fit.
//! - `replicas` comes from the environment type when one is given and its `replicas` is above
//!   zero; otherwise no `replicas` field is written (as score-k8s, so an autoscaler or
//!   `kubectl scale` is not undone).
//! - The environment type's baselines apply with the workload's overrides
//!   (`goldpath.dev/replicas`, ... annotations) where the type does not lock them; see
//!   [`crate::baseline`]. Those annotations stay off the pod template.
//! - A `PodDisruptionBudget` `<workload>` (after the Services) when the type has
//!   `podDisruptionBudget` and the workload runs more than one replica: `true` is
//!   `maxUnavailable: 1`, an object gives the bounds.
//!
//! # Observability
//!
//! - With `observability.otlpEndpoint`, every container gets `OTEL_EXPORTER_OTLP_ENDPOINT`,
//!   `OTEL_SERVICE_NAME` (the workload) and `OTEL_RESOURCE_ATTRIBUTES`
//!   (`service.namespace=<app>,deployment.environment.name=<env>,goldpath.env.type=<type>`);
//!   a variable the container sets itself wins.
//! - With `observability.prometheus`, a workload that declares a metrics port (a service port
//!   named `metrics`, else the annotation `goldpath.dev/metrics-port`) gets the pod annotations
//!   `prometheus.io/scrape: "true"`, `prometheus.io/port` and, from
//!   `goldpath.dev/metrics-path`, `prometheus.io/path`.
//! - With `observability.logLabels`, the pod template carries `goldpath.dev/app`,
//!   `goldpath.dev/env` and `goldpath.dev/workload`.
//!
//! # Labels and annotations
//!
//! - Every object carries `app.kubernetes.io/part-of: <app>`,
//!   `app.kubernetes.io/managed-by: goldpath`, `goldpath.dev/env: <env>` and the environment
//!   type's `labels`; objects of a workload also carry `app.kubernetes.io/name: <workload>` and
//!   `app.kubernetes.io/instance: <app>-<env>-<workload>` (shortened to 63 characters with
//!   [`shorten_name`](crate::validate::names::shorten_name)). goldpath's own labels win over an
//!   environment type label with the same key.
//! - Selectors (`matchLabels`, the Service selector) use only `app.kubernetes.io/name` and
//!   `app.kubernetes.io/instance`: selectors of a Deployment are immutable, so they must never
//!   change between releases.
//! - Every object carries the environment type's `annotations`; the workload object and its
//!   Services also carry `goldpath.dev/workload: <workload>`. The pod template gets the
//!   workload's annotations except keys under `k8s.score.dev/`, plus the environment type's
//!   annotations (which win).
//! - `metadata.namespace` is set on every namespaced object when the target has a namespace.
//!
//! # Containers
//!
//! - Sorted by name; `image`, `command` and `args` are copied verbatim.
//! - A container that declares Score's `before` (others wait for it) goes under
//!   `initContainers`, in an order that respects every `before` entry (ties by name):
//!   `complete` as an ordinary init container without ports, `started` as a native sidecar
//!   (`restartPolicy: Always`), `healthy` as a native sidecar whose readiness probe (else its
//!   liveness probe) is also its `startupProbe`. It is rendered like every other container.
//! - `resources`: every quantity re-serialised canonically (`0.5` → `500m`), with the
//!   environment type's `defaults.resources` merged under each container field by field (the
//!   workload's own values win). A request above its limit after the merge is an error.
//! - Probes: `httpGet` (path, port, host, scheme, httpHeaders) wins over `exec` when both are
//!   set, as in score-k8s.
//! - `ports`: the target ports of `service.ports`, one per port and protocol, named with the
//!   Score port name only when it is a valid IANA service name (at most 15 characters),
//!   otherwise unnamed. Every container lists them: Score does not say which container serves
//!   a port.
//! - `env`: see *Environment variables* below.
//! - `securityContext` from the environment type: `restricted` sets the pod's
//!   `runAsNonRoot: true` and `seccompProfile: {type: RuntimeDefault}` and the container's
//!   `allowPrivilegeEscalation: false` and `capabilities: {drop: [ALL]}`; `baseline` sets the
//!   pod's `seccompProfile: {type: RuntimeDefault}` and the container's
//!   `allowPrivilegeEscalation: false`; `none` sets nothing; explicit parts are copied.
//!   `readOnlyRootFilesystem: true` is added to every container when the type asks for it.
//!
//! # Environment variables
//!
//! Sorted by name, with the secret helpers first (a `$(NAME)` only sees variables defined
//! before it).
//!
//! - Text and resource outputs are joined into `value`. Every `$` of an output is doubled so
//!   the kubelet does not expand it (`p$(x)` stays `p$(x)`); the author's own text is copied
//!   verbatim, so `Hello $(FRIEND)` still refers to `FRIEND`. An empty value is written
//!   without a `value` key.
//! - A variable that is exactly one secret becomes `valueFrom.secretKeyRef {name, key}`.
//! - A variable mixing secrets with text gets one helper variable `__ref_<id>` per distinct
//!   secret (a `secretKeyRef`), and its `value` refers to each with `$(__ref_<id>)`. `<id>`
//!   is score-k8s's: the 128-bit FNV-1 hash of the Secret's name followed by the key, in
//!   URL-safe base64 without padding, with `-` and `_` replaced by `0` (22 characters).
//!
//! # Services
//!
//! When `service.ports` is not empty: a Service named by the annotation
//! `k8s.score.dev/service-name`, else after the workload (a DNS-1035 label), with one port a
//! Score port, sorted by name: `{name, port, targetPort, protocol}` (`targetPort` defaults to
//! `port`, `protocol` to `TCP`).
//!
//! # Files and volumes
//!
//! - Each file (by target) of a container becomes a ConfigMap
//!   `<workload>-<container>-file-<h>` (`<h>`: see below; shortened to 253) holding the text
//!   under `data.file` or the bytes under `binaryData.file`, and a pod volume with one item
//!   `{key: file, path: basename(target), mode}` mounted at `dirname(target)`. A file that is
//!   one secret is mounted from its Secret instead (`items: [{key, path, mode}]`). A file in
//!   `/` itself is refused: its folder mount would hide the whole image.
//! - Kubernetes allows one mount a path, so the file volumes of a container that share a
//!   folder become one `projected` volume mounted read-only; a folder with one file keeps its
//!   own volume. Every file mount is read-only.
//! - A volume whose source is a Kubernetes `VolumeSource` becomes a pod volume with those
//!   fields; a claim-template volume becomes a `volumeClaimTemplates` entry of a StatefulSet.
//!   Both are mounted at the target with the Score `path` as `subPath` and `readOnly`.
//! - Pod volume names hold the container name, so they are unique in the pod (score-k8s names
//!   them after the target only, which breaks two containers mounting the same path):
//!   `file-<container>-<h>`, `proj-<container>-<n>` (`<n>` counts the projected volumes of the
//!   container, in folder order) and `vol-<container>-<h>`, shortened to 63.
//! - `<h>` is the first 10 hex digits of the FNV-1a 64 hash of the target path.
//!
//! # Environment objects
//!
//! - A `Namespace` named after the target's namespace, when the environment type has
//!   `createNamespace` and the target has a namespace, with the environment labels and, when
//!   the type sets `podSecurity`, the `pod-security.kubernetes.io/enforce`, `audit` and `warn`
//!   labels at that level.
//! - When the type sets `networkPolicy`: `default-deny-ingress` (every pod, no ingress), then
//!   for each workload with a Service `allow-<workload>`, allowing its target ports from the
//!   pods of each workload that links to it (by `app.kubernetes.io/name`) and, when it is
//!   routed, from every pod of the namespace `ingress-nginx`, where the ingress-nginx
//!   controller runs ([`INGRESS_CONTROLLER_NAMESPACE`]); and, when Prometheus scrapes it, its
//!   metrics port from the namespace `monitoring` ([`MONITORING_NAMESPACE`]). A workload
//!   nobody links to, no route reaches and nothing scrapes gets no allow policy: an empty
//!   `from` would allow every source.
//!
//! # Names and order
//!
//! Every emitted object is checked before it is returned: object names (DNS-1035 labels for
//! Services, DNS-1123 labels for Namespaces, DNS-1123 subdomains otherwise), container and pod
//! volume names (DNS-1123 labels, volumes unique in the pod), container port names (IANA),
//! environment variable names, every label key and value and annotation key, mount paths
//! (unique in a container), Service ports (unique by port and protocol) and the size of
//! annotations (256 KiB an object) and ConfigMaps (1 MiB). Generated names
//! that would be too long are shortened with `shorten_name`, which keeps them valid and
//! stable. The output order is the workload object, its Services, then its ConfigMaps by name;
//! the same input always gives the same values.
//!
//! ```
//! use std::collections::{BTreeMap, BTreeSet};
//! use goldpath::platform::Context;
//! use goldpath::render::input::{ResolvedWorkload, Target};
//! use goldpath::render::k8s::workload_objects;
//!
//! let workload = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
//!     "containers": {"main": {"image": "nginx:1.27"}},
//!     "service": {"ports": {"http": {"port": 80, "targetPort": 8080}}},
//! })).unwrap();
//! let resolved = ResolvedWorkload {
//!     workload, containers: BTreeMap::new(), linked_from: BTreeSet::new(), routed: false,
//! };
//! let context = Context::new("shop", "qa", "qa-light");
//! let target = Target { context: &context, namespace: Some("shop-qa"), env_type: None };
//! let objects = workload_objects(&resolved, &target).unwrap();
//! assert_eq!(objects[0]["kind"], "Deployment");
//! assert_eq!(objects[1]["spec"]["ports"][0]["targetPort"], 8080);
//! ```

mod batch;
mod check;
mod container;
mod disruption;
mod env;
mod environment;
mod hash;
mod init;
mod meta;
mod mounts;
mod observability;
mod problems;
mod resources;
mod security;
mod service;
mod workload;

use serde_json::Value;

use crate::render::input::{ResolvedWorkload, Target};

pub(crate) use disruption::budget_bounds;
pub(crate) use environment::{DEFAULT_DENY, level_name};
pub use environment::{INGRESS_CONTROLLER_NAMESPACE, MONITORING_NAMESPACE};
pub(crate) use observability::metrics_port;
pub(crate) use security::security;
pub(crate) use workload::{kind_name, runs_to_completion};

/// A JSON object of `entries`, their values moved in. `json!` copies every value it is given
/// (it serializes it again): a pod template, a spec or a list of containers would be copied
/// whole for each workload.
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect(),
    )
}

/// The renderer's last check (names, labels, annotations, pod specs) on objects changed after
/// rendering, such as a workload's primary object after its patches.
///
/// # Errors
/// Every problem of the objects, located at their root.
pub(crate) fn check_objects(objects: &[serde_json::Value]) -> crate::Result<()> {
    check::check_objects(objects, &crate::DocPath::root())
}

/// The JSON pointer of the pod spec in the object of a workload of `kind` (a CronJob's is under
/// its job template): the one place that knows where each kind keeps its pods.
#[must_use]
pub fn pod_spec_path(kind: &str) -> &'static str {
    match kind {
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        _ => "/spec/template/spec",
    }
}

/// The Kubernetes objects of one workload: the Deployment, StatefulSet, Job or CronJob, its
/// Services, then the ConfigMaps of its files, sorted by name.
///
/// # Errors
///
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) for an unknown `k8s.score.dev/kind`, a
/// bad or misplaced batch annotation, service ports on a Job or CronJob, a claim template on a
/// Deployment, a bad quantity, a file in `/` or two mounts on one path;
/// [`ErrorKind::Name`](crate::ErrorKind::Name) for any emitted name, label or annotation key
/// Kubernetes would refuse.
pub fn workload_objects(
    workload: &ResolvedWorkload,
    target: &Target<'_>,
) -> crate::Result<Vec<Value>> {
    let objects = workload::render(workload, target)?;
    let annotations = crate::DocPath::root().key("metadata").key("annotations");
    check::check_objects(&objects, &annotations)?;
    Ok(objects)
}

/// The objects of the environment itself: the Namespace (when the environment type has
/// `createNamespace` and the target a namespace), then the NetworkPolicies (when the type has
/// `networkPolicy`). Without an environment type there are none.
///
/// # Errors
///
/// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) for two workloads of one name;
/// [`ErrorKind::Name`](crate::ErrorKind::Name) for a namespace, label or annotation key
/// Kubernetes would refuse.
pub fn environment_objects(
    workloads: &[ResolvedWorkload],
    target: &Target<'_>,
) -> crate::Result<Vec<Value>> {
    let objects = environment::render(workloads, target)?;
    check::check_objects(&objects, &crate::DocPath::root())?;
    Ok(objects)
}
