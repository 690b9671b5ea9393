//! What a resource definition points at: resource references and selectors found in its
//! inputs, templates and co-provisioning params (DESIGN.md §5).

use serde_json::Value;

use crate::placeholder::{self, Reference};
use crate::platform::Definition;
use crate::{Error, ErrorKind, Location, ResourceKey};

/// One `${resources...}` placeholder of a definition, by what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// `${resources.TYPE[.CLASS][#ID].outputs...}`: the written key; omitted class and id are
    /// inherited from the referencing resource.
    Reference(ResourceKey),
    /// `${resources.A<B>C.outputs...}`: a start key and steps along the graph.
    Selector(Selector),
}

/// A selector: the start resource and the steps (`<` dependents, `>` dependencies) by type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selector {
    pub start: ResourceKey,
    pub steps: Vec<(Direction, String)>,
}

/// The direction of one selector step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `A<B`: resources of type B that depend on A.
    Dependents,
    /// `A>B`: resources of type B that A depends on.
    Dependencies,
}

/// The key text of a `resources` reference: the segments between `resources` and `outputs`,
/// joined by dots (so `${resources.dns#shared.api.outputs.host}` reads `dns#shared.api`).
pub(crate) fn key_text(reference: &Reference) -> Option<String> {
    let segments = reference.segments();
    if segments.first().map(String::as_str) != Some("resources") {
        return None;
    }
    let end = segments
        .iter()
        .skip(1)
        .position(|s| s == "outputs")
        .map_or(segments.len(), |i| i + 1);
    Some(segments[1..end].join("."))
}

/// Parses the key text of a reference into a target.
pub(crate) fn parse_target(text: &str) -> Result<Target, String> {
    if !text.contains(['<', '>']) {
        return ResourceKey::parse_text(text).map(Target::Reference);
    }
    let mut parts = Vec::new();
    let mut rest = text;
    let mut direction = None;
    while let Some(at) = rest.find(['<', '>']) {
        parts.push((direction, &rest[..at]));
        direction = Some(if rest.as_bytes()[at] == b'<' {
            Direction::Dependents
        } else {
            Direction::Dependencies
        });
        rest = &rest[at + 1..];
    }
    parts.push((direction, rest));
    let start = ResourceKey::parse_text(parts[0].1)?;
    let steps = parts[1..]
        .iter()
        .map(|(dir, ty)| {
            crate::validate::names::resource_type(ty)
                .map_err(|e| format!("selector `{text}`: {e}"))?;
            Ok((dir.unwrap_or(Direction::Dependents), (*ty).to_owned()))
        })
        .collect::<Result<_, String>>()?;
    Ok(Target::Selector(Selector { start, steps }))
}

/// Every resource target of a definition, in a stable order. Placeholders with other roots
/// (`context`, `params`) are not targets.
///
/// # Errors
/// A placeholder that does not parse, or a reference whose key does not parse, as an error
/// naming the definition.
pub(crate) fn definition_targets(definition: &Definition) -> Result<Vec<Target>, Error> {
    scan_definition(definition).map_err(|e| definition_error(definition, &e))
}

fn scan_definition(definition: &Definition) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    let mut add = |text: &str| collect(text, &mut targets);
    let spec = &definition.spec;
    for value in spec.inputs.values.values() {
        for_each_string(std::iter::once(value), &mut add)?;
    }
    let secrets = serde_json::to_value(&spec.inputs.secrets).unwrap_or(Value::Null);
    for_each_string(std::iter::once(&secrets), &mut add)?;
    if let Some(templates) = &spec.templates {
        let texts = [&templates.outputs, &templates.secrets, &templates.manifests];
        for text in texts.into_iter().flatten() {
            add(text)?;
        }
    }
    Ok(targets)
}

/// The resource targets of the values of a mapping (co-provisioning params), in order.
pub(crate) fn value_targets<'v>(
    values: impl DoubleEndedIterator<Item = &'v Value>,
) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    for_each_string(values, &mut |text| collect(text, &mut targets))?;
    Ok(targets)
}

