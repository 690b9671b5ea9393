//! The timestamps of records: RFC 3339, as the caller gives them (goldpath never reads the
//! clock itself).

use crate::{Error, ErrorKind, Location, Result};

/// Checks `at` is an RFC 3339 timestamp (`2026-11-23T10:00:00Z`, with an optional fraction
/// and a `Z` or `±hh:mm` offset).
///
/// # Errors
/// An [`ErrorKind::Invalid`] error saying what form is expected.
pub fn check_timestamp(at: &str) -> Result<()> {
    if is_rfc3339(at) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Invalid,
            Location::default(),
            format!("`{at}` is not an RFC 3339 timestamp: write it as 2026-11-23T10:00:00Z"),
        ))
    }
}

fn is_rfc3339(at: &str) -> bool {
    let b = at.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return false;
    }
    let number = |range: std::ops::Range<usize>| at[range].parse::<u32>().unwrap_or(99);
    let ranges_ok = (1..=12).contains(&number(5..7))
        && (1..=31).contains(&number(8..10))
        && number(11..13) < 24
        && number(14..16) < 60
        && number(17..19) < 61;
    let mut rest = &at[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    let offset_ok = match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    ranges_ok && offset_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_follow_rfc_3339() {
        for good in [
            "2026-11-23T10:00:00Z",
            "2026-11-23t10:00:00.123z",
            "2026-11-23T10:00:00+01:00",
            "2026-02-28T23:59:60-05:30",
        ] {
            assert!(is_rfc3339(good), "{good}");
        }
        for bad in [
            "2026-11-23",
            "2026-11-23 10:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-23T10:00:00",
            "2026-11-23T10:00:00.Z",
            "2026-11-23T25:00:00Z",
            "yesterday",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }
}
