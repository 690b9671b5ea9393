//! Workload patches (issue 15 item 3): every workload's `workload#NAME` resource, matched like
//! any other; a platform definition of type `workload` patches the workload's primary object
//! with `outputs.update` (RFC 6902) and adds manifests, and nothing it does escapes the plan's
//! output checks (locks, the secret guard, names).

use goldpath::ErrorKind;
use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use serde_json::{Value, json};

/// The kinds of workload object goldpath renders, with the annotation that asks for each.
const KINDS: [(&str, Option<&str>); 2] =
    [("Deployment", None), ("StatefulSet", Some("StatefulSet"))];

/// A platform: the environment type `production` (replicas 2, `locked` as given) and `extra`
/// documents (definitions).
fn platform(locked: &str, extra: &str) -> Platform {
    let text = format!(
        "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {{name: production}}\nspec: {{namespace: 'shop-prod', replicas: 2, locked: [{locked}]}}\n---\napiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {{name: development}}\nspec: {{namespace: 'shop-dev'}}\n{extra}"
    );
    let docs = Loader::default().str(&text, None).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}

/// A `workload` definition named `name` with `criteria`, a `template` driver and `templates`
/// (YAML of the `templates` mapping, indented by four).
fn definition(name: &str, criteria: &str, templates: &str) -> String {
    format!(
        "---\napiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {{name: {name}}}\nspec:\n  type: workload\n  driver: template\n  criteria: {criteria}\n  templates:\n{templates}\n"
    )
}

/// A definition whose `outputs.update` is `operations` (a YAML flow list; may use templates).
fn patching(name: &str, criteria: &str, operations: &str) -> String {
    let operations = operations.split_whitespace().collect::<Vec<_>>().join(" ");
    definition(
        name,
        criteria,
        &format!("    outputs: |\n      update: {operations}"),
    )
}

/// A workload `name` of `kind` (its `k8s.score.dev/kind` annotation, none for a Deployment).
fn workload(name: &str, kind: Option<&str>) -> WorkloadInput {
    let mut annotations = json!({"team": "shop-team"});
    if let Some(kind) = kind {
        annotations["k8s.score.dev/kind"] = json!(kind);
    }
    WorkloadInput::new(
        serde_json::from_value(json!({
            "apiVersion": "score.dev/v1b1",
            "metadata": {"name": name, "annotations": annotations},
            "containers": {"main": {"image": "registry.example.com/x:1.0"}},
        }))
        .unwrap(),
    )
}

fn prod() -> Context {
    Context::new("shop", "prod", "production")
}

fn plan_of(
    platform: Platform,
    workloads: &[WorkloadInput],
    context: &Context,
) -> goldpath::Result<Plan> {
    Engine::new(platform).plan(workloads, context, &PlanOptions::default())
}

/// The object of `kind` named `name`.
fn object<'p>(plan: &'p Plan, kind: &str, name: &str) -> &'p Value {
    plan.manifests()
        .iter()
        .find(|m| m["kind"] == kind && m["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in\n{}", plan.to_yaml()))
}

/// The primary object of the workload `name` (Deployment or StatefulSet).
fn primary<'p>(plan: &'p Plan, name: &str) -> &'p Value {
    plan.manifests()
        .iter()
        .find(|m| {
            matches!(m["kind"].as_str(), Some("Deployment" | "StatefulSet"))
                && m["metadata"]["name"] == name
        })
        .unwrap_or_else(|| panic!("no workload object {name}"))
}

fn pod_spec<'p>(plan: &'p Plan, name: &str) -> &'p Value {
    &primary(plan, name)["spec"]["template"]["spec"]
}

fn refused(result: goldpath::Result<Plan>, kind: ErrorKind, parts: &[&str]) -> String {
    let err = result.err().expect("the plan must be refused");
    assert_eq!(err.kind(), kind, "{err}");
    let text = err.to_string();
    for part in parts {
        assert!(text.contains(part), "`{part}` not in: {text}");
    }
    text
}

