//! The parser of the placeholder grammar.
//!
//! Outside a placeholder: `$${` is a literal `${`, `$$` is `$`, any other `$` stays.
//! Inside `${...}`: dot-separated segments, each either bare (`\.` is a literal dot) or a
//! bracketed quoted string (`['...']`, `["..."]`) that may also follow a segment without a dot.

use super::reference::Reference;
use super::template::{Part, Template};

/// A string that does not follow the placeholder grammar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct SyntaxError {
    /// The 1-based character column, in the parsed string, where the problem starts.
    pub column: usize,
    /// What is wrong and what to change.
    pub message: String,
}

impl SyntaxError {
    fn new(column: usize, message: impl Into<String>) -> Self {
        Self {
            column,
            message: message.into(),
        }
    }

    /// The error as a goldpath [`Error`](crate::Error) of kind
    /// [`Placeholder`](crate::ErrorKind::Placeholder) at the location of the parsed value; the
    /// message names the column within the value.
    #[must_use]
    pub fn into_error(self, location: crate::Location) -> crate::Error {
        super::error_at_column(location, self.column, &self.message)
    }
}

const UNTERMINATED: &str =
    "unterminated placeholder: add a closing `}`, or write `$${` for a literal `${`";
const EMPTY: &str = "empty placeholder `${}`: write a path inside, such as `${metadata.name}`, \
                     or write `$${}` for a literal `${}`";
const EMPTY_SEGMENT: &str = "empty segment in the placeholder path: remove the extra `.` or \
                             name a key there (a key holding a dot is written `a\\.b` or `['a.b']`)";
const NESTED: &str = "nested `${` inside a placeholder: placeholders cannot be nested; \
                      write `$${` for a literal `${`";
const AFTER_BRACKET: &str =
    "expected `.`, `[` or `}` after `]`: separate segments with `.`, as in `['a.b'].c`";

/// Parses a string into a [`Template`].
///
/// ```
/// use goldpath::placeholder::parse;
///
/// let template = parse("${resources['dns#shared.api'].outputs.host}").unwrap();
/// let reference = template.as_single_reference().unwrap();
/// assert_eq!(reference.segments(), ["resources", "dns#shared.api", "outputs", "host"]);
///
/// let err = parse("url: ${resources.db.host").unwrap_err();
/// assert_eq!(err.column, 6);
/// assert!(err.message.contains("$${"));
/// ```
///
/// # Errors
///
/// A [`SyntaxError`] for an unterminated or empty placeholder, an empty segment, a nested
/// `${`, bad bracket syntax, or a stray character inside a placeholder.
pub fn parse(s: &str) -> Result<Template, SyntaxError> {
    let mut cursor = Cursor { rest: s, column: 1 };
    let mut parts = Vec::new();
    let mut text = String::new();
    loop {
        text.push_str(cursor.take_until_dollar());
        if cursor.rest.is_empty() {
            break;
        }
        if cursor.eat("$${") {
            text.push_str("${");
        } else if cursor.eat("$$") {
            text.push('$');
        } else if cursor.rest.starts_with("${") {
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Placeholder(placeholder(&mut cursor)?));
        } else {
            cursor.eat("$");
            text.push('$');
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(Template::from_parts(parts))
}

/// The unread rest of the string and the 1-based column of its first character.
struct Cursor<'a> {
    rest: &'a str,
    column: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest.chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.rest = &self.rest[c.len_utf8()..];
        self.column += 1;
        Some(c)
    }

    /// Consumes `prefix` if the rest starts with it.
    fn eat(&mut self, prefix: &str) -> bool {
        let Some(rest) = self.rest.strip_prefix(prefix) else {
            return false;
        };
        self.rest = rest;
        self.column += prefix.chars().count();
        true
    }

    fn take_until_dollar(&mut self) -> &'a str {
        let end = self.rest.find('$').unwrap_or(self.rest.len());
        let (taken, rest) = self.rest.split_at(end);
        self.rest = rest;
        self.column += taken.chars().count();
        taken
    }

    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError::new(self.column, message)
    }
}

