//! `goldpath deploy`, `rollback` and `promote`: the commands that add a record to an
//! environment's history. Each prints the new record's id on standard output.

use std::process::ExitCode;

use goldpath::Result;
use goldpath::deploy::{Deployer, Deployment};

use crate::inputs::{EngineArgs, PlanArgs, report};
use crate::store::{ActorArgs, EnvironmentArgs, StoreArgs};

/// Arguments of `goldpath deploy`.
#[derive(Debug, clap::Args)]
pub struct DeployArgs {
    #[command(flatten)]
    plan: PlanArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    actor: ActorArgs,
}

/// Arguments of `goldpath rollback`.
#[derive(Debug, clap::Args)]
pub struct RollbackArgs {
    #[command(flatten)]
    target: EnvironmentArgs,
    /// The record to roll back to (its id, or a unique prefix of at least 4 characters).
    #[arg(long, value_name = "ID")]
    to: String,
    #[command(flatten)]
    engine: EngineArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    actor: ActorArgs,
}

/// Arguments of `goldpath promote`.
#[derive(Debug, clap::Args)]
pub struct PromoteArgs {
    /// The application id.
    #[arg(long, value_name = "NAME")]
    app: String,
    /// The environment whose latest workloads are promoted.
    #[arg(long, value_name = "ENV")]
    from: String,
    /// The environment they are deployed to, in its own context.
    #[arg(long, value_name = "ENV")]
    to: String,
    #[command(flatten)]
    engine: EngineArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    actor: ActorArgs,
}

/// Plans and records a deployment.
pub fn deploy(args: &DeployArgs) -> ExitCode {
    if let Err(message) = args.plan.check_usage() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    finish(|| {
        let prepared = args.plan.prepare()?;
        let store = args.store.open()?;
        let deployer = Deployer::new(&prepared.engine, &*store).with_options(prepared.options);
        let context = prepared.context;
        let record = deployer.deploy(
            &context.app,
            &context.env,
            &prepared.workloads,
            &args.actor.actor(),
        )?;
        warn_pending(&deployer, &context.app, &context.env);
        Ok(record)
    })
}

/// Rolls an environment back to an earlier record.
pub fn rollback(args: &RollbackArgs) -> ExitCode {
    finish(|| {
        let engine = args.engine.engine()?;
        let store = args.store.open()?;
        let to = goldpath::deploy::Store::resolve_id(&*store, &args.to)?;
        let rollback = Deployer::new(&engine, &*store).rollback(
            &args.target.app,
            &args.target.env,
            &to,
            &args.actor.actor(),
        )?;
        if rollback.platform_changed() {
            eprintln!("the platform changed since {to}:");
            for change in &rollback.platform_changes {
                eprintln!("  {:?} {}", change.change, change.document);
            }
            eprintln!(
                "{} object(s) render differently than in {to}",
                rollback.manifest_changes.len()
            );
        }
        Ok(rollback.record)
    })
}

/// Promotes an environment's latest workloads into another environment.
pub fn promote(args: &PromoteArgs) -> ExitCode {
    finish(|| {
        let engine = args.engine.engine()?;
        let store = args.store.open()?;
        Deployer::new(&engine, &*store).promote(
            &args.app,
            &args.from,
            &args.to,
            &args.actor.actor(),
        )
    })
}

/// Warns of the environment's deprovisions that failed (they are retried on its next deploy
/// or deletion).
fn warn_pending(deployer: &Deployer<'_>, app: &str, env: &str) {
    for pending in deployer.pending_deprovisions(app, env).unwrap_or_default() {
        eprintln!(
            "warning: {}",
            crate::terminal::escaped(&format!(
                "resource `{}` (definition `{}`) could not be deprovisioned, it is retried on the next deploy or `env delete`: {}",
                pending.key, pending.definition, pending.error
            ))
        );
    }
}

/// Prints the record's id and its warnings, or the error.
fn finish(run: impl FnOnce() -> Result<Deployment>) -> ExitCode {
    match run() {
        Ok(record) => {
            for warning in &record.warnings {
                crate::hints::warn(warning);
            }
            println!("{}", record.id);
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(&error);
            ExitCode::from(1)
        }
    }
}
