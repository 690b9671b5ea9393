//! Issue 12's validation gaps through the library: a Score file with two workloads (finding
//! 11), image references (finding 18), control characters in any loaded string, and the image
//! given for `image: .` at plan time. The same rules hold for text, files and values (the
//! Python and Node bindings load values).

use std::path::Path;

use goldpath::ErrorKind;
use goldpath::load::{Loader, Overrides};
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use serde_json::json;

fn score(image: &str) -> String {
    format!(
        "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  web:\n    image: {}\n",
        serde_json::to_string(image).unwrap()
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn finding_11_two_workloads_of_one_name_in_one_file_are_a_yaml_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{}---\n{}", score("nginx"), score("nginx"));
    let file = write(dir.path(), "score.yaml", &text);
    for result in [
        Loader::default().path(&file).map(|_| ()),
        Loader::default()
            .score_file_with(&file, &Overrides::default())
            .map(|_| ()),
    ] {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Yaml, "{err}");
        assert!(
            err.to_string().contains("score.yaml:8:"),
            "names the second document: {err}"
        );
        assert!(err.message().contains("a file of its own"), "{err}");
    }
    let err = Loader::default()
        .score_str(&text, Some("score.yaml"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Yaml, "{err}");
}

#[test]
fn finding_18_images_the_kubelet_refuses_are_refused_naming_the_file_the_path_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    for (image, words) in [
        ("ghcr.io/Acme/Web:1.0", "lower-case"),
        (" nginx", "white space"),
        ("nginx\u{1b}[2J", "control character"),
        ("nginx\nx", "control character"),
        ("nginx:", "tag"),
        ("${resources.img.name}", "placeholders are not expanded"),
    ] {
        let file = write(dir.path(), "score.yaml", &score(image));
        let err = Loader::default().path(&file).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{image:?}: {err}");
        let shown = err.to_string();
        assert!(shown.contains("score.yaml:6:"), "{shown}");
        assert!(shown.contains("containers.web.image"), "{shown}");
        assert!(shown.contains(words), "{image:?}: {shown}");
        assert!(
            !shown.contains('\u{1b}'),
            "the message escapes the image: {shown:?}"
        );
    }
    for image in [
        ".",
        "nginx",
        "registry.example.com:5000/team/web_app:1.0-rc.1",
    ] {
        let file = write(dir.path(), "score.yaml", &score(image));
        assert!(Loader::default().path(&file).is_ok(), "{image}");
    }
}

#[test]
fn control_characters_are_refused_in_every_string_and_key_of_text_and_values() {
    let with = |extra: serde_json::Value| {
        let mut doc = json!({"apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
            "containers": {"web": {"image": "nginx"}}});
        doc["containers"]["web"]
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        doc
    };
    let refused = [
        (
            json!({"variables": {"A": "x\u{1b}[2Jy"}}),
            "containers.web.variables.A",
        ),
        (json!({"args": ["ok", "\u{0}"]}), "containers.web.args[1]"),
        (
            json!({"variables": {"A\nB": "x"}}),
            "containers.web.variables",
        ),
        (
            json!({"files": {"/etc/a": {"content": "bell\u{7}"}}}),
            "containers.web.files",
        ),
    ];
    for (extra, path) in refused {
        let doc = with(extra);
        let from_value = Loader::default()
            .value(doc.clone(), Some("web"))
            .unwrap_err();
        let text = serde_json::to_string(&doc).unwrap();
        let from_text = Loader::default()
            .str(&text, Some("score.json"))
            .unwrap_err();
        for err in [from_value, from_text] {
            assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
            assert!(err.to_string().contains(path), "{path}: {err}");
            assert!(err.message().contains("control character"), "{err}");
        }
    }
    let allowed = with(json!({
        "variables": {"PEM": "-----BEGIN-----\nabc\r\n-----END-----\n"},
        "files": {"/etc/app.conf": {"content": "a\tb\nc\n"}},
    }));
    assert!(Loader::default().value(allowed, Some("web")).is_ok());
}

#[test]
fn control_characters_and_schema_problems_are_reported_together() {
    let text = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  web:\n    image: nginx\n    variables: {A: \"\\e\", PORT: 8080}\n";
    let err = Loader::default().str(text, Some("score.yaml")).unwrap_err();
    let kinds: Vec<ErrorKind> = err.diagnostics().iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [ErrorKind::Invalid, ErrorKind::Schema], "{err}");
}

#[test]
fn a_platform_document_with_a_control_character_is_refused() {
    let text = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata:\n  name: dev\n  annotations:\n    goldpath.dev/description: \"dev\\e[2J\"\nspec: {}\n";
    let err = Loader::default().str(text, Some("types.yaml")).unwrap_err();
    assert!(err.to_string().contains("types.yaml:6:"), "{err}");
    assert!(err.to_string().contains("metadata.annotations"), "{err}");
}

#[test]
fn the_image_given_for_image_dot_follows_the_same_grammar() {
    let workload = Loader::default().score_str(&score("."), None).unwrap();
    let engine = Engine::new(Platform::default());
    let context = Context::new("shop", "dev", "development");
    for (image, ok) in [
        ("nginx:1.27", true),
        ("Nginx", false),
        (".", false),
        ("a b", false),
    ] {
        let options = PlanOptions {
            image: Some(image.to_owned()),
            ..PlanOptions::default()
        };
        let result = engine.plan(&[WorkloadInput::new(workload.clone())], &context, &options);
        assert_eq!(result.is_ok(), ok, "{image}: {:?}", result.err());
        if let Err(err) = result {
            assert_eq!(err.kind(), ErrorKind::Invalid);
            assert!(err.to_string().contains("containers.web.image"), "{err}");
        }
    }
}

/// What a driver makes passes the same control-character rule as what is loaded: a template
/// definition whose manifest or output holds an escape sequence is refused at plan time.
#[test]
fn control_characters_a_driver_makes_are_refused_at_plan_time() {
    for (templates, words) in [
        (
            json!({"manifests": "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: banner}\n  data: {motd: \"hi\\e[2J\"}\n"}),
            "data.motd",
        ),
        (
            json!({"outputs": "host: \"db\\e[2Jx\"\n"}),
            "an output of resource",
        ),
    ] {
        let definition = json!({
            "apiVersion": "goldpath.dev/v1alpha1", "kind": "ResourceDefinition",
            "metadata": {"name": "banner"},
            "spec": {"type": "banner", "driver": "template", "criteria": [{}], "templates": templates},
        });
        let docs = Loader::default()
            .str(&definition.to_string(), None)
            .unwrap();
        let engine = Engine::new(Platform::from_documents(
            docs.platform.into_iter().map(|l| l.document),
        ));
        let text = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers: {web: {image: nginx}}\nresources: {banner: {type: banner}}\n";
        let workload = Loader::default().score_str(text, None).unwrap();
        let Err(err) = engine.plan(
            &[WorkloadInput::new(workload)],
            &Context::new("shop", "dev", "development"),
            &PlanOptions::default(),
        ) else {
            panic!("a control character from a driver was planned ({words})");
        };
        assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
        assert!(err.to_string().contains("U+001B"), "{err}");
        assert!(err.to_string().contains(words), "{err}");
        assert!(!err.to_string().contains('\u{1b}'), "{err}");
    }
}
