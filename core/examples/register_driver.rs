//! Registers a host driver (a Rust closure standing in for a Python or JavaScript function)
//! and plans a workload whose `redis` resource it provisions.
//!
//! `cargo run -p goldpath --example register_driver`

use std::sync::Arc;

use goldpath::drivers::{HostDriver, HostFunction};
use goldpath::{Context, Engine, Loader, PlanOptions, Source};
use serde_json::{Value, json};

const PLATFORM: &str = "apiVersion: goldpath.dev/v1alpha1
kind: ResourceDefinition
metadata: {name: redis-inventory}
spec:
  type: redis
  driver: inventory
  criteria: [{}]
";

const WORKLOAD: &str = "apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx:1.27
    variables: {REDIS: '${resources.cache.host}'}
resources:
  cache: {type: redis}
";

/// Answers every request with a host named after the resource's id.
struct Inventory;

impl HostFunction for Inventory {
    fn call(&self, request: Value) -> Result<Value, String> {
        let id = request["id"].as_str().unwrap_or("shared");
        Ok(json!({"outputs": {"host": format!("{}.redis.internal", id.replace('.', "-"))}}))
    }
}

fn main() -> goldpath::Result<()> {
    let engine = Engine::builder()
        .source(Source::text("platform.yaml", PLATFORM))
        .driver(
            "inventory",
            Arc::new(HostDriver::new("inventory", Inventory)),
        )
        .build()?;
    let workloads = Loader::default().workloads(vec![Source::text("web.yaml", WORKLOAD)])?;
    let plan = engine.plan(
        &workloads,
        &Context::new("shop", "dev", "development"),
        &PlanOptions::default(),
    )?;
    for resource in plan.resources() {
        println!(
            "{}: {}",
            resource.key,
            Value::Object(resource.outputs.clone())
        );
    }
    Ok(())
}
