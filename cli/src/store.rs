//! Arguments shared by the commands that read or write a store: the store (a folder or a
//! PostgreSQL URL), who acts and when.

use std::time::{SystemTime, UNIX_EPOCH};

use goldpath::Result;
use goldpath::deploy::{Actor, Store, StoreSpec};
use goldpath::rbac::Principal;

/// The deployment store.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The deployment store: a folder (created if missing) or a postgres:// URL (its schema
    /// created on first use; the password from PGPASSWORD or ~/.pgpass, never in the URL
    /// of a shared command line). Default: $GOLDPATH_STORE.
    #[arg(long, value_name = "DIR|URL", env = "GOLDPATH_STORE", hide_env_values = true, value_parser = StoreParser)]
    pub store: StoreSpec,
}

impl StoreArgs {
    /// Opens the store.
    pub fn open(&self) -> Result<Box<dyn Store>> {
        self.store.open()
    }
}

/// Reads a store selection for clap: a malformed one is a usage error (exit status 2) whose
/// message shows the URL without its password (clap's own would quote the value whole).
#[derive(Debug, Clone, Copy)]
pub struct StoreParser;

impl clap::builder::TypedValueParser for StoreParser {
    type Value = StoreSpec;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<StoreSpec, clap::Error> {
        let name = arg.map_or_else(|| "--store".to_owned(), |a| format!("--{}", a.get_id()));
        let fail = |message: &str| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("{name}: {message}\n"),
            )
            .with_cmd(cmd)
        };
        let spec = value
            .to_str()
            .ok_or_else(|| fail("the store is not valid UTF-8"))?;
        StoreSpec::parse(spec).map_err(|e| fail(e.message()))
    }
}

/// Which environment of which application.
#[derive(Debug, Clone, clap::Args)]
pub struct EnvironmentArgs {
    /// The application id.
    #[arg(long, value_name = "NAME")]
    pub app: String,
    /// The environment id.
    #[arg(long, value_name = "NAME")]
    pub env: String,
}

/// Who acts, and when.
#[derive(Debug, Clone, clap::Args)]
pub struct ActorArgs {
    /// When, as RFC 3339 (default: now, in UTC). Records keep this time.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// The user acting (checked against the platform's role bindings).
    #[arg(long = "as", value_name = "USER")]
    pub user: Option<String>,
    /// A group of the user (repeatable).
    #[arg(long = "group", value_name = "GROUP", requires = "user")]
    pub groups: Vec<String>,
}

impl ActorArgs {
    /// The actor these arguments name.
    pub fn actor(&self) -> Actor {
        let at = self.at.clone().unwrap_or_else(now_rfc3339);
        let actor = Actor::at(at);
        match &self.user {
            Some(user) => actor.by(Principal {
                user: user.clone(),
                groups: self.groups.clone(),
            }),
            None => actor,
        }
    }
}

/// The current time in UTC as RFC 3339, to the second. Only the CLI reads the clock; the
/// library takes the time from its caller.
fn now_rfc3339() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(seconds)
}

/// `seconds` after the Unix epoch as `YYYY-MM-DDThh:mm:ssZ`.
fn rfc3339(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_become_rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_429_445), "2026-11-23T10:24:05Z");
        assert!(goldpath::deploy::check_timestamp(&now_rfc3339()).is_ok());
    }
}
