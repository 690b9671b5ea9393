//! Finding runs of exactly [`WINDOW`] characters in text: the guard's matcher.
//!
//! Every pattern the guard looks for is a run of [`WINDOW`] characters (see
//! [`patterns`](super::patterns)), so a text holds a pattern exactly when one of its runs of
//! [`WINDOW`] characters is one: a set lookup per character position finds what a multi-pattern
//! automaton would, in the same order, and builds in a few milliseconds where an automaton over
//! half a million patterns took seconds. Runs of ASCII characters (nearly all of them) are keyed
//! by their eight bytes as one `u64`, behind a bit filter that answers most lookups from a
//! table small enough for the cache; other runs are keyed by their text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::WINDOW;

/// Eight ASCII bytes fill a `u64`: the key of an ASCII run.
const _: () = assert!(WINDOW == 8, "ASCII runs are packed into a u64");

/// The bytes of a `u64` that have their high bit set in a word holding non-ASCII bytes.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The multiplier of the hash of a packed run (a 64-bit odd constant, as FxHash uses).
const MULTIPLIER: u64 = 0x517c_c1b7_2722_0a95;

/// Bits of the filter, as a power of two: 2^22 bits (512 KiB).
const FILTER_BITS: u32 = 22;

/// A hasher for packed runs: one multiplication, its high half folded into the low one.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RunHasher(u64);

impl Hasher for RunHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        // The low bits of a product depend on the low bytes of the run only (its first
        // characters), and the table picks buckets by the low bits: fold the high half in.
        let product = (self.0 ^ n).wrapping_mul(MULTIPLIER);
        self.0 = product ^ (product >> 32);
    }
}

/// A map keyed by packed runs.
pub(super) type RunMap<V> = HashMap<u64, V, BuildHasherDefault<RunHasher>>;

/// `text` as a packed ASCII run, if it is one run of [`WINDOW`] ASCII bytes.
pub(super) fn packed(text: &str) -> Option<u64> {
    let bytes: [u8; WINDOW] = text.as_bytes().try_into().ok()?;
    let word = u64::from_le_bytes(bytes);
    (word & HIGH_BITS == 0).then_some(word)
}

/// A set of runs, each with a value (the owner of the secret it comes from).
#[derive(Debug, Clone, Default)]
pub(super) struct Runs<V> {
    ascii: RunMap<V>,
    other: HashMap<Box<str>, V>,
    /// One bit per hash bucket of the ASCII runs: a clear bit means no run hashes there.
    filter: Vec<u64>,
}

/// One run found in a text: its byte range and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit<V> {
    pub start: usize,
    pub end: usize,
    pub value: V,
}

impl<V: Copy> Runs<V> {
    /// Adds `run` (of [`WINDOW`] characters) with `value`, unless it is there already (the
    /// first value stays).
    pub fn insert(&mut self, run: &str, value: V) {
        match packed(run) {
            Some(word) => {
                self.ascii.entry(word).or_insert(value);
            }
            None => {
                self.other.entry(run.into()).or_insert(value);
            }
        }
    }

    /// The value of `run`, if the set holds it.
    pub fn get(&self, run: &str) -> Option<V> {
        match packed(run) {
            Some(word) => self.ascii.get(&word).copied(),
            None => self.other.get(run).copied(),
        }
    }

    /// Adds `run` with `value` to a sealed set (its filter kept up to date), replacing the
    /// value it had.
    pub fn put(&mut self, run: &str, value: V) {
        match packed(run) {
            Some(word) => {
                self.ascii.insert(word, value);
                if !self.filter.is_empty() {
                    let bit = filter_bit(word);
                    self.filter[bit >> 6] |= 1 << (bit & 63);
                }
            }
            None => {
                self.other.insert(run.into(), value);
            }
        }
    }

    /// Takes `run` out of the set (its filter bit may stay: a lookup then finds nothing).
    pub fn remove(&mut self, run: &str) {
        match packed(run) {
            Some(word) => {
                self.ascii.remove(&word);
            }
            None => {
                self.other.remove(run);
            }
        }
    }

