//! Name rules of Kubernetes and Score: DNS labels and subdomains, port names, label and
//! annotation keys, environment variable names, resource types and ids, and the deterministic
//! shortening of generated names.
//!
//! Each rule takes the value and returns `Err` with a complete sentence that names the value,
//! says which rule it breaks and what to write instead. Lengths count bytes, as Kubernetes does;
//! every allowed character is ASCII, so for valid names bytes and characters agree.
//!
//! ```
//! use goldpath::validate::names;
//!
//! assert!(names::dns1123_label("web").is_ok());
//! let err = names::dns1123_label("Web").unwrap_err();
//! assert!(err.starts_with("`Web` is not a valid DNS-1123 label"));
//! ```

const LABEL_MAX: usize = 63;
const SUBDOMAIN_MAX: usize = 253;
const PORT_NAME_MAX: usize = 15;
const SCORE_NAME_MIN: usize = 2;
/// Characters of a value shown in a message before it is cut with `…`.
const SHOWN_CHARS: usize = 80;

const LABEL_ADVICE: &str = "use only lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters";
const SUBDOMAIN_ADVICE: &str = "use dot-separated parts of lower-case letters, digits and `-`, each starting and ending with a letter or digit, at most 253 characters in all";
const DNS1035_ADVICE: &str = "use only lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit, at most 63 characters";
const SCORE_NAME_ADVICE: &str =
    "use 2 to 63 lower-case letters, digits and `-`, starting and ending with a letter or digit";
const PORT_NAME_ADVICE: &str = "use at most 15 lower-case letters, digits and `-`, with at least one letter, no `--`, and no `-` at either end, e.g. `http` or `grpc-web`";
const QUALIFIED_NAME_ADVICE: &str = "write an optional DNS-1123 subdomain prefix and `/`, then a name of at most 63 letters, digits, `-`, `_` and `.` that starts and ends with a letter or digit, e.g. `app.kubernetes.io/name`";
const LABEL_VALUE_ADVICE: &str = "use at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit, or leave the value empty";
const ENV_NAME_ADVICE: &str =
    "use letters, digits, `_`, `-` and `.`, not starting with a digit, e.g. `DATABASE_URL`";
const RESOURCE_ID_ADVICE: &str = "use one or more dot-separated parts of lower-case letters, digits and `-`, each starting and ending with a letter or digit, 2 to 63 characters in all, e.g. `main-db` or `team.main-db`";

/// How a user-supplied value appears in a message: in backticks, with control and invisible
/// characters escaped, and cut with `…` after 80 characters.
pub(crate) fn quoted(value: &str) -> String {
    let mut out = String::from("`");
    for (index, c) in value.chars().enumerate() {
        if index == SHOWN_CHARS {
            out.push('…');
            break;
        }
        push_visible(&mut out, c);
    }
    out.push('`');
    out
}

/// Appends `c`, escaped (`\n`, `\u{200b}`) when it is a control or invisible character.
fn push_visible(out: &mut String, c: char) {
    let invisible = matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
    if c.is_control() || invisible {
        out.extend(c.escape_default());
    } else {
        out.push(c);
    }
}

/// Why a name contains `c`, in words: "it contains the upper-case letter `W`".
fn contains_char(c: char) -> String {
    let mut shown = String::new();
    push_visible(&mut shown, c);
    if c.is_ascii_uppercase() {
        format!("it contains the upper-case letter `{shown}`")
    } else if c == ' ' {
        "it contains a space".to_owned()
    } else if c.is_control() {
        format!("it contains the control character `{shown}`")
    } else {
        format!("it contains `{shown}`")
    }
}

