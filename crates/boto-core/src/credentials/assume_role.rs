//! Assume-role profiles: `role_arn` with `source_profile` (chains, with
//! cycle detection) or `credential_source`.

use std::fmt;
use std::sync::Arc;

use crate::config::{Section, SharedConfig};
use crate::value::{Map, Value};

use super::api::{ApiCall, BoxFuture};
use super::chain::{profile_providers, ChainOptions, CredentialsChain};
use super::clock::value_timestamp;
use super::error::CredentialsError;
use super::{Credentials, CredentialsCache, ProvideCredentials};

/// Supplies MFA codes: called with the `mfa_serial` before each
/// `AssumeRole` that needs one (botocore prompts on the terminal).
pub type MfaTokenProvider = Arc<dyn Fn(&str) -> BoxFuture<'static, Result<String, String>> + Send + Sync>;

/// Credentials from an STS `AssumeRole*` response: `Credentials` plus the
/// account id taken from `AssumedRoleUser.Arn`.
pub(crate) fn sts_credentials(response: &Value, provider: &'static str) -> Result<Credentials, CredentialsError> {
    let c = response
        .get("Credentials")
        .ok_or_else(|| CredentialsError::retrieval(provider, "the response has no Credentials"))?;
    let text = |k: &str| {
        c.get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| CredentialsError::retrieval(provider, format!("the response has no Credentials.{k}")))
    };
    let expiration = c
        .get("Expiration")
        .and_then(value_timestamp)
        .ok_or_else(|| CredentialsError::retrieval(provider, "the response has no valid Credentials.Expiration"))?;
    let account =
        response.get("AssumedRoleUser").and_then(|u| u.get("Arn")).and_then(Value::as_str).and_then(account_from_arn);
    if account.is_none() {
        tracing::debug!("unable to extract account ID from the assumed role ARN");
    }
    Ok(Credentials::new(text("AccessKeyId")?, text("SecretAccessKey")?, Some(text("SessionToken")?.to_string()))
        .with_expiration(Some(expiration))
        .with_account_id(account)
        .with_provider(provider))
}

/// The account field of an ARN (`arn:partition:service:region:account:resource`).
pub(crate) fn account_from_arn(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (parts.len() == 6 && parts[0] == "arn").then(|| parts[4].to_string())
}

fn has_static(profile: &Section) -> bool {
    profile.contains("aws_access_key_id") || profile.contains("aws_secret_access_key")
}

fn has_assume_role_vars(profile: &Section) -> bool {
    profile.contains("role_arn") && !profile.contains("web_identity_token_file")
}

/// Everything needed to call `AssumeRole` for one profile, validated.
struct Plan {
    profile: String,
    role_arn: String,
    session_name: String,
    external_id: Option<String>,
    mfa_serial: Option<String>,
    duration_seconds: Option<i64>,
    source: CredentialsCache,
    source_label: String,
}

impl Plan {
    /// Validates `profile_name` and resolves its source, recursively
    /// (botocore's `_get_role_config` and `_resolve_source_credentials`).
    fn build(
        shared: &SharedConfig,
        profile_name: &str,
        visited: &mut Vec<String>,
        opts: &Arc<ChainOptions>,
    ) -> Result<Plan, CredentialsError> {
        let profiles = shared.profiles();
        let profile = profiles
            .get(profile_name)
            .ok_or_else(|| CredentialsError::invalid(profile_name, "the profile does not exist"))?;
        let role_arn = profile.get("role_arn").unwrap_or_default().to_string();
        let source_profile = profile.get("source_profile");
        let credential_source = profile.get("credential_source");
        let duration_seconds = match profile.get("duration_seconds") {
            Some(d) => Some(d.trim().parse::<i64>().map_err(|_| {
                CredentialsError::from(crate::config::ConfigError::InvalidValue {
                    setting: "duration_seconds",
                    value: d.to_string(),
                    origin: profile.source_of("duration_seconds"),
                    expected: "an integer number of seconds".into(),
                })
            })?),
            None => None,
        };
        let (source, source_label) = match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(CredentialsError::invalid(
                    profile_name,
                    "the profile contains both source_profile and credential_source",
                ))
            }
            (None, None) => {
                return Err(CredentialsError::Partial {
                    provider: "assume-role",
                    missing: format!("source_profile or credential_source (profile `{profile_name}`)"),
                })
            }
            (None, Some(source_name)) => {
                let provider = credential_source_provider(shared, source_name, opts).ok_or_else(|| {
                    CredentialsError::invalid(
                        profile_name,
                        format!("the credential_source \"{source_name}\" is not valid (use Environment, Ec2InstanceMetadata or EcsContainer)"),
                    )
                })?;
                (opts.cache(provider), format!("credential_source {source_name}"))
            }
            (Some(source_name), None) => {
                let source = profiles.get(source_name).ok_or_else(|| {
                    CredentialsError::invalid(
                        profile_name,
                        format!("the source_profile \"{source_name}\" referenced in the profile does not exist"),
                    )
                })?;
                if visited.iter().any(|v| v == source_name) {
                    // A profile may source itself only for static keys.
                    if source_name != profile_name || !has_static(source) {
                        return Err(CredentialsError::InfiniteLoop {
                            source_profile: source_name.to_string(),
                            visited: visited.clone(),
                        });
                    }
                }
                visited.push(source_name.to_string());
                let provider: Arc<dyn ProvideCredentials> = if has_static(source) || !has_assume_role_vars(source) {
                    let chain = CredentialsChain::new(profile_providers(shared, source_name, true, opts));
                    Arc::new(SourceProfile { profile: source_name.to_string(), chain })
                } else {
                    let plan = Plan::build(shared, source_name, visited, opts)?;
                    Arc::new(AssumeRoleProvider::with_plan(shared.clone(), source_name, opts.clone(), plan))
                };
                (opts.cache(provider), format!("source_profile {source_name}"))
            }
        };
        let session_name = match profile.get("role_session_name") {
            Some(n) => n.to_string(),
            None => format!("botocore-session-{}", opts.now().unix_timestamp()),
        };
        Ok(Plan {
            profile: profile_name.to_string(),
            role_arn,
            session_name,
            external_id: profile.get("external_id").map(str::to_string),
            mfa_serial: profile.get("mfa_serial").map(str::to_string),
            duration_seconds,
            source,
            source_label,
        })
    }
}

