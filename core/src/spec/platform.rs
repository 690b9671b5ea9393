//! goldpath platform documents (`goldpath.dev/v1alpha1`).
