//! `goldpath::apply` against an in-process fake API server (feature `kube`): the exact requests
//! sent (order, methods, paths, field manager, content type, dry-run parameters, label
//! selectors, delete order and preconditions), conflicts, failures, idempotency, dry runs,
//! rollout waits and live reads. No cluster is involved: this is the request layer.
#![cfg(feature = "kube")]

#[path = "apply_cluster/fake_api.rs"]
mod fake_api;

use std::time::Duration;

use fake_api::FakeApi;
use goldpath::apply::{
    ApplyOptions, ApplyReport, ChangeAction, PART_OF_LABEL, Step, apply, live_objects,
};
use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use serde_json::{Value, json};

/// A web workload with a service port and a postgres database (built-in: Secret, Service,
/// StatefulSet).
const WEB_WITH_DB: &str = "apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx:1.27
    variables: {PASSWORD: '${resources.db.password}'}
service:
  ports:
    http: {port: 80, targetPort: 8080}
resources:
  db: {type: postgres}
";

/// The same workload without the port and the database.
const WEB_ONLY: &str = "apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx:1.27
";

const SET: &str = "applyset-Zdz0zvRtsL61bWTzZbmBiRS5TBlBrXl4rOiJDt_oywM-v1";
const PARENT: &str = "/api/v1/namespaces/shop/secrets/goldpath.shop.dev";

fn plan(score: &str) -> Plan {
    plan_with(score, true)
}

/// The plan of `score` for app `shop`, environment `dev`, in namespace `shop`.
fn plan_with(score: &str, create_namespace: bool) -> Plan {
    let workload = Loader::default().score_str(score, None).unwrap();
    let options = PlanOptions {
        namespace: Some("shop".into()),
        create_namespace,
        image: None,
    };
    Engine::new(Platform::default())
        .plan(
            &[WorkloadInput::new(workload)],
            &Context::new("shop", "dev", "development"),
            &options,
        )
        .unwrap()
}

/// The name of the plan's (first) object of `kind`.
fn name_of(plan: &Plan, kind: &str) -> String {
    plan.manifests()
        .iter()
        .find(|m| m["kind"] == kind)
        .and_then(|m| m["metadata"]["name"].as_str())
        .unwrap()
        .to_owned()
}

async fn run(fake: &FakeApi, plan: &Plan, options: &ApplyOptions) -> ApplyReport {
    apply(&fake.client(), plan, options).await
}

fn pruning() -> ApplyOptions {
    ApplyOptions {
        prune: true,
        ..ApplyOptions::default()
    }
}

