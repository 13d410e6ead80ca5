//! `AssumeRoleWithWebIdentity` from a token file.

use std::sync::Arc;

use crate::config::SharedConfig;
use crate::value::{Map, Value};

use super::api::{ApiCall, BoxFuture};
use super::assume_role::sts_credentials;
use super::chain::ChainOptions;
use super::error::CredentialsError;
use super::{Credentials, ProvideCredentials};

/// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME` (each falling back to the profile's
/// `web_identity_token_file`, `role_arn`, `role_session_name`; the
/// environment is ignored when the profile was chosen explicitly). The
/// token file is read on every refresh; the call is unsigned.
#[derive(Debug)]
pub struct WebIdentityProvider {
    shared: SharedConfig,
    profile: String,
    disable_env: bool,
    opts: Arc<ChainOptions>,
}

impl WebIdentityProvider {
    /// For `profile`; `disable_env` ignores the environment variables.
    pub fn new(shared: SharedConfig, profile: impl Into<String>, disable_env: bool, opts: Arc<ChainOptions>) -> Self {
        WebIdentityProvider { shared, profile: profile.into(), disable_env, opts }
    }

    fn setting(&self, key: &str, var: &str) -> Option<String> {
        if !self.disable_env {
            if let Some(v) = self.shared.env().get(var) {
                return Some(v.to_string());
            }
        }
        self.shared.profile(&self.profile)?.get(key).map(str::to_string)
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(token_file) = self.setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Ok(None);
        };
        if token_file.is_empty() {
            return Ok(None);
        }
        let role_arn = self.setting("role_arn", "AWS_ROLE_ARN").filter(|r| !r.is_empty()).ok_or_else(|| {
            CredentialsError::invalid(
                &self.profile,
                "configured to assume role with web identity but has no role ARN: set role_arn in the profile or \
                 AWS_ROLE_ARN",
            )
        })?;
        let session_name = self
            .setting("role_session_name", "AWS_ROLE_SESSION_NAME")
            .unwrap_or_else(|| format!("botocore-session-{}", self.opts.now().unix_timestamp()));
        let api = self
            .opts
            .api
            .as_ref()
            .ok_or(CredentialsError::ApiUnavailable { provider: "assume-role-with-web-identity", service: "sts" })?;
        let path = self.shared.env().expand_path(&token_file);
        let token = tokio::fs::read_to_string(&path).await.map_err(|source| CredentialsError::Io {
            provider: "assume-role-with-web-identity",
            path: path.clone(),
            source,
        })?;
        let mut params = Map::new();
        params.insert("RoleArn".into(), Value::from(role_arn));
        params.insert("RoleSessionName".into(), Value::from(session_name));
        params.insert("WebIdentityToken".into(), Value::from(token));
        let call =
            ApiCall::new("sts", "AssumeRoleWithWebIdentity", Value::Map(params)).region(self.opts.region.clone());
        let response = api
            .call(call)
            .await
            .map_err(|e| CredentialsError::Api { provider: "assume-role-with-web-identity", source: Box::new(e) })?;
        sts_credentials(&response, "assume-role-with-web-identity").map(Some)
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }

    fn name(&self) -> &'static str {
        "assume-role-with-web-identity"
    }
}
