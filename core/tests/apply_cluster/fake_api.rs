//! An in-process Kubernetes API server for the kube client: it records every request and
//! answers like the API server does for what goldpath sends (discovery documents, server-side
//! apply with dry runs and field-manager conflicts, GET with 404s, lists by label selector,
//! deletes with uid preconditions). Objects live in memory, keyed by their URL path.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http_body_util::BodyExt;
use kube::client::Body;
use serde_json::{Value, json};

/// The kinds the fake serves: apiVersion, kind, plural, namespaced.
const KINDS: &[(&str, &str, &str, bool)] = &[
    ("v1", "Namespace", "namespaces", false),
    ("v1", "Secret", "secrets", true),
    ("v1", "Service", "services", true),
    ("v1", "ConfigMap", "configmaps", true),
    (
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        true,
    ),
    ("apps/v1", "Deployment", "deployments", true),
    ("apps/v1", "StatefulSet", "statefulsets", true),
    ("batch/v1", "Job", "jobs", true),
    ("batch/v1", "CronJob", "cronjobs", true),
];

/// One recorded request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The decoded query, `k=v&k=v` in the order sent.
    pub query: String,
    pub content_type: Option<String>,
    pub body: Option<Value>,
}

impl Request {
    /// `METHOD /path?query`.
    pub fn line(&self) -> String {
        if self.query.is_empty() {
            format!("{} {}", self.method, self.path)
        } else {
            format!("{} {}?{}", self.method, self.path, self.query)
        }
    }
}

#[derive(Default)]
struct State {
    requests: Vec<Request>,
    objects: BTreeMap<String, Value>,
    /// Object name -> (field, manager) that conflicts with goldpath's apply.
    conflicts: HashMap<String, (String, String)>,
    /// Object name -> status code its apply fails with.
    failures: HashMap<String, u16>,
    /// Workload name -> the status the controller reports.
    statuses: HashMap<String, Value>,
    counter: u64,
}

/// The fake API server; clones share it.
#[derive(Clone, Default)]
pub struct FakeApi(Arc<Mutex<State>>);

impl FakeApi {
    pub fn new() -> Self {
        Self::default()
    }

    /// A kube client whose every request this fake answers; default namespace `default`.
    pub fn client(&self) -> kube::Client {
        let fake = self.clone();
        let service = tower::service_fn(move |request: http::Request<Body>| {
            let fake = fake.clone();
            async move { Ok::<_, Infallible>(fake.answer(request).await) }
        });
        kube::Client::new(service, "default")
    }

    /// The requests so far.
    pub fn requests(&self) -> Vec<Request> {
        self.0.lock().unwrap().requests.clone()
    }

    /// The request lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.requests().iter().map(Request::line).collect()
    }

    /// Forgets the recorded requests (not the objects).
    pub fn clear_requests(&self) {
        self.0.lock().unwrap().requests.clear();
    }

    /// Stores an object as if someone else had created it.
    pub fn insert(&self, mut object: Value) {
        let path = object_path(&object);
        let mut state = self.0.lock().unwrap();
        state.counter += 1;
        object["metadata"]["uid"] = json!(format!("uid-{}", state.counter));
        state.objects.insert(path, object);
    }

    /// The stored object at `path`.
    pub fn object(&self, path: &str) -> Option<Value> {
        self.0.lock().unwrap().objects.get(path).cloned()
    }

    /// The paths of every stored object.
    pub fn paths(&self) -> Vec<String> {
        self.0.lock().unwrap().objects.keys().cloned().collect()
    }

    /// Makes applies of `name` conflict on `field` with `manager` unless forced.
    pub fn conflict_on(&self, name: &str, field: &str, manager: &str) {
        let mut state = self.0.lock().unwrap();
        state
            .conflicts
            .insert(name.into(), (field.into(), manager.into()));
    }

    /// Makes applies of `name` fail with `code`.
    pub fn fail_on(&self, name: &str, code: u16) {
        self.0.lock().unwrap().failures.insert(name.into(), code);
    }

    /// Clears the failure set with [`FakeApi::fail_on`].
    pub fn heal(&self) {
        self.0.lock().unwrap().failures.clear();
    }

    /// The status the controller of workload `name` reports (default: rolled out).
    pub fn set_status(&self, name: &str, status: Value) {
        self.0.lock().unwrap().statuses.insert(name.into(), status);
    }

    async fn answer(&self, request: http::Request<Body>) -> http::Response<Body> {
        let (parts, body) = request.into_parts();
        let bytes = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let recorded = Request {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: decode(parts.uri.query().unwrap_or_default()),
            content_type: parts
                .headers
                .get(http::header::CONTENT_TYPE)
                .map(|v| v.to_str().unwrap_or_default().to_owned()),
            body: serde_json::from_slice(&bytes).ok(),
        };
        let (code, answer) = {
            let mut state = self.0.lock().unwrap();
            state.requests.push(recorded.clone());
            state.handle(&recorded)
        };
        http::Response::builder()
            .status(code)
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::to_vec(&answer).unwrap()))
            .unwrap()
    }
}

