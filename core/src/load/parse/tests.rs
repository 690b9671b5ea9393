//! The fast path against the spanned path: for the Score examples of the upstream
//! specification (when `../shared/upstream/score` is there), every YAML file of `fixtures/`,
//! and mutated variants of them, loading gives the documents or the error the spanned path
//! alone gives, and the fast parser accepts exactly what the spanned parser accepts, with the
//! same values and document lines.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{documents, spanned_documents};
use crate::ErrorKind;
use crate::load::document::Origin;
use crate::load::{Limits, events, fast, yaml};

/// Seeds larger than this are left out: mutating them would only slow the tests.
const MAX_SEED_BYTES: u64 = 16 * 1024;

/// One input: its name, the folder its `source`s resolve against, and its text.
#[derive(Debug, Clone)]
struct Seed {
    name: String,
    folder: PathBuf,
    text: String,
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every YAML file below `root`, in path order.
fn yaml_files(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

/// The fixtures of the repository and, when present, the upstream Score examples.
fn seeds() -> Vec<Seed> {
    let mut files = Vec::new();
    yaml_files(&repository().join("fixtures"), &mut files);
    let upstream = repository().join("../shared/upstream/score/examples");
    if upstream.is_dir() {
        yaml_files(&upstream, &mut files);
    } else {
        println!(
            "upstream Score examples not found at {}: skipped",
            upstream.display()
        );
    }
    files
        .into_iter()
        .filter(|f| std::fs::metadata(f).is_ok_and(|m| m.len() <= MAX_SEED_BYTES))
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            Some(Seed {
                name: f.display().to_string(),
                folder: f
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
                text,
            })
        })
        .collect()
}

/// Asserts the two laws on one text: the parsers agree, and loading agrees with the spanned
/// path. Returns whether the text loaded.
fn check(name: &str, folder: &Path, text: &str, limits: &Limits) -> bool {
    let origin = Origin::new(Some(name.to_owned()), Some(folder.to_path_buf()));
    let root = crate::DocPath::root();
    match (
        fast::parse_stream(text, limits),
        yaml::parse_stream(text, limits),
    ) {
        (Some(fast), Ok(spanned)) => {
            assert_eq!(fast.len(), spanned.len(), "{name}: documents\n{text}");
            for (f, s) in fast.iter().zip(&spanned) {
                assert_eq!(f.value, s.value, "{name}: values\n{text}");
                assert_eq!(
                    f.position(&root, false),
                    s.position(&root, false),
                    "{name}: document start\n{text}"
                );
            }
        }
        (Some(_), Err(e)) => {
            panic!("{name}: the fast parser accepts what fails with `{e}`\n{text}")
        }
        (None, Ok(_)) => panic!("{name}: the fast parser refuses a valid text\n{text}"),
        (None, Err(_)) => {}
    }
    events_agree(name, text, limits);
    let loaded = documents(text, limits, &origin, None);
    assert_eq!(
        loaded,
        spanned_documents(text, limits, &origin, None),
        "{name}\n{text}"
    );
    loaded.is_ok()
}

/// The event path gives the serde path's documents or nothing: it never accepts a text the
/// serde path refuses.
fn events_agree(name: &str, text: &str, limits: &Limits) {
    let Some(events) = events::parse_stream(text, limits) else {
        return;
    };
    let Some(fast) = fast::parse_stream(text, limits) else {
        panic!("{name}: the event path accepts what the serde path refuses\n{text}");
    };
    let root = crate::DocPath::root();
    assert_eq!(events.len(), fast.len(), "{name}: documents\n{text}");
    for (e, f) in events.iter().zip(&fast) {
        assert_eq!(e.value, f.value, "{name}: values\n{text}");
        assert_eq!(
            e.position(&root, false),
            f.position(&root, false),
            "{name}: document start\n{text}"
        );
    }
}

#[test]
fn every_seed_loads_as_on_the_spanned_path() {
    let limits = Limits::default();
    let seeds = seeds();
    assert!(
        seeds.len() >= 20,
        "fixtures not found: {} seeds",
        seeds.len()
    );
    let fixtures = repository().join("fixtures").display().to_string();
    // The event path must be the common path, not a dead one.
    let taken = seeds
        .iter()
        .filter(|s| events::parse_stream(&s.text, &limits).is_some())
        .count();
    assert!(taken * 2 > seeds.len(), "{taken} of {}", seeds.len());
    for seed in &seeds {
        let loaded = check(&seed.name, &seed.folder, &seed.text, &limits);
        // Each fixture input loads on its own (rules across files aside); the golden
        // manifests are Kubernetes objects, not goldpath documents.
        if seed.name.starts_with(&fixtures) {
            assert_eq!(loaded, !seed.name.contains("golden"), "{}", seed.name);
        }
    }
}

