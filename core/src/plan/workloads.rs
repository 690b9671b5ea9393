//! The workloads a plan was made from, held so that a session's plans share them: each
//! workload behind its own `Arc` (an edit makes a new list of pointers, copying no workload),
//! and as one contiguous list for [`Plan::workloads`](super::Plan::workloads), made when first
//! asked for. A full plan holds the contiguous list from the start.

use std::sync::{Arc, OnceLock};

use crate::resolve::WorkloadInput;

/// The workloads of a plan, in the order planned.
#[derive(Debug, Default)]
pub(super) struct Workloads {
    /// One after the other, as [`Plan::workloads`](super::Plan::workloads) gives them.
    flat: OnceLock<Vec<WorkloadInput>>,
    /// Each behind an `Arc`, as sessions share them between plans.
    shared: OnceLock<Vec<Arc<WorkloadInput>>>,
}

impl Workloads {
    /// The workloads of a full plan.
    pub fn from_flat(workloads: Vec<WorkloadInput>) -> Self {
        Self {
            flat: OnceLock::from(workloads),
            shared: OnceLock::new(),
        }
    }

    /// Workloads shared with another plan.
    pub fn from_shared(workloads: Vec<Arc<WorkloadInput>>) -> Self {
        Self {
            flat: OnceLock::new(),
            shared: OnceLock::from(workloads),
        }
    }

    /// The workloads one after the other (copied from the shared ones on the first call).
    pub fn flat(&self) -> &[WorkloadInput] {
        self.flat.get_or_init(|| {
            let shared = self.shared.get().map_or(&[][..], Vec::as_slice);
            shared.iter().map(|w| WorkloadInput::clone(w)).collect()
        })
    }

    /// The workloads, each behind an `Arc` (made from the contiguous list on the first call).
    pub fn shared(&self) -> &[Arc<WorkloadInput>] {
        self.shared.get_or_init(|| {
            let flat = self.flat.get().map_or(&[][..], Vec::as_slice);
            flat.iter().cloned().map(Arc::new).collect()
        })
    }

    /// How many workloads there are.
    pub fn len(&self) -> usize {
        match (self.shared.get(), self.flat.get()) {
            (Some(shared), _) => shared.len(),
            (None, Some(flat)) => flat.len(),
            (None, None) => 0,
        }
    }
}
