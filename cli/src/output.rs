//! Writing the CLI's output files (`render -o FILE`, `render --out-dir DIR`, `catalog -o FILE`)
//! so that a reader never sees half a file and a failed command leaves nothing behind.
//!
//! `-o FILE`, by what `FILE` is:
//!
//! - `-`: standard output, written once the whole output is made (a failed command writes
//!   nothing there).
//! - a regular file, or nothing yet: the output goes to a temporary file with a unique name in
//!   the same folder (`.FILE.XXXXXX.goldpath-tmp`), is flushed to disk, and is renamed over
//!   `FILE`. Readers see the old file or the new one; two writers never share a temporary
//!   file (the last rename wins); on an error the temporary file is removed. A replaced file
//!   keeps its permissions; a new one gets `0666` less the umask.
//! - a symbolic link: followed to its target, which is written by these rules; the link
//!   stays.
//! - a character device (`/dev/null`, `/dev/stdout`), a FIFO or a socket: written into, never
//!   replaced, once the whole output is made (a failed command writes nothing there).
//! - a folder: refused.
//!
//! `--out-dir DIR`: every file is written into a temporary folder next to `DIR` (next to its
//! target when `DIR` is a symbolic link, which stays), which is renamed to `DIR` once complete. When `DIR` exists it is replaced only when it is empty or
//! holds exactly what an earlier render wrote there (its `kustomization.yaml` and the files
//! that lists); any other file in it makes the command fail, naming it, and nothing is
//! changed. File names must be plain names (`[a-z0-9.-]`, not starting with `.`).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::inputs::is_stdout;

/// The most symbolic links followed from `-o FILE` to the file written.
const MAX_LINKS: usize = 40;
/// The suffix of every temporary file and folder.
const TMP_SUFFIX: &str = ".goldpath-tmp";
/// The file of an output folder that lists the others.
pub const KUSTOMIZATION: &str = "kustomization.yaml";

/// Writes through `write` to `path` by the rules of this module.
///
/// # Errors
/// The writer's errors, a folder as `path`, a link loop, or the file system's errors.
pub fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if is_stdout(path) {
        let bytes = complete(write)?;
        let mut out = io::stdout().lock();
        out.write_all(&bytes)?;
        return out.flush();
    }
    let target = follow_links(path)?;
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(io::Error::other(format!(
            "{} is a folder: give a file name (or --out-dir for one file per object)",
            target.display()
        ))),
        Ok(meta) if meta.is_file() => replace(&target, Some(meta.permissions()), write),
        Ok(_) => write_into(&target, write),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&target, None, write),
        Err(e) => Err(e),
    }
}

/// The path a chain of symbolic links starting at `path` ends at (`path` itself when it is
/// no link); the end need not exist.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "{}: more than {MAX_LINKS} symbolic links in a row",
        path.display()
    )))
}

/// The folder of `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// `.NAME.` for the temporary files and folders made for `path`.
fn tmp_prefix(path: &Path) -> io::Result<String> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other(format!("{} names no file", path.display())))?;
    Ok(format!(".{}.", name.to_string_lossy()))
}

