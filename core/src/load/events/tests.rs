//! The event path against the serde paths: it gives their values and document lines, or
//! nothing (then the serde path decides). `load::parse::tests` runs the same law over every
//! fixture, the upstream examples and mutations of them.

use serde_json::{Value, json};

use super::*;
use crate::DocPath;
use crate::load::{fast, yaml};

/// The values of `text` on the event path, after asserting that they and the document lines
/// are those of both serde paths.
fn same_as_serde(text: &str, limits: &Limits) -> Option<Vec<Value>> {
    let events = parse_stream(text, limits)?;
    let fast = fast::parse_stream(text, limits).expect("the serde path accepts it");
    let spanned = yaml::parse_stream(text, limits).expect("the spanned path accepts it");
    assert_eq!(events.len(), fast.len(), "{text}");
    assert_eq!(events.len(), spanned.len(), "{text}");
    let root = DocPath::root();
    for ((e, f), s) in events.iter().zip(&fast).zip(&spanned) {
        assert_eq!(e.value, f.value, "{text}");
        assert_eq!(e.value, s.value, "{text}");
        assert_eq!(e.position(&root, false), s.position(&root, false), "{text}");
    }
    Some(events.into_iter().map(|d| d.value).collect())
}

/// The shape of a workload of `benches/gen_app.py`: the event path must take it.
const BENCH_WORKLOAD: &str = "apiVersion: score.dev/v1b1
metadata:
  name: svc-1
containers:
  main:
    image: registry.example.com/app/svc-1:1.0.1
    variables:
      DB_HOST: ${resources.db.host}
      CACHE: ${resources.cache.host}:${resources.cache.port}
      PREVIOUS: http://${resources.prev.host}:${resources.prev.port}
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {memory: 256Mi}
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
service:
  ports:
    http: {port: 80, targetPort: 8080}
resources:
  db:
    type: postgres
    id: db-0
  web:
    type: route
    params: {host: svc-1.example.com, path: /, port: http}
";

#[test]
fn a_score_workload_takes_the_event_path_with_the_serde_values() {
    let values = same_as_serde(BENCH_WORKLOAD, &Limits::default()).expect("event path");
    let container = &values[0]["containers"]["main"];
    assert_eq!(container["resources"]["requests"]["cpu"], json!("100m"));
    assert_eq!(container["readinessProbe"]["httpGet"]["port"], json!(8080));
    assert_eq!(values[0]["service"]["ports"]["http"]["port"], json!(80));
}

#[test]
fn documents_scalars_and_lines_are_those_of_the_serde_paths() {
    let limits = Limits::default();
    for text in [
        "",
        "# only a comment\n",
        "---\n---\n",
        "a: 1\n",
        "# comment\n\n---\na: 1\nb: [x, 0755, NO, ~, -3, 0]\n---\n---\n\n  c: {d: true}\n",
        "- a\n- {b: [c, [d]]}\n- []\n- {}\n",
        "plain scalar root\n",
        "--- 12\n...\n--- x\n",
        "a: 'single ''quoted'''\nb: \"double \\t \\u00e9\"\nc: |\n  lit\n  eral\nd: >-\n  fol\n  ded\n",
        "a:\nb: null\nc: Null\nd: ~\ne: true\nf: False\ng: yes\nh: off\n",
        "'quoted key': 1\n\"another\": 2\nplain: 3\n",
        "mem: [1Gi, 100m, 128Mi, 2k, 5Mb, 10s, 3h]\n",
        "key:\n  - multi\n    line item\n",
        "a: multi\n  line\n  plain\n",
        "{a: 1, b: [2, 3]}\n",
        "[a, b, {c: d}]\n",
        "key: \"é\"\nother: a日本\n",
        "big: 123456789012345678\n",
    ] {
        let events = parse_stream(text, &limits);
        assert!(events.is_some(), "the event path refuses `{text}`");
        same_as_serde(text, &limits);
    }
}

#[test]
fn doubtful_texts_take_the_serde_path() {
    let limits = Limits::default();
    for text in [
        // Anchors, aliases, merge keys, tags, directives.
        "a: &x 1\nb: *x\n",
        "a: &x {b: 1}\n",
        "base: &b {x: 1}\nc:\n  <<: *b\n",
        "a: !!str 1\n",
        "a: !custom x\n",
        "%YAML 1.2\n---\na: 1\n",
        // Keys: repeated, not strings, complex.
        "a: 1\na: 2\n",
        "a: 1\n'a': 2\n",
        "1: x\n",
        "true: x\n",
        "~: x\n",
        "? [a]\n: 1\n",
        "? {a: 1}\n: 1\n",
        "? |\n  a\n: 1\n",
        // Scalars the serde layer's rules decide.
        "a: 1.5\n",
        "a: 0x1F\n",
        "a: 1e3\n",
        "a: .inf\n",
        "a: +1\n",
        "a: 1_000\n",
        "a: 2024-01-01\n",
        "a: 1:30\n",
        "a: -x\n",
        "a: .hidden\n",
        "a: é\n",
        "a: 99999999999999999999\n",
        // Problems.
        "a: [1\n",
        "a: b: c\n",
    ] {
        assert!(parse_stream(text, &limits).is_none(), "{text}");
    }
}

#[test]
fn digit_led_texts_with_a_unit_read_as_strings_as_serde_reads_them() {
    for text in [
        "1Gi", "100m", "128Mi", "5Mb", "2k", "10s", "3h", "1e5m", "0x1Fg", "1_000m",
    ] {
        let doc = format!("a: {text}\n");
        let values = same_as_serde(&doc, &Limits::default()).expect(text);
        assert_eq!(values[0]["a"], json!(text));
    }
    // Digits with only letters a number can hold: not decided here.
    for text in ["1e5", "0x1F", "0o17", "0b11", "1E3", "0xAbCdEf"] {
        assert_eq!(plain(text), None, "{text}");
    }
}

#[test]
fn limits_are_left_to_the_serde_path() {
    let limits = Limits {
        max_depth: 3,
        max_nodes: 12,
        max_documents: 2,
        max_document_bytes: 64,
        ..Limits::default()
    };
    // Within every limit.
    assert!(same_as_serde("a: {b: 1}\n", &limits).is_some());
    assert!(same_as_serde("a: {b: []}\n", &limits).is_some());
    // Too deep, too many events, documents or bytes: the serde path reports it.
    for text in [
        "a: {b: [1]}\n",
        "[[[[]]]]\n",
        "a: [1, 2, 3, 4, 5, 6, 7, 8, 9]\n",
        "--- 1\n--- 2\n--- 3\n",
        &format!("a: {}\n", "x".repeat(64)),
    ] {
        assert!(parse_stream(text, &limits).is_none(), "{text}");
    }
    let big = format!("a: {}\n", "x".repeat(MAX_TEXT_BYTES));
    assert!(parse_stream(&big, &Limits::default()).is_none());
}
