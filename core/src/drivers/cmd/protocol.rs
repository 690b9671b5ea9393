//! The JSON a `cmd` program reads and writes.
//!
//! **goldpath** (the default): standard input gets
//!
//! ```json
//! {"action": "provision", "key": "postgres.default#shop.db", "type": "postgres",
//!  "class": "default", "id": "shop.db", "guid": "...", "definition": "postgres-tofu",
//!  "context": {"app": "shop", "env": "qa", "envType": "qa-light"},
//!  "params": {}, "values": {...}, "secrets": {...}, "state": null}
//! ```
//!
//! (`values` and `secrets` are the definition's `inputs.values` and `inputs.secrets` with
//! placeholders substituted; `state` is what the program answered last time, `null` the first
//! time) and standard output must hold `{"outputs": {}, "secrets": {}, "manifests": [],
//! "state": ...}` (every key optional). A `deprovision` gets the same request with the last
//! state, and may answer `{}` or nothing.
//!
//! **score-k8s** (`inputs.values.protocol: score-k8s`): the JSON of score-k8s `cmd://`
//! provisioners, so their scripts run unchanged. Request: `resource_uid` (the key),
//! `resource_type`, `resource_class`, `resource_id`, `resource_params` (params),
//! `resource_metadata` (`{}`), `resource_state` (the last state, `{}` the first time),
//! `shared_state` (`{}`: goldpath keeps no state shared between resources),
//! `workload_services` (name → `{service_name, ports: {NAME: {name, port, target_port,
//! protocol}}}`), `source_workload`. Answer: `resource_outputs` → outputs, `resource_state` →
//! state, `manifests` → manifests; `shared_state` is ignored. score-k8s has no deprovision
//! action, so a score-k8s program is never called to deprovision.

use serde_json::{Map, Value, json};

use super::super::world::{Action, Answer, Call};
use crate::Result;

/// Which JSON the program speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// goldpath's request and answer.
    Goldpath,
    /// score-k8s `cmd://` provisioners'.
    ScoreK8s,
}

impl Protocol {
    /// `inputs.values.protocol` of the call: absent or `goldpath`, or `score-k8s`.
    ///
    /// # Errors
    /// Another value.
    pub fn of(call: &Call<'_>) -> Result<Self> {
        match call.value("protocol").map(|v| v.as_str()) {
            None | Some(Some("goldpath")) => Ok(Self::Goldpath),
            Some(Some("score-k8s")) => Ok(Self::ScoreK8s),
            Some(_) => {
                Err(call
                    .error("`inputs.values.protocol` must be `goldpath` or `score-k8s`".to_owned()))
            }
        }
    }

    /// Whether the program is called for `action` at all.
    #[must_use]
    pub fn handles(self, action: Action) -> bool {
        self == Self::Goldpath || action == Action::Provision
    }

    /// The request written to the program's standard input.
    #[must_use]
    pub fn request(self, call: &Call<'_>) -> Value {
        match self {
            Self::Goldpath => call.request(),
            Self::ScoreK8s => json!({
                "resource_uid": call.key.to_string(),
                "resource_type": call.key.resource_type(),
                "resource_class": call.key.class(),
                "resource_id": call.key.id(),
                "resource_params": call.params,
                "resource_metadata": {},
                "resource_state": call.state.cloned().unwrap_or_else(|| json!({})),
                "shared_state": {},
                "workload_services": services(call.workloads),
                "source_workload": call.source,
            }),
        }
    }

    /// The program's standard output as an answer.
    ///
    /// # Errors
    /// Output that is not JSON of the protocol's shape, naming the definition and resource.
    pub fn answer(self, call: &Call<'_>, stdout: &[u8]) -> Result<Answer> {
        let text = String::from_utf8_lossy(stdout);
        if text.trim().is_empty() && call.action == Action::Deprovision {
            return Ok(Answer::default());
        }
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            call.error(format!(
                "its standard output is not JSON ({}): write one JSON object",
                e.classify_name()
            ))
        })?;
        let value = match self {
            Self::Goldpath => value,
            Self::ScoreK8s => from_score_k8s(value),
        };
        Answer::from_json(value).map_err(|e| call.error(e.message().to_owned()))
    }
}

trait Classify {
    fn classify_name(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "a syntax error",
            serde_json::error::Category::Data => "wrong data",
            serde_json::error::Category::Eof => "it ends too early",
        }
    }
}

/// A score-k8s answer in goldpath's shape.
fn from_score_k8s(value: Value) -> Value {
    let Value::Object(mut map) = value else {
        return value;
    };
    let mut out = Map::new();
    for (from, to) in [
        ("resource_outputs", "outputs"),
        ("resource_state", "state"),
        ("manifests", "manifests"),
    ] {
        if let Some(v) = map.remove(from) {
            out.insert(to.to_owned(), v);
        }
    }
    Value::Object(out)
}

/// The workloads' services as score-k8s's `workload_services`.
fn services(workloads: &Value) -> Value {
    let Some(all) = workloads.as_object() else {
        return json!({});
    };
    let mut out = Map::new();
    for (name, w) in all {
        let Some(service) = w.get("service").filter(|s| s.is_object()) else {
            continue;
        };
        let ports: Map<String, Value> = service["ports"]
            .as_object()
            .map(|ports| {
                ports
                    .iter()
                    .map(|(port_name, p)| {
                        (
                            port_name.clone(),
                            json!({"name": port_name, "port": p["port"], "target_port": p["targetPort"], "protocol": p["protocol"]}),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.insert(
            name.clone(),
            json!({"service_name": service["name"], "ports": ports}),
        );
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_k8s_answers_map_to_goldpath_names() {
        let mapped = from_score_k8s(json!({
            "resource_outputs": {"host": "h"}, "resource_state": {"n": 1},
            "shared_state": {"x": 1}, "manifests": [],
        }));
        assert_eq!(
            mapped,
            json!({"outputs": {"host": "h"}, "state": {"n": 1}, "manifests": []})
        );
    }

    #[test]
    fn services_take_score_k8s_names() {
        let workloads = json!({"web": {"service": {"name": "web", "ports": {"http": {"port": 80, "targetPort": 8080, "protocol": "TCP"}}}}, "job": {"service": null}});
        assert_eq!(
            services(&workloads),
            json!({"web": {"service_name": "web", "ports": {"http": {"name": "http", "port": 80, "target_port": 8080, "protocol": "TCP"}}}})
        );
    }
}
