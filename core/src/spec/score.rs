//! Score workload documents (`score.dev/v1b1`).
