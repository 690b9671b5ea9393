//! What the output step does ahead, on the thread that checks an object, so that the plan's
//! own thread, which puts objects out one after the other, has less to do per object: when
//! the plan is written as YAML, each object's YAML document is written where it was checked
//! ([`written`]) and the plan's thread only copies it out ([`Destination::take`]).

use serde_json::Value;

use super::Checked;
use crate::Result;

/// Takes each object that passed every check, in plan order, with its YAML document when it
/// was written ahead (else `None`: the taker writes it from the object if it wants it).
pub(super) type Take<'s> = dyn FnMut(Value, Option<&[u8]>) -> Result<()> + 's;

/// Where a plan's objects go.
pub(in crate::plan) struct Destination<'a, 's> {
    /// Whether each object's YAML document is written ahead, on the thread that checks it.
    pub yaml: bool,
    /// Takes the objects.
    pub take: &'a mut Take<'s>,
}

/// `checked` with its YAML document (as [`crate::render::yaml::write_documents`] writes it),
/// when `yaml` asks for it.
pub(super) fn written(yaml: bool, checked: Result<Checked>) -> Result<Checked> {
    let mut checked = checked?;
    if yaml {
        let mut document = Vec::new();
        // Writing into memory does not fail; if it did, the taker writes from the object.
        if crate::render::yaml::write_documents(&mut document, [&checked.object]).is_ok() {
            checked.yaml = Some(document);
        }
    }
    Ok(checked)
}
