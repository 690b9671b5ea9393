//! What Python's binding has and Node's had not: `Store.environment`, `Store.recordIds` and
//! `Platform.markFailed` (docs/api.md lists both sides).

use napi::Env;
use napi::bindgen_prelude::Either;
use napi_derive::napi;
use serde_json::Value;

use crate::access::Principal;
use crate::deploy::{Store, actor, to_value, with_deployer};
use crate::failure::guarded;
use crate::inputs::PlanOptions;
use crate::platform::Platform;

#[napi]
impl Store {
    /// Environment `env` of `app`, or null when there is none.
    #[napi(ts_return_type = "EnvironmentRecord | null")]
    pub fn environment(&self, env: Env, app: String, name: String) -> napi::Result<Value> {
        guarded(|| Ok(to_value(self.inner.environment(&app, &name)?))).map_err(|f| f.into_js(&env))
    }

    /// The ids of every record in the store.
    #[napi]
    pub fn record_ids(&self, env: Env) -> napi::Result<Vec<String>> {
        guarded(|| Ok(self.inner.record_ids()?)).map_err(|f| f.into_js(&env))
    }
}

/// Which record to mark failed, and who acts.
#[napi(object)]
pub struct MarkFailedOptions {
    /// The full id of the record (`store.resolveId` expands a prefix).
    pub id: String,
    /// Who: `{user, groups}` or a user id.
    #[napi(ts_type = "string | Principal")]
    pub principal: Option<Either<String, Principal>>,
}

#[napi]
impl Platform {
    /// Marks a record as failed to apply: it stays in its environment's history but is no
    /// longer current. Needs the right to deploy to that environment.
    #[napi]
    pub fn mark_failed(
        &self,
        env: Env,
        store: &Store,
        options: MarkFailedOptions,
    ) -> napi::Result<()> {
        let actor = actor(String::new(), options.principal);
        let records = store.inner.clone();
        let plan = PlanOptions::default();
        with_deployer(self.engine(), store.inner.as_ref(), &plan, |d| {
            d.mark_failed(&records.record(&options.id)?, &actor)
        })
        .map_err(|f| f.into_js(&env))
    }

    /// The names of the environment types.
    #[napi(getter)]
    pub fn environment_types(&self) -> Vec<String> {
        self.engine().platform().environment_type_names()
    }

    /// The names of the resource definitions, the built-ins (if any) last.
    #[napi(getter)]
    pub fn definitions(&self) -> Vec<String> {
        self.engine().platform().definition_names()
    }
}
