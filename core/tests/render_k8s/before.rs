//! Score's `before`: the containers others wait for become init containers (sidecars for
//! `started` and `healthy`), in start order, with the baselines of every container.

use super::*;

fn init_containers(object: &Value) -> &Vec<Value> {
    pod_spec(object)["initContainers"].as_array().unwrap()
}

fn names(list: &[Value]) -> Vec<&str> {
    list.iter().map(|c| c["name"].as_str().unwrap()).collect()
}

fn probe(path: &str) -> Value {
    json!({"httpGet": {"path": path, "port": 8080}})
}

/// `app` serves port 8080; `migrate` (complete), `proxy` (started, with a readiness probe),
/// `db` (healthy, readiness and liveness probes, also before `migrate`) and `cache` (healthy,
/// a liveness probe only) run before it.
fn every_state() -> ResolvedWorkload {
    resolved(json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "service": {"ports": {"http": {"port": 80, "targetPort": 8080}}},
        "containers": {
            "app": {"image": "app:1"},
            "migrate": {"image": "app:1", "command": ["migrate"],
                        "before": {"app": {"ready": "complete"}}},
            "proxy": {"image": "proxy:1", "readinessProbe": probe("/proxy"),
                      "before": {"app": {"ready": "started"}}},
            "db": {"image": "db:1", "readinessProbe": probe("/ready"), "livenessProbe": probe("/live"),
                   "before": {"app": {"ready": "healthy"}, "migrate": {"ready": "healthy"}}},
            "cache": {"image": "cache:1", "livenessProbe": {"exec": {"command": ["ping"]}},
                      "before": {"app": {"ready": "healthy"}}},
        },
    }))
}

#[test]
fn every_state_becomes_its_kind_of_init_container_in_start_order() {
    let deployment = &render(&every_state(), None)[0];
    let init = init_containers(deployment);
    assert_eq!(names(init), ["cache", "db", "migrate", "proxy"]);
    let containers = pod_spec(deployment)["containers"].as_array().unwrap();
    assert_eq!(names(containers), ["app"]);
    let (cache, db, migrate, proxy) = (&init[0], &init[1], &init[2], &init[3]);
    // complete: an ordinary init container, no restart policy, no ports.
    assert_eq!(
        *migrate,
        json!({"name": "migrate", "image": "app:1", "command": ["migrate"]})
    );
    // started: a native sidecar that keeps its probe and the service ports.
    assert_eq!(proxy["restartPolicy"], "Always");
    assert_eq!(proxy["readinessProbe"], probe("/proxy"));
    assert!(proxy.get("startupProbe").is_none(), "{proxy}");
    assert_eq!(proxy["ports"][0]["containerPort"], 8080);
    // healthy: the readiness probe (else the liveness probe) is also the startup probe.
    assert_eq!(db["restartPolicy"], "Always");
    assert_eq!(db["startupProbe"], probe("/ready"));
    assert_eq!(db["livenessProbe"], probe("/live"));
    assert_eq!(cache["restartPolicy"], "Always");
    assert_eq!(
        cache["startupProbe"],
        json!({"exec": {"command": ["ping"]}})
    );
    assert!(containers[0].get("restartPolicy").is_none());
}

#[test]
fn a_workload_without_before_has_no_init_containers() {
    let deployment = &render(&web(json!({})), None)[0];
    assert!(pod_spec(deployment).get("initContainers").is_none());
}

#[test]
fn init_containers_of_a_stateful_set_too() {
    let mut workload = every_state();
    workload
        .workload
        .metadata
        .annotations
        .insert("k8s.score.dev/kind".into(), "StatefulSet".into());
    let set = &render(&workload, None)[0];
    assert_eq!(set["kind"], "StatefulSet");
    assert_eq!(
        names(init_containers(set)),
        ["cache", "db", "migrate", "proxy"]
    );
}

#[test]
fn init_containers_and_sidecars_get_every_baseline() {
    let spec = env_type(json!({
        "securityContext": "restricted",
        "readOnlyRootFilesystem": true,
        "defaults": {"resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                                   "limits": {"memory": "128Mi"}}},
        "observability": {"otlpEndpoint": "http://otel:4317"},
    }));
    let workload = with_files(
        every_state(),
        "migrate",
        &[("/etc/app/m.conf", text_file("x"))],
    );
    let objects = render(&workload, Some(&spec));
    let deployment = &objects[0];
    let pod = pod_spec(deployment);
    let all = init_containers(deployment)
        .iter()
        .chain(pod["containers"].as_array().unwrap());
    for container in all {
        let name = &container["name"];
        let security = &container["securityContext"];
        assert_eq!(security["allowPrivilegeEscalation"], false, "{name}");
        assert_eq!(security["capabilities"]["drop"][0], "ALL", "{name}");
        assert_eq!(security["readOnlyRootFilesystem"], true, "{name}");
        assert_eq!(container["resources"]["requests"]["cpu"], "100m", "{name}");
        assert_eq!(
            container["resources"]["limits"]["memory"], "128Mi",
            "{name}"
        );
        let env = container["env"].as_array().unwrap();
        assert!(
            env.iter()
                .any(|v| v["name"] == "OTEL_EXPORTER_OTLP_ENDPOINT"
                    && v["value"] == "http://otel:4317"),
            "{name}: {env:?}"
        );
    }
    let migrate = &init_containers(deployment)[2];
    assert_eq!(migrate["name"], "migrate");
    let mount = &migrate["volumeMounts"][0];
    assert_eq!(mount["mountPath"], "/etc/app");
    let volumes = pod["volumes"].as_array().unwrap();
    assert!(
        volumes.iter().any(|v| v["name"] == mount["name"]),
        "{volumes:?}"
    );
    assert!(objects.iter().any(|o| o["kind"] == "ConfigMap"));
}

#[test]
fn a_secret_variable_of_an_init_container_stays_a_reference() {
    let mut workload = every_state();
    let parts = workload.containers.entry("migrate".into()).or_default();
    parts.variables.insert(
        "DB_PASSWORD".into(),
        Resolved(vec![Piece::Secret(secret("db-secrets", "password"))]),
    );
    let deployment = &render(&workload, None)[0];
    let migrate = &init_containers(deployment)[2];
    assert_eq!(
        migrate["env"][0],
        json!({"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-secrets", "key": "password"}}})
    );
}

