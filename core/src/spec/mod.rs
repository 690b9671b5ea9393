//! The serde types of every input document, and nothing else.
//!
//! - [`score`]: Score workloads (`apiVersion: score.dev/v1b1`).
//! - [`platform`]: goldpath's platform documents (`apiVersion: goldpath.dev/v1alpha1`).

pub mod platform;
pub mod score;
