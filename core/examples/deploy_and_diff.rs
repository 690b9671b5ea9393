//! Deploys a workload twice into a store in memory, with a new image the second time, and
//! prints what changed between the two records.
//!
//! `cargo run -p goldpath --example deploy_and_diff`

use goldpath::deploy::{Actor, MemoryStore, NewEnvironment, diff};
use goldpath::{Deployer, Engine, Loader, Source};

const PLATFORM: &str = "apiVersion: goldpath.dev/v1alpha1
kind: EnvironmentType
metadata: {name: development}
spec: {}
";

fn web(image: &str) -> String {
    format!(
        "apiVersion: score.dev/v1b1\nmetadata: {{name: web}}\ncontainers: {{main: {{image: '{image}'}}}}\n"
    )
}

fn main() -> goldpath::Result<()> {
    let engine = Engine::builder()
        .source(Source::text("platform.yaml", PLATFORM))
        .build()?;
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    let dev = NewEnvironment::new("shop", "dev", "development");
    deployer.create_environment(&dev, &Actor::at("2026-11-23T10:00:00Z"))?;

    let loader = Loader::default();
    let mut records = Vec::new();
    for (image, at) in [
        ("nginx:1.27", "2026-11-23T10:00:00Z"),
        ("nginx:1.28", "2026-11-23T11:00:00Z"),
    ] {
        let workloads = loader.workloads(vec![Source::text("web.yaml", web(image))])?;
        records.push(deployer.deploy("shop", "dev", &workloads, &Actor::at(at))?);
    }
    let changes = diff(&records[0], &records[1]);
    for object in &changes.objects {
        println!("{:?} {:?}", object.change, object.object);
        for change in &object.changes {
            println!("  {change:?}");
        }
    }
    Ok(())
}