/// The error of `value` failing the rule of `class` for `reason`, ending with `advice`.
fn broken(value: &str, class: &str, reason: &str, advice: &str) -> Result<(), String> {
    Err(format!(
        "{} is not a valid {class}: {reason}; {advice}",
        quoted(value)
    ))
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn is_label_char(c: char) -> bool {
    is_lower_alnum(c) || c == '-'
}

fn length_problem(value: &str, min: usize, max: usize) -> Option<String> {
    let len = value.len();
    (len > max || len < min).then(|| match len {
        0 => "it is empty".to_owned(),
        1 => "it is 1 character long".to_owned(),
        _ => format!("it is {len} characters long"),
    })
}

/// A reason about the whole value ("it starts with `-`") restated about `subject`
/// ("its part `-b` starts with `-`").
fn about(subject: &str, reason: &str) -> String {
    let rest = reason.strip_prefix("it ").unwrap_or(reason);
    format!("{subject} {rest}")
}

/// Why `value` does not have the shape `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
fn label_shape_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("it is empty".to_owned());
    }
    if let Some(c) = value.chars().find(|c| !is_label_char(*c)) {
        return Some(contains_char(c));
    }
    if value.starts_with('-') {
        return Some("it starts with `-`".to_owned());
    }
    value.ends_with('-').then(|| "it ends with `-`".to_owned())
}

/// Why `value` is not a DNS-1123 label between `min` and `max` bytes long.
fn label_problem(value: &str, min: usize, max: usize) -> Option<String> {
    label_shape_problem(value).or_else(|| length_problem(value, min, max))
}

/// Why `value` is not one or more dot-separated DNS-1123 labels, `min` to `max` bytes in all.
/// Kubernetes does not limit the length of each part, only the whole.
fn dotted_labels_problem(value: &str, min: usize, max: usize) -> Option<String> {
    if value.is_empty() {
        return Some("it is empty".to_owned());
    }
    for part in value.split('.') {
        if part.is_empty() {
            return Some(
                "it has an empty part (a dot at either end, or two dots in a row)".to_owned(),
            );
        }
        if let Some(reason) = label_shape_problem(part) {
            return Some(about(&format!("its part {}", quoted(part)), &reason));
        }
    }
    length_problem(value, min, max)
}

/// Checks a DNS-1123 label (RFC 1123): at most 63 characters of `[a-z0-9-]`, starting and
/// ending with a letter or digit. Namespaces, container names and Service port names use it.
///
/// ```
/// use goldpath::validate::names::dns1123_label;
///
/// assert!(dns1123_label("web-1").is_ok());
/// assert!(dns1123_label("api.web").unwrap_err().contains("must not contain dots"));
/// ```
pub fn dns1123_label(value: &str) -> Result<(), String> {
    let Some(reason) = label_problem(value, 1, LABEL_MAX) else {
        return Ok(());
    };
    if value.contains('.') && value.len() <= LABEL_MAX && dns1123_subdomain(value).is_ok() {
        return broken(
            value,
            "DNS-1123 label",
            "it must not contain dots",
            "replace each `.` with `-`",
        );
    }
    broken(value, "DNS-1123 label", &reason, LABEL_ADVICE)
}

/// Checks a DNS-1123 subdomain: at most 253 characters of dot-separated DNS-1123 labels.
/// Deployment, ConfigMap, Secret and Ingress names and label key prefixes use it.
///
/// ```
/// use goldpath::validate::names::dns1123_subdomain;
///
/// assert!(dns1123_subdomain("example.com").is_ok());
/// assert!(dns1123_subdomain("example..com").is_err());
/// ```
pub fn dns1123_subdomain(value: &str) -> Result<(), String> {
    match dotted_labels_problem(value, 1, SUBDOMAIN_MAX) {
        None => Ok(()),
        Some(reason) => broken(value, "DNS-1123 subdomain", &reason, SUBDOMAIN_ADVICE),
    }
}

/// Checks a DNS-1035 label (RFC 1035): a DNS-1123 label that starts with a letter. Service
/// names use it.
///
/// ```
/// use goldpath::validate::names::dns1035_label;
///
/// assert!(dns1035_label("web").is_ok());
/// assert!(dns1035_label("1web").unwrap_err().contains("starts with the digit `1`"));
/// ```
pub fn dns1035_label(value: &str) -> Result<(), String> {
    let reason = label_problem(value, 1, LABEL_MAX).or_else(|| {
        let first = value.chars().next().filter(char::is_ascii_digit)?;
        Some(format!("it starts with the digit `{first}`"))
    });
    match reason {
        None => Ok(()),
        Some(reason) => broken(value, "DNS-1035 label", &reason, DNS1035_ADVICE),
    }
}

