//! The Python package `goldpath`: the compiled module `goldpath._goldpath`.
//!
//! It converts Python values and errors to goldpath's and back, and nothing more: loading,
//! planning and rendering are the core crate's. The engine runs without the GIL, and a Rust
//! panic reaches Python as `goldpath.Error`.

/// The extension's own allocations (planning) go to mimalloc, as the CLI's do; Python's
/// objects keep Python's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod access;
mod convert;
mod deploy;
mod diff;
mod driver;
mod errors;
mod inputs;
mod memory;
mod plan;
mod platform;
mod record;
mod session;
mod store;

use pyo3::prelude::*;

/// Panics inside the engine guard: it exists so the test suite can show that a Rust panic
/// reaches Python as `goldpath.Error` and never aborts the interpreter.
#[pyfunction]
fn _check_panic_guard(py: Python<'_>) -> PyResult<()> {
    let result: Result<(), errors::Failure> = errors::guard(|| panic!("the panic guard works"));
    errors::to_py(py, result)
}

/// goldpath: Score workloads and a platform in, a resource graph and Kubernetes manifests out.
#[pymodule]
fn _goldpath(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::add_to(module)?;
    module.add_class::<errors::Location>()?;
    module.add_class::<errors::Diagnostic>()?;
    module.add_class::<platform::Platform>()?;
    module.add_class::<plan::Plan>()?;
    module.add_class::<session::Session>()?;
    module.add_class::<plan::Resource>()?;
    module.add_class::<plan::Graph>()?;
    module.add_class::<plan::GraphNode>()?;
    module.add_class::<plan::GraphEdge>()?;
    module.add_class::<plan::Explanation>()?;
    module.add_class::<plan::Violation>()?;
    module.add_class::<access::Principal>()?;
    module.add_class::<access::Decision>()?;
    module.add_function(wrap_pyfunction!(access::authorize, module)?)?;
    module.add_class::<store::Store>()?;
    module.add_class::<store::MemoryStore>()?;
    module.add_class::<store::DirStore>()?;
    module.add_class::<store::PgStore>()?;
    module.add_class::<store::Environment>()?;
    module.add_class::<store::History>()?;
    module.add_class::<store::HistoryEntry>()?;
    module.add_class::<record::Deployment>()?;
    module.add_class::<record::Rollback>()?;
    module.add_class::<diff::Diff>()?;
    module.add_class::<diff::InputChanges>()?;
    module.add_class::<diff::ObjectDiff>()?;
    module.add_class::<diff::WorkloadDiff>()?;
    module.add_class::<diff::DocumentChange>()?;
    module.add_class::<diff::Change>()?;
    module.add_function(wrap_pyfunction!(diff::diff, module)?)?;
    module.add_function(wrap_pyfunction!(_check_panic_guard, module)?)?;
    Ok(())
}
