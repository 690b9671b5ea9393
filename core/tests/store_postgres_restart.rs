//! The PostgreSQL store while its server restarts: deployers in threads and processes see
//! connection errors as errors, and what was written is whole: one line of history, every
//! record readable, every reported deploy in it. Needs `GOLDPATH_TEST_PG_URL` and
//! `GOLDPATH_TEST_PG_RESTART` (a shell command restarting that server, as `.ci/run` sets);
//! skipped, saying so, without them. A test binary of its own: the restart would break the
//! connections of tests running beside it.
#![cfg(feature = "postgres")]

#[path = "common/fixtures.rs"]
mod fixtures;

use std::collections::BTreeSet;
use std::time::Duration;

use goldpath::ErrorKind;
use goldpath::deploy::{Deployer, PgStore, Store};

use fixtures::pg;

const CHILD_URL: &str = "GOLDPATH_TEST_CHILD_PG_URL";
const ROUNDS: usize = 12;

/// One deploy: `Ok(id)`, or the error's kind after checking it is a connection or store
/// error, never a panic.
fn try_deploy(store: &dyn Store, at: &str) -> Result<String, ErrorKind> {
    let shop = fixtures::shop();
    match Deployer::new(fixtures::shared_engine(), store).deploy(
        "shop",
        "qa-42",
        &shop,
        &fixtures::admin(at),
    ) {
        Ok(record) => Ok(record.id),
        Err(e) => {
            assert!(matches!(e.kind(), ErrorKind::Io | ErrorKind::Store), "{e}");
            Err(e.kind())
        }
    }
}

/// Deploys `ROUNDS` times, pausing between deploys; returns the ids and the error count.
fn deploy_rounds(store: &dyn Store, tag: &str) -> (Vec<String>, usize) {
    let (mut ids, mut errors) = (Vec::new(), 0);
    for i in 0..ROUNDS {
        match try_deploy(store, &format!("2026-11-23T10:00:{i:02}.{tag}Z")) {
            Ok(id) => ids.push(id),
            Err(_) => errors += 1,
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (ids, errors)
}

/// The body of the child processes below; does nothing when run on its own.
#[test]
fn child_process_deploys() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    // The server may be restarting as the child starts: opening is retried.
    let store = (0..100)
        .find_map(|_| {
            PgStore::open(&url)
                .inspect_err(|_| std::thread::sleep(Duration::from_millis(100)))
                .ok()
        })
        .expect("the server is back after its restart");
    let (ids, errors) = deploy_rounds(&store, &std::process::id().to_string());
    for id in ids {
        println!("deployed {id}");
    }
    println!("errors {errors}");
}

#[test]
fn a_server_restart_mid_run_leaves_whole_records_and_one_line() {
    let Some(url) = pg::fresh_url() else { return };
    let Ok(restart) = std::env::var("GOLDPATH_TEST_PG_RESTART") else {
        eprintln!("skipping the restart case: GOLDPATH_TEST_PG_RESTART is not set");
        return;
    };
    let store = PgStore::open(&url).unwrap();
    fixtures::deploy_shop(&store, "qa-42", "2026-11-23T09:00:00Z");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "child_process_deploys", "--nocapture"])
                .env(CHILD_URL, &url)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let (mut reported, mut errors) = (BTreeSet::new(), 0);
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let store = &store;
                scope.spawn(move || deploy_rounds(store, &format!("{i}")))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        let status = std::process::Command::new("sh")
            .args(["-c", &restart])
            .status()
            .unwrap();
        assert!(status.success(), "the restart command failed");
        for thread in threads {
            let (ids, e) = thread.join().unwrap();
            reported.extend(ids);
            errors += e;
        }
    });
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        for line in String::from_utf8(output.stdout).unwrap().lines() {
            if let Some(id) = line.split("deployed ").nth(1) {
                reported.insert(id.to_owned());
            } else if let Some(n) = line.split("errors ").nth(1) {
                errors += n.trim().parse::<usize>().unwrap();
            }
        }
    }
    assert!(
        errors > 0,
        "the restart broke no deploy: it came too late to test anything"
    );
    assert!(
        !reported.is_empty(),
        "deploys after the restart succeed again"
    );
    let listed = fixtures::one_line(&store.history("shop", "qa-42").unwrap());
    assert!(reported.is_subset(&listed), "a reported deploy was lost");
    // A commit the server made just before the connection dropped is stored but was
    // reported as an error: at most one such record per error.
    assert!(listed.len() - 1 - reported.len() <= errors);
    assert_eq!(
        store.record_ids().unwrap(),
        listed.into_iter().collect::<Vec<_>>()
    );
    // Connections the store keeps are checked before use: after a restart with no step in
    // flight, nothing fails.
    let status = std::process::Command::new("sh")
        .args(["-c", &restart])
        .status()
        .unwrap();
    assert!(status.success(), "the restart command failed");
    store.history("shop", "qa-42").unwrap();
}
