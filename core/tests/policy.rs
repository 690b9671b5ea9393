//! Guardrails: each policy rule on a violating and a clean workload, the locks of an
//! environment type refusing a workload's override, and what blocks a deploy.

use goldpath::ErrorKind;
use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::policy::{Violation, refuse};
use goldpath::resolve::WorkloadInput;
use goldpath::spec::platform::Severity;
use serde_json::{Value, json};

#[path = "common/guarded.rs"]
mod guarded;
use guarded::{clean, plan, platform};

fn deployment(plan: &Plan) -> &Value {
    plan.manifests()
        .iter()
        .find(|o| o["kind"] == "Deployment")
        .unwrap()
}

fn violations(env_type: &str, rule: &str, extra: &str, workload: &Value) -> Vec<Violation> {
    plan(platform(env_type, rule, extra), workload)
        .violations()
        .to_vec()
}

/// The clean workload passes `rule`; the bad one breaks it exactly once, at `path`.
fn assert_rule(rule: &str, env_type: &str, extra: &str, bad: &Value, path: &str) -> Violation {
    let id = rule
        .split([',', '}'])
        .next()
        .unwrap()
        .trim_start_matches("{rule: ");
    assert_eq!(
        violations(env_type, rule, extra, &clean()),
        [],
        "{id} on the clean workload"
    );
    let found = violations(env_type, rule, extra, bad);
    assert_eq!(found.len(), 1, "{id}: {found:#?}");
    let violation = found.into_iter().next().unwrap();
    assert_eq!(violation.rule, id);
    assert_eq!(violation.policy.as_deref(), Some("guardrails"));
    assert_eq!(violation.workload.as_deref(), Some("web"));
    assert_eq!(violation.path, path);
    assert!(!violation.message.is_empty());
    violation
}

fn with(mut workload: Value, pointer: &str, value: Value) -> Value {
    *workload.pointer_mut(pointer).unwrap() = value;
    workload
}

fn without(mut workload: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    workload
        .pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    workload
}

fn annotated(key: &str, value: &str) -> Value {
    with(
        clean(),
        "/metadata",
        json!({"name": "web", "annotations": {key: value}}),
    )
}

const IMAGE: &str = "/containers/main/image";

#[test]
fn require_limits() {
    let bad = without(clean(), "/containers/main/resources/limits/cpu");
    let v = assert_rule(
        "{rule: require-limits}",
        "{}",
        "",
        &bad,
        "/containers/main/resources/limits/cpu",
    );
    assert_eq!(v.severity, Severity::Error);
    // a default limit of the environment type counts
    let env = "{defaults: {resources: {limits: {cpu: '2'}}}}";
    assert_eq!(violations(env, "{rule: require-limits}", "", &bad), []);
}

#[test]
fn forbid_latest_tag() {
    let latest = with(clean(), IMAGE, json!("registry.example.com/web:latest"));
    assert_rule("{rule: forbid-latest-tag}", "{}", "", &latest, IMAGE);
    let untagged = with(clean(), IMAGE, json!("registry.example.com/web"));
    assert_rule("{rule: forbid-latest-tag}", "{}", "", &untagged, IMAGE);
}

#[test]
fn allowed_registries() {
    let rule = "{rule: allowed-registries, registries: [registry.example.com]}";
    let elsewhere = with(clean(), IMAGE, json!("ghcr.io/acme/web:1.0@sha256:0a1b"));
    let v = assert_rule(rule, "{}", "", &elsewhere, IMAGE);
    assert!(v.message.contains("ghcr.io"), "{}", v.message);
    let hub = with(clean(), IMAGE, json!("nginx:1.27"));
    assert_eq!(violations("{}", rule, "", &hub).len(), 1);
}

#[test]
fn require_digest() {
    let tagged = with(clean(), IMAGE, json!("registry.example.com/web:1.0"));
    let v = assert_rule(
        "{rule: require-digest, severity: warning}",
        "{}",
        "",
        &tagged,
        IMAGE,
    );
    assert_eq!(v.severity, Severity::Warning);
}

#[test]
fn min_replicas() {
    let one = annotated("goldpath.dev/replicas", "1");
    let path = "/metadata/annotations/goldpath.dev~1replicas";
    assert_rule(
        "{rule: min-replicas, min: 2}",
        "{replicas: 2}",
        "",
        &one,
        path,
    );
}

#[test]
fn max_replicas() {
    let many = annotated("goldpath.dev/replicas", "5");
    let path = "/metadata/annotations/goldpath.dev~1replicas";
    assert_rule(
        "{rule: max-replicas, max: 3}",
        "{replicas: 2}",
        "",
        &many,
        path,
    );
}

