//! Property: names valid per Score never yield an invalid emitted name.

use super::*;

/// Checks every name of `object` with the Kubernetes rule of its place, independently of the
/// renderer's own check.
fn assert_names_valid(object: &Value) {
    let ok = |rule: fn(&str) -> Result<(), String>, value: &Value| {
        let value = value
            .as_str()
            .unwrap_or_else(|| panic!("not a string: {value}"));
        if let Err(e) = rule(value) {
            panic!("{e}\n{object:#}");
        }
    };
    let rule = match object["kind"].as_str() {
        Some("Service") => names::dns1035_label,
        Some("Namespace") => names::dns1123_label,
        _ => names::dns1123_subdomain,
    };
    ok(rule, &object["metadata"]["name"]);
    let template_labels = &object["spec"]["template"]["metadata"]["labels"];
    for labels in [&object["metadata"]["labels"], template_labels] {
        for (key, value) in labels.as_object().into_iter().flatten() {
            ok(names::label_key, &json!(key));
            ok(names::label_value, value);
        }
    }
    let pod = pod_spec(object);
    let mut volumes = BTreeSet::new();
    for volume in pod["volumes"].as_array().into_iter().flatten() {
        ok(names::dns1123_label, &volume["name"]);
        let fresh = volumes.insert(volume["name"].to_string());
        assert!(fresh, "duplicate volume {}", volume["name"]);
    }
    for container in pod["containers"].as_array().into_iter().flatten() {
        ok(names::dns1123_label, &container["name"]);
        for port in container["ports"].as_array().into_iter().flatten() {
            if let Some(name) = port.get("name") {
                ok(names::iana_svc_name, name);
            }
        }
        for var in container["env"].as_array().into_iter().flatten() {
            ok(names::env_var_name, &var["name"]);
        }
    }
    if object["kind"] == "Service" {
        for port in object["spec"]["ports"].as_array().into_iter().flatten() {
            ok(names::dns1123_label, &port["name"]);
        }
    }
}

fn score_name() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9-]{0,61}[a-z0-9]"
}

fn env_name() -> impl Strategy<Value = String> {
    "[A-Za-z_.-][A-Za-z0-9_.-]{0,40}"
        .prop_filter("a valid variable name", |n| names::env_var_name(n).is_ok())
}

fn file_target() -> impl Strategy<Value = String> {
    "/f[a-z0-9]{0,10}(/[a-zA-Z0-9._-]{1,30}){1,3}".prop_filter("a valid file target", |t| {
        goldpath::validate::paths::file_target(t).is_ok()
    })
}

fn empty_dir() -> ResolvedVolume {
    ResolvedVolume {
        source: VolumeSource::Volume(json!({"emptyDir": {}})),
        sub_path: None,
        read_only: false,
    }
}

/// Variables (outputs, or text with a secret), files under `/f...` and volumes under `/v...`
/// (so no volume lands on a file's folder).
fn container_parts() -> impl Strategy<Value = ResolvedContainer> {
    let value = prop_oneof![
        "[ -~]{0,10}".prop_map(|v| vec![output(&v)]),
        "[ -~]{0,10}".prop_map(|v| vec![text(&v), Piece::Secret(secret("db", "password"))]),
    ];
    let variables = prop::collection::btree_map(env_name(), value, 0..4);
    let files = prop::collection::btree_set(file_target(), 0..4);
    let volumes = prop::collection::btree_set("/v[a-z0-9]{0,8}(/[a-z0-9]{1,8}){0,2}", 0..3);
    (variables, files, volumes).prop_map(|(variables, files, volumes)| ResolvedContainer {
        variables: variables
            .into_iter()
            .map(|(name, pieces)| (name, Resolved(pieces)))
            .collect(),
        files: files.into_iter().map(|t| (t, text_file("x"))).collect(),
        volumes: volumes.into_iter().map(|t| (t, empty_dir())).collect(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn names_valid_per_score_never_yield_an_invalid_emitted_name(
        name in score_name(),
        stateful in any::<bool>(),
        containers in prop::collection::btree_map(score_name(), container_parts(), 1..3),
        ports in prop::collection::btree_set(score_name(), 0..4),
        linked_from in prop::collection::btree_set(score_name(), 0..3),
    ) {
        let ports: serde_json::Map<String, Value> = ports
            .into_iter()
            .enumerate()
            .map(|(i, port)| (port, json!({"port": 1000 + i})))
            .collect();
        let kind = if stateful { "StatefulSet" } else { "Deployment" };
        let score_containers: serde_json::Map<String, Value> =
            containers.keys().map(|c| (c.clone(), json!({"image": "app"}))).collect();
        let mut workload = resolved(json!({
            "apiVersion": "score.dev/v1b1",
            "metadata": {"name": name, "annotations": {"k8s.score.dev/kind": kind}},
            "containers": score_containers,
            "service": {"ports": ports},
        }));
        workload.containers = containers;
        workload.routed = true;
        workload.linked_from = linked_from;
        let spec = env_type(json!({"networkPolicy": true, "labels": {"team": "shop"}}));
        match try_render(&workload, Some(&spec)) {
            Ok(objects) => objects.iter().for_each(assert_names_valid),
            Err(err) => {
                // The only names Score allows and Kubernetes does not: a Service (or the
                // headless Service of a StatefulSet) named after a workload that starts with a
                // digit, and a StatefulSet name over 52 characters.
                let digit = name.starts_with(|c: char| c.is_ascii_digit());
                let digit_service = (!ports.is_empty() || stateful) && digit;
                let long_set = stateful && name.len() > 52;
                prop_assert!(digit_service || long_set, "{}", err);
                prop_assert_eq!(err.kind(), ErrorKind::Name);
            }
        }
        let objects = environment(std::slice::from_ref(&workload), Some(&spec), Some("shop-qa"))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        objects.iter().for_each(assert_names_valid);
    }
}
