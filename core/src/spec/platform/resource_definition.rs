//! `ResourceDefinition`: how a resource type is made, and in which contexts (criteria).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The class of a request or criterion that names none.
pub const DEFAULT_CLASS: &str = "default";

/// The name of the built-in driver that renders minijinja templates.
pub const TEMPLATE_DRIVER: &str = "template";

/// The name of the built-in driver whose outputs are its inputs.
pub const STATIC_DRIVER: &str = "static";

/// The `spec` of a `ResourceDefinition` document.
///
/// ```
/// use goldpath::spec::platform::ResourceDefinitionSpec;
///
/// let spec: ResourceDefinitionSpec = serde_json::from_value(serde_json::json!({
///     "type": "postgres",
///     "driver": "static",
///     "criteria": [{"envType": "production"}],
///     "inputs": {"values": {"host": "db.internal"}},
/// })).unwrap();
/// assert_eq!(spec.criteria[0].class, "default");
/// assert_eq!(spec.criteria[0].env_type.as_deref(), Some("production"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceDefinitionSpec {
    /// The resource type this definition provisions (`postgres`, `dns`, ...).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The driver that provisions it: `template`, `static`, or a driver a host registered.
    pub driver: String,
    /// What this definition is for, shown by `explain` and catalogues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The contexts this definition serves; the most specific matching criterion of all
    /// definitions of the type wins. No criteria: the definition never matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
    /// The driver's inputs.
    #[serde(default, skip_serializing_if = "DriverInputs::is_empty")]
    pub inputs: DriverInputs,
    /// Resources co-provisioned with this one, keyed `TYPE[.CLASS][#ID]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provision: BTreeMap<String, Provision>,
    /// The templates of the `template` driver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<Templates>,
    /// The non-secret outputs this definition promises, for discoverability.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected_outputs: Vec<String>,
    /// The secret outputs this definition promises, for discoverability.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected_secrets: Vec<String>,
}

/// One matching criterion: every field it sets must equal the context.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Criterion {
    /// The environment type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_type: Option<String>,
    /// The environment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// The application id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The resource id (`<workload>.<resource>` for private resources, the Score `id` for
    /// shared ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub res_id: Option<String>,
    /// The resource class; a filter, never a rank. Defaults to `default`.
    #[serde(default = "default_class")]
    pub class: String,
}

fn default_class() -> String {
    DEFAULT_CLASS.to_owned()
}

/// The inputs a driver receives besides the request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DriverInputs {
    /// Non-secret values, any JSON; strings may hold `${...}` placeholders.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, serde_json::Value>,
    /// Secret values, each a literal or a reference to an existing Kubernetes Secret.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, SecretInput>,
}

impl DriverInputs {
    /// Whether no input is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.secrets.is_empty()
    }
}

/// A secret input: a reference to a Kubernetes Secret key, or a literal value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SecretInput {
    /// A key of a Secret that exists in the environment's namespace.
    Ref(SecretRef),
    /// A literal value; keep production credentials out of platform files.
    Value(String),
}

/// `{secretKeyRef: {name, key}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretRef {
    /// The Secret and key.
    pub secret_key_ref: SecretKeySelector,
}

/// A key of a Kubernetes Secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretKeySelector {
    /// The Secret's name; may hold `${context.*}` placeholders.
    pub name: String,
    /// The key inside the Secret.
    pub key: String,
}

/// A co-provisioned resource: added to the graph whenever the defining resource is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Provision {
    /// The co-provisioned resource depends on this one (edge `co → this`).
    #[serde(default)]
    pub is_dependent: bool,
    /// Everything that depends on this resource also depends on the co-provisioned one.
    #[serde(default)]
    pub match_dependents: bool,
    /// Params handed to the co-provisioned resource's driver; placeholders allowed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, serde_json::Value>,
}

/// The minijinja templates of the `template` driver. Each renders to YAML; variables are
/// `context` (`app.id`, `env.id`, `env.type`, `res.id|type|class|key|guid`), `inputs`
/// (`values`, `secrets`) and `params`; `generated(name)` yields a derived secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Templates {
    /// Renders to a mapping of non-secret outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<String>,
    /// Renders to a mapping of secret outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<String>,
    /// Renders to a list of Kubernetes objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifests: Option<String>,
}

impl Templates {
    /// Whether no template is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.outputs.is_none() && self.secrets.is_none() && self.manifests.is_none()
    }
}

impl std::fmt::Display for Criterion {
    /// The criterion as a user writes it: the fields it sets, class only when not `default`
    /// (`{envType: production, class: large}`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let class = Some(self.class.as_str()).filter(|class| *class != DEFAULT_CLASS);
        let fields = [
            ("envType", self.env_type.as_deref()),
            ("env", self.env.as_deref()),
            ("app", self.app.as_deref()),
            ("resId", self.res_id.as_deref()),
            ("class", class),
        ];
        let set = fields.iter().filter_map(|(k, v)| v.map(|v| (k, v)));
        f.write_str("{")?;
        for (n, (key, value)) in set.enumerate() {
            let separator = if n == 0 { "" } else { ", " };
            write!(f, "{separator}{key}: {value}")?;
        }
        f.write_str("}")
    }
}
