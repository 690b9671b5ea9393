//! A parsed `${...}` reference: the segments of its path and where it starts.

use std::fmt::{self, Write};

/// The path inside one `${...}` placeholder, split into segments.
///
/// `${resources['dns#shared.api'].outputs.host}` has the segments `resources`,
/// `dns#shared.api`, `outputs` and `host`. Displayed, a reference is written in its canonical
/// form: plain words joined by dots, other segments in brackets and single quotes.
///
/// ```
/// use goldpath::placeholder::{parse, Part};
///
/// let template = parse(r"${metadata.annotations.example\.com/team}").unwrap();
/// let Part::Placeholder(reference) = &template.parts()[0] else { panic!("not a placeholder") };
/// assert_eq!(reference.segments(), ["metadata", "annotations", "example.com/team"]);
/// assert_eq!(reference.root(), "metadata");
/// assert_eq!(reference.to_string(), "metadata.annotations['example.com/team']");
/// assert_eq!(reference.to_placeholder(), "${metadata.annotations['example.com/team']}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    segments: Vec<String>,
    column: usize,
}

impl Reference {
    /// A reference with the given segments whose `$` is at `column` (1-based).
    pub(crate) fn new(segments: Vec<String>, column: usize) -> Self {
        Self { segments, column }
    }

    /// The segments of the path, outermost first (never empty for a parsed reference).
    #[must_use]
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The 1-based character column of the placeholder's `$` in the string it was parsed from.
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }

    /// The first segment (`metadata`, `resources`, `context`, ...).
    #[must_use]
    pub fn root(&self) -> &str {
        self.segments.first().map_or("", String::as_str)
    }

    /// The reference written as a placeholder: `${resources.db.host}`.
    #[must_use]
    pub fn to_placeholder(&self) -> String {
        format!("${{{self}}}")
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_path(f, &self.segments)
    }
}

/// The canonical text of a path: `resources.db.host`, `resources['dns#a'].host`.
pub(crate) fn path_to_string(segments: &[String]) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_path(&mut out, segments);
    out
}

fn write_path(out: &mut impl Write, segments: &[String]) -> fmt::Result {
    for (n, segment) in segments.iter().enumerate() {
        if is_plain(segment) {
            if n > 0 {
                out.write_char('.')?;
            }
            out.write_str(segment)?;
        } else {
            write_quoted(out, segment)?;
        }
    }
    Ok(())
}

/// Whether a segment can be written without brackets and quotes.
fn is_plain(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Writes `['...']`, escaping `\` and `'` with a backslash.
fn write_quoted(out: &mut impl Write, segment: &str) -> fmt::Result {
    out.write_str("['")?;
    for c in segment.chars() {
        if c == '\\' || c == '\'' {
            out.write_char('\\')?;
        }
        out.write_char(c)?;
    }
    out.write_str("']")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segments: &[&str]) -> String {
        path_to_string(&segments.iter().map(ToString::to_string).collect::<Vec<_>>())
    }

    #[test]
    fn plain_segments_are_joined_by_dots() {
        assert_eq!(
            path(&["resources", "db-1", "host_name"]),
            "resources.db-1.host_name"
        );
    }

    #[test]
    fn other_segments_are_bracketed_and_escaped() {
        assert_eq!(path(&["a.b", "c"]), "['a.b'].c");
        assert_eq!(
            path(&["x", "it's", r"back\slash", ""]),
            r"x['it\'s']['back\\slash']['']"
        );
        assert_eq!(path(&["ü"]), "['ü']");
    }

    #[test]
    fn root_of_a_reference_without_segments_is_empty() {
        assert_eq!(Reference::new(Vec::new(), 1).root(), "");
        assert_eq!(
            Reference::new(vec!["metadata".into()], 4).root(),
            "metadata"
        );
    }
}
