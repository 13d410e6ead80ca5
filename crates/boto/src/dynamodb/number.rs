//! DynamoDB numbers: exact decimals checked with boto3's decimal context
//! (`Context(Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow,
//! Inexact, Rounded, Underflow])`), kept as text, never through `f64`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// Significant digits a DynamoDB number may have.
pub const PRECISION: i64 = 38;
/// The largest adjusted exponent (`Emax`).
pub const EMAX: i64 = 126;
/// The smallest normal adjusted exponent (`Emin`).
pub const EMIN: i64 = -128;
/// The smallest exponent of a subnormal number (`Emin - prec + 1`).
const ETINY: i64 = EMIN - PRECISION + 1;
/// `Emax - prec + 1`.
const ETOP: i64 = EMAX - PRECISION + 1;

/// Why a number is not a valid DynamoDB number. The variants are the
/// decimal signals boto3's context traps (the first one Python reports).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not a decimal number.
    #[error("{0:?} is not a decimal number")]
    Syntax(String),
    /// NaN or an infinity.
    #[error("Infinity and NaN not supported ({0})")]
    NotFinite(String),
    /// More than 38 significant digits would be needed (boto3's
    /// `Inexact`).
    #[error("{0} cannot be stored exactly: it has more than 38 significant digits (Inexact)")]
    Inexact(String),
    /// More than 38 digits, the extra ones zeros (boto3's `Rounded`).
    #[error("{0} has more than 38 digits (Rounded); remove trailing zeros or use an exponent")]
    Rounded(String),
    /// Larger than 9.99...E+126 allows (boto3's `Overflow`).
    #[error("{0} is too large for DynamoDB (Overflow: the exponent exceeds {EMAX})")]
    Overflow(String),
    /// Too small to be stored exactly (boto3's `Underflow`).
    #[error("{0} is too small for DynamoDB (Underflow)")]
    Underflow(String),
    /// A zero with an exponent out of range (boto3's `Clamped`).
    #[error("{0} has an exponent out of range (Clamped)")]
    Clamped(String),
    /// A float whose exact value needs more than 38 significant digits.
    #[error(
        "the float {value} is not exactly representable as a DynamoDB number (its exact value is {exact}); \
         write the number as text (Number::new(\"{value}\")) or use Number::from_f64_shortest"
    )]
    InexactFloat {
        /// The float as Rust prints it.
        value: String,
        /// Its exact decimal value.
        exact: String,
    },
}

/// An exact decimal number as DynamoDB stores it: up to 38 significant
/// digits, adjusted exponent from -130 to +126 (boto3's
/// `DYNAMODB_CONTEXT`). Kept as Python's `str(Decimal)` text; equality,
/// ordering and hashing are numeric (`1.0 == 1`), as for `Decimal`.
///
/// ```
/// use boto::dynamodb::Number;
/// let n = Number::new("1.50").unwrap();
/// assert_eq!(n.as_str(), "1.50");
/// assert_eq!(n, Number::new("1.5").unwrap());
/// assert_eq!(Number::new("1e2").unwrap().as_str(), "1E+2");
/// assert!(Number::new("3.14159265358979323846264338327950288419").is_err()); // 39 digits
/// assert_eq!(Number::try_from(0.5f64).unwrap().as_str(), "0.5");
/// assert!(Number::try_from(0.1f64).is_err()); // 0.1 has no exact binary form
/// assert_eq!(Number::from_f64_shortest(0.1).unwrap().as_str(), "0.1");
/// ```
#[derive(Clone)]
pub struct Number {
    text: Box<str>,
    negative: bool,
    /// Coefficient digits without leading zeros (`"0"` for zero).
    digits: Box<str>,
    exponent: i64,
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", self.text)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A parsed decimal: sign, coefficient digits (no leading zeros) and
/// exponent.
struct Parsed {
    negative: bool,
    digits: String,
    exponent: i64,
}

fn parse(text: &str) -> Result<Parsed, NumberError> {
    let syntax = || NumberError::Syntax(text.to_owned());
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan" | "snan")
        || lower.starts_with("nan")
        || lower.starts_with("snan")
    {
        return Err(NumberError::NotFinite(text.to_owned()));
    }
    let (mantissa, exp_text) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(syntax());
    }
    if !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(syntax());
    }
    let mut exponent: i64 = match exp_text {
        None => 0,
        Some(e) => {
            let (neg, digits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax());
            }
            // Saturate absurd exponents; they fail the range checks anyway.
            let trimmed = digits.trim_start_matches('0');
            let magnitude: i64 = if trimmed.len() > 15 { 1_000_000_000_000_000 } else { trimmed.parse().unwrap_or(0) };
            if neg {
                -magnitude
            } else {
                magnitude
            }
        }
    };
    exponent -= frac_part.len() as i64;
    let all: String = format!("{int_part}{frac_part}");
    let digits = all.trim_start_matches('0');
    let digits = if digits.is_empty() { "0".to_owned() } else { digits.to_owned() };
    Ok(Parsed { negative, digits, exponent })
}

