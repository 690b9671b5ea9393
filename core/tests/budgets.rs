//! Budgets: no input makes a plan exhaust memory. Amplification (a chain of resources that each
//! double a string, a large value referenced many times), oversized and special file sources,
//! huge documents given as values and too many containers are refused early with a `limit`
//! error that names the resource or the file and the path. Regression tests for findings 10,
//! 12, 13 and 19 of issue 12.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::fmt::Write as _;
use std::path::Path;

use goldpath::load::{Limits, Loader};
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use goldpath::{Error, ErrorKind};
use serde_json::{Value, json};

/// A Score file of `steps` `route` resources, each of whose `host` param is the previous
/// one's output twice: the output doubles at every step (finding 10's 11 KB file that made
/// 527 MB of output). 40 steps would be 2^40 × 16 bytes.
fn doubling_chain(steps: usize) -> String {
    let mut text = String::from(
        "apiVersion: score.dev/v1b1\nmetadata: {name: amp}\ncontainers:\n  main: {image: nginx}\nresources:\n  r0: {type: route, params: {host: aaaaaaaaaaaaaaaa, port: 80}}\n",
    );
    for i in 1..steps {
        let p = i - 1;
        writeln!(
            text,
            "  r{i}: {{type: route, params: {{host: '${{resources.r{p}.host}}${{resources.r{p}.host}}', port: 80}}}}"
        )
        .unwrap();
    }
    text
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The platform of one `ResourceDefinition`, `name`, for resources of type `kind` with
/// `driver` and the rest of its spec `rest` (YAML lines indented under `spec`), read as the
/// file `file`.
fn definition_platform(name: &str, kind: &str, driver: &str, rest: &str, file: &str) -> Platform {
    let text = format!(
        "apiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {{name: {name}}}\nspec:\n  type: {kind}\n  driver: {driver}\n  criteria: [{{}}]\n{rest}"
    );
    let docs = Loader::default().str(&text, Some(file)).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}

/// The workloads of the Score document `value`, read as the file `file`.
fn workloads_of(value: Value, file: &str) -> Vec<WorkloadInput> {
    let docs = Loader::default().value(value, Some(file)).unwrap();
    docs.workloads
        .into_iter()
        .map(WorkloadInput::from_loaded)
        .collect()
}

fn context() -> Context {
    Context::new("shop", "dev", "development")
}

fn plan_err(engine: &Engine, workloads: &[WorkloadInput]) -> Error {
    match engine.plan(workloads, &context(), &PlanOptions::default()) {
        Ok(plan) => panic!(
            "the plan must be refused; it has {} objects",
            plan.manifests().len()
        ),
        Err(e) => e,
    }
}

/// The plan of `workloads` is refused with a `limit` error whose message holds each of
/// `says`; returns the error.
fn plan_limit(engine: &Engine, workloads: &[WorkloadInput], says: &[&str]) -> Error {
    let err = plan_err(engine, workloads);
    fixtures::assert_error(&err, ErrorKind::Limit, says);
    err
}

#[test]
fn finding_10_a_doubling_chain_of_routes_is_a_limit_error_naming_the_resource_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "amp.score.yaml", &doubling_chain(40));
    assert!(std::fs::metadata(&file).unwrap().len() < 4096);
    let workloads = fixtures::workloads_in(&file);
    let engine = Engine::new(fixtures::platform());
    // 16 bytes doubled 16 times is 1 MiB; the 17th step would make 2 MiB.
    let err = plan_limit(
        &engine,
        &workloads,
        &["route.default#amp.r17", "max_value_bytes"],
    );
    assert_eq!(err.location().path.to_string(), "resources.r17.params.host");
    assert_eq!(err.location().file.as_deref(), Some(file.to_str().unwrap()));
    // Streaming the output (what `goldpath render` does) stops at the same place.
    let streamed = engine
        .write_yaml(
            &workloads,
            &context(),
            &PlanOptions::default(),
            &mut std::io::sink(),
        )
        .unwrap_err();
    assert_eq!(streamed.to_string(), err.to_string());
}

#[test]
fn a_chain_under_a_smaller_value_budget_stops_earlier() {
    let workloads = vec![WorkloadInput::new(
        Loader::default()
            .score_str(&doubling_chain(12), None)
            .unwrap(),
    )];
    let limits = Limits {
        max_value_bytes: 4096,
        ..Limits::default()
    };
    let engine = Engine::new(fixtures::platform()).with_limits(limits);
    // 16 × 2^8 = 4096 fits; the 9th doubling does not.
    plan_limit(&engine, &workloads, &["route.default#amp.r9"]);
    assert!(
        Engine::new(fixtures::platform())
            .plan(&workloads, &context(), &PlanOptions::default())
            .is_ok()
    );
}

