//! Every hash goldpath computes, in one place: FNV-1a 64 and FNV-1 128 for stable names
//! (fixed by their specifications, so a generated name never changes between versions or
//! platforms) and SHA-256 for record ids and platform digests (of bytes, or of the canonical
//! JSON of a value, [`crate::canonical_json`]). Text encodings of hashes (base64) are in
//! `encoding`.
//!
//! Two more are for use within one run only, never written out: [`BlockDigest`], a seeded
//! 64-bit digest of text written in pieces (what the output step keeps of an object's
//! canonical JSON, [`crate::canonical_json::canonical_json_digest`]), and [`sampled_hash`],
//! the key of the compiled template cache.

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

/// The bytes of a block: [`BlockDigest`] hashes its text a block at a time.
const BLOCK: usize = 256;

/// The length of the text written to it and a 64-bit hash of it (foldhash's quality hasher),
/// taken in blocks of [`BLOCK`] bytes, so where a block ends depends on the text alone, not on
/// how it was written in pieces: equal texts, equal digests; different texts differ but by
/// chance.
///
/// The seed is one per process, different in every run (from address-space randomization):
/// an input cannot be made to collide on purpose, as it could with a fixed hash. So the
/// digests are only compared within one process and never written out.
pub(crate) struct BlockDigest {
    block: [u8; BLOCK],
    used: usize,
    len: usize,
    hasher: foldhash::quality::FoldHasher<'static>,
}

impl BlockDigest {
    /// An empty digest, with this process's seed.
    pub(crate) fn new() -> Self {
        use std::hash::BuildHasher;
        static SEED: std::sync::OnceLock<foldhash::quality::RandomState> =
            std::sync::OnceLock::new();
        Self {
            block: [0; BLOCK],
            used: 0,
            len: 0,
            hasher: SEED.get_or_init(Default::default).build_hasher(),
        }
    }

    /// Appends `text`.
    pub(crate) fn write(&mut self, text: &str) {
        self.write_bytes(text.as_bytes());
    }

    /// Appends `bytes`.
    pub(crate) fn write_bytes(&mut self, mut bytes: &[u8]) {
        use std::hash::Hasher;
        self.len += bytes.len();
        while !bytes.is_empty() {
            let n = (BLOCK - self.used).min(bytes.len());
            self.block[self.used..self.used + n].copy_from_slice(&bytes[..n]);
            self.used += n;
            bytes = &bytes[n..];
            if self.used == BLOCK {
                self.hasher.write(&self.block);
                self.used = 0;
            }
        }
    }

    /// The length in bytes of everything written and its digest.
    pub(crate) fn finish(mut self) -> (usize, u64) {
        use std::hash::Hasher;
        self.hasher.write(&self.block[..self.used]);
        self.hasher.write_usize(self.len);
        (self.len, self.hasher.finish())
    }
}

/// A hash of the length of `text` and of at most 128 of its bytes, spread over it: cheap for
/// long texts, for a cache that then compares the whole text of what it finds.
///
/// SipHash with std's fixed keys (`DefaultHasher::new`), whose algorithm may change between
/// Rust releases: the hash is only compared within one process, never written out.
pub(crate) fn sampled_hash(text: &str) -> u64 {
    use std::hash::Hasher;
    const SAMPLES: usize = 128;
    let bytes = text.as_bytes();
    let step = (bytes.len() / SAMPLES).max(1);
    let mut sampled = [0u8; SAMPLES];
    for (sample, byte) in sampled.iter_mut().zip(bytes.iter().step_by(step)) {
        *sample = *byte;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hasher.write_usize(bytes.len());
    hasher.write(&sampled);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Where a block ends depends on the text alone: written whole, in two pieces split
        /// anywhere, or a byte at a time, the digest is the same.
        #[test]
        fn block_digests_ignore_how_the_text_was_split(
            text in proptest::collection::vec(any::<u8>(), 0..1200),
            cuts in proptest::collection::vec(any::<usize>(), 0..6),
        ) {
            let mut whole = BlockDigest::new();
            whole.write_bytes(&text);
            let whole = whole.finish();
            prop_assert_eq!(whole.0, text.len());

            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1)).collect();
            cuts.sort_unstable();
            let mut pieces = BlockDigest::new();
            let mut from = 0;
            for cut in cuts {
                pieces.write_bytes(&text[from..cut]);
                from = cut;
            }
            pieces.write_bytes(&text[from..]);
            prop_assert_eq!(pieces.finish(), whole);

            let mut bytes = BlockDigest::new();
            for byte in &text {
                bytes.write_bytes(std::slice::from_ref(byte));
            }
            prop_assert_eq!(bytes.finish(), whole);
        }
    }

    #[test]
    fn block_digests_tell_texts_apart_at_block_ends() {
        let digest = |text: &str| {
            let mut digest = BlockDigest::new();
            digest.write(text);
            digest.finish()
        };
        for len in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK] {
            let a = "a".repeat(len);
            assert_eq!(digest(&a), digest(&a.clone()));
            assert_ne!(digest(&a), digest(&format!("{a}b")));
            // Same length, differing in the last byte of the last (maybe partial) block.
            if len > 0 {
                let b = format!("{}b", &a[1..]);
                assert_ne!(digest(&a), digest(&b));
            }
        }
    }

    #[test]
    fn sampled_hashes_see_length_and_samples() {
        assert_eq!(sampled_hash("{{ x }}"), sampled_hash("{{ x }}"));
        assert_ne!(sampled_hash("a"), sampled_hash("aa"));
        assert_ne!(sampled_hash("{{ x }}"), sampled_hash("{{ y }}"));
    }

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