/// Python's `Decimal.__str__` (to-scientific-string).
fn to_sci_string(negative: bool, digits: &str, exponent: i64) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    let len = digits.len() as i64;
    let left_digits = exponent + len;
    let dot_place = if exponent <= 0 && left_digits > -6 { left_digits } else { 1 };
    if dot_place <= 0 {
        out.push_str("0.");
        for _ in 0..-dot_place {
            out.push('0');
        }
        out.push_str(digits);
    } else if dot_place >= len {
        out.push_str(digits);
        for _ in 0..dot_place - len {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dot_place as usize]);
        out.push('.');
        out.push_str(&digits[dot_place as usize..]);
    }
    if left_digits != dot_place {
        let e = left_digits - dot_place;
        out.push('E');
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(&e.abs().to_string());
    }
    out
}

/// boto3's `DYNAMODB_CONTEXT.create_decimal`: fails where the context
/// would signal a trapped condition (nothing is ever rounded).
fn check(text: &str, p: &Parsed) -> Result<(), NumberError> {
    let shown = || text.to_owned();
    if p.digits == "0" {
        return if p.exponent > EMAX || p.exponent < ETINY { Err(NumberError::Clamped(shown())) } else { Ok(()) };
    }
    let len = p.digits.len() as i64;
    let mut exp_min = len + p.exponent - PRECISION;
    if exp_min > ETOP {
        return Err(NumberError::Overflow(shown()));
    }
    let subnormal = exp_min < ETINY;
    if subnormal {
        exp_min = ETINY;
    }
    if p.exponent >= exp_min {
        return Ok(());
    }
    // Rounding would happen: find whether it changes the value and
    // whether rounding up carries into a new digit (then Overflow may
    // come first, as in Python).
    let keep = len + p.exponent - exp_min; // digits kept, may be <= 0
    let (kept, dropped) = if keep <= 0 { ("", p.digits.as_str()) } else { p.digits.split_at(keep as usize) };
    let changed = dropped.bytes().any(|b| b != b'0');
    if changed {
        let first = dropped.as_bytes()[0];
        let rest_nonzero = dropped.as_bytes()[1..].iter().any(|&b| b != b'0');
        let last_odd = kept.as_bytes().last().is_some_and(|b| (b - b'0') % 2 == 1);
        let round_up = keep >= 0 && (first > b'5' || (first == b'5' && (rest_nonzero || last_odd)));
        let carries = round_up && !kept.is_empty() && kept.bytes().all(|b| b == b'9') && kept.len() as i64 == PRECISION;
        if carries && exp_min + 1 > ETOP {
            return Err(NumberError::Overflow(shown()));
        }
        if subnormal {
            return Err(NumberError::Underflow(shown()));
        }
        return Err(NumberError::Inexact(shown()));
    }
    Err(NumberError::Rounded(shown()))
}

impl Number {
    /// Parses and checks a decimal number (`"12"`, `"-1.5e-3"`, `".5"`).
    pub fn new(text: &str) -> Result<Number, NumberError> {
        let p = parse(text)?;
        check(text, &p)?;
        let canonical = to_sci_string(p.negative, &p.digits, p.exponent);
        Ok(Number { text: canonical.into(), negative: p.negative, digits: p.digits.into(), exponent: p.exponent })
    }

