//! Compact JSON with object keys sorted, whatever order the map keeps.

use serde_json::Value;

use crate::hash::BlockDigest;

/// The compact JSON text of `value` with the keys of every object sorted.
///
/// The order does not depend on serde_json's `preserve_order` feature, and the writer uses an
/// explicit stack, so deep values do not exhaust the call stack.
///
/// ```
/// use goldpath::canonical_json::canonical_json;
/// use serde_json::json;
///
/// let value = json!({"b": [1, true, null], "a": {"d": "x\"y", "c": 1.5}});
/// assert_eq!(canonical_json(&value), r#"{"a":{"c":1.5,"d":"x\"y"},"b":[1,true,null]}"#);
/// ```
#[must_use]
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical_json(&mut out, value);
    out
}

/// One pending piece of output.
enum Step<'a> {
    Value(&'a Value),
    Key(&'a str),
    Raw(&'static str),
}

/// Appends the compact, key-sorted JSON text of `value` to `out`.
pub(crate) fn write_canonical_json(out: &mut impl Out, value: &Value) {
    let mut stack = vec![Step::Value(value)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Raw(text) => out.put(text),
            Step::Key(key) => {
                write_string(out, key);
                out.put_char(':');
            }
            Step::Value(Value::Array(items)) => {
                out.put_char('[');
                stack.push(Step::Raw("]"));
                for (n, item) in items.iter().enumerate().rev() {
                    stack.push(Step::Value(item));
                    if n > 0 {
                        stack.push(Step::Raw(","));
                    }
                }
            }
            Step::Value(Value::Object(map)) => {
                out.put_char('{');
                stack.push(Step::Raw("}"));
                // Already sorted unless serde_json's `preserve_order` is on in this build:
                // then no list of the entries is made.
                if keys_sorted(map) {
                    push_entries(&mut stack, map.iter().rev(), map.len());
                } else {
                    let mut entries: Vec<_> = map.iter().collect();
                    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                    push_entries(&mut stack, entries.into_iter().rev(), map.len());
                }
            }
            Step::Value(Value::String(text)) => write_string(out, text),
            Step::Value(Value::Number(number)) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "{number}");
            }
            Step::Value(Value::Bool(flag)) => out.put(if *flag { "true" } else { "false" }),
            Step::Value(Value::Null) => out.put("null"),
        }
    }
}

/// Pushes the `len` entries of a map, given last first, so that they are written first to
/// last, with a comma between two.
fn push_entries<'a>(
    stack: &mut Vec<Step<'a>>,
    last_first: impl Iterator<Item = (&'a String, &'a Value)>,
    len: usize,
) {
    for (n, (key, item)) in last_first.enumerate() {
        stack.push(Step::Value(item));
        stack.push(Step::Key(key));
        if n + 1 < len {
            stack.push(Step::Raw(","));
        }
    }
}

/// Whether the keys of `map` are in order: always, unless serde_json's `preserve_order` is on
/// in this build (asked once, of a map made for it, instead of comparing every key with the
/// next one).
pub(crate) fn keys_sorted(map: &serde_json::Map<String, Value>) -> bool {
    static ALWAYS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ALWAYS.get_or_init(|| {
        let mut probe = serde_json::Map::new();
        probe.insert("b".to_owned(), Value::Null);
        probe.insert("a".to_owned(), Value::Null);
        probe.keys().is_sorted()
    }) || map.keys().is_sorted()
}

/// Whether JSON escapes a byte of `bytes` (`"`, `\\` or a control byte below 0x20): eight bytes
/// at a time.
fn needs_escape(bytes: &[u8]) -> bool {
    const EACH: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of a byte of `below(w, n)` is set for some byte when one is below `n`
    // (n <= 0x80; a borrow only marks bytes above one that is).
    let below = |w: u64, n: u64| w.wrapping_sub(n * EACH) & !w & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        if below(w, 0x20) | below(w ^ (0x22 * EACH), 1) | below(w ^ (0x5c * EACH), 1) != 0 {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it: runs of characters that
/// need no escape are copied whole.
fn write_string(out: &mut impl Out, text: &str) {
    out.put_char('"');
    if !needs_escape(text.as_bytes()) {
        out.put(text);
        out.put_char('"');
        return;
    }
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.put(&text[start..at]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", byte);
        } else {
            out.put(escape);
        }
        start = at + 1;
    }
    out.put(&text[start..]);
    out.put_char('"');
}

/// Where canonical JSON goes: a `String`, or a count of its bytes ([`canonical_json_len`]).
pub(crate) trait Out: std::fmt::Write {
    /// Appends `text`.
    fn put(&mut self, text: &str);
    /// Appends `c`.
    fn put_char(&mut self, c: char);
}

impl Out for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    fn put_char(&mut self, c: char) {
        self.push(c);
    }
}

/// The number of bytes written to it.
struct Count(usize);

impl std::fmt::Write for Count {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0 += text.len();
        Ok(())
    }
}

impl Out for Count {
    fn put(&mut self, text: &str) {
        self.0 += text.len();
    }

