//! Resolution (DESIGN.md §5-§7): walk the graph in order, provision each resource with its
//! definition's driver, keep its outputs, and resolve each workload's placeholders against
//! them. Secrets leave this stage only as references to Kubernetes Secrets.

mod ahead;
mod budget;
mod definition;
mod scope;
mod state;
mod workload;

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

pub(crate) use budget::{Meter, plan_budget};
pub use state::ResourceState;
pub(crate) use workload::read_source;

use crate::drivers::substitute_map;
use crate::drivers::{DriverRegistry, ProvisionRequest, SecretSeed, Services, resolve_inputs};
use crate::graph::{NodeName, ParamsOrigin, ResourceGraph, ResourceNode};
use crate::platform::{Context, Platform};
use crate::render::input::ResolvedWorkload;
use crate::secrets::SecretRegistry;
use crate::spec::platform::SecretInput;
use crate::{DocPath, Error, ErrorKind, Location, ResourceKey, Result};
use definition::DefinitionResolver;
use scope::WorkloadScope;
use state::State;

/// Moved to [`crate::load::WorkloadInput`]; kept here so existing paths still compile.
pub use crate::load::WorkloadInput;

/// What resolution needs.
pub(crate) struct ResolveInput<'a> {
    pub graph: &'a ResourceGraph,
    pub platform: &'a Platform,
    pub drivers: &'a DriverRegistry,
    pub seed: &'a SecretSeed,
    pub context: &'a Context,
    pub workloads: &'a [WorkloadInput],
    pub image: Option<&'a str>,
    /// The plan's budgets, charged as values are produced.
    pub meter: &'a Meter,
    /// Whether drivers that act on the world are called, and their recorded results.
    pub effects: &'a crate::drivers::Effects,
}

/// What is kept of the resources once their manifests have been handed on: outputs and secret
/// references (for workloads and the plan's summary), in graph order, and the secret values
/// met (for the leak check).
pub(crate) struct Resources {
    pub order: Vec<ResourceKey>,
    state: State,
    /// What each resource of `order` cost the plan, as far as provisioning knows (its
    /// outputs' bytes); the output step adds what its manifests cost (kept by sessions).
    pub spent: Vec<crate::plan::ledger::Spent>,
    /// What the environment objects cost the plan (set by the output step).
    pub environment: crate::plan::ledger::Spent,
}

impl Resources {
    /// The state of a resource (its manifests already handed on).
    pub fn get(&self, key: &ResourceKey) -> Option<&ResourceState> {
        self.state.resources.get(key)
    }
}

/// Receives the key and the manifests of one resource, as `hold` made them.
pub(crate) type ManifestSink<'s, H> = dyn FnMut(&ResourceKey, H) -> Result<()> + 's;

/// What a resource's manifests become before they are handed on (on any thread).
pub(crate) type Hold<'h, H> = dyn Fn(Vec<Value>) -> Result<H> + Sync + 'h;

/// Provisions every resource in graph order, handing each one's manifests, made into `H` by
/// `hold`, to `emit` as soon as it is provisioned. Every secret met is registered in
/// `registry` (also when provisioning fails, so that the error can be scrubbed of them).
///
/// Resources whose driver may run on any thread are provisioned ahead on rayon's threads
/// ([`ahead`]); everything that reaches the plan (state, registry, budget, `emit`, the first
/// error) still happens on the calling thread in graph order, as on one thread.
pub(crate) fn provision_all<H: Send>(
    input: &ResolveInput<'_>,
    registry: &std::sync::Arc<SecretRegistry>,
    hold: &Hold<'_, H>,
    emit: &mut ManifestSink<'_, H>,
) -> Result<Resources> {
    let mut state = State::with_registry(std::sync::Arc::clone(registry));
    let services = Services::of_workloads(input.workloads);
    let by_name = by_name(input.workloads.iter());
    let maker = Maker {
        input,
        by_name: &by_name,
        services: &services,
    };
    let nodes = input.graph.resources_with_needs();
    // Sized once: growing it would hold the old and the new table at once.
    state.resources.reserve(nodes.len());
    let mut order = Vec::with_capacity(nodes.len());
    let mut spent = Vec::with_capacity(nodes.len());
    ahead::each(&maker, &nodes, hold, &mut state, |node, ahead, state| {
        let (made, held) = match ahead {
            Some(ahead) => ahead.take(state)?,
            None => (maker.make(node, state, &state.registry)?, None),
        };
        let (manifests, charged) = maker.commit(node, made, state)?;
        spent.push(crate::plan::ledger::Spent::outputs(charged));
        let held = match held {
            Some(held) => held?,
            None => hold(manifests)?,
        };
        emit(&node.key, held)?;
        order.push(node.key.clone());
        Ok(())
    })?;
    Ok(Resources {
        order,
        state,
        spent,
        environment: crate::plan::ledger::Spent::default(),
    })
}

