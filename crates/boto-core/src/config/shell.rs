//! POSIX shell-like word splitting, as Python's `shlex.split` does it.
//!
//! Used for section headers (`[profile "my profile"]`) and for
//! `credential_process` command lines.

/// Why a string could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// A quote was opened and never closed.
    #[error("no closing quotation")]
    NoClosingQuote,
    /// The string ends with a lone backslash.
    #[error("no escaped character")]
    NoEscapedChar,
}

/// Splits `s` into words: whitespace separates words, `'...'` quotes
/// literally, `"..."` quotes with `\"` and `\\` escapes, and a backslash
/// outside quotes escapes the next character. `#` is not special.
///
/// ```
/// use boto_core::config::shell_split;
/// assert_eq!(shell_split(r#"profile "my profile""#).unwrap(), ["profile", "my profile"]);
/// assert_eq!(shell_split(r#"a\ b 'c d' """#).unwrap(), ["a b", "c d", ""]);
/// assert!(shell_split(r#"profile "open"#).is_err());
/// ```
pub fn shell_split(s: &str) -> Result<Vec<String>, SplitError> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Space,
        Word,
        Single,
        Double,
    }
    let mut words = Vec::new();
    let mut token = String::new();
    let mut state = State::Space;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match state {
            State::Space | State::Word => match c {
                ' ' | '\t' | '\r' | '\n' => {
                    if state == State::Word {
                        words.push(std::mem::take(&mut token));
                        state = State::Space;
                    }
                }
                '\\' => {
                    let next = chars.next().ok_or(SplitError::NoEscapedChar)?;
                    token.push(next);
                    state = State::Word;
                }
                '\'' => {
                    state = State::Single;
                }
                '"' => {
                    state = State::Double;
                }
                _ => {
                    token.push(c);
                    state = State::Word;
                }
            },
            State::Single => {
                if c == '\'' {
                    state = State::Word;
                } else {
                    token.push(c);
                }
            }
            State::Double => match c {
                '"' => state = State::Word,
                '\\' => {
                    let next = chars.next().ok_or(SplitError::NoEscapedChar)?;
                    if next != '"' && next != '\\' {
                        token.push('\\');
                    }
                    token.push(next);
                }
                _ => token.push(c),
            },
        }
    }
    match state {
        State::Single | State::Double => return Err(SplitError::NoClosingQuote),
        State::Word => words.push(token),
        State::Space => {}
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_shlex() {
        assert_eq!(shell_split("profile personal1").unwrap(), ["profile", "personal1"]);
        assert_eq!(shell_split(r#"profile "personal" "otherkey""#).unwrap(), ["profile", "personal", "otherkey"]);
        assert_eq!(shell_split(r#"a"b c"d"#).unwrap(), ["ab cd"]);
        assert_eq!(shell_split(r#""a\"b\\c\d""#).unwrap(), [r#"a"b\c\d"#]);
        assert_eq!(shell_split(r"'a\b'").unwrap(), [r"a\b"]);
        assert_eq!(shell_split("  ").unwrap(), Vec::<String>::new());
        assert_eq!(shell_split("x # y").unwrap(), ["x", "#", "y"]);
        assert_eq!(shell_split(r"a\").unwrap_err(), SplitError::NoEscapedChar);
        assert_eq!(shell_split("'a").unwrap_err(), SplitError::NoClosingQuote);
    }
}
