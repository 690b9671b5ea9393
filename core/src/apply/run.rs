//! One apply run: the steps in order, each stopping the run at its first failure.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Secret;
use kube::api::{
    ApiResource, DeleteParams, DynamicObject, Patch, PatchParams, Preconditions, PropagationPolicy,
};
use kube::{Api, Client};
use serde_json::Value;

use super::applyset::{ApplySet, Recorded};
use super::discovery::Discovery;
use super::live::fetch;
use super::object::{ObjectId, apply_order, sort_for_pruning};
use super::prune::{self, Candidate};
use super::report::{ApplyReport, Change, ChangeAction, Failure, Kept, Step, conflicts, failure};
use super::{ApplyOptions, FIELD_MANAGER, changes, rollout};
use crate::plan::Plan;

/// Kinds pruning never deletes: losing them loses data.
const NEVER_PRUNED: &[&str] = &["Namespace", "PersistentVolumeClaim"];

pub(crate) struct Run<'a> {
    client: &'a Client,
    plan: &'a Plan,
    options: &'a ApplyOptions,
    discovery: Discovery,
    set: ApplySet,
    report: ApplyReport,
    /// The planned objects met so far, with the namespaces they live in.
    members: Vec<ObjectId>,
    /// In a dry run: the namespaces that would be created (objects in them cannot be checked).
    created_namespaces: BTreeSet<String>,
}

impl<'a> Run<'a> {
    pub(crate) fn new(client: &'a Client, plan: &'a Plan, options: &'a ApplyOptions) -> Self {
        let namespace = plan.namespace().unwrap_or(client.default_namespace());
        let set = ApplySet::new(plan.context(), namespace);
        let report = ApplyReport {
            applyset: set.id.clone(),
            dry_run: options.dry_run,
            ..ApplyReport::default()
        };
        Self {
            client,
            plan,
            options,
            discovery: Discovery::new(client.clone()),
            set,
            report,
            members: Vec::new(),
            created_namespaces: BTreeSet::new(),
        }
    }

    pub(crate) async fn go(mut self) -> ApplyReport {
        if let Err(failed) = self.steps().await {
            self.report.failed = Some(failed);
        }
        self.report
    }

    async fn steps(&mut self) -> Result<(), Failure> {
        let recorded = self.read_parent().await?;
        let objects = self.labelled_objects();
        let first = objects
            .iter()
            .take_while(|o| {
                matches!(
                    o["kind"].as_str(),
                    Some("Namespace" | "CustomResourceDefinition")
                )
            })
            .count();
        for object in &objects[..first] {
            self.apply_object(object).await?;
        }
        let (kinds, namespaces) = self.planned_scope(&objects);
        let all_kinds = &recorded.group_kinds | &kinds;
        let all_namespaces = &recorded.namespaces | &namespaces;
        self.apply_parent(&all_kinds, &all_namespaces).await?;
        for object in &objects[first..] {
            self.apply_object(object).await?;
        }
        if let (Some(timeout), false) = (self.options.wait, self.options.dry_run) {
            self.wait(timeout).await?;
        }
        if self.options.prune {
            let kept = self.prune(&all_kinds, &all_namespaces).await?;
            let kinds = &kinds | &kept.iter().map(ObjectId::group_kind).collect();
            let namespaces =
                &namespaces | &kept.iter().filter_map(|k| k.namespace.clone()).collect();
            self.apply_parent(&kinds, &namespaces).await?;
        }
        Ok(())
    }

    /// The plan's objects in apply order, each with the set's label.
    fn labelled_objects(&self) -> Vec<Value> {
        apply_order(self.plan.manifests())
            .into_iter()
            .map(|i| {
                let mut object = self.plan.manifests()[i].clone();
                self.set.label_member(&mut object);
                object
            })
            .collect()
    }

