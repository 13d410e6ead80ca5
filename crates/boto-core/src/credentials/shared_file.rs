//! Static credentials from the shared credentials file.

use crate::config::{Section, SharedConfig};

use super::error::CredentialsError;
use super::{BoxFuture, Credentials, ProvideCredentials};

/// Static keys read from a profile section.
pub(crate) fn static_from_section(
    section: &Section,
    provider: &'static str,
) -> Result<Option<Credentials>, CredentialsError> {
    let Some(access_key) = section.get("aws_access_key_id") else { return Ok(None) };
    let secret = section
        .get("aws_secret_access_key")
        .ok_or_else(|| CredentialsError::Partial { provider, missing: "aws_secret_access_key".into() })?;
    let token = ["aws_security_token", "aws_session_token"].iter().find_map(|k| section.get(k));
    Ok(Some(
        Credentials::new(access_key, secret, token.map(str::to_string))
            .with_account_id(section.get("aws_account_id").map(str::to_string))
            .with_provider(provider),
    ))
}

/// `[profile]` of `~/.aws/credentials` (`AWS_SHARED_CREDENTIALS_FILE`):
/// `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token` (or
/// `aws_security_token`), `aws_account_id`. Section names are used as
/// written (`[dev]`, not `[profile dev]`).
#[derive(Debug, Clone)]
pub struct SharedCredentialsProvider {
    shared: SharedConfig,
    profile: String,
}

impl SharedCredentialsProvider {
    /// Reads `profile` of the loaded credentials file.
    pub fn new(shared: SharedConfig, profile: impl Into<String>) -> SharedCredentialsProvider {
        SharedCredentialsProvider { shared, profile: profile.into() }
    }

    fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(section) = self.shared.files().credentials.as_ref().and_then(|c| c.get(&self.profile)) else {
            return Ok(None);
        };
        let creds = static_from_section(section, "shared-credentials-file")?;
        if creds.is_some() {
            tracing::info!(file = %self.shared.files().credentials_path.display(), "found credentials in shared credentials file");
        }
        Ok(creds)
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        let r = self.load();
        Box::pin(async move { r })
    }

    fn name(&self) -> &'static str {
        "shared-credentials-file"
    }

    fn canonical_name(&self) -> Option<&'static str> {
        Some("SharedCredentials")
    }
}
