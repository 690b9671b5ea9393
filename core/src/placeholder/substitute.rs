//! Substitution of a parsed template's placeholders through a [`Resolver`].

use serde_json::Value;

use super::reference::Reference;
use super::template::{Part, Template};
use crate::canonical_json::write_canonical_json;

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

    /// The most bytes one substituted string may have: [`substitute`] stops with a
    /// [`Limit`](crate::ErrorKind::Limit) error as soon as the string would grow past it.
    /// Default: [`Limits::default`](crate::load::Limits)'s `max_value_bytes`; the engine's
    /// resolvers give the engine's limit.
    fn max_value_bytes(&self) -> usize {
        crate::load::Limits::default().max_value_bytes
    }
}

impl<F> Resolver for F
where
    F: Fn(&Reference) -> Result<Value, String>,
{
    fn resolve(&self, reference: &Reference) -> Result<Value, String> {
        self(reference)
    }
}

/// A placeholder that could not be resolved, or whose value made the string too large.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstitutionError {
    /// The placeholder that failed.
    pub reference: Reference,
    /// Why, as the resolver said (or which limit the value passed).
    pub reason: String,
    /// [`Placeholder`](crate::ErrorKind::Placeholder) when the resolver refused the
    /// reference, [`Limit`](crate::ErrorKind::Limit) when the string grew past
    /// [`Resolver::max_value_bytes`].
    pub kind: crate::ErrorKind,
}

impl std::fmt::Display for SubstitutionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let placeholder = self.reference.to_placeholder();
        match self.kind {
            crate::ErrorKind::Limit => write!(f, "at `{placeholder}`: {}", self.reason),
            _ => write!(f, "cannot resolve `{placeholder}`: {}", self.reason),
        }
    }
}

impl std::error::Error for SubstitutionError {}

impl SubstitutionError {
    /// The error as a goldpath [`Error`](crate::Error) of kind
    /// [`Placeholder`](crate::ErrorKind::Placeholder) at the location of the substituted value;
    /// the message names the placeholder and its column within the value.
    #[must_use]
    pub fn into_error(self, location: crate::Location) -> crate::Error {
        let mut error =
            super::error_at_column(location, self.reference.column(), &self.to_string());
        if self.kind != crate::ErrorKind::Placeholder {
            let diagnostics = error.into_diagnostics().into_iter().map(|mut d| {
                d.kind = self.kind;
                d
            });
            error = crate::Error::from_diagnostics(diagnostics.collect()).unwrap_or_else(|| {
                crate::Error::new(self.kind, crate::Location::default(), self.reason)
            });
        }
        error
    }
}

/// Replaces every placeholder of `template` by its value, in one pass.
///
/// - A template that is exactly one placeholder gives the resolved value, type kept.
/// - Otherwise the result is a string: resolved strings are inserted as they are, other values
///   as compact JSON with sorted keys.
/// - Resolved values are never scanned for placeholders again.
/// - The string may not grow past [`Resolver::max_value_bytes`]: the first placeholder whose
///   value would pass it is an error of kind [`Limit`](crate::ErrorKind::Limit), before the
///   value is copied.
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
    let max = resolver.max_value_bytes();
    let mut out = String::new();
    for part in template.parts() {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Placeholder(reference) => {
                match resolve(reference, resolver)? {
                    Value::String(text) => {
                        within(out.len().saturating_add(text.len()), max, reference)?;
                        out.push_str(&text);
                    }
                    other => write_canonical_json(&mut out, &other),
                }
                within(out.len(), max, reference)?;
            }
        }
    }
    Ok(Value::String(out))
}

/// `Ok` when a string of `bytes` bytes fits in `max`; else the limit error at `reference`.
fn within(bytes: usize, max: usize, reference: &Reference) -> Result<(), SubstitutionError> {
    if bytes <= max {
        return Ok(());
    }
    Err(SubstitutionError {
        reference: reference.clone(),
        reason: format!(
            "the value grows to {bytes} bytes, past the limit of {max} (`Limits::max_value_bytes`): a string that repeats other values (a chain of resources that each double one) is refused; shorten it"
        ),
        kind: crate::ErrorKind::Limit,
    })
}

fn resolve(reference: &Reference, resolver: &dyn Resolver) -> Result<Value, SubstitutionError> {
    resolver
        .resolve(reference)
        .map_err(|reason| SubstitutionError {
            reference: reference.clone(),
            reason,
            kind: crate::ErrorKind::Placeholder,
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
    fn a_string_that_would_grow_past_the_value_limit_is_a_limit_error() {
        struct Small(Value);
        impl Resolver for Small {
            fn resolve(&self, r: &Reference) -> Result<Value, String> {
                lookup(&self.0, r.segments()).cloned()
            }
            fn max_value_bytes(&self) -> usize {
                20
            }
        }
        let small = Small(json!({"a": "x".repeat(8), "n": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}));
        let ok = substitute(&parse("${a}-${a}").unwrap(), &small).unwrap();
        assert_eq!(ok, json!("xxxxxxxx-xxxxxxxx"));
        let err = substitute(&parse("${a}${a}${a}").unwrap(), &small).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Limit);
        assert_eq!(err.reference.column(), 9);
        assert!(
            err.to_string()
                .starts_with("at `${a}`: the value grows to 24 bytes"),
            "{err}"
        );
        let err = substitute(&parse("n=${n}").unwrap(), &small).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Limit);
        let error = err.into_error(Location::in_file("score.yaml"));
        assert_eq!(error.kind(), ErrorKind::Limit);
        assert!(error.message().contains("max_value_bytes"), "{error}");
        // A whole-string placeholder passes its value on unchanged: it was bounded when made.
        assert_eq!(
            substitute(&parse("${n}").unwrap(), &small).unwrap(),
            small.0["n"]
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
