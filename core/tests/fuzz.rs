//! No panic, ever: a fuzz harness over the loaders (Score, platform, overrides), the
//! placeholder parser and substitution, and the plan of random small applications.
//!
//! Every target asserts that its input never panics (each case runs under `catch_unwind`) and
//! that every error is well-formed (a kind, a non-empty message, non-empty diagnostics). Inputs
//! are both structured (generated applications, edited documents) and byte-level (the
//! fixtures, built-in definitions and upstream Score examples with random byte edits).
//!
//! `GOLDPATH_FUZZ_CASES` sets the cases of every target (default 64, so `cargo test` stays
//! short); `GOLDPATH_FUZZ_CASES_<TARGET>` (e.g. `GOLDPATH_FUZZ_CASES_PLACEHOLDERS`) sets one.
//! A long run: `GOLDPATH_FUZZ_CASES=1000000 cargo test --release -p goldpath --test fuzz`
//! (see docs/fuzzing.md).

mod fuzz {
    pub mod apps;
    pub mod corpus;
    pub mod mutate;
}

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use goldpath::load::{Documents, Loader, Overrides};
use goldpath::placeholder::{Reference, escape, lookup, parse, substitute};
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;
use goldpath::{Error, Result};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

use fuzz::{apps, corpus, mutate};

/// The cases of `target`: `GOLDPATH_FUZZ_CASES_<TARGET>`, else `GOLDPATH_FUZZ_CASES`, else 64.
fn config(target: &str) -> Config {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u32>().ok());
    let cases = var(&format!("GOLDPATH_FUZZ_CASES_{}", target.to_uppercase()))
        .or_else(|| var("GOLDPATH_FUZZ_CASES"))
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    }
}

/// Runs `f` on `input`; a panic fails the case, naming the input.
fn no_panic<T>(input: &dyn std::fmt::Debug, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    catch_unwind(AssertUnwindSafe(f))
        .map_err(|_| TestCaseError::fail(format!("panicked on {input:?}")))
}

/// An error has a kind, a message and diagnostics that each have a message.
fn well_formed(error: &Error) -> Result<(), TestCaseError> {
    prop_assert!(!error.kind().as_str().is_empty());
    prop_assert!(
        !error.message().trim().is_empty(),
        "empty message: {error:?}"
    );
    prop_assert!(!error.to_string().trim().is_empty());
    for diagnostic in error.diagnostics() {
        prop_assert!(
            !diagnostic.message.trim().is_empty(),
            "empty diagnostic: {error:?}"
        );
    }
    Ok(())
}

fn check<T>(result: &Result<T>) -> Result<(), TestCaseError> {
    match result {
        Ok(_) => Ok(()),
        Err(e) => well_formed(e),
    }
}

/// With `GOLDPATH_FUZZ_DEBUG` set, prints the error of a case (to tune the generators).
fn debug<T>(result: &Result<T>) {
    if let (Err(e), Some(_)) = (result, std::env::var_os("GOLDPATH_FUZZ_DEBUG")) {
        eprintln!("{e}");
    }
}

/// The fixture platform, loaded once.
fn fixture_platform() -> &'static Documents {
    static DOCS: OnceLock<Documents> = OnceLock::new();
    DOCS.get_or_init(|| {
        Loader::default()
            .path(&corpus::repo().join("fixtures/platform"))
            .expect("the fixture platform loads")
    })
}

/// An engine over the fixture platform and the built-ins, made once.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(platform_with(&[])))
}

fn platform_with(extra: &[goldpath::spec::platform::PlatformDocument]) -> Platform {
    let fixtures = fixture_platform()
        .platform
        .iter()
        .map(|l| l.document.clone());
    Platform::from_documents(fixtures.chain(extra.iter().cloned()))
}

/// Environment types to plan in; one the platform does not define.
const ENV_TYPES: &[&str] = &[
    "development",
    "qa-light",
    "staging",
    "production",
    "development",
    "qa-light",
    "staging",
    "production",
    "nope",
];

/// `--namespace` values: mostly none, else valid, system and invalid ones.
const NAMESPACES: &[Option<&str>] = &[
    None,
    None,
    None,
    None,
    None,
    Some("custom-ns"),
    Some("kube-system"),
    Some("Bad NS\u{1b}"),
];

/// Plans `workloads` in the environment type `env_type % ENV_TYPES.len()` and renders YAML.
fn plan(
    engine: &Engine,
    workloads: &[WorkloadInput],
    env_type: usize,
    image: bool,
) -> Result<String> {
    // The other bits of the random number pick the namespace options.
    let namespace = NAMESPACES[(env_type / ENV_TYPES.len()) % NAMESPACES.len()];
    let create_namespace = (env_type >> 12) & 1 == 1;
    let env_type = ENV_TYPES[env_type % ENV_TYPES.len()];
    let context = Context::new("shop", env_type, env_type);
    let options = PlanOptions {
        image: image.then(|| "registry.example.com/app:1".to_owned()),
        namespace: namespace.map(str::to_owned),
        create_namespace,
    };
    engine
        .plan(workloads, &context, &options)
        .map(|p| p.to_yaml())
}