    /// The group-kinds of the plan, and its namespaces (the parent's included).
    fn planned_scope(&self, objects: &[Value]) -> (BTreeSet<String>, BTreeSet<String>) {
        let ids: Vec<ObjectId> = objects.iter().filter_map(ObjectId::of).collect();
        let mut namespaces: BTreeSet<String> =
            ids.iter().filter_map(|id| id.namespace.clone()).collect();
        namespaces.insert(self.set.parent_namespace.clone());
        (ids.iter().map(ObjectId::group_kind).collect(), namespaces)
    }

    fn parent_api(&self) -> Api<DynamicObject> {
        let resource = ApiResource::erase::<Secret>(&());
        Api::namespaced_with(self.client.clone(), &self.set.parent_namespace, &resource)
    }

    fn parent_id(&self) -> ObjectId {
        ObjectId {
            api_version: "v1".into(),
            kind: "Secret".into(),
            namespace: Some(self.set.parent_namespace.clone()),
            name: self.set.parent_name.clone(),
        }
    }

    /// What the parent in the cluster records; refuses a set another tool manages.
    async fn read_parent(&self) -> Result<Recorded, Failure> {
        let id = self.parent_id();
        let live = fetch(&self.parent_api(), &id.name)
            .await
            .map_err(|e| failure(&id, Step::Read, &e))?;
        let recorded = live
            .map(|p| Recorded::read(&p, &self.set.parent_namespace))
            .unwrap_or_default();
        if recorded.is_goldpaths() {
            return Ok(recorded);
        }
        Err(Failure {
            object: id,
            step: Step::Read,
            code: None,
            message: format!(
                "the ApplySet parent is managed by `{}`; goldpath does not touch another tool's set",
                recorded.tooling.unwrap_or_default()
            ),
            condition: None,
        })
    }

    async fn apply_parent(
        &mut self,
        kinds: &BTreeSet<String>,
        namespaces: &BTreeSet<String>,
    ) -> Result<(), Failure> {
        if self.created_namespaces.contains(&self.set.parent_namespace) {
            return Ok(());
        }
        let parent = self.set.parent(kinds, namespaces);
        // The parent is goldpath's alone (the tooling annotation was checked): always forced.
        let params = PatchParams {
            force: true,
            ..self.patch_params()
        };
        self.parent_api()
            .patch(&self.set.parent_name, &params, &Patch::Apply(&parent))
            .await
            .map_err(|e| failure(&self.parent_id(), Step::Apply, &e))?;
        Ok(())
    }

    fn patch_params(&self) -> PatchParams {
        let mut params = PatchParams::apply(FIELD_MANAGER);
        params.force = self.options.force_conflicts;
        params.dry_run = self.options.dry_run;
        params
    }

    async fn apply_object(&mut self, object: &Value) -> Result<(), Failure> {
        let Some(id) = ObjectId::of(object) else {
            return Err(Failure {
                object: ObjectId::partial(object),
                step: Step::Apply,
                code: None,
                message: "a planned object has no apiVersion, kind or metadata.name".into(),
                condition: None,
            });
        };
        let (api, namespace) = self
            .discovery
            .api_for(&id)
            .await
            .map_err(|e| failure(&id, Step::Discover, &e))?;
        let id = ObjectId { namespace, ..id };
        self.members.push(id.clone());
        if self.options.dry_run {
            return self.dry_run(&api, &id, object).await;
        }
        match api
            .patch(&id.name, &self.patch_params(), &Patch::Apply(object))
            .await
        {
            Ok(_) => {
                self.report.applied.push(id);
                Ok(())
            }
            Err(e) => Err(self.apply_failed(&id, &e)),
        }
    }

    fn apply_failed(&mut self, id: &ObjectId, error: &kube::Error) -> Failure {
        self.report.conflicts.extend(conflicts(id, error));
        failure(id, Step::Apply, error)
    }