fn names(ids: &[goldpath::apply::ObjectId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

/// The LIST requests pruning sends: one per recorded group-kind (sorted) and namespace.
fn lists() -> Vec<String> {
    let selector = format!("labelSelector={PART_OF_LABEL}={SET}");
    [
        "/apis/apps/v1/namespaces/shop/deployments",
        "/api/v1/namespaces",
        "/api/v1/namespaces/shop/secrets",
        "/api/v1/namespaces/shop/services",
        "/apis/apps/v1/namespaces/shop/statefulsets",
    ]
    .iter()
    .map(|path| format!("GET {path}?&{selector}"))
    .collect()
}

#[tokio::test]
async fn the_first_apply_discovers_once_per_group_version_and_applies_in_order() {
    let fake = FakeApi::new();
    let plan = plan(WEB_WITH_DB);
    let db = name_of(&plan, "StatefulSet");
    let report = run(&fake, &plan, &pruning()).await;
    assert!(report.succeeded(), "{:?}", report.failed);
    assert_eq!(report.applyset, SET);

    let ssa = "fieldManager=goldpath";
    let mut expected = vec![
        format!("GET {PARENT}"),
        "GET /api/v1".to_owned(),
        format!("PATCH /api/v1/namespaces/shop?&{ssa}"),
        format!("PATCH {PARENT}?&force=true&{ssa}"),
        format!("PATCH /api/v1/namespaces/shop/secrets/{db}?&{ssa}"),
        format!("PATCH /api/v1/namespaces/shop/services/{db}?&{ssa}"),
        "GET /apis/apps/v1".to_owned(),
        format!("PATCH /apis/apps/v1/namespaces/shop/statefulsets/{db}?&{ssa}"),
        format!("PATCH /apis/apps/v1/namespaces/shop/deployments/web?&{ssa}"),
        format!("PATCH /api/v1/namespaces/shop/services/web?&{ssa}"),
    ];
    expected.extend(lists());
    expected.push(format!("PATCH {PARENT}?&force=true&{ssa}"));
    assert_eq!(fake.lines(), expected);

    for request in fake.requests().iter().filter(|r| r.method == "PATCH") {
        assert_eq!(
            request.content_type.as_deref(),
            Some("application/apply-patch+yaml")
        );
        let body = request.body.as_ref().unwrap();
        if request.path == PARENT {
            let annotations = &body["metadata"]["annotations"];
            assert_eq!(
                annotations["applyset.kubernetes.io/tooling"],
                "goldpath/v0.1.0"
            );
            assert_eq!(
                annotations["applyset.kubernetes.io/contains-group-kinds"],
                "Deployment.apps,Namespace,Secret,Service,StatefulSet.apps"
            );
            assert_eq!(body["metadata"]["labels"]["applyset.kubernetes.io/id"], SET);
        } else {
            assert_eq!(
                body["metadata"]["labels"][PART_OF_LABEL], SET,
                "{}",
                request.path
            );
        }
    }
    assert_eq!(
        names(&report.applied),
        [
            "Namespace shop".to_owned(),
            format!("Secret shop/{db}"),
            format!("Service shop/{db}"),
            format!("StatefulSet.apps shop/{db}"),
            "Deployment.apps shop/web".to_owned(),
            "Service shop/web".to_owned(),
        ]
    );
    assert!(report.pruned.is_empty());
}

#[tokio::test]
async fn a_second_apply_sends_the_same_requests_and_prunes_nothing() {
    let fake = FakeApi::new();
    let plan = plan(WEB_WITH_DB);
    let first = run(&fake, &plan, &pruning()).await;
    let sent = fake.requests();
    let stored: Vec<Value> = fake
        .paths()
        .iter()
        .map(|p| fake.object(p).unwrap())
        .collect();
    fake.clear_requests();
    let second = run(&fake, &plan, &pruning()).await;
    assert!(first.succeeded() && second.succeeded());
    assert_eq!(fake.requests(), sent);
    assert!(second.pruned.is_empty() && second.kept.is_empty());
    let again: Vec<Value> = fake
        .paths()
        .iter()
        .map(|p| fake.object(p).unwrap())
        .collect();
    assert_eq!(again, stored, "a second apply changes no object");
}

#[tokio::test]
async fn pruning_deletes_only_labelled_members_no_longer_planned_in_reverse_apply_order() {
    let fake = FakeApi::new();
    let before = plan(WEB_WITH_DB);
    let db = name_of(&before, "StatefulSet");
    run(&fake, &before, &pruning()).await;
    // An object without the label, and one of another set: neither may be touched.
    fake.insert(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "other", "namespace": "shop"}}));
    fake.insert(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "foreign", "namespace": "shop",
        "labels": {PART_OF_LABEL: "applyset-someone-else-v1"}}}));
    let uid = |path: &str| fake.object(path).unwrap()["metadata"]["uid"].clone();
    let doomed = [
        format!("/apis/apps/v1/namespaces/shop/statefulsets/{db}"),
        "/api/v1/namespaces/shop/services/web".to_owned(),
        format!("/api/v1/namespaces/shop/services/{db}"),
        format!("/api/v1/namespaces/shop/secrets/{db}"),
    ];
    let uids: Vec<Value> = doomed.iter().map(|p| uid(p)).collect();
    fake.clear_requests();

    // The namespace is no longer planned either: it is kept, never deleted.
    let report = run(&fake, &plan_with(WEB_ONLY, false), &pruning()).await;
    assert!(report.succeeded(), "{:?}", report.failed);

    let deletes: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect();
    let paths: Vec<&str> = deletes.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, doomed);
    for (request, uid) in deletes.iter().zip(&uids) {
        let body = request.body.as_ref().unwrap();
        assert_eq!(body["preconditions"]["uid"], *uid);
        assert!(body.get("dryRun").is_none());
    }
    let lists: Vec<String> = fake
        .lines()
        .into_iter()
        .filter(|l| l.contains("labelSelector"))
        .collect();
    assert_eq!(lists, self::lists());
    assert_eq!(
        names(&report.pruned),
        [
            format!("StatefulSet.apps shop/{db}"),
            "Service shop/web".to_owned(),
            format!("Service shop/{db}"),
            format!("Secret shop/{db}"),
        ]
    );
    assert_eq!(
        names(
            &report
                .kept
                .iter()
                .map(|k| k.object.clone())
                .collect::<Vec<_>>()
        ),
        ["Namespace shop"]
    );
    assert!(
        fake.object("/api/v1/namespaces/shop/services/other")
            .is_some()
    );
    assert!(
        fake.object("/api/v1/namespaces/shop/secrets/foreign")
            .is_some()
    );
    assert!(fake.object("/api/v1/namespaces/shop").is_some());
    for path in &doomed {
        assert!(fake.object(path).is_none(), "{path} was not pruned");
    }
    let parent = fake.object(PARENT).unwrap();
    assert_eq!(
        parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"],
        "Deployment.apps,Namespace",
        "the parent records the kinds still in the set (the kept Namespace included)"
    );
}

