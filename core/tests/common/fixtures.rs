//! The sample application and platform of `fixtures/`, loaded for tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use goldpath::load::Loader;
use goldpath::platform::Platform;
use goldpath::resolve::WorkloadInput;

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The workloads of `fixtures/shop`.
pub fn shop() -> Vec<WorkloadInput> {
    workloads_in(&repo().join("fixtures/shop"))
}

/// The workloads of the Score files in `path`.
pub fn workloads_in(path: &Path) -> Vec<WorkloadInput> {
    let docs = Loader::default().path(path).unwrap();
    docs.workloads
        .into_iter()
        .map(WorkloadInput::from_loaded)
        .collect()
}

/// The platform of `fixtures/platform`.
pub fn platform() -> Platform {
    platform_in(&repo().join("fixtures/platform"))
}

/// The platform of the documents in `path`.
pub fn platform_in(path: &Path) -> Platform {
    let docs = Loader::default().path(path).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}