/// The local resource names that the values of a workload's mapping (request params)
/// reference (`${resources.NAME...}`), in order.
pub(crate) fn workload_resource_names<'v>(
    values: impl DoubleEndedIterator<Item = &'v Value>,
) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for_each_string(values, &mut |text| {
        if !text.contains("${") {
            return Ok(());
        }
        let template = placeholder::parse(text)
            .map_err(|e| format!("at column {}: {}", e.column, e.message))?;
        for reference in template.references() {
            if let [root, name, ..] = reference.segments()
                && root == "resources"
                && !names.contains(name)
            {
                names.push(name.clone());
            }
        }
        Ok(())
    })?;
    Ok(names)
}

fn collect(text: &str, targets: &mut Vec<Target>) -> Result<(), String> {
    if !text.contains("${") {
        return Ok(());
    }
    let template =
        placeholder::parse(text).map_err(|e| format!("at column {}: {}", e.column, e.message))?;
    for reference in template.references() {
        if let Some(key) = key_text(reference) {
            let target =
                parse_target(&key).map_err(|e| format!("`{}`: {e}", reference.to_placeholder()))?;
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
    }
    Ok(())
}

/// Calls `f` on every string below `roots`, depth first, in order (the strings of a mapping
/// given as its values, without copying it into a value).
fn for_each_string<'v>(
    roots: impl DoubleEndedIterator<Item = &'v Value>,
    f: &mut dyn FnMut(&str) -> Result<(), String>,
) -> Result<(), String> {
    let mut stack: Vec<&Value> = roots.rev().collect();
    while let Some(value) = stack.pop() {
        match value {
            Value::String(s) => f(s)?,
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => stack.extend(map.values().rev()),
            _ => {}
        }
    }
    Ok(())
}

fn definition_error(definition: &Definition, reason: &str) -> Error {
    Error::new(
        ErrorKind::Placeholder,
        Location::default(),
        format!("resource definition `{}`: {reason}", definition.name),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(text: &str) -> Target {
        let template = placeholder::parse(text).unwrap();
        let reference = template.references().next().unwrap();
        parse_target(&key_text(reference).unwrap()).unwrap()
    }

    #[test]
    fn reference_keys_join_the_segments_before_outputs() {
        let key = |t: &str| match target(t) {
            Target::Reference(k) => (
                k.resource_type().to_owned(),
                k.written_class().map(str::to_owned),
                k.id().map(str::to_owned),
            ),
            Target::Selector(_) => panic!("not a selector"),
        };
        assert_eq!(
            key("${resources.dns.outputs.host}"),
            ("dns".into(), None, None)
        );
        assert_eq!(
            key("${resources.dns.external.outputs.host}"),
            ("dns".into(), Some("external".into()), None)
        );
        assert_eq!(
            key("${resources.dns#shared.api.outputs.host}"),
            ("dns".into(), None, Some("shared.api".into()))
        );
        assert_eq!(
            key("${resources['dns.external#shared.api'].outputs.host}"),
            (
                "dns".into(),
                Some("external".into()),
                Some("shared.api".into())
            )
        );
    }

    #[test]
    fn selectors_parse_their_steps() {
        let Target::Selector(s) = target("${resources.dns<route>backend.outputs.path}") else {
            panic!()
        };
        assert_eq!(s.start.resource_type(), "dns");
        assert_eq!(
            s.steps,
            [
                (Direction::Dependents, "route".to_owned()),
                (Direction::Dependencies, "backend".to_owned())
            ]
        );
    }

    #[test]
    fn other_roots_are_not_targets() {
        assert_eq!(
            value_targets(std::iter::once(
                &serde_json::json!({"a": "${context.app.id}-${params.x}"})
            ))
            .unwrap(),
            []
        );
        assert_eq!(
            value_targets(std::iter::once(&serde_json::json!([
                "${resources.db.outputs.host}"
            ])))
            .unwrap()
            .len(),
            1
        );
    }
}
