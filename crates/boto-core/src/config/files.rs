//! Profiles, `sso-session`s and `services` sections from the shared files,
//! as botocore's `load_config` / `build_profile_map` and the session's
//! merge of the credentials file into the config file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;

use super::error::{ConfigError, Source};
use super::ini::{IniFile, IniValue};
use super::shell::shell_split;

/// One value of a profile and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileValue {
    /// The value.
    pub value: IniValue,
    /// The file it came from.
    pub file: Arc<Path>,
    /// The 1-based line.
    pub line: usize,
}

/// A named set of keys: a profile, an `sso-session` or a `services`
/// section.
///
/// `Debug` hides the values of keys that hold secrets.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Section {
    name: String,
    values: IndexMap<String, ProfileValue>,
}

/// Keys whose values are never shown.
pub(crate) const SECRET_KEYS: &[&str] = &["aws_secret_access_key", "aws_session_token", "aws_security_token"];

impl Section {
    /// An empty section with this name.
    pub fn new(name: impl Into<String>) -> Section {
        Section { name: name.into(), values: IndexMap::new() }
    }

    /// The name (`default`, `dev`, ...).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A plain value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key)?.value.as_text()
    }

    /// A sub-section (`s3 =` followed by indented lines).
    pub fn nested(&self, key: &str) -> Option<&IndexMap<String, String>> {
        self.values.get(key)?.value.as_nested()
    }

    /// A raw value with its location.
    pub fn entry(&self, key: &str) -> Option<&ProfileValue> {
        self.values.get(key)
    }

    /// Whether the key is present (plain or nested).
    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The keys, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// Whether the section has no keys.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Sets a plain value (for building profiles in code and tests).
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let file: Arc<Path> = Arc::from(Path::new("<code>"));
        self.values.insert(key.into(), ProfileValue { value: IniValue::Text(value.into()), file, line: 0 });
    }

    /// Where a key of this profile was written, for error messages.
    pub fn source_of(&self, key: &str) -> Source {
        let entry = self.values.get(key);
        Source::Profile {
            profile: self.name.clone(),
            key: key.to_string(),
            file: entry.filter(|e| e.line > 0).map(|e| e.file.to_path_buf()),
            line: entry.filter(|e| e.line > 0).map(|e| e.line),
        }
    }

    /// Where a sub-section key (`s3.addressing_style`) was written.
    pub fn source_of_nested(&self, key: &str, sub: &str) -> Source {
        match self.source_of(key) {
            Source::Profile { profile, file, line, .. } => {
                Source::Profile { profile, key: format!("{key}.{sub}"), file, line }
            }
            other => other,
        }
    }

    fn from_ini(name: &str, file: &Arc<Path>, entries: &IndexMap<String, super::ini::IniEntry>) -> Section {
        let values = entries
            .iter()
            .map(|(k, e)| (k.clone(), ProfileValue { value: e.value.clone(), file: file.clone(), line: e.line }))
            .collect();
        Section { name: name.to_string(), values }
    }

    fn update(&mut self, other: &Section) {
        for (k, v) in &other.values {
            self.values.insert(k.clone(), v.clone());
        }
    }
}

impl std::fmt::Debug for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut map = f.debug_map();
        for (k, v) in &self.values {
            if SECRET_KEYS.contains(&k.as_str()) {
                map.entry(k, &"** redacted **");
            } else {
                match &v.value {
                    IniValue::Text(t) => map.entry(k, t),
                    IniValue::Nested(n) => map.entry(k, n),
                };
            }
        }
        map.finish()?;
        Ok(())
    }
}

/// What one config file holds after botocore's `build_profile_map`.
#[derive(Debug, Clone, Default)]
pub struct ConfigFileContents {
    /// `[default]`, `[profile name]` (or, for the credentials file, any
    /// `[name]`).
    pub profiles: IndexMap<String, Section>,
    /// `[sso-session name]`.
    pub sso_sessions: IndexMap<String, Section>,
    /// `[services name]`.
    pub services: IndexMap<String, Section>,
    /// Any other section (`[plugins]`, `[preview]`, ...), by its raw name.
    pub other: IndexMap<String, Section>,
}

/// The second word of a `[profile name]`-style header, if it has exactly
/// two words (`shlex` rules; anything else is ignored, as in botocore).
fn section_suffix(header: &str) -> Option<String> {
    let mut parts = shell_split(header).ok()?;
    if parts.len() == 2 {
        parts.pop()
    } else {
        None
    }
}