/// Checks a name as the Score schema defines it (its "RFC 1123 label"): 2 to 63 characters of
/// `[a-z0-9-]`, starting and ending with a letter or digit. Workload, container, service port
/// and resource names use it.
///
/// ```
/// use goldpath::validate::names::score_name;
///
/// assert!(score_name("db").is_ok());
/// assert!(score_name("d").unwrap_err().contains("1 character long"));
/// ```
pub fn score_name(value: &str) -> Result<(), String> {
    match label_problem(value, SCORE_NAME_MIN, LABEL_MAX) {
        None => Ok(()),
        Some(reason) => broken(value, "Score name", &reason, SCORE_NAME_ADVICE),
    }
}

/// Checks a container port name (IANA service name, `IsValidPortName`): at most 15 characters
/// of `[-a-z0-9]`, at least one letter, no `--`, no `-` at either end.
///
/// ```
/// use goldpath::validate::names::iana_svc_name;
///
/// assert!(iana_svc_name("http-alt").is_ok());
/// assert!(iana_svc_name("8080").unwrap_err().contains("no letter"));
/// ```
pub fn iana_svc_name(value: &str) -> Result<(), String> {
    let reason = label_problem(value, 1, PORT_NAME_MAX)
        .or_else(|| value.contains("--").then(|| "it contains `--`".to_owned()))
        .or_else(|| {
            let no_letter = !value.chars().any(|c| c.is_ascii_lowercase());
            no_letter.then(|| "it has no letter".to_owned())
        });
    match reason {
        None => Ok(()),
        Some(reason) => broken(value, "port name", &reason, PORT_NAME_ADVICE),
    }
}

/// Checks a Kubernetes object `kind`: lower-cased, a DNS-1035 label, as the API server asks of
/// a CustomResourceDefinition's kind (`Deployment`, `HTTPRoute`). Output file names are made
/// from kinds, so `/`, `.` and control characters never reach one.
///
/// ```
/// use goldpath::validate::names::object_kind;
///
/// assert!(object_kind("HTTPRoute").is_ok());
/// assert!(object_kind("../../x").unwrap_err().contains("`.`"));
/// ```
pub fn object_kind(value: &str) -> Result<(), String> {
    let lower = value.to_ascii_lowercase();
    let reason = length_problem(value, 1, LABEL_MAX)
        .or_else(|| {
            let bad = |c: &char| !(c.is_ascii_alphanumeric() || *c == '-');
            value.chars().find(bad).map(contains_char)
        })
        .or_else(|| label_shape_problem(&lower))
        .or_else(|| {
            let digit = value.starts_with(|c: char| c.is_ascii_digit());
            digit.then(|| "it starts with a digit".to_owned())
        });
    match reason {
        None => Ok(()),
        Some(reason) => broken(
            value,
            "object kind",
            &reason,
            "a kind is a letter followed by letters, digits and `-`, such as `Deployment`",
        ),
    }
}

/// Why `value` is not `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` of at most 63 characters,
/// the name part of a qualified name and the shape of a non-empty label value.
fn qualified_part_problem(value: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if value.is_empty() {
        return Some("it is empty".to_owned());
    }
    if let Some(c) = value.chars().find(|c| !allowed(*c)) {
        return Some(contains_char(c));
    }
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !edge(value.chars().next()) {
        return Some("it does not start with a letter or digit".to_owned());
    }
    if !edge(value.chars().last()) {
        return Some("it does not end with a letter or digit".to_owned());
    }
    length_problem(value, 1, LABEL_MAX)
}

/// Why `value` is not a qualified name: `[prefix/]name`, the prefix a DNS-1123 subdomain.
fn qualified_name_problem(value: &str) -> Option<String> {
    let Some((prefix, name)) = value.split_once('/') else {
        return qualified_part_problem(value);
    };
    if name.contains('/') {
        return Some("it contains more than one `/`".to_owned());
    }
    if prefix.is_empty() {
        return Some("its prefix before `/` is empty".to_owned());
    }
    if let Some(reason) = dotted_labels_problem(prefix, 1, SUBDOMAIN_MAX) {
        let prefix = quoted(prefix);
        return Some(format!(
            "its prefix {prefix} is not a DNS-1123 subdomain: {reason}"
        ));
    }
    qualified_part_problem(name)
        .map(|reason| about(&format!("its name part {}", quoted(name)), &reason))
}

