//! Running the `goldpath` binary as a user runs it, for the CLI tests.
#![allow(dead_code)]

use std::ffi::OsStr;
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
pub fn goldpath_in<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goldpath"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs `goldpath ARGS` in the repository's root.
pub fn goldpath<S: AsRef<OsStr>>(args: &[S]) -> Output {
    goldpath_in(&repo(), args)
}

/// Runs `goldpath ARGS` in the repository's root; returns the exit code and standard error.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> (i32, String) {
    let out = goldpath(args);
    (out.status.code().unwrap_or(-1), text(&out.stderr))
}

/// Runs `goldpath ARGS` in the repository's root and expects success; returns standard
/// output.
pub fn ok<S: AsRef<OsStr> + std::fmt::Debug>(args: &[S]) -> String {
    let out = goldpath(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The words of `line` (split at white space), each word that is a key of `fill` replaced
/// by its value whole: a command line whose filled-in paths may hold spaces.
pub fn command(line: &str, fill: &[(&str, &str)]) -> Vec<String> {
    line.split_whitespace()
        .map(|word| {
            fill.iter()
                .find(|(key, _)| *key == word)
                .map_or(word, |(_, value)| value)
                .to_owned()
        })
        .collect()
}

/// The inputs of the sample application for an environment of type `env_type` (paths
/// relative to the repository's root): what `render`, `check`, `graph` and `explain` take.
pub fn shop_inputs(env_type: &str) -> [&str; 7] {
    [
        "fixtures/shop",
        "--platform",
        "fixtures/platform",
        "--app",
        "shop",
        "--env-type",
        env_type,
    ]
}

/// `goldpath render` of the sample application for a `qa-light` environment, then `extra`.
pub fn render_shop<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["render"];
    args.extend(shop_inputs("qa-light"));
    args.extend_from_slice(extra);
    args
}

/// A user deploying, as `ada` of `shop-team`.
pub const ADA: [&str; 4] = ["--as", "ada", "--group", "shop-team"];

/// `goldpath deploy` of the Score files in `shop` to environment `qa-42` of app `shop` in
/// `store` at `at`, with the sample platform (no identity: add [`ADA`] or another).
pub fn deploy_qa42<'a>(shop: &'a str, store: &'a str, at: &'a str) -> Vec<&'a str> {
    vec![
        "deploy",
        shop,
        "--platform",
        "fixtures/platform",
        "--app",
        "shop",
        "--env",
        "qa-42",
        "--store",
        store,
        "--at",
        at,
    ]
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
