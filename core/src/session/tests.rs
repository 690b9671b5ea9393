//! Which edits a session makes segment by segment (the results themselves are compared with
//! full plans in `core/tests/session.rs`).

use super::*;
use crate::load::Loader;
use crate::platform::Platform;

fn workload(name: &str, image: &str, variable: &str) -> WorkloadInput {
    let text = format!(
        "apiVersion: score.dev/v1b1\nmetadata: {{name: {name}}}\ncontainers:\n  main:\n    image: {image}\n    variables: {{{variable}: '${{resources.cache.host}}'}}\nservice:\n  ports:\n    http: {{port: 80, targetPort: 8080}}\nresources:\n  cache: {{type: redis}}\n"
    );
    WorkloadInput::new(Loader::default().score_str(&text, None).unwrap())
}

fn session() -> Session {
    let engine = Engine::new(Platform::default());
    let context = Context::new("shop", "dev", "development");
    let workloads = (0..3)
        .map(|i| workload(&format!("w{i}"), "nginx:1.27", "CACHE"))
        .collect();
    engine
        .session(workloads, &context, &PlanOptions::default())
        .unwrap()
}

fn full(session: &Session) -> String {
    session
        .engine
        .plan(session.workloads(), &session.context, &session.options)
        .unwrap()
        .to_yaml()
}

#[test]
fn an_image_edit_replaces_one_segment_and_plans_as_a_full_plan() {
    let mut session = session();
    let yaml = session
        .set_workload(workload("w1", "nginx:1.28", "CACHE"))
        .unwrap()
        .to_yaml();
    assert!(matches!(session.index, Segments::Known(_)));
    assert!(yaml.contains("nginx:1.28"));
    assert_eq!(yaml, full(&session));
    // The index stays up to date: a second edit is made segment by segment too.
    session
        .set_workload(workload("w0", "nginx:1.29", "CACHE"))
        .unwrap();
    assert!(matches!(session.index, Segments::Known(_)));
    assert_eq!(session.plan().to_yaml(), full(&session));
}

#[test]
fn a_renamed_variable_or_a_new_workload_regrows_the_plan() {
    let mut session = session();
    session
        .set_workload(workload("w1", "nginx:1.28", "CACHE"))
        .unwrap();
    // Another variable name: the workload's segment and the plan's public words change.
    session
        .set_workload(workload("w1", "nginx:1.28", "REDIS"))
        .unwrap();
    assert_eq!(session.regrown, 1);
    assert_eq!(session.plan().to_yaml(), full(&session));
    session
        .set_workload(workload("w3", "nginx:1.28", "CACHE"))
        .unwrap();
    assert_eq!(session.regrown, 2);
    assert!(matches!(session.index, Segments::Known(_)));
    assert_eq!(session.plan().to_yaml(), full(&session));
}

#[test]
fn a_segment_that_fails_leaves_the_plan_and_a_full_plan_gives_the_error() {
    let mut session = session();
    let before = session.plan().to_yaml();
    // An image Kubernetes refuses: the segment fails, the full plan decides and fails too.
    let error = session
        .set_workload(workload("w1", "nginx:1.28", "CACHE").with_image("."))
        .err()
        .unwrap();
    assert!(error.to_string().contains("image"), "{error}");
    assert_eq!(session.plan().to_yaml(), before);
}

impl WorkloadInput {
    fn with_image(mut self, image: &str) -> Self {
        for container in self.workload.containers.values_mut() {
            container.image = image.to_owned();
        }
        self
    }
}

/// Workload `i` of the application `benches/gen_app.py` writes: a postgres shared by every
/// ten workloads, its own redis, a route, and a `service` link to workload `i - 1`.
fn generated(i: usize, shard: usize) -> WorkloadInput {
    let mut text = format!(
        "apiVersion: score.dev/v1b1\nmetadata: {{name: svc-{i}}}\ncontainers:\n  main:\n    image: registry.example.com/app/svc-{i}:1.0.{i}\n    variables:\n      DB_HOST: ${{resources.db.host}}\n      DB_PASSWORD: ${{resources.db.password}}\n      CACHE: ${{resources.cache.host}}:${{resources.cache.port}}\nservice:\n  ports:\n    http: {{port: 80, targetPort: 8080}}\nresources:\n  db:\n    type: postgres\n    id: db-{shard}\n  cache:\n    type: redis\n  web:\n    type: route\n    params: {{host: svc-{i}.example.com, path: /, port: http}}\n"
    );
    if i > 0 {
        text.push_str(&format!(
            "  prev:\n    type: service\n    params: {{workload: svc-{}, port: http}}\n",
            i - 1
        ));
    }
    WorkloadInput::new(Loader::default().score_str(&text, None).unwrap())
}

fn generated_session(count: usize) -> Session {
    let engine = Engine::new(Platform::default());
    let context = Context::new("shop", "dev", "development");
    let workloads = (0..count).map(|i| generated(i, i / 10)).collect();
    engine
        .session(workloads, &context, &PlanOptions::default())
        .unwrap()
}

