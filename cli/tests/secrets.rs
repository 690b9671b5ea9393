//! The secret boundary through the CLI (issue 12, findings 6 and 7): a plan that shows a
//! secret outside a Secret fails with exit code 1, writes nothing, and its error names the
//! resource and the path but not the secret.

mod common;

use common::{goldpath_in, text};

const SCORE: &str = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx:1.27\n    variables:\n      URL: ${resources.db.url}\n      PW: ${resources.db.password}\nresources:\n  db: {type: postgres}\n  conf: {type: config}\n";

const PASSWORD: &str = "Sup3rS3cretPassw0rd";

fn platform(url: &str, config: &str) -> String {
    format!(
        "apiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {{name: pg}}\nspec:\n  type: postgres\n  driver: static\n  criteria: [{{}}]\n  inputs:\n    values: {{url: \"{url}\"}}\n    secrets: {{password: {PASSWORD}}}\n---\napiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {{name: conf}}\nspec:\n  type: config\n  driver: template\n  criteria: [{{}}]\n  templates:\n    manifests: |\n      - apiVersion: v1\n        kind: ConfigMap\n        metadata: {{name: conf}}\n        data: {{v: \"{config}\"}}\n"
    )
}

fn render(platform: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("score.yaml"), SCORE).unwrap();
    std::fs::write(dir.path().join("platform.yaml"), platform).unwrap();
    let args = [
        "render",
        "score.yaml",
        "--platform",
        "platform.yaml",
        "-o",
        "-",
    ];
    goldpath_in(dir.path(), &args)
}

#[test]
fn a_static_secret_inside_a_longer_output_fails_the_render_without_showing_it() {
    let out = render(&platform(&format!("postgres://app:{PASSWORD}@db"), "plain"));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("resource `postgres.default#web.db`"),
        "{stderr}"
    );
    assert!(stderr.contains("outputs.url"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    assert!(!text(&out.stdout).contains(PASSWORD));
}

#[test]
fn a_generated_secret_through_a_filter_fails_the_render_without_showing_it() {
    let out = render(&platform(
        "postgres://db",
        "{{ generated('pw') | reverse | upper }}",
    ));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ConfigMap `conf`"), "{stderr}");
    assert!(stderr.contains("data.v"), "{stderr}");
    assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));
}

#[test]
fn secrets_passed_on_as_references_render() {
    let out = render(&platform("postgres://db", "plain"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let yaml = text(&out.stdout);
    assert!(yaml.contains("secretKeyRef"), "{yaml}");
    assert!(!yaml.contains(PASSWORD), "{yaml}");
}
