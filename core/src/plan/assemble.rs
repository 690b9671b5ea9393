//! Putting the objects of a plan out in apply order, one at a time: the namespace filled in,
//! duplicates dropped, names checked and no secret value outside a Secret's data. Nothing here
//! holds the whole plan, so rendering a large application streams.

use std::sync::Arc;

use serde_json::{Value, json};

use super::PlanOptions;
use crate::baseline::{Locks, Origin as LockOrigin};
use crate::canonical_json::canonical_json_digest;
use crate::load::WorkloadInput;
use crate::platform::Context;
use crate::render::input::Target;
use crate::render::k8s::environment_objects;
use crate::resolve::{ResolveInput, Resources, provision_all, workload_outlines};
use crate::secrets::{PublicWords, SecretGuard, SecretRegistry};
use crate::spec::platform::EnvironmentTypeSpec;
use crate::spec::score::Workload;
use crate::validate::names;
use crate::{Error, ErrorKind, Location, ResourceKey, Result};
pub(super) use ahead::Destination;
use ahead::Take;
use resources::emit_resources;
use waiting::{Keys, Waiting};
pub(super) use words::words_beside_graph;
use workloads::emit_workloads;

mod ahead;
mod resources;
mod scan;
mod waiting;
mod words;
mod workloads;

/// Where the objects go, as values alone.
pub(super) type Sink<'s> = dyn FnMut(Value) -> Result<()> + 's;

