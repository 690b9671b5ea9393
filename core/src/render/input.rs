//! What rendering a workload starts from: the Score workload with every placeholder resolved.
//!
//! The resolve step produces these values; rendering turns them into Kubernetes objects and
//! never sees a secret value: every secret reaches it as a [`SecretRef`], a key of a
//! Kubernetes Secret that either exists in the cluster or that goldpath renders itself.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::platform::Context;
use crate::spec::platform::EnvironmentTypeSpec;
use crate::spec::score::Workload;

/// A key of a Kubernetes Secret in the workload's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SecretRef {
    /// The Secret's name.
    pub name: String,
    /// The key inside it.
    pub key: String,
}

/// One piece of a resolved string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text the author wrote; copied verbatim (an author's `$(VAR)` is meant for Kubernetes).
    Text(String),
    /// Text that came out of a resource output; Kubernetes must not expand it, so in
    /// environment values every `$` of it is doubled.
    Output(String),
    /// A secret: only ever referenced, never inlined.
    Secret(SecretRef),
}

/// A string after placeholder substitution, as pieces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved(pub Vec<Piece>);

/// The content of a resolved file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContent {
    /// Text without secrets (placeholders expanded unless `noExpand`): goes into a ConfigMap.
    Text(String),
    /// Bytes given as standard base64 (`binaryContent`): goes into a ConfigMap's `binaryData`.
    Base64(String),
    /// The whole file is one Secret key: mounted from the Secret.
    Secret(SecretRef),
}

/// A file of a container, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFile {
    /// The content.
    pub content: FileContent,
    /// The mode (`0o644`), when the workload sets one.
    pub mode: Option<u32>,
}

/// Where a volume comes from: the outputs of the resource named in its `source`.
#[derive(Debug, Clone, PartialEq)]
pub enum VolumeSource {
    /// A Kubernetes `VolumeSource` object (`{emptyDir: {}}`, `{persistentVolumeClaim: ...}`).
    Volume(Value),
    /// A `PersistentVolumeClaimSpec`: a claim template (StatefulSets only).
    ClaimTemplate(Value),
}

/// A volume mount of a container, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedVolume {
    /// What is mounted.
    pub source: VolumeSource,
    /// The sub path inside the volume.
    pub sub_path: Option<String>,
    /// Mount read-only.
    pub read_only: bool,
}

/// The resolved parts of one container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedContainer {
    /// Environment variables by name.
    pub variables: BTreeMap<String, Resolved>,
    /// Files by absolute target path.
    pub files: BTreeMap<String, ResolvedFile>,
    /// Volumes by absolute target path.
    pub volumes: BTreeMap<String, ResolvedVolume>,
}

/// A workload ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedWorkload {
    /// The Score workload (with `image: .` already replaced).
    pub workload: Workload,
    /// The resolved parts of each container, by container name.
    pub containers: BTreeMap<String, ResolvedContainer>,
    /// The workloads that link to this one (`service`/`service-port`), for NetworkPolicies.
    pub linked_from: BTreeSet<String>,
    /// Whether a route sends traffic from the ingress controller to this workload.
    pub routed: bool,
}

/// The environment a workload is rendered for.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The plan's context.
    pub context: &'a Context,
    /// The namespace objects go to; `None` writes no namespace.
    pub namespace: Option<&'a str>,
    /// The environment type's baselines; `None` renders without baselines (as score-k8s).
    pub env_type: Option<&'a EnvironmentTypeSpec>,
}
