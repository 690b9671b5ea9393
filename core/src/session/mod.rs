//! Sessions: a plan kept up to date as workloads are edited one at a time, for live previews.
//!
//! A [`Session`] holds one application's workloads, in one context, and the plan of them; its
//! plan is always the plan [`Engine::plan`] makes of [`Session::workloads`], byte for byte. An
//! edit of a workload's containers alone replans that workload alone (`plan::segment`,
//! through the output step's checks); other edits replan in full. A failed edit changes
//! nothing.
//!
#![doc = include_str!("../../../docs/sessions.md")]

mod grow;
mod index;
mod local;
mod spare;

use std::sync::Arc;

use std::collections::BTreeSet;

use crate::plan::segment::Kept;
use crate::plan::{Engine, Plan, PlanOptions};
use crate::platform::Context;
use crate::resolve::WorkloadInput;
use crate::{Error, ErrorKind, Location, Result};
use index::Index;
use spare::Spare;

/// One application's workloads in one context, and their plan, kept up to date edit by edit.
/// Made by [`Engine::session`].
pub struct Session {
    /// Shared with the thread that makes the next spare graph.
    engine: Arc<Engine>,
    context: Context,
    options: PlanOptions,
    plan: Arc<Plan>,
    kept: Kept,
    index: Segments,
    /// How many edits were made by [`Session::regrow`] (tests check the fast path is taken).
    regrown: usize,
    /// How many of those edited the graph in place (not built and compared).
    in_place: usize,
    /// How many of those made the secret check from the book (not built in full).
    booked: usize,
    /// A copy of the plan's graph, to edit in place for the next plan.
    spare: Spare,
}

/// The segment index of the session's plan, built when an edit first needs it.
enum Segments {
    /// Not built since the last full plan.
    Unknown,
    /// Built and up to date.
    Known(Index),
    /// The plan cannot be edited segment by segment (see [`Index::build`]).
    Unusable,
}

impl Engine {
    /// A session over `workloads` (the initial workloads, possibly none) in `context`: plans
    /// them once, then keeps the plan up to date as workloads are set and removed.
    ///
    /// # Errors
    /// As [`Engine::plan`] of `workloads`.
    pub fn session(
        &self,
        workloads: Vec<WorkloadInput>,
        context: &Context,
        options: &PlanOptions,
    ) -> Result<Session> {
        let (plan, kept) = self.plan_kept(&workloads, context, options)?;
        // The plan holds the workloads once, each behind an `Arc` (moved, not copied).
        let plan = plan.holding(workloads.into_iter().map(Arc::new).collect());
        Ok(Session {
            engine: Arc::new(self.clone()),
            context: context.clone(),
            options: options.clone(),
            plan: Arc::new(plan),
            kept,
            index: Segments::Unknown,
            regrown: 0,
            in_place: 0,
            booked: 0,
            spare: Spare::None,
        })
    }
}

impl Session {
    /// The plan of the current workloads.
    #[must_use]
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The plan of the current workloads, shared: a clone of the `Arc`, nothing copied. The
    /// session's later edits make a new plan (sharing what did not change with this one), so
    /// the plan given here never changes.
    #[must_use]
    pub fn shared_plan(&self) -> Arc<Plan> {
        Arc::clone(&self.plan)
    }

    /// The current workloads, in the order a full plan of them takes: the initial ones, then
    /// each added one at the end (a replaced workload keeps its place).
    #[must_use]
    pub fn workloads(&self) -> &[WorkloadInput] {
        self.plan.workloads()
    }

    /// How many workloads the session has (without making [`Session::workloads`]).
    #[must_use]
    pub fn workload_count(&self) -> usize {
        self.plan.workload_count()
    }

    /// The names of the current workloads, in the order of [`Session::workloads`].
    #[must_use]
    pub fn workload_names(&self) -> Vec<&str> {
        self.plan
            .shared_workloads()
            .iter()
            .map(|w| w.workload.metadata.name.as_str())
            .collect()
    }

    /// The context the session plans in.
    #[must_use]
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Adds `workload`, or replaces the workload of the same name, and plans again.
    ///
    /// An edit that changes only what the workload's own objects are made of (an image, a
    /// variable's value, a command, a probe, ...) replans that workload alone; any other edit
    /// replans in full.
    ///
    /// # Errors
    /// As [`Engine::plan`] of the workloads with this one set; the session is then unchanged.
    pub fn set_workload(&mut self, workload: WorkloadInput) -> Result<&Plan> {
        let name = workload.workload.metadata.name.clone();
        let at = self.position(&name);
        let shared = self.plan.shared_workloads();
        let alone = at.is_some_and(|at| local::changes_own_segment_alone(&shared[at], &workload));
        let keeps_what_others_see =
            at.is_none_or(|at| local::others_see_the_same(&shared[at], &workload));
        if let (Some(at), true) = (at, alone) {
            match self.replace_segment(at, workload) {
                Ok(()) => return Ok(&self.plan),
                Err(workload) => return self.set_in_full(Some(at), *workload),
            }
        }
        let mut workloads = self.plan.shared_workloads().to_vec();
        match at {
            Some(at) => workloads[at] = Arc::new(workload),
            None => workloads.push(Arc::new(workload)),
        }
        if !keeps_what_others_see {
            return self.replan(&workloads);
        }
        match self.regrow(workloads, &BTreeSet::from([name])) {
            Ok(()) => Ok(&self.plan),
            Err(workloads) => self.replan(&workloads),
        }
    }