/// A platform whose `echo` definition doubles its `text` param in its output, and a workload
/// chaining `steps` of them: the growth happens inside the driver, not in a placeholder.
fn template_doubling(steps: usize) -> (Engine, Vec<WorkloadInput>) {
    let spec = r#"
  templates:
    outputs: |
      text: "{{ params.text }}{{ params.text }}"
"#;
    let platform = definition_platform("echo-twice", "echo", "template", spec, "echo.yaml");
    let mut resources = serde_json::Map::new();
    resources.insert(
        "e0".into(),
        json!({"type": "echo", "params": {"text": "x".repeat(64)}}),
    );
    for i in 1..steps {
        let text = format!("${{resources.e{}.text}}", i - 1);
        resources.insert(
            format!("e{i}"),
            json!({"type": "echo", "params": {"text": text}}),
        );
    }
    let workload = json!({
        "apiVersion": "score.dev/v1b1", "metadata": {"name": "amp"},
        "containers": {"main": {"image": "nginx"}}, "resources": resources,
    });
    (Engine::new(platform), workloads_of(workload, "amp"))
}

#[test]
fn a_driver_whose_outputs_double_is_refused_at_the_output_that_passes_the_budget() {
    let (engine, workloads) = template_doubling(30);
    // 64 × 2^14 = 1 MiB; the output of e14 is 2 MiB.
    let err = plan_limit(&engine, &workloads, &["echo.default#amp.e14", "echo-twice"]);
    assert_eq!(err.location().path.to_string(), "outputs.text");
}

/// A workload with `count` variables that each repeat one output of `bytes` bytes.
fn fan_out(count: usize, bytes: usize) -> (Engine, Vec<WorkloadInput>) {
    let spec = r#"
  inputs:
    values:
      text: "${params.text}"
"#;
    let platform = definition_platform("big-static", "big", "static", spec, "big.yaml");
    let variables: serde_json::Map<String, Value> = (0..count)
        .map(|i| (format!("V{i}"), json!("${resources.big.text}")))
        .collect();
    let workload = json!({
        "apiVersion": "score.dev/v1b1", "metadata": {"name": "fan"},
        "containers": {"main": {"image": "nginx", "variables": variables}},
        "resources": {"big": {"type": "big", "params": {"text": "y".repeat(bytes)}}},
    });
    (Engine::new(platform), workloads_of(workload, "fan"))
}

#[test]
fn one_value_referenced_many_times_is_refused_by_the_plan_budget() {
    // 2,000 variables × 100 KB would be 200 MB of environment values.
    let (engine, workloads) = fan_out(2_000, 100_000);
    let err = plan_limit(&engine, &workloads, &["max_plan_bytes", "workload `fan`"]);
    assert!(
        err.location()
            .path
            .to_string()
            .starts_with("containers.main.variables.V"),
        "{err}"
    );
}

#[test]
fn an_object_over_the_object_budget_is_refused_on_its_way_out() {
    let (engine, workloads) = fan_out(40, 100_000);
    // 4 MB of variables fit in the plan's budget, but not in one Deployment.
    let err = plan_limit(
        &engine,
        &workloads,
        &["a Deployment object", "max_object_bytes"],
    );
    assert_eq!(err.location().file.as_deref(), Some("fan"));
    let roomy = Limits {
        max_object_bytes: 8 * 1024 * 1024,
        ..Limits::default()
    };
    let engine = engine.with_limits(roomy);
    assert!(
        engine
            .plan(&workloads, &context(), &PlanOptions::default())
            .is_ok()
    );
}

#[test]
fn a_plan_whose_resource_manifests_pass_the_plan_budget_names_the_resource() {
    let spec = r#"
  templates:
    manifests: |
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: "blob-{{ context.res.guid }}"}
        data: {text: "{{ params.text }}"}
"#;
    let platform = definition_platform("blob-config", "blob", "template", spec, "blob.yaml");
    let blobs: serde_json::Map<String, Value> = (0..3)
        .map(|i| {
            let params = json!({"text": "b".repeat(400_000)});
            (format!("b{i}"), json!({"type": "blob", "params": params}))
        })
        .collect();
    let workload = json!({
        "apiVersion": "score.dev/v1b1", "metadata": {"name": "w"},
        "containers": {"main": {"image": "nginx"}}, "resources": blobs,
    });
    let workload = serde_json::from_value(workload).unwrap();
    let limits = Limits {
        max_plan_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let engine = Engine::new(platform).with_limits(limits);
    plan_limit(
        &engine,
        &[WorkloadInput::new(workload)],
        &[
            "max_plan_bytes",
            "at a ConfigMap object",
            "resource `blob.default#w.b2`",
        ],
    );
}

