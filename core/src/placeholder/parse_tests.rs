//! Tables of valid and invalid strings, and round-trip properties of the grammar.

use proptest::prelude::*;

use super::reference::Reference;
use super::{Part, Template, escape, parse};
use crate::{ErrorKind, Location};

/// A part as the tests write it: text, or a reference's segments and column.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Text(String),
    Ref(Vec<String>, usize),
}

fn t(text: &str) -> Shape {
    Shape::Text(text.to_string())
}

fn p(column: usize, segments: &[&str]) -> Shape {
    Shape::Ref(segments.iter().map(ToString::to_string).collect(), column)
}

fn shape(template: &Template) -> Vec<Shape> {
    template
        .parts()
        .iter()
        .map(|part| match part {
            Part::Text(text) => Shape::Text(text.clone()),
            Part::Placeholder(r) => Shape::Ref(r.segments().to_vec(), r.column()),
        })
        .collect()
}

#[test]
fn valid_strings_parse_into_the_expected_parts() {
    let table: Vec<(&str, Vec<Shape>)> = vec![
        ("", vec![]),
        ("plain text", vec![t("plain text")]),
        // Escapes and lone dollars.
        ("$${x}", vec![t("${x}")]),
        ("$$$${x}", vec![t("$${x}")]),
        (
            "$$${metadata.name}",
            vec![t("$"), p(3, &["metadata", "name"])],
        ),
        ("price: $$5", vec![t("price: $5")]),
        ("$HOME and $", vec![t("$HOME and $")]),
        ("$", vec![t("$")]),
        ("$$", vec![t("$")]),
        ("$${", vec![t("${")]),
        ("$${x", vec![t("${x")]),
        ("a}b]c{", vec![t("a}b]c{")]),
        ("$${a}${b}", vec![t("${a}"), p(6, &["b"])]),
        ("${x}$", vec![p(1, &["x"]), t("$")]),
        ("${a}}", vec![p(1, &["a"]), t("}")]),
        // Plain segments.
        ("${metadata.name}", vec![p(1, &["metadata", "name"])]),
        ("${LOG_LEVEL}", vec![p(1, &["LOG_LEVEL"])]),
        ("${a$b.c-d_e:f/g@h}", vec![p(1, &["a$b", "c-d_e:f/g@h"])]),
        ("${ spaced }", vec![p(1, &[" spaced "])]),
        (
            r"${metadata.annotations.example\.com/team}",
            vec![p(1, &["metadata", "annotations", "example.com/team"])],
        ),
        (r"${\.a\.}", vec![p(1, &[".a."])]),
        // Bracketed segments.
        (
            "${resources['dns#shared.api'].outputs.host}",
            vec![p(1, &["resources", "dns#shared.api", "outputs", "host"])],
        ),
        (r#"${a["x.y"]}"#, vec![p(1, &["a", "x.y"])]),
        ("${['a b'].c}", vec![p(1, &["a b", "c"])]),
        (r#"${a['x']["y"].z}"#, vec![p(1, &["a", "x", "y", "z"])]),
        (r"${a['it\'s']}", vec![p(1, &["a", "it's"])]),
        (r#"${a["say \"hi\""]}"#, vec![p(1, &["a", "say \"hi\""])]),
        (r"${a['back\\slash']}", vec![p(1, &["a", r"back\slash"])]),
        (r#"${a['"'].b["'"]}"#, vec![p(1, &["a", "\"", "b", "'"])]),
        ("${a['${x}.]']}", vec![p(1, &["a", "${x}.]"])]),
        ("${a['']}", vec![p(1, &["a", ""])]),
        // Adjacent placeholders and unicode around them.
        ("${a}${b.c}", vec![p(1, &["a"]), p(5, &["b", "c"])]),
        (
            "héllo ${ünï.cödé} wörld 🎉${x}",
            vec![
                t("héllo "),
                p(7, &["ünï", "cödé"]),
                t(" wörld 🎉"),
                p(26, &["x"]),
            ],
        ),
        ("línea\n${a}", vec![t("línea\n"), p(7, &["a"])]),
    ];
    for (input, expected) in table {
        let template = parse(input).unwrap_or_else(|e| panic!("{input:?} should parse: {e}"));
        assert_eq!(shape(&template), expected, "parsing {input:?}");
    }
}

#[test]
fn invalid_strings_report_the_column_and_what_to_change() {
    let table: &[(&str, usize, &str)] = &[
        (
            "${",
            1,
            "unterminated placeholder: add a closing `}`, or write `$${`",
        ),
        ("x ${a.b", 3, "unterminated placeholder"),
        ("${a.", 1, "unterminated placeholder"),
        ("ok ${a} then ${b", 14, "unterminated placeholder"),
        ("héllo ${ünï", 7, "unterminated placeholder"),
        ("${}", 1, "empty placeholder `${}`"),
        ("x${}", 2, "`$${}` for a literal"),
        ("${a..b}", 5, "empty segment"),
        ("${a.}", 5, "empty segment"),
        ("${.a}", 3, "empty segment"),
        ("${resources.${metadata.name}.host}", 13, "nested `${`"),
        ("${${x}}", 3, "nested `${`"),
        ("${a['b}", 5, "unclosed quote: add a closing `'`"),
        (r#"${a["b}"#, 5, "unclosed quote: add a closing `\"`"),
        (r"${a['b\", 5, "unclosed quote"),
        ("${a['b'}", 8, "missing `]`"),
        ("${a[b]}", 5, "must be quoted"),
        ("${a[]}", 5, "must be quoted"),
        ("${a]b}", 4, "unexpected `]`"),
        ("${]}", 3, "unexpected `]`"),
        ("${a{b}", 4, "unexpected `{`"),
        ("${a'b'}", 4, "unexpected quote"),
        ("${\"a\"}", 3, "in brackets"),
        (r"${a\b}", 4, "only `\\.`"),
        ("${a['b']c}", 9, "expected `.`, `[` or `}` after `]`"),
        (r"${a['\n']}", 6, "unknown escape"),
    ];
    for &(input, column, fragment) in table {
        let err = parse(input).expect_err(input);
        assert_eq!(err.column, column, "column for {input:?}: {err}");
        assert!(
            err.message.contains(fragment),
            "message for {input:?}: {err}"
        );
    }
}

#[test]
fn a_syntax_error_becomes_a_placeholder_error_at_the_value() {
    let err = parse("id-${a..b}").unwrap_err();
    assert_eq!(err.to_string(), format!("column 8: {}", err.message));
    let error = err.into_error(Location::in_file("score.yaml").at(3, 9));
    assert_eq!(error.kind(), ErrorKind::Placeholder);
    assert!(
        error
            .message()
            .starts_with("at column 8 of the value: empty segment")
    );
    assert_eq!(error.location().line, Some(3));
}

#[test]
fn template_queries() {
    let single = parse("${resources.db.port}").unwrap();
    assert_eq!(
        single.as_single_reference().map(Reference::root),
        Some("resources")
    );
    assert!(!single.is_literal());
    assert_eq!(single.literal_text(), None);

    let mixed = parse("a ${x} b ${y.z}").unwrap();
    assert_eq!(mixed.as_single_reference(), None);
    let roots: Vec<_> = mixed.references().map(ToString::to_string).collect();
    assert_eq!(roots, ["x", "y.z"]);

    let literal = parse("$${x}").unwrap();
    assert!(literal.is_literal());
    assert_eq!(literal.literal_text(), Some("${x}"));
    assert_eq!(parse("").unwrap().literal_text(), Some(""));
    assert_eq!("${a}".parse::<Template>().unwrap(), parse("${a}").unwrap());
}

fn without_columns(shapes: Vec<Shape>) -> Vec<Shape> {
    let forget = |shape| match shape {
        Shape::Ref(segments, _) => Shape::Ref(segments, 0),
        text => text,
    };
    shapes.into_iter().map(forget).collect()
}

/// Text heavy in the characters the grammar cares about.
fn tricky_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '$', '{', '}', '[', ']', '.', '\\', '\'', '"', 'a', ' ',
    ]);
    prop::collection::vec(prop_oneof![4 => special, 1 => any::<char>()], 0..24)
        .prop_map(|chars| chars.into_iter().collect())
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9_-]{1,8}", tricky_text()]
}

fn random_shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        tricky_text().prop_map(Shape::Text),
        prop::collection::vec(segment(), 1..4).prop_map(|segments| Shape::Ref(segments, 0)),
    ]
}

