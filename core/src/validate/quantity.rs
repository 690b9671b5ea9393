//! quantity rules.
