//! The `http` driver against a real HTTP server on 127.0.0.1 (started and stopped by each
//! test): provisioning, the driver cookie carried as state, retries, timeouts, refused
//! redirects, DELETE on removal and on environment deletion, failed DELETEs retried, previews
//! that make no call, and concurrent deploys that call the service in turn.

#[path = "common/http_server.rs"]
mod http_server;
#[path = "common/world.rs"]
mod world;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use goldpath::ErrorKind;
use goldpath::deploy::{Actor, Deployer, Deployment, MemoryStore, NewEnvironment};
use goldpath::drivers::Effects;
use goldpath::load::Loader;
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use http_server::{Request, Response, Server};
use serde_json::{Value, json};

const TOKEN: &str = "T0ken-For-The-Driver-Service";

fn engine(server: &Server, timeout: u32) -> Engine {
    let inputs = format!(
        "    values: {{url: '{}', timeout: {timeout}}}\n    secrets: {{token: {TOKEN}}}\n",
        server.url("/drivers/dns")
    );
    let text = world::platform_yaml("dns-service", "dns", "http", &inputs);
    let docs = Loader::default().str(&text, None).unwrap();
    Engine::new(Platform::from_documents(
        docs.platform.into_iter().map(|l| l.document),
    ))
}

fn web(with_dns: bool) -> Vec<WorkloadInput> {
    let text = if with_dns {
        "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx:1.27\n    variables: {HOST: '${resources.dns.host}'}\nresources:\n  dns: {type: dns}\n"
    } else {
        "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx:1.27\n"
    };
    vec![WorkloadInput::new(
        Loader::default().score_str(text, None).unwrap(),
    )]
}

fn at(n: u32) -> Actor {
    Actor::at(format!("2026-12-01T11:{n:02}:00Z"))
}

fn store_with_dev(engine: &Engine) -> MemoryStore {
    let store = MemoryStore::new();
    Deployer::new(engine, &store)
        .create_environment(&NewEnvironment::new("shop", "dev", "development"), &at(0))
        .unwrap();
    store
}

/// A service that provisions a host and sets cookie `cookie-N` (N counts PUTs); DELETE is 204.
fn dns_service(request: &Request, n: usize) -> Response {
    match request.method.as_str() {
        "PUT" => Response::new(
            200,
            json!({"id": "x", "type": "dns", "resource": {"values": {"host": "web.dev.example.com"}}, "manifests": []})
                .to_string(),
        )
        .header("Set-Humanitec-Driver-Cookie", &format!("cookie-{n}")),
        _ => Response::new(204, ""),
    }
}

fn state(record: &Deployment) -> Option<Value> {
    record
        .resources
        .iter()
        .find_map(|r| r.driver.as_ref()?.state.clone())
}

#[test]
fn provisioning_puts_the_request_and_the_cookie_comes_back_byte_for_byte() {
    let server = Server::start(dns_service);
    let engine = engine(&server, 5);
    let store = store_with_dev(&engine);
    let deployer = Deployer::new(&engine, &store);
    let first = deployer.deploy("shop", "dev", &web(true), &at(1)).unwrap();
    let second = deployer.deploy("shop", "dev", &web(true), &at(2)).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let put = &requests[0];
    assert_eq!(put.method, "PUT");
    let guid = &first
        .resources
        .iter()
        .find_map(|r| r.driver.clone())
        .unwrap()
        .guid;
    assert_eq!(put.path, format!("/drivers/dns/{guid}"));
    assert_eq!(put.headers["authorization"], format!("Bearer {TOKEN}"));
    assert!(!put.headers.contains_key("humanitec-driver-cookie"));
    let body: Value = serde_json::from_str(&put.body).unwrap();
    assert_eq!(body["type"], "dns");
    assert_eq!(body["driver"]["secrets"]["token"], TOKEN);
    assert_eq!(requests[1].headers["humanitec-driver-cookie"], "cookie-0");
    assert_eq!(state(&first), Some(json!("cookie-0")));
    assert_eq!(state(&second), Some(json!("cookie-1")));
    let manifests = serde_json::to_string(&second.manifests).unwrap();
    assert!(manifests.contains("web.dev.example.com"));
    assert!(!serde_json::to_string(&second).unwrap().contains(TOKEN));
}

