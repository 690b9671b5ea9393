//! A deterministic corpus of Score documents derived from valid ones: every node replaced by
//! values of other types, every key removed, unknown keys added, names and field values set
//! to values around their rules, optional fields added, map forms turned into list forms.
//!
//! Removing a key, adding an unknown key and the list forms are made in every base document.
//! The other changes are made once per location shape (`score_doc_paths::shape`), at the first
//! base document that has that shape, so the corpus stays a few thousand documents.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use crate::score_doc_paths::{
    Step, all_paths, is_name_map, last_key, node, node_mut, pointer, shape, shape_parts,
};
use crate::score_values::{keys_for_map, optional_fields, values_for_field, wrong_types};

/// One derived document and how it was made.
pub struct Mutant {
    /// `<base>: <change> at <pointer>`.
    pub label: String,
    /// The changed document.
    pub doc: Value,
}

/// The derived documents, without two changes of the same kind at the same shape.
#[derive(Default)]
pub struct Corpus {
    seen: HashSet<String>,
    /// Every document derived so far, in the order made.
    pub mutants: Vec<Mutant>,
}

impl Corpus {
    /// Adds every change of `base` (named `base_name` in labels) not made before.
    pub fn add_mutants_of(&mut self, base_name: &str, base: &Value) {
        for path in all_paths(base) {
            let Some(target) = node(base, &path) else {
                continue;
            };
            let at = Site {
                base_name,
                base,
                path: &path,
            };
            self.replace_with_wrong_types(&at);
            self.set_field_values(&at);
            match target {
                Value::Object(map) => self.change_object(&at, map),
                Value::Array(_) => self.append_items(&at),
                _ => {}
            }
        }
    }

    fn replace_with_wrong_types(&mut self, at: &Site<'_>) {
        for (name, value) in wrong_types() {
            self.mutate(at, format!("replace with {name}"), |node| *node = value);
        }
    }

    fn set_field_values(&mut self, at: &Site<'_>) {
        let parent_shape = shape_parts(&at.path[..at.path.len().saturating_sub(1)]);
        if is_name_map(&parent_shape) {
            return;
        }
        let Some(field) = last_key(at.path) else {
            return;
        };
        for value in values_for_field(field) {
            self.mutate(at, format!("set to {value}"), |node| *node = value);
        }
    }

    fn change_object(&mut self, at: &Site<'_>, map: &Map<String, Value>) {
        for key in map.keys() {
            let removed = key.clone();
            let child = shape(&[at.path, &[Step::Key(key.clone())]].concat());
            self.mutate_in_each_base(at, format!("remove {child}"), |node| {
                remove_key(node, &removed);
            });
        }
        self.mutate_in_each_base(at, "add key x-unknown".to_owned(), |node| {
            insert_key(node, "x-unknown", json!(true));
        });
        let shape_now = shape_parts(at.path);
        if is_name_map(&shape_now) {
            self.rename_first_key(at, map, shape_now.last().copied().unwrap_or_default());
        }
        for (field, value) in optional_fields(&shape_now) {
            if !map.contains_key(field) {
                self.mutate(at, format!("add {field}"), |node| {
                    insert_key(node, field, value)
                });
            }
        }
        if matches!(
            shape_now.as_slice(),
            ["containers", "*", "files" | "volumes"]
        ) {
            self.list_forms_of(at, map);
        }
    }

    fn rename_first_key(&mut self, at: &Site<'_>, map: &Map<String, Value>, map_field: &str) {
        let Some((first, value)) = map.iter().next() else {
            return;
        };
        for key in keys_for_map(map_field) {
            let what = format!("rename key to {key:?}");
            let (old, value) = (first.clone(), value.clone());
            self.mutate(at, what, |node| {
                remove_key(node, &old);
                insert_key(node, &key, value);
            });
        }
    }

    /// The deprecated list form of a `files` or `volumes` map, with and without `target`, and
    /// with list-valued `content` (which the schema does not accept).
    fn list_forms_of(&mut self, at: &Site<'_>, map: &Map<String, Value>) {
        let listed = |with_target: bool| -> Vec<Value> {
            map.iter()
                .map(|(target, item)| listed_item(target, item, with_target))
                .collect()
        };
        let with_target = Value::Array(listed(true));
        self.mutate_in_each_base(at, "to list form".to_owned(), |node| *node = with_target);
        let without_target = Value::Array(listed(false));
        self.mutate_in_each_base(at, "to list form without target".to_owned(), |node| {
            *node = without_target
        });
        if last_key(at.path) == Some("volumes") {
            return;
        }
        let mut lines = listed(true);
        for item in &mut lines {
            if item.get("content").is_some() {
                insert_key(item, "content", json!(["line one", "line two"]));
            }
        }
        self.mutate(at, "to list form with content lines".to_owned(), |node| {
            *node = Value::Array(lines);
        });
    }

    fn append_items(&mut self, at: &Site<'_>) {
        for (name, item) in [
            ("int", json!(1)),
            ("string", json!("x")),
            ("object", json!({})),
        ] {
            self.mutate(at, format!("append {name}"), |node| {
                if let Value::Array(items) = node {
                    items.push(item);
                }
            });
        }
    }

    /// Applies `change` to a copy of the base at `at`, unless this change was made at this
    /// shape before, in any base.
    fn mutate(&mut self, at: &Site<'_>, what: String, change: impl FnOnce(&mut Value)) {
        let key = format!("{} | {what}", shape(at.path));
        self.mutate_once(key, at, what, change);
    }

    /// Applies `change` to a copy of the base at `at`, unless this change was made at this
    /// shape of this base before.
    fn mutate_in_each_base(
        &mut self,
        at: &Site<'_>,
        what: String,
        change: impl FnOnce(&mut Value),
    ) {
        let key = format!("{} | {} | {what}", at.base_name, shape(at.path));
        self.mutate_once(key, at, what, change);
    }

    fn mutate_once(
        &mut self,
        key: String,
        at: &Site<'_>,
        what: String,
        change: impl FnOnce(&mut Value),
    ) {
        if !self.seen.insert(key) {
            return;
        }
        let mut doc = at.base.clone();
        if let Some(target) = node_mut(&mut doc, at.path) {
            change(target);
        }
        let label = format!("{}: {what} at {}", at.base_name, pointer(at.path));
        self.mutants.push(Mutant { label, doc });
    }
}

/// Where a change is made: a node of a base document.
struct Site<'a> {
    base_name: &'a str,
    base: &'a Value,
    path: &'a [Step],
}

fn listed_item(target: &str, item: &Value, with_target: bool) -> Value {
    let mut item = item.clone();
    if with_target {
        insert_key(&mut item, "target", json!(target));
    }
    item
}

fn remove_key(node: &mut Value, key: &str) {
    if let Value::Object(map) = node {
        map.remove(key);
    }
}

fn insert_key(node: &mut Value, key: &str, value: Value) {
    if let Value::Object(map) = node {
        map.insert(key.to_owned(), value);
    }
}
