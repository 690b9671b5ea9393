//! Rendering: Kubernetes objects from a resolved graph, and their deterministic YAML.

pub mod yaml;