#[test]
fn add_remove_replace_copy_move_and_test_on_each_kind() {
    let operations = "[
        {op: test, path: /kind, value: '{{ context.workload.kind }}'},
        {op: add, path: '{{ context.workload.podSpecPath }}/serviceAccountName', value: '{{ context.workload.name }}'},
        {op: remove, path: /spec/replicas},
        {op: replace, path: '{{ context.workload.podSpecPath }}/containers/0/image', value: 'registry.example.com/x:2.0'},
        {op: copy, from: /metadata/labels/app.kubernetes.io~1name, path: /spec/template/metadata/annotations},
        {op: add, path: /spec/template/metadata/labels/moved, value: here},
        {op: move, from: /spec/template/metadata/labels/moved, path: /spec/template/metadata/labels/patched}
    ]";
    let extra = patching("patch-all", "[{}]", operations);
    for (kind, annotation) in KINDS {
        let plan = plan_of(
            platform("", &extra),
            &[workload("web", annotation)],
            &prod(),
        )
        .unwrap();
        let object = primary(&plan, "web");
        assert_eq!(object["kind"], kind);
        let spec = &object["spec"];
        assert_eq!(
            spec["template"]["spec"]["serviceAccountName"], "web",
            "{kind}: add"
        );
        assert!(spec.get("replicas").is_none(), "{kind}: remove");
        assert_eq!(
            spec["template"]["spec"]["containers"][0]["image"], "registry.example.com/x:2.0",
            "{kind}: replace"
        );
        // `copy` replaced the pod annotations with the copied label value.
        assert_eq!(
            spec["template"]["metadata"]["annotations"], "web",
            "{kind}: copy"
        );
        let labels = &spec["template"]["metadata"]["labels"];
        assert_eq!(labels["patched"], "here", "{kind}: move");
        assert!(labels.get("moved").is_none(), "{kind}: move");
    }
}

#[test]
fn context_workload_holds_name_kind_pod_spec_path_metadata_and_annotations() {
    let templates = "    outputs: |\n      seen: {{ context.workload | tojson }}";
    let extra = definition("look", "[{}]", templates);
    let plan = plan_of(
        platform("", &extra),
        &[workload("web", None), workload("db", Some("StatefulSet"))],
        &prod(),
    )
    .unwrap();
    let seen = |name: &str| {
        let key = format!("workload.default#{name}");
        let resource = plan.resources().iter().find(|r| r.key == key).unwrap();
        assert_eq!(resource.definition, "look");
        resource.outputs["seen"].clone()
    };
    assert_eq!(
        seen("web"),
        json!({
            "name": "web", "kind": "Deployment", "podSpecPath": "/spec/template/spec",
            "metadata": {"name": "web", "annotations": {"team": "shop-team"}},
            "annotations": {"team": "shop-team"},
        })
    );
    assert_eq!(seen("db")["kind"], "StatefulSet");
    assert_eq!(seen("db")["podSpecPath"], "/spec/template/spec");
    assert_eq!(seen("db")["annotations"]["team"], "shop-team");
}

#[test]
fn any_driver_may_patch_and_placeholders_see_context_workload() {
    let extra = "---\napiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {name: static-patch}\nspec:\n  type: workload\n  driver: static\n  criteria: [{}]\n  inputs:\n    values:\n      update:\n        - {op: add, path: '${context.workload.podSpecPath}/serviceAccountName', value: '${context.workload.name}-sa'}\n";
    let plan = plan_of(platform("", extra), &[workload("web", None)], &prod()).unwrap();
    assert_eq!(pod_spec(&plan, "web")["serviceAccountName"], "web-sa");
}

#[test]
fn criteria_select_one_workload_or_groups() {
    let sa = "[{op: add, path: /spec/template/spec/serviceAccountName, value: patched}]";
    let workloads = [workload("api", None), workload("web", None)];
    let dev = Context::new("shop", "dev", "development");
    let other_app = Context::new("blog", "prod", "production");
    // (criteria, context, the workloads that must be patched)
    let cases: [(&str, &Context, &[&str]); 8] = [
        ("[{resId: web}]", &prod(), &["web"]),
        ("[{resId: api}]", &dev, &["api"]),
        ("[{app: shop}]", &prod(), &["api", "web"]),
        ("[{app: shop}]", &other_app, &[]),
        ("[{env: prod}]", &prod(), &["api", "web"]),
        ("[{env: prod}]", &dev, &[]),
        ("[{envType: production}]", &other_app, &["api", "web"]),
        ("[{envType: production}]", &dev, &[]),
    ];
    for (criteria, context, patched) in cases {
        let plan = plan_of(
            platform("", &patching("pick", criteria, sa)),
            &workloads,
            context,
        )
        .unwrap();
        for name in ["api", "web"] {
            let got = pod_spec(&plan, name).get("serviceAccountName").is_some();
            assert_eq!(
                got,
                patched.contains(&name),
                "{criteria} in {}: {name}",
                context.env
            );
            let explained = plan.explain(&format!("workload#{name}")).unwrap();
            let winner = if got { "pick" } else { "builtin-workload" };
            assert_eq!(explained.winner.name, winner);
        }
    }
}

