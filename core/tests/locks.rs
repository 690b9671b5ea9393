//! Locked baselines: every lockable field × every way to change it (a workload annotation or
//! setting, a plan option, a definition's manifest). A workload override of a locked field is
//! ignored with a `locked-baseline` warning; any other change that reaches the final objects
//! is refused with a `policy` error. Each case also runs without the lock, to show that the
//! lock is what decides.

use goldpath::ErrorKind;
use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use goldpath::spec::platform::LockableField;
use proptest::prelude::*;
use serde_json::{Value, json};

/// How a case tries to change a locked field.
enum Via {
    /// Workload annotations (and container settings) merged into the workload.
    Workload(Value),
    /// Plan options.
    Options(fn() -> PlanOptions),
    /// The `manifests` template of a definition the workload's resource `probe` matches.
    Manifest(&'static str),
}

/// What the plan must do when the field is locked.
enum Locked {
    /// Plan, with a `locked-baseline` warning, and the check holds on the plan.
    Warns(fn(&Plan) -> bool),
    /// Plan, no warning, and the check holds on the plan (the type's value won).
    Holds(fn(&Plan) -> bool),
    /// Refused with a `policy` error naming the lock.
    Refused,
}

struct Case {
    field: LockableField,
    /// The environment type's spec, without `locked`.
    env_type: &'static str,
    via: Via,
    locked: Locked,
}

const CONFIG_MAP: &str =
    "- {apiVersion: v1, kind: ConfigMap, metadata: {name: probe, LABELS}, data: {a: b}}";

fn cases() -> Vec<Case> {
    use LockableField as F;
    vec![
        Case {
            field: F::Namespace,
            env_type: "{}",
            via: Via::Options(|| PlanOptions {
                namespace: Some("kube-system".into()),
                ..PlanOptions::default()
            }),
            locked: Locked::Refused,
        },
        Case {
            field: F::Namespace,
            env_type: "{}",
            via: Via::Options(|| PlanOptions {
                namespace: Some("shop-prod".into()),
                create_namespace: true,
                ..PlanOptions::default()
            }),
            locked: Locked::Holds(|p| every_namespace_is(p, "shop-prod")),
        },
        Case {
            field: F::Namespace,
            env_type: "{}",
            via: Via::Manifest(
                "- {apiVersion: v1, kind: ConfigMap, metadata: {name: probe, namespace: kube-system}, data: {a: b}}",
            ),
            locked: Locked::Refused,
        },
        Case {
            field: F::Namespace,
            env_type: "{createNamespace: false}",
            via: Via::Manifest("- {apiVersion: v1, kind: Namespace, metadata: {name: elsewhere}}"),
            locked: Locked::Refused,
        },
        Case {
            field: F::Replicas,
            env_type: "{replicas: 2}",
            via: Via::Workload(json!({"goldpath.dev/replicas": "5"})),
            locked: Locked::Warns(|p| deployment(p)["spec"]["replicas"] == 2),
        },
        Case {
            field: F::Defaults,
            env_type: "{defaults: {resources: {limits: {memory: 256Mi}}}}",
            via: Via::Workload(json!({})),
            locked: Locked::Warns(|p| container(p)["resources"]["limits"]["memory"] == "256Mi"),
        },
        Case {
            field: F::SecurityContext,
            env_type: "{securityContext: restricted}",
            via: Via::Workload(json!({"goldpath.dev/security-context": "none"})),
            locked: Locked::Warns(|p| {
                container(p)["securityContext"]["capabilities"]["drop"][0] == "ALL"
            }),
        },
        Case {
            field: F::SecurityContext,
            env_type: "{securityContext: restricted}",
            via: Via::Manifest(
                "- {apiVersion: apps/v1, kind: Deployment, metadata: {name: sidecar}, spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: 'busybox:1', securityContext: {privileged: true}}]}}}}",
            ),
            locked: Locked::Refused,
        },
        Case {
            field: F::ReadOnlyRootFilesystem,
            env_type: "{readOnlyRootFilesystem: true}",
            via: Via::Workload(json!({"goldpath.dev/read-only-root-filesystem": "false"})),
            locked: Locked::Warns(|p| {
                container(p)["securityContext"]["readOnlyRootFilesystem"] == true
            }),
        },
        Case {
            field: F::ReadOnlyRootFilesystem,
            env_type: "{readOnlyRootFilesystem: true}",
            via: Via::Manifest(
                "- {apiVersion: batch/v1, kind: CronJob, metadata: {name: nightly}, spec: {schedule: '0 0 * * *', jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: 'busybox:1'}]}}}}}}",
            ),
            locked: Locked::Refused,
        },
        Case {
            field: F::PodSecurity,
            env_type: "{podSecurity: restricted, securityContext: restricted, createNamespace: false}",
            via: Via::Options(|| PlanOptions {
                create_namespace: true,
                ..PlanOptions::default()
            }),
            locked: Locked::Holds(|p| {
                namespace_object(p)["metadata"]["labels"]["pod-security.kubernetes.io/enforce"]
                    == "restricted"
            }),
        },
        Case {
            field: F::PodSecurity,
            env_type: "{podSecurity: restricted, securityContext: restricted, createNamespace: false}",
            via: Via::Manifest(
                "- {apiVersion: v1, kind: Namespace, metadata: {name: shop-prod, labels: {pod-security.kubernetes.io/enforce: privileged}}}",
            ),
            locked: Locked::Refused,
        },
        Case {
            field: F::NetworkPolicy,
            env_type: "{networkPolicy: true}",
            via: Via::Manifest(
                "- {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-all}, spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{}]}}",
            ),
            locked: Locked::Refused,
        },
        Case {
            field: F::PodDisruptionBudget,
            env_type: "{replicas: 2, podDisruptionBudget: true}",
            via: Via::Workload(json!({"goldpath.dev/pod-disruption-budget": "false"})),
            locked: Locked::Warns(|p| kinds(p).contains(&"PodDisruptionBudget")),
        },
        Case {
            field: F::Observability,
            env_type: "{observability: {otlpEndpoint: 'http://otel:4317', logLabels: true}}",
            via: Via::Workload(json!({"goldpath.dev/observability": "false"})),
            locked: Locked::Warns(|p| {
                deployment(p)["spec"]["template"]["metadata"]["labels"]["goldpath.dev/app"]
                    == "shop"
            }),
        },
        Case {
            field: F::Observability,
            env_type: "{observability: {otlpEndpoint: 'http://otel:4317'}}",
            via: Via::Workload(
                json!({"variables": {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://evil:4317"}}),
            ),
            locked: Locked::Refused,
        },
        Case {
            field: F::Labels,
            env_type: "{labels: {cost-center: platform}}",
            via: Via::Manifest("LABELS=labels: {cost-center: mine}"),
            locked: Locked::Refused,
        },
        Case {
            field: F::Annotations,
            env_type: "{annotations: {goldpath.dev/owner: platform-team}}",
            via: Via::Workload(json!({"goldpath.dev/owner": "me"})),
            locked: Locked::Holds(|p| {
                deployment(p)["spec"]["template"]["metadata"]["annotations"]["goldpath.dev/owner"]
                    == "platform-team"
            }),
        },
        Case {
            field: F::Annotations,
            env_type: "{annotations: {goldpath.dev/owner: platform-team}}",
            via: Via::Manifest("LABELS=annotations: {goldpath.dev/owner: me}"),
            locked: Locked::Refused,
        },
        Case {
            field: F::Jobs,
            env_type: "{jobs: {backoffLimit: 2, activeDeadlineSeconds: 600}}",
            via: Via::Workload(json!({
                "k8s.score.dev/kind": "Job",
                "goldpath.dev/backoff-limit": "9",
            })),
            locked: Locked::Warns(|p| {
                let job = by_kind(p, "Job");
                job["spec"]["backoffLimit"] == 2 && job["spec"]["activeDeadlineSeconds"] == 600
            }),
        },
    ]
}

fn field_name(field: LockableField) -> String {
    goldpath::baseline::field_name(field)
}

/// The platform: the type `guarded` (its spec plus `locked`) and, for a manifest case, the
/// definition `probe` whose manifests are `manifests`.
fn platform(env_type: &str, locked: Option<LockableField>, manifests: Option<&str>) -> Platform {
    let rest = &env_type[1..env_type.len() - 1];
    let spec = match locked {
        Some(field) if rest.is_empty() => format!("{{locked: [{}]}}", field_name(field)),
        Some(field) => format!("{{locked: [{}], {rest}}}", field_name(field)),
        None => env_type.to_owned(),
    };
    let mut text = format!(
        "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {{name: guarded}}\nspec: {spec}\n"
    );
    if let Some(manifests) = manifests {
        let manifests = match manifests.strip_prefix("LABELS=") {
            Some(metadata) => CONFIG_MAP.replace("LABELS", metadata),
            None => manifests.replace(", LABELS", ""),
        };
        text.push_str(&format!(
            "---\napiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {{name: probe}}\nspec:\n  type: lockprobe\n  driver: template\n  criteria: [{{}}]\n  templates:\n    manifests: |\n      {manifests}\n"
        ));
    }
    let docs = Loader::default().str(&text, None).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}

fn workload(via: &Via) -> Value {
    let mut workload = json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "containers": {"main": {"image": "registry.example.com/web:1.0"}},
    });
    match via {
        Via::Workload(changes) => {
            let mut annotations = serde_json::Map::new();
            for (key, value) in changes.as_object().unwrap() {
                if key == "variables" {
                    workload["containers"]["main"]["variables"] = value.clone();
                } else {
                    annotations.insert(key.clone(), value.clone());
                }
            }
            workload["metadata"]["annotations"] = annotations.into();
            // Under `defaults`, the container's own limit is the override.
            workload["containers"]["main"]["resources"] = json!({"limits": {"memory": "1Gi"}});
        }
        Via::Manifest(_) => workload["resources"] = json!({"probe": {"type": "lockprobe"}}),
        Via::Options(_) => {}
    }
    workload
}

fn plan(case: &Case, locked: bool) -> goldpath::Result<Plan> {
    let manifests = match case.via {
        Via::Manifest(m) => Some(m),
        _ => None,
    };
    let platform = platform(case.env_type, locked.then_some(case.field), manifests);
    let options = match case.via {
        Via::Options(options) => options(),
        _ => PlanOptions::default(),
    };
    Engine::new(platform).plan(&inputs(&case.via), &context(), &options)
}

/// The workload of [`workload`], as the engine takes it.
fn inputs(via: &Via) -> Vec<WorkloadInput> {
    vec![WorkloadInput::new(
        serde_json::from_value(workload(via)).unwrap(),
    )]
}

/// The environment every case plans for: `prod` of type `guarded`.
fn context() -> Context {
    Context::new("shop", "prod", "guarded")
}

fn by_kind<'a>(plan: &'a Plan, kind: &str) -> &'a Value {
    plan.manifests().iter().find(|o| o["kind"] == kind).unwrap()
}

