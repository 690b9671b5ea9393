//! Applying a plan and recording it as a deployment: the record holds the manifests that were
//! applied (secret values redacted), and a failed apply leaves it in the history, marked
//! failed, so it is not current.

use serde::Serialize;

use super::{ApplyOptions, ApplyReport, apply};
use crate::Result;
use crate::deploy::{Actor, Deployer, Deployment};
use crate::plan::Plan;

/// What [`apply_and_record`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedApply {
    /// The record of the apply; `None` in a dry run, which records nothing.
    pub record: Option<Deployment>,
    /// The apply's report.
    pub report: ApplyReport,
}

impl RecordedApply {
    /// Whether the apply succeeded (the record, if any, is then current).
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.report.succeeded()
    }
}

/// Records `plan` through `deployer` ([`Deployer::record_plan`]: environment ensured, access
/// authorized, blocking violations refused), then applies it; when the apply fails the record
/// is marked failed ([`Deployer::mark_failed`]) so the environment's current record stays the
/// previous one. A re-run records again and, once the apply succeeds, that record is current.
/// A dry run applies with `dryRun=All` and records nothing.
///
/// # Errors
/// Recording is refused (nothing is applied then), or the failed record cannot be marked.
/// A failed apply is not an error: it is in [`RecordedApply::report`].
pub async fn apply_and_record(
    client: &kube::Client,
    deployer: &Deployer<'_>,
    plan: &Plan,
    actor: &Actor,
    options: &ApplyOptions,
) -> Result<RecordedApply> {
    if options.dry_run {
        let report = apply(client, plan, options).await;
        return Ok(RecordedApply {
            record: None,
            report,
        });
    }
    let record = deployer.record_plan(plan, actor)?;
    let report = apply(client, plan, options).await;
    if !report.succeeded() {
        deployer.mark_failed(&record, actor)?;
    }
    Ok(RecordedApply {
        record: Some(record),
        report,
    })
}
