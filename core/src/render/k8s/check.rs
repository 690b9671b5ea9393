//! The last check before objects leave the renderer: every name, label and annotation key
//! Kubernetes validates, checked on the objects themselves, so nothing built anywhere in the
//! renderer escapes it.

use std::collections::BTreeSet;

use serde_json::Value;

use super::problems::{Problems, about as lazy};
use crate::ErrorKind;
use crate::validate::names::{
    annotation_key, dns1035_label, dns1123_label, dns1123_subdomain, env_var_name, iana_svc_name,
    label_key, label_value, quoted,
};

/// The longest StatefulSet name whose `controller-revision-hash` label (`<name>-<10 chars>`)
/// still fits in 63 characters.
const STATEFUL_SET_NAME_MAX: usize = 52;
/// The most bytes the keys and values of one object's annotations may hold together.
const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;
/// The most bytes of data one ConfigMap may hold.
const CONFIG_MAP_MAX_BYTES: usize = 1024 * 1024;

type Rule = fn(&str) -> Result<(), String>;

/// Checks every object; all problems are reported together. `annotations` is where the
/// objects' annotations come from in the input (`metadata.annotations` of a Score workload),
/// the path size problems of annotations are reported at.
pub(super) fn check_objects(objects: &[Value], annotations: &crate::DocPath) -> crate::Result<()> {
    let mut problems = Problems::default();
    for object in objects {
        check_object(object, annotations, &mut problems);
    }
    problems.finish(())
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn items(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

fn check_object(object: &Value, annotations: &crate::DocPath, problems: &mut Problems) {
    let kind = text(&object["kind"]);
    let name = text(&object["metadata"]["name"]);
    let about = lazy(|f| write!(f, "{kind} {}", quoted(name)));
    let about: &dyn std::fmt::Display = &about;
    let rule: Rule = match kind {
        "Service" => dns1035_label,
        "Namespace" => dns1123_label,
        _ => dns1123_subdomain,
    };
    problems.check(
        ErrorKind::Name,
        lazy(|f| write!(f, "{about}, metadata.name")),
        rule(name),
    );
    if kind == "StatefulSet" && name.len() > STATEFUL_SET_NAME_MAX {
        let message = format!(
            "{about}: the name is {} characters long; a StatefulSet name may have at most {STATEFUL_SET_NAME_MAX}, because Kubernetes labels its pods with the name and a 10-character hash: shorten the workload name",
            name.len()
        );
        problems.push(ErrorKind::Name, crate::DocPath::root(), message);
    }
    let at = lazy(|f| write!(f, "{about}, metadata"));
    check_metadata(&object["metadata"], (&at, annotations), problems);
    let spec = &object["spec"];
    // The pod template: `spec.template`, a CronJob's under its job template.
    let template_at = super::pod_spec_path(kind)
        .strip_suffix("/spec")
        .unwrap_or_default();
    let template = object.pointer(template_at).unwrap_or(&Value::Null);
    let at = lazy(|f| {
        let shown = template_at.trim_start_matches('/').replace('/', ".");
        write!(f, "{about}, {shown}.metadata")
    });
    check_metadata(&template["metadata"], (&at, annotations), problems);
    check_selectors(object, about, problems);
    if let Some(pod) = template.get("spec") {
        let claims = items(&spec["volumeClaimTemplates"]);
        check_pod(pod, claims, about, problems);
    }
    if kind == "Service" {
        check_service_ports(items(&spec["ports"]), about, problems);
    }
}

/// A ConfigMap may hold at most 1 MiB of data (base64 `binaryData` counts as decoded bytes):
/// the problem, if any, of the ConfigMap of one file (`about` names it).
pub(super) fn config_map_size(object: &Value, about: &str) -> Option<String> {
    let sum = |field: &str| -> usize {
        let values = object[field]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values());
        values.map(|v| text(v).len()).sum()
    };
    let bytes = sum("data") + sum("binaryData") / 4 * 3;
    (bytes > CONFIG_MAP_MAX_BYTES).then(|| format!(
        "{about}: the file holds about {bytes} bytes, more than the {CONFIG_MAP_MAX_BYTES} a ConfigMap may hold: mount a volume for large files instead"
    ))
}

/// `about` names the metadata in messages; `at` is where its annotations come from.
fn check_metadata(
    metadata: &Value,
    (about, at): (&dyn std::fmt::Display, &crate::DocPath),
    problems: &mut Problems,
) {
    check_labels(
        &metadata["labels"],
        &lazy(|f| write!(f, "{about}.labels")),
        problems,
    );
    let Some(annotations) = metadata["annotations"].as_object() else {
        return;
    };
    let about = lazy(|f| write!(f, "{about}.annotations"));
    let mut bytes = 0;
    for (key, value) in annotations {
        problems.check(ErrorKind::Name, &about, annotation_key(key));
        bytes += key.len() + text(value).len();
    }
    if bytes > ANNOTATIONS_MAX_BYTES {
        let message = format!(
            "{about}: the annotations hold {bytes} bytes, more than the {ANNOTATIONS_MAX_BYTES} Kubernetes allows on one object: shorten or remove some"
        );
        problems.push(ErrorKind::Invalid, at.clone(), message);
    }
}

/// Checks a map of labels (or of selector labels).
fn check_labels(labels: &Value, about: &dyn std::fmt::Display, problems: &mut Problems) {
    let Some(labels) = labels.as_object() else {
        return;
    };
    for (key, value) in labels {
        problems.check(ErrorKind::Name, about, label_key(key));
        let about = lazy(|f| write!(f, "{about} {}", quoted(key)));
        problems.check(ErrorKind::Name, about, label_value(text(value)));
    }
}

/// Checks every `matchLabels` anywhere in the object, and a Service's selector.
fn check_selectors(object: &Value, about: &dyn std::fmt::Display, problems: &mut Problems) {
    fn walk(value: &Value, about: &dyn std::fmt::Display, problems: &mut Problems) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if key == "matchLabels" {
                        let about = lazy(|f| write!(f, "{about}, matchLabels"));
                        check_labels(child, &about, problems);
                    }
                    walk(child, about, problems);
                }
            }
            Value::Array(list) => list.iter().for_each(|v| walk(v, about, problems)),
            _ => {}
        }
    }
    walk(&object["spec"], about, problems);
    if object["kind"] == "Service" {
        let about = lazy(|f| write!(f, "{about}, spec.selector"));
        check_labels(&object["spec"]["selector"], &about, problems);
    }
}

