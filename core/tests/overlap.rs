//! What the plan's thread no longer does alone gives what it gave: the public words made beside
//! the graph and provisioning, the secret check's runs derived on rayon's threads, each object's
//! YAML written on the thread that checked it. A plan of many secrets that leaks one, and a
//! render into a writer that fails part way, give the same error (scrubbed alike) and the same
//! bytes on a pool of one thread and on a pool of four.

use std::io::{self, Write};

use goldpath::load::Loader;
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::resolve::WorkloadInput;

const DEFINITIONS: &str = r#"apiVersion: goldpath.dev/v1alpha1
kind: ResourceDefinition
metadata: {name: cache}
spec:
  type: cache
  criteria: [{}]
  driver: template
  templates:
    outputs: |
      host: "cache-{{ context.res.id }}"
    secrets: |
      password: {{ generated("password") }}
    manifests: |
      - apiVersion: v1
        kind: Secret
        metadata: {name: "cache-{{ context.res.guid }}"}
        stringData: {password: "{{ generated("password") }}"}
---
apiVersion: goldpath.dev/v1alpha1
kind: ResourceDefinition
metadata: {name: leaky}
spec:
  type: leaky
  criteria: [{}]
  driver: template
  templates:
    secrets: |
      token: {{ generated("token") }}
    manifests: |
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: "leaky-{{ context.res.guid }}"}
        data: {token: "{{ generated("token") }}"}
"#;

fn engine() -> Engine {
    let docs = Loader::default().str(DEFINITIONS, None).expect("platform");
    Engine::new(Platform::from_documents(
        docs.platform.into_iter().map(|l| l.document),
    ))
}

/// `count` workloads, each with a cache of its own (a generated password each); the one at
/// `leaking` also requests a resource whose ConfigMap shows its generated token.
fn workloads(count: usize, leaking: Option<usize>) -> Vec<WorkloadInput> {
    let loader = Loader::default();
    (0..count)
        .map(|i| {
            let leak = if leaking == Some(i) {
                "\n  leak: {type: leaky}"
            } else {
                ""
            };
            let text = format!(
                "apiVersion: score.dev/v1b1
metadata: {{name: w-{i:03}}}
containers:
  main:
    image: registry.example.com/w:1.0
    variables:
      CACHE: ${{resources.cache.host}}
      PASSWORD: ${{resources.cache.password}}
resources:
  cache: {{type: cache}}{leak}
"
            );
            WorkloadInput::new(loader.score_str(&text, None).expect("valid Score"))
        })
        .collect()
}

fn on_pool<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool")
        .install(work)
}

/// A writer that takes `room` bytes, then fails.
struct Full {
    written: Vec<u8>,
    room: usize,
}

impl Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written.len() + buf.len() > self.room {
            return Err(io::Error::other("the disk is full"));
        }
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What `write_yaml` wrote into a writer of `room` bytes, and its error.
fn render(threads: usize, workloads: &[WorkloadInput], room: usize) -> (Vec<u8>, String) {
    let engine = engine();
    let context = Context::new("cached", "development", "development");
    on_pool(threads, || {
        let mut out = Full {
            written: Vec::new(),
            room,
        };
        let result = engine.write_yaml(workloads, &context, &PlanOptions::default(), &mut out);
        let error = result.err().map(|e| format!("{e:?}")).unwrap_or_default();
        (out.written, error)
    })
}

#[test]
fn a_leak_among_many_secrets_is_refused_alike_on_any_pool() {
    let inputs = workloads(300, Some(211));
    let (one_bytes, one) = render(1, &inputs, usize::MAX);
    let (four_bytes, four) = render(4, &inputs, usize::MAX);
    assert!(one.contains("leaky"), "{one}");
    assert!(one.contains("data.token"), "{one}");
    assert_eq!(one, four);
    assert_eq!(
        one_bytes, four_bytes,
        "the same objects went out before the error"
    );
    // Every object before the leaking workload's resource went out: the 300 caches come
    // first in graph order, each with two Secrets (its manifest and the one holding its
    // secret outputs), then the leak.
    let text = String::from_utf8(one_bytes).expect("YAML is text");
    assert_eq!(text.matches("kind: Secret\n").count(), 600);
    assert!(!text.contains("kind: ConfigMap"), "the leak never went out");
}

#[test]
fn a_writer_that_fails_gets_the_same_bytes_and_error_on_any_pool() {
    let inputs = workloads(200, None);
    let (all, error) = render(1, &inputs, usize::MAX);
    assert_eq!(error, "");
    for room in [0, 100, all.len() / 3, all.len() - 1] {
        let (one_bytes, one) = render(1, &inputs, room);
        let (four_bytes, four) = render(4, &inputs, room);
        assert!(one.contains("cannot write the manifests"), "{one}");
        assert!(one.contains("the disk is full"), "{one}");
        assert_eq!(one, four, "room {room}");
        assert_eq!(one_bytes, four_bytes, "room {room}");
        assert!(all.starts_with(&one_bytes));
    }
    assert_eq!(render(4, &inputs, all.len()), (all, String::new()));
}
