//! What writers killed mid-write leave in a [`DirStore`], found and removed when the store is
//! opened.
//!
//! - A temporary file `NAME.tmp.PID.N` (in `records/` or an environment's folder). Its writer
//!   holds an operating-system lock on it from just after creating it until it is renamed, and
//!   the system releases that lock when the writer dies: a temporary file whose lock can be
//!   taken belongs to a dead writer and is removed; one whose lock is held is left alone.
//! - A folder `apps/APP/.deleted-ENV-PID` of a delete interrupted between its rename and its
//!   removal. Deletes hold the application's lock throughout, so such a folder found while
//!   that lock can be taken is removed.

use std::fs::{self, File, TryLockError};
use std::path::Path;

use super::{DirStore, io_error};
use crate::Result;

/// What comes between a temporary file's name and its writer's process id.
pub(super) const TEMP: &str = "tmp.";

/// The prefix of the folder an environment is moved to before it is removed.
pub(super) const DELETED: &str = ".deleted-";

/// Removes the leftovers of dead writers from `store`.
pub(super) fn remove(store: &DirStore) -> Result<()> {
    remove_temp_files(&store.root.join("records"))?;
    let apps = store.root.join("apps");
    for app in subfolders(&apps)? {
        let name = app.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if store.app_dir(name).is_err() {
            continue;
        }
        remove_deleted(&app)?;
        for env in subfolders(&app)? {
            remove_temp_files(&env)?;
        }
    }
    Ok(())
}

/// Whether `name` is the name of a temporary file of a store writer.
fn is_temp(name: &str) -> bool {
    name.contains(&format!(".{TEMP}"))
}

fn subfolders(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    Ok(entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect())
}

/// Removes the temporary files of `dir` that no live writer holds.
fn remove_temp_files(dir: &Path) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| io_error(dir, "cannot read", &e))?;
    for entry in entries.filter_map(|e| e.ok()) {
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let name = entry.file_name();
        if !is_file || !name.to_str().is_some_and(is_temp) {
            continue;
        }
        let path = entry.path();
        // Gone meanwhile (its writer renamed it): nothing to do.
        let Ok(file) = File::options().write(true).open(&path) else {
            continue;
        };
        match file.try_lock() {
            Ok(()) => remove_file(&path)?,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(io_error(&path, "cannot lock", &e)),
        }
    }
    Ok(())
}

/// Removes the folders of interrupted deletes in the application folder `app`, unless a
/// delete of that application is under way.
fn remove_deleted(app: &Path) -> Result<()> {
    let trash: Vec<_> = subfolders(app)?
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(DELETED))
        })
        .collect();
    if trash.is_empty() {
        return Ok(());
    }
    let lock_path = app.join(".lock");
    let Ok(lock) = File::options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
    else {
        return Ok(());
    };
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Ok(()),
        Err(TryLockError::Error(e)) => return Err(io_error(&lock_path, "cannot lock", &e)),
    }
    for folder in trash {
        fs::remove_dir_all(&folder).map_err(|e| io_error(&folder, "cannot remove", &e))?;
    }
    Ok(())
}

fn remove_file(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path, "cannot remove", &e)),
    }
}
