//! Planning and rendering the synthetic application at several sizes.
//!
//! `cargo bench -p goldpath-benches --bench plan` (release). The end-to-end timing of the CLI,
//! file loading included, against the plain Node and Python pipelines is `benches/compare.py`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};

fn plan(c: &mut Criterion) {
    let engine = Engine::new(Platform::default());
    let context = Context::new("bench", "development", "development");
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    for n in [100, 1000] {
        let app = goldpath_benches::application(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("plan", n), &app, |b, app| {
            b.iter(|| {
                engine
                    .plan(app, &context, &PlanOptions::default())
                    .expect("plans")
            });
        });
        let planned = engine
            .plan(&app, &context, &PlanOptions::default())
            .expect("plans");
        group.bench_with_input(BenchmarkId::new("write_yaml", n), &planned, |b, planned| {
            b.iter(|| planned.write_yaml(&mut std::io::sink()).expect("writes"));
        });
        // What `goldpath render` does once the files are loaded: plan and write, streaming.
        group.bench_with_input(BenchmarkId::new("render_streaming", n), &app, |b, app| {
            b.iter(|| {
                engine
                    .write_yaml(app, &context, &PlanOptions::default(), &mut std::io::sink())
                    .expect("renders")
            });
        });
    }
    group.finish();
}

fn load(c: &mut Criterion) {
    let texts: Vec<String> = (0..1000).map(goldpath_benches::workload_text).collect();
    let loader = goldpath::load::Loader::default();
    c.bench_function("load 1000 Score texts", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| loader.score_str(t, None).expect("valid"))
                .collect::<Vec<_>>()
        });
    });
}

criterion_group!(benches, plan, load);
criterion_main!(benches);
