//! Reading timestamps given as text, as botocore accepts them from users.

use time::format_description::well_known::{Iso8601, Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Parses a timestamp given as text: RFC 3339 / ISO 8601 (with or without
/// an offset, `Z` or fractional seconds; no offset means UTC), a plain date
/// (`2024-01-31`, midnight UTC), an RFC 822/HTTP date, or epoch seconds.
///
/// ```
/// use boto_core::value::parse_timestamp_text;
/// let t = parse_timestamp_text("2015-01-25T08:00:00.5Z").unwrap();
/// assert_eq!(t.unix_timestamp(), 1422172800);
/// assert_eq!(parse_timestamp_text("1422172800").unwrap(), t.replace_nanosecond(0).unwrap());
/// assert!(parse_timestamp_text("yesterday").is_none());
/// ```
pub fn parse_timestamp_text(text: &str) -> Option<OffsetDateTime> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(t);
    }
    if let Ok(t) = PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(t.assume_utc());
    }
    let no_zone = format_description!(
        version = 2,
        "[year]-[month]-[day][first [T] [ ]][hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
    );
    if let Ok(t) = PrimitiveDateTime::parse(s, &no_zone) {
        return Some(t.assume_utc());
    }
    if let Ok(d) = time::Date::parse(s, format_description!("[year]-[month]-[day]")) {
        return Some(d.midnight().assume_utc());
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc2822) {
        return Some(t);
    }
    let http_date =
        format_description!("[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT");
    if let Ok(t) = PrimitiveDateTime::parse(s, &http_date) {
        return Some(t.assume_utc());
    }
    if let Ok(secs) = s.parse::<f64>() {
        if secs.is_finite() && secs.abs() < 253_402_300_800.0 {
            let nanos = (secs * 1e9).round() as i128;
            return OffsetDateTime::from_unix_timestamp_nanos(nanos).ok();
        }
    }
    None
}
