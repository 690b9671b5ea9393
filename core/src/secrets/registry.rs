//! Where every secret value of a plan is registered, with the resource it belongs to.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use super::{PublicWords, SecretGuard};
use crate::ResourceKey;
use crate::drivers::Provisioned;
use crate::sensitive::{SecretValue, Sensitive};

/// The secret values of one plan, each with the key of the resource that brought it.
///
/// Registration is the only way a secret enters a plan's check: resolution registers every
/// driver's result with [`register_provisioned`](Self::register_provisioned) and every
/// definition's secret inputs with [`register_inputs`](Self::register_inputs). `Debug` shows the
/// number of values only.
#[derive(Default)]
pub struct SecretRegistry {
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    seen: HashSet<Sensitive<String>>,
    values: Vec<(String, Sensitive<String>)>,
    /// Every registration, in order (a value registered twice is here twice).
    every: Vec<(ResourceKey, Sensitive<String>)>,
}

impl SecretRegistry {
    /// Registers `value` as a secret of the resource `owner` (a value registered before keeps
    /// its first owner).
    pub fn register(&self, owner: &ResourceKey, value: &Sensitive<String>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.every.push((owner.clone(), value.clone()));
        if entries.seen.insert(value.clone()) {
            entries
                .values
                .push((format!("resource `{owner}`"), value.clone()));
        }
    }

    /// Registers what a driver returned for `owner`: the values of its secret outputs and the
    /// sensitive values it used ([`Provisioned::sensitive`]).
    pub fn register_provisioned(&self, owner: &ResourceKey, provisioned: &Provisioned) {
        for value in Self::provisioned_values(provisioned) {
            self.register(owner, value);
        }
    }

    /// What [`register_provisioned`](Self::register_provisioned) registers of a driver's
    /// result, in its order (to register later, on another thread's behalf).
    pub(crate) fn provisioned_values(
        provisioned: &Provisioned,
    ) -> impl Iterator<Item = &Sensitive<String>> {
        let secrets = provisioned.secrets.values().filter_map(|s| match s {
            SecretValue::Value(value) => Some(value),
            SecretValue::Ref { .. } => None,
        });
        secrets.chain(&provisioned.sensitive)
    }

    /// Registers the literal secret inputs of `owner`'s definition (after substitution), whatever
    /// driver receives them.
    pub fn register_inputs<'a>(
        &self,
        owner: &ResourceKey,
        inputs: impl IntoIterator<Item = &'a SecretValue>,
    ) {
        for secret in inputs {
            if let SecretValue::Value(value) = secret {
                self.register(owner, value);
            }
        }
    }

    /// Every registration so far, in order, with the resource that made it (a value
    /// registered twice is given twice): registering them again in another order makes the
    /// registry of a plan whose resources come in that order (what a session does).
    pub(crate) fn registrations(&self) -> Vec<(ResourceKey, Sensitive<String>)> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .every
            .clone()
    }

    /// How many distinct values are registered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values
            .len()
    }

    /// Whether no value is registered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The guard that looks for every value registered so far: built once per plan, when every
    /// resource is provisioned.
    ///
    /// # Errors
    /// As [`SecretGuard::new`].
    pub fn guard(&self) -> crate::Result<SecretGuard> {
        self.guard_with_public(&PublicWords::default())
    }

    /// The guard, leaving out the runs of secrets that are `public` words
    /// ([`SecretGuard::with_public`]).
    ///
    /// # Errors
    /// As [`SecretGuard::new`].
    pub fn guard_with_public(&self, public: &PublicWords) -> crate::Result<SecretGuard> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        SecretGuard::with_public(
            entries
                .values
                .iter()
                .map(|(owner, value)| (owner.as_str(), value.expose().as_str())),
            public,
        )
    }
}

impl std::fmt::Debug for SecretRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretRegistry({} values)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_registered_once_with_their_first_owner() {
        let registry = SecretRegistry::default();
        let a: ResourceKey = "postgres#shop.a".parse().unwrap();
        let b: ResourceKey = "redis#shop.b".parse().unwrap();
        let value = Sensitive::new("same-secret-value".to_owned());
        registry.register(&a, &value);
        registry.register(&b, &value);
        let mut provisioned = Provisioned::default();
        provisioned
            .secrets
            .insert("ref".into(), SecretValue::value("another-secret"));
        provisioned.secrets.insert(
            "key".into(),
            SecretValue::Ref {
                name: "n".into(),
                key: "k".into(),
            },
        );
        registry.register_provisioned(&b, &provisioned);
        assert_eq!(registry.len(), 2);
        assert_eq!(format!("{registry:?}"), "SecretRegistry(2 values)");
        let guard = registry.guard().unwrap();
        assert_eq!(
            guard.found_in("x same-secret-value y"),
            Some("resource `postgres.default#shop.a`")
        );
        assert_eq!(
            guard.found_in("x another-secret"),
            Some("resource `redis.default#shop.b`")
        );
        assert_eq!(guard.found_in("nothing here"), None);
    }
}
