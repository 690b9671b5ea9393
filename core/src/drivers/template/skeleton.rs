//! Templates whose YAML structure does not depend on the data, compiled once into a skeleton:
//! the body parsed with a placeholder in each `{{ }}` hole, and a minijinja template made of
//! the statement prelude and the holes' expressions between delimiters (a plain read that
//! repeats, such as `{{ labels | tojson }}`, once). One render of that template gives every
//! hole's text; each text goes into its scalar as the YAML parser would
//! read it in the fully rendered document ([`super::scalar`]). Whenever that is not certain,
//! [`Skeleton::fill`] answers `None` and the caller renders and parses the full text.

use std::borrow::Cow;

use minijinja::Template;
use serde_json::Value;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

use super::rendered::yaml_value;
use super::scalar::{Reader, has_forbidden};
use super::source::{self, RESERVED};

/// The name of the fast template in its environment.
pub(super) const FAST: &str = "fast";

/// Separates the prelude's output and the holes' texts in the fast template's output.
const DELIMITER: char = RESERVED[2];
/// Opens a placeholder in the skeleton's text, followed by the hole's number.
const OPEN: char = RESERVED[0];
/// Closes a placeholder.
const CLOSE: char = RESERVED[1];

/// Fuel units per byte written (minijinja charges one unit per byte, 64 units per fuel).
const BYTES_PER_FUEL: u64 = 64;

/// The longest rendered text filled in: far below the parser's budgets (250,000 nodes,
/// a million events), which a longer text might exceed in full but not in pieces.
const MAX_TEXT: usize = 200_000;

/// A compiled template: the skeleton value, its holes' places and the fast template's source.
#[derive(Debug)]
pub(super) struct Skeleton {
    value: Value,
    sites: Vec<Site>,
    /// The fast template's slot of each hole: a hole that repeats an earlier one's plain
    /// read ([`repeatable`], such as `{{ labels | tojson }}` or `{{ name }}`) shares its slot,
    /// rendered once.
    slot_of: Vec<usize>,
    /// How many slots the fast template renders.
    slots: usize,
    /// The most holes that share one slot.
    repeat: u64,
    /// The bytes of the body outside the holes.
    static_bytes: usize,
    /// Whether the body outside the holes is blank: the document is `null` when the holes
    /// are blank too.
    static_blank: bool,
    /// The fuel the full render needs beyond the fast one (its static text, one instruction
    /// per text segment), with a margin.
    extra_fuel: u64,
    /// The fast template: the prelude, then each hole after a delimiter.
    pub(super) fast_source: String,
}

/// A scalar of the skeleton that holds holes.
#[derive(Debug)]
struct Site {
    path: Vec<Step>,
    kind: Kind,
    /// The scalar's parsed text, placeholders included.
    text: String,
    /// Its placeholders ([`placeholders`] of `text`, found once).
    holes: Vec<(usize, usize, usize)>,
    /// How many collections hold the scalar.
    depth: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A one-line plain scalar, in a flow collection or not.
    Plain { in_flow: bool },
    /// A one-line double-quoted scalar.
    DoubleQuoted,
    /// A one-line single-quoted scalar.
    SingleQuoted,
    /// A literal or folded block scalar.
    Block,
}

/// A scalar holding placeholders, as the event parser saw it.
struct Found {
    kind: Kind,
    text: String,
    depth: usize,
}

impl Skeleton {
    /// Compiles `source`, or `None` when its structure may depend on the data (statements
    /// in the body, holes in keys, comments, anchors, tags or multi-line plain and quoted
    /// scalars) or its body with placeholders is not YAML.
    pub(super) fn compile(source: &str) -> Option<Self> {
        let split = source::split(source)?;
        let mut text = String::with_capacity(split.body.len());
        let mut fast_source = split.prelude.clone();
        let mut static_bytes = split.body.len();
        let mut last = 0;
        let mut static_blank = true;
        let mut slot_of = Vec::with_capacity(split.holes.len());
        let mut shared: Vec<(String, usize, u64)> = Vec::new();
        let mut slots = 0;
        for (index, hole) in split.holes.iter().enumerate() {
            static_blank &= split.body[last..hole.start].trim().is_empty();
            text.push_str(&split.body[last..hole.start]);
            text.push(OPEN);
            text.push_str(&index.to_string());
            text.push(CLOSE);
            last = hole.end;
            static_bytes -= hole.end - hole.start;
            let read = repeatable(&hole.expression);
            let known = read
                .as_ref()
                .and_then(|read| shared.iter_mut().find(|(seen, _, _)| seen == read));
            if let Some((_, slot, count)) = known {
                slot_of.push(*slot);
                *count += 1;
                continue;
            }
            if let Some(read) = read {
                shared.push((read, slots, 1));
            }
            slot_of.push(slots);
            slots += 1;
            fast_source.push(DELIMITER);
            fast_source.push_str("{{");
            fast_source.push_str(&hole.expression);
            fast_source.push_str("}}");
        }
        let repeat = shared.iter().map(|(_, _, count)| *count).max().unwrap_or(1);
        text.push_str(&split.body[last..]);
        static_blank &= split.body[last..].trim().is_empty();
        let (value, sites) = if text.trim().is_empty() {
            (Value::Null, Vec::new())
        } else {
            let value = yaml_value(&text).ok()?;
            let sites = sites(&value, found(&text)?, split.holes.len())?;
            (value, sites)
        };
        let segments = split.holes.len() as u64 + 1;
        Some(Self {
            value,
            sites,
            slot_of,
            slots,
            repeat,
            static_bytes,
            static_blank,
            extra_fuel: (static_bytes as u64).div_ceil(BYTES_PER_FUEL) + segments + 4,
            fast_source,
        })
    }

