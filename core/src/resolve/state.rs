//! What resolution has produced so far: each provisioned resource's outputs, secret
//! references and manifests, and the secret values goldpath itself renders into Secrets.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use crate::ResourceKey;
use crate::drivers::Provisioned;
pub(crate) use crate::encoding::base64;
use crate::render::input::SecretRef;
use crate::secrets::SecretRegistry;
use crate::sensitive::{SecretValue, Sensitive};

/// A provisioned resource, as later stages see it: secrets only as references.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceState {
    /// The non-secret outputs.
    pub outputs: Map<String, Value>,
    /// The secret outputs, by name, as Secret keys.
    pub secrets: BTreeMap<String, SecretRef>,
    /// The manifests the resource's definition rendered, plus the Secret goldpath renders for
    /// secret values the driver returned.
    pub manifests: Vec<Value>,
    /// For a resource of a driver that acts on the world, what the deployment record keeps
    /// (boxed: few resources have one, and a plan keeps a state per resource in a table).
    pub driver: Option<Box<crate::drivers::DriverRecord>>,
}

impl ResourceState {
    /// The outputs seen by placeholders: non-secret outputs, and secret outputs as
    /// `{"secretKeyRef": {"name", "key"}}` objects.
    pub(crate) fn visible(&self) -> Value {
        let mut all = self.outputs.clone();
        for (name, reference) in &self.secrets {
            all.insert(name.clone(), secret_ref_value(reference));
        }
        Value::Object(all)
    }
}

/// The JSON form of a reference to a Secret key.
pub(crate) fn secret_ref_value(reference: &SecretRef) -> Value {
    json!({"secretKeyRef": {"name": reference.name, "key": reference.key}})
}

/// The reference a `{"secretKeyRef": {"name", "key"}}` value stands for.
pub(crate) fn as_secret_ref(value: &Value) -> Option<SecretRef> {
    let inner = value.get("secretKeyRef")?;
    let name = inner.get("name")?.as_str()?.to_owned();
    let key = inner.get("key")?.as_str()?.to_owned();
    (value.as_object()?.len() == 1).then_some(SecretRef { name, key })
}

/// Everything resolved so far.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub resources: HashMap<ResourceKey, ResourceState>,
    /// The values of the Secrets goldpath renders, by reference: needed to compose a file
    /// that mixes text and secrets, never printed.
    pub secret_values: HashMap<SecretRef, Sensitive<String>>,
    /// Every secret value met, for the plan's secret check.
    pub registry: std::sync::Arc<SecretRegistry>,
}

impl State {
    /// Records a driver's result for `key`: secret values go into a Secret named after the
    /// resource's guid, and become references to it.
    pub fn record(&mut self, key: &ResourceKey, guid: &str, provisioned: Provisioned) {
        self.registry.register_provisioned(key, &provisioned);
        let secret_name = format!("{}-{guid}-secrets", key.resource_type());
        let secret_name = crate::validate::names::shorten_name(&secret_name, 253);
        let mut secrets = BTreeMap::new();
        let mut data = Map::new();
        for (name, value) in provisioned.secrets {
            let reference = match value {
                SecretValue::Ref { name, key } => SecretRef { name, key },
                SecretValue::Value(text) => {
                    let reference = SecretRef {
                        name: secret_name.clone(),
                        key: name.clone(),
                    };
                    data.insert(name.clone(), Value::from(base64(text.expose().as_bytes())));
                    self.secret_values.insert(reference.clone(), text);
                    reference
                }
            };
            secrets.insert(name, reference);
        }
        let mut manifests = provisioned.manifests;
        if !data.is_empty() {
            manifests.push(json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": secret_name},
                "type": "Opaque",
                "data": data,
            }));
        }
        let state = ResourceState {
            outputs: provisioned.outputs,
            secrets,
            manifests,
            driver: None,
        };
        self.resources.insert(key.clone(), state);
    }

    /// Keeps `record` with the resource `key` (recorded already), with its outputs and its
    /// secrets as the references the plan uses.
    pub fn keep_driver_record(
        &mut self,
        key: &ResourceKey,
        mut record: crate::drivers::DriverRecord,
    ) {
        let Some(resource) = self.resources.get_mut(key) else {
            return;
        };
        record.outputs = resource.outputs.clone();
        record.secrets = resource
            .secrets
            .iter()
            .map(|(n, r)| {
                let key = crate::drivers::SecretKey {
                    name: r.name.clone(),
                    key: r.key.clone(),
                };
                (n.clone(), key)
            })
            .collect();
        resource.driver = Some(Box::new(record));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_become_references_to_a_secret_of_the_resource() {
        let mut state = State::default();
        let key: ResourceKey = "redis#web.cache".parse().unwrap();
        let mut provisioned = Provisioned::default();
        provisioned
            .secrets
            .insert("password".into(), SecretValue::value("s3cr3t-value"));
        provisioned.secrets.insert(
            "token".into(),
            SecretValue::Ref {
                name: "t".into(),
                key: "k".into(),
            },
        );
        state.record(&key, "0123456789abcdef", provisioned);
        let resource = &state.resources[&key];
        assert_eq!(
            resource.secrets["password"],
            SecretRef {
                name: "redis-0123456789abcdef-secrets".into(),
                key: "password".into()
            }
        );
        assert_eq!(
            resource.secrets["token"],
            SecretRef {
                name: "t".into(),
                key: "k".into()
            }
        );
        assert_eq!(
            resource.manifests[0]["data"]["password"],
            base64(b"s3cr3t-value")
        );
        assert_eq!(
            as_secret_ref(&resource.visible()["token"]),
            Some(SecretRef {
                name: "t".into(),
                key: "k".into()
            })
        );
        assert!(!resource.visible().to_string().contains("s3cr3t"));
    }
}