fn deployment(plan: &Plan) -> &Value {
    plan.manifests()
        .iter()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "web")
        .unwrap()
}

fn container(plan: &Plan) -> &Value {
    &deployment(plan)["spec"]["template"]["spec"]["containers"][0]
}

fn namespace_object(plan: &Plan) -> &Value {
    by_kind(plan, "Namespace")
}

fn kinds(plan: &Plan) -> Vec<&str> {
    plan.manifests()
        .iter()
        .filter_map(|o| o["kind"].as_str())
        .collect()
}

fn every_namespace_is(plan: &Plan, namespace: &str) -> bool {
    plan.manifests().iter().all(|o| {
        o["metadata"]["namespace"] == namespace
            || (o["kind"] == "Namespace" && o["metadata"]["name"] == namespace)
    })
}

fn describe(case: &Case) -> String {
    let via = match &case.via {
        Via::Workload(w) => format!("workload {w}"),
        Via::Options(o) => format!("options {:?}", o()),
        Via::Manifest(m) => format!("manifest {m}"),
    };
    format!("{} via {via}", field_name(case.field))
}

#[test]
fn every_lockable_field_holds_against_every_way_to_change_it() {
    for case in cases() {
        let about = describe(&case);
        let unlocked = plan(&case, false).unwrap_or_else(|e| panic!("{about} unlocked: {e}"));
        assert!(
            unlocked.violations().is_empty(),
            "{about} unlocked: {:?}",
            unlocked.violations()
        );
        match (&case.locked, plan(&case, true)) {
            (Locked::Refused, Err(error)) => {
                assert_eq!(error.kind(), ErrorKind::Policy, "{about}: {error}");
                let lock = format!("locks `{}`", field_name(case.field));
                assert!(error.message().contains(&lock), "{about}: {error}");
                if matches!(case.via, Via::Manifest(_)) {
                    // A definition's manifest is named by its resource.
                    assert!(
                        error.message().contains("of resource `"),
                        "{about}: {error}"
                    );
                }
            }
            (Locked::Warns(holds), Ok(plan)) => {
                let rules: Vec<&str> = plan.violations().iter().map(|v| v.rule.as_str()).collect();
                assert_eq!(rules, ["locked-baseline"], "{about}");
                assert!(holds(&plan), "{about}: {}", plan.to_yaml());
                assert!(
                    !holds(&unlocked),
                    "{about}: the override applies without the lock"
                );
            }
            (Locked::Holds(holds), Ok(plan)) => {
                assert!(
                    plan.violations().is_empty(),
                    "{about}: {:?}",
                    plan.violations()
                );
                assert!(holds(&plan), "{about}: {}", plan.to_yaml());
            }
            (_, outcome) => panic!("{about}: unexpected {:?}", outcome.map(|p| p.to_yaml())),
        }
    }
}

