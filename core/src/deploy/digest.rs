//! SHA-256 digests in hex, of bytes and of canonical JSON.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::placeholder::canonical_json;

/// The SHA-256 of `bytes`, as 64 lower-case hex digits.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The SHA-256 of the canonical JSON of `value` (keys sorted, compact).
pub(crate) fn value_digest(value: &Value) -> String {
    sha256_hex(canonical_json(value).as_bytes())
}

/// Whether `id` has the shape of a record id (64 lower-case hex digits), so it is safe as a
/// file name.
pub(crate) fn is_record_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| HEX.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_record_id(&sha256_hex(b"")));
        assert!(!is_record_id("../etc/passwd"));
        assert!(!is_record_id(&sha256_hex(b"").to_uppercase()));
    }

    #[test]
    fn value_digest_ignores_key_order() {
        let a: Value = serde_json::from_str(r#"{"a":1,"b":[true]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"b":[true],"a":1}"#).unwrap();
        assert_eq!(value_digest(&a), value_digest(&b));
    }
}
