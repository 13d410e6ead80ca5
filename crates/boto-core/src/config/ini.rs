//! The INI dialect of the shared config and credentials files.
//!
//! This follows what botocore gets from Python's
//! `configparser.RawConfigParser()` plus `raw_config_parse`:
//!
//! - `[name]` starts a section; the name is everything between the first
//!   `[` and the last `]` of the line (text after the `]` is ignored).
//!   Section names are case-sensitive. `[DEFAULT]` is special: its keys are
//!   defaults for every other section.
//! - `key = value` or `key: value` (split at the first `=` or `:`); keys are
//!   lower-cased, keys and values are trimmed.
//! - Lines whose first non-blank character is `#` or `;` are comments.
//!   There are **no** inline comments: `region = us-east-1 # x` has the
//!   value `us-east-1 # x`, as in botocore.
//! - A line indented deeper than its key line continues the key's value.
//!   A value that starts on the next line (`s3 =` then indented
//!   `key = value` lines) is a sub-section and becomes a nested map.
//! - Within one file a repeated section or a repeated key in one section is
//!   an error (Python's strict mode); across files the higher-precedence
//!   file wins (see [`super::files`]).
//! - Invalid UTF-8, a key line before any section, a line with no `=`/`:`
//!   and a sub-section line with no `=` are errors naming file and line.
//!   Error messages never quote the offending line, which may hold a secret.
//!
//! One deliberate difference: a UTF-8 byte-order mark at the start of the
//! file is ignored (Python reports it as a missing section header).

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::error::ConfigError;

/// A value in a section: plain text, or a nested sub-section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IniValue {
    /// A plain value (may contain newlines from continuation lines when
    /// sub-section parsing is off or the first line was not empty).
    Text(String),
    /// An indented sub-section (`s3 =` followed by `key = value` lines).
    Nested(IndexMap<String, String>),
}

impl IniValue {
    /// The text, for a plain value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            IniValue::Text(s) => Some(s),
            IniValue::Nested(_) => None,
        }
    }

    /// The map, for a sub-section.
    pub fn as_nested(&self) -> Option<&IndexMap<String, String>> {
        match self {
            IniValue::Nested(m) => Some(m),
            IniValue::Text(_) => None,
        }
    }
}

/// One `key = value` entry and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniEntry {
    /// The value.
    pub value: IniValue,
    /// The 1-based line of the key.
    pub line: usize,
}

/// One section of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniSection {
    /// The 1-based line of the header.
    pub line: usize,
    /// The entries, in file order (then `[DEFAULT]` entries not overridden).
    pub entries: IndexMap<String, IniEntry>,
}

/// A parsed file: its sections by name, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniFile {
    /// The file the text came from.
    pub path: PathBuf,
    /// The sections.
    pub sections: IndexMap<String, IniSection>,
}

/// Python's `str.isspace` for one character.
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Reads and parses a file. `Ok(None)` when it does not exist (or is not a
/// regular file), as botocore's `ConfigNotFound` is treated: skipped.
pub fn read_ini(path: &Path, nested: bool) -> Result<Option<IniFile>, ConfigError> {
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Unreadable { path: path.to_path_buf(), source })?;
    parse_ini_bytes(&bytes, path, nested).map(Some)
}

/// Parses file contents given as bytes (checking UTF-8 first).
pub fn parse_ini_bytes(bytes: &[u8], path: &Path, nested: bool) -> Result<IniFile, ConfigError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = 1 + count_line_breaks(before);
            return Err(ConfigError::InvalidUtf8 { path: path.to_path_buf(), line });
        }
    };
    parse_ini(text, path, nested)
}

fn count_line_breaks(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => n += 1,
            b'\r' => {
                n += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    n
}

/// Splits text into lines the way Python's universal newlines do
/// (`\n`, `\r\n` and `\r`).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\n', '\r']) {
            Some(i) => {
                let line = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some(line)
            }
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
        }
    })
}

struct RawValue {
    line: usize,
    parts: Vec<(usize, String)>,
}

struct RawSection {
    line: usize,
    entries: IndexMap<String, RawValue>,
}

