//! Adding, removing and replacing one workload in a built graph, in place: what
//! [`build`](super::build) would make of the workloads after the edit, found without building
//! the graph of every workload again (the seam of [`crate::plan::delta`]).
//!
//! The workload's old part is taken out: its node (unless it stays, replaced) and the resources
//! that nothing left requests or references; the shared resources it leaves lose it from
//! `requested_by`. Its new part is built alone ([`build_part`]) and merged in: new nodes are
//! added, the shared resources it joins gain it. The order stays the greedy one of
//! [`super::order`] (among ready nodes the smallest name first) without ordering again: the
//! nodes that stay depend on none of the nodes added, so they keep their order, and each node
//! added goes before the first node of that order, once it is ready, whose name is larger.
//!
//! Whatever this cannot settle for certain gives `None` (the caller then builds the graph):
//! a graph or part with selectors, `matchDependents` or definitions that provision other
//! resources (what they add depends on the whole graph); a workload replaced that others link
//! to; a node that stays that would gain or lose a dependency; params of a shared resource that
//! the workload gave first or that differ; any error.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::expand::{GraphInput, build_part};
use super::{EdgeKind, Node, NodeName, ParamsOrigin, ResourceGraph, ResourceNode};
use crate::ResourceKey;

/// How an edit changed the graph's resources and links.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Change {
    /// Resources only the new graph has.
    pub added: HashSet<ResourceKey>,
    /// Resources only the old graph had, sorted by key.
    pub removed: Vec<ResourceKey>,
    /// Resources both have, with another node.
    pub changed: HashSet<ResourceKey>,
    /// The workload edited and the workloads it links to, before or after: their
    /// `linked_from` may change.
    pub relinked: BTreeSet<String>,
}

/// The nodes an edit touches, by name, as they were before it (`None`: not in the graph).
type Before = HashMap<NodeName, Option<Node>>;

impl ResourceGraph {
    /// Makes the graph the one [`build`](super::build) makes after the workload `name` is
    /// replaced by the one `input` holds (added when the graph has no workload `name`), or
    /// removed when `input` holds no workload. `None` when that cannot be done for certain:
    /// the graph is then in no known state (the caller drops it).
    pub(crate) fn edit_workload(&mut self, name: &str, input: &GraphInput<'_>) -> Option<Change> {
        if self.global {
            return None;
        }
        let mut before = Before::new();
        let mut relinked = BTreeSet::from([name.to_owned()]);
        let workload = NodeName::Workload(name.to_owned());
        if let Some(&at) = self.index.get(&workload) {
            relinked.extend(self.linked_workloads(at));
            self.take_out(at, input.workloads.is_empty(), &mut before)?;
        }
        if !input.workloads.is_empty() {
            let added = self.merge_part(name, input, &mut before)?;
            self.place(&added)?;
            if let Some(&at) = self.index.get(&workload) {
                relinked.extend(self.linked_workloads(at));
            }
        }
        Some(self.change(before, relinked))
    }

    /// The workloads the workload at `at` links to.
    fn linked_workloads(&self, at: NodeIndex) -> Vec<String> {
        self.graph
            .neighbors_directed(at, Direction::Outgoing)
            .filter_map(|n| match &self.graph[n] {
                Node::Workload(w) => Some(w.clone()),
                Node::Resource(_) => None,
            })
            .collect()
    }

