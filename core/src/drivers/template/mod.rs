//! The `template` driver: minijinja templates rendered to YAML.

mod compiled;
mod jinja;
mod rendered;
mod scalar;
mod skeleton;
mod source;
#[cfg(test)]
mod tests;
mod variables;

/// How a plain YAML scalar reads, in the common cases (the loader's event path uses it too).
pub(crate) use self::scalar::resolve_common;

use std::fmt;

use serde_json::Value;

use self::compiled::Cache;
use self::rendered::Which;
use self::variables::{Recorder, variables};
use super::static_driver::resolve_inputs;
use super::substitution::{in_definition, substitute_tree_and_keys_in};
use super::{Driver, ProvisionRequest, Provisioned};
use crate::Result;
use crate::secrets::SecretGuard;
use crate::sensitive::{SecretValue, Sensitive};

/// The fuel of one template render unless set otherwise: about a million steps of work (or
/// 64 MB of values), far more than a definition's templates need, and well under a second.
pub const DEFAULT_FUEL: u64 = 1_000_000;

/// The built-in `template` driver.
///
/// Each of the definition's `templates.outputs`, `templates.secrets` and
/// `templates.manifests` is a minijinja template that renders to YAML: `outputs` to a mapping,
/// `secrets` to a mapping of strings or `{secretKeyRef: {name, key}}` (each becomes a
/// [`SecretValue`]), `manifests` to a list of Kubernetes objects.
///
/// - Variables: `context` (`app.id`, `env.id`, `env.type`, `res.id`, `res.type`, `res.class`,
///   `res.key` in canonical form, `res.guid`), `inputs` (`values` and `secrets` after
///   substitution; a secret literal as its text, a reference as `{secretKeyRef: {name, key}}`)
///   and `params`. `generated(name)` gives the value [`SecretSeed::generate`] derives for the
///   resource.
/// - Undefined variables are errors; blocks trim their newline and leading spaces
///   (`trim_blocks`, `lstrip_blocks`); nothing is HTML-escaped; `| tojson` quotes a value.
/// - Every render has a fuel budget ([`DEFAULT_FUEL`]): a template that loops too long is an
///   error, not a hang.
/// - A template whose YAML structure does not depend on the data (`{{ }}` only inside
///   scalars, statements only at the top) is parsed once into a skeleton; each resource then
///   renders only the holes' expressions and fills them in, with the value the full text
///   would have parsed to. Anything else, or any doubt, renders the full text and parses it:
///   the results and errors are the same either way (`docs/performance.md`).
/// - After rendering, `${...}` in the keys and strings of the parsed YAML are substituted once
///   through the request's resolver. Every key and string of `context`, `inputs` and `params`
///   reaches the template with its `$` doubled, so that this substitution gives their text
///   back instead of expanding it a second time.
/// - [`provision`](Driver::provision) returns the generated values in
///   [`Provisioned::sensitive`], so the plan registers them: a plan refuses any of them, and
///   any secret input, outside a Secret's data ([`crate::secrets`]). [`render`](Self::render)
///   also gives every sensitive value of the render; [`check_no_leak`](super::check_no_leak)
///   checks one result alone.
///
/// [`SecretSeed::generate`]: super::SecretSeed::generate
pub struct TemplateDriver {
    /// Every template source seen so far, compiled once.
    cache: Cache,
    fuel: u64,
}

/// A rendered definition and the sensitive values that went into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The outputs, secret outputs and manifests.
    pub provisioned: Provisioned,
    /// Every generated value, secret input literal and secret output value of the render,
    /// sorted and without duplicates.
    pub sensitive: Vec<Sensitive<String>>,
}

