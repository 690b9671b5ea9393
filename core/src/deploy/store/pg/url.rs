//! A `postgres://` URL, read into a connection configuration: TLS from `sslmode`, the
//! password from the URL, `PGPASSWORD` or a `.pgpass` file, and a form of the URL without its
//! password to name the store in messages.

use std::str::FromStr;

use postgres::config::{Host, SslMode};

use crate::{Error, ErrorKind, Location, Result};

/// Whether and how to use TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tls {
    /// A plain connection (no `sslmode`, or `disable`, `allow`, `prefer`).
    Off,
    /// TLS through rustls, the server's certificate checked against the system's roots and
    /// the certificates of `sslrootcert`, if given (`require`, `verify-ca`, `verify-full`).
    On {
        /// A PEM file of trusted certificates.
        root_cert: Option<String>,
    },
}

/// A connection target read from a URL.
pub(crate) struct Target {
    /// The configuration handed to the client (without `sslmode` or `sslrootcert`).
    pub config: postgres::Config,
    /// TLS or not.
    pub tls: Tls,
    /// The URL as shown in messages: user, hosts, ports and database, never the password.
    pub shown: String,
    /// The passwords of the URL and the one in use, kept to take them out of any message
    /// that might quote them.
    passwords: Vec<String>,
}

impl Target {
    /// Reads `url` (`postgres://` or `postgresql://`).
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] when the URL is malformed; the message never holds its password.
    pub fn parse(url: &str) -> Result<Self> {
        let (base, params) = split_query(url);
        let mut tls = Tls::Off;
        let mut root_cert = None;
        let mut kept = Vec::new();
        for (key, value) in params {
            match key.as_str() {
                "sslmode" => tls = ssl_mode(&value, url)?,
                "sslrootcert" => root_cert = Some(percent_decode(&value)),
                _ => kept.push(format!("{key}={value}")),
            }
        }
        if let Tls::On { root_cert: slot } = &mut tls {
            *slot = root_cert;
        }
        let rebuilt = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut passwords = url_passwords(url);
        let mut config = postgres::Config::from_str(&rebuilt)
            .map_err(|e| malformed(url, &redact(&e.to_string(), &passwords)))?;
        config.ssl_mode(if tls == Tls::Off {
            SslMode::Disable
        } else {
            SslMode::Require
        });
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        if config.get_user().is_none()
            && let Ok(user) = std::env::var("PGUSER")
        {
            config.user(&user);
        }
        let password = match config.get_password() {
            Some(p) => Some(String::from_utf8_lossy(p).into_owned()),
            None => password_from_environment(&config),
        };
        if let Some(p) = password {
            config.password(&p);
            passwords.push(p);
        }
        let shown = shown(&config);
        Ok(Self {
            config,
            tls,
            shown,
            passwords,
        })
    }

    /// `message` with every password replaced by `***`.
    pub fn redact(&self, message: &str) -> String {
        redact(message, &self.passwords)
    }
}

fn ssl_mode(value: &str, url: &str) -> Result<Tls> {
    match value {
        "disable" | "allow" | "prefer" => Ok(Tls::Off),
        "require" | "verify-ca" | "verify-full" => Ok(Tls::On { root_cert: None }),
        other => Err(malformed(
            url,
            &format!(
                "sslmode `{other}` is unknown: write disable, prefer, require, verify-ca or verify-full"
            ),
        )),
    }
}

fn malformed(url: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::Invalid,
        Location::default(),
        format!(
            "the PostgreSQL URL `{}` is malformed ({why}): write it as postgres://USER@HOST:PORT/DATABASE",
            hide_password(url)
        ),
    )
}

/// The URL before `?` and its `key=value` parameters.
fn split_query(url: &str) -> (&str, Vec<(String, String)>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url, Vec::new());
    };
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (p.to_owned(), String::new()),
        })
        .collect();
    (base, params)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| {
            std::str::from_utf8(h)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        });
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The passwords of the URL's user information and of its `password=` parameters, as
/// written and percent-decoded.
fn url_passwords(url: &str) -> Vec<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let in_authority = authority
        .rsplit_once('@')
        .and_then(|(info, _)| info.split_once(':'))
        .map(|(_, password)| password);
    let in_query = split_query(url)
        .1
        .into_iter()
        .filter(|(k, _)| k == "password");
    in_authority
        .map(str::to_owned)
        .into_iter()
        .chain(in_query.map(|(_, v)| v))
        .flat_map(|p| [percent_decode(&p), p])
        .filter(|p| !p.is_empty())
        .collect()
}

