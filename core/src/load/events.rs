//! YAML text to JSON values straight from the parser's events: the happy path of loading,
//! with no serde layer between the event parser (`granit-parser`) and the values.
//!
//! [`parse_stream`] gives the documents [`super::fast::parse_stream`] gives (same values, same
//! document lines) or `None`; it never accepts a text that the serde paths refuse. It answers
//! `None` on any doubt, and the caller then takes the serde path, which decides:
//!
//! - anchors, aliases, tags, `%YAML` directives (and so merge keys, which need an alias);
//! - a key that is not a plain or quoted scalar reading as a string, or a key given twice;
//! - a plain scalar whose value is not certain without the serde layer's full scalar rules
//!   (anything but a word, a YAML 1.2 boolean or null, a decimal integer, a number with
//!   leading zeros, or a digit-led text such as `100m` or `128Mi`);
//! - any parser error, nesting deeper than [`Limits::max_depth`], more events than
//!   [`Limits::max_nodes`], more documents than [`Limits::max_documents`], and a text larger
//!   than one document may be or than [`MAX_TEXT_BYTES`].
//!
//! The parser gets the options serde-saphyr gives it under the same limits.

use serde_json::{Map, Value};
use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, Span, StrInput};

use super::Limits;
use super::yaml::ParsedDocument;
use crate::drivers::resolve_common;

/// Texts larger than this take the serde path: the serde layer's own budgets (events, scalar
/// bytes) are far above what a text this size can hold, so the checks here cannot miss one.
pub(crate) const MAX_TEXT_BYTES: usize = 256 * 1024;

/// serde-saphyr's default budgets that goldpath's [`Limits`] do not set: the most events of
/// a stream.
const MAX_EVENTS: usize = 1_000_000;

/// The parser's default nesting limit of flow and block collections (serde-saphyr keeps it).
const NESTING_LIMIT: usize = 255;

/// The documents of `text` without positions (but where each starts), empty documents
/// dropped; `None` when the text needs the serde path (see the module documentation).
pub(crate) fn parse_stream(text: &str, limits: &Limits) -> Option<Vec<ParsedDocument>> {
    if text.len() > limits.max_document_bytes.min(MAX_TEXT_BYTES) {
        return None;
    }
    let mut reader = Reader::new(text, limits);
    let mut documents = Vec::new();
    loop {
        match reader.next()? {
            (Event::StreamEnd, _) => break,
            (Event::StreamStart | Event::DocumentEnd, _) => {}
            (Event::DocumentStart(_, None), _) => {
                reader.documents += 1;
                if reader.documents > limits.max_documents {
                    return None;
                }
                if let Some(document) = reader.document()? {
                    documents.push(document);
                }
            }
            _ => return None,
        }
    }
    Some(documents)
}

/// The parser and what has been counted so far.
struct Reader<'t> {
    parser: Parser<'t, StrInput<'t>>,
    limits: &'t Limits,
    events: usize,
    documents: usize,
}

/// A collection being read: its value so far, the deepest nesting among its items, and for
/// a mapping the key waiting for its value.
enum Open {
    Seq(Vec<Value>, usize),
    Map(Map<String, Value>, usize, Option<String>),
}

impl<'t> Reader<'t> {
    fn new(text: &'t str, limits: &'t Limits) -> Self {
        let mut options = Options::default();
        options.simple_key_max_lookahead = 1024;
        options.flow_nesting_limit = NESTING_LIMIT;
        options.block_nesting_limit = NESTING_LIMIT.max(limits.max_depth.saturating_add(1));
        options.emit_comments = false;
        options.strict_indentation = false;
        Self {
            parser: Parser::with_options(StrInput::new(text), options),
            limits,
            events: 0,
            documents: 0,
        }
    }

    /// The next event, counted; `None` at a parser error or past the budget.
    fn next(&mut self) -> Option<(Event<'t>, Span)> {
        let event = self.parser.next_event()?.ok()?;
        self.events += 1;
        (self.events <= self.limits.max_nodes.min(MAX_EVENTS)).then_some(event)
    }

