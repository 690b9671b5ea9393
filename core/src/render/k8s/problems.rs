//! The problems found while rendering, collected so that one run reports all of them.

use crate::{Diagnostic, DocPath, Error, ErrorKind, Location};

/// Problems found so far, in the order found.
#[derive(Debug, Default)]
pub(super) struct Problems(Vec<Diagnostic>);

impl Problems {
    /// Records a problem at `path` (a path in the Score workload, or the root).
    pub(super) fn push(&mut self, kind: ErrorKind, path: DocPath, message: impl Into<String>) {
        self.0.push(Diagnostic {
            kind,
            location: Location::default().with_path(path),
            message: message.into(),
        });
    }

    /// Records every problem of `error`.
    pub(super) fn push_error(&mut self, error: Error) {
        self.0.extend(error.into_diagnostics());
    }

    /// The value of `result`, or `None` with its error recorded.
    pub(super) fn take<T>(&mut self, result: crate::Result<T>) -> Option<T> {
        result.map_err(|e| self.push_error(e)).ok()
    }

    /// Records the error of `result`, if any, prefixed with what it is about
    /// (`Deployment \`web\`, metadata.labels`).
    /// `about` is only written out when there is a problem (see [`about`]).
    pub(super) fn check(
        &mut self,
        kind: ErrorKind,
        about: impl std::fmt::Display,
        result: Result<(), String>,
    ) {
        if let Err(message) = result {
            self.push(kind, DocPath::root(), format!("{about}: {message}"));
        }
    }

    /// `Ok(value)` when nothing was found, otherwise every problem as one error.
    pub(super) fn finish<T>(self, value: T) -> crate::Result<T> {
        match Error::from_diagnostics(self.0) {
            None => Ok(value),
            Some(error) => Err(error),
        }
    }
}

/// An error with one problem at `path`.
pub(super) fn error(kind: ErrorKind, path: DocPath, message: impl Into<String>) -> Error {
    Error::new(kind, Location::default().with_path(path), message)
}

/// What a problem is about, written by `write` only when a message is made: the objects of a
/// plan are checked by the thousand and nearly all pass, so no text is made for them.
pub(super) fn about<F>(write: F) -> About<F>
where
    F: Fn(&mut std::fmt::Formatter<'_>) -> std::fmt::Result,
{
    About(write)
}

/// See [`about`].
pub(super) struct About<F>(F);

impl<F> std::fmt::Display for About<F>
where
    F: Fn(&mut std::fmt::Formatter<'_>) -> std::fmt::Result,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (self.0)(f)
    }
}
