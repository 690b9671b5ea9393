//! The objects of an environment: its Namespace and NetworkPolicies.

use super::*;

// Environment objects

#[test]
fn the_namespace_carries_environment_labels_and_pod_security() {
    let spec = env_type(json!({"podSecurity": "restricted", "labels": {"team": "shop"}}));
    let objects = environment(&[], Some(&spec), Some("shop-qa")).unwrap();
    assert_eq!(
        objects,
        [
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop-qa", "labels": {
                "app.kubernetes.io/part-of": "shop",
                "app.kubernetes.io/managed-by": "goldpath",
                "goldpath.dev/env": "qa",
                "team": "shop",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            }}})
        ]
    );
    let off = env_type(json!({"createNamespace": false}));
    assert_eq!(
        environment(&[], Some(&off), Some("shop-qa")).unwrap(),
        Vec::<Value>::new()
    );
    assert_eq!(
        environment(&[], Some(&spec), None).unwrap(),
        Vec::<Value>::new()
    );
    assert_eq!(
        environment(&[], None, Some("shop-qa")).unwrap(),
        Vec::<Value>::new()
    );
    let err = environment(&[], Some(&spec), Some("Shop")).unwrap_err();
    assert!(
        err.message().starts_with("Namespace `Shop`, metadata.name"),
        "{err}"
    );
}

#[test]
fn network_policies_deny_by_default_and_allow_linked_and_routed_traffic() {
    let spec = env_type(json!({"networkPolicy": true, "createNamespace": false}));
    let mut api = web(json!({
        "metadata": {"name": "api"},
        "service": {"ports": {"http": {"port": 80, "targetPort": 8080}, "grpc": {"port": 9000}}},
    }));
    api.linked_from = BTreeSet::from(["web".to_owned(), "worker".to_owned()]);
    let mut front =
        web(json!({"metadata": {"name": "front"}, "service": {"ports": {"http": {"port": 80}}}}));
    front.routed = true;
    let lonely =
        web(json!({"metadata": {"name": "lonely"}, "service": {"ports": {"http": {"port": 80}}}}));
    let worker = web(json!({"metadata": {"name": "worker"}}));
    let objects = environment(&[worker, lonely, front, api], Some(&spec), Some("shop-qa")).unwrap();
    assert_eq!(
        names_of(&objects),
        [
            ("NetworkPolicy".into(), "default-deny-ingress".into()),
            ("NetworkPolicy".into(), "allow-api".into()),
            ("NetworkPolicy".into(), "allow-front".into()),
        ]
    );
    assert_eq!(
        objects[0]["spec"],
        json!({"podSelector": {}, "policyTypes": ["Ingress"]})
    );
    assert_eq!(objects[0]["metadata"]["namespace"], "shop-qa");
    assert_eq!(
        objects[1]["spec"],
        json!({
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "shop-qa-api"}},
            "policyTypes": ["Ingress"],
            "ingress": [{
                "from": [
                    {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "web"}}},
                    {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "worker"}}},
                ],
                "ports": [{"port": 8080, "protocol": "TCP"}, {"port": 9000, "protocol": "TCP"}],
            }],
        })
    );
    assert_eq!(
        objects[2]["spec"]["ingress"][0]["from"],
        json!([{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}])
    );
}

#[test]
fn two_workloads_of_one_name_are_an_error() {
    let spec = env_type(json!({"networkPolicy": true}));
    let err = environment(
        &[web(json!({})), web(json!({}))],
        Some(&spec),
        Some("shop-qa"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.message().contains("`web`"), "{err}");
}
