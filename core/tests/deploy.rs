//! Deployments end to end on the sample application: records, history, diff, rollback,
//! promotion, cloning, environments, and secrets kept out of everything stored or shown.

#[path = "common/fixtures.rs"]
mod fixtures;

use goldpath::ErrorKind;
use goldpath::deploy::{
    Actor, ChangeKind, Deployer, Deployment, DirStore, MemoryStore, NewEnvironment, Operation,
    RECORD_FORMAT, Store, diff,
};
use goldpath::plan::{Engine, PlanOptions};
use goldpath::rbac::Principal;
use goldpath::resolve::WorkloadInput;
use serde_json::Value;

const T1: &str = "2026-11-23T10:00:00Z";
const T2: &str = "2026-11-23T11:00:00Z";
const T3: &str = "2026-11-23T12:00:00Z";

/// Ada owns the shop and is in the groups that may deploy to qa-light, development and
/// production (fixtures/platform/role-bindings.yaml).
fn actor(at: &str) -> Actor {
    Actor::at(at).by(ada())
}

fn ada() -> Principal {
    Principal::user("ada")
        .in_group("shop-team")
        .in_group("release-managers")
}

fn engine() -> Engine {
    Engine::new(fixtures::platform())
}

/// The shop with the backend's image set to `image`.
fn shop_with_backend(image: &str) -> Vec<WorkloadInput> {
    let mut shop = fixtures::shop();
    for w in &mut shop {
        if w.workload.metadata.name == "backend" {
            w.workload.containers.get_mut("api").unwrap().image = image.to_owned();
        }
    }
    shop
}

#[test]
fn a_deploy_records_its_inputs_and_the_manifests_without_secret_values() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let record = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();
    assert_eq!(record.format, RECORD_FORMAT);
    assert_eq!(
        (
            record.inputs.app.as_str(),
            record.inputs.env.as_str(),
            record.inputs.env_type.as_str()
        ),
        ("shop", "qa-42", "qa-light"),
        "the environment declared by the platform is created with its type"
    );
    assert_eq!(record.inputs.parent, None);
    assert_eq!(record.inputs.at, T1);
    assert_eq!(record.inputs.principal.as_deref(), Some("ada"));
    assert_eq!(record.inputs.operation, Operation::Deploy);
    assert_eq!(record.inputs.workloads.len(), 4);
    assert_eq!(record.id, record.inputs.digest());
    record.verify().unwrap();

    let plan = fixtures::shop_plan(&engine, "qa-42", "qa-light", &PlanOptions::default());
    assert_eq!(record.manifests.len(), plan.manifests().len());
    let order: Vec<String> = plan
        .graph()
        .ordered()
        .map(|n| n.name().to_string())
        .collect();
    assert_eq!(record.order, order);
    for value in fixtures::secret_values(plan.manifests()) {
        let text = serde_json::to_string(&record).unwrap();
        assert!(!text.contains(&value), "a secret value reached the record");
    }
}

#[test]
fn redeploying_unchanged_workloads_makes_a_new_record_with_an_empty_diff() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let first = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();
    let second = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T2))
        .unwrap();
    assert_ne!(first.id, second.id);
    assert_eq!(second.inputs.parent.as_deref(), Some(first.id.as_str()));
    assert_eq!(first.manifests, second.manifests);
    assert!(diff(&first, &second).is_empty());
    let history = deployer.history("shop", "qa-42").unwrap();
    assert_eq!(history.ids(), [first.id.as_str(), second.id.as_str()]);
}

#[test]
fn an_image_change_shows_as_an_input_change_and_a_manifest_change() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let a = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();
    let new_image = "registry.example.com/shop/backend:2.1.0";
    let b = deployer
        .deploy("shop", "qa-42", &shop_with_backend(new_image), &actor(T2))
        .unwrap();
    let d = diff(&a, &b);
    assert_eq!(d.inputs.workloads.len(), 1);
    let workload = &d.inputs.workloads[0];
    assert_eq!(
        (workload.workload.as_str(), workload.change),
        ("backend", ChangeKind::Changed)
    );
    assert_eq!(workload.changes[0].pointer, "/containers/api/image");
    assert_eq!(workload.changes[0].after, Some(Value::from(new_image)));
    assert!(d.inputs.platform.is_empty() && d.inputs.context.is_empty());

    assert_eq!(
        d.objects.len(),
        1,
        "only the backend's Deployment changes: {d}"
    );
    let object = &d.objects[0];
    assert_eq!(
        (object.object.kind.as_str(), object.object.name.as_str()),
        ("Deployment", "backend")
    );
    assert_eq!(
        object.changes[0].pointer,
        "/spec/template/spec/containers/0/image"
    );
    let text = d.to_string();
    assert!(text.contains(&format!("+ \"{new_image}\"")), "{text}");
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["objects"][0]["change"], "changed");
}

