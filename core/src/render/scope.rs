//! Which Kubernetes kinds live outside namespaces.

/// Kinds that live outside namespaces (the common ones; others are taken as namespaced, so
/// they get the plan's namespace and are held to a `namespace` lock).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "IngressClass",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
];

/// Whether objects of `kind` live outside namespaces.
///
/// ```
/// assert!(goldpath::render::scope::is_cluster_scoped("ClusterRole"));
/// assert!(!goldpath::render::scope::is_cluster_scoped("Deployment"));
/// ```
#[must_use]
pub fn is_cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}
