//! Connections to the server: opened on demand (TLS through rustls when the URL asks for it),
//! kept for reuse while they work, dropped when the server closed them; every client error
//! becomes a goldpath [`Error`] without the password.

use std::sync::{Arc, Mutex, PoisonError};

use postgres::{Client, NoTls};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::url::{Target, Tls};
use crate::{Error, ErrorKind, Location, Result};

/// Why a step against the database failed: the client's error, or goldpath's own.
pub(super) enum Fail {
    /// The client or the server failed.
    Pg(postgres::Error),
    /// A goldpath rule refused the step (the transaction is rolled back).
    Goldpath(Error),
}

impl From<postgres::Error> for Fail {
    fn from(error: postgres::Error) -> Self {
        Self::Pg(error)
    }
}

impl From<Error> for Fail {
    fn from(error: Error) -> Self {
        Self::Goldpath(error)
    }
}

/// How long a kept connection may take to answer the check before each use.
const VALIDITY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The connections of one store.
pub(super) struct Pool {
    target: Target,
    tls: Option<MakeRustlsConnect>,
    idle: Mutex<Vec<Client>>,
}

impl Pool {
    /// A pool for `target`; no connection is opened yet.
    pub fn new(target: Target) -> Result<Self> {
        let tls = match &target.tls {
            Tls::Off => None,
            Tls::On { root_cert } => Some(rustls_connector(root_cert.as_deref())?),
        };
        Ok(Self {
            target,
            tls,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// The URL as shown in messages.
    pub fn shown(&self) -> &str {
        &self.target.shown
    }

    /// Runs `step` on a connection: a kept one that still answers, or a new one. A
    /// connection that broke during the step is dropped.
    pub fn run<T>(&self, step: impl FnOnce(&mut Client) -> Result<T, Fail>) -> Result<T> {
        let mut client = self.checkout()?;
        let result = step(&mut client);
        if !client.is_closed() {
            self.idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(client);
        }
        result.map_err(|fail| match fail {
            Fail::Pg(error) => self.error(&error),
            Fail::Goldpath(error) => error,
        })
    }

    fn checkout(&self) -> Result<Client> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        // A kept connection the server closed meanwhile (a restart, an idle timeout) is
        // replaced before use, so no step fails for it.
        if let Some(mut client) = idle
            && client.is_valid(VALIDITY_TIMEOUT).is_ok()
        {
            return Ok(client);
        }
        let connected = match &self.tls {
            None => self.target.config.connect(NoTls),
            Some(tls) => self.target.config.connect(tls.clone()),
        };
        connected.map_err(|e| self.error(&e))
    }

    /// The goldpath error for a client error: [`ErrorKind::Io`] when the server cannot be
    /// reached or the connection broke, [`ErrorKind::Store`] when the server refused a
    /// statement. The message names the store without its password.
    pub fn error(&self, error: &postgres::Error) -> Error {
        let db = error.as_db_error();
        // Class 08 (connection exception) and 57P (the server shutting down or restarting)
        // break the connection; other server errors refuse a statement.
        let code = db.map(|db| db.code().code()).unwrap_or_default();
        let broken = db.is_none() || code.starts_with("08") || code.starts_with("57P");
        let text = match db {
            Some(db) => format!("{}: {}", db.severity(), db.message()),
            None => error_chain(error),
        };
        let (kind, then) = if broken {
            (
                ErrorKind::Io,
                "check that the server runs and can be reached; a record being written when the connection broke is stored whole or not at all, as the history shows",
            )
        } else {
            (ErrorKind::Store, "nothing was changed")
        };
        Error::new(
            kind,
            Location::default(),
            self.target.redact(&format!(
                "PostgreSQL store {}: {text}; {then}",
                self.target.shown
            )),
        )
    }
}

/// The error and its sources, `: `-separated.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}

/// A rustls connector trusting the system's roots and the PEM certificates of `root_cert`.
fn rustls_connector(root_cert: Option<&str>) -> Result<MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        // A system certificate rustls cannot use is skipped, as the system's own clients do.
        let _ = roots.add(cert);
    }
    if let Some(path) = root_cert {
        let certs = CertificateDer::pem_file_iter(path)
            .and_then(Iterator::collect::<std::result::Result<Vec<_>, _>>)
            .map_err(|e| tls_error(&format!("cannot read the certificates of `{path}`: {e}")))?;
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| tls_error(&format!("a certificate of `{path}` is unusable: {e}")))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(&e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn tls_error(message: &str) -> Error {
    Error::new(
        ErrorKind::Io,
        Location::default(),
        format!("PostgreSQL TLS: {message}"),
    )
}
