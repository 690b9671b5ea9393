//! Control characters in loaded documents: refused in every key and every string of a Score
//! workload or platform document, before anything is typed or rendered, so none reaches a
//! manifest, a record or a terminal.
//!
//! The rule is the same everywhere, for every entry point (files, text, Python and Node values,
//! overrides), because it runs on the raw document:
//!
//! - **Keys** (container names, variable names, file targets, annotation keys, resource names,
//!   ...) hold no control character at all.
//! - **String values** may hold tab, line feed and carriage return (a file's `content`, a
//!   multi-line variable such as a PEM certificate, a script in `args`, a platform template),
//!   and no other control character: no C0 character (`NUL`, `ESC`, backspace, ...), no `DEL`,
//!   no C1 character (U+0080 to U+009F). A terminal escape sequence or a NUL cannot be written.
//!
//! Other Unicode (letters of any script, emoji) is not a control character and stays allowed
//! where the field's own rule allows it; `image` additionally follows the image reference
//! grammar ([`super::image`]).
//!
//! ```
//! use goldpath::validate::text::control_characters;
//! use serde_json::json;
//!
//! let doc = json!({"containers": {"web": {"image": "nginx\u{1b}[2J", "args": ["a\nb"]}}});
//! let findings = control_characters(&doc);
//! assert_eq!(findings.as_slice().len(), 1);
//! assert_eq!(findings.as_slice()[0].path.to_string(), "containers.web.image");
//! ```

use serde_json::Value;

use super::Findings;
use super::names::quoted;
use crate::{DocPath, ErrorKind};

/// Whether `c` may appear in a string value: anything but a control character other than tab,
/// line feed and carriage return.
#[must_use]
pub fn allowed_in_value(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// One finding per key or string value of `doc` that holds a forbidden control character.
#[must_use]
pub fn control_characters(doc: &Value) -> Findings {
    let mut out = Findings::new();
    // Most documents hold none: a pass that builds no paths decides that.
    if !holds_control_character(doc) {
        return out;
    }
    let mut pending = vec![(doc, DocPath::root())];
    while let Some((value, path)) = pending.pop() {
        match value {
            Value::String(s) => {
                if let Some(c) = s.chars().find(|c| !allowed_in_value(*c)) {
                    let message = format!(
                        "the value holds the control character {}: remove it (only tab, line feed and carriage return may appear in a value)",
                        describe(c)
                    );
                    out.push(ErrorKind::Invalid, path, message);
                }
            }
            Value::Array(items) => {
                pending.extend(
                    items
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(i, v)| (v, path.clone().index(i))),
                );
            }
            Value::Object(map) => {
                for (key, child) in map.iter().rev() {
                    let at = path.clone().key(key.clone());
                    if let Some(c) = key.chars().find(|c| c.is_control()) {
                        let message = format!(
                            "the key {} holds the control character {}: rename it (keys hold no control characters, not even tab or line feed)",
                            quoted(key),
                            describe(c)
                        );
                        out.push(ErrorKind::Invalid, at.clone(), message);
                    }
                    pending.push((child, at));
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether any key or string value of `doc` breaks the rule (without saying where).
/// Iterative, like [`control_characters`], so no nesting can exhaust the stack.
fn holds_control_character(doc: &Value) -> bool {
    let mut pending = vec![doc];
    while let Some(value) = pending.pop() {
        match value {
            Value::String(s) if value_breaks_rule(s) => return true,
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => {
                if map.keys().any(|k| key_breaks_rule(k)) {
                    return true;
                }
                pending.extend(map.values());
            }
            _ => {}
        }
    }
    false
}

/// Whether the string value `s` holds a character [`allowed_in_value`] refuses, read from its
/// bytes: a C0 control byte other than tab, line feed and carriage return, `DEL`, or a C1
/// character (U+0080 to U+009F, `0xC2 0x80` to `0xC2 0x9F` in UTF-8).
#[must_use]
pub(crate) fn value_breaks_rule(s: &str) -> bool {
    breaks(s, |b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
}

/// Whether the key `key` holds a control character (any, tab and line feed too), read from
/// its bytes as [`value_breaks_rule`] reads a value.
#[must_use]
pub(crate) fn key_breaks_rule(key: &str) -> bool {
    breaks(key, |b| b < 0x20)
}

/// Whether `s` holds a C0 byte `c0` refuses, `DEL` or a C1 character.
fn breaks(s: &str, c0: impl Fn(u8) -> bool) -> bool {
    let bytes = s.as_bytes();
    // Nearly every text holds none of the bytes looked at: one quick pass decides it.
    if !bytes.iter().any(|&b| b < 0x20 || b == 0x7f || b == 0xc2) {
        return false;
    }
    bytes.iter().enumerate().any(|(i, &b)| {
        c0(b)
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)))
    })
}

/// `U+001B (\u{1b})`.
fn describe(c: char) -> String {
    format!("U+{:04X} (`{}`)", u32::from(c), c.escape_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    proptest::proptest! {
        /// The byte-level rules say what the character-level ones say.
        #[test]
        fn byte_rules_are_the_character_rules(
            text in "[a\t\n\r\u{0}\u{1f}\u{7f}\u{80}\u{9f}\u{a0}\u{c2}\u{100}é✓]{0,12}",
            any_text in ".{0,20}",
        ) {
            for s in [&text, &any_text] {
                proptest::prop_assert_eq!(
                    value_breaks_rule(s),
                    s.chars().any(|c| !allowed_in_value(c))
                );
                proptest::prop_assert_eq!(key_breaks_rule(s), s.chars().any(char::is_control));
            }
        }
    }

    #[test]
    fn tab_newline_and_carriage_return_are_allowed_in_values_only() {
        let doc = json!({"a": "x\ty\r\nz", "list": ["é ✓ 日本"], "b": {"k": 1}});
        assert!(control_characters(&doc).is_empty());
        let doc = json!({"files": {"/etc/a\nb": {"content": "ok"}}});
        let findings = control_characters(&doc);
        assert_eq!(findings.as_slice().len(), 1);
        assert!(
            findings.as_slice()[0]
                .message
                .contains("the key `/etc/a\\nb`")
        );
    }

    #[test]
    fn every_other_control_character_is_refused_where_it_is() {
        for c in [
            '\u{0}', '\u{7}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}',
        ] {
            let doc = json!({"containers": {"web": {"variables": {"A": format!("x{c}y")}}}});
            let findings = control_characters(&doc);
            let finding = &findings.as_slice()[0];
            assert_eq!(
                finding.path.to_string(),
                "containers.web.variables.A",
                "{c:?}"
            );
            assert!(finding.message.contains(&format!("U+{:04X}", u32::from(c))));
            assert!(
                !finding.message.contains(c),
                "the message shows the character raw"
            );
        }
        let doc = json!({"args": ["ok", "\u{1b}[2J"]});
        assert_eq!(
            control_characters(&doc).as_slice()[0].path.to_string(),
            "args[1]"
        );
    }
}