#[test]
fn require_readiness_probe() {
    let bad = without(clean(), "/containers/main/readinessProbe");
    let path = "/containers/main/readinessProbe";
    assert_rule("{rule: require-readiness-probe}", "{}", "", &bad, path);
}

#[test]
fn forbid_privileged() {
    let rule = "{rule: forbid-privileged}";
    let privileged = "{securityContext: {container: {privileged: true}}}";
    assert_eq!(
        violations("{securityContext: restricted}", rule, "", &clean()),
        []
    );
    let found = violations(privileged, rule, "", &clean());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "/containers/main");
    assert!(found[0].message.contains("privileged"));
}

#[test]
fn forbid_host_path() {
    let host_volume = "---\napiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {name: node-disk}\nspec:\n  type: volume\n  driver: template\n  criteria: [{class: node}]\n  templates:\n    outputs: |\n      source:\n        hostPath: {path: /var/data}\n";
    let mut bad = clean();
    bad["resources"] = json!({"data": {"type": "volume", "class": "node"}});
    bad["containers"]["main"]["volumes"] = json!({"/data": {"source": "${resources.data}"}});
    let mut fine = bad.clone();
    fine["resources"]["data"]["class"] = json!("default");
    let rule = "{rule: forbid-host-path}";
    assert_eq!(violations("{}", rule, host_volume, &fine), []);
    let found = violations("{}", rule, host_volume, &bad);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "/containers/main/volumes/~1data");
}

#[test]
fn allowed_resources() {
    let mut redis = clean();
    redis["resources"] = json!({"cache": {"type": "redis"}});
    let path = "/resources/cache/type";
    assert_rule(
        "{rule: allowed-resources, types: [postgres]}",
        "{}",
        "",
        &redis,
        path,
    );
    let pairs = "{rule: allowed-resources, resources: [{type: redis, class: large}]}";
    assert_eq!(violations("{}", pairs, "", &redis).len(), 1);
    let classes = "{rule: allowed-resources, classes: [default]}";
    assert_eq!(violations("{}", classes, "", &redis), []);
}

#[test]
fn a_locked_field_refuses_the_workload_override() {
    let rule = "{rule: max-replicas, max: 10}";
    let five = annotated("goldpath.dev/replicas", "5");
    let locked = plan(
        platform("{replicas: 2, locked: [replicas]}", rule, ""),
        &five,
    );
    assert_eq!(deployment(&locked)["spec"]["replicas"], 2);
    let refusal = &locked.violations()[0];
    assert_eq!(refusal.rule, "locked-baseline");
    assert_eq!(refusal.severity, Severity::Warning);
    assert_eq!(refusal.path, "/metadata/annotations/goldpath.dev~1replicas");
    assert!(
        refusal.message.contains("locks `replicas`"),
        "{}",
        refusal.message
    );
    assert!(refuse(locked.violations()).is_ok());
    let open = plan(platform("{replicas: 2}", rule, ""), &five);
    assert_eq!(deployment(&open)["spec"]["replicas"], 5);
    assert_eq!(open.violations(), []);
}

#[test]
fn locked_defaults_win_over_a_container_limit() {
    let env = "{defaults: {resources: {limits: {memory: 256Mi}}}, locked: [defaults]}";
    let plan = plan(platform(env, "{rule: require-digest}", ""), &clean());
    let limits =
        &deployment(&plan)["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"];
    assert_eq!(limits["memory"], "256Mi");
    assert_eq!(plan.violations()[0].rule, "locked-baseline");
    assert_eq!(
        plan.violations()[0].path,
        "/containers/main/resources/limits/memory"
    );
}

#[test]
fn error_violations_refuse_a_deploy_with_a_policy_error() {
    let latest = with(clean(), IMAGE, json!("registry.example.com/web:latest"));
    let plan = plan(platform("{}", "{rule: forbid-latest-tag}", ""), &latest);
    assert_eq!(plan.blocking_violations().count(), 1);
    let error = plan.check_policies().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Policy);
    assert_eq!(error.location().path.to_json_pointer(), IMAGE);
    assert!(error.message().contains("forbid-latest-tag"));
}

#[test]
fn the_streamed_plan_reports_the_same_violations() {
    let platform = platform("{}", "{rule: forbid-latest-tag}", "");
    let latest = with(clean(), IMAGE, json!("registry.example.com/web"));
    let expected = plan(platform.clone(), &latest).violations().to_vec();
    let workload = serde_json::from_value(latest).unwrap();
    let context = Context::new("shop", "prod", "guarded");
    let mut out = Vec::new();
    let streamed = Engine::new(platform)
        .write_yaml(
            &[WorkloadInput::new(workload)],
            &context,
            &PlanOptions::default(),
            &mut out,
        )
        .unwrap();
    assert_eq!(streamed, expected);
    assert!(!streamed.is_empty());
}

