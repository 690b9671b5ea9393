//! Graph exports: Graphviz DOT, Mermaid and JSON. They carry names, keys, definitions and
//! edge kinds, never outputs, so no secret can reach them.

use std::fmt::Write;

use serde_json::{Value, json};

use super::PlannedResource;
use crate::graph::{EdgeKind, Node, NodeName, ResourceGraph};

fn edge_label(kind: EdgeKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn quoted(text: &str) -> String {
    Value::from(text).to_string()
}

/// The graph in DOT: nodes in resolution order, workloads as boxes, edges labelled by kind.
pub(super) fn dot(graph: &ResourceGraph) -> String {
    let mut out = String::from("digraph goldpath {\n  rankdir=LR;\n");
    for node in graph.ordered() {
        let shape = if matches!(node, Node::Workload(_)) {
            "box"
        } else {
            "ellipse"
        };
        let _ = writeln!(
            out,
            "  {} [shape={shape}];",
            quoted(&node.name().to_string())
        );
    }
    for (from, to, kind) in graph.edges() {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}];",
            quoted(&from.to_string()),
            quoted(&to.to_string()),
            quoted(&edge_label(kind))
        );
    }
    out.push_str("}\n");
    out
}

/// The graph as a Mermaid flowchart; node ids are positions in the resolution order.
pub(super) fn mermaid(graph: &ResourceGraph) -> String {
    let names: Vec<NodeName> = graph.ordered().map(Node::name).collect();
    let id = |name: &NodeName| names.iter().position(|n| n == name).unwrap_or(0);
    let mut out = String::from("flowchart LR\n");
    for (i, name) in names.iter().enumerate() {
        let text = name.to_string().replace('"', "#quot;");
        let (open, close) = if matches!(name, NodeName::Workload(_)) {
            ("[", "]")
        } else {
            ("([", "])")
        };
        let _ = writeln!(out, "  n{i}{open}\"{text}\"{close}");
    }
    for (from, to, kind) in graph.edges() {
        let _ = writeln!(
            out,
            "  n{} -->|{}| n{}",
            id(&from),
            edge_label(kind),
            id(&to)
        );
    }
    out
}

/// The graph as JSON: `nodes` in resolution order (with type, class, id and definition for
/// resources), `edges` (`from` needs `to`) sorted.
pub(super) fn json(graph: &ResourceGraph, resources: &[PlannedResource]) -> Value {
    let nodes: Vec<Value> = graph
        .ordered()
        .map(|node| match node {
            Node::Workload(name) => json!({"name": name, "kind": "workload"}),
            Node::Resource(r) => {
                let definition = resources
                    .iter()
                    .find(|p| p.key == r.key.to_string())
                    .map(|p| p.definition.clone());
                json!({
                    "name": r.key.to_string(), "kind": "resource", "type": r.key.resource_type(),
                    "class": r.key.class(), "id": r.key.id(), "definition": definition,
                })
            }
        })
        .collect();
    let edges: Vec<Value> = graph
        .edges()
        .into_iter()
        .map(|(from, to, kind)| json!({"from": from.to_string(), "to": to.to_string(), "kind": kind}))
        .collect();
    json!({"nodes": nodes, "edges": edges})
}
