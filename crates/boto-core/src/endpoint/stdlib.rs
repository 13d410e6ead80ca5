//! The string functions of the rules engine's standard library, as botocore
//! 1.44.5 defines them: `isValidHostLabel`, `substring`, `uriEncode` and
//! `parseURL` (with Python's `urllib.parse.urlparse` rules for what counts
//! as scheme, authority, path and query). `booleanEquals`, `stringEquals`,
//! `isSet`, `not` and `getAttr` work on engine values and live with the
//! engine.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Bytes `uriEncode` leaves alone: ASCII letters, digits and `-._~`.
const URI_ENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Bytes Python's `quote(path)` leaves alone: those and `/`.
const PATH_ENCODE: &AsciiSet = &URI_ENCODE.remove(b'/');

/// `isValidHostLabel`: 1 to 63 ASCII letters, digits and hyphens, not
/// starting or ending with a hyphen; with `allow_subdomains`, every
/// `.`-separated label must be one.
///
/// (botocore's regex also takes non-ASCII digits and a trailing newline;
/// neither belongs in a host name, so both are refused here.)
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(is_host_label)
    } else {
        is_host_label(value)
    }
}

fn is_host_label(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// True if `s` is four dot-separated groups of one to three ASCII digits
/// (botocore's `IPV4_RE`; no range check).
pub fn is_ipv4_address(s: &str) -> bool {
    let mut groups = 0;
    for g in s.split('.') {
        groups += 1;
        if groups > 4 || g.is_empty() || g.len() > 3 || !g.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    groups == 4
}

/// `uriEncode`: percent-encodes every byte of the UTF-8 text except ASCII
/// letters, digits and `-._~`, with upper-case hex.
pub fn uri_encode(value: &str) -> Cow<'_, str> {
    utf8_percent_encode(value, URI_ENCODE).into()
}

/// `substring(value, start, stop, reverse)`: `None` unless
/// `start < stop <= len` and the value is ASCII; with `reverse`, the
/// indices count from the end. Negative indices count from the end as in
/// Python slicing.
pub fn substring(value: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    substring_range(value, start, stop, reverse).map(|r| &value[r])
}

/// The byte range [`substring`] takes.
pub(crate) fn substring_range(value: &str, start: i64, stop: i64, reverse: bool) -> Option<std::ops::Range<usize>> {
    let len = value.len() as i64;
    if start >= stop || len < stop || !value.is_ascii() {
        return None;
    }
    let (a, b) = if reverse { (len.saturating_sub(stop), len.saturating_sub(start)) } else { (start, stop) };
    // Python slicing: negative indices count from the end, out-of-range
    // ones are clamped.
    let norm = |i: i64| if i < 0 { i.saturating_add(len).max(0) } else { i.min(len) };
    let (a, b) = (norm(a), norm(b));
    Some(if a >= b { 0..0 } else { a as usize..b as usize })
}

/// The result of `parseURL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'s> {
    /// `http` or `https` (lower case).
    pub scheme: &'static str,
    /// Everything between `//` and the path (user info and port included).
    pub authority: &'s str,
    /// The path as given (possibly empty).
    pub path: &'s str,
    /// The path with dot segments and empty segments removed,
    /// percent-encoded, ending with `/`.
    pub normalized_path: String,
    /// True if the host is an IPv4 address or a bracketed IPv6 address.
    pub is_ip: bool,
}

/// `parseURL`: splits an `http` or `https` URL without a query string, or
/// `None` for anything else (another scheme, a query, a port that is not a
/// number in 0..=65535, unbalanced brackets).
pub fn parse_url(value: &str) -> Option<Url<'_>> {
    // Python strips leading C0 controls and spaces and removes tabs and
    // newlines anywhere; such URLs are not worth supporting here.
    if value.starts_with(|c: char| c <= ' ') || value.contains(['\t', '\r', '\n']) {
        return None;
    }
    let parts = split_url(value)?;
    let scheme = match parts.scheme {
        s if s.eq_ignore_ascii_case("https") => "https",
        s if s.eq_ignore_ascii_case("http") => "http",
        _ => return None,
    };
    if parts.query.is_some_and(|q| !q.is_empty()) {
        return None;
    }
    let (host, port) = host_and_port(parts.netloc);
    if let Some(port) = port {
        if port.is_empty()
            || !port.bytes().all(|c| c.is_ascii_digit())
            || port.parse::<u32>().map_or(true, |p| p > 65535)
        {
            return None;
        }
    }
    let mut normalized_path = utf8_percent_encode(&remove_dot_segments(parts.path), PATH_ENCODE).to_string();
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    let is_ip = !host.is_empty() && (is_ipv4_address(host) || is_ipv6_host(host));
    Some(Url { scheme, authority: parts.netloc, path: parts.path, normalized_path, is_ip })
}