/// Resolves and renders the whole plan, handing each object to `sink` in apply order (with its
/// YAML document when `sink` asks for it to be written ahead):
/// Namespace and environment objects, resource manifests in graph order, then each workload's
/// objects by workload name. Returns the namespace and what is kept of the resources.
///
/// This is the secret boundary of a plan ([`crate::secrets`]): every secret is registered while
/// the resources are provisioned, one guard is built from them, and it checks the outputs of
/// every resource and every object before the sink sees it; every error is scrubbed by it.
///
/// `public` is [`words_beside_graph`] of the same inputs (made while the graph was built); the
/// graph's names are added while the resources are provisioned, so that the guard leaves out
/// the runs of every public name ([`public_words_of`] the plan's workloads).
pub(super) fn stream(
    input: &ResolveInput<'_>,
    env_type: Option<&EnvironmentTypeSpec>,
    options: &PlanOptions,
    mut public: PublicWords,
    sink: Destination<'_, '_>,
) -> Result<(Option<String>, Resources, Arc<SecretGuard>)> {
    let registry = Arc::new(SecretRegistry::default());
    // Nothing is registered before the graph's words are added: a guard made for an error
    // before then looks for nothing, whatever the words.
    stream_guarded(input, env_type, options, sink, &registry, &mut public).map_err(|error| {
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
    sink: Destination<'_, '_>,
    registry: &Arc<SecretRegistry>,
    public: &mut PublicWords,
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
    // Every secret must be known before the first object is checked: the resources are all
    // provisioned first (their manifests wait, encoded: see `waiting`, on the thread that
    // provisioned them), then the guard is built, once.
    let mut provisioned = Vec::with_capacity(input.graph.resource_count());
    let keys = Keys::default();
    let hold = |manifests: Vec<Value>| Ok(Waiting::hold(&manifests, &keys));
    // The graph's public words are made on another thread meanwhile: only the guard needs them.
    let (resources, ()) = crate::plan::parallel::beside(
        || {
            provision_all(input, registry, &hold, &mut |key, waiting| {
                provisioned.push((key.clone(), waiting));
                Ok(())
            })
        },
        || words::add_graph_words(public, input.graph),
    );
    let mut resources = resources?;
    let guard = Arc::new(registry.guard_with_public(public)?);
    check_outputs(&guard, &resources)?;
    let mut out = Output::new(input, namespace.as_deref(), &guard, env_type, sink)?;
    let mut spent = out.spending();
    for object in environment {
        spent.rendered += 1;
        out.emit(object, &Origin::Environment)?;
    }
    resources.environment = out.spent(spent);
    emit_resources(
        provisioned,
        &keys,
        (&resources.order, &mut resources.spent),
        &mut out,
    )?;
    emit_workloads(input, &resources, &target, &mut out)?;
    out.locks.finish()?;
    Ok((namespace, resources, guard))
}

/// Resolves and renders the workloads of `input` against `resources`, provisioned earlier by
/// [`stream`] for the same plan, and hands their objects to `sink` through the checks of
/// [`stream`] (`guard` is that plan's secret check, the locks are checked and finished over
/// these objects): the seam of [`crate::session`], which plans one edited workload again. The
/// caller decides what the objects replace.
pub(super) fn stream_workloads(
    input: &ResolveInput<'_>,
    resources: &Resources,
    guard: &SecretGuard,
    env_type: Option<&EnvironmentTypeSpec>,
    options: &PlanOptions,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let namespace = namespace(input.context, env_type, options)?;
    let target = Target {
        context: input.context,
        namespace: namespace.as_deref(),
        env_type,
    };
    let take = &mut |object, _: Option<&[u8]>| sink(object);
    let sink = Destination { yaml: false, take };
    let mut out = Output::new(input, namespace.as_deref(), guard, env_type, sink)?;
    emit_workloads(input, resources, &target, &mut out)
        .and_then(|()| out.locks.finish())
        .map_err(|error| guard.scrub(error))
}

/// Hands the manifests of resources provisioned for a plan (`parts`, each a resource's key
/// and manifests, in graph order) to `sink` through the checks of [`stream`] (`guard` is that
/// plan's secret check, the locks are checked and finished over these objects), and gives
/// what each part cost: the seam of [`crate::session`], which adds the resources an added
/// workload brings. The caller decides where the objects go.
pub(super) fn stream_resources(
    input: &ResolveInput<'_>,
    parts: Vec<(ResourceKey, Vec<Value>)>,
    guard: &SecretGuard,
    env_type: Option<&EnvironmentTypeSpec>,
    options: &PlanOptions,
    sink: &mut Sink<'_>,
) -> Result<Vec<crate::plan::ledger::Spent>> {
    let namespace = namespace(input.context, env_type, options)?;
    let take = &mut |object, _: Option<&[u8]>| sink(object);
    let sink = Destination { yaml: false, take };
    let mut out = Output::new(input, namespace.as_deref(), guard, env_type, sink)?;
    let mut spent = Vec::with_capacity(parts.len());
    let emit = || {
        for (key, manifests) in parts {
            spent.push(out.emit_resource(&key, manifests)?);
        }
        out.locks.finish()
    };
    emit().map_err(|error| guard.scrub(error))?;
    Ok(spent)
}

/// The names every plan of `input` with the workloads `workloads` shows anyway: the context,
/// the resource keys and workload names of the graph, the definition names, and the names of
/// containers, variables and files. Runs of secrets that are part of them are not looked for
/// ([`PublicWords`]). [`stream`] makes the same words in two parts ([`words`]).
pub(super) fn public_words_of<'w>(
    input: &ResolveInput<'_>,
    workloads: impl Iterator<Item = &'w WorkloadInput>,
) -> PublicWords {
    let texts = public_texts(input.context, input.graph, input.platform, workloads);
    PublicWords::new(texts.iter().map(String::as_str))
}

/// The names [`public_words_of`] takes its runs from.
pub(super) fn public_texts<'w>(
    context: &Context,
    graph: &crate::graph::ResourceGraph,
    platform: &crate::platform::Platform,
    workloads: impl Iterator<Item = &'w WorkloadInput>,
) -> Vec<String> {
    let mut texts = words::graph_texts(graph);
    texts.extend(words::texts_beside_graph(context, platform, workloads));
    texts
}

/// What [`public_words_of`] takes of one workload: the names of its resources, containers,
/// variables and files.
pub(super) fn workload_public_texts(w: &WorkloadInput) -> Vec<String> {
    let mut texts: Vec<String> = w.workload.resources.keys().cloned().collect();
    for (name, container) in &w.workload.containers {
        texts.push(name.clone());
        texts.extend(container.variables.keys().cloned());
        texts.extend(container.files.keys().cloned());
    }
    texts
}

/// Refuses non-secret outputs that show a secret or hold a control character: they reach
/// workloads, summaries, exports and terminals.
fn check_outputs(guard: &SecretGuard, resources: &Resources) -> Result<()> {
    check_outputs_of(guard, resources, &resources.order)
}

