//! Locked baselines through the command line: `--namespace` cannot move the objects of an
//! environment type that locks `namespace`, in `render` and in `deploy`.

mod common;

use common::{command, goldpath_in, text};

use std::fs;

const PLATFORM: &str = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: locked}\nspec: {locked: [namespace]}\n";
const SCORE: &str =
    "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main: {image: nginx:1.27}\n";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("platform")).unwrap();
    fs::write(dir.path().join("platform/types.yaml"), PLATFORM).unwrap();
    fs::write(dir.path().join("score.yaml"), SCORE).unwrap();
    dir
}

/// The plan's arguments, after the command's name.
const PLAN: &str = "score.yaml --platform platform --app shop --env prod --env-type locked";

#[test]
fn render_refuses_a_namespace_option_that_breaks_the_lock_and_writes_nothing() {
    let dir = setup();
    let args = command(
        &format!("render {PLAN} --namespace kube-system -o out.yaml"),
        &[],
    );
    let out = goldpath_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("policy"), "{stderr}");
    assert!(stderr.contains("locks `namespace`"), "{stderr}");
    assert!(stderr.contains("`shop-prod`"), "{stderr}");
    assert!(!dir.path().join("out.yaml").exists());

    // The type's own namespace, given as the option, is what the lock asks for.
    let args = command(&format!("render {PLAN} --namespace shop-prod -o -"), &[]);
    let out = goldpath_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("namespace: shop-prod"));
}

#[test]
fn deploy_refuses_it_and_records_nothing() {
    let dir = setup();
    let create = "env create --platform platform --store store --app shop --env prod \
                  --env-type locked --at 2026-11-23T09:00:00Z";
    let created = goldpath_in(dir.path(), &command(create, &[]));
    assert_eq!(created.status.code(), Some(0), "{}", text(&created.stderr));
    let deploy =
        format!("deploy {PLAN} --namespace kube-system --store store --at 2026-11-23T10:00:00Z");
    let args = command(&deploy, &[]);
    let out = goldpath_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    // The deploy guard refuses a namespace option that differs from the environment's fixed
    // namespace before the lock is reached; either refusal names the namespace.
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("locks `namespace`") || stderr.contains("namespace option `kube-system`"),
        "{stderr}"
    );
    let history = goldpath_in(
        dir.path(),
        &[
            "history", "--store", "store", "--app", "shop", "--env", "prod",
        ],
    );
    assert_eq!(history.status.code(), Some(0), "{}", text(&history.stderr));
    let lines = text(&history.stdout);
    assert_eq!(lines.lines().count(), 1, "only the header: {lines}");
}
