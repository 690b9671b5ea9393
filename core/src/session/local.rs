//! Which edits change one workload's own segment alone.

use crate::resolve::WorkloadInput;
use crate::spec::score::Workload;

/// Whether replacing `old` by `new` changes nothing but what `new`'s own objects are made of:
/// the same workload apart from its containers' contents, with the same containers and the
/// same variable and file names in each (its file and folder may differ).
///
/// The graph, the resources (their params, the services and workload context drivers see),
/// the environment objects and the words the secret check treats as public are made of
/// everything else, so such an edit leaves them as they were. The workload's file names it
/// in errors and policy violations only: a session replans in full on an error, and edits
/// segment by segment only plans without violations.
pub(super) fn changes_own_segment_alone(old: &WorkloadInput, new: &WorkloadInput) -> bool {
    same_names(&old.workload, &new.workload)
        && without_containers(&old.workload) == without_containers(&new.workload)
}

/// Whether what other parts of a plan see of a workload is the same in `old` and `new`: its
/// metadata (the `workload` resource's context, the Service name drivers see) and its
/// service (the ports `service` links read). Replacing it by another that keeps them leaves
/// the resources that do not belong to it as they were, so the session can regrow the plan.
pub(super) fn others_see_the_same(old: &WorkloadInput, new: &WorkloadInput) -> bool {
    old.workload.metadata == new.workload.metadata && old.workload.service == new.workload.service
}

/// The same containers, with the same variable and file names.
fn same_names(old: &Workload, new: &Workload) -> bool {
    old.containers.len() == new.containers.len()
        && old
            .containers
            .iter()
            .zip(&new.containers)
            .all(|((a, x), (b, y))| {
                a == b
                    && x.variables.keys().eq(y.variables.keys())
                    && x.files.keys().eq(y.files.keys())
            })
}

/// The workload without its containers: what the rest of the plan is made of.
fn without_containers(workload: &Workload) -> Workload {
    Workload {
        containers: Default::default(),
        ..workload.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Loader;

    fn input(text: &str) -> WorkloadInput {
        WorkloadInput::new(Loader::default().score_str(text, None).unwrap())
    }

    const BASE: &str = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx:1.27\n    variables: {A: x}\nresources:\n  cache: {type: redis}\n";

    #[test]
    fn an_image_or_a_variable_value_changes_the_segment_alone() {
        let old = input(BASE);
        assert!(changes_own_segment_alone(
            &old,
            &input(&BASE.replace("1.27", "1.28"))
        ));
        assert!(changes_own_segment_alone(
            &old,
            &input(&BASE.replace("A: x", "A: y"))
        ));
    }

    #[test]
    fn names_and_resources_change_more_and_the_file_does_not() {
        let old = input(BASE);
        let renamed_variable = BASE.replace("A: x", "B: x");
        let other_resource = BASE.replace("redis", "postgres");
        let other_container = BASE.replace("  main:", "  side:");
        for text in [renamed_variable, other_resource, other_container] {
            assert!(!changes_own_segment_alone(&old, &input(&text)), "{text}");
        }
        let mut moved = input(&BASE.replace("1.27", "1.28"));
        moved.file = Some("web.score.yaml".into());
        assert!(changes_own_segment_alone(&old, &moved));
    }
}
