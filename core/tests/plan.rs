//! Planning end to end: the sample application in every environment type against golden files,
//! determinism, the database each environment type gets, secrets only in Secrets, and the
//! upstream Score examples with the built-in platform alone.
//!
//! Regenerate the golden files with `GOLDPATH_UPDATE_GOLDEN=1 cargo test -p goldpath --test plan`.

use std::path::PathBuf;

use goldpath::drivers::SecretSeed;
use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use proptest::prelude::*;
use serde_json::Value;

#[path = "common/fixtures.rs"]
mod fixtures;
#[path = "common/kube.rs"]
mod kube;

use fixtures::{platform, repo, shop};

fn plan_shop(env_type: &str) -> Plan {
    let engine = Engine::new(platform());
    let context = Context::new("shop", env_type, env_type);
    engine
        .plan(&shop(), &context, &PlanOptions::default())
        .unwrap()
}

/// Checks `yaml` against the golden file `name` (or writes it with GOLDPATH_UPDATE_GOLDEN).
fn assert_golden(name: &str, yaml: &str) {
    assert_golden_file(&format!("{name}.yaml"), yaml);
}

/// Checks `text` against the file `fixtures/golden/<file>` (or writes it).
fn assert_golden_file(file: &str, text: &str) {
    let yaml = text;
    let golden = repo().join(format!("fixtures/golden/{file}"));
    if std::env::var_os("GOLDPATH_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, yaml).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        yaml == expected,
        "output differs from {} (GOLDPATH_UPDATE_GOLDEN=1 to accept)",
        golden.display()
    );
}

const ENV_TYPES: [&str; 4] = ["development", "qa-light", "staging", "production"];

#[test]
fn the_shop_renders_as_the_golden_files_in_every_environment_type() {
    for env_type in ENV_TYPES {
        let plan = plan_shop(env_type);
        plan.manifests().iter().for_each(kube::kube_check);
        assert_golden(&format!("shop-{env_type}"), &plan.to_yaml());
    }
}

#[test]
fn the_shop_breaks_the_policies_of_each_environment_type_as_the_golden_files_say() {
    for env_type in ENV_TYPES {
        let plan = plan_shop(env_type);
        // the files are absolute paths of this checkout: keep their names only
        let violations: Vec<_> = plan
            .violations()
            .iter()
            .cloned()
            .map(|mut v| {
                v.file = v
                    .file
                    .map(|f| f.rsplit('/').next().unwrap_or_default().to_owned());
                v
            })
            .collect();
        let json = serde_json::to_string_pretty(&violations).unwrap() + "\n";
        assert_golden_file(&format!("shop-{env_type}.violations.json"), &json);
        assert!(plan.check_policies().is_ok(), "{env_type}: {json}");
    }
}

#[test]
fn every_built_in_type_renders_with_no_platform_as_the_showcase_golden_file() {
    let docs = Loader::default()
        .path(&repo().join("fixtures/showcase"))
        .unwrap();
    let workloads: Vec<WorkloadInput> = docs
        .workloads
        .into_iter()
        .map(WorkloadInput::from_loaded)
        .collect();
    let context = Context::new("showcase", "development", "development");
    let plan = Engine::new(Platform::default())
        .plan(&workloads, &context, &PlanOptions::default())
        .unwrap();
    plan.manifests().iter().for_each(kube::kube_check);
    let types: std::collections::BTreeSet<&str> = plan
        .resources()
        .iter()
        .map(|r| r.key.split('.').next().unwrap())
        .collect();
    assert_eq!(
        types.len(),
        14,
        "{types:?}: 13 and each workload's `workload`"
    );
    assert_golden("showcase", &plan.to_yaml());
}

#[test]
fn planning_twice_gives_identical_bytes() {
    for env_type in ENV_TYPES {
        assert_eq!(
            plan_shop(env_type).to_yaml(),
            plan_shop(env_type).to_yaml(),
            "{env_type}"
        );
    }
}

fn objects<'a>(plan: &'a Plan, kind: &str) -> Vec<&'a Value> {
    plan.manifests()
        .iter()
        .filter(|m| m["kind"] == kind)
        .collect()
}

fn backend_env(plan: &Plan, name: &str) -> Value {
    let deployment = objects(plan, "Deployment")
        .into_iter()
        .find(|d| d["metadata"]["name"] == "backend")
        .unwrap();
    let env = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap();
    env.iter()
        .find(|e| e["name"] == name)
        .cloned()
        .unwrap_or(Value::Null)
}

/// The definition the backend's database matched.
fn database_definition(plan: &Plan) -> &str {
    let resources = plan.resources();
    let db = resources
        .iter()
        .find(|r| r.key == "postgres.default#backend.db");
    &db.expect("the backend has a database").definition
}

#[test]
fn development_and_qa_run_the_database_in_cluster_staging_and_production_use_the_managed_one() {
    for env_type in ["development", "qa-light"] {
        let plan = plan_shop(env_type);
        assert_eq!(
            objects(&plan, "StatefulSet").len(),
            1,
            "{env_type}: in-cluster postgres"
        );
        let definition = database_definition(&plan);
        assert_eq!(definition, "postgres-in-cluster");
        assert!(
            backend_env(&plan, "DATABASE_HOST")["value"]
                .as_str()
                .unwrap()
                .starts_with("pg-")
        );
    }
    for env_type in ["staging", "production"] {
        let plan = plan_shop(env_type);
        assert!(
            objects(&plan, "StatefulSet").is_empty(),
            "{env_type}: no in-cluster database"
        );
        let definition = database_definition(&plan);
        assert_eq!(definition, "postgres-managed");
        assert_eq!(
            backend_env(&plan, "DATABASE_HOST")["value"],
            format!("pg-{env_type}.db.internal.example.com")
        );
        assert_eq!(
            backend_env(&plan, "DATABASE_PASSWORD")["valueFrom"]["secretKeyRef"],
            serde_json::json!({"name": "shop-db", "key": "password"})
        );
    }
}

