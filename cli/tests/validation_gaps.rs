//! Issue 12's validation gaps through the binary: a Score file with two workloads of one name
//! (finding 11), `files.*.source` of the default `score.yaml` (finding 14), image references
//! (finding 18).

mod common;

use common::{goldpath_in, text};

const SCORE: &str = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  web:\n    image: nginx:1.27\n";

#[test]
fn finding_11_two_workloads_of_one_name_in_one_file_exit_one_with_a_yaml_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("score.yaml"),
        format!("{SCORE}---\n{SCORE}"),
    )
    .unwrap();
    for args in [&["validate", "score.yaml"][..], &["render", "score.yaml"]] {
        let out = goldpath_in(dir.path(), args);
        let shown = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {shown}");
        assert!(shown.contains("score.yaml:8:1: yaml:"), "{args:?}: {shown}");
        assert!(!shown.contains("panicked"), "{shown}");
    }
}

#[test]
fn finding_14_a_bare_score_yaml_reads_file_sources_from_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let score = format!("{SCORE}    files:\n      /etc/app.conf:\n        source: app.conf\n");
    std::fs::write(dir.path().join("score.yaml"), score).unwrap();
    std::fs::write(dir.path().join("app.conf"), "greeting=hello\n").unwrap();
    for args in [
        &["render"][..],
        &["render", "score.yaml"],
        &["validate", "score.yaml"],
    ] {
        let out = goldpath_in(dir.path(), args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let yaml = std::fs::read_to_string(dir.path().join("manifests.yaml")).unwrap();
    assert!(yaml.contains("greeting=hello"), "{yaml}");
}

#[test]
fn finding_18_an_image_the_kubelet_refuses_is_refused_naming_the_file_and_the_path() {
    let dir = tempfile::tempdir().unwrap();
    for (image, words) in [
        ("ghcr.io/Acme/Web:1.0", "is not a valid image reference"),
        ("\" nginx\"", "is not a valid image reference"),
        ("\"nginx\\e[2J\"", "control character U+001B"),
    ] {
        let score = SCORE.replace("nginx:1.27", image);
        std::fs::write(dir.path().join("score.yaml"), score).unwrap();
        let out = goldpath_in(dir.path(), &["validate", "score.yaml"]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{image}: {stdout}");
        assert!(
            stdout.contains("score.yaml:6:12: invalid: containers.web.image: "),
            "{image}: {stdout}"
        );
        assert!(stdout.contains(words), "{stdout}");
        assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    }
}