/// Parses `${path}` with the cursor on its `$`.
fn placeholder(cursor: &mut Cursor<'_>) -> Result<Reference, SyntaxError> {
    let start = cursor.column;
    cursor.eat("${");
    let unterminated = || SyntaxError::new(start, UNTERMINATED);
    if cursor.peek() == Some('}') {
        return Err(SyntaxError::new(start, EMPTY));
    }
    let mut segments = Vec::new();
    loop {
        // A segment is expected here: at the start, or after a `.`.
        match cursor.peek() {
            None => return Err(unterminated()),
            Some('[') => segments.push(bracketed(cursor)?),
            Some('.' | '}') => return Err(cursor.error(EMPTY_SEGMENT)),
            Some(_) => {
                let segment = bare(cursor)?;
                if segment.is_empty() {
                    return Err(unexpected(cursor));
                }
                segments.push(segment);
            }
        }
        // After a segment: the end, a `.`, or a bracketed segment.
        loop {
            match cursor.peek() {
                None => return Err(unterminated()),
                Some('}') => {
                    cursor.bump();
                    return Ok(Reference::new(segments, start));
                }
                Some('.') => {
                    cursor.bump();
                    break;
                }
                Some('[') => segments.push(bracketed(cursor)?),
                Some(_) => return Err(unexpected(cursor)),
            }
        }
    }
}

/// Whether `c` may appear as itself in a bare segment.
fn is_bare(c: char) -> bool {
    !matches!(c, '.' | '[' | ']' | '{' | '}' | '\'' | '"' | '\\')
}

/// Reads a bare segment, stopping before the first character that cannot be in one.
fn bare(cursor: &mut Cursor<'_>) -> Result<String, SyntaxError> {
    let mut segment = String::new();
    loop {
        match (cursor.peek(), cursor.peek_second()) {
            (Some('\\'), Some('.')) => {
                cursor.eat("\\.");
                segment.push('.');
            }
            (Some('$'), Some('{')) => return Err(cursor.error(NESTED)),
            (Some(c), _) if is_bare(c) => {
                cursor.bump();
                segment.push(c);
            }
            _ => return Ok(segment),
        }
    }
}

/// The error for a character that cannot start or follow a segment. A bare segment stops only
/// before the characters named here, so any other character follows a `]`.
fn unexpected(cursor: &Cursor<'_>) -> SyntaxError {
    let message = match cursor.peek() {
        Some(']') => {
            "unexpected `]` in the placeholder path: a bracket holds a quoted key, \
                      as in `['key']`"
        }
        Some('{') => {
            "unexpected `{` in the placeholder path: quote the key as `['...']`, or \
                      write `$${` for a literal `${`"
        }
        Some('\'' | '"') => {
            "unexpected quote in the placeholder path: a quoted key goes in \
                             brackets, as in `['my key']`"
        }
        Some('\\') => {
            "unexpected `\\` in the placeholder path: a plain segment allows only \
                       `\\.` (a literal dot); write other keys as `['...']`"
        }
        _ => AFTER_BRACKET,
    };
    cursor.error(message)
}

/// Reads `['...']` or `["..."]` with the cursor on the `[`.
fn bracketed(cursor: &mut Cursor<'_>) -> Result<String, SyntaxError> {
    cursor.bump();
    let quote = match cursor.peek() {
        Some(q @ ('\'' | '"')) => q,
        _ => {
            return Err(
                cursor.error("a bracketed segment must be quoted: write `['key']` or `[\"key\"]`")
            );
        }
    };
    let quote_column = cursor.column;
    cursor.bump();
    let unclosed = || {
        SyntaxError::new(
            quote_column,
            format!("unclosed quote: add a closing `{quote}` before the `]`"),
        )
    };
    let mut segment = String::new();
    loop {
        match cursor.bump() {
            None => return Err(unclosed()),
            Some(c) if c == quote => break,
            Some('\\') => match cursor.peek() {
                None => return Err(unclosed()),
                Some(c @ ('\'' | '"' | '\\')) => {
                    cursor.bump();
                    segment.push(c);
                }
                Some(_) => {
                    return Err(SyntaxError::new(
                        cursor.column - 1,
                        "unknown escape in a quoted key: only `\\'`, `\\\"` and `\\\\` are \
                         allowed; write other characters as they are",
                    ));
                }
            },
            Some(c) => segment.push(c),
        }
    }
    if cursor.peek() != Some(']') {
        return Err(cursor.error("missing `]` after the quoted key: write `['key']`"));
    }
    cursor.bump();
    Ok(segment)
}
