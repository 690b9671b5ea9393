//! The secret check of one driver result, for drivers and their tests: the plan's own check
//! ([`crate::secrets::SecretGuard`]) applied to a [`Provisioned`] alone.

use super::Provisioned;
use crate::secrets::SecretGuard;
use crate::sensitive::{SecretValue, Sensitive};
use crate::{DocPath, Error, Result};

/// Shorter sensitive values are not looked for: they would match ordinary text by chance.
pub const MIN_LEAK_CHARS: usize = crate::secrets::MIN_SECRET_CHARS;

/// Refuses a provisioned resource that shows a sensitive value where it is not secret.
///
/// The values looked for are `sensitive`, [`Provisioned::sensitive`] and the
/// [`SecretValue::Value`]s of `provisioned.secrets`, as a plan looks for them (see
/// [`crate::secrets`]: runs of 8 characters in any case, reversed, base64; values of
/// [`MIN_LEAK_CHARS`] to 7 characters as whole strings). They may appear only in the `data` and
/// `stringData` of `v1` Secrets (and in the secret outputs); found inside any output, any other
/// manifest, or the metadata of a Secret (keys included), they are an error. A key that holds
/// one is shown as `***` in paths. A plan runs this check on its whole output
/// ([`crate::plan::Engine::plan`]); drivers need not call it.
///
/// ```
/// use goldpath::drivers::{check_no_leak, Provisioned};
/// use goldpath::sensitive::Sensitive;
/// use serde_json::json;
///
/// let password = Sensitive::new("Zx81dTq0Lm2P".to_string());
/// let mut provisioned = Provisioned::default();
/// provisioned.manifests.push(json!({
///     "kind": "ConfigMap", "metadata": {"name": "db"}, "data": {"url": "pg://u:ZX81DTQ0LM2P@db"},
/// }));
/// let err = check_no_leak(&provisioned, &[password]).unwrap_err();
/// assert!(err.message().contains("manifest 0 (ConfigMap `db`) at `manifests[0].data.url`"));
/// assert!(!err.to_string().to_lowercase().contains("zx81dtq0lm2p"));
/// ```
///
/// # Errors
///
/// An [`ErrorKind::Driver`](crate::ErrorKind::Driver) error with one diagnostic per place a
/// value was found; messages name the output or the manifest and the path, never the value.
pub fn check_no_leak(provisioned: &Provisioned, sensitive: &[Sensitive<String>]) -> Result<()> {
    const OWNER: &str = "the driver's result";
    let secret_outputs = provisioned
        .secrets
        .values()
        .filter_map(|secret| match secret {
            SecretValue::Value(value) => Some(value),
            SecretValue::Ref { .. } => None,
        });
    let values = sensitive
        .iter()
        .chain(&provisioned.sensitive)
        .chain(secret_outputs)
        .map(|value| (OWNER, value.expose().as_str()));
    let guard = SecretGuard::new(values)?;
    let mut errors = Vec::new();
    errors.extend(
        guard
            .check_outputs(&provisioned.outputs, "the outputs (outputs are not secret)")
            .err(),
    );
    for (index, manifest) in provisioned.manifests.iter().enumerate() {
        let what = format!("manifest {index} ({})", guard.describe(manifest));
        let base = DocPath::root().key("manifests").index(index);
        errors.extend(guard.check_object_at(manifest, &what, &base).err());
    }
    Error::join(errors).map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use serde_json::{Value, json};

    const PASSWORD: &str = "Zx81dTq0Lm2PaaQ";

    fn sensitive() -> Vec<Sensitive<String>> {
        vec![
            Sensitive::new(PASSWORD.to_owned()),
            Sensitive::new("abc".to_owned()),
        ]
    }

    fn with_manifest(manifest: Value) -> Provisioned {
        Provisioned {
            manifests: vec![manifest],
            ..Provisioned::default()
        }
    }

    #[test]
    fn secret_data_may_hold_the_value_but_secret_metadata_may_not() {
        let ok = with_manifest(json!({
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
            "stringData": {"password": PASSWORD}, "data": {"x": PASSWORD},
        }));
        assert_eq!(check_no_leak(&ok, &sensitive()), Ok(()));
        let bad = with_manifest(json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "db", "annotations": {"p": PASSWORD}},
        }));
        let err = check_no_leak(&bad, &sensitive()).unwrap_err();
        assert_eq!(
            err.location().path.to_string(),
            "manifests[0].metadata.annotations.p"
        );
        assert!(err.message().contains("Secret `db`"), "{err}");
        let other_api = with_manifest(json!({
            "apiVersion": "example.com/v1", "kind": "Secret", "metadata": {"name": "db"},
            "data": {"x": PASSWORD},
        }));
        assert!(check_no_leak(&other_api, &sensitive()).is_err());
    }

    #[test]
    fn outputs_keys_and_numbers_are_searched_and_every_leak_reported() {
        let mut provisioned =
            with_manifest(json!({"kind": "Deployment", "spec": {"x": [{PASSWORD: 1}]}}));
        provisioned
            .outputs
            .insert("url".into(), json!(format!("pg://u:{PASSWORD}@h")));
        provisioned
            .outputs
            .insert("pin".into(), json!(9_481_516_234_u64));
        let err =
            check_no_leak(&provisioned, &[Sensitive::new("48151623".to_owned())]).unwrap_err();
        assert_eq!(err.diagnostics().len(), 1);
        assert_eq!(err.location().path.to_string(), "outputs.pin");
        let err = check_no_leak(&provisioned, &sensitive()).unwrap_err();
        assert_eq!(err.diagnostics().len(), 2);
        assert_eq!(err.kind(), ErrorKind::Driver);
        assert!(
            err.to_string().contains("manifest 0 (Deployment) at"),
            "{err}"
        );
        assert!(!err.to_string().contains(PASSWORD), "{err}");
        assert!(err.to_string().contains(r#"x[0]["***"]"#), "{err}");
    }

    #[test]
    fn an_output_named_by_the_value_is_not_named() {
        let mut provisioned = Provisioned::default();
        provisioned
            .outputs
            .insert(format!("k{PASSWORD}"), json!({"inner": 1}));
        let err = check_no_leak(&provisioned, &sensitive()).unwrap_err();
        assert!(!err.to_string().contains(PASSWORD), "{err}");
        assert_eq!(err.location().path.to_string(), r#"outputs["***"]"#);
    }

    #[test]
    fn short_values_are_matched_whole_and_secret_outputs_are_looked_for() {
        let mut provisioned = Provisioned::default();
        provisioned.outputs.insert("word".into(), json!("abcdef"));
        assert_eq!(check_no_leak(&provisioned, &sensitive()), Ok(()));
        provisioned
            .secrets
            .insert("key".into(), SecretValue::value("bcde"));
        assert_eq!(check_no_leak(&provisioned, &[]), Ok(()));
        provisioned.outputs.insert("same".into(), json!("bcde"));
        let err = check_no_leak(&provisioned, &[]).unwrap_err();
        assert_eq!(err.location().path.to_string(), "outputs.same");
    }
}
