//! The store conformance suite, written once and run on every store: `MemoryStore`,
//! `DirStore` and, when `GOLDPATH_TEST_PG_URL` names a server, `PgStore`
//! ([`fixtures::in_each_store`]). Other suites that run through `in_each_store`
//! (`deploy_store.rs`, `access.rs`) run on each store the same way.

#[path = "common/fixtures.rs"]
mod fixtures;

use goldpath::ErrorKind;
use goldpath::deploy::{Environment, MemoryStore, PendingDeprovision, Store, migrate_store};
use goldpath::drivers::DriverRecord;

use fixtures::{deploy_shop, in_each_store, refused};

fn environment(app: &str, name: &str) -> Environment {
    Environment {
        app: app.into(),
        name: name.into(),
        env_type: "qa-light".into(),
        created_at: "2026-11-23T10:00:00Z".into(),
        namespace: Some(format!("{app}-{name}")),
        uid: Some(format!("uid-{app}-{name}")),
        ..Environment::default()
    }
}

fn environments_are_created_once_and_listed_in_order(store: &dyn Store) {
    for (app, name) in [("shop", "qa"), ("bank", "prod"), ("shop", "dev")] {
        store
            .create_environment(&environment(app, name), &|_| Ok(()))
            .unwrap();
    }
    refused(
        store.create_environment(&environment("shop", "qa"), &|_| Ok(())),
        ErrorKind::Store,
        &["exists already"],
    );
    let names = |envs: Vec<Environment>| -> Vec<String> {
        envs.iter()
            .map(|e| format!("{}/{}", e.app, e.name))
            .collect()
    };
    assert_eq!(
        names(store.environments("shop").unwrap()),
        ["shop/dev", "shop/qa"]
    );
    assert_eq!(
        names(store.all_environments().unwrap()),
        ["bank/prod", "shop/dev", "shop/qa"]
    );
    assert_eq!(
        store.environment("shop", "qa").unwrap(),
        Some(environment("shop", "qa"))
    );
    assert_eq!(store.environment("shop", "nope").unwrap(), None);
    assert!(store.environments("none").unwrap().is_empty());
}

#[test]
fn environments_in_each_store() {
    in_each_store(environments_are_created_once_and_listed_in_order);
}

fn admission_sees_every_environment_and_a_refusal_creates_nothing(store: &dyn Store) {
    store
        .create_environment(&environment("bank", "prod"), &|_| Ok(()))
        .unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let refusal = store.create_environment(&environment("shop", "qa"), &|all| {
        seen.lock()
            .unwrap()
            .extend(all.iter().map(|e| e.name.clone()));
        Err(goldpath::Error::new(
            ErrorKind::Invalid,
            goldpath::Location::default(),
            "namespace taken",
        ))
    });
    refused(refusal, ErrorKind::Invalid, &["namespace taken"]);
    assert_eq!(*seen.lock().unwrap(), ["prod"]);
    assert_eq!(store.environment("shop", "qa").unwrap(), None);
}

#[test]
fn admission_in_each_store() {
    in_each_store(admission_sees_every_environment_and_a_refusal_creates_nothing);
}

fn appends_make_one_line_and_records_are_found_by_id_and_prefix(store: &dyn Store) {
    let a = deploy_shop(store, "qa-42", "2026-11-23T10:00:00Z");
    let b = deploy_shop(store, "qa-42", "2026-11-23T11:00:00Z");
    let other = deploy_shop(store, "staging", "2026-11-23T11:00:00Z");
    assert_eq!(a.inputs.parent, None);
    assert_eq!(b.inputs.parent.as_deref(), Some(a.id.as_str()));
    assert_eq!(
        other.inputs.parent, None,
        "each environment has its own line"
    );
    let history = store.history("shop", "qa-42").unwrap();
    assert_eq!(history.ids(), [a.id.as_str(), b.id.as_str()]);
    assert_eq!(history.head(), Some(&b));
    assert_eq!(store.record(&a.id).unwrap(), a);
    let mut ids = vec![a.id.clone(), b.id.clone(), other.id.clone()];
    ids.sort();
    assert_eq!(store.record_ids().unwrap(), ids);
    assert_eq!(store.resolve_id(&b.id[..12]).unwrap(), b.id);
    refused(
        store.resolve_id(&b.id[..3]),
        ErrorKind::Store,
        &["too short"],
    );
    refused(
        store.resolve_id("zzzz"),
        ErrorKind::Store,
        &["no deployment record"],
    );
    refused(store.record(&"0".repeat(64)), ErrorKind::Store, &["0000"]);
    refused(
        store.history("shop", "nope"),
        ErrorKind::Store,
        &["does not exist"],
    );
}