fn with_source(dir: &Path, source: &str) -> Vec<WorkloadInput> {
    let text = format!(
        "apiVersion: score.dev/v1b1\nmetadata: {{name: web}}\ncontainers:\n  main:\n    image: nginx\n    files:\n      /etc/app/conf: {{source: {source}}}\n"
    );
    fixtures::workloads_in(&write(dir, "score.yaml", &text))
}

#[test]
fn finding_12_a_fifo_as_a_file_source_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    let workloads = with_source(dir.path(), "pipe");
    let err = plan_err(&Engine::new(Platform::default()), &workloads);
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    assert!(err.message().contains("not a regular file"), "{err}");
    assert_eq!(
        err.location().path.to_string(),
        r#"containers.main.files["/etc/app/conf"].source"#
    );
}

#[test]
fn finding_12_an_oversized_file_source_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    // A sparse 300 MB file: refusing it must not read it.
    let big = std::fs::File::create(dir.path().join("big.conf")).unwrap();
    big.set_len(300 * 1024 * 1024).unwrap();
    let workloads = with_source(dir.path(), "big.conf");
    let err = plan_limit(
        &Engine::new(Platform::default()),
        &workloads,
        &["314572800 bytes", "max_value_bytes"],
    );
    let file = dir.path().join("score.yaml");
    assert_eq!(err.location().file.as_deref(), Some(file.to_str().unwrap()));
    // A folder is not a file either.
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    let err = plan_err(
        &Engine::new(Platform::default()),
        &with_source(dir.path(), "folder"),
    );
    assert!(err.message().contains("not a regular file"), "{err}");
}

fn resources(count: usize) -> Value {
    let resources: serde_json::Map<String, Value> = (0..count)
        .map(|i| (format!("r{i}"), json!({"type": "volume"})))
        .collect();
    json!({
        "apiVersion": "score.dev/v1b1", "metadata": {"name": "wide"},
        "containers": {"main": {"image": "nginx"}}, "resources": resources,
    })
}

#[test]
fn finding_13_a_value_with_150000_resources_is_refused_by_the_node_limit_as_yaml_is() {
    let value = resources(150_000);
    let err = fixtures::refused(
        Loader::default().value(value.clone(), Some("wide")),
        ErrorKind::Limit,
        &["250000 nodes"],
    );
    assert_eq!(err.location().file.as_deref(), Some("wide"));
    let yaml = serde_json::to_string(&value).unwrap();
    let as_text = Loader::default().str(&yaml, Some("wide.json")).unwrap_err();
    assert_eq!(as_text.kind(), ErrorKind::Limit, "{as_text}");
}

#[test]
fn values_are_held_to_the_depth_and_size_limits_of_text() {
    let mut deep = json!("x");
    for _ in 0..100 {
        deep = json!({"a": deep});
    }
    let mut workload = resources(1);
    workload["resources"]["r0"]["params"] = deep;
    fixtures::refused(
        Loader::default().value(workload, Some("deep")),
        ErrorKind::Limit,
        &["deeper than 64"],
    );
    let mut big = resources(1);
    big["containers"]["main"]["variables"] = json!({"A": "z".repeat(5 * 1024 * 1024)});
    let err = fixtures::refused(
        Loader::default().value(big, Some("big")),
        ErrorKind::Limit,
        &[],
    );
    assert_eq!(
        err.location().path.to_string(),
        "containers.main.variables.A"
    );
}

fn containers(count: usize) -> Value {
    let containers: serde_json::Map<String, Value> = (0..count)
        .map(|i| (format!("c{i}"), json!({"image": "nginx"})))
        .collect();
    json!({"apiVersion": "score.dev/v1b1", "metadata": {"name": "many"}, "containers": containers})
}

#[test]
fn finding_19_sixty_five_containers_are_refused_everywhere() {
    assert!(Loader::default().value(containers(64), None).is_ok());
    let err = fixtures::refused(
        Loader::default().value(containers(65), Some("many")),
        ErrorKind::Limit,
        &["65 containers"],
    );
    assert_eq!(err.location().path.to_string(), "containers");
    let text = serde_json::to_string(&containers(2_000)).unwrap();
    fixtures::refused(
        Loader::default().str(&text, Some("many.json")),
        ErrorKind::Limit,
        &[],
    );
    // A workload made without the loader meets the same limit when planned.
    let workload = serde_json::from_value(containers(65)).unwrap();
    plan_limit(
        &Engine::new(Platform::default()),
        &[WorkloadInput::new(workload)],
        &[],
    );
    let fewer = Limits {
        max_containers: 2,
        ..Limits::default()
    };
    assert!(Loader::new(fewer).value(containers(3), None).is_err());
}

