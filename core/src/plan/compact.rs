//! The manifests a [`Plan`](super::Plan) keeps: compact JSON, one buffer for all of them, turned
//! into values only when asked for.
//!
//! A `serde_json::Value` tree takes about ten times the memory of its compact JSON (a map and
//! a string allocation per key), so a plan of 10,000 workloads held as values took about a
//! gigabyte. Held as text (one allocation per object, so a session can replace a workload's
//! objects without moving the others) it takes what its JSON takes; [`Manifests::write_yaml`] writes YAML
//! from it one object at a time, and [`Manifests::values`] decodes every object once, on the
//! first call, for callers that walk the objects.

use std::io::{self, Write};
use std::sync::{Arc, OnceLock};

use serde_json::Value;

/// The manifests of a plan, in apply order.
#[derive(Debug, Clone, Default)]
pub(super) struct Manifests {
    /// Every object as compact JSON (shared by the clones of a plan).
    texts: Vec<Arc<[u8]>>,
    /// The objects as values, once asked for (shared by the clones of a plan).
    decoded: Arc<OnceLock<Vec<Value>>>,
}

impl Manifests {
    /// Appends `object` (the plan is being made: nothing has been decoded yet).
    pub fn push(&mut self, object: &Value) {
        self.texts.push(encode(object));
        self.decoded = Arc::default();
    }

    /// Replaces the objects in `range` with `objects` (what a session does when an edit
    /// changed one workload's objects alone); decoded values, if any and not shared with
    /// another clone, are replaced too (shared ones are decoded again when asked for).
    pub fn splice(&mut self, range: std::ops::Range<usize>, objects: Vec<Value>) {
        self.texts.splice(range.clone(), objects.iter().map(encode));
        match Arc::get_mut(&mut self.decoded).and_then(OnceLock::get_mut) {
            Some(values) => {
                values.splice(range, objects);
            }
            None => self.decoded = Arc::default(),
        }
    }

    /// How many objects there are.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Room enough for the YAML of the objects, as a buffer to write them into takes it
    /// up front: half as much again as their compact JSON. A manifest's YAML is about 1.1
    /// times its compact JSON (indentation for braces and commas, fewer quotes), so the
    /// buffer is made once instead of doubling from empty, which left the copies it outgrew
    /// (as much again as the text) to the allocator; memory the text never fills is never
    /// touched, so it costs address space, not memory.
    pub fn yaml_size_hint(&self) -> usize {
        let json: usize = self.texts.iter().map(|text| text.len()).sum();
        json + json / 2
    }

    /// The compact JSON of each object, in order.
    fn texts(&self) -> impl Iterator<Item = &[u8]> {
        self.texts.iter().map(AsRef::as_ref)
    }

    /// The objects as they are held, to share with another plan.
    pub fn shared(&self) -> &[Arc<[u8]>] {
        &self.texts
    }

    /// Manifests made of `texts` (compact JSON [`Manifests::push`] wrote, or `encode`s).
    pub fn from_shared(texts: Vec<Arc<[u8]>>) -> Self {
        Self {
            texts,
            decoded: Arc::default(),
        }
    }

    /// The objects as values, decoded on the first call.
    pub fn values(&self) -> &[Value] {
        self.decoded
            .get_or_init(|| self.texts().map(decode).collect())
    }

    /// Writes the objects as YAML documents, decoding one object at a time (or using the
    /// values when they have been decoded already).
    ///
    /// With more than one thread, batches of objects are decoded and written to text on
    /// rayon's threads and the texts written to `out` in order: the same bytes as one thread
    /// writes, since each object is written on its own either way.
    pub fn write_yaml<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        if let Some(values) = self.decoded.get() {
            return crate::render::yaml::write_documents(out, values);
        }
        if !super::parallel::is_parallel() || self.texts.len() <= YAML_BATCH {
            return write_texts(out, &self.texts);
        }
        let batches: Vec<&[Arc<[u8]>]> = self.texts.chunks(YAML_BATCH).collect();
        super::parallel::ordered(
            &batches,
            |batch| {
                let mut text = Vec::new();
                write_texts(&mut text, batch).map(|()| text)
            },
            |_, text| out.write_all(&text?),
        )
    }
}

/// How many objects a thread writes to YAML at a time.
const YAML_BATCH: usize = 64;

/// Writes each of `texts` (compact JSON) as a YAML document, one object at a time.
fn write_texts<W: Write + ?Sized>(out: &mut W, texts: &[Arc<[u8]>]) -> io::Result<()> {
    for text in texts {
        crate::render::yaml::write_documents(out, [&decode(text)])?;
    }
    Ok(())
}

/// The compact JSON of `object`.
pub(super) fn encode(object: &Value) -> Arc<[u8]> {
    // Writing a value to a vector cannot fail: its keys are strings.
    serde_json::to_vec(object).unwrap_or_default().into()
}

/// An object back from the JSON [`Manifests::push`] wrote (which always parses).
fn decode(text: &[u8]) -> Value {
    serde_json::from_slice(text).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_come_back_as_they_went_in_and_write_the_same_yaml() {
        let objects = [
            json!({"kind": "A", "n": 1.5, "big": u64::MAX, "neg": -3, "s": "yes", "l": [null, true]}),
            json!({"kind": "B", "metadata": {"name": "b", "labels": {"x": "0x10"}}}),
        ];
        let mut manifests = Manifests::default();
        for object in &objects {
            manifests.push(object);
        }
        let mut streamed = Vec::new();
        manifests.write_yaml(&mut streamed).unwrap();
        assert_eq!(manifests.len(), 2);
        assert_eq!(manifests.values(), objects);
        let mut expected = Vec::new();
        crate::render::yaml::write_documents(&mut expected, &objects).unwrap();
        assert_eq!(streamed, expected);
        let mut from_values = Vec::new();
        manifests.write_yaml(&mut from_values).unwrap();
        assert_eq!(from_values, expected);
    }

    #[test]
    fn many_objects_write_the_same_yaml_on_one_thread_and_on_four() {
        let objects: Vec<Value> = (0..1000)
            .map(|i| json!({"kind": "ConfigMap", "metadata": {"name": format!("m{i}")}, "data": {"k": i.to_string(), "x": "0x10"}}))
            .collect();
        let mut manifests = Manifests::default();
        for object in &objects {
            manifests.push(object);
        }
        let mut expected = Vec::new();
        crate::render::yaml::write_documents(&mut expected, &objects).unwrap();
        let hint = manifests.yaml_size_hint();
        assert!(
            (expected.len()..2 * expected.len()).contains(&hint),
            "room for {} bytes of YAML: {hint}",
            expected.len()
        );
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let written = pool.install(|| {
                let mut out = Vec::new();
                manifests.write_yaml(&mut out).map(|()| out)
            });
            assert_eq!(written.unwrap(), expected, "{threads} threads");
        }
    }
}