    /// Adds the packed ASCII run `word` ([`packed`]) with `value`, unless it is there already
    /// (the first value stays): [`insert`](Self::insert) of its text.
    pub fn insert_word(&mut self, word: u64, value: V) {
        self.ascii.entry(word).or_insert(value);
    }

    /// Whether the packed ASCII run `word` ([`packed`]) is in the set.
    pub fn contains_word(&self, word: u64) -> bool {
        self.ascii.contains_key(&word)
    }

    /// Whether `run` is in the set.
    pub fn contains(&self, run: &str) -> bool {
        match packed(run) {
            Some(word) => self.ascii.contains_key(&word),
            None => self.other.contains_key(run),
        }
    }

    /// The runs of `self` that `other` does not hold (not sealed).
    pub fn without<W>(&self, other: &Runs<W>) -> Self {
        Self {
            ascii: self
                .ascii
                .iter()
                .filter(|(word, _)| !other.ascii.contains_key(*word))
                .map(|(&word, &value)| (word, value))
                .collect(),
            other: self
                .other
                .iter()
                .filter(|(run, _)| !other.other.contains_key(*run))
                .map(|(run, &value)| (run.clone(), value))
                .collect(),
            filter: Vec::new(),
        }
    }

    /// Hands every run of the set to `each`.
    pub fn each(&self, each: &mut dyn FnMut(&str)) {
        for word in self.ascii.keys() {
            let bytes = word.to_le_bytes();
            if let Ok(run) = std::str::from_utf8(&bytes) {
                each(run);
            }
        }
        for run in self.other.keys() {
            each(run);
        }
    }

    /// Whether some run of the set is one `test` holds for.
    pub fn any_run(&self, test: impl Fn(&str) -> bool) -> bool {
        self.ascii.keys().any(|word| {
            let bytes = word.to_le_bytes();
            std::str::from_utf8(&bytes).is_ok_and(&test)
        }) || self.other.keys().any(|run| test(run))
    }

    /// How many runs the set holds.
    pub fn len(&self) -> usize {
        self.ascii.len() + self.other.len()
    }

    /// Builds the filter: call once every run is inserted, before searching.
    pub fn seal(&mut self) {
        let mut filter = vec![0_u64; 1 << (FILTER_BITS - 6)];
        for &word in self.ascii.keys() {
            let bit = filter_bit(word);
            filter[bit >> 6] |= 1 << (bit & 63);
        }
        self.filter = filter;
    }

    /// The bytes the set holds, roughly.
    pub fn memory_usage(&self) -> usize {
        self.ascii.capacity() * (8 + std::mem::size_of::<V>() + 1)
            + self.other.keys().map(|k| k.len() + 24).sum::<usize>()
            + self.filter.len() * 8
    }

    /// The first run of `text` (lowest start) that is in the set (tests compare
    /// [`first_folded`](Self::first_folded) with it).
    #[cfg(test)]
    pub fn first(&self, text: &str) -> Option<Hit<V>> {
        self.hits(text).next()
    }

    /// [`first`](Self::first) of `text` with its ASCII upper-case letters lowered (as
    /// `str::to_ascii_lowercase` lowers them, byte offsets unchanged), without making the
    /// lowered text: each run of ASCII bytes is lowered as one word. The guard looks up every
    /// key and string of every object with it.
    pub fn first_folded(&self, text: &str) -> Option<Hit<V>> {
        let ascii = self.first_ascii_folded(text.as_bytes());
        if self.other.is_empty() || text.is_ascii() {
            return ascii;
        }
        // Rare: a run holding a non-ASCII character may be in the set (runs are found by
        // start; an ASCII run wins a tie, as in `hits`).
        let other = self
            .other_hits(&text.to_ascii_lowercase())
            .into_iter()
            .next();
        match (ascii, other) {
            (Some(a), Some(o)) if o.start < a.start => Some(o),
            (Some(a), _) => Some(a),
            (None, o) => o,
        }
    }

