//! Overrides of a Score file, as `score-k8s generate` has them: a YAML document deep-merged
//! into the workload (`--overrides-file`), then `PATH=VALUE` properties in order
//! (`--override-property`). They apply to the raw document, before validation.
//!
//! Property paths are dot-separated (`\.` is a literal dot, `\\` a backslash); a number indexes
//! a list and `-1` appends; missing maps on the way are created. The value is read as YAML, so
//! `=8080` sets a number; an empty value deletes the key or list item.
//!
//! ```
//! use goldpath::load::Overrides;
//!
//! let mut doc = serde_json::json!({"containers": {"main": {"image": "a", "args": ["x"]}}});
//! let mut overrides = Overrides::default();
//! overrides.property("containers.main.image=nginx:1.27").unwrap();
//! overrides.property("containers.main.args.-1=--verbose").unwrap();
//! overrides.property(r"metadata.annotations.example\.com/team=shop").unwrap();
//! overrides.apply(&mut doc).unwrap();
//! assert_eq!(doc["containers"]["main"]["image"], "nginx:1.27");
//! assert_eq!(doc["containers"]["main"]["args"], serde_json::json!(["x", "--verbose"]));
//! assert_eq!(doc["metadata"]["annotations"]["example.com/team"], "shop");
//! ```

use serde_json::{Map, Value};

use crate::{Error, ErrorKind, Location, Result};

/// Overrides to apply to one Score document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    document: Option<Value>,
    properties: Vec<(Vec<String>, Option<Value>)>,
}

impl Overrides {
    /// Sets the document to deep-merge (the content of `--overrides-file`).
    ///
    /// # Errors
    /// A document that is not a mapping.
    pub fn document(&mut self, document: Value) -> Result<()> {
        if !document.is_object() {
            return Err(invalid(
                "the overrides file must hold a mapping, such as `containers: {main: {image: x}}`"
                    .to_owned(),
            ));
        }
        self.document = Some(document);
        Ok(())
    }

    /// Adds a `PATH=VALUE` property (`--override-property`).
    ///
    /// # Errors
    /// A property without `=` or with an empty path.
    pub fn property(&mut self, text: &str) -> Result<()> {
        let Some((path, value)) = text.split_once('=') else {
            return Err(invalid(format!(
                "override `{text}`: write `PATH=VALUE`, or `PATH=` to delete"
            )));
        };
        let segments = split_path(path);
        if segments.iter().any(String::is_empty) {
            return Err(invalid(format!(
                "override `{text}`: the path has an empty segment"
            )));
        }
        let value = if value.is_empty() {
            None
        } else {
            Some(parse_value(value))
        };
        self.properties.push((segments, value));
        Ok(())
    }

    /// Whether there is nothing to apply.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.document.is_none() && self.properties.is_empty()
    }

    /// Applies the overrides to a raw document.
    ///
    /// # Errors
    /// A path that walks into a scalar or indexes a list out of range.
    pub fn apply(&self, document: &mut Value) -> Result<()> {
        if let Some(merge) = &self.document {
            deep_merge(document, merge);
        }
        for (path, value) in &self.properties {
            set(document, path, value.clone())
                .map_err(|m| invalid(format!("override `{}`: {m}", path.join("."))))?;
        }
        Ok(())
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}

/// Splits at unescaped dots; `\.` is a dot and `\\` a backslash.
fn split_path(path: &str) -> Vec<String> {
    let mut segments = vec![String::new()];
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().unwrap_or('\\');
                if let Some(last) = segments.last_mut() {
                    last.push(next);
                }
            }
            '.' => segments.push(String::new()),
            other => {
                if let Some(last) = segments.last_mut() {
                    last.push(other);
                }
            }
        }
    }
    segments
}

/// The value read as YAML (with goldpath's YAML 1.2 rules); text that is not YAML stays text.
fn parse_value(text: &str) -> Value {
    let options =
        serde_saphyr::options! { strict_booleans: true, leading_zero_numbers_as_strings: true };
    serde_saphyr::from_str_with_options::<Value>(text, options)
        .unwrap_or_else(|_| Value::from(text))
}

fn deep_merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, value) in source {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        deep_merge(existing, value)
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, source) => *target = source.clone(),
    }
}

fn set(document: &mut Value, path: &[String], value: Option<Value>) -> Result<(), String> {
    let (last, parents) = path.split_last().ok_or("empty path")?;
    let mut node = document;
    for segment in parents {
        node = child(node, segment)?;
    }
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    match node {
        Value::Object(map) => {
            match value {
                Some(v) => map.insert(last.clone(), v),
                None => map.remove(last),
            };
            Ok(())
        }
        Value::Array(items) => {
            let index = list_index(last, items.len(), true)?;
            match value {
                Some(v) if index == items.len() => items.push(v),
                Some(v) => items[index] = v,
                None if index < items.len() => {
                    items.remove(index);
                }
                None => {}
            }
            Ok(())
        }
        _ => Err(format!(
            "cannot set `{last}` inside a value that is not a mapping or a list"
        )),
    }
}

/// The child at `segment`, creating a mapping when the key is missing.
fn child<'a>(node: &'a mut Value, segment: &str) -> Result<&'a mut Value, String> {
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    match node {
        Value::Object(map) => Ok(map.entry(segment.to_owned()).or_insert(Value::Null)),
        Value::Array(items) => {
            let index = list_index(segment, items.len(), false)?;
            Ok(&mut items[index])
        }
        _ => Err(format!(
            "cannot go into `{segment}`: the value there is not a mapping or a list"
        )),
    }
}

fn list_index(segment: &str, len: usize, may_append: bool) -> Result<usize, String> {
    if segment == "-1" && may_append {
        return Ok(len);
    }
    match segment.parse::<usize>() {
        Ok(i) if i < len => Ok(i),
        _ => Err(format!(
            "`{segment}` is not an index of a list of {len} items (use -1 to append)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_file_deep_merges_maps_and_replaces_scalars_and_lists() {
        let mut doc = json!({"a": {"b": 1, "c": [1, 2]}, "d": "x"});
        let mut o = Overrides::default();
        o.document(json!({"a": {"c": [3], "e": true}, "d": {"f": 1}}))
            .unwrap();
        o.apply(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"a": {"b": 1, "c": [3], "e": true}, "d": {"f": 1}})
        );
    }

    #[test]
    fn properties_set_create_delete_and_read_yaml_values() {
        let mut doc = json!({"a": {"list": [1, 2, 3]}});
        let mut o = Overrides::default();
        for p in [
            "a.n=8080",
            "a.s=NO",
            "a.list.0=",
            "x.y.z=1.10",
            r"k\.dot=v",
            "a.list.-1=9",
        ] {
            o.property(p).unwrap();
        }
        o.apply(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"a": {"n": 8080, "s": "NO", "list": [2, 3, 9]}, "x": {"y": {"z": 1.1}}, "k.dot": "v"})
        );
    }

    #[test]
    fn bad_properties_are_refused_with_the_reason() {
        let mut o = Overrides::default();
        assert!(o.property("no-equals").is_err());
        assert!(o.property("a..b=1").is_err());
        o.property("a.b.c=1").unwrap();
        let err = o.apply(&mut json!({"a": {"b": "scalar"}})).unwrap_err();
        assert!(err.message().contains("not a mapping or a list"), "{err}");
        let mut o = Overrides::default();
        o.property("l.5=1").unwrap();
        assert!(
            o.apply(&mut json!({"l": []}))
                .unwrap_err()
                .message()
                .contains("not an index")
        );
    }
}
