//! `Environment`: one instance of an environment type for one application.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `spec` of an `Environment` document; the document's `metadata.name` is the
/// environment id, unique per application.
///
/// ```
/// use goldpath::spec::platform::EnvironmentSpec;
///
/// let spec: EnvironmentSpec = serde_json::from_value(serde_json::json!({
///     "app": "shop", "type": "qa-light", "from": "development",
/// })).unwrap();
/// assert_eq!(spec.env_type, "qa-light");
/// assert!(!spec.ephemeral);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvironmentSpec {
    /// The application this environment belongs to.
    pub app: String,
    /// The environment type it instantiates.
    #[serde(rename = "type")]
    pub env_type: String,
    /// An environment of the same application whose latest workloads it starts from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Whether it is short-lived (a preview or pull-request environment).
    #[serde(default)]
    pub ephemeral: bool,
    /// Labels added to every object rendered in this environment.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}
