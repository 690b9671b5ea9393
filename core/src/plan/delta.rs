//! Adding, removing and replacing workloads without planning the others again: the seam of
//! [`crate::session`] for edits that change the graph.
//!
//! [`Engine::regrow`] edits a copy of the plan's graph in place, adding and removing the
//! edited workload's nodes ([`crate::graph::edit`]); when that cannot be done for certain it
//! builds the graph of the new workloads and compares it with the plan's ([`diff`]). When the
//! nodes both graphs have keep their edges and their order, it recomputes what the edit
//! touches: it provisions the resources the new graph
//! adds and the ones whose node changed (a shared resource a workload joins or leaves), the
//! latter only to check that they come out exactly as before; it registers the secrets of
//! every resource again in the new graph's order and builds the new plan's secret check;
//! it puts the new resources' manifests out through the output step; and it plans the
//! segments of the workloads added or replaced and of the workloads they link to. Whatever it
//! cannot settle for certain gives `None`: the session then plans in full.

mod diff;
mod steps;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use super::ledger::Spent;
use super::segment::{Kept, Segment};
use super::{Engine, Plan, PlanOptions, compact};
use crate::ResourceKey;
use crate::graph::edit::Change;
use crate::graph::{Node, ResourceGraph};
use crate::resolve::{ResourceState, WorkloadInput};
use crate::secrets::{SecretGuard, SecretRegistry};
use crate::sensitive::Sensitive;

/// What an edit of the workloads makes of a plan, not yet put in place.
pub(crate) struct Regrown {
    /// The new workloads, in the session's order.
    pub workloads: Vec<Arc<WorkloadInput>>,
    /// The new graph.
    pub graph: ResourceGraph,
    /// The new plan's secret check and the registry it is made from.
    pub guard: Arc<SecretGuard>,
    registry: Arc<SecretRegistry>,
    /// The resources in the new graph's order, each with what it cost the plan.
    pub order: Vec<(Placed, Spent)>,
    /// The objects of the resources the edit brings.
    pub brought: HashMap<ResourceKey, Vec<Value>>,
    /// The resources the edit takes away.
    pub removed: Vec<ResourceKey>,
    /// The workloads whose segment is new (added, replaced, or linked to one of those).
    pub segments: Vec<(String, Segment)>,
    /// The most any check of the new resources asked beyond what was produced before it.
    pub asked: usize,
    /// The resources' states as they were before, to put back if the edit is not made.
    undo: Vec<(ResourceKey, Option<ResourceState>)>,
    /// Whether the graph was edited in place (not built and compared).
    pub in_place: bool,
    /// Whether no resource of the new graph can depend on the workloads that do not request
    /// it ([`Engine::blind_to_workloads`]).
    pub blind: bool,
    /// The new check as the session's book made it (to record there), if it did.
    book: Option<crate::secrets::book::Edited>,
}

/// A resource of a regrown plan: one of the plan it is made from, at its place in that
/// plan's order, or one the edit brings.
pub(crate) enum Placed {
    Kept(usize),
    Brought(ResourceKey),
}

/// A copy of a plan's graph that a session edits in place to make its next plan's, with
/// whether no resource of it can depend on the workloads that do not request it.
pub(crate) struct SpareGraph {
    pub graph: ResourceGraph,
    pub blind: bool,
}

impl Engine {
    /// A spare copy of `graph`.
    pub(crate) fn spare_graph(&self, graph: &ResourceGraph) -> SpareGraph {
        SpareGraph {
            blind: self.blind_to_workloads(graph),
            graph: graph.clone(),
        }
    }

