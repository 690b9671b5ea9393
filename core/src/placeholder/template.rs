//! A string parsed into literal text and placeholders.

use std::fmt;
use std::str::FromStr;

use super::parse::{SyntaxError, parse};
use super::reference::Reference;

/// One piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    /// Literal text, with the escapes already applied (`$$` became `$`). Never empty.
    Text(String),
    /// A `${...}` placeholder.
    Placeholder(Reference),
}

/// A string parsed once into literal text and `${...}` placeholders.
///
/// Adjacent text is merged into one [`Part::Text`], so parts alternate unless two placeholders
/// touch. The empty string has no parts.
///
/// ```
/// use goldpath::placeholder::{parse, Part};
///
/// let template = parse("price: $$5, host: ${resources.db.host}").unwrap();
/// assert_eq!(template.parts().len(), 2);
/// assert_eq!(template.parts()[0], Part::Text("price: $5, host: ".into()));
/// assert_eq!(template.references().next().unwrap().to_string(), "resources.db.host");
/// assert!(!template.is_literal());
/// // Displayed, a template is written back in placeholder syntax.
/// assert_eq!(template.to_string(), "price: $$5, host: ${resources.db.host}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Template {
    parts: Vec<Part>,
}

impl Template {
    /// A template made of the given parts, as the parser produces them.
    pub(crate) fn from_parts(parts: Vec<Part>) -> Self {
        Self { parts }
    }

    /// The parts, in order.
    #[must_use]
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Every placeholder, in order.
    pub fn references(&self) -> impl Iterator<Item = &Reference> {
        self.parts.iter().filter_map(|part| match part {
            Part::Placeholder(reference) => Some(reference),
            Part::Text(_) => None,
        })
    }

    /// Whether the template holds no placeholder.
    #[must_use]
    pub fn is_literal(&self) -> bool {
        self.references().next().is_none()
    }

    /// The text of a template without placeholders (`""` when it has no parts), or `None`.
    #[must_use]
    pub fn literal_text(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [Part::Text(text)] => Some(text),
            _ => None,
        }
    }

    /// The reference when the whole template is exactly one placeholder, with no text around.
    #[must_use]
    pub fn as_single_reference(&self) -> Option<&Reference> {
        match self.parts.as_slice() {
            [Part::Placeholder(reference)] => Some(reference),
            _ => None,
        }
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            match part {
                Part::Text(text) => f.write_str(&escape(text))?,
                Part::Placeholder(reference) => write!(f, "${{{reference}}}")?,
            }
        }
        Ok(())
    }
}

impl FromStr for Template {
    type Err = SyntaxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

/// The text that parses back to exactly `s`, as literal text: every `$` becomes `$$`.
///
/// ```
/// use goldpath::placeholder::{escape, parse};
///
/// assert_eq!(escape("cost: ${x} $5"), "cost: $${x} $$5");
/// assert_eq!(parse(&escape("${x}")).unwrap().literal_text(), Some("${x}"));
/// ```
#[must_use]
pub fn escape(s: &str) -> String {
    s.replace('$', "$$")
}
