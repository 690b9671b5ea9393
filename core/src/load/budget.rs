//! The budget of one input document given as a value (a Python dict, a JavaScript object, a
//! `serde_json::Value`): the same depth, node and size limits as YAML and JSON text, counted
//! the same way, so no input form is more permissive than another.
//!
//! [`ValueBudget`] counts while a value is built (the bindings' converters call it for every
//! node, so a huge or self-sharing native value is refused before it is copied whole);
//! [`check_value`] walks a value already built, which is what [`super::Loader::value`] does
//! for every document it is given.

use serde_json::Value;

use super::Limits;
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// Counts the nodes, nesting and bytes of one document while it is walked or built.
///
/// A node is a mapping, a sequence, a key or a scalar (as serde-saphyr counts YAML nodes);
/// bytes are the text of keys and strings and the digits of numbers, plus one per node, a
/// lower bound of the document's size as compact JSON.
///
/// ```
/// use goldpath::load::{Limits, ValueBudget};
///
/// let limits = Limits { max_nodes: 3, ..Limits::default() };
/// let mut budget = ValueBudget::new(&limits);
/// budget.open().unwrap();
/// budget.scalar(4).unwrap();
/// budget.scalar(2).unwrap();
/// let err = budget.scalar(1).unwrap_err();
/// assert_eq!(err.kind(), goldpath::ErrorKind::Limit);
/// assert!(err.message().contains("3 nodes"));
/// ```
#[derive(Debug, Clone)]
pub struct ValueBudget {
    max_depth: usize,
    max_nodes: usize,
    max_bytes: usize,
    depth: usize,
    nodes: usize,
    bytes: usize,
}

impl ValueBudget {
    /// A budget with nothing counted yet, under `limits` (`max_depth`, `max_nodes` and
    /// `max_document_bytes`).
    #[must_use]
    pub fn new(limits: &Limits) -> Self {
        Self {
            max_depth: limits.max_depth,
            max_nodes: limits.max_nodes,
            max_bytes: limits.max_document_bytes,
            depth: 0,
            nodes: 0,
            bytes: 0,
        }
    }

    /// Counts a mapping or sequence being entered (one level deeper until [`Self::close`]).
    ///
    /// # Errors
    /// A [`ErrorKind::Limit`] error past the depth or node limit.
    pub fn open(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(limit(format!(
                "the document nests deeper than {} levels (or contains itself): flatten it",
                self.max_depth
            )));
        }
        self.count(1)
    }

    /// Counts the end of the mapping or sequence last opened.
    pub fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Counts one scalar or key of `bytes` bytes of text.
    ///
    /// # Errors
    /// A [`ErrorKind::Limit`] error past the node or byte limit.
    pub fn scalar(&mut self, bytes: usize) -> Result<()> {
        self.count(bytes.saturating_add(1))
    }

    fn count(&mut self, bytes: usize) -> Result<()> {
        self.nodes += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > self.max_nodes {
            return Err(limit(format!(
                "the document has more than {} nodes (mappings, sequences, keys and values): split it, or raise `Limits::max_nodes` if it is trusted",
                self.max_nodes
            )));
        }
        if self.bytes > self.max_bytes {
            return Err(limit(format!(
                "the document holds more than {} bytes: split it, or raise `Limits::max_document_bytes` if it is trusted",
                self.max_bytes
            )));
        }
        Ok(())
    }
}

/// The bytes a scalar counts for: its text, or the digits of a number.
#[must_use]
pub fn scalar_bytes(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len(),
        Value::Number(n) => n.to_string().len(),
        Value::Bool(true) | Value::Null => 4,
        Value::Bool(false) => 5,
        Value::Array(_) | Value::Object(_) => 0,
    }
}