    /// Makes `graph` (in `context`) the graph of its workloads with the workload `name`
    /// replaced by `new` (or removed): see [`ResourceGraph::edit_workload`].
    pub(crate) fn edit_graph(
        &self,
        graph: &mut ResourceGraph,
        context: &crate::platform::Context,
        name: &str,
        new: Option<&crate::spec::score::Workload>,
    ) -> Option<Change> {
        let matcher = self.matcher(context);
        let specs: Vec<&crate::spec::score::Workload> = new.into_iter().collect();
        let input = crate::graph::GraphInput {
            workloads: &specs,
            context,
            definitions: self.platform.definitions(),
            matcher: &matcher,
        };
        graph.edit_workload(name, &input)
    }
}

/// The graph after an edit and how it differs from the plan's.
struct Grown {
    graph: ResourceGraph,
    diff: Change,
    in_place: bool,
    blind: bool,
}

impl Regrown {
    /// Whether the new plan's secret check was made from the session's book (not built in
    /// full).
    pub fn booked(&self) -> bool {
        self.book.is_some()
    }

    /// Puts the kept resources back as they were (the edit is not made) and gives the
    /// workloads back.
    pub fn undo(mut self, kept: &mut Kept) -> Vec<Arc<WorkloadInput>> {
        self.undo_states(kept);
        self.workloads
    }

    fn undo_states(&mut self, kept: &mut Kept) {
        for (key, state) in self.undo.drain(..).rev() {
            kept.resources.swap(&key, state);
        }
    }
}

impl Engine {
    /// The plan of `workloads` made from `plan` (made by this engine with `options`, its
    /// resources in `kept`) by recomputing what changes, when the workloads named in `edited`
    /// (added, removed or replaced) are the only ones that differ: `Err` with the workloads
    /// when that cannot be done for certain (the caller then plans in full). `spare`, a copy
    /// of the plan's graph, is edited in place to become the new graph when it can be.
    /// `kept` holds the new resources' states after an `Ok`, until [`Regrown::undo`].
    pub(crate) fn regrow(
        &self,
        plan: &Plan,
        kept: &mut Kept,
        workloads: Vec<Arc<WorkloadInput>>,
        edited: &BTreeSet<String>,
        options: &PlanOptions,
        spare: Option<SpareGraph>,
    ) -> Result<Regrown, Vec<Arc<WorkloadInput>>> {
        let Ok(env_type) = self.environment_type(&plan.context) else {
            return Err(workloads);
        };
        // The environment objects of a type with network policies are made of the workloads.
        if env_type.is_some_and(|t| t.network_policy) {
            return Err(workloads);
        }
        let Some(grown) = self.grown_graph(plan, &workloads, edited, spare) else {
            return Err(workloads);
        };
        let mut regrown = Regrown {
            workloads,
            graph: grown.graph,
            guard: Arc::clone(&plan.secrets),
            registry: Arc::default(),
            order: Vec::new(),
            brought: HashMap::new(),
            removed: grown.diff.removed.clone(),
            segments: Vec::new(),
            asked: 0,
            undo: Vec::new(),
            in_place: grown.in_place,
            blind: grown.blind,
            book: None,
        };
        match self.regrow_into(plan, kept, &grown.diff, edited, &mut regrown, options) {
            Some(()) => Ok(regrown),
            None => Err(regrown.undo(kept)),
        }
    }

