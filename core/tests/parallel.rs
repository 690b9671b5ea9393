//! A plan made on rayon's threads is the plan made on one: the same inputs planned inside a
//! one-thread pool (the workloads one after the other) and inside a four-thread pool (the
//! workloads resolved and rendered in parallel, put out in order) give the same bytes, the same
//! resources and violations, and, when the plan fails, the same error: the first in plan order,
//! also for the budget, whose peak depends on the order objects are charged in.

use goldpath::load::{Limits, Loader};
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use goldpath::{Error, ErrorKind};

#[path = "common/fixtures.rs"]
mod fixtures;
/// The synthetic application of the benchmarks (`benches/lib.rs`, as `benches/gen_app.py`).
#[path = "../../benches/lib.rs"]
#[allow(dead_code)] // the benches' other helpers
mod synthetic;

/// What a plan gives that can be compared: the YAML of the plan, the YAML `write_yaml`
/// streams, the resources and the violations; or the error.
type Outcome = Result<(String, String, String, String), Error>;

fn outcome(engine: &Engine, workloads: &[WorkloadInput], context: &Context) -> Outcome {
    let options = PlanOptions::default();
    let plan = engine.plan(workloads, context, &options)?;
    let mut streamed = Vec::new();
    let violations = engine.write_yaml(workloads, context, &options, &mut streamed)?;
    Ok((
        plan.to_yaml(),
        String::from_utf8(streamed).expect("utf-8"),
        format!("{:?}", plan.resources()),
        format!("{violations:?}"),
    ))
}

fn on_pool(threads: usize, plan: impl FnOnce() -> Outcome + Send) -> Outcome {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool")
        .install(plan)
}

/// The outcome on a one-thread pool, after checking that a four-thread pool gives the same.
fn same_on_one_and_four(
    engine: &Engine,
    workloads: &[WorkloadInput],
    context: &Context,
) -> Outcome {
    let one = on_pool(1, || outcome(engine, workloads, context));
    let four = on_pool(4, || outcome(engine, workloads, context));
    assert_eq!(one, four, "{} on one thread and on four", context.env_type);
    if let Ok((planned, streamed, _, _)) = &one {
        assert_eq!(
            planned, streamed,
            "Plan::to_yaml and Engine::write_yaml agree"
        );
    }
    one
}

fn workloads(texts: &[String]) -> Vec<WorkloadInput> {
    let loader = Loader::default();
    texts
        .iter()
        .map(|t| WorkloadInput::new(loader.score_str(t, None).expect("valid Score")))
        .collect()
}

fn bench_context() -> Context {
    Context::new("bench", "development", "development")
}

#[test]
fn a_generated_application_plans_to_the_same_bytes_on_one_thread_and_on_four() {
    let engine = Engine::new(Platform::default());
    let planned = same_on_one_and_four(&engine, &synthetic::application(300), &bench_context());
    let (yaml, ..) = planned.expect("plans");
    assert_eq!(yaml.matches("\nkind: Deployment\n").count(), 300);
}

#[test]
fn the_shop_plans_to_the_same_bytes_on_one_thread_and_on_four_in_every_environment_type() {
    let engine = Engine::new(fixtures::platform());
    for env_type in ["development", "qa-light", "staging", "production"] {
        let context = Context::new("shop", env_type, env_type);
        same_on_one_and_four(&engine, &fixtures::shop(), &context).expect("plans");
    }
}

#[test]
fn of_several_failing_workloads_the_first_by_name_is_reported_on_any_pool() {
    let mut texts: Vec<String> = (0..60).map(synthetic::workload_text).collect();
    // svc-7 sorts after svc-50 and svc-59; each refers to an output its redis does not have.
    for i in [59, 7, 50] {
        texts[i] = texts[i].replace(
            "${resources.cache.host}",
            &format!("${{resources.cache.missing{i}}}"),
        );
    }
    let engine = Engine::new(Platform::default());
    let error = same_on_one_and_four(&engine, &workloads(&texts), &bench_context()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Placeholder, "{error}");
    assert!(error.to_string().contains("missing50"), "{error}");
    assert!(!error.to_string().contains("missing59"), "{error}");
}

