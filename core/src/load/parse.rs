//! One text to typed, validated documents: parsed without positions on the happy path, and
//! parsed again with positions when anything is wrong, so that every error names its line and
//! column.
//!
//! Success depends only on the documents' values (and the folder of the file), never on
//! positions, and [`fast::parse_stream`] gives the values [`yaml::parse_stream`] gives or
//! nothing: so the fast path succeeds exactly when the spanned path would, with the same
//! documents, and every error comes from the spanned path as before.

use serde_json::Value;

use super::document::{self, Documents, Origin};
use super::yaml::{self, ParsedDocument};
use super::{Limits, Overrides, events, fast};
use crate::{Error, ErrorKind, Location, Result};

/// The documents of `text`, with `overrides` applied to each raw document before validation.
///
/// # Errors
/// Every problem of the text, located as the spanned path locates it.
pub(crate) fn documents(
    text: &str,
    limits: &Limits,
    origin: &Origin,
    overrides: Option<&Overrides>,
) -> Result<Documents> {
    if let Some(parsed) = values(text, limits)
        && let Ok(docs) = build(None, parsed, origin, overrides)
    {
        return Ok(docs);
    }
    spanned_documents(text, limits, origin, overrides)
}

/// The documents of `text` without positions: from the parser's events when they are certain
/// ([`events::parse_stream`]), else through serde ([`fast::parse_stream`]); `None` when the
/// text has a problem (the spanned path then reports it).
fn values(text: &str, limits: &Limits) -> Option<Vec<ParsedDocument>> {
    events::parse_stream(text, limits).or_else(|| fast::parse_stream(text, limits))
}

/// [`documents`] on the spanned path alone: every node's position is kept for messages.
fn spanned_documents(
    text: &str,
    limits: &Limits,
    origin: &Origin,
    overrides: Option<&Overrides>,
) -> Result<Documents> {
    let parsed = yaml::parse_stream(text, limits).map_err(|e| origin.locate(e))?;
    build(Some(text), parsed, origin, overrides)
}

/// The one document of `text` as a plain value (an overrides file), without typing it.
///
/// # Errors
/// A YAML problem, or not exactly one document.
pub(crate) fn single_value(text: &str, limits: &Limits, origin: &Origin) -> Result<Value> {
    let parsed = match values(text, limits) {
        Some(parsed) => parsed,
        None => yaml::parse_stream(text, limits).map_err(|e| origin.locate(e))?,
    };
    match <[ParsedDocument; 1]>::try_from(parsed) {
        Ok([doc]) => Ok(doc.value),
        Err(_) => Err(origin.locate(Error::new(
            ErrorKind::Yaml,
            Location::default(),
            "expected exactly one YAML document",
        ))),
    }
}

/// Applies the overrides, then types and validates each document. `text` is the source for
/// quoting scalars in messages; `None` on the fast path, whose errors are never shown.
fn build(
    text: Option<&str>,
    mut parsed: Vec<ParsedDocument>,
    origin: &Origin,
    overrides: Option<&Overrides>,
) -> Result<Documents> {
    if let Some(overrides) = overrides {
        for doc in &mut parsed {
            overrides
                .apply(&mut doc.value)
                .map_err(|e| origin.locate(e))?;
        }
    }
    document::build(text.unwrap_or_default(), parsed, origin)
}

#[cfg(test)]
mod tests;
