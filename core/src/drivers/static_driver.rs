//! The `static` driver: the outputs are the definition's inputs, after substitution.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use std::cell::Cell;

use super::host::secret_ref;
use super::substitution::{
    in_definition, spec_path, substitute_map, substitute_string, substitute_text,
};
use super::{Driver, ProvisionRequest, Provisioned};
use crate::placeholder::{Reference, Resolver, canonical_json};
use crate::sensitive::SecretValue;
use crate::spec::platform::SecretInput;
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// The built-in `static` driver, for resources that exist already (a managed production
/// database): outputs are `inputs.values`, secret outputs are `inputs.secrets`, with every
/// `${...}` substituted once through the request's resolver. A whole-string placeholder keeps
/// its type; a literal secret becomes [`SecretValue::Value`], a `secretKeyRef` a
/// [`SecretValue::Ref`] with its `name` and `key` substituted, and a secret input that is
/// exactly another resource's secret output (`${resources.db.outputs.password}`) stays a
/// [`SecretValue::Ref`] to it. It creates no manifests.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaticDriver;

impl Driver for StaticDriver {
    fn runs_anywhere(&self) -> bool {
        true
    }

    fn provision(&self, req: &ProvisionRequest<'_>) -> Result<Provisioned> {
        let inputs = resolve_inputs(req).map_err(|e| in_definition(req.definition, e))?;
        Ok(Provisioned {
            outputs: inputs.values,
            secrets: inputs.secrets,
            ..Provisioned::default()
        })
    }
}

/// A secret input written as text. A text that is exactly one placeholder naming a secret
/// output (`${resources.db.outputs.password}`) stays that reference; a secret output inside a
/// longer text is refused, since its value is not known here.
fn literal_secret(text: &str, req: &ProvisionRequest<'_>, path: &DocPath) -> Result<SecretValue> {
    let watch = Watch {
        inner: req.resolver,
        saw_reference: Cell::new(false),
    };
    let value = substitute_text(text, &watch, path)?;
    if let Some(reference) = value.as_object().and_then(secret_ref) {
        return Ok(reference);
    }
    if watch.saw_reference.get() {
        return Err(Error::new(
            ErrorKind::Invalid,
            Location::default().with_path(path.clone()),
            "a secret output is passed on only whole, as the secret input's entire value \
             (`NAME: ${resources.TYPE.outputs.SECRET}`); to build a text from it, make a \
             template definition that renders the text into a Secret",
        ));
    }
    Ok(SecretValue::value(match value {
        Value::String(text) => text,
        other => canonical_json(&other),
    }))
}

/// A resolver that notes whether a placeholder resolved to a reference to a Secret key.
struct Watch<'a> {
    inner: &'a dyn Resolver,
    saw_reference: Cell<bool>,
}

impl Resolver for Watch<'_> {
    fn resolve(&self, reference: &Reference) -> std::result::Result<Value, String> {
        let value = self.inner.resolve(reference)?;
        if value.as_object().and_then(secret_ref).is_some() {
            self.saw_reference.set(true);
        }
        Ok(value)
    }

    fn max_value_bytes(&self) -> usize {
        self.inner.max_value_bytes()
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
        SecretInput::Value(text) => literal_secret(text, req, path)?,
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
