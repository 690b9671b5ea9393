//! Adding, removing and replacing workloads without planning the others again: the seam of
//! [`crate::session`] for edits that change the graph.
//!
//! [`Engine::regrow`] builds the graph of the new workloads (in full: it is cheap) and
//! compares it with the plan's. When the nodes both graphs have keep their edges and their
//! order, it recomputes what the edit touches: it provisions the resources the new graph
//! adds and the ones whose node changed (a shared resource a workload joins or leaves), the
//! latter only to check that they come out exactly as before; it registers the secrets of
//! every resource again in the new graph's order and builds the new plan's secret check;
//! it puts the new resources' manifests out through the output step; and it plans the
//! segments of the workloads added or replaced and of the workloads they link to. Whatever it
//! cannot settle for certain gives `None`: the session then plans in full.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use super::ledger::Spent;
use super::segment::{Kept, Segment, Within};
use super::{Engine, Plan, PlanOptions, PlannedResource, assemble, compact};
use crate::ResourceKey;
use crate::graph::{EdgeKind, Node, NodeName, ResourceGraph, ResourceNode};
use crate::resolve::{Meter, ResolveInput, ResourceState, WorkloadInput, provision_some};
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
    pub order: Vec<(ResourceKey, Spent)>,
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
}

impl Regrown {
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

/// How two graphs differ.
struct Diff {
    /// Resources only the new graph has.
    added: HashSet<ResourceKey>,
    /// Resources only the old graph has.
    removed: Vec<ResourceKey>,
    /// Resources both have, with another node.
    changed: HashSet<ResourceKey>,
    /// Workloads both have that an edited workload links to (their `linked_from` changes).
    relinked: BTreeSet<String>,
}

impl Engine {
    /// The plan of `workloads` made from `plan` (made by this engine with `options`, its
    /// resources in `kept`) by recomputing what changes, when the workloads named in `edited`
    /// (added, removed or replaced) are the only ones that differ: `None` when that cannot be
    /// done for certain (the workloads come back: the caller then plans in full). `kept` holds the new resources'
    /// states after a `Some`, until [`Regrown::undo`].
    pub(crate) fn regrow(
        &self,
        plan: &Plan,
        kept: &mut Kept,
        workloads: Vec<Arc<WorkloadInput>>,
        edited: &BTreeSet<String>,
        options: &PlanOptions,
    ) -> Result<Regrown, Vec<Arc<WorkloadInput>>> {
        let Ok(env_type) = self.environment_type(&plan.context) else {
            return Err(workloads);
        };
        // The environment objects of a type with network policies are made of the workloads.
        if env_type.is_some_and(|t| t.network_policy) {
            return Err(workloads);
        }
        let specs: Vec<&crate::spec::score::Workload> =
            workloads.iter().map(|w| &w.workload).collect();
        let graph = self.graph(&specs, &plan.context);
        drop(specs);
        let Ok(graph) = graph else {
            return Err(workloads);
        };
        if !self.blind_to_workloads(&graph) {
            return Err(workloads);
        }
        let Some(diff) = Diff::of(&plan.graph, &graph, edited) else {
            return Err(workloads);
        };
        let mut regrown = Regrown {
            workloads,
            graph,
            guard: Arc::clone(&plan.secrets),
            registry: Arc::default(),
            order: Vec::new(),
            brought: HashMap::new(),
            removed: diff.removed.clone(),
            segments: Vec::new(),
            asked: 0,
            undo: Vec::new(),
        };
        match self.regrow_into(plan, kept, &diff, &mut regrown, options) {
            Some(()) => Ok(regrown),
            None => Err(regrown.undo(kept)),
        }
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

    fn regrow_into(
        &self,
        plan: &Plan,
        kept: &mut Kept,
        diff: &Diff,
        regrown: &mut Regrown,
        options: &PlanOptions,
    ) -> Option<()> {
        let context = &plan.context;
        let env_type = self.environment_type(context).ok()?;
        let meter = Meter::for_workloads(self.limits.clone(), regrown.workloads.len());
        let workloads: Vec<&WorkloadInput> = regrown.workloads.iter().map(|w| &**w).collect();
        // The workloads are handed to each step that reads them (`workloads`), not as a list.
        let input = ResolveInput {
            meter: &meter,
            graph: &regrown.graph,
            platform: &self.platform,
            drivers: &self.drivers,
            seed: &self.seed,
            context,
            workloads: &[],
            image: options.image.as_deref(),
            effects: &self.effects,
        };
        for key in &diff.removed {
            let state = kept.resources.swap(key, None);
            regrown.undo.push((key.clone(), state));
        }
        // Provision what the edit brings, and again what it changed (to compare).
        let nodes: Vec<&ResourceNode> = regrown
            .graph
            .ordered()
            .filter_map(|node| match node {
                Node::Resource(r)
                    if diff.added.contains(&r.key) || diff.changed.contains(&r.key) =>
                {
                    Some(r)
                }
                _ => None,
            })
            .collect();
        let mut before = HashMap::new();
        for node in &nodes {
            let state = kept.resources.swap(&node.key, None);
            if let Some(state) = &state {
                before.insert(node.key.clone(), state.clone());
            }
            regrown.undo.push((node.key.clone(), state));
        }
        let fresh = Arc::new(SecretRegistry::default());
        let mut parts = Vec::new();
        let mut outputs_charged = HashMap::new();
        provision_some(
            &input,
            &workloads,
            &fresh,
            &mut kept.resources,
            &nodes,
            &mut |key, manifests, charged| {
                outputs_charged.insert(key.clone(), charged);
                parts.push((key.clone(), manifests));
                Ok(())
            },
        )
        .ok()?;
        for (key, old) in &before {
            if kept.resources.get(key) != Some(old) {
                return None;
            }
        }
        // The plan's secrets, registered again in the new graph's order.
        let old = by_owner(kept.resources.registry());
        let new = by_owner(&fresh);
        for key in &diff.changed {
            if old.get(key) != new.get(key) {
                return None;
            }
        }
        let registry = Arc::new(SecretRegistry::default());
        let order: Vec<ResourceKey> = resource_keys(&regrown.graph).cloned().collect();
        for key in &order {
            let values = if diff.added.contains(key) { &new } else { &old };
            for value in values.get(key).into_iter().flatten() {
                registry.register(key, value);
            }
        }
        let guard = Arc::new(
            registry
                .guard_with_public(&assemble::public_words_of(
                    &input,
                    workloads.iter().copied(),
                ))
                .ok()?,
        );
        let added: Vec<ResourceKey> = order
            .iter()
            .filter(|k| diff.added.contains(*k))
            .cloned()
            .collect();
        let kept_keys: Vec<ResourceKey> = order
            .iter()
            .filter(|k| !diff.added.contains(*k))
            .cloned()
            .collect();
        // What the new check finds that the old one did not may be in what the old one let
        // through: the kept resources' outputs and the plan's objects.
        let beyond = guard.beyond(&plan.secrets);
        if !beyond.is_empty() {
            assemble::check_outputs_of(&beyond, &kept.resources, &kept_keys).ok()?;
            if may_be_in(&beyond, plan.manifests.shared()) {
                return None;
            }
        }
        assemble::check_outputs_of(&guard, &kept.resources, &added).ok()?;
        // The new resources' manifests through the output step.
        let mut evaluator = crate::policy::Evaluator::new(&self.platform, context, &[]);
        let mut objects = Vec::new();
        let spent =
            assemble::stream_resources(&input, parts, &guard, env_type, options, &mut |object| {
                evaluator.object(&object);
                objects.push(object);
                Ok(())
            })
            .ok()?;
        if !evaluator.finish().is_empty() {
            return None;
        }
        let old_spent: HashMap<&ResourceKey, (Spent, Range<usize>)> = ledger(kept);
        let mut objects = objects.into_iter();
        let mut brought_spent = HashMap::new();
        for (node, mut spent) in nodes.iter().zip(spent) {
            let objects: Vec<Value> = objects.by_ref().take(spent.objects).collect();
            spent.charged += outputs_charged.get(&node.key).copied().unwrap_or_default();
            if !spent.none_dropped() {
                return None;
            }
            if diff.changed.contains(&node.key) {
                let (old, range) = old_spent.get(&node.key)?;
                let texts = &plan.manifests.shared()[range.clone()];
                let same = texts.len() == objects.len()
                    && texts
                        .iter()
                        .zip(&objects)
                        .all(|(t, o)| t.as_ref() == compact::encode(o).as_ref());
                if *old != spent || !same {
                    return None;
                }
            } else {
                brought_spent.insert(node.key.clone(), spent);
                regrown.brought.insert(node.key.clone(), objects);
            }
        }
        regrown.order = order
            .into_iter()
            .map(|key| {
                let spent = brought_spent
                    .get(&key)
                    .or_else(|| old_spent.get(&key).map(|(s, _)| s))
                    .copied();
                spent.map(|s| (key, s))
            })
            .collect::<Option<_>>()?;
        regrown.asked = meter.peak();
        // The segments of the workloads the edit touches.
        let within = Within {
            context,
            graph: &regrown.graph,
            guard: &guard,
            resources: &kept.resources,
        };
        for workload in &regrown.workloads {
            let name = &workload.workload.metadata.name;
            if diff.relinked.contains(name) {
                let segment = self.segment_within(&within, workload, options).ok()?;
                if !segment.violations.is_empty() {
                    return None;
                }
                regrown.segments.push((name.clone(), segment));
            }
        }
        regrown.guard = guard;
        regrown.registry = registry;
        Some(())
    }

    /// The plan `regrown` makes of `plan`, its manifests `texts` (in the new plan's order),
    /// and `kept` brought up to date (`produced` and `asked` are the caller's).
    pub(crate) fn regrown_plan(
        &self,
        plan: &Plan,
        kept: &mut Kept,
        regrown: Regrown,
        texts: Vec<Arc<[u8]>>,
    ) -> Plan {
        let old: HashMap<&str, &PlannedResource> =
            plan.resources.iter().map(|r| (r.key.as_str(), r)).collect();
        let resources = regrown
            .order
            .iter()
            .map(|(key, _)| {
                let text = key.to_string();
                match old.get(text.as_str()) {
                    Some(r) if !regrown.brought.contains_key(key) => (*r).clone(),
                    _ => self.planned_resource(&regrown.graph, &kept.resources, key),
                }
            })
            .collect();
        let (order, spent) = regrown.order.into_iter().unzip();
        kept.resources.order = order;
        kept.resources.spent = spent;
        kept.resources.set_registry(regrown.registry);
        Plan {
            platform: Arc::clone(&plan.platform),
            context: plan.context.clone(),
            namespace: plan.namespace.clone(),
            graph: Arc::new(regrown.graph),
            resources: Arc::new(resources),
            manifests: compact::Manifests::from_shared(texts),
            warnings: plan.warnings.clone(),
            workloads: Arc::new(super::workloads::Workloads::from_shared(regrown.workloads)),
            violations: Vec::new(),
            secrets: regrown.guard,
        }
    }
}

impl Plan {
    /// The manifests as the plan holds them (compact JSON), to share with a plan made from it.
    pub(crate) fn manifest_texts(&self) -> &[Arc<[u8]>] {
        self.manifests.shared()
    }
}

/// The compact JSON of `object`, as a plan holds it.
pub(crate) fn encoded(object: &Value) -> Arc<[u8]> {
    compact::encode(object)
}

/// Each resource of `kept` with what it cost and where its objects are in the plan.
pub(crate) fn ledger(kept: &Kept) -> HashMap<&ResourceKey, (Spent, Range<usize>)> {
    let resources = &kept.resources;
    let mut at = resources.environment.objects;
    resources
        .order
        .iter()
        .zip(&resources.spent)
        .map(|(key, spent)| {
            let range = at..at + spent.objects;
            at = range.end;
            (key, (*spent, range))
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

impl Diff {
    /// How `new` differs from `old` when only the workloads named in `edited` were edited;
    /// `None` when the nodes both have do not keep their edges and order, or when a node that
    /// was not edited gains or loses a dependency.
    fn of(old: &ResourceGraph, new: &ResourceGraph, edited: &BTreeSet<String>) -> Option<Self> {
        let in_old = |name: &NodeName| old.node(name).is_some();
        let in_new = |name: &NodeName| new.node(name).is_some();
        let mut diff = Self {
            added: HashSet::new(),
            removed: Vec::new(),
            changed: HashSet::new(),
            relinked: BTreeSet::new(),
        };
        let edited_workload =
            |name: &NodeName| matches!(name, NodeName::Workload(w) if edited.contains(w));
        for node in new.ordered() {
            let name = node.name();
            match (node, old.node(&name)) {
                (Node::Resource(r), None) => {
                    diff.added.insert(r.key.clone());
                }
                (Node::Resource(r), Some(Node::Resource(o))) if r != o => {
                    diff.changed.insert(r.key.clone());
                }
                (Node::Workload(_), None) if !edited_workload(&name) => return None,
                _ => {}
            }
        }
        for node in old.ordered() {
            let name = node.name();
            if in_new(&name) {
                continue;
            }
            match node {
                Node::Resource(r) => diff.removed.push(r.key.clone()),
                Node::Workload(_) if edited_workload(&name) => {}
                Node::Workload(_) => return None,
            }
        }
        // Both orders agree on the nodes both have.
        let kept_old = old.ordered().map(Node::name).filter(|n| in_new(n));
        let kept_new = new.ordered().map(Node::name).filter(|n| in_old(n));
        if !kept_old.eq(kept_new) {
            return None;
        }
        let old_edges = old.edges();
        let new_edges = new.edges();
        let between = |edges: &[(NodeName, NodeName, EdgeKind)]| -> Option<Vec<_>> {
            let mut kept = Vec::new();
            for edge in edges {
                let (from, to) = (&edge.0, &edge.1);
                let (from_kept, to_kept) = (in_old(from) && in_new(from), in_old(to) && in_new(to));
                if from_kept && to_kept {
                    kept.push(edge.clone());
                } else if from_kept && !edited_workload(from) {
                    // A node nobody edited needs a node the edit adds or removes.
                    return None;
                }
            }
            Some(kept)
        };
        if between(&old_edges)? != between(&new_edges)? {
            return None;
        }
        for (from, to, _) in old_edges.iter().chain(&new_edges) {
            if let (NodeName::Workload(from), NodeName::Workload(to)) = (from, to)
                && edited.contains(from)
            {
                diff.relinked.insert(to.clone());
            }
        }
        diff.relinked.extend(edited.iter().cloned());
        Some(diff)
    }
}
