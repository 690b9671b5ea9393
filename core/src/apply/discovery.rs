//! Finding the API resource of a kind by discovery, one request per group-version per run.

use std::collections::HashMap;

use kube::Client;
use kube::api::{Api, DynamicObject};
use kube::core::GroupVersion;
use kube::discovery::{self, ApiCapabilities, ApiGroup, ApiResource, Scope};

use super::object::ObjectId;

/// The API resources found so far in this run, by `apiVersion`.
pub(crate) struct Discovery {
    client: Client,
    groups: HashMap<String, ApiGroup>,
}

/// Where an object lives: its API resource and whether it is namespaced.
pub(crate) struct Resolved {
    pub resource: ApiResource,
    pub namespaced: bool,
}

impl Discovery {
    pub(crate) fn new(client: Client) -> Self {
        Self {
            client,
            groups: HashMap::new(),
        }
    }

    /// The API resource serving `kind` in `api_version`.
    pub(crate) async fn resolve(
        &mut self,
        api_version: &str,
        kind: &str,
    ) -> kube::Result<Resolved> {
        if !self.groups.contains_key(api_version) {
            let gv: GroupVersion = api_version.parse().map_err(|e| {
                kube::Error::Discovery(kube::error::DiscoveryError::InvalidGroupVersion(format!(
                    "{api_version}: {e}"
                )))
            })?;
            let group = discovery::pinned_group(&self.client, &gv).await?;
            self.groups.insert(api_version.to_owned(), group);
        }
        let group = &self.groups[api_version];
        let (resource, capabilities): (ApiResource, ApiCapabilities) =
            group.recommended_kind(kind).ok_or_else(|| {
                kube::Error::Discovery(kube::error::DiscoveryError::MissingKind(format!(
                    "{kind} in {api_version}"
                )))
            })?;
        Ok(Resolved {
            resource,
            namespaced: capabilities.scope == Scope::Namespaced,
        })
    }

    /// The API resource of a group-kind (`Deployment.apps`) whatever its version: one of the
    /// versions already discovered in this run when it serves the kind, else the group's
    /// recommended version, found by discovery.
    pub(crate) async fn resolve_group_kind(&mut self, group_kind: &str) -> kube::Result<Resolved> {
        let (kind, group) = group_kind.split_once('.').unwrap_or((group_kind, ""));
        let known = self
            .groups
            .iter()
            .find(|(_, found)| found.name() == group && found.recommended_kind(kind).is_some());
        if let Some((api_version, _)) = known {
            let api_version = api_version.clone();
            return self.resolve(&api_version, kind).await;
        }
        let found = discovery::group(&self.client, group).await?;
        let (resource, capabilities) = found.recommended_kind(kind).ok_or_else(|| {
            kube::Error::Discovery(kube::error::DiscoveryError::MissingKind(
                group_kind.to_owned(),
            ))
        })?;
        self.groups.insert(resource.api_version.clone(), found);
        Ok(Resolved {
            resource,
            namespaced: capabilities.scope == Scope::Namespaced,
        })
    }

    /// The dynamic API of an object: namespaced in its namespace (or the client's default),
    /// or cluster-wide.
    pub(crate) async fn api_for(
        &mut self,
        id: &ObjectId,
    ) -> kube::Result<(Api<DynamicObject>, Option<String>)> {
        let resolved = self.resolve(&id.api_version, &id.kind).await?;
        Ok(self.api(&resolved, id.namespace.as_deref()))
    }

    /// The dynamic API of a resolved resource in `namespace` (the client's default when
    /// `None`), or cluster-wide; with the namespace used.
    pub(crate) fn api(
        &self,
        resolved: &Resolved,
        namespace: Option<&str>,
    ) -> (Api<DynamicObject>, Option<String>) {
        if resolved.namespaced {
            let ns = namespace.unwrap_or(self.client.default_namespace());
            (
                Api::namespaced_with(self.client.clone(), ns, &resolved.resource),
                Some(ns.to_owned()),
            )
        } else {
            (Api::all_with(self.client.clone(), &resolved.resource), None)
        }
    }
}
