//! goldpath errors and panics as JavaScript `GoldpathError`s.
//!
//! The error is a JavaScript `Error` named `GoldpathError` with `code` (`GOLDPATH_SCHEMA`, ...
//! one per `ErrorKind`, `GOLDPATH_INTERNAL` for a panic), `path` (inside the document),
//! `location` (`{file, line, column, path}`) and `diagnostics` (every problem). The package's
//! `GoldpathError` class recognises these objects with `instanceof`.

use std::panic::{AssertUnwindSafe, catch_unwind};

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

/// The `code` of an error kind: `GOLDPATH_` and the kind in upper snake case.
fn code(kind: goldpath::ErrorKind) -> String {
    format!(
        "GOLDPATH_{}",
        kind.as_str().replace('-', "_").to_ascii_uppercase()
    )
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
    fn fields(&self) -> (String, String, Value, Value) {
        match self {
            Self::Goldpath(error) => {
                let diagnostics: Vec<Value> = error
                    .diagnostics()
                    .iter()
                    .map(|d| json!({"code": code(d.kind), "message": d.message, "location": location(&d.location)}))
                    .collect();
                (
                    code(error.kind()),
                    error.to_string(),
                    location(error.location()),
                    Value::Array(diagnostics),
                )
            }
            Self::Panic(message) => (
                "GOLDPATH_INTERNAL".to_owned(),
                format!("goldpath failed unexpectedly (a bug, please report it): {message}"),
                location(&goldpath::Location::default()),
                Value::Array(Vec::new()),
            ),
        }
    }

    /// The JavaScript error object, ready to be thrown or to reject a promise.
    pub fn into_js(self, env: &Env) -> napi::Error {
        let (code, message, location, diagnostics) = self.fields();
        let build = || -> napi::Result<napi::Error> {
            let mut object =
                env.create_error(napi::Error::new(Status::GenericFailure, &message))?;
            object.set("name", "GoldpathError")?;
            object.set("code", code.as_str())?;
            object.set("path", location["path"].clone())?;
            object.set("location", location.clone())?;
            object.set("diagnostics", diagnostics.clone())?;
            Ok(napi::Error::from(object.to_unknown()))
        };
        build().unwrap_or_else(|e| e)
    }
}

fn location(location: &goldpath::Location) -> Value {
    json!({
        "file": location.file, "line": location.line, "column": location.column,
        "path": location.path.to_string(),
    })
}
