//! The operations on environments and their histories: deploy, rollback, promote, create
//! (optionally cloned), list and delete.

use serde::Serialize;

use super::diff::{ObjectDiff, diff_objects};
use super::guard::{Admitted, Guard, Write};
use super::record::{
    Deployment, DocumentChange, Draft, DraftMeta, Operation, PlatformDigest, check_timestamp,
};
use super::store::{Environment, History, Store};
use crate::plan::{Engine, Plan, PlanOptions};
use crate::rbac::{Action, Principal};
use crate::resolve::WorkloadInput;
use crate::{Error, ErrorKind, Location, Result};

/// Who acts, and when: what every operation that writes needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// When (RFC 3339); goldpath never reads the clock itself.
    pub at: String,
    /// Who; required when the platform has role bindings.
    pub principal: Option<Principal>,
}

impl Actor {
    /// An anonymous actor at `at` (enough while the platform has no role bindings).
    #[must_use]
    pub fn at(at: impl Into<String>) -> Self {
        Self {
            at: at.into(),
            principal: None,
        }
    }

    /// The same actor, as `principal`.
    #[must_use]
    pub fn by(mut self, principal: Principal) -> Self {
        self.principal = Some(principal);
        self
    }
}

/// An environment to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnvironment {
    /// The application.
    pub app: String,
    /// The environment's id.
    pub name: String,
    /// Its environment type.
    pub env_type: String,
    /// The environment whose latest workloads it starts from.
    pub clone_from: Option<String>,
    /// Short-lived (a preview or pull-request environment; otherwise ordinary).
    pub ephemeral: bool,
}

impl NewEnvironment {
    /// An environment `name` of `env_type` for `app`, empty and not ephemeral.
    #[must_use]
    pub fn new(
        app: impl Into<String>,
        name: impl Into<String>,
        env_type: impl Into<String>,
    ) -> Self {
        Self {
            app: app.into(),
            name: name.into(),
            env_type: env_type.into(),
            clone_from: None,
            ephemeral: false,
        }
    }

    /// The same, cloned from `env`'s latest record.
    #[must_use]
    pub fn cloned_from(mut self, env: impl Into<String>) -> Self {
        self.clone_from = Some(env.into());
        self
    }

    /// The same, marked ephemeral.
    #[must_use]
    pub fn ephemeral(mut self) -> Self {
        self.ephemeral = true;
        self
    }

    /// The environment this creates at `at`, before its namespace and creation id are set.
    pub(super) fn environment_at(&self, at: &str) -> Environment {
        Environment {
            app: self.app.clone(),
            name: self.name.clone(),
            env_type: self.env_type.clone(),
            ephemeral: self.ephemeral,
            cloned_from: self.clone_from.clone(),
            created_at: at.to_owned(),
            namespace: None,
            uid: None,
        }
    }
}

/// What a rollback did: the new record, and what the platform changed since the record
/// rolled back to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollback {
    /// The new record (its inputs are those of the target; its manifests are today's).
    pub record: Deployment,
    /// The platform documents that changed since the target was deployed (empty when the
    /// platform is unchanged, and then the manifests are the target's, byte for byte).
    pub platform_changes: Vec<DocumentChange>,
    /// How today's manifests differ from the target's.
    pub manifest_changes: Vec<ObjectDiff>,
}

impl Rollback {
    /// Whether the platform changed since the record rolled back to.
    #[must_use]
    pub fn platform_changed(&self) -> bool {
        !self.platform_changes.is_empty()
    }
}

/// Deployments of applications through an engine into a store.
///
/// ```
/// use goldpath::deploy::{Actor, Deployer, MemoryStore, NewEnvironment};
/// use goldpath::load::Loader;
/// use goldpath::plan::Engine;
/// use goldpath::platform::Platform;
/// use goldpath::resolve::WorkloadInput;
///
/// let platform = Platform::from_documents(Loader::default().str(
///     "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: development}\nspec: {}\n",
///     None,
/// ).unwrap().platform.into_iter().map(|l| l.document));
/// let engine = Engine::new(platform);
/// let store = MemoryStore::new();
/// let deployer = Deployer::new(&engine, &store);
/// let dev = NewEnvironment::new("shop", "dev", "development");
/// deployer.create_environment(&dev, &Actor::at("2026-11-23T10:00:00Z")).unwrap();
///
/// let score = Loader::default().score_str(
///     "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers: {main: {image: nginx:1.27}}\n",
///     None,
/// ).unwrap();
/// let workloads = [WorkloadInput::new(score)];
/// let first = deployer.deploy("shop", "dev", &workloads, &Actor::at("2026-11-23T10:00:00Z")).unwrap();
/// let second = deployer.deploy("shop", "dev", &workloads, &Actor::at("2026-11-23T11:00:00Z")).unwrap();
/// assert_eq!(second.inputs.parent.as_deref(), Some(first.id.as_str()));
/// assert!(goldpath::deploy::diff(&first, &second).objects.is_empty());
/// ```
pub struct Deployer<'a> {
    engine: &'a Engine,
    store: &'a dyn Store,
    options: PlanOptions,
}