#[test]
fn a_cronjob_schedule_change_shows_in_the_diff_and_a_rollback_restores_it() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let a = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();
    let mut shop = fixtures::shop();
    for w in &mut shop {
        if w.workload.metadata.name == "nightly-report" {
            w.workload
                .metadata
                .annotations
                .insert("goldpath.dev/schedule".into(), "@hourly".into());
        }
    }
    let b = deployer.deploy("shop", "qa-42", &shop, &actor(T2)).unwrap();
    let d = diff(&a, &b);
    assert_eq!(d.objects.len(), 1, "{d}");
    let object = &d.objects[0];
    assert_eq!(
        (
            object.object.api_version.as_str(),
            object.object.kind.as_str(),
            object.object.name.as_str()
        ),
        ("batch/v1", "CronJob", "nightly-report")
    );
    assert_eq!(object.changes[0].pointer, "/spec/schedule");
    assert_eq!(object.changes[0].after, Some(Value::from("@hourly")));
    let rollback = deployer
        .rollback("shop", "qa-42", &a.id, &actor(T3))
        .unwrap();
    let cron = |manifests: &[Value]| {
        manifests
            .iter()
            .find(|m| m["kind"] == "CronJob")
            .map(|m| m["spec"]["schedule"].clone())
    };
    assert_eq!(
        cron(&rollback.record.manifests),
        Some(Value::from("0 3 * * *"))
    );
    assert!(
        a.manifests.iter().any(|m| m["kind"] == "Job"),
        "the record keeps the migration Job"
    );
}

#[test]
fn rollback_under_an_unchanged_platform_reproduces_the_manifests() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let a = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();
    deployer
        .deploy(
            "shop",
            "qa-42",
            &shop_with_backend("registry.example.com/shop/backend:9"),
            &actor(T2),
        )
        .unwrap();
    let rollback = deployer
        .rollback("shop", "qa-42", &a.id, &actor(T3))
        .unwrap();
    assert!(!rollback.platform_changed());
    assert!(rollback.manifest_changes.is_empty());
    assert_eq!(
        serde_json::to_string(&rollback.record.manifests).unwrap(),
        serde_json::to_string(&a.manifests).unwrap()
    );
    assert_eq!(
        rollback.record.inputs.operation,
        Operation::Rollback { to: a.id.clone() }
    );
    assert_eq!(rollback.record.inputs.workloads, a.inputs.workloads);
    assert_eq!(deployer.history("shop", "qa-42").unwrap().entries.len(), 3);
}

#[test]
fn rollback_under_a_changed_platform_says_what_changed() {
    let store = MemoryStore::new();
    let engine = engine();
    let a = Deployer::new(&engine, &store)
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();

    let mut platform = fixtures::platform();
    let extra = goldpath::load::Loader::default()
        .str(
            "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: sandbox}\nspec: {}\n",
            None,
        )
        .unwrap();
    platform.add(extra.platform.into_iter().next().unwrap().document);
    let engine = Engine::new(platform);
    let rollback = Deployer::new(&engine, &store)
        .rollback("shop", "qa-42", &a.id, &actor(T2))
        .unwrap();
    assert!(rollback.platform_changed());
    assert_eq!(rollback.platform_changes.len(), 1);
    assert_eq!(
        rollback.platform_changes[0].document,
        "EnvironmentType/sandbox"
    );
    assert_eq!(rollback.platform_changes[0].change, ChangeKind::Added);
}

#[test]
fn rollback_refuses_a_record_of_another_environment() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let qa = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();
    deployer
        .deploy("shop", "development", &fixtures::shop(), &actor(T1))
        .unwrap();
    let err = deployer
        .rollback("shop", "development", &qa.id, &actor(T2))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.message().contains("use `promote`"), "{err}");
}

fn postgres_definition(record: &Deployment) -> &str {
    &record
        .resources
        .iter()
        .find(|r| r.key.starts_with("postgres"))
        .expect("the shop has a database")
        .definition
}

