//! Semantic rules of Score workloads beyond the schema: one test per rule, with the valid and
//! the invalid side. Rules the schema can catch first are also tested on typed workloads
//! directly (as a Rust caller may build them without the loader).

use goldpath::ErrorKind;
use goldpath::load::Loader;
use goldpath::spec::score::Workload;
use goldpath::validate::score::{WorkloadContext, validate_workload};
use serde_json::{Value, json};

const HEAD: &str = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\n  team: shop\n";

/// Loads `HEAD + body`; returns `(kind, path)` of every problem, empty when valid.
fn problems(body: &str) -> Vec<(ErrorKind, String)> {
    match Loader::default().score_str(&format!("{HEAD}{body}"), Some("score.yaml")) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics()
            .iter()
            .map(|d| (d.kind, d.location.path.to_string()))
            .collect(),
    }
}

fn assert_valid(body: &str) {
    assert_eq!(problems(body), [], "expected valid:\n{body}");
}

fn assert_problem(body: &str, kind: ErrorKind, path: &str) {
    let found = problems(body);
    assert!(
        found.contains(&(kind, path.to_owned())),
        "expected {kind} at {path}, found {found:?}"
    );
}

/// Findings of the rules on a workload built without the schema.
fn typed_findings(doc: Value) -> Vec<String> {
    let workload: Workload = serde_json::from_value(doc).unwrap();
    let findings = validate_workload(&workload, WorkloadContext::default());
    findings
        .as_slice()
        .iter()
        .map(|f| f.path.to_string())
        .collect()
}

fn typed(containers: Value, extra: Value) -> Value {
    let mut doc = json!({"apiVersion": "score.dev/v1b1", "metadata": {"name": "web"}, "containers": containers});
    doc.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    doc
}

#[test]
fn a_workload_with_ports_is_named_like_a_service() {
    let ports = "containers:\n  main: {image: x}\nservice:\n  ports:\n    http: {port: 80}\n";
    assert_valid(ports);
    let digit_first = format!("apiVersion: score.dev/v1b1\nmetadata: {{name: 1web}}\n{ports}");
    let err = Loader::default().score_str(&digit_first, None).unwrap_err();
    assert_eq!(
        (err.kind(), err.location().path.to_string()),
        (ErrorKind::Name, "metadata.name".to_owned())
    );
    let no_ports =
        "apiVersion: score.dev/v1b1\nmetadata: {name: 1web}\ncontainers:\n  main: {image: x}\n";
    assert!(Loader::default().score_str(no_ports, None).is_ok());
}

#[test]
fn container_names_are_dns_labels() {
    assert_eq!(
        typed_findings(typed(json!({"main": {"image": "x"}}), json!({}))),
        Vec::<String>::new()
    );
    assert_eq!(
        typed_findings(typed(json!({"Main_1": {"image": "x"}}), json!({}))),
        ["containers.Main_1"]
    );
}

#[test]
fn service_port_names_are_dns_labels_and_ports_are_not_zero() {
    let ok = typed(
        json!({"main": {"image": "x"}}),
        json!({"service": {"ports": {"http": {"port": 80}}}}),
    );
    assert!(typed_findings(ok).is_empty());
    let bad = typed(
        json!({"main": {"image": "x"}}),
        json!({"service": {"ports": {"HTTP": {"port": 0}}}}),
    );
    assert_eq!(
        typed_findings(bad),
        ["service.ports.HTTP", "service.ports.HTTP.port"]
    );
}

#[test]
fn a_port_and_protocol_appear_once() {
    let head = "containers:\n  main: {image: x}\nservice:\n  ports:\n";
    assert_valid(&format!(
        "{head}    dns: {{port: 53}}\n    dns-udp: {{port: 53, protocol: UDP}}\n"
    ));
    assert_problem(
        &format!("{head}    http: {{port: 80}}\n    web: {{port: 80, targetPort: 8080}}\n"),
        ErrorKind::Invalid,
        "service.ports.web.port",
    );
}