impl<'a> Deployer<'a> {
    /// Deployments through `engine` into `store`, with default plan options.
    #[must_use]
    pub fn new(engine: &'a Engine, store: &'a dyn Store) -> Self {
        Self {
            engine,
            store,
            options: PlanOptions::default(),
        }
    }

    /// The same, with `options` for the plans of [`Deployer::deploy`] (rollbacks reuse the
    /// options recorded in the target; promotions keep the source's image only). A namespace
    /// option must be the environment's own namespace (docs/environments.md).
    #[must_use]
    pub fn with_options(mut self, options: PlanOptions) -> Self {
        self.options = options;
        self
    }

    /// Plans `workloads` in the environment and records the deployment.
    ///
    /// The environment must exist in the store, or be declared by an `Environment` document
    /// of the platform (it is then created with the declared type; the deploy brings the
    /// workloads, so the declaration's `from` is not cloned). The write is admitted as
    /// docs/environments.md says (type defined, declared type, namespace, access).
    ///
    /// # Errors
    /// The environment does not exist; it is refused or access is denied; the plan fails or a
    /// policy refuses it; the environment was deleted or re-created meanwhile; the store
    /// cannot write.
    pub fn deploy(
        &self,
        app: &str,
        env: &str,
        workloads: &[WorkloadInput],
        actor: &Actor,
    ) -> Result<Deployment> {
        let write = Write::planning(Action::Deploy, actor, &self.options);
        let admitted = self.guard().ensure(app, env, write, &|_| Ok(()))?;
        self.record(
            &admitted,
            workloads,
            &self.options,
            Operation::Deploy,
            actor,
        )
    }

    /// Records an already-made plan as a deployment of its context's environment: what a
    /// cluster apply records, so that the record holds the manifests that were applied.
    ///
    /// The checks are those of [`Deployer::deploy`], and the plan must belong to the
    /// environment: made with this deployer's platform, for the environment's type, in its
    /// namespace. The record keeps this deployer's options ([`Deployer::with_options`]).
    ///
    /// # Errors
    /// As [`Deployer::deploy`]; also a plan made with another platform, for another
    /// environment type or in another namespace than the environment's.
    pub fn record_plan(&self, plan: &Plan, actor: &Actor) -> Result<Deployment> {
        let context = plan.context();
        let write = Write::planning(Action::Deploy, actor, &self.options);
        let guard = self.guard();
        let check = |admitted: &Admitted| guard.check_plan(plan, admitted);
        let admitted = guard.ensure(&context.app, &context.env, write, &check)?;
        let previous = self.current(&context.app, &context.env);
        let record = self.append(plan, &admitted, &self.options, Operation::Deploy, actor)?;
        self.deprovision_removed(&admitted, previous.as_ref(), &record, &actor.at)?;
        Ok(record)
    }

    /// The engine whose plans record to environment `env` of `app`: it calls the drivers that
    /// act on the world, with the states of the environment's current record. What
    /// [`Deployer::record_plan`]'s plan must be made with (a cluster apply).
    #[must_use]
    pub fn recording_engine(&self, app: &str, env: &str) -> Engine {
        let previous = self.current(app, env);
        self.engine_after(previous.as_ref())
    }

    /// The engine of the previews of environment `env` of `app` (render, check, graph,
    /// explain, catalog, sessions): the drivers that act on the world are called only when
    /// `provision` is set; otherwise their outputs, secret references and states come from
    /// the environment's latest record (also when its apply failed: its drivers ran).
    ///
    /// # Errors
    /// The environment does not exist; its latest record is unreadable.
    pub fn preview_engine(&self, app: &str, env: &str, provision: bool) -> Result<Engine> {
        let history = self.store.history(app, env)?;
        if let Some(Err(error)) = history.entries.last().map(|e| &e.record) {
            return Err(error.clone());
        }
        let recorded = history
            .head()
            .map(Deployment::driver_records)
            .unwrap_or_default();
        Ok(self
            .engine
            .clone()
            .with_effects(crate::drivers::Effects::preview(recorded, provision)))
    }

    /// The deprovisions of the environment that failed and wait to be retried on its next
    /// deploy or deletion.
    ///
    /// # Errors
    /// The environment does not exist; the store cannot be read.
    pub fn pending_deprovisions(
        &self,
        app: &str,
        env: &str,
    ) -> Result<Vec<super::PendingDeprovision>> {
        self.store.pending_deprovisions(app, env)
    }

