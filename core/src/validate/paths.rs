//! Path rules: file targets inside containers, file sources beside the Score file, volume
//! sub-paths, and the check that a resolved file stays inside its folder.
//!
//! The text rules are checked on the path as written, the same way on every platform: both `/`
//! and `\` separate segments of relative paths, so `..\secret` is refused on Linux as well.
//!
//! ```
//! use goldpath::validate::paths;
//!
//! assert!(paths::file_target("/etc/app/config.yaml").is_ok());
//! assert!(paths::file_target("/app/../etc/passwd").is_err());
//! assert!(paths::file_source("config/app.yaml").is_ok());
//! assert!(paths::file_source("../../etc/shadow").is_err());
//! ```

use std::path::Path;

use super::names::quoted;

/// Top-level folders of a container that hold the kernel's own files; a mounted file there
/// would hide them.
const KERNEL_FOLDERS: [&str; 3] = ["proc", "sys", "dev"];

/// The first control character (NUL, newline, ...) in `value`, as a reason.
fn control_problem(value: &str) -> Option<String> {
    let c = value.chars().find(|c| c.is_control())?;
    Some(format!(
        "it contains the control character `{}`; remove it",
        c.escape_default()
    ))
}

/// The error of `value` not being a valid `what` for `reason`.
fn broken(value: &str, what: &str, reason: &str) -> Result<(), String> {
    Err(format!("{} is not a valid {what}: {reason}", quoted(value)))
}

/// Checks the target of a container file: a clean absolute path (no `.` or `..` segment, no
/// `//`, no trailing `/`), not `/` itself, no control character, and not under `/proc`, `/sys`
/// or `/dev`.
///
/// ```
/// use goldpath::validate::paths::file_target;
///
/// assert!(file_target("/etc/nginx/nginx.conf").is_ok());
/// assert!(file_target("etc/nginx.conf").unwrap_err().contains("absolute"));
/// assert!(file_target("/proc/self/environ").unwrap_err().contains("`/proc`"));
/// ```
///
/// # Errors
///
/// A sentence naming the target, what is wrong and what to write instead.
pub fn file_target(value: &str) -> Result<(), String> {
    match target_problem(value) {
        None => Ok(()),
        Some(reason) => broken(value, "file target", &reason),
    }
}

fn target_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some(
            "it is empty; write an absolute path such as `/etc/app/config.yaml`".to_owned(),
        );
    }
    if let Some(reason) = control_problem(value) {
        return Some(reason);
    }
    let Some(relative) = value.strip_prefix('/') else {
        return Some("it is relative; write an absolute path that starts with `/`".to_owned());
    };
    if relative.is_empty() {
        return Some(
            "it is the root folder `/`; name a file, such as `/etc/app/config.yaml`".to_owned(),
        );
    }
    if relative.ends_with('/') {
        return Some("it ends with `/`; name a file, without the trailing `/`".to_owned());
    }
    let segments: Vec<&str> = relative.split('/').collect();
    if segments.contains(&"") {
        return Some("it contains `//`; separate folders with a single `/`".to_owned());
    }
    if let Some(dots) = segments.iter().find(|s| matches!(**s, "." | "..")) {
        return Some(format!(
            "it contains the segment `{dots}`; write the normalised path, without `.` or `..` segments"
        ));
    }
    let top = segments[0];
    KERNEL_FOLDERS.contains(&top).then(|| {
        format!("it is under `/{top}`, which holds the kernel's own files that a mounted file would hide; choose a target elsewhere")
    })
}

