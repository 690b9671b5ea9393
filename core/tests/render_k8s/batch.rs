//! Jobs and CronJobs: the objects, their annotations (valid and invalid), the environment
//! type's `jobs` defaults and its lock, and every baseline on each kind.

use super::*;

/// `web` as a `kind` workload with `annotations` (a CronJob gets a schedule unless given one).
fn batch(kind: &str, annotations: Value) -> ResolvedWorkload {
    let mut all = json!({"k8s.score.dev/kind": kind});
    if kind == "CronJob" {
        all["goldpath.dev/schedule"] = "0 2 * * *".into();
    }
    for (key, value) in annotations.as_object().unwrap() {
        all[key] = value.clone();
    }
    web(json!({"metadata": {"name": "web", "annotations": all}}))
}

/// The Job spec of a Job or CronJob.
fn job_spec(object: &Value) -> &Value {
    match object["kind"].as_str() {
        Some("CronJob") => &object["spec"]["jobTemplate"]["spec"],
        _ => &object["spec"],
    }
}

fn batch_pod(object: &Value) -> &Value {
    &job_spec(object)["template"]["spec"]
}

fn batch_container<'a>(object: &'a Value, name: &str) -> &'a Value {
    let containers = batch_pod(object)["containers"].as_array().unwrap();
    containers.iter().find(|c| c["name"] == name).unwrap()
}

const KINDS: [&str; 2] = ["Job", "CronJob"];

#[test]
fn a_job_is_a_batch_v1_job_whose_pods_restart_on_failure() {
    let objects = render(&batch("Job", json!({})), None);
    assert_eq!(objects.len(), 1);
    let job = &objects[0];
    assert_eq!(
        (&job["apiVersion"], &job["kind"]),
        (&json!("batch/v1"), &json!("Job"))
    );
    assert_eq!(job["metadata"]["name"], "web");
    assert_eq!(batch_pod(job)["restartPolicy"], "OnFailure");
    assert!(
        job["spec"].get("selector").is_none(),
        "the Job controller picks the selector"
    );
    assert_eq!(
        job["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"],
        "web"
    );
}

#[test]
fn a_cronjob_carries_its_schedule_and_the_job_template() {
    let objects = render(&batch("CronJob", json!({})), None);
    let cron = &objects[0];
    assert_eq!(
        (&cron["apiVersion"], &cron["kind"]),
        (&json!("batch/v1"), &json!("CronJob"))
    );
    assert_eq!(cron["spec"]["schedule"], "0 2 * * *");
    assert_eq!(batch_pod(cron)["restartPolicy"], "OnFailure");
    assert_eq!(
        cron["spec"]["jobTemplate"]["metadata"]["labels"]["app.kubernetes.io/instance"],
        "shop-qa-web"
    );
    for absent in ["suspend", "timeZone", "concurrencyPolicy"] {
        assert!(cron["spec"].get(absent).is_none(), "{absent}");
    }
}

#[test]
fn every_annotation_sets_its_field() {
    let cron = &render(
        &batch(
            "CronJob",
            json!({
                "goldpath.dev/schedule": "@hourly",
                "goldpath.dev/time-zone": "Europe/Berlin",
                "goldpath.dev/concurrency-policy": "Forbid",
                "goldpath.dev/suspend": "true",
                "goldpath.dev/backoff-limit": "2",
                "goldpath.dev/active-deadline-seconds": "600",
                "goldpath.dev/ttl-seconds-after-finished": "0",
                "goldpath.dev/restart-policy": "Never",
            }),
        ),
        None,
    )[0];
    let spec = &cron["spec"];
    assert_eq!(spec["schedule"], "@hourly");
    assert_eq!(spec["timeZone"], "Europe/Berlin");
    assert_eq!(spec["concurrencyPolicy"], "Forbid");
    assert_eq!(spec["suspend"], true);
    let job = job_spec(cron);
    assert_eq!(job["backoffLimit"], 2);
    assert_eq!(job["activeDeadlineSeconds"], 600);
    assert_eq!(job["ttlSecondsAfterFinished"], 0);
    assert_eq!(batch_pod(cron)["restartPolicy"], "Never");
    let template = &job["template"]["metadata"];
    assert!(
        template.get("annotations").is_none(),
        "goldpath's annotations stay off the pod: {template}"
    );
    let suspended = |value: &str| {
        let workload = batch("CronJob", json!({"goldpath.dev/suspend": value}));
        render(&workload, None)[0]["spec"].get("suspend").cloned()
    };
    assert_eq!(suspended("false"), None);
    let job = &render(
        &batch("Job", json!({"goldpath.dev/restart-policy": "OnFailure"})),
        None,
    )[0];
    assert_eq!(batch_pod(job)["restartPolicy"], "OnFailure");
}

