//! The structural diff of two deployment records (or of any two lists of Kubernetes objects).
//!
//! Objects are matched by identity (`apiVersion`, `kind`, namespace, name). Each change is a
//! JSON pointer with the value before and after; a change under a Secret's `data` or
//! `stringData` is only ever marked `secret: true`, without values. Input changes (the
//! workloads, the environment type, the options, the platform documents) are listed apart
//! from the manifest changes.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::record::{ChangeKind, Deployment, DocumentChange, is_secret};
pub use crate::object_id::ObjectId;

/// The diff of two records.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    /// The first record's id.
    pub from: String,
    /// The second record's id.
    pub to: String,
    /// What changed in the inputs.
    pub inputs: InputChanges,
    /// The objects added, removed and changed.
    pub objects: Vec<ObjectDiff>,
}

impl Diff {
    /// Whether nothing differs (ids aside).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty() && self.objects.is_empty()
    }
}

/// Input-level changes between two records.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputChanges {
    /// Changes of the context and options (`/envType`, `/options/image`, ...).
    pub context: Vec<Change>,
    /// Workloads added, removed and changed, by name.
    pub workloads: Vec<WorkloadDiff>,
    /// Platform documents added, removed and changed.
    pub platform: Vec<DocumentChange>,
}

impl InputChanges {
    /// Whether no input differs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.context.is_empty() && self.workloads.is_empty() && self.platform.is_empty()
    }
}

/// A workload that differs between two records.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadDiff {
    /// The workload's name.
    pub workload: String,
    /// How it differs.
    pub change: ChangeKind,
    /// For a changed workload, each change in its Score document (`/containers/main/image`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

/// An object that differs between two lists of objects.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectDiff {
    /// Which object.
    pub object: ObjectId,
    /// How it differs.
    pub change: ChangeKind,
    /// For a changed object, each change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

/// One changed value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Where, as a JSON pointer (RFC 6901) into the object.
    pub pointer: String,
    /// The value before; `None` when it was added or is secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after; `None` when it was removed or is secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// The value is secret: only the fact that it changed is shown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

/// The diff of two records: inputs first, then manifests.
#[must_use]
pub fn diff(a: &Deployment, b: &Deployment) -> Diff {
    Diff {
        from: a.id.clone(),
        to: b.id.clone(),
        inputs: diff_inputs(a, b),
        objects: diff_objects(&a.manifests, &b.manifests),
    }
}

fn diff_inputs(a: &Deployment, b: &Deployment) -> InputChanges {
    let context = |d: &Deployment| {
        serde_json::json!({
            "app": d.inputs.app,
            "env": d.inputs.env,
            "envType": d.inputs.env_type,
            "options": d.inputs.options,
        })
    };
    let mut changes = Vec::new();
    walk(&context(a), &context(b), &mut String::new(), &mut changes);
    InputChanges {
        context: changes,
        workloads: diff_workloads(a, b),
        platform: a.inputs.platform.changes_to(&b.inputs.platform),
    }
}

fn diff_workloads(a: &Deployment, b: &Deployment) -> Vec<WorkloadDiff> {
    let by_name = |d: &Deployment| {
        d.inputs
            .workloads
            .iter()
            .map(|w| {
                let value = serde_json::to_value(&w.score).unwrap_or(Value::Null);
                (w.score.metadata.name.clone(), value)
            })
            .collect::<BTreeMap<_, _>>()
    };
    let (a, b) = (by_name(a), by_name(b));
    fn refs(m: &BTreeMap<String, Value>) -> BTreeMap<String, &Value> {
        m.iter().map(|(k, v)| (k.clone(), v)).collect()
    }
    pair_up(
        &refs(&a),
        &refs(&b),
        |workload: &String, change, changes| WorkloadDiff {
            workload: workload.clone(),
            change,
            changes,
        },
    )
}

/// The objects added, removed and changed from `before` to `after`, in identity order. An
/// object is listed if and only if its canonical JSON differs; identical objects are not.
#[must_use]
pub fn diff_objects(before: &[Value], after: &[Value]) -> Vec<ObjectDiff> {
    fn index(objects: &[Value]) -> BTreeMap<ObjectId, &Value> {
        objects.iter().map(|o| (ObjectId::of_any(o), o)).collect()
    }
    pair_up(
        &index(before),
        &index(after),
        |object, change, mut changes| {
            if is_secret_id(object) {
                mask_secret_changes(&mut changes);
            }
            ObjectDiff {
                object: object.clone(),
                change,
                changes,
            }
        },
    )
}

/// Joins two keyed maps into a list of differences, made by `make`.
fn pair_up<K: Ord + Clone, T>(
    before: &BTreeMap<K, &Value>,
    after: &BTreeMap<K, &Value>,
    make: impl Fn(&K, ChangeKind, Vec<Change>) -> T,
) -> Vec<T> {
    let mut keys: Vec<&K> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        match (before.get(key), after.get(key)) {
            (Some(_), None) => out.push(make(key, ChangeKind::Removed, Vec::new())),
            (None, Some(_)) => out.push(make(key, ChangeKind::Added, Vec::new())),
            (Some(a), Some(b)) if a != b => {
                let mut changes = Vec::new();
                walk(a, b, &mut String::new(), &mut changes);
                out.push(make(key, ChangeKind::Changed, changes));
            }
            _ => {}
        }
    }
    out
}

