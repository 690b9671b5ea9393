//! `goldpath apply` (feature `kube`) as a user runs it: usage errors, kubeconfig problems and
//! an unreachable cluster, with their exit codes. The requests themselves are tested in
//! `core/tests/apply_cluster.rs`.
#![cfg(feature = "kube")]

use std::path::Path;
use std::process::{Command, Output};

fn goldpath(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goldpath"))
        .args(args)
        .env_remove("KUBECONFIG")
        .output()
        .expect("the binary runs")
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

fn shop(extra: &[&str]) -> Output {
    shop_with("apply", extra)
}

/// `goldpath COMMAND fixtures/shop ...` for qa-light, with `extra` arguments.
fn shop_with(command: &str, extra: &[&str]) -> Output {
    let (shop, platform) = (fixture("fixtures/shop"), fixture("fixtures/platform"));
    let mut args = vec![
        command,
        shop.as_str(),
        "--platform",
        platform.as_str(),
        "--app",
        "shop",
        "--env-type",
        "qa-light",
    ];
    args.extend_from_slice(extra);
    goldpath(&args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_malformed_wait_timeout_is_a_usage_error() {
    let out = shop(&["--wait=5d"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("write the timeout as 90s, 10m, 1h or seconds"));
}

#[test]
fn a_missing_kubeconfig_names_the_file() {
    let out = shop(&["--kubeconfig", "no-such-kubeconfig.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no-such-kubeconfig.yaml: cluster: cannot read the kubeconfig"),
        "{stderr}"
    );
}

/// A kubeconfig in `dir` whose cluster is a port nothing listens on.
fn unreachable_kubeconfig(dir: &Path) -> std::path::PathBuf {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let kubeconfig = dir.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: 'http://127.0.0.1:{port}'}}}}]\nusers: [{{name: u, user: {{}}}}]\ncontexts: [{{name: dev, context: {{cluster: c, user: u}}}}]\ncurrent-context: dev\n"
        ),
    )
    .unwrap();
    kubeconfig
}

#[test]
fn an_unreachable_cluster_fails_before_anything_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = unreachable_kubeconfig(dir.path());
    let out = shop(&[
        "--kubeconfig",
        kubeconfig.to_str().unwrap(),
        "--context",
        "dev",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("failed: reading Secret "), "{stdout}");
    assert!(!stdout.contains("applied"), "{stdout}");
}

#[test]
fn goldpath_store_records_an_apply_without_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = unreachable_kubeconfig(dir.path());
    let store = dir.path().join("store");
    let (shop, platform) = (fixture("fixtures/shop"), fixture("fixtures/platform"));
    let with_store = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_goldpath"))
            .args(args)
            .args([
                "--app",
                "shop",
                "--env",
                "qa",
                "--as",
                "ada",
                "--group",
                "shop-team",
            ])
            .env_remove("KUBECONFIG")
            .env("GOLDPATH_STORE", &store)
            .output()
            .expect("the binary runs")
    };
    let created = with_store(&[
        "env",
        "create",
        "--platform",
        &platform,
        "--env-type",
        "qa-light",
    ]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    let kubeconfig = kubeconfig.to_str().unwrap();
    let out = with_store(&[
        "apply",
        &shop,
        "--platform",
        &platform,
        "--env-type",
        "qa-light",
        "--context",
        "dev",
        "--kubeconfig",
        kubeconfig,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("\nrecord "), "{stdout}");
    assert!(stdout.trim_end().ends_with("(failed)"), "{stdout}");
    // The failed apply is in the store's history, read through the same variable.
    let history = Command::new(env!("CARGO_BIN_EXE_goldpath"))
        .args(["history", "--app", "shop", "--env", "qa"])
        .env("GOLDPATH_STORE", &store)
        .output()
        .expect("the binary runs");
    let listed = text(&history.stdout);
    let id = stdout.trim_end().rsplit("record ").next().unwrap();
    assert!(
        listed.contains(&id[..12]),
        "{listed}\n{}",
        text(&history.stderr)
    );
}

#[test]
fn the_live_diff_plans_then_names_a_missing_kubeconfig() {
    let out = shop_with(
        "diff",
        &["--live", "--kubeconfig", "no-such-kubeconfig.yaml"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no-such-kubeconfig.yaml: cluster: cannot read the kubeconfig"),
        "{stderr}"
    );
    let out = goldpath(&["diff", "only-one-id", "--store", "x"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "record diffs still need two ids"
    );
    let out = goldpath(&["diff", "--kubeconfig", "k.yaml", "a", "b"]);
    assert_eq!(out.status.code(), Some(2), "--kubeconfig belongs to --live");
}
