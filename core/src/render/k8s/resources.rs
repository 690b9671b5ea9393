//! Container `resources`: the workload's requests and limits over the environment type's
//! defaults, every quantity re-serialised canonically.

use serde_json::{Map, Value};

use super::problems::{Problems, error};
use crate::spec::platform::{ResourceQuantities, ResourceRequirements};
use crate::spec::score::{ContainerResources, ResourceAmounts};
use crate::validate::quantity::{Quantity, requests_within_limits};
use crate::{DocPath, ErrorKind};

const SECTIONS: [&str; 2] = ["requests", "limits"];
const KINDS: [&str; 2] = ["cpu", "memory"];

/// One amount and where it came from.
struct Amount<'a> {
    text: &'a str,
    /// The path in the workload, or `None` when it is the environment type's default.
    path: Option<DocPath>,
}

/// The `resources` of a container (`None` when nothing is set). `path` is the container's
/// path in the workload. With `defaults_win` (the environment type locks `defaults`) a default
/// replaces the container's own value.
pub(super) fn container_resources(
    own: Option<&ContainerResources>,
    defaults: Option<&ResourceRequirements>,
    defaults_win: bool,
    path: &DocPath,
) -> crate::Result<Option<Value>> {
    let (own, defaults) = (own_table(own), default_table(defaults));
    let mut problems = Problems::default();
    let mut out = Map::new();
    let mut parsed = Vec::new();
    for (s, section) in SECTIONS.into_iter().enumerate() {
        let mut amounts = Map::new();
        for (k, kind) in KINDS.into_iter().enumerate() {
            let amount = match (own[s][k], defaults[s][k]) {
                (_, Some(text)) if defaults_win => Amount { text, path: None },
                (Some(text), _) => Amount {
                    text,
                    path: Some(path.clone().key("resources").key(section).key(kind)),
                },
                (None, Some(text)) => Amount { text, path: None },
                (None, None) => continue,
            };
            match Quantity::parse(amount.text) {
                Ok(quantity) => {
                    amounts.insert(kind.into(), quantity.canonical().into());
                    parsed.push((section, kind, quantity, amount.path));
                }
                Err(message) => problems.push(
                    ErrorKind::Invalid,
                    amount.path.clone().unwrap_or_default(),
                    format!("{}{message}", origin(&amount.path, section, kind)),
                ),
            }
        }
        if !amounts.is_empty() {
            out.insert(section.into(), Value::Object(amounts));
        }
    }
    let out = problems.finish(out)?;
    check_within_limits(&parsed, path)?;
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

/// The words that say where a default amount came from (empty for the workload's own).
fn origin(path: &Option<DocPath>, section: &str, kind: &str) -> String {
    match path {
        Some(_) => String::new(),
        None => format!("the environment type's default {section}.{kind}: "),
    }
}

fn check_within_limits(
    parsed: &[(&str, &str, Quantity, Option<DocPath>)],
    path: &DocPath,
) -> crate::Result<()> {
    for kind in KINDS {
        let find = |section: &str| {
            parsed
                .iter()
                .find(|(s, k, _, _)| *s == section && *k == kind)
        };
        let (Some(request), Some(limit)) = (find("requests"), find("limits")) else {
            continue;
        };
        if let Err(message) = requests_within_limits(&request.2, &limit.2) {
            let from_defaults = request.3.is_none() || limit.3.is_none();
            let hint = if from_defaults {
                " (one of them is the environment type's default: set both in the workload)"
            } else {
                ""
            };
            let at = path.clone().key("resources").key("requests").key(kind);
            return Err(error(
                ErrorKind::Invalid,
                at,
                format!("{kind}: {message}{hint}"),
            ));
        }
    }
    Ok(())
}

/// Amounts by section (`requests`, `limits`) and kind (`cpu`, `memory`), as [`SECTIONS`] and
/// [`KINDS`] order them.
type Table<'a> = [[Option<&'a str>; 2]; 2];

fn own_table(own: Option<&ContainerResources>) -> Table<'_> {
    fn row(a: Option<&ResourceAmounts>) -> [Option<&str>; 2] {
        a.map_or([None, None], |a| [a.cpu.as_deref(), a.memory.as_deref()])
    }
    own.map_or([[None; 2]; 2], |o| {
        [row(o.requests.as_ref()), row(o.limits.as_ref())]
    })
}

fn default_table(defaults: Option<&ResourceRequirements>) -> Table<'_> {
    fn row(a: Option<&ResourceQuantities>) -> [Option<&str>; 2] {
        a.map_or([None, None], |a| [a.cpu.as_deref(), a.memory.as_deref()])
    }
    defaults.map_or([[None; 2]; 2], |d| {
        [row(d.requests.as_ref()), row(d.limits.as_ref())]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn own(value: Value) -> ContainerResources {
        serde_json::from_value(value).unwrap()
    }

    fn defaults(value: Value) -> ResourceRequirements {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn own_values_win_field_by_field_and_are_canonical() {
        let own = own(json!({"requests": {"cpu": "0.5"}}));
        let defaults = defaults(json!({
            "requests": {"cpu": "100m", "memory": "1024Mi"},
            "limits": {"cpu": "1000m"},
        }));
        let out = container_resources(Some(&own), Some(&defaults), false, &DocPath::root())
            .unwrap()
            .unwrap();
        assert_eq!(
            out,
            json!({"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "1"}})
        );
    }

    #[test]
    fn nothing_set_writes_no_resources() {
        assert_eq!(
            container_resources(None, None, false, &DocPath::root()).unwrap(),
            None
        );
    }

    #[test]
    fn a_default_request_above_the_own_limit_is_refused() {
        let own = own(json!({"limits": {"cpu": "250m"}}));
        let defaults = defaults(json!({"requests": {"cpu": "500m"}}));
        let path = DocPath::root().key("containers").key("main");
        let err = container_resources(Some(&own), Some(&defaults), false, &path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(
            err.message().contains("environment type's default"),
            "{err}"
        );
        assert_eq!(
            err.location().path.to_string(),
            "containers.main.resources.requests.cpu"
        );
    }

    #[test]
    fn a_bad_default_quantity_names_the_environment_type() {
        let defaults = defaults(json!({"limits": {"memory": "1GB"}}));
        let err = container_resources(None, Some(&defaults), false, &DocPath::root()).unwrap_err();
        assert!(
            err.message()
                .starts_with("the environment type's default limits.memory: "),
            "{err}"
        );
    }
}
