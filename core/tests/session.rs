//! Sessions: after any sequence of edits (an image, a variable, a resource's params; a workload
//! added, removed or renamed; a shared resource added; a workload added that links to another
//! or joins a shared database; a broken reference), the session's plan
//! is the plan a fresh full plan makes of the same workloads, byte for byte, and an edit that
//! fails leaves the session at its last good plan with the error a full plan gives.

use goldpath::load::Loader;
use goldpath::plan::{Engine, Plan, PlanOptions};
use goldpath::platform::Context;
use goldpath::resolve::WorkloadInput;
use goldpath::session::Session;
use proptest::prelude::*;

#[path = "common/fixtures.rs"]
mod fixtures;

/// What a generated workload is made of; edits change one field.
#[derive(Debug, Clone)]
struct Spec {
    name: String,
    image: u8,
    level: u8,
    /// The route's host (a resource's params).
    host: u8,
    /// The shared database it uses, if any (`id: shared-N`).
    shared: Option<u8>,
    /// Another workload it links to through a `service` resource.
    link: Option<String>,
    /// A variable naming an output its route does not have (the plan fails).
    broken: bool,
}

impl Spec {
    fn new(name: String) -> Self {
        Self {
            name,
            image: 0,
            level: 0,
            host: 0,
            shared: None,
            link: None,
            broken: false,
        }
    }

    fn input(&self) -> WorkloadInput {
        let Self {
            name,
            image,
            level,
            host,
            ..
        } = self;
        let mut text = format!(
            "apiVersion: score.dev/v1b1\nmetadata: {{name: {name}}}\ncontainers:\n  main:\n    image: registry.example.com/{name}:1.{image}\n    variables:\n      LEVEL: 'level-{level}'\n      HOST: '${{resources.web.host}}'\n"
        );
        if self.shared.is_some() {
            text.push_str("      DB: '${resources.db.host}'\n");
        }
        if self.broken {
            text.push_str("      BROKEN: '${resources.web.nothere}'\n");
        }
        text.push_str("service:\n  ports:\n    http: {port: 80, targetPort: 8080}\nresources:\n");
        text.push_str(&format!(
            "  web:\n    type: route\n    params: {{host: '{name}-{host}.example.com', path: /, port: 80}}\n"
        ));
        if let Some(shared) = self.shared {
            text.push_str(&format!(
                "  db:\n    type: postgres\n    id: shared-{shared}\n"
            ));
        }
        if let Some(link) = &self.link {
            text.push_str(&format!(
                "  peer:\n    type: service\n    params: {{workload: {link}, port: http}}\n"
            ));
        }
        let workload = Loader::default().score_str(&text, None).unwrap();
        WorkloadInput::new(workload)
    }
}

/// One edit of the session's workloads; indexes are taken modulo the number of workloads.
#[derive(Debug, Clone)]
enum Edit {
    Image(usize, u8),
    Variable(usize, u8),
    Params(usize, u8),
    Add(u8),
    /// A new workload that links to another and may share a database.
    AddLinked(u8, usize, Option<u8>),
    Remove(usize),
    Rename(usize, u8),
    Share(usize, u8),
    Link(usize, usize),
    Break(usize),
    Mend(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..4u8).prop_map(|(i, v)| Edit::Image(i, v)),
        (any::<usize>(), 0..4u8).prop_map(|(i, v)| Edit::Variable(i, v)),
        (any::<usize>(), 0..4u8).prop_map(|(i, v)| Edit::Params(i, v)),
        (0..12u8).prop_map(Edit::Add),
        (0..12u8, any::<usize>(), proptest::option::of(0..3u8))
            .prop_map(|(n, j, shared)| Edit::AddLinked(n, j, shared)),
        any::<usize>().prop_map(Edit::Remove),
        (any::<usize>(), 0..12u8).prop_map(|(i, v)| Edit::Rename(i, v)),
        (any::<usize>(), 0..2u8).prop_map(|(i, v)| Edit::Share(i, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Edit::Link(i, j)),
        any::<usize>().prop_map(Edit::Break),
        any::<usize>().prop_map(Edit::Mend),
    ]
}

/// What the edit does to the workloads: the workload to set, or the name to remove.
enum Change {
    Set(Spec),
    Remove(String),
    Rename(String, Spec),
}

