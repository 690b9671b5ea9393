//! A store in memory: for tests, previews and hosts that keep records elsewhere.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{
    Environment, History, HistoryEntry, Store, check_same_environment, environment_exists,
    no_environment, no_record, not_in_history,
};
use crate::Result;
use crate::deploy::deprovision::PendingDeprovision;
use crate::deploy::record::{Deployment, Draft};

/// Environments and records in memory, behind one lock.
///
/// ```
/// use goldpath::deploy::{Environment, MemoryStore, Store};
///
/// let store = MemoryStore::new();
/// let qa = Environment {
///     app: "shop".into(), name: "qa".into(), env_type: "qa-light".into(),
///     created_at: "2026-11-23T10:00:00Z".into(), namespace: Some("shop-qa".into()),
///     ..Environment::default()
/// };
/// store.create_environment(&qa, &|_| Ok(())).unwrap();
/// assert_eq!(store.environments("shop").unwrap().len(), 1);
/// assert!(store.history("shop", "qa").unwrap().entries.is_empty());
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    environments: BTreeMap<(String, String), (Environment, Vec<String>)>,
    records: HashMap<String, Deployment>,
    failed: HashSet<String>,
    pending: BTreeMap<(String, String), Vec<PendingDeprovision>>,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the maps half-updated: every update is
        // one insert or remove.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn key(app: &str, env: &str) -> (String, String) {
    (app.to_owned(), env.to_owned())
}

impl Store for MemoryStore {
    fn create_environment(
        &self,
        environment: &Environment,
        admit: &dyn Fn(&[Environment]) -> Result<()>,
    ) -> Result<()> {
        let mut state = self.state();
        let key = key(&environment.app, &environment.name);
        if state.environments.contains_key(&key) {
            return Err(environment_exists(&environment.app, &environment.name));
        }
        let all: Vec<Environment> = state
            .environments
            .values()
            .map(|(e, _)| e.clone())
            .collect();
        admit(&all)?;
        state
            .environments
            .insert(key, (environment.clone(), Vec::new()));
        Ok(())
    }

    fn environment(&self, app: &str, env: &str) -> Result<Option<Environment>> {
        Ok(self
            .state()
            .environments
            .get(&key(app, env))
            .map(|(e, _)| e.clone()))
    }

    fn environments(&self, app: &str) -> Result<Vec<Environment>> {
        Ok(self
            .state()
            .environments
            .values()
            .filter(|(e, _)| e.app == app)
            .map(|(e, _)| e.clone())
            .collect())
    }

    fn all_environments(&self) -> Result<Vec<Environment>> {
        Ok(self
            .state()
            .environments
            .values()
            .map(|(e, _)| e.clone())
            .collect())
    }

    fn delete_environment(&self, environment: &Environment) -> Result<()> {
        let mut state = self.state();
        let key = key(&environment.app, &environment.name);
        let Some((stored, _)) = state.environments.get(&key) else {
            return Err(no_environment(&environment.app, &environment.name));
        };
        check_same_environment(Some(stored), environment)?;
        state.environments.remove(&key);
        state.pending.remove(&key);
        Ok(())
    }

    fn pending_deprovisions(&self, app: &str, env: &str) -> Result<Vec<PendingDeprovision>> {
        let state = self.state();
        let key = key(app, env);
        if !state.environments.contains_key(&key) {
            return Err(no_environment(app, env));
        }
        Ok(state.pending.get(&key).cloned().unwrap_or_default())
    }

    fn set_pending_deprovisions(
        &self,
        environment: &Environment,
        pending: &[PendingDeprovision],
    ) -> Result<()> {
        let mut state = self.state();
        let key = key(&environment.app, &environment.name);
        let stored = state.environments.get(&key).map(|(e, _)| e);
        check_same_environment(stored, environment)?;
        if pending.is_empty() {
            state.pending.remove(&key);
        } else {
            state.pending.insert(key, pending.to_vec());
        }
        Ok(())
    }

    fn append(&self, draft: Draft) -> Result<Deployment> {
        let mut state = self.state();
        let key = key(draft.app(), draft.env());
        let stored = state.environments.get(&key);
        check_same_environment(stored.map(|(e, _)| e), draft.environment())?;
        let Some((_, ids)) = stored else {
            return Err(no_environment(draft.app(), draft.env()));
        };
        let record = draft.seal(ids.last().cloned());
        let id = record.id.clone();
        state.records.insert(id.clone(), record.clone());
        if let Some((_, ids)) = state.environments.get_mut(&key) {
            ids.push(id);
        }
        Ok(record)
    }

    fn record(&self, id: &str) -> Result<Deployment> {
        self.state()
            .records
            .get(id)
            .cloned()
            .ok_or_else(|| no_record(id))
    }

    fn mark_failed(&self, app: &str, env: &str, id: &str) -> Result<()> {
        let mut state = self.state();
        let Some((_, ids)) = state.environments.get(&key(app, env)) else {
            return Err(no_environment(app, env));
        };
        if !ids.iter().any(|i| i == id) {
            return Err(not_in_history(app, env, id));
        }
        state.failed.insert(id.to_owned());
        Ok(())
    }

    fn import_record(&self, record: &Deployment) -> Result<()> {
        record.verify()?;
        self.state()
            .records
            .entry(record.id.clone())
            .or_insert_with(|| record.clone());
        Ok(())
    }

    fn record_ids(&self) -> Result<Vec<String>> {
        let mut ids: Vec<String> = self.state().records.keys().cloned().collect();
        ids.sort();
        Ok(ids)
    }

    fn history(&self, app: &str, env: &str) -> Result<History> {
        let state = self.state();
        let Some((_, ids)) = state.environments.get(&key(app, env)) else {
            return Err(no_environment(app, env));
        };
        let entries = ids
            .iter()
            .map(|id| HistoryEntry {
                id: id.clone(),
                record: state.records.get(id).cloned().ok_or_else(|| no_record(id)),
                failed: state.failed.contains(id),
            })
            .collect();
        Ok(History { entries })
    }
}
