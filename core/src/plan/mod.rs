//! Planning: Score workloads plus a platform in, a resolved graph and deterministic Kubernetes
//! manifests out.
//!
//! ```
//! use goldpath::load::Loader;
//! use goldpath::plan::{Engine, PlanOptions};
//! use goldpath::platform::{Context, Platform};
//! use goldpath::resolve::WorkloadInput;
//!
//! let text = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx:1.27\n    variables: {REDIS: '${resources.cache.host}'}\nresources:\n  cache: {type: redis}\n";
//! let workload = Loader::default().score_str(text, None).unwrap();
//! let engine = Engine::new(Platform::default());
//! let context = Context::new("shop", "dev", "development");
//! let plan = engine.plan(&[WorkloadInput::new(workload)], &context, &PlanOptions::default()).unwrap();
//! assert!(plan.to_yaml().contains("kind: Deployment"));
//! assert_eq!(plan.to_yaml(), engine.plan(&[plan.workloads()[0].clone()], &context, &PlanOptions::default()).unwrap().to_yaml());
//! ```

mod assemble;
mod builder;
mod compact;
pub(crate) mod delta;
mod export;
pub(crate) mod ledger;
mod packed;
pub(crate) mod parallel;
pub(crate) mod segment;
mod threads;
mod workloads;

pub use builder::EngineBuilder;
pub use threads::on_every_thread;

pub(crate) use assemble::namespace;
pub(crate) use assemble::{Identity, identity};

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::drivers::{Driver, DriverRegistry, SecretSeed};
use crate::graph::{GraphInput, ResourceGraph};
use crate::matching::{self, Explanation, Request};
use crate::platform::{Context, Platform};
use crate::policy::{self, Violation};
use crate::resolve::{ResolveInput, WorkloadInput};
use crate::spec::score::Workload;
use crate::{Error, ErrorKind, Location, ResourceKey, Result};

/// Options of one plan, as `score-k8s generate` has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// The namespace of every namespaced object; overrides the environment type's pattern.
    pub namespace: Option<String>,
    /// Emit a Namespace object for the namespace even when the environment type does not ask.
    pub create_namespace: bool,
    /// The image of containers whose image is `.`.
    pub image: Option<String>,
}

/// The planning engine: a platform (with goldpath's built-in definitions beneath it), the
/// drivers, and the secret seed.
#[derive(Clone)]
pub struct Engine {
    platform: Arc<Platform>,
    drivers: DriverRegistry,
    seed: SecretSeed,
    limits: crate::load::Limits,
    effects: crate::drivers::Effects,
}

impl Engine {
    /// A builder: platform documents, built-ins, seed, limits and drivers in one place, what
    /// the command line and the bindings use.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// An engine over `platform` with the built-in default definitions beneath it (they rank
    /// below every definition of the platform) and the development secret seed.
    #[must_use]
    pub fn new(mut platform: Platform) -> Self {
        crate::builtins::add_to(&mut platform);
        Self::without_builtins(platform)
    }

    /// An engine over `platform` alone: the built-in definitions are switched off, except
    /// `builtin-workload`, which does nothing (every workload requests a `workload` resource).
    #[must_use]
    pub fn without_builtins(mut platform: Platform) -> Self {
        crate::builtins::add_implicit_to(&mut platform);
        Self {
            platform: Arc::new(platform),
            drivers: DriverRegistry::with_builtins(),
            seed: SecretSeed::development(),
            limits: crate::load::Limits::default(),
            effects: crate::drivers::Effects::default(),
        }
    }

    /// The same engine with the seed that generated secrets derive from.
    #[must_use]
    pub fn with_seed(mut self, seed: SecretSeed) -> Self {
        self.seed = seed;
        self
    }

