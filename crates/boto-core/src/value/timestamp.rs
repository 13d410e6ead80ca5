//! Reading timestamps given as text, in every form AWS and botocore use.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Parses a text timestamp: epoch seconds (`1398796238`, `1398796238.5`),
/// ISO 8601 (`2014-04-29T18:30:38Z`, with or without fractions and
/// offsets, or a bare date), or an HTTP date (`Tue, 29 Apr 2014 18:30:38
/// GMT`, RFC 850 and asctime forms too). Surrounding whitespace is
/// ignored. Text without a zone is taken as UTC.
///
/// This is the one reader of timestamp text: parameters (validation and
/// serialization), responses and credential expirations all go through
/// it, accepting what botocore's `parse_timestamp` accepts.
///
/// ```
/// use boto_core::value::parse_timestamp_text;
/// let a = parse_timestamp_text("2014-04-29T18:30:38Z").unwrap();
/// let b = parse_timestamp_text("Tue, 29 Apr 2014 18:30:38 GMT").unwrap();
/// let c = parse_timestamp_text("1398796238").unwrap();
/// assert!(a == b && b == c);
/// assert_eq!(parse_timestamp_text("2014-04-29 18:30:38 UTC"), Some(a));
/// assert!(parse_timestamp_text("yesterday").is_none());
/// ```
pub fn parse_timestamp_text(text: &str) -> Option<OffsetDateTime> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = parse_epoch_text(s) {
        return Some(t);
    }
    if s.as_bytes()[0].is_ascii_digit() {
        if let Some(t) = parse_iso8601(s) {
            return Some(t);
        }
    }
    parse_http_date(s)
}

/// Fractional epoch seconds, rounded to the microsecond as botocore
/// (Python's `datetime.fromtimestamp`) does.
pub(crate) fn epoch_f64(secs: f64) -> Option<OffsetDateTime> {
    if !secs.is_finite() || secs.abs() > 1e15 {
        return None;
    }
    let whole = secs.trunc();
    let micros = ((secs - whole) * 1e6).round_ties_even();
    let nanos = whole as i128 * 1_000_000_000 + micros as i128 * 1000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}

/// Epoch seconds written as decimal text: an optional sign, digits and an
/// optional fraction (exact to the nanosecond), or with an exponent (via a
/// float).
fn parse_epoch_text(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    let (neg, digits) = match b[0] {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || !digits.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    if digits.iter().any(|c| matches!(c, b'e' | b'E')) {
        return epoch_f64(s.parse().ok()?);
    }
    let (int, frac) = match digits.iter().position(|&c| c == b'.') {
        Some(i) => (&digits[..i], &digits[i + 1..]),
        None => (digits, &digits[digits.len()..]),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.iter().all(u8::is_ascii_digit)
        || !frac.iter().all(u8::is_ascii_digit)
        || int.len() > 15
    {
        return None;
    }
    let mut secs: i128 = 0;
    for &c in int {
        secs = secs * 10 + i128::from(c - b'0');
    }
    let mut nanos: i128 = 0;
    for i in 0..9 {
        nanos = nanos * 10 + frac.get(i).map_or(0, |&c| i128::from(c - b'0'));
    }
    let total = secs * 1_000_000_000 + nanos;
    OffsetDateTime::from_unix_timestamp_nanos(if neg { -total } else { total }).ok()
}

/// A small cursor over ASCII bytes.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// Exactly `n` digits as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(s.iter().fold(0, |acc, &c| acc * 10 + u32::from(c - b'0')))
    }

    /// A run of digits as nanoseconds (a fraction of a second).
    fn fraction(&mut self) -> Option<u32> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let s = &self.b[start..self.i];
        if s.is_empty() {
            return None;
        }
        Some((0..9).fold(0, |acc, i| acc * 10 + s.get(i).map_or(0, |&c| u32::from(c - b'0'))))
    }

    fn at_end(&self) -> bool {
        self.i >= self.b.len()
    }
}

fn build(
    year: i32,
    month: u32,
    day: u32,
    (h, m, s, nanos): (u32, u32, u32, u32),
    offset_secs: i32,
) -> Option<OffsetDateTime> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    let time = Time::from_hms_nano(u8::try_from(h).ok()?, u8::try_from(m).ok()?, u8::try_from(s).ok()?, nanos).ok()?;
    let offset = UtcOffset::from_whole_seconds(offset_secs).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset).to_offset(UtcOffset::UTC))
}

