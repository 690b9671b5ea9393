//! Session updates in the synthetic application of 10,000 workloads: one workload's image
//! changed (replanned alone), one workload added and one removed (the plan regrown), each
//! also with the previous plan still held, as the bindings hold it.
//!
//! `cargo bench -p goldpath-benches --bench session` (release). `GOLDPATH_BENCH_N` sets the
//! number of workloads (default 10,000).

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use goldpath::load::Loader;
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;

fn size() -> usize {
    std::env::var("GOLDPATH_BENCH_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

/// Workload `i` of the synthetic application with the image tag `tag`.
fn with_tag(i: usize, tag: usize) -> WorkloadInput {
    let text = goldpath_benches::workload_text(i).replacen(
        &format!("svc-{i}:1.0.{i}"),
        &format!("svc-{i}:2.0.{tag}"),
        1,
    );
    WorkloadInput::new(Loader::default().score_str(&text, None).expect("valid"))
}

fn session(c: &mut Criterion) {
    let n = size();
    let engine = Engine::new(Platform::default());
    let context = Context::new("bench", "development", "development");
    let app = goldpath_benches::application(n);
    let started = Instant::now();
    let mut session = engine
        .session(app, &context, &PlanOptions::default())
        .expect("plans");
    eprintln!(
        "opening the session (a full plan): {:.2?}",
        started.elapsed()
    );
    let mut group = c.benchmark_group(format!("session of {n} workloads"));
    group.sample_size(10);
    let edited = n / 2;
    let mut tag = 0;
    // The first edit builds the session's segment index; the iterations measure edits after it.
    let started = Instant::now();
    session.set_workload(with_tag(edited, tag)).expect("plans");
    eprintln!(
        "the first image edit (builds the segment index): {:.2?}",
        started.elapsed()
    );
    group.bench_function("one image changed", |b| {
        b.iter(|| {
            tag += 1;
            session.set_workload(with_tag(edited, tag)).expect("plans");
        });
    });
    // What the bindings do: the plan handed out after the last edit is still held while the
    // next edit is made, so the session's plan is shared and copied on write.
    group.bench_function("one image changed, the last plan held", |b| {
        b.iter(|| {
            let held = session.shared_plan();
            tag += 1;
            session.set_workload(with_tag(edited, tag)).expect("plans");
            drop(held);
        });
    });
    let added = WorkloadInput::new(
        Loader::default()
            .score_str(&goldpath_benches::workload_text(n), None)
            .expect("valid"),
    );
    let name = added.workload.metadata.name.clone();
    // Adding and removing are timed apart: each iteration adds the workload (timed) and
    // removes it again (not timed), or the other way round.
    group.bench_function("one workload added", |b| {
        b.iter_custom(|iterations| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                session.set_workload(added.clone()).expect("plans");
                spent += started.elapsed();
                session.remove_workload(&name).expect("plans");
            }
            spent
        });
    });
    group.bench_function("one workload removed", |b| {
        b.iter_custom(|iterations| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iterations {
                session.set_workload(added.clone()).expect("plans");
                let started = Instant::now();
                session.remove_workload(&name).expect("plans");
                spent += started.elapsed();
            }
            spent
        });
    });
    group.bench_function("one workload added, the last plan held", |b| {
        b.iter_custom(|iterations| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iterations {
                let held = session.shared_plan();
                let started = Instant::now();
                session.set_workload(added.clone()).expect("plans");
                spent += started.elapsed();
                drop(held);
                session.remove_workload(&name).expect("plans");
            }
            spent
        });
    });
    group.finish();
}

criterion_group!(benches, session);
criterion_main!(benches);
