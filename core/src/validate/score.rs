//! The rules a Score workload must follow beyond the Score schema, so that what goldpath renders
//! from it is valid Kubernetes (research/reliability.md §1) and its placeholders resolve.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Findings, before, image, names, paths, quantity};
use crate::placeholder;
use crate::spec::score::{Container, ResourceAmounts, Workload};
use crate::{DocPath, ErrorKind};

/// Where a workload came from, for the rules that look at its surroundings.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkloadContext<'a> {
    /// The folder of the Score file; file `source`s must stay inside it. `None` for text
    /// given without a file: sources are then only checked lexically.
    pub folder: Option<&'a Path>,
}

/// Checks every rule of this module on a workload; paths are relative to the document root.
///
/// ```
/// use goldpath::validate::score::{validate_workload, WorkloadContext};
///
/// let workload = serde_json::from_value(serde_json::json!({
///     "apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
///     "containers": {"main": {"image": "nginx", "variables": {"BAD NAME": "x"}}},
/// })).unwrap();
/// let findings = validate_workload(&workload, WorkloadContext::default());
/// assert_eq!(findings.as_slice()[0].path.to_string(), r#"containers.main.variables["BAD NAME"]"#);
/// ```
#[must_use]
pub fn validate_workload(workload: &Workload, context: WorkloadContext<'_>) -> Findings {
    let mut out = Findings::new();
    let root = DocPath::root();
    let has_ports = workload
        .service
        .as_ref()
        .is_some_and(|s| !s.ports.is_empty());
    let name_rule = if has_ports {
        names::dns1035_label
    } else {
        names::dns1123_label
    };
    out.check(
        ErrorKind::Name,
        &root.clone().key("metadata").key("name"),
        name_rule(&workload.metadata.name),
    );
    for key in workload.metadata.annotations.keys() {
        let path = root
            .clone()
            .key("metadata")
            .key("annotations")
            .key(key.clone());
        out.check(ErrorKind::Name, &path, names::annotation_key(key));
    }
    for (name, container) in &workload.containers {
        let path = root.clone().key("containers").key(name.clone());
        out.check(ErrorKind::Name, &path, names::dns1123_label(name));
        check_container(workload, container, &path, context, &mut out);
    }
    before::check(workload, &mut out);
    check_service(workload, &mut out);
    check_resources(workload, &mut out);
    out
}

fn check_container(
    workload: &Workload,
    container: &Container,
    path: &DocPath,
    context: WorkloadContext<'_>,
    out: &mut Findings,
) {
    out.check(
        ErrorKind::Invalid,
        &path.clone().key("image"),
        image::image_reference(&container.image),
    );
    for (name, value) in &container.variables {
        let var = path.clone().key("variables").key(name.clone());
        out.check(ErrorKind::Name, &var, names::env_var_name(name));
        check_placeholders(workload, value, &var, false, out);
    }
    check_files(workload, container, path, context, out);
    for (target, volume) in &container.volumes {
        let at = path.clone().key("volumes").key(target.clone());
        out.check(ErrorKind::Invalid, &at, paths::file_target(target));
        if let Some(sub) = &volume.path {
            out.check(
                ErrorKind::Invalid,
                &at.clone().key("path"),
                paths::sub_path(sub),
            );
        }
        check_placeholders(
            workload,
            &volume.source,
            &at.clone().key("source"),
            true,
            out,
        );
    }
    if let Some(resources) = &container.resources {
        check_amounts(
            resources.requests.as_ref(),
            resources.limits.as_ref(),
            &path.clone().key("resources"),
            out,
        );
    }
}

fn check_files(
    workload: &Workload,
    container: &Container,
    path: &DocPath,
    context: WorkloadContext<'_>,
    out: &mut Findings,
) {
    for (target, file) in &container.files {
        let at = path.clone().key("files").key(target.clone());
        out.check(ErrorKind::Invalid, &at, paths::file_target(target));
        if let Some(mode) = &file.mode {
            out.check(ErrorKind::Invalid, &at.clone().key("mode"), file_mode(mode));
        }
        if let Some(source) = &file.source {
            let source_path = at.clone().key("source");
            let lexical = paths::file_source(source);
            let ok = lexical.is_ok();
            out.check(ErrorKind::Invalid, &source_path, lexical);
            if let (true, Some(folder)) = (ok, context.folder) {
                out.check(
                    ErrorKind::Invalid,
                    &source_path,
                    paths::contained_in(folder, &folder.join(source)),
                );
            }
        }
        if let (Some(content), false) = (&file.content, file.no_expand.unwrap_or(false)) {
            check_placeholders(workload, content, &at.clone().key("content"), false, out);
        }
    }
}

fn file_mode(mode: &str) -> Result<(), String> {
    u32::from_str_radix(mode, 8)
        .ok()
        .filter(|m| *m <= 0o777)
        .map(|_| ())
        .ok_or_else(|| format!("file mode `{mode}` is not an octal mode such as \"0644\""))
}