struct UrlParts<'s> {
    scheme: &'s str,
    netloc: &'s str,
    path: &'s str,
    query: Option<&'s str>,
}

/// `urllib.parse.urlparse` for the parts `parseURL` needs.
fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let mut scheme = "";
    let mut rest = url;
    if let Some(i) = url.find(':') {
        let candidate = &url[..i];
        if i > 0
            && candidate.as_bytes()[0].is_ascii_alphabetic()
            && candidate.bytes().all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
        {
            scheme = candidate;
            rest = &url[i + 1..];
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = &after[..end];
        rest = &after[end..];
        if netloc.contains('[') != netloc.contains(']') {
            return None; // "Invalid IPv6 URL"
        }
        if let Some((_, bracketed)) = netloc.split_once('[') {
            let host = bracketed.split_once(']').map_or(bracketed, |(h, _)| h);
            if !valid_bracketed_host(host) {
                return None;
            }
        }
    }
    if let Some(i) = rest.find('#') {
        rest = &rest[..i];
    }
    let mut query = None;
    if let Some(i) = rest.find('?') {
        query = Some(&rest[i + 1..]);
        rest = &rest[..i];
    }
    // `;params` after the last path segment are not part of the path.
    let path = match rest.rfind('/') {
        Some(slash) => match rest[slash..].find(';') {
            Some(i) => &rest[..slash + i],
            None => rest,
        },
        None => rest.split(';').next().unwrap_or(rest),
    };
    Some(UrlParts { scheme, netloc, path, query })
}

/// Python 3.12's check of a bracketed host: an IPv6 address (with an
/// optional zone) or an IPvFuture literal.
fn valid_bracketed_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('v') {
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        return hex > 0 && rest.len() > hex + 1 && rest.as_bytes()[hex] == b'.';
    }
    let addr = host.split_once('%').map_or(host, |(a, _)| a);
    addr.parse::<std::net::Ipv6Addr>().is_ok()
}

/// The host (without brackets) and port of a netloc, as Python's
/// `_hostinfo` splits them.
fn host_and_port(netloc: &str) -> (&str, Option<&str>) {
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    let (host, port) = match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
            (host, after.split_once(':').map(|(_, p)| p))
        }
        None => hostinfo.split_once(':').map_or((hostinfo, None), |(h, p)| (h, Some(p))),
    };
    (host, port.filter(|p| !p.is_empty()))
}

/// True if `host` is an RFC 3986 IPv6 address with an optional RFC 6874
/// zone (botocore's `IPV6_ADDRZ_RE` around the host).
fn is_ipv6_host(host: &str) -> bool {
    let (addr, zone) = match host.split_once('%') {
        Some((a, z)) => (a, Some(z)),
        None => (host, None),
    };
    if let Some(zone) = zone {
        if !valid_zone(zone) {
            return false;
        }
    }
    is_ipv6_address(addr)
}

fn valid_zone(zone: &str) -> bool {
    let b = zone.as_bytes();
    if b.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c if c.is_ascii_alphanumeric() || b"._!-~".contains(&c) => i += 1,
            b'%' if b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit) =>
            {
                i += 3
            }
            _ => return false,
        }
    }
    true
}

/// RFC 3986 `IPv6address`: eight 16-bit hex groups, the last two possibly
/// written as an IPv4 address, with at most one `::` standing for one or
/// more groups.
pub(crate) fn is_ipv6_address(s: &str) -> bool {
    fn groups(part: &str, allow_ipv4_last: bool) -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let pieces: Vec<&str> = part.split(':').collect();
        let mut n = 0;
        for (i, p) in pieces.iter().enumerate() {
            if i + 1 == pieces.len() && allow_ipv4_last && p.contains('.') {
                if !is_ipv4_address(p) {
                    return None;
                }
                n += 2;
            } else if !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_hexdigit()) {
                n += 1;
            } else {
                return None;
            }
        }
        Some(n)
    }
    match s.split_once("::") {
        Some((head, tail)) => {
            if tail.contains("::") {
                return false;
            }
            match (groups(head, false), groups(tail, true)) {
                (Some(h), Some(t)) => h + t <= 7,
                _ => false,
            }
        }
        None => groups(s, true) == Some(8),
    }
}

/// botocore's `normalize_url_path`: `/` for an empty path, else RFC 3986
/// dot-segment removal that also drops empty segments.
fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut result = String::with_capacity(path.len() + 1);
    if path.starts_with('/') {
        result.push('/');
    }
    result.push_str(&out.join("/"));
    if path.ends_with('/') && !out.is_empty() {
        result.push('/');
    }
    result
}
