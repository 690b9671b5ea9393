//! paths rules.
