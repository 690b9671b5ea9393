//! `goldpath store migrate`: copies a deployment store into another (a folder into a
//! PostgreSQL database, or back), verifying every record id ([`migrate_store`]).

use std::process::ExitCode;

use goldpath::deploy::{StoreSpec, migrate_store};

/// `goldpath store ...`.
#[derive(Debug, clap::Subcommand)]
pub enum StoreCommand {
    /// Copy every environment, history and record of a store into an empty one (a folder
    /// into a fresh PostgreSQL database, or a database into a new folder), verifying every
    /// record id.
    Migrate(MigrateArgs),
}

/// Arguments of `goldpath store migrate`.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// The store to copy: a folder or a postgres:// URL (read, never changed).
    #[arg(long, value_name = "DIR|URL", value_parser = crate::store::StoreParser)]
    from: StoreSpec,
    /// The empty store to copy into: a folder (created if missing) or a postgres:// URL.
    #[arg(long, value_name = "DIR|URL", value_parser = crate::store::StoreParser)]
    to: StoreSpec,
}

/// Runs a `goldpath store` command; exit status 1 when the copy fails.
pub fn run(command: &StoreCommand) -> ExitCode {
    let StoreCommand::Migrate(args) = command;
    let copied = args
        .from
        .open()
        .and_then(|from| Ok((from, args.to.open()?)))
        .and_then(|(from, to)| migrate_store(&*from, &*to));
    match copied {
        Ok(migrated) => {
            let text = format!(
                "copied {} environment(s) and {} record(s) from {} to {}, every record id verified",
                migrated.environments, migrated.records, args.from, args.to
            );
            println!("{}", crate::terminal::escaped(&text));
            ExitCode::SUCCESS
        }
        Err(error) => {
            crate::inputs::report(&error);
            ExitCode::from(1)
        }
    }
}