    /// Takes the workload at `at` out: its node when `remove` (else only its edges, for a
    /// new part), and the resources nothing else keeps.
    fn take_out(&mut self, at: NodeIndex, remove: bool, before: &mut Before) -> Option<()> {
        // A workload others link to stays where it is only while its edges do: leave that
        // to a full build.
        if self
            .graph
            .neighbors_directed(at, Direction::Incoming)
            .next()
            .is_some()
        {
            return None;
        }
        let Node::Workload(name) = self.graph[at].clone() else {
            return None;
        };
        let reached = self.reached_from(at)?;
        let dead = self.dead(at, &reached)?;
        for &n in &reached {
            let node = &self.graph[n];
            before.insert(node.name(), Some(node.clone()));
            if dead.contains(&n) {
                continue;
            }
            let Node::Resource(r) = &mut self.graph[n] else {
                return None;
            };
            // The params of a shared resource come from the first workload that gives them.
            if r.params_origin == ParamsOrigin::Workload(name.clone()) {
                return None;
            }
            r.requested_by.retain(|(by, _)| *by != name);
        }
        let mut gone: Vec<NodeIndex> = dead.into_iter().collect();
        let workload = self.graph[at].name();
        if remove {
            gone.push(at);
            before.insert(workload, Some(self.graph[at].clone()));
        } else {
            let edges: Vec<EdgeIndex> = self
                .graph
                .edges_directed(at, Direction::Outgoing)
                .map(|e| e.id())
                .collect();
            self.remove_edges(edges);
            // Placed again with its new edges.
            before.insert(workload, Some(self.graph[at].clone()));
            self.order.retain(|&n| n != at);
        }
        self.remove_nodes(gone);
        Some(())
    }

    /// The resources reachable from the workload at `at` without passing another workload;
    /// `None` when one of them is tied to others by more than requests and references.
    fn reached_from(&self, at: NodeIndex) -> Option<HashSet<NodeIndex>> {
        let mut reached = HashSet::new();
        let mut next = vec![at];
        while let Some(n) = next.pop() {
            for edge in self.graph.edges_directed(n, Direction::Outgoing) {
                let to = edge.target();
                if matches!(self.graph[to], Node::Workload(_)) || !reached.insert(to) {
                    continue;
                }
                next.push(to);
            }
        }
        let plain = |kind: &EdgeKind| {
            matches!(
                kind,
                EdgeKind::Request | EdgeKind::Reference | EdgeKind::Params | EdgeKind::ServiceLink
            )
        };
        let tied = reached.iter().any(|&n| {
            self.graph
                .edges_directed(n, Direction::Incoming)
                .chain(self.graph.edges_directed(n, Direction::Outgoing))
                .any(|e| !plain(e.weight()))
        });
        (!tied).then_some(reached)
    }

    /// Of `reached`, the resources nothing but the workload at `at` (and they themselves)
    /// request or reference: what a build without the workload does not make. `None` when
    /// one of them is needed otherwise by a node that stays.
    fn dead(&self, at: NodeIndex, reached: &HashSet<NodeIndex>) -> Option<HashSet<NodeIndex>> {
        let mut dead: HashSet<NodeIndex> = reached.clone();
        let keeps = |kind: &EdgeKind| matches!(kind, EdgeKind::Request | EdgeKind::Reference);
        loop {
            let alive: Vec<NodeIndex> = dead
                .iter()
                .copied()
                .filter(|&n| {
                    self.graph.edges_directed(n, Direction::Incoming).any(|e| {
                        e.source() != at && !dead.contains(&e.source()) && keeps(e.weight())
                    })
                })
                .collect();
            if alive.is_empty() {
                break;
            }
            for n in alive {
                dead.remove(&n);
            }
        }
        // What stays may not depend on what goes.
        let needed = dead.iter().any(|&n| {
            self.graph
                .neighbors_directed(n, Direction::Incoming)
                .any(|m| m != at && !dead.contains(&m))
        });
        (!needed).then_some(dead)
    }

    fn remove_edges(&mut self, mut edges: Vec<EdgeIndex>) {
        // Removing an edge moves the last one into its place: the highest first.
        edges.sort_unstable_by(|a, b| b.cmp(a));
        for edge in edges {
            self.graph.remove_edge(edge);
        }
    }

    /// Removes the nodes `gone` from the graph, its index and its order.
    fn remove_nodes(&mut self, mut gone: Vec<NodeIndex>) {
        let set: HashSet<NodeIndex> = gone.iter().copied().collect();
        self.order.retain(|n| !set.contains(n));
        // Removing a node moves the last one into its place: the highest first, so what is
        // moved is never one still to remove.
        gone.sort_unstable_by(|a, b| b.cmp(a));
        for at in gone {
            let last = NodeIndex::new(self.graph.node_count() - 1);
            if let Some(node) = self.graph.remove_node(at) {
                self.index.remove(&node.name());
            }
            if at != last {
                self.index.insert(self.graph[at].name(), at);
                if let Some(slot) = self.order.iter_mut().find(|n| **n == last) {
                    *slot = at;
                }
            }
        }
    }