#[test]
fn without_a_platform_definition_the_builtin_changes_nothing() {
    let workloads = [workload("web", None)];
    let plain = plan_of(platform("", ""), &workloads, &prod()).unwrap();
    let key = "workload.default#web";
    let resource = plain.resources().iter().find(|r| r.key == key).unwrap();
    assert_eq!(resource.definition, "builtin-workload");
    assert!(resource.outputs.is_empty());
    // Without the built-ins, the `workload` one stays: every workload requests the type.
    let bare = Engine::without_builtins(platform("", ""))
        .plan(&workloads, &prod(), &PlanOptions::default())
        .unwrap();
    assert_eq!(bare.to_yaml(), plain.to_yaml());
}

#[test]
fn a_patch_of_a_locked_field_is_refused_naming_the_definition_and_the_field() {
    let replicas = "[{op: replace, path: /spec/replicas, value: 5}]";
    let extra = patching("scale-up", "[{}]", replicas);
    for (kind, annotation) in KINDS {
        let result = plan_of(
            platform("replicas", &extra),
            &[workload("web", annotation)],
            &prod(),
        );
        refused(
            result,
            ErrorKind::Policy,
            &[
                "resource definition `scale-up`",
                "locks `replicas`",
                kind,
                "5",
            ],
        );
        // Without the lock the same patch is applied.
        let plan = plan_of(
            platform("", &extra),
            &[workload("web", annotation)],
            &prod(),
        )
        .unwrap();
        assert_eq!(primary(&plan, "web")["spec"]["replicas"], 5);
    }
}

#[test]
fn a_patch_that_inlines_a_secret_is_refused_by_the_secret_guard() {
    let secret = "s3cret-token-9f8e7d6c";
    let extra = format!(
        "---\napiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {{name: leaky}}\nspec:\n  type: workload\n  driver: template\n  criteria: [{{}}]\n  inputs:\n    secrets: {{token: {secret}}}\n  templates:\n    outputs: |\n      update:\n        - op: add\n          path: /spec/template/spec/containers/0/env\n          value: [{{name: TOKEN, value: '{{{{ inputs.secrets.token }}}}'}}]\n"
    );
    let text = refused(
        plan_of(platform("", &extra), &[workload("web", None)], &prod()),
        ErrorKind::Driver,
        &["workload.default#web"],
    );
    assert!(!text.contains(secret), "{text}");
    // A reference to a Secret is what a patch may add.
    let by_ref = patching(
        "by-ref",
        "[{}]",
        "[{op: add, path: /spec/template/spec/containers/0/env, value: [{name: TOKEN, valueFrom: {secretKeyRef: {name: tokens, key: token}}}]}]",
    );
    let plan = plan_of(platform("", &by_ref), &[workload("web", None)], &prod()).unwrap();
    assert_eq!(
        pod_spec(&plan, "web")["containers"][0]["env"][0]["valueFrom"]["secretKeyRef"]["name"],
        "tokens"
    );
}

#[test]
fn a_failing_test_or_a_missing_path_names_the_definition_and_the_operation() {
    let cases = [
        (
            "[{op: add, path: /metadata/labels/a, value: b}, {op: test, path: /kind, value: CronJob}]",
            &[
                "resource definition `checker`",
                "workload `web`",
                "operation 1 (`test` at `/kind`)",
                "test failed",
            ][..],
        ),
        (
            "[{op: replace, path: /spec/template/spec/nodeName, value: n1}]",
            &[
                "resource definition `checker`",
                "operation 0 (`replace` at `/spec/template/spec/nodeName`)",
                "does not exist",
            ][..],
        ),
        (
            "[{op: remove, path: /spec/nothing/here}]",
            &["operation 0 (`remove`", "no `/spec/nothing`"][..],
        ),
        (
            "[{op: replace, path: /metadata/name, value: other}]",
            &[
                "resource definition `checker`",
                "may not change the object's apiVersion, kind or name",
            ][..],
        ),
        ("{op: add}", &["a list of operations"][..]),
    ];
    for (operations, parts) in cases {
        let extra = patching("checker", "[{}]", operations);
        refused(
            plan_of(platform("", &extra), &[workload("web", None)], &prod()),
            ErrorKind::Invalid,
            parts,
        );
    }
}