    /// Marks `record` as failed to apply ([`Store::mark_failed`]): it stays in its
    /// environment's history but is no longer [current](History::current). Changing what an
    /// environment runs needs the right to deploy to it: the write is admitted as a deploy.
    ///
    /// # Errors
    /// The write is refused or access is denied; the record is not in its environment's
    /// history; the store cannot write.
    pub fn mark_failed(&self, record: &Deployment, actor: &Actor) -> Result<()> {
        let inputs = &record.inputs;
        let write = Write::plain(Action::Deploy, actor);
        self.guard().existing(&inputs.app, &inputs.env, write)?;
        self.store.mark_failed(&inputs.app, &inputs.env, &record.id)
    }

    /// The history of an environment, oldest first.
    ///
    /// # Errors
    /// The environment does not exist, or its index is unreadable.
    pub fn history(&self, app: &str, env: &str) -> Result<History> {
        self.store.history(app, env)
    }

    /// Deploys the inputs of record `to` again, under today's platform, as a new record.
    ///
    /// # Errors
    /// `to` is not a record of this environment; the write is refused (its recorded namespace
    /// option is not the environment's, ...) or access is denied; the plan fails.
    pub fn rollback(&self, app: &str, env: &str, to: &str, actor: &Actor) -> Result<Rollback> {
        let target = self.store.record(to)?;
        if target.inputs.app != app || target.inputs.env != env {
            // Access to the record's own environment is not checked here: do not name it.
            return Err(invalid(format!(
                "record `{to}` is not in the history of environment `{env}` of app `{app}`: roll back to one of its own records (`history`), or use `promote` to move workloads between environments"
            )));
        }
        let options = target.inputs.options.clone();
        let write = Write::planning(Action::Rollback, actor, &options);
        let admitted = self.guard().existing(app, env, write)?;
        let operation = Operation::Rollback { to: to.to_owned() };
        let record = self.record(
            &admitted,
            &target.workload_inputs(),
            &options,
            operation,
            actor,
        )?;
        Ok(Rollback {
            platform_changes: target.inputs.platform.changes_to(&record.inputs.platform),
            manifest_changes: diff_objects(&target.manifests, &record.manifests),
            record,
        })
    }

    /// Deploys the workloads of `from`'s current record to `to`, planned in `to`'s context:
    /// its type, its resources, its policies. Resources are never copied.
    ///
    /// # Errors
    /// `from` has no current record, or it is unreadable (the error names the file); `to`
    /// does not exist; the write is refused or access is denied (promotion needs the right to
    /// view `from` and to promote into `to`); the plan fails.
    pub fn promote(&self, app: &str, from: &str, to: &str, actor: &Actor) -> Result<Deployment> {
        let guard = self.guard();
        guard.readable(app, from, actor)?;
        let source = self.latest(app, from)?;
        let options = self.options_from(&source);
        let write = Write::planning(Action::Promote, actor, &options);
        let target = guard.ensure(app, to, write, &|_| Ok(()))?;
        let operation = Operation::Promote {
            from: from.to_owned(),
            record: source.id.clone(),
        };
        self.record(
            &target,
            &source.workload_inputs(),
            &options,
            operation,
            actor,
        )
    }

    /// Creates an environment, its namespace fixed to its type's pattern. With
    /// [`NewEnvironment::clone_from`], the workloads of that environment's current record
    /// are deployed into it as its first record (its resources are its own).
    ///
    /// # Errors
    /// The environment exists already; the type is unknown, or not the type the platform
    /// declares for it; its namespace belongs to another environment; access is denied; the
    /// clone's source has no readable current record; the clone's plan fails.
    pub fn create_environment(
        &self,
        new: &NewEnvironment,
        actor: &Actor,
    ) -> Result<(Environment, Option<Deployment>)> {
        check_timestamp(&actor.at)?;
        let guard = self.guard();
        let source = match &new.clone_from {
            Some(from) => {
                guard.readable(&new.app, from, actor)?;
                Some(self.latest(&new.app, from)?)
            }
            None => None,
        };
        let options = source.as_ref().map(|s| self.options_from(s));
        let write = Write {
            action: Action::CreateEnvironment,
            actor,
            options: options.as_ref(),
        };
        let admitted = guard.create(new, write, &|_| Ok(()))?;
        let (Some(source), Some(options)) = (source, options) else {
            return Ok((admitted.environment, None));
        };
        let operation = Operation::Clone {
            from: new.clone_from.clone().unwrap_or_default(),
            record: source.id.clone(),
        };
        let record = self.record(
            &admitted,
            &source.workload_inputs(),
            &options,
            operation,
            actor,
        )?;
        Ok((admitted.environment, Some(record)))
    }

    /// The environments of `app`.
    ///
    /// # Errors
    /// The store cannot be read.
    pub fn environments(&self, app: &str) -> Result<Vec<Environment>> {
        self.store.environments(app)
    }

