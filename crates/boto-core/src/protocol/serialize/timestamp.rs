//! Timestamps: what callers may pass, and the three wire formats.
//!
//! Like botocore's `parse_to_aware_datetime`, a timestamp parameter may be a
//! [`Value::Timestamp`], epoch seconds (integer, float or numeric text), an
//! ISO 8601 string (date only, naive = UTC, `Z` or an offset) or an RFC 822
//! / HTTP date. Values are kept to microseconds, as Python's `datetime`.
//!
//! Output follows botocore's default precision: ISO 8601 with six
//! fractional digits only when there are microseconds
//! (`2015-01-25T08:00:00.123000Z`), epoch seconds as an integer, or as a
//! float when there are microseconds, RFC 822 always to the second.

use std::fmt::Write as _;

use time::{OffsetDateTime, UtcOffset};

use super::scalar::write_py_float;
use super::{Fail, Res};
use crate::model::TimestampFormat;
use crate::value::Value;

/// A timestamp as epoch seconds, the way botocore computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Epoch {
    /// Whole seconds.
    Int(i64),
    /// Seconds with a fraction (microsecond precision).
    Float(f64),
}

/// The point in time a parameter value stands for, in UTC, truncated to
/// microseconds.
pub(crate) fn to_datetime(value: &Value) -> Res<OffsetDateTime> {
    let t = match value {
        Value::Timestamp(t) => *t,
        Value::Int(i) => from_epoch_int(*i)?,
        Value::Float(x) => from_epoch_float(*x)?,
        Value::Number(n) => from_epoch_float(n.parse().map_err(|_| Fail::new(format!("invalid timestamp {n:?}")))?)?,
        Value::String(s) => parse(s)?,
        other => return Err(Fail::expected("a timestamp", other)),
    };
    let t = t.to_offset(UtcOffset::UTC);
    // Python's datetime holds microseconds; drop anything finer.
    let nanos = t.nanosecond();
    Ok(t.replace_nanosecond(nanos - nanos % 1000).unwrap_or(t))
}

fn from_epoch_int(secs: i64) -> Res<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs).map_err(|_| Fail::new(format!("timestamp {secs} is out of range")))
}

/// Epoch seconds as a float, rounded to the microsecond as Python's
/// `datetime.fromtimestamp` does.
fn from_epoch_float(x: f64) -> Res<OffsetDateTime> {
    if !x.is_finite() {
        return Err(Fail::new(format!("timestamp {x} is not a finite number")));
    }
    let whole = x.trunc();
    let mut secs = whole as i64;
    let mut micros = ((x - whole) * 1e6).round_ties_even() as i64;
    if micros >= 1_000_000 {
        secs += 1;
        micros -= 1_000_000;
    } else if micros < 0 {
        secs -= 1;
        micros += 1_000_000;
    }
    let nanos = i128::from(secs) * 1_000_000_000 + i128::from(micros) * 1000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| Fail::new(format!("timestamp {x} is out of range")))
}