#[test]
fn extra_manifests_land_in_the_workload_namespace_and_are_checked() {
    let manifests = "    manifests: |\n      - {apiVersion: v1, kind: ServiceAccount, metadata: {name: '{{ context.workload.name }}'}}";
    let extra = definition("accounts", "[{}]", manifests);
    let plan = plan_of(
        platform("", &extra),
        &[workload("api", None), workload("web", None)],
        &prod(),
    )
    .unwrap();
    for name in ["api", "web"] {
        let account = object(&plan, "ServiceAccount", name);
        assert_eq!(account["metadata"]["namespace"], "shop-prod");
    }
    let elsewhere = "    manifests: |\n      - {apiVersion: v1, kind: ServiceAccount, metadata: {name: sa, namespace: kube-system}}";
    refused(
        plan_of(
            platform("", &definition("away", "[{}]", elsewhere)),
            &[workload("web", None)],
            &prod(),
        ),
        ErrorKind::Invalid,
        &[
            "resource `workload.default#web`",
            "kube-system",
            "shop-prod",
        ],
    );
    let cluster = "    manifests: |\n      - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: sa}}";
    refused(
        plan_of(
            platform("", &definition("wide", "[{}]", cluster)),
            &[workload("web", None)],
            &prod(),
        ),
        ErrorKind::Invalid,
        &["cluster-scoped"],
    );
    let bad_name = "    manifests: |\n      - {apiVersion: v1, kind: ServiceAccount, metadata: {name: Not_A_Name}}";
    refused(
        plan_of(
            platform("", &definition("bad", "[{}]", bad_name)),
            &[workload("web", None)],
            &prod(),
        ),
        ErrorKind::Invalid,
        &["Not_A_Name"],
    );
}

#[test]
fn patched_plans_are_deterministic_and_stream_as_they_plan() {
    let operations = "[{op: add, path: /spec/template/spec/topologySpreadConstraints, value: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app.kubernetes.io/name: '{{ context.workload.name }}'}}}]}]";
    let extra = patching("spread", "[{envType: production}]", operations);
    let workloads = [workload("web", None), workload("db", Some("StatefulSet"))];
    let engine = Engine::new(platform("", &extra));
    let first = engine
        .plan(&workloads, &prod(), &PlanOptions::default())
        .unwrap();
    let again = engine
        .plan(&workloads, &prod(), &PlanOptions::default())
        .unwrap();
    assert_eq!(first.to_yaml(), again.to_yaml());
    let mut streamed = Vec::new();
    engine
        .write_yaml(&workloads, &prod(), &PlanOptions::default(), &mut streamed)
        .unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), first.to_yaml());
    for name in ["web", "db"] {
        let spread = &pod_spec(&first, name)["topologySpreadConstraints"][0];
        assert_eq!(
            spread["labelSelector"]["matchLabels"]["app.kubernetes.io/name"],
            name
        );
    }
}

#[test]
fn the_deployment_diff_shows_patched_fields() {
    let workloads = [workload("web", None)];
    let before = plan_of(platform("", ""), &workloads, &prod()).unwrap();
    let sa = "[{op: add, path: /spec/template/spec/serviceAccountName, value: web}]";
    let after = plan_of(
        platform("", &patching("sa", "[{}]", sa)),
        &workloads,
        &prod(),
    )
    .unwrap();
    let changes = goldpath::deploy::diff_objects(before.manifests(), after.manifests());
    let text = serde_json::to_string(&changes).unwrap();
    assert!(
        text.contains("/spec/template/spec/serviceAccountName"),
        "{text}"
    );
}

/// A host function that patches from what it receives: `context.workload`.
struct HostPatch;

