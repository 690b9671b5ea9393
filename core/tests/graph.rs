//! The resource graph: one test per rule of DESIGN.md §5, and properties of order and cycles.

use goldpath::graph::{EdgeKind, GraphInput, NodeName, ParamsOrigin, ResourceGraph, build, select};
use goldpath::platform::{Context, Definition};
use goldpath::spec::score::Workload;
use goldpath::{ErrorKind, ResourceKey};
use proptest::prelude::*;
use serde_json::{Value, json};

fn workload(name: &str, resources: Value) -> Workload {
    serde_json::from_value(json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": name},
        "containers": {"main": {"image": "x"}},
        "resources": resources,
    }))
    .unwrap()
}

fn definition(name: &str, spec: Value) -> Definition {
    let mut spec = spec;
    spec.as_object_mut()
        .unwrap()
        .entry("driver")
        .or_insert(json!("static"));
    spec.as_object_mut()
        .unwrap()
        .entry("criteria")
        .or_insert(json!([{}]));
    Definition {
        name: name.into(),
        spec: serde_json::from_value(spec).unwrap(),
        builtin: false,
    }
}

fn plain(kind: &str) -> Definition {
    definition(kind, json!({"type": kind, "inputs": {"values": {"x": 1}}}))
}

/// The graph of `workloads` over `definitions` and a `workload` definition (every workload
/// requests a `workload#NAME` resource).
fn graph(workloads: &[Workload], definitions: &[Definition]) -> goldpath::Result<ResourceGraph> {
    let mut definitions = definitions.to_vec();
    definitions.push(plain("workload"));
    let definitions = definitions.as_slice();
    let context = Context::new("shop", "qa-42", "qa-light");
    let matcher = |key: &ResourceKey| {
        definitions
            .iter()
            .position(|d| d.spec.resource_type == key.resource_type())
            .ok_or_else(|| {
                goldpath::Error::new(
                    ErrorKind::NoMatch,
                    Default::default(),
                    format!("no definition for {key}"),
                )
            })
    };
    let workloads: Vec<&Workload> = workloads.iter().collect();
    build(&GraphInput {
        workloads: &workloads,
        context: &context,
        definitions,
        matcher: &matcher,
    })
}

fn key(text: &str) -> ResourceKey {
    text.parse().unwrap()
}

fn res(text: &str) -> NodeName {
    NodeName::Resource(key(text))
}

fn wl(name: &str) -> NodeName {
    NodeName::Workload(name.into())
}

fn has_edge(g: &ResourceGraph, from: &NodeName, to: &NodeName, kind: EdgeKind) -> bool {
    g.edges()
        .iter()
        .any(|(a, b, k)| a == from && b == to && *k == kind)
}

#[test]
fn workloads_need_the_resources_they_request_with_private_ids() {
    let g = graph(
        &[workload("backend", json!({"db": {"type": "postgres"}}))],
        &[plain("postgres")],
    )
    .unwrap();
    assert!(has_edge(
        &g,
        &wl("backend"),
        &res("postgres.default#backend.db"),
        EdgeKind::Request
    ));
    let order: Vec<String> = g.ordered().map(|n| n.name().to_string()).collect();
    assert_eq!(
        order,
        [
            "postgres.default#backend.db",
            "workload.default#backend",
            "backend"
        ]
    );
}

#[test]
fn every_workload_requests_its_own_workload_resource_once() {
    let ws = [workload("aa", json!({})), workload("bb", json!({}))];
    let g = graph(&ws, &[]).unwrap();
    assert_eq!(g.len(), 4, "two workloads and their `workload#NAME`");
    for name in ["aa", "bb"] {
        let key = goldpath::graph::workload_key(name);
        assert_eq!(key.to_string(), format!("workload.default#{name}"));
        assert_eq!(key, self::key(&format!("workload#{name}")));
        assert!(has_edge(
            &g,
            &wl(name),
            &NodeName::Resource(key.clone()),
            EdgeKind::Request
        ));
        let node = g.resource(&key).unwrap();
        let users: Vec<&str> = node.requested_by.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(users, [name]);
    }
    let err = graph(&[workload("aa", json!({"w": {"type": "workload"}}))], &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.message().contains("workload `aa`"), "{err}");
    assert!(err.message().contains("implicitly"), "{err}");
}

