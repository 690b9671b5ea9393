//! The container image reference grammar of OCI distribution and Docker
//! (`github.com/distribution/reference`), as the kubelet parses it: an image the kubelet would
//! refuse with `InvalidImageName` is refused when the Score file is loaded instead.
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ registry "/" ] path            at most 255 characters
//! registry   := host [ ":" port ]                host: DNS name, IPv4 or [IPv6]
//! path       := component ( "/" component )*
//! component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" [0-9a-fA-F]{32,}   algorithm: [A-Za-z][A-Za-z0-9]* joined by + . _ -
//! ```
//!
//! As with `docker pull`, the first part of the name is the registry only when it holds a `.`
//! or a `:`, is `localhost`, or has upper-case letters; otherwise the whole name is the path
//! (on Docker Hub). The single character `.` stands for the image given at render time.
//! Placeholders are not expanded in `image`, so a `${...}` is refused with that advice.
//!
//! ```
//! use goldpath::validate::image::image_reference;
//!
//! assert!(image_reference("ghcr.io/acme/web:1.0").is_ok());
//! assert!(image_reference("localhost:5000/a_b/c__d@sha256:0123456789abcdef0123456789abcdef").is_ok());
//! let err = image_reference("ghcr.io/Acme/Web:1.0").unwrap_err();
//! assert!(err.contains("lower-case"), "{err}");
//! ```

use super::names::quoted;

const NAME_MAX: usize = 255;
const TAG_MAX: usize = 128;
const DIGEST_HEX_MIN: usize = 32;
const EXAMPLE: &str = "write it as `registry.example.com/team/app:1.4.2` or `nginx@sha256:<hex>`";

/// Checks `value` against the image reference grammar; `.` (the image given at render time)
/// is accepted.
///
/// # Errors
/// A sentence naming the reference, the part that breaks the grammar and what to write.
pub fn image_reference(value: &str) -> Result<(), String> {
    if value == "." {
        return Ok(());
    }
    reference(value)
        .map_err(|reason| format!("{} is not a valid image reference: {reason}", quoted(value)))
}

fn reference(value: &str) -> Result<(), String> {
    if value.contains("${") {
        return Err("placeholders are not expanded in `image`: write the image, or `.` to have it supplied at render time".to_owned());
    }
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        let what = if c.is_control() {
            "control character"
        } else {
            "white space"
        };
        return Err(format!(
            "it holds a {what} ({}): remove it",
            c.escape_default()
        ));
    }
    let (rest, digest) = match value.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (value, None),
    };
    if let Some(digest) = digest {
        check_digest(digest)?;
    }
    let (name, tag) = split_tag(rest);
    if let Some(tag) = tag {
        check_tag(tag)?;
    }
    check_name(name)
}

/// Splits `name[:tag]`: the tag is after the last `:` that comes after the last `/`.
fn split_tag(value: &str) -> (&str, Option<&str>) {
    let last_slash = value.rfind('/').map_or(0, |i| i + 1);
    match value[last_slash..].rfind(':') {
        Some(i) => (&value[..last_slash + i], Some(&value[last_slash + i + 1..])),
        None => (value, None),
    }
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("the repository name is empty: {EXAMPLE}"));
    }
    if name.len() > NAME_MAX {
        return Err(format!("the name is longer than {NAME_MAX} characters"));
    }
    let path = match name.split_once('/') {
        Some((first, rest)) if is_registry_like(first) => {
            check_registry(first)?;
            rest
        }
        _ => name,
    };
    for component in path.split('/') {
        check_component(component)?;
    }
    Ok(())
}

/// Whether the first part of a name is a registry rather than a path component (the rule of
/// `docker pull`).
fn is_registry_like(first: &str) -> bool {
    first.contains(['.', ':'])
        || first == "localhost"
        || first.chars().any(|c| c.is_ascii_uppercase())
}

fn check_registry(registry: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "the registry {} is not a host name, IPv4 or [IPv6] address with an optional `:port`",
            quoted(registry)
        )
    };
    let (host, port) = if let Some(inner) = registry.strip_prefix('[') {
        let (ip, after) = inner.split_once(']').ok_or_else(bad)?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or_else(bad)?),
        };
        if ip.is_empty()
            || !ip
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(bad());
        }
        (None, port)
    } else {
        match registry.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(registry), None),
        }
    };
    if let Some(host) = host {
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if !host.split('.').all(label_ok) {
            return Err(bad());
        }
    }
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return Err(bad());
    }
    Ok(())
}