/// Checks a label key: an optional DNS-1123 subdomain prefix (lower case) and `/`, then a name
/// of at most 63 characters of `[-A-Za-z0-9_.]` starting and ending with a letter or digit.
///
/// ```
/// use goldpath::validate::names::label_key;
///
/// assert!(label_key("app.kubernetes.io/name").is_ok());
/// assert!(label_key("Example.com/name").is_err());
/// ```
pub fn label_key(value: &str) -> Result<(), String> {
    match qualified_name_problem(value) {
        None => Ok(()),
        Some(reason) => broken(value, "label key", &reason, QUALIFIED_NAME_ADVICE),
    }
}

/// Checks a label value: empty, or at most 63 characters of `[-A-Za-z0-9_.]` starting and
/// ending with a letter or digit.
///
/// ```
/// use goldpath::validate::names::label_value;
///
/// assert!(label_value("").is_ok());
/// assert!(label_value("v1.2_rc").is_ok());
/// assert!(label_value("-v1").is_err());
/// ```
pub fn label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    match qualified_part_problem(value) {
        None => Ok(()),
        Some(reason) => broken(value, "label value", &reason, LABEL_VALUE_ADVICE),
    }
}

/// Checks an annotation key: the label key rule applied to the key in lower case, so upper
/// case is allowed everywhere, the prefix included. Only ASCII letters are lower-cased: unlike
/// Kubernetes (Go's Unicode `ToLower`), a non-ASCII letter that lower-cases to ASCII, such as
/// the Kelvin sign, is refused.
///
/// ```
/// use goldpath::validate::names::annotation_key;
///
/// assert!(annotation_key("Example.COM/Team").is_ok());
/// assert!(annotation_key("example.com/team/x").is_err());
/// ```
pub fn annotation_key(value: &str) -> Result<(), String> {
    match qualified_name_problem(&value.to_ascii_lowercase()) {
        None => Ok(()),
        Some(reason) => broken(
            value,
            "annotation key",
            &reason,
            &format!("{QUALIFIED_NAME_ADVICE} (upper case is allowed)"),
        ),
    }
}

/// Checks an environment variable name with the strict rule every cluster accepts
/// (`IsEnvVarName`): `[-._a-zA-Z][-._a-zA-Z0-9]*`, and not `.`, `..` or starting with `..`.
///
/// ```
/// use goldpath::validate::names::env_var_name;
///
/// assert!(env_var_name("DATABASE_URL").is_ok());
/// assert!(env_var_name("1PORT").is_err());
/// ```
pub fn env_var_name(value: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let reason = if value.is_empty() {
        "it is empty".to_owned()
    } else if let Some(c) = value.chars().find(|c| !allowed(*c)) {
        contains_char(c)
    } else if let Some(first) = value.chars().next().filter(char::is_ascii_digit) {
        format!("it starts with the digit `{first}`")
    } else if value == "." {
        "it is `.`".to_owned()
    } else if value.starts_with("..") {
        "it starts with `..`".to_owned()
    } else {
        return Ok(());
    };
    broken(value, "environment variable name", &reason, ENV_NAME_ADVICE)
}

/// The rule shared by resource types and classes: a Score name in lower case.
fn resource_kind(value: &str, class: &str) -> Result<(), String> {
    let Some(reason) = label_problem(value, SCORE_NAME_MIN, LABEL_MAX) else {
        return Ok(());
    };
    let lower = value.to_ascii_lowercase();
    if lower != value && label_problem(&lower, SCORE_NAME_MIN, LABEL_MAX).is_none() {
        let advice = format!(
            "Score allows upper case here, but goldpath requires lower case so that every spelling names the same {class}; write {}",
            quoted(&lower)
        );
        return broken(value, class, &reason, &advice);
    }
    broken(value, class, &reason, SCORE_NAME_ADVICE)
}

