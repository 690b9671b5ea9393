//! Kubernetes objects of resolved workloads and of their environment: one test per rule of
//! `render::k8s`. Every object any test renders goes through [`kube_check`], which reads it
//! into the matching `k8s_openapi` type and writes it back: a field Kubernetes does not know,
//! or a value of the wrong type, makes the test fail.

use std::collections::{BTreeMap, BTreeSet};

use goldpath::ErrorKind;
use goldpath::platform::Context;
use goldpath::render::input::{
    FileContent, Piece, Resolved, ResolvedContainer, ResolvedFile, ResolvedVolume,
    ResolvedWorkload, SecretRef, Target, VolumeSource,
};
use goldpath::render::k8s::{environment_objects, workload_objects};
use goldpath::spec::platform::EnvironmentTypeSpec;
use goldpath::validate::names;
use proptest::prelude::*;
use serde_json::{Value, json};

#[path = "common/kube.rs"]
mod kube;
use kube::kube_check;

fn context() -> Context {
    Context::new("shop", "qa", "qa-light")
}

fn env_type(value: Value) -> EnvironmentTypeSpec {
    serde_json::from_value(value).unwrap()
}

/// A resolved workload from a Score document, with nothing resolved yet.
fn resolved(doc: Value) -> ResolvedWorkload {
    ResolvedWorkload {
        workload: serde_json::from_value(doc).unwrap(),
        containers: BTreeMap::new(),
        linked_from: BTreeSet::new(),
        routed: false,
    }
}

/// `{name: "web", containers: {main: nginx}}` plus `extra` merged at the top level.
fn web(extra: Value) -> ResolvedWorkload {
    let mut doc = json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "containers": {"main": {"image": "nginx:1.27"}},
    });
    for (key, value) in extra.as_object().unwrap() {
        doc[key] = value.clone();
    }
    resolved(doc)
}

fn try_render(
    workload: &ResolvedWorkload,
    env_type: Option<&EnvironmentTypeSpec>,
) -> goldpath::Result<Vec<Value>> {
    let context = context();
    let target = Target {
        context: &context,
        namespace: Some("shop-qa"),
        env_type,
    };
    let objects = workload_objects(workload, &target)?;
    objects.iter().for_each(kube_check);
    Ok(objects)
}

fn render(workload: &ResolvedWorkload, env_type: Option<&EnvironmentTypeSpec>) -> Vec<Value> {
    try_render(workload, env_type).unwrap_or_else(|e| panic!("{e}"))
}

fn render_error(
    workload: &ResolvedWorkload,
    env_type: Option<&EnvironmentTypeSpec>,
) -> goldpath::Error {
    try_render(workload, env_type).expect_err("rendering should fail")
}

fn environment(
    workloads: &[ResolvedWorkload],
    env_type: Option<&EnvironmentTypeSpec>,
    namespace: Option<&str>,
) -> goldpath::Result<Vec<Value>> {
    let context = context();
    let target = Target {
        context: &context,
        namespace,
        env_type,
    };
    let objects = environment_objects(workloads, &target)?;
    objects.iter().for_each(kube_check);
    Ok(objects)
}

fn pod_spec(object: &Value) -> &Value {
    &object["spec"]["template"]["spec"]
}

fn container<'a>(object: &'a Value, name: &str) -> &'a Value {
    let containers = pod_spec(object)["containers"].as_array().unwrap();
    containers.iter().find(|c| c["name"] == name).unwrap()
}

fn text(s: &str) -> Piece {
    Piece::Text(s.to_owned())
}

fn output(s: &str) -> Piece {
    Piece::Output(s.to_owned())
}

fn secret(name: &str, key: &str) -> SecretRef {
    SecretRef {
        name: name.to_owned(),
        key: key.to_owned(),
    }
}

fn text_file(content: &str) -> ResolvedFile {
    ResolvedFile {
        content: FileContent::Text(content.to_owned()),
        mode: None,
    }
}

fn with_files(
    mut workload: ResolvedWorkload,
    container: &str,
    files: &[(&str, ResolvedFile)],
) -> ResolvedWorkload {
    let parts = workload.containers.entry(container.to_owned()).or_default();
    for (target, file) in files {
        parts.files.insert((*target).to_owned(), file.clone());
    }
    workload
}

fn names_of(objects: &[Value]) -> Vec<(String, String)> {
    objects
        .iter()
        .map(|o| {
            (
                o["kind"].as_str().unwrap().to_owned(),
                o["metadata"]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A claim-template volume asking for 1Gi.
fn claim_volume() -> ResolvedVolume {
    ResolvedVolume {
        source: VolumeSource::ClaimTemplate(json!({
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
        })),
        sub_path: None,
        read_only: false,
    }
}

#[path = "render_k8s/batch.rs"]
mod batch;
#[path = "render_k8s/before.rs"]
mod before;
#[path = "render_k8s/containers.rs"]
mod containers;
#[path = "render_k8s/environment.rs"]
mod environment;
#[path = "render_k8s/mounts.rs"]
mod mounts;
#[path = "render_k8s/properties.rs"]
mod properties;
#[path = "render_k8s/workload.rs"]
mod workload;
