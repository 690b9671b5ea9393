//! The digest of a platform's documents, and the documents that differ between two digests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::deploy::digest::value_digest;
use crate::platform::Platform;

/// The digest of a platform: one per document, and one of them all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PlatformDigest {
    /// SHA-256 of the canonical JSON of `documents`.
    pub digest: String,
    /// `Kind/name` → SHA-256 of the document's canonical JSON. Built-in definitions are listed
    /// as `ResourceDefinition/builtin:NAME`; environments as `Environment/APP/NAME`.
    pub documents: BTreeMap<String, String>,
}

impl PlatformDigest {
    /// The digest of `platform` (built-in definitions included: they shape the output too).
    ///
    /// # Panics
    /// Never: spec types always serialize.
    #[must_use]
    pub fn of(platform: &Platform) -> Self {
        let mut documents = BTreeMap::new();
        let mut put = |key: String, value: Value| {
            documents.insert(key, value_digest(&value));
        };
        for d in platform.definitions() {
            let name = if d.builtin {
                format!("builtin:{}", d.name)
            } else {
                d.name.clone()
            };
            put(format!("ResourceDefinition/{name}"), json(&d.spec));
        }
        for (name, spec) in platform.environment_types() {
            put(format!("EnvironmentType/{name}"), json(spec));
        }
        for (name, spec) in platform.policies() {
            put(format!("Policy/{name}"), json(spec));
        }
        for (name, spec) in platform.role_bindings() {
            put(format!("RoleBinding/{name}"), json(spec));
        }
        for (name, spec) in platform.environments() {
            put(format!("Environment/{}/{name}", spec.app), json(spec));
        }
        let digest = value_digest(&serde_json::to_value(&documents).unwrap_or(Value::Null));
        Self { digest, documents }
    }

    /// The documents added, removed and changed from `self` to `now`.
    #[must_use]
    pub fn changes_to(&self, now: &Self) -> Vec<DocumentChange> {
        let mut out = Vec::new();
        for (name, digest) in &self.documents {
            match now.documents.get(name) {
                None => out.push(DocumentChange::removed(name)),
                Some(d) if d != digest => out.push(DocumentChange::changed(name)),
                Some(_) => {}
            }
        }
        for name in now.documents.keys() {
            if !self.documents.contains_key(name) {
                out.push(DocumentChange::added(name));
            }
        }
        out.sort();
        out
    }
}

fn json<T: Serialize>(spec: &T) -> Value {
    serde_json::to_value(spec).unwrap_or(Value::Null)
}

/// A platform document that differs between two platforms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentChange {
    /// `Kind/name`.
    pub document: String,
    /// How it differs.
    pub change: ChangeKind,
}

impl DocumentChange {
    fn added(name: &str) -> Self {
        Self {
            document: name.to_owned(),
            change: ChangeKind::Added,
        }
    }
    fn removed(name: &str) -> Self {
        Self {
            document: name.to_owned(),
            change: ChangeKind::Removed,
        }
    }
    fn changed(name: &str) -> Self {
        Self {
            document: name.to_owned(),
            change: ChangeKind::Changed,
        }
    }
}

/// How a thing differs between two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in the second.
    Added,
    /// Only in the first.
    Removed,
    /// In both, different.
    Changed,
}
