//! Container image references, split as the container runtime reads them.

/// The registry Docker Hub images without a registry come from.
const DEFAULT_REGISTRY: &str = "docker.io";

/// An image reference: `[registry/]path[:tag][@digest]`.
///
/// ```
/// use goldpath::policy::ImageRef;
///
/// let image = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
/// assert_eq!(image.registry, "localhost:5000");
/// assert_eq!(image.path, "team/app");
/// assert_eq!(image.tag.as_deref(), Some("1.2"));
/// assert_eq!(image.digest.as_deref(), Some("sha256:abc"));
/// assert_eq!(ImageRef::parse("nginx").name(), "docker.io/library/nginx");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry host (with its port); `docker.io` when the reference names none.
    pub registry: String,
    /// The repository path (`library/nginx` for `nginx`).
    pub path: String,
    /// The tag, if any.
    pub tag: Option<String>,
    /// The digest (`sha256:...`), if any.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Splits a reference. The first component is a registry when it has a `.` or a `:`, or is
    /// `localhost`.
    #[must_use]
    pub fn parse(reference: &str) -> Self {
        let (rest, digest) = match reference.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.to_owned())),
            None => (reference, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_owned()),
            ),
            None => (rest, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_owned(), path.to_owned())
            }
            _ if name.contains('/') => (DEFAULT_REGISTRY.to_owned(), name.to_owned()),
            _ => (DEFAULT_REGISTRY.to_owned(), format!("library/{name}")),
        };
        Self {
            registry,
            path,
            tag,
            digest,
        }
    }

    /// `registry/path`.
    #[must_use]
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.path)
    }

    /// Whether the image comes from `allowed` (`host[:port]` or `host/path-prefix`).
    #[must_use]
    pub fn is_from(&self, allowed: &str) -> bool {
        let allowed = allowed.trim_end_matches('/');
        let name = self.name();
        name.strip_prefix(allowed)
            .is_some_and(|rest| rest.starts_with('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_as_the_runtime_reads_them() {
        let plain = ImageRef::parse("nginx:1.27");
        assert_eq!(
            (plain.registry.as_str(), plain.path.as_str()),
            ("docker.io", "library/nginx")
        );
        assert_eq!(plain.tag.as_deref(), Some("1.27"));
        let org = ImageRef::parse("bitnami/redis");
        assert_eq!(org.name(), "docker.io/bitnami/redis");
        assert_eq!(org.tag, None);
        let digest = ImageRef::parse("ghcr.io/acme/api@sha256:00ff");
        assert_eq!(
            (digest.tag, digest.digest.as_deref()),
            (None, Some("sha256:00ff"))
        );
    }

    #[test]
    fn registries_match_on_whole_components() {
        let image = ImageRef::parse("registry.example.com/shop/backend:2.0.1");
        assert!(image.is_from("registry.example.com"));
        assert!(image.is_from("registry.example.com/shop"));
        assert!(!image.is_from("registry.example.co"));
        assert!(!image.is_from("registry.example.com/sh"));
        assert!(ImageRef::parse("nginx").is_from("docker.io"));
    }
}
