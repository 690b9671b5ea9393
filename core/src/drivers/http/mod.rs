//! The `http` driver: a provisioning service answers, in the protocol of Humanitec's custom
//! drivers.
//!
//! `inputs.values.url` is the driver's base URL; provisioning is `PUT {url}/{guid}` with
//! `{"type", "resource": {params...}, "driver": {"values", "secrets"}}`, answered by
//! `{"id", "type", "resource": {"values", "secrets"}, "manifests": [{"location", "data"}]}`
//! (the `data` of each manifest is a Kubernetes object); deprovisioning is
//! `DELETE {url}/{guid}` (200, 204 and 404 are success). `inputs.secrets.token`, when set, is
//! sent as `Authorization: Bearer TOKEN`. The driver's state travels opaquely, byte for byte:
//! goldpath sends the last one in `Humanitec-Driver-Cookie` and keeps the one the service sets
//! in `Set-Humanitec-Driver-Cookie` (as a JSON string). Connection errors and 5xx answers are
//! retried ([`ATTEMPTS`] attempts, with backoff); redirects are never followed; answers are
//! capped at [`MAX_ANSWER_BYTES`]; `inputs.values.timeout` (seconds, default 60) bounds each
//! attempt. HTTPS uses rustls.

use std::time::Duration;

use serde_json::{Map, Value, json};

use super::world::{Action, Answer, Call, WorldDriver};
use crate::Result;

/// The name of the `http` driver.
pub const HTTP_DRIVER: &str = "http";

/// How many times a request is tried when the connection fails or the service answers 5xx.
pub const ATTEMPTS: u32 = 3;

/// The most bytes read from an answer.
pub const MAX_ANSWER_BYTES: u64 = 4 * 1024 * 1024;

/// The header that carries the state to the service.
pub const COOKIE_HEADER: &str = "Humanitec-Driver-Cookie";

/// The header in which the service returns the new state.
pub const SET_COOKIE_HEADER: &str = "Set-Humanitec-Driver-Cookie";

/// The `http` driver (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct HttpDriver;

impl WorldDriver for HttpDriver {
    fn call(&self, call: &Call<'_>) -> Result<Answer> {
        let url = url(call)?;
        let agent = agent(call.timeout()?);
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200 * 2u64.pow(attempt - 1)));
            }
            match send(&agent, call, &url) {
                Ok(Sent::Done(answer)) => return Ok(answer),
                Ok(Sent::Retry(why)) => last = why,
                Err(message) => return Err(call.error(message)),
            }
        }
        Err(call.error(format!(
            "{} gave up after {ATTEMPTS} attempts: {last}",
            redacted_url(&url)
        )))
    }
}

/// The outcome of one attempt.
enum Sent {
    Done(Answer),
    Retry(String),
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into()
}

/// `{url}/{guid}`.
fn url(call: &Call<'_>) -> Result<String> {
    let Some(base) = call.value("url").and_then(Value::as_str) else {
        return Err(call.error("`inputs.values.url` must be the driver's URL (text)".to_owned()));
    };
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(
            call.error("`inputs.values.url` must start with http:// or https://".to_owned())
        );
    }
    Ok(format!("{}/{}", base.trim_end_matches('/'), call.guid))
}

/// The URL as messages show it: without user information or query.
fn redacted_url(url: &str) -> String {
    let without_query = url.split(['?', '#']).next().unwrap_or(url);
    match without_query.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((_, host)) => format!("{scheme}://***@{host}"),
            None => without_query.to_owned(),
        },
        None => without_query.to_owned(),
    }
}