#[test]
fn each_line_removed_or_repeated_gives_the_same_result() {
    let limits = Limits::default();
    // The inputs, not the golden manifests (outputs, and long).
    let inputs = seeds().into_iter().filter(|s| !s.name.contains("golden"));
    for seed in inputs {
        let lines: Vec<&str> = seed.text.split_inclusive('\n').collect();
        for i in 0..lines.len() {
            let without: String = lines[..i].concat() + &lines[i + 1..].concat();
            check(&seed.name, &seed.folder, &without, &limits);
            // A repeated key line is a duplicate key, a repeated item a longer list.
            let repeated: String = lines[..=i].concat() + &lines[i..].concat();
            check(&seed.name, &seed.folder, &repeated, &limits);
        }
    }
}

/// Fragments that steer mutated YAML towards the corners where two parsers could differ:
/// keys the parser holds equal under different spellings, aliases, merges, tags, scalars
/// that YAML 1.1 and 1.2 read differently, structure.
const TOKENS: &[&str] = &[
    "&a ",
    "*a",
    "<<: *a\n",
    "? ",
    "!!str ",
    "!!int ",
    "!custom ",
    "0x1F",
    "0o17",
    "1_000",
    "+1",
    "-0",
    "1.0",
    "1e3",
    ".inf",
    ".nan",
    "~",
    "null",
    "NO",
    "yes",
    "0755",
    "1:30",
    "'",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ": ",
    "- ",
    "\n",
    "  ",
    "#",
    "---\n",
    "...\n",
    "|\n  ",
    ">-\n  ",
    "\t",
    "\u{feff}",
    "é",
    "\u{0}",
    "\r\n",
    "1: x\n",
    "0x1: y\n",
    "\"1\": z\n",
    "01: w\n",
    "true: t\n",
    "~: n\n",
    "a: 1\n",
    "apiVersion: score.dev/v1b1\n",
    "metadata: {name: x}\n",
    "containers: {}\n",
    "resources: {}\n",
];

/// One edit of a text: a fragment inserted, or a range deleted, at a place given as a
/// fraction of the text (so that one strategy fits every seed).
#[derive(Debug, Clone)]
enum Edit {
    Insert(f64, &'static str),
    Delete(f64, usize),
}

fn apply(text: &str, edit: &Edit) -> String {
    let at = |fraction: f64| {
        // Truncation is the point: a place inside the text.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let mut i = (fraction * text.len() as f64) as usize;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match edit {
        Edit::Insert(place, token) => {
            let i = at(*place);
            format!("{}{token}{}", &text[..i], &text[i..])
        }
        Edit::Delete(place, len) => {
            let i = at(*place);
            let mut end = (i + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            format!("{}{}", &text[..i], &text[end..])
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0.0..1.0f64, proptest::sample::select(TOKENS)).prop_map(|(p, t)| Edit::Insert(p, t)),
        (0.0..1.0f64, 1usize..12).prop_map(|(p, n)| Edit::Delete(p, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn mutated_seeds_give_the_same_result(
        pick in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let seeds = seeds();
        let seed = pick.get(&seeds);
        let text = edits.iter().fold(seed.text.clone(), |t, e| apply(&t, e));
        check(&seed.name, &seed.folder, &text, &Limits::default());
    }
}

/// An alias bomb: each level doubles the one below; the last expands to 2^20 nodes.
fn billion_laughs() -> String {
    let mut text = "a0: &a0 [x, x]\n".to_owned();
    for i in 1..=20 {
        text.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
    }
    text
}

#[test]
fn limits_refuse_on_the_fast_path_with_the_errors_of_the_spanned_path() {
    let limits = Limits::default();
    let deep = format!("a: {}1{}\n", "[".repeat(100), "]".repeat(100));
    let wide = format!("a: [{}]\n", "1, ".repeat(300_000));
    let big = format!("a: \"{}\"\n", "x".repeat(limits.max_document_bytes));
    let cases = [
        (billion_laughs(), "billion laughs"),
        (deep, "nesting is deeper than the limit"),
        (wide, "more nodes"),
        (big, "more than the limit of 4194304 bytes"),
        ("a: 1\na: 2\n".to_owned(), "duplicate key `a`"),
    ];
    let origin = Origin::new(Some("hostile.yaml".to_owned()), None);
    for (text, expected) in cases {
        assert!(fast::parse_stream(&text, &limits).is_none(), "{expected}");
        assert!(events::parse_stream(&text, &limits).is_none(), "{expected}");
        let err = documents(&text, &limits, &origin, None).unwrap_err();
        assert!(err.message().contains(expected), "{expected}: {err}");
        assert_eq!(
            Err(err),
            spanned_documents(&text, &limits, &origin, None),
            "{expected}"
        );
    }
}

#[test]
fn a_duplicate_key_is_reported_at_its_place() {
    let text = "apiVersion: score.dev/v1b1\nmetadata:\n  name: web\ncontainers:\n  main:\n    image: a\n    image: b\n";
    let origin = Origin::new(Some("score.yaml".to_owned()), None);
    let err = documents(text, &Limits::default(), &origin, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Yaml);
    assert_eq!(err.location().line, Some(7));
    assert!(err.to_string().starts_with("score.yaml:7:"), "{err}");
}
