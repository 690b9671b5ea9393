//! Where each workload's segment sits in a session's plan, and what it asked of the plan's
//! budget: built once from a full plan (and checked against it), kept up to date as segments
//! are replaced.

use std::collections::{BTreeMap, HashMap};
use std::ops::{Bound, Range};

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
        let mut objects = Vec::new();
        for workload in by_name {
            let segment = engine.segment(plan, kept, workload, options).ok()?;
            if !segment.violations.is_empty() {
                return None;
            }
            let entry = entry(&segment);
            objects.extend(segment.objects);
            segments.insert(workload.workload.metadata.name.clone(), entry);
        }
        let manifests = plan.manifests();
        let base = manifests.len().checked_sub(objects.len())?;
        if manifests[base..] != objects[..] {
            return None;
        }
        let charged: usize = segments.values().map(|e| e.charged).sum();
        let mut index = Self {
            base,
            base_charged: kept.produced.checked_sub(charged)?,
            segments,
            owners: HashMap::new(),
        };
        for object in &manifests[..base] {
            index.owners.insert(id(object), None);
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

fn entry(segment: &Segment) -> Entry {
    Entry {
        len: segment.objects.len(),
        charged: segment.charged,
        peak: segment.peak,
        ids: segment.objects.iter().map(id).collect(),
    }
}
