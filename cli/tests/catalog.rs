//! `goldpath catalog` runs as a user runs it.

mod common;

use common::goldpath;

const SHOP: [&str; 6] = [
    "catalog",
    "fixtures/shop",
    "--platform",
    "fixtures/platform",
    "--app",
    "shop",
];

#[test]
fn catalog_prints_the_entities_and_writes_the_same_to_a_file() {
    let printed = goldpath(&SHOP);
    assert!(printed.status.success(), "{printed:?}");
    let text = String::from_utf8(printed.stdout).unwrap();
    assert!(text.starts_with("---\napiVersion: backstage.io/v1alpha1\nkind: System\n"));
    assert_eq!(text.matches("kind: Component\n").count(), 4);
    assert_eq!(
        text.matches("  type: job\n").count(),
        2,
        "migrate and nightly-report"
    );
    assert!(text.contains("- resource:default/postgres-default-backend.db\n"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("catalog-info.yaml");
    let mut args = SHOP.to_vec();
    let file_arg = file.to_str().unwrap();
    args.extend(["-o", file_arg]);
    assert!(goldpath(&args).status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_bad_owner_fails_with_a_message_naming_it() {
    let mut args = SHOP.to_vec();
    args.extend(["--owner", "not a ref"]);
    let out = goldpath(&args);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("catalog owner"), "{stderr}");
}
