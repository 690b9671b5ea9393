//! The workload object, its labels, annotations and namespace, its Services, and the order
//! of the objects.

use super::*;

// The workload object

#[test]
fn a_workload_is_a_deployment_unless_its_annotation_asks_for_a_stateful_set() {
    assert_eq!(render(&web(json!({})), None)[0]["kind"], "Deployment");
    let explicit = web(
        json!({"metadata": {"name": "web", "annotations": {"k8s.score.dev/kind": "Deployment"}}}),
    );
    assert_eq!(render(&explicit, None)[0]["kind"], "Deployment");
    let stateful = web(
        json!({"metadata": {"name": "web", "annotations": {"k8s.score.dev/kind": "StatefulSet"}}}),
    );
    assert_eq!(render(&stateful, None)[0]["kind"], "StatefulSet");
}

#[test]
fn an_unknown_kind_is_an_error_naming_the_allowed_kinds() {
    let workload = web(
        json!({"metadata": {"name": "web", "annotations": {"k8s.score.dev/kind": "DaemonSet"}}}),
    );
    let err = render_error(&workload, None);
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(
        err.location().path.to_string(),
        r#"metadata.annotations["k8s.score.dev/kind"]"#
    );
    assert!(err.message().contains("`DaemonSet`"), "{err}");
    assert!(
        err.message()
            .contains("`Deployment`, `StatefulSet`, `Job` or `CronJob`"),
        "{err}"
    );
}

#[test]
fn a_stateful_set_gets_a_headless_service_and_claim_templates() {
    let mut workload = web(json!({
        "metadata": {"name": "db", "annotations": {"k8s.score.dev/kind": "StatefulSet"}},
        "service": {"ports": {"pg": {"port": 5432}}},
    }));
    let parts = workload.containers.entry("main".into()).or_default();
    parts.volumes.insert("/var/lib/data".into(), claim_volume());
    let objects = render(&workload, None);
    assert_eq!(
        names_of(&objects),
        [
            ("StatefulSet".into(), "db".into()),
            ("Service".into(), "db".into()),
            ("Service".into(), "db-headless-svc".into()),
        ]
    );
    let set = &objects[0];
    assert_eq!(set["spec"]["serviceName"], "db-headless-svc");
    let headless = &objects[2];
    assert_eq!(headless["spec"]["clusterIP"], "None");
    assert_eq!(
        headless["spec"]["selector"],
        set["spec"]["selector"]["matchLabels"]
    );
    let claims = set["spec"]["volumeClaimTemplates"].as_array().unwrap();
    assert_eq!(claims.len(), 1);
    let claim_name = claims[0]["metadata"]["name"].as_str().unwrap();
    assert!(claim_name.starts_with("vol-main-"), "{claim_name}");
    assert_eq!(claims[0]["kind"], "PersistentVolumeClaim");
    assert_eq!(claims[0]["spec"]["resources"]["requests"]["storage"], "1Gi");
    let mounts = &container(set, "main")["volumeMounts"];
    assert_eq!(
        mounts,
        &json!([{"name": claim_name, "mountPath": "/var/lib/data"}])
    );
    assert!(pod_spec(set).get("volumes").is_none());
}

#[test]
fn a_claim_template_on_a_deployment_says_to_use_a_stateful_set() {
    let mut workload = web(json!({}));
    let parts = workload.containers.entry("main".into()).or_default();
    parts.volumes.insert("/data".into(), claim_volume());
    let err = render_error(&workload, None);
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(
        err.location().path.to_string(),
        r#"containers.main.volumes["/data"]"#
    );
    assert!(
        err.message().contains("k8s.score.dev/kind: StatefulSet"),
        "{err}"
    );
}

#[test]
fn a_stateful_set_name_too_long_for_its_revision_label_is_refused() {
    let name = "s".repeat(53);
    let workload = web(
        json!({"metadata": {"name": name, "annotations": {"k8s.score.dev/kind": "StatefulSet"}}}),
    );
    let err = render_error(&workload, None);
    assert_eq!(err.kind(), ErrorKind::Name);
    assert!(err.message().contains("at most 52"), "{err}");
}

#[test]
fn replicas_come_from_the_environment_type_when_above_zero() {
    let workload = web(json!({}));
    let replicas = |spec: Option<&EnvironmentTypeSpec>| {
        render(&workload, spec)[0]["spec"].get("replicas").cloned()
    };
    assert_eq!(replicas(None), None);
    assert_eq!(replicas(Some(&env_type(json!({"replicas": 0})))), None);
    assert_eq!(
        replicas(Some(&env_type(json!({"replicas": 3})))),
        Some(json!(3))
    );
}

#[test]
fn every_object_carries_the_standard_and_environment_type_labels() {
    let spec =
        env_type(json!({"labels": {"team": "shop", "app.kubernetes.io/managed-by": "helm"}}));
    let workload = with_files(
        web(json!({"service": {"ports": {"http": {"port": 80}}}})),
        "main",
        &[("/etc/app/a.conf", text_file("a"))],
    );
    let objects = render(&workload, Some(&spec));
    assert_eq!(objects.len(), 3);
    let expected = json!({
        "app.kubernetes.io/name": "web",
        "app.kubernetes.io/instance": "shop-qa-web",
        "app.kubernetes.io/part-of": "shop",
        "app.kubernetes.io/managed-by": "goldpath",
        "goldpath.dev/env": "qa",
        "team": "shop",
    });
    for object in &objects {
        assert_eq!(object["metadata"]["labels"], expected, "{}", object["kind"]);
        assert_eq!(object["metadata"]["namespace"], "shop-qa");
    }
    assert_eq!(
        objects[0]["spec"]["template"]["metadata"]["labels"],
        expected
    );
}

