//! The `cmd` driver end to end: a script of the platform folder provisions a database; its
//! outputs and secrets reach the workload, its state comes back on the next deploy, and its
//! failures are `driver` errors naming the definition and resource, scrubbed of secrets.

#[path = "common/world.rs"]
mod world;

use goldpath::ErrorKind;
use goldpath::deploy::{Deployer, MemoryStore};
use goldpath::drivers::{Effects, NOT_PROVISIONED};
use goldpath::plan::PlanOptions;
use goldpath::platform::Context;
use serde_json::json;
use world::{World, at, store_with_dev, web};

fn context() -> Context {
    Context::new("shop", "dev", "development")
}

fn provisioning_plan(world: &World) -> goldpath::Result<goldpath::plan::Plan> {
    world
        .engine()
        .with_effects(Effects::preview(Default::default(), true))
        .plan(&web(true), &context(), &PlanOptions::default())
}

#[test]
fn outputs_and_secrets_of_the_script_reach_the_workload() {
    let world = World::new("ok");
    let plan = provisioning_plan(&world).unwrap();
    let yaml = plan.to_yaml();
    assert!(yaml.contains("db-dev.internal"), "{yaml}");
    assert!(yaml.contains("secretKeyRef"), "{yaml}");
    let calls = world.calls();
    assert_eq!(calls.len(), 1, "one call per resource");
    let request = &calls[0];
    assert_eq!(request["action"], "provision");
    assert_eq!(request["definition"], "db-cmd");
    assert_eq!(request["type"], "postgres");
    assert_eq!(
        request["context"],
        json!({"app": "shop", "env": "dev", "envType": "development"})
    );
    assert_eq!(request["state"], json!(null));
    assert_eq!(request["secrets"]["admin"], "Adm1n-Sup3r-S3cret-Value");
    assert_eq!(request["values"]["mode"], "ok");
    // The secret output lives only in the Secret's data.
    let password_seen_outside_secret = plan
        .manifests()
        .iter()
        .filter(|m| m["kind"] != "Secret")
        .any(|m| m.to_string().contains("very-secret"));
    assert!(!password_seen_outside_secret);
}

#[test]
fn state_comes_back_on_the_next_deploy_and_is_recorded() {
    let world = World::new("ok");
    let engine = world.engine();
    let store = store_with_dev(&engine);
    let deployer = Deployer::new(&engine, &store);
    let first = deployer.deploy("shop", "dev", &web(true), &at(1)).unwrap();
    let second = deployer.deploy("shop", "dev", &web(true), &at(2)).unwrap();
    let calls = world.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["state"], json!(null));
    assert_eq!(calls[1]["state"], json!({"count": 1, "database": "web.db"}));
    let state = |r: &goldpath::deploy::Deployment| {
        r.resources
            .iter()
            .find_map(|r| r.driver.as_ref()?.state.clone())
            .unwrap()
    };
    assert_eq!(state(&first)["count"], 1);
    assert_eq!(state(&second)["count"], 2);
    // The recorded result keeps secrets as references only.
    let text = serde_json::to_string(&second).unwrap();
    assert!(!text.contains("very-secret"), "{text}");
    assert!(!text.contains("Adm1n-Sup3r"), "{text}");
    // The state is not part of the id: the id is still the digest of the inputs.
    second.verify().unwrap();
}

#[test]
fn a_failing_script_is_a_driver_error_with_its_stderr_scrubbed() {
    let world = World::new("fail");
    let err = provisioning_plan(&world).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Driver);
    let message = err.to_string();
    assert!(message.contains("db-cmd"), "{message}");
    assert!(message.contains("postgres"), "{message}");
    assert!(
        message.contains("giving up"),
        "the stderr tail is shown: {message}"
    );
    assert!(message.contains("exit status: 3"), "{message}");
    assert!(!message.contains("Adm1n-Sup3r-S3cret-Value"), "{message}");
    assert!(!message.contains("Sup3r-S3cret"), "{message}");
}

