//! Substitution of a parsed template's placeholders through a [`Resolver`].

use serde_json::Value;

use super::canonical_json::write_canonical_json;
use super::reference::Reference;
use super::template::{Part, Template};

/// Gives the value a placeholder stands for.
///
/// Any `Fn(&Reference) -> Result<Value, String>` is a resolver.
pub trait Resolver {
    /// The value of `reference`, or why it has none (the message names no secret value).
    ///
    /// # Errors
    ///
    /// A reason, such as the one [`lookup`](super::lookup) gives, when the reference names
    /// nothing.
    fn resolve(&self, reference: &Reference) -> Result<Value, String>;
}

impl<F> Resolver for F
where
    F: Fn(&Reference) -> Result<Value, String>,
{
    fn resolve(&self, reference: &Reference) -> Result<Value, String> {
        self(reference)
    }
}

/// A placeholder that could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot resolve `{}`: {reason}", reference.to_placeholder())]
pub struct SubstitutionError {
    /// The placeholder that failed.
    pub reference: Reference,
    /// Why, as the resolver said.
    pub reason: String,
}

impl SubstitutionError {
    /// The error as a goldpath [`Error`](crate::Error) of kind
    /// [`Placeholder`](crate::ErrorKind::Placeholder) at the location of the substituted value;
    /// the message names the placeholder and its column within the value.
    #[must_use]
    pub fn into_error(self, location: crate::Location) -> crate::Error {
        super::error_at_column(location, self.reference.column(), &self.to_string())
    }
}

/// Replaces every placeholder of `template` by its value, in one pass.
///
/// - A template that is exactly one placeholder gives the resolved value, type kept.
/// - Otherwise the result is a string: resolved strings are inserted as they are, other values
///   as compact JSON with sorted keys.
/// - Resolved values are never scanned for placeholders again.
///
/// ```
/// use goldpath::placeholder::{lookup, parse, substitute, Reference};
/// use serde_json::json;
///
/// let context = json!({"resources": {"db": {"host": "db.internal", "port": 5432}}});
/// let resolver = |r: &Reference| lookup(&context, r.segments()).cloned();
///
/// let port = substitute(&parse("${resources.db.port}").unwrap(), &resolver).unwrap();
/// assert_eq!(port, json!(5432));
///
/// let url = parse("postgres://${resources.db.host}:${resources.db.port}").unwrap();
/// assert_eq!(substitute(&url, &resolver).unwrap(), json!("postgres://db.internal:5432"));
///
/// let err = substitute(&parse("${resources.db.hostname}").unwrap(), &resolver).unwrap_err();
/// assert!(err.to_string().starts_with("cannot resolve `${resources.db.hostname}`"));
/// ```
///
/// # Errors
///
/// The first placeholder the resolver refuses, with its reason.
pub fn substitute(
    template: &Template,
    resolver: &dyn Resolver,
) -> Result<Value, SubstitutionError> {
    if let Some(reference) = template.as_single_reference() {
        return resolve(reference, resolver);
    }
    let mut out = String::new();
    for part in template.parts() {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Placeholder(reference) => match resolve(reference, resolver)? {
                Value::String(text) => out.push_str(&text),
                other => write_canonical_json(&mut out, &other),
            },
        }
    }
    Ok(Value::String(out))
}

fn resolve(reference: &Reference, resolver: &dyn Resolver) -> Result<Value, SubstitutionError> {
    resolver
        .resolve(reference)
        .map_err(|reason| SubstitutionError {
            reference: reference.clone(),
            reason,
        })
}

#[cfg(test)]
mod tests {
    use super::super::{lookup, parse};
    use super::*;
    use crate::{DocPath, ErrorKind, Location};
    use serde_json::json;

    fn context() -> Value {
        json!({
            "metadata": {"name": "web", "other": {"z": 1, "a": "b"}},
            "resources": {
                "db": {"host": "db.internal", "port": 5432, "tls": true, "opts": {"b": [1, 2], "a": null}},
                "env": {"DEBUG": "${DEBUG}", "price": "$$5"}
            }
        })
    }

    fn run(template: &str) -> Result<Value, SubstitutionError> {
        let root = context();
        let resolver = |r: &Reference| lookup(&root, r.segments()).cloned();
        substitute(&parse(template).unwrap(), &resolver)
    }

    #[test]
    fn a_whole_string_placeholder_keeps_the_type() {
        assert_eq!(run("${resources.db.port}"), Ok(json!(5432)));
        assert_eq!(run("${resources.db.tls}"), Ok(json!(true)));
        assert_eq!(run("${metadata.other}"), Ok(json!({"a": "b", "z": 1})));
        assert_eq!(run("${resources.db.opts.a}"), Ok(Value::Null));
        assert_eq!(run("${metadata.name}"), Ok(json!("web")));
    }

    #[test]
    fn embedded_values_are_raw_strings_or_sorted_compact_json() {
        assert_eq!(run("name=${metadata.name}"), Ok(json!("name=web")));
        assert_eq!(run("port ${resources.db.port}"), Ok(json!("port 5432")));
        assert_eq!(run("${resources.db.tls}!"), Ok(json!("true!")));
        assert_eq!(
            run("opts: ${resources.db.opts} ${metadata.other}"),
            Ok(json!(r#"opts: {"a":null,"b":[1,2]} {"a":"b","z":1}"#))
        );
        assert_eq!(run("${metadata.name}${metadata.name}"), Ok(json!("webweb")));
    }

    #[test]
    fn literal_templates_give_their_text() {
        assert_eq!(run("price: $$5 $${x}"), Ok(json!("price: $5 ${x}")));
        assert_eq!(run(""), Ok(json!("")));
    }

    #[test]
    fn substitution_is_a_single_pass() {
        assert_eq!(run("${resources.env.DEBUG}"), Ok(json!("${DEBUG}")));
        assert_eq!(run("x=${resources.env.DEBUG}"), Ok(json!("x=${DEBUG}")));
        assert_eq!(run("${resources.env.price}"), Ok(json!("$$5")));
    }

    #[test]
    fn a_resolver_failure_names_the_placeholder_and_the_reason() {
        let err = run("host: ${resources.db.hostname}").unwrap_err();
        assert_eq!(err.reference.segments(), ["resources", "db", "hostname"]);
        assert_eq!(
            err.to_string(),
            "cannot resolve `${resources.db.hostname}`: `resources.db.hostname`: no key `hostname`; known keys: host, opts, port, tls"
        );
        let located = Location::in_file("score.yaml").with_path(DocPath::root().key("x"));
        let error = err.into_error(located);
        assert_eq!(error.kind(), ErrorKind::Placeholder);
        assert!(error.message().contains("column 7"), "{}", error.message());
        assert!(
            error.message().contains("`${resources.db.hostname}`"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn the_first_failing_placeholder_is_reported() {
        let err = run("${metadata.name} ${metadata.a} ${metadata.b}").unwrap_err();
        assert_eq!(err.reference.column(), 18);
    }

    #[test]
    fn a_closure_with_its_own_rules_is_a_resolver() {
        let only_metadata = |r: &Reference| match r.root() {
            "metadata" => Ok(json!("ok")),
            other => Err(format!(
                "unknown root `{other}`: use `metadata`, or `$$` to escape"
            )),
        };
        let err = substitute(&parse("${LOG_LEVEL}").unwrap(), &only_metadata).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot resolve `${LOG_LEVEL}`: unknown root `LOG_LEVEL`: use `metadata`, or `$$` to escape"
        );
    }
}
