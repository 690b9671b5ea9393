//! A platform with one environment type, `guarded`, and one policy, and a workload that
//! passes every rule: what the policy and baseline tests start from.

use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use serde_json::{Value, json};

/// A platform with the environment type `guarded` (spec `env_type`), one policy with `rule`
/// attached to it, and `extra` documents.
pub fn platform(env_type: &str, rule: &str, extra: &str) -> Platform {
    let text = format!(
        "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {{name: guarded}}\nspec: {env_type}\n---\napiVersion: goldpath.dev/v1alpha1\nkind: Policy\nmetadata: {{name: guardrails}}\nspec:\n  envTypes: [guarded]\n  rules: [{rule}]\n{extra}"
    );
    let docs = Loader::default().str(&text, None).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}

/// A workload that every rule below accepts.
pub fn clean() -> Value {
    json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "containers": {"main": {
            "image": "registry.example.com/web:1.0@sha256:0a1b",
            "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
            "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
        }},
        "service": {"ports": {"http": {"port": 80, "targetPort": 8080}}},
    })
}

pub fn plan(platform: Platform, workload: &Value) -> Plan {
    let workload = serde_json::from_value(workload.clone()).unwrap();
    let context = Context::new("shop", "prod", "guarded");
    Engine::new(platform)
        .plan(
            &[WorkloadInput::new(workload)],
            &context,
            &PlanOptions::default(),
        )
        .unwrap()
}
