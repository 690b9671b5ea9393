//! The one boundary of access and environment identity (docs/environments.md).
//!
//! Every write of a [`Deployer`](super::Deployer) (deploy, recording a plan, marking a record
//! failed, rollback, promote, clone, create, delete) is admitted by [`Guard::admit`] before it touches the store, and the
//! CLI and the bindings only reach the store's writes through the `Deployer`. Admitting checks,
//! in this order:
//!
//! 1. The environment's type, as the store holds it (for a new environment: as asked), is
//!    defined by the platform in use. A platform-admin may still delete an environment whose
//!    type the platform no longer defines.
//! 2. An environment the platform declares (`kind: Environment`) has the declared type.
//! 3. Its namespace is the one fixed when it was created (for environments of older stores,
//!    the type's pattern filled in); a namespace option of the write must be absent or that
//!    namespace.
//! 4. The actor may perform the action on it, authorized against the stored type; a clone also
//!    needs the right to deploy into the new environment.
//! 5. A `kube-` namespace (Kubernetes' own) needs platform-admin.
//! 6. No other environment of the store uses the namespace (for a new environment this runs
//!    under the store's creation lock, see [`Store::create_environment`]).
//!
//! What was admitted travels with the record's draft, and [`Store::append`] re-checks under
//! the environment's lock that the store still holds that very environment.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use super::digest::sha256_hex;
use super::ops::{Actor, NewEnvironment};
use super::record::{check_timestamp, store_error};
use super::store::{Environment, Store, no_environment};
use crate::plan::{Plan, PlanOptions};
use crate::platform::{Context, Platform};
use crate::rbac::{self, Action, Target};
use crate::spec::platform::{EnvironmentSpec, EnvironmentTypeSpec};
use crate::{Error, ErrorKind, Location, Result};

/// The prefix Kubernetes reserves for its own namespaces (`kube-system`, `kube-public`,
/// `kube-node-lease`).
const SYSTEM_NAMESPACE_PREFIX: &str = "kube-";

/// Admits writes to the environments of a store under a platform.
pub(super) struct Guard<'a> {
    platform: &'a Platform,
    store: &'a dyn Store,
}

/// A write to admit: what, by whom, and with which plan options (`None` when it plans
/// nothing).
#[derive(Clone, Copy)]
pub(super) struct Write<'r> {
    /// The action, as role bindings grant it.
    pub action: Action,
    /// Who, and when.
    pub actor: &'r Actor,
    /// The options of the plan the write makes.
    pub options: Option<&'r PlanOptions>,
}

impl<'r> Write<'r> {
    /// A write that plans with `options`.
    pub fn planning(action: Action, actor: &'r Actor, options: &'r PlanOptions) -> Self {
        Self {
            action,
            actor,
            options: Some(options),
        }
    }

    /// A write that plans nothing.
    pub fn plain(action: Action, actor: &'r Actor) -> Self {
        Self {
            action,
            actor,
            options: None,
        }
    }
}

/// An admitted write: the environment as the store holds it and its namespace.
#[derive(Debug, Clone)]
pub(super) struct Admitted {
    /// The environment (for a new one, as created).
    pub environment: Environment,
    /// Its namespace.
    pub namespace: String,
}

impl Admitted {
    /// The context of the environment's plans.
    pub fn context(&self) -> Context {
        let e = &self.environment;
        Context::new(&e.app, &e.name, &e.env_type)
    }

    /// `options` as the environment's plans use them: in the environment's namespace.
    pub fn options(&self, options: &PlanOptions) -> PlanOptions {
        PlanOptions {
            namespace: Some(self.namespace.clone()),
            ..options.clone()
        }
    }
}

impl<'a> Guard<'a> {
    /// The guard of `store` under `platform`.
    pub fn new(platform: &'a Platform, store: &'a dyn Store) -> Self {
        Self { platform, store }
    }