fn is_secret_id(id: &ObjectId) -> bool {
    is_secret(&serde_json::json!({"apiVersion": id.api_version, "kind": id.kind}))
}

fn mask_secret_changes(changes: &mut [Change]) {
    for change in changes {
        let secret_field = ["/data", "/stringData"].iter().any(|field| {
            change.pointer == *field || change.pointer.starts_with(&format!("{field}/"))
        });
        if secret_field {
            change.before = None;
            change.after = None;
            change.secret = true;
        }
    }
}

/// Appends every difference between `a` and `b` under `pointer`.
fn walk(a: &Value, b: &Value, pointer: &mut String, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => walk_objects(a, b, pointer, out),
        (Value::Array(a), Value::Array(b)) => {
            for index in 0..a.len().max(b.len()) {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                walk_optional(a.get(index), b.get(index), pointer, out);
                pointer.truncate(len);
            }
        }
        _ if a != b => out.push(Change {
            pointer: pointer.clone(),
            before: Some(a.clone()),
            after: Some(b.clone()),
            secret: false,
        }),
        _ => {}
    }
}

fn walk_objects(
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    pointer: &mut String,
    out: &mut Vec<Change>,
) {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        walk_optional(a.get(key), b.get(key), pointer, out);
        pointer.truncate(len);
    }
}

fn walk_optional(
    a: Option<&Value>,
    b: Option<&Value>,
    pointer: &mut String,
    out: &mut Vec<Change>,
) {
    match (a, b) {
        (Some(a), Some(b)) => walk(a, b, pointer, out),
        (a, b) if a != b => out.push(Change {
            pointer: pointer.clone(),
            before: a.cloned(),
            after: b.cloned(),
            secret: false,
        }),
        _ => {}
    }
}

impl fmt::Display for Diff {
    /// The diff for people: inputs, then objects, each change as `- before` / `+ after`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "--- {}", self.from)?;
        writeln!(f, "+++ {}", self.to)?;
        if self.is_empty() {
            return writeln!(f, "no changes");
        }
        let inputs = &self.inputs;
        if !inputs.is_empty() {
            writeln!(f, "inputs:")?;
            if !inputs.context.is_empty() {
                writeln!(f, "  ~ context")?;
                write_changes(f, &inputs.context)?;
            }
            for w in &inputs.workloads {
                writeln!(f, "  {} workload {}", sign(w.change), w.workload)?;
                write_changes(f, &w.changes)?;
            }
            for d in &inputs.platform {
                writeln!(f, "  {} platform {}", sign(d.change), d.document)?;
            }
        }
        if !self.objects.is_empty() {
            writeln!(f, "manifests:")?;
            for o in &self.objects {
                writeln!(f, "  {} {}", sign(o.change), o.object.versioned())?;
                write_changes(f, &o.changes)?;
            }
        }
        Ok(())
    }
}

fn sign(change: ChangeKind) -> char {
    match change {
        ChangeKind::Added => '+',
        ChangeKind::Removed => '-',
        ChangeKind::Changed => '~',
    }
}

fn write_changes(f: &mut fmt::Formatter<'_>, changes: &[Change]) -> fmt::Result {
    for change in changes {
        if change.secret {
            writeln!(f, "      {}: (secret value changed)", change.pointer)?;
            continue;
        }
        writeln!(f, "      {}", change.pointer)?;
        if let Some(before) = &change.before {
            writeln!(f, "      - {before}")?;
        }
        if let Some(after) = &change.after {
            writeln!(f, "      + {after}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn changes_are_json_pointers_with_before_and_after() {
        let a = [
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w", "namespace": "n"},
            "spec": {"replicas": 1, "x/y": [1, 2]}}),
        ];
        let b = [
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w", "namespace": "n"},
            "spec": {"replicas": 2, "x/y": [1]}}),
        ];
        let diff = diff_objects(&a, &b);
        assert_eq!(diff.len(), 1);
        assert_eq!(diff[0].change, ChangeKind::Changed);
        let pointers: Vec<_> = diff[0].changes.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(pointers, ["/spec/replicas", "/spec/x~1y/1"]);
        assert_eq!(diff[0].changes[1].before, Some(json!(2)));
        assert_eq!(diff[0].changes[1].after, None);
    }

    #[test]
    fn secret_changes_show_no_values() {
        let secret = |v: &str| json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"p": v}});
        let diff = diff_objects(&[secret("b2xk")], &[secret("bmV3")]);
        let change = &diff[0].changes[0];
        assert!(change.secret && change.before.is_none() && change.after.is_none());
        let text = Diff {
            objects: diff,
            ..Diff::default()
        }
        .to_string();
        assert!(!text.contains("b2xk") && !text.contains("bmV3"), "{text}");
        assert!(text.contains("/data/p: (secret value changed)"), "{text}");
    }
}