/// [`check_outputs`] of the resources `keys` alone.
pub(super) fn check_outputs_of(
    guard: &SecretGuard,
    resources: &Resources,
    keys: &[ResourceKey],
) -> Result<()> {
    // What names the outputs in messages is only made when there is a message to make.
    let error_of = |key: &ResourceKey| {
        let outputs = &resources.get(key)?.outputs;
        let what = || format!("the outputs of resource `{key}` (outputs are not secret)");
        let leak = match guard.check_outputs(outputs, "") {
            Ok(()) => None,
            Err(_) => guard.check_outputs(outputs, &what()).err(),
        };
        leak.or_else(|| {
            outputs.values().find_map(|value| {
                let clean = crate::validate::text::control_characters(value).is_empty();
                let what = || format!("an output of resource `{key}`");
                (!clean).then(|| check_text(value, &what()).err()).flatten()
            })
        })
    };
    // Each resource's on any thread, the errors in the order of `keys`.
    let errors = crate::plan::parallel::map_in_order(keys, error_of);
    Error::join(errors.into_iter().flatten()).map_or(Ok(()), Err)
}

/// Where an object comes from, as leak errors name it.
enum Origin<'a> {
    Environment,
    Resource(&'a ResourceKey, usize),
    /// A Secret that holds a workload's secret values.
    WorkloadSecret(&'a Workload),
    /// An object goldpath rendered for the workload.
    Workload(&'a Workload),
    /// The workload's primary object, patched by the named definition.
    Patched(&'a Workload, &'a str),
}

impl<'a> Origin<'a> {
    fn describe(&self, object: &str) -> String {
        match self {
            Self::Environment => format!("the environment object {object}"),
            Self::Resource(key, index) => {
                format!("manifest {index} of resource `{key}` ({object})")
            }
            Self::WorkloadSecret(w) | Self::Workload(w) => {
                format!("the {object} of workload `{}`", w.metadata.name)
            }
            Self::Patched(w, definition) => format!(
                "the {object} of workload `{}` as patched by resource definition `{definition}`",
                w.metadata.name
            ),
        }
    }

    /// How the plan's budget names an object of kind `kind` from here.
    fn budget_label(&self, kind: &str) -> String {
        match self {
            Self::Resource(key, _) => format!("a {kind} object of resource `{key}`"),
            _ => format!("a {kind} object"),
        }
    }

    /// `error` about an object from here, its messages prefixed with the resource whose
    /// manifest it is (a workload's errors are placed in its Score file by the resolver).
    fn name_in(&self, error: Error) -> Error {
        match self {
            Self::Resource(key, index) => {
                error.about(&format!("manifest {index} of resource `{key}`"))
            }
            Self::Patched(w, definition) => error.about(&format!(
                "workload `{}` as patched by resource definition `{definition}`",
                w.metadata.name
            )),
            _ => error,
        }
    }

    /// The origin as the locks see it: a workload's Secrets count as manifests.
    fn lock_origin(&self) -> LockOrigin<'a> {
        match *self {
            Self::Environment => LockOrigin::Environment,
            Self::Resource(..) | Self::WorkloadSecret(_) => LockOrigin::Manifest,
            Self::Workload(w) | Self::Patched(w, _) => LockOrigin::Workload(w),
        }
    }
}

/// The checks every object passes on its way out.
struct Output<'a, 's> {
    /// The plan's budgets: each object is checked and charged on its way out.
    meter: &'a crate::resolve::Meter,
    namespace: Option<&'a str>,
    /// A digest of each object put out, by identity ([`packed_identity`]: one allocation
    /// where the four strings took four), to drop exact duplicates. Hashed with foldhash
    /// (SipHash was about 1% of a render's CPU here): the identities come from the inputs, and
    /// its seed differs per map and per process (from address-space randomization), so an
    /// input cannot aim at its buckets.
    seen: std::collections::HashMap<Box<[u8]>, u64, foldhash::fast::RandomState>,
    /// The plan's secret check.
    guard: &'a SecretGuard,
    /// The environment type's locks, compared with every final object.
    locks: Locks<'a>,
    sink: &'a mut Take<'s>,
    /// Whether each object's YAML document is written ahead ([`ahead::written`]).
    yaml: bool,
    /// How many objects went to the sink.
    emitted: usize,
}

impl<'a, 's> Output<'a, 's> {
    /// The output step of a plan of `input`, in `namespace`, checked by `guard` and the
    /// environment type's locks, into `sink`.
    fn new(
        input: &ResolveInput<'a>,
        namespace: Option<&'a str>,
        guard: &'a SecretGuard,
        env_type: Option<&'a EnvironmentTypeSpec>,
        sink: Destination<'a, 's>,
    ) -> Result<Self> {
        Ok(Self {
            meter: input.meter,
            namespace,
            seen: Default::default(),
            guard,
            locks: Locks::new(input.context, env_type)?,
            sink: sink.take,
            yaml: sink.yaml,
            emitted: 0,
        })
    }

    /// Puts out the manifests of the resource `key`; gives what they cost.
    fn emit_resource(
        &mut self,
        key: &ResourceKey,
        manifests: Vec<Value>,
    ) -> Result<crate::plan::ledger::Spent> {
        let mut part = self.spending();
        for (index, object) in manifests.into_iter().enumerate() {
            part.rendered += 1;
            self.emit(object, &Origin::Resource(key, index))?;
        }
        Ok(self.spent(part))
    }

    /// Where counting what a part of the plan costs starts: the objects put out and the
    /// bytes charged so far (`rendered` is counted by the caller).
    fn spending(&self) -> crate::plan::ledger::Spent {
        crate::plan::ledger::Spent {
            rendered: 0,
            objects: self.emitted,
            charged: self.meter.produced(),
        }
    }

    /// What the part started at `start` cost.
    fn spent(&self, start: crate::plan::ledger::Spent) -> crate::plan::ledger::Spent {
        crate::plan::ledger::Spent {
            rendered: start.rendered,
            objects: self.emitted - start.objects,
            charged: self.meter.produced() - start.charged,
        }
    }

    fn emit(&mut self, object: Value, origin: &Origin<'_>) -> Result<()> {
        let checked = check(self.guard, self.namespace, object, origin)?;
        self.commit(checked, origin)
    }

    /// The checks of an object that depend on what went out before it (locks, the plan's
    /// budget, duplicates), then the sink: in plan order, on the plan's thread.
    fn commit(&mut self, checked: Checked, origin: &Origin<'_>) -> Result<()> {
        use std::collections::hash_map::Entry;
        let Checked {
            object,
            packed,
            bytes,
            digest,
            yaml,
        } = checked;
        self.locks
            .check(&object, origin.lock_origin())
            .map_err(|e| origin.name_in(e))?;
        // The identity's kind and name, for messages only.
        let part = |n: usize| identity_parts(&object)[n].to_owned();
        if self.meter.object(bytes, "").is_err() {
            self.meter.object(bytes, &origin.budget_label(&part(1)))?;
        }
        match self.seen.entry(packed) {
            // Shared infrastructure that several resources render alike appears once.
            Entry::Occupied(previous) if *previous.get() == digest => Ok(()),
            Entry::Occupied(_) => Err(invalid(format!(
                "two different {} objects are named `{}`: make the definitions that render them use different names",
                part(1),
                part(3)
            ))),
            Entry::Vacant(slot) => {
                slot.insert(digest);
                self.emitted += 1;
                (self.sink)(object, yaml.as_deref())
            }
        }
    }
}

/// An object that passed the checks of the output step that depend on it alone, with what the
/// other checks need: its identity (packed), its size as canonical JSON and a digest of that
/// JSON ([`canonical_json_digest`]).
struct Checked {
    object: Value,
    packed: Box<[u8]>,
    bytes: usize,
    digest: u64,
    /// Its YAML document, when written ahead ([`ahead::written`]).
    yaml: Option<Vec<u8>>,
}

/// The checks of the output step that depend on the object alone (any thread may make them):
/// no secret value, no control character, a resource manifest's namespace, the plan's
/// namespace filled in, a valid name.
fn check(
    guard: &SecretGuard,
    namespace: Option<&str>,
    mut object: Value,
    origin: &Origin<'_>,
) -> Result<Checked> {
    // Before anything that names the object: its name, kind or namespace may hold a
    // secret. The namespace a manifest asked for is checked after, on the object as given.
    // What names the object in messages is only made when there is a message to make.
    // One walk says whether either check finds anything ([`scan`]); the check that does
    // then runs for its error.
    let what = || origin.describe(&guard.describe(&object));
    let found = scan::scan(guard, &object);
    if found.secret {
        guard.check_object(&object, &what())?;
    }
    if found.control {
        check_text(&object, &what())?;
    }
    if let Origin::Resource(key, _) = origin {
        crate::patches::check_manifest_namespace(key, &object, namespace)
            .map_err(|e| origin.name_in(e))?;
    }
    if let Some(ns) = namespace {
        set_namespace(&mut object, ns);
    }
    check_name(&object)?;
    let packed = packed_identity(identity_parts(&object));
    let (bytes, digest) = canonical_json_digest(&object);
    Ok(Checked {
        bytes,
        digest,
        packed,
        object,
        yaml: None,
    })
}

/// An object's identity as the output step drops duplicates by it: apiVersion, kind,
/// namespace, name.
pub(crate) type Identity = (String, String, String, String);

/// The identity of `object` (an absent field is empty).
pub(crate) fn identity(object: &Value) -> Identity {
    let [api_version, kind, namespace, name] = identity_parts(object).map(str::to_owned);
    (api_version, kind, namespace, name)
}

/// The parts of the identity of `object`, borrowed: apiVersion, kind, namespace, name.
fn identity_parts(object: &Value) -> [&str; 4] {
    fn text(value: Option<&Value>) -> &str {
        value.and_then(Value::as_str).unwrap_or_default()
    }
    let metadata = object.get("metadata");
    [
        text(object.get("apiVersion")),
        text(object.get("kind")),
        text(metadata.and_then(|m| m.get("namespace"))),
        text(metadata.and_then(|m| m.get("name"))),
    ]
}

/// An identity's parts as one byte string, each part preceded by its length: two identities
/// give the same bytes exactly when they are equal.
fn packed_identity(parts: [&str; 4]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 2).sum());
    for part in parts {
        // The length as a variable-length integer: no length is the start of another.
        waiting::push_varint(&mut out, part.len() as u64);
        out.extend_from_slice(part.as_bytes());
    }
    out.into_boxed_slice()
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

