//! goldpath's JSON Schemas, embedded at build time and compiled once per process, and the
//! translation of schema errors into findings a user can act on.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::validate::Findings;
use crate::{DocPath, ErrorKind, PathSegment};

/// The JSON Schema of Score workloads, as shipped in `schemas/`.
pub const SCORE_SCHEMA: &str = include_str!("../../../schemas/score-v1b1.schema.json");
/// The JSON Schema of goldpath platform documents, as shipped in `schemas/`.
pub const PLATFORM_SCHEMA: &str = include_str!("../../../schemas/platform.schema.json");
/// The JSON Schema of deployment records, as shipped in `schemas/`.
pub const DEPLOYMENT_SCHEMA: &str = include_str!("../../../schemas/deployment.schema.json");

/// A compiled schema together with its source document (for descriptions in messages).
pub(crate) struct Schema {
    document: Value,
    validator: Validator,
}

/// The compiled Score schema.
pub(crate) fn score() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::compile(SCORE_SCHEMA))
}

/// The compiled platform schema.
pub(crate) fn platform() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::compile(PLATFORM_SCHEMA))
}

/// Looks up the source text of the scalar at a path, to quote it in messages.
pub(crate) type RawText<'a> = &'a dyn Fn(&DocPath) -> Option<String>;

impl Schema {
    fn compile(text: &str) -> Self {
        // The schemas are part of the crate and compiled by its tests: failing here is a bug.
        let document: Value = serde_json::from_str(text).expect("embedded schema is valid JSON");
        let validator = jsonschema::validator_for(&document).expect("embedded schema compiles");
        Self {
            document,
            validator,
        }
    }

    /// Every schema violation of `value`, as findings of kind [`ErrorKind::Schema`].
    pub fn findings(&self, value: &Value, raw: RawText<'_>) -> Findings {
        let mut findings = Findings::new();
        if self.validator.is_valid(value) {
            return findings;
        }
        for error in self.validator.iter_errors(value) {
            self.describe(&error, value, raw, &mut findings);
        }
        findings
    }

    fn describe(
        &self,
        error: &ValidationError<'_>,
        doc: &Value,
        raw: RawText<'_>,
        out: &mut Findings,
    ) {
        let path = DocPath::from_json_pointer(error.instance_path().as_str(), Some(doc));
        let masked = is_secret_path(&path);
        let shown = || show(error.instance(), masked);
        let message = match error.kind() {
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                if let Some(branch) = best_branch(context) {
                    for inner in branch {
                        self.describe(inner, doc, raw, out);
                    }
                    return;
                }
                if let Some(expected) = expected_types(context) {
                    format!("expected {expected}, found {}", shown())
                } else {
                    format!(
                        "{} does not match any allowed form{}",
                        shown(),
                        self.hint(error)
                    )
                }
            }
            ValidationErrorKind::OneOfMultipleValid { .. } => {
                format!("matches more than one allowed form{}", self.hint(error))
            }
            ValidationErrorKind::Required { property } => {
                format!(
                    "missing required field {}{}",
                    show(property, false),
                    self.hint(error)
                )
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                for key in unexpected {
                    let message = format!("unknown field `{key}`{}", self.allowed_fields(error));
                    out.push(ErrorKind::Schema, path.clone().key(key.clone()), message);
                }
                return;
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                let key = inner.instance().as_str().unwrap_or_default().to_owned();
                let message = format!("the key `{key}` is not allowed: {}", self.rule_text(inner));
                out.push(ErrorKind::Schema, path.key(key), message);
                return;
            }
            ValidationErrorKind::Type { kind } => {
                type_message(kind, error.instance(), &path, raw, masked)
            }
            ValidationErrorKind::Enum { options } => {
                format!("{} is not one of {}", shown(), list(options))
            }
            ValidationErrorKind::Constant { expected_value } => {
                format!("{} must be {}", shown(), show(expected_value, false))
            }
            ValidationErrorKind::FalseSchema | ValidationErrorKind::Not { .. } => {
                format!("this field is not allowed here{}", self.hint(error))
            }
            _ => format!("{} is not valid: {}", shown(), self.rule_text(error)),
        };
        out.push(ErrorKind::Schema, path, message);
    }

    /// The rule an error breaks, in words: the keyword's own text, then the field's description.
    fn rule_text(&self, error: &ValidationError<'_>) -> String {
        let rule = match error.kind() {
            ValidationErrorKind::Pattern { .. } => {
                "it does not have the required format".to_owned()
            }
            ValidationErrorKind::MinLength { limit } => {
                format!("it must be at least {limit} characters long")
            }
            ValidationErrorKind::MaxLength { limit } => {
                format!("it must be at most {limit} characters long")
            }
            ValidationErrorKind::Minimum { limit } => format!("the minimum is {limit}"),
            ValidationErrorKind::Maximum { limit } => format!("the maximum is {limit}"),
            ValidationErrorKind::MinProperties { limit } => {
                format!("it needs at least {limit} entries")
            }
            ValidationErrorKind::MinItems { limit } => format!("it needs at least {limit} items"),
            _ => error.masked().to_string(),
        };
        format!("{rule}{}", self.hint(error))
    }

    /// `" (<description of the field>)"` when the schema describes the field, else nothing.
    fn hint(&self, error: &ValidationError<'_>) -> String {
        self.subschema(error)
            .and_then(|s| s.get("description"))
            .and_then(Value::as_str)
            .map(|d| format!(" ({})", d.trim_end_matches('.')))
            .unwrap_or_default()
    }

    /// `"; allowed fields: a, b"` for an object with a closed set of properties.
    fn allowed_fields(&self, error: &ValidationError<'_>) -> String {
        let names: Vec<&str> = self
            .subschema(error)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if names.is_empty() {
            ": remove it".to_owned()
        } else {
            format!(": remove it or use one of {}", names.join(", "))
        }
    }

    /// The schema object holding the keyword that failed.
    fn subschema(&self, error: &ValidationError<'_>) -> Option<&Value> {
        let pointer = error
            .absolute_keyword_location()
            .and_then(|uri| uri.fragment().map(|f| f.as_str().to_owned()))
            .unwrap_or_else(|| error.schema_path().as_str().to_owned());
        let parent = pointer.rsplit_once('/').map_or("", |(head, _)| head);
        self.document.pointer(parent)
    }
}

