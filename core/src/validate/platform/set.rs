//! Rules across the documents of one platform.

use std::collections::{BTreeMap, BTreeSet};

use super::resource_definition::criterion_path;
use super::spec_path;
use crate::spec::platform::{Criterion, PlatformDocument, PlatformKind};
use crate::validate::Finding;
use crate::{DocPath, ErrorKind};

pub(super) fn check(docs: &[PlatformDocument]) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    duplicate_names(docs, &mut out);
    identical_criteria(docs, &mut out);
    unknown_env_types(docs, &mut out);
    out
}

fn finding(kind: ErrorKind, path: DocPath, message: String) -> Finding {
    Finding {
        kind,
        path,
        message,
    }
}

/// Names are unique per kind; environment names are unique per application.
fn duplicate_names(docs: &[PlatformDocument], out: &mut Vec<(usize, Finding)>) {
    let mut seen: BTreeMap<(PlatformKind, Option<&str>, &str), usize> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let app = match doc {
            PlatformDocument::Environment(env) => Some(env.spec.app.as_str()),
            _ => None,
        };
        let Some(&first) = seen.get(&(doc.kind(), app, doc.name())) else {
            seen.insert((doc.kind(), app, doc.name()), i);
            continue;
        };
        let owner = app
            .map(|a| format!(" of application `{a}`"))
            .unwrap_or_default();
        let message = format!(
            "the {} `{}`{owner} is defined twice (documents {} and {}): rename or remove one",
            doc.kind(),
            doc.name(),
            first + 1,
            i + 1
        );
        out.push((
            i,
            finding(
                ErrorKind::Invalid,
                DocPath::root().key("metadata").key("name"),
                message,
            ),
        ));
    }
}

/// Two definitions of one type with an identical criterion leave matching no way to choose.
fn identical_criteria(docs: &[PlatformDocument], out: &mut Vec<(usize, Finding)>) {
    let mut seen: BTreeMap<(&str, &Criterion), (usize, usize)> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let PlatformDocument::ResourceDefinition(def) = doc else {
            continue;
        };
        let resource_type = def.spec.resource_type.as_str();
        for (j, criterion) in def.spec.criteria.iter().enumerate() {
            let Some(&(first, k)) = seen.get(&(resource_type, criterion)) else {
                seen.insert((resource_type, criterion), (i, j));
                continue;
            };
            if first == i {
                continue; // a repeat inside one definition is `validate_document`'s finding
            }
            let message = format!(
                "criterion {} of `{}` is identical to criterion [{k}] of `{}`, both for type \
                 `{resource_type}`: matching could not choose between the two definitions; \
                 make one criterion more specific or remove it",
                criterion,
                def.metadata.name,
                docs[first].name(),
            );
            out.push((i, finding(ErrorKind::Invalid, criterion_path(j), message)));
        }
    }
}

/// References to environment types must name an `EnvironmentType` of the set.
fn unknown_env_types(docs: &[PlatformDocument], out: &mut Vec<(usize, Finding)>) {
    let known: BTreeSet<&str> = docs
        .iter()
        .filter(|d| d.kind() == PlatformKind::EnvironmentType)
        .map(PlatformDocument::name)
        .collect();
    let listing = if known.is_empty() {
        "the platform defines no EnvironmentType".to_owned()
    } else {
        let names: Vec<_> = known.iter().map(|n| format!("`{n}`")).collect();
        format!("the platform defines {}", names.join(", "))
    };
    for (i, doc) in docs.iter().enumerate() {
        for (path, name) in env_type_references(doc) {
            if !known.contains(name) {
                let message = format!(
                    "the environment type `{name}` does not exist ({listing}): fix the name or \
                     add the EnvironmentType"
                );
                out.push((i, finding(ErrorKind::Invalid, path, message)));
            }
        }
    }
}

/// Every place a document names an environment type, with its path.
fn env_type_references(doc: &PlatformDocument) -> Vec<(DocPath, &str)> {
    match doc {
        PlatformDocument::Environment(env) => vec![(spec_path("type"), env.spec.env_type.as_str())],
        PlatformDocument::Policy(policy) => (policy.spec.env_types.iter().enumerate())
            .map(|(i, t)| (spec_path("envTypes").index(i), t.as_str()))
            .collect(),
        PlatformDocument::ResourceDefinition(def) => (def.spec.criteria.iter().enumerate())
            .filter_map(|(i, c)| Some((criterion_path(i).key("envType"), c.env_type.as_deref()?)))
            .collect(),
        PlatformDocument::RoleBinding(binding) => (binding.spec.scope.env_type.as_deref())
            .map(|t| (spec_path("scope").key("envType"), t))
            .into_iter()
            .collect(),
        PlatformDocument::EnvironmentType(_) => Vec::new(),
    }
}
