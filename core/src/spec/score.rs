//! Score workload documents (`apiVersion: score.dev/v1b1`), every field of the specification.
//!
//! These types hold a workload after loading: the deprecated array forms of `files` and
//! `volumes` have already been upgraded to maps keyed by target path (see
//! [`crate::load::upgrade_score`]), and the document has passed the Score JSON Schema, so the
//! types themselves carry no validation logic.
//!
//! ```
//! use goldpath::spec::score::Workload;
//!
//! let workload: Workload = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "score.dev/v1b1",
//!     "metadata": {"name": "web", "team": "shop"},
//!     "containers": {"main": {"image": "nginx:1.27"}},
//! })).unwrap();
//! assert_eq!(workload.metadata.name, "web");
//! assert_eq!(workload.metadata.extra["team"], "shop");
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `apiVersion` of Score workloads.
pub const SCORE_API_VERSION: &str = "score.dev/v1b1";

/// A Score workload: containers, the service they expose and the resources they need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Workload {
    /// Always [`SCORE_API_VERSION`].
    pub api_version: String,
    /// The workload's name, annotations and any other keys the author adds.
    pub metadata: WorkloadMetadata,
    /// The containers, by name (at least one).
    pub containers: BTreeMap<String, Box<Container>>,
    /// The network ports the workload serves, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    /// The resources the workload needs, by the name the workload uses for them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources: BTreeMap<String, ResourceRequest>,
}

/// The `metadata` of a workload. Keys other than `name` and `annotations` are kept in
/// [`WorkloadMetadata::extra`] and are reachable from placeholders (`${metadata.team}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadMetadata {
    /// The workload name: a DNS-1123 label.
    pub name: String,
    /// Annotations; those under `k8s.score.dev/` steer the Kubernetes rendering.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Every other key of `metadata`, as written.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One container of a workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Container {
    /// The image reference; `.` means "given at render time" (`--image`).
    pub image: String,
    /// Replaces the image's entrypoint; copied verbatim (no placeholder expansion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Replaces the image's arguments; copied verbatim (no placeholder expansion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    /// Environment variables by name; values may hold placeholders.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, String>,
    /// Files to mount, by absolute target path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, File>,
    /// Volumes to mount, by absolute target path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Volume>,
    /// Compute requests and limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ContainerResources>,
    /// How to tell the container is alive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// How to tell the container is ready for traffic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// The containers of the same workload that start only once this one has reached a state
    /// (`migrate.before.api: complete` runs `migrate` to completion before `api`); such a
    /// container renders as an init container or native sidecar.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub before: BTreeMap<String, Before>,
}

/// A file mounted into a container. Exactly one of `content`, `binary_content` and `source`
/// is set (the schema guarantees it); [`File::body`] gives the one that is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct File {
    /// Inline UTF-8 text; placeholders are expanded unless `no_expand`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Inline bytes in standard base64; never expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binary_content: Option<String>,
    /// A path relative to the Score file's folder whose text becomes the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The file mode as an octal string (`"0644"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// When true, the content is used as is, without placeholder expansion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_expand: Option<bool>,
}

/// Where the bytes of a [`File`] come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileBody<'a> {
    /// Inline text.
    Content(&'a str),
    /// Inline base64.
    BinaryContent(&'a str),
    /// A path relative to the Score file.
    Source(&'a str),
}

impl File {
    /// The one body the file has, or `None` for a file that set none (rejected by the schema).
    #[must_use]
    pub fn body(&self) -> Option<FileBody<'_>> {
        let content = self.content.as_deref().map(FileBody::Content);
        let binary = self.binary_content.as_deref().map(FileBody::BinaryContent);
        content
            .or(binary)
            .or(self.source.as_deref().map(FileBody::Source))
    }
}

/// A volume mounted into a container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Volume {
    /// The volume: usually `${resources.NAME}`, a resource of the workload.
    pub source: String,
    /// A sub path inside the volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Mount read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

/// Compute requests and limits of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerResources {
    /// The most the container may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceAmounts>,
    /// What the scheduler reserves for the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<ResourceAmounts>,
}

/// CPU and memory amounts as Kubernetes quantities (`250m`, `1.5Gi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceAmounts {
    /// CPU cores (`2`, `0.5`, `250m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Memory bytes (`128Mi`, `1G`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
}

