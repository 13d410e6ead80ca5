//! IAM Identity Center (SSO): a cached SSO access token exchanged for role
//! credentials with `GetRoleCredentials`.

use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexMap;
use time::OffsetDateTime;

use crate::config::SharedConfig;
use crate::value::{Map, Value};

use super::api::{ApiCall, BoxFuture};
use super::cache::{sha1_hex, JsonFileCache};
use super::chain::ChainOptions;
use super::clock::{format_timestamp, parse_timestamp};
use super::error::CredentialsError;
use super::{Credentials, ProvideCredentials};

/// Botocore refreshes an SSO token when it expires within 15 minutes.
const TOKEN_REFRESH_WINDOW: time::Duration = time::Duration::minutes(15);

/// A profile with `sso_account_id` / `sso_role_name`, either legacy
/// (`sso_start_url`, `sso_region` in the profile; token cached under the
/// SHA-1 of the start URL) or through `sso_session` (an `[sso-session]`
/// section; token cached under the SHA-1 of the session name and refreshed
/// through SSO OIDC `CreateToken` when it nears expiry). The token cache is
/// `~/.aws/sso/cache`. An expired token is an error telling the user to run
/// `aws sso login`.
#[derive(Debug)]
pub struct SsoProvider {
    shared: SharedConfig,
    profile: String,
    opts: Arc<ChainOptions>,
}

struct SsoConfig {
    start_url: String,
    region: String,
    role_name: String,
    account_id: String,
    session: Option<String>,
}

impl SsoProvider {
    /// For `profile`.
    pub fn new(shared: SharedConfig, profile: impl Into<String>, opts: Arc<ChainOptions>) -> SsoProvider {
        SsoProvider { shared, profile: profile.into(), opts }
    }

    fn cache(&self) -> JsonFileCache {
        let dir = self.opts.sso_cache_dir.clone().unwrap_or_else(|| self.shared.env().expand_path("~/.aws/sso/cache"));
        JsonFileCache::new(dir)
    }

    fn config(&self) -> Result<Option<SsoConfig>, CredentialsError> {
        let Some(profile) = self.shared.profile(&self.profile) else { return Ok(None) };
        if !profile.contains("sso_role_name") && !profile.contains("sso_account_id") {
            return Ok(None);
        }
        let mut values: IndexMap<String, String> =
            profile.keys().filter_map(|k| Some((k.to_string(), profile.get(k)?.to_string()))).collect();
        let mut required = vec!["sso_role_name", "sso_account_id", "sso_start_url", "sso_region"];
        if let Some(session_name) = profile.get("sso_session") {
            let session = self.shared.sso_session(session_name).ok_or_else(|| {
                CredentialsError::invalid(
                    &self.profile,
                    format!("the specified sso-session does not exist: \"{session_name}\""),
                )
            })?;
            for key in session.keys() {
                let Some(val) = session.get(key) else { continue };
                if let Some(existing) = values.get(key) {
                    if existing != val {
                        return Err(CredentialsError::invalid(
                            &self.profile,
                            format!("the value for {key} is inconsistent between the profile ({existing}) and sso-session ({val})"),
                        ));
                    }
                }
                values.insert(key.to_string(), val.to_string());
            }
            required.push("sso_session");
        }
        let missing: Vec<&str> = required.iter().copied().filter(|k| !values.contains_key(*k)).collect();
        if !missing.is_empty() {
            return Err(CredentialsError::invalid(
                &self.profile,
                format!("configured to use SSO but is missing required configuration: {}", missing.join(", ")),
            ));
        }
        Ok(Some(SsoConfig {
            start_url: values["sso_start_url"].clone(),
            region: values["sso_region"].clone(),
            role_name: values["sso_role_name"].clone(),
            account_id: values["sso_account_id"].clone(),
            session: values.get("sso_session").cloned(),
        }))
    }

    /// The cached token for the session (refreshed if possible) or start
    /// URL.
    async fn access_token(&self, cfg: &SsoConfig) -> Result<String, CredentialsError> {
        let cache = self.cache();
        let name = cfg.session.clone().unwrap_or_else(|| cfg.start_url.clone());
        let key = sha1_hex(&name);
        let io = |source| CredentialsError::Io { provider: "sso", path: cache.path_for(&key), source };
        let mut token = cache.get(&key).await.map_err(io)?.ok_or_else(|| CredentialsError::SsoToken {
            name: name.clone(),
            message: "the token does not exist".into(),
        })?;
        let text = |t: &serde_json::Value, k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let (Some(_), Some(expires)) = (text(&token, "accessToken"), text(&token, "expiresAt")) else {
            return Err(CredentialsError::SsoToken { name, message: "the token is invalid".into() });
        };
        let mut expiration = parse_timestamp(&expires).ok_or_else(|| CredentialsError::SsoToken {
            name: name.clone(),
            message: "the token expiry is invalid".into(),
        })?;
        let now = self.opts.now();
        if cfg.session.is_some() && expiration - now < TOKEN_REFRESH_WINDOW {
            if let Some(new_token) = self.refresh_token(cfg, &token, now).await {
                if let Err(e) = cache.set(&key, &new_token).await {
                    tracing::warn!(error = %e, "cannot save the refreshed SSO token");
                }
                expiration = parse_timestamp(&text(&new_token, "expiresAt").unwrap_or_default()).unwrap_or(expiration);
                token = new_token;
            }
        }
        if expiration <= now {
            return Err(CredentialsError::SsoTokenExpired { profile: self.profile.clone() });
        }
        Ok(text(&token, "accessToken").unwrap_or_default())
    }

