//! goldpath errors and panics as JavaScript `GoldpathError`s.
//!
//! The error is a JavaScript `Error` named `GoldpathError` with `kind` (`schema`, ...), `code`
//! (`GOLDPATH_SCHEMA`, ... one per `ErrorKind::ALL`, `GOLDPATH_INTERNAL` for a panic),
//! `message` (every problem, one a line), `path` (inside the document; null at its root),
//! `location` (`{file, line, column, path}`) and `diagnostics` (every problem, each in the
//! shared form of `goldpath::Diagnostic::to_json`). The package's `GoldpathError` class
//! recognises these objects with `instanceof`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use goldpath::ErrorKind;
use napi::{Env, JsValue, Status};
use serde_json::{Value, json};

/// Why a call failed: a goldpath error, or a panic caught at the boundary.
pub enum Failure {
    /// An error of the engine.
    Goldpath(goldpath::Error),
    /// A panic, with its message.
    Panic(String),
}

impl From<goldpath::Error> for Failure {
    fn from(error: goldpath::Error) -> Self {
        Self::Goldpath(error)
    }
}

/// Runs `work`, turning a panic into [`Failure::Panic`].
pub fn guarded<T>(work: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Err(Failure::Panic(message))
    })
}

impl Failure {
    /// `(kind, code, message, location, diagnostics)`: the message lists every problem, one a
    /// line; each diagnostic is [`goldpath::Diagnostic::to_json`].
    fn fields(&self) -> (String, String, String, Value, Value) {
        match self {
            Self::Goldpath(error) => {
                let diagnostics = error.diagnostics().iter().map(|d| d.to_json()).collect();
                (
                    error.kind().as_str().to_owned(),
                    error.kind().code(),
                    error.to_string(),
                    error.diagnostics()[0].to_json()["location"].clone(),
                    Value::Array(diagnostics),
                )
            }
            Self::Panic(message) => (
                "internal".to_owned(),
                "GOLDPATH_INTERNAL".to_owned(),
                format!("goldpath failed unexpectedly (a bug, please report it): {message}"),
                json!({"file": null, "line": null, "column": null, "path": ""}),
                Value::Array(Vec::new()),
            ),
        }
    }

    /// The JavaScript error object, ready to be thrown or to reject a promise.
    pub fn into_js(self, env: &Env) -> napi::Error {
        let (kind, code, message, location, diagnostics) = self.fields();
        let path = match location["path"].as_str() {
            Some("") | None => Value::Null,
            Some(path) => Value::String(path.to_owned()),
        };
        let build = || -> napi::Result<napi::Error> {
            let mut object =
                env.create_error(napi::Error::new(Status::GenericFailure, &message))?;
            object.set("name", "GoldpathError")?;
            object.set("kind", kind.as_str())?;
            object.set("code", code.as_str())?;
            object.set("path", path.clone())?;
            object.set("location", location.clone())?;
            object.set("diagnostics", diagnostics.clone())?;
            Ok(napi::Error::from(object.to_unknown()))
        };
        build().unwrap_or_else(|e| e)
    }
}

/// Every error kind as `{kind, code}`, in the order of `ErrorKind::ALL`: the package builds
/// `ERROR_CODES` from it.
#[napi_derive::napi(ts_return_type = "Array<{ kind: string; code: string }>")]
pub fn error_kinds() -> Value {
    ErrorKind::ALL
        .into_iter()
        .map(|k| json!({"kind": k.as_str(), "code": k.code()}))
        .collect()
}