/// Receives the key, the manifests and the bytes the outputs charged of one resource.
pub(crate) type ChargedSink<'s> = dyn FnMut(&ResourceKey, Vec<Value>, usize) -> Result<()> + 's;

/// Provisions the resources `keys` of `input.graph` (in graph order) into `resources`, which
/// hold every other resource they may need, as [`provision_all`] does, handing each one's
/// manifests and output charge to `emit`: the seam of [`crate::session`], which provisions
/// the resources an added workload brings. The drivers see `workloads` (`input.workloads`
/// is not read). Secrets are registered in `registry`. The caller
/// puts the keys in `resources.order`, or takes their states out again.
pub(crate) fn provision_some(
    input: &ResolveInput<'_>,
    workloads: &[&WorkloadInput],
    registry: &std::sync::Arc<SecretRegistry>,
    resources: &mut Resources,
    keys: &[&ResourceNode],
    emit: &mut ChargedSink<'_>,
) -> Result<()> {
    let kept = std::mem::replace(
        &mut resources.state.registry,
        std::sync::Arc::clone(registry),
    );
    let services = Services::of_workloads(workloads.iter().copied());
    let by_name = by_name(workloads.iter().copied());
    let maker = Maker {
        input,
        by_name: &by_name,
        services: &services,
    };
    let mut provisioned = || {
        for resource in keys {
            let state = &mut resources.state;
            let made = maker.make(resource, state, &state.registry)?;
            let (manifests, charged) = maker.commit(resource, made, state)?;
            emit(&resource.key, manifests, charged)?;
        }
        Ok(())
    };
    let result = provisioned();
    resources.state.registry = kept;
    result
}

impl Resources {
    /// Puts `state` as the state of `key` (or takes it out with `None`), giving back what was
    /// there: how a session edits the resources of its plan.
    pub fn swap(
        &mut self,
        key: &ResourceKey,
        state: Option<ResourceState>,
    ) -> Option<ResourceState> {
        match state {
            Some(state) => self.state.resources.insert(key.clone(), state),
            None => self.state.resources.remove(key),
        }
    }

    /// The plan's secret registry (every value registered while it was provisioned).
    pub fn registry(&self) -> &std::sync::Arc<SecretRegistry> {
        &self.state.registry
    }

    /// Replaces the plan's secret registry.
    pub fn set_registry(&mut self, registry: std::sync::Arc<SecretRegistry>) {
        self.state.registry = registry;
    }
}

/// The workloads in the order a plan resolves them: by name.
pub(crate) fn by_name_order(workloads: &[WorkloadInput]) -> Vec<&WorkloadInput> {
    let mut workloads: Vec<&WorkloadInput> = workloads.iter().collect();
    workloads.sort_by(|a, b| a.workload.metadata.name.cmp(&b.workload.metadata.name));
    workloads
}

/// Resolves one workload of `input` against `resources`, its values asked of `meter`'s
/// budget: the workload resolved and the Secrets its files need. Errors are not yet placed in
/// the workload's file ([`in_file`]).
pub(crate) fn resolve_one(
    input: &ResolveInput<'_>,
    resources: &Resources,
    w: &WorkloadInput,
    meter: &Meter,
) -> Result<(ResolvedWorkload, Vec<Value>)> {
    let scope = WorkloadScope::new(&w.workload, &resources.state, meter);
    let linked = linked_from(input.graph, &w.workload.metadata.name);
    let resolution = workload::resolve_workload(&scope, w.folder.as_deref(), input.image, linked)?;
    Ok((resolution.resolved, resolution.secrets))
}

/// `error` about workload `w`, placed in its Score file (if it has one): what resolving or
/// rendering it finds wrong.
pub(crate) fn in_file(w: &WorkloadInput, error: Error) -> Error {
    match &w.file {
        Some(file) => error.in_file(file),
        None => error,
    }
}

