//! Putting the objects of a plan out in apply order, one at a time: the namespace filled in,
//! duplicates dropped, names checked and no secret value outside a Secret's data. Nothing here
//! holds the whole plan, so rendering a large application streams.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};

use super::PlanOptions;
use crate::placeholder::{self, canonical_json, lookup};
use crate::platform::Context;
use crate::render::input::Target;
use crate::render::k8s::{environment_objects, workload_objects};
use crate::resolve::{
    ResolveInput, Resources, provision_all, resolve_workloads, workload_outlines,
};
use crate::secrets::{PublicWords, SecretGuard, SecretRegistry};
use crate::spec::platform::EnvironmentTypeSpec;
use crate::validate::names::{self, fnv1a64};
use crate::{Error, ErrorKind, Location, ResourceKey, Result};

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
///
/// This is the secret boundary of a plan ([`crate::secrets`]): every secret is registered while
/// the resources are provisioned, one guard is built from them, and it checks the outputs of
/// every resource and every object before the sink sees it; every error is scrubbed by it.
pub(super) fn stream(
    input: &ResolveInput<'_>,
    env_type: Option<&EnvironmentTypeSpec>,
    options: &PlanOptions,
    sink: &mut Sink<'_>,
) -> Result<(Option<String>, Resources, Arc<SecretGuard>)> {
    let registry = Arc::new(SecretRegistry::default());
    let public = public_words(input);
    stream_guarded(input, env_type, options, sink, &registry, &public).map_err(|error| {
        match registry.guard_with_public(&public) {
            Ok(guard) => guard.scrub(error),
            Err(cannot) => cannot,
        }
    })
}

fn stream_guarded(
    input: &ResolveInput<'_>,
    env_type: Option<&EnvironmentTypeSpec>,
    options: &PlanOptions,
    sink: &mut Sink<'_>,
    registry: &Arc<SecretRegistry>,
    public: &PublicWords,
) -> Result<(Option<String>, Resources, Arc<SecretGuard>)> {
    let namespace = namespace(input.context, env_type, options)?;
    let target = Target {
        context: input.context,
        namespace: namespace.as_deref(),
        env_type,
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
    // Every secret must be known before the first object is checked: the resources are all
    // provisioned first (their manifests wait, as compact JSON: a tenth of the memory of
    // values), then the guard is built, once.
    let mut provisioned = Vec::new();
    let resources = provision_all(input, registry, &mut |key, manifests| {
        provisioned.push((key.clone(), Waiting::hold(&manifests)?));
        Ok(())
    })?;
    let guard = Arc::new(registry.guard_with_public(public)?);
    check_outputs(&guard, &resources)?;
    let mut out = Output {
        namespace: namespace.as_deref(),
        seen: HashMap::new(),
        guard: &guard,
        sink,
    };
    for object in environment {
        out.emit(object, &Origin::Environment)?;
    }
    for (key, manifests) in provisioned {
        for (index, object) in manifests.release()?.into_iter().enumerate() {
            out.emit(object, &Origin::Resource(&key, index))?;
        }
    }
    resolve_workloads(input, &resources, &mut |workload, secrets| {
        let name = workload.workload.metadata.name.clone();
        for secret in secrets {
            out.emit(secret, &Origin::Workload(&name))?;
        }
        for object in workload_objects(&workload, &target)? {
            out.emit(object, &Origin::Workload(&name))?;
        }
        Ok(())
    })?;
    Ok((namespace, resources, guard))
}

/// The names every plan of these inputs shows anyway: the context, the resource keys and
/// workload names of the graph, the definition names, and the names of containers, variables
/// and files. Runs of secrets that are part of them are not looked for ([`PublicWords`]).
fn public_words(input: &ResolveInput<'_>) -> PublicWords {
    let context = input.context;
    let mut texts = vec![
        context.app.clone(),
        context.env.clone(),
        context.env_type.clone(),
    ];
    texts.extend(input.graph.ordered().map(|node| node.name().to_string()));
    texts.extend(input.platform.definitions().iter().map(|d| d.name.clone()));
    for w in input.workloads {
        texts.extend(w.workload.resources.keys().cloned());
        for (name, container) in &w.workload.containers {
            texts.push(name.clone());
            texts.extend(container.variables.keys().cloned());
            texts.extend(container.files.keys().cloned());
        }
    }
    PublicWords::new(texts.iter().map(String::as_str))
}

/// Refuses non-secret outputs that show a secret: they reach workloads, summaries and exports.
fn check_outputs(guard: &SecretGuard, resources: &Resources) -> Result<()> {
    let errors = resources.order.iter().filter_map(|key| {
        let outputs = &resources.get(key)?.outputs;
        let what = format!("the outputs of resource `{key}` (outputs are not secret)");
        guard.check_outputs(outputs, &what).err()
    });
    Error::join(errors).map_or(Ok(()), Err)
}

/// The manifests of a resource while the plan's other resources are provisioned.
struct Waiting(Vec<u8>);

impl Waiting {
    fn hold(manifests: &[Value]) -> Result<Self> {
        serde_json::to_vec(manifests).map(Self).map_err(held)
    }

    fn release(self) -> Result<Vec<Value>> {
        serde_json::from_slice(&self.0).map_err(held)
    }
}

fn held(error: serde_json::Error) -> Error {
    invalid(format!(
        "a resource manifest cannot be held as JSON: {error}"
    ))
}

/// Where an object comes from, as leak errors name it.
enum Origin<'a> {
    Environment,
    Resource(&'a ResourceKey, usize),
    Workload(&'a str),
}

impl Origin<'_> {
    fn describe(&self, object: &str) -> String {
        match self {
            Self::Environment => format!("the environment object {object}"),
            Self::Resource(key, index) => {
                format!("manifest {index} of resource `{key}` ({object})")
            }
            Self::Workload(name) => format!("the {object} of workload `{name}`"),
        }
    }
}

/// The checks every object passes on its way out.
struct Output<'a, 's> {
    namespace: Option<&'a str>,
    /// A digest of each object put out, by identity, to drop exact duplicates.
    seen: HashMap<(String, String, String, String), u64>,
    /// The plan's secret check.
    guard: &'a SecretGuard,
    sink: &'a mut Sink<'s>,
}

impl Output<'_, '_> {
    fn emit(&mut self, mut object: Value, origin: &Origin<'_>) -> Result<()> {
        if let Some(ns) = self.namespace {
            set_namespace(&mut object, ns);
        }
        // Before anything that names the object: its name may hold a secret.
        let what = origin.describe(&self.guard.describe(&object));
        self.guard.check_object(&object, &what)?;
        check_name(&object)?;
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

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}
