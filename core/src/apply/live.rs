//! What the cluster holds for each planned object.

use kube::api::DynamicObject;
use serde::Serialize;
use serde_json::Value;

use super::applyset::ApplySet;
use super::discovery::Discovery;
use super::object::{ObjectId, apply_order};
use super::report::{Step, failure};
use crate::plan::Plan;
use crate::{Error, ErrorKind, Location, Result};

/// A planned object beside its live state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveObject {
    /// The object, with the namespace it lives in.
    pub id: ObjectId,
    /// The manifest goldpath would apply (with the ApplySet label).
    pub planned: Value,
    /// The object in the cluster; `None` when it does not exist.
    pub live: Option<Value>,
}

/// Fetches the live state of every object of `plan`, in apply order.
///
/// # Errors
/// A kind the cluster does not serve, or a read the API server refuses
/// ([`ErrorKind::Cluster`]).
pub async fn live_objects(client: &kube::Client, plan: &Plan) -> Result<Vec<LiveObject>> {
    let namespace = plan
        .namespace()
        .unwrap_or(client.default_namespace())
        .to_owned();
    let set = ApplySet::new(plan.context(), &namespace);
    let mut discovery = Discovery::new(client.clone());
    let mut out = Vec::new();
    for index in apply_order(plan.manifests()) {
        let mut planned = plan.manifests()[index].clone();
        set.label_member(&mut planned);
        let id = planned_id(&planned)?;
        let (api, ns) = discovery
            .api_for(&id)
            .await
            .map_err(|e| cluster_error(&id, Step::Discover, &e))?;
        let live = fetch(&api, &id.name)
            .await
            .map_err(|e| cluster_error(&id, Step::Read, &e))?;
        out.push(LiveObject {
            id: ObjectId {
                namespace: ns,
                ..id
            },
            planned,
            live,
        });
    }
    Ok(out)
}

/// GETs an object; `None` on 404.
pub(crate) async fn fetch(
    api: &kube::Api<DynamicObject>,
    name: &str,
) -> kube::Result<Option<Value>> {
    match api.get_opt(name).await? {
        Some(object) => Ok(Some(
            serde_json::to_value(object).map_err(kube::Error::SerdeError)?,
        )),
        None => Ok(None),
    }
}

/// The identity of a planned manifest, which the planner always gives one.
pub(crate) fn planned_id(object: &Value) -> Result<ObjectId> {
    ObjectId::of(object).ok_or_else(|| {
        Error::new(
            ErrorKind::Invalid,
            Location::default(),
            "a planned object has no apiVersion, kind or metadata.name",
        )
    })
}

fn cluster_error(id: &ObjectId, step: Step, error: &kube::Error) -> Error {
    Error::new(
        ErrorKind::Cluster,
        Location::default(),
        failure(id, step, error).to_string(),
    )
}
