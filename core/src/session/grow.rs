//! Adding, removing and replacing workloads without planning the others again
//! ([`crate::plan::delta`]), kept in step with the segment index.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::Session;
use super::spare::{self, Spare};
use crate::resolve::WorkloadInput;

impl Session {
    /// Makes `workloads` (the session's, with the workloads named in `edited` added, removed
    /// or replaced) the session's, their plan made by recomputing what the edit touches
    /// ([`crate::plan::Engine::regrow`]); gives the workloads back, the session unchanged,
    /// when that cannot be done for certain (the caller then plans in full).
    pub(super) fn regrow(
        &mut self,
        workloads: Vec<Arc<WorkloadInput>>,
        edited: &BTreeSet<String>,
    ) -> Result<(), Vec<Arc<WorkloadInput>>> {
        // Where the output step dropped an object as a duplicate of another part's, taking
        // a part away could bring the other copy back: the session does not regrow such plans.
        if !self.kept.none_dropped() || self.index().is_none() {
            return Err(workloads);
        }
        if self.kept.book.is_none() {
            let (book, seen) = self.engine.secret_book(&self.plan, &self.kept);
            self.kept.book = Some(book);
            self.kept.seen = Some(seen);
        }
        let spare = self.spare.take(&self.engine, &self.plan);
        let regrown = self.engine.regrow(
            &self.plan,
            &mut self.kept,
            workloads,
            edited,
            &self.options,
            Some(spare),
        )?;
        let max = crate::resolve::plan_budget(self.engine.limits(), regrown.workloads.len());
        let super::Segments::Known(index) = &mut self.index else {
            return Err(regrown.undo(&mut self.kept));
        };
        let Some(growth) = index.regrowth(&self.plan, &self.kept, &regrown, max) else {
            return Err(regrown.undo(&mut self.kept));
        };
        let (produced, asked) = (growth.produced, growth.asked);
        let edit = spare::Edited {
            name: edited.first().filter(|_| edited.len() == 1).cloned(),
            workload: regrown
                .workloads
                .iter()
                .find(|w| edited.contains(&w.workload.metadata.name))
                .cloned(),
            blind: regrown.blind,
        };
        let (in_place, booked) = (regrown.in_place, regrown.booked());
        let texts = index.regrow(growth);
        let (plan, old_order) =
            self.engine
                .regrown_plan(&self.plan, &mut self.kept, regrown, texts);
        self.kept.produced = produced;
        self.kept.asked = asked;
        let old = std::mem::replace(&mut self.plan, Arc::new(plan));
        // The old plan is let go, and the next spare made, on another thread.
        self.spare = Spare::after(
            &self.engine,
            &self.context,
            (old, Box::new(old_order)),
            &self.plan,
            edit,
        );
        self.regrown += 1;
        self.in_place += usize::from(in_place);
        self.booked += usize::from(booked);
        Ok(())
    }
}
