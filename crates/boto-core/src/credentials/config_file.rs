//! Static credentials from the shared config file.

use crate::config::SharedConfig;

use super::error::CredentialsError;
use super::shared_file::static_from_section;
use super::{BoxFuture, Credentials, ProvideCredentials};

/// Static keys in a profile of `~/.aws/config` (`AWS_CONFIG_FILE`):
/// `[default]` or `[profile name]`.
#[derive(Debug, Clone)]
pub struct ConfigFileProvider {
    shared: SharedConfig,
    profile: String,
}

impl ConfigFileProvider {
    /// Reads `profile` of the loaded config file.
    pub fn new(shared: SharedConfig, profile: impl Into<String>) -> ConfigFileProvider {
        ConfigFileProvider { shared, profile: profile.into() }
    }

    fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(section) = self.shared.files().config.as_ref().and_then(|c| c.profiles.get(&self.profile)) else {
            return Ok(None);
        };
        let creds = static_from_section(section, "config-file")?;
        if creds.is_some() {
            tracing::info!(file = %self.shared.files().config_path.display(), "credentials found in config file");
        }
        Ok(creds)
    }
}

impl ProvideCredentials for ConfigFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        let r = self.load();
        Box::pin(async move { r })
    }

    fn name(&self) -> &'static str {
        "config-file"
    }

    fn canonical_name(&self) -> Option<&'static str> {
        Some("SharedConfig")
    }
}