/// Writes a unique temporary file next to `target` and renames it over `target`.
fn replace(
    target: &Path,
    permissions: Option<fs::Permissions>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let prefix = tmp_prefix(target)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let folder = folder_of(target);
    let mut tmp = builder.tempfile_in(folder)?;
    if let Some(permissions) = permissions {
        tmp.as_file().set_permissions(permissions)?;
    }
    {
        let mut out = BufWriter::new(tmp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    sync_folder(folder);
    Ok(())
}

/// Writes straight into something that is not a regular file (a device, a FIFO).
fn write_into(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let bytes = complete(write)?;
    let mut file = fs::OpenOptions::new().write(true).open(target)?;
    file.write_all(&bytes)?;
    file.flush()
}

/// Everything `write` writes, held until it has succeeded: what goes to a stream that cannot
/// be replaced (standard output, a device, a FIFO), so that a failed command writes nothing
/// there and `goldpath render -o - | kubectl apply -f -` never applies half a plan.
fn complete(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write(&mut bytes)?;
    Ok(bytes)
}

/// Flushes a folder's entries to disk (best effort: not every system allows it).
fn sync_folder(folder: &Path) {
    if let Ok(handle) = fs::File::open(folder) {
        let _ = handle.sync_all();
    }
}

/// Whether `name` may be the name of a file of an output folder.
#[must_use]
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// Writes `files` (name and content, in order) as the folder `dir`, by the rules of this
/// module.
///
/// # Errors
/// A name that is not plain, a `dir` that holds files an earlier render did not write or is
/// not a folder, or the file system's errors; `dir` is then unchanged.
pub fn write_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    if let Some((name, _)) = files.iter().find(|(name, _)| !is_plain_name(name)) {
        return Err(io::Error::other(format!(
            "refusing the file name `{}`: output file names are made of a-z, 0-9, `.` and `-`",
            name.escape_default()
        )));
    }
    let dir = &follow_links(dir)?;
    let existing = replaceable(dir)?;
    let folder = folder_of(dir);
    let staged = tempfile::Builder::new()
        .prefix(&tmp_prefix(dir)?)
        .suffix(TMP_SUFFIX)
        .tempdir_in(folder)?;
    for (name, content) in files {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(staged.path().join(name))?;
        file.write_all(content)?;
        file.sync_all()?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(staged.path(), fs::Permissions::from_mode(0o755))?;
    }
    if existing {
        swap(dir, staged)?;
    } else {
        fs::rename(staged.path(), dir)?;
        let _ = staged.keep();
    }
    sync_folder(folder);
    Ok(())
}

/// Moves the complete `staged` folder to `dir` in place of the existing one, which is removed
/// once the new one is there (restored when the move fails).
fn swap(dir: &Path, staged: tempfile::TempDir) -> io::Result<()> {
    let old = tempfile::Builder::new()
        .prefix(&tmp_prefix(dir)?)
        .suffix(TMP_SUFFIX)
        .tempdir_in(folder_of(dir))?
        .keep();
    if let Err(e) = fs::rename(dir, &old) {
        let _ = fs::remove_dir(&old);
        return Err(e);
    }
    match fs::rename(staged.path(), dir) {
        Ok(()) => {
            let _ = staged.keep();
            fs::remove_dir_all(&old)
        }
        Err(e) => {
            if fs::rename(&old, dir).is_err() {
                let _ = fs::remove_dir_all(&old);
            }
            Err(e)
        }
    }
}

/// Whether `dir` exists and may be replaced: `false` when it does not exist, `true` when it
/// is empty or holds only what an earlier render wrote, else an error naming a file that
/// would be lost.
fn replaceable(dir: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
        Ok(meta) if !meta.is_dir() => {
            return Err(io::Error::other(format!(
                "{} exists and is not a folder: choose another --out-dir",
                dir.display()
            )));
        }
        Ok(_) => {}
    }
    let listed = listed_files(&dir.join(KUSTOMIZATION));
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours =
            entry.file_type()?.is_file() && (name == KUSTOMIZATION || listed.contains(&name));
        if !ours {
            return Err(io::Error::other(format!(
                "{} holds `{}`, which goldpath did not write: render into a new or empty folder, or remove it",
                dir.display(),
                name.escape_default()
            )));
        }
    }
    Ok(true)
}

/// The `resources` a kustomization.yaml written by goldpath lists (none when it is missing or
/// not in that form).
fn listed_files(kustomization: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(kustomization) else {
        return Vec::new();
    };
    text.lines()
        .skip_while(|line| *line != "resources:")
        .skip(1)
        .map_while(|line| line.strip_prefix("- "))
        .map(|name| name.trim_matches('"').to_owned())
        .collect()
}
