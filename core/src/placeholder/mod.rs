//! The `${...}` placeholder grammar, parsed once into an AST, and substitution over a resolver.
//!
//! A string is [`parse`]d into a [`Template`]: literal text and [`Reference`]s. Outside a
//! placeholder `$${` is a literal `${`, `$$` is `$`, and any other `$` stays as it is. A
//! placeholder's path is dot-separated segments; `\.` is a literal dot in a plain segment, and
//! a bracketed quoted segment (`['dns#shared.api']`, `["a.b"]`) holds any text. [`escape`]
//! gives the text that parses back to a literal string.
//!
//! [`substitute`] replaces placeholders through a [`Resolver`] in one pass; [`lookup`] walks a
//! JSON tree by the segments of a reference and says what exists when it misses.
//!
//! ```
//! use goldpath::placeholder::{lookup, parse, substitute, Reference};
//! use serde_json::json;
//!
//! let context = json!({"metadata": {"name": "web"}, "resources": {"db": {"port": 5432}}});
//! let resolver = |r: &Reference| lookup(&context, r.segments()).cloned();
//! let template = parse("$${NAME} is ${metadata.name}, db on ${resources.db.port}").unwrap();
//! assert_eq!(substitute(&template, &resolver).unwrap(), json!("${NAME} is web, db on 5432"));
//! ```

mod lookup;
mod parse;
mod reference;
mod substitute;
mod template;

#[cfg(test)]
mod parse_tests;

/// Moved to [`crate::canonical_json`]; kept here so existing paths still compile.
pub use crate::canonical_json::canonical_json;
pub use lookup::lookup;
pub use parse::{SyntaxError, parse};
pub use reference::Reference;
pub use substitute::{Resolver, SubstitutionError, substitute};
pub use template::{Part, Template, escape};

/// A [`Placeholder`](crate::ErrorKind::Placeholder) error whose message starts with the column
/// of the problem inside the value.
fn error_at_column(location: crate::Location, column: usize, message: &str) -> crate::Error {
    crate::Error::new(
        crate::ErrorKind::Placeholder,
        location,
        format!("at column {column} of the value: {message}"),
    )
}
