//! Copying one store into another (a folder into a database, or back), verifying every
//! record id.
//!
//! Each history is replayed through [`Store::append`] in order: a record seals into the same
//! id only when it follows the same parent with the same inputs, so the copy is checked record
//! by record. Records no history lists (those of deleted environments) are copied with
//! [`Store::import_record`]. Pending deprovisions
//! ([`Store::pending_deprovisions`]) travel with their environment. The source is read, never
//! changed.

use std::collections::BTreeSet;

use super::Store;
use crate::Result;
use crate::deploy::record::{Draft, store_error};

/// What a migration copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Migrated {
    /// Environments created in the target.
    pub environments: usize,
    /// Records copied (every record of the source).
    pub records: usize,
}

/// Copies every environment, history, failure mark and record of `from` into `to`, which
/// must be empty.
///
/// # Errors
/// [`crate::ErrorKind::Store`] when `to` is not empty, a record of `from` is unreadable or
/// corrupt (naming it; nothing of its environment's later history is copied), or a record
/// comes out of the target under another id; what the stores return. A failed migration can
/// leave part of the source in the target: empty the target and run it again.
pub fn migrate_store(from: &dyn Store, to: &dyn Store) -> Result<Migrated> {
    if !to.all_environments()?.is_empty() || !to.record_ids()?.is_empty() {
        return Err(store_error(
            "the target store is not empty: migrate into an empty folder or a fresh database",
        ));
    }
    let mut copied = BTreeSet::new();
    let mut migrated = Migrated::default();
    for environment in from.all_environments()? {
        let (app, env) = (&environment.app, &environment.name);
        let history = from.history(app, env)?;
        to.create_environment(&environment, &|_| Ok(()))?;
        migrated.environments += 1;
        for entry in &history.entries {
            let record = entry.record.as_ref().map_err(Clone::clone)?;
            let copy = to.append(Draft::from_record(&environment, record))?;
            if copy.id != entry.id {
                return Err(store_error(format!(
                    "record `{}` of environment `{env}` of app `{app}` became `{}` in the target: the source's history is not one line; nothing after it was copied",
                    entry.id, copy.id
                )));
            }
            if entry.failed {
                to.mark_failed(app, env, &copy.id)?;
            }
            copied.insert(copy.id);
        }
        let pending = from.pending_deprovisions(app, env)?;
        if !pending.is_empty() {
            to.set_pending_deprovisions(&environment, &pending)?;
        }
    }
    let ids = from.record_ids()?;
    for id in ids.iter().filter(|id| !copied.contains(*id)) {
        to.import_record(&from.record(id)?)?;
    }
    if to.record_ids()? != ids {
        return Err(store_error(
            "the target does not list the same record ids as the source after the copy: check that nothing else writes to it, empty it and migrate again",
        ));
    }
    migrated.records = ids.len();
    Ok(migrated)
}