    /// The rendered and parsed value for `vars`, rendering only the fast template; `None`
    /// on any error or doubt (the full render then gives the result or the error).
    pub(super) fn fill(&self, fast: &Template<'_, '_>, vars: &minijinja::Value) -> Option<Value> {
        let captured = fast.render_captured(vars.clone()).ok()?;
        if let Some((consumed, remaining)) = captured.state().fuel_levels() {
            // The full render renders a shared slot once per hole: at most `repeat` times
            // what the fast one spent on the holes, which is less than all it spent.
            let needed = consumed.saturating_mul(self.repeat - 1);
            if remaining < self.extra_fuel.saturating_add(needed) {
                return None;
            }
        }
        let output = captured.output();
        let pieces: Vec<&str> = output.split(DELIMITER).collect();
        let (prelude, slots) = pieces.split_first()?;
        if slots.len() != self.slots || !blank_lines(prelude) {
            return None;
        }
        let texts: Vec<&str> = self.slot_of.iter().map(|&slot| slots[slot]).collect();
        // What the fast template would have written with one slot per hole.
        let written: usize = texts
            .iter()
            .map(|text| DELIMITER.len_utf8() + text.len())
            .sum();
        if prelude.len() + written + self.static_bytes > MAX_TEXT {
            return None;
        }
        // The full text would be blank: `null` (as `parse_yaml` has it).
        if self.static_blank && texts.iter().all(|text| text.trim().is_empty()) {
            return Some(Value::Null);
        }
        let mut value = self.value.clone();
        let mut reader = Reader::default();
        for site in &self.sites {
            let filled = site.fill(&texts, &mut reader)?;
            *locate(&mut value, &site.path)? = filled;
        }
        Some(value)
    }
}

/// The plain read `expression` is, normalized (`path` or `path|tojson`), when it may be
/// rendered once for every hole that repeats it: a variable or an attribute path, alone or
/// through `tojson`, whose value is the same wherever it is read (no call, no other filter);
/// `None` otherwise.
fn repeatable(expression: &str) -> Option<String> {
    let (path, filter) = match expression.split_once('|') {
        Some((path, filter)) => (path.trim(), filter.trim()),
        None => (expression.trim(), ""),
    };
    let identifier = |part: &str| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let plain = (filter.is_empty() || filter == "tojson") && path.split('.').all(identifier);
    plain.then(|| format!("{path}|{filter}"))
}

impl Skeleton {
    /// How many slots the fast template renders.
    #[cfg(test)]
    pub(super) fn slots(&self) -> usize {
        self.slots
    }
}

/// Whether the prelude's output is whole blank lines (spaces only), which change nothing.
fn blank_lines(text: &str) -> bool {
    text.bytes().all(|b| b == b' ' || b == b'\n') && (text.is_empty() || text.ends_with('\n'))
}

impl Site {
    fn fill(&self, texts: &[&str], reader: &mut Reader) -> Option<Value> {
        let holes = &self.holes;
        let whole = holes.len() == 1 && holes[0].0 == 0 && holes[0].1 == self.text.len();
        for &(_, _, index) in holes {
            if !self.hole_is_safe(texts.get(index)?) {
                return None;
            }
        }
        if let (Kind::Plain { in_flow: false }, true) = (self.kind, whole) {
            return reader.whole(texts[holes[0].2], self.depth);
        }
        let mut filled = String::with_capacity(self.text.len() + 32);
        let mut last = 0;
        for &(start, end, index) in holes {
            filled.push_str(&self.text[last..start]);
            filled.push_str(texts[index]);
            last = end;
        }
        filled.push_str(&self.text[last..]);
        match self.kind {
            Kind::Plain { in_flow } => reader.plain(&filled, in_flow),
            Kind::DoubleQuoted | Kind::SingleQuoted | Kind::Block => Some(Value::String(filled)),
        }
    }

