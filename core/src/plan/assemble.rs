//! Putting the manifests of a plan together: order, namespace, duplicates, and the last checks
//! (names Kubernetes accepts, no secret value outside a Secret).

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::PlanOptions;
use crate::placeholder::{self, lookup};
use crate::platform::Context;
use crate::render::input::{ResolvedWorkload, Target};
use crate::render::k8s::{environment_objects, workload_objects};
use crate::resolve::Resolution;
use crate::sensitive::Sensitive;
use crate::spec::platform::EnvironmentTypeSpec;
use crate::validate::names;
use crate::{Error, ErrorKind, Location, Result};

/// The manifests of a plan, in apply order, and its namespace.
pub(super) struct Assembled {
    pub namespace: Option<String>,
    pub manifests: Vec<Value>,
}

/// Kinds that live outside namespaces (the common ones; others are assumed namespaced).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "IngressClass",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
];

pub(super) fn assemble(
    resolution: Resolution,
    context: &Context,
    env_type: Option<&EnvironmentTypeSpec>,
    options: &PlanOptions,
) -> Result<Assembled> {
    let namespace = namespace(context, env_type, options)?;
    let target = Target {
        context,
        namespace: namespace.as_deref(),
        env_type,
    };
    let Resolution {
        resources,
        mut workloads,
        sensitive,
    } = resolution;
    workloads.sort_by(|a, b| a.0.workload.metadata.name.cmp(&b.0.workload.metadata.name));
    let (resolved, file_secrets): (Vec<ResolvedWorkload>, Vec<Vec<Value>>) =
        workloads.into_iter().unzip();

    let mut manifests = environment_objects(&resolved, &target)?;
    if let (true, Some(ns)) = (options.create_namespace, &namespace)
        && !manifests.iter().any(|m| m["kind"] == "Namespace")
    {
        manifests.insert(
            0,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        );
    }
    for (_, state) in resources {
        manifests.extend(state.manifests);
    }
    for (workload, secrets) in resolved.iter().zip(file_secrets) {
        manifests.extend(secrets);
        manifests.extend(workload_objects(workload, &target)?);
    }
    if let Some(ns) = &namespace {
        set_namespace(&mut manifests, ns);
    }
    let manifests = deduplicate(manifests);
    check_names(&manifests)?;
    check_no_secret_values(&manifests, &sensitive)?;
    Ok(Assembled {
        namespace,
        manifests,
    })
}

/// `--namespace`, else the environment type's pattern with the context filled in.
fn namespace(
    context: &Context,
    env_type: Option<&EnvironmentTypeSpec>,
    options: &PlanOptions,
) -> Result<Option<String>> {
    let name = match (&options.namespace, env_type) {
        (Some(ns), _) => ns.clone(),
        (None, Some(t)) => {
            let tree = json!({"context": {"app": {"id": context.app}, "env": {"id": context.env, "type": context.env_type}}});
            let template = placeholder::parse(&t.namespace)
                .map_err(|e| invalid(format!("namespace pattern: {}", e.message)))?;
            let resolver = |r: &placeholder::Reference| lookup(&tree, r.segments()).cloned();
            let value = placeholder::substitute(&template, &resolver).map_err(|e| {
                invalid(format!("namespace pattern `{}`: {}", t.namespace, e.reason))
            })?;
            value.as_str().unwrap_or_default().to_owned()
        }
        (None, None) => return Ok(None),
    };
    names::dns1123_label(&name).map_err(|e| invalid(format!("namespace: {e}")))?;
    Ok(Some(name))
}

fn set_namespace(manifests: &mut [Value], namespace: &str) {
    for manifest in manifests {
        let kind = manifest["kind"].as_str().unwrap_or_default();
        if CLUSTER_SCOPED.contains(&kind) {
            continue;
        }
        if let Some(metadata) = manifest.get_mut("metadata").and_then(Value::as_object_mut) {
            metadata
                .entry("namespace")
                .or_insert_with(|| Value::from(namespace));
        }
    }
}

/// One object per apiVersion, kind, namespace and name: a later one replaces an earlier one in
/// its place (shared infrastructure rendered by several resources appears once).
fn deduplicate(manifests: Vec<Value>) -> Vec<Value> {
    let mut position: HashMap<(String, String, String, String), usize> = HashMap::new();
    let mut out: Vec<Value> = Vec::with_capacity(manifests.len());
    for manifest in manifests {
        let field = |p: &str| {
            manifest
                .pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let id = (
            field("/apiVersion"),
            field("/kind"),
            field("/metadata/namespace"),
            field("/metadata/name"),
        );
        match position.get(&id) {
            Some(&at) => out[at] = manifest,
            None => {
                position.insert(id, out.len());
                out.push(manifest);
            }
        }
    }
    out
}

/// Every object has an apiVersion, a kind and a name Kubernetes accepts.
fn check_names(manifests: &[Value]) -> Result<()> {
    let errors = manifests.iter().filter_map(|m| {
        let kind = m.get("kind").and_then(Value::as_str);
        let name = m.pointer("/metadata/name").and_then(Value::as_str);
        let problem = match (m.get("apiVersion").and_then(Value::as_str), kind, name) {
            (Some(_), Some(_), Some(name)) => names::dns1123_subdomain(name).err(),
            _ => Some("every object needs `apiVersion`, `kind` and `metadata.name`".to_owned()),
        };
        problem.map(|p| {
            invalid(format!(
                "{} `{}`: {p}",
                kind.unwrap_or("object"),
                name.unwrap_or("(unnamed)")
            ))
        })
    });
    Error::join(errors).map_or(Ok(()), Err)
}

/// No sensitive value may be a string of an object other than a Secret's data. Secrets reach
/// rendering only as references, so this is a last guard against a definition that copies a
/// secret into plain fields.
fn check_no_secret_values(manifests: &[Value], sensitive: &[Sensitive<String>]) -> Result<()> {
    let sensitive: HashSet<&str> = sensitive
        .iter()
        .map(|s| s.expose().as_str())
        .filter(|s| s.len() >= 4)
        .collect();
    if sensitive.is_empty() {
        return Ok(());
    }
    for manifest in manifests {
        let is_secret = manifest["kind"] == "Secret";
        let mut stack = vec![(manifest, false)];
        while let Some((value, in_data)) = stack.pop() {
            match value {
                Value::String(s) if !in_data && sensitive.contains(s.as_str()) => {
                    let kind = manifest["kind"].as_str().unwrap_or("object");
                    let name = manifest
                        .pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or("(unnamed)");
                    return Err(Error::new(
                        ErrorKind::Driver,
                        Location::default(),
                        format!(
                            "{kind} `{name}` contains a secret value outside a Secret's data: reference the secret instead"
                        ),
                    ));
                }
                Value::Array(items) => stack.extend(items.iter().map(|i| (i, in_data))),
                Value::Object(map) => stack.extend(map.iter().map(|(k, v)| {
                    (
                        v,
                        in_data || (is_secret && (k == "data" || k == "stringData")),
                    )
                })),
                _ => {}
            }
        }
    }
    Ok(())
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}