#[test]
fn adding_and_removing_workloads_of_the_generated_application_regrows_the_plan() {
    let mut session = generated_session(25);
    // A new workload with a new shared database, linked to the last one.
    session.set_workload(generated(25, 2)).unwrap();
    assert_eq!(session.regrown, 1);
    assert_eq!(session.plan().to_yaml(), full(&session));
    // One that joins a database others use already.
    session.set_workload(generated(26, 2)).unwrap();
    assert_eq!(session.regrown, 2);
    assert_eq!(session.plan().to_yaml(), full(&session));
    // Removed again: the last one, then one whose database others keep.
    session.remove_workload("svc-26").unwrap();
    assert_eq!(session.regrown, 3);
    assert_eq!(session.plan().to_yaml(), full(&session));
    session.remove_workload("svc-25").unwrap();
    session.remove_workload("svc-24").unwrap();
    assert_eq!(session.regrown, 5);
    assert_eq!(session.plan().to_yaml(), full(&session));
    // Every one of them edited the graph in place (no graph built and compared) and made
    // the secret check from the book (not built in full).
    assert_eq!(session.in_place, 5);
    assert_eq!(session.booked, 5);
    // The image edits after it still replace one segment, against the regrown index.
    session
        .set_workload(generated(3, 0).with_image("nginx:1.29"))
        .unwrap();
    assert!(matches!(session.index, Segments::Known(_)));
    assert_eq!(session.plan().to_yaml(), full(&session));
}

#[test]
fn removing_a_workload_another_links_to_fails_as_a_full_plan_does() {
    let mut session = generated_session(12);
    let before = session.plan().to_yaml();
    let error = session.remove_workload("svc-5").err().unwrap();
    let mut workloads = session.workloads().to_vec();
    workloads.retain(|w| w.workload.metadata.name != "svc-5");
    let want = session
        .engine
        .plan(&workloads, &session.context, &session.options)
        .err()
        .unwrap();
    assert_eq!(error.to_string(), want.to_string());
    assert_eq!(session.plan().to_yaml(), before);
    assert_eq!(session.regrown, 0);
}

#[test]
fn a_plan_handed_out_never_changes() {
    let mut session = generated_session(12);
    let shared = session.shared_plan();
    let yaml = shared.to_yaml();
    session.set_workload(generated(12, 1)).unwrap();
    session
        .set_workload(generated(4, 0).with_image("nginx:1.29"))
        .unwrap();
    assert_eq!(shared.to_yaml(), yaml);
    assert_ne!(session.plan().to_yaml(), yaml);
}

#[test]
fn adds_and_removes_edit_the_graph_in_place_and_keep_it_as_a_build_makes_it() {
    let mut session = generated_session(30);
    let graph = |session: &Session| {
        let plan = session.plan();
        (plan.graph_json(), plan.to_mermaid())
    };
    let built = |session: &Session| {
        let plan = session
            .engine
            .plan(session.workloads(), &session.context, &session.options)
            .unwrap();
        (plan.graph_json(), plan.to_mermaid())
    };
    // Joining a shared database or bringing a new one, linking to the last; leaving them
    // again; the spare graph made on the other thread each time.
    let edits: [(&str, Option<WorkloadInput>); 6] = [
        ("svc-30", Some(generated(30, 2))),
        ("svc-31", Some(generated(31, 7))),
        ("svc-31", None),
        ("svc-30", None),
        ("svc-29", None),
        ("svc-29", Some(generated(29, 2))),
    ];
    for (count, (name, workload)) in edits.into_iter().enumerate() {
        match workload {
            Some(workload) => session.set_workload(workload).map(|_| ()).unwrap(),
            None => session.remove_workload(name).map(|_| ()).unwrap(),
        }
        assert_eq!(session.in_place, count + 1, "{name}");
        assert_eq!(session.booked, count + 1, "{name}");
        assert_eq!(graph(&session), built(&session), "{name}");
        assert_eq!(session.plan().to_yaml(), full(&session), "{name}");
    }
}

/// A workload of the shapes `core/tests/session.rs` generates, against the fixtures' platform:
/// a route, maybe a shared postgres (`id: shared-N`), maybe a `service` link.
fn fixture_workload(name: &str, shared: Option<u8>, link: Option<&str>) -> WorkloadInput {
    let mut text = format!(
        "apiVersion: score.dev/v1b1\nmetadata: {{name: {name}}}\ncontainers:\n  main:\n    image: registry.example.com/{name}:1\n    variables:\n      HOST: '${{resources.web.host}}'\nservice:\n  ports:\n    http: {{port: 80, targetPort: 8080}}\nresources:\n  web:\n    type: route\n    params: {{host: '{name}.example.com', path: /, port: 80}}\n"
    );
    if let Some(shared) = shared {
        text.push_str(&format!(
            "  db:\n    type: postgres\n    id: shared-{shared}\n"
        ));
    }
    if let Some(link) = link {
        text.push_str(&format!(
            "  peer:\n    type: service\n    params: {{workload: {link}, port: http}}\n"
        ));
    }
    WorkloadInput::new(Loader::default().score_str(&text, None).unwrap())
}

#[test]
fn the_fixture_platforms_adds_and_removes_take_the_incremental_path_too() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/platform");
    let docs = Loader::default().path(&folder).unwrap();
    let platform = Platform::from_documents(docs.platform.into_iter().map(|l| l.document));
    let engine = Engine::new(platform);
    for env_type in ["development", "qa-light"] {
        let context = Context::new("shop", env_type, env_type);
        let workloads = vec![
            fixture_workload("w0", Some(0), None),
            fixture_workload("w1", Some(0), Some("w0")),
            fixture_workload("w2", None, None),
        ];
        let mut session = engine
            .session(workloads, &context, &PlanOptions::default())
            .unwrap();
        session
            .set_workload(fixture_workload("w3", Some(0), Some("w2")))
            .unwrap();
        session
            .set_workload(fixture_workload("w4", Some(1), None))
            .unwrap();
        session.remove_workload("w3").unwrap();
        session.remove_workload("w1").unwrap();
        assert_eq!(session.regrown, 4, "{env_type}");
        assert_eq!(session.in_place, 4, "{env_type}");
        assert_eq!(session.booked, 4, "{env_type}");
        assert_eq!(session.plan().to_yaml(), full(&session), "{env_type}");
    }
}
