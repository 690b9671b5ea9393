//! The operations on environments and their histories: deploy, rollback, promote, create
//! (optionally cloned), list and delete.

use serde::Serialize;

use super::diff::{ObjectDiff, diff_objects};
use super::record::{
    Deployment, DocumentChange, Draft, DraftMeta, Operation, PlatformDigest, RecordedOptions,
    check_timestamp,
};
use super::store::{Environment, History, Store, environment_exists, no_environment};
use crate::plan::{Engine, Plan, PlanOptions};
use crate::platform::Context;
use crate::rbac::{self, Action, Principal, Target};
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

    /// The environment this creates at `at`.
    fn environment_at(&self, at: &str) -> Environment {
        Environment {
            app: self.app.clone(),
            name: self.name.clone(),
            env_type: self.env_type.clone(),
            ephemeral: self.ephemeral,
            cloned_from: self.clone_from.clone(),
            created_at: at.to_owned(),
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
    /// options recorded in the target; promotions keep the source's image only).
    #[must_use]
    pub fn with_options(mut self, options: PlanOptions) -> Self {
        self.options = options;
        self
    }

    /// Plans `workloads` in the environment and records the deployment, as
    /// [`Deployer::record_plan`] does.
    ///
    /// The environment must exist in the store, or be declared by an `Environment` document
    /// of the platform (it is then created with the declared type; the deploy brings the
    /// workloads, so the declaration's `from` is not cloned).
    ///
    /// # Errors
    /// The environment does not exist; access is denied; the plan fails or a policy refuses
    /// it; the store cannot write.
    pub fn deploy(
        &self,
        app: &str,
        env: &str,
        workloads: &[WorkloadInput],
        actor: &Actor,
    ) -> Result<Deployment> {
        let environment = self.ensure_environment(app, env, Action::Deploy, actor)?;
        self.record(
            &environment,
            workloads,
            &self.options,
            Operation::Deploy,
            actor,
        )
    }

    /// Records an already-made plan as a deployment of its context's environment: what a
    /// cluster apply records, so that the record holds the manifests that were applied.
    ///
    /// The checks are those of [`Deployer::deploy`]: the environment is ensured (created
    /// when the platform declares it), the actor's access is authorized, and a plan with
    /// error violations is refused. The plan must come from this deployer's engine with its
    /// options ([`Deployer::with_options`]): the record keeps those options and the engine's
    /// platform digest.
    ///
    /// # Errors
    /// As [`Deployer::deploy`]; also a plan made for another environment type than the
    /// environment's.
    pub fn record_plan(&self, plan: &Plan, actor: &Actor) -> Result<Deployment> {
        let context = plan.context();
        let environment =
            self.ensure_environment(&context.app, &context.env, Action::Deploy, actor)?;
        if context.env_type != environment.env_type {
            return Err(invalid(format!(
                "the plan is for environment type `{}`, but environment `{}` of app `{}` is of type `{}`: plan with --env-type {}",
                context.env_type,
                environment.name,
                environment.app,
                environment.env_type,
                environment.env_type
            )));
        }
        self.append(plan, &self.options, Operation::Deploy, actor)
    }

    /// Marks `record` as failed to apply ([`Store::mark_failed`]): it stays in its
    /// environment's history but is no longer [current](History::current).
    ///
    /// # Errors
    /// The record is not in its environment's history; the store cannot write.
    pub fn mark_failed(&self, record: &Deployment) -> Result<()> {
        let inputs = &record.inputs;
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
    /// `to` is not a record of this environment; access is denied; the plan fails.
    pub fn rollback(&self, app: &str, env: &str, to: &str, actor: &Actor) -> Result<Rollback> {
        let environment = self.existing_environment(app, env)?;
        self.authorize(actor, Action::Rollback, &environment)?;
        let target = self.store.record(to)?;
        if target.inputs.app != app || target.inputs.env != env {
            return Err(invalid(format!(
                "record `{to}` belongs to environment `{}` of app `{}`, not `{env}` of `{app}`: use `promote` to move workloads between environments",
                target.inputs.env, target.inputs.app
            )));
        }
        let options = PlanOptions::from(&target.inputs.options);
        let operation = Operation::Rollback { to: to.to_owned() };
        let record = self.record(
            &environment,
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

    /// Deploys the workloads of `from`'s latest record to `to`, planned in `to`'s context:
    /// its type, its resources, its policies. Resources are never copied.
    ///
    /// # Errors
    /// `from` has no readable record; `to` does not exist; access is denied (promotion needs
    /// the right on the target); the plan fails.
    pub fn promote(&self, app: &str, from: &str, to: &str, actor: &Actor) -> Result<Deployment> {
        let source_env = self.existing_environment(app, from)?;
        self.authorize(actor, Action::View, &source_env)?;
        let target = self.ensure_environment(app, to, Action::Promote, actor)?;
        let source = self.latest(app, from)?;
        let options = PlanOptions {
            image: source.inputs.options.image.clone(),
            ..self.options.clone()
        };
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

    /// Creates an environment. With [`NewEnvironment::clone_from`], the workloads of that
    /// environment's latest record are deployed into it as its first record (its resources
    /// are its own).
    ///
    /// # Errors
    /// The environment exists already; the type is unknown; access is denied; the clone's
    /// plan fails.
    pub fn create_environment(
        &self,
        new: &NewEnvironment,
        actor: &Actor,
    ) -> Result<(Environment, Option<Deployment>)> {
        self.create(new, actor)
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
    /// It does not exist; access is denied.
    pub fn delete_environment(&self, app: &str, env: &str, actor: &Actor) -> Result<()> {
        let environment = self.existing_environment(app, env)?;
        self.authorize(actor, Action::DeleteEnvironment, &environment)?;
        self.store.delete_environment(app, env)
    }

    fn create(
        &self,
        new: &NewEnvironment,
        actor: &Actor,
    ) -> Result<(Environment, Option<Deployment>)> {
        let (app, env, env_type) = (new.app.as_str(), new.name.as_str(), new.env_type.as_str());
        let clone_from = new.clone_from.as_deref();
        check_timestamp(&actor.at)?;
        if self.engine.platform().environment_type(env_type).is_none() {
            return Err(invalid(format!(
                "environment type `{env_type}` is not defined by the platform: add an EnvironmentType document or pick one of {}",
                self.type_names()
            )));
        }
        let environment = new.environment_at(&actor.at);
        self.authorize(actor, Action::CreateEnvironment, &environment)?;
        let source = clone_from.map(|from| self.latest(app, from)).transpose()?;
        if source.is_some() {
            // A clone deploys the source's workloads into the new environment.
            self.authorize(actor, Action::Deploy, &environment)?;
        }
        if self.store.environment(app, env)?.is_some() {
            return Err(environment_exists(app, env));
        }
        self.store.create_environment(&environment)?;
        let Some(source) = source else {
            return Ok((environment, None));
        };
        let operation = Operation::Clone {
            from: clone_from.unwrap_or_default().to_owned(),
            record: source.id.clone(),
        };
        let options = PlanOptions {
            image: source.inputs.options.image.clone(),
            ..self.options.clone()
        };
        let record = self.record(
            &environment,
            &source.workload_inputs(),
            &options,
            operation,
            actor,
        )?;
        Ok((environment, Some(record)))
    }

    fn record(
        &self,
        environment: &Environment,
        workloads: &[WorkloadInput],
        options: &PlanOptions,
        operation: Operation,
        actor: &Actor,
    ) -> Result<Deployment> {
        let context = Context::new(&environment.app, &environment.name, &environment.env_type);
        let plan = self.engine.plan(workloads, &context, options)?;
        self.append(&plan, options, operation, actor)
    }

    /// Appends `plan` to its environment's history, refusing it when a policy blocks it.
    fn append(
        &self,
        plan: &Plan,
        options: &PlanOptions,
        operation: Operation,
        actor: &Actor,
    ) -> Result<Deployment> {
        check_timestamp(&actor.at)?;
        refuse_blocking(plan)?;
        let meta = DraftMeta {
            principal: actor.principal.as_ref().map(|p| p.user.clone()),
            options: RecordedOptions::from(options),
            platform: PlatformDigest::of(self.engine.platform()),
        };
        self.store
            .append(Draft::new(plan, operation, &actor.at, meta)?)
    }

    fn latest(&self, app: &str, env: &str) -> Result<Deployment> {
        let history = self.store.history(app, env)?;
        if let Some(record) = history.current() {
            return Ok(record.clone());
        }
        Err(match history.first_error() {
            Some(error) => error.clone(),
            None => invalid(format!(
                "environment `{env}` of app `{app}` has no deployment yet: deploy to it first"
            )),
        })
    }

    fn existing_environment(&self, app: &str, env: &str) -> Result<Environment> {
        self.store
            .environment(app, env)?
            .ok_or_else(|| no_environment(app, env))
    }

    /// The environment, created first when the platform declares it.
    /// The environment, after checking `actor` may perform `action` on it; an environment the
    /// platform declares is created first, and only when the action is allowed, so a refused
    /// deploy leaves nothing behind.
    fn ensure_environment(
        &self,
        app: &str,
        env: &str,
        action: Action,
        actor: &Actor,
    ) -> Result<Environment> {
        check_timestamp(&actor.at)?;
        if let Some(environment) = self.store.environment(app, env)? {
            self.authorize(actor, action, &environment)?;
            return Ok(environment);
        }
        let declared = self
            .engine
            .platform()
            .environments()
            .iter()
            .find(|(name, spec)| name == env && spec.app == app);
        let Some((_, spec)) = declared else {
            return Err(no_environment(app, env));
        };
        // The deploy brings its own workloads, so the declared `from` is not cloned here.
        let mut new = NewEnvironment::new(app, env, &spec.env_type);
        new.ephemeral = spec.ephemeral;
        self.authorize(actor, action, &new.environment_at(&actor.at))?;
        match self.create(&new, actor) {
            Ok((environment, _)) => Ok(environment),
            // Another deploy created it meanwhile.
            Err(e) => self.store.environment(app, env)?.ok_or(e),
        }
    }

    fn type_names(&self) -> String {
        let names: Vec<String> = self
            .engine
            .platform()
            .environment_types()
            .keys()
            .map(|n| format!("`{n}`"))
            .collect();
        names.join(", ")
    }

    /// Checks `actor` may perform `action` on `environment` (always allowed while the platform
    /// has no role bindings; with bindings, an actor without a principal is refused).
    fn authorize(&self, actor: &Actor, action: Action, environment: &Environment) -> Result<()> {
        let platform = self.engine.platform();
        if !rbac::bindings_configured(platform) {
            return Ok(());
        }
        let Some(principal) = &actor.principal else {
            return Err(Error::new(
                ErrorKind::Permission,
                Location::default(),
                format!(
                    "the platform has role bindings, so `{}` needs to know who acts: pass a principal (CLI: --as USER [--group G]...)",
                    action.as_str()
                ),
            ));
        };
        let target = Target {
            app: Some(environment.app.clone()),
            env: Some(environment.name.clone()),
            env_type: Some(environment.env_type.clone()),
        };
        rbac::authorize(platform, principal, action, &target).into_result()
    }
}

/// Refuses a plan with error violations of its environment type's policies.
fn refuse_blocking(plan: &Plan) -> Result<()> {
    crate::policy::refuse(plan.violations())
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}