    /// Deletes an environment and its history (its records stay readable by id).
    ///
    /// # Errors
    /// It does not exist; access is denied; its type is not defined by the platform (only a
    /// platform-admin may then delete it).
    pub fn delete_environment(&self, app: &str, env: &str, actor: &Actor) -> Result<()> {
        let write = Write::plain(Action::DeleteEnvironment, actor);
        let admitted = self.guard().existing(app, env, write)?;
        let _serial = super::serial::lock(app, env);
        let current = self.current(app, env);
        let targets = super::deprovision::removed(current.as_ref(), None);
        let failed = self
            .deprovisioner()
            .run(&admitted.environment, targets, None, &actor.at)?;
        if !failed.is_empty() {
            return Err(super::deprovision::not_deleted(app, env, &failed));
        }
        self.store.delete_environment(&admitted.environment)
    }

    fn deprovisioner(&self) -> super::deprovision::Deprovisioner<'_> {
        super::deprovision::Deprovisioner {
            drivers: self.engine.drivers(),
            platform: self.engine.platform(),
            store: self.store,
        }
    }

    /// The record whose driver results and states the environment's next plan builds on:
    /// its latest one, also when applying it failed (its drivers ran: the world is as it
    /// says), if it is readable.
    fn current(&self, app: &str, env: &str) -> Option<Deployment> {
        let history = self.store.history(app, env).ok()?;
        history.head().cloned()
    }

    /// This deployer's engine, calling the drivers that act on the world with the states of
    /// `previous`.
    fn engine_after(&self, previous: Option<&Deployment>) -> Engine {
        let recorded = previous.map(Deployment::driver_records).unwrap_or_default();
        self.engine
            .clone()
            .with_effects(crate::drivers::Effects::recording(recorded))
    }

    /// After `record` is stored: deprovisions what `previous` had and `record` has not, and
    /// retries the environment's pending deprovisions; failures are kept as pending.
    fn deprovision_removed(
        &self,
        admitted: &Admitted,
        previous: Option<&Deployment>,
        record: &Deployment,
        at: &str,
    ) -> Result<()> {
        let targets = super::deprovision::removed(previous, Some(record));
        self.deprovisioner()
            .run(&admitted.environment, targets, Some(record), at)
            .map(drop)
    }

    fn guard(&self) -> Guard<'_> {
        Guard::new(self.engine.platform(), self.store)
    }

    /// This deployer's options with the image of `source`: what promotions and clones plan
    /// with.
    fn options_from(&self, source: &Deployment) -> PlanOptions {
        PlanOptions {
            image: source.inputs.options.image.clone(),
            ..self.options.clone()
        }
    }

    /// Plans `workloads` in the admitted environment and appends the record.
    fn record(
        &self,
        admitted: &Admitted,
        workloads: &[WorkloadInput],
        options: &PlanOptions,
        operation: Operation,
        actor: &Actor,
    ) -> Result<Deployment> {
        let environment = &admitted.environment;
        let _serial = super::serial::lock(&environment.app, &environment.name);
        let previous = self.current(&environment.app, &environment.name);
        let plan = self.engine_after(previous.as_ref()).plan(
            workloads,
            &admitted.context(),
            &admitted.options(options),
        )?;
        let record = self.append(&plan, admitted, options, operation, actor)?;
        self.deprovision_removed(admitted, previous.as_ref(), &record, &actor.at)?;
        Ok(record)
    }

    /// Appends `plan` to the admitted environment's history, refusing it when a policy blocks
    /// it; the store refuses it when the environment is no longer the admitted one.
    fn append(
        &self,
        plan: &Plan,
        admitted: &Admitted,
        options: &PlanOptions,
        operation: Operation,
        actor: &Actor,
    ) -> Result<Deployment> {
        check_timestamp(&actor.at)?;
        refuse_blocking(plan)?;
        let meta = DraftMeta {
            principal: actor.principal.as_ref().map(|p| p.user.clone()),
            options: options.clone(),
            platform: PlatformDigest::of(self.engine.platform()),
            environment: admitted.environment.clone(),
        };
        self.store
            .append(Draft::new(plan, operation, &actor.at, meta)?)
    }

    /// The current record of an environment: never an older one in place of an unreadable
    /// one.
    fn latest(&self, app: &str, env: &str) -> Result<Deployment> {
        let history = self.store.history(app, env)?;
        match history.current_record()? {
            Some(record) => Ok(record.clone()),
            None => Err(invalid(format!(
                "environment `{env}` of app `{app}` has no deployment yet: deploy to it first"
            ))),
        }
    }
}

/// Refuses a plan with error violations of its environment type's policies.
fn refuse_blocking(plan: &Plan) -> Result<()> {
    crate::policy::refuse(plan.violations())
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}