impl ConfigFileContents {
    /// Maps a parsed config file into profiles, `sso-session`s and
    /// `services`, as botocore's `build_profile_map`.
    pub fn from_config_ini(ini: &IniFile) -> ConfigFileContents {
        let file: Arc<Path> = Arc::from(ini.path.as_path());
        let mut out = ConfigFileContents::default();
        for (header, section) in &ini.sections {
            let target = if header.starts_with("profile") {
                Some(&mut out.profiles)
            } else if header.starts_with("sso-session") {
                Some(&mut out.sso_sessions)
            } else if header.starts_with("services") {
                Some(&mut out.services)
            } else {
                None
            };
            match target {
                Some(map) => {
                    if let Some(name) = section_suffix(header) {
                        map.insert(name.clone(), Section::from_ini(&name, &file, &section.entries));
                    } else {
                        tracing::debug!(file = %ini.path.display(), section = %header, "ignoring malformed section header");
                    }
                }
                None if header == "default" => {
                    out.profiles.insert(header.clone(), Section::from_ini(header, &file, &section.entries));
                }
                None => {
                    out.other.insert(header.clone(), Section::from_ini(header, &file, &section.entries));
                }
            }
        }
        out
    }

    /// The credentials file: every section is a profile named exactly as
    /// its header (`[default]`, `[dev]`).
    pub fn from_credentials_ini(ini: &IniFile) -> IndexMap<String, Section> {
        let file: Arc<Path> = Arc::from(ini.path.as_path());
        ini.sections.iter().map(|(name, s)| (name.clone(), Section::from_ini(name, &file, &s.entries))).collect()
    }
}

/// Both shared files loaded and merged as a botocore session does.
#[derive(Debug, Clone, Default)]
pub struct LoadedFiles {
    /// The config file path (after `~` expansion).
    pub config_path: PathBuf,
    /// The credentials file path.
    pub credentials_path: PathBuf,
    /// The config file alone (`None` when it does not exist).
    pub config: Option<ConfigFileContents>,
    /// The credentials file alone, by raw section name (`None` when it does
    /// not exist).
    pub credentials: Option<IndexMap<String, Section>>,
    /// Profiles of both files: the config file's profiles with each
    /// credentials-file section of the same name merged over it key by key
    /// (credentials-file keys win), plus credentials-only profiles.
    pub profiles: IndexMap<String, Section>,
}

impl LoadedFiles {
    /// Loads both files; a missing file is skipped, an unreadable or
    /// malformed one is an error.
    pub fn load(config_path: PathBuf, credentials_path: PathBuf) -> Result<LoadedFiles, ConfigError> {
        let config = super::ini::read_ini(&config_path, true)?.map(|ini| ConfigFileContents::from_config_ini(&ini));
        let credentials =
            super::ini::read_ini(&credentials_path, true)?.map(|ini| ConfigFileContents::from_credentials_ini(&ini));
        let mut profiles = config.as_ref().map(|c| c.profiles.clone()).unwrap_or_default();
        if let Some(creds) = &credentials {
            for (name, section) in creds {
                match profiles.get_mut(name) {
                    Some(existing) => existing.update(section),
                    None => {
                        profiles.insert(name.clone(), section.clone());
                    }
                }
            }
        }
        Ok(LoadedFiles { config_path, credentials_path, config, credentials, profiles })
    }

    /// `[sso-session name]` sections of the config file.
    pub fn sso_sessions(&self) -> Option<&IndexMap<String, Section>> {
        self.config.as_ref().map(|c| &c.sso_sessions)
    }

    /// `[services name]` sections of the config file.
    pub fn services(&self) -> Option<&IndexMap<String, Section>> {
        self.config.as_ref().map(|c| &c.services)
    }
}

/// Merges several config files, first file first, as botocore's
/// `multi_file_load_config`: profiles are merged by name (the first file
/// that has a profile supplies all of it), other sections likewise, while
/// the `sso-session` and `services` groups come whole from the first file
/// that exists. Missing files are skipped.
pub fn multi_file_load_config(paths: &[&Path]) -> Result<ConfigFileContents, ConfigError> {
    let mut out = ConfigFileContents::default();
    let mut first = true;
    for path in paths {
        let Some(ini) = super::ini::read_ini(path, true)? else { continue };
        let one = ConfigFileContents::from_config_ini(&ini);
        if first {
            out.sso_sessions = one.sso_sessions;
            out.services = one.services;
            first = false;
        }
        for (k, v) in one.profiles {
            out.profiles.entry(k).or_insert(v);
        }
        for (k, v) in one.other {
            out.other.entry(k).or_insert(v);
        }
    }
    Ok(out)
}