/// The branch of a failed `oneOf`/`anyOf` whose errors go deepest into the document: the
/// form the author most likely meant. `None` when no branch goes deeper than the others.
fn best_branch<'e>(
    context: &'e [Vec<ValidationError<'static>>],
) -> Option<&'e [ValidationError<'static>]> {
    let depth = |branch: &Vec<ValidationError<'static>>| {
        branch
            .iter()
            .map(|e| e.instance_path().as_str().matches('/').count())
            .max()
            .unwrap_or(0)
    };
    let deepest = context.iter().map(depth).max()?;
    let mut candidates = context.iter().filter(|b| depth(b) == deepest);
    let first = candidates.next()?;
    let shallowest = context.iter().map(depth).min()?;
    (deepest > shallowest || context.len() == 1).then_some(first.as_slice())
}

/// `"a string or a mapping"` when every branch of a `oneOf`/`anyOf` fails on the type of the
/// value itself: the forms the value may take.
fn expected_types(context: &[Vec<ValidationError<'static>>]) -> Option<String> {
    let mut names = Vec::new();
    for branch in context {
        let first = branch.first()?;
        let ValidationErrorKind::Type {
            kind: TypeKind::Single(t),
        } = first.kind()
        else {
            return None;
        };
        names.push(article(&t.to_string()));
    }
    names.dedup();
    Some(names.join(" or "))
}

fn type_message(
    kind: &TypeKind,
    value: &Value,
    path: &DocPath,
    raw: RawText<'_>,
    masked: bool,
) -> String {
    let expected = match kind {
        TypeKind::Single(t) => article(&t.to_string()),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| article(&t.to_string()))
            .collect::<Vec<_>>()
            .join(" or "),
    };
    let wants_string = matches!(kind, TypeKind::Single(t) if t.to_string() == "string");
    let found = show(value, masked);
    match value {
        Value::Number(_) | Value::Bool(_) if wants_string && !masked => {
            let text = raw(path).unwrap_or_else(|| value.to_string());
            format!(
                "expected {expected}, found {found}: YAML reads `{text}` as a {}; quote it: \"{text}\"",
                json_type(value)
            )
        }
        Value::Null if wants_string => {
            format!(
                "expected {expected}, found an empty value: write the value, or \"\" for an empty string"
            )
        }
        _ => format!("expected {expected}, found {found}"),
    }
}

fn article(t: &str) -> String {
    match t {
        "object" => "a mapping".to_owned(),
        "array" => "a list".to_owned(),
        "integer" => "an integer".to_owned(),
        other => format!("a {other}"),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// A short, safe rendering of a value for a message.
fn show(v: &Value, masked: bool) -> String {
    match v {
        _ if masked => format!("the {} value", json_type(v)),
        Value::String(s) => {
            let cut: String = s.chars().take(60).collect();
            let more = if cut.len() < s.len() { "…" } else { "" };
            format!("`{}{more}`", cut.escape_debug())
        }
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
        Value::Null => "an empty value".to_owned(),
        other => format!("`{other}`"),
    }
}

fn list(options: &Value) -> String {
    let items = options.as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .map(|o| show(o, false))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a path is inside a secret-holding part of a document, whose values are never shown.
pub(crate) fn is_secret_path(path: &DocPath) -> bool {
    path.segments()
        .iter()
        .any(|s| matches!(s, PathSegment::Key(k) if k == "secrets"))
}
