//! One writer at a time per environment, in this process: a plan that calls drivers that act
//! on the world, the append of its record and its deprovisions run as one step, so that
//! concurrent deploys call each driver in turn, each with the state the previous one recorded.
//! (Between processes the store's own lock orders the appends only; see the README.)

use std::collections::HashSet;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

type Held = (Mutex<HashSet<(String, String)>>, Condvar);

fn held() -> &'static Held {
    static HELD: OnceLock<Held> = OnceLock::new();
    HELD.get_or_init(|| (Mutex::new(HashSet::new()), Condvar::new()))
}

/// Held while one environment is being written; released when dropped.
pub(super) struct Serial {
    key: (String, String),
}

/// Waits until no one else in this process writes to environment `env` of `app`.
pub(super) fn lock(app: &str, env: &str) -> Serial {
    let key = (app.to_owned(), env.to_owned());
    let (set, freed) = held();
    let mut guard = set.lock().unwrap_or_else(PoisonError::into_inner);
    while guard.contains(&key) {
        guard = freed.wait(guard).unwrap_or_else(PoisonError::into_inner);
    }
    guard.insert(key.clone());
    Serial { key }
}

impl Drop for Serial {
    fn drop(&mut self) {
        let (set, freed) = held();
        set.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.key);
        freed.notify_all();
    }
}