/// Parses file contents. `nested` turns values that start on the next line
/// into sub-section maps (botocore always does this except in tests).
pub fn parse_ini(text: &str, path: &Path, nested: bool) -> Result<IniFile, ConfigError> {
    let syntax = |line: usize, message: &str| ConfigError::Syntax {
        path: path.to_path_buf(),
        line,
        message: message.to_string(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: IndexMap<String, RawSection> = IndexMap::new();
    let mut defaults: IndexMap<String, RawValue> = IndexMap::new();
    // The current section: None before any header, Some(None) for
    // [DEFAULT], Some(Some(name)) otherwise.
    let mut current: Option<Option<String>> = None;
    let mut option: Option<String> = None;
    let mut indent_level = 0usize;
    let mut seen_sections: std::collections::HashSet<String> = Default::default();
    let mut seen_options: std::collections::HashSet<(String, String)> = Default::default();

    for (idx, raw) in lines(text).enumerate() {
        let lineno = idx + 1;
        let is_comment = {
            let t = py_strip(raw);
            t.starts_with('#') || t.starts_with(';')
        };
        let value = if is_comment { "" } else { py_strip(raw) };
        if value.is_empty() {
            if !is_comment {
                if let (Some(sect), Some(opt)) = (&current, &option) {
                    let map = match sect {
                        None => &mut defaults,
                        Some(name) => &mut sections[name.as_str()].entries,
                    };
                    if let Some(v) = map.get_mut(opt.as_str()) {
                        v.parts.push((lineno, String::new()));
                    }
                }
            }
            continue;
        }
        let cur_indent = raw.chars().take_while(|c| is_py_space(*c)).count();
        if current.is_some() && option.is_some() && cur_indent > indent_level {
            let sect = current.as_ref().and_then(|s| s.as_ref());
            let map = match sect {
                None => &mut defaults,
                Some(name) => &mut sections[name.as_str()].entries,
            };
            if let Some(v) = map.get_mut(option.as_deref().unwrap_or_default()) {
                v.parts.push((lineno, value.to_string()));
            }
            continue;
        }
        indent_level = cur_indent;
        if let Some(header) = section_header(value) {
            if header == "DEFAULT" {
                current = Some(None);
            } else {
                if sections.contains_key(header) {
                    if seen_sections.contains(header) {
                        return Err(syntax(lineno, &format!("section [{header}] appears more than once")));
                    }
                } else {
                    sections.insert(header.to_string(), RawSection { line: lineno, entries: IndexMap::new() });
                }
                seen_sections.insert(header.to_string());
                current = Some(Some(header.to_string()));
            }
            option = None;
            continue;
        }
        let Some(sect) = &current else {
            return Err(syntax(lineno, "a key line appears before any [section] header"));
        };
        let Some(pos) = value.find(['=', ':']) else {
            return Err(syntax(lineno, "expected `key = value`, `[section]` or a comment"));
        };
        let key = value[..pos].trim_end_matches(is_py_space).to_lowercase();
        if key.is_empty() {
            return Err(syntax(lineno, "a line starts with `=` or `:` and has no key"));
        }
        let val = py_strip(&value[pos + 1..]).to_string();
        let sect_name = sect.clone().unwrap_or_else(|| "DEFAULT".to_string());
        if !seen_options.insert((sect_name.clone(), key.clone())) {
            return Err(syntax(lineno, &format!("key `{key}` appears more than once in section [{sect_name}]")));
        }
        let map = match sect {
            None => &mut defaults,
            Some(name) => &mut sections[name.as_str()].entries,
        };
        map.insert(key.clone(), RawValue { line: lineno, parts: vec![(lineno, val)] });
        option = Some(key);
    }

    let finish = |raw: &RawValue| -> Result<IniEntry, ConfigError> {
        let joined: Vec<&str> = raw.parts.iter().map(|(_, s)| s.as_str()).collect();
        let joined = joined.join("\n");
        let text = joined.trim_end_matches(is_py_space).to_string();
        if nested && text.starts_with('\n') {
            let mut map = IndexMap::new();
            for (lineno, part) in &raw.parts[1..] {
                let part = py_strip(part);
                if part.is_empty() {
                    continue;
                }
                let Some((k, v)) = part.split_once('=') else {
                    return Err(syntax(*lineno, "expected `key = value` in an indented sub-section"));
                };
                map.insert(py_strip(k).to_string(), py_strip(v).to_string());
            }
            return Ok(IniEntry { value: IniValue::Nested(map), line: raw.line });
        }
        Ok(IniEntry { value: IniValue::Text(text), line: raw.line })
    };

    let mut out = IndexMap::new();
    for (name, raw) in &sections {
        let mut entries = IndexMap::new();
        for (k, v) in &raw.entries {
            entries.insert(k.clone(), finish(v)?);
        }
        for (k, v) in &defaults {
            if !entries.contains_key(k) {
                entries.insert(k.clone(), finish(v)?);
            }
        }
        out.insert(name.clone(), IniSection { line: raw.line, entries });
    }
    // Sub-section errors in [DEFAULT] surface even with no other section.
    for v in defaults.values() {
        finish(v)?;
    }
    Ok(IniFile { path: path.to_path_buf(), sections: out })
}

/// `[name]` -> `name`: from after the first `[` to the last `]`.
fn section_header(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('[')?;
    let end = inner.rfind(']')?;
    if end == 0 {
        return None;
    }
    Some(&inner[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<IniFile, ConfigError> {
        parse_ini(text, Path::new("test-config"), true)
    }

    fn text<'a>(f: &'a IniFile, sect: &str, key: &str) -> &'a str {
        f.sections[sect].entries[key].value.as_text().unwrap()
    }

    #[test]
    fn basics() {
        let f = parse("[default]\nRegion = us-west-2\nfoo: bar\n; c\n  # c\nurl = http://x:1/\n").unwrap();
        assert_eq!(text(&f, "default", "region"), "us-west-2");
        assert_eq!(text(&f, "default", "foo"), "bar");
        assert_eq!(text(&f, "default", "url"), "http://x:1/");
        assert_eq!(f.sections["default"].entries["url"].line, 6);
    }

    #[test]
    fn no_inline_comments_and_header_tail_ignored() {
        let f = parse("[default] # trailing\nregion = us-east-1 # not a comment\n").unwrap();
        assert_eq!(text(&f, "default", "region"), "us-east-1 # not a comment");
    }

    #[test]
    fn nested_and_continuations() {
        let f = parse("[p]\ns3 =\n  a = b\n\n  # c\n  c=d\nx = 1\n  more\nempty =\ny = 2\n").unwrap();
        let s3 = f.sections["p"].entries["s3"].value.as_nested().unwrap();
        assert_eq!(s3["a"], "b");
        assert_eq!(s3["c"], "d");
        assert_eq!(text(&f, "p", "x"), "1\nmore");
        assert_eq!(text(&f, "p", "empty"), "");
        assert_eq!(text(&f, "p", "y"), "2");
        let raw = parse_ini("[p]\ns3 =\n  a = b\n  c = d\n", Path::new("x"), false).unwrap();
        assert_eq!(text(&raw, "p", "s3"), "\na = b\nc = d");
    }

    #[test]
    fn default_section_applies_everywhere() {
        let f = parse("[DEFAULT]\nregion = r\n[a]\nx = 1\n[b]\nregion = s\n").unwrap();
        assert!(!f.sections.contains_key("DEFAULT"));
        assert_eq!(text(&f, "a", "region"), "r");
        assert_eq!(text(&f, "b", "region"), "s");
    }

    #[test]
    fn errors_carry_lines() {
        let e = parse("x = 1\n[a]\n").unwrap_err();
        assert!(matches!(e, ConfigError::Syntax { line: 1, .. }), "{e}");
        let e = parse("[a]\nx = 1\n\nnonsense\n").unwrap_err();
        assert!(matches!(e, ConfigError::Syntax { line: 4, .. }), "{e}");
        let e = parse("[a]\nx = 1\n[a]\n").unwrap_err();
        assert!(matches!(e, ConfigError::Syntax { line: 3, .. }), "{e}");
        let e = parse("[a]\nx = 1\nX = 2\n").unwrap_err();
        assert!(matches!(e, ConfigError::Syntax { line: 3, .. }), "{e}");
        let e = parse("[a]\ns3 =\n  ok = 1\n  bad @ 2\n").unwrap_err();
        assert!(matches!(e, ConfigError::Syntax { line: 4, .. }), "{e}");
        let e = parse("[a]\n= x\n").unwrap_err();
        assert!(matches!(e, ConfigError::Syntax { line: 2, .. }), "{e}");
        let e = parse_ini_bytes(b"[a]\r\nx = 1\r\ny = \xff\n", Path::new("f"), true).unwrap_err();
        assert!(matches!(e, ConfigError::InvalidUtf8 { line: 3, .. }), "{e}");
    }

    #[test]
    fn secrets_never_in_errors() {
        let e = parse("aws_secret_access_key = SUPERSECRET\n").unwrap_err();
        assert!(!e.to_string().contains("SUPERSECRET"));
        let e = parse("[a]\naws_secret_access_key SUPERSECRET\n").unwrap_err();
        assert!(!e.to_string().contains("SUPERSECRET"));
    }

    #[test]
    fn crlf_cr_and_bom() {
        let f = parse("\u{feff}[a]\r\nx = 1\ry = 2\r\n").unwrap();
        assert_eq!(text(&f, "a", "x"), "1");
        assert_eq!(text(&f, "a", "y"), "2");
    }
}
