//! Choosing the deployment store: a folder or a `postgres://` URL in `--store` or
//! `GOLDPATH_STORE`; another scheme and a malformed URL are usage errors (exit 2), a server
//! that cannot be reached exits 1, and no message shows the URL's password. With a server
//! (`GOLDPATH_TEST_PG_URL`): deploy and history through the database, and
//! `goldpath store migrate` folder → database → folder giving byte-identical record files.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{ADA, deploy_qa42, fixture, goldpath, repo, run, text};

/// Runs `goldpath ARGS` in the repository's root with `GOLDPATH_STORE` set to `store`.
fn with_store_env(store: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goldpath"))
        .current_dir(repo())
        .env("GOLDPATH_STORE", store)
        .args(args)
        .output()
        .unwrap()
}

fn history(store: &str) -> (i32, String) {
    run(&[
        "history", "--store", store, "--app", "shop", "--env", "qa-42",
    ])
}

#[test]
fn another_scheme_is_a_usage_error_never_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    for store in ["mysql://db/goldpath", "s3://bucket/store"] {
        let out = common::goldpath_in(
            dir.path(),
            &[
                "history", "--store", store, "--app", "shop", "--env", "qa-42",
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{store}");
        assert!(text(&out.stderr).contains("is not a store goldpath knows"));
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no folder was made"
    );
}

#[test]
fn a_malformed_url_is_a_usage_error_and_an_unreachable_server_exits_1() {
    let (code, err) = history("postgres://app:hunter2secret@db:notaport/goldpath");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("malformed") && !err.contains("hunter2secret"),
        "{err}"
    );
    let (code, err) = history("postgres://app:hunter2secret@db/x?sslmode=sometimes");
    assert_eq!(code, 2, "{err}");
    let (code, err) = history("postgres://app:hunter2secret@127.0.0.1:1/goldpath");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("PostgreSQL store postgres://app@127.0.0.1:1/goldpath"),
        "{err}"
    );
    assert!(!err.contains("hunter2secret"), "{err}");
    let out = with_store_env(
        "postgres://app:hunter2secret@127.0.0.1:1/goldpath",
        &["history", "--help"],
    );
    assert!(
        !text(&out.stdout).contains("hunter2secret"),
        "--help shows no password"
    );
}

#[test]
fn goldpath_store_makes_store_optional() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store").display().to_string();
    let shop = fixture("fixtures/shop");
    let mut args = deploy_qa42(&shop, "unused", "2026-11-23T10:00:00Z");
    args.drain(args.len() - 4..args.len() - 2); // drop `--store unused`
    args.extend(ADA);
    let out = with_store_env(&store, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = with_store_env(&store, &["history", "--app", "shop", "--env", "qa-42"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).lines().count(),
        2,
        "a header and one record"
    );
    let (code, err) = run(&["history", "--app", "shop", "--env", "qa-42"]);
    assert_eq!(code, 2, "no store anywhere is a usage error: {err}");
}

/// The record files of a folder store, by name.
fn record_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(root.join("records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A URL of a fresh schema of the test server, or `None` (saying why).
fn fresh_database() -> Option<String> {
    let Ok(url) = std::env::var("GOLDPATH_TEST_PG_URL") else {
        eprintln!(
            "skipping: GOLDPATH_TEST_PG_URL is not set (`.ci/postgres.sh start DIR` prints one)"
        );
        return None;
    };
    let schema = format!("cli_{}_{}", std::process::id(), line!());
    let out = Command::new("psql")
        .args([
            url.as_str(),
            "-qc",
            &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"),
        ])
        .output();
    match out {
        Ok(out) if out.status.success() => {
            let join = if url.contains('?') { '&' } else { '?' };
            Some(format!("{url}{join}options=-csearch_path%3D{schema}"))
        }
        _ => {
            eprintln!("skipping: psql cannot create a schema on the test server");
            None
        }
    }
}

#[test]
fn deploy_history_and_migrate_through_a_database() {
    let Some(url) = fresh_database() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let (a, b) = (a.display().to_string(), b.display().to_string());
    let shop = fixture("fixtures/shop");
    for at in ["2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"] {
        let mut args = deploy_qa42(&shop, &a, at);
        args.extend(ADA);
        let out = goldpath(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let out = goldpath(&["store", "migrate", "--from", &a, "--to", &url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("1 environment(s) and 2 record(s)"), "{said}");
    let password = url
        .split_once("://")
        .and_then(|(_, r)| r.split_once('@'))
        .map(|(i, _)| i.split(':').nth(1).unwrap_or_default().to_owned())
        .unwrap_or_default();
    assert!(password.is_empty() || !said.contains(&password), "{said}");

    let mut args = deploy_qa42(&shop, &url, "2026-11-23T12:00:00Z");
    args.extend(ADA);
    let out = goldpath(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = with_store_env(&url, &["history", "--app", "shop", "--env", "qa-42"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).lines().count(),
        4,
        "a header and three records"
    );

    let (code, err) = run(&["store", "migrate", "--from", &a, "--to", &url]);
    assert_eq!(code, 1, "a database that is not empty is refused: {err}");
    let out = goldpath(&["store", "migrate", "--from", &url, "--to", &b]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (before, after) = (record_files(Path::new(&a)), record_files(Path::new(&b)));
    assert_eq!(after.len(), 3);
    for (name, bytes) in &before {
        let copy = after
            .iter()
            .find(|(n, _)| n == name)
            .expect("every record was copied");
        assert!(&copy.1 == bytes, "{name} differs after the round trip");
    }
}
