//! One-pass placeholder substitution over the values of a definition, with the document path
//! of every value for errors, and the naming of the definition in errors.

use serde_json::{Map, Value};

use crate::placeholder::{Resolver, canonical_json, parse, substitute};
use crate::platform::Definition;
use crate::{DocPath, Error, Location, PathSegment, Result};

/// The path of a definition's `spec`, where driver error paths start.
pub(crate) fn spec_path() -> DocPath {
    DocPath::root().key("spec")
}

/// `text` with its placeholders substituted; a whole-string placeholder keeps its type.
pub(crate) fn substitute_text(
    text: &str,
    resolver: &dyn Resolver,
    path: &DocPath,
) -> Result<Value> {
    let at = || Location::default().with_path(path.clone());
    let template = parse(text).map_err(|e| e.into_error(at()))?;
    substitute(&template, resolver).map_err(|e| e.into_error(at()))
}

/// `text` with its placeholders substituted, as text: a value that is not a string is written
/// as compact JSON, as it would be inside a longer string.
pub(crate) fn substitute_string(
    text: &str,
    resolver: &dyn Resolver,
    path: &DocPath,
) -> Result<String> {
    Ok(match substitute_text(text, resolver, path)? {
        Value::String(text) => text,
        other => canonical_json(&other),
    })
}

/// What substitution does with the keys of maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// Keys are copied as they are (definition inputs, where only values are expanded).
    Verbatim,
    /// Keys are substituted too, to text (rendered templates, whose variables are escaped).
    Substituted,
}

/// `value` with the placeholders of every string and every key inside substituted once, in
/// place; a key becomes text. Strings without a placeholder and maps whose keys hold none
/// are not copied.
pub(crate) fn substitute_tree_and_keys_in(
    value: &mut Value,
    resolver: &dyn Resolver,
    path: &DocPath,
) -> Result<()> {
    walk_in_place(value, resolver).map_err(|failure| failure.into_error(path))
}

/// The entries of a map with the placeholders of every string inside their values
/// substituted once; keys are kept as they are.
pub(crate) fn substitute_map<'a>(
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
    resolver: &dyn Resolver,
    path: &DocPath,
) -> Result<Map<String, Value>> {
    walk_map(entries, resolver, path, Keys::Verbatim)
}

fn walk_map<'a>(
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
    resolver: &dyn Resolver,
    path: &DocPath,
    keys: Keys,
) -> Result<Map<String, Value>> {
    walk_entries(entries, resolver, keys).map_err(|failure| failure.into_error(path))
}

/// A substitution that failed somewhere below: the way down (innermost segment first) and the
/// error, which gets its full path only when it is reported. Successful walks build no paths.
struct Failure {
    below: Vec<PathSegment>,
    error: Error,
}

impl Failure {
    fn at(mut self, segment: PathSegment) -> Self {
        self.below.push(segment);
        self
    }

    fn into_error(self, base: &DocPath) -> Error {
        let mut path = base.clone();
        for segment in self.below.into_iter().rev() {
            path = match segment {
                PathSegment::Key(k) => path.key(k),
                PathSegment::Index(i) => path.index(i),
            };
        }
        self.error.at_path(&path)
    }
}

fn fail(error: Error) -> Failure {
    Failure {
        below: Vec::new(),
        error,
    }
}

fn walk_value(value: &Value, resolver: &dyn Resolver, keys: Keys) -> Result<Value, Failure> {
    Ok(match value {
        // Most strings hold no placeholder: copy them without parsing.
        Value::String(text) if !text.contains('$') => value.clone(),
        Value::String(text) => substitute_text(text, resolver, &DocPath::root()).map_err(fail)?,
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    walk_value(item, resolver, keys).map_err(|f| f.at(PathSegment::Index(i)))
                })
                .collect::<Result<_, Failure>>()?,
        ),
        Value::Object(map) => Value::Object(walk_entries(map.iter(), resolver, keys)?),
        scalar => scalar.clone(),
    })
}

