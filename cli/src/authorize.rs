//! `goldpath authorize`: may this principal do that, there?

use std::path::PathBuf;
use std::process::ExitCode;

use goldpath::load::Loader;
use goldpath::platform::Platform;
use goldpath::rbac::{Action, Principal, Target, authorize};

use crate::inputs::report;

/// Output formats of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `allowed: reason (binding)` or `denied: reason`.
    Text,
    /// The decision as JSON (`allowed`, `binding`, `bindings`, `reason`).
    Json,
}

/// Arguments of `goldpath authorize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder (or file) of platform documents holding the RoleBindings.
    #[arg(long, value_name = "DIR")]
    platform: PathBuf,
    /// The user asking.
    #[arg(long = "as", value_name = "USER")]
    user: String,
    /// A group of the user (repeat for several).
    #[arg(long = "group", value_name = "GROUP")]
    groups: Vec<String>,
    /// The action: view, plan, deploy, rollback, promote, create-environment,
    /// delete-environment, manage-members, manage-platform, read-secrets.
    #[arg(long, value_name = "ACTION")]
    action: Action,
    /// The application.
    #[arg(long, value_name = "NAME")]
    app: Option<String>,
    /// The environment (for promote: the one promoted into).
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// The environment's type.
    #[arg(long, value_name = "NAME")]
    env_type: Option<String>,
    /// How to print the decision.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Prints the decision; exit 0 when allowed, 1 when denied or the platform does not load.
pub fn run(args: &Args) -> ExitCode {
    let platform = match Loader::default().path(&args.platform) {
        Ok(docs) => Platform::from_documents(docs.platform.into_iter().map(|l| l.document)),
        Err(error) => {
            report(&error);
            return ExitCode::from(1);
        }
    };
    let principal = Principal {
        user: args.user.clone(),
        groups: args.groups.clone(),
    };
    let target = Target {
        app: args.app.clone(),
        env: args.env.clone(),
        env_type: args.env_type.clone(),
    };
    let decision = authorize(&platform, &principal, args.action, &target);
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&decision).unwrap_or_default()
        ),
        Format::Text if decision.allowed => println!("allowed: {}", decision.reason),
        Format::Text => println!("denied: {}", decision.reason),
    }
    if decision.allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
