//! Record ids: SHA-256 digests ([`crate::hash`]) in hex.

use crate::hash::HEX;
pub(crate) use crate::hash::{sha256_hex, value_digest};

/// Whether `id` has the shape of a record id (64 lower-case hex digits), so it is safe as a
/// file name.
pub(crate) fn is_record_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| HEX.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_64_lower_case_hex_digits() {
        assert!(is_record_id(&sha256_hex(b"")));
        assert!(!is_record_id("../etc/passwd"));
        assert!(!is_record_id(&sha256_hex(b"").to_uppercase()));
    }
}
