//! The steps of [`Engine::regrow`] once the new graph and how it differs from the plan's are
//! known: each one a function, each giving `None` when the edit cannot be made for certain.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use super::{Placed, Regrown, by_owner, ledger, may_be_in, positions, resource_keys};
use crate::ResourceKey;
use crate::graph::ResourceNode;
use crate::graph::edit::Change;
use crate::plan::ledger::Spent;
use crate::plan::segment::{Kept, Segment, Within};
use crate::plan::{Engine, Plan, PlanOptions, assemble, compact};
use crate::resolve::{Meter, ResolveInput, ResourceState, WorkloadInput, provision_some};
use crate::secrets::book::Changes;
use crate::secrets::{SecretGuard, SecretRegistry};
use crate::sensitive::Sensitive;
use crate::spec::platform::EnvironmentTypeSpec;

/// What every step reads.
struct Step<'a> {
    engine: &'a Engine,
    plan: &'a Plan,
    diff: &'a Change,
    /// The workloads edited (added, removed or replaced), by name.
    edited: &'a BTreeSet<String>,
    input: ResolveInput<'a>,
    /// The new workloads (handed to each step that reads them, not as `input.workloads`).
    workloads: Vec<&'a WorkloadInput>,
    env_type: Option<&'a EnvironmentTypeSpec>,
    options: &'a PlanOptions,
}

/// The resources the edit brings or changes, provisioned.
struct Provisioned<'a> {
    /// Their nodes, in the new graph's order.
    nodes: Vec<&'a ResourceNode>,
    /// Each one's key and manifests, in the same order.
    parts: Vec<(ResourceKey, Vec<Value>)>,
    /// What each one's outputs charged.
    outputs_charged: HashMap<ResourceKey, usize>,
    /// The secrets they registered.
    registry: Arc<SecretRegistry>,
}

/// The states of the resources as they were, to put back when the edit is not made.
pub(super) type Undo = Vec<(ResourceKey, Option<ResourceState>)>;

impl Engine {
    /// Recomputes what `diff` touches into `regrown` (its graph and workloads set), the
    /// states replaced in `kept` recorded in `undo`; `None` when that cannot be done for
    /// certain.
    pub(super) fn regrow_into(
        &self,
        plan: &Plan,
        kept: &mut Kept,
        diff: &Change,
        edited: &BTreeSet<String>,
        regrown: &mut Regrown,
        options: &PlanOptions,
    ) -> Option<()> {
        let meter = Meter::for_workloads(self.limits.clone(), regrown.workloads.len());
        let step = Step {
            engine: self,
            plan,
            diff,
            edited,
            input: ResolveInput {
                meter: &meter,
                graph: &regrown.graph,
                platform: &self.platform,
                drivers: &self.drivers,
                seed: &self.seed,
                context: &plan.context,
                workloads: &[],
                image: options.image.as_deref(),
                effects: &self.effects,
            },
            workloads: regrown.workloads.iter().map(|w| &**w).collect(),
            env_type: self.environment_type(&plan.context).ok()?,
            options,
        };
        let undo = &mut regrown.undo;
        take_removed(kept, diff, undo);
        let provisioned = step.provision(kept, undo)?;
        // The new order's keys are borrowed from the graph; copied only where the check is
        // built in full.
        let order: Vec<&ResourceKey> = resource_keys(step.input.graph).collect();
        let guard = match step.booked_guard(kept, &provisioned.registry) {
            Some(edited) => {
                let guard = Arc::clone(&edited.guard);
                regrown.book = Some(edited);
                guard
            }
            None => {
                let order: Vec<ResourceKey> = order.iter().copied().cloned().collect();
                regrown.registry = step.register_again(kept, &provisioned.registry, &order)?;
                step.checked_guard(kept, &regrown.registry, &order)?
            }
        };
        let (objects, spent) = step.emit(&guard, provisioned.parts)?;
        let fresh = |key: &ResourceKey| diff.added.contains(key);
        let old_at = positions(&kept.resources.order, &order, &fresh, &diff.removed)?;
        let (accounts, brought) = step.account(
            kept,
            &provisioned.nodes,
            (objects, spent),
            &provisioned.outputs_charged,
            &order,
            &old_at,
        )?;
        let segments = step.segments(kept, &guard)?;
        regrown.order = accounts;
        regrown.brought = brought;
        regrown.segments = segments;
        regrown.asked = meter.peak();
        regrown.guard = guard;
        Some(())
    }
}

