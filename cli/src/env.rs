//! `goldpath env create|list|delete`: the environments of an application.

use std::process::ExitCode;

use goldpath::deploy::{Deployer, NewEnvironment};

use crate::history::Format;
use crate::inputs::{EngineArgs, report};
use crate::store::{ActorArgs, EnvironmentArgs, StoreArgs};
use crate::terminal::escaped;

/// The `env` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum EnvCommand {
    /// Create an environment of a type, optionally cloned from another environment's latest
    /// record (its workloads are taken, its resources are not).
    Create(CreateArgs),
    /// List the environments of an application.
    List(ListArgs),
    /// Delete an environment and its history (its records stay readable by id).
    Delete(DeleteArgs),
}

/// Arguments of `goldpath env create`.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    #[command(flatten)]
    target: EnvironmentArgs,
    /// Its environment type.
    #[arg(long, value_name = "NAME")]
    env_type: String,
    /// Deploy the latest workloads of this environment into the new one.
    #[arg(long, value_name = "ENV")]
    clone_from: Option<String>,
    /// Mark it short-lived (a preview or pull-request environment).
    #[arg(long)]
    ephemeral: bool,
    #[command(flatten)]
    engine: EngineArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    actor: ActorArgs,
}

/// Arguments of `goldpath env list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The application id.
    #[arg(long, value_name = "NAME")]
    app: String,
    #[command(flatten)]
    store: StoreArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Arguments of `goldpath env delete`.
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    target: EnvironmentArgs,
    #[command(flatten)]
    engine: EngineArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    actor: ActorArgs,
}

/// Runs an `env` subcommand.
pub fn run(command: &EnvCommand) -> ExitCode {
    let result = match command {
        EnvCommand::Create(args) => create(args),
        EnvCommand::List(args) => list(args),
        EnvCommand::Delete(args) => delete(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&error);
            ExitCode::from(1)
        }
    }
}

fn create(args: &CreateArgs) -> goldpath::Result<()> {
    let engine = args.engine.engine()?;
    let store = args.store.open()?;
    let deployer = Deployer::new(&engine, &*store);
    let mut new = NewEnvironment::new(&args.target.app, &args.target.env, &args.env_type);
    new.clone_from.clone_from(&args.clone_from);
    new.ephemeral = args.ephemeral;
    let (environment, record) = deployer.create_environment(&new, &args.actor.actor())?;
    println!(
        "created environment {} ({})",
        escaped(&environment.name),
        escaped(&environment.env_type)
    );
    if let Some(record) = record {
        println!("{}", record.id);
    }
    Ok(())
}

fn list(args: &ListArgs) -> goldpath::Result<()> {
    let store = args.store.open()?;
    let environments = goldpath::deploy::Store::environments(&*store, &args.app)?;
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&environments).unwrap_or_default()
        ),
        Format::Text => {
            for e in environments {
                let ephemeral = if e.ephemeral { " ephemeral" } else { "" };
                println!("{}\t{}{ephemeral}", escaped(&e.name), escaped(&e.env_type));
            }
        }
    }
    Ok(())
}

fn delete(args: &DeleteArgs) -> goldpath::Result<()> {
    let engine = args.engine.engine()?;
    let store = args.store.open()?;
    Deployer::new(&engine, &*store).delete_environment(
        &args.target.app,
        &args.target.env,
        &args.actor.actor(),
    )?;
    println!("deleted environment {}", escaped(&args.target.env));
    Ok(())
}