fn check_pod(
    pod: &Value,
    claims: &[Value],
    about: &dyn std::fmt::Display,
    problems: &mut Problems,
) {
    let mut volumes = BTreeSet::new();
    let claim_names = claims.iter().map(|c| &c["metadata"]["name"]);
    let volume_names = items(&pod["volumes"]).iter().map(|v| &v["name"]);
    for name in volume_names.chain(claim_names).map(text) {
        let where_ = lazy(|f| write!(f, "{about}, pod volume"));
        problems.check(ErrorKind::Name, &where_, dns1123_label(name));
        if !volumes.insert(name) {
            let message = format!("{where_} {}: two pod volumes have this name", quoted(name));
            problems.push(ErrorKind::Invalid, crate::DocPath::root(), message);
        }
    }
    for volume in items(&pod["volumes"]) {
        check_secret_names(volume, about, problems);
    }
    let mut containers = BTreeSet::new();
    let init = items(&pod["initContainers"]).iter();
    for container in init.chain(items(&pod["containers"])) {
        let name = text(&container["name"]);
        let where_ = lazy(|f| write!(f, "{about}, container {}", quoted(name)));
        problems.check(ErrorKind::Name, &where_, dns1123_label(name));
        if !containers.insert(name) {
            let message = format!("{where_}: two containers have this name");
            problems.push(ErrorKind::Invalid, crate::DocPath::root(), message);
        }
        check_container(container, &volumes, &where_, problems);
    }
}

fn check_container(
    container: &Value,
    volumes: &BTreeSet<&str>,
    about: &dyn std::fmt::Display,
    problems: &mut Problems,
) {
    for port in items(&container["ports"]) {
        if let Some(name) = port["name"].as_str() {
            problems.check(
                ErrorKind::Name,
                lazy(|f| write!(f, "{about}, port")),
                iana_svc_name(name),
            );
        }
    }
    for var in items(&container["env"]) {
        let name = text(&var["name"]);
        problems.check(
            ErrorKind::Name,
            lazy(|f| write!(f, "{about}, env")),
            env_var_name(name),
        );
        let secret = &var["valueFrom"]["secretKeyRef"]["name"];
        if let Some(secret) = secret.as_str() {
            let where_ = lazy(|f| write!(f, "{about}, env {}, secretKeyRef.name", quoted(name)));
            problems.check(ErrorKind::Name, where_, dns1123_subdomain(secret));
        }
    }
    let mut paths = BTreeSet::new();
    for mount in items(&container["volumeMounts"]) {
        let path = text(&mount["mountPath"]);
        if !paths.insert(path) {
            let message = format!(
                "{about}: two mounts at {}; Kubernetes allows one mount a path: move the files or the volume to another folder",
                quoted(path)
            );
            problems.push(ErrorKind::Invalid, crate::DocPath::root(), message);
        }
        let volume = text(&mount["name"]);
        if !volumes.contains(volume) {
            let message = format!("{about}: the mount at {} names no pod volume", quoted(path));
            problems.push(ErrorKind::Invalid, crate::DocPath::root(), message);
        }
    }
}

/// Checks the Secret names a pod volume refers to (`secret.secretName`, projected
/// `secret.name`).
fn check_secret_names(volume: &Value, about: &dyn std::fmt::Display, problems: &mut Problems) {
    let projected = items(&volume["projected"]["sources"])
        .iter()
        .map(|s| &s["secret"]["name"]);
    let direct = std::iter::once(&volume["secret"]["secretName"]);
    for name in direct.chain(projected).filter_map(Value::as_str) {
        let where_ = lazy(|f| {
            let volume = quoted(text(&volume["name"]));
            write!(f, "{about}, pod volume {volume}, Secret name")
        });
        problems.check(ErrorKind::Name, where_, dns1123_subdomain(name));
    }
}

fn check_service_ports(ports: &[Value], about: &dyn std::fmt::Display, problems: &mut Problems) {
    let mut seen = BTreeSet::new();
    for port in ports {
        let name = text(&port["name"]);
        problems.check(
            ErrorKind::Name,
            lazy(|f| write!(f, "{about}, port")),
            dns1123_label(name),
        );
        let key = (port["port"].as_u64(), text(&port["protocol"]));
        if !seen.insert(key) {
            let message = format!(
                "{about}, port {}: another port has the same number and protocol; each may appear once",
                quoted(name)
            );
            problems.push(ErrorKind::Invalid, crate::DocPath::root(), message);
        }
    }
}
