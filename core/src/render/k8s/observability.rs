//! Telemetry wiring from the environment type: OpenTelemetry variables, Prometheus scrape
//! annotations and the labels log pipelines index by.

use std::collections::BTreeMap;

use serde_json::Value;

use super::problems::error;
use crate::render::input::{Piece, Resolved, Target};
use crate::spec::score::Workload;
use crate::validate::names::quoted;
use crate::{DocPath, ErrorKind};

/// The workload annotation naming the metrics port when no service port is named `metrics`.
pub(super) const METRICS_PORT_ANNOTATION: &str = "goldpath.dev/metrics-port";
/// The workload annotation giving the metrics path (`prometheus.io/path`).
pub(super) const METRICS_PATH_ANNOTATION: &str = "goldpath.dev/metrics-path";
/// The service port name that declares the metrics port.
const METRICS_PORT_NAME: &str = "metrics";

/// `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_EXPORTER_OTLP_ENDPOINT` when the
/// environment type has an `otlpEndpoint` (else none).
pub(super) fn otel_variables(workload: &str, target: &Target<'_>) -> BTreeMap<String, Resolved> {
    let Some(endpoint) = target
        .env_type
        .and_then(|t| t.observability.otlp_endpoint.as_deref())
    else {
        return BTreeMap::new();
    };
    let context = target.context;
    let attributes = format!(
        "service.namespace={},deployment.environment.name={},goldpath.env.type={}",
        context.app, context.env, context.env_type
    );
    [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.to_owned()),
        ("OTEL_RESOURCE_ATTRIBUTES", attributes),
        ("OTEL_SERVICE_NAME", workload.to_owned()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), Resolved(vec![Piece::Output(value)])))
    .collect()
}

/// Adds the Prometheus annotations (when the type has `prometheus` and the workload declares
/// a metrics port) and the log labels (when the type has `logLabels`) to the pod template.
pub(super) fn decorate_pod(
    template: &mut Value,
    workload: &Workload,
    target: &Target<'_>,
) -> crate::Result<()> {
    let Some(observability) = target.env_type.map(|t| &t.observability) else {
        return Ok(());
    };
    if observability.prometheus
        && let Some(port) = metrics_port(workload)?
    {
        let annotations = &mut template["metadata"]["annotations"];
        annotations["prometheus.io/scrape"] = "true".into();
        annotations["prometheus.io/port"] = port.to_string().into();
        if let Some(path) = workload.metadata.annotations.get(METRICS_PATH_ANNOTATION) {
            annotations["prometheus.io/path"] = path.clone().into();
        }
    }
    if observability.log_labels {
        let labels = &mut template["metadata"]["labels"];
        labels["goldpath.dev/app"] = target.context.app.clone().into();
        labels["goldpath.dev/env"] = target.context.env.clone().into();
        labels["goldpath.dev/workload"] = workload.metadata.name.clone().into();
    }
    Ok(())
}

/// The container port of the service port named `metrics`, else the metrics-port annotation.
pub(crate) fn metrics_port(workload: &Workload) -> crate::Result<Option<u16>> {
    let named = workload
        .service
        .as_ref()
        .and_then(|s| s.ports.get(METRICS_PORT_NAME))
        .map(|p| p.target());
    if named.is_some() {
        return Ok(named);
    }
    let Some(text) = workload.metadata.annotations.get(METRICS_PORT_ANNOTATION) else {
        return Ok(None);
    };
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(Some(port)),
        _ => {
            let at = DocPath::root()
                .key("metadata")
                .key("annotations")
                .key(METRICS_PORT_ANNOTATION);
            let message = format!(
                "{} is not a port: write the container port Prometheus scrapes, 1-65535",
                quoted(text)
            );
            Err(error(ErrorKind::Invalid, at, message))
        }
    }
}
