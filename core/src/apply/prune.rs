//! Finding the set's members that are no longer planned: listed by the set's label selector,
//! per recorded group-kind and namespace, so objects without the label are never seen.

use std::collections::BTreeSet;

use kube::api::ListParams;
use serde_json::Value;

use super::applyset::{ApplySet, PART_OF_LABEL};
use super::discovery::Discovery;
use super::object::ObjectId;
use super::report::{Failure, Step, failure};

/// A member to prune: the object and its uid (deleted with a precondition on it).
pub(crate) type Candidate = (ObjectId, Option<String>);

/// Where to look and what to leave.
pub(crate) struct Scope<'a> {
    pub set: &'a ApplySet,
    pub group_kinds: &'a BTreeSet<String>,
    pub namespaces: &'a BTreeSet<String>,
    pub planned: &'a [ObjectId],
}

/// The members of the set, in `scope`'s group-kinds and namespaces, that are not planned.
pub(crate) async fn candidates(
    discovery: &mut Discovery,
    scope: &Scope<'_>,
) -> Result<Vec<Candidate>, Failure> {
    let mut found = Vec::new();
    for group_kind in scope.group_kinds {
        let stand_in = |namespace: Option<&str>| ObjectId {
            api_version: String::new(),
            kind: group_kind.clone(),
            namespace: namespace.map(str::to_owned),
            name: "*".to_owned(),
        };
        let resolved = discovery
            .resolve_group_kind(group_kind)
            .await
            .map_err(|e| failure(&stand_in(None), Step::Discover, &e))?;
        let namespaces: Vec<Option<&str>> = if resolved.namespaced {
            scope
                .namespaces
                .iter()
                .map(|ns| Some(ns.as_str()))
                .collect()
        } else {
            vec![None]
        };
        for namespace in namespaces {
            let (api, _) = discovery.api(&resolved, namespace);
            let listed = api
                .list(&ListParams::default().labels(&scope.set.selector()))
                .await
                .map_err(|e| failure(&stand_in(namespace), Step::List, &e))?;
            for item in listed {
                let value = serde_json::to_value(&item).unwrap_or(Value::Null);
                let member = value
                    .pointer("/metadata/labels")
                    .and_then(|l| l.get(PART_OF_LABEL))
                    .and_then(Value::as_str)
                    == Some(scope.set.id.as_str());
                let id = ObjectId {
                    api_version: resolved.resource.api_version.clone(),
                    kind: resolved.resource.kind.clone(),
                    namespace: item.metadata.namespace.clone(),
                    name: item.metadata.name.clone().unwrap_or_default(),
                };
                if member && !scope.planned.iter().any(|p| p.same_object(&id)) {
                    found.push((id, item.metadata.uid.clone()));
                }
            }
        }
    }
    Ok(found)
}
