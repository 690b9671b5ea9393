//! A store in a folder: one JSON file per record, an index per environment, file locks.
//!
//! ```text
//! ROOT/records/ID.json                  one record, written once (temporary file + rename)
//! ROOT/apps/APP/ENV/environment.json    the environment
//! ROOT/apps/APP/ENV/index.json          the ids of its history, oldest first
//! ROOT/apps/APP/ENV/pending.json        its failed deprovisions, to retry (when there are)
//! ROOT/apps/APP/ENV.lock                held while a record is appended or the env deleted
//! ROOT/apps/APP/.lock                   held while an environment is created or deleted
//! ROOT/environments.lock                held while an environment is created (every app)
//! ```
//!
//! Every file is written to a temporary file of a unique name in the same folder
//! (`NAME.tmp.PID.N`, locked by its writer while it exists), flushed and renamed over the old
//! one, so a reader sees the old or the new content, never a part. Locks are advisory
//! operating-system file locks (`flock`), which the system releases when a process dies, so
//! a crash never leaves a stale lock behind. What a writer killed mid-write leaves (a temporary
//! file nobody holds the lock of, the `.deleted-*` folder of an interrupted delete) is
//! removed the next time the store is opened.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::{
    Environment, History, HistoryEntry, Store, check_same_environment, environment_exists,
    no_environment, no_record, not_in_history,
};
use crate::deploy::deprovision::PendingDeprovision;
use crate::deploy::digest::is_record_id;
use crate::deploy::record::{Deployment, Draft, store_error};
use crate::validate::names::dns1123_label;
use crate::{Error, ErrorKind, Location, Result};

mod leftovers;

const INDEX_FORMAT: &str = "goldpath.dev/environment-index/v1";

const PENDING_FORMAT: &str = "goldpath.dev/pending-deprovisions/v1";

const PENDING_FILE: &str = "pending.json";

/// The file of an environment's pending deprovisions.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pending {
    format: String,
    deprovisions: Vec<PendingDeprovision>,
}

/// A store in a folder, safe to share between threads and processes.
///
/// ```
/// use goldpath::deploy::{DirStore, Environment, Store};
///
/// let folder = tempfile::tempdir().unwrap();
/// let store = DirStore::open(folder.path()).unwrap();
/// let qa = Environment {
///     app: "shop".into(), name: "qa".into(), env_type: "qa-light".into(),
///     created_at: "2026-11-23T10:00:00Z".into(), namespace: Some("shop-qa".into()),
///     ..Environment::default()
/// };
/// store.create_environment(&qa, &|_| Ok(())).unwrap();
/// assert_eq!(store.environments("shop").unwrap()[0].env_type, "qa-light");
/// ```
#[derive(Debug, Clone)]
pub struct DirStore {
    root: PathBuf,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Index {
    format: String,
    records: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    failed: Vec<String>,
}

impl Default for Index {
    fn default() -> Self {
        Self {
            format: INDEX_FORMAT.to_owned(),
            records: Vec::new(),
            failed: Vec::new(),
        }
    }
}

impl DirStore {
    /// The store in `root`, created if missing. What writers that died mid-write left
    /// behind is removed (temporary files no live writer holds, folders of interrupted
    /// deletes); the files of writers still at work are left alone.
    ///
    /// # Errors
    /// The folder cannot be created, or a leftover cannot be removed.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        for sub in ["records", "apps"] {
            let path = root.join(sub);
            fs::create_dir_all(&path).map_err(|e| io_error(&path, "cannot create", &e))?;
        }
        let store = Self { root };
        leftovers::remove(&store)?;
        Ok(store)
    }

    /// The store's folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn app_dir(&self, app: &str) -> Result<PathBuf> {
        check_name("app", app)?;
        Ok(self.root.join("apps").join(app))
    }

    fn env_dir(&self, app: &str, env: &str) -> Result<PathBuf> {
        check_name("environment", env)?;
        Ok(self.app_dir(app)?.join(env))
    }

    fn record_path(&self, id: &str) -> Result<PathBuf> {
        if !is_record_id(id) {
            return Err(store_error(format!(
                "`{id}` is not a record id (64 lower-case hex digits): an environment's history lists the ids"
            )));
        }
        Ok(self.root.join("records").join(format!("{id}.json")))
    }

    fn lock(&self, app: &str, env: Option<&str>) -> Result<File> {
        let app_dir = self.app_dir(app)?;
        fs::create_dir_all(&app_dir).map_err(|e| io_error(&app_dir, "cannot create", &e))?;
        let path = match env {
            Some(env) => app_dir.join(format!("{env}.lock")),
            None => app_dir.join(".lock"),
        };
        lock_file(&path)
    }

    fn read_index(&self, app: &str, env: &str) -> Result<Index> {
        let path = self.env_dir(app, env)?.join("index.json");
        let index: Index = read_json(&path)?;
        if index.format != INDEX_FORMAT {
            return Err(corrupt(
                &path,
                &format!("format `{}` is unknown", index.format),
            ));
        }
        Ok(index)
    }

    fn write_index(&self, app: &str, env: &str, index: &Index) -> Result<()> {
        write_json(&self.env_dir(app, env)?.join("index.json"), index)
    }

    /// The applications that have a folder, sorted.
    fn app_names(&self) -> Result<Vec<String>> {
        let dir = self.root.join("apps");
        let entries = fs::read_dir(&dir).map_err(|e| io_error(&dir, "cannot read", &e))?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| dns1123_label(name).is_ok())
            .collect();
        names.sort();
        Ok(names)
    }
}