#[test]
fn an_explicit_id_makes_one_shared_node() {
    let a = workload("aa", json!({"db": {"type": "postgres", "id": "shared-db"}}));
    let b = workload(
        "bb",
        json!({"database": {"type": "postgres", "id": "shared-db"}}),
    );
    let g = graph(&[a, b], &[plain("postgres")]).unwrap();
    assert_eq!(
        g.len(),
        5,
        "two workloads, their `workload#NAME` and the shared node"
    );
    let node = g.resource(&key("postgres#shared-db")).unwrap();
    let users: Vec<&str> = node.requested_by.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(users, ["aa", "bb"]);
}

#[test]
fn shared_params_must_agree_and_the_error_names_both_workloads() {
    let a = workload(
        "aa",
        json!({"db": {"type": "postgres", "id": "sh", "params": {"size": 1}}}),
    );
    let b = workload(
        "bb",
        json!({"db": {"type": "postgres", "id": "sh", "params": {"size": 2}}}),
    );
    let err = graph(&[a.clone(), b], &[plain("postgres")]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(
        err.message().contains("`aa`") && err.message().contains("`bb`"),
        "{err}"
    );
    let same = workload(
        "bb",
        json!({"db": {"type": "postgres", "id": "sh", "params": {"size": 1}}}),
    );
    let g = graph(&[a, same], &[plain("postgres")]).unwrap();
    assert_eq!(
        g.resource(&key("postgres#sh")).unwrap().params_origin,
        ParamsOrigin::Workload("aa".into())
    );
}

#[test]
fn service_links_make_the_caller_need_the_target_and_unknown_targets_fail() {
    let front = workload(
        "frontend",
        json!({"api": {"type": "service", "params": {"workload": "backend"}}}),
    );
    let back = workload("backend", json!({}));
    let g = graph(&[front.clone(), back], &[plain("service")]).unwrap();
    assert!(has_edge(
        &g,
        &wl("frontend"),
        &wl("backend"),
        EdgeKind::ServiceLink
    ));
    assert!(has_edge(
        &g,
        &res("service.default#frontend.api"),
        &wl("backend"),
        EdgeKind::ServiceLink
    ));
    let err = graph(&[front], &[plain("service")]).unwrap_err();
    assert!(
        err.message().contains("links to workload `backend`"),
        "{err}"
    );
}

#[test]
fn params_placeholders_order_the_resources_of_a_workload() {
    let w = workload(
        "web",
        json!({
            "bucket": {"type": "s3"},
            "cdn": {"type": "cdn", "params": {"origin": "${resources.bucket.endpoint}"}},
        }),
    );
    let g = graph(&[w], &[plain("s3"), plain("cdn")]).unwrap();
    assert!(has_edge(
        &g,
        &res("cdn.default#web.cdn"),
        &res("s3.default#web.bucket"),
        EdgeKind::Params
    ));
}

#[test]
fn references_inherit_class_and_id_unless_written() {
    let route = definition(
        "route",
        json!({"type": "route", "inputs": {"values": {
            "host": "${resources.dns.outputs.host}",
            "cert": "${resources['cert.wildcard'].outputs.name}",
            "lb": "${resources['lb#shared'].outputs.ip}",
        }}}),
    );
    let w = workload("web", json!({"r": {"type": "route", "class": "public"}}));
    let g = graph(&[w], &[route, plain("dns"), plain("cert"), plain("lb")]).unwrap();
    let from = res("route.public#web.r");
    assert!(has_edge(
        &g,
        &from,
        &res("dns.public#web.r"),
        EdgeKind::Reference
    ));
    assert!(has_edge(
        &g,
        &from,
        &res("cert.wildcard#web.r"),
        EdgeKind::Reference
    ));
    assert!(has_edge(
        &g,
        &from,
        &res("lb.public#shared"),
        EdgeKind::Reference
    ));
    // Referenced nodes are matched too.
    assert_eq!(g.resource(&key("dns.public#web.r")).unwrap().definition, 1);
}

#[test]
fn co_provisioning_adds_nodes_and_its_flags_add_edges() {
    let dns = definition(
        "dns",
        json!({"type": "dns", "inputs": {"values": {"x": 1}}, "provision": {
            "ingress": {"isDependent": true, "params": {"path": "/"}},
            "policy#dns-policy": {"matchDependents": true},
            "audit": {},
        }}),
    );
    let w = workload("web", json!({"d": {"type": "dns"}}));
    let g = graph(
        &[w],
        &[dns, plain("ingress"), plain("policy"), plain("audit")],
    )
    .unwrap();
    let d = res("dns.default#web.d");
    assert!(has_edge(
        &g,
        &res("ingress.default#web.d"),
        &d,
        EdgeKind::CoProvision
    ));
    assert!(has_edge(
        &g,
        &wl("web"),
        &res("policy.default#dns-policy"),
        EdgeKind::MatchDependents
    ));
    assert!(g.node(&res("audit.default#web.d")).is_some());
    assert!(
        g.dependents(&res("audit.default#web.d")).is_empty(),
        "no flag, no edge"
    );
    let ingress = g.resource(&key("ingress#web.d")).unwrap();
    assert_eq!(ingress.params["path"], "/");
    assert_eq!(
        ingress.params_origin,
        ParamsOrigin::Provision(key("dns.default#web.d"))
    );
}

#[test]
fn match_dependents_reaches_dependents_found_in_later_rounds() {
    // `app` is requested; its definition references `dns`, which co-provisions a policy with
    // matchDependents: the app resource, found before dns existed, must need the policy.
    let app = definition(
        "app",
        json!({"type": "app", "inputs": {"values": {"h": "${resources.dns.outputs.host}"}}}),
    );
    let dns = definition(
        "dns",
        json!({"type": "dns", "inputs": {"values": {"x": 1}}, "provision": {"policy": {"matchDependents": true}}}),
    );
    let g = graph(
        &[workload("web", json!({"a": {"type": "app"}}))],
        &[app, dns, plain("policy")],
    )
    .unwrap();
    assert!(has_edge(
        &g,
        &res("app.default#web.a"),
        &res("policy.default#web.a"),
        EdgeKind::MatchDependents
    ));
}

#[test]
fn selectors_add_edges_to_what_they_select_sorted_and_add_no_nodes() {
    // Two routes depend on one shared dns; the dns' ingress selects the routes that depend on it.
    let route = definition(
        "route",
        json!({"type": "route", "inputs": {"values": {"h": "${resources['dns#shared'].outputs.host}"}}}),
    );
    let dns = definition(
        "dns",
        json!({"type": "dns", "inputs": {"values": {"x": 1}}, "provision": {"ingress": {"isDependent": true}}}),
    );
    let ingress = definition(
        "ingress",
        json!({"type": "ingress", "inputs": {"values": {"paths": "${resources.dns<route.outputs.path}", "none": "${resources['nothing<route'].outputs.x}"}}}),
    );
    let ws = [
        workload("bb", json!({"r": {"type": "route"}})),
        workload("aa", json!({"r": {"type": "route"}})),
    ];
    let g = graph(&ws, &[route, dns, ingress]).unwrap();
    let ing = res("ingress.default#shared");
    assert!(has_edge(
        &g,
        &ing,
        &res("route.default#aa.r"),
        EdgeKind::Selector
    ));
    assert!(has_edge(
        &g,
        &ing,
        &res("route.default#bb.r"),
        EdgeKind::Selector
    ));
    assert!(g.node(&res("nothing.default#shared")).is_none());
    let selected = select(&g, &key("ingress.default#shared"), "dns<route").unwrap();
    assert_eq!(selected, [key("route#aa.r"), key("route#bb.r")]);
    let order: Vec<String> = g.ordered().map(|n| n.name().to_string()).collect();
    let at = |n: &str| order.iter().position(|o| o == n).unwrap();
    assert!(at("route.default#aa.r") < at("ingress.default#shared"));
}

#[test]
fn a_cycle_is_an_error_that_prints_the_whole_cycle() {
    let a = definition(
        "a",
        json!({"type": "aa", "inputs": {"values": {"x": "${resources.bb.outputs.x}"}}}),
    );
    let b = definition(
        "b",
        json!({"type": "bb", "inputs": {"values": {"x": "${resources.cc.outputs.x}"}}}),
    );
    let c = definition(
        "c",
        json!({"type": "cc", "inputs": {"values": {"x": "${resources.aa.outputs.x}"}}}),
    );
    let err = graph(&[workload("web", json!({"r": {"type": "aa"}}))], &[a, b, c]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cycle);
    assert!(
        err.message()
            .contains("aa.default#web.r → bb.default#web.r → cc.default#web.r → aa.default#web.r"),
        "{err}"
    );
}

#[test]
fn ties_in_the_order_are_broken_by_name() {
    let ws = [
        workload("zz", json!({})),
        workload("mm", json!({"b": {"type": "bb"}, "a": {"type": "aa"}})),
    ];
    let g = graph(&ws, &[plain("aa"), plain("bb")]).unwrap();
    let order: Vec<String> = g.ordered().map(|n| n.name().to_string()).collect();
    assert_eq!(
        order,
        [
            "aa.default#mm.a",
            "bb.default#mm.b",
            "workload.default#mm",
            "mm",
            "workload.default#zz",
            "zz"
        ]
    );
}

#[test]
fn guids_are_stable_and_distinct() {
    let w = || workload("web", json!({"a": {"type": "aa"}, "b": {"type": "aa"}}));
    let g1 = graph(&[w()], &[plain("aa")]).unwrap();
    let g2 = graph(&[w()], &[plain("aa")]).unwrap();
    let guid = |g: &ResourceGraph, k: &str| g.resource(&key(k)).unwrap().guid.clone();
    assert_eq!(guid(&g1, "aa#web.a"), guid(&g2, "aa#web.a"));
    assert_ne!(guid(&g1, "aa#web.a"), guid(&g1, "aa#web.b"));
    assert_eq!(guid(&g1, "aa#web.a").len(), 16);
}

/// Definitions `t0..tn` where `ti` references `tj` for every `(i, j)` in `links`.
fn chain_definitions(n: usize, links: &[(usize, usize)]) -> Vec<Definition> {
    (0..n)
        .map(|i| {
            let refs: serde_json::Map<String, Value> = links
                .iter()
                .filter(|(from, _)| *from == i)
                .map(|(_, to)| {
                    (
                        format!("r{to}"),
                        json!(format!("${{resources.t{to}.outputs.x}}")),
                    )
                })
                .collect();
            let mut values = refs;
            values.insert("x".into(), json!(1));
            definition(
                &format!("t{i}"),
                json!({"type": format!("t{i}"), "inputs": {"values": values}}),
            )
        })
        .collect()
}

fn all_requested(n: usize) -> Workload {
    let resources: serde_json::Map<String, Value> = (0..n)
        .map(|i| {
            (
                format!("r{i}"),
                json!({"type": format!("t{i}"), "id": "one"}),
            )
        })
        .collect();
    workload("web", Value::Object(resources))
}

proptest! {
    #[test]
    fn the_order_respects_every_edge(n in 2usize..12, raw in prop::collection::vec((0usize..12, 0usize..12), 0..30)) {
        // Only forward links: always acyclic.
        let links: Vec<(usize, usize)> = raw.into_iter().map(|(a, b)| (a % n, b % n)).filter(|(a, b)| a < b).collect();
        let g = graph(&[all_requested(n)], &chain_definitions(n, &links)).unwrap();
        let order: Vec<NodeName> = g.ordered().map(|node| node.name()).collect();
        prop_assert_eq!(order.len(), g.len());
        for (from, to, _) in g.edges() {
            let a = order.iter().position(|x| *x == from).unwrap();
            let b = order.iter().position(|x| *x == to).unwrap();
            prop_assert!(b < a, "{} needs {} but comes first", from, to);
        }
        // Deterministic: the same input gives the same order.
        let again: Vec<NodeName> = graph(&[all_requested(n)], &chain_definitions(n, &links)).unwrap().ordered().map(|x| x.name()).collect();
        prop_assert_eq!(order, again);
    }

    #[test]
    fn every_reported_cycle_is_a_real_cycle(n in 2usize..10, raw in prop::collection::vec((0usize..10, 0usize..10), 1..25), back in (0usize..10, 0usize..10)) {
        let mut links: Vec<(usize, usize)> = raw.into_iter().map(|(a, b)| (a % n, b % n)).filter(|(a, b)| a != b).collect();
        let (hi, lo) = (back.0 % n, back.1 % n);
        let (hi, lo) = if hi > lo { (hi, lo) } else if lo > hi { (lo, hi) } else { (n - 1, 0) };
        links.push((lo, hi));
        links.push((hi, lo)); // guarantees a cycle lo → hi → lo
        let err = graph(&[all_requested(n)], &chain_definitions(n, &links)).unwrap_err();
        prop_assert_eq!(err.kind(), ErrorKind::Cycle);
        let text = err.message().split(": ").nth(1).unwrap().split(';').next().unwrap();
        let nodes: Vec<usize> = text.split(" → ").map(|k| k.trim_start_matches('t').split('.').next().unwrap().parse().unwrap()).collect();
        prop_assert!(nodes.len() >= 3 && nodes.first() == nodes.last(), "{}", text);
        for pair in nodes.windows(2) {
            prop_assert!(links.contains(&(pair[0], pair[1])), "{} → {} is not an edge: {}", pair[0], pair[1], text);
        }
    }
}
