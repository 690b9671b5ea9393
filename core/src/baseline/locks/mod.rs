//! The one check of an environment type's `locked` fields, run on the final objects of a plan.
//!
//! Every object of a plan passes [`Locks::check`] on its way out (after the namespace is filled
//! in, after the workload's overrides, the plan options and the definitions' manifests have
//! shaped it), and [`Locks::finish`] runs once the last object is out. Each locked field is
//! compared with the environment type's value by `compare` (in `compare.rs`), the one table of
//! what each lock compares, on which objects:
//!
//! | lock | objects | the object must carry |
//! | --- | --- | --- |
//! | `namespace` | every namespaced object; every `Namespace` | `metadata.namespace` (a Namespace's `metadata.name`) equal to the type's pattern result |
//! | `replicas` | a workload's Deployment or StatefulSet | `spec.replicas` equal to the type's (when above zero) |
//! | `defaults` | each container and init container of a workload's pod | each quantity the type's `defaults.resources` sets, equal (`0.5` = `500m`) |
//! | `securityContext` | every pod of every object (workloads and definitions' manifests) | each field of the type's pod and container security context, equal |
//! | `readOnlyRootFilesystem` | every container and init container of every pod | `securityContext.readOnlyRootFilesystem: true` when the type sets it |
//! | `podSecurity` | every `Namespace` | the `pod-security.kubernetes.io/enforce` label equal to the type's level |
//! | `networkPolicy` | the plan; every NetworkPolicy of a definition | the `default-deny-ingress` policy, unchanged; no ingress rule of a definition that allows every source |
//! | `podDisruptionBudget` | a workload's PodDisruptionBudget; the plan | the type's bounds; a budget for every workload of more than one replica |
//! | `observability` | each container, init container and the pod template of a workload | `OTEL_EXPORTER_OTLP_ENDPOINT`, the Prometheus annotations (when the workload declares a metrics port) and the log labels the type asks for |
//! | `labels` | every object and pod template | each type label an object carries has the type's value; goldpath's own objects carry them all |
//! | `annotations` | every object and pod template | as `labels`, for the type's annotations |
//! | `jobs` | a workload's Job or CronJob | each of `backoffLimit`, `activeDeadlineSeconds`, `ttlSecondsAfterFinished` the type's `jobs` sets on the Job spec (a CronJob's `spec.jobTemplate.spec`), and a CronJob's `spec.concurrencyPolicy` |
//!
//! A difference is an [`ErrorKind::Policy`] error that names the lock, the object, the field,
//! what it holds and the type's value: nothing is rendered, recorded or applied. A workload
//! override that a lock refuses (an annotation such as `goldpath.dev/replicas`, a container's
//! own resources under locked `defaults`) never reaches this check: the renderer applies the
//! type's value and the plan reports a `locked-baseline` warning (see [`crate::policy`]).
//! What this check refuses is every other way a value could change: a plan option
//! (`namespace`, `create_namespace`), a definition's manifest, a container's own variable, or
//! a workload patch ([`crate::patches`], reported as the patching definition's). A lock of a
//! switch that is off (`readOnlyRootFilesystem: false`, `networkPolicy: false`, no
//! `podSecurity`) only refuses the workload override.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::platform::Context;
use crate::render::k8s::DEFAULT_DENY;
use crate::spec::platform::{EnvironmentTypeSpec, LockableField, PodDisruptionBudget};
use crate::spec::score::Workload;
use crate::validate::names::quoted;
use crate::{Diagnostic, Error, ErrorKind, Location, Result};

use super::field_name;
use compare::compare;

mod compare;

/// Where an object of the plan comes from.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// The environment's own objects: its Namespace (also the one the `create_namespace`
    /// option adds) and NetworkPolicies.
    Environment,
    /// A manifest of a resource definition (the platform's or a built-in).
    Manifest,
    /// An object goldpath rendered for this workload.
    Workload(&'a Workload),
}

/// The locks of one plan's environment type, checked object by object.
#[derive(Debug)]
pub struct Locks<'a> {
    want: Option<Want<'a>>,
    /// Whether the `default-deny-ingress` NetworkPolicy went out.
    default_deny: bool,
    /// The workloads that run more than one replica, and those with a budget.
    replicated: BTreeSet<String>,
    budgeted: BTreeSet<String>,
}

/// What the locked fields must be.
#[derive(Debug)]
struct Want<'a> {
    context: &'a Context,
    env_type: &'a EnvironmentTypeSpec,
    /// The namespace of the type's pattern, when `namespace` is locked.
    namespace: Option<String>,
}

/// One locked field that an object does not carry as the type has it.
struct Mismatch {
    /// Where in the object.
    at: String,
    /// What the object holds.
    found: String,
    /// What the type asks for.
    expected: String,
}

