//! The inputs shared by `render`, `graph` and `explain`: Score files, the platform, the
//! context, overrides and the secret seed, turned into an engine and a plan.

use std::path::{Path, PathBuf};

use goldpath::load::{Loader, Overrides, Source};
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::Context;
use goldpath::resolve::WorkloadInput;
use goldpath::{Error, ErrorKind, Location, Result};

use crate::terminal::{escaped, escaped_lines};

/// Arguments that say what to plan: Score files and [`PlanFlags`].
#[derive(Debug, Clone, clap::Args)]
pub struct PlanArgs {
    /// Score files, or folders of them (default: score.yaml).
    #[arg(value_name = "SCORE_FILE")]
    pub score_files: Vec<PathBuf>,
    /// Everything else.
    #[command(flatten)]
    pub flags: PlanFlags,
}

impl std::ops::Deref for PlanArgs {
    type Target = PlanFlags;

    fn deref(&self) -> &PlanFlags {
        &self.flags
    }
}

/// The flags of a plan, for commands whose positional arguments are not Score files.
#[derive(Debug, Clone, clap::Args)]
pub struct PlanFlags {
    /// The platform, the built-ins and the secret seed.
    #[command(flatten)]
    pub engine: EngineArgs,
    /// The application id.
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub app: String,
    /// The environment id (default: the environment type).
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// The environment type (default: development).
    #[arg(long, default_value = "development", value_name = "NAME")]
    pub env_type: String,
    /// The image of containers whose image is `.` (one Score file only).
    #[arg(long, short = 'i', value_name = "IMAGE")]
    pub image: Option<String>,
    /// A YAML file deep-merged into the Score file (one Score file only).
    #[arg(long, alias = "overrides-file", value_name = "FILE")]
    pub override_file: Option<PathBuf>,
    /// PATH=VALUE set in the Score file; an empty VALUE deletes (one Score file only).
    #[arg(long, value_name = "PATH=VALUE")]
    pub override_property: Vec<String>,
    /// The namespace of every namespaced object (overrides the environment type's pattern).
    #[arg(long, short = 'n', value_name = "NS")]
    pub namespace: Option<String>,
    /// Also emit the Namespace object (needs a namespace).
    #[arg(long)]
    pub generate_namespace: bool,
}

/// The flags of the previews (render, graph, explain, catalog, check): whether they may call
/// the drivers that act on the world, and the store whose record they show otherwise.
#[derive(Debug, Clone, clap::Args)]
pub struct PreviewArgs {
    /// Call the `cmd` and `http` drivers (they act on real infrastructure). Without it, their
    /// results come from the environment's current record in --store.
    #[arg(long)]
    pub provision: bool,
    /// The deployment store (a folder or a postgres:// URL) whose current record of the
    /// environment (--app, --env) gives the results and states of the `cmd` and `http`
    /// drivers. Default: $GOLDPATH_STORE.
    #[arg(long, value_name = "DIR|URL", env = "GOLDPATH_STORE", hide_env_values = true, value_parser = crate::store::StoreParser)]
    pub store: Option<goldpath::deploy::StoreSpec>,
}

impl PreviewArgs {
    /// `prepared` with its engine's effects set as these flags say (core decides:
    /// [`goldpath::deploy::preview_engine`]).
    pub fn apply(&self, mut prepared: Prepared) -> Result<Prepared> {
        let store = self.store.as_ref().map(|spec| spec.open()).transpose()?;
        let context = &prepared.context;
        prepared.engine = goldpath::deploy::preview_engine(
            &prepared.engine,
            store.as_deref(),
            &context.app,
            &context.env,
            self.provision,
        )?;
        Ok(prepared)
    }
}

/// Arguments that say which engine plans: the platform, the built-ins, the secret seed.
#[derive(Debug, Clone, clap::Args)]
pub struct EngineArgs {
    /// A folder (or file) of platform documents; goldpath's built-in definitions stay beneath it.
    #[arg(long, value_name = "DIR")]
    pub platform: Option<PathBuf>,
    /// Switch goldpath's built-in resource definitions off.
    #[arg(long)]
    pub no_builtins: bool,
    /// A file holding the seed of generated secrets (else GOLDPATH_SECRET_SEED, else a fixed
    /// development seed, with a warning).
    #[arg(long, value_name = "FILE")]
    pub secret_seed_file: Option<PathBuf>,
}

fn usage(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}

impl PlanArgs {
    /// Checks the combinations score-k8s refuses too.
    pub fn check_usage(&self) -> std::result::Result<(), String> {
        let single =
            self.score_files.len() <= 1 && !self.score_files.first().is_some_and(|p| p.is_dir());
        let per_file = self.image.is_some()
            || self.override_file.is_some()
            || !self.override_property.is_empty();
        if per_file && !single {
            return Err("--image and the override flags apply to a single Score file".to_owned());
        }
        if self.generate_namespace && self.namespace.is_none() && self.engine.platform.is_none() {
            return Err("--generate-namespace needs --namespace (or a platform whose environment type names one)".to_owned());
        }
        Ok(())
    }