#[test]
fn a_500_is_retried_and_then_succeeds() {
    let server = Server::start(|request, n| {
        if n == 0 {
            Response::new(500, "busy")
        } else {
            dns_service(request, n)
        }
    });
    let engine = engine(&server, 5);
    let store = store_with_dev(&engine);
    let record = Deployer::new(&engine, &store)
        .deploy("shop", "dev", &web(true), &at(1))
        .unwrap();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(state(&record), Some(json!("cookie-1")));
}

#[test]
fn a_service_that_does_not_answer_in_time_fails_the_deploy() {
    let server = Server::start(|request, n| {
        std::thread::sleep(std::time::Duration::from_millis(2500));
        dns_service(request, n)
    });
    let engine = engine(&server, 1);
    let store = store_with_dev(&engine);
    let err = Deployer::new(&engine, &store)
        .deploy("shop", "dev", &web(true), &at(1))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Driver);
    let message = err.to_string();
    assert!(message.contains("timed out"), "{message}");
    assert!(message.contains("dns-service"), "{message}");
    assert!(!message.contains(TOKEN), "{message}");
    assert!(
        store.history("shop", "dev").unwrap().entries.is_empty(),
        "nothing recorded"
    );
}

use goldpath::deploy::Store;

#[test]
fn a_redirect_to_another_host_is_refused() {
    let server = Server::start(|_, _| {
        Response::new(302, "").header("Location", "http://evil.example.com/steal")
    });
    let engine = engine(&server, 5);
    let store = store_with_dev(&engine);
    let err = Deployer::new(&engine, &store)
        .deploy("shop", "dev", &web(true), &at(1))
        .unwrap_err();
    assert!(err.to_string().contains("follows no redirects"), "{err}");
    assert_eq!(server.requests().len(), 1, "the redirect was not followed");
}

#[test]
fn removed_resources_and_deleted_environments_are_deleted_at_the_service() {
    let server = Server::start(dns_service);
    let engine = engine(&server, 5);
    let store = store_with_dev(&engine);
    let deployer = Deployer::new(&engine, &store);
    let first = deployer.deploy("shop", "dev", &web(true), &at(1)).unwrap();
    let guid = first
        .resources
        .iter()
        .find_map(|r| r.driver.clone())
        .unwrap()
        .guid;
    deployer.deploy("shop", "dev", &web(false), &at(2)).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "DELETE");
    assert_eq!(requests[1].path, format!("/drivers/dns/{guid}"));
    assert_eq!(requests[1].headers["humanitec-driver-cookie"], "cookie-0");
    assert_eq!(
        requests[1].headers["authorization"],
        format!("Bearer {TOKEN}")
    );
    // Deploy it again, then delete the environment: one DELETE more.
    deployer.deploy("shop", "dev", &web(true), &at(3)).unwrap();
    deployer.delete_environment("shop", "dev", &at(4)).unwrap();
    let requests = server.requests();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["PUT", "DELETE", "PUT", "DELETE"]);
    assert!(store.environment("shop", "dev").unwrap().is_none());
}

