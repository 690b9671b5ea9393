//! Inputs for goldpath's benchmarks: the synthetic application of `gen_app.py`, built in
//! memory so the benchmarks measure planning and rendering, not the file system.

use goldpath::load::Loader;
use goldpath::plan::Engine;
use goldpath::platform::Platform;
use goldpath::resolve::WorkloadInput;

/// An engine of a platform with one environment type, `development`, and the built-in
/// resource definitions: what the deployment benchmarks deploy through.
///
/// # Panics
/// Never: the platform document is valid.
#[must_use]
pub fn development_engine() -> Engine {
    let docs = Loader::default()
        .str(
            "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: development}\nspec: {}\n",
            None,
        )
        .expect("valid");
    Engine::new(Platform::from_documents(
        docs.platform.into_iter().map(|l| l.document),
    ))
}

/// The Score text of workload `i` of the synthetic application: a postgres shared by every ten
/// workloads, its own redis, a route, a `service` link to workload `i - 1`, and a variable
/// holding the database password.
#[must_use]
pub fn workload_text(i: usize) -> String {
    let link = if i == 0 {
        String::new()
    } else {
        format!(
            "  prev:\n    type: service\n    params: {{workload: svc-{}, port: http}}\n",
            i - 1
        )
    };
    let link_var = if i == 0 {
        ""
    } else {
        "      PREVIOUS: http://${resources.prev.host}:${resources.prev.port}\n"
    };
    format!(
        "apiVersion: score.dev/v1b1\nmetadata:\n  name: svc-{i}\ncontainers:\n  main:\n    image: registry.example.com/app/svc-{i}:1.0.{i}\n    variables:\n      DB_HOST: ${{resources.db.host}}\n      DB_PASSWORD: ${{resources.db.password}}\n      CACHE: ${{resources.cache.host}}:${{resources.cache.port}}\n{link_var}service:\n  ports:\n    http: {{port: 80, targetPort: 8080}}\nresources:\n  db:\n    type: postgres\n    id: db-{shard}\n  cache:\n    type: redis\n  web:\n    type: route\n    params: {{host: svc-{i}.example.com, path: /, port: http}}\n{link}",
        shard = i / 10
    )
}

/// The `n` workloads of the synthetic application, loaded.
///
/// # Panics
/// Never for the texts [`workload_text`] makes (they are valid Score).
#[must_use]
pub fn application(n: usize) -> Vec<WorkloadInput> {
    let loader = Loader::default();
    (0..n)
        .map(|i| {
            WorkloadInput::new(
                loader
                    .score_str(&workload_text(i), None)
                    .expect("generated Score is valid"),
            )
        })
        .collect()
}
