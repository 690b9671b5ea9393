//! `goldpath`: the command line of the goldpath engine. A thin shell over the `goldpath` crate:
//! it parses arguments, calls the library and prints what it returns.

mod catalog;
mod explain;
mod graph;
mod inputs;
mod render;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  goldpath render fixtures/shop --platform fixtures/platform --app shop --env-type qa-light -o -
      Render the sample application for a qa-light environment to standard output.
  goldpath render score.yaml
      Render a Score file with goldpath's built-in definitions into manifests.yaml, as
      score-k8s generate does.
  goldpath graph fixtures/shop --platform fixtures/platform --app shop --format mermaid
      Print the resource graph.
  goldpath explain postgres#backend.db fixtures/shop --platform fixtures/platform --app shop
      Say which definition serves the backend's database, and why.
  goldpath catalog fixtures/shop --platform fixtures/platform --app shop -o catalog-info.yaml
      Write the Backstage entities that describe the sample application.
  goldpath validate fixtures/shop fixtures/platform
      Check the Score files of fixtures/shop and the platform documents of fixtures/platform.
  goldpath validate score.yaml --format json
      Check one Score file and print the problems as JSON.

Exit status: 0 on success, 1 when an input is invalid or unreadable or the plan fails
(nothing is written then), 2 on a usage error.";

/// goldpath: Score workloads and platform definitions in, Kubernetes manifests out.
#[derive(Debug, Parser)]
#[command(name = "goldpath", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render Kubernetes manifests for Score workloads in an environment.
    #[command(after_help = EXAMPLES)]
    Render(render::Args),
    /// Print the resource graph (DOT, Mermaid or JSON).
    Graph(graph::Args),
    /// Print the Backstage catalog entities (System, Components, APIs, Resources) of a plan.
    Catalog(catalog::Args),
    /// Explain which definition a resource matched, and why the others did not.
    Explain(explain::Args),
    /// Validate Score files and platform folders, reporting every problem as
    /// `file:line:col: kind: path: message`.
    #[command(after_help = EXAMPLES)]
    Validate(validate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Render(args) => render::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Catalog(args) => catalog::run(&args),
        Command::Validate(args) => validate::run(&args),
    }
}