impl Store for DirStore {
    fn create_environment(
        &self,
        environment: &Environment,
        admit: &dyn Fn(&[Environment]) -> Result<()>,
    ) -> Result<()> {
        let (app, env) = (environment.app.as_str(), environment.name.as_str());
        // The names are checked (by `env_dir`) before any lock is taken.
        let dir = self.env_dir(app, env)?;
        let _all = lock_file(&self.root.join("environments.lock"))?;
        let _lock = self.lock(app, None)?;
        if dir.join("environment.json").exists() {
            return Err(environment_exists(app, env));
        }
        admit(&self.all_environments()?)?;
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, "cannot create", &e))?;
        self.write_index(app, env, &Index::default())?;
        write_json(&dir.join("environment.json"), environment)
    }

    fn environment(&self, app: &str, env: &str) -> Result<Option<Environment>> {
        let path = self.env_dir(app, env)?.join("environment.json");
        if !path.exists() {
            return Ok(None);
        }
        read_json(&path).map(Some)
    }

    fn environments(&self, app: &str) -> Result<Vec<Environment>> {
        let dir = self.app_dir(app)?;
        let Ok(entries) = fs::read_dir(&dir) else {
            return Ok(Vec::new());
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("environment.json").exists())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| dns1123_label(name).is_ok())
            .collect();
        names.sort();
        names
            .iter()
            .filter_map(|name| self.environment(app, name).transpose())
            .collect()
    }

    fn all_environments(&self) -> Result<Vec<Environment>> {
        let mut all = Vec::new();
        for app in self.app_names()? {
            all.extend(self.environments(&app)?);
        }
        Ok(all)
    }

    fn delete_environment(&self, environment: &Environment) -> Result<()> {
        let (app, env) = (environment.app.as_str(), environment.name.as_str());
        let _app_lock = self.lock(app, None)?;
        let _env_lock = self.lock(app, Some(env))?;
        let dir = self.env_dir(app, env)?;
        let Some(stored) = self.environment(app, env)? else {
            return Err(no_environment(app, env));
        };
        check_same_environment(Some(&stored), environment)?;
        let trash = self.app_dir(app)?.join(format!(
            "{}{env}-{}",
            leftovers::DELETED,
            std::process::id()
        ));
        fs::rename(&dir, &trash).map_err(|e| io_error(&dir, "cannot delete", &e))?;
        fs::remove_dir_all(&trash).map_err(|e| io_error(&trash, "cannot delete", &e))
    }

    fn append(&self, draft: Draft) -> Result<Deployment> {
        let (app, env) = (draft.app().to_owned(), draft.env().to_owned());
        let _lock = self.lock(&app, Some(&env))?;
        check_same_environment(self.environment(&app, &env)?.as_ref(), draft.environment())?;
        let mut index = self.read_index(&app, &env)?;
        let record = draft.seal(index.records.last().cloned());
        write_json(&self.record_path(&record.id)?, &record)?;
        index.records.push(record.id.clone());
        self.write_index(&app, &env, &index)?;
        Ok(record)
    }

    fn pending_deprovisions(&self, app: &str, env: &str) -> Result<Vec<PendingDeprovision>> {
        let dir = self.env_dir(app, env)?;
        if !dir.join("environment.json").exists() {
            return Err(no_environment(app, env));
        }
        let path = dir.join(PENDING_FILE);
        if !path.exists() {
            return Ok(Vec::new());
        }
        let pending: Pending = read_json(&path)?;
        if pending.format != PENDING_FORMAT {
            return Err(corrupt(
                &path,
                &format!("format `{}` is unknown", pending.format),
            ));
        }
        Ok(pending.deprovisions)
    }

    fn set_pending_deprovisions(
        &self,
        environment: &Environment,
        pending: &[PendingDeprovision],
    ) -> Result<()> {
        let (app, env) = (environment.app.as_str(), environment.name.as_str());
        let _lock = self.lock(app, Some(env))?;
        check_same_environment(self.environment(app, env)?.as_ref(), environment)?;
        let path = self.env_dir(app, env)?.join(PENDING_FILE);
        if pending.is_empty() {
            return match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(io_error(&path, "cannot delete", &e))
                }
                _ => Ok(()),
            };
        }
        let file = Pending {
            format: PENDING_FORMAT.to_owned(),
            deprovisions: pending.to_vec(),
        };
        write_json(&path, &file)
    }

    fn mark_failed(&self, app: &str, env: &str, id: &str) -> Result<()> {
        let _lock = self.lock(app, Some(env))?;
        if !self.env_dir(app, env)?.join("environment.json").exists() {
            return Err(no_environment(app, env));
        }
        let mut index = self.read_index(app, env)?;
        if !index.records.iter().any(|r| r == id) {
            return Err(not_in_history(app, env, id));
        }
        if !index.failed.iter().any(|r| r == id) {
            index.failed.push(id.to_owned());
        }
        self.write_index(app, env, &index)
    }

    fn record(&self, id: &str) -> Result<Deployment> {
        let path = self.record_path(id)?;
        if !path.exists() {
            return Err(no_record(id));
        }
        let record: Deployment = read_json(&path)?;
        record.verify().map_err(|e| {
            Error::new(
                ErrorKind::Store,
                file_location(&path),
                format!("{}: restore the file from a backup", e.message()),
            )
        })?;
        Ok(record)
    }

    fn import_record(&self, record: &Deployment) -> Result<()> {
        record.verify()?;
        let path = self.record_path(&record.id)?;
        if path.exists() {
            return Ok(());
        }
        write_json(&path, record)
    }

    fn record_ids(&self) -> Result<Vec<String>> {
        let dir = self.root.join("records");
        let entries = fs::read_dir(&dir).map_err(|e| io_error(&dir, "cannot read", &e))?;
        let mut ids: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
            .filter(|id| is_record_id(id))
            .collect();
        ids.sort();
        Ok(ids)
    }

    fn history(&self, app: &str, env: &str) -> Result<History> {
        if self.environment(app, env)?.is_none() {
            return Err(no_environment(app, env));
        }
        let index = self.read_index(app, env)?;
        let entries = index
            .records
            .iter()
            .map(|id| HistoryEntry {
                record: self.record(id),
                failed: index.failed.contains(id),
                id: id.clone(),
            })
            .collect();
        Ok(History { entries })
    }
}

