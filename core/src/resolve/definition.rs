//! The resolver a driver gets for the placeholders of its definition: `context.*`,
//! `params.*`, `resources.KEY.outputs...` (class and id inherited) and selectors.

use serde_json::{Value, json};

use super::state::State;
use crate::ResourceKey;
use crate::graph::references::{Target, key_text, parse_target};
use crate::graph::{ResourceGraph, select};
use crate::placeholder::{Reference, Resolver, lookup};
use crate::platform::Context;

/// Answers a definition's placeholders for one resource.
pub(crate) struct DefinitionResolver<'a> {
    pub key: &'a ResourceKey,
    pub guid: &'a str,
    pub context: &'a Context,
    pub params: &'a serde_json::Map<String, Value>,
    pub graph: &'a ResourceGraph,
    pub state: &'a State,
    /// The most bytes one substituted string may have (`Limits::max_value_bytes`).
    pub max_value_bytes: usize,
    /// `context.workload` of a `workload` resource ([`crate::patches::workload_context`]).
    pub workload: Option<&'a Value>,
}

impl DefinitionResolver<'_> {
    fn context_tree(&self) -> Value {
        let c = self.context;
        let mut tree = json!({
            "app": {"id": c.app},
            "env": {"id": c.env, "type": c.env_type},
            "res": {
                "id": self.key.id().unwrap_or_default(),
                "type": self.key.resource_type(),
                "class": self.key.class(),
                "key": self.key.to_string(),
                "guid": self.guid,
            },
        });
        if let Some(workload) = self.workload {
            tree["workload"] = workload.clone();
        }
        tree
    }

    fn resource(&self, reference: &Reference) -> Result<Value, String> {
        let text = key_text(reference).unwrap_or_default();
        let segments = reference.segments();
        let rest_at = segments
            .iter()
            .skip(1)
            .position(|s| s == "outputs")
            .map(|i| i + 1);
        let Some(rest_at) = rest_at else {
            return Err(
                "a resource reference reads outputs: `${resources.TYPE.outputs.NAME}`".to_owned(),
            );
        };
        let path = &segments[rest_at + 1..];
        match parse_target(&text)? {
            Target::Reference(written) => {
                let class = written
                    .written_class()
                    .unwrap_or(self.key.class())
                    .to_owned();
                let key = ResourceKey::new(
                    written.resource_type(),
                    Some(&class),
                    written.id().or(self.key.id()),
                );
                let outputs = self.outputs_of(&key)?;
                lookup(&outputs, path)
                    .cloned()
                    .map_err(|e| format!("resource `{key}`: {e}"))
            }
            Target::Selector(_) => {
                let keys =
                    select(self.graph, self.key, &text).map_err(|e| e.message().to_owned())?;
                let mut values = Vec::with_capacity(keys.len());
                for key in keys {
                    let outputs = self.outputs_of(&key)?;
                    values.push(lookup(&outputs, path).cloned().unwrap_or(Value::Null));
                }
                Ok(Value::Array(values))
            }
        }
    }

    fn outputs_of(&self, key: &ResourceKey) -> Result<Value, String> {
        self.state
            .resource(key)
            .map(super::state::ResourceState::visible)
            .ok_or_else(|| {
                format!(
                    "resource `{key}` has not been provisioned before `{}`",
                    self.key
                )
            })
    }
}

impl Resolver for DefinitionResolver<'_> {
    fn resolve(&self, reference: &Reference) -> Result<Value, String> {
        let segments = reference.segments();
        match reference.root() {
            "context" => lookup(&json!({"context": self.context_tree()}), segments).cloned(),
            "params" => lookup(&json!({"params": self.params}), segments).cloned(),
            "resources" => self.resource(reference),
            other => Err(format!(
                "unknown root `{other}`: definitions may use `context`, `params` and `resources`; write `$${{` for a literal `${{`"
            )),
        }
    }

    fn max_value_bytes(&self) -> usize {
        self.max_value_bytes
    }
}
