//! Backstage's rules for entity names, namespaces, kinds and references, and the conversion
//! of goldpath names into entity names.
//!
//! - a name is 1 to 63 characters: runs of `[a-zA-Z0-9]` separated by single `-`, `_` or `.`;
//! - a namespace is a DNS-1123 label (lower case letters, digits and inner `-`, at most 63);
//! - a kind is a letter followed by letters and digits, at most 63;
//! - a reference is written `kind:namespace/name`; in an owner, kind and namespace may be left
//!   out (`team-a`, `group:team-a`, `default/team-a`) and take the defaults given.
//!
//! ```
//! use goldpath::catalog::names::{entity_name, is_entity_name};
//! assert!(is_entity_name("backend.db"));
//! assert!(!is_entity_name("postgres#backend"));
//! assert_eq!(entity_name("web"), "web");
//! assert!(is_entity_name(&entity_name("postgres#backend..db")));
//! ```

use std::fmt;

use sha2::{Digest, Sha256};

/// The longest entity name, namespace or kind Backstage accepts.
pub const MAX_NAME_LEN: usize = 63;

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '.')
}

/// Whether `name` is a valid Backstage entity name.
#[must_use]
pub fn is_entity_name(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    let (Some(first), Some(last)) = (chars.first(), chars.last()) else {
        return false;
    };
    chars.len() <= MAX_NAME_LEN
        && first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && chars
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || is_separator(*c))
        && !chars
            .windows(2)
            .any(|w| is_separator(w[0]) && is_separator(w[1]))
}

/// Whether `namespace` is a valid Backstage namespace (a DNS-1123 label).
#[must_use]
pub fn is_namespace(namespace: &str) -> bool {
    !namespace.is_empty()
        && namespace.len() <= MAX_NAME_LEN
        && namespace
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !namespace.starts_with('-')
        && !namespace.ends_with('-')
}

/// Whether `kind` is a valid Backstage kind.
#[must_use]
pub fn is_kind(kind: &str) -> bool {
    kind.len() <= MAX_NAME_LEN
        && kind.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && kind.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A valid entity name for `raw`: `raw` itself when it is one; otherwise characters outside
/// `[a-zA-Z0-9-_.]` become `-`, runs of separators shrink to one, separators at the ends go,
/// and 8 hex digits of `raw`'s SHA-256 are appended (cut to fit 63 characters), so two
/// different inputs do not meet in one name.
#[must_use]
pub fn entity_name(raw: &str) -> String {
    if is_entity_name(raw) {
        return raw.to_owned();
    }
    let mut cleaned = String::new();
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() || is_separator(c) {
            c
        } else {
            '-'
        };
        if !(is_separator(c) && cleaned.chars().last().is_none_or(is_separator)) {
            cleaned.push(c);
        }
    }
    let digest = Sha256::digest(raw.as_bytes());
    let suffix: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    cleaned.truncate(MAX_NAME_LEN - suffix.len() - 1);
    let stem = cleaned.trim_end_matches(is_separator);
    if stem.is_empty() {
        suffix
    } else {
        format!("{stem}-{suffix}")
    }
}

/// A full entity reference, `kind:namespace/name`, with each part valid.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityRef {
    kind: String,
    namespace: String,
    name: String,
}

impl EntityRef {
    /// A reference from its parts.
    ///
    /// # Errors
    /// A message naming the part that breaks Backstage's rules.
    pub fn new(kind: &str, namespace: &str, name: &str) -> Result<Self, String> {
        if !is_kind(kind) {
            return Err(format!(
                "`{kind}` is not a Backstage kind: use letters and digits, starting with a letter"
            ));
        }
        if !is_namespace(namespace) {
            return Err(format!(
                "`{namespace}` is not a Backstage namespace: use lower case letters, digits and `-` (at most 63)"
            ));
        }
        if !is_entity_name(name) {
            return Err(format!(
                "`{name}` is not a Backstage entity name: use letters and digits separated by single `-`, `_` or `.` (at most 63)"
            ));
        }
        Ok(Self {
            kind: kind.to_ascii_lowercase(),
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        })
    }

    /// Parses `[kind:][namespace/]name`, filling in the kind and namespace left out.
    ///
    /// # Errors
    /// As [`EntityRef::new`].
    pub fn parse(text: &str, default_kind: &str, default_namespace: &str) -> Result<Self, String> {
        let (kind, rest) = text.split_once(':').unwrap_or((default_kind, text));
        let (namespace, name) = rest.split_once('/').unwrap_or((default_namespace, rest));
        Self::new(kind, namespace, name)
    }

    /// The entity's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.kind, self.namespace, self.name)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn names_follow_backstage_rules() {
        for good in ["a", "web", "backend.db", "a_b-c.d", "A1", &"x".repeat(63)] {
            assert!(is_entity_name(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "a.-b",
            "a#b",
            "a/b",
            "ä",
            &"x".repeat(64),
        ] {
            assert!(!is_entity_name(bad), "{bad}");
        }
    }

    #[test]
    fn namespaces_are_dns_labels_and_kinds_are_words() {
        assert!(is_namespace("default") && is_namespace("team-1"));
        assert!(!is_namespace("Default") && !is_namespace("a_b") && !is_namespace("-a"));
        assert!(is_kind("Component") && is_kind("API"));
        assert!(!is_kind("1x") && !is_kind("a-b") && !is_kind(""));
    }

    #[test]
    fn references_fill_in_defaults_and_print_in_full() {
        let full = |t: &str| EntityRef::parse(t, "group", "default").map(|r| r.to_string());
        assert_eq!(full("team-a").unwrap(), "group:default/team-a");
        assert_eq!(full("user:jane").unwrap(), "user:default/jane");
        assert_eq!(full("ops/team-a").unwrap(), "group:ops/team-a");
        assert_eq!(full("Group:ops/team-a").unwrap(), "group:ops/team-a");
        assert!(full("group:Ops/team").unwrap_err().contains("namespace"));
        assert!(full("team a").unwrap_err().contains("entity name"));
    }

    #[test]
    fn lossy_names_carry_a_digest_so_they_stay_apart() {
        assert_ne!(entity_name("a#b"), entity_name("a-b"));
        assert_ne!(entity_name("a#b"), entity_name("a/b"));
        assert_eq!(entity_name("a#b"), entity_name("a#b"));
        assert_eq!(entity_name("#").len(), 8);
    }

    proptest! {
        #[test]
        fn every_name_made_is_valid(raw in "\\PC{0,90}") {
            prop_assert!(is_entity_name(&entity_name(&raw)));
        }

        #[test]
        fn valid_names_are_kept(raw in "[a-z0-9]{1,10}([-_.][a-zA-Z0-9]{1,10}){0,4}") {
            prop_assert_eq!(entity_name(&raw), raw);
        }
    }
}