#[tokio::test]
async fn a_conflict_stops_the_run_naming_the_object_field_and_manager() {
    let fake = FakeApi::new();
    let plan = plan(WEB_WITH_DB);
    fake.conflict_on("web", ".spec.replicas", "kubectl-edit");
    let report = run(&fake, &plan, &pruning()).await;

    let failed = report.failed.clone().expect("the conflict fails the run");
    assert_eq!(failed.object.to_string(), "Deployment.apps shop/web");
    assert_eq!((failed.step, failed.code), (Step::Apply, Some(409)));
    assert_eq!(report.conflicts.len(), 1);
    let conflict = &report.conflicts[0];
    assert_eq!(conflict.object.to_string(), "Deployment.apps shop/web");
    assert_eq!(conflict.field, ".spec.replicas");
    assert_eq!(conflict.manager.as_deref(), Some("kubectl-edit"));
    assert_eq!(
        report.applied.len(),
        4,
        "what was applied before the conflict"
    );
    let lines = fake.lines();
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("PATCH /apis/apps/v1/namespaces/shop/deployments/web?"),
        "nothing is sent after the failing object: {lines:?}"
    );
    assert!(!lines.last().unwrap().contains("force=true"));

    fake.clear_requests();
    let forced = ApplyOptions {
        force_conflicts: true,
        ..pruning()
    };
    let report = run(&fake, &plan, &forced).await;
    assert!(report.succeeded() && report.conflicts.is_empty());
    let member_patches: Vec<String> = fake
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("PATCH") && !l.contains("goldpath.shop.dev"))
        .collect();
    assert_eq!(member_patches.len(), 6);
    assert!(
        member_patches
            .iter()
            .all(|l| l.contains("&force=true&fieldManager=goldpath"))
    );
}

#[tokio::test]
async fn a_failure_reports_what_was_applied_before_it_and_a_rerun_converges() {
    let fake = FakeApi::new();
    let plan = plan(WEB_WITH_DB);
    let db = name_of(&plan, "Secret");
    fake.fail_on(&db, 422);
    let report = run(&fake, &plan, &pruning()).await;
    let failed = report.failed.clone().unwrap();
    assert_eq!(failed.object.to_string(), format!("Secret shop/{db}"));
    assert_eq!(failed.code, Some(422));
    assert!(
        !failed.message.contains("s3cr3t"),
        "a Secret's error text is never repeated: {failed}"
    );
    assert_eq!(names(&report.applied), ["Namespace shop"]);
    assert!(
        !fake.lines().iter().any(|l| l.contains("labelSelector")),
        "no pruning after a failure"
    );

    fake.heal();
    let report = run(&fake, &plan, &pruning()).await;
    assert!(report.succeeded());
    assert_eq!(report.applied.len(), 6);
    assert_eq!(fake.paths().len(), 7, "six objects and the ApplySet parent");
}

