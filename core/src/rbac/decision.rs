//! The answer to an access question: allowed or not, which bindings granted it, and why.

use serde::Serialize;

use crate::{Error, ErrorKind, Location, Result};

/// What [`authorize`](super::authorize) decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Whether the action may go ahead.
    pub allowed: bool,
    /// The binding that granted the action (for deploy-like actions, the `deployer` binding);
    /// `None` when denied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<String>,
    /// Every binding the grant needed, by name (a deploy needs an app role and `deployer`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bindings: Vec<String>,
    /// Why: the roles that granted it, or what is missing.
    pub reason: String,
}

impl Decision {
    /// An allow granted by `bindings` (the first is [`Decision::binding`]).
    pub(super) fn allow(bindings: Vec<String>, reason: String) -> Self {
        Self {
            allowed: true,
            binding: bindings.first().cloned(),
            bindings,
            reason,
        }
    }

    /// A denial with its reason.
    pub(super) fn deny(reason: String) -> Self {
        Self {
            allowed: false,
            binding: None,
            bindings: Vec::new(),
            reason,
        }
    }

    /// `Ok(())` when allowed, else an [`ErrorKind::Permission`] error carrying the reason.
    ///
    /// # Errors
    /// The denial.
    pub fn into_result(self) -> Result<()> {
        if self.allowed {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Permission,
                Location::default(),
                self.reason,
            ))
        }
    }
}
