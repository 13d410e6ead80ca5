//! Percent-encoding as SigV4 wants it: RFC 3986 unreserved characters
//! (`A-Z a-z 0-9 - _ . ~`) stay, every other byte becomes `%XX` with
//! upper-case hex.

use std::borrow::Cow;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

const fn unreserved_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' || c == b'~';
        i += 1;
    }
    t
}

static UNRESERVED: [bool; 256] = unreserved_table();

/// Appends `input` percent-encoded; `/` is kept when `keep_slash`.
pub(crate) fn encode_into(out: &mut String, input: &[u8], keep_slash: bool) {
    out.reserve(input.len());
    for &b in input {
        if UNRESERVED[b as usize] || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// `input` percent-encoded (`/` encoded too): a query key or value.
pub(crate) fn encode(input: &str) -> String {
    let mut s = String::with_capacity(input.len());
    encode_into(&mut s, input.as_bytes(), false);
    s
}

/// True when `input` would come out of [`encode`] unchanged.
fn is_canonical(input: &[u8]) -> bool {
    input.iter().all(|&b| UNRESERVED[b as usize])
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes (a `%` not followed by two hex digits stays as
/// is; `+` stays a `+`).
pub(crate) fn decode(input: &str) -> Cow<'_, [u8]> {
    let bytes = input.as_bytes();
    if !bytes.contains(&b'%') {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(out)
}

/// A query component in canonical form: decoded, then encoded again.
pub(crate) fn canonical_component(input: &str) -> Cow<'_, str> {
    if is_canonical(input.as_bytes()) {
        return Cow::Borrowed(input);
    }
    let decoded = decode(input);
    let mut s = String::with_capacity(decoded.len() + 8);
    encode_into(&mut s, &decoded, false);
    Cow::Owned(s)
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    hex_into(&mut s, bytes);
    s
}

/// Appends the lower-case hex of `bytes`.
pub(crate) fn hex_into(out: &mut String, bytes: &[u8]) {
    const LOWER: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        for (i, &b) in chunk.iter().enumerate() {
            buf[2 * i] = LOWER[(b >> 4) as usize];
            buf[2 * i + 1] = LOWER[(b & 15) as usize];
        }
        // Only ASCII hex digits were written.
        out.push_str(std::str::from_utf8(&buf[..chunk.len() * 2]).unwrap_or_default());
    }
}

/// Parses lower- or upper-case hex.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    let b = s.trim().as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    b.chunks(2).map(|p| Some(hex_val(p[0])? << 4 | hex_val(p[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_keeps_unreserved() {
        assert_eq!(encode("a b/c~d-e_f.g"), "a%20b%2Fc~d-e_f.g");
        assert_eq!(encode("ሴ"), "%E1%88%B4");
        let mut s = String::new();
        encode_into(&mut s, b"/a b/", true);
        assert_eq!(s, "/a%20b/");
    }

    #[test]
    fn decodes_escapes_but_not_plus_or_bad_escapes() {
        assert_eq!(&*decode("a%20b+c"), b"a b+c");
        assert_eq!(&*decode("100%"), b"100%");
        assert_eq!(&*decode("%zz%4"), b"%zz%4");
        assert_eq!(&*decode("%e1%88%b4"), "ሴ".as_bytes());
    }

    #[test]
    fn canonical_component_normalises_escapes() {
        assert_eq!(canonical_component("a%2fb"), "a%2Fb");
        assert_eq!(canonical_component("a+b"), "a%2Bb");
        assert_eq!(canonical_component("plain-_.~"), "plain-_.~");
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(unhex("00ABff"), Some(vec![0, 0xab, 0xff]));
        assert_eq!(unhex("0"), None);
    }
}
