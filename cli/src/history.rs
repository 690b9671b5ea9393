//! `goldpath history` and `goldpath diff`: reading a store.

use std::process::ExitCode;

use goldpath::deploy::{Deployment, HistoryEntry, diff};
use goldpath::{Error, Result};
use serde_json::json;

use crate::inputs::report;
use crate::store::{EnvironmentArgs, StoreArgs};
use crate::terminal::{escaped, escaped_lines};

/// Output formats of the reading commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For tools.
    Json,
}

/// Arguments of `goldpath history`.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    target: EnvironmentArgs,
    #[command(flatten)]
    store: StoreArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Arguments of `goldpath diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// Two records of the store (ids, or unique prefixes of at least 4 characters); with
    /// `--live` (feature `kube`), the Score files to plan.
    #[arg(value_name = "ID_A ID_B")]
    items: Vec<String>,
    /// The deployment store: a folder or a postgres:// URL. Default: $GOLDPATH_STORE.
    #[arg(long, value_name = "DIR|URL", env = "GOLDPATH_STORE", hide_env_values = true, value_parser = crate::store::StoreParser)]
    store: Option<goldpath::deploy::StoreSpec>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[cfg(feature = "kube")]
    #[command(flatten)]
    live: crate::live::LiveArgs,
}

/// Lists an environment's records, oldest first (every value from a record printed through
/// [`escaped`]); a record that failed to apply has `!` after
/// its operation. Unreadable records are listed with their
/// error, and make the exit status 1.
pub fn history(args: &HistoryArgs) -> ExitCode {
    let (app, env) = (&args.target.app, &args.target.env);
    let read = args
        .store
        .open()
        .and_then(|s| Ok((s.history(app, env)?, s.pending_deprovisions(app, env)?)));
    let (history, pending) = match read {
        Ok(read) => read,
        Err(error) => return fail(&error),
    };
    match args.format {
        Format::Json => {
            let entries: Vec<_> = history.entries.iter().map(entry_json).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&entries).unwrap_or_default()
            );
        }
        Format::Text => {
            println!(
                "{:<12}  {:<25}  {:<10}  {:<12}  WORKLOADS",
                "ID", "AT", "OPERATION", "BY"
            );
            for entry in &history.entries {
                match &entry.record {
                    Ok(record) => println!("{}", summary(record, entry.failed)),
                    Err(error) => println!(
                        "{:<12}  unreadable: {}",
                        escaped(entry.id.get(..12).unwrap_or(&entry.id)),
                        escaped(&error.to_string())
                    ),
                }
            }
            print_pending(&pending);
        }
    }
    match history.first_error() {
        Some(error) => {
            report(error);
            ExitCode::from(1)
        }
        None => ExitCode::SUCCESS,
    }
}

/// The deprovisions that failed and wait to be retried, after the records.
fn print_pending(pending: &[goldpath::deploy::PendingDeprovision]) {
    if pending.is_empty() {
        return;
    }
    println!("pending deprovisions (retried on the next deploy or env delete):");
    for p in pending {
        println!(
            "  {}  {}  failed at {}: {}",
            escaped(&p.key),
            escaped(&p.definition),
            escaped(&p.failed_at),
            escaped(&p.error)
        );
    }
}

fn summary(record: &Deployment, failed: bool) -> String {
    let inputs = &record.inputs;
    let operation = serde_json::to_value(&inputs.operation).unwrap_or_default();
    let images: Vec<String> = inputs
        .workloads
        .iter()
        .flat_map(|w| {
            w.score
                .containers
                .values()
                .map(|c| escaped(&c.image).into_owned())
        })
        .collect();
    format!(
        "{:<12}  {:<25}  {:<10}  {:<12}  {}",
        escaped(record.id.get(..12).unwrap_or(&record.id)),
        escaped(&inputs.at.to_string()),
        format!(
            "{}{}",
            operation["kind"].as_str().unwrap_or_default(),
            if failed { "!" } else { "" }
        ),
        escaped(inputs.principal.as_deref().unwrap_or("-")),
        images.join(" ")
    )
}

fn entry_json(entry: &HistoryEntry) -> serde_json::Value {
    match &entry.record {
        Ok(record) => json!({
            "id": record.id,
            "parent": record.inputs.parent,
            "at": record.inputs.at,
            "principal": record.inputs.principal,
            "operation": record.inputs.operation,
            "envType": record.inputs.env_type,
            "failed": entry.failed,
        }),
        Err(error) => json!({"id": entry.id, "error": error.diagnostics()}),
    }
}

/// Prints the diff of two records (or, with `--live`, of the cluster and a plan).
pub fn run_diff(args: &DiffArgs) -> ExitCode {
    #[cfg(feature = "kube")]
    if args.live.live {
        return crate::live::run(&args.items, &args.live, args.format);
    }
    let (Some(store), [a, b]) = (&args.store, args.items.as_slice()) else {
        eprintln!(
            "error: give two record ids and --store DIR (goldpath diff --store DIR ID_A ID_B)"
        );
        return ExitCode::from(2);
    };
    let records = || -> Result<(Deployment, Deployment)> {
        let store = store.open()?;
        let a = store.record(&store.resolve_id(a)?)?;
        let b = store.record(&store.resolve_id(b)?)?;
        Ok((a, b))
    };
    match records() {
        Ok((a, b)) => {
            let d = diff(&a, &b);
            match args.format {
                Format::Json => {
                    println!("{}", serde_json::to_string_pretty(&d).unwrap_or_default())
                }
                Format::Text => print!("{}", escaped_lines(&d.to_string())),
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

fn fail(error: &Error) -> ExitCode {
    report(error);
    ExitCode::from(1)
}
