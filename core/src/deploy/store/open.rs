//! Which store a caller names: a folder, or a `postgres://` URL. The one place that reads a
//! store selection; the command line and the bindings call it.

use std::fmt;
use std::path::PathBuf;

use super::{DirStore, Store};
use crate::{Error, ErrorKind, Location, Result};

/// A store selection: a folder or a PostgreSQL URL.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreSpec {
    /// A folder store ([`DirStore`]).
    Dir(PathBuf),
    /// A PostgreSQL store (`postgres://` or `postgresql://`; feature `postgres`).
    Postgres(String),
}

impl StoreSpec {
    /// Reads a selection: a value with `postgres://` or `postgresql://` is a database, a value
    /// with another `scheme://` is refused (never taken for a folder name), anything else is a
    /// folder.
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] for an empty value, another scheme, a malformed URL, or a URL
    /// when goldpath was built without feature `postgres`. No message holds a password.
    pub fn parse(spec: &str) -> Result<Self> {
        if spec.is_empty() {
            return Err(invalid(
                "the store is empty: give a folder or a postgres:// URL",
            ));
        }
        if super_is_postgres(spec) {
            return postgres_spec(spec);
        }
        if let Some((scheme, _)) = spec.split_once("://")
            && !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        {
            return Err(invalid(&format!(
                "`{scheme}://` is not a store goldpath knows: give a folder, or a postgres:// URL"
            )));
        }
        Ok(Self::Dir(PathBuf::from(spec)))
    }

    /// Reads a selection that must be a PostgreSQL URL: what the bindings' PostgreSQL store
    /// constructors take.
    ///
    /// # Errors
    /// What [`StoreSpec::parse`] returns; [`ErrorKind::Invalid`] for a folder.
    pub fn postgres(url: &str) -> Result<Self> {
        match Self::parse(url)? {
            spec @ Self::Postgres(_) => Ok(spec),
            Self::Dir(_) => Err(invalid(
                "a PostgreSQL store needs a postgres:// or postgresql:// URL (postgres://USER@HOST:PORT/DATABASE)",
            )),
        }
    }

    /// Opens the store: the folder is created if missing, the database's schema on first use.
    ///
    /// # Errors
    /// What [`DirStore::open`] or [`PgStore::open`](super::PgStore::open) returns.
    pub fn open(&self) -> Result<Box<dyn Store>> {
        match self {
            Self::Dir(root) => Ok(Box::new(DirStore::open(root)?)),
            #[cfg(feature = "postgres")]
            Self::Postgres(url) => Ok(Box::new(super::PgStore::open(url)?)),
            #[cfg(not(feature = "postgres"))]
            Self::Postgres(_) => Err(no_postgres()),
        }
    }
}

/// Opens the store `spec` names ([`StoreSpec::parse`], then [`StoreSpec::open`]).
///
/// # Errors
/// A malformed selection ([`ErrorKind::Invalid`]); what opening the store returns.
pub fn open_store(spec: &str) -> Result<Box<dyn Store>> {
    StoreSpec::parse(spec)?.open()
}

impl fmt::Display for StoreSpec {
    /// The folder, or the URL without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dir(root) => write!(f, "{}", root.display()),
            Self::Postgres(url) => write!(f, "{}", hide_password(url)),
        }
    }
}

impl fmt::Debug for StoreSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreSpec({self})")
    }
}

impl std::str::FromStr for StoreSpec {
    type Err = Error;

    fn from_str(spec: &str) -> Result<Self> {
        Self::parse(spec)
    }
}

fn super_is_postgres(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

#[cfg(feature = "postgres")]
fn postgres_spec(spec: &str) -> Result<StoreSpec> {
    super::pg::url::Target::parse(spec)?;
    Ok(StoreSpec::Postgres(spec.to_owned()))
}

#[cfg(not(feature = "postgres"))]
fn postgres_spec(_: &str) -> Result<StoreSpec> {
    Err(no_postgres())
}

#[cfg(feature = "postgres")]
fn hide_password(url: &str) -> String {
    super::pg::url::hide_password(url)
}

#[cfg(not(feature = "postgres"))]
fn hide_password(_: &str) -> String {
    "postgres://…".to_owned()
}

#[cfg(not(feature = "postgres"))]
fn no_postgres() -> Error {
    invalid(
        "this goldpath was built without the PostgreSQL store (cargo feature `postgres`): give a folder",
    )
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorKind::Invalid, Location::default(), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_is_a_folder_a_database_or_refused() {
        assert_eq!(
            StoreSpec::parse("var/store").unwrap(),
            StoreSpec::Dir("var/store".into())
        );
        for other in ["mysql://u@h/db", "s3://bucket/x", "file:///tmp/x"] {
            let err = StoreSpec::parse(other).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Invalid, "{other}");
            assert!(err.message().contains("is not a store"), "{err}");
        }
        assert_eq!(StoreSpec::parse("").unwrap_err().kind(), ErrorKind::Invalid);
        let err = StoreSpec::postgres("var/store").unwrap_err();
        assert!(err.message().contains("needs a postgres://"), "{err}");
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn a_database_url_is_checked_and_shown_without_its_password() {
        let spec = StoreSpec::parse("postgresql://app:hunter2@db:5432/gp").unwrap();
        assert_eq!(spec.to_string(), "postgresql://app:***@db:5432/gp");
        assert!(!format!("{spec:?}").contains("hunter2"));
        let err = StoreSpec::parse("postgres://app:hunter2@db:x/gp").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