#[test]
fn appends_in_each_store() {
    in_each_store(appends_make_one_line_and_records_are_found_by_id_and_prefix);
}

fn a_deleted_environment_keeps_its_records_readable(store: &dyn Store) {
    let a = deploy_shop(store, "qa-42", "2026-11-23T10:00:00Z");
    let qa = store.environment("shop", "qa-42").unwrap().unwrap();
    store.delete_environment(&qa).unwrap();
    assert_eq!(store.environment("shop", "qa-42").unwrap(), None);
    assert_eq!(store.record(&a.id).unwrap(), a);
    refused(
        store.delete_environment(&qa),
        ErrorKind::Store,
        &["does not exist"],
    );
    refused(
        store.mark_failed("shop", "qa-42", &a.id),
        ErrorKind::Store,
        &["does not exist"],
    );
    let again = deploy_shop(store, "qa-42", "2026-11-23T12:00:00Z");
    assert_eq!(
        again.inputs.parent, None,
        "a new creation starts a new line"
    );
    assert_eq!(
        store.history("shop", "qa-42").unwrap().ids(),
        [again.id.as_str()]
    );
    refused(
        store.mark_failed("shop", "qa-42", &a.id),
        ErrorKind::Store,
        &["not in the history"],
    );
}

#[test]
fn deletes_in_each_store() {
    in_each_store(a_deleted_environment_keeps_its_records_readable);
}

fn imported_records_are_verified_and_kept_once(store: &dyn Store) {
    let source = MemoryStore::new();
    let record = deploy_shop(&source, "qa-42", "2026-11-23T10:00:00Z");
    store.import_record(&record).unwrap();
    store.import_record(&record).unwrap();
    assert_eq!(
        store.record_ids().unwrap(),
        std::slice::from_ref(&record.id)
    );
    assert_eq!(store.record(&record.id).unwrap(), record);
    let mut edited = record.clone();
    edited.inputs.at = "2026-11-23T10:00:01Z".into();
    refused(
        store.import_record(&edited),
        ErrorKind::Store,
        &["does not match its inputs"],
    );
}

#[test]
fn imports_in_each_store() {
    in_each_store(imported_records_are_verified_and_kept_once);
}

/// A store with two environments, a failed record and a record of a deleted environment.
fn populated(store: &dyn Store) {
    deploy_shop(store, "staging", "2026-11-23T09:00:00Z");
    let gone = store.environment("shop", "staging").unwrap().unwrap();
    store.delete_environment(&gone).unwrap();
    deploy_shop(store, "qa-42", "2026-11-23T10:00:00Z");
    let b = deploy_shop(store, "qa-42", "2026-11-23T11:00:00Z");
    store.mark_failed("shop", "qa-42", &b.id).unwrap();
    deploy_shop(store, "staging", "2026-11-23T12:00:00Z");
}

