//! `goldpath apply` (feature `kube`): plans, then applies the plan to a cluster with
//! server-side apply and prints the report.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use goldpath::apply::{ApplyOptions, RecordedApply};
use goldpath::deploy::Deployer;

use crate::inputs::{PlanArgs, report};
use crate::store::ActorArgs;

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per object.
    Text,
    /// The report as JSON.
    Json,
}

/// Arguments of `goldpath apply`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,
    /// The kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster).
    #[arg(long, value_name = "FILE")]
    kubeconfig: Option<PathBuf>,
    /// The kubeconfig context (default: its current context).
    #[arg(long, value_name = "NAME")]
    context: Option<String>,
    /// Send every request with dryRun=All and report what would change.
    #[arg(long)]
    dry_run: bool,
    /// Delete the objects of this app and environment's ApplySet that are no longer planned.
    #[arg(long)]
    prune: bool,
    /// Wait for Deployments and StatefulSets to roll out (default 5m; 90s, 10m, 1h, or seconds).
    #[arg(long, value_name = "TIMEOUT", num_args = 0..=1, default_missing_value = "5m", value_parser = parse_timeout)]
    wait: Option<Duration>,
    /// Take ownership of fields another field manager owns.
    #[arg(long)]
    force_conflicts: bool,
    /// The report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Record the apply in this deployment store, a folder or a postgres:// URL (marked
    /// failed when the apply fails). Default: $GOLDPATH_STORE.
    #[arg(long, value_name = "DIR|URL", env = "GOLDPATH_STORE", hide_env_values = true, value_parser = crate::store::StoreParser)]
    store: Option<goldpath::deploy::StoreSpec>,
    #[command(flatten)]
    actor: ActorArgs,
}

/// Plans, connects, applies; exit status 1 when planning, connecting or applying fails.
pub fn run(args: &Args) -> ExitCode {
    let prepared = match args.plan.prepare_or_exit() {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let options = ApplyOptions {
        dry_run: args.dry_run,
        prune: args.prune,
        force_conflicts: args.force_conflicts,
        wait: args.wait,
        ..ApplyOptions::default()
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(apply(args, &prepared, &options)) {
        Ok(outcome) => print(&outcome, args.format),
        Err(error) => {
            report(&error);
            ExitCode::from(1)
        }
    }
}

/// Plans, connects, and applies (recording the apply when a store is given).
async fn apply(
    args: &Args,
    prepared: &crate::inputs::Prepared,
    options: &ApplyOptions,
) -> goldpath::Result<RecordedApply> {
    let store = args.store.as_ref().map(|spec| spec.open()).transpose()?;
    let context = &prepared.context;
    // A recorded apply calls the drivers that act on the world; one without a store does not.
    let engine = match &store {
        Some(store) => {
            Deployer::new(&prepared.engine, &**store).recording_engine(&context.app, &context.env)
        }
        None => prepared.engine.clone(),
    };
    let plan = engine.plan(&prepared.workloads, context, &prepared.options)?;
    for warning in plan.warnings() {
        crate::hints::warn(warning);
    }
    let client =
        goldpath::apply::client(args.kubeconfig.as_deref(), args.context.as_deref()).await?;
    let Some(store) = &store else {
        let report = goldpath::apply::apply(&client, &plan, options).await;
        return Ok(RecordedApply {
            record: None,
            report,
        });
    };
    let deployer = Deployer::new(&engine, &**store).with_options(prepared.options.clone());
    goldpath::apply::apply_and_record(&client, &deployer, &plan, &args.actor.actor(), options).await
}

/// Prints the report, then the record's id (text: a last line `record ID`, with `(failed)`
/// when the apply failed; JSON: the report's `record` field).
fn print(outcome: &RecordedApply, format: Format) -> ExitCode {
    let applied = &outcome.report;
    let id = outcome.record.as_ref().map(|r| r.id.as_str());
    match format {
        Format::Text => {
            print!("{}", crate::terminal::escaped_lines(&applied.to_string()));
            if let Some(id) = id {
                let failed = if applied.succeeded() { "" } else { " (failed)" };
                println!("record {id}{failed}");
            }
        }
        Format::Json => {
            let mut json = serde_json::to_value(applied).unwrap_or_default();
            if let (Some(id), Some(map)) = (id, json.as_object_mut()) {
                map.insert("record".into(), id.into());
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
    }
    if applied.succeeded() {
        ExitCode::SUCCESS
    } else {
        if !applied.conflicts.is_empty() {
            eprintln!(
                "error: fields are owned by another field manager; pass --force-conflicts to take them"
            );
        }
        ExitCode::from(1)
    }
}

/// `90s`, `10m`, `1h`, or a number of seconds.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => {
            return Err(format!(
                "`{text}`: write the timeout as 90s, 10m, 1h or seconds"
            ));
        }
    };
    number
        .parse::<u64>()
        .map(|n| Duration::from_secs(n * scale))
        .map_err(|_| format!("`{text}`: write the timeout as 90s, 10m, 1h or seconds"))
}

#[cfg(test)]
mod tests {
    use super::parse_timeout;
    use std::time::Duration;

    #[test]
    fn timeouts_take_seconds_minutes_and_hours() {
        assert_eq!(parse_timeout("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_timeout("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_timeout("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_timeout("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_timeout("5d").is_err());
        assert!(parse_timeout("m").is_err());
    }
}