    /// Loads everything: the engine, the workloads, the context and the options.
    pub fn prepare(&self) -> Result<Prepared> {
        let env = self.env.clone().unwrap_or_else(|| self.env_type.clone());
        Ok(Prepared {
            engine: self.engine.engine()?,
            workloads: self.workloads()?,
            context: Context::new(&self.app, env, &self.env_type),
            options: PlanOptions {
                namespace: self.namespace.clone(),
                create_namespace: self.generate_namespace,
                image: self.image.clone(),
            },
        })
    }

    /// Checks usage and loads everything; otherwise prints why and gives the exit status (2
    /// for a usage error, 1 for an input that cannot be loaded).
    pub fn prepare_or_exit(&self) -> std::result::Result<Prepared, std::process::ExitCode> {
        if let Err(message) = self.check_usage() {
            eprintln!("error: {message}");
            return Err(std::process::ExitCode::from(2));
        }
        self.prepare().map_err(|error| {
            report(&error);
            std::process::ExitCode::from(1)
        })
    }

    /// Loads everything and plans, as a preview that `preview` governs.
    pub fn plan(&self, preview: &PreviewArgs) -> Result<Plan> {
        let p = preview.apply(self.prepare()?)?;
        p.engine.plan(&p.workloads, &p.context, &p.options)
    }

    fn workloads(&self) -> Result<Vec<WorkloadInput>> {
        let files = if self.score_files.is_empty() {
            vec![PathBuf::from("score.yaml")]
        } else {
            self.score_files.clone()
        };
        let overrides = self.overrides()?;
        let loader = Loader::default();
        if !overrides.is_empty() {
            let loaded = loader.score_file_with(&files[0], &overrides)?;
            return Ok(vec![WorkloadInput::from_loaded(loaded)]);
        }
        let documents = loader.load(files.iter().map(Source::path).collect())?;
        if documents.workloads.is_empty() {
            return Err(usage(format!(
                "no Score workload found in {}",
                display(&files)
            )));
        }
        documents.into_workloads()
    }

    fn overrides(&self) -> Result<Overrides> {
        let mut overrides = Overrides::default();
        if let Some(file) = &self.override_file {
            let value = Loader::default().value_file(file)?;
            overrides
                .document(value)
                .map_err(|e| e.in_file(&file.display().to_string()))?;
        }
        for property in &self.override_property {
            overrides.property(property)?;
        }
        Ok(overrides)
    }
}

impl EngineArgs {
    /// Loads the platform and builds the engine.
    pub fn engine(&self) -> Result<Engine> {
        let mut builder = Engine::builder()
            .sources(self.platform.iter().map(Source::path))
            .builtins(!self.no_builtins);
        if let Some(seed) = self.seed()? {
            builder = builder.seed(seed);
        }
        builder.build()
    }

    fn seed(&self) -> Result<Option<Vec<u8>>> {
        let bytes = match (
            &self.secret_seed_file,
            std::env::var("GOLDPATH_SECRET_SEED"),
        ) {
            (Some(file), _) => std::fs::read(file).map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    Location::in_file(file.display().to_string()),
                    format!("cannot read the secret seed: {e}"),
                )
            })?,
            (None, Ok(text)) if !text.is_empty() => text.into_bytes(),
            _ => return Ok(None),
        };
        Ok(Some(bytes))
    }
}

/// Everything a plan is made from.
pub struct Prepared {
    /// The engine (platform, built-ins, seed).
    pub engine: Engine,
    /// The workloads.
    pub workloads: Vec<WorkloadInput>,
    /// The context.
    pub context: Context,
    /// The options.
    pub options: PlanOptions,
}

fn display(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prints the diagnostics of an error to standard error.
pub fn report(error: &Error) {
    for diagnostic in error.diagnostics() {
        // A diagnostic may span lines (a no-match lists the candidates): they stay.
        eprintln!("{}", escaped_lines(&diagnostic.to_string()));
    }
    for hint in crate::hints::for_error(error) {
        eprintln!("hint: {hint}");
    }
}

/// Prints policy violations to standard error, one a line, prefixed by the Score file.
pub fn report_violations(violations: &[goldpath::policy::Violation]) {
    for violation in violations {
        match &violation.file {
            Some(file) => eprintln!("{}: {}", escaped(file), escaped(&violation.to_string())),
            None => eprintln!("{}", escaped(&violation.to_string())),
        }
    }
}

/// Whether a path is standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}
