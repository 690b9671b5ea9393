//! The copy of the plan's graph a session edits in place to make its next plan's
//! ([`crate::graph::edit`]), so that an edit neither builds the graph of every workload nor
//! copies the plan's (which plans handed out share).
//!
//! After an edit the plan replaced is let go on another thread: when nothing else holds it,
//! its graph is edited as the spare was and becomes the next spare; otherwise the next spare
//! is a copy of the new plan's graph, made there. Either way the calling thread neither
//! copies the graph nor frees the old plan.

use std::sync::Arc;
use std::thread::JoinHandle;

use crate::plan::delta::SpareGraph;
use crate::plan::{Engine, Plan};
use crate::platform::Context;
use crate::resolve::WorkloadInput;

/// The session's spare copy of its plan's graph.
#[derive(Default)]
pub(super) enum Spare {
    /// None (after a full plan, or an edit that used it up without making a plan).
    #[default]
    None,
    /// Being made on another thread, equal to the plan's graph when done.
    Coming(JoinHandle<SpareGraph>),
}

/// The edit a spare is brought up to date with: the workload `name` set to `workload`, or
/// removed. `name` is `None` when the edit was not of exactly one workload: such an edit is
/// not replayed on the old graph, the next spare is a copy of the new plan's.
pub(super) struct Edited {
    pub name: Option<String>,
    pub workload: Option<Arc<WorkloadInput>>,
    /// Whether no resource of the new graph can depend on workloads that do not request it.
    pub blind: bool,
}

impl Spare {
    /// The spare copy of `plan`'s graph: the one being made, else one made now.
    pub fn take(&mut self, engine: &Engine, plan: &Plan) -> SpareGraph {
        let made = match std::mem::take(self) {
            Self::Coming(handle) => handle.join().ok(),
            Self::None => None,
        };
        made.unwrap_or_else(|| engine.spare_graph(plan.graph()))
    }

    /// The next spare, made on another thread after `edited` made `new` from `old`, which
    /// that thread lets go (with `garbage`, what else the edit replaced).
    pub fn after(
        engine: &Arc<Engine>,
        context: &Context,
        (old, garbage): (Arc<Plan>, Box<dyn Send>),
        new: &Plan,
        edited: Edited,
    ) -> Self {
        let engine = Arc::clone(engine);
        let context = context.clone();
        let graph = new.shared_graph();
        let made = std::thread::Builder::new()
            .name("goldpath-session".to_owned())
            .spawn(move || {
                drop(garbage);
                let Edited {
                    name,
                    workload,
                    blind,
                } = edited;
                let new = workload.as_deref().map(|w| &w.workload);
                let recycled = name.and_then(|name| {
                    let mut old = Arc::try_unwrap(old).ok().and_then(Plan::into_graph)?;
                    engine
                        .edit_graph(&mut old, &context, &name, new)
                        .map(|_| old)
                });
                let graph = recycled.unwrap_or_else(|| (*graph).clone());
                SpareGraph { graph, blind }
            });
        made.map_or(Self::None, Self::Coming)
    }
}
