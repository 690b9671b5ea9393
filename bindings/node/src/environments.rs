//! `Platform.promote`, `Platform.createEnvironment` and `Platform.deleteEnvironment`.

use goldpath::deploy::NewEnvironment;
use napi::Env;
use napi::bindgen_prelude::Either;
use napi_derive::napi;
use serde_json::{Value, json};

use crate::access::Principal;
use crate::deploy::{Store, actor, to_value, with_deployer};
use crate::inputs::PlanOptions;
use crate::platform::Platform;

/// A promotion of `app`'s workloads from environment `fromEnv` to environment `toEnv` (the
/// names of Python's `from_env` and `to_env`).
#[napi(object)]
pub struct PromoteOptions {
    /// The application.
    pub app: String,
    /// The environment whose current record is promoted.
    pub from_env: String,
    /// The environment it is promoted to.
    pub to_env: String,
    /// The environment type of `toEnv`, when it does not exist yet.
    pub env_type: Option<String>,
    /// When, in RFC 3339.
    pub at: String,
    /// Who: `{user, groups}` or a user id.
    #[napi(ts_type = "string | Principal")]
    pub principal: Option<Either<String, Principal>>,
}

/// A new environment of `app`.
#[napi(object)]
pub struct EnvironmentOptions {
    /// The application.
    pub app: String,
    /// The environment's name.
    pub env: String,
    /// The environment type it instantiates.
    pub env_type: String,
    /// The environment whose current record the new one starts from.
    pub clone_from: Option<String>,
    /// Short-lived (a preview environment).
    pub ephemeral: Option<bool>,
    /// When, in RFC 3339.
    pub at: String,
    /// Who: `{user, groups}` or a user id.
    #[napi(ts_type = "string | Principal")]
    pub principal: Option<Either<String, Principal>>,
}

/// An environment of an application, and who acts on it.
#[napi(object)]
pub struct TargetOptions {
    /// The application.
    pub app: String,
    /// The environment.
    pub env: String,
    /// Who: `{user, groups}` or a user id.
    #[napi(ts_type = "string | Principal")]
    pub principal: Option<Either<String, Principal>>,
}

/// The plan options of environment `env` of `app`.
fn plan_options(app: &str, env: &str, env_type: Option<String>) -> PlanOptions {
    PlanOptions {
        app: app.to_owned(),
        env: Some(env.to_owned()),
        env_type,
        namespace: None,
        create_namespace: None,
        image: None,
        store: None,
        provision: None,
    }
}

#[napi]
impl Platform {
    /// Records the current workloads of `from` as a deployment of `to`, under `to`'s policies
    /// (`GOLDPATH_POLICY` when they block it); returns the record.
    #[napi(ts_return_type = "DeploymentRecord")]
    pub fn promote(&self, env: Env, store: &Store, options: PromoteOptions) -> napi::Result<Value> {
        let plan = plan_options(&options.app, &options.to_env, options.env_type);
        let actor = actor(options.at, options.principal);
        with_deployer(self.engine(), store.inner.as_ref(), &plan, |d| {
            d.promote(&options.app, &options.from_env, &options.to_env, &actor)
        })
        .map(to_value)
        .map_err(|f| f.into_js(&env))
    }

    /// Creates an environment; returns `{environment, record}` (`record` is null unless it
    /// was cloned).
    #[napi(ts_return_type = "{ environment: EnvironmentRecord; record: DeploymentRecord | null }")]
    pub fn create_environment(
        &self,
        env: Env,
        store: &Store,
        options: EnvironmentOptions,
    ) -> napi::Result<Value> {
        let mut new = NewEnvironment::new(&options.app, &options.env, &options.env_type);
        new.clone_from = options.clone_from;
        new.ephemeral = options.ephemeral.unwrap_or(false);
        let plan = plan_options(&options.app, &options.env, Some(options.env_type));
        let actor = actor(options.at, options.principal);
        with_deployer(self.engine(), store.inner.as_ref(), &plan, |d| {
            d.create_environment(&new, &actor)
        })
        .map(|(environment, record)| json!({"environment": environment, "record": record}))
        .map_err(|f| f.into_js(&env))
    }

    /// Deletes environment `env` of `app` and its history (its records stay readable by id).
    /// Deleting records nothing, so no time is asked for (as in Python).
    #[napi]
    pub fn delete_environment(
        &self,
        env: Env,
        store: &Store,
        options: TargetOptions,
    ) -> napi::Result<()> {
        let plan = plan_options(&options.app, &options.env, None);
        let actor = actor(String::new(), options.principal);
        with_deployer(self.engine(), store.inner.as_ref(), &plan, |d| {
            d.delete_environment(&options.app, &options.env, &actor)
        })
        .map_err(|f| f.into_js(&env))
    }
}
