//! YAML text to JSON values with source positions, under [`Limits`].
//!
//! Parsing uses serde-saphyr (pure Rust, panic-free) with goldpath's settings:
//! YAML 1.2 scalars (`NO`, `yes`, `off`, `1:30` and `0755` stay strings), duplicate keys and
//! unknown tags are errors, nesting depth and alias expansion are bounded, and every document's
//! size is checked before the parser sees it.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::Limits;
use crate::{DocPath, Error, ErrorKind, Location, PathSegment, Result};

/// A parsed YAML node with the position of every value and key.
#[derive(Debug)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// Stack kept free before descending one level (debug builds use ~35 KB a level in the
/// deserializer chain), and the size of each new stack segment when it runs short.
pub(super) const STACK_RED_ZONE: usize = 128 * 1024;
pub(super) const STACK_SEGMENT: usize = 2 * 1024 * 1024;

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        // Nesting is bounded by `Limits::max_depth`, but the caller's thread may have a small
        // stack (test threads, Python or Node worker threads): grow it on demand.
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            d.deserialize_any(NodeVisitor)
        })
    }
}

/// One document of a stream: its value and the positions of its nodes.
#[derive(Debug)]
pub(crate) struct ParsedDocument {
    pub value: Value,
    pub tree: Spanned<Node>,
}

impl ParsedDocument {
    /// A document given as a value rather than text: every position is unknown (line 0).
    pub fn from_value(value: Value) -> Self {
        let unknown = serde_saphyr::Location::UNKNOWN;
        Self {
            value,
            tree: Spanned::new(Node::Null, unknown, unknown),
        }
    }

    /// A document read without the positions of its nodes (the fast path): its root is where
    /// the document starts, and every path inside it reports that place.
    pub fn without_positions(
        value: Value,
        referenced: serde_saphyr::Location,
        defined: serde_saphyr::Location,
    ) -> Self {
        Self {
            value,
            tree: Spanned::new(Node::Null, referenced, defined),
        }
    }

    /// A document read without the positions of its nodes whose root is at `line` and
    /// `column` (1-based, as serde-saphyr counts them); `None` when they do not fit.
    pub fn starting_at(value: Value, line: usize, column: usize) -> Option<Self> {
        // serde-saphyr makes its locations itself; the one way to make one here is to read it.
        let at = serde_json::json!({ "line": u32::try_from(line).ok()?, "column": u32::try_from(column).ok()? });
        let location: serde_saphyr::Location = serde_json::from_value(at).ok()?;
        Some(Self::without_positions(value, location, location))
    }

    /// Line and column of the value at `path`, or of its nearest ancestor that exists.
    /// With `key` set, the position of the mapping key that holds the value, when there is one.
    pub fn position(&self, path: &DocPath, key: bool) -> (u32, u32) {
        let (node, key_pos, _) = self.walk(path);
        match key_pos {
            Some(pos) if key => pos,
            _ => loc_of(node),
        }
    }

    /// The source text of the scalar at `path`, as the author wrote it.
    pub fn raw_text<'t>(&self, text: &'t str, path: &DocPath) -> Option<&'t str> {
        let (node, _, complete) = self.walk(path);
        if !complete || matches!(node.value, Node::Map(_) | Node::Seq(_)) {
            return None;
        }
        let span = node.referenced.span();
        let start = usize::try_from(span.byte_offset()?).ok()?;
        let len = usize::try_from(span.byte_len()?).ok()?;
        text.get(start..start.checked_add(len)?)
    }

    /// The node at `path` (or its deepest existing ancestor), the position of the key that
    /// holds it, and whether the whole path was found.
    fn walk(&self, path: &DocPath) -> (&Spanned<Node>, Option<(u32, u32)>, bool) {
        let mut node = &self.tree;
        let mut key_pos = None;
        for segment in path.segments() {
            let next = match (&node.value, segment) {
                (Node::Map(entries), PathSegment::Key(k)) => entries
                    .iter()
                    .find(|(name, _)| &name.value == k)
                    .map(|(name, value)| (Some(loc_of(name)), value)),
                (Node::Seq(items), PathSegment::Index(i)) => items.get(*i).map(|v| (None, v)),
                _ => None,
            };
            let Some((pos, next)) = next else {
                return (node, key_pos, false);
            };
            key_pos = pos;
            node = next;
        }
        (node, key_pos, true)
    }
}

fn loc_of<T>(spanned: &Spanned<T>) -> (u32, u32) {
    let l = &spanned.referenced;
    (
        u32::try_from(l.line()).unwrap_or(u32::MAX),
        u32::try_from(l.column()).unwrap_or(u32::MAX),
    )
}

pub(super) fn options(limits: &Limits) -> serde_saphyr::Options {
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = limits.max_alias_expansion;
    let mut options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limits.max_depth,
            max_documents: limits.max_documents,
            max_nodes: limits.max_nodes,
            max_reader_input_bytes: Some(limits.max_document_bytes),
        },
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        reject_unsupported_tags: true,
        reject_tagged_field_names: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    };
    options.alias_limits = alias_limits;
    options
}

