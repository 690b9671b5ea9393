//! What a driver returns: outputs, secret outputs and manifests.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::sensitive::{REDACTED, SecretValue, Sensitive};

/// The result of provisioning one resource.
///
/// `Debug` shows the outputs and manifests with the `data` and `stringData` of every `Secret`
/// manifest masked, and secret values as `***`; `Display` lists names only.
///
/// ```
/// use goldpath::drivers::Provisioned;
/// use goldpath::sensitive::SecretValue;
/// use serde_json::json;
///
/// let mut provisioned = Provisioned::default();
/// provisioned.outputs.insert("host".into(), json!("db.internal"));
/// provisioned.secrets.insert("password".into(), SecretValue::value("s3cret-s3cret"));
/// provisioned.manifests.push(json!({
///     "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
///     "stringData": {"password": "s3cret-s3cret"},
/// }));
/// assert_eq!(provisioned.to_string(), "outputs: host; secrets: password; manifests: Secret/db");
/// assert!(!format!("{provisioned:?}").contains("s3cret"));
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct Provisioned {
    /// Non-secret outputs, by name.
    pub outputs: Map<String, Value>,
    /// Secret outputs, by name.
    pub secrets: BTreeMap<String, SecretValue>,
    /// Kubernetes objects the resource needs (a StatefulSet, a Service, a Secret, ...).
    pub manifests: Vec<Value>,
    /// Secret values the driver used without returning them as secret outputs (the template
    /// driver's `generated(name)` values): the plan registers them with the secret outputs
    /// ([`crate::secrets::SecretRegistry::register_provisioned`]) and refuses them anywhere but
    /// in a Secret's data.
    pub sensitive: Vec<Sensitive<String>>,
}

pub(crate) use crate::secrets::SECRET_DATA_FIELDS;

/// The `kind` of a manifest, `""` when it has none.
pub(crate) fn kind_of(manifest: &Value) -> &str {
    manifest.get("kind").and_then(Value::as_str).unwrap_or("")
}

/// `Kind/name` of a manifest, as messages name it.
pub(crate) fn describe_manifest(manifest: &Value) -> String {
    let name = manifest
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)");
    let kind = match kind_of(manifest) {
        "" => "(no kind)",
        kind => kind,
    };
    format!("{kind}/{name}")
}

/// The manifest with the values of a Secret's `data` and `stringData` replaced by `***`.
fn masked(manifest: &Value) -> Value {
    let mut copy = manifest.clone();
    if kind_of(manifest) != "Secret" {
        return copy;
    }
    for field in SECRET_DATA_FIELDS {
        if let Some(Value::Object(entries)) = copy.get_mut(field) {
            entries
                .values_mut()
                .for_each(|v| *v = Value::from(REDACTED));
        } else if let Some(other) = copy.get_mut(field) {
            *other = Value::from(REDACTED);
        }
    }
    copy
}

impl fmt::Debug for Provisioned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let manifests: Vec<Value> = self.manifests.iter().map(masked).collect();
        f.debug_struct("Provisioned")
            .field("outputs", &self.outputs)
            .field("secrets", &self.secrets)
            .field("manifests", &manifests)
            .finish()
    }
}

impl fmt::Display for Provisioned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outputs: Vec<&str> = self.outputs.keys().map(String::as_str).collect();
        let secrets: Vec<&str> = self.secrets.keys().map(String::as_str).collect();
        let manifests: Vec<String> = self.manifests.iter().map(describe_manifest).collect();
        write!(
            f,
            "outputs: {}; secrets: {}; manifests: {}",
            list(&outputs),
            list(&secrets),
            list(&manifests)
        )
    }
}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return "none".to_owned();
    }
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn display_of_nothing_says_none() {
        assert_eq!(
            Provisioned::default().to_string(),
            "outputs: none; secrets: none; manifests: none"
        );
        assert_eq!(describe_manifest(&json!({})), "(no kind)/(unnamed)");
    }

    #[test]
    fn debug_keeps_non_secret_manifests_as_they_are() {
        let mut provisioned = Provisioned::default();
        provisioned
            .manifests
            .push(json!({"kind": "ConfigMap", "data": {"a": "visible-text"}}));
        assert!(format!("{provisioned:?}").contains("visible-text"));
    }

    proptest! {
        #[test]
        fn formatting_never_shows_secret_values(secret in "[ -~]{8,40}") {
            let mut provisioned = Provisioned::default();
            provisioned.outputs.insert("host".into(), json!("db"));
            provisioned.secrets.insert("password".into(), SecretValue::value(secret.clone()));
            provisioned.manifests.push(json!({
                "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
                "stringData": {"password": secret}, "data": secret,
            }));
            for shown in [format!("{provisioned:?}"), format!("{provisioned:#?}"), provisioned.to_string()] {
                prop_assert!(!shown.contains(&secret), "{shown}");
            }
        }
    }
}
