//! The pod and container security contexts an environment type asks for.

use serde_json::{Map, Value, json};

use crate::spec::platform::{EnvironmentTypeSpec, SecurityContext, SecurityPreset};

/// The security contexts of a pod and of each of its containers; `None` writes none.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Security {
    /// The pod's `securityContext`.
    pub(crate) pod: Option<Value>,
    /// Every container's `securityContext`.
    pub(crate) container: Option<Value>,
}

/// The security contexts of `env_type` (none without one).
pub(crate) fn security(env_type: Option<&EnvironmentTypeSpec>) -> Security {
    let Some(env_type) = env_type else {
        return Security::default();
    };
    let (pod, mut container) = match &env_type.security_context {
        SecurityContext::Preset(preset) => preset_parts(*preset),
        SecurityContext::Explicit(explicit) => (
            explicit.pod.clone().into_iter().collect(),
            explicit.container.clone().into_iter().collect(),
        ),
    };
    if env_type.read_only_root_filesystem {
        container.insert("readOnlyRootFilesystem".into(), true.into());
    }
    let non_empty = |map: Map<String, Value>| (!map.is_empty()).then_some(Value::Object(map));
    Security {
        pod: non_empty(pod),
        container: non_empty(container),
    }
}

/// The pod and container fields of a preset.
fn preset_parts(preset: SecurityPreset) -> (Map<String, Value>, Map<String, Value>) {
    let runtime_default = json!({"type": "RuntimeDefault"});
    let mut pod = Map::new();
    let mut container = Map::new();
    match preset {
        SecurityPreset::Restricted => {
            pod.insert("runAsNonRoot".into(), true.into());
            pod.insert("seccompProfile".into(), runtime_default);
            container.insert("allowPrivilegeEscalation".into(), false.into());
            container.insert("capabilities".into(), json!({"drop": ["ALL"]}));
        }
        SecurityPreset::Baseline => {
            pod.insert("seccompProfile".into(), runtime_default);
            container.insert("allowPrivilegeEscalation".into(), false.into());
        }
        SecurityPreset::None => {}
    }
    (pod, container)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_type(value: Value) -> EnvironmentTypeSpec {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn restricted_with_read_only_root() {
        let spec =
            env_type(json!({"securityContext": "restricted", "readOnlyRootFilesystem": true}));
        let out = security(Some(&spec));
        assert_eq!(
            out.pod,
            Some(json!({"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}))
        );
        assert_eq!(
            out.container,
            Some(json!({
                "allowPrivilegeEscalation": false,
                "capabilities": {"drop": ["ALL"]},
                "readOnlyRootFilesystem": true,
            }))
        );
    }

    #[test]
    fn baseline_none_and_explicit() {
        let baseline = security(Some(&env_type(json!({"securityContext": "baseline"}))));
        assert_eq!(
            baseline.container,
            Some(json!({"allowPrivilegeEscalation": false}))
        );
        assert_eq!(security(Some(&env_type(json!({})))), Security::default());
        assert_eq!(security(None), Security::default());
        let explicit = env_type(json!({"securityContext": {"pod": {"fsGroup": 2000}}}));
        let out = security(Some(&explicit));
        assert_eq!(out.pod, Some(json!({"fsGroup": 2000})));
        assert_eq!(out.container, None);
    }
}
