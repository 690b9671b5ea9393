//! The environment type's baselines in rendered workloads: disruption budgets, telemetry
//! wiring, Prometheus scraping and its NetworkPolicy rule, and workload overrides.

use goldpath::ErrorKind;
use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use serde_json::{Value, json};

#[path = "common/guarded.rs"]
mod guarded;
use guarded::{clean, plan, platform};

/// A plan of `workload` in the type `guarded` with spec `env_type` and no rule that fires.
fn render(env_type: &str, workload: &Value) -> Plan {
    plan(
        platform(env_type, "{rule: max-replicas, max: 100}", ""),
        workload,
    )
}

fn objects<'a>(plan: &'a Plan, kind: &'a str) -> Vec<&'a Value> {
    plan.manifests()
        .iter()
        .filter(|o| o["kind"] == kind)
        .collect()
}

fn container(plan: &Plan) -> &Value {
    &objects(plan, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]
}

fn annotated(annotations: Value) -> Value {
    let mut workload = clean();
    workload["metadata"]["annotations"] = annotations;
    workload
}

#[test]
fn a_disruption_budget_guards_workloads_of_more_than_one_replica() {
    let two = render("{replicas: 2, podDisruptionBudget: true}", &clean());
    let budgets = objects(&two, "PodDisruptionBudget");
    assert_eq!(budgets.len(), 1);
    assert_eq!(budgets[0]["spec"]["maxUnavailable"], 1);
    assert_eq!(
        budgets[0]["spec"]["selector"],
        objects(&two, "Deployment")[0]["spec"]["selector"]
    );
    let custom = render(
        "{replicas: 3, podDisruptionBudget: {minAvailable: '50%'}}",
        &clean(),
    );
    assert_eq!(
        objects(&custom, "PodDisruptionBudget")[0]["spec"]["minAvailable"],
        "50%"
    );
    let one = render("{replicas: 1, podDisruptionBudget: true}", &clean());
    assert!(objects(&one, "PodDisruptionBudget").is_empty());
    let off = annotated(json!({"goldpath.dev/pod-disruption-budget": "false"}));
    let opted_out = render("{replicas: 2, podDisruptionBudget: true}", &off);
    assert!(objects(&opted_out, "PodDisruptionBudget").is_empty());
}

#[test]
fn containers_get_the_opentelemetry_variables_unless_they_set_their_own() {
    let env = "{observability: {otlpEndpoint: 'http://otel:4317'}}";
    let mut own = clean();
    own["containers"]["main"]["variables"] = json!({"OTEL_SERVICE_NAME": "storefront"});
    let plan = render(env, &own);
    let vars: Vec<(&str, &str)> = container(&plan)["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["name"].as_str().unwrap(), v["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        vars,
        [
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4317"),
            (
                "OTEL_RESOURCE_ATTRIBUTES",
                "service.namespace=shop,deployment.environment.name=prod,goldpath.env.type=guarded"
            ),
            ("OTEL_SERVICE_NAME", "storefront"),
        ]
    );
    assert!(container(&render("{}", &clean()))["env"].is_null());
}

#[test]
fn a_declared_metrics_port_is_scraped_and_reachable_from_monitoring() {
    let env = "{networkPolicy: true, observability: {prometheus: true, logLabels: true}}";
    let mut workload = clean();
    workload["service"]["ports"]["metrics"] = json!({"port": 9090});
    let plan = render(env, &workload);
    let template = &objects(&plan, "Deployment")[0]["spec"]["template"];
    assert_eq!(
        template["metadata"]["annotations"]["prometheus.io/scrape"],
        "true"
    );
    assert_eq!(
        template["metadata"]["annotations"]["prometheus.io/port"],
        "9090"
    );
    assert_eq!(
        template["metadata"]["labels"]["goldpath.dev/workload"],
        "web"
    );
    assert_eq!(template["metadata"]["labels"]["goldpath.dev/app"], "shop");
    let allow = objects(&plan, "NetworkPolicy")
        .into_iter()
        .find(|p| p["metadata"]["name"] == "allow-web")
        .expect("an allow policy for the metrics port");
    let rule = &allow["spec"]["ingress"][0];
    assert_eq!(
        rule["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
        "monitoring"
    );
    assert_eq!(rule["ports"], json!([{"port": 9090, "protocol": "TCP"}]));
    let unscraped = render("{networkPolicy: true}", &workload);
    assert!(
        objects(&unscraped, "NetworkPolicy")
            .iter()
            .all(|p| p["metadata"]["name"] != "allow-web")
    );
}

#[test]
fn a_metrics_port_annotation_that_is_no_port_is_an_error_naming_it() {
    let workload = annotated(json!({"goldpath.dev/metrics-port": "http"}));
    let platform = platform(
        "{observability: {prometheus: true}}",
        "{rule: require-digest}",
        "",
    );
    let workload = serde_json::from_value(workload).unwrap();
    let error = Engine::new(platform)
        .plan(
            &[WorkloadInput::new(workload)],
            &Context::new("shop", "prod", "guarded"),
            &PlanOptions::default(),
        )
        .err()
        .unwrap();
    assert_eq!(error.kind(), ErrorKind::Invalid);
    assert_eq!(
        error.location().path.to_string(),
        "metadata.annotations[\"goldpath.dev/metrics-port\"]"
    );
}

#[test]
fn an_unlocked_security_context_can_be_relaxed_and_a_locked_one_cannot() {
    let relaxed = annotated(json!({"goldpath.dev/security-context": "baseline"}));
    let open = render("{securityContext: restricted}", &relaxed);
    assert_eq!(
        container(&open)["securityContext"],
        json!({"allowPrivilegeEscalation": false})
    );
    let locked = render(
        "{securityContext: restricted, locked: [securityContext]}",
        &relaxed,
    );
    assert_eq!(
        container(&locked)["securityContext"]["capabilities"],
        json!({"drop": ["ALL"]})
    );
    assert_eq!(locked.violations()[0].rule, "locked-baseline");
    assert!(locked.violations()[0].message.contains("securityContext"));
    let pod_template = &objects(&locked, "Deployment")[0]["spec"]["template"]["metadata"];
    assert!(
        pod_template["annotations"]
            .get("goldpath.dev/security-context")
            .is_none()
    );
}

#[test]
fn an_override_that_does_not_parse_says_what_it_takes() {
    let workload = annotated(json!({"goldpath.dev/replicas": "many"}));
    let text = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: guarded}\nspec: {replicas: 2}\n";
    let docs = Loader::default().str(text, None).unwrap();
    let platform = Platform::from_documents(docs.platform.into_iter().map(|l| l.document));
    let workload = serde_json::from_value(workload).unwrap();
    let error = Engine::new(platform)
        .plan(
            &[WorkloadInput::new(workload)],
            &Context::new("shop", "prod", "guarded"),
            &PlanOptions::default(),
        )
        .err()
        .unwrap();
    assert_eq!(error.kind(), ErrorKind::Invalid);
    assert!(
        error.message().contains("whole number"),
        "{}",
        error.message()
    );
}
