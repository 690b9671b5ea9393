//! `goldpath diff --live` (feature `kube`): plans, reads the planned objects from the cluster
//! and prints how the live objects differ from the plan, in the deployment diff's format.

use std::path::PathBuf;
use std::process::ExitCode;

use goldpath::Result;
use goldpath::deploy::Diff;

use crate::history::Format;
use crate::inputs::{PlanArgs, PlanFlags, report};

/// The arguments `diff` takes for `--live`.
#[derive(Debug, clap::Args)]
pub struct LiveArgs {
    /// Compare the cluster's live objects with a plan of the Score files instead of two
    /// records (`status`, `managedFields` and other server fields are left out).
    #[arg(long)]
    pub live: bool,
    /// The kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster).
    #[arg(long, value_name = "FILE", requires = "live")]
    kubeconfig: Option<PathBuf>,
    /// The kubeconfig context (default: its current context).
    #[arg(long, value_name = "NAME", requires = "live")]
    context: Option<String>,
    #[command(flatten)]
    plan: PlanFlags,
}

/// Plans `score_files`, reads the live objects and prints the diff from live to planned.
pub fn run(score_files: &[String], args: &LiveArgs, format: Format) -> ExitCode {
    let plan_args = PlanArgs {
        score_files: score_files.iter().map(PathBuf::from).collect(),
        flags: args.plan.clone(),
    };
    if let Err(message) = plan_args.check_usage() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
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
    match runtime.block_on(live_diff(&plan_args, args)) {
        Ok(diff) => {
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&diff).unwrap_or_default()
                ),
                Format::Text => print!("{}", crate::terminal::escaped_lines(&diff.to_string())),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(&error);
            ExitCode::from(1)
        }
    }
}

async fn live_diff(plan_args: &PlanArgs, args: &LiveArgs) -> Result<Diff> {
    let preview = crate::inputs::PreviewArgs {
        provision: false,
        store: None,
    };
    let plan = plan_args.plan(&preview)?;
    let client =
        goldpath::apply::client(args.kubeconfig.as_deref(), args.context.as_deref()).await?;
    goldpath::apply::live_diff(&client, &plan).await
}
