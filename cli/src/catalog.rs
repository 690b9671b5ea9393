//! `goldpath catalog`: the Backstage catalog entities that describe a plan, as YAML.

use std::path::PathBuf;
use std::process::ExitCode;

use goldpath::catalog::{CatalogOptions, to_yaml};

use crate::inputs::{PlanArgs, PreviewArgs, report};

/// Arguments of `goldpath catalog`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,
    #[command(flatten)]
    preview: PreviewArgs,
    /// The output file; `-` is standard output.
    #[arg(long, short = 'o', default_value = "-", value_name = "FILE")]
    output: PathBuf,
    /// The Backstage namespace of the entities.
    #[arg(long, default_value = "default", value_name = "NS")]
    catalog_namespace: String,
    /// The owner of the System and of workloads without a `goldpath.dev/owner` or
    /// `goldpath.dev/team` annotation (an entity reference; the kind defaults to group).
    #[arg(long, default_value = "guests", value_name = "REF")]
    owner: String,
    /// The `spec.lifecycle` of Components and APIs.
    #[arg(long, default_value = "production", value_name = "LIFECYCLE")]
    lifecycle: String,
}

/// Plans, then prints or writes the entities.
pub fn run(args: &Args) -> ExitCode {
    if let Err(message) = args.plan.check_usage() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let options = CatalogOptions {
        namespace: args.catalog_namespace.clone(),
        owner: args.owner.clone(),
        lifecycle: args.lifecycle.clone(),
    };
    let entities = match args
        .plan
        .plan(&args.preview)
        .and_then(|plan| goldpath::catalog::entities(&plan, &options))
    {
        Ok(entities) => entities,
        Err(error) => {
            report(&error);
            return ExitCode::from(1);
        }
    };
    let text = to_yaml(&entities);
    if let Err(e) = crate::output::write_file(&args.output, |out| out.write_all(text.as_bytes())) {
        eprintln!("error: cannot write {}: {e}", args.output.display());
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
