//! platform rules.
