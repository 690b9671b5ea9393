//! What the tests of the drivers that act on the world share: a platform folder with a
//! `cmd` script, workloads that use its resource, and a log of the calls the script got.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use goldpath::deploy::{Actor, Deployer, MemoryStore, NewEnvironment};
use goldpath::load::Loader;
use goldpath::plan::Engine;
use goldpath::platform::Platform;
use goldpath::resolve::WorkloadInput;
use serde_json::Value;

/// The script every `cmd` test definition runs: it logs each request, then acts as
/// `inputs.values.mode` says.
pub const SCRIPT: &str = r#"#!/usr/bin/env python3
import json, os, sys, time, subprocess
req = json.load(sys.stdin)
values = req.get("values") or {}
with open(os.environ["CALLS"], "a") as f:
    f.write(json.dumps(req, sort_keys=True) + "\n")
mode = values.get("mode", "ok")
if req.get("action") == "deprovision":
    if mode == "fail-deprovision" and os.path.exists(os.environ["CALLS"] + ".fail"):
        print("cannot reach the cloud", file=sys.stderr)
        sys.exit(2)
    print("{}")
    sys.exit(0)
if mode == "fail":
    print("connecting with password " + req["secrets"]["admin"], file=sys.stderr)
    print("giving up", file=sys.stderr)
    sys.exit(3)
if mode == "sleep":
    child = subprocess.Popen(["sleep", "30"])
    with open(os.environ["CALLS"] + ".pids", "w") as f:
        f.write("%d %d" % (os.getpid(), child.pid))
    time.sleep(30)
if mode == "garbage":
    print("this is not json {")
    sys.exit(0)
if mode == "huge":
    sys.stdout.write("x" * (5 * 1024 * 1024))
    sys.exit(0)
count = ((req.get("state") or {}).get("count") or 0) + 1
print(json.dumps({
    "outputs": {"host": "db-%s.internal" % req["context"]["env"], "name": req["id"]},
    "secrets": {"password": "Xq9-Passw0rd-very-secret-7731"},
    "state": {"count": count, "database": req["id"]},
}))
"#;

/// A temporary platform folder: an environment type, a `cmd` definition of `postgres` with
/// `mode` and extra values, and the script.
pub struct World {
    pub dir: tempfile::TempDir,
}

impl World {
    /// A platform whose `postgres` definition `db-cmd` runs the script in `mode`.
    pub fn new(mode: &str) -> Self {
        Self::with_values(mode, "")
    }

    /// The same with extra lines under `inputs.values` (indented by six spaces).
    pub fn with_values(mode: &str, extra: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let scripts = dir.path().join("scripts");
        std::fs::create_dir(&scripts).unwrap();
        write_script(&scripts.join("db.py"), SCRIPT);
        let calls = dir.path().join("calls.jsonl");
        let timeout = if extra.contains("timeout:") {
            ""
        } else {
            "      timeout: 20\n"
        };
        let inputs = format!(
            "    values:
      command: [./scripts/db.py]
      mode: {mode}
{timeout}      env: {{CALLS: '{}'}}
{extra}
    secrets:
      admin: Adm1n-Sup3r-S3cret-Value
",
            calls.display(),
        );
        let platform = platform_yaml("db-cmd", "postgres", "cmd", &inputs);
        std::fs::write(dir.path().join("platform.yaml"), platform).unwrap();
        Self { dir }
    }

    /// The platform, read from its folder.
    pub fn platform(&self) -> Platform {
        let docs = Loader::default().path(self.dir.path()).unwrap();
        Platform::from_loaded(docs.platform)
    }

    /// An engine over the platform (default effects: no calls).
    pub fn engine(&self) -> Engine {
        Engine::new(self.platform())
    }

    /// The requests the script got, in order.
    pub fn calls(&self) -> Vec<Value> {
        match std::fs::read_to_string(self.calls_path()) {
            Ok(text) => text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The file of the call log.
    pub fn calls_path(&self) -> PathBuf {
        self.dir.path().join("calls.jsonl")
    }
}

/// The environment type `development` and the definition `name` of `resource_type` by
/// `driver` for it, whose `inputs` are `inputs` (YAML lines indented by four spaces).
pub fn platform_yaml(name: &str, resource_type: &str, driver: &str, inputs: &str) -> String {
    format!(
        "apiVersion: goldpath.dev/v1alpha1
kind: EnvironmentType
metadata: {{name: development}}
spec: {{}}
---
apiVersion: goldpath.dev/v1alpha1
kind: ResourceDefinition
metadata: {{name: {name}}}
spec:
  type: {resource_type}
  driver: {driver}
  criteria: [{{envType: development}}]
  inputs:
{inputs}"
    )
}

/// Writes an executable script.
pub fn write_script(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// The workload `web`, using `postgres` resource `db` (its host and password) when `with_db`.
pub fn web(with_db: bool) -> Vec<WorkloadInput> {
    let text = if with_db {
        "apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx:1.27
    variables:
      DB_HOST: ${resources.db.host}
      DB_PASSWORD: ${resources.db.password}
resources:
  db: {type: postgres}
"
    } else {
        "apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx:1.27
"
    };
    vec![WorkloadInput::new(
        Loader::default().score_str(text, None).unwrap(),
    )]
}

/// Creates environment `dev` of `shop` in `store`.
pub fn create_dev(deployer: &Deployer<'_>) {
    deployer
        .create_environment(
            &NewEnvironment::new("shop", "dev", "development"),
            &Actor::at("2026-12-01T10:00:00Z"),
        )
        .unwrap();
}

/// A memory store with environment `dev` of `shop`.
pub fn store_with_dev(engine: &Engine) -> MemoryStore {
    let store = MemoryStore::new();
    create_dev(&Deployer::new(engine, &store));
    store
}

/// The time `n` minutes after ten.
pub fn at(n: u32) -> Actor {
    Actor::at(format!("2026-12-01T10:{n:02}:00Z"))
}
