//! The `workload-link` driver of the built-in `service` and `service-port` types
//! (DESIGN.md §3): a workload reaches another workload of the application through its Service.
//!
//! - `service`: params `workload` (default: the last dot-separated part of the resource id,
//!   which is the resource's name for private resources) and optional `port` (a port name or
//!   number of the target); outputs `name` and `host` (the target's Service name) and `port`.
//! - `service-port`: params `workload` and `port`; outputs `hostname` and `port`.
//!
//! `port` is the port the target's Service listens on (score-k8s returns the target port
//! there, which is wrong whenever the two differ).

use serde_json::{Map, Value};

use super::{Driver, ProvisionRequest, Provisioned, Services};
use crate::{Error, ErrorKind, Location, Result};

/// The name the built-in definitions use for this driver.
pub const WORKLOAD_LINK_DRIVER: &str = "workload-link";

/// Links a workload to another through the target's Service.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkloadLinkDriver;

impl Driver for WorkloadLinkDriver {
    fn runs_anywhere(&self) -> bool {
        true
    }

    fn provision(&self, req: &ProvisionRequest<'_>) -> Result<Provisioned> {
        let kind = req.key.resource_type();
        let fail = |message: String| {
            Error::new(
                ErrorKind::Invalid,
                Location::default(),
                format!("resource `{}`: {message}", req.key),
            )
        };
        let target = match (req.params.get("workload"), kind) {
            (Some(Value::String(name)), _) => name.clone(),
            (None, "service") => req
                .key
                .id()
                .and_then(|id| id.rsplit('.').next())
                .unwrap_or_default()
                .to_owned(),
            _ => {
                return Err(fail(format!(
                    "a `{kind}` resource needs the param `workload`: the workload to reach"
                )));
            }
        };
        let service = service_of(req.workloads, &target).map_err(fail)?;
        let name = service.get("name").cloned().unwrap_or(Value::Null);
        let port = match req.params.get("port") {
            Some(wanted) => Some(find_port(&service, wanted, &target).map_err(fail)?),
            None if kind == "service-port" => {
                return Err(fail("a `service-port` resource needs the param `port`: a port name or number of the target".to_owned()));
            }
            None => None,
        };
        let mut outputs = Map::new();
        if kind == "service-port" {
            outputs.insert("hostname".into(), name);
        } else {
            outputs.insert("name".into(), name.clone());
            outputs.insert("host".into(), name);
        }
        if let Some(port) = port {
            outputs.insert("port".into(), port);
        }
        Ok(Provisioned {
            outputs,
            ..Provisioned::default()
        })
    }
}

fn service_of(workloads: &Services, target: &str) -> Result<Value, String> {
    let Some(workload) = workloads.workload(target) else {
        let mut known: Vec<&str> = workloads.names();
        known.sort_unstable();
        return Err(format!(
            "no workload `{target}` in this application; workloads: {}",
            known.join(", ")
        ));
    };
    let service = match workload.into_owned() {
        Value::Object(mut workload) => workload.remove("service"),
        _ => None,
    };
    match service {
        Some(service) if service.is_object() => Ok(service),
        _ => Err(format!(
            "workload `{target}` serves no ports, so nothing can link to it: give it `service.ports`"
        )),
    }
}

/// The Service port of `target` named or numbered `wanted`.
fn find_port(service: &Value, wanted: &Value, target: &str) -> Result<Value, String> {
    let ports = service
        .get("ports")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let found = match wanted {
        Value::String(name) => ports.get(name).or_else(|| {
            ports
                .values()
                .find(|p| p["port"].as_u64().is_some_and(|n| n.to_string() == *name))
        }),
        Value::Number(_) => ports.values().find(|p| p["port"] == *wanted),
        _ => None,
    };
    found.map(|p| p["port"].clone()).ok_or_else(|| {
        let listed: Vec<String> = ports
            .iter()
            .map(|(n, p)| format!("{n} ({})", p["port"]))
            .collect();
        format!(
            "workload `{target}` has no port {wanted}; its ports: {}",
            listed.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ResourceKey;
    use crate::drivers::SecretSeed;
    use crate::platform::{Context, Definition};
    use serde_json::json;

    fn provision(key: &str, params: Value) -> Result<Provisioned> {
        let workloads = json!({
            "backend": {"service": {"name": "backend", "ports": {"api": {"port": 80, "targetPort": 8080, "protocol": "TCP"}}}},
            "worker": {"service": null},
        });
        let key: ResourceKey = key.parse().unwrap();
        let spec = serde_json::from_value(
            json!({"type": key.resource_type(), "driver": WORKLOAD_LINK_DRIVER}),
        )
        .unwrap();
        let definition = Definition {
            name: "builtin".into(),
            spec,
            builtin: true,
        };
        let context = Context::new("shop", "dev", "development");
        let params = params.as_object().cloned().unwrap_or_default();
        let resolver = |_: &crate::placeholder::Reference| Ok(Value::Null);
        let req = ProvisionRequest {
            key: &key,
            guid: "g",
            context: &context,
            definition: &definition,
            params: &params,
            seed: &SecretSeed::development(),
            resolver: &resolver,
            workloads: &workloads.into(),
            source: Some("frontend"),
            workload: None,
            state: None,
            folder: None,
        };
        WorkloadLinkDriver.provision(&req)
    }

    #[test]
    fn service_outputs_the_target_service_name_and_its_port() {
        let p = provision("service#frontend.backend", json!({})).unwrap();
        assert_eq!(
            Value::Object(p.outputs),
            json!({"name": "backend", "host": "backend"})
        );
        let p = provision(
            "service#frontend.api",
            json!({"workload": "backend", "port": "api"}),
        )
        .unwrap();
        assert_eq!(
            p.outputs["port"], 80,
            "the Service port, not the target port"
        );
        let p = provision(
            "service-port#frontend.api",
            json!({"workload": "backend", "port": 80}),
        )
        .unwrap();
        assert_eq!(
            Value::Object(p.outputs),
            json!({"hostname": "backend", "port": 80})
        );
    }

    #[test]
    fn unknown_workloads_ports_and_portless_targets_are_errors_that_list_what_exists() {
        let err = provision("service#frontend.db", json!({})).unwrap_err();
        assert!(
            err.message().contains("no workload `db`") && err.message().contains("backend, worker"),
            "{err}"
        );
        let err = provision(
            "service#frontend.x",
            json!({"workload": "backend", "port": "web"}),
        )
        .unwrap_err();
        assert!(err.message().contains("its ports: api (80)"), "{err}");
        let err = provision("service#frontend.x", json!({"workload": "worker"})).unwrap_err();
        assert!(err.message().contains("serves no ports"), "{err}");
        let err = provision("service-port#frontend.x", json!({"workload": "backend"})).unwrap_err();
        assert!(err.message().contains("needs the param `port`"), "{err}");
    }
}