/// ISO 8601 in extended (`2014-04-29T18:30:38.123+01:00`) or basic
/// (`20140429T183038Z`) form; `t`, `T` or a space between date and time;
/// a bare date is midnight.
fn parse_iso8601(s: &str) -> Option<OffsetDateTime> {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    let year = c.digits(4)? as i32;
    let extended = c.eat(b'-');
    let month = c.digits(2)?;
    if extended && !c.eat(b'-') {
        return None;
    }
    let day = c.digits(2)?;
    let (mut h, mut m, mut sec, mut nanos, mut offset) = (0, 0, 0, 0, 0);
    if matches!(c.peek(), Some(b'T' | b't' | b' ')) {
        c.i += 1;
        h = c.digits(2)?;
        let colon = c.eat(b':');
        m = c.digits(2)?;
        if colon && c.eat(b':') || !colon && c.peek().is_some_and(|x| x.is_ascii_digit()) {
            sec = c.digits(2)?;
            if c.eat(b'.') || c.eat(b',') {
                nanos = c.fraction()?;
            }
        }
        offset = match c.peek() {
            Some(b'Z' | b'z') => {
                c.i += 1;
                0
            }
            Some(sign @ (b'+' | b'-')) => {
                c.i += 1;
                let oh = c.digits(2)? as i32;
                c.eat(b':');
                let om = if c.at_end() { 0 } else { c.digits(2)? as i32 };
                let total = oh * 3600 + om * 60;
                if sign == b'-' {
                    -total
                } else {
                    total
                }
            }
            // `2020-01-01 00:00:00 UTC` or `...00UTC`, as credential sources write it.
            Some(b' ' | b'U' | b'u' | b'G' | b'g')
                if matches!(s[c.i..].trim_start().to_ascii_uppercase().as_str(), "UTC" | "GMT" | "Z") =>
            {
                c.i = c.b.len();
                0
            }
            _ => 0,
        };
    }
    if !c.at_end() {
        return None;
    }
    build(year, month, day, (h, m, sec, nanos), offset)
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn month_of(word: &str) -> Option<u32> {
    if word.len() < 3 || !word.is_ascii() {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let pos = MONTHS.iter().position(|m| lower.starts_with(m))?;
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (lower.len() == 3 || lower == FULL[pos] || lower == "sept").then_some(pos as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    WEEKDAYS.iter().any(|d| lower.starts_with(d)) && lower.len() >= 3
}

fn zone_offset(word: &str) -> Option<i32> {
    let upper = word.to_ascii_uppercase();
    Some(match upper.as_str() {
        "GMT" | "UTC" | "UT" | "Z" => 0,
        "EST" => -5 * 3600,
        "EDT" => -4 * 3600,
        "CST" => -6 * 3600,
        "CDT" => -5 * 3600,
        "MST" => -7 * 3600,
        "MDT" => -6 * 3600,
        "PST" => -8 * 3600,
        "PDT" => -7 * 3600,
        _ => {
            let b = upper.as_bytes();
            let sign = match b.first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: Vec<u8> = b[1..].iter().copied().filter(|&c| c != b':').collect();
            if digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let n = |i: usize| i32::from(digits[i] - b'0');
            sign * ((n(0) * 10 + n(1)) * 3600 + (n(2) * 10 + n(3)) * 60)
        }
    })
}

/// RFC 822/1123 (`Tue, 29 Apr 2014 18:30:38 GMT`), RFC 850
/// (`Tuesday, 29-Apr-14 18:30:38 GMT`) and asctime (`Tue Apr 29 18:30:38
/// 2014`), with optional fractional seconds and numeric zones.
fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    let (mut day, mut month, mut year, mut time, mut offset) = (None, None, None, None, None);
    let mut tokens: Vec<&str> = Vec::new();
    for word in s.split([' ', ',', '\t']).filter(|w| !w.is_empty()) {
        // `29-Apr-14` (RFC 850) splits into its parts; `-0800` is a zone.
        if word.contains('-') && !word.starts_with('-') {
            tokens.extend(word.split('-'));
        } else {
            tokens.push(word);
        }
    }
    for word in tokens {
        if word.contains(':') && word.as_bytes()[0].is_ascii_digit() {
            if time.is_some() {
                return None;
            }
            let mut c = Cursor { b: word.as_bytes(), i: 0 };
            let h = c.digits(2).or_else(|| c.digits(1))?;
            if !c.eat(b':') {
                return None;
            }
            let m = c.digits(2)?;
            let (mut sec, mut nanos) = (0, 0);
            if c.eat(b':') {
                sec = c.digits(2)?;
                if c.eat(b'.') {
                    nanos = c.fraction()?;
                }
            }
            if !c.at_end() {
                return None;
            }
            time = Some((h, m, sec, nanos));
        } else if word.bytes().all(|c| c.is_ascii_digit()) {
            let n: u32 = word.parse().ok()?;
            if day.is_none() && word.len() <= 2 {
                day = Some(n);
            } else if year.is_none() {
                year = Some(match word.len() {
                    2 if n >= 70 => 1900 + n as i32,
                    2 => 2000 + n as i32,
                    4 => n as i32,
                    _ => return None,
                });
            } else {
                return None;
            }
        } else if let Some(m) = month_of(word) {
            if month.replace(m).is_some() {
                return None;
            }
        } else if is_weekday(word) {
            continue;
        } else if let Some(z) = zone_offset(word) {
            if offset.replace(z).is_some() {
                return None;
            }
        } else {
            return None;
        }
    }
    let (h, m, sec, nanos) = time?;
    build(year?, month?, day?, (h, m, sec, nanos), offset.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> i64 {
        parse_timestamp_text(s).unwrap_or_else(|| panic!("cannot parse {s:?}")).unix_timestamp()
    }

    #[test]
    fn every_format_gives_the_same_instant() {
        for s in [
            "2014-04-29T18:30:38Z",
            "2014-04-29T18:30:38z",
            "2014-04-29 18:30:38Z",
            "2014-04-29T18:30:38",
            "2014-04-29T18:30:38+00:00",
            "2014-04-29T19:30:38+01:00",
            "2014-04-29T17:30:38-0100",
            "2014-04-29T18:30:38.000Z",
            "20140429T183038Z",
            "Tue, 29 Apr 2014 18:30:38 GMT",
            "29 Apr 2014 18:30:38 GMT",
            "Tue, 29 Apr 2014 10:30:38 -0800",
            "Tue, 29 Apr 2014 10:30:38 PST",
            "Tuesday, 29-Apr-14 18:30:38 GMT",
            "Tue Apr 29 18:30:38 2014",
            "1398796238",
            "  1398796238  ",
            "1398796238.0",
            "1.398796238e9",
            "2014-04-29 18:30:38 UTC",
            "2014-04-29T18:30:38 gmt",
        ] {
            assert_eq!(secs(s), 1398796238, "{s}");
        }
    }

    #[test]
    fn fractions_keep_their_precision() {
        let t = parse_timestamp_text("2000-01-02T20:34:56.123456789Z").unwrap();
        assert_eq!(t.unix_timestamp_nanos(), 946845296_123456789);
        let t = parse_timestamp_text("946845296.5").unwrap();
        assert_eq!(t.unix_timestamp_nanos(), 946845296_500000000);
        let t = parse_timestamp_text("-1.5").unwrap();
        assert_eq!(t.unix_timestamp_nanos(), -1_500000000);
        let t = epoch_f64(946845296.123).unwrap();
        assert_eq!(t.unix_timestamp_nanos(), 946845296_123000000);
        assert_eq!(parse_timestamp_text("2000-01-02").unwrap().unix_timestamp(), 946771200);
    }

    #[test]
    fn nonsense_is_rejected() {
        for s in [
            "",
            "   ",
            "yesterday",
            "2014-13-01T00:00:00Z",
            "2014-02-30T00:00:00Z",
            "2014-04-29T25:00:00Z",
            "2014-04-29T18:30:38Zjunk",
            "Tue, 29 Foo 2014 18:30:38 GMT",
            "Tue, 29 Apr 2014 GMT",
            "NaN",
            "inf",
            "1e400",
            "99999999999999999999",
            "12:00",
            "-",
            ".",
        ] {
            assert!(parse_timestamp_text(s).is_none(), "{s:?} parsed");
        }
        assert!(epoch_f64(f64::NAN).is_none());
        assert!(epoch_f64(f64::INFINITY).is_none());
    }
}