#[tokio::test]
async fn a_dry_run_on_an_empty_cluster_changes_nothing_and_lists_what_would_be_created() {
    let fake = FakeApi::new();
    let plan = plan(WEB_WITH_DB);
    let options = ApplyOptions {
        dry_run: true,
        ..ApplyOptions::default()
    };
    let report = run(&fake, &plan, &options).await;
    assert!(report.succeeded(), "{:?}", report.failed);
    assert_eq!(
        fake.lines(),
        [
            format!("GET {PARENT}"),
            "GET /api/v1".to_owned(),
            "GET /api/v1/namespaces/shop".to_owned(),
            "PATCH /api/v1/namespaces/shop?&dryRun=All&fieldManager=goldpath".to_owned(),
            "GET /apis/apps/v1".to_owned(),
        ],
        "objects in a namespace that does not exist yet cannot be checked by the server"
    );
    assert!(fake.paths().is_empty());
    assert_eq!(report.changes.len(), 6);
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.action == ChangeAction::Create)
    );
}

#[tokio::test]
async fn a_dry_run_sends_dry_run_all_everywhere_and_names_the_fields_that_would_change() {
    let fake = FakeApi::new();
    run(&fake, &plan(WEB_WITH_DB), &pruning()).await;
    let stored: Vec<Value> = fake
        .paths()
        .iter()
        .map(|p| fake.object(p).unwrap())
        .collect();
    fake.clear_requests();

    let changed = plan(&WEB_WITH_DB.replace("nginx:1.27", "nginx:1.28").replace(
        "    http: {port: 80, targetPort: 8080}\n",
        "    http: {port: 80, targetPort: 8080}\n    admin: {port: 81}\n",
    ));
    let options = ApplyOptions {
        dry_run: true,
        ..pruning()
    };
    let report = run(&fake, &changed, &options).await;
    assert!(report.succeeded(), "{:?}", report.failed);
    for request in fake.requests() {
        match request.method.as_str() {
            "PATCH" => assert!(request.query.contains("&dryRun=All&"), "{}", request.line()),
            "DELETE" => assert_eq!(request.body.unwrap()["dryRun"], json!(["All"])),
            _ => {}
        }
    }
    let by_name: Vec<(String, ChangeAction)> = report
        .changes
        .iter()
        .map(|c| (c.object.to_string(), c.action))
        .collect();
    let updated: Vec<&str> = by_name
        .iter()
        .filter(|(_, a)| *a == ChangeAction::Update)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(updated, ["Deployment.apps shop/web", "Service shop/web"]);
    let deployment = report
        .changes
        .iter()
        .find(|c| c.object.kind == "Deployment")
        .unwrap();
    assert!(
        deployment
            .fields
            .contains(&"spec.template.spec.containers[0].image".to_owned()),
        "{:?}",
        deployment.fields
    );
    let again: Vec<Value> = fake
        .paths()
        .iter()
        .map(|p| fake.object(p).unwrap())
        .collect();
    assert_eq!(again, stored, "a dry run changes nothing");
}

#[tokio::test(start_paused = true)]
async fn waiting_reports_the_workload_that_is_not_ready_and_its_latest_condition() {
    let fake = FakeApi::new();
    fake.set_status("web", json!({"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "availableReplicas": 0,
        "conditions": [
            {"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable",
             "lastUpdateTime": "2026-01-01T10:00:00Z", "lastTransitionTime": "2026-01-01T10:00:00Z"},
            {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated",
             "message": "ReplicaSet \"web-5d\" is progressing.",
             "lastUpdateTime": "2026-01-01T10:01:00Z", "lastTransitionTime": "2026-01-01T10:00:00Z"}]}));
    let options = ApplyOptions {
        wait: Some(Duration::from_secs(60)),
        poll_interval: Duration::from_secs(5),
        ..pruning()
    };
    let report = run(&fake, &plan(WEB_WITH_DB), &options).await;
    let failed = report.failed.unwrap();
    assert_eq!(
        (failed.step, failed.object.to_string()),
        (Step::Wait, "Deployment.apps shop/web".to_owned())
    );
    assert!(
        failed.message.contains("0 of 1 updated replicas available"),
        "{}",
        failed.message
    );
    let condition = failed.condition.unwrap();
    assert_eq!(
        (condition.type_.as_str(), condition.reason.as_deref()),
        ("Progressing", Some("ReplicaSetUpdated"))
    );
    let polls = fake
        .lines()
        .iter()
        .filter(|l| *l == "GET /apis/apps/v1/namespaces/shop/deployments/web")
        .count();
    assert_eq!(
        polls, 13,
        "one look at the start and one every 5 s for 60 s"
    );
    assert!(
        !fake.lines().iter().any(|l| l.contains("labelSelector")),
        "no pruning before the rollout"
    );
}

