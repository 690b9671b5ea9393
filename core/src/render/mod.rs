//! Rendering: Kubernetes objects from resolved workloads, and their deterministic YAML.

pub mod input;
pub mod k8s;
pub mod scope;
pub mod yaml;
