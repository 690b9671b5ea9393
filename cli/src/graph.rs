//! `goldpath graph`: the resource graph as DOT, Mermaid or JSON.

use std::process::ExitCode;

use crate::inputs::{PlanArgs, PreviewArgs, report};

/// Graph formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// JSON: nodes and edges.
    Json,
}

/// Arguments of `goldpath graph`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,
    #[command(flatten)]
    preview: PreviewArgs,
    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    format: Format,
}

/// Plans and prints the graph.
pub fn run(args: &Args) -> ExitCode {
    if let Err(message) = args.plan.check_usage() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    match args.plan.plan(&args.preview) {
        Ok(plan) => {
            let text = match args.format {
                Format::Dot => plan.to_dot(),
                Format::Mermaid => plan.to_mermaid(),
                Format::Json => {
                    serde_json::to_string_pretty(&plan.graph_json()).unwrap_or_default() + "\n"
                }
            };
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(&error);
            ExitCode::from(1)
        }
    }
}
