//! How specific a criterion is, and how two matching criteria compare (DESIGN.md §4, rule 2).

use std::cmp::Reverse;

use serde::Serialize;

use super::Request;
use crate::platform::Definition;
use crate::spec::platform::Criterion;

/// Which of the ranking fields a criterion sets, in rank order: `resId`, `env`, `app`,
/// `envType`.
///
/// The derived order compares the fields in that order, unset before set, so the greater
/// specificity is the more specific one: the first field set in one criterion and unset in the
/// other decides, whatever the fields after it (lexicographic, not a count). `class` is a
/// filter and takes no part.
///
/// ```
/// use goldpath::matching::specificity;
/// use goldpath::spec::platform::Criterion;
///
/// let criterion = |json| serde_json::from_value::<Criterion>(json).unwrap();
/// let by_id = criterion(serde_json::json!({"resId": "web.db"}));
/// let broad = criterion(serde_json::json!({"env": "qa-42", "app": "shop", "envType": "qa"}));
/// assert!(specificity(&by_id) > specificity(&broad));
/// assert_eq!(specificity(&by_id).first_difference(specificity(&broad)), Some("resId"));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Specificity {
    /// Whether the criterion sets `resId`.
    pub res_id: bool,
    /// Whether the criterion sets `env`.
    pub env: bool,
    /// Whether the criterion sets `app`.
    pub app: bool,
    /// Whether the criterion sets `envType`.
    pub env_type: bool,
}

impl Specificity {
    /// The ranking fields with whether each is set, in rank order.
    #[must_use]
    pub fn fields(self) -> [(&'static str, bool); 4] {
        [
            ("resId", self.res_id),
            ("env", self.env),
            ("app", self.app),
            ("envType", self.env_type),
        ]
    }

    /// The first field, in rank order, that one of the two sets and the other does not: the
    /// field that decides between them. `None` when both set the same fields.
    #[must_use]
    pub fn first_difference(self, other: Self) -> Option<&'static str> {
        let pairs = self.fields().into_iter().zip(other.fields());
        pairs
            .into_iter()
            .find(|((_, mine), (_, theirs))| mine != theirs)
            .map(|((name, _), _)| name)
    }
}

/// The specificity of a criterion: which ranking fields it sets.
#[must_use]
pub fn specificity(criterion: &Criterion) -> Specificity {
    Specificity {
        res_id: criterion.res_id.is_some(),
        env: criterion.env.is_some(),
        app: criterion.app.is_some(),
        env_type: criterion.env_type.is_some(),
    }
}

/// The rank of a matching criterion: user definitions above built-ins, then specificity.
/// Greater ranks win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Rank {
    /// Whether the definition is the platform's own (not built-in).
    pub user: bool,
    /// The criterion's specificity.
    pub specificity: Specificity,
}

/// Whether every field the criterion sets equals the request.
pub(super) fn criterion_matches(criterion: &Criterion, request: &Request<'_>) -> bool {
    let fits = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
    criterion.class == request.class
        && fits(&criterion.res_id, request.res_id)
        && fits(&criterion.env, &request.context.env)
        && fits(&criterion.app, &request.context.app)
        && fits(&criterion.env_type, &request.context.env_type)
}

/// A definition's best matching criterion: its index and rank. Of two criteria at one rank
/// the earlier wins.
pub(super) fn best_criterion(
    definition: &Definition,
    request: &Request<'_>,
) -> Option<(usize, Rank)> {
    let user = !definition.builtin;
    let matching = definition.spec.criteria.iter().enumerate();
    matching
        .filter(|(_, c)| criterion_matches(c, request))
        .map(|(i, c)| {
            (
                i,
                Rank {
                    user,
                    specificity: specificity(c),
                },
            )
        })
        .max_by_key(|&(i, rank)| (rank, Reverse(i)))
}

/// A definition whose best criterion matches the request.
#[derive(Debug, Clone, Copy)]
pub(super) struct Contender<'p> {
    /// The definition's index in [`crate::platform::Platform::definitions`].
    pub index: usize,
    /// The definition.
    pub definition: &'p Definition,
    /// The index of its best matching criterion.
    pub criterion: usize,
    /// That criterion's rank.
    pub rank: Rank,
}

impl<'p> Contender<'p> {
    /// The contender for a definition, when one of its criteria matches.
    pub fn of(index: usize, definition: &'p Definition, request: &Request<'_>) -> Option<Self> {
        let (criterion, rank) = best_criterion(definition, request)?;
        Some(Self {
            index,
            definition,
            criterion,
            rank,
        })
    }

    /// The order of contenders: the greatest wins. Equal ranks fall back to the smaller name,
    /// then to the earlier definition, so the winner never depends on chance.
    pub fn order_key(&self) -> (Rank, Reverse<&'p str>, Reverse<usize>) {
        (
            self.rank,
            Reverse(self.definition.name.as_str()),
            Reverse(self.index),
        )
    }

    /// The matching criterion itself.
    pub fn criterion(&self) -> &'p Criterion {
        &self.definition.spec.criteria[self.criterion]
    }
}
