//! Kubernetes resource quantities (`250m`, `1.5Gi`, `1e3`) and the Score CPU and memory rules.
//!
//! [`Quantity::parse`] follows the grammar of apimachinery's `resource.ParseQuantity`:
//! an optional sign, digits with an optional fraction (`1`, `1.5`, `.5`, `5.`), then a binary
//! suffix (`Ki` … `Ei`), a decimal suffix (`n`, `u`, `m`, none, `k`, `M`, `G`, `T`, `P`, `E`)
//! or a decimal exponent (`e3`, `E-2`). The value is kept exactly, in nano-units, as an integer.
//!
//! Two choices differ from Kubernetes, both to fail loudly instead of changing a value:
//! a magnitude above 2^63-1 units is an error (Kubernetes silently caps it), and
//! [`score_cpu`] and [`score_memory`] refuse amounts finer than `1m` that the API server would
//! round up (`0.1m` becomes `1m` there; its own comment says it should reject them).
//! Amounts finer than one nano-unit are rounded up to the next nano-unit, as Kubernetes does.
//!
//! ```
//! use goldpath::validate::quantity::Quantity;
//!
//! let half = Quantity::parse("0.5").unwrap();
//! assert_eq!(half.canonical(), "500m");
//! assert!(Quantity::parse("1Gi").unwrap() == Quantity::parse("1073741824").unwrap());
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use super::names::quoted;

const NANOS_PER_UNIT: i128 = 1_000_000_000;
const NANOS_PER_MILLI: i128 = 1_000_000;
/// The largest magnitude Kubernetes represents, in nano-units: 2^63-1 units.
const MAX_NANOS: i128 = i64::MAX as i128 * NANOS_PER_UNIT;
/// Decimal digits that always fit in an `i128`.
const I128_SAFE_DIGITS: usize = 38;

const SUFFIX_ADVICE: &str = "use `Ki`, `Mi`, `Gi`, `Ti`, `Pi` or `Ei` (powers of 1024), `n`, `u`, `m`, `k`, `M`, `G`, `T`, `P` or `E` (powers of 1000), or an exponent such as `e3`; suffixes are case-sensitive";
const CPU_ADVICE: &str = "write whole cores (`2`), cores with digits on both sides of the point (`0.25`), or millicores (`250m`)";
const MEMORY_ADVICE: &str = "write a number without leading zeros and an optional suffix `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei` (powers of 1024) or `k`, `M`, `G`, `T`, `P`, `E` (powers of 1000), e.g. `512Mi` or `1.5Gi`";

const DECIMAL_SUFFIXES: [(&str, i32); 10] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];
const BINARY_SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/// The suffix family of a quantity, kept from its text so the canonical form stays in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Powers of 1024: `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`.
    BinarySi,
    /// Powers of 1000: `n`, `u`, `m`, no suffix, `k`, `M`, `G`, `T`, `P`, `E`.
    DecimalSi,
    /// A decimal exponent: `e3`, `E-2`.
    DecimalExponent,
}

/// An exact Kubernetes resource quantity.
///
/// Equality, ordering and hashing compare the amount only, as Kubernetes' `Quantity.Cmp`
/// does: `1Gi == 1073741824` and `1000m == 1`. [`Quantity::format`] tells the families apart.
#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    nanos: i128,
    format: Format,
}

/// How a suffix scales the number written before it.
#[derive(Debug, Clone, Copy)]
enum Scale {
    /// Times 10 to this power.
    Decimal(i64),
    /// Times 2 to this power.
    Binary(u32),
}

/// The pieces of a quantity's text: sign, digits before and after the point, suffix.
struct Parts<'a> {
    negative: bool,
    whole: &'a str,
    fraction: &'a str,
    suffix: &'a str,
}