    /// The same engine with other budgets for what a plan produces (`max_value_bytes`,
    /// `max_object_bytes`, `max_plan_bytes`, `max_containers`; see
    /// [`Limits`](crate::load::Limits)). The defaults apply otherwise.
    #[must_use]
    pub fn with_limits(mut self, limits: crate::load::Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The same engine with other [`Effects`](crate::drivers::Effects): whether its plans
    /// call the drivers that act on the world (`cmd`, `http`), and the environment's recorded
    /// driver results and states. By default they call none and know no record: a plan whose
    /// resources need one of them fails, saying so. [`crate::deploy::Deployer`] plans with
    /// [`Effects::recording`](crate::drivers::Effects::recording).
    #[must_use]
    pub fn with_effects(mut self, effects: crate::drivers::Effects) -> Self {
        self.effects = effects;
        self
    }

    /// The effects of this engine's plans ([`Engine::with_effects`]).
    #[must_use]
    pub fn effects(&self) -> &crate::drivers::Effects {
        &self.effects
    }

    /// The limits every plan of this engine is held to.
    #[must_use]
    pub fn limits(&self) -> &crate::load::Limits {
        &self.limits
    }

    /// Registers a host driver under `name` (replacing a built-in of that name).
    pub fn register_driver(&mut self, name: impl Into<String>, driver: Arc<dyn Driver>) {
        self.drivers.register(name, driver);
    }

    /// The drivers of this engine's plans.
    #[must_use]
    pub fn drivers(&self) -> &DriverRegistry {
        &self.drivers
    }

    /// The platform, built-ins included.
    #[must_use]
    pub fn platform(&self) -> &Platform {
        &self.platform
    }

    /// Plans `workloads` (one application) in `context`.
    ///
    /// # Errors
    /// An unknown environment type, a resource no definition matches, a cycle, a driver
    /// failure, a placeholder that does not resolve, or an object Kubernetes would refuse.
    pub fn plan(
        &self,
        workloads: &[WorkloadInput],
        context: &Context,
        options: &PlanOptions,
    ) -> Result<Plan> {
        let (mut plan, _) = self.plan_kept(workloads, context, options)?;
        plan.workloads = Arc::new(workloads::Workloads::from_flat(workloads.to_vec()));
        Ok(plan)
    }

    /// [`Engine::plan`], keeping `workloads` themselves in the plan instead of a copy, packed
    /// as compact JSON until [`Plan::workloads`] is first called: for a caller that has no
    /// use for them after planning (the Python and Node packages), about a seventh of the
    /// memory of one typed set of workloads instead of two typed sets at the end of the plan.
    /// The plan is the same as [`Engine::plan`]'s.
    ///
    /// # Errors
    /// As [`Engine::plan`].
    pub fn plan_owned(
        &self,
        workloads: Vec<WorkloadInput>,
        context: &Context,
        options: &PlanOptions,
    ) -> Result<Plan> {
        let (mut plan, _) = self.plan_kept(&workloads, context, options)?;
        plan.workloads = Arc::new(workloads::Workloads::owned(workloads));
        Ok(plan)
    }

    /// [`Engine::plan`], keeping what a session needs to plan one workload again (see
    /// [`segment`]); the plan holds no workloads (the caller gives them,
    /// `Plan::holding`).
    pub(crate) fn plan_kept(
        &self,
        workloads: &[WorkloadInput],
        context: &Context,
        options: &PlanOptions,
    ) -> Result<(Plan, segment::Kept)> {
        let mut manifests = compact::Manifests::default();
        let meter = crate::resolve::Meter::for_workloads(self.limits.clone(), workloads.len());
        let Streamed {
            graph,
            namespace,
            violations,
            secrets,
            resolved,
        } = self.stream(
            workloads,
            context,
            options,
            &meter,
            assemble::Destination {
                yaml: false,
                take: &mut |object, _| {
                    manifests.push(&object);
                    Ok(())
                },
            },
        )?;
        let resources = resolved
            .order
            .iter()
            .map(|key| self.planned_resource(&graph, &resolved, key))
            .collect();
        let kept = segment::Kept::new(resolved, &meter);
        let plan = Plan {
            platform: Arc::clone(&self.platform),
            context: context.clone(),
            namespace,
            graph: Arc::new(graph),
            resources: Arc::new(workloads::Shared::from_flat(resources)),
            manifests,
            warnings: self.warnings(),
            workloads: Arc::default(),
            violations,
            secrets,
        };
        Ok((plan, kept))
    }

    /// Plans and writes the manifests as YAML documents to `out` one object at a time, without
    /// holding the plan's objects: what `goldpath render` does. The output is the same as
    /// [`Plan::write_yaml`] of [`Engine::plan`]. On an error part of the output may have been
    /// written: write to a temporary file and rename it on success. Returns the plan's policy
    /// violations, as [`Plan::violations`] (the caller decides whether they block).
    ///
    /// # Errors
    /// As [`Engine::plan`], and the writer's errors as [`ErrorKind::Io`].
    pub fn write_yaml<W: Write + ?Sized>(
        &self,
        workloads: &[WorkloadInput],
        context: &Context,
        options: &PlanOptions,
        out: &mut W,
    ) -> Result<Vec<Violation>> {
        let meter = crate::resolve::Meter::for_workloads(self.limits.clone(), workloads.len());
        // Each object's YAML is written on the thread that checked it; this thread copies it
        // out, one whole document per write, whichever thread wrote it.
        let mut own = Vec::new();
        let take = &mut |object: Value, yaml: Option<&[u8]>| {
            let document = match yaml {
                Some(document) => Ok(document),
                None => {
                    own.clear();
                    crate::render::yaml::write_documents(&mut own, [&object]).map(|()| &own[..])
                }
            };
            document
                .and_then(|document| out.write_all(document))
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Io,
                        Location::default(),
                        format!("cannot write the manifests: {e}"),
                    )
                })
        };
        let sink = assemble::Destination { yaml: true, take };
        let streamed = self.stream(workloads, context, options, &meter, sink)?;
        let Streamed {
            violations,
            graph,
            resolved,
            ..
        } = streamed;
        // What the plan held is let go on another thread while the caller goes on.
        parallel::let_go((graph, resolved));
        Ok(violations)
    }

    /// Warnings every plan of this engine carries.
    #[must_use]
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.seed.is_development() {
            warnings.push(
                "generated secrets use the fixed development seed: give the engine a secret seed of its own for real environments"
                    .to_owned(),
            );
        }
        warnings
    }

    /// Builds the graph, then resolves and renders, handing each object to `sink` in order
    /// (with its YAML document when `sink` asks for it to be written ahead).
    fn stream(
        &self,
        workloads: &[WorkloadInput],
        context: &Context,
        options: &PlanOptions,
        meter: &crate::resolve::Meter,
        sink: assemble::Destination<'_, '_>,
    ) -> Result<Streamed> {
        let env_type = self.environment_type(context)?;
        let mut evaluator = policy::Evaluator::new(&self.platform, context, workloads);
        let take = sink.take;
        let take = &mut |object: Value, yaml: Option<&[u8]>| {
            evaluator.object(&object);
            take(object, yaml)
        };
        let sink = assemble::Destination {
            yaml: sink.yaml,
            take,
        };
        let specs: Vec<&Workload> = workloads.iter().map(|w| &w.workload).collect();
        // The public words that need no graph are made on another thread meanwhile.
        let (graph, public) = parallel::beside(
            || self.graph(&specs, context),
            || assemble::words_beside_graph(context, &self.platform, workloads),
        );
        let graph = graph?;
        drop(specs);
        let input = ResolveInput {
            meter,
            graph: &graph,
            platform: &self.platform,
            drivers: &self.drivers,
            seed: &self.seed,
            context,
            workloads,
            image: options.image.as_deref(),
            effects: &self.effects,
        };
        let (namespace, resolved, secrets) =
            assemble::stream(&input, env_type, options, public, sink)?;
        let violations = evaluator.finish();
        Ok(Streamed {
            graph,
            namespace,
            violations,
            secrets,
            resolved,
        })
    }

    /// The resource `key` of a plan, as [`Plan::resources`] shows it.
    fn planned_resource(
        &self,
        graph: &ResourceGraph,
        resolved: &crate::resolve::Resources,
        key: &ResourceKey,
    ) -> PlannedResource {
        let state = resolved.get(key);
        PlannedResource {
            key: key.to_string(),
            definition: graph
                .resource(key)
                .map(|r| self.platform.definitions()[r.definition].name.clone())
                .unwrap_or_default(),
            outputs: state.map(|s| s.outputs.clone()).unwrap_or_default(),
            secrets: state
                .map(|s| s.secrets.keys().cloned().collect())
                .unwrap_or_default(),
            driver: state.and_then(|s| s.driver.as_deref().cloned()),
        }
    }

    /// The resource graph of the workloads `specs` in `context`.
    fn graph(&self, specs: &[&Workload], context: &Context) -> Result<ResourceGraph> {
        let matcher = self.matcher(context);
        let input = GraphInput {
            workloads: specs,
            context,
            definitions: self.platform.definitions(),
            matcher: &matcher,
        };
        crate::graph::build(&input)
    }

    /// The definition each resource key matches in `context`, as the graph needs it.
    fn matcher<'a>(&'a self, context: &'a Context) -> impl Fn(&ResourceKey) -> Result<usize> + 'a {
        move |key: &ResourceKey| {
            let request = Request::new(
                key.resource_type(),
                key.class(),
                key.id().unwrap_or_default(),
                context,
            );
            matching::find(&self.platform, &request).map(|m| m.definition)
        }
    }

    fn environment_type(
        &self,
        context: &Context,
    ) -> Result<Option<&crate::spec::platform::EnvironmentTypeSpec>> {
        let types = self.platform.environment_types();
        if types.is_empty() {
            return Ok(None);
        }
        types.get(&context.env_type).map(Some).ok_or_else(|| {
            let known: Vec<&str> = types.keys().map(String::as_str).collect();
            Error::new(
                ErrorKind::Invalid,
                Location::default(),
                format!(
                    "unknown environment type `{}`; the platform defines: {}",
                    context.env_type,
                    known.join(", ")
                ),
            )
        })
    }
}

