//! Where each workload's segment sits in a session's plan, and what it asked of the plan's
//! budget: built once from a full plan (and checked against it), kept up to date as segments
//! are replaced.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::{Bound, Range};
use std::sync::Arc;

use serde_json::Value;

use crate::plan::delta::{self, Placed, Regrown, encoded};
use crate::plan::segment::{Kept, Segment};
use crate::plan::{Engine, Identity as Id, Plan, PlanOptions, identity as id};

/// One workload's segment, as the index keeps it.
struct Entry {
    /// How many objects it put out.
    len: usize,
    /// The bytes it charged to the plan's budget.
    charged: usize,
    /// The most any of its checks asked of the budget, from the start of the segment.
    peak: usize,
    /// The identities of its objects.
    ids: Vec<Id>,
}

/// The segments of a plan, by workload name (the order they appear in), after the objects of
/// the environment and the resources.
pub(super) struct Index {
    /// How many objects come before the first workload's.
    base: usize,
    /// The bytes the environment objects and the resources charged.
    base_charged: usize,
    segments: BTreeMap<String, Entry>,
    /// Which workload put out each object (`None`: the environment or a resource).
    owners: HashMap<Id, Option<String>>,
}

/// What adding, removing or replacing workloads changes in the index, checked, ready to be
/// recorded.
pub(super) struct Regrowth {
    /// The new plan's manifests.
    texts: Vec<Arc<[u8]>>,
    /// The identities of the objects taken away.
    gone: HashSet<Id>,
    /// The identities of the objects brought, with their owner.
    owned: Vec<(Id, Option<String>)>,
    /// The segments replaced or added (`Some`) and removed (`None`).
    entries: Vec<(String, Option<Entry>)>,
    /// How many objects come before the first workload's.
    base: usize,
    /// The bytes the environment objects and the resources charged.
    base_charged: usize,
    /// The bytes the new plan charges.
    pub produced: usize,
    /// At least the most any check of the new plan asks beyond what came before it.
    pub asked: usize,
}

/// What a new segment changes, ready to be put in place.
pub(super) struct Replacement {
    /// Where the old segment is in the plan's manifests.
    pub range: Range<usize>,
    name: String,
    entry: Entry,
}

impl Index {
    /// The index of `plan`, made by planning each workload's segment again and checking that
    /// together they are exactly the plan's workload objects, that no object of one is also
    /// another's (the output step would have dropped or refused it), and that the plan has no
    /// policy violation (so no segment adds one). `None` when any of this does not hold:
    /// the session then plans every edit in full.
    pub fn build(engine: &Engine, plan: &Plan, kept: &Kept, options: &PlanOptions) -> Option<Self> {
        if !plan.violations().is_empty() {
            return None;
        }
        let mut by_name: Vec<_> = plan.workloads().iter().collect();
        by_name.sort_by(|a, b| a.workload.metadata.name.cmp(&b.workload.metadata.name));
        let mut segments = BTreeMap::new();
        let mut texts = Vec::new();
        for workload in by_name {
            let segment = engine.segment(plan, kept, workload, options).ok()?;
            if !segment.violations.is_empty() {
                return None;
            }
            let entry = entry(&segment);
            texts.extend(segment.objects.iter().map(encoded));
            segments.insert(workload.workload.metadata.name.clone(), entry);
        }
        let manifests = plan.manifest_texts();
        let base = manifests.len().checked_sub(texts.len())?;
        if manifests[base..] != texts[..] {
            return None;
        }
        let charged: usize = segments.values().map(|e| e.charged).sum();
        let mut index = Self {
            base,
            base_charged: kept.produced.checked_sub(charged)?,
            segments,
            owners: HashMap::new(),
        };
        for text in &manifests[..base] {
            index.owners.insert(id(&decoded(text)), None);
        }
        for (name, entry) in &index.segments {
            for id in &entry.ids {
                if index
                    .owners
                    .insert(id.clone(), Some(name.clone()))
                    .is_some()
                {
                    return None;
                }
            }
        }
        Some(index)
    }

    /// How `regrown`, made from `plan` (whose resources are in `kept`), changes the index and
    /// the plan's manifests; `None` when it cannot alone: an object it brings is another's
    /// too (the output step would drop or refuse it), or the plan would pass
    /// `max_plan_bytes`, the budget of the new plan.
    pub fn regrowth(
        &self,
        plan: &Plan,
        kept: &Kept,
        regrown: &Regrown,
        max_plan_bytes: usize,
    ) -> Option<Regrowth> {
        let old = plan.manifest_texts();
        let ranges = delta::ledger(kept)?;
        let environment = kept.environment();
        let mut texts = Vec::with_capacity(old.len() + 64);
        texts.extend_from_slice(old.get(..environment.objects)?);
        let mut growth = Regrowth {
            texts,
            gone: HashSet::new(),
            owned: Vec::new(),
            entries: Vec::new(),
            base: 0,
            base_charged: environment.charged,
            produced: 0,
            asked: kept.asked.max(regrown.asked),
        };
        let order = &kept.resources().order;
        for key in &regrown.removed {
            let range = ranges.get(order.iter().position(|k| k == key)?)?;
            growth
                .gone
                .extend(old.get(range.clone())?.iter().map(|t| id(&decoded(t))));
        }
        for (placed, spent) in &regrown.order {
            growth.base_charged += spent.charged;
            match placed {
                Placed::Brought(key) => {
                    let objects = regrown.brought.get(key)?;
                    growth.owned.extend(objects.iter().map(|o| (id(o), None)));
                    growth.texts.extend(objects.iter().map(encoded));
                }
                Placed::Kept(j) => growth
                    .texts
                    .extend_from_slice(old.get(ranges.get(*j)?.clone())?),
            }
        }
        growth.base = growth.texts.len();
        self.regrow_segments(old, regrown, &mut growth)?;
        let mut new = HashSet::new();
        for (id, _) in &growth.owned {
            let taken = self.owners.contains_key(id) && !growth.gone.contains(id);
            if taken || !new.insert(id) {
                return None;
            }
        }
        (growth.produced.saturating_add(growth.asked) <= max_plan_bytes).then_some(growth)
    }

