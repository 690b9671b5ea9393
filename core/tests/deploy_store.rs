//! The stores: concurrent deploys to one environment from threads and from processes make one
//! line of history with every record once; corrupt files are reported with their path and do
//! not hide the rest of the history; records match their JSON Schema.

#[path = "common/fixtures.rs"]
mod fixtures;
#[path = "common/schema_descriptions.rs"]
mod schema_descriptions;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use goldpath::ErrorKind;
use goldpath::deploy::{Deployer, Deployment, DirStore, History, MemoryStore, Store};
use goldpath::load::DEPLOYMENT_SCHEMA;
use goldpath::plan::Engine;
use goldpath::resolve::WorkloadInput;
use serde_json::Value;

const CHILD_STORE: &str = "GOLDPATH_TEST_CHILD_STORE";
const DEPLOYS_PER_CHILD: usize = 4;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(fixtures::platform()))
}

fn shop() -> &'static [WorkloadInput] {
    static SHOP: OnceLock<Vec<WorkloadInput>> = OnceLock::new();
    SHOP.get_or_init(fixtures::shop)
}

fn deploy(store: &dyn Store, at: &str) -> Deployment {
    Deployer::new(engine(), store)
        .deploy("shop", "qa-42", shop(), &fixtures::admin(at))
        .unwrap()
}

/// Asserts the history is one line (each parent the entry before) holding exactly `ids`.
fn assert_one_line(history: &History, ids: &BTreeSet<String>) {
    let records: Vec<&Deployment> = history
        .entries
        .iter()
        .map(|e| e.record.as_ref().unwrap())
        .collect();
    let mut parent = None;
    for record in &records {
        assert_eq!(record.inputs.parent, parent, "the history forked");
        parent = Some(record.id.clone());
    }
    let stored: BTreeSet<String> = records.iter().map(|r| r.id.clone()).collect();
    assert_eq!(stored.len(), records.len(), "a record is listed twice");
    assert_eq!(&stored, ids, "a record was lost");
}

fn concurrent_deploys(store: &dyn Store) {
    let ids: BTreeSet<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| scope.spawn(move || deploy(store, &format!("2026-11-23T10:00:0{i}Z")).id))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(ids.len(), 8);
    assert_one_line(&store.history("shop", "qa-42").unwrap(), &ids);
}

#[test]
fn eight_threads_deploying_to_one_environment_make_one_line_of_history() {
    fixtures::in_each_store(concurrent_deploys);
}

/// The body of the child processes of the test below; does nothing when run on its own.
#[test]
fn child_process_deploys() {
    let Some(root) = std::env::var_os(CHILD_STORE) else {
        return;
    };
    let store = DirStore::open(root).unwrap();
    for i in 0..DEPLOYS_PER_CHILD {
        let at = format!("2026-11-23T10:00:0{i}.{}Z", std::process::id());
        println!("deployed {}", deploy(&store, &at).id);
    }
}

#[test]
fn two_processes_deploying_to_one_environment_make_one_line_of_history() {
    let folder = tempfile::tempdir().unwrap();
    let store = DirStore::open(folder.path()).unwrap();
    deploy(&store, "2026-11-23T09:00:00Z");
    let children: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "child_process_deploys",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD_STORE, folder.path())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ids = BTreeSet::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        // The harness prints `test NAME ... ` on the line of the first output.
        ids.extend(
            text.lines()
                .filter_map(|l| l.split("deployed ").nth(1))
                .map(str::to_owned),
        );
    }
    assert_eq!(
        ids.len(),
        2 * DEPLOYS_PER_CHILD,
        "each child reported its deploys"
    );
    let history = store.history("shop", "qa-42").unwrap();
    ids.insert(history.entries[0].id.clone());
    assert_one_line(&history, &ids);
}

#[test]
fn a_truncated_record_is_reported_with_its_path_and_the_rest_stays_readable() {
    let folder = tempfile::tempdir().unwrap();
    let store = DirStore::open(folder.path()).unwrap();
    let ids: Vec<String> = [
        "2026-11-23T10:00:00Z",
        "2026-11-23T11:00:00Z",
        "2026-11-23T12:00:00Z",
    ]
    .iter()
    .map(|at| deploy(&store, at).id)
    .collect();
    let broken = fixtures::record_file(folder.path(), &ids[1]);
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, &text[..text.len() / 2]).unwrap();

    let history = store.history("shop", "qa-42").unwrap();
    assert_eq!(
        history.ids(),
        ids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(history.entries[0].record.is_ok() && history.entries[2].record.is_ok());
    let err = history.entries[1].record.as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Store);
    assert_eq!(
        err.location().file.as_deref(),
        Some(broken.display().to_string().as_str())
    );
    assert!(err.message().contains("corrupt or truncated"), "{err}");
    assert!(
        history.head().is_some(),
        "the latest record is still readable"
    );
}