    /// The graph of `workloads` and how it differs from `plan`'s: `spare` edited in place
    /// when one workload is edited and that can be done, else built in full and compared;
    /// `None` when the difference cannot be settled, or a resource of the new graph may read
    /// the workloads that do not request it.
    fn grown_graph(
        &self,
        plan: &Plan,
        workloads: &[Arc<WorkloadInput>],
        edited: &BTreeSet<String>,
        spare: Option<SpareGraph>,
    ) -> Option<Grown> {
        let single = (edited.len() == 1).then(|| edited.first()).flatten();
        if let (Some(mut spare), Some(name)) = (spare, single) {
            let new = workloads
                .iter()
                .find(|w| w.workload.metadata.name == *name)
                .map(|w| &w.workload);
            if let Some(diff) = self.edit_graph(&mut spare.graph, &plan.context, name, new) {
                let definitions = self.platform.definitions();
                let blind = spare.blind
                    && diff.added.iter().all(|key| {
                        spare.graph.resource(key).is_some_and(|r| {
                            definitions
                                .get(r.definition)
                                .is_some_and(|d| self.reads_one_workload(d))
                        })
                    });
                return blind.then_some(Grown {
                    graph: spare.graph,
                    diff,
                    in_place: true,
                    blind,
                });
            }
        }
        let specs: Vec<&crate::spec::score::Workload> =
            workloads.iter().map(|w| &w.workload).collect();
        let graph = self.graph(&specs, &plan.context).ok()?;
        drop(specs);
        if !self.blind_to_workloads(&graph) {
            return None;
        }
        let diff = diff::of(&plan.graph, &graph, edited)?;
        Some(Grown {
            graph,
            diff,
            in_place: false,
            blind: true,
        })
    }

    /// Whether no resource of `graph` can depend on the workloads that do not request it:
    /// the driver of each one's definition is a built-in one that reads one workload at most
    /// (`static`; `workload-link`, which reads the workload it links to; `template` whose
    /// templates name `workloads` only as `workloads[source]`, the requesting workload, and
    /// never set `source`), or the definition does nothing.
    fn blind_to_workloads(&self, graph: &ResourceGraph) -> bool {
        let definitions = self.platform.definitions();
        let mut used = vec![false; definitions.len()];
        for node in graph.ordered() {
            if let Node::Resource(r) = node
                && let Some(u) = used.get_mut(r.definition)
            {
                *u = true;
            }
        }
        definitions
            .iter()
            .zip(used)
            .filter(|(_, used)| *used)
            .all(|(definition, _)| self.reads_one_workload(definition))
    }

    /// See [`Engine::blind_to_workloads`].
    fn reads_one_workload(&self, definition: &crate::platform::Definition) -> bool {
        use crate::spec::platform::{STATIC_DRIVER, TEMPLATE_DRIVER};
        let driver = definition.spec.driver.as_str();
        if crate::patches::does_nothing(definition) {
            return true;
        }
        if !self.drivers.is_builtin(driver) {
            return false;
        }
        match driver {
            STATIC_DRIVER | crate::drivers::WORKLOAD_LINK_DRIVER => true,
            TEMPLATE_DRIVER => definition.spec.templates.as_ref().is_none_or(|t| {
                [&t.outputs, &t.secrets, &t.manifests]
                    .into_iter()
                    .flatten()
                    .all(|text| reads_source_alone(text))
            }),
            _ => false,
        }
    }

