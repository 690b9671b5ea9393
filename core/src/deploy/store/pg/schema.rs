//! The database schema, created and migrated by goldpath: versioned migrations embedded in
//! the crate, applied in one transaction under an advisory lock (so two processes opening an
//! empty database at once do not both create it). A database of a newer schema is refused.
//!
//! Version 1:
//!
//! ```text
//! goldpath_schema   the schema's version (one row)
//! environments      one row per environment: app, name, type, namespace, creation uid and
//!                   time, the whole document as jsonb, its head record and history length
//! records           one row per record: the record as jsonb, and indexed columns: id, app,
//!                   env, the creation of the environment whose history lists it (env_key)
//!                   and its place there (seq; both null for a record kept outside any
//!                   history), parent, time, principal, failed
//! ```
//!
//! Later versions add tables or columns in a migration of their own (driver state, pending
//! deprovisions); the environment row keeps its full document, so a new field of
//! [`Environment`](crate::deploy::Environment) needs no migration.

use postgres::Client;

use super::pool::Fail;
use crate::deploy::record::store_error;

/// The migrations, in order: migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE environments (
    env_key     bigserial PRIMARY KEY,
    app         text NOT NULL,
    name        text NOT NULL,
    env_type    text NOT NULL,
    namespace   text,
    uid         text,
    created_at  text NOT NULL,
    document    jsonb NOT NULL,
    head        text COLLATE "C",
    length      bigint NOT NULL DEFAULT 0,
    UNIQUE (app, name)
);
CREATE TABLE records (
    id          text COLLATE "C" PRIMARY KEY,
    app         text NOT NULL,
    env         text NOT NULL,
    env_key     bigint,
    seq         bigint,
    parent      text COLLATE "C",
    at          text NOT NULL,
    principal   text,
    failed      boolean NOT NULL DEFAULT false,
    document    jsonb NOT NULL,
    UNIQUE (env_key, seq)
);
CREATE INDEX records_app_env ON records (app, env);
CREATE INDEX records_at ON records (at);
CREATE INDEX records_principal ON records (principal);
"#,
    r#"
ALTER TABLE environments ADD COLUMN pending jsonb;
"#,
];

/// The schema version this goldpath writes.
pub(super) const VERSION: i32 = MIGRATIONS.len() as i32;

/// The key of the advisory lock held while the schema is migrated (`goldpath` in ASCII).
const MIGRATION_LOCK: i64 = 0x676f_6c64_7061_7468;

/// The key of the advisory lock held while an environment is created.
pub(super) const CREATION_LOCK: i64 = MIGRATION_LOCK + 1;

/// Brings the database's schema to [`VERSION`] in one transaction.
///
/// # Errors
/// The database holds a newer schema; the server fails a statement.
pub(super) fn migrate(client: &mut Client) -> Result<(), Fail> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS goldpath_schema (
             one boolean PRIMARY KEY DEFAULT true CHECK (one),
             version integer NOT NULL
         )",
    )?;
    let found: i32 = tx
        .query_opt("SELECT version FROM goldpath_schema", &[])?
        .map_or(0, |row| row.get(0));
    if found > VERSION {
        return Err(Fail::Goldpath(store_error(format!(
            "the database holds goldpath schema version {found}, newer than this goldpath's ({VERSION}): use a newer goldpath, or another database"
        ))));
    }
    let start = usize::try_from(found).unwrap_or_default();
    for migration in &MIGRATIONS[start..] {
        tx.batch_execute(migration)?;
    }
    if found < VERSION {
        tx.execute(
            "INSERT INTO goldpath_schema (version) VALUES ($1)
             ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version",
            &[&VERSION],
        )?;
    }
    tx.commit()?;
    Ok(())
}
