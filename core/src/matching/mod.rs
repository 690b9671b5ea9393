//! Matching a resource request to a resource definition (DESIGN.md §4).
//!
//! A [`Request`] asks for a resource type and class, for one resource id, in one [`Context`].
//! The candidates are the definitions of that type; a criterion matches when every field it sets
//! equals the request (exact strings; `class`, `default` when unset, is a filter). Among the
//! matching criteria, definitions of the platform's own rank above built-ins, then the most
//! specific criterion wins ([`Specificity`]: `resId`, then `env`, `app`, `envType`). Equal ranks,
//! which validating a platform rules out, fall back to the smaller definition name.
//!
//! [`find`] is the fast path, used once a request while planning: it allocates nothing but the
//! winner's name. [`explain`] runs the same choice and adds the outcome of every other definition
//! of the type, with reasons; it is meant for people and tools, not for every request. A request
//! nothing matches is an [`ErrorKind::NoMatch`] error that lists every definition of the type
//! with why it does not match.
//!
//! ```
//! use goldpath::matching::{self, Request};
//! use goldpath::platform::{Context, Platform};
//!
//! let spec = |json| serde_json::from_value(json).unwrap();
//! let mut platform = Platform::default();
//! platform.add_builtin("postgres", spec(serde_json::json!(
//!     {"type": "postgres", "driver": "template", "criteria": [{}]})));
//! platform.add_builtin("postgres-prod", spec(serde_json::json!(
//!     {"type": "postgres", "driver": "static", "criteria": [{"envType": "production"}]})));
//!
//! let context = Context::new("shop", "prod-eu", "production");
//! let request = Request::new("postgres", "default", "web.db", &context);
//! let found = matching::find(&platform, &request).unwrap();
//! assert_eq!((found.name.as_str(), found.criterion), ("postgres-prod", 0));
//!
//! let explanation = matching::explain(&platform, &request).unwrap();
//! assert!(explanation.to_string().contains("is more specific: it sets envType"));
//!
//! let large = Request::new("postgres", "large", "web.db", &context);
//! let err = matching::find(&platform, &large).unwrap_err();
//! assert!(err.message().contains("none of them serves class `large`"));
//! ```

mod explain;
mod rank;
mod reason;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use explain::{Candidate, Explanation, RequestSummary, Verdict};
pub use rank::{Specificity, specificity};

use crate::platform::{Context, Platform};
use crate::{Error, ErrorKind, Location};
use rank::Contender;

/// A request for a resource: its type, class and id, in a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// The resource type (`postgres`).
    pub resource_type: &'a str,
    /// The class (`default` when the workload names none).
    pub class: &'a str,
    /// The resource id (`<workload>.<resource>` for private resources, the Score `id` for
    /// shared ones).
    pub res_id: &'a str,
    /// The application, environment and environment type.
    pub context: &'a Context,
}

impl<'a> Request<'a> {
    /// A request from its parts.
    #[must_use]
    pub fn new(
        resource_type: &'a str,
        class: &'a str,
        res_id: &'a str,
        context: &'a Context,
    ) -> Self {
        Self {
            resource_type,
            class,
            res_id,
            context,
        }
    }
}

/// The definition that matched a request, and the criterion that fired.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Match {
    /// The definition's index in [`Platform::definitions`].
    pub definition: usize,
    /// The definition's name.
    pub name: String,
    /// The index of the criterion that fired, in the definition's `criteria`.
    pub criterion: usize,
    /// Whether the definition is one of goldpath's built-ins.
    pub builtin: bool,
}

impl Match {
    fn of(winner: &Contender<'_>) -> Self {
        Self {
            definition: winner.index,
            name: winner.definition.name.clone(),
            criterion: winner.criterion,
            builtin: winner.definition.builtin,
        }
    }
}

/// The definition that serves `request`.
///
/// # Errors
///
/// [`ErrorKind::NoMatch`] when no criterion of any definition of the type matches; the message
/// names the request, lists every definition of the type with why it does not match and says
/// what to add. Its location is [`Location::default`]: the caller knows where the request was
/// written and fills it in.
pub fn find(platform: &Platform, request: &Request<'_>) -> crate::Result<Match> {
    winner(platform, request)
        .map(|w| Match::of(&w))
        .ok_or_else(|| no_match(platform, request))
}

/// The definition that serves `request`, and what became of every other definition of the type.
///
/// Costs one pass over the definitions and a reason string for each candidate: call it to show
/// a choice, not on every request of a plan ([`find`] chooses the same winner).
///
/// # Errors
///
/// As [`find`].
pub fn explain(platform: &Platform, request: &Request<'_>) -> crate::Result<Explanation> {
    let winner = winner(platform, request).ok_or_else(|| no_match(platform, request))?;
    Ok(explain::build(platform, request, &winner))
}

/// The best contender among the definitions of the requested type.
fn winner<'p>(platform: &'p Platform, request: &Request<'_>) -> Option<Contender<'p>> {
    let definitions = platform.definitions().iter().enumerate();
    definitions
        .filter(|(_, d)| d.spec.resource_type == request.resource_type)
        .filter_map(|(i, d)| Contender::of(i, d, request))
        .max_by(|a, b| a.order_key().cmp(&b.order_key()))
}

fn no_match(platform: &Platform, request: &Request<'_>) -> Error {
    let message = reason::no_match(platform, request);
    Error::new(ErrorKind::NoMatch, Location::default(), message)
}