/// Checks a resource type (`postgres`, `dns`): a Score name in lower case. Score also allows
/// upper case; goldpath does not, so that types match exactly.
///
/// ```
/// use goldpath::validate::names::resource_type;
///
/// assert!(resource_type("postgres").is_ok());
/// assert!(resource_type("Postgres").unwrap_err().contains("write `postgres`"));
/// ```
pub fn resource_type(value: &str) -> Result<(), String> {
    resource_kind(value, "resource type")
}

/// Checks a resource class (`default`, `large`): the same rule as [`resource_type`].
///
/// ```
/// use goldpath::validate::names::resource_class;
///
/// assert!(resource_class("large").is_ok());
/// assert!(resource_class("Large").is_err());
/// ```
pub fn resource_class(value: &str) -> Result<(), String> {
    resource_kind(value, "resource class")
}

/// Checks a resource id: one or more dot-separated DNS-1123 labels, 2 to 63 characters in all
/// (the Score schema's `id`).
///
/// ```
/// use goldpath::validate::names::resource_id;
///
/// assert!(resource_id("team.main-db").is_ok());
/// assert!(resource_id("team..db").is_err());
/// ```
pub fn resource_id(value: &str) -> Result<(), String> {
    match dotted_labels_problem(value, SCORE_NAME_MIN, LABEL_MAX) {
        None => Ok(()),
        Some(reason) => broken(value, "resource id", &reason, RESOURCE_ID_ADVICE),
    }
}

pub(crate) use crate::hash::fnv1a64;

/// Eight lower-case hex digits of `name`'s FNV-1a 64 hash, folded to 32 bits by xor.
fn hash8(name: &str) -> String {
    let hash = fnv1a64(name.as_bytes());
    format!("{:08x}", (hash >> 32) ^ (hash & 0xffff_ffff))
}

