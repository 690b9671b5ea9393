//! `goldpath validate`, run as a user runs it: the built binary, its output and exit codes.

mod common;

use common::{fixture, goldpath, text};

#[test]
fn the_fixtures_are_valid_and_exit_zero() {
    let out = goldpath(&[
        "validate",
        &fixture("fixtures/shop"),
        &fixture("fixtures/platform"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).starts_with("ok: 4 workloads and "),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn every_problem_is_printed_as_file_line_col_kind_message_and_exit_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("score.yaml");
    let body = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  main:\n    image: nginx\n    variables:\n      PORT: 8080\n      BAD NAME: x\n";
    std::fs::write(&file, body).unwrap();
    let out = goldpath(&["validate", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let prefix = format!("{}:", file.display());
    // The schema problem (PORT is a number) is reported; semantic checks wait for a valid schema.
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "{prefix}8:13: schema: containers.main.variables.PORT: "
        ))),
        "{stdout}"
    );
    assert!(lines.iter().all(|l| l.starts_with(&prefix)), "{stdout}");
    assert!(
        text(&out.stderr).contains("problem"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn all_problems_of_all_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let head = "apiVersion: score.dev/v1b1\nmetadata:\n  name: NAME\ncontainers:\n  main:\n    image: nginx\n";
    std::fs::write(
        dir.path().join("a.yaml"),
        format!(
            "{}    variables: {{'A B': x, 'C D': y}}\n",
            head.replace("NAME", "aa")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        head.replace("NAME", "bb").replace("nginx", "[x"),
    )
    .unwrap();
    let out = goldpath(&["validate", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("a.yaml:") && l.contains(": name: "))
            .count(),
        2,
        "{stdout}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("b.yaml:") && l.contains(": yaml: "))
            .count(),
        1,
        "{stdout}"
    );
}

#[test]
fn json_format_prints_structured_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.yaml");
    std::fs::write(
        &file,
        "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers: {}\n",
    )
    .unwrap();
    let out = goldpath(&["validate", "--format", "json", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diagnostics[0]["kind"], "schema");
    assert_eq!(diagnostics[0]["location"]["path"], "containers");
    assert_eq!(diagnostics[0]["location"]["line"], 3);
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(goldpath(&["validate"]).status.code(), Some(2));
    assert_eq!(goldpath(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        goldpath(&["validate", "--format", "xml", "x"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_missing_path_is_an_io_problem_and_exits_one() {
    let out = goldpath(&["validate", "/no/such/goldpath/input"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains(": io: cannot read `/no/such/goldpath/input`"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn version_and_help_with_examples() {
    let out = goldpath(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("goldpath "));
    let out = goldpath(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Examples:"));
    assert!(text(&out.stdout).contains("goldpath validate fixtures/shop fixtures/platform"));
}