/// Parses timestamp text: epoch seconds (a Python float, rounded to the
/// microsecond), else any text [`crate::value::parse_timestamp_text`]
/// reads (ISO 8601, RFC 822 / HTTP dates).
fn parse(text: &str) -> Res<OffsetDateTime> {
    let s = text.trim();
    if let Ok(x) = s.parse::<f64>() {
        if x.is_finite() {
            return from_epoch_float(x);
        }
    }
    crate::value::parse_timestamp_text(s).ok_or_else(|| {
        Fail::new(format!("invalid timestamp {text:?} (expected ISO 8601, epoch seconds or an HTTP date)"))
    })
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Epoch seconds: an integer, or a float when there are microseconds
/// (unless `seconds_only`).
pub(crate) fn epoch(t: OffsetDateTime, seconds_only: bool) -> Epoch {
    let secs = t.unix_timestamp();
    let micros = t.microsecond();
    if micros == 0 || seconds_only {
        Epoch::Int(secs)
    } else {
        // Add the microseconds as integers and divide once, as botocore
        // does, so the float is rounded only once.
        Epoch::Float((i128::from(secs) * 1_000_000 + i128::from(micros)) as f64 / 1e6)
    }
}

/// Appends `t` in `format`. `seconds_only` drops the fraction (botocore
/// does so for headers).
pub(crate) fn write(out: &mut String, t: OffsetDateTime, format: TimestampFormat, seconds_only: bool) {
    match format {
        TimestampFormat::Iso8601 => write_iso8601(out, t, seconds_only),
        TimestampFormat::Rfc822 => write_rfc822(out, t),
        TimestampFormat::UnixTimestamp => write_epoch(out, epoch(t, seconds_only)),
    }
}

/// Appends epoch seconds as Python prints them.
pub(crate) fn write_epoch(out: &mut String, e: Epoch) {
    match e {
        Epoch::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Epoch::Float(x) => write_py_float(out, x),
    }
}

/// `2015-01-25T08:00:00Z`, or `2015-01-25T08:00:00.123000Z`.
pub(crate) fn write_iso8601(out: &mut String, t: OffsetDateTime, seconds_only: bool) {
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let micros = t.microsecond();
    if micros != 0 && !seconds_only {
        let _ = write!(out, ".{micros:06}");
    }
    out.push('Z');
}

/// `Sun, 25 Jan 2015 08:00:00 GMT` (always to the second).
pub(crate) fn write_rfc822(out: &mut String, t: OffsetDateTime) {
    let _ = write!(
        out,
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[t.weekday().number_days_from_monday() as usize],
        t.day(),
        MONTHS[t.month() as usize - 1],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: Value, f: TimestampFormat) -> String {
        let mut s = String::new();
        write(&mut s, to_datetime(&v).unwrap(), f, false);
        s
    }

    #[test]
    fn formats_like_botocore() {
        use TimestampFormat::*;
        assert_eq!(fmt(Value::Int(1422172800), Iso8601), "2015-01-25T08:00:00Z");
        assert_eq!(fmt(Value::Int(1422172800), Rfc822), "Sun, 25 Jan 2015 08:00:00 GMT");
        assert_eq!(fmt(Value::Int(1422172800), UnixTimestamp), "1422172800");
        assert_eq!(fmt(Value::Float(1422172800.123), Iso8601), "2015-01-25T08:00:00.123000Z");
        assert_eq!(fmt(Value::Float(1422172800.123), UnixTimestamp), "1422172800.123");
        assert_eq!(fmt(Value::Float(1.003691), UnixTimestamp), "1.003691");
        assert_eq!(fmt(Value::Float(1422172800.123), Rfc822), "Sun, 25 Jan 2015 08:00:00 GMT");
        assert_eq!(fmt(Value::Float(-1.5), Iso8601), "1969-12-31T23:59:58.500000Z");
        // Finer than microseconds is dropped.
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_000_000_001_999).unwrap();
        assert_eq!(fmt(Value::Timestamp(t), Iso8601), "1970-01-01T00:16:40.000001Z");
    }

    #[test]
    fn parses_text_like_botocore() {
        use TimestampFormat::*;
        for text in [
            "2015-01-25T08:00:00Z",
            "2015-01-25T08:00:00+00:00",
            "2015-01-25T09:00:00+01:00",
            "2015-01-25T08:00:00",
            "2015-01-25 08:00:00",
            "20150125T080000Z",
            "Sun, 25 Jan 2015 08:00:00 GMT",
            "25 Jan 2015 08:00:00 +0000",
            "1422172800",
            " 1422172800.0 ",
        ] {
            assert_eq!(fmt(Value::String(text.into()), Iso8601), "2015-01-25T08:00:00Z", "{text}");
        }
        assert_eq!(fmt(Value::String("2015-01-25".into()), Iso8601), "2015-01-25T00:00:00Z");
        assert_eq!(fmt(Value::String("2015-01-25T08:00:00.5Z".into()), UnixTimestamp), "1422172800.5");
        for bad in ["", "yesterday", "2015-13-01", "2015-01-25T08:00:00Q", "NaN"] {
            assert!(to_datetime(&Value::String(bad.into())).is_err(), "{bad}");
        }
        assert!(to_datetime(&Value::Bool(true)).is_err());
    }
}