    /// The first run of [`WINDOW`] ASCII bytes of `bytes`, lowered, that is in the set.
    fn first_ascii_folded(&self, bytes: &[u8]) -> Option<Hit<V>> {
        if bytes.len() < WINDOW || self.ascii.is_empty() {
            return None;
        }
        for (start, window) in bytes.windows(WINDOW).enumerate() {
            let mut word = [0; WINDOW];
            word.copy_from_slice(window);
            let word = u64::from_le_bytes(word);
            if word & HIGH_BITS != 0 {
                continue;
            }
            let word = ascii_lowered(word);
            if !self.may_hold(word) {
                continue;
            }
            if let Some(&value) = self.ascii.get(&word) {
                return Some(Hit {
                    start,
                    end: start + WINDOW,
                    value,
                });
            }
        }
        None
    }

    /// Every run of `text` that is in the set, by start (runs overlap).
    pub fn hits<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Hit<V>> + 'a {
        let bytes = text.as_bytes();
        let ascii_runs = (bytes.len() >= WINDOW && !self.ascii.is_empty())
            .then(|| {
                (0..=bytes.len() - WINDOW).filter_map(move |start| {
                    let word = u64::from_le_bytes(bytes[start..start + WINDOW].try_into().ok()?);
                    if word & HIGH_BITS != 0 || !self.may_hold(word) {
                        return None;
                    }
                    self.ascii.get(&word).map(|&value| Hit {
                        start,
                        end: start + WINDOW,
                        value,
                    })
                })
            })
            .into_iter()
            .flatten();
        let other_runs = (!self.other.is_empty() && !text.is_ascii())
            .then(|| self.other_hits(text))
            .into_iter()
            .flatten();
        merge_by_start(ascii_runs, other_runs)
    }

    fn may_hold(&self, word: u64) -> bool {
        let bit = filter_bit(word);
        self.filter
            .get(bit >> 6)
            .is_none_or(|cell| cell & (1 << (bit & 63)) != 0)
    }

    /// The runs of `text` that hold a non-ASCII character and are in the set.
    fn other_hits(&self, text: &str) -> Vec<Hit<V>> {
        let starts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        starts
            .windows(WINDOW + 1)
            .filter_map(|w| {
                let (start, end) = (w[0], w[WINDOW]);
                let run = &text[start..end];
                if run.is_ascii() {
                    return None;
                }
                self.other.get(run).map(|&value| Hit { start, end, value })
            })
            .collect()
    }
}

/// Runs, each with how many times it was counted in (less the times it was counted out).
#[derive(Debug, Clone, Default)]
pub(super) struct Counts {
    ascii: RunMap<u32>,
    other: HashMap<Box<str>, u32>,
}

impl Counts {
    /// How many times `run` is counted.
    pub fn get(&self, run: &str) -> u32 {
        match packed(run) {
            Some(word) => self.ascii.get(&word).copied().unwrap_or(0),
            None => self.other.get(run).copied().unwrap_or(0),
        }
    }

    /// Counts `run` in `by` more times (out, when negative; never below zero).
    pub fn add(&mut self, run: &str, by: i64) {
        fn apply<K: std::hash::Hash + Eq, S: std::hash::BuildHasher>(
            map: &mut HashMap<K, u32, S>,
            key: K,
            by: i64,
        ) {
            let now = i64::from(map.get(&key).copied().unwrap_or(0)) + by;
            match u32::try_from(now) {
                Ok(0) | Err(_) => {
                    map.remove(&key);
                }
                Ok(now) => {
                    map.insert(key, now);
                }
            }
        }
        match packed(run) {
            Some(word) => apply(&mut self.ascii, word, by),
            None => apply(&mut self.other, Box::<str>::from(run), by),
        }
    }
}

