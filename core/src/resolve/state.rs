//! What resolution has produced so far: each provisioned resource's outputs, secret
//! references and manifests, and the secret values goldpath itself renders into Secrets.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

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
    /// Set when this is a view of a few resources ([`State::view`]) and something asked for
    /// a resource the view does not hold.
    missed: Option<AtomicBool>,
}

/// A driver's result as the state keeps it, made on any thread ([`Recorded::new`]) and put
/// in the state in graph order ([`State::insert`]).
#[derive(Debug)]
pub(crate) struct Recorded {
    /// The resource as later stages see it (its manifests included).
    pub state: ResourceState,
    /// The secret values of its Secret, by reference.
    secret_values: Vec<(SecretRef, Sensitive<String>)>,
    /// What the registry learns from it, in the order it registers them.
    registered: Vec<Sensitive<String>>,
}

impl Recorded {
    /// A driver's result for `key`: secret values go into a Secret named after the
    /// resource's guid, and become references to it.
    pub fn new(key: &ResourceKey, guid: &str, provisioned: Provisioned) -> Self {
        let registered = SecretRegistry::provisioned_values(&provisioned)
            .cloned()
            .collect();
        let mut secrets = BTreeMap::new();
        let mut secret_values = Vec::new();
        let mut data = Map::new();
        let mut secret_name = None;
        for (name, value) in provisioned.secrets {
            let reference = match value {
                SecretValue::Ref { name, key } => SecretRef { name, key },
                SecretValue::Value(text) => {
                    let secret_name = secret_name.get_or_insert_with(|| {
                        let name = format!("{}-{guid}-secrets", key.resource_type());
                        crate::validate::names::shorten_name(&name, 253)
                    });
                    let reference = SecretRef {
                        name: secret_name.clone(),
                        key: name.clone(),
                    };
                    data.insert(name.clone(), Value::from(base64(text.expose().as_bytes())));
                    secret_values.push((reference.clone(), text));
                    reference
                }
            };
            secrets.insert(name, reference);
        }
        let mut manifests = provisioned.manifests;
        if let Some(secret_name) = secret_name {
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
        Self {
            state,
            secret_values,
            registered,
        }
    }
}

impl State {
    /// An empty state whose secrets go to `registry`.
    pub fn with_registry(registry: std::sync::Arc<SecretRegistry>) -> Self {
        Self {
            registry,
            ..Self::default()
        }
    }

    /// Puts a result made by [`Recorded::new`] in the state, its secret values registered.
    pub fn insert(&mut self, key: &ResourceKey, recorded: Recorded) {
        for value in &recorded.registered {
            self.registry.register(key, value);
        }
        self.secret_values.extend(recorded.secret_values);
        self.resources.insert(key.clone(), recorded.state);
    }

    /// A state that holds `resources` alone and registers secrets in a registry of its own:
    /// what a resource provisioned ahead of graph order sees ([`State::missed`]).
    pub fn view(resources: HashMap<ResourceKey, ResourceState>) -> Self {
        Self {
            resources,
            missed: Some(AtomicBool::new(false)),
            ..Self::default()
        }
    }

    /// The state of the resource `key`, if it has been provisioned.
    pub fn resource(&self, key: &ResourceKey) -> Option<&ResourceState> {
        let found = self.resources.get(key);
        if let (None, Some(missed)) = (found, &self.missed) {
            missed.store(true, Relaxed);
        }
        found
    }

    /// Whether this view was asked for a resource it does not hold (what it made may not be
    /// what the whole state gives).
    pub fn missed(&self) -> bool {
        self.missed.as_ref().is_some_and(|m| m.load(Relaxed))
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
        state.insert(&key, Recorded::new(&key, "0123456789abcdef", provisioned));
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
