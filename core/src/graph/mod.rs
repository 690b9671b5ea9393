//! The resource graph (DESIGN.md §5): one node per workload and per resource key, edges
//! `A → B` meaning "A needs B first", expanded to a fixed point, checked for cycles and put in
//! a deterministic topological order.
//!
//! Edges come from workload requests, `service` links between workloads, resource references
//! in definitions (`${resources.TYPE[.CLASS][#ID].outputs...}`, class and id inherited from
//! the referencing resource), placeholders in request params, co-provisioning
//! (`isDependent`, `matchDependents`) and, after the fixed point, selectors
//! (`${resources.dns<route.outputs.host}`), which never add nodes.

pub(crate) mod edit;
mod expand;
mod order;
pub(crate) mod references;
mod requesters;
mod selectors;

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use petgraph::graph::{DiGraph, NodeIndex};
use serde_json::{Map, Value};

pub use expand::{GraphInput, WORKLOAD_TYPE, build, workload_key};
pub use requesters::Requesters;
pub use selectors::select;

use crate::ResourceKey;

/// The name of a node: a workload name or a resource key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeName {
    /// A workload, by name.
    Workload(String),
    /// A resource, by canonical key (class and id always set).
    Resource(ResourceKey),
}

impl fmt::Display for NodeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Workload(name) => f.write_str(name),
            Self::Resource(key) => write!(f, "{key}"),
        }
    }
}

/// Where the params of a resource node come from, for placeholder resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamsOrigin {
    /// No params.
    None,
    /// A workload's request (placeholders resolve in that workload's context).
    Workload(String),
    /// The `provision` entry of another resource's definition.
    Provision(ResourceKey),
}

/// A resource node: its key, the definition matched for it, and its params.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceNode {
    /// The canonical key.
    pub key: ResourceKey,
    /// The index of the matched definition in [`crate::platform::Platform::definitions`].
    pub definition: usize,
    /// The params, as written (placeholders unresolved).
    pub params: Map<String, Value>,
    /// Where the params come from.
    pub params_origin: ParamsOrigin,
    /// The workloads that request this resource, by name, with the name each uses for it.
    pub requested_by: Requesters,
    /// A stable id for naming what the resource creates: 16 hex digits derived from the
    /// application, environment and key.
    pub guid: String,
}

/// A node of the graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A workload, by name.
    Workload(String),
    /// A resource.
    Resource(ResourceNode),
}

impl Node {
    /// The node's name.
    #[must_use]
    pub fn name(&self) -> NodeName {
        match self {
            Self::Workload(name) => NodeName::Workload(name.clone()),
            Self::Resource(r) => NodeName::Resource(r.key.clone()),
        }
    }
}

/// Why an edge exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// A workload requests the resource.
    Request,
    /// A workload links to another through a `service` or `service-port` resource.
    ServiceLink,
    /// A definition references the resource's outputs.
    Reference,
    /// Request params reference another resource of the workload.
    Params,
    /// Co-provisioned with `isDependent`.
    CoProvision,
    /// Added by `matchDependents`.
    MatchDependents,
    /// A selector selected the resource.
    Selector,
}

/// The expanded, acyclic resource graph of one plan, with its order.
#[derive(Debug, Clone)]
pub struct ResourceGraph {
    graph: DiGraph<Node, EdgeKind>,
    index: HashMap<NodeName, NodeIndex>,
    order: Vec<NodeIndex>,
    /// Whether a node's part of the graph depends on the whole graph (selectors,
    /// `matchDependents`, definitions that provision other resources): then it cannot be
    /// edited in place ([`edit`]).
    global: bool,
}

impl ResourceGraph {
    /// The nodes in resolution (and apply) order: every node after all it needs.
    pub fn ordered(&self) -> impl Iterator<Item = &Node> {
        self.order.iter().map(|i| &self.graph[*i])
    }

    /// The resource nodes in order, each with the positions (in this list) of the resources
    /// it needs directly (workload nodes left out).
    pub(crate) fn resources_with_needs(&self) -> Vec<(&ResourceNode, Vec<usize>)> {
        let mut position = vec![usize::MAX; self.graph.node_count()];
        let mut resources = Vec::new();
        for &at in &self.order {
            let Node::Resource(resource) = &self.graph[at] else {
                continue;
            };
            let needs = self
                .graph
                .neighbors_directed(at, petgraph::Direction::Outgoing)
                .map(|n| position[n.index()])
                // A need comes earlier in the order; workloads have no position.
                .filter(|&p| p != usize::MAX)
                .collect();
            position[at.index()] = resources.len();
            resources.push((resource, needs));
        }
        resources
    }

    /// The node of that name.
    #[must_use]
    pub fn node(&self, name: &NodeName) -> Option<&Node> {
        self.index.get(name).map(|i| &self.graph[*i])
    }

    /// The resource node of that key.
    #[must_use]
    pub fn resource(&self, key: &ResourceKey) -> Option<&ResourceNode> {
        match self.node(&NodeName::Resource(key.clone()))? {
            Node::Resource(r) => Some(r),
            Node::Workload(_) => None,
        }
    }

    /// Every edge as `(from, to, kind)`, sorted: `from` needs `to` first.
    #[must_use]
    pub fn edges(&self) -> Vec<(NodeName, NodeName, EdgeKind)> {
        let mut edges: Vec<_> = self
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                Some((self.graph[a].name(), self.graph[b].name(), self.graph[e]))
            })
            .collect();
        edges.sort();
        edges
    }

    /// The names of the nodes that `name` needs directly, sorted.
    #[must_use]
    pub fn dependencies(&self, name: &NodeName) -> Vec<NodeName> {
        self.neighbours(name, petgraph::Direction::Outgoing)
    }

    /// The names of the nodes that need `name` directly, sorted.
    #[must_use]
    pub fn dependents(&self, name: &NodeName) -> Vec<NodeName> {
        self.neighbours(name, petgraph::Direction::Incoming)
    }

    fn neighbours(&self, name: &NodeName, direction: petgraph::Direction) -> Vec<NodeName> {
        let Some(&at) = self.index.get(name) else {
            return Vec::new();
        };
        let set: BTreeSet<NodeName> = self
            .graph
            .neighbors_directed(at, direction)
            .map(|n| self.graph[n].name())
            .collect();
        set.into_iter().collect()
    }

    /// How many nodes the graph has.
    #[must_use]
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// How many resource nodes the graph has (what a plan provisions).
    #[must_use]
    pub fn resource_count(&self) -> usize {
        self.graph
            .node_weights()
            .filter(|n| matches!(n, Node::Resource(_)))
            .count()
    }

    /// Whether the graph has no node.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }
}
