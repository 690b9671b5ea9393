//! Which runs of [`WINDOW`] ASCII characters a set of texts may hold: a blocked Bloom filter of
//! every run of the (ASCII-lowered) texts. A session keeps one of its plan's objects and
//! resource outputs, so that the runs a new secret check looks for beyond the old one can be
//! looked for in what the old one let through without reading all of it again
//! ([`SecretGuard::may_be_seen`](super::SecretGuard::may_be_seen)): a run the filter never saw
//! is in none of the texts; one it may have seen is looked for in the texts themselves.

use super::WINDOW;

/// Words of the filter, as a power of two: 2^22 words of 64 bits (32 MiB).
const WORD_BITS: u32 = 22;

/// Bits set per run, all in one word (one cache line read per run).
const BITS_PER_RUN: u32 = 4;

/// The bytes of a `u64` that have their high bit set in a word holding non-ASCII bytes.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The runs of [`WINDOW`] ASCII bytes a set of texts may hold.
pub(crate) struct Seen {
    words: Vec<u64>,
}

impl Default for Seen {
    fn default() -> Self {
        Self {
            words: vec![0; 1 << WORD_BITS],
        }
    }
}

impl Seen {
    /// Counts in the runs of `json`, the compact JSON of an object, but those of the `data`
    /// and `stringData` of a `v1` `Secret` (which the check does not read).
    pub fn add_object(&mut self, json: &[u8]) {
        let marker = br#""kind":"Secret""#;
        if json.windows(marker.len()).any(|w| w == marker)
            && let Ok(mut object) = serde_json::from_slice::<serde_json::Value>(json)
            && super::is_secret_object(&object)
            && let Some(fields) = object.as_object_mut()
        {
            for field in super::SECRET_DATA_FIELDS {
                fields.remove(field);
            }
            self.add(&serde_json::to_vec(&object).unwrap_or_default());
            return;
        }
        self.add(json);
    }

    /// Counts in every run of `text` (its ASCII letters lowered).
    pub fn add(&mut self, text: &[u8]) {
        if text.len() < WINDOW {
            return;
        }
        let lowered: Vec<u8> = text.iter().map(u8::to_ascii_lowercase).collect();
        for start in 0..=lowered.len() - WINDOW {
            let mut bytes = [0_u8; WINDOW];
            bytes.copy_from_slice(&lowered[start..start + WINDOW]);
            let word = u64::from_le_bytes(bytes);
            if word & HIGH_BITS == 0 {
                let (at, mask) = place(word);
                self.words[at] |= mask;
            }
        }
    }

    /// Whether the texts may hold the run packed in `word` (eight lower-cased ASCII bytes):
    /// `false` only when none does.
    pub fn may_hold(&self, word: u64) -> bool {
        let (at, mask) = place(word);
        self.words[at] & mask == mask
    }
}

/// The word of the filter a run goes in and the bits it sets there.
fn place(word: u64) -> (usize, u64) {
    let hash = (word ^ (word >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let at = (hash >> (64 - WORD_BITS)) as usize;
    let mut mask = 0;
    for i in 0..BITS_PER_RUN {
        mask |= 1 << ((hash >> (6 * i)) & 63);
    }
    (at, mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> u64 {
        u64::from_le_bytes(text.as_bytes().try_into().unwrap())
    }

    #[test]
    fn every_run_added_is_held_in_any_ascii_case() {
        let mut seen = Seen::default();
        seen.add(br#"{"data":{"url":"pg://u:Zx81dTq0@db"}}"#);
        for r in ["pg://u:z", "x81dtq0@", "{\"data\":"] {
            assert!(seen.may_hold(run(r)), "{r}");
        }
        assert!(!seen.may_hold(run("nothere!")));
        assert!(!seen.may_hold(run("zx81dtq1")));
    }

    #[test]
    fn the_data_of_a_secret_is_left_out_and_the_rest_of_it_is_held() {
        let mut seen = Seen::default();
        seen.add_object(
            br#"{"apiVersion":"v1","data":{"password":"c2VjcmV0LXZhbHVl"},"kind":"Secret","metadata":{"name":"db-credentials"}}"#,
        );
        assert!(!seen.may_hold(run("c2vjcmv0")));
        assert!(seen.may_hold(run("db-crede")));
        seen.add_object(
            br#"{"apiVersion":"v1","data":{"x":"c2VjcmV0LXZhbHVl"},"kind":"ConfigMap"}"#,
        );
        assert!(seen.may_hold(run("c2vjcmv0")));
    }
}