#[test]
fn a_timeout_kills_the_script_and_its_children() {
    let world = World::with_values("sleep", "      timeout: 1");
    let started = std::time::Instant::now();
    let err = provisioning_plan(&world).err().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert_eq!(err.kind(), ErrorKind::Driver);
    assert!(
        err.to_string().contains("did not finish within 1 seconds"),
        "{err}"
    );
    let pids = std::fs::read_to_string(world.dir.path().join("calls.jsonl.pids")).unwrap();
    // SIGKILL is delivered asynchronously: give the killed processes a moment to end.
    let running = |pid: &str| {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z ")
    };
    for pid in pids.split_whitespace() {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while running(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            !running(pid),
            "process {pid} of the script is still running"
        );
    }
}

#[test]
fn a_program_that_reads_nothing_still_times_out() {
    // The request (over 200 KB) does not fit a pipe: writing it must not block the timeout.
    let big = "x".repeat(200 * 1024);
    let world = World::with_values("ok", &format!("      timeout: 1\n      big: {big}"));
    let text = std::fs::read_to_string(world.dir.path().join("platform.yaml"))
        .unwrap()
        .replace("[./scripts/db.py]", "[sleep, '30']");
    std::fs::write(world.dir.path().join("platform.yaml"), text).unwrap();
    let started = std::time::Instant::now();
    let err = provisioning_plan(&world).err().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(
        err.to_string().contains("did not finish within 1 seconds"),
        "{err}"
    );
}

#[test]
fn garbage_and_huge_output_are_refused() {
    for (mode, expected) in [("garbage", "not JSON"), ("huge", "more than")] {
        let world = World::new(mode);
        let err = provisioning_plan(&world).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::Driver, "{mode}");
        let message = err.to_string();
        assert!(message.contains(expected), "{mode}: {message}");
        assert!(message.contains("db-cmd"), "{mode}: {message}");
    }
}

#[test]
fn previews_take_the_recorded_result_and_never_call_the_script() {
    let world = World::new("ok");
    let engine = world.engine();
    // Without a record, a preview fails and says why.
    let err = engine
        .plan(&web(true), &context(), &PlanOptions::default())
        .err()
        .unwrap();
    assert!(err.to_string().contains(NOT_PROVISIONED), "{err}");
    assert!(
        err.to_string().contains("deploy to the environment first"),
        "{err}"
    );
    assert!(
        !err.to_string().contains("--provision"),
        "no CLI flag in core messages"
    );
    assert!(world.calls().is_empty());
    let store = store_with_dev(&engine);
    let record = Deployer::new(&engine, &store)
        .deploy("shop", "dev", &web(true), &at(1))
        .unwrap();
    assert_eq!(world.calls().len(), 1);
    let preview = engine
        .clone()
        .with_effects(Effects::preview(record.driver_records(), false))
        .plan(&web(true), &context(), &PlanOptions::default())
        .unwrap();
    assert_eq!(world.calls().len(), 1, "the preview made no call");
    assert!(preview.to_yaml().contains("db-dev.internal"));
    let web_env = |yaml: &str| yaml.contains("secretKeyRef");
    assert!(web_env(&preview.to_yaml()));
}