#[test]
fn a_duplicate_object_between_workloads_is_refused_alike_on_any_pool() {
    let mut texts: Vec<String> = (0..40).map(synthetic::workload_text).collect();
    // Two workloads ask for the same Service name: the later by name clashes with the earlier.
    for i in [31, 12] {
        texts[i] = texts[i].replace(
            &format!("  name: svc-{i}\n"),
            &format!("  name: svc-{i}\n  annotations: {{k8s.score.dev/service-name: shared}}\n"),
        );
    }
    let engine = Engine::new(Platform::default());
    let error = same_on_one_and_four(&engine, &workloads(&texts), &bench_context()).unwrap_err();
    assert!(error.to_string().contains("named `shared`"), "{error}");
}

/// The plan's budget is charged in plan order: whatever budget cuts a plan short, it cuts it
/// at the same object (or at the same workload's values) on any pool.
#[test]
fn a_plan_budget_cuts_the_plan_at_the_same_place_on_any_pool() {
    // A long variable makes each workload's values a good part of what it puts out, so that
    // budgets fall between a workload's values and its objects as well as on its objects.
    let filler = format!("    variables:\n      FILLER: {}\n", "x".repeat(3000));
    let texts: Vec<String> = (0..20)
        .map(|i| synthetic::workload_text(i).replace("    variables:\n", &filler))
        .collect();
    let inputs = workloads(&texts);
    let full = Engine::new(Platform::default())
        .plan(&inputs, &bench_context(), &PlanOptions::default())
        .expect("plans");
    let total: usize = full
        .manifests()
        .iter()
        .map(|m| serde_json::to_string(m).expect("json").len())
        .sum();
    let (mut at_values, mut at_objects) = (0, 0);
    for budget in (total / 2..total).step_by(total / 40) {
        let limits = Limits {
            max_plan_bytes: budget,
            ..Limits::default()
        };
        let engine = Engine::new(Platform::default()).with_limits(limits);
        let error = same_on_one_and_four(&engine, &inputs, &bench_context()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Limit, "{error}");
        if error.to_string().contains("at the values of workload") {
            at_values += 1;
        } else {
            at_objects += 1;
        }
    }
    assert!(at_values > 0 && at_objects > 0, "{at_values} {at_objects}");
}

/// `Loader::load` of a list of sources (as the bindings pass Score files) reads them on the
/// pool's threads and joins them in order: the same workloads, and of several broken sources
/// the same errors in the same order, on one thread and on four.
#[test]
fn a_list_of_sources_loads_alike_on_one_thread_and_on_four() {
    use goldpath::load::Source;
    let mut texts: Vec<String> = (0..64).map(synthetic::workload_text).collect();
    texts[7] = "apiVersion: score.dev/v1b1\nmetadata: [1\n".to_owned();
    texts[41] = texts[41].replace("containers:", "containerz:");
    let load = |texts: &[String]| {
        let sources = texts
            .iter()
            .enumerate()
            .map(|(i, text)| Source::text(format!("w{i}.yaml"), text.clone()))
            .collect();
        Loader::new(Limits::default())
            .load(sources)
            .map(|d| format!("{d:?}"))
    };
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool")
    };
    let one = pool(1).install(|| load(&texts));
    let four = pool(4).install(|| load(&texts));
    assert_eq!(one, four);
    let error = one.expect_err("two broken sources");
    let message = error.to_string();
    let (first, second) = (message.find("w7.yaml"), message.find("w41.yaml"));
    assert!(first.is_some() && second.is_some(), "{message}");
    assert!(first < second, "errors in source order: {message}");
    texts.remove(41);
    texts.remove(7);
    let one = pool(1).install(|| load(&texts));
    assert!(one.is_ok(), "{one:?}");
    assert_eq!(one, pool(4).install(|| load(&texts)));
}

/// Resources provisioned on rayon's threads ahead of their turn, put in the plan in graph order
/// (`goldpath::resolve`'s `ahead`): a platform of template definitions whose resources need
/// each other (params that read another resource, a definition that reads another's outputs),
/// shared by several workloads, with generated secrets and a secret input, beside a driver of
/// the host that must stay on the plan's thread.
mod provisioning {
    use std::sync::{Arc, Mutex};
    use std::thread::ThreadId;