/// Writes shapes in placeholder syntax; returns the text and the shapes a parser should find
/// (adjacent text merged, empty text dropped, columns filled in).
fn render(shapes: &[Shape]) -> (String, Vec<Shape>) {
    let mut text = String::new();
    let mut expected: Vec<Shape> = Vec::new();
    for shape in shapes {
        match shape {
            Shape::Text(t) if t.is_empty() => {}
            Shape::Text(t) => {
                text.push_str(&escape(t));
                match expected.last_mut() {
                    Some(Shape::Text(previous)) => previous.push_str(t),
                    _ => expected.push(Shape::Text(t.clone())),
                }
            }
            Shape::Ref(segments, _) => {
                let column = text.chars().count() + 1;
                text.push_str(&Reference::new(segments.clone(), column).to_placeholder());
                expected.push(Shape::Ref(segments.clone(), column));
            }
        }
    }
    (text, expected)
}

proptest! {
    #[test]
    fn an_escaped_string_parses_back_to_itself(s in prop_oneof![tricky_text(), any::<String>()]) {
        let template = parse(&escape(&s)).unwrap();
        let expected = if s.is_empty() { vec![] } else { vec![Shape::Text(s.clone())] };
        prop_assert_eq!(shape(&template), expected);
    }

    #[test]
    fn rendered_parts_parse_back_to_the_same_parts(shapes in prop::collection::vec(random_shape(), 0..6)) {
        let (text, expected) = render(&shapes);
        let template = parse(&text).unwrap();
        prop_assert_eq!(shape(&template), expected);
        prop_assert_eq!(template.to_string(), text);
    }

    #[test]
    fn any_string_either_fails_or_round_trips_through_display(s in tricky_text()) {
        if let Ok(template) = parse(&s) {
            let again = parse(&template.to_string()).unwrap();
            prop_assert_eq!(without_columns(shape(&again)), without_columns(shape(&template)));
        }
    }
}
