//! The Service of a workload's ports, and the headless Service of a StatefulSet.

use serde_json::{Value, json};

use super::meta::Meta;
use super::problems::error;
use crate::spec::score::Workload;
use crate::validate::names::{dns1035_label, shorten_name};
use crate::{DocPath, ErrorKind};

/// The workload annotation that names its Service.
pub(super) const SERVICE_NAME_ANNOTATION: &str = "k8s.score.dev/service-name";

const LABEL_MAX: usize = 63;

/// The Service of `workload`'s ports, or `None` when it has none.
pub(super) fn service(workload: &Workload, meta: &Meta<'_>) -> crate::Result<Option<Value>> {
    let Some(service) = workload.service.as_ref().filter(|s| !s.ports.is_empty()) else {
        return Ok(None);
    };
    let name = service_name(workload)?;
    let ports: Vec<Value> = service
        .ports
        .iter()
        .map(|(port_name, port)| {
            json!({
                "name": port_name,
                "port": port.port,
                "targetPort": port.target(),
                "protocol": port.protocol().as_str(),
            })
        })
        .collect();
    Ok(Some(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta.owned_metadata(name, &workload.metadata.name),
        "spec": {"selector": meta.selector, "ports": ports},
    })))
}

/// The name of the headless Service of a StatefulSet: `<workload>-headless-svc`, shortened.
pub(super) fn headless_name(workload: &str) -> String {
    shorten_name(&format!("{workload}-headless-svc"), LABEL_MAX)
}

/// The headless Service that gives a StatefulSet's pods their DNS names. It has score-k8s's one
/// placeholder port, `default` 99. Its name must be a DNS-1035 label.
pub(super) fn headless_service(workload: &str, meta: &Meta<'_>) -> crate::Result<Value> {
    let name = headless_name(workload);
    dns1035_label(&name).map_err(|message| {
        let message = format!(
            "a StatefulSet's headless Service is named after the workload: {message}; start the workload name with a letter"
        );
        error(ErrorKind::Name, DocPath::root().key("metadata").key("name"), message)
    })?;
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta.owned_metadata(&name, workload),
        "spec": {
            "clusterIP": "None",
            "selector": meta.selector,
            "ports": [{"name": "default", "port": 99, "targetPort": 99, "protocol": "TCP"}],
        },
    }))
}

/// The annotation `k8s.score.dev/service-name`, else the workload name; a DNS-1035 label.
fn service_name(workload: &Workload) -> crate::Result<&str> {
    let metadata = DocPath::root().key("metadata");
    let (name, path, origin) = match workload.metadata.annotations.get(SERVICE_NAME_ANNOTATION) {
        Some(name) => (
            name.as_str(),
            metadata.key("annotations").key(SERVICE_NAME_ANNOTATION),
            "by the annotation `k8s.score.dev/service-name`".to_owned(),
        ),
        None => (
            workload.metadata.name.as_str(),
            metadata.key("name"),
            format!("after the workload (the annotation `{SERVICE_NAME_ANNOTATION}` can name it)"),
        ),
    };
    dns1035_label(name).map_err(|message| {
        let message = format!("the Service of the workload's ports is named {origin}: {message}");
        error(ErrorKind::Name, path, message)
    })?;
    Ok(name)
}
