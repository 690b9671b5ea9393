//! What a plan's secret check looks for, derived from its secrets on every core.
//!
//! Deriving a secret's runs ([`derive`]), lowering them and leaving out the public ones is most
//! of building the check, and each secret's is its own: rayon's threads derive them, a chunk
//! of secrets at a time, while the caller puts each secret's runs in the check in the order
//! the secrets were registered ([`crate::plan::parallel::ordered`]), so every run keeps the
//! owner a check built on one thread gives it (the first secret, in that order, that gives
//! it). On a pool of one thread, one secret after the other, on the calling thread.

use super::guard::PublicWords;
use super::patterns::{Derived, derive};
use super::windows::packed;

/// How many secrets one task derives: enough to outweigh handing the task over, few enough
/// that the chunks waiting for their turn hold a few megabytes at most.
const CHUNK: usize = 64;

/// What the check looks for to find one secret: its runs lower-cased, the public ones left out.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Looked {
    /// Nothing (a secret too short to look for).
    Nothing,
    /// The secret itself, matched whole.
    Whole(String),
    /// Runs: the ASCII ones packed ([`packed`]), the others as text.
    Runs {
        /// The packed ASCII runs.
        words: Vec<u64>,
        /// The runs that hold a character that is not ASCII.
        other: Vec<String>,
    },
}

/// What the check looks for to find `secret`, leaving out the runs `public` holds.
pub(super) fn looked(secret: &str, public: &PublicWords) -> Looked {
    match derive(secret) {
        Derived::Nothing => Looked::Nothing,
        Derived::Whole(text) => Looked::Whole(text),
        Derived::Windows(windows) => {
            let mut words = Vec::with_capacity(windows.len());
            let mut other = Vec::new();
            for mut window in windows {
                window.make_ascii_lowercase();
                match packed(&window) {
                    Some(word) if !public.contains_word(word) => words.push(word),
                    Some(_) => {}
                    None if !public.contains(&window) => other.push(window),
                    None => {}
                }
            }
            Looked::Runs { words, other }
        }
    }
}

/// Hands what the check looks for to find each of `secrets` to `take`, with its index, in the
/// order of `secrets`; derived on rayon's threads when there are several.
pub(super) fn each_looked(
    secrets: &[&str],
    public: &PublicWords,
    take: &mut dyn FnMut(usize, Looked),
) {
    if !crate::plan::parallel::is_parallel() || secrets.len() < 2 * CHUNK {
        for (index, secret) in secrets.iter().enumerate() {
            take(index, looked(secret, public));
        }
        return;
    }
    let chunks: Vec<(usize, &[&str])> = secrets
        .chunks(CHUNK)
        .enumerate()
        .map(|(i, chunk)| (i * CHUNK, chunk))
        .collect();
    let done = crate::plan::parallel::ordered(
        &chunks,
        |(_, chunk)| -> Vec<Looked> { chunk.iter().map(|s| looked(s, public)).collect() },
        |(start, _), all| {
            for (offset, one) in all.into_iter().enumerate() {
                take(start + offset, one);
            }
            Ok::<(), std::convert::Infallible>(())
        },
    );
    match done {
        Ok(()) => {}
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parallel::tests::pool;
    use proptest::prelude::*;

    fn all_looked(threads: usize, secrets: &[&str], public: &PublicWords) -> Vec<(usize, Looked)> {
        pool(threads).install(|| {
            let mut out = Vec::new();
            each_looked(secrets, public, &mut |i, l| out.push((i, l)));
            out
        })
    }

    #[test]
    fn public_runs_are_left_out_and_runs_lowered() {
        let public = PublicWords::new(["db-password"]);
        let Looked::Runs { words, other } = looked("MY-DB-PASSWORD-42ü", &public) else {
            panic!("a long secret has runs");
        };
        let texts: Vec<String> = words
            .iter()
            .map(|w| String::from_utf8(w.to_le_bytes().to_vec()).unwrap())
            .collect();
        assert!(texts.contains(&"my-db-pa".to_owned()), "{texts:?}");
        assert!(!texts.contains(&"password".to_owned()), "{texts:?}");
        assert!(texts.iter().all(|t| t.to_ascii_lowercase() == *t));
        assert!(other.iter().any(|o| o.contains('ü')), "{other:?}");
        assert_eq!(looked("short", &public), Looked::Whole("short".to_owned()));
        assert_eq!(looked("abc", &public), Looked::Nothing);
    }

    /// Secrets of many owners that share runs (one secret's runs in another's, upper and
    /// lower case, base64), some public, some short or too short.
    fn secrets(seed: &[String]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, s) in seed.iter().enumerate() {
            let owner = format!("resource `r{}`", i % 7);
            out.push((owner.clone(), s.clone()));
            out.push((owner, format!("{}-shop-db-{s}", s.to_uppercase())));
        }
        out
    }

    fn listing(threads: usize, secrets: &[(String, String)], public: &PublicWords) -> String {
        pool(threads).install(|| {
            let pairs = secrets.iter().map(|(o, s)| (o.as_str(), s.as_str()));
            let guard = super::super::SecretGuard::with_public(pairs, public).unwrap();
            format!("{:?}", guard.listing())
        })
    }

    #[test]
    fn a_guard_built_on_many_threads_is_the_one_built_on_one() {
        let seed: Vec<String> = (0..700)
            .map(|i| format!("Zq{i:04}x-Passw0rd-{}", i % 13))
            .collect();
        let all = secrets(&seed);
        assert!(all.len() > 4 * CHUNK, "the parallel path is taken");
        let public = PublicWords::new(["shop-db", "passw0rd"]);
        let one = listing(1, &all, &public);
        assert!(one.len() > 10_000, "{}", one.len());
        assert_eq!(listing(2, &all, &public), one);
        assert_eq!(listing(4, &all, &public), one);
    }

    proptest! {
        // Each case builds pools and guards of hundreds of secrets.
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A guard's runs and owners are the same on any pool.
        #[test]
        fn a_guard_is_the_same_on_any_pool(
            seed in proptest::collection::vec("[a-zA-Z0-9ü]{0,20}", 0..200),
            threads in 2_usize..5,
        ) {
            let all = secrets(&seed);
            let public = PublicWords::new(["shop-db"]);
            prop_assert_eq!(listing(threads, &all, &public), listing(1, &all, &public));
        }

        /// On any pool, every secret's runs come once, in the order of the secrets, as one
        /// thread derives them.
        #[test]
        fn every_pool_gives_what_one_thread_gives(
            secrets in proptest::collection::vec("[a-zA-Z0-9ü.-]{0,24}", 0..400),
            threads in 1_usize..5,
        ) {
            let public = PublicWords::new(["shop-db", "password", "main"]);
            let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
            let expected: Vec<(usize, Looked)> = refs
                .iter()
                .enumerate()
                .map(|(i, s)| (i, looked(s, &public)))
                .collect();
            prop_assert_eq!(all_looked(threads, &refs, &public), expected);
        }
    }
}