    /// The rest of one document after its start: `Some(None)` for an empty (null) document.
    fn document(&mut self) -> Option<Option<ParsedDocument>> {
        let (event, span) = self.next()?;
        let (value, depth) = match event {
            Event::Scalar(text, style, 0, None) => (scalar(&text, style)?, 1),
            Event::SequenceStart(_, 0, None) => self.collection(Open::Seq(Vec::new(), 0))?,
            Event::MappingStart(_, 0, None) => self.collection(Open::Map(Map::new(), 0, None))?,
            _ => return None,
        };
        if depth > self.limits.max_depth {
            return None;
        }
        if value.is_null() {
            return Some(None);
        }
        let start = span.start;
        Some(Some(ParsedDocument::starting_at(
            value,
            start.line(),
            start.col() + 1,
        )?))
    }

    /// A collection from its start event to its end, with its nesting depth (1 when empty).
    /// Iterative, so that the caller's stack does not bound the nesting.
    fn collection(&mut self, root: Open) -> Option<(Value, usize)> {
        let mut stack = vec![root];
        loop {
            let (event, _) = self.next()?;
            let item = match event {
                Event::Scalar(text, style, 0, None) => {
                    if let Some(Open::Map(map, _, key @ None)) = stack.last_mut() {
                        let name = key_text(&text, style)?;
                        if map.contains_key(&name) {
                            return None;
                        }
                        *key = Some(name);
                        continue;
                    }
                    (scalar(&text, style)?, 1)
                }
                Event::SequenceStart(_, 0, None) => {
                    expecting_value(&stack)?;
                    stack.push(Open::Seq(Vec::new(), 0));
                    continue;
                }
                Event::MappingStart(_, 0, None) => {
                    expecting_value(&stack)?;
                    stack.push(Open::Map(Map::new(), 0, None));
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let closed = match stack.pop()? {
                        Open::Seq(items, deepest) => (Value::Array(items), deepest + 1),
                        Open::Map(map, deepest, None) => (Value::Object(map), deepest + 1),
                        Open::Map(_, _, Some(_)) => return None,
                    };
                    if stack.is_empty() {
                        return Some(closed);
                    }
                    closed
                }
                _ => return None,
            };
            add(stack.last_mut()?, item)?;
        }
    }
}

/// `Some` when the innermost collection takes a value next (not a mapping's key).
fn expecting_value(stack: &[Open]) -> Option<()> {
    match stack.last()? {
        Open::Map(_, _, None) => None,
        _ => Some(()),
    }
}

/// Puts an item with its depth into the innermost collection.
fn add(open: &mut Open, (value, depth): (Value, usize)) -> Option<()> {
    match open {
        Open::Seq(items, deepest) => {
            items.push(value);
            *deepest = (*deepest).max(depth);
        }
        Open::Map(map, deepest, key) => {
            map.insert(key.take()?, value);
            *deepest = (*deepest).max(depth);
        }
    }
    Some(())
}

/// The value of an untagged scalar, when certain.
fn scalar(text: &str, style: ScalarStyle) -> Option<Value> {
    match style {
        ScalarStyle::Plain => plain(text),
        ScalarStyle::SingleQuoted
        | ScalarStyle::DoubleQuoted
        | ScalarStyle::Literal
        | ScalarStyle::Folded => Some(Value::String(text.to_owned())),
    }
}

/// A key's text: a plain scalar that reads as a string, or a quoted one.
fn key_text(text: &str, style: ScalarStyle) -> Option<String> {
    match style {
        ScalarStyle::Plain => match plain(text)? {
            Value::String(s) => Some(s),
            _ => None,
        },
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Some(text.to_owned()),
        ScalarStyle::Literal | ScalarStyle::Folded => None,
    }
}

/// The value of a plain scalar as serde-saphyr reads it under goldpath's options, or `None`
/// when not certain. Beyond [`resolve_common`]: a text led by a digit that holds an ASCII
/// letter no number has (`100m`, `128Mi`, `1Gi`) is a string: no integer, float or boolean
/// spelling has one.
fn plain(text: &str) -> Option<Value> {
    if let Some(value) = resolve_common(text) {
        return Some(value);
    }
    let bytes = text.as_bytes();
    let digit_led = bytes.first().is_some_and(u8::is_ascii_digit);
    let letter = bytes
        .iter()
        .any(|b| b.is_ascii_alphabetic() && !b"eEaAbBcCdDfFxXoO".contains(b));
    (digit_led && letter && text.is_ascii()).then(|| Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests;
