//! Where environments and deployment records are kept.
//!
//! A [`Store`] keeps, per application, its environments, and per environment an append-only
//! history of records whose last entry is the environment's head. [`Store::append`] sets the
//! draft's parent to the head and writes the record as one step, under the environment's
//! lock, so concurrent deploys to one environment neither lose a record nor fork the history.

mod dir;
mod memory;
mod migrate;
mod open;
#[cfg(feature = "postgres")]
mod pg;

use serde::{Deserialize, Serialize};

pub use dir::DirStore;
pub use memory::MemoryStore;
pub use migrate::{Migrated, migrate_store};
pub use open::{StoreSpec, open_store};
#[cfg(feature = "postgres")]
pub use pg::PgStore;

use super::deprovision::PendingDeprovision;
use super::record::{Deployment, Draft};
use crate::{Error, Result};

/// An environment of an application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Environment {
    /// The application.
    pub app: String,
    /// The environment's id, unique per application.
    pub name: String,
    /// The environment type it instantiates.
    pub env_type: String,
    /// Short-lived (a preview or pull-request environment). Ephemeral environments are
    /// otherwise ordinary.
    #[serde(default)]
    pub ephemeral: bool,
    /// The environment it was cloned from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloned_from: Option<String>,
    /// When it was created (RFC 3339, from the caller).
    pub created_at: String,
    /// The Kubernetes namespace of its objects, fixed when it was created (the environment
    /// type's pattern filled in then). `None` only in stores written before goldpath kept it:
    /// the namespace is then the pattern of the type as the platform in use defines it
    /// (docs/environments.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// What makes this creation unique: an environment deleted and created again under the
    /// same name has another one, so a write planned for the first cannot land in the second.
    /// `None` only in stores written before goldpath kept it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

/// The history of an environment, oldest first. A record that cannot be read is listed with
/// the error that says why and where, in its place; the others stay readable.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The entries, oldest first.
    pub entries: Vec<HistoryEntry>,
}

/// One entry of a history.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// The record's id.
    pub id: String,
    /// The record, or why it cannot be read.
    pub record: std::result::Result<Deployment, Error>,
    /// Applying the record to a cluster failed ([`Store::mark_failed`]): it is in the history
    /// but not current.
    pub failed: bool,
}

impl History {
    /// The latest record, if it is readable.
    #[must_use]
    pub fn head(&self) -> Option<&Deployment> {
        self.entries.last().and_then(|e| e.record.as_ref().ok())
    }

    /// The latest record that did not fail to apply, what the environment runs, when it is
    /// readable. `None` when there is none, and also when that record is unreadable: an
    /// older record is never taken in its place ([`History::current_record`] says why).
    #[must_use]
    pub fn current(&self) -> Option<&Deployment> {
        self.current_record().ok().flatten()
    }

    /// The latest record that did not fail to apply (`None` when there is none).
    ///
    /// # Errors
    /// That record is unreadable: its error, which names the file.
    pub fn current_record(&self) -> Result<Option<&Deployment>> {
        match self.entries.iter().rev().find(|e| !e.failed) {
            None => Ok(None),
            Some(entry) => entry.record.as_ref().map(Some).map_err(Clone::clone),
        }
    }

    /// The ids, oldest first.
    #[must_use]
    pub fn ids(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.id.as_str()).collect()
    }

    /// The first unreadable record's error, if any.
    #[must_use]
    pub fn first_error(&self) -> Option<&Error> {
        self.entries.iter().find_map(|e| e.record.as_ref().err())
    }
}

/// Storage of environments and records. Implementations are safe to share between threads;
/// [`DirStore`] is also safe between processes.
pub trait Store: Send + Sync {
    /// Adds an environment, if `admit` accepts it given every environment of the store (of
    /// every application): `admit` runs under the store's creation lock, so two creations
    /// never both pass a check on each other's absence (the namespace rule of
    /// docs/environments.md relies on it).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when it exists already; what `admit` returns; I/O errors.
    fn create_environment(
        &self,
        environment: &Environment,
        admit: &dyn Fn(&[Environment]) -> Result<()>,
    ) -> Result<()>;

    /// The environment, if it exists.
    ///
    /// # Errors
    /// I/O errors; a corrupt environment file.
    fn environment(&self, app: &str, env: &str) -> Result<Option<Environment>>;

    /// The environments of `app` by name.
    ///
    /// # Errors
    /// I/O errors; a corrupt environment file.
    fn environments(&self, app: &str) -> Result<Vec<Environment>>;

    /// Deletes `environment` and its history, if the store still holds this very environment
    /// (compared under the environment's lock: same creation, same type). Its records stay
    /// readable by id.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when it does not exist, or was deleted and created again
    /// since `environment` was read; I/O errors.
    fn delete_environment(&self, environment: &Environment) -> Result<()>;

    /// The environments of every application, by application and name.
    ///
    /// # Errors
    /// I/O errors; a corrupt environment file.
    fn all_environments(&self) -> Result<Vec<Environment>>;

    /// Appends the draft to its environment's history: under the environment's lock, checks
    /// the environment is still the one the draft was made for ([`Draft::environment`]: same
    /// creation, same type), makes the current head the draft's parent, then writes the
    /// record, which becomes the head.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when the environment does not exist or is not the one the
    /// draft was made for (deleted and created again meanwhile); I/O errors.
    fn append(&self, draft: Draft) -> Result<Deployment>;

