//! The application's workloads and the Services they serve, as drivers see them
//! ([`ProvisionRequest::workloads`](super::ProvisionRequest::workloads), `workloads` in
//! templates).
//!
//! A plan builds one [`Services`] and every resource's request shares it. It is held compact
//! (a sorted list of workloads with their Service's name and ports, about 100 bytes a
//! workload) instead of a JSON tree (four maps a workload, about 3 kB); the JSON a host driver
//! receives ([`Services::value`]) is built from it on first use and kept, and a template or a
//! `workload-link` resource that reads one workload builds only that workload's JSON
//! ([`Services::workload`]). Both give exactly the JSON a plan always handed its drivers.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use crate::load::WorkloadInput;

/// The workloads of an application and what they serve, shared by every request of a plan:
/// name → `{"service": {"name": ..., "ports": {NAME: {"port", "targetPort", "protocol"}}}}`
/// (`service` is null for a workload without ports).
///
/// ```
/// use goldpath::drivers::Services;
/// use serde_json::json;
///
/// let value = json!({"web": {"service": null}});
/// let services = Services::from(value.clone());
/// assert_eq!(services.value(), &value);
/// assert_eq!(services.workload("web").as_deref(), Some(&json!({"service": null})));
/// assert_eq!(services.names(), ["web"]);
/// ```
#[derive(Clone)]
pub struct Services(Arc<Inner>);

struct Inner {
    /// The workloads by name (sorted, unique), or `None` when built from a JSON value.
    compact: Option<Box<[Entry]>>,
    /// The JSON value: given, or built from `compact` on first use.
    value: OnceLock<Value>,
}

/// One workload and its Service.
struct Entry {
    workload: Box<str>,
    service: Option<Service>,
}

/// A Service: its name and its ports, sorted by name.
struct Service {
    name: Box<str>,
    ports: Box<[Port]>,
}

/// One port of a Service.
struct Port {
    name: Box<str>,
    port: u16,
    target: u16,
    protocol: &'static str,
}

impl Services {
    /// The services of `workloads`; a name given twice keeps its last workload.
    pub(crate) fn of_workloads<'w>(workloads: impl IntoIterator<Item = &'w WorkloadInput>) -> Self {
        let mut entries: Vec<Entry> = workloads.into_iter().map(entry).collect();
        // Stable: of equal names, the last given stays last, and is kept.
        entries.sort_by(|a, b| a.workload.cmp(&b.workload));
        let mut unique: Vec<Entry> = Vec::with_capacity(entries.len());
        for entry in entries {
            match unique.last_mut() {
                Some(last) if last.workload == entry.workload => *last = entry,
                _ => unique.push(entry),
            }
        }
        Self(Arc::new(Inner {
            compact: Some(unique.into_boxed_slice()),
            value: OnceLock::new(),
        }))
    }

    /// The whole value as JSON (built on first use for services of workloads, then kept).
    #[must_use]
    pub fn value(&self) -> &Value {
        self.0.value.get_or_init(|| {
            let entries = self.0.compact.as_deref().unwrap_or_default();
            let all: Map<String, Value> = entries
                .iter()
                .map(|entry| (entry.workload.to_string(), entry.to_value()))
                .collect();
            Value::Object(all)
        })
    }

    /// The JSON of workload `name` (`{"service": ...}`), or `None` when there is no such
    /// workload (or the value is not a map).
    #[must_use]
    pub fn workload(&self, name: &str) -> Option<Cow<'_, Value>> {
        match &self.0.compact {
            Some(entries) => {
                let at = entries
                    .binary_search_by(|entry| (*entry.workload).cmp(name))
                    .ok()?;
                Some(Cow::Owned(entries[at].to_value()))
            }
            None => self.value().get(name).map(Cow::Borrowed),
        }
    }

    /// The workloads' names, sorted.
    #[must_use]
    pub fn names(&self) -> Vec<&str> {
        match &self.0.compact {
            Some(entries) => entries.iter().map(|entry| &*entry.workload).collect(),
            None => self
                .value()
                .as_object()
                .map(|map| map.keys().map(String::as_str).collect())
                .unwrap_or_default(),
        }
    }
}

impl From<Value> for Services {
    /// Services given as JSON (any value: drivers receive it as it is).
    fn from(value: Value) -> Self {
        Self(Arc::new(Inner {
            compact: None,
            value: OnceLock::from(value),
        }))
    }
}

impl fmt::Debug for Services {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Services")
            .field("workloads", &self.names().len())
            .finish_non_exhaustive()
    }
}