/// `word`, eight ASCII bytes (no high bit set), with its upper-case letters lowered: a byte
/// from `A` to `Z` gets `0x20` added, as `u8::to_ascii_lowercase` does, all eight at once.
fn ascii_lowered(word: u64) -> u64 {
    const EACH: u64 = 0x0101_0101_0101_0101;
    // A byte below 0x80 plus 0x3f has its high bit set when it is `A` (0x41) or above, plus
    // 0x25 when it is above `Z` (0x5a); no sum carries into the next byte.
    let from_a = word + 0x3f * EACH;
    let above_z = word + 0x25 * EACH;
    let upper = from_a & !above_z & HIGH_BITS;
    word | (upper >> 2)
}

fn filter_bit(word: u64) -> usize {
    // The top bits of the product mix every byte of the run.
    (word.wrapping_mul(MULTIPLIER) >> (64 - FILTER_BITS)) as usize
}

/// Two iterators sorted by start, merged into one sorted by start.
fn merge_by_start<V: Copy>(
    a: impl Iterator<Item = Hit<V>>,
    b: impl Iterator<Item = Hit<V>>,
) -> impl Iterator<Item = Hit<V>> {
    let mut a = a.peekable();
    let mut b = b.peekable();
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if y.start < x.start => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn runs(patterns: &[&str]) -> Runs<usize> {
        let mut runs = Runs::default();
        for (i, p) in patterns.iter().enumerate() {
            runs.insert(p, i);
        }
        runs.seal();
        runs
    }

    #[test]
    fn ascii_and_other_runs_are_found_in_order_of_start() {
        let set = runs(&["abcdefgh", "öl-über-", "cdefghij"]);
        let hits: Vec<(usize, usize, usize)> = set
            .hits("xxabcdefghij öl-über-x")
            .map(|h| (h.start, h.end, h.value))
            .collect();
        assert_eq!(hits, [(2, 10, 0), (4, 12, 2), (13, 23, 1)]);
        assert_eq!(set.first("no run here at all"), None);
        assert_eq!(set.first("short"), None);
        assert!(set.contains("öl-über-") && !set.contains("abcdefgi"));
    }

    #[test]
    fn eight_bytes_are_lowered_as_each_byte_would_be() {
        for b in 0..0x80_u8 {
            for other in [b'A', b'z', b'@', b'[', b'0', 0x7f] {
                let bytes = [b, other, b, b'Z', b'`', b'{', other, b];
                let word = ascii_lowered(u64::from_le_bytes(bytes));
                assert_eq!(word.to_le_bytes(), bytes.map(|c| c.to_ascii_lowercase()));
            }
        }
    }

    proptest! {
        /// Looking up the runs of a text with its ASCII letters lowered on the way finds what
        /// looking up the runs of its lowered copy finds.
        #[test]
        fn first_folded_is_first_of_the_lowered_text(
            patterns in proptest::collection::vec("[a-dé\\[@]{8}", 1..6),
            text in "[a-dA-Dé É\\[@{`]{0,40}",
            other_empty in any::<bool>(),
        ) {
            let patterns: Vec<String> = patterns
                .into_iter()
                .map(|p| p.chars().take(WINDOW).collect())
                .filter(|p: &String| !other_empty || p.is_ascii())
                .collect();
            let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let set = runs(&refs);
            prop_assert_eq!(set.first_folded(&text), set.first(&text.to_ascii_lowercase()));
        }

        /// The set finds exactly what a naive search for every pattern finds.
        #[test]
        fn the_set_finds_what_a_naive_search_finds(
            patterns in proptest::collection::vec("[a-dé]{8}", 1..6),
            text in "[a-dé ]{0,40}",
        ) {
            let patterns: Vec<String> = patterns
                .into_iter()
                .map(|p| p.chars().take(WINDOW).collect())
                .collect();
            let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let set = runs(&refs);
            let mut expected = Vec::new();
            for (start, _) in text.char_indices() {
                let run: String = text[start..].chars().take(WINDOW).collect();
                if run.chars().count() == WINDOW
                    && let Some(i) = patterns.iter().position(|p| *p == run)
                {
                    expected.push((start, start + run.len(), i));
                }
            }
            let found: Vec<(usize, usize, usize)> =
                set.hits(&text).map(|h| (h.start, h.end, h.value)).collect();
            prop_assert_eq!(found, expected);
        }
    }
}