/// Shortens a generated name that is longer than `limit` bytes to exactly fit: the first
/// `limit - 9` bytes, with any `-` or `.` left at the cut removed, then `-` and eight hex
/// digits of a stable hash (FNV-1a 64) of the whole name. A name within the limit comes back
/// unchanged. The result depends only on `name` and `limit`, so renders stay stable for diffs
/// and rollbacks, and two long names that share a prefix still differ.
///
/// A valid DNS-1123 label (or subdomain) stays one. When no prefix remains (a limit below 10,
/// or a name of only `-` and `.` at the start), the result is the hash alone, cut to `limit`.
///
/// ```
/// use goldpath::validate::names::shorten_name;
///
/// assert_eq!(shorten_name("web", 63), "web");
/// let long = format!("{}-headless-svc", "a".repeat(60));
/// let short = shorten_name(&long, 63);
/// assert_eq!(short.len(), 63);
/// assert!(short.starts_with(&"a".repeat(54)));
/// ```
#[must_use]
pub fn shorten_name(name: &str, limit: usize) -> String {
    if name.len() <= limit {
        return name.to_owned();
    }
    let hash = hash8(name);
    let mut cut = limit.saturating_sub(hash.len() + 1);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let prefix = name[..cut].trim_end_matches(['-', '.']);
    if prefix.is_empty() {
        let keep = hash.len().min(limit);
        return hash[..keep].to_owned();
    }
    format!("{prefix}-{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Rule = fn(&str) -> Result<(), String>;

    /// Asserts each `(input, expected)`: `None` = valid, `Some(words)` = an error containing them.
    fn check_table(rule: Rule, class: &str, cases: &[(&str, Option<&str>)]) {
        for (input, expected) in cases {
            let result = rule(input);
            match expected {
                None => assert_eq!(result, Ok(()), "{class} {input:?} should be valid"),
                Some(words) => {
                    let err = result.expect_err(&format!("{class} {input:?} should be invalid"));
                    assert!(
                        err.contains(words),
                        "{class} {input:?}: {err:?} lacks {words:?}"
                    );
                    assert!(err.contains(&format!("is not a valid {class}: ")), "{err}");
                }
            }
        }
    }

    fn repeat(c: char, n: usize) -> String {
        c.to_string().repeat(n)
    }

    #[test]
    fn dns1123_label_table() {
        let max = repeat('a', 63);
        let over = repeat('a', 64);
        check_table(
            dns1123_label,
            "DNS-1123 label",
            &[
                ("a", None),
                ("0", None),
                ("web-1", None),
                ("1web", None),
                (&max, None),
                (&over, Some("it is 64 characters long")),
                ("", Some("it is empty")),
                ("Web", Some("the upper-case letter `W`")),
                ("web\n", Some("the control character `\\n`")),
                ("wéb", Some("it contains `é`")),
                ("web\u{200b}", Some("`\\u{200b}`")),
                ("my web", Some("it contains a space")),
                ("-web", Some("it starts with `-`")),
                ("web-", Some("it ends with `-`")),
                ("web_1", Some("it contains `_`")),
                ("api.web", Some("it must not contain dots")),
                ("api..web", Some("it contains `.`")),
            ],
        );
    }

    #[test]
    fn dns1123_label_message_is_a_full_sentence() {
        assert_eq!(
            dns1123_label("Web"),
            Err("`Web` is not a valid DNS-1123 label: it contains the upper-case letter `W`; use only lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters".to_owned())
        );
    }

    #[test]
    fn dns1123_subdomain_table() {
        let max = format!("{}.{}", repeat('a', 126), repeat('b', 126));
        let over = format!("{max}c");
        let long_part = repeat('a', 100);
        check_table(
            dns1123_subdomain,
            "DNS-1123 subdomain",
            &[
                ("a", None),
                ("example.com", None),
                ("a-1.b-2.c", None),
                (&long_part, None),
                (&max, None),
                (&over, Some("it is 254 characters long")),
                ("", Some("it is empty")),
                (".a", Some("empty part")),
                ("a.", Some("empty part")),
                ("a..b", Some("empty part")),
                ("a.-b", Some("its part `-b` starts with `-`")),
                ("Example.com", Some("upper-case letter `E`")),
                ("a.b\n", Some("control character")),
            ],
        );
    }

    #[test]
    fn dns1035_label_table() {
        let max = repeat('a', 63);
        let over = repeat('a', 64);
        check_table(
            dns1035_label,
            "DNS-1035 label",
            &[
                ("a", None),
                ("web-1", None),
                (&max, None),
                (&over, Some("64 characters")),
                ("1web", Some("starts with the digit `1`")),
                ("-web", Some("starts with `-`")),
                ("Web", Some("upper-case")),
                ("web.api", Some("contains `.`")),
                ("", Some("empty")),
            ],
        );
    }

    #[test]
    fn score_name_table() {
        let max = repeat('a', 63);
        let over = repeat('a', 64);
        check_table(
            score_name,
            "Score name",
            &[
                ("db", None),
                ("1web", None),
                (&max, None),
                (&over, Some("64 characters")),
                ("d", Some("it is 1 character long")),
                ("", Some("it is empty")),
                ("Db", Some("upper-case")),
                ("web\n", Some("control character")),
                ("web-", Some("ends with `-`")),
            ],
        );
    }

    #[test]
    fn iana_svc_name_table() {
        let max = format!("a{}", repeat('1', 14));
        let over = format!("a{}", repeat('1', 15));
        check_table(
            iana_svc_name,
            "port name",
            &[
                ("http", None),
                ("grpc-web", None),
                ("h2c", None),
                (&max, None),
                (&over, Some("16 characters")),
                ("8080", Some("it has no letter")),
                ("grpc--web", Some("contains `--`")),
                ("-http", Some("starts with `-`")),
                ("http-", Some("ends with `-`")),
                ("HTTP", Some("upper-case")),
                ("http\n", Some("control character")),
                ("", Some("empty")),
            ],
        );
    }

    #[test]
    fn label_key_table() {
        let name63 = repeat('a', 63);
        let name64 = repeat('a', 64);
        let prefix253 = format!("{}.{}", repeat('a', 126), repeat('b', 126));
        let long_prefix_ok = format!("{prefix253}/{name63}");
        let prefix254 = format!("{prefix253}c/name");
        let prefixed64 = format!("example.com/{name64}");
        check_table(
            label_key,
            "label key",
            &[
                ("app", None),
                ("App_1.x-Y", None),
                ("app.kubernetes.io/name", None),
                (&name63, None),
                (&long_prefix_ok, None),
                (&name64, Some("it is 64 characters long")),
                (&prefixed64, Some("its name part `aaaa")),
                (&prefix254, Some("254 characters")),
                ("", Some("it is empty")),
                ("/name", Some("prefix before `/` is empty")),
                ("example.com/", Some("its name part `` is empty")),
                ("a/b/c", Some("more than one `/`")),
                (
                    "Example.com/name",
                    Some("its prefix `Example.com` is not a DNS-1123 subdomain"),
                ),
                ("_app", Some("does not start with a letter or digit")),
                ("app.", Some("does not end with a letter or digit")),
                ("app\n", Some("control character")),
                ("äpp", Some("contains `ä`")),
            ],
        );
    }

    #[test]
    fn label_value_table() {
        let max = repeat('a', 63);
        let over = repeat('a', 64);
        check_table(
            label_value,
            "label value",
            &[
                ("", None),
                ("v1.2_RC-3", None),
                (&max, None),
                (&over, Some("64 characters")),
                ("-v1", Some("does not start")),
                ("v1.", Some("does not end")),
                ("a/b", Some("contains `/`")),
                ("v1\n", Some("control character")),
                ("ünï", Some("contains `ü`")),
            ],
        );
    }

    #[test]
    fn annotation_key_table() {
        check_table(
            annotation_key,
            "annotation key",
            &[
                ("Example.COM/Team", None),
                ("team", None),
                ("a/b/c", Some("more than one `/`")),
                ("/team", Some("prefix before `/` is empty")),
                ("example.com/-team", Some("does not start")),
                ("\u{212A}ey", Some("contains `\u{212A}`")),
                ("team\n", Some("control character")),
            ],
        );
        let err = annotation_key("Bad_Prefix/Team").unwrap_err();
        assert!(err.starts_with("`Bad_Prefix/Team` is not"), "{err}");
        assert!(err.contains("upper case is allowed"), "{err}");
    }

    #[test]
    fn env_var_name_table() {
        check_table(
            env_var_name,
            "environment variable name",
            &[
                ("PORT", None),
                ("_x", None),
                ("a.b-c", None),
                (".profile", None),
                ("-x", None),
                ("a..b", None),
                ("", Some("empty")),
                ("1PORT", Some("starts with the digit `1`")),
                (".", Some("it is `.`;")),
                ("..", Some("it starts with `..`")),
                ("..x", Some("it starts with `..`")),
                ("A=B", Some("contains `=`")),
                ("MY VAR", Some("contains a space")),
                ("PORT\n", Some("control character")),
                ("PÖRT", Some("contains `Ö`")),
            ],
        );
    }

    #[test]
    fn resource_type_and_class_tables() {
        let max = repeat('a', 63);
        let over = repeat('a', 64);
        for (rule, class) in [
            (resource_type as Rule, "resource type"),
            (resource_class, "resource class"),
        ] {
            check_table(
                rule,
                class,
                &[
                    ("postgres", None),
                    ("s3", None),
                    (&max, None),
                    (&over, Some("64 characters")),
                    ("p", Some("1 character long")),
                    ("Postgres", Some("goldpath requires lower case")),
                    ("postgres_db", Some("contains `_`")),
                    ("postgres\n", Some("control character")),
                ],
            );
        }
        let err = resource_type("Postgres").unwrap_err();
        assert!(
            err.contains("Score allows upper case") && err.ends_with("write `postgres`"),
            "{err}"
        );
        let err = resource_type("Post_gres").unwrap_err();
        assert!(!err.contains("Score allows upper case"), "{err}");
    }

    #[test]
    fn resource_id_table() {
        let max = format!("{}.{}", repeat('a', 31), repeat('b', 31));
        let over = format!("{max}c");
        check_table(
            resource_id,
            "resource id",
            &[
                ("db", None),
                ("main-db", None),
                ("team.main--db", None),
                (&max, None),
                (&over, Some("64 characters")),
                ("d", Some("1 character long")),
                ("team..db", Some("empty part")),
                (".db", Some("empty part")),
                ("team.-db", Some("starts with `-`")),
                ("Team.db", Some("upper-case")),
                ("db\n", Some("control character")),
            ],
        );
    }

    #[test]
    fn quoted_escapes_and_cuts() {
        assert_eq!(quoted("a\nb"), "`a\\nb`");
        assert_eq!(quoted(&repeat('x', 80)), format!("`{}`", repeat('x', 80)));
        assert_eq!(quoted(&repeat('x', 81)), format!("`{}…`", repeat('x', 80)));
    }

    #[test]
    fn fnv1a64_matches_published_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn shorten_name_fixed_vectors() {
        let workload = repeat('w', 63);
        let long = format!("{workload}-headless-svc");
        assert_eq!(
            shorten_name(&long, 63),
            format!("{}-{}", repeat('w', 54), hash8(&long))
        );
        // Cross-checked with an independent FNV-1a implementation in Python.
        assert_eq!(hash8(&long), "9e88de10");
        assert_eq!(
            shorten_name("my-app-database-credentials", 20),
            "my-app-data-5e4a4577"
        );
        assert_eq!(
            shorten_name("my-app-database-credentials", 16),
            "my-app-5e4a4577"
        );
        assert_eq!(shorten_name("web", 63), "web");
        assert_eq!(shorten_name(&workload, 63), workload);
    }

    #[test]
    fn shorten_name_strips_separators_at_the_cut() {
        // Byte 11 (limit 20 - 9) falls just after `-` and `.`.
        let name = "abcdefghi.-xxxxxxxxxxxxxxxxx";
        let short = shorten_name(name, 20);
        assert_eq!(short, format!("abcdefghi-{}", hash8(name)));
        assert!(dns1123_subdomain(&short).is_ok());
    }

    #[test]
    fn shorten_name_tiny_limits_give_the_hash() {
        let name = "a-rather-long-name";
        assert_eq!(shorten_name(name, 9), hash8(name));
        assert_eq!(shorten_name(name, 4), hash8(name)[..4]);
        assert_eq!(shorten_name(name, 0), "");
        assert_eq!(
            shorten_name("--------------------", 12),
            hash8("--------------------")
        );
    }

    #[test]
    fn shorten_name_cuts_at_char_boundaries() {
        let name = format!("{}é{}", repeat('a', 10), repeat('b', 30));
        let short = shorten_name(&name, 20);
        assert_eq!(short, format!("{}-{}", repeat('a', 10), hash8(&name)));
    }

    /// A DNS-1123 subdomain of several parts and a limit shorter than it.
    fn subdomain_and_shorter_limit() -> impl Strategy<Value = (String, usize)> {
        "[a-z0-9]{1,20}(\\.[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?){1,8}".prop_flat_map(|name| {
            let len = name.len();
            (Just(name), 1..len)
        })
    }

    proptest! {
        #[test]
        fn shorten_name_fits_and_keeps_labels_valid(name in "[a-z0-9]([-a-z0-9]{0,150}[a-z0-9])?", limit in 0usize..120) {
            let short = shorten_name(&name, limit);
            prop_assert!(short.len() <= limit || short == name);
            prop_assert_eq!(&short, &shorten_name(&name, limit));
            if name.len() <= limit {
                prop_assert_eq!(&short, &name);
            } else if limit >= 1 {
                prop_assert!(label_problem(&short, 1, limit).is_none(), "{:?} -> {:?}", name, short);
            }
        }

        #[test]
        fn shorten_name_keeps_subdomains_valid((name, limit) in subdomain_and_shorter_limit()) {
            let short = shorten_name(&name, limit);
            prop_assert!(short.len() <= limit);
            prop_assert!(dns1123_subdomain(&short).is_ok(), "{:?} -> {:?}", name, short);
        }

        #[test]
        fn names_rules_never_panic(value in "\\PC{0,80}") {
            for rule in [dns1123_label as Rule, dns1123_subdomain, dns1035_label, score_name, iana_svc_name,
                label_key, label_value, annotation_key, env_var_name, resource_type, resource_class, resource_id] {
                if let Err(message) = rule(&value) {
                    prop_assert!(!message.contains('\n'));
                }
            }
        }
    }
}
