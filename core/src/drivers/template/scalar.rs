//! What a hole's rendered text becomes inside its scalar, exactly as the YAML parser would read
//! the rendered document, or `None` whenever that is not certain (the caller then renders and
//! parses the whole text).
//!
//! The common cases are decided here (plain words, decimal integers, JSON strings without
//! escapes); every other text that is safe in its place is read by the parser itself, alone
//! (a plain scalar or a one-line flow value reads the same alone as in its document).

use serde_json::Value;

use super::rendered::yaml_value;
use super::source::RESERVED;

/// Texts already read by the parser during one fill (a template often renders the same
/// labels several times).
#[derive(Debug, Default)]
pub(super) struct Reader {
    seen: Vec<(String, Value)>,
}

impl Reader {
    /// `text` parsed alone, remembered; `None` when it does not parse.
    fn parse(&mut self, text: &str) -> Option<Value> {
        if let Some((_, value)) = self.seen.iter().find(|(seen, _)| seen == text) {
            return Some(value.clone());
        }
        let value = yaml_value(text).ok()?;
        self.seen.push((text.to_owned(), value.clone()));
        Some(value)
    }

    /// The value of a plain scalar whose text is `text` (holes filled in), in flow context or
    /// not; `None` when the text could end or change the scalar in the full document.
    pub(super) fn plain(&mut self, text: &str, in_flow: bool) -> Option<Value> {
        if !plain_is_safe(text, in_flow) {
            return None;
        }
        match resolve_common(text) {
            Some(value) => Some(value),
            None => self.parse(text),
        }
    }

    /// The value of a plain scalar that is one whole hole, in block context `depth`
    /// collections deep: a flow mapping, sequence or quoted scalar on one line
    /// (`{{ x | tojson }}`), empty text (`null`), or a plain scalar.
    pub(super) fn whole(&mut self, text: &str, depth: usize) -> Option<Value> {
        if text.is_empty() {
            return Some(Value::Null);
        }
        if has_forbidden(text) {
            return None;
        }
        if !text.starts_with(['{', '[', '"', '\'']) {
            return self.plain(text, false);
        }
        if let Some(inner) = simple_double_quoted(text) {
            return Some(Value::String(inner.to_owned()));
        }
        // The parser refuses documents nested deeper than 64: stay well inside.
        let nesting = flow_nesting(text)?;
        if depth + nesting > MAX_NESTING {
            return None;
        }
        self.parse(text)
    }
}

/// The deepest nesting of a filled flow value in its document (the parser's limit is 64).
const MAX_NESTING: usize = 48;

/// Whether `text` holds a character that never takes the fast path: control characters
/// (line breaks, tabs), Unicode line separators, the byte order mark, non-characters that
/// YAML does not print, reserved characters.
pub(super) fn has_forbidden(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
            )
            || RESERVED.contains(&c)
    })
}

/// Whether `text` reads as one plain scalar with exactly this text where a plain scalar
/// stood: not empty, no indicator at the start, no `: `, ` #`, trailing `:`, surrounding
/// spaces or document markers, no flow indicators in flow context.
pub(super) fn plain_is_safe(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if has_forbidden(text) || text.starts_with(' ') || text.ends_with([' ', ':']) {
        return false;
    }
    if text.starts_with("---") || text.starts_with("...") {
        return false;
    }
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let dash_ok = first == '-'
        && text[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
    if indicator && !dash_ok {
        return false;
    }
    if text.contains(": ") || text.contains(" #") {
        return false;
    }
    !(in_flow && text.contains([',', '[', ']', '{', '}', ':']))
}

/// The value of a safe plain text in the commonest cases, decided without the parser: YAML
/// 1.2 booleans and nulls, words, decimal integers of up to 18 digits, numbers with leading
/// zeros (kept as strings). `None` for everything else.
pub(crate) fn resolve_common(text: &str) -> Option<Value> {
    match text {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        "null" | "Null" | "NULL" | "~" => return Some(Value::Null),
        _ => {}
    }
    let first = text.chars().next()?;
    if first.is_ascii_alphabetic() || first == '/' || first == '$' {
        return Some(Value::String(text.to_owned()));
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return Some(Value::String(text.to_owned()));
    }
    if negative && digits == "0" {
        return None;
    }
    let magnitude: i64 = digits.parse().ok()?;
    Some(Value::from(if negative { -magnitude } else { magnitude }))
}

/// The inner text of `"..."` without quotes or backslashes inside.
fn simple_double_quoted(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['"', '\\'])).then_some(inner)
}

