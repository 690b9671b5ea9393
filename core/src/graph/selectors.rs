//! Selectors: `${resources.A<B>C.outputs...}` query the expanded graph. They never add nodes;
//! the selecting resource gets an edge to everything it selects, and results are sorted by key.

use std::collections::{BTreeSet, HashMap};

use petgraph::Direction as Towards;
use petgraph::graph::{DiGraph, NodeIndex};

use super::references::{self, Direction, Selector, Target};
use super::{EdgeKind, Node, NodeName, ResourceGraph};
use crate::{Error, ErrorKind, Location, ResourceKey, Result};

/// The resources a selector selects from a node, sorted by key.
fn evaluate(
    graph: &DiGraph<Node, EdgeKind>,
    index: &HashMap<NodeName, NodeIndex>,
    selector: &Selector,
) -> Vec<NodeIndex> {
    let Some(&start) = index.get(&NodeName::Resource(selector.start.clone())) else {
        return Vec::new();
    };
    let mut current = vec![start];
    for (direction, kind) in &selector.steps {
        let towards = match direction {
            Direction::Dependents => Towards::Incoming,
            Direction::Dependencies => Towards::Outgoing,
        };
        let next: BTreeSet<(NodeName, NodeIndex)> = current
            .iter()
            .flat_map(|n| graph.neighbors_directed(*n, towards))
            .filter(|n| matches!(&graph[*n], Node::Resource(r) if r.key.resource_type() == kind))
            .map(|n| (graph[n].name(), n))
            .collect();
        current = next.into_iter().map(|(_, n)| n).collect();
    }
    current
}

/// Adds an edge from each selecting node to everything its selectors select.
pub(crate) fn add_selector_edges(
    graph: &mut DiGraph<Node, EdgeKind>,
    index: &HashMap<NodeName, NodeIndex>,
    selecting: &[(NodeIndex, Vec<Selector>)],
) -> Result<()> {
    for (node, selectors) in selecting {
        for selector in selectors {
            for selected in evaluate(graph, index, selector) {
                if selected != *node && graph.find_edge(*node, selected).is_none() {
                    graph.add_edge(*node, selected, EdgeKind::Selector);
                }
            }
        }
    }
    Ok(())
}

/// The keys a selector (the key text of a placeholder, such as `dns<route`) selects from the
/// resource `current`, sorted; the start inherits class and id from `current`.
///
/// # Errors
/// Text that is not a selector.
pub fn select(
    graph: &ResourceGraph,
    current: &ResourceKey,
    key_text: &str,
) -> Result<Vec<ResourceKey>> {
    let invalid = |m: String| Error::new(ErrorKind::Placeholder, Location::default(), m);
    let Target::Selector(mut selector) = references::parse_target(key_text).map_err(invalid)?
    else {
        return Err(invalid(format!(
            "`{key_text}` is not a selector (`TYPE<TYPE` or `TYPE>TYPE`)"
        )));
    };
    let class = selector
        .start
        .written_class()
        .unwrap_or(current.class())
        .to_owned();
    let id = selector.start.id().or(current.id()).map(str::to_owned);
    selector.start = ResourceKey::new(selector.start.resource_type(), Some(&class), id.as_deref());
    let selected = evaluate(&graph.graph, &graph.index, &selector);
    Ok(selected
        .into_iter()
        .filter_map(|n| match &graph.graph[n] {
            Node::Resource(r) => Some(r.key.clone()),
            Node::Workload(_) => None,
        })
        .collect())
}
