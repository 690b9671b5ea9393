//! Every hash goldpath computes, in one place: FNV-1a 64 and FNV-1 128 for stable names
//! (fixed by their specifications, so a generated name never changes between versions or
//! platforms) and SHA-256 for record ids and platform digests (of bytes, or of the canonical
//! JSON of a value, [`crate::canonical_json`]). Text encodings of hashes (base64) are in
//! `encoding`.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::canonical_json::canonical_json;

/// FNV-1a, 64 bits: a small hash fixed by its specification, so it never changes between
/// versions or platforms.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(PRIME)
    })
}

/// FNV-1 (multiply, then xor), 128 bits.
pub(crate) fn fnv1_128(bytes: &[u8]) -> u128 {
    const OFFSET_BASIS: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes.iter().fold(OFFSET_BASIS, |hash, byte| {
        hash.wrapping_mul(PRIME) ^ u128::from(*byte)
    })
}

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

/// The lower-case hex digits.
pub(crate) const HEX: &[u8; 16] = b"0123456789abcdef";

/// The SHA-256 of the canonical JSON of `value` (keys sorted, compact).
pub(crate) fn value_digest(value: &Value) -> String {
    sha256_hex(canonical_json(value).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1_128_matches_published_vectors() {
        assert_eq!(fnv1_128(b""), 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
        assert_eq!(fnv1_128(b"a"), 0xd228_cb69_101a_8caf_7891_2b70_4e4a_141e);
    }

    #[test]
    fn fnv1a64_matches_a_published_vector() {
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn value_digest_ignores_key_order() {
        let a: Value = serde_json::from_str(r#"{"a":1,"b":[true]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"b":[true],"a":1}"#).unwrap();
        assert_eq!(value_digest(&a), value_digest(&b));
    }
}
