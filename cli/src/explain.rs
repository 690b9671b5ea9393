//! `goldpath explain KEY`: why a resource got its definition.

use std::process::ExitCode;

use crate::inputs::{PlanArgs, PreviewArgs, report};

/// Arguments of `goldpath explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The resource key, `type[.class][#id]` (`postgres#backend.db`).
    #[arg(value_name = "KEY")]
    key: String,
    #[command(flatten)]
    plan: PlanArgs,
    #[command(flatten)]
    preview: PreviewArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Plans and explains one resource.
pub fn run(args: &Args) -> ExitCode {
    if let Err(message) = args.plan.check_usage() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    match args
        .plan
        .plan(&args.preview)
        .and_then(|plan| plan.explain(&args.key))
    {
        Ok(explanation) if args.json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&explanation).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Ok(explanation) => {
            print!("{explanation}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(&error);
            ExitCode::from(1)
        }
    }
}