/// The entry of one workload: its Service when it has ports.
fn entry(w: &WorkloadInput) -> Entry {
    let workload = &w.workload;
    let service = workload.service.as_ref().filter(|s| !s.ports.is_empty());
    let service = service.map(|s| {
        let annotations = &workload.metadata.annotations;
        let name = annotations
            .get("k8s.score.dev/service-name")
            .unwrap_or(&workload.metadata.name);
        let ports = s.ports.iter().map(|(name, p)| Port {
            name: name.as_str().into(),
            port: p.port,
            target: p.target(),
            protocol: p.protocol().as_str(),
        });
        Service {
            name: name.as_str().into(),
            ports: ports.collect(),
        }
    });
    Entry {
        workload: workload.metadata.name.as_str().into(),
        service,
    }
}

impl Entry {
    /// `{"service": null}` or `{"service": {"name": ..., "ports": {...}}}`, made in place
    /// (`json!` would copy each map it is given once more).
    fn to_value(&self) -> Value {
        let service = self.service.as_ref().map_or(Value::Null, |s| {
            let ports: Map<String, Value> = s
                .ports
                .iter()
                .map(|p| {
                    let mut port = Map::new();
                    port.insert("port".to_owned(), Value::from(p.port));
                    port.insert("targetPort".to_owned(), Value::from(p.target));
                    port.insert("protocol".to_owned(), Value::from(p.protocol));
                    (p.name.to_string(), Value::Object(port))
                })
                .collect();
            let mut service = Map::new();
            service.insert("name".to_owned(), Value::from(&*s.name));
            service.insert("ports".to_owned(), Value::Object(ports));
            Value::Object(service)
        });
        let mut entry = Map::new();
        entry.insert("service".to_owned(), service);
        Value::Object(entry)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::Loader;
    use serde_json::json;

    /// Workloads of every shape: ports with and without a target port and protocol, a
    /// Service name from the annotation, no `service`, a `service` without ports, and names
    /// given out of order.
    pub(crate) fn workloads() -> Vec<WorkloadInput> {
        let scores = [
            "metadata: {name: web}\nservice:\n  ports:\n    http: {port: 80, targetPort: 8080}\n    dns: {port: 53, protocol: UDP}\n",
            "metadata: {name: api, annotations: {k8s.score.dev/service-name: api-svc}}\nservice:\n  ports:\n    grpc: {port: 9000}\n",
            "metadata: {name: job}\n",
            "metadata: {name: idle}\nservice: {ports: {}}\n",
        ];
        let mut loaded = Vec::new();
        for score in scores {
            let text = format!(
                "apiVersion: score.dev/v1b1\n{score}containers:\n  main: {{image: nginx}}\n"
            );
            let workload = Loader::default().score_str(&text, None).unwrap();
            loaded.push(WorkloadInput::new(workload));
        }
        loaded
    }

    #[test]
    fn the_value_is_the_json_drivers_always_received() {
        let services = Services::of_workloads(&workloads());
        let expected = json!({
            "web": {"service": {"name": "web", "ports": {
                "dns": {"port": 53, "targetPort": 53, "protocol": "UDP"},
                "http": {"port": 80, "targetPort": 8080, "protocol": "TCP"},
            }}},
            "api": {"service": {"name": "api-svc", "ports": {
                "grpc": {"port": 9000, "targetPort": 9000, "protocol": "TCP"},
            }}},
            "job": {"service": null},
            "idle": {"service": null},
        });
        assert_eq!(services.value(), &expected);
        assert_eq!(services.names(), ["api", "idle", "job", "web"]);
        for name in services.names() {
            assert_eq!(services.workload(name).as_deref(), expected.get(name));
        }
        assert_eq!(services.workload("nope"), None);
        let given = Services::from(expected.clone());
        assert_eq!(given.names(), services.names());
        assert_eq!(given.workload("web"), services.workload("web"));
    }

    #[test]
    fn a_name_given_twice_keeps_its_last_workload() {
        let mut all = workloads();
        let mut again = all[2].clone();
        again.workload.service = all[0].workload.service.clone();
        all.push(again);
        let services = Services::of_workloads(&all);
        assert_eq!(services.names(), ["api", "idle", "job", "web"]);
        assert_eq!(services.value()["job"]["service"]["name"], json!("job"));
    }

    #[test]
    fn nothing_or_a_value_that_is_no_map_has_no_workloads() {
        let none = Services::from(Value::Null);
        assert!(none.names().is_empty());
        assert_eq!(none.workload("web"), None);
        assert_eq!(none.value(), &Value::Null);
        assert!(Services::of_workloads(&[]).names().is_empty());
        assert_eq!(Services::of_workloads(&[]).value(), &json!({}));
    }
}
