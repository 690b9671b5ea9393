//! A workload to plan, with where it came from.

use std::path::PathBuf;

use crate::spec::score::Workload;

/// A workload to plan, with where it came from: its file names it in errors, and its folder
/// is where file `source`s are read from.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadInput {
    /// The workload.
    pub workload: Workload,
    /// The Score file, as given; `None` when it was not read from a file.
    pub file: Option<String>,
    /// The folder of its Score file; `None` when it was not read from a file.
    pub folder: Option<PathBuf>,
}

impl WorkloadInput {
    /// A workload given without a file (its file `source`s cannot be read).
    #[must_use]
    pub fn new(workload: Workload) -> Self {
        Self {
            workload,
            file: None,
            folder: None,
        }
    }

    /// A workload as the loader read it.
    #[must_use]
    pub fn from_loaded(loaded: super::Loaded<Workload>) -> Self {
        Self {
            workload: loaded.document,
            file: loaded.origin.file,
            folder: loaded.origin.folder,
        }
    }
}
