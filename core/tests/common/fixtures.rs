//! The sample application and platform of `fixtures/`, loaded for tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use goldpath::deploy::{Actor, DirStore, MemoryStore, Store};
use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::rbac::Principal;
use goldpath::resolve::WorkloadInput;

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The workloads of `fixtures/shop`.
pub fn shop() -> Vec<WorkloadInput> {
    workloads_in(&repo().join("fixtures/shop"))
}

/// The workloads of the Score files in `path`.
pub fn workloads_in(path: &Path) -> Vec<WorkloadInput> {
    let docs = Loader::default().path(path).unwrap();
    docs.workloads
        .into_iter()
        .map(WorkloadInput::from_loaded)
        .collect()
}

/// The platform of `fixtures/platform`.
pub fn platform() -> Platform {
    platform_in(&repo().join("fixtures/platform"))
}

/// The platform of the documents in `path`.
pub fn platform_in(path: &Path) -> Platform {
    let docs = Loader::default().path(path).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}

/// A member of the fixture platform's `platform-team` group (platform-admin) acting at `at`.
pub fn admin(at: impl Into<String>) -> Actor {
    Actor::at(at).by(Principal::user("pat").in_group("platform-team"))
}

/// The plan of `fixtures/shop` for environment `env` (of type `env_type`) of app `shop`.
pub fn shop_plan(engine: &Engine, env: &str, env_type: &str, options: &PlanOptions) -> Plan {
    engine
        .plan(&shop(), &Context::new("shop", env, env_type), options)
        .unwrap()
}

/// Runs `check` on an empty memory store, an empty folder store and, when
/// `GOLDPATH_TEST_PG_URL` names a PostgreSQL server (feature `postgres`), an empty PostgreSQL
/// store: the conformance suite every store passes unchanged.
pub fn in_each_store(check: impl Fn(&dyn Store)) {
    check(&MemoryStore::new());
    let folder = tempfile::tempdir().unwrap();
    check(&DirStore::open(folder.path()).unwrap());
    #[cfg(feature = "postgres")]
    if let Some(url) = pg::fresh_url() {
        check(&goldpath::deploy::PgStore::open(&url).unwrap());
    }
}

/// The engine of the fixture platform, made once.
pub fn shared_engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(platform()))
}

/// Deploys `fixtures/shop` to environment `env` (created on first deploy) at `at`, as
/// [`admin`].
pub fn deploy_shop(store: &dyn Store, env: &str, at: &str) -> goldpath::deploy::Deployment {
    static SHOP: std::sync::OnceLock<Vec<WorkloadInput>> = std::sync::OnceLock::new();
    goldpath::deploy::Deployer::new(shared_engine(), store)
        .deploy("shop", env, SHOP.get_or_init(shop), &admin(at))
        .unwrap()
}

/// The values of every Secret's `stringData`, and the decoded `data`, long enough to be
/// recognised anywhere (generated passwords).
pub fn secret_values(manifests: &[serde_json::Value]) -> Vec<String> {
    let mut out = Vec::new();
    for m in manifests.iter().filter(|m| m["kind"] == "Secret") {
        for field in ["stringData", "data"] {
            if let Some(entries) = m[field].as_object() {
                out.extend(
                    entries
                        .values()
                        .filter_map(serde_json::Value::as_str)
                        .map(str::to_owned),
                );
            }
        }
    }
    out.retain(|v| v.len() >= 16);
    assert!(!out.is_empty(), "the fixtures generate a database password");
    out
}

/// The ids of `history` after asserting it is one line (each parent the entry before), every
/// record readable and none listed twice.
pub fn one_line(history: &goldpath::deploy::History) -> std::collections::BTreeSet<String> {
    let mut parent = None;
    for entry in &history.entries {
        let record = entry.record.as_ref().expect("every stored record is whole");
        assert_eq!(record.inputs.parent, parent, "the history forked");
        parent = Some(record.id.clone());
    }
    let ids: std::collections::BTreeSet<String> =
        history.ids().into_iter().map(str::to_owned).collect();
    assert_eq!(ids.len(), history.entries.len(), "a record is listed twice");
    ids
}

/// A PostgreSQL server for the tests: `GOLDPATH_TEST_PG_URL` (`.ci/postgres.sh start DIR`
/// starts one and prints its URL). Each store gets a schema of its own.
#[cfg(feature = "postgres")]
pub mod pg {
    use std::sync::atomic::{AtomicU32, Ordering};

    /// The server's URL, or `None` after saying why the PostgreSQL cases are skipped.
    pub fn url() -> Option<String> {
        match std::env::var("GOLDPATH_TEST_PG_URL") {
            Ok(url) if !url.is_empty() => Some(url),
            _ => {
                eprintln!(
                    "skipping the PostgreSQL store: GOLDPATH_TEST_PG_URL is not set (`.ci/postgres.sh start DIR` starts a server and prints it)"
                );
                None
            }
        }
    }

    /// A connection to the server as given, for checks the store has no method for.
    pub fn client(url: &str) -> postgres::Client {
        postgres::Client::connect(url, postgres::NoTls).unwrap()
    }

    /// The URL of a new, empty schema of the server (its `search_path`), or `None`.
    pub fn fresh_url() -> Option<String> {
        static N: AtomicU32 = AtomicU32::new(0);
        let base = url()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let schema = format!(
            "t_{}_{}_{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        client(&base)
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        Some(in_schema(&base, &schema))
    }

    /// `url` with its `search_path` set to `schema`.
    pub fn in_schema(url: &str, schema: &str) -> String {
        let join = if url.contains('?') { '&' } else { '?' };
        format!("{url}{join}options=-csearch_path%3D{schema}")
    }
}

/// The file of record `id` in the folder store at `root`.
pub fn record_file(root: &Path, id: &str) -> PathBuf {
    root.join("records").join(format!("{id}.json"))
}

/// A `RoleBinding` document named `name` giving user `user` the role `role` in `scope` (a
/// YAML flow mapping such as `{app: shop}`).
pub fn role_binding(name: &str, user: &str, role: &str, scope: &str) -> String {
    format!(
        "apiVersion: goldpath.dev/v1alpha1\nkind: RoleBinding\nmetadata: {{name: {name}}}\nspec:\n  subjects: [{{kind: User, name: {user}}}]\n  role: {role}\n  scope: {scope}\n"
    )
}

/// Asserts that `err` is of `kind` and that its message holds each of `says`.
pub fn assert_error(err: &goldpath::Error, kind: goldpath::ErrorKind, says: &[&str]) {
    assert_eq!(err.kind(), kind, "{err}");
    for part in says {
        assert!(err.message().contains(part), "{part:?} not in: {err}");
    }
}

/// Asserts that `result` failed with an error of `kind` whose message holds each of `says`;
/// returns the error.
pub fn refused<T: std::fmt::Debug>(
    result: goldpath::Result<T>,
    kind: goldpath::ErrorKind,
    says: &[&str],
) -> goldpath::Error {
    let err = result.unwrap_err();
    assert_error(&err, kind, says);
    err
}