#[test]
fn every_lockable_field_has_a_case() {
    // Every field the platform schema lets `locked` name, so a new one cannot be left out.
    let schema: Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schemas/platform.schema.json"
    )))
    .unwrap();
    let names = &schema["$defs"]["EnvironmentType"]["properties"]["locked"]["items"]["enum"];
    let all: Vec<LockableField> = serde_json::from_value(names.clone()).unwrap();
    assert!(all.len() >= 12, "{names}");
    let covered: Vec<LockableField> = cases().iter().map(|c| c.field).collect();
    for field in all {
        assert!(
            covered.contains(&field),
            "no case locks {}",
            field_name(field)
        );
    }
}

/// What a workload override cannot do, nothing else may: a Job or CronJob of a workload whose
/// Job spec differs from the locked `jobs` (as a patch could make it) is refused.
#[test]
fn the_jobs_lock_compares_the_job_spec_of_jobs_and_cronjobs() {
    use goldpath::baseline::{Locks, Origin};
    let env_type: goldpath::spec::platform::EnvironmentTypeSpec = serde_json::from_value(json!({
        "jobs": {"backoffLimit": 2, "ttlSecondsAfterFinished": 60, "concurrencyPolicy": "Forbid"},
        "locked": ["jobs"],
    }))
    .unwrap();
    let workload: goldpath::spec::score::Workload =
        serde_json::from_value(workload(&Via::Workload(json!({})))).unwrap();
    let context = context();
    let check = |object: Value| {
        let mut locks = Locks::new(&context, Some(&env_type)).unwrap();
        locks.check(&object, Origin::Workload(&workload))
    };
    let job_spec = json!({"backoffLimit": 2, "ttlSecondsAfterFinished": 60, "template": {}});
    let job = |spec: &Value| json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "web"}, "spec": spec});
    let cron = |spec: &Value, policy: &str| {
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "web"},
               "spec": {"schedule": "@daily", "concurrencyPolicy": policy, "jobTemplate": {"spec": spec}}})
    };
    check(job(&job_spec)).unwrap();
    check(cron(&job_spec, "Forbid")).unwrap();
    let mut patched = job_spec.clone();
    patched["backoffLimit"] = 10.into();
    let error = check(job(&patched)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Policy);
    for part in [
        "locks `jobs`",
        "Job `web`",
        "spec.backoffLimit",
        "`10`",
        "`2`",
    ] {
        assert!(error.message().contains(part), "{part}: {error}");
    }
    let error = check(cron(&job_spec, "Allow")).unwrap_err();
    assert!(
        error.message().contains("spec.concurrencyPolicy"),
        "{error}"
    );
    let mut dropped = job_spec.clone();
    dropped
        .as_object_mut()
        .unwrap()
        .remove("ttlSecondsAfterFinished");
    let error = check(cron(&dropped, "Forbid")).unwrap_err();
    assert!(
        error
            .message()
            .contains("spec.jobTemplate.spec.ttlSecondsAfterFinished"),
        "{error}"
    );
}