/// A liveness or readiness probe: an HTTP GET and/or a command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probe {
    /// Probe by an HTTP GET request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HttpProbe>,
    /// Probe by running a command in the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecProbe>,
}

/// An HTTP GET probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HttpProbe {
    /// The host to connect to (defaults to the pod IP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `HTTP` or `HTTPS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<HttpScheme>,
    /// The request path.
    pub path: String,
    /// The port to connect to.
    pub port: u16,
    /// Extra request headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http_headers: Vec<HttpHeader>,
}

/// The scheme of an HTTP probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HttpScheme {
    /// Plain HTTP.
    #[serde(rename = "HTTP")]
    Http,
    /// HTTP over TLS.
    #[serde(rename = "HTTPS")]
    Https,
}

/// One header of an HTTP probe request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpHeader {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// A probe that runs a command inside the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecProbe {
    /// The command and its arguments.
    pub command: Vec<String>,
}

/// An ordering constraint between containers of one workload: the state the declaring
/// container reaches before the named one starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Before {
    /// The state the declaring container reaches first.
    pub ready: ReadyCondition,
}

/// The states of [`Before::ready`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadyCondition {
    /// The container has started.
    Started,
    /// The container passes its readiness probe (or, without one, its liveness probe).
    Healthy,
    /// The container has run to completion.
    Complete,
}

/// The network service of a workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Ports by name; the names become Service port names.
    #[serde(default)]
    pub ports: BTreeMap<String, ServicePort>,
}

/// One port the workload serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServicePort {
    /// The port the Service listens on.
    pub port: u16,
    /// The container port traffic goes to; defaults to `port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<u16>,
    /// `TCP` (the default) or `UDP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
}

impl ServicePort {
    /// The container port, `target_port` or else `port`.
    #[must_use]
    pub fn target(&self) -> u16 {
        self.target_port.unwrap_or(self.port)
    }

    /// The protocol, TCP unless set.
    #[must_use]
    pub fn protocol(&self) -> Protocol {
        self.protocol.unwrap_or(Protocol::Tcp)
    }
}

/// The transport protocol of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Protocol {
    /// TCP.
    #[serde(rename = "TCP")]
    Tcp,
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
}

impl Protocol {
    /// The name Kubernetes uses (`TCP`, `UDP`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tcp => "TCP",
            Self::Udp => "UDP",
        }
    }
}

/// A resource the workload needs: the request that matching turns into a resource node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceRequest {
    /// The resource type (`postgres`, `dns`, `route`, ...): `type` in Score, `resource_type`
    /// in Rust as in [`ResourceDefinitionSpec`](crate::spec::platform::ResourceDefinitionSpec).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The class that specialises the type; `default` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// An explicit id makes the resource shared by every workload of the app that uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Free-form metadata (annotations, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, Value>>,
    /// Free-form parameters for the resource's driver; placeholders are expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<BTreeMap<String, Value>>,
}

impl ResourceRequest {
    /// The class, `default` when unset.
    #[must_use]
    pub fn class(&self) -> &str {
        self.class.as_deref().unwrap_or("default")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_container_fields_are_refused() {
        let doc = json!({"image": "x", "imagee": "y"});
        let err = serde_json::from_value::<Container>(doc).unwrap_err();
        assert!(err.to_string().contains("imagee"), "{err}");
    }

    #[test]
    fn defaults_fill_class_port_and_protocol() {
        let r: ResourceRequest = serde_json::from_value(json!({"type": "postgres"})).unwrap();
        assert_eq!(r.class(), "default");
        let p: ServicePort = serde_json::from_value(json!({"port": 80})).unwrap();
        assert_eq!((p.target(), p.protocol()), (80, Protocol::Tcp));
        let p: ServicePort =
            serde_json::from_value(json!({"port": 80, "targetPort": 8080, "protocol": "UDP"}))
                .unwrap();
        assert_eq!((p.target(), p.protocol()), (8080, Protocol::Udp));
    }

    #[test]
    fn file_body_names_the_set_field() {
        let f: File = serde_json::from_value(json!({"source": "a.txt"})).unwrap();
        assert_eq!(f.body(), Some(FileBody::Source("a.txt")));
        let f: File = serde_json::from_value(json!({"content": "x", "mode": "0644"})).unwrap();
        assert_eq!(f.body(), Some(FileBody::Content("x")));
    }
}
