//! Labels, annotations and `metadata` of the rendered objects.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::render::input::Target;
use crate::validate::names::shorten_name;

/// `app.kubernetes.io/name`: the workload.
pub(super) const NAME_LABEL: &str = "app.kubernetes.io/name";
/// `app.kubernetes.io/instance`: the workload in its app and environment.
pub(super) const INSTANCE_LABEL: &str = "app.kubernetes.io/instance";
/// The annotation that names the workload an object belongs to.
pub(super) const WORKLOAD_ANNOTATION: &str = "goldpath.dev/workload";

const LABEL_VALUE_MAX: usize = 63;

/// String-to-string maps as objects carry them.
pub(super) type Strings = BTreeMap<String, String>;

/// What every object of one scope (a workload, or the environment) shares: namespace, labels
/// and annotations.
#[derive(Debug, Clone)]
pub(super) struct Meta<'a> {
    /// The namespace of namespaced objects.
    pub(super) namespace: Option<&'a str>,
    /// The labels of every object.
    pub(super) labels: Strings,
    /// The labels that select the workload's pods (empty for the environment).
    pub(super) selector: Strings,
    /// The annotations of every object (the environment type's).
    pub(super) annotations: Strings,
}

impl<'a> Meta<'a> {
    /// The labels and annotations shared by the objects of the environment itself.
    pub(super) fn environment(target: &Target<'a>) -> Self {
        let env_type = target.env_type;
        let mut labels = env_type.map(|t| t.labels.clone()).unwrap_or_default();
        let context = target.context;
        labels.insert("app.kubernetes.io/part-of".into(), context.app.clone());
        labels.insert("app.kubernetes.io/managed-by".into(), "goldpath".into());
        labels.insert("goldpath.dev/env".into(), context.env.clone());
        Self {
            namespace: target.namespace,
            labels,
            selector: Strings::new(),
            annotations: env_type.map(|t| t.annotations.clone()).unwrap_or_default(),
        }
    }

    /// The labels and annotations shared by the objects of one workload.
    pub(super) fn workload(workload: &str, target: &Target<'a>) -> Self {
        let mut meta = Self::environment(target);
        meta.selector = selector_labels(workload, target);
        meta.labels.extend(meta.selector.clone());
        meta
    }

    /// `metadata` of an object named `name`, with `extra` annotations under the shared ones.
    pub(super) fn metadata(&self, name: &str, extra: &Strings) -> Value {
        let mut annotations = extra.clone();
        annotations.extend(self.annotations.clone());
        let mut metadata = Map::new();
        metadata.insert("name".into(), name.into());
        if let Some(namespace) = self.namespace {
            metadata.insert("namespace".into(), namespace.into());
        }
        metadata.insert("labels".into(), json!(self.labels));
        if !annotations.is_empty() {
            metadata.insert("annotations".into(), json!(annotations));
        }
        Value::Object(metadata)
    }

    /// `metadata` of a namespaced object named `name` with the shared annotations and
    /// `goldpath.dev/workload`.
    pub(super) fn owned_metadata(&self, name: &str, workload: &str) -> Value {
        let extra = Strings::from([(WORKLOAD_ANNOTATION.to_owned(), workload.to_owned())]);
        self.metadata(name, &extra)
    }

    /// `metadata` of a cluster-scoped object (no namespace).
    pub(super) fn cluster_metadata(&self, name: &str) -> Value {
        let mut metadata = self.metadata(name, &Strings::new());
        if let Some(map) = metadata.as_object_mut() {
            map.remove("namespace");
        }
        metadata
    }

    /// `{matchLabels: selector}`.
    pub(super) fn label_selector(&self) -> Value {
        json!({"matchLabels": self.selector})
    }
}

/// The selector labels of a workload: `app.kubernetes.io/name` and
/// `app.kubernetes.io/instance` (`<app>-<env>-<workload>`, shortened to 63).
pub(super) fn selector_labels(workload: &str, target: &Target<'_>) -> Strings {
    let context = target.context;
    let instance = format!("{}-{}-{workload}", context.app, context.env);
    Strings::from([
        (NAME_LABEL.to_owned(), workload.to_owned()),
        (
            INSTANCE_LABEL.to_owned(),
            shorten_name(&instance, LABEL_VALUE_MAX),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Context;

    #[test]
    fn instance_label_is_shortened_to_a_label_value() {
        let context = Context::new("shop", "qa", "qa-light");
        let target = Target {
            context: &context,
            namespace: None,
            env_type: None,
        };
        let long = "w".repeat(63);
        let labels = selector_labels(&long, &target);
        let instance = &labels[INSTANCE_LABEL];
        assert_eq!(instance.len(), 63);
        assert!(instance.starts_with("shop-qa-www"));
        assert!(crate::validate::names::label_value(instance).is_ok());
        assert_eq!(
            selector_labels("web", &target)[INSTANCE_LABEL],
            "shop-qa-web"
        );
    }
}
