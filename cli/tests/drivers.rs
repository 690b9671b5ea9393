//! The `cmd` driver from the command line, on a copy of fixtures/platform-drivers: previews
//! make no call unless given `--provision`, `render --store` (or `GOLDPATH_STORE`) shows the recorded result, deploy
//! provisions and records, a failed deprovision is pending in `history`, `env delete` cleans up.

mod common;

use std::path::Path;

use common::{goldpath, repo, text};
use serde_json::Value;

/// Copies the platform and scripts of fixtures/platform-drivers into `dir`, the example
/// database folder pointing into `dir`.
fn example(dir: &Path) {
    let from = repo().join("fixtures/platform-drivers");
    for sub in ["platform", "scripts", "app"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(from.join(sub)).unwrap() {
            let entry = entry.unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap().replace(
                "/tmp/goldpath-example-databases",
                dir.join("databases").to_str().unwrap(),
            );
            let target = dir.join(sub).join(entry.file_name());
            std::fs::write(&target, text).unwrap();
            std::fs::set_permissions(&target, entry.metadata().unwrap().permissions()).unwrap();
        }
    }
}

fn databases(dir: &Path) -> Value {
    match std::fs::read_to_string(dir.join("databases/databases.json")) {
        Ok(text) => serde_json::from_str(&text).unwrap(),
        Err(_) => Value::Null,
    }
}

fn applies(dir: &Path) -> Vec<u64> {
    databases(dir)
        .as_object()
        .map(|m| m.values().map(|d| d["applies"].as_u64().unwrap()).collect())
        .unwrap_or_default()
}

struct Run<'a> {
    dir: &'a Path,
}

impl Run<'_> {
    fn go(&self, args: &[&str]) -> (i32, String, String) {
        let platform = self.dir.join("platform");
        let store = self.dir.join("store");
        let mut all: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let needs_platform = !matches!(args[0], "history");
        if needs_platform {
            all.extend(["--platform".into(), platform.to_str().unwrap().into()]);
        }
        let out = goldpath(
            &all.iter()
                .map(|s| s.replace("STORE", store.to_str().unwrap()))
                .collect::<Vec<_>>(),
        );
        (
            out.status.code().unwrap_or(-1),
            text(&out.stdout),
            text(&out.stderr),
        )
    }
}

#[test]
fn previews_deploys_pending_deprovisions_and_deletion() {
    let dir = tempfile::tempdir().unwrap();
    example(dir.path());
    let run = Run { dir: dir.path() };
    let app = dir.path().join("app/score.yaml");
    let app = app.to_str().unwrap();
    let env = ["--app", "shop", "--env", "dev"];
    let with = |head: &[&'static str], tail: &[&'static str]| -> Vec<&'static str> {
        head.iter().chain(tail).copied().collect()
    };
    let app: &'static str = Box::leak(app.to_owned().into_boxed_str());
    let (code, _, _) = run.go(&with(
        &[
            "env",
            "create",
            "--store",
            "STORE",
            "--env-type",
            "development",
        ],
        &env,
    ));
    assert_eq!(code, 0);

    let (code, _, err) = run.go(&with(&["render", app, "-o", "-"], &env));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("deploy to the environment first"), "{err}");
    assert!(err.contains("--provision"), "the CLI adds the hint: {err}");
    assert_eq!(databases(dir.path()), Value::Null, "no call");

    let (code, _, err) = run.go(&with(&["deploy", app, "--store", "STORE"], &env));
    assert_eq!(code, 0, "{err}");
    assert_eq!(applies(dir.path()), [1]);

    for preview in ["render", "graph", "explain"] {
        let mut args = vec![preview];
        if preview == "explain" {
            args.push("postgres#web.db");
        }
        args.extend([app, "--store", "STORE"]);
        if preview == "render" {
            args.extend(["-o", "-"]);
        }
        let (code, out, err) = run.go(&with(&args, &env));
        assert_eq!(code, 0, "{preview}: {err}");
        if preview == "render" {
            assert!(out.contains("db.example.internal"), "{out}");
        }
    }
    assert_eq!(applies(dir.path()), [1], "previews made no call");
    // GOLDPATH_STORE stands for --store in a preview too.
    let platform = dir.path().join("platform");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_goldpath"))
        .args([
            "render",
            app,
            "-o",
            "-",
            "--platform",
            platform.to_str().unwrap(),
        ])
        .args(env)
        .env("GOLDPATH_STORE", dir.path().join("store"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("db.example.internal"));
    assert_eq!(
        applies(dir.path()),
        [1],
        "a preview through GOLDPATH_STORE made no call"
    );
    let (code, _, err) = run.go(&with(&["render", app, "--provision", "-o", "-"], &env));
    assert_eq!(code, 0, "{err}");
    assert_eq!(applies(dir.path()), [2], "--provision calls the driver");

    // A deprovision that fails is pending, shown by deploy and history.
    let script = dir.path().join("scripts/example-db.py");
    let good = std::fs::read_to_string(&script).unwrap();
    std::fs::write(
        &script,
        good.replace("databases.pop(guid, None)", "sys.exit('cloud unreachable')"),
    )
    .unwrap();
    let no_db = dir.path().join("app/no-db.yaml");
    std::fs::write(&no_db, "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers: {main: {image: nginx:1.27}}\n").unwrap();
    let no_db: &'static str = Box::leak(no_db.to_str().unwrap().to_owned().into_boxed_str());
    let (code, _, err) = run.go(&with(&["deploy", no_db, "--store", "STORE"], &env));
    assert_eq!(code, 0, "the deploy is recorded: {err}");
    assert!(err.contains("could not be deprovisioned"), "{err}");
    assert!(err.contains("cloud unreachable"), "{err}");
    let (code, out, _) = run.go(&with(&["history", "--store", "STORE"], &env));
    assert_eq!(code, 0);
    assert!(out.contains("pending deprovisions"), "{out}");
    assert!(out.contains("postgres.default#web.db"), "{out}");
    assert_eq!(applies(dir.path()).len(), 1, "the database is still there");

    std::fs::write(&script, good).unwrap();
    let (code, out, err) = run.go(&with(&["env", "delete", "--store", "STORE"], &env));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("deleted environment dev"));
    assert!(
        applies(dir.path()).is_empty(),
        "the pending deprovision ran"
    );
}
