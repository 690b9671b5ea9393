//! What a plan holds so that a session's plans share it: the workloads it was made from and
//! its resources, each item behind its own `Arc` (an edit makes a new list of pointers,
//! copying no item), and as one contiguous list for [`Plan::workloads`](super::Plan::workloads)
//! and [`Plan::resources`](super::Plan::resources), made when first asked for. A full plan
//! holds the contiguous list from the start; a plan that owns its workloads holds them
//! packed ([`super::packed`]) and makes the list when first asked for.

use std::sync::{Arc, OnceLock};

use crate::resolve::WorkloadInput;

/// Items of a plan, in order, contiguous or shared.
pub(super) struct Shared<T> {
    /// One after the other.
    flat: OnceLock<Vec<T>>,
    /// Each behind an `Arc`, as sessions share them between plans.
    shared: OnceLock<Vec<Arc<T>>>,
    /// What makes the items when neither list has been given (packed workloads), and how
    /// many it makes.
    source: Option<(Source<T>, usize)>,
}

/// Makes the items of a [`Shared`] list that holds them in another form.
type Source<T> = Box<dyn Fn() -> Vec<T> + Send + Sync>;

/// The workloads of a plan, in the order planned.
pub(super) type Workloads = Shared<WorkloadInput>;

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Self {
            flat: OnceLock::new(),
            shared: OnceLock::new(),
            source: None,
        }
    }
}

impl<T: Clone> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("len", &self.len())
            .field("flat", &self.flat.get().is_some())
            .field("shared", &self.shared.get().is_some())
            .finish()
    }
}

impl Workloads {
    /// The workloads of a plan that owns them: packed when they can be (see
    /// [`super::packed`]), unpacked by the first call of [`Shared::flat`] or
    /// [`Shared::shared`].
    pub fn owned(workloads: Vec<WorkloadInput>) -> Self {
        let Some(packed) = super::packed::Packed::new(&workloads) else {
            return Self::from_flat(workloads);
        };
        let len = workloads.len();
        drop(workloads);
        Self {
            source: Some((Box::new(move || packed.unpack()), len)),
            ..Self::default()
        }
    }
}

impl<T: Clone> Shared<T> {
    /// The items of a full plan.
    pub fn from_flat(items: Vec<T>) -> Self {
        Self {
            flat: OnceLock::from(items),
            ..Self::default()
        }
    }

    /// Items shared with another plan.
    pub fn from_shared(items: Vec<Arc<T>>) -> Self {
        Self {
            shared: OnceLock::from(items),
            ..Self::default()
        }
    }

    /// The items one after the other (copied from the shared ones, or made by the source,
    /// on the first call).
    pub fn flat(&self) -> &[T] {
        self.flat
            .get_or_init(|| match (self.shared.get(), &self.source) {
                (Some(shared), _) => shared.iter().map(|w| T::clone(w)).collect(),
                (None, Some((make, _))) => make(),
                (None, None) => Vec::new(),
            })
    }

    /// The items, each behind an `Arc` (made from the contiguous list on the first call).
    pub fn shared(&self) -> &[Arc<T>] {
        self.shared
            .get_or_init(|| self.flat().iter().cloned().map(Arc::new).collect())
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        match (self.shared.get(), self.flat.get(), &self.source) {
            (Some(shared), _, _) => shared.len(),
            (None, Some(flat), _) => flat.len(),
            (None, None, Some((_, len))) => *len,
            (None, None, None) => 0,
        }
    }
}