/// [`walk_value`] with [`Keys::Substituted`], in place: the same values and the same first
/// error (a map whose keys hold a placeholder is walked as `walk_value` walks it).
fn walk_in_place(value: &mut Value, resolver: &dyn Resolver) -> Result<(), Failure> {
    match value {
        Value::String(text) if text.contains('$') => {
            *value = substitute_text(text, resolver, &DocPath::root()).map_err(fail)?;
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk_in_place(item, resolver).map_err(|f| f.at(PathSegment::Index(i)))?;
            }
        }
        Value::Object(map) if map.keys().any(|key| key.contains('$')) => {
            *map = walk_entries(map.iter(), resolver, Keys::Substituted)?;
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                walk_in_place(item, resolver).map_err(|f| f.at(PathSegment::Key(key.clone())))?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn walk_entries<'a>(
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
    resolver: &dyn Resolver,
    keys: Keys,
) -> Result<Map<String, Value>, Failure> {
    let mut out = Map::new();
    for (key, value) in entries {
        let here = || PathSegment::Key(key.clone());
        let value = walk_value(value, resolver, keys).map_err(|f| f.at(here()))?;
        let key = match keys {
            Keys::Substituted if key.contains('$') => {
                substitute_string(key, resolver, &DocPath::root())
                    .map_err(|e| fail(e).at(here()))?
            }
            _ => key.clone(),
        };
        if out.contains_key(&key) {
            // The key may hold a secret: it is not quoted.
            let message = "two keys of this mapping become the same text after substitution: \
                           rename one"
                .to_owned();
            return Err(fail(Error::new(
                crate::ErrorKind::Invalid,
                Location::default(),
                message,
            ))
            .at(here()));
        }
        out.insert(key, value);
    }
    Ok(out)
}

/// The error with every message prefixed by ``definition `NAME`: ``.
pub(crate) fn in_definition(definition: &Definition, error: Error) -> Error {
    let prefix = format!("definition `{}`: ", definition.name);
    let diagnostics = error.into_diagnostics();
    let renamed = diagnostics.into_iter().map(|mut d| {
        d.message.insert_str(0, &prefix);
        d
    });
    Error::from_diagnostics(renamed.collect()).unwrap_or_else(|| {
        Error::new(
            crate::ErrorKind::Driver,
            Location::default(),
            format!("{prefix}failed without a reason"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::placeholder::{Reference, lookup};
    use serde_json::json;

    fn walk_verbatim(value: &Value, resolver: &dyn Resolver, path: &DocPath) -> Result<Value> {
        walk_value(value, resolver, Keys::Verbatim).map_err(|failure| failure.into_error(path))
    }

    fn tree() -> Value {
        json!({"params": {"port": 5432, "name": "${x}"}})
    }

    #[test]
    fn strings_are_substituted_once_and_keep_their_type_when_whole() {
        let root = tree();
        let resolver = |r: &Reference| lookup(&root, r.segments()).cloned();
        let value = json!({"port": "${params.port}", "list": ["n=${params.name}", 1, "$${y}"]});
        let done = walk_verbatim(&value, &resolver, &spec_path()).unwrap();
        assert_eq!(done, json!({"port": 5432, "list": ["n=${x}", 1, "${y}"]}));
        assert_eq!(
            substitute_string("${params.port}", &resolver, &spec_path()).unwrap(),
            "5432"
        );
    }

    #[test]
    fn errors_carry_the_path_of_the_value() {
        let root = tree();
        let resolver = |r: &Reference| lookup(&root, r.segments()).cloned();
        let value = json!({"a": [{"b": "${params.nope}"}]});
        let path = spec_path().key("inputs");
        let err = walk_verbatim(&value, &resolver, &path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Placeholder);
        assert_eq!(err.location().path.to_string(), "spec.inputs.a[0].b");
        let err = walk_verbatim(&json!("${"), &resolver, &path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Placeholder);
    }

    #[test]
    fn keys_are_substituted_only_when_asked() {
        let root = tree();
        let resolver = |r: &Reference| lookup(&root, r.segments()).cloned();
        let value = json!({"$${a}": 1, "k-${params.port}": "$$"});
        assert_eq!(
            walk_verbatim(&value, &resolver, &spec_path()).unwrap(),
            json!({"$${a}": 1, "k-${params.port}": "$"})
        );
        let in_place = |value: &Value| {
            let mut value = value.clone();
            substitute_tree_and_keys_in(&mut value, &resolver, &spec_path()).map(|()| value)
        };
        assert_eq!(in_place(&value).unwrap(), json!({"${a}": 1, "k-5432": "$"}));
        // Below a map whose keys hold no placeholder, values are substituted in place.
        let nested = json!({"a": [{"b": "${params.port}", "c": "plain"}, "$${d}"], "e": 2});
        assert_eq!(
            in_place(&nested).unwrap(),
            json!({"a": [{"b": 5432, "c": "plain"}, "${d}"], "e": 2})
        );
        let err = in_place(&json!({"a": [{"b": "${params.nope}"}]})).unwrap_err();
        assert_eq!(err.location().path.to_string(), "spec.a[0].b");
        let clash = json!({"a": 1, "${params.name}": 2, "$${x}": 3});
        let err = in_place(&clash).unwrap_err();
        assert!(err.message().contains("become the same text"), "{err}");
        assert!(!err.to_string().contains("${x}"), "{err}");
    }
}
