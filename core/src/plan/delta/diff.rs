//! Comparing the graph of the workloads after an edit, built in full, with the plan's: the
//! way [`super::Engine::regrow`] finds what changed when the graph cannot be edited in place
//! ([`crate::graph::edit`]).

use std::collections::{BTreeSet, HashSet};

use crate::graph::edit::Change;
use crate::graph::{EdgeKind, Node, NodeName, ResourceGraph};

/// How `new` differs from `old` when only the workloads named in `edited` were edited;
/// `None` when the nodes both have do not keep their edges and order, or when a node that
/// was not edited gains or loses a dependency.
pub(super) fn of(
    old: &ResourceGraph,
    new: &ResourceGraph,
    edited: &BTreeSet<String>,
) -> Option<Change> {
    let in_old = |name: &NodeName| old.node(name).is_some();
    let in_new = |name: &NodeName| new.node(name).is_some();
    let mut diff = Change {
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