    /// Whether a hole's text reads as itself inside this scalar (plain texts are checked
    /// whole, after filling).
    fn hole_is_safe(&self, text: &str) -> bool {
        match self.kind {
            Kind::Plain { .. } => true,
            Kind::DoubleQuoted => !has_forbidden(text) && !text.contains(['"', '\\']),
            Kind::SingleQuoted => !has_forbidden(text) && !text.contains('\''),
            Kind::Block => {
                !text.is_empty()
                    && !has_forbidden(text)
                    && !text.starts_with(' ')
                    && !text.ends_with(' ')
                    && !text.starts_with("---")
                    && !text.starts_with("...")
            }
        }
    }
}

/// The placeholders of `text`: (start, end, hole number).
fn placeholders(text: &str) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find(OPEN).map(|at| at + rest) {
        let digits = open + OPEN.len_utf8();
        let Some(close) = text[digits..].find(CLOSE).map(|at| at + digits) else {
            break;
        };
        let Ok(index) = text[digits..close].parse() else {
            break;
        };
        let end = close + CLOSE.len_utf8();
        found.push((open, end, index));
        rest = end;
    }
    found
}

/// The value at `path`.
fn locate<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |value, step| match step {
        Step::Key(key) => value.get_mut(key.as_str()),
        Step::Index(index) => value.get_mut(*index),
    })
}

/// The scalars with placeholders, in document order, as the event parser reads `text`;
/// `None` for anything the fast path does not handle.
fn found(text: &str) -> Option<Vec<Found>> {
    /// A collection being read: flow or block, mapping (and whether a key comes next).
    struct Frame {
        flow: bool,
        key_next: Option<bool>,
    }
    fn is_key(stack: &mut [Frame]) -> bool {
        match stack.last_mut().and_then(|frame| frame.key_next.as_mut()) {
            Some(key_next) => {
                *key_next = !*key_next;
                !*key_next
            }
            None => false,
        }
    }
    fn open(stack: &mut Vec<Frame>, style: StructureStyle, tagged: bool, map: bool) -> Option<()> {
        if tagged || is_key(stack) {
            return None;
        }
        stack.push(Frame {
            flow: style == StructureStyle::Flow,
            key_next: map.then_some(true),
        });
        Some(())
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut found = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        match event {
            Event::Alias(_) => return None,
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                let key = is_key(&mut stack);
                if !value.contains(OPEN) {
                    continue;
                }
                let one_line = span.start.line() == span.end.line();
                let in_flow = stack.last().is_some_and(|frame| frame.flow);
                let kind = match style {
                    ScalarStyle::Plain if one_line => Kind::Plain { in_flow },
                    ScalarStyle::DoubleQuoted if one_line => Kind::DoubleQuoted,
                    ScalarStyle::SingleQuoted if one_line => Kind::SingleQuoted,
                    ScalarStyle::Literal | ScalarStyle::Folded => Kind::Block,
                    _ => return None,
                };
                if key {
                    return None;
                }
                let text = match value {
                    Cow::Borrowed(text) => text.to_owned(),
                    Cow::Owned(text) => text,
                };
                let depth = stack.len();
                found.push(Found { kind, text, depth });
            }
            Event::SequenceStart(style, anchor, tag) => {
                open(&mut stack, style, anchor != 0 || tag.is_some(), false)?;
            }
            Event::MappingStart(style, anchor, tag) => {
                open(&mut stack, style, anchor != 0 || tag.is_some(), true)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    Some(found)
}

/// The sites of `found` with their paths in `value`; `None` unless every hole is in exactly
/// one scalar value (not a key, not a comment).
fn sites(value: &Value, found: Vec<Found>, holes: usize) -> Option<Vec<Site>> {
    let mut paths = Vec::new();
    strings_with_placeholders(value, &mut Vec::new(), &mut paths)?;
    if paths.len() != found.len() {
        return None;
    }
    let mut seen = vec![false; holes];
    let mut sites = Vec::with_capacity(found.len());
    for Found { kind, text, depth } in found {
        let marks = placeholders(&text);
        for &(_, _, index) in &marks {
            if std::mem::replace(seen.get_mut(index)?, true) {
                return None;
            }
        }
        let (_, path) = paths.iter().find(|(string, _)| *string == text)?;
        sites.push(Site {
            path: path.clone(),
            kind,
            holes: marks,
            text,
            depth,
        });
    }
    seen.iter().all(|&seen| seen).then_some(sites)
}

/// Every string of `value` with a placeholder, and its path; `None` when a key has one, or is
/// `<<` (a merge key would merge a filled-in mapping).
fn strings_with_placeholders<'v>(
    value: &'v Value,
    path: &mut Vec<Step>,
    out: &mut Vec<(&'v str, Vec<Step>)>,
) -> Option<()> {
    match value {
        Value::String(text) if text.contains(OPEN) => out.push((text, path.clone())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Step::Index(index));
                strings_with_placeholders(item, path, out)?;
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if key.contains(OPEN) || key == "<<" {
                    return None;
                }
                path.push(Step::Key(key.clone()));
                strings_with_placeholders(item, path, out)?;
                path.pop();
            }
        }
        _ => {}
    }
    Some(())
}
