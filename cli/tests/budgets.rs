//! Budgets through the CLI: amplifying, huge and special inputs end in a `limit` (or `io`)
//! error naming the file and the path, exit 1, and nothing written (issue 12, findings 10, 12,
//! 13, 19).

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use common::{fixture, text};

/// `goldpath ARGS` in `dir`, stopped after 60 seconds so a hang fails instead of blocking.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new("timeout")
        .arg("60")
        .arg(env!("CARGO_BIN_EXE_goldpath"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// What a refused command printed (`validate` reports on standard output, others on standard
/// error).
fn refused(output: &Output) -> String {
    let printed = text(&output.stdout) + &text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    printed
}

#[test]
fn finding_10_a_doubling_chain_is_refused_with_a_limit_error_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut score = String::from(
        "apiVersion: score.dev/v1b1\nmetadata: {name: amp}\ncontainers:\n  main: {image: nginx}\nresources:\n  r0: {type: route, params: {host: aaaaaaaaaaaaaaaa, port: 80}}\n",
    );
    for i in 1..40 {
        let p = i - 1;
        writeln!(score, "  r{i}: {{type: route, params: {{host: '${{resources.r{p}.host}}${{resources.r{p}.host}}', port: 80}}}}").unwrap();
    }
    std::fs::write(dir.path().join("score.yaml"), score).unwrap();
    let platform = fixture("fixtures/platform");
    let output = run(
        dir.path(),
        &["render", "score.yaml", "--platform", &platform],
    );
    let stderr = refused(&output);
    assert!(
        stderr.contains(
            "score.yaml: limit: resources.r17.params.host: resource `route.default#amp.r17`"
        ),
        "{stderr}"
    );
    assert!(!dir.path().join("manifests.yaml").exists());
}

#[test]
fn finding_13_a_json_score_file_with_70000_resources_is_refused_by_the_node_limit() {
    // 280,000 nodes in 2 MB: under the size limit, over the node limit.
    let dir = tempfile::tempdir().unwrap();
    let resources: Vec<String> = (0..70_000)
        .map(|i| format!("\"r{i}\": {{\"type\": \"volume\"}}"))
        .collect();
    let score = format!(
        "{{\"apiVersion\": \"score.dev/v1b1\", \"metadata\": {{\"name\": \"wide\"}}, \"containers\": {{\"main\": {{\"image\": \"nginx\"}}}}, \"resources\": {{{}}}}}",
        resources.join(", ")
    );
    std::fs::write(dir.path().join("wide.json"), score).unwrap();
    let stderr = refused(&run(dir.path(), &["validate", "wide.json"]));
    assert!(
        stderr.contains("wide.json") && stderr.contains("limit"),
        "{stderr}"
    );
    assert!(stderr.contains("max_nodes"), "{stderr}");
}

#[test]
fn a_deeply_nested_score_file_is_refused_by_the_depth_limit() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let score = format!(
        "{{\"apiVersion\": \"score.dev/v1b1\", \"metadata\": {{\"name\": \"deep\"}}, \"containers\": {{\"main\": {{\"image\": \"nginx\", \"args\": {deep}}}}}}}"
    );
    std::fs::write(dir.path().join("deep.json"), score).unwrap();
    let printed = refused(&run(dir.path(), &["validate", "deep.json"]));
    assert!(
        printed.contains("deep.json:1:")
            && printed.contains("limit: nesting is deeper than the limit"),
        "{printed}"
    );
}

#[test]
fn finding_12_a_fifo_source_ends_in_an_error_instead_of_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    let score = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx\n    files:\n      /etc/app/conf: {source: pipe}\n";
    std::fs::write(dir.path().join("web.yaml"), score).unwrap();
    let stderr = refused(&run(dir.path(), &["render", "./web.yaml", "-o", "-"]));
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert!(stderr.contains("web.yaml"), "{stderr}");
}

#[test]
fn finding_19_sixty_five_containers_are_refused_by_validate_and_render() {
    let dir = tempfile::tempdir().unwrap();
    let mut score =
        String::from("apiVersion: score.dev/v1b1\nmetadata: {name: many}\ncontainers:\n");
    for i in 0..65 {
        writeln!(score, "  c{i}: {{image: nginx}}").unwrap();
    }
    std::fs::write(dir.path().join("many.yaml"), score).unwrap();
    for command in ["validate", "render"] {
        let stderr = refused(&run(dir.path(), &[command, "./many.yaml"]));
        assert!(
            stderr.contains("many.yaml: limit: containers: workload `many` has 65 containers"),
            "{stderr}"
        );
    }
}