    use goldpath::drivers::{Driver, ProvisionRequest, Provisioned};
    use goldpath::graph::Node;
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    const DEFINITIONS: &str = r#"apiVersion: goldpath.dev/v1alpha1
kind: ResourceDefinition
metadata: {name: queue}
spec:
  type: queue
  criteria: [{}]
  driver: template
  inputs:
    secrets: {token: literal-queue-token-4711}
  templates:
    outputs: |
      url: amqp://{{ context.res.id }}.queue:5672
      size: {{ params.size }}
    secrets: |
      password: {{ generated("password") }}
      token: {{ inputs.secrets.token }}
    manifests: |
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: "queue-{{ context.res.guid }}"}
        data: {url: "amqp://{{ context.res.id }}", size: "{{ params.size }}"}
---
apiVersion: goldpath.dev/v1alpha1
kind: ResourceDefinition
metadata: {name: topic}
spec:
  type: topic
  criteria: [{}]
  driver: template
  templates:
    outputs: |
      name: "topic-{{ context.res.id }}"
      queue: "{{ params.queue }}"
      vault: "${resources.vault.outputs.address}"
    manifests: |
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: "topic-{{ context.res.guid }}"}
        data: {queue: "{{ params.queue }}", vault: "${resources.vault.outputs.address}"}
---
apiVersion: goldpath.dev/v1alpha1
kind: ResourceDefinition
metadata: {name: vault}
spec:
  type: vault
  criteria: [{}]
  driver: recorder