#[tokio::test(start_paused = true)]
async fn waiting_for_rolled_out_workloads_looks_once_at_each_then_prunes() {
    let fake = FakeApi::new();
    let plan = plan(WEB_WITH_DB);
    let db = name_of(&plan, "StatefulSet");
    let options = ApplyOptions {
        wait: Some(Duration::from_secs(60)),
        ..pruning()
    };
    let report = run(&fake, &plan, &options).await;
    assert!(report.succeeded(), "{:?}", report.failed);
    let lines = fake.lines();
    let at = lines
        .iter()
        .position(|l| l.starts_with("GET /apis/apps/v1/namespaces/shop/statefulsets/"))
        .unwrap();
    assert_eq!(
        lines[at..at + 3],
        [
            format!("GET /apis/apps/v1/namespaces/shop/statefulsets/{db}"),
            "GET /apis/apps/v1/namespaces/shop/deployments/web".to_owned(),
            self::lists()[0].clone(),
        ]
    );
}

/// A migration Job.
const MIGRATE: &str = "apiVersion: score.dev/v1b1
metadata:
  name: migrate
  annotations: {k8s.score.dev/kind: Job}
containers:
  main:
    image: migrate:1.0
";

const JOB_PATH: &str = "/apis/batch/v1/namespaces/shop/jobs/migrate";

fn waiting() -> ApplyOptions {
    ApplyOptions {
        wait: Some(Duration::from_secs(60)),
        poll_interval: Duration::from_secs(5),
        ..pruning()
    }
}

#[tokio::test(start_paused = true)]
async fn waiting_for_a_job_lasts_until_it_completes() {
    let fake = FakeApi::new();
    fake.set_status("migrate", json!({"active": 1}));
    let later = fake.clone();
    let finish = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(12)).await;
        later.set_status(
            "migrate",
            json!({"succeeded": 1, "conditions": [
                {"type": "Complete", "status": "True", "lastTransitionTime": "2026-01-01T10:00:12Z"}]}),
        );
    });
    let report = run(&fake, &plan(MIGRATE), &waiting()).await;
    finish.await.unwrap();
    assert!(report.succeeded(), "{:?}", report.failed);
    assert!(
        report
            .applied
            .iter()
            .any(|id| id.to_string() == "Job.batch shop/migrate"),
        "{:?}",
        report.applied
    );
    let polls = fake
        .lines()
        .iter()
        .filter(|l| *l == &format!("GET {JOB_PATH}"))
        .count();
    assert_eq!(polls, 4, "at 0, 5 and 10 s running, at 15 s complete");
}

#[tokio::test(start_paused = true)]
async fn a_failed_job_ends_the_wait_with_its_failed_condition() {
    let fake = FakeApi::new();
    fake.set_status(
        "migrate",
        json!({"failed": 7, "conditions": [
        {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded",
         "lastTransitionTime": "2026-01-01T10:05:00Z"},
        {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
         "message": "Job has reached the specified backoff limit",
         "lastTransitionTime": "2026-01-01T10:05:00Z"}]}),
    );
    let report = run(&fake, &plan(MIGRATE), &waiting()).await;
    let failed = report.failed.unwrap();
    assert_eq!(
        (
            failed.step,
            failed.object.to_string(),
            failed.message.as_str()
        ),
        (
            Step::Wait,
            "Job.batch shop/migrate".to_owned(),
            "the Job failed"
        )
    );
    let condition = failed.condition.unwrap();
    assert_eq!(
        (condition.type_.as_str(), condition.reason.as_deref()),
        ("Failed", Some("BackoffLimitExceeded"))
    );
    assert_eq!(
        condition.message.as_deref(),
        Some("Job has reached the specified backoff limit")
    );
    let polls = fake
        .lines()
        .iter()
        .filter(|l| *l == &format!("GET {JOB_PATH}"))
        .count();
    assert_eq!(polls, 1, "a failed Job is not polled again");
    assert!(
        !fake.lines().iter().any(|l| l.contains("labelSelector")),
        "no pruning after a failed wait"
    );
}

