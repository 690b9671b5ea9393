//! The deployment record: what was deployed where, from which inputs, by whom and when.
//!
//! A record is immutable. Its id is the SHA-256 of the canonical JSON of its [`RecordInputs`],
//! which include the parent record's id and the caller's timestamp, so redeploying unchanged
//! workloads makes a new record, and the id changes if and only if an input changes.
//!
//! One module per concept: the record types ([`types`]), the platform digest
//! ([`platform`]), timestamps ([`timestamp`]), the redaction of secrets ([`redact`]) and
//! drafts, records before they join a history ([`draft`]); the recorded form of the plan
//! options is [`crate::plan::PlanOptions`]'s serialized form ([`options`]).

mod draft;
mod options;
mod platform;
mod redact;
mod timestamp;
mod types;

pub use draft::{Draft, DraftMeta};
pub use platform::{ChangeKind, DocumentChange, PlatformDigest};
pub(crate) use redact::is_secret;
pub use redact::{SECRET_DIGEST_PREFIX, redact_secrets};
pub use timestamp::check_timestamp;
pub use types::{
    Deployment, Operation, RECORD_FORMAT, RecordInputs, RecordedResource, RecordedWorkload,
};

use crate::{Error, ErrorKind, Location};

/// A [`ErrorKind::Store`] error without a file.
pub(crate) fn store_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Store, Location::default(), message)
}