/// The workloads as the environment objects need them (names, ports, links, routes), before
/// any of them is resolved.
pub(crate) fn workload_outlines(input: &ResolveInput<'_>) -> Vec<ResolvedWorkload> {
    let mut outlines: Vec<ResolvedWorkload> = input
        .workloads
        .iter()
        .map(|w| ResolvedWorkload {
            workload: w.workload.clone(),
            containers: std::collections::BTreeMap::new(),
            linked_from: linked_from(input.graph, &w.workload.metadata.name),
            routed: w
                .workload
                .resources
                .values()
                .any(|r| r.resource_type == "route"),
        })
        .collect();
    outlines.sort_by(|a, b| a.workload.metadata.name.cmp(&b.workload.metadata.name));
    outlines
}

/// The workloads by name: resources look up the workload that requests them.
fn by_name<'w>(
    workloads: impl Iterator<Item = &'w WorkloadInput>,
) -> HashMap<&'w str, &'w WorkloadInput> {
    workloads
        .map(|w| (w.workload.metadata.name.as_str(), w))
        .collect()
}

/// What provisioning needs besides the state: the plan's input, its workloads by name and the
/// services the drivers see.
pub(super) struct Maker<'m> {
    input: &'m ResolveInput<'m>,
    by_name: &'m HashMap<&'m str, &'m WorkloadInput>,
    services: &'m Services,
}

/// A resource provisioned, before any of it reaches the plan.
pub(super) struct Made {
    /// What its outputs charge the plan (`None` for a definition that does nothing).
    charge: Option<usize>,
    recorded: state::Recorded,
    record: Option<crate::drivers::DriverRecord>,
}

impl Maker<'_> {
    /// Provisions `node` against `state`, registering its definition's secret inputs in
    /// `registry`: everything that depends on the resource alone, checks of the driver's
    /// result included (any thread may do it).
    fn make(&self, node: &ResourceNode, state: &State, registry: &SecretRegistry) -> Result<Made> {
        let input = self.input;
        let definition = &input.platform.definitions()[node.definition];
        if crate::patches::does_nothing(definition) {
            // No driver runs for it (a host that replaces `template` never sees it).
            let recorded = state::Recorded::new(&node.key, &node.guid, Default::default());
            return Ok(Made {
                charge: None,
                recorded,
                record: None,
            });
        }
        let params = resolve_params(input, self.by_name, node, state)?;
        let source = match &node.params_origin {
            ParamsOrigin::Workload(w) => Some(w.as_str()),
            _ => node.requested_by.iter().next().map(|(w, _)| w.as_str()),
        };
        let workload = crate::patches::workload_context(self.by_name, &node.key)?;
        let resolver = DefinitionResolver {
            key: &node.key,
            guid: &node.guid,
            context: input.context,
            params: &params,
            graph: input.graph,
            state,
            max_value_bytes: input.meter.limits().max_value_bytes,
            workload: workload.as_ref(),
        };
        let request = ProvisionRequest {
            key: &node.key,
            guid: &node.guid,
            context: input.context,
            definition,
            params: &params,
            seed: input.seed,
            resolver: &resolver,
            workloads: self.services,
            source,
            workload: workload.as_ref(),
            state: input.effects.state_of(&node.key),
            folder: input.platform.definition_folder(&definition.name),
        };
        register_secret_inputs(&request, registry)
            .map_err(|e| in_resource(e, node, &definition.name))?;
        let (provisioned, record, charge) = input
            .effects
            .provision(input.drivers, &request)
            .and_then(|(p, r)| input.meter.measure(&p).map(|bytes| (p, r, bytes)))
            .map_err(|e| in_resource(e, node, &definition.name))?;
        Ok(Made {
            charge: Some(charge),
            recorded: state::Recorded::new(&node.key, &node.guid, provisioned),
            record,
        })
    }

    /// Puts what [`Maker::make`] made of `node` in the plan, in graph order: its outputs
    /// charged to the budget, its state recorded and its secrets registered. Gives its
    /// manifests and the bytes charged.
    fn commit(
        &self,
        node: &ResourceNode,
        mut made: Made,
        state: &mut State,
    ) -> Result<(Vec<Value>, usize)> {
        let charged = made.charge.unwrap_or(0);
        if let Some(bytes) = made.charge {
            self.input
                .meter
                .charge(bytes, "the outputs of a resource")
                .map_err(|e| {
                    let definition = &self.input.platform.definitions()[node.definition];
                    in_resource(e, node, &definition.name)
                })?;
        }
        let manifests = std::mem::take(&mut made.recorded.state.manifests);
        state.insert(&node.key, made.recorded);
        if let Some(record) = made.record {
            state.keep_driver_record(&node.key, record);
        }
        Ok((manifests, charged))
    }

    /// Whether `node` may be provisioned on any thread: its definition does nothing or its
    /// driver says it may ([`crate::drivers::Driver::runs_anywhere`]).
    fn runs_anywhere(&self, node: &ResourceNode) -> bool {
        let definition = &self.input.platform.definitions()[node.definition];
        crate::patches::does_nothing(definition)
            || self.input.drivers.runs_anywhere(&definition.spec.driver)
    }
}