#[test]
fn environment_variable_names_follow_the_kubernetes_rule() {
    assert_valid("containers:\n  main:\n    image: x\n    variables: {_A.b-c: x, PATH2: y}\n");
    assert_problem(
        "containers:\n  main:\n    image: x\n    variables: {'1ABC': x}\n",
        ErrorKind::Name,
        "containers.main.variables.1ABC",
    );
    assert_problem(
        "containers:\n  main:\n    image: x\n    variables: {'A B': x}\n",
        ErrorKind::Name,
        r#"containers.main.variables["A B"]"#,
    );
}

#[test]
fn requests_do_not_exceed_limits() {
    let res = |req: &str, lim: &str| {
        format!(
            "containers:\n  main:\n    image: x\n    resources:\n      requests: {{cpu: {req}, memory: 64Mi}}\n      limits: {{cpu: {lim}, memory: 128Mi}}\n"
        )
    };
    assert_valid(&res("250m", "\"0.5\""));
    assert_problem(
        &res("\"2\"", "\"1\""),
        ErrorKind::Invalid,
        "containers.main.resources.requests.cpu",
    );
}

#[test]
fn memory_must_be_whole_bytes() {
    let mem = |m: &str| {
        format!(
            "containers:\n  main:\n    image: x\n    resources:\n      limits: {{memory: {m}}}\n"
        )
    };
    assert_valid(&mem("1.5Gi"));
    assert_problem(
        &mem("0.1Gi"),
        ErrorKind::Invalid,
        "containers.main.resources.limits.memory",
    );
}

#[test]
fn file_targets_are_clean_absolute_paths_outside_system_folders() {
    let file = |t: &str| {
        format!("containers:\n  main:\n    image: x\n    files:\n      '{t}': {{content: hi}}\n")
    };
    assert_valid(&file("/etc/app/config.yaml"));
    for bad in [
        "/etc/app/../../passwd",
        "relative/x",
        "/proc/self/x",
        "/etc//x",
    ] {
        assert_problem(
            &file(bad),
            ErrorKind::Invalid,
            &format!("containers.main.files[{}]", Value::from(bad)),
        );
    }
}

#[test]
fn file_sources_stay_inside_the_workload_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.txt"), "x").unwrap();
    let write = |source: &str| {
        let text = format!(
            "{HEAD}containers:\n  main:\n    image: x\n    files:\n      /etc/c: {{source: '{source}'}}\n"
        );
        let path = dir.path().join("score.yaml");
        std::fs::write(&path, text).unwrap();
        Loader::default().path(&path)
    };
    assert!(write("config.txt").is_ok());
    for bad in ["../outside.txt", "/etc/passwd", "missing.txt"] {
        let err = write(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{bad}: {err}");
        assert!(
            err.location().path.to_string().ends_with(".source"),
            "{err}"
        );
    }
}

#[test]
fn volume_sub_paths_are_relative() {
    let vol = |p: &str| {
        format!(
            "containers:\n  main:\n    image: x\n    volumes:\n      /data: {{source: '${{resources.vol}}', path: '{p}'}}\nresources:\n  vol: {{type: volume}}\n"
        )
    };
    assert_valid(&vol("sub/dir"));
    assert_problem(
        &vol("../up"),
        ErrorKind::Invalid,
        r#"containers.main.volumes["/data"].path"#,
    );
}

#[test]
fn resource_types_and_classes_are_lower_case_labels() {
    assert_valid(
        "containers:\n  main: {image: x}\nresources:\n  db: {type: postgres, class: large, id: shop.db}\n",
    );
    assert_problem(
        "containers:\n  main: {image: x}\nresources:\n  db: {type: Postgres}\n",
        ErrorKind::Name,
        "resources.db.type",
    );
    assert_problem(
        "containers:\n  main: {image: x}\nresources:\n  db: {type: postgres, class: Large}\n",
        ErrorKind::Name,
        "resources.db.class",
    );
}

