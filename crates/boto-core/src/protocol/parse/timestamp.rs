//! Timestamps from every wire format the protocols use.
//!
//! Like botocore, the parsers do not trust `timestampFormat` when reading:
//! any text timestamp is accepted in any of the formats AWS sends (epoch
//! seconds, ISO 8601, RFC 822 / HTTP-date, RFC 850, asctime; see
//! [`parse_text`]), and numbers are epoch seconds.

use time::OffsetDateTime;

/// Parses a text timestamp (the one reader of timestamp text,
/// [`crate::value::parse_timestamp_text`]).
///
/// ```
/// use boto_core::protocol::parse::timestamp::parse_text;
/// assert_eq!(parse_text("Tue, 29 Apr 2014 18:30:38 GMT"), parse_text("1398796238"));
/// ```
pub use crate::value::parse_timestamp_text as parse_text;

/// A timestamp from whole epoch seconds.
pub fn from_epoch_seconds(secs: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// A timestamp from fractional epoch seconds, rounded to the microsecond
/// as botocore (Python's `datetime.fromtimestamp`) does.
pub fn from_epoch_f64(secs: f64) -> Option<OffsetDateTime> {
    crate::value::timestamp::epoch_f64(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractional_epoch_seconds_round_to_the_microsecond() {
        assert_eq!(from_epoch_f64(946845296.123).unwrap().unix_timestamp_nanos(), 946845296_123000000);
        assert_eq!(from_epoch_f64(1.0000004).unwrap().unix_timestamp_nanos(), 1_000000000);
        assert_eq!(from_epoch_seconds(1398796238), parse_text("2014-04-29T18:30:38Z"));
        assert!(from_epoch_f64(f64::NAN).is_none());
    }
}
