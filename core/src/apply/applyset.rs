//! ApplySets (KEP-3659), as `kubectl apply --applyset` writes them: a parent Secret per
//! application and environment whose id every member carries in the label
//! `applyset.kubernetes.io/part-of`, and whose annotations list the group-kinds and namespaces
//! the members live in, so that pruning knows where to look.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::platform::Context;
use crate::validate::names::shorten_name;

/// The label every member carries, valued with the set's id.
pub const PART_OF_LABEL: &str = "applyset.kubernetes.io/part-of";
/// The label of the parent, valued with the set's id.
pub const ID_LABEL: &str = "applyset.kubernetes.io/id";
/// The annotation naming the tool that manages the set; other tools leave the set alone.
pub const TOOLING_ANNOTATION: &str = "applyset.kubernetes.io/tooling";
/// The annotation listing the members' group-kinds, sorted and comma-separated.
pub const GROUP_KINDS_ANNOTATION: &str = "applyset.kubernetes.io/contains-group-kinds";
/// The annotation listing the members' namespaces other than the parent's.
pub const NAMESPACES_ANNOTATION: &str = "applyset.kubernetes.io/additional-namespaces";
/// The tooling value goldpath writes: `goldpath/<version>`.
pub const TOOLING: &str = concat!("goldpath/v", env!("CARGO_PKG_VERSION"));

/// The ApplySet of one application in one environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplySet {
    /// The name of the parent Secret: `goldpath.<app>.<env>`, shortened with a hash when long.
    pub parent_name: String,
    /// The namespace of the parent Secret.
    pub parent_namespace: String,
    /// The id, `applyset-<base64url(sha256(name.namespace.Secret.))>-v1`.
    pub id: String,
}

impl ApplySet {
    /// The set of `context`'s application and environment, with its parent in `namespace`.
    #[must_use]
    pub fn new(context: &Context, namespace: &str) -> Self {
        let parent_name = shorten_name(&format!("goldpath.{}.{}", context.app, context.env), 253);
        let id = applyset_id(&parent_name, namespace, "Secret", "");
        Self {
            parent_name,
            parent_namespace: namespace.to_owned(),
            id,
        }
    }

    /// Adds the member label to a manifest.
    pub fn label_member(&self, object: &mut Value) {
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            let labels = meta.entry("labels").or_insert_with(|| json!({}));
            if let Some(labels) = labels.as_object_mut() {
                labels.insert(PART_OF_LABEL.to_owned(), Value::from(self.id.clone()));
            }
        }
    }

    /// The label selector of the set's members.
    #[must_use]
    pub fn selector(&self) -> String {
        format!("{PART_OF_LABEL}={}", self.id)
    }

    /// The parent Secret recording `group_kinds` and `namespaces` (the parent's own is left
    /// out, as the spec asks; the annotation is left out when no other namespace remains).
    #[must_use]
    pub fn parent(&self, group_kinds: &BTreeSet<String>, namespaces: &BTreeSet<String>) -> Value {
        let join = |items: Vec<&str>| items.join(",");
        let others = namespaces
            .iter()
            .map(String::as_str)
            .filter(|ns| *ns != self.parent_namespace)
            .collect();
        let mut annotations = json!({
            TOOLING_ANNOTATION: TOOLING,
            GROUP_KINDS_ANNOTATION: join(group_kinds.iter().map(String::as_str).collect()),
        });
        let others: Vec<&str> = others;
        if !others.is_empty() {
            annotations[NAMESPACES_ANNOTATION] = Value::from(join(others));
        }
        json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": self.parent_name,
                "namespace": self.parent_namespace,
                "labels": {ID_LABEL: self.id},
                "annotations": annotations,
            },
        })
    }
}

/// What a parent found in the cluster records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub group_kinds: BTreeSet<String>,
    pub namespaces: BTreeSet<String>,
    pub tooling: Option<String>,
}

impl Recorded {
    /// Reads the annotations of a live parent.
    pub(crate) fn read(parent: &Value, parent_namespace: &str) -> Self {
        let annotation = |key: &str| {
            parent
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(key))
                .and_then(Value::as_str)
        };
        let list = |key: &str| -> BTreeSet<String> {
            annotation(key)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut namespaces = list(NAMESPACES_ANNOTATION);
        namespaces.insert(parent_namespace.to_owned());
        Self {
            group_kinds: list(GROUP_KINDS_ANNOTATION),
            namespaces,
            tooling: annotation(TOOLING_ANNOTATION).map(str::to_owned),
        }
    }

    /// Whether the set belongs to goldpath (or to nobody yet).
    pub(crate) fn is_goldpaths(&self) -> bool {
        self.tooling
            .as_deref()
            .is_none_or(|t| t.split('/').next() == Some("goldpath"))
    }
}

/// The v1 ApplySet id of a parent: `applyset-` + URL-safe unpadded base64 of the SHA-256 of
/// `<name>.<namespace>.<kind>.<group>` + `-v1`.
#[must_use]
pub fn applyset_id(name: &str, namespace: &str, kind: &str, group: &str) -> String {
    let digest = Sha256::digest(format!("{name}.{namespace}.{kind}.{group}").as_bytes());
    format!("applyset-{}-v1", crate::encoding::base64_url(&digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_kubectls_hash_of_the_parent() {
        // sha256("goldpath.shop.dev.shop.Secret.") in URL-safe base64, computed independently
        // with Python's hashlib and base64.urlsafe_b64encode.
        let set = ApplySet::new(&Context::new("shop", "dev", "development"), "shop");
        assert_eq!(set.parent_name, "goldpath.shop.dev");
        assert_eq!(set.id, EXPECTED_ID);
        assert_eq!(set.id.len(), "applyset-".len() + 43 + "-v1".len());
    }

    const EXPECTED_ID: &str = "applyset-Zdz0zvRtsL61bWTzZbmBiRS5TBlBrXl4rOiJDt_oywM-v1";

    #[test]
    fn sets_of_other_environments_have_other_ids() {
        let dev = ApplySet::new(&Context::new("shop", "dev", "development"), "shop");
        let prod = ApplySet::new(&Context::new("shop", "prod", "development"), "shop");
        assert_ne!(dev.id, prod.id);
    }

    #[test]
    fn the_parent_records_kinds_and_other_namespaces() {
        let set = ApplySet::new(&Context::new("shop", "dev", "development"), "shop");
        let kinds = ["Service".to_owned(), "Deployment.apps".to_owned()].into();
        let namespaces = ["shop".to_owned(), "extra".to_owned()].into();
        let parent = set.parent(&kinds, &namespaces);
        let annotations = &parent["metadata"]["annotations"];
        assert_eq!(
            annotations[GROUP_KINDS_ANNOTATION],
            "Deployment.apps,Service"
        );
        assert_eq!(annotations[NAMESPACES_ANNOTATION], "extra");
        let read = Recorded::read(&parent, "shop");
        assert_eq!(read.group_kinds, kinds);
        assert_eq!(read.namespaces, namespaces);
        assert!(read.is_goldpaths());
    }

    #[test]
    fn a_set_of_another_tool_is_not_goldpaths() {
        let parent = json!({"metadata": {"annotations": {TOOLING_ANNOTATION: "kubectl/v1.27"}}});
        assert!(!Recorded::read(&parent, "shop").is_goldpaths());
    }
}