impl TemplateDriver {
    /// A template driver with [`DEFAULT_FUEL`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_fuel(DEFAULT_FUEL)
    }

    /// A template driver whose renders may each use `fuel` units of work and memory.
    #[must_use]
    pub fn with_fuel(fuel: u64) -> Self {
        Self {
            cache: Cache::new(fuel, true),
            fuel,
        }
    }

    /// A driver that always renders the full text and parses it (to compare both paths).
    #[cfg(test)]
    fn without_skeletons(fuel: u64) -> Self {
        Self {
            cache: Cache::new(fuel, false),
            fuel,
        }
    }

    /// Renders the definition's templates for `req`. An error is scrubbed of the values
    /// `generated(name)` gave during the render (the plan knows the secret inputs already).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Driver`](crate::ErrorKind::Driver) errors for template errors (syntax,
    /// undefined values, fuel), rendered text that is not YAML and results of the wrong shape,
    /// naming the definition, the template and the line;
    /// [`ErrorKind::Placeholder`](crate::ErrorKind::Placeholder) errors for `${...}` that do
    /// not resolve.
    pub fn render(&self, req: &ProvisionRequest<'_>) -> Result<Rendered> {
        let (provisioned, inputs) = self.provisioned(req)?;
        let mut sensitive = provisioned.sensitive.clone();
        sensitive.extend(inputs);
        sensitive.extend(secret_values(provisioned.secrets.values()));
        sensitive.sort_unstable();
        sensitive.dedup();
        Ok(Rendered {
            provisioned,
            sensitive,
        })
    }

    /// What [`render`](Self::render) gives a plan ([`Driver::provision`]), with the values of
    /// the literal secret inputs; errors scrubbed and named as `render`'s.
    fn provisioned(
        &self,
        req: &ProvisionRequest<'_>,
    ) -> Result<(Provisioned, Vec<Sensitive<String>>)> {
        let recorder = Recorder::default();
        self.render_unnamed(req, &recorder).map_err(|e| {
            let generated = recorder.take();
            let values = generated
                .iter()
                .map(|v| ("the template", v.expose().as_str()));
            let scrubbed = match SecretGuard::new(values) {
                Ok(guard) => guard.scrub(e),
                Err(cannot) => cannot,
            };
            in_definition(req.definition, scrubbed)
        })
    }

    fn render_unnamed(
        &self,
        req: &ProvisionRequest<'_>,
        recorder: &Recorder,
    ) -> Result<(Provisioned, Vec<Sensitive<String>>)> {
        let inputs = resolve_inputs(req)?;
        let vars = variables(req, &inputs, recorder);
        let render = |which| self.render_one(which, req, &vars);
        let mut provisioned = Provisioned {
            outputs: rendered::outputs(render(Which::Outputs)?)?,
            secrets: rendered::secrets(render(Which::Secrets)?)?,
            manifests: rendered::manifests(render(Which::Manifests)?)?,
            sensitive: recorder.take(),
        };
        provisioned.sensitive.sort_unstable();
        provisioned.sensitive.dedup();
        let inputs = secret_values(inputs.secrets.values()).collect();
        Ok((provisioned, inputs))
    }

    /// Renders one template, parses it and substitutes its placeholders; `null` when the
    /// definition has no such template.
    fn render_one(
        &self,
        which: Which,
        req: &ProvisionRequest<'_>,
        vars: &minijinja::Value,
    ) -> Result<Value> {
        let templates = req.definition.spec.templates.as_ref();
        let source = templates.and_then(|t| match which {
            Which::Outputs => t.outputs.as_deref(),
            Which::Secrets => t.secrets.as_deref(),
            Which::Manifests => t.manifests.as_deref(),
        });
        let Some(source) = source else {
            return Ok(Value::Null);
        };
        let error = |e: minijinja::Error| rendered::template_error(which, source, &e, self.fuel);
        let compiled = self.cache.get(which, source).map_err(error)?;
        let mut parsed = match compiled.fill(vars) {
            Some(parsed) => parsed,
            None => rendered::parse_yaml(which, &compiled.render(vars).map_err(error)?)?,
        };
        substitute_tree_and_keys_in(&mut parsed, req.resolver, &which.path())?;
        Ok(parsed)
    }
}

fn secret_values<'a>(
    secrets: impl Iterator<Item = &'a SecretValue>,
) -> impl Iterator<Item = Sensitive<String>> {
    secrets.filter_map(|secret| match secret {
        SecretValue::Value(value) => Some(value.clone()),
        SecretValue::Ref { .. } => None,
    })
}

impl Default for TemplateDriver {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for TemplateDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateDriver")
            .field("fuel", &self.fuel)
            .finish_non_exhaustive()
    }
}

impl Driver for TemplateDriver {
    fn runs_anywhere(&self) -> bool {
        true
    }

    fn provision(&self, req: &ProvisionRequest<'_>) -> Result<Provisioned> {
        self.provisioned(req).map(|(provisioned, _)| provisioned)
    }
}
