//! The secret boundary (DESIGN.md §7): "a secret never leaves a Secret".
//!
//! Every secret value a plan knows is registered in one [`SecretRegistry`] while the plan
//! resolves: the secret outputs of every driver (built-in, host or any future one), the
//! literal secret inputs of every definition (whatever its driver), and the values a driver
//! used without returning them (the template driver's `generated(name)`), all through
//! [`SecretRegistry::register_provisioned`] and [`SecretRegistry::register_inputs`]. Once every
//! resource is provisioned, the registry builds one [`SecretGuard`] for the plan: a single
//! set of the patterns derived from every secret, each a run of [`WINDOW`] characters, looked
//! up at every position of the text checked. The guard then checks
//!
//! - every non-secret output of every resource,
//! - every object the plan puts out, except the `data` and `stringData` of a `v1` `Secret`
//!   (every string, every key and every number),
//! - and the messages of the plan's errors, which it redacts.
//!
//! What is looked for ([`patterns`]): for a secret of at least [`WINDOW`] characters, every run
//! of [`WINDOW`] consecutive characters, in order and reversed, in any ASCII case (and in
//! Unicode upper and lower case for a secret that is not ASCII), and its base64 encodings
//! (standard and URL-safe alphabets, at the three byte alignments it can have inside a longer
//! text). A secret of [`MIN_SECRET_CHARS`] to
//! [`WINDOW`]` - 1` characters is found only as a whole string (or key) equal to it; a shorter
//! one is not looked for. A very long secret is sampled: see [`MAX_WINDOWS`]. The full list of
//! guarantees and limits is in `docs/secrets.md`.
//!
//! ```
//! use goldpath::secrets::SecretRegistry;
//! use goldpath::sensitive::Sensitive;
//! use goldpath::ResourceKey;
//! use serde_json::json;
//!
//! let registry = SecretRegistry::default();
//! let key: ResourceKey = "postgres#web.db".parse().unwrap();
//! registry.register(&key, &Sensitive::new("Zx81dTq0Lm2PaaQ7".to_owned()));
//! let guard = registry.guard().unwrap();
//! let config = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
//!                     "data": {"url": "pg://u:7QAAP2ML0QTD18XZ@db"}});
//! let err = guard.check_object(&config, "the ConfigMap of workload `web`").unwrap_err();
//! assert_eq!(err.location().path.to_string(), "data.url");
//! assert!(err.message().contains("resource `postgres.default#web.db`"));
//! assert!(!err.to_string().contains("Zx81dTq0Lm2PaaQ7"));
//! ```

pub(crate) mod book;
mod build;
mod guard;
pub mod patterns;
mod registry;
pub(crate) mod seen;
mod windows;

pub use guard::{PublicWords, SecretGuard};
pub use registry::SecretRegistry;

/// The length, in characters, of the runs of a secret the guard looks for.
pub const WINDOW: usize = 8;

/// Secrets shorter than this (in characters) are not looked for at all: they would match
/// ordinary text by chance. Secrets from this length up to [`WINDOW`]` - 1` characters are
/// looked for as whole strings only.
pub const MIN_SECRET_CHARS: usize = 4;

/// The most windows taken from one form of one secret: a secret longer than
/// `MAX_WINDOWS + WINDOW - 1` characters is sampled with a stride, so that the pattern set of a
/// plan stays small; every run of `WINDOW + stride - 1` of its characters is still found.
pub const MAX_WINDOWS: usize = 1024;

/// Whether `object` is a Kubernetes `v1` `Secret`, the only kind whose `data` and `stringData`
/// may hold secret values.
#[must_use]
pub fn is_secret_object(object: &serde_json::Value) -> bool {
    object["kind"] == "Secret" && object["apiVersion"] == "v1"
}

/// The fields of a `Secret` that hold its data.
pub const SECRET_DATA_FIELDS: [&str; 2] = ["data", "stringData"];

/// The one rule for what of an object the secret check does not read: the top-level `data`
/// and `stringData` ([`SECRET_DATA_FIELDS`]) of a `v1` `Secret` ([`is_secret_object`]), where
/// secret values belong. Every other key and value, at any depth, is read (a `data` deeper
/// down, or in any other kind, is read like the rest).
///
/// Returns whether the check skips the top-level entry `key` of `object`. Both
/// [`SecretGuard::check_object`] and the output step's one walk over each object (which only
/// runs the check when the walk finds something) ask this, so the two cannot disagree and let
/// a secret pass unseen.
pub(crate) fn secret_data_exempt(object: &serde_json::Value) -> impl Fn(&str) -> bool + Copy {
    let is_secret = is_secret_object(object);
    move |key: &str| is_secret && SECRET_DATA_FIELDS.contains(&key)
}
