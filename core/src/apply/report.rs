//! What an apply did: the structured [`ApplyReport`], and how API errors become conflicts and
//! failures in it.

use std::fmt;

use serde::Serialize;

use super::object::ObjectId;
use super::rollout::Condition;
use crate::object_id::snake_case;

/// The outcome of [`apply`](super::apply): what was applied, pruned and kept, the conflicts,
/// the object the run stopped at, and in a dry run what would change.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApplyReport {
    /// The id of the ApplySet (`applyset-...-v1`).
    pub applyset: String,
    /// Whether every request was a dry run (`dryRun=All`): nothing was changed.
    pub dry_run: bool,
    /// The planned objects applied (in a dry run: accepted by the server), in apply order.
    #[serde(serialize_with = "snake_case::list")]
    pub applied: Vec<ObjectId>,
    /// The objects deleted (or, in a dry run, that would be) by pruning, in deletion order.
    #[serde(serialize_with = "snake_case::list")]
    pub pruned: Vec<ObjectId>,
    /// Members of the set no longer planned that pruning leaves alone, with the reason.
    pub kept: Vec<Kept>,
    /// The fields another field manager owns, one entry per object and field.
    pub conflicts: Vec<Conflict>,
    /// In a dry run: what each planned object would become, in apply order.
    pub changes: Vec<Change>,
    /// The failure the run stopped at; `None` when everything succeeded.
    pub failed: Option<Failure>,
}

impl ApplyReport {
    /// Whether the run finished without a failure.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.failed.is_none()
    }
}

/// One line per object: what was (or, in a dry run, would be) done to it, then the
/// conflicts and the failure.
impl fmt::Display for ApplyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            for change in &self.changes {
                match change.action {
                    ChangeAction::Create => writeln!(f, "would create {}", change.object)?,
                    ChangeAction::Unchanged => writeln!(f, "unchanged {}", change.object)?,
                    ChangeAction::Update => writeln!(
                        f,
                        "would update {}: {}",
                        change.object,
                        change.fields.join(", ")
                    )?,
                }
            }
        } else {
            for object in &self.applied {
                writeln!(f, "applied {object}")?;
            }
        }
        let pruned = if self.dry_run {
            "would prune"
        } else {
            "pruned"
        };
        for object in &self.pruned {
            writeln!(f, "{pruned} {object}")?;
        }
        for kept in &self.kept {
            writeln!(f, "kept {}: {}", kept.object, kept.reason)?;
        }
        for conflict in &self.conflicts {
            writeln!(f, "conflict: {conflict}")?;
        }
        if let Some(failed) = &self.failed {
            writeln!(f, "failed: {failed}")?;
        }
        Ok(())
    }
}

/// A member of the set that pruning did not delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    /// The object.
    #[serde(with = "snake_case")]
    pub object: ObjectId,
    /// Why it was kept.
    pub reason: String,
}

/// A field another field manager owns with a different value (HTTP 409 on apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The object.
    #[serde(with = "snake_case")]
    pub object: ObjectId,
    /// The field path, as the API server writes it (`.spec.replicas`).
    pub field: String,
    /// The manager that owns the field, when the server names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} is owned by ", self.object, self.field)?;
        match &self.manager {
            Some(manager) => write!(f, "field manager `{manager}`"),
            None => f.write_str("another field manager"),
        }
    }
}

/// What a dry run says about one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The object.
    #[serde(with = "snake_case")]
    pub object: ObjectId,
    /// What would happen to it.
    pub action: ChangeAction,
    /// The fields that would change (`spec.replicas`, `data.password`: paths only, never
    /// values), sorted; empty on creation.
    pub fields: Vec<String>,
}

/// What would happen to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeAction {
    /// It does not exist yet.
    Create,
    /// It exists and some fields would change.
    Update,
    /// Applying it changes nothing.
    Unchanged,
}

/// What the run was doing when it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Finding the object's API resource.
    Discover,
    /// Reading the live object or the ApplySet parent.
    Read,
    /// Applying the object.
    Apply,
    /// Waiting for the workload to roll out.
    Wait,
    /// Listing the set's members to prune.
    List,
    /// Deleting a pruned object.
    Delete,
}

/// The failure a run stopped at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The object (or, for listing, a stand-in naming the group-kind and namespace).
    #[serde(with = "snake_case")]
    pub object: ObjectId,
    /// What was being done.
    pub step: Step,
    /// The HTTP status, when the API server answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// What went wrong. For Secrets only the server's reason and fields are kept, never its
    /// message, which could quote a value.
    pub message: String,
    /// For a workload that did not roll out: its latest condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let step = match self.step {
            Step::Discover => "finding the API resource of",
            Step::Read => "reading",
            Step::Apply => "applying",
            Step::Wait => "waiting for",
            Step::List => "listing",
            Step::Delete => "deleting",
        };
        write!(f, "{step} {}: {}", self.object, self.message)?;
        if let Some(c) = &self.condition {
            write!(f, " (latest condition: {} {}", c.type_, c.status)?;
            for part in [&c.reason, &c.message].into_iter().flatten() {
                write!(f, ", {part}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// Turns a client error into a failure, masking what a server says about a Secret.
pub(crate) fn failure(object: &ObjectId, step: Step, error: &kube::Error) -> Failure {
    let (code, message) = match error {
        kube::Error::Api(status) => {
            let message = if object.kind == "Secret" {
                let fields: Vec<&str> = status
                    .details
                    .iter()
                    .flat_map(|d| &d.causes)
                    .map(|c| c.field.as_str())
                    .filter(|f| !f.is_empty())
                    .collect();
                format!("{} (fields: {})", status.reason, fields.join(", "))
            } else {
                status.message.clone()
            };
            (Some(status.code), message)
        }
        other => (None, other.to_string()),
    };
    Failure {
        object: object.clone(),
        step,
        code,
        message,
        condition: None,
    }
}

/// The conflicts a 409 answer to an apply lists, one per field.
pub(crate) fn conflicts(object: &ObjectId, error: &kube::Error) -> Vec<Conflict> {
    let kube::Error::Api(status) = error else {
        return Vec::new();
    };
    if status.code != 409 {
        return Vec::new();
    }
    status
        .details
        .iter()
        .flat_map(|d| &d.causes)
        .filter(|c| c.reason == "FieldManagerConflict" || !c.field.is_empty())
        .map(|cause| Conflict {
            object: object.clone(),
            field: cause.field.clone(),
            manager: manager_of(&cause.message),
        })
        .collect()
}

/// The manager in a conflict message: `conflict with "kubectl-edit" using apps/v1`.
fn manager_of(message: &str) -> Option<String> {
    let rest = message.split_once("conflict with \"")?.1;
    Some(rest.split_once('"')?.0.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manager_is_read_from_the_conflict_message() {
        assert_eq!(
            manager_of(r#"conflict with "kubectl-edit" using apps/v1"#).as_deref(),
            Some("kubectl-edit")
        );
        assert_eq!(manager_of("conflict"), None);
    }
}
