//! Putting the objects of a plan out in apply order, one at a time: the namespace filled in,
//! duplicates dropped, names checked and no secret value outside a Secret's data. Nothing here
//! holds the whole plan, so rendering a large application streams.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::PlanOptions;
use crate::placeholder::{self, canonical_json, lookup};
use crate::platform::Context;
use crate::render::input::Target;
use crate::render::k8s::{environment_objects, workload_objects};
use crate::resolve::{
    ResolveInput, Resources, provision_all, resolve_workloads, workload_outlines,
};
use crate::sensitive::Sensitive;
use crate::spec::platform::EnvironmentTypeSpec;
use crate::validate::names::{self, fnv1a64};
use crate::{Error, ErrorKind, Location, Result};

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

/// Where the objects go.
pub(super) type Sink<'s> = dyn FnMut(Value) -> Result<()> + 's;

/// Resolves and renders the whole plan, handing each object to `sink` in apply order:
/// Namespace and environment objects, resource manifests in graph order, then each workload's
/// objects by workload name. Returns the namespace and what is kept of the resources.
pub(super) fn stream(
    input: &ResolveInput<'_>,
    env_type: Option<&EnvironmentTypeSpec>,
    options: &PlanOptions,
    sink: &mut Sink<'_>,
) -> Result<(Option<String>, Resources)> {
    let namespace = namespace(input.context, env_type, options)?;
    let target = Target {
        context: input.context,
        namespace: namespace.as_deref(),
        env_type,
    };
    let mut out = Output {
        namespace: namespace.as_deref(),
        seen: HashMap::new(),
        needles: HashSet::new(),
        known: 0,
        sink,
    };

    let needs_outlines = env_type.is_some_and(|t| t.network_policy);
    let outlines = if needs_outlines {
        workload_outlines(input)
    } else {
        Vec::new()
    };
    let mut environment = environment_objects(&outlines, &target)?;
    drop(outlines);
    if let (true, Some(ns)) = (options.create_namespace, &namespace)
        && !environment.iter().any(|m| m["kind"] == "Namespace")
    {
        environment.insert(
            0,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        );
    }
    for object in environment {
        out.emit(object, &[])?;
    }
    let resources = provision_all(input, &mut |manifests, sensitive| {
        manifests
            .into_iter()
            .try_for_each(|m| out.emit(m, sensitive))
    })?;
    resolve_workloads(input, &resources, &mut |workload, secrets| {
        for secret in secrets {
            out.emit(secret, resources.sensitive())?;
        }
        for object in workload_objects(&workload, &target)? {
            out.emit(object, resources.sensitive())?;
        }
        Ok(())
    })?;
    Ok((namespace, resources))
}

/// The checks every object passes on its way out.
struct Output<'a, 's> {
    namespace: Option<&'a str>,
    /// A digest of each object put out, by identity, to drop exact duplicates.
    seen: HashMap<(String, String, String, String), u64>,
    /// The secret values met so far (four characters or more), and how many were looked at.
    needles: HashSet<String>,
    known: usize,
    sink: &'a mut Sink<'s>,
}

impl Output<'_, '_> {
    fn emit(&mut self, mut object: Value, sensitive: &[Sensitive<String>]) -> Result<()> {
        if let Some(ns) = self.namespace {
            set_namespace(&mut object, ns);
        }
        check_name(&object)?;
        for new in sensitive.iter().skip(self.known) {
            if new.expose().len() >= 4 {
                self.needles.insert(new.expose().clone());
            }
        }
        self.known = self.known.max(sensitive.len());
        check_no_secret_values(&object, &self.needles)?;
        let field = |p: &str| {
            object
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
        let digest = fnv1a64(canonical_json(&object).as_bytes());
        match self.seen.get(&id) {
            // Shared infrastructure that several resources render alike appears once.
            Some(&previous) if previous == digest => Ok(()),
            Some(_) => Err(invalid(format!(
                "two different {} objects are named `{}`: make the definitions that render them use different names",
                id.1, id.3
            ))),
            None => {
                self.seen.insert(id, digest);
                (self.sink)(object)
            }
        }
    }
}

/// `--namespace`, else the environment type's pattern with the context filled in.
pub(crate) fn namespace(
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

fn set_namespace(object: &mut Value, namespace: &str) {
    let kind = object["kind"].as_str().unwrap_or_default();
    if CLUSTER_SCOPED.contains(&kind) {
        return;
    }
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata
            .entry("namespace")
            .or_insert_with(|| Value::from(namespace));
    }
}

/// An object has an apiVersion, a kind and a name Kubernetes accepts.
fn check_name(object: &Value) -> Result<()> {
    let kind = object.get("kind").and_then(Value::as_str);
    let name = object.pointer("/metadata/name").and_then(Value::as_str);
    let problem = match (object.get("apiVersion").and_then(Value::as_str), kind, name) {
        (Some(_), Some(_), Some(name)) => names::dns1123_subdomain(name).err(),
        _ => Some("every object needs `apiVersion`, `kind` and `metadata.name`".to_owned()),
    };
    match problem {
        Some(p) => Err(invalid(format!(
            "{} `{}`: {p}",
            kind.unwrap_or("object"),
            name.unwrap_or("(unnamed)")
        ))),
        None => Ok(()),
    }
}

/// No sensitive value may be a string of an object other than a Secret's data. Secrets reach
/// rendering only as references, so this is a last guard against a definition that copies a
/// secret into plain fields.
fn check_no_secret_values(object: &Value, needles: &HashSet<String>) -> Result<()> {
    if needles.is_empty() {
        return Ok(());
    }
    let is_secret = object["kind"] == "Secret";
    let mut stack = vec![(object, false)];
    while let Some((value, in_data)) = stack.pop() {
        match value {
            Value::String(s) if !in_data && needles.contains(s) => {
                let kind = object["kind"].as_str().unwrap_or("object");
                let name = object
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
    Ok(())
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}