    fn put_char(&mut self, c: char) {
        self.0 += c.len_utf8();
    }
}

/// The length of [`canonical_json`] of `value`, in bytes, without making the text.
#[must_use]
pub(crate) fn canonical_json_len(value: &Value) -> usize {
    let mut count = Count(0);
    write_canonical_json(&mut count, value);
    count.0
}

/// What the output step keeps of an object's [`canonical_json`]: its length in bytes and a
/// 64-bit digest of it (equal texts, equal digests; different texts differ but by chance),
/// without making the text.
#[must_use]
pub(crate) fn canonical_json_digest(value: &Value) -> (usize, u64) {
    let mut digest = Digest::new();
    write_canonical_json(&mut digest, value);
    digest.finish()
}

/// [`BlockDigest`] as a place [`write_canonical_json`] writes to.
struct Digest(BlockDigest);

impl Digest {
    fn new() -> Self {
        Self(BlockDigest::new())
    }

    fn finish(self) -> (usize, u64) {
        self.0.finish()
    }
}

impl std::fmt::Write for Digest {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0.write(text);
        Ok(())
    }
}

impl Out for Digest {
    fn put(&mut self, text: &str) {
        self.0.write(text);
    }

    fn put_char(&mut self, c: char) {
        self.0.write(c.encode_utf8(&mut [0; 4]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let value = json!({"z": {"y": 1, "x": [{"b": 2, "a": 1}]}, "a": []});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":[],"z":{"x":[{"a":1,"b":2}],"y":1}}"#
        );
        assert_eq!(canonical_json(&json!({})), "{}");
    }

    #[test]
    fn deep_values_do_not_overflow_the_stack() {
        const DEPTH: usize = 100_000;
        let mut value = json!(1);
        for _ in 0..DEPTH {
            value = Value::Array(vec![value]);
        }
        let text = canonical_json(&value);
        // Dropping a deep `Value` recurses, so take it apart one level at a time first.
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
        assert!(text == format!("{}1{}", "[".repeat(DEPTH), "]".repeat(DEPTH)));
    }

    #[test]
    fn escapes_are_found_wherever_they_are() {
        for special in ['"', '\\', '\u{0}', '\u{1f}', '\n'] {
            for at in 0..20 {
                let mut text = "é".repeat(at / 2) + &"a".repeat(at % 2);
                text.push(special);
                text.push_str("bcdefghij");
                assert!(needs_escape(text.as_bytes()), "{text:?}");
                assert_eq!(
                    canonical_json(&json!(text)),
                    serde_json::to_string(&text).unwrap()
                );
            }
        }
        assert!(!needs_escape(
            "plain text ~ é ✓ \u{7f} 0123456789".as_bytes()
        ));
        assert!(!needs_escape(b""));
    }

    proptest! {
        #[test]
        fn escaped_strings_match_serde_json(text in "[a é\"\\\\\u{0}-\u{1f}\u{7f}!#\\[\\]]{0,40}") {
            prop_assert_eq!(canonical_json(&json!(text)), serde_json::to_string(&text).unwrap());
            prop_assert_eq!(
                needs_escape(text.as_bytes()),
                text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\')
            );
        }

        #[test]
        fn strings_and_numbers_match_serde_json(text in any::<String>(), n in any::<i64>(), f in any::<f64>()) {
            let value = json!([text, n, f]);
            prop_assert_eq!(canonical_json(&value), serde_json::to_string(&value).unwrap());
            prop_assert_eq!(canonical_json_len(&value), canonical_json(&value).len());
            let nested = json!({"k\u{1}": [value, {"z": null, "a": true}], "é": {}});
            prop_assert_eq!(canonical_json_len(&nested), canonical_json(&nested).len());
            prop_assert_eq!(canonical_json_digest(&nested).0, canonical_json(&nested).len());
        }

        /// Two values have the same digest exactly when their canonical JSON is the same
        /// (texts of every length, so blocks end at every place).
        #[test]
        fn digests_follow_the_canonical_text(
            a in proptest::collection::vec("[ab\"é\\u{1}]{0,300}", 0..4),
            b in proptest::collection::vec("[ab\"é\\u{1}]{0,300}", 0..4),
        ) {
            let (a, b) = (json!(a), json!(b));
            let (same_text, same_digest) = (
                canonical_json(&a) == canonical_json(&b),
                canonical_json_digest(&a) == canonical_json_digest(&b),
            );
            prop_assert_eq!(same_text, same_digest);
            prop_assert_eq!(canonical_json_digest(&a), canonical_json_digest(&a.clone()));
            // The same text in other keys' order is the same digest.
            let x = json!({"b": [1, "x"], "a": {"d": null, "c": a}});
            let mut y = serde_json::Map::new();
            y.insert("a".to_owned(), json!({"c": x["a"]["c"].clone(), "d": null}));
            y.insert("b".to_owned(), json!([1, "x"]));
            prop_assert_eq!(canonical_json_digest(&x), canonical_json_digest(&Value::Object(y)));
        }
    }
}
