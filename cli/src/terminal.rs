//! Text from records and plans, made safe to print: every control character (ESC, newline,
//! carriage return, backspace, DEL, the C1 controls) and every bidirectional-text override is
//! shown as an escape (`\u{1b}`, `\n`), so a value such as an image `ESC[2J` cannot clear the
//! screen, move the cursor, recolour or forge lines of goldpath's output.

use std::borrow::Cow;

/// `text` with every control and bidirectional-override character escaped: for one value or
/// one line.
///
/// ```ignore
/// assert_eq!(escaped("web\u{1b}[2J\n"), "web\\u{1b}[2J\\n");
/// ```
#[must_use]
pub fn escaped(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// As [`escaped`], but newlines stay: for text goldpath lays out in lines itself (a diff).
/// A value inside it can still start a line, but can no longer move the cursor, recolour or
/// erase what was printed.
#[must_use]
pub fn escaped_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| needs_escape(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if !unsafe_char(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

/// Control characters, and the characters that reorder text on screen (U+200E, U+200F,
/// U+202A..U+202E, U+2066..U+2069).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_plain_text_is_borrowed() {
        assert_eq!(escaped("web\u{1b}[2J\n"), "web\\u{1b}[2J\\n");
        assert_eq!(escaped("a\tb\rc\u{7f}\u{9b}"), "a\\tb\\rc\\u{7f}\\u{9b}");
        assert_eq!(escaped("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert!(matches!(
            escaped("nginx:1.27 é"),
            Cow::Borrowed("nginx:1.27 é")
        ));
        assert_eq!(escaped_lines("a\nb\u{1b}c\n"), "a\nb\\u{1b}c\n");
    }
}
