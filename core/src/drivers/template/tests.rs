//! The skeleton path gives what rendering and parsing the full text gives: the same value or
//! the same error, for every built-in definition, every template definition of the fixtures
//! and templates of every shape, with random params, inputs and names.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::TemplateDriver;
use super::jinja::dump;
use super::rendered::Which;
use super::variables::{Recorder, variables};
use crate::drivers::static_driver::resolve_inputs;
use crate::drivers::{ProvisionRequest, SecretSeed, Services};
use crate::load::Loader;
use crate::placeholder::{Reference, lookup};
use crate::platform::{Context, Definition};
use crate::spec::platform::PlatformDocument;
use crate::{ResourceKey, builtins};

/// Hand-written templates of every shape the skeleton handles or refuses.
const SHAPES: &[&str] = &[
    "a: {{ params.x }}\nb: pre-{{ params.y }}-post\n",
    "a: \"{{ params.x }}\"\nb: 'q {{ params.y }} q'\n",
    "a: {{ params.x | tojson }}\nb: [{{ params.y }}, c]\nc: {k: {{ params.x }}}\n",
    "a: |\n  line {{ params.x }}\n  {{ params.y }} end\nb: >-\n  folded {{ params.x }}\n  more {{ params.y }}\n",
    "{% set v = params.x %}\n{# comment #}\n- {{ v }}\n- {{ params.y | tojson }} # trailing\n",
    "{% if params.x is not defined %}\n{{ missing_value }}\n{% endif %}\nv: {{ params.x }}\n",
    "a: {{ params.x }}\n# note {{ params.y }}\n",
    "{{ params.x }}\n",
    "a:\n  {{ params.x }}\nb: c\n",
    "{% for i in [1, 2] %}\n- {{ i }}: {{ params.x }}\n{% endfor %}\n",
    "{{ params.x }}: {{ params.y }}\n",
    "a: {{ params.x }}{{ params.y }}\n",
    "a: {{ params.x }}\nb: {{ params.x ~ params.y }}\nc: {{ params.z | default('z') }}\n",
    "a: \"{{ params.x }}\\t{{ params.y }}\"\n",
    "a: &x {{ params.x }}\nb: *x\n",
    "a: !!str {{ params.x }}\n",
    "a: {{ params.x }}\na: 1\n",
    "a: [{{ params.x | tojson }}]\n",
    "a: {{ generated('pw') }}\nb: {{ generated('pw') | tojson }}\n",
    "x: {{ 1 / 0 }}\n",
    "# c\n{{ params.x }}\n",
    "{{ params.x }}  {{ params.y }}\n",
    "a:\n  b:\n    - {{ params.x | tojson }}\n",
    "<<: {{ params.x | tojson }}\nb: 1\n",
    "{}",
    "",
];

/// Texts that trouble YAML: indicators, comments, quotes, line breaks, numbers, booleans.
const TRICKY: &[&str] = &[
    "",
    " ",
    "a: b",
    "a #b",
    "#c",
    "- x",
    "-",
    "'q'",
    "\"d\"",
    "x\"y",
    "it's",
    "a\nb",
    "a\tb",
    "yes",
    "no",
    "on",
    "true",
    "False",
    "null",
    "~",
    "0755",
    "1e3",
    ".5",
    "0x1F",
    "+1",
    "-0",
    "-5",
    "12",
    "2024-01-01",
    "12:30",
    "{a: 1}",
    "[1, 2]",
    "{",
    "]",
    "*x",
    "&y",
    "!t",
    "|",
    ">",
    "%p",
    "@",
    "`",
    "---",
    "...",
    "$$",
    "${context.app.id}",
    "$${x}",
    "é",
    "\\",
    "a,b",
    "a:b",
    "http://x:80/y",
    " lead",
    "trail ",
    "\u{2028}",
    "\u{FEFF}",
    "\u{E000}",
    "1Gi",
    "v1.2",
    "NaN",
    ".inf",
    "\u{FFFE}",
    "\u{3000}",
    "[[[[1]]]]",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(TRICKY).prop_map(Value::from),
        2 => "[a-z0-9:#'\" \\n.-]{0,10}".prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => (0u32..100_000).prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => (-1e6f64..1e6).prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z.:/ ]{0,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Random names: the context's ids and the guid.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9-]{0,8}",
        1 => prop::sample::select(TRICKY).prop_map(str::to_owned),
    ]
}

