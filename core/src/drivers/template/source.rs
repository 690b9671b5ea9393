//! A template source split into its statement prelude and a body whose only tags are
//! `{{ expression }}` holes, following minijinja's lexer (default delimiters, `trim_blocks`,
//! `lstrip_blocks`, no trailing newline kept).

/// The characters a source may not contain for the fast path: the skeleton's placeholder
/// marks and the delimiter of the fast template's output.
pub(super) const RESERVED: [char; 3] = ['\u{E000}', '\u{E001}', '\u{E002}'];

/// One `{{ expression }}` of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Hole {
    /// The text between `{{` and `}}`, verbatim.
    pub(super) expression: String,
    /// Where `{{` starts in the body.
    pub(super) start: usize,
    /// Where the text after `}}` starts in the body.
    pub(super) end: usize,
}

/// A source as prelude and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Split {
    /// Everything up to the end of the last `{% %}` or `{# #}` tag and its newline, verbatim:
    /// it must render whitespace only.
    pub(super) prelude: String,
    /// The rest, as minijinja renders it apart from its holes (a trailing newline removed).
    pub(super) body: String,
    /// The holes of the body, in order, none adjacent to the next.
    pub(super) holes: Vec<Hole>,
}

/// A tag found in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Variable,
    Block,
    Comment,
}

/// Splits `source`, or `None` when its body holds anything but `{{ }}` holes (statements,
/// comments, whitespace control), text stands between the prelude's tags, or it uses a
/// reserved character.
pub(super) fn split(source: &str) -> Option<Split> {
    if source.contains(RESERVED) || source.contains('\r') {
        return None;
    }
    // minijinja drops one trailing newline (`keep_trailing_newline` is off).
    let source = source.strip_suffix('\n').unwrap_or(source);
    let bytes = source.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(found) = find_start(bytes, at) {
        let (tag, start) = found;
        let end = tag_end(bytes, start, tag)?;
        tags.push((tag, start, end));
        at = end;
    }
    let body_start = match tags.iter().rev().find(|(tag, _, _)| *tag != Tag::Variable) {
        None => 0,
        Some(&(_, start, end)) => {
            // The last statement must end plainly (`%}`, not `-%}`) and its line with it.
            let marker = &source[start..end];
            if marker.ends_with("-%}") || marker.ends_with("+%}") || marker.ends_with("-#}") {
                return None;
            }
            if marker.ends_with("+#}") {
                return None;
            }
            match bytes.get(end) {
                None => end,
                Some(b'\n') => end + 1,
                Some(_) => return None,
            }
        }
    };
    // Text between the prelude's tags would be rendered (it holds YAML, or the body of a
    // loop): only blank text may stand there.
    let mut gap_start = 0;
    for &(_, start, end) in tags.iter().filter(|(_, start, _)| *start < body_start) {
        if !source[gap_start..start]
            .bytes()
            .all(|b| b == b' ' || b == b'\n')
        {
            return None;
        }
        gap_start = end;
    }
    let body = &source[body_start..];
    let mut holes: Vec<Hole> = Vec::new();
    for &(_, start, end) in tags.iter().filter(|(_, start, _)| *start >= body_start) {
        let inner = &source[start + 2..end - 2];
        if inner.starts_with(['-', '+']) || inner.ends_with(['-', '+']) {
            return None;
        }
        let (start, end) = (start - body_start, end - body_start);
        if holes.last().is_some_and(|last| last.end == start) {
            return None;
        }
        holes.push(Hole {
            expression: inner.to_owned(),
            start,
            end,
        });
    }
    if tags
        .iter()
        .any(|&(tag, start, _)| start >= body_start && tag != Tag::Variable)
    {
        return None;
    }
    Some(Split {
        prelude: source[..body_start].to_owned(),
        body: body.to_owned(),
        holes,
    })
}

/// The next `{{`, `{%` or `{#` at or after `at`.
fn find_start(bytes: &[u8], mut at: usize) -> Option<(Tag, usize)> {
    while at + 1 < bytes.len() {
        if bytes[at] == b'{' {
            let tag = match bytes[at + 1] {
                b'{' => Some(Tag::Variable),
                b'%' => Some(Tag::Block),
                b'#' => Some(Tag::Comment),
                _ => None,
            };
            if let Some(tag) = tag {
                return Some((tag, at));
            }
        }
        at += 1;
    }
    None
}

/// Where the tag starting at `start` ends (after its `}}`, `%}` or `#}`); `None` for a tag
/// that does not end, or a `{% raw %}` block (its content is not lexed).
fn tag_end(bytes: &[u8], start: usize, tag: Tag) -> Option<usize> {
    let from = start + 2;
    match tag {
        Tag::Comment => find(bytes, from, b"#}").map(|at| at + 2),
        Tag::Variable => expression_end(bytes, from, b'}'),
        Tag::Block => {
            let text = std::str::from_utf8(&bytes[from..]).ok()?;
            let word = text.trim_start_matches(['-', '+']).trim_start();
            if word.starts_with("raw") {
                return None;
            }
            expression_end(bytes, from, b'%')
        }
    }
}

/// The end of an expression tag closed by `{close}}`: the first such marker outside string
/// literals and brackets, as minijinja's lexer finds it.
fn expression_end(bytes: &[u8], mut at: usize, close: u8) -> Option<usize> {
    let mut depth: isize = 0;
    while at < bytes.len() {
        match bytes[at] {
            quote @ (b'"' | b'\'') => at = string_end(bytes, at, quote)?,
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth -= 1,
            b'}' if depth == 0 && close == b'}' && bytes.get(at + 1) == Some(&b'}') => {
                return Some(at + 2);
            }
            b'}' => depth -= 1,
            b'%' if depth == 0 && close == b'%' && bytes.get(at + 1) == Some(&b'}') => {
                return Some(at + 2);
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The index of the quote closing the string literal opening at `at`.
fn string_end(bytes: &[u8], at: usize, quote: u8) -> Option<usize> {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_at_the_top_form_the_prelude() {
        let split = split("{% set a = 1 %}\n{# c #}\nx: {{ a }}\ny: b-{{ \"}}\" }}\n").unwrap();
        assert_eq!(split.prelude, "{% set a = 1 %}\n{# c #}\n");
        assert_eq!(split.body, "x: {{ a }}\ny: b-{{ \"}}\" }}");
        let exprs: Vec<_> = split.holes.iter().map(|h| h.expression.as_str()).collect();
        assert_eq!(exprs, [" a ", " \"}}\" "]);
        assert_eq!(
            &split.body[split.holes[0].start..split.holes[0].end],
            "{{ a }}"
        );
    }

    #[test]
    fn structure_in_the_body_is_refused() {
        for source in [
            "a: 1\n{% if x %}\nb: 2\n{% endif %}\nc: {% if y %}1{% endif %}",
            "{% for i in x %}\n- {{ i }}\n{% endfor %}\n- {{ a }}{% if b %}x{% endif %}",
            "a: {{- x }}",
            "a: {{ x -}}",
            "a: {{ x }}{{ y }}",
            "{% set a = 1 -%}\nb: {{ a }}",
            "{% set a = 1 %} b: {{ a }}",
            "a: {{ x",
            "{% raw %}{{ x }}{% endraw %}\n",
            "a: \u{E000}",
        ] {
            assert_eq!(split(source), None, "{source}");
        }
    }

    #[test]
    fn a_template_without_tags_is_all_body() {
        let split = split("a: 1\n").unwrap();
        assert_eq!(split.prelude, "");
        assert_eq!(split.body, "a: 1");
        assert!(split.holes.is_empty());
    }
}
