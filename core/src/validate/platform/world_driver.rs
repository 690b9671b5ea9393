//! Rules for definitions of the drivers that act on the world (`cmd`, `http`): what they
//! need is checked when the platform is loaded, not when a deploy first calls them.

use serde_json::Value;

use super::spec_path;
use crate::ErrorKind;
use crate::spec::platform::ResourceDefinitionSpec;
use crate::validate::Findings;

/// Checks `inputs.values` of a `cmd` or `http` definition.
pub(super) fn check(spec: &ResourceDefinitionSpec, findings: &mut Findings) {
    let values = &spec.inputs.values;
    let at = |name: &str| spec_path("inputs").key("values").key(name);
    if spec.templates.is_some() {
        findings.push(
            ErrorKind::Invalid,
            spec_path("templates"),
            format!(
                "the `{}` driver renders no templates: its program or service returns the outputs",
                spec.driver
            ),
        );
    }
    if let Some(timeout) = values.get("timeout") {
        let ok = timeout.as_f64().is_some_and(|s| s > 0.0 && s <= 86_400.0);
        if !ok {
            findings.push(
                ErrorKind::Invalid,
                at("timeout"),
                "`timeout` is a number of seconds between 0 and 86400",
            );
        }
    }
    match spec.driver.as_str() {
        "cmd" => check_command(values.get("command"), findings, at("command")),
        "http" => check_url(values.get("url"), findings, at("url")),
        _ => {}
    }
}

fn check_command(command: Option<&Value>, findings: &mut Findings, path: crate::DocPath) {
    let ok = command.and_then(Value::as_array).is_some_and(|words| {
        words
            .first()
            .and_then(Value::as_str)
            .is_some_and(|p| !p.is_empty())
            && words.iter().all(Value::is_string)
    });
    if !ok {
        findings.push(
            ErrorKind::Invalid,
            path,
            "the `cmd` driver needs `inputs.values.command: [PROGRAM, ARG...]`, a list of texts \
             (the program runs without a shell)",
        );
    }
}

fn check_url(url: Option<&Value>, findings: &mut Findings, path: crate::DocPath) {
    let ok = url
        .and_then(Value::as_str)
        .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"));
    if !ok {
        findings.push(
            ErrorKind::Invalid,
            path,
            "the `http` driver needs `inputs.values.url`, the driver's http:// or https:// URL",
        );
    }
}
