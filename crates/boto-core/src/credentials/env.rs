//! Credentials from environment variables.

use crate::config::Env;

use super::clock::parse_timestamp;
use super::error::CredentialsError;
use super::{BoxFuture, Credentials, ProvideCredentials};

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SECURITY_TOKEN` or
/// `AWS_SESSION_TOKEN` (in that order, as botocore), `AWS_CREDENTIAL_EXPIRATION`
/// and `AWS_ACCOUNT_ID`.
///
/// Not configured when `AWS_ACCESS_KEY_ID` is unset or empty; a missing
/// secret is an error. With an expiration the credentials are refreshed by
/// reading the environment again.
#[derive(Debug, Clone)]
pub struct EnvProvider {
    env: Env,
}

impl EnvProvider {
    /// Reads this environment.
    pub fn new(env: Env) -> EnvProvider {
        EnvProvider { env }
    }

    fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(access_key) = self.env.get_non_empty("AWS_ACCESS_KEY_ID") else { return Ok(None) };
        tracing::info!("found credentials in environment variables");
        let secret = self
            .env
            .get_non_empty("AWS_SECRET_ACCESS_KEY")
            .ok_or_else(|| CredentialsError::Partial { provider: "env", missing: "AWS_SECRET_ACCESS_KEY".into() })?;
        let token = ["AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"].iter().find_map(|v| self.env.get_non_empty(v));
        let expiration = match self.env.get_non_empty("AWS_CREDENTIAL_EXPIRATION") {
            Some(text) => Some(parse_timestamp(text).ok_or_else(|| {
                CredentialsError::retrieval("env", format!("AWS_CREDENTIAL_EXPIRATION is not a timestamp: {text:?}"))
            })?),
            None => None,
        };
        Ok(Some(
            Credentials::new(access_key, secret, token.map(str::to_string))
                .with_expiration(expiration)
                .with_account_id(self.env.get_non_empty("AWS_ACCOUNT_ID").map(str::to_string))
                .with_provider("env"),
        ))
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        let r = self.load();
        Box::pin(async move { r })
    }

    fn name(&self) -> &'static str {
        "env"
    }

    fn canonical_name(&self) -> Option<&'static str> {
        Some("Environment")
    }
}
