//! The `${...}` placeholder grammar, parsed once into an AST, and substitution over a resolver.
