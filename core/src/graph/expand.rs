//! Building the graph: seed nodes from workloads, expand through definitions to a fixed point,
//! then apply `matchDependents` and selectors, and order.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write as _;
use std::rc::Rc;

use petgraph::graph::{DiGraph, NodeIndex};
use serde_json::{Map, Value};

use super::references::{self, Target};
use super::{
    EdgeKind, Node, NodeName, ParamsOrigin, ResourceGraph, ResourceNode, order, selectors,
};
use crate::platform::{Context, Definition};
use crate::spec::score::{ResourceRequest, Workload};
use crate::validate::names::fnv1a64;
use crate::{DocPath, Error, ErrorKind, Location, ResourceKey, Result};

/// What the graph is built from.
pub struct GraphInput<'a> {
    /// The workloads of the application.
    pub workloads: &'a [&'a Workload],
    /// The context of the plan.
    pub context: &'a Context,
    /// The platform's definitions (indexes in nodes refer to this slice).
    pub definitions: &'a [Definition],
    /// Matches a resource key to a definition index (see [`crate::matching`]).
    pub matcher: &'a dyn Fn(&ResourceKey) -> Result<usize>,
}

/// The two built-in types that link workloads (DESIGN.md §3).
const LINK_TYPES: [&str; 2] = ["service", "service-port"];

/// Builds, expands, checks and orders the graph.
///
/// # Errors
/// An unknown linked workload, conflicting params of a shared resource, a definition whose
/// placeholders do not parse, a failed match, or a cycle (printed `a → b → a`).
pub fn build(input: &GraphInput<'_>) -> Result<ResourceGraph> {
    let mut builder = Builder::new(input, None);
    builder.seed()?;
    builder.expand()?;
    builder.apply_match_dependents();
    selectors::add_selector_edges(&mut builder.graph, &builder.index, &builder.selector_nodes)?;
    let order = order::topological(&builder.graph)?;
    // The node and edge vectors grew by doubling: a plan holds the graph to its end.
    builder.graph.shrink_to_fit();
    let global = builder.global();
    Ok(ResourceGraph {
        graph: builder.graph,
        index: builder.index,
        order,
        global,
    })
}

/// What the workloads of a [`GraphInput`] add to a graph of other workloads, built alone
/// ([`build_part`]): their nodes and edges, unordered, with the workloads they link to as bare
/// nodes.
pub(crate) struct Part {
    pub graph: DiGraph<Node, EdgeKind>,
    /// Whether something in it reaches beyond what it adds: a definition that provisions
    /// other resources, a selector or `matchDependents` (what they add depends on the whole
    /// graph).
    pub global: bool,
}

/// The nodes and edges the workloads of `input` bring to a graph of other workloads, whose
/// names `outside` knows (the targets of their links): built as [`build`] builds, without
/// `matchDependents`, selectors and order (see [`Part::global`]). The seam of
/// [`super::edit`], which adds a workload to a graph without building it again.
///
/// # Errors
/// As [`build`], for these workloads alone.
pub(crate) fn build_part(input: &GraphInput<'_>, outside: &dyn Fn(&str) -> bool) -> Result<Part> {
    let mut builder = Builder::new(input, Some(outside));
    builder.seed()?;
    builder.expand()?;
    Ok(Part {
        global: builder.global(),
        graph: builder.graph,
    })
}

struct Builder<'a> {
    input: &'a GraphInput<'a>,
    /// The workloads outside `input` that links may target ([`build_part`]).
    outside: Option<&'a dyn Fn(&str) -> bool>,
    /// Whether a definition met provisions other resources.
    provisions: bool,
    graph: DiGraph<Node, EdgeKind>,
    index: HashMap<NodeName, NodeIndex>,
    pending: VecDeque<NodeIndex>,
    /// The targets of each definition met so far, shared by every node it matches.
    targets: HashMap<usize, Rc<[Target]>>,
    match_dependents: Vec<(NodeIndex, NodeIndex)>,
    selector_nodes: Vec<(NodeIndex, Vec<references::Selector>)>,
}

impl<'a> Builder<'a> {
    fn new(input: &'a GraphInput<'a>, outside: Option<&'a dyn Fn(&str) -> bool>) -> Self {
        Self {
            input,
            outside,
            provisions: false,
            graph: DiGraph::new(),
            index: HashMap::new(),
            pending: VecDeque::new(),
            targets: HashMap::new(),
            match_dependents: Vec::new(),
            selector_nodes: Vec::new(),
        }
    }

