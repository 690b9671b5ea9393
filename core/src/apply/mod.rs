//! Applying a [`Plan`] to a cluster (feature `kube`): server-side apply under the field manager
//! `goldpath`, ApplySet pruning, dry runs and rollout waits, the way
//! `kubectl apply --server-side --applyset=... --prune` does it.
//!
//! [`apply`] sends every object of the plan in apply order (Namespaces, then CRDs, then the
//! plan's own order: resources in topological order, then workloads) as an
//! `application/apply-patch+yaml` PATCH, finding each kind's API resource by discovery (once per
//! group-version per run). Every object carries the label `applyset.kubernetes.io/part-of` of
//! the application's and environment's [`ApplySet`]; its parent Secret records which
//! group-kinds and namespaces members live in. A field another manager owns stops the run with
//! a [`Conflict`] per field unless [`ApplyOptions::force_conflicts`] is set. The first failure
//! stops the run; the [`ApplyReport`] says what was applied before it. After a successful apply
//! (and rollout, when waiting), pruning deletes the set's members the plan no longer has, in
//! reverse apply order, each with a precondition on its uid; objects without the set's label are
//! never listed, so never touched. Namespaces and PersistentVolumeClaims are kept (reported in
//! [`ApplyReport::kept`]): deleting them loses data.
//!
//! In a dry run every mutating request carries `dryRun=All`, and the report lists, per object,
//! whether it would be created, which fields would change (paths, never values), or that
//! nothing would. [`live_objects`] fetches what the cluster holds for each planned object, for
//! a diff against the plan.
//!
//! [`apply_and_record`] records the plan as a deployment before applying it and marks the
//! record failed when the apply fails, so the history says what the cluster runs.

mod applyset;
mod changes;
mod client;
mod discovery;
mod drift;
mod live;
mod object;
mod prune;
mod record;
mod report;
mod rollout;
mod run;

use std::time::Duration;

pub use applyset::{
    ApplySet, GROUP_KINDS_ANNOTATION, ID_LABEL, NAMESPACES_ANNOTATION, PART_OF_LABEL, TOOLING,
    TOOLING_ANNOTATION, applyset_id,
};
pub use client::client;
pub use drift::{live_diff, strip_server_fields};
pub use live::{LiveObject, live_objects};
pub use object::ObjectId;
pub use record::{RecordedApply, apply_and_record};
pub use report::{ApplyReport, Change, ChangeAction, Conflict, Failure, Kept, Step};
pub use rollout::Condition;

use crate::plan::Plan;

/// The field manager of every apply goldpath sends.
pub const FIELD_MANAGER: &str = "goldpath";

/// How to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Send every mutating request with `dryRun=All`: the server validates, nothing changes.
    pub dry_run: bool,
    /// Delete the set's members that are no longer planned, after a successful apply.
    pub prune: bool,
    /// Take ownership of fields other managers own instead of stopping at the conflict.
    pub force_conflicts: bool,
    /// Wait up to this long for Deployments and StatefulSets to roll out and Jobs to complete
    /// (not in dry runs).
    pub wait: Option<Duration>,
    /// How often to look at the workloads while waiting.
    pub poll_interval: Duration,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            dry_run: false,
            prune: false,
            force_conflicts: false,
            wait: None,
            poll_interval: Duration::from_secs(2),
        }
    }
}

/// Applies `plan` through `client`; see the [module documentation](self).
///
/// Never fails as such: a failure is reported in [`ApplyReport::failed`], with what was
/// applied before it.
pub async fn apply(client: &kube::Client, plan: &Plan, options: &ApplyOptions) -> ApplyReport {
    run::Run::new(client, plan, options).go().await
}