#[tokio::test]
async fn live_objects_are_read_for_every_planned_object() {
    let fake = FakeApi::new();
    let plan = plan(WEB_WITH_DB);
    let live = live_objects(&fake.client(), &plan).await.unwrap();
    assert_eq!(live.len(), 6);
    assert!(live.iter().all(|l| l.live.is_none()));
    assert!(fake.lines().iter().all(|l| l.starts_with("GET ")));

    run(&fake, &plan, &ApplyOptions::default()).await;
    let live = live_objects(&fake.client(), &plan).await.unwrap();
    for object in &live {
        let found = object.live.as_ref().expect("applied objects exist");
        assert!(found["metadata"]["uid"].is_string());
        assert_eq!(object.planned["metadata"]["labels"][PART_OF_LABEL], SET);
    }
    assert_eq!(live[0].id.to_string(), "Namespace shop");
}

#[tokio::test]
async fn a_set_managed_by_another_tool_is_left_alone() {
    let fake = FakeApi::new();
    fake.insert(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "goldpath.shop.dev", "namespace": "shop",
        "annotations": {"applyset.kubernetes.io/tooling": "kubectl/v1.27"}}}));
    let report = run(&fake, &plan(WEB_WITH_DB), &pruning()).await;
    let failed = report.failed.unwrap();
    assert_eq!(failed.step, Step::Read);
    assert!(failed.message.contains("kubectl/v1.27"));
    assert_eq!(fake.lines(), [format!("GET {PARENT}")]);
}

/// The engine of the recording tests: the built-ins and an environment type `development`
/// whose namespace is `shop` (a write is only admitted under a platform that defines the
/// environment's type, in the environment's namespace).
fn recording_engine() -> Engine {
    let text = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: development}\nspec: {namespace: shop, createNamespace: false}\n";
    let docs = Loader::default().str(text, None).unwrap();
    Engine::new(Platform::from_documents(
        docs.platform.into_iter().map(|l| l.document),
    ))
}

/// The plan of `score` by the recording engine, in namespace `shop`, Namespace object included.
fn recording_plan(engine: &Engine, score: &str) -> Plan {
    let workload = Loader::default().score_str(score, None).unwrap();
    let options = PlanOptions {
        namespace: Some("shop".into()),
        create_namespace: true,
        image: None,
    };
    engine
        .plan(
            &[WorkloadInput::new(workload)],
            &Context::new("shop", "dev", "development"),
            &options,
        )
        .unwrap()
}

/// A memory store in which `shop/dev` exists, created through a deployer of `engine`.
fn recording_store(engine: &Engine) -> goldpath::deploy::MemoryStore {
    use goldpath::deploy::{Actor, Deployer, MemoryStore, NewEnvironment};
    let store = MemoryStore::new();
    Deployer::new(engine, &store)
        .create_environment(
            &NewEnvironment::new("shop", "dev", "development"),
            &Actor::at("2026-11-23T09:00:00Z"),
        )
        .unwrap();
    store
}