fn before_error(containers: Value) -> goldpath::Error {
    let workload = resolved(json!({
        "apiVersion": "score.dev/v1b1", "metadata": {"name": "web"}, "containers": containers,
    }));
    let error = render_error(&workload, None);
    assert_eq!(error.kind(), ErrorKind::Invalid, "{error}");
    error
}

fn paths(error: &goldpath::Error) -> Vec<String> {
    error
        .diagnostics()
        .iter()
        .map(|d| d.location.path.to_string())
        .collect()
}

#[test]
fn a_cycle_is_an_error_naming_its_containers() {
    let error = before_error(json!({
        "app": {"image": "a"},
        "one": {"image": "x", "before": {"two": {"ready": "complete"}, "app": {"ready": "complete"}}},
        "two": {"image": "x", "before": {"one": {"ready": "complete"}}},
    }));
    assert_eq!(paths(&error), ["containers.one.before"]);
    assert!(error.message().contains("one → two → one"), "{error}");
}

#[test]
fn a_container_waited_for_in_two_states_is_an_error_naming_both() {
    let error = before_error(json!({
        "app": {"image": "a"}, "web": {"image": "w"},
        "db": {"image": "d", "livenessProbe": probe("/"),
               "before": {"app": {"ready": "healthy"}, "web": {"ready": "started"}}},
    }));
    assert_eq!(paths(&error), ["containers.db.before"]);
    for part in [
        "`db`",
        "`app` waits for `healthy`",
        "`web` waits for `started`",
    ] {
        assert!(error.message().contains(part), "{part}: {error}");
    }
}

#[test]
fn an_unknown_container_is_an_error_naming_it() {
    let error = before_error(json!({
        "app": {"image": "a"},
        "migrate": {"image": "m", "before": {"api": {"ready": "complete"}}},
    }));
    assert_eq!(paths(&error), ["containers.migrate.before.api"]);
    assert!(error.message().contains("no container `api`"), "{error}");
}

#[test]
fn healthy_without_a_probe_is_an_error() {
    let error = before_error(json!({
        "app": {"image": "a"},
        "db": {"image": "d", "before": {"app": {"ready": "healthy"}}},
    }));
    assert_eq!(paths(&error), ["containers.db.before"]);
    assert!(
        error
            .message()
            .contains("no readinessProbe or livenessProbe"),
        "{error}"
    );
}

#[test]
fn a_probe_on_a_container_that_runs_to_completion_is_an_error() {
    let error = before_error(json!({
        "app": {"image": "a"},
        "migrate": {"image": "m", "livenessProbe": probe("/"),
                    "before": {"app": {"ready": "complete"}}},
    }));
    assert_eq!(paths(&error), ["containers.migrate.livenessProbe"]);
}

#[test]
fn a_workload_whose_every_container_runs_first_is_refused() {
    let error = before_error(json!({
        "a": {"image": "a", "before": {"b": {"ready": "complete"}}},
        "b": {"image": "b", "before": {"a": {"ready": "started"}}},
    }));
    assert!(error.message().contains("cycle"), "{error}");
}

proptest! {
    /// Whatever the entries (acyclic: a container only runs before containers of a greater
    /// index), the rendered init containers respect each of them, and the ordinary containers
    /// are exactly those that declare no `before`.
    #[test]
    fn rendered_init_containers_respect_every_entry(
        n in 2usize..8,
        edges in prop::collection::vec((0usize..8, 0usize..8), 0..16),
    ) {
        let mut containers = serde_json::Map::new();
        for i in 0..n {
            containers.insert(format!("c{i}"), json!({"image": "x"}));
        }
        for (a, b) in edges {
            let (a, b) = (a % n, b % n);
            if a < b {
                containers[&format!("c{a}")]["before"][format!("c{b}")] = json!({"ready": "started"});
            }
        }
        let workload = resolved(json!({
            "apiVersion": "score.dev/v1b1", "metadata": {"name": "web"}, "containers": containers,
        }));
        let deployment = &render(&workload, None)[0];
        let empty = Vec::new();
        let init = pod_spec(deployment)["initContainers"].as_array().unwrap_or(&empty);
        let position = |name: &str| init.iter().position(|c| c["name"] == name);
        for (name, spec) in &workload.workload.containers {
            prop_assert_eq!(position(name).is_some(), !spec.before.is_empty());
            for next in spec.before.keys() {
                if let Some(after) = position(next) {
                    prop_assert!(position(name).unwrap() < after, "{} before {}", name, next);
                }
            }
        }
        prop_assert_eq!(render(&workload, None), render(&workload, None));
    }
}