/// What streaming a plan leaves, besides the objects the sink got.
struct Streamed {
    graph: ResourceGraph,
    namespace: Option<String>,
    violations: Vec<Violation>,
    /// The plan's secret check.
    secrets: Arc<crate::secrets::SecretGuard>,
    /// The resources as workloads resolve against them (kept by sessions).
    resolved: crate::resolve::Resources,
}

/// A resource of a plan: its key, the definition chosen, and its non-secret outputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedResource {
    /// The canonical key.
    pub key: String,
    /// The name of the definition that matched.
    pub definition: String,
    /// The non-secret outputs.
    pub outputs: Map<String, Value>,
    /// The names of the secret outputs (never their values).
    pub secrets: Vec<String>,
    /// For a resource of a driver that acts on the world (`cmd`, `http`), what the deployment
    /// record keeps of it: its state, outputs and secret references.
    #[serde(skip)]
    pub driver: Option<crate::drivers::DriverRecord>,
}

/// A plan: the graph, the resources and the manifests of one application in one context.
/// Cloning it shares what it is made of (the graph, the resources, the workloads and each
/// manifest are held behind `Arc`s), so a session can hand its plan out and change its own
/// copy without copying the rest.
#[derive(Clone)]
pub struct Plan {
    platform: Arc<Platform>,
    context: Context,
    namespace: Option<String>,
    graph: Arc<ResourceGraph>,
    resources: Arc<workloads::Shared<PlannedResource>>,
    /// Compact JSON, decoded on the first call of [`Plan::manifests`].
    manifests: compact::Manifests,
    warnings: Vec<String>,
    workloads: Arc<workloads::Workloads>,
    violations: Vec<Violation>,
    secrets: Arc<crate::secrets::SecretGuard>,
}