/// `url` with the password of its user information, and any `password=` parameter, replaced
/// by `***`.
pub(crate) fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((info, host)) => match info.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{info}@{host}"),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|p| {
                    if p.starts_with("password=") {
                        "password=***".to_owned()
                    } else {
                        p.to_owned()
                    }
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// `message` with every occurrence of each of `passwords` (the longest first) replaced by
/// `***`.
fn redact(message: &str, passwords: &[String]) -> String {
    let mut sorted: Vec<&String> = passwords.iter().filter(|p| !p.is_empty()).collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.len()));
    sorted.into_iter().fold(message.to_owned(), |text, p| {
        text.replace(p.as_str(), "***")
    })
}

/// The user, hosts, ports and database of `config`, as a URL without a password.
fn shown(config: &postgres::Config) -> String {
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let port = config
                .get_ports()
                .get(i)
                .or(config.get_ports().first())
                .map(|p| format!(":{p}"))
                .unwrap_or_default();
            match host {
                Host::Tcp(name) => format!("{name}{port}"),
                Host::Unix(path) => format!("[{}]{port}", path.display()),
            }
        })
        .collect();
    let db = config.get_dbname().unwrap_or_default();
    format!("postgres://{user}{}/{db}", hosts.join(","))
}

/// The password of `PGPASSWORD`, or else of the first matching line of the password file
/// (`PGPASSFILE`, or `~/.pgpass`), as libpq finds it.
fn password_from_environment(config: &postgres::Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        return Some(password);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".pgpass"))
        })?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        Some(Host::Unix(_)) | None => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or_default(),
        config.get_user().unwrap_or_default(),
    ];
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(pgpass_fields)
        .find(|fields| {
            fields.len() == 5
                && fields[..4]
                    .iter()
                    .zip(wanted)
                    .all(|(field, want)| field == "*" || field == want)
        })
        .map(|fields| fields[4].clone())
}

/// The `:`-separated fields of a `.pgpass` line (`\:` and `\\` escaped).
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields
                .last_mut()
                .into_iter()
                .for_each(|f| f.extend(chars.next())),
            ':' => fields.push(String::new()),
            c => fields.last_mut().into_iter().for_each(|f| f.push(c)),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows() {
        let url = "postgres://app:s3cr%40t@db.example:5433/goldpath?sslmode=require&password=x2";
        assert_eq!(
            hide_password(url),
            "postgres://app:***@db.example:5433/goldpath?sslmode=require&password=***"
        );
        let target = Target::parse(url).unwrap();
        assert_eq!(target.shown, "postgres://app@db.example:5433/goldpath");
        assert_eq!(target.tls, Tls::On { root_cert: None });
        let said = target.redact("auth failed for s3cr@t (s3cr%40t) or x2");
        assert!(!said.contains("s3cr") && !said.contains("x2"), "{said}");
        let err = Target::parse("postgres://app:s3cr%40t@db:notaport/x")
            .err()
            .unwrap();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(!err.to_string().contains("s3cr"), "{err}");
    }

    #[test]
    fn sslmode_picks_tls() {
        for (mode, on) in [("disable", false), ("prefer", false), ("verify-full", true)] {
            let target = Target::parse(&format!("postgres://u@h/d?sslmode={mode}")).unwrap();
            assert_eq!(target.tls != Tls::Off, on, "{mode}");
        }
        assert!(Target::parse("postgres://u@h/d").unwrap().tls == Tls::Off);
        let err = Target::parse("postgres://u@h/d?sslmode=maybe")
            .err()
            .unwrap();
        assert!(err.message().contains("sslmode `maybe`"), "{err}");
    }

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        assert_eq!(
            pgpass_fields(r"db:*:goldpath:app:pa\:ss\\"),
            ["db", "*", "goldpath", "app", r"pa:ss\"]
        );
    }
}