"#;

    /// A driver of the host: it tells which thread called it, for which resource.
    #[derive(Default)]
    struct Recorder {
        calls: Mutex<Vec<(ThreadId, String)>>,
    }

    impl Driver for Recorder {
        fn provision(&self, req: &ProvisionRequest<'_>) -> goldpath::Result<Provisioned> {
            let key = req.key.to_string();
            let thread = std::thread::current().id();
            self.calls.lock().expect("lock").push((thread, key.clone()));
            let mut provisioned = Provisioned::default();
            provisioned
                .outputs
                .insert("address".into(), json!(format!("vault://{key}")));
            Ok(provisioned)
        }
    }

    fn engine_with(limits: Limits) -> (Engine, Arc<Recorder>) {
        let docs = Loader::default().str(DEFINITIONS, None).expect("platform");
        let platform = Platform::from_documents(docs.platform.into_iter().map(|l| l.document));
        let mut engine = Engine::new(platform).with_limits(limits);
        let recorder = Arc::new(Recorder::default());
        engine.register_driver("recorder", Arc::clone(&recorder) as Arc<dyn Driver>);
        (engine, recorder)
    }

    /// Workload `i`: a queue shared with every seventh (its own, without the `size` its
    /// template needs, when `i` is in `failing`), a topic whose params read the queue and whose
    /// definition reads the workload's vault, and the vault (of the host's driver).
    fn workload(i: usize, failing: &[usize]) -> String {
        let queue = if failing.contains(&i) {
            format!("{{type: queue, id: bad-{i:02}}}")
        } else {
            format!("{{type: queue, id: q-{}, params: {{size: 3}}}}", i % 7)
        };
        format!(
            "apiVersion: score.dev/v1b1
metadata: {{name: w-{i:02}}}
containers:
  main:
    image: registry.example.com/w:1.0
    variables:
      QUEUE: ${{resources.queue.url}}
      PASSWORD: ${{resources.queue.password}}
      TOPIC: ${{resources.topic.name}}
resources:
  queue: {queue}
  vault: {{type: vault, id: w-{i:02}}}
  topic: {{type: topic, id: w-{i:02}, params: {{queue: '${{resources.queue.url}}'}}}}
"
        )
    }

    fn inputs(count: usize, failing: &[usize]) -> Vec<WorkloadInput> {
        let texts: Vec<String> = (0..count).map(|i| workload(i, failing)).collect();
        workloads(&texts)
    }

    fn context() -> Context {
        Context::new("mq", "development", "development")
    }

    #[test]
    fn resources_that_need_each_other_plan_to_the_same_bytes_on_one_thread_and_on_four() {
        let (engine, _) = engine_with(Limits::default());
        let (yaml, ..) =
            same_on_one_and_four(&engine, &inputs(60, &[]), &context()).expect("plans");
        assert_eq!(yaml.matches("name: topic-").count(), 60, "{yaml}");
        // Seven shared queues, each with its generated password in a Secret.
        assert_eq!(yaml.matches("kind: Secret\n").count(), 7, "{yaml}");
        assert!(
            yaml.contains(r#"vault: "vault://vault.default#w-59""#),
            "{yaml}"
        );
        assert!(!yaml.contains("literal-queue-token-4711"), "{yaml}");
    }

    #[test]
    fn the_hosts_driver_is_called_on_the_plans_thread_in_graph_order() {
        let (engine, recorder) = engine_with(Limits::default());
        let inputs = inputs(40, &[]);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("a pool");
        let (thread, plan) = pool.install(|| {
            let plan = engine.plan(&inputs, &context(), &PlanOptions::default());
            (std::thread::current().id(), plan.expect("plans"))
        });
        let vaults: Vec<String> = plan
            .graph()
            .ordered()
            .filter_map(|node| match node {
                Node::Resource(r) if r.key.resource_type() == "vault" => Some(r.key.to_string()),
                _ => None,
            })
            .collect();
        let calls = recorder.calls.lock().expect("lock").clone();
        assert!(calls.iter().all(|(t, _)| *t == thread), "{calls:?}");
        let keys: Vec<String> = calls.into_iter().map(|(_, key)| key).collect();
        assert_eq!(keys, vaults);
    }

    #[test]
    fn of_several_failing_templates_the_first_in_graph_order_is_reported_on_any_pool() {
        let (engine, _) = engine_with(Limits::default());
        for failing in [&[37, 3, 21][..], &[59], &[0, 1]] {
            let error = same_on_one_and_four(&engine, &inputs(60, failing), &context())
                .expect_err("a template fails");
            let first = failing.iter().min().expect("one");
            assert_eq!(error.kind(), ErrorKind::Driver, "{error}");
            let message = error.to_string();
            assert!(
                message.contains(&format!("queue.default#bad-{first:02}")),
                "{message}"
            );
            assert!(message.contains("size"), "{message}");
            assert!(!message.contains("4711"), "{message}");
        }
    }

    /// A budget smaller than what the resources' outputs cost cuts the plan while it
    /// provisions, at the same resource on any pool.
    #[test]
    fn a_plan_budget_cuts_provisioning_at_the_same_resource_on_any_pool() {
        let count = 30;
        let (engine, _) = engine_with(Limits::default());
        let full = engine
            .plan(&inputs(count, &[]), &context(), &PlanOptions::default())
            .expect("plans");
        let outputs: usize = full
            .resources()
            .iter()
            .map(|r| serde_json::to_string(&r.outputs).expect("json").len())
            .sum();
        let mut places = std::collections::BTreeSet::new();
        for budget in (outputs / 10..outputs).step_by(outputs / 12) {
            let limits = Limits {
                max_plan_bytes: budget,
                ..Limits::default()
            };
            let (engine, _) = engine_with(limits);
            let error =
                same_on_one_and_four(&engine, &inputs(count, &[]), &context()).expect_err("cut");
            assert_eq!(error.kind(), ErrorKind::Limit, "{error}");
            places.insert(error.to_string());
        }
        assert!(places.len() > 3, "{places:?}");
        assert!(
            places
                .iter()
                .any(|p| p.contains("the outputs of a resource")),
            "{places:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        /// Whatever resources fail and whatever budget the plan has, a one-thread and a
        /// four-thread pool give the same plan or the same error.
        #[test]
        fn any_failures_and_budget_give_the_same_outcome_on_any_pool(
            count in 2usize..40,
            failing in proptest::collection::vec(0usize..40, 0..4),
            budget in proptest::option::of(2_000usize..40_000),
        ) {
            let limits = Limits {
                max_plan_bytes: budget.unwrap_or(Limits::default().max_plan_bytes),
                ..Limits::default()
            };
            let (engine, _) = engine_with(limits);
            let inputs = inputs(count, &failing);
            let one = on_pool(1, || outcome(&engine, &inputs, &context()));
            let four = on_pool(4, || outcome(&engine, &inputs, &context()));
            if budget.is_none() && failing.iter().all(|&f| f >= count) {
                prop_assert!(one.is_ok(), "{:?}", one);
            }
            prop_assert_eq!(one, four);
        }
    }
}