/// The loader's control-character rule ([`crate::validate::text`]) on what drivers made: a
/// template's manifests or a host driver's answer reach manifests and terminals too.
fn check_text(value: &Value, what: &str) -> Result<()> {
    let findings = crate::validate::text::control_characters(value).into_vec();
    let errors = findings.into_iter().map(|f| {
        Error::new(
            f.kind,
            Location::default().with_path(f.path),
            format!(
                "{what}: {}; fix the definition or driver that makes it",
                f.message
            ),
        )
    });
    Error::join(errors).map_or(Ok(()), Err)
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

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Identity, identity, identity_parts, packed_identity};
    use serde_json::json;

    fn part() -> impl Strategy<Value = String> {
        prop_oneof!["[ab\\x00\\x01\\x80]{0,4}", ".{0,200}"]
    }

    fn id() -> impl Strategy<Value = Identity> {
        (part(), part(), part(), part())
    }

    fn packed(id: &Identity) -> Box<[u8]> {
        packed_identity([&id.0, &id.1, &id.2, &id.3].map(String::as_str))
    }

    #[test]
    fn identity_reads_the_four_fields_or_nothing() {
        let object = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "shop", "labels": {}}});
        assert_eq!(identity_parts(&object), ["v1", "Service", "shop", "web"]);
        let object = json!({"kind": 3, "metadata": ["name"]});
        assert_eq!(identity(&object), Default::default());
        assert_eq!(identity_parts(&json!(["metadata"])), ["", "", "", ""]);
    }

    proptest! {
        /// Two identities pack to the same bytes exactly when they are equal (the output step
        /// drops duplicates by the packed form).
        #[test]
        fn packing_is_exact(a in id(), b in id()) {
            prop_assert_eq!(packed(&a) == packed(&b), a == b);
            prop_assert_eq!(packed(&a.clone()), packed(&a));
            // The same text with a part boundary moved is another identity.
            if let Some(first) = a.1.chars().next() {
                let moved = (
                    format!("{}{first}", a.0),
                    a.1[first.len_utf8()..].to_owned(),
                    a.2.clone(),
                    a.3.clone(),
                );
                prop_assert_ne!(packed(&moved), packed(&a));
            }
        }
    }
}
