//! Putting the objects of a plan out in apply order, one at a time: the namespace filled in,
//! duplicates dropped, names checked and no secret value outside a Secret's data. Nothing here
//! holds the whole plan, so rendering a large application streams.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::PlanOptions;
use crate::baseline::{Locks, Origin};
use crate::placeholder::canonical_json;
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
        meter: input.meter,
        namespace: namespace.as_deref(),
        seen: HashMap::new(),
        needles: HashSet::new(),
        known: 0,
        locks: Locks::new(input.context, env_type)?,
        sink,
    };

    let needs_outlines = env_type.is_some_and(|t| t.network_policy);
    let outlines = if needs_outlines {
        workload_outlines(input)
    } else {
        Vec::new()
    };
    // `create_namespace` renders the type's own Namespace (labels, Pod Security level).
    let forced = env_type
        .filter(|t| options.create_namespace && !t.create_namespace)
        .map(|t| EnvironmentTypeSpec {
            create_namespace: true,
            ..t.clone()
        });
    let env_target = Target {
        env_type: forced.as_ref().or(env_type),
        ..target
    };
    let mut environment = environment_objects(&outlines, &env_target)?;
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
        out.emit(object, &[], Origin::Environment)?;
    }
    let resources = provision_all(input, &mut |manifests, sensitive| {
        manifests
            .into_iter()
            .try_for_each(|m| out.emit(m, sensitive, Origin::Manifest))
    })?;
    resolve_workloads(input, &resources, &mut |workload, secrets| {
        for secret in secrets {
            out.emit(secret, resources.sensitive(), Origin::Manifest)?;
        }
        for object in workload_objects(&workload, &target)? {
            let origin = Origin::Workload(&workload.workload);
            out.emit(object, resources.sensitive(), origin)?;
        }
        Ok(())
    })?;
    out.locks.finish()?;
    Ok((namespace, resources))
}

/// The checks every object passes on its way out.
struct Output<'a, 's> {
    /// The plan's budgets: each object is checked and charged on its way out.
    meter: &'a crate::resolve::Meter,
    namespace: Option<&'a str>,
    /// A digest of each object put out, by identity, to drop exact duplicates.
    seen: HashMap<(String, String, String, String), u64>,
    /// The secret values met so far (four characters or more), and how many were looked at.
    needles: HashSet<String>,
    known: usize,
    /// The environment type's locks, compared with every final object.
    locks: Locks<'a>,
    sink: &'a mut Sink<'s>,
}

impl Output<'_, '_> {
    fn emit(
        &mut self,
        mut object: Value,
        sensitive: &[Sensitive<String>],
        origin: Origin<'_>,
    ) -> Result<()> {
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
        self.locks.check(&object, origin)?;
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
        let text = canonical_json(&object);
        self.meter
            .object(text.len(), &format!("a {} object", id.1))?;
        let digest = fnv1a64(text.as_bytes());
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
        (None, Some(t)) => crate::baseline::namespace(context, t)?,
        (None, None) => return Ok(None),
    };
    names::dns1123_label(&name).map_err(|e| invalid(format!("namespace: {e}")))?;
    Ok(Some(name))
}

fn set_namespace(object: &mut Value, namespace: &str) {
    let kind = object["kind"].as_str().unwrap_or_default();
    if crate::render::scope::is_cluster_scoped(kind) {
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
        (Some(_), Some(kind), Some(name)) => names::object_kind(kind)
            .and_then(|()| names::dns1123_subdomain(name))
            .err(),
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