#[test]
fn a_bad_annotation_value_is_an_error_naming_the_annotation() {
    let cases = [
        (
            "CronJob",
            "goldpath.dev/schedule",
            "0 2 * *",
            "five cron fields",
        ),
        (
            "CronJob",
            "goldpath.dev/schedule",
            "61 * * * *",
            "61 is outside 0-59",
        ),
        (
            "CronJob",
            "goldpath.dev/schedule",
            "@fortnightly",
            "not a known macro",
        ),
        ("CronJob", "goldpath.dev/schedule", "", "five cron fields"),
        (
            "CronJob",
            "goldpath.dev/time-zone",
            "Mars/Olympus Mons",
            "time zone",
        ),
        (
            "CronJob",
            "goldpath.dev/concurrency-policy",
            "forbid",
            "`Allow`, `Forbid` or `Replace`",
        ),
        (
            "CronJob",
            "goldpath.dev/suspend",
            "yes",
            "`true` or `false`",
        ),
        ("Job", "goldpath.dev/backoff-limit", "-1", "whole number"),
        (
            "Job",
            "goldpath.dev/backoff-limit",
            "2147483648",
            "whole number",
        ),
        ("Job", "goldpath.dev/backoff-limit", "three", "whole number"),
        (
            "CronJob",
            "goldpath.dev/backoff-limit",
            "1.5",
            "whole number",
        ),
        (
            "Job",
            "goldpath.dev/active-deadline-seconds",
            "0",
            "above zero",
        ),
        (
            "Job",
            "goldpath.dev/active-deadline-seconds",
            "10m",
            "above zero",
        ),
        (
            "Job",
            "goldpath.dev/ttl-seconds-after-finished",
            "-5",
            "whole number",
        ),
        (
            "CronJob",
            "goldpath.dev/ttl-seconds-after-finished",
            "",
            "whole number",
        ),
        (
            "Job",
            "goldpath.dev/restart-policy",
            "Always",
            "`Never` or `OnFailure`",
        ),
        (
            "CronJob",
            "goldpath.dev/restart-policy",
            "never",
            "`Never` or `OnFailure`",
        ),
    ];
    for (kind, key, value, says) in cases {
        let workload = batch(kind, json!({ key: value }));
        for env in [None, Some(env_type(json!({"jobs": {"backoffLimit": 1}})))] {
            let err = render_error(&workload, env.as_ref());
            assert_eq!(err.kind(), ErrorKind::Invalid, "{kind} {key}={value}");
            assert_eq!(
                err.location().path.to_string(),
                format!("metadata.annotations[\"{key}\"]"),
                "{kind} {key}={value}: {err}"
            );
            assert!(err.message().contains(says), "{kind} {key}={value}: {err}");
        }
    }
}

#[test]
fn a_cronjob_without_a_schedule_is_an_error() {
    let workload =
        web(json!({"metadata": {"name": "web", "annotations": {"k8s.score.dev/kind": "CronJob"}}}));
    let err = render_error(&workload, None);
    assert_eq!(
        err.location().path.to_string(),
        r#"metadata.annotations["goldpath.dev/schedule"]"#
    );
    assert!(err.message().contains("a CronJob needs"), "{err}");
}

#[test]
fn batch_annotations_on_a_kind_they_do_not_apply_to_are_errors() {
    let cases = [
        (
            "Deployment",
            "goldpath.dev/backoff-limit",
            "3",
            "a Job or a CronJob",
        ),
        (
            "StatefulSet",
            "goldpath.dev/restart-policy",
            "Never",
            "a Job or a CronJob",
        ),
        ("Deployment", "goldpath.dev/schedule", "@daily", "a CronJob"),
        ("Job", "goldpath.dev/schedule", "@daily", "a CronJob"),
        ("Job", "goldpath.dev/suspend", "true", "a CronJob"),
        ("Job", "goldpath.dev/time-zone", "UTC", "a CronJob"),
        (
            "Job",
            "goldpath.dev/concurrency-policy",
            "Forbid",
            "a CronJob",
        ),
    ];
    for (kind, key, value, needs) in cases {
        let workload = web(json!({"metadata": {"name": "web", "annotations": {
            "k8s.score.dev/kind": kind, key: value,
        }}}));
        let err = render_error(&workload, None);
        assert_annotation_error(&err, key, &format!("applies to {needs}, not to a {kind}"));
    }
}

