//! Scalars as text: numbers printed the way Python prints them, and the
//! text form of a scalar member for form fields, URI labels, query strings,
//! headers and XML.

use std::fmt::Write as _;

use super::encode::base64_into;
use super::shape_ref::Ref;
use super::timestamp;
use super::{Fail, Res};
use crate::model::{ShapeKind, TimestampFormat};
use crate::value::Value;

/// A small stack buffer for number formatting.
struct StackBuf {
    buf: [u8; 48],
    len: usize,
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Appends `x` as Python's `repr(float)` prints it (`1.0`, `0.1`, `1e+16`,
/// `1e-05`), which is what botocore puts on the wire. NaN and the
/// infinities become `NaN`, `Infinity` and `-Infinity`.
pub(crate) fn write_py_float(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    // `{:e}` gives the shortest digits that round-trip: `-1.2345e3`.
    let mut b = StackBuf { buf: [0; 48], len: 0 };
    let _ = write!(b, "{x:e}");
    let text = std::str::from_utf8(&b.buf[..b.len]).unwrap_or("0e0");
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    if negative {
        out.push('-');
    }
    let mut digits = [0u8; 24];
    let mut n = 0;
    for d in mantissa.bytes().filter(u8::is_ascii_digit) {
        if n < digits.len() {
            digits[n] = d;
            n += 1;
        }
    }
    let digits = &digits[..n.max(1)];
    let point = exp + 1; // digits before the decimal point
    let push = |out: &mut String, ds: &[u8]| out.extend(ds.iter().map(|&d| d as char));
    if !(-3..=16).contains(&point) {
        // 1.5e+16, 1e-05
        push(out, &digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            push(out, &digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
    } else if point <= 0 {
        out.push_str("0.");
        for _ in 0..-point {
            out.push('0');
        }
        push(out, digits);
    } else {
        let point = point as usize;
        if point >= digits.len() {
            push(out, digits);
            for _ in digits.len()..point {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            push(out, &digits[..point]);
            out.push('.');
            push(out, &digits[point..]);
        }
    }
}

/// The special float names callers may pass as strings.
pub(crate) fn special_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// True if `s` is plain decimal number text (`-12`, `3.25e-7`), the only
/// form written unquoted for exact numbers.
pub(crate) fn is_number_text(s: &str) -> bool {
    let b = s.as_bytes();
    let body = b.strip_prefix(b"-").unwrap_or(b);
    !body.is_empty()
        && body[0].is_ascii_digit()
        && body.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
}

/// A float parameter: a float, an integer, exact number text or one of
/// the special names.
pub(crate) enum FloatValue<'v> {
    /// An integer, printed as one (botocore keeps Python ints as they are).
    Int(i64),
    /// A float.
    Float(f64),
    /// Exact decimal text.
    Text(&'v str),
}

pub(crate) fn float_value(v: &Value) -> Res<FloatValue<'_>> {
    match v {
        Value::Float(x) => Ok(FloatValue::Float(*x)),
        Value::Int(i) => Ok(FloatValue::Int(*i)),
        Value::Number(n) if is_number_text(n) => Ok(FloatValue::Text(n)),
        Value::String(s) => special_float(s).map(FloatValue::Float).ok_or_else(|| Fail::expected("a number", v)),
        other => Err(Fail::expected("a number", other)),
    }
}

/// An integer parameter: an integer or exact integer text.
pub(crate) fn integer_text(v: &Value, out: &mut String) -> Res<()> {
    match v {
        Value::Int(i) => {
            let _ = write!(out, "{i}");
            Ok(())
        }
        Value::Number(n) if is_number_text(n) => {
            out.push_str(n);
            Ok(())
        }
        other => Err(Fail::expected("an integer", other)),
    }
}

/// The bytes of a blob parameter (a blob, or a string's UTF-8).
pub(crate) fn blob_bytes(v: &Value) -> Res<&[u8]> {
    match v {
        Value::Blob(b) => Ok(b),
        Value::String(s) => Ok(s.as_bytes()),
        Value::Stream(_) => Err(Fail::new("a stream can only be sent as a streaming payload")),
        other => Err(Fail::expected("a blob", other)),
    }
}

/// The string of a string parameter.
pub(crate) fn string(v: &Value) -> Res<&str> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(Fail::expected("a string", other)),
    }
}

/// Where a scalar's text goes, which decides the timestamp rules.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextUse {
    /// Query-protocol form fields and XML text: timestamps default to
    /// ISO 8601, full precision.
    Body,
    /// URI labels and query strings: ISO 8601 by default, full precision.
    Uri,
    /// Headers: RFC 822 by default, whole seconds.
    Header,
}

/// Appends the text form of scalar `v` of shape `r`: strings as they are,
/// booleans `true`/`false`, numbers as Python prints them, blobs in
/// base64, timestamps in the member's format or the default for `usage`.
pub(crate) fn write_text(out: &mut String, r: Ref<'_>, v: &Value, usage: TextUse) -> Res<()> {
    match r.kind() {
        ShapeKind::String | ShapeKind::Character => out.push_str(string(v)?),
        ShapeKind::Boolean => match v {
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            other => return Err(Fail::expected("a boolean", other)),
        },
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => {
            integer_text(v, out)?
        }
        ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal => match float_value(v)? {
            FloatValue::Int(i) => {
                let _ = write!(out, "{i}");
            }
            FloatValue::Float(x) => write_py_float(out, x),
            FloatValue::Text(t) => out.push_str(t),
        },
        ShapeKind::Blob => base64_into(out, blob_bytes(v)?),
        ShapeKind::Timestamp => {
            let t = timestamp::to_datetime(v)?;
            let default = match usage {
                TextUse::Header => TimestampFormat::Rfc822,
                TextUse::Body | TextUse::Uri => TimestampFormat::Iso8601,
            };
            timestamp::write(out, t, r.timestamp_format().unwrap_or(default), usage == TextUse::Header);
        }
        ShapeKind::Structure | ShapeKind::List | ShapeKind::Map => {
            return Err(Fail::new(format!("a {} cannot be written as text here", r.kind().as_str())))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(x: f64) -> String {
        let mut s = String::new();
        write_py_float(&mut s, x);
        s
    }

    #[test]
    fn floats_print_like_python_repr() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (1.1, "1.1"),
            (10.8, "10.8"),
            (-2.5, "-2.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1234.5, "1234.5"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e22, "1e+22"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (1e-5, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e300, "1e+300"),
            (5e-324, "5e-324"),
            (1422172800.123, "1422172800.123"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for &(x, want) in cases {
            assert_eq!(py(x), want, "{x:?}");
        }
    }

    #[test]
    fn number_text_is_checked() {
        assert!(is_number_text("-12.5e+3"));
        assert!(is_number_text("123456789012345678901234567890"));
        assert!(!is_number_text(""));
        assert!(!is_number_text("1; drop"));
        assert!(!is_number_text("e5"));
    }
}
