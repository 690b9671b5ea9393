//! goldpath's Score schema (`schemas/score-v1b1.schema.json`) against the specification.
//!
//! Without `../shared`, the schema is checked on its own: every property and definition is
//! described, hand-written valid edge cases pass and known-invalid documents fail. With the
//! upstream oracle present, it must also accept every upstream example and give the same
//! verdict as the upstream canonical schema on a corpus of thousands of mutated documents.

#[path = "common/schema_descriptions.rs"]
mod schema_descriptions;
#[path = "common/score_doc_paths.rs"]
mod score_doc_paths;
#[path = "common/score_edge_cases.rs"]
mod score_edge_cases;
#[path = "common/score_mutations.rs"]
mod score_mutations;
#[path = "common/score_upstream.rs"]
mod score_upstream;
#[path = "common/score_values.rs"]
mod score_values;

use std::path::Path;

use jsonschema::Validator;
use serde_json::Value;

use schema_descriptions::find_undescribed;
use score_edge_cases::{invalid_edge_cases, valid_edge_cases};
use score_mutations::Corpus;
use score_upstream::{
    ExampleSet, our_schema, read_examples, upstream_dir_or_skip, upstream_schema,
};

fn compile(schema: &Value, which: &str) -> Validator {
    jsonschema::draft202012::options()
        .build(schema)
        .unwrap_or_else(|e| panic!("{which} schema does not compile: {e}"))
}

/// Every validation error of `doc`, one per line, with its location.
fn errors_of(validator: &Validator, doc: &Value) -> String {
    validator
        .iter_errors(doc)
        .map(|e| format!("    at {}: {e}", e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn our_schema_has_goldpath_id_and_describes_every_property_and_definition() {
    let schema = our_schema();
    assert_eq!(
        schema["$id"],
        "https://goldpath.dev/schemas/score-v1b1.schema.json"
    );
    let mut undescribed = Vec::new();
    find_undescribed(&schema, "#", &mut undescribed);
    assert!(undescribed.is_empty(), "no description: {undescribed:#?}");
}

#[test]
fn our_schema_accepts_hand_written_edge_cases() {
    let ours = compile(&our_schema(), "our");
    let failures: Vec<String> = valid_edge_cases()
        .iter()
        .filter(|case| !ours.is_valid(&case.doc))
        .map(|case| format!("{}:\n{}", case.name, errors_of(&ours, &case.doc)))
        .collect();
    assert!(
        failures.is_empty(),
        "valid edge cases rejected:\n{}",
        failures.join("\n")
    );
}

#[test]
fn our_schema_rejects_documents_the_specification_rejects() {
    let ours = compile(&our_schema(), "our");
    let accepted: Vec<&str> = invalid_edge_cases()
        .iter()
        .filter(|case| ours.is_valid(&case.doc))
        .map(|case| case.name)
        .collect();
    assert!(
        accepted.is_empty(),
        "invalid documents accepted: {accepted:?}"
    );
}

/// The upstream examples, after printing which files were left out and why.
fn read_and_list_examples(upstream: &Path) -> ExampleSet {
    let examples = read_examples(upstream);
    for skipped in &examples.skipped {
        println!("skipped example {skipped}");
    }
    for unreadable in &examples.unreadable {
        println!("unreadable example {unreadable}");
    }
    examples
}

#[test]
fn our_schema_accepts_every_upstream_example() {
    let Some(upstream) = upstream_dir_or_skip("our_schema_accepts_every_upstream_example") else {
        return;
    };
    let ours = compile(&our_schema(), "our");
    let examples = read_and_list_examples(&upstream);
    let mut failures = examples.unreadable.clone();
    for example in &examples.workloads {
        if !ours.is_valid(&example.doc) {
            failures.push(format!(
                "{}:\n{}",
                example.name,
                errors_of(&ours, &example.doc)
            ));
        }
    }
    println!(
        "{} upstream examples checked, {} skipped",
        examples.workloads.len(),
        examples.skipped.len()
    );
    assert!(
        !examples.workloads.is_empty(),
        "no upstream example found under {}",
        upstream.display()
    );
    assert!(
        failures.is_empty(),
        "{} examples rejected or unreadable:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn our_schema_agrees_with_upstream_on_mutated_corpus() {
    let Some(upstream) = upstream_dir_or_skip("our_schema_agrees_with_upstream_on_mutated_corpus")
    else {
        return;
    };
    let ours = compile(&our_schema(), "our");
    let theirs = compile(&upstream_schema(&upstream), "upstream");

    let mut tally = Tally::default();
    let mut corpus = Corpus::default();
    let mut originals_rejected = Vec::new();
    for example in read_and_list_examples(&upstream).workloads {
        tally.compare(&example.name, &example.doc, &ours, &theirs);
        corpus.add_mutants_of(&example.name, &example.doc);
    }
    for case in valid_edge_cases() {
        if !theirs.is_valid(&case.doc) {
            originals_rejected.push(format!("{}:\n{}", case.name, errors_of(&theirs, &case.doc)));
        }
        corpus.add_mutants_of(&format!("edge case {}", case.name), &case.doc);
    }
    assert!(
        originals_rejected.is_empty(),
        "upstream rejects edge cases meant to be valid:\n{}",
        originals_rejected.join("\n")
    );

    for mutant in &corpus.mutants {
        tally.compare(&mutant.label, &mutant.doc, &ours, &theirs);
    }
    for case in invalid_edge_cases() {
        tally.compare(
            &format!("invalid edge case {}", case.name),
            &case.doc,
            &ours,
            &theirs,
        );
    }
    tally.report();
}

/// Verdicts of the two schemas over the corpus.
#[derive(Default)]
struct Tally {
    valid: usize,
    invalid: usize,
    disagreements: Vec<String>,
}

impl Tally {
    fn compare(&mut self, label: &str, doc: &Value, ours: &Validator, theirs: &Validator) {
        let upstream_valid = theirs.is_valid(doc);
        if upstream_valid {
            self.valid += 1;
        } else {
            self.invalid += 1;
        }
        if ours.is_valid(doc) != upstream_valid {
            let (verdict, errors) = if upstream_valid {
                ("upstream accepts, ours rejects", errors_of(ours, doc))
            } else {
                ("upstream rejects, ours accepts", errors_of(theirs, doc))
            };
            self.disagreements
                .push(format!("{label}: {verdict}\n{errors}"));
        }
    }

    fn report(&self) {
        let compared = self.valid + self.invalid;
        println!(
            "{compared} documents compared ({} valid, {} invalid upstream), {} disagreements",
            self.valid,
            self.invalid,
            self.disagreements.len()
        );
        assert!(
            self.disagreements.is_empty(),
            "{} disagreements:\n{}",
            self.disagreements.len(),
            self.disagreements.join("\n")
        );
        assert!(
            compared >= 1000,
            "corpus too small to mean anything: {compared} documents"
        );
        assert!(
            self.invalid * 2 >= compared,
            "too few invalid documents: {} of {compared}",
            self.invalid
        );
        assert!(
            self.valid * 10 >= compared,
            "too few valid documents: {} of {compared}",
            self.valid
        );
    }
}
