//! Resources provisioned on every core, put in the plan in graph order.
//!
//! A resource whose driver may run on any thread ([`crate::drivers::Driver::runs_anywhere`]:
//! the built-in `template`, `static` and `workload-link`, and definitions that do nothing) is
//! provisioned ahead of its turn on rayon's threads ([`crate::plan::parallel::ordered`]),
//! against a view of the state that holds the resources it needs (the graph's edges), with
//! its secret inputs registered in a registry of its own. Its turn comes on the plan's
//! thread, in graph order ([`Ahead::take`] and [`super::Maker::commit`]): the secrets it
//! registered go into the plan's registry, its outputs are charged to the plan's budget, its
//! state is recorded, its manifests handed on; its error, if it has one, is the plan's error
//! only at its turn. What it made is the same as what it would have made at its turn: a
//! driver that runs anywhere depends on its request alone, and the resources its request
//! reads are all recorded before it starts.
//!
//! A resource is provisioned at its turn on the plan's thread, as on one thread, when its
//! driver has thread rules or side effects (host drivers, `cmd`, `http`, unknown drivers),
//! when a resource it needs was not yet recorded when a thread came to it, or when it read
//! a resource its view does not hold ([`State::missed`]). Nothing here asks the plan's budget
//! for anything but its limits: what it charges is charged at its turn.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use super::state::{ResourceState, State};
use super::{Hold, Made, Maker};
use crate::graph::ResourceNode;
use crate::sensitive::Sensitive;
use crate::{ResourceKey, Result};

/// A resource provisioned ahead of its turn.
pub(super) struct Ahead<H> {
    /// The secret inputs it registered, in order.
    registered: Vec<(ResourceKey, Sensitive<String>)>,
    /// What it made, and its manifests held.
    made: Result<(Made, Result<H>)>,
}

impl<H> Ahead<H> {
    /// At its turn: its secret inputs registered in the plan's registry, then what it made (or
    /// its error), with its manifests held.
    pub(super) fn take(self, state: &State) -> Result<(Made, Option<Result<H>>)> {
        for (owner, value) in &self.registered {
            state.registry.register(owner, value);
        }
        self.made.map(|(made, held)| (made, Some(held)))
    }
}

/// Calls `turn` on each of `nodes` (the graph's resources in order, with the positions of the
/// resources each needs) on the calling thread, in order, with what was provisioned ahead of
/// it (`None`: `turn` provisions it itself, against `state`).
pub(super) fn each<H: Send>(
    maker: &Maker<'_>,
    nodes: &[(&ResourceNode, Vec<usize>)],
    hold: &Hold<'_, H>,
    state: &mut State,
    mut turn: impl FnMut(&ResourceNode, Option<Ahead<H>>, &mut State) -> Result<()>,
) -> Result<()> {
    if !crate::plan::parallel::is_parallel() || nodes.len() < 2 {
        return nodes
            .iter()
            .try_for_each(|(node, _)| turn(node, None, state));
    }
    let mut needed = vec![false; nodes.len()];
    for (_, needs) in nodes {
        for &at in needs {
            needed[at] = true;
        }
    }
    // What the threads see of the resources others need: set at their turn.
    let published: Vec<OnceLock<ResourceState>> = nodes.iter().map(|_| OnceLock::new()).collect();
    let chunks: Vec<Range<usize>> = (0..nodes.len())
        .step_by(CHUNK)
        .map(|start| start..nodes.len().min(start + CHUNK))
        .collect();
    crate::plan::parallel::ordered(
        &chunks,
        |chunk| -> Vec<Option<Ahead<H>>> {
            let ahead = |at| ahead(maker, nodes, &published, hold, at);
            chunk.clone().map(ahead).collect()
        },
        |chunk, made| {
            for (at, ahead) in chunk.clone().zip(made) {
                let node = nodes[at].0;
                turn(node, ahead, state)?;
                if needed[at]
                    && let Some(recorded) = state.resources.get(&node.key)
                {
                    let _ = published[at].set(visible_part(recorded));
                }
            }
            Ok(())
        },
    )
}

/// How many resources one task provisions, one after the other: handing each resource over
/// alone cost more in waking threads and passing results than its template takes. A resource
/// that needs another of its own task is provisioned at its turn instead.
const CHUNK: usize = 8;

/// The resource at `at` provisioned on this thread, if it may be and every resource it needs
/// is recorded; `None` otherwise.
fn ahead<H>(
    maker: &Maker<'_>,
    nodes: &[(&ResourceNode, Vec<usize>)],
    published: &[OnceLock<ResourceState>],
    hold: &Hold<'_, H>,
    at: usize,
) -> Option<Ahead<H>> {
    let (node, needs) = &nodes[at];
    if !maker.runs_anywhere(node) {
        return None;
    }
    let mut seen = HashMap::with_capacity(needs.len());
    for &need in needs {
        let recorded = published[need].get()?;
        seen.insert(nodes[need].0.key.clone(), recorded.clone());
    }
    let view = State::view(seen);
    let made = maker.make(node, &view, &view.registry);
    if view.missed() {
        // It read a resource the view does not hold: at its turn, against the whole state.
        return None;
    }
    let made = made.map(|mut made| {
        let manifests = std::mem::take(&mut made.recorded.state.manifests);
        let held = hold(manifests);
        (made, held)
    });
    Some(Ahead {
        registered: view.registry.registrations(),
        made,
    })
}

/// What others read of a recorded resource: its outputs and secret references.
fn visible_part(recorded: &ResourceState) -> ResourceState {
    ResourceState {
        outputs: recorded.outputs.clone(),
        secrets: recorded.secrets.clone(),
        ..ResourceState::default()
    }
}
