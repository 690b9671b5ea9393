//! Score's `before`: which containers of a workload start first, and in what order.
//!
//! `containers.A.before.B: {ready: S}` means that `A` reaches the state `S` before `B` starts
//! (as in score-compose, which turns it into `B` depending on `A`, and score-k8s#291): `A` is
//! *waited for*. A container that declares `before` is therefore one the others wait for, and
//! the state it reaches is the one every entry of its `before` names.
//!
//! The rules ([`check`]): every entry names another container of the workload; the entries of
//! one container name one state; a container waited for as `healthy` has a readiness or
//! liveness probe (the kubelet waits for it); a container waited for as `complete` has no
//! probe (Kubernetes allows none on an init container that runs to completion); the entries
//! form no cycle. A workload without a cycle always keeps an ordinary container (one that
//! declares no `before`): were every container to declare one, following the entries would
//! come back to a container already seen.
//!
//! [`start_order`] gives the containers that declare `before` in the order they start: every
//! `A` before each `B` of its entries, ties by name.

use std::collections::{BTreeMap, BTreeSet};

use super::Findings;
use crate::spec::score::{Container, Probe, ReadyCondition, Workload};
use crate::{Diagnostic, DocPath, Error, ErrorKind, Location};

/// A container others wait for, and the state they wait for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Starter {
    /// The container's name.
    pub(crate) name: String,
    /// The state it reaches before the containers it names start.
    pub(crate) ready: ReadyCondition,
}

/// The containers that declare `before`, in the order they start.
///
/// # Errors
/// [`ErrorKind::Invalid`] for every rule of [`check`] the workload breaks, at the Score path of
/// the entry (`containers.migrate.before.api`).
pub(crate) fn start_order(workload: &Workload) -> crate::Result<Vec<Starter>> {
    let mut findings = Findings::new();
    check(workload, &mut findings);
    let diagnostics = findings.into_vec().into_iter().map(|f| Diagnostic {
        kind: f.kind,
        location: Location::default().with_path(f.path),
        message: f.message,
    });
    if let Some(error) = Error::from_diagnostics(diagnostics.collect()) {
        return Err(error);
    }
    Ok(topological(workload))
}

/// Kahn's algorithm over the containers that declare `before`, the smallest name first among
/// those whose predecessors have all started. Assumes [`check`] found no cycle.
fn topological(workload: &Workload) -> Vec<Starter> {
    let starters: BTreeMap<&str, &Container> = workload
        .containers
        .iter()
        .filter(|(_, c)| !c.before.is_empty())
        .map(|(name, c)| (name.as_str(), &**c))
        .collect();
    let mut waiting: BTreeMap<&str, usize> = starters.keys().map(|name| (*name, 0)).collect();
    for container in starters.values() {
        for next in container.before.keys() {
            if let Some(count) = waiting.get_mut(next.as_str()) {
                *count += 1;
            }
        }
    }
    let mut ready: BTreeSet<&str> = waiting
        .iter()
        .filter(|(_, count)| **count == 0)
        .map(|(name, _)| *name)
        .collect();
    let mut out = Vec::with_capacity(starters.len());
    while let Some(name) = ready.pop_first() {
        let container = starters[name];
        for next in container.before.keys() {
            if let Some(count) = waiting.get_mut(next.as_str()) {
                *count -= 1;
                if *count == 0 {
                    ready.insert(next.as_str());
                }
            }
        }
        if let Some(state) = state(container) {
            out.push(Starter {
                name: name.to_owned(),
                ready: state,
            });
        }
    }
    out
}

/// The one state a container's `before` entries name (`None` without entries or when they
/// name several).
fn state(container: &Container) -> Option<ReadyCondition> {
    let mut states = container.before.values().map(|b| b.ready);
    let first = states.next()?;
    states.all(|s| s == first).then_some(first)
}

/// Checks every rule of `before` (see the module documentation), reporting at Score paths.
pub(crate) fn check(workload: &Workload, out: &mut Findings) {
    for (name, container) in &workload.containers {
        if container.before.is_empty() {
            continue;
        }
        let path = DocPath::root().key("containers").key(name.clone());
        check_entries(workload, name, container, &path, out);
        check_state(name, container, &path, out);
        if let Some(cycle) = before_cycle(workload, name) {
            out.push(
                ErrorKind::Invalid,
                path.key("before"),
                format!("`before` entries form a cycle: {cycle}; remove one of them"),
            );
        }
    }
}

