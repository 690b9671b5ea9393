//! `goldpath check`: plan, then print the policy violations.

use std::process::ExitCode;

use goldpath::policy::Violation;

use crate::inputs::{PlanArgs, PreviewArgs, report};
use crate::terminal::escaped;

/// Output formats of violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line a violation: `file: severity: rule (policy): workload path: message`.
    Text,
    /// A JSON array of violations (`rule`, `severity`, `policy`, `workload`, `file`, `path`,
    /// `message`).
    Json,
}

/// Arguments of `goldpath check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,
    #[command(flatten)]
    preview: PreviewArgs,
    /// How to print the violations.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Plans and prints the violations; exit 1 when one blocks deploy (or the plan fails).
pub fn run(args: &Args) -> ExitCode {
    if let Err(message) = args.plan.check_usage() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let plan = match args.plan.plan(&args.preview) {
        Ok(plan) => plan,
        Err(error) => {
            report(&error);
            return ExitCode::from(1);
        }
    };
    let violations = plan.violations();
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(violations).unwrap_or_default()
        ),
        Format::Text => print_text(violations),
    }
    if plan.blocking_violations().next().is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(violations: &[Violation]) {
    if violations.is_empty() {
        println!("ok: no policy violations");
    }
    for violation in violations {
        match &violation.file {
            Some(file) => println!("{}: {}", escaped(file), escaped(&violation.to_string())),
            None => println!("{}", escaped(&violation.to_string())),
        }
    }
}
