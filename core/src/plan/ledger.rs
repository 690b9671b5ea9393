//! What each part of a plan cost it: how many objects the environment and each resource put
//! out and the bytes they charged to the plan's budget. A full plan keeps it (for sessions,
//! which add and remove resources without planning the others again).

/// What one part of a plan (the environment, or one resource) cost it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Spent {
    /// The objects it handed to the output step.
    pub rendered: usize,
    /// The objects the output step put out (the others were duplicates, dropped).
    pub objects: usize,
    /// The bytes it charged: its outputs and its objects.
    pub charged: usize,
}

impl Spent {
    /// What provisioning a resource whose outputs charged `bytes` cost, before its manifests
    /// go out.
    pub fn outputs(bytes: usize) -> Self {
        Self {
            charged: bytes,
            ..Self::default()
        }
    }

    /// Whether the output step dropped none of its objects as duplicates.
    pub fn none_dropped(&self) -> bool {
        self.rendered == self.objects
    }
}