impl Quantity {
    /// Parses a quantity in the Kubernetes grammar, without whitespace.
    ///
    /// ```
    /// use goldpath::validate::quantity::Quantity;
    ///
    /// assert_eq!(Quantity::parse("1.5Gi").unwrap().canonical(), "1536Mi");
    /// assert!(Quantity::parse("1GB").unwrap_err().contains("write `G`"));
    /// ```
    ///
    /// # Errors
    ///
    /// A message naming the text when it does not follow the grammar or its magnitude
    /// exceeds 2^63-1 units.
    pub fn parse(text: &str) -> Result<Self, String> {
        let invalid = |reason: &str| {
            format!(
                "{} is not a valid Kubernetes quantity: {reason}",
                quoted(text)
            )
        };
        let parts = split(text).map_err(|reason| invalid(&reason))?;
        let (scale, format) = interpret_suffix(parts.suffix).map_err(|reason| invalid(&reason))?;
        let magnitude = magnitude_nanos(parts.whole, parts.fraction, scale).ok_or_else(|| {
            invalid("its magnitude is above 9223372036854775807 (2^63-1), the largest Kubernetes allows; write a smaller amount")
        })?;
        let nanos = if parts.negative {
            -magnitude
        } else {
            magnitude
        };
        Ok(Self { nanos, format })
    }

    /// The amount in nano-units (10^-9 of a core or a byte).
    #[must_use]
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The suffix family of the text this quantity was parsed from.
    #[must_use]
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the amount is below zero.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.nanos < 0
    }

    /// Compares amounts exactly; the same as [`Ord::cmp`].
    #[must_use]
    pub fn compare(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }

    /// The canonical text Kubernetes writes for this quantity: an integer and the largest
    /// suffix that keeps it exact, in the family of the input. A binary amount below 1024 or
    /// not a whole number is written in decimal, as Kubernetes does.
    ///
    /// ```
    /// use goldpath::validate::quantity::Quantity;
    ///
    /// let canonical = |text| Quantity::parse(text).unwrap().canonical();
    /// assert_eq!(canonical("0.5"), "500m");
    /// assert_eq!(canonical("1000m"), "1");
    /// assert_eq!(canonical("1024Mi"), "1Gi");
    /// assert_eq!(canonical("0.5Ki"), "512");
    /// assert_eq!(canonical("1.5e3"), "1500");
    /// ```
    #[must_use]
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".to_owned();
        }
        let whole_units = self.nanos % NANOS_PER_UNIT == 0;
        if self.format == Format::BinarySi
            && whole_units
            && self.nanos.abs() >= 1024 * NANOS_PER_UNIT
        {
            return binary_canonical(self.nanos / NANOS_PER_UNIT);
        }
        decimal_canonical(self.nanos, self.format == Format::DecimalExponent)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}

impl Eq for Quantity {}

impl Hash for Quantity {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.nanos.hash(state);
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.compare(other)
    }
}

impl FromStr for Quantity {
    type Err = crate::Error;

    /// [`Quantity::parse`], its reason as an [`crate::ErrorKind::Invalid`] error.
    fn from_str(text: &str) -> Result<Self, crate::Error> {
        Self::parse(text).map_err(|reason| {
            crate::Error::new(
                crate::ErrorKind::Invalid,
                crate::Location::default(),
                format!("quantity `{text}`: {reason}"),
            )
        })
    }
}

impl fmt::Display for Quantity {
    /// Writes the [canonical](Quantity::canonical) form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// Splits `text` into sign, whole digits, fraction digits and suffix.
fn split(text: &str) -> Result<Parts<'_>, String> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, rest) = take_digits(rest);
    let (fraction, suffix) = match rest.strip_prefix('.') {
        Some(after_point) => take_digits(after_point),
        None => ("", rest),
    };
    if whole.is_empty() && fraction.is_empty() {
        return Err("it has no digits; write a number such as `500m`, `2` or `1.5Gi`".to_owned());
    }
    Ok(Parts {
        negative,
        whole,
        fraction,
        suffix,
    })
}

