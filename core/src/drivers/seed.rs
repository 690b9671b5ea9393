//! The secret seed, and the passwords derived from it.

use std::fmt;
use std::sync::{Arc, OnceLock};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::platform::Context;
use crate::sensitive::Sensitive;
use crate::{Error, ErrorKind, Location, ResourceKey};

/// The 62 characters of a generated value, in the order of their digit value: ASCII digits,
/// upper-case and lower-case letters. They need no quoting in YAML, shells, URLs or
/// connection strings, and none of them is `$`, a quote or `\`.
pub const GENERATED_ALPHABET: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The length of a generated value: 32 characters, about 190 bits.
pub const GENERATED_LENGTH: usize = 32;

/// The shortest seed [`SecretSeed::new`] accepts, in bytes.
pub const MIN_SEED_BYTES: usize = 16;

/// The bytes of the development seed. Public on purpose: values derived from it are not secret.
const DEVELOPMENT_SEED: &[u8] = b"goldpath development seed: not secret, not for production";

/// The seed that generated secrets (`generated(name)` in templates) are derived from.
///
/// The caller supplies it (CLI: `--secret-seed-file` or `GOLDPATH_SECRET_SEED`), so repeated
/// plans give the same passwords and nothing needs storing. Its `Debug` never shows the bytes.
///
/// ```
/// use goldpath::drivers::SecretSeed;
/// use goldpath::ResourceKey;
///
/// let seed = SecretSeed::new(*b"0123456789abcdef0123456789abcdef").unwrap();
/// let key: ResourceKey = "postgres#shop.db".parse().unwrap();
/// let context = goldpath::platform::Context::new("shop", "prod", "production");
/// let password = seed.generate(&context, &key, "password");
/// assert_eq!(password.expose().len(), 32);
/// assert_eq!(password, seed.generate(&context, &key, "password"));
/// assert_ne!(password, seed.generate(&context, &key, "admin-password"));
/// let blog = goldpath::platform::Context::new("blog", "prod", "production");
/// assert_ne!(password, seed.generate(&blog, &key, "password"));
/// assert!(!seed.is_development());
/// assert!(SecretSeed::development().is_development());
/// ```
#[derive(Clone)]
pub struct SecretSeed {
    bytes: Vec<u8>,
    development: bool,
    /// The HMAC keyed by `bytes`, made on first use and shared by clones (a template render
    /// holds a clone).
    keyed: Arc<OnceLock<Hmac<Sha256>>>,
}

