//! Sessions: a plan kept up to date as workloads are edited one at a time, for live previews.
//!
//! A [`Session`] holds one application's workloads, in one context, and the plan of them. An
//! edit ([`Session::set_workload`], [`Session::remove_workload`]) changes the workloads and
//! plans again; the session's plan is always the plan [`Engine::plan`] makes of
//! [`Session::workloads`] in the same order, byte for byte (manifests, resources, graph,
//! warnings, violations). A failed edit changes nothing: the session keeps its last good plan
//! and workloads, and the error is returned.
//!
//! Planning again goes through [`Engine::plan`], and so through every check of a plan (the
//! secret guard, the locks, the budgets, the object checks of the output step): a session is
//! never a way around them.
//!
//! ```
//! use goldpath::load::Loader;
//! use goldpath::plan::{Engine, PlanOptions};
//! use goldpath::platform::{Context, Platform};
//! use goldpath::resolve::WorkloadInput;
//!
//! let score = |name: &str, image: &str| {
//!     let text = format!("apiVersion: score.dev/v1b1\nmetadata: {{name: {name}}}\ncontainers:\n  main: {{image: '{image}'}}\n");
//!     WorkloadInput::new(Loader::default().score_str(&text, None).unwrap())
//! };
//! let engine = Engine::new(Platform::default());
//! let context = Context::new("shop", "dev", "development");
//! let mut session = engine
//!     .session(vec![score("web", "nginx:1.27")], &context, &PlanOptions::default())
//!     .unwrap();
//! let plan = session.set_workload(score("web", "nginx:1.28")).unwrap();
//! assert!(plan.to_yaml().contains("nginx:1.28"));
//! session.set_workload(score("worker", "busybox:1.36")).unwrap();
//! assert_eq!(session.workloads().len(), 2);
//! session.remove_workload("web").unwrap();
//! assert!(!session.plan().to_yaml().contains("nginx"));
//! assert!(session.remove_workload("web").is_err());
//! ```

use crate::plan::{Engine, Plan, PlanOptions};
use crate::platform::Context;
use crate::resolve::WorkloadInput;
use crate::{Error, ErrorKind, Location, Result};

/// One application's workloads in one context, and their plan, kept up to date edit by edit.
/// Made by [`Engine::session`].
#[derive(Clone)]
pub struct Session {
    engine: Engine,
    context: Context,
    options: PlanOptions,
    workloads: Vec<WorkloadInput>,
    plan: Plan,
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
        let plan = self.plan(&workloads, context, options)?;
        Ok(Session {
            engine: self.clone(),
            context: context.clone(),
            options: options.clone(),
            workloads,
            plan,
        })
    }
}

impl Session {
    /// The plan of the current workloads.
    #[must_use]
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The current workloads, in the order a full plan of them takes: the initial ones, then
    /// each added one at the end (a replaced workload keeps its place).
    #[must_use]
    pub fn workloads(&self) -> &[WorkloadInput] {
        &self.workloads
    }

    /// The context the session plans in.
    #[must_use]
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Adds `workload`, or replaces the workload of the same name, and plans again.
    ///
    /// # Errors
    /// As [`Engine::plan`] of the workloads with this one set; the session is then unchanged.
    pub fn set_workload(&mut self, workload: WorkloadInput) -> Result<&Plan> {
        let name = &workload.workload.metadata.name;
        let mut workloads = self.workloads.clone();
        match workloads
            .iter()
            .position(|w| &w.workload.metadata.name == name)
        {
            Some(at) => workloads[at] = workload,
            None => workloads.push(workload),
        }
        self.replan(workloads)
    }

    /// Removes the workload named `name` and plans again.
    ///
    /// # Errors
    /// A name no workload of the session has, or as [`Engine::plan`] of the workloads left;
    /// the session is then unchanged.
    pub fn remove_workload(&mut self, name: &str) -> Result<&Plan> {
        let Some(at) = self
            .workloads
            .iter()
            .position(|w| w.workload.metadata.name == name)
        else {
            return Err(unknown(name, &self.workloads));
        };
        let mut workloads = self.workloads.clone();
        workloads.remove(at);
        self.replan(workloads)
    }

    /// Plans `workloads` and keeps them and their plan, or keeps everything as it was.
    fn replan(&mut self, workloads: Vec<WorkloadInput>) -> Result<&Plan> {
        let plan = self.engine.plan(&workloads, &self.context, &self.options)?;
        self.workloads = workloads;
        self.plan = plan;
        Ok(&self.plan)
    }
}

/// How many workload names an error lists.
const SHOWN: usize = 10;

fn unknown(name: &str, workloads: &[WorkloadInput]) -> Error {
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