    /// Workload nodes, their requests, service links and params references.
    fn seed(&mut self) -> Result<()> {
        let mut workloads: Vec<&Workload> = self.input.workloads.to_vec();
        workloads.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        // Room for the workloads and what they request, at least (the graph's and index's
        // order do not depend on it).
        let seeded: usize = workloads.iter().map(|w| 2 + w.resources.len()).sum();
        self.graph.reserve_nodes(seeded);
        self.graph.reserve_edges(seeded);
        self.index.reserve(seeded);
        for workload in &workloads {
            let name = workload.metadata.name.clone();
            let node = self.graph.add_node(Node::Workload(name.clone()));
            self.index.insert(NodeName::Workload(name), node);
        }
        for workload in &workloads {
            let from = self.index[&NodeName::Workload(workload.metadata.name.clone())];
            self.implicit_workload(workload, from)?;
            for (local, request) in &workload.resources {
                self.request(workload, from, local, request)?;
            }
        }
        for workload in &workloads {
            self.params_edges(workload)?;
        }
        Ok(())
    }

    /// The resource of the built-in type `workload` every workload requests implicitly
    /// ([`workload_key`]): matched like any other, so a platform definition can patch the
    /// workload's object and add manifests (see [`crate::patches`]).
    fn implicit_workload(&mut self, workload: &Workload, from: NodeIndex) -> Result<()> {
        let wname = &workload.metadata.name;
        let node = self.resource(&workload_key(wname), Map::new(), ParamsOrigin::None)?;
        if let Node::Resource(r) = &mut self.graph[node] {
            r.requested_by.insert((wname.clone(), String::new()));
        }
        self.edge(from, node, EdgeKind::Request);
        Ok(())
    }

    /// One request of the workload whose node is `from`.
    fn request(
        &mut self,
        workload: &Workload,
        from: NodeIndex,
        local: &str,
        request: &ResourceRequest,
    ) -> Result<()> {
        let wname = &workload.metadata.name;
        if request.resource_type == WORKLOAD_TYPE {
            return Err(request_error(
                wname,
                local,
                "the type `workload` is requested by every workload implicitly (as `workload#NAME`, for the platform's patches): remove this resource",
            ));
        }
        let key = self.request_key_of(wname, local, request);
        let node = self.requested(&key, request.params.as_ref(), wname)?;
        if let Node::Resource(r) = &mut self.graph[node] {
            r.requested_by.insert((wname.clone(), local.to_owned()));
        }
        self.edge(from, node, EdgeKind::Request);
        if LINK_TYPES.contains(&request.resource_type.as_str()) {
            let outside = self.outside;
            let known = |name: &str| {
                self.index
                    .contains_key(&NodeName::Workload(name.to_owned()))
                    || outside.is_some_and(|o| o(name))
            };
            let target = link_target(workload, local, request, self.input.workloads, known)?;
            let to = self.workload_node(target);
            self.edge(node, to, EdgeKind::ServiceLink);
            self.edge(from, to, EdgeKind::ServiceLink);
        }
        Ok(())
    }

    /// Whether what was built depends on more than the nodes it has ([`Part::global`]).
    fn global(&self) -> bool {
        self.provisions || !self.match_dependents.is_empty() || !self.selector_nodes.is_empty()
    }

    /// The node of the workload `name`, added when it is outside the input ([`build_part`]).
    fn workload_node(&mut self, name: String) -> NodeIndex {
        let key = NodeName::Workload(name.clone());
        if let Some(&node) = self.index.get(&key) {
            return node;
        }
        let node = self.graph.add_node(Node::Workload(name));
        self.index.insert(key, node);
        node
    }

    /// Edges from a resource to the resources its request params reference.
    fn params_edges(&mut self, workload: &Workload) -> Result<()> {
        let wname = &workload.metadata.name;
        for (local, request) in &workload.resources {
            let Some(params) = &request.params else {
                continue;
            };
            let names = references::workload_resource_names(params.values())
                .map_err(|e| request_error(wname, local, &format!("params: {e}")))?;
            if names.is_empty() {
                continue;
            }
            let from = self.index[&NodeName::Resource(self.request_key(workload, local))];
            for name in names {
                let Some(other) = workload.resources.get(&name) else {
                    continue;
                };
                let to = self.index[&NodeName::Resource(self.request_key_of(wname, &name, other))];
                self.edge(from, to, EdgeKind::Params);
            }
        }
        Ok(())
    }

    fn request_key(&self, workload: &Workload, local: &str) -> ResourceKey {
        self.request_key_of(&workload.metadata.name, local, &workload.resources[local])
    }

    fn request_key_of(&self, wname: &str, local: &str, request: &ResourceRequest) -> ResourceKey {
        let id = request
            .id
            .clone()
            .unwrap_or_else(|| format!("{wname}.{local}"));
        ResourceKey::new(&request.resource_type, Some(request.class()), Some(&id))
    }