    /// The plan `regrown` makes of `plan`, its manifests `texts` (in the new plan's order),
    /// and `kept` brought up to date (`produced` and `asked` are the caller's); with what the
    /// caller may let go elsewhere (the old order of the resources).
    pub(crate) fn regrown_plan(
        &self,
        plan: &Plan,
        kept: &mut Kept,
        regrown: Regrown,
        texts: Vec<Arc<[u8]>>,
    ) -> (Plan, Vec<Option<ResourceKey>>) {
        let old = plan.resources.shared();
        let resources = regrown
            .order
            .iter()
            .map(|(placed, _)| match placed {
                Placed::Kept(j) => old.get(*j).map(Arc::clone),
                Placed::Brought(_) => None,
            })
            .zip(&regrown.order)
            .map(|(kept_one, (placed, _))| match (kept_one, placed) {
                (Some(r), _) => r,
                (None, Placed::Brought(key)) => {
                    Arc::new(self.planned_resource(&regrown.graph, &kept.resources, key))
                }
                (None, Placed::Kept(j)) => {
                    let key = &kept.resources.order[*j];
                    Arc::new(self.planned_resource(&regrown.graph, &kept.resources, key))
                }
            })
            .collect();
        // The new order moves the kept keys out of the old one (`positions` gives each place
        // once).
        let mut old_keys: Vec<Option<ResourceKey>> = std::mem::take(&mut kept.resources.order)
            .into_iter()
            .map(Some)
            .collect();
        let (order, spent): (Vec<ResourceKey>, Vec<Spent>) = regrown
            .order
            .into_iter()
            .filter_map(|(placed, spent)| {
                let key = match placed {
                    Placed::Kept(j) => old_keys.get_mut(j)?.take()?,
                    Placed::Brought(key) => key,
                };
                Some((key, spent))
            })
            .unzip();
        kept.resources.order = order;
        kept.resources.spent = spent;
        let old_order = old_keys;
        match (regrown.book, kept.book.as_mut()) {
            (Some(edited), Some(book)) => book.record(edited),
            // The check was built from the registry made again: it is the one to keep.
            _ => {
                kept.book = None;
                kept.seen = None;
                kept.resources.set_registry(regrown.registry);
            }
        }
        if let Some(seen) = kept.seen.as_mut() {
            let brought = regrown.brought.values().flatten();
            let segments = regrown.segments.iter().flat_map(|(_, s)| &s.objects);
            for object in brought.chain(segments) {
                seen.add_object(&compact::encode(object));
            }
            for key in regrown.brought.keys() {
                if let Some(state) = kept.resources.get(key) {
                    seen.add(&serde_json::to_vec(&state.outputs).unwrap_or_default());
                }
            }
        }
        let plan = Plan {
            platform: Arc::clone(&plan.platform),
            context: plan.context.clone(),
            namespace: plan.namespace.clone(),
            graph: Arc::new(regrown.graph),
            resources: Arc::new(super::workloads::Shared::from_shared(resources)),
            manifests: compact::Manifests::from_shared(texts),
            warnings: plan.warnings.clone(),
            workloads: Arc::new(super::workloads::Workloads::from_shared(regrown.workloads)),
            violations: Vec::new(),
            secrets: regrown.guard,
        };
        (plan, old_order)
    }
}

impl Engine {
    /// The book of `plan`'s secret check (its resources in `kept`, their registry up to
    /// date) and what its objects and resource outputs may hold: what a session keeps to
    /// make the checks of the plans it makes from `plan`.
    pub(crate) fn secret_book(
        &self,
        plan: &Plan,
        kept: &Kept,
    ) -> (crate::secrets::book::Book, crate::secrets::seen::Seen) {
        let texts = super::assemble::public_texts(
            &plan.context,
            &plan.graph,
            &self.platform,
            plan.shared_workloads().iter().map(|w| &**w),
        );
        let book = crate::secrets::book::Book::new(
            kept.resources.registry().registrations(),
            texts.iter().map(String::as_str),
        );
        let mut seen = crate::secrets::seen::Seen::default();
        for text in plan.manifests.shared() {
            seen.add_object(text);
        }
        for key in &kept.resources.order {
            if let Some(state) = kept.resources.get(key) {
                seen.add(&serde_json::to_vec(&state.outputs).unwrap_or_default());
            }
        }
        (book, seen)
    }
}

impl Plan {
    /// The plan's graph, shared.
    pub(crate) fn shared_graph(&self) -> Arc<ResourceGraph> {
        Arc::clone(&self.graph)
    }

    /// The plan's graph, when nothing else holds it (the rest of the plan is let go).
    pub(crate) fn into_graph(self) -> Option<ResourceGraph> {
        Arc::try_unwrap(self.graph).ok()
    }

    /// The manifests as the plan holds them (compact JSON), to share with a plan made from it.
    pub(crate) fn manifest_texts(&self) -> &[Arc<[u8]>] {
        self.manifests.shared()
    }
}

/// The compact JSON of `object`, as a plan holds it.
pub(crate) fn encoded(object: &Value) -> Arc<[u8]> {
    compact::encode(object)
}