/// `err` is about the workload annotation `key` and says `phrase`.
fn assert_annotation_error(err: &goldpath::Error, key: &str, phrase: &str) {
    let path = format!("metadata.annotations[\"{key}\"]");
    assert_eq!(err.location().path.to_string(), path, "{err}");
    assert!(err.message().contains(phrase), "{err}");
}

#[test]
fn replica_and_budget_overrides_on_a_batch_workload_are_errors() {
    for kind in KINDS {
        for key in [
            "goldpath.dev/replicas",
            "goldpath.dev/pod-disruption-budget",
        ] {
            let value = if key.ends_with("replicas") {
                "3"
            } else {
                "true"
            };
            let err = render_error(&batch(kind, json!({ key: value })), None);
            assert_annotation_error(&err, key, &format!("does not apply to a {kind}"));
        }
    }
}

#[test]
fn a_batch_workload_with_service_ports_is_an_error() {
    for kind in KINDS {
        let mut workload = batch(kind, json!({}));
        workload.workload = serde_json::from_value(json!({
            "apiVersion": "score.dev/v1b1",
            "metadata": workload.workload.metadata,
            "containers": {"main": {"image": "nginx:1.27"}},
            "service": {"ports": {"http": {"port": 80}}},
        }))
        .unwrap();
        let err = render_error(&workload, None);
        assert_eq!(err.location().path.to_string(), "service.ports", "{kind}");
        assert!(
            err.message()
                .contains(&format!("a {kind} serves no traffic")),
            "{err}"
        );
    }
}

#[test]
fn the_environment_types_jobs_defaults_apply_and_an_annotation_wins_unless_locked() {
    let defaults = json!({"backoffLimit": 4, "ttlSecondsAfterFinished": 3600,
                          "activeDeadlineSeconds": 900, "concurrencyPolicy": "Replace"});
    let open = env_type(json!({ "jobs": defaults }));
    let locked = env_type(json!({ "jobs": defaults, "locked": ["jobs"] }));
    for kind in KINDS {
        let mut own = json!({"goldpath.dev/backoff-limit": "1"});
        if kind == "CronJob" {
            own["goldpath.dev/concurrency-policy"] = "Allow".into();
        }
        let plain = &render(&batch(kind, json!({})), Some(&open))[0];
        assert_eq!(job_spec(plain)["backoffLimit"], 4, "{kind}");
        assert_eq!(job_spec(plain)["ttlSecondsAfterFinished"], 3600, "{kind}");
        assert_eq!(job_spec(plain)["activeDeadlineSeconds"], 900, "{kind}");
        let overridden = &render(&batch(kind, own.clone()), Some(&open))[0];
        assert_eq!(job_spec(overridden)["backoffLimit"], 1, "{kind}");
        assert_eq!(
            job_spec(overridden)["ttlSecondsAfterFinished"],
            3600,
            "{kind}"
        );
        let held = &render(&batch(kind, own.clone()), Some(&locked))[0];
        assert_eq!(job_spec(held)["backoffLimit"], 4, "{kind}: the lock wins");
        if kind == "CronJob" {
            assert_eq!(plain["spec"]["concurrencyPolicy"], "Replace");
            assert_eq!(overridden["spec"]["concurrencyPolicy"], "Allow");
            assert_eq!(held["spec"]["concurrencyPolicy"], "Replace");
        } else {
            assert!(plain["spec"].get("concurrencyPolicy").is_none());
        }
    }
}

#[test]
fn a_locked_jobs_override_is_refused_with_a_warning_naming_the_annotation() {
    use goldpath::baseline::for_workload;
    use goldpath::spec::platform::LockableField;
    let locked = env_type(json!({"jobs": {"backoffLimit": 4}, "locked": ["jobs"]}));
    let workload = batch("Job", json!({"goldpath.dev/backoff-limit": "9"}));
    let (effective, refusals) = for_workload(&locked, &workload.workload).unwrap();
    assert_eq!(effective.jobs.backoff_limit, Some(4));
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].field, LockableField::Jobs);
    assert_eq!(
        refusals[0].path.to_string(),
        r#"metadata.annotations["goldpath.dev/backoff-limit"]"#
    );
    assert!(
        refusals[0].message.contains("locks `jobs`"),
        "{}",
        refusals[0].message
    );
}

