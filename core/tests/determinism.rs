//! Planning gives the same bytes whatever thread plans and however many plan at once: the shop
//! fixtures in every environment type and a generated application of 120 workloads, planned on
//! the test's thread and on four threads at the same time (each thread has its own hash seeds,
//! so output that followed a hash map's order would differ), written through every path
//! (`Plan::to_yaml` before and after the manifests are decoded, `Engine::write_yaml`, a plan
//! of `Engine::plan_owned`).

use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;

#[path = "common/fixtures.rs"]
mod fixtures;
/// The synthetic application of the benchmarks (`benches/lib.rs`, as `benches/gen_app.py`).
#[path = "../../benches/lib.rs"]
#[allow(dead_code)] // the benches' other helpers
mod synthetic;

use fixtures::{platform, shop};

/// The YAML of a plan, through the three ways out, which must agree.
fn yaml(engine: &Engine, workloads: &[WorkloadInput], context: &Context) -> String {
    let options = PlanOptions::default();
    let plan = engine.plan(workloads, context, &options).expect("plans");
    let streamed_from_json = plan.to_yaml();
    assert!(!plan.manifests().is_empty());
    assert_eq!(
        plan.to_yaml(),
        streamed_from_json,
        "decoded and compact agree"
    );
    let mut written = Vec::new();
    engine
        .write_yaml(workloads, context, &options, &mut written)
        .expect("writes");
    assert_eq!(
        String::from_utf8(written).expect("utf-8"),
        streamed_from_json,
        "Engine::write_yaml and Plan::to_yaml agree"
    );
    let owned = engine
        .plan_owned(workloads.to_vec(), context, &options)
        .expect("plans");
    assert_eq!(
        owned.to_yaml(),
        streamed_from_json,
        "Engine::plan_owned and Engine::plan agree"
    );
    assert_eq!(owned.workload_count(), workloads.len());
    assert_eq!(
        owned.workloads(),
        workloads,
        "the plan keeps the workloads given"
    );
    streamed_from_json
}

fn same_on_every_thread(engine: &Engine, workloads: &[WorkloadInput], context: &Context) {
    let alone = yaml(engine, workloads, context);
    let together: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| yaml(engine, workloads, context)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    for (i, text) in together.iter().enumerate() {
        assert!(
            *text == alone,
            "thread {i} planned other bytes for {}",
            context.env_type
        );
    }
}

#[test]
fn the_shop_plans_to_the_same_bytes_on_one_thread_and_on_four() {
    let engine = Engine::new(platform());
    for env_type in ["development", "qa-light", "staging", "production"] {
        same_on_every_thread(&engine, &shop(), &Context::new("shop", env_type, env_type));
    }
}

#[test]
fn a_generated_application_plans_to_the_same_bytes_on_one_thread_and_on_four() {
    let engine = Engine::new(Platform::default());
    let context = Context::new("bench", "development", "development");
    same_on_every_thread(&engine, &synthetic::application(120), &context);
}