fn a_migration_copies_everything_and_refuses_a_store_that_is_not_empty(store: &dyn Store) {
    let source = MemoryStore::new();
    populated(&source);
    let migrated = migrate_store(&source, store).unwrap();
    assert_eq!((migrated.environments, migrated.records), (2, 4));
    assert_eq!(store.record_ids().unwrap(), source.record_ids().unwrap());
    assert_eq!(
        store.all_environments().unwrap(),
        source.all_environments().unwrap()
    );
    for env in ["qa-42", "staging"] {
        let (copy, original) = (
            store.history("shop", env).unwrap(),
            source.history("shop", env).unwrap(),
        );
        assert_eq!(copy.ids(), original.ids());
        let failed = |h: &goldpath::deploy::History| -> Vec<bool> {
            h.entries.iter().map(|e| e.failed).collect()
        };
        assert_eq!(failed(&copy), failed(&original));
    }
    refused(
        migrate_store(&source, store),
        ErrorKind::Store,
        &["not empty"],
    );
}

#[test]
fn migrations_into_each_store() {
    in_each_store(a_migration_copies_everything_and_refuses_a_store_that_is_not_empty);
}

fn pending(key: &str) -> PendingDeprovision {
    PendingDeprovision {
        key: key.into(),
        definition: "example-db".into(),
        driver: DriverRecord {
            driver: "cmd".into(),
            guid: format!("guid-{key}"),
            params: serde_json::Map::new(),
            values: serde_json::Map::new(),
            outputs: serde_json::Map::new(),
            secrets: std::collections::BTreeMap::new(),
            state: Some(serde_json::json!({"database": key})),
        },
        error: "the program exited with status 1".into(),
        failed_at: "2026-11-23T10:30:00Z".into(),
    }
}

fn pending_deprovisions_are_kept_replaced_and_gone_with_the_environment(store: &dyn Store) {
    deploy_shop(store, "qa-42", "2026-11-23T10:00:00Z");
    let qa = store.environment("shop", "qa-42").unwrap().unwrap();
    assert!(
        store
            .pending_deprovisions("shop", "qa-42")
            .unwrap()
            .is_empty()
    );
    let two = [
        pending("postgres.default#shop.db"),
        pending("dns.default#shop.dns"),
    ];
    store.set_pending_deprovisions(&qa, &two).unwrap();
    assert_eq!(store.pending_deprovisions("shop", "qa-42").unwrap(), two);
    store.set_pending_deprovisions(&qa, &two[1..]).unwrap();
    assert_eq!(
        store.pending_deprovisions("shop", "qa-42").unwrap(),
        two[1..]
    );
    refused(
        store.pending_deprovisions("shop", "nope"),
        ErrorKind::Store,
        &["does not exist"],
    );
    // The same name created again is another environment: the old one's list cannot be set.
    store.delete_environment(&qa).unwrap();
    deploy_shop(store, "qa-42", "2026-11-23T12:00:00Z");
    assert!(
        store
            .pending_deprovisions("shop", "qa-42")
            .unwrap()
            .is_empty(),
        "a deleted environment's pending deprovisions go with it"
    );
    assert!(store.set_pending_deprovisions(&qa, &two).is_err());
    let again = store.environment("shop", "qa-42").unwrap().unwrap();
    store.set_pending_deprovisions(&again, &two).unwrap();
    store.set_pending_deprovisions(&again, &[]).unwrap();
    assert!(
        store
            .pending_deprovisions("shop", "qa-42")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn pending_deprovisions_in_each_store() {
    in_each_store(pending_deprovisions_are_kept_replaced_and_gone_with_the_environment);
}

#[test]
fn a_migration_carries_pending_deprovisions() {
    in_each_store(|store| {
        let source = MemoryStore::new();
        deploy_shop(&source, "qa-42", "2026-11-23T10:00:00Z");
        let qa = source.environment("shop", "qa-42").unwrap().unwrap();
        source
            .set_pending_deprovisions(&qa, &[pending("postgres.default#shop.db")])
            .unwrap();
        migrate_store(&source, store).unwrap();
        assert_eq!(
            store.pending_deprovisions("shop", "qa-42").unwrap(),
            source.pending_deprovisions("shop", "qa-42").unwrap()
        );
    });
}