/// One step of the walk: a value to enter (under a key or index), or the end of a collection.
enum Step<'a> {
    Enter(Option<Segment<'a>>, &'a Value),
    Leave(bool),
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Checks `value` against the depth, node and byte limits, as YAML text is checked while it is
/// parsed. The walk uses no recursion, so a deep value cannot overflow the stack.
///
/// # Errors
/// A [`ErrorKind::Limit`] error at the path where the first limit is passed.
pub fn check_value(value: &Value, limits: &Limits) -> Result<()> {
    let mut budget = ValueBudget::new(limits);
    let mut path: Vec<Segment<'_>> = Vec::new();
    let mut pending = vec![Step::Enter(None, value)];
    while let Some(step) = pending.pop() {
        let (segment, node) = match step {
            Step::Leave(pop) => {
                budget.close();
                if pop {
                    path.pop();
                }
                continue;
            }
            Step::Enter(segment, node) => (segment, node),
        };
        if let Some(segment) = segment {
            path.push(segment);
        }
        let counted = match node {
            Value::Array(items) => budget.open().map(|()| {
                pending.push(Step::Leave(segment.is_some()));
                let children = items.iter().enumerate().rev();
                pending.extend(children.map(|(i, v)| Step::Enter(Some(Segment::Index(i)), v)));
            }),
            Value::Object(map) => budget.open().and_then(|()| {
                pending.push(Step::Leave(segment.is_some()));
                for (key, child) in map.iter().rev() {
                    pending.push(Step::Enter(Some(Segment::Key(key)), child));
                }
                map.keys().try_for_each(|k| budget.scalar(k.len()))
            }),
            scalar => budget.scalar(scalar_bytes(scalar)).map(|()| {
                if segment.is_some() {
                    path.pop();
                }
            }),
        };
        counted.map_err(|e| at_path(e, &path))?;
    }
    Ok(())
}

/// A workload has at most `limits.max_containers` containers. The loader checks every Score
/// document with it, and the plan every workload, however it was made.
///
/// # Errors
/// A [`ErrorKind::Limit`] error at `containers`.
pub fn check_containers(workload: &crate::spec::score::Workload, limits: &Limits) -> Result<()> {
    let count = workload.containers.len();
    if count <= limits.max_containers {
        return Ok(());
    }
    let message = format!(
        "workload `{}` has {count} containers, more than the limit of {} (`Limits::max_containers`): split it into several workloads",
        workload.metadata.name, limits.max_containers
    );
    Err(Error::new(
        ErrorKind::Limit,
        Location::default().with_path(DocPath::root().key("containers")),
        message,
    ))
}

/// Checks each workload of `docs` with [`check_containers`], every problem located in its file.
pub(crate) fn check_workloads(docs: &super::Documents, limits: &Limits) -> Result<()> {
    let errors = docs.workloads.iter().filter_map(|w| {
        check_containers(&w.document, limits)
            .err()
            .map(|e| w.origin.locate(e))
    });
    Error::join(errors).map_or(Ok(()), Err)
}

fn at_path(error: Error, path: &[Segment<'_>]) -> Error {
    let path = path.iter().fold(DocPath::root(), |p, s| match s {
        Segment::Key(k) => p.key(*k),
        Segment::Index(i) => p.index(*i),
    });
    error.at_path(&path)
}

fn limit(message: String) -> Error {
    Error::new(ErrorKind::Limit, Location::default(), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn limits(max_depth: usize, max_nodes: usize, max_document_bytes: usize) -> Limits {
        Limits {
            max_depth,
            max_nodes,
            max_document_bytes,
            ..Limits::default()
        }
    }

    #[test]
    fn nodes_count_collections_keys_and_scalars() {
        // {a: [1, 2]} is the mapping, the key, the sequence and two scalars: 5 nodes.
        let value = json!({"a": [1, 2]});
        assert!(check_value(&value, &limits(8, 5, 1000)).is_ok());
        let err = check_value(&value, &limits(8, 4, 1000)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit);
        assert_eq!(err.location().path.to_string(), "a[1]");
    }

    #[test]
    fn depth_is_counted_in_collections_and_reported_where_it_is_passed() {
        let value = json!({"a": {"b": [{"c": 1}]}});
        assert!(check_value(&value, &limits(4, 100, 1000)).is_ok());
        let err = check_value(&value, &limits(3, 100, 1000)).unwrap_err();
        assert!(err.message().contains("deeper than 3"), "{err}");
        assert_eq!(err.location().path.to_string(), "a.b[0]");
    }

    #[test]
    fn bytes_count_the_text_of_keys_and_strings() {
        let value = json!({"k": "x".repeat(100)});
        assert!(check_value(&value, &limits(8, 100, 110)).is_ok());
        let err = check_value(&value, &limits(8, 100, 100)).unwrap_err();
        assert!(err.message().contains("100 bytes"), "{err}");
        assert_eq!(err.location().path.to_string(), "k");
    }

    #[test]
    fn a_very_deep_value_is_refused_without_recursion() {
        let mut value = json!(1);
        for _ in 0..100_000 {
            value = Value::Array(vec![value]);
        }
        let err = check_value(&value, &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit);
        // Dropping a value this deep recurses in serde_json; take it apart iteratively.
        let mut pending = vec![value];
        while let Some(v) = pending.pop() {
            if let Value::Array(items) = v {
                pending.extend(items);
            }
        }
    }
}