/// Registers the literal secret inputs of the request's definition, whatever its driver does
/// with them (a host driver receives them as plain text).
fn register_secret_inputs(request: &ProvisionRequest<'_>, registry: &SecretRegistry) -> Result<()> {
    let secrets = &request.definition.spec.inputs.secrets;
    if !secrets.values().any(|s| matches!(s, SecretInput::Value(_))) {
        return Ok(());
    }
    let inputs = resolve_inputs(request)
        .map_err(|e| crate::drivers::in_definition(request.definition, e))?;
    registry.register_inputs(request.key, inputs.secrets.values());
    Ok(())
}

/// The params of a resource with their placeholders resolved in the context they were written
/// in: the requesting workload's (errors then name its file and the path in it), or the
/// co-provisioned resource's own.
fn resolve_params(
    input: &ResolveInput<'_>,
    by_name: &HashMap<&str, &WorkloadInput>,
    node: &ResourceNode,
    state: &State,
) -> Result<Map<String, Value>> {
    if !node.params.values().any(holds_dollar) {
        // Substitution would give every value back as it is: skip building its scope.
        return Ok(node.params.clone());
    }
    let entries = node.params.iter();
    let resolved = match &node.params_origin {
        ParamsOrigin::None => return Ok(node.params.clone()),
        ParamsOrigin::Workload(name) => {
            let Some(w) = by_name.get(name.as_str()) else {
                return Ok(node.params.clone());
            };
            let local = node.requested_by.iter().find(|(by, _)| by == name);
            let local = local.map_or_else(|| node.key.to_string(), |(_, local)| local.clone());
            let path = DocPath::root().key("resources").key(local).key("params");
            let scope = WorkloadScope::new(&w.workload, state, input.meter);
            let resolved = substitute_map(entries, &scope, &path);
            match &w.file {
                Some(file) => resolved.map_err(|e| e.in_file(file)),
                None => resolved,
            }
        }
        ParamsOrigin::Provision(_) => {
            let empty = Map::new();
            let resolver = DefinitionResolver {
                key: &node.key,
                guid: &node.guid,
                context: input.context,
                params: &empty,
                graph: input.graph,
                state,
                max_value_bytes: input.meter.limits().max_value_bytes,
                workload: None,
            };
            substitute_map(entries, &resolver, &DocPath::root().key("params"))
        }
    };
    resolved.map_err(|e| e.about(&format!("resource `{}`: params", node.key)))
}

/// Whether a string inside `value` holds a `$` (a placeholder, or an escaped `$$`).
fn holds_dollar(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('$'),
        Value::Array(items) => items.iter().any(holds_dollar),
        Value::Object(map) => map.values().any(holds_dollar),
        _ => false,
    }
}

fn in_resource(error: Error, node: &ResourceNode, definition: &str) -> Error {
    let mut diagnostics = error.into_diagnostics();
    for d in &mut diagnostics {
        if !d.message.contains(&node.key.to_string()) {
            d.message = format!(
                "resource `{}` (definition `{definition}`): {}",
                node.key, d.message
            );
        }
    }
    Error::from_diagnostics(diagnostics)
        .unwrap_or_else(|| Error::new(ErrorKind::Driver, Location::default(), "driver failed"))
}

/// The workloads that link to `name`.
fn linked_from(graph: &ResourceGraph, name: &str) -> BTreeSet<String> {
    graph
        .dependents(&NodeName::Workload(name.to_owned()))
        .into_iter()
        .filter_map(|n| match n {
            NodeName::Workload(w) => Some(w),
            NodeName::Resource(_) => None,
        })
        .collect()
}
