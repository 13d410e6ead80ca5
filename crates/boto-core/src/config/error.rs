//! Errors from loading and resolving configuration.

use std::fmt;
use std::path::PathBuf;

/// Where a configuration value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Set in code (the client or session configuration).
    Explicit,
    /// An environment variable.
    Environment(String),
    /// A key in a profile of a shared config or credentials file.
    Profile {
        /// The profile name.
        profile: String,
        /// The key (`s3.addressing_style` for a sub-section key).
        key: String,
        /// The file, when known.
        file: Option<PathBuf>,
        /// The 1-based line, when known.
        line: Option<usize>,
    },
    /// The defaults mode (`defaults_mode = standard`, ...).
    DefaultsMode(String),
    /// The built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Explicit => f.write_str("client configuration"),
            Source::Environment(var) => write!(f, "environment variable {var}"),
            Source::Profile { profile, key, file, line } => {
                write!(f, "key `{key}` of profile `{profile}`")?;
                if let Some(file) = file {
                    write!(f, " in {}", file.display())?;
                    if let Some(line) = line {
                        write!(f, " line {line}")?;
                    }
                }
                Ok(())
            }
            Source::DefaultsMode(mode) => write!(f, "defaults mode `{mode}`"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// An error while loading or resolving configuration.
///
/// Messages name the file, line, profile and key involved. Values are shown
/// only for non-secret settings.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A config or credentials file exists but could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid UTF-8.
    #[error("config file {} is not valid UTF-8 (line {line})", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// The line holding the first invalid byte.
        line: usize,
    },
    /// A syntax error in a config or credentials file.
    #[error("unable to parse config file {} line {line}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A profile was asked for by name (explicitly or through
    /// `AWS_PROFILE`) but no file defines it.
    #[error("the config profile ({profile}) could not be found (looked in {})", files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "))]
    ProfileNotFound {
        /// The profile name.
        profile: String,
        /// The files searched.
        files: Vec<PathBuf>,
    },
    /// A setting has a value of the wrong type or outside its allowed set.
    #[error("invalid value {value:?} for {setting} from {origin}: {expected}")]
    InvalidValue {
        /// The setting's logical name (`max_attempts`, `retry_mode`, ...).
        setting: &'static str,
        /// The value as written.
        value: String,
        /// Where it came from.
        origin: Source,
        /// What would have been accepted.
        expected: String,
    },
    /// The configuration is inconsistent (a `services` section that does
    /// not exist, a bad `sso_session` reference, ...).
    #[error("invalid configuration: {message}")]
    Invalid {
        /// What is wrong, naming the profile and keys.
        message: String,
    },
}
