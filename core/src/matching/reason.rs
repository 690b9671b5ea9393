//! The sentences that explain a match: why a definition did not match, why it lost, and the
//! message of a request that nothing matches.

use std::fmt::{self, Write as _};

use super::Request;
use super::rank::Contender;
use crate::platform::{Definition, Platform};
use crate::spec::platform::Criterion;

impl fmt::Display for Request<'_> {
    /// `postgres` class `default` for resource `web.db` in app `shop`, environment `qa-42`
    /// (type `qa-light`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.context;
        let parts = [self.resource_type, self.class, self.res_id];
        write_request(f, parts, [&c.app, &c.env, &c.env_type])
    }
}

/// Writes a request as `postgres` class `default` for resource `web.db` in app `shop`,
/// environment `qa-42` (type `qa-light`).
pub(super) fn write_request(
    f: &mut fmt::Formatter<'_>,
    [resource_type, class, res_id]: [&str; 3],
    [app, env, env_type]: [&str; 3],
) -> fmt::Result {
    write!(
        f,
        "`{resource_type}` class `{class}` for resource `{res_id}` in app `{app}`, environment \
         `{env}` (type `{env_type}`)"
    )
}

/// Why no criterion of `definition` matches: each criterion with every field that differs.
pub(super) fn mismatch(definition: &Definition, request: &Request<'_>) -> String {
    if definition.spec.criteria.is_empty() {
        return "has no criteria, so it never matches: add one, e.g. `criteria: [{}]` for every \
                context"
            .to_owned();
    }
    let mut out = String::new();
    for (i, criterion) in definition.spec.criteria.iter().enumerate() {
        let separator = if i == 0 { "" } else { "; " };
        let _ = write!(out, "{separator}criterion [{i}] {}", criterion);
        for (n, difference) in differences(criterion, request).enumerate() {
            let joint = if n == 0 { " wants " } else { ", and " };
            let _ = write!(out, "{joint}{difference}");
        }
    }
    out
}

/// The fields of `criterion` that differ from the request, as `envType `x`, the context has `y``.
fn differences<'c>(
    criterion: &'c Criterion,
    request: &'c Request<'c>,
) -> impl Iterator<Item = String> + 'c {
    const CONTEXT: &str = "the context has";
    let context = request.context;
    let fields = [
        (
            "envType",
            criterion.env_type.as_deref(),
            CONTEXT,
            &*context.env_type,
        ),
        ("env", criterion.env.as_deref(), CONTEXT, &*context.env),
        ("app", criterion.app.as_deref(), CONTEXT, &*context.app),
        (
            "resId",
            criterion.res_id.as_deref(),
            "the resource is",
            request.res_id,
        ),
        (
            "class",
            Some(&*criterion.class),
            "the request asks for",
            request.class,
        ),
    ];
    fields.into_iter().filter_map(|(key, want, source, have)| {
        let want = want.filter(|want| *want != have)?;
        Some(format!("{key} `{want}`, {source} `{have}`"))
    })
}

/// Why `loser`, which matches, ranks below `winner`.
pub(super) fn outranked(loser: &Contender<'_>, winner: &Contender<'_>) -> String {
    let mine = format!("criterion [{}] {}", loser.criterion, loser.criterion());
    let theirs = format!(
        "`{}`'s criterion [{}] {}",
        winner.definition.name,
        winner.criterion,
        winner.criterion()
    );
    if winner.rank.user != loser.rank.user {
        return format!(
            "{mine} matches, but this definition is built-in and `{}` is the platform's own: \
             built-ins rank below every platform definition",
            winner.definition.name
        );
    }
    let (won, lost) = (winner.rank.specificity, loser.rank.specificity);
    match won.first_difference(lost) {
        Some(field) => format!(
            "{mine} matches, but {theirs} is more specific: it sets {field}, this one does not"
        ),
        None => format!(
            "{mine} matches at the same rank as {theirs}; the tie is broken by definition name \
             and `{}` comes first (validating the platform rejects such ties)",
            winner.definition.name
        ),
    }
}

/// Why `winner` won: the criterion that fired, and how many others matched.
pub(super) fn won(winner: &Contender<'_>, others_matching: usize) -> String {
    let criterion = winner.criterion();
    match others_matching {
        0 => format!(
            "criterion [{}] {criterion} is the only match",
            winner.criterion
        ),
        n => format!(
            "criterion [{}] {criterion} ranks above the {n} other matching definition{}",
            winner.criterion,
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// The message of a request that no definition matches: the request, every definition of its
/// type with why it does not match, and what to add.
pub(super) fn no_match(platform: &Platform, request: &Request<'_>) -> String {
    let of_type = || {
        let definitions = platform.definitions().iter();
        definitions.filter(|d| d.spec.resource_type == request.resource_type)
    };
    if of_type().next().is_none() {
        return no_definition_of_type(platform, request);
    }
    let mut out = format!(
        "no resource definition matches {request}; the definitions of type `{}`:",
        request.resource_type
    );
    for definition in of_type() {
        let builtin = if definition.builtin {
            " (built-in)"
        } else {
            ""
        };
        let why = mismatch(definition, request);
        let _ = write!(out, "\n  - `{}`{builtin}: {why}", definition.name);
    }
    let serves_class = of_type()
        .flat_map(|d| &d.spec.criteria)
        .any(|c| c.class == request.class);
    let _ = write!(out, "\n{}", hint(request, serves_class));
    out
}

/// What to add so that the request matches.
fn hint(request: &Request<'_>, serves_class: bool) -> String {
    let example = example_criterion(request);
    if serves_class {
        return format!(
            "add a criterion that matches this context, e.g. {example}, to one of them or to a \
             new ResourceDefinition of type `{}`",
            request.resource_type
        );
    }
    format!(
        "none of them serves class `{}`: add a criterion with that class, e.g. {example}, or \
         request another class",
        request.class
    )
}

/// A criterion that would match the request: its environment type and class.
fn example_criterion(request: &Request<'_>) -> String {
    let criterion = Criterion {
        env_type: Some(request.context.env_type.clone()),
        env: None,
        app: None,
        res_id: None,
        class: request.class.to_owned(),
    };
    criterion.to_string()
}

/// The message when the platform has no definition of the requested type at all.
fn no_definition_of_type(platform: &Platform, request: &Request<'_>) -> String {
    let mut types: Vec<&str> = (platform.definitions().iter())
        .map(|d| d.spec.resource_type.as_str())
        .collect();
    types.sort_unstable();
    types.dedup();
    let known = if types.is_empty() {
        "the platform has no resource definitions".to_owned()
    } else {
        let names: Vec<String> = types.iter().map(|t| format!("`{t}`")).collect();
        format!("the platform defines types {}", names.join(", "))
    };
    format!(
        "no resource definition matches {request}: there is no definition of type `{}` ({known}); \
         add a ResourceDefinition with `type: {}` and criteria such as {}, or fix the type",
        request.resource_type,
        request.resource_type,
        example_criterion(request)
    )
}
