//! The Node binding of goldpath: the npm package `goldpath`.
//!
//! It only converts: JavaScript values to goldpath's inputs, goldpath's results to plain
//! JavaScript objects, and goldpath's errors to `GoldpathError`s (see [`failure`]). A panic is
//! caught at the boundary and becomes an error too.

/// The addon's own allocations (planning) go to mimalloc, as the CLI's do; JavaScript values
/// keep V8's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod access;
mod deploy;
mod driver;
mod environments;
mod failure;
mod inputs;
mod memory;
mod plan;
mod platform;
mod records;
mod session;
mod task;

pub use access::{AccessTarget, Principal, authorize};
pub use deploy::{DeployOptions, RollbackOptions, Store, diff};
pub use environments::{EnvironmentOptions, PromoteOptions};
pub use failure::error_kinds;
pub use plan::Plan;
pub use platform::Platform;
pub use session::Session;