/// Parses a stream of YAML documents (JSON is YAML too). Empty documents are dropped.
pub(crate) fn parse_stream(text: &str, limits: &Limits) -> Result<Vec<ParsedDocument>> {
    check_sizes(text, limits)?;
    let trees: Vec<Spanned<Node>> =
        serde_saphyr::from_str_multiple_with_options(text, options(limits)).map_err(yaml_error)?;
    trees
        .into_iter()
        .filter(|tree| !matches!(tree.value, Node::Null))
        .map(|tree| {
            let value = to_json(&tree, limits.max_depth)?;
            Ok(ParsedDocument { value, tree })
        })
        .collect()
}

/// Checks the byte size of every document of the stream before parsing. Document boundaries
/// are lines starting with `---` or `...`, which YAML forbids inside any document content.
pub(super) fn check_sizes(text: &str, limits: &Limits) -> Result<()> {
    if text.len() <= limits.max_document_bytes {
        // No document is larger than the whole text.
        return Ok(());
    }
    let mut start = 0usize;
    let mut start_line = 1u32;
    let mut offset = 0usize;
    for (line_no, line) in (1u32..).zip(text.split_inclusive('\n')) {
        if is_document_marker(line) {
            check_one(offset - start, start_line, limits)?;
            start = offset;
            start_line = line_no;
        }
        offset += line.len();
    }
    check_one(offset - start, start_line, limits)
}

fn is_document_marker(line: &str) -> bool {
    let rest = line
        .strip_prefix("---")
        .or_else(|| line.strip_prefix("..."));
    rest.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r', '\n']))
}

fn check_one(size: usize, line: u32, limits: &Limits) -> Result<()> {
    if size <= limits.max_document_bytes {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Limit,
        Location::default().at(line, 1),
        format!(
            "document is {size} bytes, more than the limit of {} bytes: split it, or raise \
             `Limits::max_document_bytes` if the input is trusted",
            limits.max_document_bytes
        ),
    ))
}

fn to_json(node: &Spanned<Node>, depth_left: usize) -> Result<Value> {
    let Some(depth_left) = depth_left.checked_sub(1) else {
        let (line, column) = loc_of(node);
        return Err(Error::new(
            ErrorKind::Limit,
            Location::default().at(line, column),
            "nesting is deeper than the limit (aliases included): flatten the document",
        ));
    };
    Ok(match &node.value {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => Value::from(*i),
        Node::UInt(u) => Value::from(*u),
        Node::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Node::Str(s) => Value::String(s.clone()),
        Node::Seq(items) => Value::Array(
            items
                .iter()
                .map(|i| to_json(i, depth_left))
                .collect::<Result<_>>()?,
        ),
        Node::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (key, value) in entries {
                map.insert(key.value.clone(), to_json(value, depth_left)?);
            }
            Value::Object(map)
        }
    })
}

/// Turns a serde-saphyr error into a goldpath error with line, column and a plain message.
fn yaml_error(err: serde_saphyr::Error) -> Error {
    let location = err.location().map_or_else(Location::default, |l| {
        let line = u32::try_from(l.line()).unwrap_or(u32::MAX);
        Location::default().at(line, u32::try_from(l.column()).unwrap_or(u32::MAX))
    });
    let (kind, message) = describe(&err);
    Error::new(kind, location, message)
}

fn describe(err: &serde_saphyr::Error) -> (ErrorKind, String) {
    use serde_saphyr::Error as E;
    match err.without_snippet() {
        E::AliasError { error, .. } => describe(error),
        E::DuplicateMappingKey { key, .. } => (
            ErrorKind::Yaml,
            match key {
                Some(k) => format!(
                    "duplicate key `{k}`: each key may appear once in a mapping; remove or rename one"
                ),
                None => {
                    "duplicate key: each key may appear once in a mapping; remove or rename one"
                        .to_owned()
                }
            },
        ),
        E::UnsupportedTag { tag, .. } => (
            ErrorKind::Yaml,
            format!(
                "unsupported tag `{tag}`: goldpath reads plain YAML; remove the tag (includes and language tags are never run)"
            ),
        ),
        E::Budget { breach, .. } => (ErrorKind::Limit, budget_message(&format!("{breach:?}"))),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => (
            ErrorKind::Limit,
            "aliases expand to more nodes than the limit allows (a \"billion laughs\" pattern?): \
             write the values out or use fewer aliases"
                .to_owned(),
        ),
        other => (ErrorKind::Yaml, plain_message(other)),
    }
}

fn budget_message(breach: &str) -> String {
    if breach.starts_with("Depth") {
        return "nesting is deeper than the limit: flatten the document".to_owned();
    }
    if breach.starts_with("Nodes") {
        return "the input has more nodes (mappings, sequences, keys and values) than the limit \
                allows: split it, or raise `Limits::max_nodes` if it is trusted"
            .to_owned();
    }
    format!("the document exceeds a parsing limit ({breach}): make it smaller or simpler")
}

/// The error text without the `line L column C: ` prefix serde-saphyr adds.
fn plain_message(err: &serde_saphyr::Error) -> String {
    let text = err.to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let text = match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest,
        _ => text,
    };
    text.lines().next().unwrap_or(text).to_owned()
}
