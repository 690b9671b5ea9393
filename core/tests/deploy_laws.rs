//! The laws of deployment records, as properties: `diff(a, a)` is empty; a diff lists exactly
//! the objects whose canonical JSON differs; a record's id changes if and only if its inputs
//! change; a rollback under an unchanged platform reproduces the manifests byte for byte.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use goldpath::deploy::{Deployer, Deployment, MemoryStore, ObjectId, diff, diff_objects};
use goldpath::placeholder::canonical_json;
use goldpath::plan::Engine;
use goldpath::resolve::WorkloadInput;
use proptest::prelude::*;
use serde_json::{Value, json};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(fixtures::platform()))
}

/// A small JSON value.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..3).prop_map(Value::from),
        "[a-c/~]{0,3}".prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-c/~]{1,2}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A Kubernetes-shaped object: one of a few kinds and names, any body.
fn object() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["ConfigMap", "Secret", "Service"]),
        prop::sample::select(vec!["a", "b", "c", "d"]),
        value(),
        value(),
    )
        .prop_map(|(kind, name, data, spec)| {
            json!({"apiVersion": "v1", "kind": kind, "metadata": {"name": name, "namespace": "ns"},
                   "data": data, "spec": spec})
        })
}

/// A list of objects with distinct identities.
fn objects() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(object(), 0..6).prop_map(|list| {
        let mut seen = BTreeSet::new();
        list.into_iter()
            .filter(|o| seen.insert(ObjectId::of_any(o)))
            .collect()
    })
}

/// The identities of the objects whose canonical JSON differs between `a` and `b` (present in
/// one only counts as differing).
fn differing(a: &[Value], b: &[Value]) -> BTreeSet<ObjectId> {
    let text = |list: &[Value], id: &ObjectId| {
        list.iter()
            .find(|o| &ObjectId::of_any(o) == id)
            .map(canonical_json)
    };
    a.iter()
        .chain(b)
        .map(ObjectId::of_any)
        .filter(|id| text(a, id) != text(b, id))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_diff_of_a_list_with_itself_is_empty(a in objects()) {
        prop_assert!(diff_objects(&a, &a).is_empty());
    }

    #[test]
    fn a_diff_lists_exactly_the_objects_whose_canonical_json_differs(a in objects(), b in objects()) {
        let listed: BTreeSet<ObjectId> = diff_objects(&a, &b).into_iter().map(|d| d.object).collect();
        prop_assert_eq!(listed, differing(&a, &b));
    }

    #[test]
    fn secret_data_never_shows_in_a_diff(a in objects(), b in objects()) {
        for d in diff_objects(&a, &b).iter().filter(|d| d.object.kind == "Secret") {
            for change in d.changes.iter().filter(|c| c.pointer.starts_with("/data")) {
                prop_assert!(change.secret && change.before.is_none() && change.after.is_none());
            }
        }
    }
}

/// One record of the shop, deployed once into a fresh store.
fn base_record() -> &'static Deployment {
    static RECORD: OnceLock<Deployment> = OnceLock::new();
    RECORD.get_or_init(|| {
        let store = MemoryStore::new();
        Deployer::new(engine(), &store)
            .deploy(
                "shop",
                "qa-42",
                &fixtures::shop(),
                &fixtures::admin("2026-11-23T10:00:00Z"),
            )
            .unwrap()
    })
}

/// Input changes, each of which may leave the inputs as they were.
#[derive(Debug, Clone)]
enum Edit {
    At(u8),
    Parent(Option<u8>),
    Principal(Option<&'static str>),
    Image(&'static str),
    Variable(&'static str),
    EnvType(&'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0u8..3).prop_map(Edit::At),
        prop::option::of(0u8..2).prop_map(Edit::Parent),
        prop::option::of(prop::sample::select(vec!["ada", "bob"])).prop_map(Edit::Principal),
        prop::sample::select(vec!["registry.example.com/shop/backend:2.0.1", "b:2"])
            .prop_map(Edit::Image),
        prop::sample::select(vec![":8080", ":9090"]).prop_map(Edit::Variable),
        prop::sample::select(vec!["qa-light", "staging"]).prop_map(Edit::EnvType),
    ]
}

fn apply(record: &mut Deployment, edit: &Edit) {
    let inputs = &mut record.inputs;
    let backend = inputs
        .workloads
        .iter_mut()
        .find(|w| w.score.metadata.name == "backend")
        .unwrap();
    let api = backend.score.containers.get_mut("api").unwrap();
    match edit {
        Edit::At(n) => inputs.at = format!("2026-11-23T10:00:0{n}Z"),
        Edit::Parent(p) => inputs.parent = p.map(|n| format!("{n:064}")),
        Edit::Principal(p) => inputs.principal = p.map(str::to_owned),
        Edit::Image(i) => api.image = (*i).to_owned(),
        Edit::Variable(v) => {
            api.variables.insert("LISTEN_ADDR".into(), (*v).to_owned());
        }
        Edit::EnvType(t) => inputs.env_type = (*t).to_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_record_id_changes_if_and_only_if_its_inputs_change(edits in prop::collection::vec(edit(), 0..4)) {
        let base = base_record();
        let mut edited = base.clone();
        for e in &edits {
            apply(&mut edited, e);
        }
        let id = edited.inputs.digest();
        prop_assert_eq!(id == base.id, edited.inputs == base.inputs);
    }
}

fn shop_with(image: &str, listen: &str) -> Vec<WorkloadInput> {
    let mut shop = fixtures::shop();
    for w in shop
        .iter_mut()
        .filter(|w| w.workload.metadata.name == "backend")
    {
        let api = w.workload.containers.get_mut("api").unwrap();
        api.image = image.to_owned();
        api.variables
            .insert("LISTEN_ADDR".into(), listen.to_owned());
    }
    shop
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn rollback_under_an_unchanged_platform_reproduces_the_manifests_byte_for_byte(
        tags in prop::collection::vec("[0-9]\\.[0-9]", 1..4),
        ports in prop::collection::vec(1024u16..9999, 1..4),
        pick in 0usize..4,
    ) {
        let store = MemoryStore::new();
        let deployer = Deployer::new(engine(), &store);
        let mut records = Vec::new();
        for (i, (tag, port)) in tags.iter().zip(ports.iter().cycle()).enumerate() {
            let workloads = shop_with(&format!("registry.example.com/shop/backend:{tag}"), &format!(":{port}"));
            let at = format!("2026-11-23T10:00:0{i}Z");
            records.push(deployer.deploy("shop", "qa-42", &workloads, &fixtures::admin(at)).unwrap());
        }
        let target = &records[pick % records.len()];
        let rollback = deployer.rollback("shop", "qa-42", &target.id, &fixtures::admin("2026-11-23T11:00:00Z")).unwrap();
        prop_assert!(!rollback.platform_changed());
        prop_assert_eq!(
            serde_json::to_vec(&rollback.record.manifests).unwrap(),
            serde_json::to_vec(&target.manifests).unwrap()
        );
        prop_assert!(diff(target, &rollback.record).objects.is_empty());
    }
}
