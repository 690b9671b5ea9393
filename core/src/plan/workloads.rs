//! What a plan holds so that a session's plans share it: the workloads it was made from and
//! its resources, each item behind its own `Arc` (an edit makes a new list of pointers,
//! copying no item), and as one contiguous list for [`Plan::workloads`](super::Plan::workloads)
//! and [`Plan::resources`](super::Plan::resources), made when first asked for. A full plan
//! holds the contiguous list from the start.

use std::sync::{Arc, OnceLock};

use crate::resolve::WorkloadInput;

/// Items of a plan, in order, contiguous or shared.
#[derive(Debug)]
pub(super) struct Shared<T> {
    /// One after the other.
    flat: OnceLock<Vec<T>>,
    /// Each behind an `Arc`, as sessions share them between plans.
    shared: OnceLock<Vec<Arc<T>>>,
}

/// The workloads of a plan, in the order planned.
pub(super) type Workloads = Shared<WorkloadInput>;

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Self {
            flat: OnceLock::new(),
            shared: OnceLock::new(),
        }
    }
}

impl<T: Clone> Shared<T> {
    /// The items of a full plan.
    pub fn from_flat(items: Vec<T>) -> Self {
        Self {
            flat: OnceLock::from(items),
            shared: OnceLock::new(),
        }
    }

    /// Items shared with another plan.
    pub fn from_shared(items: Vec<Arc<T>>) -> Self {
        Self {
            flat: OnceLock::new(),
            shared: OnceLock::from(items),
        }
    }

    /// The items one after the other (copied from the shared ones on the first call).
    pub fn flat(&self) -> &[T] {
        self.flat.get_or_init(|| {
            let shared = self.shared.get().map_or(&[][..], Vec::as_slice);
            shared.iter().map(|w| T::clone(w)).collect()
        })
    }

    /// The items, each behind an `Arc` (made from the contiguous list on the first call).
    pub fn shared(&self) -> &[Arc<T>] {
        self.shared.get_or_init(|| {
            let flat = self.flat.get().map_or(&[][..], Vec::as_slice);
            flat.iter().cloned().map(Arc::new).collect()
        })
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        match (self.shared.get(), self.flat.get()) {
            (Some(shared), _) => shared.len(),
            (None, Some(flat)) => flat.len(),
            (None, None) => 0,
        }
    }
}
