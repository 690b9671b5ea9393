//! The deployment commands run as a user runs them: deploy, change an image, deploy, diff,
//! rollback, diff again; promote; environments; history with an unreadable record.

mod common;

use common::{ADA, command, deploy_qa42, goldpath, ok, repo, text};

use std::path::{Path, PathBuf};

/// A copy of fixtures/shop with the backend's image tag replaced by `tag`.
fn shop_copy(dir: &Path, tag: &str) -> PathBuf {
    let shop = dir.join(format!("shop-{tag}"));
    std::fs::create_dir_all(&shop).unwrap();
    for file in ["frontend.score.yaml", "backend.score.yaml"] {
        let original = std::fs::read_to_string(repo().join("fixtures/shop").join(file)).unwrap();
        let changed = original.replace("backend:2.0.1", &format!("backend:{tag}"));
        std::fs::write(shop.join(file), changed).unwrap();
    }
    shop
}

fn deploy(store: &str, shop: &Path, at: &str) -> String {
    let shop = shop.to_str().unwrap();
    let mut args = deploy_qa42(shop, store, at);
    args.extend(ADA);
    let id = ok(&args).trim().to_owned();
    assert_eq!(id.len(), 64, "deploy prints the record id: {id}");
    id
}

#[test]
fn deploy_change_deploy_diff_rollback_diff() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let store = store.to_str().unwrap();
    let a = deploy(
        store,
        &shop_copy(dir.path(), "2.0.1"),
        "2026-11-23T10:00:00Z",
    );
    let b = deploy(
        store,
        &shop_copy(dir.path(), "2.1.0"),
        "2026-11-23T11:00:00Z",
    );

    let d = ok(&["diff", "--store", store, &a[..8], &b[..8]]);
    assert!(d.contains("~ workload backend"), "{d}");
    assert!(d.contains("/containers/api/image"), "{d}");
    assert!(d.contains("~ apps/v1 Deployment"), "{d}");
    assert!(
        d.contains("- \"registry.example.com/shop/backend:2.0.1\""),
        "{d}"
    );
    assert!(
        d.contains("+ \"registry.example.com/shop/backend:2.1.0\""),
        "{d}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&ok(&["diff", "--store", store, &a, &b, "--format", "json"])).unwrap();
    assert_eq!(json["inputs"]["workloads"][0]["workload"], "backend");
    assert_eq!(json["objects"].as_array().unwrap().len(), 1);

    let rollback = ok(&command(
        "rollback --store {store} --platform fixtures/platform --app shop --env qa-42 --to {a} --at 2026-11-23T12:00:00Z --as ada --group shop-team",
        &[("{store}", store), ("{a}", &a)],
    ));
    let c = rollback.trim();
    let same = ok(&["diff", "--store", store, &a, c]);
    assert!(
        same.contains("no changes"),
        "rollback reproduces the first deploy: {same}"
    );
    let back = ok(&["diff", "--store", store, &b, c]);
    assert!(
        back.contains("+ \"registry.example.com/shop/backend:2.0.1\""),
        "{back}"
    );

    let history = ok(&[
        "history", "--store", store, "--app", "shop", "--env", "qa-42",
    ]);
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three records: {history}");
    assert!(
        lines[3].starts_with(&c[..12]) && lines[3].contains("rollback"),
        "{history}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "history", "--store", store, "--app", "shop", "--env", "qa-42", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(json[2]["parent"], b.as_str());
}

#[test]
fn promote_and_environments() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let store = store.to_str().unwrap();
    deploy(store, &repo().join("fixtures/shop"), "2026-11-23T10:00:00Z");
    let promoted = ok(&command(
        "promote --store {store} --platform fixtures/platform --app shop --from qa-42 --to staging --at 2026-11-23T11:00:00Z --as pat --group platform-team",
        &[("{store}", store)],
    ));
    assert_eq!(promoted.trim().len(), 64);

    let created = ok(&command(
        "env create --store {store} --platform fixtures/platform --app shop --env pr-7 --env-type qa-light --clone-from qa-42 --ephemeral --at 2026-11-23T12:00:00Z --as ada --group shop-team",
        &[("{store}", store)],
    ));
    assert!(
        created.starts_with("created environment pr-7 (qa-light)"),
        "{created}"
    );
    let list = ok(&["env", "list", "--store", store, "--app", "shop"]);
    assert_eq!(
        list,
        "pr-7\tqa-light ephemeral\nqa-42\tqa-light ephemeral\nstaging\tstaging\n"
    );
    ok(&command(
        "env delete --store {store} --platform fixtures/platform --app shop --env pr-7 --as ada --group shop-team",
        &[("{store}", store)],
    ));
    let list = ok(&[
        "env", "list", "--store", store, "--app", "shop", "--format", "json",
    ]);
    let names: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&list)
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["qa-42", "staging"]);
}

#[test]
fn bad_input_is_refused_with_a_message_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let store = store.to_str().unwrap();
    let out = goldpath(&deploy_qa42("fixtures/shop", store, "tomorrow"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not an RFC 3339 timestamp"),
        "{}",
        text(&out.stderr)
    );
    let out = goldpath(&[
        "history", "--store", store, "--app", "shop", "--env", "qa-42",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("does not exist"));
    let out = goldpath(&["diff", "--store", store, "abc", "def0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("too short"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn history_lists_an_unreadable_record_with_its_path_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let a = deploy(
        store_arg,
        &repo().join("fixtures/shop"),
        "2026-11-23T10:00:00Z",
    );
    let b = deploy(
        store_arg,
        &repo().join("fixtures/shop"),
        "2026-11-23T11:00:00Z",
    );
    let broken = store.join("records").join(format!("{a}.json"));
    std::fs::write(&broken, "{").unwrap();
    let out = goldpath(&[
        "history", "--store", store_arg, "--app", "shop", "--env", "qa-42",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&b[..12]),
        "the readable record is listed: {stdout}"
    );
    assert!(stdout.contains("unreadable"), "{stdout}");
    assert!(
        text(&out.stderr).contains(&broken.display().to_string()),
        "{}",
        text(&out.stderr)
    );
}
