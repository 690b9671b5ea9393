//! `goldpath render` refusing error violations, `goldpath check` and `goldpath authorize`, run
//! as a user runs them (the README's golden-path commands).

mod common;

use common::{goldpath_in, repo, shop_inputs, text};

use std::path::Path;
use std::process::Output;

/// The backend in production with a floating Docker Hub image, written to `out`.
fn latest_backend(out: &Path, extra: &[&str]) -> Output {
    let backend = repo().join("fixtures/shop/backend.score.yaml");
    let platform = repo().join("fixtures/platform");
    let mut args = vec![
        "render",
        backend.to_str().unwrap(),
        "--platform",
        platform.to_str().unwrap(),
        "--app",
        "shop",
        "--env-type",
        "production",
        "--override-property",
        "containers.api.image=postgres:latest",
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    goldpath_in(&repo(), &args)
}

#[test]
fn an_error_violation_blocks_render_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("manifests.yaml");
    let run = latest_backend(&out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("error: forbid-latest-tag (production-guardrails): workload `backend` /containers/api/image"), "{stderr}");
    assert!(stderr.contains("--allow-violations"), "{stderr}");
    assert!(!out.exists());
    let allowed = latest_backend(&out, &["--allow-violations"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stderr));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("image: postgres:latest")
    );
}

#[test]
fn check_prints_the_violations_as_json() {
    let mut args = vec!["check"];
    args.extend(shop_inputs("production"));
    args.extend(["--format", "json"]);
    let run = goldpath_in(&repo(), &args);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let violations: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let rules: Vec<&str> = violations
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["require-digest"; 5]);
}

#[test]
fn authorize_exits_by_the_decision() {
    let ask = |user: &[&str]| {
        let mut args = vec!["authorize", "--platform", "fixtures/platform"];
        args.extend_from_slice(user);
        args.extend_from_slice(&[
            "--action",
            "promote",
            "--app",
            "shop",
            "--env",
            "production",
            "--env-type",
            "production",
        ]);
        goldpath_in(&repo(), &args)
    };
    let denied = ask(&["--as", "sam", "--group", "shop-team"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        text(&denied.stdout).starts_with("denied: "),
        "{}",
        text(&denied.stdout)
    );
    assert!(text(&denied.stdout).contains("deployer on `production`"));
    let allowed = ask(&[
        "--as",
        "rita",
        "--group",
        "shop-team",
        "--group",
        "release-managers",
        "--format",
        "json",
    ]);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stdout));
    let decision: serde_json::Value = serde_json::from_slice(&allowed.stdout).unwrap();
    assert_eq!(decision["binding"], "release-managers");
    let unknown = goldpath_in(
        &repo(),
        &[
            "authorize",
            "--platform",
            "fixtures/platform",
            "--as",
            "x",
            "--action",
            "destroy",
        ],
    );
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_bad_cronjob_schedule_names_the_score_file_and_the_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let nightly = std::fs::read_to_string(repo().join("fixtures/shop/nightly-report.score.yaml"))
        .unwrap()
        .replace("\"0 3 * * *\"", "\"0 25 * * *\"");
    let file = dir.path().join("nightly.score.yaml");
    std::fs::write(&file, nightly).unwrap();
    let backend = repo().join("fixtures/shop/backend.score.yaml");
    let platform = repo().join("fixtures/platform");
    let out = dir.path().join("manifests.yaml");
    let run = goldpath_in(
        &repo(),
        &[
            "render",
            file.to_str().unwrap(),
            backend.to_str().unwrap(),
            "--platform",
            platform.to_str().unwrap(),
            "--app",
            "shop",
            "--env-type",
            "staging",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_ne!(run.status.code(), Some(0));
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains(
            "nightly.score.yaml: invalid: metadata.annotations[\"goldpath.dev/schedule\"]: `0 25 * * *`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("25 is outside 0-23"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}