fn check_name(what: &str, name: &str) -> Result<()> {
    dns1123_label(name).map_err(|message| {
        Error::new(
            ErrorKind::Name,
            Location::default(),
            format!("{what} name `{name}`: {message}"),
        )
    })
}

fn file_location(path: &Path) -> Location {
    Location::in_file(path.display().to_string())
}

fn io_error(path: &Path, what: &str, error: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        file_location(path),
        format!("{what}: {error}"),
    )
}

fn corrupt(path: &Path, why: &str) -> Error {
    Error::new(
        ErrorKind::Store,
        file_location(path),
        format!("the file is corrupt or truncated ({why}): restore it from a backup"),
    )
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let bytes = fs::read(path).map_err(|e| io_error(path, "cannot read", &e))?;
    serde_json::from_slice(&bytes).map_err(|e| corrupt(path, &e.to_string()))
}

/// Opens (creating it) and locks the lock file `path`, waiting for its holder.
fn lock_file(path: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| io_error(path, "cannot open the lock file", &e))?;
    file.lock().map_err(|e| io_error(path, "cannot lock", &e))?;
    Ok(file)
}

/// Writes `value` as JSON to a temporary file of a unique name beside `path` (locked while it
/// is written, so [`leftovers`] knows its writer is alive), flushes it and renames it over
/// `path`.
fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::new(ErrorKind::Io, file_location(path), e.to_string()))?;
    bytes.push(b'\n');
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_extension(format!("{}{}.{n}", leftovers::TEMP, std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.lock()?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        if let Some(parent) = path.parent() {
            // Make the rename itself durable; not every platform can open a folder.
            let _ = File::open(parent).and_then(|d| d.sync_all());
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error(path, "cannot write", &e)
    })
}
