//! goldpath's built-in default platform (DESIGN.md §4, §7): one `ResourceDefinition` per
//! resource type that score-k8s supports out of the box, so that `goldpath render score.yaml`
//! works without a platform folder, like `score-k8s generate`.
//!
//! The definitions are YAML documents under `core/builtins/`, embedded in the library. Each is
//! named `builtin-<type>` and has the criterion `{}`; matching ranks built-ins below every
//! definition of the platform's own, so a platform overrides a built-in by defining the type.
//! The databases and brokers (`postgres`, `mysql`, `redis`, `mongodb`, `amqp`, `mssql`, `s3`,
//! `kafka-topic`) run as single-replica StatefulSets for development, with generated
//! passwords that only ever appear in a Secret the definition creates.
//!
//! ```
//! use goldpath::builtins;
//! use goldpath::platform::Platform;
//!
//! let mut platform = Platform::default();
//! builtins::add_to(&mut platform);
//! let postgres = platform
//!     .definitions()
//!     .iter()
//!     .find(|d| d.spec.resource_type == "postgres")
//!     .unwrap();
//! assert_eq!(postgres.name, "builtin-postgres");
//! assert!(postgres.builtin);
//! assert_eq!(builtins::definitions().len(), builtins::SOURCES.len());
//! ```

use std::sync::OnceLock;

use crate::load::Loader;
use crate::platform::{Definition, Platform};
use crate::spec::platform::PlatformDocument;

/// The embedded definition files, as `(file name, YAML text)`, in the order they are added.
/// Each holds one `ResourceDefinition`; their comments explain them to platform teams, so a
/// host may show them as examples.
pub const SOURCES: &[(&str, &str)] = &[
    ("volume.yaml", include_str!("../builtins/volume.yaml")),
    ("dns.yaml", include_str!("../builtins/dns.yaml")),
    ("route.yaml", include_str!("../builtins/route.yaml")),
    ("service.yaml", include_str!("../builtins/service.yaml")),
    (
        "service-port.yaml",
        include_str!("../builtins/service-port.yaml"),
    ),
    ("postgres.yaml", include_str!("../builtins/postgres.yaml")),
    ("mysql.yaml", include_str!("../builtins/mysql.yaml")),
    ("redis.yaml", include_str!("../builtins/redis.yaml")),
    ("mongodb.yaml", include_str!("../builtins/mongodb.yaml")),
    ("amqp.yaml", include_str!("../builtins/amqp.yaml")),
    ("mssql.yaml", include_str!("../builtins/mssql.yaml")),
    ("s3.yaml", include_str!("../builtins/s3.yaml")),
    (
        "kafka-topic.yaml",
        include_str!("../builtins/kafka-topic.yaml"),
    ),
    ("workload.yaml", include_str!("../builtins/workload.yaml")),
];

/// The built-in definitions, each with [`Definition::builtin`] set, parsed once.
///
/// # Panics
///
/// Never for a released goldpath: the embedded documents are tested to load. A document that
/// did not load would be a bug of goldpath, and the panic names its file and the problem.
#[must_use]
pub fn definitions() -> &'static [Definition] {
    static DEFINITIONS: OnceLock<Vec<Definition>> = OnceLock::new();
    DEFINITIONS.get_or_init(|| {
        SOURCES
            .iter()
            .flat_map(|(file, text)| parse(file, text))
            .collect()
    })
}

/// Adds every built-in definition to `platform` (ranked below the platform's own).
pub fn add_to(platform: &mut Platform) {
    for definition in definitions() {
        platform.add_builtin(definition.name.clone(), definition.spec.clone());
    }
}

/// Adds the built-in `workload` definition (it does nothing) unless `platform` has it already.
/// Every workload requests a resource of that type implicitly, so a platform without the
/// built-ins keeps this one (see [`crate::patches`]).
pub fn add_implicit_to(platform: &mut Platform) {
    let has = |p: &Platform| p.definitions().iter().any(|d| d.name == WORKLOAD_BUILTIN);
    if has(platform) {
        return;
    }
    for definition in definitions().iter().filter(|d| d.name == WORKLOAD_BUILTIN) {
        platform.add_builtin(definition.name.clone(), definition.spec.clone());
    }
}

/// The name of the built-in definition of type `workload`, which does nothing.
pub const WORKLOAD_BUILTIN: &str = "builtin-workload";

/// The definitions of one embedded file.
fn parse(file: &str, text: &str) -> Vec<Definition> {
    let name = format!("builtin:{file}");
    let documents = Loader::default()
        .str(text, Some(&name))
        .unwrap_or_else(|e| panic!("the built-in definition {name} does not load (a bug): {e}"));
    documents
        .platform
        .into_iter()
        .map(|loaded| match loaded.document {
            PlatformDocument::ResourceDefinition(d) => Definition {
                name: d.metadata.name,
                spec: d.spec,
                builtin: true,
            },
            other => panic!(
                "{name} holds a {} document; built-ins are resource definitions only (a bug)",
                other.kind().as_str()
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::platform::Criterion;

    #[test]
    fn every_file_holds_one_definition_named_after_its_type() {
        assert_eq!(definitions().len(), SOURCES.len());
        for ((file, _), definition) in SOURCES.iter().zip(definitions()) {
            let kind = &definition.spec.resource_type;
            assert_eq!(*file, format!("{kind}.yaml"));
            assert_eq!(definition.name, format!("builtin-{kind}"));
            assert!(definition.builtin, "{file}");
        }
    }

    #[test]
    fn every_definition_matches_everything_of_the_default_class_and_describes_itself() {
        let broadest: Criterion = serde_json::from_value(serde_json::json!({})).unwrap();
        for definition in definitions() {
            let kind = definition.spec.resource_type.as_str();
            assert_eq!(
                definition.spec.criteria,
                std::slice::from_ref(&broadest),
                "{}",
                definition.name
            );
            let description = definition.spec.description.as_deref().unwrap_or("");
            assert!(description.len() > 20, "{}", definition.name);
            // The built-in `workload` does nothing: it has no outputs.
            let outputs = !definition.spec.expected_outputs.is_empty();
            assert_eq!(outputs, kind != "workload", "{}", definition.name);
        }
    }

    #[test]
    fn add_to_adds_them_all_as_builtins() {
        let mut platform = Platform::default();
        add_to(&mut platform);
        assert_eq!(platform.definitions(), definitions());
    }
}