    /// Admits `write` to an existing environment.
    pub fn existing(&self, app: &str, env: &str, write: Write<'_>) -> Result<Admitted> {
        let environment = self
            .store
            .environment(app, env)?
            .ok_or_else(|| no_environment(app, env))?;
        self.admit(environment, write, false)
    }

    /// Admits `write` to an existing environment, or to one the platform declares, which is
    /// created first (only once the write is admitted and `check` accepts it, so a refused
    /// write leaves nothing).
    pub fn ensure(
        &self,
        app: &str,
        env: &str,
        write: Write<'_>,
        check: &dyn Fn(&Admitted) -> Result<()>,
    ) -> Result<Admitted> {
        if let Some(environment) = self.store.environment(app, env)? {
            let admitted = self.admit(environment, write, false)?;
            check(&admitted)?;
            return Ok(admitted);
        }
        let Some(spec) = self.declared(app, env) else {
            return Err(no_environment(app, env));
        };
        // The write brings its own workloads, so the declared `from` is not cloned here.
        let mut new = NewEnvironment::new(app, env, &spec.env_type);
        new.ephemeral = spec.ephemeral;
        match self.create(&new, write, check) {
            Ok(admitted) => Ok(admitted),
            // Another write created it meanwhile: admit this one to it.
            Err(error) => match self.store.environment(app, env)? {
                Some(environment) => {
                    let admitted = self.admit(environment, write, false)?;
                    check(&admitted)?;
                    Ok(admitted)
                }
                None => Err(error),
            },
        }
    }

    /// Admits `write` (creating, deploying or promoting into `new`) and runs `check` on it,
    /// then creates the environment with its namespace fixed, refusing a namespace another
    /// environment took meanwhile.
    pub fn create(
        &self,
        new: &NewEnvironment,
        write: Write<'_>,
        check: &dyn Fn(&Admitted) -> Result<()>,
    ) -> Result<Admitted> {
        check_timestamp(&write.actor.at)?;
        let mut environment = new.environment_at(&write.actor.at);
        environment.uid = Some(creation_id(&environment));
        let mut admitted = self.admit(environment, write, true)?;
        if new.clone_from.is_some() {
            // A clone deploys the source's workloads into the new environment.
            self.authorize(write.actor, Action::Deploy, &admitted.environment)?;
        }
        admitted.environment.namespace = Some(admitted.namespace.clone());
        check(&admitted)?;
        let (me, namespace) = (&admitted.environment, admitted.namespace.as_str());
        self.store
            .create_environment(me, &|all| self.namespace_free(all, me, namespace))?;
        Ok(admitted)
    }

    /// Checks `actor` may read environment `env` of `app` (the source of a promotion or a
    /// clone).
    pub fn readable(&self, app: &str, env: &str, actor: &Actor) -> Result<()> {
        let environment = self
            .store
            .environment(app, env)?
            .ok_or_else(|| no_environment(app, env))?;
        self.authorize(actor, Action::View, &environment)
    }

    /// Checks a plan made by the caller belongs to the admitted environment: made with this
    /// platform, for its type, in its namespace.
    pub fn check_plan(&self, plan: &Plan, admitted: &Admitted) -> Result<()> {
        let e = &admitted.environment;
        let same_platform =
            std::ptr::eq(plan.platform(), self.platform) || plan.platform() == self.platform;
        if !same_platform {
            return Err(invalid(format!(
                "the plan for environment `{}` of app `{}` was made with another platform than the one it is recorded under: plan it with the same engine",
                e.name, e.app
            )));
        }
        if plan.context().env_type != e.env_type {
            return Err(invalid(format!(
                "the plan is for environment type `{}`, but environment `{}` of app `{}` is of type `{}`: plan it for type `{}`",
                plan.context().env_type,
                e.name,
                e.app,
                e.env_type,
                e.env_type
            )));
        }
        if plan.namespace() != Some(admitted.namespace.as_str()) {
            return Err(invalid(format!(
                "the plan puts its objects in namespace `{}`, but environment `{}` of app `{}` has namespace `{}`: plan it without a namespace option",
                plan.namespace().unwrap_or("(none)"),
                e.name,
                e.app,
                admitted.namespace
            )));
        }
        Ok(())
    }