    /// A dry-run apply, compared with the live object.
    async fn dry_run(
        &mut self,
        api: &Api<DynamicObject>,
        id: &ObjectId,
        object: &Value,
    ) -> Result<(), Failure> {
        if id
            .namespace
            .as_ref()
            .is_some_and(|ns| self.created_namespaces.contains(ns))
        {
            self.report.changes.push(Change {
                object: id.clone(),
                action: ChangeAction::Create,
                fields: Vec::new(),
            });
            return Ok(());
        }
        let live = fetch(api, &id.name)
            .await
            .map_err(|e| failure(id, Step::Read, &e))?;
        let answer = api
            .patch(&id.name, &self.patch_params(), &Patch::Apply(object))
            .await
            .map_err(|e| self.apply_failed(id, &e))?;
        let after = serde_json::to_value(answer).unwrap_or(Value::Null);
        let change = changes::change(id, live.as_ref(), &after);
        if id.kind == "Namespace" && change.action == ChangeAction::Create {
            self.created_namespaces.insert(id.name.clone());
        }
        self.report.changes.push(change);
        self.report.applied.push(id.clone());
        Ok(())
    }

    async fn wait(&mut self, timeout: std::time::Duration) -> Result<(), Failure> {
        let workloads: Vec<(ObjectId, String)> = self
            .members
            .iter()
            .filter(|id| rollout::is_waitable(id))
            .filter_map(|id| Some((id.clone(), id.namespace.clone()?)))
            .collect();
        let poll = self.options.poll_interval;
        rollout::wait(self.client, &workloads, timeout, poll)
            .await
            .map_err(|(id, outcome)| match outcome {
                Ok((message, condition)) => Failure {
                    object: id,
                    step: Step::Wait,
                    code: None,
                    message,
                    condition,
                },
                Err(e) => failure(&id, Step::Wait, &e),
            })
    }

    /// Deletes the members no longer planned, in reverse apply order; returns those kept.
    async fn prune(
        &mut self,
        kinds: &BTreeSet<String>,
        namespaces: &BTreeSet<String>,
    ) -> Result<Vec<ObjectId>, Failure> {
        let scope = prune::Scope {
            set: &self.set,
            group_kinds: kinds,
            namespaces,
            planned: &self.members,
        };
        let found = prune::candidates(&mut self.discovery, &scope).await?;
        let (kept, mut doomed): (Vec<Candidate>, Vec<Candidate>) = found
            .into_iter()
            .partition(|(id, _)| NEVER_PRUNED.contains(&id.kind.as_str()));
        let mut order: Vec<ObjectId> = doomed.iter().map(|(id, _)| id.clone()).collect();
        sort_for_pruning(&mut order);
        for id in order {
            let at = doomed
                .iter()
                .position(|(d, _)| *d == id)
                .unwrap_or_default();
            let (id, uid) = doomed.swap_remove(at);
            self.delete(&id, uid).await?;
        }
        for (id, _) in &kept {
            self.report.kept.push(Kept {
                object: id.clone(),
                reason: format!(
                    "{} objects are never pruned: delete it yourself if it is no longer needed",
                    id.kind
                ),
            });
        }
        Ok(kept.into_iter().map(|(id, _)| id).collect())
    }

    async fn delete(&mut self, id: &ObjectId, uid: Option<String>) -> Result<(), Failure> {
        let (api, _) = self
            .discovery
            .api_for(id)
            .await
            .map_err(|e| failure(id, Step::Discover, &e))?;
        let params = DeleteParams {
            dry_run: self.options.dry_run,
            propagation_policy: Some(PropagationPolicy::Background),
            preconditions: uid.map(|uid| Preconditions {
                uid: Some(uid),
                resource_version: None,
            }),
            ..DeleteParams::default()
        };
        match api.delete(&id.name, &params).await {
            Ok(_) => {
                self.report.pruned.push(id.clone());
                Ok(())
            }
            Err(kube::Error::Api(status)) if status.code == 404 => Ok(()),
            Err(e) => Err(failure(id, Step::Delete, &e)),
        }
    }
}