fn check_component(component: &str) -> Result<(), String> {
    let shown = quoted(component);
    if component.is_empty() {
        return Err(format!(
            "the name has an empty part (`//` or a `/` at either end): {EXAMPLE}"
        ));
    }
    if component.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "the repository part {shown} has upper-case letters: repository names are lower-case (the registry host may have upper-case letters)"
        ));
    }
    let advice = "use lower-case letters and digits, separated by a single `.`, `_`, `__` or one or more `-`";
    let mut separator = String::new();
    let mut first = true;
    for c in component.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if !separator.is_empty() && !valid_separator(&separator) {
                return Err(format!(
                    "the repository part {shown} has the separator `{separator}`: {advice}"
                ));
            }
            separator.clear();
            first = false;
        } else if matches!(c, '.' | '_' | '-') {
            if first {
                return Err(format!(
                    "the repository part {shown} starts with `{c}`: {advice}"
                ));
            }
            separator.push(c);
        } else {
            return Err(format!(
                "the repository part {shown} has the character `{}`: {advice}",
                c.escape_default()
            ));
        }
    }
    if !separator.is_empty() {
        return Err(format!(
            "the repository part {shown} ends with `{separator}`: {advice}"
        ));
    }
    Ok(())
}

fn valid_separator(separator: &str) -> bool {
    matches!(separator, "." | "_" | "__") || separator.chars().all(|c| c == '-')
}

fn check_tag(tag: &str) -> Result<(), String> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let ok = tag.len() <= TAG_MAX
        && tag.chars().next().is_some_and(word)
        && tag.chars().all(|c| word(c) || c == '.' || c == '-');
    if ok {
        return Ok(());
    }
    Err(format!(
        "the tag {} is not valid: a tag is 1 to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`",
        quoted(tag)
    ))
}

fn check_digest(digest: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "the digest {} is not `algorithm:hex` with at least {DIGEST_HEX_MIN} hex digits, such as `sha256:<64 hex digits>`",
            quoted(digest)
        )
    };
    let (algorithm, hex) = digest.split_once(':').ok_or_else(bad)?;
    let algorithm_ok = algorithm.split(['+', '.', '_', '-']).all(|part| {
        part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && part.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if !algorithm_ok || hex.len() < DIGEST_HEX_MIN || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::image_reference;

    proptest! {
        /// Every reference built from the grammar's productions is accepted.
        #[test]
        fn references_built_from_the_grammar_are_accepted(
            // A first path part with a `.` would be a registry, as with `docker pull`.
            reference in r"(([a-z0-9]{1,8}\.)[a-z]{2,5}(:[0-9]{1,5})?/)?[a-z0-9]{1,6}((_|__|-{1,3})[a-z0-9]{1,6}){0,2}(/[a-z0-9]{1,6}(([._]|__|-{1,3})[a-z0-9]{1,6}){0,2}){0,2}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,20})?(@sha256:[0-9a-f]{64})?",
        ) {
            prop_assert!(image_reference(&reference).is_ok(), "{}: {:?}", reference, image_reference(&reference));
        }

        /// Whatever the text, an accepted reference holds no white space or control character.
        #[test]
        fn an_accepted_reference_holds_no_white_space_or_control_character(text in ".{0,40}") {
            if image_reference(&text).is_ok() {
                prop_assert!(!text.chars().any(|c| c.is_whitespace() || c.is_control()));
            }
        }
    }

    #[test]
    fn references_the_kubelet_accepts_are_accepted() {
        let hex = "0123456789abcdef".repeat(4);
        for image in [
            ".",
            "nginx",
            "nginx:1.27",
            "library/nginx:latest",
            "ghcr.io/acme/web:1.0",
            "registry.example.com:5000/team/app:v1.2.3-rc_1",
            "localhost/app",
            "localhost:5000/a_b/c__d/e--f/g.h",
            "[::1]:5000/app:1",
            "10.0.0.1:5000/app",
            "Registry.Example.com/app",
            &format!("nginx@sha256:{hex}"),
            &format!("ghcr.io/acme/web:1.0@sha256:{hex}"),
            "app:_tag",
        ] {
            assert!(
                image_reference(image).is_ok(),
                "{image}: {:?}",
                image_reference(image)
            );
        }
    }

    #[test]
    fn references_the_kubelet_refuses_are_refused_naming_the_problem() {
        let cases = [
            ("ghcr.io/Acme/Web:1.0", "upper-case"),
            (" nginx", "white space"),
            ("nginx ", "white space"),
            ("nginx\u{1b}[2J", "control character"),
            ("nginx\n", "control character"),
            ("", "empty"),
            ("nginx:", "tag"),
            ("nginx:-x", "tag"),
            (&format!("nginx:{}", "a".repeat(129)), "tag"),
            ("nginx@sha256:abc", "digest"),
            ("nginx@:0123456789abcdef0123456789abcdef", "digest"),
            ("a//b", "empty part"),
            ("/a", "empty part"),
            ("a/", "empty part"),
            ("a..b", "separator"),
            ("a___b", "separator"),
            ("_a", "starts with"),
            ("a-", "ends with"),
            ("a/b$c", "character"),
            ("ex ample.com/a", "white space"),
            ("-bad.com/a", "registry"),
            ("host.com:80x/a", "registry"),
            ("${resources.img.name}", "placeholders"),
            (&"a".repeat(256), "255"),
        ];
        for (image, words) in cases {
            let err = image_reference(image).expect_err(image);
            assert!(err.contains(words), "{image:?}: {err}");
            assert!(err.contains("is not a valid image reference"), "{err}");
        }
    }
}
