//! `goldpath`: the command line of the goldpath engine. A thin shell over the `goldpath` crate:
//! it parses arguments, calls the library and prints what it returns.

mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  goldpath validate fixtures/shop fixtures/platform
      Check the Score files of fixtures/shop and the platform documents of fixtures/platform.
  goldpath validate score.yaml --format json
      Check one Score file and print the problems as JSON.

Exit status: 0 when every input is valid, 1 when any input is invalid or unreadable,
2 on a usage error.";

/// goldpath: Score workloads and platform definitions in, Kubernetes manifests out.
#[derive(Debug, Parser)]
#[command(name = "goldpath", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate Score files and platform folders, reporting every problem as
    /// `file:line:col: kind: path: message`.
    #[command(after_help = EXAMPLES)]
    Validate(validate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate::run(&args),
    }
}
