//! The identity of a resource: its canonical key `type.class#id` (DESIGN.md §3).
//!
//! ```
//! use goldpath::ResourceKey;
//!
//! let key: ResourceKey = "postgres#shop.db".parse().unwrap();
//! assert_eq!((key.resource_type(), key.class(), key.id()), ("postgres", "default", Some("shop.db")));
//! assert_eq!(key.to_string(), "postgres.default#shop.db");
//! assert!("Postgres".parse::<ResourceKey>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::validate::names;

/// A resource key: a type, a class (`default` when unset) and an optional id.
///
/// Written `type[.class][#id]`; type and class are DNS-1123 labels, the id is one or more
/// dot-separated DNS-1123 labels. The canonical form always names the class.
///
/// Two keys are equal when their canonical forms are: `dns` and `dns.default` name the same
/// resource type and class.
///
/// The parts are shared (`Arc<str>`): a plan keeps each key in several places (the graph, its
/// order, the resources' state, what each resource cost), and a clone costs no allocation.
#[derive(Debug, Clone)]
pub struct ResourceKey {
    resource_type: Arc<str>,
    class: Option<Arc<str>>,
    id: Option<Arc<str>>,
}

impl ResourceKey {
    /// A key from its parts; `class` `None` means `default`. The parts are not checked: use
    /// [`str::parse`] for text from users.
    #[must_use]
    pub fn new(resource_type: impl Into<String>, class: Option<&str>, id: Option<&str>) -> Self {
        Self {
            resource_type: Arc::from(resource_type.into()),
            class: class.map(Arc::from),
            id: id.map(Arc::from),
        }
    }

    /// The resource type.
    #[must_use]
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }

    /// The class (`default` when none was given).
    #[must_use]
    pub fn class(&self) -> &str {
        self.class.as_deref().unwrap_or("default")
    }

    /// The class as written, `None` when the key omits it (a reference that omits the class
    /// inherits the referencing resource's own, DESIGN.md §5).
    #[must_use]
    pub fn written_class(&self) -> Option<&str> {
        self.class.as_deref()
    }

    /// The id, when the key names one.
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

impl ResourceKey {
    fn identity(&self) -> (&str, &str, Option<&str>) {
        (&*self.resource_type, self.class(), self.id.as_deref())
    }
}

impl PartialEq for ResourceKey {
    fn eq(&self, other: &Self) -> bool {
        self.identity() == other.identity()
    }
}

impl Eq for ResourceKey {}

impl std::hash::Hash for ResourceKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.identity().hash(state);
    }
}

impl PartialOrd for ResourceKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ResourceKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.identity().cmp(&other.identity())
    }
}

impl fmt::Display for ResourceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.resource_type, self.class())?;
        if let Some(id) = self.id.as_deref() {
            write!(f, "#{id}")?;
        }
        Ok(())
    }
}

impl FromStr for ResourceKey {
    type Err = crate::Error;

    /// Parses `type[.class][#id]`; the [`crate::ErrorKind::Invalid`] error says which part is
    /// wrong and how to write it.
    fn from_str(text: &str) -> Result<Self, crate::Error> {
        Self::parse_text(text).map_err(|message| {
            crate::Error::new(
                crate::ErrorKind::Invalid,
                crate::Location::default(),
                message,
            )
        })
    }
}

impl ResourceKey {
    /// [`FromStr`] with the reason as text, for callers that place it in their own message.
    pub(crate) fn parse_text(text: &str) -> Result<Self, String> {
        let (head, id) = match text.split_once('#') {
            Some((head, id)) => (head, Some(id)),
            None => (text, None),
        };
        let (resource_type, class) = match head.split_once('.') {
            Some((resource_type, class)) => (resource_type, Some(class)),
            None => (head, None),
        };
        let explain = |part: &str, reason: String| {
            format!("resource key `{text}`: {part} {reason}; write keys as `type[.class][#id]`")
        };
        names::resource_type(resource_type).map_err(|r| explain("the type is invalid:", r))?;
        if let Some(class) = class {
            names::resource_class(class).map_err(|r| explain("the class is invalid:", r))?;
        }
        if let Some(id) = id {
            names::resource_id(id).map_err(|r| explain("the id is invalid:", r))?;
        }
        Ok(Self::new(resource_type, class, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form_of_the_grammar() {
        let cases = [
            ("dns", "dns.default"),
            ("dns.external", "dns.external"),
            ("dns#shared.api", "dns.default#shared.api"),
            ("dns.external#shared.api", "dns.external#shared.api"),
        ];
        for (text, canonical) in cases {
            let key: ResourceKey = text.parse().unwrap();
            assert_eq!(key.to_string(), canonical, "{text}");
            assert_eq!(
                canonical.parse::<ResourceKey>().unwrap().to_string(),
                canonical
            );
            assert_eq!(
                key.written_class().is_some(),
                text.contains('.') && !text.starts_with("dns#")
            );
        }
    }

    proptest::proptest! {
        /// Keys with shared parts compare, order, hash and print as their parts as owned text
        /// (the representation before `Arc<str>`), and a clone is the same key.
        #[test]
        fn shared_parts_behave_as_owned_text(
            a in ("[a-c]{1,3}", proptest::option::of("[a-c]{1,3}"), proptest::option::of("[a-c.]{1,5}")),
            b in ("[a-c]{1,3}", proptest::option::of("[a-c]{1,3}"), proptest::option::of("[a-c.]{1,5}")),
        ) {
            use std::hash::BuildHasher;
            let owned = |(t, c, i): &(String, Option<String>, Option<String>)| {
                (t.clone(), c.clone().unwrap_or_else(|| "default".to_owned()), i.clone())
            };
            let key = |(t, c, i): &(String, Option<String>, Option<String>)| {
                ResourceKey::new(t.as_str(), c.as_deref(), i.as_deref())
            };
            let (ka, kb) = (key(&a), key(&b));
            proptest::prop_assert_eq!(ka == kb, owned(&a) == owned(&b));
            proptest::prop_assert_eq!(ka.cmp(&kb), owned(&a).cmp(&owned(&b)));
            let hasher = std::collections::hash_map::RandomState::new();
            if ka == kb {
                proptest::prop_assert_eq!(hasher.hash_one(&ka), hasher.hash_one(&kb));
            }
            let copy = ka.clone();
            proptest::prop_assert_eq!(&copy, &ka);
            proptest::prop_assert_eq!(copy.written_class(), a.1.as_deref());
            proptest::prop_assert_eq!(copy.id(), a.2.as_deref());
            let (t, c, i) = owned(&a);
            let text = i.map_or_else(|| format!("{t}.{c}"), |i| format!("{t}.{c}#{i}"));
            proptest::prop_assert_eq!(ka.to_string(), text);
        }
    }

    #[test]
    fn refuses_bad_parts_naming_the_part() {
        for (text, part) in [
            ("", "type"),
            ("DNS", "type"),
            ("dns.Ext", "class"),
            ("dns#Api", "id"),
            ("dns.#x", "class"),
        ] {
            let err = text.parse::<ResourceKey>().unwrap_err();
            assert!(
                err.message().contains(&format!("the {part} is invalid")),
                "{text}: {err}"
            );
        }
    }
}