/// A request path taken apart.
struct Target {
    api_version: String,
    kind: &'static str,
    namespace: Option<String>,
    name: Option<String>,
}

impl State {
    fn handle(&mut self, r: &Request) -> (u16, Value) {
        if let Some(document) = discovery(&r.path) {
            return (200, document);
        }
        let Some(target) = parse(&r.path) else {
            return status(404, "NotFound", &format!("no route for {}", r.path));
        };
        match (r.method.as_str(), &target.name) {
            ("GET", Some(_)) => self.get(&r.path, &target),
            ("GET", None) => self.list(r, &target),
            ("PATCH", Some(name)) => self.apply(r, &target, name),
            ("DELETE", Some(_)) => self.delete(r),
            _ => status(405, "MethodNotAllowed", "not served by the fake"),
        }
    }

    fn get(&self, path: &str, target: &Target) -> (u16, Value) {
        match self.objects.get(path) {
            Some(object) => (200, self.with_status(object.clone(), target)),
            None => status(404, "NotFound", &format!("{path} not found")),
        }
    }

    /// Workloads report the status set for them, or a finished rollout (a Job: complete).
    fn with_status(&self, mut object: Value, target: &Target) -> Value {
        let name = object["metadata"]["name"].as_str().unwrap_or_default();
        if target.kind == "Job" {
            object["status"] = self.statuses.get(name).cloned().unwrap_or_else(
                || json!({"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}),
            );
            return object;
        }
        if !matches!(target.kind, "Deployment" | "StatefulSet") {
            return object;
        }
        let replicas = object["spec"]["replicas"].as_i64().unwrap_or(1);
        let generation = object["metadata"]["generation"].clone();
        object["status"] = self.statuses.get(name).cloned().unwrap_or_else(|| {
            json!({"observedGeneration": generation, "replicas": replicas,
                   "updatedReplicas": replicas, "readyReplicas": replicas,
                   "availableReplicas": replicas, "currentRevision": "r1", "updateRevision": "r1"})
        });
        object
    }

    fn list(&self, r: &Request, target: &Target) -> (u16, Value) {
        let selector = r
            .query
            .split('&')
            .find_map(|p| p.strip_prefix("labelSelector="))
            .and_then(|s| s.split_once('='));
        let items: Vec<Value> = self
            .objects
            .values()
            .filter(|o| o["kind"] == target.kind)
            .filter(|o| {
                target.namespace.is_none()
                    || o["metadata"]["namespace"].as_str() == target.namespace.as_deref()
            })
            .filter(|o| {
                selector.is_none_or(|(k, v)| o["metadata"]["labels"][k].as_str() == Some(v))
            })
            .cloned()
            .collect();
        let list_kind = format!("{}List", target.kind);
        (
            200,
            json!({"apiVersion": target.api_version, "kind": list_kind, "metadata": {}, "items": items}),
        )
    }

    fn apply(&mut self, r: &Request, target: &Target, name: &str) -> (u16, Value) {
        let force = r.query.split('&').any(|p| p == "force=true");
        let dry_run = r.query.split('&').any(|p| p == "dryRun=All");
        if let Some(code) = self.failures.get(name) {
            return status(
                *code,
                "Invalid",
                &format!("{name} is invalid: spec.x: Invalid value: \"s3cr3t\""),
            );
        }
        if let (Some((field, manager)), false) = (self.conflicts.get(name), force) {
            let message = format!("conflict with \"{manager}\" using {}", target.api_version);
            let mut answer = status(
                409,
                "Conflict",
                &format!("Apply failed with 1 conflict: {message}: {field}"),
            )
            .1;
            answer["details"] = json!({"name": name, "kind": target.kind, "causes": [
                {"reason": "FieldManagerConflict", "message": message, "field": field}]});
            return (409, answer);
        }
        let Some(mut object) = r.body.clone() else {
            return status(400, "BadRequest", "no body");
        };
        if let Some(ns) = &target.namespace {
            object["metadata"]["namespace"] = json!(ns);
        }
        let before = self.objects.get(&r.path).cloned();
        let (uid, version, generation) = match &before {
            Some(old) => {
                let same_spec = old.get("spec") == object.get("spec");
                let same = same_spec
                    && old["metadata"]["labels"] == object["metadata"]["labels"]
                    && old.get("data") == object.get("data")
                    && old["metadata"]["annotations"] == object["metadata"]["annotations"];
                let rv: u64 = old["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                let generation = old["metadata"]["generation"].as_i64().unwrap();
                (
                    old["metadata"]["uid"].clone(),
                    if same { rv } else { rv + 1 },
                    if same_spec {
                        generation
                    } else {
                        generation + 1
                    },
                )
            }
            None => {
                self.counter += 1;
                (json!(format!("uid-{}", self.counter)), 1, 1)
            }
        };
        object["metadata"]["uid"] = uid;
        object["metadata"]["resourceVersion"] = json!(version.to_string());
        object["metadata"]["generation"] = json!(generation);
        if !dry_run {
            self.objects.insert(r.path.clone(), object.clone());
        }
        (if before.is_some() { 200 } else { 201 }, object)
    }

    fn delete(&mut self, r: &Request) -> (u16, Value) {
        let Some(object) = self.objects.get(&r.path).cloned() else {
            return status(404, "NotFound", &format!("{} not found", r.path));
        };
        let body = r.body.clone().unwrap_or_default();
        let wanted = &body["preconditions"]["uid"];
        if !wanted.is_null() && *wanted != object["metadata"]["uid"] {
            return status(
                409,
                "Conflict",
                "Precondition failed: UID in precondition does not match",
            );
        }
        if body["dryRun"] != json!(["All"]) {
            self.objects.remove(&r.path);
        }
        (200, object)
    }
}

fn status(code: u16, reason: &str, message: &str) -> (u16, Value) {
    (
        code,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": message, "reason": reason, "code": code}),
    )
}

/// The discovery documents: `/api`, `/apis`, `/api/v1`, `/apis/apps/v1`, `/apis/batch/v1`.
fn discovery(path: &str) -> Option<Value> {
    let resources = |gv: &str| {
        let list: Vec<Value> = KINDS
            .iter()
            .filter(|(v, ..)| *v == gv)
            .map(|(_, kind, plural, namespaced)| {
                json!({"name": plural, "singularName": "", "namespaced": namespaced, "kind": kind,
                       "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]})
            })
            .collect();
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": list})
    };
    match path {
        "/api" => Some(
            json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}),
        ),
        "/apis" => Some(
            json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": [
            {"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
             "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}},
            {"name": "batch", "versions": [{"groupVersion": "batch/v1", "version": "v1"}],
             "preferredVersion": {"groupVersion": "batch/v1", "version": "v1"}}]}),
        ),
        "/api/v1" => Some(resources("v1")),
        "/apis/apps/v1" => Some(resources("apps/v1")),
        "/apis/batch/v1" => Some(resources("batch/v1")),
        _ => None,
    }
}

/// `/api/v1/namespaces/NS/PLURAL/NAME`, `/apis/G/V/PLURAL`, ... taken apart.
fn parse(path: &str) -> Option<Target> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (api_version, rest) = match parts.as_slice() {
        ["api", "v1", rest @ ..] => ("v1".to_owned(), rest),
        ["apis", group, version, rest @ ..] => (format!("{group}/{version}"), rest),
        _ => return None,
    };
    let (namespace, rest) = match rest {
        ["namespaces", ns, plural, rest @ ..] => {
            (Some(ns.to_string()), [&[*plural][..], rest].concat())
        }
        other => (None, other.to_vec()),
    };
    let (plural, name) = match rest.as_slice() {
        [plural] => (*plural, None),
        [plural, name] => (*plural, Some(name.to_string())),
        _ => return None,
    };
    // `/api/v1/namespaces/NAME` has too few parts for a namespaced path: it is the Namespace.
    let kind = KINDS
        .iter()
        .find(|(v, _, p, _)| *v == api_version && *p == plural)?
        .1;
    Some(Target {
        api_version,
        kind,
        namespace,
        name,
    })
}

/// The URL path of an object.
pub fn object_path(object: &Value) -> String {
    let api_version = object["apiVersion"].as_str().unwrap();
    let kind = object["kind"].as_str().unwrap();
    let name = object["metadata"]["name"].as_str().unwrap();
    let (_, _, plural, namespaced) = KINDS
        .iter()
        .find(|(v, k, ..)| *v == api_version && *k == kind)
        .unwrap();
    let root = if api_version == "v1" {
        "/api/v1".to_owned()
    } else {
        format!("/apis/{api_version}")
    };
    if *namespaced {
        let ns = object["metadata"]["namespace"]
            .as_str()
            .unwrap_or("default");
        format!("{root}/namespaces/{ns}/{plural}/{name}")
    } else {
        format!("{root}/{plural}/{name}")
    }
}

/// Decodes `application/x-www-form-urlencoded` text.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
