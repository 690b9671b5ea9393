//! The deployment stores compared: deploying the synthetic application (N = 100 and 1,000)
//! into a folder store and a PostgreSQL store, and reading the history of an environment of
//! 10,000 records from each. Prints one line per figure.
//!
//! `benches/store.sh` starts a throwaway PostgreSQL server and runs this (release); by hand:
//! `GOLDPATH_BENCH_PG_URL=postgres://... cargo bench -p goldpath-benches --bench store`.
//! Without a URL only the folder store is measured.

use std::time::{Duration, Instant};

use goldpath::deploy::{Actor, Deployer, DirStore, NewEnvironment, PgStore, Store};
use goldpath::plan::Engine;

const DEPLOYS: u32 = 5;
const HISTORY: usize = 10_000;

fn at(i: usize) -> Actor {
    Actor::at(format!(
        "2026-11-23T{:02}:{:02}:{:02}Z",
        i / 3600 % 24,
        i / 60 % 60,
        i % 60
    ))
}

/// The mean time of `DEPLOYS` deploys of `n` workloads into environment `env`.
fn deploy_time(engine: &Engine, store: &dyn Store, env: &str, n: usize) -> Duration {
    let deployer = Deployer::new(engine, store);
    deployer
        .create_environment(&NewEnvironment::new("bench", env, "development"), &at(0))
        .expect("creates");
    let app = goldpath_benches::application(n);
    let started = Instant::now();
    for i in 0..DEPLOYS {
        deployer
            .deploy("bench", env, &app, &at(i as usize))
            .expect("deploys");
    }
    started.elapsed() / DEPLOYS
}

/// Appends `HISTORY` records of a one-workload application, then times `history` (best of 3).
fn history_time(engine: &Engine, store: &dyn Store) -> (Duration, Duration) {
    let deployer = Deployer::new(engine, store);
    deployer
        .create_environment(&NewEnvironment::new("bench", "long", "development"), &at(0))
        .expect("creates");
    let app = goldpath_benches::application(1);
    let started = Instant::now();
    for i in 0..HISTORY {
        deployer
            .deploy("bench", "long", &app, &at(i))
            .expect("deploys");
    }
    let filled = started.elapsed();
    let best = (0..3)
        .map(|_| {
            let started = Instant::now();
            let history = store.history("bench", "long").expect("reads");
            assert_eq!(history.entries.len(), HISTORY);
            assert!(history.first_error().is_none());
            started.elapsed()
        })
        .min()
        .unwrap_or_default();
    (filled, best)
}

fn measure(name: &str, engine: &Engine, store: &dyn Store) {
    for n in [100, 1000] {
        let mean = deploy_time(engine, store, &format!("n{n}"), n);
        println!(
            "{name:<10} deploy of {n:>5} workloads: {:>8.1} ms (mean of {DEPLOYS})",
            ms(mean)
        );
    }
    let (filled, history) = history_time(engine, store);
    println!(
        "{name:<10} history of {HISTORY} records: {:>8.1} ms (best of 3; {HISTORY} one-workload deploys took {:.1} s, {:.2} ms each)",
        ms(history),
        filled.as_secs_f64(),
        ms(filled) / HISTORY as f64
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let engine = goldpath_benches::development_engine();
    let folder = tempfile_dir();
    measure("folder", &engine, &DirStore::open(&folder).expect("opens"));
    let _ = std::fs::remove_dir_all(&folder);
    match std::env::var("GOLDPATH_BENCH_PG_URL") {
        Ok(url) => measure("postgres", &engine, &PgStore::open(&url).expect("connects")),
        Err(_) => println!(
            "postgres   skipped: GOLDPATH_BENCH_PG_URL is not set (benches/store.sh starts a server)"
        ),
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("goldpath-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