/// Every template definition: the built-ins, the fixtures' and the shapes above.
fn definitions() -> Vec<Definition> {
    let mut all: Vec<Definition> = builtins::definitions()
        .iter()
        .filter(|d| d.spec.driver == "template")
        .cloned()
        .collect();
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/platform");
    let loaded = Loader::default()
        .path(std::path::Path::new(folder))
        .unwrap();
    for document in loaded.platform {
        if let PlatformDocument::ResourceDefinition(d) = document.document
            && d.spec.driver == "template"
        {
            all.push(Definition {
                name: d.metadata.name,
                spec: d.spec,
                builtin: false,
            });
        }
    }
    let base = &builtins::definitions()[0];
    for (index, shape) in SHAPES.iter().enumerate() {
        let mut spec = base.spec.clone();
        spec.driver = "template".into();
        spec.inputs = crate::spec::platform::DriverInputs::default();
        let template = |s: &str| Some(s.to_owned());
        spec.templates = Some(crate::spec::platform::Templates {
            outputs: template(shape),
            secrets: None,
            manifests: None,
        });
        all.push(Definition {
            name: format!("shape-{index}"),
            spec,
            builtin: false,
        });
    }
    all
}

/// `value` with its leaves replaced by `leaves` in turn (the shape of inputs is kept).
fn randomized(value: &Value, leaves: &mut impl Iterator<Item = Value>) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), randomized(v, leaves)))
                .collect(),
        ),
        _ => leaves.next().unwrap_or(Value::Null),
    }
}

/// One random request's data.
#[derive(Debug, Clone)]
struct Case {
    params: Map<String, Value>,
    leaves: Vec<Value>,
    app: String,
    env: String,
    guid: String,
    key: &'static str,
}

fn case() -> impl Strategy<Value = Case> {
    const KEYS: &[&str] = &["host", "path", "port", "x", "y", "z", "workload", "db"];
    (
        prop::collection::vec((prop::sample::select(KEYS), value()), 0..6),
        prop::collection::vec(value(), 8),
        name(),
        name(),
        name(),
        prop::sample::select(&["postgres#shop.db", "route#web", "redis#a.b.c"][..]),
    )
        .prop_map(|(params, leaves, app, env, guid, key)| Case {
            params: params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            leaves,
            app,
            env,
            guid,
            key,
        })
}