#[test]
fn explain_names_the_definition_that_won() {
    let plan = plan_shop("production");
    let explanation = plan.explain("postgres#backend.db").unwrap();
    assert_eq!(explanation.winner.name, "postgres-managed");
    assert!(plan.explain("postgres#nope.db").is_err());
}

/// Every string of every object other than a Secret's data.
fn plain_strings(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for manifest in plan.manifests() {
        let mut stack = vec![manifest];
        let is_secret = manifest["kind"] == "Secret";
        while let Some(v) = stack.pop() {
            match v {
                Value::String(s) => out.push(s.clone()),
                Value::Array(a) => stack.extend(a),
                Value::Object(m) => stack.extend(
                    m.iter()
                        .filter(|(k, _)| !(is_secret && (*k == "data" || *k == "stringData")))
                        .map(|(_, v)| v),
                ),
                _ => {}
            }
        }
    }
    out.extend(plan.to_dot().lines().map(str::to_owned));
    out.push(plan.graph_json().to_string());
    out.push(serde_json::to_string(plan.resources()).unwrap());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn generated_secrets_never_leave_secret_objects(seed in prop::collection::vec(any::<u8>(), 16..48)) {
        let seed = SecretSeed::new(seed).unwrap();
        let engine = Engine::new(platform()).with_seed(seed.clone());
        let context = Context::new("shop", "dev", "development");
        let plan = engine.plan(&shop(), &context, &PlanOptions::default()).unwrap();
        let key: goldpath::ResourceKey = "postgres#backend.db".parse().unwrap();
        let password = seed.generate(&context, &key, "password");
        let text = password.expose();
        for s in plain_strings(&plan) {
            prop_assert!(!s.contains(text.as_str()), "a generated password leaked into {}", s);
        }
        prop_assert!(plan.to_yaml().contains(text.as_str()), "the Secret itself holds it");
    }
}

#[test]
fn upstream_score_examples_render_with_the_built_in_platform() {
    let root = repo().join("../shared/upstream/score/examples");
    if !root.exists() {
        println!("skipped: ../shared/upstream is absent");
        return;
    }
    let supported = [
        "volume",
        "redis",
        "postgres",
        "mysql",
        "mongodb",
        "amqp",
        "mssql",
        "s3",
        "kafka-topic",
        "dns",
        "route",
        "service",
        "service-port",
    ];
    let mut rendered = 0;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path)
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path)
            }
        }
    }
    files.sort();
    // Community provisioner examples read outputs that only those provisioners produce.
    files.retain(|f| !f.to_string_lossy().contains("community-provisioners"));
    for file in files {
        let Ok(loaded) = Loader::default().path(&file) else {
            continue;
        };
        let Some(workload) = loaded.workloads.into_iter().next() else {
            continue;
        };
        // As in score-k8s, a volume source must name a resource of the workload.
        let spec = &workload.document;
        let usable = spec
            .resources
            .values()
            .all(|r| supported.contains(&r.resource_type.as_str()))
            && spec.containers.values().all(|c| {
                c.image != "."
                    && c.volumes
                        .values()
                        .all(|v| v.source.starts_with("${resources."))
            });
        if !usable {
            continue;
        }
        let input = WorkloadInput::from_loaded(workload);
        let context = Context::new("example", "dev", "development");
        match Engine::new(Platform::default()).plan(&[input], &context, &PlanOptions::default()) {
            Ok(plan) => {
                assert!(
                    objects(&plan, "Deployment").len() + objects(&plan, "StatefulSet").len() >= 1
                );
                rendered += 1;
            }
            // Service links to workloads of other files cannot resolve when files are planned alone.
            Err(e) if e.message().contains("links to workload") => {}
            Err(e) => panic!("{}: {e}", file.display()),
        }
    }
    println!("rendered {rendered} upstream examples");
    assert!(rendered >= 10, "only {rendered} examples rendered");
}

/// A platform whose managed postgres takes a literal secret password from its inputs.
fn platform_with_literal_secret(password: &str) -> Platform {
    let text = format!(
        "apiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {{name: pg-literal}}\nspec:\n  type: postgres\n  driver: static\n  criteria: [{{}}]\n  inputs:\n    values: {{host: db.internal, port: 5432, name: shop, username: shop}}\n    secrets: {{password: {}}}\n",
        serde_json::Value::from(password)
    );
    let docs = Loader::default().str(&text, None).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn literal_secret_inputs_stay_in_secrets_and_plans_are_deterministic(password in "[A-Za-z0-9!#%&*+,.:;=?@^_~-]{8,40}") {
        let engine = Engine::new(platform_with_literal_secret(&password));
        let context = Context::new("shop", "dev", "development");
        let plan = engine.plan(&shop(), &context, &PlanOptions::default()).unwrap();
        for s in plain_strings(&plan) {
            prop_assert!(!s.contains(password.as_str()), "the secret leaked into {}", s);
        }
        let again = engine.plan(&shop(), &context, &PlanOptions::default()).unwrap();
        prop_assert_eq!(plan.to_yaml(), again.to_yaml());
        let mut streamed = Vec::new();
        engine.write_yaml(&shop(), &context, &PlanOptions::default(), &mut streamed).unwrap();
        prop_assert_eq!(String::from_utf8(streamed).unwrap(), plan.to_yaml(), "streaming writes what plan holds");
    }
}