impl SecretSeed {
    /// A seed of the caller's bytes; use at least 16 random bytes (32 recommended).
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Invalid`] error when the seed is shorter than [`MIN_SEED_BYTES`].
    pub fn new(bytes: impl Into<Vec<u8>>) -> crate::Result<Self> {
        let bytes = bytes.into();
        if bytes.len() < MIN_SEED_BYTES {
            return Err(Error::new(
                ErrorKind::Invalid,
                Location::default(),
                format!(
                    "the secret seed is {} bytes, fewer than {MIN_SEED_BYTES}: use at least \
                     {MIN_SEED_BYTES} random bytes, e.g. the output of `openssl rand -hex 32`",
                    bytes.len()
                ),
            ));
        }
        Ok(Self {
            bytes,
            development: false,
            keyed: Arc::default(),
        })
    }

    /// The fixed development seed, used when the caller supplies none. Its bytes are public
    /// (the text `goldpath development seed: not secret, not for production`), so values
    /// derived from it protect nothing; plans made with it carry a warning.
    #[must_use]
    pub fn development() -> Self {
        Self {
            bytes: DEVELOPMENT_SEED.to_vec(),
            development: true,
            keyed: Arc::default(),
        }
    }

    /// Whether this is the [development](Self::development) seed.
    #[must_use]
    pub fn is_development(&self) -> bool {
        self.development
    }

    /// The value named `name` of the resource `key` in `context`: HMAC-SHA256 keyed by the
    /// seed over the application, the environment, the canonical key and the name (NUL between
    /// each), so two applications or two environments never share a generated password, written as [`GENERATED_LENGTH`] characters of
    /// [`GENERATED_ALPHABET`] (the 256-bit MAC read as a big-endian number, least significant
    /// base-62 digit first).
    ///
    /// The same seed, context, key and name always give the same value; a different one of
    /// them gives an unrelated value.
    #[must_use]
    pub fn generate(&self, context: &Context, key: &ResourceKey, name: &str) -> Sensitive<String> {
        let mut mac = self.keyed().clone();
        for part in [context.app.as_str(), context.env.as_str()] {
            mac.update(part.as_bytes());
            mac.update(b"\0");
        }
        mac.update(key.to_string().as_bytes());
        mac.update(b"\0");
        mac.update(name.as_bytes());
        let number: [u8; 32] = mac.finalize().into_bytes().into();
        Sensitive::new(base62(number))
    }

    /// The HMAC keyed by the seed, made once (keying hashes the seed twice).
    fn keyed(&self) -> &Hmac<Sha256> {
        self.keyed.get_or_init(|| {
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.bytes)
                .expect("HMAC accepts keys of any length")
        })
    }
}

impl PartialEq for SecretSeed {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes && self.development == other.development
    }
}

impl Eq for SecretSeed {}

/// 62 to the fifth: the largest power of 62 below 2^32, so five digits come from one division
/// of 32-bit limbs.
const FIVE_DIGITS: u64 = 62 * 62 * 62 * 62 * 62;

/// The big-endian number `number` as [`GENERATED_LENGTH`] digits of [`GENERATED_ALPHABET`],
/// least significant first (the digits of repeated division by 62, five at a time).
fn base62(number: [u8; 32]) -> String {
    let mut limbs = [0u32; 8];
    for (limb, bytes) in limbs.iter_mut().zip(number.chunks_exact(4)) {
        *limb = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    let mut text = String::with_capacity(GENERATED_LENGTH);
    while text.len() < GENERATED_LENGTH {
        let mut remainder = divide_limbs(&mut limbs, FIVE_DIGITS);
        for _ in 0..5 {
            if text.len() == GENERATED_LENGTH {
                break;
            }
            let digit = usize::try_from(remainder % 62).unwrap_or_default();
            text.push(char::from(GENERATED_ALPHABET[digit]));
            remainder /= 62;
        }
    }
    text
}

/// Divides the big-endian number in `limbs` by `divisor` (below 2^32) in place; returns the
/// remainder.
fn divide_limbs(limbs: &mut [u32], divisor: u64) -> u64 {
    let mut remainder: u64 = 0;
    for limb in limbs.iter_mut() {
        let current = (remainder << 32) | u64::from(*limb);
        // current < divisor * 2^32, so the quotient fits in 32 bits.
        *limb = u32::try_from(current / divisor).unwrap_or(u32::MAX);
        remainder = current % divisor;
    }
    remainder
}

/// Divides the big-endian number in `digits` by `divisor` in place; returns the remainder
/// (one digit at a time: what [`base62`] must agree with).
#[cfg(test)]
fn divide_in_place(digits: &mut [u8], divisor: u16) -> usize {
    let mut remainder: u16 = 0;
    for digit in digits.iter_mut() {
        let current = (remainder << 8) | u16::from(*digit);
        // current < divisor * 256, so the quotient fits in a byte.
        *digit = u8::try_from(current / divisor).unwrap_or(u8::MAX);
        remainder = current % divisor;
    }
    usize::from(remainder)
}

impl fmt::Debug for SecretSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.development {
            f.write_str("SecretSeed(development)")
        } else {
            f.write_str("SecretSeed(***)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context::new("shop", "qa-42", "qa-light")
    }

    fn key(text: &str) -> ResourceKey {
        text.parse().unwrap()
    }

    proptest::proptest! {
        #[test]
        fn five_digits_at_a_time_are_the_digits_of_division_by_62(number in proptest::array::uniform32(proptest::num::u8::ANY)) {
            let mut digits = number;
            let one_at_a_time: String = (0..GENERATED_LENGTH)
                .map(|_| char::from(GENERATED_ALPHABET[divide_in_place(&mut digits, 62)]))
                .collect();
            proptest::prop_assert_eq!(base62(number), one_at_a_time);
        }
    }

    #[test]
    fn base62_reads_the_extremes() {
        assert_eq!(base62([0; 32]), "0".repeat(GENERATED_LENGTH));
        let mut one = [0; 32];
        one[31] = 63;
        assert_eq!(
            base62(one),
            format!("11{}", "0".repeat(GENERATED_LENGTH - 2))
        );
        assert_eq!(base62([0xff; 32]).len(), GENERATED_LENGTH);
    }

    #[test]
    fn division_gives_quotient_and_remainder() {
        let mut number = [0x01, 0x00]; // 256
        assert_eq!(divide_in_place(&mut number, 62), 8);
        assert_eq!(number, [0, 4]);
    }

    #[test]
    fn generated_values_use_only_the_alphabet() {
        let seed = SecretSeed::development();
        for name in ["a", "b", "password", ""] {
            let value = seed.generate(&ctx(), &key("redis#ab"), name);
            assert_eq!(value.expose().len(), GENERATED_LENGTH);
            assert!(
                value
                    .expose()
                    .bytes()
                    .all(|b| GENERATED_ALPHABET.contains(&b))
            );
        }
    }

    #[test]
    fn the_key_is_canonical_and_the_separator_keeps_parts_apart() {
        let seed = SecretSeed::development();
        assert_eq!(
            seed.generate(&ctx(), &key("redis#ab"), "p"),
            seed.generate(&ctx(), &key("redis.default#ab"), "p")
        );
        assert_ne!(
            seed.generate(&ctx(), &key("redis#ab"), "p"),
            seed.generate(&ctx(), &key("redis#abp"), "")
        );
    }

    #[test]
    fn a_short_seed_is_refused_without_echoing_it() {
        let err = SecretSeed::new(*b"short-seed").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(err.message().contains("10 bytes"), "{err}");
        assert!(!err.message().contains("short-seed"), "{err}");
    }

    #[test]
    fn debug_hides_the_bytes() {
        let seed = SecretSeed::new(*b"0123456789abcdef").unwrap();
        assert_eq!(format!("{seed:?}"), "SecretSeed(***)");
        assert_eq!(
            format!("{:?}", SecretSeed::development()),
            "SecretSeed(development)"
        );
    }
}