    /// The record of that id.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when there is none, or it is corrupt (naming its file).
    fn record(&self, id: &str) -> Result<Deployment>;

    /// The history of an environment, oldest first.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when the environment does not exist or its index is
    /// corrupt. An unreadable record is an entry, not an error.
    fn history(&self, app: &str, env: &str) -> Result<History>;

    /// Marks record `id` of the environment's history as failed to apply. The record stays in
    /// the history (records are immutable) but is no longer current.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when the environment does not exist or `id` is not in its
    /// history.
    fn mark_failed(&self, app: &str, env: &str, id: &str) -> Result<()>;

    /// The deprovisions of the environment that failed and wait to be retried (see
    /// [`crate::deploy::PendingDeprovision`]), in the order they were recorded; empty when there
    /// are none. They belong to the environment: deleting it deletes them.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when the environment does not exist; I/O errors; corrupt
    /// content.
    fn pending_deprovisions(&self, app: &str, env: &str) -> Result<Vec<PendingDeprovision>>;

    /// Replaces the pending deprovisions of `environment` with `pending` (an empty list
    /// removes them), as one write, if the store still holds this very environment (compared
    /// under the environment's lock, as [`Store::append`] does: same creation, same type).
    /// Only [`crate::deploy::Deployer`] calls it, with an environment admitted by its guard.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when the environment does not exist or was deleted and
    /// created again; I/O errors.
    fn set_pending_deprovisions(
        &self,
        environment: &Environment,
        pending: &[PendingDeprovision],
    ) -> Result<()>;

    /// The ids of every record in the store, sorted.
    ///
    /// # Errors
    /// I/O errors.
    fn record_ids(&self) -> Result<Vec<String>>;

    /// The full id of the one record whose id starts with `prefix` (at least 4 characters),
    /// as `git` resolves short commit ids.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when no record or several match.
    fn resolve_id(&self, prefix: &str) -> Result<String> {
        resolve_in(prefix, self.record_ids()?)
    }

    /// Keeps `record` as it is, outside any history: what [`migrate_store`] uses for the records of
    /// deleted environments, which stay readable by id. A record of that id already kept is
    /// left as it is.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Store`] when the record does not verify ([`Deployment::verify`]) or
    /// the store cannot import records; I/O errors.
    fn import_record(&self, record: &Deployment) -> Result<()> {
        record.verify()?;
        Err(super::record::store_error(format!(
            "this store cannot import record `{}`",
            record.id
        )))
    }
}

/// The one id of `ids` that starts with `prefix` (at least 4 characters): what
/// [`Store::resolve_id`] returns.
pub(crate) fn resolve_in(prefix: &str, ids: Vec<String>) -> Result<String> {
    if prefix.len() < 4 {
        return Err(super::record::store_error(format!(
            "record id `{prefix}` is too short: give at least 4 characters"
        )));
    }
    let mut matches = ids.into_iter().filter(|id| id.starts_with(prefix));
    match (matches.next(), matches.next()) {
        (Some(id), None) => Ok(id),
        (None, _) => Err(no_record(prefix)),
        (Some(_), Some(_)) => Err(super::record::store_error(format!(
            "record id `{prefix}` is ambiguous: give more characters"
        ))),
    }
}

/// Checks, under the environment's lock, that `stored` is `expected`, the environment a
/// write was admitted for: what every store's [`Store::append`] and
/// [`Store::delete_environment`] call.
pub(crate) fn check_same_environment(
    stored: Option<&Environment>,
    expected: &Environment,
) -> Result<()> {
    let (app, env) = (expected.app.as_str(), expected.name.as_str());
    let Some(stored) = stored else {
        return Err(super::record::store_error(format!(
            "environment `{env}` of app `{app}` was deleted while this change was being made: nothing was changed"
        )));
    };
    if stored == expected {
        return Ok(());
    }
    Err(super::record::store_error(format!(
        "environment `{env}` of app `{app}` was deleted and created again (now of type `{}`, created at {}) while this change was being made for type `{}`: nothing was changed; make the change again",
        stored.env_type, stored.created_at, expected.env_type
    )))
}

/// The error for an environment that does not exist.
pub(crate) fn no_environment(app: &str, env: &str) -> Error {
    super::record::store_error(format!(
        "environment `{env}` of app `{app}` does not exist: create it (with its environment type) first"
    ))
}

/// The error for an environment that exists already.
pub(crate) fn environment_exists(app: &str, env: &str) -> Error {
    super::record::store_error(format!(
        "environment `{env}` of app `{app}` exists already: pick another name, or delete it first"
    ))
}

/// The error for a record that is not in an environment's history.
pub(crate) fn not_in_history(app: &str, env: &str, id: &str) -> Error {
    super::record::store_error(format!(
        "record `{id}` is not in the history of environment `{env}` of app `{app}`"
    ))
}

/// The error for a record id that is not in the store.
pub(crate) fn no_record(id: &str) -> Error {
    super::record::store_error(format!(
        "no deployment record `{id}` in the store: an environment's history lists the ids"
    ))
}
