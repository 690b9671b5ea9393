//! What a record keeps of a Secret: the digest of each value, never the value.

use serde_json::Value;

use crate::deploy::digest::sha256_hex;

/// What a secret value is replaced by in a record: `sha256:` and the hex digest of the value.
pub const SECRET_DIGEST_PREFIX: &str = "sha256:";

/// The manifest with the value of every entry of a Secret's `data` and `stringData` replaced
/// by its digest ([`SECRET_DIGEST_PREFIX`]).
#[must_use]
pub fn redact_secrets(manifest: &Value) -> Value {
    let mut out = manifest.clone();
    if !is_secret(&out) {
        return out;
    }
    for field in ["data", "stringData"] {
        if let Some(Value::Object(entries)) = out.get_mut(field) {
            for value in entries.values_mut() {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                *value = Value::String(format!(
                    "{SECRET_DIGEST_PREFIX}{}",
                    sha256_hex(text.as_bytes())
                ));
            }
        }
    }
    out
}

/// Whether `manifest` is a Kubernetes Secret: the same test as the plan's secret check.
pub(crate) fn is_secret(manifest: &Value) -> bool {
    crate::secrets::is_secret_object(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_by_digests_and_nothing_else_is() {
        let secret = serde_json::json!({
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"password": "aHVudGVyMg=="}, "stringData": {"user": "admin"}
        });
        let redacted = redact_secrets(&secret);
        assert_eq!(
            redacted["data"]["password"],
            format!("sha256:{}", sha256_hex(b"aHVudGVyMg=="))
        );
        assert!(
            redacted["stringData"]["user"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
        assert_eq!(redacted["metadata"], secret["metadata"]);
        let config =
            serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}});
        assert_eq!(redact_secrets(&config), config);
    }
}
