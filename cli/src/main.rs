//! The goldpath command line.
fn main() {}