#[tokio::test]
async fn a_failed_apply_is_recorded_failed_and_a_rerun_converges() {
    use goldpath::apply::apply_and_record;
    use goldpath::deploy::{Actor, Deployer, Store};
    let fake = FakeApi::new();
    let engine = recording_engine();
    let store = recording_store(&engine);
    let options = PlanOptions {
        namespace: Some("shop".into()),
        create_namespace: true,
        image: None,
    };
    let deployer = Deployer::new(&engine, &store).with_options(options);
    let client = fake.client();
    let apply_options = ApplyOptions::default();

    let good = apply_and_record(
        &client,
        &deployer,
        &recording_plan(&engine, WEB_ONLY),
        &Actor::at("2026-11-23T10:00:00Z"),
        &apply_options,
    )
    .await
    .unwrap();
    assert!(good.succeeded());
    let good = good.record.unwrap();

    let failing = recording_plan(&engine, WEB_WITH_DB);
    fake.fail_on(&name_of(&failing, "StatefulSet"), 422);
    let failed = apply_and_record(
        &client,
        &deployer,
        &failing,
        &Actor::at("2026-11-23T11:00:00Z"),
        &apply_options,
    )
    .await
    .unwrap();
    assert!(!failed.succeeded());
    let failed_id = failed.record.unwrap().id;
    let history = store.history("shop", "dev").unwrap();
    assert_eq!(history.ids(), [good.id.as_str(), failed_id.as_str()]);
    assert!(history.entries[1].failed);
    assert_eq!(history.current().unwrap().id, good.id);

    fake.heal();
    let rerun = apply_and_record(
        &client,
        &deployer,
        &failing,
        &Actor::at("2026-11-23T12:00:00Z"),
        &apply_options,
    )
    .await
    .unwrap();
    assert!(rerun.succeeded());
    let rerun = rerun.record.unwrap();
    let history = store.history("shop", "dev").unwrap();
    assert_eq!(history.entries.len(), 3);
    assert_eq!(history.current().unwrap().id, rerun.id);
    assert_eq!(rerun.manifests, failed_id_manifests(&store, &failed_id));
}

fn failed_id_manifests(store: &goldpath::deploy::MemoryStore, id: &str) -> Vec<Value> {
    use goldpath::deploy::Store;
    store.record(id).unwrap().manifests
}

#[tokio::test]
async fn a_dry_run_records_nothing() {
    use goldpath::apply::apply_and_record;
    use goldpath::deploy::{Actor, Deployer, Store};
    let fake = FakeApi::new();
    let engine = recording_engine();
    let store = recording_store(&engine);
    let deployer = Deployer::new(&engine, &store);
    let dry = ApplyOptions {
        dry_run: true,
        ..ApplyOptions::default()
    };
    let outcome = apply_and_record(
        &fake.client(),
        &deployer,
        &recording_plan(&engine, WEB_ONLY),
        &Actor::at("2026-11-23T10:00:00Z"),
        &dry,
    )
    .await
    .unwrap();
    assert!(outcome.record.is_none());
    assert!(store.history("shop", "dev").unwrap().entries.is_empty());
}

#[tokio::test]
async fn the_live_diff_shows_drift_only_and_never_a_secret_value() {
    use goldpath::apply::live_diff;
    let fake = FakeApi::new();
    let plan = plan(WEB_WITH_DB);
    run(&fake, &plan, &ApplyOptions::default()).await;
    let same = live_diff(&fake.client(), &plan).await.unwrap();
    assert!(same.objects.is_empty(), "{same}");

    let secret = name_of(&plan, "Secret");
    let service = name_of(&plan, "Service");
    let service_path = format!("/api/v1/namespaces/shop/services/{service}");
    let mut drifted = fake.object(&service_path).unwrap();
    drifted["spec"]["ports"][0]["port"] = json!(8081);
    fake.insert(drifted);
    let secret_path = format!("/api/v1/namespaces/shop/secrets/{secret}");
    let mut live_secret = fake.object(&secret_path).unwrap();
    live_secret["stringData"] = json!({"password": "hunter2-live"});
    live_secret["data"] = json!({"password": "aHVudGVyMi1saXZl"});
    fake.insert(live_secret);

    let drift = live_diff(&fake.client(), &plan).await.unwrap();
    let changed: Vec<String> = drift
        .objects
        .iter()
        .map(|o| o.object.versioned().to_string())
        .collect();
    assert!(
        changed.contains(&format!("v1 Service shop/{service}")),
        "{changed:?}"
    );
    let text = drift.to_string();
    assert!(text.contains("8081"), "{text}");
    let json = serde_json::to_string(&drift).unwrap();
    for out in [&text, &json] {
        assert!(!out.contains("hunter2-live") && !out.contains("aHVudGVyMi1saXZl"));
    }
}