/// The providers `credential_source` may name (case-sensitive, as botocore
/// validates them).
fn credential_source_provider(
    shared: &SharedConfig,
    name: &str,
    opts: &Arc<ChainOptions>,
) -> Option<Arc<dyn ProvideCredentials>> {
    match name {
        "Environment" => Some(Arc::new(super::env::EnvProvider::new(shared.env().clone()))),
        "Ec2InstanceMetadata" => Some(Arc::new(super::imds::ImdsProvider::from_options(shared, opts).ok()?)),
        "EcsContainer" => Some(Arc::new(super::container::ContainerProvider::from_options(shared, opts))),
        _ => None,
    }
}

/// A source profile's own chain; finding nothing there is an error.
#[derive(Debug)]
struct SourceProfile {
    profile: String,
    chain: CredentialsChain,
}

impl ProvideCredentials for SourceProfile {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(async move {
            match self.chain.provide_credentials().await? {
                Some(c) => Ok(Some(c)),
                None => Err(CredentialsError::invalid(&self.profile, "the source profile must have credentials")),
            }
        })
    }

    fn name(&self) -> &'static str {
        "source-profile"
    }
}

/// A profile with `role_arn`: calls STS `AssumeRole` with the credentials
/// of its `source_profile` (which may itself assume a role) or
/// `credential_source` (`Environment`, `Ec2InstanceMetadata`,
/// `EcsContainer`), passing `role_session_name`, `external_id`,
/// `duration_seconds` and, with `mfa_serial`, a code from the configured
/// [`MfaTokenProvider`].
///
/// The configuration is validated on the first call: a `source_profile`
/// cycle, a missing source, or both `source_profile` and
/// `credential_source` are errors.
pub struct AssumeRoleProvider {
    shared: SharedConfig,
    profile: String,
    opts: Arc<ChainOptions>,
    plan: tokio::sync::OnceCell<Plan>,
}

impl AssumeRoleProvider {
    /// For `profile` (only active when it has `role_arn` and no
    /// `web_identity_token_file`).
    pub fn new(shared: SharedConfig, profile: impl Into<String>, opts: Arc<ChainOptions>) -> AssumeRoleProvider {
        AssumeRoleProvider { shared, profile: profile.into(), opts, plan: tokio::sync::OnceCell::new() }
    }

    fn with_plan(shared: SharedConfig, profile: &str, opts: Arc<ChainOptions>, plan: Plan) -> AssumeRoleProvider {
        AssumeRoleProvider {
            shared,
            profile: profile.to_string(),
            opts,
            plan: tokio::sync::OnceCell::new_with(Some(plan)),
        }
    }

    async fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        let Some(profile) = self.shared.profile(&self.profile) else { return Ok(None) };
        if !has_assume_role_vars(profile) {
            return Ok(None);
        }
        let plan = self
            .plan
            .get_or_try_init(|| async {
                let mut visited = vec![self.profile.clone()];
                Plan::build(&self.shared, &self.profile, &mut visited, &self.opts)
            })
            .await?;
        let api = self
            .opts
            .api
            .as_ref()
            .ok_or(CredentialsError::ApiUnavailable { provider: "assume-role", service: "sts" })?;
        let source = plan.source.credentials().await?;
        tracing::debug!(profile = %plan.profile, source = %plan.source_label, "assuming role");
        let mut params = Map::new();
        params.insert("RoleArn".into(), Value::from(plan.role_arn.clone()));
        params.insert("RoleSessionName".into(), Value::from(plan.session_name.clone()));
        if let Some(id) = &plan.external_id {
            params.insert("ExternalId".into(), Value::from(id.clone()));
        }
        if let Some(serial) = &plan.mfa_serial {
            let ask = self.opts.mfa_token.as_ref().ok_or_else(|| CredentialsError::MfaRequired {
                profile: plan.profile.clone(),
                serial: serial.clone(),
            })?;
            let code = ask(serial).await.map_err(|message| {
                CredentialsError::retrieval("assume-role", format!("cannot get an MFA code for {serial}: {message}"))
            })?;
            params.insert("SerialNumber".into(), Value::from(serial.clone()));
            params.insert("TokenCode".into(), Value::from(code));
        }
        if let Some(d) = plan.duration_seconds {
            params.insert("DurationSeconds".into(), Value::Int(d));
        }
        let call =
            ApiCall::new("sts", "AssumeRole", Value::Map(params)).region(self.opts.region.clone()).signed_with(source);
        let response =
            api.call(call).await.map_err(|e| CredentialsError::Api { provider: "assume-role", source: Box::new(e) })?;
        sts_credentials(&response, "assume-role").map(Some)
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Option<Credentials>, CredentialsError>> {
        Box::pin(self.load())
    }

    fn name(&self) -> &'static str {
        "assume-role"
    }
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider").field("profile", &self.profile).finish_non_exhaustive()
    }
}
