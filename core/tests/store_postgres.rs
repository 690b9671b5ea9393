//! The PostgreSQL store (feature `postgres`) beyond the conformance suite: deployers in
//! threads and processes, corrupt and edited rows, a newer schema, folder → database →
//! folder migration, TLS against a server that requires it, and no secret value or URL password
//! in any row or message. Skipped, with the reason on stderr, when `GOLDPATH_TEST_PG_URL` is
//! not set.
#![cfg(feature = "postgres")]

#[path = "common/fixtures.rs"]
mod fixtures;

use std::collections::BTreeSet;
use std::path::Path;

use goldpath::ErrorKind;
use goldpath::deploy::{DirStore, PgStore, Store, migrate_store};
use goldpath::plan::PlanOptions;

use fixtures::{deploy_shop, pg, refused};

const CHILD_URL: &str = "GOLDPATH_TEST_CHILD_PG_URL";
const DEPLOYS_PER_CHILD: usize = 4;

/// The body of the child processes below; does nothing when run on its own.
#[test]
fn child_process_deploys() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let store = PgStore::open(&url).unwrap();
    for i in 0..DEPLOYS_PER_CHILD {
        let at = format!("2026-11-23T10:00:0{i}.{}Z", std::process::id());
        println!("deployed {}", deploy_shop(&store, "qa-42", &at).id);
    }
}

fn spawn_children(url: &str, n: usize) -> Vec<std::process::Child> {
    (0..n)
        .map(|_| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "child_process_deploys", "--nocapture"])
                .args(["--test-threads=1"])
                .env(CHILD_URL, url)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect()
}

#[test]
fn eight_threads_and_four_processes_deploying_through_one_database_make_one_line() {
    let Some(url) = pg::fresh_url() else { return };
    let store = PgStore::open(&url).unwrap();
    let mut ids = BTreeSet::from([deploy_shop(&store, "qa-42", "2026-11-23T09:00:00Z").id]);
    let children = spawn_children(&url, 4);
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let store = &store;
                scope.spawn(move || {
                    deploy_shop(store, "qa-42", &format!("2026-11-23T11:00:0{i}Z")).id
                })
            })
            .collect();
        ids.extend(threads.into_iter().map(|t| t.join().unwrap()));
    });
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        let mine: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split("deployed ").nth(1))
            .collect();
        assert_eq!(
            mine.len(),
            DEPLOYS_PER_CHILD,
            "each child reported its deploys"
        );
        ids.extend(mine.into_iter().map(str::to_owned));
    }
    assert_eq!(ids.len(), 1 + 8 + 4 * DEPLOYS_PER_CHILD);
    let listed = fixtures::one_line(&store.history("shop", "qa-42").unwrap());
    assert_eq!(listed, ids, "a record was lost");
    assert_eq!(
        store.record_ids().unwrap(),
        ids.into_iter().collect::<Vec<_>>()
    );
}