#[test]
fn the_score_k8s_protocol_runs_community_provisioners_unchanged() {
    let world = World::new("ok");
    // Written the way score-k8s cmd:// provisioners are: read resource_* from stdin, answer
    // resource_outputs and resource_state.
    let script = r#"#!/usr/bin/env python3
import json, sys
inputs = json.load(sys.stdin)
state = inputs.get("resource_state") or {}
n = state.get("n", 0) + 1
json.dump({
    "resource_outputs": {"host": "k8s-" + inputs["resource_type"] + "-" + inputs["resource_id"],
                          "uid": inputs["resource_uid"], "source": inputs["source_workload"]},
    "resource_state": {"n": n},
    "shared_state": {"ignored": True},
    "manifests": [],
}, sys.stdout)
"#;
    world::write_script(&world.dir.path().join("scripts/score.py"), script);
    let text = std::fs::read_to_string(world.dir.path().join("platform.yaml"))
        .unwrap()
        .replace(
            "[./scripts/db.py]",
            "[./scripts/score.py]\n      protocol: score-k8s",
        )
        .replace("    secrets:\n      admin: Adm1n-Sup3r-S3cret-Value\n", "")
        .replace("DB_PASSWORD: ${resources.db.password}", "");
    std::fs::write(world.dir.path().join("platform.yaml"), text).unwrap();
    let engine = world.engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    world::create_dev(&deployer);
    let workloads = web(true);
    let mut workloads = workloads;
    workloads[0]
        .workload
        .containers
        .get_mut("main")
        .unwrap()
        .variables
        .remove("DB_PASSWORD");
    deployer.deploy("shop", "dev", &workloads, &at(1)).unwrap();
    let record = deployer.deploy("shop", "dev", &workloads, &at(2)).unwrap();
    let yaml = serde_json::to_string(&record.manifests).unwrap();
    assert!(yaml.contains("k8s-postgres-web.db"), "{yaml}");
    let driver = record
        .resources
        .iter()
        .find_map(|r| r.driver.clone())
        .unwrap();
    assert_eq!(driver.state, Some(json!({"n": 2})));
    assert_eq!(driver.outputs["uid"], "postgres.default#web.db");
    assert_eq!(driver.outputs["source"], "web");
}

#[test]
fn definitions_without_a_command_or_url_are_refused_when_loaded() {
    for (driver, inputs, place) in [
        (
            "cmd",
            "    values: {command: 'db.py'}\n",
            "spec.inputs.values.command",
        ),
        (
            "http",
            "    values: {url: 'ftp://x', timeout: -1}\n",
            "spec.inputs.values.url",
        ),
        (
            "http",
            "    values: {url: 'http://x', timeout: -1}\n",
            "spec.inputs.values.timeout",
        ),
    ] {
        let text = world::platform_yaml("broken", "postgres", driver, inputs);
        let err = goldpath::load::Loader::default()
            .str(&text, Some("platform.yaml"))
            .unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("platform.yaml"), "{shown}");
        assert!(shown.contains(place), "{driver}: {shown}");
    }
}

#[test]
fn template_drivers_see_the_recorded_state_as_a_variable() {
    let text = world::platform_yaml(
        "cache-template",
        "redis",
        "template",
        "    values: {}\n",
    )
    .replace(
        "  inputs:\n    values: {}\n",
        "  templates:\n    outputs: |\n      host: \"cache-{{ state.generation if state else 0 }}\"\n",
    );
    let docs = goldpath::load::Loader::default().str(&text, None).unwrap();
    let engine = goldpath::plan::Engine::new(goldpath::platform::Platform::from_documents(
        docs.platform.into_iter().map(|l| l.document),
    ));
    let score = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx:1.27\n    variables: {CACHE: '${resources.cache.host}'}\nresources:\n  cache: {type: redis}\n";
    let workloads = [goldpath::resolve::WorkloadInput::new(
        goldpath::load::Loader::default()
            .score_str(score, None)
            .unwrap(),
    )];
    let none = engine
        .plan(&workloads, &context(), &PlanOptions::default())
        .unwrap();
    assert!(none.to_yaml().contains("cache-0"));
    let record = goldpath::drivers::DriverRecord {
        driver: "cmd".into(),
        guid: "g".into(),
        params: Default::default(),
        values: Default::default(),
        outputs: Default::default(),
        secrets: Default::default(),
        state: Some(json!({"generation": 7})),
    };
    let key = "redis.default#web.cache".to_owned();
    let recorded = [(key, ("cache-template".to_owned(), record))]
        .into_iter()
        .collect();
    let with_state = engine
        .with_effects(Effects::recording(recorded))
        .plan(&workloads, &context(), &PlanOptions::default())
        .unwrap();
    assert!(
        with_state.to_yaml().contains("cache-7"),
        "{}",
        with_state.to_yaml()
    );
}
