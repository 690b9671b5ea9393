//! A workload's placeholders (`${metadata...}`, `${resources.NAME...}`) against what has been
//! resolved: as JSON values (resource params) or as pieces that keep secrets apart (variables
//! and files).

use std::collections::BTreeMap;

use serde_json::Value;

use super::budget::Meter;
use super::state::{ResourceState, State, as_secret_ref};
use crate::canonical_json::canonical_json;
use crate::placeholder::{self, Part, Reference, Resolver, lookup};
use crate::render::input::{Piece, Resolved};
use crate::spec::score::Workload;
use crate::{ErrorKind, ResourceKey};

/// The placeholders of one workload.
pub(crate) struct WorkloadScope<'a> {
    pub workload: &'a Workload,
    pub keys: BTreeMap<String, ResourceKey>,
    pub state: &'a State,
    /// The plan's budgets.
    pub meter: &'a Meter,
}

impl<'a> WorkloadScope<'a> {
    pub fn new(workload: &'a Workload, state: &'a State, meter: &'a Meter) -> Self {
        let name = &workload.metadata.name;
        let keys = workload
            .resources
            .iter()
            .map(|(local, r)| {
                let id = r.id.clone().unwrap_or_else(|| format!("{name}.{local}"));
                (
                    local.clone(),
                    ResourceKey::new(&r.resource_type, Some(r.class()), Some(&id)),
                )
            })
            .collect();
        Self {
            workload,
            keys,
            state,
            meter,
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
            .resource(key)
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

    /// The pieces of a string: author text, output text and secret references apart. The
    /// text of the pieces may not pass `Limits::max_value_bytes` (a [`ErrorKind::Limit`]
    /// error, before the piece that would pass it is kept).
    pub fn pieces(&self, text: &str) -> Result<Resolved, (ErrorKind, String)> {
        let template = placeholder::parse(text).map_err(|e| {
            let message = format!("at column {}: {}", e.column, e.message);
            (ErrorKind::Placeholder, message)
        })?;
        let mut pieces = Vec::new();
        let mut bytes = 0;
        for part in template.parts() {
            let piece = match part {
                Part::Text(t) => Piece::Text(t.clone()),
                Part::Placeholder(reference) => {
                    let value = self.lookup(reference).map_err(|e| {
                        let message = format!("`{}`: {e}", reference.to_placeholder());
                        (ErrorKind::Placeholder, message)
                    })?;
                    match as_secret_ref(&value) {
                        Some(secret) => Piece::Secret(secret),
                        None => Piece::Output(match value {
                            Value::String(s) => s,
                            other => canonical_json(&other),
                        }),
                    }
                }
            };
            if let Piece::Text(t) | Piece::Output(t) = &piece {
                bytes += t.len();
                let what = format!("the value (at column {} of the text)", part_column(part));
                self.meter
                    .value(bytes, &what)
                    .map_err(|e| (ErrorKind::Limit, e.message().to_owned()))?;
            }
            pieces.push(piece);
        }
        Ok(Resolved(pieces))
    }
}

/// The column of a part within its text, for messages (1 for text).
fn part_column(part: &Part) -> usize {
    match part {
        Part::Placeholder(reference) => reference.column(),
        Part::Text(_) => 1,
    }
}

impl Resolver for WorkloadScope<'_> {
    fn resolve(&self, reference: &Reference) -> Result<Value, String> {
        self.lookup(reference)
    }

    fn max_value_bytes(&self) -> usize {
        self.meter.limits().max_value_bytes
    }
}
