//! Building the entities of a plan.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::names::{EntityRef, entity_name};
use super::{API_VERSION, CatalogOptions, OWNER_ANNOTATIONS};
use crate::graph::{Node, NodeName, ResourceNode};
use crate::plan::Plan;
use crate::resolve::WorkloadInput;
use crate::spec::score::Workload;
use crate::{DocPath, Error, ErrorKind, Location, ResourceKey, Result};

/// Resource types that link workloads rather than provision something.
const LINK_TYPES: [&str; 2] = ["service", "service-port"];

/// The Backstage entities that describe `plan` (see the [module](super) docs).
///
/// # Errors
/// An [`ErrorKind::Invalid`] error when the namespace, the default owner, a workload's owner
/// annotation or the application id breaks Backstage's rules.
pub fn entities(plan: &Plan, options: &CatalogOptions) -> Result<Vec<Value>> {
    let catalog = Catalog::new(plan, options)?;
    let mut out = vec![catalog.system()];
    let workloads: BTreeMap<&str, &WorkloadInput> = plan
        .workloads()
        .iter()
        .map(|w| (w.workload.metadata.name.as_str(), w))
        .collect();
    for input in workloads.values() {
        out.push(catalog.component(input)?);
    }
    out.extend(workloads.values().filter_map(|w| catalog.api(&w.workload)));
    let mut resources: Vec<(String, Value)> = plan
        .graph()
        .ordered()
        .filter_map(|node| match node {
            Node::Resource(r) if !is_link(&r.key) => Some(r),
            _ => None,
        })
        .map(|r| {
            catalog
                .resource(r)
                .map(|v| (catalog.resource_name(&r.key), v))
        })
        .collect::<Result<_>>()?;
    resources.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(resources.into_iter().map(|(_, v)| v));
    Ok(out)
}

/// Resources that are no Backstage Resource: the links between workloads, and the workload's
/// own `workload#NAME` resource (the workload is its Component).
fn is_link(key: &ResourceKey) -> bool {
    LINK_TYPES.contains(&key.resource_type()) || key.resource_type() == crate::graph::WORKLOAD_TYPE
}

fn invalid(location: Location, message: String) -> Error {
    Error::new(ErrorKind::Invalid, location, message)
}

/// What every entity of one plan shares.
struct Catalog<'a> {
    plan: &'a Plan,
    options: &'a CatalogOptions,
    system: EntityRef,
    owner: EntityRef,
}

impl<'a> Catalog<'a> {
    fn new(plan: &'a Plan, options: &'a CatalogOptions) -> Result<Self> {
        let app = &plan.context().app;
        let system = EntityRef::new("system", &options.namespace, &entity_name(app))
            .map_err(|m| invalid(Location::default(), format!("catalog namespace: {m}")))?;
        let owner = EntityRef::parse(&options.owner, "group", &options.namespace)
            .map_err(|m| invalid(Location::default(), format!("catalog owner: {m}")))?;
        Ok(Self {
            plan,
            options,
            system,
            owner,
        })
    }

    fn reference(&self, kind: &str, name: &str) -> String {
        format!("{kind}:{}/{name}", self.options.namespace)
    }

    fn metadata(&self, name: &str) -> Value {
        json!({"name": name, "namespace": self.options.namespace})
    }

    fn system(&self) -> Value {
        json!({
            "apiVersion": API_VERSION, "kind": "System",
            "metadata": self.metadata(self.system.name()),
            "spec": {"owner": self.owner.to_string()},
        })
    }

    /// The owner of a workload: its annotation, else the default owner.
    fn owner_of(&self, input: &WorkloadInput) -> Result<EntityRef> {
        let annotations = &input.workload.metadata.annotations;
        let Some((key, text)) = OWNER_ANNOTATIONS
            .iter()
            .find_map(|k| annotations.get(*k).map(|v| (*k, v)))
        else {
            return Ok(self.owner.clone());
        };
        EntityRef::parse(text, "group", &self.options.namespace).map_err(|m| {
            let path = DocPath::root().key("metadata").key("annotations").key(key);
            let location = Location {
                file: input.file.clone(),
                ..Location::default()
            }
            .with_path(path);
            invalid(
                location,
                format!("the owner is not an entity reference: {m}"),
            )
        })
    }