#[test]
fn selectors_use_only_the_name_and_instance_labels() {
    let spec = env_type(json!({"labels": {"team": "shop"}}));
    let objects = render(
        &web(json!({"service": {"ports": {"http": {"port": 80}}}})),
        Some(&spec),
    );
    let selector =
        json!({"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "shop-qa-web"});
    assert_eq!(objects[0]["spec"]["selector"]["matchLabels"], selector);
    assert_eq!(objects[1]["spec"]["selector"], selector);
}

#[test]
fn annotations_of_the_workload_object_and_the_pod_template() {
    let spec =
        env_type(json!({"annotations": {"platform.io/owner": "team-a", "note": "platform"}}));
    let workload = web(json!({"metadata": {"name": "web", "annotations": {
        "k8s.score.dev/service-name": "front",
        "note": "mine",
        "example.com/Team": "x",
    }}}));
    let deployment = &render(&workload, Some(&spec))[0];
    assert_eq!(
        deployment["metadata"]["annotations"],
        json!({"goldpath.dev/workload": "web", "platform.io/owner": "team-a", "note": "platform"})
    );
    assert_eq!(
        deployment["spec"]["template"]["metadata"]["annotations"],
        json!({"example.com/Team": "x", "note": "platform", "platform.io/owner": "team-a"})
    );
}

#[test]
fn a_bad_label_or_annotation_key_is_an_error_naming_the_object_and_the_label() {
    let spec = env_type(json!({"labels": {"bad key": "x"}}));
    let err = render_error(&web(json!({})), Some(&spec));
    assert_eq!(err.kind(), ErrorKind::Name);
    assert!(
        err.message()
            .starts_with("Deployment `web`, metadata.labels: `bad key` is not a valid label key"),
        "{err}"
    );
    let spec = env_type(json!({"labels": {"tier": "-front"}}));
    let err = render_error(&web(json!({})), Some(&spec));
    assert!(
        err.message().starts_with(
            "Deployment `web`, metadata.labels `tier`: `-front` is not a valid label value"
        ),
        "{err}"
    );
    let workload = web(json!({"metadata": {"name": "web", "annotations": {"a/b/c": "x"}}}));
    let err = render_error(&workload, None);
    assert!(err.message().starts_with("Deployment `web`, spec.template.metadata.annotations: `a/b/c` is not a valid annotation key"), "{err}");
}

#[test]
fn no_namespace_is_written_without_a_target_namespace() {
    let context = context();
    let target = Target {
        context: &context,
        namespace: None,
        env_type: None,
    };
    let objects = workload_objects(
        &web(json!({"service": {"ports": {"http": {"port": 80}}}})),
        &target,
    )
    .unwrap();
    objects.iter().for_each(kube_check);
    assert!(
        objects
            .iter()
            .all(|o| o["metadata"].get("namespace").is_none())
    );
}

// Services

#[test]
fn the_service_lists_the_ports_by_name_with_defaults() {
    let workload = web(json!({
        "metadata": {"name": "web", "annotations": {"k8s.score.dev/service-name": "front"}},
        "service": {"ports": {"www": {"port": 80, "targetPort": 8080}, "dns": {"port": 53, "protocol": "UDP"}}},
    }));
    let objects = render(&workload, None);
    let service = &objects[1];
    assert_eq!(service["metadata"]["name"], "front");
    assert_eq!(
        service["metadata"]["annotations"],
        json!({"goldpath.dev/workload": "web"})
    );
    assert_eq!(
        service["spec"]["ports"],
        json!([
            {"name": "dns", "port": 53, "targetPort": 53, "protocol": "UDP"},
            {"name": "www", "port": 80, "targetPort": 8080, "protocol": "TCP"},
        ])
    );
    assert_eq!(
        render(&web(json!({"service": {"ports": {}}})), None).len(),
        1
    );
}

#[test]
fn a_service_name_must_be_a_dns_1035_label() {
    let workload = web(json!({
        "metadata": {"name": "1web"},
        "service": {"ports": {"http": {"port": 80}}},
    }));
    let err = render_error(&workload, None);
    assert_eq!(err.kind(), ErrorKind::Name);
    assert_eq!(err.location().path.to_string(), "metadata.name");
    assert!(
        err.message().contains("not a valid DNS-1035 label"),
        "{err}"
    );
    let workload = web(json!({
        "metadata": {"name": "web", "annotations": {"k8s.score.dev/service-name": "Front"}},
        "service": {"ports": {"http": {"port": 80}}},
    }));
    let err = render_error(&workload, None);
    assert_eq!(
        err.location().path.to_string(),
        r#"metadata.annotations["k8s.score.dev/service-name"]"#
    );
}

// Order and determinism

#[test]
fn output_is_the_workload_then_services_then_config_maps_by_name_and_deterministic() {
    let workload = with_files(
        web(json!({"service": {"ports": {"http": {"port": 80}}}})),
        "main",
        &[
            ("/etc/z/z.conf", text_file("z")),
            ("/etc/a/a.conf", text_file("a")),
            ("/etc/m/m.conf", text_file("m")),
        ],
    );
    let objects = render(&workload, None);
    let kinds: Vec<&str> = objects
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "Deployment",
            "Service",
            "ConfigMap",
            "ConfigMap",
            "ConfigMap"
        ]
    );
    let maps: Vec<&str> = objects[2..]
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap())
        .collect();
    let mut sorted = maps.clone();
    sorted.sort_unstable();
    assert_eq!(maps, sorted);
    assert_eq!(render(&workload, None), objects);
}
