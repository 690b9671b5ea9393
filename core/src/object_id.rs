//! The identity of a Kubernetes object (`apiVersion`, `kind`, namespace, name): one type for
//! the diff of records ([`crate::deploy::diff`]) and for applying to a cluster (`apply`).

use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// Which object: the identity the API server knows it by. Serialized with camelCase keys
/// (`apiVersion`), as records and diffs write it; [`snake_case`] writes the keys of apply
/// reports (`api_version`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectId {
    /// `apiVersion` (`apps/v1`, `v1`).
    pub api_version: String,
    /// `kind` (`Deployment`).
    pub kind: String,
    /// The namespace; `None` for cluster-scoped objects and for namespaced objects that take
    /// the client's default namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
}

impl ObjectId {
    /// The identity of a manifest, or `None` when `apiVersion`, `kind` or `metadata.name` is
    /// missing.
    #[must_use]
    pub fn of(object: &Value) -> Option<Self> {
        let text = |pointer: &str| object.pointer(pointer).and_then(Value::as_str);
        Some(Self {
            api_version: text("/apiVersion")?.to_owned(),
            kind: text("/kind")?.to_owned(),
            namespace: text("/metadata/namespace").map(str::to_owned),
            name: text("/metadata/name")?.to_owned(),
        })
    }

    /// The identity of a manifest, a missing `apiVersion`, `kind` or name read as empty and
    /// the namespace kept: how a diff matches objects.
    #[must_use]
    pub fn of_any(object: &Value) -> Self {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        Self {
            api_version: text(&object["apiVersion"]),
            kind: text(&object["kind"]),
            namespace: object["metadata"]["namespace"].as_str().map(str::to_owned),
            name: text(&object["metadata"]["name"]),
        }
    }

    /// The identity of a manifest as far as it has one, `?` standing for what is missing: for
    /// reporting a manifest [`ObjectId::of`] refuses.
    #[must_use]
    pub fn partial(object: &Value) -> Self {
        let text = |pointer: &str| {
            object
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned()
        };
        Self {
            api_version: text("/apiVersion"),
            kind: text("/kind"),
            namespace: None,
            name: text("/metadata/name"),
        }
    }

    /// The API group (`apps`; empty for the core group).
    #[must_use]
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// The group-kind as ApplySets write it: `Deployment.apps`, or `Service` in the core group.
    #[must_use]
    pub fn group_kind(&self) -> String {
        group_kind(&self.kind, self.group())
    }

    /// Whether another object is the same one, whatever the version it is read through.
    #[must_use]
    pub fn same_object(&self, other: &Self) -> bool {
        self.group() == other.group()
            && self.kind == other.kind
            && self.namespace == other.namespace
            && self.name == other.name
    }

    /// The identity as diffs write it: `apps/v1 Deployment shop/web`.
    #[must_use]
    pub fn versioned(&self) -> Versioned<'_> {
        Versioned(self)
    }
}

/// An [`ObjectId`] written with its version: `apps/v1 Deployment shop/web`
/// ([`ObjectId::versioned`]).
#[derive(Debug, Clone, Copy)]
pub struct Versioned<'a>(&'a ObjectId);

impl fmt::Display for Versioned<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.0;
        write!(f, "{} {} ", id.api_version, id.kind)?;
        if let Some(namespace) = &id.namespace {
            write!(f, "{namespace}/")?;
        }
        f.write_str(&id.name)
    }
}

/// `Display`: `Deployment.apps shop/web`, the group-kind as ApplySets write it.
impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.group_kind())?;
        match &self.namespace {
            Some(ns) => write!(f, " {ns}/{}", self.name),
            None => write!(f, " {}", self.name),
        }
    }
}

/// `Kind.group`, or `Kind` alone in the core group.
#[must_use]
fn group_kind(kind: &str, group: &str) -> String {
    if group.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}.{group}")
    }
}

/// `#[serde(serialize_with)]` helpers writing [`ObjectId`]s with snake_case keys
/// (`api_version`), the form of apply reports.
pub mod snake_case {
    use serde::ser::{SerializeSeq, SerializeStruct};
    use serde::{Serialize, Serializer};

    use super::ObjectId;

    struct Snake<'a>(&'a ObjectId);

    impl Serialize for Snake<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let id = self.0;
            let fields = if id.namespace.is_some() { 4 } else { 3 };
            let mut out = serializer.serialize_struct("ObjectId", fields)?;
            out.serialize_field("api_version", &id.api_version)?;
            out.serialize_field("kind", &id.kind)?;
            if let Some(namespace) = &id.namespace {
                out.serialize_field("namespace", namespace)?;
            }
            out.serialize_field("name", &id.name)?;
            out.end()
        }
    }

    /// One identity.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S: Serializer>(id: &ObjectId, serializer: S) -> Result<S::Ok, S::Error> {
        Snake(id).serialize(serializer)
    }

    /// A list of identities.
    ///
    /// # Errors
    /// The serializer's.
    pub fn list<S: Serializer>(ids: &[ObjectId], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(ids.len()))?;
        for id in ids {
            seq.serialize_element(&Snake(id))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn web() -> ObjectId {
        let manifest = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop"}});
        ObjectId::of(&manifest).unwrap()
    }

    #[test]
    fn each_use_keeps_its_form() {
        assert_eq!(web().to_string(), "Deployment.apps shop/web");
        assert_eq!(web().versioned().to_string(), "apps/v1 Deployment shop/web");
        assert_eq!(
            serde_json::to_string(&web()).unwrap(),
            r#"{"apiVersion":"apps/v1","kind":"Deployment","namespace":"shop","name":"web"}"#
        );
        let mut out = serde_json::Serializer::new(Vec::new());
        snake_case::serialize(&web(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out.into_inner()).unwrap(),
            r#"{"api_version":"apps/v1","kind":"Deployment","namespace":"shop","name":"web"}"#
        );
    }

    #[test]
    fn a_manifest_without_a_name_has_an_identity_only_when_read_leniently() {
        let manifest = json!({"apiVersion": "v1", "kind": "Secret"});
        assert_eq!(ObjectId::of(&manifest), None);
        assert_eq!(ObjectId::of_any(&manifest).name, "");
        assert_eq!(ObjectId::partial(&manifest).name, "?");
    }
}