    /// Merges the part the workload `name` of `input` brings; gives the nodes to place in the
    /// order (the new ones, the workload's own among them).
    fn merge_part(
        &mut self,
        name: &str,
        input: &GraphInput<'_>,
        before: &mut Before,
    ) -> Option<Vec<NodeIndex>> {
        let outside =
            |w: &str| w != name && self.index.contains_key(&NodeName::Workload(w.to_owned()));
        let part = build_part(input, &outside).ok()?;
        if part.global {
            return None;
        }
        let mut at = HashMap::new();
        let mut added = Vec::new();
        for p in part.graph.node_indices() {
            let node = &part.graph[p];
            let node_name = node.name();
            let here = match (self.index.get(&node_name).copied(), node) {
                (Some(n), Node::Workload(w)) if w != name => n,
                (None, Node::Workload(w)) if w != name => return None,
                (Some(n), Node::Resource(r)) => {
                    before
                        .entry(node_name)
                        .or_insert_with(|| Some(self.graph[n].clone()));
                    let Node::Resource(existing) = &mut self.graph[n] else {
                        return None;
                    };
                    merge(existing, r)?;
                    n
                }
                (Some(n), Node::Workload(_)) => {
                    // The workload replaced: its edges were taken out, it is placed again.
                    added.push(n);
                    n
                }
                (None, _) => {
                    before.entry(node_name.clone()).or_insert(None);
                    let n = self.graph.add_node(node.clone());
                    self.index.insert(node_name, n);
                    added.push(n);
                    n
                }
            };
            at.insert(p, here);
        }
        let new: HashSet<NodeIndex> = added.iter().copied().collect();
        for edge in part.graph.edge_references() {
            let (from, to) = (at[&edge.source()], at[&edge.target()]);
            match self.graph.find_edge(from, to) {
                Some(e) if self.graph[e] == *edge.weight() => {}
                // A node that stays gains no dependency.
                Some(_) => return None,
                None if !new.contains(&from) => return None,
                None => {
                    self.graph.add_edge(from, to, *edge.weight());
                }
            }
        }
        Some(added)
    }

    /// Puts the nodes `added` (in the graph, not in the order) where the greedy order puts
    /// them; `None` when they cannot all be placed (a cycle among them).
    fn place(&mut self, added: &[NodeIndex]) -> Option<()> {
        let new: HashSet<NodeIndex> = added.iter().copied().collect();
        let position: HashMap<NodeIndex, usize> = {
            let needed: HashSet<NodeIndex> = added
                .iter()
                .flat_map(|&n| self.graph.neighbors_directed(n, Direction::Outgoing))
                .filter(|n| !new.contains(n))
                .collect();
            self.order
                .iter()
                .enumerate()
                .filter(|(_, n)| needed.contains(n))
                .map(|(i, &n)| (n, i))
                .collect()
        };
        // For each node added: the new nodes it still waits for, and when the old ones it
        // needs are all out.
        let mut waits: HashMap<NodeIndex, usize> = HashMap::new();
        let mut ready_at: HashMap<NodeIndex, usize> = HashMap::new();
        for &n in added {
            let mut at = 0;
            let mut count = 0;
            for dep in self.graph.neighbors_directed(n, Direction::Outgoing) {
                if new.contains(&dep) {
                    count += 1;
                } else {
                    at = at.max(*position.get(&dep)? + 1);
                }
            }
            waits.insert(n, count);
            ready_at.insert(n, at);
        }
        let display = |n: NodeIndex| display_name(&self.graph[n]);
        let mut later: Vec<(usize, NodeIndex)> = Vec::new();
        let mut ready: BinaryHeap<Reverse<(String, NodeIndex)>> = BinaryHeap::new();
        for (&n, _) in waits.iter().filter(|(_, c)| **c == 0) {
            later.push((ready_at[&n], n));
        }
        let old = std::mem::take(&mut self.order);
        let mut order = Vec::with_capacity(old.len() + added.len());
        for p in 0..=old.len() {
            later.retain(|&(at, n)| {
                if at <= p {
                    ready.push(Reverse((display(n), n)));
                }
                at > p
            });
            while let Some(Reverse((name, n))) = ready.peek() {
                let first = old
                    .get(p)
                    .is_none_or(|&o| name_cmp(&self.graph[o], name).is_gt());
                if !first {
                    break;
                }
                let n = *n;
                ready.pop();
                order.push(n);
                for dependent in self.graph.neighbors_directed(n, Direction::Incoming) {
                    if let Some(count) = waits.get_mut(&dependent) {
                        *count -= 1;
                        if *count == 0 {
                            let at = ready_at[&dependent];
                            if at <= p {
                                ready.push(Reverse((display(dependent), dependent)));
                            } else {
                                later.push((at, dependent));
                            }
                        }
                    }
                }
            }
            if let Some(&o) = old.get(p) {
                order.push(o);
            }
        }
        let placed = order.len() == old.len() + added.len();
        self.order = order;
        placed.then_some(())
    }