impl Plan {
    /// The context planned for.
    #[must_use]
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The platform the plan was made with.
    pub(crate) fn platform(&self) -> &Platform {
        &self.platform
    }

    /// The namespace of the objects, if any.
    #[must_use]
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The resource graph.
    #[must_use]
    pub fn graph(&self) -> &ResourceGraph {
        &self.graph
    }

    /// The resources in resolution order.
    #[must_use]
    pub fn resources(&self) -> &[PlannedResource] {
        self.resources.flat()
    }

    /// The manifests in apply order: Namespace, environment objects, resource manifests in
    /// graph order, then workloads by name.
    #[must_use]
    pub fn manifests(&self) -> &[Value] {
        self.manifests.values()
    }

    /// How many manifests the plan has (without decoding them).
    #[must_use]
    pub fn manifest_count(&self) -> usize {
        self.manifests.len()
    }

    /// Warnings about the plan (the development seed, ...).
    #[must_use]
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The violations of the policies attached to the environment type, and the workload
    /// overrides its locks refused (see [`crate::policy`]).
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The violations that block deploy (severity `error`).
    pub fn blocking_violations(&self) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(|v| v.is_blocking())
    }

    /// `Ok(())` unless a violation blocks deploy; see [`policy::refuse`].
    ///
    /// # Errors
    /// An [`ErrorKind::Policy`] error with one diagnostic per blocking violation.
    pub fn check_policies(&self) -> Result<()> {
        policy::refuse(&self.violations)
    }

    /// The plan's secret check ([`crate::secrets`]): records and other outputs made from the
    /// plan are checked with it.
    #[must_use]
    pub fn secret_guard(&self) -> &crate::secrets::SecretGuard {
        &self.secrets
    }

    /// The workloads the plan was made from.
    #[must_use]
    pub fn workloads(&self) -> &[WorkloadInput] {
        self.workloads.flat()
    }

    /// The workloads the plan was made from, each behind an `Arc` (what sessions share
    /// between their plans).
    pub(crate) fn shared_workloads(&self) -> &[Arc<WorkloadInput>] {
        self.workloads.shared()
    }

    /// How many workloads the plan was made from.
    #[must_use]
    pub fn workload_count(&self) -> usize {
        self.workloads.len()
    }

    /// The manifests as a stream of YAML documents, in a string sized once (room for the
    /// text is taken up front and what is left over given back).
    #[must_use]
    pub fn to_yaml(&self) -> String {
        let mut out = Vec::with_capacity(self.manifests.yaml_size_hint());
        let _ = self.write_yaml(&mut out);
        out.shrink_to_fit();
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes the manifests as YAML documents, without building the whole text first.
    ///
    /// # Errors
    /// The writer's errors.
    pub fn write_yaml<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        self.manifests.write_yaml(out)
    }

    /// The manifests as a JSON array.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self.manifests()).unwrap_or_default()
    }

    /// Why the resource `key` got its definition: the winner, the criterion that fired and
    /// every other candidate with its reason.
    ///
    /// # Errors
    /// A key that does not parse or is not a resource of this plan.
    pub fn explain(&self, key: &str) -> Result<Explanation> {
        let parsed: ResourceKey = key.parse()?;
        if self.graph.resource(&parsed).is_none() {
            let known: Vec<&str> = self.resources().iter().map(|r| r.key.as_str()).collect();
            return Err(Error::new(
                ErrorKind::Invalid,
                Location::default(),
                format!(
                    "`{key}` is not a resource of this plan; resources: {}",
                    known.join(", ")
                ),
            ));
        }
        let request = Request::new(
            parsed.resource_type(),
            parsed.class(),
            parsed.id().unwrap_or_default(),
            &self.context,
        );
        matching::explain(&self.platform, &request)
    }

    /// The graph in Graphviz DOT.
    #[must_use]
    pub fn to_dot(&self) -> String {
        export::dot(&self.graph)
    }

    /// The graph as a Mermaid flowchart.
    #[must_use]
    pub fn to_mermaid(&self) -> String {
        export::mermaid(&self.graph)
    }

    /// The graph as JSON: nodes, edges and order.
    #[must_use]
    pub fn graph_json(&self) -> Value {
        export::json(&self.graph, self.resources())
    }
}