    fn component(&self, input: &WorkloadInput) -> Result<Value> {
        let name = &input.workload.metadata.name;
        let mut depends = BTreeSet::new();
        let mut consumes = BTreeSet::new();
        let node = NodeName::Workload(name.clone());
        for dependency in self.plan.graph().dependencies(&node) {
            match dependency {
                NodeName::Workload(other) => {
                    depends.insert(self.reference("component", &entity_name(&other)));
                    if let Some(api) = self.api_name_of(&other) {
                        consumes.insert(self.reference("api", &api));
                    }
                }
                NodeName::Resource(key) if !is_link(&key) => {
                    depends.insert(self.reference("resource", &self.resource_name(&key)));
                }
                NodeName::Resource(_) => {}
            }
        }
        let mut spec = Map::new();
        let type_ = if crate::render::k8s::runs_to_completion(&input.workload) {
            "job"
        } else {
            "service"
        };
        spec.insert("type".into(), type_.into());
        spec.insert("lifecycle".into(), self.options.lifecycle.clone().into());
        spec.insert("owner".into(), self.owner_of(input)?.to_string().into());
        spec.insert("system".into(), self.system.to_string().into());
        insert_list(&mut spec, "dependsOn", depends);
        insert_list(&mut spec, "consumesApis", consumes);
        if let Some(api) = self.api_name_of(name) {
            insert_list(&mut spec, "providesApis", [self.reference("api", &api)]);
        }
        Ok(json!({
            "apiVersion": API_VERSION, "kind": "Component",
            "metadata": self.metadata(&entity_name(name)), "spec": spec,
        }))
    }

    /// The API entity name of a workload that serves ports.
    fn api_name_of(&self, workload: &str) -> Option<String> {
        let served = self.plan.workloads().iter().any(|w| {
            w.workload.metadata.name == workload
                && w.workload
                    .service
                    .as_ref()
                    .is_some_and(|s| !s.ports.is_empty())
        });
        served.then(|| entity_name(&format!("{workload}-api")))
    }

    fn api(&self, workload: &Workload) -> Option<Value> {
        let name = self.api_name_of(&workload.metadata.name)?;
        let owner = self
            .plan
            .workloads()
            .iter()
            .find(|w| w.workload.metadata.name == workload.metadata.name)
            .and_then(|w| self.owner_of(w).ok())
            .unwrap_or_else(|| self.owner.clone());
        let definition = json!({
            "service": workload.metadata.name,
            "ports": workload.service.as_ref().map(|s| &s.ports),
        });
        Some(json!({
            "apiVersion": API_VERSION, "kind": "API",
            "metadata": self.metadata(&name),
            "spec": {
                "type": "kubernetes-service", "lifecycle": self.options.lifecycle,
                "owner": owner.to_string(), "system": self.system.to_string(),
                "definition": crate::render::yaml::to_string(&definition),
            },
        }))
    }

    /// The entity name of a resource: `TYPE-CLASS-ID`.
    fn resource_name(&self, key: &ResourceKey) -> String {
        let id = key.id().unwrap_or_default();
        entity_name(&format!("{}-{}-{id}", key.resource_type(), key.class()))
    }

    fn resource(&self, node: &ResourceNode) -> Result<Value> {
        let requester = node.requested_by.iter().next().and_then(|(workload, _)| {
            self.plan
                .workloads()
                .iter()
                .find(|w| &w.workload.metadata.name == workload)
        });
        let owner = match requester {
            Some(input) => self.owner_of(input)?,
            None => self.owner.clone(),
        };
        let depends: BTreeSet<String> = self
            .plan
            .graph()
            .dependencies(&NodeName::Resource(node.key.clone()))
            .into_iter()
            .filter_map(|d| match d {
                NodeName::Resource(key) if !is_link(&key) => {
                    Some(self.reference("resource", &self.resource_name(&key)))
                }
                _ => None,
            })
            .collect();
        let mut spec = Map::new();
        spec.insert("type".into(), node.key.resource_type().into());
        spec.insert("class".into(), node.key.class().into());
        spec.insert("owner".into(), owner.to_string().into());
        spec.insert("system".into(), self.system.to_string().into());
        insert_list(&mut spec, "dependsOn", depends);
        Ok(json!({
            "apiVersion": API_VERSION, "kind": "Resource",
            "metadata": self.metadata(&self.resource_name(&node.key)), "spec": spec,
        }))
    }
}

fn insert_list(spec: &mut Map<String, Value>, key: &str, items: impl IntoIterator<Item = String>) {
    let items: Vec<Value> = items.into_iter().map(Value::from).collect();
    if !items.is_empty() {
        spec.insert(key.to_owned(), Value::Array(items));
    }
}