    /// The number as text, as boto3 sends it (`str(Decimal)`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value as an `i64`, if it is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        self.to_i128().and_then(|v| i64::try_from(v).ok())
    }

    /// The value as a `u64`, if it is a non-negative integer in range.
    pub fn to_u64(&self) -> Option<u64> {
        self.to_i128().and_then(|v| u64::try_from(v).ok())
    }

    /// The value as an `i128`, if it is an integer in range.
    pub fn to_i128(&self) -> Option<i128> {
        let (digits, exponent) = self.normalized();
        if exponent < 0 {
            return None;
        }
        if digits.len() as i64 + exponent > 39 {
            return None;
        }
        let mut text = digits.to_owned();
        for _ in 0..exponent {
            text.push('0');
        }
        let v: i128 = text.parse().ok()?;
        Some(if self.negative { -v } else { v })
    }

    /// The nearest `f64` (lossy).
    pub fn to_f64(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// True when the value is an integer.
    pub fn is_integer(&self) -> bool {
        self.normalized().1 >= 0
    }

    /// True for zero (either sign).
    pub fn is_zero(&self) -> bool {
        &*self.digits == "0"
    }

    /// The exact value of a float, like Python's `Decimal(float)`: fails
    /// with [`NumberError::InexactFloat`] when it has more than 38
    /// significant digits (`0.1`), [`NumberError::NotFinite`] for NaN and
    /// infinities. Same as `Number::try_from(x)`.
    pub fn from_f64(x: f64) -> Result<Number, NumberError> {
        if !x.is_finite() {
            return Err(NumberError::NotFinite(x.to_string()));
        }
        // Python's Decimal.from_float: integral floats keep every digit of
        // the integer; others are n * 5^k / 10^k, exact.
        let exact = if x.fract() == 0.0 { format!("{x:.0}") } else { exact_fraction(x) };
        Number::new(&exact).map_err(|e| match e {
            NumberError::Inexact(_) | NumberError::Rounded(_) | NumberError::Underflow(_) => {
                let exact = match parse(&exact) {
                    Ok(p) => to_sci_string(p.negative, &p.digits, p.exponent),
                    Err(_) => exact,
                };
                NumberError::InexactFloat { value: format!("{x:?}"), exact }
            }
            other => other,
        })
    }

    /// The shortest decimal that reads back as `x` (`0.1` for `0.1`):
    /// what was probably meant, but not the float's exact value. An
    /// explicit, lossy opt-in; NaN and infinities still fail.
    pub fn from_f64_shortest(x: f64) -> Result<Number, NumberError> {
        if !x.is_finite() {
            return Err(NumberError::NotFinite(x.to_string()));
        }
        Number::new(&format!("{x:e}"))
    }

    fn normalized(&self) -> (&str, i64) {
        if self.is_zero() {
            return ("0", 0);
        }
        let trimmed = self.digits.trim_end_matches('0');
        (trimmed, self.exponent + (self.digits.len() - trimmed.len()) as i64)
    }

    fn numeric_cmp(&self, other: &Number) -> Ordering {
        let sign = |n: &Number| {
            if n.is_zero() {
                0
            } else if n.negative {
                -1
            } else {
                1
            }
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let (da, ea) = self.normalized();
        let (db, eb) = other.normalized();
        let adj_a = ea + da.len() as i64;
        let adj_b = eb + db.len() as i64;
        let magnitude = adj_a.cmp(&adj_b).then_with(|| {
            // Same magnitude: compare digit strings padded with zeros.
            let n = da.len().max(db.len());
            let pa = da.bytes().chain(std::iter::repeat(b'0')).take(n);
            let pb = db.bytes().chain(std::iter::repeat(b'0')).take(n);
            pa.cmp(pb)
        });
        if a < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

/// The exact decimal expansion of a non-integral finite float.
fn exact_fraction(x: f64) -> String {
    // Rust's fixed-precision formatting is exact; 1100 digits is more than
    // the 767 significant digits a double can need.
    let s = format!("{x:.1100e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    format!("{mantissa}e{exp}")
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        self.numeric_cmp(other) == Ordering::Equal
    }
}

impl Eq for Number {}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        self.numeric_cmp(other)
    }
}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let (digits, exponent) = self.normalized();
        (!self.is_zero() && self.negative).hash(state);
        digits.hash(state);
        exponent.hash(state);
    }
}