/// Runs `f` with a request of `definition` for `case`.
fn with_request<T>(
    definition: &Definition,
    case: &Case,
    f: impl FnOnce(&ProvisionRequest<'_>) -> T,
) -> T {
    let mut definition = definition.clone();
    let mut leaves = case.leaves.clone().into_iter().cycle();
    for value in definition.spec.inputs.values.values_mut() {
        *value = randomized(value, &mut leaves);
    }
    let key: ResourceKey = case.key.parse().unwrap();
    let context = Context::new(&case.app, &case.env, "development");
    let tree = json!({
        "context": {"app": {"id": case.app}, "env": {"id": case.env, "type": "development"}},
        "params": case.params,
    });
    let resolver = |r: &Reference| lookup(&tree, r.segments()).cloned();
    let workloads = Services::from(json!({
        "web": {"service": {"name": "web", "ports": {
            "http": {"port": 80, "targetPort": 8080, "protocol": "TCP"},
        }}},
    }));
    let workload =
        json!({"name": "web", "kind": "Deployment", "podSpecPath": "/spec/template/spec"});
    f(&ProvisionRequest {
        key: &key,
        guid: &case.guid,
        context: &context,
        definition: &definition,
        params: &case.params,
        seed: &SecretSeed::development(),
        resolver: &resolver,
        workloads: &workloads,
        source: Some("web"),
        workload: Some(&workload),
        state: None,
        folder: None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn skeletons_give_what_rendering_and_parsing_the_text_gives(case in case()) {
        let fast = TemplateDriver::new();
        let slow = TemplateDriver::without_skeletons(super::DEFAULT_FUEL);
        for definition in definitions() {
            with_request(&definition, &case, |req| {
                assert_eq!(fast.render(req), slow.render(req), "{}", definition.name);
            });
        }
    }

    #[test]
    fn variables_are_what_serde_made_of_the_json_tree(case in case()) {
        for definition in definitions() {
            with_request(&definition, &case, |req| {
                let Ok(inputs) = resolve_inputs(req) else { return };
                let (direct, json) = super::variables::both_trees(req, &inputs);
                assert_eq!(dump(&direct), dump(&json), "{}", definition.name);
            });
        }
    }
}

/// The templates `definition` has.
fn templates_of(definition: &Definition) -> Vec<(Which, &str)> {
    let Some(templates) = definition.spec.templates.as_ref() else {
        return Vec::new();
    };
    [
        (Which::Outputs, &templates.outputs),
        (Which::Secrets, &templates.secrets),
        (Which::Manifests, &templates.manifests),
    ]
    .into_iter()
    .filter_map(|(which, source)| Some((which, source.as_deref()?)))
    .collect()
}

/// The usual request of every built-in renders through its skeletons, never the full text.
#[test]
fn built_ins_take_the_skeleton_path() {
    let driver = TemplateDriver::new();
    let case = Case {
        params: json!({"host": "web.example.com", "path": "/api", "port": "http"})
            .as_object()
            .unwrap()
            .clone(),
        leaves: Vec::new(),
        app: "shop".into(),
        env: "dev".into(),
        guid: "0123456789abcdef".into(),
        key: "postgres#shop.db",
    };
    let mut filled = 0;
    for definition in builtins::definitions()
        .iter()
        .filter(|d| d.spec.driver == "template")
    {
        with_request(definition, &case, |req| {
            let inputs = resolve_inputs(req).unwrap();
            let vars = variables(req, &inputs, &Recorder::default());
            for (which, source) in templates_of(definition) {
                let compiled = driver.cache.get(which, source).unwrap();
                assert!(
                    compiled.has_skeleton(),
                    "{} {}",
                    definition.name,
                    which.name()
                );
                let value = compiled.fill(&vars);
                assert!(value.is_some(), "{} {}", definition.name, which.name());
                let text = compiled.render(&vars).unwrap();
                assert_eq!(value, super::rendered::yaml_value(&text).ok());
                filled += 1;
            }
        });
    }
    assert!(filled >= 20, "{filled}");
}

/// Every template of the fixtures has a skeleton but the one whose `{% for %}` makes list
/// items.
#[test]
fn fixture_templates_have_skeletons_but_the_loop() {
    let driver = TemplateDriver::new();
    let mut without = Vec::new();
    let mut with = 0;
    for definition in definitions()
        .iter()
        .filter(|d| !d.name.starts_with("shape-"))
    {
        for (which, source) in templates_of(definition) {
            if driver.cache.get(which, source).unwrap().has_skeleton() {
                with += 1;
            } else {
                without.push(format!("{} {}", definition.name, which.name()));
            }
        }
    }
    assert_eq!(without, ["production-workload templates.outputs"]);
    assert!(with > 25, "{with}");
}

/// A template with a loop keeps the full render; so does one with a statement in its body.
#[test]
fn structural_templates_keep_the_full_render() {
    let driver = TemplateDriver::new();
    for source in [SHAPES[9], SHAPES[10], SHAPES[11], SHAPES[14], SHAPES[15]] {
        let compiled = driver.cache.get(Which::Outputs, source).unwrap();
        assert!(!compiled.has_skeleton(), "{source}");
    }
}

/// A skeleton whose fills mostly fall back is no longer tried; the results stay the same.
#[test]
fn skeletons_that_mostly_fall_back_are_given_up() {
    let driver = TemplateDriver::new();
    let source = "a: {{ params.x }}\n";
    let compiled = driver.cache.get(Which::Outputs, source).unwrap();
    let vars =
        |x: &str| minijinja::Value::from(minijinja::value::Serde(json!({"params": {"x": x}})));
    for _ in 0..100 {
        assert_eq!(compiled.fill(&vars("b: c")), None);
    }
    assert_eq!(
        compiled
            .fell_back
            .load(std::sync::atomic::Ordering::Relaxed),
        super::compiled::GIVE_UP_AFTER
    );
    assert_eq!(compiled.fill(&vars("plain")), None);
    let fresh = TemplateDriver::new();
    let compiled = fresh.cache.get(Which::Outputs, source).unwrap();
    assert_eq!(compiled.fill(&vars("plain")), Some(json!({"a": "plain"})));
}

/// The driver is shared between threads, and renders without a lock.
#[test]
fn the_driver_is_send_and_sync() {
    fn shared<T: Send + Sync>() {}
    shared::<TemplateDriver>();
}

/// Templates that read `workloads` every way (lookups, loops, items, `in`, length, `tojson`,
/// filters, a missing workload) render the same from a plan's compact services, looked up
/// lazily, as from the same services given as one JSON value.
#[test]
fn compact_workloads_render_as_the_json_value_does() {
    let workloads = super::super::services::tests::workloads();
    let compact = Services::of_workloads(&workloads);
    let eager = Services::from(compact.value().clone());
    let expressions = [
        "workloads",
        "workloads | length",
        "workloads | list",
        "workloads | items | list",
        "workloads | dictsort | first",
        "workloads.web",
        "workloads[\"api\"].service.ports.grpc.port + 1",
        "workloads.web.service.ports | items | map(attribute=\"1.port\") | list",
        "\"web\" in workloads",
        "\"nope\" in workloads",
        "workloads.nope is defined",
        "workloads.job.service is none",
        "workloads.idle",
        "workloads[source].service.name",
        "workloads.nope.service",
        "workloads | string",
    ];
    let mut rendered = 0;
    for expression in expressions {
        for source in [
            format!("value: {{{{ ({expression}) | tojson }}}}\n"),
            format!(
                "{{% set x %}}{{% for name in workloads %}}{{{{ name }}}}:{{{{ ({expression}) | tojson }}}};{{% endfor %}}{{% endset %}}\nvalue: {{{{ x | tojson }}}}\n"
            ),
        ] {
            let definition = outputs_only("reader", &source);
            let render = |services: &Services| {
                with_outputs_request(&definition, services, |req| {
                    TemplateDriver::new().render(req)
                })
            };
            let (lazy, json) = (render(&compact), render(&eager));
            assert_eq!(lazy, json, "{source}");
            rendered += usize::from(lazy.is_ok());
        }
    }
    assert!(rendered >= 24, "{rendered}");
}

/// A plain read that repeats (`{{ name }}`, `{{ labels | tojson }}`) is rendered once for all
/// its holes; anything else keeps a slot of its own.
#[test]
fn repeated_plain_reads_share_a_slot() {
    let source = "{% set labels = {\"a\": context.app.id} %}\n\
        a: {{ labels | tojson }}\nb: {{labels|tojson}}\nc: {{ context.res.guid }}\n\
        d: {{ context.res.guid }}\ne: {{ generated(\"p\") }}\nf: {{ generated(\"p\") }}\n\
        g: {{ labels | length }}\nh: {{ labels | length }}\n";
    let driver = TemplateDriver::new();
    let compiled = driver.cache.get(Which::Outputs, source).unwrap();
    assert!(compiled.has_skeleton());
    assert_eq!(
        compiled.slots(),
        6,
        "a/b and c/d share; e, f, g and h do not"
    );
}

/// A repeated hole rendered once in the fast template still costs the full render its fuel
/// each time: near the limit, the skeleton gives what the full render gives (the fuel error
/// included), at every fuel budget from too little to enough.
#[test]
fn repeated_holes_are_charged_their_fuel_as_the_full_render_charges_it() {
    let holes: String = (0..12)
        .map(|i| format!("k{i}: {{{{ big | tojson }}}}\n"))
        .collect();
    let source = format!("{{% set big = range(40) | list %}}\n{holes}");
    let definition = outputs_only("repeats", &source);
    let services = Services::from(Value::Null);
    with_outputs_request(&definition, &services, |request| {
        fuel_sweep(request, &source);
    });
}

/// Renders `request` with fuel budgets around the least the full render needs, checking the
/// skeleton gives the full render's result at each.
fn fuel_sweep(request: &ProvisionRequest<'_>, source: &str) {
    // The least fuel the full render needs.
    let (mut low, mut high) = (1u64, 1u64 << 20);
    while low < high {
        let mid = u64::midpoint(low, high);
        if TemplateDriver::without_skeletons(mid)
            .render(request)
            .is_ok()
        {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let (mut failed, mut rendered) = (0, 0);
    let step = usize::try_from(low / 200).unwrap_or(1).max(1);
    for fuel in (low / 4..low + low / 2).step_by(step) {
        let fast = TemplateDriver::with_fuel(fuel).render(request);
        let slow = TemplateDriver::without_skeletons(fuel).render(request);
        assert_eq!(fast, slow, "fuel {fuel}");
        if slow.is_ok() {
            rendered += 1;
        } else {
            failed += 1;
        }
    }
    assert!(failed > 0 && rendered > 0, "{failed} {rendered}");
    // Above what the full render needs, the skeleton is used again.
    let driver = TemplateDriver::with_fuel(low * 20);
    driver.render(request).unwrap();
    let compiled = driver.cache.get(Which::Outputs, source).unwrap();
    assert_eq!(
        compiled.filled.load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

/// A definition of type `kind` whose only template is `outputs`.
fn outputs_only(kind: &str, outputs: &str) -> Definition {
    let spec = serde_json::from_value(json!({
        "type": kind, "driver": "template", "templates": {"outputs": outputs},
    }))
    .unwrap();
    Definition {
        name: format!("{kind}-outputs"),
        spec,
        builtin: false,
    }
}

/// `f` of a request of `definition` for the resource `TYPE#web.x` requested by `web`, with
/// `services` as its workloads.
fn with_outputs_request<T>(
    definition: &Definition,
    services: &Services,
    f: impl FnOnce(&ProvisionRequest<'_>) -> T,
) -> T {
    let key = ResourceKey::new(&definition.spec.resource_type, None, Some("web.x"));
    let context = Context::new("shop", "dev", "development");
    let resolver = |_: &Reference| Ok(Value::Null);
    f(&ProvisionRequest {
        key: &key,
        guid: "g",
        context: &context,
        definition,
        params: &Map::new(),
        seed: &SecretSeed::development(),
        resolver: &resolver,
        workloads: services,
        source: Some("web"),
        workload: None,
        state: None,
        folder: None,
    })
}