/// How deep the single flow collection or quoted scalar `text` nests, when it is one from its
/// first to its last character (so that it cannot be, say, the key of a mapping).
/// Conservative: a quote anywhere but at the start of a scalar answers `None`.
fn flow_nesting(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let last = bytes.len().checked_sub(1)?;
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut previous: Option<u8> = None;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        match byte {
            b'"' | b'\'' => {
                if !previous.is_none_or(|p| b"{[,:".contains(&p)) {
                    return None;
                }
                at = quote_end(bytes, at)?;
                if depth == 0 {
                    return (at == last).then_some(deepest);
                }
            }
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (at == last).then_some(deepest);
                }
            }
            _ => {}
        }
        if byte != b' ' {
            previous = Some(byte);
        }
        at += 1;
    }
    None
}

/// The index of the quote that closes the YAML quoted scalar opening at `at`.
fn quote_end(bytes: &[u8], at: usize) -> Option<usize> {
    let quote = bytes[at];
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the parser makes of `key: TEXT` in a document.
    fn in_document(text: &str) -> Option<Value> {
        let doc = yaml_value(&format!("key: {text}\n")).ok()?;
        doc.get("key").cloned()
    }

    /// What the parser makes of `[TEXT]`.
    fn in_flow_document(text: &str) -> Option<Value> {
        let doc = yaml_value(&format!("key: [{text}]\n")).ok()?;
        match doc.get("key")? {
            Value::Array(items) if items.len() == 1 => Some(items[0].clone()),
            _ => None,
        }
    }

    const EDGE_CASES: &[&str] = &[
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "Yes",
        "NO",
        "true",
        "True",
        "TRUE",
        "tRue",
        "false",
        "False",
        "FALSE",
        "0755",
        "-0755",
        "+0755",
        "0",
        "-0",
        "+1",
        "+0",
        "1",
        "-1",
        "42",
        "123456789012345678",
        "1234567890123456789",
        "99999999999999999999",
        "1e3",
        "1E3",
        "-1e3",
        "1.5",
        ".5",
        "-.5",
        "5.",
        "0.5",
        "1_000",
        "0x1F",
        "0o17",
        "0b101",
        "0X1f",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "-",
        "--",
        "-a",
        "a-",
        ".inf",
        "-.inf",
        ".nan",
        ".NaN",
        "inf",
        "nan",
        "Infinity",
        "2024-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "12:30",
        "1:30:00",
        "1Gi",
        "100m",
        "10.0.0.1",
        "v1.2.3",
        "/path/to/x",
        "$$HOME",
        "$${a}",
        "a b",
        "a  b",
        "a:b",
        "http://x:80/y",
        "a#b",
        "a,b",
        "é",
        "日本",
        "_1",
        "_a",
        "=",
        "<<",
        "a'b",
        "a\"b",
        "1.0.0",
        "0.0",
        "-0.0",
        "1e400",
        "0e0",
        "00",
        "08",
        "09.5",
        "12e",
        "0x",
        "0xZZ",
        "+",
        "+.5",
        "1__0",
    ];

    #[test]
    fn common_scalars_resolve_as_the_parser_resolves_them() {
        let mut decided = 0;
        for text in EDGE_CASES {
            if !plain_is_safe(text, false) {
                continue;
            }
            if let Some(value) = resolve_common(text) {
                assert_eq!(Some(value), in_document(text), "`{text}`");
                decided += 1;
            }
        }
        assert!(decided > 30, "{decided}");
    }

    #[test]
    fn safe_plain_texts_read_the_same_alone_and_in_a_document() {
        for text in EDGE_CASES {
            let mut reader = Reader::default();
            if let Some(value) = reader.plain(text, false) {
                assert_eq!(Some(value), in_document(text), "`{text}`");
            }
            let mut reader = Reader::default();
            if let Some(value) = reader.plain(text, true) {
                assert_eq!(Some(value), in_flow_document(text), "`{text}` in flow");
            }
        }
        let mut reader = Reader::default();
        assert_eq!(reader.plain("yes", false), Some(Value::from("yes")));
        assert_eq!(reader.plain("0755", false), Some(Value::from("0755")));
        assert_eq!(reader.plain("1e3", false), Some(Value::from(1000.0)));
        assert_eq!(reader.plain("~", false), Some(Value::Null));
        assert_eq!(reader.plain("0x1F", false), Some(Value::from(31)));
        assert_eq!(
            reader.plain("2024-01-01", false),
            Some(Value::from("2024-01-01"))
        );
    }

    #[test]
    fn texts_that_would_change_the_document_are_refused() {
        for text in [
            "",
            " a",
            "a ",
            "a: b",
            "a:",
            "a #b",
            "- a",
            "-",
            "? a",
            ": a",
            "&a",
            "*a",
            "!a",
            "|",
            ">",
            "'a'",
            "\"a\"",
            "%a",
            "@a",
            "`a",
            "#a",
            "[a]",
            "{a}",
            "---",
            "...",
            "a\nb",
            "a\tb",
            "a\u{2028}b",
            "\u{FEFF}a",
            "a\u{E000}",
            "a\u{FFFE}",
        ] {
            assert!(!plain_is_safe(text, false), "`{text:?}`");
        }
        for text in ["a,b", "a]", "a}", "a:b", "a[", "a{"] {
            assert!(plain_is_safe(text, false), "`{text}`");
            assert!(!plain_is_safe(text, true), "`{text}` in flow");
        }
    }

    #[test]
    fn whole_holes_read_flow_values_as_the_document_does() {
        for text in [
            r#"{"a":"b","c":1}"#,
            r#"{"app.kubernetes.io/name":"x","n":[1,2,{"d":null}]}"#,
            r#"["a",true,false,null,-3]"#,
            r#""plain""#,
            r#""with \"escapes\" \u00e9 \n""#,
            r#""\ud83d\ude00""#,
            "'single ''quoted'''",
            "{a: b}",
            "[a, b]",
            "{}",
            "[]",
            r#"{"a":1.5,"b":1e400}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a": "b"} "#,
            "yes",
            "",
        ] {
            let mut reader = Reader::default();
            if let Some(value) = reader.whole(text, 1) {
                let expected = if text.is_empty() {
                    Some(Value::Null)
                } else {
                    in_document(text)
                };
                assert_eq!(Some(value), expected, "`{text}`");
            }
        }
        let mut reader = Reader::default();
        assert_eq!(
            reader.whole(r#"{"a":"b"}"#, 1),
            Some(serde_json::json!({"a": "b"}))
        );
        assert_eq!(reader.whole(r#"{"a":1,"a":2}"#, 1), None);
        for text in [
            r#""a": "b""#,
            "{a: 1}: b",
            "[a] # c",
            "{a: b\"c}",
            "[a], [b]",
        ] {
            assert_eq!(flow_nesting(text), None, "`{text}`");
        }
        assert_eq!(flow_nesting(r#"[{"a":[1]},"]"]"#), Some(3));
        let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
        assert_eq!(reader.whole(&deep, 1), None);
        assert!(yaml_value(&format!("key: {deep}")).is_err());
    }
}
