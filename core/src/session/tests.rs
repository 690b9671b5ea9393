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
fn a_renamed_variable_or_a_new_workload_plans_in_full() {
    let mut session = session();
    session
        .set_workload(workload("w1", "nginx:1.28", "CACHE"))
        .unwrap();
    session
        .set_workload(workload("w1", "nginx:1.28", "REDIS"))
        .unwrap();
    assert!(matches!(session.index, Segments::Unknown));
    assert_eq!(session.plan().to_yaml(), full(&session));
    session
        .set_workload(workload("w3", "nginx:1.28", "CACHE"))
        .unwrap();
    assert!(matches!(session.index, Segments::Unknown));
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
