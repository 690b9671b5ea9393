//! The patterns derived from one secret: what the guard looks for.
//!
//! ```
//! use goldpath::secrets::patterns::{Derived, derive};
//!
//! let Derived::Windows(windows) = derive("abcdefghij") else { panic!() };
//! for expected in ["abcdefgh", "cdefghij", "jihgfedc", "YWJjZGVm", "YmNkZWZn", "Y2RlZmdo"] {
//!     assert!(windows.iter().any(|w| w == expected), "{expected}");
//! }
//! assert_eq!(derive("short"), Derived::Whole("short".to_owned()));
//! assert_eq!(derive("abc"), Derived::Nothing);
//! ```

use super::{MAX_WINDOWS, MIN_SECRET_CHARS, WINDOW};
use crate::encoding::{base64, base64_url};

/// What the guard looks for to find one secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Derived {
    /// A secret shorter than [`MIN_SECRET_CHARS`]: nothing.
    Nothing,
    /// A secret shorter than [`WINDOW`]: strings and keys equal to it.
    Whole(String),
    /// Runs of [`WINDOW`] characters, matched in any ASCII case anywhere in a string.
    Windows(Vec<String>),
}

/// The patterns of `secret`: its runs of [`WINDOW`] characters, reversed too, in Unicode upper
/// and lower case when it is not ASCII, and the first run of each of its base64 encodings.
#[must_use]
pub fn derive(secret: &str) -> Derived {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < MIN_SECRET_CHARS {
        return Derived::Nothing;
    }
    if chars.len() < WINDOW {
        return Derived::Whole(secret.to_owned());
    }
    let mut out = Vec::new();
    windows(&chars, &mut out);
    let reversed: Vec<char> = chars.iter().rev().copied().collect();
    windows(&reversed, &mut out);
    if !secret.is_ascii() {
        for folded in [secret.to_lowercase(), secret.to_uppercase()] {
            let folded: Vec<char> = folded.chars().collect();
            windows(&folded, &mut out);
            let reversed: Vec<char> = folded.iter().rev().copied().collect();
            windows(&reversed, &mut out);
        }
    }
    // The whole aligned encoding is in the base64 of any text that holds the secret at that
    // alignment: one run of it is enough to find it.
    for encoded in encodings(secret.as_bytes()) {
        if let Some(first) = encoded.get(..WINDOW) {
            out.push(first.to_owned());
        }
    }
    out.sort_unstable();
    out.dedup();
    Derived::Windows(out)
}

/// The base64 text any encoding of a longer text that holds `bytes` contains, whatever the
/// alignment of `bytes` in it: for each of the three alignments, the encoding of the whole
/// 3-byte groups, in the standard and the URL-safe alphabet.
fn encodings(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for skip in 0..3 {
        let Some(rest) = bytes.get(skip..) else {
            break;
        };
        let whole = &rest[..rest.len() / 3 * 3];
        if whole.is_empty() {
            continue;
        }
        out.push(base64(whole));
        out.push(base64_url(whole));
    }
    out
}

/// Pushes the runs of [`WINDOW`] characters of `chars`, at most [`MAX_WINDOWS`] of them (with a
/// stride for longer texts), the last run always included.
fn windows(chars: &[char], out: &mut Vec<String>) {
    let Some(count) = (chars.len() + 1).checked_sub(WINDOW) else {
        return;
    };
    let stride = count.div_ceil(MAX_WINDOWS).max(1);
    let mut starts: Vec<usize> = (0..count).step_by(stride).collect();
    if starts.last() != Some(&(count - 1)) {
        starts.push(count - 1);
    }
    out.extend(
        starts
            .into_iter()
            .map(|start| chars[start..start + WINDOW].iter().collect::<String>()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn windows_of(secret: &str) -> Vec<String> {
        match derive(secret) {
            Derived::Windows(w) => w,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_long_secret_is_sampled_but_its_last_run_is_kept() {
        let secret: String = (0..5000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let mut plain = Vec::new();
        windows(&secret.chars().collect::<Vec<_>>(), &mut plain);
        assert!(plain.len() <= MAX_WINDOWS + 1, "{}", plain.len());
        assert_eq!(plain.last().map(String::as_str), Some(&secret[4992..]));
    }

    #[test]
    fn non_ascii_secrets_are_folded_with_unicode_rules() {
        let w = windows_of("straße-Öl-über");
        assert!(w.iter().any(|p| p == "STRASSE-"), "{w:?}");
        assert!(w.iter().any(|p| p == "-öl-über"), "{w:?}");
    }

    proptest! {
        #[test]
        fn any_aligned_base64_of_a_text_holding_the_secret_holds_a_window(
            secret in "[ -~]{8,40}", before in "[ -~]{0,5}", after in "[ -~]{0,5}",
        ) {
            let encoded = base64(format!("{before}{secret}{after}").as_bytes());
            let w = windows_of(&secret);
            prop_assert!(w.iter().any(|p| encoded.contains(p.as_str())));
        }
    }
}