    /// Matches pending nodes and follows their definitions until nothing new appears.
    fn expand(&mut self) -> Result<()> {
        while let Some(node) = self.pending.pop_front() {
            let key = match &self.graph[node] {
                Node::Resource(r) => r.key.clone(),
                Node::Workload(_) => continue,
            };
            let definition = (self.input.matcher)(&key)?;
            if let Node::Resource(r) = &mut self.graph[node] {
                r.definition = definition;
            }
            self.follow_references(node, &key, definition)?;
            self.follow_provision(node, &key, definition)?;
        }
        Ok(())
    }

    fn follow_references(
        &mut self,
        node: NodeIndex,
        key: &ResourceKey,
        definition: usize,
    ) -> Result<()> {
        let targets = self.definition_targets(definition)?;
        let mut selectors = Vec::new();
        for target in targets.iter() {
            match target {
                Target::Reference(written) => {
                    let to =
                        self.resource(&inherit(written, key), Map::new(), ParamsOrigin::None)?;
                    self.edge(node, to, EdgeKind::Reference);
                }
                Target::Selector(selector) => {
                    let mut selector = selector.clone();
                    selector.start = inherit(&selector.start, key);
                    selectors.push(selector);
                }
            }
        }
        if !selectors.is_empty() {
            self.selector_nodes.push((node, selectors));
        }
        Ok(())
    }

    fn follow_provision(
        &mut self,
        node: NodeIndex,
        key: &ResourceKey,
        definition: usize,
    ) -> Result<()> {
        // The definitions outlive the builder: no copy of the provision entries is needed.
        let definitions = self.input.definitions;
        self.provisions |= !definitions[definition].spec.provision.is_empty();
        for (written, entry) in &definitions[definition].spec.provision {
            let written = ResourceKey::parse_text(written).map_err(|e| {
                definition_error(&definitions[definition], &format!("provision: {e}"))
            })?;
            let co_key = inherit(&written, key);
            let params: Map<String, Value> = copied(&entry.params);
            let co = self.resource(&co_key, params, ParamsOrigin::Provision(key.clone()))?;
            if entry.is_dependent {
                self.edge(co, node, EdgeKind::CoProvision);
            }
            if entry.match_dependents {
                self.match_dependents.push((node, co));
            }
            let targets = references::value_targets(entry.params.values()).map_err(|e| {
                definition_error(
                    &definitions[definition],
                    &format!("provision `{co_key}` params: {e}"),
                )
            })?;
            for target in targets {
                if let Target::Reference(written) = target {
                    let to =
                        self.resource(&inherit(&written, &co_key), Map::new(), ParamsOrigin::None)?;
                    self.edge(co, to, EdgeKind::Reference);
                }
            }
        }
        Ok(())
    }

    fn definition_targets(&mut self, definition: usize) -> Result<Rc<[Target]>> {
        if let Some(targets) = self.targets.get(&definition) {
            return Ok(Rc::clone(targets));
        }
        let targets: Rc<[Target]> =
            references::definition_targets(&self.input.definitions[definition])?.into();
        self.targets.insert(definition, Rc::clone(&targets));
        Ok(targets)
    }

    /// `X → current` implies `X → co` for every `matchDependents` pair, until nothing changes.
    fn apply_match_dependents(&mut self) {
        let mut changed = true;
        while changed {
            changed = false;
            for &(current, co) in &self.match_dependents.clone() {
                let dependents: Vec<NodeIndex> = self
                    .graph
                    .neighbors_directed(current, petgraph::Direction::Incoming)
                    .collect();
                for x in dependents {
                    if x != co && self.graph.find_edge(x, co).is_none() {
                        self.graph.add_edge(x, co, EdgeKind::MatchDependents);
                        changed = true;
                    }
                }
            }
        }
    }

    /// The node of `key` requested by the workload `wname` with `params`: as
    /// [`resource`](Self::resource), without copying the params when the node exists and
    /// keeps them as they are (a shared resource requested again).
    fn requested(
        &mut self,
        key: &ResourceKey,
        params: Option<&BTreeMap<String, Value>>,
        wname: &str,
    ) -> Result<NodeIndex> {
        let name = NodeName::Resource(key.clone());
        if let Some(&node) = self.index.get(&name)
            && let Node::Resource(existing) = &self.graph[node]
            && params.is_none_or(|p| p.is_empty() || p.iter().eq(existing.params.iter()))
        {
            return Ok(node);
        }
        let params = params.map(copied).unwrap_or_default();
        self.resource(key, params, ParamsOrigin::Workload(wname.to_owned()))
    }