impl<'a> Locks<'a> {
    /// The locks of `env_type` in `context` (none without a type or when it locks nothing).
    ///
    /// # Errors
    /// A namespace pattern that does not resolve, when `namespace` is locked (see
    /// [`super::namespace`]).
    pub fn new(context: &'a Context, env_type: Option<&'a EnvironmentTypeSpec>) -> Result<Self> {
        let want = match env_type.filter(|t| !t.locked.is_empty()) {
            Some(env_type) => Some(Want {
                context,
                env_type,
                namespace: locked_namespace(context, env_type)?,
            }),
            None => None,
        };
        Ok(Self {
            want,
            default_deny: false,
            replicated: BTreeSet::new(),
            budgeted: BTreeSet::new(),
        })
    }

    /// Compares one final object with every locked field.
    ///
    /// # Errors
    /// [`ErrorKind::Policy`], one diagnostic per locked field the object breaks.
    pub fn check(&mut self, object: &Value, origin: Origin<'_>) -> Result<()> {
        if self.want.is_none() {
            return Ok(());
        }
        self.note(object, origin);
        let Some(want) = &self.want else {
            return Ok(());
        };
        let mut diagnostics = Vec::new();
        for &field in &want.env_type.locked {
            for mismatch in compare(field, want, object, origin) {
                diagnostics.push(want.diagnostic(field, &about(object), &mismatch));
            }
        }
        Error::from_diagnostics(diagnostics).map_or(Ok(()), Err)
    }

    /// The checks of the whole plan, once every object went through [`Locks::check`]: the
    /// `default-deny-ingress` policy of a locked `networkPolicy`, and the budget of every
    /// workload of more than one replica under a locked `podDisruptionBudget`.
    ///
    /// # Errors
    /// [`ErrorKind::Policy`] naming what is missing.
    pub fn finish(&self) -> Result<()> {
        let Some(want) = &self.want else {
            return Ok(());
        };
        let mut diagnostics = Vec::new();
        let locked = |field| want.env_type.locked.contains(&field);
        if locked(LockableField::NetworkPolicy)
            && want.env_type.network_policy
            && !self.default_deny
        {
            let missing = Mismatch {
                at: "the plan".into(),
                found: "none".into(),
                expected: format!("the NetworkPolicy {}", quoted(DEFAULT_DENY)),
            };
            diagnostics.push(want.diagnostic(LockableField::NetworkPolicy, "the plan", &missing));
        }
        let budget = &want.env_type.pod_disruption_budget;
        if locked(LockableField::PodDisruptionBudget)
            && *budget != PodDisruptionBudget::Enabled(false)
        {
            for workload in self.replicated.difference(&self.budgeted) {
                let missing = Mismatch {
                    at: "the plan".into(),
                    found: "no PodDisruptionBudget".into(),
                    expected: "a PodDisruptionBudget".into(),
                };
                let about = format!("workload {}", quoted(workload));
                diagnostics.push(want.diagnostic(
                    LockableField::PodDisruptionBudget,
                    &about,
                    &missing,
                ));
            }
        }
        Error::from_diagnostics(diagnostics).map_or(Ok(()), Err)
    }

    /// Remembers what [`Locks::finish`] needs of the object.
    fn note(&mut self, object: &Value, origin: Origin<'_>) {
        let kind = text(&object["kind"]);
        if kind == "NetworkPolicy" && text(&object["metadata"]["name"]) == DEFAULT_DENY {
            self.default_deny = true;
        }
        let Origin::Workload(workload) = origin else {
            return;
        };
        let name = workload.metadata.name.clone();
        match kind {
            "Deployment" | "StatefulSet" if object["spec"]["replicas"].as_u64() > Some(1) => {
                self.replicated.insert(name);
            }
            "PodDisruptionBudget" => {
                self.budgeted.insert(name);
            }
            _ => {}
        }
    }
}

/// The type's namespace in `context` when it locks `namespace`.
fn locked_namespace(context: &Context, env_type: &EnvironmentTypeSpec) -> Result<Option<String>> {
    if env_type.locked.contains(&LockableField::Namespace) {
        super::namespace(context, env_type).map(Some)
    } else {
        Ok(None)
    }
}

impl Want<'_> {
    fn diagnostic(&self, field: LockableField, about: &str, mismatch: &Mismatch) -> Diagnostic {
        let message = format!(
            "the environment type {} locks `{}`: {about}: {} is {}, the type's value is {}; nothing may change a locked field (a plan option, a definition's manifest, a workload's own setting): remove what sets it or ask the platform team",
            quoted(&self.context.env_type),
            field_name(field),
            mismatch.at,
            mismatch.found,
            mismatch.expected,
        );
        Diagnostic {
            kind: ErrorKind::Policy,
            location: Location::default(),
            message,
        }
    }
}

fn about(object: &Value) -> String {
    format!(
        "{} {}",
        text(&object["kind"]),
        quoted(text(&object["metadata"]["name"]))
    )
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}