#[test]
fn a_lock_error_names_the_object_the_field_and_both_values() {
    let case = &cases()[0];
    let Err(error) = plan(case, true) else {
        panic!("the namespace option passed the lock")
    };
    let message = error.message();
    for part in [
        "`guarded`",
        "Namespace",
        "metadata.name",
        "`kube-system`",
        "`shop-prod`",
    ] {
        assert!(message.contains(part), "{part} missing: {message}");
    }
    assert!(!error.to_string().contains("--namespace"), "{error}");
}

#[test]
fn the_streamed_render_refuses_as_the_plan_does() {
    let case = &cases()[0];
    let platform = platform(case.env_type, Some(case.field), None);
    let mut out = Vec::new();
    let options = PlanOptions {
        namespace: Some("kube-system".into()),
        ..PlanOptions::default()
    };
    let error = Engine::new(platform)
        .write_yaml(&inputs(&case.via), &context(), &options, &mut out)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Policy);
    assert!(!String::from_utf8_lossy(&out).contains("kube-system"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Under `locked: [namespace]` a plan succeeds exactly when the `namespace` option is the
    /// type's own namespace; without the lock every valid namespace is taken.
    #[test]
    fn the_namespace_option_passes_the_lock_only_as_the_types_namespace(
        namespace in prop_oneof![Just("shop-prod".to_owned()), "[a-z][a-z0-9-]{0,10}[a-z0-9]"],
        create_namespace in any::<bool>(),
    ) {
        let options = PlanOptions {
            namespace: Some(namespace.clone()),
            create_namespace,
            ..PlanOptions::default()
        };
        let inputs = inputs(&Via::Options(PlanOptions::default));
        let plan = |locked: Option<LockableField>| {
            Engine::new(platform("{}", locked, None)).plan(&inputs, &context(), &options)
        };
        match plan(Some(LockableField::Namespace)) {
            Ok(plan) => {
                prop_assert_eq!(&namespace, "shop-prod");
                prop_assert!(every_namespace_is(&plan, "shop-prod"));
            }
            Err(error) => {
                prop_assert_ne!(&namespace, "shop-prod");
                prop_assert_eq!(error.kind(), ErrorKind::Policy);
            }
        }
        let open = plan(None).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(every_namespace_is(&open, &namespace));
    }
}

/// A workload whose `migrate` container runs first (an init container) and sets `variables`.
fn with_init_container(variables: Value) -> Vec<WorkloadInput> {
    let workload = json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "containers": {
            "main": {"image": "registry.example.com/web:1.0"},
            "migrate": {"image": "registry.example.com/web:1.0", "variables": variables,
                        "before": {"main": {"ready": "complete"}}},
        },
    });
    vec![WorkloadInput::new(
        serde_json::from_value(workload).unwrap(),
    )]
}

