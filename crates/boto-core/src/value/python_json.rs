//! Text exactly as Python's `json.dumps` writes it (default `ensure_ascii`),
//! where AWS compares bytes that botocore produced: pagination tokens and
//! presigned POST policies.

use std::fmt::Write as _;

/// Writes `s` as a JSON string the way `json.dumps` does: the short escapes,
/// and every other control or non-ASCII character as `\uXXXX` (UTF-16 code
/// units, so surrogate pairs above U+FFFF).
pub(crate) fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_as_python() {
        let mut out = String::new();
        super::write_str("a\"\\\n\u{1}é😀", &mut out);
        assert_eq!(out, r#""a\"\\\n\u0001\u00e9\ud83d\ude00""#);
    }
}