#[test]
fn a_failed_delete_is_kept_pending_and_retried_on_the_next_deploy() {
    let failing = Arc::new(AtomicBool::new(true));
    let server = Server::start({
        let failing = Arc::clone(&failing);
        move |request, n| {
            if request.method == "DELETE" && failing.load(Ordering::SeqCst) {
                Response::new(503, "down")
            } else {
                dns_service(request, n)
            }
        }
    });
    let engine = engine(&server, 5);
    let store = store_with_dev(&engine);
    let deployer = Deployer::new(&engine, &store);
    deployer.deploy("shop", "dev", &web(true), &at(1)).unwrap();
    let removed = deployer.deploy("shop", "dev", &web(false), &at(2)).unwrap();
    assert_eq!(
        store.history("shop", "dev").unwrap().head(),
        Some(&removed),
        "recorded first"
    );
    let pending = deployer.pending_deprovisions("shop", "dev").unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].definition, "dns-service");
    assert!(pending[0].error.contains("503"), "{}", pending[0].error);
    assert!(!pending[0].error.contains(TOKEN));
    // An environment with a pending deprovision that fails again is not deleted.
    let err = deployer
        .delete_environment("shop", "dev", &at(3))
        .unwrap_err();
    assert!(err.to_string().contains("not deleted"), "{err}");
    assert!(store.environment("shop", "dev").unwrap().is_some());
    failing.store(false, Ordering::SeqCst);
    deployer.deploy("shop", "dev", &web(false), &at(4)).unwrap();
    assert!(
        deployer
            .pending_deprovisions("shop", "dev")
            .unwrap()
            .is_empty()
    );
    let deletes = server
        .requests()
        .iter()
        .filter(|r| r.method == "DELETE")
        .count();
    assert_eq!(deletes, 3 + 3 + 1, "3 attempts, 3 attempts, then success");
}

#[test]
fn previews_make_no_call_unless_asked_to_provision() {
    let server = Server::start(dns_service);
    let engine = engine(&server, 5);
    let store = store_with_dev(&engine);
    let record = Deployer::new(&engine, &store)
        .deploy("shop", "dev", &web(true), &at(1))
        .unwrap();
    assert_eq!(server.requests().len(), 1);
    let context = Context::new("shop", "dev", "development");
    let recorded = engine
        .clone()
        .with_effects(Effects::preview(record.driver_records(), false));
    for _ in 0..3 {
        let plan = recorded
            .plan(&web(true), &context, &PlanOptions::default())
            .unwrap();
        assert!(plan.to_yaml().contains("web.dev.example.com"));
        let _ = plan.graph_json();
    }
    assert!(
        engine
            .plan(&web(true), &context, &PlanOptions::default())
            .is_err()
    );
    assert_eq!(server.requests().len(), 1, "no preview called the service");
    let provisioning = engine
        .clone()
        .with_effects(Effects::preview(record.driver_records(), true));
    provisioning
        .plan(&web(true), &context, &PlanOptions::default())
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        2,
        "asked to provision, the preview called once"
    );
    assert_eq!(requests[1].headers["humanitec-driver-cookie"], "cookie-0");
}

#[test]
fn concurrent_deploys_call_the_service_in_turn_and_record_one_line_of_state() {
    let server = Server::start(dns_service);
    let engine = engine(&server, 5);
    let store = store_with_dev(&engine);
    std::thread::scope(|scope| {
        for i in 0..4 {
            let (engine, store) = (&engine, &store);
            scope.spawn(move || {
                Deployer::new(engine, store)
                    .deploy("shop", "dev", &web(true), &at(10 + i))
                    .unwrap();
            });
        }
    });
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    // Each call got the cookie the call before it set.
    assert!(!requests[0].headers.contains_key("humanitec-driver-cookie"));
    for (n, request) in requests.iter().enumerate().skip(1) {
        assert_eq!(
            request.headers["humanitec-driver-cookie"],
            format!("cookie-{}", n - 1)
        );
    }
    let history = store.history("shop", "dev").unwrap();
    let states: Vec<Value> = history
        .entries
        .iter()
        .map(|e| state(e.record.as_ref().unwrap()).unwrap())
        .collect();
    assert_eq!(
        states,
        ["cookie-0", "cookie-1", "cookie-2", "cookie-3"].map(|c| json!(c))
    );
}