#[test]
fn a_record_edited_after_it_was_written_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let store = DirStore::open(folder.path()).unwrap();
    let record = deploy(&store, "2026-11-23T10:00:00Z");
    let path = fixtures::record_file(folder.path(), &record.id);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("2026-11-23T10:00:00Z", "2026-11-23T10:00:01Z"),
    )
    .unwrap();
    let err = store.record(&record.id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Store);
    assert!(err.message().contains("does not match its inputs"), "{err}");
    assert!(err.location().file.is_some());
}

#[test]
fn a_corrupt_index_is_reported_with_its_path() {
    let folder = tempfile::tempdir().unwrap();
    let store = DirStore::open(folder.path()).unwrap();
    deploy(&store, "2026-11-23T10:00:00Z");
    let index = folder.path().join("apps/shop/qa-42/index.json");
    std::fs::write(&index, "{\"format\": ").unwrap();
    let err = store.history("shop", "qa-42").unwrap_err();
    assert_eq!(
        err.location().file.as_deref(),
        Some(index.display().to_string().as_str())
    );
    let err = Deployer::new(engine(), &store)
        .deploy(
            "shop",
            "qa-42",
            shop(),
            &fixtures::admin("2026-11-23T11:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Store,
        "nothing is appended to an unreadable history"
    );
}

#[test]
fn ids_that_are_not_record_ids_never_become_paths() {
    let folder = tempfile::tempdir().unwrap();
    let store = DirStore::open(folder.path()).unwrap();
    let err = store.record("../../etc/passwd").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Store);
    assert!(err.message().contains("not a record id"), "{err}");
    let err = store.history("shop", "../x").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Name);
}

#[test]
fn records_match_their_json_schema_and_the_schema_describes_every_field() {
    let schema: Value = serde_json::from_str(DEPLOYMENT_SCHEMA).unwrap();
    let mut undescribed = Vec::new();
    schema_descriptions::find_undescribed(&schema, "#", &mut undescribed);
    assert!(undescribed.is_empty(), "no description: {undescribed:#?}");
    let validator = jsonschema::validator_for(&schema).unwrap();

    let store = MemoryStore::new();
    let deployer = Deployer::new(engine(), &store);
    let first = deploy(&store, "2026-11-23T10:00:00Z");
    let promoted = deployer
        .promote(
            "shop",
            "qa-42",
            "staging",
            &fixtures::admin("2026-11-23T11:00:00Z"),
        )
        .unwrap();
    let rolled = deployer
        .rollback(
            "shop",
            "qa-42",
            &first.id,
            &fixtures::admin("2026-11-23T12:00:00Z"),
        )
        .unwrap()
        .record;
    for record in [first, promoted, rolled] {
        let json = serde_json::to_value(&record).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let mut bad = serde_json::to_value(deploy(&store, "2026-11-23T13:00:00Z")).unwrap();
    bad["inputs"]["at"] = Value::from("now");
    assert!(!validator.is_valid(&bad));
}

fn failed_records_stay_in_the_history_but_are_not_current(store: &dyn Store) {
    let a = deploy(store, "2026-11-23T10:00:00Z");
    let b = deploy(store, "2026-11-23T11:00:00Z");
    store.mark_failed("shop", "qa-42", &b.id).unwrap();
    let history = store.history("shop", "qa-42").unwrap();
    assert_eq!(history.ids(), [a.id.as_str(), b.id.as_str()]);
    assert!(!history.entries[0].failed && history.entries[1].failed);
    assert_eq!(
        history.current().map(|r| r.id.as_str()),
        Some(a.id.as_str())
    );
    let promoted = Deployer::new(engine(), store)
        .promote(
            "shop",
            "qa-42",
            "staging",
            &fixtures::admin("2026-11-23T12:00:00Z"),
        )
        .unwrap();
    assert_eq!(
        promoted.inputs.operation,
        goldpath::deploy::Operation::Promote {
            from: "qa-42".into(),
            record: a.id.clone()
        },
        "promotion takes the current record, not the failed one"
    );
    let c = deploy(store, "2026-11-23T13:00:00Z");
    assert_eq!(
        c.inputs.parent.as_deref(),
        Some(b.id.as_str()),
        "the history stays one line"
    );
    let err = store
        .mark_failed("shop", "qa-42", &promoted.id)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Store);
}

#[test]
fn failed_records_in_both_stores() {
    fixtures::in_each_store(failed_records_stay_in_the_history_but_are_not_current);
}