/// Where the objects of each resource of `kept` (in its order) are in the plan's manifests;
/// `None` when the ledger does not have one entry per resource (an internal error: the caller
/// plans in full).
pub(crate) fn ledger(kept: &Kept) -> Option<Vec<Range<usize>>> {
    let resources = &kept.resources;
    if resources.order.len() != resources.spent.len() {
        return None;
    }
    let mut at = resources.environment.objects;
    let ranges = resources
        .spent
        .iter()
        .map(|spent| {
            let range = at..at + spent.objects;
            at = range.end;
            range
        })
        .collect();
    Some(ranges)
}

/// For each key of `new` (in order), where it is in `old`, or `None` for the keys `fresh`
/// says are new: `old` walked along `new`, skipping `removed` (the kept resources keep their
/// order), through a map where the orders differ; `None` when a key that is not new is not
/// in `old`.
pub(crate) fn positions(
    old: &[ResourceKey],
    new: &[&ResourceKey],
    fresh: &dyn Fn(&ResourceKey) -> bool,
    removed: &[ResourceKey],
) -> Option<Vec<Option<usize>>> {
    let mut at = Vec::with_capacity(new.len());
    let mut j = 0;
    for &key in new {
        if fresh(key) {
            at.push(None);
            continue;
        }
        // Skips the removed keys (compared with the few removed only where the key is not
        // the one expected).
        while j < old.len() && old[j] != *key && removed.contains(&old[j]) {
            j += 1;
        }
        if old.get(j) != Some(key) {
            return positions_by_map(old, new, fresh);
        }
        at.push(Some(j));
        j += 1;
    }
    Some(at)
}

/// [`positions`] through a map of `old`; `None` also when two keys would take one place.
fn positions_by_map(
    old: &[ResourceKey],
    new: &[&ResourceKey],
    fresh: &dyn Fn(&ResourceKey) -> bool,
) -> Option<Vec<Option<usize>>> {
    let map: HashMap<&ResourceKey, usize> = old.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut taken = std::collections::HashSet::new();
    new.iter()
        .map(|&k| {
            if fresh(k) {
                return Some(None);
            }
            let i = *map.get(k)?;
            taken.insert(i).then_some(Some(i))
        })
        .collect()
}

/// The values each resource registered, in order.
fn by_owner(registry: &SecretRegistry) -> HashMap<ResourceKey, Vec<Sensitive<String>>> {
    let mut owners: HashMap<ResourceKey, Vec<Sensitive<String>>> = HashMap::new();
    for (key, value) in registry.registrations() {
        owners.entry(key).or_default().push(value);
    }
    owners
}

/// Whether a template reads the workloads only as `workloads[source]` and never sets
/// `source` (or takes it as an argument).
fn reads_source_alone(template: &str) -> bool {
    let rest = template.replace("workloads[source]", "");
    let sets = [
        "set source",
        "for source",
        ", source",
        "(source",
        "source =",
        "source=",
    ];
    !rest.contains("workloads") && !sets.iter().any(|s| rest.contains(s))
}

/// The resource keys of `graph`, in its order.
fn resource_keys(graph: &ResourceGraph) -> impl Iterator<Item = &ResourceKey> {
    graph.ordered().filter_map(|node| match node {
        Node::Resource(r) => Some(&r.key),
        Node::Workload(_) => None,
    })
}

/// Whether `guard` may find a secret in one of `texts` (compact JSON objects), looked at on
/// both cores.
fn may_be_in(guard: &SecretGuard, texts: &[Arc<[u8]>]) -> bool {
    let look = |texts: &[Arc<[u8]>]| {
        texts
            .iter()
            .any(|t| std::str::from_utf8(t).map_or(true, |t| guard.may_find_in_json(t)))
    };
    let (a, b) = texts.split_at(texts.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| look(b));
        let here = look(a);
        here || other.join().unwrap_or(true)
    })
}