#[test]
fn violations_serialize_with_rule_severity_workload_path_and_message() {
    let latest = with(clean(), IMAGE, json!("registry.example.com/web:latest"));
    let found = violations(
        "{}",
        "{rule: forbid-latest-tag, severity: warning}",
        "",
        &latest,
    );
    let json = serde_json::to_value(&found[0]).unwrap();
    assert_eq!(json["rule"], "forbid-latest-tag");
    assert_eq!(json["severity"], "warning");
    assert_eq!(json["workload"], "web");
    assert_eq!(json["path"], IMAGE);
    assert!(json["message"].as_str().unwrap().contains("latest"));
}

#[test]
fn policies_of_other_environment_types_do_not_apply() {
    let latest = with(clean(), IMAGE, json!("registry.example.com/web:latest"));
    let text = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: guarded}\nspec: {}\n---\napiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: other}\nspec: {}\n---\napiVersion: goldpath.dev/v1alpha1\nkind: Policy\nmetadata: {name: elsewhere}\nspec:\n  envTypes: [other]\n  rules: [{rule: forbid-latest-tag}]\n";
    let docs = Loader::default().str(text, None).unwrap();
    let platform = Platform::from_documents(docs.platform.into_iter().map(|l| l.document));
    assert_eq!(plan(platform, &latest).violations(), []);
}

/// The clean workload with a `migrate` container that runs to completion first (an init
/// container), with `image` and no probe.
fn with_init_container(image: &str) -> Value {
    let mut workload = clean();
    workload["containers"]["migrate"] = json!({
        "image": image, "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
        "before": {"main": {"ready": "complete"}},
    });
    workload
}

#[test]
fn image_rules_cover_init_containers_and_readiness_only_ordinary_ones() {
    let clean_init = with_init_container("registry.example.com/migrate:1.0@sha256:0a1b");
    let rule = "{rule: allowed-registries, registries: [registry.example.com]}";
    assert_eq!(violations("{}", rule, "", &clean_init), []);
    let elsewhere = with_init_container("ghcr.io/acme/migrate:1.0@sha256:0a1b");
    let found = violations("{}", rule, "", &elsewhere);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "/containers/migrate/image");
    let latest = with_init_container("registry.example.com/migrate:latest");
    let found = violations("{}", "{rule: forbid-latest-tag}", "", &latest);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "/containers/migrate/image");
    // A container that runs to completion may have no probe: the rule asks none of it.
    let readiness = "{rule: require-readiness-probe}";
    assert_eq!(violations("{}", readiness, "", &clean_init), []);
}

/// `clean()` as a Job or CronJob: no service ports, no readiness probe, one replica.
fn batch_workload(kind: &str) -> Value {
    let mut annotations = json!({"k8s.score.dev/kind": kind});
    if kind == "CronJob" {
        annotations["goldpath.dev/schedule"] = "@daily".into();
    }
    let workload = with(
        clean(),
        "/metadata",
        json!({"name": "web", "annotations": annotations}),
    );
    without(
        without(workload, "/service"),
        "/containers/main/readinessProbe",
    )
}

#[test]
fn replica_and_readiness_rules_skip_jobs_and_cronjobs() {
    let rules = [
        "{rule: min-replicas, min: 2}",
        "{rule: require-readiness-probe}",
    ];
    let deployment = without(clean(), "/containers/main/readinessProbe");
    for rule in rules {
        let found = violations("{replicas: 1}", rule, "", &deployment);
        assert_eq!(found.len(), 1, "a Deployment breaks {rule}");
        for kind in ["Job", "CronJob"] {
            let found = violations("{replicas: 1}", rule, "", &batch_workload(kind));
            assert_eq!(found, [], "{kind} {rule}");
        }
    }
}

#[test]
fn the_other_rules_check_the_containers_of_jobs_and_cronjobs() {
    for kind in ["Job", "CronJob"] {
        let latest = with(batch_workload(kind), IMAGE, json!("busybox:latest"));
        let found = violations("{}", "{rule: forbid-latest-tag}", "", &latest);
        assert_eq!(found.len(), 1, "{kind}: {found:#?}");
        assert_eq!(found[0].path, IMAGE);
        let unlimited = without(batch_workload(kind), "/containers/main/resources");
        let found = violations("{}", "{rule: require-limits}", "", &unlimited);
        assert_eq!(found.len(), 2, "{kind}: cpu and memory: {found:#?}");
    }
}
