//! Deployments (DESIGN.md §9): immutable records of what was deployed where, their structural
//! diff, rollback, promotion, environments (optionally cloned) and the stores that keep them.
//!
//! - [`Deployment`]: a record. Its id is the SHA-256 of the canonical JSON of its inputs
//!   (workloads as given, context, options, platform digest, parent id, timestamp, principal,
//!   operation). Its manifests keep secret values only as digests.
//! - [`diff`]: objects added, removed and changed (JSON pointers, before and after; secret
//!   values only as "changed"), input changes apart.
//! - [`Deployer`]: deploy, history, rollback, promote, create (optionally cloned), list and
//!   delete environments, through an [`Engine`](crate::plan::Engine) into a [`Store`].
//! - [`MemoryStore`] and [`DirStore`] (one JSON file per record, written atomically, a lock
//!   per environment so concurrent deploys make one line of history).

mod deprovision;
mod diff;
mod digest;
mod guard;
mod ops;
mod preview;
mod record;
mod serial;
mod store;

pub use deprovision::PendingDeprovision;
pub use diff::{
    Change, Diff, InputChanges, ObjectDiff, ObjectId, WorkloadDiff, diff, diff_objects,
};
pub use ops::{Actor, Deployer, NewEnvironment, Rollback};
pub use preview::preview_engine;
pub use record::{
    ChangeKind, Deployment, DocumentChange, Draft, DraftMeta, Operation, PlatformDigest,
    RECORD_FORMAT, RecordInputs, RecordedResource, RecordedWorkload, SECRET_DIGEST_PREFIX,
    check_timestamp, redact_secrets,
};
#[cfg(feature = "postgres")]
pub use store::PgStore;
pub use store::{
    DirStore, Environment, History, HistoryEntry, MemoryStore, Migrated, Store, StoreSpec,
    migrate_store, open_store,
};
