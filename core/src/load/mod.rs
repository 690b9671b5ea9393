//! From text to typed documents: YAML parsing under limits, schema validation, source locations.