#[test]
fn a_locked_field_holds_on_init_containers_too() {
    let env_type = "{observability: {otlpEndpoint: 'http://otel:4317'}}";
    let own = with_init_container(json!({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://evil:4317"}));
    let options = PlanOptions::default();
    let Ok(unlocked) = Engine::new(platform(env_type, None, None)).plan(&own, &context(), &options)
    else {
        panic!("unlocked, the plan fails")
    };
    let init = &deployment(&unlocked)["spec"]["template"]["spec"]["initContainers"][0];
    assert_eq!(init["env"][0]["value"], "http://evil:4317");
    let locked = Some(LockableField::Observability);
    let engine = Engine::new(platform(env_type, locked, None));
    let Err(error) = engine.plan(&own, &context(), &options) else {
        panic!("an init container's own endpoint passed the lock")
    };
    assert_eq!(error.kind(), ErrorKind::Policy, "{error}");
    assert!(
        error
            .message()
            .contains("spec.template.spec.initContainers[0].env.OTEL_EXPORTER_OTLP_ENDPOINT"),
        "{error}"
    );
    let plain = with_init_container(json!({}));
    assert!(engine.plan(&plain, &context(), &options).is_ok());
}

#[test]
fn the_defaults_lock_compares_init_containers() {
    use goldpath::baseline::{Locks, Origin};
    let spec: goldpath::spec::platform::EnvironmentTypeSpec = serde_json::from_value(json!({
        "locked": ["defaults"], "defaults": {"resources": {"limits": {"memory": "256Mi"}}},
    }))
    .unwrap();
    let workload = serde_json::from_value(json!({
        "apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
        "containers": {"main": {"image": "x"}},
    }))
    .unwrap();
    let with_limit =
        json!({"name": "main", "image": "x", "resources": {"limits": {"memory": "256Mi"}}});
    let without = json!({"name": "migrate", "image": "x"});
    let context = context();
    let mut locks = Locks::new(&context, Some(&spec)).unwrap();
    let pod = |init: &Value| {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
               "spec": {"template": {"spec": {"initContainers": [init], "containers": [with_limit]}}}})
    };
    assert!(
        locks
            .check(&pod(&with_limit), Origin::Workload(&workload))
            .is_ok()
    );
    let error = locks
        .check(&pod(&without), Origin::Workload(&workload))
        .unwrap_err();
    assert!(
        error
            .message()
            .contains("spec.template.spec.initContainers[0].resources.limits.memory"),
        "{error}"
    );
}
