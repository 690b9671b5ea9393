//! The manifests of a resource while the plan's other resources are provisioned (every secret
//! must be known before the first object is checked), in a compact form.
//!
//! Tens of thousands of resources wait at once, and their manifests repeat themselves: the
//! same keys in every object (`apiVersion`, `metadata`, `app.kubernetes.io/instance`, ...) and
//! the same values within one resource (its name in the labels, the selector, the Service).
//! Each object key is held once for the whole plan ([`Keys`]: a number per key), each string
//! once per resource (a later use refers to the first), numbers and lengths as variable-length
//! integers. Compact JSON took about three times the room.
//!
//! [`Waiting::release`] gives back values equal to the ones held (same numbers: an unsigned,
//! signed or floating-point number stays one; same key order).

use foldhash::{HashMap, HashMapExt};
use std::sync::{PoisonError, RwLock, RwLockReadGuard};

use serde_json::{Map, Number, Value};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const UNSIGNED: u8 = 3;
const NEGATIVE: u8 = 4;
const FLOAT: u8 = 5;
/// A string met for the first time in this resource: its length and bytes follow.
const STRING: u8 = 6;
/// A string met before in this resource: its number (in order of first use) follows.
const SEEN: u8 = 7;
const ARRAY: u8 = 8;
const OBJECT: u8 = 9;

/// The object keys of a plan's waiting manifests, each held once. Resources are encoded on
/// several threads at once (provisioning runs ahead on rayon's threads): the table is behind a
/// lock, read far more often than written, and each encoder keeps the numbers it has looked up.
#[derive(Debug, Default)]
pub(crate) struct Keys(RwLock<KeyTable>);

/// The keys by number and the numbers by key.
#[derive(Debug, Default)]
struct KeyTable {
    numbers: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Keys {
    /// The number of `key`, given one when new.
    fn number(&self, key: &str) -> u32 {
        if let Some(&n) = self.read().numbers.get(key) {
            return n;
        }
        let mut table = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(&n) = table.numbers.get(key) {
            return n;
        }
        let n = u32::try_from(table.names.len()).unwrap_or(u32::MAX);
        table.names.push(key.into());
        table.numbers.insert(key.into(), n);
        n
    }

    /// The table, to read (a panic elsewhere leaves it whole: entries are added in one step).
    fn read(&self) -> RwLockReadGuard<'_, KeyTable> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }
}

impl KeyTable {
    fn name(&self, number: u64) -> Option<&str> {
        self.names
            .get(usize::try_from(number).ok()?)
            .map(AsRef::as_ref)
    }
}

/// One resource's manifests, encoded.
#[derive(Debug, Default)]
pub(crate) struct Waiting(Box<[u8]>);

impl Waiting {
    /// `manifests`, encoded with the plan's `keys` (on any thread).
    pub fn hold(manifests: &[Value], keys: &Keys) -> Self {
        let mut encoder = Encoder {
            out: Vec::new(),
            keys,
            known: HashMap::with_capacity(64),
            strings: HashMap::with_capacity(64),
        };
        encoder.varint(manifests.len() as u64);
        for manifest in manifests {
            encoder.value(manifest);
        }
        Self(encoder.out.into_boxed_slice())
    }

    /// The manifests held, decoded with the `keys` they were held with.
    ///
    /// # Errors
    /// Only if the bytes are not what [`Waiting::hold`] made (a bug in goldpath): named as
    /// such.
    pub fn release(&self, keys: &Keys) -> crate::Result<Vec<Value>> {
        let table = keys.read();
        let mut decoder = Decoder {
            bytes: &self.0,
            at: 0,
            keys: &table,
            strings: Vec::new(),
        };
        let decoded = (|| {
            let count = decoder.varint()?;
            let mut manifests = Vec::new();
            for _ in 0..count {
                manifests.push(decoder.value(0)?);
            }
            Some(manifests)
        })();
        decoded.ok_or_else(|| {
            crate::Error::new(
                crate::ErrorKind::Invalid,
                crate::Location::default(),
                "a resource's held manifests cannot be read back (a bug in goldpath)",
            )
        })
    }
}

/// Appends `n` as a variable-length integer (seven bits a byte, the high bit set on every
/// byte but the last): no number's bytes are the start of another's.
pub(super) fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

struct Encoder<'k, 'v> {
    out: Vec<u8>,
    keys: &'k Keys,
    /// The keys of this resource looked up so far, with their numbers.
    known: HashMap<&'v str, u32>,
    /// The strings of this resource met so far, by number.
    strings: HashMap<&'v str, u64>,
}

impl<'v> Encoder<'_, 'v> {
    fn varint(&mut self, n: u64) {
        push_varint(&mut self.out, n);
    }

