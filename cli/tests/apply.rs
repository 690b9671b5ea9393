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

#[test]
fn an_unreachable_cluster_fails_before_anything_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: 'http://127.0.0.1:{port}'}}}}]\nusers: [{{name: u, user: {{}}}}]\ncontexts: [{{name: dev, context: {{cluster: c, user: u}}}}]\ncurrent-context: dev\n"
        ),
    )
    .unwrap();
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
