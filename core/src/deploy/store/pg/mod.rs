//! A store on PostgreSQL (feature `postgres`): the same guarantees as [`DirStore`]
//! (super::DirStore), across processes and machines.
//!
//! Appending locks the environment's row (`SELECT ... FOR UPDATE`) and writes the record and
//! the new head in one transaction: concurrent deployers on any number of hosts never fork or
//! lose history, and a connection lost mid-append leaves the whole record or nothing. Records
//! are read back through [`Deployment::verify`]: a record whose id no longer matches its
//! content, or a row that is not a record, is reported with its id in its place in the history.
//! The schema is created on first use and migrated by goldpath ([`schema`]).

mod pool;
mod schema;
pub(crate) mod url;

use postgres::Transaction;

use self::pool::{Fail, Pool};
use self::url::Target;
use super::{
    Environment, History, HistoryEntry, PendingDeprovision, Store, check_same_environment,
    environment_exists, no_environment, no_record, not_in_history,
};
use crate::deploy::digest::is_record_id;
use crate::deploy::record::{Deployment, Draft, store_error};
use crate::{Error, ErrorKind, Location, Result};

/// A store in a PostgreSQL database, safe to share between threads, processes and hosts.
///
/// ```no_run
/// use goldpath::deploy::{PgStore, Store};
///
/// let store = PgStore::open("postgres://goldpath@localhost/goldpath").unwrap();
/// for env in store.environments("shop").unwrap() {
///     println!("{} ({})", env.name, env.env_type);
/// }
/// ```
pub struct PgStore {
    pool: Pool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.pool.shown())
            .finish()
    }
}

impl PgStore {
    /// The store in the database of `url` (`postgres://` or `postgresql://`), its schema
    /// created or migrated on first use. The password comes from the URL, `PGPASSWORD` or the
    /// password file (`PGPASSFILE`, `~/.pgpass`); `sslmode=require`, `verify-ca` or
    /// `verify-full` turns on TLS (rustls; the certificate is checked against the system's
    /// roots and `sslrootcert`).
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] for a malformed URL; [`ErrorKind::Io`] when the server cannot
    /// be reached; [`ErrorKind::Store`] when the database holds a newer schema. No message
    /// holds the password.
    pub fn open(url: &str) -> Result<Self> {
        let pool = Pool::new(Target::parse(url)?)?;
        pool.run(schema::migrate)?;
        Ok(Self { pool })
    }

    /// The URL of the store without its password.
    #[must_use]
    pub fn url(&self) -> &str {
        self.pool.shown()
    }

    fn corrupt(&self, id: &str, why: &str) -> Error {
        Error::new(
            ErrorKind::Store,
            Location::default(),
            format!(
                "record `{id}` in PostgreSQL store {} is corrupt ({why}): restore its row from a backup",
                self.pool.shown()
            ),
        )
    }

    /// The record of row `id` holding `document`, verified.
    fn read_record(&self, id: &str, document: &str) -> Result<Deployment> {
        let record: Deployment =
            serde_json::from_str(document).map_err(|e| self.corrupt(id, &e.to_string()))?;
        if record.id != id {
            return Err(self.corrupt(id, &format!("the row holds record `{}`", record.id)));
        }
        record.verify().map_err(|e| self.corrupt(id, e.message()))?;
        Ok(record)
    }

    fn read_environment(&self, app: &str, env: &str, document: &str) -> Result<Environment> {
        serde_json::from_str(document).map_err(|e| {
            store_error(format!(
                "environment `{env}` of app `{app}` in PostgreSQL store {} is corrupt ({e}): restore its row from a backup",
                self.pool.shown()
            ))
        })
    }

    /// The environment's key and document, its row locked until `tx` ends.
    fn lock_environment(
        &self,
        tx: &mut Transaction<'_>,
        app: &str,
        env: &str,
    ) -> Result<Option<Locked>, Fail> {
        let row = tx.query_opt(
            "SELECT env_key, document::text, head, length FROM environments
             WHERE app = $1 AND name = $2 FOR UPDATE",
            &[&app, &env],
        )?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Locked {
            key: row.get(0),
            environment: self.read_environment(app, env, row.get(1))?,
            head: row.get(2),
            length: row.get(3),
        }))
    }

    fn environments_where(&self, app: Option<&str>) -> Result<Vec<Environment>> {
        let rows = self.pool.run(|client| {
            Ok(client.query(
                "SELECT app, name, document::text FROM environments
                 WHERE $1::text IS NULL OR app = $1 ORDER BY app COLLATE \"C\", name COLLATE \"C\"",
                &[&app],
            )?)
        })?;
        rows.iter()
            .map(|row| self.read_environment(row.get(0), row.get(1), row.get(2)))
            .collect()
    }
}