    /// The node of `key`, created (and queued for matching) when new. Params meet the rule
    /// for shared resources: every request that gives params gives the same ones.
    fn resource(
        &mut self,
        key: &ResourceKey,
        params: Map<String, Value>,
        origin: ParamsOrigin,
    ) -> Result<NodeIndex> {
        let name = NodeName::Resource(key.clone());
        if let Some(&node) = self.index.get(&name) {
            if let Node::Resource(existing) = &mut self.graph[node] {
                merge_params(existing, params, origin)?;
            }
            return Ok(node);
        }
        let (params_origin, params) = if params.is_empty() {
            (ParamsOrigin::None, params)
        } else {
            (origin, params)
        };
        let guid = guid(self.input.context, key);
        let resource = ResourceNode {
            key: key.clone(),
            definition: usize::MAX,
            params,
            params_origin,
            requested_by: super::Requesters::new(),
            guid,
        };
        let node = self.graph.add_node(Node::Resource(resource));
        self.index.insert(name, node);
        self.pending.push_back(node);
        Ok(node)
    }

    fn edge(&mut self, from: NodeIndex, to: NodeIndex, kind: EdgeKind) {
        if self.graph.find_edge(from, to).is_none() {
            self.graph.add_edge(from, to, kind);
        }
    }
}

/// The key of the resource of type `workload` that the workload `name` requests implicitly:
/// `workload.default#NAME`.
#[must_use]
pub fn workload_key(name: &str) -> ResourceKey {
    ResourceKey::new(WORKLOAD_TYPE, Some("default"), Some(name))
}

/// The built-in resource type every workload requests once, for its patches.
pub const WORKLOAD_TYPE: &str = "workload";

/// A reference that omits class or id takes the referencing resource's own.
fn inherit(written: &ResourceKey, from: &ResourceKey) -> ResourceKey {
    let class = written.written_class().unwrap_or(from.class());
    let id = written.id().or(from.id());
    ResourceKey::new(written.resource_type(), Some(class), id)
}

fn merge_params(
    existing: &mut ResourceNode,
    params: Map<String, Value>,
    origin: ParamsOrigin,
) -> Result<()> {
    if params.is_empty() || existing.params == params {
        return Ok(());
    }
    if existing.params.is_empty() {
        existing.params = params;
        existing.params_origin = origin;
        return Ok(());
    }
    let describe = |o: &ParamsOrigin| match o {
        ParamsOrigin::Workload(w) => format!("workload `{w}`"),
        ParamsOrigin::Provision(k) => format!("the definition provisioning `{k}`"),
        ParamsOrigin::None => "a reference".to_owned(),
    };
    Err(Error::new(
        ErrorKind::Conflict,
        Location::default(),
        format!(
            "shared resource `{}` is requested with different params by {} and by {}: give both the same params, or give them different ids",
            existing.key,
            describe(&existing.params_origin),
            describe(&origin)
        ),
    ))
}

/// The workload a `service`/`service-port` request links to; it must exist.
fn link_target(
    workload: &Workload,
    local: &str,
    request: &ResourceRequest,
    all: &[&Workload],
    known: impl Fn(&str) -> bool,
) -> Result<String> {
    let param = request
        .params
        .as_ref()
        .and_then(|p| p.get("workload"))
        .and_then(Value::as_str);
    let target = match (request.resource_type.as_str(), param) {
        (_, Some(target)) => target.to_owned(),
        ("service", None) => local.to_owned(),
        _ => {
            return Err(request_error(
                &workload.metadata.name,
                local,
                "a `service-port` resource needs params `workload` and `port`",
            ));
        }
    };
    // A lookup in the graph's index: a scan of every workload per link was quadratic.
    if known(&target) {
        return Ok(target);
    }
    let mut known: Vec<&str> = all.iter().map(|w| w.metadata.name.as_str()).collect();
    known.sort_unstable();
    Err(request_error(
        &workload.metadata.name,
        local,
        &format!(
            "links to workload `{target}`, which is not part of this application; workloads: {}",
            known.join(", ")
        ),
    ))
}

fn request_error(workload: &str, local: &str, message: &str) -> Error {
    let path = DocPath::root().key("resources").key(local);
    let location = Location::default().with_path(path);
    Error::new(
        ErrorKind::Invalid,
        location,
        format!("workload `{workload}`: {message}"),
    )
}

fn definition_error(definition: &Definition, message: &str) -> Error {
    Error::new(
        ErrorKind::Invalid,
        Location::default(),
        format!("resource definition `{}`: {message}", definition.name),
    )
}

/// 16 hex digits, stable for an application, environment and key.
fn guid(context: &Context, key: &ResourceKey) -> String {
    let mut text = String::with_capacity(context.app.len() + context.env.len() + 64);
    text.push_str(&context.app);
    text.push('\0');
    text.push_str(&context.env);
    text.push('\0');
    // Writing into a String cannot fail.
    let _ = write!(text, "{key}");
    let mut hex = String::with_capacity(16);
    let _ = write!(hex, "{:016x}", fnv1a64(text.as_bytes()));
    hex
}

/// A params mapping as a node holds it.
fn copied(params: &BTreeMap<String, Value>) -> Map<String, Value> {
    params.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}