fn change(specs: &[Spec], edit: &Edit) -> Option<Change> {
    let pick = |i: usize| (!specs.is_empty()).then(|| specs[i % specs.len()].clone());
    let set = |i: usize, f: &dyn Fn(&mut Spec)| {
        pick(i).map(|mut s| {
            f(&mut s);
            Change::Set(s)
        })
    };
    match *edit {
        Edit::Image(i, v) => set(i, &|s| s.image = v),
        Edit::Variable(i, v) => set(i, &|s| s.level = v),
        Edit::Params(i, v) => set(i, &|s| s.host = v),
        Edit::Add(n) => Some(Change::Set(Spec::new(format!("w{n}")))),
        Edit::AddLinked(n, j, shared) => Some(Change::Set(Spec {
            link: pick(j).map(|s| s.name),
            shared,
            ..Spec::new(format!("w{n}"))
        })),
        Edit::Remove(i) => pick(i).map(|s| Change::Remove(s.name)),
        Edit::Rename(i, n) => pick(i).map(|s| {
            let old = s.name.clone();
            Change::Rename(
                old,
                Spec {
                    name: format!("w{n}"),
                    ..s
                },
            )
        }),
        Edit::Share(i, v) => set(i, &|s| s.shared = Some(v)),
        Edit::Link(i, j) => {
            let target = pick(j)?.name;
            set(i, &|s| s.link = Some(target.clone()))
        }
        Edit::Break(i) => set(i, &|s| s.broken = true),
        Edit::Mend(i) => set(i, &|s| s.broken = false),
    }
}

/// Everything a plan exposes, as text.
fn fingerprint(plan: &Plan) -> String {
    let resources = serde_json::to_string(plan.resources()).unwrap();
    let violations = serde_json::to_string(plan.violations()).unwrap();
    let names: Vec<&str> = plan
        .workloads()
        .iter()
        .map(|w| w.workload.metadata.name.as_str())
        .collect();
    format!(
        "{}\n{:?}\n{resources}\n{violations}\n{}\n{:?}\n{names:?}\n{}\n{}",
        plan.to_yaml(),
        plan.warnings(),
        plan.graph_json(),
        plan.namespace(),
        plan.to_json(),
        plan.to_mermaid(),
    )
}

/// `got == want`, or a failure showing the first line that differs.
fn same(got: &str, want: &str) -> Result<(), TestCaseError> {
    if got == want {
        return Ok(());
    }
    let (line, (a, b)) = got
        .lines()
        .zip(want.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .unwrap_or((
            got.lines().count().min(want.lines().count()),
            ("(end)", "(end)"),
        ));
    Err(TestCaseError::fail(format!(
        "the session's plan differs from the full plan at line {line}: `{a}` instead of `{b}`"
    )))
}

fn engine() -> Engine {
    Engine::new(fixtures::platform())
}

/// Applies `change` to the session and to the model, and compares with a full plan.
fn apply(
    engine: &Engine,
    context: &Context,
    session: &mut Session,
    specs: &mut Vec<Spec>,
    change: Change,
) -> Result<(), TestCaseError> {
    let before = fingerprint(session.plan());
    let mut next = specs.clone();
    let result = match change {
        Change::Set(spec) => {
            match next.iter().position(|s| s.name == spec.name) {
                Some(at) => next[at] = spec.clone(),
                None => next.push(spec.clone()),
            }
            session.set_workload(spec.input()).map(fingerprint)
        }
        Change::Remove(name) => {
            next.retain(|s| s.name != name);
            session.remove_workload(&name).map(fingerprint)
        }
        Change::Rename(old, spec) => {
            // A rename is two edits: the new name set, then the old one removed.
            if next.iter().any(|s| s.name == spec.name) {
                return Ok(());
            }
            apply(engine, context, session, specs, Change::Set(spec))?;
            if specs.iter().any(|s| s.name == old) {
                apply(engine, context, session, specs, Change::Remove(old))?;
            }
            return Ok(());
        }
    };
    let inputs: Vec<WorkloadInput> = next.iter().map(Spec::input).collect();
    let full = engine.plan(&inputs, context, &PlanOptions::default());
    match (result, full) {
        (Ok(got), Ok(want)) => {
            same(&got, &fingerprint(&want))?;
            *specs = next;
        }
        (Err(got), Err(want)) => {
            prop_assert_eq!(got.to_string(), want.to_string());
            same(&fingerprint(session.plan()), &before)?;
        }
        (got, want) => {
            prop_assert!(
                false,
                "session {:?} but full plan {:?}",
                got.err(),
                want.err()
            );
        }
    }
    let names: Vec<&str> = session
        .workloads()
        .iter()
        .map(|w| w.workload.metadata.name.as_str())
        .collect();
    let expected: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    prop_assert_eq!(names, expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn a_session_plans_as_a_full_plan_after_every_edit(
        env_type in prop_oneof![Just("development"), Just("qa-light"), Just("staging"), Just("production")],
        edits in proptest::collection::vec(edit(), 1..14),
    ) {
        let engine = engine();
        let context = Context::new("shop", env_type, env_type);
        let mut specs: Vec<Spec> = (0..3).map(|i| Spec::new(format!("w{i}"))).collect();
        let inputs: Vec<WorkloadInput> = specs.iter().map(Spec::input).collect();
        let mut session = engine.session(inputs, &context, &PlanOptions::default()).unwrap();
        for edit in &edits {
            if let Some(change) = change(&specs, edit) {
                apply(&engine, &context, &mut session, &mut specs, change)?;
            }
        }
    }
}

#[test]
fn removing_an_unknown_workload_fails_and_changes_nothing() {
    let engine = engine();
    let context = Context::new("shop", "development", "development");
    let inputs = vec![Spec::new("w0".into()).input()];
    let mut session = engine
        .session(inputs, &context, &PlanOptions::default())
        .unwrap();
    let before = fingerprint(session.plan());
    let error = session.remove_workload("nope").err().unwrap();
    assert!(error.to_string().contains("no workload `nope`"), "{error}");
    assert!(error.to_string().contains("w0"), "{error}");
    assert_eq!(fingerprint(session.plan()), before);
}

#[test]
fn a_failed_update_keeps_the_last_good_plan_and_returns_the_full_plans_error() {
    let engine = engine();
    let context = Context::new("shop", "production", "production");
    let inputs = vec![
        Spec::new("w0".into()).input(),
        Spec::new("w1".into()).input(),
    ];
    let mut session = engine
        .session(inputs, &context, &PlanOptions::default())
        .unwrap();
    let before = fingerprint(session.plan());
    let broken = Spec {
        broken: true,
        ..Spec::new("w1".into())
    };
    let error = session.set_workload(broken.input()).err().unwrap();
    let full = engine
        .plan(
            &[Spec::new("w0".into()).input(), broken.input()],
            &context,
            &PlanOptions::default(),
        )
        .err()
        .unwrap();
    assert_eq!(error.to_string(), full.to_string());
    assert!(error.to_string().contains("nothere"), "{error}");
    assert_eq!(fingerprint(session.plan()), before);
    assert_eq!(session.workloads().len(), 2);
}

/// The first fenced block of `language` in `text`.
fn block<'t>(text: &'t str, language: &str) -> &'t str {
    let start = text.find(&format!("```{language}\n")).unwrap() + language.len() + 4;
    &text[start..start + text[start..].find("```\n").unwrap()]
}

