//! YAML text to JSON values without source positions: the happy path of loading.
//!
//! [`parse_stream`] reads a stream with the parser settings and limits of
//! [`yaml::parse_stream`] (same options, same budgets, same size check) but builds
//! `serde_json` values directly: no tree of positions, no copy into JSON. Of the positions it
//! keeps only where each document starts, which its [`super::Origin`] records.
//!
//! It is a fast path, not a second parser with its own diagnostics: it answers `None` for any
//! input it does not accept, and the caller then parses the text again with positions
//! ([`yaml::parse_stream`]), which finds the problem and reports it with its line and column.
//! For an input it accepts, it gives the documents the spanned path gives (the tests of
//! `load_fast` compare both on every example and on mutated variants).

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::Limits;
use super::yaml::{self, ParsedDocument};

/// Parses a stream of YAML documents (JSON is YAML too) into values, dropping empty
/// documents as [`yaml::parse_stream`] does; `None` when the text has a problem or breaks a
/// limit (the spanned path then reports it).
pub(crate) fn parse_stream(text: &str, limits: &Limits) -> Option<Vec<ParsedDocument>> {
    yaml::check_sizes(text, limits).ok()?;
    let roots: Vec<Spanned<Measured>> =
        serde_saphyr::from_str_multiple_with_options(text, yaml::options(limits)).ok()?;
    roots
        .into_iter()
        .filter(|root| !root.value.value.is_null())
        // Nesting counts aliases once expanded, as `yaml::to_json` counts it.
        .map(|root| {
            (root.value.depth <= limits.max_depth).then(|| {
                ParsedDocument::without_positions(root.value.value, root.referenced, root.defined)
            })
        })
        .collect()
}

/// A value and its nesting depth: 1 for a scalar or an empty collection, one more than its
/// deepest item for a collection.
struct Measured {
    value: Value,
    depth: usize,
}

impl Measured {
    fn scalar(value: Value) -> Self {
        Self { value, depth: 1 }
    }
}

impl<'de> Deserialize<'de> for Measured {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // As for the spanned tree: nesting is bounded, but the caller's stack may be small.
        stacker::maybe_grow(yaml::STACK_RED_ZONE, yaml::STACK_SEGMENT, || {
            d.deserialize_any(MeasuredVisitor)
        })
    }
}

/// Accepts what `yaml::NodeVisitor` accepts, no more: the same scalars, and mappings whose
/// keys read as strings.
struct MeasuredVisitor;

impl<'de> Visitor<'de> for MeasuredVisitor {
    type Value = Measured;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Measured, E> {
        Ok(Measured::scalar(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Measured, E> {
        Ok(Measured::scalar(Value::Null))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Measured, E> {
        Ok(Measured::scalar(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Measured, E> {
        Ok(Measured::scalar(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Measured, E> {
        Ok(Measured::scalar(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Measured, E> {
        // Not a number and the infinities (which the parser refuses) have no JSON form: null,
        // as in `yaml::to_json`.
        let value = serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number);
        Ok(Measured::scalar(value))
    }
    fn visit_str<E>(self, v: &str) -> Result<Measured, E> {
        Ok(Measured::scalar(Value::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Measured, E> {
        Ok(Measured::scalar(Value::String(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Measured, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut deepest = 0;
        while let Some(item) = seq.next_element::<Measured>()? {
            deepest = deepest.max(item.depth);
            items.push(item.value);
        }
        Ok(Measured {
            value: Value::Array(items),
            depth: deepest + 1,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Measured, A::Error> {
        let mut entries = serde_json::Map::new();
        let mut deepest = 0;
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<Measured>()?;
            deepest = deepest.max(value.depth);
            // A later key with the same text replaces the earlier one, as in `yaml::to_json`
            // (keys the parser holds equal are refused before this).
            entries.insert(key, value.value);
        }
        Ok(Measured {
            value: Value::Object(entries),
            depth: deepest + 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, limits: &Limits) -> Option<Vec<Value>> {
        parse_stream(text, limits).map(|docs| docs.into_iter().map(|d| d.value).collect())
    }

    #[test]
    fn values_and_document_lines_are_those_of_the_spanned_path() {
        let text =
            "# comment\n\n---\na: 1\nb: [x, 0755, NO, ~, 1.5e3]\n---\n---\n\n  c: {d: true}\n";
        let limits = Limits::default();
        let fast = parse_stream(text, &limits).unwrap();
        let spanned = yaml::parse_stream(text, &limits).unwrap();
        assert_eq!(fast.len(), 2);
        for (f, s) in fast.iter().zip(&spanned) {
            assert_eq!(f.value, s.value);
            let root = crate::DocPath::root();
            assert_eq!(f.position(&root, false), s.position(&root, false));
        }
        assert_eq!(fast[1].position(&crate::DocPath::root(), false), (9, 3));
    }

    #[test]
    fn nesting_counts_scalars_and_expanded_aliases() {
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        assert!(values("a: {b: 1}\n", &limits).is_some());
        assert!(values("a: {b: [1]}\n", &limits).is_none());
        assert!(values("a: {b: []}\n", &limits).is_some());
        // Each line nests within the limit; the alias puts a two-level value two levels down.
        assert!(values("x: &x {y: 1}\nz: {w: *x}\n", &limits).is_none());
        assert!(yaml::parse_stream("x: &x {y: 1}\nz: {w: *x}\n", &limits).is_err());
    }

    #[test]
    fn problems_and_limits_give_no_values() {
        let limits = Limits::default();
        for text in [
            "a: 1\na: 2\n",
            "a: [1\n",
            "a: !!python/object x\n",
            "? [a]\n: 1\n",
            "a: .nan\n",
        ] {
            assert!(values(text, &limits).is_none(), "{text}");
            assert!(yaml::parse_stream(text, &limits).is_err(), "{text}");
        }
        let small = Limits {
            max_document_bytes: 8,
            ..Limits::default()
        };
        assert!(values("a: 123456789\n", &small).is_none());
    }
}
