//! The command line's own advice: core messages say what to change in terms of the input; this
//! module adds, after them, which flag or command does it here.

use goldpath::{Error, ErrorKind};

/// What to type for each core message that names something the command line sets by a flag:
/// (kind, a part of the message, the hint).
const HINTS: &[(Option<ErrorKind>, &str, &str)] = &[
    (
        Some(ErrorKind::Permission),
        "needs to know who acts",
        "pass --as USER [--group G]",
    ),
    (
        Some(ErrorKind::Store),
        "does not exist: create it",
        "create it with `goldpath env create --app APP --env ENV --env-type TYPE`",
    ),
    (
        Some(ErrorKind::Store),
        "history lists the ids",
        "`goldpath history --app APP --env ENV` lists the ids",
    ),
    (None, "needs an image at render time", "pass --image IMAGE"),
    (
        Some(ErrorKind::Driver),
        goldpath::drivers::NOT_PROVISIONED,
        "pass --store DIR|URL (or set GOLDPATH_STORE) to show what the environment's deployment recorded, or --provision to call the driver (it acts on real infrastructure)",
    ),
    (
        None,
        "fixed development seed",
        "pass --secret-seed-file FILE or set GOLDPATH_SECRET_SEED",
    ),
];

/// The hints for an error, one per matching diagnostic, without repeats.
pub fn for_error(error: &Error) -> Vec<&'static str> {
    let mut hints = Vec::new();
    for diagnostic in error.diagnostics() {
        for hint in matching(Some(diagnostic.kind), &diagnostic.message) {
            if !hints.contains(&hint) {
                hints.push(hint);
            }
        }
    }
    hints
}

/// The hint for a warning of the engine, if any.
pub fn for_warning(warning: &str) -> Option<&'static str> {
    matching(None, warning).next()
}

fn matching(kind: Option<ErrorKind>, message: &str) -> impl Iterator<Item = &'static str> + '_ {
    HINTS
        .iter()
        .filter(move |(k, part, _)| (k.is_none() || *k == kind) && message.contains(part))
        .map(|(_, _, hint)| *hint)
}

/// Prints a warning of the engine and its hint to standard error.
pub fn warn(warning: &str) {
    eprintln!("warning: {}", crate::terminal::escaped(warning));
    if let Some(hint) = for_warning(warning) {
        eprintln!("hint: {hint}");
    }
}

#[cfg(test)]
mod tests {
    use goldpath::Location;

    use super::*;

    #[test]
    fn a_missing_principal_gets_the_flag_and_other_errors_none() {
        let error = Error::new(
            ErrorKind::Permission,
            Location::default(),
            "the platform has role bindings, so `deploy` needs to know who acts: give a principal",
        );
        assert_eq!(for_error(&error), ["pass --as USER [--group G]"]);
        let other = Error::new(ErrorKind::Invalid, Location::default(), "who acts");
        assert!(for_error(&other).is_empty());
        assert!(for_warning("generated secrets use the fixed development seed").is_some());
    }
}