#[test]
fn promotion_from_qa_light_to_production_uses_the_production_database() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let qa = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();
    assert_eq!(postgres_definition(&qa), "postgres-in-cluster");

    let production = deployer
        .promote("shop", "qa-42", "production", &actor(T2))
        .unwrap();
    assert_eq!(production.inputs.env_type, "production");
    assert_eq!(postgres_definition(&production), "postgres-managed");
    assert_eq!(production.inputs.workloads, qa.inputs.workloads);
    assert_eq!(
        production.inputs.operation,
        Operation::Promote {
            from: "qa-42".into(),
            record: qa.id.clone()
        }
    );
    let statefulsets = |r: &Deployment| {
        r.manifests
            .iter()
            .filter(|m| m["kind"] == "StatefulSet")
            .count()
    };
    assert!(statefulsets(&qa) > 0, "qa runs the database in the cluster");
    assert_eq!(
        statefulsets(&production),
        0,
        "production does not copy qa's database"
    );
}

#[test]
fn a_cloned_environment_takes_the_workloads_but_gets_its_own_resources() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let source = deployer
        .deploy(
            "shop",
            "qa-42",
            &shop_with_backend("registry.example.com/shop/backend:3"),
            &actor(T1),
        )
        .unwrap();
    let (environment, record) = deployer
        .create_environment(
            &NewEnvironment::new("shop", "pr-7", "qa-light")
                .cloned_from("qa-42")
                .ephemeral(),
            &actor(T2),
        )
        .unwrap();
    assert!(environment.ephemeral);
    assert_eq!(environment.cloned_from.as_deref(), Some("qa-42"));
    let record = record.unwrap();
    assert_eq!(record.inputs.workloads, source.inputs.workloads);
    assert_eq!(
        record.inputs.operation,
        Operation::Clone {
            from: "qa-42".into(),
            record: source.id.clone()
        }
    );
    let secret_names = |r: &Deployment| -> Vec<String> {
        r.manifests
            .iter()
            .filter(|m| m["kind"] == "Secret")
            .map(|m| m["metadata"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(!secret_names(&record).is_empty());
    assert_ne!(
        secret_names(&record),
        secret_names(&source),
        "resources are not shared"
    );
}

#[test]
fn environments_are_created_listed_and_deleted() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    deployer
        .create_environment(&NewEnvironment::new("shop", "perf", "staging"), &actor(T1))
        .unwrap();
    let err = deployer
        .create_environment(&NewEnvironment::new("shop", "perf", "staging"), &actor(T1))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Store);
    let err = deployer
        .create_environment(&NewEnvironment::new("shop", "x", "nope"), &actor(T1))
        .unwrap_err();
    assert!(
        err.message().contains("`production`"),
        "lists the types: {err}"
    );
    let err = deployer
        .create_environment(
            &NewEnvironment::new("shop", "y", "staging").cloned_from("perf"),
            &actor(T1),
        )
        .unwrap_err();
    assert!(err.message().contains("no deployment yet"), "{err}");
    let names: Vec<String> = deployer
        .environments("shop")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["perf"]);
    deployer
        .delete_environment("shop", "perf", &actor(T2))
        .unwrap();
    assert!(deployer.environments("shop").unwrap().is_empty());
    let err = deployer
        .deploy("shop", "perf", &fixtures::shop(), &actor(T3))
        .unwrap_err();
    assert!(err.message().contains("does not exist: create it"), "{err}");
}

#[test]
fn a_timestamp_that_is_not_rfc_3339_is_refused_before_anything_is_written() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let err = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor("yesterday"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        store.history("shop", "qa-42").is_err(),
        "nothing was created"
    );
}

