//! The loader on hostile and mistaken input: every limit and YAML hazard is refused with the
//! right error kind and a location, and YAML 1.2 scalars keep the text the author wrote.

use goldpath::ErrorKind;
use goldpath::load::{Limits, Loader};

const WORKLOAD_HEAD: &str = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\n";

fn score(body: &str) -> String {
    format!("{WORKLOAD_HEAD}{body}")
}

fn load_err(text: &str) -> goldpath::Error {
    Loader::default()
        .score_str(text, Some("in.yaml"))
        .expect_err("input must be refused")
}

#[test]
fn a_document_over_the_byte_limit_is_refused_before_parsing() {
    let limits = Limits {
        max_document_bytes: 1024,
        ..Limits::default()
    };
    // Not even valid YAML: the size check must come first.
    let text = format!("{}\n[unclosed", "#".repeat(2000));
    let err = Loader::new(limits).score_str(&text, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert!(err.message().contains("1024 bytes"), "{err}");
}

#[test]
fn the_byte_limit_applies_to_each_document_of_a_stream() {
    let limits = Limits {
        max_document_bytes: 200,
        ..Limits::default()
    };
    let small = "apiVersion: goldpath.dev/v1alpha1\nkind: Environment\n";
    let big = format!("---\n# {}\nkey: value\n", "x".repeat(300));
    let err = Loader::new(limits)
        .str(&format!("{small}{big}"), None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit);
    assert_eq!(err.location().line, Some(3), "{err}");
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let depth = 70;
    let text = score(&format!(
        "containers:\n  main: {{image: x}}\nextra: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    ));
    let err = load_err(&text);
    assert_eq!(err.kind(), ErrorKind::Limit, "{err}");
    let limits = Limits {
        max_depth: 8,
        ..Limits::default()
    };
    let shallow = score(
        "containers:\n  main: {image: x}\nresources:\n  db:\n    type: postgres\n    params: {a: {b: {c: {d: {e: {f: 1}}}}}}\n",
    );
    assert_eq!(
        Loader::new(limits)
            .score_str(&shallow, None)
            .unwrap_err()
            .kind(),
        ErrorKind::Limit
    );
}

/// A 20 KB document whose aliases expand to 16 million nodes (4,000 × 4,000).
fn wide_alias_bomb() -> String {
    let anchor: Vec<&str> = vec!["x"; 4000];
    let aliases: Vec<&str> = vec!["*a"; 4000];
    format!("a: &a [{}]\nb: [{}]\n", anchor.join(","), aliases.join(","))
}

/// The classic nested "billion laughs".
fn nested_alias_bomb() -> String {
    let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*l{}", i - 1);
        text.push_str(&format!(
            "l{i}: &l{i} [{}]\n",
            [prev.as_str(); 9].join(", ")
        ));
    }
    text
}

#[test]
fn alias_bombs_are_refused_as_limit_errors() {
    for bomb in [wide_alias_bomb(), nested_alias_bomb()] {
        assert!(bomb.len() < 25_000);
        let err = Loader::default().str(&bomb, None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit, "{err}");
        assert!(err.message().contains("aliases"), "{err}");
    }
}

#[test]
fn a_few_aliases_within_the_budget_are_fine() {
    let text = score("containers:\n  main: &c {image: nginx}\n  side: *c\n");
    let workload = Loader::default().score_str(&text, None).unwrap();
    assert_eq!(workload.containers["side"].image, "nginx");
}

#[test]
fn duplicate_keys_are_errors_with_their_line() {
    let text = score("containers:\n  main:\n    image: a\n    image: b\n");
    let err = load_err(&text);
    assert_eq!(err.kind(), ErrorKind::Yaml);
    assert_eq!(err.location().line, Some(7));
    assert!(err.message().contains("duplicate key `image`"), "{err}");
    let err = load_err(&score(
        "containers:\n  main: {image: a}\n  main: {image: b}\n",
    ));
    assert!(err.message().contains("duplicate key `main`"), "{err}");
}

#[test]
fn unknown_tags_are_errors_not_silently_dropped() {
    for tag in [
        "!include /etc/passwd",
        "!!python/object:os.system x",
        "!secret x",
    ] {
        let err = load_err(&score(&format!("containers:\n  main:\n    image: {tag}\n")));
        assert_eq!(err.kind(), ErrorKind::Yaml, "{tag}: {err}");
        assert!(err.message().contains("unsupported tag"), "{err}");
        assert_eq!(err.location().line, Some(6), "{err}");
    }
}

#[test]
fn yaml_1_1_lookalikes_stay_the_strings_the_author_wrote() {
    let text = score(
        "containers:\n  main:\n    image: x\n    variables:\n      COUNTRY: NO\n      ENABLED: yes\n      MODE: off\n      TIME: 1:30\n      PERMS: 0755\n      TILDE_WORD: y\n    files:\n      /etc/x:\n        content: hi\n        mode: 0644\n",
    );
    let workload = Loader::default().score_str(&text, None).unwrap();
    let vars = &workload.containers["main"].variables;
    let expected = [
        ("COUNTRY", "NO"),
        ("ENABLED", "yes"),
        ("MODE", "off"),
        ("TIME", "1:30"),
        ("PERMS", "0755"),
        ("TILDE_WORD", "y"),
    ];
    for (name, value) in expected {
        assert_eq!(vars[name], value, "{name}");
    }
    assert_eq!(
        workload.containers["main"].files["/etc/x"].mode.as_deref(),
        Some("0644")
    );
}

#[test]
fn a_number_where_a_string_is_required_is_a_schema_error_that_says_to_quote_it() {
    let err = load_err(&score(
        "containers:\n  main:\n    image: x\n    variables:\n      VERSION: 1.10\n",
    ));
    assert_eq!(err.kind(), ErrorKind::Schema);
    assert_eq!(
        err.location().path.to_string(),
        "containers.main.variables.VERSION"
    );
    assert_eq!(
        (err.location().line, err.location().column),
        (Some(8), Some(16))
    );
    assert!(err.message().contains("quote it: \"1.10\""), "{err}");
}

#[test]
fn every_schema_problem_of_a_file_is_reported() {
    let text = score(
        "containers:\n  main:\n    imagee: x\n    variables:\n      A: 1\nservice:\n  ports:\n    web: {port: 70000}\n",
    );
    let err = load_err(&text);
    let paths: Vec<String> = err
        .diagnostics()
        .iter()
        .map(|d| d.location.path.to_string())
        .collect();
    assert!(
        paths.contains(&"containers.main.imagee".to_owned()),
        "{paths:?}"
    );
    assert!(paths.contains(&"containers.main".to_owned()), "{paths:?}"); // image is missing
    assert!(
        paths.contains(&"containers.main.variables.A".to_owned()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"service.ports.web.port".to_owned()),
        "{paths:?}"
    );
    assert!(
        err.diagnostics()
            .iter()
            .all(|d| d.location.file.as_deref() == Some("in.yaml"))
    );
    assert!(err.diagnostics().iter().all(|d| d.location.line.is_some()));
}

#[test]
fn unknown_fields_name_the_field_and_the_allowed_ones() {
    let err = load_err(&score(
        "containers:\n  main:\n    image: x\n    imagePullPolicy: Always\n",
    ));
    assert_eq!(err.kind(), ErrorKind::Schema);
    assert!(
        err.message().contains("unknown field `imagePullPolicy`"),
        "{err}"
    );
    assert!(
        err.message().contains("variables"),
        "the allowed fields are listed: {err}"
    );
    assert_eq!(err.location().line, Some(7));
}

#[test]
fn a_score_text_must_hold_exactly_one_workload() {
    let two = format!(
        "{}---\n{}",
        score("containers:\n  aa: {image: x}\n"),
        score("containers:\n  bb: {image: x}\n")
    );
    assert_eq!(load_err(&two).kind(), ErrorKind::Yaml);
    assert_eq!(load_err("").kind(), ErrorKind::Yaml);
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let err = load_err(&score("containers:\n  main: {image: [x\n"));
    assert_eq!(err.kind(), ErrorKind::Yaml);
    assert_eq!(err.location().line, Some(5), "{err}");
    assert!(err.location().column.is_some());
}

#[test]
fn an_unknown_api_version_says_what_is_expected() {
    let err = Loader::default()
        .str("apiVersion: v1\nkind: ConfigMap\n", None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Schema);
    assert!(err.message().contains("score.dev/v1b1"), "{err}");
    assert!(err.message().contains("goldpath.dev/v1alpha1"), "{err}");
}

#[test]
fn deprecated_list_forms_are_upgraded_on_load() {
    let text = score(
        "containers:\n  main:\n    image: x\n    files:\n      - target: /etc/a\n        content: [one, two]\n    volumes:\n      - target: /data\n        source: ${resources.vol}\n        read_only: true\nresources:\n  vol: {type: volume}\n",
    );
    let workload = Loader::default().score_str(&text, None).unwrap();
    let main = &workload.containers["main"];
    assert_eq!(main.files["/etc/a"].content.as_deref(), Some("one\ntwo"));
    assert_eq!(main.volumes["/data"].read_only, Some(true));
}

#[test]
fn a_utf8_bom_is_accepted() {
    let text = format!("\u{feff}{}", score("containers:\n  main: {image: x}\n"));
    assert!(Loader::default().score_str(&text, None).is_ok());
}

#[test]
fn secret_values_are_not_echoed_in_schema_errors() {
    let text = "apiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {name: db}\nspec:\n  type: postgres\n  driver: static\n  criteria: [{}]\n  inputs:\n    secrets:\n      password: [hunter2-very-secret]\n";
    let err = Loader::default().str(text, None).unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn bytes_must_be_utf8() {
    let err = Loader::default()
        .bytes(b"apiVersion: \xff\n", Some("b.yaml"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Yaml);
    assert!(err.message().contains("offset 12"), "{err}");
    let docs = Loader::default()
        .bytes(score("containers:\n  main: {image: x}\n").as_bytes(), None)
        .unwrap();
    assert_eq!(docs.workloads.len(), 1);
}