#[test]
fn replicas_and_disruption_budgets_do_not_apply_to_batch_workloads() {
    let spec = env_type(json!({"replicas": 3, "podDisruptionBudget": true}));
    for kind in KINDS {
        let objects = render(&batch(kind, json!({})), Some(&spec));
        assert_eq!(objects.len(), 1, "{kind}: no budget: {objects:#?}");
        assert!(objects[0]["spec"].get("replicas").is_none(), "{kind}");
        assert!(job_spec(&objects[0]).get("parallelism").is_none(), "{kind}");
    }
}

#[test]
fn every_baseline_applies_to_each_kind_as_to_a_deployment() {
    let baselines = [
        json!({"securityContext": "restricted"}),
        json!({"securityContext": "baseline"}),
        json!({"securityContext": {"pod": {"fsGroup": 2000}, "container": {"runAsUser": 1000}}}),
        json!({"readOnlyRootFilesystem": true}),
        json!({"defaults": {"resources": {"requests": {"cpu": "100m"}, "limits": {"memory": "128Mi"}}}}),
        json!({"defaults": {"resources": {"limits": {"memory": "64Mi"}}}, "locked": ["defaults"]}),
        json!({"observability": {"otlpEndpoint": "http://otel:4317", "logLabels": true, "prometheus": true}}),
        json!({"labels": {"team": "shop"}, "annotations": {"owner": "shop-team"}}),
    ];
    for baseline in baselines {
        let spec = env_type(baseline.clone());
        let deployment = &render(&web(json!({})), Some(&spec))[0];
        for kind in KINDS {
            let object = &render(&batch(kind, json!({})), Some(&spec))[0];
            let pod = batch_pod(object);
            let deployment_pod = pod_spec(deployment);
            assert_eq!(
                pod["securityContext"], deployment_pod["securityContext"],
                "{kind} {baseline}"
            );
            let have = batch_container(object, "main");
            let want = container(deployment, "main");
            assert_eq!(have, want, "{kind} {baseline}");
            let template = &job_spec(object)["template"]["metadata"];
            let deployment_template = &deployment["spec"]["template"]["metadata"];
            assert_eq!(
                template["labels"], deployment_template["labels"],
                "{kind} {baseline}"
            );
            assert_eq!(
                template["annotations"], deployment_template["annotations"],
                "{kind} {baseline}"
            );
            assert_eq!(
                object["metadata"]["labels"], deployment["metadata"]["labels"],
                "{kind} {baseline}"
            );
        }
    }
}

#[test]
fn files_volumes_and_secrets_work_in_a_cronjob() {
    let mut workload = with_files(
        batch("CronJob", json!({})),
        "main",
        &[("/etc/report/config.yaml", text_file("format: csv"))],
    );
    let parts = workload.containers.entry("main".into()).or_default();
    parts.variables.insert(
        "DB_PASSWORD".into(),
        Resolved(vec![Piece::Secret(secret("db-secret", "password"))]),
    );
    let objects = render(&workload, None);
    assert_eq!(objects[0]["kind"], "CronJob");
    assert_eq!(objects[1]["kind"], "ConfigMap");
    let main = batch_container(&objects[0], "main");
    assert_eq!(
        main["env"][0]["valueFrom"]["secretKeyRef"],
        json!({"name": "db-secret", "key": "password"})
    );
    assert_eq!(main["volumeMounts"][0]["mountPath"], "/etc/report");
    assert!(batch_pod(&objects[0])["volumes"][0]["configMap"].is_object());
}

#[test]
fn a_cronjob_that_links_to_a_workload_is_allowed_into_it_and_gets_no_policy_of_its_own() {
    let spec = env_type(json!({"networkPolicy": true, "createNamespace": false}));
    let mut api = web(json!({
        "metadata": {"name": "api"},
        "service": {"ports": {"http": {"port": 80, "targetPort": 8080}}},
    }));
    api.linked_from = BTreeSet::from(["report".to_owned()]);
    let mut report = batch("CronJob", json!({}));
    report.workload.metadata.name = "report".into();
    let objects = environment(&[api, report.clone()], Some(&spec), Some("shop-qa")).unwrap();
    assert_eq!(
        names_of(&objects),
        [
            ("NetworkPolicy".into(), "default-deny-ingress".into()),
            ("NetworkPolicy".into(), "allow-api".into()),
        ]
    );
    assert_eq!(
        objects[1]["spec"]["ingress"][0]["from"],
        json!([{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "report"}}}])
    );
    let cron = &render(&report, Some(&spec))[0];
    assert_eq!(
        batch_pod(cron).get("restartPolicy"),
        Some(&json!("OnFailure"))
    );
    assert_eq!(
        job_spec(cron)["template"]["metadata"]["labels"]["app.kubernetes.io/name"],
        "report",
        "the label the allow rule selects"
    );
}