    /// The decision: every rule of the module's list, for `write` to `environment` (`fresh`
    /// when it is about to be created).
    fn admit(&self, environment: Environment, write: Write<'_>, fresh: bool) -> Result<Admitted> {
        if write.options.is_some() {
            check_timestamp(&write.actor.at)?;
        }
        let Some(env_type) = self.platform.environment_type(&environment.env_type) else {
            return self.admit_undefined(environment, write);
        };
        if write.action == Action::DeleteEnvironment {
            self.authorize(write.actor, write.action, &environment)?;
            let namespace = environment.namespace.clone().unwrap_or_default();
            return Ok(Admitted {
                environment,
                namespace,
            });
        }
        self.check_declared(&environment, fresh)?;
        let namespace = match &environment.namespace {
            Some(namespace) => namespace.clone(),
            None => pattern_namespace(&environment, env_type)?,
        };
        check_option(&environment, &namespace, write.options)?;
        self.authorize(write.actor, write.action, &environment)?;
        if namespace.starts_with(SYSTEM_NAMESPACE_PREFIX) && !self.is_platform_admin(write.actor) {
            return Err(Error::new(
                ErrorKind::Permission,
                Location::default(),
                format!(
                    "environment `{}` of app `{}` has namespace `{namespace}`: namespaces starting with `{SYSTEM_NAMESPACE_PREFIX}` are Kubernetes' own, and only a platform-admin may write into them",
                    environment.name, environment.app
                ),
            ));
        }
        if !fresh && environment.namespace.is_none() {
            // An environment of an older store: its namespace was never claimed.
            self.namespace_free(&self.store.all_environments()?, &environment, &namespace)?;
        }
        Ok(Admitted {
            environment,
            namespace,
        })
    }

    /// A write to an environment whose type the platform does not define: refused, except a
    /// platform-admin's delete (so stale environments can be removed).
    fn admit_undefined(&self, environment: Environment, write: Write<'_>) -> Result<Admitted> {
        if write.action == Action::DeleteEnvironment
            && rbac::bindings_configured(self.platform)
            && self.is_platform_admin(write.actor)
        {
            let namespace = environment.namespace.clone().unwrap_or_default();
            return Ok(Admitted {
                environment,
                namespace,
            });
        }
        Err(invalid(format!(
            "environment `{}` of app `{}` is of type `{}`, which the platform in use does not define (it defines {}): use the platform the environment belongs to",
            environment.name,
            environment.app,
            environment.env_type,
            self.type_names()
        )))
    }

    /// The platform's declaration of environment `env` of `app`, if any.
    fn declared(&self, app: &str, env: &str) -> Option<&EnvironmentSpec> {
        self.platform
            .environments()
            .iter()
            .find(|(name, spec)| name == env && spec.app == app)
            .map(|(_, spec)| spec)
    }

    /// An environment the platform declares has the declared type.
    fn check_declared(&self, environment: &Environment, fresh: bool) -> Result<()> {
        let (app, env) = (&environment.app, &environment.name);
        let Some(spec) = self.declared(app, env) else {
            return Ok(());
        };
        if spec.env_type == environment.env_type {
            return Ok(());
        }
        let what = if fresh {
            "so it can only be created with that type".to_owned()
        } else {
            format!(
                "but the store holds it with type `{}`: delete it, and it is created again with the declared type",
                environment.env_type
            )
        };
        Err(invalid(format!(
            "the platform declares environment `{env}` of app `{app}` with type `{}`, {what}",
            spec.env_type
        )))
    }