#[test]
fn placeholders_parse_and_name_what_exists() {
    let var = |v: &str| {
        format!(
            "containers:\n  main:\n    image: x\n    variables:\n      V: '{v}'\nresources:\n  db: {{type: postgres}}\n"
        )
    };
    for ok in [
        "${resources.db.host}",
        "${metadata.team}",
        "$${literal}",
        "cost: $$5",
        "$HOME",
    ] {
        assert_valid(&var(ok));
    }
    for bad in [
        "${resources.db.host",
        "${resources.cache.host}",
        "${metadata.owner}",
        "${resources.db}",
        "${secrets.x}",
    ] {
        assert_problem(
            &var(bad),
            ErrorKind::Placeholder,
            "containers.main.variables.V",
        );
    }
}

#[test]
fn placeholders_in_params_and_volume_sources_are_checked_too() {
    assert_problem(
        "containers:\n  main: {image: x}\nresources:\n  db: {type: postgres, params: {x: [ok, '${resources.nope.y}']}}\n",
        ErrorKind::Placeholder,
        "resources.db.params.x[1]",
    );
    assert_valid(
        "containers:\n  main:\n    image: x\n    volumes:\n      /data: {source: '${resources.vol}'}\nresources:\n  vol: {type: volume}\n",
    );
    assert_valid(
        "containers:\n  main:\n    image: x\n    files:\n      /etc/raw: {content: '${not checked}', noExpand: true}\n",
    );
}

#[test]
fn before_names_other_containers_without_cycles() {
    let ok = "containers:\n  app:\n    image: x\n    before: {init: {ready: complete}}\n  init: {image: y}\n";
    assert_valid(ok);
    assert_problem(
        "containers:\n  app:\n    image: x\n    before: {nope: {ready: started}}\n",
        ErrorKind::Invalid,
        "containers.app.before.nope",
    );
    assert_problem(
        "containers:\n  app:\n    image: x\n    before: {app: {ready: started}}\n",
        ErrorKind::Invalid,
        "containers.app.before.app",
    );
    let cycle = "containers:\n  aa:\n    image: x\n    before: {bb: {ready: started}}\n  bb:\n    image: x\n    before: {aa: {ready: started}}\n";
    let found = problems(cycle);
    assert_eq!(
        found,
        [(ErrorKind::Invalid, "containers.aa.before".to_owned())],
        "reported once"
    );
}

#[test]
fn workload_names_are_unique_across_a_set() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{HEAD}containers:\n  main: {{image: x}}\n");
    std::fs::write(dir.path().join("a.yaml"), &text).unwrap();
    std::fs::write(dir.path().join("b.yaml"), &text).unwrap();
    let err = Loader::default().path(dir.path()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.message().contains("also defined in"), "{err}");
}

#[test]
fn before_names_one_state_that_the_container_can_reach() {
    let conflict = "containers:\n  app: {image: x}\n  web: {image: x}\n  db:\n    image: x\n    before: {app: {ready: started}, web: {ready: complete}}\n";
    assert_problem(conflict, ErrorKind::Invalid, "containers.db.before");
    let no_probe = "containers:\n  app: {image: x}\n  db:\n    image: x\n    before: {app: {ready: healthy}}\n";
    assert_problem(no_probe, ErrorKind::Invalid, "containers.db.before");
    let probed = "containers:\n  app: {image: x}\n  db:\n    image: x\n    readinessProbe: {exec: {command: [ready]}}\n    before: {app: {ready: healthy}}\n";
    assert_valid(probed);
    let complete = "containers:\n  app: {image: x}\n  migrate:\n    image: x\n    livenessProbe: {exec: {command: [alive]}}\n    before: {app: {ready: complete}}\n";
    assert_problem(
        complete,
        ErrorKind::Invalid,
        "containers.migrate.livenessProbe",
    );
}

#[test]
fn a_before_error_names_the_score_file_the_line_and_the_containers() {
    let text = format!(
        "{HEAD}containers:\n  app: {{image: x}}\n  db:\n    image: x\n    before: {{app: {{ready: healthy}}}}\n"
    );
    let error = Loader::default()
        .score_str(&text, Some("backend.score.yaml"))
        .unwrap_err();
    let shown = error.to_string();
    for part in [
        "backend.score.yaml:",
        "containers.db.before",
        "`app`",
        "`db`",
    ] {
        assert!(shown.contains(part), "{part}: {shown}");
    }
    assert!(error.location().line.is_some(), "{shown}");
}
