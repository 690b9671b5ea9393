//! Running the `goldpath` binary as a user runs it, for the CLI tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// A path of the repository, as an argument.
pub fn fixture(path: &str) -> String {
    repo().join(path).display().to_string()
}

/// Runs `goldpath ARGS` in `dir`.
pub fn goldpath_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goldpath"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs `goldpath ARGS` in the repository's root.
pub fn goldpath(args: &[&str]) -> Output {
    goldpath_in(&repo(), args)
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
