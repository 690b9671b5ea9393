//! `goldpath apply` (feature `kube`): plans, then applies the plan to a cluster with
//! server-side apply and prints the report.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use goldpath::apply::{ApplyOptions, ApplyReport};

use crate::inputs::{PlanArgs, report};

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
}

/// Plans, connects, applies; exit status 1 when planning, connecting or applying fails.
pub fn run(args: &Args) -> ExitCode {
    if let Err(message) = args.plan.check_usage() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let plan = match args.plan.plan() {
        Ok(plan) => plan,
        Err(error) => {
            report(&error);
            return ExitCode::from(1);
        }
    };
    for warning in plan.warnings() {
        eprintln!("warning: {warning}");
    }
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
    let outcome = runtime.block_on(async {
        let client =
            goldpath::apply::client(args.kubeconfig.as_deref(), args.context.as_deref()).await?;
        Ok::<ApplyReport, goldpath::Error>(goldpath::apply::apply(&client, &plan, &options).await)
    });
    match outcome {
        Ok(applied) => print(&applied, args.format),
        Err(error) => {
            report(&error);
            ExitCode::from(1)
        }
    }
}

fn print(applied: &ApplyReport, format: Format) -> ExitCode {
    match format {
        Format::Text => print!("{applied}"),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(applied).unwrap_or_default()
        ),
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