/// Takes the states of the resources the edit removes out of `kept`.
fn take_removed(kept: &mut Kept, diff: &Change, undo: &mut Undo) {
    for key in &diff.removed {
        let state = kept.resources.swap(key, None);
        undo.push((key.clone(), state));
    }
}

impl<'a> Step<'a> {
    /// Provisions what the edit brings, and again what it changed: those must come out as
    /// they were.
    fn provision(&self, kept: &mut Kept, undo: &mut Undo) -> Option<Provisioned<'a>> {
        let diff = self.diff;
        let touched = diff.added.iter().chain(&diff.changed);
        let nodes = crate::graph::edit::ordered_among(self.input.graph, touched);
        let mut before = HashMap::new();
        for node in &nodes {
            let state = kept.resources.swap(&node.key, None);
            if let Some(state) = &state {
                before.insert(node.key.clone(), state.clone());
            }
            undo.push((node.key.clone(), state));
        }
        let registry = Arc::new(SecretRegistry::default());
        let mut parts = Vec::new();
        let mut outputs_charged = HashMap::new();
        // The drivers of a plan that is regrown read no workload but those their resources
        // name (`Engine::blind_to_workloads`): only those are handed to them.
        let named: HashSet<&str> = nodes.iter().flat_map(|n| named_workloads(n)).collect();
        let workloads: Vec<&WorkloadInput> = self
            .workloads
            .iter()
            .copied()
            .filter(|w| named.contains(w.workload.metadata.name.as_str()))
            .collect();
        provision_some(
            &self.input,
            &workloads,
            &registry,
            &mut kept.resources,
            &nodes,
            &mut |key, manifests, charged| {
                outputs_charged.insert(key.clone(), charged);
                parts.push((key.clone(), manifests));
                Ok(())
            },
        )
        .ok()?;
        let same = before
            .iter()
            .all(|(key, old)| kept.resources.get(key) == Some(old));
        same.then_some(Provisioned {
            nodes,
            parts,
            outputs_charged,
            registry,
        })
    }

    /// The new plan's secret check made from the session's book ([`crate::secrets::book`])
    /// and checked against what the old one let through (the runs it looks for beyond the
    /// old one looked for in what the kept objects and outputs may hold, and where they may
    /// be, in them) and the added resources' outputs; `None` when there is no book or it
    /// cannot make the check for certain (the caller builds it in full).
    fn booked_guard(
        &self,
        kept: &Kept,
        fresh: &SecretRegistry,
    ) -> Option<crate::secrets::book::Edited> {
        let (book, seen) = (kept.book.as_ref()?, kept.seen.as_ref()?);
        let diff = self.diff;
        let mut added = Vec::new();
        let mut changed: HashMap<ResourceKey, Vec<Sensitive<String>>> = HashMap::new();
        for (key, value) in fresh.registrations() {
            if diff.added.contains(&key) {
                added.push((key, value));
            } else {
                changed.entry(key).or_default().push(value);
            }
        }
        let registered_again = diff
            .changed
            .iter()
            .all(|key| book.registered_by(key) == changed.get(key).map_or(&[][..], Vec::as_slice));
        if !registered_again {
            return None;
        }
        let changes = self.public_changes(Changes {
            added,
            removed: diff.removed.clone(),
            ..Changes::default()
        });
        let edited = book.edit(&self.plan.secrets, changes)?;
        if edited.beyond.may_be_seen(seen) {
            let kept_keys: Vec<ResourceKey> = resource_keys(self.input.graph)
                .filter(|k| !diff.added.contains(*k))
                .cloned()
                .collect();
            assemble::check_outputs_of(&edited.beyond, &kept.resources, &kept_keys).ok()?;
            if may_be_in(&edited.beyond, self.plan.manifests.shared()) {
                return None;
            }
        }
        let added_keys: Vec<ResourceKey> = diff.added.iter().cloned().collect();
        assemble::check_outputs_of(&edited.guard, &kept.resources, &added_keys).ok()?;
        Some(edited)
    }

    /// `changes` with the public names the edit adds and removes: the names of the nodes
    /// added and removed, and the names of the edited workloads' resources, containers,
    /// variables and files.
    fn public_changes(&self, mut changes: Changes) -> Changes {
        let diff = self.diff;
        changes
            .public_added
            .extend(diff.added.iter().map(ToString::to_string));
        changes
            .public_removed
            .extend(diff.removed.iter().map(ToString::to_string));
        for name in self.edited {
            let named = |w: &&WorkloadInput| w.workload.metadata.name == *name;
            let old = self
                .plan
                .shared_workloads()
                .iter()
                .map(|w| &**w)
                .find(named);
            let new = self.workloads.iter().copied().find(named);
            match (old.is_some(), new.is_some()) {
                (false, true) => changes.public_added.push(name.clone()),
                (true, false) => changes.public_removed.push(name.clone()),
                _ => {}
            }
            changes
                .public_removed
                .extend(old.into_iter().flat_map(assemble::workload_public_texts));
            changes
                .public_added
                .extend(new.into_iter().flat_map(assemble::workload_public_texts));
        }
        changes
    }

    /// The plan's secrets registered again in the new graph's `order`: the kept resources'
    /// as they were, the added ones' from `fresh`; `None` when a changed resource registered
    /// other secrets.
    fn register_again(
        &self,
        kept: &Kept,
        fresh: &SecretRegistry,
        order: &[ResourceKey],
    ) -> Option<Arc<SecretRegistry>> {
        // While the session keeps a book, it says what each resource registered.
        let old = match &kept.book {
            Some(book) => resource_keys(self.input.graph)
                .chain(&self.diff.removed)
                .map(|key| (key.clone(), book.registered_by(key).to_vec()))
                .collect(),
            None => by_owner(kept.resources.registry()),
        };
        let new = by_owner(fresh);
        if self
            .diff
            .changed
            .iter()
            .any(|key| old.get(key) != new.get(key))
        {
            return None;
        }
        let registry = Arc::new(SecretRegistry::default());
        for key in order {
            let values = if self.diff.added.contains(key) {
                &new
            } else {
                &old
            };
            for value in values.get(key).into_iter().flatten() {
                registry.register(key, value);
            }
        }
        Some(registry)
    }

    /// The new plan's secret check, built as a full plan builds it, and checked against what
    /// the old one let through: the kept resources' outputs and the plan's objects (a
    /// possible find is `None`), and the added resources' outputs.
    fn checked_guard(
        &self,
        kept: &Kept,
        registry: &SecretRegistry,
        order: &[ResourceKey],
    ) -> Option<Arc<SecretGuard>> {
        let public = assemble::public_words_of(&self.input, self.workloads.iter().copied());
        let guard = Arc::new(registry.guard_with_public(&public).ok()?);
        let (added, kept_keys): (Vec<ResourceKey>, Vec<ResourceKey>) = order
            .iter()
            .cloned()
            .partition(|k| self.diff.added.contains(k));
        let beyond = guard.beyond(&self.plan.secrets);
        if !beyond.is_empty() {
            assemble::check_outputs_of(&beyond, &kept.resources, &kept_keys).ok()?;
            if may_be_in(&beyond, self.plan.manifests.shared()) {
                return None;
            }
        }
        assemble::check_outputs_of(&guard, &kept.resources, &added).ok()?;
        Some(guard)
    }

    /// The manifests of the resources provisioned, through the output step and the policy
    /// evaluator: the objects put out and what each resource's cost.
    fn emit(
        &self,
        guard: &SecretGuard,
        parts: Vec<(ResourceKey, Vec<Value>)>,
    ) -> Option<(Vec<Value>, Vec<Spent>)> {
        let platform = &self.engine.platform;
        let mut evaluator = crate::policy::Evaluator::new(platform, &self.plan.context, &[]);
        let mut objects = Vec::new();
        let spent = assemble::stream_resources(
            &self.input,
            parts,
            guard,
            self.env_type,
            self.options,
            &mut |object| {
                evaluator.object(&object);
                objects.push(object);
                Ok(())
            },
        )
        .ok()?;
        evaluator.finish().is_empty().then_some((objects, spent))
    }

    /// What each resource of the new graph's `order` (each where `old_at` says in the
    /// plan's) costs the plan, and the objects of the ones the edit brings, from the `put`
    /// objects and costs of the `nodes` provisioned; `None` when a changed resource's objects
    /// or costs differ from what they were, or the output step dropped one of the new objects.
    #[allow(clippy::type_complexity)]
    fn account(
        &self,
        kept: &Kept,
        nodes: &[&ResourceNode],
        put: (Vec<Value>, Vec<Spent>),
        outputs_charged: &HashMap<ResourceKey, usize>,
        order: &[&ResourceKey],
        old_at: &[Option<usize>],
    ) -> Option<(Vec<(Placed, Spent)>, HashMap<ResourceKey, Vec<Value>>)> {
        let (objects, spent) = put;
        let ranges = ledger(kept)?;
        let resources = &kept.resources;
        if nodes.len() != spent.len() {
            return None;
        }
        let mut objects = objects.into_iter();
        let mut brought_spent = HashMap::new();
        let mut brought = HashMap::new();
        for (node, mut spent) in nodes.iter().zip(spent) {
            let objects: Vec<Value> = objects.by_ref().take(spent.objects).collect();
            spent.charged += outputs_charged.get(&node.key).copied().unwrap_or_default();
            if !spent.none_dropped() {
                return None;
            }
            if self.diff.changed.contains(&node.key) {
                let j = resources.order.iter().position(|k| *k == node.key)?;
                let texts = self.plan.manifests.shared().get(ranges.get(j)?.clone())?;
                let same = texts.len() == objects.len()
                    && texts
                        .iter()
                        .zip(&objects)
                        .all(|(t, o)| t.as_ref() == compact::encode(o).as_ref());
                if *resources.spent.get(j)? != spent || !same {
                    return None;
                }
            } else {
                brought_spent.insert(node.key.clone(), spent);
                brought.insert(node.key.clone(), objects);
            }
        }
        let accounts = order
            .iter()
            .zip(old_at)
            .map(|(&key, at)| match at {
                Some(j) => Some((Placed::Kept(*j), *resources.spent.get(*j)?)),
                None => Some((Placed::Brought(key.clone()), *brought_spent.get(key)?)),
            })
            .collect::<Option<_>>()?;
        Some((accounts, brought))
    }

    /// The segments of the workloads the edit touches (edited, or linked to by one edited),
    /// planned against the new graph, check and resources.
    fn segments(&self, kept: &Kept, guard: &SecretGuard) -> Option<Vec<(String, Segment)>> {
        let within = Within {
            context: &self.plan.context,
            graph: self.input.graph,
            guard,
            resources: &kept.resources,
        };
        let mut segments = Vec::new();
        for workload in &self.workloads {
            let name = &workload.workload.metadata.name;
            if self.diff.relinked.contains(name) {
                let segment = self
                    .engine
                    .segment_within(&within, workload, self.options)
                    .ok()?;
                if !segment.violations.is_empty() {
                    return None;
                }
                segments.push((name.clone(), segment));
            }
        }
        Some(segments)
    }
}

/// The workloads a driver of a resource that reads no workload but those it names may read:
/// the ones requesting it, the one its params come from, the one its id names (a `workload`
/// resource's, a `service` link's target by default) and the ones its params name (a link's
/// `workload`).
fn named_workloads(node: &ResourceNode) -> impl Iterator<Item = &str> {
    let requesters = node.requested_by.iter().map(|(w, _)| w.as_str());
    let origin = match &node.params_origin {
        crate::graph::ParamsOrigin::Workload(w) => Some(w.as_str()),
        _ => None,
    };
    let id = node.key.id();
    let last = id.and_then(|id| id.rsplit('.').next());
    let params = node.params.values().filter_map(Value::as_str);
    requesters.chain(origin).chain(id).chain(last).chain(params)
}
