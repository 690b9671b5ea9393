//! `goldpath`: the command line of the goldpath engine. A thin shell over the `goldpath` crate:
//! it parses arguments, calls the library and prints what it returns.

#[cfg(feature = "kube")]
mod apply;
mod authorize;
mod catalog;
mod check;
mod deploy;
mod env;
mod explain;
mod graph;
mod hints;
mod history;
mod inputs;
#[cfg(feature = "kube")]
mod live;
mod migrate;
mod output;
mod render;
mod store;
mod terminal;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The binary's allocator. Planning allocates and frees many small strings and maps; with
/// glibc's allocator `malloc`/`free` (and its consolidation of freed chunks) took about a
/// quarter of the CPU time of a large render (`docs/performance.md`). It is built without
/// transparent huge pages (`no_thp`): with them, each page it gave back and used again was a
/// 2 MiB page for the kernel to clear.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
  goldpath check fixtures/shop --platform fixtures/platform --app shop --env-type production
      Print the policy violations of the sample application in production.
  goldpath authorize --platform fixtures/platform --as sam --group shop-team --action promote --app shop --env-type production
      Say whether sam may promote shop into production, and why not.
  goldpath validate score.yaml --format json
      Check one Score file and print the problems as JSON.

Exit status: 0 on success, 1 when an input is invalid or unreadable, the plan fails or a
policy violation of severity error blocks it (nothing is written then), or an authorization is
denied; 2 on a usage error.";

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
    /// Plan and print the policy violations; exit 1 when one blocks deploy.
    Check(check::Args),
    /// Decide whether a user may perform an action on an app and environment type.
    Authorize(authorize::Args),
    /// Plan and record a deployment to an environment; prints the record id.
    Deploy(deploy::DeployArgs),
    /// List an environment's deployment records, oldest first.
    History(history::HistoryArgs),
    /// Compare two deployment records: input changes, then manifest changes.
    Diff(history::DiffArgs),
    /// Deploy the inputs of an earlier record again, under today's platform.
    Rollback(deploy::RollbackArgs),
    /// Deploy an environment's latest workloads to another environment, in its context.
    Promote(deploy::PromoteArgs),
    /// Create, list and delete environments.
    #[command(subcommand)]
    Env(env::EnvCommand),
    /// Work on deployment stores: copy one into another (`store migrate`).
    #[command(subcommand)]
    Store(migrate::StoreCommand),
    /// Apply the plan to a cluster: server-side apply, ApplySet pruning, dry runs, rollout
    /// waits (built with the `kube` feature).
    #[cfg(feature = "kube")]
    Apply(apply::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Render(args) => render::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Catalog(args) => catalog::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Authorize(args) => authorize::run(&args),
        Command::Deploy(args) => deploy::deploy(&args),
        Command::History(args) => history::history(&args),
        Command::Diff(args) => history::run_diff(&args),
        Command::Rollback(args) => deploy::rollback(&args),
        Command::Promote(args) => deploy::promote(&args),
        Command::Env(command) => env::run(&command),
        Command::Store(command) => migrate::run(&command),
        #[cfg(feature = "kube")]
        Command::Apply(args) => apply::run(&args),
    }
}
