//! Percent-encoding and base64, as botocore applies them.

use base64::Engine as _;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The bytes botocore's `percent_encode` leaves alone: ASCII letters,
/// digits and `-._~` (its `SAFE_CHARS` plus Python's always-safe set).
static UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'_' || c == b'~';
        b += 1;
    }
    t
};

/// Appends `text` percent-encoded: every byte but the unreserved ones (and
/// `/` when `keep_slash`, for greedy `{Key+}` labels) becomes `%XX`.
///
/// This is the encoding of URI labels, query string keys and values, and
/// query-protocol form fields.
pub(crate) fn percent_encode_into(out: &mut String, text: &str, keep_slash: bool) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if UNRESERVED[b as usize] || (keep_slash && b == b'/') {
            continue;
        }
        // A non-empty run of kept bytes is ASCII, so its ends are char
        // boundaries (an empty one may sit inside a multi-byte char).
        if start < i {
            out.push_str(&text[start..i]);
        }
        out.push('%');
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
        start = i + 1;
    }
    if start < bytes.len() {
        out.push_str(&text[start..]);
    }
}

/// Appends standard, padded base64 of `bytes` to a string.
pub(crate) fn base64_into(out: &mut String, bytes: &[u8]) {
    base64::engine::general_purpose::STANDARD.encode_string(bytes, out);
}

/// Appends standard, padded base64 of `bytes` to a byte buffer.
pub(crate) fn base64_into_vec(out: &mut Vec<u8>, bytes: &[u8]) {
    let start = out.len();
    let len = base64::encoded_len(bytes.len(), true).unwrap_or(0);
    out.resize(start + len, 0);
    let written = base64::engine::general_purpose::STANDARD.encode_slice(bytes, &mut out[start..]).unwrap_or(0);
    out.truncate(start + written);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_matches_botocore() {
        let mut s = String::new();
        percent_encode_into(&mut s, " %:/?#[]@!$&'()*+,;=😹", false);
        assert_eq!(s, "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9");
        s.clear();
        percent_encode_into(&mut s, "a-b.c_d~e/f g", true);
        assert_eq!(s, "a-b.c_d~e/f%20g");
    }

    #[test]
    fn base64_both_ways() {
        let mut s = String::from("x=");
        base64_into(&mut s, b"value");
        assert_eq!(s, "x=dmFsdWU=");
        let mut v = b"[".to_vec();
        base64_into_vec(&mut v, b"binary-value");
        v.push(b']');
        assert_eq!(v, b"[YmluYXJ5LXZhbHVl]");
    }
}
