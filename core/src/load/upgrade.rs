//! The upgrade of deprecated Score forms, run on the raw document before schema validation,
//! as the Score tooling (score-go) does:
//!
//! - `files` and `volumes` given as lists with a `target` key become maps keyed by target;
//! - a file `content` given as a list of lines becomes the lines joined with `\n`;
//! - a volume's `read_only` becomes `readOnly`.
//!
//! Anything that does not have the expected shape is left alone for the schema to report.

use serde_json::{Map, Value};

use crate::validate::Findings;
use crate::{DocPath, ErrorKind};

/// Upgrades the deprecated forms of a Score document in place. Returns the problems that stop
/// an upgrade (a list entry without `target`, two entries with one target).
///
/// ```
/// let mut doc = serde_json::json!({"containers": {"main": {"image": "x",
///     "files": [{"target": "/etc/a", "content": ["one", "two"]}]}}});
/// assert!(goldpath::load::upgrade_score(&mut doc).is_empty());
/// assert_eq!(doc["containers"]["main"]["files"]["/etc/a"]["content"], "one\ntwo");
/// ```
pub fn upgrade_score(document: &mut Value) -> Findings {
    let mut findings = Findings::new();
    let Some(containers) = document
        .get_mut("containers")
        .and_then(Value::as_object_mut)
    else {
        return findings;
    };
    for (name, container) in containers.iter_mut() {
        let Some(container) = container.as_object_mut() else {
            continue;
        };
        let base = DocPath::root().key("containers").key(name.clone());
        for field in ["files", "volumes"] {
            if let Some(entries) = container.get_mut(field) {
                upgrade_list(entries, &base.clone().key(field), &mut findings);
            }
        }
        for_each_entry(container, "files", upgrade_file);
        for_each_entry(container, "volumes", upgrade_volume);
    }
    findings
}

/// Turns a list of `{target, ...}` objects into a map keyed by target.
fn upgrade_list(entries: &mut Value, path: &DocPath, findings: &mut Findings) {
    let Some(items) = entries.as_array() else {
        return;
    };
    let mut map = Map::new();
    for (i, item) in items.iter().enumerate() {
        let Some(mut object) = item.as_object().cloned() else {
            return;
        };
        let Some(Value::String(target)) = object.remove("target") else {
            let message = "an entry of the deprecated list form needs a `target`: add it, or \
                           better, write a map keyed by the target path";
            findings.push(ErrorKind::Invalid, path.clone().index(i), message);
            continue;
        };
        if map.contains_key(&target) {
            let message = format!("target `{target}` appears twice: each path may be mounted once");
            findings.push(ErrorKind::Invalid, path.clone().index(i), message);
            continue;
        }
        map.insert(target, Value::Object(object));
    }
    *entries = Value::Object(map);
}

fn for_each_entry(container: &mut Map<String, Value>, field: &str, f: fn(&mut Map<String, Value>)) {
    if let Some(Value::Object(entries)) = container.get_mut(field) {
        entries
            .values_mut()
            .filter_map(Value::as_object_mut)
            .for_each(f);
    }
}

fn upgrade_file(file: &mut Map<String, Value>) {
    let Some(Value::Array(lines)) = file.get("content") else {
        return;
    };
    let texts: Option<Vec<&str>> = lines.iter().map(Value::as_str).collect();
    if let Some(texts) = texts {
        let joined = texts.join("\n");
        file.insert("content".to_owned(), Value::String(joined));
    }
}

fn upgrade_volume(volume: &mut Map<String, Value>) {
    if !volume.contains_key("readOnly")
        && let Some(flag) = volume.remove("read_only")
    {
        volume.insert("readOnly".to_owned(), flag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_become_maps_and_read_only_is_renamed() {
        let mut doc = json!({"containers": {"main": {"image": "x",
            "files": [{"target": "/a", "content": "x"}],
            "volumes": [{"target": "/v", "source": "s", "read_only": true}]}}});
        assert!(upgrade_score(&mut doc).is_empty());
        assert_eq!(
            doc["containers"]["main"]["files"],
            json!({"/a": {"content": "x"}})
        );
        assert_eq!(
            doc["containers"]["main"]["volumes"],
            json!({"/v": {"source": "s", "readOnly": true}})
        );
    }

    #[test]
    fn missing_and_repeated_targets_are_reported_with_their_index() {
        let mut doc = json!({"containers": {"main": {"image": "x",
            "files": [{"content": "x"}, {"target": "/a", "content": "1"}, {"target": "/a", "content": "2"}]}}});
        let findings = upgrade_score(&mut doc).into_vec();
        let paths: Vec<String> = findings.iter().map(|f| f.path.to_string()).collect();
        assert_eq!(
            paths,
            ["containers.main.files[0]", "containers.main.files[2]"]
        );
    }

    #[test]
    fn map_forms_are_left_alone() {
        let original =
            json!({"containers": {"main": {"image": "x", "files": {"/a": {"content": "x"}}}}});
        let mut doc = original.clone();
        assert!(upgrade_score(&mut doc).is_empty());
        assert_eq!(doc, original);
    }
}
