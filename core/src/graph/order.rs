//! Topological order with ties broken by node name, and cycles reported as `a → b → a`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{EdgeKind, Node};
use crate::{Error, ErrorKind, Location, Result};

/// The order in which nodes are resolved: a node comes after every node it needs; among nodes
/// that are ready at the same time, the smallest name first.
///
/// # Errors
/// A [`ErrorKind::Cycle`] error printing one cycle of the graph.
pub(crate) fn topological(graph: &DiGraph<Node, EdgeKind>) -> Result<Vec<NodeIndex>> {
    let names: Vec<String> = graph
        .node_indices()
        .map(|i| graph[i].name().to_string())
        .collect();
    let mut waiting: Vec<usize> = graph
        .node_indices()
        .map(|i| {
            graph
                .neighbors_directed(i, petgraph::Direction::Outgoing)
                .count()
        })
        .collect();
    let mut ready: BinaryHeap<Reverse<(&String, usize)>> = graph
        .node_indices()
        .filter(|i| waiting[i.index()] == 0)
        .map(|i| Reverse((&names[i.index()], i.index())))
        .collect();
    let mut order = Vec::with_capacity(graph.node_count());
    while let Some(Reverse((_, at))) = ready.pop() {
        let node = NodeIndex::new(at);
        order.push(node);
        for dependent in graph.neighbors_directed(node, petgraph::Direction::Incoming) {
            let left = &mut waiting[dependent.index()];
            *left -= 1;
            if *left == 0 {
                ready.push(Reverse((&names[dependent.index()], dependent.index())));
            }
        }
    }
    if order.len() == graph.node_count() {
        return Ok(order);
    }
    let cycle = find_cycle(graph).unwrap_or_default();
    let text: Vec<String> = cycle.iter().map(|i| graph[*i].name().to_string()).collect();
    Err(Error::new(
        ErrorKind::Cycle,
        Location::default(),
        format!(
            "resources depend on each other in a cycle: {}; remove one of these dependencies",
            text.join(" → ")
        ),
    ))
}

/// One cycle of the graph, as the nodes along it with the first repeated at the end, starting
/// at the smallest name of the cycle; `None` when the graph is acyclic.
pub(crate) fn find_cycle(graph: &DiGraph<Node, EdgeKind>) -> Option<Vec<NodeIndex>> {
    let mut components: Vec<Vec<NodeIndex>> = tarjan_scc(graph)
        .into_iter()
        .filter(|c| c.len() > 1 || graph.find_edge(c[0], c[0]).is_some())
        .collect();
    for c in &mut components {
        c.sort_by_key(|i| graph[*i].name());
    }
    components.sort_by_key(|c| graph[c[0]].name());
    let component = components.first()?;
    let start = component[0];
    // Breadth-first search inside the component for the shortest way back to `start`.
    let mut previous = vec![None; graph.node_count()];
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        let mut next: Vec<NodeIndex> = graph
            .neighbors_directed(at, petgraph::Direction::Outgoing)
            .filter(|n| component.contains(n))
            .collect();
        next.sort_by_key(|i| graph[*i].name());
        for n in next {
            if n == start {
                let mut path = vec![at];
                while let Some(p) = previous[path[path.len() - 1].index()] {
                    path.push(p);
                }
                path.reverse();
                path.push(start);
                return Some(path);
            }
            if previous[n.index()].is_none() && n != start {
                previous[n.index()] = Some(at);
                queue.push_back(n);
            }
        }
    }
    None
}