impl FromStr for Number {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Number, NumberError> {
        Number::new(s)
    }
}

macro_rules! from_int {
    ($($t:ty)*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Number {
                let text = v.to_string();
                let negative = text.starts_with('-');
                let digits: Box<str> = text.trim_start_matches('-').into();
                Number { text: text.into(), negative, digits, exponent: 0 }
            }
        }
    )*};
}
from_int!(i8 i16 i32 i64 isize u8 u16 u32 u64 usize);

impl TryFrom<i128> for Number {
    type Error = NumberError;
    fn try_from(v: i128) -> Result<Number, NumberError> {
        Number::new(&v.to_string())
    }
}

impl TryFrom<u128> for Number {
    type Error = NumberError;
    fn try_from(v: u128) -> Result<Number, NumberError> {
        Number::new(&v.to_string())
    }
}

impl TryFrom<f64> for Number {
    type Error = NumberError;
    fn try_from(v: f64) -> Result<Number, NumberError> {
        Number::from_f64(v)
    }
}

impl TryFrom<f32> for Number {
    type Error = NumberError;
    fn try_from(v: f32) -> Result<Number, NumberError> {
        Number::from_f64(v as f64)
    }
}

impl TryFrom<&str> for Number {
    type Error = NumberError;
    fn try_from(v: &str) -> Result<Number, NumberError> {
        Number::new(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `str(DYNAMODB_CONTEXT.create_decimal(Decimal(text)))`, or the
    /// signal Python raises, computed with CPython's decimal module.
    const VECTORS: &[(&str, &str)] = &[
        ("0", "0"),
        ("-0", "-0"),
        ("1", "1"),
        ("-1", "-1"),
        ("1.25", "1.25"),
        ("1.50", "1.50"),
        ("100", "100"),
        ("1E+2", "1E+2"),
        ("1e2", "1E+2"),
        ("0.000001", "0.000001"),
        ("0.0000001", "1E-7"),
        ("1E-7", "1E-7"),
        ("123.456e-10", "1.23456E-8"),
        ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
        ("123456789012345678901234567890123456789", "!Inexact"),
        ("1234567890123456789012345678901234567800", "!Rounded"),
        ("12345678901234567890123456789012345678e90", "!Overflow"),
        ("1e126", "1E+126"),
        ("9.99e125", "9.99E+125"),
        ("1e127", "!Overflow"),
        ("1e-128", "1E-128"),
        ("1e-130", "1E-130"),
        ("1e-165", "1E-165"),
        ("1e-166", "!Underflow"),
        ("0e200", "!Clamped"),
        ("0e-200", "!Clamped"),
        ("0e126", "0E+126"),
        ("0e127", "!Clamped"),
        ("0.00", "0.00"),
        ("+5", "5"),
        (".5", "0.5"),
        ("5.", "5"),
        ("-.5e-3", "-0.0005"),
        ("00012.3400", "12.3400"),
        ("99999999999999999999999999999999999999", "99999999999999999999999999999999999999"),
        ("0.1", "0.1"),
        ("1E+126", "1E+126"),
        ("10E+125", "1.0E+126"),
        ("100E+125", "!Overflow"),
        ("0E-165", "0E-165"),
        ("0E-166", "!Clamped"),
        ("123456789012345678901234567890123456.78", "123456789012345678901234567890123456.78"),
        ("3.14159265358979323846264338327950288419", "!Inexact"),
        ("1.000000000000000000000000000000000000000", "!Rounded"),
        ("999999999999999999999999999999999999999e88", "!Overflow"),
        ("999999999999999999999999999999999999999e87", "!Inexact"),
        ("NaN", "!NotFinite"),
        ("Infinity", "!NotFinite"),
        ("-Infinity", "!NotFinite"),
        ("sNaN", "!NotFinite"),
        ("1e", "!Syntax"),
        ("e5", "!Syntax"),
        ("1.2.3", "!Syntax"),
        ("", "!Syntax"),
        ("abc", "!Syntax"),
    ];

    fn kind(e: &NumberError) -> &'static str {
        match e {
            NumberError::Syntax(_) => "!Syntax",
            NumberError::NotFinite(_) => "!NotFinite",
            NumberError::Inexact(_) => "!Inexact",
            NumberError::Rounded(_) => "!Rounded",
            NumberError::Overflow(_) => "!Overflow",
            NumberError::Underflow(_) => "!Underflow",
            NumberError::Clamped(_) => "!Clamped",
            NumberError::InexactFloat { .. } => "!InexactFloat",
        }
    }

    #[test]
    fn decimal_context_vectors() {
        for (input, expected) in VECTORS {
            let got = match Number::new(input) {
                Ok(n) => n.as_str().to_owned(),
                Err(e) => kind(&e).to_owned(),
            };
            assert_eq!(&got, expected, "input {input:?}");
        }
    }

    #[test]
    fn floats_exact_or_refused() {
        assert_eq!(Number::from_f64(0.5).unwrap().as_str(), "0.5");
        assert_eq!(Number::from_f64(1.25).unwrap().as_str(), "1.25");
        assert_eq!(Number::from_f64(-3.0).unwrap().as_str(), "-3");
        assert_eq!(Number::from_f64(1e20).unwrap().as_str(), "100000000000000000000");
        // Python: Decimal(2**-30) = 9.31322574615478515625E-10.
        assert_eq!(Number::from_f64(2f64.powi(-30)).unwrap().as_str(), "9.31322574615478515625E-10");
        assert!(matches!(Number::from_f64(0.1), Err(NumberError::InexactFloat { .. })));
        assert!(Number::from_f64(0.1)
            .unwrap_err()
            .to_string()
            .contains("0.1000000000000000055511151231257827021181583404541015625"));
        assert!(matches!(Number::from_f64(1e300), Err(NumberError::Overflow(_))));
        assert!(matches!(Number::from_f64(2f64.powi(130)), Err(NumberError::InexactFloat { .. })));
        assert!(matches!(Number::from_f64(f64::NAN), Err(NumberError::NotFinite(_))));
        assert!(matches!(Number::from_f64(f64::INFINITY), Err(NumberError::NotFinite(_))));
        assert_eq!(Number::from_f64_shortest(0.1).unwrap().as_str(), "0.1");
        assert_eq!(Number::from_f64_shortest(1e-7).unwrap().as_str(), "1E-7");
    }

    #[test]
    fn numeric_equality_and_order() {
        let n = |s: &str| Number::new(s).unwrap();
        assert_eq!(n("1"), n("1.000"));
        assert_eq!(n("0"), n("-0.00"));
        assert_eq!(n("1E+2"), n("100"));
        assert!(n("-2") < n("-1.5"));
        assert!(n("0.09") < n("0.1"));
        assert!(n("99") < n("1E+2"));
        assert!(n("-1E+2") < n("-99"));
        let mut set = std::collections::BTreeSet::new();
        set.insert(n("1"));
        set.insert(n("1.0"));
        set.insert(n("2"));
        assert_eq!(set.len(), 2);
        use std::collections::hash_map::DefaultHasher;
        let h = |x: &Number| {
            let mut s = DefaultHasher::new();
            x.hash(&mut s);
            s.finish()
        };
        assert_eq!(h(&n("1.50")), h(&n("1.5")));
        assert_eq!(h(&n("0")), h(&n("-0.0")));
        assert_eq!(n("12").to_i64(), Some(12));
        assert_eq!(n("1.2E+3").to_i64(), Some(1200));
        assert_eq!(n("1.5").to_i64(), None);
        assert_eq!(Number::from(u64::MAX).to_u64(), Some(u64::MAX));
        assert_eq!(Number::from(-7i32).as_str(), "-7");
    }
}
