//! `explain`: the winner of a request and the outcome of every other definition of its type.

use std::fmt;

use serde::Serialize;

use super::rank::Contender;
use super::{Match, Request, reason};
use crate::platform::{Definition, Platform};

/// Why a definition matched a request, and what became of every definition of its type.
///
/// Serialises to JSON for the CLI and the bindings; displays as one header line and one line a
/// candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// The request explained.
    pub request: RequestSummary,
    /// The winning definition.
    pub winner: Match,
    /// Every definition of the requested type, in platform order, the winner included.
    pub candidates: Vec<Candidate>,
}

/// A request, owned, for an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestSummary {
    /// The requested resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The requested class.
    pub class: String,
    /// The resource id.
    pub res_id: String,
    /// The application id.
    pub app: String,
    /// The environment id.
    pub env: String,
    /// The environment type.
    pub env_type: String,
}

impl From<&Request<'_>> for RequestSummary {
    fn from(request: &Request<'_>) -> Self {
        Self {
            resource_type: request.resource_type.to_owned(),
            class: request.class.to_owned(),
            res_id: request.res_id.to_owned(),
            app: request.context.app.clone(),
            env: request.context.env.clone(),
            env_type: request.context.env_type.clone(),
        }
    }
}

/// One definition of the requested type and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// Its index in [`Platform::definitions`].
    pub definition: usize,
    /// Its name.
    pub name: String,
    /// Whether it is one of goldpath's built-ins.
    pub builtin: bool,
    /// Its outcome.
    pub verdict: Verdict,
}

impl Candidate {
    fn of(index: usize, definition: &Definition, verdict: Verdict) -> Self {
        Self {
            definition: index,
            name: definition.name.clone(),
            builtin: definition.builtin,
            verdict,
        }
    }
}

/// The outcome of one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Verdict {
    /// It won with this criterion.
    Won {
        /// The index of the criterion that fired.
        criterion: usize,
        /// Which criterion fired and what it ranked above.
        reason: String,
    },
    /// It matched with this criterion but ranked below the winner.
    Outranked {
        /// The index of its best matching criterion.
        criterion: usize,
        /// The winner's name.
        by: String,
        /// The two criteria compared, and the field or rule that decided.
        reason: String,
    },
    /// None of its criteria matches.
    NoMatch {
        /// Every criterion with the fields that differ from the request.
        reason: String,
    },
}

impl Verdict {
    /// The reason, whatever the outcome.
    #[must_use]
    pub fn reason(&self) -> &str {
        match self {
            Self::Won { reason, .. }
            | Self::Outranked { reason, .. }
            | Self::NoMatch { reason } => reason,
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::Won { .. } => "won",
            Self::Outranked { .. } => "lost",
            Self::NoMatch { .. } => "no match",
        }
    }
}

/// Builds the explanation of `request`, whose winner is `winner`.
pub(super) fn build(
    platform: &Platform,
    request: &Request<'_>,
    winner: &Contender<'_>,
) -> Explanation {
    let of_type = (platform.definitions().iter().enumerate())
        .filter(|(_, d)| d.spec.resource_type == request.resource_type);
    let contenders: Vec<(usize, Option<Contender<'_>>)> = of_type
        .map(|(i, d)| (i, Contender::of(i, d, request)))
        .collect();
    let others_matching = contenders
        .iter()
        .filter(|(_, c)| c.is_some())
        .count()
        .saturating_sub(1);
    let candidates = contenders
        .into_iter()
        .map(|(index, contender)| {
            let definition = &platform.definitions()[index];
            let verdict = match contender {
                Some(c) if c.index == winner.index => Verdict::Won {
                    criterion: c.criterion,
                    reason: reason::won(winner, others_matching),
                },
                Some(c) => Verdict::Outranked {
                    criterion: c.criterion,
                    by: winner.definition.name.clone(),
                    reason: reason::outranked(&c, winner),
                },
                None => Verdict::NoMatch {
                    reason: reason::mismatch(definition, request),
                },
            };
            Candidate::of(index, definition, verdict)
        })
        .collect();
    Explanation {
        request: RequestSummary::from(request),
        winner: Match::of(winner),
        candidates,
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.request;
        let parts = [r.resource_type.as_str(), &r.class, &r.res_id];
        reason::write_request(f, parts, [&r.app, &r.env, &r.env_type])?;
        let winner = &self.winner;
        write!(f, ": `{}` (criterion [{}])", winner.name, winner.criterion)?;
        for candidate in &self.candidates {
            let builtin = if candidate.builtin { " (built-in)" } else { "" };
            let verdict = &candidate.verdict;
            write!(
                f,
                "\n  {:<8} `{}`{builtin}: {}",
                verdict.label(),
                candidate.name,
                verdict.reason()
            )?;
        }
        Ok(())
    }
}
