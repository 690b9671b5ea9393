//! `goldpath render`, `graph` and `explain` run as a user runs them.

mod common;

use common::{goldpath_in, ok, render_shop, repo, shop_inputs, text};

use std::process::Command;

const SCORE: &str = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  main:\n    image: .\n    variables:\n      REDIS: ${resources.cache.host}\nservice:\n  ports:\n    http: {port: 80, targetPort: 8080}\nresources:\n  cache: {type: redis}\n";

#[test]
fn the_sample_application_renders_to_standard_output() {
    let out = goldpath_in(&repo(), &render_shop(&["-o", "-"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let yaml = text(&out.stdout);
    assert!(yaml.starts_with("---\n"));
    assert_eq!(yaml.matches("\nkind: Deployment\n").count(), 2);
    assert!(
        text(&out.stderr).contains("development seed"),
        "the seed warning goes to stderr"
    );
}

#[test]
fn like_score_k8s_it_writes_manifests_yaml_and_takes_image_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("score.yaml"), SCORE).unwrap();
    let out = goldpath_in(
        dir.path(),
        &[
            "render",
            "score.yaml",
            "--image",
            "nginx:1.27",
            "--override-property",
            "containers.main.variables.EXTRA=yes",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let yaml = std::fs::read_to_string(dir.path().join("manifests.yaml")).unwrap();
    assert!(yaml.contains("image: nginx:1.27"), "{yaml}");
    assert!(yaml.contains("value: \"yes\""), "{yaml}");
    assert!(
        yaml.contains("kind: StatefulSet"),
        "the built-in redis: {yaml}"
    );
}

#[test]
fn a_failed_plan_writes_nothing_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("score.yaml"),
        SCORE.replace("image: .", "image: x"),
    )
    .unwrap();
    std::fs::write(dir.path().join("manifests.yaml"), "previous").unwrap();
    let out = goldpath_in(dir.path(), &["render", "score.yaml", "--no-builtins"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no-match"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("manifests.yaml")).unwrap(),
        "previous"
    );
    let out = goldpath_in(
        dir.path(),
        &[
            "render",
            "score.yaml",
            "--no-builtins",
            "--out-dir",
            "gitops",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("gitops").exists());
}

#[test]
fn usage_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), SCORE).unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        SCORE.replace("name: web", "name: api"),
    )
    .unwrap();
    let out = goldpath_in(dir.path(), &["render", "a.yaml", "b.yaml", "--image", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(
        goldpath_in(dir.path(), &["render", "--format", "toml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        goldpath_in(dir.path(), &["render", "-o", "x", "--out-dir", "y"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn out_dir_writes_one_file_per_object_and_a_kustomization() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("gitops");
    let out_dir_text = out_dir.display().to_string();
    let out = goldpath_in(&repo(), &render_shop(&["--out-dir", &out_dir_text]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let kustomization = std::fs::read_to_string(out_dir.join("kustomization.yaml")).unwrap();
    let files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("-deployment-backend.yaml")),
        "{files:?}"
    );
    for file in files.iter().filter(|f| *f != "kustomization.yaml") {
        assert!(kustomization.contains(file.as_str()), "{file} is listed");
    }
    let Ok(kubectl) = Command::new("kubectl")
        .args(["kustomize", &out_dir_text])
        .output()
    else {
        println!("skipped: kubectl is not installed");
        return;
    };
    assert!(kubectl.status.success(), "{}", text(&kubectl.stderr));
    assert_eq!(
        text(&kubectl.stdout).matches("\nkind: ").count()
            + usize::from(text(&kubectl.stdout).starts_with("kind: ")),
        files.len() - 1
    );
}

#[test]
fn json_output_is_an_array_of_objects() {
    let out = goldpath_in(&repo(), &render_shop(&["-o", "-", "--format", "json"]));
    let objects: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        objects
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["kind"].is_string())
    );
}

#[test]
fn graph_and_explain_take_the_same_inputs() {
    let base = shop_inputs("production");
    let run = |cmd: &[&str]| {
        let mut args = cmd.to_vec();
        args.extend_from_slice(&base);
        goldpath_in(&repo(), &args)
    };
    let dot = run(&["graph", "--format", "dot"]);
    assert!(
        text(&dot.stdout).starts_with("digraph goldpath {"),
        "{}",
        text(&dot.stderr)
    );
    assert!(text(&run(&["graph", "--format", "mermaid"]).stdout).starts_with("flowchart LR"));
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["graph", "--format", "json"]).stdout).unwrap();
    assert!(
        json["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["from"] == "backend" && e["to"] == "postgres.default#backend.db")
    );
    let explain = run(&["explain", "postgres#backend.db"]);
    assert_eq!(explain.status.code(), Some(0), "{}", text(&explain.stderr));
    assert!(
        text(&explain.stdout).contains("won      `postgres-managed`"),
        "{}",
        text(&explain.stdout)
    );
    assert_eq!(
        run(&["explain", "postgres#nothing.here"]).status.code(),
        Some(1)
    );
}

/// Workload patches (docs/patches.md): the production render carries the fixture platform's
/// `production-workload` patch and is byte for byte the golden file that the Rust, Python and
/// Node tests check too; `explain workload#NAME` names the patching definition.
#[test]
fn the_production_render_is_patched_as_the_golden_file_and_explain_names_the_patch() {
    let mut render = vec!["render"];
    render.extend(shop_inputs("production"));
    render.extend(["--env", "production", "-o", "-"]);
    let golden = std::fs::read_to_string(repo().join("fixtures/golden/shop-production.yaml"));
    let rendered = ok(&render);
    assert_eq!(rendered, golden.unwrap());
    assert!(rendered.contains("serviceAccountName: backend"));
    assert!(rendered.contains("topologySpreadConstraints:"));
    let mut explain = vec!["explain", "workload#backend"];
    explain.extend(shop_inputs("production"));
    let shown = ok(&explain);
    assert!(shown.contains("won      `production-workload`"), "{shown}");
    let mut staging = vec!["explain", "workload#backend"];
    staging.extend(shop_inputs("staging"));
    assert!(ok(&staging).contains("won      `builtin-workload`"));
}