#[test]
fn no_secret_value_reaches_the_store_folder_a_diff_or_the_history() {
    let engine = engine();
    let folder = tempfile::tempdir().unwrap();
    let store = DirStore::open(folder.path()).unwrap();
    let deployer = Deployer::new(&engine, &store);
    let a = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T1))
        .unwrap();
    let seeded = engine.clone().with_seed(
        goldpath::drivers::SecretSeed::new(b"another seed of enough length".to_vec()).unwrap(),
    );
    let b = Deployer::new(&seeded, &store)
        .deploy("shop", "qa-42", &fixtures::shop(), &actor(T2))
        .unwrap();
    let d = diff(&a, &b);
    assert!(
        d.objects.iter().any(|o| o.changes.iter().any(|c| c.secret)),
        "the password changed with the seed: {d}"
    );

    let mut secrets = Vec::new();
    for e in [&engine, &seeded] {
        let plan = fixtures::shop_plan(e, "qa-42", "qa-light", &PlanOptions::default());
        secrets.extend(fixtures::secret_values(plan.manifests()));
    }
    let mut shown = vec![d.to_string(), serde_json::to_string(&d).unwrap()];
    let history = deployer.history("shop", "qa-42").unwrap();
    shown.extend(history.entries.iter().map(|e| format!("{:?}", e.record)));
    for path in walk(folder.path()) {
        shown.push(std::fs::read_to_string(path).unwrap());
    }
    for text in &shown {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret value was stored or shown"
            );
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn with_role_bindings_every_write_needs_a_principal_with_the_right() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let err = deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &Actor::at(T1))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Permission);
    assert!(err.message().contains("give a principal"), "{err}");
    assert!(
        store.environment("shop", "qa-42").unwrap().is_none(),
        "a refused deploy does not create the declared environment"
    );

    let developer = Actor::at(T1).by(Principal::user("bob").in_group("shop-team"));
    deployer
        .deploy("shop", "qa-42", &fixtures::shop(), &developer)
        .unwrap();
    let err = deployer
        .promote("shop", "qa-42", "production", &developer)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Permission,
        "no deployer binding on production"
    );
    let err = deployer
        .create_environment(
            &NewEnvironment::new("shop", "copy", "staging").cloned_from("qa-42"),
            &developer,
        )
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Permission,
        "a clone deploys, and staging has no deployer for bob"
    );
    let stranger = Actor::at(T1).by(Principal::user("eve"));
    let err = deployer
        .delete_environment("shop", "qa-42", &stranger)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Permission);
    assert_eq!(
        deployer.history("shop", "qa-42").unwrap().entries.len(),
        1,
        "nothing was written"
    );
}

#[test]
fn without_role_bindings_anyone_may_deploy() {
    // The environment types alone: no RoleBinding documents.
    let platform =
        fixtures::platform_in(&fixtures::repo().join("fixtures/platform/environment-types.yaml"));
    let engine = Engine::new(platform);
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    deployer
        .create_environment(
            &NewEnvironment::new("shop", "dev", "development"),
            &Actor::at(T1),
        )
        .unwrap();
    let record = deployer
        .deploy("shop", "dev", &fixtures::shop(), &Actor::at(T2))
        .unwrap();
    assert_eq!(record.inputs.principal, None);
}

#[test]
fn a_blocking_policy_violation_refuses_the_promotion_and_writes_nothing() {
    let engine = engine();
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let latest = shop_with_backend("registry.example.com/shop/backend:latest");
    // qa-light only warns about the latest tag, so the deploy goes through.
    deployer
        .deploy("shop", "qa-42", &latest, &actor(T1))
        .unwrap();
    let err = deployer
        .promote("shop", "qa-42", "production", &actor(T2))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Policy);
    assert!(err.to_string().contains("forbid-latest-tag"), "{err}");
    assert!(
        store
            .history("shop", "production")
            .unwrap()
            .entries
            .is_empty(),
        "the refused promotion left no record"
    );
}

/// Record ids are content addresses: the serialized form of a record's inputs (its options
/// included) must stay the same from one version to the next, or every stored record would
/// fail `verify`. Fixed inputs, every optional field set, give this one id.
#[test]
fn the_id_of_fixed_inputs_stays_the_same() {
    use goldpath::deploy::{PlatformDigest, RecordInputs, RecordedWorkload};
    let score = serde_json::from_value(serde_json::json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "containers": {"main": {"image": "nginx:1.27", "variables": {"A": "b"}}},
        "resources": {"db": {"type": "postgres"}}
    }))
    .unwrap();
    let inputs = RecordInputs {
        app: "shop".into(),
        env: "qa".into(),
        env_type: "development".into(),
        parent: Some("0".repeat(64)),
        at: T1.into(),
        principal: Some("user:ada".into()),
        operation: Operation::Promote {
            from: "dev".into(),
            record: "1".repeat(64),
        },
        workloads: vec![RecordedWorkload {
            file: Some("score.yaml".into()),
            score,
        }],
        options: goldpath::plan::PlanOptions {
            namespace: Some("shop-qa".into()),
            create_namespace: true,
            image: Some("registry.example/web:1".into()),
        },
        platform: PlatformDigest {
            digest: "2".repeat(64),
            documents: [("ResourceDefinition/pg".to_owned(), "3".repeat(64))].into(),
        },
    };
    let options = serde_json::to_string(&inputs.options).unwrap();
    assert_eq!(
        options,
        r#"{"namespace":"shop-qa","createNamespace":true,"image":"registry.example/web:1"}"#
    );
    assert_eq!(
        inputs.digest(),
        "ce889731251f60f1067c85c74954360ade343576845b227eb88bed96f3fcc6d8"
    );
}