fn check_amounts(
    requests: Option<&ResourceAmounts>,
    limits: Option<&ResourceAmounts>,
    path: &DocPath,
    out: &mut Findings,
) {
    for (section, amounts) in [("requests", requests), ("limits", limits)] {
        let Some(amounts) = amounts else { continue };
        let at = path.clone().key(section);
        let (cpu, memory) = (amounts.cpu.as_deref(), amounts.memory.as_deref());
        out.check_field(ErrorKind::Invalid, &at, "cpu", cpu, quantity::score_cpu);
        out.check_field(
            ErrorKind::Invalid,
            &at,
            "memory",
            memory,
            quantity::score_memory,
        );
    }
    let (Some(requests), Some(limits)) = (requests, limits) else {
        return;
    };
    let pairs = [
        ("cpu", &requests.cpu, &limits.cpu),
        ("memory", &requests.memory, &limits.memory),
    ];
    for (what, request, limit) in pairs {
        let parsed = |q: &Option<String>| {
            q.as_deref()
                .and_then(|q| q.parse::<quantity::Quantity>().ok())
        };
        if let (Some(request), Some(limit)) = (parsed(request), parsed(limit)) {
            let at = path.clone().key("requests").key(what);
            out.check(
                ErrorKind::Invalid,
                &at,
                quantity::requests_within_limits(&request, &limit),
            );
        }
    }
}

fn check_service(workload: &Workload, out: &mut Findings) {
    let Some(service) = &workload.service else {
        return;
    };
    let mut seen: BTreeMap<(u16, &str), &str> = BTreeMap::new();
    for (name, port) in &service.ports {
        let at = DocPath::root()
            .key("service")
            .key("ports")
            .key(name.clone());
        out.check(ErrorKind::Name, &at, names::dns1123_label(name));
        for (field, value) in [("port", Some(port.port)), ("targetPort", port.target_port)] {
            if value == Some(0) {
                out.push(
                    ErrorKind::Invalid,
                    at.clone().key(field),
                    "port 0 is not a port: use 1-65535",
                );
            }
        }
        let protocol = port.protocol().as_str();
        if let Some(first) = seen.insert((port.port, protocol), name) {
            let message = format!(
                "port {} {protocol} is already served by `{first}`: each port and protocol may appear once",
                port.port
            );
            out.push(ErrorKind::Invalid, at.key("port"), message);
        }
    }
}

fn check_resources(workload: &Workload, out: &mut Findings) {
    for (name, request) in &workload.resources {
        let at = DocPath::root().key("resources").key(name.clone());
        out.check(ErrorKind::Name, &at, names::score_name(name));
        out.check(
            ErrorKind::Name,
            &at.clone().key("type"),
            names::resource_type(&request.resource_type),
        );
        let (class, id) = (request.class.as_deref(), request.id.as_deref());
        out.check_field(ErrorKind::Name, &at, "class", class, names::resource_class);
        out.check_field(ErrorKind::Name, &at, "id", id, names::resource_id);
        if let Some(params) = &request.params {
            for (key, value) in params {
                check_value_placeholders(
                    workload,
                    value,
                    &at.clone().key("params").key(key.clone()),
                    out,
                );
            }
        }
    }
}

/// Placeholders in every string of a free-form value (resource params).
fn check_value_placeholders(
    workload: &Workload,
    value: &serde_json::Value,
    path: &DocPath,
    out: &mut Findings,
) {
    let mut stack = vec![(value, path.clone())];
    while let Some((value, path)) = stack.pop() {
        match value {
            serde_json::Value::String(s) => check_placeholders(workload, s, &path, false, out),
            serde_json::Value::Array(items) => {
                stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v, path.clone().index(i))),
                );
            }
            serde_json::Value::Object(map) => {
                stack.extend(map.iter().map(|(k, v)| (v, path.clone().key(k.clone()))));
            }
            _ => {}
        }
    }
}

/// Parses the placeholders of one string and checks that each names something that exists.
fn check_placeholders(
    workload: &Workload,
    text: &str,
    path: &DocPath,
    volume_source: bool,
    out: &mut Findings,
) {
    let template = match placeholder::parse(text) {
        Ok(template) => template,
        Err(err) => {
            let message = format!("at column {} of the value: {}", err.column, err.message);
            out.push(ErrorKind::Placeholder, path.clone(), message);
            return;
        }
    };
    for reference in template.references() {
        if let Err(message) = check_reference(workload, reference.segments(), volume_source) {
            out.push(
                ErrorKind::Placeholder,
                path.clone(),
                format!("`${{{reference}}}`: {message}"),
            );
        }
    }
}

fn check_reference(
    workload: &Workload,
    segments: &[String],
    volume_source: bool,
) -> Result<(), String> {
    match segments.first().map(String::as_str) {
        Some("metadata") if segments.len() >= 2 => {
            let metadata = serde_json::to_value(&workload.metadata).map_err(|e| e.to_string())?;
            placeholder::lookup(&metadata, &segments[1..]).map(|_| ())
        }
        Some("metadata") => Err("name a key of metadata, such as `${metadata.name}`".to_owned()),
        Some("resources") => check_resource_reference(workload, segments, volume_source),
        _ => Err(
            "placeholders start with `metadata.` or `resources.`; write `$${` for a literal `${`"
                .to_owned(),
        ),
    }
}

fn check_resource_reference(
    workload: &Workload,
    segments: &[String],
    volume_source: bool,
) -> Result<(), String> {
    let Some(name) = segments.get(1) else {
        return Err("name a resource of this workload, such as `${resources.db.host}`".to_owned());
    };
    if !workload.resources.contains_key(name) {
        let known = workload
            .resources
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let known = if known.is_empty() {
            "none".to_owned()
        } else {
            known
        };
        return Err(format!(
            "this workload declares no resource `{name}`; its resources: {known}"
        ));
    }
    if segments.len() == 2 && !volume_source {
        return Err(format!(
            "name an output of the resource, such as `${{resources.{name}.host}}`; a whole resource may only be used as a volume source"
        ));
    }
    Ok(())
}
