//! Deterministic YAML output: keys sorted, two-space indentation, and every string that a
//! YAML 1.1 parser (kubectl's) or a YAML 1.2 parser would read as something else quoted, so
//! `NO`, `on`, `1:30`, `0755`, `~` and `1e3` stay strings everywhere.
//!
//! ```
//! let doc = serde_json::json!({"b": ["NO", "yes", 1], "a": {"mode": "0755", "x": "plain"}});
//! let text = goldpath::render::yaml::to_string(&doc);
//! assert_eq!(text, "a:\n  mode: \"0755\"\n  x: plain\nb:\n- \"NO\"\n- \"yes\"\n- 1\n");
//! ```

use std::io::{self, Write};

use serde_json::{Map, Value};

/// The YAML text of one value (no document marker).
#[must_use]
pub fn to_string(value: &Value) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_value(&mut out, value);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes values as a stream of YAML documents, each introduced by `---`. Each document is
/// made in a buffer of the thread's and handed to `out` whole: one call of `out` per document
/// instead of several per line (`out` is often a `dyn Write`).
///
/// # Errors
/// The writer's errors.
pub fn write_documents<'a, W: Write + ?Sized>(
    out: &mut W,
    values: impl IntoIterator<Item = &'a Value>,
) -> io::Result<()> {
    /// A buffer that grew larger than this is let go after its document.
    const KEEP: usize = 1 << 20;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with(|buffer| {
        // A writer that writes YAML itself (on this thread) gets a buffer of its own.
        let mut own = Vec::new();
        let mut borrowed = buffer.try_borrow_mut();
        let text = borrowed.as_deref_mut().unwrap_or(&mut own);
        for value in values {
            text.clear();
            text.extend_from_slice(b"---\n");
            write_value(text, value)?;
            out.write_all(text)?;
        }
        if text.capacity() > KEEP {
            *text = Vec::new();
        }
        Ok(())
    })
}

/// Writes one value as a YAML document body.
///
/// # Errors
/// The writer's errors.
pub fn write_value<W: Write + ?Sized>(out: &mut W, value: &Value) -> io::Result<()> {
    match value {
        Value::Object(map) if !map.is_empty() => write_map(out, value, 0),
        Value::Array(items) if !items.is_empty() => write_seq(out, items, 0),
        scalar => {
            write_scalar(out, scalar)?;
            out.write_all(b"\n")
        }
    }
}

/// Two spaces per level, written from one buffer.
fn indent<W: Write + ?Sized>(out: &mut W, level: usize) -> io::Result<()> {
    const SPACES: &[u8; 64] = &[b' '; 64];
    let mut width = level * 2;
    while width > 0 {
        let step = width.min(SPACES.len());
        out.write_all(&SPACES[..step])?;
        width -= step;
    }
    Ok(())
}

/// The entries of a mapping in key order, when `serde_json`'s map does not keep them so: it
/// does unless a crate in the build turns on its `preserve_order` feature. `None` when the map
/// is in order already (nothing is allocated then).
fn sorted_entries(map: &Map<String, Value>) -> Option<Vec<(&String, &Value)>> {
    if crate::canonical_json::keys_sorted(map) {
        return None;
    }
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    Some(entries)
}

fn write_map<W: Write + ?Sized>(out: &mut W, value: &Value, level: usize) -> io::Result<()> {
    let Value::Object(map) = value else {
        return Ok(());
    };
    match sorted_entries(map) {
        None => write_entries(out, map.iter(), level),
        Some(entries) => write_entries(out, entries.into_iter(), level),
    }
}

fn write_entries<'a, W: Write + ?Sized>(
    out: &mut W,
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
    level: usize,
) -> io::Result<()> {
    for (n, (key, item)) in entries.enumerate() {
        if n > 0 {
            indent(out, level)?;
        }
        write_string(out, key)?;
        out.write_all(b":")?;
        write_nested(out, item, level)?;
    }
    Ok(())
}

