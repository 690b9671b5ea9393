//! Deployment records of the synthetic application: recording a deploy (plan, redaction,
//! digests, append) in memory and in a folder, and diffing two records.
//!
//! `cargo bench -p goldpath-benches --bench deploy` (release).

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use goldpath::deploy::{Actor, Deployer, DirStore, MemoryStore, NewEnvironment, diff};

fn create(deployer: &Deployer<'_>) {
    let env = NewEnvironment::new("bench", "dev", "development");
    deployer
        .create_environment(&env, &Actor::at("2026-11-23T10:00:00Z"))
        .expect("creates");
}

fn deploy(c: &mut Criterion) {
    let engine = goldpath_benches::development_engine();
    let mut group = c.benchmark_group("deploy");
    group.sample_size(10);
    for n in [100, 1000] {
        let app = goldpath_benches::application(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("memory", n), &app, |b, app| {
            // A fresh store per deploy, so records of earlier iterations do not pile up.
            b.iter_batched(
                MemoryStore::new,
                |store| {
                    let deployer = Deployer::new(&engine, &store);
                    create(&deployer);
                    deployer
                        .deploy("bench", "dev", app, &Actor::at("2026-11-23T10:00:00Z"))
                        .expect("deploys")
                },
                BatchSize::PerIteration,
            );
        });
        let folder = std::env::temp_dir().join(format!("goldpath-bench-deploy-{n}"));
        let _ = std::fs::remove_dir_all(&folder);
        let dir = DirStore::open(&folder).expect("opens");
        let deployer = Deployer::new(&engine, &dir);
        create(&deployer);
        group.bench_with_input(BenchmarkId::new("dir", n), &app, |b, app| {
            b.iter(|| {
                deployer
                    .deploy("bench", "dev", app, &Actor::at("2026-11-23T10:00:00Z"))
                    .expect("deploys")
            });
        });
        let _ = std::fs::remove_dir_all(&folder);
    }
    group.finish();
}

fn diff_records(c: &mut Criterion) {
    let engine = goldpath_benches::development_engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    create(&deployer);
    let mut app = goldpath_benches::application(1000);
    let at = Actor::at("2026-11-23T10:00:00Z");
    let a = deployer.deploy("bench", "dev", &app, &at).expect("deploys");
    for w in app.iter_mut().step_by(10) {
        if let Some(main) = w.workload.containers.get_mut("main") {
            main.image.push_str("-next");
        }
    }
    let b = deployer.deploy("bench", "dev", &app, &at).expect("deploys");
    c.bench_function(
        "diff of two 1000-workload records (100 images changed)",
        |bench| {
            bench.iter(|| diff(&a, &b));
        },
    );
}

criterion_group!(benches, deploy, diff_records);
criterion_main!(benches);
