//! Plans the sample shop (fixtures/shop) on the sample platform (fixtures/platform) for a
//! `qa-light` environment and prints the manifests.
//!
//! `cargo run -p goldpath --example plan_shop`

use std::path::PathBuf;

use goldpath::{Context, Engine, Loader, PlanOptions, Source};

fn main() -> goldpath::Result<()> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let engine = Engine::builder()
        .source(Source::path(repo.join("fixtures/platform")))
        .build()?;
    let workloads = Loader::default().workloads(vec![Source::path(repo.join("fixtures/shop"))])?;
    let context = Context::new("shop", "qa-42", "qa-light");
    let plan = engine.plan(&workloads, &context, &PlanOptions::default())?;
    for resource in plan.resources() {
        eprintln!("{} <- {}", resource.key, resource.definition);
    }
    print!("{}", plan.to_yaml());
    Ok(())
}
