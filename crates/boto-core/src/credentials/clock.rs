//! Clocks and the timestamp formats credential sources use.

use std::sync::Arc;

use time::{OffsetDateTime, UtcOffset};

/// A source of the current time (injected so tests can freeze it).
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(OffsetDateTime::now_utc)
}

/// A clock that always says `at`.
pub fn fixed_clock(at: OffsetDateTime) -> Clock {
    Arc::new(move || at)
}

/// Parses an expiration: RFC 3339 / ISO 8601 (`2020-01-01T00:00:00Z`,
/// `...+00:00`, fractional seconds; no offset means UTC; a space instead of
/// `T`; `UTC` as the zone), with [`crate::value::parse_timestamp_text`].
pub fn parse_timestamp(s: &str) -> Option<OffsetDateTime> {
    crate::value::parse_timestamp_text(s)
}

/// Formats as `2020-01-01T00:00:00Z` (whole seconds, UTC).
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A timestamp in a parsed API response: a `Value::Timestamp`, epoch
/// seconds, or text.
pub(crate) fn value_timestamp(v: &crate::value::Value) -> Option<OffsetDateTime> {
    use crate::value::Value;
    match v {
        Value::Timestamp(t) => Some(*t),
        Value::Int(i) => OffsetDateTime::from_unix_timestamp(*i).ok(),
        Value::Float(f) => OffsetDateTime::from_unix_timestamp_nanos((*f * 1e9) as i128).ok(),
        Value::String(s) => parse_timestamp(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        let want = OffsetDateTime::from_unix_timestamp(1_577_836_800).unwrap();
        for s in [
            "2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00+00:00",
            "2020-01-01T00:00:00.000Z",
            "2020-01-01T00:00:00",
            "2020-01-01 00:00:00Z",
            "2020-01-01T00:00:00UTC",
            "2020-01-01T01:00:00+01:00",
        ] {
            assert_eq!(parse_timestamp(s), Some(want), "{s}");
        }
        assert_eq!(parse_timestamp("soon"), None);
        assert_eq!(format_timestamp(want), "2020-01-01T00:00:00Z");
    }
}