/// The leading ASCII digits of `text` and the rest.
fn take_digits(text: &str) -> (&str, &str) {
    let end = text
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at(end)
}

/// The scale and family of a suffix, or why it is not one.
fn interpret_suffix(suffix: &str) -> Result<(Scale, Format), String> {
    if let Some((_, power)) = DECIMAL_SUFFIXES.iter().find(|(name, _)| *name == suffix) {
        return Ok((Scale::Decimal(i64::from(*power)), Format::DecimalSi));
    }
    if let Some(power) = binary_power(suffix) {
        return Ok((Scale::Binary(power), Format::BinarySi));
    }
    if let Some(exponent) = suffix
        .strip_prefix(['e', 'E'])
        .filter(|rest| !rest.is_empty())
    {
        return parse_exponent(exponent)
            .map(|power| (Scale::Decimal(power), Format::DecimalExponent));
    }
    Err(suffix_problem(suffix))
}

/// The power of two of a binary suffix (`Ki` → 10 … `Ei` → 60).
fn binary_power(suffix: &str) -> Option<u32> {
    let powers = (0u32..).step_by(10);
    BINARY_SUFFIXES
        .iter()
        .zip(powers)
        .skip(1)
        .find(|(name, _)| **name == suffix)
        .map(|(_, power)| power)
}

/// The power of ten of a decimal exponent: an optional sign and digits.
fn parse_exponent(text: &str) -> Result<i64, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "the exponent `e{text}` is not a whole number; write e.g. `e3` or `e-3`"
        ));
    }
    text.parse()
        .map_err(|_| format!("the exponent `e{text}` is out of range; write a smaller exponent"))
}

/// Why `suffix` is not a quantity suffix, with the nearest valid spelling where there is one.
fn suffix_problem(suffix: &str) -> String {
    let shown = quoted(suffix);
    let hint = match suffix {
        "K" => "write `k` (decimal, 1000) or `Ki` (binary, 1024)".to_owned(),
        "ki" | "mi" | "gi" | "ti" | "pi" | "ei" | "KI" | "MI" | "GI" | "TI" | "PI" | "EI" => {
            let mut fixed = suffix[..1].to_ascii_uppercase();
            fixed.push('i');
            format!("suffixes are case-sensitive; write `{fixed}`")
        }
        _ => match suffix.strip_suffix(['B', 'b']) {
            Some(unit @ ("K" | "k" | "M" | "G" | "T" | "P" | "E")) => {
                let decimal = if unit == "K" { "k" } else { unit };
                format!(
                    "quantities have no `B`; write `{decimal}` (decimal) or `{}i` (binary)",
                    unit.to_ascii_uppercase()
                )
            }
            Some(unit) if binary_power(unit).is_some() => {
                format!("quantities have no `B`; write `{unit}`")
            }
            _ => SUFFIX_ADVICE.to_owned(),
        },
    };
    format!("{shown} is not a suffix; {hint}")
}

/// The magnitude in nano-units of `whole.fraction` times `scale`, rounded up to a whole
/// nano-unit; `None` when it exceeds 2^63-1 units.
fn magnitude_nanos(whole: &str, fraction: &str, scale: Scale) -> Option<i128> {
    let mut digits: Vec<u8> = whole
        .bytes()
        .chain(fraction.bytes())
        .map(|b| b - b'0')
        .collect();
    let mut power_of_ten = 9 - i128::try_from(fraction.len()).ok()?;
    match scale {
        Scale::Decimal(power) => power_of_ten += i128::from(power),
        Scale::Binary(power) => multiply_by_power_of_two(&mut digits, power),
    }
    let Some(first_nonzero) = digits.iter().position(|d| *d != 0) else {
        return Some(0);
    };
    let nanos = scaled_by_power_of_ten(&digits[first_nonzero..], power_of_ten)?;
    (nanos <= MAX_NANOS).then_some(nanos)
}

