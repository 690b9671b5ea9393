//! A workload's placeholders (`${metadata...}`, `${resources.NAME...}`) against what has been
//! resolved: as JSON values (resource params) or as pieces that keep secrets apart (variables
//! and files).

use std::collections::BTreeMap;

use serde_json::Value;

use super::state::{ResourceState, State, as_secret_ref};
use crate::ResourceKey;
use crate::placeholder::{self, Part, Reference, Resolver, canonical_json, lookup};
use crate::render::input::{Piece, Resolved};
use crate::spec::score::Workload;

/// The placeholders of one workload.
pub(crate) struct WorkloadScope<'a> {
    pub workload: &'a Workload,
    pub keys: BTreeMap<String, ResourceKey>,
    pub state: &'a State,
}

impl<'a> WorkloadScope<'a> {
    pub fn new(workload: &'a Workload, state: &'a State) -> Self {
        let name = &workload.metadata.name;
        let keys = workload
            .resources
            .iter()
            .map(|(local, r)| {
                let id = r.id.clone().unwrap_or_else(|| format!("{name}.{local}"));
                (
                    local.clone(),
                    ResourceKey::new(&r.kind, Some(r.class()), Some(&id)),
                )
            })
            .collect();
        Self {
            workload,
            keys,
            state,
        }
    }

    /// The state of the resource the workload calls `local`.
    pub fn resource(&self, local: &str) -> Result<&ResourceState, String> {
        let key = self.keys.get(local).ok_or_else(|| {
            let known: Vec<&str> = self.keys.keys().map(String::as_str).collect();
            format!(
                "this workload declares no resource `{local}`; its resources: {}",
                known.join(", ")
            )
        })?;
        self.state
            .resources
            .get(key)
            .ok_or_else(|| format!("resource `{key}` was not provisioned"))
    }

    fn lookup(&self, reference: &Reference) -> Result<Value, String> {
        match reference.segments() {
            [root, rest @ ..] if root == "metadata" && !rest.is_empty() => {
                let metadata = serde_json::to_value(&self.workload.metadata).map_err(|e| e.to_string())?;
                lookup(&metadata, rest).cloned().map_err(|e| format!("metadata: {e}"))
            }
            [root, local, rest @ ..] if root == "resources" && !rest.is_empty() => {
                let outputs = self.resource(local)?.visible();
                lookup(&outputs, rest).cloned().map_err(|e| format!("resource `{local}`: {e}"))
            }
            _ => Err("use `${metadata.KEY}` or `${resources.NAME.OUTPUT}`; write `$${` for a literal `${`".to_owned()),
        }
    }

    /// The pieces of a string: author text, output text and secret references apart.
    pub fn pieces(&self, text: &str) -> Result<Resolved, String> {
        let template = placeholder::parse(text)
            .map_err(|e| format!("at column {}: {}", e.column, e.message))?;
        let mut pieces = Vec::new();
        for part in template.parts() {
            match part {
                Part::Text(t) => pieces.push(Piece::Text(t.clone())),
                Part::Placeholder(reference) => {
                    let value = self
                        .lookup(reference)
                        .map_err(|e| format!("`{}`: {e}", reference.to_placeholder()))?;
                    pieces.push(match as_secret_ref(&value) {
                        Some(secret) => Piece::Secret(secret),
                        None => Piece::Output(match value {
                            Value::String(s) => s,
                            other => canonical_json(&other),
                        }),
                    });
                }
            }
        }
        Ok(Resolved(pieces))
    }
}

impl Resolver for WorkloadScope<'_> {
    fn resolve(&self, reference: &Reference) -> Result<Value, String> {
        self.lookup(reference)
    }
}