/// Writes what follows `key:` or `- `: a scalar on the same line, or a block below.
fn write_nested<W: Write + ?Sized>(out: &mut W, item: &Value, level: usize) -> io::Result<()> {
    match item {
        Value::Object(map) if !map.is_empty() => {
            out.write_all(b"\n")?;
            indent(out, level + 1)?;
            write_map(out, item, level + 1)
        }
        Value::Array(items) if !items.is_empty() => {
            out.write_all(b"\n")?;
            indent(out, level)?;
            write_seq(out, items, level)
        }
        scalar => {
            out.write_all(b" ")?;
            write_scalar(out, scalar)?;
            out.write_all(b"\n")
        }
    }
}

fn write_seq<W: Write + ?Sized>(out: &mut W, items: &[Value], level: usize) -> io::Result<()> {
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            indent(out, level)?;
        }
        out.write_all(b"-")?;
        match item {
            Value::Object(map) if !map.is_empty() => {
                out.write_all(b" ")?;
                write_map(out, item, level + 1)?;
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.write_all(b" ")?;
                write_seq(out, inner, level + 1)?;
            }
            scalar => {
                out.write_all(b" ")?;
                write_scalar(out, scalar)?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

fn write_scalar<W: Write + ?Sized>(out: &mut W, value: &Value) -> io::Result<()> {
    match value {
        Value::Null => out.write_all(b"null"),
        Value::Bool(b) => out.write_all(if *b { b"true" } else { b"false" }),
        Value::Number(n) => write!(out, "{n}"),
        Value::String(s) => write_string(out, s),
        Value::Array(_) => out.write_all(b"[]"),
        Value::Object(_) => out.write_all(b"{}"),
    }
}

fn write_string<W: Write + ?Sized>(out: &mut W, s: &str) -> io::Result<()> {
    if is_plain_safe(s) {
        out.write_all(s.as_bytes())
    } else {
        // JSON string escapes are valid YAML double-quoted escapes.
        serde_json::to_writer(&mut *out, s).map_err(io::Error::other)
    }
}

/// Words that YAML 1.1 or 1.2 parsers read as booleans, nulls or special floats.
const RESERVED: &[&str] = &[
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "nan", ".nan", "inf", ".inf",
    "-.inf", "+.inf", "-inf", "+inf", "=", "<<",
];

/// Whether a string can be written without quotes and read back as the same string by both
/// YAML 1.1 and YAML 1.2 parsers. Conservative: when in doubt, quote.
fn is_plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    // One pass: every byte allowed (so the text is ASCII), and no `: ` or ` #` (`#` is not
    // allowed anyway).
    let mut previous = 0u8;
    for &c in bytes {
        if !PLAIN_BYTES[usize::from(c)] || (previous == b':' && c == b' ') {
            return false;
        }
        previous = c;
    }
    (first.is_ascii_alphabetic() || matches!(first, b'/' | b'_' | b'$' | b'('))
        && !matches!(previous, b' ' | b':')
        && !is_reserved(s)
}

/// The bytes a plain string may hold: ASCII letters and digits and `-_./@=+:, ()$%^;<>`.
const PLAIN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_'
                    | b'.'
                    | b'/'
                    | b'@'
                    | b'='
                    | b'+'
                    | b':'
                    | b','
                    | b' '
                    | b'('
                    | b')'
                    | b'$'
                    | b'%'
                    | b'^'
                    | b';'
                    | b'<'
                    | b'>'
            );
        c += 1;
    }
    table
};