impl goldpath::drivers::HostFunction for HostPatch {
    fn call(&self, request: Value) -> Result<Value, String> {
        let workload = &request["context"]["workload"];
        let path = format!(
            "{}/serviceAccountName",
            workload["podSpecPath"].as_str().unwrap()
        );
        let name = format!(
            "{}-{}",
            workload["name"].as_str().unwrap(),
            workload["annotations"]["team"].as_str().unwrap()
        );
        Ok(json!({"outputs": {"update": [{"op": "add", "path": path, "value": name}]}}))
    }
}

#[test]
fn a_host_driver_gets_context_workload_and_patches() {
    let extra = "---\napiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {name: hosted}\nspec:\n  type: workload\n  driver: host-patch\n  criteria: [{}]\n";
    let mut engine = Engine::new(platform("", extra));
    let driver = goldpath::drivers::HostDriver::new("host-patch", HostPatch);
    engine.register_driver("host-patch", std::sync::Arc::new(driver));
    let plan = engine
        .plan(
            &[workload("web", Some("StatefulSet"))],
            &prod(),
            &PlanOptions::default(),
        )
        .unwrap();
    assert_eq!(
        pod_spec(&plan, "web")["serviceAccountName"],
        "web-shop-team"
    );
}

/// Jobs and CronJobs are primary objects too: `context.workload.podSpecPath` points at their pod
/// spec (a CronJob's under its job template), and every operation there lands in the pod.
#[test]
fn jobs_and_cronjobs_are_patched_at_their_pod_spec_path() {
    let operations = "[
        {op: test, path: /kind, value: '{{ context.workload.kind }}'},
        {op: add, path: '{{ context.workload.podSpecPath }}/serviceAccountName', value: '{{ context.workload.name }}'},
        {op: replace, path: '{{ context.workload.podSpecPath }}/containers/0/image', value: 'registry.example.com/x:2.0'},
        {op: copy, from: '{{ context.workload.podSpecPath }}/serviceAccountName', path: '{{ context.workload.podSpecPath }}/hostname'},
        {op: move, from: '{{ context.workload.podSpecPath }}/hostname', path: '{{ context.workload.podSpecPath }}/subdomain'},
        {op: remove, path: '{{ context.workload.podSpecPath }}/restartPolicy'}
    ]";
    let extra = patching("patch-batch", "[{}]", operations);
    for (kind, pod) in [
        ("Job", "/spec/template/spec"),
        ("CronJob", "/spec/jobTemplate/spec/template/spec"),
    ] {
        let mut batch = workload("batch", Some(kind));
        if kind == "CronJob" {
            batch
                .workload
                .metadata
                .annotations
                .insert("goldpath.dev/schedule".into(), "@daily".into());
        }
        let plan = plan_of(platform("", &extra), &[batch], &prod()).unwrap();
        let object = object(&plan, kind, "batch");
        let at = |field: &str| object.pointer(&format!("{pod}/{field}")).cloned();
        assert_eq!(
            at("serviceAccountName"),
            Some(json!("batch")),
            "{kind}: add"
        );
        let image = at("containers/0/image");
        assert_eq!(
            image,
            Some(json!("registry.example.com/x:2.0")),
            "{kind}: replace"
        );
        assert_eq!(at("subdomain"), Some(json!("batch")), "{kind}: copy, move");
        assert_eq!(at("hostname"), None, "{kind}: move");
        assert_eq!(at("restartPolicy"), None, "{kind}: remove");
    }
}

/// A patched CronJob's pod template passes the same object checks as a Deployment's: a label
/// Kubernetes would refuse is an error naming the template's place.
#[test]
fn a_cronjobs_patched_pod_template_is_checked_like_any_other() {
    let operations =
        "[{op: add, path: /spec/jobTemplate/spec/template/metadata/labels/bad key, value: x}]";
    let extra = patching("bad-label", "[{}]", operations);
    let mut batch = workload("batch", Some("CronJob"));
    batch
        .workload
        .metadata
        .annotations
        .insert("goldpath.dev/schedule".into(), "@daily".into());
    refused(
        plan_of(platform("", &extra), &[batch], &prod()),
        ErrorKind::Name,
        &["spec.jobTemplate.spec.template.metadata", "bad key"],
    );
}