fn workloads(docs: Documents) -> Vec<WorkloadInput> {
    docs.workloads
        .into_iter()
        .map(WorkloadInput::from_loaded)
        .collect()
}

/// A mutated seed loaded as bytes, as one Score workload, and planned when it loads.
fn load_bytes_case(
    seed: usize,
    edits: &[mutate::Edit],
    env_type: usize,
    reached: &Reached,
) -> Result<(), TestCaseError> {
    let seeds = corpus::seeds();
    let seed = &seeds[seed % seeds.len()];
    let mut bytes = seed.text.clone().into_bytes();
    mutate::apply(&mut bytes, edits);
    let input = (&seed.name, String::from_utf8_lossy(&bytes));
    let loaded = no_panic(&input, || {
        Loader::default().bytes(&bytes, Some("fuzz.yaml"))
    })?;
    check(&loaded)?;
    reached.load(&loaded);
    if let Ok(text) = std::str::from_utf8(&bytes) {
        check(&no_panic(&input, || {
            Loader::default().score_str(text, Some("score.yaml"))
        })?)?;
    }
    if let Ok(docs) = loaded {
        let platform: Vec<_> = docs.platform.iter().map(|l| l.document.clone()).collect();
        let engine = Engine::new(platform_with(&platform));
        let result = no_panic(&input, || plan(&engine, &workloads(docs), env_type, true))?;
        check(&result)?;
        reached.plan(&result);
    }
    Ok(())
}

/// A structurally edited seed document loaded as a value, and planned when it loads.
fn load_value_case(
    seed: usize,
    changes: &[mutate::Change],
    env_type: usize,
    reached: &Reached,
) -> Result<(), TestCaseError> {
    let documents = corpus::documents();
    let mut doc = documents[seed % documents.len()].clone();
    mutate::apply_changes(&mut doc, changes);
    let loaded = no_panic(&doc, || Loader::default().value(doc.clone(), Some("fuzz")))?;
    check(&loaded)?;
    reached.load(&loaded);
    let Ok(docs) = loaded else { return Ok(()) };
    let text = serde_json::to_string(&doc).unwrap_or_default();
    check(&no_panic(&doc, || {
        Loader::default().str(&text, Some("fuzz.json"))
    })?)?;
    let platform: Vec<_> = docs.platform.iter().map(|l| l.document.clone()).collect();
    let mut inputs = workloads(docs);
    if inputs.is_empty() {
        inputs = workloads(
            Loader::default()
                .path(&corpus::repo().join("fixtures/shop"))
                .map_err(|e| TestCaseError::fail(e.to_string()))?,
        );
    }
    let engine = Engine::new(platform_with(&platform));
    let result = no_panic(&doc, || plan(&engine, &inputs, env_type, false))?;
    reached.plan(&result);
    check(&result)
}

/// Overrides (properties and a merged document) applied to a seed, then loaded.
fn overrides_case(
    seed: usize,
    properties: &[String],
    merge: &Value,
    reached: &Reached,
) -> Result<(), TestCaseError> {
    let documents = corpus::documents();
    let mut doc = documents[seed % documents.len()].clone();
    let input = (properties, merge);
    let applied = no_panic(&input, || -> Result<()> {
        let mut overrides = Overrides::default();
        for property in properties {
            overrides.property(property)?;
        }
        overrides.document(merge.clone())?;
        overrides.apply(&mut doc)
    })?;
    check(&applied)?;
    if applied.is_ok() {
        let loaded = no_panic(&input, || Loader::default().value(doc, Some("fuzz")))?;
        reached.load(&loaded);
        check(&loaded)?;
    }
    Ok(())
}

/// A string parsed as a template, substituted against a context; escaping round-trips.
fn placeholder_case(text: &str) -> Result<(), TestCaseError> {
    let context = json!({
        "metadata": {"name": "web", "a.b": {"c": [1, 2]}},
        "resources": {"db": {"host": "db", "port": 5432, "list": ["x", {"y": null}]}},
    });
    let parsed = no_panic(&text, || parse(text))?;
    if let Ok(template) = &parsed {
        let resolver = |r: &Reference| lookup(&context, r.segments()).cloned();
        let result = no_panic(&text, || substitute(template, &resolver))?;
        if let Err(e) = result {
            prop_assert!(!e.to_string().is_empty());
        }
        for reference in template.references() {
            let again = no_panic(&text, || parse(&reference.to_placeholder()))?;
            prop_assert!(again.is_ok(), "{reference:?} does not parse back");
        }
    } else if let Err(e) = parsed {
        prop_assert!(!e.message.is_empty());
    }
    let escaped = escape(text);
    let template = parse(&escaped)
        .map_err(|e| TestCaseError::fail(format!("escape of {text:?} does not parse: {e:?}")))?;
    prop_assert_eq!(template.literal_text(), Some(text), "escape of {:?}", text);
    Ok(())
}

