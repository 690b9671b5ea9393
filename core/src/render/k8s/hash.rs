//! The stable hashes inside generated names (made of [`crate::hash`]'s): fixed by their
//! specifications, so a name never changes between versions or platforms.

use crate::encoding::base64_url;
use crate::hash::{fnv1_128, fnv1a64};
use crate::render::input::SecretRef;

/// The first 10 lower-case hex digits of the FNV-1a 64 hash of `text`: the `<h>` of file and
/// volume names.
pub(super) fn short_hash(text: &str) -> String {
    let mut hex = format!("{:016x}", fnv1a64(text.as_bytes()));
    hex.truncate(10);
    hex
}

/// The name of the helper variable that holds `secret`: `__ref_<id>`, with score-k8s's id (the
/// 128-bit FNV-1 hash of name and key concatenated, big-endian, in URL-safe base64 without
/// padding, `-` and `_` replaced by `0`), so manifests match score-k8s's.
pub(super) fn secret_ref_variable(secret: &SecretRef) -> String {
    let text = format!("{}{}", secret.name, secret.key);
    let id = base64_url(&fnv1_128(text.as_bytes()).to_be_bytes()).replace(['-', '_'], "0");
    format!("__ref_{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_ref_variable_is_22_safe_characters() {
        let secret = SecretRef {
            name: "db-creds".to_owned(),
            key: "password".to_owned(),
        };
        let name = secret_ref_variable(&secret);
        // Cross-checked with an independent big-integer FNV-1 and Python's base64; the `-` of
        // `...z9y-A` became `0`.
        assert_eq!(name, "__ref_cFoX8GczYc5MM8fPxz9y0A");
        let id = name.strip_prefix("__ref_").unwrap();
        assert_eq!(id.len(), 22);
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
    }

    #[test]
    fn short_hash_is_ten_hex_digits_of_fnv1a() {
        // fnv1a64("foobar") = 0x85944171f73967e8.
        assert_eq!(short_hash("foobar"), "85944171f7");
    }
}
