//! `goldpath validate PATH...`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use goldpath::load::{Documents, Loader};

/// Output formats of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line a problem: `file:line:col: kind: path: message`.
    Text,
    /// A JSON array of diagnostics (`kind`, `location`, `message`).
    Json,
}

/// Arguments of `goldpath validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Score files, platform files, or folders of them (read recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Validates the inputs as one set and prints every problem; exit 1 when there is any.
pub fn run(args: &Args) -> ExitCode {
    let result = Loader::default().paths(&args.paths);
    let mut out = std::io::stdout().lock();
    let written = match (&result, args.format) {
        (Ok(docs), Format::Text) => writeln!(out, "ok: {}", summary(docs)),
        (Ok(_), Format::Json) => writeln!(out, "[]"),
        (Err(error), Format::Text) => {
            let lines: String = error
                .diagnostics()
                .iter()
                .map(|d| format!("{d}\n"))
                .collect();
            write!(out, "{lines}")
        }
        (Err(error), Format::Json) => {
            let json = serde_json::to_string_pretty(error.diagnostics()).unwrap_or_default();
            writeln!(out, "{json}")
        }
    };
    if written.is_err() {
        return ExitCode::from(1);
    }
    if let Err(error) = result {
        let count = error.diagnostics().len();
        eprintln!(
            "error: {count} problem{} found",
            if count == 1 { "" } else { "s" }
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn summary(docs: &Documents) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{} and {} valid",
        plural(docs.workloads.len(), "workload"),
        plural(docs.platform.len(), "platform document")
    )
}