    /// SSO OIDC `CreateToken` with the cached refresh token; `None` when it
    /// cannot be refreshed (botocore logs and keeps the old token).
    async fn refresh_token(
        &self,
        cfg: &SsoConfig,
        token: &serde_json::Value,
        now: OffsetDateTime,
    ) -> Option<serde_json::Value> {
        let get = |k: &str| token.get(k).and_then(|v| v.as_str());
        let keys = ["refreshToken", "clientId", "clientSecret", "registrationExpiresAt"];
        let missing: Vec<&str> = keys.iter().copied().filter(|k| get(k).is_none()).collect();
        if !missing.is_empty() {
            tracing::info!(?missing, "unable to refresh SSO token: missing keys");
            return None;
        }
        let registration = parse_timestamp(get("registrationExpiresAt")?)?;
        if registration <= now {
            tracing::info!("SSO token registration expired");
            return None;
        }
        let api = self.opts.api.as_ref()?;
        let mut params = Map::new();
        params.insert("grantType".into(), Value::from("refresh_token"));
        params.insert("clientId".into(), Value::from(get("clientId")?));
        params.insert("clientSecret".into(), Value::from(get("clientSecret")?));
        params.insert("refreshToken".into(), Value::from(get("refreshToken")?));
        let call = ApiCall::new("sso-oidc", "CreateToken", Value::Map(params)).region(Some(cfg.region.clone()));
        let response = match api.call(call).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "SSO token refresh attempt failed");
                return None;
            }
        };
        let expires_in = response.get("expiresIn").and_then(Value::as_i64)?;
        let mut new_token = serde_json::json!({
            "startUrl": cfg.start_url,
            "region": cfg.region,
            "accessToken": response.get("accessToken").and_then(Value::as_str)?,
            "expiresAt": format_timestamp(now + time::Duration::seconds(expires_in)),
            "clientId": get("clientId")?,
            "clientSecret": get("clientSecret")?,
            "registrationExpiresAt": get("registrationExpiresAt")?,
        });
        if let Some(refresh) = response.get("refreshToken").and_then(Value::as_str) {
            new_token["refreshToken"] = serde_json::Value::from(refresh);
        }
        tracing::info!("SSO token refresh succeeded");
        Some(new_token)
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(cfg) = self.config()? else { return Ok(None) };
        let access_token = self.access_token(&cfg).await?;
        let api = self.opts.api.as_ref().ok_or(CredentialsError::ApiUnavailable { provider: "sso", service: "sso" })?;
        let mut params = Map::new();
        params.insert("roleName".into(), Value::from(cfg.role_name.clone()));
        params.insert("accountId".into(), Value::from(cfg.account_id.clone()));
        params.insert("accessToken".into(), Value::from(access_token));
        let call = ApiCall::new("sso", "GetRoleCredentials", Value::Map(params)).region(Some(cfg.region.clone()));
        let response = api.call(call).await.map_err(|e| {
            if e.code.as_deref() == Some("UnauthorizedException") {
                CredentialsError::SsoTokenExpired { profile: self.profile.clone() }
            } else {
                CredentialsError::Api { provider: "sso", source: Box::new(e) }
            }
        })?;
        let rc = response
            .get("roleCredentials")
            .ok_or_else(|| CredentialsError::retrieval("sso", "the response has no roleCredentials"))?;
        let text = |k: &str| {
            rc.get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| CredentialsError::retrieval("sso", format!("the response has no roleCredentials.{k}")))
        };
        let expiration = rc
            .get("expiration")
            .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
            .and_then(|ms| OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok())
            .ok_or_else(|| {
                CredentialsError::retrieval("sso", "the response has no valid roleCredentials.expiration")
            })?;
        Ok(Some(
            Credentials::new(text("accessKeyId")?, text("secretAccessKey")?, Some(text("sessionToken")?.to_string()))
                .with_expiration(Some(expiration))
                .with_account_id(Some(cfg.account_id))
                .with_provider("sso"),
        ))
    }

    /// The token cache directory in use.
    pub fn cache_dir(&self) -> PathBuf {
        self.cache().dir().to_path_buf()
    }
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }

    fn name(&self) -> &'static str {
        "sso"
    }
}
