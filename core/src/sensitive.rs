//! Secret values: [`Sensitive`] hides its value from every formatter, [`SecretValue`] is a
//! secret output, either a value or a reference to a Kubernetes Secret key (DESIGN.md §7).
//!
//! A sensitive value is read only through [`Sensitive::expose`], so every place that reads
//! one is visible in the code. It has no `Serialize`: records and diffs keep
//! [`Sensitive::digest`] instead.
//!
//! ```
//! use goldpath::sensitive::{SecretValue, Sensitive};
//!
//! let password = Sensitive::new("hunter2-but-longer".to_string());
//! assert_eq!(format!("{password} {password:?}"), "*** ***");
//! assert_eq!(password.expose(), "hunter2-but-longer");
//! assert!(password.digest().starts_with("sha256:"));
//!
//! let secret = SecretValue::Value(password);
//! assert_eq!(secret.to_string(), "***");
//! let reference = SecretValue::Ref { name: "shop-db".into(), key: "password".into() };
//! assert_eq!(reference.to_string(), "secretKeyRef shop-db/password");
//! ```

use std::fmt;

use sha2::{Digest, Sha256};

/// What a sensitive value prints as, wherever it is formatted.
pub const REDACTED: &str = "***";

/// A value that is secret: `Debug` and `Display` print `***`, never the value.
///
/// There is deliberately no `Serialize` and no `Deref`: read the value with
/// [`expose`](Self::expose), record it with [`digest`](Self::digest).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a secret value.
    #[must_use]
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret value, read deliberately (to render a Secret, to hand it to a driver).
    #[must_use]
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret value, read deliberately.
    #[must_use]
    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl<T: AsRef<[u8]>> Sensitive<T> {
    /// The SHA-256 of the value as `sha256:<64 lower-case hex digits>`, for deployment records
    /// and diffs, which say that a secret changed without showing it.
    ///
    /// ```
    /// use goldpath::sensitive::Sensitive;
    ///
    /// assert_eq!(
    ///     Sensitive::new("abc").digest(),
    ///     "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    /// );
    /// ```
    #[must_use]
    pub fn digest(&self) -> String {
        format!("sha256:{}", hex(&Sha256::digest(self.0.as_ref())))
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Lower-case hexadecimal text of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// A secret output of a driver: a value goldpath renders into a Secret, or a key of a
/// Kubernetes Secret that exists already (or that the definition's own manifests create).
///
/// A reference is not secret itself and prints as `secretKeyRef NAME/KEY`; a value prints as
/// `***`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SecretValue {
    /// The secret itself.
    Value(Sensitive<String>),
    /// `{secretKeyRef: {name, key}}`: a key of a Secret in the environment's namespace.
    Ref {
        /// The Secret's name.
        name: String,
        /// The key inside the Secret.
        key: String,
    },
}

impl SecretValue {
    /// A secret value from its text.
    #[must_use]
    pub fn value(text: impl Into<String>) -> Self {
        Self::Value(Sensitive::new(text.into()))
    }
}

impl fmt::Display for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value(value) => value.fmt(f),
            Self::Ref { name, key } => write!(f, "secretKeyRef {name}/{key}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn digest_is_sha256_of_the_value_and_differs_per_value() {
        let empty = Sensitive::new(String::new()).digest();
        assert_eq!(
            empty,
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_ne!(Sensitive::new("a").digest(), Sensitive::new("b").digest());
    }

    #[test]
    fn a_secret_value_shows_only_references() {
        let value = SecretValue::value("s3cret-value");
        assert_eq!(format!("{value:?}"), "Value(***)");
        let reference = SecretValue::Ref {
            name: "db".into(),
            key: "password".into(),
        };
        assert!(format!("{reference:?}").contains("\"db\""));
    }

    proptest! {
        #[test]
        fn formatting_never_shows_the_value(secret in "[ -~]{8,40}") {
            let sensitive = Sensitive::new(secret.clone());
            let value = SecretValue::Value(sensitive.clone());
            for shown in [
                format!("{sensitive:?}"),
                format!("{sensitive}"),
                format!("{sensitive:#?}"),
                format!("{value:?}"),
                format!("{value}"),
                format!("{value:#?}"),
            ] {
                prop_assert!(!shown.contains(&secret), "{shown}");
            }
        }
    }
}