#[test]
fn a_corrupt_row_is_reported_with_its_id_and_the_rest_stays_readable() {
    let Some(url) = pg::fresh_url() else { return };
    let store = PgStore::open(&url).unwrap();
    let ids: Vec<String> = ["10", "11", "12"]
        .iter()
        .map(|h| deploy_shop(&store, "qa-42", &format!("2026-11-23T{h}:00:00Z")).id)
        .collect();
    let mut client = pg::client(&url);
    client
        .execute(
            "UPDATE records SET document = '{\"format\": 1}' WHERE id = $1",
            &[&ids[1]],
        )
        .unwrap();
    client
        .execute(
            "UPDATE records SET document = jsonb_set(document, '{inputs,at}', '\"2026-11-23T12:00:01Z\"') WHERE id = $1",
            &[&ids[2]],
        )
        .unwrap();
    let history = store.history("shop", "qa-42").unwrap();
    assert_eq!(
        history.ids(),
        ids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(history.entries[0].record.is_ok());
    for (entry, says) in history.entries[1..]
        .iter()
        .zip(["corrupt", "does not match its inputs"])
    {
        let err = entry.record.as_ref().unwrap_err();
        fixtures::assert_error(err, ErrorKind::Store, &[entry.id.as_str(), says]);
    }
    refused(
        store.record(&ids[2]),
        ErrorKind::Store,
        &["does not match its inputs"],
    );
    assert_eq!(
        history.current().map(|r| r.id.as_str()),
        None,
        "never an older record"
    );
}

#[test]
fn a_database_of_a_newer_schema_is_refused() {
    let Some(url) = pg::fresh_url() else { return };
    PgStore::open(&url).unwrap();
    pg::client(&url)
        .execute("UPDATE goldpath_schema SET version = version + 1", &[])
        .unwrap();
    refused(
        PgStore::open(&url),
        ErrorKind::Store,
        &["newer than this goldpath"],
    );
}

/// Every file under `root` (lock files aside), by path relative to it, with its bytes.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_none_or(|e| e != "lock") {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn folder_to_database_to_folder_gives_byte_identical_files() {
    let Some(url) = pg::fresh_url() else { return };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let folder = DirStore::open(a.path()).unwrap();
    deploy_shop(&folder, "staging", "2026-11-23T09:00:00Z");
    let staging = folder.environment("shop", "staging").unwrap().unwrap();
    folder.delete_environment(&staging).unwrap();
    deploy_shop(&folder, "qa-42", "2026-11-23T10:00:00Z");
    let failed = deploy_shop(&folder, "qa-42", "2026-11-23T11:00:00Z");
    folder.mark_failed("shop", "qa-42", &failed.id).unwrap();
    deploy_shop(&folder, "staging", "2026-11-23T12:00:00Z");

    let database = PgStore::open(&url).unwrap();
    let there = migrate_store(&folder, &database).unwrap();
    let back = migrate_store(&database, &DirStore::open(b.path()).unwrap()).unwrap();
    assert_eq!(there, back);
    assert_eq!(there.records, 4);
    let (before, after) = (files(a.path()), files(b.path()));
    assert!(before.iter().any(|(name, _)| name.starts_with("records/")));
    assert_eq!(
        before.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        after.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in before.iter().zip(&after) {
        assert!(x == y, "{name} differs after the round trip");
    }
}

/// Every row of every table of the store's schema, as text.
fn every_row(url: &str) -> String {
    let mut client = pg::client(url);
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(tables.len() >= 3, "{tables:?}");
    tables
        .iter()
        .flat_map(|t| {
            client
                .query(&format!("SELECT row_to_json(t)::text FROM {t} t"), &[])
                .unwrap()
        })
        .map(|row| row.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_secret_value_or_url_password_reaches_a_row_or_a_message() {
    let Some(url) = pg::fresh_url() else { return };
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(info, _)| info.split_once(':'))
        .map(|(_, p)| p.to_owned())
        .expect("the test server's URL has a password");
    let store = PgStore::open(&url).unwrap();
    deploy_shop(&store, "qa-42", "2026-11-23T10:00:00Z");
    let engine = fixtures::shared_engine();
    let plan = fixtures::shop_plan(engine, "qa-42", "qa-light", &PlanOptions::default());
    let secrets = fixtures::secret_values(plan.manifests());

    let mut texts = vec![
        every_row(&url),
        format!("{store:?}"),
        store.url().to_owned(),
    ];
    let wrong = url.replacen(&password, "not-the-password-1234", 1);
    let errors = [
        PgStore::open(&wrong).unwrap_err(),
        PgStore::open(&url.replacen("://", "://nobody-", 1)).unwrap_err(),
        PgStore::open(
            &url.replacen("@", "@nowhere.invalid:1", 1)
                .replace("%2F", "x"),
        )
        .unwrap_err(),
        PgStore::open(&format!("{url}&sslmode=sometimes")).unwrap_err(),
    ];
    texts.extend(errors.iter().map(|e| format!("{e} {e:?}")));
    for text in &texts {
        assert!(
            !text.contains(&password),
            "the URL's password shows: {text}"
        );
        assert!(
            !text.contains("not-the-password-1234"),
            "a password shows: {text}"
        );
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret value was stored or shown"
            );
        }
    }
    assert!(texts[0].contains("qa-42"), "the rows were read");
}

/// A throwaway cluster that requires TLS (`GOLDPATH_PG_TLS=1 .ci/postgres.sh start DIR`),
/// stopped and removed when dropped.
struct TlsServer {
    dir: tempfile::TempDir,
    url: String,
}

impl TlsServer {
    fn script() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/postgres.sh")
    }

    /// `None` (saying why) without a PostgreSQL server for the tests or when it cannot start.
    fn start() -> Option<Self> {
        pg::url()?;
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("bash")
            .arg(Self::script())
            .args(["start"])
            .arg(dir.path().join("cluster"))
            .env("GOLDPATH_PG_TLS", "1")
            .output()
            .unwrap();
        if !out.status.success() {
            eprintln!(
                "skipping the TLS case: no TLS cluster could be started: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            return None;
        }
        let url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        Some(Self { dir, url })
    }

    fn certificate(&self) -> String {
        self.dir.path().join("cluster/ca.crt").display().to_string()
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .arg(Self::script())
            .arg("stop")
            .arg(self.dir.path().join("cluster"))
            .status();
    }
}

#[test]
fn sslmode_turns_on_tls_and_the_certificate_is_checked() {
    let Some(server) = TlsServer::start() else {
        return;
    };
    let password = server
        .url
        .split(':')
        .nth(2)
        .unwrap()
        .split('@')
        .next()
        .unwrap();
    // The server refuses connections without TLS (its `hostssl`-only rule says so).
    let plain = PgStore::open(&server.url).unwrap_err();
    assert!(plain.to_string().contains("no encryption"), "{plain}");
    assert!(!plain.to_string().contains(password), "{plain}");
    // TLS with the test CA as the root: the store works.
    let verified = format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        server.url,
        server.certificate()
    );
    let store = PgStore::open(&verified).unwrap();
    let record = deploy_shop(&store, "qa-42", "2026-11-23T10:00:00Z");
    assert_eq!(store.record(&record.id).unwrap(), record);
    // TLS without that root: a certificate of an unknown CA is refused (even with `require`,
    // stricter than libpq), and the message hides the password.
    for mode in ["require", "verify-full"] {
        let unknown = PgStore::open(&format!("{}?sslmode={mode}", server.url)).unwrap_err();
        assert_eq!(unknown.kind(), ErrorKind::Io, "{unknown}");
        assert!(!unknown.to_string().contains(password), "{unknown}");
    }
}
