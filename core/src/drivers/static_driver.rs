//! The `static` driver: the outputs are the definition's inputs, after substitution.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::substitution::{in_definition, spec_path, substitute_map, substitute_string};
use super::{Driver, ProvisionRequest, Provisioned};
use crate::sensitive::SecretValue;
use crate::spec::platform::SecretInput;
use crate::{DocPath, Result};

/// The built-in `static` driver, for resources that exist already (a managed production
/// database): outputs are `inputs.values`, secret outputs are `inputs.secrets`, with every
/// `${...}` substituted once through the request's resolver. A whole-string placeholder keeps
/// its type; a literal secret becomes [`SecretValue::Value`], a `secretKeyRef` a
/// [`SecretValue::Ref`] with its `name` and `key` substituted. It creates no manifests.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaticDriver;

impl Driver for StaticDriver {
    fn provision(&self, req: &ProvisionRequest<'_>) -> Result<Provisioned> {
        let inputs = resolve_inputs(req).map_err(|e| in_definition(req.definition, e))?;
        Ok(Provisioned {
            outputs: inputs.values,
            secrets: inputs.secrets,
            manifests: Vec::new(),
        })
    }
}

/// A definition's inputs with their placeholders substituted.
pub(crate) struct ResolvedInputs {
    /// `inputs.values`.
    pub values: Map<String, Value>,
    /// `inputs.secrets`.
    pub secrets: BTreeMap<String, SecretValue>,
}

/// Substitutes the placeholders of the definition's `inputs`, once.
pub(crate) fn resolve_inputs(req: &ProvisionRequest<'_>) -> Result<ResolvedInputs> {
    let inputs = &req.definition.spec.inputs;
    let path = spec_path().key("inputs");
    let values = substitute_map(
        inputs.values.iter(),
        req.resolver,
        &path.clone().key("values"),
    )?;
    let secrets_path = path.key("secrets");
    let secrets = inputs
        .secrets
        .iter()
        .map(|(name, input)| {
            let secret = resolve_secret(input, req, &secrets_path.clone().key(name))?;
            Ok((name.clone(), secret))
        })
        .collect::<Result<_>>()?;
    Ok(ResolvedInputs { values, secrets })
}

fn resolve_secret(
    input: &SecretInput,
    req: &ProvisionRequest<'_>,
    path: &DocPath,
) -> Result<SecretValue> {
    Ok(match input {
        SecretInput::Value(text) => {
            SecretValue::value(substitute_string(text, req.resolver, path)?)
        }
        SecretInput::Ref(reference) => {
            let selector = &reference.secret_key_ref;
            let path = path.clone().key("secretKeyRef");
            SecretValue::Ref {
                name: substitute_string(&selector.name, req.resolver, &path.clone().key("name"))?,
                key: substitute_string(&selector.key, req.resolver, &path.key("key"))?,
            }
        }
    })
}