fn send(agent: &ureq::Agent, call: &Call<'_>, url: &str) -> std::result::Result<Sent, String> {
    let response = match call.action {
        Action::Provision => {
            let body = json!({
                "type": call.key.resource_type(),
                "resource": call.params,
                "driver": {"values": call.values, "secrets": call.secrets},
            });
            with_headers(agent.put(url), call)
                .header("Content-Type", "application/json")
                .send(body.to_string().as_bytes())
        }
        Action::Deprovision => with_headers(agent.delete(url), call).call(),
    };
    let shown = redacted_url(url);
    let mut response = match response {
        Ok(response) => response,
        Err(e) => return Ok(Sent::Retry(format!("{shown}: {}", describe(&e)))),
    };
    let status = response.status().as_u16();
    if status >= 500 {
        return Ok(Sent::Retry(format!("{shown} answered {status}")));
    }
    if (300..400).contains(&status) {
        return Err(format!(
            "{shown} answered {status} (a redirect): goldpath follows no redirects; give the final URL in `inputs.values.url`"
        ));
    }
    let cookie = response
        .headers()
        .get(SET_COOKIE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER_BYTES)
        .read_to_string()
        .map_err(|e| format!("{shown}: cannot read the answer: {}", describe(&e)))?;
    if call.action == Action::Deprovision {
        return match status {
            200 | 202 | 204 | 404 => Ok(Sent::Done(Answer::default())),
            other => Err(format!("{shown} answered {other} to DELETE")),
        };
    }
    if status != 200 && status != 201 {
        return Err(format!("{shown} answered {status} to PUT"));
    }
    let value: Value = serde_json::from_str(&body)
        .map_err(|_| format!("{shown} answered something that is not JSON"))?;
    let mut answer =
        Answer::from_json(humanitec_answer(value)?).map_err(|e| e.message().to_owned())?;
    answer.state = cookie.map(Value::String).or_else(|| call.state.cloned());
    Ok(Sent::Done(answer))
}

fn with_headers<B>(request: ureq::RequestBuilder<B>, call: &Call<'_>) -> ureq::RequestBuilder<B> {
    let mut request = request.header("Accept", "application/json");
    if let Some(token) = call.secrets.get("token").and_then(Value::as_str) {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    if let Some(state) = call.state {
        let text = match state {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        request = request.header(COOKIE_HEADER, text);
    }
    request
}

/// A client error as a message: its kind, never the request (which may hold the token).
fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timed out".to_owned(),
        ureq::Error::Io(e) => format!("connection failed ({})", e.kind()),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::BodyExceedsLimit(_) => {
            format!("the answer is larger than {MAX_ANSWER_BYTES} bytes")
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => "TLS failed".to_owned(),
        _ => "the request failed".to_owned(),
    }
}

/// A Humanitec answer `{id, type, resource: {values, secrets}, manifests: [{location,
/// data}]}` in goldpath's shape.
fn humanitec_answer(value: Value) -> std::result::Result<Value, String> {
    let resource = value.get("resource").cloned().unwrap_or_else(|| json!({}));
    let manifests = match value.get("manifests") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|m| {
                m.get("data")
                    .cloned()
                    .ok_or("each of `manifests` must have `data`")
            })
            .collect::<std::result::Result<Vec<_>, _>>()?,
        Some(_) => return Err("`manifests` must be a list".to_owned()),
    };
    let mut out = Map::new();
    for name in ["values", "secrets"] {
        if let Some(v) = resource.get(name) {
            let to = if name == "values" {
                "outputs"
            } else {
                "secrets"
            };
            out.insert(to.to_owned(), v.clone());
        }
    }
    out.insert("manifests".to_owned(), Value::Array(manifests));
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_hide_credentials_and_queries() {
        assert_eq!(redacted_url("https://u:p@h/x?t=1"), "https://***@h/x");
        assert_eq!(redacted_url("http://h:8080/d/g"), "http://h:8080/d/g");
    }

    #[test]
    fn humanitec_answers_become_outputs_secrets_and_manifests() {
        let value = json!({"id": "g", "type": "dns", "resource": {"values": {"host": "h"}, "secrets": {"k": "v"}},
                           "manifests": [{"location": "namespace", "data": {"kind": "ConfigMap"}}]});
        assert_eq!(
            humanitec_answer(value).unwrap(),
            json!({"outputs": {"host": "h"}, "secrets": {"k": "v"}, "manifests": [{"kind": "ConfigMap"}]})
        );
    }
}