/// Why `value`, a path that must stay below `base`, could leave it: a control character, an
/// absolute path, or a `..` segment.
fn escape_problem(value: &str, base: &str) -> Option<String> {
    if let Some(reason) = control_problem(value) {
        return Some(reason);
    }
    let drive = matches!(value.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
    if value.starts_with(['/', '\\']) || drive || Path::new(value).is_absolute() {
        return Some(format!("it is absolute; write a path relative to {base}"));
    }
    value
        .split(['/', '\\'])
        .any(|segment| segment == "..")
        .then(|| {
            format!(
                "it contains a `..` segment, which could lead out of {base}; write a path inside it"
            )
        })
}

/// Checks the `source` of a container file: a non-empty relative path with no `..` segment
/// and no control character. The loader joins it to the Score file's folder and checks with
/// [`contained_in`] that symbolic links do not lead out of it.
///
/// ```
/// use goldpath::validate::paths::file_source;
///
/// assert!(file_source("config/app.yaml").is_ok());
/// assert!(file_source("/etc/passwd").unwrap_err().contains("absolute"));
/// ```
///
/// # Errors
///
/// A sentence naming the source, what is wrong and what to write instead.
pub fn file_source(value: &str) -> Result<(), String> {
    let base = "the Score file's folder";
    let reason = if value.is_empty() {
        Some(format!("it is empty; write a path relative to {base}"))
    } else {
        escape_problem(value, base)
    };
    match reason {
        None => Ok(()),
        Some(reason) => broken(value, "file source", &reason),
    }
}

/// Checks the `path` of a volume mount (its `subPath`): relative, with no `..` segment and no
/// control character. Empty means the volume's root and is valid.
///
/// ```
/// use goldpath::validate::paths::sub_path;
///
/// assert!(sub_path("data/db").is_ok());
/// assert!(sub_path("../other").is_err());
/// ```
///
/// # Errors
///
/// A sentence naming the path, what is wrong and what to write instead.
pub fn sub_path(value: &str) -> Result<(), String> {
    match escape_problem(value, "the volume's root") {
        None => Ok(()),
        Some(reason) => broken(value, "volume path", &reason),
    }
}

/// Checks that `candidate`, with every symbolic link resolved, lies inside `root` (also
/// resolved). Both must exist. The message names `candidate` relative to `root` and never
/// shows where outside it the path leads.
///
/// ```
/// use goldpath::validate::paths::contained_in;
///
/// let root = std::env::temp_dir();
/// assert!(contained_in(&root, &root).is_ok());
/// assert!(contained_in(&root, std::path::Path::new("/")).is_err());
/// ```
///
/// # Errors
///
/// A sentence naming the path when it cannot be resolved or leads out of `root`.
pub fn contained_in(root: &Path, candidate: &Path) -> Result<(), String> {
    let shown = candidate.strip_prefix(root).unwrap_or(candidate);
    let shown = quoted(&shown.to_string_lossy());
    let resolved_root = root
        .canonicalize()
        .map_err(|err| format!("the folder of {shown} cannot be resolved: {err}"))?;
    let resolved = candidate
        .canonicalize()
        .map_err(|err| format!("{shown} cannot be read: {err}; check that the file exists"))?;
    if resolved.starts_with(&resolved_root) {
        return Ok(());
    }
    Err(format!(
        "{shown} leads out of its folder (through `..` or a symbolic link); keep the file inside the folder and use a regular file instead of a link that points outside"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rule = fn(&str) -> Result<(), String>;

    /// Asserts each `(input, expected)`: `None` = valid, `Some(words)` = an error containing them.
    fn check_table(rule: Rule, what: &str, cases: &[(&str, Option<&str>)]) {
        for (input, expected) in cases {
            match (rule(input), expected) {
                (Ok(()), None) => {}
                (Err(err), Some(words)) => {
                    assert!(err.contains(&format!("is not a valid {what}: ")), "{err}");
                    assert!(
                        err.contains(words),
                        "{what} {input:?}: {err:?} lacks {words:?}"
                    );
                }
                (result, _) => panic!("{what} {input:?}: unexpected {result:?}"),
            }
        }
    }

    #[test]
    fn file_target_table() {
        check_table(
            file_target,
            "file target",
            &[
                ("/etc/app/config.yaml", None),
                ("/app/.env", None),
                ("/a", None),
                ("/app/..hidden", None),
                ("/process/x", None),
                ("/app/ünïcode file", None),
                ("", Some("it is empty")),
                ("/", Some("the root folder `/`")),
                ("etc/app.conf", Some("it is relative")),
                ("./app.conf", Some("it is relative")),
                ("/app/", Some("ends with `/`")),
                ("/app//x", Some("contains `//`")),
                ("//app", Some("contains `//`")),
                ("/app/./x", Some("the segment `.`")),
                ("/app/config/../../../etc/passwd", Some("the segment `..`")),
                ("/app/..", Some("the segment `..`")),
                ("/proc/self/environ", Some("under `/proc`")),
                ("/sys/kernel", Some("under `/sys`")),
                ("/dev/null", Some("under `/dev`")),
                ("/dev", Some("under `/dev`")),
                ("/app/x\n", Some("control character `\\n`")),
                ("/app/x\0y", Some("control character `\\u{0}`")),
                ("/app/\tx", Some("control character `\\t`")),
            ],
        );
    }

    #[test]
    fn file_target_message_escapes_the_value() {
        let err = file_target("/app\n/x").unwrap_err();
        assert!(
            err.starts_with("`/app\\n/x` is not a valid file target"),
            "{err}"
        );
        assert!(!err.contains('\n'));
    }

    #[test]
    fn file_source_table() {
        check_table(
            file_source,
            "file source",
            &[
                ("app.yaml", None),
                ("config/app.yaml", None),
                ("./config/app.yaml", None),
                ("..config", None),
                ("a..b/c", None),
                ("", Some("it is empty")),
                ("/etc/passwd", Some("it is absolute")),
                ("\\\\server\\share", Some("it is absolute")),
                ("C:\\secrets", Some("it is absolute")),
                ("c:/secrets", Some("it is absolute")),
                ("../secret", Some("a `..` segment")),
                ("config/../../secret", Some("a `..` segment")),
                ("config\\..\\..\\secret", Some("a `..` segment")),
                ("..", Some("a `..` segment")),
                ("app\0.yaml", Some("control character")),
                ("app.yaml\n", Some("control character")),
            ],
        );
    }

    #[test]
    fn sub_path_table() {
        check_table(
            sub_path,
            "volume path",
            &[
                ("", None),
                ("data", None),
                ("data/db", None),
                ("data/..db", None),
                ("/data", Some("it is absolute")),
                ("../other", Some("a `..` segment")),
                ("data/../../other", Some("a `..` segment")),
                ("data/..", Some("a `..` segment")),
                ("data\n", Some("control character")),
            ],
        );
    }

    #[cfg(unix)]
    #[test]
    fn contained_in_follows_symlinks() {
        let outside = tempfile::tempdir().expect("temp dir");
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "x").expect("write secret");

        let root = tempfile::tempdir().expect("temp dir");
        let config = root.path().join("config");
        std::fs::create_dir(&config).expect("create config");
        std::fs::write(config.join("app.yaml"), "a: 1").expect("write app.yaml");
        std::os::unix::fs::symlink(&secret, config.join("link.txt")).expect("symlink");
        std::os::unix::fs::symlink("app.yaml", config.join("inner.yaml")).expect("symlink");

        assert_eq!(contained_in(root.path(), &config.join("app.yaml")), Ok(()));
        assert_eq!(
            contained_in(root.path(), &config.join("inner.yaml")),
            Ok(())
        );
        assert_eq!(contained_in(root.path(), root.path()), Ok(()));

        let err = contained_in(root.path(), &config.join("link.txt")).unwrap_err();
        assert!(
            err.starts_with("`config/link.txt` leads out of its folder"),
            "{err}"
        );
        assert!(
            !err.contains(&outside.path().to_string_lossy().into_owned()),
            "{err}"
        );

        // A name next to the temporary folder that nothing else creates (`/tmp/x` may exist).
        let root_name = root.path().file_name().expect("name").to_string_lossy();
        let missing = format!("../../{root_name}-missing");
        let err = contained_in(root.path(), &config.join(missing)).unwrap_err();
        assert!(err.contains("cannot be read"), "{err}");
        let escape = root
            .path()
            .join("config/../..")
            .join(outside.path().file_name().expect("name"));
        let err = contained_in(root.path(), &escape.join("secret.txt")).unwrap_err();
        assert!(err.contains("leads out of its folder"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn contained_in_resolves_a_symlinked_root() {
        let real = tempfile::tempdir().expect("temp dir");
        std::fs::write(real.path().join("app.yaml"), "a: 1").expect("write");
        let holder = tempfile::tempdir().expect("temp dir");
        let linked_root = holder.path().join("project");
        std::os::unix::fs::symlink(real.path(), &linked_root).expect("symlink");
        assert_eq!(
            contained_in(&linked_root, &linked_root.join("app.yaml")),
            Ok(())
        );
        assert_eq!(
            contained_in(&linked_root, &real.path().join("app.yaml")),
            Ok(())
        );
    }

    #[test]
    fn contained_in_reports_a_missing_file() {
        let root = tempfile::tempdir().expect("temp dir");
        let err = contained_in(root.path(), &root.path().join("missing.yaml")).unwrap_err();
        assert!(err.starts_with("`missing.yaml` cannot be read"), "{err}");
    }
}