/// An environment's row, locked.
struct Locked {
    key: i64,
    environment: Environment,
    head: Option<String>,
    length: i64,
}

impl Store for PgStore {
    fn create_environment(
        &self,
        environment: &Environment,
        admit: &dyn Fn(&[Environment]) -> Result<()>,
    ) -> Result<()> {
        let (app, env) = (environment.app.as_str(), environment.name.as_str());
        let document =
            serde_json::to_string(environment).map_err(|e| store_error(e.to_string()))?;
        self.pool.run(|client| {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&schema::CREATION_LOCK])?;
            let rows = tx.query(
                "SELECT app, name, document::text FROM environments
                 ORDER BY app COLLATE \"C\", name COLLATE \"C\"",
                &[],
            )?;
            let all = rows
                .iter()
                .map(|row| self.read_environment(row.get(0), row.get(1), row.get(2)))
                .collect::<Result<Vec<_>>>()?;
            if all.iter().any(|e| e.app == app && e.name == env) {
                return Err(environment_exists(app, env).into());
            }
            admit(&all)?;
            tx.execute(
                "INSERT INTO environments (app, name, env_type, namespace, uid, created_at, document)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb)",
                &[
                    &app,
                    &env,
                    &environment.env_type,
                    &environment.namespace,
                    &environment.uid,
                    &environment.created_at,
                    &document,
                ],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn environment(&self, app: &str, env: &str) -> Result<Option<Environment>> {
        let row = self.pool.run(|client| {
            Ok(client.query_opt(
                "SELECT document::text FROM environments WHERE app = $1 AND name = $2",
                &[&app, &env],
            )?)
        })?;
        row.map(|row| self.read_environment(app, env, row.get(0)))
            .transpose()
    }

    fn environments(&self, app: &str) -> Result<Vec<Environment>> {
        self.environments_where(Some(app))
    }

    fn all_environments(&self) -> Result<Vec<Environment>> {
        self.environments_where(None)
    }

    fn delete_environment(&self, environment: &Environment) -> Result<()> {
        let (app, env) = (environment.app.as_str(), environment.name.as_str());
        self.pool.run(|client| {
            let mut tx = client.transaction()?;
            let Some(locked) = self.lock_environment(&mut tx, app, env)? else {
                return Err(no_environment(app, env).into());
            };
            check_same_environment(Some(&locked.environment), environment)?;
            tx.execute(
                "DELETE FROM environments WHERE env_key = $1",
                &[&locked.key],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn append(&self, draft: Draft) -> Result<Deployment> {
        let (app, env) = (draft.app().to_owned(), draft.env().to_owned());
        self.pool.run(|client| {
            let mut tx = client.transaction()?;
            let locked = self.lock_environment(&mut tx, &app, &env)?;
            check_same_environment(locked.as_ref().map(|l| &l.environment), draft.environment())?;
            let Some(locked) = locked else {
                return Err(no_environment(&app, &env).into());
            };
            let record = draft.seal(locked.head.clone());
            let document =
                serde_json::to_string(&record).map_err(|e| store_error(e.to_string()))?;
            tx.execute(
                "INSERT INTO records (id, app, env, env_key, seq, parent, at, principal, document)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb)
                 ON CONFLICT (id) DO UPDATE SET env_key = EXCLUDED.env_key,
                     seq = EXCLUDED.seq, failed = false",
                &[
                    &record.id,
                    &app,
                    &env,
                    &locked.key,
                    &locked.length,
                    &record.inputs.parent,
                    &record.inputs.at,
                    &record.inputs.principal,
                    &document,
                ],
            )?;
            tx.execute(
                "UPDATE environments SET head = $1, length = length + 1 WHERE env_key = $2",
                &[&record.id, &locked.key],
            )?;
            tx.commit()?;
            Ok(record)
        })
    }

    fn record(&self, id: &str) -> Result<Deployment> {
        if !is_record_id(id) {
            return Err(store_error(format!(
                "`{id}` is not a record id (64 lower-case hex digits): `goldpath history` lists the ids"
            )));
        }
        let row = self.pool.run(|client| {
            Ok(client.query_opt("SELECT document::text FROM records WHERE id = $1", &[&id])?)
        })?;
        let Some(row) = row else {
            return Err(no_record(id));
        };
        self.read_record(id, row.get(0))
    }

    fn history(&self, app: &str, env: &str) -> Result<History> {
        let rows = self.pool.run(|client| {
            let mut tx = client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let key: Option<i64> = tx
                .query_opt(
                    "SELECT env_key FROM environments WHERE app = $1 AND name = $2",
                    &[&app, &env],
                )?
                .map(|row| row.get(0));
            let Some(key) = key else {
                return Err(no_environment(app, env).into());
            };
            let rows = tx.query(
                "SELECT id, document::text, failed FROM records WHERE env_key = $1 ORDER BY seq",
                &[&key],
            )?;
            tx.commit()?;
            Ok(rows)
        })?;
        let entries = rows
            .iter()
            .map(|row| {
                let id: String = row.get(0);
                HistoryEntry {
                    record: self.read_record(&id, row.get(1)),
                    failed: row.get(2),
                    id,
                }
            })
            .collect();
        Ok(History { entries })
    }

    fn mark_failed(&self, app: &str, env: &str, id: &str) -> Result<()> {
        self.pool.run(|client| {
            let mut tx = client.transaction()?;
            let Some(locked) = self.lock_environment(&mut tx, app, env)? else {
                return Err(no_environment(app, env).into());
            };
            let marked = tx.execute(
                "UPDATE records SET failed = true WHERE id = $1 AND env_key = $2",
                &[&id, &locked.key],
            )?;
            if marked == 0 {
                return Err(not_in_history(app, env, id).into());
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn pending_deprovisions(&self, app: &str, env: &str) -> Result<Vec<PendingDeprovision>> {
        let row = self.pool.run(|client| {
            Ok(client.query_opt(
                "SELECT pending::text FROM environments WHERE app = $1 AND name = $2",
                &[&app, &env],
            )?)
        })?;
        let Some(row) = row else {
            return Err(no_environment(app, env));
        };
        let Some(document) = row.get::<_, Option<&str>>(0) else {
            return Ok(Vec::new());
        };
        serde_json::from_str(document).map_err(|e| {
            store_error(format!(
                "the pending deprovisions of environment `{env}` of app `{app}` in PostgreSQL store {} are corrupt ({e}): restore the row from a backup",
                self.pool.shown()
            ))
        })
    }

    fn set_pending_deprovisions(
        &self,
        environment: &Environment,
        pending: &[PendingDeprovision],
    ) -> Result<()> {
        let (app, env) = (environment.app.as_str(), environment.name.as_str());
        let document = if pending.is_empty() {
            None
        } else {
            Some(serde_json::to_string(pending).map_err(|e| store_error(e.to_string()))?)
        };
        self.pool.run(|client| {
            let mut tx = client.transaction()?;
            let locked = self.lock_environment(&mut tx, app, env)?;
            check_same_environment(locked.as_ref().map(|l| &l.environment), environment)?;
            let Some(locked) = locked else {
                return Err(no_environment(app, env).into());
            };
            tx.execute(
                "UPDATE environments SET pending = $1::text::jsonb WHERE env_key = $2",
                &[&document, &locked.key],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn record_ids(&self) -> Result<Vec<String>> {
        let rows = self
            .pool
            .run(|client| Ok(client.query("SELECT id FROM records ORDER BY id", &[])?))?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    fn import_record(&self, record: &Deployment) -> Result<()> {
        record.verify()?;
        let document = serde_json::to_string(record).map_err(|e| store_error(e.to_string()))?;
        let inputs = &record.inputs;
        self.pool.run(|client| {
            client.execute(
                "INSERT INTO records (id, app, env, parent, at, principal, document)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb) ON CONFLICT (id) DO NOTHING",
                &[
                    &record.id,
                    &inputs.app,
                    &inputs.env,
                    &inputs.parent,
                    &inputs.at,
                    &inputs.principal,
                    &document,
                ],
            )?;
            Ok(())
        })
    }

    fn resolve_id(&self, prefix: &str) -> Result<String> {
        if prefix.len() < 4 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            // Too short, or not hex (so never a pattern): the trait's rules and messages.
            return super::resolve_in(prefix, Vec::new());
        }
        let pattern = format!("{prefix}%");
        let rows = self.pool.run(|client| {
            Ok(client.query(
                "SELECT id FROM records WHERE id LIKE $1 ORDER BY id LIMIT 2",
                &[&pattern],
            )?)
        })?;
        super::resolve_in(prefix, rows.iter().map(|row| row.get(0)).collect())
    }
}