/// Whether `s` is one of [`RESERVED`], in any case.
fn is_reserved(s: &str) -> bool {
    s.len() <= 5 && RESERVED.iter().any(|word| word.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn read_back(text: &str) -> Value {
        let options =
            serde_saphyr::options! { strict_booleans: true, leading_zero_numbers_as_strings: true };
        serde_saphyr::from_str_with_options(text, options).unwrap()
    }

    #[test]
    fn documents_are_written_whole_through_the_buffer() {
        let big = json!({"data": {"file": "x".repeat(3 << 20)}, "kind": "ConfigMap"});
        let values = [
            json!({"b": [1, {"c": "NO"}], "a": {}}),
            big,
            json!("text"),
            json!([]),
        ];
        let mut out = Vec::new();
        write_documents(&mut out, &values).unwrap();
        let expected: String = values
            .iter()
            .map(|v| format!("---\n{}", to_string(v)))
            .collect();
        assert!(out == expected.as_bytes());
        // Again, once the large buffer is let go.
        let mut again = Vec::new();
        write_documents(&mut again, &values[..1]).unwrap();
        assert_eq!(again, format!("---\n{}", to_string(&values[0])).as_bytes());
    }

    #[test]
    fn yaml_1_1_and_1_2_lookalikes_are_quoted() {
        let hazards = [
            "NO",
            "no",
            "Yes",
            "y",
            "N",
            "on",
            "OFF",
            "true",
            "False",
            "null",
            "Null",
            "~",
            "",
            "1:30",
            "0755",
            "0o755",
            "0x1F",
            "1e3",
            "1.10",
            ".5",
            "-1",
            "+1",
            ".inf",
            "-.inf",
            ".NaN",
            "2024-01-01",
            "=",
            "<<",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "#x",
            "*x",
            "&x",
            "!x",
            "%x",
            "@x",
            "`x",
            "|x",
            ">x",
            "[x]",
            "{x}",
            "'x'",
            "\"x\"",
            "-x",
            "?x",
            "line\nbreak",
            "tab\tx",
            "é",
        ];
        for s in hazards {
            let text = to_string(&Value::from(s));
            assert!(text.starts_with('"'), "{s:?} must be quoted, got {text}");
            assert_eq!(read_back(&text), Value::from(s), "{s:?}");
        }
        for s in [
            "plain",
            "app.kubernetes.io/name",
            "registry.example.com/shop:1.2",
            "http://x:80/y",
            "$(VAR)",
            "a b",
        ] {
            assert_eq!(to_string(&Value::from(s)), format!("{s}\n"));
        }
    }

    #[test]
    fn nested_structures_use_block_style_with_sorted_keys() {
        let doc = json!({"spec": {"containers": [{"name": "web", "ports": [{"containerPort": 80}], "args": []}], "x": {}}, "a": null});
        let text = to_string(&doc);
        assert_eq!(
            text,
            "a: null\nspec:\n  containers:\n  - args: []\n    name: web\n    ports:\n    - containerPort: 80\n  x: {}\n"
        );
        assert_eq!(read_back(&text), doc);
    }

    #[test]
    fn documents_are_separated() {
        let mut out = Vec::new();
        write_documents(&mut out, [&json!({"a": 1}), &json!(["x"])]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "---\na: 1\n---\n- x\n");
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[ -~\n\téü]{0,12}".prop_map(Value::from),
            prop::sample::select(vec![
                "NO", "on", "1:30", "0755", "~", "1e3", "y", "- x", "a: b"
            ])
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-zA-Z0-9 ._/:-]{0,8}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// The rule of [`is_plain_safe`] written plainly (several passes, allocating), as the
    /// oracle of the one-pass form.
    fn plain_safe_by_the_rule(s: &str) -> bool {
        let Some(first) = s.chars().next() else {
            return false;
        };
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-_./@=+:, ()$%^;<>".contains(c);
        (first.is_ascii_alphabetic() || "/_$(".contains(first))
            && s.chars().all(allowed)
            && !s.ends_with([' ', ':'])
            && !s.contains(": ")
            && !s.contains(" #")
            && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
    }

    proptest! {
        #[test]
        fn the_one_pass_plain_check_follows_the_rule(s in "[a-zA-Z0-9 :#._/$(~<=+-]{0,8}|[ -~\n\té]{0,10}") {
            prop_assert_eq!(is_plain_safe(&s), plain_safe_by_the_rule(&s), "{:?}", s);
        }

        #[test]
        fn any_value_reads_back_unchanged(value in json_value()) {
            let text = to_string(&value);
            prop_assert_eq!(read_back(&text), value.clone(), "{}", text);
            prop_assert_eq!(to_string(&value), text, "deterministic");
        }
    }
}
