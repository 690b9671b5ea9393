//! A check that a JSON Schema describes every property and definition.

use serde_json::Value;

/// Collects the pointers of `properties` and `$defs` entries without a non-empty description.
pub fn find_undescribed(node: &Value, at: &str, out: &mut Vec<String>) {
    let Value::Object(map) = node else {
        if let Value::Array(items) = node {
            for (i, item) in items.iter().enumerate() {
                find_undescribed(item, &format!("{at}/{i}"), out);
            }
        }
        return;
    };
    for (key, child) in map {
        let child_at = format!("{at}/{key}");
        if matches!(key.as_str(), "properties" | "$defs") {
            for (name, entry) in child.as_object().into_iter().flatten() {
                let described = entry["description"].as_str().is_some_and(|d| !d.is_empty());
                if !described {
                    out.push(format!("{child_at}/{name}"));
                }
            }
        }
        find_undescribed(child, &child_at, out);
    }
}