/// The error of the plan of the Score file `text`, written as `name` in `dir`: it names the
/// file.
fn plan_file_err(dir: &Path, name: &str, text: &str) -> Error {
    let file = write(dir, name, text);
    let workloads = fixtures::workloads_in(&file);
    let err = plan_err(&Engine::new(Platform::default()), &workloads);
    assert_eq!(err.location().file.as_deref(), Some(file.to_str().unwrap()));
    err
}

#[test]
fn finding_19_render_time_size_errors_name_the_score_file_and_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let big = "a".repeat(300 * 1024);
    let text = format!(
        "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\n  annotations: {{example.com/big: {big}}}\ncontainers:\n  main: {{image: nginx}}\n"
    );
    let err = plan_file_err(dir.path(), "web.score.yaml", &text);
    assert_eq!(err.location().path.to_string(), "metadata.annotations");
    assert!(err.message().contains("annotations hold"), "{err}");

    // 1.5 MB of bytes as base64: within the value budget, over a ConfigMap's.
    let binary = "QUJD".repeat(500_000);
    let text = format!(
        "apiVersion: score.dev/v1b1\nmetadata: {{name: web}}\ncontainers:\n  main:\n    image: nginx\n    files:\n      /etc/app/blob: {{binaryContent: {binary}}}\n"
    );
    let err = plan_file_err(dir.path(), "blob.score.yaml", &text);
    assert_eq!(
        err.location().path.to_string(),
        r#"containers.main.files["/etc/app/blob"]"#
    );
    assert!(err.message().contains("a ConfigMap may hold"), "{err}");
}

mod substitution_law {
    use goldpath::ErrorKind;
    use goldpath::placeholder::{Reference, Resolver, lookup, parse, substitute};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    struct Bounded {
        tree: Value,
        max: usize,
    }

    impl Resolver for Bounded {
        fn resolve(&self, r: &Reference) -> Result<Value, String> {
            lookup(&self.tree, r.segments()).cloned()
        }
        fn max_value_bytes(&self) -> usize {
            self.max
        }
    }

    #[derive(Debug, Clone)]
    enum Part {
        Text(String),
        Ref(usize),
    }

    fn part() -> impl Strategy<Value = Part> {
        prop_oneof![
            "[a-z ]{1,12}".prop_map(Part::Text),
            (0usize..4).prop_map(Part::Ref)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Substitution under a budget gives the unbounded result exactly when every prefix of
        /// it that ends with a placeholder's value fits the budget; otherwise a limit error at
        /// the first placeholder that passes it.
        #[test]
        fn a_bounded_substitution_is_the_unbounded_one_or_a_limit_error_where_it_passes(
            values in proptest::collection::vec("[a-z]{0,30}", 4),
            parts in proptest::collection::vec(part(), 2..10),
            max in 0usize..150,
        ) {
            let tree = json!({"v": {"k0": values[0], "k1": values[1], "k2": values[2], "k3": values[3]}});
            let mut template = String::new();
            let mut length = 0;
            let mut first_past = None;
            for (i, p) in parts.iter().enumerate() {
                match p {
                    Part::Text(t) => {
                        template.push_str(t);
                        length += t.len();
                    }
                    Part::Ref(k) => {
                        template.push_str(&format!("${{v.k{k}}}"));
                        length += values[*k].len();
                        if length > max && first_past.is_none() {
                            first_past = Some(i);
                        }
                    }
                }
            }
            let parsed = parse(&template).unwrap();
            let unbounded = substitute(&parsed, &Bounded { tree: tree.clone(), max: usize::MAX }).unwrap();
            let bounded = substitute(&parsed, &Bounded { tree, max });
            match (first_past, bounded) {
                (None, Ok(value)) => prop_assert_eq!(value, unbounded),
                (Some(i), Err(e)) => {
                    prop_assert_eq!(e.kind, ErrorKind::Limit);
                    let Part::Ref(k) = &parts[i] else { unreachable!() };
                    prop_assert_eq!(e.reference.segments(), ["v".to_owned(), format!("k{k}")]);
                }
                (expected, got) => prop_assert!(false, "expected a limit at {expected:?}, got {got:?}"),
            }
        }
    }
}
