//! The binary users install (`cargo install --locked --path cli`, default features) applies,
//! and the command line adds its own hints after the engine's messages.

mod common;

use common::{fixture, goldpath, text};

#[test]
fn the_default_features_include_kube_so_apply_is_in_the_installed_binary() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let default = manifest
        .lines()
        .find(|line| line.starts_with("default = ["))
        .expect("cli/Cargo.toml has a default feature list");
    assert!(default.contains("\"kube\""), "{default}");
    let out = goldpath(&["apply", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("--dry-run"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_missing_environment_gets_the_command_that_creates_it() {
    let store = tempfile::tempdir().unwrap();
    let out = goldpath(&[
        "deploy",
        &fixture("fixtures/shop"),
        "--platform",
        &fixture("fixtures/platform"),
        "--app",
        "shop",
        "--env",
        "nowhere-7",
        "--store",
        &store.path().display().to_string(),
        "--as",
        "ada",
        "--group",
        "shop-team",
        "--at",
        "2026-11-23T10:00:00Z",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("does not exist: create it"), "{stderr}");
    assert!(
        stderr.contains("hint: create it with `goldpath env create"),
        "{stderr}"
    );
}