    fn value(&mut self, value: &'v Value) {
        match value {
            Value::Null => self.out.push(NULL),
            Value::Bool(false) => self.out.push(FALSE),
            Value::Bool(true) => self.out.push(TRUE),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.out.push(ARRAY);
                self.varint(items.len() as u64);
                for item in items {
                    self.value(item);
                }
            }
            Value::Object(map) => {
                self.out.push(OBJECT);
                self.varint(map.len() as u64);
                for (key, item) in map {
                    let n = match self.known.get(key.as_str()) {
                        Some(&n) => n,
                        None => {
                            let n = self.keys.number(key);
                            self.known.insert(key, n);
                            n
                        }
                    };
                    self.varint(u64::from(n));
                    self.value(item);
                }
            }
        }
    }

    fn number(&mut self, n: &Number) {
        if let Some(u) = n.as_u64() {
            self.out.push(UNSIGNED);
            self.varint(u);
        } else if let Some(i) = n.as_i64() {
            // Negative: an i64 that is no u64.
            self.out.push(NEGATIVE);
            self.varint(i.unsigned_abs());
        } else {
            self.out.push(FLOAT);
            let bits = n.as_f64().unwrap_or_default().to_bits();
            self.out.extend_from_slice(&bits.to_le_bytes());
        }
    }

    fn string(&mut self, s: &'v str) {
        if let Some(&n) = self.strings.get(s) {
            self.out.push(SEEN);
            self.varint(n);
            return;
        }
        let n = self.strings.len() as u64;
        self.strings.insert(s, n);
        self.out.push(STRING);
        self.varint(s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }
}

/// Deeper than any manifest a definition renders (the loader's own limits are far lower):
/// a guard against a stack overflow should the bytes be wrong.
const MAX_DEPTH: usize = 512;

struct Decoder<'b> {
    bytes: &'b [u8],
    at: usize,
    keys: &'b KeyTable,
    strings: Vec<&'b str>,
}

impl<'b> Decoder<'b> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0_u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match self.byte()? {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            UNSIGNED => Value::from(self.varint()?),
            NEGATIVE => {
                let magnitude = self.varint()?;
                Value::from(0_i64.checked_sub_unsigned(magnitude)?)
            }
            FLOAT => {
                let bytes = self.bytes.get(self.at..self.at + 8)?;
                self.at += 8;
                let bits = u64::from_le_bytes(bytes.try_into().ok()?);
                Value::Number(Number::from_f64(f64::from_bits(bits))?)
            }
            STRING => {
                let len = self.len()?;
                let bytes = self.bytes.get(self.at..self.at.checked_add(len)?)?;
                self.at += len;
                let text = std::str::from_utf8(bytes).ok()?;
                self.strings.push(text);
                Value::String(text.to_owned())
            }
            SEEN => {
                let n = self.len()?;
                Value::String((*self.strings.get(n)?).to_owned())
            }
            ARRAY => {
                let len = self.len()?;
                let mut items = Vec::with_capacity(len.min(self.bytes.len()));
                for _ in 0..len {
                    items.push(self.value(depth + 1)?);
                }
                Value::Array(items)
            }
            OBJECT => {
                let len = self.len()?;
                // The keys come sorted (a map was encoded): the map is built in one go, not
                // searched once per key.
                let mut entries = Vec::with_capacity(len.min(self.bytes.len()));
                for _ in 0..len {
                    let key = self.keys.name(self.varint()?)?.to_owned();
                    let item = self.value(depth + 1)?;
                    entries.push((key, item));
                }
                Value::Object(entries.into_iter().collect::<Map<String, Value>>())
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<u64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter_map("finite", Number::from_f64)
                .prop_map(Value::Number),
            "[a-c]{0,3}".prop_map(Value::String),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map("[a-d]{0,3}|.{0,8}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// What is held is released unchanged: equal values, the same kind of number, the
        /// same key order, through keys shared by several resources.
        #[test]
        fn release_gives_back_what_was_held(
            resources in proptest::collection::vec(proptest::collection::vec(value(), 0..4), 0..5),
        ) {
            let keys = Keys::default();
            let held: Vec<Waiting> = resources.iter().map(|m| Waiting::hold(m, &keys)).collect();
            for (manifests, waiting) in resources.iter().zip(&held) {
                let released = waiting.release(&keys).unwrap();
                prop_assert_eq!(&released, manifests);
                prop_assert_eq!(
                    serde_json::to_string(&released).unwrap(),
                    serde_json::to_string(manifests).unwrap()
                );
            }
        }
    }

    #[test]
    fn numbers_keep_their_kind_and_strings_are_held_once() {
        let manifests = vec![json!({
            "a": [0, 1, u64::MAX, -1, i64::MIN, 0.5, -0.0, 1e300, "name-0123", "name-0123"],
            "b": {"a": "name-0123", "": ""},
        })];
        let keys = Keys::default();
        let waiting = Waiting::hold(&manifests, &keys);
        let released = waiting.release(&keys).unwrap();
        assert_eq!(released, manifests);
        for (a, b) in released[0]["a"]
            .as_array()
            .unwrap()
            .iter()
            .zip(manifests[0]["a"].as_array().unwrap())
        {
            assert_eq!(
                (a.is_u64(), a.is_i64(), a.is_f64()),
                (b.is_u64(), b.is_i64(), b.is_f64())
            );
        }
        assert_eq!(
            waiting.0.windows(9).filter(|w| w == b"name-0123").count(),
            1,
            "a string repeated in a resource is held once"
        );
        assert_eq!(keys.read().names.len(), 3, "each key once");
    }

    #[test]
    fn bytes_that_were_not_held_are_an_error_naming_a_bug() {
        let keys = Keys::default();
        for bytes in [
            &[1_u8][..],
            &[1, 9, 1, 0],
            &[1, 6, 200],
            &[1, 99],
            &[1, 8, 1],
        ] {
            let error = Waiting(bytes.into()).release(&keys).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Invalid, "{bytes:?}");
            assert!(error.to_string().contains("a bug in goldpath"), "{error}");
        }
    }
}
