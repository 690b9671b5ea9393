//! Rules for platform documents beyond `schemas/platform.schema.json`.
//!
//! [`validate_document`] checks one document on its own (names, keys, placeholders in the
//! namespace pattern, scope against role, rule parameters, driver inputs);
//! [`validate_set`] checks the documents of one platform together (duplicate names,
//! identical criteria, references to environment types that do not exist). Paths are
//! relative to the document root (`spec.criteria[1].envType`).
//!
//! ```
//! use goldpath::spec::platform::PlatformDocument;
//! use goldpath::validate::platform::validate_document;
//!
//! let doc: PlatformDocument = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "goldpath.dev/v1alpha1",
//!     "kind": "RoleBinding",
//!     "metadata": {"name": "shop-developers"},
//!     "spec": {"subjects": [{"kind": "Group", "name": "shop-team"}], "role": "developer"},
//! })).unwrap();
//! let findings = validate_document(&doc);
//! assert_eq!(findings.as_slice()[0].path.to_string(), "spec.scope");
//! ```

mod access;
mod environment_type;
mod policy;
mod resource_definition;
mod set;
mod world_driver;

use crate::spec::platform::PlatformDocument;
use crate::validate::{Finding, Findings, names};
use crate::{DocPath, ErrorKind};

/// Checks one platform document on its own; see the module documentation for the rules.
#[must_use]
pub fn validate_document(doc: &PlatformDocument) -> Findings {
    let mut findings = Findings::new();
    let name_path = DocPath::root().key("metadata").key("name");
    check_label(&mut findings, name_path, "the document name", doc.name());
    match doc {
        PlatformDocument::EnvironmentType(d) => environment_type::check(&d.spec, &mut findings),
        PlatformDocument::ResourceDefinition(d) => {
            resource_definition::check(&d.spec, &mut findings);
        }
        PlatformDocument::Policy(d) => policy::check(&d.spec, &mut findings),
        PlatformDocument::RoleBinding(d) => access::check_role_binding(&d.spec, &mut findings),
        PlatformDocument::Environment(d) => {
            access::check_environment(&d.metadata.name, &d.spec, &mut findings);
        }
    }
    findings
}

/// Checks the documents of one platform together. Each finding comes with the index of the
/// document it belongs to (the later one of a conflicting pair).
#[must_use]
pub fn validate_set(docs: &[PlatformDocument]) -> Vec<(usize, Finding)> {
    set::check(docs)
}

/// The path `spec.<key>`.
fn spec_path(key: &str) -> DocPath {
    DocPath::root().key("spec").key(key)
}

/// Whether `s` is a DNS-1123 label (the rule of [`names::dns1123_label`]).
fn is_dns1123_label(s: &str) -> bool {
    names::dns1123_label(s).is_ok()
}

/// Records a [`ErrorKind::Name`] finding at `path` unless `value` is a DNS-1123 label.
fn check_label(findings: &mut Findings, path: DocPath, what: &str, value: &str) {
    if let Err(reason) = names::dns1123_label(value) {
        findings.push(ErrorKind::Name, path, format!("{what}: {reason}"));
    }
}

/// Records a [`ErrorKind::Name`] finding at `path` unless `value` is a resource id.
fn check_resource_id(findings: &mut Findings, path: DocPath, value: &str) {
    if let Err(reason) = names::resource_id(value) {
        findings.push(ErrorKind::Name, path, reason);
    }
}

#[cfg(test)]
mod tests;
