//! Planning one workload again against the rest of a plan: the seam of [`crate::session`].
//!
//! A plan puts out its objects in segments: the environment objects and the resources'
//! manifests first, then each workload's Secrets and objects, by workload name. A workload's
//! segment depends on the workload, the graph and the resources' outputs; when an edit leaves
//! those as they were, [`Engine::segment`] makes the workload's new segment with the plan's
//! resources, secret check, locks and budgets ([`super::assemble::stream_workloads`]), and
//! [`Plan::splice`] puts it in place of the old one.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use super::{Engine, Plan, PlanOptions, assemble};
use crate::Result;
use crate::policy::{self, Violation};
use crate::resolve::{Meter, ResolveInput, Resources, WorkloadInput};

/// What a session keeps of a full plan besides the plan: the resources as the workloads
/// resolve against them, and what the plan asked of its budget.
pub(crate) struct Kept {
    pub(super) resources: Resources,
    /// The bytes the plan charged to its budget.
    pub produced: usize,
    /// At least the most any one check of the plan asked of its budget beyond what was
    /// produced before it (the plan's peak, then the local peaks of what sessions added).
    pub asked: usize,
    /// What the plan's secret check is made of, counted (made by the first edit that adds or
    /// removes workloads; while there is one, the resources' registry is not kept up to
    /// date: the book says what each resource registered).
    pub book: Option<crate::secrets::book::Book>,
    /// The runs the plan's objects and resource outputs may hold (made with `book`).
    pub seen: Option<crate::secrets::seen::Seen>,
}

impl Kept {
    /// The resources as the workloads resolve against them.
    pub fn resources(&self) -> &Resources {
        &self.resources
    }

    /// What the plan's environment objects cost it.
    pub fn environment(&self) -> super::ledger::Spent {
        self.resources.environment
    }

    /// Whether the output step of the plan dropped none of the environment's and the
    /// resources' objects as duplicates of others.
    pub fn none_dropped(&self) -> bool {
        self.resources.environment.none_dropped()
            && self
                .resources
                .spent
                .iter()
                .all(super::ledger::Spent::none_dropped)
    }

    /// What is kept of a plan whose resources are `resources` and whose budget `meter` counted.
    pub(super) fn new(resources: Resources, meter: &Meter) -> Self {
        Self {
            resources,
            produced: meter.produced(),
            asked: meter.peak(),
            book: None,
            seen: None,
        }
    }
}

/// The objects one workload puts out, as a full plan puts them out, and what they asked of
/// the plan's budget, counted from the start of the segment.
pub(crate) struct Segment {
    /// The objects, in order.
    pub objects: Vec<Value>,
    /// The bytes charged to the plan's budget.
    pub charged: usize,
    /// The most any check of the segment asked of the budget.
    pub peak: usize,
    /// The policy violations of the workload and its objects.
    pub violations: Vec<Violation>,
}

impl Engine {
    /// The segment `workload` puts out in `plan` (made by this engine with `options`), its
    /// resources and graph as `plan` has them.
    ///
    /// # Errors
    /// What planning the workload in the full plan would refuse.
    pub(crate) fn segment(
        &self,
        plan: &Plan,
        kept: &Kept,
        workload: &WorkloadInput,
        options: &PlanOptions,
    ) -> Result<Segment> {
        let within = Within {
            context: &plan.context,
            graph: &plan.graph,
            guard: &plan.secrets,
            resources: &kept.resources,
        };
        self.segment_within(&within, workload, options)
    }

    /// The segment `workload` puts out in a plan of `within`.
    pub(super) fn segment_within(
        &self,
        within: &Within<'_>,
        workload: &WorkloadInput,
        options: &PlanOptions,
    ) -> Result<Segment> {
        let env_type = self.environment_type(within.context)?;
        let meter = Meter::new(self.limits.clone());
        let workloads = std::slice::from_ref(workload);
        let mut evaluator = policy::Evaluator::new(&self.platform, within.context, workloads);
        let input = ResolveInput {
            meter: &meter,
            graph: within.graph,
            platform: &self.platform,
            drivers: &self.drivers,
            seed: &self.seed,
            context: within.context,
            workloads,
            image: options.image.as_deref(),
            effects: &self.effects,
        };
        let mut objects = Vec::new();
        let sink = &mut |object: Value| {
            evaluator.object(&object);
            objects.push(object);
            Ok(())
        };
        assemble::stream_workloads(
            &input,
            within.resources,
            within.guard,
            env_type,
            options,
            sink,
        )?;
        Ok(Segment {
            objects,
            charged: meter.produced(),
            peak: meter.peak(),
            violations: evaluator.finish(),
        })
    }
}

/// What a workload's segment is planned against: the plan's context, graph, secret check
/// and resources.
pub(super) struct Within<'a> {
    pub context: &'a crate::platform::Context,
    pub graph: &'a crate::graph::ResourceGraph,
    pub guard: &'a crate::secrets::SecretGuard,
    pub resources: &'a Resources,
}

impl Plan {
    /// The same plan holding `workloads` (the ones it was made from, each behind an `Arc`)
    /// instead of its copy of them: a session's plans share them.
    pub(crate) fn holding(mut self, workloads: Vec<Arc<WorkloadInput>>) -> Self {
        self.workloads = Arc::new(super::workloads::Workloads::from_shared(workloads));
        self
    }

    /// Puts `workload` at `at` of the workloads and `objects` in place of the manifests in
    /// `range`: what a session makes of an edit that changed one workload's segment alone.
    pub(crate) fn splice(
        &mut self,
        at: usize,
        workload: WorkloadInput,
        range: Range<usize>,
        objects: Vec<Value>,
    ) {
        let mut workloads = self.shared_workloads().to_vec();
        workloads[at] = Arc::new(workload);
        self.workloads = Arc::new(super::workloads::Workloads::from_shared(workloads));
        self.manifests.splice(range, objects);
    }
}