    /// Removes the workload named `name` and plans again.
    ///
    /// # Errors
    /// A name no workload of the session has, or as [`Engine::plan`] of the workloads left;
    /// the session is then unchanged.
    pub fn remove_workload(&mut self, name: &str) -> Result<&Plan> {
        let Some(at) = self.position(name) else {
            return Err(unknown(name, self.plan.shared_workloads()));
        };
        let mut workloads = self.plan.shared_workloads().to_vec();
        workloads.remove(at);
        match self.regrow(workloads, &BTreeSet::from([name.to_owned()])) {
            Ok(()) => Ok(&self.plan),
            Err(workloads) => self.replan(&workloads),
        }
    }

    /// Where the workload named `name` is in the session's order.
    fn position(&self, name: &str) -> Option<usize> {
        self.plan
            .shared_workloads()
            .iter()
            .position(|w| w.workload.metadata.name == name)
    }

    /// Sets `workload` at `at` (or at the end) and plans in full.
    fn set_in_full(&mut self, at: Option<usize>, workload: WorkloadInput) -> Result<&Plan> {
        let mut workloads = self.plan.shared_workloads().to_vec();
        match at {
            Some(at) => workloads[at] = Arc::new(workload),
            None => workloads.push(Arc::new(workload)),
        }
        self.replan(&workloads)
    }

    /// Plans `workloads` in full and keeps them and their plan, or keeps everything as it was.
    fn replan(&mut self, workloads: &[Arc<WorkloadInput>]) -> Result<&Plan> {
        // A full plan reads the workloads one after the other: a copy while it plans, let go
        // after, so that the plan holds the shared ones alone.
        let flat: Vec<WorkloadInput> = workloads.iter().map(|w| (**w).clone()).collect();
        let planned = self.engine.plan_kept(&flat, &self.context, &self.options);
        drop(flat);
        let (plan, kept) = planned?;
        self.plan = Arc::new(plan.holding(workloads.to_vec()));
        self.kept = kept;
        self.index = Segments::Unknown;
        self.spare = Spare::None;
        Ok(&self.plan)
    }

    /// The segment index, built when it is not known yet; `None` when the plan cannot be
    /// edited segment by segment.
    fn index(&mut self) -> Option<&mut Index> {
        if matches!(self.index, Segments::Unknown) {
            let built = Index::build(&self.engine, &self.plan, &self.kept, &self.options);
            self.index = built.map_or(Segments::Unusable, Segments::Known);
        }
        match &mut self.index {
            Segments::Known(index) => Some(index),
            _ => None,
        }
    }

    /// Puts `workload`'s new segment in place of the segment of the workload at `at`, whose
    /// edit changes nothing else; gives the workload back when that cannot be done (the
    /// segment fails, or the index refuses it): a full plan then decides.
    fn replace_segment(
        &mut self,
        at: usize,
        workload: WorkloadInput,
    ) -> std::result::Result<(), Box<WorkloadInput>> {
        let max = crate::resolve::plan_budget(self.engine.limits(), self.plan.workload_count());
        if self.index().is_none() {
            return Err(Box::new(workload));
        }
        let Segments::Known(index) = &mut self.index else {
            return Err(Box::new(workload));
        };
        let name = workload.workload.metadata.name.clone();
        let replacement = self
            .engine
            .segment(&self.plan, &self.kept, &workload, &self.options)
            .ok()
            .and_then(|segment| Some((index.replacement(&name, &segment, max)?, segment)));
        let Some((replacement, segment)) = replacement else {
            return Err(Box::new(workload));
        };
        self.kept.produced = index.produced_with(&name, replacement.charged());
        self.kept.asked = self.kept.asked.max(segment.peak);
        let range = replacement.range.clone();
        index.apply(replacement);
        Arc::make_mut(&mut self.plan).splice(at, workload, range, segment.objects);
        Ok(())
    }
}

/// How many workload names an error lists.
const SHOWN: usize = 10;

fn unknown(name: &str, workloads: &[Arc<WorkloadInput>]) -> Error {
    let mut known: Vec<&str> = workloads
        .iter()
        .map(|w| w.workload.metadata.name.as_str())
        .take(SHOWN + 1)
        .collect();
    let more = known.len() > SHOWN;
    known.truncate(SHOWN);
    let known = match (known.is_empty(), more) {
        (true, _) => "none".to_owned(),
        (false, false) => known.join(", "),
        (false, true) => format!("{}, ...", known.join(", ")),
    };
    Error::new(
        ErrorKind::Invalid,
        Location::default(),
        format!("no workload `{name}` in the session to remove; its workloads: {known}"),
    )
}

#[cfg(test)]
mod tests;
