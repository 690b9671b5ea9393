//! Rules for `EnvironmentType` documents.

use serde_json::Value;

use super::{is_dns1123_label, spec_path};
use crate::ErrorKind;
use crate::spec::platform::{
    DisruptionBudget, EnvironmentTypeSpec, IntOrPercent, PodDisruptionBudget, PodSecurityLevel,
    SecurityContext, SecurityPreset,
};
use crate::validate::Findings;

/// The placeholders a namespace pattern may use.
const NAMESPACE_PLACEHOLDERS: [&str; 3] = ["context.app.id", "context.env.id", "context.env.type"];

pub(super) fn check(spec: &EnvironmentTypeSpec, findings: &mut Findings) {
    check_namespace(&spec.namespace, findings);
    check_security(spec, findings);
    if let PodDisruptionBudget::Custom(budget) = &spec.pod_disruption_budget {
        check_budget(budget, spec.replicas, findings);
    }
}

/// A namespace pattern split into its placeholder paths and a sample of what it renders to
/// (each placeholder replaced by `x`, escapes resolved).
struct NamespaceSample {
    paths: Vec<String>,
    text: String,
}

/// Scans `${...}` placeholders, `$${` (a literal `${`) and `$$` (a literal `$`).
fn scan_pattern(pattern: &str) -> Result<NamespaceSample, String> {
    let mut sample = NamespaceSample {
        paths: Vec::new(),
        text: String::new(),
    };
    let mut rest = pattern;
    while let Some(at) = rest.find('$') {
        sample.text.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("$${") {
            sample.text.push_str("${");
            rest = after;
        } else if let Some(after) = tail.strip_prefix("$$") {
            sample.text.push('$');
            rest = after;
        } else if let Some(body) = tail.strip_prefix("${") {
            let end = body.find('}').ok_or_else(|| {
                format!(
                    "the placeholder at `{tail}` has no closing `}}`: close it, or write `$${{` \
                     for a literal `${{`"
                )
            })?;
            sample.paths.push(body[..end].to_owned());
            sample.text.push('x');
            rest = &body[end + 1..];
        } else {
            sample.text.push('$');
            rest = &tail[1..];
        }
    }
    sample.text.push_str(rest);
    Ok(sample)
}

fn check_namespace(pattern: &str, findings: &mut Findings) {
    let path = spec_path("namespace");
    let sample = match scan_pattern(pattern) {
        Ok(sample) => sample,
        Err(message) => return findings.push(ErrorKind::Placeholder, path, message),
    };
    for unknown in sample
        .paths
        .iter()
        .filter(|p| !NAMESPACE_PLACEHOLDERS.contains(&p.as_str()))
    {
        findings.push(
            ErrorKind::Placeholder,
            path.clone(),
            format!(
                "`${{{unknown}}}` is not available in a namespace pattern: use \
                 `${{context.app.id}}`, `${{context.env.id}}` or `${{context.env.type}}`"
            ),
        );
    }
    if !is_dns1123_label(&sample.text) {
        findings.push(
            ErrorKind::Name,
            path,
            format!(
                "the namespace pattern `{pattern}` does not give a DNS-1123 label (with sample \
                 values it reads `{}`): around the placeholders use only lower-case letters, \
                 digits and `-`, and start and end with a letter, a digit or a placeholder",
                sample.text
            ),
        );
    }
}

/// Pods without the restricted settings are rejected by a namespace that enforces
/// `restricted`, and privileged containers by one that enforces `baseline` or `restricted`.
fn check_security(spec: &EnvironmentTypeSpec, findings: &mut Findings) {
    let Some(level) = spec.pod_security else {
        return;
    };
    let path = spec_path("securityContext");
    match &spec.security_context {
        SecurityContext::Preset(preset @ (SecurityPreset::Baseline | SecurityPreset::None))
            if level == PodSecurityLevel::Restricted =>
        {
            let preset = if *preset == SecurityPreset::None {
                "none"
            } else {
                "baseline"
            };
            findings.push(
                ErrorKind::Invalid,
                path,
                format!(
                    "`podSecurity: restricted` rejects every pod of `securityContext: {preset}`: \
                     use `securityContext: restricted` or lower `podSecurity`"
                ),
            );
        }
        SecurityContext::Explicit(explicit)
            if level != PodSecurityLevel::Privileged
                && explicit.container.get("privileged") == Some(&Value::Bool(true)) =>
        {
            findings.push(
                ErrorKind::Invalid,
                path.key("container").key("privileged"),
                "privileged containers are rejected by the namespace's Pod Security level: \
                 remove `privileged: true` or set `podSecurity: privileged`",
            );
        }
        _ => {}
    }
}

fn check_budget(budget: &DisruptionBudget, replicas: u32, findings: &mut Findings) {
    let path = spec_path("podDisruptionBudget");
    let (key, bound) = match (&budget.min_available, &budget.max_unavailable) {
        (Some(min), None) => ("minAvailable", min),
        (None, Some(max)) => ("maxUnavailable", max),
        _ => {
            return findings.push(
                ErrorKind::Invalid,
                path,
                "set exactly one of `minAvailable` and `maxUnavailable`",
            );
        }
    };
    let path = path.key(key);
    let blocks = match bound {
        IntOrPercent::Percent(text) => {
            let Some(percent) = text.strip_suffix('%').and_then(|n| n.parse::<u32>().ok()) else {
                return findings.push(
                    ErrorKind::Invalid,
                    path,
                    format!("`{text}` is not a percentage: write a number of pods or `NN%`"),
                );
            };
            if percent > 100 {
                return findings.push(
                    ErrorKind::Invalid,
                    path,
                    format!("`{text}` is more than 100%: use a percentage from 0% to 100%"),
                );
            }
            if key == "minAvailable" {
                percent == 100
            } else {
                percent == 0
            }
        }
        IntOrPercent::Count(n) if key == "minAvailable" => replicas > 0 && *n >= replicas,
        IntOrPercent::Count(n) => *n == 0,
    };
    if blocks {
        findings.push(
            ErrorKind::Invalid,
            path,
            format!(
                "with {replicas} replica(s) this budget allows no pod to be evicted, which \
                 blocks every node drain: keep `minAvailable` below the replicas, or \
                 `maxUnavailable` above 0"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_resolves_escapes_and_collects_placeholder_paths() {
        let sample = scan_pattern("${context.app.id}-$$-$${x}-${ context.env.id}").unwrap();
        assert_eq!(sample.paths, ["context.app.id", " context.env.id"]);
        assert_eq!(sample.text, "x-$-${x}-x");
        assert_eq!(scan_pattern("a$b").unwrap().text, "a$b");
        assert!(scan_pattern("ns-${context.app.id").is_err());
    }
}