/// A random application loaded value by value and planned.
fn application_case(
    app: &[Value],
    env_type: usize,
    image: bool,
    reached: &Reached,
) -> Result<(), TestCaseError> {
    let mut inputs = Vec::new();
    for doc in app {
        let loaded = no_panic(doc, || {
            Loader::default().value(doc.clone(), Some("score.yaml"))
        })?;
        check(&loaded)?;
        match loaded {
            Ok(docs) => inputs.extend(workloads(docs)),
            Err(_) => return Ok(()),
        }
    }
    reached.loaded.fetch_add(1, Ordering::Relaxed);
    let result = no_panic(&app, || plan(engine(), &inputs, env_type, image))?;
    debug(&result);
    reached.plan(&result);
    check(&result)
}

/// What a target's cases reached, printed at the end of a run.
#[derive(Default)]
struct Reached {
    loaded: AtomicUsize,
    planned: AtomicUsize,
}

impl Reached {
    fn load<T>(&self, result: &Result<T>) {
        if result.is_ok() {
            self.loaded.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn plan<T>(&self, result: &Result<T>) {
        if result.is_ok() {
            self.planned.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Runs `case` on `config(target).cases` inputs of `strategy`; fails with the shrunk input.
fn run<S: Strategy>(
    target: &str,
    strategy: S,
    case: impl Fn(S::Value, &Reached) -> Result<(), TestCaseError>,
) {
    let config = config(target);
    let cases = config.cases;
    let reached = Reached::default();
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |input| case(input, &reached));
    eprintln!(
        "fuzz {target}: {cases} cases in {:.1}s, {} loaded, {} planned",
        started.elapsed().as_secs_f64(),
        reached.loaded.load(Ordering::Relaxed),
        reached.planned.load(Ordering::Relaxed),
    );
    if let Err(failure) = result {
        panic!("fuzz target {target} failed: {failure}");
    }
    // Random applications are built to plan (about one in five does): a run of 64 cases that
    // planned none means the generator broke and the planning checks never ran.
    if target == "applications" && cases >= 64 {
        assert!(
            reached.planned.load(Ordering::Relaxed) > 0,
            "fuzz applications: no case reached the plan"
        );
    }
}

#[test]
fn mutated_texts_load_and_plan_without_panic() {
    let strategy = (
        any::<usize>(),
        prop::collection::vec(mutate::edit(), 1..5),
        any::<usize>(),
    );
    run("bytes", strategy, |(seed, edits, env_type), reached| {
        load_bytes_case(seed, &edits, env_type, reached)
    });
}

#[test]
fn edited_documents_load_and_plan_without_panic() {
    let strategy = (
        any::<usize>(),
        prop::collection::vec(mutate::change(), 1..5),
        any::<usize>(),
    );
    run(
        "documents",
        strategy,
        |(seed, changes, env_type), reached| load_value_case(seed, &changes, env_type, reached),
    );
}

#[test]
fn overrides_apply_without_panic() {
    let property = (
        prop::collection::vec(mutate::key(), 0..4),
        prop::option::of(".{0,12}"),
    )
        .prop_map(|(path, value)| format!("{}={}", path.join("."), value.unwrap_or_default()));
    let strategy = (
        any::<usize>(),
        prop::collection::vec(property, 0..4),
        mutate::value(),
    );
    run(
        "overrides",
        strategy,
        |(seed, properties, merge), reached| overrides_case(seed, &properties, &merge, reached),
    );
}

#[test]
fn placeholders_parse_and_substitute_without_panic() {
    let strategy = prop_oneof![
        r#"[$\{\}.\[\]'"\\ab0 ]{0,40}"#,
        r"(\$\{(metadata|resources)(\.[a-z.]{0,6}|\['[a-z. ]{0,4}'\]|\[0\]){0,4}\}|\$\$|\$|x){0,6}",
        ".{0,40}",
    ];
    run("placeholders", strategy, |text, _| placeholder_case(&text));
}

#[test]
fn random_applications_plan_without_panic() {
    let strategy = (apps::application(), any::<usize>(), any::<bool>());
    run(
        "applications",
        strategy,
        |(app, env_type, image), reached| application_case(&app, env_type, image, reached),
    );
}