/// Multiplies the decimal number `digits` (most significant first) by 2^`power`, exactly.
fn multiply_by_power_of_two(digits: &mut Vec<u8>, mut power: u32) {
    while power > 0 {
        let step = power.min(32);
        let factor = 1u64 << step;
        let mut carry = 0u64;
        for digit in digits.iter_mut().rev() {
            let product = u64::from(*digit) * factor + carry;
            *digit = (product % 10) as u8;
            carry = product / 10;
        }
        while carry > 0 {
            digits.insert(0, (carry % 10) as u8);
            carry /= 10;
        }
        power -= step;
    }
}

/// `digits` (no leading zero, not empty) times 10^`power`, rounded up to an integer; `None`
/// when it does not fit an `i128`.
fn scaled_by_power_of_ten(digits: &[u8], power: i128) -> Option<i128> {
    let len = i128::try_from(digits.len()).ok()?;
    if power >= 0 {
        if len + power > I128_SAFE_DIGITS as i128 {
            return None;
        }
        let zeros = usize::try_from(power).ok()?;
        return to_integer(digits.iter().copied().chain(std::iter::repeat_n(0, zeros)));
    }
    let kept = len + power;
    if kept <= 0 {
        return Some(1);
    }
    let (kept, dropped) = digits.split_at(usize::try_from(kept).ok()?);
    if kept.len() > I128_SAFE_DIGITS {
        return None;
    }
    let round_up = i128::from(dropped.iter().any(|d| *d != 0));
    Some(to_integer(kept.iter().copied())? + round_up)
}

/// The integer of decimal `digits`, at most 38 of them.
fn to_integer(mut digits: impl Iterator<Item = u8>) -> Option<i128> {
    digits.try_fold(0i128, |value, digit| {
        value.checked_mul(10)?.checked_add(i128::from(digit))
    })
}

/// `units` (a non-zero whole number, |units| ≥ 1024) with the largest exact binary suffix.
fn binary_canonical(mut units: i128) -> String {
    let mut suffix = 0;
    while units % 1024 == 0 && suffix + 1 < BINARY_SUFFIXES.len() {
        units /= 1024;
        suffix += 1;
    }
    format!("{units}{}", BINARY_SUFFIXES[suffix])
}

/// `nanos` (non-zero) as an integer and a power of ten that is a multiple of three, written
/// with the SI suffix of that power or, for `exponent_form`, as `e<power>`.
fn decimal_canonical(nanos: i128, exponent_form: bool) -> String {
    let (mut mantissa, mut power) = (nanos, -9i32);
    while mantissa % 10 == 0 {
        mantissa /= 10;
        power += 1;
    }
    let excess = power.rem_euclid(3);
    mantissa *= 10i128.pow(excess.unsigned_abs());
    power -= excess;
    let si_suffix = DECIMAL_SUFFIXES
        .iter()
        .find(|(_, p)| *p == power)
        .map(|(name, _)| *name);
    match (exponent_form, si_suffix) {
        (false, Some(name)) => format!("{mantissa}{name}"),
        _ if power == 0 => mantissa.to_string(),
        _ => format!("{mantissa}e{power}"),
    }
}