    /// Checks no environment of `all` but `me` uses `namespace`.
    fn namespace_free(&self, all: &[Environment], me: &Environment, namespace: &str) -> Result<()> {
        let other = all.iter().find(|e| {
            (e.app != me.app || e.name != me.name)
                && self.namespace_of(e).as_deref() == Some(namespace)
        });
        match other {
            None => Ok(()),
            Some(other) => Err(store_error(format!(
                "namespace `{namespace}` of environment `{}` of app `{}` belongs to environment `{}` of app `{}` already: a namespace belongs to one environment",
                me.name, me.app, other.name, other.app
            ))),
        }
    }

    /// The namespace of a stored environment: stored, or (older stores) its type's pattern.
    fn namespace_of(&self, environment: &Environment) -> Option<String> {
        if let Some(namespace) = &environment.namespace {
            return Some(namespace.clone());
        }
        let env_type = self.platform.environment_type(&environment.env_type)?;
        pattern_namespace(environment, env_type).ok()
    }

    /// Whether the actor is platform-admin (everyone is while the platform has no role
    /// bindings: access is then not configured at all).
    fn is_platform_admin(&self, actor: &Actor) -> bool {
        if !rbac::bindings_configured(self.platform) {
            return true;
        }
        actor.principal.as_ref().is_some_and(|principal| {
            rbac::authorize(
                self.platform,
                principal,
                Action::ManagePlatform,
                &Target::default(),
            )
            .allowed
        })
    }

    /// Checks `actor` may perform `action` on `environment`, of its stored type (always
    /// allowed while the platform has no role bindings; with bindings, an actor without a
    /// principal is refused).
    fn authorize(&self, actor: &Actor, action: Action, environment: &Environment) -> Result<()> {
        if !rbac::bindings_configured(self.platform) {
            return Ok(());
        }
        let Some(principal) = &actor.principal else {
            return Err(Error::new(
                ErrorKind::Permission,
                Location::default(),
                format!(
                    "the platform has role bindings, so `{}` needs to know who acts: give a principal (a user and their groups)",
                    action.as_str()
                ),
            ));
        };
        let target = Target {
            app: Some(environment.app.clone()),
            env: Some(environment.name.clone()),
            env_type: Some(environment.env_type.clone()),
        };
        rbac::authorize(self.platform, principal, action, &target).into_result()
    }

    /// The platform's environment types, for messages.
    pub fn type_names(&self) -> String {
        let names: Vec<String> = self
            .platform
            .environment_types()
            .keys()
            .map(|n| format!("`{n}`"))
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    }
}

/// A namespace option must be absent or the environment's namespace.
fn check_option(
    environment: &Environment,
    namespace: &str,
    options: Option<&PlanOptions>,
) -> Result<()> {
    match options.and_then(|o| o.namespace.as_deref()) {
        Some(asked) if asked != namespace => Err(invalid(format!(
            "environment `{}` of app `{}` has namespace `{namespace}`, fixed when it was created; the namespace option `{asked}` would move its objects elsewhere: leave the option out",
            environment.name, environment.app
        ))),
        _ => Ok(()),
    }
}

/// The type's namespace pattern filled in with the environment.
fn pattern_namespace(environment: &Environment, env_type: &EnvironmentTypeSpec) -> Result<String> {
    let context = Context::new(&environment.app, &environment.name, &environment.env_type);
    let namespace = crate::plan::namespace(&context, Some(env_type), &PlanOptions::default())?;
    Ok(namespace.unwrap_or_default())
}

/// An id no other creation of an environment has: the environment's identity, the process,
/// a counter and randomness from the standard library's hasher keys.
fn creation_id(environment: &Environment) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut parts = format!(
        "{}\n{}\n{}\n{}\n{}\n{n}",
        environment.app,
        environment.name,
        environment.env_type,
        environment.created_at,
        std::process::id()
    );
    for _ in 0..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(n);
        parts.push_str(&format!("\n{:016x}", hasher.finish()));
    }
    sha256_hex(parts.as_bytes())[..32].to_owned()
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}
