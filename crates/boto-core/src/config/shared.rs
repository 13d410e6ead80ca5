//! The loaded shared configuration: both files, the environment and the
//! selected profile (botocore's session-level `full_config` and
//! `get_scoped_config`).

use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexMap;

use super::env::Env;
use super::error::ConfigError;
use super::files::{LoadedFiles, Section};

/// The shared config and credentials files as loaded for one session.
///
/// Build it with [`SharedConfig::load`] or [`SharedConfig::builder`]. The
/// profile is the explicit one, else `AWS_DEFAULT_PROFILE`, else
/// `AWS_PROFILE` (botocore's order), else `default`. The files are
/// `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config`
/// and `~/.aws/credentials`; a missing file is simply empty.
///
/// ```
/// use boto_core::config::{Env, SharedConfig};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("config"), "[profile dev]\nregion = eu-west-1\n").unwrap();
/// let env = Env::from_map([("AWS_CONFIG_FILE", dir.path().join("config").to_str().unwrap()), ("AWS_PROFILE", "dev")]);
/// let shared = SharedConfig::load(&env).unwrap();
/// assert_eq!(shared.profile_name(), "dev");
/// assert_eq!(shared.scoped().unwrap().get("region"), Some("eu-west-1"));
/// ```
#[derive(Debug, Clone)]
pub struct SharedConfig {
    env: Env,
    files: Arc<LoadedFiles>,
    profile: Option<String>,
    profile_explicit: bool,
}

/// Builds a [`SharedConfig`].
#[derive(Debug, Clone, Default)]
pub struct SharedConfigBuilder {
    env: Option<Env>,
    profile: Option<String>,
    config_file: Option<PathBuf>,
    credentials_file: Option<PathBuf>,
}

impl SharedConfigBuilder {
    /// The environment to read (default: the real process environment).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Selects a profile explicitly. This also makes the credential chain
    /// skip environment-variable credentials, as botocore does for
    /// `Session(profile=...)`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Overrides the config file path (before `~` expansion).
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }

    /// Overrides the credentials file path (before `~` expansion).
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.credentials_file = Some(path.into());
        self
    }

    /// Reads the files.
    pub fn load(self) -> Result<SharedConfig, ConfigError> {
        let env = self.env.unwrap_or_else(Env::from_process);
        let path_of = |explicit: Option<PathBuf>, var: &str, default: &str| -> PathBuf {
            match explicit {
                Some(p) => env.expand_path(&p.to_string_lossy()),
                None => env.expand_path(env.get(var).unwrap_or(default)),
            }
        };
        let config_path = path_of(self.config_file, "AWS_CONFIG_FILE", "~/.aws/config");
        let credentials_path = path_of(self.credentials_file, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
        let files = LoadedFiles::load(config_path, credentials_path)?;
        let profile_explicit = self.profile.is_some();
        let profile = self
            .profile
            .or_else(|| env.get("AWS_DEFAULT_PROFILE").map(str::to_string))
            .or_else(|| env.get("AWS_PROFILE").map(str::to_string));
        tracing::debug!(
            config = %files.config_path.display(),
            credentials = %files.credentials_path.display(),
            profile = profile.as_deref().unwrap_or("default"),
            "loaded shared config"
        );
        Ok(SharedConfig { env, files: Arc::new(files), profile, profile_explicit })
    }
}

impl SharedConfig {
    /// A builder.
    pub fn builder() -> SharedConfigBuilder {
        SharedConfigBuilder::default()
    }

    /// Loads with this environment and no explicit profile.
    pub fn load(env: &Env) -> Result<SharedConfig, ConfigError> {
        SharedConfig::builder().env(env.clone()).load()
    }

    /// A copy that uses another profile (explicitly selected).
    pub fn with_profile(&self, profile: impl Into<String>) -> SharedConfig {
        SharedConfig { profile: Some(profile.into()), profile_explicit: true, ..self.clone() }
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The files.
    pub fn files(&self) -> &LoadedFiles {
        &self.files
    }

    /// The profile in effect: the configured one or `default`.
    pub fn profile_name(&self) -> &str {
        self.profile.as_deref().unwrap_or("default")
    }

    /// The profile name if one was configured (explicitly or through the
    /// environment).
    pub fn configured_profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// Whether the profile was selected in code (not from the
    /// environment).
    pub fn profile_set_explicitly(&self) -> bool {
        self.profile_explicit
    }

    /// All profiles of both files, merged.
    pub fn profiles(&self) -> &IndexMap<String, Section> {
        &self.files.profiles
    }

    /// A profile of the merged files.
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.files.profiles.get(name)
    }

    /// An `[sso-session name]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.files.sso_sessions()?.get(name)
    }

    /// A `[services name]` section.
    pub fn services_section(&self, name: &str) -> Option<&Section> {
        self.files.services()?.get(name)
    }

    /// The selected profile's keys (botocore's `get_scoped_config`): when no
    /// profile was configured, `default` or an empty profile; when one was
    /// configured it must exist, else [`ConfigError::ProfileNotFound`].
    pub fn scoped(&self) -> Result<Section, ConfigError> {
        match &self.profile {
            None => Ok(self.files.profiles.get("default").cloned().unwrap_or_else(|| Section::new("default"))),
            Some(name) => self.files.profiles.get(name).cloned().ok_or_else(|| ConfigError::ProfileNotFound {
                profile: name.clone(),
                files: vec![self.files.config_path.clone(), self.files.credentials_path.clone()],
            }),
        }
    }

    /// The selected profile, or an empty one if it does not exist (the
    /// credential providers' view: they simply find nothing).
    pub fn scoped_or_empty(&self) -> Section {
        self.scoped().unwrap_or_else(|_| Section::new(self.profile_name()))
    }
}