#[test]
fn the_readme_rust_example_is_the_doc_tested_one() {
    // docs/sessions.md is the documentation of `goldpath::session`: its example is a doctest.
    let repo = fixtures::repo();
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let section = readme.split("\n## Sessions").nth(1).unwrap();
    let docs = std::fs::read_to_string(repo.join("docs/sessions.md")).unwrap();
    assert_eq!(block(section, "rust"), block(&docs, "rust"));
}

/// The engine of the fixtures' platform with a plan budget of `max_plan_bytes`.
fn engine_with_budget(max_plan_bytes: usize) -> Engine {
    let limits = goldpath::load::Limits {
        max_plan_bytes,
        ..goldpath::load::Limits::default()
    };
    engine().with_limits(limits)
}

#[test]
fn an_edit_is_held_to_the_plan_budget_as_a_full_plan_is() {
    let context = Context::new("shop", "development", "development");
    let options = PlanOptions::default();
    let specs: Vec<Spec> = (0..3).map(|i| Spec::new(format!("w{i}"))).collect();
    let inputs: Vec<WorkloadInput> = specs.iter().map(Spec::input).collect();
    // The smallest budget the plan fits in.
    let (mut low, mut high) = (0, goldpath::load::Limits::default().max_plan_bytes);
    while low + 1 < high {
        let mid = (low + high) / 2;
        match engine_with_budget(mid).plan(&inputs, &context, &options) {
            Ok(_) => high = mid,
            Err(_) => low = mid,
        }
    }
    let engine = engine_with_budget(high);
    let mut session = engine.session(inputs, &context, &options).unwrap();
    let before = fingerprint(session.plan());
    // A longer image passes the budget: refused as a full plan refuses it.
    let longer = Spec {
        image: 3,
        ..specs[1].clone()
    };
    let mut grown = longer.input();
    for container in grown.workload.containers.values_mut() {
        container.image.push_str("-with-a-longer-tag");
    }
    let error = session.set_workload(grown.clone()).err().unwrap();
    let full = engine
        .plan(
            &[specs[0].input(), grown, specs[2].input()],
            &context,
            &options,
        )
        .err()
        .unwrap();
    assert_eq!(error.to_string(), full.to_string());
    assert!(error.to_string().contains("max_plan_bytes"), "{error}");
    same(&fingerprint(session.plan()), &before).unwrap();
    // An image of the same length fits, and plans as a full plan does.
    let edited = Spec {
        image: 2,
        ..specs[1].clone()
    };
    let plan = fingerprint(session.set_workload(edited.input()).unwrap());
    let full = engine
        .plan(
            &[specs[0].input(), edited.input(), specs[2].input()],
            &context,
            &options,
        )
        .unwrap();
    same(&plan, &fingerprint(&full)).unwrap();
}