    /// What changed, from the nodes touched as they were `before`.
    fn change(&self, before: Before, relinked: BTreeSet<String>) -> Change {
        let mut change = Change {
            relinked,
            ..Change::default()
        };
        let mut removed = Vec::new();
        for (name, was) in before {
            let NodeName::Resource(key) = name else {
                continue;
            };
            let now = self.resource(&key);
            match (was, now) {
                (None, Some(_)) => {
                    change.added.insert(key);
                }
                (Some(_), None) => removed.push(key),
                (Some(Node::Resource(was)), Some(now)) if was != *now => {
                    change.changed.insert(key);
                }
                _ => {}
            }
        }
        removed.sort();
        change.removed = removed;
        change
    }
}

/// Merges what a workload's part says of a resource into the graph's node of it, as a build
/// would; `None` when it cannot say for certain (another definition, params that differ or
/// that another origin gave).
fn merge(existing: &mut ResourceNode, part: &ResourceNode) -> Option<()> {
    if existing.definition != part.definition || existing.guid != part.guid {
        return None;
    }
    existing
        .requested_by
        .extend(part.requested_by.iter().cloned());
    if part.params.is_empty() {
        return Some(());
    }
    if existing.params.is_empty() {
        existing.params = part.params.clone();
        existing.params_origin = part.params_origin.clone();
        return Some(());
    }
    if existing.params != part.params {
        return None;
    }
    // The same params: the first workload by name gives them.
    match (&existing.params_origin, &part.params_origin) {
        (ParamsOrigin::Workload(first), ParamsOrigin::Workload(other)) => {
            if other < first {
                existing.params_origin = part.params_origin.clone();
            }
            Some(())
        }
        _ => None,
    }
}

/// The name of a node as the order compares it.
fn display_name(node: &Node) -> String {
    match node {
        Node::Workload(name) => name.clone(),
        Node::Resource(r) => r.key.to_string(),
    }
}

/// How the name of `node` compares with `name`, as the order compares names (their text),
/// without writing it.
fn name_cmp(node: &Node, name: &str) -> std::cmp::Ordering {
    match node {
        Node::Workload(own) => own.as_str().cmp(name),
        Node::Resource(r) => {
            let key = &r.key;
            let id = key.id().map(|id| ["#", id]);
            let parts = [key.resource_type(), ".", key.class()]
                .into_iter()
                .chain(id.into_iter().flatten());
            parts.flat_map(str::bytes).cmp(name.bytes())
        }
    }
}

/// The nodes of the resources `keys` of `graph`, in its order.
pub(crate) fn ordered_among<'g>(
    graph: &'g ResourceGraph,
    keys: impl Iterator<Item = &'g ResourceKey>,
) -> Vec<&'g ResourceNode> {
    let wanted: HashSet<NodeIndex> = keys
        .filter_map(|key| graph.index.get(&NodeName::Resource(key.clone())).copied())
        .collect();
    graph
        .order
        .iter()
        .filter(|n| wanted.contains(n))
        .filter_map(|&n| match &graph.graph[n] {
            Node::Resource(r) => Some(r),
            Node::Workload(_) => None,
        })
        .collect()
}