/// Each entry names another container of the workload.
fn check_entries(
    workload: &Workload,
    name: &str,
    container: &Container,
    path: &DocPath,
    out: &mut Findings,
) {
    for other in container.before.keys() {
        let at = path.clone().key("before").key(other.clone());
        if !workload.containers.contains_key(other) {
            let known = workload
                .containers
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                ErrorKind::Invalid,
                at,
                format!("no container `{other}` in this workload; containers: {known}"),
            );
        } else if other == name {
            out.push(
                ErrorKind::Invalid,
                at,
                "a container cannot wait for itself: remove this entry",
            );
        }
    }
}

/// The entries name one state, and the container can reach it as Kubernetes runs it.
fn check_state(name: &str, container: &Container, path: &DocPath, out: &mut Findings) {
    let Some(ready) = state(container) else {
        let entries = container
            .before
            .iter()
            .map(|(other, b)| format!("`{other}` waits for `{}`", ready_name(b.ready)))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            ErrorKind::Invalid,
            path.clone().key("before"),
            format!(
                "`{name}` is waited for in different states ({entries}); a container reaches one state before the others start: give every entry of its `before` the same `ready`"
            ),
        );
        return;
    };
    let waiters = container
        .before
        .keys()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match ready {
        ReadyCondition::Healthy if !has_probe(container) => out.push(
            ErrorKind::Invalid,
            path.clone().key("before"),
            format!(
                "{waiters} wait for `{name}` to be healthy, but `{name}` has no readinessProbe or livenessProbe to tell when it is: add one, or wait for `ready: started`"
            ),
        ),
        ReadyCondition::Complete => {
            let probes = [
                ("livenessProbe", &container.liveness_probe),
                ("readinessProbe", &container.readiness_probe),
            ];
            for (field, probe) in probes {
                if probe.is_some() {
                    out.push(
                        ErrorKind::Invalid,
                        path.clone().key(field),
                        format!(
                            "`{name}` runs to completion before {waiters} start (`ready: complete`), as a Kubernetes init container, which may have no probe: remove the {field}, or wait for `ready: started` or `healthy` to keep `{name}` running"
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

/// Whether the container has a probe with a handler (the kubelet can tell it is healthy).
fn has_probe(container: &Container) -> bool {
    let handled = |p: &Option<Probe>| {
        p.as_ref()
            .is_some_and(|p| p.http_get.is_some() || p.exec.is_some())
    };
    handled(&container.readiness_probe) || handled(&container.liveness_probe)
}

fn ready_name(ready: ReadyCondition) -> &'static str {
    match ready {
        ReadyCondition::Started => "started",
        ReadyCondition::Healthy => "healthy",
        ReadyCondition::Complete => "complete",
    }
}

/// A cycle through `start` in the `before` relation, written `a → b → a`; reported only at
/// the alphabetically first container of the cycle, so each cycle is reported once.
fn before_cycle(workload: &Workload, start: &str) -> Option<String> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, trail)) = stack.pop() {
        let Some(container) = workload.containers.get(&at) else {
            continue;
        };
        for next in container.before.keys() {
            if next == start && trail.len() > 1 {
                let first = trail.iter().min().is_some_and(|m| m == start);
                return first.then(|| format!("{} → {start}", trail.join(" → ")));
            }
            if seen.insert(next.clone()) {
                let mut longer = trail.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn workload(containers: serde_json::Value) -> Workload {
        serde_json::from_value(json!({
            "apiVersion": "score.dev/v1b1", "metadata": {"name": "w"}, "containers": containers,
        }))
        .unwrap()
    }

    fn found(workload: &Workload) -> Vec<(String, String)> {
        let mut out = Findings::new();
        check(workload, &mut out);
        out.into_vec()
            .into_iter()
            .map(|f| (f.path.to_string(), f.message))
            .collect()
    }

    #[test]
    fn the_declaring_container_starts_first_ties_by_name() {
        let w = workload(json!({
            "app": {"image": "a"},
            "zeta": {"image": "z", "before": {"app": {"ready": "complete"}}},
            "alpha": {"image": "a", "before": {"app": {"ready": "started"}}},
            "mid": {"image": "m", "before": {"alpha": {"ready": "complete"}, "app": {"ready": "complete"}}},
        }));
        let order: Vec<String> = start_order(&w)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(order, ["mid", "alpha", "zeta"]);
    }

    #[test]
    fn two_states_for_one_container_are_a_conflict_naming_both() {
        let w = workload(json!({
            "app": {"image": "a"}, "web": {"image": "w"},
            "db": {"image": "d", "before": {"app": {"ready": "started"}, "web": {"ready": "complete"}}},
        }));
        let found = found(&w);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "containers.db.before");
        assert!(
            found[0].1.contains("`app` waits for `started`"),
            "{}",
            found[0].1
        );
        assert!(
            found[0].1.contains("`web` waits for `complete`"),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn healthy_needs_a_probe_and_complete_allows_none() {
        let w = workload(json!({
            "app": {"image": "a"},
            "db": {"image": "d", "before": {"app": {"ready": "healthy"}}},
        }));
        let found = found(&w);
        assert_eq!(found[0].0, "containers.db.before");
        assert!(
            found[0].1.contains("no readinessProbe or livenessProbe"),
            "{}",
            found[0].1
        );
        let w = workload(json!({
            "app": {"image": "a"},
            "db": {"image": "d", "before": {"app": {"ready": "healthy"}},
                   "livenessProbe": {"exec": {"command": ["true"]}}},
        }));
        assert!(found_of(&w).is_empty());
        let w = workload(json!({
            "app": {"image": "a"},
            "migrate": {"image": "m", "before": {"app": {"ready": "complete"}},
                        "readinessProbe": {"exec": {"command": ["true"]}}},
        }));
        assert_eq!(found_of(&w), ["containers.migrate.readinessProbe"]);
    }

    fn found_of(w: &Workload) -> Vec<String> {
        found(w).into_iter().map(|(path, _)| path).collect()
    }

    #[test]
    fn every_container_declaring_before_is_a_cycle() {
        let w = workload(json!({
            "a": {"image": "a", "before": {"b": {"ready": "started"}}},
            "b": {"image": "b", "before": {"c": {"ready": "started"}}},
            "c": {"image": "c", "before": {"a": {"ready": "started"}}},
        }));
        let found = found(&w);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "containers.a.before");
        assert!(found[0].1.contains("a → b → c → a"), "{}", found[0].1);
        assert!(start_order(&w).is_err());
    }

    /// A workload of `n` containers `c0..`, where each `(from, to)` with `from > to` is an
    /// entry `c<from>.before.c<to>` (so no cycle), `complete` from even containers, `started`
    /// from odd ones.
    fn acyclic(n: usize, edges: &[(usize, usize)]) -> Workload {
        let mut containers = serde_json::Map::new();
        for i in 0..n {
            containers.insert(format!("c{i}"), json!({"image": "x"}));
        }
        for &(a, b) in edges {
            let (a, b) = (a % n, b % n);
            let (from, to) = (a.max(b), a.min(b));
            if from != to {
                let ready = if from % 2 == 0 { "complete" } else { "started" };
                containers[&format!("c{from}")]["before"][format!("c{to}")] =
                    json!({"ready": ready});
            }
        }
        workload(containers.into())
    }

    proptest! {
        #[test]
        fn the_order_respects_every_entry_and_is_deterministic(
            n in 2usize..9,
            edges in prop::collection::vec((0usize..9, 0usize..9), 0..20),
        ) {
            let w = acyclic(n, &edges);
            let order = start_order(&w).unwrap();
            prop_assert_eq!(&order, &start_order(&w.clone()).unwrap());
            let position: BTreeMap<&str, usize> =
                order.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
            let declaring = w.containers.values().filter(|c| !c.before.is_empty()).count();
            prop_assert_eq!(position.len(), declaring);
            for (name, container) in &w.containers {
                for next in container.before.keys() {
                    if let Some(after) = position.get(next.as_str()) {
                        prop_assert!(position[name.as_str()] < *after, "{name} before {next}");
                    }
                }
            }
        }
    }
}