/// `nanos` as a plain decimal number of units (`107374182.4`), for messages.
fn units_text(nanos: i128) -> String {
    let fraction = format!("{:09}", (nanos % NANOS_PER_UNIT).abs());
    let fraction = fraction.trim_end_matches('0');
    let sign = if nanos < 0 { "-" } else { "" };
    let whole = (nanos / NANOS_PER_UNIT).abs();
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// Refuses a negative amount of `what` (written as `text`).
fn non_negative(text: &str, what: &str) -> Result<(), String> {
    if text.starts_with('-') {
        return Err(format!(
            "{} is negative: a {what} amount must be zero or more",
            quoted(text)
        ));
    }
    Ok(())
}

/// Whether `text` matches Score's CPU pattern `^\d+(?:m|\.\d+)?$`.
fn matches_score_cpu(text: &str) -> bool {
    let (whole, rest) = take_digits(text);
    let fraction_ok = || {
        rest.strip_prefix('.')
            .is_some_and(|f| !f.is_empty() && take_digits(f).1.is_empty())
    };
    !whole.is_empty() && (rest.is_empty() || rest == "m" || fraction_ok())
}

/// Checks a Score CPU amount (`2`, `0.25`, `250m`): Score's pattern, a valid Kubernetes
/// quantity, not negative, and no finer than `1m`.
///
/// ```
/// use goldpath::validate::quantity::score_cpu;
///
/// assert!(score_cpu("250m").is_ok());
/// assert!(score_cpu(".5").is_err());
/// assert!(score_cpu("0.0001").unwrap_err().contains("round it up to `1m`"));
/// ```
///
/// # Errors
///
/// A sentence naming the value, what is wrong and what to write instead.
pub fn score_cpu(text: &str) -> Result<(), String> {
    non_negative(text, "CPU")?;
    if !matches_score_cpu(text) {
        return Err(format!(
            "{} is not a valid Score CPU amount: {CPU_ADVICE}",
            quoted(text)
        ));
    }
    let quantity = Quantity::parse(text)?;
    let rounded =
        quantity.nanos + (NANOS_PER_MILLI - quantity.nanos % NANOS_PER_MILLI) % NANOS_PER_MILLI;
    if rounded != quantity.nanos {
        let rounded = Quantity {
            nanos: rounded,
            format: Format::DecimalSi,
        };
        return Err(format!(
            "{} is finer than `1m` (0.001 of a core), the smallest CPU step Kubernetes keeps, and Kubernetes would round it up to `{rounded}`; write whole millicores, e.g. `{rounded}`",
            quoted(text)
        ));
    }
    Ok(())
}

/// Whether `text` matches Score's memory pattern
/// `^(0\.\d+|[1-9]\d*(\.\d+)?)(K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$`, with the suffix `k` allowed
/// as well (see [`score_memory`]).
fn matches_score_memory(text: &str) -> bool {
    let (whole, rest) = take_digits(text);
    let (fraction, suffix) = match rest.strip_prefix('.') {
        Some(after_point) => take_digits(after_point),
        None => ("", rest),
    };
    let point_ok = !rest.starts_with('.') || !fraction.is_empty();
    let number_ok = match whole {
        "0" => !fraction.is_empty(),
        _ => !whole.is_empty() && !whole.starts_with('0') && point_ok,
    };
    let suffixes = [
        "", "k", "K", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
    ];
    number_ok && suffixes.contains(&suffix)
}

/// Checks a Score memory amount (`512Mi`, `1.5Gi`, `128M`): Score's pattern, a valid
/// Kubernetes quantity, not negative, and a whole number of bytes.
///
/// Score's suffix `K` is not a Kubernetes suffix and is refused with a message to write `k`
/// or `Ki`; goldpath accepts `k` here although Score's pattern lacks it, so that decimal
/// kilobytes can be written at all. A fraction of a byte (`0.5`, which Kubernetes reads as
/// 500m bytes) is refused.
///
/// ```
/// use goldpath::validate::quantity::score_memory;
///
/// assert!(score_memory("1.5Gi").is_ok());
/// assert!(score_memory("128K").unwrap_err().contains("write `k` (decimal, 1000) or `Ki` (binary, 1024)"));
/// assert!(score_memory("400m").is_err());
/// ```
///
/// # Errors
///
/// A sentence naming the value, what is wrong and what to write instead.
pub fn score_memory(text: &str) -> Result<(), String> {
    non_negative(text, "memory")?;
    if !matches_score_memory(text) {
        // Not a quantity at all: the parser's reason names the nearest valid suffix.
        Quantity::parse(text)?;
        let hint = if text.ends_with('m') {
            " (`m` means thousandths of a byte)"
        } else {
            ""
        };
        return Err(format!(
            "{} is not a valid Score memory amount{hint}: {MEMORY_ADVICE}",
            quoted(text)
        ));
    }
    if let Some(number) = text.strip_suffix('K') {
        return Err(format!(
            "{} uses the suffix `K`, which Score allows but Kubernetes does not know: write `k` (decimal, 1000) or `Ki` (binary, 1024), e.g. `{number}k` or `{number}Ki`",
            quoted(text)
        ));
    }
    let quantity = Quantity::parse(text)?;
    if quantity.nanos % NANOS_PER_UNIT != 0 {
        return Err(format!(
            "{} is {} bytes, not a whole number of bytes: write memory in whole bytes, e.g. with a smaller suffix such as `Mi`",
            quoted(text),
            units_text(quantity.nanos)
        ));
    }
    Ok(())
}

/// Checks that a request is at most its limit, as the Kubernetes API requires.
///
/// ```
/// use goldpath::validate::quantity::{requests_within_limits, Quantity};
///
/// let q = |text| Quantity::parse(text).unwrap();
/// assert!(requests_within_limits(&q("500m"), &q("1")).is_ok());
/// assert!(requests_within_limits(&q("1Gi"), &q("1G")).is_err());
/// ```
///
/// # Errors
///
/// A sentence naming both amounts when the request is greater.
pub fn requests_within_limits(request: &Quantity, limit: &Quantity) -> Result<(), String> {
    if request > limit {
        return Err(format!(
            "the request `{request}` is greater than the limit `{limit}`: a request must be at most its limit; lower the request or raise the limit"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap_or_else(|err| panic!("{text:?}: {err}"))
    }

    #[test]
    fn parse_gives_exact_nano_units() {
        let cases: &[(&str, i128)] = &[
            ("0", 0),
            ("-0", 0),
            ("1", 1_000_000_000),
            ("+1", 1_000_000_000),
            ("-1", -1_000_000_000),
            (".5", 500_000_000),
            ("5.", 5_000_000_000),
            ("0.5", 500_000_000),
            ("250m", 250_000_000),
            ("1n", 1),
            ("1u", 1_000),
            ("1k", 1_000_000_000_000),
            ("1e3", 1_000_000_000_000),
            ("1E3", 1_000_000_000_000),
            ("1e+3", 1_000_000_000_000),
            ("1e-3", 1_000_000),
            ("1.5e-9", 2),
            ("1Ki", 1_024_000_000_000),
            ("1Gi", 1_073_741_824_000_000_000),
            ("1.0000000001Ki", 1_024_000_000_103),
            ("0.1m", 100_000),
            ("0.0000000001", 1),
            ("1e-100000", 1),
            (
                "1.0000000000000000000000000000000000000000000000",
                1_000_000_000,
            ),
            (
                "0000000000000000000000000000000000000000000000001",
                1_000_000_000,
            ),
            ("9223372036854775807", MAX_NANOS),
            ("7Ei", 7 * (1i128 << 60) * NANOS_PER_UNIT),
        ];
        for (text, nanos) in cases {
            assert_eq!(q(text).nanos(), *nanos, "{text}");
        }
    }

    #[test]
    fn parse_rejects_bad_text_with_a_reason() {
        let cases = [
            ("", "it has no digits"),
            (".", "it has no digits"),
            ("+", "it has no digits"),
            ("m", "it has no digits"),
            ("1GB", "write `G` (decimal) or `Gi` (binary)"),
            ("1Gb", "write `G` (decimal) or `Gi` (binary)"),
            ("1KB", "write `k` (decimal) or `Ki` (binary)"),
            ("1MiB", "write `Mi`"),
            ("1K", "write `k` (decimal, 1000) or `Ki` (binary, 1024)"),
            ("1gi", "case-sensitive; write `Gi`"),
            ("1 Gi", "`\u{20}Gi` is not a suffix"),
            ("1e", "`e` is not a suffix"),
            ("1e3.5", "the exponent `e3.5` is not a whole number"),
            ("1e99999999999999999999", "is out of range"),
            ("1\n", "`\\n` is not a suffix"),
            ("1.2.3", "`.3` is not a suffix"),
            ("--1", "it has no digits"),
            ("１", "it has no digits"),
        ];
        for (text, words) in cases {
            let err = Quantity::parse(text).expect_err(text);
            assert!(
                err.contains("is not a valid Kubernetes quantity: "),
                "{err}"
            );
            assert!(err.contains(words), "{text:?}: {err:?} lacks {words:?}");
        }
    }

    #[test]
    fn parse_rejects_overflow_instead_of_capping() {
        // `8Ei` is 2^63, one more than the maximum.
        for text in [
            "9223372036854775808",
            "8Ei",
            "1e19",
            "1e999999",
            "100000000000000000000000000000000000000000",
        ] {
            assert!(
                Quantity::parse(text).expect_err(text).contains("2^63-1"),
                "{text}"
            );
        }
        assert!(Quantity::parse("7Ei").is_ok());
        assert!(Quantity::parse("-9223372036854775807").is_ok());
    }

    #[test]
    fn canonical_forms_match_kubernetes() {
        let cases = [
            ("0", "0"),
            ("0Gi", "0"),
            ("0.5", "500m"),
            ("1000m", "1"),
            ("250m", "250m"),
            ("1.5", "1500m"),
            ("0.1m", "100u"),
            ("1024Mi", "1Gi"),
            ("1536Mi", "1536Mi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Ki", "512"),
            ("1Ki", "1Ki"),
            ("1.0001Ki", "1024102400u"),
            ("1073741824", "1073741824"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("129M", "129M"),
            ("1e3", "1e3"),
            ("1.5e3", "1500"),
            ("1e-3", "1e-3"),
            ("100e-2", "1"),
            ("-1Gi", "-1Gi"),
            ("-0.5", "-500m"),
            ("12e6", "12e6"),
            ("9223372036854775807", "9223372036854775807"),
            ("4Ei", "4Ei"),
        ];
        for (text, canonical) in cases {
            assert_eq!(q(text).canonical(), canonical, "{text}");
            assert_eq!(q(text).to_string(), canonical, "{text}");
        }
    }

    #[test]
    fn comparison_is_exact_across_families() {
        assert_eq!(q("1Gi"), q("1073741824"));
        assert_eq!(q("1Gi").compare(&q("1073741824")), Ordering::Equal);
        assert_eq!(q("1000m"), q("1"));
        assert!(q("1G") < q("1Gi"));
        assert!(q("999999999n") < q("1"));
        assert!(q("-1") < q("0"));
        assert!(q("129e6") > q("123Mi"));
        assert!(q("9223372036854775807") > q("9223372036854775806"));
        assert_eq!(q("1Gi").format(), Format::BinarySi);
        assert_eq!(q("1e3").format(), Format::DecimalExponent);
        assert!(q("-1m").is_negative() && !q("0").is_negative());
        assert_eq!("2Gi".parse::<Quantity>(), Ok(q("2048Mi")));
    }

    #[test]
    fn score_cpu_table() {
        let valid = ["0", "2", "250m", "0.25", "1000m", "0.001", "00"];
        for text in valid {
            assert_eq!(score_cpu(text), Ok(()), "{text}");
        }
        let invalid = [
            (".5", "is not a valid Score CPU amount"),
            ("5.", "is not a valid Score CPU amount"),
            ("+1", "is not a valid Score CPU amount"),
            ("1e3", "is not a valid Score CPU amount"),
            ("1k", "is not a valid Score CPU amount"),
            ("0.5m", "is not a valid Score CPU amount"),
            ("250m\n", "is not a valid Score CPU amount"),
            ("", "is not a valid Score CPU amount"),
            ("-1", "is negative"),
            ("0.0001", "round it up to `1m`"),
            ("0.0015", "round it up to `2m`"),
            ("99999999999999999999", "2^63-1"),
        ];
        for (text, words) in invalid {
            let err = score_cpu(text).expect_err(text);
            assert!(err.contains(words), "{text:?}: {err:?} lacks {words:?}");
        }
    }

    #[test]
    fn score_memory_table() {
        let valid = [
            "512Mi",
            "1.5Gi",
            "0.5Gi",
            "128M",
            "1",
            "1Ei",
            "10k",
            "1073741824",
        ];
        for text in valid {
            assert_eq!(score_memory(text), Ok(()), "{text}");
        }
        let invalid = [
            (
                "128K",
                "write `k` (decimal, 1000) or `Ki` (binary, 1024), e.g. `128k` or `128Ki`",
            ),
            (
                "400m",
                "is not a valid Score memory amount (`m` means thousandths of a byte)",
            ),
            ("0", "is not a valid Score memory amount"),
            ("01Gi", "is not a valid Score memory amount"),
            ("1.Gi", "is not a valid Score memory amount"),
            (".5Gi", "is not a valid Score memory amount"),
            ("1e9", "is not a valid Score memory amount"),
            ("1GB", "write `G` (decimal) or `Gi` (binary)"),
            ("1gi", "write `Gi`"),
            ("512Mi\n", "`Mi\\n` is not a suffix"),
            ("-1Gi", "is negative"),
            ("0.5", "is 0.5 bytes, not a whole number of bytes"),
            ("0.1Gi", "is 107374182.4 bytes"),
            ("8Ei", "2^63-1"),
        ];
        for (text, words) in invalid {
            let err = score_memory(text).expect_err(text);
            assert!(err.contains(words), "{text:?}: {err:?} lacks {words:?}");
        }
    }

    #[test]
    fn requests_within_limits_compares_amounts() {
        assert_eq!(requests_within_limits(&q("500m"), &q("1")), Ok(()));
        assert_eq!(requests_within_limits(&q("1Gi"), &q("1073741824")), Ok(()));
        assert_eq!(
            requests_within_limits(&q("1.5"), &q("1")),
            Err("the request `1500m` is greater than the limit `1`: a request must be at most its limit; lower the request or raise the limit".to_owned())
        );
        assert!(requests_within_limits(&q("1Gi"), &q("1G")).is_err());
    }

    #[test]
    fn units_text_shows_fractions() {
        assert_eq!(units_text(1_500_000_000), "1.5");
        assert_eq!(units_text(-500_000_000), "-0.5");
        assert_eq!(units_text(7 * NANOS_PER_UNIT), "7");
        assert_eq!(units_text(1), "0.000000001");
    }

    fn quantity_text() -> impl Strategy<Value = String> {
        let suffix = prop::sample::select(vec![
            "", "n", "u", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", "e3", "e-2", "E6", "e0",
        ]);
        (
            "[-+]?",
            "[0-9]{0,9}",
            prop::option::of("[0-9]{0,9}"),
            suffix,
        )
            .prop_filter_map(
                "needs digits and at most 2^63-1 units",
                |(sign, whole, fraction, suffix)| {
                    let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
                    let text = format!("{sign}{whole}{fraction}{suffix}");
                    Quantity::parse(&text).is_ok().then_some(text)
                },
            )
    }

    proptest! {
        #[test]
        fn canonical_reparses_to_an_equal_quantity(text in quantity_text()) {
            let quantity = q(&text);
            let canonical = quantity.canonical();
            let again = q(&canonical);
            prop_assert_eq!(again, quantity, "{} -> {}", text, canonical);
            prop_assert_eq!(again.canonical(), canonical);
        }

        #[test]
        fn order_agrees_with_nano_units(a in quantity_text(), b in quantity_text()) {
            let (a, b) = (q(&a), q(&b));
            prop_assert_eq!(a.cmp(&b), a.nanos().cmp(&b.nanos()));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            let _ = Quantity::parse(&text);
            let _ = score_cpu(&text);
            let _ = score_memory(&text);
        }
    }
}
