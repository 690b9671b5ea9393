//! Finding and reading input files.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::Limits;
use crate::{Error, ErrorKind, Location, Result};

/// The files to read: each file as given, and every `*.yaml`, `*.yml` and `*.json` below each
/// folder, in name order. Hidden entries (`.git`, ...) and symbolic links to folders are skipped.
pub(crate) fn collect_files<P: AsRef<Path>>(inputs: &[P]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        let input = input.as_ref();
        let meta = fs::metadata(input).map_err(|e| io_error(input, &e, "read"))?;
        if meta.is_dir() {
            walk(input, &mut files)?;
        } else {
            files.push(input.to_path_buf());
        }
    }
    Ok(files)
}

fn walk(folder: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| io_error(&dir, &e, "list"))?;
        let mut found: Vec<(PathBuf, bool)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, &e, "list"))?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry
                .file_type()
                .map_err(|e| io_error(&entry.path(), &e, "inspect"))?;
            found.push((entry.path(), kind.is_dir()));
        }
        found.sort();
        let (dirs, plain): (Vec<_>, Vec<_>) = found.into_iter().partition(|(_, is_dir)| *is_dir);
        files.extend(
            plain
                .into_iter()
                .map(|(p, _)| p)
                .filter(|p| is_document_file(p)),
        );
        pending.extend(dirs.into_iter().rev().map(|(p, _)| p));
    }
    Ok(())
}

fn is_document_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Reads a file as UTF-8 text, refusing files larger than the limit before reading them whole.
pub(crate) fn read_text(path: &Path, limits: &Limits) -> Result<String> {
    let file = fs::File::open(path).map_err(|e| io_error(path, &e, "open"))?;
    let cap = limits.max_file_bytes;
    // Room for the whole file at once (reading through `take` loses std's own size hint).
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes =
        Vec::with_capacity(usize::try_from(size).map_or(0, |s| s.min(cap).saturating_add(1)));
    file.take(cap as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e, "read"))?;
    if bytes.len() > cap {
        let message = format!(
            "the file is larger than the limit of {cap} bytes: split it, or raise `Limits::max_file_bytes` if it is trusted"
        );
        return Err(Error::new(
            ErrorKind::Limit,
            Location::in_file(path.display().to_string()),
            message,
        ));
    }
    utf8(bytes, Some(&path.display().to_string()))
}

/// The bytes as text, or an error naming the first byte that is not UTF-8.
pub(crate) fn utf8(bytes: Vec<u8>, name: Option<&str>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let message =
            format!("the input is not UTF-8 text (invalid byte at offset {at}): save it as UTF-8");
        let location = Location {
            file: name.map(str::to_owned),
            ..Location::default()
        };
        Error::new(ErrorKind::Yaml, location, message)
    })
}

fn io_error(path: &Path, error: &std::io::Error, action: &str) -> Error {
    let message = format!("cannot {action} `{}`: {error}", path.display());
    Error::new(
        ErrorKind::Io,
        Location::in_file(path.display().to_string()),
        message,
    )
}

/// The folder a file's relative references (`files.*.source`) resolve against: its parent, or
/// the current folder `.` for a bare file name such as `score.yaml` (whose parent is `""`).
pub(crate) fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
