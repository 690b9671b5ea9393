//! Containers: image, command and args, resources, probes, ports, environment variables and
//! security contexts.

use super::*;

// Containers

#[test]
fn containers_are_sorted_and_image_command_args_are_verbatim() {
    let workload = resolved(json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "containers": {
            "zeta": {"image": "busybox", "command": ["/bin/sh", "-c"], "args": ["echo $(X) ${y}"]},
            "alpha": {"image": "nginx:1.27@sha256:abc"},
        },
    }));
    let deployment = &render(&workload, None)[0];
    let containers = &pod_spec(deployment)["containers"];
    assert_eq!(
        containers[0],
        json!({"name": "alpha", "image": "nginx:1.27@sha256:abc"})
    );
    assert_eq!(
        containers[1],
        json!({"name": "zeta", "image": "busybox", "command": ["/bin/sh", "-c"], "args": ["echo $(X) ${y}"]})
    );
}

#[test]
fn resources_are_canonical_with_the_environment_defaults_underneath() {
    let workload = web(
        json!({"containers": {"main": {"image": "nginx", "resources": {
            "requests": {"cpu": "0.25"},
            "limits": {"memory": "1024Mi"},
        }}}}),
    );
    let spec = env_type(json!({"defaults": {"resources": {
        "requests": {"cpu": "100m", "memory": "128Mi"},
        "limits": {"cpu": "2", "memory": "256Mi"},
    }}}));
    let deployment = &render(&workload, Some(&spec))[0];
    assert_eq!(
        container(deployment, "main")["resources"],
        json!({"requests": {"cpu": "250m", "memory": "128Mi"}, "limits": {"cpu": "2", "memory": "1Gi"}})
    );
}

#[test]
fn probes_prefer_http_get_over_exec() {
    let workload = web(json!({"containers": {"main": {
        "image": "nginx",
        "livenessProbe": {"httpGet": {"path": "/live", "port": 8080, "host": "localhost"}, "exec": {"command": ["true"]}},
        "readinessProbe": {"exec": {"command": ["cat", "/ready"]}},
    }}}));
    let main = container(&render(&workload, None)[0], "main").clone();
    assert_eq!(
        main["livenessProbe"],
        json!({"httpGet": {"path": "/live", "port": 8080, "host": "localhost"}})
    );
    assert_eq!(
        main["readinessProbe"],
        json!({"exec": {"command": ["cat", "/ready"]}})
    );
}

#[test]
fn container_ports_are_named_only_with_iana_service_names() {
    let workload = web(json!({"service": {"ports": {
        "http": {"port": 80, "targetPort": 8080},
        "metrics-endpoint-port": {"port": 9090},
        "dns": {"port": 53, "protocol": "UDP"},
    }}}));
    let main = container(&render(&workload, None)[0], "main").clone();
    assert_eq!(
        main["ports"],
        json!([
            {"containerPort": 53, "protocol": "UDP", "name": "dns"},
            {"containerPort": 8080, "protocol": "TCP", "name": "http"},
            {"containerPort": 9090, "protocol": "TCP"},
        ])
    );
}

#[test]
fn environment_values_escape_outputs_keep_text_and_reference_secrets() {
    let mut workload = web(json!({}));
    let db = secret("db-creds", "password");
    let vars = &mut workload
        .containers
        .entry("main".into())
        .or_default()
        .variables;
    vars.insert("GREETING".into(), Resolved(vec![text("Hello $(FRIEND)")]));
    vars.insert(
        "HOST".into(),
        Resolved(vec![output("p$ss"), text(":"), output("$(X)")]),
    );
    vars.insert("PASSWORD".into(), Resolved(vec![Piece::Secret(db.clone())]));
    vars.insert(
        "URL".into(),
        Resolved(vec![text("pg://u:"), Piece::Secret(db), output("@h$")]),
    );
    vars.insert("EMPTY".into(), Resolved(vec![]));
    let objects = render(&workload, None);
    let env = &container(&objects[0], "main")["env"];
    let helper = "__ref_cFoX8GczYc5MM8fPxz9y0A";
    let key_ref = json!({"secretKeyRef": {"name": "db-creds", "key": "password"}});
    assert_eq!(
        env,
        &json!([
            {"name": helper, "valueFrom": key_ref},
            {"name": "EMPTY"},
            {"name": "GREETING", "value": "Hello $(FRIEND)"},
            {"name": "HOST", "value": "p$$ss:$$(X)"},
            {"name": "PASSWORD", "valueFrom": key_ref},
            {"name": "URL", "value": format!("pg://u:$({helper})@h$$")},
        ])
    );
}

#[test]
fn security_contexts_follow_the_environment_type() {
    let workload = web(json!({}));
    let restricted =
        env_type(json!({"securityContext": "restricted", "readOnlyRootFilesystem": true}));
    let deployment = &render(&workload, Some(&restricted))[0];
    assert_eq!(
        pod_spec(deployment)["securityContext"],
        json!({"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}})
    );
    assert_eq!(
        container(deployment, "main")["securityContext"],
        json!({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": true})
    );
    let baseline = &render(
        &workload,
        Some(&env_type(json!({"securityContext": "baseline"}))),
    )[0];
    assert_eq!(
        container(baseline, "main")["securityContext"],
        json!({"allowPrivilegeEscalation": false})
    );
    // As the `baseline` preset is documented: RuntimeDefault seccomp on the pod as well.
    assert_eq!(
        pod_spec(baseline)["securityContext"],
        json!({"seccompProfile": {"type": "RuntimeDefault"}})
    );
    let none = &render(
        &workload,
        Some(&env_type(json!({"securityContext": "none"}))),
    )[0];
    assert!(pod_spec(none).get("securityContext").is_none());
    assert!(container(none, "main").get("securityContext").is_none());
    let explicit = env_type(
        json!({"securityContext": {"pod": {"fsGroup": 2000}, "container": {"runAsUser": 1000}}}),
    );
    let deployment = &render(&workload, Some(&explicit))[0];
    assert_eq!(
        pod_spec(deployment)["securityContext"],
        json!({"fsGroup": 2000})
    );
    assert_eq!(
        container(deployment, "main")["securityContext"],
        json!({"runAsUser": 1000})
    );
}

// ---------------------------------------------------------------------------------------------