    /// The workloads' part of [`Index::regrowth`]: every segment, old or new, by name.
    fn regrow_segments(
        &self,
        old: &[Arc<[u8]>],
        regrown: &Regrown,
        growth: &mut Regrowth,
    ) -> Option<()> {
        let mut at = self.base;
        let mut positions = HashMap::new();
        for (name, entry) in &self.segments {
            positions.insert(name.as_str(), at..at + entry.len);
            at += entry.len;
        }
        let names: BTreeSet<&str> = regrown
            .workloads
            .iter()
            .map(|w| w.workload.metadata.name.as_str())
            .collect();
        let new: HashMap<&str, &Segment> = regrown
            .segments
            .iter()
            .map(|(name, segment)| (name.as_str(), segment))
            .collect();
        let mut charged = 0;
        for &name in &names {
            let old_entry = self.segments.get(name);
            match new.get(name) {
                Some(segment) => {
                    if let Some(e) = old_entry {
                        growth.gone.extend(e.ids.iter().cloned());
                    }
                    let entry = entry(segment);
                    charged += entry.charged;
                    growth.asked = growth.asked.max(entry.peak);
                    let owner = Some(name.to_owned());
                    growth
                        .owned
                        .extend(entry.ids.iter().map(|id| (id.clone(), owner.clone())));
                    growth.texts.extend(segment.objects.iter().map(encoded));
                    growth.entries.push((name.to_owned(), Some(entry)));
                }
                None => {
                    charged += old_entry?.charged;
                    growth
                        .texts
                        .extend_from_slice(&old[positions.get(name)?.clone()]);
                }
            }
        }
        for (name, entry) in &self.segments {
            if !names.contains(name.as_str()) {
                growth.gone.extend(entry.ids.iter().cloned());
                growth.entries.push((name.clone(), None));
            }
        }
        growth.produced = growth.base_charged + charged;
        Some(())
    }

    /// Records `growth` as done; gives the new plan's manifests.
    pub fn regrow(&mut self, growth: Regrowth) -> Vec<Arc<[u8]>> {
        for id in &growth.gone {
            self.owners.remove(id);
        }
        self.owners.extend(growth.owned);
        for (name, entry) in growth.entries {
            match entry {
                Some(entry) => self.segments.insert(name, entry),
                None => self.segments.remove(&name),
            };
        }
        self.base = growth.base;
        self.base_charged = growth.base_charged;
        growth.texts
    }

    /// How `segment`, the new segment of workload `name`, replaces its old one; `None` when it
    /// cannot alone: an object of it is another's too, it adds a policy violation, or the plan
    /// would pass its budget.
    pub fn replacement(
        &self,
        name: &str,
        segment: &Segment,
        max_plan_bytes: usize,
    ) -> Option<Replacement> {
        if !segment.violations.is_empty() {
            return None;
        }
        let entry = entry(segment);
        let foreign = entry.ids.iter().any(|id| {
            self.owners
                .get(id)
                .is_some_and(|owner| owner.as_deref() != Some(name))
        });
        if foreign || self.peak_with(name, &entry) > max_plan_bytes {
            return None;
        }
        let start = self.base
            + self
                .segments
                .range::<str, _>((Bound::Unbounded, Bound::Excluded(name)))
                .map(|(_, e)| e.len)
                .sum::<usize>();
        let old = self.segments.get(name)?;
        Some(Replacement {
            range: start..start + old.len,
            name: name.to_owned(),
            entry,
        })
    }

    /// Records `replacement` as done.
    pub fn apply(&mut self, replacement: Replacement) {
        let Replacement { name, entry, .. } = replacement;
        if let Some(old) = self.segments.get(&name) {
            for id in &old.ids {
                self.owners.remove(id);
            }
        }
        for id in &entry.ids {
            self.owners.insert(id.clone(), Some(name.clone()));
        }
        self.segments.insert(name, entry);
    }

    /// The bytes the plan charges with `entry` as the segment of `name`.
    pub fn produced_with(&self, name: &str, entry_charged: usize) -> usize {
        let others: usize = self
            .segments
            .iter()
            .filter(|(n, _)| n.as_str() != name)
            .map(|(_, e)| e.charged)
            .sum();
        self.base_charged + others + entry_charged
    }

    /// The most any check of the workloads' segments asks of the plan's budget with `entry` as
    /// the segment of `name`: each segment's checks count what came before it.
    fn peak_with(&self, name: &str, entry: &Entry) -> usize {
        let mut before = self.base_charged;
        let mut peak = 0;
        for (n, e) in &self.segments {
            let e = if n == name { entry } else { e };
            peak = peak.max(before.saturating_add(e.peak));
            before = before.saturating_add(e.charged);
        }
        peak
    }
}

impl Replacement {
    /// The bytes the new segment charges.
    pub fn charged(&self) -> usize {
        self.entry.charged
    }
}

/// An object back from the compact JSON a plan holds (which always parses).
fn decoded(text: &[u8]) -> Value {
    serde_json::from_slice(text).unwrap_or(Value::Null)
}

fn entry(segment: &Segment) -> Entry {
    Entry {
        len: segment.objects.len(),
        charged: segment.charged,
        peak: segment.peak,
        ids: segment.objects.iter().map(id).collect(),
    }
}
